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
from .kinds import TYPE_FIELD, departments, kind_name
from .cells import extra_columns, get_path, to_cell
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
        head = _text(value.get("name"))
        text = head + (f"：{_text(value['trigger'])}" if value.get("trigger") else "")
        return [text + (f"（{_text(value['decided_by'])}）" if value.get("decided_by") else "")]
    text = _text(value).strip()
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
            extra = "；".join(_text(step[k]) for k in ("by", "form") if step.get(k))
            steps.append(f"{n}. {_text(step['step'])}" + (f"（{extra}）" if extra else ""))
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
            lines.append(("power types: " if en else "权力类型：") + "、".join(_text(t) for t in negative["types"]))
        if negative.get("keywords"):
            lines.append(("keywords: " if en else "涉及以下内容的事项：") + "、".join(_text(t) for t in negative["keywords"]))
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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def anchor_for(code: str | None, fallback: int) -> str:
    """The id of an item's row: item-<code>, whitespace replaced; items without a code get item-n<position>."""
    if code:
        return "item-" + re.sub(r"\s+", "-", code.strip())
    return f"item-n{fallback}"


def _cell(col, data: dict, position: int, titles: dict[str, str]) -> str:
    if col.field == "rownum":
        return str(position)
    if col.field == "seq":
        seq = data.get("seq")
        return _text(seq) if seq is not None else str(position)
    if col.field == "subitem":
        subs = data.get("subitems") or []
        lines = []
        for sub in subs:
            if isinstance(sub, dict):
                lines.append(" ".join(_text(sub.get(k)) for k in ("code", "name") if sub.get(k)))
        return "\n".join(lines)
    value = get_path(data, col.field)
    if col.field.endswith(".list") and isinstance(value, str):  # a reference to another list: its title, not its id
        value = titles.get(value, value)
    value = to_cell(col.codec, _titled(value, titles))
    return "" if value is None else _text(value)


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
    table: list[list[list[str]]] = []
    position = 0
    for _, items in raw_cats:
        rows = []
        for item in items:
            position += 1
            rows.append([_cell(col, item, position, titles or {}) for col in all_columns])
        table.append(rows)
    keep = [i for i, col in enumerate(all_columns) if col.field in ("seq", "rownum", "name") or any(r[i] for rows in table for r in rows)]
    columns = [{"field": all_columns[i].field, "header": all_columns[i].header, "width": all_columns[i].width, "codec": all_columns[i].codec} for i in keep]
    type_field = TYPE_FIELD.get(kind)
    categories: list[CategoryView] = []
    types: set[str] = set()
    all_departments: set[str] = set()
    seen_anchors: set[str] = set()
    position = 0
    for c_index, ((cat, items), rows) in enumerate(zip(raw_cats, table)):
        name = _text(cat.get("name")) if cat else ""
        weight = cat.get("weight") if cat else None
        if isinstance(weight, (int, float)) and not isinstance(weight, bool):
            name += f"（权重 {weight:g}）" if lang != "en" else f" (weight {weight:g})"
        declared = cat.get("declared") if cat and isinstance(cat.get("declared"), int) else None
        view = CategoryView(c_index, name, f"cat-{c_index + 1}", declared)
        for item, cells in zip(items, rows):
            position += 1
            code = _text(item.get("code")) or ""
            anchor = anchor_for(code, position)
            if anchor in seen_anchors:  # a duplicated code (validate reports it): keep ids unique
                anchor = f"{anchor}-{position}"
            seen_anchors.add(anchor)
            typ = _text(item.get(type_field)) if type_field else ""
            names = departments(kind, item)
            dept = "、".join(names)
            if typ:
                types.add(typ)
            all_departments.update(names)
            view.rows.append(RowView(anchor, code, _text(item.get("name")), [cells[i] for i in keep], c_index, typ, dept))
        categories.append(view)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", catalog.id).strip("-.") or "list"
    return ListView(
        id=catalog.id,
        slug=slug,
        kind=kind,
        kind_label=kind_name(kind, lang),
        title=catalog.title,
        issuer=_text(data.get("issuer")),
        doc_number=_text(data.get("doc_number")),
        effective=_text(data.get("effective")),
        version=_text(data.get("version")),
        level=_text(data.get("level")),
        unit=_text(data.get("unit")),
        note=_text(data.get("note")),
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


# --- the adjustment page (修订对照表) --------------------------------------------------------------------------------


#: the columns of the 修订对照表, one source for the site page, the PDF and the Word file: (key, Chinese, English)
CHANGES_COLUMNS = (
    ("seq", "序号", "No."),
    ("kind", "调整", "Change"),
    ("list", "清单", "List"),
    ("item", "事项", "Item"),
    ("field", "字段", "Field"),
    ("before", "修订前", "Before"),
    ("after", "修订后", "After"),
)
CHANGES_TITLE = ("修订对照表", "Table of changes")
CHANGES_CAPTION = ("删除的文字加删除线，新增的文字加下划线", "deleted text struck through, inserted text underlined")


def _breakdown_text(value: object, kind: str | None) -> str:
    """declared.breakdowns as a reader reads it: "按事项类型：依法履职事项10项、协助事项8项（按事项类型）"."""
    from .fields import BRIEF_ZH

    if not isinstance(value, list):
        return ""
    headers = {c.field: c.header for c in COLUMNS.get(kind or "", ())}
    lines = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        by = str(entry.get("field") or "")
        counts = entry["counts"] if isinstance(entry.get("counts"), dict) else {}
        text = f"按{headers.get(by) or BRIEF_ZH.get(by, '分组')}：" + "、".join(f"{k}{v}项" for k, v in counts.items())
        if entry.get("partition") is False:
            text += "（其中数，不加总）"
        if entry.get("note"):
            text += f"（{_text(entry['note'])}）"
        lines.append(text)
    return "\n".join(lines)


def reader_text(path: tuple, value: object, titles: dict[str, str], kind: str | None, where: tuple = ()) -> str:
    """A changed value as the text a reader reads: a list id as that list's title, 公布总数's breakdowns in words,
    anything else as the diff writes it (diff.as_text in the list's context, the field at `where` + `path`: labels
    for keys, a field's label for a value naming one, 是/否 for booleans). The diff report, the changelog and the
    修订对照表 all read values through it (diffreport.Reading)."""
    from .diff import as_text

    if path == ("catalog",) and isinstance(value, str):
        return titles.get(value, value)
    if path and path[-1] == "breakdowns":
        return _breakdown_text(value, kind)
    if path == ("declared",) and isinstance(value, dict):
        return "；".join(t for t in (format_totals(value), _breakdown_text(value.get("breakdowns"), kind)) if t)
    if path and path[-1] == "applies_to" and isinstance(value, list):
        return "\n".join(titles.get(str(v), str(v)) for v in value)
    return as_text(_titled(value, titles), kind, (*where, *path))


def _titled(value: object, titles: dict[str, str]) -> object:
    """Inside a changed value, a reference to a list (its `list:` key) names the list by its title."""
    if isinstance(value, dict):
        return {k: (titles.get(v, v) if k == "list" and isinstance(v, str) else _titled(v, titles)) for k, v in value.items()}
    if isinstance(value, list):
        return [_titled(v, titles) for v in value]
    return value


def _side(catalogs: list, label: str, en: bool) -> str:
    """One side of a comparison as a reader names it: the lists' version (2024版), else the folder or revision given."""
    versions = sorted({str(c.version) for c in catalogs if c.version})
    if len(versions) != 1:
        return label
    version = versions[0]
    return f"version {version}" if en else (version if version.endswith("版") else f"{version}版")


def _count(n: int, en: bool) -> str:
    from .diff import NO_CHANGE

    if not n:
        return (": " if en else "：") + NO_CHANGE.get("en" if en else "zh")
    return f": {n} changes" if en else f"，共 {n} 处调整"


def changes_view(result, lang: str = "zh") -> dict:
    """A DiffResult as the 修订对照表: rows of before / after with redline segments (op, text), in the lists' order;
    what the site page, the PDF and the Word file show. No list id, YAML key or Python value reaches a row."""
    from .diff import KIND_EN, KIND_ZH, as_text, redline
    from .diffreport import Reading
    from .fields import label

    en = lang == "en"
    reading = Reading(result, lang)
    titles = reading.titles
    rows = []
    for change in sorted(result.changes, key=lambda c: c.sort_key()):
        ref = change.ref
        before, after = "", ""
        own = change.redline
        if change.kind == "added":
            after = change.new.label() if change.new else as_text(change.new_value)
        elif change.kind == "removed":
            before = change.old.label() if change.old else as_text(change.old_value)
        elif change.field or change.old_value is not None or change.new_value is not None:
            before, after = reading.value(change, change.old_value), reading.value(change, change.new_value)
            if (before, after) != (reading.diff_text(change, change.old_value), reading.diff_text(change, change.new_value)):
                own = ()  # the diff's redline is of other words: redline the reader's text
        else:
            before = change.old.label() if change.old else ""
            after = change.new.label() if change.new else ""
        if change.kind == "split" and change.related:
            after = "；".join(str(r.label() if hasattr(r, "label") else r) for r in change.related)
            own = ()
        segments = own or (redline(before, after) if before and after else ())
        old_segments = [(op, t) for op, t in segments if op != "insert"] or ([("delete" if before and not after else "equal", before)] if before else [])
        new_segments = [(op, t) for op, t in segments if op != "delete"] or ([("insert" if after and not before else "equal", after)] if after else [])
        if not segments and before and after:
            old_segments, new_segments = [("delete", before)], [("insert", after)]
        item_level = change.kind not in ("catalog",)
        rows.append(
            {
                "kind": change.kind,
                "kind_label": KIND_EN[change.kind] if en else KIND_ZH[change.kind],
                "list": titles.get(change.catalog, change.catalog),
                "code": (ref.code or "") if ref and item_level else "",
                "name": ref.name if ref and item_level else "",
                # in English a published table names a field by its key in words (doc number), as govlist.fields does
                "field": " · ".join(label(None, str(p), "en") for p in change.field) if en else reading.field(change),
                "before": old_segments,
                "after": new_segments,
            }
        )
    return {
        "old_label": result.old_label,
        "new_label": result.new_label,
        "rows": rows,
        "title": CHANGES_TITLE[1 if en else 0],
        "caption": CHANGES_CAPTION[1 if en else 0] if rows else "",
        "headers": {key: en_label if en else zh for key, zh, en_label in CHANGES_COLUMNS},
        "summary": f"{_side(result.old_catalogs, result.old_label, en)} → {_side(result.new_catalogs, result.new_label, en)}" + _count(len(rows), en),
    }
