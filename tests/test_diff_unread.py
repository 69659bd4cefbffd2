"""A list whose file cannot be read (not UTF-8) or fails the schema on one side is not compared: never reported as
removed or added, no arithmetic on it, and every report says which file was not compared and why."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from govlist.changelog import not_compared
from govlist.cli import app
from govlist.diffreport import render_html, render_json, render_markdown, render_text
from govlist.reading import changes_view

from test_diff import BASE, catalog, dump, run

PROJECT = "govlist: 1\nkind: project\nname: 测试\n"


def _broken(how: str) -> str | bytes:
    new = catalog(copy.deepcopy(BASE), version="2025")
    text = dump(new)
    if how == "gbk":
        return text.encode("gbk")
    return text.replace("巡查户外广告和招牌设置情况", "12:30")  # a sexagesimal number the schema refuses


def _write(tmp_path, old, new):
    for side, data in (("old", old), ("new", new)):
        path = tmp_path / side / "d.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.mark.parametrize("how,rule", [("gbk", "parse.encoding"), ("schema", "schema.type")])
@pytest.mark.parametrize("broken_side", ["new", "old"])
def test_a_list_that_cannot_be_read_is_not_compared(tmp_path, how, rule, broken_side):
    good = dump(catalog(copy.deepcopy(BASE)))
    old, new = (good, _broken(how)) if broken_side == "new" else (_broken(how), good)
    _write(tmp_path, old, new)
    (tmp_path / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    for attempt in ("cold", "from the content cache"):
        result = run(tmp_path, {}, {})
        assert not [c for c in result.changes if c.kind in ("removed", "added", "catalog")], attempt
        assert result.arithmetic == [], attempt
        assert [(side, f.rule) for side, f in result.unread] == [(broken_side, rule)], attempt
        assert [(side, c.id) for side, c in result.set_aside] == [("old" if broken_side == "new" else "new", "d")], attempt
        assert not_compared(result)
    if how == "schema":  # the second comparison was the stored result: it keeps what was not compared
        assert list((tmp_path / ".govlist-cache").rglob("*.result.json"))
    text = render_text(result, "zh")
    assert "未能比较" in text and "d.yaml" in text and rule in text and "取消 2" not in text and "新增 2" not in text
    assert "Not compared" in render_text(result, "en") and "could not be read" in render_text(result, "en")
    assert "未能比较" in render_markdown(result, "zh") and "Not compared" in render_html(result, "en")
    data = json.loads(render_json(result))
    assert [f["rule"] for f in data["not_compared"]["files"]] == [rule] and data["not_compared"]["lists"][0]["id"] == "d"
    assert "未能比较" in changes_view(result, "zh")["summary"] and "Not compared" in changes_view(result, "en")["summary"]


def test_cli_diff_of_an_unreadable_file_says_so_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.yaml").write_text(dump(catalog(copy.deepcopy(BASE))), encoding="utf-8")
    (tmp_path / "new.yaml").write_bytes(_broken("gbk"))  # type: ignore[arg-type]
    runner = CliRunner()
    out = runner.invoke(app, ["diff", "old.yaml", "new.yaml"])
    assert out.exit_code == 1 and "未能比较" in out.stdout and "取消" not in out.stdout.split("发现")[0].replace("不计为取消", "")
    en = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--lang", "en"])
    assert en.exit_code == 1 and "the new file new.yaml could not be read" in en.stdout and "Traceback" not in en.stdout
