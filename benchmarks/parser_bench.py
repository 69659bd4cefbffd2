#!/usr/bin/env python3
"""Fast YAML parsers against govlist's guarantees and its data: which could replace libyaml on the hot path?

    python benchmarks/parser_bench.py --out DIR                  # 20,000 items of each set in DIR, 2 rounds
    python benchmarks/parser_bench.py --out DIR --items 5000 --repeat 3
    python benchmarks/parser_bench.py --conformance-only         # no data: the checks alone
    python benchmarks/parser_bench.py --wheels                   # which platforms the package index serves wheels for

For every candidate importable here (each an optional import: install the ones you want in a scratch environment,
never as govlist's dependencies — yaml-rs is one since session 11, for govlist's guarded fast path; a candidate not
installed is skipped with a line saying so). govlist's own loader is measured both ways: with its fast path off
(libyaml alone: the reference every check is judged against) and on (yaml-rs where govlist/fastparse.py finds
nothing that could read otherwise), with the number of files of each set on which the fast path is taken:

* **conformance**: each check is a yes/no with what was seen, judged against what govlist's own loader
  (`govlist.loader.load_bytes`: libyaml composes, govlist builds the values) gives for the same bytes, not against a
  plain `yaml.safe_load` where the two differ (dates stay text, keys stay text, tags and merge keys are refused,
  aliases are bounded). The hostile fixtures of tests/fixtures/broken are extra inputs: the candidate agrees when
  both refuse the file or both give the same data. Each candidate is checked in a process of its own (a parser that
  crashes on deep nesting or runs out of memory on a billion laughs ends that process, not this one).
* **speed**: every file of two sets held in memory as bytes, each parsed by the candidate, as a ratio to
  `yaml.load(raw, Loader=yaml.CSafeLoader)` of the same bytes in the same round; rounds alternate candidates, each
  measurement in a fresh process, and the minimum of the rounds is kept. The cyclic GC is off while timing, for
  every candidate (govlist's loader parses with it off). The sets: the synthetic one (synth.py, as perf_bench makes
  it) and copies of catalogs/ (copies.py). Beside the ratio: on how many files the candidate's data equals govlist's.

The conclusion a table can support is written in docs/performance.md, section 4.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import importlib
import json
import math
import os
import re
import reprlib
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "broken"
CHILD_TIMEOUT = 120  # seconds for one candidate's checks or one timed pass; a hang is reported as such
CHILD_MEMORY = 1 << 30  # address space of a checking process, where the OS lets us set it: a billion laughs expanded
# runs out of it in seconds (govlist's loader needs far less for any check)


# --------------------------------------------------------------------------------------------------------------------
# Candidates: each turns a file's bytes into Python data (or raises), configured as close to govlist as it allows
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    name: str  # as printed
    module: str  # imported to see whether it is installed
    dist: str | None  # the distribution whose version is printed
    how: str  # the call, as printed under the table
    positions: str  # what its API offers for a node's line and column ("no" when nothing)
    data: bool = True  # False: builds its own tree only, no Python data (nothing to check)


CANDIDATES = [
    Candidate("PyYAML CSafeLoader (bare)", "yaml", "PyYAML", "yaml.load(raw, Loader=yaml.CSafeLoader)", "yes: yaml.compose() gives every node's start_mark"),
    Candidate("govlist load_bytes (libyaml)", "govlist.loader", "govlist", "govlist.loader.load_bytes(raw, path).data, the fast path off (GOVLIST_PARSER=libyaml)", "yes: Document.position / key_position"),
    Candidate("govlist load_bytes (fast path)", "yaml_rs", "yaml-rs", "govlist.loader.load_bytes(raw, path).data: yaml-rs where govlist/fastparse.py finds nothing that could read otherwise, else libyaml", "yes: Document.position / key_position"),
    Candidate("fastyaml-rs", "fast_yaml", "fastyaml-rs", "fast_yaml.safe_load(raw)", "no: marks only in errors"),
    Candidate("pyyaml-rs", "pyyaml_rs", "pyyaml-rs", "pyyaml_rs.safe_load(raw.decode())", "no"),
    Candidate("ryaml", "ryaml", "ryaml", "ryaml.loads(raw.decode())", "no"),
    Candidate("yaml-rs", "yaml_rs", "yaml-rs", "yaml_rs.loads(raw.decode(), parse_datetime=False)", "no"),
    Candidate("libfyaml", "libfyaml", "libfyaml", 'libfyaml.loads(raw, mode="yaml1.1").to_python()', "no (paths, not lines)"),
    Candidate("oryaml", "oryaml", "oryaml", "oryaml.loads(raw.decode())", "no"),
    Candidate("rustyyaml", "rustyyaml", "rustyyaml", "rustyyaml.safe_load(raw)", "no"),
    Candidate("py-yaml12", "yaml12", "py-yaml12", "yaml12.parse_yaml(raw.decode())", "no"),
    Candidate("yeptris", "yeptris", "yeptris", "yeptris.load(raw.decode())", "no"),
    Candidate("zamlpy", "zamlpy", "zamlpy", "zamlpy.load(raw)", "no"),
    Candidate("xoryaml", "xoryaml", "xoryaml", "xoryaml.loads(raw)", "no"),
    Candidate("rs-turboyaml", "turboyaml", "rs-turboyaml", "turboyaml.load(raw.decode(), strict=True, yaml_1_1_bools=True)", "no"),
    Candidate("rapidyaml (tree only)", "ryml", "rapidyaml", "ryml.parse_in_arena(raw): its own tree, no Python data", "not checked", data=False),
]
BASELINE = CANDIDATES[0]
REFERENCE = CANDIDATES[1]
FAST = CANDIDATES[2]


def loader_of(candidate: Candidate) -> Callable[[bytes], object]:
    """The candidate's `load(raw) -> data` (its module imported now)."""
    mod = importlib.import_module(candidate.module)
    name = candidate.module
    if candidate is REFERENCE or candidate is FAST:
        return lambda raw: _govlist_load(raw, candidate is FAST)
    if name == "yaml":
        return lambda raw: mod.load(raw, Loader=mod.CSafeLoader)
    if name == "libfyaml":
        return lambda raw: mod.loads(raw, mode="yaml1.1").to_python()
    if name == "ryml":
        return lambda raw: mod.parse_in_arena(raw)
    if name == "yaml_rs":
        return lambda raw: mod.loads(raw.decode("utf-8"), parse_datetime=False)
    if name in ("fast_yaml", "rustyyaml"):
        return mod.safe_load
    if name == "zamlpy":
        return mod.load
    if name == "xoryaml":
        return mod.loads
    if name == "turboyaml":
        return lambda raw: mod.load(raw.decode("utf-8"), strict=True, yaml_1_1_bools=True)
    call = {"pyyaml_rs": "safe_load", "ryaml": "loads", "oryaml": "loads", "yaml12": "parse_yaml", "yeptris": "load"}[name]
    function = getattr(mod, call)
    return lambda raw: function(raw.decode("utf-8"))  # str only: a file that is not UTF-8 fails here, as in govlist


def _govlist_load(raw: bytes, fast: bool) -> object:
    """govlist's loader with its fast path (yaml-rs, guarded) on or off; off is the reference, libyaml alone."""
    from govlist import fastparse
    from govlist.loader import load_bytes

    before = fastparse.ENABLED
    fastparse.ENABLED = fast and fastparse._yaml_rs is not None
    try:
        return load_bytes(raw, "input.yaml").data
    finally:
        fastparse.ENABLED = before


def taken_by_fast_path(raws: list[bytes]) -> int:
    """On how many of these files govlist's fast path is taken (the others are read by libyaml)."""
    from govlist import fastparse
    from govlist.loader import LoadError, _check_encoding

    count = 0
    for raw in raws:
        try:
            count += fastparse._yaml_rs is not None and fastparse.parse(_check_encoding(raw)) is not None
        except LoadError:
            pass
    return count


def installed(candidate: Candidate) -> str | None:
    """The candidate's version when it can be imported here, else None."""
    try:
        importlib.import_module(candidate.module)
    except Exception:  # not installed, or broken (a missing dependency): skipped alike
        return None
    try:
        return metadata.version(candidate.dist) if candidate.dist else "?"
    except metadata.PackageNotFoundError:
        return "?"


# --------------------------------------------------------------------------------------------------------------------
# Conformance
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a parser made of some bytes: data, or a refusal with the line it named (None: no line found)."""

    refused: bool
    data: object = None
    line: int | None = None
    message: str = ""


def outcome(load: Callable[[bytes], object], raw: bytes) -> Outcome:
    try:
        return Outcome(False, load(raw))
    except RecursionError:
        return Outcome(True, message="RecursionError")
    except Exception as exc:  # any refusal a parser raises
        return Outcome(True, line=_line_of(exc), message=f"{type(exc).__name__}: {exc}")


def _line_of(exc: BaseException) -> int | None:
    """The 1-based line an exception names: a mark's, an attribute's or its message's."""
    for attr in ("problem_mark", "context_mark", "mark"):
        mark = getattr(exc, attr, None)
        if isinstance(getattr(mark, "line", None), int):
            return mark.line + 1  # type: ignore[union-attr]
    for attr in ("line", "lineno"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    text = str(exc)
    found = re.search(r"\bline\s*:?\s*(\d+)", text, re.I) or re.search(r"\b(\d+):\d+\b", text)
    return int(found.group(1)) if found else None


_SHORT = reprlib.Repr()  # shared or deep data shown short (a billion laughs, 100,000 brackets)
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxother = 4, 8, 6, 40, 40


def show(value: object, limit: int = 70) -> str:
    text = _SHORT.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _deep(levels: int) -> bytes:
    return b"govlist: 1\nx: " + b"[" * levels + b"]" * levels + b"\n"


# (name, the bytes, how it is judged): "same" = the same data as govlist (or both refuse); "refuse" = must refuse;
# "refuse-line" = must refuse and name govlist's line; "survive" = must return or refuse (no crash, no hang);
# "bytes" = must refuse (or take text only: then govlist's UTF-8 check runs before it)
CHECKS: list[tuple[str, bytes, str]] = [
    ("duplicate key refused, with its line", b"aa: x\nbb: y\ncc: z\ndd: w\naa: v\n", "refuse-line"),
    ("`08` `09` stay text", b"a: 08\nb: 09\n", "same"),
    ("`010` is 8 (YAML 1.1 octal)", b"a: 010\n", "same"),
    ("`yes` `on` are true, `no` `off` false", b"a: yes\nb: on\nc: no\nd: off\n", "same"),
    ("unquoted dates stay text", b"a: 2024-03-01\nb: 2024-3-1\nc: 2024-03-01 10:00:00\n", "same"),
    ("keys stay text (`1:` `yes:` `~:`)", b"1: a\nyes: b\n~: c\n", "same"),
    ("other scalars as libyaml", b"a: ~\nb: null\nc:\nd: 1.5\ne: 1e3\nf: 0x1F\ng: 1_000\nh: 0b101\ni: 1:30\nj: .inf\nk: -7\nl: +1\nm: Yes\nn: NO\n", "same"),
    ("literal block scalars as libyaml", b"a: |-\n  x\n\n  y\nb: |\n  z\n\n\nc: |\n  w", "same"),  # the last: "w", not "w\n"
    ("custom tag `!foo` refused", b"a: !foo x\n", "refuse"),
    ("merge key `<<` refused", b"base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", "refuse"),
    ("anchors and aliases read", b"a: &x [1, 2]\nb: *x\n", "same"),
    ("billion laughs refused", (FIXTURES / "hostile" / "billion-laughs.yaml").read_bytes() if FIXTURES.is_dir() else b"", "refuse"),
    ("nesting 100 deep: refused or data", _deep(100), "survive"),
    ("nesting 100,000 deep: no crash", _deep(100_000), "survive"),
    ("GBK bytes refused", "title: 编码错误\n".encode("gb18030"), "bytes"),
]
POSITIONS = "node positions (line, column)"
FIXTURE_CHECK = "hostile fixtures: as govlist"


def judge(check: str, how: str, raw: bytes, got: Outcome, want: Outcome, text_only: bool) -> tuple[bool, str]:
    """(passes, what was seen) for one check."""
    seen = f"refused (line {got.line})" if got.refused else f"data {show(got.data)}"
    if got.refused and got.line is None:
        seen = f"refused, no line: {show(got.message, 60)}"
    if how == "refuse-line":
        return got.refused and got.line == want.line, seen + ("" if not got.refused or got.line == want.line else f"; govlist: line {want.line}")
    if how == "refuse":
        return got.refused, seen
    if how == "survive":
        return True, ("refused" if got.refused else "data") + ("" if got.refused == want.refused else f" (govlist: {'refused' if want.refused else 'data'})")
    if how == "bytes":
        if text_only:
            return True, "takes text only: govlist's UTF-8 check runs first"
        return got.refused, seen
    if want.refused:
        return got.refused, seen
    if got.refused:
        return False, seen
    if same(got.data, want.data):
        return True, f"data {show(got.data)}"
    return False, differences(got.data, want.data)


def same(a: object, b: object) -> bool:
    """Equal data, types included (True is not 1, "8" is not 8), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(map(_key, a)) == list(map(_key, b)) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return bool(a == b)


def _key(key: object) -> tuple[str, object]:
    return (type(key).__name__, key)


def differences(got: object, want: object) -> str:
    """The keys whose values differ (top level of a mapping), as `key: got (govlist: want)`."""
    if isinstance(got, dict) and isinstance(want, dict):
        parts = []
        for key in list(want) + [k for k in got if k not in want]:
            if key not in got:
                parts.append(f"{key!r} missing")
            elif key not in want:
                parts.append(f"extra key {key!r}")
            elif not same(got[key], want[key]):
                parts.append(f"{show(got[key], 30)} (govlist {show(want[key], 30)})")
        return "; ".join(parts)
    return f"{show(got, 40)} (govlist {show(want, 40)})"


def fixtures() -> list[Path]:
    """The hostile inputs of the test suite: every YAML file under tests/fixtures/broken."""
    found = sorted(FIXTURES.rglob("*.yaml")) if FIXTURES.is_dir() else []
    return [path for path in found if path.name != "billion-laughs.yaml"]  # a check of its own (it may end the process)


def _reference() -> Callable[[bytes], object]:
    return loader_of(REFERENCE)


def _want(raw: bytes) -> Outcome:
    """govlist's outcome, its line that of its LoadError."""
    from govlist.loader import LoadError

    try:
        return Outcome(False, _govlist_load(raw, False))
    except LoadError as exc:
        return Outcome(True, line=exc.line, message=exc.rule)


def run_check(candidate: Candidate, index: int) -> tuple[str, bool, str]:
    """One check (an index into CHECKS, then the fixtures, then positions) of `candidate`: (name, passes, seen)."""
    load = loader_of(candidate)
    text_only = "raw.decode" in candidate.how
    if index < len(CHECKS):
        name, raw, how = CHECKS[index]
        return (name, *judge(name, how, raw, outcome(load, raw), _want(raw), text_only))
    if index == len(CHECKS):
        disagree, compared, before = [], 0, 0
        for path in fixtures():
            raw = path.read_bytes()
            want = _want(raw)
            if want.refused and want.message == "parse.encoding":
                before += 1  # UTF-16, GBK, NUL: refused by govlist's encoding check, before any parser would run
                continue
            compared += 1
            got = outcome(load, raw)
            if got.refused != want.refused or (not got.refused and not same(got.data, want.data)):
                disagree.append(f"{path.parent.name}/{path.stem}: {'refused' if got.refused else 'data'}")
        seen = f"{compared - len(disagree)}/{compared} agree" + ("; not: " + ", ".join(disagree) if disagree else "")
        return (FIXTURE_CHECK, not disagree and compared > 0, seen + f" ({before} more refused by govlist's encoding check before parsing)")
    return (POSITIONS, candidate.positions.startswith("yes"), candidate.positions)


def check_count() -> int:
    return len(CHECKS) + 2


def conformance(candidate: Candidate) -> list[tuple[str, bool, str]]:
    """Every check of `candidate`, in this process (the reference is safe to check in-process)."""
    return [run_check(candidate, index) for index in range(check_count())]


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: no limit
        pass


_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def conformance_isolated(candidate: Candidate) -> list[tuple[str, bool, str]]:
    """Every check of `candidate`, in child processes: a child that dies or hangs loses only the check it was on."""
    results: list[tuple[str, bool, str]] = []
    names = [c[0] for c in CHECKS] + [FIXTURE_CHECK, POSITIONS]
    index = 0
    while index < check_count():
        command = [sys.executable, __file__, "--child-check", candidate.name, str(index)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=_ENV)
            lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[")]
        except subprocess.TimeoutExpired as exc:
            done, lines = None, [json.loads(line) for line in (exc.stdout or b"").decode().splitlines() if line.startswith("[")]
        results.extend((name, ok, seen) for name, ok, seen in lines)
        index += len(lines)
        if index < check_count() and (done is None or not lines or done.returncode != 0):
            why = "hung" if done is None else _death(done.returncode, done.stderr)
            results.append((names[index], False, why))
            index += 1
    return results


def _death(code: int, stderr: str) -> str:
    if "MemoryError" in stderr:
        return f"ran out of memory ({CHILD_MEMORY >> 30} GiB)"
    last = stderr.strip().splitlines()[-1][:60] if stderr.strip() else ""
    return f"crashed (exit {code}{': ' + last if last else ''})"


def _child_check(name: str, start: int) -> None:
    _limit_memory()
    candidate = next(c for c in CANDIDATES if c.name == name)
    sys.setrecursionlimit(10_000)
    for index in range(start, check_count()):
        print(json.dumps(run_check(candidate, index), ensure_ascii=False), flush=True)


# --------------------------------------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------------------------------------


def _canonical(data: object) -> object:
    """Data made comparable across processes: a digest of its repr with types spelled out."""
    if isinstance(data, dict):
        return {"d": [[_canonical(k), _canonical(v)] for k, v in data.items()]}
    if isinstance(data, list):
        return {"l": [_canonical(v) for v in data]}
    if isinstance(data, (datetime.date, datetime.datetime)):
        return {type(data).__name__: data.isoformat()}
    return {type(data).__name__: repr(data)}


def digest(data: object) -> str:
    return hashlib.sha256(json.dumps(_canonical(data), ensure_ascii=False).encode()).hexdigest()


def _child_time(name: str, folder: str, with_digests: bool) -> None:
    """Time one pass of `name` over every YAML file in `folder` (read first); print seconds and, if asked, digests."""
    from synth import yaml_files

    candidate = next(c for c in CANDIDATES if c.name == name)
    load = loader_of(candidate)
    raws = [path.read_bytes() for path in yaml_files(Path(folder)) if path.name != "govlist.yaml"]
    gc.collect()
    gc.disable()
    started = time.perf_counter()
    for raw in raws:
        load(raw)
    seconds = time.perf_counter() - started
    gc.enable()
    digests: list[str | None] = []
    if with_digests and candidate.data:
        for raw in raws:
            got = outcome(load, raw)
            digests.append(None if got.refused else digest(got.data))
    taken = taken_by_fast_path(raws) if candidate is FAST and with_digests else None
    print(json.dumps({"seconds": seconds, "digests": digests, "taken": taken, "files": len(raws)}))


def timed(candidate: Candidate, folder: Path, with_digests: bool) -> dict:
    command = [sys.executable, __file__, "--child-time", candidate.name, str(folder), "1" if with_digests else "0"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT * 5, env=_ENV, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"error": "hung"}
    if done.returncode != 0 or not done.stdout.strip():
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        return {"error": last[:80]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare_sets(out: Path, items: int, seed: int) -> list[tuple[str, Path, dict]]:
    """The synthetic set and the copies of catalogs/ under `out`, made as perf_bench makes them (reused when alike)."""
    from perf_bench import prepare

    return [(label, folder, prepare(folder, items, seed, True, maker)) for label, maker, folder in (("synthetic", "synth", out / f"synth-{items}"), ("copies of catalogs/", "copies", out / f"copies-{items}"))]


def _load_average() -> str:
    from perf_bench import _load

    return _load().lstrip("; ") or "load average unknown"


# --------------------------------------------------------------------------------------------------------------------
# Wheels: does the package index serve one for each platform? (asks the index: run it where pip reaches one)
# --------------------------------------------------------------------------------------------------------------------

WHEEL_PLATFORMS = {
    "Linux x86_64": ["manylinux2014_x86_64", *[f"manylinux_2_{minor}_x86_64" for minor in range(17, 40)]],  # pip takes manylinux tags literally
    "Windows amd64": ["win_amd64"],
    "macOS x86_64": ["macosx_14_0_x86_64"],  # pip accepts the older macOS versions and universal2 from this one
    "macOS arm64": ["macosx_14_0_arm64"],
}
WHEEL_PYTHONS = ("3.11", "3.13")


def wheel_for(requirement: str, platforms: list[str], python: str) -> str | None:
    """The file name of the wheel pip would pick for CPython `python` on `platforms`, or None (no wheel: an sdist
    to build, or nothing)."""
    import tempfile

    with tempfile.TemporaryDirectory() as target:
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-", "--no-deps", "--only-binary=:all:"]
        command += [arg for platform in platforms for arg in ("--platform", platform)]
        command += ["--python-version", python, "--implementation", "cp", "--target", target, requirement]
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    if done.returncode != 0 or not done.stdout.strip():
        return None
    found = json.loads(done.stdout).get("install") or []
    return found[0]["download_info"]["url"].rsplit("/", 1)[-1] if found else None


def wheels() -> str:
    """One row per candidate (its installed version, else the newest): for each platform, the CPython versions
    of WHEEL_PYTHONS that get a wheel, and the first wheel's platform tag."""
    rows = [["candidate", *WHEEL_PLATFORMS], ["---"] * (1 + len(WHEEL_PLATFORMS))]
    for candidate in CANDIDATES:
        if candidate is REFERENCE or candidate is FAST or candidate.dist is None:
            continue
        version = installed(candidate)
        requirement = f"{candidate.dist}=={version}" if version and version != "?" else candidate.dist
        cells = [requirement]
        for platforms in WHEEL_PLATFORMS.values():
            found = {python: wheel_for(requirement, platforms, python) for python in WHEEL_PYTHONS}
            got = [python for python, name in found.items() if name]
            tag = next((name for name in found.values() if name), "")
            cells.append(f"{' '.join(got)} ({tag.removesuffix('.whl').rsplit('-', 1)[-1]})" if got else "**none**")
        rows.append(cells)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


# --------------------------------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where the two data sets are made (or reused); required unless --conformance-only")
    parser.add_argument("--items", type=int, default=20_000, help="items in each set (default 20,000)")
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds; the minimum is kept")
    parser.add_argument("--conformance-only", action="store_true")
    parser.add_argument("--wheels", action="store_true", help="only ask the package index which platforms get a wheel of each candidate (pip install --dry-run)")
    parser.add_argument("--only", action="append", default=[], help="measure only this candidate (by module or printed name; repeatable); the baseline and govlist always run")
    args = parser.parse_args()
    if args.wheels:
        print(f"wheels the package index serves, for CPython {' and '.join(WHEEL_PYTHONS)} (pip install --dry-run --only-binary=:all: --platform …):")
        print(wheels())
        return
    if not args.conformance_only and args.out is None:
        parser.error("--out DIR is needed for the speed part (a folder outside the repository: the sets are large)")

    sys.path.insert(0, str(HERE))
    present: list[tuple[Candidate, str]] = []
    for candidate in CANDIDATES:
        if args.only and candidate not in (BASELINE, REFERENCE, FAST) and candidate.module not in args.only and candidate.name not in args.only:
            continue
        version = installed(candidate)
        if version is None:
            print(f"skipped {candidate.name}: `import {candidate.module}` fails here (not installed)")
        else:
            present.append((candidate, version))
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs; {_load_average()} at the start")

    checks: dict[str, list[tuple[str, bool, str]]] = {}
    for candidate, _ in present:
        if candidate.data:
            checks[candidate.name] = conformance(candidate) if candidate is REFERENCE else conformance_isolated(candidate)

    speed: dict[tuple[str, str], float | str] = {}
    equal: dict[tuple[str, str], str] = {}
    sets: list[tuple[str, Path, dict]] = []
    if not args.conformance_only:
        sets = prepare_sets(args.out, args.items, args.seed)
        for label, folder, manifest in sets:
            print(f"{label}: {manifest['items']:,} items, {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB ({folder})")
        best: dict[tuple[str, str], float] = {}
        digests: dict[tuple[str, str], list[str | None]] = {}
        taken: dict[str, str] = {}
        for round_ in range(args.repeat):
            order = present if round_ % 2 == 0 else [present[0], *reversed(present[1:])]
            for label, folder, _ in sets:
                for candidate, _ in order:
                    result = timed(candidate, folder, with_digests=round_ == 0)
                    key = (candidate.name, label)
                    if "error" in result:
                        speed[key] = result["error"]
                        continue
                    best[key] = min(best.get(key, math.inf), result["seconds"])
                    if round_ == 0 and candidate.data:
                        digests[key] = result["digests"]
                    if result.get("taken") is not None:
                        taken[label] = f"{result['taken']}/{result['files']}"
        for label, _, _ in sets:
            want = digests.get((REFERENCE.name, label))
            for candidate, _ in present:
                if candidate is not REFERENCE and (candidate.name, label) in digests and want is not None:
                    got = digests[(candidate.name, label)]
                    equal[(candidate.name, label)] = f"{sum(g is not None and g == w for g, w in zip(got, want))}/{len(want)}"
            base = best.get((BASELINE.name, label))
            for candidate, _ in present:
                key = (candidate.name, label)
                if key in best and key not in speed:
                    speed[key] = best[key] / base if base else math.nan
        bare = ", ".join(f"{label} {best[(BASELINE.name, label)]:.2f} s" for label, _, _ in sets if (BASELINE.name, label) in best)
        print(f"min of {args.repeat} alternating round(s); the bare CSafeLoader pass: {bare}; {_load_average()} at the end")
        if taken:
            print("govlist's fast path (yaml-rs) is taken on " + ", ".join(f"{files} files of {label}" for label, files in taken.items()) + "; libyaml reads the others")
    print()
    print(table(present, checks, speed, equal, [label for label, _, _ in sets]))
    print()
    for candidate, _ in present:
        print(f"  {candidate.name}: {candidate.how}")


def table(present: list[tuple[Candidate, str]], checks: dict, speed: dict, equal: dict, labels: list[str]) -> str:
    """One row per candidate: its version, its speed on each set (× CSafeLoader, and on how many files its data is
    govlist's), whether it keeps every guarantee and which checks it fails; then every check of every candidate."""
    head = ["candidate", "version", *[f"{label}: × CSafeLoader (files with govlist's data)" for label in labels], "keeps every guarantee?", "fails"]
    rows = [head, ["---"] * len(head)]
    details = []
    for candidate, version in present:
        found = checks.get(candidate.name)
        cells = [candidate.name, version]
        for label in labels:
            value = speed.get((candidate.name, label), "—")
            cell = f"{value:.2f}×" if isinstance(value, float) else str(value)
            if (candidate.name, label) in equal:
                cell += f" ({equal[(candidate.name, label)]})"
            cells.append(cell)
        if found is None:
            cells += ["not checked (no Python data)", ""]
        else:
            failed = [name for name, ok, _ in found if not ok and name != POSITIONS]
            cells += ["**yes**" if not failed else f"no ({len(failed)} of {len(found) - 1})", "; ".join(failed)]
            details.append(f"{candidate.name}:")
            details += [f"  {'yes' if ok else 'NO '}  {name}: {seen}" for name, ok, seen in found]
        rows.append([cell.replace("|", "\\|") for cell in cells])
    return "\n".join(["| " + " | ".join(row) + " |" for row in rows] + ["", "Checks (each judged against govlist's own loader; positions are for information):"] + details)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-check":
        sys.path.insert(0, str(HERE))
        _child_check(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-time":
        sys.path.insert(0, str(HERE))
        _child_time(sys.argv[2], sys.argv[3], sys.argv[4] == "1")
    else:
        main()
