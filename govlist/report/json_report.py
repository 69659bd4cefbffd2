"""The stable JSON report (documented in docs/output.md). Same input, same bytes."""

from __future__ import annotations

import json

from .. import __version__
from ..model import Severity
from ..result import Report

FORMAT_VERSION = 1


def render(report: Report, lang: str, colour: bool = False) -> str:
    document = {
        "format": FORMAT_VERSION,
        "tool": {"name": "govlist", "version": __version__},
        "summary": {
            "files": len(report.files),
            "catalogs": len(report.catalogs),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "suppressed": report.suppressed,
        },
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.label,
                "message": f.message.get(lang),
                "message_zh": f.message.zh,
                "message_en": f.message.en,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "pointer": f.pointer,
                "item": f.item,
            }
            for f in report.findings
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
