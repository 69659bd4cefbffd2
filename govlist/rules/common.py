"""What several rules share (as yamllint's rules/common.py): reading values the way every rule reads them."""

from __future__ import annotations

from ..catalog import Catalog, Item
from ..loader import value_at as data_at  # noqa: F401  (the value at a pointer, as the loader reads it)
from ..ruleset import LIST_KINDS, Context

#: Lists whose items are compared by name and code (registries are checked by `codes.unique-unit`).
NAMED_KINDS = LIST_KINDS | {"entry-rules"}


def filled(value: object) -> bool:
    """Whether a field says something: not missing, not blank text, not an empty list or mapping."""
    if isinstance(value, str):
        return value.strip() != ""
    return value is not None and value != [] and value != {}


def canonical(ctx: Context, vocabulary: str, value: object) -> str | None:
    """A value read through one of the project's vocabularies: its canonical form (协助 → 协助事项, 委托下放 → 委托), else
    the text as written; None when there is no value."""
    if value is None:
        return None
    text = str(value)
    found, _ = ctx.project.vocabulary(vocabulary).resolve(text)
    return found or text


def line_of(catalog: Catalog, pointer: tuple) -> int:
    """The line a pointer stands on in a catalog's file."""
    return catalog.doc.position(pointer)[0]


def line_ref(item: Item, field: str = "name") -> tuple[str, str]:
    """How a message points back at an earlier item of the same list: (zh, en) with its line and code."""
    line = line_of(item.catalog, item.pointer + (field,))
    code = f"（编码 {item.code}）" if item.code else ""
    code_en = f" (code {item.code})" if item.code else ""
    return f"第 {line} 行{code}", f"line {line}{code_en}"


def same_unit(ctx: Context, a: object, b: object, memo: dict[tuple[str, str], bool]) -> bool:
    """`ctx.units.same(a, b)`, remembered in `memo` (a rule's, over one list) for two texts: a list names the same few
    units over and over, and each comparison resolves both through the registry."""
    if type(a) is not str or type(b) is not str:
        return ctx.units.same(a, b)
    found = memo.get((a, b))
    if found is None:
        found = memo[a, b] = ctx.units.same(a, b)
    return found
