"""The runner: schema findings, the project file, file limits, inline suppressions."""

from __future__ import annotations

import os

import pytest

from govlist import loader
from govlist.model import Severity
from govlist.validate import validate_paths
from conftest import hits

LIST = """\
govlist: 1
kind: duty
id: d
title: 清单
items:
  - code: A-1
    name: 违法建筑巡查
"""


def test_unknown_field_points_at_the_key_and_suggests_a_name(validate_set):
    report = validate_set({"d.yaml": LIST + "    contnet: 巡查\n"})
    assert hits(report, "schema.unknown-field") == [("d.yaml", 8, 5, "A-1")]
    finding = report.findings[0]
    assert "“contnet”" in finding.message.zh and "content" in finding.message.zh
    assert finding.pointer == "/items/0/contnet"


def test_a_field_at_the_wrong_level_is_not_suggested_as_itself(validate_set):
    # `name` is an item's field: written at the top of the list it used to read "unknown field 'name'; did you mean 'name'?"
    report = validate_set({"d.yaml": LIST.replace("title: 清单\n", "title: 清单\nname: 违法建筑巡查\n")})
    assert hits(report, "schema.unknown-field") == [("d.yaml", 5, 1, None)]
    message = report.findings[0].message
    assert "不能写在这一层" in message.zh and "缩进" in message.zh and "是否想写" not in message.zh
    assert "does not belong at this level" in message.en and "did you mean" not in message.en


def test_required_type_format_and_invalid(validate_set):
    text = LIST.replace("title: 清单\n", "effective: 2024-3-1\n").replace("  - code: A-1\n", "  - code: 1\n")
    text += "categories: []\n"
    report = validate_set({"d.yaml": text})
    assert hits(report, "schema.required") == [("d.yaml", 1, 1, None), ("d.yaml", 8, 13, None)]  # title; empty categories
    assert hits(report, "schema.format") == [("d.yaml", 4, 12, None)]
    assert hits(report, "schema.type") == [("d.yaml", 6, 11, None)]
    assert [f.rule for f in report.findings if f.rule == "schema.invalid"] == ["schema.invalid"]  # both items and categories


def test_rules_do_not_run_on_a_file_that_fails_its_schema(validate_set):
    report = validate_set({"d.yaml": LIST.replace("title: 清单\n", "title: 清单\ndeclared: {items: 9}\neffective: 2024-3-1\n")})
    assert hits(report, "schema.format") and not hits(report, "totals.items")


def test_an_unknown_field_leaves_the_list_whole_for_the_rules(validate_set):
    report = validate_set({"d.yaml": LIST.replace("title: 清单\n", "title: 清单\ndeclared: {items: 9}\nbogus: 1\n")})
    assert hits(report, "schema.unknown-field") and hits(report, "totals.items")
    assert [c.path for c in report.catalogs] == ["d.yaml"]


def test_project_file_sets_severities_and_reports_unknown_rule_ids(validate_set):
    project = """\
govlist: 1
kind: project
rules:
  totals.items: warning
  codes.missing: off
  totals.itmes: error
"""
    text = LIST.replace("title: 清单\n", "title: 清单\ndeclared: {items: 3}\n") + "  - name: 无编码事项\n"
    report = validate_set({"govlist.yaml": project, "d.yaml": text})
    assert [f.severity for f in report.findings if f.rule == "totals.items"] == [Severity.WARNING]
    assert hits(report, "codes.missing") == []
    assert hits(report, "project.unknown-rule") == [("govlist.yaml", 6, 3, None)]
    assert "totals.items" in next(f for f in report.findings if f.rule == "project.unknown-rule").message.zh


def test_a_broken_project_file_is_a_finding_and_defaults_apply(validate_set):
    report = validate_set({"govlist.yaml": "govlist: 1\nkind: project\nrules: {totals.items: loud}\n", "d.yaml": LIST})
    assert hits(report, "schema.enum") == [("govlist.yaml", 3, 23, None)]


def test_too_large_file_is_refused_and_the_others_are_checked(validate_set, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 200)
    report = validate_set({"big.yaml": LIST + "    content: " + "很长" * 200 + "\n", "small.yaml": LIST.replace("id: d", "id: s")})
    assert hits(report, "parse.too-large") == [("big.yaml", 1, 1, None)]
    assert "small.yaml" in " ".join(report.files)


def test_suppression_with_reason_silences_one_finding(validate_set):
    text = LIST.replace("title: 清单\n", "title: 清单\ndeclared: {items: 2}  # govlist: ignore[totals.items] 原因：公布文本如此，已报编办核实\n")
    report = validate_set({"d.yaml": text})
    assert hits(report, "totals.items") == [] and report.suppressed == 1
    assert hits(report, "suppression.unused") == [] and hits(report, "suppression.reason") == []


def test_suppression_on_the_line_above(validate_set):
    text = LIST.replace("title: 清单\n", "title: 清单\n# govlist: ignore[totals.items] reason: as published\ndeclared: {items: 2}\n")
    assert hits(validate_set({"d.yaml": text}), "totals.items") == []


def test_suppression_without_reason_is_an_error_and_suppresses_nothing(validate_set):
    text = LIST.replace("title: 清单\n", "title: 清单\ndeclared: {items: 2}  # govlist: ignore[totals.items]\n")
    report = validate_set({"d.yaml": text})
    assert hits(report, "totals.items") == [("d.yaml", 5, 19, None)]
    assert hits(report, "suppression.reason") == [("d.yaml", 5, 1, None)]


def test_unused_suppression_is_reported(validate_set):
    text = LIST.replace("title: 清单\n", "title: 清单  # govlist: ignore[totals.items] 原因：旧注释\n")
    assert hits(validate_set({"d.yaml": text}), "suppression.unused") == [("d.yaml", 4, 1, None)]


def test_duplicate_paths_are_checked_once(tmp_path, monkeypatch):
    from govlist.validate import validate_paths

    (tmp_path / "d.yaml").write_text(LIST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = validate_paths([tmp_path, tmp_path / "d.yaml"])
    assert report.files == ["d.yaml"]


def test_missing_path_is_a_usage_error(tmp_path):
    from govlist.result import UsageError
    from govlist.validate import validate_paths

    with pytest.raises(UsageError):
        validate_paths([tmp_path / "nope"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_the_project_file_reached_under_another_name_is_not_checked_as_a_list(tmp_path, monkeypatch):
    """Only a file of the project file's name, or a link, is resolved to see whether it is the project file: a
    link to govlist.yaml under another name is still the project file, not a list."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 测试\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: D-001\n    name: 巡查\n", encoding="utf-8")
    try:
        os.symlink("govlist.yaml", tmp_path / "settings.yaml")
    except OSError:  # Windows without the right to make links
        pytest.skip("links cannot be made here")
    report = validate_paths([tmp_path], cache=False)
    assert report.files == ["d.yaml"]
