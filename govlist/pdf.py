"""The official-layout PDF of lists, compiled with typst (the `typst` package from PyPI). Nothing here prints.

Layout (GB/T 9704-2012 where it applies to an attachment): A4; portrait pages keep the standard margins (天头 37 mm,
订口 28 mm, 版心 156 × 225 mm); a table too wide for 156 mm goes on landscape pages with the same 版心 turned
(225 × 156 mm). Title in the 小标宋 role, table text in 仿宋, header row and category rows in 黑体, the issuer line
and running header in 楷体 (fonts.py finds each role). Page numbers `— N —` in 4号 宋体 7 mm below the 版心, odd pages
on the right and even pages on the left, one character in. No space is put between Chinese and Latin text.

Column widths come from the content (layout_columns below); columns empty in the whole list were already dropped by
the view. A code too long for its column gets break opportunities between its characters, so nothing ever runs
into the next cell. Categories are typst sub-headers, which typst never leaves at the foot of a page; they are also
level-2 headings, so the PDF has a bookmark per list and per category. The combined PDF adds a contents page and a
running header with the list's title.

The catalog data is passed to the template (govlist/templates/pdf/list.typ, overridable with --templates) as one
JSON string in `sys.inputs`, read with `json(bytes(...))` and placed as strings: no value is ever parsed as typst
markup, so `#`, `[`, `*`, `<`, `$`… print as themselves, without any escaping.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

from .fonts import FontError, Fonts, find_fonts
from .layout import LANDSCAPE_WIDTH, PORTRAIT_WIDTH, TITLE_SIZE, PrintTable, balanced_lines, changes_table, label_width, print_table
from .model import Text
from .render import TEMPLATES, RenderError
from .views import ListView

FACT_SIZE = 12  # points: the header details before the table (小四)


def _date_parts(date: str) -> list[int] | None:
    try:
        d = _dt.date.fromisoformat(date[:10])
    except (TypeError, ValueError):
        return None
    return [d.year, d.month, d.day]


def _table_data(table: PrintTable, lang: str, unit: tuple[str, str] = ("项", "items")) -> dict:
    """A printed table as the template reads it; a cell is a string or a list of [op, text] redline segments."""
    return {
        "landscape": table.landscape,
        "size": table.size,
        "headers": table.headers,
        "widths": list(table.widths),
        "centered": table.centered,
        "categories": [
            {
                "name": c.name,
                "count_label": (f"（{c.count}{unit[0]}）" if lang != "en" else f" ({c.count} {unit[1]})") if c.name else "",
                "rows": c.rows,
                "tall": c.tall,
            }
            for c in table.categories
        ],
    }


def list_data(view: ListView, lang: str = "zh", attachment: int | None = None) -> dict:
    meta = [s for s in (view.issuer, view.doc_number) if s]
    effective = ""
    if view.effective:
        effective = (f"自{view.effective}起施行") if lang != "en" else f"effective {view.effective}"
    table = print_table(view, lang)
    facts = view.facts + [(header, [value]) for header, value in table.constants]
    return {
        "title": view.title,
        "title_lines": balanced_lines(view.title, TITLE_SIZE, LANDSCAPE_WIDTH if table.landscape else PORTRAIT_WIDTH),
        "attachment": (f"附件{attachment}" if lang != "en" else f"Attachment {attachment}") if attachment else "",
        "meta": "　".join(meta),
        "effective": effective,
        "note": view.note,
        "facts": [[label, "\n".join(lines)] for label, lines in facts],
        "facts_label": round(label_width([label for label, _ in facts]) * FACT_SIZE + 1, 2),
        **_table_data(table, lang),
    }


def changes_data(changes: dict, lang: str = "zh") -> dict:
    """The 修订对照表 (reading.changes_view) as one "list" of the template: its title, what was compared and the
    redline key under the title, a category row per list."""
    table = changes_table(changes)
    return {
        "title": changes["title"],
        "title_lines": balanced_lines(changes["title"], TITLE_SIZE, LANDSCAPE_WIDTH if table.landscape else PORTRAIT_WIDTH),
        "attachment": "",
        "meta": changes["summary"],
        "effective": "",
        "facts": [],
        "caption": "" if not changes["caption"] else f"（{changes['caption']}）" if lang != "en" else f"({changes['caption']})",
        **_table_data(table, lang, ("处调整", "changes")),
    }


def pdf_data(views: list[ListView], fonts: Fonts, date: str, title: str, lang: str = "zh", attachment: int | None = None, combined: bool = False) -> dict:
    """The JSON the typst template reads: plain strings, numbers and booleans only."""
    lists = [list_data(v, lang, (attachment + n) if attachment else None) for n, v in enumerate(views)]
    return document_data(lists, fonts, date, title, views[0].issuer if len(views) == 1 and views[0].issuer else "govlist", lang, combined)


def document_data(lists: list[dict], fonts: Fonts, date: str, title: str, author: str, lang: str = "zh", combined: bool = False) -> dict:
    return {
        "title": title,
        "author": author,
        "date": _date_parts(date),
        "combined": combined,
        "contents": "目　录" if lang != "en" else "Contents",
        "fonts": {role: fonts.role(role) for role in ("title", "body", "heading", "kai", "number")},
        "title_bold": "title" in fonts.stand_in,
        "lists": lists,
    }


def _timestamp(date: str) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    parts = _date_parts(date)
    if parts:
        year, month, day = parts
        return int(_dt.datetime(year, month, day, tzinfo=_dt.UTC).timestamp())
    return 0


def fonts_for(overrides: dict[str, str] | None, explicit: str | None, project: dict | None) -> Fonts:
    """find_fonts with its errors as RenderError (a usage error, exit 2)."""
    try:
        return find_fonts(overrides, explicit, project)
    except FontError as exc:
        raise RenderError(exc.message) from None


class PdfWriter:
    """Compiles the typst template once per list and once for all lists together (and once for a 修订对照表)."""

    suffix = "pdf"

    def __init__(self, fonts: Fonts, templates: Path | None = None, lang: str = "zh", attachment: int | None = None) -> None:
        import typst

        folder = TEMPLATES / "pdf"
        if templates is not None and (templates / "list.typ").is_file():
            folder = templates
        self.source = (folder / "list.typ").read_bytes()
        self.fonts = fonts
        self.lang = lang
        self.attachment = attachment
        # typst's root is the template's own folder: an override cannot read (#read, #image) a file outside it
        self.compiler = typst.Compiler(font_paths=list(fonts.paths), root=str(folder.resolve()))

    def compile(self, views: list[ListView], date: str, title: str, combined: bool = False, attachment: int | None = None) -> bytes:
        return self._typeset(pdf_data(views, self.fonts, date, title, self.lang, attachment, combined), date)

    def _typeset(self, data: dict, date: str) -> bytes:
        import typst

        try:
            pdf = self.compiler.compile(input=self.source, format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, timestamp=_timestamp(date))
        except typst.TypstError as exc:
            raise RenderError(Text(f"PDF 排版失败：{exc.message}", f"typesetting the PDF failed: {exc.message}")) from None
        if not isinstance(pdf, bytes):  # typst gives a list of pages only for image formats
            raise RenderError(Text("PDF 排版没有得到 PDF 文件", "typesetting gave no PDF file"))
        return pdf

    def changes_pdf(self, changes: dict, date: str) -> bytes:
        """The 修订对照表 (reading.changes_view) as a PDF in the same layout as the lists'."""
        return self._typeset(document_data([changes_data(changes, self.lang)], self.fonts, date, changes["title"], "govlist", self.lang), date)

    def changes(self, changes: dict, path: Path, date: str) -> None:
        path.write_bytes(self.changes_pdf(changes, date))

    def __call__(self, views: list[ListView], folder: Path, date: str) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for n, v in enumerate(views):
            number = (self.attachment + n) if self.attachment else None
            (folder / f"{v.slug}.pdf").write_bytes(self.compile([v], date, v.title, attachment=number))
            names.append(f"{v.slug}.pdf")
        if len(views) > 1:
            title = "全部清单" if self.lang != "en" else "All lists"
            (folder / "all.pdf").write_bytes(self.compile(views, date, title, combined=True, attachment=self.attachment))
            names.append("all.pdf")
        return names
