"""Field values as a diff sees them: JSON-ready plain values, the text a clerk reads, redlines by token."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, datetime

from rapidfuzz.distance import Indel

from ..normalize import MAX_COMPARED_CHARS
from ..tokens import tokens
from ..fields import label as field_title
from ..inheritance import MODE_ZH
from .labels import FIELD_ZH

_DIFFLIB_CHARS = 2_000


def plain(value: object) -> object:
    """JSON-ready, canonical: dates as ISO strings, a single basis string as a one-element list is kept as is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def item_path(kind: str | None) -> tuple[str, ...]:
    """Where a list's items stand, as field labels are keyed: a registry's `units`, every other list's `items`."""
    return ("units",) if kind == "registry" else ("items",)


#: values that are themselves field names: where they stand → (the kind and place of the field they name; None: an
#: item field of the same list). A breakdown counts by a field; entry rules require fields of community items.
_NAMES_A_FIELD: dict[tuple[str, ...], tuple[str, tuple[str, ...]] | None] = {
    ("declared", "breakdowns", "field"): None,
    ("required", "assist"): ("community", ("items",)),
    ("required", "approval"): ("community", ("items", "approval")),
}


def key_label(kind: str | None, path: tuple) -> str:
    """The label of the field a path (keys from the document's top, positions left out) ends in: the diff's short
    name (内容, 依据), else the field's title in the list's schema (govlist.fields), else the key itself."""
    key = str(path[-1])
    full = tuple(str(p) for p in path)
    if kind and len(full) == 1:  # a header field: its title (生效日期), the short names being an item's (实施日期)
        return field_title(kind, full) or FIELD_ZH.get(key, key)
    if key in FIELD_ZH:
        return FIELD_ZH[key]
    return field_title(kind, full) if kind else key


def as_text(value: object, kind: str | None = None, path: tuple = ()) -> str:
    """A field value as the text a clerk reads (for redlines and tables). Given the list's kind and where the value
    stands (`path`, keys from the document's top), keys read as their labels and a value that names a field (a
    breakdown's `field: type`) as that field's label; booleans read 是 / 否."""
    if value is None:
        return ""
    path = tuple(str(p) for p in path)
    if isinstance(value, str):
        if path in _NAMES_A_FIELD:
            of_kind, where = _NAMES_A_FIELD[path] or (kind, item_path(kind))
            title = field_title(of_kind, where + (value,)) if of_kind else value  # the field's full title: 事项类型
            return title if title != value else FIELD_ZH.get(value, value)
        return MODE_ZH.get(value, value) if path == ("parent", "mode") else value
    if isinstance(value, (list, tuple)):
        return ("、" if path in _NAMES_A_FIELD else "\n").join(as_text(v, kind, path) for v in value)
    if isinstance(value, dict):
        if set(value) <= {"stage", "content"}:
            return f"{value.get('stage', '')}：{as_text(value.get('content'), kind, path + ('content',))}"
        return "；".join(f"{key_label(kind, path + (str(k),))}：{as_text(v, kind, path + (str(k),))}" for k, v in value.items())
    if isinstance(value, bool):
        return "是" if value else "否"
    return plain(value).__str__()


def redline(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Redline by token: ((op, text), …) with op equal / delete / insert, between two equal runs what went before what
    came.

    A 文号, a date, an article, a number or count, a code and a Latin word (govlist.tokens) change as a whole
    (`〔2024〕15号` → `〔2025〕4号` is one deletion and one insertion); prose is compared character by character. Short
    texts (up to 2,000 characters together) by difflib, whose longest matching blocks read best; longer ones by the
    longest common subsequence, bit-parallel (rapidfuzz): 20,000 characters in milliseconds where difflib took 45 s.
    Past normalize.MAX_COMPARED_CHARS the redline is the whole old text deleted and the whole new one inserted."""
    if len(old) + len(new) > MAX_COMPARED_CHARS:
        return tuple(seg for seg in (("delete", old), ("insert", new)) if seg[1])
    a, b = tokens(old), tokens(new)
    opcodes: Sequence[tuple[str, int, int, int, int]]  # (tag, a from, a to, b from, b to)
    if len(old) + len(new) <= _DIFFLIB_CHARS:  # difflib's longest blocks read better; quadratic, so short texts only
        opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    else:  # tokens numbered: rapidfuzz compares integers faster than strings
        ids: dict[str, int] = {}
        found = Indel.opcodes([ids.setdefault(t, len(ids)) for t in a], [ids.setdefault(t, len(ids)) for t in b])
        opcodes = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in found]
    out: list[tuple[str, str]] = []
    deleted: list[str] = []  # between two equal runs: what went, then what came
    inserted: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out += [("delete", "".join(deleted))] if deleted else []
            out += [("insert", "".join(inserted))] if inserted else []
            deleted, inserted = [], []
            out.append(("equal", "".join(a[i1:i2])))
        else:
            deleted += a[i1:i2]
            inserted += b[j1:j2]
    out += [("delete", "".join(deleted))] if deleted else []
    out += [("insert", "".join(inserted))] if inserted else []
    return tuple(out)


def same_basis(path: tuple, a: object, b: object) -> bool:
    """A single basis written as a string or as a one-element list is the same basis."""
    if path and path[-1] == "basis":
        return _as_list(a) == _as_list(b)
    return False


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value
