"""Field labels have one home (govlist.fields, reading the schemas' titles): every field of every kind has one, and
the messages that used their own tables before say the same."""

from __future__ import annotations

import pytest

from govlist.fields import BRIEF_ZH, label, labels, text
from govlist.kinds import KINDS
from govlist.schema import schema_document


def _property_names(node: object) -> set[str]:
    """Every property name a schema file defines, at any depth."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            found.add(key)
            found |= _property_names(sub)
        for key, sub in node.items():
            if key != "properties":
                found |= _property_names(sub)
    elif isinstance(node, list):
        for sub in node:
            found |= _property_names(sub)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_of_every_kind_has_a_label_in_both_languages(kind: str) -> None:
    found = labels(kind)
    reached = {path[-1] for path in found}
    assert _property_names(schema_document(kind)) <= reached  # the walk reaches every field the kind's schema defines
    for path, zh in found.items():
        both = text(kind, path)
        assert zh and both.zh == zh and both.en == path[-1].replace("_", " "), path


def test_list_positions_are_skipped_and_context_decides() -> None:
    assert label("duty", ("categories", 0, "items", 3, "track")) == label("duty", ("items", 0, "track")) == "履职类型"
    assert label("power", ("items", 1, "type")) == "权力类型"
    assert label("community", ("items", 1, "type")) == "事项类型"
    assert label("registry", ("units", 1, "type")) == "单位类型"
    assert label("duty", ("adjustment", "steps", 0, "body")) == "机关"
    assert label("community", ("items", 0, "approval", "body")) == "审定机关"
    assert label("duty", ("items", 0, "no_such_field")) == "no_such_field" and label(None, "level") == "level"
    assert label("duty", ("items", 0, "time_limit"), "en") == "time limit"


def test_the_old_tables_say_the_same() -> None:
    """What rules/vocab.py, rules/community.py, adjustment.py and tables.HEADER_TITLES held before, read from the one
    home. Two labels were mended: an approval's `date` is 审定日期 (as the import header and the PDF column call it, not
    the bare 日期), and an adjustment request's `items` is 申请调整的事项 (its schema title, not the bare 事项)."""
    vocab = {("power", "type"): "权力类型", ("devolution", "method"): "方式", ("community", "type"): "事项类型", ("community", "power_type"): "权力类型", ("duty", "track"): "履职类型", ("registry", "type"): "单位类型"}
    for (kind, key), zh in vocab.items():
        assert label(kind, ("units" if kind == "registry" else "items", 0, key)) == zh
    assert all(label(kind, ("level",)) == "适用层级" for kind in ("duty", "power", "community", "registry"))
    community = {
        "code": "事项编码",
        "seq": "序号",
        "name": "事项名称",
        "content": "事项内容",
        "basis": "依据",
        "note": "备注",
        "type": "事项类型",
        "department": "主管部门",
        "power_type": "权力类型",
        "application": "准入申请",
        "approval": "审批",
        "funding": "经费保障",
    }
    assert {key: label("community", ("items", 0, key)) for key in community} == community
    assert {key: label("community", ("items", 0, "approval", key)) for key in ("body", "date", "doc_number")} == {"body": "审定机关", "date": "审定日期", "doc_number": "文号"}
    step = {"body": "机关", "date": "日期", "doc_number": "文号", "items": "申请调整的事项", "content": "调整内容", "basis": "依据", "reason": "理由"}
    assert {key: label("devolution", ("adjustment", "steps", 2, key)) for key in step} == step
    header = {
        "govlist": "格式版本",
        "kind": "清单类型",
        "id": "清单标识",
        "title": "标题",
        "issuer": "发文机关",
        "doc_number": "文号",
        "effective": "生效日期",
        "version": "版本",
        "level": "适用层级",
        "unit": "适用单位",
        "illustrative": "示例说明",
        "source": "来源",
        "note": "备注",
        "declared": "公布总数",
        "categories": "类别",
    }
    assert {key: label("duty", (key,)) for key in header} == header
    entry = {"applies_to": "适用范围", "procedure": "准入程序", "deadlines": "时限", "required": "必填字段", "government_only": "政府专属事项"}
    assert {key: label("entry-rules", (key,)) for key in entry} == entry
    assessment = {"assessor": "考核主体", "organizer": "牵头部门", "assessees": "被考核对象", "cycle": "考核周期", "methods": "考核方式", "total_weight": "总分", "veto": "一票否决", "results": "结果运用"}
    assert {key: label("assessment", (key,)) for key in assessment} == assessment


def test_the_diffs_short_labels_name_real_fields() -> None:
    every = {path[-1] for kind in KINDS for path in labels(kind)}
    assert set(BRIEF_ZH) - every == {"catalog"}  # a change to a list's own facts


def test_the_diff_names_a_header_field_by_its_title_and_an_item_field_by_its_short_name():
    from govlist.diff.values import key_label

    # a list's own `effective` is its 生效日期; a devolved item's `effective` is when the receiver starts: 实施日期
    assert key_label("devolution", ("effective",)) == "生效日期"
    assert key_label("community", ("effective",)) == "生效日期"
    assert key_label("devolution", ("items", "effective")) == "实施日期"
    assert key_label("duty", ("items", "content")) == "内容"
