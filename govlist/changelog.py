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
from .diff import KIND_ZH, NO_CHANGE, Change, DiffResult, as_text, unreadable
from .diffreport import environment, render_redline_markdown
from .reading import Reading, field_label
from .kinds import kind_word
from .model import Severity, Text

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


def _code_and_name(c: Change) -> tuple[str | None, str]:
    return (c.ref.code, c.ref.name) if c.ref else (None, "")


#: an item changed in several ways is counted once, as the first of these that applies: an item renamed and edited is
#: 变更, one moved or taken back whose code changed with it is 移动 or 收回, 更名 is a change of name alone
CLASS_ORDER = ("added", "removed", "split", "merged", "withdrawn", "devolved", "moved", "changed", "renamed")


def item_classes(changes: list[Change]) -> list[tuple[str, Change, list[Change]]]:
    """Each item changed, once: (its class, the change of that class, all its changes), in the order of the changes."""
    items: dict[tuple, list[Change]] = {}
    for c in changes:
        if c.kind in CLASS_ORDER:
            ref = c.ref
            items.setdefault(ref.identity() if ref else (c.fingerprint,), []).append(c)
    out = []
    for cs in items.values():
        kind = min((c.kind for c in cs), key=CLASS_ORDER.index)
        out.append((kind, next(c for c in cs if c.kind == kind), cs))
    return out


def _also(kind: str, cs: list[Change], reading: Reading) -> str:
    """The fields an item counted as `kind` also changed (移动 with a new code): 编码、承接主体."""
    if kind in ("changed", "renamed"):
        return ""
    labels = dict.fromkeys(reading.field(c) for c in cs if c.kind in ("changed", "renamed"))
    return "、".join(labels)


def _catalog_section(result: DiffResult, cid: str, changes: list[Change], reading: Reading) -> dict:
    olds = {c.id: c for c in result.old_catalogs}
    news = {c.id: c for c in result.new_catalogs}
    old, new = olds.get(cid), news.get(cid)
    titles = reading.titles
    items = item_classes(changes)
    counts = Counter(kind for kind, _, _ in items)
    rows = [a for a in result.arithmetic if a.catalog == cid]  # in the published order of the categories
    total = next((a for a in rows if a.category is None), None)
    per_category = []
    for a in rows:
        if a.category is None:
            continue
        kinds = Counter(kind for kind, c, _ in items if c.ref and c.ref.category == a.category)
        per_category.append(
            {
                "name": a.category,
                "old": a.base if a.old_count or a.old_declared else 0,
                "added": a.added,
                "removed": a.removed,
                "moved_in": a.moved_in,
                "moved_out": a.moved_out,
                "withdrawn": kinds.get("withdrawn", 0),
                "changed": kinds.get("changed", 0),
                "renamed": kinds.get("renamed", 0),
                "new": a.stated,
                "ok": a.ok,
            }
        )
    departments: dict[str, Counter] = defaultdict(Counter)
    for kind, c, _ in items:
        departments[(c.ref.department if c.ref else None) or "—"][kind] += 1

    def by(kind):
        return [(c, _also(k, cs, reading)) for k, c, cs in items if k == kind]

    removed = [{"c": c, "reason": _reason_for(result, cid, c.old.code, c.old.name)} for c, _ in by("removed")]
    withdrawn = []
    for c, also in by("withdrawn"):
        record = _reason_for(result, cid, c.new.code, c.new.name) or {}
        given = c.new_value.get("withdrawal") if isinstance(c.new_value, dict) else None
        w = given if isinstance(given, dict) else {}
        withdrawn.append(
            {
                "c": c,
                "reason": w.get("reason") or record.get("reason") or "",
                "approval": w.get("approval") or record.get("approval") or "",
                "date": w.get("date") or record.get("effective") or "",
                "how": (f"由《{titles.get(c.old_value, c.old_value)}》收回" if c.field == ("catalog",) else "状态改为收回") + (f"；同时变更{also}" if also else ""),
            }
        )
    changed = sorted(((_code_and_name(c), [x for x in cs if x.kind in ("renamed", "changed")]) for k, c, cs in items if k == "changed"), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    others = [{"c": c, "also": also, "old": reading.value(c, c.old_value), "new": reading.value(c, c.new_value)} for kind in ("renamed", "moved", "devolved", "split", "merged") for c, also in by(kind)]
    others.sort(key=lambda x: x["c"].sort_key())
    reasons = [r for r in result.reasons if r["catalog"] == cid]
    category_changes = []
    for c in changes:
        if c.kind == "category":
            if c.old_value is None:
                category_changes.append(f"新增类别“{c.new_value}”")
            elif c.new_value is None:
                category_changes.append(f"取消类别“{c.old_value}”")
            else:
                category_changes.append(f"类别“{c.old_value}”更名为“{c.new_value}”")
    info = new or old
    kind = info.kind if info else ""
    return {
        "id": cid,
        "old": old,
        "new": new,
        "word": kind_word(kind),
        "counts": counts,
        "total": total,
        "categories": per_category,
        "category_changes": category_changes,
        "departments": sorted(departments.items()),
        "added": [c for c, _ in by("added")],
        "removed": removed,
        "withdrawn": withdrawn,
        "changed": changed,
        "others": others,
        "reasons": reasons,
        "adjustment": new.adjustment if new else {},
        "approval": approval_text(new.adjustment) if new else "",
    }


NOTHING = Text(f"{NO_CHANGE.zh}。", f"{NO_CHANGE.en.capitalize()}.")
NO_ITEM_CHANGES = Text("两个版本之间事项没有变化。", "No item changed between the two versions.")
NOT_COMPARED = Text("未能比较：下列文件有错误，两个版本之间有无变化尚不能确定。", "Not compared: the files below have errors, so whether the versions differ is not known.")


def not_compared(result: DiffResult) -> bool:
    """No notice can be drafted because files failed: nothing changed but errors were found, or a file could not be
    read or does not match its format (parse.*, schema.*), which makes its list look wholly removed or added (a typo
    in one item would draft the cancellation of every item)."""
    return bool(result.unread) or any(unreadable(f) for f in result.findings) or (not result.changes and result.findings_failed(Severity.ERROR))


def changelog_context(result: DiffResult, lang: str = "zh") -> dict:
    groups: dict[str, list[Change]] = defaultdict(list)
    for c in result.changes:
        groups[c.catalog].append(c)
    reading = Reading(result, "zh")
    failed = not_compared(result)
    sections = [] if failed else [_catalog_section(result, cid, changes, reading) for cid, changes in sorted(groups.items()) if any(c.kind != "catalog" for c in changes)]
    titles = reading.titles
    header = [] if failed else [f"《{titles.get(c.catalog, c.catalog)}》{reading.field(c)}：{reading.value(c, c.old_value) or '—'} → {reading.value(c, c.new_value) or '—'}" for c in result.changes if c.kind == "catalog" and not sections]
    return {
        "r": result,
        "sections": sections,
        "nothing": "" if sections else (NOT_COMPARED if failed else NO_ITEM_CHANGES if header else NOTHING).get(lang),
        "header_changes": header or [f"{f.file}:{f.line}:{f.column}: {f.message.get(lang)}" for f in result.findings if f.severity >= Severity.ERROR and failed],
        "cn": _cn,
        "kind_zh": KIND_ZH,
        "as_text": as_text,
        "field_label": lambda p: field_label(p, "zh"),
        "change_field": reading.field,
        "change_value": reading.value,
        "redline_md": render_redline_markdown,
    }


def render_changelog(result: DiffResult, fmt: str = "markdown", templates: Path | None = None, lang: str = "zh") -> str:
    """The notice as Markdown or HTML. When nothing changed it says so plainly, never an empty page."""
    template = "changelog.html.j2" if fmt == "html" else "changelog.md.j2"
    return templating.render(environment(templates), template, changelog_context(result, lang))
