"""The per-Doc caches the components share (`sayso.nlp.spans`): they give what spaCy's own
attributes give, and span groups are rebuilt exactly when their records change."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from sayso.model import Quantity
from sayso.nlp.entities.spanindex import RangeCover
from sayso.nlp.spans import doc_text, token_column, write_span_groups

TEXT = ("Ferry operator Tomasz Wielgus said on Friday that “roughly 40 crossings” to Skarvik "
        "were cancelled.\n\nThe harbour authority did not confirm it. Wielgus added: we wait.")

COLUMNS = {
    "ORTH": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "ENT_TYPE": lambda t: t.ent_type_,
    "ENT_IOB": lambda t: t.ent_iob,
    "HEAD": lambda t: t.head.i,
    "IDX": lambda t: t.idx,
    "LENGTH": len,
    "IS_STOP": lambda t: t.is_stop,
    "IS_UPPER": lambda t: t.is_upper,
    "IS_TITLE": lambda t: t.is_title,
    "IS_LOWER": lambda t: t.is_lower,
    "IS_SPACE": lambda t: t.is_space,
}


@pytest.fixture(scope="module")
def doc(spacy_nlp) -> Doc:
    return spacy_nlp(TEXT)


@pytest.mark.parametrize("attr", sorted(COLUMNS))
def test_token_columns_are_the_token_attributes(doc: Doc, attr: str) -> None:
    assert token_column(doc, attr) == [COLUMNS[attr](t) for t in doc]


def test_heads_before_their_dependents_are_read_as_indices(doc: Doc) -> None:
    # HEAD is stored as an unsigned offset: a head to the left must not wrap round
    assert any(t.head.i < t.i for t in doc)
    assert all(0 <= h < len(doc) for h in token_column(doc, "HEAD"))


def test_doc_text_is_the_text(doc: Doc) -> None:
    assert doc_text(doc) == doc.text == TEXT
    assert doc_text(doc) is doc_text(doc)


def test_empty_doc_has_empty_columns(spacy_nlp) -> None:
    empty = spacy_nlp("")
    assert token_column(empty, "LOWER") == [] and token_column(empty, "HEAD") == []


def _quantity(qid: str, phrase: str) -> Quantity:
    start = TEXT.index(phrase)
    return Quantity(id=qid, start=start, end=start + len(phrase), text=phrase, value=40.0)


def test_span_groups_follow_their_records(spacy_nlp) -> None:
    doc = spacy_nlp(TEXT)
    doc._.quantities = [_quantity("Q1", "40")]
    write_span_groups(doc)
    first = doc.spans["sayso_quantities"]
    assert [(s.text, s.id_) for s in first] == [("40", "Q1")]
    write_span_groups(doc)  # nothing changed: the group is kept as it was
    assert doc.spans["sayso_quantities"] is first
    doc._.quantities[0].id = "Q7"  # a record changed in place is laid out again
    write_span_groups(doc)
    assert [s.id_ for s in doc.spans["sayso_quantities"]] == ["Q7"]
    doc._.quantities.append(_quantity("Q8", "roughly 40"))
    write_span_groups(doc)
    assert [s.text for s in doc.spans["sayso_quantities"]] == ["40", "roughly 40"]
    del doc.spans["sayso_quantities"]  # a group someone removed is written again
    write_span_groups(doc)
    assert len(doc.spans["sayso_quantities"]) == 2


def test_range_cover_answers_as_a_scan_of_every_range() -> None:
    ranges = [(3, 9), (5, 6), (12, 20), (14, 15), (30, 31), (30, 40), (41, 41)]
    cover = RangeCover(reversed(ranges))
    for char in range(-1, 45):
        assert cover.holds(char) == any(s <= char < e for s, e in ranges), char
        assert cover.holds(char, strict=True) == any(s < char < e for s, e in ranges), char
    assert not RangeCover([]).holds(0)
