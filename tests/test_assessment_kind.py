"""The assessment kind (考核清单) outside the rules: page and PDF data, table columns, diff."""

from __future__ import annotations

from conftest import CATALOGS

from govlist.catalog import make_catalog
from govlist.diff import diff_paths
from govlist.loader import load_file
from govlist.render import list_view
from govlist.cells import from_cell, to_cell

GUMEI = CATALOGS / "gumei" / "assessment.yaml"


def test_page_shows_assessor_assessees_cycle_veto_and_weights():
    view = list_view(make_catalog(load_file(str(GUMEI))))
    facts = dict(view.facts)
    assert facts["考核主体"] == ["古美路街道办事处"]
    assert "古美路工商所" in facts["被考核对象"]
    assert facts["考核周期"] == ["日检查", "月汇总", "季排队", "年总评"]
    assert any(line.startswith("重大事故：") and "党工委会议" in line for line in facts["一票否决"])
    assert "考核结果不合格单位不能评为绩效考核优秀单位" in facts["结果运用"]
    assert [c.name for c in view.categories][0] == "问题解决（权重 50）"
    assert {"权重", "计算方法", "目标值", "数据来源"} <= {c["header"] for c in view.columns}
    en = list_view(make_catalog(load_file(str(GUMEI))), "en")
    assert "Assessor" in dict(en.facts) and en.categories[0].name == "问题解决 (weight 50)"


def test_duty_reference_cell_round_trip():
    refs = [{"list": "gumei-street-duty", "category": "无证照经营"}, {"list": "gumei-street-duty", "code": "GM-JD-02-003"}]
    cell = to_cell("dutyrefs", refs)
    assert cell == "gumei-street-duty 类别：无证照经营\ngumei-street-duty 事项：GM-JD-02-003"
    assert from_cell("dutyrefs", cell) == refs


def test_diff_reports_a_changed_weight_and_target(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    text = GUMEI.read_text(encoding="utf-8")
    (old / "assessment.yaml").write_text(text, encoding="utf-8")
    changed = text.replace("weight: 20\n        formula: 按时办结案件数", "weight: 25\n        formula: 按时办结案件数").replace("target: ≥ 95%", "target: ≥ 98%", 1)
    changed = changed.replace('version: "2015"', 'version: "2016"')
    (new / "assessment.yaml").write_text(changed, encoding="utf-8")
    result = diff_paths(str(old), str(new))
    changed_fields = {(c.new.code, c.field, c.old_value, c.new_value) for c in result.changes if c.kind == "changed"}
    assert changed_fields == {("GM-KH-01-02", ("weight",), 20, 25), ("GM-KH-01-02", ("target",), "≥ 95%", "≥ 98%")}
