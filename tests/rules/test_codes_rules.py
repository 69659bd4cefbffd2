"""Rules codes.uscc, codes.org-code, codes.division, codes.division-range and codes.item-profile."""

from __future__ import annotations

from conftest import hits

REGISTRY = """
govlist: 1
kind: registry
id: reg
title: 示例名录
units:
  - code: QU
    name: 示例区
    type: 区
    division: "{qu_division}"
  - code: JD
    name: 示例街道办事处
    type: 街道
    parent: QU
    uscc: "{jd_uscc}"
    division: "{jd_division}"
  - code: PQ
    name: 第一片区
    type: 片区
    parent: JD
  - code: JW
    name: 示例居委会
    type: 居委会
    parent: PQ
    division: "{jw_division}"
  - code: CUN
    name: 示例村
    type: 村
    parent: JD
    division: "{cun_division}"
"""


def registry(**given: str) -> str:
    values = {"qu_division": "510108", "jd_uscc": "11511301008778183N", "jd_division": "510108001", "jw_division": "510108001001", "cun_division": "510108001201"}
    values.update(given)
    return REGISTRY.format(**values)


# line numbers in REGISTRY: QU's division 9, JD's uscc 14 (value at column 11) and division 15, JW's division 24, CUN's 29 (values at column 15)
RULES = ("codes.uscc", "codes.org-code", "codes.division", "codes.division-range", "codes.item-profile")


def all_hits(report):
    return {rule: hits(report, rule) for rule in RULES if hits(report, rule)}


def test_correct_registry_is_quiet(validate_set):
    report = validate_set({"reg.yaml": registry()})
    assert all_hits(report) == {}


def test_real_codes_are_quiet(validate_set):
    for code in ("12441500196720244T", "115113010833722043", "91110108717743469K"):
        report = validate_set({"reg.yaml": registry(jd_uscc=code)})
        assert all_hits(report) == {}, code


def test_uscc_wrong_check_char(validate_set):
    report = validate_set({"reg.yaml": registry(jd_uscc="11511301008778183A")})
    assert hits(report, "codes.uscc") == [("reg.yaml", 14, 11, "JD")]
    assert hits(report, "codes.org-code") == []
    message = next(f.message for f in report.findings if f.rule == "codes.uscc")
    assert "“N”" in message.zh and "'N'" in message.en and "示例街道办事处" in message.zh


def test_uscc_lowercase_fullwidth_and_letter_o(validate_set):
    for bad, word in (("11511301008778183n", "大写"), ("１１511301008778183N", "全角"), ("115113O1008778183N", "字母“O”")):
        report = validate_set({"reg.yaml": registry(jd_uscc=bad)})
        assert hits(report, "codes.uscc") == [("reg.yaml", 14, 11, "JD")], bad
        message = next(f.message for f in report.findings if f.rule == "codes.uscc")
        assert word in message.zh and "校验码" not in message.zh, message.zh


def test_uscc_bad_length(validate_set):
    report = validate_set({"reg.yaml": registry(jd_uscc="1151130100877818")})
    assert hits(report, "codes.uscc") == [("reg.yaml", 14, 11, "JD")]


def test_org_code_check(validate_set):
    report = validate_set({"reg.yaml": registry(jd_uscc="11511301008778184R")})  # 18th right for its 17, 17th wrong
    assert hits(report, "codes.org-code") == [("reg.yaml", 14, 11, "JD")]
    assert hits(report, "codes.uscc") == []
    message = next(f.message for f in report.findings if f.rule == "codes.org-code")
    assert "00877818-4" in message.zh and "“3”" in message.zh


def test_division_impossible_province_and_range(validate_set):
    report = validate_set({"reg.yaml": registry(qu_division="960108", jd_division="510108700", jw_division="510108001000")})
    assert hits(report, "codes.division") == [("reg.yaml", 9, 15, "QU"), ("reg.yaml", 15, 15, "JD"), ("reg.yaml", 24, 15, "JW")]
    messages = [f.message.zh for f in report.findings if f.rule == "codes.division"]
    assert "“96”" in messages[0] and "700" in messages[1] and "000" in messages[2]
    assert hits(report, "codes.division-range") == []  # an impossible code is not also a range warning


def test_division_range_street_with_town_range(validate_set):
    report = validate_set({"reg.yaml": registry(jd_division="510108101", jw_division="510108101001", cun_division="510108101201")})
    assert hits(report, "codes.division-range") == [("reg.yaml", 15, 15, "JD")]
    assert hits(report, "codes.division") == []
    finding = next(f for f in report.findings if f.rule == "codes.division-range")
    assert finding.severity.label == "warning"
    assert "101" in finding.message.zh and "街道" in finding.message.zh


def test_division_range_community_and_village(validate_set):
    # a 居委会 (alias of 居民区) in the village committees' range, a 村 in the residents' committees' range
    report = validate_set({"reg.yaml": registry(jw_division="510108001201", cun_division="510108001002")})
    assert hits(report, "codes.division-range") == [("reg.yaml", 24, 15, "JW"), ("reg.yaml", 29, 15, "CUN")]


def test_division_not_under_parent_skips_units_without_code(validate_set):
    # JW's parent PQ has no division: compared with JD's, the nearest ancestor that has one
    report = validate_set({"reg.yaml": registry(jw_division="510108002001", cun_division="510109001201")})
    assert hits(report, "codes.division-range") == [("reg.yaml", 24, 15, "JW"), ("reg.yaml", 29, 15, "CUN")]
    messages = [f.message.zh for f in report.findings if f.rule == "codes.division-range"]
    assert "510108001" in messages[0] and "示例街道办事处" in messages[0]


def test_division_range_can_be_ignored_with_reason(validate_set):
    text = registry(jd_division="510108101", jw_division="510108101001", cun_division="510108101201")
    text = text.replace('    division: "510108101"\n', '    division: "510108101"  # govlist: ignore[codes.division-range] 原因：地区办事处\n')
    report = validate_set({"reg.yaml": text})
    assert hits(report, "codes.division-range") == []


def test_division_range_severity_configurable(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nrules:\n  codes.division-range: 'off'\n",
            "reg.yaml": registry(jd_division="510108101", jw_division="510108101001", cun_division="510108101201"),
        }
    )
    assert hits(report, "codes.division-range") == []


POWER = """
govlist: 1
kind: power
id: pw
title: 权责清单
items:
  - code: "510108-A02-001"
    name: 对违法建设的处罚
    type: 行政处罚
  - code: "510108-A2-001"
    name: 对占道经营的处罚
    type: 行政处罚
  - name: 无编码事项
    type: 行政检查
"""

PROJECT_WITH_PROFILE = r"""
govlist: 1
kind: project
profiles:
  item_codes:
    power: '^\d{6}-[A-Z]\d{2}-\d{3}$'
"""


def test_item_profile(validate_set):
    report = validate_set({"govlist.yaml": PROJECT_WITH_PROFILE, "pw.yaml": POWER})
    assert hits(report, "codes.item-profile") == [("pw.yaml", 9, 11, "510108-A2-001")]
    message = next(f.message for f in report.findings if f.rule == "codes.item-profile")
    assert "510108-A2-001" in message.zh and "对占道经营的处罚" in message.zh


def test_item_profile_whole_code_must_match(validate_set):
    project = PROJECT_WITH_PROFILE.replace(r"'^\d{6}-[A-Z]\d{2}-\d{3}$'", r"'\d{6}-[A-Z]\d{2}-\d{3}'")
    report = validate_set({"govlist.yaml": project, "pw.yaml": POWER.replace('"510108-A02-001"', '"510108-A02-0011"')})
    assert hits(report, "codes.item-profile") == [("pw.yaml", 6, 11, "510108-A02-0011"), ("pw.yaml", 9, 11, "510108-A2-001")]


def test_item_profile_quiet_without_profile(validate_set):
    assert hits(validate_set({"pw.yaml": POWER}), "codes.item-profile") == []


def test_item_profile_other_kind_not_checked(validate_set):
    project = PROJECT_WITH_PROFILE.replace("power:", "duty:")
    assert hits(validate_set({"govlist.yaml": project, "pw.yaml": POWER}), "codes.item-profile") == []
