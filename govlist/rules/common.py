"""What several rules share (as yamllint's rules/common.py): reading values the way every rule reads them."""

from __future__ import annotations


def filled(value: object) -> bool:
    """Whether a field says something: not missing, not empty text, not an empty list or mapping."""
    return value is not None and value != "" and value != [] and value != {}


def data_at(data: object, pointer: tuple) -> object:
    """The value at `pointer` inside `data`, or None."""
    node = data
    for part in pointer:
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return node
