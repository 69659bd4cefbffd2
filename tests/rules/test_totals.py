"""totals.*: declared totals as published against the rows listed."""

from conftest import hits

HEAD = """\
govlist: 1
kind: duty
id: t
title: 居民区职责任务清单
"""


def duty(declared: str, categories: str) -> str:
    return HEAD + declared + categories


TWO_CATEGORIES = """\
categories:
  - name: 四违
    declared: 2
    items:
      - {code: A-1, name: 违法建筑巡查}
      - {code: A-2, name: 违法施工劝阻}
  - name: 房屋群租
    declared: 1
    items:
      - {code: B-1, name: 群租隐患排查}
"""


def test_totals_quiet_when_everything_adds_up(validate_set):
    report = validate_set({"d.yaml": duty("declared: {categories: 2, items: 3}\n", TWO_CATEGORIES)})
    assert [f for f in report.findings if f.rule.startswith("totals.")] == []


def test_totals_items_fires_on_the_declared_total(validate_set):
    report = validate_set({"d.yaml": duty("declared: {categories: 2, items: 4}\n", TWO_CATEGORIES)})
    assert hits(report, "totals.items") == [("d.yaml", 5, 34, None)]
    finding = next(f for f in report.findings if f.rule == "totals.items")
    assert "声明共 4 项，实际列出 3 项" in finding.message.zh and "declares 4 items but lists 3" in finding.message.en
    # the categories' declared counts (2 + 1) no longer add up to the declared total either
    assert hits(report, "totals.partition") == [("d.yaml", 5, 34, None)]


def test_totals_categories(validate_set):
    report = validate_set({"d.yaml": duty("declared: {categories: 3, items: 3}\n", TWO_CATEGORIES)})
    assert hits(report, "totals.categories") == [("d.yaml", 5, 24, None)]
    assert hits(report, "totals.items") == []


def test_totals_category_items_points_at_the_category(validate_set):
    text = TWO_CATEGORIES.replace("declared: 1", "declared: 2")
    report = validate_set({"d.yaml": duty("declared: {categories: 2, items: 3}\n", text)})
    assert hits(report, "totals.category-items") == [("d.yaml", 13, 15, None)]
    assert "房屋群租" in next(f for f in report.findings if f.rule == "totals.category-items").message.zh


def test_partition_false_breakdown_need_not_add_up_but_each_count_must_hold(validate_set):
    declared = """\
declared:
  items: 3
  breakdowns:
    - field: jurisdiction
      partition: false
      counts: {块属块管: 2}
"""
    text = TWO_CATEGORIES.replace("{code: A-1, name: 违法建筑巡查}", "{code: A-1, name: 违法建筑巡查, jurisdiction: 块属块管}")
    text = text.replace("{code: A-2, name: 违法施工劝阻}", "{code: A-2, name: 违法施工劝阻, jurisdiction: 块属块管}")
    report = validate_set({"d.yaml": duty(declared, text)})
    assert hits(report, "totals.partition") == [] and hits(report, "totals.breakdown") == []
    report = validate_set({"d.yaml": duty(declared.replace("块属块管: 2", "块属块管: 3"), text)})
    assert hits(report, "totals.breakdown") == [("d.yaml", 10, 22, None)]
    assert hits(report, "totals.partition") == []


def test_partition_breakdown_must_add_up_and_counts_use_vocabulary_aliases(validate_set):
    power = """\
govlist: 1
kind: power
id: p
title: 街道权责清单
declared:
  items: 2
  breakdowns:
    - field: type
      counts: {行政处罚: 1, 其他职权: 2}
items:
  - {code: P-1, name: 对占道经营的处罚, type: 行政处罚}
  - {code: P-2, name: 协助征兵, type: 其他行政权力}
"""
    report = validate_set({"p.yaml": power})
    # 其他职权 is an alias of 其他行政权力: one item has it, the breakdown says two
    assert hits(report, "totals.breakdown") == [("p.yaml", 9, 31, None)]
    assert hits(report, "totals.partition") == [("p.yaml", 9, 15, None)]


def test_registry_counts_units(validate_set):
    registry = """\
govlist: 1
kind: registry
id: r
title: 机构名录
declared: {items: 1, breakdowns: [{field: type, partition: false, counts: {居委会: 2}}]}
units:
  - {code: U1, name: 一居, type: 居民区}
  - {code: U2, name: 二居, type: 居民区}
"""
    report = validate_set({"r.yaml": registry})
    assert hits(report, "totals.items") == [("r.yaml", 5, 19, None)]
    assert hits(report, "totals.breakdown") == []  # 居委会 is an alias of 居民区
