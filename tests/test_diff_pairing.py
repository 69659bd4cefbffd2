"""How `govlist diff` decides which list of the new side is which list of the old side (govlist.diff.pairing)."""

from __future__ import annotations

from conftest import write_set
from govlist.diff import diff_paths
from govlist.diffreport import render_text


def duty(list_id: str, title: str, names: list[str]) -> str:
    items = "".join(f"  - name: {n}\n" for n in names)
    return f"govlist: 1\nkind: duty\nid: {list_id}\ntitle: {title}\nitems:\n{items}"


def test_two_single_files_are_two_versions_of_one_list_whatever_their_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_set(
        tmp_path,
        {
            "v2023.yaml": duty("v2023", "某街道职责任务清单", ["巡查违法建设", "组织防汛", "婚育状况证明"]),
            "v2024.yaml": duty("v2024", "某街道职责任务清单", ["巡查违法建设", "组织防汛", "生育状况证明"]),
        },
    )
    result = diff_paths("v2023.yaml", "v2024.yaml")
    assert [(p.old, p.new, p.how) for p in result.pairing] == [("v2023", "v2024", "single")]
    assert sorted(c.kind for c in result.changes) == ["renamed"]  # nothing moved between two lists
    assert result.unchanged == 2
    assert "两边各一份清单，视为同一清单的两个版本" in render_text(result, "zh")
    assert "read as two versions of one list" in render_text(result, "en")


def test_folders_pair_by_id_then_by_kind_and_title(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_set(
        tmp_path,
        {
            "old/a.yaml": duty("gumei-2023", "古美路街道职责任务清单（2023年版）", ["巡查违法建设", "组织防汛"]),
            "old/b.yaml": duty("shared", "居民区职责任务清单", ["垃圾分类宣传"]),
            "new/a.yaml": duty("gumei-2024", "古美路街道职责任务清单（2024年版）", ["巡查违法建设", "组织防汛"]),
            "new/b.yaml": duty("shared", "居民区职责任务清单", ["垃圾分类宣传"]),
            "new/c.yaml": duty("other", "完全不同的名录", ["甲"]),
        },
    )
    result = diff_paths("old", "new")
    how = {(p.old, p.new): p.how for p in result.pairing}
    assert how == {("shared", "shared"): "id", ("gumei-2023", "gumei-2024"): "title"}
    assert not [c for c in result.changes if c.kind in ("moved", "removed")]
    assert {c.kind for c in result.changes if c.catalog == "other"} == {"catalog", "added"}  # a new list, not a version of one
    assert "标题相似" in render_text(result, "zh")


def test_single_files_of_different_kinds_stay_apart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_set(
        tmp_path,
        {
            "a.yaml": duty("a", "某清单", ["甲"]),
            "b.yaml": "govlist: 1\nkind: community\nid: b\ntitle: 某清单\nitems:\n  - name: 甲\n",
        },
    )
    result = diff_paths("a.yaml", "b.yaml")
    assert [p.how for p in result.pairing] == []


def test_lists_pair_by_id_with_the_first_list_of_that_id(tmp_path, monkeypatch):
    """Each new list pairs with the old list of its id, of many; an id two old files hold (a duplicate id, which
    validate reports) pairs with the first by path."""
    monkeypatch.chdir(tmp_path)
    files = {f"{side}/{n:02d}.yaml": duty(f"list-{n}", f"第{n}号清单", ["巡查违法建设"]) for side in ("old", "new") for n in range(30)}
    files["old/00-again.yaml"] = duty("list-7", "第7号清单", ["组织防汛"])
    write_set(tmp_path, files)
    result = diff_paths("old", "new")
    assert [(p.old, p.old_path, p.new_path, p.how) for p in result.pairing] == [(f"list-{n}", f"old/{n:02d}.yaml" if n != 7 else "old/00-again.yaml", f"new/{n:02d}.yaml", "id") for n in sorted(range(30), key=lambda n: f"list-{n}")]
