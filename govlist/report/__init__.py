"""Reporters turn a whole validation Report into one string. Each sees the whole result once."""

from __future__ import annotations

from collections.abc import Callable

from ..result import Report
from . import github, json_report, junit, sarif, text

Reporter = Callable[[Report, str, bool], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}
