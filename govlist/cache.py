"""The content cache: what checking one file found, kept under the project so an unchanged file is not read again.

An entry is keyed by a hash of the file's bytes and the name it is shown under, govlist's version and code, the
schemas and the project file. What its rules read of the context files (registries, entry rules) is in the entry:
the context's data it was checked with, the questions its rules asked of it and a digest of the answers
(govlist/lookups.py), and the context files' bytes when its rules asked one for a line; it is taken while the
context answers the same. A second entry, one per project cache, keeps what the rules over the whole set found, run
by run, each with what it depends on, and every file's *footprint* (what those rules see of it: its slim record,
else its key), so that an edit they do not look at (a comment, a 内容) keeps every run, and an edit they read keeps
the runs that cannot see it (govlist/index.py `still_true`). Entries are JSON (never pickle), name their own key and format, and are written
atomically (govlist/output.py); anything that does not read back exactly as expected is ignored and rebuilt.

Layout: `.govlist-cache/` beside govlist.yaml, holding its own `.gitignore` (`*`) and a CACHEDIR.TAG, so git and
backup tools leave it alone; `v1/<2 hex>/<key>.entry`, one file per checked file, whose first line names its format,
its key and the length of each part that follows, one a line, so that each is read without the others: the entry
(findings, suppressions, header), the slim record (govlist/index.py: what the rules over the set read of it) with
its item places, and the document's data and line spans (needed when catalogs are wanted or a finding of the rules
over the set must be located). A registry's or entry rules' entry also holds a digest of its data (`seen`), what
the other files' rules read of it, so that what every file's rules may ask of the context is known from the context
files' entries before any file is checked. `<key>.answered.json`, one per context data, lists the files found since
to get the same answers from it; `<key>.set.json` and the diff's `<key>.diff` and `<key>.result.json` sit beside.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

from . import __version__
from .catalog import Catalog
from .checker import Located
from .index import ItemPlaces, Needs, RuleRun, SetRuns, places_from_json, places_json
from .loader import Document, Suppression, file_digest
from .model import Finding, Severity, Text
from .output import write_file
from .result import UsageError
from .schema import schema_dir

CACHE_DIR = ".govlist-cache"
FORMAT = 1
ENTRY = ".entry"  # a checked file's entry: a first line naming its format, key and parts, then the parts
_ENTRY, _RECORD, _DATA = 0, 1, 2  # its parts, one a line: the entry; the slim record and item places; the data
_HEAD_BYTES = 4096  # the first line of an entry is far shorter: a longer one is not read as one
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# govlist's content cache; `govlist cache clear` removes it.\n"


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """govlist's version, its code and its schemas: a development install that changes either gets new keys."""
    digest = hashlib.sha256(f"govlist {__version__} cache {FORMAT}".encode())
    package = Path(__file__).parent
    for folder, pattern in ((package, "*.py"), (schema_dir(), "*.json")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def combine(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def cache_root(project_path: Path | None) -> Path | None:
    """Where the cache of a project lives: beside its govlist.yaml (no project file, no cache)."""
    return None if project_path is None else project_path.resolve().parent / CACHE_DIR


def open_cache(project_path: Path | None) -> Cache | None:
    """The cache of the project whose file is `project_path`, keyed by that file's bytes; None without one."""
    root = cache_root(project_path)
    if root is None or project_path is None:  # one is None when the other is
        return None
    try:
        settings = project_path.read_bytes()
    except OSError:
        return None
    return Cache(root, settings)


def clear(root: Path) -> bool:
    """Remove a cache folder; False when there was none. Refuses a folder that is not one (no CACHEDIR.TAG)."""
    if not root.exists():
        return False
    if not (root / "CACHEDIR.TAG").is_file():
        raise UsageError(Text(f"{root} 不是 govlist 缓存目录，未删除", f"{root} is not a govlist cache folder; not removed"))
    try:
        shutil.rmtree(root)
    except OSError as exc:
        raise UsageError(Text(f"无法删除 {root}：{exc.strerror}", f"cannot remove {root}: {exc.strerror}")) from None
    return True


class Cache:
    """One project's cache, for one run: `salt` holds what every key of the run shares (code, schemas, settings)."""

    def __init__(self, root: Path, settings: bytes) -> None:
        self.root = root
        self.dir = root / f"v{FORMAT}"
        self.salt = combine(code_fingerprint(), file_digest(settings))
        self.writable = True
        self._folders: set[Path] = set()  # the folders this run has made or found, where entries are written directly
        self.hits = 0
        self.misses = 0

    def file_key(self, shown: str, digest: str) -> str:
        """The key of one file's entry: the run's salt, the name it is shown under, its bytes (what it was checked
        with of the context files is in the entry: govlist/lookups.py)."""
        return combine(self.salt, "file", shown, digest)

    def _path(self, key: str, suffix: str) -> Path:
        return self.dir / key[:2] / f"{key}{suffix}"

    def _read(self, key: str, suffix: str, version: int = FORMAT) -> dict | None:
        try:
            entry = json.loads(self._path(key, suffix).read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != version or entry.get("key") != key:
            return None  # another version's entry, or one copied under the wrong name: not trusted
        return entry

    def _write(self, key: str, suffix: str, entry: dict, version: int = FORMAT) -> None:
        if not self.writable:
            return
        self._write_bytes(key, suffix, _json({"format": version, "key": key, **entry}))

    def _write_bytes(self, key: str, suffix: str, data: bytes) -> None:
        if not self.writable:
            return
        path = self._path(key, suffix)
        try:
            if not self._folders:  # the first write of this run (or of this worker)
                if not (self.root / "CACHEDIR.TAG").is_file():
                    write_file(self.root / ".gitignore", b"# govlist's content cache\n*\n", shared=True)
                    write_file(self.root / "CACHEDIR.TAG", _TAG, shared=True)
                self._folders.add(self.root)
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            write_file(path, data, shared=True, known=True)
        except OSError:
            self.writable = False  # the folder cannot be made: a read-only checkout
        except (UsageError, ValueError):
            # Another process writing the same entry at the same moment (Windows refuses to replace a file that is
            # open) leaves it there; a read-only checkout or a full disk does not: then run without the cache.
            if not (path.is_file() and (self.root / "CACHEDIR.TAG").is_file()):
                self.writable = False

    # --- one file ---------------------------------------------------------------------------------------------------

    def load_answered(self, context: str) -> dict[str, str]:
        """The files found to get the same answers from the context files as when they were checked (by their keys:
        the digest of those answers), with the context files' data now (`context`: ContextKeys.data)."""
        entry = self._read(combine(self.salt, "answered", context), ".answered.json")
        found = entry.get("answered") if entry is not None else None
        if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
            return {}
        return found

    def store_answered(self, context: str, answered: dict[str, str]) -> None:
        self._write(combine(self.salt, "answered", context), ".answered.json", {"answered": answered})

    def has_file(self, key: str) -> bool:
        """Whether a file's entry is there (not whether it is to be trusted: load_file says that)."""
        return self._path(key, ENTRY).is_file()

    def load_file(self, key: str) -> dict | None:
        """A checked file's entry (its findings, suppressions, header, footprint), checked field by field; None when
        missing or not as written."""
        parts = self._parts(key, 0)
        try:
            return _file_entry(json.loads(parts)) if parts is not None else None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
            return None

    def store_file(self, key: str, entry: dict, doc: Document | None, index: dict | None = None, places: ItemPlaces | None = None) -> str:
        """A checked file's entry; with a valid catalog, its slim record (govlist/index.py) with its item places, and
        its data, all in one file (`<key>.entry`: making a file costs more than writing it, and a catalog repository
        has thousands of small files). Returns the file's footprint (kept in its entry too): what the rules over the
        set see of it (not where its items stand). A catalog every rule sees whole (a context kind: `entry["seen"]`,
        a digest of its data) has that for its footprint."""
        record = _json(index) if index is not None and doc is not None and entry["valid"] else None
        entry = {**entry, "footprint": footprint(key, entry, file_digest(record) if record is not None else entry["seen"] or None)}
        parts = [_json(entry), b"", b""]
        if doc is not None and entry["valid"]:
            if record is not None:
                where = _json(places_json(places)) if places is not None else b"null"
                parts[_RECORD] = b'{"record":%s,"places":%s}' % (record, where)
            parts[_DATA] = _json(_document_parts(doc))
        head = _json({"format": FORMAT, "key": key, "parts": [len(part) for part in parts]})
        self._write_bytes(key, ENTRY, b"\n".join([head, *parts, b""]))
        return entry["footprint"]

    def _parts(self, key: str, wanted: int) -> bytes | None:
        """One part of a file's entry (`_ENTRY`, `_RECORD`, `_DATA`), read alone: the first line names the entry's
        format, its key and the length of each part, which follow it one a line. None when the entry is missing,
        another version's or another key's, or not as long as its first line says (truncated, appended to), or
        when it has no such part."""
        try:
            with open(self._path(key, ENTRY), "rb") as handle:
                head = json.loads(handle.readline(_HEAD_BYTES))
                if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("key") != key:
                    return None  # another version's entry, or one copied under the wrong name: not trusted
                lengths = head.get("parts")
                if not isinstance(lengths, list) or len(lengths) != 3 or not all(type(n) is int and n >= 0 for n in lengths):
                    return None
                start = handle.tell()
                if start + sum(lengths) + len(lengths) != os.fstat(handle.fileno()).st_size or not lengths[wanted]:
                    return None
                handle.seek(start + sum(lengths[:wanted]) + wanted)
                part = handle.read(lengths[wanted])
        except (OSError, ValueError, RecursionError):
            return None
        return part if len(part) == lengths[wanted] else None

    def load_index(self, key: str) -> tuple[dict, ItemPlaces | None] | None:
        """The slim record of a valid catalog's entry and its item places (None when it was stored without), or None
        when missing or not as written."""
        parts = self._parts(key, _RECORD)
        try:
            entry = json.loads(parts) if parts is not None else None
        except (ValueError, RecursionError):
            return None
        if not isinstance(entry, dict):
            return None
        record = entry.get("record")
        if not isinstance(record, dict) or not _is_record(record):
            return None
        try:
            places = None if entry.get("places") is None else places_from_json(entry["places"], record)
        except ValueError:
            return None
        return record, places

    def load_data(self, key: str) -> tuple[object, dict, dict] | None:
        """(data, spans, marks) of a valid catalog's entry, or None when missing or not as written."""
        parts = self._parts(key, _DATA)
        try:
            entry = json.loads(parts) if parts is not None else None
            if not isinstance(entry, dict):
                return None
            spans, marks = _spans(entry["spans"]), _marks(entry["marks"])
            data = entry["data"]
        except (KeyError, TypeError, ValueError, IndexError, RecursionError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            return None
        return data, spans, marks

    # --- the whole set ----------------------------------------------------------------------------------------------

    def load_set(self, key: str) -> SetRuns | None:
        """What the rules over the set found last time, run by run, with each file's bytes (a hash) and footprint
        then, and what each run depends on (govlist/index.py `still_true` says which still hold)."""
        entry = self._read(key, ".set.json")
        if entry is None:
            return None
        try:
            files = {_text(path): _pair(pair) for path, pair in entry["files"].items()}
            runs = [_rule_run(row) for row in entry["runs"]]
            return SetRuns(files, _text(entry["every"]), runs)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def store_set(self, key: str, files: dict[str, tuple[str, str]], every: str, runs: list[RuleRun]) -> None:
        """What the rules over the set found (located problems, before severities), run by run, each with what it
        depends on, and each file's bytes (a hash) and footprint."""
        rows = [
            [
                run.id,
                sorted(run.touched) if run.touched is not None else None,
                [list(run.needs.files), [list(pair) for pair in run.needs.asked]] if run.needs is not None else None,
                [[r, m.zh, m.en, f, line, col, p, item, [list(place[0]), place[1]] if place is not None else None] for (r, m, f, line, col, p, item), place in zip(run.located, run.pointers)],
            ]
            for run in runs
        ]
        self._write(key, ".set.json", {"files": {path: list(pair) for path, pair in files.items()}, "every": every, "runs": rows})


def whole_data(doc: Document) -> bytes:
    """A catalog seen whole (a context kind), as the rules see it: its data."""
    return _json(["whole", doc.data])


def footprint(key: str, entry: dict, record: str | None) -> str:
    """What the rules over the set see of a checked file. A catalog kept as a slim record (govlist/index.py): that
    record, with its name, kind and deferred rules, so that an edit to what they do not read (a 依据, a comment)
    leaves it the same; a catalog of a context kind (seen whole): its data, the same way. Anything else: its key
    (its bytes). Where a rule asks a position in the file, the run notes it (govlist/loader.py `Reads`). `record`: a
    digest of the slim record, or of the data of a context kind."""
    if record is None:
        return key
    return combine("record", entry["shown"], str(entry["kind"]), str(entry["rules_done"]), *entry["deferred"], record)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _rule_run(row: list) -> RuleRun:
    run_id, touched, needs, found = row
    if not isinstance(run_id, str) or not (touched is None or isinstance(touched, list)):
        raise TypeError("not a run")
    located: list[Located] = []
    pointers: list[tuple[tuple, bool] | None] = []
    for *finding, place in found:
        located.append(_located(finding))
        if place is None:
            pointers.append(None)
        else:
            pointer, at_key = place
            if not isinstance(at_key, bool) or not isinstance(pointer, list) or not all(isinstance(part, (str, int)) and not isinstance(part, bool) for part in pointer):
                raise TypeError("not a place")
            pointers.append((tuple(pointer), at_key))
    return RuleRun(run_id, located, pointers, frozenset(_text(path) for path in touched) if touched is not None else None, _needs(needs))


def _pair(value: object) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError("not a file's hash and footprint")
    return _text(value[0]), _text(value[1])


def _needs(value: object) -> Needs | None:
    """What a run depends on, read back (index.Needs); raises on anything not as store_set writes it."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], list) or not isinstance(value[1], list):
        raise TypeError("not what a run needs")
    files, asked = value
    if not all(isinstance(row, list) and len(row) == 2 for row in asked):
        raise TypeError("not what a run needs")
    return Needs(tuple(_text(path) for path in files), tuple((_text(question), _text(digest)) for question, digest in asked))


# --- diff: one entry per file of a side (govlist/diff/sideload.py) -------------------------------------------------


def diff_key(cache: Cache, shown: str, digest: str) -> str:
    """The key of a file's diff entry: the run's salt, the name it is shown under, its bytes."""
    return combine(cache.salt, "diff", shown, digest)


#: where a diff entry's blob of item lines is: in memory, or in its file from an offset on (read a line at a time)
DiffLines = bytes | tuple[Path, int]


def diff_entry(cache: Cache, key: str, keep_below: int = 0) -> tuple[dict, DiffLines] | None:
    """A file's diff entry and its blob of item lines, or None when it is missing or not as written (the entry names
    its key and format, and the blob's length; each line is checked against its digest when read). Both are one file,
    `<key>.diff`: the entry as one line of JSON, then the blob; a blob shorter than `keep_below` is kept in memory,
    a longer one is read a line at a time when needed."""
    path = cache._path(key, ".diff")
    try:
        data = path.read_bytes()
        cut = data.index(b"\n")
        entry = json.loads(data[:cut])
    except (OSError, ValueError, RecursionError):
        return None
    size = len(data) - cut - 1
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key or entry.get("lines", 0) != size:
        return None
    cache.hits += 1
    return entry, (data[cut + 1 :] if size < keep_below else (path, cut + 1))


def store_diff_entry(cache: Cache, key: str, entry: dict, lines: bytes) -> bytes:
    """Keep a file's diff entry and its blob of item lines, in one file (one file to make a file: on thousands of
    small files, making a file costs more than writing it); the entry as written, in JSON, whether or not the cache
    could be written."""
    cache.misses += 1
    text = json.dumps({"format": FORMAT, "key": key, **entry}, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    cache._write_bytes(key, ".diff", text + b"\n" + lines)
    return text


def diff_result(cache: Cache, key: str) -> dict | None:
    """A finished comparison kept under `key` (govlist/diff/stored.py reads it), or None."""
    entry = cache._read(key, ".result.json")
    if entry is not None:
        cache.hits += 1
    return entry


def store_diff_result(cache: Cache, key: str, data: dict) -> None:
    cache._write(key, ".result.json", data)


# --- render: the words a site's titles are cut into (govlist/render.py) ---------------------------------------------


def kept_title_words(cache: Cache, key: str) -> dict[str, list[str]]:
    """The words each title of the last site was cut into, as kept under `key`: only the titles whose words are
    text and make up the title exactly (a tampered entry can move a line break, never put markup in a page)."""
    entry = cache._read(key, ".titles.json")
    titles = entry.get("titles") if entry is not None else None
    if not isinstance(titles, dict):
        return {}
    return {t: w for t, w in titles.items() if isinstance(w, list) and all(isinstance(x, str) and x for x in w) and "".join(w) == t}


def keep_title_words(cache: Cache, key: str, titles: dict[str, list[str]]) -> None:
    cache._write(key, ".titles.json", {"titles": titles})


def finding_row(f: Finding) -> list:
    """A finding as a row of plain data (an entry's findings)."""
    return _finding_row(f)


def finding_from_row(row: list) -> Finding:
    """A finding read back from its row; raises TypeError or ValueError when the row is not one."""
    return _finding(row)


def _is_record(record: object) -> bool:
    """Whether a record read back has the shape make_catalog reads: a catalog's header with its items' lists."""
    if not isinstance(record, dict) or not isinstance(record.get("kind"), str):
        return False
    lists = []
    if record["kind"] == "registry":
        lists.append(record.get("units") or [])
    elif record.get("categories"):
        categories = record["categories"]
        if not isinstance(categories, list) or not all(isinstance(c, dict) for c in categories):
            return False
        lists += [c.get("items") or [] for c in categories]
    else:
        lists.append(record.get("items") or [])
    return all(isinstance(items, list) and all(isinstance(i, dict) for i in items) for items in lists)


def _document_parts(doc: Document) -> dict:
    return {"data": doc.data, "spans": [[list(k), a, b] for k, (a, b) in doc.spans.items()], "marks": [[list(k), list(v), list(w)] for k, (v, w) in doc.marks.items()]}


def _spans(rows: list) -> dict:
    return {tuple(k): (int(a), int(b)) for k, a, b in rows}


def _marks(rows: list) -> dict:
    return {tuple(k): ((int(v[0]), int(v[1])), (int(w[0]), int(w[1]))) for k, v, w in rows}


def file_entry(result) -> dict:
    """The cache entry of a checked file (a govlist.parallel.FileResult)."""
    doc = result.doc
    return {
        "shown": result.shown,
        "kind": result.kind,
        "valid": result.valid,
        "loaded": doc is not None,
        "rules_done": result.rules_done,
        "deferred": list(result.deferred),
        "findings": [_finding_row(f) for f in result.findings],
        "rule_findings": [_finding_row(f) for f in result.rule_findings],
        "suppressions": [[s.line, list(s.rules), s.reason] for s in doc.suppressions] if doc is not None else [],
        "header": {k: v for k, v in doc.data.items() if not isinstance(v, (list, dict))} if result.valid else {},
        "asked": list(result.asked),
        "answers": result.answers,
        "seen": result.seen,
    }


def _finding_row(f: Finding) -> list:
    return [f.rule, int(f.severity), f.message.zh, f.message.en, f.file, f.line, f.column, f.pointer, f.item]


def _finding(row: list) -> Finding:
    rule, severity, zh, en, file, line, column, pointer, item = row
    if not all(isinstance(x, str) for x in (rule, zh, en, file, pointer)) or not (item is None or isinstance(item, str)):
        raise TypeError("not a finding")
    return Finding(rule, Severity(severity), Text(zh, en), file, _number(line), _number(column), pointer, item)


def _located(row: list) -> Located:
    rule, zh, en, file, line, column, pointer, item = row
    if not all(isinstance(x, str) for x in (rule, zh, en, file, pointer)) or not (item is None or isinstance(item, str)):
        raise TypeError("not a finding")
    return (rule, Text(zh, en), file, _number(line), _number(column), pointer, item)


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not a number")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _file_entry(entry: dict) -> dict:
    """An entry read back, checked field by field; raises on anything not as written."""
    out = {
        "shown": str(entry["shown"]),
        "kind": entry["kind"] if isinstance(entry["kind"], str) else None,
        "valid": bool(entry["valid"]),
        "loaded": bool(entry["loaded"]),
        "rules_done": bool(entry["rules_done"]),
        "deferred": tuple(str(r) for r in entry["deferred"]),
        "findings": [_finding(row) for row in entry["findings"]],
        "rule_findings": [_finding(row) for row in entry["rule_findings"]],
        "suppressions": [Suppression(int(line), tuple(str(r) for r in rules), str(reason)) for line, rules, reason in entry["suppressions"]],
        "header": dict(entry["header"]),
        "footprint": _text(entry["footprint"]),
        "context_lines": _text(entry["context_lines"]),
        "context": _text(entry["context"]),
        "asked": tuple(_text(question) for question in entry["asked"]),
        "answers": _text(entry["answers"]),
        "seen": _text(entry["seen"]),
    }
    if out["valid"] and out["kind"] is None:
        raise ValueError("a catalog without a kind")
    return out


def placeholder(doc: Document, header: dict) -> Catalog:
    """A catalog known only by its header (id, kind, title…): enough to count it when nothing had to be checked again."""
    return Catalog(doc, header)
