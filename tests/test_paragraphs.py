"""A blank line ends a sentence before the parser runs, so a caption or headline is never
parsed into one sentence with the paragraph after it (sayso_paragraphs)."""

from __future__ import annotations

import spacy

from sayso.nlp import SPACY_MODEL, load_pipeline

TEXT = "Photo: Ana Costa\n\nThe mayor said the ferry terminal would close in June."


def test_without_it_the_parser_runs_across_the_break() -> None:
    """Why the component exists: the bare parser makes the caption and the next paragraph
    one sentence."""
    assert len(list(spacy.load(SPACY_MODEL)(TEXT).sents)) == 1


def test_a_blank_line_starts_a_sentence() -> None:
    doc = load_pipeline("rules")(TEXT)
    assert [s.text.strip() for s in doc.sents] == [
        "Photo: Ana Costa", "The mayor said the ferry terminal would close in June."]


def test_the_statement_keeps_to_its_paragraph() -> None:
    [said] = load_pipeline("rules")(TEXT)._.attributions
    assert (said.source.text, said.cue.text, said.content.text) == (
        "The mayor", "said", "the ferry terminal would close in June")


def test_a_single_line_break_does_not_start_a_sentence() -> None:
    doc = load_pipeline("rules")("The mayor said\nthat the terminal would close.")
    assert len(list(doc.sents)) == 1


def test_a_parsed_doc_keeps_the_parser_sentences() -> None:
    """Run again on a Doc that is already parsed (as when a later stage re-runs the pipeline),
    the component leaves it as it is instead of failing."""
    nlp = load_pipeline("rules")
    doc = spacy.load(SPACY_MODEL)(TEXT)
    assert nlp.get_pipe("sayso_paragraphs")(doc) is doc
    assert len(list(doc.sents)) == 1


def test_a_party_label_that_ends_a_sentence_ends_it() -> None:
    """ "..., D-Conn. Hobart, she said, ...": the label's full stop ends the sentence, so the
    speaker is the senator, not a phrase running on into the next name."""
    doc = load_pipeline("rules")(
        "\u201cIt is an old fight,\u201d said Sen. Mara Quill, D-Conn. Hobart, she said, "
        "\u201cknows his colleagues well.\u201d Rep. Tom Wu, R-N.Y., said no."
    )
    assert [s.text for s in doc.sents] == [
        "\u201cIt is an old fight,\u201d said Sen. Mara Quill, D-Conn.",
        "Hobart, she said, \u201cknows his colleagues well.\u201d",
        "Rep. Tom Wu, R-N.Y., said no.",
    ]
    assert doc._.attributions[0].source.text == "Sen. Mara Quill, D-Conn."
