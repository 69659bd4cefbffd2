"""power.responsibilities, power.accountability, power.stages, power.accountability-form."""

from __future__ import annotations

from conftest import hits, messages

ACCOUNTABILITY = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：（一）对符合法定条件的申请不予受理的；（二）其他违反法律法规规章规定的行为。"

HEADER = """
govlist: 1
kind: power
id: hb-power
title: 河滨街道办事处权责清单
items:
"""


def power_list(body: str) -> str:
    """A power list: the header above and `body`, items indented by two spaces."""
    return HEADER.lstrip("\n") + body.strip("\n") + "\n"


# power.responsibilities / power.accountability -----------------------------------------------------------------------


def test_power_without_responsibilities_or_accountability(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-XK-001
    type: 行政许可
    name: 临时占用城市道路审批
    accountability: {ACCOUNTABILITY}
  - code: XX-CF-001
    type: 行政处罚
    name: 对露天烧烤食品的处罚
    responsibilities: []
    accountability: "  "
  - code: XX-QT-001
    type: 其他职权
    name: 社区工作事项准入审核
    responsibilities:
      - {{stage: 审核, content: 审核部门提交的准入申请。}}
    accountability: {ACCOUNTABILITY}
""")
        }
    )
    assert hits(report, "power.responsibilities") == [("power.yaml", 6, 5, "XX-XK-001"), ("power.yaml", 10, 5, "XX-CF-001")]
    assert hits(report, "power.accountability") == [("power.yaml", 10, 5, "XX-CF-001")]
    assert "临时占用城市道路审批" in messages(report, "power.responsibilities", "zh")[0]


def test_subitems_inherit_the_parent_s_responsibilities_and_accountability(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-CF-006
    type: 行政处罚
    name: 对违反城市市容和环境卫生管理规定行为的处罚
    subitems:
      - code: XX-CF-006-01
        name: 对随地吐痰、便溺的处罚
      - code: XX-CF-006-02
        name: 对在树木上涂写、刻画的处罚
    responsibilities:
      - {{stage: 立案}}
      - {{stage: 调查取证}}
      - {{stage: 决定}}
      - {{stage: 送达}}
      - {{stage: 执行}}
    accountability: {ACCOUNTABILITY}
""")
        }
    )
    assert hits(report, "power.responsibilities") == []
    assert hits(report, "power.accountability") == []
    assert hits(report, "power.stages") == []


def test_subitems_without_a_parent_to_inherit_from(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-CF-007
    type: 行政处罚
    name: 对擅自设置户外广告和堆放物料的处罚
    subitems:
      - code: XX-CF-007-01
        name: 对擅自设置大型户外广告的处罚
        responsibilities:
          - {{stage: 立案责任}}
          - {{stage: 调查责任}}
          - {{stage: 决定责任}}
          - {{stage: 送达责任}}
          - {{stage: 执行责任}}
        accountability: {ACCOUNTABILITY}
      - code: XX-CF-007-02
        name: 对擅自堆放物料的处罚
""")
        }
    )
    assert hits(report, "power.responsibilities") == [("power.yaml", 19, 9, "XX-CF-007")]
    assert hits(report, "power.accountability") == [("power.yaml", 19, 9, "XX-CF-007")]
    assert "XX-CF-007-02" in messages(report, "power.responsibilities", "zh")[0]
    assert hits(report, "power.stages") == []


# power.stages ---------------------------------------------------------------------------------------------------------


def test_penalty_missing_core_stages(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-CF-001
    type: 处罚
    name: 对露天烧烤食品的处罚
    responsibilities:
      - stage: 立案
      - stage: 调查取证
      - stage: 作出处罚决定
    accountability: {ACCOUNTABILITY}
  - code: XX-CF-002
    type: 行政处罚
    name: 对餐饮油烟超标排放的处罚
    responsibilities:
      - stage: 1.立案阶段责任
      - stage: 2.调查阶段责任
      - stage: 3.审查阶段责任
      - stage: 4.告知阶段责任
      - stage: 5.决定阶段责任
      - stage: 6.送达阶段责任
      - stage: 7.执行阶段责任
    accountability: {ACCOUNTABILITY}
""")
        }
    )
    assert hits(report, "power.stages") == [("power.yaml", 10, 7, "XX-CF-001")]
    assert "送达、执行" in messages(report, "power.stages", "zh")[0]


def test_licence_stages_and_other_types(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-XK-001
    type: 行政许可
    name: 临时占用城市道路审批
    responsibilities:
      - stage: 受理
      - stage: 审查和决定
      - stage: 送达
      - stage: 事后监管
    accountability: {ACCOUNTABILITY}
  - code: XX-XK-002
    type: 许可
    name: 张贴宣传品审批
    responsibilities:
      - stage: 受理
      - stage: 送达
    accountability: {ACCOUNTABILITY}
  - code: XX-QZ-001
    type: 行政强制
    name: 查封违法经营场所
    responsibilities:
      - stage: 调查和催告
    accountability: {ACCOUNTABILITY}
""")
        }
    )
    assert hits(report, "power.stages") == [("power.yaml", 19, 7, "XX-XK-002")]
    assert "审查、决定" in messages(report, "power.stages", "zh")[0]


def test_subitem_with_its_own_stages_is_checked_on_its_own(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list(f"""
  - code: XX-CF-006
    type: 行政处罚
    name: 对违反市容管理规定的处罚
    responsibilities:
      - {{stage: 立案}}
      - {{stage: 调查取证}}
      - {{stage: 决定}}
      - {{stage: 送达}}
      - {{stage: 执行}}
    accountability: {ACCOUNTABILITY}
    subitems:
      - code: XX-CF-006-01
        name: 对乱扔废弃物的处罚
        responsibilities:
          - {{stage: 当场处罚}}
""")
        }
    )
    assert hits(report, "power.stages") == [("power.yaml", 20, 11, "XX-CF-006")]


# power.accountability-form --------------------------------------------------------------------------------------------


def test_accountability_opening(validate_set):
    report = validate_set(
        {
            "power.yaml": power_list("""
  - code: XX-XK-001
    type: 行政许可
    name: 临时占用城市道路审批
    responsibilities: [{stage: 受理}, {stage: 审查}, {stage: 决定}]
    accountability: 依照有关规定追究相关人员责任。
  - code: XX-XK-002
    type: 行政许可
    name: 张贴宣传品审批
    responsibilities: [{stage: 受理}, {stage: 审查}, {stage: 决定}]
    accountability: 因不履行或者不正确履行职责，有下列情形的，依法追究责任：（一）……
  - code: XX-XK-003
    type: 行政许可
    name: 城市道路挖掘审批
    responsibilities: [{stage: 受理}, {stage: 审查}, {stage: 决定}]
    accountability: "一、因不履行或不正确履行行政职责，有下列情形的……"
    subitems:
      - name: 城市道路挖掘延期审批
        accountability: 按规定处理。
""")
        }
    )
    assert hits(report, "power.accountability-form") == [("power.yaml", 10, 21, "XX-XK-001"), ("power.yaml", 23, 25, "XX-XK-003")]
    assert "依照有关规定追究相关人员责任" in messages(report, "power.accountability-form", "zh")[0]
    assert all(f.severity.label == "info" for f in report.findings if f.rule == "power.accountability-form")
