"""Items without a code that share a name in two categories are two items: counted twice in the summary, the tables
and the changelog, each change with its own stable fingerprint; the fingerprints of coded items are as they were."""

from __future__ import annotations

import copy

from govlist.changelog import item_classes
from govlist.diffreport import by_category, item_counts, render_text

from test_diff import BASE, catalog, item, run

OPEN = "公开办事指南"


def _lists(content: str, version: str, first=("民政", "城管")) -> dict:
    return catalog([(first[0], [item(None, "政务公开", content)]), (first[1], [item(None, "政务公开", content)])], version=version)


def _changed(result):
    return [c for c in result.changes if c.kind == "changed"]


def test_uncoded_items_sharing_a_name_in_two_categories_are_two_items(tmp_path):
    result = run(tmp_path, {"d.yaml": _lists(OPEN, "2024")}, {"d.yaml": _lists(OPEN + "和结果", "2025")})
    changed = _changed(result)
    assert len(changed) == 2 and {c.new.category for c in changed} == {"民政", "城管"}
    assert item_counts(result.changes)["changed"] == 2
    assert [(name, counts["changed"]) for name, counts in by_category(result)] == [("d / 民政", 1), ("d / 城管", 1)]
    assert "变更 2（2 处字段）" in render_text(result, "zh") and "changed 2 (2 fields)" in render_text(result, "en")
    assert [kind for kind, _, _ in item_classes(result.changes)] == ["changed", "changed"]
    fingerprints = [c.fingerprint for c in changed]
    assert len(set(fingerprints)) == 2
    # stable: the same comparison with the categories in the other order gives the same fingerprints
    again = run(tmp_path / "again", {"d.yaml": _lists(OPEN, "2024", ("城管", "民政"))}, {"d.yaml": _lists(OPEN + "和结果", "2025", ("城管", "民政"))})
    assert {c.new.category: c.fingerprint for c in _changed(again)} == {c.new.category: c.fingerprint for c in changed}
    # accepting one accepts that one only
    one = run(tmp_path / "one", {"d.yaml": _lists(OPEN, "2024")}, {"d.yaml": _lists(OPEN + "和结果", "2025")}, accepted={fingerprints[0]})
    assert sorted(c.accepted for c in _changed(one)) == [False, True]


def test_the_fingerprint_of_a_coded_item_is_unchanged(tmp_path):
    """An acceptance file written before keeps accepting the change of a coded item."""
    old = catalog(copy.deepcopy(BASE))
    new = copy.deepcopy(old)
    new["categories"][0]["items"][0]["content"] = "受理辖区居民最低生活保障申请"
    result = run(tmp_path, {"d.yaml": old}, {"d.yaml": new})
    assert [(c.new.code, c.fingerprint) for c in _changed(result)] == [("A1", "3a26ae0fcf6b0ffc")]
