"""basis.missing, basis.form, basis.repealed."""

from __future__ import annotations


import pytest
from conftest import doc, hits, messages

from govlist.rules.basis import form_problem


# ---------------------------------------------------------------------------------------------------- basis.missing


def test_basis_missing_power_item(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - code: "XK-001"
            name: 临时占用城市道路审批
            type: 行政许可
            basis: 《城市道路管理条例》第三十一条
          - code: "CF-001"
            name: 对擅自占用城市道路的处罚
            type: 行政处罚
    """,
            )
        }
    )
    assert hits(report, "basis.missing") == [("power.yaml", 11, 11, "CF-001")]
    (message,) = messages(report, "basis.missing")
    assert "CF-001 对擅自占用城市道路的处罚" in message.zh and "no basis" in message.en


def test_basis_missing_subitems_inherit_or_carry_their_own(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - code: "CF-001"
            name: 对擅自占用或挖掘城市道路的处罚
            basis: 《城市道路管理条例》第四十二条
            subitems:
              - {code: "CF-001-1", name: 擅自占用城市道路}
          - code: "CF-002"
            name: 对违反城市绿化规定的处罚
            subitems:
              - {code: "CF-002-1", name: 损坏城市树木花草, basis: 《城市绿化条例》第二十六条}
          - code: "CF-003"
            name: 对违反市容环境卫生规定的处罚
            subitems:
              - {code: "CF-003-1", name: 随地吐痰, basis: 《城市市容和环境卫生管理条例》第三十四条}
              - {code: "CF-003-2", name: 乱扔果皮纸屑}
    """,
            )
        }
    )
    # CF-001: main basis covers the sub-item; CF-002: every sub-item has one; CF-003: a sub-item has none
    assert hits(report, "basis.missing") == [("power.yaml", 16, 11, "CF-003")]
    assert "乱扔果皮纸屑" in messages(report, "basis.missing")[0].zh


def test_basis_missing_community_only_duties_by_law(validate_set):
    report = validate_set(
        {
            "community.yaml": doc(
                "community",
                """
        items:
          - {code: "1", name: 宣传宪法法律法规和国家政策, type: 依法履职事项, basis: 《中华人民共和国城市居民委员会组织法》第三条}
          - {code: "2", name: 调解民间纠纷, type: 依法履职}
          - {code: "3", name: 协助开展人口普查, type: 协助事项}
          - {code: "4", name: 居住证明, type: 可出具证明}
    """,
            )
        }
    )
    assert hits(report, "basis.missing") == [("community.yaml", 7, 23, "2")]
    assert "依法履职事项" in messages(report, "basis.missing")[0].zh


def test_basis_missing_not_for_duty_lists_and_blank_basis_counts_as_missing(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc("duty", "items:\n  - {code: '1', name: 党组织建设}\n"),
            "devolution.yaml": doc(
                "devolution",
                """
            items:
              - {code: "1", name: 最低生活保障审核, method: 下放, basis: "  "}
              - {code: "2", name: 临时救助审批, method: 下放, basis: [" "]}
        """,
            ),
        }
    )
    assert hits(report, "basis.missing") == [("devolution.yaml", 6, 23, "1"), ("devolution.yaml", 7, 23, "2")]


def test_basis_missing_can_be_turned_off(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nrules:\n  basis.missing: \"off\"\n",
            "power.yaml": doc("power", "items:\n  - {code: '1', name: 对擅自占用城市道路的处罚, type: 行政处罚}\n"),
        }
    )
    assert hits(report, "basis.missing") == []


# ------------------------------------------------------------------------------------------------------- basis.form


@pytest.mark.parametrize(
    "text",
    [
        "《中华人民共和国城乡规划法》第六十四条",
        "《中华人民共和国城乡规划法》第六十四条第一款",
        "《城市道路管理条例》第3条",
        "《中华人民共和国安全生产法》第九条、《城镇燃气管理条例》第二十八条",
        "《中华人民共和国消防法》第十八条；《中华人民共和国消防法》第五十三条",
        "《XX市人民政府关于向街道办事处下放部分行政执法职权并实行综合执法的决定》",
        "《XX市城市管理综合执法办法》（XX府令第12号）",
        "成华府办〔2012〕35号",
        "《国务院关于修改〈建设工程质量管理条例〉的决定》",
    ],
)
def test_basis_form_accepts_citations(text):
    assert form_problem(text, "power") is None


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("相关法律法规", "相关法律法规"),
        ("依据有关规定执行", "有关规定"),
        ("法律法规规定的其他职责", "法律法规规定"),
        ("城乡规划法第六十四条", "书名号"),
        ("《中华人民共和国城乡规划法》", "条款"),
        ("《中华人民共和国行政处罚法》《中华人民共和国城乡规划法》第六十四条", "《中华人民共和国行政处罚法》"),
        ("《中华人民共和国城乡规划法第六十四条", "不成对"),
    ],
)
def test_basis_form_rejects_vague_text_in_power_lists(text, fragment):
    problem = form_problem(text, "power")
    assert problem is not None and fragment in problem[0]


def test_basis_form_article_is_only_required_in_power_lists():
    assert form_problem("《中华人民共和国城市居民委员会组织法》", "community") is None
    assert form_problem("有关规定", "community") is not None


def test_basis_form_points_at_the_list_element_and_subitem(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - code: "CF-001"
            name: 对违反城市绿化规定的处罚
            basis:
              - 《城市绿化条例》第二十六条
              - 相关法律法规
            subitems:
              - code: "CF-001-1"
                name: 损坏城市树木花草
                basis: 《城市绿化条例》
    """,
            )
        }
    )
    assert hits(report, "basis.form") == [("power.yaml", 10, 9, "CF-001"), ("power.yaml", 14, 16, "CF-001")]
    first, second = messages(report, "basis.form")
    assert "相关法律法规" in first.zh and "vague" in first.en
    assert "《城市绿化条例》" in second.zh and "article" in second.en


def test_basis_form_quiet_on_good_duty_list(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - code: "1"
            name: 燃气安全检查
            basis:
              - 《中华人民共和国安全生产法》第三十六条
              - 《城镇燃气管理条例》
    """,
            )
        }
    )
    assert hits(report, "basis.form") == []


# --------------------------------------------------------------------------------------------------- basis.repealed

PROJECT = """
govlist: 1
kind: project
repealed:
  - {title: 《城市房屋拆迁管理条例》, date: "2011-01-21"}
  - {title: 城市生活无着的流浪乞讨人员收容遣送办法}
"""


def test_basis_repealed(validate_set):
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "devolution.yaml": doc(
                "devolution",
                """
            items:
              - code: "1"
                name: 房屋拆迁纠纷调处
                method: 委托
                basis: 《城市房屋拆迁管理条例》第十六条
              - code: "2"
                name: 流浪乞讨人员救助
                method: 下放
                basis:
                  - 《城市生活无着的流浪乞讨人员救助管理办法》第五条
                  - 《城市生活无着的流浪乞讨人员收容遣送办法》第二条
              - code: "3"
                name: 房屋征收补偿
                method: 委托
                basis: 《国有土地上房屋征收与补偿条例》第五条
        """,
            ),
        }
    )
    assert hits(report, "basis.repealed") == [("devolution.yaml", 9, 12, "1"), ("devolution.yaml", 15, 9, "2")]
    first, second = messages(report, "basis.repealed")
    assert "《城市房屋拆迁管理条例》" in first.zh and "2011-01-21" in first.zh and "repealed" in first.en
    assert "收容遣送办法" in second.zh


def test_basis_repealed_compares_normalised_titles(validate_set):
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "power.yaml": doc(
                "power",
                """
            items:
              - {code: "1", name: 房屋拆迁许可, type: 行政许可, basis: "《城市房屋拆迁管理条例 》第六条"}
        """,
            ),
        }
    )
    assert hits(report, "basis.repealed") == [("power.yaml", 6, 50, "1")]


def test_basis_repealed_quiet_without_configuration(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\n",
            "power.yaml": doc(
                "power",
                """
        items:
          - {code: "1", name: 房屋拆迁许可, type: 行政许可, basis: 《城市房屋拆迁管理条例》第六条}
    """,
            ),
        }
    )
    assert hits(report, "basis.repealed") == []


def test_basis_repealed_same_text_on_every_item_and_every_title(validate_set):
    # every repealed title of a text, on every item citing it
    text = "《城市房屋拆迁管理条例》第十六条、《城市生活无着的流浪乞讨人员收容遣送办法》第二条"
    report = validate_set(
        {
            "govlist.yaml": PROJECT,
            "devolution.yaml": doc(
                "devolution",
                f"""
            items:
              - {{code: "1", name: 房屋拆迁纠纷调处, method: 委托, basis: "{text}"}}
              - {{code: "2", name: 房屋征收补偿, method: 委托, basis: 《国有土地上房屋征收与补偿条例》第五条}}
              - {{code: "3", name: 流浪乞讨人员救助, method: 下放, basis: "{text}"}}
        """,
            ),
        }
    )
    assert [h[3] for h in hits(report, "basis.repealed")] == ["1", "1", "3", "3"]
    said = [m.zh for m in messages(report, "basis.repealed")]
    for number, (label, title) in enumerate(
        [("房屋拆迁纠纷调处", "拆迁管理条例》已废止（2011-01-21 废止）"), ("房屋拆迁纠纷调处", "收容遣送办法》已废止，"), ("流浪乞讨人员救助", "拆迁管理条例》已废止（2011-01-21 废止）"), ("流浪乞讨人员救助", "收容遣送办法》已废止，")]
    ):
        assert label in said[number] and title in said[number]


def test_basis_form_same_text_judged_by_each_kind(validate_set):
    # form_problem's answers are remembered by text and kind: the same text in a power list and a duty list
    report = validate_set(
        {
            "power.yaml": doc("power", "\n        items:\n          - {code: P1, name: 燃气安全检查, type: 行政检查, basis: 《城镇燃气管理条例》}\n"),
            "duty.yaml": doc("duty", "\n        items:\n          - {code: D1, name: 燃气安全检查, basis: 《城镇燃气管理条例》}\n          - {code: D2, name: 燃气巡查, basis: 《城镇燃气管理条例》}\n"),
            "more.yaml": doc("power", "\n        items:\n          - {code: P2, name: 燃气经营检查, type: 行政检查, basis: 《城镇燃气管理条例》}\n", id="more"),
        }
    )
    assert sorted((h[0], h[3]) for h in hits(report, "basis.form")) == [("more.yaml", "P2"), ("power.yaml", "P1")]
