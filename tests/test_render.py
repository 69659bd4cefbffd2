"""govlist render: the static site (view models, escaping, reproducibility, atomic swap, templates, changes page),
checked in headless Chromium, and the typst PDF read back with pypdf and rendered with pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import CATALOGS, REPO, write_set
from typer.testing import CliRunner

from govlist.cli import app
from govlist.render import build_site, list_view, make_views, publish
from govlist.validate import validate_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cdp import Browser, find_chromium

runner = CliRunner()

EVIL = {
    "evil.yaml": """
        govlist: 1
        kind: duty
        id: evil
        title: 测试<script>清单
        issuer: 某街道办事处
        doc_number: 某办〔2024〕1号
        effective: "2024-01-01"
        declared: {categories: 1, items: 2}
        categories:
          - name: "综合 #[类]"
            items:
              - code: "E-01"
                name: "<script>alert(1)</script>名称"
                content: "#set text(red) *粗体* _斜_ `代码` $x$ <lbl> @ref \\\\ [方括号] = - + / ~ & \\"引号\\""
              - code: "E 02"
                name: "第二项 </td></tr>"
    """,
}


def _render(args: list[str], env: dict | None = None):
    return runner.invoke(app, ["render", *args], env={"GOVLIST_LANG": "zh", **(env or {})})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled catalogs rendered once, with PDFs."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = _render([str(CATALOGS), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- view model and HTML ---------------------------------------------------------------------------------------------


def test_power_columns_in_published_order():
    report = validate_paths([CATALOGS / "xx-district" / "power.yaml"])
    view = list_view(report.catalogs[0])
    headers = [c["header"] for c in view.columns]
    expected = ["序号", "权力类型", "项目编码", "项目名称", "子项", "实施依据", "责任事项", "追责情形"]
    assert [h for h in headers if h in expected] == expected
    assert view.count == 30 and len(view.categories) == 9
    assert all(r.anchor == f"item-{r.code}" for r in view.rows)


def test_site_files_and_index(site):
    assert (site / "index.html").is_file() and (site / ".govlist-site").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    for title in ("XX区河滨街道办事处权责清单（2022年版）", "成华府办〔2012〕38号"):
        assert title in index
    pages = sorted(p.name for p in (site / "list").iterdir())
    assert len(pages) == 26 and "xx-street-power.html" in pages
    page = (site / "list" / "xx-street-power.html").read_text(encoding="utf-8")
    assert '<th scope="col">追责情形</th>' in page and 'id="item-XX-XK-001"' in page
    # nothing outside the site: no scheme-qualified or protocol-relative URL in any page, style or script
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", path.read_text(encoding="utf-8")), path


def test_catalog_text_is_data_not_markup(tmp_path):
    write_set(tmp_path / "in", EVIL)
    out = tmp_path / "site"
    result = _render([str(tmp_path / "in"), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    page = (out / "list" / "evil.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;名称" in page
    assert "第二项 &lt;/td&gt;&lt;/tr&gt;" in page
    assert page.count("<script") == 1  # only the page's own script tag
    index_js = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index_js
    text = re.sub(r"\s+", "", _pdf_text(out / "pdf" / "evil.pdf"))
    for literal in ("<script>alert(1)</script>名称", "#set text(red) *粗体* _斜_ `代码` $x$ <lbl> @ref", "[方括号]", "综合 #[类]", "测试<script>清单"):
        assert re.sub(r"\s+", "", literal) in text, literal


def test_reproducible_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = _render([str(CATALOGS / "xx-district"), "--out", str(out), "--pdf"], env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
    assert _tree(first) == _tree(second)
    assert "2023-11-14" in (first / "index.html").read_text(encoding="utf-8")


def test_failed_render_keeps_previous_site(tmp_path):
    out = tmp_path / "site"
    assert _render([str(CATALOGS / "xx-district"), "--out", str(out)]).exit_code == 0
    before = _tree(out)
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "list.html.j2").write_text("{% extends 'base.html.j2' %}{% block main %}{{ list.nonexistent.field }}{% endblock %}", encoding="utf-8")
    result = _render([str(CATALOGS / "gumei"), "--out", str(out), "--templates", str(broken)])
    assert result.exit_code == 2 and "模板错误" in result.output and "nonexistent" in result.output
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tpl"]  # no temporary folder left behind


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = _render([str(CATALOGS / "xx-district"), "--out", str(out)])
    assert result.exit_code == 2 and "不是 govlist 生成的网站" in result.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_templates_override_file_by_file(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "index.html.j2").write_text(
        "{% extends 'base.html.j2' %}{% block title %}自定义{% endblock %}{% block main %}{% for l in lists %}<p>{{ l.title }}|{{ l.count }}</p>{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    (tpl / "style.css").write_text("body { color: black; }\n", encoding="utf-8")
    out = tmp_path / "site"
    result = _render([str(CATALOGS / "xx-district"), "--out", str(out), "--templates", str(tpl)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>自定义</title>" in index and "XX区河滨街道办事处权责清单（2022年版）|30" in index
    assert (out / "assets" / "style.css").read_text(encoding="utf-8") == "body { color: black; }\n"
    assert "追责情形" in (out / "list" / "xx-street-power.html").read_text(encoding="utf-8")  # packaged list page


def test_lists_with_errors_are_not_published(tmp_path):
    files = dict(EVIL)
    files["evil.yaml"] = files["evil.yaml"].replace("items: 2}", "items: 3}")
    write_set(tmp_path / "in", files)
    result = _render([str(tmp_path / "in"), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1 and "未发布" in result.output
    assert not (tmp_path / "site").exists()
    assert _render([str(tmp_path / "in"), "--out", str(tmp_path / "site"), "--allow-errors"]).exit_code == 0


def test_changes_page(tmp_path):
    out = tmp_path / "site"
    adj = REPO / "examples" / "adjustment"
    result = _render([str(adj / "v2025"), "--out", str(out), "--changes-since", str(adj / "v2024")])
    assert result.exit_code == 0, result.output
    page = (out / "changes.html").read_text(encoding="utf-8")
    assert "修订对照表" in page and "修订前" in page and "修订后" in page
    assert "<del>" in page and "<ins>" in page
    assert "CH-XF-JD-01-001" in page and "新增" in page
    assert 'href="changes.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_no_cjk_font_stops_with_install_hint(tmp_path, monkeypatch):
    from govlist import fonts

    monkeypatch.setattr(fonts, "fc_list", dict)
    monkeypatch.setattr(fonts, "typst_families", lambda paths: {"Libertinus Serif"})
    result = _render([str(CATALOGS / "xx-district"), "--out", str(tmp_path / "site"), "--pdf"])
    assert result.exit_code == 2 and "fonts-noto-cjk" in result.output
    assert not (tmp_path / "site").exists()
    result = _render([str(CATALOGS / "xx-district"), "--out", str(tmp_path / "site"), "--pdf", "--font", "No Such Font"], env={"GOVLIST_LANG": "en"})
    assert result.exit_code == 2 and "not found" in result.output


@pytest.mark.parametrize(
    ("platform", "shown", "absent"),
    [("linux", "fc-list :lang=zh", "字体册"), ("win32", "设置 → 个性化 → 字体", "fc-list"), ("darwin", "“字体册”应用", "fc-list")],
)
def test_font_errors_give_the_advice_of_the_system(monkeypatch, platform, shown, absent):
    """Windows has no fc-list and macOS none by default: the way to see the fonts, and to install one, fits the system
    (the advice `govlist doctor` gives, govlist/platforms.py)."""
    import sys

    from govlist import fonts

    monkeypatch.setattr(fonts, "fc_list", lambda: {"Noto Serif CJK SC": "x.ttc"})
    monkeypatch.setattr(fonts, "typst_families", lambda paths: set())
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(fonts.FontError) as err:
        fonts.find_fonts(explicit="No Such Font")
    assert shown in err.value.message.zh and absent not in err.value.message.zh and "Noto Serif CJK SC" in err.value.message.zh
    assert absent not in err.value.message.en
    monkeypatch.setattr(fonts, "fc_list", dict)
    with pytest.raises(fonts.FontError) as err:
        fonts.find_fonts()
    assert ("apt-get" in err.value.message.en) == (platform == "linux") and ("brew" in err.value.message.en) == (platform == "darwin")


def test_views_are_plain_data():
    report = validate_paths([CATALOGS])
    views = make_views(report.catalogs)
    assert len({v.slug for v in views}) == len(views) == 26
    with tempfile.TemporaryDirectory() as tmp:
        result = publish(Path(tmp) / "s", lambda target: build_site(report.catalogs, target))
        assert result.lists == 26 and result.items == sum(v.count for v in views)


# --- the PDF ---------------------------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_pdf_reads_back(site, tmp_path):
    from pypdf import PdfReader

    path = site / "pdf" / "xx-street-power.pdf"
    reader = PdfReader(str(path))
    pages = [p.extract_text() or "" for p in reader.pages]
    assert 3 <= len(pages) <= 200
    box = reader.pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [595, 842]  # A4
    text = "\n".join(pages)
    assert "XX区河滨街道办事处权责清单（2022年版）" in text.replace(" ", "")
    assert "临时占用城市道路审批" in re.sub(r"\s+", "", text)
    assert "XX政发〔2022〕6" in text.replace(" ", "")
    # the table header and the page number on every page
    for n, page in enumerate(pages, 1):
        flat = re.sub(r"\s+", "", page)
        assert "追责情形" in flat, f"header missing on page {n}"
        assert f"—{n}—" in flat, f"page number missing on page {n}"
    combined = PdfReader(str(site / "pdf" / "all.pdf"))
    assert len(combined.pages) > len(pages)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
        png = next(tmp_path.glob("page*.png"))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


# --- in a real browser -----------------------------------------------------------------------------------------------

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/test installs Debian's chromium)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    b = Browser(CHROMIUM, str(profile))
    yield b
    b.close()


VISIBLE_ROWS = "document.querySelectorAll('table.items tbody tr:not(.cat-head):not([hidden])').length"


@needs_chromium
def test_browser_index_and_list_load_clean(site, browser):
    root = site.resolve().as_uri()
    browser.events.clear()
    browser.open(f"{root}/index.html")
    assert browser.eval("document.documentElement.lang") == "zh-CN"
    assert browser.eval("document.querySelectorAll('table.lists tbody tr').length") == 26
    browser.open(f"{root}/list/xx-street-power.html")
    assert browser.eval("document.querySelector('thead th:nth-child(8)').textContent") == "责任事项"
    assert browser.eval(VISIBLE_ROWS) == 30
    browser.pump(0.3)
    assert browser.errors() == []
    outside = [u for u in browser.requests() if not u.startswith(root + "/")]
    assert outside == [] and len(browser.requests()) >= 6


@needs_chromium
def test_browser_note_keeps_its_lines(tmp_path, browser):
    """A list's note of two lines (an import keeps a page's opening sentence and a law's next article apart) shows as
    two lines, as the PDF and the Word file print it, not run together into one."""
    files = {"note.yaml": EVIL["evil.yaml"].replace("title: 测试<script>清单", 'title: 测试清单\n        note: "第一句说明。\\n第四条 第二句。"')}
    write_set(tmp_path / "in", files)
    out = tmp_path / "site"
    result = _render([str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    browser.open(f"{out.resolve().as_uri()}/list/evil.html")
    text = "document.querySelector('p.note').firstChild"
    assert browser.eval(f"{text}.textContent") == "第一句说明。\n第四条 第二句。"
    lines = browser.eval(f"(() => {{ const r = document.createRange(); r.selectNodeContents({text}); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }})()")
    assert lines == 2


@needs_chromium
def test_browser_search_filters_rows(site, browser):
    root = site.resolve().as_uri()
    browser.open(f"{root}/list/xx-street-power.html")
    browser.eval("document.getElementById('q').focus()")
    browser.type("临时占用")
    browser.pump(0.2)
    shown = browser.eval(VISIBLE_ROWS)
    assert 1 <= shown < 30
    assert browser.eval("document.getElementById('count').textContent") == f"{shown} / 30"
    assert browser.eval("[...document.querySelectorAll('table.items tbody tr:not(.cat-head):not([hidden])')].every(r => r.textContent.includes('临时占用'))")
    # filter by type, then clear the text: only that type's rows
    browser.eval("document.getElementById('q').value=''; const s=document.getElementById('f-type'); s.value='行政处罚'; s.dispatchEvent(new Event('change'))")
    assert browser.eval(VISIBLE_ROWS) == 16
    # the index searches every list and links to the item's anchor
    browser.open(f"{root}/index.html")
    browser.eval("document.getElementById('q').focus()")
    browser.type("低保")
    browser.pump(0.2)
    assert browser.eval("document.getElementById('hits').hidden") is False
    links = browser.eval("[...document.querySelectorAll('#hit-list a')].map(a => a.getAttribute('href'))")
    assert links and all("#item-" in h for h in links)
    assert browser.errors() == []


@needs_chromium
def test_browser_anchor_scrolls_to_row(site, browser):
    root = site.resolve().as_uri()
    browser.open(f"{root}/index.html")
    browser.open(f"{root}/list/xx-street-power.html#item-XX-CF-010")
    top, height, scrolled = browser.eval("(() => { const r = document.getElementById('item-XX-CF-010').getBoundingClientRect(); return [r.top, innerHeight, scrollY]; })()")
    assert scrolled > 0 and 0 <= top < height
    assert browser.eval("document.querySelector(':target').id") == "item-XX-CF-010"
    browser.screenshot(str(site.parent / "shot.png"))
    assert (site.parent / "shot.png").stat().st_size > 10000


# --- issue 11: phone and desktop widths, highlight, query in the URL, values that do not wrap ----------------------


@pytest.fixture(scope="module")
def narrow(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    b = Browser(CHROMIUM, str(tmp_path_factory.mktemp("chromium-narrow")), width=390, height=844)
    yield b
    b.close()


NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@needs_chromium
def test_phone_width_cards_and_no_page_scroll(site, narrow):
    root = site.resolve().as_uri()
    for page in ("index.html", "list/xx-street-power.html", "list/chenghua-community.html", "list/baishaguan-entry-rules.html"):
        narrow.open(f"{root}/{page}")
        assert narrow.eval("window.innerWidth") == 390
        assert narrow.eval(NO_PAGE_SCROLL), f"{page} scrolls sideways at 390 px"
        # every control fits the screen (the 部门 drop-down used to run off it)
        assert narrow.eval("[...document.querySelectorAll('.controls select, .controls input')].every(e => e.getBoundingClientRect().right <= innerWidth + 1)")
    # the list's facts read as label and value on one line each: a label never ends a line with its value on the next
    narrow.open(f"{root}/list/chenghua-community.html")
    pairs = narrow.eval("[...document.querySelectorAll('dl.meta dt')].map(dt => { const a = dt.getBoundingClientRect(), b = dt.nextElementSibling.getBoundingClientRect(); return [a.top, b.top, a.right, b.left]; })")
    assert len(pairs) >= 4 and all(abs(dt_top - dd_top) < 2 and dt_right <= dd_left for dt_top, dd_top, dt_right, dd_left in pairs)
    narrow.open(f"{root}/list/xx-street-power.html")
    assert narrow.eval("getComputedStyle(document.querySelector('table.items thead')).display") == "none"
    assert narrow.eval("getComputedStyle(document.querySelector('table.items tbody tr:not(.cat-head)')).display") == "block"
    label = narrow.eval("getComputedStyle(document.querySelector('table.items td[data-label]'), '::before').content")
    assert label.strip('"') in ("权力类型", "序号", "项目编码")
    narrow.eval("document.getElementById('q').value = '临时占用'; document.getElementById('q').dispatchEvent(new Event('input'))")
    narrow.pump(0.3)
    narrow.eval("document.querySelector('table.items').scrollIntoView()")
    narrow.screenshot(str(site.parent / "phone.png"))


@needs_chromium
def test_desktop_width_sticky_header_and_whole_values(site, browser):
    root = site.resolve().as_uri()
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)
    for page in ("index.html", "list/xx-street-power.html", "list/chenghua-community.html"):
        browser.open(f"{root}/{page}")
        assert browser.eval(NO_PAGE_SCROLL), f"{page} scrolls sideways at 1400 px"
    browser.open(f"{root}/index.html")
    # a 文号 or a date is one line high wherever it stands
    heights = browser.eval("[...document.querySelectorAll('td.nw')].filter(e => e.textContent.trim()).map(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; })")
    assert heights and max(heights) == 1
    # so is an item code (GM-JD-01-001 broke after GM-JD- in a wide duty list)
    browser.open(f"{root}/list/gumei-street-duty.html")
    lines = browser.eval("[...document.querySelectorAll('td.code')].filter(e => e.textContent.trim()).map(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; })")
    assert len(lines) > 100 and max(lines) == 1
    browser.open(f"{root}/list/xx-street-power.html")
    # a power item's 子项, one a line (they ran together in one line, like a name)
    subitems = browser.eval("[...document.querySelectorAll('td[data-label=\"子项\"]')].filter(e => e.textContent.trim()).map(e => e.innerText.split('\\n').length)")
    assert subitems == [3, 4, 3], subitems
    assert browser.eval("getComputedStyle(document.querySelector('table.items thead th')).position") == "sticky"
    top_before = browser.eval("document.querySelector('table.items thead th').getBoundingClientRect().top")
    browser.eval("document.querySelector('.table-wrap').scrollTop = 2000")
    browser.pump(0.2)
    top_after = browser.eval("(() => { const w = document.querySelector('.table-wrap').getBoundingClientRect(); const t = document.querySelector('table.items thead th').getBoundingClientRect(); return t.top - w.top; })()")
    assert abs(top_after) < 2, (top_before, top_after)  # the header stays at the top of the scrolled table
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)


@needs_chromium
def test_search_highlights_and_keeps_query_in_url(site, browser):
    root = site.resolve().as_uri()
    browser.open(f"{root}/list/xx-street-power.html")
    browser.eval("document.getElementById('q').focus()")
    browser.type("临时占用")
    browser.pump(0.3)
    marks = browser.eval("[...document.querySelectorAll('table.items mark')].map(m => m.textContent)")
    assert marks and set(marks) == {"临时占用"}
    assert browser.eval("[...document.querySelectorAll('table.items mark')].every(m => !m.closest('tr').hidden)")
    assert "q=" in browser.eval("location.search")
    # a reload shows the same rows, highlighted
    shown = browser.eval(VISIBLE_ROWS)
    browser.open(browser.eval("location.href"))
    browser.pump(0.3)
    assert browser.eval("document.getElementById('q').value") == "临时占用"
    assert browser.eval(VISIBLE_ROWS) == shown and browser.eval("document.querySelectorAll('table.items mark').length") > 0
    # clearing the search removes every mark and the query
    browser.eval("const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input'))")
    browser.pump(0.3)
    assert browser.eval("document.querySelectorAll('table.items mark').length") == 0 and "q=" not in browser.eval("location.search")
    assert browser.errors() == []


def test_entry_rules_publish_their_terms(site):
    page = (site / "list" / "baishaguan-entry-rules.html").read_text(encoding="utf-8")
    for text in ("准入程序", "1. 部门申请（区级职能部门；社区工作事项准入审批表）", "部门须提前 30 个工作日提出申请", "收到申请后 15 个工作日内作出决定", "必备内容", "不得交由社区承担", "行政许可"):
        assert text in page, text
    for key in ("apply_ahead_working_days", "government_only", "doc_number", "approval"):
        assert key not in page.split("<main>")[1], key  # no YAML key reaches the reader


def test_build_date_is_today_without_source_date_epoch(tmp_path, monkeypatch):
    import datetime

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "site"
    assert _render([str(CATALOGS / "xx-district"), "--out", str(out)]).exit_code == 0
    assert datetime.datetime.now(datetime.UTC).date().isoformat() in (out / "index.html").read_text(encoding="utf-8")
