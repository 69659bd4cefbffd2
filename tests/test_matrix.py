"""govlist matrix: item × unit, distance from the template, count of units; text, json, xlsx and html output."""

from __future__ import annotations

import json

from conftest import REPO
from openpyxl import load_workbook
from typer.testing import CliRunner

from govlist.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["matrix", *args])


def test_district_streets_against_their_standard_list(golden, monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "--lang", "zh")
    assert result.exit_code == 0
    golden("matrix-qijiang.txt", result.stdout)
    data = json.loads(run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "-f", "json").stdout)
    golden("matrix-qijiang.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    assert data["template"] == "qijiang-street-standard"
    assert {u["name"]: u["distance"] for u in data["units"]} == {"古南街道": 4, "三江街道": 2, "通惠街道": 1, "文龙街道": 2, "新盛街道": 1}


def test_renamed_and_run_together_items_show_the_local_name(golden, monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("examples/levels", "--kind", "community", "--template", "hubei-certificates", "--lang", "en")
    assert result.exit_code == 0
    golden("matrix-certificates.en.txt", result.stdout)
    assert "HB-08 婚姻状况证明（U1：婚姻状况证明出生证明）" in result.stdout


def test_fail_on_a_distance_and_usage_errors(monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    assert run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "--fail-on", "4").exit_code == 0
    over = run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "--fail-on", "3")
    assert over.exit_code == 1 and "古南街道（4）" in over.stderr
    assert run("catalogs/qijiang", "--kind", "duty", "--fail-on", "70%").exit_code == 0
    bad = run("catalogs/qijiang", "--kind", "duty", "--template", "nope")
    assert bad.exit_code == 2 and "找不到模板清单“nope”" in bad.stderr
    assert run("catalogs/qijiang", "--kind", "grid").exit_code == 2
    assert run("catalogs/qijiang", "--kind", "duty", "--fail-on", "x").exit_code == 2


def test_xlsx_and_html(monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    xlsx = tmp_path / "m.xlsx"
    assert run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "-f", "xlsx", "-o", str(xlsx)).exit_code == 0
    sheet = load_workbook(xlsx)["对照表"]
    assert [c.value for c in sheet[1]][:5] == ["事项编码", "事项名称", "来源", "单位数", "古南街道"]
    assert sheet.max_row == 15
    html = tmp_path / "m.html"
    assert run("catalogs/qijiang", "--kind", "duty", "--level", "街道", "-f", "html", "-o", str(html)).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert page.count("<tr data-name=") == 14 and 'id="f-status"' in page


def test_a_site_reads_the_registries_once_for_all_its_matrices(tmp_path, monkeypatch):
    """A site of copies of catalogs/ (each copy its own registries and a matrix of its own): the registries' unit
    names are gathered once for the site, not once per matrix over every registry (that grew with the matrices
    times the registries), and each matrix is still what build_matrix makes of its lists and every registry."""
    from govlist import matrix
    from govlist.validate import validate_paths

    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import copies  # benchmarks/copies.py

    copies.prepare(tmp_path / "set", 2000, 0, False)
    catalogs = validate_paths([tmp_path / "set"], cache=False).catalogs
    gathered = []
    real = matrix.unit_names
    monkeypatch.setattr(matrix, "unit_names", lambda found: gathered.append(len(found)) or real(found))
    matrices = matrix.site_matrices(catalogs)
    assert len(matrices) == 3 and gathered == [sum(c.kind == "registry" for c in catalogs)]
    monkeypatch.undo()
    by_id = {c.id: c for c in catalogs}
    registries = [c for c in catalogs if c.kind == "registry"]
    for m in matrices:
        lists = [by_id[m.template], *(by_id[u.list_id] for u in m.units), *registries]
        assert m.as_json() == matrix.build_matrix(lists, m.kind, None, m.template).as_json()
