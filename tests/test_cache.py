"""The content cache: a warm run gives the same report byte for byte and parses only what changed; every part of
the key invalidates; corrupt, foreign and concurrently written entries are never trusted."""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys

import pytest

from govlist import cache as cache_module
from govlist import parallel
from govlist.model import Severity, Text
from govlist.ruleset import RULES, Problem, Rule
from govlist.report import REPORTERS
from govlist.validate import validate_paths

from conftest import REPO, entry_parts, write_entry


@pytest.fixture
def parses(monkeypatch):
    """The names of the files parsed (not read back from the cache) since the last clear()."""
    seen: list[str] = []
    real = parallel.load_bytes

    def counting(raw, shown):
        seen.append(shown)
        return real(raw, shown)

    monkeypatch.setattr(parallel, "load_bytes", counting)
    return seen


def _json(report) -> str:
    return REPORTERS["json"](report, "zh", False)


def _all(root) -> int:
    return len([p for p in root.rglob("*.yaml") if p.name != "govlist.yaml"])


def _files(root) -> list:
    return sorted(p for p in (root / ".govlist-cache").rglob("*") if p.suffix in (".json", ".entry"))


def _entries(root) -> list[tuple]:
    """Each checked file's entry: its path and its entry part, read as JSON."""
    return [(path, json.loads(entry_parts(path)[1])) for path in _files(root) if path.suffix == ".entry"]


def test_a_warm_run_parses_nothing_and_reports_the_same_bytes(catalog_set, parses):
    cold_uncached = _json(validate_paths([catalog_set], cache=False))
    parses.clear()
    cold = _json(validate_paths([catalog_set]))
    assert cold == cold_uncached
    assert len(parses) == _all(catalog_set)
    assert (catalog_set / ".govlist-cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (catalog_set / ".govlist-cache" / "CACHEDIR.TAG").is_file()
    parses.clear()
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    assert parses == []
    parses.clear()
    warm = validate_paths([catalog_set])  # catalogs wanted (stats, render): read back from the cache, not parsed
    assert _json(warm) == cold and parses == []
    assert sum(len(c.items) for c in warm.catalogs) == sum(len(c.items) for c in validate_paths([catalog_set], cache=False).catalogs)


def test_one_changed_file_is_parsed_again_and_the_set_rules_still_see_the_whole_set(catalog_set, parses):
    validate_paths([catalog_set])
    community = catalog_set / "chenghua" / "community.yaml"
    text = community.read_text(encoding="utf-8")
    community.write_text(text + "\n# 改动\n", encoding="utf-8")
    parses.clear()
    warm = _json(validate_paths([catalog_set], need_catalogs=False))
    assert parses == ["c/chenghua/community.yaml"]
    assert warm == _json(validate_paths([catalog_set], cache=False))


@pytest.mark.parametrize("need_catalogs", [True, False])  # False: validate's slim records (<key>.index.json)
@pytest.mark.parametrize(
    "change",
    ["project file", "govlist code or version", "schemas", "shown name"],
)
def test_each_part_of_the_key_invalidates(catalog_set, parses, monkeypatch, change, need_catalogs):
    """What every file's key takes (the context files' data is taken by what each file's rules asked of it: below)."""
    validate_paths([catalog_set], need_catalogs=need_catalogs)
    if change == "project file":
        project = catalog_set / "govlist.yaml"
        project.write_text(project.read_text(encoding="utf-8") + "\n# 设置变了\n", encoding="utf-8")
    elif change == "govlist code or version":
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another govlist")
    elif change == "schemas":
        schemas = catalog_set.parent / "schemas"
        shutil.copytree(cache_module.schema_dir(), schemas)
        first = sorted(schemas.glob("*.json"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        before = cache_module.code_fingerprint()
        monkeypatch.setattr(cache_module, "schema_dir", lambda: schemas)
        assert cache_module.code_fingerprint.__wrapped__() != before
        monkeypatch.setattr(cache_module, "code_fingerprint", cache_module.code_fingerprint.__wrapped__)
    elif change == "shown name":
        monkeypatch.chdir(catalog_set)
    parses.clear()
    report = validate_paths([catalog_set], need_catalogs=need_catalogs)
    assert len(parses) == _all(catalog_set)
    assert _json(report) == _json(validate_paths([catalog_set], cache=False))


@pytest.mark.parametrize("need_catalogs", [True, False])
def test_a_registry_edited_where_its_data_stays_the_same_parses_only_that_registry(catalog_set, parses, need_catalogs):
    """A comment at a registry's top (every line of it moves): the rules of every file, the other registries'
    included, read the context's data, not its lines, so only that registry is checked again; the report is the
    one of a run without the cache, lines included."""
    validate_paths([catalog_set], need_catalogs=need_catalogs)
    registry = catalog_set / "gumei" / "registry.yaml"
    registry.write_text("# 修订说明\n\n" + registry.read_text(encoding="utf-8"), encoding="utf-8")
    parses.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=need_catalogs))
    assert parses == ["c/gumei/registry.yaml"]
    assert report == _json(validate_paths([catalog_set], cache=False))


def _context_files(root) -> list[str]:
    return sorted(f"c/{p.relative_to(root).as_posix()}" for p in [*root.rglob("registry.yaml"), *root.rglob("entry-rules.yaml")])


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def checked(monkeypatch):
    """The names of the files whose own rules ran (not read back from the cache) since the last clear()."""
    seen: list[str] = []
    real = parallel.run_own_rules

    def counting(result, *args):
        seen.append(result.shown)
        return real(result, *args)

    monkeypatch.setattr(parallel, "run_own_rules", counting)
    return seen


@pytest.mark.parametrize("need_catalogs", [True, False])
@pytest.mark.parametrize(
    ("old", "new", "lists"),
    [
        # a unit no file's rules asked for: that registry alone
        ("    name: 成华区财政局\n", "    name: 成华区财政局（改）\n", []),
        # a unit three of 成华's lists find by its alias 成华公安分局: those three
        ("    name: 成都市公安局成华区分局\n", "    name: 成都市公安局成华区分局（改）\n", ["c/chenghua/community.yaml", "c/chenghua/devolution-community.yaml", "c/chenghua/devolution-street.yaml"]),
        # the alias itself gone: the same three, which no longer find the unit (a finding more)
        ("      - 成华公安分局\n", "", ["c/chenghua/community.yaml", "c/chenghua/devolution-community.yaml", "c/chenghua/devolution-street.yaml"]),
    ],
    ids=["a unit no file asked for", "a unit renamed", "an alias gone"],
)
def test_a_unit_changed_in_a_registry_checks_again_only_the_files_whose_rules_asked_for_it(catalog_set, parses, checked, data_reads, need_catalogs, old, new, lists):
    """A file's entry keeps what its rules asked of the registries (units looked up by name, alias or code, found or
    not) and a digest of the answers; when a registry's data changes, a file whose questions get the same answers is
    not checked again. The report is the one of a run without the cache."""
    cold = _json(validate_paths([catalog_set], need_catalogs=need_catalogs))
    _edit(catalog_set / "chenghua" / "registry.yaml", old, new)
    parses.clear()
    checked.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=need_catalogs))
    assert sorted(parses) == sorted(checked) == sorted(["c/chenghua/registry.yaml", *lists])
    assert report == _json(validate_paths([catalog_set], cache=False))
    assert (report != cold) == (new == "")  # the alias gone: 成华's lists name a unit the registries do not know
    parses.clear()  # found to get the same answers once: the next run trusts the entries without asking again
    data_reads.clear()
    assert _json(validate_paths([catalog_set], need_catalogs=need_catalogs)) == report
    assert parses == []
    assert need_catalogs or data_reads == []  # not even the registries' data is read back


def test_a_registry_whose_rules_asked_for_a_unit_of_another_is_checked_again_on_its_data_read_back(catalog_set, parses, checked):
    """xx-district's registry names its unit XX区, which the first registry to hold that name (baishaguan's)
    answers: a change to that unit checks xx-district's registry again, from its data kept in the cache (its bytes
    did not change), and the report is the one of a run without the cache."""
    validate_paths([catalog_set], need_catalogs=False)
    _edit(catalog_set / "baishaguan" / "registry.yaml", "      - XX区人民政府\n", "")
    parses.clear()
    checked.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    assert "c/xx-district/registry.yaml" in checked and "c/xx-district/registry.yaml" not in parses
    assert "c/baishaguan/registry.yaml" in parses and "c/chenghua/registry.yaml" not in checked
    assert report == _json(validate_paths([catalog_set], cache=False))


def test_a_list_whose_rules_walked_every_unit_is_checked_again_when_any_unit_changes(catalog_set, parses):
    """A unit no registry knows: the message suggests the closest unit, found among every unit of every registry, so
    that list's answers change with any unit."""
    _edit(
        catalog_set / "chenghua" / "community.yaml",
        "        type: 协助事项\n        department: 成华公安分局\n        basis: 《中华人民共和国城市居民委员会组织法》第三条\n",
        "        type: 协助事项\n        department: 成华公安分局甲\n        basis: 《中华人民共和国城市居民委员会组织法》第三条\n",
    )
    cold = _json(validate_paths([catalog_set], need_catalogs=False))
    assert '"refs.unit"' in cold and "成华公安分局甲" in cold
    _edit(catalog_set / "chenghua" / "registry.yaml", "    name: 成华区财政局\n", "    name: 成华区财政局（改）\n")
    parses.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    assert sorted(parses) == ["c/chenghua/community.yaml", "c/chenghua/registry.yaml"]
    assert report == _json(validate_paths([catalog_set], cache=False))


def test_entry_rules_changed_check_again_the_community_lists_that_read_them(catalog_set, parses):
    validate_paths([catalog_set], need_catalogs=False)
    _edit(catalog_set / "chenghua" / "entry-rules.yaml", "    name: 协税护税\n", "    name: 协税护税（改）\n")
    parses.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    communities = sorted(f"c/{p.relative_to(catalog_set).as_posix()}" for p in catalog_set.rglob("community.yaml"))
    assert sorted(parses) == sorted(["c/chenghua/entry-rules.yaml", *communities])
    assert report == _json(validate_paths([catalog_set], cache=False))


def test_the_answers_found_the_same_are_not_trusted_when_damaged(catalog_set, parses, data_reads):
    validate_paths([catalog_set], need_catalogs=False)
    _edit(catalog_set / "chenghua" / "registry.yaml", "    name: 成华区财政局\n", "    name: 成华区财政局（改）\n")
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    answered = list((catalog_set / ".govlist-cache").rglob("*.answered.json"))
    assert len(answered) == 1
    for damage in (b"{damaged", b'{"format":1,"key":"x","answered":{}}', answered[0].read_bytes().replace(b'":"', b'":"0', 1)):
        answered[0].write_bytes(damage)
        parses.clear()
        data_reads.clear()
        assert _json(validate_paths([catalog_set], need_catalogs=False)) == report
        assert parses == [] and data_reads  # each list's questions asked again (of the registries read back whole)


def _names_a_registry_line(catalog, ctx):
    """A catalog rule whose message names a line of a registry (a context file): its finding depends on those lines."""
    for registry in ctx.of_kind("registry"):
        if registry.items and catalog.items:
            line = registry.doc.position(("units", 0))[0]
            yield Problem(catalog, catalog.items[0].pointer, Text(f"见{registry.path}第{line}行", f"see {registry.path}:{line}"), catalog.items[0])
            return


def test_a_file_whose_rules_named_a_registry_line_is_checked_again_when_those_lines_move(catalog_set, parses, monkeypatch):
    rule_obj = Rule("test.registry-line", Severity.WARNING, Text("测试", "test"), "", "catalog", frozenset({"community"}), _names_a_registry_line)
    monkeypatch.setitem(RULES, rule_obj.id, rule_obj)
    validate_paths([catalog_set], need_catalogs=False)
    registry = sorted(catalog_set.rglob("registry.yaml"))[0]
    registry.write_text("# 修订说明\n\n" + registry.read_text(encoding="utf-8"), encoding="utf-8")
    parses.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    communities = sorted(f"c/{p.relative_to(catalog_set).as_posix()}" for p in catalog_set.rglob("community.yaml"))
    assert communities and sorted(parses) == sorted([f"c/{registry.relative_to(catalog_set).as_posix()}", *communities])
    assert '"test.registry-line"' in report and report == _json(validate_paths([catalog_set], cache=False))


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b'{"format": 1, "key": "0000", "findings": []}', "foreign", "wrong types", b"\xff\xfe\x00"],
)
def test_corrupt_or_foreign_entries_are_ignored_and_rebuilt(catalog_set, parses, damage):
    cold = _json(validate_paths([catalog_set]))
    entries = _files(catalog_set)
    assert entries
    original = {path: path.read_bytes() for path in entries}
    for path in entries:
        if damage == "foreign":  # a well-formed entry of another file, copied under this name (the set's entry has none)
            other = next((p for p in entries if p != path and p.suffix == path.suffix), path)
            path.write_bytes(original[other])
        elif damage == "wrong types":
            head, *parts = entry_parts(path) if path.suffix == ".entry" else [b"", path.read_bytes()]
            for n, part in enumerate(parts):
                if part:
                    entry = json.loads(part)
                    for field in ("findings", "data", "runs", "record", "keys", "footprint"):
                        if field in entry:
                            entry[field] = [[1, 2, 3]] if field not in ("data", "record", "keys") else "not a catalog"
                    parts[n] = json.dumps(entry).encode()
            if path.suffix == ".entry":
                write_entry(path, head, parts)
            else:
                path.write_bytes(parts[0])
        else:
            path.write_bytes(damage)
    parses.clear()
    assert _json(validate_paths([catalog_set])) == cold
    assert len(parses) == _all(catalog_set)
    parses.clear()
    assert _json(validate_paths([catalog_set])) == cold  # rebuilt
    assert parses == []


@pytest.mark.parametrize("need_catalogs", [True, False])
def test_an_entry_of_a_catalog_without_its_document_is_not_trusted(catalog_set, parses, need_catalogs):
    cold = _json(validate_paths([catalog_set]))
    damaged = []
    for path, entry in _entries(catalog_set):
        if entry["valid"] is True:
            entry["loaded"] = False
            head, _, *parts = entry_parts(path)
            write_entry(path, head, [json.dumps(entry).encode(), *parts])
            damaged.append(entry["shown"])
    assert damaged
    parses.clear()
    assert _json(validate_paths([catalog_set], need_catalogs=need_catalogs)) == cold
    assert sorted(parses) == sorted(damaged)


def test_no_cache_neither_reads_nor_writes(catalog_set, parses):
    validate_paths([catalog_set], cache=False)
    assert not (catalog_set / ".govlist-cache").exists()
    validate_paths([catalog_set])
    parses.clear()
    validate_paths([catalog_set], cache=False)
    assert len(parses) == _all(catalog_set)


def test_an_unwritable_cache_is_skipped(catalog_set, monkeypatch):
    def refuse(path, data, **options):
        raise cache_module.UsageError(cache_module.Text("只读", "read-only"))

    monkeypatch.setattr(cache_module, "write_file", refuse)
    assert _json(validate_paths([catalog_set])) == _json(validate_paths([catalog_set], cache=False))
    assert not (catalog_set / ".govlist-cache").exists()


def test_concurrent_writers_leave_a_cache_that_gives_the_same_report(catalog_set, parses):
    cold = _json(validate_paths([catalog_set], cache=False))
    command = [sys.executable, "-m", "govlist.cli", "validate", str(catalog_set), "--format", "json", "--fail-on", "never"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env) for _ in range(3)]
    outputs = [run.communicate(timeout=300)[0].decode("utf-8") for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1
    assert not [p for p in (catalog_set / ".govlist-cache").rglob("*") if p.name.startswith(".") and p.name != ".gitignore"]  # no temporary files
    parses.clear()
    assert _json(validate_paths([catalog_set])) == cold
    assert parses == []
    # the slim records the concurrent runs wrote (<key>.index.json) are read back when one file changed
    street = catalog_set / "gumei" / "street-duty.yaml"
    street.write_text(street.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    assert parses == ["c/gumei/street-duty.yaml"]


@pytest.mark.parametrize("lost", ["national-certificates.yaml", "hubei-certificates.yaml", "huangshi-certificates.yaml"])
def test_a_set_entry_is_not_used_when_a_file_must_be_checked_again(tmp_path, monkeypatch, lost):
    """The set entry stands for the rules over the whole set. When one file's own entry is missing (a concurrent
    writer lost the race, a cleaned folder), that file is checked again and the rules over the set run again: over
    every file's data, never over the others' headers alone, and what they find then replaces the set entry."""
    target = tmp_path / "levels"
    shutil.copytree(REPO / "examples" / "levels", target, ignore=shutil.ignore_patterns(".govlist-cache"))
    (target / "govlist.yaml").write_text("govlist: 1\nkind: project\nname: 三级清单\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    reference = _json(validate_paths([target], cache=False))
    assert _json(validate_paths([target])) == reference
    entry = next(path for path, entry in _entries(target) if entry["shown"].endswith(lost))
    entry.unlink()
    assert _json(validate_paths([target], need_catalogs=False)) == reference
    assert _json(validate_paths([target], need_catalogs=False)) == reference  # and the set entry it left is right


def test_two_writers_of_the_same_entry_at_the_same_moment_both_keep_the_cache(tmp_path, monkeypatch):
    """A writer must not take another's temporary file for a killed run's leftover: with the temporaries of two
    processes side by side, both entries are written and neither process gives up its cache."""
    from govlist import output

    first, second = cache_module.Cache(tmp_path / ".govlist-cache", b"p"), cache_module.Cache(tmp_path / ".govlist-cache", b"p")
    real = output.tempfile.mkstemp
    calls = []

    def interleaved(*args, **kwargs):
        made = real(*args, **kwargs)
        calls.append(made[1])
        if len(calls) == 1:  # the first writer holds its temporary; the second writes the same files meanwhile
            second.store_set("k", {}, "", [])
        return made

    monkeypatch.setattr(output.tempfile, "mkstemp", interleaved)
    first.store_set("k", {}, "", [])
    assert first.writable and second.writable
    assert first.load_set("k") == ({}, "", []) and (tmp_path / ".govlist-cache" / "CACHEDIR.TAG").read_bytes() == cache_module._TAG
    assert not [p for p in (tmp_path / ".govlist-cache").rglob("*") if p.name.startswith(".") and p.name != ".gitignore"]


def test_warm_parallel_and_serial_agree(catalog_set, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    cold_serial = _json(validate_paths([catalog_set], jobs=1, cache=False))
    assert _json(validate_paths([catalog_set], jobs=2)) == cold_serial  # cold, written by the workers
    assert _json(validate_paths([catalog_set], jobs=1)) == cold_serial  # warm
    (catalog_set / "gumei" / "juminqu-duty.yaml").write_text((catalog_set / "gumei" / "juminqu-duty.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _json(validate_paths([catalog_set], jobs=2)) == cold_serial  # one changed file, in a worker


def test_cache_clear_and_init_ignore_line(catalog_set, tmp_path):
    from typer.testing import CliRunner

    from govlist.cli import app

    validate_paths([catalog_set])
    runner = CliRunner()
    result = runner.invoke(app, ["cache", "clear", str(catalog_set), "--lang", "en"])
    assert result.exit_code == 0 and "removed the cache" in result.output
    assert not (catalog_set / ".govlist-cache").exists()
    result = runner.invoke(app, ["cache", "clear", str(catalog_set), "--lang", "en"])
    assert result.exit_code == 0 and "no cache" in result.output
    (catalog_set / ".govlist-cache").mkdir()
    (catalog_set / ".govlist-cache" / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["cache", "clear", str(catalog_set), "--lang", "en"])
    assert result.exit_code == 2 and (catalog_set / ".govlist-cache" / "keep.txt").exists()  # not a cache folder
    result = runner.invoke(app, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert ".govlist-cache/" in (tmp_path / "new" / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_diff_reads_unchanged_files_from_the_cache_and_reports_the_same_bytes(catalog_set, monkeypatch):
    from govlist import checker
    from govlist.diff import diff_paths
    from govlist.diffreport import render_json

    old = catalog_set.parent / "old"
    shutil.copytree(catalog_set, old, ignore=shutil.ignore_patterns(".govlist-cache", "govlist.yaml"))
    street = catalog_set / "gumei" / "street-duty.yaml"
    street.write_text(street.read_text(encoding="utf-8").replace("违法建筑", "违章建筑", 1), encoding="utf-8")
    seen: list[str] = []
    real = checker.load_bytes
    monkeypatch.setattr(checker, "load_bytes", lambda raw, shown: seen.append(shown) or real(raw, shown))

    cold = render_json(diff_paths(str(old), str(catalog_set)))
    assert len(seen) > 20 and list((catalog_set / ".govlist-cache").rglob("*.diff"))
    seen.clear()
    assert render_json(diff_paths(str(old), str(catalog_set))) == cold
    assert seen == []
    uncached = render_json(diff_paths(str(old), str(catalog_set), cache=False))
    assert uncached == cold
    assert len(seen) > 20  # parsed again: the cache was not read


def test_diff_no_cache_neither_reads_nor_writes(catalog_set, monkeypatch):
    from typer.testing import CliRunner

    from govlist import checker
    from govlist.cli import app

    old = catalog_set.parent / "old"
    shutil.copytree(catalog_set, old, ignore=shutil.ignore_patterns(".govlist-cache", "govlist.yaml"))
    seen: list[str] = []
    real = checker.load_bytes
    monkeypatch.setattr(checker, "load_bytes", lambda raw, shown: seen.append(shown) or real(raw, shown))
    command = ["diff", str(old), str(catalog_set), "--format", "json", "--fail-on-findings", "never", "--no-cache"]
    uncached = CliRunner().invoke(app, command)
    assert uncached.exit_code == 0, uncached.output
    assert not (catalog_set / ".govlist-cache").exists() and not (old / ".govlist-cache").exists()
    parsed = len(seen)
    cached = CliRunner().invoke(app, command[:-1])  # writes the cache
    assert cached.output == uncached.output and (catalog_set / ".govlist-cache").is_dir()
    entries = _files(catalog_set)
    seen.clear()
    again = CliRunner().invoke(app, command)  # a warm cache there, but not read, and not written
    assert again.output == uncached.output and len(seen) == parsed
    assert _files(catalog_set) == entries


@pytest.mark.parametrize(
    "damage",
    [
        lambda run: run.__setitem__(1, "d1.yaml"),  # the files it read: not a list
        lambda run: run[3][0].__setitem__(8, ["items", True]),  # a place whose pointer holds a bool
        lambda run: run[3][0].__setitem__(8, "items/0"),  # a place that is not [pointer, at_key]
        lambda run: run[3][0].__setitem__(8, ["items/0", False]),  # a pointer that is not a list
        lambda run: run[3][0].__setitem__(8, [["items", 0], 1]),  # at_key not a bool
        lambda run: run[3][0].__setitem__(4, "3"),  # a line that is not a number
        lambda run: run.__setitem__(2, "d1.yaml"),  # what it depends on: not [files, questions]
        lambda run: run[2].__setitem__(0, "d1.yaml"),  # its files: not a list
        lambda run: run[2][1].__setitem__(0, ["units", ["1"]]),  # a digest of an answer that is not a text
        lambda run: run[2][1].__setitem__(0, ["units"]),  # a question without its answer
        lambda run: run.pop(),  # a row too short
        "files",  # a file's hash and footprint that are not a pair
        "every",  # no digest of every footprint
    ],
)
def test_a_set_entry_not_as_written_is_not_trusted(tmp_path, damage):
    """What the rules over the set found is kept run by run with each finding's place (to locate it again): an entry
    whose runs are not exactly as govlist writes them is ignored, never used to locate a finding."""
    from govlist.index import Needs, RuleRun

    cache = cache_module.Cache(tmp_path / ".govlist-cache", b"p")
    found = ("catalog.duplicate-id", Text("清单标识重复", "duplicate list id"), "d1.yaml", 3, 5, "/id", None)
    run = RuleRun("set:catalog.duplicate-id", [found], [(("id",), False)], frozenset({"d1.yaml"}), Needs(("d1.yaml",), (("units", "c"), ("unit\0古南街道", "d"))))
    cache.store_set("k", {"d1.yaml": ("a", "b")}, "e", [run])
    assert cache.load_set("k") == ({"d1.yaml": ("a", "b")}, "e", [run])
    path = next((tmp_path / ".govlist-cache").rglob("*.set.json"))
    entry = json.loads(path.read_bytes())
    if damage == "files":
        entry["files"]["d1.yaml"] = "ab"
    elif damage == "every":
        del entry["every"]
    else:
        damage(entry["runs"][0])
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert cache.load_set("k") is None


def test_a_warm_run_with_nothing_to_check_again_indexes_no_unit(catalog_set, monkeypatch):
    """The unit index (every registry unit by code, name and alias) is made when a rule first asks for it: a warm
    run that checks no file and runs no rule over the set again does not walk the registries."""
    from govlist import ruleset

    made: list[int] = []
    real = ruleset.UnitIndex

    def counting(registries):
        made.append(len(registries))
        return real(registries)

    monkeypatch.setattr(ruleset, "UnitIndex", counting)
    cold = _json(validate_paths([catalog_set], need_catalogs=False))
    assert made  # the rules ask for it
    made.clear()
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    assert made == []


@pytest.fixture
def data_reads(monkeypatch):
    """The cache's data entries read back (whole documents) since the last clear()."""
    seen: list[str] = []
    real = parallel.Cache.load_data

    def counting(self, key):
        seen.append(key)
        return real(self, key)

    monkeypatch.setattr(parallel.Cache, "load_data", counting)
    return seen


def test_a_warm_run_with_nothing_to_check_again_reads_no_document_back(catalog_set, data_reads):
    """validate with nothing changed knows every file by its entry: the registries and entry rules too, whose data
    only a file checked again or a rule over the set that runs again would read."""
    cold = _json(validate_paths([catalog_set], need_catalogs=False))
    data_reads.clear()
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    assert data_reads == []
    street = catalog_set / "gumei" / "street-duty.yaml"  # a list changed: its rules look units up, so the context is read
    street.write_text(street.read_text(encoding="utf-8").replace("items: 185", "items: 186", 1), encoding="utf-8")
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == _json(validate_paths([catalog_set], cache=False))
    assert data_reads


def test_a_context_file_whose_data_entry_is_damaged_is_checked_again_when_it_is_needed(catalog_set, parses):
    """A registry known by its entry until a list must be checked, and its data entry is then gone: the run starts
    again reading the context files whole, checks that registry again, and reports what a run without the cache
    reports."""
    validate_paths([catalog_set], need_catalogs=False)
    for path, entry in _entries(catalog_set):
        if entry["kind"] == "registry":
            head, entry_part, record, _ = entry_parts(path)
            write_entry(path, head, [entry_part, record, b"{damaged"])
    street = catalog_set / "gumei" / "street-duty.yaml"
    street.write_text("# 改动\n" + street.read_text(encoding="utf-8"), encoding="utf-8")
    parses.clear()
    report = _json(validate_paths([catalog_set], need_catalogs=False))
    assert "c/gumei/street-duty.yaml" in parses and "c/gumei/registry.yaml" in parses
    assert report == _json(validate_paths([catalog_set], cache=False))


def test_a_checked_file_is_one_file_in_the_cache(catalog_set):
    """A checked file's entry, slim record and data are one file (`<key>.entry`): making a file costs more than
    writing it, and a catalog repository has thousands of small files. Beside them: the set's entry alone (what the
    other files see of a registry or entry rules is in its own entry)."""
    validate_paths([catalog_set], need_catalogs=False)
    made = collections.Counter(p.name.split(".", 1)[1] for p in (catalog_set / ".govlist-cache" / "v1").rglob("*") if p.is_file())
    context = [p for p in catalog_set.rglob("*.yaml") if parallel.peek_kind(p) in parallel.CONTEXT_KINDS]
    assert context and made == {"entry": _all(catalog_set), "set.json": 1}


LIST = "govlist: 1\nkind: duty\nid: one\ntitle: 清单\nitems:\n  - code: D-001\n    name: 巡查\n    content: 日常巡查\n    basis: 《条例》\n"


@pytest.fixture
def stored(tmp_path):
    """A cache holding one checked list's entry, with its slim record and data: (cache, key, the entry's file)."""
    from govlist.index import index_record, item_places
    from govlist.project import build_project

    source = tmp_path / "a.yaml"
    source.write_text(LIST, encoding="utf-8")
    result = parallel.load_and_check(source, "a.yaml", build_project(None, None))
    cache = cache_module.Cache(tmp_path / ".govlist-cache", b"p")
    key = cache.file_key("a.yaml", result.digest)
    doc = result.doc
    entry = {**cache_module.file_entry(result), "context_lines": "", "context": ""}
    cache.store_file(key, entry, doc, index_record(doc.data), item_places(doc.data, doc.spans, result.digest))
    path = next((tmp_path / ".govlist-cache").rglob("*.entry"))
    assert cache.load_file(key)["shown"] == "a.yaml" and cache.load_index(key)[0]["items"] == [{"code": "D-001", "name": "巡查"}]
    assert cache.load_data(key)[0] == doc.data
    return cache, key, path


@pytest.mark.parametrize("part", [1, 2, 3])  # the entry, the slim record, the data
def test_each_part_of_an_entry_is_read_alone(stored, part):
    """A part that does not read back as written is not trusted; the others, which are read without it, still are."""
    cache, key, path = stored
    parts = entry_parts(path)
    parts[part] = b"{damaged" + b"]" * len(parts[part])
    write_entry(path, parts[0], parts[1:])
    assert (cache.load_file(key) is None, cache.load_index(key) is None, cache.load_data(key) is None) == tuple(n == part for n in (1, 2, 3))


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1],  # truncated
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw + b"\n",  # appended to
        lambda raw: raw.split(b"\n", 1)[1],  # no first line
        lambda raw: raw.replace(b'"parts":[', b'"parts":[1,', 1),  # one part too many
        lambda raw: raw.replace(b'"format":1', b'"format":2', 1),  # another version's
        lambda raw: raw.replace(b'"key":"', b'"key":"0', 1),  # copied under another key's name
        lambda raw: b" " * 5000 + raw,  # a first line too long to be one
    ],
)
def test_an_entry_not_as_long_as_its_first_line_says_is_not_trusted(stored, damage):
    cache, key, path = stored
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load_file(key) is None and cache.load_index(key) is None and cache.load_data(key) is None


def test_an_entry_whose_lengths_are_not_numbers_is_not_trusted(stored):
    cache, key, path = stored
    head, *parts = entry_parts(path)
    header = json.loads(head)
    header["parts"] = [True if n == 0 else len(part) for n, part in enumerate(parts)]
    path.write_bytes(b"\n".join([json.dumps(header).encode(), b"x", *parts[1:], b""]))  # True == 1 == len(b"x")
    assert cache.load_file(key) is None and cache.load_index(key) is None and cache.load_data(key) is None


def test_each_folder_of_the_cache_is_made_once_a_run(catalog_set, monkeypatch):
    """An entry is written straight into its folder, made (or found) once a run, not once per entry."""
    made = []
    real = type(catalog_set).mkdir

    def counting(self, *args, **kwargs):
        made.append(self)
        return real(self, *args, **kwargs)

    (catalog_set / ".govlist-cache" / "v1").mkdir(parents=True)  # else the first folder's mkdir is called again after it
    monkeypatch.setattr(type(catalog_set), "mkdir", counting)
    monkeypatch.setattr(cache_module.Cache, "_path", lambda self, key, suffix: self.dir / key[:1] / f"{key}{suffix}")  # 16 folders
    validate_paths([catalog_set], need_catalogs=False)
    folders = [p.parent for p in _files(catalog_set)]
    assert len(folders) > len(set(folders)) and sorted(p for p in made if p.parent.name == "v1") == sorted(set(folders))


def test_a_cache_cleared_while_a_run_writes_it_leaves_the_report_as_it_is(catalog_set, monkeypatch):
    """Another process removes the cache's folder in the middle of a run: the entries not yet written are not, the
    report is the same, and the next run writes the cache again."""
    cold = _json(validate_paths([catalog_set], cache=False))
    real, writes = cache_module.write_file, []

    def clearing(path, data, **options):
        writes.append(path)
        if len(writes) == 10:
            shutil.rmtree(catalog_set / ".govlist-cache")
        return real(path, data, **options)

    monkeypatch.setattr(cache_module, "write_file", clearing)
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    monkeypatch.setattr(cache_module, "write_file", real)
    assert _json(validate_paths([catalog_set], need_catalogs=False)) == cold
    assert len(_files(catalog_set)) > _all(catalog_set)
