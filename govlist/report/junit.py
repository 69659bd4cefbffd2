"""JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure). Same input, same bytes.

One <testsuite name="govlist"> inside <testsuites>. Each error or warning is a <testcase classname=FILE name=RULE>
holding a <failure message=… type=SEVERITY>; info findings are not failures and are left out. Every checked file
without an error or warning appears as one passing testcase, so the totals show what was checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import Finding, Severity
from ..result import Report

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PASSED_NAME = "govlist"


def _clean(text: str) -> str:
    """XML 1.0 cannot hold control characters or lone surrogates: replace them."""
    return _NOT_XML.sub("\ufffd", text)


def _global(lang: str) -> str:
    return "（全局）" if lang == "zh" else "(global)"


def _failure_text(finding: Finding, lang: str) -> str:
    where = finding.file or _global(lang)
    if finding.line:
        where += f":{finding.line}:{finding.column}"
    lines = [f"{where}: {finding.message.get(lang)}", f"rule: {finding.rule}"]
    if finding.pointer:
        lines.append(f"pointer: {finding.pointer}")
    if finding.item:
        lines.append(f"item: {finding.item}")
    return "\n".join(lines)


def build(report: Report, lang: str) -> ET.Element:
    failing = [f for f in report.findings if f.severity >= Severity.WARNING]
    failed_files = {f.file for f in failing}
    passed_files = [path for path in report.files if path not in failed_files]
    cases: list[tuple[tuple, ET.Element]] = []
    for finding in failing:
        case = ET.Element("testcase", {"classname": _clean(finding.file or _global(lang)), "name": finding.rule})
        if finding.file:
            case.set("file", _clean(finding.file))
        if finding.line:
            case.set("line", str(finding.line))
        case.set("time", "0")
        failure = ET.SubElement(case, "failure", {"message": _clean(finding.message.get(lang)), "type": finding.severity.label})
        failure.text = _clean(_failure_text(finding, lang))
        cases.append(((finding.file, 1) + finding.sort_key(), case))
    for path in passed_files:
        case = ET.Element("testcase", {"classname": _clean(path), "name": PASSED_NAME, "file": _clean(path), "time": "0"})
        cases.append(((path, 0), case))
    cases.sort(key=lambda pair: pair[0])
    counts = {"tests": str(len(cases)), "failures": str(len(failing)), "errors": "0", "skipped": "0", "time": "0"}
    suites = ET.Element("testsuites", {"name": "govlist", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "govlist", **counts})
    suite.extend(case for _, case in cases)
    return suites


def render(report: Report, lang: str, colour: bool = False) -> str:
    root = build(report, lang)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
