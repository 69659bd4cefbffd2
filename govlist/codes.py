"""Code checks as pure functions: 统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714), and
行政区划代码 (GB/T 2260, extended by the statistical township and village parts).

Nothing here prints or knows about catalogs. Each check returns a list of `CodeProblem`s: a tag saying what is wrong,
a flag for the softer results (`soft`: unusual but possible, reported as a warning), and a bilingual message naming
the concrete characters or digits. An empty list means the code is fine.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from .model import Text

# --- 统一社会信用代码 -------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_BODY = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 body characters: digits, then letters valued 10..35

# Letters that are typed for the digit they resemble; reported with their own message.
_CONFUSED = {"O": "0", "I": "1"}


class CodeIssue(str, enum.Enum):
    """What is wrong with a code (the tag of a CodeProblem)."""

    EMPTY = "empty"
    WHITESPACE = "whitespace"  # spaces inside or around the code
    FULL_WIDTH = "full-width"  # full-width characters (Ａ１…)
    LOWERCASE = "lowercase"  # lower-case letters
    CONFUSED = "confused"  # a letter O (I) where the digit 0 (1) belongs
    BAD_CHAR = "bad-char"  # a character outside the alphabet
    LENGTH = "length"
    REGION = "region"  # USCC characters 3–8 are not six digits
    CHECK = "check"  # the USCC check character (18th) is wrong
    ORG_CHECK = "org-check"  # the embedded 组织机构代码's check character (17th) is wrong
    NOT_DIGITS = "not-digits"
    PROVINCE = "province"  # not a province code
    PART_ZERO = "part-zero"  # township or village part 000
    RANGE = "range"  # a township part outside every range
    TYPE_RANGE = "type-range"  # soft: the range does not fit the unit's type
    TYPE_LENGTH = "type-length"  # soft: the length does not fit the unit's type
    UNUSUAL = "unusual"  # soft: a village part outside the usual ranges
    NOT_UNDER_PARENT = "not-under-parent"  # soft: not inside the parent unit's code


@dataclass(frozen=True, slots=True)
class CodeProblem:
    issue: CodeIssue
    message: Text
    soft: bool = False
    expected: str | None = None  # the expected character (check characters) or corrected code, when known

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en


def _problem(issue: CodeIssue, zh: str, en: str, soft: bool = False, expected: str | None = None) -> CodeProblem:
    return CodeProblem(issue, Text(zh, en), soft, expected)


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 from its first 17 (which must be in the alphabet)."""
    if len(first17) != 17:
        raise ValueError(f"need 17 characters, got {len(first17)}")
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """The 9th character of a 组织机构代码 (GB 11714) from its 8 body characters: 0–9 or X."""
    if len(body8) != 8:
        raise ValueError(f"need 8 characters, got {len(body8)}")
    total = sum(ORG_BODY.index(ch) * w for ch, w in zip(body8, ORG_WEIGHTS))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def check_org_code(code: str) -> list[CodeProblem]:
    """Problems of a bare 9-character 组织机构代码 (an optional hyphen before the check character is accepted)."""
    text = code.replace("-", "")
    if len(text) != 9:
        return [_problem(CodeIssue.LENGTH, f"组织机构代码应为 9 位，实际 {len(text)} 位", f"an organisation code has 9 characters, not {len(text)}")]
    bad = [ch for ch in text[:8] if ch not in ORG_BODY]
    if bad or text[8] not in "0123456789X":
        wrong = bad[0] if bad else text[8]
        return [_problem(CodeIssue.BAD_CHAR, f"组织机构代码含无效字符“{wrong}”", f"the organisation code contains an invalid character '{wrong}'")]
    expected = org_check_char(text[:8])
    if text[8] != expected:
        return [_problem(CodeIssue.ORG_CHECK, f"组织机构代码 {text[:8]}-{text[8]} 的校验码应为“{expected}”", f"organisation code {text[:8]}-{text[8]}: the check character should be '{expected}'", expected=expected)]
    return []


def check_uscc(code: str) -> list[CodeProblem]:
    """Problems of a 统一社会信用代码; empty when it is well-formed and both check characters hold.

    Typing slips that have an obvious correction (full width, lower case, O for 0, I for 1, spaces) are reported with
    their own message, and the check characters are then verified on the corrected code, so a code that is only
    miswritten says so instead of also claiming a wrong check character.
    """
    problems: list[CodeProblem] = []
    text = str(code)
    if not text.strip():
        return [_problem(CodeIssue.EMPTY, "统一社会信用代码为空", "the unified social credit code is empty")]
    narrow = unicodedata.normalize("NFKC", text)
    if narrow != text:
        problems.append(_problem(CodeIssue.FULL_WIDTH, f"统一社会信用代码“{text}”含全角字符，应写作半角“{narrow}”", f"'{text}' contains full-width characters; write it half-width: '{narrow}'", expected=narrow))
    squeezed = "".join(narrow.split())
    if squeezed != narrow:
        problems.append(_problem(CodeIssue.WHITESPACE, f"统一社会信用代码“{narrow}”中有空格", f"'{narrow}' contains spaces", expected=squeezed))
    upper = squeezed.upper()
    if upper != squeezed:
        lowered = "、".join(sorted({ch for ch in squeezed if ch != ch.upper()}))
        problems.append(_problem(CodeIssue.LOWERCASE, f"统一社会信用代码中的字母应大写（{lowered}），应为“{upper}”", f"letters must be upper case ({lowered.replace('、', ', ')}): '{upper}'", expected=upper))
    fixed = []
    for pos, ch in enumerate(upper, 1):
        if ch in _CONFUSED:
            digit = _CONFUSED[ch]
            problems.append(_problem(CodeIssue.CONFUSED, f"第 {pos} 位是字母“{ch}”，统一社会信用代码不用字母 {ch}，应为数字“{digit}”", f"character {pos} is the letter '{ch}', which the code never uses: write the digit '{digit}'", expected=digit))
            fixed.append(digit)
        else:
            fixed.append(ch)
    fixed_text = "".join(fixed)
    bad = [(pos, ch) for pos, ch in enumerate(fixed_text, 1) if ch not in USCC_ALPHABET]
    for pos, ch in bad:
        problems.append(_problem(CodeIssue.BAD_CHAR, f"第 {pos} 位“{ch}”不是统一社会信用代码的字符（只用数字和除 I、O、Z、S、V 以外的大写字母）", f"character {pos} '{ch}' is not allowed (digits and upper-case letters except I, O, Z, S, V only)"))
    if len(fixed_text) != 18:
        problems.append(_problem(CodeIssue.LENGTH, f"统一社会信用代码应为 18 位，“{fixed_text}”为 {len(fixed_text)} 位", f"a unified social credit code has 18 characters; '{fixed_text}' has {len(fixed_text)}"))
        return problems
    if bad:
        return problems
    region = fixed_text[2:8]
    if not region.isdigit():
        problems.append(_problem(CodeIssue.REGION, f"第 3–8 位应为登记管理机关的行政区划码（6 位数字），实际为“{region}”", f"characters 3–8 are the registering authority's division code (6 digits), not '{region}'"))
    expected = uscc_check_char(fixed_text[:17])
    if fixed_text[17] != expected:
        problems.append(
            _problem(CodeIssue.CHECK, f"统一社会信用代码 {fixed_text} 的校验码（第 18 位）应为“{expected}”，实际为“{fixed_text[17]}”", f"check character (18th) of {fixed_text} should be '{expected}', not '{fixed_text[17]}'", expected=expected)
        )
    org = fixed_text[8:17]
    if org[8] not in "0123456789X":
        problems.append(
            _problem(
                CodeIssue.ORG_CHECK,
                f"第 9–17 位是组织机构代码 {org}，其校验码（第 17 位）只能是数字或 X，应为“{org_check_char(org[:8])}”",
                f"characters 9–17 are the organisation code {org}; its check character (17th) must be a digit or X: '{org_check_char(org[:8])}'",
                expected=org_check_char(org[:8]),
            )
        )
    else:
        org_expected = org_check_char(org[:8])
        if org[8] != org_expected:
            problems.append(
                _problem(
                    CodeIssue.ORG_CHECK,
                    f"第 9–17 位是组织机构代码 {org[:8]}-{org[8]}，其校验码（第 17 位）应为“{org_expected}”",
                    f"characters 9–17 are the organisation code {org[:8]}-{org[8]}; its check character (17th) should be '{org_expected}'",
                    expected=org_expected,
                )
            )
    return problems


# --- 行政区划代码 -----------------------------------------------------------------------------------------------

PROVINCES = frozenset([f"{n}" for n in range(11, 16)] + [f"{n}" for n in range(21, 24)] + [f"{n}" for n in range(31, 38)] + [f"{n}" for n in range(41, 47)] + [f"{n}" for n in range(50, 55)] + [f"{n}" for n in range(61, 66)] + ["71", "81", "82"])

# Township part (digits 7–9) ranges of the statistical code.
TOWNSHIP_RANGES = (
    (1, 99, "街道", "street office"),
    (100, 199, "镇", "town"),
    (200, 399, "乡", "township"),
    (400, 599, "其他乡级单位", "other township-level unit"),
)
# Village part (digits 10–12).
VILLAGE_RANGES = (
    (1, 199, "居委会/社区", "residents' committee"),
    (200, 399, "村委会", "village committee"),
)

# Which code length and which range a unit type implies: {type: (lengths, township range, village range)}.
# A range of None means any. Types not listed (部门, 内设机构 …) are not compared with their code.
_TYPE_EXPECT: dict[str, tuple[tuple[int, ...], tuple[int, int] | None, tuple[int, int] | None]] = {
    "区": ((6,), None, None),
    "县": ((6,), None, None),
    "街道": ((9,), (1, 99), None),
    "镇": ((9,), (100, 199), None),
    "乡": ((9,), (200, 399), None),
    "乡镇": ((9,), (100, 399), None),
    "社区": ((9, 12), None, (1, 199)),  # a 区直管社区 may hold a township-level code
    "居民区": ((12,), None, (1, 199)),
    "村": ((12,), None, (200, 399)),
}


def _range_name(value: int, ranges) -> tuple[str, str] | None:
    for low, high, zh, en in ranges:
        if low <= value <= high:
            return zh, en
    return None


def check_division(code: str, unit_type: str | None = None) -> list[CodeProblem]:
    """Problems of a 行政区划代码 of 6, 9 or 12 digits; soft ones when it does not fit `unit_type`.

    `unit_type` is a canonical unit type (区, 街道, 镇, 乡, 乡镇, 社区, 居民区, 村 …); other types are not compared.
    """
    text = str(code)
    narrow = unicodedata.normalize("NFKC", text).strip()
    if not narrow:
        return [_problem(CodeIssue.EMPTY, "区划代码为空", "the division code is empty")]
    if not narrow.isdigit() or not narrow.isascii():
        return [_problem(CodeIssue.NOT_DIGITS, f"区划代码“{text}”应只含数字", f"division code '{text}' must contain digits only")]
    if len(narrow) not in (6, 9, 12):
        return [_problem(CodeIssue.LENGTH, f"区划代码“{text}”为 {len(narrow)} 位，应为 6 位（县级）、9 位（乡级）或 12 位（村级）", f"division code '{text}' has {len(narrow)} digits; expected 6 (county), 9 (township) or 12 (village)")]
    problems: list[CodeProblem] = []
    if narrow != text:
        problems.append(_problem(CodeIssue.FULL_WIDTH, f"区划代码“{text}”含全角数字或空格，应写作“{narrow}”", f"division code '{text}' contains full-width digits or spaces; write '{narrow}'", expected=narrow))
    province = narrow[:2]
    if province not in PROVINCES:
        problems.append(_problem(CodeIssue.PROVINCE, f"区划代码“{narrow}”的前两位“{province}”不是省级代码", f"division code '{narrow}': '{province}' is not a province code"))
    township = int(narrow[6:9]) if len(narrow) >= 9 else None
    village = int(narrow[9:12]) if len(narrow) == 12 else None
    if township is not None:
        if township == 0:
            problems.append(_problem(CodeIssue.PART_ZERO, f"区划代码“{narrow}”的乡级部分（第 7–9 位）为 000", f"division code '{narrow}': the township part (digits 7–9) is 000"))
        elif _range_name(township, TOWNSHIP_RANGES) is None:
            problems.append(
                _problem(
                    CodeIssue.RANGE,
                    f"区划代码“{narrow}”的乡级部分 {narrow[6:9]} 不在任何范围内（001–099 街道、100–199 镇、200–399 乡、400–599 其他）",
                    f"division code '{narrow}': township part {narrow[6:9]} is outside every range (001–099 street, 100–199 town, 200–399 township, 400–599 other)",
                )
            )
    if village is not None:
        if village == 0:
            problems.append(_problem(CodeIssue.PART_ZERO, f"区划代码“{narrow}”的村级部分（第 10–12 位）为 000", f"division code '{narrow}': the village part (digits 10–12) is 000"))
        elif _range_name(village, VILLAGE_RANGES) is None:
            problems.append(
                _problem(
                    CodeIssue.UNUSUAL,
                    f"区划代码“{narrow}”的村级部分 {narrow[9:12]} 不在常用范围内（001–199 居委会、200–399 村委会）",
                    f"division code '{narrow}': village part {narrow[9:12]} is outside the usual ranges (001–199 residents' committee, 200–399 village committee)",
                    soft=True,
                )
            )
    if unit_type in _TYPE_EXPECT and all(p.issue == CodeIssue.FULL_WIDTH for p in problems):
        problems.extend(_type_fit(narrow, unit_type, township, village))
    return problems


def _type_fit(code: str, unit_type: str, township: int | None, village: int | None) -> list[CodeProblem]:
    lengths, township_range, village_range = _TYPE_EXPECT[unit_type]
    if len(code) not in lengths:
        want = "或".join(str(n) for n in lengths)
        return [
            _problem(
                CodeIssue.TYPE_LENGTH,
                f"类型为“{unit_type}”的单位，区划代码一般为 {want} 位，“{code}”为 {len(code)} 位",
                f"a unit of type {unit_type} usually has a {' or '.join(str(n) for n in lengths)}-digit division code; '{code}' has {len(code)}",
                soft=True,
            )
        ]
    if len(code) == 6 and code[4:6] == "00":
        return [_problem(CodeIssue.TYPE_RANGE, f"类型为“{unit_type}”的单位，区划代码“{code}”的县级部分为 00（那是地市或省的代码）", f"a unit of type {unit_type} has division code '{code}', whose county part 00 denotes a city or province", soft=True)]
    if township_range and township is not None and not township_range[0] <= township <= township_range[1]:
        found = _range_name(township, TOWNSHIP_RANGES)
        return [
            _problem(
                CodeIssue.TYPE_RANGE,
                f"类型为“{unit_type}”的单位，乡级部分应在 {township_range[0]:03d}–{township_range[1]:03d}，“{code}”的 {code[6:9]} 属于{found[0] if found else '其他'}",
                f"a unit of type {unit_type} should have a township part {township_range[0]:03d}–{township_range[1]:03d}; '{code}' has {code[6:9]}, the range of a {found[1] if found else 'other unit'}",
                soft=True,
            )
        ]
    if village_range and village is not None and not village_range[0] <= village <= village_range[1]:
        found = _range_name(village, VILLAGE_RANGES)
        return [
            _problem(
                CodeIssue.TYPE_RANGE,
                f"类型为“{unit_type}”的单位，村级部分应在 {village_range[0]:03d}–{village_range[1]:03d}，“{code}”的 {code[9:12]} 属于{found[0] if found else '其他范围'}",
                f"a unit of type {unit_type} should have a village part {village_range[0]:03d}–{village_range[1]:03d}; '{code}' has {code[9:12]}, the range of a {found[1] if found else 'other unit'}",
                soft=True,
            )
        ]
    return []


def check_division_under(code: str, parent_code: str, parent_name: str = "") -> list[CodeProblem]:
    """A soft problem when a unit's division code does not lie inside its parent unit's (a prefix after zeros trimmed).
    The same code as the parent's is accepted (a government and its area, 区 and 区人民政府).

    A parent code of 6 digits ending in 00 (a city, 510100) or 0000 (a province) covers every code that starts with
    its non-zero part.
    """
    child = unicodedata.normalize("NFKC", str(code)).strip()
    parent = unicodedata.normalize("NFKC", str(parent_code)).strip()
    if not child.isdigit() or not parent.isdigit() or len(parent) not in (6, 9, 12):
        return []
    prefix = parent
    if len(parent) == 6:
        prefix = parent[:2] if parent[2:] == "0000" else parent[:4] if parent[4:] == "00" else parent
    label = f"“{parent_name}”（{parent}）" if parent_name else parent
    label_en = f"{parent_name} ({parent})" if parent_name else parent
    if child == parent or child.startswith(prefix):
        return []
    return [_problem(CodeIssue.NOT_UNDER_PARENT, f"区划代码“{child}”不在上级{label}的区划代码之下", f"division code '{child}' does not lie under its parent {label_en}'s code", soft=True)]
