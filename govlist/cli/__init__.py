"""The command line: parse options, call the core, hand the result to a reporter, choose the exit code.

Exit codes: 0 nothing reached --fail-on; 1 something did; 2 usage error (unknown option, missing path, bad value);
3 internal error (a defect: run again with --debug for the traceback).

The commands by what they do, each a function with its options and help text and a short body that calls the core:
check.py (validate, rules, schema, stats, init, baseline, doctor, cache), spreadsheets.py (import, export),
compare.py (diff, changelog, matrix), publish.py (render). app.py holds the application and what commands share.
They are registered here, in the order `govlist -h` lists them.
"""

from __future__ import annotations

import gc
import sys

try:  # Ctrl-C while Python is still loading govlist (the first tenth of a second): stop as a run does, no traceback
    from ..i18n import detect_lang
    from ..model import Text
    from . import check, compare, publish, spreadsheets
    from .app import app, brief
except KeyboardInterrupt:
    raise SystemExit(130) from None

app.command()(check.validate)
app.command()(check.rules)
app.command()(check.schema)
app.command()(check.stats)
app.command("import")(spreadsheets.import_)
app.command()(spreadsheets.export)
app.command()(compare.diff)
app.command()(compare.changelog)
app.command()(publish.render)
app.command()(check.init)
app.command()(check.baseline)
app.command()(compare.matrix)
app.add_typer(check.cache_app, name="cache")
app.command()(check.doctor)


def run() -> None:
    """Console entry point: no traceback reaches the user unless --debug."""
    # A short-lived process: cyclic-GC passes over the loaded catalogs (a gigabyte for 100,000 items) while reporting
    # cost seconds and free nothing that exiting does not (measured: 14.6 s -> 8.1 s for validate at 100,000 items).
    gc.disable()
    try:
        app()
    except SystemExit:
        # What the command made is written and closed; what is left lives until the process ends. Python's exit
        # still runs one full collection over every object alive, the collector off or not (0.6-1.0 s of CPU after
        # a cold validate of 100,855 items in 2,990 files), to free what exiting frees anyway: the objects are set
        # aside (gc.freeze) so that it looks at none of them.
        gc.freeze()
        raise
    except BaseException as exc:  # pragma: no cover - last resort
        if "--debug" in sys.argv:
            raise
        lang = detect_lang(None)
        what = brief(exc)
        message = Text(f"内部错误：{what}。请加 --debug 重新运行并报告此问题。", f"internal error: {what}. Run again with --debug and report it.")
        sys.stderr.write(("错误：" if lang == "zh" else "Error: ") + message.get(lang) + "\n")
        sys.exit(3)
