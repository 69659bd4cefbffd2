"""Linked lists: links.present and links.absent report what govlist.links finds (devolved to, taken back, led by)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog
from ..links import Links, link_sources
from ..ruleset import ByList, Context, Problem, at, rule


def links_of(ctx: Context) -> Links:
    if "links" not in ctx.memo:
        ctx.memo["links"] = Links(ctx, ctx.units, ctx.project.links)  # the set seen through its headers
    return ctx.memo["links"]


def _by_list(expect: str) -> ByList:
    """The rule of one `expect` run list by list: from each list its links start from (govlist/index.py keeps each
    list's run while its record, the lists of the units its items name and their records are the same)."""
    return ByList(
        lambda project: link_sources(project.links, expect),
        lambda ctx, catalog: _check(ctx, expect, catalog),
        lambda ctx, catalog: links_of(ctx).reaches(catalog, expect),
        lambda ctx, question: links_of(ctx).answer(question),
    )


@rule("links.present", "error", "联动清单中缺少应有的事项", "a linked list does not carry the item", scope="set", by_list=_by_list("present"))
def present(ctx: Context) -> Iterator[Problem]:
    """
    清单之间的联动：下放目录中下放给某个街道（`receiver`）的有效事项，应出现在该街道的职责清单或权责清单中；
    街道职责清单中的配合履职事项，其牵头部门（`lead`）的清单（职责、权责或属地清单）应有这个事项。“该单位的清单”
    是清单头 `unit` 为该单位的清单；两边的清单都在所检查的文件中才检查，`receiver` 写层级名（如 街道）的不检查。
    事项按编码、名称（不计全角半角、标点和末尾括注）或相近的名称对应。项目文件 `links:` 可以增加本地的联动关系
    （哪类清单的哪个字段指向哪类清单，`expect: present`）。报告在指向别的清单的事项上。

    GIVEN:
        kind: registry
        units: [{code: GN, name: 古南街道办事处, aliases: [古南街道]}, {code: WL, name: 文龙街道办事处, aliases: [文龙街道]}]
    PASS:
        kind: devolution
        items: [{name: 临时救助申请受理, receiver: 古南街道}]
        ---
        kind: duty
        unit: 古南街道
        items: [{name: 临时救助申请受理}]
    FAIL:
        kind: devolution
        items:
          - {name: 临时救助申请受理, receiver: 文龙街道}   # 文龙街道的职责清单中没有
        ---
        kind: duty
        unit: 文龙街道
        items: [{name: 违法建设巡查}]

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


@rule("links.absent", "error", "已收回的事项仍在联动清单中", "a linked list still carries a withdrawn item", scope="set", by_list=_by_list("absent"))
def absent(ctx: Context) -> Iterator[Problem]:
    """
    下放目录中已收回（`status: 收回`）的事项，不应再出现在原承接单位的职责清单或权责清单中：收回后街道不再实施，
    清单还留着，街道就还要为它负责。报告在承接单位清单的该事项上，写明下放目录中的收回事项。项目文件 `links:`
    中 `expect: absent` 的联动关系同样检查。

    GIVEN:
        kind: registry
        units: [{code: GN, name: 古南街道办事处, aliases: [古南街道]}]
    PASS:
        kind: devolution
        items: [{name: 燃气经营许可初审, receiver: 古南街道, status: 收回}]
        ---
        kind: duty
        unit: 古南街道
        items: [{name: 违法建设巡查}]
    FAIL:
        kind: devolution
        items: [{name: 燃气经营许可初审, receiver: 古南街道, status: 收回}]
        ---
        kind: duty
        unit: 古南街道
        items:
          - {name: 燃气经营许可初审}          # 已收回，仍在职责清单中

    English:
    An item taken back in a devolution catalog (`status: 收回`) must no longer appear in the former receiver's duty or
    power list: while the list keeps it, the street still answers for it. The finding stands on the item in the
    receiver's list and names the withdrawn item. Links of the project file with `expect: absent` are checked the
    same way.
    """
    yield from _check(ctx, "absent")


def _check(ctx: Context, expect: str, source: Catalog | None = None) -> Iterator[Problem]:
    """What the rule of one `expect` finds over the set, or from the items of `source`."""
    if not ctx.units:
        return
    links = links_of(ctx)
    # present: one of the unit's lists of the linked kinds carrying the item is enough (duty OR power list), so the
    # search stops at the first that does; absent: every list that still carries the withdrawn item is reported.
    # A link reported by its own rule (两单联动: grid.two-list-link) is not followed here.
    for o in links.outcomes(expect, source.items if source is not None else None, first=expect == "present", own_rule=False):
        if expect == "present" and o.found is None:
            lists = links.lists(o.link, o.item)
            several = len(lists) > 1
            ids = "、".join(f"“{c.id}”" for c in lists)
            all_zh, none_en, carries_en = ("都", "none of the lists", "carries") if several else ("", "the list", "does not carry")
            yield at(
                o.item,
                o.link.field,
                f"事项“{o.item.label()}”指向“{o.unit}”（联动：{o.link.id}），但“{o.unit}”的清单{ids}中{all_zh}没有这个事项",
                f"item '{o.item.label()}' points at '{o.unit}' (link: {o.link.id}), but {none_en} {', '.join(c.id for c in lists)} of '{o.unit}' {carries_en} it",
            )
        elif expect == "absent" and o.found is not None:
            yield at(
                o.found,
                None,
                f"事项“{o.found.label()}”已在“{o.item.catalog.id}”中收回（“{o.item.label()}”，联动：{o.link.id}），本清单不应再列出",
                f"item '{o.found.label()}' was taken back in {o.item.catalog.id} ('{o.item.label()}', link: {o.link.id}); this list should no longer carry it",
            )
