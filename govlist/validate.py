"""Validate a set of catalog files: load every file, check it against its schema, run the rules over the set.

The core of `govlist validate`: it never prints. A file that cannot be read or parsed becomes a finding and the
other files are still checked. References between files are resolved over the whole set.
"""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from .catalog import Catalog, make_catalog
from .cache import open_cache
from .index import is_slim, locate_again, run_over_index, run_whole, whole_catalog
from .checker import Collector, load_project, run_rules
from .loader import Document
from .model import Finding, Text
from .parallel import check_files
from .project import PROJECT_FILE, Project, find_project_file
from .result import Report, UsageError
from .ruleset import RULES, Context
from .sources import discover, display_path, display_paths, excluded_by_project
from .suppress import apply_suppressions

__all__ = ["Report", "UsageError", "discover", "display_path", "load_project", "validate_paths"]  # older import paths


def validate_paths(
    paths: list[Path],
    config: Path | None = None,
    debug: bool = False,
    context: list[Path] | None = None,
    baseline: Path | None = None,
    use_baseline: bool = False,
    today: "date | None" = None,
    jobs: int | None = None,
    cache: bool = True,
    need_catalogs: bool = True,
) -> Report:
    """Validate every catalog file under `paths`. Raises UsageError only for usage problems.

    `context`: more files or folders loaded so that references resolve over the whole set, whose findings are not
    reported (`validate --set`, the pre-commit hook). `use_baseline`: drop the findings the baseline accepts
    (`baseline`, else `.govlist-baseline.yaml` beside the project file when there is one). `jobs`: worker processes
    (None: one per core available; 1: none), see govlist/parallel.py. `cache`: use the project's content cache
    (govlist/cache.py). `need_catalogs=False`: the report's catalogs may hold only their headers or slim records
    (govlist/index.py; validate needs no more), so that the main process never holds every document and an
    unchanged set is not read back from the cache."""
    enabled = gc.isenabled()
    gc.disable()  # the loaded catalogs are large and acyclic: cyclic-GC passes over them would cost more than the checks
    try:
        return _validate(paths, config, debug, context or [], baseline if use_baseline else None, use_baseline, today, jobs, cache, need_catalogs)
    finally:
        if enabled:
            gc.enable()


def project_context(paths: list[Path]) -> list[Path]:
    """The folder of the project (the nearest govlist.yaml) when files are named: a file inside a project is judged
    with its project, so that references and the rules across lists see the whole set, as `--set` does. A named
    folder is a set of its own (examples/adjustment keeps two versions under one project file)."""
    files = [p for p in paths if not p.is_dir()]
    project_file = find_project_file(files[0]) if files else None
    return [project_file.parent] if project_file is not None else []


def _validate(paths: list[Path], config: Path | None, debug: bool, context: list[Path], baseline: Path | None, use_baseline: bool, today, jobs: int | None, use_cache: bool, need_catalogs: bool) -> Report:
    if context:  # --set: PATHS are the changed files (the pre-commit hook names each one), the project's exclude: applies
        kept = [p for p in paths if p.is_dir() or not excluded_by_project(p, config)]
        if paths and not kept:  # only files that are not catalogs changed: nothing to check, nothing wrong
            project, project_findings = load_project(paths, config)
            return Report(list(project_findings), [], [], project)
        paths = kept
    context = context or project_context(paths)
    files = discover(paths + context, config)
    wanted = {p for p in discover(paths, config)} if context else None
    if not [p for p in (wanted if wanted is not None else files) if p.name != PROJECT_FILE]:
        shown = "、".join(display_path(p) + ("/" if p.is_dir() else "") for p in paths)
        shown_en = ", ".join(display_path(p) + ("/" if p.is_dir() else "") for p in paths)
        raise UsageError(
            Text(
                f"{shown} 中没有清单文件（.yaml 或 .yml；隐藏的文件和目录、govlist.yaml 的 exclude: 排除的文件不算），没有检查任何内容",
                f"no catalog file in {shown_en} (.yaml or .yml; hidden files and folders, and the files exclude: in govlist.yaml leaves out, do not count): nothing was checked",
            )
        )
    project, project_findings = load_project(paths, config)
    collector = Collector(project, list(project_findings))
    project_file = project.path.resolve() if project.path else None

    def is_project_file(path: Path) -> bool:  # only a file of its name, or a link, can be it: the others need no resolve
        if project_file is None:
            return path.name == PROJECT_FILE
        return (path.name == project_file.name or path.is_symlink()) and path.resolve() == project_file

    loaded = [path for path in files if not is_project_file(path)]
    to_load = list(zip(loaded, display_paths(loaded)))
    rules = [r for r in RULES.values() if r.check is not None and r.scope != "changes" and collector.severity(r.id) is not None]
    cache = open_cache(project.path) if use_cache and not debug else None
    checked = check_files(to_load, project, rules, debug, jobs, cache, need_catalogs)
    results = checked.results
    documents: list[Document] = []
    catalogs: list[Catalog] = []
    rechecked: list[tuple[Catalog, tuple[str, ...]]] = []
    context_complete = all(r.rules_done or not r.valid for r in results)
    for result in results:
        collector.findings.extend(result.findings)
        if result.doc is not None:
            documents.append(result.doc)
        if result.valid:
            catalog = result.catalog or make_catalog(result.doc)  # type: ignore[arg-type]
            catalogs.append(catalog)
            if context_complete:
                collector.findings.extend(result.rule_findings)
                if result.deferred:
                    rechecked.append((catalog, result.deferred))
    if context_complete:  # the rules over the set and the deferred catalog rules, run by run, where they must run
        only = set(checked.again) if checked.again is not None else None
        set_rules = [r for r in rules if r.scope == "set"]
        if checked.fill or any(is_slim(c) for c in catalogs):  # over the slim records (govlist/index.py), filled when asked for
            footprints = {path: footprint for path, (_, footprint) in checked.files.items()} if checked.set_key is not None else None
            runs = run_over_index(project, catalogs, set_rules, rechecked, debug, RULES, only, footprints, checked.context, checked.fill)
        else:
            runs = run_whole(Context(project, catalogs), set_rules, rechecked, debug, RULES, only)
        if checked.changed:  # files changed only where the rules over the set do not look: their findings moved at most
            locate_again(checked.still, checked.changed, {r.shown: r.doc for r in results if r.doc is not None})
        runs = checked.still + runs
        if cache is not None and checked.set_key is not None and checked.stale:
            cache.store_set(checked.set_key, checked.files, checked.every, runs)
        located = [found for run in runs for found in run.located]
    else:  # a file of a context kind was not seen as one before the files were checked: check every catalog again
        located = run_rules(Context(project, [whole_catalog(c) for c in catalogs]), rules, debug)
    for found in located:
        collector.add(*found)
    shown_files = [r.shown for r in results]
    findings, suppressed = apply_suppressions(collector, documents)
    if wanted is not None:  # report only on the files asked about; the context only resolves references
        shown_wanted = {display_path(p) for p in wanted}
        shown_files = [f for f in shown_files if f in shown_wanted]
        findings = [f for f in findings if f.file in shown_wanted or not f.file]
        catalogs = [c for c in catalogs if c.path in shown_wanted]
    baselined = 0
    if use_baseline:
        findings, baselined = _apply_baseline(findings, project, baseline, shown_files, today)
    findings.sort(key=_order)
    return Report(findings, shown_files, catalogs, project, suppressed + baselined, baselined)


def _order(finding: Finding) -> tuple:
    """A total order, so that the findings come out the same however the work was split."""
    return (*finding.sort_key(), finding.message.zh, finding.message.en, finding.item or "", finding.severity)


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
    except BaselineError as exc:
        raise UsageError(exc.message) from None
    try:
        on = today or clock()
    except ValueError:  # only the clock's own setting: a bad date in the baseline is the baseline's message
        raise UsageError(Text("环境变量 GOVLIST_TODAY 应为日期 YYYY-MM-DD", "GOVLIST_TODAY must be a date YYYY-MM-DD")) from None
    applied = apply_baseline(findings, entries, path.parent, checked, on)
    extra = Collector(project)
    for entry in applied.expired:
        extra.add("baseline.expired", expired_message(entry), shown, entry.line, entry.column, "", entry.item)
    for entry in applied.unused:
        extra.add("baseline.unused", unused_message(entry), shown, entry.line, entry.column, "", entry.item)
    return applied.kept + extra.findings, applied.accepted
