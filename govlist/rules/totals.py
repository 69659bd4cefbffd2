"""Declared totals (公布总数) against the rows actually listed: overall, per category, and declared breakdowns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..catalog import Catalog
from ..project import VOCABULARY_OF_FIELD
from ..ruleset import ALL_KINDS, LIST_KINDS, Context, Problem, at_catalog, rule
from .common import canonical


@rule("totals.items", "error", "声明的事项总数与实际不符", "declared item total differs from the rows", kinds=ALL_KINDS)
def declared_items(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单头部 `declared.items` 是公布文本中的事项总数（如“13类89项”中的 89），必须等于实际列出的事项数
    （机构名录为机构数）。公布文本与附件条目数不一致，是真实清单最常见的错误。

    PASS:
        declared: {categories: 1, items: 2}
        categories: [{name: 四违, items: [{name: 违法建筑巡查}, {name: 违法施工巡查}]}]
    FAIL:
        declared: {categories: 1, items: 3}   # 只列出 2 项
        categories: [{name: 四违, items: [{name: 违法建筑巡查}, {name: 违法施工巡查}]}]

    English:
    `declared.items` is the total as published (the 89 of "13类89项") and must equal the number of items listed (units,
    for a registry). A published total that differs from the attached rows is the most common mistake in real lists.
    """
    declared = (catalog.data.get("declared") or {}).get("items")
    if declared is not None and declared != len(catalog.items):
        actual = len(catalog.items)
        yield at_catalog(
            catalog,
            ("declared", "items"),
            f"声明共 {declared} 项，实际列出 {actual} 项（{'多' if actual > declared else '少'} {abs(actual - declared)} 项）",
            f"declares {declared} items but lists {actual} ({abs(actual - declared)} {'more' if actual > declared else 'fewer'})",
        )


@rule("totals.categories", "error", "声明的类别数与实际不符", "declared category count differs", kinds=LIST_KINDS)
def declared_categories(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    `declared.categories` 是公布的类别数（如“13类89项”中的 13），必须等于 `categories` 的个数。

    PASS:
        declared: {categories: 2}
        categories:
          - {name: 四违, items: [{name: 违法建筑巡查}]}
          - {name: 市容, items: [{name: 占道经营巡查}]}
    FAIL:
        declared: {categories: 3}     # 只列出 2 类
        categories:
          - {name: 四违, items: [{name: 违法建筑巡查}]}
          - {name: 市容, items: [{name: 占道经营巡查}]}

    English:
    `declared.categories` is the number of categories as published (the 13 of "13类89项") and must equal the number of
    `categories`.
    """
    declared = (catalog.data.get("declared") or {}).get("categories")
    actual = len(catalog.categories)
    if declared is not None and declared != actual:
        yield at_catalog(catalog, ("declared", "categories"), f"声明共 {declared} 类，实际列出 {actual} 类", f"declares {declared} categories but lists {actual}")


@rule("totals.category-items", "error", "类别声明的事项数与实际不符", "a category's declared count differs", kinds=LIST_KINDS)
def declared_category_items(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    每个类别可写 `declared: N`（公布文本中该类的事项数，如“四违（5项）”），必须等于该类实际列出的事项数。

    PASS:
        categories:
          - {name: 四违, declared: 2, items: [{name: 违法建筑巡查}, {name: 违法施工巡查}]}
    FAIL:
        categories:
          - name: 四违
            declared: 3                 # 只列出 2 项
            items: [{name: 违法建筑巡查}, {name: 违法施工巡查}]

    English:
    A category's `declared: N` (its published count, as in "四违（5项）") must equal the items listed in it.
    """
    for index, category in enumerate(catalog.categories):
        declared = category.get("declared")
        actual = len(category.get("items") or [])
        if declared is not None and declared != actual:
            yield at_catalog(
                catalog,
                ("categories", index, "declared"),
                f"类别“{category.get('name')}”声明 {declared} 项，实际列出 {actual} 项",
                f"category '{category.get('name')}' declares {declared} item{'s' if declared != 1 else ''} but lists {actual}",
            )


@rule("totals.partition", "error", "分项合计与总数不符", "a declared breakdown does not add up", kinds=ALL_KINDS)
def declared_partition(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    分项声明必须能加总：各类别声明的事项数之和应等于声明总数；`declared.breakdowns` 中 `partition: true`（默认）
    的分项（如按权力类型：许可 11、处罚 122……）之和也应等于总数。`partition: false` 表示嵌套或重叠的分项
    （如“乡级基础事项63项（其中乡镇63项，街道13项）”），不要求加总。

    PASS:
        declared: {items: 3}
        categories:
          - {name: 四违, declared: 2, items: [{name: 违法建筑巡查}, {name: 违法施工巡查}]}
          - {name: 市容, declared: 1, items: [{name: 占道经营巡查}]}
    FAIL:
        declared:
          items: 3
          breakdowns: [{field: track, counts: {基本履职事项: 2, 配合履职事项: 2}}]   # 2 + 2 不等于 3
        items:
          - {name: 违法建筑巡查, track: 基本履职事项}
          - {name: 违法施工巡查, track: 基本履职事项}
          - {name: 燃气安全宣传, track: 配合履职事项, lead: 区住建委}

    English:
    Breakdowns that partition the list must add up: the categories' declared counts sum to the declared total, and so do
    the counts of a `declared.breakdowns` entry with `partition: true` (the default). `partition: false` marks a nested or
    overlapping breakdown ("其中…") that need not add up.
    """
    declared = catalog.data.get("declared") or {}
    total = declared.get("items")
    if total is None:
        return
    given = [c.get("declared") for c in catalog.categories]
    per_category = [n for n in given if n is not None]
    if per_category and len(per_category) == len(given) and sum(per_category) != total:
        yield at_catalog(
            catalog,
            ("declared", "items"),
            f"各类别声明的事项数合计 {sum(per_category)} 项，与声明总数 {total} 项不符",
            f"the categories' declared counts add up to {sum(per_category)}, not the declared total {total}",
        )
    for index, breakdown in enumerate(declared.get("breakdowns") or []):
        counts = breakdown.get("counts") or {}
        if breakdown.get("partition", True) and sum(counts.values()) != total:
            yield at_catalog(
                catalog,
                ("declared", "breakdowns", index, "counts"),
                f"按“{breakdown.get('field')}”的分项合计 {sum(counts.values())} 项，与声明总数 {total} 项不符",
                f"the breakdown by '{breakdown.get('field')}' adds up to {sum(counts.values())}, not the declared total {total}",
            )


@rule("totals.breakdown", "error", "分项声明数与实际不符", "a declared breakdown count differs", kinds=ALL_KINDS)
def declared_breakdown(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    `declared.breakdowns` 中每个取值的声明数（如 `field: type` 下“行政处罚: 122”）必须等于该字段取该值的实际
    事项数。取值按该字段的词表和别名归一后比较（如“其他职权”计入“其他行政权力”）。

    PASS:
        kind: power
        declared:
          breakdowns: [{field: type, counts: {行政处罚: 1, 其他行政权力: 1}}]
        items:
          - {name: 对违法建设的处罚, type: 行政处罚}
          - {name: 城乡规划编制, type: 其他职权}
    FAIL:
        kind: power
        declared:
          breakdowns: [{field: type, counts: {行政处罚: 2}}]   # 只有 1 项行政处罚
        items:
          - {name: 对违法建设的处罚, type: 行政处罚}
          - {name: 城乡规划编制, type: 其他行政权力}

    English:
    Each count of a `declared.breakdowns` entry (e.g. 行政处罚: 122 under `field: type`) must equal the number of items
    whose field has that value, compared after the vocabulary's aliases (其他职权 counts as 其他行政权力).
    """
    declared = catalog.data.get("declared") or {}
    for index, breakdown in enumerate(declared.get("breakdowns") or []):
        field = breakdown.get("field")
        actual = Counter(_canonical(catalog, field, item.data.get(field), ctx) for item in catalog.items)
        for value, count in (breakdown.get("counts") or {}).items():
            have = actual.get(_canonical(catalog, field, value, ctx), 0)
            if have != count:
                yield at_catalog(
                    catalog,
                    ("declared", "breakdowns", index, "counts", value),
                    f"声明“{field}”为“{value}”的有 {count} 项，实际 {have} 项",
                    f"declares {count} items with {field} '{value}', found {have}",
                )


def _canonical(catalog: Catalog, field: str | None, value: object, ctx: Context) -> str:
    text = "" if value is None else str(value)
    vocab = VOCABULARY_OF_FIELD.get((catalog.kind, field)) if field is not None else None
    return (canonical(ctx, vocab, text) or text) if vocab else text
