"""One file at a time: read it, parse it, check its kind and schema (govlist/checker.py), run the rules that need
only it; in worker processes when the set is large.

The workers are started fresh (`spawn`, never `fork`), so this works the same on Windows, macOS and Linux. What
travels is small: each worker receives once the project settings and the few small catalogs that other files' rules
look things up in (registries, entry rules — the *context* kinds), then per file only its path. It reads, parses and
checks that file itself and sends back the located findings, and the document without its bytes for the rules
over the whole set. A catalog rule that reads more of the set than the context (another kind, a list by id) is
stopped by `LocalContext` and left to the main process, which runs it with the whole set.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, make_catalog
from .checker import Collector, check_document, internal_error, locate
from .loader import Document, LoadError, load_file
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

    def __init__(self, project: Project, context_catalogs: list[Catalog]) -> None:
        self._context = context_catalogs
        super().__init__(project, context_catalogs)
        self.catalogs = _Unavailable()

    def of_kind(self, *kinds: str) -> list[Catalog]:
        if not CONTEXT_KINDS.issuperset(kinds):
            raise NeedsWholeSet
        return [c for c in self._context if c.kind in kinds]

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


def check_file(path: Path, shown: str, project: Project, ctx: LocalContext | None, rules: list[Rule], debug: bool = False) -> FileResult:
    """Read, parse and check one file; with `ctx`, also run the catalog rules that need only it and the context."""
    result = read_file(path, shown, project)
    if ctx is not None and result.catalog:
        run_own_rules(result, project, ctx, rules, debug)
    return result


def read_file(path: Path, shown: str, project: Project) -> FileResult:
    """Read and parse one file, check its kind and its schema: the path every file takes (govlist/checker.py)."""
    collector = Collector(project)
    result = FileResult(shown, collector.findings)
    try:
        doc = load_file(path, shown)
    except LoadError as exc:
        collector.add(exc.rule, exc.message, shown, exc.line, exc.column)
        return result
    result.doc = doc
    result.catalog = check_document(doc, collector)
    result.valid = result.catalog is not None
    if isinstance(doc.data, dict) and isinstance(doc.data.get("kind"), str):
        result.kind = doc.data["kind"]
    return result


def run_own_rules(result: FileResult, project: Project, ctx: LocalContext, rules: list[Rule], debug: bool) -> None:
    """The catalog rules over the file's catalog that need nothing beyond it and the context."""
    catalog = result.catalog
    own = Collector(project)
    deferred = []
    for rule_obj in rules:
        if rule_obj.scope != "catalog" or (rule_obj.kinds is not None and catalog.kind not in rule_obj.kinds):
            continue
        located = []
        try:
            for problem in rule_obj.check(catalog, ctx):
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
    result.rule_findings = own.findings
    result.deferred = tuple(deferred)
    result.rules_done = True


def peek_kind(path: Path) -> str | None:
    """The kind a file declares on a top-level `kind:` line near its start, read cheaply (a guess, checked later)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PEEK_BYTES)
    except OSError:
        return None
    match = _KIND_RE.search(head)
    return match.group(1).decode("ascii") if match else None


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_files(jobs_in: list[tuple[Path, str]], project: Project, rules: list[Rule], debug: bool, jobs: int | None) -> list[FileResult]:
    """Check every file on its own, in order. Files that look like a context kind are checked first, here; the
    others in `jobs` worker processes when the set is large enough (None: one per core), else here too."""
    first = [i for i, (path, _) in enumerate(jobs_in) if peek_kind(path) in CONTEXT_KINDS]
    results: list[FileResult | None] = [None] * len(jobs_in)
    for i in first:
        results[i] = read_file(*jobs_in[i], project)
    context = [(jobs_in[i][0], results[i].catalog) for i in first if results[i].catalog and results[i].kind in CONTEXT_KINDS]
    ctx = LocalContext(project, [catalog for _, catalog in context])
    for i in first:  # now the context is known: their own catalog rules
        if results[i].catalog:
            run_own_rules(results[i], project, ctx, rules, debug)
    rest = [i for i in range(len(jobs_in)) if results[i] is None]
    workers = min(default_jobs() if jobs is None else max(1, jobs), len(rest), 61)  # 61: Windows' limit for a pool
    parallel = not debug and workers > 1 and sum(_size(jobs_in[i][0]) for i in rest) >= PARALLEL_MIN_BYTES
    done = _in_workers([jobs_in[i] for i in rest], project, [catalog.doc.without_bytes(path) for path, catalog in context], rules, workers) if parallel else None
    if done is None:
        done = [check_file(*jobs_in[i], project, ctx, rules, debug) for i in rest]
    for i, result in zip(rest, done):
        results[i] = result
    if any(r.kind in CONTEXT_KINDS and r.valid for r in done):  # a context file the peek missed
        for result in results:
            result.rules_done = False
    return results  # type: ignore[return-value]


_WORKER: tuple | None = None  # in a worker process: (project, local context, rules)


def _start_worker(project: Project, context_docs: list[Document], rule_ids: list[str]) -> None:
    global _WORKER
    _WORKER = (project, LocalContext(project, [make_catalog(d) for d in context_docs]), [RULES[i] for i in rule_ids])


def _work(job: tuple[Path, str]) -> FileResult:
    project, ctx, rules = _WORKER  # type: ignore[misc]
    result = check_file(job[0], job[1], project, ctx, rules)
    result.catalog = None  # made again from the document in the main process
    if result.doc is not None:
        result.doc = result.doc.without_bytes(job[0])  # the bytes are read again from the file if a position is asked
    return result


def _in_workers(jobs: list[tuple[Path, str]], project: Project, context_docs: list[Document], rules: list[Rule], workers: int) -> list[FileResult] | None:
    """The files checked in fresh worker processes, largest first, results in the given order; None when no
    worker process can be started here."""
    order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i][0]))
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(project, context_docs, [r.id for r in rules]),
        ) as pool:
            futures = {i: pool.submit(_work, jobs[i]) for i in order}
            return [futures[i].result() for i in range(len(jobs))]
    except (BrokenProcessPool, OSError):
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
