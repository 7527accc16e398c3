"""sayso_framing: loaded spans, whose voice they are in, and the Task 11 span scorer."""

from __future__ import annotations

import pytest
import spacy

import sayso
from sayso.eval.framing import Scoreboard, SpanScore, merge, split_of
from sayso.nlp import SPACY_MODEL
from sayso.nlp.framing.component import FramingTagger
from sayso.nlp.framing.lexicon import lexicon_tags

OUTLET_TEXT = (
    "The council voted on Monday to close the old harbour bridge for repairs. Residents of the "
    "eastern district now face a ruthless and shameful campaign of evictions by the landlords, "
    "which has gone on for months. The works are due to finish in the spring of next year, and "
    "the ferry will run every hour until then."
)
QUOTE_TEXT = (
    "The mayor of the town spoke to reporters outside the hall on Tuesday afternoon. "
    '"What the landlords did to these families is a shameful and disgraceful betrayal," she said. '
    "The council will meet again next week to discuss the housing plan and the budget for it."
)


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    pipeline = spacy.load(SPACY_MODEL)
    pipeline.add_pipe("sayso_framing")
    return pipeline


def _covering(analysis: sayso.Analysis, word: str) -> list:
    start = analysis.article.text.index(word)
    return [f for f in analysis.framing if f.start <= start < f.end]


def test_loaded_words_in_the_outlets_voice() -> None:
    analysis = sayso.analyze(OUTLET_TEXT)
    found = _covering(analysis, "shameful")
    assert found and all(f.voice == "outlet" for f in found)
    assert found[0].technique == "loaded_language"
    assert found[0].text == analysis.article.text[found[0].start:found[0].end]
    ids = [f.id for f in analysis.framing if f.technique != "hedge"]
    assert ids == [f"f{i}" for i in range(1, len(ids) + 1)]
    assert not _covering(analysis, "ferry")


def test_a_loaded_word_in_a_quote_is_the_speakers() -> None:
    analysis = sayso.analyze(QUOTE_TEXT)
    word = analysis.article.text.index("disgraceful")
    holders = [a for a in analysis.attributions if a.content.start <= word < a.content.end]
    assert holders, "the quote should be a statement"
    found = _covering(analysis, "disgraceful")
    assert found and {f.voice for f in found} == {holders[0].id}


def test_a_lexicon_word_outside_quotes_is_the_outlets_with_the_lexicon_engine(nlp) -> None:
    doc = FramingTagger("lexicon")(nlp.make_doc("Critics called the brutal plan a farce."))
    assert [(f.text, f.voice) for f in doc._.framing] == [("brutal", "outlet"), ("farce", "outlet")]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!! ??? ...", '"', "\u201c" * 40, "42 17 3.5"])
def test_empty_and_odd_docs(nlp, text: str) -> None:
    doc = nlp(text)
    assert doc._.framing == []


def test_an_unclosed_quote_and_a_long_doc_do_not_break_it(nlp) -> None:
    doc = nlp('He said: "this brutal, shameful war ' + "and it went on " * 300)
    assert all(f.text == doc.text[f.start:f.end] for f in doc._.framing)
    assert [f.id for f in doc._.framing] == [f"f{i}" for i in range(1, len(doc._.framing) + 1)]


def test_lexicon_phrases_cover_all_their_tokens(nlp) -> None:
    doc = nlp.make_doc("The so-called reforms were a sham.")
    tags = lexicon_tags(doc)
    assert tags[1:4] == ["loaded_language"] * 3  # so - called
    assert tags[0] is None and tags[4] is None and tags[7] == "loaded_language"  # sham


def test_partial_overlap_credit() -> None:
    score = SpanScore()
    # One prediction of 10 characters, half inside the first of two gold spans of 10.
    score.add([(0, 10)], [(5, 15), (20, 30)])
    s = score.scores()
    assert (s["precision"], s["recall"]) == (0.5, 0.25)
    assert s["f1"] == round(2 * 0.5 * 0.25 / 0.75, 4)


def test_a_prediction_over_two_gold_spans_earns_both() -> None:
    score = SpanScore()
    score.add([(0, 20)], [(0, 5), (10, 20)])
    s = score.scores()
    assert s["precision"] == 0.75 and s["recall"] == 1.0


def test_overlapping_spans_are_merged_before_scoring() -> None:
    assert merge([(5, 8), (0, 4), (2, 6), (10, 12)]) == [(0, 8), (10, 12)]
    board = Scoreboard(("loaded_language", "name_calling"))
    board.add([(0, 4, "loaded_language")],
              [(0, 4, "loaded_language"), (2, 4, "name_calling"), (9, 12, "doubt")])
    report = board.report()
    assert report["loaded_language"]["f1"] == 1.0
    assert report["name_calling"]["predicted"] == 0 and report["name_calling"]["recall"] == 0.0
    assert report["overall"]["gold"] == 1 and report["overall"]["f1"] == 1.0


def test_the_split_is_deterministic_and_about_a_third() -> None:
    ids = [str(700000000 + 7919 * i) for i in range(600)]
    held = [i for i in ids if split_of(i) == "heldout"]
    assert held == [i for i in ids if split_of(i) == "heldout"]
    assert 150 < len(held) < 250
