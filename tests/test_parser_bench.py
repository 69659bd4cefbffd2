"""benchmarks/parser_bench.py: its conformance checks pass on govlist's own loader (libyaml composing, govlist
building the values), and they can fail: a bare `yaml.load(CSafeLoader)` is caught on what govlist adds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import parser_bench  # benchmarks/parser_bench.py

    return parser_bench


def test_govlist_loader_keeps_every_guarantee(bench):
    results = bench.conformance(bench.REFERENCE)
    assert len(results) == bench.check_count()
    assert [(name, seen) for name, ok, seen in results if not ok] == []
    seen = {name: seen for name, _, seen in results}
    assert seen["duplicate key refused, with its line"] == "refused (line 5)"
    agreed = re.match(r"(\d+)/(\d+) agree \((\d+) more", seen["hostile fixtures: as govlist"])
    assert agreed and agreed[1] == agreed[2] and int(agreed[2]) + int(agreed[3]) == len(bench.fixtures())


def test_a_bare_safe_load_fails_what_govlist_adds(bench):
    names = [name for name, _, _ in bench.CHECKS]
    wanted = ["duplicate key refused, with its line", "unquoted dates stay text", "keys stay text (`1:` `yes:` `~:`)", "merge key `<<` refused", "`010` is 8 (YAML 1.1 octal)"]
    results = {name: (ok, seen) for name, ok, seen in (bench.run_check(bench.BASELINE, names.index(name)) for name in wanted)}
    assert [name for name, (ok, _) in results.items() if not ok] == wanted[:4]
    assert "datetime.date(2024, 3, 1)" in results["unquoted dates stay text"][1]


def test_data_is_compared_with_its_types(bench):
    assert bench.same({"a": [1, "2"]}, {"a": [1, "2"]})
    assert not bench.same({"a": 1}, {"a": True}) and not bench.same({"a": "8"}, {"a": 8})
    assert not bench.same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # key order is what a catalog shows
    assert bench.digest({"a": [1]}) != bench.digest({"a": ["1"]})


def test_govlist_fast_path_keeps_every_guarantee(bench):
    """The fast path (yaml-rs behind govlist/fastparse.py's guards) passes every check the reference passes."""
    from govlist import fastparse

    if fastparse._yaml_rs is None:
        pytest.skip("yaml_rs not importable: the fast path is libyaml")
    assert bench.FAST.name == "govlist load_bytes (fast path)"
    results = bench.conformance(bench.FAST)
    assert [(name, seen) for name, ok, seen in results if not ok] == []
    assert {name: seen for name, _, seen in results}["duplicate key refused, with its line"] == "refused (line 5)"
    # yaml-rs alone reads a block scalar at the end of a text without a line break otherwise ("w\n"): the guards matter
    bare = next(candidate for candidate in bench.CANDIDATES if candidate.name == "yaml-rs")
    names = [name for name, _, _ in bench.CHECKS]
    assert not bench.run_check(bare, names.index("literal block scalars as libyaml"))[1]


def test_the_reference_is_libyaml_alone(bench, monkeypatch):
    """The reference every candidate is judged against reads with the fast path off, whatever the default."""
    from govlist import fastparse

    seen = []
    monkeypatch.setattr(fastparse, "parse", lambda text: seen.append(text))
    assert bench.loader_of(bench.REFERENCE)(b"a: 08\n") == {"a": "08"}
    assert seen == []
    monkeypatch.undo()
    assert bench.taken_by_fast_path([b"a: 1\n", b"a: 010\n", "a: \xff".encode("latin-1")]) == (1 if fastparse._yaml_rs is not None else 0)  # 010: the octal 8 in YAML 1.1, declined
