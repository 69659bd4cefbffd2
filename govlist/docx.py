"""Word (.docx) files of lists and of the adjustment notice, written with python-docx. Nothing here prints.

A clerk opens the file in Word or WPS and edits it like their own: GB/T 9704 page setup (A4, 天头 37 mm, 订口 28 mm,
版心 156 × 225 mm; a table too wide for it in a landscape section with the 版心 turned), fonts named by role with the
East Asian font set (w:eastAsia) so Word picks the Chinese face (by default the standard faces, fonts.word_fonts,
which the receiving office has; Word and WPS fall back on their own where one is missing); real
tables whose header row repeats on every page (w:tblHeader) and whose rows do not split (but a row taller than
about half a page); category rows kept with
the row after them; page numbers `— N —` as a PAGE field, odd pages right and even pages left, one character in.

The table of a list is the same as the PDF's (layout.print_table: folded sparse columns, widths from content). Table
rows are built as WordprocessingML in one piece and parsed once: python-docx's cell-by-cell API takes minutes on a
10,000-item list.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from .fonts import Fonts
from .layout import LANDSCAPE_WIDTH, PORTRAIT_WIDTH, TITLE_SIZE, ZWSP, Cell, PrintCategory, PrintTable, balanced_lines, changes_table, label_width, layout_columns, print_table
from .views import ListView

MM_TWIPS = 1440 / 25.4
PORTRAIT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 37, "right": 35}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u200b]")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _t(text: str) -> str:
    return escape(_BAD_XML.sub("", text))


def _fonts_xml(family: str) -> str:
    f = _t(family)
    return f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'


def _run(text: str, family: str | None = None, size: float | None = None, bold: bool = False, color: str | None = None, strike: bool = False, underline: bool = False) -> str:
    props = ""
    if family:
        props += _fonts_xml(family)
    if bold:
        props += "<w:b/>"
    if strike:
        props += "<w:strike/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    if underline:
        props += '<w:u w:val="single"/>'
    parts = []
    for n, line in enumerate(text.split("\n")):
        if n:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{_t(line)}</w:t>')
    return f"<w:r><w:rPr>{props}</w:rPr>{''.join(parts)}</w:r>"


REDLINE_COLOUR = {"delete": "C00000", "insert": "0050B0"}


def _segment_runs(segments: list[tuple[str, str]], size: float | None) -> str:
    """Redline segments (op, text) as runs: deletions struck through in red, insertions underlined in blue."""
    return "".join(_run(t, None, size, strike=op == "delete", underline=op == "insert", color=REDLINE_COLOUR.get(op)) for op, t in segments if t)


def _cell_runs(cell: Cell, size: float) -> str:
    """A printed cell (layout.Cell) as runs: its text, or its redline."""
    if isinstance(cell, str):
        return _run(cell.replace(ZWSP, ""), None, size)
    return _segment_runs([(op, t.replace(ZWSP, "")) for op, t in cell], size)


def _para(runs: str, align: str | None = None, keep_next: bool = False, hanging: int = 0, after: int = 0) -> str:
    """A paragraph (its properties in the schema's order); `hanging`: twips its lines after the first are indented,
    with a tab stop there (a label, a tab, then text that wraps under itself)."""
    props = ""
    if keep_next:
        props += "<w:keepNext/>"
    if hanging:
        props += f'<w:tabs><w:tab w:val="left" w:pos="{hanging}"/></w:tabs>'
    props += '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'  # no space between Chinese and Latin text
    props += f'<w:spacing w:before="0" w:after="{after}" w:line="240" w:lineRule="auto"/>'
    if hanging:
        props += f'<w:ind w:left="{hanging}" w:hanging="{hanging}"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def _cell(width_twips: int, content: str, span: int = 1, fill: str | None = None, valign: str = "center") -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    props += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def table_xml(table: PrintTable, fonts: Fonts, unit: str = "项") -> str:
    """One <w:tbl>: a repeated header row, category rows spanning the table and kept with the next row, item rows
    that do not split across pages."""
    widths = [round(w / 72 * 1440) for w in table.widths]  # points → twips
    size = table.size
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f"<w:tbl {W}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
        f"<w:tblBorders>{border}</w:tblBorders><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>",
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' + "".join(_cell(w, _para(_run(h, fonts.heading, size), "center"), fill="E1E1E1") for w, h in zip(widths, table.headers)) + "</w:tr>",
    ]
    for cat in table.categories:
        if cat.name:
            label = f"{cat.name}（{cat.count}{unit}）" if unit else cat.name
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + _cell(sum(widths), _para(_run(label, fonts.heading, size), "left", keep_next=True), span=len(widths), fill="F2F2F2") + "</w:tr>")
        for row, tall in zip(cat.rows, cat.tall):
            cells = "".join(_cell(w, _para(_cell_runs(cell, size), "center" if centered else "left")) for w, cell, centered in zip(widths, row, table.centered))
            out.append(f"<w:tr>{'' if tall else '<w:trPr><w:cantSplit/></w:trPr>'}{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


class DocxBuilder:
    """A Word document in the official layout, built section by section."""

    def __init__(self, fonts: Fonts, title: str = "", author: str = "") -> None:
        import docx
        from docx.shared import Pt

        self.fonts = fonts
        self.doc = docx.Document()
        self.doc.core_properties.title = title
        self.doc.core_properties.author = author or "govlist"
        normal = self.doc.styles["Normal"]
        normal.font.name = fonts.body
        normal.font.size = Pt(16)  # 3号, the body size of an official document
        rpr = normal.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", fonts.body)
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._first = True
        self._setup(self.doc.sections[0], landscape=False)

    # -- page setup -------------------------------------------------------------------------------------------------

    def _setup(self, section, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        section.footer_distance = Mm(margins["bottom"] - 7 - 5)  # the folio's 一字线 7 mm below the 版心
        section.header_distance = Mm(15)
        self._folio(section.footer, "right")
        self._folio(section.even_page_footer, "left")

    def _folio(self, footer, side: str) -> None:
        """— PAGE — in 4号 宋体, one character in from the outer edge."""
        from docx.oxml import parse_xml

        footer.is_linked_to_previous = False
        body = footer._element
        for p in list(body):
            body.remove(p)
        number = self.fonts.number
        field = (
            f'<w:r><w:rPr>{_fonts_xml(number)}<w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:rPr>{_fonts_xml(number)}<w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r><w:rPr>{_fonts_xml(number)}<w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:rPr>{_fonts_xml(number)}<w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r>'
            f'<w:r><w:rPr>{_fonts_xml(number)}<w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
        )
        indent = '<w:ind w:right="280"/>' if side == "right" else '<w:ind w:left="280"/>'
        xml = f'<w:p {W}><w:pPr><w:jc w:val="{side}"/>{indent}</w:pPr>{_run("— ", number, 14)}{field}{_run(" —", number, 14)}</w:p>'
        body.append(parse_xml(xml))

    def new_section(self, landscape: bool) -> None:
        from docx.enum.section import WD_SECTION

        if self._first:
            self._first = False
            self._setup(self.doc.sections[0], landscape)
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._setup(section, landscape)

    # -- content ----------------------------------------------------------------------------------------------------

    def _append(self, xml: str) -> None:
        from docx.oxml import parse_xml

        body = self.doc.element.body
        body.insert(len(body) - 1, parse_xml(xml))  # before the final sectPr

    def paragraph(self, text: str, role: str = "body", size: float = 16, align: str | None = None, bold: bool = False, keep_next: bool = False) -> None:
        self._append(f"<w:p {W}>" + _para(_run(text, self.fonts.role(role), size, bold), align, keep_next)[5:])

    def runs(self, parts: list[tuple[str, str]], size: float = 16) -> None:
        """A paragraph of redline segments: ('equal'|'delete'|'insert', text)."""
        self._append(f"<w:p {W}>" + _para(_segment_runs(parts, size))[5:])

    def table(self, table: PrintTable, unit: str = "项") -> None:
        self._append(table_xml(table, self.fonts, unit))

    def facts(self, facts: list[tuple[str, list[str]]], size: float = 12) -> None:
        """Header details of a list (the entry rules' procedure, deadlines, required contents and negative list),
        before its table: each label in 黑体, its lines after it, in the order and words of the site's page."""
        hanging = round((label_width([label for label, _ in facts]) + 1) * size * 20)  # the longest label (at most layout.LABEL_MOST) and a space
        for label, lines in facts:
            runs = _run(label, self.fonts.heading, size) + "<w:r><w:tab/></w:r>" + _run("\n".join(lines), None, size)
            self._append(f"<w:p {W}>" + _para(runs, hanging=hanging, after=120)[5:])

    def title(self, title: str, landscape: bool = False) -> None:
        """The title in the 小标宋 role (22 pt), broken into even lines (layout.balanced_lines)."""
        lines = balanced_lines(title, TITLE_SIZE, LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH)
        self.paragraph("\n".join(lines), "title", 22, "center", bold="title" in self.fonts.stand_in)

    def document_head(self, title: str, meta: str = "", attachment: str = "", caption: str = "", landscape: bool = False) -> None:
        """附件N, the title in the 小标宋 role, the issuer line in 楷体, then a blank line."""
        if attachment:
            self.paragraph(attachment, "heading", 16)
        self.title(title, landscape)
        if meta:
            self.paragraph(meta, "kai", 14, "center")
        if caption:
            self.paragraph(caption, "kai", 12, "center")
        self.paragraph("", "body", 10.5)

    def list_section(self, view: ListView, lang: str = "zh", attachment: int | None = None) -> None:
        table = print_table(view, lang)
        self.new_section(table.landscape)
        meta = [s for s in (view.issuer, view.doc_number) if s]
        if view.effective:
            meta.append(f"自{view.effective}起施行" if lang != "en" else f"effective {view.effective}")
        self.document_head(view.title, "　".join(meta), (f"附件{attachment}" if lang != "en" else f"Attachment {attachment}") if attachment else "", landscape=table.landscape)
        facts = view.facts + [(header, [value]) for header, value in table.constants]
        if facts:
            self.facts(facts)
            self.paragraph("", "body", 10.5)
        if view.note:  # the list's 备注, after the details, as the site's page shows it
            self.paragraph(view.note, "body", 12)
            self.paragraph("", "body", 10.5)
        self.table(table)

    def changes_section(self, changes: dict, lang: str = "zh") -> None:
        """The 修订对照表 (reading.changes_view): a category row per list, the redline in the 修订前 and 修订后 cells."""
        table = changes_table(changes)
        self.new_section(table.landscape)
        caption = "" if not changes["caption"] else f"（{changes['caption']}）" if lang != "en" else f"({changes['caption']})"
        self.document_head(changes["title"], changes["summary"], caption=caption, landscape=table.landscape)
        if changes["rows"]:  # nothing changed: the summary says so, no empty table
            self.table(table, "处调整" if lang != "en" else "")

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def write_list_docx(views: list[ListView], path: Path, fonts: Fonts, title: str, lang: str = "zh", attachment: int | None = None) -> None:
    builder = DocxBuilder(fonts, title, views[0].issuer if len(views) == 1 else "")
    for n, v in enumerate(views):
        builder.list_section(v, lang, (attachment + n) if attachment else None)
    builder.save(path)


def changes_docx(changes: dict, fonts: Fonts, lang: str = "zh") -> bytes:
    """The 修订对照表 (reading.changes_view) as a Word file."""
    import io

    builder = DocxBuilder(fonts, changes["title"])
    builder.changes_section(changes, lang)
    buffer = io.BytesIO()
    builder.doc.save(buffer)
    return buffer.getvalue()


class DocxWriter:
    """Writes a .docx per list and, for more than one list, all.docx (the site's docx/ folder); and a 修订对照表."""

    suffix = "docx"

    def __init__(self, fonts: Fonts, lang: str = "zh", attachment: int | None = None) -> None:
        self.fonts = fonts
        self.lang = lang
        self.attachment = attachment

    def __call__(self, views: list[ListView], folder: Path, date: str = "") -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for n, v in enumerate(views):
            write_list_docx([v], folder / f"{v.slug}.docx", self.fonts, v.title, self.lang, (self.attachment + n) if self.attachment else None)
            names.append(f"{v.slug}.docx")
        if len(views) > 1:
            write_list_docx(views, folder / "all.docx", self.fonts, "全部清单" if self.lang != "en" else "All lists", self.lang, self.attachment)
            names.append("all.docx")
        return names

    def changes(self, changes: dict, path: Path, date: str = "") -> None:
        path.write_bytes(changes_docx(changes, self.fonts, self.lang))


# --- the adjustment notice (调整说明) from its Markdown draft ----------------------------------------------------------

_MARK = re.compile(r"<(del|ins)>(.*?)</\1>")


def _segments(cell: str) -> list[tuple[str, str]]:
    """A Markdown cell of the draft as redline segments: <del>/<ins> marks, entities and escaped pipes undone."""

    def plain(s: str) -> str:
        s = s.replace("<br>", "\n").replace("\\|", "|").replace("**", "")
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    out, at = [], 0
    for m in _MARK.finditer(cell):
        if m.start() > at:
            out.append(("equal", plain(cell[at : m.start()])))
        out.append(("delete" if m.group(1) == "del" else "insert", plain(m.group(2))))
        at = m.end()
    if at < len(cell):
        out.append(("equal", plain(cell[at:])))
    return out


def _redline_runs(cell: str, size: float) -> str:
    return _segment_runs(_segments(cell), size)


def _md_table(builder: DocxBuilder, lines: list[str]) -> None:
    """A Markdown table of the draft as a printed table (portrait, widths from content, <del>/<ins> as redline)."""
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in lines]
    header, body = rows[0], [r for r in rows[2:]]
    n = len(header)
    segments = [[_segments(c) for c in (r + [""] * n)[:n]] for r in body]
    plain = [["".join(t for _, t in c) for c in r] for r in segments]
    cells: list[list[Cell]] = [list(r) for r in segments]
    layout = layout_columns([{"field": h, "header": h, "codec": "text"} for h in header], plain, 10.5, landscape=False)
    builder.table(PrintTable(header, layout.widths, [False] * n, False, 10.5, [PrintCategory("", len(cells), cells, [False] * len(cells))]))


def markdown_docx(text: str, fonts: Fonts, title: str = "") -> bytes:
    """The Markdown draft of the adjustment notice as a Word file: # title (小标宋), ## 黑体, ### 楷体, tables as real
    tables with a repeated header row, --- starts a new section, <del>/<ins> as struck-through and underlined runs."""
    builder = DocxBuilder(fonts, title)
    builder.new_section(False)
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            _md_table(builder, block)
            continue
        i += 1
        if not line.strip():
            continue
        if line.strip() == "---":
            builder.new_section(False)
        elif line.startswith("# "):
            builder.title(_segments(line[2:])[0][1] if line[2:] else "")
        elif line.startswith("## "):
            builder.paragraph(line[3:], "heading", 16, keep_next=True)
        elif line.startswith("### "):
            builder.paragraph(line[4:], "kai", 16, keep_next=True)
        elif line.startswith("> "):
            builder.paragraph(line[2:], "kai", 12)
        else:
            builder._append(f"<w:p {W}>" + _para(_redline_runs(line, 16))[5:])
    import io

    buffer = io.BytesIO()
    builder.doc.save(buffer)
    return buffer.getvalue()
