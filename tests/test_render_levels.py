"""The published site across levels: the matrix page (filters, links to the lists) and, on each item, where it comes
from (the parent item) and where it goes (devolved to, led by), checked in headless Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import CATALOGS, REPO
from typer.testing import CliRunner

from govlist.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cdp import Browser, find_chromium

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/test installs Debian's chromium)")
ROWS = "document.querySelectorAll('#matrix tbody tr:not([hidden])').length"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("levels") / "site"
    result = CliRunner().invoke(app, ["render", str(CATALOGS), str(REPO / "examples" / "levels"), "--out", str(out), "--allow-errors"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    return out


def test_matrix_page_and_index_link(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="matrix/qijiang-street-standard.html"' in index
    page = (site / "matrix" / "qijiang-street-standard.html").read_text(encoding="utf-8")
    assert page.count('<tr data-name=') == 14
    assert 'href="../list/qijiang-gn-duty.html"' in page  # units link to their lists
    assert 'href="../list/qijiang-street-standard.html#item-QJ-FD-01"' in page  # template items to theirs


def test_items_link_to_where_they_come_from_and_go(site):
    street = (site / "list" / "qijiang-gn-duty.html").read_text(encoding="utf-8")
    assert '<a href="../list/qijiang-street-standard.html#item-QJ-FD-01">上级事项</a>' in street
    catalog = (site / "list" / "qijiang-empowerment-2025.html").read_text(encoding="utf-8")
    assert '<a href="../list/qijiang-gn-duty.html#item-QJ-FQ-01">下放至古南街道</a>' in catalog
    assert "下放至通惠街道" not in catalog  # the withdrawn item goes nowhere
    assisting = street[street.index('id="item-QJ-PH-01"') :]
    assert '<a href="../list/qijiang-cg-power.html#item-QJ-CG-01">牵头部门区城市管理局：城市道路两侧' not in assisting
    assert 'href="../list/qijiang-cg-power.html#item-QJ-CG-01">牵头部门区城市管理局' in assisting
    city = (site / "list" / "huangshi-certificates.html").read_text(encoding="utf-8")
    assert '上级事项：居民财产证明</a>' in city  # a renamed item names its parent's name


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(CHROMIUM, str(tmp_path_factory.mktemp("chromium-profile")))
    yield b
    b.close()


@needs_chromium
def test_browser_matrix_filters_and_loads_clean(site, browser):
    root = site.resolve().as_uri()
    browser.events.clear()
    browser.open(f"{root}/matrix/qijiang-street-standard.html")
    assert browser.eval(ROWS) == 14
    browser.eval("(() => { const s=document.getElementById('f-status'); s.value='differs'; s.dispatchEvent(new Event('change')); })()")
    assert browser.eval(ROWS) == 8
    assert browser.eval("document.getElementById('m-count').textContent") == "8 / 14"
    browser.eval("(() => { const s=document.getElementById('f-status'); s.value=''; s.dispatchEvent(new Event('change')); document.getElementById('f-name').focus(); })()")
    browser.type("消防")
    browser.pump(0.2)
    assert browser.eval(ROWS) == 2  # 消防安全检查, 对占用、堵塞、封闭消防车通道的行政处罚
    browser.pump(0.3)
    assert browser.errors() == []
    outside = [u for u in browser.requests() if not u.startswith(root + "/")]
    assert outside == []
    # the wide table scrolls inside its box at phone width; the page itself does not
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 800, "deviceScaleFactor": 1, "mobile": True}, session=True)
    browser.open(f"{root}/matrix/qijiang-street-standard.html")
    assert browser.eval("document.documentElement.scrollWidth <= innerWidth + 1")
    browser.screenshot(str(site.parent / "matrix-390.png"))
    browser.call("Emulation.clearDeviceMetricsOverride", {}, session=True)
