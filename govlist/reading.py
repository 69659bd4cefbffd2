"""How a change is read: a changed field and value in the words a reader reads them (`Reading`, `reader_text`: a
list by its title, breakdowns in words, labels for keys, 是/否 for booleans, never a YAML key), and the 修订对照表
(`changes_view`: rows of before / after with redline segments) that the site page, the PDF and the Word file show.

Nothing here prints or writes. The diff report, the changelog and the 修订对照表 all read values through `Reading`;
it sits below them and above the diff and the list views' cell text, so none of them imports another for it.
"""

from __future__ import annotations

from .diff import KIND_EN, KIND_ZH, NO_CHANGE, Change, DiffResult, as_text, item_path, key_label, redline
from .fields import BRIEF_ZH, label
from .tables import COLUMNS, format_totals
from .views import plain_text, titled


def field_label(path: tuple, lang: str, kind: str | None = None, where: tuple = ()) -> str:
    """A field path as a reader names it: in Chinese each key by its label (diff.values.key_label) in its list's
    context (`kind`, the field standing under `where`, e.g. ("items",)); in English by its keys, as in the file."""
    if not path:
        return ""
    if lang == "en":
        return ".".join(str(p) for p in path)
    full = tuple(str(p) for p in (*where, *path))
    return "·".join(key_label(kind, full[: len(where) + i + 1]) for i in range(len(path)))


class Reading:
    """The words a change is read in: its field's label and its values' text in the context of its list (the
    list's kind; a list named by its title), so no key or internal value of the YAML reaches the reader."""

    def __init__(self, result: DiffResult, lang: str) -> None:
        self.lang = lang
        self.kinds = {c.id: c.kind for c in [*result.old_catalogs, *result.new_catalogs]}
        self.titles = {c.id: c.title for c in [*result.old_catalogs, *result.new_catalogs]}  # the new title wins

    def where(self, c: Change) -> tuple[str, ...]:
        """Where the changed field stands in its file: the header's fields at the top, an item's under its items."""
        return () if c.kind == "catalog" else item_path(self.kinds.get(c.catalog))

    def field(self, c: Change) -> str:
        return field_label(c.field, self.lang, self.kinds.get(c.catalog), self.where(c))

    def value(self, c: Change, value: object) -> str:
        """A changed value as a reader reads it (views.reader_text: a list by its title, breakdowns in words…)."""
        return reader_text(c.field, value, self.titles, self.kinds.get(c.catalog), self.where(c))

    def diff_text(self, c: Change, value: object) -> str:
        """A changed value as the diff redlined it (diff.as_text in the list's context)."""
        return as_text(value, self.kinds.get(c.catalog), self.where(c) + tuple(c.field))


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
            text += f"（{plain_text(entry['note'])}）"
        lines.append(text)
    return "\n".join(lines)


def reader_text(path: tuple, value: object, titles: dict[str, str], kind: str | None, where: tuple = ()) -> str:
    """A changed value as the text a reader reads: a list id as that list's title, 公布总数's breakdowns in words,
    anything else as the diff writes it (diff.as_text in the list's context, the field at `where` + `path`: labels
    for keys, a field's label for a value naming one, 是/否 for booleans). The diff report, the changelog and the
    修订对照表 all read values through it (diffreport.Reading)."""
    if path == ("catalog",) and isinstance(value, str):
        return titles.get(value, value)
    if path and path[-1] == "breakdowns":
        return _breakdown_text(value, kind)
    if path == ("declared",) and isinstance(value, dict):
        return "；".join(t for t in (format_totals(value), _breakdown_text(value.get("breakdowns"), kind)) if t)
    if path and path[-1] == "applies_to" and isinstance(value, list):
        return "\n".join(titles.get(str(v), str(v)) for v in value)
    return as_text(titled(value, titles), kind, (*where, *path))


def _side(catalogs: list, label: str, en: bool) -> str:
    """One side of a comparison as a reader names it: the lists' version (2024版), else the folder or revision given."""
    versions = sorted({str(c.version) for c in catalogs if c.version})
    if len(versions) != 1:
        return label
    version = versions[0]
    return f"version {version}" if en else (version if version.endswith("版") else f"{version}版")


def _count(n: int, en: bool, not_compared: list | None = None, lang: str = "zh") -> str:
    """How many changes, and what could not be compared (never "no change" when a file was not compared)."""
    if not_compared:
        head = (f": {n} changes. " if en else f"，共 {n} 处调整。") if n else (". " if en else "。")
        return head + ("Not compared: " if en else "未能比较：") + ("; " if en else "；").join(note.get(lang) for note in not_compared)
    if not n:
        return (": " if en else "：") + NO_CHANGE.get("en" if en else "zh")
    return f": {n} changes" if en else f"，共 {n} 处调整"


def changes_view(result, lang: str = "zh") -> dict:
    """A DiffResult as the 修订对照表: rows of before / after with redline segments (op, text), in the lists' order;
    what the site page, the PDF and the Word file show. No list id, YAML key or Python value reaches a row."""
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
        "summary": f"{_side(result.old_catalogs, result.old_label, en)} → {_side(result.new_catalogs, result.new_label, en)}" + _count(len(rows), en, result.not_compared(), lang),
    }
