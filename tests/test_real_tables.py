"""Tables governments really published (tests/fixtures/real, see its README), imported with no --map and no --kind.

Each test checks what a clerk would check: the kind guessed, the item count, the categories, the declared totals,
a few items' fields, and what validation then says: the original's real defects are found, a clean table gives no
finding beyond the information that it has no item codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from govlist.importer import dump_yaml, import_table
from govlist.validate import validate_paths

REAL = REPO / "tests" / "fixtures" / "real"


def load(name: str, tmp_path: Path, **kwargs):
    """Import a real table with no --map and no --kind; write it; validate it. → (catalog, problems, rule ids)."""
    understood: list = []
    catalog, problems = import_table(REAL / name, None, report=understood, **kwargs)
    out = tmp_path / (Path(name).stem + ".yaml")
    out.write_text(dump_yaml(catalog), encoding="utf-8")
    report = validate_paths([out])
    return catalog, problems, sorted({f.rule for f in report.findings}), understood


def items(catalog: dict) -> list[dict]:
    return [i for c in catalog.get("categories") or [] for i in c["items"]] or catalog.get("items") or []


def test_mingnan_power_list_hard_wrapped_basis_is_one_basis(tmp_path):
    catalog, problems, rules, understood = load("mingnan-2019-power.csv", tmp_path)
    assert catalog["kind"] == "power" and catalog["title"] == "明光市明南街道办事处权力清单和责任清单"
    assert problems == [] and "declared" not in catalog
    [item] = items(catalog)  # the stored page is cut after item 1
    assert item["name"] == "独生子女父母光荣证核发与注销" and item["type"] == "行政确认" and item["seq"] == 1
    # 8 lines wrapped by the page are one basis, not 8 (no false basis.form warnings)
    assert isinstance(item["basis"], str) and item["basis"].startswith("《安徽省人口与计划生育条例》第三十九条在国家提倡")
    assert [s["stage"] for s in item["responsibilities"]][:4] == ["受理阶段责任", "审查和决定阶段责任", "送达阶段责任", "事后监管责任"]
    assert item["accountability"].startswith("因不履行或不正确履行行政职责")
    assert rules == ["codes.missing"]
    assert any("列 F“实施依据” → basis" in p.message.zh for p in understood)


def test_wuxiang_inspection_list_without_responsibilities_is_reported(tmp_path):
    catalog, problems, rules, _ = load("wuxiang-shangsi-inspection.csv", tmp_path)
    assert catalog["kind"] == "power"
    first, second = items(catalog)  # cut inside item 3
    assert first["type"] == "行政许可" and first["department"] == "乡镇人民政府"  # 乡镇\n人民\n政府 joined
    assert first["basis"].startswith("【法律】《中华人民共和国农村土地承包法》(2018年修正)第二十八条")
    assert first["extra"] == {"事项主体": "乡镇\n人民\n政府"}  # no field for it: kept, not dropped
    assert second["name"].startswith("对农民集体所有的土地")
    # the real defect: an 权责 list without 责任事项 and 追责情形
    assert rules == ["codes.missing", "power.accountability", "power.responsibilities"]


def test_ewenke_devolution_typo_header_and_two_bases_in_one_cell(tmp_path):
    catalog, problems, rules, understood = load("ewenke-devolution.csv", tmp_path)
    assert catalog["kind"] == "devolution"  # from the header 赋权的原实施层级
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(50, 57))  # the stored copy starts at 50
    assert got[1]["basis"] == ["《中华人民共和国森林法》第七十九条", "《中华人民共和国森林法实施条例》第四十二条第一项"]
    assert got[0]["source"] == "旗县级" and got[0]["extra"] == {"权利类型": "行政处罚"}
    assert any("权利类型" in p.message.zh for p in understood)
    assert "devolution.date" in rules  # no date anywhere in the published table
    settled, _, rules, _ = load("ewenke-devolution.csv", tmp_path, settings={"effective": "2023-06-01", "issuer": "鄂温克族自治旗人民政府"})
    assert settled["effective"] == "2023-06-01" and settled["issuer"] == "鄂温克族自治旗人民政府"
    assert "devolution.date" not in rules


@pytest.mark.parametrize(
    "name, title",
    [
        ("mca-2020-no-certificates.csv", "不应由基层群众性自治组织出具证明事项清单"),
        ("mca-2020-no-certificates-tw.csv", "不應由基層群眾性自治組織出具證明事項清單"),
    ],
)
def test_national_certificate_list_start_declares_20(name, title, tmp_path):
    """The list is introduced by a sentence of the notice: the title is the 《…清单》 in it, and the sentence itself
    (第一批, 以后不再需要找居委会或者村委会开具) is kept whole in the note, not dropped."""
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "community" and catalog["title"] == title
    row = (REAL / name).read_text(encoding="utf-8").splitlines()[0].strip('"')
    assert catalog["note"] == row and row.startswith(("《意见》明确了第一批《", "《意見》明確了第一批《"))
    assert any(p.ref.endswith("!A1") and "标题行整句保存为 note" in p.message.zh for p in understood)
    assert lost_cells(name, catalog, set()) == []
    assert catalog["declared"] == {"items": 20}  # 以下20种 / 20種: the stored copies are cut after entry 14
    got = items(catalog)
    assert len(got) == 14 and {i["type"] for i in got} == {"不应出具证明"}
    assert got[5]["name"].endswith("(表现证明)") or got[5]["name"].endswith("(表現證明)")
    assert "totals.items" in rules


def test_hubei_certificate_list_is_complete_and_clean(tmp_path):
    catalog, problems, rules, _ = load("hubei-2020-no-certificates.csv", tmp_path)
    assert catalog["title"] == "湖北省不应由基层群众性自治组织出具证明事项清单(第一批)"
    got = items(catalog)
    assert len(got) == 21 and got[12]["name"] == "生育状况证明" and got[-1]["name"] == "转学证明"
    assert {i["type"] for i in got} == {"不应出具证明"}
    assert rules == ["codes.missing"]


def test_zhangjiakou_list_of_what_may_be_issued(tmp_path):
    catalog, problems, rules, _ = load("zhangjiakou-certificates.csv", tmp_path)
    assert catalog["title"] == "张家口市社区居委会日常出具证明事项清单"
    got = items(catalog)
    assert len(got) == 5 and {i["type"] for i in got} == {"可出具证明"}
    assert got[1]["name"] == "为申请各类救助、援助、补助的困难家庭出具生活困难证明"
    assert rules == ["codes.missing"]


def test_issuable_list_against_the_national_list_is_a_conflict(tmp_path):
    """A certificate the national list says may not be issued, listed as issuable by a community: caught once
    both tables are imported (the published 可出具 list here has none, so it stays quiet)."""
    for name in ("zhangjiakou-certificates.csv", "mca-2020-no-certificates.csv"):
        catalog, _ = import_table(REAL / name, None)
        (tmp_path / (Path(name).stem + ".yaml")).write_text(dump_yaml(catalog), encoding="utf-8")
    assert not [f for f in validate_paths([tmp_path]).findings if f.rule == "community.certificate-conflict"]


@pytest.mark.parametrize("name", ["fengtun-disclosure-tw.csv", "fengtun-disclosure-tw.xlsx"])
def test_fengtun_traditional_mirror_with_pinyin_and_two_row_header(name, tmp_path):
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "duty"
    assert catalog["title"] == "鳳屯鎮(zhèn)政府文件信息領域基層政務公開標準目錄"  # (二) dropped, the text kept
    assert [c["name"] for c in catalog["categories"]] == ["政府文件", "概況信息", "政府工作報告"]
    second = catalog["categories"][1]["items"][0]
    assert second["name"] == "鄉(xiāng)鎮(zhèn)簡介" and second["responsible"] == "鎮(zhèn)人民政府"
    assert second["handling"] == {"time_limit": "信息形成或變更之日起20個工作日內(nèi)"}
    assert second["extra"] == {"公開渠道和載體": "■政府網(wǎng)站", "公開對象/全社會": "√", "公開方式/主動": "√", "公開層級/鎮(zhèn)級": "√"}
    assert problems == [] and rules == ["codes.missing"]
    assert any("“公開內(nèi)容(要素)” → content" in p.message.zh for p in understood)


@pytest.mark.parametrize("name", ["dean-agri-funds-disclosure.csv", "dean-agri-funds-disclosure.xlsx"])
def test_dean_two_row_header_under_three_parents(name, tmp_path):
    catalog, problems, rules, _ = load(name, tmp_path)
    assert catalog["title"] == "涉农资金领域基层政务公开标准目录"
    first, second = items(catalog)
    assert first["name"] == "政策文件" and first["responsible"] == "镇级人民政府"
    assert first["extra"]["公开对象/特定群体"] == "√" and "公开层级/乡级" not in first["extra"]
    assert second["content"] == "涉农相关资金明细"
    assert problems == [] and rules == ["codes.missing"]


def test_gongliu_broken_copy_is_refused_cell_by_cell(tmp_path):
    catalog, problems, rules, understood = load("gongliu-disclosure-tw.csv", tmp_path)
    assert catalog["title"] == "基層政務(wù)公開標(biāo)準(zhǔn)目錄"  # 附件2: is a label, not the title
    assert items(catalog) == []
    assert [(p.severity, p.ref) for p in problems] == [
        ("info", "gongliu-disclosure-tw.csv!A1"),  # the label row
        ("error", "gongliu-disclosure-tw.csv!A4"),  # the second header row packed left
        ("error", "gongliu-disclosure-tw.csv!M5"),  # 17 cells under a 10-column header
        ("error", "gongliu-disclosure-tw.csv!K6"),
        ("info", "gongliu-disclosure-tw.csv!A7"),  # the notes
    ]


@pytest.mark.parametrize(
    "name, category, item, basis",
    [
        ("tonghai-jiulong-projects.csv", "征收土 地信息", "征收土 地信息", ["《政府信息公开条例》", "《关于推进重大建设项目批准和实施领域政府信息公开的意见》"]),
        ("tonghai-jiulong-projects.xlsx", "征收土 地信息", "征收土 地信息", ["《政府信息公开条例》", "《关于推进重大建设项目批准和实施领域政府信息公开的意见》"]),
        ("tonghai-jiulong-procurement.csv", "政府采 购信息", "法律法规及政策文件", "《中华人民共和国政府信息公开条例》"),
        ("tonghai-jiulong-education.csv", "重要政策执行情况", "控辍保学", "相关政策文件"),
    ],
)
def test_tonghai_headers_with_spaces_from_a_pdf_copy(name, category, item, basis, tmp_path):
    catalog, problems, rules, _ = load(name, tmp_path)
    assert catalog["kind"] == "duty" and problems == []
    [cat] = catalog["categories"]
    assert cat["name"] == category and cat["items"][0]["name"] == item and cat["items"][0]["basis"] == basis
    assert cat["items"][0]["responsible"] == "九龙街道办事处"
    assert set(cat["items"][0]["extra"]) == {"公开渠道和载体", "公开对象/全社会", "公开方式/主动", "公开层级/乡级"}
    # 相关政策文件 is no basis: the real defect of the education table; the others are clean
    assert rules == (["basis.form", "codes.missing"] if "education" in name else ["codes.missing"])


def test_yajiang_rows_of_two_widths_and_a_truncated_body(tmp_path):
    """Rows 1 and 3 carry the six empty mark cells, row 2 stops after 公开渠道和载体: both are read the same."""
    catalog, problems, rules, understood = load("yajiang-natural-resources-disclosure.csv", tmp_path)
    assert catalog["kind"] == "duty" and catalog["title"] == "自然资源领域基层政务公开标准目录"
    assert [c["name"] for c in catalog["categories"]] == ["机构信息", "公共服务"]
    first, second, third = items(catalog)  # cut inside item 4
    assert first["responsible"] == "自然资源"  # the page's own truncated 公开主体, kept as printed
    assert first["content"].endswith("办 公电话、负责人姓名、权责清单")
    assert second["basis"] == ["《政府信息公开条 例》", "《自然资源规范性文件管理规定》 (自然资源部令第2号)"]
    assert third["name"] == "自然资源 领域专项 规划" and third["responsible"] == "县自然资源局"
    channel = "公开渠道和载体(在标注范围内至少选择其一公开,法律法规规章另有规定的从其规定)"
    # no √ anywhere on the page: the audience, manner and level columns stay empty, the long header is kept whole
    assert [i["extra"] for i in (first, second, third)] == [{channel: "■政府网站 ■公开查阅点■政府服务中心"}] * 3
    assert problems == [] and rules == ["codes.missing"]
    assert any("按标题判断为职责任务清单" in p.message.zh for p in understood)


def test_wenshang_table_without_a_title(tmp_path):
    """The stored copy starts at the header: the kind comes from the header, the title from the file name."""
    catalog, problems, rules, understood = load("wenshang-natural-resources-disclosure.csv", tmp_path)
    assert catalog["kind"] == "duty" and catalog["title"] == "wenshang-natural-resources-disclosure"
    assert "declared" not in catalog
    first, second, third = items(catalog)  # cut inside item 4
    assert first["name"] == "自然资源主管部门及派出机构、公共服务机构信息" and first["responsible"] == "县自然资源和规划局"
    assert first["basis"] == ["《政府信息公开条例》", "《关于推行地方各级政府工作部门权力清单制度的指导意见》(中办发〔2015〕21号)"]
    assert third["basis"] == ["《政府信息公开条例》", "《测绘法》", "《矿产资源规划编制实施办法》"]
    # the three √ packed left as the page prints them
    assert third["extra"] == {"公开渠道和载体": "■政府网站 ■公开查阅点■政府服务中心", "公开对象/全社会": "√", "公开对象/特定群众": "√", "公开方式/主动": "√"}
    assert problems == [] and rules == ["codes.missing"]
    assert any("按表头判断为职责任务清单" in p.message.zh for p in understood)
    # the clerk is told that the file name stands in for the title the published pages would print
    [untitled] = [p for p in understood if "没有标题行" in p.message.zh]
    assert "wenshang-natural-resources-disclosure" in untitled.message.zh and "--set title=" in untitled.message.en


def test_hule_assist_list_two_row_header_under_the_boundary(tmp_path):
    """安徽 配合事项清单: 牵头部门 names the lead; 职责边界划分 over 县级部门 | 乡镇(街道). Cut inside item 1's 实施依据."""
    catalog, problems, rules, understood = load("hule-assist-items.csv", tmp_path)
    assert catalog["kind"] == "territorial" and catalog["title"] == "2022年宁国市胡乐镇配合事项清单"
    [item] = items(catalog)
    assert item["name"] == "校外培训机构监管执法" and item["lead"] == {"unit": "市教体局"}
    assert [b[:2] for b in item["basis"]] == ["1.", "2."]  # two numbered paragraphs: two bases
    assert "(皖办发〔202128号)" in item["basis"][1]  # the page's own broken 文号, kept
    mapped = " ".join(p.message.zh for p in understood)
    assert "列 E“职责边界划分/县级部门” → extra" in mapped and "列 F“职责边界划分/乡镇(街道)” → support" in mapped
    # the stored copy ends before the 县级部门 and 乡镇(街道) cells: no 配合责任, as the cut leaves it
    assert problems == [] and rules == ["codes.missing", "territorial.support"]


def test_guichi_catalogue_by_department_heading_above_the_header(tmp_path):
    """一、区发展和改革委员会 stands between the title and the header: it is the first category, not a second title."""
    catalog, problems, rules, _ = load("guichi-2023-power-catalog.csv", tmp_path)
    assert catalog["kind"] == "power" and catalog["title"] == "池州市贵池区区级政府权责清单目录(2023年本)"
    [cat] = catalog["categories"]
    assert cat["name"] == "区发展和改革委员会(区粮食和物资储备局)" and len(cat["items"]) == 10  # cut inside item 11
    assert [i["type"] for i in cat["items"]].count("行政处罚") == 5
    assert cat["items"][0]["name"] == "固定资产投资项目核准(含国发〔2016〕72号文件规定的外商投资项目)"
    assert problems == []
    # a 目录 publishes names and types only: the rules ask for the basis, 责任事项 and 追责情形 a 权责清单 carries;
    # …备案管理规定… and …核准管理规定… are two items, not a typo: no names.near-duplicate
    assert rules == ["basis.missing", "codes.missing", "power.accountability", "power.responsibilities"]


def test_nmcqxx_main_item_over_sub_items_nothing_lost(tmp_path):
    """规范统一事项名称 over 主项名称 | 子项名称; 子项 rows carry their own 序号 and 行使层级, kept on the sub-item."""
    from govlist.exporter import export_catalog

    catalog, problems, rules, understood = load("nmcqxx-archives-power-items.csv", tmp_path)
    assert catalog["kind"] == "power" and catalog["title"] == "档案管理系统"
    assert catalog["note"] == "对应市级部门:市委办公室(市档案局)"  # the line under the heading, kept
    got = items(catalog)
    assert [i["seq"] for i in got] == [1, 3, 4, 5, 6, 7, 8, 10, 12]  # 12 rows, cut at row 13
    first = got[0]
    assert first["type"] == "其他行政权力-其他" and first["extra"] == {"行使层级": "市"}
    assert first["subitems"] == [
        {"name": "对市属国有企业文件材料归档范围和保管期限表的审查"},
        {"name": "对县(区、市)属国有企业文件材料归档范围和保管期限表的审查", "extra": {"序号": "2", "行使层级": "县"}},
    ]
    assert "subitems" not in got[1] and got[1]["extra"] == {"行使层级": "市、县"}
    assert got[5]["name"].startswith("对在档案工作中做出显着成绩")  # the page's 显着 (for 显著), kept
    assert any("列 C“规范统一事项名称/子项名称” → subitem" in p.message.zh for p in understood)
    # real defects: 其他行政权力-其他 is not a power type; a 目录 without basis, 责任事项, 追责情形
    assert problems == [] and rules == ["basis.missing", "codes.missing", "power.accountability", "power.responsibilities", "vocab.unknown"]
    for fmt in ("csv", "xlsx"):  # the sub-items' own cells go back to their columns
        path = tmp_path / f"back.{fmt}"
        path.write_bytes(export_catalog(catalog, fmt))
        again, problems = import_table(path, "power")
        assert problems == [] and items(again) == got


def strings(node: object) -> list[str]:
    """Every key and scalar of a catalog, as text."""
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in [str(k), *strings(v)]]
    if isinstance(node, list):
        return [t for v in node for t in strings(v)]
    return [] if node is None else [str(node)]


def lost_cells(name: str, catalog: dict, header: set[int]) -> list[str]:
    """The cells of a real CSV table, but for its header rows (0-based), whose text is nowhere in the imported catalog
    (a cell the import split, as a name and its code, counts as kept when each of its words is)."""
    import csv

    with (REAL / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    texts = strings(catalog)
    return [cell for r, row in enumerate(rows) if r not in header for cell in row if not all(any(part in t for t in texts) for part in cell.split())]


@pytest.mark.parametrize("name", ["mentougou-disclosure-standard.csv", "mentougou-disclosure-standard.xlsx"])
def test_mentougou_item_over_several_rows_is_one_item(name, tmp_path):
    """序号, 业务事项, 信息类别, 时限 and 形式 merged down over the lines of 内容标准: the lower rows continue the item
    (in CSV they are blank but for 内容标准; in the xlsx the merges are filled in and repeat the 序号 and name)."""
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "duty" and catalog["title"] == "mentougou-disclosure-standard"  # no title in the copy
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(1, 12))  # 11 items, not 11 items and 5 empty categories
    assert got[0]["extra"]["内容标准"] == "【机构名称】\n【联系方式】\n【咨询服务】\n【监督投诉】"
    assert got[3]["extra"]["内容标准"] == got[4]["extra"]["内容标准"] == "【机构名称】\n【职 \u2802 责】"  # the page's braille dot
    assert got[7]["name"] == "部门文件" and got[7]["extra"]["内容标准"] == "【标 题】\n【正 文】"
    assert got[6]["handling"] == {"time_limit": "按年公开"}
    assert "handling" not in got[10] and got[10]["extra"]["内容标准"] == "本单位"  # item 11, cut by the stored copy
    assert [c["name"] for c in catalog["categories"]][:3] == ["基本信息", "法定职责", "领导简历"]  # 信息类别
    continued = [p.ref.split("!")[1] for p in understood if "续接上一事项" in p.message.zh]
    assert continued == ["E3", "E4", "E5", "E9", "E11", "E15"]
    # a CSV export leaves a merged 具体职责 on its first row only; the xlsx merge gives it to every row it spans
    duties = [i.get("extra", {}).get("具体职责") for i in got[:7]]
    assert duties[0].startswith("负责信息、信访") and duties[1:] == ([None] * 6 if name.endswith(".csv") else [duties[0]] * 6)
    if name.endswith(".csv"):
        assert lost_cells(name, catalog, {0}) == []
    # the real defect: 业务事项 (the name column) repeats 政务公开 five times and 政府信息公开 twice; the page tells
    # those rows apart by 信息类别 only
    assert problems == [] and rules == ["codes.missing", "names.duplicate"]


def test_a_heading_in_the_first_column_is_not_a_continuation(tmp_path):
    """The same table with a heading row put before item 9 (its first column, where headings stand): the heading is
    not a line of item 8; the rows below item 8 that hold only 内容标准 still continue it. The table's own 信息类别
    column gives the rows below their categories, so the heading groups them and is kept in the list's note."""
    lines = (REAL / "mentougou-disclosure-standard.csv").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("9,"))
    path = tmp_path / "with-heading.csv"
    path.write_text("\n".join([*lines[:at], "二、财政信息,,,,,,", *lines[at:]]) + "\n", encoding="utf-8")
    catalog, problems = import_table(path, None)
    assert [p.message.zh for p in problems] == ["分组标题行保存为 note：二、财政信息"] and catalog["note"] == "二、财政信息"
    assert len(items(catalog)) == 11 and items(catalog)[7]["extra"] == {"具体职责": "政策公开", "内容标准": "【标 题】\n【正 文】", "公开形式": "政府网站常规公开"}


def test_yueyanglou_power_list_with_a_category_column_of_power_types(tmp_path):
    """類別 holds 行政許可: in a power list that is the 权力类型, not a category per type. The page's 來源 and 瀏覽量
    lines between the title and the header are kept as the note, not dropped."""
    catalog, problems, rules, understood = load("yueyanglou-urban-management-power-tw.csv", tmp_path)
    assert catalog["kind"] == "power" and catalog["title"] == "岳陽樓區(qū)城市管理局部門行政權(quán)力清單2016年(18項)"
    assert catalog["declared"] == {"items": 18} and catalog["note"] == "來源:區(qū)編辦   2016-12-23 11:01\n瀏覽量:1"
    [item] = items(catalog)  # cut inside item 1's basis
    assert "categories" not in catalog and item["type"] == "行政許可" and item["seq"] == 1
    assert item["name"].startswith("權(quán)限內(nèi)臨時占用城市道路") and item["name"].endswith("審批")
    assert isinstance(item["basis"], str) and "!冻鞘械缆饭芾項l例》" in item["basis"]  # the mirror's garbled 《城市道路管理條例》
    mapped = " ".join(p.message.zh for p in understood)
    assert "列 C“類別” → type" in mapped and "列 H“法制辦意見” → extra" in mapped
    assert lost_cells("yueyanglou-urban-management-power-tw.csv", catalog, {3}) == []
    # real defects: 18 declared and 1 in the cut copy; no 责任事项 or 追责情形; the garbled title leaves a 《 unpaired;
    # 行政許可 in Traditional characters is not the vocabulary's 行政许可
    assert problems == []
    assert rules == ["basis.form", "codes.missing", "power.accountability", "power.responsibilities", "totals.items", "vocab.unknown"]


def test_guangan_devolution_cut_before_its_first_name_is_refused_at_the_cell(tmp_path):
    """赋予乡镇(街道) in the title is a devolution list, though the title also says 行政权力事项; the stored copy ends
    inside item 1's 权力类型, before its name: the row is refused at the name's cell, naming the cells it held."""
    from typer.testing import CliRunner

    from govlist.cli import app

    catalog, problems, rules, understood = load("guangan-devolution-batch2.csv", tmp_path)
    assert catalog["kind"] == "devolution" and catalog["title"] == "广安市各县(市、区)赋予乡镇(街道)县级行政权力事项清单(第二批)"
    mapped = " ".join(p.message.zh for p in understood)
    assert "按标题判断为下放/赋权事项目录" in mapped and "列 G“承接乡镇(街道)” → receiver" in mapped
    assert "列 B“省序号” → extra" in mapped and "列 E“主要设立依据” → basis" in mapped  # a second 序号 column is kept
    assert items(catalog) == []
    [(severity, cell, message)] = [(p.severity, p.ref, p.message) for p in problems]
    assert (severity, cell) == ("error", "guangan-devolution-batch2.csv!D3")
    assert message.zh == "缺少事项名称，此行未导入（其中有内容的单元格：A3、B3、C3）"
    assert message.en == "missing item name; row not imported (its cells with text: A3, B3, C3)"
    result = CliRunner().invoke(app, ["import", str(REAL / "guangan-devolution-batch2.csv"), "-o", str(tmp_path / "g.yaml"), "--lang", "en"])
    assert result.exit_code == 1 and "guangan-devolution-batch2.csv!D3: missing item name" in result.output
    assert "Traceback" not in result.output


def test_hubei_village_duties_numbered_list_without_a_header(tmp_path):
    """A 指导目录 printed as numbered entries, the number in one column and the entry in the next, under a title
    wrapped over two lines and a group heading (主责事项指导目录): no header row to find, yet a list to read."""
    catalog, problems, rules, understood = load("hubei-village-duties-guide.csv", tmp_path)
    assert catalog["kind"] == "community"  # 村级组织履职事项: a village's work items, not a township's 履职事项清单
    assert catalog["title"] == "湖北省村级组织履职事项清单指导目录"  # the two lines of the title cell are one title
    [cat] = catalog["categories"]
    assert cat["name"] == "主责事项指导目录" and [i["seq"] for i in cat["items"]] == list(range(1, 14))
    assert cat["items"][1] == {"seq": 2, "name": "宣传宪法、法律、法规和国家政策。"}
    assert cat["items"][12]["name"].endswith("协助做好灾害预警预报信息的接收、传递,灾情信息")  # cut inside entry 13
    assert any(p.ref.endswith("!A3") and "按编号列表读取" in p.message.zh for p in understood)
    assert lost_cells("hubei-village-duties-guide.csv", catalog, {0}) == []
    assert problems == [] and rules == ["codes.missing"]


def test_jingdezhen_main_items_codes_and_sub_items_named_with_their_codes(tmp_path):
    """主项编码 | 主项名称 | 子项名称 及编码: the 子项 rows below a main item have no 序号, code or name (merged); the
    sub-item's code follows its name in the same cell; 主项编码 stays the main item's."""
    from govlist.exporter import export_catalog

    name = "jingdezhen-transport-power.csv"
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "power" and catalog["title"] == "jingdezhen-transport-power"  # no title in the copy
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(1, 13)) and [i["code"] for i in got[:2]] == ["360118001000", "36011800200Y"]
    assert got[1]["subitems"] == [{"name": "公路建设项目施工图设计文件审批"}, {"name": "水运建设项目施工图设计文件审批"}]
    assert got[1]["type"] == "行政许可" and got[1]["extra"] == {"行使层级": "省、市、县"}  # not repeated per 子项 row
    assert got[8]["note"] == "航道中心" and "subitems" not in got[8]
    assert [s.get("code") for s in got[11]["subitems"]] == ["360118019001", "360118019002", "360118019003", None]
    assert got[11]["subitems"][0]["name"] == "因建设工程需要占用、挖掘公路、公路用地或者使公路改线的许可"
    assert got[11]["subitems"][3] == {"name": "利用公路桥梁、公路隧道、涵洞铺设电缆"}  # cut inside the fourth 子项
    mapped = " ".join(p.message.zh for p in understood)
    assert "列 B“主项编码” → code" in mapped and "列 D“子项名称及编码” → subitem" in mapped
    assert lost_cells(name, catalog, {0}) == []
    # real defects of a 目录 that gives names, codes and types only: no basis, 责任事项 or 追责情形
    assert problems == [] and rules == ["basis.missing", "power.accountability", "power.responsibilities"]
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"back.{fmt}"
        path.write_bytes(export_catalog(catalog, fmt))
        again, problems = import_table(path, "power")
        assert problems == [] and items(again) == got


def test_a_bracketed_line_under_the_title_is_part_of_the_title(tmp_path):
    """（试行）, （2023年版） printed on a line of their own under the title belong to the title: in a numbered list
    such a line right above the first entry is not read as the first group's heading, nor kept as a note."""
    lines = (REAL / "hubei-village-duties-guide.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "with-subtitle.csv"
    path.write_text("\n".join([lines[0], lines[1], "（试行）,", *lines[3:]]) + "\n", encoding="utf-8")  # the heading row replaced
    catalog, problems = import_table(path, None)
    assert catalog["title"] == "湖北省村级组织履职事项清单指导目录（试行）" and "note" not in catalog
    assert "categories" not in catalog and len(catalog["items"]) == 13


def test_shijingshan_numbered_paragraphs_with_lead_and_assisting_lines(tmp_path):
    """石景山区 任务分解方案, copied from its PDF a printed line a row: items numbered 1. 2. over wrapped lines under a
    heading 一、 over two lines, each followed by 牵头单位: / 协办单位: lines (the second wrapped), a page number between
    items. Before, every printed line became an item of its own (24 items named 化决策程序,… and 牵头单位:区委组织部)
    and the kind could not be told."""
    catalog, problems, rules, understood = load("shijingshan-street-work-tasks.csv", tmp_path)
    assert catalog["kind"] == "duty" and any("按标题判断为职责任务清单" in p.message.zh for p in understood)
    assert catalog["title"] == "石景山区贯彻落实《关于加强新时代街道工作的意见》的任务分解方案"  # two printed lines
    assert catalog["note"].startswith("为贯彻落实北京市街道工作会议精神及《中共北京市委北京市人民政府关于") and catalog["note"].endswith("制定如下任务分解方案。")
    [category] = catalog["categories"]
    assert category["name"] == "提高城市基层党建工作水平,加强党对基层治理的全面领导"
    first, second = category["items"]  # cut inside item 2
    assert first["seq"] == 1 and first["name"].startswith("完善街道党工委对地区治理重大工作的领导体制机制,优化决策程序,")
    assert first["name"].endswith("全面提升街道抓党建、抓治理、抓服务的领导能力")  # the first sentence names the task
    assert first["content"].startswith("加强街道社区党组织对地区各类组织") and first["content"].endswith("确保党的路线方针政策在基层有效贯彻落实。")
    assert first["lead"] == "区委组织部"
    assert first["support"] == ["区委编办", "区民政局(区委社会工委)", "园区党工委", "各街道党工委"]  # 园区党工 / 委 joined
    assert second["seq"] == 2 and second["content"] == "做实街" and "lead" not in second
    assert problems == [] and rules == ["codes.missing"]
    assert any(p.ref.endswith("!A22") and "页码行已跳过：— — — 3 —" in p.message.zh for p in understood)
    assert any("按编号段落读取" in p.message.zh and "numbered paragraphs" in p.message.en for p in understood)


def test_qijiang_town_enforcement_list_is_a_devolution_catalog_by_its_header(tmp_path):
    """綦江区镇街综合行政执法事项清单: the title says 执法 (a power list's word), the header 赋权事项名称 | 原行使部门 |
    赋权范围 | 赋权事项的执法依据 | 赋权 街镇, a 赋权 catalog from district departments to towns and streets. Before, it
    was read as a power list (every item then lacking 责任事项 and 追责情形), its basis and receiver kept as extra."""
    catalog, problems, rules, understood = load("qijiang-2025-town-enforcement.csv", tmp_path)
    assert catalog["kind"] == "devolution" and any("按表头判断为下放/赋权事项目录" in p.message.zh for p in understood)
    assert catalog["title"] == "綦江区镇街综合行政执法事项清单(2025年)" and catalog["note"] == "法定行政执法事项清单"
    first, second = items(catalog)  # cut inside item 2's name
    assert first["source"] == "区经济信息委" and first["receiver"] == "镇人民政府、街道办事处"
    assert first["basis"] == "《重庆市天然气管理条例》(2019年修订)第六十条第一款第一项"  # 赋权事项的执法依据: the 执法依据 of the item
    assert first["extra"] == {"赋权范围": "行政处罚权以及与其行政处罚权有关的行政检查、行政强制措施"}
    assert second["seq"] == 2 and second["name"].endswith("进行收集、贮存、处理") and set(second) == {"seq", "name"}
    assert any("列 F“赋权街镇” → receiver" in p.message.zh for p in understood)
    assert problems == [] and rules == ["basis.missing", "codes.missing", "devolution.date"]  # no date: the real defect


def test_xianyang_numbered_tasks_give_their_roles_in_a_closing_bracket(tmp_path):
    """咸阳市 2022 “放管服” 工作要点 on a Traditional-character wiki mirror, a paragraph a row, the copy starting at the
    text under the title: each task ends with its roles in a bracket (……牽頭,……按職責分工負責). Before, the kind was
    guessed from 市場準入負面清單 inside a task (a community list), and every row became an item named by its paragraph."""
    catalog, problems, rules, understood = load("xianyang-2022-business-environment-tasks-tw.csv", tmp_path)
    assert catalog["kind"] == "duty" and any("按编号段落及其牵头、配合单位判断为职责任务清单" in p.message.zh for p in understood)
    # no title in the copy: the file's name stands in, and the clerk is told
    assert catalog["title"] == "xianyang-2022-business-environment-tasks-tw" and any("标题取自文件名" in p.message.zh for p in understood)
    assert catalog["note"].startswith("以習近平新時代中國特色社會主義思想為指導") and catalog["note"].endswith("提供有力支撐。")
    [category] = catalog["categories"]
    assert category["name"] == "堅持系統集成,推動審批全鏈條最佳化"
    first, second = category["items"]  # cut inside item 2's bracket
    assert first["name"] == "全面實施行政許可事項清單管理" and first["content"].endswith("工程建設項目審批事項清單的銜接。")
    assert first["lead"] == "市政府辦公室、市行政審批制度改革工作領導小組辦公室"  # as printed: two units, one lead cell
    assert first["support"] == ["市級各有關部門及各縣市區政府"]
    # a bracket cut off by the copy names no role: it stays in the text, nothing is made of it
    assert second["content"].endswith("對取消和下放審批的事項要同步落實監管責任和措施。(市政府辦公室、市") and "lead" not in second
    assert problems == [] and rules == ["codes.missing"]


def test_street_office_duties_numbered_one_two_three_are_items_not_headings(tmp_path):
    """A street office's duties as its page prints them: a sentence that ends “主要工作职责是:”, then 一、…九、, a duty
    each. The numbers are the items' 序号 (before, each item kept “一、” and its closing “;” in its name), the
    sentence above them is the note and not the title (no list is named in it), and 主要工作职责 tells a duty list
    (before, the kind could not be told without --kind)."""
    name = "street-office-duties-numbered.csv"
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "duty" and any("按标题判断为职责任务清单" in p.message.zh for p in understood)
    assert catalog["title"] == "street-office-duties-numbered" and catalog["note"].endswith("主要工作职责是:")
    assert any(p.ref.endswith("!A1") and "第一行是正文的句子" in p.message.zh for p in understood)
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(1, 10)) and "categories" not in catalog
    assert got[0]["name"] == "贯彻上级党委、人民政府的决议、决定,对居民进行思想、政治教育和社会主义法制教育"
    assert got[5]["name"] == "接受上级劳动保障部门的业务指导;综合协调、管理辖区内劳动和社会保障工作"  # a ; inside stays
    assert got[8] == {"seq": 9, "name": "承办上级市委、市政府交办的其它工作"}
    # every cell kept: the entry is its number, its name and the mark that closed it
    import csv

    with (REAL / name).open(encoding="utf-8", newline="") as f:
        rows = [row[0] for row in csv.reader(f)][1:]
    assert [f"{'一二三四五六七八九'[i['seq'] - 1]}、{i['name']}" for i in got] == [r.rstrip(";。") for r in rows]
    assert problems == [] and rules == ["codes.missing"]


def test_residents_committee_tasks_numbered_in_brackets_with_a_mirrors_one(tmp_path):
    """The tasks of a 居民委员会 by a regulation's 第三条, from a Traditional-character mirror: (壹)(二)…(九), the mirror
    writing 壹 for 一, the last task running on into 第四條 on the same line. The bracketed numbers are the 序号,
    the run-on article is the list's note, not the task's content, and 居民委员会 tells a community list."""
    name = "residents-committee-tasks-tw.csv"
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "community"
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(1, 10))
    assert got[0]["name"] == "宣傳憲法、法律、法規和國家政策,教育居民自覺遵守和執行"
    assert got[8] == {"seq": 9, "name": "動員和組織居民完成人民政府根據法律、法規和國家政策交辦的其他任務"}
    assert catalog["note"].splitlines() == [
        "居民委員會在不設區的市、市轄區的人民政府或者它的派出機關的指導、支持和幫助下進行工作。第三條居民委員會的任務是:",
        "第四條居民委員會根據居民生活狀況和便於居民自治的原則設立,規模壹般在100戶至700戶之間。",
    ]
    assert any(p.ref.endswith("!A10") and "下一条文" in p.message.zh for p in understood)
    assert problems == [] and rules == ["codes.missing"]


def test_numbered_entries_out_of_sequence_or_mixed_are_left_as_they_are(tmp_path):
    """Only entries numbered in one style and in sequence lose their numbers: a list whose entries merely start
    with 一、 and 三、 (a gap), or mix 一、 with (二), keeps every entry's text whole; so does one whose entry would
    name nothing without its number (一、;: an empty name, which the schema refuses)."""
    for rows in (["主要工作职责是:", "一、甲工作;", "三、乙工作;"], ["主要工作职责是:", "一、甲工作;", "(二)乙工作;"], ["主要工作职责是:", "一、;", "二、乙工作;"]):
        path = tmp_path / "list.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        catalog, _ = import_table(path, None)
        assert [i["name"] for i in items(catalog)] == rows[1:] and all("seq" not in i for i in items(catalog))


def test_news_item_listing_the_national_certificates_in_one_sentence(tmp_path):
    """A news item (新華每日電訊, Traditional mirror) gives the national list as one sentence, 這20項證明包括:A、B、…、T。,
    between a paragraph of the notice and its source line. Each entry is an item (before, the sentence was one item
    and the source line another, and the kind could not be told without --kind); the count it declares is kept
    and holds; the rest of the sentence and the other rows are the note; the entries are certificates the
    paragraph says may not be issued (不應由……出具)."""
    name = "mca-2020-no-certificates-news-tw.csv"
    catalog, problems, rules, understood = load(name, tmp_path)
    assert catalog["kind"] == "community" and any("按列举各项的那句话及其上下文判断" in p.message.zh for p in understood)
    got = items(catalog)
    assert len(got) == 20 and catalog["declared"] == {"items": 20} and "totals.items" not in rules
    assert got[0] == {"name": "親屬關系證明", "type": "不应出具证明"} and got[-1]["name"] == "證件遺失證明"
    assert {i["type"] for i in got} == {"不应出具证明"} and all("seq" not in i for i in got)  # unnumbered as printed
    assert catalog["note"].splitlines()[1:] == ["這20項證明包括:", "(摘自《新華每日電訊》4.28)"]
    assert lost_cells(name, catalog, {1}) == []  # the sentence's words: 這20項證明包括: in the note, each entry an item
    assert problems == [] and rules == ["codes.missing"]
    # the same entries as the national list printed a line an entry (mca-2020-no-certificates-tw, cut after 14)
    lines, _ = import_table(REAL / "mca-2020-no-certificates-tw.csv", None)
    assert [i["name"] for i in got[:14]] == [i["name"].replace("(表現證明)", "").replace("關係", "關系") for i in items(lines)]


def test_list_run_into_a_sentence_closed_by_its_count_takes_the_quoted_title(tmp_path):
    """The 湖北 page's sentence as printed (its entries are the fixture hubei-2020-no-certificates, a line each):
    《…清单(第一批)》明确,A、B、…等21项证明事项属于…。 The quoted 《…清单》 is the title, 等21项 the declared count."""
    rows = (REAL / "hubei-2020-no-certificates.csv").read_text(encoding="utf-8").splitlines()
    sentence = f"{rows[0]}明确,{'、'.join(rows[1:])}等21项证明事项属于不应由基层群众性自治组织出具的证明事项。"
    path = tmp_path / "page.csv"
    path.write_text(f'"{sentence}"\n', encoding="utf-8")
    catalog, problems = import_table(path, None)
    assert catalog["kind"] == "community" and catalog["title"] == "湖北省不应由基层群众性自治组织出具证明事项清单(第一批)"
    assert [i["name"] for i in items(catalog)] == rows[1:] and catalog["declared"] == {"items": 21}
    assert catalog["note"] == rows[0] + "明确,\n等21项证明事项属于不应由基层群众性自治组织出具的证明事项。" and problems == []


def test_community_page_titled_by_its_name_is_a_community_list(tmp_path):
    """A wiki page titled 大梅沙社區 (深圳) with the community's duties 1、…7、: a title that is only a community's name
    tells a community list (before, the kind could not be told without --kind), and 1、…7、 are the 序号."""
    catalog, problems, rules, understood = load("dameisha-community-duties-tw.csv", tmp_path)
    assert catalog["kind"] == "community" and catalog["title"] == "大梅沙社區" and "note" not in catalog
    got = items(catalog)
    assert [i["seq"] for i in got] == list(range(1, 8))
    assert got[0]["name"].startswith("協調社區有關單位和居民的工作") and got[0]["name"].endswith("形成關心、支持、參與社區建設的良好風尚")
    assert got[6] == {"seq": 7, "name": "開展社區居民協調、調解工作,促進社區居民團結和諧"}
    assert problems == [] and rules == ["codes.missing"]


def test_every_real_table_is_read_without_map(tmp_path):
    tables = sorted(p.name for p in REAL.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert len([t for t in tables if t.endswith(".csv")]) == 30
    kinds = set()
    for name in tables:
        catalog, _ = import_table(REAL / name, None)
        kinds.add(catalog["kind"])
    assert kinds == {"power", "devolution", "community", "duty", "territorial"}


def test_extra_columns_go_back_to_their_header_on_export(tmp_path):
    from govlist.exporter import export_catalog

    catalog, _ = import_table(REAL / "tonghai-jiulong-procurement.csv", None)
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"back.{fmt}"
        path.write_bytes(export_catalog(catalog, fmt))
        again, problems = import_table(path, "duty")
        assert problems == [] and items(again) == items(catalog)


def test_cli_prints_the_kind_and_every_column_and_fills_the_header(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from govlist.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVLIST_LANG", "zh")
    (tmp_path / "head.yaml").write_text("issuer: 鄂温克族自治旗人民政府\ndoc_number: 鄂政发〔2023〕1号\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(REAL / "ewenke-devolution.csv"), "-o", "out.yaml", "--header", "head.yaml", "--set", "effective=2023年6月1日"])
    assert result.exit_code == 0, result.output
    assert "按表头判断为下放/赋权事项目录（devolution）" in result.output
    assert "列 C“权利类型” → extra" in result.output and "列 E“赋权的原实施层级” → source" in result.output
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "issuer: 鄂温克族自治旗人民政府" in text and "effective: \"2023-06-01\"" in text and "devolution.date" not in result.output
    # the $schema line names a schema file that exists
    ref = text.splitlines()[0].split("$schema=")[1]
    assert ref.endswith("devolution.schema.json") and (tmp_path / ref).resolve().is_file()
    # a broken copy: cells that went nowhere → exit 1
    broken = runner.invoke(app, ["import", str(REAL / "gongliu-disclosure-tw.csv"), "-o", "g.yaml"])
    assert broken.exit_code == 1 and "M5" in broken.output
    bad = runner.invoke(app, ["import", str(REAL / "ewenke-devolution.csv"), "-o", "x.yaml", "--set", "colour=red"])
    assert bad.exit_code == 2 and "colour" in bad.output


def test_extra_columns_are_shown_on_the_published_page(tmp_path):
    from govlist.render import list_view

    catalog, _ = import_table(REAL / "tonghai-jiulong-projects.csv", None)
    (tmp_path / "t.yaml").write_text(dump_yaml(catalog), encoding="utf-8")
    [loaded] = validate_paths([tmp_path / "t.yaml"]).catalogs
    view = list_view(loaded)
    headers = [c["header"] for c in view.columns]
    assert headers[-4:] == ["公开渠道和载体", "公开对象/全社会", "公开方式/主动", "公开层级/乡级"]
    assert view.categories[0].rows[0].cells[-4:] == ["■政府网站", "√", "√", "√"]


def test_sub_items_keep_their_own_cells_under_a_department_heading(tmp_path):
    """A 目录 by department (as guichi's) puts a heading row above each department's items: the 子项 rows' own 序号
    and 行使层级 stay on the sub-items there too, as without the heading (they were dropped from every list with
    categories)."""
    name = "nmcqxx-archives-power-items.csv"
    lines = (REAL / name).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "by-department.csv"
    path.write_text("\n".join([*lines[:4], "一、市委办公室(市档案局),,,,,", *lines[4:]]) + "\n", encoding="utf-8")
    plain, _ = import_table(REAL / name, None)
    catalog, problems = import_table(path, None)
    [cat] = catalog["categories"]
    assert cat["name"] == "市委办公室(市档案局)" and cat["items"] == items(plain)
    assert cat["items"][0]["subitems"][1] == {"name": "对县(区、市)属国有企业文件材料归档范围和保管期限表的审查", "extra": {"序号": "2", "行使层级": "县"}}
    assert problems == [] and lost_cells(name, catalog, {0, 2, 3}) == []


def test_a_sub_item_row_keeps_a_main_item_code_that_is_not_its_main_items(tmp_path):
    """主项编码 stays the main item's; on a 子项 row that gives a code of its own there, the code is kept under the
    sub-item's extra (before, it was dropped without a word)."""
    name = "jingdezhen-transport-power.csv"
    text = (REAL / name).read_text(encoding="utf-8").replace(",,,水运建设项目施工图设计文件审批,", ",360118002002,,水运建设项目施工图设计文件审批,", 1)
    path = tmp_path / "own-code.csv"
    path.write_text(text, encoding="utf-8")
    catalog, problems = import_table(path, None)
    second = items(catalog)[1]
    assert second["code"] == "36011800200Y" and second["subitems"][1] == {"name": "水运建设项目施工图设计文件审批", "extra": {"主项编码": "360118002002"}}
    assert problems == []


def test_cells_beside_the_title_are_kept_in_the_note(tmp_path):
    """Rows above the header with more than one cell (单位：项 beside the title; 填报单位：… and 填报时间：… in the
    two corners of a row): only the first cell of each was read, the others went nowhere. They are kept in the note,
    and a declared total standing beside the title is read."""
    lines = (REAL / "wuxiang-shangsi-inspection.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "corners.csv"
    path.write_text("\n".join([lines[0].replace(",,,,,,", ",,,,,,（共2项）"), "填报单位：上司乡人民政府,,,,,,填报时间：2025年4月", *lines[1:]]) + "\n", encoding="utf-8")
    catalog, problems = import_table(path, None)
    assert catalog["title"] == "武乡县上司乡行政执法检查事项清单" and catalog["declared"] == {"items": 2}
    assert catalog["note"] == "填报单位：上司乡人民政府\n（共2项）\n填报时间：2025年4月"
    assert [(p.ref, p.message.zh) for p in problems] == [
        ("corners.csv!G1", "表头上方的单元格保存为 note：（共2项）"),
        ("corners.csv!G2", "表头上方的单元格保存为 note：填报时间：2025年4月"),
    ]
    assert len(items(catalog)) == 2


@pytest.mark.parametrize("name, width", [("hubei-village-duties-guide.csv", 2), ("hubei-2020-no-certificates.csv", 3)])
def test_a_list_without_a_header_in_a_sheet_whose_title_is_merged_across(name, width, tmp_path):
    """The same lists as a spreadsheet gives them: the title (and the group heading) merged across the sheet, which
    the import reads as the merge's text in every cell it covers. Such a row is one title, not a row of several cells:
    before, the numbered list and the one-column list were refused for want of a header row."""
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader((REAL / name).open(encoding="utf-8", newline="")))
    book = Workbook()
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value:
                book.active.cell(r, c, int(value) if value.isdigit() else value)
        if len([c for c in row if c]) == 1:  # the title, the heading: merged across the sheet
            book.active.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    path = tmp_path / (Path(name).stem + ".xlsx")
    book.save(path)
    expected, _ = import_table(REAL / name, None)
    catalog, problems = import_table(path, None)
    assert catalog["title"] == expected["title"] and items(catalog) == items(expected) and len(items(catalog)) in (13, 21)
    assert catalog.get("categories", [{}])[0].get("name") == expected.get("categories", [{}])[0].get("name")
