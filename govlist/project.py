"""The project file (govlist.yaml): vocabularies, code profiles, rule settings; built-in defaults where silent."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Severity
from .normalize import normalize_name
from .adjustment import AdjustmentRules, build_rules
from .workdays import WorkCalendar, build_calendar

PROJECT_FILE = "govlist.yaml"

DEFAULT_VOCABULARIES: dict[str, dict] = {
    "power_types": {
        "values": ["行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务事项"],
        "aliases": {
            "其他职权": "其他行政权力",
            "其他权力": "其他行政权力",
            "公共服务": "公共服务事项",
            "许可": "行政许可",
            "处罚": "行政处罚",
            "强制": "行政强制",
            "征收": "行政征收",
            "给付": "行政给付",
            "检查": "行政检查",
            "确认": "行政确认",
            "奖励": "行政奖励",
            "裁决": "行政裁决",
        },
    },
    "devolution_methods": {"values": ["下放", "委托", "授权", "赋权"], "aliases": {"委托下放": "委托", "赋予": "赋权"}},
    "community_types": {
        "values": ["依法履职事项", "协助事项", "负面清单事项", "可出具证明", "不应出具证明"],
        "aliases": {"依法履职": "依法履职事项", "协助": "协助事项", "协助政府工作事项": "协助事项", "负面清单": "负面清单事项", "可出具": "可出具证明", "不应出具": "不应出具证明", "不予出具证明": "不应出具证明"},
    },
    "duty_tracks": {
        "values": ["基本履职事项", "配合履职事项", "上级部门收回事项"],
        "aliases": {"基本": "基本履职事项", "基本履职": "基本履职事项", "配合": "配合履职事项", "配合履职": "配合履职事项", "收回": "上级部门收回事项", "上级收回": "上级部门收回事项"},
    },
    "levels": {
        "values": ["市", "区", "县", "街道", "乡镇", "镇", "乡", "片区", "社区", "居民区", "村", "网格", "责任块", "部门"],
        "aliases": {"县区": "区", "县（市、区）": "县", "居委会": "居民区", "村委会": "村", "镇街": "乡镇"},
    },
    "unit_types": {
        "values": ["市", "区", "县", "街道", "乡镇", "镇", "乡", "片区", "社区", "居民区", "村", "网格", "责任块", "部门", "派出机构", "派驻机构", "内设机构", "常驻单位", "挂牌部门", "议事协调机构", "事业单位", "其他"],
        "aliases": {"职能部门": "部门", "科室": "内设机构", "居委会": "居民区", "村委会": "村"},
    },
}

#: (list kind, item field) → the vocabulary that field's values come from
VOCABULARY_OF_FIELD: dict[tuple[str, str], str] = {
    ("power", "type"): "power_types",
    ("devolution", "method"): "devolution_methods",
    ("community", "type"): "community_types",
    ("community", "power_type"): "power_types",
    ("duty", "track"): "duty_tracks",
    ("registry", "type"): "unit_types",
}

DEFAULT_FORBIDDEN = {
    "街道": ["招商引资", "协税护税"],
    "社区": ["招商引资", "协税护税"],
    "居民区": ["招商引资", "协税护税"],
}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    values: tuple[str, ...]
    aliases: dict[str, str]
    #: value as written → resolve(value), filled as values are met (lists repeat the same few values many times)
    _resolved: dict[str, tuple[str | None, bool]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def resolve(self, value: str) -> tuple[str | None, bool]:
        """(canonical value or None, whether an alias was used). Width and spaces do not matter."""
        result = self._resolved.get(value)
        if result is None:
            result = self._resolved[value] = self._resolve(value)
        return result

    def _resolve(self, value: str) -> tuple[str | None, bool]:
        if value in self.values:
            return value, False
        key = normalize_name(value)
        for canonical in self.values:
            if normalize_name(canonical) == key:
                return canonical, False
        for alias, canonical in self.aliases.items():
            if normalize_name(alias) == key:
                return canonical, True
        return None, False


@dataclass(frozen=True)
class Project:
    """Settings for one catalog set. `path` is None when no project file was found (all defaults)."""

    path: Path | None = None
    name: str = ""
    region: dict = field(default_factory=dict)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    severities: dict[str, Severity | None] = field(default_factory=dict)  # None: rule off
    forbidden_functions: dict[str, list[str]] = field(default_factory=dict)
    repealed: list[dict] = field(default_factory=list)
    item_code_patterns: dict[str, re.Pattern] = field(default_factory=dict)
    changes: dict = field(default_factory=dict)  # `changes:` of the project file: levels, require, accepted (govlist diff)
    import_limits: dict = field(default_factory=dict)  # `import: limits:` (govlist.sheetguard.ImportLimits)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)  # working days: the library's years + `calendar:`
    adjustment: AdjustmentRules = field(default_factory=AdjustmentRules)  # `adjustment:` steps required, deadlines
    links: list[dict] = field(default_factory=list)  # `links:` of the project file, added to the built-in links (rules/links.py)
    publish: dict = field(default_factory=dict)  # `publish:` of the project file: fonts by role, attachment number

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[name]


def build_project(data: dict | None, path: Path | None) -> Project:
    """Project settings from a (schema-valid) project document, over the built-in defaults."""
    data = data or {}
    vocabularies = {}
    for name, default in DEFAULT_VOCABULARIES.items():
        given = (data.get("vocabularies") or {}).get(name) or {}
        values = tuple(given.get("values") or default["values"])
        aliases = dict(default["aliases"]) if "values" not in given else {}
        aliases.update(given.get("aliases") or {})
        vocabularies[name] = Vocabulary(name, values, {a: c for a, c in aliases.items() if c in values})
    severities: dict[str, Severity | None] = {}
    for rule_id, setting in (data.get("rules") or {}).items():
        value = setting.get("severity") if isinstance(setting, dict) else setting
        severities[rule_id] = None if str(value).lower() in ("off", "false", "none") else Severity.parse(str(value))
    forbidden = dict(DEFAULT_FORBIDDEN)
    forbidden.update(data.get("forbidden_functions") or {})
    patterns = {}
    for kind, pattern in item_code_patterns(data).items():
        try:
            patterns[kind] = re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            continue  # reported as a finding on the project file (validate.load_project); the profile is not applied
    return Project(
        path=path,
        name=data.get("name", ""),
        region=data.get("region") or {},
        vocabularies=vocabularies,
        severities=severities,
        forbidden_functions=forbidden,
        repealed=list(data.get("repealed") or []),
        item_code_patterns=patterns,
        changes=dict(data.get("changes") or {}),
        import_limits=dict((data.get("import") or {}).get("limits") or {}),
        calendar=build_calendar(data.get("calendar")),
        adjustment=build_rules(data.get("adjustment")),
        links=[dict(link) for link in data.get("links") or []],
        publish=dict(data.get("publish") or {}),
    )


def item_code_patterns(data: dict) -> dict[str, str]:
    """`profiles: item_codes:` of a project document: list kind → the regular expression its item codes match."""
    return dict((data.get("profiles") or {}).get("item_codes") or {})


def pattern_error(pattern: str) -> str | None:
    """Why Python cannot compile `pattern`, or None when it can."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc) or type(exc).__name__
    return None


def find_project_file(start: Path) -> Path | None:
    """govlist.yaml in `start` (a folder, or a file's folder) or the nearest parent folder that has one."""
    here = Path(os.path.abspath(start if start.is_dir() else start.parent))  # `x.yaml` in a project's subfolder too
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None
