"""One file at a time: read it, parse it, check its kind and schema (govlist/checker.py), run the rules that need
only it; in worker processes when the set is large.

The workers are started fresh (`spawn`, never `fork`), so this works the same on Windows, macOS and Linux. What
travels is small: each worker receives once the project settings and the few small catalogs that other files' rules
look things up in (registries, entry rules — the *context* kinds), then per file only its path. It reads, parses and
checks that file itself and sends back the located findings and, for the rules over the whole set, the file's slim
record (govlist/index.py; or, when whole catalogs are wanted, the document without its bytes). A catalog rule that reads more of the set than the context (another kind, a list by id) is
stopped by `LocalContext` and left to the main process, which runs it with the whole set.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import re
import stat
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .catalog import Catalog, UnitIndex, make_catalog
from .cache import Cache, combine, file_digest, file_entry, placeholder, whole_data
from .checker import Collector, check_document, internal_error, locate
from .index import ItemPlaces, RuleRun, SlimDocument, answer, answer_digest, index_record, item_places, kept_fields, list_run_id, run_ids, slim_catalog, still_true
from .loader import Document, LoadError, Reads, load_bytes, read_file
from .lookups import AskedUnits, answers, kinds_question
from .model import Finding
from .project import Project
from .ruleset import RULES, Context, Rule

#: kinds that catalog rules of other files look things up in; small, so loaded first and given to every worker
CONTEXT_KINDS = frozenset({"registry", "entry-rules"})
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this, starting worker processes costs more than it saves
_KIND_RE = re.compile(rb"^kind:[ \t]*[\"']?([A-Za-z-]+)", re.M)
_PEEK_BYTES = 64 * 1024


class NeedsWholeSet(BaseException):
    """Raised by LocalContext when a rule reads more of the set than one file and the context kinds.

    A BaseException, so that a rule's own `except Exception` cannot swallow it."""


class _Unavailable(list):
    """The set's catalog list as a worker sees it: touching it means the rule needs the whole set."""

    def __iter__(self):
        raise NeedsWholeSet

    def __len__(self) -> int:
        raise NeedsWholeSet

    def __getitem__(self, index):
        raise NeedsWholeSet


class LocalContext(Context):
    """What a rule may look at while one file is checked: the project, the units and the context kinds only."""

    def __init__(self, project: Project, context_catalogs: list[Catalog], noting: bool = True) -> None:
        self._context = context_catalogs
        self._kinds: dict[tuple[str, ...], list[Catalog]] = {}  # its catalogs of some kinds, found once
        self.own_rules: dict[str, tuple[list[Rule], list[Rule]]] = {}  # by kind: (rules, those run on it), `_own_rules`
        #: whether what each file's rules ask of the context is noted, and the answers digested: only what a file's
        #: cache entry keeps needs it (govlist/lookups.py), so not without a cache
        self.noting = noting
        self.asked: set[str] | None = None  # while a list's rules run: what they ask of the context (govlist/lookups.py)
        self._asked_units: AskedUnits | None = None
        self._answered: dict = {}  # what is found of each unit and kind asked about, for `answers`
        super().__init__(project, context_catalogs)
        self.catalogs = _Unavailable()
        self.reads = Reads()  # the context files asked a position of while one file's rules run (run_own_rules)
        for catalog in context_catalogs:
            catalog.doc.reads = self.reads

    @property
    def units(self) -> UnitIndex:
        if self.asked is None:
            return super().units
        if self._asked_units is None:
            self._asked_units = AskedUnits(super().units, self.asked)
        return self._asked_units

    def of_kind(self, *kinds: str) -> list[Catalog]:
        if not CONTEXT_KINDS.issuperset(kinds):
            raise NeedsWholeSet
        if self.asked is not None:
            self.asked.add(kinds_question(kinds))
        return self._of_context_kind(*kinds)

    def _of_context_kind(self, *kinds: str) -> list[Catalog]:
        found = self._kinds.get(kinds)
        if found is None:  # each list's rules ask for the registries: 800 of them in a large repository
            found = self._kinds[kinds] = [c for c in self._context if c.kind in kinds]
        return list(found)  # a list of its own: a rule may change the one it is given

    def ask(self) -> None:
        """Note from now on what the rules ask of the context (`asked`), when it notes that (`noting`)."""
        if self.noting:
            self.asked, self._asked_units = set(), None

    def answers(self, questions: tuple[str, ...]) -> str:
        """A digest of what the context answers to these questions now (govlist/lookups.py); "" when it does not
        note what is asked (`noting`: without a cache, nothing keeps it)."""
        return answers(questions, super().units, self._of_context_kind, self._answered) if self.noting else ""

    def by_id(self, catalog_id: str) -> Catalog | None:
        raise NeedsWholeSet


@dataclass
class FileResult:
    """One file checked on its own. `findings`: reading, parsing, kind and schema; `rule_findings`: the catalog
    rules that needed only the file and the context; `deferred`: the ids of those that need the whole set."""

    shown: str
    findings: list[Finding] = field(default_factory=list)
    doc: Document | None = None  # None when the file could not be read or parsed
    valid: bool = False  # a schema-valid catalog (not the project file)
    catalog: Catalog | None = None  # its catalog, in the process that checked it (not sent between processes)
    kind: str | None = None
    rule_findings: list[Finding] = field(default_factory=list)
    deferred: tuple[str, ...] = ()
    rules_done: bool = False  # checked with a context that held every file of the context kinds
    key: str | None = None  # its content-cache key (govlist/cache.py); None when its bytes could not be read
    digest: str | None = None  # a hash of the bytes as read
    index: dict | None = None  # its slim record (govlist/index.py), for a valid catalog not of a context kind
    footprint: str | None = None  # what the rules over the set see of it (govlist/cache.py `footprint`), with a cache
    places: ItemPlaces | None = None  # where the record's items stand in the file (govlist/index.py)
    context_lines: bool = False  # its rules asked a position in a context file: its findings depend on those lines
    asked: tuple[str, ...] = ()  # what its rules asked of the context files (govlist/lookups.py)
    answers: str = ""  # a digest of the answers they got (govlist/lookups.py)
    seen: str = ""  # of a context kind: a digest of its data, what the other files' rules see of it

    @property
    def is_context(self) -> bool:
        """A schema-valid catalog of a context kind: what other files' rules look things up in, seen whole."""
        return self.valid and self.kind in CONTEXT_KINDS


class ContextKeys(NamedTuple):
    """The context files (registries, entry rules) as a file's cache entry names them. `data`: their names and data
    (a digest of each file's, `FileResult.seen`, kept in its entry): an entry checked with the same is taken
    at once, so that a comment or a moved line in a registry checks that registry again, not every file; an entry
    checked with other data is taken when its rules' questions get the same answers (govlist/lookups.py). A file
    whose rules asked a position in another context file (a message may name its line) also keeps their names and
    bytes (`lines`) in its entry."""

    lines: str
    data: str


@dataclass
class CheckedSet:
    """Every file checked on its own, in order. With a cache: the key under which the rules over the set keep what
    they find (`set_key`), a digest of every file's footprint (`every`), a hash of each file's bytes and its
    footprint (`files`, by the name it is shown under: a kept run that read a file's lines holds only while they are
    the same, one that read its record while that is), the runs kept last time that still hold (`still`; their
    findings in the `changed` files are to be located again), the ids of the runs to run (`again`; None: every
    rule over the set, nothing kept), whether the set entry is to be written again (`stale`), and the context the
    kept runs' questions were asked of (`context`: what the runs over the set take over of it, its unit index)."""

    results: list[FileResult]
    set_key: str | None = None
    every: str = ""
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    still: list[RuleRun] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    again: list[str] | None = None
    stale: bool = False  # the set entry is to be written again
    context: Context | None = None  # the context the runs' questions were asked of, when they were (its unit index)
    fill: dict[int, Callable[[], Catalog]] = field(default_factory=dict)  # by id, the catalogs known by their header
    # alone, each with what fills it with its slim record when a run over the set asks for it (index.run_over_index)


def check_file(path: Path, shown: str, project: Project, ctx: LocalContext | None, rules: list[Rule], debug: bool = False) -> FileResult:
    """Read, parse and check one file; with `ctx`, also run the catalog rules that need only it and the context."""
    result = load_and_check(path, shown, project)
    if ctx is not None:
        run_own_rules(result, project, ctx, rules, debug)
    return result


def load_and_check(path: Path, shown: str, project: Project) -> FileResult:
    """Read and parse one file, check its kind and its schema: the path every file takes (govlist/checker.py)."""
    collector = Collector(project)
    result = FileResult(shown, collector.findings)
    try:
        raw = read_file(path)
        result.digest = file_digest(raw)
        doc = load_bytes(raw, shown)
    except LoadError as exc:
        collector.add(exc.rule, exc.message, shown, exc.line, exc.column)
        return result
    result.doc = doc
    result.catalog = check_document(doc, collector)
    result.valid = result.catalog is not None
    if isinstance(doc.data, dict) and isinstance(doc.data.get("kind"), str):
        result.kind = doc.data["kind"]
    if result.is_context:
        result.seen = file_digest(whole_data(doc))
    return result


def run_own_rules(result: FileResult, project: Project, ctx: LocalContext, rules: list[Rule], debug: bool) -> None:
    """The catalog rules over the file's catalog that need nothing beyond it and the context; none without one."""
    # what its rules ask of the context files, so that an edit to one that changes no answer they got leaves its
    # cache entry valid
    result.asked, result.answers = (), ctx.answers(())
    catalog = result.catalog
    if catalog is None:
        return
    own = Collector(project)
    deferred = []
    ctx.reads.paths = set()
    ctx.ask()
    for rule_obj in _own_rules(ctx, rules, catalog.kind):
        check = rule_obj.check
        assert check is not None  # _own_rules: only rules with a check
        located = []
        try:
            for problem in check(catalog, ctx):
                located.append(locate(rule_obj.id, problem))
        except NeedsWholeSet:
            deferred.append(rule_obj.id)
            continue
        except Exception as exc:  # a defect in a rule must not hide the other findings
            if debug:
                raise
            located.append(internal_error(rule_obj.id, exc))
        for found in located:
            own.add(*found)
    # what the rules kept of this file (keyed by its catalog's id, which a later file's catalog may get once this one
    # is freed) must not answer for another file
    ctx.memo.clear()
    result.context_lines = bool(ctx.reads.paths - {result.shown})  # a context file's own lines are in its key already
    ctx.reads.paths = None
    result.asked = tuple(sorted(ctx.asked or ()))
    result.answers = ctx.answers(result.asked)
    ctx.asked = None
    result.rule_findings = own.findings
    result.deferred = tuple(deferred)
    result.rules_done = True


def _own_rules(ctx: LocalContext, rules: list[Rule], kind: str) -> list[Rule]:
    """Of `rules`, the catalog rules that run on a catalog of this kind, found once per context and kind, not for
    every file: `rules` is one list for every file of a run, told by its identity."""
    found = ctx.own_rules.get(kind)
    if found is None or found[0] is not rules:
        found = ctx.own_rules[kind] = (rules, [r for r in rules if r.scope == "catalog" and r.check is not None and (r.kinds is None or kind in r.kinds)])
    return found[1]


def peek_kind(path: Path) -> str | None:
    """The kind a file declares on a top-level `kind:` line near its start, read cheaply (a guess, checked later)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO would block this open until a writer came; read_file reports it as parse.io
        with open(path, "rb") as handle:
            head = handle.read(_PEEK_BYTES)
    except OSError:
        return None
    return _declared_kind(head)


def _declared_kind(head: bytes) -> str | None:
    match = _KIND_RE.search(head[:_PEEK_BYTES])
    return match.group(1).decode("ascii") if match else None


def default_jobs() -> int:
    """The cores this process may run on."""
    if sys.platform != "win32" and sys.platform != "darwin":  # which have no os.sched_getaffinity
        try:
            return len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # AttributeError: another system without it
            pass
    return os.cpu_count() or 1


def check_files(jobs_in: list[tuple[Path, str]], project: Project, rules: list[Rule], debug: bool, jobs: int | None, cache: Cache | None = None, need_catalogs: bool = True, lazy_context: bool = True) -> CheckedSet:
    """Check every file on its own, in order. Files that look like a context kind are checked first, here; the
    others in `jobs` worker processes when the set is large enough (None: one per core), else here too. With a
    cache, a file whose entry is there is not parsed again, and what the rules over the set found last time is kept
    where it still holds (`CheckedSet`).

    `need_catalogs`: whole catalogs are wanted (render, stats). Without it, a catalog not of a context kind is kept
    only as its slim record (govlist/index.py): the rules over the set read no more, and nothing else needs more;
    an unchanged file's record is read back from the cache's index entry only when a rule over the set must run
    again, else it is known by its header alone. The context files read back are known by their headers too until
    a file must be checked or a rule over the set must run (`lazy_context`)."""
    slim = not need_catalogs
    lazy = slim and cache is not None and lazy_context
    shared: dict = {}  # one object for each repeated text of the slim records (govlist/index.py)
    kept = kept_fields(project)
    # without a cache, every file but the context files goes to the workers: they are started before the files are
    # looked at, on the size of them all, so that their start overlaps that look (2,990 files opened: 0.2 s); a set
    # whose bytes are mostly context files has them parse those (_load_context), or closes them unused
    early = _start_early([path for path, _ in jobs_in], jobs, debug) if cache is None else None
    # with a cache every file is read whole to be hashed: the kind it declares is looked for in those bytes
    looks = [_look(path) for path, _ in jobs_in] if cache is not None else [(None, peek_kind(path)) for path, _ in jobs_in]
    first = [i for i, (_, kind) in enumerate(looks) if kind in CONTEXT_KINDS]
    others = sorted(set(range(len(jobs_in))) - set(first))
    results: dict[int, FileResult] = {}  # by position in jobs_in: the files read back or checked so far
    entries: list[dict | None] = [None] * len(jobs_in)
    digests: list[str | None] = []
    keys = ContextKeys("", "")

    answered: dict[str, str] | None = None  # files found to get the same answers, with the context's data as now

    def look_up(cache: Cache, numbers: list[int]) -> list[tuple[int, str, dict]]:  # these files' cache entries found
        found = []
        for i in numbers:
            if digests[i] is not None:
                key = cache.file_key(jobs_in[i][1], digests[i])  # type: ignore[arg-type]  # not None: above
                entry = _file_entry(cache, key, jobs_in[i][1], keys.lines)
                if entry is not None:
                    found.append((i, key, entry))
        return found

    def sort_out(cache: Cache, found: list[tuple[int, str, dict]], whole: bool) -> list[tuple[int, str, dict]]:
        """Of these cache entries (number, key, entry), those of files checked with the context files' data as it is
        now, or found since to get the same answers from it, are taken; the others are returned."""
        nonlocal answered
        unsure = []
        for i, key, entry in found:
            if entry["context"] != keys.data and entry["asked"]:
                if answered is None:
                    answered = cache.load_answered(keys.data)
                if answered.get(key) != entry["answers"]:
                    unsure.append((i, key, entry))
                    continue
            take(cache, i, key, entry, whole)
        return unsure

    def take(cache: Cache, i: int, key: str, entry: dict, whole: bool) -> None:  # a file's result from its entry
        entries[i] = entry
        # the data of a catalog not of a context kind is read back only when wanted, or (its slim record) when a rule
        # over the set must run again (below)
        from_cache = _from_cache(cache, key, entry, jobs_in[i], need_catalogs or whole, (shared, kept) if slim else None)
        if from_cache is not None:
            cache.hits += 1
            from_cache.digest = digests[i]
            results[i] = from_cache

    def answered_otherwise(cache: Cache, unsure: list[tuple[int, str, dict]]) -> set[int] | None:
        """Of the files checked with other context data (number, key, entry), those whose rules' questions get other
        answers now (govlist/lookups.py); None when the context can no longer be read whole."""
        nonlocal answered
        if not unsure:
            return set()
        if lazy and not whole_context():
            return None
        answered = dict(answered or {})
        otherwise = set()
        for i, key, entry in unsure:
            if local().answers(entry["asked"]) == entry["answers"]:
                answered[key] = entry["answers"]
            else:
                otherwise.add(i)
        if len(otherwise) < len(unsure):
            cache.store_answered(keys.data, answered)
        return otherwise

    def whole_context() -> bool:
        """The context files read back by their headers, made whole (their data read back); False when one's data
        can no longer be read (then the run starts again without `lazy_context`, and checks that file)."""
        for i in first:
            found = results.get(i)
            if cache is not None and found is not None and found.key and found.valid and found.doc is not None and found.doc.data is None:
                whole = _from_cache(cache, found.key, entries[i], jobs_in[i], True) if entries[i] is not None else None  # type: ignore[arg-type]
                if whole is None:
                    return False
                whole.digest = found.digest
                results[i] = whole
        return True

    def again() -> CheckedSet:
        if early is not None:
            early.close()
        return check_files(jobs_in, project, rules, debug, jobs, cache, need_catalogs, lazy_context=False)

    ctx: LocalContext | None = None

    def context() -> list[tuple[Path, Catalog]]:  # the context files checked or read back, with their catalogs
        return [(jobs_in[i][0], found.catalog) for i in first if (found := results[i]).is_context and found.catalog is not None]

    def local() -> LocalContext:  # the context a file's own rules see: every context file, whole
        nonlocal ctx
        if ctx is None:
            ctx = LocalContext(project, [catalog for _, catalog in context()], noting=cache is not None)
        return ctx

    parsed: dict[int, FileResult] = {}  # context files parsed to find what the others see of them
    unsure: list[tuple[int, str, dict]] = []  # context files checked with other context data
    if cache is not None:
        digests = [digest for digest, _ in looks]
        keys = ContextKeys(combine(*(f"{jobs_in[i][1]}:{digests[i]}" for i in first)), "")
        found = look_up(cache, first)  # what every file's rules see of the context files: their data, in their entries
        if len(found) < len(first):  # some context file to check: the workers too, for the others without an entry?
            early = _start_early([jobs_in[i][0] for i in others if digests[i] is not None and not cache.has_file(cache.file_key(jobs_in[i][1], digests[i]))], jobs, debug)  # type: ignore[arg-type]  # not None: tested
        parsed = _load_context(jobs_in, sorted(set(first) - {i for i, _, _ in found}), project, early)
        seen = {i: entry["seen"] for i, _, entry in found} | {i: result.seen for i, result in parsed.items()}
        keys = keys._replace(data=combine("context data", *(f"{jobs_in[i][1]}\0{seen[i]}" for i in first if seen.get(i))))
        unsure = sort_out(cache, found, not lazy)
        for i, key, stored in unsure:  # whole: every file's rules look things up in them
            take(cache, i, key, stored, True)
    fresh_first = [i for i in first if i not in results]
    if (fresh_first or unsure) and lazy and not whole_context():  # their own rules look things up in every one
        return again()
    parsed |= _load_context(jobs_in, [i for i in fresh_first if i not in parsed], project, early)
    for i in fresh_first:
        results[i] = parsed[i]
    if cache is not None and unsure:  # those whose rules get other answers now: their rules run again, on their data
        otherwise = answered_otherwise(cache, [u for u in unsure if u[0] in results])
        if otherwise is None:
            return again()
        fresh_first += sorted(otherwise)
    pending = list(fresh_first)

    def context_rules() -> None:  # now the context is known: their own catalog rules (while the workers work)
        while pending:
            i = pending[0]
            run_own_rules(results[i], project, local(), rules, debug)
            _keep(results[i], cache, keys, kept)
            if slim:
                _slim_down(results[i], cache, jobs_in[i][0], shared, kept)
            del pending[0]  # done: not again if this is called again after an error

    if cache is not None:  # the other files' entries: keyed by their bytes, valid while the context answers what
        # their rules asked of it as it did
        unsure = sort_out(cache, look_up(cache, [i for i in range(len(jobs_in)) if i not in results]), False)
        otherwise = answered_otherwise(cache, unsure)
        if otherwise is None:
            return again()
        for i, key, stored in unsure:
            if i not in otherwise:
                take(cache, i, key, stored, False)
    rest = [i for i in range(len(jobs_in)) if i not in results]
    if rest and lazy and not fresh_first and not whole_context():
        return again()
    workers = min(default_jobs() if jobs is None else max(1, jobs), len(rest), 61)  # 61: Windows' limit for a pool
    parallel = not debug and workers > 1 and sum(_size(jobs_in[i][0]) for i in rest) >= PARALLEL_MIN_BYTES

    def received(n: int, result: FileResult) -> FileResult:  # from a worker, as it comes: the record, not the document
        if slim and result.index is not None and result.catalog is None:
            path = jobs_in[rest[n]][0]
            result.catalog = slim_catalog(_slim_document(result.shown, result.doc.suppressions if result.doc else [], path, cache, result.key, result.places), result.index, shared, kept)
            result.doc = result.catalog.doc
        return result

    def here(n: int) -> FileResult:  # the n-th of `rest` checked in this process: with `slim`, only its record kept
        result = _keep(check_file(*jobs_in[rest[n]], project, local(), rules, debug), cache, keys, kept)
        return _slim_down(result, cache, jobs_in[rest[n]][0], shared, kept) if slim else result

    done = None
    if parallel:
        context_docs = [catalog.doc.without_bytes(path) for path, catalog in context()]
        done = _in_workers([jobs_in[i] for i in rest], (project, context_docs, [r.id for r in rules], cache, keys, slim), workers, received, here, early, context_rules)
    elif early is not None:
        early.close()
    context_rules()  # when no worker took the files
    if done is None:
        done = [here(n) for n in range(len(rest))]  # one at a time
    for i, result in zip(rest, done):
        results[i] = result
    in_order = [results[i] for i in range(len(jobs_in))]
    if any(r.is_context for i, r in enumerate(in_order) if i not in first):  # a context file the peek missed
        for result in in_order:
            result.rules_done = False
    checked = CheckedSet(in_order)
    if cache is not None and all(r.footprint for r in in_order) and all(r.rules_done or not r.valid for r in in_order):
        # the files as read now (they may have changed since they were hashed), each by what the set rules see of it;
        # one entry for the set, in which each run says what it depends on
        checked.set_key = combine(cache.salt, "set")
        checked.every = combine(cache.salt, "set", *(f"{r.shown}\0{r.footprint}" for r in in_order))
        checked.files = {r.shown: (r.digest, r.footprint) for r in in_order if r.key is not None and r.digest is not None and r.footprint is not None}
        set_rules = [r for r in rules if r.scope == "set"]
        wanted = run_ids(project, set_rules, [(r.shown, r.kind, r.deferred) for r in in_order if r.valid])
        last = cache.load_set(checked.set_key)
        asked: dict[tuple[int, str], str | None] = {}
        by_list = {list_run_id(rule_obj.id, path): rule_obj.by_list for rule_obj in set_rules if rule_obj.by_list is not None for path in checked.files}
        answering: list[Context] = []
        footprints = {path: footprint for path, (_, footprint) in checked.files.items()}

        def ask(run_id: str, question: str) -> str | None:  # what the set answers now (index.Needs)
            rule_by_list = by_list.get(run_id)  # a run list by list asked the rule's questions, any other its context's
            memo = (id(rule_by_list), question)
            if memo not in asked:
                if not answering:  # the slim catalogs, the headers read back, the context files whole
                    answering.append(Context(project, [r.catalog for r in in_order if r.valid and r.catalog is not None]))
                named = tuple(rule_by_list.answer(answering[0], question)) if rule_by_list is not None else answer(answering[0], question)
                asked[memo] = answer_digest(named, footprints) if named is not None else None
            return asked[memo]

        if last is not None and last.every != checked.every and lazy:  # runs list by list may hold: ask the context
            if not whole_context():
                return again()
            checked.results = in_order = [results[i] for i in range(len(jobs_in))]
        answerable = slim and all(r.catalog is not None for r in in_order if r.valid)  # whole catalogs: not asked
        checked.still, checked.again, checked.changed = still_true(last, wanted, checked.files, checked.every, ask if answerable else None)
        checked.stale = last is None or last.every != checked.every or bool(checked.again or checked.changed)
        checked.context = answering[0] if answering else None
    if lazy and (checked.again != [] or not all(r.rules_done or not r.valid for r in in_order)):  # the rules over the set see the context whole
        if not whole_context():
            return again()
        checked.results = in_order = [results[i] for i in range(len(jobs_in))]
    if slim and cache is not None and checked.again != []:  # a rule over the set runs: each catalog it asks for is
        # filled with its slim record then (index.run_over_index), the others stay known by their header

        def fill(i: int) -> Catalog:
            entry = entries[i]
            filled = _from_cache(cache, in_order[i].key, entry, jobs_in[i], True, (shared, kept)) if in_order[i].key and entry else None  # type: ignore[arg-type]  # cache: not None
            if filled is None:  # its record is gone or damaged since it was looked at: check the file again
                filled = _slim_down(_keep(check_file(*jobs_in[i], project, local(), rules, debug), cache, keys, kept), cache, jobs_in[i][0], shared, kept)
                checked.set_key = None  # its footprint was read from an entry that is no longer to be trusted
            return filled.catalog if filled.catalog is not None else in_order[i].catalog  # type: ignore[return-value]  # changed while it ran: its header

        for i, result in enumerate(in_order):
            if result.valid and result.kind not in CONTEXT_KINDS and result.doc is not None and result.doc.data is None and result.catalog is not None:
                checked.fill[id(result.catalog)] = functools.partial(fill, i)
    return checked


#: context files of at least this many bytes in all are parsed by the workers started early too (`_load_context`)
CONTEXT_SHARED_BYTES = 1024 * 1024
#: the most bytes of context files given to a worker as one task: small, so that the main process, which parses
#: batches from the last back, and the workers finish together
CONTEXT_BATCH_BYTES = 64 * 1024


def _load_context(jobs_in: list[tuple[Path, str]], numbers: list[int], project: Project, early: Spawned | None) -> dict[int, FileResult]:
    """The context files `numbers` read, parsed and checked (`load_and_check`), by number. Every worker needs them
    whole before it checks a list, so that parse was serial, with the workers up and idle: when they were started
    early (`early`) and the files are many, they parse batches of them too, largest first, a few at a time, while
    this process parses batches from the last back. A worker gives back each file's result without its catalog,
    made again here; a batch it could not give back (it failed, or died) is parsed here. (No task is cancelled:
    Python 3.11's pool, when a worker dies, fails on a cancelled task in its own thread, with a traceback.)"""
    jobs = [jobs_in[i] for i in numbers]
    sizes = [_size(path) for path, _ in jobs] if early is not None else []
    if early is None or sum(sizes) < CONTEXT_SHARED_BYTES:
        return {i: load_and_check(*job, project) for i, job in zip(numbers, jobs)}
    batches = deque(_batches(sizes, CONTEXT_BATCH_BYTES))
    loaded: dict[int, FileResult] = {}
    given: dict[Future, list[int]] = {}  # the batches a worker has, by their task

    def here(batch: list[int]) -> None:
        for n in batch:
            loaded[numbers[n]] = load_and_check(*jobs[n], project)

    def take(future: Future) -> None:  # a worker's batch, once done
        batch = given.pop(future)
        try:
            results: list[FileResult] = future.result()
        except Exception:  # BrokenProcessPool (a worker died), or the batch failed there: parsed here, as with --jobs 1
            here(batch)
            return
        for n, result in zip(batch, results):
            result.catalog = make_catalog(result.doc) if result.valid and result.doc is not None else None
            loaded[numbers[n]] = result

    feeding = True
    while batches:
        while feeding and batches and len(given) < 2 * early.workers:  # each worker: one to parse, one waiting
            try:
                future = early.pool.submit(_load_batch, [jobs[n] for n in batches[0]], project)
            except (BrokenProcessPool, RuntimeError):  # no worker to be had (RuntimeError: the pool was shut down)
                feeding = False
                break
            given[future] = batches.popleft()
        if batches:
            here(batches.pop())
        for future in [f for f in given if f.done()]:
            take(future)
    for future in list(given):
        take(future)
    return loaded


def _load_batch(jobs: list[tuple[Path, str]], project: Project) -> list[FileResult]:
    """In a worker process: context files read, parsed and checked (`load_and_check`), for `_load_context`; each
    result without its catalog (made again in the main process) and its document without its bytes."""
    gc.disable()  # as in _start_worker: the documents are acyclic, and collecting over them costs more than parsing
    done = []
    for path, shown in jobs:
        result = load_and_check(path, shown, project)
        if result.catalog is not None:
            result.catalog.items.clear()  # its items point back at it: a cycle, kept while the cyclic GC is off
        result.catalog = None
        if result.doc is not None:
            result.doc = result.doc.without_bytes(path)
        done.append(result)
    return done


def _look(path: Path) -> tuple[str | None, str | None]:
    """A hash of the file's bytes and the kind it declares near its start (peek_kind), from one read; None for what
    cannot be read."""
    try:
        raw = read_file(path)
    except LoadError:
        return None, None
    return file_digest(raw), _declared_kind(raw)


def _file_entry(cache: Cache, key: str, shown: str, lines: str) -> dict | None:
    """A file's cache entry, or None when it is missing or not to be trusted, or when its rules asked positions in
    the context files and those have other bytes now (`lines`)."""
    entry = cache.load_file(key)
    return entry if entry is not None and entry["shown"] == shown and entry["context_lines"] in ("", lines) else None


def _from_cache(cache: Cache, key: str, entry: dict, job: tuple[Path, str], need_data: bool, slim: tuple[dict, frozenset[str]] | None = None) -> FileResult | None:
    """A file's result from its cache entry; None when its data is needed and is missing or not to be trusted.
    With `slim` (the values shared, the fields kept), a catalog not of a context kind is read back as its slim
    record (govlist/index.py)."""
    doc = Document(job[1], None, b"", entry["suppressions"], job[0]) if entry["loaded"] else None
    catalog = None
    if entry["valid"]:
        if doc is None:  # a catalog always has its document: an entry that says otherwise is not to be trusted
            return None
        if need_data and slim is not None and entry["kind"] not in CONTEXT_KINDS:
            indexed = cache.load_index(key)
            if indexed is not None:
                record, places = indexed
            else:
                found = cache.load_data(key)
                if found is None:
                    return None
                record, places = index_record(found[0], slim[1]), None  # type: ignore[arg-type]  # load_data checks it is a mapping
            if record.get("kind") != entry["kind"]:
                return None
            catalog = slim_catalog(_slim_document(job[1], entry["suppressions"], job[0], cache, key, places), record, *slim)
            doc = catalog.doc
        elif need_data:
            found = cache.load_data(key)
            if found is None:
                return None
            doc.data, doc.spans, doc.marks = found
            catalog = make_catalog(doc)
        else:
            catalog = placeholder(doc, entry["header"])
    return FileResult(job[1], entry["findings"], doc, entry["valid"], catalog, entry["kind"], entry["rule_findings"], entry["deferred"], entry["rules_done"], key, footprint=entry["footprint"], seen=entry["seen"])


def _keep(result: FileResult, cache: Cache | None, keys: ContextKeys, kept: frozenset[str]) -> FileResult:
    """Store a freshly checked file's result in the cache, under the key of the bytes it was checked from, with the
    context it was checked with (and what its rules asked of it) in its entry, and its slim record and data."""
    if cache is not None and result.digest is not None:
        result.key = cache.file_key(result.shown, result.digest)  # its entry says what its rules asked of the context
        cache.misses += 1
        entry = {**file_entry(result), "context_lines": keys.lines if result.context_lines else "", "context": keys.data}
        result.footprint = cache.store_file(result.key, entry, result.doc, _record(result, kept), result.places)
    return result


def _record(result: FileResult, kept: frozenset[str]) -> dict | None:
    """The slim record of a checked file, with its items' places: a valid catalog not of a context kind (those are
    kept whole)."""
    if result.index is None and _recorded(result):
        doc = result.doc
        assert doc is not None and isinstance(doc.data, dict)  # _recorded: tested
        result.index = index_record(doc.data, kept)
        result.places = item_places(doc.data, doc.spans, result.digest)
    return result.index


def _recorded(result: FileResult) -> bool:
    """Whether a checked file is kept as a slim record: a valid catalog not of a context kind, with its data."""
    return result.valid and result.kind not in CONTEXT_KINDS and result.doc is not None and isinstance(result.doc.data, dict)


def _slim_down(result: FileResult, cache: Cache | None, path: Path, shared: dict, kept: frozenset[str]) -> FileResult:
    """Keep of a checked file only its slim record; its document goes (read again if a position is asked)."""
    if cache is None and result.index is None and _recorded(result):  # no record to keep or send: the document's
        # own data is cut down in place, in the same pass that makes its slim items (one copy of each item, not two)
        doc = result.doc
        assert doc is not None and isinstance(doc.data, dict)  # _recorded: tested
        result.places = item_places(doc.data, doc.spans, result.digest)
        if result.catalog is not None:
            result.catalog.items.clear()  # its items point back at it: a cycle, kept while the cyclic GC is off
        result.catalog = slim_catalog(_slim_document(result.shown, doc.suppressions, path, None, None, result.places), doc.data, shared, kept, cut=True)
        result.doc = result.catalog.doc
        return result
    record = _record(result, kept)
    if record is not None:
        if result.catalog is not None:
            result.catalog.items.clear()  # its items point back at it: a cycle, kept while the cyclic GC is off
        suppressions = result.doc.suppressions if result.doc is not None else []
        result.catalog = slim_catalog(_slim_document(result.shown, suppressions, path, cache, result.key, result.places), record, shared, kept)
        result.doc = result.catalog.doc
    return result


def _slim_document(shown: str, suppressions: list, path: Path, cache: Cache | None, key: str | None, places: ItemPlaces | None) -> SlimDocument:
    """A slim catalog's document: a position in an item is found from the item's lines (`places`), any other from
    its whole document, read back from the cache's data entry, else parsed again."""
    if cache is not None and key is not None:
        return SlimDocument(shown, suppressions, path, lambda: cache.load_data(key), places)
    return SlimDocument(shown, suppressions, path, lambda: None, places)


_WORKER: tuple[Project, LocalContext, list[Rule], Cache | None, ContextKeys, bool] | None = None  # in a worker process: (project, local context, rules, cache, context keys, slim)
#: the most bytes of files sent to a worker as one task (a larger file goes alone): a task and its answer cost about
#: as much as checking a few KB (pickled, sent, a result pickled back), and a catalog repository holds thousands of
#: small files; a worker holds what it found of a whole batch until it is sent back
BATCH_BYTES = 256 * 1024


def _start_worker(project: Project, context_docs: list[Document], rule_ids: list[str], cache: Cache | None, keys: ContextKeys, slim: bool) -> None:
    global _WORKER
    # As in the main process (validate.py): the documents are large and acyclic, and the cyclic collector's passes
    # over them made a worker 1.7x slower than the main process on the same files. What a batch of files leaves
    # behind is collected before the next (`_work_batch`), past the objects frozen here (modules, schemas, the context).
    gc.disable()
    ctx = LocalContext(project, [make_catalog(d) for d in context_docs], noting=cache is not None)
    ctx.units  # noqa: B018  # the unit index too, which a context makes when first asked: before the freeze
    _WORKER = (project, ctx, [RULES[i] for i in rule_ids], cache, keys, slim)
    gc.freeze()  # after the context is made: else every collection between batches walks it again (every registry unit)


def _work_batch(jobs: list[tuple[Path, str]]) -> list[FileResult | None]:
    """A batch of files checked in a worker, each as `_work` does; None for a file whose check failed here (an error
    that is no finding): the main process checks that one again itself, and the others' results are kept."""
    # whatever cycles the previous batch left: a collection of the young generations, which looks only at what was
    # made since the last one. A full collection (as until session 13) also walked every cache the rules fill as they
    # go (a text's answer kept by text, the names normalised): 8 ms a batch at the end of the synthetic set, 10% of a
    # worker's time, for no cycle found in any batch. What survives moves to the oldest generation, left alone.
    gc.collect(1)
    done: list[FileResult | None] = []
    for job in jobs:
        try:
            done.append(_work(job))
        except Exception:  # told to the main process, which checks the file again as --jobs 1 does
            done.append(None)
            if _WORKER is not None:  # what the failed file's rules began must not answer for the next (as run_own_rules)
                _WORKER[1].memo.clear()
                _WORKER[1].asked = _WORKER[1].reads.paths = None
    return done


def _work(job: tuple[Path, str]) -> FileResult:
    if _WORKER is None:
        raise RuntimeError("_work runs only in a worker process that _start_worker set up")
    project, ctx, rules, cache, keys, slim = _WORKER
    kept = kept_fields(project)
    result = _keep(check_file(job[0], job[1], project, ctx, rules), cache, keys, kept)
    if result.catalog is not None:
        result.catalog.items.clear()  # its items point back at it: a cycle that would outlive the file until a full GC
    result.catalog = None  # made again in the main process: from the slim record, or from the document
    if not slim:
        result.index = result.places = None  # kept in the cache; the main process wants the document
    if result.doc is not None:
        if slim and _record(result, kept) is not None:  # only the record goes back, and the suppressions
            result.doc = Document(result.doc.path, None, b"", result.doc.suppressions, job[0])
        else:
            result.doc = result.doc.without_bytes(job[0])  # the bytes are read again from the file if a position is asked
    return result


def _batches(sizes: list[int], limit: int) -> list[list[int]]:
    """The positions of the files, largest first (so that the workers finish together), cut into batches of at most
    `limit` bytes (a larger file alone)."""
    batches: list[list[int]] = []
    held = limit
    for n in sorted(range(len(sizes)), key=lambda n: -sizes[n]):
        if held + sizes[n] > limit or not batches:
            batches.append([])
            held = 0
        batches[-1].append(n)
        held += sizes[n]
    return batches


def _in_workers(
    jobs: list[tuple[Path, str]],
    setup: tuple[Project, list[Document], list[str], Cache | None, ContextKeys, bool],
    workers: int,
    received: Callable[[int, FileResult], FileResult],
    here: Callable[[int], FileResult],
    started: Spawned | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[FileResult] | None:
    """The files checked in fresh worker processes, a batch of them at a time (`BATCH_BYTES`), largest first,
    results in the given order, each passed through `received` as it comes; None when no worker process can be
    started here. A file whose check failed in a worker, and the files a worker that died did not answer for, are
    checked here (`here(n)`), so that what the others found is kept and what the run reports is as with --jobs 1.
    `started`: the worker processes, when they were started before (`_start_early`); `meanwhile()` runs here once
    they have their work."""
    sizes = [_size(path) for path, _ in jobs]
    batches = _batches(sizes, BATCH_BYTES)
    got: dict[int, FileResult] = {}

    def batch_received(b: int, results: list[FileResult | None]) -> None:
        for n, result in zip(batches[b], results):
            if result is not None:
                got[n] = received(n, result)

    done = run_spawned(_work_batch, [([jobs[n] for n in batch],) for batch in batches], workers, [sum(sizes[n] for n in batch) for batch in batches], _start_worker, setup, batch_received, started, meanwhile)
    if done is None and not got:
        return None
    return [got[n] if n in got else here(n) for n in range(len(jobs))]


def _start_early(paths: list[Path], jobs: int | None, debug: bool) -> Spawned | None:
    """The worker processes, started before the context files are checked here, when the other files will go to
    them (`paths`: those to be checked, as check_files decides it; with a cache, those without an entry): their
    start overlaps that work. None when they will not be wanted, or cannot be started."""
    workers = min(default_jobs() if jobs is None else max(1, jobs), len(paths), 61)
    if debug or workers < 2 or sum(_size(path) for path in paths) < PARALLEL_MIN_BYTES:
        return None
    return start_workers(workers)


#: what workers are set up with, larger than this, goes to them through a temporary file (`Spawned.run`)
SETUP_INLINE_BYTES = 32 * 1024


class SetupFailed(RuntimeError):
    """A worker process could not be set up (`Spawned.run`): the work is done in the main process instead."""


class Spawned:
    """Worker processes started fresh (`spawn`), at once: their start (an interpreter, govlist's imports: about
    0.2 s each) runs while this process goes on with other work — check_files checks the context files meanwhile.
    `run` then gives them their work, and with each task what they are to be set up with (`_set_up_and_run`)."""

    def __init__(self, workers: int) -> None:
        self.workers = min(workers, 61)  # 61: Windows' limit for a pool
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        for _ in range(self.workers):  # a pool starts a process for a task when none is idle: every one, now
            self.pool.submit(_ready)  # which imports govlist in each at once, not when its first work comes

    def run(
        self,
        func: Callable,
        jobs: list[tuple],
        sizes: list[int],
        initializer: Callable | None = None,
        initargs: tuple = (),
        received: Callable[[int, Any], Any] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list | None:
        """`func(*job)` for every job, largest first by `sizes`, the results in the given order; None when the
        workers cannot do it (one died, or could not be set up, or no temporary file was to be had). Each worker
        runs `initializer(*initargs)` once, before its first job. `meanwhile()` runs here once every job is given
        to the workers, before the results are taken. The workers leave when it returns.

        `initargs` is pickled once, here. When it is large (the context documents) the workers read it from a
        temporary file, removed when they are done; only its name goes with each task. (Given to each process as
        it is started, it would be written down a pipe that the new process reads only once its interpreter is up
        and govlist imported, and the next process would not be started until then: the workers would start one
        after the other, each pickled again.)"""
        order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
        shared: bytes | str | None = None
        try:
            setup = shared = worker_setup(initializer, initargs)  # OSError (no temporary file to be had): done here
            futures = {i: self.submit(setup, func, *jobs[i]) for i in order}
            if meanwhile is not None:
                _handing_out(meanwhile)
            position = {future: i for i, future in futures.items()}
            done: dict[int, object] = {}
            for future in as_completed(position):
                n = position[future]
                done[n] = future.result() if received is None else received(n, future.result())
            return [done[i] for i in range(len(jobs))]
        except (BrokenProcessPool, OSError, SetupFailed):
            return None
        finally:
            # every task is done (or none will be): the workers end (their interpreters' exit, 0.04-0.05 s on the
            # synthetic set and the copies) while this process goes on to the rules over the set
            self.close(wait=False)
            drop_setup(shared)

    def submit(self, setup: bytes | str, func: Callable, *job: object) -> Future:
        """`func(*job)` given to a worker, which first sets itself up as `setup` (worker_setup) says, once."""
        return self.pool.submit(_set_up_and_run, setup, func, *job)

    def close(self, wait: bool = True) -> None:
        """The workers leave (once they are done with what they were given), their processes waited for, or (`wait`
        False) left to end while this process goes on: the pool's own thread waits for them, and the interpreter for
        it when it exits."""
        self.pool.shutdown(wait=wait, cancel_futures=True)


def _handing_out(meanwhile: Callable[[], None]) -> None:
    """`meanwhile()` run here while the pool's threads hand the tasks just given to the workers: with the GIL's switch
    interval short, so that those threads (they pickle each task and write it down a pipe, taking the GIL for each
    step) do not wait 5 ms for it at every step while this thread checks files (the context files' own rules, 0.2 s
    at 805 registries): the workers got their first task 0.13-0.2 s after it was given, idle meanwhile."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0002))
    try:
        meanwhile()
    finally:
        sys.setswitchinterval(interval)


def worker_setup(initializer: Callable | None, initargs: tuple) -> bytes | str:
    """What worker processes are set up with (`Spawned.submit`): `(initializer, initargs)` pickled once, here; when it
    is larger than SETUP_INLINE_BYTES, the name of a temporary file holding it, which drop_setup removes once the
    workers are done. OSError when no temporary file is to be had."""
    pickled = pickle.dumps((initializer, initargs), pickle.HIGHEST_PROTOCOL)
    if len(pickled) <= SETUP_INLINE_BYTES:
        return pickled
    handle, name = tempfile.mkstemp(prefix="govlist-", suffix=".setup")
    try:
        with open(handle, "wb") as out:
            out.write(pickled)
    except OSError:
        drop_setup(name)
        raise
    return name


def drop_setup(setup: bytes | str | None) -> None:
    """The temporary file of a worker_setup removed, if it made one."""
    if isinstance(setup, str):
        try:
            os.remove(setup)
        except OSError:  # left in the temporary folder, as any temporary file of a killed program
            pass


def start_workers(workers: int) -> Spawned | None:
    """`workers` worker processes started now (`Spawned`); None when no process can be started here."""
    try:
        return Spawned(workers)
    except (BrokenProcessPool, OSError):
        return None


def run_spawned(
    func: Callable,
    jobs: list[tuple],
    workers: int,
    sizes: list[int],
    initializer: Callable | None = None,
    initargs: tuple = (),
    received: Callable[[int, Any], Any] | None = None,
    started: Spawned | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list | None:
    """`func(*job)` for every job in `workers` fresh (spawned) processes (or in those `started` earlier), largest
    first by `sizes`, the results in the given order; None when no worker process can be started here or a worker
    died. `initializer(*initargs)` runs once in each; `received(i, result)`, when given, as each result comes (to
    make it small before the others arrive); `meanwhile()`, when given, once the workers have their jobs."""
    spawned = started if started is not None else start_workers(workers)
    return None if spawned is None else spawned.run(func, jobs, sizes, initializer, initargs, received, meanwhile)


def _ready() -> None:
    """The task every worker process is started with (`Spawned`): unpickling it imports this module, and with it
    govlist's checks and rules, while the main process still finds and parses the context files. (A builtin such
    as `int` would start the process and import nothing: the imports, ≈ 0.3 s, would wait for the first work.)"""


_SET_UP: bytes | str | None = None  # in a worker process: what it was set up with (`_set_up_and_run`)


def _set_up_and_run(setup: bytes | str, func: Callable, *job: object) -> object:
    """In a worker process: `func(*job)`, once the worker is set up as `setup` says — the pickled initializer and
    its arguments, or the name of a file of them (`Spawned.run`); done on the first task that names it."""
    global _SET_UP
    if setup != _SET_UP:
        try:
            initializer, initargs = _unpickled(setup)
            if initializer is not None:
                initializer(*initargs)
        except Exception as exc:
            raise SetupFailed(repr(exc)) from None
        _SET_UP = setup
    return func(*job)


def _unpickled(setup: bytes | str) -> tuple:
    """What a worker is set up with (`_set_up_and_run`), unpickled with the cyclic GC off: the context documents
    (7.5 MB at 805 registries) made it pass over them again and again, 3x the unpickling's own time, before the
    worker took its first file. The initializer decides about the GC after (`_start_worker` turns it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if isinstance(setup, str):
            with open(setup, "rb") as handle:
                return pickle.loads(handle.read())
        return pickle.loads(setup)
    finally:
        if enabled:
            gc.enable()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
