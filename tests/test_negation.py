"""govlist/negation.py: when a term in an item's text is negated, read the same way by level.forbidden-function and
community.government-power."""

from __future__ import annotations

import re

import pytest
from conftest import hits
from hypothesis import given, settings, strategies as st

import govlist.rules  # noqa: F401  (registers the rules)
from govlist.negation import EXCEPTION_WORD, NEGATION_WORDS, NOT_NEGATIONS, mentioned, mentioned_among
from govlist.ruleset import RULES

TERMS = ("罚款", "招商引资")

# (content, whether it mentions a term the item carries). Several of these were read differently by the two rules
# before they shared one reading; the comment says how.
SENTENCES = [
    ("协助城管执法中队罚款", True),
    ("社区不承担罚款", False),
    ("社区不予罚款", False),  # forbidden-function did not know 不予
    ("取消招商引资任务", False),  # government-power did not know 取消
    ("协助执法中队罚　款", True),  # government-power did not drop spaces
    ("社区不承担下列事项：罚款、招商引资", False),  # forbidden-function cut clauses at a colon
    ("社区不承担由区城管执法局依法实施的占道经营罚款", False),  # forbidden-function looked back 12 characters only
    ("协助开展市容巡查（罚款、招商引资除外）", False),  # both read 除外 only before a term
    ("对损坏不可移动文物的行为罚款", True),  # government-power read 不可移动 as a negation
    ("除罚款外还负责招商引资", True),
    ("社区不得收费；协助执法中队罚款", True),
    ("社区不得收费;协助执法中队罚款", True),
    ("社区不承担罚款，协助执法中队罚款", True),
    ("社区不承担罚款,协助执法中队罚款", True),
]


def test_the_same_sentence_gives_the_same_answer_through_both_rules(validate_set):
    items = "".join(f'  - {{code: "N{n:02}", name: 事项{n}, type: 依法履职事项, content: "{text}"}}\n' for n, (text, _) in enumerate(SENTENCES))
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nforbidden_functions:\n  社区: [罚款, 招商引资]\n",
            "entry-rules.yaml": "govlist: 1\nkind: entry-rules\nid: er\ntitle: 准入规则\ngovernment_only:\n  keywords: [罚款, 招商引资]\n",
            "community.yaml": "govlist: 1\nkind: community\nid: sq\ntitle: 社区工作事项清单\nlevel: 社区\nitems:\n" + items,
        }
    )
    expected = [f"N{n:02}" for n, (_, counts) in enumerate(SENTENCES) if counts]
    assert [code for *_, code in hits(report, "level.forbidden-function")] == expected
    assert [code for *_, code in hits(report, "community.government-power")] == expected


@pytest.mark.parametrize(("text", "counts"), SENTENCES)
def test_sentences(text, counts):
    assert bool(mentioned(text, TERMS)) is counts


@pytest.mark.parametrize("word", NEGATION_WORDS)
def test_each_negation_word_negates_what_follows_in_its_clause_only(word):
    assert mentioned(f"社区{word}罚款", TERMS) == []
    assert mentioned(f"社区{word}收取费用并罚款", TERMS) == []
    assert mentioned(f"社区{word}收取费用，协助罚款", TERMS) == ["罚款"]
    assert mentioned(f"罚款，社区{word}收取费用", TERMS) == ["罚款"]  # not what precedes it


@pytest.mark.parametrize("term", NOT_NEGATIONS)
def test_terms_that_start_like_a_negation_negate_nothing(term):
    assert mentioned(f"对{term}相关的罚款", TERMS) == ["罚款"]


def test_exception_word_negates_what_precedes_it_within_brackets():
    assert mentioned("罚款、招商引资除外", TERMS) == []
    assert mentioned("协助开展执法辅助工作（涉及罚款的除外）", TERMS) == []
    assert mentioned("罚款（涉密事项除外）", TERMS) == ["罚款"]  # the 除外 inside the brackets does not reach out
    assert mentioned("罚款，法律另有规定的除外", TERMS) == ["罚款"]  # nor into the previous clause
    assert mentioned(f"{EXCEPTION_WORD}来人口罚款", TERMS) == ["罚款"]  # before a term it negates nothing


@pytest.mark.parametrize("mark", ["，", ",", "。", "；", ";", "！", "!", "？", "?", "\n", "\r\n"])
def test_a_negation_does_not_carry_into_the_next_clause(mark):
    assert mentioned(f"社区不得收费{mark}协助执法中队罚款", TERMS) == ["罚款"]


@pytest.mark.parametrize("mark", ["、", "：", ":", "（", "）", " ", "　"])
def test_marks_that_do_not_end_a_clause(mark):
    assert mentioned(f"社区不承担{mark}罚款", TERMS) == []
    assert mentioned(f"街道全面取消招商引资{mark}罚款等职能", TERMS) == []


def test_a_negation_far_back_in_the_same_clause_still_counts():
    far = "社区不承担" + "由区城管执法局依法实施的" * 5 + "罚款"
    assert mentioned(far, TERMS) == []
    assert mentioned("社区不再承担招商引资、协税护税和经济发展指标任务", ("招商引资", "协税护税", "经济发展")) == []


def test_a_term_mentioned_twice_counts_when_one_mention_is_not_negated():
    assert mentioned("社区不承担罚款；协助执法中队罚款", TERMS) == ["罚款"]
    assert mentioned("协助执法中队罚款；社区不承担罚款", TERMS) == ["罚款"]
    assert mentioned("罚款（罚款除外）", TERMS) == ["罚款"]
    assert mentioned("不得罚款，不得罚款", TERMS) == []


def test_width_and_spaces():
    assert mentioned("招 商\t引　资", TERMS) == ["招商引资"]
    assert mentioned("社区不　得罚款", TERMS) == []
    assert mentioned("ＡＢＣ类罚款", ("ABC类罚款",)) == ["ABC类罚款"]
    assert mentioned("ABC类罚款", ("ＡＢＣ类罚款",)) == ["ＡＢＣ类罚款"]
    assert mentioned("社区不承担罚款！协助罚款", TERMS) == ["罚款"]
    assert mentioned("社區罰款", TERMS) == []  # Traditional characters are other characters


def test_terms_come_back_in_the_order_given_each_once():
    assert mentioned("罚款；招商引资；罚款", ("招商引资", "罚款", "招商引资")) == ["招商引资", "罚款"]
    assert mentioned("罚款", ("", " ")) == []


@pytest.mark.parametrize("rule_id", ["level.forbidden-function", "community.government-power"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_rules_document_the_whole_vocabulary(rule_id, lang):
    text = re.sub(r"\s+", "", RULES[rule_id].documentation(lang))
    for word in (*NEGATION_WORDS, EXCEPTION_WORD, *NOT_NEGATIONS):
        assert word in text, f"{rule_id} ({lang}) does not say that {word} is read as it is"


def test_mentioned_among_is_mentioned_of_each_text():
    texts = [text for text, _ in SENTENCES] + ["", "罚款", "罚\n款", "罚 款", "ＡＢＣ罚款", "罚款\n", "\n罚款", "招商引资罚款", "不得罚款，罚款"]
    expected = {number: found for number, text in enumerate(texts) if (found := mentioned(text, TERMS))}
    assert mentioned_among(texts, TERMS) == expected
    assert list(mentioned_among(texts, TERMS)) == sorted(expected)  # in the texts' order
    assert mentioned_among(texts, ["ABC", "罚款"]) == {n: f for n, t in enumerate(texts) if (f := mentioned(t, ["ABC", "罚款"]))}  # not ideographs only
    assert mentioned_among([], TERMS) == {}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="罚款招商引资不得，。 \n\tＡA除外（）罰", max_size=12), max_size=8))
def test_mentioned_among_agrees_with_mentioned_on_any_texts(texts):
    # a text the joined searches rule out is one mentioned rules out by its own first test: the two never differ
    assert mentioned_among(texts, TERMS) == {number: found for number, text in enumerate(texts) if (found := mentioned(text, TERMS))}
