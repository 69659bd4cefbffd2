"""`govlist diff` through the content cache and in spawned workers (govlist/diff/sideload.py): one entry per file,
items read from it on demand. Whatever the way, the JSON report is the same bytes as a diff without the cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from govlist import cache as cache_module
from govlist import parallel
from govlist.checker import Collector, load_project, load_source
from govlist.diff import diff_paths, sideload
from govlist.diffreport import render_json


@pytest.fixture
def sides(catalog_set):
    """An old version (a copy of the example set) and the new one with a renamed item, a changed content, a removed
    item and a file gone; the working folder is their parent."""
    old = catalog_set.parent / "old"
    shutil.copytree(catalog_set, old, ignore=shutil.ignore_patterns(".govlist-cache", "govlist.yaml"))
    street = catalog_set / "gumei" / "street-duty.yaml"
    text = street.read_text(encoding="utf-8")
    street.write_text(text.replace("违法建筑", "违章建筑", 1).replace("。", "；并报告。", 1), encoding="utf-8")
    return old, catalog_set


@pytest.fixture
def parses(monkeypatch):
    """The names of the files parsed (not read back from the cache) in this process since the last clear()."""
    seen: list[str] = []
    real = sideload.load_source

    def counting(raw, shown, collector):
        seen.append(shown)
        return real(raw, shown, collector)

    monkeypatch.setattr(sideload, "load_source", counting)
    return seen


def _diff(sides, **options) -> str:
    old, new = sides
    return render_json(diff_paths(str(old), str(new), jobs=options.pop("jobs", 1), **options))


def _entries(root) -> list:
    """The files' entries (the finished comparisons removed, so that the next diff reads the entries)."""
    for result in (root / ".govlist-cache").rglob("*.result.json"):
        result.unlink()
    return sorted(p for p in (root / ".govlist-cache").rglob("*") if p.name.endswith(".diff"))


def _catalog_files(sides) -> int:
    return sum(len([p for p in side.rglob("*.yaml") if p.name != "govlist.yaml"]) for side in sides)


def _to_parse(sides) -> int:
    """The files a cold diff parses: each file of the old side, and of the new side those whose bytes differ or that
    do not load cleanly (the same bytes on both sides are parsed once; findings name their file)."""
    old, new = sides
    return _catalog_files([old]) + len(["changed", "broken.yaml"])


def test_a_warm_diff_parses_nothing_and_reports_the_same_bytes(sides, parses):
    uncached = _diff(sides, cache=False)
    assert len(parses) == _to_parse(sides) and not (sides[1] / ".govlist-cache").exists()
    parses.clear()
    assert _diff(sides) == uncached  # cold, writing the cache
    assert len(parses) == _to_parse(sides) and _entries(sides[1])
    assert {p.suffix for p in (sides[1] / ".govlist-cache" / "v1").rglob("*") if p.is_file()} == {".diff"}  # one file an entry, its item lines in it
    parses.clear()
    assert _diff(sides) == uncached
    assert parses == []


def test_a_changed_file_alone_is_parsed_again(sides, parses):
    _diff(sides)
    duty = sides[1] / "gumei" / "street-duty.yaml"
    duty.write_text(duty.read_text(encoding="utf-8").replace("违章建筑", "违规建筑", 1), encoding="utf-8")
    parses.clear()
    warm = _diff(sides)
    assert parses == ["c/gumei/street-duty.yaml"]
    assert warm == _diff(sides, cache=False)


@pytest.mark.parametrize("change", ["project file", "govlist code or version", "schemas", "shown name", "fuzzy", "accepted"])
def test_each_part_of_the_key_invalidates_or_leaves_the_result_alone(sides, parses, monkeypatch, change):
    _diff(sides)
    options: dict = {}
    if change == "project file":
        project = sides[1] / "govlist.yaml"
        project.write_text(project.read_text(encoding="utf-8") + "\n# 设置变了\n", encoding="utf-8")
    elif change == "govlist code or version":
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another govlist")
    elif change == "schemas":
        schemas = sides[1].parent / "schemas"
        shutil.copytree(cache_module.schema_dir(), schemas)
        first = sorted(schemas.glob("*.json"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        monkeypatch.setattr(cache_module, "schema_dir", lambda: schemas)
        monkeypatch.setattr(cache_module, "code_fingerprint", cache_module.code_fingerprint.__wrapped__)
    elif change == "shown name":
        monkeypatch.chdir(sides[1])
    elif change == "fuzzy":  # options of the comparison are not part of a file's entry: read back, compared anew
        options["fuzzy"] = False
    else:
        accept = sides[1].parent / "accepted.txt"
        accept.write_text("0" * 64 + "\n", encoding="utf-8")
        options["accept"] = accept
    parses.clear()
    warm = _diff(sides, **options)
    if change == "shown name":  # only an entry with findings names its file: the broken file, on both sides
        assert sorted(os.path.basename(p) for p in parses) == ["broken.yaml", "broken.yaml"]
    else:
        assert len(parses) == (0 if change in ("fuzzy", "accepted") else _to_parse(sides))
    assert warm == _diff(sides, cache=False, **options)


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[]", b'{"format": 1, "key": "0000", "findings": []}', "foreign", "wrong types", b"\xff\xfe\x00"])
def test_corrupt_or_foreign_entries_are_ignored_and_rebuilt(sides, parses, damage):
    cold = _diff(sides)
    entries = _entries(sides[1])
    original = {path: path.read_bytes() for path in entries}
    for path in entries:
        if damage == "foreign":  # a well-formed entry of another file, copied under this name
            other = next(p for p in entries if p != path and original[p] != original[path])
            path.write_bytes(original[other])
        elif damage == "wrong types":  # the entry's line (its lines after it kept)
            text, _, lines = path.read_bytes().partition(b"\n")
            entry = json.loads(text)
            for field in ("findings", "code", "name", "digest", "seqpos", "header"):
                if field in entry:
                    entry[field] = [[1, 2, 3]] if field != "header" else "not a catalog"
            path.write_bytes(json.dumps(entry).encode() + b"\n" + lines)
        else:
            path.write_bytes(damage)
    parses.clear()
    assert _diff(sides) == cold
    assert parses
    parses.clear()
    _entries(sides[1])
    assert _diff(sides) == cold  # rebuilt
    assert parses == []


@pytest.mark.parametrize("kept", ["in memory", "read a line at a time"])
def test_an_altered_item_line_is_caught_by_its_digest_and_made_again(sides, parses, monkeypatch, kept):
    monkeypatch.setattr(sideload, "WHOLE_BLOB", 1 << 30 if kept == "in memory" else 0)
    cold = _diff(sides)
    for path in _entries(sides[1]):  # the item lines after the entry's: the same length, another text (违 → 达)
        text, _, lines = path.read_bytes().partition(b"\n")
        path.write_bytes(text + b"\n" + lines.replace("违".encode(), "达".encode()))
    parses.clear()
    assert _diff(sides) == cold
    assert parses  # the lines read were checked and made again from the files


def test_an_unwritable_cache_is_skipped(sides, monkeypatch):
    def refuse(path, data, **options):  # what output.write_file raises when the folder cannot be written
        raise cache_module.UsageError(cache_module.Text("只读", "read-only"))

    monkeypatch.setattr(cache_module, "write_file", refuse)
    assert _diff(sides) == _diff(sides, cache=False)
    assert not (sides[1] / ".govlist-cache").exists()


def test_spawned_workers_give_the_same_bytes_and_fill_the_cache(sides, parses, monkeypatch):
    started: list[str] = []
    real = parallel.ProcessPoolExecutor

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, mp_context=None, **kwargs):
            started.append(mp_context.get_start_method())
            super().__init__(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Counting)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    serial = _diff(sides, cache=False)
    assert started == []
    parses.clear()
    assert _diff(sides, cache=False, jobs=2) == serial
    assert started == ["spawn"] and parses == ["c/broken.yaml"]  # parsed in the workers; a lone file here
    assert _diff(sides, jobs=2) == serial  # the workers write the entries
    assert _entries(sides[1])
    parses.clear()
    assert _diff(sides, jobs=1) == serial
    assert parses == []


def test_small_files_go_to_the_workers_in_batches(sides, monkeypatch):
    """A task sent to a worker costs about as much as parsing a few KB: the files go in batches of at least
    BATCH_BYTES, fewer tasks than files, in any order the same report."""
    batches: list[int] = []
    real = sideload._batches

    def counting(jobs_in):
        made = real(jobs_in)
        batches.append(len(made))
        return made

    monkeypatch.setattr(sideload, "_batches", counting)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(sideload, "BATCH_BYTES", 64 * 1024)
    serial = _diff(sides, cache=False)
    assert batches == []
    assert _diff(sides, cache=False, jobs=2) == serial
    assert len(batches) == 1 and 2 <= batches[0] < _to_parse(sides) - 1  # broken.yaml again, on its own, here


def test_this_process_makes_the_smallest_batches_while_a_worker_makes_the_largest(sides, parses, monkeypatch):
    """With --jobs 2, one worker process is started and this process parses too (it would wait idle for the
    workers): the worker is given the largest batches first, one ahead, and this process takes the smallest until
    none is left. Both make some, and the report is the same bytes; a worker that cannot be started leaves every
    file to this process."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(sideload, "BATCH_BYTES", 1)  # a batch a file
    monkeypatch.setattr(sideload, "IN_FLIGHT", 1)
    started: list[int] = []
    real = parallel.start_workers

    def starting(workers):
        started.append(workers)
        return real(workers)

    monkeypatch.setattr(parallel, "start_workers", starting)
    serial = _diff(sides, cache=False)
    files = _to_parse(sides)
    parses.clear()
    assert _diff(sides, cache=False, jobs=2) == serial
    assert started == [1]
    here = [name for name in parses if name != "c/broken.yaml"]  # broken.yaml again, on its own, here
    assert 1 <= len(here) <= files - 2, parses  # this process made at least one batch, the worker at least one
    assert here == sorted(set(here), key=here.index)  # none made twice
    monkeypatch.setattr(parallel, "start_workers", lambda workers: None)
    parses.clear()
    assert _diff(sides, cache=False, jobs=2) == serial
    assert len(parses) == files


def test_a_setup_too_large_to_send_with_each_task_reaches_the_worker_through_a_file(sides, parses, monkeypatch, tmp_path):
    """A project's setup larger than SETUP_INLINE_BYTES (a long `repealed` list, say) goes to the diff's worker
    through a temporary file, as validate's: the worker still makes its batches (it was left out, everything made
    here), the report is the same bytes, and the file is gone afterwards."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "SETUP_INLINE_BYTES", 0)
    monkeypatch.setattr(sideload, "BATCH_BYTES", 1)  # a batch a file
    monkeypatch.setattr(sideload, "IN_FLIGHT", 1)
    made: list[str] = []
    real = parallel.worker_setup

    def setup(initializer, initargs):
        found = real(initializer, initargs)
        made.append(found)
        return found

    monkeypatch.setattr(parallel, "worker_setup", setup)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(parallel.tempfile, "tempdir", str(temporary))
    serial = _diff(sides, cache=False)
    files = _to_parse(sides)
    parses.clear()
    assert _diff(sides, cache=False, jobs=2) == serial
    assert len(made) == 1 and isinstance(made[0], str) and made[0].startswith(str(temporary))
    here = [name for name in parses if name != "c/broken.yaml"]
    assert 1 <= len(here) <= files - 2, parses  # the worker made at least one batch
    assert list(temporary.iterdir()) == []


def test_concurrent_writers_leave_a_cache_that_gives_the_same_report(sides, parses):
    uncached = _diff(sides, cache=False)
    old, new = sides
    command = [sys.executable, "-m", "govlist.cli", "diff", str(old), str(new), "--format", "json", "--fail-on-findings", "never", "--fail-on", "never"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env) for _ in range(3)]
    outputs = [run.communicate(timeout=300)[0].decode("utf-8") for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert len(set(outputs)) == 1
    assert not [p for p in (new / ".govlist-cache").rglob("*") if p.name.startswith(".") and p.name != ".gitignore"]  # no temporary files
    parses.clear()
    assert _diff(sides) == uncached  # the finished comparison they kept
    assert _entries(sides[1])
    assert _diff(sides) == uncached  # the entries they kept
    assert parses == []


def test_items_read_from_an_entry_are_the_loaded_data(sides):
    """Every item's data, every catalog's whole data (keys in their order, 序号 in its place) and every position read
    through an entry are those of the file loaded directly."""
    project, _ = load_project([sides[1]], None)
    for path in sorted(sides[1].rglob("*.yaml")):
        raw = path.read_bytes()
        direct = load_source(raw, path.name, Collector(project))[1]
        entry, lines = sideload.make_entry(raw, path.name, project)
        lazy = sideload._catalog(json.loads(json.dumps(entry)), lines, raw, path.name, project) if entry["valid"] else None
        if direct is None:
            assert lazy is None
            continue
        assert lazy is not None and len(lazy.items) == len(direct.items)
        for a, b in zip(lazy.items, direct.items):
            assert (a.code, a.name, a.pointer, a.category_index) == (b.code, b.name, b.pointer, b.category_index)
        assert json.dumps(lazy.items[-1].data, ensure_ascii=False) == json.dumps(direct.items[-1].data, ensure_ascii=False)
        assert json.dumps(lazy.data, ensure_ascii=False) == json.dumps(direct.data, ensure_ascii=False)
        for item in direct.items[:: max(1, len(direct.items) // 5)]:
            for pointer in (item.pointer, item.pointer + ("name",), item.pointer[:2]):
                assert lazy.doc.position(pointer) == direct.doc.position(pointer)


def test_an_entry_is_made_without_leaving_the_files_catalog_in_memory(sides):
    """Sides load with the cyclic collector off: making an entry lets go of the file's catalog and document at once
    (its items point back at it), instead of leaving every parsed file of the set to a collection that never comes."""
    import gc

    project, _ = load_project([sides[1]], None)
    raw = (sides[1] / "gumei" / "street-duty.yaml").read_bytes()
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        entry, _ = sideload.make_entry(raw, "street-duty.yaml", project)
        assert entry["valid"] and entry["code"]
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_a_position_in_a_list_read_from_an_entry_reads_only_what_it_needs(sides):
    """A finding's position (a category's declared count, an item's field) is found from the header or the item's
    own line, the same as in the file loaded directly, without making the list's whole data (every item's line)."""
    from govlist.loader import shape_of, value_at

    project, _ = load_project([sides[1]], None)
    asked = 0
    for path in sorted(sides[1].rglob("*.yaml")):
        raw = path.read_bytes()
        direct = load_source(raw, path.name, Collector(project))[1]
        entry, lines = sideload.make_entry(raw, path.name, project)
        if direct is None or "header" not in entry:
            continue
        lazy = sideload._catalog(json.loads(json.dumps(entry)), lines, raw, path.name, project)
        keys = [("categories", i) for i in range(len(direct.categories))] + [item.pointer for item in direct.items]
        for key in keys:
            assert lazy.doc.shape_at(key) == shape_of(value_at(direct.data, key))
        for key in keys[:: max(1, len(keys) // 7)]:
            for pointer in (key + ("declared",), key + ("name",), key):
                assert lazy.doc.position(pointer) == direct.doc.position(pointer)
                assert lazy.doc.key_position(pointer) == direct.doc.key_position(pointer)
                asked += 1
        assert lazy._data is None
        assert lazy.doc.position(("title",)) == direct.doc.position(("title",))
    assert asked > 50


def test_a_registrys_units_are_parsed_in_one_go_a_lists_items_one_by_one(sides, monkeypatch):
    """Every diff reads every unit of every registry (the rules on changes get a context that indexes them): their
    lines are parsed in one go when the first is read; a list's item lines one at a time, as they are needed."""
    project, _ = load_project([sides[1]], None)
    parsed: list[bytes] = []
    real = json.loads
    monkeypatch.setattr(sideload.json, "loads", lambda text, *a, **k: parsed.append(text) or real(text, *a, **k))
    for name in ("gumei/registry.yaml", "gumei/street-duty.yaml"):
        raw = (sides[1] / name).read_bytes()
        entry, lines = sideload.make_entry(raw, name, project)
        catalog = sideload._catalog(entry, lines, raw, name, project)
        parsed.clear()
        assert [item.data for item in catalog.items] == [item.data for item in load_source(raw, name, Collector(project))[1].items]
        assert len(parsed) == (1 if name.endswith("registry.yaml") else len(catalog.items)) and len(catalog.items) > 20


def test_a_repeated_diff_reads_the_finished_comparison_and_every_report_is_the_same(sides, parses, monkeypatch):
    from govlist.changelog import render_changelog
    from govlist.diff import engine
    from govlist.diffreport import RENDERERS

    old, new = sides
    fresh = diff_paths(str(old), str(new), cache=False, jobs=1)
    diff_paths(str(old), str(new), jobs=1)  # writes the file entries and the result
    assert list((new / ".govlist-cache").rglob("*.result.json"))
    loads: list[int] = []
    real = engine.load_sides
    monkeypatch.setattr(engine, "load_sides", lambda *args, **kwargs: loads.append(1) or real(*args, **kwargs))
    parses.clear()
    kept = diff_paths(str(old), str(new), jobs=1)
    assert loads == [] and parses == []  # neither the files nor their entries were read
    for lang in ("zh", "en"):
        for name, render in RENDERERS.items():
            assert render(kept, lang) == render(fresh, lang), name
        for fmt in ("markdown", "html"):
            assert render_changelog(kept, fmt, lang=lang) == render_changelog(fresh, fmt, lang=lang)
    assert kept.failed("minor") == fresh.failed("minor") and kept.findings_failed(None) == fresh.findings_failed(None)


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1}', "wrong types", "foreign"])
def test_a_damaged_finished_comparison_is_ignored_and_made_again(sides, damage):
    old, new = sides
    cold = _diff(sides)
    other = new.parent / "other"
    shutil.copytree(old, other)
    (other / "gumei" / "street-duty.yaml").unlink()
    render_json(diff_paths(str(other), str(new), jobs=1))  # a second finished comparison, of other sides
    results = sorted((new / ".govlist-cache").rglob("*.result.json"))
    assert len(results) == 2
    texts = {path: path.read_bytes() for path in results}
    mine = next(path for path in results if json.loads(texts[path])["labels"][0] == str(old))
    if damage == "wrong types":
        entry = json.loads(texts[mine])
        entry["changes"] = [[1, 2, 3]]
        mine.write_text(json.dumps(entry), encoding="utf-8")
    elif damage == "foreign":
        mine.write_bytes(next(text for path, text in texts.items() if path != mine))
    else:
        mine.write_bytes(damage)
    assert _diff(sides) == cold
    assert mine.read_bytes() == texts[mine]  # made again


def test_a_file_the_same_on_both_sides_is_parsed_once_unless_it_has_findings(sides, parses):
    old, new = sides
    text = _diff(sides, cache=False)
    parsed_new = sorted(p for p in parses if p.startswith("c/"))
    assert parsed_new == ["c/broken.yaml", "c/gumei/street-duty.yaml"]  # changed, or found broken (its findings name it)
    assert len([p for p in parses if p.startswith("old/")]) == _catalog_files([old])
    report = json.loads(text)
    assert {f["file"] for f in report["findings"] if f["rule"].startswith("parse.")} >= {"old/broken.yaml", "c/broken.yaml"}
    parses.clear()
    assert _diff(sides) == text  # the finished comparison
    _entries(new)
    parses.clear()
    assert _diff(sides) == text
    assert parses == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_same_bytes_shown_under_another_name_are_read_from_their_entry(sides, parses, monkeypatch):
    """`govlist diff HEAD~1` after each commit: the files the working tree had are shown as HEAD~1:… next time, and
    the files of HEAD~1 had been shown as HEAD:…; an entry without findings names no file, so they are read back, not
    parsed. A file with findings (broken.yaml, its findings name it) is parsed under its new name."""
    from test_sources import git

    new = sides[1]
    monkeypatch.chdir(new)
    git(new, "init", "-q", "-b", "main")
    git(new, "add", "-A")
    git(new, "commit", "-q", "-m", "one")
    street, community = new / "gumei" / "street-duty.yaml", new / "gumei" / "juminqu-duty.yaml"
    street.write_text(street.read_text(encoding="utf-8").replace("违章建筑", "违规建筑", 1), encoding="utf-8")
    render_json(diff_paths("HEAD", None, jobs=1))
    git(new, "commit", "-q", "-am", "two")
    community.write_text(community.read_text(encoding="utf-8").replace("。", "；并报告。", 1), encoding="utf-8")
    parses.clear()
    warm = render_json(diff_paths("HEAD~1", None, jobs=1))
    assert parses == ["HEAD~1:broken.yaml", "gumei/juminqu-duty.yaml"]
    assert warm == render_json(diff_paths("HEAD~1", None, jobs=1, cache=False))


def test_diff_jobs_option(sides):
    from typer.testing import CliRunner

    from govlist.cli import app

    old, new = sides
    command = ["diff", str(old), str(new), "--format", "json", "--fail-on-findings", "never", "--no-cache"]
    one, two = (CliRunner().invoke(app, [*command, "--jobs", jobs]) for jobs in ("1", "2"))
    assert one.exit_code == two.exit_code == 0, one.output
    assert one.output == two.output
