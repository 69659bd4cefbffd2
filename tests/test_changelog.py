"""govlist changelog: the adjustment notice (调整说明) drafted from a diff, Markdown and HTML."""

from __future__ import annotations

import copy
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
