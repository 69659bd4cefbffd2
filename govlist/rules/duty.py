"""Duty lists (职责任务清单): the three-list model (基本/配合/收回) and the 条块 jurisdiction of each item."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..normalize import normalize_name
from ..ruleset import Context, Problem, at, rule

BASIC = "基本履职事项"
ASSIST = "配合履职事项"
WITHDRAWN = "上级部门收回事项"

TIAO_KUAI = "条属块管"
TIAO_TIAO = "条属条管"
_TIAO_KEYS = (normalize_name(TIAO_KUAI), normalize_name(TIAO_TIAO))  # as duty.handling compares a jurisdiction


def _track(item: Item, ctx: Context) -> str | None:
    value = item.data.get("track")
    if value is None or str(value).strip() == "":
        return None
    canonical, _ = ctx.project.vocabulary("duty_tracks").resolve(str(value))
    return canonical


def _group_key(catalog: Catalog, ctx: Context) -> tuple:
    """Duty lists of the same unit and level form one three-list set; a list without a unit stands alone."""
    unit = catalog.data.get("unit")
    if unit is None or str(unit).strip() == "":
        return ("list", id(catalog))
    found = ctx.units.find(str(unit))
    unit_key = ("unit", found.code or id(found)) if found is not None else ("name", normalize_name(str(unit)))
    level = catalog.data.get("level")
    if level is not None:
        canonical, _ = ctx.project.vocabulary("levels").resolve(str(level))
        level = canonical or normalize_name(str(level))
    return (unit_key, level)


def _where(item: Item, home: Catalog) -> tuple[str, str]:
    """How a message names another item: with its list when it stands in another list."""
    if item.catalog is home:
        return f"“{item.label()}”", f"'{item.label()}'"
    return (
        f"《{item.catalog.title or item.catalog.id}》（{item.catalog.id}）中的“{item.label()}”",
        f"'{item.label()}' in list {item.catalog.id}",
    )


@rule("duty.basic-and-withdrawn", "error", "事项既是基本履职事项又是上级部门收回事项", "an item is both basic and withdrawn", scope="set")
def basic_and_withdrawn(ctx: Context) -> Iterator[Problem]:
    """
    三张清单模式下，同一事项不能既列为“基本履职事项”（乡镇、街道必须做并负全责），又列为“上级部门收回事项”
    （已由上级部门收回、乡镇街道不再承担）。检查范围：同一份清单内，以及集合中 `unit`（适用单位）和 `level`
    （适用层级）相同的所有职责任务清单之间（常见做法是三张清单分三个文件）。同一事项指：编码相同，或名称归一后
    相同（不计全角半角、空格和标点）。履职类型按 `duty_tracks` 词表及别名识别（“基本”“收回”等）。
    问题报告在收回事项的 `track` 上，并指出对应的基本履职事项。

    PASS:
        - {code: JD-001, name: 违法建设巡查, track: 基本履职事项}
        - {code: JD-090, name: 户外广告设置审批, track: 上级部门收回事项}
    FAIL:
        - {code: JD-001, name: 违法建设巡查, track: 基本}
        - {code: JD-120, name: 违法建设巡查, track: 收回}     # 名称相同

    English:
    In the three-list model an item cannot be both a 基本履职事项 (a duty the township or street must carry in full)
    and a 上级部门收回事项 (taken back by the upper level). Checked within one list and across all duty lists of the set
    with the same `unit` and `level` (the three lists are often three files). The same item means the same code, or
    the same name after normalisation (width, spaces and punctuation do not matter). Tracks are read through the
    `duty_tracks` vocabulary and its aliases (基本, 收回 …). The finding stands on the withdrawn item's `track` and
    names the basic item.
    """
    groups: dict[tuple, list[Catalog]] = {}
    for catalog in ctx.of_kind("duty"):
        groups.setdefault(_group_key(catalog, ctx), []).append(catalog)
    tracks: dict[str, str | None] = {}  # a track as written → _track's answer (the project's vocabulary)
    for catalogs in groups.values():
        basic_by_code: dict[str, list[Item]] = {}
        basic_by_name: dict[str, list[Item]] = {}
        withdrawn: list[Item] = []
        for catalog in catalogs:
            for item in catalog.items:
                value = item.data.get("track")
                if type(value) is str:  # a few texts over the whole set: each resolved once
                    track = tracks[value] if value in tracks else tracks.setdefault(value, _track(item, ctx))
                else:
                    track = _track(item, ctx)
                if track == BASIC:
                    code, key = item.code, item.key  # key: normalize_name(item.name), kept on the item
                    if code:
                        basic_by_code.setdefault(code.strip(), []).append(item)
                    if key:
                        basic_by_name.setdefault(key, []).append(item)
                elif track == WITHDRAWN:
                    withdrawn.append(item)
        for item in withdrawn:
            matches: list[Item] = []
            for other in basic_by_code.get((item.code or "").strip(), []) + basic_by_name.get(item.key, []):
                if other not in matches:
                    matches.append(other)
            if not matches:
                continue
            names = [_where(other, item.catalog) for other in matches]
            yield at(
                item,
                "track",
                f"事项“{item.label()}”列为上级部门收回事项，但{'、'.join(zh for zh, _ in names)}仍列为基本履职事项；同一事项只能属于一张清单，请删除其一或改正履职类型",
                f"'{item.label()}' is listed as withdrawn by the upper level (上级部门收回事项), but {', '.join(en for _, en in names)} is still a basic duty (基本履职事项); an item belongs to one list only",
            )


@rule("duty.assist-without-lead", "error", "配合履职事项没有牵头部门", "an assisting item has no leading department", kinds=["duty"])
def assist_without_lead(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    “配合履职事项”是乡镇、街道配合上级部门完成的事项，必须用 `lead` 写明牵头的县（区）级部门。没有 `lead`，
    或 `lead` 就是本清单的适用单位（`unit`）本身、其内设机构或下级单位（按机构名录的 `parent` 判断），或本层级名称
    （如街道清单写“街道”），都等于没有牵头部门：事项实际上又落回了乡镇街道。

    PASS:
        unit: 河滨街道
        items:
          - {name: 燃气安全宣传, track: 配合履职事项, lead: 区住建委}
    FAIL:
        unit: 河滨街道
        items:
          - {name: 燃气安全宣传, track: 配合}                  # 没有 lead
          - {name: 防汛知识宣传, track: 配合, lead: 河滨街道}   # 牵头的是本街道

    English:
    A 配合履职事项 is one the township or street does in support of an upper-level department, and `lead` must name
    the county (district) department that leads it. No `lead`, or a `lead` that is the list's own `unit`, one of its
    internal divisions or subordinate units (by the registry's `parent`), or the list's level name (街道 in a street
    list) means there is no leading department: the item has fallen back on the street.
    """
    inside: dict[str, tuple[str, str] | None] = {}  # inside_reason by reference: a list names a few units many times
    for item in catalog.items:
        if _track(item, ctx) != ASSIST:
            continue
        lead = item.data.get("lead")
        if lead is None or str(lead).strip() == "":
            yield at(
                item,
                "track" if "track" in item.data else None,
                f"配合履职事项“{item.label()}”没有写明牵头部门（lead）；配合事项必须由县（区）级部门牵头",
                f"assisting item (配合履职事项) '{item.label()}' names no leading department (lead); a county department must lead it",
            )
        elif (reason := _inside(str(lead), catalog, ctx, inside)) is not None:
            zh_unit, en_unit = reason
            yield at(
                item,
                "lead",
                f"配合履职事项“{item.label()}”的牵头部门“{lead}”是{zh_unit}；配合事项应由上级部门牵头，本单位只承担配合责任",
                f"assisting item '{item.label()}' is led by '{lead}', which is {en_unit}; an upper-level department must lead it",
            )


@rule("duty.handling", "warning", "条属事项的处置部门不明", "a department-owned item lacks a handling department", kinds=["duty"])
def handling(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    条块类型为“条属块管”或“条属条管”的事项，由部门（或其派驻、派出机构）处置，必须在 `handling.department`
    写明处置部门，否则街道发现问题后不知道派给谁。

    “条属条管”事项归部门自管，街道只负责上报或提请执法，因此事项中至少要有一个本清单适用单位（`unit`）以外的
    单位：处置部门、牵头部门（lead）、配合单位（support）或责任主体（responsible）之一。处置部门写街道对口科室、
    把区级部门列为配合单位的做法可以通过。“本单位以内”指：适用单位本身、按机构名录 `parent` 隶属于它的单位
    （内设机构、事业单位、社区、网格），或层级名称（街道、社区……）；名录中查不到、名称也不以本单位名称开头的
    单位按外部单位对待（查不到的引用由引用检查报告）。

    PASS:
        unit: 古美路街道
        items:
          - name: 道路破损报修
            jurisdiction: 条属条管
            handling: {department: 古美路街道市政管理科}
            support: [闵行区建设和交通委员会]
    FAIL:
        - {name: 道路破损报修, jurisdiction: 条属块管}          # 没有 handling.department
    FAIL:
        unit: 古美路街道
        items:
          - name: 道路破损报修
            jurisdiction: 条属条管
            handling: {department: 古美路街道市政管理科}     # 只有街道自己的科室，没有区级部门

    English:
    An item whose jurisdiction is 条属块管 or 条属条管 is handled by a department (or its stationed office) and must
    name it in `handling.department`; otherwise the street does not know where to dispatch it.

    A 条属条管 item stays with the department; the street only reports it or requests enforcement. So the item must
    name at least one unit outside the list's `unit`: the handling department, the lead, a supporting unit or the
    responsible unit. Naming the street's own division as handler and the district department as a supporting unit
    passes. "Inside" means the unit itself, any unit under it by the registry's `parent` (divisions, institutions,
    communities, grids), or a level name (街道, 社区 …); a unit the registry does not know and whose name does not start
    with the unit's name counts as outside (unknown references are reported by the reference checks).
    """
    inside: dict[str, tuple[str, str] | None] = {}  # inside_reason by reference: a list names a few units many times
    for item in catalog.items:
        jurisdiction = item.data.get("jurisdiction")
        key = normalize_name(str(jurisdiction)) if jurisdiction is not None else ""
        if key not in _TIAO_KEYS:
            continue
        department = (item.data.get("handling") or {}).get("department")
        if department is None or str(department).strip() == "":
            yield at(
                item,
                "handling" if "handling" in item.data else "jurisdiction",
                f"“{item.label()}”为{jurisdiction}事项，但没有写明处置部门（handling.department）",
                f"'{item.label()}' is a {jurisdiction} item but names no handling department (handling.department)",
            )
            continue
        if key != _TIAO_KEYS[1]:
            continue
        own = _inside(str(department), catalog, ctx, inside)
        others = [item.data.get("lead"), item.data.get("responsible"), *(item.data.get("support") or [])]
        if own is not None and all(_inside(str(r), catalog, ctx, inside) is not None for r in others if r):
            zh_unit, en_unit = own
            yield at(
                item,
                ("handling", "department"),
                f"“{item.label()}”为条属条管事项，处置部门“{department}”是{zh_unit}，事项中也没有本单位以外的牵头或配合部门；条属条管事项由部门自管，请写明街道上报或提请执法的部门",
                f"'{item.label()}' is a 条属条管 item (kept by a department) but its handling department '{department}' is {en_unit} and no lead or supporting unit outside it is named; name the department it reports to",
            )


# Where a unit stands relative to a list's own unit (used by the checks above) ------------------------------------

LOCAL_LEVELS = frozenset({"街道", "乡镇", "镇", "乡", "片区", "社区", "居民区", "村", "网格", "责任块"})


def _ancestors(unit: Item, ctx: Context) -> Iterator[Item]:
    """The unit's parents by the registry's `parent` codes, nearest first (cycles stop the walk)."""
    seen = {id(unit)}
    parent = unit.data.get("parent")
    while parent is not None:
        found = ctx.units.by_code.get(str(parent))
        if found is None or id(found) in seen:
            return
        seen.add(id(found))
        yield found
        parent = found.data.get("parent")


def _inside(ref: str, catalog: Catalog, ctx: Context, memo: dict[str, tuple[str, str] | None]) -> tuple[str, str] | None:
    """inside_reason, remembered in `memo` (one list's, over one context) by reference."""
    if ref not in memo:
        memo[ref] = inside_reason(ref, catalog, ctx)
    return memo[ref]


def inside_reason(ref: str, catalog: Catalog, ctx: Context) -> tuple[str, str] | None:
    """Why `ref` is the list's own unit or lies within it (Chinese, English), or None when it lies outside.

    With a registry: the unit itself or a unit under it by `parent`. Without one: a level name at street level or
    below, or a name that starts with the unit's name or alias. A unit neither resolves nor names as inside is outside.
    """
    own_ref = catalog.data.get("unit")
    own_ref = str(own_ref) if own_ref is not None and str(own_ref).strip() else None
    own = ctx.units.find(own_ref) if own_ref else None
    found = ctx.units.find(ref)
    if found is not None and own is not None:
        if found is own:
            return "本清单的适用单位", "the list's own unit"
        if any(parent is own for parent in _ancestors(found, ctx)):
            return f"{own.name}下属的单位", f"a unit under {own.name}"
        return None
    level, _ = ctx.project.vocabulary("levels").resolve(ref)
    if found is None and level in LOCAL_LEVELS:
        return f"层级名称“{level}”", f"the level name {level}"
    own_names = [own_ref] if own_ref else []
    if own is not None:
        own_names += [own.name, *(str(a) for a in own.data.get("aliases") or [])]
    keys = {normalize_name(ref)} | ({normalize_name(found.name)} if found is not None else set())
    for name in own_names:
        prefix = normalize_name(name)
        if prefix and prefix in keys:
            return "本清单的适用单位", "the list's own unit"
        if prefix and any(key.startswith(prefix) for key in keys):
            return f"{name}的内设机构", f"a division of {name}"
    if found is not None and own_ref is None:
        for unit in (found, *_ancestors(found, ctx)):
            canonical, _ = ctx.project.vocabulary("unit_types").resolve(str(unit.data.get("type") or ""))
            if canonical in LOCAL_LEVELS:
                return f"{canonical}层级的单位", f"a unit at {canonical} level"
    return None
