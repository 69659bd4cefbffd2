"""Negated mentions: whether a term written in a list's text counts as something the item does, or the text says it
does not (社区不承担罚款, 不再承担招商引资任务, 罚款、查封除外). The one home of this reading, used by the rules that
look for words in an item's name or content: level.forbidden-function (rules/levels.py) and
community.government-power (rules/community.py). Their docstrings tell users the same rule in their own words.

How a text is read:

- Width and spaces: text and term are compared after NFKC (full-width letters, digits and punctuation become
  half-width: ，→, ；→; ！→!) with spaces and tabs dropped (also the ideographic space), so 招商 引资 and ＡＢＣ match
  招商引资 and ABC.
- Clauses: the text is cut at ， 。 ； ！ ？ and line breaks (either width). Not at 、, so that a negation covers
  the whole enumeration after it (街道全面取消招商引资、协税护税等职能), and not at a colon, because what
  follows a colon spells out what precedes it (社区不承担下列事项：罚款、查封).
- A mention is negated when, in its own clause, a negation word stands anywhere before it, or 除外 stands after it
  with no bracket opened in between (（罚款、查封除外）; but in 规划（涉密的除外） the 规划 counts). A negation never
  reaches into the next clause: 不得以社区名义收取罚款；协助执法部门罚款 still mentions 罚款.
- No distance limit within the clause. A limit of so many characters is something a clerk cannot see, and it cuts
  off the negations real lists write: one negation before an enumeration or a long object (不再承担招商引资、
  协税护税和经济发展指标任务; 社区不承担由区城管执法局依法实施的占道经营罚款). The cost is the other way round: a
  negation inside a modifier earlier in the clause hides the mention (对不能按期完成的招商引资项目进行督办); a
  limit of a few characters would not catch that either.
- A term counts when at least one of its mentions is not negated: 社区不承担罚款，协助执法中队罚款 mentions 罚款.

The vocabulary is the union of what the two rules used to read, each word saying that the subject does not, may not
or no longer does what follows: 不得 不再 不应 不宜 不可 不能 不予 不以 不代 不属(于) 不承担 不参与 不负责 不包括
严禁 禁止 无权, 无需 无须 (need not: 社区无需出具 says the community does not issue it; added when the import's
reading of certificate-list titles came here), and the words of taking a function away: 取消 剥离 收回 移交 划出
(街道全面取消招商引资; a community that 移交执法部门罚款 does not fine). Also read here: the titles of certificate lists
(importer.py: 不应由基层群众性自治组织出具 makes a list of certificates that may not be issued). Decided against:

- 负面 (负面清单): the name of a list of what may not be done, not a word that negates what follows (消除负面影响
  负面 nothing). The import reads 负面清单 in a certificate list's title as that list's name.
- 除外 before a term (both rules had it there): 除外 closes what comes before it (罚款除外), so before a term it
  negates nothing, and it matched inside 除外来人口/除外出务工人员. It is read after the term instead.
- 除…外 is not a negation: it means "except" (除罚款外均由执法部门承担) as often as "besides" (除罚款外还负责查封,
  which says the community does fine), so only the text can tell.
- 不可抗力 (force majeure) and 不可移动文物 (immovable cultural relics) are terms, not negations.

Known limits, kept simple on purpose: a negation after the term (招商引资职能已剥离) is not read, because the words
of taking away also describe handing on what was done (收缴罚款后移交财政); and 不予 also names a decision the
government takes (不予行政处罚决定书), which then reads as negated.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from functools import lru_cache

#: Words that, before a term in the same clause, say the item does not carry it.
NEGATION_WORDS = (
    "不得", "不再", "不应", "不宜", "不可", "不能", "不予", "不以", "不代", "不属", "不承担", "不参与", "不负责", "不包括",
    "严禁", "禁止", "无权", "无需", "无须", "取消", "剥离", "收回", "移交", "划出",
)  # fmt: skip
#: Words that, after a term in the same clause, except it (罚款、查封除外).
EXCEPTION_WORD = "除外"
#: Fixed terms that begin with a negation word but negate nothing.
NOT_NEGATIONS = ("不可抗力", "不可移动")

_NEGATION = re.compile("|".join(w if w != "不可" else "不可(?!抗力|移动)" for w in NEGATION_WORDS))
_EXCEPTED = re.compile(r"[^(\[【〔]*?" + EXCEPTION_WORD)
_CLAUSE = re.compile(r"[,。;!?\n\r]")
_SPACES = re.compile(r"[ \t]+")
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
#: Text made only of these characters (ASCII but space and tab, CJK ideographs, common CJK punctuation, full-width
#: ASCII forms) keeps its ideographs, in order and side by side, through `compact`: a term of ideographs is in its
#: compact form only if it is in the text as written, so most texts need no normalising to be ruled out.
_PLAIN_CHARS = r"\n\r!-~\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u3014-\u301f\u4e00-\u9fff\uff01-\uff5e"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]*")


def compact(text: str) -> str:
    """`text` as negation reads it: NFKC (full-width to half-width), spaces and tabs dropped, clause marks kept."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1024)
def _needles(terms: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...] | None]:
    """The terms (each once, blanks left out) with their compact forms, and those forms alone when all are made of
    ideographs only (then a `_PLAIN` text can be ruled out as written: None otherwise)."""
    pairs = {term: compact(term) for term in terms}
    pairs = {term: needle for term, needle in pairs.items() if needle}
    literal = all(_IDEOGRAPHS.fullmatch(needle) for needle in pairs.values())
    return tuple(pairs.items()), tuple(pairs.values()) if literal else None


def mentioned(text: str, terms: Iterable[str]) -> list[str]:
    """The terms that `text` mentions other than negated (see the module docstring), in the order given, each once."""
    needles, literal = _needles(tuple(terms))
    # map over the text's own `in`: no Python frame a term (a generator took half of this test's time)
    if literal is not None and not any(map(text.__contains__, literal)) and _PLAIN.fullmatch(text):
        return []  # the usual case: no term in the text, known without normalising it
    haystack = compact(text)
    present = [(term, needle) for term, needle in needles if needle in haystack]
    if not present:
        return []
    clauses = _CLAUSE.split(haystack)
    return [term for term, needle in present if any(_counts(clause, needle) for clause in clauses)]


#: What `_PLAIN` leaves out: a text holding one of these must be normalised to be read.
_NOT_PLAIN = re.compile(f"[^{_PLAIN_CHARS}]")


def mentioned_among(texts: list[str], terms: Iterable[str]) -> dict[int, list[str]]:
    """The number of each of `texts` that mentions some of `terms`, with what `mentioned` gives for it, in the texts'
    order. Most texts (no term written in them, nothing to normalise) are ruled out together, by a few searches in C
    over the texts joined, instead of a call of Python each."""
    needles, literal = _needles(tuple(terms))
    if literal is None:
        found = ((number, mentioned(text, terms)) for number, text in enumerate(texts))
        return {number: terms_found for number, terms_found in found if terms_found}
    joined = "\n".join(texts)  # a line break is in _PLAIN and in no literal term: no search runs over two texts
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))  # where each text starts in `joined`
    asked: set[int] = set()  # the texts the usual case does not rule out: a term in them as written, or to normalise
    for needle in literal:
        at = joined.find(needle)
        while at >= 0:
            number = bisect_right(starts, at) - 1
            asked.add(number)
            at = joined.find(needle, starts[number + 1])
    match = _NOT_PLAIN.search(joined)
    while match is not None:
        number = bisect_right(starts, match.start()) - 1
        asked.add(number)
        match = _NOT_PLAIN.search(joined, starts[number + 1])
    found = ((number, mentioned(texts[number], terms)) for number in sorted(asked))
    return {number: terms_found for number, terms_found in found if terms_found}


def _counts(clause: str, needle: str) -> bool:
    """Whether one mention of `needle` in `clause` is not negated."""
    start = clause.find(needle)
    while start >= 0:
        if not _NEGATION.search(clause, 0, start) and not _EXCEPTED.match(clause, start + len(needle)):
            return True
        start = clause.find(needle, start + 1)
    return False
