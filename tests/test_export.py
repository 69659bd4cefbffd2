"""govlist export: the published layout, and export → import giving back the same catalog for every example."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from govlist.cli import app
from govlist.exporter import export_catalog
from govlist.importer import dump_yaml, import_table
from govlist.loader import load_bytes, load_file

from conftest import CATALOGS

EXAMPLES = sorted(p for p in CATALOGS.rglob("*.yaml") if p.name != "govlist.yaml")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_round_trip(path, fmt, tmp_path):
    original = load_file(path).data
    table = tmp_path / f"{path.stem}.{fmt}"
    table.write_bytes(export_catalog(original, fmt))
    catalog, problems = import_table(table, original["kind"])
    assert problems == []
    assert catalog == original
    assert load_bytes(dump_yaml(catalog, "x.json").encode("utf-8"), "x").data == original


def test_every_kind_is_covered():
    kinds = {load_file(p).data["kind"] for p in EXAMPLES}
    assert kinds == {"duty", "power", "territorial", "devolution", "community", "entry-rules", "grid", "assessment", "registry"}


def test_xlsx_published_layout(tmp_path):
    data = load_file(CATALOGS / "gumei" / "juminqu-duty.yaml").data
    (tmp_path / "d.xlsx").write_bytes(export_catalog(data, "xlsx"))
    book = load_workbook(tmp_path / "d.xlsx")
    assert book.sheetnames == ["清单", "清单信息"]
    ws = book["清单"]
    assert ws["A1"].value == data["title"]
    assert ws["A2"].value == "共13类89项"
    assert [c.value for c in ws[3]][:4] == ["类别", "序号", "事项编码", "事项名称"]
    assert ws.freeze_panes == "A4"
    merged = {str(r) for r in ws.merged_cells.ranges}
    first = len(data["categories"][0]["items"])
    assert f"A4:A{3 + first}" in merged  # the first category in a merged first column
    assert any(r.startswith("A1:") for r in merged)
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$3:$3"
    assert ws["E3"].value == "事项内容" and ws["E4"].alignment.wrap_text
    assert ws.column_dimensions["E"].width >= 30
    info = {row[0]: row[2] for row in book["清单信息"].iter_rows(min_row=2, values_only=True)}
    assert info["id"] == "gumei-juminqu-duty" and info["effective"] == "2014-11-28"


def test_power_subitems_on_rows_of_their_own(tmp_path):
    data = load_file(CATALOGS / "xx-district" / "power.yaml").data
    (tmp_path / "p.xlsx").write_bytes(export_catalog(data, "xlsx"))
    ws = load_workbook(tmp_path / "p.xlsx")["清单"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["类别", "序号", "权力类型", "项目编码", "项目名称", "子项"]
    assert any(row[5] for row in ws.iter_rows(min_row=4, values_only=True))


def test_csv_has_bom_and_metadata_rows():
    data = load_file(CATALOGS / "xx-district" / "territorial.yaml").data
    raw = export_catalog(data, "csv")
    assert raw.startswith(b"\xef\xbb\xbf# govlist: 1\r\n# kind: territorial\r\n")
    assert "主体责任" in raw.decode("utf-8-sig")


def test_cli_export_then_import(tmp_path, monkeypatch):
    for var in ("GOVLIST_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    source = CATALOGS / "chenghua" / "devolution-street.yaml"
    result = runner.invoke(app, ["export", str(source), "--format", "csv", "-o", "d.csv"])
    assert result.exit_code == 0 and "已导出到 d.csv" in result.stdout
    assert runner.invoke(app, ["export", str(source), "-o", "d.csv"]).exit_code == 2  # exists, no --force
    result = runner.invoke(app, ["export", str(source), "-o", "d.xlsx", "--lang", "en"])
    assert result.exit_code == 0 and "exported to d.xlsx" in result.stdout
    result = runner.invoke(app, ["import", "d.xlsx", "-o", "d.yaml"])  # the kind is recorded in the workbook
    assert result.exit_code == 0, result.stdout
    assert load_file(tmp_path / "d.yaml").data == load_file(source).data


def test_cli_export_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["export", "missing.yaml", "--lang", "en"]).exit_code == 2
    (tmp_path / "bad.yaml").write_text("kind: [\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "bad.yaml", "--lang", "en"])
    assert result.exit_code == 2 and "bad.yaml:" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "proj.yaml").write_text("govlist: 1\nkind: project\n", encoding="utf-8")
    assert runner.invoke(app, ["export", "proj.yaml"]).exit_code == 2
