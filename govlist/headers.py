"""Reading the header of a published table: which row(s) hold it, which field each column is, and which kind of list
the table is. Used by `govlist import` (importer.py); nothing here prints or touches files.

Header cells are compared after normalisation (`header_key`): full-width forms folded (NFKC), spaces and line breaks
removed, the pinyin glosses of mirror sites dropped (公開內(nèi)容 → 公開內容), Traditional characters made Simplified
(公開內容 → 公开内容). A header is then recognised, in this order, as: one of the kind's own titles or synonyms
(tables.COLUMNS); the same without a trailing gloss (公开内容(要素) → 公开内容); a known title at the end of a longer
header (权力事项名称 → 事项名称, 公开依据 → 依据); a known title one character off (权利类型 → 权力类型). A header
that stays ambiguous is settled by what its cells hold (`settle_by_content`).

Two-row headers (xlsx merges, or a second CSV row under a parent that spans several columns) give each sub-column
to its own field: the sub-label alone first (主体责任, 配合责任, 子项), then parent and sub-label together. A column
that no field takes is kept under the item's `extra`, keyed by its header text (parent/sub for sub-columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cells import cell_text
from .tables import COLUMNS, nfkc

_PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
_GLOSS = re.compile(r"\([^()]*\)$")


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplified(text: str) -> str:
    """Traditional → Simplified characters (opencc's t2s tables); for structure (headers, titles), never for content."""
    if text.isascii():
        return text
    return _converter().convert(text)


def strip_pinyin(text: str) -> str:
    """公開內(nèi)容 → 公開內容: mirror sites print the reading of some characters in brackets."""
    return _PINYIN.sub("", text)


@lru_cache(maxsize=8192)
def header_key(text: object) -> str:
    """A header cell as compared with the known titles: NFKC, no pinyin glosses, Simplified, no spaces or marks."""
    s = strip_pinyin(nfkc(str(text or "")))
    s = simplified(s)
    s = re.sub(r"\s+", "", s).strip("*△※：:")
    return s


def _bare(key: str) -> str:
    return _GLOSS.sub("", key) or key


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True)
class Match:
    field: str
    how: str  # exact | gloss | suffix | typo


@lru_cache(maxsize=None)
def _titles(kind: str) -> tuple[tuple[str, str], ...]:
    """(normalised title, field) for every title and synonym of the kind's columns, longest first."""
    pairs: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for title in (col.header, *col.synonyms):
            pairs.setdefault(header_key(title), col.field)
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


@lru_cache(maxsize=None)
def _by_length(kind: str) -> dict[int, tuple[tuple[str, str], ...]]:
    """The kind's titles of 3 characters or more, by length (a typo is one character off: same length ±1)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for title, target in _titles(kind):
        if len(title) >= 3:
            out.setdefault(len(title), []).append((title, target))
    return {k: tuple(v) for k, v in out.items()}


def match(text: object, kind: str) -> Match | None:
    return _match(header_key(text), kind)


@lru_cache(maxsize=16384)
def _match(key: str, kind: str) -> Match | None:
    if not key:
        return None
    titles = _titles(kind)
    exact = dict(titles)
    if key in exact:
        return Match(exact[key], "exact")
    bare = _bare(key)
    if bare in exact:
        return Match(exact[bare], "gloss")
    if len(bare) > 40:
        return None  # a cell of text, not a header
    for title, target in titles:  # a known title closing a longer header: 权力事项名称, 公开依据, 赋权事项的执法依据
        head = bare[: len(bare) - len(title)]
        if len(title) >= 2 and bare.endswith(title) and (len(head) <= 4 or (head.endswith("的") and len(head) <= 10)):
            return Match(target, "suffix")
    lengths = _by_length(kind)
    near = {target for n in (len(bare) - 1, len(bare), len(bare) + 1) for title, target in lengths.get(n, ()) if _edit1(bare, title)}
    if len(near) == 1:
        return Match(near.pop(), "typo")
    return None


# --- which rows are the header -----------------------------------------------------------------------------------


@dataclass
class Header:
    """Where the header is and what each column means."""

    first: int  # first header row (0-based)
    last: int  # last header row; data starts below it
    fields: dict[int, str]  # column → field
    extra: dict[int, str]  # column → key under `extra`
    labels: dict[int, str]  # column → the header text as printed (parent/sub for sub-columns)
    how: dict[int, str] = field(default_factory=dict)
    width: int = 0


def _text(row: list[object], c: int) -> str:
    return cell_text(row[c]) if c < len(row) else ""


def _assign(labels: dict[int, str], kind: str, pairs: dict[int, tuple[str, str]] | None = None, overrides: dict[str, str] | None = None) -> tuple[dict[int, str], dict[int, str]]:
    """Columns → fields, first come first served (a second 依据 column is not a second basis). `overrides` (from
    --map, keyed by header_key) come first; a column mapped to `ignore` gets the field `ignore`."""
    fields: dict[int, str] = {}
    how: dict[int, str] = {}
    taken: set[str] = set()
    for c in sorted(labels):
        keys = [header_key(labels[c]), _bare(header_key(labels[c]))]
        if pairs and c in pairs:
            keys += [header_key(pairs[c][1])]
        given = next((overrides[k] for k in keys if overrides and k in overrides), None)
        if given is not None:
            fields[c] = given
            how[c] = "map"
            taken.add(given)
            continue
        candidates: list[Match | None] = []
        if pairs and c in pairs:
            parent, sub = pairs[c]
            candidates = [match(sub, kind), match(parent + sub, kind)]
        else:
            candidates = [match(labels[c], kind)]
        for found in candidates:
            if found is not None and found.field not in taken:
                fields[c] = found.field
                how[c] = found.how
                taken.add(found.field)
                break
    return fields, how


def _sub_header(top: list[object], below: list[object], width: int) -> dict[int, tuple[str, str]] | None:
    """If `below` is a second header row under `top`, its (parent, sub-label) per column; else None.

    `below` holds no number, starts under the first header cell (blank, or that cell repeated by a filled-in vertical
    merge), and at least one parent spans two sub-columns. A sub-label's parent is the cell above it, or the nearest
    non-empty cell to the left when the cell above is blank (a CSV leaves the spanned cells blank; an xlsx merge is
    filled in with the parent's text).
    """
    if _text(below, 0) not in ("", _text(top, 0)):
        return None
    subs: dict[int, tuple[str, str]] = {}
    for c in range(width):
        low = _text(below, c)
        up = _text(top, c)
        if not low or low == up:
            continue
        if re.fullmatch(r"[\d.、]+", nfkc(low)):
            return None  # a number: a data row
        parent = up
        if not parent:
            left = c - 1
            while left >= 0 and not _text(top, left):
                left -= 1
            if left < 0:
                return None
            parent = _text(top, left)
        subs[c] = (parent, low)
    parents = [p for p, _ in subs.values()]
    if not any(parents.count(p) > 1 for p in parents):
        return None
    return subs


def find_header(rows: list[list[object]], kind: str, skip: set[int], scan: int = 30, overrides: dict[str, str] | None = None) -> Header | None:
    """The first row (within `scan`) with a name column and one more known column, and the sub-header row below."""
    for index, row in enumerate(rows[:scan]):
        if index in skip:
            continue
        labels = {c: _text(row, c) for c in range(len(row)) if _text(row, c)}
        if len(labels) < 2:
            continue
        below = rows[index + 1] if index + 1 < len(rows) and index + 1 not in skip else []
        width = max(len(row), len(below))
        subs = _sub_header(row, below, width) if below else None
        if subs:
            both = {c: t for c, t in labels.items() if c not in subs} | {c: f"{p}/{s}" for c, (p, s) in subs.items()}
            fields, how = _assign(both, kind, subs, overrides)
            if "name" in fields.values() and len(fields) >= 2:
                extra = {c: both[c] for c in sorted(both) if c not in fields}
                return Header(index, index + 1, fields, extra, dict(sorted(both.items())), how, width)
        fields, how = _assign(labels, kind, None, overrides)
        if "name" in fields.values() and len(fields) >= 2:
            extra = {c: labels[c] for c in labels if c not in fields}
            return Header(index, index, fields, extra, labels, how, width)
    return None


def header_score(rows: list[list[object]], kind: str, skip: set[int]) -> tuple[int, Header | None]:
    """How well `kind` explains the header: kind-specific columns count double."""
    found = find_header(rows, kind, skip)
    if found is None:
        return 0, None
    common = {"category", "seq", "code", "name", "content", "basis", "note", "rownum"}
    return sum(1 if f in common else 2 for f in found.fields.values()), found


# --- which kind -------------------------------------------------------------------------------------------------

TITLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("territorial", ("属地管理", "主体责任和配合责任", "属地事项")),
    ("devolution", ("赋权", "下放", "委托乡镇", "委托街道", "承接", "赋予乡镇", "赋予街道", "赋予镇街")),
    ("community", ("证明事项", "出具证明", "证明材料", "准入", "协助政府", "社区工作事项", "居委会", "村委会", "居民委员会", "村民委员会", "自治组织", "村级组织", "村(社区)")),
    ("grid", ("网格",)),
    ("power", ("权责清单", "权力清单", "责任清单", "行政职权", "执法", "权力事项")),
    ("duty", ("职责任务", "履职事项", "职责清单", "政务公开", "公开标准目录", "职责边界", "任务分解", "任务分工", "主要职责", "工作职责", "主要职能")),
)


_COMMUNITY_NAME = re.compile(r"(?:社区|居委会|村委会|居民委员会|村民委员会)$")  # a title that is a community's name


def title_kind(text: str) -> str | None:
    """The kind a title's words name (TITLE_WORDS); a title that is only a community's name (大梅沙社區, a page
    of that community's duties) names a community list."""
    key = header_key(text)
    for kind, words in TITLE_WORDS:
        if any(w in key for w in words):
            return kind
    return "community" if _COMMUNITY_NAME.search(key) else None


def guess_kind(rows: list[list[object]], titles: list[str], skip: set[int], kinds: tuple[str, ...]) -> tuple[str | None, str]:
    """(kind, reason): the title's words, then the header's words (赋权的原实施层级), settle close scores; otherwise
    the kind that explains most of the header wins."""
    by_title = next((k for k in (title_kind(t) for t in titles) if k), None)
    found = {k: header_score(rows, k, skip) for k in kinds}
    scores = {k: v[0] for k, v in found.items()}
    best = max(scores.values()) if scores else 0
    headers = [h for _, v in found.values() for h in (v.labels.values() if v else ())]
    keys = [header_key(h) for h in headers]
    by_header = next((kind for kind, words in TITLE_WORDS if any(w in key for key in keys for w in words)), None)
    # the header's own words win over the title's where they name another kind and it reads more of the header
    # (綦江区镇街综合行政执法事项清单: 执法 in the title, but 赋权事项名称 | 原行使部门 | 赋权街镇 is a 赋权 catalog)
    overruled = by_header not in (None, by_title) and scores.get(by_header or "", 0) > scores.get(by_title or "", 0)
    if by_title and scores.get(by_title, 0) > 0 and scores[by_title] >= best - 2 and not overruled:
        return by_title, "title"
    if by_header and scores.get(by_header, 0) >= best - 1 and best > 0:
        return by_header, "header"
    if best > 0:
        return next(k for k in kinds if scores[k] == best), "header"
    return by_title, "title" if by_title else "none"


# --- a header settled by what its cells hold ---------------------------------------------------------------------

_LOCAL = re.compile(r"(街道|乡|镇|社区|村|居委会|办事处)$")


def _power_type(text: str) -> bool:
    from .project import DEFAULT_VOCABULARIES

    vocab = DEFAULT_VOCABULARIES["power_types"]
    head = re.split(r"[-—－(（]", text, maxsplit=1)[0]  # 其他行政权力-备案
    return head in vocab["values"] or head in vocab["aliases"]


def settle_by_content(kind: str, header_text: str, cells: list[str], current: str) -> str:
    """责任主体 names the receiving level in a devolution table (cells such as 各乡镇人民政府, XX街道) but the
    department that acts in other kinds; in a devolution table it is the source when its cells are departments.
    类别 is a category column in most lists, but in a power list whose 类别 cells are power types (行政許可,
    行政处罚) it is the 权力类型."""
    if kind == "power" and current == "category":
        values = [header_key(v) for v in cells if v]
        return "type" if values and sum(map(_power_type, values)) * 2 > len(values) else current
    if kind != "devolution" or header_key(header_text) not in ("责任主体", "实施主体", "行使主体"):
        return current
    values = [header_key(v) for v in cells if v]
    if not values:
        return current
    local = sum(1 for v in values if _LOCAL.search(v.replace("人民政府", "")))
    return "receiver" if local * 2 >= len(values) else "source"
