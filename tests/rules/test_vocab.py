"""vocab.unknown, vocab.alias."""

from __future__ import annotations


from conftest import doc, hits, messages


def test_unknown_power_type_with_suggestion(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - {code: "1", name: 临时占用城市道路审批, type: 行政许可}
          - {code: "2", name: 对擅自占用城市道路的处罚, type: 行政处理}
          - {code: "3", name: 对违法建设的处罚, type: 行政处罚 }
    """,
            )
        }
    )
    assert hits(report, "vocab.unknown") == [("power.yaml", 7, 43, "2")]
    (message,) = messages(report, "vocab.unknown")
    assert "行政处理" in message.zh and "power_types" in message.zh and "是否想写“行政处罚”" in message.zh
    assert "行政许可、行政处罚" in message.zh and "did you mean '行政处罚'" in message.en


def test_unknown_values_of_every_vocabulary_field(validate_set):
    report = validate_set(
        {
            "devolution.yaml": doc("devolution", "items:\n  - {code: '1', name: 临时救助审批, method: 转移}\n", level="街區"),
            "community.yaml": doc("community", "items:\n  - {code: '1', name: 调解民间纠纷, type: 自治事项, power_type: 行政调解}\n"),
            "duty.yaml": doc("duty", "items:\n  - {code: '1', name: 党组织建设, track: 基础履职事项}\n"),
            "registry.yaml": doc("registry", "units:\n  - {code: HB, name: 河滨街道办事处, type: 街办}\n"),
        }
    )
    assert hits(report, "vocab.unknown") == [
        ("community.yaml", 6, 37, "1"),
        ("community.yaml", 6, 55, "1"),
        ("devolution.yaml", 5, 8, None),
        ("devolution.yaml", 7, 39, "1"),
        ("duty.yaml", 6, 37, "1"),
        ("registry.yaml", 6, 37, "HB"),
    ]
    text = [f.message.zh for f in report.findings if f.rule == "vocab.unknown"]
    assert "是否想写“基本履职事项”" in text[4] and "是否想写“街道”" in text[5] and "是否想写“街道”" in text[2]
    assert "是否想写" not in text[1]  # 行政调解 is not close enough to any power type to suggest one
    assert "community_types" in text[0] and "devolution_methods" in text[3] and "unit_types" in text[5]


def test_full_width_and_spaces_do_not_matter(validate_set):
    report = validate_set({"power.yaml": doc("power", "items:\n  - {code: '1', name: 对违法建设的处罚, type: '行政 处罚'}\n")})
    assert hits(report, "vocab.unknown") == []
    assert hits(report, "vocab.alias") == []


def test_alias_is_reported_as_info_with_canonical_value(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - {code: "1", name: 城市道路挖掘修复监督, type: 其他职权}
          - {code: "2", name: 对违法建设的处罚, type: 行政处罚}
    """,
                level="居委会",
            )
        }
    )
    assert hits(report, "vocab.alias") == [("power.yaml", 5, 8, None), ("power.yaml", 7, 41, "1")]
    level, power_type = messages(report, "vocab.alias")
    assert "居民区" in level.zh
    assert "其他行政权力" in power_type.zh and "canonical value is '其他行政权力'" in power_type.en
    assert hits(report, "vocab.unknown") == []
    assert report.findings[0].severity.label == "info"


def test_project_vocabulary_replaces_the_built_in_one(validate_set):
    report = validate_set(
        {
            "govlist.yaml": """
            govlist: 1
            kind: project
            vocabularies:
              power_types:
                values: [行政许可, 行政处罚, 行政调解, 其他行政权力]
                aliases: {调解: 行政调解}
            rules:
              vocab.alias: warning
        """,
            "power.yaml": doc(
                "power",
                """
            items:
              - {code: "1", name: 劳动争议调解, type: 行政调解}
              - {code: "2", name: 民间纠纷调解, type: 调解}
              - {code: "3", name: 最低生活保障金给付, type: 行政给付}
        """,
            ),
        }
    )
    assert hits(report, "vocab.unknown") == [("power.yaml", 8, 40, "3")]
    assert hits(report, "vocab.alias") == [("power.yaml", 7, 37, "2")]
    assert [f.severity.label for f in report.findings if f.rule == "vocab.alias"] == ["warning"]
    assert "行政调解" in messages(report, "vocab.unknown")[0].zh


def test_vocab_unknown_can_be_turned_off(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nrules:\n  vocab.unknown: \"off\"\n",
            "power.yaml": doc("power", "items:\n  - {code: '1', name: 对违法建设的处罚, type: 行政处理}\n"),
        }
    )
    assert hits(report, "vocab.unknown") == []
