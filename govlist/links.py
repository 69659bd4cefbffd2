"""Linked lists: an item that names a unit (devolved to a street, led by a department) and that unit's own list.

A link is data: which field of which kind of list names a unit, which kinds of that unit's lists must carry the item
(`present`) or no longer carry it (`absent`), and for which items (`when`). The built-in links are below; a project
adds its own under `links:` in govlist.yaml. A unit's list is a list whose header `unit` names that unit; a link is
followed only when both lists are in the set, and a level name (街道) names no single unit, so it is not followed.
Nothing here prints: the rules in govlist/rules/links.py report what `Links.outcomes` finds, and the published site
shows `Links.destinations` as links.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .catalog import Catalog, Item, UnitIndex, kept_field
from .normalize import code_key
from .ruleset import Context, Header, header

BUILTIN_LINKS: tuple[dict, ...] = (
    {"id": "下放-承接", "from": "devolution", "field": "receiver", "when": {"status": [None, "有效"]}, "to": ["duty", "power"], "expect": "present"},
    {"id": "收回", "from": "devolution", "field": "receiver", "when": {"status": "收回"}, "to": ["duty", "power"], "expect": "absent"},
    {"id": "配合-牵头", "from": "duty", "field": "lead", "when": {"track": ["配合履职事项", "配合"]}, "to": ["duty", "power", "territorial"], "expect": "present"},
    # 两单联动: a grid-capable territorial item stands in some grid list, whose item points back at it ({list, code});
    # reported by its own rule, grid.two-list-link (govlist/rules/territorial.py)
    {"id": "两单联动", "from": "territorial", "when": {"grid": True}, "to": ["grid"], "target": "any", "match": "territorial", "expect": "present", "rule": "grid.two-list-link"},
)

SIMILAR = 0.8  # a name this close to one in the unit's list counts as the same item (a gloss, a changed word)
INDEX_AFTER = 8  # close-name searches over a whole list before its names are indexed by character (CloseNames)
EXTRA_CHARS = 2  # characters taken beyond the fewest that prove a name far (CloseNames): fewer names to score


@dataclass(frozen=True)
class Link:
    """`field` names a unit whose own lists of the kinds `to` are the targets (`target: unit`); with `target: any`,
    every list of those kinds is, and an item is found there when the target item's `match` field ({list, code})
    points back at it. `rule`: the rule that reports this link, when not links.present / links.absent."""

    id: str
    source: str
    field: str
    when: tuple[tuple[str, tuple], ...]
    to: tuple[str, ...]
    expect: str
    target: str = "unit"
    match: str = ""
    rule: str = ""

    def applies(self, item: Item) -> bool:
        for key, options in self.when:
            value = kept_field(item.data, key)
            if value not in options and not (isinstance(value, str) and value.strip() in options):
                return False
        return True


def make_link(data: dict) -> Link:
    when = tuple((str(k), tuple(v) if isinstance(v, list) else (v,)) for k, v in (data.get("when") or {}).items())
    return Link(
        str(data["id"]),
        str(data["from"]),
        str(data.get("field") or ""),
        when,
        tuple(data["to"]),
        str(data["expect"]),
        str(data.get("target") or "unit"),
        str(data.get("match") or ""),
        str(data.get("rule") or ""),
    )


@dataclass(frozen=True)
class Outcome:
    """One link followed: the pointing item, the unit it names, the unit's list, and the item found there (or None)."""

    link: Link
    item: Item
    unit: str
    target: Catalog
    found: Item | None


class _Carried:
    """The items of one list, found by code, by normalised name (with or without a trailing gloss), or a close name."""

    def __init__(self, catalog: Catalog) -> None:
        self.by_code = {code: i for i in catalog.items if (code := i.code)}
        by_key: dict[str, Item] = {}
        for i in catalog.items:
            by_key.setdefault(i.key, i)
            by_key.setdefault(i.stripped_key, i)
        self.by_key = by_key
        self.keys = list(by_key)
        self._close: CloseNames | None = None

    def find(self, item: Item, close: bool = True) -> Item | None:
        """By code or name; with `close`, else by the closest name."""
        found = self.exact(item)
        return found if found is not None or not close else self.closest(item)

    def exact(self, item: Item) -> Item | None:
        """By code or name (normalised, with or without a trailing gloss)."""
        code = item.code
        if code:
            found = self.by_code.get(code)
            if found is not None:
                return found
        by_key = self.by_key
        found = by_key.get(item.key)
        return found if found is not None else by_key.get(item.stripped_key)

    def closest(self, item: Item) -> Item | None:
        """By the closest name (not by code or name: `exact` is asked first)."""
        # the closest name by normalize.similarity's measure (2·LCS / total length), searched in C over the names that
        # can reach it: difflib's get_close_matches here made a set whose devolved items are missing downstream 35x slower
        if self._close is None:
            self._close = CloseNames(self.keys)
        best = self._close.closest(item.stripped_key)
        return self.by_key[best] if best is not None else None


class CloseNames:
    """Names searched for the closest to a name, scoring in C only the names that can reach SIMILAR.

    The score is 2·L / (n + m), L the longest common subsequence of the name searched (n characters) and a name of the
    list (m). Reaching SIMILAR (s) needs 2·L ≥ s·(n + m) ≥ s·(n + L), i.e. L ≥ need = ⌈s·n / (2 − s)⌉: at most
    n − need of the searched name's characters go unmatched. So of any k of its characters (by position) at least
    k − (n − need) are matched, and a matched character is one the other name holds: a name that holds fewer of
    them (counted with their repeats) cannot reach s. Taken are the rarest characters in the list, a few more than
    n − need + 1 (which would ask for one), so that few names pass. Those are scored in the list's order, so the
    closest (and among equals the first) is the one a search over the whole list gives. Without it, a withdrawn
    item's search over its former receiver's lists grew with the square of the set."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._holding: dict[str, list[int]] | None = None  # character → indexes of the names holding it
        self._searches = 0
        self._found: dict[str, str | None] = {}  # by the name searched: a set's copies of one list search the same names

    def candidates(self, name: str) -> list[str]:
        """The names that may reach SIMILAR with `name`, in the list's order (all of them when the filter saves little)."""
        need = math.ceil(SIMILAR * len(name) / (2 - SIMILAR) - 1e-9)  # the least L (a hair under, never over)
        if not name or need <= 0:
            return self.names
        if self._holding is None:
            # indexing a list costs about INDEX_AFTER searches over all of it: made once it has been searched that often
            self._searches += 1
            if self._searches <= INDEX_AFTER:
                return self.names
            holding_chars: defaultdict[str, list[int]] = defaultdict(list)
            get_list, consume = holding_chars.__getitem__, deque[None](maxlen=0).extend
            for index, other in enumerate(self.names):  # each name's index appended to its characters' lists, in C
                consume(map(list.append, map(get_list, set(other)), repeat(index)))
            self._holding = holding_chars
        holding = self._holding
        empty: list[int] = []
        unmatched = len(name) - need  # at most this many of the name's characters are not in a close name
        taken = Counter(sorted(name, key=lambda c: len(holding.get(c, empty)))[: unmatched + 1 + EXTRA_CHARS])
        if sum(len(holding.get(c, empty)) * times for c, times in taken.items()) > 2 * len(self.names):
            return self.names  # gathering them would cost more than scoring them all in C
        held: Counter[int] = Counter()
        for char, times in taken.items():
            for _ in range(times):
                held.update(holding.get(char, empty))
        least = sum(taken.values()) - unmatched
        return [self.names[i] for i in sorted(i for i, count in held.items() if count >= least)]

    def closest(self, name: str) -> str | None:
        """The closest name reaching SIMILAR (by normalize.similarity's measure, in C), the first of equals; else None."""
        if name in self._found:
            return self._found[name]
        choices = self.candidates(name)
        best = process.extractOne(name, choices, scorer=Indel.normalized_similarity, score_cutoff=SIMILAR) if choices else None
        found = self._found[name] = best[0] if best else None
        return found


class _PointingBack:
    """The items of one list that point at an item of another list through a field {list, code}."""

    def __init__(self, catalog: Catalog, field: str) -> None:
        self.by_ref: dict[tuple[str, str], Item] = {}
        for i in catalog.items:
            ref = kept_field(i.data, field)
            if isinstance(ref, dict) and code_key(ref.get("code")):
                self.by_ref.setdefault((code_key(ref.get("list")) if ref.get("list") is not None else "", code_key(ref.get("code"))), i)

    def find(self, item: Item, close: bool = True) -> Item | None:
        return self.exact(item)

    def exact(self, item: Item) -> Item | None:
        code = code_key(item.code)
        return self.at(item.catalog.id, code) if code else None

    def at(self, list_id: str, code: str) -> Item | None:
        """The item pointing at `code` (a code_key) of the list `list_id`, or at that code of no list named."""
        return self.by_ref.get((list_id, code)) or self.by_ref.get(("", code))

    def closest(self, item: Item) -> Item | None:
        return None  # found by its pointer back alone


class _Listed:
    """A plain list of catalogs seen as a rule context sees the set (its headers, a catalog at its place, the
    catalogs of some kinds): Links over a list (the published site's cross references)."""

    def __init__(self, catalogs: list[Catalog]) -> None:
        self.catalogs = catalogs

    def headers(self) -> list[Header]:
        return [header(c, n) for n, c in enumerate(self.catalogs)]

    def catalog_at(self, number: int) -> Catalog:
        return self.catalogs[number]

    def of_kind(self, *kinds: str) -> list[Catalog]:
        return [c for c in self.catalogs if c.kind in kinds]


class Links:
    """The links of a set: built-in ones and the project's, with each unit's lists found once. Over a rule context
    (`catalogs` a Context), the set is seen through its headers, and a catalog is taken only when a link reaches it
    (Context.catalog_at, of_kind): a run over the set then asks for the lists it follows, not every catalog
    (govlist/index.py fills their records then). The context is held weakly: kept in its own memo, a Links holding
    it would be a cycle, never freed with the cyclic GC off. A Links kept keeps what it found (the unit's lists, the
    lists of a `target: any` link), as the runs list by list that use it depend on their own questions (`reaches`)."""

    def __init__(self, catalogs: "list[Catalog] | Context", units: UnitIndex, declared: list[dict] | None = None) -> None:
        self.set = weakref.proxy(catalogs) if isinstance(catalogs, Context) else _Listed(catalogs)
        self.units = units
        self.links = [make_link(d) for d in (*BUILTIN_LINKS, *(declared or []))]
        self._headers = self.set.headers()
        self._lists: dict[int, list[int]] = {}  # by the unit: its lists' places (their headers' `unit`)
        for head in self._headers:
            unit = units.find(str(head.unit)) if head.unit is not None else None
            if unit is not None:
                self._lists.setdefault(id(unit), []).append(head.number)
        self._unit_lists: dict[tuple[int, tuple[str, ...]], list[Catalog]] = {}
        self._carried: dict[tuple, _Carried | _PointingBack] = {}
        self._any: dict[int, list[Catalog]] = {}

    def _find(self, link: Link, target: Catalog, item: Item, close: bool = True) -> Item | None:
        return self._carrying(link, target).find(item, close)

    def _carrying(self, link: Link, target: Catalog) -> _Carried | _PointingBack:
        key = (id(target), link.match)
        carried = self._carried.get(key)
        if carried is None:
            carried = self._carried[key] = _PointingBack(target, link.match) if link.match else _Carried(target)
        return carried

    def _pointing_back(self, link: Link, target: Catalog) -> _PointingBack:
        carried = self._carrying(link, target)
        assert isinstance(carried, _PointingBack)  # a link with `match`
        return carried

    def _targets(self, link: Link, item: Item) -> tuple[str, list[Catalog]]:
        if link.target == "any":
            if id(link) not in self._any:  # every list of the kinds: found once, not once an item
                self._any[id(link)] = self.set.of_kind(*link.to)
            pool = self._any[id(link)]
            return "", [c for c in pool if c is not item.catalog] if item.catalog.kind in link.to else pool
        value = _named(link, item)
        if value is None:
            return "", []
        unit = self.units.find(value)
        if unit is None:
            return value, []
        key = (id(unit), link.to)
        if key not in self._unit_lists:  # the unit's lists of the kinds: taken once, not once an item
            headers = self._headers
            self._unit_lists[key] = [self.set.catalog_at(n) for n in self._lists.get(id(unit), []) if headers[n].kind in link.to]
        return value, [c for c in self._unit_lists[key] if c is not item.catalog]

    def outcomes(self, expect: str | None = None, items: list[Item] | None = None, link_id: str | None = None, first: bool = False, own_rule: bool = True) -> Iterator[Outcome]:
        """Every link followed (of one `expect`, or one link, when given), over every list of the set or over `items`.
        A `target: any` link (every link, with `first`) gives one outcome per item: found in the first target list that
        has it (by code or name in any list before a close name in any), else None and the first target list.
        `own_rule=False`: not the links reported by a rule of their own (Link.rule)."""
        for link in self.links:
            if (expect is not None and link.expect != expect) or (link_id is not None and link.id != link_id) or (link.rule and not own_rule):
                continue
            pool = items if items is not None else [i for c in self.set.of_kind(link.source) for i in c.items]
            for item in pool:
                if item.catalog.kind != link.source or not link.applies(item):
                    continue
                unit, targets = self._targets(link, item)
                if link.target == "any" or first:
                    if targets:
                        yield Outcome(link, item, unit, *self._first(link, targets, item))
                    continue
                for target in targets:
                    yield Outcome(link, item, unit, target, self._find(link, target, item))

    def _first(self, link: Link, targets: list[Catalog], item: Item) -> tuple[Catalog, Item | None]:
        """The first target list that has the item by code or name, else the first that has a close name (a close-name
        search is the slow part), with the item found there; else the first target list and None."""
        if link.match:  # pointing back (_PointingBack.exact): the item's code worked out once for every list
            code = code_key(item.code)
            if code:
                for target in targets:
                    found = self._pointing_back(link, target).at(item.catalog.id, code)
                    if found is not None:
                        return target, found
            return targets[0], None
        for target in targets:
            found = self._carrying(link, target).exact(item)
            if found is not None:
                return target, found
        for target in targets:  # none has it by code or name: not asked again
            found = self._carrying(link, target).closest(item)
            if found is not None:
                return target, found
        return targets[0], None

    def lists(self, link: Link, item: Item) -> list[Catalog]:
        """The lists a link of this item points at (the unit's lists of the linked kinds)."""
        return self._targets(link, item)[1]

    def reaches(self, source: Catalog, expect: str) -> list[str]:
        """What the links of one `expect` followed from the items of `source` (not those reported by their own rule)
        depend on beyond its items: whether there is any unit, and, for each unit named, which lists are that unit's
        (`answer`); for a `target: any` link, which lists are of its kinds. Each as a question `answer` answers."""
        asked = {UNITS}
        for link in self.links:
            if link.expect != expect or link.rule or link.source != source.kind:
                continue
            for item in source.items:
                if link.applies(item):
                    if link.target == "any":
                        asked.add("\0".join(("any", *link.to)))
                    elif (value := _named(link, item)) is not None:
                        asked.add(f"unit\0{value}")
        return sorted(asked)

    def answer(self, question: str) -> tuple[str, ...]:
        """What the set answers now to a question `reaches` asked: the files of the lists of the unit named (of
        every kind, in the set's order), of the lists of the kinds named, or ("1",) when there is any unit."""
        what, _, asked = question.partition("\0")
        if what == "unit":
            unit = self.units.find(asked)
            return tuple(self._headers[n].path for n in self._lists.get(id(unit), ())) if unit is not None else ()
        if what == "any":
            kinds = asked.split("\0")
            return tuple(head.path for head in self._headers if head.kind in kinds)
        return ("1",) if self.units else ()

    def destinations(self, item: Item) -> list[Outcome]:
        """Where an item goes: the `present` links it has, found in the unit's list."""
        return [o for o in self.outcomes("present", [item]) if o.found is not None]


UNITS = "units"  # the question: is there any registry unit (the link rules find nothing without)


def _named(link: Link, item: Item) -> str | None:
    """The unit an item names in the field of a link (a text, or a mapping's `unit`), or None."""
    value = kept_field(item.data, link.field)
    if isinstance(value, dict):
        value = value.get("unit")
    return value if isinstance(value, str) and value.strip() else None


def link_sources(declared: list[dict] | None, expect: str) -> tuple[str, ...]:
    """The kinds of list the links of one `expect` start from (the built-in links and the project's), but those
    reported by a rule of their own."""
    return tuple(sorted({link.source for link in (make_link(d) for d in (*BUILTIN_LINKS, *(declared or []))) if link.expect == expect and not link.rule}))


# --- where an item comes from and where it goes (the published site) ------------------------------------------------

XREF_LABELS = {  # link id → (outgoing zh, outgoing en, incoming zh, incoming en); {unit} is the unit the item names
    "下放-承接": ("下放至{unit}", "devolved to {unit}", "下放来源", "devolved by"),
    "配合-牵头": ("牵头部门{unit}", "led by {unit}", "配合单位清单", "assisted in"),
    "两单联动": ("网格事项", "grid item", "对应属地事项", "territorial item"),
}


@dataclass(frozen=True)
class CrossRef:
    """A link from one item to another, as the site shows it."""

    label_zh: str
    label_en: str
    target: Item


def cross_references(catalogs: list[Catalog], units: UnitIndex, declared: list[dict] | None = None) -> dict[int, list[CrossRef]]:
    """id(item) → its cross references: the parent item it comes from (and, on the parent, the lower lists that carry
    it), and where it goes along the `present` links (and, on the target, where it comes from)."""
    from .inheritance import Resolver, compare, parent_ref

    out: dict[int, list[CrossRef]] = {}

    def add(item: Item, ref: CrossRef) -> None:
        out.setdefault(id(item), []).append(ref)

    resolver = Resolver(catalogs)
    for catalog in catalogs:
        ref = parent_ref(catalog)
        parent = resolver.parent(catalog) if ref is not None else None
        if ref is None or parent is None or parent is catalog or parent.kind != catalog.kind or resolver.chain(catalog)[1]:
            continue
        inheritance = compare(parent, catalog, ref.mode)
        for upper, lower, _ in inheritance.pairs:
            add(lower, CrossRef("上级事项", "parent item", upper))
            below = str(catalog.data.get("unit") or catalog.id)
            add(upper, CrossRef(f"下级 {below}", f"lower list of {below}", lower))
    links = Links(catalogs, units, declared)
    for o in links.outcomes("present", first=True):  # where links.present finds it: the first list carrying it
        if o.found is None:
            continue
        labels = XREF_LABELS.get(o.link.id, (f"{o.link.id}：{{unit}}", f"{o.link.id}: {{unit}}", o.link.id, o.link.id))
        add(o.item, CrossRef(labels[0].format(unit=o.unit), labels[1].format(unit=o.unit), o.found))
        add(o.found, CrossRef(labels[2], labels[3], o.item))
    return out
