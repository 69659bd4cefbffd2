"""A finished comparison as plain JSON data and back (the content cache keeps it: govlist/cache.py, diff part).

Everything in a `DiffResult` is text, numbers, booleans, null, lists and mappings, or one of the diff's own records
(item references, changes, arithmetic rows, catalog facts, findings, list pairs); each record is written as a list of
its fields and read back into the same record, tuples as tuples, so that every report made from a result read back is
the same bytes as one made from the comparison itself. Anything that does not read back as written raises, and the
caller compares again.
"""

from __future__ import annotations

from ..cache import finding_from_row, finding_row
from .model import Arithmetic, CatalogInfo, Change, DiffResult, ItemRef
from .pairing import ListPair

FORMAT = 2  # 2: the files not compared and the lists set aside


def _tuple(value: object) -> tuple:
    """A pointer or a field path (keys and positions), as the comparison made it."""
    if not isinstance(value, list) or not all(type(p) in (str, int) for p in value):
        raise TypeError("not a path")
    return tuple(value)


def _ref_row(ref: ItemRef | None) -> list | None:
    if ref is None:
        return None
    return [ref.catalog, ref.code, ref.name, ref.category, ref.department, ref.file, list(ref.pointer), ref.basis]


def _ref(row: object) -> ItemRef | None:
    if row is None:
        return None
    if not isinstance(row, list) or len(row) != 8:
        raise TypeError("not an item reference")
    catalog, code, name, category, department, file, pointer, basis = row
    if not all(isinstance(x, str) for x in (catalog, name, file, basis)):
        raise TypeError("not an item reference")
    return ItemRef(catalog, code, name, category, department, file, _tuple(pointer), basis)


def _change_row(c: Change) -> list:
    return [c.kind, c.level, c.catalog, _ref_row(c.old), _ref_row(c.new), list(c.field), c.old_value, c.new_value, c.method, c.score, [list(seg) for seg in c.redline], [_ref_row(r) for r in c.related], c.fingerprint, c.accepted]


def _change(row: object) -> Change:
    if not isinstance(row, list) or len(row) != 14:
        raise TypeError("not a change")
    kind, level, catalog, old, new, field, old_value, new_value, method, score, redline, related, fingerprint, accepted = row
    if not all(isinstance(x, str) for x in (kind, level, catalog, method, fingerprint)) or not isinstance(accepted, bool):
        raise TypeError("not a change")
    if score is not None and type(score) not in (int, float):
        raise TypeError("not a score")
    segments = tuple((str(op), str(text)) for op, text in redline)
    refs = tuple(_ref(r) for r in related)
    return Change(kind, level, catalog, _ref(old), _ref(new), _tuple(field), old_value, new_value, method, score, segments, refs, fingerprint, accepted)


_INFO_FIELDS = ("id", "kind", "title", "file", "version", "effective", "doc_number", "items", "categories", "declared_items", "adjustment")
_ARITHMETIC_FIELDS = ("catalog", "category", "old_declared", "old_count", "new_declared", "new_count", "added", "removed", "moved_in", "moved_out")


def _info(row: object) -> CatalogInfo:
    if not isinstance(row, list) or len(row) != len(_INFO_FIELDS):
        raise TypeError("not a catalog")
    info = CatalogInfo(*row)
    if not isinstance(info.id, str) or not isinstance(info.adjustment, dict) or not isinstance(info.items, int):
        raise TypeError("not a catalog")
    return info


def _arithmetic(row: object) -> Arithmetic:
    if not isinstance(row, list) or len(row) != len(_ARITHMETIC_FIELDS):
        raise TypeError("not an arithmetic row")
    found = Arithmetic(*row)
    if not isinstance(found.catalog, str) or not all(type(getattr(found, f)) is int for f in ("old_count", "new_count", "added", "removed", "moved_in", "moved_out")):
        raise TypeError("not an arithmetic row")
    return found


def _pair(row: object) -> ListPair:
    if not isinstance(row, list) or len(row) != 6 or not all(isinstance(x, str) for x in row[:5]):
        raise TypeError("not a list pair")
    return ListPair(*row)


def _side(side: object) -> str:
    if side not in ("old", "new"):
        raise ValueError("not a side")
    return str(side)


def result_data(result: DiffResult) -> dict:
    """A finished comparison as plain JSON data."""
    return {
        "result": FORMAT,
        "labels": [result.old_label, result.new_label],
        "old_catalogs": [[getattr(c, f) for f in _INFO_FIELDS] for c in result.old_catalogs],
        "new_catalogs": [[getattr(c, f) for f in _INFO_FIELDS] for c in result.new_catalogs],
        "changes": [_change_row(c) for c in result.changes],
        "arithmetic": [[getattr(r, f) for f in _ARITHMETIC_FIELDS] for r in result.arithmetic],
        "findings": [finding_row(f) for f in result.findings],
        "matched": result.matched,
        "counts": [result.renumbered, result.unchanged],
        "reasons": result.reasons,
        "pairing": [[p.old, p.new, p.old_path, p.new_path, p.how, p.score] for p in result.pairing],
        "unread": [[side, finding_row(f)] for side, f in result.unread],
        "set_aside": [[side, [getattr(c, f) for f in _INFO_FIELDS]] for side, c in result.set_aside],
    }


def result_from(data: dict) -> DiffResult:
    """The comparison read back; raises KeyError, TypeError, ValueError or IndexError when it is not as written."""
    if data["result"] != FORMAT:
        raise ValueError("another format")
    old_label, new_label = data["labels"]
    renumbered, unchanged = data["counts"]
    matched = data["matched"]
    reasons = data["reasons"]
    if not isinstance(old_label, str) or not isinstance(new_label, str) or type(renumbered) is not int or type(unchanged) is not int:
        raise TypeError("not a result")
    if not isinstance(matched, dict) or not all(isinstance(k, str) and type(v) is int for k, v in matched.items()):
        raise TypeError("not a result")
    if not isinstance(reasons, list) or not all(isinstance(r, dict) for r in reasons):
        raise TypeError("not a result")
    return DiffResult(
        old_label,
        new_label,
        [_info(row) for row in data["old_catalogs"]],
        [_info(row) for row in data["new_catalogs"]],
        [_change(row) for row in data["changes"]],
        [_arithmetic(row) for row in data["arithmetic"]],
        [finding_from_row(row) for row in data["findings"]],
        matched,
        renumbered,
        unchanged,
        reasons,
        [_pair(row) for row in data["pairing"]],
        [(_side(side), finding_from_row(row)) for side, row in data["unread"]],
        [(_side(side), _info(row)) for side, row in data["set_aside"]],
    )
