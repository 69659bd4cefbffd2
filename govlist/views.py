"""What a reader sees of a list, before any format: the view models the site, the PDF and the Word file all read.

Nothing here prints or writes. A `ListView` holds a list's cells as the text a reader reads (booleans as 是/否, list
ids as the referenced list's title, header details under their published labels, never a YAML key); the
`changes_view` is the 修订对照表 (rows of before / after with redline segments) that the site page, the PDF and the
Word file all show. Each output only lays these out.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from .catalog import Catalog
from .kinds import DEPARTMENT_FIELD, TYPE_FIELD, kind_name, unit_names
from .cells import EXTRA_PREFIX, extra_columns, get_path, to_cell
from .tables import COLUMNS, format_totals


# header details a list page shows under its title, per kind: (key, Chinese label, English label)
HEADER_FACTS = {
    "assessment": (
        ("assessor", "考核主体", "Assessor"),
        ("organizer", "牵头部门", "Organised by"),
        ("assessees", "被考核对象", "Assessed"),
        ("cycle", "考核周期", "Cycle"),
        ("methods", "考核方式", "Methods"),
        ("veto", "一票否决", "Veto (一票否决)"),
        ("results", "结果运用", "Use of the result"),
    ),
}


def _fact_lines(value: object) -> list[str]:
    """A header value as lines: a list one entry a line; a 一票否决 entry as "name：trigger（decided_by）"."""
    if isinstance(value, list):
        return [line for v in value for line in _fact_lines(v)]
    if isinstance(value, dict):
        head = plain_text(value.get("name"))
        text = head + (f"：{plain_text(value['trigger'])}" if value.get("trigger") else "")
        return [text + (f"（{plain_text(value['decided_by'])}）" if value.get("decided_by") else "")]
    text = plain_text(value).strip()
    return [text] if text else []


def _entry_rule_facts(data: dict, lang: str) -> list[tuple[str, list[str]]]:
    """The entry rules' own terms as a reader needs them: procedure, deadlines, required contents, negative list.
    Field names become their labels (govlist.fields: a community item's fields, an approval's), never the YAML keys."""
    from .fields import label as field_label

    en = lang == "en"

    found: list[tuple[str, list[str]]] = []
    steps = []
    for n, step in enumerate(data.get("procedure") or [], 1):
        if isinstance(step, dict) and step.get("step"):
            extra = "；".join(plain_text(step[k]) for k in ("by", "form") if step.get(k))
            steps.append(f"{n}. {plain_text(step['step'])}" + (f"（{extra}）" if extra else ""))
    if steps:
        found.append(("Procedure" if en else "准入程序", steps))
    deadlines = data.get("deadlines") or {}
    lines = []
    if isinstance(deadlines, dict):
        if deadlines.get("apply_ahead_working_days") is not None:
            n = deadlines["apply_ahead_working_days"]
            lines.append(f"apply {n} working days ahead" if en else f"部门须提前 {n} 个工作日提出申请")
        if deadlines.get("decide_within_working_days") is not None:
            n = deadlines["decide_within_working_days"]
            lines.append(f"decided within {n} working days" if en else f"收到申请后 {n} 个工作日内作出决定")
    if lines:
        found.append(("Deadlines" if en else "时限", lines))
    required = data.get("required") or {}
    lines = []
    if isinstance(required, dict):
        if required.get("assist"):
            lines.append(("an assisting item states: " if en else "协助事项须写明：") + "、".join(field_label("community", ("items", k), lang) for k in required["assist"]))
        if required.get("approval"):
            lines.append(("an approval states: " if en else "审批须写明：") + "、".join(field_label("community", ("items", "approval", k), lang) for k in required["approval"]))
    if lines:
        found.append(("Required" if en else "必备内容", lines))
    negative = data.get("government_only") or {}
    lines = []
    if isinstance(negative, dict):
        if negative.get("types"):
            lines.append(("power types: " if en else "权力类型：") + "、".join(plain_text(t) for t in negative["types"]))
        if negative.get("keywords"):
            lines.append(("keywords: " if en else "涉及以下内容的事项：") + "、".join(plain_text(t) for t in negative["keywords"]))
    if lines:
        found.append(("Never given to communities" if en else "不得交由社区承担", lines))
    return found


def _facts(kind: str, data: dict, lang: str) -> list[tuple[str, list[str]]]:
    if kind == "entry-rules":
        return _entry_rule_facts(data, lang)
    found = []
    for key, zh, en in HEADER_FACTS.get(kind, ()):
        lines = _fact_lines(data.get(key))
        if lines:
            found.append((en if lang == "en" else zh, lines))
    return found


# --- view model ------------------------------------------------------------------------------------------------------


@dataclass
class RowView:
    anchor: str
    code: str
    name: str
    cells: list[str]
    category: int
    type: str
    department: str
    xrefs: list[dict] = field(default_factory=list)  # where the item comes from and goes: {label, href, text}


@dataclass
class CategoryView:
    index: int
    name: str
    anchor: str
    declared: int | None
    rows: list[RowView] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class ListView:
    id: str
    slug: str
    kind: str
    kind_label: str
    title: str
    issuer: str
    doc_number: str
    effective: str
    version: str
    level: str
    unit: str
    note: str
    declared: str
    columns: list[dict]
    categories: list[CategoryView]
    types: list[str]
    departments: list[str]
    href: str
    pdf: str | None = None
    facts: list[tuple[str, list[str]]] = field(default_factory=list)  # header details of the kind: (label, lines)
    docx: str | None = None

    @property
    def count(self) -> int:
        return sum(c.count for c in self.categories)

    @property
    def rows(self):
        for c in self.categories:
            yield from c.rows


def titled(value: object, titles: dict[str, str]) -> object:
    """Inside a value, a reference to a list (its `list:` key) names the list by its title."""
    if isinstance(value, dict):
        return {k: (titles.get(v, v) if k == "list" and isinstance(v, str) else titled(v, titles)) for k, v in value.items()}
    if isinstance(value, list):
        return [titled(v, titles) for v in value]
    return value


def plain_text(value: object) -> str:
    """A cell value as text: nothing for None, a date as YYYY-MM-DD, anything else as str()."""
    if value.__class__ is str:  # most values
        return value
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


_SPACES = re.compile(r"\s+")


def anchor_for(code: str | None, fallback: int) -> str:
    """The id of an item's row: item-<code>, whitespace replaced; items without a code get item-n<position>."""
    if code:
        return "item-" + _SPACES.sub("-", code.strip())
    return f"item-n{fallback}"


_SPECIAL = ("rownum", "seq", "subitem")  # columns _cell makes from more than the field's value
_SHOWN_AS = {"subitem": "lines"}  # a power item's 子项, one a line (_cell): shown as lines, not run together as a name


def _cell(col, data: dict, position: int, titles: dict[str, str]) -> str:
    if col.field == "rownum":
        return str(position)
    if col.field == "seq":
        seq = data.get("seq")
        return plain_text(seq) if seq is not None else str(position)
    if col.field == "subitem":
        subs = data.get("subitems") or []
        lines = []
        for sub in subs:
            if isinstance(sub, dict):
                lines.append(" ".join(plain_text(sub.get(k)) for k in ("code", "name") if sub.get(k)))
        return "\n".join(lines)
    value = get_path(data, col.field)
    if col.field.endswith(".list") and isinstance(value, str):  # a reference to another list: its title, not its id
        value = titles.get(value, value)
    value = to_cell(col.codec, titled(value, titles))
    return "" if value is None else plain_text(value)


def _column_cells(col, items: list[dict], titles: dict[str, str]) -> list[str]:
    """One column's cell for every item (positions counted from 1 over the whole list), what _cell gives for each.
    Column by column, and a value that is text or absent taken as it is, since _cell for every cell of a large list
    took most of the views' time."""
    field = col.field
    if field in _SPECIAL or field.startswith(EXTRA_PREFIX) or field.endswith(".list"):
        if field == "seq":
            values = [item.get("seq") for item in items]
            return [str(v) if v.__class__ is str or v.__class__ is int else _cell(col, item, n, titles) for n, (item, v) in enumerate(zip(items, values), 1)]
        return [_cell(col, item, n, titles) for n, item in enumerate(items, 1)]
    if "." not in field:
        values = [item.get(field) for item in items]
    else:
        first, _, rest = field.partition(".")
        if "." not in rest:
            values = [node.get(rest) if isinstance(node := item.get(first), dict) else None for item in items]
        else:
            values = [get_path(item, field) for item in items]
    if col.codec in _JOINED:  # lists of text, one entry a line (or joined with 、)
        joiner = _JOINED[col.codec]
        values = [joiner.join(v) if v.__class__ is list and all(x.__class__ is str for x in v) else v for v in values]
    cells = [v if v.__class__ is str else "" if v is None else None for v in values]  # None: _cell makes the cell
    if None in cells:
        cells = [_cell(col, item, n, titles) if cell is None else cell for n, (item, cell) in enumerate(zip(items, cells), 1)]
    return cells  # type: ignore[return-value]  # no None left


_JOINED = {"basis": "\n", "lines": "\n", "units": "\n", "aliases": "、"}  # what cells.to_cell joins a list of text with


def list_view(catalog: Catalog, lang: str = "zh", titles: dict[str, str] | None = None) -> ListView:
    """A list as a reader sees it; `titles` (list id → title) names the lists its items refer to."""
    data = catalog.data
    kind = catalog.kind
    all_columns = [c for c in COLUMNS.get(kind, ()) if c.field != "category"]
    raw_cats: list[tuple[dict | None, list[dict]]]
    if kind == "registry":
        raw_cats = [(None, [u for u in data.get("units") or [] if isinstance(u, dict)])]
    elif data.get("categories"):
        raw_cats = [(c, [i for i in c.get("items") or [] if isinstance(i, dict)]) for c in data["categories"] if isinstance(c, dict)]
    else:
        raw_cats = [(None, [i for i in data.get("items") or [] if isinstance(i, dict)])]
    all_columns += extra_columns([i for _, items in raw_cats for i in items])  # columns an import kept under their header
    # cells of every column first, then keep the columns that hold anything (always 序号 and the name)
    titles = titles or {}
    flat = [item for _, items in raw_cats for item in items]
    by_column = [_column_cells(col, flat, titles) for col in all_columns]
    keep = [i for i, col in enumerate(all_columns) if col.field in ("seq", "rownum", "name") or any(by_column[i])]
    columns = [{"field": all_columns[i].field, "header": all_columns[i].header, "width": all_columns[i].width, "codec": _SHOWN_AS.get(all_columns[i].field, all_columns[i].codec)} for i in keep]
    kept = iter(list(map(list, zip(*(by_column[i] for i in keep)))) if keep else [[] for _ in flat])  # a row's kept cells
    type_field = TYPE_FIELD.get(kind)
    department_field = DEPARTMENT_FIELD.get(kind)
    categories: list[CategoryView] = []
    types: set[str] = set()
    all_departments: set[str] = set()
    seen_anchors: set[str] = set()
    position = 0
    for c_index, (cat, items) in enumerate(raw_cats):
        name = plain_text(cat.get("name")) if cat else ""
        weight = cat.get("weight") if cat else None
        if isinstance(weight, (int, float)) and not isinstance(weight, bool):
            name += f"（权重 {weight:g}）" if lang != "en" else f" (weight {weight:g})"
        declared = cat.get("declared") if cat and isinstance(cat.get("declared"), int) else None
        view = CategoryView(c_index, name, f"cat-{c_index + 1}", declared)
        rows = view.rows
        for item in items:
            position += 1
            code = plain_text(item.get("code"))
            anchor = anchor_for(code, position)
            if anchor in seen_anchors:  # a duplicated code (validate reports it): keep ids unique
                anchor = f"{anchor}-{position}"
            seen_anchors.add(anchor)
            typ = plain_text(item.get(type_field)) if type_field else ""
            names = unit_names(item.get(department_field)) if department_field else []  # kinds.departments
            if typ:
                types.add(typ)
            all_departments.update(names)
            rows.append(RowView(anchor, code, plain_text(item.get("name")), next(kept), c_index, typ, "、".join(names)))
        categories.append(view)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", catalog.id).strip("-.") or "list"
    return ListView(
        id=catalog.id,
        slug=slug,
        kind=kind,
        kind_label=kind_name(kind, lang),
        title=catalog.title,
        issuer=plain_text(data.get("issuer")),
        doc_number=plain_text(data.get("doc_number")),
        effective=plain_text(data.get("effective")),
        version=plain_text(data.get("version")),
        level=plain_text(data.get("level")),
        unit=plain_text(data.get("unit")),
        note=plain_text(data.get("note")),
        declared=format_totals(data.get("declared") or {}) if isinstance(data.get("declared"), dict) else "",
        columns=columns,
        categories=categories,
        types=sorted(types),
        departments=sorted(all_departments),
        href=f"list/{slug}.html",
        facts=_facts(kind, data, lang),
    )


def make_views(catalogs: list[Catalog], lang: str = "zh") -> list[ListView]:
    titles = {c.id: c.title for c in catalogs}
    views = [list_view(c, lang, titles) for c in catalogs if c.kind in COLUMNS]
    used: dict[str, int] = {}
    for v in views:  # ids are unique in a valid set; stay safe with an invalid one
        n = used.get(v.slug, 0)
        used[v.slug] = n + 1
        if n:
            v.slug = f"{v.slug}-{n + 1}"
            v.href = f"list/{v.slug}.html"
    return views
