"""Community entry rules (社区工作准入规则) read as data: which entry-rules catalogs govern a community list, merged
over the defaults. The community rules (rules/community.py) apply them."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

from ..catalog import Catalog, Item
from ..normalize import normalize_name, strip_gloss
from ..ruleset import Context, Header
from .common import canonical

DEFAULT_ASSIST_FIELDS = ("application", "approval", "funding")
DEFAULT_APPROVAL_FIELDS = ("body", "date", "doc_number")
DEFAULT_GOVERNMENT_TYPES = ("行政许可", "行政处罚", "行政强制", "行政征收", "行政检查")
DEFAULT_GOVERNMENT_KEYWORDS = ("罚款", "吊销", "查封", "扣押", "行政许可", "行政处罚")


@dataclass
class EntryRules:
    """The entry rules that govern one community list: the applicable entry-rules catalogs merged over the defaults."""

    sources: list[Catalog] = field(default_factory=list)
    assist: tuple[str, ...] = DEFAULT_ASSIST_FIELDS
    approval: tuple[str, ...] = DEFAULT_APPROVAL_FIELDS
    types: tuple[str, ...] = DEFAULT_GOVERNMENT_TYPES
    keywords: tuple[str, ...] = DEFAULT_GOVERNMENT_KEYWORDS
    decide_within: int | None = None
    apply_ahead: int | None = None
    negative: list[Item] = field(default_factory=list)
    approved: list[dict] = field(default_factory=list)  # `approved:` entries: 协助 items the district has let in

    def approval_of(self, item: Item) -> dict | None:
        """The `approved:` entry naming this item (by code, else by name with width, punctuation and glosses aside)."""
        for entry in self.approved:
            if item.code and entry.get("code") is not None and str(entry["code"]) == item.code:
                return entry
            name = entry.get("name")
            if isinstance(name, str) and normalize_name(strip_gloss(name)) == item.stripped_key:
                return entry
        return None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.sources)


def level_key(value: object, ctx: Context) -> str:
    """A level name as entry rules and community lists compare it (through the `levels` vocabulary, normalised)."""
    return normalize_name(canonical(ctx, "levels", "" if value is None else value) or "")


def applies(rules: Catalog, community: Catalog, ctx: Context) -> bool:
    """Whether an entry-rules catalog governs a community list: `applies_to` empty or missing, or naming its id or
    level. (The definition: entry_rules_for finds them through an index that says the same, `governing`.)"""
    targets = [str(t) for t in (rules.data.get("applies_to") or [])]
    if not targets:
        return True
    if community.id in targets:
        return True
    level = community.level
    return bool(level) and any(level_key(t, ctx) == level_key(level, ctx) for t in targets)


def governing(community: "Catalog | Header", ctx: Context) -> list[Catalog]:
    """The entry-rules catalogs that govern `community` (as `applies` says), in the set's order: found through an
    index of their `applies_to`, made once for the catalogs `of_kind` gives (asked every time: a file's context
    notes what its rules read), not by asking each of them (a set may hold hundreds of entry rules and of community
    lists)."""
    return governed(entry_index(ctx), community, ctx)


def entry_index(ctx: Context) -> tuple:
    """The entry rules of the set (asked of the context each time) with the index of their `applies_to` (made once
    for those catalogs): what `governed` reads."""
    catalogs = ctx.of_kind("entry-rules")
    index = ctx.__dict__.get("_entry_rules_by_target")
    if index is None or len(index[0]) != len(catalogs) or not all(map(operator.is_, index[0], catalogs)):
        every: list[int] = []
        by_id: dict[str, list[int]] = {}
        by_level: dict[str, list[int]] = {}
        for number, rules in enumerate(catalogs):
            targets = [str(t) for t in (rules.data.get("applies_to") or [])]
            if not targets:
                every.append(number)
            for target in targets:
                by_id.setdefault(target, []).append(number)
                by_level.setdefault(level_key(target, ctx), []).append(number)
        index = ctx.__dict__["_entry_rules_by_target"] = (catalogs, every, by_id, by_level)
    return index


def governed(index: tuple, community: "Catalog | Header", ctx: Context) -> list[Catalog]:
    """The entry-rules catalogs of `index` (entry_index) that govern `community`, in the set's order."""
    catalogs, every, by_id, by_level = index
    numbers = set(every).union(by_id.get(community.id, ()))
    if community.level:
        numbers.update(by_level.get(level_key(community.level, ctx), ()))
    return [catalogs[n] for n in sorted(numbers)]


def _union(parts: list[list]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in parts:
        for value in part:
            seen.setdefault(str(value), None)
    return tuple(seen)


def entry_rules_for(community: Catalog, ctx: Context) -> EntryRules:
    """The rules governing `community`. Several applicable catalogs are merged: field lists, government-only types and
    keywords and negative items add up, the strictest deadline wins. A section none of them gives keeps its default."""
    key = ("entry rules", id(community))  # in ctx.memo: a file's context forgets it when the file is done
    if key in ctx.memo:
        return ctx.memo[key]
    found = governing(community, ctx)
    result = EntryRules(sources=found)

    def gather(*path: str) -> list[list] | None:
        lists: list[list] = []
        for catalog in found:
            node: object = catalog.data
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, list):
                lists.append(node)
        return lists or None

    if (assist := gather("required", "assist")) is not None:
        result.assist = _union(assist)
    if (approval := gather("required", "approval")) is not None:
        result.approval = _union(approval)
    if (types := gather("government_only", "types")) is not None:
        result.types = _union(types)
    if (keywords := gather("government_only", "keywords")) is not None:
        result.keywords = _union(keywords)
    decide = [c.data["deadlines"].get("decide_within_working_days") for c in found if isinstance(c.data.get("deadlines"), dict)]
    ahead = [c.data["deadlines"].get("apply_ahead_working_days") for c in found if isinstance(c.data.get("deadlines"), dict)]
    decide = [d for d in decide if isinstance(d, int)]
    ahead = [a for a in ahead if isinstance(a, int)]
    result.decide_within = min(decide) if decide else None
    result.apply_ahead = max(ahead) if ahead else None
    for catalog in found:
        result.negative.extend(catalog.items)
        result.approved.extend(e for e in catalog.data.get("approved") or [] if isinstance(e, dict))
    ctx.memo[key] = result
    return result


def rules_zh(rules: EntryRules) -> str:
    return f"准入规则“{'、'.join(c.id for c in rules.sources)}”" if rules.sources else "默认准入规则"


def rules_en(rules: EntryRules) -> str:
    return f"entry rules '{', '.join(c.id for c in rules.sources)}'" if rules.sources else "the default entry rules"
