"""The guarded fast parse (govlist/fastparse.py): on every file it takes, its data, spans and marks are libyaml's; on
everything whose meaning could differ, and on every file libyaml refuses, it declines, and libyaml reads the file as
before (the same LoadError, rule, line and column)."""

from __future__ import annotations

import datetime
import hashlib
import math
import os
import random
import re
import subprocess
import sys

import pytest

from govlist import fastparse, loader
from govlist.loader import Document, LoadError, load_bytes

from conftest import REPO

needs_yaml_rs = pytest.mark.skipif(not fastparse.ENABLED, reason="yaml_rs not importable (or GOVLIST_PARSER=libyaml): libyaml reads every file")

YAML_FILES = sorted(path for folder in ("catalogs", "examples", "tests/fixtures", "govlist/templates", "schemas") for pattern in ("*.yaml", "*.yml") for path in (REPO / folder).rglob(pattern))


def same(a: object, b: object) -> bool:
    """Equal data with equal types (True is not 1, "8" is not 8) and key order; NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)  # type: ignore[arg-type]
    return bool(a == b)


def reference(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> Document | LoadError:
    """What the libyaml path makes of `raw` (fastparse switched off), or its LoadError."""
    with monkeypatch.context() as patch:
        patch.setattr(fastparse, "ENABLED", False)
        try:
            return load_bytes(raw, "t.yaml")
        except LoadError as exc:
            return exc


def loaded(raw: bytes) -> Document | LoadError:
    try:
        return load_bytes(raw, "t.yaml")
    except LoadError as exc:
        return exc


def fast(raw: bytes) -> tuple | None:
    """fastparse's answer for `raw` as load_bytes hands it over (encoding checked, BOM dropped), or None."""
    try:
        text = loader._check_encoding(raw)
    except LoadError:
        return None
    return fastparse.parse(text)


def assert_equivalent(raw: bytes, monkeypatch: pytest.MonkeyPatch, where: str = "") -> bool:
    """The fast path declines, or gives exactly libyaml's data, spans and marks; load_bytes gives libyaml's Document
    (suppressions included) or LoadError either way. Returns whether the fast path was taken."""
    want = reference(raw, monkeypatch)
    got = loaded(raw)
    taken = fast(raw)
    if isinstance(want, LoadError):
        assert taken is None, f"{where}: libyaml refuses ({want.rule} {want.line}:{want.column}) but the fast path took it"
        assert isinstance(got, LoadError) and (got.rule, got.line, got.column, got.message) == (want.rule, want.line, want.column, want.message), where
        return False
    assert isinstance(got, Document), f"{where}: {got}"
    if taken is not None:
        data, spans, marks = taken
        assert same(data, want.data), f"{where}: data differs"
        assert spans == want.spans, f"{where}: spans differ: {sorted(set(spans.items()) ^ set(want.spans.items()), key=repr)[:6]}"
        assert marks == want.marks, f"{where}: marks differ: {sorted(set(marks.items()) ^ set(want.marks.items()), key=repr)[:6]}"
    assert same(got.data, want.data) and got.spans == want.spans and got.marks == want.marks, where
    assert got.suppressions == want.suppressions, where
    return taken is not None


# --- every YAML file of the repository ----------------------------------------------------------------------------


@needs_yaml_rs
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_file_of_the_repository_is_read_as_libyaml_reads_it(path, monkeypatch):
    assert_equivalent(path.read_bytes(), monkeypatch, str(path))


def test_the_repository_has_hostile_files_to_check():
    assert len(YAML_FILES) > 60 and sum("broken" in path.parts for path in YAML_FILES) >= 20


@needs_yaml_rs
def test_the_fast_path_is_taken_on_the_bundled_catalogs():
    """The speed-up cannot vanish silently: most bundled catalogs are read by yaml-rs."""
    paths = sorted((REPO / "catalogs").rglob("*.yaml"))
    taken = [path for path in paths if fast(path.read_bytes()) is not None]
    assert len(paths) >= 20 and len(taken) >= 0.9 * len(paths), sorted(set(map(str, paths)) - set(map(str, taken)))


# --- what must decline ---------------------------------------------------------------------------------------------

# scalars YAML 1.1 (libyaml and govlist) and yaml-rs read otherwise, or that govlist refuses
RISKY = [
    "010",
    "01",
    "-08",
    "+08",
    "0_8",
    "08.5",
    "08:00",
    "0o7",
    "0x1F",
    "0b101",
    "1_000",
    "1e3",
    "12E3",
    "1.5e3",
    "1E+3",
    "1.5",
    ".5",
    "+1",
    "-0",
    "1:20",
    ".inf",
    "-.inf",
    ".nan",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "OFF",
    "2024-03-01",
    "2024-03-01 10:00:00",
    "=",
    "1" * 19,
    "9" * 30,
]


def _variants(scalar: str) -> dict[str, str]:
    return {
        "value": f"govlist: 1\na: {scalar}\nb: x\n",
        "key": f"govlist: 1\n{scalar}: x\nb: x\n",
        "flow list": f"govlist: 1\na: [x, {scalar}]\n",
        "flow mapping": f"govlist: 1\na: {{b: {scalar}}}\n",
        "list item": f"govlist: 1\na:\n  - {scalar}\n",
        "nested value": f"govlist: 1\nitems:\n  - code: x\n    b: {scalar}  # note\n",
        "next line": f"govlist: 1\na:\n  {scalar}\n",
    }


CASES = {f"{scalar!r} as {where}": text for scalar in RISKY for where, text in _variants(scalar).items()}
CASES.update({f"{scalar!r} as key": _variants(scalar)["key"] for scalar in ("1", "0", "-1", "true", "True", "false", "null", "NULL", "~")})
CASES.update(
    {
        "custom tag": "a: !foo x\n",
        "tag in a flow list": "a: [!foo x]\n",
        "anchor and alias": "a: &x [1, 2]\nb: *x\n",
        "alias as a key": "a: &x k\nb:\n  *x : 1\n",
        "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
        "merge key without anchor": "c:\n  <<: {x: 1}\n",
        "duplicate key": "aa: x\nbb: y\naa: z\n",
        "duplicate key in a list": "items:\n  - code: a\n    code: b\n",
        "duplicate key in a flow mapping": "a: {b: 1, b: 2}\n",
        "duplicate key, one quoted": "a: 1\n'a': 2\n",
        "two documents": "a: 1\n---\nb: 2\n",
        "document end and more": "a: 1\n...\nb: 2\n",
        "document start": "---\na: 1\n",
        "reserved directive": "%FOO bar\n---\na: 1\n",
        "YAML directive": "%YAML 1.1\n---\na: 1\n",
        "empty key": "a: 1\n: x\n",
        "complex key": "? a\n: b\n",
        "block scalar at the end without a line break": "a: |\n  x",  # libyaml: "x", yaml-rs: "x\n"
        "block scalar kept": "a: |+\n  x\n\nb: 1\n",
        "block scalar with an indentation indicator": "a: |2-\n   x\nb: 1\n",
        "block scalar with a comment on its header": "a: |- # c\n  x\nb: 1\n",
        "block scalar with a space after its header": "a: |- \n  x\nb: 1\n",
        "block scalar on the line after its key": "a:\n  |-\n  x\nb: 1\n",
        "block scalar in a flow list": "a: [|-\n  x]\n",
        "block scalar after a quoted key": "'a': |-\n  x\n",
        "block scalar as a key": "? |-\n  x\n: 1\n",
        "block scalar with two keys on its line": "a: b: |-\n  x\n",
        "block scalar empty": "a: |-\nb: 1\n",
        "block scalar empty at the end": "a: |-\n\n",
        "block scalar at its key's column": "a:\n  b: |-\n  x\n",
        "block scalar left of its key": "a:\n  b: |-\n x\n",
        "block scalar of an entry at its column": "a:\n  - |-\n  x\n",
        "block scalar of an entry's key at the entry's column": "a:\n  - b: |-\n    x\n",
        "block scalar with a line of spaces": "a: |-\n  x\n  \n  y\nb: 1\n",
        "block scalar with a line of spaces at its end": "a: |-\n  x\n   \nb: 1\n",
        "block scalar with a line of spaces at its start": "a: |-\n    \n  x\nb: 1\n",
        "block scalar with a line between it and its key": "a:\n  b: |-\n      x\n     y\n  c: 1\n",
        "block scalar with a comment left of it": "a: |-\n    x\n  # c\nb: 1\n",
        "block scalar with a comment at column 0 after it": "a: |-\n    x\n# c\nb: 1\n",
        "block scalar with a placeholder in the text": "a: |-\n  x\nb: \ue0010\n",
        "block scalar with a placeholder in its text": "a: |-\n  \ue0010\nb: 1\n",
        "folded scalar plain": "a: >\n  x\n  y\n",
        "block placeholder in a longer plain scalar": "a: x\n  - |-\n    y\nb: 1\n",
        "block placeholder as a key's text": "a: {x: 1}\n- |-\n  y\n",
        "folded scalar": "a: >-\n  x\n  y\n",
        "quoted key with a number": 'a: {"b":010}\n',
        "quoted key with a number in a list": "a: ['b':010]\n",
        "leading zero with a sentinel in the text": "a: 08\nb: \ue000\n",
        "leading zero with a sentinel in a comment": "a: 08  # \ue000\n",
        "escape in double quotes": 'a: "x\\ty"\n',
        "backslash in plain text": "a: C:\\x\n",
        "double quotes over two lines": 'a: "x\n  y"\nb: 1\n',
        "single quotes over two lines": "a: 'x\n  y'\nb: 1\n",
        "flow list over two lines": "a: [x,\n  y]\nb: 1\n",
        "flow list closed by a quoted bracket": 'a: [x, "]"\n  ]\n',
        "flow list with a comment inside": "a: [x, # c\n  y]\n",
        "tab after a colon": "a:\tb\n",
        "tab in indentation": "a:\n\tb: 1\n",
        "control character": "a: x\x01y\n",
        "DEL": "a: x\x7fy\n",
        "C1 control": "a: x\u0080y\n",
        "NEL": "a: x\u0085y\n",
        "line separator": "a: x\u2028y\n",
        "paragraph separator": "a: x\u2029y\n",
        "BOM inside the text": "a: x\ufeffy\n",
        "lone CR": "a: x\rb: y\n",
        "lone CR inside a text": "a: x\r  y\nb: 1\n",
        "lone CR between elements": "items:\n  - code: a\r  - code: b\n",
        "at sign": "a: @x\n",
        "backtick": "a: `x\n",
        "percent": "a: %x\n",
        "reserved indicator in a flow list": "a: [@x]\n",
        "nesting 64 deep (flow)": "a: " + "[" * 64 + "]" * 64 + "\n",
        "nesting 65 deep (flow)": "a: " + "[" * 65 + "]" * 65 + "\n",
        "nesting 100 deep (flow)": "a: " + "[" * 100 + "]" * 100 + "\n",
        "nesting 300 deep (flow)": "a: " + "[" * 300 + "]" * 300 + "\n",
        "nesting 100 deep (block)": "".join(" " * i + "k:\n" for i in range(100)) + " " * 100 + "v\n",
        "nesting 70 deep (block lists)": "".join(" " * (2 * i) + "- k:\n" for i in range(70)) + " " * 140 + "- v\n",
        "root list": "- a\n- b\n",
        "root scalar": "x\n",
        "root flow mapping": "{a: 1}\n",
        "root indented": "  a: 1\n  b: 2\n",
        "quoted top-level key": '"a": 1\n',
        "dash in a flow list": "a: [-]\n",
        "empty value of a pair in a flow list": "a: [x:]\n",  # libyaml refuses these; yaml-rs reads {x: null}
        "empty value of a pair before a comma": "a: [x:, y]\n",
        "empty value in a flow mapping": "a: {x:}\n",
        "space before the colon of a pair": "a: [x :]\n",
    }
)


@needs_yaml_rs
@pytest.mark.parametrize("name", list(CASES))
def test_what_could_read_otherwise_declines(name, monkeypatch):
    raw = CASES[name].encode("utf-8")
    assert fast(raw) is None, name
    assert_equivalent(raw, monkeypatch, name)


# Each layer refuses on its own what it is there for (the layers overlap: a typed key the scan missed would still
# be refused as a key that is not text, a root the scan misplaced by the count of its keys).
SCAN_REFUSES = [name for name in CASES if not name.startswith(("leading zero", "block placeholder", "block scalar with a placeholder", "duplicate", "nesting", "root", "two documents", "document end", "empty key", "quoted top-level"))]


@pytest.mark.parametrize("name", SCAN_REFUSES)
def test_the_scan_of_the_text_alone_refuses_it(name):
    text = CASES[name].encode("utf-8")
    assert not fastparse._scan_passes(text, b"\n" + text, text.decode("utf-8")), name


@pytest.mark.parametrize(
    "data",
    [{True: 1}, {None: 1}, {1: "a"}, {"a": 1.5}, {"a": [b"x"]}, {"a": {"b": (1,)}}, {"a": datetime.date(2024, 3, 1)}, {"a": eval("[" * 64 + "]" * 64)}],
    ids=["bool key", "null key", "int key", "float", "bytes", "tuple", "date", "64 deep"],
)
def test_data_that_is_not_plain_is_refused(data):
    assert not fastparse._plain(data)
    assert not fastparse._restore(data, [])  # the walk that also gives back swapped zeros and block scalars


def test_data_nested_just_under_the_bound_is_plain():
    assert fastparse._plain({"a": eval("[" * 63 + "]" * 63), "b": [1, True, None, "x", {"c": -1}]})
    assert fastparse._restore({"a": eval("[" * 63 + "]" * 63), "b": [1, True, None, "x\ue000", {"c\ue000": "\ue0010"}]}, ["y"])


def test_restore_gives_back_zeros_and_block_scalars_in_one_walk():
    data = {"a": ["\ue0008", {"\ue000k": "\ue0010", "n": 1}], "b": "\ue0011"}
    assert fastparse._restore(data, ["甲", "乙\n"])
    assert data == {"a": ["08", {"0k": "甲", "n": 1}], "b": "乙\n"}


LAYOUT_DISAGREES = {
    "a top-level key missing": (b"a: 1\n", {"a": 1, "b": 2}),
    "a top-level key renamed": (b"a: 1\nc: 2\n", {"a": 1, "b": 2}),
    "a line before the root": (b"  x: 0\na: 1\n", {"a": 1}),
    "an element missing": (b"items:\n  - code: a\n", {"items": [{"code": "a"}, {"code": "b"}]}),
    "an element too many": (b"items:\n  - code: a\n  - code: b\n", {"items": [{"code": "a"}]}),
    "another first key": (b"items:\n  - code: a\n    seq: 1\n", {"items": [{"seq": 1, "code": "a"}]}),
    "a line left of the keys": (b"items:\n  - code: a\n   seq: 1\n", {"items": [{"code": "a", "seq": 1}]}),
    "a header's first key": (b"declared:\n  items: 1\n", {"declared": {"categories": 1}}),
    "a nested list's key": (b"c:\n  - name: x\n    things:\n      - k: 1\n", {"c": [{"name": "x", "items": [{"k": 1}]}]}),
    "a scalar where a list is": (b"items: x\n", {"items": [{"code": "a"}]}),
    "a value where none is": (b"a:\nb: 1\n", {"a": "x", "b": 1}),
}


@pytest.mark.parametrize("name", list(LAYOUT_DISAGREES))
def test_the_layout_declines_where_the_text_and_the_data_disagree(name):
    text, data = LAYOUT_DISAGREES[name]
    with pytest.raises(fastparse.Decline):
        fastparse._Layout(b"\n" + text, data).scan()


@needs_yaml_rs
def test_billion_laughs_declines(monkeypatch):
    raw = (REPO / "tests/fixtures/broken/hostile/billion-laughs.yaml").read_bytes()
    assert fast(raw) is None
    assert_equivalent(raw, monkeypatch)


@needs_yaml_rs
def test_a_declined_duplicate_key_is_libyamls_error_with_its_line():
    error = loaded(b"govlist: 1\naa: x\nbb: y\naa: z\n")
    assert isinstance(error, LoadError) and (error.rule, error.line, error.column) == ("parse.duplicate-key", 4, 1)


@needs_yaml_rs
def test_deep_nesting_is_libyamls_error():
    error = loaded(("a: " + "[" * 100 + "]" * 100 + "\n").encode())
    assert isinstance(error, LoadError) and error.rule == "parse.too-deep"


# --- what the fast path takes --------------------------------------------------------------------------------------

TAKEN = {
    "plain values": "govlist: 1\nkind: duty\nseq: 12\nneg: -7\nzero: 0\nflag: true\nother: False\nnothing: null\ntilde: ~\nempty:\nname: 名称\n",
    "digits starting a text": "a: 3个工作日内\nb: 2012年计划\nc: 15 个工作日\nd: 1.中共中央\ne: 2. 第二\nf: 0.5个\ng: [1.甲, 2.乙]\n1.键: x\n",
    "codes of digits and letters": "a: 36011800200Y\nb: 11510108008728119R\nc: 91110108MA01ABCD2X\nd: [1A, 2b]\ne: {k: 3X}\nf: 12ab  # c\n",
    "words that are text in both": "a: true story\nb: nothing\nc: yes please\nd: Noon\ne: offline\nf: tRUE\n",
    "quotes": "a: \"08\"\nb: '2024-03-01'\nc: 'it''s'\nd: \"x: y\"\n",
    "lists of mappings": "items:\n  - code: a\n    seq: 1\n  # a comment\n\n  - code: b\n    support:\n      - 甲\n      - 乙\nnext: 1\n",
    "indentless lists": "items:\n- code: a\n  seq: 1\n- code: b\nnext:\n- x\n",
    "nested lists": "categories:\n  - name: c\n    items:\n      - code: a\n        seq: 1\n      - code: b\n  - name: d\n    items: []\n",
    "a header mapping": "declared:\n  categories: 2\n  items: 3\n\n# trailing\ncategories: []\n",
    "flow collections": "rules: {}\nunits:\n  - {code: \"A\", name: 甲, aliases: [乙]}   # note\n  - {code: B}\nx: [a, b]\n",
    "entry on its own line": "items:\n  -\n    code: a\n    seq: 1\n  -   code: b\n",
    "no line break at the end": "items:\n  - code: a\n    seq: 1",
    "comments and blank lines at the end": "items:\n  - code: a\n\n# end\n  # indented\n",
    "CRLF": "items:\r\n  - code: a\r\n    seq: 1\r\n  - code: b\r\nnext: x\r\n",
    "suppressions": "govlist: 1\nitems:\n  - code: a  # govlist: ignore[schema.type] reason: test\n",
    "a comment at the end, no line break, at the element's column": "items:\n  - code: a\n    # x",
    "a comment at the end, no line break, right of the element": "items:\n  - code: a\n      # x",
    "a comment at the end, no line break, left of the element": "items:\n  - code: a\n # x",
    "spaces at the end, no line break, at the element's column": "items:\n  - code: a\n    ",
    "spaces at the end of a header mapping, no line break": "declared:\n  items: 1\n  ",
    "a comment at the end of a header mapping, no line break": "declared:\n  items: 1\n#",
    "nesting 63 deep": "a: " + "[" * 63 + "]" * 63 + "\n",
    "empty values and comments": "a: # note\nb:\n  # note\n  c: 1\nd:\n",
}


@needs_yaml_rs
@pytest.mark.parametrize("name", list(TAKEN))
def test_plain_catalog_forms_are_taken_and_equal(name, monkeypatch):
    raw = TAKEN[name].encode("utf-8")
    assert assert_equivalent(raw, monkeypatch, name), f"{name}: declined"


# --- leading zeros: `08` is the text "08" under YAML 1.1, the integer 8 under yaml-rs ---------------------------------

# not octal (an 8 or a 9): govlist reads the text; the fast path swaps the `0` for a sentinel before yaml-rs reads it
LEADING_ZERO = ["08", "09", "0809", "008", "0189", "0" + "9" * 30]


@needs_yaml_rs
@pytest.mark.parametrize("scalar", LEADING_ZERO)
@pytest.mark.parametrize("where", [where for where in _variants("08") if where != "key"])
def test_a_leading_zero_value_is_taken_as_its_text(scalar, where, monkeypatch):
    raw = _variants(scalar)[where].encode()
    assert assert_equivalent(raw, monkeypatch, f"{scalar} as {where}"), f"{scalar} as {where}: declined"
    assert scalar in repr(fast(raw)[0])  # type: ignore[index]


@needs_yaml_rs
@pytest.mark.parametrize("scalar", LEADING_ZERO)
def test_a_leading_zero_key_declines(scalar, monkeypatch):
    raw = _variants(scalar)["key"].encode()
    assert fast(raw) is None
    assert_equivalent(raw, monkeypatch, scalar)


LEADING_ZERO_TAKEN = {
    "a catalog's codes": "govlist: 1\ncategories:\n  - name: c\n    code: 08\n    items:\n      - code: 0801\n        seq: 1\n      - code: '09'\n  - name: d\n    code: 09\n",
    "flow list without spaces": "a: [08,09]\nb: [ 08 , 009 ]\n",
    "flow mapping": "a: {b: 08, c: [09]}\nd: {e: 08 }\n",
    "a flow element": "items:\n  - {code: 08, seq: 1}\n  - {code: 09}\n",
    "inside quoted scalars": "a: 'a, 08]'\nb: \"x: 08, y\"\nc: '- 09 # c'\nd: [x, '08']\n",
    "a quoted key holding one": "a: {'x, 08, y': 1, \"y: 09, z\": 2}\n",
    "in comments": "a: x # 08\n# 08\nb: 1  # c: 08, 09\n  # - 08\n",
    "a comment after it": "a: 08 # c\nb:\n  - 09  # d\n",
    "inside a longer plain scalar": "a: x, 08\nb: 第 08\nc: x? 08\nd: x]08\n",
    "on a continuation line": "a: x\n  08\nb: 1\n  09\n",
    "the end of the text without a line break": "a: 08",
    "the end of a list without a line break": "a:\n  - 08",
    "CRLF": "a: 08\r\nb:\r\n  - 09\r\n",
    "a sentinel without a leading zero": "a: \ue000\nb: 8\n",
}


@needs_yaml_rs
@pytest.mark.parametrize("name", list(LEADING_ZERO_TAKEN))
def test_leading_zero_values_are_taken_and_equal(name, monkeypatch):
    raw = LEADING_ZERO_TAKEN[name].encode()
    assert assert_equivalent(raw, monkeypatch, name), f"{name}: declined"


@needs_yaml_rs
@pytest.mark.parametrize("text", ["a: 0 8\n", "a: 08x\n", "a: 0８\n", "a: 08个\n", "a: '08\n", "a: 08: x\n", "a:\n  08: x\n", "a: [08: x]\n", "a: 1,08\n", "a: 0,09\n"])
def test_near_leading_zero_forms_read_as_libyaml_reads_them(text, monkeypatch):
    assert_equivalent(text.encode(), monkeypatch, text)


def test_every_leading_zero_value_the_scan_lets_through_is_swapped():
    """Where the scan lets a leading-zero value through (after any of its node starts: _NODE_STARTS and the flow
    starts), _LEADING_ZERO swaps its `0`: else yaml-rs would read an integer where libyaml reads a text. Random texts
    of the characters that matter, every node start of each (overlapping ones too) checked."""
    prefixes = [prefix for literal, prefix in fastparse._NODE_STARTS] + [re.escape(literal) + rb"[ ]*+" for literal in (b"[", b"{", b",")]
    starts = [re.compile(rb"(?=(" + prefix + rb")0" + fastparse._LEADING_ZERO_TAIL + rb")") for prefix in prefixes]
    rng = random.Random(8)
    alphabet = ["\n", " ", " ", ":", "-", "?", "[", "]", "{", "}", ",", "#", "'", '"', "x", "0", "1", "7", "8", "9", "08", "09", "08", "0709", "\r\n", "甲"]
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 24)))
        nl = ("\n" + text).encode()
        let_through = {match.end(1) - 1 for pattern in starts for match in pattern.finditer(nl)}  # indexes into text's bytes
        swapped = fastparse._LEADING_ZERO.sub(fastparse._SENTINEL_BYTES, text.encode()).decode()  # as parse swaps
        assert len(swapped) == len(text) and swapped.replace(fastparse._SENTINEL, "0") == text  # one character for one
        for at in let_through:
            index = len(nl[1 : at + 1].decode())  # the `0`'s index in the text (in characters)
            assert text[index] == "0" and swapped[index] == fastparse._SENTINEL, (text, index)
            checked += 1
    assert checked > 300


# --- literal block scalars: read by fastparse._block as libyaml reads them, never by yaml-rs -------------------------

BLOCK_TAKEN = {
    "top-level, stripped": "govlist: 1\nnote: |-\n  第一行\n  第二行\ntitle: x\n",
    "top-level, clipped": "note: |\n  x\n  y\ntitle: x\n",
    "trailing empty lines": "a: |-\n  x\n\n\nb: |\n  y\n\n\nc: 1\n",
    "empty lines inside and before": "a: |-\n\n  x\n\n\n  y\nb: 1\n",
    "lines right of the first": "a: |-\n  x\n    y\n   z\n  w\nb: 1\n",
    "a first line right of its key by more": "a:\n  b: |-\n          x\n          y\n  c: 1\n",
    "lines that look like YAML": "a: |-\n  - x\n  k: v\n  yes\n  08\n  010\n  |-\n  ---\n  ...\n  &a *b !t %x @y `z\n  [x, {y\n  'q\n  \"r\n  ? k\n  : v\nb: 1\n",
    "lines that look like comments": "a: |-\n  # not a comment\n  x # nor this\n  #\nb: 1\n",
    "deep lines": "a: |-\n  x\n" + " " * 100 + "y\nb: 1\n",
    "in list elements": "items:\n  - name: a\n    note: |-\n      x\n      - y\n    seq: 1\n  - note: |\n      z\n\n  - name: b\nnext: 1\n",
    "as entries": "a:\n  - |-\n    x\n    y\n  - |\n    z\n  - w\nb:\n- |-\n  indentless\n- v\n",
    "deeper than the spans": "a:\n  b:\n    - c:\n        - d:\n            e: |-\n              x\n              y\n",
    "at the end of the text": "a:\n  - note: |-\n      x\n\n",
    "at the end of the text, no empty line": "items:\n  - note: |-\n      x\n",
    "after a comment line": "a: |-\n  x\nb: 1\n# c\n",
    "CRLF": "a: |-\r\n  x\r\n\r\n  y\r\nb: |\r\n  z\r\n",
    "with leading zeros around": "a: |-\n  08\n  x: 08\nb: 08\nc: [09]\n",
    "a key with spaces and a hash": "a b#c: |-\n  x\n",
    "keys with colons and spaces": "a:: |-\n  x\nb:c: |-\n  y\nd : |-\n  z\n",
    "a bar elsewhere": "a: x|\nb: |-\n  y|\n  |\nc: 'z |'\n",
    "the suppressions of the lines after": "a: |-\n  x\nitems:\n  - code: a  # govlist: ignore[schema.type] reason: t\n",
    "two in a row": "a: |-\n  x\nb: |-\n  y\n",
}


@needs_yaml_rs
@pytest.mark.parametrize("name", list(BLOCK_TAKEN))
def test_literal_block_scalars_are_taken_and_equal(name, monkeypatch):
    raw = BLOCK_TAKEN[name].encode("utf-8")
    assert assert_equivalent(raw, monkeypatch, name), f"{name}: declined"


@pytest.mark.parametrize(
    "data, blocks",
    [({"a": "x \ue0010"}, ["y"]), ({"a": "\ue0010", "b": ["\ue0010"]}, ["y"]), ({"a": 1}, ["y"]), ({"\ue0010": 1}, ["y"]), ({"a": "\ue0011"}, ["y"])],
    ids=["in a longer text", "twice", "missing", "a key", "another number"],
)
def test_a_placeholder_that_is_not_a_whole_value_once_declines(data, blocks):
    with pytest.raises(fastparse.Decline):
        fastparse._restore(data, blocks)


def unbounded_repeats(pattern: bytes) -> list[str]:
    """The kinds of the repeats without an upper bound in a regular expression (its parse tree, as re compiles it)."""
    import re._constants as constants  # type: ignore[import-not-found]
    import re._parser as parser  # type: ignore[import-not-found]

    repeats = (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT)
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, (parser.SubPattern, list, tuple)):
            for part in node:
                if isinstance(part, tuple) and len(part) == 2 and part[0] in repeats:
                    low, high, inner = part[1]
                    if high == constants.MAXREPEAT:
                        found.append(str(part[0]))
                    walk(inner)
                else:
                    walk(part)

    walk(parser.parse(pattern.decode("latin-1")))
    return found


@needs_yaml_rs
def test_a_long_line_before_a_block_header_costs_its_length():
    """The header's key was matched with backtracking once: a line of 2,000,000 spaces took hours. Now every repeat
    of the header's pattern without a bound is possessive (it never gives back what it took: one match attempt costs
    the length of its line at most), and it is tried once per line that ends in a `|`: _placeholders runs as many
    Python lines for a line of 2,000,000 spaces or 1,000,000 `: ` as for one of 10. Counted, not timed."""
    from steps import lines_run

    assert unbounded_repeats(fastparse._BLOCK_HEADER.pattern) == ["POSSESSIVE_REPEAT"] * 6
    for filler, count in ((b" ", 2_000_000), (b": ", 1_000_000)):
        runs = []
        for times in (10, count):
            text = b"a: 1\nk" + filler * times + b"x: |-\n  y\n"
            seen, result = lines_run(fastparse._placeholders, lambda: fastparse.parse(text))
            assert result is None or result[0]["a"] == 1
            runs.append(seen)
        assert runs[0] == runs[1] > 0, (filler, runs)


def test_unbounded_repeats_are_found():
    assert unbounded_repeats(rb"a*b+?(?:c|d*+)e{2,}f?") == ["MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT", "MAX_REPEAT"]


BLOCK_LINES = ["x", "文本", "- x", "k: v", "# c", "yes", "08", "|-", "'q", '"r', "[a", "{b", "a: b: c", "---", "...", "? k", "&a", "x  y", "x #y", "0", "~"]


def random_block_scalar(rng: random.Random) -> tuple[str, str]:
    """A header and the lines of a random literal block scalar (mostly of forms the fast path takes, some not)."""
    header = rng.choice(["|-", "|-", "|", "|", "|+", ">", ">-", "|2-", "|- # c", "|- "])
    indent = rng.choice([1, 2, 2, 4, 6])
    lines = []
    for _ in range(rng.randrange(0, 6)):
        kind = rng.random()
        if kind < 0.15:
            lines.append("")
        elif kind < 0.2:
            lines.append(" " * rng.randrange(1, 8))  # spaces only
        elif kind < 0.3:
            lines.append(" " * (indent + rng.choice((-2, -1, 1, 3))) + rng.choice(BLOCK_LINES))  # left or right of the rest
        else:
            lines.append(rng.choice(BLOCK_LINES))
    return header, "\n".join(" " * indent + line if line and not line.startswith(" ") else line for line in lines)


@needs_yaml_rs
def test_random_block_scalars_read_as_libyaml_or_decline(monkeypatch):
    """Block scalars of random content (empty lines, lines of spaces, lines left and right of the first, lines that
    look like keys, entries, comments, document markers, headers), as values of top-level keys, of keys in list
    elements and of entries, followed by lines at every column, with and without a line break at the end."""
    rng = random.Random(1207)
    taken, rounds = 0, 500
    for round_ in range(rounds):
        header, body = random_block_scalar(rng)
        place = rng.randrange(3)
        shift = [0, 4, 4][place]
        body = "\n".join(" " * shift + line if line else line for line in body.split("\n"))
        after = " " * rng.choice([0, 0, 2, 4, 5]) + rng.choice(["next: 1", "- e", "# c", "code: b", ""])
        if place == 0:
            text = f"govlist: 1\nnote: {header}\n{body}\n{after}"
        elif place == 1:
            text = f"items:\n  - code: a\n    note: {header}\n{body}\n{after}"
        else:
            text = f"items:\n  - {header}\n{body}\n{after}"
        text += rng.choice(["\n", "", "\nz: 1\n"])
        if rng.random() < 0.15:
            text = text.replace("\n", "\r\n")
        taken += assert_equivalent(text.encode("utf-8"), monkeypatch, f"block {round_}: {text!r}")
    assert rounds // 10 <= taken < rounds, taken


def _block_by_lines(nl: bytes, start: int, owner: int) -> tuple[int, str]:
    """fastparse._block as it was (session 12, a Python loop over the lines): the oracle of the one that replaced it."""
    parts: list[bytes] = []
    empty = 0
    column = -1
    at = start
    size = len(nl)
    while at < size:
        eol = nl.find(b"\n", at)
        if eol < 0:
            eol = size
        line = nl[at:eol].rstrip(b"\r")
        if not line:
            empty += 1
            at = eol + 1
            continue
        spaces = len(line) - len(line.lstrip(b" "))
        if spaces == len(line):
            return -1, ""
        if column < 0:
            if spaces <= owner:
                return -1, ""
            column = spaces
        elif spaces < column:
            if spaces > owner or line[spaces : spaces + 1] == b"#":
                return -1, ""
            break
        if eol == size:
            return -1, ""
        parts += [b""] * empty
        parts.append(line[column:])
        empty = 0
        at = eol + 1
    if column < 0:
        return -1, ""
    return min(at, size), b"\n".join(parts).decode("utf-8")


SEGMENT_LINES = ["x", "文本", "# c", "#", "- x", "k: v", "x  y", "x #y", "|-", "'q", "\r", "\r\r", "x\r\r", "\r x", "a\rb", ""]


def random_segment(rng: random.Random) -> tuple[bytes, int, int]:
    """A text, the start of a block scalar's lines in it and its owner's column: random indentation, empty lines,
    lines of spaces (some with CRs), lines that look like comments, lines left of the column, CRLF, lone CRs, the
    end of the text with and without a line break."""
    owner = rng.choice([0, 0, 1, 2, 3, 4, 6])
    column = owner + rng.choice([1, 1, 2, 2, 3, 4, -1, 0])
    lines = []
    for _ in range(rng.randrange(0, 9)):
        kind = rng.random()
        if kind < 0.15:
            lines.append(rng.choice(["", "", "\r", "\r\r"]))
        elif kind < 0.2:
            lines.append(" " * rng.randrange(1, column + 3) + rng.choice(["", "", "\r", "\r\r"]))  # spaces only
        elif kind < 0.35:
            lines.append(" " * max(0, column + rng.choice((-4, -3, -2, -1, 1, 2, 5))) + rng.choice(SEGMENT_LINES))
        else:
            lines.append(" " * max(0, column) + rng.choice(SEGMENT_LINES))
    ending = rng.choice(["\n", "\r\n", "", "\n\n", "\n  ", "\n\r", " "])
    body = "\n".join(lines) + ending
    if rng.random() < 0.2:
        body = body.replace("\n", "\r\n")
    before = rng.choice(["", "a: |-\n", "k:\n  - |\r\n", "x"])
    return (before + body).encode("utf-8"), len(before.encode("utf-8")), owner


def test_block_reads_every_segment_as_the_loop_over_its_lines_did():
    """_block (a search and a few passes over the whole segment) gives the very (end, text) of the Python loop over
    the lines it replaced, on random segments of every form, the ones it declines included."""
    rng = random.Random(1208)
    taken = 0
    for round_ in range(20_000):
        nl, start, owner = random_segment(rng)
        expected = _block_by_lines(nl, start, owner)
        assert fastparse._block(nl, start, owner) == expected, (round_, nl, start, owner)
        taken += expected[0] >= 0
    assert 2_000 < taken < 18_000, taken


@pytest.mark.parametrize(
    "nl, start, owner",
    [
        (b"a: |-\n  x\n  y\nb: 1\n", 6, 0),
        (b"a: |-\n\n\r\n  x\r\n\r\n   y\r\r\n\r\nb\n", 6, 0),
        (b"a: |-\n  x\n   \nb: 1\n", 6, 0),  # a line of spaces only
        (b"a: |-\n  x\n \r\nb: 1\n", 6, 0),  # and CRs
        (b"  a: |-\n    x\n   y\n", 9, 2),  # left of the text, right of the owner
        (b"  a: |-\n    x\n  # c\n", 9, 2),  # a comment
        (b"  a: |-\n    x\n  \r y\n", 9, 2),  # a CR that is not a line's end
        (b"a: |-\n  x\n  y", 6, 0),  # no line break at the end
        (b"a: |-\n  x\n  y\n\r", 6, 0),
        (b"a: |-\n\n\n", 6, 0),  # empty lines only
        (b"a: |-\n  x\n" + b"  y\n" * 1000 + b"\n" * 5 + b"b", 6, 0),
        (b"  x\n", 0, 1),  # no line break before the start
    ],
)
def test_block_reads_these_segments_as_the_loop_did(nl, start, owner):
    assert fastparse._block(nl, start, owner) == _block_by_lines(nl, start, owner)


@needs_yaml_rs
def test_a_file_of_block_scalars_costs_no_python_per_line():
    """_block reads a block scalar's lines without a Python loop over them (a file of block scalars cost 2.8-4 times
    libyaml's time so): the Python lines it runs are as many for a block of 100,000 lines as for one of 10. Counted
    by a trace of its frame, not timed: no bound on a clock that a loaded machine would break."""

    from steps import lines_run

    def steps(count: int) -> int:
        nl = b"\na: |-\n" + b"  x\n" * count + b"b: 1\n"
        seen, (end, text) = lines_run(fastparse._block, lambda: fastparse._block(nl, 7, 0))
        assert (end, text) == (len(nl) - 5, "\n".join(["x"] * count))
        return seen

    assert steps(100_000) == steps(10) > 0


# --- random mutations of the bundled catalogs ----------------------------------------------------------------------

INSERTED = [*RISKY, *LEADING_ZERO, "1", "0", "true", "null", "~", "", '"x"', "'y'", "x # c", "- a", "[a, b]", "{k: v}", "|", "&a x", "*a", "!t x", "a: b", "\t", "文本"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    indent = len(line) - len(line.lstrip(" "))
    kind = rng.randrange(9)
    if kind == 0 and ": " in line:  # another scalar as the value
        lines[index] = line[: line.index(": ") + 2] + rng.choice(INSERTED)
    elif kind == 1:  # reindented
        lines[index] = " " * max(0, indent + rng.choice((-2, -1, 1, 2))) + line.lstrip(" ")
    elif kind == 2:  # a comment
        lines.insert(index, " " * rng.randrange(0, indent + 3) + "# " + rng.choice(("注释", "x: 1", "- y", "")))
    elif kind == 3:  # a blank line (with spaces, sometimes)
        lines.insert(index, " " * rng.choice((0, 0, 2, 7)))
    elif kind == 4 and ": " in line:  # the value quoted or unquoted
        key, _, value = line.partition(": ")
        quote = rng.choice(('"', "'"))
        lines[index] = f"{key}: {value.strip(quote + chr(34) + chr(39))}" if value[:1] in "\"'" else f"{key}: {quote}{value}{quote}"
    elif kind == 5:  # a scalar as a key
        lines[index] = " " * indent + rng.choice(INSERTED) + ": x"
    elif kind == 6 and index:  # a line removed
        del lines[index]
    elif kind == 7:  # a line repeated (duplicate keys, extra elements)
        lines.insert(index, line)
    else:  # the end of the file cut
        return "\n".join(lines[: index + 1])
    return "\n".join(lines)


@needs_yaml_rs
def test_random_mutations_of_the_catalogs_read_as_libyaml_or_decline(monkeypatch):
    rng = random.Random(20261207)
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "catalogs").rglob("*.yaml"))]
    small = [text for text in texts if len(text) < 40_000]
    taken = 0
    rounds = 400
    for round_ in range(rounds):
        text = rng.choice(small)
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        taken += assert_equivalent(text.encode("utf-8"), monkeypatch, f"mutation {round_}")
    assert rounds // 5 <= taken < rounds  # both sides are exercised


ZERO_TOKENS = ["08", "09", "0809", "008", " 08", "08 ", ", 09", ": 08", "- 09", "[08, 09]", "{k: 08}", "08 # c", "\n08", "\n  - 09", "\r\n  08", "'08", "x08", "08x", "-08", "0_8"]


@needs_yaml_rs
def test_leading_zeros_inserted_anywhere_read_as_libyaml_or_decline(monkeypatch):
    """Leading-zero values put in at random places of the catalogs (values, keys, quoted scalars, comments, flow
    collections, the middle of a word), and as the values of random keys: each file gives libyaml's data, spans and
    marks, or declines."""
    rng = random.Random(808)
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "catalogs").rglob("*.yaml"))]
    small = [text for text in texts if len(text) < 20_000]
    taken, swapped, rounds = 0, 0, 400
    for round_ in range(rounds):
        text = rng.choice(small)
        for _ in range(rng.randrange(1, 4)):
            token = rng.choice(ZERO_TOKENS)
            if rng.random() < 0.3:
                at = rng.randrange(len(text) + 1)  # anywhere
            else:  # as a value: after a random `: ` or `- `
                starts = [match.end() for match in re.finditer(r": |- ", text)]
                at = rng.choice(starts) if starts else 0
                end = text.find("\n", at)
                text = text[:at] + text[end if end >= 0 else len(text) :]
            text = text[:at] + token + text[at:]
        raw = text.encode("utf-8")
        took = assert_equivalent(raw, monkeypatch, f"round {round_}")
        taken += took
        swapped += took and bool(fastparse._LEADING_ZERO.search(raw))
    assert swapped >= rounds // 6 and taken < rounds, (taken, swapped)  # both sides are exercised


# --- random documents ---------------------------------------------------------------------------------------------

WORDS = ["1.中", "36011800200Y", "12e3", "1A", "名称", "甲乙", "abc", "x y", '"q"', "'s'", "3个", "12", "0", "-5", "true", "null", "~", "", "a#b", "a: b", "[a, b]", "{k: 甲}", "[]", "{}", "http://x", "文本 # 注释", "yes", "08"]
KEYS = ["code", "name", "items", "seq", "名称", "a b", "support", "k"]


def random_block(rng: random.Random, depth: int, indent: int) -> list[str] | None:
    """The lines of a random block mapping or list (None: a scalar), with comments and blank lines among them."""
    kind = rng.random()
    if depth > 3 or kind < 0.15:
        return None
    out: list[str] = []
    if kind < 0.6:
        for key in rng.sample(KEYS, rng.randrange(1, 5)):
            sub = random_block(rng, depth + 1, indent + rng.choice((2, 2, 4, 1)))
            if sub is None:
                out.append((" " * indent + f"{key}: {rng.choice(WORDS)}").rstrip())
            else:
                out.append(" " * indent + f"{key}:" + rng.choice(("", "", "  # c")))
                out.extend(sub)
            if rng.random() < 0.15:
                out.append(" " * rng.randrange(0, 8) + rng.choice(("# 注", "", "#")))
        return out
    for _ in range(rng.randrange(1, 4)):
        sub = random_block(rng, depth + 1, indent + 2)
        if sub is None:
            out.append(" " * indent + "- " + rng.choice(WORDS))
        elif rng.random() < 0.8 and not sub[0].lstrip(" ").startswith(("- ", "#")):
            out.append(" " * indent + "- " + sub[0].lstrip(" "))
            out.extend(sub[1:])
        else:
            out.append(" " * indent + "-")
            out.extend(sub)
        if rng.random() < 0.1:
            out.append("")
    return out


@needs_yaml_rs
def test_random_documents_read_as_libyaml_or_decline(monkeypatch):
    """Random nestings of mappings and lists, with comments, blank lines, CRLF, and endings with and without a line
    break (which found where libyaml ends a mapping at the end of a text)."""
    rng = random.Random(11)
    taken, rounds = 0, 600
    for round_ in range(rounds):
        lines = []
        for key in rng.sample(["govlist", "kind", "items", "declared", "categories", "title", "rules"], rng.randrange(1, 6)):
            sub = random_block(rng, 1, rng.choice((2, 2, 0, 4)))
            if sub is not None and sub[0].startswith((" ", "- ")):
                lines += [f"{key}:", *sub]
            else:
                lines.append(f"{key}: {rng.choice(WORDS)}".rstrip())
        text = "\n".join(lines) + rng.choice(("\n", "", "\n\n", "\n# end\n", "\n  # x", "\n    "))
        if rng.random() < 0.2:
            text = text.replace("\n", "\r\n")
        taken += assert_equivalent(text.encode("utf-8"), monkeypatch, f"document {round_}: {text!r}")
    assert rounds // 10 <= taken < rounds


# --- switches ------------------------------------------------------------------------------------------------------


def _run(code: str, **env: str) -> str:
    environment = {**os.environ, **env}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=REPO, check=True)
    return done.stdout.strip()


def test_govlist_parser_libyaml_switches_the_fast_path_off():
    assert _run("from govlist import fastparse; print(fastparse.ENABLED)", GOVLIST_PARSER="libyaml") == "False"


def test_without_yaml_rs_libyaml_reads_every_file():
    code = "import sys; sys.modules['yaml_rs'] = None\nfrom govlist import fastparse\nfrom govlist.loader import load_bytes\nassert not fastparse.ENABLED and fastparse.parse(b'a: 1\\n') is None\nprint(load_bytes(b'a: 08\\nb: [1]\\n', 't.yaml').data)"
    assert _run(code) == "{'a': '08', 'b': [1]}"


@needs_yaml_rs
@pytest.mark.parametrize("folder", ["catalogs", "examples"])
def test_validate_output_is_byte_identical_with_libyaml(folder, tmp_path):
    outputs = []
    for parser in ("libyaml", ""):
        env = {**os.environ, "GOVLIST_PARSER": parser}
        command = [sys.executable, "-m", "govlist.cli", "validate", "--no-cache", "--jobs", "1", "--format", "json", "--fail-on", "never", folder]
        done = subprocess.run(command, capture_output=True, env=env, cwd=REPO)
        assert done.returncode == 0, done.stderr.decode()[-400:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1], hashlib.sha256(outputs[0]).hexdigest()
    assert re.search(rb'"findings"', outputs[0])


@needs_yaml_rs
@pytest.mark.parametrize(
    "text",
    [
        "a:\n" + "- " * 100_000 + "x\n",  # killed the process (SIGSEGV) when yaml-rs was given it
        "a:\n" + "".join(" " * i + "k:\n" for i in range(200)) + " " * 200 + "v\n",
        "a: " + "[" * 5_000 + "]" * 5_000 + "\n",
    ],
    ids=["entries 100,000 deep on one line", "mappings 200 deep", "flow 5,000 deep"],
)
def test_nesting_deeper_than_the_bound_never_reaches_yaml_rs(text):
    """yaml-rs recurses: a text nested deep enough overflows its stack and ends the process (no exception to catch),
    so the scan declines before it parses, and libyaml's path refuses the file with its line. In a child process: a
    crash there fails this test instead of ending the run."""
    code = (
        "import sys\nfrom govlist import fastparse\nfrom govlist.loader import LoadError, load_bytes\n"
        "raw = sys.stdin.buffer.read()\nassert fastparse.parse(raw) is None\n"
        "try:\n    load_bytes(raw, 't.yaml')\nexcept LoadError as error:\n    print(error.rule)\n"
    )
    raw = text.encode()
    assert not fastparse._scan_passes(raw, b"\n" + raw, text), "the scan alone declines it"
    done = subprocess.run([sys.executable, "-c", code], input=raw, capture_output=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-400:]
    assert done.stdout.decode().strip() == "parse.too-deep"


@needs_yaml_rs
def test_a_fault_of_the_layout_scan_sends_the_file_to_libyaml(monkeypatch):
    """The fast path is a pre-filter: an error of its own (not only a Decline) means libyaml reads the file, never an
    internal error shown to the user."""
    raw = b"govlist: 1\nkind: duty\nitems:\n  - name: a\n"
    assert fast(raw) is not None

    def broken(self):
        raise IndexError("a fault of the scan")

    monkeypatch.setattr(fastparse._Layout, "scan", broken)
    assert fast(raw) is None
    assert load_bytes(raw, "t.yaml").data == {"govlist": 1, "kind": "duty", "items": [{"name": "a"}]}


# --- the layout's block sequences read in bulk (_Layout._entries) ---------------------------------------------------


def random_sequence(rng: random.Random, column: int, depth: int) -> list[str]:
    """The lines of a random block sequence at `column`: mostly entries of the form _entries reads (`- key: …`),
    some of every other form (`-  key`, `-` alone, `- {…}`, a scalar, a comment after the `-`), with nested lists,
    comments, blank lines and lines of spaces at random columns, and now and then a line between the `-` and the keys."""
    out: list[str] = []
    for _ in range(rng.randrange(1, 6)):
        keys = rng.sample(["code", "name", "seq", "名称", "a b", "items"], rng.randrange(1, 4))
        form = rng.random()
        inner = column + 2
        if form < 0.7:
            out.append(" " * column + f"- {keys[0]}: {rng.choice(('x', '甲', '1', ''))}".rstrip() + rng.choice(("", "", "  # c")))
        elif form < 0.76:
            inner = column + 3
            out.append(" " * column + f"-  {keys[0]}: x")
        elif form < 0.82:
            out.append(" " * column + rng.choice(("-", "-  # c")))
            out.append(" " * inner + f"{keys[0]}: x")
        elif form < 0.88:
            out.append(" " * column + f"- {{{keys[0]}: x}}")
            keys = keys[:1]
        elif form < 0.94:
            out.append(" " * column + "- " + rng.choice(("x", "甲", "1")))
            keys = []
        else:
            out.append(" " * column + f'- "{keys[0]}": x')
        for key in keys[1:]:
            if depth < 3 and rng.random() < 0.3:
                out.append(" " * inner + f"{key}:")
                out.extend(random_sequence(rng, inner + rng.choice((0, 2, 2)), depth + 1))
            else:
                out.append(" " * inner + f"{key}: v")
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            out.append(rng.choice(("", " " * rng.randrange(1, 9), " " * rng.randrange(0, 9) + "# 注")))
        if rng.random() < 0.02:
            out.append(" " * (column + 1) + "z: 1")
    return out


def random_sequence_document(rng: random.Random) -> str:
    lines = ["govlist: 1"]
    for key in rng.sample(["items", "categories", "units"], rng.randrange(1, 3)):
        column = rng.choice((0, 2, 2, 4))
        if key == "categories":  # lists of lists: the items' own spans are the deepest recorded
            lines.append("categories:")
            for number in range(rng.randrange(1, 4)):
                lines += [" " * column + f"- name: c{number}", " " * (column + 2) + "items:"]
                lines += random_sequence(rng, column + rng.choice((2, 4, 4)), 2)
        else:
            lines += [f"{key}:", *random_sequence(rng, column, 1)]
        if rng.random() < 0.5:
            lines.append(f"after_{key}: 1")
    text = "\n".join(lines) + rng.choice(("\n", "", "\n\n", "\n# end\n", "\n  # x", "\n    "))
    return text.replace("\n", "\r\n") if rng.random() < 0.15 else text


def layout_outcome(nl: bytes, data: dict, bulk: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        if not bulk:
            patch.setattr(fastparse._Layout, "_entries", lambda self, items, path, dash, column: -1)
        try:
            spans, marks = fastparse._Layout(nl, data).scan()
        except fastparse.Decline:
            return "declined"
    return list(spans.items()), list(marks.items())  # in order: the cache writes them so


def test_entries_read_every_sequence_as_the_loop_over_its_elements_does(monkeypatch):
    """_entries (a few searches and counts, mapped in C) gives the very spans, marks, order and declines of
    _each_entry (the loop over the elements, the reference) on random sequences of every form, or leaves them to it."""
    rng = random.Random(1313)
    bulk_taken, left, compared, declined = 0, 0, 0, 0
    entries = fastparse._Layout._entries

    def counted(self, items, path, dash, column):
        nonlocal bulk_taken, left
        ended = entries(self, items, path, dash, column)
        bulk_taken += ended >= 0
        left += ended < 0
        return ended

    for round_ in range(1_500):
        text = random_sequence_document(rng)
        want = reference(text.encode("utf-8"), monkeypatch)
        if isinstance(want, LoadError) or type(want.data) is not dict:
            continue
        nl = b"\n" + text.encode("utf-8")
        expected = layout_outcome(nl, want.data, False, monkeypatch)
        monkeypatch.setattr(fastparse._Layout, "_entries", counted)
        assert layout_outcome(nl, want.data, True, monkeypatch) == expected, (round_, text)
        monkeypatch.undo()
        compared += 1
        declined += expected == "declined"
    assert compared > 1_000 and bulk_taken > 1_000 and left > 300 and 100 < declined < compared // 2, (compared, bulk_taken, left, declined)


@needs_yaml_rs
def test_random_sequences_read_as_libyaml_or_decline(monkeypatch):
    rng = random.Random(1314)
    taken, rounds = 0, 500
    for round_ in range(rounds):
        text = random_sequence_document(rng)
        taken += assert_equivalent(text.encode("utf-8"), monkeypatch, f"document {round_}: {text!r}")
    assert rounds // 5 <= taken < rounds, taken


SEQUENCES = {
    "entries of the one form": ("items:\n  - code: a\n    seq: 1\n  - code: b\nnext: 1\n", "in bulk"),
    "at column 0": ("items:\n- code: a\n  seq: 1\n- code: b\n", "in bulk"),
    "comments and blank lines between": ("items:\n  - code: a\n\n# c\n      # d\n  - code: b\n \n", "in bulk"),
    "the last at the end of the text": ("items:\n  - code: a\n  - code: b", "in bulk"),
    "CRLF": ("items:\r\n  - code: a\r\n    seq: 1\r\n  - code: b\r\n", "in bulk"),
    "a key with spaces before its colon": ("items:\n  - code  : a\n  - code: b\n", "in bulk"),
    "nested in categories": ("categories:\n  - name: c\n    items:\n      - code: a\n      - code: b\n    note: x\n  - name: d\n", "in bulk"),
    "a list of lists of the form": ("units:\n  - code: a\n    staff:\n      - name: 甲\n      - name: 乙\n  - code: b\n", "in bulk"),
    "two spaces after a dash": ("items:\n  - code: a\n  -  code: b\n", "element by element"),
    "a dash alone": ("items:\n  - code: a\n  -\n    code: b\n", "element by element"),
    "a flow mapping": ("items:\n  - code: a\n  - {code: b}\n", "element by element"),
    "a scalar among mappings": ("items:\n  - code: a\n  - x\n", "element by element"),
    "a quoted first key": ("items:\n  - code: a\n  - \"code\": b\n", "declined"),
}


@needs_yaml_rs
@pytest.mark.parametrize("name", list(SEQUENCES))
def test_these_sequences_read_as_libyaml_reads_them_in_bulk_or_not(name, monkeypatch):
    """Each form is taken and equal to libyaml's, read by _entries (every list of it) or by _each_entry (element by
    element), or declined by both (libyaml reads the file)."""
    text, how = SEQUENCES[name]
    fallbacks = 0
    entries = fastparse._Layout._entries

    def counted(self, items, path, dash, column):
        nonlocal fallbacks
        ended = entries(self, items, path, dash, column)
        fallbacks += ended < 0
        return ended

    monkeypatch.setattr(fastparse._Layout, "_entries", counted)
    assert assert_equivalent(text.encode("utf-8"), monkeypatch, name) == (how != "declined")
    assert (fallbacks == 0) == (how == "in bulk"), fallbacks


def test_entries_run_no_python_per_element():
    """_entries reads a list of the one form with as many Python lines for 10,000 elements as for 10 (a trace of its
    frame: no clock)."""
    from steps import lines_run

    def run(count: int) -> int:
        text = b"categories:\n  - name: c\n    items:\n" + b"".join(b"      - code: %d\n        name: x\n" % n for n in range(count))
        data = {"categories": [{"name": "c", "items": [{"code": n, "name": "x"} for n in range(count)]}]}
        seen, (spans, _) = lines_run(fastparse._Layout._entries, lambda: fastparse._Layout(b"\n" + text, data).scan())
        assert spans[("categories", 0, "items", count - 1)] == (3 + 2 * (count - 1), 3 + 2 * count)
        return seen

    assert run(10_000) == run(10) > 0


def test_the_first_byte_guard_lets_through_every_start_a_branch_matches():
    """_FIRST is _FIRST_BRANCHES behind a lookahead for the bytes they start with: the same matches, at every first
    byte followed by every continuation of a list of the risky and near-risky forms."""
    guarded, branches = re.compile(fastparse._FIRST), re.compile(fastparse._FIRST_BRANCHES)
    tails = [b"", b"\n", b" ", b":", b": x", b"x", *(word.encode("utf-8") for word in (*RISKY, *LEADING_ZERO, *WORDS, *BLOCK_LINES))]
    tails += [word[1:] for word in (*fastparse._BOOLEAN_WORDS, *fastparse._TYPED_KEYS)] + [word[1:] + b": x" for word in fastparse._TYPED_KEYS]
    compared = 0
    for byte in range(256):
        for tail in tails:
            text = bytes([byte]) + tail
            want = branches.match(text)
            got = guarded.match(text)
            assert (got and got.span()) == (want and want.span()), text
            compared += want is not None
    assert compared > 500


def test_the_guarded_scan_finds_what_the_unguarded_one_finds():
    """On every YAML file of the repository and every must-decline case, each risky pattern with the guard finds
    what it finds without it."""
    assert all(fastparse._FIRST in pattern.pattern for _, pattern in fastparse._RISKY)
    unguarded = [re.compile(pattern.pattern.replace(fastparse._FIRST, fastparse._FIRST_BRANCHES)) for _, pattern in fastparse._RISKY]
    texts = [path.read_bytes() for path in YAML_FILES] + [text.encode("utf-8") for text in CASES.values()]
    for text in texts:
        nl = b"\n" + text
        for (_, pattern), plain in zip(fastparse._RISKY, unguarded):
            found, want = pattern.search(nl), plain.search(nl)
            assert (found and found.span()) == (want and want.span()), (text[:80], pattern.pattern[:20])


def test_the_key_pattern_reads_as_the_lazy_one_without_backtracking():
    """_KEY gives what `([^\\n]*?)[ ]*:(?=[ \\r\\n]|\\Z)` gives (the key, the match's end, or no match), from every
    position of random lines of the characters that matter; and every repeat of it without a bound is possessive, so
    one match costs its line's length at most (the lazy form cost its square on a run of spaces)."""
    lazy = re.compile(rb"([^\n]*?)[ ]*:(?=[ \r\n]|\Z)")
    rng = random.Random(1312)
    alphabet = [b"a", b" ", b"  ", b":", b": ", b"\r", b"\n", b"#", "甲".encode(), b"'", b"-"]
    matched = 0
    for _ in range(4000):
        text = b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
        for at in range(len(text) + 1):
            want, got = lazy.match(text, at), fastparse._KEY.match(text, at)
            assert (got and (got.group(1), got.end())) == (want and (want.group(1), want.end())), (text, at)
            matched += want is not None
    assert matched > 10_000
    assert unbounded_repeats(fastparse._KEY.pattern) == ["POSSESSIVE_REPEAT"] * 4


@needs_yaml_rs
def test_a_long_run_of_spaces_in_a_top_level_line_costs_its_length(monkeypatch):
    """`{a` and 2,000,000 spaces: the top-level keys' pattern (_KEY's) once backtracked over the run at every space."""
    from steps import lines_run

    runs = [lines_run(fastparse._Layout.scan, lambda: fastparse.parse(b"{a" + b" " * count + b"}\n"))[0] for count in (10, 2_000_000)]
    assert runs[0] == runs[1] > 0
    assert_equivalent(b"{a" + b" " * 1000 + b"}\n", monkeypatch)
