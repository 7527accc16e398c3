"""Rules engine: content the parse hangs away from its cue, and what is no statement, on
invented sentences (one construction per test)."""

from __future__ import annotations

import pytest

from sayso.model import Attribution
from sayso.nlp.attribution.rules import find_attributions


@pytest.fixture
def analyse(spacy_nlp):
    def run(text: str) -> list[Attribution]:
        return find_attributions(spacy_nlp(text))

    return run


def said(attributions: list[Attribution]) -> list[tuple[str | None, str]]:
    return [(a.source.text if a.source else None, a.content.text) for a in attributions]


def test_that_clause_hung_on_the_medium_noun(analyse):
    found = analyse(
        "Bob Smith, the clerk, said the council met on Monday. He said in a statement that "
        "the new mayor would be sworn in on Jan. 31."
    )
    assert ("He", "that the new mayor would be sworn in on Jan. 31") in said(found)


def test_that_clause_hung_on_the_person_told(analyse):
    found = analyse(
        "He told ABC’s “Good Evening” show on Thursday that he wasn’t rude and that he has "
        "nothing to hide."
    )
    assert said(found) == [("He", "that he wasn’t rude and that he has nothing to hide")]


def test_gerund_subject_clause_is_the_content(analyse):
    found = analyse(
        "Rangers head coach Tom Hale said having Rick Olsen back on the blue-line was a big boost."
    )
    assert said(found) == [
        ("Rangers head coach Tom Hale", "having Rick Olsen back on the blue-line was a big boost")
    ]


@pytest.mark.parametrize(
    "text",
    ["The debt is far higher than the city says it is.",
     "Costs are lower than the agency says they are."],
)
def test_comparison_with_what_was_said_is_no_statement(analyse, text):
    assert analyse(text) == []


def test_clause_of_the_paragraph_before_is_not_the_content(analyse):
    found = analyse(
        "“They would say rude things, and it was just accepted there.”\n\nJane Doe, the "
        "student seen in the video as she stood beside the coach, has said she heard no one "
        "from the team shout anything hateful."
    )
    reported = [a for a in found if a.cue and a.cue.text == "said"]
    assert [a.content.text for a in reported] == [
        "she heard no one from the team shout anything hateful"
    ]


def test_short_quote_right_after_its_cue_clause_is_a_further_part(analyse):
    [a] = analyse("“He carried most of the load,” she said. “I was super-green.”")
    assert [p.text for p in a.content.parts] == ["“He carried most of the load,”",
                                                   "“I was super-green.”"]


def test_short_quote_further_on_is_still_a_phrase(analyse):
    found = analyse(
        "“We will finish the bridge by spring,” the mayor said.\n\n“Pure fantasy.”"
    )
    assert [a.content.text for a in found if a.cue is None] == []
