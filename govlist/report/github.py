"""GitHub Actions workflow commands: one annotation per finding, then the plain summary line.

`::error file=PATH,line=L,col=C,title=RULE::MESSAGE` (warning -> ::warning, info -> ::notice). Property values and
the message are escaped as the Actions toolkit does, so a newline, comma or colon cannot break the command.
"""

from __future__ import annotations

from ..model import Finding, Severity
from ..result import Report
from .text import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, lang: str) -> str:
    props: list[tuple[str, str]] = []
    if finding.file:
        props.append(("file", finding.file))
        if finding.line >= 1:
            props.append(("line", str(finding.line)))
            if finding.column >= 1:
                props.append(("col", str(finding.column)))
    props.append(("title", finding.rule))
    message = finding.message.get(lang)
    if finding.item:
        message += f" [{finding.item}]"
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def render(report: Report, lang: str, colour: bool = False) -> str:
    lines = [command(f, lang) for f in report.findings]
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"
