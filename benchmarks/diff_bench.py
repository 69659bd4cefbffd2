#!/usr/bin/env python3
"""Benchmark `govlist diff` of two 100,000-item versions (about 1% changed) against a bare parse of both.

    python benchmarks/diff_bench.py                    # 100,000 items: generate both versions, then measure
    python benchmarks/diff_bench.py --items 10000      # smaller
    python benchmarks/diff_bench.py --keep --repeat 3  # reuse the generated versions; minimum of 3 rounds
    python benchmarks/diff_bench.py --out DIR          # write (or reuse) the versions in DIR instead of benchmarks/out/diff
    python benchmarks/diff_bench.py --from-catalogs --items 20000 --targets   # two versions of copies of catalogs/

The old version is the synthetic set of `synth.py` (same generator, same seed), written once more with
PyYAML's C dumper; the new version is the same data with about 1% of the items changed, deterministically (seeded):
content edits, renames (some only in width or punctuation), removals, additions, moves between categories, 收回 of
devolved items, and every 序号 renumbered after an insertion or removal. Both versions are dumped the same way so
that the baseline parses the same kind of text on both sides.

Measured in the same process, alternating: a bare `yaml.load(f, Loader=yaml.CSafeLoader)` of every file of both
versions (the baseline), and `govlist.diff.diff_sides` (read, govlist's loader, schema check, matching, changes,
arithmetic, gates) plus rendering the JSON report. Prints `diff / bare CSafeLoader load of both: N.NNx`.

With `--from-catalogs` the versions are made of copies of the bundled catalogs instead (`prepare_catalogs`: thousands
of small files, hundreds of registries, most files the same bytes in both versions), data not designed alongside
the code.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

OUT = HERE / "out" / "diff"
MARKER = "diff-manifest.json"
VERSION = 1


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=4096)
    path.write_text(text, encoding="utf-8")


def _items(data: dict) -> list[tuple[list, int]]:
    out = []
    for category in data.get("categories") or []:
        items = category.get("items") or []
        out.extend((items, i) for i in range(len(items)))
    return out


def mutate(data: dict, rng: random.Random, rate: float, counter: dict) -> dict:
    """About `rate` of the items changed; seq renumbered; declared totals kept right."""
    data = copy.deepcopy(data)
    kind = data.get("kind")
    if kind in ("registry", "entry-rules", "project") or not data.get("categories"):
        return data
    cats = data["categories"]
    for category in cats:
        items = category.get("items") or []
        keep = []
        for item in items:
            r = rng.random()
            if r < rate * 0.4:  # content edit
                if isinstance(item.get("content"), str):
                    text = item["content"]
                    cut = rng.randrange(len(text) // 2 + 1)
                    item["content"] = text[:cut] + "，并按规定报送有关部门" + text[cut:]
                    counter["changed"] += 1
            elif r < rate * 0.55:  # rename
                item["name"] = item["name"] + ("（试行）" if rng.random() < 0.5 else "工作")
                counter["renamed"] += 1
            elif r < rate * 0.65:  # width/punctuation only
                item["name"] = item["name"].replace("和", "、") if "和" in item["name"] else item["name"] + "。"
                counter["editorial"] += 1
            elif r < rate * 0.75:  # removed
                counter["removed"] += 1
                continue
            elif r < rate * 0.85 and len(cats) > 1:  # moved to another category
                target = cats[rng.randrange(len(cats))]
                if target is not category:
                    target.setdefault("_moved", []).append(item)
                    counter["moved"] += 1
                    continue
            elif r < rate * 0.9 and kind == "devolution" and item.get("status") != "收回":
                item["status"] = "收回"
                item["withdrawal"] = {"reason": "专业性强，接不住", "approval": "示例府〔2025〕1号", "date": "2025-03-01"}
                counter["withdrawn"] += 1
            keep.append(item)
            if rng.random() < rate * 0.1:  # added beside it
                new = copy.deepcopy(item)
                new.pop("status", None)
                new.pop("withdrawal", None)
                if new.get("code"):
                    new["code"] = str(new["code"]) + "-N"
                new["name"] = "新增" + new["name"] + str(counter["added"])
                keep.append(new)
                counter["added"] += 1
        category["items"] = keep
    for category in cats:
        category["items"].extend(category.pop("_moved", []))
    seq = 0
    total = 0
    for category in cats:
        for item in category["items"]:
            seq += 1
            if "seq" in item:
                item["seq"] = seq
        if "declared" in category:
            category["declared"] = len(category["items"])
        total += len(category["items"])
    declared = data.get("declared")
    if isinstance(declared, dict) and "items" in declared:
        declared["items"] = total
        declared.pop("breakdowns", None)
    for category in cats:
        if not category["items"]:
            category["items"].append({"name": "保留事项", "seq": 1})
    if data.get("version") is not None or True:
        data["version"] = "2025"
    return data


def prepare(items: int, seed: int, keep: bool, rate: float) -> dict:
    marker = OUT / MARKER
    if keep and marker.is_file():
        manifest = json.loads(marker.read_text(encoding="utf-8"))
        if manifest.get("items") == items and manifest.get("seed") == seed and manifest.get("version") == VERSION and manifest.get("rate") == rate:
            print(f"reusing {OUT}")
            return manifest
    if OUT.exists():
        shutil.rmtree(OUT)
    from synth import Generator

    started = time.perf_counter()
    Generator(items, seed).write(OUT / "base")
    rng = random.Random(seed + 1)
    counter = {k: 0 for k in ("changed", "renamed", "editorial", "removed", "moved", "withdrawn", "added")}
    files = sorted(p for p in (OUT / "base").rglob("*.yaml"))
    for path in files:
        rel = path.relative_to(OUT / "base")
        with open(path, "rb") as handle:
            data = yaml.load(handle, Loader=yaml.CSafeLoader)
        if isinstance(data, dict) and data.get("kind") == "project":
            shutil.copy(path, OUT / path.name)  # one project file above both versions
            continue
        _dump(OUT / "v2024" / rel, data)
        _dump(OUT / "v2025" / rel, mutate(data, rng, rate, counter) if isinstance(data, dict) else data)
    shutil.rmtree(OUT / "base")
    manifest = {"items": items, "seed": seed, "version": VERSION, "rate": rate, "mutations": counter, "files": len(files)}
    marker.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"generated two versions of {items:,} items ({sum(counter.values())} mutations: {counter}) in {time.perf_counter() - started:.1f}s -> {OUT}")
    return manifest


CATALOGS_VERSION = 1  # change when the versions made from copies change, so that --keep makes them again
LIST_SHARE = 0.2  # of the copies' lists, the share a new version edits (at 5× the rate: about `rate` of the items)


def prepare_catalogs(items: int, seed: int, keep: bool, rate: float) -> dict:
    """Two versions of copies of the bundled catalogs (copies.py), as a catalog repository holds them: the old version
    is the copies' own bytes; in the new one a list in five is edited by `mutate` at five times `rate` (so about
    `rate` of the items change; the edited files are written again by PyYAML's dumper), one list file is removed and
    one moved to another folder, and every other file (registries, entry rules, the lists not edited) keeps its bytes."""
    import copies
    from synth import MANIFEST, reuse_or_clear

    wanted = {"from": "catalogs", "requested": items, "seed": seed, "rate": rate, "version": CATALOGS_VERSION, "generator": copies.GENERATOR}
    reused = reuse_or_clear(OUT, keep, wanted)
    if reused is not None:
        return reused
    started = time.perf_counter()
    source = OUT / "source"
    made = copies.prepare(source, items, seed, False)
    shutil.copy(source / "govlist.yaml", OUT / "govlist.yaml")  # one project file above both versions
    rng = random.Random(seed + 1)
    counter = {k: 0 for k in ("changed", "renamed", "editorial", "removed", "moved", "withdrawn", "added")}
    files = sorted(p for p in source.rglob("*.yaml") if p.name != "govlist.yaml")
    lists = []
    for path in files:
        rel = path.relative_to(source)
        raw = path.read_bytes()
        (OUT / "v2024" / rel).parent.mkdir(parents=True, exist_ok=True)
        (OUT / "v2024" / rel).write_bytes(raw)
        data = yaml.load(raw, Loader=yaml.CSafeLoader)
        if rng.random() < LIST_SHARE and isinstance(data, dict) and data.get("categories") and data.get("kind") not in ("registry", "entry-rules"):
            _dump(OUT / "v2025" / rel, mutate(data, rng, rate / LIST_SHARE, counter))
            continue
        (OUT / "v2025" / rel).parent.mkdir(parents=True, exist_ok=True)
        (OUT / "v2025" / rel).write_bytes(raw)
        if data.get("categories") and data.get("kind") not in ("registry", "entry-rules"):
            lists.append(rel)
    gone, moving = lists[len(lists) // 3], lists[2 * len(lists) // 3]  # two lists left as they were: one removed, one moved
    (OUT / "v2025" / gone).unlink()
    moved = moving.parent.with_name(moving.parent.name + "-archive") / moving.name
    (OUT / "v2025" / moved).parent.mkdir(parents=True, exist_ok=True)
    (OUT / "v2025" / moving).rename(OUT / "v2025" / moved)
    shutil.rmtree(source)
    manifest = {**wanted, "items": made["items"], "files": len(files), "bytes": made["bytes"], "mutations": counter, "list removed": gone.as_posix(), "list moved": f"{moving.as_posix()} -> {moved.as_posix()}"}
    (OUT / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"made two versions of {made['items']:,} items in copies of catalogs/ ({sum(counter.values())} mutations: {counter}; a list removed, one moved) in {time.perf_counter() - started:.1f}s -> {OUT}")
    return manifest


def targets(items: int, seed: int, repeat: int, from_catalogs: bool = False) -> list[str]:
    """Issue 12's diff lines, each next to its target, measured as perf_bench.py measures (every run a fresh process,
    rounds alternating with a bare load of both versions, minimum kept): cold with 2 and 1 worker(s), cold writing the
    cache, warm (nothing changed: the finished comparison is read back), warm from the files' entries alone (the
    finished comparison removed), and warm with one file in 100 of the new version changed (the common CI case).
    `from_catalogs`: the two versions made of copies of the bundled catalogs (prepare_catalogs), and two more lines
    on a git repository of them, as a user runs diff there: `govlist diff HEAD` with the new version in the working
    tree, cold; and the next commit's `govlist diff HEAD~1` (the new version committed, 1 file in 100 edited since)
    with the cache the first left, where the files the working tree had are now shown as HEAD~1:…"""
    from perf_bench import _load, line, run

    (prepare_catalogs if from_catalogs else prepare)(items, seed, True, 0.01)
    load_before = _load()  # the machine may be shared: its load at the start and at the end of the rounds
    cache = OUT / ".govlist-cache"
    new_files = sorted((OUT / "v2025").rglob("*.yaml"))
    best: dict[str, dict] = {}
    digests: set[str] = set()

    def keep(name: str, result: dict) -> None:
        if name not in best or result["seconds"] < best[name]["seconds"]:
            best[name] = result
        if result.get("digest"):
            digests.add(result["digest"])

    for _ in range(max(1, repeat)):
        keep("bare", {"seconds": run("bare", OUT / "v2024")["seconds"] + run("bare", OUT / "v2025")["seconds"]})
        keep("cold2", run("diff", OUT, 2))
        keep("cold1", run("diff", OUT, 1))
        shutil.rmtree(cache, ignore_errors=True)
        keep("fill", run("diffcached", OUT, 2))
        keep("warm", run("diffcached", OUT, 2))
        for kept in cache.rglob("*.result.json"):
            kept.unlink()
        keep("entries", run("diffcached", OUT, 2))
        touched = [(path, path.read_bytes()) for path in new_files[::100][: max(1, len(new_files) // 100)]]
        try:
            for path, raw in touched:  # new bytes, the same lists: the same report
                path.write_bytes(raw + b"\n# changed\n")
            keep("changed", run("diffcached", OUT, 2))
        finally:
            for path, raw in touched:
                path.write_bytes(raw)
        shutil.rmtree(cache, ignore_errors=True)
        if from_catalogs:
            git_round(best)
    base = best["bare"]["seconds"]
    git_lines = []
    if from_catalogs:
        same = {best["git next"]["digest"]} == {best["git next cold"]["digest"]}
        git_lines = [
            line("git repository: diff HEAD (new version in the working tree), cold / bare", best["git cold"]["seconds"] / base, None),
            line("   next commit: diff HEAD~1, 1 file in 100 edited, the first's cache / bare", best["git next"]["seconds"] / base, None),
            f"   (the next commit's diff the same JSON as without the cache: {'yes' if same else 'NO'})",
        ]
    return [
        line("diff of two versions, cold (--no-cache), --jobs 2 / bare load of both", best["cold2"]["seconds"] / base, 0.40),
        line("diff of two versions, cold, --jobs 1 / bare load of both", best["cold1"]["seconds"] / base, None),
        line("diff of two versions, cold writing the cache / bare load of both", best["fill"]["seconds"] / base, None),
        line("diff of two versions, warm / bare load of both", best["warm"]["seconds"] / base, 0.05),
        line("diff, warm from the files' entries (no kept result) / bare", best["entries"]["seconds"] / base, None),
        line("diff, warm with 1 file in 100 of the new version changed / bare", best["changed"]["seconds"] / base, None),
        f"   (bare load of both {base:.2f}s; diff JSON identical in all six ways: {'yes' if len(digests) == 1 else 'NO'}{load_before.replace('load average', 'load average at the start')}{_load().replace('load average', 'at the end')})",
        *git_lines,
    ]


def _git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.org", GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.org", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def git_repo() -> Path:
    """OUT/git: a repository whose one commit is the old version (copies of catalogs/) and whose working tree holds
    the new one, not committed; made once."""
    repo = OUT / "git"
    if (repo / ".git").is_dir():
        return repo
    shutil.copytree(OUT / "v2024", repo)
    shutil.copy(OUT / "govlist.yaml", repo / "govlist.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "the old version")
    for folder in (OUT / "v2024").iterdir():
        shutil.rmtree(repo / folder.name)
    shutil.copytree(OUT / "v2025", repo, dirs_exist_ok=True)
    return repo


def git_round(best: dict) -> None:
    """One round of the git lines (see targets); the least time of each kept in `best` (their reports are not those
    of the folders: the files are named HEAD:…)."""

    def keep(name: str, result: dict) -> None:
        if name not in best or result["seconds"] < best[name]["seconds"]:
            best[name] = result

    repo = git_repo()
    cache = repo / ".govlist-cache"
    shutil.rmtree(cache, ignore_errors=True)
    keep("git cold", run_git(repo, "HEAD", False))
    run_git(repo, "HEAD", True)  # the diff of the commit before, which left its cache
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "the new version")
    files = sorted(p for p in repo.rglob("*.yaml") if ".git" not in p.parts and p.name != "govlist.yaml")
    touched = [(path, path.read_bytes()) for path in files[::100]]
    try:
        for path, raw in touched:
            path.write_bytes(raw + b"\n# changed\n")
        keep("git next", run_git(repo, "HEAD~1", True))
        keep("git next cold", run_git(repo, "HEAD~1", False))
    finally:
        for path, raw in touched:
            path.write_bytes(raw)
        _git(repo, "reset", "-q", "--soft", "HEAD~1")
        shutil.rmtree(cache, ignore_errors=True)


def run_git(repo: Path, old: str, cache: bool) -> dict:
    """`govlist diff OLD` against the working tree in `repo`, in a fresh process (--jobs 2): seconds and the JSON
    report's digest."""
    command = [sys.executable, __file__, "--git-child", str(repo), old] + ([] if cache else ["--no-cache"])
    out = subprocess.run(command, capture_output=True, text=True, cwd=HERE)
    if out.returncode != 0:
        raise SystemExit(f"diff {old} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def git_child(repo: Path, old: str, cache: bool) -> None:
    import hashlib

    from govlist.diff import diff_paths
    from govlist.diffreport import render_json

    gc.disable()  # as perf_bench's children
    os.chdir(repo)
    started = time.perf_counter()
    text = render_json(diff_paths(old, None, jobs=2, cache=cache))
    print(json.dumps({"seconds": time.perf_counter() - started, "digest": hashlib.sha256(text.encode("utf-8")).hexdigest()}))


def bare(files: list[Path]) -> float:
    """The same baseline as validate_bench (synth.bare_load): a bare CSafeLoader load of every file."""
    from synth import bare_load

    return bare_load(files)


def govlist_diff(fuzzy: bool = True):
    from govlist.diff import diff_sides
    from govlist.diffreport import render_json
    from govlist.sources import resolve_sides
    from govlist.checker import load_project

    gc.collect()
    started = time.perf_counter()
    old, new = resolve_sides(str(OUT / "v2024"), str(OUT / "v2025"))
    project, _ = load_project([OUT / "v2025"], None)
    result = diff_sides(old, new, project, fuzzy=fuzzy, cache=False)
    text = render_json(result)
    return time.perf_counter() - started, result, len(text)


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--rate", type=float, default=0.01, help="share of items changed (default 0.01)")
    parser.add_argument("--keep", action="store_true", help="reuse the generated versions when they match")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-fuzzy", action="store_true")
    parser.add_argument("--targets", action="store_true", help="print issue 12's diff lines as perf_bench.py --with-diff does (fresh processes)")
    parser.add_argument("--out", type=Path, default=None, help="where the two versions are written (default benchmarks/out/diff, or diff-copies with --from-catalogs; git-ignored)")
    parser.add_argument("--git-child", nargs=2, metavar=("REPO", "OLD"), help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--from-catalogs", action="store_true", help="two versions of copies of the bundled catalogs/ (copies.py: thousands of small files, hundreds of registries) instead of the synthetic set")
    args = parser.parse_args()
    if args.git_child:
        git_child(Path(args.git_child[0]), args.git_child[1], not args.no_cache)
        return
    OUT = (args.out or (OUT.with_name("diff-copies") if args.from_catalogs else OUT)).resolve()
    if args.targets:
        for text in targets(args.items, args.seed, args.repeat, args.from_catalogs):
            print(text)
        return
    manifest = (prepare_catalogs if args.from_catalogs else prepare)(args.items, args.seed, args.keep, args.rate)
    files = sorted(p for p in (OUT / "v2024").rglob("*.yaml")) + sorted(p for p in (OUT / "v2025").rglob("*.yaml"))
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB in both versions")
    best_bare = best_diff = float("inf")
    result = None
    for _ in range(args.repeat):
        best_bare = min(best_bare, bare(files))
        seconds, result, json_bytes = govlist_diff(not args.no_fuzzy)
        best_diff = min(best_diff, seconds)
    from govlist.diffreport import item_counts

    counts = dict(item_counts(result.changes))
    print(f"bare yaml.load (CSafeLoader), both versions: {best_bare:8.2f} s")
    print(f"govlist diff (in-process, JSON report):      {best_diff:8.2f} s")
    print(f"changes: {len(result.changes)} ({counts}); matched {result.matched}; renumbered {result.renumbered}; findings {len(result.findings)}")
    print(f"generated mutations: {manifest['mutations']}")
    print(f"diff / bare CSafeLoader load of both: {best_diff / best_bare:.2f}x")


if __name__ == "__main__":
    main()
