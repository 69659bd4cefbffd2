"""Rules of govlist/rules/assessment.py: 考核清单 (区考核块、块考核条)."""

from __future__ import annotations

from conftest import hits, messages

REGISTRY = """
govlist: 1
kind: registry
id: gm-registry
title: 古美路街道机构名录
level: 街道
unit: GM-JD
units:
  - {code: GM-JD, name: 古美路街道办事处, aliases: [古美路街道], type: 街道}
  - {code: GM-ZZRS, name: 古美路街道组织人事科, aliases: [组织人事科], type: 内设机构, parent: GM-JD}
  - {code: GM-PC-GA, name: 古美路派出所, type: 派出机构, jurisdiction: 条属块管}
  - {code: GM-PC-GS, name: 古美路工商所, aliases: [工商所], type: 派出机构, jurisdiction: 条属块管}
  - {code: GM-PZ-CG, name: 城管执法中队, type: 派驻机构, jurisdiction: 块属块管}
"""

DUTY = """
govlist: 1
kind: duty
id: gm-duty
title: 街道社会管理职责任务表
categories:
  - name: 无证照经营
    code: "04"
    items:
      - {code: GM-JD-04-001, name: 无照经营查处, jurisdiction: 条属块管, responsible: 工商所}
"""


def assessment(body: str, head: str = "") -> str:
    return f"""\
govlist: 1
kind: assessment
id: gm-assessment
title: 古美路街道条属块管派出机构监督考核办法
assessor: 古美路街道办事处
assessees: [古美路派出所, 工商所]
{head}{body}"""


ONE_ITEM = """\
items:
  - {code: K-01, name: 按时办结率, weight: 100}
"""

# --- assessment.weights ----------------------------------------------------------------------------------------------


def test_weights_add_up_per_level(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "assessment.yaml": assessment("""\
categories:
  - name: 问题解决
    weight: 50
    items:
      - {code: K-01, name: 先行联系率, weight: 15}
      - {code: K-02, name: 按时办结率, weight: 20}
      - {code: K-03, name: 满意率, weight: 15}
  - name: 责任落实
    weight: 50
    items:
      - {code: K-04, name: 无证照经营整治}
      - {code: K-05, name: 实有人口管理}
"""),
        }
    )
    assert hits(report, "assessment.weights") == []


def test_weights_fire_on_sum_missing_weight_and_total(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "assessment.yaml": assessment("""\
total_weight: 100
categories:
  - name: 问题解决
    weight: 50
    items:
      - {code: K-01, name: 先行联系率, weight: 15}
      - {code: K-02, name: 按时办结率, weight: 25}
      - {code: K-03, name: 满意率, weight: 15}
  - name: 责任落实
    weight: 40
    items:
      - {code: K-04, name: 无证照经营整治, weight: 20}
      - {code: K-05, name: 实有人口管理}
"""),
        }
    )
    # the categories (50 + 40) at total_weight; 问题解决's indicators (55) at its weight; K-05 without a weight
    assert hits(report, "assessment.weights") == [
        ("assessment.yaml", 7, 15, None),
        ("assessment.yaml", 10, 13, None),
        ("assessment.yaml", 19, 9, "K-05"),
    ]
    total, category, missing = messages(report, "assessment.weights")
    assert "90" in total.zh and "应为 100" in total.zh and "50 + 40" in total.en
    assert "问题解决" in category.zh and "55" in category.zh and "应为 50" in category.zh
    assert "实有人口管理" in missing.zh and "weight" in missing.en


def test_weights_of_a_flat_list(validate_set):
    report = validate_set(
        {
            "assessment.yaml": assessment("""\
items:
  - {code: K-01, name: 先行联系率, weight: 40}
  - {code: K-02, name: 按时办结率, weight: 40}
"""),
        }
    )
    assert hits(report, "assessment.weights") == [("assessment.yaml", 8, 3, None)]  # at the items
    report = validate_set({"assessment.yaml": assessment(ONE_ITEM)})
    assert hits(report, "assessment.weights") == []


# --- assessment.assessee ---------------------------------------------------------------------------------------------


def test_assessee_and_assessor_must_exist(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "assessment.yaml": assessment(ONE_ITEM, head="organizer: 组织人事科\n").replace("assessees: [古美路派出所, 工商所]", "assessees: [古美路派出所, 古美路税务所, 居民区]"),
        }
    )
    assert hits(report, "assessment.assessee") == [("assessment.yaml", 6, 21, None)]
    (message,) = messages(report, "assessment.assessee")
    assert "被考核对象" in message.zh and "古美路税务所" in message.zh


def test_assessee_quiet_when_all_resolve_or_no_registry(validate_set):
    report = validate_set({"registry.yaml": REGISTRY, "assessment.yaml": assessment(ONE_ITEM, head="organizer: 组织人事科\n")})
    assert hits(report, "assessment.assessee") == []


def test_assessee_quiet_without_a_registry(validate_set):
    report = validate_set({"assessment.yaml": assessment(ONE_ITEM).replace("工商所]", "古美路税务所]")})
    assert hits(report, "assessment.assessee") == []


# --- assessment.stationed-unassessed ---------------------------------------------------------------------------------


def test_stationed_office_not_assessed_by_its_street(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "assessment.yaml": assessment(ONE_ITEM).replace("assessees: [古美路派出所, 工商所]", "assessees: [古美路派出所]"),
        }
    )
    # 工商所 is 条属块管 and not assessed; 城管执法中队 is 块属块管 and needs no street assessment list
    assert hits(report, "assessment.stationed-unassessed") == [("registry.yaml", 11, 78, "GM-PC-GS")]
    (message,) = messages(report, "assessment.stationed-unassessed")
    assert "古美路工商所" in message.zh and "gm-assessment" in message.zh


def test_stationed_office_with_no_assessment_list_at_all(validate_set):
    report = validate_set({"registry.yaml": REGISTRY})
    assert hits(report, "assessment.stationed-unassessed") == [
        ("registry.yaml", 10, 62, "GM-PC-GA"),
        ("registry.yaml", 11, 78, "GM-PC-GS"),
    ]
    assert "没有以古美路街道办事处为考核主体" in messages(report, "assessment.stationed-unassessed")[0].zh


def test_stationed_offices_assessed(validate_set):
    report = validate_set({"registry.yaml": REGISTRY, "assessment.yaml": assessment(ONE_ITEM)})
    assert hits(report, "assessment.stationed-unassessed") == []


def test_stationed_offices_assessed_by_another_unit_do_not_count(validate_set):
    report = validate_set({"registry.yaml": REGISTRY, "assessment.yaml": assessment(ONE_ITEM).replace("assessor: 古美路街道办事处", "assessor: 组织人事科")})
    assert [h[3] for h in hits(report, "assessment.stationed-unassessed")] == ["GM-PC-GA", "GM-PC-GS"]
    assert "gm-assessment" not in messages(report, "assessment.stationed-unassessed")[0].zh


def test_stationed_offices_of_a_registry_that_is_not_a_street(validate_set):
    district = REGISTRY.replace("level: 街道\nunit: GM-JD", "level: 区\nunit: GM-QU").replace("units:\n", "units:\n  - {code: GM-QU, name: 闵行区, type: 区}\n")
    report = validate_set({"registry.yaml": district})
    assert hits(report, "assessment.stationed-unassessed") == []


# --- assessment.duty-ref ---------------------------------------------------------------------------------------------


def test_duty_refs_resolve(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "duty.yaml": DUTY,
            "assessment.yaml": assessment("""\
items:
  - code: K-01
    name: 无证照经营整治
    weight: 100
    duties:
      - {list: gm-duty, category: 无证照经营}
      - {list: gm-duty, category: "04"}
      - {list: gm-duty, code: GM-JD-04-001}
      - {list: gm-duty, category: 无证经营}
      - {list: gm-duty, code: GM-JD-04-009}
      - {list: gm-registry, code: GM-JD-04-001}
"""),
        }
    )
    assert hits(report, "assessment.duty-ref") == [
        ("assessment.yaml", 15, 35, "K-01"),
        ("assessment.yaml", 16, 31, "K-01"),
        ("assessment.yaml", 17, 16, "K-01"),
    ]
    category, code, wrong_list = messages(report, "assessment.duty-ref")
    assert "无证经营" in category.zh and "GM-JD-04-009" in code.zh and "gm-registry" in wrong_list.zh


def test_duty_refs_quiet_without_duty_lists(validate_set):
    report = validate_set(
        {
            "assessment.yaml": assessment("""\
items:
  - {code: K-01, name: 无证照经营整治, weight: 100, duties: [{list: gm-duty, category: 无证经营}]}
"""),
        }
    )
    assert hits(report, "assessment.duty-ref") == []


# --- assessment.veto-trigger -----------------------------------------------------------------------------------------


def test_veto_items_name_their_trigger(validate_set):
    report = validate_set(
        {
            "assessment.yaml": assessment(
                ONE_ITEM,
                head="""\
veto:
  - {name: 重大事故, trigger: 辖区内发生被考核单位负有责任的重大事故, decided_by: 街道党工委会议}
  - {name: 重点舆情, trigger: 待定}
  - {name: 社会稳定}
""",
            ),
        }
    )
    assert hits(report, "assessment.veto-trigger") == [("assessment.yaml", 9, 27, None), ("assessment.yaml", 10, 5, None)]
    pending, missing = messages(report, "assessment.veto-trigger")
    assert "重点舆情" in pending.zh and "社会稳定" in missing.zh and "trigger" in missing.en
