#!/usr/bin/env python3
"""Issue 12's targets, each printed next to its measured ratio: cold and warm validate, --jobs 1 and 2, peak memory,
render, diff, and (with --scale) growth from 100,000 to 500,000 items.

    python benchmarks/perf_bench.py                       # 100,000 items (generated once into benchmarks/data/)
    python benchmarks/perf_bench.py --keep --repeat 3     # reuse the set; minimum of 3 alternating rounds
    python benchmarks/perf_bench.py --keep --with-diff    # also diff two versions (benchmarks/out/diff, ≈1 min to make)
    python benchmarks/perf_bench.py --keep --scale 500000 # also the 500,000-item set: memory and time growth

Every measurement runs in a fresh process (`--child`), so that its peak RSS is its own: the baseline is a bare
`yaml.load(f, Loader=yaml.CSafeLoader)` of every file, in a process of its own, measured in the same round. Wall
times exclude interpreter start and imports (the CLI's own cost is in validate_bench.py). The machine may be shared:
only ratios measured in one run mean anything, and rounds alternate so that load affects both sides alike.
Findings are compared byte for byte (the JSON report's SHA-256) between cold, warm, --jobs 1 and --jobs 2.

Peak RSS is compared with a bare load that keeps every document to the end (`docs = [yaml.load(f, CSafeLoader) for
f in files]`): what "every document stays in memory" costs. A bare load that drops each document stays near the
interpreter's own floor (importing govlist alone takes about as much), so half of that could not be reached by any
program; both figures are printed beside the target line, in MB, with the import-only RSS.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _peak_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest finished child (worker), in MB; (0, 0) where unknown."""
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return 0.0, 0.0
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale


def child(mode: str, target: Path, jobs: int, config: Path | None) -> None:
    """One measurement in this fresh process; prints a JSON line: seconds, peak RSS, digest of the findings."""
    import yaml

    gc.disable()  # as the CLI does
    os.chdir(target)  # as a user runs govlist: in the catalog repository (names are shown relative to it)
    digest = site = ""
    parts: dict[str, float] = {}  # seconds of a measurement's steps, where it has some
    if mode in ("bare", "bareheld"):
        files = sorted(p for p in target.rglob("*.yaml") if p.is_file())
        held = []
        started = time.perf_counter()
        for path in files:
            with open(path, "rb") as handle:
                document = yaml.load(handle, Loader=yaml.CSafeLoader)
            if mode == "bareheld":  # every document kept to the end, as a program that loads the set does
                held.append(document)
            del document
        seconds = time.perf_counter() - started
    elif mode == "import":  # the interpreter and govlist's imports alone: the floor of any validate's RSS
        started = time.perf_counter()
        import govlist.validate  # noqa: F401
        import govlist.report  # noqa: F401

        seconds = time.perf_counter() - started
    elif mode in ("cold", "warm"):
        from govlist.report import REPORTERS
        from govlist.validate import validate_paths

        started = time.perf_counter()
        report = validate_paths([target], config, jobs=jobs, cache=(mode == "warm"), need_catalogs=False)
        text = REPORTERS["json"](report, "zh", False)
        seconds = time.perf_counter() - started
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    elif mode in ("render", "rendercold"):
        # `govlist render` as CI runs it after `govlist validate` (the cache warm: "render"), or on its own ("rendercold");
        # validate_paths with the full catalogs, then the site; `site` is a digest of the site's files: both must agree
        from govlist.cache import open_cache
        from govlist.render import build_site
        from govlist.validate import validate_paths

        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # the site states a date: the same one in every run
        # the site is built beside the data set, on its disk, as `govlist render` builds it in the project: the system's
        # temporary folder may be another file system, where creating 3,000 files cost anywhere from 0.05 to 2.3 s
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".site-") as tmp:
            started = time.perf_counter()
            report = validate_paths([target], config, jobs=jobs, cache=(mode == "render"))
            parts["validate"] = time.perf_counter() - started
            build_site(report.catalogs, Path(tmp) / "site", links=report.project.links, cache=open_cache(report.project.path) if mode == "render" else None)
            seconds = time.perf_counter() - started
            parts["site"] = seconds - parts["validate"]
            site = _tree_digest(Path(tmp) / "site")
    elif mode in ("diff", "diffcached"):
        from govlist.checker import load_project
        from govlist.diff import diff_sides
        from govlist.diffreport import render_json
        from govlist.sources import resolve_sides

        started = time.perf_counter()
        old, new = resolve_sides(str(target / "v2024"), str(target / "v2025"))
        project, _ = load_project([target / "v2025"], None)
        text = render_json(diff_sides(old, new, project, cache=(mode == "diffcached"), jobs=jobs))
        seconds = time.perf_counter() - started
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    else:
        raise SystemExit(f"unknown mode {mode}")
    main_mb, worker_mb = _peak_mb()
    print(json.dumps({"seconds": seconds, "rss_mb": main_mb, "worker_rss_mb": worker_mb, "digest": digest, "parts": parts, "site": site}))


def _tree_digest(root: Path) -> str:
    """SHA-256 over every file of a folder (relative names and bytes, in sorted order)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


CONFIG: list[str] = []  # --config FILE for the children, when --off made one


# As a user's install runs: pip writes the bytecode of an installed package, and an editable install writes it on
# the first import. Without it every spawned worker compiles govlist's modules again (about 0.1 s each here).
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(mode: str, target: Path, jobs: int = 2, libyaml: bool = False) -> dict:
    """One measurement in a fresh process; `libyaml`: with the fast parse off (GOVLIST_PARSER=libyaml, the reference)."""
    env = {**_ENV, "GOVLIST_PARSER": "libyaml"} if libyaml else _ENV
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(target), "--jobs", str(jobs), *CONFIG], capture_output=True, text=True, cwd=REPO, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def clear_cache(data: Path) -> None:
    """No cache for the next run: the old one is moved aside in one rename and deleted once everything is measured
    (`drop_old_caches`), so that freeing thousands of files weighs on no measured run."""
    folder = (Path(CONFIG[1]).parent if CONFIG else data) / ".govlist-cache"
    if folder.exists():
        aside = folder.with_name(f".govlist-cache-old-{os.getpid()}-{len(_ASIDE)}")
        folder.rename(aside)
        _ASIDE.append(aside)


_ASIDE: list[Path] = []  # deleted at the end, and at exit when a run fails (atexit)


def drop_old_caches() -> None:
    while _ASIDE:
        shutil.rmtree(_ASIDE.pop(), ignore_errors=True)


atexit.register(drop_old_caches)


def rules_off(data: Path, rules: list[str]) -> None:
    """A copy of the set's project file with these rules off, beside the set (its cache goes there too)."""
    import yaml

    project = yaml.safe_load((data / "govlist.yaml").read_text(encoding="utf-8"))
    project.setdefault("rules", {}).update({rule: "off" for rule in rules})
    folder = data.parent / f"{data.name}-project-off"
    folder.mkdir(exist_ok=True)
    (folder / "govlist.yaml").write_text(yaml.safe_dump(project, allow_unicode=True, sort_keys=False), encoding="utf-8")
    CONFIG[:] = ["--config", str(folder / "govlist.yaml")]


def touch_one_in_100(data: Path, rename: bool = False, lists_only: bool = False) -> list[tuple[Path, bytes]]:
    """Change one file in a hundred; returns what to restore. By default a comment line at its top: new bytes, every
    line moved (its findings too), nothing the rules over the set read. With `rename`, its last item renamed:
    a field the rules over the set read, so they run again (the findings may differ); in a registry, a unit renamed,
    which every list's own rules may read. `lists_only`: one list in a hundred, no registry or entry rules."""
    from govlist.parallel import CONTEXT_KINDS, peek_kind

    files = sorted(p for p in data.rglob("*.yaml") if p.name != "govlist.yaml" and not (lists_only and peek_kind(p) in CONTEXT_KINDS))
    changed = []
    for path in files[::100][: max(1, len(files) // 100)]:
        raw = path.read_bytes()
        changed.append((path, raw))
        if rename:
            path.write_bytes(f"name: 改{time.time_ns()} ".encode().join(raw.rsplit(b"name: ", 1)))  # new bytes each time: never a cache hit
        else:
            path.write_bytes(f"# changed {time.time()}\n".encode() + raw)
    return changed


def _load() -> str:
    """The load average (1, 5, 15 min), where the OS gives it: the machine may be shared."""
    try:
        return "; load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return ""


def line(label: str, value: float, target: float | None, unit: str = "x") -> str:
    verdict = "" if target is None else ("  met" if value <= target else "  NOT met")
    goal = f"(target <= {target:.2f}{unit})" if target is not None else ""
    return f"{label:72s} {value:6.2f}{unit}   {goal}{verdict}"


def prepare(out: Path, items: int, seed: int, keep: bool, maker: str = "synth") -> dict:
    """synth.prepare (or copies.prepare, `maker`) in a process of its own, so that this one stays small: on Linux a child's peak RSS
    (`ru_maxrss`) starts at its parent's, through fork and exec, so a parent that had generated 500,000 items would
    lend every measurement its own 768 MB."""
    code = f"import json, sys; from pathlib import Path; import {maker}; print(json.dumps({maker}.prepare(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1')))"
    result = subprocess.run([sys.executable, "-c", code, str(out), str(items), str(seed), "1" if keep else "0"], capture_output=True, text=True, cwd=HERE)
    if result.returncode != 0:
        raise SystemExit(f"generating {out} failed:\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def growth(data: Path, args: argparse.Namespace) -> None:
    """Peak RSS and time of a cold validate (--jobs 2) at `args.scale` items against `args.items`, in one round."""
    big = data.parent / f"{data.name}-{args.scale}"
    prepare(big, args.scale, args.seed, True, "copies" if args.from_catalogs else "synth")
    small_cold, big_cold = run("cold", data, 2), run("cold", big, 2)
    small_rss, big_rss = max(small_cold["rss_mb"], small_cold["worker_rss_mb"]), max(big_cold["rss_mb"], big_cold["worker_rss_mb"])
    print(line(f"peak RSS at {args.scale:,} items / at {args.items:,}", big_rss / small_rss, 1.5))
    print(line(f"cold validate time at {args.scale:,} items / at {args.items:,}", big_cold["seconds"] / small_cold["seconds"], 5.5 * args.scale / 500_000))
    print(
        f"   ({args.items:,} items: {small_cold['seconds']:.1f}s, main process {small_cold['rss_mb']:.0f} MB, largest worker {small_cold['worker_rss_mb']:.0f} MB;"
        f" {args.scale:,} items: {big_cold['seconds']:.1f}s, main process {big_cold['rss_mb']:.0f} MB, largest worker {big_cold['worker_rss_mb']:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--off", action="append", default=[], metavar="RULE", help="measure with this rule off (e.g. one that fires on every synthetic item)")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=HERE / "data", help="the synthetic set (default benchmarks/data, git-ignored)")
    parser.add_argument("--keep", action="store_true", help="reuse the generated set")
    parser.add_argument("--from-catalogs", action="store_true", help="measure copies of the bundled catalogs/ (benchmarks/copies.py) instead of the synthetic set; default --out benchmarks/data-copies")
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--repeat", type=int, default=1, help="alternating rounds; the minimum of each is reported")
    parser.add_argument("--with-diff", action="store_true", help="also diff two versions of the set")
    parser.add_argument("--diff-out", type=Path, help="where the two versions for --with-diff go (default: diff_bench's benchmarks/out/diff)")
    parser.add_argument("--scale", type=int, help="also measure a set of this many items (e.g. 500000) for growth")
    parser.add_argument("--scale-only", action="store_true", help="with --scale: only the growth lines (both sets cold, --jobs 2)")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.jobs, args.config)
        return

    if args.from_catalogs and args.out == HERE / "data":
        args.out = HERE / "data-copies"
    data = args.out.resolve()
    maker = "copies" if args.from_catalogs else "synth"
    manifest = prepare(data, args.items, args.seed, args.keep, maker)
    print(f"{manifest['items']:,} items, {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB; {os.cpu_count()} CPUs; min of {args.repeat} round(s)" + (f"; rules off: {', '.join(args.off)}" if args.off else "") + _load())
    if args.off:
        rules_off(data, args.off)
    best: dict[str, dict] = {}
    digests: dict[str, set] = {}
    if args.scale and args.scale_only:
        growth(data, args)
        return

    def keep(name: str, result: dict, compared: bool = True) -> None:
        if name not in best or result["seconds"] < best[name]["seconds"]:
            best[name] = result
        if result["digest"] and compared:
            digests.setdefault(name, set()).add(result["digest"])

    run("import", data)  # bytecode written before anything is measured (_ENV)
    for round_ in range(args.repeat):
        keep("bare", run("bare", data))
        clear_cache(data)
        keep("cold2", run("cold", data, 2))
        keep("bare", run("bare", data))
        keep("cold1", run("cold", data, 1))
        keep("cold2lib", run("cold", data, 2, libyaml=True))
        clear_cache(data)
        keep("fill", run("warm", data, 2))  # cold, writing the cache
        keep("warm", run("warm", data, 2))
        changed = touch_one_in_100(data)
        try:
            keep("warm1pct", run("warm", data, 2))
        finally:
            for path, raw in changed:
                path.write_bytes(raw)
        run("warm", data, 2)  # back to the cache of the set as generated
        changed = touch_one_in_100(data, rename=True)
        try:
            keep("warm1pctname", run("warm", data, 2), compared=False)  # other findings than the set as generated
        finally:
            for path, raw in changed:
                path.write_bytes(raw)
        run("warm", data, 2)
        changed = touch_one_in_100(data, rename=True, lists_only=True)
        try:
            keep("warm1pctlist", run("warm", data, 2), compared=False)
        finally:
            for path, raw in changed:
                path.write_bytes(raw)
        keep("bare", run("bare", data))
        print(
            f"round {round_ + 1}: bare {best['bare']['seconds']:.2f}s, cold --jobs 2 {best['cold2']['seconds']:.2f}s, --jobs 1 {best['cold1']['seconds']:.2f}s, warm {best['warm']['seconds']:.2f}s, warm 1% changed {best['warm1pct']['seconds']:.2f}s (an item renamed {best['warm1pctname']['seconds']:.2f}s)",
            flush=True,
        )
    # the warm run after the comment edit moved every line of the changed files: its report is compared with a cold
    # run (no cache) of the same edit, not with the unchanged set's
    changed = touch_one_in_100(data)
    try:
        edited_cold = run("cold", data, 2)
    finally:
        for path, raw in changed:
            path.write_bytes(raw)
    keep("bare", run("bare", data))
    keep("bareheld", run("bareheld", data))
    keep("import", run("import", data))
    run("warm", data, 2)  # the cache as `govlist validate` leaves it, before `govlist render`
    run("render", data, 2)  # and the titles' words as an earlier render left them (CI keeps the cache between runs)
    sites = set()
    for _ in range(max(1, args.repeat)):
        for mode in ("render", "rendercold"):
            result = run(mode, data, 2)
            sites.add(result["site"])
            keep(mode, result)
        keep("bare", run("bare", data))
    clear_cache(data)
    drop_old_caches()

    base = best["bare"]["seconds"]
    print()
    print(line("cold validate, --jobs 2 / bare CSafeLoader load", best["cold2"]["seconds"] / base, 0.20))
    print(line("   the same, libyaml only (GOVLIST_PARSER=libyaml) / bare load", best["cold2lib"]["seconds"] / base, None))
    print(line("cold validate, --jobs 1 / bare load", best["cold1"]["seconds"] / base, 0.35))
    print(line("cold validate writing the cache, --jobs 2 / bare load", best["fill"]["seconds"] / base, None))
    print(line("warm validate, nothing changed / bare load", best["warm"]["seconds"] / base, 0.03))
    print(line("warm validate, 1 file in 100 changed (comment, 内容, 依据) / bare load", best["warm1pct"]["seconds"] / base, 0.05))
    print(line("warm validate, 1 file in 100 changed (an item renamed) / bare load", best["warm1pctname"]["seconds"] / base, 0.05))
    print(line("   the same, 1 list in 100 (no registry or entry rules) / bare load", best["warm1pctlist"]["seconds"] / base, None))
    if args.with_diff:
        import diff_bench

        if args.diff_out is not None:
            diff_bench.OUT = args.diff_out.resolve()
        for text in diff_bench.targets(args.items, args.seed, args.repeat):
            print(text)
    else:
        print(f"{'diff of two versions / bare load of both':72s} {'—':>6s}    (target <= 0.40x)  not measured: run with --with-diff")
    render, cold = best["render"], best["rendercold"]
    print(line("HTML render after validate (warm cache) / bare load", render["seconds"] / base, 0.50))
    print(line("   render cold (includes a cold validate) / bare load", cold["seconds"] / base, None))
    print(line("   site step alone (build_site) / bare load", render["parts"]["site"] / base, None))
    print(f"   (warm: validate reading the full catalogs back {render['parts']['validate'] / base:.2f}x; site identical warm/cold: {'yes' if len(sites) == 1 else 'NO'})")
    held_rss = best["bareheld"]["rss_mb"]
    cold_rss = max(best["cold2"]["rss_mb"], best["cold2"]["worker_rss_mb"])
    print(line("peak RSS of cold validate / bare load holding every document", cold_rss / held_rss, 0.50))
    print(line("   the same, --jobs 1 (one process)", best["cold1"]["rss_mb"] / held_rss, None))
    print(
        f"   (bare load holding every document {held_rss:.0f} MB; one file at a time {best['bare']['rss_mb']:.0f} MB; importing govlist alone {best['import']['rss_mb']:.0f} MB;"
        f" cold validate: main process {best['cold2']['rss_mb']:.0f} MB, largest worker {best['cold2']['worker_rss_mb']:.0f} MB; --jobs 1 {best['cold1']['rss_mb']:.0f} MB)"
    )
    if args.scale:
        growth(data, args)
    else:
        print(f"{'peak RSS and time growth to 500,000 items':72s} {'—':>6s}    (targets <= 1.5x, <= 5.5x)  not measured: run with --scale 500000")
    print(f"machine load at the end{_load()}")
    same = {name: len(found) == 1 for name, found in digests.items()}
    one = {d for name, found in digests.items() if name not in ("warm1pct", "cold2lib") for d in found}
    print(f"findings byte for byte identical, cold/warm/--jobs 1/--jobs 2: {'yes' if len(one) == 1 else 'NO'} ({len(one)} distinct JSON report{'s' if len(one) != 1 else ''}; per measurement stable: {all(same.values())})")
    edited = digests.get("warm1pct", set()) | {edited_cold["digest"]}
    print(f"findings byte for byte identical, warm with 1 file in 100 changed / the same edit cold without the cache: {'yes' if len(edited) == 1 else 'NO'}")
    parsers = digests.get("cold2", set()) | digests.get("cold2lib", set())
    print(f"findings byte for byte identical, the fast parse / libyaml only (cold --jobs 2): {'yes' if len(parsers) == 1 else 'NO'}")


if __name__ == "__main__":
    main()
