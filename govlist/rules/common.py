"""What several rules share (as yamllint's rules/common.py): reading values the way every rule reads them."""

from __future__ import annotations

from ..loader import value_at as data_at  # noqa: F401  (the value at a pointer, as the loader reads it)


def filled(value: object) -> bool:
    """Whether a field says something: not missing, not empty text, not an empty list or mapping."""
    return value is not None and value != "" and value != [] and value != {}
