"""Redlines by token (diff/values.redline, govlist.tokens): a 文号, a date, an article, a number, a code changes as a
whole; prose keeps its character redline; the 修订对照表 and the diff reports show it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govlist.cli import app
from govlist.diff import redline
from govlist.tokens import tokens

from conftest import REPO

EXAMPLE = REPO / "examples" / "adjustment"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("XX政发〔2024〕15号", "XX政发〔2025〕4号", (("equal", "XX政发"), ("delete", "〔2024〕15号"), ("insert", "〔2025〕4号"))),
        ("国务院令第412号", "国务院令第698号", (("equal", "国务院"), ("delete", "令第412号"), ("insert", "令第698号"))),
        ("2024-01-01", "2025-01-01", (("delete", "2024-01-01"), ("insert", "2025-01-01"))),
        ("自2024年1月1日起施行", "自2025年3月1日起施行", (("equal", "自"), ("delete", "2024年1月1日"), ("insert", "2025年3月1日"), ("equal", "起施行"))),
        (
            "自2024年1月1日起施行，依据XX政发〔2024〕15号",
            "自2025年3月1日起施行，依据XX政发〔2025〕4号",
            (("equal", "自"), ("delete", "2024年1月1日"), ("insert", "2025年3月1日"), ("equal", "起施行，依据XX政发"), ("delete", "〔2024〕15号"), ("insert", "〔2025〕4号")),
        ),
        ("提前30个工作日申请", "提前15个工作日申请", (("equal", "提前"), ("delete", "30"), ("insert", "15"), ("equal", "个工作日申请"))),
        ("GM-JD-01-001", "GM-JD-01-011", (("delete", "GM-JD-01-001"), ("insert", "GM-JD-01-011"))),
        ("《社会救助暂行办法》第十一条", "《社会救助暂行办法》第十三条", (("equal", "《社会救助暂行办法》"), ("delete", "第十一条"), ("insert", "第十三条"))),
        # prose: character by character, as before
        ("婚育状况证明", "生育状况证明", (("delete", "婚"), ("insert", "生"), ("equal", "育状况证明"))),
        ("组织入户调查、邻里访问和民主评议", "组织入户调查和民主评议", (("equal", "组织入户调查"), ("delete", "、邻里访问"), ("equal", "和民主评议"))),
    ],
)
def test_redline_changes_each_value_as_a_whole(old, new, expected):
    assert redline(old, new) == expected


def test_long_texts_keep_whole_tokens_and_rebuild_exactly():
    """Past 2,000 characters the redline comes from rapidfuzz over the same tokens: still whole values."""
    prose = "受理辖区居民最低生活保障申请，组织入户调查和民主评议。" * 100
    old, new = prose + "依据成华府办〔2024〕15号，自2024-01-01起施行。", prose + "依据成华府办〔2025〕4号，自2025-03-01起施行。"
    segments = redline(old, new)
    assert ("delete", "〔2024〕15号") in segments and ("insert", "〔2025〕4号") in segments
    assert ("delete", "2024-01-01") in segments and ("insert", "2025-03-01") in segments
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new


def test_tokens_give_back_the_text():
    text = "依据XX政发〔2024〕15号第三十七条，GB/T 9704-2012，2024年1月1日，３０个工作日"
    cut = tokens(text)
    assert "".join(cut) == text
    assert {"〔2024〕15号", "第三十七条", "GB/T", "9704-2012", "2024年1月1日", "３０"} <= set(cut)


def test_changes_page_and_diff_reports_show_whole_values(tmp_path):
    """The bundled 2024 → 2025 adjustment: the 文号, dates and a renumbered code, on the 修订对照表 and in the reports."""
    runner = CliRunner()
    out = tmp_path / "site"
    result = runner.invoke(app, ["render", str(EXAMPLE / "v2025"), "--out", str(out), "--changes-since", str(EXAMPLE / "v2024")])
    assert result.exit_code == 0, result.output
    page = (out / "changes.html").read_text(encoding="utf-8")
    assert "猛追湾街办<del>〔2024〕15号</del>" in page and "猛追湾街办<ins>〔2025〕4号</ins>" in page
    assert "<del>2024-01-01</del>" in page and "<ins>2025-03-01</ins>" in page
    assert "<del>CH-XF-JD-04-008</del>" in page and "<ins>CH-XF-JD-07-009</ins>" in page
    for report, fmt in (("d.md", "markdown"), ("d.html", "html")):
        result = runner.invoke(app, ["diff", str(EXAMPLE / "v2024"), str(EXAMPLE / "v2025"), "-o", str(tmp_path / report)])
        assert result.exit_code == 0, result.output
        text = (tmp_path / report).read_text(encoding="utf-8")
        assert "<del>CH-XF-JD-04-008</del><ins>CH-XF-JD-07-009</ins>" in text, fmt
        assert "CH-XF-JD-0<del>" not in text
