"""duty.basic-and-withdrawn, duty.assist-without-lead, duty.handling."""

from __future__ import annotations

from conftest import hits, messages

REGISTRY = """
govlist: 1
kind: registry
id: hb-registry
title: 河滨街道机构名录
units:
  - code: "QU"
    name: XX区
    type: 区
  - code: "JD-HB"
    name: 河滨街道办事处
    aliases: [河滨街道]
    type: 街道
    parent: "QU"
  - code: "JD-HB-SZ"
    name: 河滨街道城市管理科
    aliases: [城管科]
    type: 内设机构
    parent: "JD-HB"
  - code: "BM-ZJW"
    name: XX区住房和城乡建设委员会
    aliases: [区住建委]
    type: 部门
    parent: "QU"
  - code: "BM-HB"
    name: XX区环境保护局
    aliases: [区环保局]
    type: 部门
    parent: "QU"
  - code: "PC-GA"
    name: 公安河滨派出所
    type: 派出机构
    parent: "QU"
"""


# duty.basic-and-withdrawn -------------------------------------------------------------------------------------------


def test_basic_and_withdrawn_in_one_list_by_name_with_aliases_and_full_width(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        level: 街道
        unit: 河滨街道
        items:
          - code: JD-001
            name: 违法建设巡查（发现、报告）
            track: 基本
          - code: JD-002
            name: 燃气安全宣传
            track: 基本履职事项
          - code: JD-120
            name: 违法建设巡查(发现,报告)
            track: 收回
    """
        }
    )
    assert hits(report, "duty.basic-and-withdrawn") == [("duty.yaml", 16, 12, "JD-120")]
    assert "JD-001" in messages(report, "duty.basic-and-withdrawn", "zh")[0]


def test_basic_and_withdrawn_by_same_code(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        items:
          - code: JD-001
            name: 户外广告设置管理
            track: 基本履职事项
          - code: JD-001
            name: 户外广告设施设置审批
            track: 上级部门收回事项
    """
        }
    )
    assert hits(report, "duty.basic-and-withdrawn") == [("duty.yaml", 11, 12, "JD-001")]


BASIC_LIST = """
govlist: 1
kind: duty
id: hb-basic
title: 河滨街道基本履职事项清单
level: 街道
unit: 河滨街道办事处
items:
  - code: JD-J-001
    name: 违法建设巡查
    track: 基本履职事项
"""


def test_basic_and_withdrawn_across_lists_of_the_same_unit_and_level(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "basic.yaml": BASIC_LIST,
            "withdrawn.yaml": """
            govlist: 1
            kind: duty
            id: hb-withdrawn
            title: 河滨街道上级部门收回事项清单
            level: 街道
            unit: JD-HB
            items:
              - code: JD-S-001
                name: 户外广告设施设置审批
                track: 上级部门收回事项
              - code: JD-S-002
                name: 违法建设巡查
                track: 上级部门收回事项
        """,
        }
    )
    assert hits(report, "duty.basic-and-withdrawn") == [("withdrawn.yaml", 13, 12, "JD-S-002")]
    message = messages(report, "duty.basic-and-withdrawn", "zh")[0]
    assert "hb-basic" in message and "JD-J-001 违法建设巡查" in message


def test_basic_and_withdrawn_quiet_for_another_level_or_unit(validate_set):
    other_level = """
        govlist: 1
        kind: duty
        id: hb-juminqu
        title: 河滨街道居民区职责任务清单
        level: 居民区
        unit: 河滨街道
        items:
          - {code: JMQ-001, name: 违法建设巡查, track: 收回}
    """
    other_unit = """
        govlist: 1
        kind: duty
        id: ql-withdrawn
        title: 桥西街道上级部门收回事项清单
        level: 街道
        unit: 桥西街道
        items:
          - {code: QX-001, name: 违法建设巡查, track: 收回}
    """
    report = validate_set({"registry.yaml": REGISTRY, "basic.yaml": BASIC_LIST, "juminqu.yaml": other_level, "qiaoxi.yaml": other_unit})
    assert hits(report, "duty.basic-and-withdrawn") == []


def test_basic_and_withdrawn_quiet_on_a_correct_three_list_split(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        items:
          - {code: JD-001, name: 违法建设巡查, track: 基本}
          - {code: JD-002, name: 燃气安全宣传, track: 配合, lead: 区住建委}
          - {code: JD-003, name: 户外广告设施设置审批, track: 收回}
          - {code: JD-004, name: 违法建设巡查记录, track: 收回}
    """
        }
    )
    assert hits(report, "duty.basic-and-withdrawn") == []


# duty.assist-without-lead -------------------------------------------------------------------------------------------


def test_assist_without_lead(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        level: 街道
        unit: 河滨街道
        categories:
          - name: 城乡建设
            items:
              - code: JD-P-001
                name: 燃气安全宣传
                track: 配合
              - code: JD-P-002
                name: 建筑工地扬尘巡查
                track: 配合履职事项
                lead: 区住建委
    """
        }
    )
    assert hits(report, "duty.assist-without-lead") == [("duty.yaml", 12, 16, "JD-P-001")]


def test_assist_led_by_the_list_s_own_unit_its_division_or_level(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "duty.yaml": """
            govlist: 1
            kind: duty
            id: hb-duty
            title: 河滨街道配合履职事项清单
            level: 街道
            unit: JD-HB
            items:
              - code: JD-P-001
                name: 燃气安全宣传
                track: 配合履职
                lead: 河滨街道
              - code: JD-P-002
                name: 餐饮油烟投诉处理
                track: 配合
                lead: 城管科
              - code: JD-P-003
                name: 露天焚烧巡查
                track: 配合
                lead: 街道
              - code: JD-P-004
                name: 建筑工地扬尘巡查
                track: 配合
                lead: 区住建委
        """,
        }
    )
    assert hits(report, "duty.assist-without-lead") == [
        ("duty.yaml", 11, 11, "JD-P-001"),
        ("duty.yaml", 15, 11, "JD-P-002"),
        ("duty.yaml", 19, 11, "JD-P-003"),
    ]
    zh = messages(report, "duty.assist-without-lead", "zh")
    assert "本清单的适用单位" in zh[0] and "河滨街道办事处下属" in zh[1] and "层级名称" in zh[2]


def test_assist_led_by_own_unit_without_registry_full_width(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        unit: 河滨街道
        items:
          - code: JD-P-001
            name: 燃气安全宣传
            track: 配合
            lead: 河滨街道　
          - code: JD-P-002
            name: 餐饮油烟投诉处理
            track: 配合
            lead: 区环保局
    """
        }
    )
    assert hits(report, "duty.assist-without-lead") == [("duty.yaml", 10, 11, "JD-P-001")]


def test_assist_quiet_for_basic_items_without_lead(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        items:
          - {code: JD-001, name: 违法建设巡查, track: 基本}
          - {code: JD-002, name: 门前三包责任制落实}
    """
        }
    )
    assert hits(report, "duty.assist-without-lead") == []


# duty.handling --------------------------------------------------------------------------------------------------------


def test_handling_department_missing_for_tiao_items(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        unit: 河滨街道
        items:
          - code: JD-001
            name: 无证摊贩查处
            jurisdiction: 条属块管
          - code: JD-002
            name: 噪声扰民处置
            jurisdiction: 条属条管
            handling:
              time_limit: 接报后30分钟内到场
          - code: JD-003
            name: 门前三包督促
            jurisdiction: 块属块管
    """
        }
    )
    assert hits(report, "duty.handling") == [("duty.yaml", 9, 19, "JD-001"), ("duty.yaml", 14, 7, "JD-002")]


def test_tiao_tiao_item_handled_only_inside_the_street(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "duty.yaml": """
            govlist: 1
            kind: duty
            id: hb-duty
            title: 河滨街道职责任务清单
            level: 街道
            unit: 河滨街道办事处
            items:
              - code: JD-001
                name: 餐饮油烟扰民投诉处置
                jurisdiction: 条属条管
                responsible: 城管科
                handling:
                  department: 河滨街道城市管理科
                  process: 接报→城管科上门了解→劝导整改
              - code: JD-002
                name: 建筑工地夜间施工噪声处置
                jurisdiction: 条属条管
                responsible: 河滨街道城市管理科
                support: [区环保局]
                handling:
                  department: 城管科
                  process: 接报→城管科现场核查→向区环保局提出执法申请→跟踪结果
              - code: JD-003
                name: 露天焚烧查处
                jurisdiction: 条属条管
                handling:
                  department: XX区环境保护局
              - code: JD-004
                name: 盗窃电动车案件处置
                jurisdiction: 条属块管
                handling:
                  department: 公安河滨派出所
        """,
        }
    )
    assert hits(report, "duty.handling") == [("duty.yaml", 13, 19, "JD-001")]
    assert "河滨街道城市管理科" in messages(report, "duty.handling", "zh")[0]


def test_tiao_tiao_without_registry_uses_the_unit_name(validate_set):
    report = validate_set(
        {
            "duty.yaml": """
        govlist: 1
        kind: duty
        id: hb-duty
        title: 河滨街道职责任务清单
        unit: 河滨街道
        items:
          - code: JD-001
            name: 餐饮油烟扰民投诉处置
            jurisdiction: 条属条管
            handling: {department: 河滨街道城市管理科}
            support: [社区]
          - code: JD-002
            name: 建筑工地夜间施工噪声处置
            jurisdiction: 条属条管
            handling: {department: 区环保局}
    """
        }
    )
    assert hits(report, "duty.handling") == [("duty.yaml", 10, 28, "JD-001")]


def test_basic_and_withdrawn_tracks_as_written_in_several_lists(validate_set):
    # each track as written is resolved once for the whole set (the vocabulary's answer kept): the same answers
    def duty(tag: str, unit: str, tracks: tuple[str, str]) -> str:
        return f"""
        govlist: 1
        kind: duty
        id: {tag}-duty
        title: {unit}职责任务清单
        level: 街道
        unit: {unit}
        items:
          - {{code: JD-{tag}1, name: 违法建设巡查(发现), track: {tracks[0]}}}
          - {{code: JD-{tag}2, name: 违法建设巡查（发现）, track: {tracks[1]}}}
    """

    report = validate_set({"a.yaml": duty("A", "甲街道", ("基本", "收回")), "b.yaml": duty("B", "乙街道", ("收回", "基本履职事项")), "c.yaml": duty("C", "丙街道", ("配合", "收回"))})
    assert [(h[0], h[3]) for h in hits(report, "duty.basic-and-withdrawn")] == [("a.yaml", "JD-A2"), ("b.yaml", "JD-B1")]
