"""Publishing: view models of validated catalogs, and the static HTML site built from them (`govlist render`).

Nothing here prints. The site is written into a temporary folder beside the target and swapped in whole, so a failed
render leaves the previous site as it was. Output is reproducible: the same catalogs give the same bytes (no clock:
dates come from the catalogs or from SOURCE_DATE_EPOCH).

Templates (govlist/templates/site/) see only the prepared view data below, never raw YAML; `--templates DIR`
overrides them file by file (a ChoiceLoader puts DIR first). Every catalog value reaches the page through Jinja2
with autoescaping on, so a name containing `<script>` shows as text.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from . import templating
from .templating import TEMPLATES  # noqa: F401  (pdf reads the packaged typst template from here)
from .kinds import TYPE_FIELD, departments, kind_name
from .model import Text
from .output import recover_dir, replace_dir
from .tables import COLUMNS, extra_columns, format_totals, get_path, to_cell
from .tokens import NO_BREAK
from .result import UsageError

SITE_MARKER = ".govlist-site"
ASSETS = ("style.css", "list.js", "index.js", "matrix.js")

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
    Field names become their published labels (diff.labels.FIELD_ZH), never the YAML keys."""
    from .diff.labels import FIELD_ZH

    en = lang == "en"

    def label(key: str) -> str:
        return key.replace("_", " ") if en else FIELD_ZH.get(key, key)

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
            lines.append(("an assisting item states: " if en else "协助事项须写明：") + "、".join(label(k) for k in required["assist"]))
        if required.get("approval"):
            lines.append(("an approval states: " if en else "审批须写明：") + "、".join(label(k) for k in required["approval"]))
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


class RenderError(UsageError):
    """A render that cannot be done as asked (no CJK font, unknown template folder, an output that is not a site):
    the CLI reports it like a usage error, exit 2."""


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


def _cell(col, data: dict, position: int) -> str:
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
    value = to_cell(col.codec, get_path(data, col.field))
    return "" if value is None else _text(value)


def list_view(catalog: Catalog, lang: str = "zh") -> ListView:
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
            rows.append([_cell(col, item, position) for col in all_columns])
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


def build_date(catalogs: list[Catalog]) -> str:
    """The date a render states (the build date): SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.datetime.now(_dt.UTC).date().isoformat()


def make_views(catalogs: list[Catalog], lang: str = "zh") -> list[ListView]:
    views = [list_view(c, lang) for c in catalogs if c.kind in COLUMNS]
    used: dict[str, int] = {}
    for v in views:  # ids are unique in a valid set; stay safe with an invalid one
        n = used.get(v.slug, 0)
        used[v.slug] = n + 1
        if n:
            v.slug = f"{v.slug}-{n + 1}"
            v.href = f"list/{v.slug}.html"
    return views


# --- the adjustment page (修订对照表) --------------------------------------------------------------------------------


def changes_view(result, lang: str = "zh") -> dict:
    """A DiffResult as rows of before / after with redline segments, for the 修订对照表 page."""
    from .diff import KIND_EN, KIND_ZH, as_text, redline
    from .diffreport import field_label

    titles = {c.id: c.title for c in result.new_catalogs}
    titles.update({c.id: c.title for c in result.old_catalogs if c.id not in titles})
    rows = []
    for change in sorted(result.changes, key=lambda c: c.sort_key()):
        ref = change.ref
        before, after = "", ""
        if change.kind == "added":
            after = change.new.label() if change.new else as_text(change.new_value)
        elif change.kind == "removed":
            before = change.old.label() if change.old else as_text(change.old_value)
        elif change.field or change.old_value is not None or change.new_value is not None:
            before, after = as_text(change.old_value), as_text(change.new_value)
        else:
            before = change.old.label() if change.old else ""
            after = change.new.label() if change.new else ""
        if change.kind == "split" and change.related:
            after = "；".join(str(r.label() if hasattr(r, "label") else r) for r in change.related)
        segments = change.redline or (redline(before, after) if before and after else ())
        old_segments = [(op, t) for op, t in segments if op != "insert"] or ([("delete" if before and not after else "equal", before)] if before else [])
        new_segments = [(op, t) for op, t in segments if op != "delete"] or ([("insert" if after and not before else "equal", after)] if after else [])
        if not segments and before and after:
            old_segments, new_segments = [("delete", before)], [("insert", after)]
        rows.append(
            {
                "kind": change.kind,
                "kind_label": KIND_EN[change.kind] if lang == "en" else KIND_ZH[change.kind],
                "list": titles.get(change.catalog, change.catalog),
                "code": (ref.code or "") if ref else "",
                "name": ref.name if ref else "",
                "field": field_label(change.field, lang),
                "before": old_segments,
                "after": new_segments,
            }
        )
    return {"old_label": result.old_label, "new_label": result.new_label, "rows": rows}


# --- templates -------------------------------------------------------------------------------------------------------


def environment(templates: Path | None, subdir: str = "site"):
    """The site's templates (govlist.templating), a user's folder over the packaged ones; a missing folder is a
    RenderError."""
    try:
        env = templating.environment(subdir, templates, strict=True)
    except UsageError as exc:
        raise RenderError(exc.message) from None
    env.filters["nowrap"] = nowrap
    return env


def nowrap(value: object):
    """Escaped text with each 文号 and date in a <span class="nw">, so a line never breaks inside one."""
    from markupsafe import Markup, escape

    text = str(value)
    out, at = [], 0
    for m in NO_BREAK.finditer(text):  # 文号 (XX政发〔2022〕6号) and dates (2024-01-01, 2024年1月1日)
        out.append(str(escape(text[at : m.start()])))
        out.append(f'<span class="nw">{escape(m.group())}</span>')
        at = m.end()
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def template_source(env, name: str) -> str:
    return env.loader.get_source(env, name)[0]


# --- the site --------------------------------------------------------------------------------------------------------


def _search_index(views: list[ListView]) -> str:
    """assets/search-index.js: every item as [list, anchor, code, name, category, type, department], loaded by a
    script tag (works from file://, no fetch)."""
    lists = [{"href": v.href, "title": v.title} for v in views]
    items = []
    for n, v in enumerate(views):
        for c in v.categories:
            for r in c.rows:
                items.append([n, r.anchor, r.code, r.name, c.name, r.type, r.department])
    payload = json.dumps({"lists": lists, "items": items}, ensure_ascii=False, separators=(",", ":"))
    return "window.GOVLIST_INDEX = " + payload.replace("</", "<\\/") + ";\n"


@dataclass
class RenderResult:
    out: Path
    lists: int
    items: int
    pdfs: list[str] = field(default_factory=list)
    docx: list[str] = field(default_factory=list)


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(text)


def build_site(
    catalogs: list[Catalog],
    target: Path,
    templates: Path | None = None,
    lang: str = "zh",
    changes=None,
    pdf: Callable[[list[ListView], Path, str], list[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    links: list[dict] | None = None,
    docx: Callable[[list[ListView], Path, str], list[str]] | None = None,
) -> RenderResult:
    """Write the whole site into `target` (an empty folder). `pdf(views, folder, date)` writes PDFs and returns
    their names; `docx(views, folder, date)` likewise writes Word files.
    A template that fails (a typo in an overriding template) is reported as a RenderError naming the template."""
    import jinja2

    try:
        return _build_site(catalogs, target, templates, lang, changes, pdf, progress, links, docx)
    except jinja2.TemplateError as exc:
        where = f"{exc.name}:{exc.lineno}" if getattr(exc, "name", None) else ""
        raise RenderError(Text(f"模板错误 {where}：{exc.message}", f"template error {where}: {exc.message}")) from None


def _cross_references(catalogs: list[Catalog], views: list[ListView], lang: str, links: list[dict] | None) -> dict[str, str]:
    """Each row's links to where its item comes from and goes (govlist.links); returns list id → page href."""
    from .catalog import UnitIndex
    from .links import cross_references
    from .normalize import normalize_name

    listed = [c for c in catalogs if c.kind in COLUMNS]
    where: dict[int, tuple[ListView, RowView]] = {}
    for catalog, view in zip(listed, views):
        for item, row in zip(catalog.items, view.rows):
            where[id(item)] = (view, row)
    refs = cross_references(catalogs, UnitIndex([c for c in catalogs if c.kind == "registry"]), links)
    for key, entries in refs.items():
        if key not in where:
            continue
        for ref in entries:
            target = where.get(id(ref.target))
            if target is not None:
                label = ref.label_en if lang == "en" else ref.label_zh
                row = where[key][1]
                same = normalize_name(target[1].name) == normalize_name(row.name)  # say the other name only when it differs
                row.xrefs.append({"label": label, "href": f"../{target[0].href}#{target[1].anchor}", "text": "" if same else target[1].name})
    return {c.id: v.href for c, v in zip(listed, views)}


def _matrix_pages(env, catalogs: list[Catalog], views: list[ListView], hrefs: dict[str, str], target: Path, common: dict) -> list[dict]:
    """matrix/<template>.html for each upper list two or more lists derive from; returns {href, title} for the index."""
    from .matrix import STATUS_ZH, SYMBOL, site_matrices

    by_id = {v.id: v for v in views}
    pages = []
    for m in site_matrices(catalogs):
        base = by_id.get(m.template or "")
        item_hrefs = {i: f"../{base.href}#{row.anchor}" for i, row in enumerate(base.rows)} if base else {}
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", m.template or "matrix").strip("-.") or "matrix"
        href = f"matrix/{slug}.html"
        unit_hrefs = {u.list_id: f"../{hrefs[u.list_id]}" for u in m.units if u.list_id in hrefs}
        _write(target / href, env.get_template("matrix.html.j2").render(m=m, symbol=SYMBOL, status_zh=STATUS_ZH, unit_hrefs=unit_hrefs, item_hrefs=item_hrefs, standalone=False, root="../", **common))
        pages.append({"href": href, "title": base.title if base else m.template, "units": len(m.units)})
    return pages


def _build_site(catalogs, target, templates, lang, changes, pdf, progress, links=None, docx=None) -> RenderResult:
    env = environment(templates)
    views = make_views(catalogs, lang)
    hrefs = _cross_references(catalogs, views, lang, links)
    date = build_date(catalogs)
    total_items = sum(v.count for v in views)
    steps = len(views) + 2 + (1 if pdf else 0) + (1 if docx else 0)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    adjustments = changes_view(changes, lang) if changes is not None else None
    for name in ASSETS:
        _write(target / "assets" / name, template_source(env, name))
    _write(target / "assets" / "search-index.js", _search_index(views))
    _write(target / SITE_MARKER, "govlist site\n")
    tick()
    pdf_names: list[str] = []
    if pdf is not None:
        pdf_names = pdf(views, target / "pdf", date)
        for v in views:
            if f"{v.slug}.pdf" in pdf_names:
                v.pdf = f"pdf/{v.slug}.pdf"
        tick()
    docx_names: list[str] = []
    if docx is not None:
        docx_names = docx(views, target / "docx", date)
        for v in views:
            if f"{v.slug}.docx" in docx_names:
                v.docx = f"docx/{v.slug}.docx"
        tick()
    common = {"lang": lang, "date": date, "has_changes": adjustments is not None, "combined_pdf": "pdf/all.pdf" if "all.pdf" in pdf_names else None, "combined_docx": "docx/all.docx" if "all.docx" in docx_names else None}
    page = env.get_template("list.html.j2")
    for v in views:
        _write(target / v.href, page.render(list=v, root="../", **common))
        tick()
    matrices = _matrix_pages(env, catalogs, views, hrefs, target, common)
    _write(target / "index.html", env.get_template("index.html.j2").render(lists=views, total_items=total_items, matrices=matrices, root="", **common))
    if adjustments is not None:
        _write(target / "changes.html", env.get_template("changes.html.j2").render(changes=adjustments, root="", **common))
    tick()
    return RenderResult(target, len(views), total_items, pdf_names, docx_names)


def publish(out: Path, build: Callable[[Path], RenderResult]) -> RenderResult:
    """Build into a temporary folder beside `out`, then swap it in whole (output.replace_dir): a site at every instant."""
    out = Path(os.path.abspath(out))
    recover_dir(out)  # a killed run's old site back in place before it is looked at
    if out.exists() and not out.is_dir():
        raise RenderError(Text(f"{out} 已存在且不是目录", f"{out} exists and is not a folder"))
    if out.is_dir() and any(out.iterdir()) and not (out / SITE_MARKER).exists():
        raise RenderError(
            Text(
                f"{out} 不是空目录，也不是 govlist 生成的网站；为免误删，请另选输出目录或先清空它",
                f"{out} is not empty and not a site govlist made; to avoid deleting anything, choose another folder or empty it first",
            )
        )
    result = replace_dir(out, build)
    result.out = out
    return result
