"""Item places (govlist/index.py): a finding in an item of a slim catalog is located from that item's lines alone,
at exactly the line and column the whole file gives, and the whole file is read again only when that cannot be done
(a pointer outside the items, a file changed since it was checked, a flow-style list, a damaged place)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CATALOGS, REPO
from govlist import index as index_module
from govlist import loader
from govlist.index import SlimDocument, _item_lists, index_record, item_places, places_from_json, places_json
from govlist.loader import Document, LoadError, file_digest, load_bytes
from govlist.model import Severity, Text
from govlist.report import REPORTERS
from govlist.ruleset import RULES, Context, Problem, Rule
from govlist.validate import validate_paths

BUNDLED = sorted(p for folder in ("examples", "catalogs", "tests/fixtures") for p in (REPO / folder).rglob("*.y*ml") if p.is_file())
MISSING = "没有这个字段"


def _pointers(value: object, pointer: tuple):
    """Every pointer into a value (each key, each element, all the way down), and one to a missing field of each
    mapping and past the end of each list."""
    yield pointer
    if isinstance(value, dict):
        yield pointer + (MISSING,)
        for key, inner in value.items():
            yield from _pointers(inner, pointer + (key,))
    elif isinstance(value, list):
        yield pointer + (len(value),)
        for index, inner in enumerate(value):
            yield from _pointers(inner, pointer + (index,))


def _slim(path: Path, doc: Document, raw: bytes) -> SlimDocument:
    slim = SlimDocument(path.name, [], path, lambda: None, item_places(doc.data, doc.spans, file_digest(raw)))
    slim.data = index_record(doc.data)  # type: ignore[arg-type]
    return slim


def _whole(doc: Document, path: Path) -> Document:
    """A whole document as a fresh load gives it (its positions depend on nothing asked before)."""
    return Document(str(path), doc.data, doc.raw, [], spans=doc.spans, marks=doc.marks)


def _truth(doc: Document, path: Path) -> Document:
    """The same document walked from its root, composed whole (no spans): what every position must agree with."""
    return Document(str(path), doc.data, doc.raw, [])


def _ask(doc: Document, pointer: tuple, at_key: bool) -> tuple[int, int]:
    return doc.key_position(pointer) if at_key else doc.position(pointer)


def compare(path: Path, truth: bool = False) -> tuple[int, int]:
    """Every position and key position inside every item of a file, from its item places and from the whole file:
    (answered from an item's lines, asked). With `truth`, also against the file composed whole."""
    raw = path.read_bytes()
    try:
        doc = load_bytes(raw, str(path))
    except LoadError:
        return 0, 0
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("kind"), str):
        return 0, 0
    slim = _slim(path, doc, raw)
    by_items, asked = 0, 0
    for prefix, items in _item_lists(doc.data):
        for index, item in enumerate(items):
            for pointer in _pointers(item, prefix + (index,)):
                for at_key in (False, True):
                    if at_key and len(pointer) == len(prefix) + 1 and index:
                        continue  # the key of an item is a whole-file question (its list): asked of the first item only
                    expected = _ask(_whole(doc, path), pointer, at_key)
                    assert _ask(slim, pointer, at_key) == expected, (path, pointer, at_key)
                    if truth:
                        assert _ask(_truth(doc, path), pointer, at_key) == expected, (path, pointer, at_key)
                    by_items += slim._whole_doc is None
                    asked += 1
                    slim.release()
    return by_items, asked


def test_every_position_in_every_bundled_item_is_the_whole_files():
    """Examples, catalogs and every fixture, hostile ones included; and most answers come from the items' lines."""
    by_items = asked = 0
    for path in BUNDLED:
        found = compare(path)
        by_items, asked = by_items + found[0], asked + found[1]
    assert asked > 10_000 and by_items > 0.9 * asked


# --- the same over YAML written in every way a person or a tool writes it -----------------------------------------

_TEXT = st.text(st.sampled_from("街道社区审批 ab1-:#'\"&*!|>{}[],\t"), min_size=1, max_size=12)


def _scalar(text: str, style: str, indent: str) -> str:
    """A text value written in one of YAML's styles (`indent`: the key's)."""
    words = text.replace("\t", " ").split()
    if style == "plain" and text.strip() == text and not set(text) & set(":#'\"&*!|>{}[],\t-?%@`\u2028\x85\r"):
        return text
    if style in ("literal", "folded") and words:
        return ("|" if style == "literal" else ">-") + "".join(f"\n{indent}  {word}" for word in words)
    if style == "single":  # a tab stays a tab
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


@st.composite
def _catalogs(draw) -> bytes:
    """A duty list written in any of the ways YAML allows that a catalog holds: comments and blank lines between
    items, block scalars, quoted keys, nested lists, flow items, tabs, trailing spaces, CRLF, a BOM, no final
    newline, a line break that only libyaml counts."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    categories = draw(st.booleans())
    out = ["govlist: 1", "kind: duty", "id: t", "title: 测试清单"]
    pad = "    " if categories else "  "
    if categories:
        out.append("categories:")
    for c in range(draw(st.integers(1, 2)) if categories else 1):
        if categories:
            out += [f"  - name: 类{c}", "    items:"]
        else:
            out.append("items:")
        if draw(st.integers(0, 5)) == 0:  # a flow-style list
            out[-1] += " [" + ", ".join(f"{{code: F{c}-{n}, name: 事项{n}}}" for n in range(draw(st.integers(1, 3)))) + "]"
            continue
        for n in range(draw(st.integers(1, 4))):
            for _ in range(draw(st.integers(0, 2))):
                out.append(draw(st.sampled_from(["", f"{pad}# 注释", "# 注释", "   "])))
            if draw(st.integers(0, 6)) == 0:
                out.append(f"{pad}- {{code: C{c}-{n}, name: {json.dumps(draw(_TEXT), ensure_ascii=False)}}}")
                continue
            fields = [("code", f"C{c}-{n}")] + [(k, draw(_TEXT)) for k in draw(st.lists(st.sampled_from(["name", "content", "basis", "note"]), unique=True, min_size=1))]
            for f, (key, value) in enumerate(fields):
                shown_key = draw(st.sampled_from([key, f'"{key}"', f"'{key}'"]))
                lead = f"{pad}- " if f == 0 else f"{pad}  "
                trail = draw(st.sampled_from(["", "  ", " # 说明"]))
                if key == "basis" and draw(st.booleans()):  # a nested list of mappings, or of texts
                    out.append(f"{lead}{shown_key}:")
                    for _ in range(draw(st.integers(0, 2))):
                        out.append(f"{pad}    - title: {json.dumps(value, ensure_ascii=False)}" if draw(st.booleans()) else f"{pad}    - {json.dumps(value, ensure_ascii=False)}")
                    if out[-1].endswith(":"):
                        out[-1] += " []"
                    continue
                written = _scalar(value, draw(st.sampled_from(["plain", "double", "single", "literal", "folded"])), pad + "  ")
                out.append(f"{lead}{shown_key}: {written}" + ("" if "\n" in written else trail))
    text = eol.join(out) + draw(st.sampled_from([eol, "", eol + "# 结束" + eol, eol + eol]))
    if draw(st.integers(0, 7)) == 0:  # a line break only libyaml sees (NEL, LS, PS, a lone CR) in a quoted text
        text = text.replace(': "', ': "' + draw(st.sampled_from(["\x85", "\u2028", "\u2029", "\r"])), 1)
    raw = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + raw) if draw(st.booleans()) else raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=_catalogs())
def test_every_position_in_generated_items_is_the_whole_files(tmp_path, raw):
    path = tmp_path / "t.yaml"
    path.write_bytes(raw)
    assert compare(path, truth=True)[1] > 0  # it loads, and has items


# --- the whole file is not parsed again, unless it must be ----------------------------------------------------------


def _every_item(ctx: Context):
    """A set rule reading only kept fields, reporting on a field, a field's key and a missing field of every item."""
    for catalog in ctx.catalogs:
        for n, item in enumerate(catalog.items):
            if item.data.get("code") is not None:
                yield Problem(catalog, item.pointer + (("name", "code", "track")[n % 3],), Text("测试", "test"), item, at_key=n % 2 == 0)


@pytest.fixture
def every_item(monkeypatch):
    monkeypatch.setitem(RULES, "test.every", Rule("test.every", Severity.WARNING, Text("测试", "test"), "", "set", None, _every_item))


@pytest.fixture
def whole_loads(monkeypatch):
    """The files parsed again to locate a finding (SlimDocument.whole), not to make a catalog whole for a rule that
    reads what a record dropped (the parent.* rules)."""
    seen: list[str] = []
    making_whole: list[bool] = []
    real_load, real_whole_catalog = index_module.load_bytes, index_module.whole_catalog

    def counting(raw, path):
        if not making_whole:
            seen.append(path)
        return real_load(raw, path)

    def whole_catalog(catalog):
        making_whole.append(True)
        try:
            return real_whole_catalog(catalog)
        finally:
            making_whole.pop()

    monkeypatch.setattr(index_module, "load_bytes", counting)
    monkeypatch.setattr(index_module, "whole_catalog", whole_catalog)
    return seen


def _json(report) -> str:
    return REPORTERS["json"](report, "en", False)


def test_a_finding_in_an_item_is_located_without_parsing_its_file_again(tmp_path, monkeypatch, every_item, whole_loads):
    target = tmp_path / "c"
    shutil.copytree(CATALOGS, target, ignore=shutil.ignore_patterns(".govlist-cache"))
    monkeypatch.chdir(tmp_path)
    whole = _json(validate_paths([target], cache=False))  # whole documents
    assert whole.count('"test.every"') > 500
    assert _json(validate_paths([target], cache=False, jobs=1, need_catalogs=False)) == whole
    assert whole_loads == []


@pytest.mark.parametrize("way", ["workers", "cache"])
def test_the_places_come_back_from_the_workers_and_from_the_cache(tmp_path, monkeypatch, whole_loads, way):
    target = tmp_path / "c"
    shutil.copytree(CATALOGS, target, ignore=shutil.ignore_patterns(".govlist-cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("govlist.parallel.PARALLEL_MIN_BYTES", 0)
    report = validate_paths([target], cache=way == "cache", jobs=2, need_catalogs=False)
    if way == "cache":  # an item renamed: the rules over the set run again, the others' records and places read back
        street = target / "gumei" / "street-duty.yaml"
        text = street.read_text(encoding="utf-8")
        street.write_text("name: 改名".join(text.rsplit("name: ", 1)), encoding="utf-8")
        report = validate_paths([target], jobs=1, need_catalogs=False)
    slim = [c for c in report.catalogs if index_module.is_slim(c)]
    assert len(slim) > 10
    whole_loads.clear()
    for catalog in slim:
        doc = catalog.doc
        assert isinstance(doc, SlimDocument) and doc.places is not None
        whole = load_bytes((tmp_path / doc.path).read_bytes(), doc.path)
        for item in catalog.items[:3] + catalog.items[-2:]:
            assert doc.position(item.pointer) == whole.position(item.pointer)  # (its key is a question of its whole list)
            for pointer in (item.pointer + ("name",), item.pointer + ("code",)):
                assert (doc.position(pointer), doc.key_position(pointer)) == (whole.position(pointer), whole.key_position(pointer))
        doc.release()
    assert whole_loads == []


def test_a_file_changed_since_it_was_checked_is_located_from_the_file_as_it_is_now(tmp_path, whole_loads):
    path = tmp_path / "d.yaml"
    path.write_text("govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: A\n    name: 甲\n  - code: B\n    name: 乙\n", encoding="utf-8")
    raw = path.read_bytes()
    slim = _slim(path, load_bytes(raw, "d.yaml"), raw)
    assert slim.position(("items", 1, "name")) == (9, 11) and whole_loads == []
    slim.release()
    path.write_bytes(b"# moved down\n" + raw)
    assert slim.position(("items", 1, "name")) == (10, 11)  # what parsing the file now gives (as before places)
    assert whole_loads == ["d.yaml"]


@pytest.mark.parametrize(
    "items",
    [
        "items: [{code: A, name: 甲}, {code: B, name: 乙}]\n",  # a flow list: several items on one line
        "items:\n  - code: A\n    name: &n 甲\n  - code: B\n    name: *n\n",  # an alias: the item's lines alone do not compose
        "items:\n  - code: A\n    name: 甲\n  - code: B\n    name: 乙\n",  # the header (outside the items) is asked too
    ],
)
def test_what_an_items_lines_cannot_answer_is_asked_of_the_whole_file(tmp_path, whole_loads, items):
    path = tmp_path / "d.yaml"
    path.write_text("govlist: 1\nkind: duty\nid: d\ntitle: 清单\n" + items, encoding="utf-8")
    raw = path.read_bytes()
    doc = load_bytes(raw, "d.yaml")
    slim = _slim(path, doc, raw)
    for pointer in (("items", 1, "name"), ("title",), ("items",), ("items", 7)):
        assert slim.position(pointer) == _whole(doc, path).position(pointer)
        slim.release()
    assert whole_loads  # the whole file answered
    if items.startswith("items: ["):
        assert whole_loads.count("d.yaml") == 4  # nothing from the items' lines


def test_damaged_places_are_not_trusted(tmp_path, whole_loads):
    path = tmp_path / "d.yaml"
    path.write_text("govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: A\n    name: 甲\n  - code: B\n    name: 乙\n", encoding="utf-8")
    raw = path.read_bytes()
    doc = load_bytes(raw, "d.yaml")
    places = item_places(doc.data, doc.spans, file_digest(raw))
    assert places is not None
    record = index_record(doc.data)  # type: ignore[arg-type]
    assert places_from_json(json.loads(json.dumps(places_json(places))), record) == places
    for damaged in (None, [], {"digest": 1, "lines": "", "keys": []}, {**places_json(places), "lines": "!!"}, {**places_json(places), "lines": places_json(places)["lines"][:8]}, {**places_json(places), "keys": [1]}):
        with pytest.raises(ValueError):
            places_from_json(damaged, record)
    # places pointing past the file, or naming a first key that is not there: the whole file answers
    for second in ((7, 99, 2 << 8), (7, 9, 2 << 8 | 3), (7, 9, 3 << 8), (9, 7, 2 << 8), (-1, -1, -1)):
        bad = places._replace(lines=type(places.lines)("i", [5, 7, 2 << 8, *second]))
        slim = SlimDocument("d.yaml", [], path, lambda: None, bad)
        slim.data = record
        assert slim.position(("items", 1, "name")) == (9, 11)
    assert whole_loads == ["d.yaml"] * 5


def test_the_composed_items_lines_are_the_ones_the_whole_document_composes(monkeypatch):
    """A whole document and a slim one find an element the same way (loader.element_node): the same lines, the same
    check against the element's shape."""
    seen: list[bytes] = []
    real = loader._compose

    def recording(raw):
        seen.append(raw)
        return real(raw)

    monkeypatch.setattr(loader, "_compose", recording)
    path = CATALOGS / "gumei" / "street-duty.yaml"
    raw = path.read_bytes()
    doc = load_bytes(raw, "s.yaml")
    seen.clear()
    pointer = next(prefix + (3, "name") for prefix, items in _item_lists(doc.data) if len(items) > 3)  # type: ignore[arg-type]
    expected = _whole(doc, path).position(pointer)
    slim = _slim(path, doc, raw)
    assert slim.position(pointer) == expected and len(seen) == 2 and seen[0] == seen[1] and len(seen[0]) < len(raw) / 20


def test_a_position_asked_while_a_rule_runs_is_noted_as_a_read_of_its_file(tmp_path, whole_loads):
    """A rule whose message names a line reads the file beyond its record, even when the line comes from the item's
    own lines: the early cutoff (index.Reads) must know it."""
    path = tmp_path / "d.yaml"
    path.write_text("govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: A\n    name: 甲\n", encoding="utf-8")
    raw = path.read_bytes()
    slim = _slim(path, load_bytes(raw, "d.yaml"), raw)
    slim.reads = index_module.Reads()
    assert slim.position(("items", 0, "name")) == (7, 11)  # no rule running: nothing noted
    slim.reads.paths = set()
    assert slim.key_position(("items", 0, "name")) == (7, 5) and slim.reads.paths == {"d.yaml"}
    assert whole_loads == []
