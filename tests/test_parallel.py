"""Checking in worker processes started with `spawn` (as on Windows and macOS): the report does not change."""

from __future__ import annotations

import multiprocessing


from govlist import parallel as filecheck
from govlist.catalog import make_catalog
from govlist.report import REPORTERS
from govlist.validate import validate_paths


class _Pools:
    def __init__(self, monkeypatch):
        self.methods: list[str] = []
        real = filecheck.ProcessPoolExecutor
        pools = self

        class Counting(real):
            def __init__(self, *args, mp_context=None, **kwargs):
                pools.methods.append(mp_context.get_start_method())
                super().__init__(*args, mp_context=mp_context, **kwargs)

        monkeypatch.setattr(filecheck, "ProcessPoolExecutor", Counting)
        monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)


def _json(report) -> str:
    return REPORTERS["json"](report, "zh", False)


def test_spawned_workers_give_the_same_json_report_byte_for_byte(catalog_set, monkeypatch):
    pools = _Pools(monkeypatch)
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False))
    assert pools.methods == []
    parallel = _json(validate_paths([catalog_set], jobs=2, cache=False))
    assert pools.methods == ["spawn"]
    assert parallel == serial
    rules = {line.split('"')[3] for line in serial.splitlines() if line.strip().startswith('"rule"')}
    assert {"totals.items", "parse.yaml"} <= rules


def test_a_context_file_the_quick_look_misses_still_gives_the_same_report(catalog_set, monkeypatch):
    """A registry whose `kind:` line comes after a long comment: the workers checked without it, so every catalog
    is checked again with the whole set."""
    registry = catalog_set / "gumei" / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text("# " + "注" * 40_000 + "\n" + text, encoding="utf-8")
    assert filecheck.peek_kind(registry) is None
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False))
    _Pools(monkeypatch)
    assert _json(validate_paths([catalog_set], jobs=2, cache=False)) == serial
    assert _json(validate_paths([catalog_set], jobs=2, cache=False, need_catalogs=False)) == serial  # slim records
    assert _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False)) == serial
    assert '"refs.unit"' not in serial  # the units were still found


def test_rules_that_read_other_lists_are_left_to_the_whole_set(catalog_set):
    project = validate_paths([catalog_set], jobs=1, cache=False).project
    rules = [r for r in filecheck.RULES.values() if r.check is not None]
    results = filecheck.check_files([(p, p.name) for p in sorted(catalog_set.rglob("*.yaml")) if p.name != "govlist.yaml"], project, rules, False, 1).results
    deferred = {rule for r in results for rule in r.deferred}
    assert "refs.item" in deferred  # grid lists name territorial lists by id
    assert "vocab.unknown" not in deferred and "refs.unit" not in deferred  # the registry is in every worker's context
    assert all(r.rules_done for r in results if r.catalog)


def test_no_worker_processes_when_told_one_job_or_the_set_is_small(catalog_set, monkeypatch):
    pools = _Pools(monkeypatch)
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 10**12)
    validate_paths([catalog_set], jobs=4, cache=False)
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)
    validate_paths([catalog_set], jobs=1, cache=False)
    assert pools.methods == []


def test_no_processes_to_be_had_means_checking_here(catalog_set, monkeypatch):
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False))
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)

    def refuse(*args, **kwargs):
        raise OSError("no processes")

    monkeypatch.setattr(filecheck, "ProcessPoolExecutor", refuse)
    assert _json(validate_paths([catalog_set], jobs=2, cache=False)) == serial


def test_spawn_is_available_everywhere():
    assert "spawn" in multiprocessing.get_all_start_methods()


def test_what_the_rules_kept_of_one_file_does_not_answer_for_the_next(monkeypatch):
    """The per-file rules key what they keep by their catalog's id, and a freed catalog's id is given to a later one.
    Made to happen here (every id the same): the county list after the national one still has its parent.* rules
    deferred to the set, instead of being answered "no parent" by what was kept for the national list."""
    from conftest import REPO
    from govlist.checker import load_project
    from govlist.rules import inheritance as inheritance_rules
    from govlist.ruleset import RULES

    monkeypatch.setattr(inheritance_rules, "id", lambda obj: 1, raising=False)
    levels = REPO / "examples" / "levels"
    project, _ = load_project([levels], None)
    ctx = filecheck.LocalContext(project, [])
    rules = list(RULES.values())
    national = filecheck.check_file(levels / "national-certificates.yaml", "national-certificates.yaml", project, ctx, rules)
    assert "parent.changed" not in national.deferred  # no parent: answered in the file's own check
    county = filecheck.check_file(levels / "hubei-certificates.yaml", "hubei-certificates.yaml", project, ctx, rules)
    assert {"parent.changed", "parent.missing", "parent.totals"} <= set(county.deferred)


def test_a_worker_makes_its_whole_context_before_freezing_it(monkeypatch):
    """What a worker keeps for every file (the context, and the unit index a context makes when first asked) is made
    before gc.freeze(): else the collection between files walks every registry unit again, file after file."""
    import gc

    from conftest import CATALOGS
    from govlist.checker import load_project
    from govlist.loader import load_file

    project, _ = load_project([CATALOGS], None)
    docs = [load_file(path, path.name).without_bytes(path) for path in sorted(CATALOGS.rglob("registry.yaml"))]
    order: list[str] = []
    monkeypatch.setattr(filecheck.gc, "freeze", lambda: order.append("freeze"))
    real_index = filecheck.LocalContext.units.fget

    def indexing(self):
        if self._units is None:
            order.append("unit index")
        return real_index(self)

    monkeypatch.setattr(filecheck.LocalContext, "units", property(indexing))
    try:
        filecheck._start_worker(project, docs, [], None, filecheck.ContextKeys("", ""), True)
    finally:
        gc.enable()  # _start_worker turns the collector off, as a worker runs
        monkeypatch.setattr(filecheck, "_WORKER", None)
    assert order == ["unit index", "freeze"]


def test_what_workers_note_their_files_asked_of_the_registries_holds_in_the_main_process(catalog_set, monkeypatch):
    """The questions a worker's file asked, and the digest of their answers, are kept in its entry; after a unit is
    renamed the main process asks them again of its own context and keeps the lists whose answers are the same."""
    pools = _Pools(monkeypatch)
    validate_paths([catalog_set], jobs=2, need_catalogs=False)
    assert pools.methods == ["spawn"]
    registry = catalog_set / "chenghua" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("    name: 成都市公安局成华区分局\n", "    name: 成都市公安局成华区分局（改）\n"), encoding="utf-8")
    checked: list[str] = []
    real = filecheck.load_bytes
    monkeypatch.setattr(filecheck, "load_bytes", lambda raw, shown: checked.append(shown) or real(raw, shown))
    warm = _json(validate_paths([catalog_set], jobs=1, need_catalogs=False))
    assert "c/chenghua/community.yaml" in checked and "c/gumei/street-duty.yaml" not in checked
    assert warm == _json(validate_paths([catalog_set], jobs=2, cache=False))


def test_files_go_to_a_worker_in_batches_bounded_by_bytes_largest_first():
    sizes = [100, 60, 300, 50, 40, 150, 151]
    batches = filecheck._batches(sizes, 150)
    assert sorted(n for batch in batches for n in batch) == list(range(len(sizes)))  # every file, once
    assert [[sizes[n] for n in batch] for batch in batches] == [[300], [151], [150], [100], [60, 50, 40]]
    assert all(sum(sizes[n] for n in batch) <= 150 or len(batch) == 1 for batch in batches)
    assert filecheck._batches([], 150) == []


def test_a_file_whose_check_fails_in_a_worker_leaves_the_others_results(monkeypatch):
    """In a batch, a file whose check raises comes back as None (the main process checks it again); the files before
    and after it in the batch keep what was found of them."""
    import gc

    from conftest import CATALOGS
    from govlist.checker import load_project

    project, _ = load_project([CATALOGS], None)
    files = sorted(p for p in (CATALOGS / "gumei").glob("*.yaml") if p.name != "registry.yaml")[:3]
    real = filecheck.check_file

    def failing(path, *args, **kwargs):
        if path == files[1]:
            raise MemoryError("only in this worker")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(filecheck, "check_file", failing)
    try:
        filecheck._start_worker(project, [], [], None, filecheck.ContextKeys("", ""), True)
        done = filecheck._work_batch([(path, path.name) for path in files])
    finally:
        gc.enable()
        gc.unfreeze()
        monkeypatch.setattr(filecheck, "_WORKER", None)
    assert done[1] is None
    assert [r.shown for r in done if r is not None] == [files[0].name, files[2].name] and all(r.valid for r in done if r is not None)


def _answering_none_for_broken(batch):
    """A worker's batch as `_work_batch` does it, but as if the check of broken.yaml had failed in the worker."""
    return [None if shown.endswith("broken.yaml") else result for (_, shown), result in zip(batch, filecheck._work_batch(batch))]


def _dying_on_street_duty(batch):
    """A worker that dies (as on a crash in C) when given street-duty.yaml."""
    import os

    if any(shown.endswith("street-duty.yaml") for _, shown in batch):
        os._exit(7)
    return filecheck._work_batch(batch)


def _spawned_with(monkeypatch, func):
    """Workers that run `func` on each batch (small batches, for a small set); the number of batches, when run."""
    real = filecheck.run_spawned
    tasks: list[int] = []
    monkeypatch.setattr(filecheck, "run_spawned", lambda work, jobs, *args, **kwargs: tasks.append(len(jobs)) or real(func, jobs, *args, **kwargs))
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(filecheck, "BATCH_BYTES", 16 * 1024)
    return tasks


def test_a_file_a_worker_could_not_check_is_checked_in_the_main_process(catalog_set, monkeypatch):
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    tasks = _spawned_with(monkeypatch, _answering_none_for_broken)
    checked: list[str] = []
    real = filecheck.load_bytes
    monkeypatch.setattr(filecheck, "load_bytes", lambda raw, shown: checked.append(shown) or real(raw, shown))
    assert _json(validate_paths([catalog_set], jobs=2, cache=False, need_catalogs=False)) == serial
    assert len(tasks) == 1 and tasks[0] > 1  # several batches
    assert [shown for shown in checked if not shown.endswith(("registry.yaml", "entry-rules.yaml"))] == ["c/broken.yaml"]  # only it, here
    assert '"parse.yaml"' in serial


def test_a_worker_that_dies_loses_no_finding(catalog_set, monkeypatch):
    """What the workers sent before one died is kept; the files not answered for are checked in the main process."""
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    _spawned_with(monkeypatch, _dying_on_street_duty)
    assert _json(validate_paths([catalog_set], jobs=2, cache=False, need_catalogs=False)) == serial
    assert _json(validate_paths([catalog_set], jobs=2, cache=False)) == _json(validate_paths([catalog_set], jobs=1, cache=False))  # whole catalogs


_GIVEN: tuple = ()


def _keep_given(*args):
    global _GIVEN
    _GIVEN = args


def _given(n):
    return n, _GIVEN


def test_what_every_worker_is_set_up_with_is_pickled_once_and_a_large_one_read_from_a_file_removed_after(monkeypatch, tmp_path):
    """A large setup (the context documents) goes to the spawned workers through one temporary file, so that they
    start side by side; a small one with each task. Every worker gets all of it, and the file is gone afterwards;
    without a temporary file to be had, the work is left to the main process."""
    made: list[str] = []
    real = filecheck.tempfile.mkstemp

    def recording(**kwargs):
        handle, path = real(dir=tmp_path, **kwargs)
        made.append(path)
        return handle, path

    monkeypatch.setattr(filecheck.tempfile, "mkstemp", recording)
    large = ("注" * (filecheck.SETUP_INLINE_BYTES // 3 + 1), {"units": list(range(1000))})
    assert filecheck.run_spawned(_given, [(n,) for n in range(4)], 2, [1, 2, 3, 4], _keep_given, large) == [(n, large) for n in range(4)]
    assert len(made) == 1 and made[0].endswith(".setup") and list(tmp_path.iterdir()) == []
    assert filecheck.run_spawned(_given, [(n,) for n in range(2)], 2, [1, 1], _keep_given, ("small",)) == [(0, ("small",)), (1, ("small",))]
    assert len(made) == 1

    def no_file(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(filecheck.tempfile, "mkstemp", no_file)
    assert filecheck.run_spawned(_given, [(n,) for n in range(2)], 2, [1, 1], _keep_given, large) is None  # done here


def _refusing(*args):
    raise ValueError("cannot be set up here")


def test_a_worker_that_cannot_be_set_up_means_the_work_is_done_here():
    assert filecheck.run_spawned(_given, [(n,) for n in range(3)], 2, [1, 1, 1], _refusing, ("x",)) is None


def test_the_workers_start_before_the_context_files_are_checked_here_when_the_other_files_need_them(catalog_set, monkeypatch):
    """Their start (an interpreter, govlist's imports) overlaps the main process's checking of the registries and
    entry rules: without a cache, and with one where the other files have no entry; a warm run starts none, nor
    does one where only a registry changed."""
    events: list[str] = []
    real_start, real_check = filecheck.start_workers, filecheck.load_and_check
    monkeypatch.setattr(filecheck, "start_workers", lambda workers: events.append("workers") or real_start(workers))
    monkeypatch.setattr(filecheck, "load_and_check", lambda path, shown, project: events.append(shown) or real_check(path, shown, project))
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    assert "workers" not in events
    for cache in (False, True):  # the second: a cold cache
        events.clear()
        assert _json(validate_paths([catalog_set], jobs=2, cache=cache, need_catalogs=False)) == serial
        assert events[0] == "workers" and "c/gumei/registry.yaml" in events and events.count("workers") == 1
    events.clear()
    assert _json(validate_paths([catalog_set], jobs=2, need_catalogs=False)) == serial
    assert events == []
    registry = catalog_set / "gumei" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "# 注\n", encoding="utf-8")
    assert _json(validate_paths([catalog_set], jobs=2, need_catalogs=False)) == serial
    assert events == ["c/gumei/registry.yaml"]


def test_the_context_files_own_rules_run_here_while_the_workers_check_the_other_files(catalog_set, monkeypatch):
    """The registries and entry rules are parsed first (every worker needs them), then the other files go to the
    workers, and only then do the context files' own rules run here: the same report."""
    events: list[str] = []
    real_rules, real_workers = filecheck.run_own_rules, filecheck._in_workers
    monkeypatch.setattr(filecheck, "run_own_rules", lambda result, *args: events.append(result.shown) or real_rules(result, *args))
    monkeypatch.setattr(filecheck, "_in_workers", lambda *args: events.append("workers") or real_workers(*args))
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    assert "c/gumei/registry.yaml" in events and "workers" not in events
    for cache in (False, True):
        events.clear()
        assert _json(validate_paths([catalog_set], jobs=2, cache=cache, need_catalogs=False)) == serial
        assert events[0] == "workers" and "c/gumei/registry.yaml" in events


def test_the_workers_import_govlist_as_they_start_not_when_their_first_work_comes():
    """Started early (`Spawned`), a worker imports govlist's checks and rules while the main process still parses
    the context files: its first work does not wait for them."""
    spawned = filecheck.start_workers(1)
    assert spawned is not None
    try:
        loaded = spawned.pool.submit(eval, "'govlist.checker' in __import__('sys').modules").result()  # eval: no import of its own
    finally:
        spawned.close()
    assert loaded


def _slow_context_here(monkeypatch, parsed_here: list[str]):
    """The main process parsing each context file slowly (the workers, spawned, parse at their own pace), noting
    which it parsed; every context file a batch of its own."""
    import time

    real = filecheck.load_and_check

    def slow(path, shown, project):
        if shown.endswith(("registry.yaml", "entry-rules.yaml")):
            parsed_here.append(shown)
            time.sleep(0.6)
        return real(path, shown, project)

    monkeypatch.setattr(filecheck, "load_and_check", slow)
    monkeypatch.setattr(filecheck, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(filecheck, "CONTEXT_SHARED_BYTES", 0)
    monkeypatch.setattr(filecheck, "CONTEXT_BATCH_BYTES", 1)


def test_the_workers_started_early_parse_context_files_too(catalog_set, monkeypatch):
    """While the main process parses the registries and entry rules, the workers started early parse some of them
    too (they need them all before checking a list, and were idle): the same report, with a cache or without."""
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    contexts = [p for p in catalog_set.rglob("*.yaml") if p.name.endswith(("registry.yaml", "entry-rules.yaml"))]
    assert len(contexts) >= 5
    for cache in (False, True):  # the second: a cold cache
        parsed_here: list[str] = []
        _slow_context_here(monkeypatch, parsed_here)
        assert _json(validate_paths([catalog_set], jobs=2, cache=cache, need_catalogs=False)) == serial
        assert 0 < len(parsed_here) < len(contexts)  # the last ones here, the first in the workers
        assert len(set(parsed_here)) == len(parsed_here)
    assert _json(validate_paths([catalog_set], jobs=2, need_catalogs=False)) == serial  # warm


def _dying_on_a_registry(jobs, project):
    """A worker that dies (as on a crash in C) when given a registry to parse."""
    import os

    if any(shown.endswith("registry.yaml") for _, shown in jobs):
        open(os.environ["GOVLIST_TEST_DIED"], "w").close()
        os._exit(7)
    return filecheck._load_batch(jobs, project)


def test_a_worker_that_dies_parsing_context_files_loses_nothing(catalog_set, monkeypatch, tmp_path):
    """The context files it was given, and every other file, are then parsed and checked in the main process."""
    serial = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    _slow_context_here(monkeypatch, [])
    monkeypatch.setattr(filecheck, "_load_batch", _dying_on_a_registry)
    monkeypatch.setenv("GOVLIST_TEST_DIED", str(tmp_path / "died"))
    assert _json(validate_paths([catalog_set], jobs=2, cache=False, need_catalogs=False)) == serial
    assert (tmp_path / "died").exists()


def test_context_files_parsed_for_the_main_process_leave_no_cycle_in_the_worker():
    """A worker parses with the cyclic GC off: what it made of a context file (a catalog, whose items point back at
    it) must go when the file's result is sent, not stay until the worker ends."""
    import gc

    from conftest import CATALOGS
    from govlist.checker import load_project

    project, _ = load_project([CATALOGS], None)
    registries = sorted(CATALOGS.rglob("registry.yaml"))
    gc.collect()
    try:
        done = filecheck._load_batch([(path, path.name) for path in registries], project)
        assert all(r.valid and r.catalog is None and r.doc is not None for r in done)
        del done
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_without_a_cache_what_the_rules_ask_of_the_context_is_not_digested(catalog_set, monkeypatch):
    """Only a file's cache entry keeps what its rules asked of the registries and a digest of the answers
    (govlist/lookups.py): without a cache neither is made, and the report is the same."""
    digested: list[int] = []
    real = filecheck.answers
    monkeypatch.setattr(filecheck, "answers", lambda *args: digested.append(1) or real(*args))
    without = _json(validate_paths([catalog_set], jobs=1, cache=False, need_catalogs=False))
    assert digested == []
    assert _json(validate_paths([catalog_set], jobs=1, need_catalogs=False)) == without
    assert digested


def test_a_files_context_finds_its_catalogs_of_some_kinds_once():
    """Each list's rules ask for the registries (800 in a large repository): found once, each asker given a list of
    its own."""
    from conftest import CATALOGS
    from govlist.checker import load_project
    from govlist.loader import load_file

    project, _ = load_project([CATALOGS], None)
    registries = [make_catalog(load_file(path, path.name)) for path in sorted(CATALOGS.rglob("registry.yaml"))]
    walks: list[int] = []

    class Walked(list):
        def __iter__(self):
            walks.append(1)
            return super().__iter__()

    ctx = filecheck.LocalContext(project, Walked(registries))
    walks.clear()  # making the context walks them
    ctx.of_kind("registry").clear()
    assert ctx.of_kind("registry") == registries  # found as the context was made
    assert ctx.of_kind("entry-rules") == ctx.of_kind("entry-rules") == []
    assert len(walks) == 1


def test_the_rules_run_on_a_kind_of_catalog_are_found_once_per_context(monkeypatch):
    """run_own_rules runs on each of thousands of files: which of ~90 rules run on its kind is found once per kind,
    the same findings."""
    from conftest import CATALOGS
    from govlist.checker import Collector, load_project

    project, _ = load_project([CATALOGS], None)
    walks: list[int] = []

    class Walked(list):
        def __iter__(self):
            walks.append(1)
            return super().__iter__()

    collector = Collector(project)
    rules = Walked(r for r in filecheck.RULES.values() if r.check is not None and collector.severity(r.id) is not None)
    ctx = filecheck.LocalContext(project, [], noting=False)
    files = [CATALOGS / "gumei" / "street-duty.yaml", CATALOGS / "gumei" / "juminqu-duty.yaml"]
    results = [filecheck.load_and_check(path, path.name, project) for path in files]
    assert results[0].kind == results[1].kind
    walks.clear()
    for result in results:
        filecheck.run_own_rules(result, project, ctx, rules, False)
    assert len(walks) == 1
    alone = filecheck.load_and_check(files[1], files[1].name, project)
    filecheck.run_own_rules(alone, project, filecheck.LocalContext(project, [], noting=False), list(rules), False)
    assert alone.rule_findings == results[1].rule_findings and alone.deferred == results[1].deferred
