"""Rules of govlist/rules/adjustment.py and the gate's use of the record: the adjustment as a recorded procedure."""

from __future__ import annotations

import copy

from conftest import REPO, hits, messages
from test_diff import WITHDRAWAL_PROJECT, _devolution, item, run

from govlist.adjustment import approval_text
from govlist.changelog import render_changelog
from govlist.checker import load_project
from govlist.diff import diff_sides
from govlist.sources import resolve_sides

PROJECT = """\
govlist: 1
kind: project
name: 测试区
adjustment:
  required_steps: [申请, 审核, 合法性审查, 批准]
  deadlines:
    - {from: 申请, to: 审核, working_days: 15}
    - {from: 批准, to: 公布, working_days: 3}
"""

REQUEST = '{step: 申请, body: 区民政局, date: "%s", doc_number: 民发〔2025〕5号, items: [D-01], content: 取消“居住证明”, basis: 《居住证暂行条例》, reason: 证明事项已取消}'


def duty(steps: str) -> str:
    return f"""\
govlist: 1
kind: duty
id: d
title: 街道职责任务清单
adjustment:
  base: "2024"
  steps:
{steps}items:
  - {{code: D-02, name: 低保申请受理}}
"""


def step_lines(*lines: str) -> str:
    return "".join(f"    - {line}\n" for line in lines)


FULL = step_lines(
    REQUEST % "2025-09-22",
    '{step: 审核, body: 区委编办, date: "2025-10-17", doc_number: 编发〔2025〕8号}',
    '{step: 合法性审查, body: 区司法局, date: "2025-10-17", doc_number: 司审〔2025〕2号}',
    '{step: 批准, body: 区人民政府, date: "2026-02-13", doc_number: 区府〔2026〕3号}',
    '{step: 公布, body: 区人民政府办公室, date: "2026-02-25"}',
)


# --- adjustment.incomplete -------------------------------------------------------------------------------------------


def test_complete_record_is_quiet(validate_set):
    # 申请 → 审核: 15 working days across National Day 2025; 批准 → 公布: 3 across the 2026 Spring Festival (14 Feb, a
    # Saturday, is a working day; 15-23 Feb off)
    report = validate_set({"govlist.yaml": PROJECT, "d.yaml": duty(FULL)})
    assert [f.rule for f in report.findings if f.rule.startswith("adjustment.")] == []


def test_missing_steps_fields_and_request_details(validate_set):
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "d.yaml": duty(
                step_lines(
                    '{step: 申请, body: 区民政局, date: "2025-03-03"}',
                    '{step: 批准, body: 区人民政府, date: "2025-04-10", doc_number: 区府〔2025〕3号}',
                    '{step: 公布, body: 区人民政府办公室}',
                )
            ),
        }
    )
    assert hits(report, "adjustment.incomplete") == [("d.yaml", 8, 5, None), ("d.yaml", 8, 7, None), ("d.yaml", 10, 7, None)]
    steps_missing, request, publication = messages(report, "adjustment.incomplete")
    assert "缺少审核、合法性审查步骤" in steps_missing.zh and "legality review" in steps_missing.en
    assert all(f"（{f}）" in request.zh for f in ("doc_number", "items", "content", "basis", "reason"))
    assert "日期（date）" in publication.zh and "doc_number" not in publication.en


def test_no_record_no_check(validate_set):
    report = validate_set({"govlist.yaml": PROJECT, "d.yaml": "govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - {code: D-02, name: 低保申请受理}\n"})
    assert hits(report, "adjustment.incomplete") == []


# --- adjustment.step-order -------------------------------------------------------------------------------------------


def test_steps_dated_out_of_order(validate_set):
    report = validate_set(
        {
            "d.yaml": duty(
                step_lines(
                    REQUEST % "2025-03-03",
                    '{step: 合法性审查, body: 区司法局, date: "2025-03-20", doc_number: 司审〔2025〕2号}',
                    '{step: 审核, body: 区委编办, date: "2025-03-14", doc_number: 编发〔2025〕8号}',
                    '{step: 批准, body: 区人民政府, date: "2025-03-18", doc_number: 区府〔2025〕3号}',
                    '{step: 公布, body: 区人民政府办公室, date: "2025-03-01"}',
                )
            )
        }
    )
    # the review before the legality review is fine (one stage); the approval before the legality review and the
    # publication before everything are not
    assert hits(report, "adjustment.step-order") == [("d.yaml", 11, 37, None), ("d.yaml", 12, 40, None)]
    approval, publication = messages(report, "adjustment.step-order")
    assert "“批准”日期 2025-03-18 早于“合法性审查”的日期 2025-03-20" in approval.zh
    assert "早于“合法性审查”" in publication.zh


def test_steps_in_order_are_quiet(validate_set):
    report = validate_set({"d.yaml": duty(FULL)})
    assert hits(report, "adjustment.step-order") == []


# --- adjustment.deadline ---------------------------------------------------------------------------------------------


def test_deadlines_in_real_working_days(validate_set):
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "d.yaml": duty(
                step_lines(
                    REQUEST % "2025-09-22",
                    '{step: 审核, body: 区委编办, date: "2025-10-20", doc_number: 编发〔2025〕8号}',
                    '{step: 合法性审查, body: 区司法局, date: "2025-10-17", doc_number: 司审〔2025〕2号}',
                    '{step: 批准, body: 区人民政府, date: "2026-02-13", doc_number: 区府〔2026〕3号}',
                    '{step: 公布, body: 区人民政府办公室, date: "2026-02-26"}',
                )
            ),
        }
    )
    # 16 working days from request to review across National Day (Monday to Friday would say 20); 4 from approval to
    # publication across the Spring Festival (Monday to Friday would say 9)
    assert hits(report, "adjustment.deadline") == [("d.yaml", 9, 36, None), ("d.yaml", 12, 40, None)]
    review, publication = messages(report, "adjustment.deadline")
    assert "用时 16 个工作日，超过项目文件规定的 15 个工作日" in review.zh
    assert "4 working days, more than the 3" in publication.en


def test_deadline_in_an_unknown_year_is_reported_not_guessed(validate_set):
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "d.yaml": duty(
                step_lines(
                    '{step: 批准, body: 区人民政府, date: "2026-12-30", doc_number: 区府〔2026〕30号}',
                    '{step: 公布, body: 区人民政府办公室, date: "2027-01-04"}',
                )
            ),
        }
    )
    assert hits(report, "adjustment.deadline") == [("d.yaml", 9, 40, None)]
    assert "不含 2027 年" in messages(report, "adjustment.deadline")[0].zh


def test_no_deadlines_in_the_project_no_check(validate_set):
    report = validate_set(
        {
            "d.yaml": duty(
                step_lines(
                    '{step: 批准, body: 区人民政府, date: "2026-01-05", doc_number: 区府〔2026〕1号}',
                    '{step: 公布, body: 区人民政府办公室, date: "2026-03-31"}',
                )
            )
        }
    )
    assert hits(report, "adjustment.deadline") == []


# --- the record in the gate and the notice ---------------------------------------------------------------------------


def test_gate_reads_the_approval_step_not_free_text(tmp_path):
    old = _devolution("s", "街道", "街道", [item("S1", "消防巡查", "巡查消防安全"), item("S3", "业主大会成立指导", "指导业主大会成立")])
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"] = new["categories"][0]["items"][:1]
    record = {"code": "S3", "name": "业主大会成立指导", "action": "取消", "reason": "专业性强", "approval": "已批准", "effective": "2025-03-01"}
    request = {"step": "申请", "body": "区住建局", "date": "2025-01-06", "doc_number": "建〔2025〕1号"}
    new["adjustment"] = {"base": "2024", "records": [record], "steps": [request]}
    result = run(tmp_path / "a", {"s.yaml": old}, {"s.yaml": new}, project=WITHDRAWAL_PROJECT)
    (finding,) = [f for f in result.findings if f.rule == "change.withdrawal-record"]
    assert finding.item == "S3" and "approval" in finding.message.en  # "已批准" no longer counts once steps are recorded
    new["adjustment"]["steps"].append({"step": "批准", "body": "区人民政府", "date": "2025-02-20", "doc_number": "区府〔2025〕6号"})
    result = run(tmp_path / "a" / "b", {"s.yaml": old}, {"s.yaml": new})
    assert not [f for f in result.findings if f.rule == "change.withdrawal-record"]


def test_approval_text_cites_the_step():
    adjustment = {"approval": "区政府", "steps": [{"step": "批准", "body": "成华区人民政府", "date": "2025-02-20", "doc_number": "成华府〔2025〕6号"}]}
    assert approval_text(adjustment) == "成华区人民政府（成华府〔2025〕6号，2025-02-20）"
    assert approval_text({"approval": "区政府", "steps": [{"step": "批准", "body": "成华区人民政府"}]}) == "区政府"
    assert approval_text({}) == ""


def test_changelog_cites_the_approval_step(monkeypatch):
    monkeypatch.chdir(REPO)
    o, n = resolve_sides("examples/adjustment/v2024", "examples/adjustment/v2025")
    project, _ = load_project([REPO / "examples/adjustment/v2025"], None)
    text = render_changelog(diff_sides(o, n, project), "markdown")
    assert "经成华区人民政府（成华府〔2025〕6号，2025-02-20）批准，自 2025-03-01 起施行。" in text
