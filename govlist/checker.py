"""The one path every file takes: load it, check its kind and its schema, make a catalog; and the collector that turns
what rules report into findings with the project's severity (a rule never decides its own).

Shared by validate, diff (both sides), stats, render and import. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules as _rules  # noqa: F401  (registers the rules, so that every rule id has its default severity)
from .catalog import Catalog, make_catalog
from .fields import label as field_label
from .loader import Document, LoadError, load_bytes, load_file
from .model import Finding, Severity, Text, did_you_mean, json_pointer
from .project import Project, build_project, find_project_file, item_code_patterns, pattern_error
from .result import UsageError
from .ruleset import RULES, Context, Problem, Rule, run_rule
from .schema import KINDS, validate as schema_validate


@dataclass
class Collector:
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
    from .sources import display_path  # here: a worker process checks files without it (and pathspec, its import)

    collector = Collector(build_project(None, project_path))
    shown = display_path(project_path)
    try:
        doc = load_file(project_path, shown)
    except LoadError as exc:
        collector.add(exc.rule, exc.message, shown, exc.line, exc.column)
        return collector.project, collector.findings
    issues = check_schema(doc, "project", collector) if kind_ok(doc, collector, expected="project") else [1]
    if issues or not isinstance(doc.data, dict):
        return collector.project, collector.findings
    for rule_id in doc.data.get("rules") or {}:
        if rule_id not in RULES:
            hint = did_you_mean(rule_id, RULES)
            collector.add(
                "project.unknown-rule",
                Text(f"没有规则“{rule_id}”{hint.zh}", f"no rule '{rule_id}'{hint.en}"),
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


#: the way out for a YAML file of another tool found in a catalog folder
NOT_A_CATALOG = Text("；不是清单的文件，请在 govlist.yaml 的 exclude: 中排除（如 exclude: [docs/**, mkdocs.yml]）", "; a file that is not a catalog is left out with exclude: in govlist.yaml (e.g. exclude: [docs/**, mkdocs.yml])")


def kind_ok(doc: Document, collector: Collector, expected: str | None = None) -> bool:
    data = doc.data
    if not isinstance(data, dict):
        collector.add(
            "schema.kind",
            Text("文件内容不是清单：顶层应为映射，并以 kind 声明清单类型" + NOT_A_CATALOG.zh, "not a catalog: the top level must be a mapping that declares its kind" + NOT_A_CATALOG.en),
            doc.path,
            *doc.position(()),
        )
        return False
    kind = data.get("kind")
    if kind in KINDS and (expected is None or kind == expected):
        return True
    if kind is None and "govlist" not in data:  # neither header key: most likely another tool's file (mkdocs.yml, action.yml)
        message = Text("没有 govlist 和 kind，不像清单文件：清单请写明类型（如 kind: duty）" + NOT_A_CATALOG.zh, "neither govlist nor kind: this does not look like a catalog; a catalog declares its kind (e.g. kind: duty)" + NOT_A_CATALOG.en)
    elif kind is None:
        message = Text("缺少清单类型 kind（如 kind: duty）", "missing the list kind (e.g. kind: duty)")
    else:
        allowed = (expected,) if expected else tuple(k for k in KINDS if k != "project")
        hint = did_you_mean(str(kind), allowed)
        message = Text(
            f"未知的清单类型“{kind}”，应为：{'、'.join(allowed)}{hint.zh}",
            f"unknown list kind '{kind}'; expected one of: {', '.join(allowed)}{hint.en}",
        )
    collector.add("schema.kind", message, doc.path, *doc.position(("kind",) if kind is not None else ()), "/kind")
    return False


def _title(kind: str, path: tuple) -> str | None:
    """The field's Chinese title where it stands in a list of `kind`, None for a key its schema does not title."""
    title = field_label(kind, path)
    return title if title != str(path[-1]) else None


def check_schema(doc: Document, kind: str, collector: Collector) -> list:
    issues = schema_validate(kind, doc.data, lambda path: _title(kind, path))
    for issue in issues:
        line, column = doc.key_position(issue.path) if issue.at_key else doc.position(issue.path)
        collector.add(issue.rule, issue.message, doc.path, line, column, json_pointer(issue.path), _item_code(doc.data, issue.path))
    return issues


def _item_code(data: object, path: tuple) -> str | None:
    """The code of the item a pointer runs through (…/items/N/…), if it has one."""
    code = None
    node: Any = data
    for index, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if index > 0 and path[index - 1] in ("items", "units", "subitems") and isinstance(node, dict) and isinstance(node.get("code"), str):
            code = node["code"]
    return code


def _structural(path: tuple) -> bool:
    """A top-level key the catalog is built from (`categories` in a registry, `units` in a duty list): unknown to the
    kind, it may hold anything, so the list is not read as a catalog."""
    return len(path) == 1 and path[0] in ("categories", "items", "units")


def check_document(doc: Document, collector: Collector) -> Catalog | None:
    """The catalog of a loaded document, or None when it is not one (its problems go to the collector). A project
    file is not a catalog and is left out without a finding."""
    if not kind_ok(doc, collector) or not isinstance(doc.data, dict) or doc.data.get("kind") == "project":
        return None
    issues = check_schema(doc, doc.data["kind"], collector)
    if any(issue.rule != "schema.unknown-field" or _structural(issue.path) for issue in issues):
        return None
    return make_catalog(doc)  # an unknown field is reported, but leaves the list whole: rules and stats still read it


def load_source(raw: bytes, display: str, collector: Collector) -> tuple[Document | None, Catalog | None]:
    """Load and check one file given as bytes (a side of a diff, an imported table's output)."""
    try:
        doc = load_bytes(raw, display)
    except LoadError as exc:
        collector.add(exc.rule, exc.message, display, exc.line, exc.column)
        return None, None
    return doc, check_document(doc, collector)


# (rule id, message, file, line, column, pointer, item code): a problem with its position, ready for the collector
Located = tuple[str, Text, str, int, int, str, "str | None"]


def run_rules(ctx: Context, rules: list[Rule], debug: bool, catalogs: list[Catalog] | None = None) -> list[Located]:
    """Run the rules (catalog rules over `catalogs`, default all) and locate their problems; a rule that fails
    becomes an internal.error finding, unless `debug`."""
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


def internal_error(rule_id: str, exc: Exception) -> Located:
    message = Text(f"规则 {rule_id} 内部错误：{exc!r}（请用 --debug 查看并报告）", f"rule {rule_id} failed: {exc!r} (run with --debug and report it)")
    return ("internal.error", message, "", 0, 0, "", None)


def locate(rule_id: str, problem: Problem) -> Located:
    """A problem with its file, line and column (none when it concerns no catalog) and the item's code."""
    code = problem.item.code if problem.item is not None else problem.code
    if problem.catalog is None:
        return (rule_id, problem.message, "", 0, 0, json_pointer(problem.pointer), code)
    doc = problem.catalog.doc
    line, column = doc.key_position(problem.pointer) if problem.at_key else doc.position(problem.pointer)
    return (rule_id, problem.message, doc.path, line, column, json_pointer(problem.pointer), code)
