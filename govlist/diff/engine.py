"""The diff engine: from two matched catalog sets to the changes, the count arithmetic and the gate findings.

`diff_paths(old, new, paths, config, …)` is the core of `govlist diff`, `govlist changelog` and `render
--changes-since`: it resolves both sides (files, folders, git revisions), finds the project file, loads and checks
every file on the shared path (`govlist.checker`) and compares. It never prints. 序号 (`seq`) is display order only
and never a change. Every change has a kind, a level (major / minor / editorial; configurable in govlist.yaml under
`changes.levels`) and a stable fingerprint, so that approved changes can be accepted.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from pathlib import Path

from ..catalog import Catalog, Item
from ..cache import diff_result, open_cache, store_diff_result
from ..checker import Collector, load_project, load_source, run_rules
from ..model import Finding, Text, fingerprint
from ..normalize import normalize_name
from ..project import Project
from ..sources import Side, resolve_sides
from ..suppress import apply_suppressions
from ..result import UsageError
from ..ruleset import RULES, Context
from .matching import Matching, match_items
from .pairing import pair_catalogs
from .sideload import file_keys, header, load_sides, result_key, same_data, seq
from .stored import result_data, result_from
from .model import Arithmetic, CatalogInfo, Change, Comparison, DiffResult, ItemRef, Settings, item_ref, read_accept_file, records
from .values import as_text, item_path, plain, redline, same_basis

LONG_FIELDS = frozenset({"content", "basis", "responsibilities", "accountability", "duties", "process", "note", "conditions"})
IGNORED_FIELDS = frozenset({"seq"})
MOVE_FIELDS = {"devolution": ("receiver",), "power": ("department",), "community": ("department",)}
WITHDRAWN_STATUS = normalize_name("收回")
WITHDRAWN_TRACK = normalize_name("上级部门收回事项")
PLACE_RANK = {"市": 0, "区": 1, "县": 1, "街道": 2, "乡镇": 2, "镇": 2, "乡": 2, "片区": 3, "社区": 4, "居民区": 4, "村": 4, "网格": 5, "责任块": 6}
HEADER_SKIP = frozenset({"categories", "items", "units", "govlist", "kind", "id", "adjustment"})


def _same_fields(od: dict, nd: dict) -> bool:
    """Two items' data equal but for their 序号."""
    return len(od) == len(nd) and all(k in IGNORED_FIELDS or od[k] == nd.get(k) for k in od)


def _unchanged(o: Item, n: Item, catmap: dict) -> bool:
    """A matched pair with nothing to report: the same list, the same (mapped) category, the same data but 序号."""
    oc, nc = o.catalog, n.catalog
    if oc.id != nc.id or not (same_data(o, n) or _same_fields(o.data, n.data)):
        return False
    return o.category_index is None or catmap.get((oc.id, o.category_index)) == (nc.id, n.category_index)


def _status_withdrawn(item: Item) -> bool:
    status = item.data.get("status")
    track = item.data.get("track")
    return (isinstance(status, str) and normalize_name(status) == WITHDRAWN_STATUS) or (isinstance(track, str) and normalize_name(track) in (WITHDRAWN_TRACK, WITHDRAWN_STATUS))


def _place_rank(catalog: Catalog) -> int | None:
    level = catalog.level
    return PLACE_RANK.get(str(level)) if level else None


def _fingerprint(kind: str, catalog: str, old: ItemRef | None, new: ItemRef | None, fieldpath: tuple, old_value: object, new_value: object, related: tuple) -> str:
    payload = [
        kind,
        catalog,
        old.fingerprint_part() if old else None,
        new.fingerprint_part() if new else None,
        [str(p) for p in fieldpath],
        plain(old_value),
        plain(new_value),
        [r.fingerprint_part() for r in related],
    ]
    return fingerprint(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))


# --- the changes ----------------------------------------------------------------------------------------------------


class Differ:
    """The changes between the matched pairs (and what is left over) of a `Matching`."""

    def __init__(self, matching: Matching, settings: Settings) -> None:
        self.matching, self.settings = matching, settings
        self.old, self.new = matching.old, matching.new
        self.old_by_id, self.new_by_id = matching.old_by_id, matching.new_by_id
        self.pairs, self.splits, self.merges = matching.pairs, matching.splits, matching.merges
        self.removed_items, self.added_items = matching.removed, matching.added
        self._catmap = matching.catmap
        self.changes: list[Change] = []
        self.findings: list[Finding] = []
        self.renumbered = 0
        self.unchanged = 0

    def add(
        self, kind: str, catalog: str, old: ItemRef | None, new: ItemRef | None, fieldpath: tuple = (), old_value=None, new_value=None, method="", score=None, related=(), level_field: str | None = None, texts: tuple[str, str] | None = None
    ) -> None:
        """Record a change; `texts`, the two values as a reader reads them, when the change carries a redline."""
        level = self.settings.level(kind, level_field if level_field is not None else (str(fieldpath[0]) if fieldpath else None))
        old_value, new_value = plain(old_value), plain(new_value)
        fp = _fingerprint(kind, catalog, old, new, fieldpath, old_value, new_value, related)
        lines = redline(*texts) if texts else ()
        self.changes.append(Change(kind, level, catalog, old, new, fieldpath, old_value, new_value, method, score, lines, tuple(related), fp, fp in self.settings.accepted))

    def compare_pairs(self, catmap) -> None:
        for o, n, method, score in self.pairs:
            if seq(o) != seq(n):
                self.renumbered += 1
            if _unchanged(o, n, catmap):
                self.unchanged += 1
                continue
            before = len(self.changes)
            self.compare(o, n, method, score, catmap)
            if len(self.changes) == before:
                self.unchanged += 1

    def compare(self, o: Item, n: Item, method: str, score: float, catmap) -> None:
        if _unchanged(o, n, catmap):
            return
        od, nd = o.data, n.data
        oref, nref = item_ref(o), item_ref(n)
        cid = n.catalog.id
        m: dict = {"method": method, "score": score}
        # catalog moves: 下放 to a lower level, 收回 to a higher one, else moved
        if o.catalog.id != n.catalog.id:
            ro, rn = _place_rank(o.catalog), _place_rank(n.catalog)
            kind = "devolved" if ro is not None and rn is not None and rn > ro else ("withdrawn" if ro is not None and rn is not None and rn < ro else "moved")
            self.add(kind, cid, oref, nref, ("catalog",), o.catalog.id, n.catalog.id, **m)
        elif o.category_index is not None or n.category_index is not None:
            if catmap.get((o.catalog.id, o.category_index)) != (n.catalog.id, n.category_index):
                self.add("moved", cid, oref, nref, ("category",), oref.category, nref.category, **m)
        # withdrawal by status or track
        was, now = _status_withdrawn(o), _status_withdrawn(n)
        skip = set(IGNORED_FIELDS) | {"name"}
        if was != now:
            key = "status" if ("status" in od or "status" in nd) else "track"
            new_value = {key: nd.get(key), "withdrawal": nd.get("withdrawal")} if now else {key: nd.get(key)}
            self.add("withdrawn" if now else "devolved", cid, oref, nref, (key,), od.get(key), new_value, **m)
            skip |= {"status", "track", "withdrawal"}
        if o.name != n.name:
            form_only = normalize_name(o.name) == normalize_name(n.name)
            self.add("renamed", cid, oref, nref, ("name",), o.name, n.name, level_field="form" if form_only else None, **m)
        # split into power sub-items
        osub, nsub = od.get("subitems") or [], nd.get("subitems") or []
        if not osub and len(nsub) >= 2 or len(osub) >= 2 and not nsub:
            parts = tuple(ItemRef(cid, s.get("code"), str(s.get("name") or ""), nref.category, nref.department, n.catalog.path, n.pointer + ("subitems", i)) for i, s in enumerate(nsub or osub) if isinstance(s, dict))
            self.add("split" if nsub else "merged", cid, oref, nref, ("subitems",), osub or None, nsub or None, method, score, parts)
            skip.add("subitems")
        # the receiving unit or department changes with the list when the item moves to another list: not a move of its own
        move_fields = MOVE_FIELDS.get(n.catalog.kind, ()) if o.catalog.id == n.catalog.id else ()
        for key in sorted(set(od) | set(nd), key=str):
            if key in skip:
                continue
            self._field(cid, oref, nref, (key,), od.get(key), nd.get(key), m, "moved" if key in move_fields else "changed")

    def _field(self, cid, oref, nref, path: tuple, a, b, m, kind: str) -> None:
        if a == b or same_basis(path, a, b):
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                self._field(cid, oref, nref, path + (key,), a.get(key), b.get(key), m, kind)
            return
        list_kind = self.new_by_id[cid].kind
        text_old, text_new = as_text(a, list_kind, item_path(list_kind) + path), as_text(b, list_kind, item_path(list_kind) + path)
        long = str(path[-1]) in LONG_FIELDS or len(text_old) + len(text_new) >= 30
        self.add(kind, cid, oref, nref, path, a, b, texts=(text_old, text_new) if long and text_old and text_new else None, level_field=str(path[0]), **m)

    def catalog_changes(self) -> None:
        for cid in sorted(set(self.old_by_id) | set(self.new_by_id)):
            o, n = self.old_by_id.get(cid), self.new_by_id.get(cid)
            if o is None or n is None:
                c = o or n
                assert c is not None  # the id comes from one of the two sides
                ref = ItemRef(cid, None, c.title, None, None, c.path)
                self.add("catalog", cid, ref if o else None, ref if n else None, (), c.title if o else None, c.title if n else None, level_field="")
                continue
            oref = ItemRef(cid, None, o.title, None, None, o.path)
            nref = ItemRef(cid, None, n.title, None, None, n.path)
            oh, nh = header(o), header(n)
            for key in sorted((set(oh) | set(nh)) - HEADER_SKIP, key=str):
                self._header(cid, oref, nref, (key,), oh.get(key), nh.get(key))
            # categories added, removed or renamed
            old_names = [str(c.get("name") or "") for c in o.categories]
            new_names = [str(c.get("name") or "") for c in n.categories]
            catmap = self._catmap
            targets = {}
            for i, name in enumerate(old_names):
                t = catmap.get((cid, i))
                if t is None:
                    self.add("category", cid, ItemRef(cid, None, name, name, None, o.path, ("categories", i)), None, ("category",), name, None)
                else:
                    targets[t[1]] = i
                    if normalize_name(name) != normalize_name(new_names[t[1]]) or name != new_names[t[1]]:
                        self.add("category", cid, ItemRef(cid, None, name, name, None, o.path, ("categories", i)), ItemRef(cid, None, new_names[t[1]], new_names[t[1]], None, n.path, ("categories", t[1])), ("category",), name, new_names[t[1]])
            for j, name in enumerate(new_names):
                if j not in targets:
                    self.add("category", cid, None, ItemRef(cid, None, name, name, None, n.path, ("categories", j)), ("category",), None, name)

    def _header(self, cid, oref, nref, path: tuple, a, b) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                self._header(cid, oref, nref, path + (key,), a.get(key), b.get(key))
            return
        self.add("catalog", cid, oref, nref, path, a, b, level_field=str(path[0]))

    def run(self) -> None:
        self.compare_pairs(self._catmap)
        for o in self.removed_items:
            self.add("removed", o.catalog.id, item_ref(o), None, (), None, None)
        for n in self.added_items:
            self.add("added", n.catalog.id, None, item_ref(n), (), None, None)
        for o, parts, score in self.splits:
            oref = item_ref(o)
            self.add("split", parts[0].catalog.id, oref, None, (), None, None, "split", score, tuple(item_ref(p) for p in parts))
        for sources, n, score in self.merges:
            self.add("merged", n.catalog.id, None, item_ref(n), (), None, None, "merge", score, tuple(item_ref(s) for s in sources))
        self.catalog_changes()


# --- arithmetic -----------------------------------------------------------------------------------------------------


def _declared_items(c: Catalog) -> int | None:
    declared = header(c).get("declared")
    value = declared.get("items") if isinstance(declared, dict) else None
    return value if isinstance(value, int) else None


def _arithmetic(d: Differ) -> list[Arithmetic]:
    rows: dict[tuple[str, str | None], Arithmetic] = {}
    catmap = d._catmap

    def row(cid: str, category: str | None) -> Arithmetic:
        key = (cid, category)
        if key not in rows:
            rows[key] = Arithmetic(cid, category, None, 0, None, 0)
        return rows[key]

    # the key of a category: its name in the new version (old categories mapped to new)
    def old_key(item: Item) -> str | None:
        if item.category_index is None:
            return None
        target = catmap.get((item.catalog.id, item.category_index))
        if target is not None and target[0] in d.new_by_id:
            return str(d.new_by_id[target[0]].categories[target[1]].get("name") or "")
        return str((item.category or {}).get("name") or "")

    def new_key(item: Item) -> str | None:
        return None if item.category_index is None else str((item.category or {}).get("name") or "")

    for c in d.old:
        r = row(c.id, None)
        r.old_count = len(c.items)
        r.old_declared = _declared_items(c)
        counts = _category_counts(c)
        for i, cat in enumerate(c.categories):
            target = catmap.get((c.id, i))
            name = str(d.new_by_id[target[0]].categories[target[1]].get("name") or "") if target else str(cat.get("name") or "")
            cr = row(c.id, name)
            cr.old_count += counts[i]
            if isinstance(cat.get("declared"), int):
                cr.old_declared = (cr.old_declared or 0) + cat["declared"]
    for c in d.new:
        r = row(c.id, None)
        r.new_count = len(c.items)
        r.new_declared = _declared_items(c)
        counts = _category_counts(c)
        for i, cat in enumerate(c.categories):
            cr = row(c.id, str(cat.get("name") or ""))
            cr.new_count += counts[i]
            if isinstance(cat.get("declared"), int):
                cr.new_declared = (cr.new_declared or 0) + cat["declared"]

    def out(item: Item, what: str) -> None:
        row(item.catalog.id, None).__dict__[what] += 1
        if item.category_index is not None:
            row(item.catalog.id, old_key(item)).__dict__[what] += 1

    def into(item: Item, what: str) -> None:
        row(item.catalog.id, None).__dict__[what] += 1
        if item.category_index is not None:
            row(item.catalog.id, new_key(item)).__dict__[what] += 1

    for o in d.removed_items:
        out(o, "removed")
    for n in d.added_items:
        into(n, "added")
    for o, parts, _ in d.splits:
        out(o, "removed")
        for p in parts:
            into(p, "added")
    for sources, n, _ in d.merges:
        for s in sources:
            out(s, "removed")
        into(n, "added")
    new_by_id = d.new_by_id
    for o, n, _, _ in d.pairs:
        if o.catalog.id != n.catalog.id:
            out(o, "moved_out")
            into(n, "moved_in")
        elif o.category_index is None:
            continue
        elif catmap.get((o.catalog.id, o.category_index)) == (n.catalog.id, n.category_index) and new_by_id.get(n.catalog.id) is n.catalog:
            continue  # old_key(o) is then the name of n's own category: new_key(n)
        elif old_key(o) != new_key(n):
            row(o.catalog.id, old_key(o)).moved_out += 1
            row(n.catalog.id, new_key(n)).moved_in += 1
    names: dict[str, tuple[list[str], list[str]]] = {}

    def published(cid: str, category: str | None) -> tuple[int, int]:
        """Where a category stands as published: its place in the new list, else (gone) its place in the old one."""
        if cid not in names:
            names[cid] = (_category_names(d.new_by_id.get(cid)), _category_names(d.old_by_id.get(cid)))
        for side, found in enumerate(names[cid]):
            if category in found:
                return (side, found.index(category))
        return (2, 0)

    return [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1] is not None, published(*k)))]


def _category_counts(c: Catalog) -> Counter:
    """How many items each category holds (by index), counted from the catalog's items."""
    return Counter(item.category_index for item in c.items)


def _category_names(catalog: Catalog | None) -> list[str]:
    return [str(c.get("name") or "") for c in catalog.categories] if catalog is not None else []


def _info(c: Catalog) -> CatalogInfo:
    data = header(c)
    effective = data.get("effective")
    return CatalogInfo(
        c.id,
        c.kind,
        c.title,
        c.path,
        None if data.get("version") is None else str(data.get("version")),
        None if effective is None else str(plain(effective)),
        data.get("doc_number"),
        len(c.items),
        len(c.categories),
        _declared_items(c),
        dict(data.get("adjustment") or {}),
    )


def _reasons(d: Differ) -> list[dict]:
    """Reasons recorded in the new version: the adjustment's own, its records, and withdrawal records."""
    out = []
    for c in sorted(d.new, key=lambda c: c.id):
        adjustment = header(c).get("adjustment")
        if isinstance(adjustment, dict) and adjustment.get("reason"):
            out.append({"catalog": c.id, "code": None, "name": None, "action": None, "reason": str(adjustment["reason"]), "approval": adjustment.get("approval"), "effective": plain(adjustment.get("date"))})
        for r in records(c):
            if r.get("reason"):
                out.append({"catalog": c.id, "code": r.get("code"), "name": r.get("name"), "action": r.get("action"), "reason": str(r["reason"]), "approval": r.get("approval"), "effective": plain(r.get("effective") or r.get("date"))})
    for ch in d.changes:
        if ch.kind == "withdrawn" and ch.new is not None and isinstance(ch.new_value, dict) and isinstance(ch.new_value.get("withdrawal"), dict):
            w = ch.new_value["withdrawal"]
            if w.get("reason") and not any(x["code"] == ch.new.code and x["name"] == ch.new.name for x in out):
                out.append({"catalog": ch.catalog, "code": ch.new.code, "name": ch.new.name, "action": "收回", "reason": str(w["reason"]), "approval": w.get("approval"), "effective": w.get("date")})
    return out


def _set_aside(old: list[Catalog], new: list[Catalog], unread: tuple[list[Finding], list[Finding]]) -> tuple[list[Catalog], list[Catalog], list[tuple[str, CatalogInfo]]]:
    """While a file of one side could not be read (or failed its format), a list of the other side left without a
    partner may be in it: whether it was removed or added is not known, so it is not compared (the sides without
    those lists; the lists set aside)."""
    old_ids, new_ids = {c.id for c in old}, {c.id for c in new}
    aside_old = [c for c in old if c.id not in new_ids] if unread[1] else []
    aside_new = [c for c in new if c.id not in old_ids] if unread[0] else []
    aside = [("old", _info(c)) for c in aside_old] + [("new", _info(c)) for c in aside_new]
    return [c for c in old if c not in aside_old], [c for c in new if c not in aside_new], aside


def diff_catalogs(old: list[Catalog], new: list[Catalog], settings: Settings, fuzzy: bool = True, old_label: str = "", new_label: str = "", findings: list[Finding] | None = None, unread: tuple[list[Finding], list[Finding]] = ([], [])) -> DiffResult:
    """Compare two loaded catalog sets; `unread`: the findings of the files of each side that could not be read or
    failed their format (sideload.unreadable), which keep the lists they may hold out of the comparison."""
    old = sorted(old, key=lambda c: (c.id, c.path))
    new, pairing = pair_catalogs(old, sorted(new, key=lambda c: (c.id, c.path)))
    new = sorted(new, key=lambda c: (c.id, c.path))
    old, new, aside = _set_aside(old, new, unread)
    enabled = gc.isenabled()
    gc.disable()
    try:
        d = Differ(match_items(old, new, fuzzy), settings)
        d.run()
    finally:
        if enabled:
            gc.enable()
    rows = _arithmetic(d)
    all_findings = list(findings or []) + check_changes(Comparison(settings, d.old_by_id, d.new_by_id, d.pairs, d.splits, d.merges, d.removed_items, d.added_items, d._catmap, d.changes, rows), old, new)
    all_findings.sort(key=Finding.sort_key)
    d.changes.sort(key=Change.sort_key)
    matched = d.matching.matched
    return DiffResult(
        old_label,
        new_label,
        [_info(c) for c in old],
        [_info(c) for c in new],
        d.changes,
        rows,
        all_findings,
        {k: matched[k] for k in ("code", "name", "gloss", "similarity") if matched[k]},
        d.renumbered,
        d.unchanged,
        _reasons(d),
        pairing,
        [("old", f) for f in unread[0]] + [("new", f) for f in unread[1]],
        aside,
    )


def check_changes(comparison: Comparison, old: list[Catalog], new: list[Catalog]) -> list[Finding]:
    """Run the rules on changes (scope "changes") through the collector every rule goes through: the project's
    severities and vocabularies, and the inline suppressions in either version's files."""
    project = comparison.settings.project
    collector = Collector(project)
    rules = [r for r in RULES.values() if r.scope == "changes" and collector.severity(r.id) is not None]
    for located in run_rules(Context(project, new, comparison), rules, False):
        collector.add(*located)
    documents = [c.doc for c in old + new]
    return apply_suppressions(collector, documents, report=False)[0]


def load_side(side: Side, collector: Collector) -> list[Catalog]:
    """The catalogs of a side, each file loaded and checked as validate does, whole (`govlist matrix` reads every
    item); what fails becomes a finding."""
    catalogs = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for source in side.files:
            if source.problem is not None:
                collector.add(source.problem.rule, source.problem.message, source.display, source.problem.line, source.problem.column)
                continue
            catalog = load_source(source.raw, source.display, collector)[1]
            if catalog is not None:
                catalogs.append(catalog)
    finally:
        if enabled:
            gc.enable()
    return catalogs


def diff_sides(old: Side, new: Side, project: Project, fuzzy: bool = True, accepted: set[str] | None = None, cache: bool = True, jobs: int | None = None) -> DiffResult:
    """Compare two resolved sides under `project`'s settings (`cache`: through the project's content cache; `jobs`:
    worker processes to parse in, None for one per core)."""
    collector = Collector(project)
    store = open_cache(project.path) if cache else None
    settings = Settings.from_project(project, accepted)
    keys = file_keys([old, new], store) if store is not None else None
    key = result_key([old, new], store, keys, ["fuzzy" if fuzzy else "exact", *sorted(settings.accepted)]) if store is not None and keys is not None else None
    if store is not None and key is not None:
        kept = diff_result(store, key)
        if kept is not None:
            try:
                return result_from(kept)
            except (KeyError, TypeError, ValueError, IndexError):
                store.hits -= 1
    (old_catalogs, new_catalogs), (old_unread, new_unread) = load_sides([old, new], project, collector, store, jobs, keys)
    result = diff_catalogs(old_catalogs, new_catalogs, settings, fuzzy, old.label, new.label, collector.findings, (old_unread, new_unread))
    if store is not None and key is not None:
        store_diff_result(store, key, result_data(result))
    return result


def diff_paths(old: str, new: str | None, paths: list[str] | None = None, config: Path | None = None, fuzzy: bool = True, accept: Path | None = None, cache: bool = True, jobs: int | None = None) -> DiffResult:
    """`govlist diff OLD [NEW] [-- PATHS]`: resolve both sides, find the project file (nearest the new side, else the
    current folder), compare. Raises UsageError for usage problems (a missing path, an unreadable acceptance file).
    `cache`: read and write the project's content cache (`--no-cache`: neither)."""
    old_side, new_side = resolve_sides(old, new, paths)
    anchor = new_side.anchor if new_side.revision is None else Path.cwd()
    project, project_findings = load_project([anchor or Path.cwd()], config)
    accepted: set[str] = set()
    if accept is not None:
        try:
            accepted = read_accept_file(accept.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(Text(f"无法读取接受文件 {accept}：{exc.strerror}", f"cannot read the acceptance file {accept}: {exc.strerror}")) from None
    result = diff_sides(old_side, new_side, project, fuzzy=fuzzy, accepted=accepted, cache=cache, jobs=jobs)
    result.findings[:0] = project_findings
    return result
