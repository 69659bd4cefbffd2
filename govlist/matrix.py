"""One table for the lists of one kind and level: item × unit (`govlist matrix`). Nothing here prints.

With a template (`--template ID`, else the parent all the lists name), each unit's list is matched against it as the
parent rules match it (govlist.inheritance, which matches as `govlist diff` does; `local: true` items stay local): an item is present, absent, renamed (with the local name) or, when
the template does not have it, local-only. A unit's distance from the template is the number of template items it
lacks or renames plus its local-only items. Without a template, items are grouped by normalised name.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .catalog import Catalog, Item
from .inheritance import Resolver, compare, parent_ref
from .model import Text
from .result import UsageError

PRESENT, ABSENT, RENAMED, LOCAL = "present", "absent", "renamed", "local"
SYMBOL = {PRESENT: "●", ABSENT: "·", RENAMED: "≈", LOCAL: "+"}
STATUS_ZH = {PRESENT: "有", ABSENT: "无", RENAMED: "更名", LOCAL: "本级"}


@dataclass
class Unit:
    list_id: str
    name: str
    file: str
    items: int
    distance: int | None = None
    absent: int = 0
    renamed: int = 0
    local: int = 0


@dataclass
class Row:
    code: str | None
    name: str
    from_template: bool
    cells: list[str] = field(default_factory=list)  # one status per unit
    local_names: dict[int, str] = field(default_factory=dict)  # unit index → the unit's own name (renamed)
    count: int = 0  # units that carry the item (present, renamed or local)


@dataclass
class Matrix:
    kind: str
    level: str | None
    template: str | None
    units: list[Unit]
    rows: list[Row]

    def as_json(self) -> dict:
        data = asdict(self)
        for row in data["rows"]:
            row["local_names"] = {self.units[int(i)].list_id: n for i, n in row["local_names"].items()}
        return {"format": 1, **data}

    def worst(self) -> int:
        return max((u.distance or 0 for u in self.units), default=0)


def _unit_name(catalog: Catalog, units_by_key: dict[str, str]) -> str:
    ref = catalog.data.get("unit")
    if isinstance(ref, str) and ref.strip():
        return units_by_key.get(ref, ref)
    return catalog.title or catalog.id


def unit_names(catalogs: list[Catalog]) -> dict[str, str]:
    """Each unit's code, name and aliases in the registries among `catalogs` → its name (the first registry, and
    in it the first unit, to hold a key names it)."""
    names: dict[str, str] = {}
    for c in catalogs:
        if c.kind == "registry":
            for u in c.items:
                for key in (u.code, u.data.get("name"), *(u.data.get("aliases") or [])):
                    if key:
                        names.setdefault(str(key), str(u.data.get("name") or key))
    return names


def build_matrix(catalogs: list[Catalog], kind: str, level: str | None = None, template: str | None = None, names: dict[str, str] | None = None) -> Matrix:
    """The matrix of every list of `kind` (and `level`) in `catalogs`; UsageError for an unknown template. `names`:
    unit_names(catalogs), where the caller has it already."""
    resolver = Resolver(catalogs)
    lists = [c for c in catalogs if c.kind == kind and (level is None or c.level == level)]
    base: Catalog | None = None
    if template is not None:
        base = resolver.find(template)
        if base is None:
            raise UsageError(Text(f"找不到模板清单“{template}”（应为所读入清单的 id）", f"no template list '{template}' (the id of a list read)"))
    else:
        parents = {id(p): p for p in (resolver.parent(c) for c in lists) if p is not None}
        if len(parents) == 1:  # every list names the same parent, or is that parent
            only = next(iter(parents.values()))
            if all(c is only or (parent_ref(c) is not None and resolver.parent(c) is only) for c in lists):
                base = only
    lists = [c for c in lists if c is not base]
    if not lists:
        raise UsageError(Text(f"没有 {kind} 类型" + (f"、层级为“{level}”" if level else "") + "的清单", f"no {kind} list" + (f" of level '{level}'" if level else "") + " was read"))
    registry = unit_names(catalogs) if names is None else names
    units = [Unit(c.id, _unit_name(c, registry), c.path, len(c.items)) for c in lists]
    rows: list[Row] = []
    local_rows: dict[str, Row] = {}
    n = len(lists)

    def local_row(item: Item) -> Row:
        key = item.stripped_key
        if key not in local_rows:
            local_rows[key] = Row(item.code, item.name, False, [ABSENT] * n)
        return local_rows[key]

    if base is not None:
        rows = [Row(i.code, i.name, True, [ABSENT] * n) for i in base.items]
        index = {id(i): r for i, r in zip(base.items, rows)}
        for col, catalog in enumerate(lists):
            matched = compare(base, catalog, "extends")  # as the parent rules see it: `local: true` items stay local
            for o, it, _ in matched.pairs:
                row = index[id(o)]
                if o.stripped_key == it.stripped_key:
                    row.cells[col] = PRESENT
                else:
                    row.cells[col], row.local_names[col] = RENAMED, it.name
            for sources, it in matched.run_together:
                for o in sources:
                    index[id(o)].cells[col], index[id(o)].local_names[col] = RENAMED, it.name
            for o, parts in matched.split:
                index[id(o)].cells[col], index[id(o)].local_names[col] = RENAMED, "、".join(p.name for p in parts)
            for it in matched.unmatched + matched.local:
                local_row(it).cells[col] = LOCAL
    else:
        for col, catalog in enumerate(lists):
            for item in catalog.items:
                local_row(item).cells[col] = PRESENT
    rows += list(local_rows.values())
    for row in rows:
        row.count = sum(1 for s in row.cells if s != ABSENT)
    if base is not None:
        for col, unit in enumerate(units):
            unit.absent = sum(1 for r in rows if r.from_template and r.cells[col] == ABSENT)
            unit.renamed = sum(1 for r in rows if r.cells[col] == RENAMED)
            unit.local = sum(1 for r in rows if r.cells[col] == LOCAL)
            unit.distance = unit.absent + unit.renamed + unit.local
    return Matrix(kind, level, base.id if base is not None else None, units, rows)


def parse_threshold(text: str) -> tuple[float, bool]:
    """`--fail-on` for matrix: a count (5) or a share of the template's items (10%)."""
    value = text.strip()
    try:
        return (float(value[:-1]), True) if value.endswith("%") else (float(int(value)), False)
    except ValueError:
        raise UsageError(Text(f"--fail-on 应为数目（如 5）或百分比（如 10%），而不是“{text}”", f"--fail-on takes a count (5) or a share (10%), not '{text}'")) from None


def exceeds(matrix: Matrix, threshold: tuple[float, bool]) -> list[Unit]:
    """The units whose distance from the template is over the threshold."""
    limit, share = threshold
    base = sum(1 for r in matrix.rows if r.from_template) or 1
    return [u for u in matrix.units if u.distance is not None and (u.distance * 100.0 / base if share else u.distance) > limit]


# --- output ---------------------------------------------------------------------------------------------------------


def render_json(matrix: Matrix) -> str:
    return json.dumps(matrix.as_json(), ensure_ascii=False, indent=2) + "\n"


def render_text(matrix: Matrix, lang: str) -> str:
    zh = lang != "en"
    out = []
    head = f"{matrix.kind} 清单 {len(matrix.units)} 个单位 × {len(matrix.rows)} 个事项" if zh else f"{matrix.kind} lists: {len(matrix.units)} units × {len(matrix.rows)} items"
    if matrix.level:
        head += f"（层级 {matrix.level}）" if zh else f" (level {matrix.level})"
    out.append(head)
    out.append((f"模板：{matrix.template}" if zh else f"template: {matrix.template}") if matrix.template else ("没有模板：按事项名称归并" if zh else "no template: items grouped by name"))
    out.append("")
    out.append("单位与模板的差距（缺少 + 更名 + 本级）" if zh else "distance of each unit from the template (absent + renamed + local)")
    for i, u in enumerate(matrix.units, 1):
        dist = "-" if u.distance is None else str(u.distance)
        detail = f"{u.absent}/{u.renamed}/{u.local}" if u.distance is not None else ""
        out.append(f"  U{i:<3} {u.name}（{u.list_id}）  {u.items} 项  {dist}  {detail}" if zh else f"  U{i:<3} {u.name} ({u.list_id})  {u.items} items  {dist}  {detail}")
    out.append("")
    legend = "● 有  · 无  ≈ 更名（括号内为本单位名称）  + 本级事项" if zh else "● present  · absent  ≈ renamed (local name in brackets)  + local only"
    out.append(legend)
    out.append("  " + "".join(f"{i % 10}" for i in range(1, len(matrix.units) + 1)) + ("   单位数  事项" if zh else "   units  item"))
    for row in matrix.rows:
        cells = "".join(SYMBOL[s] for s in row.cells)
        label = f"{row.code} {row.name}" if row.code else row.name
        renames = "；".join(f"U{i + 1}：{n}" for i, n in sorted(row.local_names.items()))
        out.append(f"  {cells}   {row.count}/{len(matrix.units)}  {label}" + (f"（{renames}）" if renames else ""))
    return "\n".join(out) + "\n"


def render_xlsx(matrix: Matrix) -> bytes:
    """The form a 编办 circulates: one sheet item × unit, one sheet of units with their distance."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "对照表"
    ws.append(["事项编码", "事项名称", "来源", "单位数"] + [u.name for u in matrix.units])
    for row in matrix.rows:
        cells = []
        for i, status in enumerate(row.cells):
            cells.append(f"≈ {row.local_names[i]}" if status == RENAMED else {PRESENT: "●", ABSENT: "", LOCAL: "+"}[status])
        ws.append([row.code or "", row.name, "模板" if row.from_template else "本级", row.count] + cells)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "E2"
    ws.column_dimensions["B"].width = 40
    units = wb.create_sheet("单位")
    units.append(["清单标识", "单位", "事项数", "与模板差距", "缺少", "更名", "本级"])
    for u in matrix.units:
        units.append([u.list_id, u.name, u.items, u.distance, u.absent, u.renamed, u.local])
    for cell in units[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def site_matrices(catalogs: list[Catalog]) -> list[Matrix]:
    """One matrix per upper list that two or more lists of its kind name as their parent (the published site)."""
    resolver = Resolver(catalogs)
    children: dict[int, list[Catalog]] = {}
    parents: dict[int, Catalog] = {}
    for c in catalogs:
        parent = resolver.parent(c) if parent_ref(c) is not None else None
        if parent is not None and parent is not c and parent.kind == c.kind and not resolver.chain(c)[1]:
            children.setdefault(id(parent), []).append(c)
            parents[id(parent)] = parent
    registries = [c for c in catalogs if c.kind == "registry"]
    names = unit_names(registries)  # once, not for each of hundreds of matrices over hundreds of registries
    out = []
    for key, lower in children.items():
        if len(lower) >= 2:
            parent = parents[key]
            shared = names if parent.kind != "registry" else None  # registries as the lists: they name units first
            out.append(build_matrix([parent, *lower, *registries], parent.kind, None, parent.id, shared))
    return sorted(out, key=lambda m: m.template or "")
