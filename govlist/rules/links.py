"""Linked lists: an item that names a unit (devolved to a street, led by a department) and that unit's own list.

A link is data: which field of which kind of list names a unit, which kinds of that unit's lists must carry the item
(`present`) or no longer carry it (`absent`), and for which items (`when`). The built-in links are below; a project
adds its own under `links:` in govlist.yaml. A unit's list is a list whose header `unit` names that unit; a link is
checked only when both lists are in the set, and a level name (街道) names no single unit, so it is not followed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from ..catalog import Catalog, Item
from ..normalize import similarity
from ..ruleset import Context, Problem, at, rule

BUILTIN_LINKS: tuple[dict, ...] = (
    {"id": "下放-承接", "from": "devolution", "field": "receiver", "when": {"status": [None, "有效"]}, "to": ["duty", "power"], "expect": "present"},
    {"id": "收回", "from": "devolution", "field": "receiver", "when": {"status": "收回"}, "to": ["duty", "power"], "expect": "absent"},
    {"id": "配合-牵头", "from": "duty", "field": "lead", "when": {"track": ["配合履职事项", "配合"]}, "to": ["duty", "power", "territorial"], "expect": "present"},
)

SIMILAR = 0.8  # a name this close to one in the unit's list counts as the same item (a gloss, a changed word)


@dataclass(frozen=True)
class Link:
    id: str
    source: str
    field: str
    when: dict
    to: tuple[str, ...]
    expect: str


def links_of(ctx: Context) -> list[Link]:
    return [
        Link(str(d["id"]), str(d["from"]), str(d["field"]), dict(d.get("when") or {}), tuple(d["to"]), str(d["expect"]))
        for d in (*BUILTIN_LINKS, *ctx.project.links)
    ]


def _applies(item: Item, when: dict) -> bool:
    for key, wanted in when.items():
        value = item.data.get(key)
        options = wanted if isinstance(wanted, list) else [wanted]
        if value not in options and not (isinstance(value, str) and value.strip() in options):
            return False
    return True


class _Carried:
    """The items of one list, found by code, by normalised name, or by a close name."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.by_code = {i.code: i for i in catalog.items if i.code}
        self.by_key: dict[str, Item] = {}
        for i in catalog.items:
            self.by_key.setdefault(i.key, i)
            self.by_key.setdefault(i.stripped_key, i)

    def find(self, item: Item) -> Item | None:
        if item.code and item.code in self.by_code:
            return self.by_code[item.code]
        for key in (item.key, item.stripped_key):
            if key in self.by_key:
                return self.by_key[key]
        best, score = None, 0.0
        for key in difflib.get_close_matches(item.stripped_key, list(self.by_key), n=1, cutoff=SIMILAR):
            value = similarity(item.stripped_key, key)
            if value > score:
                best, score = self.by_key[key], value
        return best


def _unit_lists(ctx: Context) -> dict[int, list[Catalog]]:
    """Lists by the registry unit their header `unit` names (id of the unit item)."""
    if "links.unit-lists" not in ctx.memo:
        found: dict[int, list[Catalog]] = {}
        for catalog in ctx.catalogs:
            ref = catalog.data.get("unit")
            unit = ctx.units.find(str(ref)) if ref is not None else None
            if unit is not None:
                found.setdefault(id(unit), []).append(catalog)
        ctx.memo["links.unit-lists"] = found
    return ctx.memo["links.unit-lists"]


def _carried(ctx: Context, catalog: Catalog) -> _Carried:
    key = ("links.carried", id(catalog))
    if key not in ctx.memo:
        ctx.memo[key] = _Carried(catalog)
    return ctx.memo[key]


def _targets(ctx: Context, link: Link, item: Item) -> tuple[str, list[Catalog]]:
    """The unit an item's link field names and that unit's lists of the link's kinds (none for a level name)."""
    value = item.data.get(link.field)
    if isinstance(value, dict):
        value = value.get("unit")
    if not isinstance(value, str) or not value.strip():
        return "", []
    unit = ctx.units.find(value)
    if unit is None:
        return value, []
    return value, [c for c in _unit_lists(ctx).get(id(unit), []) if c.kind in link.to and c is not item.catalog]


@rule("links.present", "error", "联动清单中缺少应有的事项", "a linked list does not carry the item", scope="set")
def present(ctx: Context) -> Iterator[Problem]:
    """
    清单之间的联动：下放目录中下放给某个街道（`receiver`）的有效事项，应出现在该街道的职责清单或权责清单中；
    街道职责清单中的配合履职事项，其牵头部门（`lead`）的清单（职责、权责或属地清单）应有这个事项。“该单位的清单”
    是清单头 `unit` 为该单位的清单；两边的清单都在所检查的文件中才检查，`receiver` 写层级名（如 街道）的不检查。
    事项按编码、名称（不计全角半角、标点和末尾括注）或相近的名称对应。项目文件 `links:` 可以增加本地的联动关系
    （哪类清单的哪个字段指向哪类清单，`expect: present`）。报告在指向别的清单的事项上。

    PASS:
        # devolution: {name: 临时救助申请受理, receiver: 古南街道}
        # 古南街道职责清单（unit: 古南街道）中有“临时救助申请受理”
    FAIL:
        # 文龙街道职责清单（unit: 文龙街道）中没有下放给文龙街道的“临时救助申请受理”

    English:
    Lists are linked: a valid item of a devolution catalog given to a street (`receiver`) must appear in that street's
    duty or power list; an assisting item (配合履职事项) of a street's duty list must appear in the list of its leading
    department (`lead`: a duty, power or territorial list). "That unit's list" is a list whose header `unit` is that
    unit; a link is checked only when both lists are in the set, and a `receiver` naming a level (街道) is not followed.
    Items are matched by code, by name (width, punctuation and trailing glosses aside) or by a close name. A project
    adds its own links under `links:` in govlist.yaml (which field of which kind points at which kinds of list, with
    `expect: present`). The finding stands on the item that points at the other list.
    """
    yield from _check(ctx, "present")


@rule("links.absent", "error", "已收回的事项仍在联动清单中", "a linked list still carries a withdrawn item", scope="set")
def absent(ctx: Context) -> Iterator[Problem]:
    """
    下放目录中已收回（`status: 收回`）的事项，不应再出现在原承接单位的职责清单或权责清单中：收回后街道不再实施，
    清单还留着，街道就还要为它负责。报告在承接单位清单的该事项上，写明下放目录中的收回事项。项目文件 `links:`
    中 `expect: absent` 的联动关系同样检查。

    PASS:
        # devolution: {name: 燃气经营许可初审, receiver: 古南街道, status: 收回}
        # 古南街道职责清单中没有这个事项
    FAIL:
        # 古南街道职责清单中仍有“燃气经营许可初审”

    English:
    An item taken back in a devolution catalog (`status: 收回`) must no longer appear in the former receiver's duty or
    power list: while the list keeps it, the street still answers for it. The finding stands on the item in the
    receiver's list and names the withdrawn item. Links of the project file with `expect: absent` are checked the
    same way.
    """
    yield from _check(ctx, "absent")


def _check(ctx: Context, expect: str) -> Iterator[Problem]:
    if not ctx.units:
        return
    for link in links_of(ctx):
        if link.expect != expect:
            continue
        for catalog in ctx.of_kind(link.source):
            for item in catalog.items:
                if not _applies(item, link.when):
                    continue
                unit, targets = _targets(ctx, link, item)
                for target in targets:
                    found = _carried(ctx, target).find(item)
                    if expect == "present" and found is None:
                        yield at(
                            item,
                            link.field,
                            f"事项“{item.label()}”指向“{unit}”（联动：{link.id}），但“{unit}”的清单“{target.id}”中没有这个事项",
                            f"item '{item.label()}' points at '{unit}' (link: {link.id}), but the list {target.id} of '{unit}' does not carry it",
                        )
                    elif expect == "absent" and found is not None:
                        yield at(
                            found,
                            None,
                            f"事项“{found.label()}”已在“{catalog.id}”中收回（“{item.label()}”，联动：{link.id}），本清单不应再列出",
                            f"item '{found.label()}' was taken back in {catalog.id} ('{item.label()}', link: {link.id}); this list should no longer carry it",
                        )


def destinations(ctx: Context, item: Item) -> list[tuple[str, Item]]:
    """Where an item goes (link id, the item in the unit's list): for the published site."""
    out = []
    for link in links_of(ctx):
        if link.expect != "present" or link.source != item.catalog.kind or not _applies(item, link.when):
            continue
        for target in _targets(ctx, link, item)[1]:
            found = _carried(ctx, target).find(item)
            if found is not None:
                out.append((link.id, found))
    return out

