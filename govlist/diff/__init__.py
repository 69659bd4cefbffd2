"""Semantic diff of two versions of a catalog set (`govlist diff`, `govlist changelog`, `render --changes-since`).

- `model`: what a diff is made of (item references, changes, arithmetic, the result, settings);
- `labels`: the names of kinds of change, levels, methods and fields;
- `matching`: which old item became which new one (code, name, gloss, similarity, splits and merges);
- `engine`: the changes, the arithmetic, the rules on changes (`govlist.rules.changes`) and `diff_paths`, the core
  entry point;
- `values`: plain values, the text a clerk reads, redlines.
"""

from .engine import diff_catalogs, diff_paths, diff_sides, load_side
from .labels import FIELD_ZH, NO_CHANGE, KIND_EN, KIND_ZH, KINDS_ORDER, LEVEL_RANK, LEVEL_ZH, LEVELS, METHOD_EN, METHOD_ZH
from .model import Arithmetic, CatalogInfo, Change, DiffResult, ItemRef, Settings, read_accept_file
from .sideload import unreadable
from .values import as_text, item_path, key_label, redline

__all__ = [
    "FIELD_ZH",
    "NO_CHANGE",
    "KIND_EN",
    "KIND_ZH",
    "KINDS_ORDER",
    "LEVEL_RANK",
    "LEVEL_ZH",
    "LEVELS",
    "METHOD_EN",
    "METHOD_ZH",
    "Arithmetic",
    "CatalogInfo",
    "Change",
    "DiffResult",
    "ItemRef",
    "Settings",
    "as_text",
    "item_path",
    "key_label",
    "diff_catalogs",
    "diff_paths",
    "diff_sides",
    "load_side",
    "read_accept_file",
    "redline",
    "unreadable",
]
