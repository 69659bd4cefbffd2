"""Validate a set of catalog files: load every file, check it against its schema, run the rules over the set.

The core of `govlist validate`: it never prints. A file that cannot be read or parsed becomes a finding and the
other files are still checked. References between files are resolved over the whole set.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

from .catalog import Catalog
from .checker import Collector, check_document, load_project
from .loader import Document, LoadError, Suppression, load_file
from .model import Finding, Text, json_pointer
from .project import PROJECT_FILE, Project
from .result import Report, UsageError
from .ruleset import RULES, Context, Problem, Rule, run_rule
from .sources import discover, display_path

__all__ = ["Report", "UsageError", "discover", "display_path", "load_project", "validate_paths"]  # older import paths



def validate_paths(
    paths: list[Path],
    config: Path | None = None,
    debug: bool = False,
    context: list[Path] | None = None,
    baseline: Path | None = None,
    use_baseline: bool = False,
    today: "date | None" = None,
) -> Report:
    """Validate every catalog file under `paths`. Raises UsageError only for usage problems.

    `context`: more files or folders loaded so that references resolve over the whole set, whose findings are not
    reported (`validate --set`, the pre-commit hook). `use_baseline`: drop the findings the baseline accepts
    (`baseline`, else `.govlist-baseline.yaml` beside the project file when there is one)."""
    enabled = gc.isenabled()
    gc.disable()  # the loaded catalogs are large and acyclic: cyclic-GC passes over them would cost more than the checks
    try:
        return _validate(paths, config, debug, context or [], baseline if use_baseline else None, use_baseline, today)
    finally:
        if enabled:
            gc.enable()


def _validate(paths: list[Path], config: Path | None, debug: bool, context: list[Path], baseline: Path | None, use_baseline: bool, today) -> Report:
    files = discover(paths + context)
    wanted = {p for p in discover(paths)} if context else None
    project, project_findings = load_project(paths, config)
    collector = Collector(project, list(project_findings))
    project_file = project.path.resolve() if project.path else None
    documents: list[Document] = []
    catalogs: list[Catalog] = []
    shown_files: list[str] = []
    to_load = [(path, display_path(path)) for path in files if not (path.resolve() == project_file or (path.name == PROJECT_FILE and project_file is None))]
    for (path, shown), loaded in zip(to_load, _load_all(to_load)):
        shown_files.append(shown)
        if isinstance(loaded, LoadError):
            collector.add(loaded.rule, loaded.message, shown, loaded.line, loaded.column)
            continue
        doc = loaded
        documents.append(doc)
        catalog = check_document(doc, collector)
        if catalog is not None:
            catalogs.append(catalog)
    ctx = Context(project, catalogs)
    rules = [r for r in RULES.values() if r.check is not None and collector.severity(r.id) is not None]
    for located in _run_rules(ctx, rules, debug):
        collector.add(*located)
    findings, suppressed = _apply_suppressions(collector, documents)
    if wanted is not None:  # report only on the files asked about; the context only resolves references
        shown_wanted = {display_path(p) for p in wanted}
        shown_files = [f for f in shown_files if f in shown_wanted]
        findings = [f for f in findings if f.file in shown_wanted or not f.file]
    baselined = 0
    if use_baseline:
        findings, baselined = _apply_baseline(findings, project, baseline, shown_files, today)
    findings.sort(key=Finding.sort_key)
    return Report(findings, shown_files, catalogs, project, suppressed + baselined, baselined)


def _apply_baseline(findings: list[Finding], project: Project, path: Path | None, checked: list[str], today) -> tuple[list[Finding], int]:
    """Drop the findings the baseline accepts; report its expired and unused entries (govlist/baseline.py)."""
    from .baseline import BaselineError, apply_baseline, default_path, expired_message, load_baseline, today as clock, unused_message

    if path is None:
        path = default_path(project.path)
        if project.path is None or not path.is_file():
            return findings, 0
    elif not path.is_file():
        raise UsageError(Text(f"基线文件不存在：{path}", f"baseline file not found: {path}"))
    shown = display_path(path)
    try:
        entries = load_baseline(path, shown)
        on = today or clock()
    except BaselineError as exc:
        raise UsageError(exc.message) from None
    except ValueError:
        raise UsageError(Text("环境变量 GOVLIST_TODAY 应为日期 YYYY-MM-DD", "GOVLIST_TODAY must be a date YYYY-MM-DD")) from None
    applied = apply_baseline(findings, entries, path.parent, checked, on)
    extra = Collector(project)
    for entry in applied.expired:
        extra.add("baseline.expired", expired_message(entry), shown, entry.line, entry.column, "", entry.item)
    for entry in applied.unused:
        extra.add("baseline.unused", unused_message(entry), shown, entry.line, entry.column, "", entry.item)
    return applied.kept + extra.findings, applied.accepted


PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this, starting worker processes costs more than it saves


def _load_one(job: tuple[Path, str]) -> Document | LoadError:
    path, shown = job
    try:
        return load_file(path, shown)
    except LoadError as exc:
        return exc


def _load_in_worker(job: tuple[Path, str]) -> Document | LoadError:
    loaded = _load_one(job)
    return loaded.without_bytes(job[0]) if isinstance(loaded, Document) else loaded


def _load_all(jobs: list[tuple[Path, str]]) -> list[Document | LoadError]:
    """Load every file; a large set is parsed in worker processes (one per core), in the same order."""
    workers = min(os.cpu_count() or 1, len(jobs), 8)
    if workers < 2 or sum(_size(path) for path, _ in jobs) < PARALLEL_MIN_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return [_load_one(job) for job in jobs]
    try:
        # fork: the workers inherit the imported modules, so there is nothing to start up
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_load_in_worker, jobs))
    except (BrokenProcessPool, OSError):  # no processes to be had here: load in this one
        return [_load_one(job) for job in jobs]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


PARALLEL_MIN_ITEMS = 20_000  # below this, forking rule workers costs more than it saves

# (rule id, message, file, line, column, pointer, item code): a problem with its position, ready for the collector
Located = tuple[str, Text, str, int, int, str, "str | None"]

_SHARED: tuple | None = None  # what forked rule workers inherit: (context, rules, shares of the catalogs)


def _run_rules(ctx: Context, rules: list[Rule], debug: bool) -> list[Located]:
    """Run the rules and locate their problems; a large set is split over worker processes by catalog."""
    global _SHARED
    workers = min(os.cpu_count() or 1, 8)
    items = sum(len(c.items) for c in ctx.catalogs)
    if debug or workers < 2 or items < PARALLEL_MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return _check_share(ctx, rules, ctx.catalogs, True, debug)
    _SHARED = (ctx, rules, _balance(ctx.catalogs, workers))
    try:
        # fork: the workers inherit the loaded catalogs as they are; only the located problems travel back
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [located for part in pool.map(_check_in_worker, range(workers)) for located in part]
    except (BrokenProcessPool, OSError):
        return _check_share(ctx, rules, ctx.catalogs, True, debug)
    finally:
        _SHARED = None


def _balance(catalogs: list[Catalog], parts: int) -> list[list[Catalog]]:
    """Split the catalogs into `parts` shares of about equal item counts, the lightest share first."""
    shares: list[list[Catalog]] = [[] for _ in range(parts)]
    weights = [0] * parts
    for catalog in sorted(catalogs, key=lambda c: -len(c.items)):
        lightest = weights.index(min(weights))
        shares[lightest].append(catalog)
        weights[lightest] += len(catalog.items) + 1
    return [shares[i] for i in sorted(range(parts), key=lambda i: weights[i])]


def _check_in_worker(index: int) -> list[Located]:
    ctx, rules, shares = _SHARED
    return _check_share(ctx, rules, shares[index], index == 0, False)  # set rules go with the lightest share


def _check_share(ctx: Context, rules: list[Rule], catalogs: list[Catalog], set_rules: bool, debug: bool) -> list[Located]:
    located: list[Located] = []
    for rule_obj in rules:
        if rule_obj.scope == "set" and not set_rules:
            continue
        try:
            for problem in run_rule(rule_obj, ctx, catalogs):
                located.append(_locate(rule_obj.id, problem))
        except Exception as exc:  # a defect in a rule must not hide the other findings
            if debug:
                raise
            message = Text(f"规则 {rule_obj.id} 内部错误：{exc!r}（请用 --debug 查看并报告）", f"rule {rule_obj.id} failed: {exc!r} (run with --debug and report it)")
            located.append(("internal.error", message, "", 0, 0, "", None))
    return located


def _locate(rule_id: str, problem: Problem) -> Located:
    doc = problem.catalog.doc
    line, column = doc.key_position(problem.pointer) if problem.at_key else doc.position(problem.pointer)
    code = problem.item.code if problem.item is not None else None
    return (rule_id, problem.message, doc.path, line, column, json_pointer(problem.pointer), code)


def _apply_suppressions(collector: Collector, documents: list[Document]) -> tuple[list[Finding], int]:
    """Drop findings that an inline `# govlist: ignore[RULE] 原因：…` covers; report reasonless and unused ones."""
    by_file: dict[str, dict[int, Suppression]] = {d.path: {s.line: s for s in d.suppressions} for d in documents if d.suppressions}
    if not by_file:
        return collector.findings, 0
    kept: list[Finding] = []
    used: set[tuple[str, int]] = set()
    suppressed = 0
    for finding in collector.findings:
        marks = by_file.get(finding.file, {})
        hit = None
        for line in (finding.line, finding.line - 1):
            mark = marks.get(line)
            if mark is not None and mark.reason and (finding.rule in mark.rules or "*" in mark.rules):
                hit = mark
                break
        if hit is None:
            kept.append(finding)
        else:
            used.add((finding.file, hit.line))
            suppressed += 1
    extra = Collector(collector.project)
    for path, marks in by_file.items():
        for mark in marks.values():
            if not mark.reason:
                extra.add(
                    "suppression.reason",
                    Text(f"忽略注释 ignore[{','.join(mark.rules)}] 没有写明原因，不起作用", f"suppression ignore[{','.join(mark.rules)}] gives no reason and has no effect"),
                    path,
                    mark.line,
                    1,
                )
            elif (path, mark.line) not in used:
                extra.add(
                    "suppression.unused",
                    Text(f"忽略注释 ignore[{','.join(mark.rules)}] 没有对应的发现，可以删除", f"suppression ignore[{','.join(mark.rules)}] matches no finding; remove it"),
                    path,
                    mark.line,
                    1,
                )
    return kept + extra.findings, suppressed
