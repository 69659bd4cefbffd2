"""One table for the kinds of file govlist reads: their names in Chinese and English, and, for each kind of list,
the item field that holds an item's type and the one that names its department (the responsible unit)."""

from __future__ import annotations

from .model import Text

#: every kind, in the order the documentation lists them: kind → (name, type field, department field)
KIND_TABLE: dict[str, tuple[Text, str | None, str | None]] = {
    "duty": (Text("职责任务清单", "duty list"), "track", "responsible"),
    "power": (Text("权责清单", "power and responsibility list"), "type", "department"),
    "territorial": (Text("属地管理事项主体责任和配合责任清单", "territorial-management list"), None, "lead"),
    "devolution": (Text("下放/赋权事项目录", "devolution catalog"), "method", "source"),
    "community": (Text("社区工作事项清单", "community work list"), "type", "department"),
    "entry-rules": (Text("社区工作准入规则", "community entry rules"), None, None),
    "grid": (Text("网格服务管理清单", "grid service list"), None, None),
    "assessment": (Text("考核清单", "assessment list"), None, None),
    "registry": (Text("机构名录", "organisation registry"), "type", None),
    "project": (Text("项目配置", "project file"), None, None),
}

KINDS = tuple(KIND_TABLE)
#: kinds whose items are public duties (the lists proper)
LIST_KINDS = frozenset({"duty", "power", "territorial", "devolution", "community", "grid", "assessment"})
#: every kind of catalog (not the project file)
ALL_KINDS = LIST_KINDS | {"entry-rules", "registry"}
KIND_NAMES = {kind: row[0] for kind, row in KIND_TABLE.items()}
TYPE_FIELD = {kind: row[1] for kind, row in KIND_TABLE.items() if row[1]}
DEPARTMENT_FIELD = {kind: row[2] for kind, row in KIND_TABLE.items() if row[2]}


def kind_name(kind: str, lang: str = "zh") -> str:
    """The name of a kind in `lang`, or the kind itself when it is not one govlist knows."""
    return KIND_NAMES[kind].get(lang) if kind in KIND_NAMES else kind


def kind_word(kind: str, lang: str = "zh") -> str:
    """The word a list of `kind` calls itself, the last word of its name: 清单 for a 职责任务清单, 目录 for a 下放/赋权事项目录
    (原清单 / 原目录), 规则, 名录; "list", "catalog" in English. 清单 for a kind govlist does not know."""
    if kind not in KIND_NAMES:
        return "list" if lang == "en" else "清单"
    name = KIND_NAMES[kind].get(lang)
    return name.split()[-1] if lang == "en" else name[-2:]


def unit_names(value: object) -> list[str]:
    """The unit names a department field holds: a name, a {unit: …} record, or a list of either."""
    if value is None:
        return []
    if isinstance(value, list):
        return [name for v in value for name in unit_names(v)]
    if isinstance(value, dict):
        return unit_names(value.get("unit"))
    text = str(value).strip()
    return [text] if text else []


def departments(kind: str, data: dict) -> list[str]:
    """The departments an item of a list of `kind` names (its responsible units), in the order written."""
    key = DEPARTMENT_FIELD.get(kind)
    return unit_names(data.get(key)) if key else []


def department(kind: str, data: dict) -> str | None:
    """An item's department as one text (several units joined with 、), or None."""
    return "、".join(departments(kind, data)) or None
