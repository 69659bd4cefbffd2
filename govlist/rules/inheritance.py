"""Lists across levels: a list against the upper list it names in `parent:` (subset, extends, complete).

Each finding stands at the child item's line and names the parent item; what concerns the parent list as a whole
(a parent item missing, a declared total) stands at the child's `parent:` or `declared:` header.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..inheritance import MODE_ZH, Inheritance, Resolver, basis_key, compare, parent_ref, renamed
from ..kinds import TYPE_FIELD
from ..model import did_you_mean
from ..ruleset import LIST_KINDS, Context, Problem, at, at_catalog, rule

# The fields whose change against the parent is reported: 设定依据 and the item's type, per kind.


def _resolver(ctx: Context) -> Resolver:
    if "inheritance.resolver" not in ctx.memo:
        ctx.memo["inheritance.resolver"] = Resolver(ctx.catalogs, ctx.by_id)  # the context's index of ids: not one more walk over the set
    return ctx.memo["inheritance.resolver"]


def _inheritance(catalog: Catalog, ctx: Context) -> Inheritance | None:
    """The comparison with the parent, once per list; None when there is no usable parent (parent.list says why)."""
    key = ("inheritance", id(catalog))
    if key not in ctx.memo:
        ref = parent_ref(catalog)
        resolver = _resolver(ctx)
        parent = resolver.parent(catalog) if ref is not None else None
        usable = parent is not None and parent is not catalog and parent.kind == catalog.kind and not resolver.chain(catalog)[1]
        ctx.memo[key] = compare(parent, catalog, ref.mode) if usable and ref is not None and parent is not None else None
    return ctx.memo[key]


def _where(item: Item) -> str:
    line, _ = item.catalog.doc.position(item.pointer)
    return f"{item.catalog.id} 第{line}行"


def _where_en(item: Item) -> str:
    line, _ = item.catalog.doc.position(item.pointer)
    return f"{item.catalog.id} line {line}"


@rule("parent.list", "error", "上级清单找不到或类型不同", "the parent list cannot be found or is of another kind", kinds=LIST_KINDS)
def parent_list(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单头部 `parent.list` 指向本清单据以制定的上级清单：所检查文件中某个清单的 `id`，或相对本文件的路径。
    上级清单必须在所检查的文件中（检查县级清单时，把市级、省级清单所在目录一并列出，或用 `--set`），且与本清单
    是同一类型（kind）。指向自己也报告。找不到时，消息给出最相近的清单 id。

    PASS:
        parent: {list: province, mode: subset}         # 清单 id；也可写相对路径 province.yaml
        items: [{name: 出生证明}]
        ---
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    FAIL:
        parent: {list: provinse, mode: subset}         # 没有这个清单
        items: [{name: 出生证明}]
        ---
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    FAIL:
        parent: {list: chenghua-registry, mode: subset}   # 是机构名录，不是同类清单
        items: [{name: 出生证明}]
        ---
        # chenghua-registry.yaml
        kind: registry
        units: [{code: CH, name: 成华区人民政府}]

    English:
    A header's `parent.list` names the upper list this list derives from: the `id` of a list in the set validated, or
    a path relative to this file. The parent must be in the set (validate a county's list together with the folders
    of its city's and province's lists, or with `--set`) and of the same kind. A list naming itself is reported too.
    When nothing is found, the message suggests the closest list id.
    """
    ref = parent_ref(catalog)
    if ref is None:
        return
    parent = _resolver(ctx).parent(catalog)
    if parent is None:
        ids = sorted({h.id for h in ctx.headers() if h.kind == catalog.kind and h.path != catalog.path})
        hint_zh, hint_en = did_you_mean(ref.list, ids, cutoff=0.6).pair()
        yield at_catalog(
            catalog,
            ("parent", "list"),
            f"上级清单“{ref.list}”不在所检查的文件中（按清单 id 和相对路径都找不到）{hint_zh}",
            f"parent list '{ref.list}' is not in the set validated (no list has that id or path){hint_en}",
        )
    elif parent is catalog:
        yield at_catalog(catalog, ("parent", "list"), "上级清单指向本清单自身", "the parent list is this list itself")
    elif parent.kind != catalog.kind:
        yield at_catalog(
            catalog,
            ("parent", "list"),
            f"上级清单“{ref.list}”的类型是 {parent.kind}，本清单是 {catalog.kind}：只能继承同类清单",
            f"parent list '{ref.list}' is a {parent.kind} list and this one a {catalog.kind} list: a list inherits from its own kind only",
        )


@rule("parent.cycle", "error", "上级清单形成循环", "the parent lists form a cycle", kinds=LIST_KINDS)
def parent_cycle(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    上级清单可以逐级串联（国家 → 省 → 市 → 县），每一级只与直接上级比较。沿 `parent` 逐级向上，如果回到本清单，
    就形成了循环，无法判断谁是上级：循环中的每个清单都在 `parent.list` 处报告，消息列出整个循环。

    PASS:
        # county.yaml
        parent: {list: city, mode: subset}
        items: [{name: 出生证明}]
        ---
        # city.yaml
        parent: {list: province, mode: subset}
        items: [{name: 出生证明}]
        ---
        # province.yaml
        items: [{name: 出生证明}, {name: 死亡证明}]
    FAIL:
        # county.yaml
        parent: {list: city, mode: subset}     # county → city → county
        ---
        # city.yaml
        parent: {list: county, mode: subset}   # city → county → city

    English:
    Parent lists chain (national → province → city → county); each level is compared with its direct parent only.
    When following `parent` upwards comes back to the list, the lists form a cycle and none of them is the upper one:
    each list of the cycle is reported at its `parent.list`, and the message lists the whole cycle.
    """
    if parent_ref(catalog) is None:
        return
    chain, cycle = _resolver(ctx).chain(catalog)
    if cycle and chain:  # a list naming itself is parent.list's
        names = " → ".join([catalog.id] + [c.id for c in chain] + [catalog.id])
        yield at_catalog(catalog, ("parent", "list"), f"上级清单形成循环：{names}", f"the parent lists form a cycle: {names}")


@rule("parent.not-in-parent", "error", "事项不在上级清单中", "an item is not in the parent list", kinds=LIST_KINDS)
def not_in_parent(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    `parent.mode` 为 subset（只能从上级清单选取）或 complete（与上级一致）时，本清单的每个事项都必须能在上级清单中
    找到；为 extends 时，上级清单中没有的事项必须标明 `local: true`（本级事项），否则报告。事项的对应方式与
    `govlist diff` 相同：先按编码，再按名称（不计全角半角、空格和标点），再按名称和内容的相似度。subset、complete
    清单中标明 `local: true` 的事项同样报告：这两种方式不允许本级事项。消息给出上级清单中最相近的事项。

    GIVEN:
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    PASS:
        parent: {list: province, mode: extends}
        items:
          - {name: 出生证明}
          - {name: 开具无房证明, local: true}      # 本级事项
    FAIL:
        parent: {list: province, mode: subset}
        items:
          - {name: 出生证明}
          - {name: 开具无房证明}                   # 上级清单中没有

    English:
    With `parent.mode` subset (items taken from the parent only) or complete (the parent's items exactly), every item
    must be found in the parent list; with extends, an item the parent does not have must be marked `local: true` (a
    local item), or it is reported. Items are matched as `govlist diff` matches them: by code, then by name (width,
    spaces and punctuation do not matter), then by similarity of name and content. An item marked `local: true` in a
    subset or complete list is reported too: those modes allow no local items. The message names the closest parent item.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    names = [p.name for p in inh.parent.items]
    for item in inh.unmatched + (inh.local if inh.mode != "extends" else []):
        match = difflib.get_close_matches(item.name, names, n=1, cutoff=0.5)
        hint_zh = f"（最相近的上级事项：“{match[0]}”）" if match else ""
        hint_en = f" (closest parent item: '{match[0]}')" if match else ""
        if inh.mode == "extends":
            zh = f"事项“{item.label()}”不在上级清单“{inh.parent.id}”中；本级增加的事项请标明 local: true{hint_zh}"
            en = f"item '{item.label()}' is not in the parent list {inh.parent.id}; mark an item added at this level local: true{hint_en}"
        else:
            zh = f"事项“{item.label()}”不在上级清单“{inh.parent.id}”中，而本清单{MODE_ZH[inh.mode]}，不能增加本级事项{hint_zh}"
            en = f"item '{item.label()}' is not in the parent list {inh.parent.id}, and a {inh.mode} list may add no item of its own{hint_en}"
        yield at(item, "local" if "local" in item.data else None, zh, en)


@rule("parent.local", "warning", "标明为本级事项，上级清单中却有同名事项", "an item marked local has a namesake in the parent list", kinds=LIST_KINDS)
def marked_local(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    标明 `local: true` 的事项是上级清单中没有、由本级增加的事项。上级清单中有同名事项（名称归一后相同）时，
    它不是本级事项：去掉 `local: true`，让它与上级事项对应，才能检查更名、依据和类型的变化。

    GIVEN:
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    PASS:
        parent: {list: province, mode: extends}
        items: [{name: 开具无房证明, local: true}]        # 上级清单中没有
    FAIL:
        parent: {list: province, mode: extends}
        items:
          - {name: 出生证明, local: true}                 # 上级清单中就有“出生证明”

    English:
    An item marked `local: true` is one added at this level, which the parent list does not have. When the parent has
    an item of the same (normalised) name, it is not local: drop `local: true` so that it is matched with the parent
    item and checked for renames and changed basis or type.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    for item, parent_item in inh.local_in_parent:
        yield at(
            item,
            "local",
            f"事项“{item.label()}”标明为本级事项（local: true），但上级清单中有同名事项“{parent_item.label()}”（{_where(parent_item)}）",
            f"item '{item.label()}' is marked local (local: true) but the parent list has '{parent_item.label()}' ({_where_en(parent_item)})",
        )


@rule("parent.renamed", "error", "事项名称与上级清单不同", "an item is renamed against the parent list", kinds=LIST_KINDS)
def parent_renamed(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    下级清单不得改变上级清单的事项名称：按编码或相似度对应到上级事项、名称却不同（不计全角半角、空格和标点）的，
    报告在本清单事项上，给出上级事项的名称和位置。真实清单中一个字的笔误（“居民财产证明”写成“居民财政证明”）
    就是这样发现的。上级一个事项在本清单拆成几个事项的，也报告。确属经批准的更名，用行内注释说明理由：
    `# govlist: ignore[parent.renamed] 原因：……`。

    GIVEN:
        # province.yaml
        items: [{code: "07", name: 居民财产证明}]
    PASS:
        parent: {list: province, mode: subset}
        items: [{code: "07", name: 居民财产证明}]
    FAIL:
        parent: {list: province, mode: subset}
        items:
          - {code: "07", name: 居民财政证明}          # 上级为“居民财产证明”

    English:
    A lower list may not rename its parent's items: an item matched to a parent item by code or by similarity whose
    name differs (width, spaces and punctuation aside) is reported on this list's item, with the parent's name and
    place. A one-character typo in a republication (居民财政证明 for 居民财产证明) is found this way. A parent item split
    into several items here is reported too. An approved rename is suppressed with its reason:
    `# govlist: ignore[parent.renamed] reason: …`.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    for parent_item, item, _ in inh.pairs:
        if renamed(parent_item, item):
            yield at(
                item,
                "name",
                f"事项名称“{item.name}”与上级清单事项“{parent_item.name}”（{_where(parent_item)}）不同；下级清单不得更改事项名称",
                f"item name '{item.name}' differs from the parent item '{parent_item.name}' ({_where_en(parent_item)}); a lower list may not rename items",
            )
    for parent_item, parts in inh.split:
        names = "、".join(f"“{p.name}”" for p in parts)
        for item in parts:
            yield at(
                item,
                "name",
                f"上级清单事项“{parent_item.name}”（{_where(parent_item)}）在本清单拆分为 {len(parts)} 项：{names}",
                f"the parent item '{parent_item.name}' ({_where_en(parent_item)}) is split into {len(parts)} items here",
            )


@rule("parent.changed", "error", "事项的依据或类型与上级清单不同", "an item's basis or type differs from the parent list", kinds=LIST_KINDS)
def parent_changed(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    下级清单不得改变上级事项的设定依据（`basis`）或类型（权责清单、社区事项的 `type`，下放目录的 `method`，职责清单
    的 `track`）。两边都写了才比较：依据按条目比较，不计顺序、全角半角和标点；下级省略依据不报告。

    PASS:
        kind: community
        parent: {list: province, mode: subset}
        items: [{name: 出生证明, type: 不应出具证明}]
        ---
        # province.yaml
        kind: community
        items: [{name: 出生证明, type: 不应出具证明, basis: 《中华人民共和国母婴保健法》第二十三条}]
    FAIL:
        kind: community
        parent: {list: province, mode: subset}
        items:
          - {name: 出生证明, type: 可出具证明}                 # 上级为 不应出具证明
          - {name: 死亡证明, basis: 《医疗机构管理条例》}      # 依据不同
        ---
        # province.yaml
        kind: community
        items:
          - {name: 出生证明, type: 不应出具证明}
          - {name: 死亡证明, basis: 《中华人民共和国人口与计划生育法》}

    English:
    A lower list may not change a parent item's basis (`basis`, 设定依据) or type (`type` of power and community items,
    `method` of devolution items, `track` of duty items). Only values given on both sides are compared: bases entry by
    entry, in any order, width and punctuation aside; a basis left out below is not reported.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    type_field = TYPE_FIELD.get(catalog.kind)
    for parent_item, item, _ in inh.pairs:
        ours, theirs = basis_key(item.data.get("basis")), basis_key(parent_item.data.get("basis"))
        if ours is not None and theirs is not None and ours != theirs:
            yield at(
                item,
                "basis",
                f"事项“{item.label()}”的依据与上级清单事项“{parent_item.name}”（{_where(parent_item)}）不同：上级为 {_basis_text(parent_item)}",
                f"item '{item.label()}': the basis differs from the parent item '{parent_item.name}' ({_where_en(parent_item)}): {_basis_text(parent_item)}",
            )
        if type_field:
            a, b = item.data.get(type_field), parent_item.data.get(type_field)
            if a is not None and b is not None and str(a).strip() != str(b).strip():
                yield at(
                    item,
                    type_field,
                    f"事项“{item.label()}”的 {type_field} 为“{a}”，上级清单事项“{parent_item.name}”（{_where(parent_item)}）为“{b}”",
                    f"item '{item.label()}': {type_field} is '{a}', the parent item '{parent_item.name}' ({_where_en(parent_item)}) has '{b}'",
                )


def _basis_text(item: Item) -> str:
    value = item.data.get("basis")
    return "；".join(str(v) for v in value) if isinstance(value, list) else str(value)


@rule("parent.missing", "error", "缺少上级清单的事项", "a parent item is missing", kinds=LIST_KINDS)
def parent_missing(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    `parent.mode` 为 complete 或 extends 时，上级清单的每个事项都必须出现在本清单中。缺少的上级事项逐项报告在
    本清单头部的 `parent` 处，写明上级事项的编码、名称和位置。几个上级事项被写在一行里的（见
    `parent.run-together`），不再重复报告为缺少。subset 清单可以只选取一部分，不检查。

    GIVEN:
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    PASS:
        parent: {list: province, mode: subset}      # 只选取部分事项
        items: [{name: 出生证明}, {name: 婚姻状况证明}]
    FAIL:
        parent: {list: province, mode: complete}    # 上级的“转学证明”本清单没有
        items: [{name: 出生证明}, {name: 婚姻状况证明}]

    English:
    With `parent.mode` complete or extends, every item of the parent list must appear in this list. Each missing parent
    item is reported at this list's `parent` header, with its code, name and place. Parent items run together into one
    row (see `parent.run-together`) are not reported again as missing. A subset list may take a part only: not checked.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None or inh.mode == "subset":
        return
    for parent_item in inh.missing:
        problem = at_catalog(
            catalog,
            ("parent", "list"),
            f"缺少上级清单事项“{parent_item.label()}”（{_where(parent_item)}）：本清单{MODE_ZH[inh.mode]}",
            f"the parent item '{parent_item.label()}' ({_where_en(parent_item)}) is missing: this list is {inh.mode}",
        )
        yield Problem(problem.catalog, problem.pointer, problem.message, parent_item)


@rule("parent.run-together", "error", "几个上级事项写在一个事项里", "several parent items are run together into one item", kinds=LIST_KINDS)
def run_together(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    转发上级清单时，两个事项常被并成一行（“婚姻状况证明出生证明”），清单因此少了几项，单看本清单却看不出来。
    本清单一个事项的名称由上级清单两个及以上事项的名称组成时报告，列出这些上级事项：请拆回原来的事项。

    GIVEN:
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    PASS:
        parent: {list: province, mode: subset}
        items: [{name: 婚姻状况证明}, {name: 出生证明}]
    FAIL:
        parent: {list: province, mode: subset}
        items:
          - {name: 婚姻状况证明出生证明}          # 上级清单的两个事项

    English:
    When a parent list is republished, two items are often run together into one row (婚姻状况证明出生证明): the list
    is short of items, which the list alone does not show. An item whose name is made of the names of two or more
    parent items is reported, with those parent items: split it back into them.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    for sources, item in inh.run_together:
        names_zh = "、".join(f"“{s.name}”（{_where(s)}）" for s in sources)
        names_en = ", ".join(f"'{s.name}' ({_where_en(s)})" for s in sources)
        yield at(
            item,
            "name",
            f"事项“{item.name}”是上级清单的 {len(sources)} 个事项写在一起：{names_zh}；请分开列出",
            f"item '{item.name}' runs {len(sources)} parent items together: {names_en}; list them separately",
        )


@rule("parent.totals", "error", "公布总数与上级清单对不上", "the declared total does not reconcile with the parent list", kinds=LIST_KINDS)
def parent_totals(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    本清单公布的事项总数（`declared.items`）要与上级清单对得上：complete 清单等于上级清单的事项数；extends 清单等于
    上级事项数加本级事项（`local: true`）数；subset 清单不超过上级事项数。转发时漏了两项、并了两行，公布数跟着
    少了两个，单看本清单数字自洽，对照上级才发现。

    GIVEN:
        # province.yaml
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    PASS:
        parent: {list: province, mode: complete}
        declared: {items: 3}                        # 上级 3 项
        items: [{name: 出生证明}, {name: 婚姻状况证明}, {name: 转学证明}]
    FAIL:
        parent: {list: province, mode: complete}
        declared: {items: 2}                        # 比上级少 1 项
        items: [{name: 出生证明}, {name: 婚姻状况证明}]

    English:
    The declared item total (`declared.items`) must reconcile with the parent list: a complete list declares the
    parent's item count; an extends list the parent's count plus its local items (`local: true`); a subset list no more
    than the parent's count. A republication that lost two items, or ran two pairs together, declares two fewer: the
    list agrees with itself, and only the parent shows the gap.
    """
    inh = _inheritance(catalog, ctx)
    if inh is None:
        return
    declared = (catalog.data.get("declared") or {}).get("items")
    if not isinstance(declared, int) or isinstance(declared, bool):
        return
    upper = len(inh.parent.items)
    if inh.mode == "complete" and declared != upper:
        zh, en = f"上级清单“{inh.parent.id}”共 {upper} 项，本清单与上级一致（complete），却公布 {declared} 项", f"the parent list {inh.parent.id} has {upper} items and this list is complete, yet it declares {declared}"
    elif inh.mode == "extends" and declared != upper + len(inh.local):
        zh = f"上级清单“{inh.parent.id}”共 {upper} 项，本级事项 {len(inh.local)} 项，应公布 {upper + len(inh.local)} 项，实际公布 {declared} 项"
        en = f"the parent list {inh.parent.id} has {upper} items and this list {len(inh.local)} local ones: {upper + len(inh.local)} expected, {declared} declared"
    elif inh.mode == "subset" and declared > upper:
        zh, en = f"本清单只能从上级清单“{inh.parent.id}”（共 {upper} 项）选取，却公布 {declared} 项", f"this list takes items from the parent list {inh.parent.id} ({upper} items) only, yet declares {declared}"
    else:
        return
    yield at_catalog(catalog, ("declared", "items"), zh, en)
