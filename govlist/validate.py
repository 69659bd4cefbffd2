"""Validate a set of catalog files: load every file, check it against its schema, run the rules over the set.

The core of `govlist validate`: it never prints. A file that cannot be read or parsed becomes a finding and the
other files are still checked. References between files are resolved over the whole set.
"""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from .catalog import Catalog, make_catalog
from .checker import Collector, load_project
from .loader import Document, Suppression
from .model import Finding, Text
from .parallel import Located, check_files, internal_error, locate
from .project import PROJECT_FILE, Project
from .result import Report, UsageError
from .ruleset import RULES, Context, Rule, run_rule
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
    jobs: int | None = None,
) -> Report:
    """Validate every catalog file under `paths`. Raises UsageError only for usage problems.

    `context`: more files or folders loaded so that references resolve over the whole set, whose findings are not
    reported (`validate --set`, the pre-commit hook). `use_baseline`: drop the findings the baseline accepts
    (`baseline`, else `.govlist-baseline.yaml` beside the project file when there is one). `jobs`: worker processes
    (None: one per core available; 1: none), see govlist/parallel.py."""
    enabled = gc.isenabled()
    gc.disable()  # the loaded catalogs are large and acyclic: cyclic-GC passes over them would cost more than the checks
    try:
        return _validate(paths, config, debug, context or [], baseline if use_baseline else None, use_baseline, today, jobs)
    finally:
        if enabled:
            gc.enable()


def _validate(paths: list[Path], config: Path | None, debug: bool, context: list[Path], baseline: Path | None, use_baseline: bool, today, jobs: int | None = None) -> Report:
    files = discover(paths + context)
    wanted = {p for p in discover(paths)} if context else None
    project, project_findings = load_project(paths, config)
    collector = Collector(project, list(project_findings))
    project_file = project.path.resolve() if project.path else None
    to_load = [(path, display_path(path)) for path in files if not (path.resolve() == project_file or (path.name == PROJECT_FILE and project_file is None))]
    rules = [r for r in RULES.values() if r.check is not None and collector.severity(r.id) is not None]
    results = check_files(to_load, project, rules, debug, jobs)
    documents: list[Document] = []
    catalogs: list[Catalog] = []
    rechecked: list[tuple[Catalog, tuple[str, ...]]] = []
    context_complete = all(r.rules_done or not r.valid for r in results)
    for result in results:
        collector.findings.extend(result.findings)
        if result.doc is not None:
            documents.append(result.doc)
        if result.valid:
            catalog = result.catalog or make_catalog(result.doc)
            catalogs.append(catalog)
            if context_complete:
                collector.findings.extend(result.rule_findings)
                if result.deferred:
                    rechecked.append((catalog, result.deferred))
    ctx = Context(project, catalogs)
    if context_complete:  # the set rules, and the catalog rules that read other catalogs than the small context ones
        located = _run_rules(ctx, [r for r in rules if r.scope == "set"], debug)
        for catalog, deferred in rechecked:
            located += _run_rules(ctx, [RULES[rule_id] for rule_id in deferred], debug, [catalog])
    else:  # a file of a context kind was not seen as one before the files were checked: check every catalog again
        located = _run_rules(ctx, rules, debug)
    for found in located:
        collector.add(*found)
    shown_files = [r.shown for r in results]
    findings, suppressed = _apply_suppressions(collector, documents)
    if wanted is not None:  # report only on the files asked about; the context only resolves references
        shown_wanted = {display_path(p) for p in wanted}
        shown_files = [f for f in shown_files if f in shown_wanted]
        findings = [f for f in findings if f.file in shown_wanted or not f.file]
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


def _run_rules(ctx: Context, rules: list[Rule], debug: bool, catalogs: list[Catalog] | None = None) -> list[Located]:
    """Run the rules (catalog rules over `catalogs`, default all) and locate their problems."""
    located: list[Located] = []
    for rule_obj in rules:
        try:
            for problem in run_rule(rule_obj, ctx, catalogs):
                located.append(locate(rule_obj.id, problem))
        except Exception as exc:  # a defect in a rule must not hide the other findings
            if debug:
                raise
            located.append(internal_error(rule_obj.id, exc))
    return located


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
