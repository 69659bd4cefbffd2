"""Every real published table (tests/fixtures/real) imported and printed, then read back as a reader sees it.

The bundled catalogs are tidy; the real tables are not: a header of 40 characters said once above the table, an item
whose sub-items run 15 lines, columns of one √. Each PDF page is measured with pdfplumber (no glyph over another,
none across a table rule, the page number on every page), the Word file read back with python-docx.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from govlist.cli import app
from govlist.layout import LABEL_MOST

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdfgeometry as geo
from cdp import Browser, find_chromium

pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")
runner = CliRunner()
REAL = REPO / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """The site of every real table that imports to a list: --pdf --docx, --allow-errors (their real defects)."""
    folder = tmp_path_factory.mktemp("real-print")
    lists = folder / "lists"
    lists.mkdir()
    for table in sorted(REAL.glob("*.csv")):
        runner.invoke(app, ["import", str(table), "-o", str(lists / f"{table.stem}.yaml")], env={"GOVLIST_LANG": "zh"})
    assert len(list(lists.glob("*.yaml"))) >= 20
    out = folder / "site"
    result = runner.invoke(app, ["render", str(lists), "--out", str(out), "--pdf", "--docx", "--allow-errors", "--no-progress"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    return out


def test_every_page_reads_cleanly(printed):
    pdfs = sorted((printed / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 20
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                assert geo.overlapping_glyphs(page) == [], f"{path.name} page {n}: glyphs overlap"
                assert geo.glyphs_across_rules(page) == [], f"{path.name} page {n}: text runs out of its cell"
                assert geo.folio(page) == n, f"{path.name} page {n}: no — {n} — page number"
                if path.name != "all.pdf":
                    assert not geo.CATEGORY.search(geo.last_body_line(page)), f"{path.name} page {n} ends on a category heading"


def test_a_long_label_above_the_table_wraps_instead_of_its_value(printed):
    """Yajiang's 公开渠道和载体 header is 40 characters long; said once above the table (every row has the same value),
    it took the whole width and printed its value and 处置时限's one character a line, down the page."""
    with pdfplumber.open(printed / "pdf" / "yajiang-natural-resources-disclosure.pdf") as pdf:
        lines = geo.text_lines(pdf.pages[0])
    assert any("信息形成或者变更之日起" in line for line in lines), lines
    assert any("■政府网站" in line and "■公开查阅点" in line for line in lines), lines
    assert any(line.startswith("序号") for line in lines), "the table starts on page 1"
    d = docx.Document(str(printed / "docx" / "yajiang-natural-resources-disclosure.docx"))
    [channels] = [p for p in d.paragraphs if p.text.startswith("公开渠道和载体")]
    assert channels.paragraph_format.left_indent.pt <= (LABEL_MOST + 1) * 12 + 0.5  # the value's lines: not past the margin


def test_a_row_that_fits_a_page_is_not_split(printed):
    """Jingdezhen's item 12 (涉路施工活动许可, three sub-items over some 20 lines) once broke at the foot of page 1, its
    last lines alone at the top of page 2 with an empty 序号 and name: a row shorter than half a page moves whole."""
    with pdfplumber.open(printed / "pdf" / "jingdezhen-transport-power.pdf") as pdf:
        pages = [geo.text_lines(page) for page in pdf.pages]
    [start] = [n for n, lines in enumerate(pages) if any(line.startswith("12 行政许可") for line in lines)]
    assert "铺设电缆" in pages[start], f"item 12 was split across pages: {pages[start + 1 :]}"
    d = docx.Document(str(printed / "docx" / "jingdezhen-transport-power.docx"))
    [row] = [r for t in d.tables for r in t.rows if "涉路施工活动许可" in r.cells[3].text]
    assert row._tr.trPr is not None and row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None


# --- the site's pages, in Chromium ------------------------------------------------------------------------------------

H1_LINES = """(() => {
  const lines = []; let top = null;
  const walk = document.createTreeWalker(document.querySelector('h1'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (let i = 0; i < n.length; i++) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      const box = r.getClientRects()[0];
      if (!box) continue;
      if (top === null || Math.abs(box.top - top) > 5) { lines.push(''); top = box.top; }
      lines[lines.length - 1] += n.data[i];
    }
  }
  return lines;
})()"""


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    b = Browser(find_chromium(), str(tmp_path_factory.mktemp("chromium-phone")), width=390, height=844)
    yield b
    b.close()


@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    b = Browser(find_chromium(), str(tmp_path_factory.mktemp("chromium-desktop")), width=1400, height=900)
    b.call("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)
    yield b
    b.close()


def test_a_page_title_breaks_between_words_on_a_phone(printed, phone):
    """At 390 px the <h1> of a real title needs two lines: it broke where the line was full, inside 清单 or 组织."""
    for slug, lines in (("guichi-2023-power-catalog", ["池州市贵池区区级政府", "权责清单目录(2023年本)"]), ("hubei-2020-no-certificates", ["湖北省不应由基层", "群众性自治组织出具", "证明事项清单(第一批)"])):
        phone.open((printed / "list" / f"{slug}.html").resolve().as_uri())
        assert phone.eval(H1_LINES) == lines, slug
        assert phone.eval("document.documentElement.scrollWidth <= innerWidth + 1"), slug


def test_a_long_header_wraps_so_the_table_fits_a_desktop(printed, desktop):
    """Yajiang's 40-character 公开渠道和载体 header kept on one line made the table wider than a 1400 px screen, and
    Tonghai's one row of ten short cells scrolled sideways: every text column was at least 12 rem wide, a √ too."""
    for slug in ("yajiang-natural-resources-disclosure", "tonghai-jiulong-education"):
        desktop.open((printed / "list" / f"{slug}.html").resolve().as_uri())
        assert desktop.eval("(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth + 1; })()"), slug
    assert desktop.eval("getComputedStyle(document.querySelector('thead th')).whiteSpace") == "nowrap"  # 序号 stays whole


def test_a_column_a_little_narrow_gets_its_longest_line(printed):
    """县自然资源局 printed 县自然资源 / 局 and 九龙街道办事处 as 九龙街道办事 / 处: one character alone on a line, in a
    column short of its text by one character while a column of √ under a long header had room to give."""
    for slug, whole in (("yajiang-natural-resources-disclosure", "县自然资源局"), ("tonghai-jiulong-education", "九龙街道办事处")):
        with pdfplumber.open(printed / "pdf" / f"{slug}.pdf") as pdf:
            words = [w["text"].replace("\u200b", "") for page in pdf.pages for w in page.extract_words(x_tolerance=1)]
        assert whole in words and whole[-1] not in words, (slug, words)
