"""The site's pages as they are written: rows made in Python give the same bytes as the cell-by-cell template they
replace, pages are streamed to disk piece by piece, and a page that fails midway leaves nothing half-written."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import CATALOGS, REPO, write_set
from markupsafe import escape

from govlist import output, render
from govlist.render import _cross_references, build_site, environment, make_views, nowrap, publish, table_rows
from govlist.result import UsageError
from govlist.tokens import DATE, NO_BREAK
from govlist.validate import validate_paths

# The rows as list.html.j2 laid them out cell by cell before table_rows (kept here as the reference markup)
CELL_BY_CELL = """{% for row in cat.rows %}
<tr id="{{ row.anchor }}" data-cat="{{ cat.index }}"{% if row.type %} data-type="{{ row.type }}"{% endif %}{% if row.department %} data-dept="{{ row.department }}"{% endif %}>
{% for cell in row.cells %}{% set col = list.columns[loop.index0] %}{% if col.field == 'name' %}<th scope="row"><a class="self" href="#{{ row.anchor|fragment }}">{{ cell }}</a>{% if row.xrefs %}<span class="xrefs">{% for x in row.xrefs %}<a href="{{ x.href }}">{{ x.label }}{% if x.text %}：{{ x.text }}{% endif %}</a>{% endfor %}</span>{% endif %}</th>{% else %}<td class="{{ col.codec }}" data-label="{{ col.header }}">{{ cell|nowrap }}</td>{% endif %}{% endfor %}
</tr>
{% endfor %}
"""

HOSTILE = {
    "hostile.yaml": """
        govlist: 1
        kind: duty
        id: hostile
        title: 转义<清单>
        categories:
          - name: "类别 & '引号' \\"双引号\\""
            items:
              - code: "H 01"
                name: "<b>名称</b> & 'x' \\"y\\""
                content: "依据某政发〔2022〕6号 & <i>2024-01-01</i> '单' \\"双\\"；号召；令第412号；２０２４年１月１日"
                department: "A&B<部门>"
              - code: "H-02#?"
                name: "第二项"
                content: "号"
    """,
}


def _sets(tmp_path: Path) -> list[Path]:
    write_set(tmp_path / "hostile", HOSTILE)
    return [CATALOGS, REPO / "examples" / "levels", REPO / "examples" / "adjustment" / "v2025", tmp_path / "hostile"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rows_are_the_bytes_of_the_cell_by_cell_template(tmp_path, lang):
    env = environment(None)
    reference = env.from_string(CELL_BY_CELL)
    rows = 0
    for folder in _sets(tmp_path):
        report = validate_paths([folder], cache=False)
        views = make_views(report.catalogs, lang)
        _cross_references(report.catalogs, views, lang, report.project.links)
        for view in views:
            for cat in view.categories:
                assert "".join(table_rows(view, cat)) == reference.render(list=view, cat=cat), (view.id, cat.name)
                rows += cat.count
    assert rows > 1000


def test_view_cells_are_what_each_cell_alone_gives(tmp_path):
    """The views read a column in one pass and take a text or absent value as it is: every column of every bundled
    list (and of values that are neither: numbers, dates, booleans, lists, records) is what views._cell makes of each
    item alone."""
    import datetime

    from govlist import views
    from govlist.cells import extra_columns
    from govlist.tables import COLUMNS

    odd = [
        {"code": 7, "name": 5, "seq": 2.5, "content": datetime.date(2024, 1, 2), "basis": ["《甲法》", 3], "department": ["区甲局", {"unit": "区乙局"}], "devolved": True, "extra": {"备注": 1}},
        {"seq": None, "name": None, "content": "", "basis": ["《乙法》", "《丙法》"], "subitems": [{"code": "1", "name": "子项"}], "extra": {"备注": None}},
        {"seq": "3", "name": "名称", "basis": [], "department": "区丙局", "remark": False},
    ]
    cells = 0
    for folder in _sets(tmp_path):
        report = validate_paths([folder], cache=False)
        titles = {c.id: c.title for c in report.catalogs}
        for catalog in report.catalogs:
            if catalog.kind not in COLUMNS:
                continue
            for items in ([i.data for i in catalog.items], odd):
                for col in (*COLUMNS[catalog.kind], *extra_columns(items)):
                    expected = [views._cell(col, item, n, titles) for n, item in enumerate(items, 1)]
                    assert views._column_cells(col, items, titles) == expected, (catalog.id, col.field)
                    cells += len(items)
    assert cells > 10000


def test_nowrap_is_the_plain_scan(tmp_path):
    """nowrap's shortcuts (dates only when there is no 号, a memo) change nothing: every cell of the bundled lists
    and some awkward texts give what a plain NO_BREAK scan with markupsafe's escape gives."""

    def plain(text: str) -> str:
        out, at = [], 0
        for m in NO_BREAK.finditer(text):
            out.append(str(escape(text[at : m.start()])))
            out.append(f'<span class="nw">{escape(m.group())}</span>')
            at = m.end()
        return "".join(out) + str(escape(text[at:]))

    texts = ["", "号", "2024-01-01", "某政发〔2022〕6号与2024年1月1日", "国务院令第412号", "１２３４年１月１日", "<&'\">", "号 2024/1/1 <a>"]
    for folder in _sets(tmp_path):
        for view in make_views(validate_paths([folder], cache=False).catalogs):
            texts += [cell for row in view.rows for cell in row.cells]
    for text in texts + texts:  # the second time from the memo
        assert str(nowrap(text)) == plain(text), text
    # DATE writes its four digits once (faster to scan): the same matches as the pattern with two whole branches
    two_branches = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
    for text in texts + ["2024年1月", "2024年13月45日", "20241-1-1", "2024.1.1.1", "２０２４/１/１"]:
        assert [m.span() for m in DATE.finditer(text)] == [m.span() for m in two_branches.finditer(text)], text


def test_a_page_is_the_bytes_main_wrote(golden, monkeypatch, tmp_path):
    """A page written piece by piece is the page rendered whole before (a list with cross-references, 文号 kept
    on one line, departments)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    report = validate_paths([CATALOGS], cache=False)
    build_site(report.catalogs, tmp_path / "site", links=report.project.links)
    golden("site/qijiang-empowerment-2025.html", (tmp_path / "site" / "list" / "qijiang-empowerment-2025.html").read_bytes().decode("utf-8"))


def test_write_text_streams_and_fails_whole(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("the old page", encoding="utf-8")

    def temporaries() -> list[Path]:
        return [p for p in tmp_path.iterdir() if p.name != "page.html"]

    seen = []

    def pieces(fail: bool):
        for n in range(40):
            yield "行" * 4096
            if n == 30:  # by now the first pieces are on disk, not gathered into one string
                seen.append(sum(p.stat().st_size for p in temporaries()))
        if fail:
            raise RuntimeError("a template failing halfway")
        yield "end"

    with pytest.raises(RuntimeError):
        output.write_text(target, pieces(True))
    assert target.read_text(encoding="utf-8") == "the old page" and temporaries() == []
    assert seen[0] >= 64 * 1024
    output.write_text(target, pieces(False))
    assert target.read_text(encoding="utf-8") == "行" * 4096 * 40 + "end" and temporaries() == []


def test_pages_of_a_site_built_aside_do_not_list_their_folder(tmp_path, monkeypatch):
    """Each page goes under a temporary name renamed into place, but the folder the site is built in (made for this
    run, so it holds no killed run's temporaries) is not listed before each page: with thousands of lists that
    listing grew with their square. A write elsewhere still looks for a killed write's temporaries."""
    report = validate_paths([CATALOGS], cache=False)
    listed: list[str] = []
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(os.fspath(path)) or real(path))
    site = tmp_path / "site"
    build_site(report.catalogs, site, links=report.project.links)
    assert not [p for p in listed if Path(p).is_relative_to(site)]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert len(pages) > 26 and [p for p in pages if "govlist-tmp" in p] == []
    (site / "list" / ".old.html.govlist-tmp-x").write_text("left by a killed write", encoding="utf-8")
    output.write_text(site / "list" / "old.html", iter(["page"]))
    assert (site / "list" / "old.html").read_text(encoding="utf-8") == "page" and not (site / "list" / ".old.html.govlist-tmp-x").exists()


def test_work_shared_by_pages_is_done_once_per_site(tmp_path, monkeypatch):
    """A site of copies of catalogs/ (lists of many units share their titles): each title text is cut into words once,
    and the templates are read once, not looked up on disk again for every page."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import copies  # benchmarks/copies.py

    copies.prepare(tmp_path / "set", 2000, 0, False)
    report = validate_paths([tmp_path / "set"], cache=False)
    cut: list[str] = []
    real_words = render.title_words
    monkeypatch.setattr(render, "title_words", lambda title: cut.append(title) or real_words(title))
    looked: list[str] = []
    real_mtime = os.path.getmtime
    monkeypatch.setattr(os.path, "getmtime", lambda path: looked.append(os.fspath(path)) or real_mtime(path))
    render._title_words.cache_clear()
    result = build_site(report.catalogs, tmp_path / "site", links=report.project.links)
    titles = [c.title for c in report.catalogs if c.kind in render.COLUMNS]
    assert result.lists == len(titles) == 78 and len(set(titles)) == 26
    assert sorted(cut) == sorted({t for t in titles if render.text_width(t) > render.SHORT_TITLE})
    assert looked and len(looked) == len(set(looked))  # each template and asset once
    page = (tmp_path / "site" / "list" / "qijiang-empowerment-2025-c002.html").read_text(encoding="utf-8")
    assert "<h1>綦江<wbr>区镇街<wbr>综合<wbr>行政<wbr>执法<wbr>事项<wbr>清单<wbr>（2025年）<wbr>赋权事项<wbr>（街道部分）</h1>" in page  # as the golden page


def test_a_render_with_the_same_titles_cuts_none_into_words(tmp_path, monkeypatch):
    """With the project's cache, the words of a site's titles are kept: the next render with the same titles loads
    no word dictionary and writes nothing more, and its pages are the same bytes. A kept entry whose words do not
    make up the title (tampered) is not used: it can put no markup into a page."""
    from govlist import cache as content_cache

    shutil.copytree(CATALOGS, tmp_path / "set", ignore=shutil.ignore_patterns(".govlist-cache"))
    report = validate_paths([tmp_path / "set"], cache=False)
    store = content_cache.open_cache(tmp_path / "set" / "govlist.yaml")

    def site(name: str) -> dict[str, bytes]:
        build_site(report.catalogs, tmp_path / name, links=report.project.links, cache=store)
        return {p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}

    render._title_words.cache_clear()
    first = site("first")
    kept = list((tmp_path / "set" / ".govlist-cache").rglob("*.titles.json"))
    assert len(kept) == 1
    written = kept[0].read_bytes()

    def no_dictionary(title):
        raise AssertionError(f"{title} cut into words again")

    render._title_words.cache_clear()
    monkeypatch.setattr(render, "title_words", no_dictionary)
    monkeypatch.setattr(content_cache, "write_file", lambda *args, **kwargs: pytest.fail("the cache written again"))
    assert site("second") == first
    monkeypatch.undo()

    title = "綦江区镇街综合行政执法事项清单（2025年）赋权事项（街道部分）"
    entry = json.loads(written)
    assert entry["titles"][title] == ["綦江", "区镇街", "综合", "行政", "执法", "事项", "清单", "（2025年）", "赋权事项", "（街道部分）"]
    entry["titles"][title] = ["<script>", "綦江区</script>"]
    kept[0].write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    render._title_words.cache_clear()
    assert site("third") == first
    assert json.loads(kept[0].read_bytes()) == json.loads(written)  # the entry mended


def test_write_text_reports_a_folder_it_cannot_write(tmp_path):
    (tmp_path / "page.html").mkdir()
    with pytest.raises(UsageError):
        output.write_text(tmp_path / "page.html", iter(["x"]))


def test_a_page_failing_midway_keeps_the_old_site(tmp_path, monkeypatch):
    report = validate_paths([CATALOGS / "xx-district"], cache=False)
    out = tmp_path / "site"
    publish(out, lambda tmp: build_site(report.catalogs, tmp))
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def failing(view, cat):
        rows = table_rows(view, cat)
        yield next(rows)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render, "table_rows", failing)
    with pytest.raises(UsageError):  # "cannot write …/list/…html: no space left on device"
        publish(out, lambda tmp: build_site(report.catalogs, tmp))
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(os.listdir(tmp_path)) == ["site"]  # no temporary site or page left behind


def test_a_devolved_item_links_only_to_the_list_that_carries_it(tmp_path):
    """Where an item goes is where links.present finds it: the first of the receiver's lists carrying it by code or
    name, before any close name. A power list of the same street with a close but other name is no destination."""
    import shutil

    shutil.copytree(CATALOGS / "qijiang", tmp_path / "qijiang", ignore=shutil.ignore_patterns(".govlist-cache"))
    shutil.copy(CATALOGS / "govlist.yaml", tmp_path / "govlist.yaml")
    power = (CATALOGS / "qijiang" / "cg-power.yaml").read_text(encoding="utf-8")
    power = power.replace("id: qijiang-cg-power", "id: qijiang-gn-power").replace("unit: 区城市管理局", "unit: 古南街道").replace("level: 区", "level: 街道")
    power = power.replace("code: \"QJ-CG-01\"\n    name: 配合开展城市道路两侧违规占道经营整治", "code: \"QJ-GN-P-01\"\n    name: 对天然气用户无正当理由拒绝入户安全检查的处罚")
    (tmp_path / "qijiang" / "gn-power.yaml").write_text(power, encoding="utf-8")
    report = validate_paths([tmp_path / "qijiang"], cache=False)
    build_site(report.catalogs, tmp_path / "site", links=report.project.links)
    page = (tmp_path / "site" / "list" / "qijiang-empowerment-2025.html").read_text(encoding="utf-8")
    row = page[page.index('id="item-QJ-FQ-01"') :].split("</tr>")[0]
    assert '<a href="../list/qijiang-gn-duty.html#item-QJ-FQ-01">下放至古南街道</a>' in row
    assert "qijiang-gn-power.html" not in row


def _whole_search_index(views) -> str:
    """The search index as it was made before it was streamed: every item's row encoded at once, as one string."""
    lists = [{"href": v.href, "title": v.title} for v in views]
    items = [[n, r.anchor, r.code, r.name, c.name, r.type, r.department] for n, v in enumerate(views) for c in v.categories for r in c.rows]
    payload = json.dumps({"lists": lists, "items": items}, ensure_ascii=False, separators=(",", ":"))
    return "window.GOVLIST_INDEX = " + payload.replace("</", "<\\/") + ";\n"


SCRIPTED = {
    "scripted.yaml": """
        govlist: 1
        kind: duty
        id: scripted
        title: 清单</script><script>alert(1)</script>
        categories:
          - name: "类别</"
            items:
              - {code: "S-01", name: "名称<", department: "/部门"}
              - {code: "S-02", name: "</script>", department: "<"}
              - {code: "S-03", name: "末<", department: "/"}
          - name: "/类别"
            items:
              - {code: "S-04", name: "<", department: "/script>"}
    """,
}


@pytest.mark.parametrize("rows", [1, 2, 3, 1024])
def test_the_search_index_is_a_stream_of_the_bytes_made_whole(tmp_path, monkeypatch, rows):
    """assets/search-index.js is written piece by piece, a few items a piece (never one string of every item of the
    site), and is the same bytes as the payload encoded at once, `</` escaped, whatever items a piece ends at: text
    ending in `<` next to text starting with `/` across two items, and titles and names holding `</script>`."""
    monkeypatch.setattr(render, "INDEX_ROWS", rows)
    write_set(tmp_path / "scripted", SCRIPTED)
    items = 0
    for folder in [*_sets(tmp_path), tmp_path / "scripted"]:
        views = make_views(validate_paths([folder], cache=False).catalogs)
        pieces = list(render._search_index(views))
        count = sum(v.count for v in views)
        items += count
        assert "".join(pieces) == _whole_search_index(views), folder
        assert len(pieces) == 2 + -(-count // rows)  # the head, the items INDEX_ROWS at a time, the end
        assert "</" not in "".join(pieces)
    assert items > 1000
