"""What a level of government may carry: functions taken away from a level (招商引资, 协税护税 from streets)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..negation import mentioned_among
from ..normalize import normalize_name
from ..ruleset import LIST_KINDS, Context, Problem, at, rule
from .common import canonical


def catalog_level(catalog: Catalog, ctx: Context) -> str | None:
    """The canonical level a list applies to: its header `level`, else the type of its header `unit`."""
    level = catalog.data.get("level")
    if level is None and catalog.data.get("unit"):
        unit = ctx.units.find(str(catalog.data["unit"]))
        level = unit.data.get("type") if unit is not None else None
    if level is None or not str(level).strip():
        return None
    return canonical(ctx, "levels", str(level))


def _forbidden_terms(level: str, ctx: Context) -> list[str]:
    terms: list[str] = []
    for key, values in ctx.project.forbidden_functions.items():
        if canonical(ctx, "levels", str(key)) == level or normalize_name(str(key)) == normalize_name(level):
            terms.extend(str(v) for v in values or [] if str(v).strip())
    return list(dict.fromkeys(terms))


def _exempt(item: Item, ctx: Context) -> bool:
    """Items that name a forbidden function on purpose: negative-list items and items taken back."""
    kind = item.catalog.kind
    if kind == "community":
        found, _ = ctx.project.vocabulary("community_types").resolve(str(item.data.get("type") or ""))
        return found == "负面清单事项"
    if kind == "devolution":
        return str(item.data.get("status") or "").strip() == "收回"
    if kind == "duty":
        found, _ = ctx.project.vocabulary("duty_tracks").resolve(str(item.data.get("track") or ""))
        return found == "上级部门收回事项"
    return False


#: The fields of an item level.forbidden-function reads, in the order it reads them.
_SEARCHED = ("name", "content")


@rule("level.forbidden-function", "error", "层级承担了不应承担的职能", "a level carries a function taken away from it", kinds=LIST_KINDS)
def forbidden_function(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单所属层级（头部 `level`，没有时取头部 `unit` 在机构名录中的类型）在项目配置 `forbidden_functions` 中列出了
    不得承担的职能（如 街道: [招商引资, 协税护税]；社区: [招商引资, 协税护税, 经济发展]），而某个事项的名称或
    内容中出现了这些职能。以下事项有意写明这些职能，不报告：社区工作准入规则（entry-rules）的负面清单、
    社区工作事项清单中类型为“负面清单事项”的事项、下放目录中状态为“收回”的事项、职责任务清单中的
    “上级部门收回事项”。
    被否定的提及不算：在它所在的分句（以逗号、句号、分号、叹号、问号或换行分隔，不分全角半角；顿号和冒号不分句）
    中，它前面任何位置有否定词（不得、不再、不应、不宜、不可、不能、不予、不以、不代、不属、不承担、不参与、
    不负责、不包括、严禁、禁止、无权、无需、无须、取消、剥离、收回、移交、划出；“不可抗力”“不可移动文物”不是否定），
    或它后面有“除外”（如“（招商引资除外）”，括号内的“除外”不管括号外的词）。否定不延及下一分句；同一职能
    只要有一处未被否定的提及就报告。比较时不分全角半角，忽略空格。与 community.government-power 读法相同。

    PASS:
        level: 街道
        items: [{name: 优化营商环境服务, content: 为辖区企业提供政策咨询和办事代办服务}]
    PASS:
        level: 街道
        items: [{name: 经济服务, content: 街道全面取消招商引资、协税护税等职能，转向为企业提供服务}]
    FAIL:
        level: 街道
        items: [{name: 招商引资, content: 完成区下达的招商引资任务}]   # 街道不得承担招商引资
    FAIL:
        level: 街道
        items: [{name: 企业服务, content: 不得向企业摊派费用；配合开展招商引资}]   # 否定只管它所在的分句

    English:
    The level a list applies to (header `level`, else the registry type of the header `unit`) has functions it must
    not carry in the project's `forbidden_functions` (街道: [招商引资, 协税护税]; 社区: [招商引资, 协税护税,
    经济发展]), and an item's name or content names one of them. Items that name them on purpose are skipped: the
    negative list of entry rules, community items of type 负面清单事项, devolution items taken back (status 收回), and
    duty items of track 上级部门收回事项.
    A negated mention does not count: one whose clause (cut at a comma, full stop, semicolon, exclamation or question
    mark or a line break, full- or half-width; not at 、 or a colon) has a negation word anywhere before it (不得, 不再,
    不应, 不宜, 不可, 不能, 不予, 不以, 不代, 不属, 不承担, 不参与, 不负责, 不包括, 严禁, 禁止, 无权, 无需, 无须, 取消, 剥离, 收回,
    移交, 划出; 不可抗力 and 不可移动文物 are not negations), or 除外 after it (（招商引资除外）; a 除外 inside brackets
    does not reach a term outside them). A negation does not reach into the next clause, and a function is reported
    when any one of its mentions is not negated. Width and spaces are ignored. community.government-power reads text
    the same way.
    """
    level = catalog_level(catalog, ctx)
    if level is None:
        return
    terms = _forbidden_terms(level, ctx)
    if not terms:
        return
    items = catalog.items
    texts = [str(text) if (text := item.data.get(field)) else "" for item in items for field in _SEARCHED]
    reported = -1  # an item is reported once, on the first of its fields that names a function (or not, exempt)
    for number, found in mentioned_among(texts, terms).items():
        index, field = divmod(number, len(_SEARCHED))
        if index == reported:
            continue
        reported, item, field_name = index, items[index], _SEARCHED[field]
        if _exempt(item, ctx):
            continue
        what = "名称" if field_name == "name" else "内容"
        yield at(
            item,
            field_name,
            f"{level}层级不得承担“{'、'.join(found)}”，但事项“{item.label()}”的{what}含有该职能",
            f"the level {level} must not carry '{', '.join(found)}', but the {field_name} of item '{item.label()}' names it",
        )
