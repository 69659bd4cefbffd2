"""Codes and ids: each item, unit and list has its own (unique codes, unique list ids, items without a code), and the
official codes have their form (统一社会信用代码 and its embedded 组织机构代码, 行政区划代码, item codes against the
project's profile)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..codes import CodeIssue, CodeProblem, check_division, check_division_under, check_uscc
from ..model import Text
from ..ruleset import ALL_KINDS, Context, Header, Problem, at, at_catalog, rule
from .common import NAMED_KINDS, canonical, line_of


def _report(unit: Item, field: str, problems: list[CodeProblem], zh: str = "", en: str = "") -> Problem:
    """One finding for the problems of a unit's code: the unit, what is said of the code (`zh`, `en`), every problem."""
    return at(unit, field, f"单位“{unit.name}”：{zh}" + "；".join(p.zh for p in problems), f"unit {unit.name}: {en}" + "; ".join(p.en for p in problems))


def _uscc_problems(catalog: Catalog, org_check: bool) -> Iterator[tuple[Item, str, list[CodeProblem]]]:
    """(unit, its `uscc`, problems) for each unit whose code has problems: those of the embedded organisation code's
    check (`org_check`), or all the others; codes.uscc and codes.org-code read the code through the one check."""
    for unit in catalog.items:
        value = unit.data.get("uscc")
        if value is not None:
            problems = [p for p in check_uscc(str(value)) if (p.issue == CodeIssue.ORG_CHECK) == org_check]
            if problems:
                yield unit, str(value), problems


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
    for unit, value, problems in _uscc_problems(catalog, org_check=False):
        yield _report(unit, "uscc", problems, f"统一社会信用代码“{value}”有误：", f"unified social credit code '{value}' is wrong: ")


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
    for unit, value, problems in _uscc_problems(catalog, org_check=True):
        yield _report(unit, "uscc", problems, f"统一社会信用代码“{value}”的", f"unified social credit code '{value}': ")


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
            yield _report(unit, "division", problems)


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
        problems = check_division(str(value), canonical(ctx, "unit_types", unit.data.get("type")))
        if any(not p.soft for p in problems):
            continue  # codes.division reports it
        ancestor = _division_ancestor(unit, ctx)
        if ancestor is not None and not any(not p.soft for p in check_division(str(ancestor.data["division"]))):
            problems = problems + check_division_under(str(value), str(ancestor.data["division"]), ancestor.name)
        if problems:
            yield _report(unit, "division", problems)


@rule("codes.item-profile", "error", "事项编码不符合编码规则", "item code does not match the code profile", kinds=ALL_KINDS)
def item_profile(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    项目文件 `profiles.item_codes` 可以按清单类型给出事项编码的结构（正则表达式，整个编码须匹配），如权责清单
    `power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'`。各地编码方案不同（实施编码 31 位、湖北 16 位职权编码……），所以没有
    内置规则：未配置时本规则不检查。只检查有 `code` 的事项（机构名录为单位编码）。

    GIVEN:
        kind: project
        profiles: {item_codes: {power: '^\\d{6}-[A-Z]\\d{2}-\\d{3}$'}}
    PASS:
        kind: power
        items: [{code: "310112-A02-001", name: 对违法建设的处罚}]
    FAIL:
        kind: power
        items:
          - {code: "310112-A2-001", name: 对违法建设的处罚}   # 不符合编码规则

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


# --- identity: each item, unit and list has its own code or id ---------------------------------------------------------


def _uniqueness_key(code: str) -> str:
    """Codes compare after width normalisation, without spaces, case-insensitively: "ＸＸ-001 " equals "xx-001"."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()  # split() splits on exactly what \s matches


_ITEM_CODE = ("code",)


def _codes(catalog: Catalog) -> Iterator[tuple[Item, tuple, str, str]]:
    """(item, pointer of the code within the item, code, "item"/"subitem") of every item code and sub-item code."""
    for item in catalog.items:
        code = item.code
        if code:
            yield item, _ITEM_CODE, code, "item"
        subitems = item.data.get("subitems")
        if subitems:
            for index, sub in enumerate(subitems):
                if isinstance(sub, dict) and sub.get("code") not in (None, ""):
                    yield item, ("subitems", index, "code"), str(sub["code"]), "subitem"


@rule("codes.unique", "error", "事项编码重复", "duplicate item code", kinds=NAMED_KINDS)
def unique_codes(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    事项编码 `code` 在一份清单内必须唯一；权责清单中子项 `subitems` 的编码也不得与任何事项或其他子项的编码相同；
    类别编码在同一清单内也不得重复。编码是版本比对（动态调整）的依据，重复的编码会让比对把两个事项当成一个。
    比较时不区分全角半角、大小写，忽略空格。报告在后出现的一处，并指出先出现的那一处。

    PASS:
        - {code: "XX-XK-001", name: 临时占用城市道路审批}
        - {code: "XX-XK-002", name: 在城市建筑物、设施上张挂、张贴宣传品审批}
    FAIL:
        - {code: "XX-XK-001", name: 临时占用城市道路审批}
        - {code: "XX-XK-001", name: 在城市建筑物、设施上张挂、张贴宣传品审批}   # 编码重复
    FAIL:
        kind: power
        items:
          - code: XX-CF-001
            name: 对违反燃气管理规定的处罚
            subitems: [{code: XX-CF-002, name: 对擅自经营燃气的处罚}]
          - {code: XX-CF-002, name: 对露天烧烤的处罚}      # 与上一事项子项的编码相同

    English:
    Item codes must be unique within a list; in a power list the codes of `subitems` must not equal any item's or
    other sub-item's code; category codes must not repeat either. Codes are what version comparison (yearly
    adjustment) matches on, so a repeated code makes it treat two items as one. Codes compare regardless of width,
    case and spaces. The later occurrence is reported and the message names the earlier one.
    """
    seen: dict[str, tuple[Item, tuple, str]] = {}
    for item, within, item_code, what in _codes(catalog):
        key = _uniqueness_key(item_code)
        if not key:
            continue
        entry = (item, within, what)
        earlier = seen.setdefault(key, entry)
        if earlier is not entry:
            first_item, first_within, first_what = earlier
            first_pointer, pointer = first_item.pointer + first_within, item.pointer + within
            line = line_of(catalog, first_pointer)
            first_zh = f"{'子项' if first_what == 'subitem' else '事项'}“{first_item.name if first_what == 'item' else _sub_name(first_item, first_pointer)}”（第 {line} 行）"
            first_en = f"{'sub-item' if first_what == 'subitem' else 'item'} '{first_item.name if first_what == 'item' else _sub_name(first_item, first_pointer)}' (line {line})"
            this_zh = f"子项“{_sub_name(item, pointer)}”" if what == "subitem" else f"事项“{item.name}”"
            this_en = f"sub-item '{_sub_name(item, pointer)}'" if what == "subitem" else f"item '{item.name}'"
            yield Problem(
                catalog,
                pointer,
                Text(
                    f"{this_zh}的编码“{item_code}”与{first_zh}重复；编码在清单内必须唯一",
                    f"{this_en} reuses code '{item_code}' of {first_en}; codes must be unique within a list",
                ),
                item,
            )
    category_codes: dict[str, int] = {}
    for index, category in enumerate(catalog.categories):
        code = category.get("code")
        if code in (None, ""):
            continue
        key = _uniqueness_key(str(code))
        if key in category_codes:
            first = catalog.categories[category_codes[key]]
            line = line_of(catalog, ("categories", category_codes[key], "code"))
            yield at_catalog(
                catalog,
                ("categories", index, "code"),
                f"类别“{category.get('name')}”的编码“{code}”与类别“{first.get('name')}”（第 {line} 行）重复",
                f"category '{category.get('name')}' reuses code '{code}' of category '{first.get('name')}' (line {line})",
            )
        else:
            category_codes[key] = index


def _sub_name(item: Item, pointer: tuple) -> str:
    sub = (item.data.get("subitems") or [])[pointer[len(item.pointer) + 1]]
    return str(sub.get("name") or "")


@rule("codes.unique-unit", "error", "机构编码重复", "duplicate unit code", scope="set")
def unique_unit_codes(ctx: Context) -> Iterator[Problem]:
    """
    机构名录中每个单位的编码 `code` 在整个清单库（所有名录文件）中必须唯一：其他清单用编码引用单位，
    同一编码指向两个单位时引用就有歧义。比较时不区分全角半角、大小写，忽略空格。

    GIVEN:
        # registry-a.yaml
        kind: registry
        units: [{code: HB, name: 河滨街道办事处, type: 街道}]
    PASS:
        # registry-b.yaml
        kind: registry
        units: [{code: HB-SQ, name: 河滨社区, type: 社区}]
    FAIL:
        # registry-b.yaml
        kind: registry
        units: [{code: HB, name: 河滨社区, type: 社区}]     # 编码 HB 已被 registry-a.yaml 使用

    English:
    A registry unit's `code` must be unique across the whole set (every registry file): other lists refer to units by
    code, and a code shared by two units makes those references ambiguous. Codes compare regardless of width, case and
    spaces.
    """
    seen: dict[str, Item] = {}
    for registry in ctx.of_kind("registry"):
        for unit in registry.items:
            if not unit.code:
                continue
            key = _uniqueness_key(unit.code)
            first = seen.get(key)
            if first is None:
                seen[key] = unit
                continue
            line = line_of(first.catalog, first.pointer + ("code",))
            where_zh = f"第 {line} 行" if first.catalog is registry else f"{first.catalog.path} 第 {line} 行"
            where_en = f"line {line}" if first.catalog is registry else f"{first.catalog.path} line {line}"
            yield at(
                unit,
                "code",
                f"单位“{unit.name}”的编码“{unit.code}”已被单位“{first.name}”（{where_zh}）使用；机构编码在清单库中必须唯一",
                f"unit '{unit.name}' reuses code '{unit.code}' of unit '{first.name}' ({where_en}); unit codes must be unique across the set",
            )


@rule("codes.missing", "info", "事项没有编码", "item without a code", kinds=NAMED_KINDS)
def missing_codes(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    事项没有编码 `code`。编码可以不填，但版本比对（`govlist diff`）只能退而按名称匹配，事项改名（如
    婚育状况证明 → 生育状况证明）就会被误报为一删一增。清单中部分事项有编码、部分没有时逐项提示；
    整份清单都没有编码时只在清单开头提示一次。

    PASS:
        - {code: "001", name: 婚育状况证明}
        - {code: "002", name: 出生证明}
    FAIL:
        - {code: "001", name: 婚育状况证明}
        - {name: 出生证明}                     # 没有编码

    English:
    An item has no `code`. Codes are optional, but version comparison (`govlist diff`) then falls back to names, and a
    renamed item (婚育状况证明 → 生育状况证明) shows up as one removed and one added. When only some items lack a
    code each is reported; when the whole list has none, it is reported once at the top of the list.
    """
    if not catalog.items:
        return
    missing = [item for item in catalog.items if not (code := item.code) or not code.strip()]
    if not missing:
        return
    if len(missing) == len(catalog.items):
        body = "categories" if catalog.categories else "items"
        yield at_catalog(
            catalog,
            (body,),
            f"清单的 {len(missing)} 个事项都没有编码，版本比对只能按名称匹配，改名的事项会被误报为删除和新增",
            f"none of the {len(missing)} items has a code; version comparison can only match by name, so renamed items show up as removed and added",
        )
        return
    for item in missing:
        yield at(
            item,
            "name",
            f"事项“{item.name}”没有编码，版本比对只能按名称匹配",
            f"item '{item.name}' has no code; version comparison can only match it by name",
        )


@rule("catalog.duplicate-id", "error", "清单标识重复", "duplicate list id", scope="set")
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """
    清单头部的 `id` 在整个清单库中必须唯一：其他清单（如网格清单、准入规则的 `applies_to`）用它引用清单，
    版本比对也用它配对新旧文件。复制旧文件做新版本时忘记改 `id` 是常见原因。

    PASS:
        # street-duty-2023.yaml
        id: gumei-street-duty-2023
        items: [{name: 违法建设巡查}]
        ---
        # street-duty-2024.yaml
        id: gumei-street-duty-2024
        items: [{name: 违法建设巡查}]
    FAIL:
        # street-duty-2023.yaml
        id: gumei-street-duty
        items: [{name: 违法建设巡查}]
        ---
        # street-duty-2024.yaml
        id: gumei-street-duty      # 与另一文件相同
        items: [{name: 违法建设巡查}]

    English:
    The header `id` must be unique across the set: other lists (grid lists, the `applies_to` of entry rules) refer to
    a list by it, and version comparison pairs files by it. Copying last year's file and forgetting to change the
    `id` is the usual cause.
    """
    seen: dict[str, Header] = {}
    for header in ctx.headers():  # the headers alone: a run kept while no list's id, title or file changes
        if not header.id:
            continue
        first = seen.get(header.id)
        if first is None:
            seen[header.id] = header
            continue
        yield at_catalog(
            ctx.catalog_at(header.number),
            ("id",),
            f"清单标识“{header.id}”与 {first.path}（{first.title}）重复；清单标识在清单库中必须唯一",
            f"list id '{header.id}' is also the id of {first.path} ({first.title}); list ids must be unique across the set",
        )
