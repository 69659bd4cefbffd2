"""govlist import on hostile tables: refused with one clear message naming the file, sheet and cell, never exit 3.

The workbook is checked before openpyxl opens it (govlist.sheetguard); a project raises the limits in govlist.yaml.
"""

from __future__ import annotations

import zipfile

import pytest

from govlist.importer import import_table
from govlist.sheetguard import ImportLimits, check_xlsx
from govlist.result import UsageError

from xlsxcraft import ONE_SHEET, STRINGS, STYLES, TABLE, WORKBOOK, parts, sheet_xml, write_xlsx

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def refused(path, limits: ImportLimits | None = None) -> str:
    with pytest.raises(UsageError) as info:
        import_table(path, "duty", limits=limits)
    message = info.value.message
    assert message.zh and message.en and path.name in message.en and path.name in message.zh
    return message.en


def test_a_small_valid_workbook_imports(tmp_path):
    catalog, problems = import_table(write_xlsx(tmp_path / "ok.xlsx"), "duty")
    assert [i["name"] for i in catalog["items"]] == ["巡查", "登记"] and problems == []


# --- refused before openpyxl builds anything -----------------------------------------------------------------------


def test_merged_range_over_the_whole_sheet_refused(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", sheet=sheet_xml(TABLE, merged=["C3:XFD1048576"]))
    assert path.stat().st_size < 5000
    message = refused(path)
    assert "清单!C3:XFD1048576" in message and "cells in merged ranges" in message and "import: {limits: {merged_cells" in message


def test_merged_ranges_within_the_limit_import(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", sheet=sheet_xml([["事项名称", "编码"], ["巡查", "7"], ["登记", ""]], merged=["B2:B3"]))
    catalog, _ = import_table(path, "duty")
    assert catalog["items"] == [{"code": "7", "name": "巡查"}, {"code": "7", "name": "登记"}]


def test_a_gigantic_cell_is_refused_by_its_compression_ratio(tmp_path):
    """A 1 MB workbook holding a gigabyte cell, scaled down: 20 MB of one letter deflates ~1000:1."""
    path = write_xlsx(tmp_path / "big.xlsx", sheet=sheet_xml(TABLE + [["a" * 20_000_000, "3"]]))
    assert path.stat().st_size < 100_000
    message = refused(path)
    assert "xl/worksheets/sheet1.xml" in message and "compression ratio" in message


def test_a_gigantic_cell_is_refused_by_the_uncompressed_size(tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", sheet=sheet_xml(TABLE + [["a" * 3_000_000, "3"]]))
    assert "data size 3,00" in refused(path, ImportLimits(bytes=2_000_000, ratio=10**9))


def test_a_cell_longer_than_excel_allows_is_refused_at_its_cell(tmp_path):
    path = write_xlsx(tmp_path / "long.xlsx", sheet=sheet_xml(TABLE + [["巡" * 40_000, "3"]]))
    message = refused(path)
    assert "清单!A4" in message and "characters in a cell" in message and "32,767" in message


def test_a_long_shared_string_is_refused_at_the_cell_that_uses_it(tmp_path):
    strings = STRINGS.format(items="<si><t>事项名称</t></si><si><t>" + "长" * 40_000 + "</t></si>")
    sheet = sheet_xml([]).replace("<sheetData></sheetData>", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>1</v></c></row></sheetData>')
    message = refused(write_xlsx(tmp_path / "s.xlsx", strings=strings, sheet=sheet))
    assert "清单!B2" in message and "40,000" in message


def test_two_million_rows_refused(tmp_path):
    sheet = sheet_xml(TABLE).replace("</sheetData>", '<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    message = refused(write_xlsx(tmp_path / "rows.xlsx", sheet=sheet))
    assert "rows 2,000,000" in message and "100,000" in message


def test_a_far_column_refused(tmp_path):
    sheet = sheet_xml(TABLE).replace("</sheetData>", '<row r="4"><c r="XFD4" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    assert "清单!XFD4" in refused(write_xlsx(tmp_path / "cols.xlsx", sheet=sheet))


def test_a_number_of_5000_digits_in_a_cell_refused(tmp_path):
    sheet = sheet_xml(TABLE).replace("</sheetData>", '<row r="4"><c r="A4"><v>' + "9" * 5000 + "</v></c></row></sheetData>")
    assert "清单!A4" in refused(write_xlsx(tmp_path / "n.xlsx", sheet=sheet))


def test_a_dtd_is_refused(tmp_path):
    """Entity expansion (billion laughs) is refused before any XML library expands it."""
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + STRINGS.format(items="<si><t>&b;</t></si>").split("?>", 1)[1]
    assert "DTD" in refused(write_xlsx(tmp_path / "dtd.xlsx", strings=bomb))


# --- damaged workbooks -------------------------------------------------------------------------------------------


def test_malformed_xml_part_named_with_its_line(tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", sheet=sheet_xml(TABLE).replace("</sheetData>", "<row></sheetData>"))
    message = refused(path)
    assert "damaged" in message and "xl/worksheets/sheet1.xml" in message and "line 2" in message


def test_corrupt_deflate_data(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", sheet=sheet_xml(TABLE * 200))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + 60):
        raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))
    message = refused(path)
    assert "damaged" in message and "xl/worksheets/sheet1.xml" in message


def test_a_directory_placing_parts_before_the_file_start(tmp_path):
    """Found by the fuzzer: a flipped byte in the end record's directory offset moves every part before byte 0, and
    zipfile's seek failed with OSError (exit 3)."""
    path = write_xlsx(tmp_path / "ok.xlsx")
    raw = bytearray(path.read_bytes())
    end = raw.rindex(b"PK\x05\x06")
    raw[end + 16 : end + 20] = (int.from_bytes(raw[end + 16 : end + 20], "little") + len(raw)).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    message = refused(path)
    assert "damaged" in message and "placed outside the file" in message


def test_damaged_styles(tmp_path):
    styles = STYLES.replace('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', '<xf numFmtId="zz" fontId="9" fillId="x" borderId="0" xfId="0"/>')
    assert "not a valid .xlsx" in refused(write_xlsx(tmp_path / "st.xlsx", styles=styles))


def test_empty_workbook(tmp_path):
    assert "no worksheet" in refused(write_xlsx(tmp_path / "empty.xlsx", workbook=WORKBOOK.format(sheets="")))


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert "not a valid .xlsx" in refused(path)


def test_the_guard_passes_every_part_of_a_valid_workbook(tmp_path):
    check_xlsx(write_xlsx(tmp_path / "ok.xlsx"), ImportLimits())
    assert set(parts()) >= {"xl/workbook.xml", "xl/worksheets/sheet1.xml"}
    assert ONE_SHEET in WORKBOOK.format(sheets=ONE_SHEET)


# --- CSV ------------------------------------------------------------------------------------------------------------


def write(tmp_path, name: str, data: str | bytes):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_odd_length_utf16(tmp_path):
    path = write(tmp_path, "odd.csv", "\ufeff事项名称,编码\n巡查,1\n".encode("utf-16-le") + b"\x00")
    assert "UTF-16" in refused(path)


@pytest.mark.parametrize("body, needle", [("事项名称,编码\na\rb,c\n", "line 2"), ("事项名称,编码\n" + "x" * 140_000 + ",1\n", "line 2")])
def test_csv_error_names_the_line(tmp_path, body, needle):
    assert needle in refused(write(tmp_path, "bad.csv", body))


def test_metadata_row_of_the_wrong_type_is_a_warning(tmp_path):
    catalog, problems = import_table(write(tmp_path, "m.csv", "# categories: 5\n事项名称,编码\n巡查,1\n"), "duty")
    assert catalog["items"] == [{"code": "1", "name": "巡查"}]
    assert [(p.severity, p.ref) for p in problems] == [("warning", "m.csv")]


@pytest.mark.parametrize(
    "body, cell",
    [
        ("共" + "9" * 5000 + "项\n事项名称,编码\n巡查,1\n", "t.csv!A1"),  # a title
        ("事项名称,编码,序号\n一、" + "9" * 5000 + "类\n巡查,1,1\n", "t.csv!A2"),  # a heading
        ("事项名称,编码,序号\n巡查,1," + "9" * 5000 + "\n", "t.csv!C2"),  # 序号
    ],
)
def test_numbers_over_4000_digits_name_their_cell(tmp_path, body, cell):
    message = refused(write(tmp_path, "t.csv", body))
    assert message.startswith(cell + ":") and "4000 digits" in message


def test_csv_row_limit_from_the_project_file(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from govlist.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVLIST_LANG", "en")
    write(tmp_path, "t.csv", "事项名称,编码\n" + "".join(f"事项{i},{i}\n" for i in range(30)))
    write(tmp_path, "govlist.yaml", "govlist: 1\nkind: project\nname: t\nimport:\n  limits:\n    rows: 10\n")
    result = CliRunner().invoke(app, ["import", "t.csv", "--kind", "duty", "-o", "t.yaml"])
    assert result.exit_code == 2 and "rows 31, over the limit of 10" in result.output and not (tmp_path / "t.yaml").exists()
    write(tmp_path, "govlist.yaml", "govlist: 1\nkind: project\nname: t\nimport:\n  limits:\n    rows: 1000\n")
    result = CliRunner().invoke(app, ["import", "t.csv", "--kind", "duty", "-o", "t.yaml"])
    assert result.exit_code == 0, result.output
