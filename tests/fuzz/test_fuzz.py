"""The short fuzzing pass of the normal test run: a few dozen mutated inputs per kind, the same judge as the long
pass (tests/fuzz/long.py). Deterministic (derandomize), so a failure here reproduces."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from harness import Workspace, workbook_bytes, catalog_structures, check_catalog_bytes, check_diff_pair, check_spreadsheet, diff_pairs, spreadsheets, yaml_texts

SHORT = settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def ws():
    workspace = Workspace()
    yield workspace
    workspace.close()


def judge(outcome) -> None:
    assert outcome.internal == [], outcome.internal[0]
    assert outcome.unlocated == [], outcome.unlocated[0]


@SHORT
@given(raw=yaml_texts())
def test_mutated_yaml_text(ws, raw):
    judge(check_catalog_bytes(raw, ws))


@SHORT
@given(raw=catalog_structures())
def test_mutated_catalog_structure(ws, raw):
    judge(check_catalog_bytes(raw, ws, cli=True))


@SHORT
@given(pair=diff_pairs())
def test_mutated_diff_pairs(ws, pair):
    judge(check_diff_pair(pair, ws))


@SHORT
@given(sheet=spreadsheets())
def test_mutated_spreadsheets(ws, sheet):
    judge(check_spreadsheet(sheet, ws))


def test_a_workbook_draw_does_not_depend_on_the_clock(monkeypatch):
    """openpyxl stamps the current time into the workbook; the long pass stopped at its start with Hypothesis's
    FlakyStrategyDefinition because the same draw gave other bytes a second later."""
    import datetime
    import types

    from openpyxl.packaging import core
    from openpyxl.writer import excel

    rows = [["序号", "事项名称"], [1, "巡查"]]
    first = workbook_bytes(rows, "清单")

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2031, 7, 9, 13, 14, 15, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return cls.now()

    later = types.SimpleNamespace(datetime=Later, timezone=datetime.timezone)
    for module in (excel, core):  # where openpyxl reads the clock (excel.py only from 3.1.3 on)
        if hasattr(module, "datetime"):
            monkeypatch.setattr(module, "datetime", later)
    monkeypatch.setattr("time.time", lambda: 1_950_000_000.0)  # the zip entries' dates
    assert workbook_bytes(rows, "清单") == first
