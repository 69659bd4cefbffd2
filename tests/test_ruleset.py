"""The rule registry: every rule is documented in both languages, tested, and listed in docs/rules.md."""

from __future__ import annotations

import re

import pytest

import govlist.rules  # noqa: F401  (registers the rules)
from govlist.ruleset import RULES, rules_markdown

from conftest import REPO


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented_in_both_languages(rule_id):
    rule = RULES[rule_id]
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", rule_id), "ids are dotted lower-case words"
    assert rule.title.zh and rule.title.en
    zh, en = rule.documentation("zh"), rule.documentation("en")
    assert zh and en and zh != en, "docstring needs Chinese text, a line 'English:', then English text"
    assert re.search(r"[\u4e00-\u9fff]", zh), "the Chinese documentation is Chinese"
    assert re.search(r"[a-zA-Z]{4,}", en), "the English documentation is English"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_test_that_names_it(rule_id):
    """A rule nobody tests is a rule nobody knows works: some test must name its id."""
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("*.py") if p.name != "test_ruleset.py"]
    assert any(f'"{rule_id}"' in t or f"'{rule_id}'" in t for t in texts), f"no test mentions {rule_id}"


def test_docs_rules_md_is_current(golden):
    """docs/rules.md is the generated rule reference; regenerate with `govlist rules --markdown > docs/rules.md`."""
    expected = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert rules_markdown() == expected, "docs/rules.md is stale: run `python -m govlist.cli rules --markdown > docs/rules.md`"


def test_a_context_made_from_another_with_a_few_catalogs_swapped_finds_what_a_new_one_finds():
    """A context made `like` another with a few catalogs swapped (a rule over the set made them whole) takes over
    the other's indexes and mends them at the places named (`changed`), without comparing every catalog; it finds
    by id what a context made anew finds, the first of a duplicated id included."""
    from govlist.catalog import make_catalog
    from govlist.loader import load_bytes
    from govlist.ruleset import Context

    def catalog(catalog_id: str, title: str):
        text = f"govlist: 1\nkind: duty\nid: {catalog_id}\ntitle: {title}\nitems: []\n"
        return make_catalog(load_bytes(text.encode("utf-8"), f"{catalog_id}-{title}.yaml"))

    project = None  # not read in making a context
    first = [catalog("a", "1"), catalog("b", "1"), catalog("a", "2"), catalog("c", "1")]
    before = Context(project, first)  # type: ignore[arg-type]
    swapped = list(first)
    swapped[0], swapped[3] = catalog("a", "1"), catalog("c", "1")
    made = Context(project, swapped, like=before, changed=[0, 3])  # type: ignore[arg-type]
    anew = Context(project, swapped)  # type: ignore[arg-type]
    compared = Context(project, swapped, like=before)  # type: ignore[arg-type]
    for catalog_id in ("a", "b", "c", "d"):
        assert made.by_id(catalog_id) is anew.by_id(catalog_id) is compared.by_id(catalog_id)
    assert made.by_id("a") is swapped[0] and made.by_id("c") is swapped[3]
    # made again from the one made: the swaps add up, the second of a duplicated id stays hidden, and the contexts
    # it was made from (which share their index by id) find what they found
    again = list(swapped)
    again[0], again[1], again[2] = catalog("a", "1"), catalog("b", "1"), catalog("a", "2")
    later = Context(project, again, like=made, changed=[2, 1, 0])  # type: ignore[arg-type]
    for catalog_id in ("a", "b", "c", "d"):
        assert later.by_id(catalog_id) is Context(project, again).by_id(catalog_id)  # type: ignore[arg-type]
    assert (later.by_id("a"), later.by_id("b"), later.by_id("c")) == (again[0], again[1], swapped[3])
    assert (made.by_id("a"), made.by_id("b"), before.by_id("a"), before.by_id("c")) == (swapped[0], first[1], first[0], first[3])
