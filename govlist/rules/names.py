"""Names: duplicate, near-duplicate and run-together item names within a list."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import chain
from operator import add

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ..catalog import Catalog, Item
from ..normalize import similarity
from ..ruleset import Context, Problem, at, rule
from .common import NAMED_KINDS, line_ref

#: Similarity check: threshold, the shortest normalised name compared, and the largest group compared pairwise.
NEAR_RATIO = 0.9
NEAR_MIN_LENGTH = 6
NEAR_MAX_GROUP = 2000
#: At most this many exact comparisons per list; beyond it the similarity check stops for that list.
NEAR_MAX_COMPARISONS = 200_000
#: Names longer than this (normalised characters) are not compared by similarity.
NEAR_MAX_LENGTH = 10_000
#: A category of at most this many items is compared pair by pair in C, when the list cannot reach the comparisons'
#: limit (`_similar_names`): faster than the prefix filter below about 200 names.
NEAR_SMALL_GROUP = 100

#: The shortest part (normalised characters) that `names.run-together` accepts on each side of a split.
RUN_TOGETHER_MIN_PART = 2


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
        where_zh, where_en = line_ref(earlier)
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
        group = by_stripped.get(stripped)
        if group is None:  # the usual case: the first name of its kind, nothing to compare it with
            by_stripped[stripped] = [item]
            continue
        for earlier in group:
            earlier_full = earlier.key
            if earlier_full == full:
                break  # an exact duplicate: names.duplicate reports it
            has_gloss = earlier.stripped_key != earlier_full, stripped != full
            if all(has_gloss):
                continue  # both glossed, differently: deliberately distinguished
            reported.add((id(earlier), id(item)))
            where_zh, where_en = line_ref(earlier)
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
    # when the list holds fewer pairs than the comparisons' limit, the limit cannot be reached however the pairs are
    # found: then a small category's pairs are all scored, in C, instead of through the prefix filter
    unbounded = sum(len(items) * (len(items) - 1) // 2 for items in groups.values() if len(items) <= NEAR_MAX_GROUP) < NEAR_MAX_COMPARISONS
    for items in groups.values():
        if len(items) > NEAR_MAX_GROUP:
            yield _skipped(items[0], f"这一类别有 {len(items)} 项，超过 {NEAR_MAX_GROUP} 项，未做名称相似度比较", f"this category has {len(items)} items, more than {NEAR_MAX_GROUP}; names were not compared by similarity")
            continue
        names = [key if len(key := item.key) <= NEAR_MAX_LENGTH else "" for item in items]
        too_long = [item for item, name in zip(items, names) if not name and item.key]
        if too_long:
            yield _skipped(too_long[0], f"{len(too_long)} 个事项名称超过 {NEAR_MAX_LENGTH} 字，未做相似度比较（从此项起）", f"{len(too_long)} item names longer than {NEAR_MAX_LENGTH} characters were not compared by similarity (from this one on)")
        pairs = _scored_pairs(names) if unbounded and len(items) <= NEAR_SMALL_GROUP else _similar_pairs(names, budget)
        for i, j, ratio in pairs:
            earlier, item = items[i], items[j]
            if (id(earlier), id(item)) in reported or _differ_only_by_numbers(names[i], names[j]) or _differ_by_a_word(names[i], names[j]):
                continue
            if earlier.stripped_key == item.stripped_key:
                continue  # the gloss check above has decided about this pair
            where_zh, where_en = line_ref(earlier)
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
    grams = list(map(add, name, name[1:]))  # name[k] + name[k + 1]: the bigrams in order, joined in C
    if len(set(grams)) == len(grams):
        return grams
    seen: dict[str, int] = {}
    numbered = []
    for gram in grams:
        count = seen.get(gram, 0)
        seen[gram] = count + 1
        numbered.append(gram + chr(count) if count else gram)
    return numbered


def _scored_pairs(names: list[str]) -> Iterator[tuple[int, int, float]]:
    """What `_similar_pairs` finds, without a limit: every pair of names at least NEAR_MIN_LENGTH long scored in C
    (rapidfuzz), each at or above NEAR_RATIO then scored again as `similarity` scores it. For a few dozen names this
    is faster than the prefix filter's bookkeeping."""
    long_enough = [k for k, name in enumerate(names) if len(name) >= NEAR_MIN_LENGTH]
    earlier: list[str] = []
    for j in long_enough:
        name = names[j]
        if earlier:
            for _, _, n in process.extract(name, earlier, scorer=Indel.normalized_similarity, score_cutoff=NEAR_RATIO - 1e-6, limit=None):
                i = long_enough[n]
                if names[i] != name:
                    ratio = similarity(names[i], name)
                    if ratio >= NEAR_RATIO:
                        yield i, j, ratio
        earlier.append(name)


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
    grams = {k: toks for k, toks in enumerate(tokens) if toks is not None}  # the names long enough to compare
    for j in sorted(grams, key=lengths.__getitem__):  # a stable sort: equal lengths stay in list order
        toks = grams[j]
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
            if len(mine.intersection(grams[i])) < length - 1 - 2 * int(0.1 * (length + other) + 1e-9) or names[i] == names[j]:
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
            left_zh, left_en = line_ref(left)
            right_zh, right_en = line_ref(right)
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
    if not isinstance(stated, int) or stated <= len(catalog.items) or len(catalog.items) < 3:
        return
    keys = [item.key for item in catalog.items]
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
