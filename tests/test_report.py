"""Reporters: golden files for every format, plus structural checks of SARIF, GitHub commands, JUnit and JSON.

The golden catalog set is tests/fixtures/broken/set (findings of several rules and all three severities, one at
line 0). Only the loader/schema/totals/suppression rules are kept in the golden report, so that rules added later
do not change the golden files; regenerate them with `pytest --regen-golden` (or GOVLIST_REGEN_GOLDEN=1).
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from govlist.model import Finding, Severity, Text
from govlist.project import build_project
from govlist.report import REPORTERS, github, json_report, junit, sarif, text
from govlist.result import Report
from govlist.validate import validate_paths

from conftest import REPO

SET = Path("tests/fixtures/broken/set")
GOLDEN_RULE_PREFIXES = ("parse.", "schema.", "totals.", "suppression.")


def _fixture_report() -> Report:
    old = Path.cwd()
    os.chdir(REPO)
    try:
        report = validate_paths([SET], debug=True)
    finally:
        os.chdir(old)
    kept = [f for f in report.findings if f.rule.startswith(GOLDEN_RULE_PREFIXES)]
    return replace(report, findings=kept)


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return _fixture_report()


def _synthetic_report() -> Report:
    """Hand-made findings for the edge cases: a global finding, line 0, characters that need escaping."""
    findings = [
        Finding("internal.error", Severity.ERROR, Text("规则内部错误：boom", "rule failed: boom"), ""),
        Finding("parse.io", Severity.ERROR, Text("没有读取权限", "permission denied"), "data/无权限.yaml"),
        Finding(
            "schema.enum",
            Severity.WARNING,
            Text("值“50%”无效：\r\n第二行, 第三: 部分", "value '50%' is invalid:\r\nsecond line, third: part"),
            "data/a,b:c.yaml",
            3,
            7,
            "/items/0/type",
            "A-001",
        ),
        Finding("totals.items", Severity.INFO, Text("声明 <2> 项 & 实际 \"3\" 项", "declares <2> & lists \"3\""), "data/x.yaml", 2, 1, "/declared/items"),
    ]
    findings.sort(key=Finding.sort_key)
    files = ["data/a,b:c.yaml", "data/clean.yaml", "data/x.yaml", "data/无权限.yaml"]
    return Report(findings, files, [], build_project(None, None), suppressed=1)


# --- golden files --------------------------------------------------------------------------------------------------

GOLDEN_CASES = [
    ("text", "zh", "txt"),
    ("text", "en", "txt"),
    ("json", "zh", "json"),
    ("json", "en", "json"),
    ("sarif", "zh", "sarif"),
    ("sarif", "en", "sarif"),
    ("github", "zh", "txt"),
    ("github", "en", "txt"),
    ("junit", "zh", "xml"),
    ("junit", "en", "xml"),
]


@pytest.mark.parametrize("fmt,lang,ext", GOLDEN_CASES)
def test_golden_fixture_set(fixture_report, golden, fmt, lang, ext):
    golden(f"set.{fmt}.{lang}.{ext}", REPORTERS[fmt](fixture_report, lang, False))


@pytest.mark.parametrize("fmt,lang,ext", GOLDEN_CASES)
def test_golden_synthetic(golden, fmt, lang, ext):
    golden(f"synthetic.{fmt}.{lang}.{ext}", REPORTERS[fmt](_synthetic_report(), lang, False))


def test_fixture_set_covers_what_the_goldens_need(fixture_report):
    rules = {f.rule for f in fixture_report.findings}
    assert {"parse.yaml", "parse.encoding", "schema.kind", "totals.items", "suppression.reason", "suppression.unused"} <= rules
    assert {f.severity for f in fixture_report.findings} == {Severity.ERROR, Severity.WARNING, Severity.INFO}
    # control.yaml gives a line-0 finding today (libyaml reader errors carry no mark; see the loader); the synthetic
    # report below covers line 0 whatever the loader does.
    assert "tests/fixtures/broken/set/clean.yaml" in fixture_report.files
    assert not [f for f in fixture_report.findings if f.file.endswith("clean.yaml")]


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deterministic_and_no_absolute_paths(fmt, lang):
    first = REPORTERS[fmt](_fixture_report(), lang, False)
    second = REPORTERS[fmt](_fixture_report(), lang, False)
    assert first == second
    assert str(REPO) not in first
    assert "\x1b[" not in first


def test_text_colour_only_when_asked(fixture_report):
    assert "\x1b[" in text.render(fixture_report, "zh", True)
    assert "\x1b[" not in text.render(fixture_report, "zh", False)


# --- JSON ----------------------------------------------------------------------------------------------------------


def test_json_shape(fixture_report):
    doc = json.loads(json_report.render(fixture_report, "en"))
    assert list(doc) == ["format", "tool", "summary", "findings"]
    assert doc["format"] == 1 and doc["tool"]["name"] == "govlist"
    assert list(doc["summary"]) == ["files", "catalogs", "errors", "warnings", "infos", "suppressed"]
    assert doc["summary"]["files"] == 7
    assert doc["summary"]["errors"] + doc["summary"]["warnings"] + doc["summary"]["infos"] == len(doc["findings"])
    keys = ["rule", "severity", "message", "message_zh", "message_en", "file", "line", "column", "pointer", "item"]
    for f in doc["findings"]:
        assert list(f) == keys
        assert f["severity"] in ("error", "warning", "info")
        assert f["message"] == f["message_en"]
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
        assert f["item"] is None or isinstance(f["item"], str)
    order = [(f["file"], f["line"], f["column"], f["rule"], f["pointer"]) for f in doc["findings"]]
    assert order == sorted(order)


def test_json_zh_message_is_chinese(fixture_report):
    doc = json.loads(json_report.render(fixture_report, "zh"))
    assert all(f["message"] == f["message_zh"] for f in doc["findings"])


# --- SARIF ---------------------------------------------------------------------------------------------------------

# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS) that this reporter uses, with their constraints.
_MESSAGE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
SARIF_SUBSET_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {
                                        "type": "array",
                                        "uniqueItems": True,
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
                                                "shortDescription": _MESSAGE,
                                                "fullDescription": _MESSAGE,
                                                "help": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}},
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {"type": "integer", "minimum": 1},
                                                            "startColumn": {"type": "integer", "minimum": 1},
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                                "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                                "properties": {"type": "object"},
                            },
                        },
                    },
                },
            },
        },
    },
}


@pytest.mark.parametrize("make", [_fixture_report, _synthetic_report], ids=["set", "synthetic"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_structure(make, lang):
    report = make()
    log = json.loads(sarif.render(report, lang))
    jsonschema.validate(log, SARIF_SUBSET_SCHEMA)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govlist" and driver["version"]
    assert "informationUri" not in driver  # no project URL yet
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in report.findings})
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == len(report.findings)
    for result, finding in zip(run["results"], report.findings):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.label]
        assert result["message"]["text"] == finding.message.get(lang)
        assert result["properties"]["pointer"] == finding.pointer
        assert result["properties"].get("item") == finding.item
        assert len(result["partialFingerprints"]["govlist/v2"]) == 16
        if not finding.file:
            assert "locations" not in result
            continue
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith("/") and "\\" not in uri and ":" not in uri and " " not in uri
        if finding.line == 0:
            assert "region" not in physical
        else:
            assert physical["region"] == {"startLine": finding.line, "startColumn": finding.column}


def test_sarif_uri_encoding():
    assert sarif.artifact_location("catalogs/古美/清单 1.yaml") == {
        "uri": "catalogs/%E5%8F%A4%E7%BE%8E/%E6%B8%85%E5%8D%95%201.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    # a backslash separates folders on Windows; on POSIX it is part of a name (display.safe_name writes \\xff)
    assert sarif.artifact_location("a\\b.yaml")["uri"] == ("a/b.yaml" if os.sep == "\\" else "a%5Cb.yaml")
    assert sarif.artifact_location("./a.yaml")["uri"] == "a.yaml"
    outside = sarif.artifact_location("/srv/lists/a.yaml")
    assert outside == {"uri": "file:///srv/lists/a.yaml"}


def test_sarif_fingerprint_survives_line_shifts():
    from govlist.baseline import finding_fingerprint as baseline_fingerprint
    from govlist.model import finding_fingerprint

    base = Finding("totals.items", Severity.ERROR, Text("甲", "a"), "a.yaml", 7, 10, "/declared/items", "X-1")
    assert finding_fingerprint(base) == baseline_fingerprint(base, Path.cwd()), "SARIF and the baseline agree"
    item = replace(base, pointer="/categories/0/items/3/name")
    assert finding_fingerprint(item) == finding_fingerprint(replace(item, pointer="/categories/2/items/9/name"))
    assert finding_fingerprint(base) == finding_fingerprint(replace(base, line=70, column=3, message=Text("乙", "b")))
    assert finding_fingerprint(base) != finding_fingerprint(replace(base, item="X-2"))
    assert finding_fingerprint(base) != finding_fingerprint(replace(base, pointer="/declared/categories"))
    assert finding_fingerprint(base) != finding_fingerprint(replace(base, file="b.yaml"))
    assert finding_fingerprint(base) != finding_fingerprint(replace(base, rule="totals.categories"))


def test_sarif_rule_names_and_languages(fixture_report):
    zh = json.loads(sarif.render(fixture_report, "zh"))["runs"][0]["tool"]["driver"]["rules"]
    en = json.loads(sarif.render(fixture_report, "en"))["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: (a, r) for a, r in zip(zh, en)}
    z, e = by_id["totals.items"]
    assert z["name"] == e["name"] == "TotalsItems"
    assert z["shortDescription"]["text"] != e["shortDescription"]["text"]
    assert re.search(r"[\u4e00-\u9fff]", z["fullDescription"]["text"])
    assert sarif.rule_name("suppression.unused") == "SuppressionUnused"


def test_sarif_empty_report():
    log = json.loads(sarif.render(Report([], ["a.yaml"], [], build_project(None, None)), "en"))
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# --- GitHub workflow commands ---------------------------------------------------------------------------------------


def test_github_escaping():
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_commands_synthetic():
    report = _synthetic_report()
    lines = github.render(report, "en").splitlines()
    assert len(lines) == len(report.findings) + 1
    assert lines[-1] == text.summary(report, "en")
    assert lines[0] == "::error title=internal.error::rule failed: boom"
    assert "::warning file=data/a%2Cb%3Ac.yaml,line=3,col=7,title=schema.enum::value '50%25' is invalid:%0D%0Asecond line, third: part [A-001]" in lines
    assert "::notice file=data/x.yaml,line=2,col=1,title=totals.items::declares <2> & lists \"3\"" in lines
    assert "::error file=data/无权限.yaml,title=parse.io::permission denied" in lines


def test_github_one_command_per_finding(fixture_report):
    lines = github.render(fixture_report, "zh").splitlines()
    assert len(lines) == len(fixture_report.findings) + 1
    for line, finding in zip(lines, fixture_report.findings):
        kind = {"error": "error", "warning": "warning", "info": "notice"}[finding.severity.label]
        assert line.startswith(f"::{kind} file={finding.file}")
        assert f"title={finding.rule}::" in line
        assert (f",line={finding.line}," in line) == (finding.line > 0)


# --- JUnit ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [_fixture_report, _synthetic_report], ids=["set", "synthetic"])
def test_junit_counts(make):
    report = make()
    root = ET.fromstring(junit.render(report, "zh").encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "govlist"
    suite = suites[0]
    cases = suite.findall("testcase")
    failing = [f for f in report.findings if f.severity >= Severity.WARNING]
    failed_files = {f.file for f in failing}
    passing = [p for p in report.files if p not in failed_files]
    assert int(suite.get("tests")) == len(cases) == len(failing) + len(passing)
    assert int(suite.get("failures")) == len(failing) == len(suite.findall("testcase/failure"))
    assert root.get("tests") == suite.get("tests") and root.get("failures") == suite.get("failures")
    for case in cases:
        failure = case.find("failure")
        if failure is None:
            assert case.get("classname") in passing and case.get("name") == "govlist"
        else:
            assert failure.get("type") in ("error", "warning")
            assert failure.get("message")


def test_junit_escapes_and_cleans():
    report = _synthetic_report()
    bad = Finding("schema.type", Severity.ERROR, Text("控制字符\x01\x1b结束", "control \x01\x1b end <&>"), "data/x.yaml", 1, 1)
    report = replace(report, findings=sorted(report.findings + [bad], key=Finding.sort_key))
    xml = junit.render(report, "en")
    root = ET.fromstring(xml.encode("utf-8"))
    messages = [f.get("message") for f in root.iter("failure")]
    assert "control \ufffd\ufffd end <&>" in messages
    assert "value '50%' is invalid:\r\nsecond line, third: part" in messages  # attribute newlines survive escaping
    assert "（全局）" in junit.render(report, "zh")
    # the info finding is not a failure: data/x.yaml has one error (added above) only
    x_cases = [c for c in root.iter("testcase") if c.get("classname") == "data/x.yaml"]
    assert [c.get("name") for c in x_cases] == ["schema.type"]
