"""References between files: units named in lists, registry parents, grid items' territorial items, entry-rules scope.

References are resolved over the whole set validated, so a list and the registry it names may sit in different files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import TypeGuard

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ..catalog import Catalog
from ..normalize import code_key, normalize_name
from ..kinds import kind_name
from ..model import did_you_mean, hint
from ..ruleset import ALL_KINDS, Context, Problem, at, at_catalog, rule

# Where each list kind holds unit references: tuples of keys; "*" runs over a list.
UNIT_REF_FIELDS: dict[str, tuple[tuple, ...]] = {
    "duty": (("responsible",), ("lead",), ("support", "*"), ("handling", "department")),
    "power": (("department",),),
    "territorial": (("lead", "unit"), ("lead", "*", "unit"), ("support", "*", "unit")),
    "devolution": (("source",), ("receiver",), ("entrustor",)),
    "community": (("department",), ("application", "department")),
    "grid": (("grids", "*"),),
}


def _refs(data: dict, path: tuple) -> list[tuple[tuple, object]]:
    """(pointer, value) of every reference a field path reaches in `data` (missing fields reach nothing)."""
    head = data.get(path[0])
    if head is None:
        return []
    reached: list[tuple[tuple, object]] = [((path[0],), head)]
    for part in path[1:]:
        step: list[tuple[tuple, object]] = []
        for prefix, value in reached:
            if part == "*":
                if isinstance(value, list):
                    step.extend((prefix + (index,), element) for index, element in enumerate(value))
            elif isinstance(value, dict) and value.get(part) is not None:
                step.append((prefix + (part,), value[part]))
        reached = step
    return reached


def _is_level(value: str, ctx: Context) -> bool:
    canonical, _ = ctx.project.vocabulary("levels").resolve(value)
    return canonical is not None


def _suggest_unit(value: str, ctx: Context) -> tuple[str, str]:
    """A 'did you mean' clause naming the closest registry unit, or empty strings."""
    match = closest_key(normalize_name(value), list(ctx.units.by_key))
    if match is None:
        return "", ""
    unit = ctx.units.by_key[match]
    label = f"{unit.name}（{unit.code}）" if unit.code else unit.name
    label_en = f"{unit.name} ({unit.code})" if unit.code else unit.name
    return hint(label, label_en).pair()


def closest_key(word: str, keys: list[str]) -> str | None:
    """What `difflib.get_close_matches(word, keys, n=1, cutoff=0.6)` gives (the best by difflib's ratio, then by key),
    or None. difflib's ratio counts the matching blocks it finds, a common subsequence, so it is never above
    2·LCS / total length, which rapidfuzz computes in C: the keys below the cutoff there cannot pass difflib's (taken
    a hair lower, 0.59: rapidfuzz rounds its own cutoff, and left out a 0.6 at 0.6 − 1e-9), and difflib picks among
    the others what it would pick among all (a registry of a few hundred units was scored in Python for every
    unknown name)."""
    reachable = [key for key, _, _ in process.extract(word, keys, scorer=Indel.normalized_similarity, score_cutoff=0.59, limit=None)]
    match = difflib.get_close_matches(word, reachable, n=1, cutoff=0.6)
    return match[0] if match else None


def unresolved_unit(value: object, ctx: Context) -> TypeGuard[str]:
    """Whether `value` names a unit the registry does not know and that is no level name (text only)."""
    if not isinstance(value, str):
        return False  # the schema reports a reference that is not text
    return ctx.units.find(value) is None and not _is_level(value, ctx)


_SEPARATORS = re.compile(r"\s*[、，,；;/／]\s*")


def unit_message(value: str, ctx: Context) -> tuple[str, str]:
    parts = [p for p in _SEPARATORS.split(value) if p]
    if len(parts) > 1 and not any(unresolved_unit(p, ctx) for p in parts):
        return (
            f"“{value}”是 {len(parts)} 个单位写在一起（{'、'.join(parts)}），请分开写成列表，每个单位一项",
            f"'{value}' names {len(parts)} units in one string ({', '.join(parts)}); write them as a list, one unit each",
        )
    hint_zh, hint_en = _suggest_unit(value, ctx)
    return (
        f"引用的单位“{value}”在机构名录中不存在（按编码、名称和简称都找不到），也不是层级名称{hint_zh}",
        f"unit '{value}' is not in the registry (no unit has that code, name or alias) and is not a level name{hint_en}",
    )


@rule("refs.unit", "error", "引用的单位不存在", "reference to an unknown unit", kinds=ALL_KINDS)
def unit_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单中引用单位的地方必须能在机构名录（所检查的全部 registry 文件）中找到：按单位的编码、名称或简称，忽略
    全角半角、空格和标点的差别。层级名称（词表 `levels`，如 街道、社区、居委会）也可以作引用。检查的字段：
    清单头部 `unit`；职责清单 `responsible`、`lead`、`support[]`、`handling.department`；权责清单 `department`；
    属地清单 `lead.unit`（写成列表时每一个）、`support[].unit`；下放目录 `source`、`receiver`、`entrustor`；
    社区事项 `department`、`application.department`；网格清单 `grids[]`。消息给出名录中最相近的单位；
    几个单位写在同一个字符串里的（如表格中常见的“区民政局、区财政局”），提示分开写成列表。
    所检查的文件中没有机构名录时（如单独检查一个文件），本规则不检查。

    GIVEN:
        kind: registry
        units: [{code: MZJ, name: XX区民政局, aliases: [区民政局]}]
    PASS:
        - {name: 低保申请受理, responsible: 区民政局}      # 名录中“XX区民政局”的简称
        - {name: 居民区走访, responsible: 街道}            # 层级名称
    FAIL:
        - {name: 低保申请受理, responsible: 区民证局}      # 名录中没有；是否想写“区民政局”？

    English:
    Every unit a list names must be found in the registry (all registry files of the set), by a unit's code, name or
    alias, regardless of full/half width, spaces and punctuation. A level name (vocabulary `levels`: 街道, 社区, 居委会 …)
    is accepted too. Fields checked: the header's `unit`; duty `responsible`, `lead`, `support[]`,
    `handling.department`; power `department`; territorial `lead.unit` (each one when written as a list),
    `support[].unit`; devolution `source`, `receiver`, `entrustor`; community `department`, `application.department`;
    grid `grids[]`. The message suggests the closest registry unit; several units run together in one string
    ("区民政局、区财政局", as spreadsheets often have them) are asked to be written as a list. When the set has no
    registry (one file validated alone) the rule stays quiet.
    """
    if not ctx.units:
        return
    header_unit = catalog.data.get("unit")
    if unresolved_unit(header_unit, ctx):
        zh, en = unit_message(header_unit, ctx)
        yield at_catalog(catalog, ("unit",), f"清单头部：{zh}", f"header: {en}")
    # each path with how it is read: a plain field (most are) or a field of a field (lead.unit) without the walk
    paths = [(path, 1 if len(path) == 1 else 2 if len(path) == 2 and path[1] != "*" else 0) for path in UNIT_REF_FIELDS.get(catalog.kind, ())]
    said: dict[str, tuple[str, str]] = {}  # an unknown unit is often named many times: suggest once per name
    known: set[str] = set()  # and a known one even more often: each name looked up once
    for item in catalog.items:
        get = item.data.get
        for path, how in paths:  # different paths never reach the same pointer: "*" reaches indexes, the others keys
            reached: Iterable[tuple[tuple, object]]
            if how == 1:
                value = get(path[0])
                if value is None or (value.__class__ is str and value in known):  # a list is no key: tested below
                    continue
                reached = ((path, value),)
            elif how == 2:
                head = get(path[0])
                value = head.get(path[1]) if isinstance(head, dict) else None
                if value is None or (value.__class__ is str and value in known):
                    continue
                reached = ((path, value),)
            else:
                reached = _refs(item.data, path)
            for pointer, value in reached:
                if not isinstance(value, str) or value in known:
                    continue  # the schema reports a reference that is not text
                if value not in said:
                    if not unresolved_unit(value, ctx):
                        known.add(value)
                        continue
                    said[value] = unit_message(value, ctx)
                zh, en = said[value]
                yield at(item, pointer, f"事项“{item.name}”：{zh}", f"item {item.name}: {en}")


@rule("refs.parent", "error", "上级单位编码不存在", "parent is not a unit code", kinds=["registry"])
def parent_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    机构名录中单位的 `parent` 必须是某个单位的编码（可在所检查的任一名录文件中）。写成名称或简称的，消息给出
    应填的编码；写错的，给出最相近的编码。

    PASS:
        - {code: GM-JD, name: 古美路街道办事处}
        - {code: GM-JD-01, name: 党政办公室, parent: GM-JD}
    FAIL:
        - {code: GM-JD-01, name: 党政办公室, parent: 古美路街道办事处}   # 应填编码 GM-JD

    English:
    A registry unit's `parent` must be the code of a unit (in any registry file of the set). When it names a unit by its
    name or alias, the message gives the code to write instead; otherwise it suggests the closest code.
    """
    for unit in catalog.items:
        value = unit.data.get("parent")
        if value is None:
            continue
        value = str(value)
        if value in ctx.units.by_code:
            continue
        named = ctx.units.find(value)
        if named is not None and named.code:
            yield at(
                unit,
                "parent",
                f"单位“{unit.name}”的上级“{value}”应填单位编码“{named.code}”，而不是名称",
                f"unit {unit.name}: parent '{value}' must be a unit code; write '{named.code}'",
            )
            continue
        hint_zh, hint_en = did_you_mean(value, list(ctx.units.by_code), cutoff=0.6).pair()
        yield at(
            unit,
            "parent",
            f"单位“{unit.name}”的上级编码“{value}”不是任何单位的编码{hint_zh}",
            f"unit {unit.name}: parent '{value}' is not the code of any unit{hint_en}",
        )


@rule("refs.item", "error", "引用的清单或事项不存在", "reference to an unknown list or item", kinds=["grid", "entry-rules"])
def item_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    网格清单事项的 `territorial: {list, code}` 指向属地管理清单中的事项（两单联动）：写了 `list` 的，它必须是所检查
    文件中某个属地清单（kind: territorial）的 id，`code` 必须是该清单中的事项编码；没写 `list` 的，`code` 须是任一
    属地清单中的事项编码。编码比较忽略全角半角。所检查的文件中没有属地清单时（如单独检查网格清单），不检查。
    社区工作准入规则的 `applies_to` 中每一项须是所检查文件中某个清单的 id，或层级名称（如 社区）；所检查的文件中
    没有社区事项清单时不检查。

    GIVEN:
        # xx-territorial.yaml
        kind: territorial
        items: [{code: XX-SD-01-01, name: 街巷私搭乱建治理, lead: {unit: 区城管执法局}, support: [{unit: 街道}]}]
        ---
        # chenghua-community.yaml
        kind: community
        items: [{name: 低保申请家庭入户核查协助, type: 依法履职事项}]
    PASS:
        kind: grid
        items: [{name: 私搭乱建巡查劝导, territorial: {list: xx-territorial, code: XX-SD-01-01}}]
    FAIL:
        kind: grid
        items:
          - {name: 私搭乱建巡查劝导, territorial: {list: xx-teritorial, code: XX-SD-01-01}}   # 没有这个属地清单
          - {name: 露天烧烤巡查劝导, territorial: {list: xx-territorial, code: XX-SD-09-01}}   # 清单中没有这个事项
    PASS:
        kind: entry-rules
        applies_to: [chenghua-community, 社区]
    FAIL:
        kind: entry-rules
        applies_to: [chenghua-comunity]          # 没有这个社区清单

    English:
    A grid item's `territorial: {list, code}` points at an item of a territorial list (两单联动). With `list`, it must be
    the id of a territorial list (kind: territorial) of the set and `code` an item code in that list; without `list`,
    `code` must be an item code of any territorial list. Codes are compared regardless of full/half width. When the set
    has no territorial list (a grid list validated alone), nothing is checked. Each `applies_to` entry of entry rules
    must be the id of a list of the set or a level name (such as 社区); when the set has no community list, nothing is
    checked.
    """
    if catalog.kind == "grid":
        yield from _grid_refs(catalog, ctx)
    else:
        yield from _applies_to_refs(catalog, ctx)


def _grid_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    territorials = ctx.of_kind("territorial")
    if not territorials:
        return
    if "refs.territorial-codes" not in ctx.memo:  # once for every grid list of the set
        ctx.memo["refs.territorial-codes"] = {t.id: {code_key(i.code) for i in t.items if i.code is not None} for t in territorials}
    codes = ctx.memo["refs.territorial-codes"]
    for item in catalog.items:
        ref = item.data.get("territorial")
        if not isinstance(ref, dict) or ref.get("code") is None:
            continue
        code = str(ref["code"])
        list_id = ref.get("list")
        if list_id is not None:
            list_id = str(list_id)
            target = ctx.by_id(list_id)
            if target is None or target.kind != "territorial":
                what_zh = f"是{kind_name(target.kind)}，不是属地管理清单" if target is not None else "不存在"
                what_en = f"is a {target.kind} list, not a territorial list" if target is not None else "does not exist"
                hint_zh, hint_en = did_you_mean(list_id, list(codes), cutoff=0.6).pair()
                yield at(
                    item,
                    ("territorial", "list"),
                    f"事项“{item.name}”对应的属地清单“{list_id}”{what_zh}{hint_zh}",
                    f"item {item.name}: territorial list '{list_id}' {what_en}{hint_en}",
                )
                continue
            if code_key(code) not in codes[list_id]:
                yield at(
                    item,
                    ("territorial", "code"),
                    f"事项“{item.name}”对应的属地事项编码“{code}”在属地清单“{list_id}”中不存在{_code_hint(code, codes[list_id])[0]}",
                    f"item {item.name}: territorial item code '{code}' is not in list {list_id}{_code_hint(code, codes[list_id])[1]}",
                )
        elif not any(code_key(code) in c for c in codes.values()):
            every = set().union(*codes.values())
            hint_zh, hint_en = _code_hint(code, every)
            yield at(
                item,
                ("territorial", "code"),
                f"事项“{item.name}”对应的属地事项编码“{code}”在任何属地清单（{'、'.join(codes)}）中都不存在{hint_zh}",
                f"item {item.name}: territorial item code '{code}' is in no territorial list ({', '.join(codes)}){hint_en}",
            )


def _code_hint(code: str, known: set[str]) -> tuple[str, str]:
    return did_you_mean(code_key(code), sorted(known), cutoff=0.7).pair()


def _applies_to_refs(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    if not ctx.has_kind("community"):  # not their records: a run kept while they are edited
        return
    levels = ctx.project.vocabulary("levels").values
    for index, value in enumerate(catalog.data.get("applies_to") or []):
        # a list's id: looked up, not searched for (entry rules are read once per list, and a set may hold thousands)
        if not isinstance(value, str) or (value and ctx.by_id(value) is not None) or _is_level(value, ctx):
            continue
        ids = [header.id for header in ctx.headers() if header.id]
        hint_zh, hint_en = did_you_mean(value, ids + list(levels), cutoff=0.6).pair()
        yield at_catalog(
            catalog,
            ("applies_to", index),
            f"准入规则适用范围中的“{value}”既不是所检查清单的 id，也不是层级名称{hint_zh}",
            f"applies_to entry '{value}' is neither the id of a list of the set nor a level name{hint_en}",
        )
