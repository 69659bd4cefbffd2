"""Counts per list, category, type and department, beside the declared totals (`govlist stats`)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from .catalog import Catalog
from .display import printable
from .fields import label
from .kinds import TYPE_FIELD, department
from .project import Project


@dataclass
class CategoryStats:
    name: str
    items: int
    declared: int | None


@dataclass
class CatalogStats:
    file: str
    id: str
    kind: str
    title: str
    items: int
    declared_items: int | None
    categories: list[CategoryStats] = field(default_factory=list)
    declared_categories: int | None = None
    by_type: dict[str, int] = field(default_factory=dict)
    by_department: dict[str, int] = field(default_factory=dict)
    type_field: str | None = None


def compute_stats(catalogs: list[Catalog], project: Project) -> list[CatalogStats]:
    result = []
    for catalog in sorted(catalogs, key=lambda c: c.path):
        declared = catalog.data.get("declared") or {}
        type_field = TYPE_FIELD.get(catalog.kind)
        by_type = Counter(str(i.data.get(type_field)) for i in catalog.items if type_field and i.data.get(type_field) is not None)
        by_department = Counter(d for d in (department(catalog.kind, i.data) for i in catalog.items) if d)
        result.append(
            CatalogStats(
                file=catalog.path,
                id=catalog.id,
                kind=catalog.kind,
                title=catalog.title,
                items=len(catalog.items),
                declared_items=declared.get("items"),
                categories=[CategoryStats(str(c.get("name")), len(c.get("items") or []), c.get("declared")) for c in catalog.categories],
                declared_categories=declared.get("categories"),
                by_type=dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
                by_department=dict(sorted(by_department.items(), key=lambda kv: (-kv[1], kv[0]))),
                type_field=type_field,
            )
        )
    return result


def render_stats_json(stats: list[CatalogStats]) -> str:
    return json.dumps({"format": 1, "lists": [asdict(s) for s in stats]}, ensure_ascii=False, indent=2) + "\n"


def _vs(actual: int, declared: int | None, lang: str) -> str:
    if declared is None:
        return str(actual)
    mark = "✓" if actual == declared else ("✗ 声明 " if lang == "zh" else "✗ declared ") + str(declared)
    return f"{actual} {mark}" if actual == declared else f"{actual} ({mark})"


def _type_label(stats: CatalogStats) -> str:
    """The Chinese name of the field items are counted by (履职类型 for a duty list's `track`), as a reader knows it."""
    key = stats.type_field or ""
    return next((name for name in (label(stats.kind, (where, key)) for where in ("items", "units")) if name != key), "类型")


def render_stats_text(stats: list[CatalogStats], lang: str, skipped: list[str] | None = None) -> str:
    """The counts as text; `skipped` are files that could not be counted (they fail to load or to match the format)."""
    zh = lang == "zh"
    out: list[str] = []
    for s in stats:
        out.append(f"{s.title}  [{s.id}, {s.file}]")
        if s.categories:
            out.append(("  类别：" if zh else "  categories: ") + _vs(len(s.categories), s.declared_categories, lang) + ("    事项：" if zh else "    items: ") + _vs(s.items, s.declared_items, lang))
            for c in s.categories:
                out.append(f"    {c.name}  {_vs(c.items, c.declared, lang)}")
        else:
            out.append(("  事项：" if zh else "  items: ") + _vs(s.items, s.declared_items, lang))
        if s.by_type:
            heading = f"  按{_type_label(s)}：" if zh else f"  by type ({s.type_field}): "
            out.append(heading + ("，" if zh else ", ").join(f"{k} {v}" for k, v in s.by_type.items()))
        if s.by_department:
            out.append(("  按部门：" if zh else "  by department: ") + ("，" if zh else ", ").join(f"{k} {v}" for k, v in s.by_department.items()))
        out.append("")
    if skipped:
        shown = "、".join(skipped[:5]) + ("……" if len(skipped) > 5 else "")
        out.append(
            f"未计入 {len(skipped)} 个文件（无法读取或不符合清单格式）：{shown}；用 govlist validate 查看原因"
            if zh
            else f"left out {len(skipped)} file(s) that cannot be read or do not match the format: {', '.join(skipped[:5])}; run govlist validate to see why"
        )
    elif not stats:
        out.append("没有可统计的清单" if zh else "no lists to count")
    if out and out[-1]:
        out.append("")
    return printable("\n".join(out), keep_newlines=True)
