"""territorial.lead, territorial.lead-is-support, territorial.support, grid.two-list-link, grid.not-gridable."""

from __future__ import annotations

from conftest import hits, messages

REGISTRY = """
govlist: 1
kind: registry
id: xx-registry
title: XX区机构名录
units:
  - code: "XX-QU"
    name: XX区
    type: 区
  - code: "XX-BM-HB"
    name: XX区环境保护局
    aliases: [区环保局]
    type: 部门
    parent: "XX-QU"
  - code: "XX-BM-CG"
    name: XX区城市管理综合行政执法监察局
    aliases: [区城管执法监察局]
    type: 部门
    parent: "XX-QU"
  - code: "XX-JD-HB"
    name: 河滨街道
    aliases: [河滨街道办事处]
    type: 街道
    parent: "XX-QU"
"""

TERRITORIAL = """
govlist: 1
kind: territorial
id: xx-territorial
title: 河滨街道“属地管理”事项主体责任和配合责任清单
items:
  - code: XX-SD-01
    name: 露天烧烤治理
    lead: {unit: 区城管执法监察局, duties: 依法查处露天烧烤行为。}
    support:
      - {unit: 河滨街道, duties: 巡查劝阻，劝阻无效的报告。}
    grid: true
  - code: XX-SD-02
    name: 餐饮服务业油烟污染治理
    lead: {unit: 区环保局, duties: 监测并查处超标排放油烟行为。}
    support:
      - {unit: 河滨街道, duties: 摸清餐饮单位底数，接报后上门了解。}
  - code: XX-SD-03
    name: 露天焚烧垃圾和落叶治理
    lead: {unit: 区环保局, duties: 依法查处露天焚烧行为。}
    support:
      - {unit: 河滨街道, duties: 日常巡查，发现后立即劝阻并报告。}
    grid: true
"""


# territorial.lead -----------------------------------------------------------------------------------------------------


def test_lead_missing_empty_or_more_than_one(validate_set):
    report = validate_set(
        {
            "territorial.yaml": """
        govlist: 1
        kind: territorial
        id: xx-territorial
        title: 河滨街道“属地管理”事项主体责任和配合责任清单
        categories:
          - name: 城市管理
            items:
              - code: XX-SD-01-01
                name: 街巷私搭乱建治理
                support: [{unit: 河滨街道}]
              - code: XX-SD-01-02
                name: 擅自占用城市道路经营治理
                lead: []
                support: [{unit: 河滨街道}]
              - code: XX-SD-01-03
                name: 违法建设查处
                lead:
                  - {unit: 区城管执法监察局, duties: 立案查处。}
                  - {unit: 区规划分局, duties: 认定违法建设。}
                support: [{unit: 河滨街道}]
              - code: XX-SD-01-04
                name: 户外广告设施管理
                lead: [{unit: 区市政市容委, duties: 办理设置许可。}]
                support: [{unit: 河滨街道}]
    """
        }
    )
    assert hits(report, "territorial.lead") == [
        ("territorial.yaml", 8, 9, "XX-SD-01-01"),
        ("territorial.yaml", 13, 15, "XX-SD-01-02"),
        ("territorial.yaml", 18, 11, "XX-SD-01-03"),
    ]
    zh = messages(report, "territorial.lead", "zh")
    assert "2 个主体责任单位：区城管执法监察局、区规划分局" in zh[2]


def test_lead_quiet_on_correct_list(validate_set):
    report = validate_set({"registry.yaml": REGISTRY, "territorial.yaml": TERRITORIAL, "grid.yaml": GRID})
    for rule_id in ("territorial.lead", "territorial.lead-is-support", "territorial.support", "grid.two-list-link", "grid.not-gridable"):
        assert hits(report, rule_id) == [], rule_id


# territorial.lead-is-support ------------------------------------------------------------------------------------------


def test_lead_also_supporting_via_registry_alias(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "territorial.yaml": """
        govlist: 1
        kind: territorial
        id: xx-territorial
        title: 河滨街道“属地管理”事项主体责任和配合责任清单
        items:
          - code: XX-SD-02-02
            name: 餐饮服务业油烟污染治理
            lead: {unit: 区环保局, duties: 查处超标排放油烟行为。}
            support:
              - {unit: 河滨街道, duties: 接报后上门了解。}
              - {unit: XX区环境保护局, duties: 组织监测。}
          - code: XX-SD-02-03
            name: 露天焚烧治理
            lead: [{unit: XX-BM-CG}]
            support:
              - {unit: 区城管执法监察局}
    """,
        }
    )
    assert hits(report, "territorial.lead-is-support") == [
        ("territorial.yaml", 11, 16, "XX-SD-02-02"),
        ("territorial.yaml", 16, 16, "XX-SD-02-03"),
    ]


def test_lead_also_supporting_by_normalised_name_without_registry(validate_set):
    report = validate_set(
        {
            "territorial.yaml": """
        govlist: 1
        kind: territorial
        id: xx-territorial
        title: 河滨街道“属地管理”事项主体责任和配合责任清单
        items:
          - code: XX-SD-06-04
            name: 矛盾纠纷排查化解
            lead: {unit: 区司法局}
            support:
              - {unit: 区 司法局 }
              - {unit: 河滨街道}
          - code: XX-SD-06-05
            name: 非法行医查处
            lead: {unit: 区卫生计生委}
            support: [{unit: 区卫生计生委监督所}]
    """
        }
    )
    assert hits(report, "territorial.lead-is-support") == [("territorial.yaml", 10, 16, "XX-SD-06-04")]


# territorial.support --------------------------------------------------------------------------------------------------


def test_item_without_supporting_unit(validate_set):
    report = validate_set(
        {
            "territorial.yaml": """
        govlist: 1
        kind: territorial
        id: xx-territorial
        title: 河滨街道“属地管理”事项主体责任和配合责任清单
        items:
          - code: XX-SD-03-01
            name: 生产经营单位安全隐患排查
            lead: {unit: 区安监局}
          - code: XX-SD-03-02
            name: 消防通道占用治理
            lead: {unit: 区消防支队}
            support: []
          - code: XX-SD-03-03
            name: 燃气使用安全管理
            lead: {unit: 区市政市容委}
            support: [{unit: 河滨街道, duties: 配合入户安检。}]
    """
        }
    )
    assert hits(report, "territorial.support") == [
        ("territorial.yaml", 6, 5, "XX-SD-03-01"),
        ("territorial.yaml", 12, 14, "XX-SD-03-02"),
    ]


# grid.two-list-link ---------------------------------------------------------------------------------------------------

GRID = """
govlist: 1
kind: grid
id: xx-grid
title: 河滨街道网格服务管理清单
items:
  - code: XX-WG-01
    name: 露天烧烤劝阻上报
    territorial: {list: xx-territorial, code: XX-SD-01}
  - code: XX-WG-02
    name: 露天焚烧巡查发现报告
    territorial: {code: XX-SD-03}
  - code: XX-WG-03
    name: 独居老人走访关爱
"""


def test_gridable_item_missing_from_the_grid_list(validate_set):
    grid = """
        govlist: 1
        kind: grid
        id: xx-grid
        title: 河滨街道网格服务管理清单
        items:
          - code: XX-WG-01
            name: 露天烧烤劝阻上报
            territorial: {list: xx-territorial, code: XX-SD-01}
          - code: XX-WG-02
            name: 露天焚烧巡查发现报告
            territorial: {list: other-territorial, code: XX-SD-03}
    """
    report = validate_set({"territorial.yaml": TERRITORIAL, "grid.yaml": grid})
    assert hits(report, "grid.two-list-link") == [("territorial.yaml", 22, 11, "XX-SD-03")]
    assert "{list: xx-territorial, code: XX-SD-03}" in messages(report, "grid.two-list-link", "zh")[0]


def test_no_grid_list_reports_once_per_territorial_list(validate_set):
    report = validate_set({"territorial.yaml": TERRITORIAL})
    assert hits(report, "grid.two-list-link") == [("territorial.yaml", 2, 7, None)]
    assert "2 个网格可承担" in messages(report, "grid.two-list-link", "zh")[0]


def test_no_grid_list_and_no_gridable_item_is_quiet(validate_set):
    report = validate_set({"territorial.yaml": TERRITORIAL.replace("    grid: true\n", "")})
    assert hits(report, "grid.two-list-link") == []


def test_gridable_item_without_code(validate_set):
    territorial = TERRITORIAL.replace("  - code: XX-SD-03\n", "  - seq: 3\n")
    report = validate_set({"territorial.yaml": territorial, "grid.yaml": GRID})
    assert hits(report, "grid.two-list-link") == [("territorial.yaml", 22, 11, None)]


# grid.not-gridable ----------------------------------------------------------------------------------------------------


def test_grid_item_linked_to_an_item_not_marked_gridable(validate_set):
    grid = (
        GRID
        + """
  - code: XX-WG-04
    name: 餐饮油烟扰民情况收集
    territorial: {list: xx-territorial, code: XX-SD-02}
  - code: XX-WG-05
    name: 不存在的属地事项
    territorial: {code: XX-SD-99}
"""
    )
    report = validate_set({"registry.yaml": REGISTRY, "territorial.yaml": TERRITORIAL, "grid.yaml": grid})
    assert hits(report, "grid.not-gridable") == [("grid.yaml", 17, 18, "XX-WG-04")]
    assert "XX-SD-02 餐饮服务业油烟污染治理" in messages(report, "grid.not-gridable", "zh")[0]
    assert hits(report, "grid.two-list-link") == []


def _two_territorial_lists() -> tuple[str, str]:
    """Another territorial list (yy) with the codes of xx, where XX-SD-02 is grid-capable; and a grid list pointing at
    XX-SD-02 with and without a list."""
    other = TERRITORIAL.replace("id: xx-territorial", "id: yy-territorial").replace("    name: 露天焚烧垃圾和落叶治理\n", "    name: 露天焚烧治理\n")
    other = other.replace("      - {unit: 河滨街道, duties: 摸清餐饮单位底数，接报后上门了解。}\n", "      - {unit: 河滨街道, duties: 摸清餐饮单位底数，接报后上门了解。}\n    grid: true\n")
    grid = (
        GRID
        + """
  - {code: G1, name: 甲, territorial: {list: xx-territorial, code: XX-SD-02}}
  - {code: G2, name: 乙, territorial: {list: yy-territorial, code: XX-SD-02}}
  - {code: G3, name: 丙, territorial: {code: XX-SD-02}}
  - {code: G4, name: 丁, territorial: {list: xx-territorial, code: " XX-SD-02 "}}
  - {code: G5, name: 戊, territorial: {list: zz-territorial, code: XX-SD-02}}
"""
    )
    return other, grid


def test_grid_item_linked_by_code_alone_or_with_its_list(validate_set):
    # the territorial items are indexed once by code and by list and code (each grid list asks): the same targets, in
    # the same order, as a walk over every territorial list
    other, grid = _two_territorial_lists()
    report = validate_set({"registry.yaml": REGISTRY, "territorial.yaml": TERRITORIAL, "yy.yaml": other, "grid.yaml": grid})
    assert [h[3] for h in hits(report, "grid.not-gridable")] == ["G1", "G4"]
    assert all("（xx-territorial）" in m for m in messages(report, "grid.not-gridable", "zh"))


def test_grid_item_linked_by_code_alone_names_the_first_lists_item(validate_set):
    other, grid = _two_territorial_lists()
    plain = TERRITORIAL.replace("    grid: true\n", "")
    report = validate_set({"registry.yaml": REGISTRY, "a.yaml": plain, "b.yaml": other.replace("    grid: true\n", ""), "grid.yaml": grid})
    assert [h[3] for h in hits(report, "grid.not-gridable")] == ["XX-WG-01", "XX-WG-02", "G1", "G2", "G3", "G4"]
    said = messages(report, "grid.not-gridable", "zh")
    assert "（yy-territorial）" in said[3] and "（xx-territorial）" in said[4]  # by code alone: the first list's item
    assert "（xx-territorial）" in said[1]  # XX-WG-02, by code alone too


def test_gridable_item_found_in_any_grid_list(validate_set):
    # each grid list is asked the item's two keys (its list and code, or its code alone) until one has it
    first = GRID.replace("    territorial: {code: XX-SD-03}\n", "")
    second = "govlist: 1\nkind: grid\nid: yy-grid\ntitle: 网格清单二\nitems:\n  - {code: YY-1, name: 巡查, territorial: {code: XX-SD-03}}\n"
    report = validate_set({"territorial.yaml": TERRITORIAL, "a-grid.yaml": first, "b-grid.yaml": second})
    assert hits(report, "grid.two-list-link") == []
    report = validate_set({"territorial.yaml": TERRITORIAL, "a-grid.yaml": first, "b-grid.yaml": second.replace("{code: XX-SD-03}", "{list: yy-territorial, code: XX-SD-03}")})
    assert hits(report, "grid.two-list-link") == [("territorial.yaml", 22, 11, "XX-SD-03")]
