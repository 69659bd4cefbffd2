"""Advice that depends on the system govlist runs on: the command or the place to look on Linux, Windows or macOS.
The one home for it, so that `govlist doctor` and the errors of publishing give the same advice."""

from __future__ import annotations

import sys

from .model import Text


def on_system(linux: str, windows: str, macos: str) -> Text:
    """The advice for the system govlist runs on, each written "中文 | English" (or once, a command alike in both)."""
    chosen = windows if sys.platform == "win32" else macos if sys.platform == "darwin" else linux
    zh, _, en = chosen.partition(" | ")
    return Text(zh, en or zh)
