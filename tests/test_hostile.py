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
