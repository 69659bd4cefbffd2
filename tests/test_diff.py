"""govlist diff: matching (code, name, similarity), kinds of change, redlines, arithmetic, gates, levels, output."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from govlist.cli import app
from govlist.diff import diff_sides, read_accept_file, redline
from govlist.diffreport import render_json, render_markdown, render_text, render_html
from govlist.sources import resolve_sides
from govlist.checker import load_project

from conftest import REPO

EXAMPLE = REPO / "examples" / "adjustment"


def item(code, name, content="", **extra):
    data = {"code": code, "name": name} if code else {"name": name}
    if content:
        data["content"] = content
    data.update(extra)
    return data


def catalog(cats, kind="duty", id="d", version="2024", effective="2024-01-01", declared=None, **header):
    data = {"govlist": 1, "kind": kind, "id": id, "title": "测试清单", "version": version, "effective": effective}
    data.update(header)
    if declared is not None:
        data["declared"] = declared
    data["categories"] = [{"name": name, "items": items} for name, items in cats]
    n = 0
    for c in data["categories"]:
        for i in c["items"]:
            n += 1
            i.setdefault("seq", n)
    return data


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def run(tmp_path, old: dict, new: dict, project: str | None = None, fuzzy=True, accepted=None):
    for side, files in (("old", old), ("new", new)):
        for name, data in files.items():
            path = tmp_path / side / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
    if project:
        (tmp_path / "govlist.yaml").write_text(project, encoding="utf-8")
    o, n = resolve_sides(str(tmp_path / "old"), str(tmp_path / "new"))
    proj, problems = load_project([tmp_path / "new"], None)
    assert not problems, problems
    return diff_sides(o, n, proj, fuzzy=fuzzy, accepted=accepted)


def kinds(result):
    return sorted((c.kind, c.ref.name if c.ref else "", "/".join(map(str, c.field))) for c in result.changes if c.kind not in ("catalog",))


BASE = [
    ("民政", [item("A1", "低保申请受理", "受理辖区居民最低生活保障申请，组织入户调查和民主评议"), item("A2", "高龄津贴申报审核", "审核高龄老人津贴申报材料并报区民政局")]),
    ("城管", [item("B1", "占道经营整治", "巡查发现占道经营行为并劝导整改"), item("B2", "户外广告巡查", "巡查户外广告和招牌设置情况")]),
]


def test_renumbering_only_is_no_change(tmp_path):
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    for c in new["categories"]:
        for i in c["items"]:
            i["seq"] = i["seq"] + 10
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    assert result.changes == []
    assert result.renumbered == 4 and result.unchanged == 4
    assert not result.findings
    assert "序号调整 4 项（不计为变更）" in render_text(result, "zh")


def test_rename_is_matched_by_similarity_and_reported(tmp_path):
    old = catalog([("证明", [item(None, "婚育状况证明", "为辖区居民出具婚育状况证明"), item(None, "居住证明", "出具实际居住情况证明")])])
    new = catalog([("证明", [item(None, "生育状况证明", "为辖区居民出具婚育状况证明"), item(None, "居住证明", "出具实际居住情况证明")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    renamed = [c for c in result.changes if c.kind == "renamed"]
    assert len(renamed) == 1
    c = renamed[0]
    assert (c.old_value, c.new_value, c.method, c.level) == ("婚育状况证明", "生育状况证明", "similarity", "minor")
    assert 0.6 <= c.score <= 1.0
    assert result.matched == {"name": 1, "similarity": 1}
    # --no-fuzzy: only code and exact name
    strict = run(tmp_path / "strict", {"d.yaml": old}, {"d.yaml": new}, fuzzy=False)
    assert kinds(strict) == [("added", "生育状况证明", ""), ("removed", "婚育状况证明", "")]


def test_rename_adding_a_gloss_is_not_reported_as_similarity_one(tmp_path, monkeypatch):
    # the names are equal once the gloss is stripped, so the pair scores 1.0: the report says why they were paired
    # instead of "相似匹配 1.00" beside two different names
    old = catalog([("审批", [item(None, "行政许可事项", "办理辖区内行政许可申请的受理和审查"), item(None, "居住证明", "出具实际居住情况证明")])])
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"][0]["name"] = "行政许可事项（含变更）"
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind == "renamed"]
    assert (c.old_value, c.new_value, c.method) == ("行政许可事项", "行政许可事项（含变更）", "gloss")
    assert result.matched == {"name": 1, "gloss": 1}
    zh, en = render_text(result, "zh"), render_text(result, "en")
    assert "更名 行政许可事项（含变更） · 名称 (除括注外名称相同)" in zh and "匹配：名称 1、除括注外名称相同 1；" in zh
    assert "renamed 行政许可事项（含变更） · name (same name apart from a bracketed note)" in en and "Matched: name 1, gloss 1;" in en
    assert "1.00" not in zh + en
    md, html = render_markdown(result, "zh"), render_html(result, "zh")
    assert "**匹配**：名称 1、除括注外名称相同 1；" in md and "| 除括注外名称相同 |" in md and "<td>除括注外名称相同</td>" in html
    assert "**Matched:** name 1, gloss 1;" in render_markdown(result, "en")
    assert json.loads(render_json(result))["changes"][-1]["match"] == {"method": "gloss", "score": 1.0}
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(app, ["diff", "old", "new", "-f", "markdown"])
    assert out.exit_code == 0 and "| 除括注外名称相同 |" in out.stdout


def test_close_long_names_are_never_shown_as_similarity_one(tmp_path):
    long = "组织辖区居民小区落实生活垃圾分类投放开展桶边督导和宣传发现混投混运的报告区城管局并协助做好分类收运设施的日常巡查维护" * 2
    content = "巡查户外广告和招牌设置情况"
    old = catalog([("城管", [item(None, long, content), item(None, "居住证明", "出具实际居住情况证明")])])
    new = catalog([("城管", [item(None, long + "等", content), item(None, "居住证明", "出具实际居住情况证明")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind == "renamed"]
    assert c.method == "similarity" and 0.99 < c.score < 1
    assert "(相似匹配 0.99)" in render_text(result, "zh") and "(similarity 0.99)" in render_text(result, "en")


def test_width_and_punctuation_rename_is_editorial(tmp_path):
    old = catalog([("证明", [item("C1", "城市“三无”人员供养申请受理")])])
    new = catalog([("证明", [item("C1", "城市\"三无\"人员供养申请受理")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind == "renamed"]
    assert c.level == "editorial" and c.method == "code"


def test_move_between_categories(tmp_path):
    old = catalog(copy.deepcopy(BASE))
    new = catalog(
        [
            ("民政", [item("A1", "低保申请受理", "受理辖区居民最低生活保障申请，组织入户调查和民主评议")]),
            ("城管", [item("B1", "占道经营整治", "巡查发现占道经营行为并劝导整改"), item("B2", "户外广告巡查", "巡查户外广告和招牌设置情况"), item("A2", "高龄津贴申报审核", "审核高龄老人津贴申报材料并报区民政局")]),
        ],
        version="2025",
    )
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert (c.kind, c.field, c.old_value, c.new_value, c.level) == ("moved", ("category",), "民政", "城管", "major")
    rows = {(a.catalog, a.category): a for a in result.arithmetic}
    assert rows[("d", "民政")].moved_out == 1 and rows[("d", "城管")].moved_in == 1 and all(a.ok for a in result.arithmetic)


def test_a_renamed_category_maps_to_where_its_items_went(tmp_path):
    """A category whose name and code both changed maps to the category most of its items went to: its items are
    not moved, the category is reported renamed, the counts add up; a category found by name maps by name."""
    old = catalog(copy.deepcopy(BASE))
    new = catalog([("民政", copy.deepcopy(BASE[0][1])), ("城市管理", copy.deepcopy(BASE[1][1]))], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    assert [(c.kind, c.old_value, c.new_value) for c in result.changes if c.kind != "catalog"] == [("category", "城管", "城市管理")]
    assert result.unchanged == 4 and all(a.ok for a in result.arithmetic)
    rows = {(a.catalog, a.category): a for a in result.arithmetic}
    assert (rows[("d", "城市管理")].old_count, rows[("d", "城市管理")].moved_in) == (2, 0)


def _devolution(id, level, receiver, items, version="2024"):
    data = catalog([("社会事务", items)], kind="devolution", id=id, version=version, level=level)
    for i in data["categories"][0]["items"]:
        i.setdefault("source", "区民政局")
        i.setdefault("receiver", receiver)
        i.setdefault("method", "下放")
    return data


def test_devolution_down_and_withdrawal_up(tmp_path):
    street_old = _devolution("street", "街道", "街道", [item("S1", "临时救助受理", "受理临时救助申请"), item("S2", "残疾人补贴初审", "初审残疾人生活补贴申请")])
    comm_old = _devolution("comm", "社区", "社区", [item("C1", "困境儿童关爱服务", "组织困境儿童关爱服务"), item("C2", "社区志愿服务组织", "组织志愿服务队伍")])
    street_new = _devolution("street", "街道", "街道", [item("S1", "临时救助受理", "受理临时救助申请"), item("S9", "困境儿童关爱服务", "组织困境儿童关爱服务")], version="2025")
    comm_new = _devolution("comm", "社区", "社区", [item("C2", "社区志愿服务组织", "组织志愿服务队伍"), item("C9", "残疾人补贴初审", "初审残疾人生活补贴申请")], version="2025")
    result = run(tmp_path, {"street.yaml": street_old, "comm.yaml": comm_old}, {"street.yaml": street_new, "comm.yaml": comm_new})
    by_kind = {c.kind: c for c in result.changes if c.field == ("catalog",)}
    assert by_kind["devolved"].new.name == "残疾人补贴初审" and (by_kind["devolved"].old_value, by_kind["devolved"].new_value) == ("street", "comm")
    assert by_kind["withdrawn"].new.name == "困境儿童关爱服务" and by_kind["withdrawn"].method == "name"
    assert not [c for c in result.changes if c.field == ("receiver",) and c.kind == "moved"], "the receiver changes with the list: not a move of its own"


def test_status_withdrawal_is_taken_back(tmp_path):
    old = _devolution("street", "街道", "街道", [item("S1", "小型场所消防巡查", "巡查小型经营场所消防安全")])
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"][0].update(status="收回", withdrawal={"reason": "专业性强，接不住", "approval": "X府〔2025〕3号", "date": "2025-03-01"})
    result = run(tmp_path, {"s.yaml": old}, {"s.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert c.kind == "withdrawn" and c.level == "major" and c.new_value["withdrawal"]["reason"] == "专业性强，接不住"


def test_split_into_glossed_parts(tmp_path):
    old = catalog([("民政", [item("A3", "临时救助申请受理与小额救助", "受理临时救助申请并对小额救助直接办理"), item("A4", "高龄津贴申报审核")])])
    new = catalog([("民政", [item("A3-1", "临时救助申请受理（急难型）", "受理急难型临时救助申请"), item("A3-2", "临时救助申请受理（支出型）", "受理支出型临时救助申请"), item("A4", "高龄津贴申报审核")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert c.kind == "split" and c.old.code == "A3" and [r.code for r in c.related] == ["A3-1", "A3-2"] and c.method == "split"
    total = next(a for a in result.arithmetic if a.category is None)
    assert (total.removed, total.added, total.expected, total.stated) == (1, 2, 3, 3)


def test_merge_of_parts(tmp_path):
    old = catalog([("民政", [item("A3-1", "临时救助申请受理（急难型）"), item("A3-2", "临时救助申请受理（支出型）"), item("A4", "高龄津贴申报审核")])])
    new = catalog([("民政", [item("A3", "临时救助申请受理"), item("A4", "高龄津贴申报审核")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert c.kind == "merged" and c.new.code == "A3" and sorted(r.code for r in c.related) == ["A3-1", "A3-2"]


def test_power_subitems_appearing_is_a_split(tmp_path):
    base = {"govlist": 1, "kind": "power", "id": "p", "title": "权责清单", "version": "2024", "items": [{"code": "P1", "name": "对违法建设的处罚", "type": "行政处罚", "department": "区城管局"}]}
    new = copy.deepcopy(base)
    new["version"] = "2025"
    new["items"][0]["subitems"] = [{"code": "P1-1", "name": "对未取得规划许可建设的处罚"}, {"code": "P1-2", "name": "对临时建设逾期不拆除的处罚"}]
    result = run(tmp_path, {"p.yaml": base}, {"p.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert c.kind == "split" and c.field == ("subitems",) and [r.code for r in c.related] == ["P1-1", "P1-2"]


def test_field_change_with_redline(tmp_path):
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"][0]["content"] = "受理辖区居民最低生活保障申请，开展家庭经济状况核对，组织入户调查和民主评议"
    new["categories"][0]["items"][0]["note"] = "新增备注"
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    content = next(c for c in result.changes if c.field == ("content",))
    assert content.kind == "changed" and content.level == "minor" and content.method == "code"
    assert content.redline == (("equal", "受理辖区居民最低生活保障申请，"), ("insert", "开展家庭经济状况核对，"), ("equal", "组织入户调查和民主评议"))
    note = next(c for c in result.changes if c.field == ("note",))
    assert note.level == "editorial"
    text = render_text(result, "zh")
    assert "{+开展家庭经济状况核对，+}" in text
    assert "<ins>开展家庭经济状况核对，</ins>" in render_markdown(result, "zh")
    assert redline("甲乙", "甲丙") == (("equal", "甲"), ("delete", "乙"), ("insert", "丙"))


def test_arithmetic_that_does_not_add_up(tmp_path):
    old = catalog(copy.deepcopy(BASE), declared={"categories": 2, "items": 4})
    old["categories"][0]["declared"] = 2
    old["categories"][1]["declared"] = 2
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"].append(item("A5", "老年人能力评估受理", "受理老年人能力综合评估申请"))
    new["declared"]["items"] = 6  # should be 5
    new["categories"][0]["declared"] = 2  # should be 3
    new["categories"][1]["declared"] = 2
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    arithmetic = [f for f in result.findings if f.rule == "change.arithmetic"]
    assert len(arithmetic) == 2
    assert "应为 5 项，新公布 6 项" in arithmetic[0].message.zh or "应为 5 项，新公布 6 项" in arithmetic[1].message.zh
    assert all(f.line > 0 for f in arithmetic)
    assert any("民政" in f.message.zh and "应为 3 项" in f.message.zh for f in arithmetic)


COMMUNITY_OLD = {
    "govlist": 1,
    "kind": "community",
    "id": "c",
    "title": "社区工作事项清单",
    "version": "2024",
    "level": "社区",
    "categories": [
        {
            "name": "协助事项",
            "items": [
                {
                    "code": "X1",
                    "name": "低保入户核查协助",
                    "type": "协助事项",
                    "department": "区民政局",
                    "application": {"department": "区民政局", "date": "2024-01-05"},
                    "approval": {"body": "区政府", "date": "2024-01-20", "doc_number": "X府〔2024〕1号"},
                }
            ],
        }
    ],
}


def test_gate_assist_without_approval(tmp_path):
    new = copy.deepcopy(COMMUNITY_OLD)
    new["version"] = "2025"
    new["categories"][0]["items"].append({"code": "X2", "name": "老年人助餐需求摸底协助", "type": "协助", "department": "区民政局"})
    result = run(tmp_path, {"c.yaml": COMMUNITY_OLD}, {"c.yaml": new})
    [f] = [f for f in result.findings if f.rule == "change.assist-without-approval"]
    assert f.item == "X2" and f.line > 0 and "准入申请、审批记录" in f.message.zh


WITHDRAWAL_PROJECT = """\
govlist: 1
kind: project
name: 测试
changes:
  require:
    removal: [reason, approval, effective]
    withdrawal: [reason, approval, effective]
"""


def test_gate_withdrawal_record(tmp_path):
    old = _devolution("s", "街道", "街道", [item("S1", "消防巡查", "巡查消防安全"), item("S2", "低保初审", "初审低保申请"), item("S3", "业主大会成立指导", "指导业主大会成立")])
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"] = new["categories"][0]["items"][:2]
    new["categories"][0]["items"][0].update(status="收回", withdrawal={"reason": "接不住"})
    result = run(tmp_path / "req", {"s.yaml": old}, {"s.yaml": new}, project=WITHDRAWAL_PROJECT)
    hits = sorted((f.item, f.message.en) for f in result.findings if f.rule == "change.withdrawal-record")
    assert [h[0] for h in hits] == ["S1", "S3"]
    assert "approval, effective" in hits[0][1] and "reason, approval, effective" in hits[1][1]
    # recorded in the new version: no finding
    new["categories"][0]["items"][0]["withdrawal"].update(approval="X府〔2025〕3号", date="2025-03-01")
    new["adjustment"] = {"base": "2024", "records": [{"code": "S3", "name": "业主大会成立指导", "action": "取消", "reason": "专业性强", "approval": "X府〔2025〕3号", "effective": "2025-03-01"}]}
    result = run(tmp_path / "req" / "ok", {"s.yaml": old}, {"s.yaml": new})
    assert not [f for f in result.findings if f.rule == "change.withdrawal-record"]
    # without the project's requirement nothing is checked
    result = run(tmp_path / "none", {"s.yaml": old}, {"s.yaml": copy.deepcopy(old) | {"version": "2025", "categories": [{"name": "社会事务", "items": old["categories"][0]["items"][:1]}]}})
    assert not [f for f in result.findings if f.rule == "change.withdrawal-record"]


def test_gate_version_not_bumped(tmp_path):
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["categories"][1]["items"][0]["content"] = "巡查发现占道经营行为，劝导整改并报告"
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [f] = [f for f in result.findings if f.rule == "change.version-not-bumped"]
    assert f.line > 0 and f.pointer == "/version"
    new["effective"] = "2025-01-01"
    result = run(tmp_path / "bumped", {"d.yaml": old}, {"d.yaml": new})
    assert not [f for f in result.findings if f.rule == "change.version-not-bumped"]


def test_levels_from_project_and_accepted_fingerprints(tmp_path):
    project = "govlist: 1\nkind: project\nname: 测试\nchanges:\n  levels:\n    changed.content: major\n    added: minor\n"
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"][0]["content"] = "受理最低生活保障申请"
    new["categories"][0]["items"].append(item("A9", "新事项甲"))
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new}, project=project)
    levels = {c.kind: c.level for c in result.changes if c.kind != "catalog"}
    assert levels == {"changed": "major", "added": "minor"}
    assert result.failed("major") and not result.failed(None)
    major = [c.fingerprint for c in result.changes if c.level == "major"]
    again = run(tmp_path / "again", {"d.yaml": old}, {"d.yaml": new}, project=project, accepted=set(major))
    assert [c.fingerprint for c in again.changes] == [c.fingerprint for c in result.changes], "fingerprints are stable"
    assert not again.failed("major") and again.failed("minor")
    assert read_accept_file("# approved\n- " + major[0] + "  # 内容调整\n\nnot-a-fingerprint\n") == {major[0]}


def test_cli_diff_exit_codes_and_formats(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["version"] = "2025"
    new["categories"][0]["items"].append(item("A9", "新事项甲"))
    (tmp_path / "old.yaml").write_text(dump(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(dump(new), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["diff", "old.yaml", "new.yaml"]).exit_code == 0
    assert runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--fail-on", "major"]).exit_code == 1
    assert runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--fail-on", "editorial", "--no-fuzzy"]).exit_code == 1
    fp = json.loads(runner.invoke(app, ["diff", "old.yaml", "new.yaml", "-f", "json"]).stdout)["changes"]
    (tmp_path / "accepted.txt").write_text("\n".join(c["fingerprint"] for c in fp) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--fail-on", "editorial", "--accept", "accepted.txt"]).exit_code == 0
    out = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "-f", "html", "-o", "d.html"])
    assert out.exit_code == 0 and (tmp_path / "d.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = runner.invoke(app, ["diff", "old.yaml", "nope.yaml"])
    assert missing.exit_code == 2
    only_one = runner.invoke(app, ["diff", "old.yaml"])
    assert only_one.exit_code == 2
    en = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--lang", "en"])
    assert "Changes by kind: added 1" in en.stdout


def test_html_is_escaped(tmp_path):
    old = catalog([("民政", [item("A1", "低保申请受理")])])
    new = catalog([("民政", [item("A1", "低保申请受理"), item("A2", "<script>alert(1)</script>")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    html = render_html(result, "zh")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<script>" not in render_markdown(result, "zh")


@pytest.fixture
def example(monkeypatch):
    monkeypatch.chdir(REPO)
    o, n = resolve_sides("examples/adjustment/v2024", "examples/adjustment/v2025")
    project, problems = load_project([Path("examples/adjustment/v2025")], None)
    assert not problems
    return diff_sides(o, n, project)


def test_worked_example(example):
    from govlist.diffreport import item_counts

    counts = item_counts(example.changes)
    assert dict(counts) == {"added": 4, "removed": 2, "withdrawn": 2, "moved": 1, "split": 1, "renamed": 1, "changed": 4}
    assert not example.findings, [f.message.zh for f in example.findings]
    assert all(a.ok for a in example.arithmetic)
    assert example.renumbered > 100


def test_worked_example_golden_and_deterministic(example, golden, monkeypatch):
    text, js, md = render_text(example, "zh"), render_json(example), render_markdown(example, "zh")
    golden("diff-example.txt", text)
    golden("diff-example.json", js)
    golden("diff-example.md", md)
    monkeypatch.chdir(REPO)
    o, n = resolve_sides("examples/adjustment/v2024", "examples/adjustment/v2025")
    project, _ = load_project([Path("examples/adjustment/v2025")], None)
    again = diff_sides(o, n, project)
    assert render_json(again).encode() == js.encode() and render_text(again, "zh") == text
    data = json.loads(js)
    assert data["govlist_diff"] == 1 and {"old", "new", "summary", "changes", "arithmetic", "reasons", "findings"} <= set(data)


def test_cli_worked_example_is_clean(monkeypatch):
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    for version in ("v2024", "v2025"):
        result = runner.invoke(app, ["validate", f"examples/adjustment/{version}", "--fail-on", "warning"])
        assert result.exit_code == 0, result.stdout
    result = runner.invoke(app, ["diff", "examples/adjustment/v2024", "examples/adjustment/v2025"])
    assert result.exit_code == 0 and "拆分 1" in result.stdout


def test_new_name_same_content_is_matched_by_content(tmp_path):
    content = "组织辖区居民小区落实生活垃圾分类投放，开展桶边督导和宣传，发现混投混运的报告区城管局"
    old = catalog([("城管", [item(None, "垃圾分类督导", content), item(None, "户外广告巡查", "巡查户外广告和招牌设置情况")])])
    new = catalog([("城管", [item(None, "生活垃圾投放桶边值守", content), item(None, "户外广告巡查", "巡查户外广告和招牌设置情况")])], version="2025")
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    [c] = [c for c in result.changes if c.kind != "catalog"]
    assert c.kind == "renamed" and c.method == "similarity" and c.score >= 0.6
    payload = json.loads(render_json(result))
    assert payload["changes"][-1]["match"] == {"method": "similarity", "score": c.score}


VOCAB_PROJECT = """\
govlist: 1
kind: project
name: 测试
vocabularies:
  community_types:
    aliases: {协办事项: 协助事项}
"""


def test_gate_assist_reads_the_project_vocabulary(tmp_path):
    """The project maps 协办事项 to 协助事项: the gate flags both new items, as validate's community.assist-record does."""
    new = copy.deepcopy(COMMUNITY_OLD)
    new["version"] = "2025"
    new["categories"][0]["items"] += [
        {"code": "X2", "name": "老年人助餐需求摸底协助", "type": "协办事项", "department": "区民政局"},
        {"code": "X3", "name": "残疾人证件年审协助", "type": "协助事项", "department": "区残联"},
    ]
    result = run(tmp_path, {"c.yaml": COMMUNITY_OLD}, {"c.yaml": new}, project=VOCAB_PROJECT)
    assert sorted(f.item for f in result.findings if f.rule == "change.assist-without-approval") == ["X2", "X3"]
    (tmp_path / "new" / "govlist.yaml").write_text(VOCAB_PROJECT, encoding="utf-8")
    from govlist.validate import validate_paths

    report = validate_paths([tmp_path / "new"])
    assert {"X2", "X3"} <= {f.item for f in report.findings if f.rule == "community.assist-record"}


def test_sides_are_loaded_and_checked_as_validate_does(tmp_path):
    """A file of an unknown kind is reported, not skipped; every schema problem is reported, with validate's rule ids."""
    old = catalog(copy.deepcopy(BASE))
    bad = copy.deepcopy(old) | {"id": "bad", "version": 2025, "effective": "soon"}
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": old, "bad.yaml": bad, "odd.yaml": "govlist: 1\nkind: dutty\nid: x\n"})
    kinds_found = [(Path(f.file).name, f.rule) for f in result.findings if f.rule.startswith("schema.")]
    assert ("odd.yaml", "schema.kind") in kinds_found
    assert len([f for f in kinds_found if f[0] == "bad.yaml"]) >= 2, kinds_found
    assert not [c for c in result.changes if c.catalog == "bad"]


def test_gates_are_rules_with_severities_and_suppressions(tmp_path, monkeypatch):
    """The gates run through the collector: the project's severity applies, an inline suppression in the new version
    drops the finding, and validate does not call that suppression unused."""
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["categories"][1]["items"][0]["content"] = "巡查发现占道经营行为，劝导整改并报告"
    result = run(tmp_path / "warn", {"d.yaml": old}, {"d.yaml": new}, project="govlist: 1\nkind: project\nname: 测试\nrules:\n  change.version-not-bumped: error\n")
    assert [f.severity.label for f in result.findings if f.rule == "change.version-not-bumped"] == ["error"]
    result = run(tmp_path / "off", {"d.yaml": old}, {"d.yaml": new}, project="govlist: 1\nkind: project\nname: 测试\nrules:\n  change.version-not-bumped: off\n")
    assert not [f for f in result.findings if f.rule == "change.version-not-bumped"]
    text = dump(new).replace("version: '2024'", "version: '2024'  # govlist: ignore[change.version-not-bumped] 原因：只改文字，不发新版")
    assert "govlist: ignore" in text
    result = run(tmp_path / "quiet", {"d.yaml": old}, {"d.yaml": text})
    assert not [f for f in result.findings if f.rule == "change.version-not-bumped"]
    monkeypatch.chdir(tmp_path / "quiet")
    from govlist.validate import validate_paths

    report = validate_paths([tmp_path / "quiet" / "new"])
    assert not [f for f in report.findings if f.rule.startswith("suppression.")]


def test_templates_override_diff_and_changelog_in_the_sandbox(tmp_path, monkeypatch):
    """--templates works for diff and changelog as for render: file by file, in Jinja's sandbox, errors as messages."""
    monkeypatch.chdir(tmp_path)
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old) | {"version": "2025"}
    new["categories"][0]["items"].append(item("A9", "新事项甲"))
    (tmp_path / "old.yaml").write_text(dump(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(dump(new), encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "diff.md.j2").write_text("本地模板：{{ r.changes | length }} 项变更 {{ '<b>' }}\n", encoding="utf-8")
    (mine / "changelog.md.j2").write_text("{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "-f", "markdown", "--templates", "mine"])
    assert out.exit_code == 0 and out.stdout.startswith("本地模板：") and "<b>" in out.stdout, out.output
    html = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "-f", "html", "--templates", "mine"])
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>"), "templates not overridden stay packaged"
    unsafe = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "--templates", "mine", "--lang", "en"])
    assert unsafe.exit_code == 2 and "template error changelog.md.j2" in unsafe.output and "Traceback" not in unsafe.output
    missing = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "--templates", "nowhere", "--lang", "en"])
    assert missing.exit_code == 2 and "no such template folder" in missing.output
