"""What a level of government may carry: functions taken away from a level (招商引资, 协税护税 from streets)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..normalize import normalize_name
from ..ruleset import LIST_KINDS, Context, Problem, at, rule
from .common import canonical

#: Words that, shortly before a term in the same clause, say the item does NOT carry it (不再承担招商引资).
_NEGATION = re.compile(r"不得|不再|不应|不宜|严禁|禁止|不承担|不参与|不负责|不包括|取消|剥离|收回|移交|划出|除外")
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_NEGATION_WINDOW = 12
#: A term made only of CJK ideographs (the usual case: 招商引资).
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
#: Text made only of these characters (ASCII without space and tab, CJK ideographs, common CJK punctuation, full-width
#: ASCII forms) is unchanged by `_compact` except for punctuation: a term of ideographs is in it only if it is literally.
_PLAIN = re.compile(r"[\n\r!-~\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u3014-\u301f\u4e00-\u9fff\uff01-\uff5e]*")


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


def find_term(text: str, term: str) -> bool:
    """Whether `text` carries `term` (width and spaces ignored), not counting negated mentions (不再承担招商引资)."""
    haystack = _compact(text)
    needle = _compact(term)
    if not needle:
        return False
    start = haystack.find(needle)
    while start != -1:
        before = haystack[max(0, start - _NEGATION_WINDOW) : start]
        clause = _CLAUSE_END.split(before)[-1]
        if not _NEGATION.search(clause):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _compact(text: str) -> str:
    """Width-normalised text without spaces, keeping clause punctuation (so that negation stays in its clause)."""
    return re.sub(r"[ \t\u3000]+", "", unicodedata.normalize("NFKC", text)).replace(",", "，").replace(";", "；")


@rule("level.forbidden-function", "error", "层级承担了不应承担的职能", "a level carries a function taken away from it", kinds=LIST_KINDS)
def forbidden_function(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单所属层级（头部 `level`，没有时取头部 `unit` 在机构名录中的类型）在项目配置 `forbidden_functions` 中列出了
    不得承担的职能（如 街道: [招商引资, 协税护税]；社区: [招商引资, 协税护税, 经济发展]），而某个事项的名称或
    内容中出现了这些职能。以下事项有意写明这些职能，不报告：社区工作准入规则（entry-rules）的负面清单、
    社区工作事项清单中类型为“负面清单事项”的事项、下放目录中状态为“收回”的事项、职责任务清单中的
    “上级部门收回事项”，以及在同一分句中带否定说法的提及（如“不再承担招商引资任务”）。

    PASS:
        level: 街道
        items: [{name: 优化营商环境服务, content: 为辖区企业提供政策咨询和办事代办服务}]
    FAIL:
        level: 街道
        items: [{name: 招商引资, content: 完成区下达的招商引资任务}]   # 街道不得承担招商引资

    English:
    The level a list applies to (header `level`, else the registry type of the header `unit`) has functions it must
    not carry in the project's `forbidden_functions` (街道: [招商引资, 协税护税]; 社区: [招商引资, 协税护税,
    经济发展]), and an item's name or content names one of them. Items that name them on purpose are skipped: the
    negative list of entry rules, community items of type 负面清单事项, devolution items taken back (status 收回), duty
    items of track 上级部门收回事项, and mentions negated in the same clause (不再承担招商引资任务).
    """
    level = catalog_level(catalog, ctx)
    if level is None:
        return
    terms = _forbidden_terms(level, ctx)
    if not terms:
        return
    needles = [_compact(term) for term in terms]
    literal = all(_IDEOGRAPHS.fullmatch(needle) for needle in needles)
    for item in catalog.items:
        for field in ("name", "content"):
            text = item.data.get(field)
            if not text:
                continue
            text = str(text)
            if literal and _PLAIN.fullmatch(text) and not any(needle in text for needle in needles):
                continue  # cheap pre-check: no term can be in this text, so skip normalising it
            found = [term for term in terms if find_term(text, term)]
            if found:
                if _exempt(item, ctx):
                    break
                what = "名称" if field == "name" else "内容"
                yield at(
                    item,
                    field,
                    f"{level}层级不得承担“{'、'.join(found)}”，但事项“{item.label()}”的{what}含有该职能",
                    f"the level {level} must not carry '{', '.join(found)}', but the {field} of item '{item.label()}' names it",
                )
                break
