"""Lists across levels: which list a list derives from (`parent:` in its header) and how its items match the parent's.

A county's list names its city's, the city's its province's: `parent: {list: ID-or-path, mode: subset|extends|complete}`.
Items are matched as `govlist diff` matches them (govlist.diff.matching: code, then name, then similarity); what is
left over is a local item, a missing parent item, or — when one child item takes the names of several parent items —
items run together. Nothing here prints; the rules in govlist/rules/inheritance.py turn this into findings, and the
matrix and the published site read the same matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, Item
from .normalize import normalize_name

MODES = ("subset", "extends", "complete")
MODE_ZH = {"subset": "只能从上级清单选取（subset）", "extends": "包含上级全部事项并可增加本级事项（extends）", "complete": "与上级清单完全一致（complete）"}


@dataclass(frozen=True)
class ParentRef:
    """What a list's header says of its parent: the reference as written and the mode."""

    list: str
    mode: str


def parent_ref(catalog: Catalog) -> ParentRef | None:
    parent = catalog.data.get("parent")
    if not isinstance(parent, dict) or not isinstance(parent.get("list"), str) or parent.get("mode") not in MODES:
        return None  # the schema reports a malformed `parent`
    return ParentRef(parent["list"], parent["mode"])


class Resolver:
    """Finds a list's parent in the set: by id, else by a path relative to the list's own file."""

    def __init__(self, catalogs: list[Catalog], find: Callable[[str], Catalog | None] | None = None) -> None:
        """`find`: a list by id, the first of a duplicated id, where the caller has an index already (a rule's
        Context.by_id); else the catalogs are indexed here."""
        if find is None:
            by_id: dict[str, Catalog] = {}
            for catalog in catalogs:
                by_id.setdefault(catalog.id, catalog)
            find = by_id.get
        self.find = find
        self._by_path: dict[Path, Catalog] | None = None
        self._catalogs = catalogs

    def _path_index(self) -> dict[Path, Catalog]:
        """Every catalog by its file, indexed once. Each use stands for a walk over the set, and is asked of the
        catalogs as one (their length): a run over the set that notes what it asks (govlist/index.py) depends on
        every file's record whenever it finds a parent by path, also through an index another run made."""
        len(self._catalogs)
        if self._by_path is None:
            self._by_path = {}
            for catalog in self._catalogs:
                try:
                    self._by_path.setdefault(Path(catalog.path).resolve(), catalog)
                except OSError:
                    continue
        return self._by_path

    def parent(self, catalog: Catalog) -> Catalog | None:
        ref = parent_ref(catalog)
        if ref is None:
            return None
        found = self.find(ref.list)
        if found is not None:
            return found
        if ref.list.endswith((".yaml", ".yml")):
            try:
                return self._path_index().get((Path(catalog.path).parent / ref.list).resolve())
            except OSError:
                return None
        return None

    def chain(self, catalog: Catalog) -> tuple[list[Catalog], bool]:
        """The ancestors of `catalog`, nearest first, and whether `catalog` is part of a cycle of parents."""
        seen = {id(catalog)}
        out: list[Catalog] = []
        current = catalog
        while True:
            parent = self.parent(current)
            if parent is None:
                return out, False
            if id(parent) in seen:
                return out, parent is catalog
            seen.add(id(parent))
            out.append(parent)
            current = parent


@dataclass
class Inheritance:
    """How one list's items match its parent's."""

    child: Catalog
    parent: Catalog
    mode: str
    pairs: list[tuple[Item, Item, str]] = field(default_factory=list)  # (parent item, child item, method)
    run_together: list[tuple[list[Item], Item]] = field(default_factory=list)  # parent items → one child item
    split: list[tuple[Item, list[Item]]] = field(default_factory=list)  # one parent item → several child items
    unmatched: list[Item] = field(default_factory=list)  # child items found nowhere in the parent (not marked local)
    local: list[Item] = field(default_factory=list)  # child items marked `local: true`
    local_in_parent: list[tuple[Item, Item]] = field(default_factory=list)  # marked local, yet named as a parent item
    missing: list[Item] = field(default_factory=list)  # parent items the child does not carry

    def origin(self, item: Item) -> Item | None:
        """The parent item a child item comes from (None for a local or unmatched item)."""
        return self._origin().get(id(item))

    def _origin(self) -> dict[int, Item]:
        cached = getattr(self, "_origin_map", None)
        if cached is None:
            cached = {id(c): p for p, c, _ in self.pairs}
            for p, parts in self.split:
                for c in parts:
                    cached[id(c)] = p
            self._origin_map = cached
        return cached


def is_local(item: Item) -> bool:
    return item.data.get("local") is True


def compare(parent: Catalog, child: Catalog, mode: str) -> Inheritance:
    """Match the child's items to the parent's (items marked `local: true` take no part) and sort out the rest."""
    # imported here: govlist.diff's package imports its engine, which loads the checker and so the rules (this module)
    from .diff.matching import match_items

    result = Inheritance(child, parent, mode)
    local = [i for i in child.items if is_local(i)]
    inherited = [i for i in child.items if not is_local(i)]
    result.local = local
    parent_names = {i.key: i for i in parent.items if i.key}
    for item in local:
        if item.key in parent_names:
            result.local_in_parent.append((item, parent_names[item.key]))
    view = Catalog(child.doc, child.data, inherited)
    matching = match_items([parent], [view], fuzzy=True)
    result.pairs = [(o, n, method) for o, n, method, _ in matching.pairs]
    result.run_together = [(list(sources), n) for sources, n, _ in matching.merges]
    result.split = [(o, list(parts)) for o, parts, _ in matching.splits]
    result.unmatched = list(matching.added)
    result.missing = list(matching.removed)
    return result


def renamed(parent_item: Item, child_item: Item) -> bool:
    """Whether the names differ beyond width, punctuation and a trailing gloss such as （表现证明）."""
    return parent_item.stripped_key != child_item.stripped_key


def basis_key(value: object) -> frozenset[str] | None:
    """A basis as compared: its entries, normalised, in any order; None when there is none."""
    if value is None:
        return None
    entries = value if isinstance(value, list) else [value]
    keys = frozenset(normalize_name(str(e)) for e in entries if str(e).strip())
    return keys or None
