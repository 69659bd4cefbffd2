"""What a reader gets in the published PDF and Word files, read back as a reader reads them: the 修订对照表 as PDF
(pdfplumber geometry, the redline's strike and underline) and as .docx (python-docx), the entry rules' own terms in
both, and no internal field name, list id or Python value in any PDF or Word file of the bundled examples."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import CATALOGS, REPO
from typer.testing import CliRunner

from govlist.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdfgeometry as geo

pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")
runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADJUSTMENT = REPO / "examples" / "adjustment"
EXAMPLES = [CATALOGS / "baishaguan", CATALOGS / "chenghua", CATALOGS / "gumei", CATALOGS / "qijiang", CATALOGS / "xx-district", ADJUSTMENT / "v2025", REPO / "examples" / "levels"]
CHANGES_HEADERS = ["序号", "调整", "事项", "字段", "修订前", "修订后"]
RED, BLUE = (0.7529412, 0.0, 0.0), (0.0, 0.3137255, 0.6901961)


def _invoke(args: list[str]):
    result = runner.invoke(app, args, env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def changes_files(tmp_path_factory) -> Path:
    """The 修订对照表 of the bundled adjustment (v2024 → v2025) as PDF and Word, chosen by the -o extension."""
    out = tmp_path_factory.mktemp("changes")
    here = os.getcwd()
    os.chdir(ADJUSTMENT)  # the subtitle names the folders as given: v2024 → v2025
    try:
        for name in ("changes.pdf", "changes.docx"):
            _invoke(["diff", "v2024", "v2025", "-o", str(out / name)])
    finally:
        os.chdir(here)
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> list[Path]:
    """Every bundled example rendered with PDF and Word files (the adjustment with its 修订对照表)."""
    root = tmp_path_factory.mktemp("sites")
    out = []
    here = os.getcwd()
    os.chdir(REPO)  # the 修订对照表's subtitle names the folders as given
    try:
        for n, folder in enumerate(EXAMPLES):
            site = root / f"s{n}"
            extra = ["--changes-since", "examples/adjustment/v2024"] if folder == ADJUSTMENT / "v2025" else []
            _invoke(["render", folder.relative_to(REPO).as_posix(), "--out", str(site), "--pdf", "--docx", "--allow-errors", *extra])
            out.append(site)
    finally:
        os.chdir(here)
    return out


# --- the 修订对照表 as PDF ----------------------------------------------------------------------------------------------


def test_changes_pdf_layout(changes_files):
    with pdfplumber.open(changes_files / "changes.pdf") as pdf:
        assert len(pdf.pages) >= 2  # the header row has to repeat
        for n, page in enumerate(pdf.pages, 1):
            assert page.width > page.height  # two texts side by side: landscape
            assert geo.overlapping_glyphs(page) == [], f"page {n}: glyphs overlap"
            assert geo.glyphs_across_rules(page) == [], f"page {n}: text runs out of its cell"
            flat = re.sub(r"\s+", "", page.extract_text())
            for h in CHANGES_HEADERS:
                assert h in flat, f"page {n}: header {h} missing"
            assert geo.folio(page) == n, f"page {n}: no — {n} — page number"
            if n < len(pdf.pages):
                assert not re.search(r"（\d+处调整）$", geo.last_body_line(page)), f"page {n} ends on a list's heading"
        first = re.sub(r"\s+", "", pdf.pages[0].extract_text())
        assert first.startswith("修订对照表") and "成华区区级部门下放街道工作事项目录（" in first


def _near(a: object, b: tuple) -> bool:
    a = tuple(a) if isinstance(a, (tuple, list)) else (a,)
    return len(a) == len(b) and all(abs(x - y) < 0.01 for x, y in zip(a, b))


def test_changes_pdf_redline_is_struck_and_underlined(changes_files):
    """Deleted characters are red with a red rule through their middle; inserted ones blue with a blue rule under
    them: the marks survive a black-and-white print."""
    struck = underlined = 0
    with pdfplumber.open(changes_files / "changes.pdf") as pdf:
        for page in pdf.pages:
            rules = [e for e in page.lines if abs(e["top"] - e["bottom"]) < 1]  # horizontal rules
            for c in page.chars:
                colour = c["non_stroking_color"]
                if not c["text"].strip() or not (_near(colour, RED) or _near(colour, BLUE)):
                    continue
                ink = geo._ink(c)  # a full-width mark inks half its box
                mid, height = (c["top"] + c["bottom"]) / 2, c["bottom"] - c["top"]
                over = [r for r in rules if r["x0"] <= ink["x0"] + 0.5 and r["x1"] >= ink["x1"] - 0.5 and _near(r["stroking_color"], RED if _near(colour, RED) else BLUE)]
                if _near(colour, RED):
                    assert any(abs(r["top"] - mid) < height * 0.3 for r in over), f"deleted {c['text']} not struck through"
                    struck += 1
                else:
                    assert any(r["top"] > mid + height * 0.2 for r in over), f"inserted {c['text']} not underlined"
                    underlined += 1
    assert struck > 20 and underlined > 20


def test_changes_pdf_says_lists_and_values_as_a_reader_reads_them(changes_files):
    with pdfplumber.open(changes_files / "changes.pdf") as pdf:
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages)).replace("\u200b", "")
    assert "成华府办〔2025〕3号" in text and "成华区区级部门下沉社区工作事项目录" in text
    assert "按事项类型：依法履职事项10项" in text  # 公布总数's breakdown in words, not field：type；partition：是
    assert "chenghua-devolution" not in text and "partition" not in text


# --- the 修订对照表 as Word ----------------------------------------------------------------------------------------------


def test_changes_docx_page_setup_header_row_and_redline_runs(changes_files):
    d = docx.Document(str(changes_files / "changes.docx"))
    section = d.sections[0]
    assert section.orientation == 1 and round(section.page_width.mm) == 297
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 225
    assert d.paragraphs[0].text == "修订对照表"
    table = d.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(W + "tblHeader") is not None
    assert [c.text for c in header.cells] == CHANGES_HEADERS
    struck, underlined = [], []
    for run in table._tbl.iter(W + "r"):
        props = run.find(W + "rPr")
        text = "".join(t.text or "" for t in run.iter(W + "t"))
        if props is None or not text:
            continue
        if props.find(W + "strike") is not None:
            assert props.find(W + "color").get(W + "val") == "C00000"
            struck.append(text)
        if props.find(W + "u") is not None:
            assert props.find(W + "u").get(W + "val") == "single" and props.find(W + "color").get(W + "val") == "0050B0"
            underlined.append(text)
    assert len(struck) > 20 and len(underlined) > 20
    rows = ["".join(c.text for c in r.cells[-2:]) for r in table.rows]
    assert any("成华府办〔2024〕5号" in r and "成华府办〔2025〕3号" in r for r in rows)
    footer = section.footer.paragraphs[0].text
    assert footer.startswith("— ") and footer.endswith(" —")


def test_render_writes_the_changes_pdf_and_docx_and_links_them(sites):
    site = sites[EXAMPLES.index(ADJUSTMENT / "v2025")]
    assert (site / "pdf" / "changes.pdf").is_file() and (site / "docx" / "changes.docx").is_file()
    page = (site / "changes.html").read_text(encoding="utf-8")
    assert 'href="pdf/changes.pdf"' in page and 'href="docx/changes.docx"' in page


def test_pdf_and_docx_formats_need_an_output_file():
    for fmt in ("pdf", "docx"):
        result = runner.invoke(app, ["diff", str(ADJUSTMENT / "v2024"), str(ADJUSTMENT / "v2025"), "--format", fmt], env={"GOVLIST_LANG": "en"})
        assert result.exit_code == 2 and "--output" in result.output


# --- the entry rules' terms ---------------------------------------------------------------------------------------------


def _facts(site: Path, slug: str) -> list[str]:
    """The labels of the header details the site's page shows, in its order."""
    page = (site / "list" / f"{slug}.html").read_text(encoding="utf-8")
    return re.findall(r"<dt>(.*?)</dt>", page.split('<dl class="facts">')[1].split("</dl>")[0])


def test_entry_rules_pdf_and_docx_show_the_terms_the_page_shows(sites):
    site = sites[EXAMPLES.index(CATALOGS / "chenghua")]
    labels = _facts(site, "chenghua-entry-rules")
    assert labels == ["准入程序", "时限", "必备内容", "不得交由社区承担"]
    with pdfplumber.open(site / "pdf" / "chenghua-entry-rules.pdf") as pdf:
        text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    at = [text.index(label) for label in labels]
    assert at == sorted(at) and at[-1] < text.index("序号")  # in the page's order, before the table
    for line in ("1.部门提交申请（区级部门；社区工作事项准入审批表）", "部门须提前30个工作日提出申请", "协助事项须写明：准入申请、审批、经费保障", "权力类型：行政许可、行政处罚"):
        assert line in text
    d = docx.Document(str(site / "docx" / "chenghua-entry-rules.docx"))
    paragraphs = [p.text for p in d.paragraphs]
    found = [next(i for i, p in enumerate(paragraphs) if p.startswith(label)) for label in labels]
    assert found == sorted(found)
    body = d.element.body
    assert list(body).index(d.paragraphs[found[-1]]._p) < list(body).index(d.tables[0]._tbl)
    assert "收到申请后 15 个工作日内作出决定" in paragraphs[found[1]]
    # label, tab, text: the text of every term starts at one tab stop and wraps under itself (a hanging indent)
    indents = {(p._p.pPr.find(W + "ind").get(W + "hanging"), p._p.pPr.find(W + "tabs")[0].get(W + "pos")) for p in (d.paragraphs[i] for i in found)}
    assert len(indents) == 1 and len(set(next(iter(indents)))) == 1
    assert all(d.paragraphs[i]._p.find(f"{W}r/{W}tab") is not None for i in found)
    heading = d.paragraphs[found[0]].runs[0]._r.find(W + "rPr").find(W + "rFonts").get(W + "eastAsia")
    from govlist.fonts import word_fonts

    assert heading == word_fonts().heading


# --- no internal name reaches a reader ----------------------------------------------------------------------------------


def _schema_keys() -> set[str]:
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "properties" and isinstance(v, dict):
                    keys.update(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (REPO / "schemas").glob("*.schema.json"):
        if path.name != "project.schema.json":
            walk(json.loads(path.read_text(encoding="utf-8")))
    return keys


def _list_ids() -> set[str]:
    ids = set()
    for path in REPO.glob("catalogs/**/*.yaml"):
        ids.update(re.findall(r"^id: (\S+)", path.read_text(encoding="utf-8"), re.M))
    for path in REPO.glob("examples/**/*.yaml"):
        ids.update(re.findall(r"^id: (\S+)", path.read_text(encoding="utf-8"), re.M))
    return ids


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages).replace("\u200b", "")


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    return "\n".join(t.text or "" for t in d.element.body.iter(W + "t"))


def test_no_internal_name_or_value_reaches_a_reader(sites, changes_files):
    forbidden = _schema_keys() | _list_ids() | {"True", "False", "None", "null", "true", "false"}
    files = [f for site in sites for f in sorted((site / "pdf").glob("*.pdf")) + sorted((site / "docx").glob("*.docx"))]
    files += [changes_files / "changes.pdf", changes_files / "changes.docx"]
    assert len(files) > 60
    for path in files:
        text = _pdf_text(path) if path.suffix == ".pdf" else _docx_text(path)
        words = set(re.findall(r"(?<![A-Za-z0-9_-])[A-Za-z_][A-Za-z0-9_-]*(?![A-Za-z0-9_-])", text))
        assert not words & forbidden, f"{path.name}: {sorted(words & forbidden)}"
        assert not re.search(r"[{\[]'|'[}\]]|': ", text), f"{path.name}: a Python value"


def test_nothing_changed_is_said_plainly(tmp_path):
    """Two equal versions: the 修订对照表 says so, with no empty table, in the PDF, the Word file and the page."""
    same = str(ADJUSTMENT / "v2025")
    _invoke(["diff", same, same, "-o", str(tmp_path / "same.pdf")])
    _invoke(["diff", same, same, "-o", str(tmp_path / "same.docx")])
    with pdfplumber.open(tmp_path / "same.pdf") as pdf:
        assert len(pdf.pages) == 1 and not pdf.pages[0].lines
        assert "两个版本相同，没有调整" in re.sub(r"\s+", "", pdf.pages[0].extract_text())
    d = docx.Document(str(tmp_path / "same.docx"))
    assert not d.tables and any("两个版本相同，没有调整" in p.text for p in d.paragraphs)
    _invoke(["render", same, "--out", str(tmp_path / "site"), "--changes-since", same])
    page = (tmp_path / "site" / "changes.html").read_text(encoding="utf-8")
    assert "两个版本相同，没有调整" in page and "<table" not in page


def test_in_english_a_field_is_named_as_a_reader_finds_it(tmp_path):
    """--lang en: a field is named by its key as words (doc number, declared · items), never as the raw key
    (doc_number), a list id or a Python value."""
    old, new = str(ADJUSTMENT / "v2024"), str(ADJUSTMENT / "v2025")
    for name in ("changes.pdf", "changes.docx"):
        _invoke(["diff", old, new, "-o", str(tmp_path / name), "--lang", "en"])
    _invoke(["render", str(CATALOGS / "chenghua"), "--out", str(tmp_path / "site"), "--pdf", "--docx", "--lang", "en"])
    files = [tmp_path / "changes.pdf", tmp_path / "changes.docx", *sorted((tmp_path / "site" / "pdf").glob("*.pdf")), *sorted((tmp_path / "site" / "docx").glob("*.docx"))]
    forbidden = {k for k in _schema_keys() if "_" in k} | _list_ids() | {"True", "False", "None"}
    for path in files:
        text = _pdf_text(path) if path.suffix == ".pdf" else _docx_text(path)
        words = set(re.findall(r"(?<![A-Za-z0-9_-])[A-Za-z_][A-Za-z0-9_-]*(?![A-Za-z0-9_-])", text))
        assert not words & forbidden, f"{path.name}: {sorted(words & forbidden)}"
    text = re.sub(r"\s+", " ", _pdf_text(tmp_path / "changes.pdf"))
    assert "Table of changes" in text and "doc number" in text and "taken" in text


def test_the_lists_note_is_printed_as_the_page_shows_it(sites):
    """A list's 备注 (`note`: what an import keeps of the lines around the table, or the compiler's remark) is on the
    site's page after the list's details; the PDF and the Word file print it there too, before the table."""
    site = sites[EXAMPLES.index(CATALOGS / "gumei")]
    start = "实施方案正文只公布“20类184项”和类别名称"
    assert start in (site / "list" / "gumei-street-duty.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", "", _pdf_text(site / "pdf" / "gumei-street-duty.pdf"))
    assert start in text and text.index(start) < text.index("序号")
    d = docx.Document(str(site / "docx" / "gumei-street-duty.docx"))
    at = next(i for i, p in enumerate(d.paragraphs) if p.text.startswith(start))
    body = list(d.element.body)
    assert body.index(d.paragraphs[at]._p) < body.index(d.tables[0]._tbl)
