"""Plain data shared by the core and the reporters: severities, bilingual text, findings."""

from __future__ import annotations

import difflib
import errno
import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


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

    def pair(self) -> tuple[str, str]:
        return self.zh, self.en


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


def hint(zh: str, en: str | None = None) -> Text:
    """The bilingual clause that suggests what the user may have meant: （是否想写“…”？） / (did you mean '…'?)."""
    return Text(f"（是否想写“{zh}”？）", f" (did you mean '{zh if en is None else en}'?)")


NO_HINT = Text("", "")


def did_you_mean(value: str, candidates: Iterable[str], cutoff: float = 0.6) -> Text:
    """A hint naming the candidate closest to `value` (difflib's ratio at least `cutoff`), or empty text."""
    match = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return hint(match[0]) if match else NO_HINT


def fingerprint(*parts: str, length: int = 16) -> str:
    """The one fingerprint: a hash of the parts (hex, `length` digits). Findings (baseline, SARIF) and changes (diff
    acceptance) are identified by it, so the same thing has the same fingerprint in every output and every run."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:length]


_ITEM_PREFIX = re.compile(r"^.*/(?:items|units|subitems)/\d+")


def finding_fingerprint(finding: Finding, file: str | None = None) -> str:
    """A finding's fingerprint, stable over line shifts: the rule, the file (`file` when given: the baseline's view of
    it), the pointer — from the item on when the finding names one, so that items inserted before it do not change it
    — and the item code."""
    pointer = _ITEM_PREFIX.sub("", finding.pointer, count=1) if finding.item else finding.pointer
    return fingerprint(finding.rule, finding.file if file is None else file, pointer, finding.item or "")


_OS_REASONS = {
    errno.ENOENT: ("没有这个文件或目录", "no such file or folder"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("不允许这样操作", "operation not permitted"),
    errno.EROFS: ("文件系统只读", "read-only file system"),
    errno.ENOSPC: ("磁盘已满", "no space left on the device"),
    errno.ENOTDIR: ("路径中有一部分不是目录", "a part of the path is not a folder"),
    errno.EISDIR: ("这是一个目录", "it is a folder"),
    errno.EEXIST: ("已存在", "it exists already"),
}


def os_reason(exc: OSError, path: Path | None = None) -> Text:
    """Why the system refused, in both languages (the system's own words where the reason is not a common one).

    `path`, the file being written, makes two common reasons plain: a file standing where a folder of its path should
    be (the system says "exists" or "not a directory"), and a file that cannot be replaced because it is open in
    Excel or WPS (Windows says "permission denied")."""
    if path is not None and exc.errno in (errno.EEXIST, errno.ENOTDIR):
        blocker = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
        if blocker is not None:
            return Text(f"{blocker} 是文件，不是目录", f"{blocker} is a file, not a folder")
    if path is not None and exc.errno in (errno.EACCES, errno.EPERM) and path.is_file():
        return Text("没有权限；如果它正在 Excel、WPS 或其他程序中打开，请关闭后再试", "permission denied; if it is open in Excel, WPS or another program, close it and try again")
    zh_en = _OS_REASONS.get(exc.errno or -1)
    if zh_en:
        return Text(*zh_en)
    reason = exc.strerror or type(exc).__name__
    return Text(reason, reason)
