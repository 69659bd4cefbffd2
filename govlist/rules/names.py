"""Identity of items and lists: unique codes, unique list ids, duplicate, near-duplicate and run-together names.

Longer than 500 lines because each rule's docstring is its bilingual user documentation; the code is short.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import chain

from ..catalog import Catalog, Item
from ..model import Text
from ..normalize import similarity
from ..ruleset import LIST_KINDS, Context, Problem, at, at_catalog, rule

#: Lists whose items are compared by name and code (registries are checked by `codes.unique-unit`).
NAMED_KINDS = LIST_KINDS | {"entry-rules"}

#: Similarity check: threshold, the shortest normalised name compared, and the largest group compared pairwise.
NEAR_RATIO = 0.9
NEAR_MIN_LENGTH = 6
NEAR_MAX_GROUP = 2000
#: At most this many exact comparisons per list; beyond it the similarity check stops for that list.
NEAR_MAX_COMPARISONS = 200_000
#: Names longer than this (normalised characters) are not compared by similarity.
NEAR_MAX_LENGTH = 10_000

#: The shortest part (normalised characters) that `names.run-together` accepts on each side of a split.
RUN_TOGETHER_MIN_PART = 2


def _code_key(code: str) -> str:
    """Codes compare after width normalisation, without spaces, case-insensitively: "ＸＸ-001 " equals "xx-001"."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()  # split() splits on exactly what \s matches


def _line(catalog: Catalog, pointer: tuple) -> int:
    return catalog.doc.position(pointer)[0]


def _ref(item: Item, field: str = "name") -> tuple[str, str]:
    """How a message points back at an earlier item: (zh, en) with its line and code."""
    line = _line(item.catalog, item.pointer + (field,))
    code = f"（编码 {item.code}）" if item.code else ""
    code_en = f" (code {item.code})" if item.code else ""
    return f"第 {line} 行{code}", f"line {line}{code_en}"


# --------------------------------------------------------------------------------------------------------------- codes


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
    entries: list[tuple[Item, tuple, str, str]] = []  # (item, pointer of the code, code, "事项"/"子项")
    for item in catalog.items:
        code = item.code
        if code:
            entries.append((item, item.pointer + ("code",), code, "item"))
        subitems = item.data.get("subitems")
        for index, sub in enumerate(subitems or ()):
            if isinstance(sub, dict) and sub.get("code") not in (None, ""):
                entries.append((item, item.pointer + ("subitems", index, "code"), str(sub["code"]), "subitem"))
    for item, pointer, code, what in entries:
        key = _code_key(code)
        if not key:
            continue
        if key in seen:
            first_item, first_pointer, first_what = seen[key]
            line = _line(catalog, first_pointer)
            first_zh = f"{'子项' if first_what == 'subitem' else '事项'}“{first_item.name if first_what == 'item' else _sub_name(first_item, first_pointer)}”（第 {line} 行）"
            first_en = f"{'sub-item' if first_what == 'subitem' else 'item'} '{first_item.name if first_what == 'item' else _sub_name(first_item, first_pointer)}' (line {line})"
            this_zh = f"子项“{_sub_name(item, pointer)}”" if what == "subitem" else f"事项“{item.name}”"
            this_en = f"sub-item '{_sub_name(item, pointer)}'" if what == "subitem" else f"item '{item.name}'"
            yield Problem(
                catalog,
                pointer,
                Text(
                    f"{this_zh}的编码“{code}”与{first_zh}重复；编码在清单内必须唯一",
                    f"{this_en} reuses code '{code}' of {first_en}; codes must be unique within a list",
                ),
                item,
            )
        else:
            seen[key] = (item, pointer, what)
    category_codes: dict[str, int] = {}
    for index, category in enumerate(catalog.categories):
        code = category.get("code")
        if code in (None, ""):
            continue
        key = _code_key(str(code))
        if key in category_codes:
            first = catalog.categories[category_codes[key]]
            line = _line(catalog, ("categories", category_codes[key], "code"))
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

    PASS:
        # registry-a.yaml
        kind: registry
        units: [{code: HB, name: 河滨街道办事处, type: 街道}]
        ---
        # registry-b.yaml
        kind: registry
        units: [{code: HB-SQ, name: 河滨社区, type: 社区}]
    FAIL:
        # registry-a.yaml
        kind: registry
        units: [{code: HB, name: 河滨街道办事处, type: 街道}]
        ---
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
            key = _code_key(unit.code)
            first = seen.get(key)
            if first is None:
                seen[key] = unit
                continue
            line = _line(first.catalog, first.pointer + ("code",))
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
    missing = [item for item in catalog.items if not item.code or not item.code.strip()]
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
    seen: dict[str, Catalog] = {}
    for catalog in ctx.catalogs:
        if not catalog.id:
            continue
        first = seen.get(catalog.id)
        if first is None:
            seen[catalog.id] = catalog
            continue
        yield at_catalog(
            catalog,
            ("id",),
            f"清单标识“{catalog.id}”与 {first.path}（{first.title}）重复；清单标识在清单库中必须唯一",
            f"list id '{catalog.id}' is also the id of {first.path} ({first.title}); list ids must be unique across the set",
        )


# --------------------------------------------------------------------------------------------------------------- names


@rule("names.duplicate", "error", "事项名称重复", "duplicate item name", kinds=NAMED_KINDS)
def duplicate_names(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    同一清单内两个事项名称相同。比较前统一全角半角、去掉标点和空格、不区分大小写，所以
    “居民身份证申领（换领）”与“居民身份证申领(换领)”视为同名。报告后出现的一处，并指出先出现的那一处的行号和编码。
    同一事项确需在两个类别出现时，请合并，或在名称中写明区别。

    PASS:
        - {code: "001", name: 婚育状况证明}
        - {code: "002", name: 居住证明}
    FAIL:
        - {code: "001", name: 居民身份证申领（换领）}
        - {code: "009", name: 居民身份证申领(换领)}     # 与 001 同名（仅括号全角半角不同）

    English:
    Two items of one list have the same name, compared after width normalisation, without punctuation or spaces and
    regardless of case, so 居民身份证申领（换领） and 居民身份证申领(换领) are the same. The later one is reported and
    the message gives the line and code of the first. If one item really belongs in two categories, merge them or
    make the names say what differs.
    """
    first: dict[str, Item] = {}
    for item in catalog.items:
        key = item.key
        if not key:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = item
            continue
        where_zh, where_en = _ref(earlier)
        same = "完全相同" if earlier.name == item.name else f"规范化后相同（“{earlier.name}”）"
        same_en = "identical" if earlier.name == item.name else f"the same after normalisation ('{earlier.name}')"
        yield at(
            item,
            "name",
            f"事项名称“{item.name}”与{where_zh}的事项{same}",
            f"item name '{item.name}' duplicates the item at {where_en}: {same_en}",
        )


_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百零〇ⅰ-ⅿⅠ-Ⅿ甲乙丙丁]")


def _differ_only_by_numbers(a: str, b: str) -> bool:
    """Numbered variants (…（一） / …（二）, 第1批 / 第2批) are deliberate, not near-duplicates."""
    return a != b and _NUMERALS.sub("#", a) == _NUMERALS.sub("#", b)


def _differ_by_a_word(a: str, b: str) -> bool:
    """Names of one length that differ in one place by two characters or more (备案 / 核准) name different things: a
    typo is one character, and a transposition (核准 / 准核) has the same characters."""
    if len(a) != len(b):
        return False
    start = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    end = len(a)
    while end > start and a[end - 1] == b[end - 1]:
        end -= 1
    return end - start >= 2 and sorted(a[start:end]) != sorted(b[start:end])


@rule("names.near-duplicate", "warning", "事项名称近似重复", "near-duplicate item names", kinds=NAMED_KINDS)
def near_duplicate_names(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    两个事项名称几乎相同，多半是同一事项录了两次：
    一是去掉名称末尾括号注释后相同，如“婚育状况证明”与“婚育状况证明（表现证明）”（两者都带注释且注释不同，
    视为有意区分，不报告）；
    二是同一类别内规范化名称（6 个字以上）的相似度不低于 0.9，如一字之差的错别字或多了一个字。只有编号不同的
    名称（“……（一）”“……（二）”），以及同一处换了一个两字以上的词的名称（“备案”与“核准”）不报告。完全同名的由
    `names.duplicate` 报告。

    为了在十万项的清单上也能很快完成，相似度只在同一类别内比较；超过 2000 项的类别、超过 10000 字的名称，以及一份清单中
    超过 20 万次的比较都会跳过，并在跳过开始处的事项上说明。

    PASS:
        - {name: 婚育状况证明}
        - {name: 居住证明}
    PASS:
        - {name: 对违反企业投资项目备案管理规定行为的处罚}
        - {name: 对违反企业投资项目核准管理规定行为的处罚}  # 备案与核准：不同的词，不是错别字
    FAIL:
        - {name: 婚育状况证明}
        - {name: 婚育状况证明（表现证明）}       # 去掉括号注释后同名
    FAIL:
        - {name: 城市生活无着的流浪乞讨人员救助}
        - {name: 城市生活无着流浪乞讨人员救助}  # 相似度 0.97

    English:
    Two item names are almost the same, most often one item entered twice: either they are equal once a trailing
    parenthesised gloss is removed (婚育状况证明 and 婚育状况证明（表现证明）; when both carry different glosses they
    are taken as deliberately distinguished), or, within one category, their normalised names (6 characters or more)
    have a similarity of 0.9 or more (a typo, a character more or less). Names that differ only in their numbering
    (…（一） / …（二）), or by one word of two characters or more in one place (备案 / 核准), are not reported. Exact duplicates are `names.duplicate`'s.

    To stay fast on lists of 100,000 items, similarity is compared within a category only; a category of more than
    2,000 items, a name of more than 10,000 characters and comparisons past 200,000 in one list are skipped, and the
    rule says so at the item where the skipping starts.
    """
    reported: set[tuple[int, int]] = set()
    by_stripped: dict[str, list[Item]] = {}
    for item in catalog.items:
        full = item.key
        if not full:
            continue
        stripped = item.stripped_key
        group = by_stripped.setdefault(stripped, [])
        for earlier in group:
            earlier_full = earlier.key
            if earlier_full == full:
                break  # an exact duplicate: names.duplicate reports it
            has_gloss = earlier.stripped_key != earlier_full, stripped != full
            if all(has_gloss):
                continue  # both glossed, differently: deliberately distinguished
            reported.add((id(earlier), id(item)))
            where_zh, where_en = _ref(earlier)
            yield at(
                item,
                "name",
                f"事项名称“{item.name}”与{where_zh}的“{earlier.name}”去掉括号注释后相同，可能重复",
                f"item name '{item.name}' equals '{earlier.name}' at {where_en} once the gloss in brackets is removed; possibly a duplicate",
            )
            break
        group.append(item)
    yield from _similar_names(catalog, reported)


def _similar_names(catalog: Catalog, reported: set[tuple[int, int]]) -> Iterator[Problem]:
    groups: dict[object, list[Item]] = {}
    for item in catalog.items:
        groups.setdefault(item.category_index, []).append(item)
    budget = [NEAR_MAX_COMPARISONS]
    for items in groups.values():
        if len(items) > NEAR_MAX_GROUP:
            yield _skipped(items[0], f"这一类别有 {len(items)} 项，超过 {NEAR_MAX_GROUP} 项，未做名称相似度比较", f"this category has {len(items)} items, more than {NEAR_MAX_GROUP}; names were not compared by similarity")
            continue
        names = [item.key if len(item.key) <= NEAR_MAX_LENGTH else "" for item in items]
        too_long = [item for item, name in zip(items, names) if not name and item.key]
        if too_long:
            yield _skipped(too_long[0], f"{len(too_long)} 个事项名称超过 {NEAR_MAX_LENGTH} 字，未做相似度比较（从此项起）", f"{len(too_long)} item names longer than {NEAR_MAX_LENGTH} characters were not compared by similarity (from this one on)")
        for i, j, ratio in _similar_pairs(names, budget):
            earlier, item = items[i], items[j]
            if (id(earlier), id(item)) in reported or _differ_only_by_numbers(names[i], names[j]) or _differ_by_a_word(names[i], names[j]):
                continue
            if earlier.stripped_key == item.stripped_key:
                continue  # the gloss check above has decided about this pair
            where_zh, where_en = _ref(earlier)
            yield at(
                item,
                "name",
                f"事项名称“{item.name}”与{where_zh}的“{earlier.name}”高度相似（相似度 {ratio:.2f}），可能重复或有错别字",
                f"item name '{item.name}' is very similar to '{earlier.name}' at {where_en} (similarity {ratio:.2f}); possibly a duplicate or a typo",
            )
        if budget[0] <= 0:
            yield _skipped(items[-1], f"名称相似度比较已达 {NEAR_MAX_COMPARISONS} 次上限，此后的名称未比较", f"name similarity reached its limit of {NEAR_MAX_COMPARISONS} comparisons; later names were not compared")
            return


def _skipped(item: Item, zh: str, en: str) -> Problem:
    """What the similarity check left out, said at the item where it starts."""
    return at(item, "name", zh, en)


def _bigrams(name: str) -> list[str]:
    """The character bigrams of a name as distinct tokens: a repeat gets chr(occurrence) appended ("ab", "ab" + chr(1) …).

    Strings hash and sort faster than the (bigram, occurrence) pairs they stand for, and sort in the same order.
    """
    grams = [name[k : k + 2] for k in range(len(name) - 1)]
    if len(set(grams)) == len(grams):
        return grams
    seen: dict[str, int] = {}
    numbered = []
    for gram in grams:
        count = seen.get(gram, 0)
        seen[gram] = count + 1
        numbered.append(gram + chr(count) if count else gram)
    return numbered


def _similar_pairs(names: list[str], budget: list[int]) -> Iterator[tuple[int, int, float]]:
    """(i, j, ratio) with i < j for names whose similarity is at least NEAR_RATIO, both at least NEAR_MIN_LENGTH long.

    Candidates come from a prefix filter over character bigrams (rarest first): a pair with ratio ≥ 0.9 differs by at
    most D = ⌊0.1·(la + lb)⌋ inserted or deleted characters, each breaking at most two bigrams, so both names share
    at least t bigrams and their rarest (n − t + 1) bigrams must meet. Only candidates are compared exactly.
    """
    tokens = [_bigrams(name) if len(name) >= NEAR_MIN_LENGTH else None for name in names]
    frequency = Counter(chain.from_iterable(toks for toks in tokens if toks is not None))
    lengths = [len(name) for name in names]
    shortest_ratio = NEAR_RATIO / (2 - NEAR_RATIO)  # a partner is at least this fraction of the longer name
    index: dict[str, list[int]] = {}
    start: dict[str, int] = {}
    # shortest first, so that every posting list is sorted by length and too-short entries can be skipped for good
    eligible = [k for k, toks in enumerate(tokens) if toks is not None]
    for j in sorted(eligible, key=lengths.__getitem__):  # a stable sort: equal lengths stay in list order
        toks = tokens[j]
        length = lengths[j]
        longest = int(length / shortest_ratio)
        edits = int(0.1 * (length + longest) + 1e-9)
        shared = length - 1 - 2 * edits
        prefix_size = len(toks) if shared <= 0 else len(toks) - shared + 1
        # a bigram no other name has can never meet: leave those (the rarest, so the first of the prefix) out
        common = [tok for tok in toks if frequency[tok] > 1]
        prefix_size -= len(toks) - len(common)
        if prefix_size <= 0:
            continue
        prefix = sorted(sorted(common), key=frequency.__getitem__)[:prefix_size]  # rarest first, ties by token
        too_short = length * shortest_ratio
        candidates: set[int] = set()
        for tok in prefix:
            postings = index.get(tok)
            if postings:
                first = start[tok]
                while first < len(postings) and lengths[postings[first]] < too_short:
                    first += 1
                start[tok] = first
                candidates.update(postings[first:])
            else:
                index[tok] = postings = []
                start[tok] = 0
            postings.append(j)
        if not candidates:
            continue
        mine = frozenset(toks)
        for i in candidates:
            other = lengths[i]
            if len(mine.intersection(tokens[i])) < length - 1 - 2 * int(0.1 * (length + other) + 1e-9) or names[i] == names[j]:
                continue  # too few shared bigrams for a ratio of 0.9
            if budget[0] <= 0:
                return
            budget[0] -= 1
            ratio = similarity(names[i], names[j])
            if ratio >= NEAR_RATIO:
                yield (i, j, ratio) if i < j else (j, i, ratio)


@rule("names.run-together", "warning", "事项名称疑似两项连写", "two item names run together", kinds=NAMED_KINDS)
def run_together_names(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    一个事项的名称恰好是同一清单中另外两个事项名称的连写，如清单中已有“婚姻状况证明”和“出生证明”，又出现
    “婚姻状况证明出生证明”。转载或重新排版公布文本时，表格中相邻两行常被并成一行，一项就“消失”在另一项里。
    比较前统一全角半角、去掉标点；两部分各至少 2 个字。

    PASS:
        - {name: 婚姻状况证明}
        - {name: 出生证明}
    FAIL:
        - {name: 婚姻状况证明}
        - {name: 出生证明}
        - {name: 婚姻状况证明出生证明}     # 两项连写

    English:
    An item's name is exactly the names of two other items of the same list written together: the list has
    婚姻状况证明 and 出生证明, and also 婚姻状况证明出生证明. Republishing a table often merges two adjacent rows,
    and one item "disappears" into another. Names are compared after width normalisation and without punctuation;
    each part has at least 2 characters.

    没有另外两项可比时，看清单本身：公布总数（declared）多于实际事项数，而且大多数事项名称以同一后缀结尾（证明、
    许可、检查……）时，名称中间又出现这个后缀、两边各是一个以后缀结尾的完整名称的（“婚姻状况证明出生证明”），
    也按连写报告。

    FAIL:
        declared: {items: 4}
        items:
          - {name: 亲属关系证明}
          - {name: 婚姻状况证明出生证明}     # 少了一项，两段都以“证明”结尾
          - {name: 死亡证明}

    When the two parts are not in the list, the list itself tells: if the declared total (declared) exceeds the
    items listed and most names end in one suffix (证明, 许可, 检查, …), a name with that suffix inside it, between
    two complete names ending in it (婚姻状况证明出生证明), is reported as run together as well.
    """
    yield from _run_together_known(catalog)
    yield from _run_together_by_suffix(catalog)


def _run_together_known(catalog: Catalog) -> Iterator[Problem]:
    known: dict[str, Item] = {}
    for item in catalog.items:
        for key in (item.key, item.stripped_key):
            if key:
                known.setdefault(key, item)
    sizes = {len(key) for key in known}
    splits: dict[int, list[int]] = {}  # name length → the splits at which both parts have the length of a known name
    for item in catalog.items:
        name = item.key
        length = len(name)
        if length not in splits:
            splits[length] = [k for k in range(RUN_TOGETHER_MIN_PART, length - RUN_TOGETHER_MIN_PART + 1) if k in sizes and length - k in sizes]
        for split in splits[length]:
            left = known.get(name[:split])
            if left is None:
                continue
            right = known.get(name[split:])
            if right is None or left is item or right is item:
                continue
            left_zh, left_en = _ref(left)
            right_zh, right_en = _ref(right)
            yield at(
                item,
                "name",
                f"事项名称“{item.name}”是“{left.name}”（{left_zh}）和“{right.name}”（{right_zh}）两项的连写，可能是两行被合并",
                f"item name '{item.name}' is '{left.name}' ({left_en}) and '{right.name}' ({right_en}) run together; two rows were probably merged",
            )
            break


#: `names.run-together` from the list alone: the shortest part, suffix included, and the share of names that must
#: end in the common suffix.
SUFFIX_LENGTH = 2
SUFFIX_SHARE = 0.5


def _run_together_by_suffix(catalog: Catalog) -> Iterator[Problem]:
    declared = catalog.data.get("declared")
    stated = declared.get("items") if isinstance(declared, dict) else None
    keys = [item.key for item in catalog.items]
    if not isinstance(stated, int) or stated <= len(keys) or len(keys) < 3:
        return
    suffix, count = Counter(k[-SUFFIX_LENGTH:] for k in keys if len(k) > SUFFIX_LENGTH).most_common(1)[0] if keys else ("", 0)
    if count < 3 or count < SUFFIX_SHARE * len(keys):
        return
    known = set(keys)
    least = SUFFIX_LENGTH + RUN_TOGETHER_MIN_PART
    for item in catalog.items:
        key = item.key
        if not key.endswith(suffix):
            continue
        cut = key.find(suffix, least - SUFFIX_LENGTH)
        while 0 <= cut and cut + SUFFIX_LENGTH <= len(key) - least:
            left, right = key[: cut + SUFFIX_LENGTH], key[cut + SUFFIX_LENGTH :]
            if left in known and right in known:
                break  # two names of the list: reported by the check above
            yield at(
                item,
                "name",
                f"事项名称“{item.name}”疑似“{left}”和“{right}”两项的连写：清单公布 {stated} 项、实列 {len(keys)} 项，大多数事项以“{suffix}”结尾",
                f"item name '{item.name}' looks like '{left}' and '{right}' run together: the list declares {stated} items and lists {len(keys)}, and most names end in '{suffix}'",
            )
            break
