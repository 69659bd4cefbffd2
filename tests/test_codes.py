"""govlist.codes: 统一社会信用代码, the embedded 组织机构代码, and 行政区划代码, as pure functions."""

from __future__ import annotations

import pytest

from govlist.codes import (
    USCC_ALPHABET,
    USCC_WEIGHTS,
    CodeIssue,
    check_division,
    check_division_under,
    check_org_code,
    check_uscc,
    org_check_char,
    uscc_check_char,
)

REAL_USCC = ["12441500196720244T", "11511301008778183N", "115113010833722043", "91110108717743469K"]


def issues(problems) -> list[CodeIssue]:
    return [p.issue for p in problems]


def test_weights_are_powers_of_three_mod_31():
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(USCC_ALPHABET) == 31 and not set("IOZSV") & set(USCC_ALPHABET)


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_codes_pass(code):
    assert check_uscc(code) == []
    assert uscc_check_char(code[:17]) == code[17]
    assert org_check_char(code[8:16]) == code[16]
    assert check_org_code(code[8:17]) == []


def test_org_check_char_ten_and_eleven():
    # 10 is written X, 11 is written 0 (the 0 of 115113010833722043's embedded 08337220-4 is a plain digit)
    assert org_check_char("1967202X") == "1"
    bodies = {org_check_char(f"{n:08d}") for n in range(0, 3000)}
    assert "X" in bodies and "0" in bodies
    assert check_org_code("00877818-3") == []
    assert issues(check_org_code("00877818-4")) == [CodeIssue.ORG_CHECK]


def test_wrong_check_char_names_the_expected_one():
    problems = check_uscc("12441500196720244A")
    assert issues(problems) == [CodeIssue.CHECK]
    assert problems[0].expected == "T"
    assert "“T”" in problems[0].zh and "'T'" in problems[0].en and "A" in problems[0].zh


def test_embedded_org_code_check_is_separate():
    first17 = "11511301008778184"  # org check 4 where 3 belongs; 18th computed so that only the org check fails
    code = first17 + uscc_check_char(first17)
    problems = check_uscc(code)
    assert issues(problems) == [CodeIssue.ORG_CHECK]
    assert problems[0].expected == "3"


def test_lowercase_is_named_and_otherwise_fine():
    problems = check_uscc("12441500196720244t")
    assert issues(problems) == [CodeIssue.LOWERCASE]
    assert problems[0].expected == "12441500196720244T"


def test_full_width_is_named():
    problems = check_uscc("１２４４１５００１９６７２０２４４Ｔ")
    assert issues(problems) == [CodeIssue.FULL_WIDTH]
    assert problems[0].expected == "12441500196720244T"


def test_letter_o_for_zero_and_i_for_one():
    problems = check_uscc("1244150O196720244T")
    assert issues(problems) == [CodeIssue.CONFUSED]
    assert "第 8 位" in problems[0].zh and "“0”" in problems[0].zh
    assert issues(check_uscc("12441500I96720244T")) == [CodeIssue.CONFUSED]


def test_letters_outside_the_alphabet():
    problems = check_uscc("12441500196720244Z")
    assert issues(problems) == [CodeIssue.BAD_CHAR]
    assert "第 18 位" in problems[0].zh
    assert CodeIssue.BAD_CHAR in issues(check_uscc("12441500-196720244"))


def test_length_whitespace_and_empty():
    assert issues(check_uscc("1244150019672024")) == [CodeIssue.LENGTH]
    assert issues(check_uscc("12441500 196720244T")) == [CodeIssue.WHITESPACE]
    assert issues(check_uscc("  ")) == [CodeIssue.EMPTY]


def test_region_part_must_be_digits():
    first17 = "12A41500196720244"
    problems = check_uscc(first17 + uscc_check_char(first17))
    assert issues(problems) == [CodeIssue.REGION]


def test_uscc_check_char_wants_17():
    with pytest.raises(ValueError):
        uscc_check_char("123")


# --- 行政区划代码 ---


@pytest.mark.parametrize("code", ["110000", "510100", "510108", "310112006", "220581102001", "220581102200", "810000", "441900003"])
def test_divisions_that_pass(code):
    assert check_division(code) == []


@pytest.mark.parametrize(
    "code, issue",
    [
        ("960108", CodeIssue.PROVINCE),
        ("160108", CodeIssue.PROVINCE),
        ("72010800", CodeIssue.LENGTH),
        ("51010800A", CodeIssue.NOT_DIGITS),
        ("510108000", CodeIssue.PART_ZERO),
        ("510108001000", CodeIssue.PART_ZERO),
        ("510108600", CodeIssue.RANGE),
        ("", CodeIssue.EMPTY),
    ],
)
def test_divisions_that_fail(code, issue):
    problems = check_division(code)
    assert issue in issues(problems)
    assert all(not p.soft for p in problems)


def test_village_part_outside_usual_ranges_is_soft():
    problems = check_division("220581102450")
    assert issues(problems) == [CodeIssue.UNUSUAL] and problems[0].soft


@pytest.mark.parametrize(
    "code, unit_type",
    [("110117004", "街道"), ("220581102", "镇"), ("220581202", "乡"), ("220581102", "乡镇"), ("220581102001", "社区"), ("220581102001", "居民区"), ("220581102200", "村"), ("510108", "区"), ("510108001", "社区"), ("510108", "部门")],
)
def test_type_fits(code, unit_type):
    assert check_division(code, unit_type) == []


@pytest.mark.parametrize(
    "code, unit_type, issue",
    [
        ("110117104", "街道", CodeIssue.TYPE_RANGE),  # a 街道 with a town's range
        ("220581002", "镇", CodeIssue.TYPE_RANGE),
        ("220581102200", "社区", CodeIssue.TYPE_RANGE),  # a 社区 with a village committee's range
        ("220581102200", "居民区", CodeIssue.TYPE_RANGE),
        ("220581102001", "村", CodeIssue.TYPE_RANGE),  # a 村 with a residents' committee's range
        ("510108", "街道", CodeIssue.TYPE_LENGTH),
        ("510108001", "村", CodeIssue.TYPE_LENGTH),
        ("510100", "区", CodeIssue.TYPE_RANGE),
    ],
)
def test_type_mismatch_is_soft(code, unit_type, issue):
    problems = check_division(code, unit_type)
    assert issues(problems) == [issue]
    assert problems[0].soft
    assert unit_type in problems[0].zh and code in problems[0].zh


def test_full_width_division_is_named():
    problems = check_division("５１０１０８")
    assert issues(problems) == [CodeIssue.FULL_WIDTH] and problems[0].expected == "510108"


def test_division_under_parent():
    assert check_division_under("510108001", "510108") == []
    assert check_division_under("510108001001", "510108001") == []
    assert check_division_under("510108", "510100") == []  # a city covers its districts
    assert check_division_under("510108", "510000") == []
    assert check_division_under("510108", "510108") == []  # the district government and its district
    problems = check_division_under("510109001", "510108", "成华区")
    assert issues(problems) == [CodeIssue.NOT_UNDER_PARENT] and problems[0].soft
    assert "成华区" in problems[0].zh and "510108" in problems[0].zh
    assert issues(check_division_under("510108", "510108001")) == [CodeIssue.NOT_UNDER_PARENT]
