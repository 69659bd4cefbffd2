"""Accepted findings (the baseline): `govlist baseline` records the current findings, `validate` then reports only
what is new. The core: it never prints.

The baseline file (`.govlist-baseline.yaml` beside govlist.yaml) lists entries
{fingerprint, rule, file, item, message, approved_by?, until?, reason?}. The fingerprint hashes the rule, the file
(relative to the baseline's folder), the JSON pointer and the item code — never the line, so an entry survives lines
moving; when the finding names an item, the pointer is taken from the item on, so it survives other items being
inserted before it too. A waiver whose `until` date has passed no longer applies: its finding is reported again, and
the waiver itself is reported as `baseline.expired`. An entry that matches no finding in the files checked is
reported as `baseline.unused` (info). "Today" is the clock's date unless GOVLIST_TODAY (YYYY-MM-DD) or a parameter
says otherwise (tests).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .loader import LoadError, load_file
from .model import Finding, Text, finding_fingerprint as model_fingerprint

BASELINE_FILE = ".govlist-baseline.yaml"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    file: str
    item: str | None = None
    message: str = ""
    approved_by: str | None = None
    until: _dt.date | None = None
    reason: str | None = None
    line: int = 0  # where the entry starts in the baseline file (0 for a new entry)
    column: int = 0


def today() -> _dt.date:
    value = os.environ.get("GOVLIST_TODAY")
    return parse_date(value) if value else _dt.date.today()


def parse_date(value: object) -> _dt.date:
    """A date as written in YAML (a date, or YYYY-MM-DD text). Raises ValueError."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip())


def relative_file(file: str, base: Path) -> str:
    """A finding's file (as displayed: relative to the working folder, or absolute) relative to `base`, with /."""
    if not file:
        return ""
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return Path(os.path.relpath(absolute.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()


def finding_fingerprint(finding: Finding, base: Path) -> str:
    """The finding's fingerprint (govlist.model), with its file relative to the baseline's folder."""
    return model_fingerprint(finding, relative_file(finding.file, base))


def default_path(project_path: Path | None) -> Path:
    """The baseline beside the project file, else in the working folder."""
    return (project_path.parent if project_path is not None else Path.cwd()) / BASELINE_FILE


class BaselineError(Exception):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def load_baseline(path: Path, shown: str | None = None) -> list[Entry]:
    """The entries of a baseline file. Raises BaselineError when it cannot be read or is not a baseline."""
    shown = shown or path.as_posix()
    try:
        doc = load_file(path, shown)
    except LoadError as exc:
        where = f"{shown}:{exc.line}:{exc.column}" if exc.line else shown
        raise BaselineError(Text(f"基线文件 {where}：{exc.message.zh}", f"baseline {where}: {exc.message.en}")) from None
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "baseline" or not isinstance(data.get("entries") or [], list):
        raise BaselineError(Text(f"{shown} 不是基线文件（应有 kind: baseline 和 entries 列表）", f"{shown} is not a baseline file (expected kind: baseline and a list of entries)"))
    entries = []
    for index, raw in enumerate(data.get("entries") or []):
        line, column = doc.position(("entries", index))
        where = f"{shown}:{line}:{column}"
        if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str) or not isinstance(raw.get("rule"), str):
            raise BaselineError(Text(f"{where}：基线条目应为含 fingerprint 和 rule 的映射", f"{where}: a baseline entry must be a mapping with a fingerprint and a rule"))
        until = None
        if raw.get("until") not in (None, ""):
            try:
                until = parse_date(raw["until"])
            except ValueError:
                raise BaselineError(Text(f"{where}：until 应为日期 YYYY-MM-DD，而不是“{raw['until']}”", f"{where}: until must be a date YYYY-MM-DD, not '{raw['until']}'")) from None
        entries.append(
            Entry(
                raw["fingerprint"],
                raw["rule"],
                str(raw.get("file") or ""),
                None if raw.get("item") is None else str(raw["item"]),
                str(raw.get("message") or ""),
                None if raw.get("approved_by") is None else str(raw["approved_by"]),
                until,
                None if raw.get("reason") is None else str(raw["reason"]),
                line,
                column,
            )
        )
    return entries


@dataclass
class Applied:
    kept: list[Finding]
    accepted: int
    expired: list[Entry]
    unused: list[Entry]


def apply_baseline(findings: list[Finding], entries: list[Entry], base: Path, checked_files: list[str], on: _dt.date) -> Applied:
    """Drop the findings a current entry accepts; the expired entries (their findings stay) and the unused entries
    among those about a checked file."""
    by_print: dict[str, Entry] = {}
    for written in entries:
        by_print.setdefault(written.fingerprint, written)
    kept: list[Finding] = []
    used: set[str] = set()
    accepted = 0
    for finding in findings:
        entry = by_print.get(finding_fingerprint(finding, base)) if finding.rule != "internal.error" else None
        if entry is None:
            kept.append(finding)
            continue
        used.add(entry.fingerprint)
        if entry.until is not None and entry.until < on:
            kept.append(finding)
        else:
            accepted += 1
    expired = [e for e in by_print.values() if e.fingerprint in used and e.until is not None and e.until < on]
    checked = {relative_file(f, base) for f in checked_files}
    unused = [e for e in by_print.values() if e.fingerprint not in used and e.file in checked]
    return Applied(kept, accepted, expired, unused)


def entries_for(findings: list[Finding], base: Path, lang: str, previous: list[Entry], approved_by: str | None = None, until: _dt.date | None = None, reason: str | None = None) -> list[Entry]:
    """Baseline entries for the current findings: an entry already in the baseline keeps its waiver (who, until, why);
    a new one takes the given ones. One entry per fingerprint, sorted by file, rule, item."""
    old = {e.fingerprint: e for e in previous}
    made: dict[str, Entry] = {}
    for finding in findings:
        if finding.rule.startswith("baseline.") or finding.rule == "internal.error":
            continue
        fp = finding_fingerprint(finding, base)
        if fp in made:
            continue
        before = old.get(fp)
        made[fp] = Entry(
            fp,
            finding.rule,
            relative_file(finding.file, base),
            finding.item,
            finding.message.get(lang),
            before.approved_by if before else approved_by,
            before.until if before else until,
            before.reason if before else reason,
        )
    return sorted(made.values(), key=lambda e: (e.file, e.rule, e.item or "", e.fingerprint))


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_baseline(entries: list[Entry]) -> str:
    """The baseline file's text: stable, one entry per finding, strings quoted."""
    lines = [
        "# govlist 基线：已接受的发现。govlist validate 只报告新的发现。用 govlist baseline 重新生成；",
        "# 可为条目加上 approved_by（批准人）、until（有效期至 YYYY-MM-DD）和 reason（原因）。",
        "# govlist baseline: accepted findings; govlist validate reports only new ones. Regenerate with `govlist baseline`;",
        "# an entry may carry approved_by, until (YYYY-MM-DD) and reason.",
        f"govlist: {FORMAT}",
        "kind: baseline",
    ]
    if not entries:
        lines.append("entries: []")
    else:
        lines.append("entries:")
    for e in entries:
        lines.append(f"  - fingerprint: {_scalar(e.fingerprint)}")
        lines.append(f"    rule: {_scalar(e.rule)}")
        lines.append(f"    file: {_scalar(e.file)}")
        if e.item is not None:
            lines.append(f"    item: {_scalar(e.item)}")
        lines.append(f"    message: {_scalar(e.message)}")
        if e.approved_by is not None:
            lines.append(f"    approved_by: {_scalar(e.approved_by)}")
        if e.until is not None:
            lines.append(f"    until: {_scalar(e.until.isoformat())}")
        if e.reason is not None:
            lines.append(f"    reason: {_scalar(e.reason)}")
    return "\n".join(lines) + "\n"


def expired_message(entry: Entry) -> Text:
    who = entry.approved_by or "?"
    what_zh = f"{entry.rule}" + (f"（{entry.item}）" if entry.item else "") + f" @ {entry.file}"
    what_en = f"{entry.rule}" + (f" ({entry.item})" if entry.item else "") + f" in {entry.file}"
    until = entry.until.isoformat() if entry.until else "?"
    return Text(
        f"基线中对 {what_zh} 的豁免（{who} 批准）已于 {until} 到期，该发现重新报告；请改正，或经批准后延长 until",
        f"the waiver for {what_en} (approved by {who}) expired on {until}, so the finding is reported again; fix it, or renew until with approval",
    )


def unused_message(entry: Entry) -> Text:
    what = entry.rule + (f" [{entry.item}]" if entry.item else "")
    return Text(
        f"基线条目 {what}（{entry.file}）没有对应的发现，问题可能已改正；重新运行 govlist baseline 或删除该条目",
        f"baseline entry {what} ({entry.file}) matches no finding; the problem may be fixed: run govlist baseline again or remove the entry",
    )
