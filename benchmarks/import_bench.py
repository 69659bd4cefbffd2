#!/usr/bin/env python3
"""Benchmark `govlist import` on the real published tables of tests/fixtures/real.

    python benchmarks/import_bench.py                 # 20 alternating rounds, minimum taken
    python benchmarks/import_bench.py --rounds 50

Every fixture is read as a workbook: the three .xlsx twins as they are (merged two-row headers), and each CSV written
once into an .xlsx of the same cells in a temporary folder. Two sides, alternating, same process, same workbooks:

- govlist: `import_table(path, None)` for every workbook: read, guess the kind, find the (two-row) header, map the
  columns, split the cells, build the catalog (no YAML written, no validation);
- baseline: openpyxl just reading the same workbooks: `load_workbook(path, data_only=True)` and `iter_rows` of the
  first sheet into lists.

Prints tables per second for govlist and the ratio govlist / openpyxl (how many times openpyxl's own read time the
whole import takes).
"""

from __future__ import annotations

import argparse
import csv
import gc
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from govlist.importer import import_table

REPO = Path(__file__).resolve().parent.parent

REAL = REPO / "tests" / "fixtures" / "real"


def workbooks(folder: Path) -> list[Path]:
    """The fixtures as .xlsx: the committed twins, and every other CSV copied cell by cell."""
    twins = {p.stem for p in REAL.glob("*.xlsx")}
    paths = sorted(REAL.glob("*.xlsx"))
    for source in sorted(REAL.glob("*.csv")):
        if source.stem in twins:
            continue
        book = Workbook()
        ws = book.active
        for row in csv.reader(source.open(encoding="utf-8")):
            ws.append(row)
        target = folder / f"{source.stem}.xlsx"
        book.save(target)
        paths.append(target)
    return paths


def read_only(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        book = load_workbook(path, data_only=True)
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        assert rows
    return time.perf_counter() - started


def imported(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        catalog, _ = import_table(path, None)
        assert catalog["kind"]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = workbooks(Path(tmp))
        imported(paths)  # warm: imports, opencc tables, caches
        read_only(paths)
        base, ours = [], []
        for _ in range(args.rounds):
            gc.collect()
            base.append(read_only(paths))
            gc.collect()
            ours.append(imported(paths))
    b, o = min(base), min(ours)
    print(f"{len(paths)} workbooks (real published tables), min of {args.rounds} alternating rounds")
    print(f"openpyxl load_workbook + iter_rows: {b * 1000:8.1f} ms  ({len(paths) / b:6.1f} tables/s)")
    print(f"govlist import_table:              {o * 1000:8.1f} ms  ({len(paths) / o:6.1f} tables/s)")
    print(f"import / openpyxl read: {o / b:.2f}x")


if __name__ == "__main__":
    main()
