"""Render a DiffResult: text (summary first, then details), Markdown, HTML (Jinja2, autoescaped) and JSON.

Output is deterministic: the same inputs give the same bytes (changes are sorted, no clock, no absolute paths other
than those given on the command line).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from .diff import KIND_EN, KIND_ZH, KINDS_ORDER, LEVEL_ZH, LEVELS, METHOD_EN, METHOD_ZH, Change, DiffResult, as_text
from . import templating
from .display import printable
from .model import SEVERITY_ZH
from .templating import markdown_cell
from .reading import Reading, field_label

ITEM_KINDS = ("added", "removed", "withdrawn", "devolved", "moved", "split", "merged", "renamed", "changed")
JSON_FORMAT_VERSION = 1


def kind_label(kind: str, lang: str) -> str:
    return KIND_EN[kind] if lang == "en" else KIND_ZH[kind]


def level_label(level: str, lang: str) -> str:
    return level if lang == "en" else LEVEL_ZH[level]


def method_name(method: str, lang: str) -> str:
    """A matching method as the summary names it: its key in English, 编码、名称… in Chinese."""
    return method if lang == "en" else METHOD_ZH.get(method, method)


def method_label(change: Change, lang: str) -> str:
    """How a change's item was matched, beside the change: 编码匹配, 相似匹配 0.87; a pair whose names are equal apart
    from a bracketed gloss says so (除括注外名称相同) and shows no score, which would read as "identical names"."""
    method = change.method
    if not method:
        return ""
    if method == "gloss":
        return METHOD_EN[method] if lang == "en" else METHOD_ZH[method]
    text = method if lang == "en" else METHOD_ZH.get(method, method) + "匹配"
    if method == "similarity" and change.score is not None:
        score = f"{change.score:.2f}"
        text += " " + ("0.99" if score == "1.00" and change.score < 1 else score)  # 0.999 is not "1.00"
    return text


def item_counts(changes: list[Change]) -> Counter:
    """How many items each kind touches: several field changes of one item count once."""
    seen: set[tuple] = set()
    counts: Counter = Counter()
    for c in changes:
        if c.kind not in ITEM_KINDS:
            continue
        ref = c.ref
        key = (c.kind, *ref.identity()) if ref else (c.kind, c.fingerprint)
        if key not in seen:
            seen.add(key)
            counts[c.kind] += 1
    return counts


def group_counts(changes: list[Change], key, order: dict[str, int] | None = None) -> list[tuple[str, Counter]]:
    """Item counts per group, the groups in `order` (a group's place; the others after, by name) else by name."""
    groups: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.kind in ITEM_KINDS:
            groups[key(c)].append(c)
    place = order or {}
    return [(k, item_counts(v)) for k, v in sorted(groups.items(), key=lambda kv: (place.get(kv[0], len(place)), kv[0]))]


def by_category(result: DiffResult) -> list[tuple[str, Counter]]:
    """Item counts per list and category, the categories in their published order (as the arithmetic has them)."""
    order = {f"{a.catalog} / {a.category}": i for i, a in enumerate(result.arithmetic) if a.category is not None}
    return group_counts(result.changes, _by_category, order)


def _by_category(c: Change) -> str:
    ref = c.ref
    return f"{c.catalog} / {ref.category}" if ref and ref.category else c.catalog


def _by_department(c: Change) -> str:
    ref = c.ref
    return ref.department if ref and ref.department else "—"


def counts_text(counts: Counter, lang: str) -> str:
    sep = ", " if lang == "en" else "、"
    parts = [f"{kind_label(k, lang)} {counts[k]}" for k in KINDS_ORDER if counts.get(k)]
    return sep.join(parts) if parts else ("no change" if lang == "en" else "无变更")


def render_redline_text(segments: tuple) -> str:
    out = []
    for op, text in segments:
        out.append(text if op == "equal" else (f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"))
    return "".join(out)


def render_redline_markdown(segments: tuple) -> str:
    out = []
    for op, text in segments:
        text = markdown_cell(text.replace("\n", "；"))
        out.append(text if op == "equal" else (f"<del>{text}</del>" if op == "delete" else f"<ins>{text}</ins>"))
    return "".join(out)


def change_title(c: Change, lang: str, reading: Reading) -> str:
    """One line naming the change: level, kind, item (or catalog), field, how it was matched."""
    ref = c.ref
    what = ref.label() if ref else c.catalog
    if c.kind in ("catalog", "category"):
        what = c.catalog if c.kind == "catalog" else (ref.name if ref else "")
    bits = [f"[{level_label(c.level, lang)}]", kind_label(c.kind, lang), what]
    if c.field and c.kind not in ("category",):
        bits.append(f"· {reading.field(c)}")
    method = method_label(c, lang)
    if method:
        bits.append(f"({method})")
    if c.accepted:
        bits.append("(accepted)" if lang == "en" else "（已接受）")
    return " ".join(bits)


def change_detail(c: Change, lang: str, reading: Reading) -> list[str]:
    """The lines under a change's title (plain text)."""
    lines = []
    arrow = " → "
    text = reading.value
    if c.kind in ("moved", "devolved", "withdrawn") and c.field in (("catalog",), ("category",)):
        lines.append(f"{text(c, c.old_value)}{arrow}{text(c, c.new_value)}")
    elif c.kind == "renamed":
        lines.append(f"{c.old_value}{arrow}{c.new_value}")
    elif c.kind in ("split", "merged"):
        parts = "；".join(r.label() for r in c.related) if lang != "en" else "; ".join(r.label() for r in c.related)
        if c.field == ("subitems",):
            lines.append(("sub-items: " if lang == "en" else "子项：") + parts)
        elif c.kind == "split":
            lines.append(f"{c.old.label() if c.old else ''}{arrow}{parts}")
        else:
            lines.append(f"{parts}{arrow}{c.new.label() if c.new else ''}")
    elif c.redline:
        lines.append(render_redline_text(c.redline))
    elif c.kind in ("changed", "moved", "catalog", "withdrawn", "devolved", "category") and (c.old_value is not None or c.new_value is not None):
        lines.append(f"{text(c, c.old_value) or '—'}{arrow}{text(c, c.new_value) or '—'}")
    return lines


def _catalog_line(result: DiffResult, lang: str) -> list[str]:
    olds = {c.id: c for c in result.old_catalogs}
    news = {c.id: c for c in result.new_catalogs}
    out = []
    for cid in sorted(set(olds) | set(news)):
        o, n = olds.get(cid), news.get(cid)

        def desc(c):
            if c is None:
                return "—"
            bits = [x for x in (c.version and (f"v{c.version}" if lang == "en" else f"{c.version}版"), c.doc_number, c.effective) if x]
            count = f"{c.items} items" if lang == "en" else f"{c.items}项"
            return " ".join(bits + [count])

        out.append(f"  {cid}: {desc(o)} → {desc(n)}")
    return out


def render_text(result: DiffResult, lang: str) -> str:
    en = lang == "en"
    reading = Reading(result, lang)
    out = [f"govlist diff: {result.old_label} → {result.new_label}", ""]
    notes = result.not_compared()
    if notes:
        out.append("Not compared (the counts below leave these out):" if en else "未能比较（以下各项计数不含这些）：")
        out += [f"  {note.get(lang)}" for note in notes] + [""]
    out.append("Lists:" if en else "清单：")
    out += _catalog_line(result, lang)
    paired = [p for p in result.pairing if p.how != "id"]
    if paired:
        out.append("Lists paired:" if en else "清单配对：")
        out += [f"  {p.describe().get(lang)}" for p in paired]
    out.append("")
    counts = item_counts(result.changes)
    out.append(("Changes by kind: " if en else "按变更类型：") + counts_text(counts, lang))
    fields = sum(1 for c in result.changes if c.kind == "changed")
    if fields:
        out[-1] += f" ({fields} fields)" if en else f"（{fields} 处字段）"
    levels = Counter(c.level for c in result.changes if not c.accepted)
    accepted = sum(1 for c in result.changes if c.accepted)
    sep = ", " if en else "、"
    out.append(("By level: " if en else "按级别：") + sep.join(f"{level_label(lv, lang)} {levels[lv]}" for lv in LEVELS) + ((f"; {accepted} accepted" if en else f"；已接受 {accepted}") if accepted else ""))
    matched = sep.join(f"{method_name(k, lang)} {v}" for k, v in result.matched.items())
    out.append((f"Matched: {matched or 'none'}; {result.unchanged} unchanged; {result.renumbered} renumbered only (not a change)" if en else f"匹配：{matched or '无'}；未变 {result.unchanged} 项；序号调整 {result.renumbered} 项（不计为变更）"))
    for title, groups in (("By category" if en else "按类别", by_category(result)), ("By department" if en else "按部门", group_counts(result.changes, _by_department))):
        if groups:
            out += ["", title + (":" if en else "：")]
            out += [f"  {name}: {counts_text(c, lang)}" for name, c in groups]
    rows = [r for r in result.arithmetic if r.category is None or not r.ok]
    if rows:
        out += ["", "Arithmetic (old − removed + added ± moves = new):" if en else "数目核对（原数 − 取消 + 新增 ± 移入移出 = 新数）："]
        for r in rows:
            where = r.catalog + (f" / {r.category}" if r.category else "")
            mark = "ok" if r.ok else ("MISMATCH" if en else "不符")
            moves = f" + {r.moved_in} − {r.moved_out}" if r.moved_in or r.moved_out else ""
            out.append(f"  {where}: {r.base} − {r.removed} + {r.added}{moves} = {r.expected}; {'stated' if en else '新版'} {r.stated}  {mark}")
    if result.findings:
        out += ["", "Findings:" if en else "发现："]
        for f in result.findings:
            where = f"{f.file}:{f.line}:{f.column}" if f.line else (f.file or "-")
            severity = f.severity.label if en else SEVERITY_ZH[f.severity]
            out.append(f"  {where}: {severity} [{f.rule}] {f.message.get(lang)}")
    item_changes = [c for c in result.changes]
    if item_changes:
        out += ["", "Details:" if en else "明细："]
        current = None
        for c in item_changes:
            if c.catalog != current:
                current = c.catalog
                out += ["", f"== {current} =="]
            out.append(f"  {change_title(c, lang, reading)}  #{c.fingerprint}")
            out += [f"      {line}" for detail in change_detail(c, lang, reading) for line in detail.splitlines()]
    return printable("\n".join(out), keep_newlines=True) + "\n"


def render_json(result: DiffResult) -> str:
    counts = item_counts(result.changes)
    data = {
        "govlist_diff": JSON_FORMAT_VERSION,
        "old": {"label": result.old_label, "catalogs": [c.as_json() for c in result.old_catalogs]},
        "new": {"label": result.new_label, "catalogs": [c.as_json() for c in result.new_catalogs]},
        "summary": {
            "items_by_kind": {k: counts[k] for k in KINDS_ORDER if counts.get(k)},
            "changes_by_level": {lv: sum(1 for c in result.changes if c.level == lv and not c.accepted) for lv in LEVELS},
            "accepted": sum(1 for c in result.changes if c.accepted),
            "matched": result.matched,
            "unchanged": result.unchanged,
            "renumbered": result.renumbered,
            "pairing": [p.as_json() for p in result.pairing],
            "by_category": {name: dict(sorted(c.items())) for name, c in by_category(result)},
            "by_department": {name: dict(sorted(c.items())) for name, c in group_counts(result.changes, _by_department)},
        },
        "not_compared": {
            "files": [{"side": side, "file": f.file, "rule": f.rule, "line": f.line, "column": f.column, "message": {"zh": f.message.zh, "en": f.message.en}} for side, f in result.unread],
            "lists": [{"side": side, **c.as_json()} for side, c in result.set_aside],
            "notes": [{"zh": note.zh, "en": note.en} for note in result.not_compared()],
        },
        "changes": [change_json(c) for c in result.changes],
        "arithmetic": [r.as_json() for r in result.arithmetic],
        "reasons": result.reasons,
        "findings": [{"rule": f.rule, "severity": f.severity.label, "message": {"zh": f.message.zh, "en": f.message.en}, "file": f.file, "line": f.line, "column": f.column, "pointer": f.pointer, "item": f.item} for f in result.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def change_json(c: Change) -> dict:
    return {
        "kind": c.kind,
        "level": c.level,
        "catalog": c.catalog,
        "old": c.old.as_json() if c.old else None,
        "new": c.new.as_json() if c.new else None,
        "field": [str(p) for p in c.field],
        "old_value": c.old_value,
        "new_value": c.new_value,
        "match": {"method": c.method, "score": c.score} if c.method else None,
        "redline": [[op, text] for op, text in c.redline],
        "related": [r.as_json() for r in c.related],
        "fingerprint": c.fingerprint,
        "accepted": c.accepted,
    }


# --- Markdown and HTML through Jinja2 -------------------------------------------------------------------------------


def environment(templates: Path | None = None):
    """The report templates (diff.md.j2, diff.html.j2, changelog.*.j2): a user's folder over the packaged ones. The
    packaged ones are one environment for the process, so a template is compiled once, not on every render."""
    return _environment(templates) if templates is not None else _packaged_environment()


@lru_cache(maxsize=1)
def _packaged_environment():
    return _environment(None)


def _environment(templates: Path | None):
    return templating.environment("", templates, filters={"redline_md": render_redline_markdown, "as_text": as_text})


def diff_context(result: DiffResult, lang: str) -> dict:
    counts = item_counts(result.changes)
    reading = Reading(result, lang)
    groups = defaultdict(list)
    for c in result.changes:
        groups[c.catalog].append(c)
    return {
        "r": result,
        "lang": lang,
        "en": lang == "en",
        "counts": counts,
        "counts_text": counts_text(counts, lang),
        "not_compared": [note.get(lang) for note in result.not_compared()],
        "by_category": by_category(result),
        "by_department": group_counts(result.changes, _by_department),
        "groups": sorted(groups.items()),
        "catalog_lines": [line.strip() for line in _catalog_line(result, lang)],
        "kind_label": lambda k: kind_label(k, lang),
        "level_label": lambda lv: level_label(lv, lang),
        "field_label": lambda p: field_label(p, lang),
        "change_field": reading.field,
        "method_label": lambda c: method_label(c, lang),
        "method_name": lambda m: method_name(m, lang),
        "change_detail": lambda c: change_detail(c, lang, reading),
        "counts_of": lambda c: counts_text(c, lang),
        "kinds": [k for k in KINDS_ORDER if k in ITEM_KINDS],
        "levels": LEVELS,
        "level_counts": Counter(c.level for c in result.changes if not c.accepted),
    }


def render_markdown(result: DiffResult, lang: str, templates: Path | None = None) -> str:
    return templating.render(environment(templates), "diff.md.j2", diff_context(result, lang))


def render_html(result: DiffResult, lang: str, templates: Path | None = None) -> str:
    return templating.render(environment(templates), "diff.html.j2", diff_context(result, lang))


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html, "json": lambda r, lang: render_json(r)}
