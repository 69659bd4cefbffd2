"""Which old item became which new one: by code (within a list, then across lists of a kind), by exact normalised
name, then — unless `fuzzy=False` — by similarity of the gloss-stripped name and the content, greedy best first with
a deterministic tie-break; a pair found so whose names are equal apart from their bracketed glosses is recorded as
matched by "gloss", not "similarity". What is left over may be a split (one old item into several new ones) or a merge.
Categories are mapped old → new by name, by code, else where most of their items went.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict

from ..catalog import Catalog, Item
from ..normalize import normalize_name, similarity, strip_gloss

FUZZY_THRESHOLD = 0.6

#: (old item, new item, method, score): method code, name, gloss or similarity; score 1 for code and name, else the
#: similarity score that made the pair
Pair = tuple[Item, Item, str, float]


def _content(item: Item) -> str:
    content = item.data.get("content")
    return normalize_name(content) if isinstance(content, str) else ""


def _fuzzy_name(item: Item) -> str:
    return normalize_name(strip_gloss(item.name))


def _related(a: str, b: str) -> float:
    """How far one name is part of the other (0 when they are not): used for splits and merges."""
    if not a or not b:
        return 0.0
    if a == b:  # the same once glosses are stripped: 临时救助申请受理（急难型） and （支出型）
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return 0.0
    if short in long:
        return 1.0
    matched = sum(block.size for block in difflib.SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks())
    if matched / len(short) >= 0.8 and matched / len(long) >= 0.4:
        return matched / len(short)
    return 0.0


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _parts(item: Item, pool: dict[str, list[Item]], used_here: set[int], used_there: set[int]) -> list[Item]:
    """Two or more unused items of the pool in the item's list that are parts of it (a split's parts, a merge's
    sources); they and the item are marked used."""
    if id(item) in used_here:
        return []
    name = _fuzzy_name(item)
    parts = [p for p in pool.get(item.catalog.id, ()) if id(p) not in used_there and _related(name, _fuzzy_name(p))]
    if len(parts) < 2:
        return []
    used_here.add(id(item))
    used_there.update(id(p) for p in parts)
    return parts


def _mean_related(item: Item, parts: list[Item]) -> float:
    name = _fuzzy_name(item)
    return round(sum(_related(name, _fuzzy_name(p)) for p in parts) / len(parts), 3)


class Matching:
    """The matched pairs, splits and merges of two catalog sets, what is left removed and added, and the category map.

    `match_items(old, new, fuzzy)` builds one; the engine reads it."""

    def __init__(self, old: list[Catalog], new: list[Catalog], fuzzy: bool) -> None:
        self.old, self.new, self.fuzzy = old, new, fuzzy
        self.old_by_id = {c.id: c for c in old}
        self.new_by_id = {c.id: c for c in new}
        self.pairs: list[Pair] = []
        self.matched: Counter = Counter()
        self.splits: list[tuple[Item, list[Item], float]] = []
        self.merges: list[tuple[list[Item], Item, float]] = []
        self.removed: list[Item] = []
        self.added: list[Item] = []
        self.catmap: dict[tuple[str, int], tuple[str, int] | None] = {}

    def run(self) -> "Matching":
        removed, added = self.match()
        self.removed, self.added = self.splits_and_merges(removed, added)
        self.catmap = self.category_map()
        return self

    def match(self) -> tuple[list[Item], list[Item]]:
        old_items = [i for c in self.old for i in c.items]
        new_items = [i for c in self.new for i in c.items]
        old_free = dict.fromkeys(range(len(old_items)))
        new_free = dict.fromkeys(range(len(new_items)))

        # 1. code within the same list (by position: most items pair here); a list's items are its catalog's
        by_code: dict[str, dict[str, int]] = {}  # list id → code → first new item of it
        j = 0
        for c in self.new:
            codes = by_code.setdefault(c.id, {})
            for n in c.items:
                code = n.code
                if code is not None and code not in codes:
                    codes[code] = j
                j += 1
        pairs = self.pairs
        i = 0
        for c in self.old:
            codes = by_code.get(c.id, {})
            for o in c.items:
                code = o.code
                found = codes.get(code) if code is not None else None
                if found is not None and found in new_free:
                    del old_free[i]
                    del new_free[found]
                    pairs.append((o, new_items[found], "code", 1.0))
                i += 1
        if pairs:
            self.matched["code"] += len(pairs)
        # the items left, by identity: their place in their side
        order_old = {id(old_items[i]): i for i in old_free}
        order_new = {id(new_items[j]): j for j in new_free}

        def pair(o: Item, n: Item, method: str, score: float) -> None:
            del old_free[order_old[id(o)]]
            del new_free[order_new[id(n)]]
            self.pairs.append((o, n, method, score))
            self.matched[method] += 1

        # 2. code across lists of the same kind, when unique on both sides
        for key_fn, method in (
            (lambda i: (i.catalog.kind, i.code) if i.code is not None else None, "code"),
            (lambda i: (i.catalog.id, normalize_name(i.name)), "name"),
            (lambda i: (i.catalog.kind, normalize_name(i.name)), "name"),
        ):
            olds: dict = defaultdict(list)
            news: dict = defaultdict(list)
            for index in old_free:
                key = key_fn(old_items[index])
                if key is not None and key[1]:
                    olds[key].append(old_items[index])
            for index in new_free:
                key = key_fn(new_items[index])
                if key is not None and key[1]:
                    news[key].append(new_items[index])
            for key, group in olds.items():
                candidates = news.get(key)
                if not candidates:
                    continue
                if method == "code" and (len(group) > 1 or len(candidates) > 1):
                    continue
                for o, n in zip(group, candidates):
                    pair(o, n, method, 1.0)
        # 3. similarity of meaning
        if self.fuzzy and old_free and new_free:
            self._fuzzy([old_items[i] for i in old_free], [new_items[i] for i in new_free], pair, order_old, order_new)
        removed = [old_items[i] for i in old_free]
        added = [new_items[i] for i in new_free]
        return removed, added

    def _fuzzy(self, olds: list[Item], news: list[Item], pair, order_old, order_new) -> None:
        index: dict[tuple, list[int]] = defaultdict(list)
        news_names = [_fuzzy_name(n) for n in news]
        news_content = [_content(n) for n in news]
        for j, n in enumerate(news):
            for gram in _bigrams(news_names[j]):
                index[(n.catalog.kind, gram)].append(j)
        by_content: dict[tuple, list[int]] = defaultdict(list)
        for j, n in enumerate(news):
            if news_content[j]:
                by_content[(n.catalog.kind, news_content[j])].append(j)
        scored = []
        for o in olds:
            oname, ocontent = _fuzzy_name(o), _content(o)
            hits: Counter = Counter()
            for gram in _bigrams(oname):
                for j in index.get((o.catalog.kind, gram), ()):
                    hits[j] += 1
            if ocontent:  # a renamed item whose content is the same
                for j in by_content.get((o.catalog.kind, ocontent), ()):
                    if j not in hits:
                        hits[j] = 0
            for j, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:200]:
                name_score = similarity(oname, news_names[j])
                ncontent = news_content[j]
                if ocontent and ncontent:
                    content_score = 1.0 if ocontent == ncontent else similarity(ocontent, ncontent)
                    score = 0.5 * name_score + 0.5 * content_score
                    plausible = name_score >= 0.34 or content_score >= 0.9
                else:
                    score = name_score
                    plausible = True
                if news[j].catalog.id != o.catalog.id:
                    score -= 0.05
                if plausible and score >= FUZZY_THRESHOLD:
                    scored.append((-round(score, 6), order_old[id(o)], order_new[id(news[j])], o, news[j], score))
        scored.sort(key=lambda t: t[:3])
        taken_o: set[int] = set()
        taken_n: set[int] = set()
        for _, oi, ni, o, n, score in scored:
            if oi in taken_o or ni in taken_n:
                continue
            # a split or merge part must not be taken for a plain rename: leave it to split detection
            taken_o.add(oi)
            taken_n.add(ni)
            # names equal once the glosses are stripped (行政许可事项 → 行政许可事项（含变更）) score 1 on the name: the pair
            # says so, lest a report show "similarity 1.00" beside two different names
            if _fuzzy_name(o) == _fuzzy_name(n):
                pair(o, n, "gloss", round(min(score, 1.0), 3))
            else:  # different names are never "1.0" alike, however long and close
                pair(o, n, "similarity", min(round(score, 3), 0.999))

    # splits and merges ---------------------------------------------------------------------------------------------

    def splits_and_merges(self, removed: list[Item], added: list[Item]) -> tuple[list[Item], list[Item]]:
        added_by_cat: dict[str, list[Item]] = defaultdict(list)
        for n in added:
            added_by_cat[n.catalog.id].append(n)
        removed_by_cat: dict[str, list[Item]] = defaultdict(list)
        for o in removed:
            removed_by_cat[o.catalog.id].append(o)
        used_new: set[int] = set()
        used_old: set[int] = set()
        kept_pairs = []
        # a matched pair whose name changed, with added items that are parts of the old one: a split
        for o, n, method, score in self.pairs:
            if o.name != n.name and o.key != n.key:  # Item.key: normalize_name(name), kept
                oname = _fuzzy_name(o)
                parts = [a for a in added_by_cat.get(n.catalog.id, ()) if id(a) not in used_new and _related(oname, _fuzzy_name(a)) and len(_fuzzy_name(a)) <= len(oname) + 8]
                if parts and _related(oname, _fuzzy_name(n)):
                    allparts = [n] + parts
                    used_new.update(id(a) for a in parts)
                    self.splits.append((o, allparts, round(sum(_related(oname, _fuzzy_name(a)) for a in allparts) / len(allparts), 3)))
                    self.matched[method] -= 1
                    continue
                nname = _fuzzy_name(n)
                sources = [r for r in removed_by_cat.get(o.catalog.id, ()) if id(r) not in used_old and _related(nname, _fuzzy_name(r))]
                if sources and _related(nname, oname):
                    allsrc = [o] + sources
                    used_old.update(id(r) for r in sources)
                    self.merges.append((allsrc, n, round(sum(_related(nname, _fuzzy_name(r)) for r in allsrc) / len(allsrc), 3)))
                    self.matched[method] -= 1
                    continue
            kept_pairs.append((o, n, method, score))
        self.pairs = kept_pairs
        # an unmatched old item with two or more added parts, an added item with two or more removed sources
        for o in removed:
            parts = _parts(o, added_by_cat, used_old, used_new)
            if parts:
                self.splits.append((o, parts, _mean_related(o, parts)))
        for n in added:
            sources = _parts(n, removed_by_cat, used_new, used_old)
            if sources:
                self.merges.append((sources, n, _mean_related(n, sources)))
        return [o for o in removed if id(o) not in used_old], [n for n in added if id(n) not in used_new]

    def category_map(self) -> dict[tuple[str, int], tuple[str, int] | None]:
        """Old (catalog id, category index) → new one: by normalised name, else by code, else where most items went."""
        mapping: dict[tuple[str, int], tuple[str, int] | None] = {}
        for cid, old_cat in self.old_by_id.items():
            new_cat = self.new_by_id.get(cid)
            if new_cat is None:
                continue
            new_codes = {str(c.get("code")): i for i, c in enumerate(new_cat.categories) if c.get("code") is not None}
            new_names = {normalize_name(str(c.get("name") or "")): i for i, c in enumerate(new_cat.categories)}
            for i, c in enumerate(old_cat.categories):
                target: int | None = None
                if normalize_name(str(c.get("name") or "")) in new_names:
                    target = new_names[normalize_name(str(c.get("name") or ""))]
                elif c.get("code") is not None and str(c.get("code")) in new_codes:
                    target = new_codes[str(c.get("code"))]
                mapping[(cid, i)] = (cid, target) if target is not None else None
        if all(v is not None for v in mapping.values()):
            return mapping  # every category found by name or code: no votes to count over the pairs
        votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
        for o, n, _, _ in self.pairs:
            if o.category_index is not None and n.category_index is not None and o.catalog.id == n.catalog.id:
                votes[(o.catalog.id, o.category_index)][n.category_index] += 1
        taken = {v for v in mapping.values() if v is not None}
        for key, mapped in list(mapping.items()):
            if mapped is None and votes.get(key):
                best: int = sorted(votes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                if (key[0], best) not in taken:
                    mapping[key] = (key[0], best)
                    taken.add((key[0], best))
        return mapping


def match_items(old: list[Catalog], new: list[Catalog], fuzzy: bool = True) -> Matching:
    """Match the items of two catalog sets (each sorted by id and path)."""
    return Matching(old, new, fuzzy).run()
