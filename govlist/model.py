"""Plain data shared by the core and the reporters: severities, bilingual text, findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """How serious a finding is. Ordered, so `--fail-on` can compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls[value.strip().upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing sentence in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one place. `line` and `column` are 1-based; 0 means the whole file."""

    rule: str
    severity: Severity
    message: Text
    file: str
    line: int = 0
    column: int = 0
    pointer: str = ""
    item: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.pointer)


def json_pointer(parts: tuple) -> str:
    """RFC 6901 pointer for a path of keys and indexes."""
    if not parts:
        return ""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
