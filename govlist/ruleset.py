"""The rule registry: every rule's id, default severity, scope and documentation, and what rules report.

A rule is a small function with a docstring: Chinese first, then a line `English:` and the English text. Rules
report *what* and *where* (a Problem); the runner attaches the id and the configured severity.
"""

from __future__ import annotations

import textwrap

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Union

from .catalog import Catalog, Item, UnitIndex
from .model import Severity, Text
from .project import Project

LIST_KINDS = frozenset({"duty", "power", "territorial", "devolution", "community", "grid"})
ALL_KINDS = LIST_KINDS | {"entry-rules", "registry"}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found: a bilingual message at a place in a catalog (and the item it concerns)."""

    catalog: Catalog
    pointer: tuple
    message: Text
    item: Item | None = None
    at_key: bool = False


def at(item: Item, fields: Union[str, tuple, None], zh: str, en: str) -> Problem:
    """A problem with `item`, pointing at one of its fields (a key, or a tuple of keys and indexes)."""
    if fields is None:
        pointer = item.pointer
    elif isinstance(fields, tuple):
        pointer = item.pointer + fields
    else:
        pointer = item.pointer + (fields,)
    return Problem(item.catalog, pointer, Text(zh, en), item)


def at_catalog(catalog: Catalog, pointer: tuple, zh: str, en: str) -> Problem:
    return Problem(catalog, pointer, Text(zh, en))


@dataclass
class Context:
    """What a rule may look at beyond one catalog: the project settings and the whole set validated."""

    project: Project
    catalogs: list[Catalog]
    units: UnitIndex = field(init=False)

    def __post_init__(self) -> None:
        self.units = UnitIndex(self.of_kind("registry"))

    def of_kind(self, *kinds: str) -> list[Catalog]:
        return [c for c in self.catalogs if c.kind in kinds]

    def by_id(self, catalog_id: str) -> Catalog | None:
        for catalog in self.catalogs:
            if catalog.id == catalog_id:
                return catalog
        return None


CatalogCheck = Callable[[Catalog, Context], Iterable[Problem]]
SetCheck = Callable[[Context], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: Text
    doc: str
    scope: str  # "catalog": check(catalog, ctx) per catalog of `kinds`; "set": check(ctx) once; "builtin": the loader's
    kinds: frozenset[str] | None = None
    check: Callable | None = None

    def documentation(self, lang: str) -> str:
        zh, sep, en = textwrap.dedent(self.doc).partition("\nEnglish:")
        text = en if (lang == "en" and sep) else zh
        return textwrap.dedent(text.strip("\n")).strip()


RULES: dict[str, Rule] = {}


def _register(rule_obj: Rule) -> None:
    if rule_obj.id in RULES:
        raise ValueError(f"rule id {rule_obj.id} registered twice")
    RULES[rule_obj.id] = rule_obj


def rule(rule_id: str, severity: str, title_zh: str, title_en: str, kinds: Iterable[str] | None = None, scope: str = "catalog"):
    """Register a rule function; its docstring is its user documentation."""

    def decorate(fn: Callable) -> Callable:
        _register(
            Rule(
                rule_id,
                Severity.parse(severity),
                Text(title_zh, title_en),
                fn.__doc__ or "",
                scope,
                frozenset(kinds) if kinds is not None else None,
                fn,
            )
        )
        return fn

    return decorate


def builtin(rule_id: str, severity: str, title_zh: str, title_en: str, doc: str) -> None:
    """Register a rule that the loader or schema check reports (documentation only, no check function)."""
    _register(Rule(rule_id, Severity.parse(severity), Text(title_zh, title_en), doc, "builtin"))


def run_rule(rule_obj: Rule, ctx: Context) -> Iterator[Problem]:
    if rule_obj.scope == "set":
        yield from rule_obj.check(ctx)
    elif rule_obj.scope == "catalog":
        for catalog in ctx.catalogs:
            if rule_obj.kinds is None or catalog.kind in rule_obj.kinds:
                yield from rule_obj.check(catalog, ctx)
