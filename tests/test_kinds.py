"""One table per domain fact: stats, the site and the diff read an item's type and department the same way."""

from __future__ import annotations

from govlist.diff.model import item_ref
from govlist.kinds import KIND_NAMES, KINDS, TYPE_FIELD, department
from govlist.render import list_view
from govlist.schema import KINDS as SCHEMA_KINDS
from govlist.stats import compute_stats


DUTY = """\
govlist: 1
kind: duty
id: d
title: 街道职责任务清单
categories:
  - name: 平安建设
    items:
      - {code: D1, name: 矛盾纠纷排查化解, track: 基本履职事项, jurisdiction: 块属块管, responsible: 街道综治中心}
      - {code: D2, name: 消防安全检查配合, track: 配合履职事项, jurisdiction: 条属块管, responsible: 街道应急办}
"""


def test_type_and_department_are_read_the_same_everywhere(validate_set):
    report = validate_set({"d.yaml": DUTY})
    [catalog] = report.catalogs
    [stats] = compute_stats(report.catalogs, report.project)
    assert stats.type_field == TYPE_FIELD["duty"] == "track"
    assert stats.by_type == {"基本履职事项": 1, "配合履职事项": 1}
    assert stats.by_department == {"街道综治中心": 1, "街道应急办": 1}
    assert item_ref(catalog.items[1]).department == "街道应急办"
    view = list_view(catalog)
    assert [row.department for cat in view.categories for row in cat.rows] == ["街道综治中心", "街道应急办"]
    # a territorial item's lead units, however written, are one department text
    assert department("territorial", {"lead": [{"unit": "区消防救援大队"}, "街道应急办"]}) == "区消防救援大队、街道应急办"
    assert department("grid", {"lead": "x"}) is None


def test_one_list_of_kinds():
    assert SCHEMA_KINDS is KINDS and set(KIND_NAMES) == set(KINDS)
