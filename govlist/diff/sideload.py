"""How a diff reads its two sides: one *entry* per file, made where the file is parsed (in a worker process, or
here) or read back from the content cache, and catalogs whose items are read from that entry only when needed.

An entry holds what loading the file found (read, parse, kind, schema: the findings, the same for a diff as for
validate) and, for a catalog: its header (every field but the items; categories without their items), its positions
(spans, marks) and inline suppressions, and per item its code, name, 序号 and a digest of everything else, with
the item itself as one line of JSON in a blob after the entry (one cache file a file). Matching and comparing read the codes, names and
digests; an item's data is parsed from its line only when something reads it (a pair whose digests differ, an item
left unmatched, a rule on changes). Two versions that differ in 1% of their items thus parse 1% of the items' JSON,
and a warm run parses no YAML at all. An entry without findings names no file: it is kept under the file's bytes
alone, for every name they are shown under (another folder, a git revision).

The data an item gets back is the data the loader built (JSON keeps every type the loader makes: text, numbers,
booleans, null, lists, mappings with text keys), so a diff reads the same values whether its files were parsed now,
in another process, or in an earlier run. Equal digests mean equal data; unequal digests only send the pair to the
full comparison, which decides as before.
"""

from __future__ import annotations

import gc
import hashlib
import json
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool

from ..cache import Cache, DiffLines, combine, diff_entry, diff_key, file_digest, finding_from_row, finding_row, store_diff_entry
from ..catalog import Catalog, Item
from ..checker import Collector, load_source
from ..loader import Document, Suppression, shape_of
from ..model import Finding, Severity
from .. import parallel
from ..project import Project
from ..sources import Side

_UNSET = object()
BATCH_BYTES = 256 * 1024  # the least a batch of files sent to a worker process holds (_batches)
WHOLE_BLOB = 64 * 1024  # a cache entry's blob of item lines this small is kept in memory, a longer one read a line at a time
_DATA_SLOT = Item.__dict__["data"]
_DOC_DATA = Document.__dict__["data"]
_DOC_SPANS = Document.__dict__["spans"]


# json.dumps with these options, made once (dumps makes an encoder a call: a third of the time of a short item's line)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_dumps_strict = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _line(item: dict) -> tuple[bytes, str, int]:
    """An item without its 序号 (display order only) as one line of JSON, the line's digest, and where its 序号 stood
    among its keys (-1: it has none). The digest starts with '!' when equal text need not mean equal values (a NaN is
    not equal to itself), so that such a pair is always compared in full."""
    place = -1
    if "seq" in item:
        place = list(item).index("seq")
        item = item.copy()
        del item["seq"]
    try:
        text, mark = _dumps_strict(item), ""
    except ValueError:
        text, mark = _dumps(item), "!"
    line = text.encode("utf-8", "surrogatepass")
    return line, mark + _hash(line), place


def _hash(line: bytes) -> str:
    return hashlib.blake2b(line, digest_size=16).hexdigest()


# --- making an entry (in a worker process or here) ------------------------------------------------------------------


def make_entry(raw: bytes, display: str, project: Project) -> tuple[dict, bytes]:
    """Load and check one file as validate does; its entry (plain JSON data) and the blob of its items' lines. The
    file's catalog is let go of here (its items point back at it: a cycle that the collector, off while sides load,
    would otherwise leave in memory, every document of the set with it)."""
    collector = Collector(project)
    doc, catalog = load_source(raw, display, collector)
    entry: dict = {"findings": [finding_row(f) for f in collector.findings], "valid": catalog is not None}
    if catalog is None or doc is None:
        return entry, b""
    try:
        return _entry(entry, doc, catalog)
    finally:
        catalog.items.clear()


def _entry(entry: dict, doc: Document, catalog: Catalog) -> tuple[dict, bytes]:
    """make_entry's entry and blob of a valid catalog."""
    data = catalog.data
    items = catalog.items
    entry["suppressions"] = [[s.line, list(s.rules), s.reason] for s in doc.suppressions]
    entry["marks"] = [[list(k), list(v), list(w)] for k, (v, w) in doc.marks.items()]
    split = _header(data) if all(type(i.data) is dict for i in items) else None
    if split is None:  # not laid out as lists of mappings: kept whole, read as it is
        entry["data"] = data
        entry["spans"] = [[list(k), a, b] for k, (a, b) in doc.spans.items()]
        return entry, b""
    entry["header"], entry["places"], entry["counts"] = split
    entry["code"] = [i.code for i in items]
    entry["name"] = [i.name for i in items]
    entry["seq"] = [i.data.get("seq") for i in items]
    made = [_line(i.data) for i in items]
    entry["digest"] = [digest for _, digest, _ in made]
    entry["seqpos"] = [place for _, _, place in made]
    item_spans: list[int] = []
    pointers = set()
    for item in items:
        pointers.add(item.pointer)
        span = doc.spans.get(item.pointer)
        item_spans += span if span is not None else (-1, -1)
    entry["item_spans"] = item_spans
    entry["spans"] = [[list(k), a, b] for k, (a, b) in doc.spans.items() if k not in pointers]
    lines = b"\n".join(line for line, _, _ in made)
    ends, end = [], -1
    for line, _, _ in made:
        end += len(line) + 1
        ends.append(end)
    entry["lines"], entry["ends"] = len(lines), ends
    return entry, lines


def _header(data: dict) -> tuple[dict, list, list[int]] | None:
    """The catalog without its items, where they stood (layout, place of the items' key among the top-level keys,
    place of `items` in each category, -1 for none) and how many there are in each place; None when the items are
    not laid out as make_catalog reads them (then the data is kept whole)."""
    keys = list(data)
    layout = "units" if data.get("kind") == "registry" else ("categories" if data.get("categories") else "items")
    header = dict(data)
    top, inner, counts = -1, [], []
    if layout == "categories":
        if not isinstance(data["categories"], list) or not all(type(c) is dict for c in data["categories"]):
            return None
        cats = []
        for cat in data["categories"]:
            found = cat.get("items")
            if found is not None and type(found) is not list:
                return None
            inner.append(list(cat).index("items") if found is not None else -1)
            counts.append(len(found or ()))
            cats.append({k: v for k, v in cat.items() if k != "items"} if found is not None else cat)
        header["categories"] = cats
    else:
        found = data.get(layout)
        if found is not None and type(found) is not list:
            return None
        if found is not None:
            top = keys.index(layout)
            del header[layout]
        counts.append(len(found or ()))
    return header, [layout, top, inner], counts


# --- catalogs read from an entry ------------------------------------------------------------------------------------


class _Store:
    """A file's item lines (in memory, or in the cache's blob, read a line at a time), each parsed when its item's
    data is first read and checked against its digest; lines that are not as their digests say are made again from
    the file's bytes."""

    __slots__ = ("blob", "ends", "raw", "display", "project", "digests", "seqs", "places", "every", "parsed")

    def __init__(self, blob: DiffLines, ends: list[int], raw: bytes, display: str, project: Project, digests: list[str], seqs: list, places: list[int], every: bool = False) -> None:
        self.blob, self.ends, self.raw, self.display, self.project = blob, ends, raw, display, project
        self.digests, self.seqs, self.places = digests, seqs, places
        self.every = every  # every item is read once one is (a registry: the rules index all its units)
        self.parsed: list[dict] | None = None

    def _slice(self, index: int) -> bytes:
        start, end = self.ends[index - 1] + 1 if index else 0, self.ends[index]
        if isinstance(self.blob, bytes):
            return self.blob[start:end]
        path, offset = self.blob
        with open(path, "rb") as handle:
            handle.seek(offset + start)
            return handle.read(end - start)

    def _again(self) -> None:
        """The lines made again from the file's bytes (a torn or altered cache file)."""
        entry, self.blob = make_entry(self.raw, self.display, self.project)
        if entry.get("digest") != self.digests:
            raise RuntimeError(f"{self.display}: the file's items are not those of its diff entry")
        self.ends = entry["ends"]

    def _checked(self, index: int) -> bytes:
        try:
            line: bytes | None = self._slice(index)
        except (OSError, ValueError):
            line = None
        if line is None or _hash(line) != self.digests[index].lstrip("!"):
            self._again()
            line = self._slice(index)
        return line

    def item(self, index: int) -> dict:
        if self.every:
            if self.parsed is None:
                self.parsed = self.items()
            return self.parsed[index]
        return self._whole(json.loads(self._checked(index)), index)

    def items(self) -> list[dict]:
        """Every item's data, parsed in one go."""
        if not isinstance(self.blob, bytes):
            path, offset = self.blob
            try:
                self.blob = path.read_bytes()[offset:]
            except OSError:
                self._again()
        found = json.loads(b"[" + b",".join(self._checked(i) for i in range(len(self.digests))) + b"]")
        return [self._whole(value, i) for i, value in enumerate(found)]

    def _whole(self, value: object, index: int) -> dict:
        if type(value) is not dict:
            raise RuntimeError(f"{self.display}: an item line of its diff entry is not a mapping")
        place = self.places[index]
        return value if place < 0 else _placed(value, "seq", self.seqs[index], place)


class LazyItem(Item):
    """An item whose code, name and 序号 are known and whose data is read from its file's entry when first asked."""

    __slots__ = ("_code", "_name", "seq", "digest", "_store", "_index")

    def __init__(self, code: str | None, name: str, seq: object, digest: str, store: _Store, index: int, pointer: tuple, catalog: Catalog, category: dict | None, category_index: int | None) -> None:
        _DATA_SLOT.__set__(self, None)
        self.pointer, self.catalog, self.category, self.category_index = pointer, catalog, category, category_index
        self._key = self._stripped_key = None
        self._code, self._name, self.seq, self.digest, self._store, self._index = code, name, seq, digest, store, index

    @property
    def data(self) -> dict:
        value = _DATA_SLOT.__get__(self)
        if value is None:
            value = self._store.item(self._index)
            _DATA_SLOT.__set__(self, value)
        return value

    @data.setter
    def data(self, value: dict) -> None:
        _DATA_SLOT.__set__(self, value)

    @property
    def code(self) -> str | None:
        return self._code

    @property
    def name(self) -> str:
        return self._name

    def moved_to(self, catalog: Catalog) -> "LazyItem":
        copy = LazyItem(self._code, self._name, self.seq, self.digest, self._store, self._index, self.pointer, catalog, self.category, self.category_index)
        _DATA_SLOT.__set__(copy, _DATA_SLOT.__get__(self))
        return copy


class LazyDocument(Document):
    """A document whose data and spans are made from its catalog's entry when first asked (to find a position)."""

    __slots__ = ("_catalog", "_item_spans", "_other_spans")
    _catalog: LazyCatalog
    _item_spans: list[int]  # each item's (first line, end line), one after the other; -1 when not recorded
    _other_spans: list  # [pointer, first line, end line] of the other elements

    @classmethod
    def make(cls, path: str, raw: bytes, suppressions: list[Suppression], marks: dict, catalog: LazyCatalog, item_spans: list[int], other_spans: list) -> LazyDocument:
        doc = cls(path, None, raw, suppressions, None, {}, marks)
        _DOC_DATA.__set__(doc, _UNSET)
        _DOC_SPANS.__set__(doc, _UNSET)
        doc._catalog, doc._item_spans, doc._other_spans = catalog, item_spans, other_spans
        return doc

    @property
    def data(self) -> object:
        value = _DOC_DATA.__get__(self)
        if value is _UNSET:
            value = self._catalog.data
            _DOC_DATA.__set__(self, value)
        return value

    @data.setter
    def data(self, value: object) -> None:
        _DOC_DATA.__set__(self, value)

    @property
    def spans(self) -> dict:
        value = _DOC_SPANS.__get__(self)
        if value is _UNSET:
            value = {tuple(k): (int(a), int(b)) for k, a, b in self._other_spans}
            flat = self._item_spans
            for n, item in enumerate(self._catalog.items):
                if flat[2 * n] >= 0:
                    value[item.pointer] = (flat[2 * n], flat[2 * n + 1])
            _DOC_SPANS.__set__(self, value)
        return value

    @spans.setter
    def spans(self, value: dict) -> None:
        _DOC_SPANS.__set__(self, value)

    def shape_at(self, key: tuple) -> tuple[int, object] | None:
        """A category's or an item's shape from the header or the item's own line, without making the whole data (a
        finding's position in a list of thousands of items: else every item's line read to place one)."""
        if _DOC_DATA.__get__(self) is _UNSET:
            known = self._catalog.shape_at(key)
            if known is not _UNSET:
                return known  # type: ignore[return-value]
        return super().shape_at(key)


class LazyCatalog(Catalog):
    """A catalog read from its entry: the header at once, each item's data when first read, the whole data (`data`)
    only when something asks for it."""

    id: str = ""  # plain attributes here (read for every item matched), from the header
    kind: str = ""
    _data: dict | None
    _by_pointer: dict[tuple, Item] | None  # the items by pointer, made when a position is first asked

    def __init__(self, doc: Document, header: dict, places: list, store: _Store) -> None:
        self.doc, self._header, self._places, self._store, self.items, self._data = doc, header, places, store, [], None
        self._by_pointer = None
        self.id, self.kind = str(header.get("id", "")), header["kind"]

    @property
    def header(self) -> dict:
        return self._header

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = self._assemble()
        return self._data

    @data.setter
    def data(self, value: dict) -> None:
        self._data = value

    @property
    def title(self) -> str:
        return str(self._header.get("title", ""))

    @property
    def level(self) -> str | None:
        return self._header.get("level")

    @property
    def categories(self) -> list[dict]:
        return self._header.get("categories") or []

    def shape_at(self, key: tuple) -> object:
        """loader.shape_of the category or item at `key`, from the header or the item's line alone; _UNSET for any
        other element (or one the header does not hold as a mapping)."""
        layout, _, inner = self._places
        if layout == "categories" and len(key) == 2 and key[0] == "categories" and type(key[1]) is int and 0 <= key[1] < len(inner):
            category = self._header["categories"][key[1]]
            if type(category) is not dict:
                return _UNSET
            if inner[key[1]] < 0:
                return shape_of(category)
            return len(category) + 1, "items" if inner[key[1]] == 0 else next(iter(category))
        if self._by_pointer is None:
            self._by_pointer = {item.pointer: item for item in self.items}
        item = self._by_pointer.get(key)
        return _UNSET if item is None else shape_of(item.data)

    def _assemble(self) -> dict:
        """The whole data, keys in their places, items as read."""
        layout, top, inner = self._places
        data = dict(self._header)
        every = self._store.items()
        for item, value in zip(self.items, every):
            if _DATA_SLOT.__get__(item) is None:
                item.data = value
        if layout == "categories":
            by_category: dict[int | None, list] = {}
            for item in self.items:
                by_category.setdefault(item.category_index, []).append(item.data)
            data["categories"] = [_placed(cat, "items", by_category.get(index, []), inner[index]) if inner[index] >= 0 else cat for index, cat in enumerate(self._header["categories"])]
        elif top >= 0:
            data = _placed(data, layout, [item.data for item in self.items], top)
        return data

    def with_id(self, new_id: str) -> "LazyCatalog":
        """The same list under another id (govlist.diff.pairing): items point at the copy, data read once for both."""
        copy = LazyCatalog(self.doc, {**self._header, "id": new_id}, self._places, self._store)
        copy.items = [i.moved_to(copy) for i in self.items]  # type: ignore[attr-defined]
        return copy


def _placed(mapping: dict, key: str, value: object, place: int) -> dict:
    items = list(mapping.items())
    items.insert(place, (key, value))
    return dict(items)


def _catalog(entry: dict, lines: DiffLines, raw: bytes, display: str, project: Project) -> Catalog:
    """The catalog of a valid file's entry (raises KeyError, TypeError, ValueError, IndexError when it is not one)."""
    text = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # as the loader reads it
    suppressions = [Suppression(int(line), tuple(str(r) for r in rules), str(reason)) for line, rules, reason in entry["suppressions"]]
    marks = {tuple(k): ((int(v[0]), int(v[1])), (int(w[0]), int(w[1]))) for k, v, w in entry["marks"]}
    if "data" in entry:
        from ..catalog import make_catalog

        data = entry["data"]
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            raise TypeError("not a catalog")
        spans = {tuple(k): (int(a), int(b)) for k, a, b in entry["spans"]}
        return make_catalog(Document(display, data, text, suppressions, spans=spans, marks=marks))
    header, places = entry["header"], entry["places"]
    if not isinstance(header, dict) or not isinstance(header.get("kind"), str):
        raise TypeError("not a catalog")
    layout, top, inner = str(places[0]), int(places[1]), [int(i) for i in places[2]]
    if layout not in ("categories", "items", "units"):
        raise ValueError("not a layout")
    codes, names, seqs, digests, counts, seqpos = entry["code"], entry["name"], entry["seq"], entry["digest"], entry["counts"], entry["seqpos"]
    if not (len(codes) == len(names) == len(seqs) == len(digests) == len(seqpos) == sum(counts)) or len(entry["item_spans"]) != 2 * len(codes) or len(entry["ends"]) != len(codes) or (isinstance(lines, bytes) and entry["lines"] != len(lines)):
        raise ValueError("an entry whose parts disagree")
    if layout == "categories" and not (len(counts) == len(inner) == len(header["categories"])):
        raise ValueError("an entry whose parts disagree")
    if not all(type(x) is str for x in names) or not all(type(x) is str for x in digests) or not all(x is None or type(x) is str for x in codes) or not all(type(x) is int for x in seqpos) or not all(type(x) is int for x in entry["ends"]):
        raise TypeError("not an entry's rows")
    # a registry's units are all read by every diff (the rules on changes are given a context that indexes them)
    store = _Store(lines, entry["ends"], raw, display, project, digests, seqs, seqpos, header["kind"] == "registry")
    catalog = LazyCatalog(Document(display, None), header, [layout, top, inner], store)
    catalog.doc = LazyDocument.make(display, text, suppressions, marks, catalog, entry["item_spans"], entry["spans"])
    out = catalog.items
    if layout == "categories":
        cats = header["categories"]
        n = 0
        for c_index, count in enumerate(counts):
            cat = cats[c_index]
            for index in range(count):
                out.append(LazyItem(codes[n], names[n], seqs[n], digests[n], store, n, ("categories", c_index, "items", index), catalog, cat, c_index))
                n += 1
    else:
        out.extend(LazyItem(codes[n], names[n], seqs[n], digests[n], store, n, (layout, n), catalog, None, None) for n in range(len(codes)))
    return catalog


def unreadable(finding: Finding) -> bool:
    """A finding that keeps its file out of a comparison: the file could not be read or does not match its format
    (an error of parse.* or schema.*); its lists are not compared, never reported as removed or added."""
    return finding.severity >= Severity.ERROR and finding.rule.startswith(("parse.", "schema."))


# --- loading both sides -----------------------------------------------------------------------------------------------


_SETUP: tuple[Project, Cache | None] | None = None  # in a worker process: the project and the cache
_WORKER = False  # this process is a worker


def _start(project: Project, cache: Cache | None) -> None:
    """A worker process's setup: as validate's workers (govlist/parallel.py), without the cyclic collector, whatever a
    file leaves behind collected between files past what is frozen here."""
    global _SETUP, _WORKER
    gc.disable()
    gc.freeze()
    _SETUP, _WORKER = (project, cache), True


#: a file's two cache keys: its bytes under the name it is shown under, and its bytes alone (FileKeys.shared)
FileKeys = tuple[str, str]


def _build(raw: bytes, display: str, keys: FileKeys | None) -> tuple[bytes, bytes]:
    """Make a file's entry (in a worker process or here) and keep it in the cache; (the entry as JSON, its lines). An
    entry without findings does not depend on the name the file is shown under (only findings name their file): it
    is kept under the key of the bytes alone, for every name they are shown under (another folder, a git revision);
    one with findings under the key of its name and bytes."""
    if _SETUP is None:
        raise RuntimeError("_build runs after _start")
    project, cache = _SETUP
    if _WORKER:
        gc.collect(1)  # the young generations only, as validate's workers (parallel._work_batch): not every cache again
    entry, lines = make_entry(raw, display, project)
    if cache is not None and keys is not None:
        return store_diff_entry(cache, keys[0] if entry["findings"] else keys[1], entry, lines), lines
    return _dumps(entry).encode("utf-8", "surrogatepass"), lines


def file_keys(sides: list[Side], cache: Cache) -> list[FileKeys | None]:
    """The cache keys of every file of the sides, in order (None for a file that could not be read): of its bytes
    under its name, and of its bytes alone (for an entry without findings, which names no file)."""
    out: list[FileKeys | None] = []
    for side in sides:
        for source in side.files:
            if source.problem is not None:
                out.append(None)
                continue
            digest = file_digest(source.raw)
            out.append((diff_key(cache, source.display, digest), combine(cache.salt, "diff entry without findings", digest)))
    return out


def result_key(sides: list[Side], cache: Cache, keys: list[FileKeys | None], options: list[str]) -> str | None:
    """The key of a finished comparison: every file's key (its name and bytes), side by side, the sides' labels and
    the options of the comparison; None when a file could not be read (its finding is not kept with the result)."""
    if any(key is None for key in keys):
        return None
    counts = [str(len(side.files)) for side in sides]
    return combine(cache.salt, "diff result", *counts, *(side.label for side in sides), *options, *(key[0] if key else "" for key in keys))


def load_sides(sides: list[Side], project: Project, collector: Collector, cache: Cache | None, jobs: int | None = None, keys: list[FileKeys | None] | None = None) -> tuple[list[list[Catalog]], list[list[Finding]]]:
    """The catalogs of each side, every file loaded and checked as validate does (its problems go to the collector):
    from the cache when its entry is there, else parsed — in `jobs` spawned worker processes when there is enough to
    parse (None: one per core), else here. `keys`: the files' cache keys, when already known (file_keys). With them,
    for each side, why each file that could not be read or failed its format was left out (unreadable)."""
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of items, no cycles: the cyclic collector would only walk them again and again
    try:
        return _load_sides(sides, project, collector, cache, jobs, keys)
    finally:
        if enabled:
            gc.enable()


def _load_sides(sides: list[Side], project: Project, collector: Collector, cache: Cache | None, jobs: int | None, keys: list[FileKeys | None] | None) -> tuple[list[list[Catalog]], list[list[Finding]]]:
    sources = [(s, source) for s, side in enumerate(sides) for source in side.files]
    if keys is None:
        keys = file_keys(sides, cache) if cache is not None else [None] * len(sources)
    # An entry is read once for every file of its bytes (the same list on both sides, unchanged) and shared by their
    # catalogs, which only read it.
    found: dict[int, tuple[dict, DiffLines]] = {}
    if cache is not None:
        shared: dict[str, tuple[dict, DiffLines] | None] = {}
        for n, key in enumerate(keys):
            if key is None:
                continue
            if key[1] not in shared:
                hit = diff_entry(cache, key[1], WHOLE_BLOB)
                shared[key[1]] = hit if hit is None or hit[0].get("findings") == [] else None
            hit = shared[key[1]] or diff_entry(cache, key[0], WHOLE_BLOB)
            if hit is not None:
                found[n] = hit
    todo = [n for n, (_, source) in enumerate(sources) if source.problem is None and n not in found]
    # A file whose bytes another file to read has is parsed once: an entry without findings does not depend on the
    # name the file is shown under (findings name their file: those are made on their own).
    first: dict[bytes, int] = {}
    alike = {n: first.setdefault(sources[n][1].raw, n) for n in todo}
    unique = [n for n in todo if alike[n] == n]
    for n, built in zip(unique, _in_workers([(sources[n][1].raw, sources[n][1].display, keys[n]) for n in unique], project, cache, jobs)):
        found[n] = built
    again = [n for n in todo if alike[n] != n and found[alike[n]][0].get("findings") != []]
    for n in todo:
        if alike[n] != n and n not in again:
            found[n] = found[alike[n]]  # kept once, under the key of the bytes alone
    for n, built in zip(again, _in_workers([(sources[n][1].raw, sources[n][1].display, keys[n]) for n in again], project, cache, jobs)):
        found[n] = built
    out: list[list[Catalog]] = [[] for _ in sides]
    unread: list[list[Finding]] = [[] for _ in sides]
    for n, (s, source) in enumerate(sources):
        if source.problem is not None:
            collector.add(source.problem.rule, source.problem.message, source.display, source.problem.line, source.problem.column)
            unread[s].extend(collector.findings[-1:])
            continue
        read = _read(*found[n], source.raw, source.display, project)
        if read is None:  # a cache entry not as written: made again
            read = _read(*_in_workers([(source.raw, source.display, keys[n])], project, cache, 1)[0], source.raw, source.display, project)
            if read is None:
                raise RuntimeError(f"{source.display}: a diff entry just made does not read back")
        findings, catalog = read
        collector.findings.extend(findings)
        if catalog is not None:
            out[s].append(catalog)
        else:
            unread[s].extend(next(([f] for f in findings if unreadable(f)), []))
    return out, unread


def _read(entry: dict, lines: DiffLines, raw: bytes, display: str, project: Project) -> tuple[list, Catalog | None] | None:
    """(the findings, the catalog or None) of an entry; None when the entry is not as written."""
    try:
        findings = [finding_from_row(row) for row in entry["findings"]]
        return findings, (_catalog(entry, lines, raw, display, project) if entry["valid"] else None)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _build_batch(batch: list[tuple[bytes, str, FileKeys | None]]) -> list[tuple[bytes, bytes]]:
    """The entries of a batch of files (in a worker process)."""
    return [_build(*job) for job in batch]


def _batches(jobs_in: list[tuple[bytes, str, FileKeys | None]]) -> list[list[tuple[bytes, str, FileKeys | None]]]:
    """The files in their order, cut into batches of at least BATCH_BYTES (a larger file alone, the last may hold
    less): a task sent to a worker and its answer cost about as much as parsing a few KB, so thousands of small files
    (a catalog repository) are sent a batch at a time."""
    out: list[list[tuple[bytes, str, FileKeys | None]]] = [[]]
    held = 0
    for job in jobs_in:
        if held >= BATCH_BYTES:
            out.append([])
            held = 0
        out[-1].append(job)
        held += len(job[0])
    return out


def _in_workers(jobs_in: list[tuple[bytes, str, FileKeys | None]], project: Project, cache: Cache | None, jobs: int | None) -> list[tuple[dict, bytes]]:
    """Every file's entry (read from its JSON as written) and lines, made in spawned worker processes together with
    this one when there is enough to parse (_shared) — each batch's entries read here as it comes, while the workers
    go on — else here."""
    workers = min(parallel.default_jobs() if jobs is None else max(1, jobs), len(jobs_in))
    if workers > 1 and sum(len(job[0]) for job in jobs_in) >= parallel.PARALLEL_MIN_BYTES:
        batches = _batches(jobs_in)
        done = _shared(batches, project, cache, workers)
        if done is not None:
            return [built for part in done for built in part]
    return _here(jobs_in, project, cache)


def _here(jobs_in: list[tuple[bytes, str, FileKeys | None]], project: Project, cache: Cache | None) -> list[tuple[dict, bytes]]:
    """The entries of these files made in this process."""
    global _SETUP
    kept, _SETUP = _SETUP, (project, cache)
    try:
        return [(json.loads(meta), lines) for meta, lines in (_build(*job) for job in jobs_in)]
    finally:
        _SETUP = kept


IN_FLIGHT = 3  # batches given to each worker process ahead of its work (_shared)


def _shared(batches: list[list[tuple[bytes, str, FileKeys | None]]], project: Project, cache: Cache | None, workers: int) -> list[list[tuple[dict, bytes]]] | None:
    """The entries of each batch, made by `workers - 1` spawned worker processes and this one: the workers take the
    largest batches first, IN_FLIGHT ahead each, and this process the smallest, one at a time, until none is left;
    then it reads the workers' last answers. This process would otherwise wait for the workers, idle, and a worker
    costs its start (an interpreter and govlist's imports, about 0.25 s of CPU) before it parses anything, which
    this process spends parsing: on two cores, one worker and this process instead of two workers. None when no
    worker can be started here (the caller makes everything here); a worker that dies or cannot be set up leaves its
    batches to this process."""
    spawned = parallel.start_workers(workers - 1)
    if spawned is None:
        return None
    try:
        setup = parallel.worker_setup(_start, (project, cache))
    except OSError:  # no temporary file for a large setup: everything is made here
        spawned.close()
        return None
    sizes = [sum(len(job[0]) for job in batch) for batch in batches]
    order = sorted(range(len(batches)), key=lambda i: -sizes[i])
    front, back = 0, len(order)  # order[front:back]: the batches nobody has taken yet
    given: dict[Future, int] = {}
    done: dict[int, list[tuple[dict, bytes]]] = {}

    def answers(block: bool) -> None:
        for future in wait(given, return_when=FIRST_COMPLETED).done if block else [f for f in given if f.done()]:
            number = given.pop(future)
            done[number] = _decoded(number, future.result())

    try:
        try:
            while True:
                while front < back and len(given) < IN_FLIGHT * spawned.workers:
                    given[spawned.submit(setup, _build_batch, batches[order[front]])] = order[front]
                    front += 1
                if front == back:
                    break
                back -= 1
                done[order[back]] = _here(batches[order[back]], project, cache)
                answers(block=False)
            while given:
                answers(block=True)
        except (BrokenProcessPool, OSError, parallel.SetupFailed):
            pass  # what the workers did not give back is made here
    finally:
        spawned.close()
        parallel.drop_setup(setup)
    for number, batch in enumerate(batches):
        if number not in done:
            done[number] = _here(batch, project, cache)
    return [done[number] for number in range(len(batches))]


def _decoded(_: int, batch: list[tuple[bytes, bytes]]) -> list[tuple[dict, bytes]]:
    return [(json.loads(meta), lines) for meta, lines in batch]


# --- what the engine asks --------------------------------------------------------------------------------------------


def seq(item: Item) -> object:
    """An item's 序号, without reading its data when it is an entry's."""
    return item.seq if isinstance(item, LazyItem) else item.data.get("seq")


def same_data(old: Item, new: Item) -> bool:
    """True when the two items' data are known to be equal but for their 序号 (both from entries, equal digests);
    False means only 'not known'."""
    return isinstance(old, LazyItem) and isinstance(new, LazyItem) and old.digest == new.digest and not old.digest.startswith("!")


def header(catalog: Catalog) -> dict:
    """A catalog's own fields (its items may be left out): read without reading its items."""
    return catalog.header if isinstance(catalog, LazyCatalog) else catalog.data
