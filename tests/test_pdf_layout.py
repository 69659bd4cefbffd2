"""The official-layout PDF measured as a reader sees it: every PDF of the bundled catalogs read back with pdfplumber.

No two glyphs overlap, no glyph crosses a table rule, no page ends on a category heading, every page of a list
carries the header row and a `— N —` page number on its outer side, and the bookmarks name the lists and categories.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import CATALOGS
from typer.testing import CliRunner

from govlist.cli import app
from govlist.layout import fold_sparse, layout_columns, text_width
from govlist.validate import validate_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdfgeometry as geo

pdfplumber = pytest.importorskip("pdfplumber")
runner = CliRunner()
A4 = (595, 842)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "site"
    result = runner.invoke(app, ["render", str(CATALOGS), "--out", str(out), "--pdf", "--attachment", "1"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    return out / "pdf"


def _headers(pdf_path: Path) -> list[str]:
    """The header row as the first page shows it: the words of the topmost filled row of cells."""
    from govlist.layout import print_table
    from govlist.render import make_views

    slug = pdf_path.stem
    view = next(v for v in make_views(validate_paths([CATALOGS]).catalogs) if v.slug == slug)
    return print_table(view).headers


def test_no_overprint_no_text_outside_cells_no_orphan_heading(pdfs):
    checked = 0
    for path in sorted(pdfs.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                assert geo.overlapping_glyphs(page) == [], f"{path.name} page {n}: glyphs overlap"
                assert geo.glyphs_across_rules(page) == [], f"{path.name} page {n}: text runs out of its cell"
                if n < len(pdf.pages):
                    assert not geo.CATEGORY.search(geo.last_body_line(page)), f"{path.name} page {n} ends on a category heading"
                checked += 1
    assert checked > 150


def test_every_page_has_header_row_and_folio(pdfs):
    for path in sorted(pdfs.glob("*.pdf")):
        if path.name == "all.pdf":
            continue
        headers = _headers(path)
        short = [h for h in headers if len(h) <= 4]  # longer headers may wrap inside their cell
        with pdfplumber.open(path) as pdf:
            table = False  # the header details (an assessment's long 一票否决 terms) may fill the pages before the table
            for n, page in enumerate(pdf.pages, 1):
                assert tuple(round(x) for x in sorted((page.width, page.height))) == A4
                flat = re.sub(r"\s+", "", page.extract_text() or "").replace("\u200b", "")
                table = table or any(e["orientation"] == "v" for e in page.edges)
                for h in short if table else ():
                    assert h in flat, f"{path.name} page {n}: header {h} missing"
                assert geo.folio(page) == n, f"{path.name} page {n}: no — {n} — page number"
                # outer side: odd pages right of the middle, even pages left
                digits = [c for c in page.chars if c["text"] == "—"]
                centre = sum(c["x0"] for c in digits) / len(digits)
                assert (centre > page.width / 2) == (n % 2 == 1), f"{path.name} page {n}: page number not on the outer side"
            assert table, f"{path.name}: no table"


def test_margins_and_orientation(pdfs):
    mm = 72 / 25.4
    with pdfplumber.open(pdfs / "baishaguan-entry-rules.pdf") as pdf:  # few columns: portrait, 版心 156 × 225 mm
        page = pdf.pages[0]
        assert page.width < page.height
        body = [c for c in page.chars if not re.fullmatch(r"[—\d ]", c["text"])]
        assert min(c["x0"] for c in body) >= 28 * mm - 1 and max(c["x1"] for c in body) <= (28 + 156) * mm + 1
        # (a glyph box reaches about 0.1 em above the line the typesetter places: 3 pt of slack)
        assert min(c["top"] for c in body) >= 37 * mm - 3 and max(c["bottom"] for c in body) <= (37 + 225) * mm + 3
        assert page.chars[0]["text"] == "附" and "附件" in page.extract_text()
    with pdfplumber.open(pdfs / "xx-street-power.pdf") as pdf:  # ten columns: landscape
        page = pdf.pages[0]
        assert page.width > page.height
        assert min(c["x0"] for c in page.chars) >= 37 * mm - 1 and max(c["x1"] for c in page.chars) <= (37 + 225) * mm + 1


def test_no_space_between_chinese_and_latin(pdfs):
    with pdfplumber.open(pdfs / "xx-street-power.pdf") as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    at = text.index("XX政发")
    x, zheng = chars[at + 1], chars[at + 2]
    assert zheng["x0"] - x["x1"] < 0.5  # no inserted space between X and 政


def test_bookmarks_and_contents(pdfs):
    from pypdf import PdfReader

    def titles(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    single = list(titles(PdfReader(str(pdfs / "xx-street-power.pdf")).outline))
    assert single[0] == "XX区河滨街道办事处权责清单（2022年版）" and "行政许可（2项）" in single
    combined = PdfReader(str(pdfs / "all.pdf"))
    marks = list(titles(combined.outline))
    lists = len([p for p in pdfs.glob("*.pdf") if p.name != "all.pdf"])
    top = [entry for entry in combined.outline if not isinstance(entry, list)]  # nested lists hold the categories
    assert len(top) == lists and len(marks) > 60
    first = combined.pages[0].extract_text()
    assert "目" in first and "录" in first and "XX区河滨街道办事处权责清单" in first.replace(" ", "")
    with pdfplumber.open(pdfs / "all.pdf") as pdf:  # running header: the list's title above the table
        lines = geo.text_lines(pdf.pages[3])
        assert any(t in lines[0].replace(" ", "") for t in ("白沙关社区工作事项清单", "XX区社区公共服务事项准入规则（试点）"))


def test_widths_from_content():
    columns = [
        {"field": "seq", "header": "序号", "codec": "seq"},
        {"field": "code", "header": "事项编码", "codec": "code"},
        {"field": "type", "header": "权力类型", "codec": "text"},
        {"field": "name", "header": "事项名称", "codec": "name"},
        {"field": "content", "header": "事项内容", "codec": "text"},
    ]
    rows = [[str(n), f"GM-JD-01-{n:03}", "行政许可", "新增违法建筑查处", "对本辖区内新增违法建筑进行巡查、发现、制止和报告" * 2] for n in range(1, 30)]
    layout = layout_columns(columns, rows)
    em = 10.5
    assert not layout.landscape
    assert layout.widths[1] > text_width("GM-JD-01-001") * em  # a code fits on one line
    assert layout.widths[2] > 4 * em  # 行政许可 does not wrap
    assert layout.widths[4] == max(layout.widths)  # the longest text gets the most room
    assert not any(layout.breakable)
    # many long columns: landscape
    wide = layout_columns(columns + [{"field": f"f{i}", "header": "依据", "codec": "text"} for i in range(4)], [r + [r[4]] * 4 for r in rows])
    assert wide.landscape


def test_sparse_columns_fold_into_notes():
    columns = [{"field": "name", "header": "事项名称", "codec": "name"}, {"field": "approval.body", "header": "审定机关", "codec": "text"}, {"field": "approval.date", "header": "审定日期", "codec": "date"}]
    rows = [["甲", "区政府", "2024-01-02"]] + [["乙", "", ""]] * 5
    folded_columns, folded_rows = fold_sparse(columns, rows)
    assert [c["header"] for c in folded_columns] == ["事项名称", "备注"]
    assert folded_rows[0] == ["甲", "审定机关：区政府\n审定日期：2024-01-02"] and folded_rows[1] == ["乙", ""]


def test_codes_stay_whole_when_their_column_has_room(pdfs):
    """A code is measured with an upper bound for its glyphs, so one that its column was sized for is never broken
    across lines (CH-FM-002 used to break after `CH-` while CH-FM-001 fitted)."""
    from govlist.layout import print_table
    from govlist.render import make_views

    checked = 0
    for view in make_views(validate_paths([CATALOGS]).catalogs):
        table = print_table(view)
        if "事项编码" not in table.headers or table.landscape:
            continue
        codes = [row.code for category in view.categories for row in category.rows if row.code]
        with pdfplumber.open(pdfs / f"{view.slug}.pdf") as pdf:
            lines = {line.replace(" ", "") for page in pdf.pages for line in (page.extract_text() or "").splitlines()}
        for code in codes:
            assert any(code in line for line in lines), f"{view.slug}: {code} is broken across lines"
            checked += 1
    assert checked > 50
