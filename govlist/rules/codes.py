"""Codes: 统一社会信用代码 and its embedded 组织机构代码, 行政区划代码, and item codes against the project's profile."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..codes import CodeIssue, CodeProblem, check_division, check_division_under, check_uscc
from ..ruleset import ALL_KINDS, Context, Problem, at, rule


def _joined(problems: list[CodeProblem]) -> tuple[str, str]:
    return "；".join(p.zh for p in problems), "; ".join(p.en for p in problems)


def _prefix(unit: Item) -> tuple[str, str]:
    return f"单位“{unit.name}”：", f"unit {unit.name}: "


@rule("codes.uscc", "error", "统一社会信用代码有误", "malformed unified social credit code", kinds=["registry"])
def uscc(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    机构名录中单位的 `uscc` 必须是有效的统一社会信用代码（GB 32100-2015）：18 位，只用数字和除 I、O、Z、S、V
    以外的大写字母；第 3–8 位为登记管理机关行政区划码；第 18 位是校验码（第 i 位权数为 3^i mod 31，
    校验码 = 字符集[(31 − Σ mod 31) mod 31]）。消息指出应有的校验码。全角字符、小写字母、空格、把数字 0 写成
    字母 O（1 写成 I）分别给出具体提示，校验码按改正后的代码计算。登记机关所在地可以与单位服务的区域不同，
    不作比对。内嵌组织机构代码的校验由 `codes.org-code` 检查。

    PASS:
        - {code: A1, name: 示例单位, uscc: "12441500196720244T"}
    FAIL:
        - {code: A1, name: 示例单位, uscc: "12441500196720244A"}   # 校验码应为 T
        - {code: A2, name: 示例中心, uscc: "1244150019672O244T"}   # 第 14 位是字母 O，应为数字 0

    English:
    A registry unit's `uscc` must be a valid unified social credit code (GB 32100-2015): 18 characters from the digits
    and the upper-case letters except I, O, Z, S, V; characters 3–8 are the registering authority's division code; the
    18th is the check character (weight of position i is 3^i mod 31; check = alphabet[(31 − Σ mod 31) mod 31]). The
    message names the expected check character. Full-width characters, lower case, spaces, and the letter O for the
    digit 0 (I for 1) get their own messages, and the check is computed on the corrected code. The registering region
    may differ from the area the unit serves and is not compared with it. The embedded organisation code's check is
    `codes.org-code`.
    """
    for unit in catalog.items:
        value = unit.data.get("uscc")
        if value is None:
            continue
        problems = [p for p in check_uscc(str(value)) if p.issue != CodeIssue.ORG_CHECK]
        if problems:
            zh, en = _joined(problems)
            pzh, pen = _prefix(unit)
            yield at(unit, "uscc", f"{pzh}统一社会信用代码“{value}”有误：{zh}", f"{pen}unified social credit code '{value}' is wrong: {en}")


@rule("codes.org-code", "error", "内嵌组织机构代码校验不符", "embedded organisation code fails its check", kinds=["registry"])
def org_code(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    统一社会信用代码第 9–17 位是组织机构代码（GB 11714），有自己的校验码（第 17 位）：本体 8 位的权数为
    3、7、9、10、5、8、4、2（字母 A–Z 取值 10–35），校验码 = 11 − Σ mod 11，10 记作 X，11 记作 0。
    第 18 位正确而第 17 位不对，说明代码在生成校验码之前就抄错了，或是编造的号码。

    PASS:
        - {code: A1, name: 示例单位, uscc: "11511301008778183N"}   # 内嵌 00877818-3
    FAIL:
        - {code: A1, name: 示例单位, uscc: "11511301008778184R"}   # 第 18 位按前 17 位算是对的，但 00877818 的校验码应为 3

    English:
    Characters 9–17 of a unified social credit code are the organisation code (GB 11714), with its own check character
    (the 17th): weights 3, 7, 9, 10, 5, 8, 4, 2 on the 8 body characters (letters A–Z count 10–35), check = 11 − Σ mod
    11, where 10 is written X and 11 is 0. A correct 18th character with a wrong 17th means the code was miscopied
    before its check was computed, or made up.
    """
    for unit in catalog.items:
        value = unit.data.get("uscc")
        if value is None:
            continue
        problems = [p for p in check_uscc(str(value)) if p.issue == CodeIssue.ORG_CHECK]
        if problems:
            zh, en = _joined(problems)
            pzh, pen = _prefix(unit)
            yield at(unit, "uscc", f"{pzh}统一社会信用代码“{value}”的{zh}", f"{pen}unified social credit code '{value}': {en}")


def _unit_type(unit: Item, ctx: Context) -> str | None:
    value = unit.data.get("type")
    if value is None:
        return None
    canonical, _ = ctx.project.vocabulary("unit_types").resolve(str(value))
    return canonical or str(value)


@rule("codes.division", "error", "区划代码有误", "malformed division code", kinds=["registry"])
def division(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    单位的 `division` 是行政区划代码（GB/T 2260）或统计用区划代码：6 位（省 2 + 市 2 + 县 2）、9 位（+ 乡级 3）
    或 12 位（+ 村级 3）数字。前两位必须是省级代码（11–15、21–23、31–37、41–46、50–54、61–65、71、81、82）；
    乡级部分不能是 000，且须在 001–099（街道）、100–199（镇）、200–399（乡）、400–599（其他乡级单位）之内；
    村级部分不能是 000。

    PASS:
        - {code: A1, name: 示例社区, division: "220581102001"}   # 梅河口市 …102 镇 001 社区
    FAIL:
        - {code: A1, name: 示例街道, division: "960108001"}      # 96 不是省级代码
        - {code: A2, name: 示例乡, division: "510108700"}        # 乡级部分 700 不在任何范围内

    English:
    A unit's `division` is an administrative division code (GB/T 2260) or its statistical extension: 6 digits (province
    2 + city 2 + county 2), 9 (+ township 3) or 12 (+ village 3). The first two digits must be a province code (11–15,
    21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82); the township part may not be 000 and must lie in 001–099 (street
    office), 100–199 (town), 200–399 (township) or 400–599 (other township-level units); the village part may not be
    000.
    """
    for unit in catalog.items:
        value = unit.data.get("division")
        if value is None:
            continue
        problems = [p for p in check_division(str(value)) if not p.soft]
        if problems:
            zh, en = _joined(problems)
            pzh, pen = _prefix(unit)
            yield at(unit, "division", pzh + zh, pen + en)


def _division_ancestor(unit: Item, ctx: Context) -> Item | None:
    """The nearest registry ancestor (by `parent` codes over the whole set) that has a division code."""
    seen = {id(unit)}
    current = unit
    while True:
        parent_code = current.data.get("parent")
        if parent_code is None:
            return None
        parent = ctx.units.by_code.get(str(parent_code))
        if parent is None or id(parent) in seen:
            return None
        if parent.data.get("division") is not None:
            return parent
        seen.add(id(parent))
        current = parent


@rule("codes.division-range", "warning", "区划代码与单位类型或上级不符", "division code does not fit the unit's type or parent", kinds=["registry"])
def division_range(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    区划代码的位数和范围应与单位类型相符：区/县 6 位；街道 9 位且乡级部分在 001–099，镇 100–199，乡 200–399
    （乡镇 100–399）；居民区 12 位、社区 9 或 12 位，村级部分在 001–199；村 12 位，村级部分在 200–399。
    村级部分超出 001–399 的也提示。单位的区划代码还应落在上级单位（沿 `parent` 向上第一个有区划代码的单位）
    的代码之内。现实中有例外（如北京的地区办事处 110117004 下辖村委会），所以只是警告；确属例外的，可用
    `# govlist: ignore[codes.division-range] 原因：…` 说明。

    PASS:
        - {code: JD01, name: 古美路街道, type: 街道, division: "310112006"}
        - {code: JW01, name: 古美一村居民区, type: 居民区, parent: JD01, division: "310112006001"}
    FAIL:
        - {code: JD01, name: 古美路街道, type: 街道, division: "310112106"}   # 106 是镇的范围
        - {code: C01, name: 春明村, type: 村, parent: JD01, division: "310113006201"}   # 不在 310112006 之下

    English:
    A division code's length and range should fit the unit's type: 区/县 6 digits; 街道 9 digits with a township part in
    001–099, 镇 100–199, 乡 200–399 (乡镇 100–399); 居民区 12 digits and 社区 9 or 12, village part 001–199; 村 12 digits,
    village part 200–399. A village part outside 001–399 is reported too. A unit's code should also lie inside its
    parent's (the nearest unit up the `parent` chain that has a division code). Real exceptions exist (Beijing's 地区办事处
    110117004 holds village committees), hence a warning; mark a genuine exception with an inline ignore and a reason.
    """
    for unit in catalog.items:
        value = unit.data.get("division")
        if value is None:
            continue
        problems = check_division(str(value), _unit_type(unit, ctx))
        if any(not p.soft for p in problems):
            continue  # codes.division reports it
        ancestor = _division_ancestor(unit, ctx)
        if ancestor is not None and not any(not p.soft for p in check_division(str(ancestor.data["division"]))):
            problems = problems + check_division_under(str(value), str(ancestor.data["division"]), ancestor.name)
        if problems:
            zh, en = _joined(problems)
            pzh, pen = _prefix(unit)
            yield at(unit, "division", pzh + zh, pen + en)


@rule("codes.item-profile", "error", "事项编码不符合编码规则", "item code does not match the code profile", kinds=ALL_KINDS)
def item_profile(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    项目文件 `profiles.item_codes` 可以按清单类型给出事项编码的结构（正则表达式，整个编码须匹配），如权责清单
    `power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'`。各地编码方案不同（实施编码 31 位、湖北 16 位职权编码……），所以没有
    内置规则：未配置时本规则不检查。只检查有 `code` 的事项（机构名录为单位编码）。

    PASS:
        kind: power
        items:
          - {code: "310112-A02-001", name: 对违法建设的处罚}
        ---
        kind: project
        profiles: {item_codes: {power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'}}
    FAIL:
        kind: power
        items:
          - {code: "310112-A2-001", name: 对违法建设的处罚}   # 不符合编码规则
        ---
        kind: project
        profiles: {item_codes: {power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'}}

    English:
    The project file's `profiles.item_codes` may give, per list kind, the structure of item codes as a regular
    expression that the whole code must match, e.g. for power lists `power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'`. Schemes differ
    by province (31-character 实施编码, Hubei's 16-digit 职权编码 …), so nothing is built in: without a profile the rule
    stays quiet. Only items with a `code` are checked (for a registry, its units' codes).
    """
    pattern = ctx.project.item_code_patterns.get(catalog.kind)
    if pattern is None:
        return
    for item in catalog.items:
        code = item.code
        if code is not None and not pattern.fullmatch(code):
            yield at(
                item,
                "code",
                f"事项“{item.name}”的编码“{code}”不符合项目为 {catalog.kind} 清单规定的编码规则 {pattern.pattern}",
                f"item {item.name}: code '{code}' does not match the project's code profile for {catalog.kind} lists, {pattern.pattern}",
            )
