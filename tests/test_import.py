"""govlist import: published spreadsheet shapes, encodings, cell references in problems, --map, --sheet, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from govlist.cli import app
from govlist.importer import dump_yaml, import_table
from govlist.loader import load_file
from govlist.model import Severity
from govlist.result import UsageError
from govlist.validate import validate_paths

from conftest import REPO

LOCALE_VARS = ("GOVLIST_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture
def cli(monkeypatch, tmp_path):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"govlist {' '.join(map(str, args))} raised {result.exception!r}") from result.exception
        assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
        return result

    return run


def merged_duty_workbook(path: Path) -> Path:
    """Title rows (full-width totals), a merged category column, a multi-line cell, a row without a name, a note row."""
    book = Workbook()
    ws = book.active
    ws.title = "清单"
    ws["A1"] = "古美路街道居民区职责任务表"
    ws.merge_cells("A1:F1")
    ws["A2"] = "（共２类４项）"
    ws.merge_cells("A2:F2")
    ws.append(["序号", "类别", "事项名称", "工作内容", "责任单位", "配合部门"])
    ws.append(["１", "四违", "新增违法搭建巡查", "巡查\n发现", "市政科", "城管中队\n房管办"])
    ws.append([2, None, "破墙开门劝阻", "劝阻", "房管办", None])
    ws.append([3, None, None, "没有名称的一行", "市政科", None])
    ws.append([4, "群租", "群租线索报告", "报告", "综治办", "派出所、房管办"])
    ws.append([5, None, "群租劝阻", "劝阻", "综治办", None])
    ws.merge_cells("B4:B6")
    ws.merge_cells("B7:B8")
    ws.append([])
    ws["A10"] = "注：本表事项为示例。"
    ws.merge_cells("A10:F10")
    book.save(path)
    return path


def test_note_rows_below_the_table_are_kept_in_the_lists_note(tmp_path):
    """A note row (注：…, 合计…) is not an item: it is kept whole in the list's `note`, never cut to a message."""
    path = merged_duty_workbook(tmp_path / "duty.xlsx")
    long_note = "说明：本表依据《上海市街道办事处条例》和区委编办有关文件编制，事项随法律法规调整而动态调整，具体以最新公布为准。"
    book = load_workbook(path)
    book.active["A11"] = long_note
    book.active["A12"] = "合计：4项"
    book.save(path)
    catalog, problems = import_table(path, "duty")
    assert catalog["note"] == "注：本表事项为示例。\n" + long_note + "\n合计：4项"
    kept = [p for p in problems if p.ref in ("清单!A10", "清单!A11", "清单!A12")]
    assert [p.severity for p in kept] == ["info"] * 3 and all("保存为 note" in p.message.zh and "kept as note" in p.message.en for p in kept)
    # a note set by hand wins; the rows are then said whole in the report, not kept
    catalog, problems = import_table(path, "duty", settings={"note": "区编办核定"})
    assert catalog["note"] == "区编办核定"
    skipped = next(p for p in problems if p.ref == "清单!A11")
    assert long_note in skipped.message.zh and long_note in skipped.message.en


def findings(problems):
    """The problems found, without the lines that say how the table was understood."""
    return [p for p in problems if p.topic != "mapping"]


def test_merged_category_title_totals_and_cell_references(tmp_path):
    catalog, problems = import_table(merged_duty_workbook(tmp_path / "duty.xlsx"), "duty")
    assert catalog["title"] == "古美路街道居民区职责任务表"
    assert catalog["declared"] == {"categories": 2, "items": 4}
    assert [c["name"] for c in catalog["categories"]] == ["四违", "群租"]
    first, second = catalog["categories"][0]["items"]
    assert first == {"seq": 1, "name": "新增违法搭建巡查", "content": "巡查\n发现", "responsible": "市政科", "support": ["城管中队", "房管办"]}
    assert second["seq"] == 2 and second["name"] == "破墙开门劝阻"
    assert catalog["categories"][1]["items"][0]["support"] == ["派出所", "房管办"]
    problems = findings(problems)
    assert [(p.severity, p.ref) for p in problems] == [("error", "清单!C6"), ("info", "清单!A10")]
    assert "缺少事项名称" in problems[0].message.zh and "missing item name" in problems[0].message.en


def test_heading_rows_give_categories_and_their_declared_counts(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(["XX街道职责任务清单（共2类3项）"])
    ws.append(["序号", "项目名称", "职责内容"])
    ws.append(["一、四违（2项）"])
    ws.merge_cells("A3:C3")
    ws.append([1, "违法建筑查处", "查处"])
    ws.append([2, "违法用地制止", "制止"])
    ws.append(["二、群租（１项）"])
    ws.append([3, "群租整治", "整治"])
    ws.append(["备注：以上为示例"])
    book.save(tmp_path / "h.xlsx")
    catalog, problems = import_table(tmp_path / "h.xlsx", "duty")
    assert catalog["title"] == "XX街道职责任务清单（共2类3项）"
    assert catalog["declared"] == {"categories": 2, "items": 3}
    assert [(c["name"], c.get("declared"), len(c["items"])) for c in catalog["categories"]] == [("四违", 2, 2), ("群租", 1, 1)]
    problems = findings(problems)
    assert [p.severity for p in problems] == ["info"] and problems[0].ref == "Sheet!A8"


HEADINGS_OVER_CATEGORIES = [
    ["某街道履职事项清单"],
    ["序号", "类别", "事项名称", "责任主体"],
    ["一、基本履职事项（共2项）"],
    [1, "党的建设", "加强党的建设", "街道"],
    [2, "经济发展", "优化营商环境", "街道"],
    ["二、配合履职事项（共1项）"],
    [3, "平安法治", "配合开展禁毒工作", "街道"],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_heading_rows_over_a_category_column_are_kept_in_the_note(fmt, tmp_path):
    """A heading row (一、基本履职事项（共2项）) over rows whose 类别 column names their own categories groups those
    categories: it is not a category of its own (it would have no item), and its text is kept whole in the list's
    note, with the note rows, in table order. A heading that names the category of the rows below stays that
    category."""
    import csv

    path = tmp_path / f"h.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(row + [""] * (4 - len(row)) for row in HEADINGS_OVER_CATEGORIES)
    else:
        book = Workbook()
        for row in HEADINGS_OVER_CATEGORIES:
            book.active.append(row)
        for r in (1, 3, 6):
            book.active.merge_cells(f"A{r}:D{r}")
        book.save(path)
    catalog, problems = import_table(path, None)
    assert [c["name"] for c in catalog["categories"]] == ["党的建设", "经济发展", "平安法治"]
    assert catalog["note"] == "一、基本履职事项（共2项）\n二、配合履职事项（共1项）"
    sheet = "h.csv" if fmt == "csv" else "Sheet"
    assert [(p.severity, p.ref, p.message.zh) for p in findings(problems)] == [
        ("info", f"{sheet}!A3", "分组标题行保存为 note：一、基本履职事项（共2项）"),
        ("info", f"{sheet}!A6", "分组标题行保存为 note：二、配合履职事项（共1项）"),
    ]
    assert findings(problems)[0].message.en == "heading row kept as note: 一、基本履职事项（共2项）"
    # the same heading over rows whose 类别 is that category: the category, with its declared count, not a note
    rows = [row if row[:1] != [2] else [2, "党的建设", "优化营商环境", "街道"] for row in HEADINGS_OVER_CATEGORIES]
    rows = [["一、党的建设（共2项）"] if row == ["一、基本履职事项（共2项）"] else row for row in rows]
    with (tmp_path / "same.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    catalog, problems = import_table(tmp_path / "same.csv", None)
    assert [(c["name"], c.get("declared"), len(c["items"])) for c in catalog["categories"]] == [("党的建设", 2, 2), ("平安法治", None, 1)]
    assert catalog["note"] == "二、配合履职事项（共1项）"


def test_a_heading_right_above_another_in_a_numbered_list_is_kept_in_the_note(tmp_path):
    """A numbered list without a header: 二、协助事项 right above （一）综合类 groups the groups below it; kept in the note."""
    path = tmp_path / "n.csv"
    path.write_text("某村履职事项清单,\n一、主责事项,\n1,宣传政策\n2,调解纠纷\n二、协助事项,\n（一）综合类,\n3,协助统计\n", encoding="utf-8")
    catalog, problems = import_table(path, "community")
    assert [c["name"] for c in catalog["categories"]] == ["主责事项", "综合类"] and catalog["note"] == "二、协助事项"
    assert [(p.ref, p.message.zh) for p in findings(problems)] == [("n.csv!A5", "分组标题行保存为 note：二、协助事项")]


@pytest.mark.parametrize(
    "title, certificate",
    [
        ("不应由基层群众性自治组织出具证明事项清单（第一批）", "不应出具证明"),
        ("村（社区）不能出具的证明事项清单", "不应出具证明"),  # 不能: a negation word the rules read too
        ("社区无须开具的证明事项", "不应出具证明"),
        ("社区证明事项负面清单", "不应出具证明"),
        ("张家口市社区居委会日常出具证明事项清单", "可出具证明"),
        ("社区可出具证明事项清单，不再保留的证明另行公布", "可出具证明"),  # 不再 in another clause: not of 出具
        ("社区工作事项清单", None),
    ],
)
def test_certificate_lists_are_typed_by_their_titles_as_negation_reads_them(title, certificate, tmp_path):
    """A list of certificates that may not be issued, or of those that may: the title read as negation.py reads a
    text (the one home of negated wording), so a negation counts only in the clause of 出具."""
    path = tmp_path / "c.csv"
    path.write_text(f'"{title}"\n居住证明\n亲属关系证明\n', encoding="utf-8")
    catalog, problems = import_table(path, "community")
    assert [i.get("type") for i in catalog["items"]] == [certificate] * 2


def test_gb18030_csv_with_synonyms_and_dates(tmp_path):
    text = (
        "成华区下放街道工作事项目录\r\n"
        "9大类77项\r\n"
        "序号,事项名称,实施部门,承接单位,方式,委托机关,实施依据,实施日期\r\n"
        "1,低保申请受理,区民政局,街道,委托,区民政局,\"《城市居民最低生活保障条例》第七条\n《社会救助暂行办法》第十一条\",2012/6/1\r\n"
        "２,临时救助受理,区民政局,街道,委托,区民政局,《社会救助暂行办法》第四十八条,2012年6月3日\r\n"
    )
    path = tmp_path / "目录.csv"
    path.write_bytes(text.encode("gb18030"))
    catalog, problems = import_table(path, "devolution")
    assert findings(problems) == []
    assert catalog["declared"] == {"categories": 9, "items": 77}
    assert catalog["title"] == "成华区下放街道工作事项目录"
    first, second = catalog["items"]
    assert first == {
        "seq": 1,
        "name": "低保申请受理",
        "basis": ["《城市居民最低生活保障条例》第七条", "《社会救助暂行办法》第十一条"],
        "source": "区民政局",
        "receiver": "街道",
        "method": "委托",
        "entrustor": "区民政局",
        "effective": "2012-06-01",
    }
    assert second["seq"] == 2 and second["effective"] == "2012-06-03"
    # the same table as UTF-8 with a BOM
    path.write_bytes(text.encode("utf-8-sig"))
    assert import_table(path, "devolution")[0] == catalog


def test_unreadable_cells_and_unknown_columns_are_reported_with_references(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("事项名称,主体责任部门,配合部门,网格可承担,奇怪的列\n占道经营治理,区城管局：负责查处,街道：巡查劝导,也许,x\n", encoding="utf-8")
    catalog, problems = import_table(path, "territorial")
    item = catalog["items"][0]
    assert item["lead"] == {"unit": "区城管局", "duties": "负责查处"}
    assert item["support"] == [{"unit": "街道", "duties": "巡查劝导"}]
    assert "grid" not in item
    assert item["extra"] == {"奇怪的列": "x"}  # an unknown column is kept under its header, not dropped
    assert [(p.severity, p.ref) for p in problems] == [("error", "t.csv!D2")]
    understood = []
    import_table(path, "territorial", report=understood)
    assert any(p.ref == "t.csv!E1" and "extra" in p.message.zh for p in understood)


def test_map_and_sheet(tmp_path):
    book = Workbook()
    book.active.title = "说明"
    book.active["A1"] = "填表说明：……"
    ws = book.create_sheet("职责")
    ws.append(["工作名称", "负责科室", "时限要求"])
    ws.append(["巡查", "市政科", "1小时"])
    book.save(tmp_path / "m.xlsx")
    with pytest.raises(UsageError):
        import_table(tmp_path / "m.xlsx", "duty", sheet="职责")
    catalog, problems = import_table(tmp_path / "m.xlsx", "duty", sheet="职责", mapping_pairs=["工作名称=name", "负责科室=responsible", "时限要求=handling.time_limit"])
    assert catalog["items"] == [{"name": "巡查", "responsible": "市政科", "handling": {"time_limit": "1小时"}}]
    assert problems == []
    with pytest.raises(UsageError) as exc:
        import_table(tmp_path / "m.xlsx", "duty", sheet="没有")
    assert "说明" in exc.value.message.zh
    with pytest.raises(UsageError):
        import_table(tmp_path / "m.xlsx", "duty", sheet="职责", mapping_pairs=["工作名称=nonsense"])


def test_a_misspelt_kind_or_field_is_suggested(cli, tmp_path):
    """`--kind dutty` and `--map 工作名称=nmae` name what was probably meant; the field list has one separator."""
    (tmp_path / "x.csv").write_text("工作名称,负责科室\n巡查,市政科\n", encoding="utf-8")
    kind = cli("import", "x.csv", "--kind", "dutty", "-o", "x.yaml")
    assert kind.exit_code == 2 and "未知的清单类型“dutty”（是否想写“duty”？）" in kind.stderr
    assert "unknown kind 'dutty' (did you mean 'duty'?)" in cli("import", "x.csv", "--kind", "dutty", "-o", "x.yaml", "--lang", "en").stderr
    field = cli("import", "x.csv", "--kind", "duty", "--map", "工作名称=nmae", "-o", "x.yaml")
    assert field.exit_code == 2 and "没有字段“nmae”（是否想写“name”？）" in field.stderr
    listed = field.stderr.split("可用：")[1]
    assert "name、" in listed and ", " not in listed and "," not in listed.replace("\n", "")
    field_en = cli("import", "x.csv", "--kind", "duty", "--map", "工作名称=nmae", "-o", "x.yaml", "--lang", "en")
    assert "no field 'nmae' (did you mean 'name'?)" in field_en.stderr and "、" not in field_en.stderr


def test_power_subitem_rows(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "序号,权力类型,项目编码,项目名称,子项,实施依据,责任事项,追责情形\n"
        "1,行政处罚,P-1,对违法行为的处罚,,《某法》第一条,\"1. 立案：依法立案\n2. 调查取证：调查\",因不履行或不正确履行行政职责，有下列情形的……\n"
        "1,行政处罚,P-1-1,对违法行为的处罚,甲情形,《某法》第二条,,\n",
        encoding="utf-8",
    )
    catalog, problems = import_table(path, "power")
    assert problems == []
    (item,) = catalog["items"]
    assert item["responsibilities"] == [{"stage": "立案", "content": "依法立案"}, {"stage": "调查取证", "content": "调查"}]
    assert item["subitems"] == [{"code": "P-1-1", "name": "甲情形", "basis": "《某法》第二条"}]


# --- the command --------------------------------------------------------------------------------------------------


def test_cli_import_writes_yaml_for_people_and_validates(cli, tmp_path):
    merged_duty_workbook(tmp_path / "duty.xlsx")
    result = cli("import", "duty.xlsx", "--kind", "duty", "-o", "out/duty.yaml")
    assert result.exit_code == 1  # a row could not be read
    assert "清单!C6: 缺少事项名称" in result.stdout
    assert "清单!A10: 提示：" in result.stdout
    assert "已导入 2 类 4 项" in result.stdout and "共检查 1 个文件" in result.stdout
    text = (tmp_path / "out" / "duty.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "duty.schema.json" in text.splitlines()[0]
    assert "name: 新增违法搭建巡查" in text and "\\u" not in text
    assert "  - name: 四违\n" in text  # block style, lists indented under their key
    data = load_file(tmp_path / "out" / "duty.yaml").data
    assert data["id"] == "duty" and data["kind"] == "duty"
    # the file exists: refused without --force (usage error), replaced with it
    again = cli("import", "duty.xlsx", "--kind", "duty", "-o", "out/duty.yaml", "--lang", "en")
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = cli("import", "duty.xlsx", "--kind", "duty", "-o", "out/duty.yaml", "--force", "--lang", "en")
    assert forced.exit_code == 1 and "清单!C6: missing item name" in forced.stdout


def test_cli_import_clean_table_exits_0(cli, tmp_path):
    (tmp_path / "a.csv").write_text("序号,事项名称,事项内容\n1,巡查,每日巡查\n", encoding="utf-8")
    result = cli("import", "a.csv", "--kind", "duty", "-o", "a.yaml", "--id", "my-list")
    assert result.exit_code == 0, result.stdout
    assert load_file(tmp_path / "a.yaml").data["id"] == "my-list"


@pytest.mark.parametrize("lang,needle", [("zh", "文件不存在"), ("en", "no such file")])
def test_cli_missing_file(cli, lang, needle):
    result = cli("import", "nothing.xlsx", "--kind", "duty", "-o", "x.yaml", "--lang", lang)
    assert result.exit_code == 2 and needle in result.stderr


def test_cli_not_an_xlsx(cli, tmp_path):
    (tmp_path / "fake.xlsx").write_text("这不是表格", encoding="utf-8")
    zh = cli("import", "fake.xlsx", "--kind", "duty", "-o", "x.yaml")
    en = cli("import", "fake.xlsx", "--kind", "duty", "-o", "x.yaml", "--lang", "en")
    assert zh.exit_code == 2 and "不是有效的 .xlsx" in zh.stderr
    assert en.exit_code == 2 and "not a valid .xlsx" in en.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_cli_empty_sheet_and_no_header(cli, tmp_path):
    Workbook().save(tmp_path / "empty.xlsx")
    result = cli("import", "empty.xlsx", "--kind", "duty", "-o", "x.yaml")
    assert result.exit_code == 2 and "是空的" in result.stderr
    (tmp_path / "nohead.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = cli("import", "nohead.csv", "--kind", "duty", "-o", "x.yaml", "--lang", "en")
    assert result.exit_code == 2 and "row 1 of sheet 'nohead.csv' looks like the header (甲, 乙)" in result.stderr


def test_no_header_says_what_was_found_and_what_would_work(cli, tmp_path):
    """--map names the field of a header that is there: it is offered, with the columns of the row that looks like
    the header, only when there is such a row; a table whose data starts at once (its header cut off) or one column
    of text that is no list is told what to add instead."""
    real = (REPO / "tests" / "fixtures" / "real" / "ewenke-devolution.csv").read_text(encoding="utf-8")
    (tmp_path / "cut.csv").write_text("鄂温克族自治旗赋权事项清单,,,,\n" + real.split("\n", 1)[1], encoding="utf-8")  # header row cut off
    (tmp_path / "odd.csv").write_text(real.replace("权力事项名称", "赋权 事由").replace("设定依据", "条款"), encoding="utf-8")
    (tmp_path / "named.csv").write_text("事项名称,备忘\n办证,x\n", encoding="utf-8")
    (tmp_path / "title.csv").write_text("某某清单\n", encoding="utf-8")
    result = cli("import", "cut.csv", "--kind", "devolution", "-o", "x.yaml")
    assert result.exit_code == 2 and "前 30 行中没有表头行：第 2 行起就是数据（50、对进行开垦、采石、采砂、…、行政处罚、《中华人民共和国森林法》…、旗县级）" in result.stderr
    assert "--map 只能为已有的表头指定字段，在此帮不上忙；请在数据上方加一行表头（如 序号、事项名称" in result.stderr
    result = cli("import", "cut.csv", "--kind", "devolution", "-o", "x.yaml", "--lang", "en")
    assert "the data starts at row 2 (50, " in result.stderr and "--map names the field of a header that is there, so it cannot help here" in result.stderr
    result = cli("import", "odd.csv", "--kind", "devolution", "-o", "x.yaml")
    assert result.exit_code == 2 and "第 1 行像是表头（序号、赋权 事由、权利类型、条款、赋权的原实施层级），但没有可识别的事项名称列" in result.stderr
    assert result.stderr.rstrip().endswith("用 --map 指明各列，如 --map 赋权事由=name")
    assert cli("import", "odd.csv", "--kind", "devolution", "-o", "x.yaml", "--map", "赋权事由=name").exit_code == 0  # read as the hint says
    assert len(load_file(tmp_path / "x.yaml").data["items"]) == 7
    result = cli("import", "named.csv", "--kind", "duty", "-o", "y.yaml", "--lang", "en")
    assert result.exit_code == 2 and "but only '事项名称' is known (the item name) and a header needs one more known column; name one with --map, e.g. --map 备忘=content" in result.stderr
    result = cli("import", "title.csv", "--kind", "duty", "-o", "y.yaml")
    assert result.exit_code == 2 and "只有第 A 列有文字，读不出无表头的列表" in result.stderr and "--map" not in result.stderr


def test_cli_unknown_kind_and_old_xls(cli, tmp_path):
    (tmp_path / "a.csv").write_text("事项名称\n巡查\n", encoding="utf-8")
    assert cli("import", "a.csv", "--kind", "dutty", "-o", "x.yaml").exit_code == 2
    assert cli("import", "a.csv", "-o", "x.yaml").exit_code == 2  # no --kind and nothing recorded
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", "old.xls", "--kind", "duty", "-o", "x.yaml")
    assert result.exit_code == 2 and "另存为" in result.stderr


def test_schema_line_is_relative_inside_a_catalog_repository_and_an_id_elsewhere(tmp_path):
    from govlist.importer import schema_ref_for

    assert schema_ref_for("duty", REPO / "catalogs" / "new.yaml") == "../schemas/duty.schema.json"
    outside = tmp_path / "x" / "new.yaml"
    ref = schema_ref_for("duty", outside)
    # outside a catalog repository: the schema inside the installed package, a file that exists
    target = Path(ref[len("file://") :]) if ref.startswith("file:") else outside.parent / ref
    assert target.resolve().is_file() and target.name == "duty.schema.json"


# --- headers and cells as published tables write them (constructed tables; the real ones are in test_real_tables) ---


@pytest.mark.parametrize(
    "kind, header, field",
    [
        ("devolution", "赋权事项", "name"),
        ("power", "权力事项名称", "name"),
        ("community", "证明事项", "name"),
        ("duty", "小类名称", "name"),
        ("duty", "行政区划名称", "name"),
        ("duty", "工作职责", "name"),
        ("power", "权利类型", "type"),
        ("power", "权力依据", "basis"),
        ("power", "职权依据", "basis"),
        ("power", "承办机构", "department"),
        ("duty", "牵头科室", "responsible"),
        ("duty", "协同", "support"),
        ("power", "項目名稱", "name"),
        ("power", "實施依據", "basis"),
        ("duty", "公開內(nèi)容(要素)", "content"),
        ("duty", "处置时限（工作日）", "handling.time_limit"),
        ("duty", "事项\n名称", "name"),
    ],
)
def test_headers_real_tables_use(kind, header, field):
    from govlist.headers import match

    found = match(header, kind)
    assert found is not None and found.field == field


@pytest.mark.parametrize(
    "rows, fields",
    [
        # the national power-list layout: 职权名称 over 项目 | 子项
        ([["序号", "职权名称", "", "实施依据"], ["", "项目", "子项", ""]], {0: "seq", 1: "name", 2: "subitem", 3: "basis"}),
        # 责任划分 over 主体责任 | 配合责任
        ([["序号", "事项名称", "责任划分", ""], ["", "", "主体责任", "配合责任"]], {0: "seq", 1: "name", 2: "lead", 3: "support"}),
        # 职责边界划分 over 县级部门 | 乡镇(街道)
        ([["序号", "事项名称", "职责边界划分", ""], ["", "", "县级部门", "乡镇(街道)"]], {0: "seq", 1: "name", 2: "lead", 3: "support"}),
    ],
)
def test_two_row_headers_give_each_sub_column_its_field(rows, fields):
    from govlist.headers import find_header

    kind = "power" if rows[1][1] == "项目" else "territorial"
    header = find_header(rows + [["1", "甲", "乙", "丙"]], kind, set())
    assert header is not None and (header.first, header.last) == (0, 1) and header.fields == fields


def test_two_row_header_in_csv_imports_both_responsibilities(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "XX区属地管理事项主体责任和配合责任清单（2项）\n序号,事项名称,责任划分,\n,,主体责任,配合责任\n1,占道经营治理,区城管局：负责查处,街道：巡查劝导\n2,违法建设治理,区住建局、区城管局、区规划分局、区自然资源局,街道：发现报告\n", encoding="utf-8"
    )
    catalog, problems = import_table(path, None)
    assert catalog["kind"] == "territorial" and catalog["declared"] == {"items": 2} and problems == []
    first, second = catalog["items"]
    assert first["lead"] == {"unit": "区城管局", "duties": "负责查处"} and first["support"] == [{"unit": "街道", "duties": "巡查劝导"}]
    assert [u["unit"] for u in second["lead"]] == ["区住建局", "区城管局", "区规划分局", "区自然资源局"]  # four leads, not one


@pytest.mark.parametrize(
    "title, declared",
    [
        ("XX街道职责任务清单(18项)", {"items": 18}),
        ("權責清單18項", {"items": 18}),
        ("赋权事项目录 36条", {"items": 36}),
        ("共9大类77项", {"categories": 9, "items": 77}),
        ("193项7个类别", {"categories": 7, "items": 193}),
        ("以下20種證明材料", {"items": 20}),
        ("2019年权力清单", {}),
        ("一项工作", {}),
    ],
)
def test_totals_in_the_forms_real_titles_use(title, declared):
    from govlist.tables import parse_totals

    assert parse_totals(title) == declared


def test_cells_split_by_meaning():
    from govlist.cells import from_cell

    assert from_cell("resp", "1.受理责任:受理申请。2.审查责任:审查材料。3.决定责任:作出决定") == [{"stage": "受理责任", "content": "受理申请。"}, {"stage": "审查责任", "content": "审查材料。"}, {"stage": "决定责任", "content": "作出决定"}]
    assert [s["stage"] for s in from_cell("resp", "（一）受理\n（二）审查\n③ 送达")] == ["受理", "审查", "送达"]
    assert from_cell("basis", "《城乡规划法》第六十四条、《土地管理法》第七十七条") == ["《城乡规划法》第六十四条", "《土地管理法》第七十七条"]
    assert from_cell("basis", "《中华人民共和国\n城乡规划法》第六十四条") == "《中华人民共和国城乡规划法》第六十四条"
    assert from_cell("unit", "乡镇\n人民\n政府") == "乡镇人民政府"
    assert from_cell("units", "区城管局、区住建局；街道") == ["区城管局", "区住建局", "街道"]


def test_label_rows_and_traditional_titles(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("附件1\n某街道權責清單（共1項）\n序號,權力類型,項目名稱,實施依據\n1,行政確認,獨生子女父母光榮證核發,《某條例》第三十九條\n", encoding="utf-8")
    understood: list = []
    catalog, problems = import_table(path, None, report=understood)
    assert catalog["kind"] == "power" and catalog["title"] == "某街道權責清單（共1項）" and catalog["declared"] == {"items": 1}
    assert catalog["items"][0]["type"] == "行政確認"  # content is kept as printed, only headers and titles are normalised
    assert [p.severity for p in problems] == ["info"] and "附件1" in problems[0].message.zh
    assert any("按标题判断为权责清单" in p.message.zh for p in understood)


def test_an_ambiguous_header_is_settled_by_its_cells(tmp_path):
    """责任主体 in a devolution table: the receiving level when its cells name townships or streets, the source
    department when they name departments."""
    path = tmp_path / "t.csv"
    path.write_text("XX县赋权乡镇事项目录\n序号,事项名称,责任主体,赋权方式\n1,对违法建设的处罚,各乡镇人民政府,委托\n2,对占道经营的处罚,城关街道,委托\n", encoding="utf-8")
    catalog, _ = import_table(path, None)
    assert catalog["kind"] == "devolution" and [i["receiver"] for i in catalog["items"]] == ["各乡镇人民政府", "城关街道"]
    path.write_text("XX县赋权乡镇事项目录\n序号,事项名称,责任主体,赋权方式\n1,对违法建设的处罚,县住建局,委托\n2,对占道经营的处罚,县城管局,委托\n", encoding="utf-8")
    catalog, _ = import_table(path, None)
    assert [i["source"] for i in catalog["items"]] == ["县住建局", "县城管局"] and "receiver" not in catalog["items"][0]


def test_two_columns_with_the_same_header_are_two_keys_under_extra(tmp_path):
    """联系人 | 联系电话 printed twice (the leading and the assisting office): the second pair is kept under its
    header with its column (联系人（E列）), not written over the first."""
    path = tmp_path / "twice.csv"
    path.write_text("序号,事项名称,责任科室,联系人,联系电话,配合科室,联系人,联系电话\n1,燃气安全巡查,平安办,张三,1234,城管科,李四,5678\n", encoding="utf-8")
    understood: list = []
    catalog, problems = import_table(path, "duty", report=understood)
    [item] = catalog["items"]
    assert item["responsible"] == "平安办" and item["support"] == ["城管科"]
    assert item["extra"] == {"联系人": "张三", "联系电话": "1234", "联系人（G列）": "李四", "联系电话（H列）": "5678"}
    assert any("列 G“联系人” → extra（其他列，按原表头“联系人（G列）”保存）" in p.message.zh for p in understood)


def test_a_duty_list_titled_as_one_of_the_three_lists_gives_its_items_that_track(tmp_path):
    """某街道配合履职事项清单: its items are 配合履职事项, so duty.assist-without-lead can see the one without a
    leading department; a title naming all three lists gives none."""
    from govlist.importer import dump_yaml
    from govlist.validate import validate_paths

    path = tmp_path / "assist.csv"
    path.write_text("某街道配合履职事项清单,,,\n序号,事项名称,牵头部门,配合内容\n1,燃气安全宣传,区住建委,发放宣传材料\n2,禁毒宣传,,组织宣传\n", encoding="utf-8")
    understood: list = []
    catalog, problems = import_table(path, None, report=understood)
    assert [i.get("track") for i in catalog["items"]] == ["配合履职事项", "配合履职事项"]
    assert any(p.message.zh == "2 个事项的履职类型为“配合履职事项”（取自标题）" for p in understood)
    (tmp_path / "assist.yaml").write_text(dump_yaml(catalog), encoding="utf-8")
    found = [(f.rule, f.item) for f in validate_paths([tmp_path / "assist.yaml"]).findings if f.rule.startswith("duty.")]
    assert [rule for rule, _ in found] == ["duty.assist-without-lead"]
    path.write_text(path.read_text(encoding="utf-8").replace("某街道配合履职事项清单", "某街道基本履职事项、配合履职事项和上级部门收回事项清单"), encoding="utf-8")
    catalog, _ = import_table(path, None)
    assert all("track" not in i for i in catalog["items"])


def test_headings_naming_the_three_lists_give_the_items_below_their_track(tmp_path):
    """One table of the three lists, each under its heading, with a 类别 column: every item gets the track its
    heading names (the headings themselves are kept in the note), so an item both 基本 and 收回 can be found."""
    path = tmp_path / "three.csv"
    rows = ["某街道履职事项清单,,,", "序号,类别,事项名称,牵头部门", "一、基本履职事项（共1项）,,,", "1,党的建设,加强党的建设,",
            "二、配合履职事项（共1项）,,,", "2,平安法治,配合开展禁毒工作,区公安分局", "三、上级部门收回事项（共1项）,,,", "3,经济发展,招商引资,区商务局"]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    understood: list = []
    catalog, problems = import_table(path, None, report=understood)
    got = [(c["name"], i["name"], i["track"]) for c in catalog["categories"] for i in c["items"]]
    assert got == [("党的建设", "加强党的建设", "基本履职事项"), ("平安法治", "配合开展禁毒工作", "配合履职事项"), ("经济发展", "招商引资", "上级部门收回事项")]
    assert catalog["note"] == "一、基本履职事项（共1项）\n二、配合履职事项（共1项）\n三、上级部门收回事项（共1项）"
    assert [p.ref for p in understood if "取自分组标题" in p.message.zh] == ["three.csv!A3", "three.csv!A5", "three.csv!A7"]


def test_a_table_without_a_title_row_is_titled_by_its_file_name_not_the_id(cli, tmp_path):
    """Imported with -o and no title row, the list used to be titled by its id (the output's ASCII name), which every
    published page then printed. It is titled as pandoc titles an untitled document: by the input file's name as the
    clerk sees it (an attachment label before it dropped), and the clerk is told so."""
    real = (REPO / "tests" / "fixtures" / "real" / "wenshang-natural-resources-disclosure.csv").read_text(encoding="utf-8")
    (tmp_path / "附件2：汶上县自然资源领域基层政务公开标准目录.csv").write_text(real, encoding="utf-8")
    result = cli("import", "附件2：汶上县自然资源领域基层政务公开标准目录.csv", "-o", "lists/ws.yaml")
    assert result.exit_code == 0, result.output
    data = load_file(tmp_path / "lists" / "ws.yaml").data
    assert data["id"] == "ws" and data["title"] == "汶上县自然资源领域基层政务公开标准目录"
    assert list(data)[:4] == ["govlist", "kind", "id", "title"]  # in its place among the header keys
    assert "表中没有标题行，标题取自文件名：“汶上县自然资源领域基层政务公开标准目录”" in result.output
    english = cli("import", "附件2：汶上县自然资源领域基层政务公开标准目录.csv", "-o", "lists/ws.yaml", "--force", "--lang", "en")
    assert "its title is taken from the file name, '汶上县自然资源领域基层政务公开标准目录'" in english.output
    titled = cli("import", "附件2：汶上县自然资源领域基层政务公开标准目录.csv", "-o", "lists/ws.yaml", "--force", "--set", "title=汶上县目录")
    assert load_file(tmp_path / "lists" / "ws.yaml").data["title"] == "汶上县目录" and "没有标题行" not in titled.output


def test_numbered_paragraphs_keep_every_line_a_label_gives_beside_the_text(tmp_path):
    """In a list printed as numbered paragraphs, a labelled line may name a field the paragraph also fills (内容:):
    both texts are kept, the paragraph's first; a field given twice keeps both; a unit wrapped onto the next line is
    joined; a heading with no item under it (the copy cut after it) is kept in the note."""
    path = tmp_path / "tasks.csv"
    path.write_text(
        "某街道重点任务分解\n一、党建\n1.抓好党建。做实街区党建。\n内容:每季度一次\n牵头单位:街道党群工作\n办公室\n配合单位:各社区\n配合单位:辖区单位\n完成时限:2019年底前\n二、平安\n",
        encoding="utf-8",
    )
    catalog, problems = import_table(path, None)
    [category] = catalog["categories"]
    [item] = category["items"]
    assert catalog["kind"] == "duty" and category["name"] == "党建" and item["name"] == "抓好党建"
    assert item["content"] == "做实街区党建。\n每季度一次" and item["lead"] == "街道党群工作办公室"
    assert item["support"] == ["各社区", "辖区单位"] and catalog["note"] == "二、平安" and problems == []  # kept whole
    assert item["handling"] == {"time_limit": "2019年底前"}  # 完成时限: a nested field, by its path
    out = tmp_path / "tasks.yaml"
    out.write_text(dump_yaml(catalog), encoding="utf-8")
    assert not validate_paths([out]).failed(Severity.ERROR)  # before: handling.time_limit as a key of its own
