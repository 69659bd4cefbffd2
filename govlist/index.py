"""The slim record of a checked file (its *index*): what the rules over the whole set read of it, and no more.

Once a file's own rules have run, whoever checked it (a worker, or the main process) keeps of its catalog only the
header, the categories and, per item, the few fields that the set rules and the deferred catalog rules read
(`ITEM_FIELDS`, see docs/performance.md section 5); the document itself is dropped. The main process holds these
records, not the documents, while the rules over the set run; a finding is located afterwards from the file
(`SlimDocument` composes only the item's own lines, from the item places the record keeps, or reads its full
document again, from the cache or by parsing it, when that cannot be done).

Safety, not silent change: an item of a slim catalog is a `SlimItem`, a dict that raises `NeedsFullData` when a rule
reads a field the record dropped (or looks at all its keys). `run_over_index` then runs that rule again with that
catalog whole, read back from the file, and so on; after a few such steps, with every catalog whole. A rule thus
finds exactly what it finds over whole documents, whatever it reads; reading a dropped field only costs time.

Each rule over the set (a rule that can run list by list, ruleset.ByList: once per list), and each list's deferred
rules, is one `RuleRun`, which notes the files it read beyond their records while it ran (`loader.Reads`) and, run
list by list, what it depends on (`Needs`). The cache keeps the runs; after an edit, `still_true` says which still
hold (every run, when the files' records are as they were), and `locate_again` moves their findings in the edited
files (docs/performance.md section 5, *Early cutoff*). The runs that run again read back only the records they ask
for (`_Filling`).
"""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from yaml.nodes import MappingNode, Node, SequenceNode

from .catalog import Catalog, make_catalog
from .checker import Located, internal_error, locate, run_rules
from .loader import Document, LoadError, Reads, checked_lines, child_node, element_node, file_digest, key_in, load_bytes, node_position, read_file
from .project import Project
from .ruleset import PARTS, ByList, Context, Header, Problem, Rule, header, run_rule

#: the item fields the rules over the set read (measured over every bundled catalog, example and the synthetic set);
#: `content` and `basis` (long) are read only by the `parent.*` rules, which then get the list and its parent whole
ITEM_FIELDS = frozenset({"code", "name", "track", "status", "receiver", "lead", "grid", "territorial", "type", "local", "duties"})
_ESCALATIONS = 4  # catalogs made whole one by one for a rule before every catalog is made whole
_RECENT = 8  # documents made whole kept for the next runs over the set (_Escalation._whole)


class NeedsFullData(BaseException):
    """A rule read a field that a slim catalog dropped. A BaseException, so that a rule's `except Exception` cannot
    swallow it (as parallel.NeedsWholeSet)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def kept_fields(project: Project) -> frozenset[str]:
    """The item fields a slim record keeps: ITEM_FIELDS and those the project's own `links:` read (govlist/links.py:
    the field naming a unit, the fields of `when`, the field pointing back)."""
    extra: set[str] = set()
    for link in project.links:
        extra.update(str(link[key]) for key in ("field", "match") if isinstance(link.get(key), str))
        if isinstance(link.get("when"), dict):
            extra.update(str(key) for key in link["when"])
    return ITEM_FIELDS | extra if extra else ITEM_FIELDS


class SlimItem(dict):
    """An item's kept fields. Reading a kept field that is absent gives what the whole item gives (None, KeyError,
    False); reading any other field, or the item as a whole (its keys, length, a copy), raises NeedsFullData."""

    __slots__ = ("_path", "_kept")

    def __init__(self, path: str, fields: dict, kept: frozenset[str] = ITEM_FIELDS) -> None:
        super().__init__(fields)
        self._path = path
        self._kept = kept

    def _need(self, key: object = None) -> NeedsFullData:
        return NeedsFullData(self._path)

    def __getitem__(self, key):
        if key not in self._kept:
            raise self._need(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if key not in self._kept:
            raise self._need(key)
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        if key not in self._kept:
            raise self._need(key)
        return dict.__contains__(self, key)

    def _whole(self, *args, **kwargs):
        raise self._need()

    __iter__ = keys = values = items = __len__ = __eq__ = __ne__ = __or__ = __ror__ = __reversed__ = copy = _whole
    __setitem__ = __delitem__ = pop = popitem = setdefault = update = clear = __ior__ = _whole
    __hash__ = None

    __reduce__ = __reduce_ex__ = __repr__ = __str__ = __format__ = __sizeof__ = _whole


def _item_lists(data: dict) -> Iterator[tuple[tuple, list]]:
    """The lists of a catalog's items as make_catalog reads them, each with its pointer: ("items",), ("units",) or
    ("categories", n, "items")."""
    if data.get("kind") == "registry":
        yield ("units",), data.get("units") or []
    elif data.get("categories"):
        for number, category in enumerate(data["categories"]):
            yield ("categories", number, "items"), category.get("items") or []
    else:
        yield ("items",), data.get("items") or []


def _items_at(data: dict) -> list[tuple[list, int]]:
    """Where a catalog's items stand in its data, as make_catalog reads them: (the list, its index)."""
    return [(items, index) for _, items in _item_lists(data) for index in range(len(items))]


class ItemPlaces(NamedTuple):
    """Where a slim record's items stand in the file it was made from, to locate a finding inside an item from that
    item's lines alone (`SlimDocument`). `lines` holds three ints an item, in `_items_at` order: its first line and
    end line (0-based, the loader's spans) and its shape (number of keys << 8 | its first key's index in `keys`),
    which the item composed from its lines must have (loader.element_node, as a whole document checks it); -1, -1,
    -1 where no place is kept. `digest`: the file's bytes it was made from (loader.file_digest)."""

    digest: str
    lines: array
    keys: tuple[str, ...]


_NO_PLACE = (-1, -1, -1)


def item_places(data: object, spans: dict, digest: str | None) -> ItemPlaces | None:
    """The item places of a loaded catalog (its data and the loader's spans), or None."""
    if digest is None or not spans or not isinstance(data, dict):
        return None
    flat: list[int] = []
    keys: dict[str, int] = {}
    get = spans.get
    for prefix, items in _item_lists(data):
        for index, item in enumerate(items):
            span = get((*prefix, index))
            shape = _shape(item, keys) if span is not None else -1
            if shape < 0:
                flat += _NO_PLACE
            else:
                flat += (span[0], span[1], shape)  # type: ignore[index]  # span is set
    return ItemPlaces(digest, array("i", flat), tuple(keys))


def _shape(item: object, keys: dict[str, int]) -> int:
    """An item's number of keys << 8 | its first key's number in `keys` (added there); -1 if not to be kept."""
    if type(item) is not dict:
        return -1
    if not item:
        return 0
    first = next(iter(item))
    index = keys.get(first)
    if index is None:
        if not isinstance(first, str):
            return -1
        index = keys[first] = len(keys)
    return len(item) << 8 | index if index < 256 and len(item) < 1 << 22 else -1


def places_json(places: ItemPlaces) -> dict:
    """Item places as the cache keeps them (the record's part of a file's entry, `<key>.entry`): the ints as little-endian int32, in base64."""
    lines = places.lines
    if sys.byteorder != "little":
        lines = array("i", lines)
        lines.byteswap()
    return {"digest": places.digest, "lines": base64.b64encode(lines.tobytes()).decode("ascii"), "keys": list(places.keys)}


def places_from_json(value: object, record: dict) -> ItemPlaces | None:
    """Item places read back for `record`; raises ValueError when they are not as places_json writes them for it."""
    if not isinstance(value, dict):
        raise ValueError("no item places")
    digest, text, keys = value.get("digest"), value.get("lines"), value.get("keys")
    if not isinstance(digest, str) or not isinstance(text, str) or not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise ValueError("item places of the wrong types")
    lines = array("i")
    raw = base64.b64decode(text, validate=True)  # binascii.Error is a ValueError
    if lines.itemsize != 4 or len(raw) != 12 * len(_items_at(record)):
        raise ValueError("item places of another record")
    lines.frombytes(raw)
    if sys.byteorder != "little":
        lines.byteswap()
    if lines and min(lines) < -1:
        raise ValueError("item places out of range")
    return ItemPlaces(digest, lines, tuple(keys))


def _item_number(data: dict, pointer: tuple) -> tuple[int, int] | None:
    """The item a pointer runs through: its number in `_items_at(data)` and the length of its own pointer; or None."""
    number = 0
    for prefix, items in _item_lists(data):
        if pointer[: len(prefix)] == prefix and len(pointer) > len(prefix):
            index = pointer[len(prefix)]
            return (number + index, len(prefix) + 1) if type(index) is int and 0 <= index < len(items) else None
        number += len(items)
    return None


def _own_span(item: Node, key: object, index: object) -> bool:
    """Whether a whole document would compose the element at `key`, `index` of an item on its own (the loader keeps
    the lines of a mapping in a list down to SPAN_DEPTH): an item directly under `items` or `units` holding a list
    of mappings."""
    inner = child_node(item, key)
    return type(inner) is SequenceNode and type(index) is int and 0 <= index < len(inner.value) and type(inner.value[index]) is MappingNode


def index_record(data: dict, kept: frozenset[str] = ITEM_FIELDS) -> dict:
    """A catalog's data with each item cut down to the `kept` fields (kept_fields): plain JSON-able data, sent back
    by workers and kept in the cache (govlist/cache.py `store_file`). Header and categories are kept whole (small)."""

    def cut(item: object) -> object:
        return {k: v for k, v in item.items() if k in kept} if isinstance(item, dict) else item

    record = dict(data)
    if data.get("kind") == "registry":
        record["units"] = [cut(u) for u in data.get("units") or []]
    elif data.get("categories"):
        record["categories"] = [{**c, "items": [cut(i) for i in c.get("items") or []]} if "items" in c else dict(c) for c in data["categories"]]
    elif "items" in data:
        record["items"] = [cut(i) for i in data.get("items") or []]
    return record


class SlimDocument(Document):
    """A checked file's document kept without its data: its suppressions, where its items stand in the file
    (`places`), and where to find its whole document again (`whole`, read from the cache's data entry or parsed
    again). A position inside an item is found from that item's lines alone, when the file still has the bytes it
    was checked from; any other position, or any doubt, asks the whole document."""

    __slots__ = ("_reload", "_whole_doc", "places", "_no_lines")

    def __init__(self, path: str, suppressions: list, source: Path | None, reload: Callable[[], "tuple[object, dict, dict] | None"], places: ItemPlaces | None = None) -> None:
        super().__init__(path, None, b"", suppressions, source)
        self._reload = reload
        self._whole_doc: Document | None = None
        self.reads = None  # set by run_over_index: who notes the files a rule reads beyond their records
        self.places = places
        self._no_lines = False  # the file has changed since it was checked, or its lines are not the spans'

    def whole(self) -> Document:
        """The whole document, read again once and kept until `release`."""
        self._note_read()
        if self._whole_doc is None:
            doc = None
            found = self._reload()
            if found is not None:
                data, spans, marks = found
                doc = Document(self.path, data, b"", self.suppressions, self.source, spans, marks)
            elif self.source is not None:
                try:
                    doc = load_bytes(read_file(self.source), self.path)
                except LoadError:  # gone or changed since it was checked: positions at the start
                    doc = None
            self._whole_doc = doc if doc is not None else Document(self.path, None, b"", self.suppressions)
        return self._whole_doc

    def release(self) -> None:
        self._whole_doc = None
        self._lines = None
        self._elements.clear()

    def position(self, pointer: tuple) -> tuple[int, int]:
        self._note_read()
        found = self._in_item(pointer, False)
        return found if found is not None else self.whole().position(pointer)

    def key_position(self, pointer: tuple) -> tuple[int, int]:
        self._note_read()
        found = self._in_item(pointer, True)
        return found if found is not None else self.whole().key_position(pointer)

    def _in_item(self, pointer: tuple, at_key: bool) -> tuple[int, int] | None:
        """The position (of the key, `at_key`) as the whole document gives it, found from the lines of the item the
        pointer runs through; None when it cannot be found that way. Document.position and key_position, walked from
        the item the whole document would walk from."""
        if self.places is None or self._whole_doc is not None or not isinstance(self.data, dict):
            return None
        anchor = self._item_anchor(pointer[:-1] if at_key else pointer)
        if anchor is None:
            return None
        if at_key:
            found = key_in(*anchor, pointer[-1])
            return found if found is not None else self._in_item(pointer, False)
        return node_position(*anchor)

    def _item_anchor(self, pointer: tuple) -> tuple[Node, tuple, int] | None:
        """(the item's node composed from its lines, the rest of the pointer, the item's first line), or None."""
        found = _item_number(self.data, pointer)  # type: ignore[arg-type]  # _in_item checked it is a dict
        if found is None:
            return None
        number, cut = found
        node = self._item_node(number, pointer[cut - 1])
        rest = pointer[cut:]
        if node is None or (cut == 2 and len(rest) >= 2 and _own_span(node, rest[0], rest[1])):
            return None
        return node, rest, self.places.lines[3 * number]  # type: ignore[union-attr]  # _in_item checked it is there

    def _item_node(self, number: int, last: object) -> Node | None:
        """The item's node from its own lines (of the file, if it still has the bytes it was checked from), or None."""
        if (number,) in self._elements:
            return self._elements[(number,)]
        places = self.places
        lines = self._file_lines()
        node = None
        if places is not None and lines is not None:
            first, end, shape = places.lines[3 * number : 3 * number + 3]
            count, key = shape >> 8, shape & 255
            if 0 <= first < end <= len(lines) and shape >= 0 and (count == 0 or key < len(places.keys)):
                node = element_node(lines, (first, end), last, (count, places.keys[key] if count else None))
        self._elements[(number,)] = node
        return node

    def _file_lines(self) -> list[bytes] | None:
        """The file's lines, read once until `release`; None when its bytes are not those it was checked from."""
        if self._lines is None and not self._no_lines and self.source is not None and self.places is not None:
            try:
                raw = read_file(self.source)
                if file_digest(raw) == self.places.digest:
                    self._lines = checked_lines(raw)
            except LoadError:
                pass
            self._no_lines = self._lines is None
        return self._lines

    def without_bytes(self, source: Path) -> Document:
        return self


_KEYS = {key: key for key in ITEM_FIELDS}
_UNIQUE = frozenset({"code", "name"})  # the other kept fields repeat a few values (a track, a unit) over many items


def slim_catalog(doc: SlimDocument, record: dict, shared: dict | None = None, kept: frozenset[str] = ITEM_FIELDS, cut: bool = False) -> Catalog:
    """The catalog a record stands for, its items SlimItems keeping `kept` (the record is used in place). `shared`:
    one text object for each repeated value, over the whole set (100,000 items hold a few dozen tracks and units).
    `cut`: `record` is a whole document's data, its items cut down to `kept` here (as index_record cuts them), in
    place: for a file checked in this process without a cache, where no record is kept or sent."""
    shared = {} if shared is None else shared
    for items, index in _items_at(record):
        item = items[index]
        if isinstance(item, dict):
            fields = {}
            for key, value in item.items():
                if cut and key not in kept:
                    continue
                if key not in _UNIQUE and isinstance(value, str):
                    value = shared.setdefault(value, value)
                fields[_KEYS.get(key, key)] = value
            items[index] = SlimItem(doc.path, fields, kept)
    doc.data = record
    return make_catalog(doc)


def is_slim(catalog: Catalog) -> bool:
    return isinstance(catalog.doc, SlimDocument)


def whole_catalog(catalog: Catalog) -> Catalog:
    """A slim catalog made whole from its document read again (a whole one as it is)."""
    if not isinstance(catalog.doc, SlimDocument):
        return catalog
    doc = catalog.doc.whole()
    if not isinstance(doc.data, dict) or doc.data.get("kind") != catalog.kind:
        # the file is gone or no longer a list of this kind since it was checked: the kept fields are all there is
        plain = {k: v for k, v in catalog.data.items() if k not in ("categories", "items", "units")}
        doc = Document(catalog.path, {**plain, **_plain_items(catalog.data)}, b"", catalog.doc.suppressions)
    return make_catalog(doc)


def _plain_items(data: dict) -> dict:
    def plain(item: object) -> object:
        return dict(dict.items(item)) if isinstance(item, SlimItem) else item

    if data.get("kind") == "registry":
        return {"units": [plain(u) for u in data.get("units") or []]}
    if data.get("categories"):
        return {"categories": [{**c, "items": [plain(i) for i in c.get("items") or []]} if "items" in c else c for c in data["categories"]]}
    return {"items": [plain(i) for i in data.get("items") or []]} if "items" in data else {}


class Needs(NamedTuple):
    """What a run over the set depends on, when not every file's record: the records of its own files (`files`: the
    list a run list by list starts from, the list whose deferred rules it runs), and what it asked of the set
    (`asked`: each question with a digest of its answer — the files it names, with their footprints, `answer_digest`).
    A run list by list (ruleset.ByList) asks the rule's own questions; any other run what it asked of its context
    (`_NotingContext`: the catalogs of some kinds, a list by id, the unit index, headers, one file's record or a part
    of it). A question answered by values (headers, whether a kind is there, a part) takes no footprint."""

    files: tuple[str, ...]
    asked: tuple[tuple[str, str], ...]


def answer_digest(answer: tuple[str, ...], footprints: dict[str, str]) -> str:
    """A digest of an answer to a run's question (the files it names, or values) with the footprints of those files."""
    return file_digest("\0".join(f"{name}\0{footprints.get(name, '')}" for name in answer).encode("utf-8", "surrogatepass"))


EVERY = "every"  # a run walked the set's catalogs: it depends on every file's record
UNIT_INDEX = "unit index"  # a run asked the unit index: it depends on every registry
HEADERS = "headers"  # a run read the catalogs' (of some kinds) file, kind, id, title, unit and level (Context.headers), not their records


def _kinds_question(kinds: tuple[str, ...]) -> str:
    return "\0".join(("kinds", *kinds))


def _walk(ctx: Context) -> Iterator[Catalog]:
    """A context's catalogs, walked without noting it (a _NotingContext's are _NotedCatalogs) or filling them."""
    return list.__iter__(ctx.catalogs)


def answer(ctx: Context, question: str) -> tuple[str, ...] | None:
    """The files a question a run asked of its context (`_NotingContext`) names now, in order (or, for a question
    that names none, the values it gets); None for a question that is not one. Only the catalogs' headers are read:
    the records need not be there (`_Filling`)."""
    what, _, asked = question.partition("\0")
    if what in ("kinds", "has"):
        kinds = asked.split("\0") if asked else ()
        found = tuple(c.path for c in _walk(ctx) if c.kind in kinds)
        return found if what == "kinds" else ("1",) if found else ()
    if what == "id":
        found_id = Context.by_id(ctx, asked)
        return (found_id.path,) if found_id is not None else ()
    if what == "file":
        return (asked,) if any(c.path == asked for c in _walk(ctx)) else ()
    if question == UNIT_INDEX:
        return tuple(c.path for c in _walk(ctx) if c.kind == "registry")
    if what == HEADERS:
        kinds = asked.split("\0") if asked else ()
        return tuple(f"{h.path}\0{h.kind}\0{h.id}\0{h.title}\0{h.unit!r}\0{h.level!r}" for h in (header(c, n) for n, c in enumerate(_walk(ctx))) if not kinds or h.kind in kinds)
    if what == "part":
        path, _, part = asked.partition("\0")
        catalog = next((c for c in _walk(ctx) if c.path == path), None)
        if catalog is None:
            return ()
        if catalog.doc.data is None or part not in PARTS:  # known by its header alone: not answered here
            return None
        return ("1", *PARTS[part](catalog, ctx))  # values, not files: the digest takes no footprint
    return None


class _Filling:
    """The slim records of the unchanged files, read back only when a run over the set asks for their catalogs
    (`pending`: by the id of each catalog known so far by its header alone, what reads its record back and makes it
    a slim catalog). A catalog is filled in place, the same object, so that what holds it (the contexts, the set's
    list, the deferred runs) sees it filled. `reads` notes what the runs read beyond the records (a run's, while it
    goes); the records read back are not such a read."""

    __slots__ = ("pending", "reads")

    def __init__(self, pending: dict[int, Callable[[], Catalog]] | None = None) -> None:
        self.pending = pending or {}
        self.reads: Reads | None = None

    def __call__(self, catalogs: list[Catalog]) -> list[Catalog]:
        """Fill these catalogs where they are known by their header alone; returns them."""
        if self.pending:
            for catalog in catalogs:
                make = self.pending.pop(id(catalog), None)
                if make is not None:
                    filled = make()
                    catalog.doc, catalog.data, catalog.items = filled.doc, filled.data, filled.items
                    for item in catalog.items:
                        item.catalog = catalog
                    filled.items = []
                    catalog.doc.reads = self.reads
        return catalogs


class _Asking:
    """What the run going on has asked of the set (`asked`: None between runs), shared by a `_NotingContext`, its
    catalogs and its memo. They hold this, not the context: a context held by its own catalogs is a cycle, and each
    escalation makes a context (the runs over the set go with the cyclic GC off)."""

    __slots__ = ("asked",)

    def __init__(self) -> None:
        self.asked: set[str] | None = None

    def note(self, question: str) -> None:
        if self.asked is not None:
            self.asked.add(question)


class _NotedCatalogs(list):
    """The set's catalogs as a run over the set sees them (`_NotingContext`): walking them, or taking one by its
    place, is noted as depending on every file's record."""

    def __init__(self, catalogs: list[Catalog], asking: "_Asking", filling: _Filling) -> None:
        super().__init__(catalogs)
        self._asking = asking  # not the context itself: a cycle, never freed while the cyclic GC is off
        self._filling = filling

    def plain(self) -> list[Catalog]:
        return list(list.__iter__(self))

    def _every(self) -> None:
        self._asking.note(EVERY)
        self._filling(self.plain())

    def __iter__(self):
        self._every()
        return list.__iter__(self)

    def __reversed__(self):
        self._every()
        return list.__reversed__(self)

    def __len__(self) -> int:
        self._asking.note(EVERY)
        return list.__len__(self)

    def __getitem__(self, index):
        self._every()
        return list.__getitem__(self, index)

    def __contains__(self, value) -> bool:
        self._asking.note(EVERY)
        return list.__contains__(self, value)

    def index(self, *args):
        self._asking.note(EVERY)
        return list.index(self, *args)

    def count(self, value) -> int:
        self._asking.note(EVERY)
        return list.count(self, value)

    def copy(self) -> list[Catalog]:
        self._every()
        return self.plain()

    def __add__(self, other):
        self._every()
        return self.plain() + list(other)

    def __eq__(self, other) -> bool:
        self._asking.note(EVERY)
        return list.__eq__(self, other)

    __hash__ = None


class _NotedMemo(dict):
    """`ctx.memo` as the runs over the set share it: a value kept there carries what the run that kept it had asked
    of the set by then (every file, when it was kept outside a run), and a run that reads it asks that too."""

    def __init__(self, asking: "_Asking") -> None:
        super().__init__()
        self._asking = asking  # not the context itself (as _NotedCatalogs)
        self._asked: dict[object, frozenset[str]] = {}

    def _read(self, key: object) -> None:
        asked = self._asking.asked
        if asked is not None and dict.__contains__(self._asked, key):
            asked |= self._asked[key]

    def __setitem__(self, key, value) -> None:
        asked = self._asking.asked
        self._asked[key] = frozenset(asked) if asked is not None else frozenset({EVERY})
        dict.__setitem__(self, key, value)

    def __getitem__(self, key):
        self._read(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._read(key)
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        self._read(key)
        return dict.__contains__(self, key)

    def setdefault(self, key, default=None):
        if key in self:
            return self[key]
        self[key] = default
        return default

    def __delitem__(self, key) -> None:
        self._asked.pop(key, None)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        self._read(key)
        self._asked.pop(key, None)
        return dict.pop(self, key, *default)

    def _refused(self, *args, **kwargs):
        raise TypeError("a memo shared by the runs over the set is changed one key at a time")

    update = popitem = clear = __ior__ = _refused


class _NotingContext(Context):
    """The context of the runs over the set, noting in `asked` (set by the runner while a run goes) what a run asks
    of the set: the catalogs of some kinds (`of_kind`), whether there is one (`has_kind`), a list by id (`by_id`),
    the unit index (`units`: every registry), the headers of some kinds (`headers`), one catalog at its place
    (`catalog_at`: its record; `part_at`: a part of it, ruleset.PARTS), every catalog (walking `catalogs`); and,
    through `memo`, what was asked to make what it reads there. What a run asked is what it depends on (`Needs`);
    govlist/lookups.py does the same for one file's rules. A catalog known by its header alone is filled with its
    slim record as it is handed out (`_Filling`): headers, has_kind and the answers read no record. A rule that
    keeps something on the context itself, outside `memo` (entry.py, community.py), keeps only what follows from
    what it asks again each time (the catalogs `of_kind` gives, the project's vocabularies)."""

    def __post_init__(self, like: "Context | None", changed: "list[int] | None") -> None:
        self._asking = _Asking()
        self._filling: _Filling = like._filling if isinstance(like, _NotingContext) else _Filling()  # shared with the contexts made from it
        self._headers: dict[str, list[Header]] = {}
        super().__post_init__(like, changed)
        self.catalogs = _NotedCatalogs(self.catalogs, self._asking, self._filling)
        self.memo = _NotedMemo(self._asking)

    @property
    def asked(self) -> set[str] | None:
        return self._asking.asked

    @asked.setter
    def asked(self, value: set[str] | None) -> None:
        self._asking.asked = value

    def note(self, question: str) -> None:
        self._asking.note(question)

    @property
    def units(self):
        self.note(UNIT_INDEX)
        if self._units is None:
            self._filling(self._registries)  # a context kind: whole already, but never made of headers alone
        return Context.units.fget(self)

    def of_kind(self, *kinds: str) -> list[Catalog]:
        self.note(_kinds_question(kinds))
        found = self._of_kind.get(kinds)
        if found is None:  # finding them walks every catalog's header once: not the run's walk
            found = self._of_kind[kinds] = self._filling([c for c in _walk(self) if c.kind in kinds])  # filled for good
        return list(found)

    def by_id(self, catalog_id: str) -> Catalog | None:
        self.note(f"id\0{catalog_id}")
        found = super().by_id(catalog_id)
        return self._filling([found])[0] if found is not None else None

    def has_kind(self, *kinds: str) -> bool:
        self.note("\0".join(("has", *kinds)))
        return any(c.kind in kinds for c in _walk(self))

    def headers(self, *kinds: str) -> list[Header]:
        question = "\0".join((HEADERS, *kinds))
        self.note(question)
        found = self._headers.get(question)
        if found is None:  # found once per context: a rule run once per list asks again and again
            found = self._headers[question] = [header(c, n) for n, c in enumerate(_walk(self)) if not kinds or c.kind in kinds]
        return list(found)

    def catalog_at(self, number: int) -> Catalog:
        catalog = list.__getitem__(self.catalogs, number)
        self.note(f"file\0{catalog.path}")
        return self._filling([catalog])[0]

    def part_at(self, number: int, part: str) -> Catalog:
        catalog = list.__getitem__(self.catalogs, number)
        self.note(f"part\0{catalog.path}\0{part}")
        return self._filling([catalog])[0]


@dataclass
class RuleRun:
    """One run of the rules over the set: a rule over the set (id `set:<rule>`), a rule run list by list from one
    list (`set:<rule>@<file>`) or one catalog's deferred rules (`deferred:<file>`). What it found, located; each
    finding's pointer and whether it points at a key (to locate it again when only lines in its file moved), None
    for a finding not to be located again; the files it read beyond their slim records (`touched`; None: it read
    every file whole); and what it depends on (`needs`; None: every file's record)."""

    id: str
    located: list[Located]
    pointers: list[tuple[tuple, bool] | None]
    touched: frozenset[str] | None
    needs: Needs | None = None


def set_run_id(rule_id: str) -> str:
    return f"set:{rule_id}"


def list_run_id(rule_id: str, path: str) -> str:
    return f"set:{rule_id}@{path}"


def deferred_run_id(path: str) -> str:
    return f"deferred:{path}"


def run_ids(project: Project, rules: list[Rule], lists: list[tuple[str, str | None, tuple[str, ...]]]) -> list[str]:
    """The ids of the runs over the set, in order: each rule over the set (a rule run list by list: once per list of
    its kinds), then each list's deferred rules. `lists`: every valid catalog's (file, kind, deferred rule ids), in
    the set's order."""
    ids = []
    for rule_obj in rules:
        if rule_obj.by_list is None:
            ids.append(set_run_id(rule_obj.id))
        else:
            kinds = rule_obj.by_list.kinds(project)
            ids += [list_run_id(rule_obj.id, path) for path in dict.fromkeys(path for path, kind, _ in lists if kind in kinds)]
    return ids + [deferred_run_id(path) for path, _, deferred in lists if deferred]


def _by_path(catalogs: list[Catalog], kinds: tuple[str, ...]) -> dict[str, list[Catalog]]:
    """The catalogs of these kinds by file, in the set's order."""
    found: dict[str, list[Catalog]] = {}
    for catalog in catalogs:
        if catalog.kind in kinds:
            found.setdefault(catalog.path, []).append(catalog)
    return found


def run_over_index(
    project: Project,
    catalogs: list[Catalog],
    rules: list[Rule],
    deferred: list[tuple[Catalog, tuple[str, ...]]],
    debug: bool,
    rule_by_id: dict[str, Rule],
    only: set[str] | None = None,
    footprints: dict[str, str] | None = None,
    like: Context | None = None,
    fill: dict[int, Callable[[], Catalog]] | None = None,
) -> list[RuleRun]:
    """The rules over the set, then each catalog's deferred rules, over slim catalogs; located as run_rules does.
    `only`: the ids of the runs wanted (None: all); each run notes the files it read beyond their records and, given
    every file's footprint now (`footprints`, to keep the runs in the cache), what it depends on (`Needs`). `like`:
    a context over the same set with other catalogs for some lists (its unit index is taken over). `fill`: the
    catalogs known by their header alone (by id), each with what makes its slim catalog: filled in place when a run
    asks for it (`_Filling`), so that a run kept reads no record back."""
    reads = Reads()
    for catalog in catalogs:  # the context kinds are whole: a position asked of one is noted as well
        catalog.doc.reads = reads
    ctx = _NotingContext(project, catalogs, like=like)
    filling = ctx._filling
    filling.pending, filling.reads = dict(fill or {}), reads
    ctx._of_kind.clear()  # found while nothing was to be filled: found again, and filled, when asked
    by_path: dict[str, list[int]] = {}
    for number, catalog in enumerate(catalogs):
        by_path.setdefault(catalog.path, []).append(number)
    runs: list[RuleRun] = []

    answered: dict[tuple[int, str], str | None] = {}  # the digest of each question's answer: the same for every run
    recent: dict[int, Document] = {}  # the documents last made whole, by their slim document (_Escalation._whole)

    def escalation() -> _Escalation:
        return _Escalation(project, catalogs, ctx, reads, by_path, footprints, answered, recent)

    try:
        for rule_obj in rules:
            if rule_obj.by_list is not None:  # list by list, each run with what it depends on
                for path, part in _by_path(catalogs, rule_obj.by_list.kinds(project)).items():
                    if only is None or list_run_id(rule_obj.id, path) in only:
                        filling(part)
                        running = escalation()
                        found, pointers = running.run(rule_obj, None, debug, part)
                        runs.append(RuleRun(list_run_id(rule_obj.id, path), found, pointers, running.touched(), running.needs_by_list(rule_obj.by_list, part)))
                        running.drop()
            elif only is None or set_run_id(rule_obj.id) in only:
                running = escalation()
                found, pointers = running.run(rule_obj, None, debug)
                runs.append(RuleRun(set_run_id(rule_obj.id), found, pointers, running.touched(), running.needs(())))
                running.drop()
        for catalog, rule_ids in deferred:
            if only is None or deferred_run_id(catalog.path) in only:
                filling([catalog])
                running = escalation()  # shared by the catalog's rules: `parent.*` compare it once
                found, pointers = [], []
                for rule_id in rule_ids:
                    more, more_pointers = running.run(rule_by_id[rule_id], catalog, debug)
                    found += more
                    pointers += more_pointers
                runs.append(RuleRun(deferred_run_id(catalog.path), found, pointers, running.touched(), running.needs((catalog.path,))))
                running.drop()
    finally:
        filling.pending, filling.reads = {}, None
        for catalog in catalogs:
            catalog.doc.reads = None
    return runs


def run_whole(ctx: Context, rules: list[Rule], deferred: list[tuple[Catalog, tuple[str, ...]]], debug: bool, rule_by_id: dict[str, Rule], only: set[str] | None = None) -> list[RuleRun]:
    """As run_over_index, over whole catalogs: each run reads every file (`touched` None)."""
    runs = []
    for rule_obj in rules:
        if rule_obj.by_list is not None:
            for path, part in _by_path(ctx.catalogs, rule_obj.by_list.kinds(ctx.project)).items():
                if only is None or list_run_id(rule_obj.id, path) in only:
                    found = _run_by_list(ctx, rule_obj, part, debug)
                    runs.append(RuleRun(list_run_id(rule_obj.id, path), found, [None] * len(found), None))
        elif only is None or set_run_id(rule_obj.id) in only:
            found = run_rules(ctx, [rule_obj], debug)
            runs.append(RuleRun(set_run_id(rule_obj.id), found, [None] * len(found), None))
    for catalog, rule_ids in deferred:
        if only is None or deferred_run_id(catalog.path) in only:
            found = run_rules(ctx, [rule_by_id[rule_id] for rule_id in rule_ids], debug, [catalog])
            runs.append(RuleRun(deferred_run_id(catalog.path), found, [None] * len(found), None))
    return runs


class SetRuns(NamedTuple):
    """What the rules over the set found last time, run by run (kept in the cache's set entry): each file's bytes
    (a hash) and footprint then (what the rules over the set see of it: govlist/cache.py `footprint`), by the name
    it is shown under; a digest of every file's footprint in order (`every`); and the runs."""

    files: dict[str, tuple[str, str]]
    every: str
    runs: list[RuleRun]


def still_true(stored: SetRuns | None, wanted: list[str], files: dict[str, tuple[str, str]], every: str, ask: Callable[[str, str], str | None] | None) -> tuple[list[RuleRun], list[str], set[str]]:
    """Of the runs kept last time (`stored`), those still true now that the files' bytes and footprints are `files`
    (and `every`): a run that read no file beyond its record whose bytes have changed since (a run that read every
    file whole: no file changed); that depends on every file's record (`needs` None) and every footprint is the
    same, or whose needs hold (the same footprints of its own files, and the same answers to its questions now:
    `ask(run id, question)`, a digest of the files named with their footprints; None: none asked, no such run held); none of whose findings is in a file whose footprint changed; and whose findings
    in a changed file can be located again. Returns them, in the order of `wanted`, the ids of the wanted runs that
    must run again, and the files changed since."""
    if stored is None:
        return [], list(wanted), set()
    then = stored.files
    changed = {path for path, (digest, _) in files.items() if path not in then or then[path][0] != digest}
    moved = {path for path, (_, footprint) in files.items() if path not in then or then[path][1] != footprint}
    same = stored.every == every  # every footprint as it was: every run's records are
    by_id = {run.id: run for run in stored.runs}
    kept: list[RuleRun] = []
    again: list[str] = []
    for run_id in wanted:
        run = by_id.get(run_id)
        if run is None or (run.touched is None and changed) or (run.touched is not None and not changed.isdisjoint(run.touched)):
            again.append(run_id)
        elif any((found[2] in changed and place is None) or found[2] in moved for found, place in zip(run.located, run.pointers)):
            again.append(run_id)
        elif same or (run.needs is not None and ask is not None and _needs_hold(run, then, files, ask)):
            kept.append(run)
        else:
            again.append(run_id)
    return kept, again, changed


def _needs_hold(run: RuleRun, then: dict[str, tuple[str, str]], now: dict[str, tuple[str, str]], ask: Callable[[str, str], str | None]) -> bool:
    """Whether what a run depends on is as it was: the same footprints of its own files, and the same answers now
    to its questions (a digest of the files each names, with their footprints)."""
    needs = run.needs
    assert needs is not None  # still_true asks only of such runs
    for path in needs.files:
        if path not in now or path not in then or then[path][1] != now[path][1]:
            return False
    return all(_part_as_was(question, then, now) or ask(run.id, question) == digest for question, digest in needs.asked)


def _part_as_was(question: str, then: dict[str, tuple[str, str]], now: dict[str, tuple[str, str]]) -> bool:
    """Whether a question is a part of one file's record (Context.part_at) whose footprint is as it was: the part is
    made from the record and the project alone, so it is the same, and not asked again (its record is not read)."""
    what, _, asked = question.partition("\0")
    path = asked.partition("\0")[0]
    return what == "part" and path in then and path in now and then[path][1] == now[path][1]


def locate_again(runs: list[RuleRun], changed: set[str], docs: dict[str, Document]) -> None:
    """Locate again, in place, the findings of kept runs that are in a changed file (its record the same, so the
    same pointers: only lines may have moved), file by file, dropping each file's whole document after."""
    wanted: dict[str, list[tuple[RuleRun, int]]] = {}
    for run in runs:
        for n, found in enumerate(run.located):
            if found[2] in changed:
                wanted.setdefault(found[2], []).append((run, n))
    for path, spots in wanted.items():
        doc = docs[path]
        for run, n in spots:
            rule_id, message, file, _, _, pointer_text, code = run.located[n]
            pointer, at_key = run.pointers[n]  # type: ignore[misc]  # still_true keeps no run with a None here
            line, column = doc.key_position(pointer) if at_key else doc.position(pointer)
            run.located[n] = (rule_id, message, file, line, column, pointer_text, code)
        if isinstance(doc, SlimDocument):
            doc.release()


class _Escalation:
    """A context over the slim catalogs, in which the catalogs a rule needs whole are made whole one by one."""

    def __init__(self, project: Project, catalogs: list[Catalog], ctx: _NotingContext, reads: Reads, by_path: dict[str, list[int]], footprints: dict[str, str] | None, answered: dict[tuple[int, str], str | None], recent: dict[int, Document]) -> None:
        self.project, self.catalogs, self.ctx, self.reads, self.by_path = project, catalogs, ctx, reads, by_path  # by_path: indexes in catalogs
        self.footprints, self.answered = footprints, answered  # answered: by (id of the rule's ByList or 0, question)
        self.recent = recent  # shared by the runs of one run_over_index (_whole)
        self.whole: dict[str, Catalog] = {}
        self.read: set[str] = set()
        self.asked: set[str] = set()  # what the run asked of the set (_NotingContext)

    def touched(self) -> frozenset[str]:
        return frozenset(self.read)

    def needs(self, files: tuple[str, ...]) -> Needs | None:
        """What the run depends on beyond the records of `files` (its own): what it asked of the set, each question
        with a digest of its answer; None (every file's record) when it walked every catalog, or without footprints."""
        if self.footprints is None or EVERY in self.asked:
            return None
        found = []
        for question in sorted(self.asked):
            if (0, question) not in self.answered:
                files_named = answer(self.ctx, question)
                self.answered[(0, question)] = answer_digest(files_named, self.footprints) if files_named is not None else None
            digest = self.answered[(0, question)]
            if digest is None:
                return None
            found.append((question, digest))
        return Needs(files, tuple(found))

    def needs_by_list(self, by_list: ByList, part: list[Catalog]) -> Needs | None:
        """What a run list by list (from the catalogs `part`, of one file) depends on: its questions (the rule's own,
        not what it asked of its context), each with a digest of the set's answer; None (every file's record) when
        they cannot be found over the slim records, or without footprints."""
        if self.footprints is None:
            return None
        catalogs = [self.whole.get(catalog.path, catalog) for catalog in part]
        try:
            questions = sorted({question for catalog in catalogs for question in by_list.reaches(self.ctx, catalog)})
            for question in questions:
                if (id(by_list), question) not in self.answered:
                    self.answered[(id(by_list), question)] = answer_digest(tuple(by_list.answer(self.ctx, question)), self.footprints)
        except NeedsFullData:
            return None
        return Needs(tuple(dict.fromkeys(c.path for c in catalogs)), tuple((q, self.answered[(id(by_list), q)] or "") for q in questions))

    def run(self, rule_obj: Rule, only: Catalog | None, debug: bool, part: list[Catalog] | None = None) -> tuple[list[Located], list[tuple[tuple, bool] | None]]:
        """One rule (over the set, or a catalog rule over `only`, or a set rule run from the catalogs `part`: see
        ruleset.ByList), located, with each finding's pointer; run again with more catalogs whole for as long as it
        reads what a slim one dropped. What it found before that is dropped: the result is the one over whole
        documents."""
        while True:
            scope = None if only is None else [self.whole.get(only.path, only)]
            problems: list[Problem] = []
            failure = None
            self.reads.paths = self.read
            self.ctx.asked = self.asked
            memos = len(self.ctx.memo)
            try:
                if part is not None and rule_obj.by_list is not None:
                    for catalog in part:
                        for problem in rule_obj.by_list.check(self.ctx, self.whole.get(catalog.path, catalog)):
                            problems.append(problem)
                else:
                    for problem in run_rule(rule_obj, self.ctx, scope):
                        problems.append(problem)
            except NeedsFullData as need:
                # what this run began to keep may have been cut off half-built: dropped (a dict keeps its order, and
                # a memo is only added to), while what earlier runs built stays for the runs after this one
                for key in list(self.ctx.memo)[memos:]:
                    del self.ctx.memo[key]
                if self._widen(need.path):
                    continue
                failure = internal_error(rule_obj.id, RuntimeError(f"a slim record outlived its catalog ({need.path})"))
            except Exception as exc:  # a defect in a rule must not hide the other findings (as checker.run_rules)
                if debug:
                    raise
                failure = internal_error(rule_obj.id, exc)
            finally:
                self.reads.paths = None
                self.ctx.asked = None
            found = _locate_by_file(rule_obj.id, problems)
            pointers: list[tuple[tuple, bool] | None] = [(p.pointer, p.at_key) if p.catalog is not None else None for p in problems]
            if failure is not None:
                found.append(failure)
                pointers.append(None)
            self._release()
            return found, pointers

    def _release(self) -> None:
        """Drop what the files read so far hold (only they can hold anything: a file's document and lines are read
        through what notes it), not walking every catalog after each of thousands of runs."""
        for path in self.read:
            for number in self.by_path.get(path, ()):
                doc = self.catalogs[number].doc
                if isinstance(doc, SlimDocument):
                    doc.release()

    def _widen(self, path: str) -> bool:
        """Make the catalog of `path` whole (every catalog, after _ESCALATIONS of them or when it is whole already);
        whether any was. Its cost follows the catalogs made whole, not the set: a set of thousands of lists has a
        list made whole for each of its lists that inherits from a parent (parent.changed reads the 依据)."""
        if len(self.whole) >= _ESCALATIONS or path in self.whole:
            wanted = [n for n, c in enumerate(self.catalogs) if c.path not in self.whole]
        else:
            wanted = self.by_path.get(path, [])
        self.ctx.asked = None  # making the new context asks nothing for the run
        self.ctx._filling([self.catalogs[number] for number in wanted])
        catalogs = self.ctx.catalogs.plain()  # type: ignore[attr-defined]  # a _NotingContext's
        for number in wanted:
            catalog = self.catalogs[number]
            self.whole[catalog.path] = catalogs[number] = self._whole(catalog)
        self._release()
        self.ctx = _NotingContext(self.project, catalogs, like=self.ctx, changed=wanted)  # not a walk to find them
        return bool(wanted)

    def _whole(self, catalog: Catalog) -> Catalog:
        """whole_catalog, but a document made whole for one of the last few runs is taken again, not read or parsed
        again: the lists that inherit from one parent come one after the other, and each run of their `parent.*`
        rules makes the parent whole (on copies of catalogs/, 575 runs parsed 115 parents 5 times each). The read
        is noted for the run all the same."""
        doc = catalog.doc
        if not isinstance(doc, SlimDocument):
            return catalog
        kept = self.recent.get(id(doc))
        if kept is not None and kept.path == doc.path:
            doc._note_read()
            return make_catalog(kept)
        whole = whole_catalog(catalog)
        if len(self.recent) >= _RECENT:
            del self.recent[next(iter(self.recent))]
        self.recent[id(doc)] = whole.doc
        return whole

    def drop(self) -> None:
        for catalog in self.whole.values():
            catalog.items.clear()  # items point back at their catalog: a cycle, kept while the cyclic GC is off
        self.whole.clear()


def _run_by_list(ctx: Context, rule_obj: Rule, part: list[Catalog], debug: bool) -> list[Located]:
    """A set rule run from the catalogs `part` (ruleset.ByList) over whole catalogs, located as run_rules does."""
    located: list[Located] = []
    try:
        for catalog in part:
            for problem in rule_obj.by_list.check(ctx, catalog):  # type: ignore[union-attr]  # the caller checked it
                located.append(locate(rule_obj.id, problem))
    except Exception as exc:  # a defect in a rule must not hide the other findings (as checker.run_rules)
        if debug:
            raise
        located.append(internal_error(rule_obj.id, exc))
    return located


def _locate_by_file(rule_id: str, problems: list[Problem]) -> list[Located]:
    """Locate problems file by file, so that at most one slim file's whole document is held at a time."""
    by_doc: dict[int, list[int]] = {}
    for n, problem in enumerate(problems):
        by_doc.setdefault(id(problem.catalog.doc) if problem.catalog is not None else 0, []).append(n)
    located: list[Located | None] = [None] * len(problems)
    for positions in by_doc.values():
        doc = problems[positions[0]].catalog
        for n in positions:
            located[n] = locate(rule_id, problems[n])
        if doc is not None and isinstance(doc.doc, SlimDocument):
            doc.doc.release()
    return [found for found in located if found is not None]
