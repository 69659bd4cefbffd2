"""Assessment lists (考核清单): weights, who is assessed, what the indicators point at, 一票否决 triggers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..catalog import Catalog, Item
from ..normalize import normalize_name
from ..ruleset import Context, Problem, at, at_catalog, rule
from .common import same_unit
from .refs import unit_message, unresolved_unit

DEFAULT_TOTAL = 100
STREET_LEVELS = ("街道", "乡镇", "镇", "乡")
STATIONED = "条属块管"
PLACEHOLDERS = frozenset({"", "无", "暂无", "待定", "另定", "另行规定", "略", "见附件", "-", "—", "/"})


def _weight(node: dict) -> float | None:
    value = node.get("weight")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return f"{value:g}"


def _level_sum(entries: Sequence[tuple[tuple, dict, Item | None]], expected: float, catalog: Catalog, where_zh: str, where_en: str, at_pointer: tuple) -> Iterator[Problem]:
    """One level of nesting: every entry has a weight, and the weights add up to `expected`."""
    weights = [_weight(node) for _, node, _ in entries]
    if all(w is None for w in weights):
        return
    missing = [(pointer, node, item) for (pointer, node, item), w in zip(entries, weights) if w is None]
    for pointer, node, item in missing:
        name = node.get("name") or ""
        zh = f"{where_zh}中其他项都有权重，“{name}”没有权重（weight）"
        en = f"{where_en}: the other entries carry a weight, '{name}' has none (weight)"
        yield at(item, None, zh, en) if item is not None else at_catalog(catalog, pointer, zh, en)
    if missing:
        return
    total = sum(w for w in weights if w is not None)
    if abs(total - expected) > 1e-6:
        yield at_catalog(
            catalog,
            at_pointer,
            f"{where_zh}的权重之和为 {_fmt(total)}，应为 {_fmt(expected)}（{'+'.join(_fmt(w) for w in weights if w is not None)}）",
            f"{where_en}: the weights add up to {_fmt(total)}, not {_fmt(expected)} ({' + '.join(_fmt(w) for w in weights if w is not None)})",
        )


@rule("assessment.weights", "error", "考核指标权重之和不对", "assessment weights do not add up", kinds=["assessment"])
def weights(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    考核清单的权重逐层相加：各考核内容（类别）的权重之和等于总分（`total_weight`，默认 100）；一个类别内各指标的
    权重之和等于该类别的权重；不分类别时各指标的权重之和等于总分。同一层级中有的写了权重、有的没写，报告没写
    的那一项。一个层级都不写权重的，不检查该层级。

    PASS:
        total_weight: 40
        categories:
          - name: 问题解决
            weight: 40
            items:
              - {name: 按时办结率, weight: 25}
              - {name: 先行联系率, weight: 15}
    FAIL:
        total_weight: 40
        categories:
          - name: 问题解决
            weight: 40                          # 25 + 20 = 45，应为 40
            items:
              - {name: 按时办结率, weight: 25}
              - {name: 先行联系率, weight: 20}

    English:
    An assessment list's weights add up level by level: the weights of the assessment areas (categories) add up to
    the total (`total_weight`, default 100); the weights of the indicators of one category add up to that category's
    weight; without categories the indicators' weights add up to the total. When some entries of one level carry a
    weight and others do not, the one without is reported. A level where no entry carries a weight is not checked.
    """
    data = catalog.data
    total = _weight({"weight": data.get("total_weight")})
    expected = DEFAULT_TOTAL if total is None else total
    total_pointer = ("total_weight",) if "total_weight" in data else (("categories",) if data.get("categories") else ("items",))
    if catalog.categories:
        cats = [(("categories", i), c, None) for i, c in enumerate(catalog.categories) if isinstance(c, dict)]
        yield from _level_sum(cats, expected, catalog, "各考核内容", "the assessment areas", total_pointer)
        for index, category in enumerate(catalog.categories):
            cat_weight = _weight(category) if isinstance(category, dict) else None
            if cat_weight is None:
                continue
            items = [(item.pointer, item.data, item) for item in catalog.items if item.category_index == index]
            name = category.get("name") or ""
            yield from _level_sum(items, cat_weight, catalog, f"考核内容“{name}”的各项指标", f"the indicators of '{name}'", ("categories", index, "weight"))
    else:
        items = [(item.pointer, item.data, item) for item in catalog.items]
        yield from _level_sum(items, expected, catalog, "各项指标", "the indicators", total_pointer)


@rule("assessment.assessee", "error", "考核主体或被考核对象不在机构名录中", "assessor or assessee not in the registry", kinds=["assessment"])
def assessees(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    考核主体（`assessor`）、牵头部门（`organizer`）和每个被考核对象（`assessees`）都必须能在机构名录中找到（按编码、
    名称或简称），或者是层级名称（如 街道、居民区）。所检查的文件中没有机构名录时不检查。

    PASS:
        assessor: 古美路街道办事处
        assessees: [古美路派出所, 工商所]
        ---
        kind: registry
        units:
          - {code: GM, name: 古美路街道办事处}
          - {code: GM-GA, name: 上海市公安局闵行分局古美路派出所, aliases: [古美路派出所]}
          - {code: GM-GS, name: 上海市工商行政管理局闵行分局古美路工商所, aliases: [工商所]}
    FAIL:
        assessor: 古美路街道办事处
        assessees: [古美路派出所, 古美路税务所]   # 名录中没有
        ---
        kind: registry
        units:
          - {code: GM, name: 古美路街道办事处}
          - {code: GM-GA, name: 上海市公安局闵行分局古美路派出所, aliases: [古美路派出所]}

    English:
    The assessor (`assessor`), the organising department (`organizer`) and every assessee (`assessees`) must be
    found in the registry (by code, name or alias), or be a level name (街道, 居民区 …). When the set has no
    registry the rule stays quiet.
    """
    if not ctx.units:
        return
    refs: list[tuple[tuple, object, str, str]] = [
        (("assessor",), catalog.data.get("assessor"), "考核主体", "assessor"),
        (("organizer",), catalog.data.get("organizer"), "牵头部门", "organizer"),
    ]
    refs += [(("assessees", i), value, "被考核对象", "assessee") for i, value in enumerate(catalog.data.get("assessees") or [])]
    for pointer, value, role_zh, role_en in refs:
        if value is not None and unresolved_unit(value, ctx):
            zh, en = unit_message(value, ctx)
            yield at_catalog(catalog, pointer, f"{role_zh}：{zh}", f"{role_en}: {en}")


def _street_of(registry: Catalog, ctx: Context) -> Item | None:
    """The street a registry belongs to: its header `unit`, when that unit or the registry's level is a street."""
    ref = registry.data.get("unit")
    unit = ctx.units.find(str(ref)) if ref is not None else None
    if unit is None:
        return None
    levels = ctx.project.vocabulary("levels")
    for value in (registry.level, unit.data.get("type")):
        canonical, _ = levels.resolve(str(value or ""))
        if canonical in STREET_LEVELS:
            return unit
    return None


@rule("assessment.stationed-unassessed", "warning", "条属块管的派出机构没有被街道考核", "a stationed office (条属块管) the street does not assess", scope="set")
def stationed_unassessed(ctx: Context) -> Iterator[Problem]:
    """
    街道对辖区内条属块管的派出机构（公安派出所、工商所、食药监所等）负责监督考核。街道的机构名录（表头 `unit`
    是街道或乡镇）中标为 `jurisdiction: 条属块管` 的每个单位，都应出现在以该街道为考核主体（`assessor`）的某个
    考核清单的被考核对象（`assessees`）中。报告位置是名录中该单位的 `jurisdiction`。

    GIVEN:
        kind: assessment
        assessor: 古美路街道办事处
        assessees: [古美路派出所]
    PASS:
        kind: registry
        unit: 古美路街道办事处
        units: [{code: GM, name: 古美路街道办事处, type: 街道}, {code: GM-GA, name: 古美路派出所, jurisdiction: 条属块管}]
    FAIL:
        kind: registry
        unit: 古美路街道办事处
        units:
          - {code: GM, name: 古美路街道办事处, type: 街道}
          - {code: GM-GA, name: 古美路派出所, jurisdiction: 条属块管}
          - {code: GM-GS, name: 古美路工商所, jurisdiction: 条属块管}   # 没有考核清单考核工商所

    English:
    A street assesses the offices stationed in it that a district department owns and the street manages (条属块管:
    police station, market-regulation office, food-and-drug office …). Every unit marked `jurisdiction: 条属块管` in a
    street's registry (a registry whose header `unit` is a street or township) must be among the assessees
    (`assessees`) of some assessment list whose assessor (`assessor`) is that street. The finding points at the
    unit's `jurisdiction` in the registry.
    """
    assessments = ctx.of_kind("assessment")
    same: dict[tuple[str, str], bool] = {}  # a set's registries name the same units (copies of one street's, say)
    for registry in ctx.of_kind("registry"):
        stationed = [u for u in registry.items if u.data.get("jurisdiction") == STATIONED]
        if not stationed:
            continue
        street = _street_of(registry, ctx)
        if street is None:
            continue
        by_street = [a for a in assessments if same_unit(ctx, a.data.get("assessor"), street.code, same)]
        for unit in stationed:
            if any(same_unit(ctx, ref, unit.code or unit.name, same) for a in by_street for ref in a.data.get("assessees") or []):
                continue
            lists = "、".join(a.id for a in by_street)
            yield at(
                unit,
                "jurisdiction",
                f"条属块管的“{unit.label()}”没有被{street.name}考核：{'考核清单 ' + lists + ' 的被考核对象中没有它' if lists else '没有以' + street.name + '为考核主体的考核清单'}",
                f"'{unit.label()}' is stationed (条属块管) but {street.name} does not assess it: {'not an assessee of ' + lists if lists else 'no assessment list has ' + street.name + ' as its assessor'}",
            )


@rule("assessment.duty-ref", "error", "考核指标对应的职责找不到", "an indicator points at a duty that does not exist", kinds=["assessment"])
def duty_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    指标的 `duties` 指向职责任务清单中的类别或事项：`list` 是职责清单的 id，`category` 是其中的类别名称或类别
    编码，`code` 是其中的事项编码。三者都必须找得到（类别名称比较时忽略全角半角和空格）。所检查的文件中没有
    职责任务清单时不检查。

    GIVEN:
        id: gumei-street-duty
        kind: duty
        categories: [{name: 四违, items: [{code: GM-JD-01-001, name: 违法建设巡查}]}]
    PASS:
        - name: 违法建设治理成效
          duties:
            - {list: gumei-street-duty, category: “四违”}
            - {list: gumei-street-duty, code: GM-JD-01-001}
    FAIL:
        - name: 违法建设治理成效
          duties:
            - {list: gumei-street-duty, category: 四违建筑}   # 职责清单中没有这个类别

    English:
    An indicator's `duties` point at categories or items of a duty list: `list` is the duty list's id, `category` a
    category name or code in it, `code` an item code in it. Each must be found (category names compared regardless
    of width and spaces). When the set has no duty list the rule stays quiet.
    """
    if not ctx.has_kind("duty"):  # not the duty lists' records: those it names are asked by id
        return
    for item in catalog.items:
        for index, ref in enumerate(item.data.get("duties") or []):
            if not isinstance(ref, dict):
                continue
            list_id = str(ref.get("list") or "")
            target = ctx.by_id(list_id)
            if target is None or target.kind != "duty":
                yield at(item, ("duties", index, "list"), f"指标“{item.label()}”对应的职责清单“{list_id}”不存在（不是所检查的职责任务清单的 id）", f"indicator '{item.label()}': duty list '{list_id}' is not the id of a duty list in the set")
                continue
            category = ref.get("category")
            if category is not None:
                key = normalize_name(str(category))
                names = {normalize_name(str(c.get("name") or "")) for c in target.categories} | {normalize_name(str(c.get("code"))) for c in target.categories if c.get("code") is not None}
                if key not in names:
                    yield at(item, ("duties", index, "category"), f"指标“{item.label()}”对应的类别“{category}”在职责清单 {list_id} 中不存在", f"indicator '{item.label()}': category '{category}' is not in duty list {list_id}")
            code = ref.get("code")
            if code is not None and not any(i.code == str(code) for i in target.items):
                yield at(item, ("duties", index, "code"), f"指标“{item.label()}”对应的事项编码“{code}”在职责清单 {list_id} 中不存在", f"indicator '{item.label()}': item code '{code}' is not in duty list {list_id}")


@rule("assessment.veto-trigger", "error", "一票否决事项没有写明触发情形", "a 一票否决 (veto) item does not say what triggers it", kinds=["assessment"])
def veto_trigger(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    每个一票否决事项（`veto`）都要写明触发情形（`trigger`）：发生什么情况时否决。没有 `trigger`，或只写“无”
    “待定”“另行规定”之类的，被考核单位无从知道什么会使考核被否决。

    PASS:
        veto:
          - name: 重大事故
            trigger: 辖区内发生重大安全生产责任事故
            decided_by: 街道党工委会议
    FAIL:
        veto:
          - name: 重点舆情
            trigger: 待定                  # 没有写明触发情形

    English:
    Every 一票否决 item (`veto`) must say what triggers it (`trigger`): what has to happen for the assessment to be
    vetoed. Without a `trigger`, or with a placeholder such as 无, 待定 or 另行规定, the assessed unit cannot know
    what would veto it.
    """
    for index, entry in enumerate(catalog.data.get("veto") or []):
        if not isinstance(entry, dict):
            continue
        trigger = entry.get("trigger")
        if trigger is None or normalize_name(str(trigger)) in {normalize_name(p) for p in PLACEHOLDERS}:
            name = entry.get("name") or ""
            pointer = ("veto", index, "trigger") if trigger is not None else ("veto", index)
            yield at_catalog(catalog, pointer, f"一票否决事项“{name}”没有写明触发情形（trigger）", f"veto item '{name}' does not say what triggers it (trigger)")
