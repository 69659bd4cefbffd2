"""Rules of govlist/rules/devolution.py: 下放/赋权事项目录."""

from __future__ import annotations

from conftest import hits

REGISTRY = """
govlist: 1
kind: registry
id: chenghua-registry
title: 成都市成华区机构名录
units:
  - code: "CH-BM-ZJ"
    name: 成华区住房和城乡建设局
    aliases: [区住建局]
    type: 部门
  - code: "CH-BM-JY"
    name: 成华区教育局
    aliases: [区教育局]
    type: 部门
  - code: "CH-BM-CG"
    name: 成华区城市管理局
    aliases: [区城管局]
    type: 部门
  - code: "CH-JD-MZW"
    name: 猛追湾街道
    aliases: [猛追湾街道办事处, 猛追湾街办]
    type: 街道
"""

# Six lines; the first item starts on line 7.
HEAD = """\
govlist: 1
kind: devolution
id: mzw-devolution
title: 成华区区级部门下放猛追湾街道事项目录
effective: "2021-07-01"
items:
"""

# Five lines, no catalog-wide date; the first item starts on line 6.
HEAD_UNDATED = """\
govlist: 1
kind: devolution
id: mzw-devolution
title: 成华区区级部门下放猛追湾街道事项目录
items:
"""


def dev(head: str, body: str) -> str:
    return head + body


def test_same_unit_by_registry_identity_and_by_text(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "XF-01"
    name: 物业服务矛盾协调
    source: 区住建局
    receiver: 成华区住房和城乡建设局
    method: 下放
  - code: "XF-02"
    name: 业主大会成立指导
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
  - code: "XF-03"
    name: 燃气安全宣传
    source: 区应急管理局
    receiver: 区应急管理局　
    method: 下放
  - code: "XF-04"
    name: 适龄儿童入学督促
    source: 区教育局
    receiver: 街道
    method: 下放
""",
            ),
        }
    )
    # XF-01: alias and full name of one registry unit; XF-03: not in the registry, equal after normalisation.
    assert hits(report, "devolution.same-unit") == [("dev.yaml", 10, 15, "XF-01"), ("dev.yaml", 20, 15, "XF-03")]
    message = next(f.message for f in report.findings if f.rule == "devolution.same-unit")
    assert "成华区住房和城乡建设局" in message.zh and "区住建局" in message.zh
    assert "the same unit" in message.en


def test_same_unit_quiet_for_distinct_units(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "XF-01"
    name: 业主大会成立指导
    source: 成华区住房和城乡建设局
    receiver: 猛追湾街办
    method: 下放
""",
            ),
        }
    )
    assert hits(report, "devolution.same-unit") == []


def test_date_missing_everywhere_and_handover_after_effective(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD_UNDATED,
                """\
  - code: "XF-01"
    name: 廉租住房保障申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
  - code: "XF-02"
    name: 公共租赁住房申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
    effective: "2021-07-01"
    handover: "2021-07-15"
  - code: "XF-03"
    name: 业主委员会选举指导
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
    effective: "2021-07-01"
    handover: "2021-06-20"
  - code: "XF-04"
    name: 物业服务矛盾协调
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal: {reason: 专业性强，街道接不住, approval: 成华府〔2023〕3号, date: "2023-03-01"}
""",
            ),
        }
    )
    # XF-01: no date at all (item mapping); XF-02: handover after start; XF-03 fine; XF-04 withdrawn, not checked.
    assert hits(report, "devolution.date") == [("dev.yaml", 6, 5, "XF-01"), ("dev.yaml", 17, 15, "XF-02")]
    messages = [f.message for f in report.findings if f.rule == "devolution.date"]
    assert "effective" in messages[0].zh
    assert "2021-07-15" in messages[1].zh and "2021-07-01" in messages[1].zh
    assert all(f.severity.label == "warning" for f in report.findings if f.rule == "devolution.date")


def test_date_header_effective_covers_items_and_is_used_for_handover(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "XF-01"
    name: 廉租住房保障申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
  - code: "XF-02"
    name: 公共租赁住房申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 下放
    handover: "2021-07-05"
""",
            ),
        }
    )
    assert hits(report, "devolution.date") == [("dev.yaml", 17, 15, "XF-02")]
    message = next(f.message for f in report.findings if f.rule == "devolution.date")
    assert "目录头部" in message.zh and "catalog header" in message.en


def test_entrustor_missing_alias_method_and_self_entrustment(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "WT-01"
    name: 随迁子女入学资格初审
    source: 区教育局
    receiver: 猛追湾街道
    method: 委托下放
  - code: "WT-02"
    name: 廉租住房保障申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 委托
    entrustor: 猛追湾街道办事处
  - code: "WT-03"
    name: 公共租赁住房申请受理
    source: 区住建局
    receiver: 猛追湾街道
    method: 委托
    entrustor: 区住建局
  - code: "WT-04"
    name: 业主大会成立指导
    source: 区住建局
    receiver: 猛追湾街道
    method: 授权
""",
            ),
        }
    )
    # WT-01: 委托下放 is 委托 and names no entrustor; WT-02 entrusts the receiver itself (alias of 猛追湾街道).
    assert hits(report, "devolution.entrustor") == [("dev.yaml", 11, 13, "WT-01"), ("dev.yaml", 17, 16, "WT-02")]
    messages = [f.message for f in report.findings if f.rule == "devolution.entrustor"]
    assert "委托机关" in messages[0].zh and "WT-01 随迁子女入学资格初审" in messages[0].zh
    assert "猛追湾街道办事处" in messages[1].zh


def test_decision_missing_or_incomplete(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "FQ-01"
    name: 占用城市道路经营的行政处罚
    source: 区城管局
    receiver: 猛追湾街道
    method: 赋予
  - code: "FQ-02"
    name: 擅自设置户外广告的行政处罚
    source: 区城管局
    receiver: 猛追湾街道
    method: 赋权
    decision:
      title: XX省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定
  - code: "FQ-03"
    name: 违法倾倒建筑垃圾的行政处罚
    source: 区城管局
    receiver: 猛追湾街道
    method: 赋权
    decision: {title: XX省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定, doc_number: X府发〔2021〕15号, date: "2021-06-30"}
""",
            ),
        }
    )
    assert hits(report, "devolution.decision") == [("dev.yaml", 11, 13, "FQ-01"), ("dev.yaml", 18, 7, "FQ-02")]
    messages = [f.message for f in report.findings if f.rule == "devolution.decision"]
    assert "赋权决定" in messages[0].zh
    assert "文号、日期" in messages[1].zh and "doc number, date" in messages[1].en


def test_withdrawal_record_and_misplaced_withdrawal(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "SH-01"
    name: 燃气经营安全监督检查
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
  - code: "SH-02"
    name: 建筑垃圾运输监管
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal:
      reason: 专业性强，街道接不住
  - code: "SH-03"
    name: 户外广告设置审核
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    withdrawal: {reason: 依据已取消, approval: 成华府〔2023〕3号, date: "2023-03-01"}
  - code: "SH-04"
    name: 占道经营巡查
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal: {reason: 接不住, approval: 成华府〔2023〕3号, date: "2023-03-01"}
  - code: "SH-05"
    name: 门前三包监督
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal: {reason: 接不住, approval: 成华府〔2023〕3号, date: "2020-03-01"}
""",
            ),
        }
    )
    assert hits(report, "devolution.withdrawal") == [
        ("dev.yaml", 12, 13, "SH-01"),  # no withdrawal record: at status
        ("dev.yaml", 20, 7, "SH-02"),  # approval and date missing
        ("dev.yaml", 26, 17, "SH-03"),  # a withdrawal on an active item
        ("dev.yaml", 40, 60, "SH-05"),  # withdrawn 2020-03-01, before the catalog's 2021-07-01
    ]
    messages = [f.message for f in report.findings if f.rule == "devolution.withdrawal"]
    assert "收回原因、批准情况、收回日期" in messages[0].zh
    assert "批准情况、收回日期" in messages[1].zh
    assert "不是“收回”" in messages[2].zh
    assert "2020-03-01" in messages[3].zh


def test_withdrawn_item_still_active_by_name_and_code(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "duty.yaml": """\
govlist: 1
kind: duty
id: mzw-duty
title: 猛追湾街道职责任务清单
items:
  - code: "JD-SH-001"
    name: 燃气经营安全监督检查
    track: 收回
  - code: "JD-JB-001"
    name: 辖区环境卫生巡查
    track: 基本履职事项
""",
            "old.yaml": """\
govlist: 1
kind: devolution
id: mzw-devolution-2021
title: 成华区区级部门下放猛追湾街道事项目录（2021年）
effective: "2021-07-01"
items:
  - code: "XF-009"
    name: 建筑垃圾运输监管
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal: {reason: 专业性强，街道接不住, approval: 成华府〔2023〕3号, date: "2023-03-01"}
""",
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "XF-001"
    name: 燃气经营安全监督检查（瓶装液化气）
    source: 区城管局
    receiver: 猛追湾街道
    method: 赋权
    decision: {title: XX省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定, doc_number: X府发〔2021〕15号, date: "2021-06-30"}
  - code: "XF-009"
    name: 建筑垃圾运输车辆监管
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
  - code: "XF-010"
    name: 辖区环境卫生巡查
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
""",
            ),
        }
    )
    # XF-001: same name as the duty list's 收回 item (gloss stripped); XF-009: renamed, same code as the withdrawn item.
    assert hits(report, "devolution.withdrawn-still-listed") == [("dev.yaml", 8, 11, "XF-001"), ("dev.yaml", 13, 11, "XF-009")]
    messages = [f.message for f in report.findings if f.rule == "devolution.withdrawn-still-listed"]
    assert "上级部门收回事项" in messages[0].zh
    assert "mzw-devolution-2021" in messages[1].en or "2021年" in messages[1].zh


def test_withdrawn_still_listed_quiet_when_withdrawn_item_is_marked(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "XF-009"
    name: 建筑垃圾运输监管
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
    status: 收回
    withdrawal: {reason: 专业性强，街道接不住, approval: 成华府〔2023〕3号, date: "2023-03-01"}
  - code: "XF-010"
    name: 辖区环境卫生巡查
    source: 区城管局
    receiver: 猛追湾街道
    method: 下放
""",
            ),
        }
    )
    assert hits(report, "devolution.withdrawn-still-listed") == []
    assert [f for f in report.findings if f.rule.startswith("devolution.")] == []


def test_project_severity_off_and_override(validate_set):
    report = validate_set(
        {
            "govlist.yaml": """\
govlist: 1
kind: project
name: 成华区清单库
rules:
  devolution.entrustor: "off"  # unquoted off is YAML 1.1 false
  devolution.date: error
""",
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "WT-01"
    name: 随迁子女入学资格初审
    source: 区教育局
    receiver: 猛追湾街道
    method: 委托
    handover: "2021-08-02"
""",
            ),
        }
    )
    assert hits(report, "devolution.entrustor") == []
    assert hits(report, "devolution.date") == [("dev.yaml", 12, 15, "WT-01")]
    assert next(f for f in report.findings if f.rule == "devolution.date").severity.label == "error"


def test_project_vocabulary_alias_for_method(validate_set):
    report = validate_set(
        {
            "govlist.yaml": """\
govlist: 1
kind: project
name: 成华区清单库
vocabularies:
  devolution_methods:
    aliases: {委托实施: 委托}
""",
            "registry.yaml": REGISTRY,
            "dev.yaml": dev(
                HEAD,
                """\
  - code: "WT-01"
    name: 随迁子女入学资格初审
    source: 区教育局
    receiver: 猛追湾街道
    method: 委托实施
""",
            ),
        }
    )
    assert hits(report, "devolution.entrustor") == [("dev.yaml", 11, 13, "WT-01")]
