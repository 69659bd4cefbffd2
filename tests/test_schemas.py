"""The JSON Schemas in schemas/: well-formed, cross-file refs resolve, samples of every kind validate."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_URI = "https://govlist.example/schemas/"
KINDS = ["duty", "power", "territorial", "devolution", "community", "entry-rules", "grid", "assessment", "registry", "project"]
# Object schemas left open on purpose: they are only used through "$ref" next to "unevaluatedProperties": false.
OPEN_DEFS = {("common.schema.json", "header"), ("common.schema.json", "itemBase")}


def load_schemas() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


SCHEMAS = load_schemas()
REGISTRY: Registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values())


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[f"{kind}.schema.json"], registry=REGISTRY)


def errors(kind: str, document: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(document)]


def header(kind: str, **extra: Any) -> dict[str, Any]:
    return {"govlist": 1, "kind": kind, "id": f"sample-{kind}", "title": f"示例{kind}清单", **extra}


SAMPLES: dict[str, dict[str, Any]] = {
    "duty": header(
        "duty",
        issuer="古美路街道办事处",
        doc_number="闵古府〔2024〕3号",
        effective="2024-03-01",
        version="2024",
        level="街道",
        unit="古美路街道",
        illustrative=True,
        source="示例",
        note="示例清单",
        declared={
            "categories": 1,
            "items": 2,
            "breakdowns": [{"field": "track", "partition": True, "counts": {"基本履职事项": 1, "配合履职事项": 1}, "note": "按履职类型"}],
        },
        categories=[
            {
                "name": "四违",
                "code": "01",
                "declared": 2,
                "note": "违法建筑等",
                "items": [
                    {
                        "code": "01-001",
                        "seq": 1,
                        "name": "违法建筑巡查",
                        "content": "对辖区违法建筑开展日常巡查并上报",
                        "basis": "《中华人民共和国城乡规划法》第六十四条",
                        "track": "基本履职事项",
                        "jurisdiction": "块属块管",
                        "responsible": "古美路街道",
                        "support": ["城管执法中队"],
                        "handling": {"department": "城管执法中队", "process": "发现—上报—处置", "time_limit": "3个工作日"},
                    },
                    {
                        "code": "01-002",
                        "seq": "2",
                        "name": "违法用地查处配合",
                        "basis": ["《中华人民共和国土地管理法》第八十三条", "《上海市城乡规划条例》"],
                        "track": "配合",
                        "jurisdiction": "条属条管",
                        "lead": "区规划资源局",
                        "note": "配合履职",
                    },
                ],
            }
        ],
    ),
    "power": header(
        "power",
        level="乡镇",
        declared={"items": 1, "breakdowns": [{"field": "type", "counts": {"行政处罚": 1}}]},
        items=[
            {
                "code": "330217-C01-001",
                "seq": 1,
                "name": "对违反城乡规划行为的处罚",
                "type": "行政处罚",
                "department": "镇人民政府",
                "basis": "《中华人民共和国城乡规划法》第六十五条",
                "subitems": [
                    {
                        "code": "330217-C01-001-1",
                        "name": "对未取得乡村建设规划许可证进行建设的处罚",
                        "basis": ["《中华人民共和国城乡规划法》第六十五条"],
                        "responsibilities": [{"stage": "立案", "content": "依法立案"}],
                        "accountability": "因不履行或不正确履行行政职责，有下列情形的……",
                        "note": "子项",
                    }
                ],
                "responsibilities": [
                    {"stage": "立案", "content": "对发现的违法行为予以审查，决定是否立案"},
                    {"stage": "调查取证"},
                ],
                "accountability": "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任……",
            }
        ],
    ),
    "territorial": header(
        "territorial",
        items=[
            {
                "code": "T-001",
                "name": "占道经营治理",
                "content": "查处占道经营行为",
                "basis": "《城市市容和环境卫生管理条例》第十四条",
                "lead": {"unit": "区城市管理执法局", "duties": "负责依法查处"},
                "support": [{"unit": "古美路街道", "duties": "发现、劝阻并及时报告"}],
                "grid": True,
            },
            {
                "code": "T-002",
                "name": "燃气安全检查",
                "lead": [{"unit": "区住房城乡建设局"}, {"unit": "区应急管理局", "duties": "综合监管"}],
            },
        ],
    ),
    "devolution": header(
        "devolution",
        declared={"categories": 1, "items": 3},
        categories=[
            {
                "name": "城乡建设",
                "items": [
                    {
                        "code": "D-001",
                        "name": "临时占用城市道路审批",
                        "source": "区建设局",
                        "receiver": "街道",
                        "method": "委托",
                        "entrustor": "区建设局",
                        "effective": "2023-01-01",
                        "handover": "2023-02-15",
                        "status": "有效",
                    },
                    {
                        "code": "D-002",
                        "name": "对占道经营的行政处罚",
                        "source": "区城市管理执法局",
                        "receiver": "古美路街道",
                        "method": "赋权",
                        "decision": {"title": "关于赋予乡镇街道部分行政执法权的决定", "doc_number": "沪府规〔2022〕1号", "date": "2022-06-01"},
                        "effective": "2022-07-01",
                    },
                    {
                        "code": "D-003",
                        "name": "建筑工程施工许可",
                        "source": "区建设局",
                        "receiver": "街道",
                        "method": "下放",
                        "status": "收回",
                        "withdrawal": {"reason": "专业性强，街道接不住", "approval": "区政府常务会议", "date": "2024-05-10"},
                    },
                ],
            }
        ],
    ),
    "community": header(
        "community",
        level="社区",
        items=[
            {
                "code": "C-001",
                "name": "协助开展人口普查",
                "type": "协助事项",
                "department": "区统计局",
                "application": {"department": "区统计局", "date": "2024-01-10", "form": "社区工作事项准入审批表"},
                "approval": {"body": "区政府", "date": "2024-02-20", "doc_number": "成华府办〔2024〕5号"},
                "funding": {"amount": 50000, "source": "区财政", "conditions": "配备专用电脑一台"},
            },
            {"code": "C-002", "name": "居住证明", "type": "可出具证明", "funding": {"amount": "每年5万元"}},
            {"code": "C-003", "name": "城市管理行政处罚", "type": "负面清单事项", "power_type": "行政处罚"},
        ],
    ),
    "entry-rules": header(
        "entry-rules",
        issuer="成华区人民政府办公室",
        applies_to=["成华区社区"],
        procedure=[
            {"step": "部门申请", "by": "区级部门", "form": "社区工作事项准入审批表"},
            {"step": "集中审核", "by": "区委编办会同区民政局、区司法局"},
            {"step": "区政府审定", "by": "区政府"},
        ],
        deadlines={"apply_ahead_working_days": 30, "decide_within_working_days": 15},
        required={"assist": ["application", "approval", "funding"], "approval": ["body", "date", "doc_number"]},
        government_only={
            "types": ["行政许可", "行政处罚", "行政强制", "行政征收", "行政检查"],
            "keywords": ["罚款", "吊销", "查封", "扣押", "行政许可", "行政处罚", "审批"],
        },
        items=[{"code": "N-001", "name": "出具无犯罪记录证明", "basis": "《公安机关办理犯罪记录查询工作规定》"}],
    ),
    "grid": header(
        "grid",
        items=[
            {
                "code": "G-001",
                "name": "占道经营巡查",
                "territorial": {"list": "sample-territorial", "code": "T-001"},
                "grids": ["古美一网格", "古美二网格"],
            },
            {"name": "独居老人走访", "territorial": {"code": "T-009"}},
        ],
    ),
    "assessment": header(
        "assessment",
        assessor="古美路街道办事处",
        assessees=["古美路派出所", "工商所"],
        cycle=["日检查", "月汇总", "季排队", "年总评"],
        veto=[{"name": "重大事故", "trigger": "辖区内发生重大安全生产责任事故", "decided_by": "街道党工委会议"}],
        results=["考核结果不合格单位不能评为绩效考核优秀单位"],
        categories=[
            {
                "name": "问题解决",
                "weight": 100,
                "items": [
                    {"code": "K-01", "name": "按时办结率", "weight": 60, "formula": "按时办结数 ÷ 应办结数 × 100%", "target": "≥ 95%", "data_source": "“大联动”综合业务平台"},
                    {"code": "K-02", "name": "先行联系率", "weight": 40, "duties": [{"list": "gumei-street-duty", "category": "“四违”"}]},
                ],
            }
        ],
    ),
    "registry": header(
        "registry",
        declared={"items": 3, "breakdowns": [{"field": "type", "partition": True, "counts": {"街道": 1, "社区": 1, "网格": 1}}]},
        units=[
            {
                "code": "GM",
                "name": "古美路街道办事处",
                "aliases": ["古美路街道", "古美街道"],
                "type": "街道",
                "uscc": "11511301008778183N",
                "division": "310112008",
                "note": "示例",
            },
            {"code": "GM-JL", "name": "九龙社区居民委员会", "type": "社区", "parent": "GM", "division": "220581102001"},
            {"code": "GM-JL-01", "name": "古美一网格", "type": "网格", "parent": "GM-JL", "households": 320},
        ],
    ),
    "project": {
        "govlist": 1,
        "kind": "project",
        "name": "示例区清单库",
        "region": {"name": "上海市闵行区", "division": "310112"},
        "vocabularies": {
            "power_types": {"values": ["行政许可", "行政处罚", "其他行政权力"], "aliases": {"其他职权": "其他行政权力"}},
            "duty_tracks": {"aliases": {"基本": "基本履职事项"}},
        },
        "profiles": {"item_codes": {"power": r"^\d{6}-[A-Z]\d{2}-\d{3}$"}},
        "rules": {"names.near-duplicate": "warning", "suppression.reason": "error"},
        "forbidden_functions": {"街道": ["招商引资", "协税护税"], "社区": ["招商引资", "协税护税", "经济发展"]},
        "repealed": [{"title": "《城市房屋拆迁管理条例》", "date": "2011-01-21"}],
    },
}


def sample(kind: str) -> dict[str, Any]:
    return copy.deepcopy(SAMPLES[kind])


def first_item(document: dict[str, Any]) -> dict[str, Any]:
    if "categories" in document:
        return document["categories"][0]["items"][0]
    if "units" in document:
        return document["units"][0]
    return document["items"][0]


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


# ---------------------------------------------------------------- the schema files


def test_one_schema_per_kind_plus_common() -> None:
    assert set(SCHEMAS) == {f"{kind}.schema.json" for kind in KINDS} | {"common.schema.json"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == BASE_URI + name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_property_has_chinese_title_and_description(name: str) -> None:
    missing = []
    for pointer, node in walk(SCHEMAS[name]):
        if pointer.endswith("/properties") and isinstance(node, dict):
            for key, prop in node.items():
                if not (prop.get("title") and prop.get("description")):
                    missing.append(f"{pointer}/{key}")
    assert not missing


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_object_is_closed(name: str) -> None:
    open_objects = []
    for pointer, node in walk(SCHEMAS[name]):
        if not (isinstance(node, dict) and "properties" in node and isinstance(node["properties"], dict)):
            continue
        if pointer.endswith("/properties") or (name, pointer.rsplit("/", 1)[-1]) in OPEN_DEFS:
            continue
        closed = node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
        # a kind's category only narrows "items" of the closed common category it refers to
        narrows_closed_ref = node.get("$ref", "").endswith("#/$defs/category")
        if not (closed or narrows_closed_ref):
            open_objects.append(pointer or "/")
    assert not open_objects


@pytest.mark.parametrize("kind", KINDS)
def test_kind_is_const(kind: str) -> None:
    assert SCHEMAS[f"{kind}.schema.json"]["properties"]["kind"]["const"] == kind


# ---------------------------------------------------------------- valid samples


@pytest.mark.parametrize("kind", KINDS)
def test_sample_is_valid(kind: str) -> None:
    assert errors(kind, sample(kind)) == []


def test_minimal_documents_are_valid() -> None:
    assert errors("duty", header("duty", items=[{"name": "事项"}])) == []
    assert errors("entry-rules", header("entry-rules")) == []
    assert errors("registry", header("registry", units=[{"code": "A", "name": "单位"}])) == []
    assert errors("project", {"govlist": 1, "kind": "project"}) == []


def test_vocabulary_fields_are_free_strings() -> None:
    document = sample("power")
    document["items"][0]["type"] = "行政调解"
    assert errors("power", document) == []
    document = sample("devolution")
    first_item(document)["method"] = "授权经营"
    assert errors("devolution", document) == []


# ---------------------------------------------------------------- invalid documents


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_top_level_field_is_reported(kind: str) -> None:
    document = sample(kind)
    document["colour"] = "红"
    found = errors(kind, document)
    assert len(found) == 1 and "colour" in found[0]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "project"])
def test_unknown_item_field_is_reported(kind: str) -> None:
    document = sample(kind)
    first_item(document)["colour"] = "红"
    found = errors(kind, document)
    assert len(found) == 1 and "colour" in found[0]


def test_field_of_another_kind_is_reported() -> None:
    document = sample("duty")
    first_item(document)["entrustor"] = "区建设局"
    assert any("entrustor" in e for e in errors("duty", document))


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "project"])
def test_missing_name_is_reported(kind: str) -> None:
    document = sample(kind)
    del first_item(document)["name"]
    found = errors(kind, document)
    assert len(found) == 1 and "'name' is a required property" in found[0]


def test_missing_category_name_is_reported() -> None:
    document = sample("duty")
    del document["categories"][0]["name"]
    assert errors("duty", document) == ["categories/0: 'name' is a required property"]


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_kind_is_reported(kind: str) -> None:
    document = sample(kind)
    document["kind"] = "power" if kind != "power" else "duty"
    found = errors(kind, document)
    assert found and all(e.startswith("kind:") for e in found)


def test_wrong_format_version_is_reported() -> None:
    document = sample("duty")
    document["govlist"] = 2
    assert errors("duty", document) == ["govlist: 1 was expected"]


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("duty", ("effective",)),
        ("devolution", ("categories", 0, "items", 0, "handover")),
        ("devolution", ("categories", 0, "items", 1, "decision", "date")),
        ("community", ("items", 0, "approval", "date")),
        ("project", ("repealed", 0, "date")),
    ],
)
@pytest.mark.parametrize("bad", ["2024/03/01", "2024-3-1", "20240301", "二〇二四年三月一日"])
def test_bad_date_is_reported(kind: str, path: tuple[Any, ...], bad: str) -> None:
    document = sample(kind)
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    found = errors(kind, document)
    assert len(found) == 1 and found[0].startswith("/".join(map(str, path)) + ":")


def test_bad_list_id_is_reported() -> None:
    document = sample("duty")
    document["id"] = "古美 职责"
    assert len(errors("duty", document)) == 1


def test_body_needs_exactly_one_of_categories_and_items() -> None:
    both = sample("duty")
    both["items"] = [{"name": "事项"}]
    assert len(errors("duty", both)) == 1
    neither = sample("duty")
    del neither["categories"]
    assert errors("duty", neither) == [": 'items' is a required property"]
    assert len(errors("duty", header("duty", categories=[]))) == 1
    assert len(errors("duty", header("duty", items=[]))) == 1
    assert len(errors("duty", header("duty", categories=[{"name": "空类别", "items": []}]))) == 1


def test_registry_needs_units() -> None:
    assert errors("registry", header("registry")) == [": 'units' is a required property"]


def test_codes_must_be_strings() -> None:
    document = sample("duty")
    first_item(document)["code"] = 1
    assert errors("duty", document) == ["categories/0/items/0/code: 1 is not of type 'string'"]


def test_fixed_enums() -> None:
    document = sample("duty")
    first_item(document)["jurisdiction"] = "条块结合"
    assert len(errors("duty", document)) == 1
    document = sample("devolution")
    first_item(document)["status"] = "暂停"
    assert len(errors("devolution", document)) == 1
    document = sample("project")
    document["rules"]["names.near-duplicate"] = "fatal"
    assert len(errors("project", document)) == 1


def test_basis_forms() -> None:
    for basis, count in [("《某法》第一条", 0), (["《某法》", "《某条例》"], 0), ("", 1), ([], 1), ([""], 1), (3, 1)]:
        document = sample("territorial")
        first_item(document)["basis"] = basis
        assert len(errors("territorial", document)) == count, basis


def test_territorial_lead_forms() -> None:
    document = sample("territorial")
    first_item(document)["lead"] = []  # "no lead" is reported by a rule, not the schema
    assert errors("territorial", document) == []
    first_item(document)["lead"] = "区城市管理执法局"
    assert len(errors("territorial", document)) == 1
    first_item(document)["lead"] = {"duties": "负责"}
    assert len(errors("territorial", document)) == 1
    first_item(document)["lead"] = [{"unit": "甲", "extra": 1}]
    assert len(errors("territorial", document)) == 1


def test_division_code_lengths() -> None:
    document = sample("registry")
    for division, count in [("310112", 0), ("310112008", 0), ("220581102001", 0), ("31011", 1), (310112, 1)]:
        document["units"][0]["division"] = division
        assert len(errors("registry", document)) == count, division


def test_unknown_vocabulary_is_reported() -> None:
    document = sample("project")
    document["vocabularies"]["power_type"] = {"values": ["行政许可"]}
    assert len(errors("project", document)) == 1


# ---------------------------------------------------------------- jsonschema-rs (the validator govlist uses)


def test_jsonschema_rs_compiles_and_validates() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in SCHEMAS.values()])

    def compiled_for(kind: str):
        try:
            return jsonschema_rs.validator_for(SCHEMAS[f"{kind}.schema.json"], registry=registry, offline=True)
        except TypeError:  # jsonschema-rs < 0.54 has no offline switch; the registry holds every schema anyway
            return jsonschema_rs.validator_for(SCHEMAS[f"{kind}.schema.json"], registry=registry)

    for kind in KINDS:
        compiled = compiled_for(kind)
        assert list(compiled.iter_errors(sample(kind))) == [], kind
        bad = sample(kind)
        bad["colour"] = "红"
        bad["kind"] = "wrong"
        assert len(list(compiled.iter_errors(bad))) == 2, kind
    duty = compiled_for("duty")
    bad = sample("duty")
    bad["effective"] = "2024/03/01"
    del first_item(bad)["name"]
    assert sorted(tuple(e.instance_path) for e in duty.iter_errors(bad)) == [
        ("categories", 0, "items", 0),
        ("effective",),
    ]
