"""The slim records (govlist/index.py): the rules over the set read only what the records keep, and a rule that
reads a dropped field gets the catalogs it reads whole again, so it finds exactly what it finds over whole documents;
the records are cached beside each file's entry and read back instead of the documents' data."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CATALOGS, REPO, entry_parts, write_entry
from govlist import index as index_module
from govlist import parallel
from govlist.catalog import Catalog
from govlist.index import ITEM_FIELDS, NeedsFullData, SlimItem
from govlist.report import REPORTERS
from govlist.ruleset import RULES, Context, Problem, Rule, at
from govlist.model import Severity, Text
from govlist.validate import validate_paths


def _json(report) -> str:
    return REPORTERS["json"](report, "en", False)


@pytest.fixture
def wholes(monkeypatch):
    """The paths of the slim catalogs made whole again since the last clear()."""
    seen: list[str] = []
    real = index_module.whole_catalog

    def counting(catalog):
        if index_module.is_slim(catalog):
            seen.append(catalog.path)
        return real(catalog)

    monkeypatch.setattr(index_module, "whole_catalog", counting)
    return seen


def test_a_slim_item_gives_its_kept_fields_and_refuses_the_others():
    item = SlimItem("a.yaml", {"code": "A-1", "name": "出生证明"})
    assert item["code"] == "A-1" and item.get("track") is None and "status" not in item
    assert isinstance(item, dict)
    for read in (
        lambda: item["content"],
        lambda: item.get("basis"),
        lambda: "content" in item,
        lambda: list(item),
        lambda: len(item),
        lambda: bool(item),
        lambda: dict(item),
        lambda: {**item},
        lambda: item == {"code": "A-1"},
        lambda: item.items(),
        lambda: json.dumps(item),
        lambda: repr(item),
    ):
        with pytest.raises(NeedsFullData) as raised:
            read()
        assert raised.value.path == "a.yaml"
    with pytest.raises(KeyError):
        item["track"]  # kept, and absent as in the whole item


def test_an_item_reads_code_and_name_of_a_slim_item_as_of_a_whole_one():
    # catalog.Item reads them as a plain dict's (no SlimItem.get): right only while every slim item keeps both
    from govlist.catalog import Item
    from govlist.project import Project

    assert {"code", "name"} <= ITEM_FIELDS <= index_module.kept_fields(Project(links=[{"id": "x", "from": "duty", "field": "unit", "to": ["power"], "expect": "present"}]))
    for fields in ({"code": 12, "name": "出生证明"}, {"name": "出生证明"}, {"code": "A-1"}, {}):
        slim, whole = Item(SlimItem("a.yaml", fields), (), None), Item(dict(fields), (), None)  # type: ignore[arg-type]
        assert (slim.code, slim.name, slim.key, slim.label()) == (whole.code, whole.name, whole.key, whole.label())
    with pytest.raises(NeedsFullData):
        Item(SlimItem("a.yaml", {"code": "A-1"}), (), None).data.get("content")  # type: ignore[arg-type]


def test_a_slim_item_keeps_every_field_a_link_reads():
    # govlist/links.py reads a link's fields as a plain dict's (no SlimItem.get): right only while they are all kept
    from govlist.links import BUILTIN_LINKS, make_link
    from govlist.project import Project

    declared = [{"id": "x", "from": "duty", "field": "host", "when": {"phase": "on"}, "to": ["grid"], "target": "any", "match": "back", "expect": "present"}]
    kept = index_module.kept_fields(Project(links=declared))
    for link in (make_link(d) for d in (*BUILTIN_LINKS, *declared)):
        assert {key for key, _ in link.when} | ({link.field, link.match} - {""}) <= kept


def test_the_kept_fields_are_what_the_rules_over_the_set_read_of_an_item():
    assert {"code", "name", "track", "status", "receiver", "lead", "grid"} <= ITEM_FIELDS
    assert not {"content", "basis"} & ITEM_FIELDS  # long; read only by the parent.* rules, which get the pair whole


def _reads_content(ctx: Context):
    """A set rule that reads a field the records drop: every item whose content mentions 街道, in every list."""
    for catalog in ctx.catalogs:
        for item in catalog.items:
            if "街道" in str(item.data.get("content") or ""):
                yield at(item, "content", "内容提到街道", "the content names a street")


def _reads_other_lists(catalog: Catalog, ctx: Context):
    """A catalog rule that reads dropped fields of the other lists (deferred: it reads more than its own file)."""
    others = sum(1 for other in ctx.of_kind("duty", "community") if other is not catalog for item in other.items if item.data.get("basis"))
    if catalog.items and others:
        yield Problem(catalog, catalog.items[0].pointer, Text(f"其他清单有 {others} 项写明依据", f"{others} items of other lists give a basis"), catalog.items[0])


@pytest.fixture
def rules_reading_dropped_fields(monkeypatch):
    for rule_obj in (
        Rule("test.content", Severity.WARNING, Text("测试", "test"), "", "set", None, _reads_content),
        Rule("test.others", Severity.WARNING, Text("测试", "test"), "", "catalog", frozenset({"duty", "community"}), _reads_other_lists),
    ):
        monkeypatch.setitem(RULES, rule_obj.id, rule_obj)


@pytest.mark.parametrize("cache", [False, True])
def test_a_rule_reading_a_dropped_field_finds_what_it_finds_over_whole_documents(tmp_path, monkeypatch, rules_reading_dropped_fields, wholes, cache):
    target = tmp_path / "c"
    shutil.copytree(CATALOGS, target, ignore=shutil.ignore_patterns(".govlist-cache"))
    monkeypatch.chdir(tmp_path)
    whole = _json(validate_paths([target], cache=False))  # whole documents: no slim record anywhere
    assert '"test.content"' in whole and '"test.others"' in whole
    assert not wholes
    slim = _json(validate_paths([target], cache=cache, need_catalogs=False))
    assert slim == whole
    assert wholes  # the rules read dropped fields: their catalogs were made whole again
    if cache:  # warm, one file changed: the others' records come from the cache, and still fall back
        wholes.clear()
        street = target / "gumei" / "street-duty.yaml"
        street.write_text(street.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
        assert _json(validate_paths([target], need_catalogs=False)) == whole
        assert wholes


def test_the_parent_rules_make_a_list_and_its_parent_whole_not_the_set(tmp_path, monkeypatch, wholes):
    target = tmp_path / "levels"
    shutil.copytree(REPO / "examples" / "levels", target, ignore=shutil.ignore_patterns(".govlist-cache"))
    monkeypatch.chdir(tmp_path)
    whole = _json(validate_paths([target], cache=False))
    assert _json(validate_paths([target], cache=False, need_catalogs=False)) == whole
    # county → city → national: each child list with its parent, once for all the parent.* rules of the child; the
    # city list, made whole as the county's parent, is taken again as the child of the national list, not read again
    assert sorted(wholes) == sorted(["levels/huangshi-certificates.yaml", "levels/hubei-certificates.yaml", "levels/national-certificates.yaml"])


def test_a_rule_that_only_reads_kept_fields_makes_nothing_whole(tmp_path, monkeypatch, wholes):
    target = tmp_path / "c"
    shutil.copytree(CATALOGS / "gumei", target / "gumei")
    shutil.copy(CATALOGS / "govlist.yaml", target / "govlist.yaml")
    monkeypatch.chdir(tmp_path)
    assert _json(validate_paths([target], cache=False, need_catalogs=False)) == _json(validate_paths([target], cache=False))
    assert wholes == []


def _index_entries(root) -> list:
    """The files' entries that keep a slim record (`<key>.entry`, its second part)."""
    return sorted(path for path in (root / ".govlist-cache").rglob("*.entry") if json.loads(path.read_bytes().split(b"\n", 1)[0])["parts"][1])


def test_the_index_entry_is_read_instead_of_the_data_when_a_file_changed(catalog_set, monkeypatch):
    validate_paths([catalog_set], need_catalogs=False)  # cold, writing the cache
    lists = [p for p in catalog_set.rglob("*.yaml") if p.name not in ("govlist.yaml", "broken.yaml") and parallel.peek_kind(p) not in parallel.CONTEXT_KINDS]
    assert len(_index_entries(catalog_set)) == len(lists)  # registries and entry rules are kept whole
    data_reads: list[str] = []
    index_reads: list[str] = []
    real, real_index = parallel.Cache.load_data, parallel.Cache.load_index

    def counting(self, key):
        data_reads.append(key)
        return real(self, key)

    def counting_index(self, key):
        index_reads.append(key)
        return real_index(self, key)

    monkeypatch.setattr(parallel.Cache, "load_data", counting)
    monkeypatch.setattr(parallel.Cache, "load_index", counting_index)
    community = catalog_set / "chenghua" / "community.yaml"
    text = community.read_text(encoding="utf-8")  # an item renamed: a field the rules over the set read, so they run
    community.write_text("name: 改名".join(text.rsplit("name: ", 1)), encoding="utf-8")
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == _json(validate_paths([catalog_set], cache=False))
    # the data entries read: only the context files' (registries, entry rules) and those located or made whole
    assert len(data_reads) < len(_index_entries(catalog_set))
    # the records of the lists the runs that ran again asked for, not every list's (govlist/index.py `_Filling`)
    assert len(index_reads) < len(lists) - 1, (len(index_reads), len(lists))


TWIN = "govlist: 1\nkind: duty\nid: twin\ntitle: 清单{n}\nitems:\n  - code: D{n}-001\n    name: 巡查{n}\n    content: 日常巡查\n"


@pytest.fixture
def set_runs(monkeypatch):
    """What the rules over the set did in a run: the rules run (by id) and the slim records read back."""
    seen: dict[str, list] = {"rules": [], "records": []}
    run_rule, load_index = index_module.run_rule, parallel.Cache.load_index

    def counting_rule(rule_obj, ctx, scope=None):
        seen["rules"].append(rule_obj.id)
        return run_rule(rule_obj, ctx, scope)

    def counting_records(self, key):
        seen["records"].append(key)
        return load_index(self, key)

    monkeypatch.setattr(index_module, "run_rule", counting_rule)
    monkeypatch.setattr(parallel.Cache, "load_index", counting_records)
    return seen


@pytest.mark.parametrize(
    ("edit", "moved"),
    [
        (lambda text: "# 修订说明\n# 2024 年\n" + text, 2),  # comments: every line moves
        (lambda text: text.replace("日常巡查", "日常巡查和专项检查"), 0),  # a 内容 the rules over the set do not read
    ],
)
def test_an_edit_the_rules_over_the_set_do_not_read_runs_none_of_them_again(tmp_path, monkeypatch, set_runs, edit, moved):
    """An edit that leaves a file's slim record as it was (a comment, a 内容, a 依据): what the rules over the set
    found last time still holds, so none of them runs and no other file's record is read; its findings in the
    edited file are located again (the lines moved)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 测试\n", encoding="utf-8")
    for n in (1, 2, 3):
        (tmp_path / f"d{n}.yaml").write_text(TWIN.format(n=n), encoding="utf-8")

    def duplicates(report) -> list[tuple[str, int]]:
        return [(f.file, f.line) for f in report.findings if f.rule == "catalog.duplicate-id"]

    before = duplicates(validate_paths([tmp_path], need_catalogs=False))  # cold, writing the cache
    assert before == [("d2.yaml", 3), ("d3.yaml", 3)]  # the first file of the id is the one the others repeat
    edited = tmp_path / "d2.yaml"
    edited.write_text(edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
    set_runs["rules"].clear()
    warm = validate_paths([tmp_path], need_catalogs=False)
    assert duplicates(warm) == [("d2.yaml", 3 + moved), ("d3.yaml", 3)]
    assert set_runs == {"rules": [], "records": []}
    assert _json(warm) == _json(validate_paths([tmp_path], cache=False))
    assert duplicates(validate_paths([tmp_path], need_catalogs=False)) == duplicates(warm) and set_runs["rules"] == []  # kept as located now


def test_an_edit_the_rules_over_the_set_read_runs_them_again(tmp_path, monkeypatch, set_runs):
    """An item renamed: its file's slim record changed, so the rules over the set run again, over every file's
    record (read back for the files not edited)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 测试\n", encoding="utf-8")
    for n in (1, 2, 3):
        (tmp_path / f"d{n}.yaml").write_text(TWIN.format(n=n), encoding="utf-8")
    validate_paths([tmp_path], need_catalogs=False)
    edited = tmp_path / "d2.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("name: 巡查2", "name: 巡查二"), encoding="utf-8")
    set_runs["rules"].clear()
    warm = validate_paths([tmp_path], need_catalogs=False)
    assert "catalog.duplicate-id" in set_runs["rules"] and len(set_runs["records"]) == 2
    assert _json(warm) == _json(validate_paths([tmp_path], cache=False))


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", "foreign", "wrong types", "another key", "item places", "no item places"])
def test_a_damaged_index_entry_is_not_trusted(catalog_set, damage):
    cold = _json(validate_paths([catalog_set], need_catalogs=False))
    entries = _index_entries(catalog_set)
    original = {path: path.read_bytes() for path in entries}
    for n, path in enumerate(entries):
        head, entry, record, data = entry_parts(path)
        if damage == "foreign":
            path.write_bytes(original[entries[n - 1]])
        elif damage == "another key":
            path.write_bytes(original[path].replace(path.name.split(".")[0].encode(), b"0" * 64, 1))
        else:  # the record's part of the entry, the others as written
            part = json.loads(record)
            if damage == "wrong types":
                part["record"] = {"kind": "duty", "categories": [{"items": ["not an item"]}]}
            elif damage == "item places":  # another number of items than the record's
                part["places"]["lines"] = part["places"]["lines"][:-16] or "AAAA"
            elif damage == "no item places":
                del part["places"]
            write_entry(path, head, [entry, damage if isinstance(damage, bytes) else json.dumps(part).encode(), data])
    street = catalog_set / "gumei" / "street-duty.yaml"  # a changed file: the set rules run again, over the records
    street.write_text(street.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    reference = _json(validate_paths([catalog_set], cache=False))
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == reference
    assert reference != cold or True  # the change is a comment: same findings
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == reference


def test_a_catalog_whose_file_vanished_after_it_was_checked_keeps_its_kept_fields(tmp_path):
    """The whole document is read again from the file; when it is gone, the record is all there is (no crash)."""
    path = tmp_path / "a.yaml"
    doc = index_module.SlimDocument("a.yaml", [], path, lambda: None)
    catalog = index_module.slim_catalog(doc, {"kind": "duty", "id": "a", "items": [{"code": "A-1", "name": "出生证明"}]})
    whole = index_module.whole_catalog(catalog)
    assert not index_module.is_slim(whole) and whole.items[0].data == {"code": "A-1", "name": "出生证明"}
    assert doc.position(("items", 0)) == (1, 1)


def test_the_fields_a_project_link_reads_are_kept(tmp_path, monkeypatch, wholes):
    """A project's own link (govlist.yaml `links:`) reads the fields it names: the records keep them too."""
    files = {
        "govlist.yaml": "govlist: 1\nkind: project\nname: 测试\nlinks:\n  - {id: 社区协助-街道, from: community, field: department, when: {type: 协助事项}, to: [duty], expect: present}\n",
        "reg.yaml": "govlist: 1\nkind: registry\nid: reg\ntitle: 名录\nunits:\n  - {code: Q, name: 綦江区, type: 区}\n  - {code: GN, name: 古南街道, type: 街道, parent: Q}\n",
        "c.yaml": "govlist: 1\nkind: community\nid: c\ntitle: 社区事项\nitems:\n  - {name: 协助开展养犬登记, type: 协助事项, department: 古南街道}\n",
        "gn.yaml": "govlist: 1\nkind: duty\nid: duty-gn\ntitle: 古南街道履行职责事项清单\nunit: 古南街道\nitems:\n  - {name: 消防安全检查}\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    whole = _json(validate_paths([tmp_path], cache=False))
    assert '"links.present"' in whole
    assert _json(validate_paths([tmp_path], cache=False, need_catalogs=False)) == whole
    assert wholes == []


def _levels_copies(root, copies: int):
    """`copies` copies of examples/levels, each in a folder of its own with its list ids suffixed, so that each
    county list inherits from its own province's and each province's from its own national list."""
    ids = ("huangshi-certificates", "hubei-certificates", "mca-certificates-2020")
    for number in range(copies):
        for source in sorted((REPO / "examples" / "levels").glob("*.yaml")):
            text = source.read_text(encoding="utf-8")
            for list_id in ids:
                text = text.replace(list_id, f"{list_id}-{number}")
            (root / f"c{number}").mkdir(parents=True, exist_ok=True)
            (root / f"c{number}" / source.name).write_text(text, encoding="utf-8")


def test_the_work_over_the_set_does_not_grow_with_its_lists_times_the_set(tmp_path, monkeypatch):
    """A list made whole for parent.changed (it reads the 依据) swaps one catalog in the rules' context: the unit
    index and the index of list ids are taken over, not built again over the whole set, and what earlier runs kept
    (the resolver of parents) is not thrown away. Before, each list that inherits cost a walk over every catalog and
    unit of the set, and a set of thousands of lists took minutes where its parse takes seconds."""
    from govlist import inheritance, ruleset

    walks: list[str] = []
    real_units, real_resolver = ruleset.UnitIndex, inheritance.Resolver.__init__

    def units(registries):
        walks.append("units")
        return real_units(registries)

    def resolver(self, catalogs, find=None):
        if find is None:
            walks.append("ids")
            real_resolver(self, catalogs)
        else:
            real_resolver(self, catalogs, find)

    monkeypatch.setattr(ruleset, "UnitIndex", units)
    monkeypatch.setattr(inheritance.Resolver, "__init__", resolver)
    monkeypatch.chdir(tmp_path)
    counts = {}
    for copies in (1, 4):
        target = tmp_path / f"set{copies}"
        _levels_copies(target, copies)
        whole = _json(validate_paths([target], cache=False))
        walks.clear()
        slim = _json(validate_paths([target], cache=False, need_catalogs=False))
        assert slim == whole  # over the slim records, with lists made whole, the findings of whole documents
        assert json.loads(slim)["findings"]  # the examples' parent.* findings, in each copy
        counts[copies] = sorted(walks)
    assert counts[4] == counts[1]


EXTRA_REGISTRY = "govlist: 1\nkind: registry\nid: zz-registry\ntitle: 另一名录\nunits:\n  - code: GM-QU\n    name: 另一个区\n    type: 区\n"


@pytest.mark.parametrize(
    ("edited", "again"),
    [
        ("zz-registry.yaml", []),  # the finding is in it: located again, two lines down
        ("gumei/registry.yaml", ["codes.unique-unit"]),  # its message names this file's line: that run reads it
    ],
)
def test_a_registry_edited_where_its_data_stays_the_same_runs_only_the_rules_that_read_its_lines(catalog_set, set_runs, edited, again):
    """A registry is seen whole by the rules over the set; what they see of it is its data, so a comment at its top
    (every line moves) keeps what they found: the findings in it are located again, and only a run whose messages
    named one of its lines runs again."""
    (catalog_set / "zz-registry.yaml").write_text(EXTRA_REGISTRY, encoding="utf-8")  # reuses a unit code of gumei's
    cold = validate_paths([catalog_set], need_catalogs=False)
    reused = [(f.file, f.line) for f in cold.findings if f.rule == "codes.unique-unit"]
    assert reused == [("c/zz-registry.yaml", 6)]
    path = catalog_set / edited
    path.write_text("# 修订说明\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    set_runs["rules"].clear()
    warm = validate_paths([catalog_set], need_catalogs=False)
    assert set_runs["rules"] == again and set_runs["records"] == ([] if not again else set_runs["records"])
    assert [(f.file, f.line) for f in warm.findings if f.rule == "codes.unique-unit"] == [("c/zz-registry.yaml", 8 if edited == "zz-registry.yaml" else 6)]
    assert _json(warm) == _json(validate_paths([catalog_set], cache=False))
