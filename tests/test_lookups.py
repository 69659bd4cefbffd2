"""What one file's rules ask of the registries is noted, every way a rule can ask it, and answered the same way
again (govlist/lookups.py)."""

from __future__ import annotations

from govlist.catalog import UnitIndex, make_catalog
from govlist.loader import load_bytes
from govlist.lookups import ANY, AskedUnits, answers, kinds_question

REGISTRY = """govlist: 1
kind: registry
id: r
title: 名录
units:
  - code: "A"
    name: 甲局
    aliases: [甲]
  - code: "B"
    name: 乙局
    parent: "A"
"""


def _index(text: str = REGISTRY):
    registry = make_catalog(load_bytes(text.encode("utf-8"), "r.yaml"))
    return registry, UnitIndex([registry])


def test_every_way_of_asking_is_noted():
    _, real = _index()
    asked: set[str] = set()
    units = AskedUnits(real, asked)
    assert units.find("甲").name == "甲局"
    assert units.by_code.get("B").name == "乙局"
    assert "C" not in units.by_code
    assert units.same("乙局", "乙 局")
    assert units
    assert asked == {"key\0甲", "code\0B", "code\0C", "key\0乙局", ANY}
    assert list(units.by_key)  # a walk over every unit: every registry, whole
    assert kinds_question(("registry",)) in asked


def test_the_answers_change_only_with_what_was_asked():
    registry, real = _index()
    questions = ("key\0甲", "code\0C")
    before = answers(questions, real, lambda *kinds: [registry], {})
    renamed, renamed_index = _index(REGISTRY.replace("乙局", "乙局（改）"))
    assert answers(questions, renamed_index, lambda *kinds: [renamed], {}) == before
    assert answers(("code\0B",), renamed_index, lambda *kinds: [renamed], {}) != answers(("code\0B",), real, lambda *kinds: [registry], {})
    changed, changed_index = _index(REGISTRY.replace("    aliases: [甲]\n", "    aliases: [甲, 甲方]\n"))
    assert answers(questions, changed_index, lambda *kinds: [changed], {}) != before  # the unit found: its data changed
    added, added_index = _index(REGISTRY + '  - code: "C"\n    name: 丙局\n')
    assert answers(questions, added_index, lambda *kinds: [added], {}) != before  # C is found now
    whole = (kinds_question(("registry",)),)
    assert answers(whole, renamed_index, lambda *kinds: [renamed], {}) != answers(whole, real, lambda *kinds: [registry], {})
