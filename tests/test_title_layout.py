"""A long list title breaks into even lines in the PDF and the Word file (GB/T 9704: 回行时排列对称): never a last line
of one or two characters or a lone closing bracket, as the imported Guichi 2023 list once ended on `本)`; and never
inside a word, as it once broke 权责 (`…区级政府权` / `责清单目录…`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO
from typer.testing import CliRunner

from govlist.cli import app
from govlist.layout import LANDSCAPE_WIDTH, PORTRAIT_WIDTH, balanced_lines, text_width

pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")
runner = CliRunner()

REAL = REPO / "tests" / "fixtures" / "real"
GUICHI = REAL / "guichi-2023-power-catalog.csv"
#: real tables whose imported title needs two lines → the title
IMPORTED = {"g": "guichi-2023-power-catalog.csv", "hubei": "hubei-2020-no-certificates.csv"}
TITLES = {
    "g": "池州市贵池区区级政府权责清单目录(2023年本)",  # the imported title: 21 em, one character over a line
    "hubei": "湖北省不应由基层群众性自治组织出具证明事项清单(第一批)",  # imported too
    "guangan": "广安市各县(市、区)赋予乡镇(街道)县级行政权力事项清单(第二批)",  # the real title of guangan-devolution-batch2
    "one-over": "池州市贵池区梅街镇人民政府部门权责清单目录",  # 21 characters: the last alone on a line
    "three": "池州市贵池区梅街镇人民政府部门权责清单目录和公共服务事项清单汇编总表（征求意见稿）",  # 41: 稿） alone
    "territorial": "成华区猛追湾街道望平社区乡镇（街道）属地管理事项主体责任和配合责任清单",
}
#: where each title breaks: between a place or its government and the list's name, before a bracket, never in a word
LINES = {
    "g": ["池州市贵池区区级政府", "权责清单目录(2023年本)"],
    "hubei": ["湖北省不应由基层群众性自治组织", "出具证明事项清单(第一批)"],
    "guangan": ["广安市各县(市、区)赋予乡镇(街道)", "县级行政权力事项清单(第二批)"],
    "one-over": ["池州市贵池区梅街镇", "人民政府部门权责清单目录"],
    "three": ["池州市贵池区梅街镇人民政府", "部门权责清单目录和公共服务", "事项清单汇编总表（征求意见稿）"],
    "territorial": ["成华区猛追湾街道望平社区乡镇（街道）", "属地管理事项主体责任和配合责任清单"],
}
CLOSING = set("）)】」》”’〕")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("titles")
    lists = folder / "lists"
    lists.mkdir()
    for slug, name in IMPORTED.items():
        result = runner.invoke(app, ["import", str(REAL / name), "-o", str(lists / f"{slug}.yaml")], env={"GOVLIST_LANG": "zh"})
        assert (lists / f"{slug}.yaml").is_file(), result.output
        assert yaml.safe_load((lists / f"{slug}.yaml").read_text(encoding="utf-8"))["title"] == TITLES[slug]
    data = yaml.safe_load((lists / "g.yaml").read_text(encoding="utf-8"))
    for slug, title in TITLES.items():
        if slug not in IMPORTED:
            (lists / f"{slug}.yaml").write_text(yaml.safe_dump({**data, "id": slug, "title": title}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "site"
    result = runner.invoke(app, ["render", str(lists), "--out", str(out), "--pdf", "--docx", "--allow-errors", "--no-progress"], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    return out


def _title_lines_pdf(path: Path) -> tuple[list[str], float]:
    """The title as the first page prints it (the 22 pt glyphs), line by line, and the widest line's width in points."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] > 18 and c["text"].strip()]
    rows: dict[int, list[dict]] = {}
    for c in chars:
        rows.setdefault(round(c["top"]), []).append(c)
    lines = [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]
    return ["".join(c["text"] for c in line) for line in lines], max(line[-1]["x1"] - line[0]["x0"] for line in lines)


def _assert_even(lines: list[str], title: str, where: str) -> None:
    assert "".join(lines) == title.replace(" ", ""), f"{where}: {lines}"
    assert len(lines) >= 2, f"{where}: the title was meant to need more than one line"
    for line in lines:
        assert len(line) > 3 and not set(line) <= CLOSING, f"{where}: a title line of a few characters: {lines}"
    assert len(lines[-1]) >= len(lines[0]) / 2, f"{where}: the lines are not even: {lines}"


@pytest.mark.parametrize("slug", sorted(TITLES))
def test_pdf_title_lines_are_even(published, slug):
    lines, widest = _title_lines_pdf(published / "pdf" / f"{slug}.pdf")
    _assert_even(lines, TITLES[slug], f"{slug}.pdf")
    assert lines == LINES[slug]
    assert widest <= PORTRAIT_WIDTH + 1  # inside the 版心


@pytest.mark.parametrize("slug", sorted(TITLES))
def test_word_title_lines_are_even(published, slug):
    d = docx.Document(str(published / "docx" / f"{slug}.docx"))
    [title] = [p for p in d.paragraphs if any(r.font.size and r.font.size.pt == 22 for r in p.runs)]
    lines = title.text.split("\n")
    _assert_even(lines, TITLES[slug], f"{slug}.docx")
    assert lines == LINES[slug]
    assert all(text_width(line) * 22 <= PORTRAIT_WIDTH for line in lines)  # Word does not wrap a line again


def test_balanced_lines():
    assert balanced_lines("成华区猛追湾街道望平社区工作事项清单", 22, PORTRAIT_WIDTH) == ["成华区猛追湾街道望平社区工作事项清单"]
    assert balanced_lines(TITLES["g"], 22, PORTRAIT_WIDTH) == LINES["g"]
    assert balanced_lines(TITLES["g"], 22, LANDSCAPE_WIDTH) == [TITLES["g"]]
    # a word, a number and a bracket with the word it opens or closes stay whole; a line breaks at a space, dropped
    assert balanced_lines("Guichi District list of powers and responsibilities (2023 edition)", 22, PORTRAIT_WIDTH) == ["Guichi District list of", "powers and responsibilities", "(2023 edition)"]
    # a Traditional title is cut as its Simplified twin; a mirror site's pinyin (區(qū)) stays with its character
    assert balanced_lines("岳陽樓區(qū)城市管理局部門行政權(quán)力清單2016年(18項)", 22, PORTRAIT_WIDTH) == ["岳陽樓區(qū)城市管理局部門", "行政權(quán)力清單2016年(18項)"]
    # not inside brackets, not just before the list's own word (事项 / 清单), when an even break is near
    assert balanced_lines("成都市成华区机构名录（街道综合管理体制改革示例）", 22, PORTRAIT_WIDTH) == ["成都市成华区机构名录", "（街道综合管理体制改革示例）"]
    assert balanced_lines("XX区城市综合管理综合考核办法（区考核块）", 22, PORTRAIT_WIDTH) == ["XX区城市综合管理", "综合考核办法（区考核块）"]
    # a piece wider than a line is broken between its characters
    lines = balanced_lines("清" * 50, 22, PORTRAIT_WIDTH)
    assert "".join(lines) == "清" * 50 and len(lines) == 3 and all(text_width(line) * 22 <= PORTRAIT_WIDTH for line in lines)
    assert balanced_lines("", 22, PORTRAIT_WIDTH) == [""]
