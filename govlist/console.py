"""The `govlist` command's entry point (pyproject.toml's [project.scripts]), kept light on purpose.

Worker processes are started with `spawn` (govlist/parallel.py), which runs the program's main script again in each
of them, under the name `__mp_main__`, before their work comes. For the `govlist` command that script is the one pip
writes, which imports the module named here: were it `govlist.cli`, every worker would import the command line,
typer and rich for nothing (0.1–0.16 s a worker, on the path to its first file). This module imports nothing until
`run` is called, which only the command itself does.
"""


def run() -> None:
    """Run the command line (govlist.cli.run)."""
    try:  # Ctrl-C while Python is still loading govlist: stop as a run does, no traceback
        from .cli import run as run_cli
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    run_cli()
