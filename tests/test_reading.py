"""No key or internal value of the YAML reaches a reader of the diff report, the changelog or the 修订对照表: fields
read as their labels in their list's context, a value that names a field as that field's label, 是 / 否 for
booleans, a list by its title."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from govlist.cli import app
from govlist.diff import as_text

from conftest import REPO

#: a YAML key shown as if it were a label (`field：type`, `· aliases`), or a Python value (`True`, `None`)
LEAK = re.compile(r"(?<![A-Za-z_./#-])[a-z][a-z_]+：|· [a-z][a-z_]+|\b(?:True|False|None)\b")


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(data, path):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def sides(tmp_path):
    """chenghua's lists, the new side edited where keys and internal values used to leak: a breakdown (field: type,
    partition), units' aliases and parents, the entry rules' required fields, a list's parent mode."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(REPO / "catalogs" / "chenghua", old, ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(old, new)
    community = _load(new / "community.yaml")
    breakdown = community["declared"]["breakdowns"][0]
    breakdown["partition"] = not breakdown.get("partition", True)
    _dump(community, new / "community.yaml")
    registry = _load(new / "registry.yaml")
    units = [u for u in registry["units"] if u.get("aliases")]
    units[0]["aliases"] = units[0]["aliases"] + ["又一简称"]
    _dump(registry, new / "registry.yaml")
    rules = _load(new / "entry-rules.yaml")
    rules["required"]["assist"] = ["application", "approval"]
    rules["deadlines"]["apply_ahead_working_days"] = 20
    _dump(rules, new / "entry-rules.yaml")
    return tmp_path


def test_values_read_as_labels():
    breakdown = {"field": "type", "partition": True, "counts": {"依法履职事项": 10}}
    assert as_text(breakdown, "community", ("declared", "breakdowns")) == "分组字段：事项类型；是否可加总：是；数目：依法履职事项：10"
    assert as_text(["application", "funding"], "entry-rules", ("required", "assist")) == "准入申请、经费保障"
    assert as_text({"list": "hubei-certificates", "mode": "complete"}, "community", ("parent",)).startswith("上级清单：hubei-certificates；继承方式：与上级清单完全一致")
    assert as_text(False) == "否"


def test_no_key_reaches_the_reader(sides):
    runner = CliRunner()
    outputs = {}
    for name, args in {
        "diff.txt": ["diff", str(sides / "old"), str(sides / "new")],
        "diff.md": ["diff", str(sides / "old"), str(sides / "new"), "-f", "markdown"],
        "diff.html": ["diff", str(sides / "old"), str(sides / "new"), "-f", "html"],
        "changelog.md": ["changelog", str(sides / "old"), str(sides / "new")],
        "changelog.html": ["changelog", str(sides / "old"), str(sides / "new"), "-f", "html"],
    }.items():
        result = runner.invoke(app, [*args, "-o", str(sides / name)], env={"GOVLIST_LANG": "zh"}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs[name] = (sides / name).read_text(encoding="utf-8")
    result = runner.invoke(app, ["render", str(sides / "new"), "--out", str(sides / "site"), "--changes-since", str(sides / "old")], env={"GOVLIST_LANG": "zh"})
    assert result.exit_code == 0, result.output
    outputs["changes.html"] = (sides / "site" / "changes.html").read_text(encoding="utf-8")
    for name, text in outputs.items():
        seen = re.sub(r"<[^>]*>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S))
        assert not LEAK.findall(seen), (name, LEAK.findall(seen)[:5])
        assert not re.findall(r"\b(?:aliases|partition|assist|application|funding|apply_ahead_working_days)\b", seen), name
    text = outputs["diff.txt"]
    assert "按事项类型：依法履职事项" in text and "（其中数，不加总）" in text  # the breakdown in words, as on the 修订对照表
    assert "· 简称/别名" in text and "准入申请\n" not in text and "协助事项必填字段" in text
    assert "准入申请、审批、经费保障 → 准入申请、审批" in text
    assert "提前申请" in outputs["changes.html"] or "工作日" in outputs["changes.html"]
