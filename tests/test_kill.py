"""Kill govlist at random points: the old output is intact every time, and no temporary is left after the next run.

render, import, export and baseline each run as a real process (subprocess, no fork) writing over an output made
from input A with input B and back; each is killed at a random moment of its run. After every kill the output must be
exactly A's or B's, never missing or half-written; after one more complete run no temporary is left beside it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

CATALOGS = REPO / "catalogs"
KILLS = 6
TEMP_MARKS = (".govlist-tmp-", ".new-", ".old-")
ENV = {**os.environ, "GOVLIST_LANG": "en", "SOURCE_DATE_EPOCH": "1700000000", "GOVLIST_TODAY": "2026-01-01"}


def _govlist(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govlist.cli", *args], cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _finish(args: list[str], cwd: Path) -> float:
    start = time.monotonic()
    code = _govlist(args, cwd).wait(timeout=300)
    assert code in (0, 1), f"govlist {' '.join(args)} exited {code}"
    return time.monotonic() - start


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return path.read_bytes() if path.exists() else None


def _stamp(path: Path) -> object:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def _wait_for_writing(process: subprocess.Popen, folder: Path, output: Path, deadline: float) -> None:
    """Return as soon as the run starts writing: a temporary appears beside the output, or the output changes."""
    before = _stamp(output)
    while process.poll() is None and time.monotonic() < deadline:
        if _temporaries(folder) or _stamp(output) != before:
            return
        time.sleep(0.0005)


def _temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if any(mark in n for mark in TEMP_MARKS))


def _csv(rows: int, tag: str) -> str:
    return "事项名称,事项编码,事项内容\n" + "".join(f"{tag}事项{i},{tag}-{i:04d},内容{i}\n" for i in range(rows))


def _cases(tmp: Path) -> dict[str, tuple[list[str], list[str], Path]]:
    (tmp / "a.csv").write_text(_csv(3000, "甲"), encoding="utf-8")
    (tmp / "b.csv").write_text(_csv(2000, "乙"), encoding="utf-8")
    for name, source in (("a.yaml", CATALOGS / "xx-district" / "power.yaml"), ("b.yaml", CATALOGS / "gumei" / "street-duty.yaml")):
        (tmp / name).write_bytes(source.read_bytes())
    for tag, count in (("a", 1500), ("b", 1000)):  # lists whose every item repeats the one before: a finding each
        (tmp / f"set-{tag}").mkdir()
        items = "".join(f"  - name: 事项{i // 2}\n" for i in range(count))
        (tmp / f"set-{tag}" / "list.yaml").write_text(f"govlist: 1\nkind: duty\nid: {tag}\ntitle: {tag}\nitems:\n{items}", encoding="utf-8")
    return {
        "render": (["render", str(CATALOGS / "xx-district"), "-o", "site", "--allow-errors", "--no-progress"], ["render", str(CATALOGS / "gumei"), "-o", "site", "--allow-errors", "--no-progress"], tmp / "site"),
        "import": (["import", "a.csv", "--kind", "duty", "-o", "out.yaml", "--id", "x", "--force"], ["import", "b.csv", "--kind", "duty", "-o", "out.yaml", "--id", "x", "--force"], tmp / "out.yaml"),
        "export": (["export", "a.yaml", "-o", "out.csv", "--force"], ["export", "b.yaml", "-o", "out.csv", "--force"], tmp / "out.csv"),
        "baseline": (["baseline", "set-a", "-o", "bl.yaml"], ["baseline", "set-b", "-o", "bl.yaml"], tmp / "bl.yaml"),
    }


@pytest.mark.parametrize("command", ["render", "import", "export", "baseline"])
def test_killed_at_random_points_the_old_output_stays_whole(tmp_path, command):
    args_a, args_b, output = _cases(tmp_path)[command]
    _finish(args_b, tmp_path)
    ref_b = _snapshot(output)
    duration = _finish(args_a, tmp_path)
    ref_a = _snapshot(output)
    assert ref_a and ref_b and ref_a != ref_b
    rng = random.Random(f"{command}-16")
    for kill in range(KILLS):
        args = args_b if kill % 2 == 0 else args_a
        process = _govlist(args, tmp_path)
        if kill < KILLS // 2:  # at a random moment of the run
            time.sleep(rng.uniform(0.05, duration * 1.1))
        else:  # the moment it starts writing, where a non-atomic write would be caught half-done
            _wait_for_writing(process, tmp_path, output, time.monotonic() + 10 * duration)
        process.kill()
        process.wait(timeout=60)
        assert _snapshot(output) in (ref_a, ref_b), f"kill {kill}: the output of {command} is neither the old nor the new one"
    _finish(args_a, tmp_path)
    assert _snapshot(output) == ref_a
    assert _temporaries(tmp_path) == []
