"""Normalising Chinese names for comparison: width, punctuation, spaces, and trailing glosses such as （表现证明）."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Indel

_PUNCT = re.compile(r"[\s\u3000、，,。.．;；:：!！?？\"'“”‘’`·•・…—\-–_/\\|（）()\[\]【】〔〕{}<>《》〈〉「」『』]+")
_GLOSS = re.compile(r"[（(][^（）()]*[)）]\s*$")


def code_key(value: object) -> str:
    """A code as a reference compares it (a grid item's territorial item, a linked list's item): full-width to half-width
    (NFKC), without surrounding spaces; "" for none."""
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


@lru_cache(maxsize=1 << 20)
def normalize_name(name: str) -> str:
    """Full-width to half-width (NFKC), lower case, no punctuation or spaces."""
    name = unicodedata.normalize("NFKC", name)
    # letters, digits and ideographs only (about half the names of a list) hold nothing _PUNCT takes: its regex
    # costs several times this test
    return name.lower() if name.isalnum() else _PUNCT.sub("", name).lower()


@lru_cache(maxsize=1 << 20)
def strip_gloss(name: str) -> str:
    """The name without trailing parenthesised glosses: 婚育状况证明（表现证明） → 婚育状况证明."""
    previous = None
    name = unicodedata.normalize("NFKC", name).strip()
    if not name.endswith((")", "）")):
        return name  # no trailing gloss (the usual case)
    while previous != name:
        previous, name = name, _GLOSS.sub("", name).strip()
    return name or previous


#: Texts longer than this together are not compared character by character (similarity 0, redline whole).
MAX_COMPARED_CHARS = 200_000


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised names: 2·LCS / (len a + len b), as difflib's ratio on names but computed
    bit-parallel (rapidfuzz), so two 20,000-character names take milliseconds, not a minute. Texts over
    MAX_COMPARED_CHARS together are not compared (0.0)."""
    if len(a) + len(b) > MAX_COMPARED_CHARS:
        return 0.0
    return Indel.normalized_similarity(a, b)
