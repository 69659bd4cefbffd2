"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, VS Code SARIF viewer). Same input, same bytes.

One run; the driver lists the rules that have findings (in id order); each result points at its rule by id and
index. Locations are relative URIs under `%SRCROOT%` with forward slashes; a finding about a whole file (line 0)
has no region. `partialFingerprints` hash the rule, file, JSON pointer and item code, never the line, so an alert
keeps its identity when lines move.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from .. import __version__
from ..model import Finding, Severity, finding_fingerprint
from ..ruleset import RULES
from ..result import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "govlist/v2"  # v2: the one finding fingerprint (govlist.model), stable when items are inserted before
INFORMATION_URI: str | None = None  # no project home page yet: leave informationUri out

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_name(rule_id: str) -> str:
    """A non-localised identifier for the rule: `totals.category-items` -> `TotalsCategoryItems`."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def artifact_location(file: str) -> dict:
    """A relative URI under %SRCROOT% (forward slashes, percent-encoded); an absolute path becomes a file: URI."""
    path = file.replace("\\", "/") if os.sep == "\\" else file  # on POSIX a backslash is part of a name (\\xff: display.safe_name)
    if PurePosixPath(path).is_absolute() or PureWindowsPath(file).is_absolute():
        if re.match(r"^[A-Za-z]:/", path):
            path = "/" + path
        return {"uri": "file://" + quote(path, safe="/:")}
    while path.startswith("./"):
        path = path[2:]
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _descriptor(rule_id: str, lang: str) -> dict:
    rule = RULES.get(rule_id)
    descriptor: dict = {"id": rule_id, "name": rule_name(rule_id)}
    if rule is None:  # a rule id the registry does not know (should not happen): still a valid descriptor
        return descriptor
    documentation = rule.documentation(lang)
    descriptor["shortDescription"] = {"text": rule.title.get(lang)}
    if documentation:
        descriptor["fullDescription"] = {"text": documentation}
        descriptor["help"] = {"text": documentation}
    descriptor["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    return descriptor


def _result(finding: Finding, index: int, lang: str) -> dict:
    result: dict = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message.get(lang)},
    }
    if finding.file:
        physical: dict = {"artifactLocation": artifact_location(finding.file)}
        if finding.line >= 1:
            region = {"startLine": finding.line}
            if finding.column >= 1:
                region["startColumn"] = finding.column
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding_fingerprint(finding)}
    properties: dict = {"pointer": finding.pointer}
    if finding.item is not None:
        properties["item"] = finding.item
    result["properties"] = properties
    return result


def build(report: Report, lang: str) -> dict:
    """The SARIF log as plain data."""
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver: dict = {"name": "govlist", "version": __version__}
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [_descriptor(rule_id, lang) for rule_id in rule_ids]
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], lang) for f in report.findings],
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(report: Report, lang: str, colour: bool = False) -> str:
    return json.dumps(build(report, lang), ensure_ascii=False, indent=2) + "\n"
