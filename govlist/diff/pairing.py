"""Which list of the new side is which list of the old side, before their items are compared.

Lists pair by `id` first. Two single files (one list a side) are two versions of one list whatever their ids: a
list imported twice from two published versions gets two ids from two file names, and every unchanged item would
otherwise be reported as moved between two lists. In folders, a list left without a partner pairs with the list of
the same kind whose title is most alike (years and numbers aside), when the titles are alike enough. Each pair
says how it was made, and the new side's list takes its partner's id for the comparison.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..catalog import Catalog, Item
from ..model import Text
from ..normalize import normalize_name
from .sideload import LazyCatalog

TITLE_SIMILARITY = 0.6


@dataclass(frozen=True)
class ListPair:
    old: str
    new: str
    old_path: str
    new_path: str
    how: str  # id | single | title
    score: float | None = None

    def describe(self) -> Text:
        if self.how == "id":
            return Text(f"{self.old}：按标识配对", f"{self.old}: paired by id")
        if self.how == "single":
            return Text(f"{self.old_path}（{self.old}）↔ {self.new_path}（{self.new}）：两边各一份清单，视为同一清单的两个版本", f"{self.old_path} ({self.old}) ↔ {self.new_path} ({self.new}): one list a side, read as two versions of one list")
        return Text(
            f"{self.old_path}（{self.old}）↔ {self.new_path}（{self.new}）：类型相同、标题相似（{self.score:.2f}），视为同一清单",
            f"{self.old_path} ({self.old}) ↔ {self.new_path} ({self.new}): same kind, similar titles ({self.score:.2f}), read as one list",
        )

    def as_json(self) -> dict:
        return {"old": self.old, "new": self.new, "old_file": self.old_path, "new_file": self.new_path, "how": self.how, "score": self.score}


def _title_key(title: str) -> str:
    return re.sub(r"[0-9〇零一二三四五六七八九十]+(年|版|批)?", "", normalize_name(title))


def _with_id(catalog: Catalog, new_id: str) -> Catalog:
    """The same list under its partner's id (items point at the copy); the file and its positions are unchanged."""
    if isinstance(catalog, LazyCatalog):
        return catalog.with_id(new_id)
    copy = Catalog(catalog.doc, {**catalog.data, "id": new_id})
    copy.items.extend(Item(i.data, i.pointer, copy, i.category, i.category_index) for i in catalog.items)
    return copy


def pair_catalogs(old: list[Catalog], new: list[Catalog]) -> tuple[list[Catalog], list[ListPair]]:
    """(the new side, with paired lists renamed to their partner's id; the pairs and how each was made)."""
    old_paths: dict[str, str] = {}  # each id's first list (a set of thousands of lists: not searched once per list)
    for c in old:
        old_paths.setdefault(c.id, c.path)
    old_ids = old_paths.keys()
    pairs = [ListPair(c.id, c.id, old_paths[c.id], c.path, "id") for c in new if c.id in old_ids]
    if len(old) == 1 and len(new) == 1:
        o, n = old[0], new[0]
        if o.id != n.id and o.kind == n.kind:
            return [_with_id(n, o.id)], [ListPair(o.id, n.id, o.path, n.path, "single")]
        return new, pairs
    new_ids = {c.id for c in new}
    lonely_old = [c for c in old if c.id not in new_ids]
    lonely_new = [c for c in new if c.id not in old_ids]
    scored = []
    for o in lonely_old:
        for n in lonely_new:
            if o.kind == n.kind and o.title and n.title:
                score = difflib.SequenceMatcher(None, _title_key(o.title), _title_key(n.title), autojunk=False).ratio()
                if score >= TITLE_SIMILARITY:
                    scored.append((score, o.path, n.path, o, n))
    renamed: dict[int, Catalog] = {}
    used_old: set[int] = set()
    for score, _, _, o, n in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if id(o) in used_old or id(n) in renamed:
            continue
        used_old.add(id(o))
        renamed[id(n)] = _with_id(n, o.id)
        pairs.append(ListPair(o.id, n.id, o.path, n.path, "title", round(score, 2)))
    return [renamed.get(id(c), c) for c in new], pairs
