"""Territorial-management lists (属地管理主体/配合责任清单) and their link to grid service lists (两单联动)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog, Item, UnitIndex
from ..links import BUILTIN_LINKS, Links, make_link
from ..normalize import code_key
from ..ruleset import Context, Problem, at, at_catalog, rule
from .common import same_unit


def _leads(item: Item) -> list[tuple[tuple, str]]:
    """(pointer below the item, unit reference) of each lead; `lead` may be one mapping or a list of them."""
    lead = item.data.get("lead")
    if isinstance(lead, dict):
        return [(("lead", "unit"), str(lead.get("unit") or ""))]
    if isinstance(lead, list):
        return [(("lead", i, "unit"), str(entry.get("unit") or "")) for i, entry in enumerate(lead) if isinstance(entry, dict)]
    return []


def _supports(item: Item) -> list[tuple[tuple, str]]:
    return [(("support", i, "unit"), str(entry.get("unit") or "")) for i, entry in enumerate(item.data.get("support") or []) if isinstance(entry, dict) and str(entry.get("unit") or "").strip()]


@rule("territorial.lead", "error", "属地事项的主体责任单位不是一个", "a territorial item does not have exactly one lead", kinds=["territorial"])
def lead(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    属地管理清单的每个事项必须有且只有一个主体责任单位（`lead`）：没有主体责任，责任就落到配合的街道头上；
    两个以上主体责任，出了问题互相推诿。`lead` 写成只含一个单位的列表可以通过；空列表、缺少 `lead`、列表中有
    两个及以上单位都报告，并写明数量和单位。

    PASS:
        - {name: 违法建设治理, lead: {unit: 区城管执法监察局, duties: 负责依法查处……}, support: [{unit: 街道}]}
        - {name: 违法占道治理, lead: [{unit: 区城管执法监察局}], support: [{unit: 街道}]}   # 一个单位的列表
    FAIL:
        - {name: 违法建设治理, lead: [{unit: 区城管执法监察局}, {unit: 区规划分局}], support: [{unit: 街道}]}   # 两个主体责任
        - {name: 违法占道治理, lead: [], support: [{unit: 街道}]}                                               # 没有主体责任

    English:
    Each item of a territorial-management list has exactly one lead unit (`lead`, 主体责任): with none, the duty falls
    on the supporting street; with two or more, each points at the other. A list holding one unit passes; an empty
    list, a missing `lead` and a list of two or more are reported, with the count and the units.
    """
    for item in catalog.items:
        if "lead" not in item.data or item.data.get("lead") is None:
            yield at(
                item,
                None,
                f"属地事项“{item.label()}”没有主体责任单位（lead）",
                f"territorial item '{item.label()}' has no lead unit (lead, 主体责任)",
            )
            continue
        leads = _leads(item)
        if not leads:
            yield at(
                item,
                "lead",
                f"属地事项“{item.label()}”的主体责任单位（lead）为空",
                f"territorial item '{item.label()}' has an empty lead (lead, 主体责任)",
            )
        elif len(leads) > 1:
            units = [unit for _, unit in leads]
            yield at(
                item,
                "lead",
                f"属地事项“{item.label()}”有 {len(units)} 个主体责任单位：{'、'.join(units)}；主体责任只能由一个部门承担，其余改为配合责任",
                f"territorial item '{item.label()}' has {len(units)} lead units: {', '.join(units)}; exactly one may lead, make the others supporting units",
            )


@rule("territorial.lead-is-support", "error", "主体责任单位同时是配合单位", "the lead unit is also a supporting unit", kinds=["territorial"])
def lead_is_support(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    同一事项的主体责任单位不能又列为配合责任单位：否则主体、配合的划分失去意义。比较时，机构名录能识别两边的，
    按是否同一机构判断（简称、编码、全称都算同一机构）；否则按名称归一后比较（不计全角半角、空格和标点）。
    报告在重复的配合单位上。

    PASS:
        - {name: 餐饮油烟治理, lead: {unit: 区环保局}, support: [{unit: 河滨街道}]}
    FAIL:
        - {name: 餐饮油烟治理, lead: {unit: 区环保局}, support: [{unit: 河滨街道}, {unit: XX区环境保护局}]}   # 与主体责任是同一机构
        ---
        kind: registry
        units: [{code: HBJ, name: XX区环境保护局, aliases: [区环保局]}]

    English:
    An item's lead unit may not also be listed as a supporting unit, or the split between lead and support means
    nothing. When the registry knows both references they are compared as units (a short name, a code and the full name
    are the same unit); otherwise by normalised name (width, spaces and punctuation do not matter). The finding stands
    on the repeated supporting unit.
    """
    same: dict[tuple[str, str], bool] = {}
    for item in catalog.items:
        for _, lead_unit in _leads(item):
            if not lead_unit.strip():
                continue
            for pointer, support_unit in _supports(item):
                if same_unit(ctx, lead_unit, support_unit, same):
                    yield at(
                        item,
                        pointer,
                        f"属地事项“{item.label()}”的配合单位“{support_unit}”就是主体责任单位“{lead_unit}”",
                        f"in territorial item '{item.label()}' the supporting unit '{support_unit}' is the lead unit '{lead_unit}'",
                    )


@rule("territorial.support", "warning", "属地事项没有配合单位", "a territorial item has no supporting unit", kinds=["territorial"])
def support(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    属地管理清单的作用就是划分主体责任和配合责任，每个事项通常都有配合单位（`support`，多为街道及其指挥中心、
    社区）。没有配合单位的事项，要么漏填，要么不属于“属地管理”事项，不应列入本清单。

    PASS:
        - {name: 违法建设治理, lead: {unit: 区城管执法局}, support: [{unit: 河滨街道, duties: 日常巡查，发现后及时报告……}]}
    FAIL:
        - {name: 人民调解指导, lead: {unit: 区司法局}}          # 没有 support

    English:
    The point of a territorial-management list is the split between lead and supporting responsibility, so each item
    usually has supporting units (`support`: the street, its command centre, communities). An item without one was left
    incomplete, or is not a territorial-management item and does not belong in the list.
    """
    for item in catalog.items:
        if not _supports(item):
            yield at(
                item,
                "support" if "support" in item.data else None,
                f"属地事项“{item.label()}”没有配合责任单位（support）",
                f"territorial item '{item.label()}' names no supporting unit (support, 配合责任)",
            )


TWO_LISTS = "两单联动"


def _two_lists(ctx: Context) -> Links:
    """The links of id 两单联动 over the lists of their kinds alone (a run over the set then depends on those lists'
    records, not every file's); the unit index only when one of them follows a unit."""
    links = [make_link(d) for d in (*BUILTIN_LINKS, *ctx.project.links) if str(d["id"]) == TWO_LISTS]
    kinds = tuple(sorted({kind for link in links for kind in (link.source, *link.to)}))
    units = ctx.units if any(link.target != "any" for link in links) else UnitIndex([])
    return Links(ctx.of_kind(*kinds), units, ctx.project.links)


@rule("grid.two-list-link", "error", "网格可承担的属地事项未列入网格清单", "a grid-capable territorial item is missing from the grid list", scope="set")
def two_list_link(ctx: Context) -> Iterator[Problem]:
    """
    “两单联动”：属地管理清单中标明网格可承担（`grid: true`）的事项，必须同时列入网格服务管理清单，即集合中某个
    `grid` 清单有一个事项，其 `territorial.code` 等于该属地事项的编码，且写了 `territorial.list` 时等于该属地清单的
    `id`。集合中根本没有网格清单时，每个属地清单只在文件头（`kind`）报告一次，写明有多少事项待纳入，而不是逐项报告。
    `grid: true` 的事项没有编码时，网格清单无法引用它，也报告。

    GIVEN:
        kind: grid
        items:
          - {code: XX-WG-01-01, name: 私搭乱建巡查劝导, territorial: {list: xx-territorial, code: XX-SD-01-01}}
    PASS:
        id: xx-territorial
        kind: territorial
        items:
          - {code: XX-SD-01-01, name: 街巷私搭乱建治理, grid: true, lead: {unit: 区城管执法局}, support: [{unit: 街道}]}
    FAIL:
        id: xx-territorial
        kind: territorial
        items:
          - {code: XX-SD-01-01, name: 街巷私搭乱建治理, grid: true, lead: {unit: 区城管执法局}, support: [{unit: 街道}]}
          - {code: XX-SD-02-01, name: 露天烧烤治理, grid: true, lead: {unit: 区城管执法局}, support: [{unit: 街道}]}   # 网格清单中没有对应事项

    English:
    "Two lists linked" (两单联动): an item of a territorial-management list marked `grid: true` (a grid can carry it)
    must also stand in a grid service list: some `grid` list of the set has an item whose `territorial.code` equals the
    item's code and whose `territorial.list`, when given, equals the territorial list's `id`. When the set has no grid
    list at all, each territorial list is reported once, at its header (`kind`), with the number of items waiting,
    instead of item by item. A `grid: true` item without a code cannot be referred to and is reported too.
    """
    territorial = ctx.of_kind("territorial")
    has_grid_lists = ctx.has_kind("grid")
    # the link itself is data (govlist.links: 两单联动); this rule reports it, with its own messages
    linked = {id(o.item) for o in _two_lists(ctx).outcomes(link_id=TWO_LISTS) if o.found is not None}
    for catalog in territorial:
        gridable = [item for item in catalog.items if item.data.get("grid") is True]
        if not gridable:
            continue
        if not has_grid_lists:
            names = "、".join(f"“{item.label()}”" for item in gridable[:3]) + ("等" if len(gridable) > 3 else "")
            yield at_catalog(
                catalog,
                ("kind",),
                f"本清单有 {len(gridable)} 个网格可承担（grid: true）的事项（{names}），但集合中没有网格服务管理清单（kind: grid）；两单联动要求这些事项同时列入网格清单",
                f"this list has {len(gridable)} grid-capable items (grid: true) but the set holds no grid service list (kind: grid); the two lists must be linked (两单联动)",
            )
            continue
        for item in gridable:
            code = code_key(item.code)
            if not code:
                yield at(
                    item,
                    "grid",
                    f"属地事项“{item.label()}”标明网格可承担，但没有编码（code），网格清单无法引用",
                    f"territorial item '{item.label()}' is marked grid-capable but has no code a grid list could refer to",
                )
            elif id(item) not in linked:
                yield at(
                    item,
                    "grid",
                    f"属地事项“{item.label()}”标明网格可承担（grid: true），但没有列入任何网格服务管理清单（网格事项的 territorial 应为 {{list: {catalog.id}, code: {code}}}）",
                    f"territorial item '{item.label()}' is marked grid-capable (grid: true) but stands in no grid service list (a grid item needs territorial: {{list: {catalog.id}, code: {code}}})",
                )


def _territorial_by_code(territorial: list[Catalog]) -> tuple[dict[str, list[Item]], dict[tuple[str, str], list[Item]]]:
    """The territorial items by their code (code_key), and by their list's id and code, each in the lists' order: a
    grid item's targets found at once, where each grid item walked every territorial list."""
    by_code: dict[str, list[Item]] = {}
    by_list_code: dict[tuple[str, str], list[Item]] = {}
    for source in territorial:
        source_id = source.id
        for target in source.items:
            code = code_key(target.code)
            by_code.setdefault(code, []).append(target)
            by_list_code.setdefault((source_id, code), []).append(target)
    return by_code, by_list_code


@rule("grid.not-gridable", "warning", "网格事项对应的属地事项未标明网格可承担", "a grid item links to a territorial item not marked grid-capable", kinds=["grid"])
def not_gridable(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    网格清单中对应属地事项（`territorial`）的事项，所对应的属地事项应标明 `grid: true`（网格可承担）。没有标明的，
    要么属地清单漏标，要么不该交给网格（如需执法资格的事项）。找不到所对应属地事项的，这里不报告。

    GIVEN:
        # xx-territorial.yaml
        kind: territorial
        items:
          - {code: XX-SD-01-01, name: 街巷私搭乱建治理, grid: true, lead: {unit: 区城管执法局}, support: [{unit: 街道}]}
          - {code: XX-SD-04-03, name: 电梯等特种设备安全监督, lead: {unit: 区市场监管局}, support: [{unit: 街道}]}
    PASS:
        - {name: 私搭乱建巡查劝导, territorial: {list: xx-territorial, code: XX-SD-01-01}}
    FAIL:
        - {name: 电梯安全巡查, territorial: {list: xx-territorial, code: XX-SD-04-03}}   # 属地事项没有 grid: true

    English:
    A grid item linked to a territorial item (`territorial`) expects that item to be marked `grid: true` (a grid can
    carry it). If it is not, either the territorial list forgot the mark or the work should not go to grids (it needs
    enforcement powers, say). Links to items that cannot be found are not reported here.
    """
    territorial = ctx.of_kind("territorial")
    key = ("grid.not-gridable", tuple(map(id, territorial)))  # the same lists, the same index (each grid list asks)
    if key not in ctx.memo:
        ctx.memo[key] = _territorial_by_code(territorial)
    by_code, by_list_code = ctx.memo[key]
    for item in catalog.items:
        ref = item.data.get("territorial")
        if not isinstance(ref, dict) or not code_key(ref.get("code")):
            continue
        code = code_key(ref.get("code"))
        list_id = code_key(ref.get("list")) if ref.get("list") is not None else ""
        targets = by_list_code.get((list_id, code), []) if list_id else by_code.get(code, [])
        if targets and not any(target.data.get("grid") is True for target in targets):
            target = targets[0]
            yield at(
                item,
                "territorial",
                f"网格事项“{item.label()}”对应的属地事项“{target.label()}”（{target.catalog.id}）没有标明网格可承担（grid: true）",
                f"grid item '{item.label()}' links to territorial item '{target.label()}' ({target.catalog.id}), which is not marked grid-capable (grid: true)",
            )
