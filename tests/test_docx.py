"""Word output read back with python-docx: page setup, fonts by name with the East Asian font, repeated header row,
landscape sections, the `— PAGE —` footer, and the changelog as .docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CATALOGS, REPO
from typer.testing import CliRunner

from govlist.cli import app

docx = pytest.importorskip("docx")
runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def words(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "site"
    result = runner.invoke(app, ["render", str(CATALOGS / "xx-district"), str(CATALOGS / "baishaguan"), "--out", str(out), "--docx", "--attachment", "2"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    assert "Word" in result.output
    return out / "docx"


def _mm(length) -> float:
    return round(length.mm, 1)


def test_page_setup_portrait_and_landscape(words):
    portrait = docx.Document(str(words / "baishaguan-entry-rules.docx")).sections[0]
    assert (_mm(portrait.page_width), _mm(portrait.page_height)) == (210.0, 297.0)
    assert (_mm(portrait.top_margin), _mm(portrait.left_margin)) == (37.0, 28.0)
    assert _mm(portrait.page_width) - _mm(portrait.left_margin) - _mm(portrait.right_margin) == 156.0
    assert _mm(portrait.page_height) - _mm(portrait.top_margin) - _mm(portrait.bottom_margin) == 225.0
    wide = docx.Document(str(words / "xx-street-power.docx")).sections[0]
    assert (_mm(wide.page_width), _mm(wide.page_height)) == (297.0, 210.0) and wide.orientation == 1
    assert _mm(wide.page_width) - _mm(wide.left_margin) - _mm(wide.right_margin) == 225.0
    combined = docx.Document(str(words / "all.docx"))
    orientations = [s.orientation for s in combined.sections]
    assert len(orientations) == len(list(words.glob("*.docx"))) - 1 and 0 in orientations and 1 in orientations


def test_fonts_header_row_and_footer(words):
    from govlist.fonts import word_fonts

    fonts = word_fonts()  # the standard faces by name: the clerk's Word has them
    assert fonts.body == "仿宋_GB2312"
    d = docx.Document(str(words / "xx-street-power.docx"))
    normal = d.styles["Normal"]
    assert normal.font.name == fonts.body
    assert normal.element.rPr.rFonts.get(W + "eastAsia") == fonts.body
    table = d.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(W + "tblHeader") is not None  # repeats on every page
    assert [c.text for c in header.cells][:4] == ["序号", "权力类型", "项目编码", "项目名称"]
    head_fonts = {r.get(W + "eastAsia") for r in header._tr.iter(W + "rFonts")}
    assert head_fonts == {fonts.heading}
    assert any("临时占用城市道路审批" in c.text for row in table.rows[:4] for c in row.cells)
    paragraphs = [p.text for p in d.paragraphs]
    assert re.fullmatch(r"附件\d+", paragraphs[0]) and "XX区河滨街道办事处权责清单（2022年版）" in paragraphs
    assert d.settings.odd_and_even_pages_header_footer
    for footer, side in ((d.sections[0].footer, "right"), (d.sections[0].even_page_footer, "left")):
        xml = footer._element.xml
        assert " PAGE " in xml and footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
        assert f'w:jc w:val="{side}"' in xml


def test_catalog_text_stays_text(tmp_path):
    from conftest import write_set

    write_set(
        tmp_path / "in",
        {
            "a.yaml": """
        govlist: 1
        kind: duty
        id: a
        title: 测试<清单>&
        declared: {categories: 1, items: 1}
        categories:
          - name: "综合"
            items:
              - code: "E-01"
                name: "<w:t>名称</w:t> & \\u0001"
    """
        },
    )
    out = tmp_path / "site"
    result = runner.invoke(app, ["render", str(tmp_path / "in"), "--out", str(out), "--docx", "--allow-errors"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out / "docx" / "a.docx"))
    assert d.paragraphs[0].text == "测试<清单>&"
    assert any(c.text == "<w:t>名称</w:t> & " for row in d.tables[0].rows for c in row.cells)


def test_changelog_docx(tmp_path):
    adj = REPO / "examples" / "adjustment"
    out = tmp_path / "调整说明.docx"
    result = runner.invoke(app, ["changelog", str(adj / "v2024"), str(adj / "v2025"), "--format", "docx", "--output", str(out)], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "动态调整情况的说明" in text and "一、调整依据和基准版本" in text
    assert d.tables and all(t.rows[0]._tr.trPr.find(W + "tblHeader") is not None for t in d.tables)
    struck = [r.text for p in d.paragraphs for r in p.runs if r.font.strike] + [r.text for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs if r.font.strike]
    assert struck  # the redline of changed fields survives as struck-through runs
    assert runner.invoke(app, ["changelog", str(adj / "v2024"), str(adj / "v2025"), "--format", "docx"], env={"GOVLIST_LANG": "zh"}).exit_code == 2
