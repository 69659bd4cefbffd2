"""Every fixture set, hostile ones included, gives the same JSON report byte for byte whichever way it is checked:
one process or spawned workers, without the cache, writing it, and read back from it. And the YAML 1.1 forms the
catalog format accepts, read by libyaml (the only parser, see docs/performance.md)."""

from __future__ import annotations

import shutil

import pytest

from conftest import CATALOGS, REPO
from govlist import loader, parallel
from govlist.report import REPORTERS
from govlist.validate import validate_paths

FIXTURES = REPO / "tests" / "fixtures" / "broken"
PROJECT = "govlist: 1\nkind: project\nname: 等价测试\n"

SETS = {
    "hostile": FIXTURES / "hostile",
    "broken set": FIXTURES / "set",
    "catalogs": CATALOGS,
    "levels": REPO / "examples" / "levels",
    "adjustment": REPO / "examples" / "adjustment",
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_way_of_checking_gives_the_same_bytes(name, tmp_path, monkeypatch):
    target = tmp_path / "set"
    shutil.copytree(SETS[name], target, ignore=shutil.ignore_patterns(".govlist-cache"))
    if not (target / "govlist.yaml").exists():
        (target / "govlist.yaml").write_text(PROJECT, encoding="utf-8")  # a project, so that there is a cache
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)

    def report(**options) -> str:
        return REPORTERS["json"](validate_paths([target], **options), "en", False)

    reference = report(jobs=1, cache=False)
    assert report(jobs=2, cache=False) == reference
    assert report(jobs=2) == reference  # cold, the workers write the cache
    assert (target / ".govlist-cache").is_dir()
    assert report(jobs=1, need_catalogs=False) == reference  # warm, nothing parsed
    assert report(jobs=1) == reference  # warm, documents read back from the cache
    shutil.rmtree(target / ".govlist-cache")
    assert report(jobs=1) == reference  # cold in one process
    assert report(jobs=2) == reference  # warm, parallel settings


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_slim_records_give_the_same_bytes_as_whole_documents(name, tmp_path, monkeypatch):
    """validate keeps of each list only its slim record (govlist/index.py); render and stats want whole catalogs.
    Both give the same report, in one process or in workers, cold, warm and with a file changed."""
    target = tmp_path / "set"
    shutil.copytree(SETS[name], target, ignore=shutil.ignore_patterns(".govlist-cache"))
    if not (target / "govlist.yaml").exists():
        (target / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)

    def report(**options) -> str:
        return REPORTERS["json"](validate_paths([target], **options), "en", False)

    reference = report(jobs=1, cache=False)  # whole documents
    assert report(jobs=1, cache=False, need_catalogs=False) == reference
    assert report(jobs=2, cache=False, need_catalogs=False) == reference
    assert report(jobs=2, need_catalogs=False) == reference  # cold, writing the cache and the records
    changed = sorted(p for p in target.rglob("*.y*ml") if p.name != "govlist.yaml")[0]
    changed.write_bytes(changed.read_bytes() + b"\n# changed\n")
    assert report(jobs=1, need_catalogs=False) == report(jobs=1, cache=False)  # warm, the others' records read back
    assert report(jobs=1, need_catalogs=False) == report(jobs=2, need_catalogs=False)


EDITS = {
    "a comment at the top": lambda raw: b"# \xe5\xa4\x87\xe6\xb3\xa8\n" + raw,  # what the rules over the set read stays; every line moves
    "a comment in the middle": lambda raw: raw[: raw.find(b"\n", len(raw) // 2) + 1] + b"# note\n" + raw[raw.find(b"\n", len(raw) // 2) + 1 :],
    "an item renamed": lambda raw: b"name: X".join(raw.rsplit(b"name: ", 1)),  # a field they read
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_a_warm_run_after_an_edit_gives_the_bytes_of_a_run_without_the_cache(name, tmp_path, monkeypatch):
    """A warm run keeps what the rules over the set found where an edit leaves what they read as it was, and
    locates it again (govlist/index.py `still_true`); after each kind of edit, file after file, validate (slim
    records) and render/stats (whole catalogs) give the bytes of a run without the cache."""
    target = tmp_path / "set"
    shutil.copytree(SETS[name], target, ignore=shutil.ignore_patterns(".govlist-cache"))
    if not (target / "govlist.yaml").exists():
        (target / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def report(**options) -> str:
        return REPORTERS["json"](validate_paths([target], jobs=1, **options), "en", False)

    report(need_catalogs=False)  # cold, writing the cache
    files = sorted(p for p in target.rglob("*.y*ml") if p.name != "govlist.yaml")
    for path in files[:: max(1, len(files) // 6)]:
        for edit in EDITS.values():
            path.write_bytes(edit(path.read_bytes()))
            reference = report(cache=False)
            assert report(need_catalogs=False) == reference, (path.name, edit)
            assert report() == reference, (path.name, edit)


@pytest.mark.parametrize("name", ["adjustment"])  # a set whose rules over the set find something
def test_a_warm_run_after_an_edit_in_workers_gives_the_bytes_of_a_run_without_the_cache(name, tmp_path, monkeypatch):
    """The same, with the edited files checked in spawned workers: their footprints and item places come back with
    their results, and the findings kept from last time are located again from them."""
    target = tmp_path / "set"
    shutil.copytree(SETS[name], target, ignore=shutil.ignore_patterns(".govlist-cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)

    def report(**options) -> str:
        return REPORTERS["json"](validate_paths([target], jobs=2, **options), "en", False)

    workers: list[int] = []  # the worker pools started by the warm run
    real = parallel.run_spawned

    def counting(func, jobs, count, *args, **kwargs):
        workers.append(count)
        return real(func, jobs, count, *args, **kwargs)

    monkeypatch.setattr(parallel, "run_spawned", counting)
    report(need_catalogs=False)  # cold, writing the cache
    # not the context files: those are checked here, before the workers start (an edit to one is the test above's)
    files = sorted(p for p in target.rglob("*.y*ml") if p.name != "govlist.yaml" and parallel.peek_kind(p) not in parallel.CONTEXT_KINDS)
    for pair in zip(files[::2], files[1::2]):  # two at a time (one would be checked here, not in a worker)
        for path in pair:
            path.write_bytes(EDITS["a comment at the top"](path.read_bytes()))
        workers.clear()
        warm = report(need_catalogs=False)
        assert workers == [2]
        assert warm == report(cache=False), pair


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("on", True),
        ("off", False),
        ("True", True),  # YAML 1.1 booleans
        ("010", 8),
        ("0o10", "0o10"),
        ("08", "08"),
        ("09", "09"),
        ("1_000", 1000),  # octal by a leading 0; 08 is no number
        ("2024-03-01", "2024-03-01"),
        ("2024-3-1", "2024-3-1"),  # dates stay the text as written
        ("'010'", "010"),
        ('"yes"', "yes"),  # quoted: always text
    ],
)
def test_yaml_11_forms_as_the_catalog_format_reads_them(text, value):
    data = loader.load_bytes(f"value: {text}\n".encode(), "t.yaml").data
    assert data == {"value": value} and type(data["value"]) is type(value)


def test_a_number_where_text_is_wanted_is_reported_not_taken_silently(validate_set):
    report = validate_set({"d.yaml": "govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - code: 010\n    name: 巡查\n"})
    assert [(f.rule, f.line) for f in report.findings if f.rule.startswith("schema")] == [("schema.type", 6)]
