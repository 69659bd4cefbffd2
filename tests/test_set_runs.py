"""The link rules run list by list (ruleset.ByList, govlist/index.py): each list's run is kept in the cache's set
entry with what it depends on — its own record, the lists of the units its items name (found through the lists'
headers and the registries) and their records — so that a warm run after an edit runs again only the runs that can
see it, and reports what a run without the cache reports, byte for byte."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from govlist import index as index_module
from govlist import parallel
from govlist.checker import run_rules
from govlist.report import REPORTERS
from govlist.rules import links as link_rules
from govlist.ruleset import RULES, Context
from govlist.validate import validate_paths

FILES = {
    "govlist.yaml": "govlist: 1\nkind: project\nname: 测试\n",
    "registry.yaml": (
        "govlist: 1\nkind: registry\nid: reg\ntitle: 名录\nunits:\n"
        "  - {code: Q, name: 綦江区, type: 区}\n"
        "  - {code: GN, name: 古南街道办事处, aliases: [古南街道], type: 街道, parent: Q}\n"
        "  - {code: WL, name: 文龙街道办事处, aliases: [文龙街道], type: 街道, parent: Q}\n"
        "  - {code: SJ, name: 三江街道办事处, aliases: [三江街道], type: 街道, parent: Q}\n"
    ),
    "dev.yaml": ("govlist: 1\nkind: devolution\nid: dev\ntitle: 下放目录\nitems:\n  - {name: 临时救助申请受理, receiver: 古南街道}\n  - {name: 燃气经营许可初审, receiver: 文龙街道, status: 收回}\n  - {name: 违法建设巡查, receiver: 文龙街道}\n"),
    "gn.yaml": "govlist: 1\nkind: duty\nid: duty-gn\ntitle: 古南街道履行职责事项清单\nunit: 古南街道\nitems:\n  - {name: 临时救助申请受理}\n  - {name: 消防安全检查}\n",
    "wl.yaml": "govlist: 1\nkind: duty\nid: duty-wl\ntitle: 文龙街道履行职责事项清单\nunit: 文龙街道\nitems:\n  - {name: 燃气经营许可初审}\n  - {name: 道路保洁}\n",
    "sj.yaml": "govlist: 1\nkind: duty\nid: duty-sj\ntitle: 三江街道履行职责事项清单\nunit: 三江街道\nitems:\n  - {name: 防汛巡查, track: 配合履职事项, lead: 古南街道}\n",
}
# the runs list by list: links.present from the devolution list (it names 古南街道 and 文龙街道) and from each duty
# list (三江街道's has an item led by 古南街道), links.absent from the devolution list (its withdrawn item: 文龙街道)
RUNS = {("present", "dev.yaml"), ("absent", "dev.yaml"), ("present", "gn.yaml"), ("present", "wl.yaml"), ("present", "sj.yaml")}


def _json(report) -> str:
    return REPORTERS["json"](report, "en", False)


@pytest.fixture
def linked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def ran(monkeypatch):
    """The link rules' runs list by list since the last clear(): (expect, the list's file)."""
    seen: set[tuple[str, str]] = set()
    real = link_rules._check

    def counting(ctx, expect, source=None):
        if source is not None:
            seen.add((expect, source.path))
        return real(ctx, expect, source)

    monkeypatch.setattr(link_rules, "_check", counting)
    return seen


def _edit(root, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _warm(root, ran, **options) -> str:
    ran.clear()
    report = _json(validate_paths([root], need_catalogs=False, **options))
    seen = set(ran)
    assert report == _json(validate_paths([root], cache=False)), "a warm run reports what a run without the cache reports"
    ran.clear()
    ran.update(seen)  # the runs of the warm run, not those of the run without the cache
    return report


def test_every_list_is_a_run_and_together_they_find_what_the_rule_finds(linked, ran):
    cold = json.loads(_json(validate_paths([linked], need_catalogs=False)))
    assert ran == RUNS
    found = sorted((f["rule"], f["file"], f["line"], f["column"]) for f in cold["findings"] if f["rule"].startswith("links."))
    assert found == [("links.absent", "wl.yaml", 7, 5), ("links.present", "dev.yaml", 8, 30), ("links.present", "sj.yaml", 7, 39)]
    whole = validate_paths([linked], cache=False, need_catalogs=True)
    located = run_rules(Context(whole.project, whole.catalogs), [RULES["links.present"], RULES["links.absent"]], False)
    assert sorted((rule, file, line, column) for rule, _, file, line, column, _, _ in located) == found  # each rule over the whole set at once
    ran.clear()
    validate_paths([linked], need_catalogs=False)
    assert ran == set()  # nothing changed: nothing runs


@pytest.mark.parametrize(
    ("name", "old", "new", "again"),
    [
        ("sj.yaml", "防汛巡查", "防汛检查", {("present", "sj.yaml")}),  # no list's items name 三江街道
        ("wl.yaml", "道路保洁", "道路清扫", {("present", "wl.yaml"), ("present", "dev.yaml"), ("absent", "dev.yaml")}),
        ("gn.yaml", "消防安全检查", "消防检查", {("present", "gn.yaml"), ("present", "dev.yaml"), ("present", "sj.yaml")}),
        ("wl.yaml", "燃气经营许可初审", "燃气经营许可", {("present", "wl.yaml"), ("present", "dev.yaml"), ("absent", "dev.yaml")}),  # its finding goes
        ("dev.yaml", "违法建设巡查", "违法建设查处", {("present", "dev.yaml"), ("absent", "dev.yaml")}),
    ],
)
def test_a_renamed_item_runs_again_only_the_runs_that_can_see_it(linked, ran, name, old, new, again):
    validate_paths([linked], need_catalogs=False)
    _edit(linked, name, old, new)
    _warm(linked, ran)
    assert ran == again
    _warm(linked, ran)
    assert ran == set()  # kept as found now


def test_a_list_newly_naming_a_unit(linked, ran):
    """An item now led by 三江街道: its list's run looks in 三江街道's list; and a new list of 文龙街道 carrying the
    devolved item: the runs whose items name 文龙街道 look in it too."""
    validate_paths([linked], need_catalogs=False)
    _edit(linked, "gn.yaml", "  - {name: 消防安全检查}\n", "  - {name: 消防安全检查}\n  - {name: 协助防汛, track: 配合履职事项, lead: 三江街道}\n")
    report = _warm(linked, ran)
    assert ran == {("present", "gn.yaml"), ("present", "dev.yaml"), ("present", "sj.yaml")}
    assert "协助防汛" in report
    (linked / "power-wl.yaml").write_text("govlist: 1\nkind: power\nid: power-wl\ntitle: 文龙街道权责清单\nunit: 文龙街道\nitems:\n  - {name: 违法建设巡查, type: 行政检查}\n", encoding="utf-8")
    report = _warm(linked, ran)
    assert ran == {("present", "dev.yaml"), ("absent", "dev.yaml")}  # a power list is no link's source
    assert "'违法建设巡查' points at" not in report


def test_a_unit_renamed_in_a_registry(linked, ran):
    validate_paths([linked], need_catalogs=False)
    _edit(linked, "registry.yaml", "aliases: [文龙街道]", "aliases: [文龙镇]")
    report = _warm(linked, ran)
    assert ran == {("present", "dev.yaml"), ("absent", "dev.yaml")}  # the others name no unit whose lists changed
    assert "points at '文龙街道'" not in report and "taken back" not in report  # it names no unit now: not followed
    _edit(linked, "registry.yaml", "aliases: [文龙镇]", "aliases: [文龙街道]")
    _warm(linked, ran)
    assert ran == {("present", "dev.yaml"), ("absent", "dev.yaml")}


def test_a_list_deleted(linked, ran):
    validate_paths([linked], need_catalogs=False)
    (linked / "wl.yaml").unlink()
    report = _warm(linked, ran)
    assert ran == {("present", "dev.yaml"), ("absent", "dev.yaml")}
    assert "points at '文龙街道'" not in report and "taken back" not in report  # 文龙街道 has no list now
    (linked / "gn.yaml").unlink()
    _warm(linked, ran)
    assert ran == {("present", "dev.yaml"), ("present", "sj.yaml")}


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", "foreign", "truncated", "another set", "needs not as written"])
def test_a_damaged_set_entry_is_not_trusted(linked, ran, damage):
    validate_paths([linked], need_catalogs=False)
    path = next((linked / ".govlist-cache").rglob("*.set.json"))
    raw = path.read_bytes()
    entry = json.loads(raw)
    if damage == "foreign":  # another project's, or another version's (the key is the salt's)
        path.write_bytes(raw.replace(entry["key"].encode(), b"0" * 64))
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "another set":  # what another set's files were: every footprint other than now
        entry["files"] = {name: ["x", "y"] for name in entry["files"]}
        entry["every"] = "z"
        path.write_text(json.dumps(entry), encoding="utf-8")
    elif damage == "needs not as written":  # a run list by list whose questions are not [question, answer] pairs
        next(row for row in entry["runs"] if "@" in row[0])[2][1] = ["units"]
        path.write_text(json.dumps(entry), encoding="utf-8")
    else:
        path.write_bytes(damage)
    _edit(linked, "wl.yaml", "道路保洁", "道路清扫")
    _warm(linked, ran)
    assert ran == RUNS
    _warm(linked, ran)
    assert ran == set()


def test_the_spawned_path(linked, ran, monkeypatch):
    """Files checked in spawned workers: the main process runs the rules over the set, list by list, as in one."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    validate_paths([linked], need_catalogs=False, jobs=2)
    _edit(linked, "wl.yaml", "道路保洁", "道路清扫")
    _warm(linked, ran, jobs=2)
    assert ran == {("present", "wl.yaml"), ("present", "dev.yaml"), ("absent", "dev.yaml")}


@pytest.fixture
def set_rules_ran(monkeypatch):
    """The rules over the set not run list by list, and the lists whose deferred rules ran, since the last clear()."""
    seen: set[str] = set()
    real = index_module.run_rule

    def counting(rule_obj, ctx, scope=None):
        seen.add(rule_obj.id if scope is None else f"deferred:{scope[0].path}")
        return real(rule_obj, ctx, scope)

    monkeypatch.setattr(index_module, "run_rule", counting)
    return seen


def test_a_rule_over_the_set_runs_again_only_when_what_it_asked_of_the_set_changed(linked, set_rules_ran):
    """A rule over the set that is not run list by list depends on what it asked of the set: codes.unique-unit asks
    for the registries only, so a renamed item in a list keeps it; duty.basic-and-withdrawn asks for the duty lists
    (and the registries), devolution.withdrawn-still-listed for the duty and devolution lists: an item renamed in a
    power list keeps them, one in a duty list runs them again; catalog.duplicate-id reads every list's header only,
    and grid.two-list-link the territorial and grid lists only: a renamed item keeps them."""
    (linked / "power-sj.yaml").write_text("govlist: 1\nkind: power\nid: power-sj\ntitle: 三江街道权责清单\nunit: 三江街道\nitems:\n  - {name: 防汛检查, type: 行政检查}\n", encoding="utf-8")
    validate_paths([linked], need_catalogs=False)
    _edit(linked, "power-sj.yaml", "防汛检查", "防汛巡查")
    set_rules_ran.clear()
    report = _json(validate_paths([linked], need_catalogs=False))
    assert set_rules_ran == set()  # no rule over the set asked for the power lists' records
    assert report == _json(validate_paths([linked], cache=False))
    _edit(linked, "wl.yaml", "道路保洁", "道路清扫")
    set_rules_ran.clear()
    report = _json(validate_paths([linked], need_catalogs=False))
    assert {"duty.basic-and-withdrawn", "devolution.withdrawn-still-listed"} <= set_rules_ran
    assert not {"codes.unique-unit", "catalog.duplicate-id", "grid.two-list-link"} & set_rules_ran
    assert report == _json(validate_paths([linked], cache=False))
    _edit(linked, "registry.yaml", "name: 綦江区", "name: 綦江县")
    set_rules_ran.clear()
    report = _json(validate_paths([linked], need_catalogs=False))
    assert "codes.unique-unit" in set_rules_ran
    assert report == _json(validate_paths([linked], cache=False))


LEVEL_IDS = ("huangshi-certificates", "hubei-certificates", "mca-certificates-2020")


def test_a_list_s_deferred_rules_run_again_only_when_what_they_asked_changed(tmp_path, monkeypatch, set_rules_ran):
    """Two copies of examples/levels (a county list inheriting from its province's, which inherits from the national
    list), each pointing only at its own: an item renamed in one copy's national list runs again that copy's
    deferred parent.* rules (they asked for their parent by id), never the other copy's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 测试\n", encoding="utf-8")
    for number in range(2):
        (tmp_path / f"c{number}").mkdir()
        for source in sorted((REPO / "examples" / "levels").glob("*.yaml")):
            text = source.read_text(encoding="utf-8")
            for list_id in LEVEL_IDS:
                text = text.replace(list_id, f"{list_id}-{number}")
            (tmp_path / f"c{number}" / source.name).write_text(text, encoding="utf-8")
    validate_paths([tmp_path], need_catalogs=False)
    national = tmp_path / "c0" / "national-certificates.yaml"
    text = national.read_text(encoding="utf-8")
    national.write_text("name: 改名".join(text.rsplit("name: ", 1)), encoding="utf-8")
    set_rules_ran.clear()
    report = _json(validate_paths([tmp_path], need_catalogs=False))
    deferred = {name for name in set_rules_ran if name.startswith("deferred:")}
    assert deferred and all(name.startswith("deferred:c0/") for name in deferred)
    assert report == _json(validate_paths([tmp_path], cache=False))


def test_what_a_run_keeps_in_the_shared_memo_carries_what_it_asked():
    """ctx.memo is shared by the runs over the set: a run reading what another kept there depends on what that run
    had asked by then; walking the catalogs depends on every file."""
    from govlist.catalog import Catalog
    from govlist.loader import Document
    from govlist.project import build_project

    catalogs = [Catalog(Document(f"{n}.yaml", None, b"", []), {"kind": "duty", "id": f"d{n}"}) for n in range(3)]
    ctx = index_module._NotingContext(build_project(None, None), catalogs)
    first: set[str] = set()
    ctx.asked = first
    found = ctx.by_id("d1")
    ctx.memo["found"] = found
    second: set[str] = set()
    ctx.asked = second
    assert ctx.memo["found"] is catalogs[1] and second == {"id\0d1"}
    third: set[str] = set()
    ctx.asked = third
    assert len(ctx.catalogs) == 3 and third == {index_module.EVERY}
    ctx.asked = None
    ctx.memo["outside"] = 1  # kept outside a run: what it was made of is not known
    ctx.asked = fourth = set()
    assert "outside" in ctx.memo and fourth == {index_module.EVERY}


def test_a_parent_found_by_path_through_a_kept_resolver_depends_on_every_file():
    """A parent named by its file is found through an index of every catalog by path, made once and kept in the
    shared memo (rules/inheritance.py): each run that finds a parent that way depends on every file, also when
    another run made the index."""
    from govlist.catalog import Catalog
    from govlist.loader import Document
    from govlist.project import build_project
    from govlist.rules.inheritance import _resolver

    parent = {"list": "p.yaml", "mode": "extends"}
    catalogs = [Catalog(Document(name, None, b"", []), {"kind": "duty", "id": name[0], **extra}) for name, extra in (("p.yaml", {}), ("a.yaml", {"parent": parent}), ("b.yaml", {"parent": parent}))]
    ctx = index_module._NotingContext(build_project(None, None), catalogs)
    for catalog in catalogs[1:]:  # the first run makes the index, the second finds it kept
        ctx.asked = asked = set()
        assert _resolver(ctx).parent(catalog) is catalogs[0]
        assert index_module.EVERY in asked
    ctx.asked = None


def test_a_noting_context_is_freed_without_the_cyclic_collector():
    """The runs over the set go with the cyclic GC off, and every escalation makes a context: one that its own
    catalogs or memo held would never be freed (70 MB more at 100,855 items of copies of catalogs/)."""
    import gc
    import weakref

    from govlist.catalog import Catalog
    from govlist.loader import Document
    from govlist.project import build_project

    catalogs = [Catalog(Document(f"{n}.yaml", None, b"", []), {"kind": "duty", "id": f"d{n}"}) for n in range(3)]
    enabled = gc.isenabled()
    gc.disable()
    try:
        ctx = index_module._NotingContext(build_project(None, None), catalogs)
        ctx.memo["kept"] = ctx.of_kind("duty")
        gone = weakref.ref(ctx)
        del ctx
        assert gone() is None
    finally:
        if enabled:
            gc.enable()


def test_only_the_records_a_run_asks_for_are_read_back(linked, set_rules_ran, monkeypatch):
    """The unchanged files' slim records are read back when a run that runs again asks for their catalogs (of_kind,
    by_id, a walk), not all of them as soon as any run runs: a renamed item that no run over the set asks about reads
    none back; one in a duty list reads back the other duty lists and the devolution list (the rules comparing
    them), never the power list."""
    (linked / "power-sj.yaml").write_text("govlist: 1\nkind: power\nid: power-sj\ntitle: 三江街道权责清单\nunit: 三江街道\nitems:\n  - {name: 防汛检查, type: 行政检查}\n", encoding="utf-8")
    records: list[str] = []
    load_index = parallel.Cache.load_index

    def counting(self, key):
        records.append(key)
        return load_index(self, key)

    monkeypatch.setattr(parallel.Cache, "load_index", counting)
    validate_paths([linked], need_catalogs=False)
    _edit(linked, "power-sj.yaml", "防汛检查", "防汛巡查")
    records.clear()
    assert _json(validate_paths([linked], need_catalogs=False)) == _json(validate_paths([linked], cache=False))
    assert records == []
    _edit(linked, "sj.yaml", "防汛巡查", "防汛检查")
    records.clear()
    set_rules_ran.clear()
    report = _json(validate_paths([linked], need_catalogs=False))
    assert len(records) == 3  # gn.yaml, wl.yaml (duty), dev.yaml (devolution); not power-sj.yaml
    assert {"duty.basic-and-withdrawn", "devolution.withdrawn-still-listed"} <= set_rules_ran
    assert report == _json(validate_paths([linked], cache=False))


def test_duplicate_ids_are_found_from_the_headers_and_kept_while_they_are_the_same(linked, set_rules_ran):
    """catalog.duplicate-id reads every catalog's header (Context.headers), not its record: a renamed item keeps its
    run, a changed title or id runs it again, and the findings are those of a run without the cache."""
    _edit(linked, "wl.yaml", "id: duty-wl", "id: duty-gn")
    first = _json(validate_paths([linked], need_catalogs=False))
    assert "list id 'duty-gn' is also the id of gn.yaml" in first
    _edit(linked, "sj.yaml", "防汛巡查", "防汛检查")
    set_rules_ran.clear()
    assert _json(validate_paths([linked], need_catalogs=False)) == _json(validate_paths([linked], cache=False))
    assert "catalog.duplicate-id" not in set_rules_ran
    _edit(linked, "wl.yaml", "道路保洁", "道路清扫")
    set_rules_ran.clear()
    assert _json(validate_paths([linked], need_catalogs=False)) == _json(validate_paths([linked], cache=False))
    assert "catalog.duplicate-id" in set_rules_ran  # its finding is in wl.yaml, whose record changed
    _edit(linked, "gn.yaml", "title: 古南街道履行职责事项清单", "title: 古南街道职责清单")
    set_rules_ran.clear()
    report = _json(validate_paths([linked], need_catalogs=False))
    assert "catalog.duplicate-id" in set_rules_ran
    assert "(古南街道职责清单)" in report
    assert report == _json(validate_paths([linked], cache=False))


COMMUNITY = "govlist: 1\nkind: community\nid: {id}\ntitle: {id}社区工作事项清单\nlevel: 社区\nitems:\n  - {{name: 居住证明, type: 可出具证明}}\n  - {{name: {name}, type: 不应出具证明}}\n  - {{name: 协助人口普查, type: 依法履职事项}}\n"


@pytest.mark.parametrize("by_part", [64, 1])
def test_a_community_list_s_peers_are_read_for_the_certificates_they_may_not_issue_only(tmp_path, monkeypatch, set_rules_ran, by_part):
    """community.certificate-conflict compares a list with its peers (community lists of its level under the same
    entry rules) through their headers and, of each, the certificates it may not issue (Context.part_at): an item
    renamed in a peer that is not such a certificate keeps the other lists' runs; a certificate renamed runs them
    again, and both report what a run without the cache reports. With more peers than PEERS_BY_PART, a run asks for
    the community lists as one (any item renamed in one runs the others again)."""
    from govlist.rules import community

    monkeypatch.setattr(community, "PEERS_BY_PART", by_part)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 测试\n", encoding="utf-8")
    for n, name in enumerate(("出生证明", "婚姻状况证明", "无犯罪记录证明")):
        (tmp_path / f"c{n}.yaml").write_text(COMMUNITY.format(id=f"c{n}", name=name), encoding="utf-8")
    (tmp_path / "c0.yaml").write_text(COMMUNITY.format(id="c0", name="出生证明").replace("居住证明", "婚姻状况证明"), encoding="utf-8")
    first = _json(validate_paths([tmp_path], need_catalogs=False))
    assert "list 'c1' of the same level" in first
    _edit(tmp_path, "c2.yaml", "协助人口普查", "协助经济普查")
    set_rules_ran.clear()
    assert _json(validate_paths([tmp_path], need_catalogs=False)) == _json(validate_paths([tmp_path], cache=False))
    every = {"deferred:c0.yaml", "deferred:c1.yaml", "deferred:c2.yaml"}
    assert {name for name in set_rules_ran if name.startswith("deferred:")} == ({"deferred:c2.yaml"} if by_part > 1 else every)
    _edit(tmp_path, "c1.yaml", "婚姻状况证明", "婚育状况证明")
    set_rules_ran.clear()
    report = _json(validate_paths([tmp_path], need_catalogs=False))
    assert {name for name in set_rules_ran if name.startswith("deferred:")} == every
    assert "list 'c1' of the same level" not in report
    assert report == _json(validate_paths([tmp_path], cache=False))
