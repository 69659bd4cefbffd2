"""The baseline of accepted findings: `govlist baseline` records them, `validate` then reports only what is new;
fingerprints survive moved lines; waivers carry who and until when, and expire."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from typer.testing import CliRunner

from govlist.baseline import BASELINE_FILE, load_baseline
from govlist.cli import app
from govlist.init import InitOptions, init_repository
from govlist.validate import validate_paths

runner = CliRunner()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A catalog repository from `govlist init` with two errors: wrong declared total, a duplicated item name."""
    root = tmp_path / "repo"
    init_repository(root, InitOptions(git=False))
    duty = root / "catalogs" / "street-duty.yaml"
    text = duty.read_text(encoding="utf-8").replace("  items: 2\n", "  items: 5\n").replace("name: 违法建设巡查发现", "name: 矛盾纠纷排查化解")
    duty.write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GOVLIST_TODAY", raising=False)
    return root


def rules_of(report):
    return sorted(f.rule for f in report.findings)


def test_baseline_accepts_the_current_findings_and_validate_reports_only_new_ones(repo):
    before = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert before.exit_code == 1
    result = runner.invoke(app, ["baseline", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "recorded 3 findings as accepted in .govlist-baseline.yaml" in result.output
    data = yaml.safe_load((repo / BASELINE_FILE).read_text(encoding="utf-8"))
    assert data["kind"] == "baseline"
    assert sorted(e["rule"] for e in data["entries"]) == ["names.duplicate", "totals.items", "totals.partition"]
    assert {e["file"] for e in data["entries"]} == {"catalogs/street-duty.yaml"}
    after = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert after.exit_code == 0, after.output
    assert "0 errors" in after.output and "(3 accepted in the baseline)" in after.output
    every = runner.invoke(app, ["validate", ".", "--no-baseline", "--lang", "en"])
    assert every.exit_code == 1 and "totals.items" in every.output

    # lines move and another item is inserted before the accepted one: still accepted
    duty = repo / "catalogs" / "street-duty.yaml"
    text = duty.read_text(encoding="utf-8")
    text = text.replace("govlist: 1\n", "# 新增的注释\n# another comment\ngovlist: 1\n", 1)
    text = text.replace(
        "    items:\n",
        "    items:\n      - code: \"SL-JD-01-000\"\n        seq: 0\n        name: 综治中心值班\n        content: 街道综治中心实行全天候值班，接收并分派各类矛盾纠纷线索。\n        jurisdiction: 块属块管\n        responsible: 示例街道平安办\n",
        1,
    )
    duty.write_text(text, encoding="utf-8")
    report = validate_paths([repo], use_baseline=True)
    assert report.baselined == 3, [(f.rule, f.message.en) for f in report.findings]
    # only what is new: the category now lists 3 items but declares 2
    assert {f.rule for f in report.findings} <= {"totals.category-items"} and report.findings


def test_a_new_finding_is_reported_and_an_unused_entry_is_info(repo):
    assert runner.invoke(app, ["baseline"]).exit_code == 0
    duty = repo / "catalogs" / "street-duty.yaml"
    text = duty.read_text(encoding="utf-8").replace("name: 矛盾纠纷排查化解\n        content: 对辖区", "name: 违法建设巡查发现\n        content: 对辖区")
    text = text.replace("    declared: 2\n", "    declared: 3\n")
    duty.write_text(text, encoding="utf-8")
    report = validate_paths([repo], use_baseline=True)
    assert "baseline.unused" in rules_of(report)
    unused = next(f for f in report.findings if f.rule == "baseline.unused")
    assert unused.file == BASELINE_FILE and unused.line > 0 and unused.item == "SL-JD-01-002"
    assert unused.severity.label == "info"
    assert "totals.items" not in rules_of(report)  # still accepted


def test_an_expired_waiver_becomes_a_finding_and_its_finding_returns(repo, monkeypatch):
    assert runner.invoke(app, ["baseline", "--approved-by", "王科长", "--until", "2026-06-30", "--reason", "待年度调整时改正"]).exit_code == 0
    entries = load_baseline(repo / BASELINE_FILE)
    assert {(e.approved_by, e.until, e.reason) for e in entries} == {("王科长", dt.date(2026, 6, 30), "待年度调整时改正")}
    assert all(e.line > 0 for e in entries)

    valid = validate_paths([repo], use_baseline=True, today=dt.date(2026, 6, 30))
    assert valid.findings == [] and valid.baselined == 3

    late = validate_paths([repo], use_baseline=True, today=dt.date(2026, 7, 1))
    assert rules_of(late) == ["baseline.expired"] * 3 + ["names.duplicate", "totals.items", "totals.partition"]
    expired = [f for f in late.findings if f.rule == "baseline.expired"]
    assert all(f.file == BASELINE_FILE and f.line > 0 for f in expired)
    assert "王科长" in expired[0].message.zh and "2026-06-30" in expired[0].message.en

    monkeypatch.setenv("GOVLIST_TODAY", "2026-07-01")
    result = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert result.exit_code == 1
    assert "expired on 2026-06-30" in result.output and "baseline.expired" in result.output
    monkeypatch.setenv("GOVLIST_TODAY", "2026-01-01")
    assert runner.invoke(app, ["validate", "."]).exit_code == 0

    # re-recording keeps the waiver of entries already there
    assert runner.invoke(app, ["baseline", "--approved-by", "someone else"]).exit_code == 0
    assert {e.approved_by for e in load_baseline(repo / BASELINE_FILE)} == {"王科长"}


def test_baseline_options_and_errors(repo, tmp_path):
    other = tmp_path / "accepted.yaml"
    assert runner.invoke(app, ["baseline", ".", "-o", str(other)]).exit_code == 0
    assert not (repo / BASELINE_FILE).exists()
    assert runner.invoke(app, ["validate", "."]).exit_code == 1  # not the default place: not loaded
    assert runner.invoke(app, ["validate", ".", "--baseline", str(other)]).exit_code == 0
    missing = runner.invoke(app, ["validate", ".", "--baseline", "nope.yaml", "--lang", "en"])
    assert missing.exit_code == 2 and "baseline file not found" in missing.output
    (repo / BASELINE_FILE).write_text("kind: duty\n", encoding="utf-8")
    broken = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert broken.exit_code == 2 and "is not a baseline file" in broken.output
    bad_date = runner.invoke(app, ["baseline", "--until", "明年", "--lang", "en"])
    assert bad_date.exit_code == 2 and "--until must be a date" in bad_date.output


def fingerprint(rule: str, file: str, pointer: str, item: str | None) -> str:
    from govlist.model import Finding, Severity, Text, finding_fingerprint

    return finding_fingerprint(Finding(rule, Severity.ERROR, Text("甲", "a"), file, 3, 1, pointer, item))


def test_fingerprint_ignores_lines_and_the_position_of_the_item():
    a = fingerprint("names.duplicate", "catalogs/a.yaml", "/categories/0/items/3/name", "X-1")
    b = fingerprint("names.duplicate", "catalogs/a.yaml", "/categories/2/items/7/name", "X-1")
    assert a == b
    assert a != fingerprint("names.duplicate", "catalogs/b.yaml", "/categories/0/items/3/name", "X-1")
    assert fingerprint("totals.items", "a.yaml", "/declared/items", None) != fingerprint("totals.items", "a.yaml", "/declared/categories", None)
