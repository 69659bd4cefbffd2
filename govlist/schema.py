"""The JSON Schemas of the catalog kinds: where they live, and validation that yields findings in zh and en."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import jsonschema_rs

from .kinds import KIND_NAMES, KINDS  # noqa: F401  (older import paths)
from .model import Text, did_you_mean


def schema_dir() -> Path:
    """The packaged schemas (wheel), else the checkout's top-level `schemas/` (editable install)."""
    packaged = Path(__file__).parent / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "schemas"


@lru_cache(maxsize=None)
def _all_schemas() -> dict[str, dict]:
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8")) for p in sorted(schema_dir().glob("*.schema.json"))}


def schema_id(kind: str) -> str:
    return _all_schemas()[kind]["$id"]


def schema_names() -> list[str]:
    """Every packaged schema: the kinds, the project file, and `common` (the definitions the others $ref)."""
    return list(_all_schemas())


def schema_document(name: str) -> dict:
    """A packaged schema as parsed JSON (shared: do not change it)."""
    return _all_schemas()[name]


def schema_text(kind: str) -> str:
    return (schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _validator(kind: str):
    schemas = _all_schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    return jsonschema_rs.validator_for(schemas[kind], registry=registry)


@lru_cache(maxsize=None)
def field_titles() -> dict[str, str]:
    """English key → Chinese title, collected from every schema, for messages such as 缺少“name”（事项名称）."""
    titles: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and "title" in sub:
                    titles.setdefault(key, sub["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    schemas = _all_schemas()
    walk(schemas.get("common", {}))  # the shared fields' titles first: a kind's own (e.g. a category's name) may differ
    walk(schemas)
    return titles


@lru_cache(maxsize=None)
def known_fields() -> frozenset[str]:
    return frozenset(field_titles())


#: the Chinese title of the field at a path of keys in the document being checked, or None (checker: fields.label)
Labeler = Callable[[tuple], Optional[str]]


def _field(name: object, title: str | None = None) -> tuple[str, str]:
    title = title or field_titles().get(str(name))
    return (f"“{name}”（{title}）" if title else f"“{name}”", f"'{name}'")


def _shown(value: object) -> str:
    """A value as the YAML file has it: true, not Python's True (`yes` and `on` are read as true)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value) if isinstance(value, str) else str(value)


class SchemaIssue:
    """One schema violation: rule id, pointer parts, bilingual message, and whether it points at a key."""

    __slots__ = ("rule", "path", "message", "at_key")

    def __init__(self, rule: str, path: tuple, message: Text, at_key: bool = False) -> None:
        self.rule, self.path, self.message, self.at_key = rule, path, message, at_key


def validate(kind: str, data: object, label: Labeler | None = None) -> list[SchemaIssue]:
    """Validate a loaded document against its kind's schema; all violations, in document order. `label` names a
    field by where it is (a duty item's `content` is 事项内容, an adjustment step's 调整内容); without it, by its key."""
    validator = _validator(kind)
    if validator.is_valid(data):
        return []
    issues: list[SchemaIssue] = []
    seen: set[tuple] = set()
    for err in validator.iter_errors(data):
        for issue in _issues(err, label):
            key = (issue.path, issue.rule, issue.message.en)
            if key not in seen:
                seen.add(key)
                issues.append(issue)
    typed = {i.path for i in issues if i.rule == "schema.type"}
    # a value of the wrong type also fails `const`/`enum`: say it once, as the type error
    return [i for i in issues if not (i.path in typed and i.rule in ("schema.invalid", "schema.enum"))]


def _issues(err, label: Labeler | None) -> list[SchemaIssue]:
    kind = err.kind
    if kind.name in ("unevaluatedProperties", "additionalProperties"):
        path = tuple(err.instance_path)
        found = []
        for key in list(getattr(kind, "unexpected", None) or ["?"]):
            if str(key) in known_fields():  # a field of another level: mostly a line indented wrongly
                message = Text(
                    f"字段“{key}”不能写在这一层，请检查缩进（它属于清单的另一层，如清单头部或事项）",
                    f"field '{key}' does not belong at this level: check the indentation (it belongs at another level of the list, such as the header or an item)",
                )
            else:
                hint = did_you_mean(str(key), sorted(known_fields()))
                message = Text(f"未知字段“{key}”{hint.zh}", f"unknown field '{key}'{hint.en}")
            found.append(SchemaIssue("schema.unknown-field", path + (key,), message, at_key=True))
        return found
    return [_issue(err, label)]


def _issue(err, label: Labeler | None) -> SchemaIssue:
    path = tuple(err.instance_path)
    where_zh, where_en = _where_zh(path, label), _where_en(path)
    kind = err.kind
    name = kind.name
    if name == "required":
        prop = getattr(kind, "property", "?")
        zh, en = _field(prop, label(path + (prop,)) if label else None)
        return SchemaIssue("schema.required", path, Text(f"缺少必填字段{zh}", f"required field {en} is missing"))
    if name == "type":
        types = "/".join(str(t) for t in (getattr(kind, "types", None) or []))
        tz = {"string": "文字", "integer": "整数", "number": "数字", "array": "列表", "object": "映射", "boolean": "是/否（true/false）", "null": "空值"}
        zh_types = "或".join(tz.get(t, t) for t in types.split("/"))
        hint_zh = "（编码、日期等请加引号写成文字）" if "string" in types else ""
        hint_en = " (quote codes and dates)" if "string" in types else ""
        return SchemaIssue("schema.type", path, Text(f"{where_zh}应为{zh_types}{hint_zh}，实际为 {_shown(err.instance)}", f"{where_en} must be {types}{hint_en}, got {_shown(err.instance)}"))
    if name == "enum":
        options = [o for o in getattr(kind, "options", None) or [] if not isinstance(o, bool)]  # False: `off` as YAML 1.1 reads it
        return SchemaIssue(
            "schema.enum",
            path,
            Text(f"{where_zh}取值“{_shown(err.instance).strip(chr(39))}”无效，应为：{'、'.join(map(str, options))}", f"{where_en}: '{_shown(err.instance).strip(chr(39))}' is not one of {', '.join(map(str, options))}"),
        )
    if name == "constant":
        expected = getattr(kind, "expected_value", None)
        expected = expected if expected is not None else getattr(kind, "value", "")
        return SchemaIssue("schema.invalid", path, Text(f"{where_zh}的值“{err.instance}”不正确", f"{where_en} has the wrong value '{err.instance}'"))
    if name == "pattern":
        if path and path[-1] in ("effective", "date", "handover"):
            return SchemaIssue("schema.format", path, Text(f"{where_zh}“{err.instance}”不是日期，应写成 YYYY-MM-DD（如 2024-03-01）", f"{where_en} '{err.instance}' is not a date; write YYYY-MM-DD (e.g. 2024-03-01)"))
        return SchemaIssue("schema.format", path, Text(f"{where_zh}“{err.instance}”格式不正确", f"{where_en} '{err.instance}' is not in the expected form"))
    if name in ("minItems", "minLength"):
        return SchemaIssue("schema.required", path, Text(f"{where_zh}不能为空", f"{where_en} must not be empty"))
    if name in ("propertyNames", "not", "falseSchema") and "propertyNames" in err.evaluation_path:
        return SchemaIssue("schema.invalid", path, Text("“categories”和“items”只能二选一", "use either 'categories' or 'items', not both"))
    return SchemaIssue("schema.invalid", path, Text(f"{where_zh}不符合格式要求：{err.message}", f"{where_en} does not match the format: {err.message}"))


def _where_zh(path: tuple, label: Labeler | None = None) -> str:
    for at in range(len(path) - 1, -1, -1):
        if isinstance(path[at], str):
            return _field(path[at], label(path[: at + 1]) if label else None)[0]
    return "该值"


def _where_en(path: tuple) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return f"'{part}'"
    return "the value"
