"""The long fuzzing pass: `python tests/fuzz/long.py --inputs 50000` (or `--minutes 30`).

Runs the harness's four mutators (YAML text, catalog structure, diff pairs, spreadsheets) in proportion and reports
inputs tried, internal errors, hangs, findings without a location, the slowest input and peak memory; the failing
inputs go to a JSON report (--report). Exit 1 when anything failed. A watchdog aborts the run with every thread's
traceback when one input runs longer than --abort seconds, so a real hang cannot stall it silently.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from harness import HANG_SECONDS, Tally, Workspace, catalog_structures, check_catalog_bytes, check_diff_pair, check_spreadsheet, diff_pairs, peak_memory_mib, spreadsheets, yaml_texts

#: a folder in memory (Linux): each input writes a few files, and the cache fsyncs what it writes; on a disk the
#: fsyncs were a tenth of the time an input took
RAM_FOLDER = Path("/dev/shm")
SHARES = {"yaml-text": 0.35, "catalog-structure": 0.30, "diff-pair": 0.20, "spreadsheet": 0.15}


class _Stop(Exception):
    pass


def write_report(tally: Tally, started: float, path: Path | None) -> dict:
    """The figures so far (written every 1,000 inputs too, so a run that is stopped still leaves them)."""
    peak = peak_memory_mib()
    figures = {
        "inputs": tally.inputs,
        "by_target": tally.by_target,
        "internal_errors": len(tally.internal),
        "hangs": len(tally.hangs),
        "hang_threshold_cpu_seconds": HANG_SECONDS,
        "unlocated_findings": len(tally.unlocated),
        "slowest_input_cpu_seconds": round(tally.slowest, 2),
        "seconds": round(time.monotonic() - started),
        "peak_memory_mib": None if peak is None else round(peak),
    }
    if path is not None:
        path.write_text(json.dumps({"figures": figures, "internal": tally.internal[:200], "unlocated": tally.unlocated[:200], "hangs": tally.hangs[:50], "slowest": tally.slowest_input}, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=50_000, help="inputs to try in all (default 50,000)")
    parser.add_argument("--minutes", type=float, default=0, help="stop after this long even if fewer inputs were tried")
    parser.add_argument("--abort", type=float, default=120, help="abort the run when one input takes this long (seconds)")
    parser.add_argument("--cli-every", type=int, default=50, help="also run the real CLI on every Nth catalog-structure input")
    parser.add_argument("--report", type=Path, default=None, help="write the figures and failing inputs as JSON here")
    parser.add_argument("--targets", default=",".join(SHARES), help="which mutators, comma-separated (default: all, in proportion)")
    parser.add_argument("--scratch", type=Path, default=RAM_FOLDER if RAM_FOLDER.is_dir() else None, help="where the scratch folder goes (default: /dev/shm where there is one, else the system's temp folder)")
    args = parser.parse_args()

    tally = Tally()
    ws = Workspace(args.scratch)
    started = time.monotonic()
    deadline = started + args.minutes * 60 if args.minutes else None
    counter = {"n": 0}

    def record(target: str, outcome, sample) -> None:
        tally.add(target, outcome, sample)
        faulthandler.dump_traceback_later(args.abort, exit=True)
        if tally.inputs % 1000 == 0:
            figures = write_report(tally, started, args.report)
            print(f"{tally.inputs:>7} inputs  {figures['seconds']:7} s  internal {len(tally.internal)}  unlocated {len(tally.unlocated)}  hangs {len(tally.hangs)}  peak {figures['peak_memory_mib']} MiB", flush=True)
        if deadline is not None and time.monotonic() > deadline:
            raise _Stop

    def run(target: str, strategy, check, share: float) -> None:
        budget = max(1, int(args.inputs * share))

        @settings(max_examples=budget, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(sample=strategy)
        def body(sample) -> None:
            counter["n"] += 1
            record(target, check(sample, counter["n"]), sample)

        body()

    faulthandler.dump_traceback_later(args.abort, exit=True)
    chosen = [t.strip() for t in args.targets.split(",") if t.strip() in SHARES]
    total = sum(SHARES[t] for t in chosen) or 1
    shares = {t: SHARES[t] / total for t in chosen}
    try:
        for target in chosen:
            strategy, check = {
                "yaml-text": (yaml_texts(), lambda raw, n: check_catalog_bytes(raw, ws)),
                "catalog-structure": (catalog_structures(), lambda raw, n: check_catalog_bytes(raw, ws, cli=n % args.cli_every == 0)),
                "diff-pair": (diff_pairs(), lambda pair, n: check_diff_pair(pair, ws)),
                "spreadsheet": (spreadsheets(), lambda sheet, n: check_spreadsheet(sheet, ws)),
            }[target]
            run(target, strategy, check, shares[target])
    except _Stop:
        pass
    finally:
        faulthandler.cancel_dump_traceback_later()
        ws.close()
    figures = write_report(tally, started, args.report)
    print(json.dumps(figures, indent=2))
    for kind, rows in (("internal error", tally.internal), ("unlocated finding", tally.unlocated), ("hang", tally.hangs)):
        for row in rows[:5]:
            print(f"--- {kind} ({row[0]}):\n{row[1]}\n    input: {str(row[-1])[:300]}", file=sys.stderr)
    return 1 if tally.internal or tally.unlocated or tally.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
