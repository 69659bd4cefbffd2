"""The rule registry: every rule's id, default severity, scope and documentation, and what rules report.

A rule is a small function with a docstring: Chinese first, then a line `English:` and the English text. Rules
report *what* and *where* (a Problem); the runner attaches the id and the configured severity.
"""

from __future__ import annotations

import textwrap

from collections.abc import Callable, Iterable, Iterator
from dataclasses import InitVar, dataclass, field
from typing import Any, NamedTuple, Union

from .catalog import Catalog, Item, UnitIndex
from .kinds import ALL_KINDS, LIST_KINDS  # noqa: F401  (the rules import them from here)
from .model import SEVERITY_ZH, Severity, Text
from .project import Project


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found: a bilingual message at a place in a catalog (and the item it concerns)."""

    catalog: Catalog | None  # None: the problem concerns no file (a list that is gone from both versions' files)
    pointer: tuple
    message: Text
    item: Item | None = None
    at_key: bool = False
    code: str | None = None  # the item code when there is no `item` (a change names items by reference)


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
    """What a rule may look at beyond one catalog: the project settings and the whole set validated; for the rules
    on changes (scope "changes"), the comparison of two versions (`govlist.diff.model.Comparison`)."""

    project: Project
    catalogs: list[Catalog]
    comparison: Any = None
    _units: UnitIndex | None = field(init=False, repr=False, default=None)
    _by_id: dict[str, Catalog] = field(init=False, repr=False)  # never changed once made: shared by the contexts made from it
    _swapped_ids: dict[str, Catalog] = field(init=False, repr=False, default_factory=dict)  # by id, over _by_id: catalogs swapped in
    _registries: list[Catalog] = field(init=False, repr=False)
    memo: dict = field(init=False, repr=False, default_factory=dict)  # what several rules compute once (a list against its parent)
    _of_kind: dict[tuple[str, ...], list[Catalog]] = field(init=False, repr=False, default_factory=dict)
    like: InitVar["Context | None"] = None  # the context this one is made from, a few catalogs swapped
    changed: InitVar["list[int] | None"] = None  # where they stand, when known (else every catalog is compared)

    def __post_init__(self, like: "Context | None", changed: "list[int] | None") -> None:
        if like is not None and len(like.catalogs) == len(self.catalogs):
            # `like` with a few catalogs swapped (made whole): what is built over the whole set is taken over and
            # mended, so that swapping a catalog does not cost a walk over every catalog and unit of the set
            if changed is None:
                changed = [n for n, (old, new) in enumerate(zip(like.catalogs, self.catalogs)) if old is not new]
            # like's catalogs at those places, taken as list items: a run's context (govlist/index.py) counts
            # taking one by its place as walking them all, and copied and filled them all for each list made whole
            swapped = [(list.__getitem__(like.catalogs, n), self.catalogs[n]) for n in changed]
            if not any("registry" in (old.kind, new.kind) for old, new in swapped):
                # like's index by id shared, with the swapped catalogs over it: a copy of it for each list made
                # whole cost 0.1 s of the run over the copies of the bundled catalogs (1,150 copies of 2,990 ids)
                self._units, self._registries, self._by_id = like._units, like._registries, like._by_id
                self._swapped_ids = dict(like._swapped_ids)
                for old, new in swapped:
                    if self.by_id(old.id) is old:
                        self._swapped_ids[old.id] = new
                return
        self._registries = self.of_kind("registry")
        self._by_id = {}
        for catalog in self.catalogs:
            self._by_id.setdefault(catalog.id, catalog)  # the first of a duplicated id, as catalog.duplicate-id says

    @property
    def units(self) -> UnitIndex:
        """Every registry unit of the set, indexed when a rule first asks (a warm run that checks nothing again asks
        none)."""
        if self._units is None:
            self._units = UnitIndex(self._registries)
        return self._units

    def of_kind(self, *kinds: str) -> list[Catalog]:
        """The catalogs of these kinds, in the set's order (a new list: the caller may change it). Found once per
        context: rules run once per list ask it again and again, and a set may hold thousands of lists."""
        found = self._of_kind.get(kinds)
        if found is None:
            found = self._of_kind[kinds] = [c for c in self.catalogs if c.kind in kinds]
        return list(found)

    def by_id(self, catalog_id: str) -> Catalog | None:
        swapped = self._swapped_ids
        return swapped[catalog_id] if catalog_id in swapped else self._by_id.get(catalog_id)

    def has_kind(self, *kinds: str) -> bool:
        """Whether the set holds a catalog of these kinds (a rule that needs no more of them than that)."""
        return bool(self.of_kind(*kinds))

    def headers(self, *kinds: str) -> list[Header]:
        """Every catalog's (of these kinds: default all) file, kind, id, title, unit and level, in the set's order,
        each with its place (`catalog_at`): for a rule that reads no more of most catalogs than that (a run over the
        set asking this does not depend on their records, govlist/index.py)."""
        return [header(c, n) for n, c in enumerate(self.catalogs) if not kinds or c.kind in kinds]

    def catalog_at(self, number: int) -> Catalog:
        """The catalog at a place `headers` gave."""
        return self.catalogs[number]

    def part_at(self, number: int, part: str) -> Catalog:
        """The catalog at a place `headers` gave, of which the rule reads only what `PARTS[part]` gives (a run over
        the set asking this depends on that part of its record, not all of it, govlist/index.py)."""
        return self.catalogs[number]


def header(catalog: Catalog, number: int) -> Header:
    """What `Context.headers` gives of a catalog at its place."""
    data = catalog.data
    return Header(catalog.path, catalog.kind, catalog.id, catalog.title, number, data.get("unit"), data.get("level"))


#: What a rule reads of a catalog it takes by `Context.part_at`, by the part's name: values (texts) made from the
#: catalog's slim record and the project alone, so that a record unchanged gives the same part
PARTS: dict[str, Callable[[Catalog, "Context"], tuple[str, ...]]] = {}


class Header(NamedTuple):
    """What `Context.headers` gives of a catalog: its file, kind, id, title, its place in the set, and the unit and
    level its header names (as written)."""

    path: str
    kind: str
    id: str
    title: str
    number: int
    unit: object = None
    level: object = None


CatalogCheck = Callable[[Catalog, Context], Iterable[Problem]]
SetCheck = Callable[[Context], Iterable[Problem]]


class ByList(NamedTuple):
    """A set rule whose findings each come from one list of the set (a link followed from one of its items), so
    that it can be run, and kept in the cache, list by list (govlist/index.py): `kinds(project)` the kinds of the
    lists it runs from; `check(ctx, catalog)` what it finds from one of them (all of them together: what the rule
    finds); `reaches(ctx, catalog)` the questions that list's findings depend on beyond its own record, and
    `answer(ctx, question)` the files (or, for a question that names none, the values) a question gets now. A list's
    run depends on its record, the answers to its questions and the records of the files they name."""

    kinds: Callable[[Project], tuple[str, ...]]
    check: Callable[[Context, Catalog], Iterable[Problem]]
    reaches: Callable[[Context, Catalog], list[str]]
    answer: Callable[[Context, str], tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: Text
    doc: str
    scope: str  # "catalog": check(catalog, ctx) per catalog of `kinds`; "set": check(ctx) once; "changes": check(ctx)
    # once when two versions are compared (ctx.comparison); "builtin": reported by the loader or the schema check
    kinds: frozenset[str] | None = None
    check: Callable | None = None
    by_list: ByList | None = None  # a set rule that can also run list by list

    def documentation(self, lang: str) -> str:
        zh, sep, en = textwrap.dedent(self.doc).partition("\nEnglish:")
        text = en if (lang == "en" and sep) else zh
        return textwrap.dedent(text.strip("\n")).strip()


RULES: dict[str, Rule] = {}


def _register(rule_obj: Rule) -> None:
    if rule_obj.id in RULES:
        raise ValueError(f"rule id {rule_obj.id} registered twice")
    RULES[rule_obj.id] = rule_obj


def rule(rule_id: str, severity: str, title_zh: str, title_en: str, kinds: Iterable[str] | None = None, scope: str = "catalog", by_list: ByList | None = None):
    """Register a rule function; its docstring is its user documentation. `by_list`: a set rule that can also be run
    list by list (ByList)."""

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
                by_list,
            )
        )
        return fn

    return decorate


def builtin(rule_id: str, severity: str, title_zh: str, title_en: str, doc: str) -> None:
    """Register a rule that the loader or schema check reports (documentation only, no check function)."""
    _register(Rule(rule_id, Severity.parse(severity), Text(title_zh, title_en), doc, "builtin"))


def run_rule(rule_obj: Rule, ctx: Context, catalogs: list[Catalog] | None = None) -> Iterator[Problem]:
    """The problems one rule finds: a set rule over the whole set, a catalog rule over `catalogs` (default: all)."""
    if rule_obj.check is None:  # a builtin rule: reported by the loader or the schema check
        return
    if rule_obj.scope == "set" or (rule_obj.scope == "changes" and ctx.comparison is not None):
        yield from rule_obj.check(ctx)
    elif rule_obj.scope == "catalog":
        for catalog in ctx.catalogs if catalogs is None else catalogs:
            if rule_obj.kinds is None or catalog.kind in rule_obj.kinds:
                yield from rule_obj.check(catalog, ctx)


def rules_markdown() -> str:
    """The user documentation of every rule, Chinese and English, as one Markdown page (docs/rules.md)."""
    zh_level = SEVERITY_ZH
    out = [
        "# 规则 / Rules",
        "",
        "本页由 `govlist rules --markdown` 生成，请勿手工修改。/ Generated by `govlist rules --markdown`; do not edit.",
        "",
        "示例的读法：PASS 是规则不报告的写法，FAIL 是规则报告的写法，行尾注释标出问题所在的行。以“-”开头的示例是清单的事项，"
        "表头（govlist、kind、id、title）省略；其余示例是整份清单，未写的表头（没有列出事项时还有一个示例事项）同样省略；`---` 分隔几个文件，`kind: project` 是项目配置"
        "文件 govlist.yaml；GIVEN 是其后各示例一同检查的其他文件（如机构名录、上级清单）；OLD 是比较版本时的旧版本。这些示例都作为测试运行。",
        "",
        "How to read the examples: PASS is written so the rule reports nothing, FAIL so it reports something, on the lines "
        "that end in a comment. An example starting with `-` holds a list's items, its header (govlist, kind, id, title) "
        "left out; any other example is a whole list, with the header keys it does not write (and an item, when it lists none) left out too; `---` separates "
        "files, and `kind: project` is the project file govlist.yaml; GIVEN holds the other files the examples after it are checked with (a registry, a parent list); OLD is the earlier version when two are compared. "
        "Every example runs as a test.",
        "",
        "| 编号 id | 级别 severity | 规则 | rule |",
        "|---|---|---|---|",
    ]
    ordered = sorted(RULES.values(), key=lambda r: r.id)
    for r in ordered:
        out.append(f"| [`{r.id}`](#{r.id.replace('.', '')}) | {zh_level[r.severity]} {r.severity.label} | {r.title.zh} | {r.title.en} |")
    for r in ordered:
        kinds = ", ".join(sorted(r.kinds)) if r.kinds else "all"
        out += ["", f"## {r.id}", "", f"**{r.title.zh}** / {r.title.en} — {zh_level[r.severity]} {r.severity.label}; {kinds}", ""]
        out += [_fence_examples(r.documentation("zh")), "", _fence_examples(r.documentation("en"))]
    return "\n".join(out) + "\n"


def _fence_examples(text: str) -> str:
    """Indented PASS/FAIL examples become fenced YAML blocks in Markdown."""
    lines, out, in_block = text.splitlines(), [], False
    for line in lines:
        indented = line.startswith("    ")
        if indented and not in_block:
            out.append("```yaml")
            in_block = True
        elif not indented and in_block and line.strip():
            out.append("```")
            in_block = False
        out.append(line[4:] if indented else line)
    if in_block:
        out.append("```")
    return "\n".join(out)
