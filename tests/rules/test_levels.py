"""level.forbidden-function."""

from __future__ import annotations


from conftest import doc, hits, messages


def test_street_duty_list_with_investment_attraction(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - code: "1"
            name: 优化营商环境服务
            content: 为辖区企业提供政策咨询和办事代办服务
          - code: "2"
            name: 招商引资
            content: 完成区下达的招商引资任务
          - code: "3"
            name: 经济服务
            content: 配合税务部门开展协税护税工作
    """,
                level="街道",
            )
        }
    )
    assert hits(report, "level.forbidden-function") == [("duty.yaml", 11, 11, "2"), ("duty.yaml", 15, 14, "3")]
    first, second = messages(report, "level.forbidden-function")
    assert "街道" in first.zh and "招商引资" in first.zh and "2 招商引资" in first.zh
    assert "协税护税" in second.zh and "content" in second.en


def test_quiet_for_other_levels_and_negated_mentions(validate_set):
    report = validate_set(
        {
            "district.yaml": doc("duty", "items:\n  - {code: '1', name: 招商引资}\n", level="区"),
            "street.yaml": doc(
                "duty",
                """
            items:
              - code: "1"
                name: 经济服务
                content: 街道不再承担招商引资任务，转向为企业提供服务
        """,
                level="街道",
            ),
        }
    )
    assert hits(report, "level.forbidden-function") == []


def test_negative_lists_and_taken_back_items_are_skipped(validate_set):
    report = validate_set(
        {
            "entry-rules.yaml": doc("entry-rules", "items:\n  - {code: 'FM-1', name: 招商引资}\n", level="社区"),
            "community.yaml": doc(
                "community",
                """
            items:
              - {code: "1", name: 招商引资, type: 负面清单}
              - {code: "2", name: 协税护税, type: 协助事项}
        """,
                level="社区",
            ),
            "devolution.yaml": doc(
                "devolution",
                """
            items:
              - {code: "1", name: 协税护税, method: 下放, status: 收回}
        """,
                level="街道",
            ),
            "duty.yaml": doc(
                "duty",
                """
            items:
              - {code: "1", name: 招商引资, track: 收回}
              - {code: "2", name: 协税护税, track: 基本履职事项}
        """,
                level="街道",
            ),
        }
    )
    assert hits(report, "level.forbidden-function") == [("community.yaml", 8, 23, "2"), ("duty.yaml", 8, 23, "2")]


def test_configured_terms_and_level_from_registry_unit(validate_set):
    report = validate_set(
        {
            "govlist.yaml": """
            govlist: 1
            kind: project
            forbidden_functions:
              居委会: [经济发展指标]
        """,
            "registry.yaml": doc("registry", "units:\n  - {code: SQ1, name: 望平社区居委会, aliases: [望平社区], type: 居民区}\n"),
            "duty.yaml": doc(
                "duty",
                """
            items:
              - {code: "1", name: 完成经济发展指标, track: 基本履职事项}
              - {code: "2", name: 招商引资, track: 基本履职事项}
        """,
                unit="望平社区",
            ),
        }
    )
    # the project's 居委会 is an alias of 居民区: its terms add to the built-in ones of 居民区
    assert hits(report, "level.forbidden-function") == [("duty.yaml", 7, 23, "1"), ("duty.yaml", 8, 23, "2")]
    assert "居民区" in messages(report, "level.forbidden-function")[0].zh


def test_forbidden_function_can_be_turned_off(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nrules:\n  level.forbidden-function: \"off\"\n",
            "duty.yaml": doc("duty", "items:\n  - {code: '1', name: 招商引资}\n", level="街道"),
        }
    )
    assert hits(report, "level.forbidden-function") == []
