"""Human-readable report: findings grouped by file, a summary line; ANSI colour only when asked (a terminal).

Catalog text and file names are shown with their control characters escaped (govlist.display.printable).
"""

from __future__ import annotations

from itertools import groupby

from ..display import printable
from ..model import SEVERITY_ZH, Severity
from ..result import Report

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def render(report: Report, lang: str, colour: bool) -> str:
    lines: list[str] = []
    for file, group in groupby(report.findings, key=lambda f: f.file):
        lines.append(_paint(printable(file) or ("（全局）" if lang == "zh" else "(global)"), "1", colour))
        for f in group:
            where = f"{f.line}:{f.column}" if f.line else "-"
            label = SEVERITY_ZH[f.severity] if lang == "zh" else f.severity.label
            item = f"  [{printable(f.item)}]" if f.item else ""
            lines.append(f"  {_paint(where.ljust(8), '2', colour)}{_paint(label.ljust(8 if lang == 'en' else 4), _COLOURS[f.severity], colour)}  {printable(f.message.get(lang))}{item}  {_paint(f.rule, '2', colour)}")
        lines.append("")
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def summary(report: Report, lang: str) -> str:
    e, w, i = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    files = len(report.files)
    suppressed = report.suppressed
    if lang == "en":
        text = f"checked {files} file{'s' if files != 1 else ''}: {e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}, {i} info"
        if report.baselined:
            inline = suppressed - report.baselined
            return text + (f" ({inline} suppressed, {report.baselined} accepted in the baseline)" if inline else f" ({report.baselined} accepted in the baseline)")
        return text + (f" ({suppressed} suppressed)" if suppressed else "")
    text = f"共检查 {files} 个文件：{e} 个错误，{w} 个警告，{i} 个提示"
    if report.baselined:
        inline = suppressed - report.baselined
        return text + (f"（{inline} 个已按注释忽略，{report.baselined} 个已在基线中接受）" if inline else f"（{report.baselined} 个已在基线中接受）")
    return text + (f"（{suppressed} 个已按注释忽略）" if suppressed else "")
