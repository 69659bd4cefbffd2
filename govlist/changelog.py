"""The adjustment notice (调整说明) drafted from a diff, as Markdown or HTML (Jinja2 templates, HTML autoescaped).

The draft follows the wording of such notices: the base version, what was 新增/取消/变更/收回 per category and
department with the new totals, the reasons recorded in the new version (`adjustment`, `withdrawal`), and the item
tables. It is a draft for the clerk to edit, not the published text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from . import templating
from .adjustment import approval_text
from .diff import KIND_ZH, Change, DiffResult, as_text
from .diffreport import environment, field_label, item_counts, render_redline_markdown

CN_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    return str(n)


def _reason_for(result: DiffResult, catalog: str, code: str | None, name: str) -> dict | None:
    for r in result.reasons:
        if r["catalog"] != catalog and not (code and r["code"] == code):
            continue
        if (code and r["code"] == code) or (r["name"] and r["name"] == name):
            return r
    return None


def _catalog_section(result: DiffResult, cid: str, changes: list[Change]) -> dict:
    olds = {c.id: c for c in result.old_catalogs}
    news = {c.id: c for c in result.new_catalogs}
    old, new = olds.get(cid), news.get(cid)
    counts = item_counts(changes)
    rows = [a for a in result.arithmetic if a.catalog == cid]
    total = next((a for a in rows if a.category is None), None)
    per_category = []
    for a in rows:
        if a.category is None:
            continue
        kinds = item_counts([c for c in changes if c.ref and c.ref.category == a.category])
        per_category.append(
            {
                "name": a.category,
                "old": a.base if a.old_count or a.old_declared else 0,
                "added": a.added,
                "removed": a.removed,
                "moved_in": a.moved_in,
                "moved_out": a.moved_out,
                "withdrawn": kinds.get("withdrawn", 0),
                "changed": kinds.get("changed", 0) + kinds.get("renamed", 0),
                "new": a.stated,
                "ok": a.ok,
            }
        )
    departments: dict[str, Counter] = defaultdict(Counter)
    seen = set()
    for c in changes:
        if c.ref is None or c.kind in ("catalog", "category"):
            continue
        key = (c.kind, c.ref.code, c.ref.name)
        if key in seen:
            continue
        seen.add(key)
        departments[c.ref.department or "—"][c.kind] += 1

    def by(kind):
        out, seen_ = [], set()
        for c in changes:
            if c.kind == kind and (c.ref.code, c.ref.name) not in seen_:
                seen_.add((c.ref.code, c.ref.name))
                out.append(c)
        return out

    removed = []
    for c in by("removed"):
        removed.append({"c": c, "reason": _reason_for(result, cid, c.old.code, c.old.name)})
    withdrawn = []
    titles = {c.id: c.title for c in result.old_catalogs}
    for c in by("withdrawn"):
        record = _reason_for(result, cid, c.new.code, c.new.name) or {}
        w = c.new_value.get("withdrawal") if isinstance(c.new_value, dict) and isinstance(c.new_value.get("withdrawal"), dict) else {}
        withdrawn.append(
            {
                "c": c,
                "reason": w.get("reason") or record.get("reason") or "",
                "approval": w.get("approval") or record.get("approval") or "",
                "date": w.get("date") or record.get("effective") or "",
                "how": (f"由《{titles.get(c.old_value, c.old_value)}》收回" if c.field == ("catalog",) else "状态改为收回"),
            }
        )
    changed: dict[tuple, list[Change]] = defaultdict(list)
    for c in changes:
        if c.kind == "changed":
            changed[(c.new.code, c.new.name)].append(c)
    others = [c for c in changes if c.kind in ("renamed", "moved", "devolved", "split", "merged") and not (c.kind == "moved" and c.field not in (("category",), ("catalog",)))]
    reasons = [r for r in result.reasons if r["catalog"] == cid]
    return {
        "id": cid,
        "old": old,
        "new": new,
        "counts": counts,
        "total": total,
        "categories": per_category,
        "departments": sorted(departments.items()),
        "added": by("added"),
        "removed": removed,
        "withdrawn": withdrawn,
        "changed": sorted(changed.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])),
        "others": others,
        "reasons": reasons,
        "adjustment": new.adjustment if new else {},
        "approval": approval_text(new.adjustment) if new else "",
    }


def changelog_context(result: DiffResult) -> dict:
    groups: dict[str, list[Change]] = defaultdict(list)
    for c in result.changes:
        groups[c.catalog].append(c)
    sections = [_catalog_section(result, cid, changes) for cid, changes in sorted(groups.items()) if any(c.kind not in ("catalog", "category") for c in changes)]
    return {
        "r": result,
        "sections": sections,
        "cn": _cn,
        "kind_zh": KIND_ZH,
        "as_text": as_text,
        "field_label": lambda p: field_label(p, "zh"),
        "redline_md": render_redline_markdown,
        "total_counts": item_counts(result.changes),
    }


def render_changelog(result: DiffResult, fmt: str = "markdown", templates: Path | None = None) -> str:
    template = "changelog.html.j2" if fmt == "html" else "changelog.md.j2"
    return templating.render(environment(templates), template, changelog_context(result))
