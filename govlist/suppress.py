"""Inline suppressions: `# govlist: ignore[RULE] 原因：…` on a finding's line or the line above drops it.

One place for every scope: validate applies them and reports marks without a reason or without a finding; diff
applies them to the findings on changes (gates) and leaves the reporting to validate.
"""

from __future__ import annotations

from .checker import Collector
from .loader import Document, Suppression
from .model import Finding, Text
from .ruleset import RULES


def apply_suppressions(collector: Collector, documents: list[Document], report: bool = True) -> tuple[list[Finding], int]:
    """Drop the findings an inline `# govlist: ignore[RULE] 原因：…` covers; with `report`, report reasonless marks and
    unused ones (a mark that names only rules on changes is used by `govlist diff`, never unused in validate)."""
    by_file: dict[str, dict[int, Suppression]] = {d.path: {s.line: s for s in d.suppressions} for d in documents if d.suppressions}
    if not by_file:
        return collector.findings, 0
    kept: list[Finding] = []
    used: set[tuple[str, int]] = set()
    suppressed = 0
    for finding in collector.findings:
        marks = by_file.get(finding.file, {})
        hit = None
        for line in (finding.line, finding.line - 1):
            mark = marks.get(line)
            if mark is not None and mark.reason and (finding.rule in mark.rules or "*" in mark.rules):
                hit = mark
                break
        if hit is None:
            kept.append(finding)
        else:
            used.add((finding.file, hit.line))
            suppressed += 1
    extra = Collector(collector.project)
    if not report:
        return kept, suppressed
    for path, marks in by_file.items():
        for mark in marks.values():
            if not mark.reason:
                extra.add(
                    "suppression.reason",
                    Text(f"忽略注释 ignore[{','.join(mark.rules)}] 没有写明原因，不起作用", f"suppression ignore[{','.join(mark.rules)}] gives no reason and has no effect"),
                    path,
                    mark.line,
                    1,
                )
            elif (path, mark.line) not in used and not _only_change_rules(mark):
                extra.add(
                    "suppression.unused",
                    Text(f"忽略注释 ignore[{','.join(mark.rules)}] 没有对应的发现，可以删除", f"suppression ignore[{','.join(mark.rules)}] matches no finding; remove it"),
                    path,
                    mark.line,
                    1,
                )
    return kept + extra.findings, suppressed


def _only_change_rules(mark: Suppression) -> bool:
    return all(rule_id in RULES and RULES[rule_id].scope == "changes" for rule_id in mark.rules)
