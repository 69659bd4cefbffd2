#!/usr/bin/env python3
"""Benchmark `govlist validate` against a bare `yaml.load(f, Loader=yaml.CSafeLoader)` of the same files.

The requirement: validating a synthetic set of 100,000 items takes at most 0.6× the time of merely loading the same
files with PyYAML's CSafeLoader, measured in the same run, and the findings carry line numbers.

    python benchmarks/validate_bench.py                  # 100,000 items, generate + measure
    python benchmarks/validate_bench.py --items 10000    # smaller set
    python benchmarks/validate_bench.py --keep --repeat 3
    python benchmarks/validate_bench.py --profile        # cProfile of validate_paths, top 25 by cumulative time
    python benchmarks/validate_bench.py --phases         # also: compose only, govlist load only, schema only
    python benchmarks/validate_bench.py --rules          # CPU time of each rule (cold, --jobs 1), against the bare load's

The data set is deterministic (seeded): a registry of a few hundred units, ~100 list files of the kinds duty, power,
territorial, devolution and community shaped like the example catalogs, declared totals that add up, and about 0.1%
deliberate problems (duplicate names, wrong declared totals, unknown units) whose lines are recorded in
`manifest.json`, so the benchmark can check that findings point at the right line.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

from synth import GENERATOR_VERSION, MANIFEST, Generator, bare_load, prepare, yaml_files  # noqa: E402,F401


def govlist_validate(out: Path):
    from govlist.validate import validate_paths

    gc.collect()
    started = time.perf_counter()
    report = validate_paths([out])
    return time.perf_counter() - started, report


def cli_validate(out: Path) -> tuple[float, int]:
    # Not `-o /dev/null`: the CLI writes its output atomically (temporary file + rename over the target), which for
    # /dev/null would replace the device node when run as root. stdout to DEVNULL writes the same JSON.
    command = [sys.executable, "-m", "govlist.cli", "validate", str(out), "--format", "json", "--fail-on", "never"]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        print(f"CLI failed (exit {done.returncode}): {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return elapsed, done.returncode


def phases(out: Path, files: list[Path]) -> dict[str, float]:
    """Where validate's time goes, measured separately: compose only, govlist's loader, schema check."""
    from govlist.loader import load_file
    from govlist.schema import validate as schema_validate

    result = {}
    gc.collect()
    started = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            yaml.compose(handle, Loader=yaml.CSafeLoader)
    result["libyaml compose only"] = time.perf_counter() - started
    gc.collect()
    started = time.perf_counter()
    docs = [load_file(p) for p in files]
    result["govlist load_file (compose + build)"] = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
        if kind:
            schema_validate(kind, doc.data)
    result["schema (jsonschema-rs)"] = time.perf_counter() - started
    del docs
    gc.collect()
    started = time.perf_counter()
    gc.disable()
    try:
        for path in files:
            with open(path, "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
    finally:
        gc.enable()
    result["bare CSafeLoader load, gc disabled"] = time.perf_counter() - started
    return result


def analyse(report, manifest: dict, out: Path) -> dict:
    """Findings: how many, by rule, whether they carry lines, and whether the injected problems are found at their line."""
    findings = report.findings
    by_rule = Counter(f.rule for f in findings)
    item_level = [f for f in findings if f.item is not None or "/items/" in f.pointer or "/units/" in f.pointer]
    no_line = [f for f in findings if f.line <= 0 and f.file]
    at: dict[tuple[str, int], list] = {}
    for f in findings:
        try:
            rel = Path(f.file).resolve().relative_to(out.resolve()).as_posix()
        except ValueError:
            rel = f.file
        at.setdefault((rel, f.line), []).append(f.rule)
    detected = Counter()
    injected = Counter()
    for record in manifest["injections"]:
        injected[record["type"]] += 1
        lines = [record["line"]] + ([record["other_line"]] if "other_line" in record else [])
        if any((record["file"], line) in at for line in lines):
            detected[record["type"]] += 1
    return {
        "findings": len(findings),
        "by_rule": by_rule,
        "item_level": len(item_level),
        "item_level_with_line": sum(1 for f in item_level if f.line > 0),
        "without_line": len(no_line),
        "injected": injected,
        "detected": detected,
        "sample": [f for f in item_level[:3]],
    }


def profile(out: Path, top: int = 25) -> None:
    from govlist.validate import validate_paths

    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    validate_paths([out])
    profiler.disable()
    for order, count in (("cumulative", top), ("tottime", 15)):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(count)
        text = stream.getvalue()
        start = text.find("   ncalls")
        print(f"\n--- cProfile of validate_paths, top {count} by {order} (profiler overhead inflates Python-heavy code) ---")
        print(text[start:].rstrip() if start >= 0 else text)


def rule_times(out: Path, files: list[Path], top: int = 25) -> None:
    """CPU time of each rule over a cold `--jobs 1` validate (its own checks, not the locating of what it finds), as a
    ratio to the CPU time of the bare load measured just before: which rules cost the most, and which grow faster than
    the set (run it on two sizes)."""
    import dataclasses

    from govlist import ruleset
    from govlist.validate import validate_paths

    spent: Counter = Counter()

    def timed(rule_id: str, check):
        def run(*args):
            started = time.process_time()
            try:
                return list(check(*args))
            finally:
                spent[rule_id] += time.process_time() - started

        return run

    saved = dict(ruleset.RULES)
    for rule_id, rule_obj in saved.items():
        if rule_obj.check is not None:
            ruleset.RULES[rule_id] = dataclasses.replace(rule_obj, check=timed(rule_id, rule_obj.check))
    try:
        gc.collect()
        started = time.process_time()
        for path in files:
            with open(path, "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
        base = time.process_time() - started
        gc.collect()
        started = time.process_time()
        validate_paths([out], jobs=1, cache=False, need_catalogs=False)
        total = time.process_time() - started
    finally:
        ruleset.RULES.clear()
        ruleset.RULES.update(saved)
    print(f"\nCPU seconds: bare load {base:.2f}, validate --jobs 1 (cold) {total:.2f} ({total / base:.2f}x), all rules {sum(spent.values()):.2f} ({sum(spent.values()) / base:.3f}x)")
    print(f"{'rule':40s} {'CPU s':>8s} {'× bare load':>12s}")
    for rule_id, seconds in spent.most_common(top):
        print(f"{rule_id:40s} {seconds:8.3f} {seconds / base:11.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="items in the synthetic set (default 100000)")
    parser.add_argument("--out", type=Path, default=HERE / "data", help="where the set is written (default benchmarks/data, git-ignored)")
    parser.add_argument("--repeat", type=int, default=1, help="measurements of each, alternating; the minimum is reported")
    parser.add_argument("--keep", action="store_true", help="reuse the generated set when it matches --items and --seed")
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI subprocess measurement")
    parser.add_argument("--phases", action="store_true", help="also time compose only, govlist's loader only, schema only, bare load with gc off")
    parser.add_argument("--profile", action="store_true", help="run cProfile over validate_paths and print the top 25 functions")
    parser.add_argument("--rules", action="store_true", help="CPU time of each rule in a cold --jobs 1 validate, against the bare load's (top 25)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    out = args.out.resolve()
    manifest = prepare(out, args.items, args.seed, args.keep)
    files = yaml_files(out)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'NO'})"
    )

    if args.profile:
        profile(out)
        return
    if args.rules:
        rule_times(out, files)
        return

    import govlist.validate  # noqa: F401  (import cost is not part of the in-process figure)

    baseline: list[float] = []
    inproc: list[float] = []
    cli: list[float] = []
    summary = None
    for round_ in range(max(1, args.repeat)):
        baseline.append(bare_load(files))
        seconds, report = govlist_validate(out)
        inproc.append(seconds)
        if summary is None:
            summary = analyse(report, manifest, out)
        del report
        gc.collect()
        if not args.no_cli:
            cli.append(cli_validate(out)[0])
        print(f"round {round_ + 1}: bare load {baseline[-1]:.2f}s, validate {inproc[-1]:.2f}s" + (f", CLI {cli[-1]:.2f}s" if cli else ""))
    extra = phases(out, files) if args.phases else {}

    base = min(baseline)
    rows = [("bare yaml.load(f, CSafeLoader), all files", base), ("govlist validate_paths (in-process)", min(inproc))]
    if cli:
        rows.append(("govlist CLI validate --format json (subprocess)", min(cli)))
    rows += list(extra.items())
    print(f"\n{manifest['items']:,} items, {len(files)} files, {manifest['bytes'] / 1e6:.1f} MB; min of {max(1, args.repeat)} run(s)")
    print(f"{'measurement':52s} {'seconds':>9s} {'× bare load':>12s}")
    for label, seconds in rows:
        print(f"{label:52s} {seconds:9.2f} {seconds / base:11.2f}x")
    print()
    print(f"validate / bare CSafeLoader load: {min(inproc) / base:.2f}x   (target <= 0.60x)")
    if cli:
        print(f"CLI validate / bare CSafeLoader load: {min(cli) / base:.2f}x   (includes interpreter start, imports and JSON output)")

    s = summary
    print(f"\nfindings: {s['findings']} ({', '.join(f'{r} {n}' for r, n in s['by_rule'].most_common())})")
    print(f"item-level findings with a line number: {s['item_level_with_line']}/{s['item_level']}; findings in a file without a line: {s['without_line']}")
    for kind, count in sorted(s["injected"].items()):
        print(f"injected {kind}: {count}, reported at the recorded line: {s['detected'][kind]}")
    for f in s["sample"]:
        print(f"  e.g. {f.file}:{f.line}:{f.column} {f.rule} {f.message.zh}")
    assert all(f.line > 0 for f in s["sample"]), "an item-level finding without a line number"
    assert s["item_level_with_line"] == s["item_level"], "item-level findings without a line number"

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "items": manifest["items"],
                    "files": len(files),
                    "bytes": manifest["bytes"],
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "seconds": dict(rows),
                    "ratio": min(inproc) / base,
                    "cli_ratio": (min(cli) / base) if cli else None,
                    "findings": s["findings"],
                    "by_rule": dict(s["by_rule"]),
                    "injected": dict(s["injected"]),
                    "detected": dict(s["detected"]),
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
