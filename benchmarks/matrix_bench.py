"""govlist matrix for 1,000 units × 300 items, as a ratio against loading the same files (load_side)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from govlist.checker import Collector
from govlist.diff import load_side
from govlist.matrix import build_matrix
from govlist.project import build_project
from govlist.sources import _disk_side

UNITS, ITEMS = 1000, 300


def write_set(root: Path) -> None:
    names = [f"事项{i:03d}：对违反规定行为第{i}项的检查与处置" for i in range(ITEMS)]
    lines = ["govlist: 1", "kind: duty", "id: template", "title: 模板", "level: 街道", "items:"]
    lines += [f'  - {{code: "T{i:03d}", name: "{n}"}}' for i, n in enumerate(names)]
    (root / "template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for u in range(UNITS):
        lines = ["govlist: 1", "kind: duty", f"id: unit-{u:04d}", f"title: 单位{u}", "level: 街道", "parent: {list: template, mode: extends}", "items:"]
        for i, n in enumerate(names):
            if (i + u) % 37 == 0:
                continue  # an item this unit lacks
            name = n + "（试行）" if (i * u) % 101 == 1 else n
            lines.append(f'  - {{code: "T{i:03d}", name: "{name}"}}')
        lines.append(f'  - {{name: "本单位事项{u}", local: true}}')
        (root / f"unit-{u:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_set(root)
        t0 = time.perf_counter()
        catalogs = load_side(_disk_side([str(root)]), Collector(build_project(None, None)))
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        matrix = build_matrix(catalogs, "duty", "街道")
        build = time.perf_counter() - t0
    print(f"matrix {len(matrix.units)} units × {len(matrix.rows)} items: building the matrix takes {build / load:.2f}x loading the files ({load:.1f} s)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
