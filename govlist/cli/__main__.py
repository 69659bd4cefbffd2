"""`python -m govlist.cli`: the same as the `govlist` command."""

from . import run

run()
