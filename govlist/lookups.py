"""What one file's rules asked of the context files (the registries' units, the entry rules), so that the file's
cache entry outlives an edit to a registry that changes no answer its rules got.

A list's own rules look units up by name, alias or code, and so do a registry's (a unit's parent may be in another
registry). A registry edited to rename a unit changes the answers given to the files that asked for that unit, and
to no other file. While a file's rules run (govlist/parallel.py `run_own_rules`), its context hands out the unit
index through `AskedUnits`, which notes every question: a name or code looked up (found or not), whether there is
any unit at all, and — when a rule walks the whole index, or reads the catalogs of a context kind themselves — that
kind whole. `answers` digests what the context answers to those questions; the file's entry keeps the questions and
the digest, and a later run whose context files hold other data keeps the entry when the same questions get the
same answers.

An answer names the unit found: its registry's name, its place there, its data and its registry's header, which is
all a rule reads of a unit it found. A rule that wants more of a registry (its other units) asks the index or
`of_kind`, and is noted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping

from .catalog import Catalog, Item, UnitIndex
from .loader import file_digest

ANY = "any"  # whether there is any registry unit at all


def kinds_question(kinds: Iterable[str]) -> str:
    """The question 'every catalog of these kinds, whole'."""
    return "\0".join(("kinds", *kinds))


class _Noted(Mapping):
    """One of the index's mappings (by name key, by code), noting each key asked; walking it asks for every
    registry whole."""

    __slots__ = ("_real", "_asked", "_prefix")

    def __init__(self, real: Mapping[str, Item], asked: set[str], prefix: str) -> None:
        self._real, self._asked, self._prefix = real, asked, prefix

    def __getitem__(self, key: str) -> Item:
        self._asked.add(f"{self._prefix}\0{key}")
        return self._real[key]

    def get(self, key: str, default=None):  # as a dict does: the hot path, without Mapping's try
        self._asked.add(f"{self._prefix}\0{key}")
        return self._real.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._asked.add(f"{self._prefix}\0{key}")
        return key in self._real

    def __iter__(self) -> Iterator[str]:
        self._asked.add(kinds_question(("registry",)))
        return iter(self._real)

    def __len__(self) -> int:
        self._asked.add(kinds_question(("registry",)))
        return len(self._real)


class AskedUnits(UnitIndex):
    """The unit index as one file's rules see it: the same answers, each question noted in `asked`."""

    def __init__(self, real: UnitIndex, asked: set[str]) -> None:  # not UnitIndex's: nothing is indexed again
        self.by_key = _Noted(real.by_key, asked, "key")
        self.by_code = _Noted(real.by_code, asked, "code")
        self._real, self._asked = real, asked

    def __bool__(self) -> bool:
        self._asked.add(ANY)
        return bool(self._real)


def answers(questions: Iterable[str], units: UnitIndex, of_kind: Callable[..., list[Catalog]], memo: dict) -> str:
    """A digest of what the context answers to `questions` now (`units`: its unit index; `of_kind`: its catalogs of
    some kinds). `memo` keeps what is found of each unit and kind for the context's lifetime."""
    parts = []
    for question in sorted(questions):
        what, _, asked = question.partition("\0")
        if what == "key":
            answer = _unit(units.by_key.get(asked), memo)
        elif what == "code":
            answer = _unit(units.by_code.get(asked), memo)
        elif what == "kinds":
            if question not in memo:
                memo[question] = _digest([[c.path, c.data] for c in of_kind(*asked.split("\0"))])
            answer = memo[question]
        else:
            answer = str(bool(units))
        parts.append(f"{question}\0{answer}")
    return _digest(parts)


def _unit(unit: Item | None, memo: dict) -> str:
    if unit is None:
        return "-"
    answer = memo.get(id(unit))
    if answer is None:
        registry = unit.catalog
        header = {k: v for k, v in registry.data.items() if k != "units"}
        answer = memo[id(unit)] = _digest([registry.path, list(unit.pointer), unit.data, header])
    return answer


def _digest(value: object) -> str:
    return file_digest(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8", "surrogatepass"))
