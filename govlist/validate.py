"""Validate a set of catalog files: load every file, check it against its schema, run the rules over the set.

The core of `govlist validate`: it never prints. A file that cannot be read or parsed becomes a finding and the
other files are still checked. References between files are resolved over the whole set.
"""

from __future__ import annotations

import difflib
import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import rules as _rules  # noqa: F401  (registers the rules)
from .catalog import Catalog, make_catalog
from .loader import Document, LoadError, Suppression, load_file
from .model import Finding, Severity, Text, json_pointer
from .project import PROJECT_FILE, Project, build_project, find_project_file, item_code_patterns, pattern_error
from .ruleset import RULES, Context, Problem, Rule, run_rule
from .schema import KINDS, validate as schema_validate

YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A usage problem (missing path, bad option value): exit code 2."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass
class Report:
    """Everything a reporter needs: the findings, sorted, and what was checked."""

    findings: list[Finding]
    files: list[str]
    catalogs: list[Catalog]
    project: Project
    suppressed: int = 0  # by inline comments and by the baseline
    baselined: int = 0  # of those, accepted by the baseline

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, fail_on: Severity | None) -> bool:
        return fail_on is not None and any(f.severity >= fail_on for f in self.findings)


def display_path(path: Path) -> str:
    """The path as a user should read it: relative to the working folder when inside it, with forward slashes.
    A symbolic link keeps its own name (a finding about a dangling link names the link, not its target)."""
    cwd = Path.cwd()
    for candidate, base in ((Path(os.path.abspath(path)), cwd), (path.resolve(), cwd.resolve())):
        try:
            return candidate.relative_to(base).as_posix()
        except (ValueError, OSError):
            continue
    return path.as_posix()


def discover(paths: list[Path]) -> list[Path]:
    """The YAML files under the given paths, in a stable order; hidden folders and files (.gitlab-ci.yml, the
    baseline) are skipped unless named. A file reached twice (through a link) is listed once, under the first name."""
    found: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(Text(f"路径不存在：{path}", f"no such file or folder: {path}"))
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES) and not f.startswith("."))
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), Path(os.path.abspath(path)))
    return sorted(unique.values(), key=lambda p: display_path(p))


@dataclass
class _Collector:
    project: Project
    findings: list[Finding] = field(default_factory=list)

    def severity(self, rule_id: str) -> Severity | None:
        if rule_id in self.project.severities:
            return self.project.severities[rule_id]
        return RULES[rule_id].severity

    def add(self, rule_id: str, message: Text, file: str, line: int = 0, column: int = 0, pointer: str = "", item: str | None = None) -> None:
        severity = self.severity(rule_id)
        if severity is not None:
            self.findings.append(Finding(rule_id, severity, message, file, line, column, pointer, item))


def load_project(paths: list[Path], config: Path | None) -> tuple[Project, list[Finding]]:
    """The project settings: from --config, else the nearest govlist.yaml; its own problems as findings."""
    project_path = config if config is not None else (find_project_file(paths[0]) if paths else None)
    if project_path is None:
        return build_project(None, None), []
    if config is not None and not config.is_file():
        raise UsageError(Text(f"项目配置文件不存在：{config}", f"project file not found: {config}"))
    collector = _Collector(build_project(None, project_path))
    shown = display_path(project_path)
    try:
        doc = load_file(project_path, shown)
    except LoadError as exc:
        collector.add(exc.rule, exc.message, shown, exc.line, exc.column)
        return collector.project, collector.findings
    issues = _check_schema(doc, "project", collector) if _kind_ok(doc, collector, expected="project") else [1]
    if issues:
        return collector.project, collector.findings
    for rule_id in (doc.data.get("rules") or {}):
        if rule_id not in RULES:
            hint = difflib.get_close_matches(rule_id, RULES, n=1)
            collector.add(
                "project.unknown-rule",
                Text(f"没有规则“{rule_id}”" + (f"（是否想写“{hint[0]}”？）" if hint else ""), f"no rule '{rule_id}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")),
                shown,
                *doc.key_position(("rules", rule_id)),
                json_pointer(("rules", rule_id)),
            )
    for kind, pattern in item_code_patterns(doc.data).items():
        reason = pattern_error(pattern)
        if reason is not None:
            collector.add(
                "schema.format",
                Text(f"编码正则“{pattern}”无法使用（Python 正则表达式）：{reason}；此编码规则未检查", f"item code pattern '{pattern}' is not a valid Python regular expression: {reason}; the profile is not applied"),
                shown,
                *doc.position(("profiles", "item_codes", kind)),
                json_pointer(("profiles", "item_codes", kind)),
            )
    return build_project(doc.data, project_path), collector.findings


def _kind_ok(doc: Document, collector: _Collector, expected: str | None = None) -> bool:
    data = doc.data
    if not isinstance(data, dict):
        collector.add(
            "schema.kind",
            Text("文件内容不是清单：顶层应为映射，并以 kind 声明清单类型", "not a catalog: the top level must be a mapping that declares its kind"),
            doc.path,
            *doc.position(()),
        )
        return False
    kind = data.get("kind")
    if kind in KINDS and (expected is None or kind == expected):
        return True
    if kind is None:
        message = Text("缺少清单类型 kind（如 kind: duty）", "missing the list kind (e.g. kind: duty)")
    else:
        allowed = (expected,) if expected else tuple(k for k in KINDS if k != "project")
        hint = difflib.get_close_matches(str(kind), allowed, n=1)
        message = Text(
            f"未知的清单类型“{kind}”，应为：{'、'.join(allowed)}" + (f"（是否想写“{hint[0]}”？）" if hint else ""),
            f"unknown list kind '{kind}'; expected one of: {', '.join(allowed)}" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
        )
    collector.add("schema.kind", message, doc.path, *doc.position(("kind",) if kind is not None else ()), "/kind")
    return False


def _check_schema(doc: Document, kind: str, collector: _Collector) -> list:
    issues = schema_validate(kind, doc.data)
    for issue in issues:
        line, column = doc.key_position(issue.path) if issue.at_key else doc.position(issue.path)
        collector.add(issue.rule, issue.message, doc.path, line, column, json_pointer(issue.path), _item_code(doc.data, issue.path))
    return issues


def _item_code(data: object, path: tuple) -> str | None:
    """The code of the item a pointer runs through (…/items/N/…), if it has one."""
    code = None
    node = data
    for index, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if index > 0 and path[index - 1] in ("items", "units", "subitems") and isinstance(node, dict) and isinstance(node.get("code"), str):
            code = node["code"]
    return code


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
    collector = _Collector(project, list(project_findings))
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
        if not _kind_ok(doc, collector) or doc.data.get("kind") == "project":
            continue
        if not _check_schema(doc, doc.data["kind"], collector):
            catalogs.append(make_catalog(doc))
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
    extra = _Collector(project)
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


def _apply_suppressions(collector: _Collector, documents: list[Document]) -> tuple[list[Finding], int]:
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
    extra = _Collector(collector.project)
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
