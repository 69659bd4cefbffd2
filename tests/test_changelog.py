"""govlist changelog: the adjustment notice (调整说明) drafted from a diff, Markdown and HTML."""

from __future__ import annotations

import copy

import pytest
from pathlib import Path

import yaml
from typer.testing import CliRunner

from govlist.changelog import render_changelog
from govlist.cli import app
from govlist.diff import diff_sides
from govlist.sources import resolve_sides
from govlist.checker import load_project

from conftest import REPO


def _example(monkeypatch):
    monkeypatch.chdir(REPO)
    o, n = resolve_sides("examples/adjustment/v2024", "examples/adjustment/v2025")
    project, _ = load_project([Path("examples/adjustment/v2025")], None)
    return diff_sides(o, n, project)


def test_changelog_markdown_golden(monkeypatch, golden):
    text = render_changelog(_example(monkeypatch), "markdown")
    golden("changelog-example.md", text)
    assert "以 2024 年版《成华区区级部门下放街道工作事项目录》（成华府办〔2024〕5号，2024-01-01 起施行）为基础，原目录共 9 类 77 项" in text
    assert "调整后，目录共 9 类 80 项" in text
    assert "| 1 | 计划生育 | CH-XF-JD-03-003 | 《独生子女父母光荣证》办理 | 区人口计生局 | 依据已取消：独生子女父母光荣证不再办理 |" in text
    assert "### （三）收回事项（2 项）" in text and "由《成华区区级部门下沉社区工作事项目录》收回" in text
    assert "<ins>通过社会救助信息系统开展家庭经济状况核对，</ins>" in text
    assert render_changelog(_example(monkeypatch), "markdown") == text, "deterministic"


def test_changelog_html_is_escaped_and_complete(monkeypatch):
    result = _example(monkeypatch)
    html = render_changelog(result, "html")
    assert html.startswith("<!DOCTYPE html>") and "仿宋" in html
    assert html.count("<section>") == 2
    assert "<h3>（一）新增事项（3 项）</h3>" in html


def test_changelog_escapes_item_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = {"govlist": 1, "kind": "duty", "id": "d", "title": "职责清单", "version": "2024", "items": [{"code": "A1", "name": "低保申请受理"}]}
    new = copy.deepcopy(base)
    new["version"] = "2025"
    new["items"].append({"code": "A2", "name": "<b>新</b>事项|甲"})
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    md = runner.invoke(app, ["changelog", "old.yaml", "new.yaml"])
    assert md.exit_code == 0 and "&lt;b&gt;新&lt;/b&gt;事项\\|甲" in md.stdout
    assert "（新版本未记录调整原因" in md.stdout
    html = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "-f", "html", "-o", "notice.html"])
    assert html.exit_code == 0 and "&lt;b&gt;新&lt;/b&gt;" in (tmp_path / "notice.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "-f", "pdf"]).exit_code == 2


# --- counted once, in the published order, in the list's own words, and said when nothing changed -------------------

PUBLISHED = ["民政事务", "社会保险", "计划生育", "劳动就业", "城市管理", "安全生产", "综治维稳", "文化教育", "住房保障"]


def _category_rows(text: str, header: str) -> list[list[str]]:
    lines = text.split(header, 1)[1].splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("|")][: len(lines)]


def test_categories_in_published_order(monkeypatch):
    """The catalog lists 民政事务 first and 住房保障 last; code-point order would put 住房保障 first."""
    result = _example(monkeypatch)
    text = render_changelog(result, "markdown")
    street = text.split("下放街道工作事项目录》（2025年版）", 1)[1]
    rows = _category_rows(street, "| 类别 | 原事项数 |")
    assert [r[0] for r in rows[: len(PUBLISHED)]] == PUBLISHED
    from govlist.diffreport import render_text

    report = render_text(result, "zh")
    shown = [line.split(" / ", 1)[1].split(":")[0] for line in report.splitlines() if line.startswith("  chenghua-devolution-street / ")]
    assert shown == [c for c in PUBLISHED if c in shown] and len(shown) == 7


def _duty(version: str, items: list[dict], kind="duty", title="街道职责任务清单") -> dict:
    return {"govlist": 1, "kind": kind, "id": "d", "title": title, "version": version, "categories": [{"name": "综合管理", "items": items[:1]}, {"name": "安全生产", "items": items[1:]}]}


def _write_sides(tmp_path, old: dict, new: dict) -> None:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_renamed_and_edited_item_is_counted_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old_items = [{"code": "A1", "name": "婚育状况证明", "content": "出具婚育状况证明", "responsible": "民政办"}, {"code": "A2", "name": "安全巡查", "content": "巡查", "responsible": "安监办"}]
    new_items = copy.deepcopy(old_items)
    new_items[0].update(name="生育状况证明", content="出具生育状况证明，30个工作日内办结")
    _write_sides(tmp_path, _duty("2024", old_items), _duty("2025", new_items))
    runner = CliRunner()
    md = runner.invoke(app, ["changelog", "old.yaml", "new.yaml"])
    assert md.exit_code == 0, md.output
    text = md.stdout
    assert "本次调整共变更事项 1 项。" in text and "更名事项" not in text
    rows = _category_rows(text, "| 类别 | 原事项数 |")
    assert rows[0] == ["综合管理", "1", "", "", "", "", "", "1", "", "1"]  # 变更 1, 更名 empty
    assert [r[0] for r in rows[:2]] == ["综合管理", "安全生产"]  # as published, not 安全生产 (U+5B89) first
    dept = _category_rows(text, "| 部门 | 新增 |")
    assert dept[0] == ["民政办", "", "", "", "", "1", "", "", "", ""]
    assert "### （一）变更事项（1 项）" in text and "更名、移动" not in text
    assert "名称：婚育状况证明 → 生育状况证明<br>内容：" in text
    html = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "-f", "html"]).stdout
    assert "本次调整共变更事项 1 项。" in html and "更名事项" not in html and "<h3>（一）变更事项（1 项）</h3>" in html


def test_a_rename_alone_is_more_than_nothing_and_counted_as_such(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old_items = [{"code": "A1", "name": "婚育状况证明", "responsible": "民政办"}, {"code": "A2", "name": "安全巡查", "responsible": "安监办"}]
    new_items = copy.deepcopy(old_items)
    new_items[0]["name"] = "生育状况证明"
    _write_sides(tmp_path, _duty("2024", old_items), _duty("2025", new_items))
    text = CliRunner().invoke(app, ["changelog", "old.yaml", "new.yaml"]).stdout
    assert "本次调整共更名事项 1 项。" in text and "变更事项" not in text
    assert _category_rows(text, "| 类别 | 原事项数 |")[0] == ["综合管理", "1", "", "", "", "", "", "", "1", "1"]


def test_the_list_kind_names_itself(tmp_path, monkeypatch):
    """A 清单 is a 清单 (原清单、调整后，清单共), a 目录 a 目录: the word comes from kinds.KIND_TABLE."""
    result = _example(monkeypatch)
    text = render_changelog(result, "markdown")
    community, street = text.split("\n---\n")
    assert "原清单共 3 类 27 项" in community and "调整后，清单共 3 类 28 项" in community and "目录" not in community.replace("下沉社区工作事项目录", "")
    assert "原目录共 9 类 77 项" in street and "调整后，目录共 9 类 80 项" in street and "原清单" not in street
    monkeypatch.chdir(tmp_path)
    items = [{"code": "A1", "name": "婚育状况证明", "responsible": "民政办"}, {"code": "A2", "name": "安全巡查", "responsible": "安监办"}]
    (tmp_path / "old").mkdir()
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(_duty("2025", items), allow_unicode=True), encoding="utf-8")
    (tmp_path / "old" / "other.yaml").write_text(yaml.safe_dump(_duty("2025", items) | {"id": "x"}, allow_unicode=True), encoding="utf-8")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "other.yaml").write_text((tmp_path / "old" / "other.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "new" / "d.yaml").write_text((tmp_path / "new.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = CliRunner().invoke(app, ["changelog", "old", "new"]).stdout
    assert "本清单为新制定，无基准版本。" in text


@pytest.mark.parametrize("lang, said", [("zh", "两个版本相同，没有调整。"), ("en", "The two versions are the same, nothing changed.")])
def test_nothing_changed_is_said_in_every_format(tmp_path, monkeypatch, lang, said):
    monkeypatch.chdir(tmp_path)
    items = [{"code": "A1", "name": "婚育状况证明", "responsible": "民政办"}, {"code": "A2", "name": "安全巡查", "responsible": "安监办"}]
    _write_sides(tmp_path, _duty("2025", items), _duty("2025", items))
    runner = CliRunner()
    md = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "--lang", lang])
    assert md.exit_code == 0 and said in md.stdout and "调整说明（草稿）" in md.stdout
    for name in ("n.md", "n.html", "n.docx"):
        result = runner.invoke(app, ["changelog", "old.yaml", "new.yaml", "-o", name, "--lang", lang])
        assert result.exit_code == 0, result.output
    assert said in (tmp_path / "n.md").read_text(encoding="utf-8")
    assert f"<p>{said}</p>" in (tmp_path / "n.html").read_text(encoding="utf-8")
    import docx

    assert said in [p.text for p in docx.Document(str(tmp_path / "n.docx")).paragraphs]


def test_only_the_header_changed_says_which(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    items = [{"code": "A1", "name": "婚育状况证明", "responsible": "民政办"}, {"code": "A2", "name": "安全巡查", "responsible": "安监办"}]
    _write_sides(tmp_path, _duty("2024", items) | {"doc_number": "XX街办〔2024〕15号"}, _duty("2025", items) | {"doc_number": "XX街办〔2025〕4号"})
    text = CliRunner().invoke(app, ["changelog", "old.yaml", "new.yaml"]).stdout
    assert "两个版本之间事项没有变化。" in text
    assert "- 《街道职责任务清单》文号：XX街办〔2024〕15号 → XX街办〔2025〕4号" in text and "- 《街道职责任务清单》版本：2024 → 2025" in text


def test_files_that_fail_are_not_reported_as_no_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    items = [{"code": "A1", "name": "婚育状况证明", "responsible": "民政办"}]  # the second category is empty: a schema error
    _write_sides(tmp_path, _duty("2024", items), _duty("2025", items))
    result = CliRunner().invoke(app, ["changelog", "old.yaml", "new.yaml"])
    assert result.exit_code == 1
    assert "未能比较" in result.stdout and "没有调整" not in result.stdout and "没有变化" not in result.stdout and "new.yaml:" in result.stdout
