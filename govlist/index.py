"""The slim record of a checked file (its *index*): what the rules over the whole set read of it, and no more.

Once a file's own rules have run, whoever checked it (a worker, or the main process) keeps of its catalog only the
header, the categories and, per item, the few fields that the set rules and the deferred catalog rules read
(`ITEM_FIELDS`, see docs/performance.md section 5); the document itself is dropped. The main process holds these
records, not the documents, while the rules over the set run; a finding is located afterwards from the file
(`SlimDocument` reads its full document again, from the cache or by parsing it, only when a position is asked).

Safety, not silent change: an item of a slim catalog is a `SlimItem`, a dict that raises `NeedsFullData` when a rule
reads a field the record dropped (or looks at all its keys). `run_over_index` then runs that rule again with that
catalog whole, read back from the file, and so on; after a few such steps, with every catalog whole. A rule thus
finds exactly what it finds over whole documents, whatever it reads; reading a dropped field only costs time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog, make_catalog
from .checker import Located, internal_error, locate, run_rules
from .loader import Document, LoadError, load_bytes, read_file
from .project import Project
from .ruleset import Context, Problem, Rule, run_rule

#: the item fields the rules over the set read (measured over every bundled catalog, example and the synthetic set);
#: `content` and `basis` (long) are read only by the `parent.*` rules, which then get the list and its parent whole
ITEM_FIELDS = frozenset({"code", "name", "track", "status", "receiver", "lead", "grid", "territorial", "type", "local", "duties"})
_ESCALATIONS = 4  # catalogs made whole one by one for a rule before every catalog is made whole


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


def _items_at(data: dict) -> list[tuple[list, int]]:
    """Where a catalog's items stand in its data, as make_catalog reads them: (the list, its index)."""
    if data.get("kind") == "registry":
        lists = [data.get("units") or []]
    elif data.get("categories"):
        lists = [category.get("items") or [] for category in data["categories"]]
    else:
        lists = [data.get("items") or []]
    return [(items, index) for items in lists for index in range(len(items))]


def index_record(data: dict, kept: frozenset[str] = ITEM_FIELDS) -> dict:
    """A catalog's data with each item cut down to the `kept` fields (kept_fields): plain JSON-able data, sent back
    by workers and kept in the cache (`<key>.index.json`). Header and categories are kept whole (small)."""

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
    """A checked file's document kept without its data: its suppressions, and where to find its whole document
    again (`whole`, read from the cache's data entry or parsed again) when a position is asked."""

    __slots__ = ("_reload", "_whole_doc", "reads")

    def __init__(self, path: str, suppressions: list, source: Path | None, reload: Callable[[], "tuple[object, dict, dict] | None"]) -> None:
        super().__init__(path, None, b"", suppressions, source)
        self._reload = reload
        self._whole_doc: Document | None = None
        self.reads: Reads | None = None  # set by run_over_index: who notes the files a rule reads beyond their records

    def whole(self) -> Document:
        """The whole document, read again once and kept until `release`."""
        if self.reads is not None and self.reads.paths is not None:
            self.reads.paths.add(self.path)
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

    def position(self, pointer: tuple) -> tuple[int, int]:
        return self.whole().position(pointer)

    def key_position(self, pointer: tuple) -> tuple[int, int]:
        return self.whole().key_position(pointer)

    def without_bytes(self, source: Path) -> Document:
        return self


class Reads:
    """The files the rule now running has read beyond their slim records: made whole, or asked a position of (its
    message may name a line). None while no rule runs (locating a finding afterwards reads no more than the file
    the finding is in, and that is located again when the file changes)."""

    __slots__ = ("paths",)

    def __init__(self) -> None:
        self.paths: set[str] | None = None


_KEYS = {key: key for key in ITEM_FIELDS}
_UNIQUE = frozenset({"code", "name"})  # the other kept fields repeat a few values (a track, a unit) over many items


def slim_catalog(doc: SlimDocument, record: dict, shared: dict | None = None, kept: frozenset[str] = ITEM_FIELDS) -> Catalog:
    """The catalog a record stands for, its items SlimItems keeping `kept` (the record is used in place). `shared`:
    one text object for each repeated value, over the whole set (100,000 items hold a few dozen tracks and units)."""
    shared = {} if shared is None else shared
    for items, index in _items_at(record):
        item = items[index]
        if isinstance(item, dict):
            fields = {}
            for key, value in item.items():
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


@dataclass
class RuleRun:
    """One run of the rules over the set: a rule over the set (id `set:<rule>`) or one catalog's deferred rules
    (`deferred:<file>`). What it found, located; each finding's pointer and whether it points at a key (to locate
    it again in its file when only the file's position changed), None for a finding not to be located again; and the
    files it read beyond their slim records (`touched`; None: it read every file whole)."""

    id: str
    located: list[Located]
    places: list[tuple[tuple, bool] | None]
    touched: frozenset[str] | None


def set_run_id(rule_id: str) -> str:
    return f"set:{rule_id}"


def deferred_run_id(path: str) -> str:
    return f"deferred:{path}"


def run_over_index(project: Project, catalogs: list[Catalog], rules: list[Rule], deferred: list[tuple[Catalog, tuple[str, ...]]], debug: bool, rule_by_id: dict[str, Rule], only: set[str] | None = None) -> list[RuleRun]:
    """The rules over the set, then each catalog's deferred rules, over slim catalogs; located as run_rules does.
    `only`: the ids of the runs wanted (None: all); each run notes the files it read beyond their records."""
    reads = Reads()
    for catalog in catalogs:
        if isinstance(catalog.doc, SlimDocument):
            catalog.doc.reads = reads
    ctx = Context(project, catalogs)
    runs: list[RuleRun] = []
    try:
        for rule_obj in rules:
            if only is None or set_run_id(rule_obj.id) in only:
                escalation = _Escalation(project, catalogs, ctx, reads)
                found, places = escalation.run(rule_obj, None, debug)
                runs.append(RuleRun(set_run_id(rule_obj.id), found, places, escalation.touched()))
                escalation.drop()
        for catalog, rule_ids in deferred:
            if only is None or deferred_run_id(catalog.path) in only:
                escalation = _Escalation(project, catalogs, ctx, reads)  # shared by the catalog's rules: `parent.*` compare it once
                found, places = [], []
                for rule_id in rule_ids:
                    more, more_places = escalation.run(rule_by_id[rule_id], catalog, debug)
                    found += more
                    places += more_places
                runs.append(RuleRun(deferred_run_id(catalog.path), found, places, escalation.touched()))
                escalation.drop()
    finally:
        for catalog in catalogs:
            if isinstance(catalog.doc, SlimDocument):
                catalog.doc.reads = None
    return runs


def run_whole(ctx: Context, rules: list[Rule], deferred: list[tuple[Catalog, tuple[str, ...]]], debug: bool, rule_by_id: dict[str, Rule], only: set[str] | None = None) -> list[RuleRun]:
    """As run_over_index, over whole catalogs: each run reads every file (`touched` None)."""
    runs = []
    for rule_obj in rules:
        if only is None or set_run_id(rule_obj.id) in only:
            found = run_rules(ctx, [rule_obj], debug)
            runs.append(RuleRun(set_run_id(rule_obj.id), found, [None] * len(found), None))
    for catalog, rule_ids in deferred:
        if only is None or deferred_run_id(catalog.path) in only:
            found = run_rules(ctx, [rule_by_id[rule_id] for rule_id in rule_ids], debug, [catalog])
            runs.append(RuleRun(deferred_run_id(catalog.path), found, [None] * len(found), None))
    return runs


def still_true(stored: "tuple[dict[str, str], list[RuleRun]] | None", wanted: list[str], keys: dict[str, str]) -> tuple[list[RuleRun], list[str], set[str]]:
    """Of the runs kept last time over slim records the same as now (`stored`: each file's key then, and the runs),
    those still true now that the files' keys are `keys`: a run that read no file beyond its record whose bytes have
    changed since (a run that read every file whole: no file changed), and whose findings in a changed file can be
    located again. Returns them, in the order of `wanted`, the ids of the wanted runs that must run again, and the
    files changed since."""
    if stored is None:
        return [], list(wanted), set()
    then, runs = stored
    changed = {path for path, key in keys.items() if then.get(path) != key}
    by_id = {run.id: run for run in runs}
    kept: list[RuleRun] = []
    again: list[str] = []
    for run_id in wanted:
        run = by_id.get(run_id)
        if run is None or (run.touched is None and changed) or (run.touched is not None and not changed.isdisjoint(run.touched)):
            again.append(run_id)
        elif any(found[2] in changed and place is None for found, place in zip(run.located, run.places)):
            again.append(run_id)
        else:
            kept.append(run)
    return kept, again, changed


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
            pointer, at_key = run.places[n]  # type: ignore[misc]  # still_true keeps no run with a None here
            line, column = doc.key_position(pointer) if at_key else doc.position(pointer)
            run.located[n] = (rule_id, message, file, line, column, pointer_text, code)
        if isinstance(doc, SlimDocument):
            doc.release()


class _Escalation:
    """A context over the slim catalogs, in which the catalogs a rule needs whole are made whole one by one."""

    def __init__(self, project: Project, catalogs: list[Catalog], ctx: Context, reads: Reads) -> None:
        self.project, self.catalogs, self.ctx, self.reads = project, catalogs, ctx, reads
        self.whole: dict[str, Catalog] = {}
        self.read: set[str] = set()

    def touched(self) -> frozenset[str]:
        return frozenset(self.read)

    def run(self, rule_obj: Rule, only: Catalog | None, debug: bool) -> tuple[list[Located], list[tuple[tuple, bool] | None]]:
        """One rule (over the set, or a catalog rule over `only`), located, with each finding's place; run again with
        more catalogs whole for as long as it reads what a slim one dropped. What it found before that is dropped:
        the result is the one over whole documents."""
        while True:
            scope = None if only is None else [self.whole.get(only.path, only)]
            problems: list[Problem] = []
            failure = None
            self.reads.paths = self.read
            try:
                for problem in run_rule(rule_obj, self.ctx, scope):
                    problems.append(problem)
            except NeedsFullData as need:
                self.ctx.memo.clear()  # a memo may have been cut off half-built
                if self._widen(need.path):
                    continue
                failure = internal_error(rule_obj.id, RuntimeError(f"a slim record outlived its catalog ({need.path})"))
            except Exception as exc:  # a defect in a rule must not hide the other findings (as checker.run_rules)
                if debug:
                    raise
                failure = internal_error(rule_obj.id, exc)
            finally:
                self.reads.paths = None
            found = _locate_by_file(rule_obj.id, problems)
            places: list[tuple[tuple, bool] | None] = [(p.pointer, p.at_key) if p.catalog is not None else None for p in problems]
            if failure is not None:
                found.append(failure)
                places.append(None)
            _release(self.catalogs)
            return found, places

    def _widen(self, path: str) -> bool:
        if len(self.whole) >= _ESCALATIONS or path in self.whole:
            wanted = [c for c in self.catalogs if c.path not in self.whole]
        else:
            wanted = [c for c in self.catalogs if c.path == path]
        for catalog in wanted:
            self.whole[catalog.path] = whole_catalog(catalog)
        _release(self.catalogs)
        self.ctx = Context(self.project, [self.whole.get(c.path, c) for c in self.catalogs])
        return bool(wanted)

    def drop(self) -> None:
        for catalog in self.whole.values():
            catalog.items.clear()  # items point back at their catalog: a cycle, kept while the cyclic GC is off
        self.whole.clear()


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


def _release(catalogs: list[Catalog]) -> None:
    for catalog in catalogs:
        if isinstance(catalog.doc, SlimDocument):
            catalog.doc.release()
