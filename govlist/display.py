"""Strings on their way to a person or a file: file names as valid UTF-8, terminal text without control characters.

A file name on POSIX is bytes; Python hands one that is not UTF-8 over with lone surrogates (surrogateescape),
which no JSON, SARIF or UTF-8 file can hold. `safe_name` shows such bytes as `\\xff`. Catalog text reaches the
terminal as it was written: `printable` shows control characters, escape sequences and bidirectional overrides as
escapes (`\\x1b`, `\\u202e`), so a name cannot clear the screen, recolour the report, forge a link (OSC 8) or reorder
what a reader sees.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, line/paragraph separators and the bidirectional embedding/override/isolate marks
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control character escaped (newlines kept as they are when `keep_newlines`)."""
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def safe_name(name: str) -> str:
    """A file name as valid UTF-8 text: bytes that were not UTF-8 (surrogate escapes) shown as \\xNN."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte (a Windows file name)
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def columns(text: str) -> int:
    """The terminal columns `text` takes: two for a Chinese character or a full-width sign, one for the others."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces to fill `width` terminal columns (str.ljust counts a Chinese character as one)."""
    return text + " " * max(width - columns(text), 0)
