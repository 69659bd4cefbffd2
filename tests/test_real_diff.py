"""`govlist diff` of two real published versions of one list, each imported as a clerk would (`govlist import`).

The national 不应由基层群众性自治组织出具证明事项清单（第一批） (民发〔2020〕20号, entries 1–14 in the stored copy) and
Hubei's republication (all 21 entries). Hubei's notice and the fixtures README give what changed: two certificates
renamed (户口登记项目内容变更申请证明 → …更正证明, 婚育状况证明 → 生育状况证明), 健在证明 left out, 缴费票据遗失证明 and
转学证明 added. Entries 15–20 of the national list are not in its stored copy, so they come out as added too.
"""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from conftest import REPO
from govlist.cli import app

REAL = REPO / "tests" / "fixtures" / "real"


def _import(runner: CliRunner, name: str, out: str) -> None:
    result = runner.invoke(app, ["import", str(REAL / name), "-o", out])
    assert result.exit_code in (0, 1), result.output  # 1: the imported list has findings (no item codes)
    assert os.path.isfile(out)


def test_national_list_against_hubei_republication(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    _import(runner, "mca-2020-no-certificates.csv", "old/list.yaml")
    _import(runner, "hubei-2020-no-certificates.csv", "new/list.yaml")

    result = runner.invoke(app, ["diff", "old/list.yaml", "new/list.yaml", "-f", "json", "--no-cache", "-j", "1"])
    data = json.loads(result.stdout)
    items = [c for c in data["changes"] if c["kind"] != "catalog"]
    renamed = {(c["old"]["name"], c["new"]["name"]): c["match"]["method"] for c in items if c["kind"] == "renamed"}
    assert renamed == {
        ("户口登记项目内容变更申请证明", "户口登记项目内容变更更正证明"): "similarity",
        ("婚育状况证明", "生育状况证明"): "similarity",
        # the national list's gloss （表现证明） is not in Hubei's
        ("社区戒毒社区康复人员情况证明(表现证明)", "社区戒毒社区康复人员情况证明"): "gloss",
    }
    assert [c["old"]["name"] for c in items if c["kind"] == "removed"] == ["健在证明"]
    added = [c["new"]["name"] for c in items if c["kind"] == "added"]
    assert {"缴费票据遗失证明", "转学证明"} <= set(added) and len(added) == 8  # and entries 15–20, cut from the old copy
    assert {c["kind"] for c in items} == {"renamed", "removed", "added"}  # nothing else is taken for a change

    # the old list declares 20 and lists 14 (its stored copy is cut): the arithmetic says so instead of passing
    [sums] = data["arithmetic"]
    assert (sums["old_declared"], sums["old_count"], sums["new_count"], sums["ok"]) == (20, 14, 21, False)

    text = runner.invoke(app, ["diff", "old/list.yaml", "new/list.yaml", "--no-cache", "-j", "1", "--lang", "en"]).stdout
    assert "added 8, removed 1, renamed 3" in text
