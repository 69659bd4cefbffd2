"""The loader: every way a file can fail to be data becomes a LoadError with a rule id and a position."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govlist.loader import MAX_DEPTH, Document, LoadError, load_bytes, load_file, read_file
from govlist.validate import validate_paths

from conftest import REPO, hits, write_set


def load(text: str | bytes) -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_bytes(raw, "t.yaml")


def fails(text: str | bytes) -> LoadError:
    with pytest.raises(LoadError) as info:
        load(text)
    return info.value


# --- encodings -----------------------------------------------------------------------------------------------------


def test_utf8_with_bom_accepted():
    doc = load(b"\xef\xbb\xbfkind: duty\ntitle: \xe6\xb5\x8b\xe8\xaf\x95\n")
    assert doc.data == {"kind": "duty", "title": "测试"}
    assert doc.position(("title",)) == (2, 8)


def test_gbk_file_reports_encoding_with_line():
    raw = "govlist: 1\nkind: duty\ntitle: 测试清单\n".encode("gbk")
    err = fails(raw)
    assert err.rule == "parse.encoding"
    assert (err.line, err.column) == (3, 8)
    assert "GBK" in err.message.zh and "iconv" in err.message.zh and "GBK" in err.message.en


def test_not_gbk_either_is_still_encoding():
    err = fails(b"a: \xff\xff\xff\n")
    assert err.rule == "parse.encoding" and err.line == 1
    assert "not valid UTF-8" in err.message.en


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_refused(codec):
    raw = "kind: duty\n".encode(codec)
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = ("\ufeff" + "kind: duty\n").encode(codec)
    err = fails(raw)
    assert err.rule == "parse.encoding" and (err.line, err.column) == (1, 1)
    assert "UTF-16" in err.message.en


def test_nul_bytes_refused():
    err = fails(b"a: 1\nb: x\x00y\n")
    assert err.rule == "parse.encoding" and (err.line, err.column) == (2, 5)


# --- YAML structure ------------------------------------------------------------------------------------------------


def test_duplicate_key_points_at_second_key():
    err = fails("kind: duty\nitems:\n  - name: 甲\n    code: A\n    name: 乙\n")
    assert err.rule == "parse.duplicate-key"
    assert (err.line, err.column) == (5, 5)
    assert "name" in err.message.zh and "name" in err.message.en


@pytest.mark.parametrize(
    "text,line,column,needle",
    [
        ("kind: duty\nitems:\n\t- name: a\n", 3, 1, "tab"),
        ('kind: duty\ntitle: "未闭合\n', 2, 8, "quote"),  # where the quote opens
        ("kind: duty\ntitle: 依据: 某条例\n", 2, 10, "':'"),
        ("kind: duty\nitems: [a, b\n", 3, 1, None),
    ],
    ids=["tab", "unclosed-quote", "colon-in-value", "unclosed-bracket"],
)
def test_yaml_syntax_errors_have_positions(text, line, column, needle):
    err = fails(text)
    assert err.rule == "parse.yaml"
    assert (err.line, err.column) == (line, column)
    assert err.message.zh.startswith("YAML 语法错误") and err.message.en.startswith("YAML syntax error")
    if needle:
        assert needle in err.message.en


def test_multiple_documents_refused():
    err = fails("kind: duty\n---\nkind: power\n")
    assert err.rule == "parse.yaml" and err.line == 2
    assert "one YAML document" in err.message.en


def test_control_character_refused():
    err = fails("kind: duty\ntitle: a\x01b\n")
    assert err.rule == "parse.yaml" and "control" in err.message.en


@pytest.mark.parametrize(
    "text,line,column",
    [
        ("kind: duty\ntitle: !!python/object:os.system x\n", 2, 8),
        ("kind: duty\ntitle: !custom x\n", 2, 8),
        ("kind: !!set {a, b}\n", 1, 7),
        ("items: !!omap [a: 1]\n", 1, 8),
    ],
)
def test_custom_tags_refused(text, line, column):
    err = fails(text)
    assert err.rule == "parse.tag" and (err.line, err.column) == (line, column)


def test_python_object_tag_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    err = fails(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert err.rule == "parse.tag" and not marker.exists()


def test_merge_key_refused():
    err = fails("base: &b {name: a}\nitem:\n  <<: *b\n  code: x\n")
    assert err.rule == "parse.tag" and (err.line, err.column) == (3, 3)
    assert "<<" in err.message.en


def test_billion_laughs_refused_after_a_bounded_number_of_nodes(monkeypatch):
    """Refused once the nodes built pass a budget linear in the file's size (not after 9**10 of them): counted in
    calls of the builder, not seconds, so that no machine's speed decides the test."""
    from govlist import yamlbuild

    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    built = 0
    build = yamlbuild._Builder.build

    def counted(self, node, depth):
        nonlocal built
        built += 1
        return build(self, node, depth)

    monkeypatch.setattr(yamlbuild._Builder, "build", counted)
    err = fails(text)
    assert err.rule == "parse.alias-bomb" and err.line >= 1
    assert built <= yamlbuild._EXTRA_ALIAS_NODES + 2 * len(text.encode()) + 2


def test_small_aliases_are_fine():
    doc = load("a: &x [1, 2]\nb: *x\nc: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 200_000])
def test_deep_flow_nesting_refused(depth):
    err = fails("a: " + "[" * depth + "]" * depth + "\n")
    assert err.rule == "parse.too-deep" and err.line == 1
    assert str(MAX_DEPTH) in err.message.zh


def test_deep_block_nesting_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 3)) + "  " * (MAX_DEPTH + 3) + "v\n"
    err = fails(text)
    assert err.rule == "parse.too-deep"


def test_deep_unclosed_nesting_is_a_finding_not_a_crash():
    err = fails("a: " + "[" * 200_000 + "\n")
    assert err.rule in ("parse.too-deep", "parse.yaml")


def test_nesting_within_limit_loads():
    depth = MAX_DEPTH - 2
    doc = load("[" * depth + "1" + "]" * depth)
    node = doc.data
    for _ in range(depth - 1):
        node = node[0]
    assert node == [1]


def test_non_scalar_key_refused():
    err = fails("? [a, b]\n: c\n")
    assert err.rule == "parse.yaml" and err.line == 1


# --- values --------------------------------------------------------------------------------------------------------


def test_dates_stay_strings_and_numeric_keys_become_strings():
    doc = load("effective: 2024-01-02\nstamp: 2001-12-14t21:59:43.10-05:00\ncounts:\n  2024: 3\n  1.5: x\n  true: y\n  ~: z\nn: 07\nf: 1.5\nb: yes\nnull_value: ~\n")
    assert doc.data["effective"] == "2024-01-02"
    assert doc.data["stamp"] == "2001-12-14t21:59:43.10-05:00"
    assert doc.data["counts"] == {"2024": 3, "1.5": "x", "true": "y", "~": "z"}
    assert doc.data["n"] == 7 and doc.data["f"] == 1.5 and doc.data["null_value"] is None
    assert doc.data["b"] is True  # YAML 1.1 boolean, as PyYAML reads it


def test_empty_file_is_none():
    doc = load(b"")
    assert doc.data is None and doc.root is None
    assert doc.position(("kind",)) == (1, 1)
    assert load(b"# only a comment\n").data is None


def test_top_level_list_loads():
    assert load("- a\n- b\n").data == ["a", "b"]


# --- positions -----------------------------------------------------------------------------------------------------

POSITIONS = """\
kind: duty
categories:
  - name: 城市管理
    items:
      - code: "A-1"
        name: 巡查
      - {code: "A-2", name: 劝阻}
"""


def test_positions():
    doc = load(POSITIONS)
    assert doc.position(()) == (1, 1)
    assert doc.position(("kind",)) == (1, 7)
    assert doc.position(("categories", 0, "name")) == (3, 11)
    assert doc.position(("categories", 0, "items", 0)) == (5, 9)
    assert doc.position(("categories", 0, "items", 0, "name")) == (6, 15)
    assert doc.position(("categories", 0, "items", 1, "name")) == (7, 29)
    # a path that runs out stops at the deepest node that exists
    assert doc.position(("categories", 0, "items", 0, "missing")) == (5, 9)
    assert doc.position(("categories", 5)) == (3, 3)
    assert doc.position(("kind", "x")) == (1, 7)


def test_key_positions():
    doc = load(POSITIONS)
    assert doc.key_position(("categories", 0, "items", 0, "name")) == (6, 9)
    assert doc.key_position(("categories", 0, "items", 1, "name")) == (7, 23)
    assert doc.key_position(("kind",)) == (1, 1)
    # no such key: the position of the value path instead
    assert doc.key_position(("categories", 0, "items", 0, "missing")) == (5, 9)
    assert doc.key_position(("nothing", "here")) == (1, 1)
    assert doc.key_position(()) == (1, 1)


def test_a_text_that_cannot_nest_deep_is_composed_here_and_a_deep_one_in_the_large_stack(monkeypatch):
    """Finding a position composes one item's lines: that happens in the calling thread (handing it to the compose
    thread and back cost more than the compose, ms on a busy machine), unless the text could nest deeper than a
    small stack holds; then, and for whole files, the thread with the large stack composes it."""
    import threading

    from govlist import loader

    where: list[str] = []
    real = loader._compose_here
    monkeypatch.setattr(loader, "_compose_here", lambda raw: where.append(threading.current_thread().name) or real(raw))
    here = threading.current_thread().name
    doc = load(POSITIONS)
    where.clear()
    found_here = [doc.position(p) for p in POSITION_POINTERS]
    assert found_here[1] == (6, 15) and set(where) == {here}
    where.clear()
    deep = loader._HERE_DEPTH
    assert loader._compose(b"a: " + b"[" * deep + b"]" * deep) is not None  # a small text that could nest deep
    assert where and here not in where
    where.clear()
    monkeypatch.setattr(loader, "_HERE_DEPTH", 0)  # every compose in the large-stack thread: the same positions
    again = load(POSITIONS)
    assert [again.position(p) for p in POSITION_POINTERS] == found_here
    assert where and here not in where


POSITION_POINTERS = [("categories", 0, "items", 0), ("categories", 0, "items", 0, "name"), ("categories", 0, "items", 1, "name"), ("categories", 0, "name")]


def test_positions_count_characters_not_bytes():
    doc = load("标题: 中文\n名称: {甲: 乙, 丙: 丁}\n")
    assert doc.position(("标题",)) == (1, 5)
    assert doc.key_position(("名称", "丙")) == (2, 12)


def test_suppressions_parsed():
    doc = load("a: 1  # govlist: ignore[x.y, z] 原因：示例\nb: 2  # govlist: ignore[q]\n")
    assert [(s.line, s.rules, s.reason) for s in doc.suppressions] == [(1, ("x.y", "z"), "示例"), (2, ("q",), "")]


# --- files ---------------------------------------------------------------------------------------------------------


def test_load_file_missing_and_directory(tmp_path):
    with pytest.raises(LoadError) as info:
        load_file(tmp_path / "nope.yaml")
    assert info.value.rule == "parse.io" and (info.value.line, info.value.column) == (1, 1)
    with pytest.raises(LoadError) as info:
        load_file(tmp_path)
    assert info.value.rule == "parse.io" and info.value.line == 1


# --- values YAML resolves but cannot construct: a finding at the value, never an exception ----------------------


@pytest.mark.parametrize("value", ["0x_", "0b_", "!!int abc", "!!float abc", "!!bool maybe", '!!int ""', "-0x_", "!!int 1.5"])
def test_scalar_that_cannot_be_constructed_is_a_located_finding(value):
    err = fails(f"kind: duty\nid: x\nseq: {value}\n")
    assert err.rule == "parse.value" and (err.line, err.column) == (3, 6)
    assert "quote it" in err.message.en and "引号" in err.message.zh


@pytest.mark.parametrize("digits", ["9" * 4400, "9" * 4100, "0x" + "f" * 4000, "0b" + "1" * 14000])
def test_integer_too_long_to_print_is_a_finding(digits):
    err = fails(f"items:\n  - seq: {digits}\n")
    assert err.rule == "parse.value" and (err.line, err.column) == (2, 10)


def test_long_integer_within_bounds_loads():
    assert load("n: " + "9" * 300 + "\n").data == {"n": int("9" * 300)}


@pytest.mark.parametrize("bad", ["\ufffe", "\x07", "\x1b"])
def test_reader_error_in_a_large_file_with_a_long_line_is_located(bad):
    """Over 50 kB with a long line, the depth check walks libyaml's events first: its ReaderError is a finding too."""
    err = fails("kind: duty\ntitle: " + "a" * 60_000 + bad + "\n")
    assert err.rule == "parse.yaml" and (err.line, err.column) == (2, 60_008)


# --- files that are not regular files, or lie about their size ----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this OS")
def test_fifo_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(LoadError) as info:
        load_file(fifo)  # would wait forever for a writer if it were opened for reading
    assert info.value.rule == "parse.io" and info.value.line == 1 and "not a regular file" in info.value.message.en


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this OS")
def test_device_refused():
    with pytest.raises(LoadError) as info:
        load_file(Path("/dev/zero"))
    assert info.value.rule == "parse.io" and (info.value.line, info.value.column) == (1, 1)


def test_reading_stops_at_the_limit_whatever_the_size_says(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n" * 100)
    assert read_file(path, limit=500) == b"a: 1\n" * 100
    with pytest.raises(LoadError) as info:
        read_file(path, limit=499)  # st_size says too large: refused before reading
    assert info.value.rule == "parse.too-large" and (info.value.line, info.value.column) == (1, 1)


def test_reading_stops_at_the_limit_when_the_file_grows(tmp_path, monkeypatch):
    """A file whose st_size is small but which keeps giving bytes (a growing file, a lying FUSE mount)."""
    import govlist.loader as loader

    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    real_read = os.read
    monkeypatch.setattr(loader.os, "read", lambda fd, n: real_read(fd, n) or b"y" * n)
    with pytest.raises(LoadError) as info:
        read_file(path, limit=1000)
    assert info.value.rule == "parse.too-large" and info.value.line == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_dangling_symlink_reported_under_its_own_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        os.symlink("nowhere.yaml", tmp_path / "link.yaml")
    except OSError:
        pytest.skip("cannot create symbolic links here")
    (tmp_path / "ok.yaml").write_text("govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 2}\nitems:\n  - name: 一\n", encoding="utf-8")
    for given in ([tmp_path], [Path("link.yaml"), Path("ok.yaml")]):
        report = validate_paths(given, debug=True)
        assert hits(report, "parse.io") == [("link.yaml", 1, 1, None)]
        assert hits(report, "totals.items") == [("ok.yaml", 5, 19, None)]


def test_scalar_error_does_not_stop_the_other_files(validate_set):
    report = validate_set(
        {
            "a.yaml": "govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 2}\nitems:\n  - name: 一\n    seq: 0x_\n",
            "b.yaml": "govlist: 1\nkind: duty\nid: b\ntitle: 乙\ndeclared: {items: 2}\nitems:\n  - name: 一\n",
        }
    )
    assert hits(report, "parse.value") == [("a.yaml", 8, 10, None)]
    assert hits(report, "totals.items") == [("b.yaml", 5, 19, None)]


def test_project_regex_python_cannot_compile_is_a_finding_on_the_project_file(validate_set):
    report = validate_set(
        {
            "govlist.yaml": 'govlist: 1\nkind: project\nname: 测试\nprofiles:\n  item_codes:\n    duty: "\\\\p{L}+"\n',
            "a.yaml": "govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 2}\nitems:\n  - name: 一\n",
        }
    )
    assert hits(report, "schema.format") == [("govlist.yaml", 6, 11, None)]
    assert hits(report, "totals.items") == [("a.yaml", 5, 19, None)]


def test_load_file_display_path(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("kind: duty\n", encoding="utf-8")
    assert load_file(path, "shown/a.yaml").path == "shown/a.yaml"
    assert load_file(path).path == str(path)


def test_empty_file_becomes_schema_kind_finding(validate_set):
    report = validate_set({"empty.yaml": ""})
    assert hits(report, "schema.kind") == [("empty.yaml", 1, 1, None)]


def test_broken_file_does_not_stop_the_others(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_set(
        tmp_path,
        {
            "a.yaml": "govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 2}\nitems:\n  - name: 一\n",
            "c.yaml": "govlist: 1\nkind: duty\nid: c\ntitle: 丙\ndeclared: {items: 3}\nitems:\n  - name: 一\n",
            "sub/d.yaml": "kind: duty\nkind: power\n",
        },
    )
    (tmp_path / "b.yaml").write_bytes("govlist: 1\nkind: duty\ntitle: 乙\n".encode("gbk"))
    report = validate_paths([tmp_path], debug=True)
    assert report.files == ["a.yaml", "b.yaml", "c.yaml", "sub/d.yaml"]
    assert hits(report, "parse.encoding") == [("b.yaml", 3, 8, None)]
    assert hits(report, "parse.duplicate-key") == [("d.yaml", 2, 1, None)]
    assert [h[0] for h in hits(report, "totals.items")] == ["a.yaml", "c.yaml"]
    assert sorted(c.id for c in report.catalogs) == ["a", "c"]


def _both(raw: bytes, name: str = "x.yaml"):
    from govlist.loader import load_bytes

    sliced, whole = load_bytes(raw, name), load_bytes(raw, name)
    assert whole.root is not None
    return sliced, whole


def _pointers(doc) -> list[tuple]:
    fields = ("name", "code", "content", "basis", "lead", "support", "handling", "items", "declared", "nope")
    return [span + (f,) for span in doc.spans for f in fields] + [("declared", "items"), ("title",), ("kind",), ()]


def test_positions_from_an_items_own_lines_equal_those_of_the_whole_file():
    """Line numbers come from composing only the item's lines; they must equal composing the whole file."""
    from conftest import CATALOGS

    files = sorted(CATALOGS.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        sliced, whole = _both(path.read_bytes(), path.name)
        for pointer in _pointers(sliced):
            assert sliced.position(pointer) == whole.position(pointer), (path.name, pointer)
            assert sliced.key_position(pointer) == whole.key_position(pointer), (path.name, pointer)
        assert not sliced._composed, f"{path.name}: a position needed the whole file composed"


def test_flow_style_and_indentless_lists_fall_back_or_slice_correctly():
    raw = "govlist: 1\nkind: duty\ndeclared: {items: 3}\nitems: [{name: 甲, code: A}, {name: 乙, code: B}]\ncategories:\n- name: 类\n  items:\n  - {name: 丙, code: C}\n  -\n    name: 丁\n    code: D\n"
    sliced, whole = _both(raw.encode())
    for pointer in _pointers(sliced) + [("items", 1, "name"), ("categories", 0, "items", 1, "code")]:
        assert sliced.position(pointer) == whole.position(pointer), pointer
        assert sliced.key_position(pointer) == whole.key_position(pointer), pointer


@pytest.mark.parametrize(
    "text,zh,en",
    [
        ("kind: duty\nitems:\n\t- name: a\n", "请把 Tab 换成空格", "replace the tab with spaces"),
        ("a:\n  b: 1\n\tc: 2\n", "请把行首的 Tab 换成空格", "replace the tab at the start of the line"),
        ("a:\n  b: 1\n c: 2\n", "缩进不一致", "indent it by as many spaces as its siblings"),
        ("items:\n  - name: x\n   code: y\n", "应以“- ”开头", "should start with '- '"),
        ("title: '未闭合\nid: x\n", "引号没有闭合", "a quote is not closed"),
        ("list: [a, b\nid: x\n", "补上“]”或“}”", "add the ']' or '}'"),
        ("title: 依据: 某条例\n", "给整个值加引号", "quote a value that contains ': '"),
        ("a: @x\n", "“@”是 YAML 的保留字符", "'@' is reserved in YAML"),
        ('a: "\\q"\n', "写成两个反斜杠", "write two backslashes"),
        ("a: 1\n---\nb: 2\n", "删去“---”分隔线", "remove the '---' separator"),
        ("%foo\na: 1\n", "YAML 指令", "YAML directive"),
        ("a: *x\n", "未定义的锚点", "undefined anchor"),
    ],
    ids=["tab-indent", "tab-in-mapping", "indentation", "list-indentation", "unclosed-quote", "unclosed-bracket", "colon", "reserved", "escape", "two-documents", "directive", "alias"],
)
def test_yaml_syntax_errors_say_how_to_fix_them_in_both_languages(text, zh, en):
    err = fails(text)
    assert err.rule == "parse.yaml"
    assert zh in err.message.zh and en in err.message.en
    libyaml_words = ("found", "violates", "while scanning", "while parsing", "expected <", "token")
    assert not any(word in err.message.zh for word in libyaml_words), err.message.zh  # no English from libyaml


YAML_11_SCALARS = """
plain: [yes, No, on, OFF, y, n, ~, null, Null, "", '', 010, 08, 0o7, 0x1F, 1_000, +1, -2, .5, 1e3, .inf, -.Inf, .nan, 2024-03-01, 2024-3-1 10:00:00, 2001-12-14t21:59:43.10-05:00, 190:20:30, =, <<, "yes", 'on', 古美路, "08"]
flow: {? complex : x, 1: one, 2.5: two, true: three, null: four}
block: |
  yes
folded: >-
  010
"""


def _tree(node, seen=None):
    """A node tree as comparable data: kind, tag, value or children, style and both marks' offsets (a node met again
    through an alias: its place only, so that a billion laughs stays small)."""
    from yaml.nodes import MappingNode, ScalarNode

    if node is None:
        return None
    seen = {} if seen is None else seen
    place = (type(node).__name__, node.tag, node.start_mark.index, node.end_mark.index)
    if id(node) in seen:
        return ("again", *place)
    seen[id(node)] = node
    if isinstance(node, ScalarNode):
        return (*place, node.value, node.style)
    if isinstance(node, MappingNode):
        return (*place, [(_tree(k, seen), _tree(v, seen)) for k, v in node.value])
    return (*place, [_tree(child, seen) for child in node.value])


def test_composer_resolves_every_tag_as_pyyaml_does():
    """The loader's quicker tag resolution (loader._Composer) gives the node tree PyYAML's own loader gives, tags and
    positions included, on every YAML 1.1 form, the bundled catalogs and examples, and the hostile fixtures."""
    import yaml

    from govlist import loader

    assert loader._COMPOSER_LOADER is loader._Composer  # the shortcut is taken with the PyYAML we test with
    texts = [YAML_11_SCALARS.encode("utf-8"), b"!custom 1\n", b"a: !!str 010\nb: !!int '7'\nc: ! 010\n", b"- &a [x, y]\n- *a\n"]
    texts += [p.read_bytes() for folder in ("catalogs", "examples", "tests/fixtures") for p in sorted((REPO / folder).rglob("*.y*ml"))]
    compared = 0
    for raw in texts:
        try:
            expected = _tree(yaml.compose(raw, Loader=loader._Loader))
        except yaml.YAMLError as exc:
            with pytest.raises(yaml.YAMLError) as caught:
                yaml.compose(raw, Loader=loader._Composer)
            assert str(caught.value) == str(exc)
            continue
        assert _tree(yaml.compose(raw, Loader=loader._Composer)) == expected
        compared += 1
    assert compared > 60


def test_integers_built_as_pyyaml_builds_them():
    """A plain decimal is read by int() directly, every other integer form by PyYAML: the same values either way."""
    import yaml

    texts = ["1", "7", "42", "1000", "9" * 50, "0", "00", "010", "0o17", "0x1F", "0b101", "1_000", "+12", "-3", "190:20:30", "1" * 3000]
    doc = load_bytes(("\n".join(f"k{i}: {t}" for i, t in enumerate(texts)) + "\n").encode(), "ints.yaml")
    assert [(type(v), v) for v in doc.data.values()] == [(type(v), v) for v in map(yaml.safe_load, texts)]


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\r"])
def test_a_line_break_only_libyaml_counts_does_not_shift_positions_inside_items(odd):
    """libyaml also breaks lines at NEL, LS, PS and a lone CR, inside a quoted text too: its line numbers are then not
    those of the text split at newlines, so an item is not composed from its lines (they would be another item's)."""
    text = f'govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: A\n    name: "甲{odd}{odd}乙"\n  - code: B\n    name: 丙\n  - code: C\n    content: 丁\n'
    doc = load_bytes(text.encode("utf-8"), "d.yaml")
    whole = Document("d.yaml", doc.data, doc.raw)  # no spans: composed whole
    for pointer in (("items", 1, "name"), ("items", 1, "content"), ("items", 2, "content")):
        assert doc.position(pointer) == whole.position(pointer)


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\r", "a\r", "\r\r\n"])
def test_split_lines_refuses_every_break_libyaml_counts_besides_newline(odd):
    from govlist.loader import _split_lines

    assert _split_lines(f"a: 甲\nb: “乙{odd}丙”\n".encode()) is None


@pytest.mark.parametrize("near", ["\u2027", "\u202a", "\u2018", "\x84", "·", "×", "\r\n", "—…"])
def test_split_lines_splits_text_with_bytes_near_an_odd_break(near):
    """The lead bytes of LS, PS and NEL (\\xe2\\x80, \\xc2) start other characters too: those are no line breaks."""
    from govlist.loader import _split_lines

    text = f"a: 甲{near}\nb: 乙\n".encode()
    assert _split_lines(text) == text.split(b"\n")
