"""Rules engine: content the parse hangs away from its cue, and what is no statement, on
invented sentences (one construction per test)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

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


@pytest.mark.parametrize("text", [
    "The governor has not said she would sign the bill.",
    "The airline declined to say why the flight was cancelled.",
    "The ministry refused to confirm that the talks had failed.",
])
def test_a_negated_or_refused_cue_reports_nothing_said(analyse, text):
    assert analyse(text) == []


def test_a_question_put_to_the_subject_is_not_their_statement(analyse):
    found = analyse("When asked on Monday whether he was overstating the debt, Ruiz said the "
                    "figure was right.")
    assert said(found) == [("Ruiz", "the figure was right")]


def test_an_attempt_to_confirm_is_no_statement(analyse):
    assert analyse("Attempts by the paper to confirm with the department that the pipes had "
                   "burst were stymied.") == []


@pytest.mark.parametrize("text", [
    "She arrived home to find her son asleep on the couch.",
    "The council may now find it necessary to raise taxes.",
])
def test_find_with_a_small_clause_is_no_finding(analyse, text):
    assert analyse(text) == []


def test_find_with_a_tensed_clause_is_a_finding(analyse):
    assert said(analyse("The auditors found the fund had lost money for years.")) == [
        ("The auditors", "the fund had lost money for years")]


def test_a_subject_the_parse_hung_on_a_time_phrase_stays_in_the_content(analyse):
    found = analyse("The rail chief said Thursday one of the mayor's ideas, to lower the track, "
                    "could save money.")
    assert said(found) == [
        ("The rail chief", "one of the mayor's ideas, to lower the track, could save money")]


def test_a_parenthetical_cue_parts_the_clause_it_interrupts(analyse):
    [found] = analyse("Almost all the money, the minister promised, will be returned to families.")
    assert found.content.text == (
        "Almost all the money, the minister promised, will be returned to families")
    assert [p.text for p in found.content.parts] == [
        "Almost all the money", "will be returned to families"]


def test_a_cue_after_its_clause_leaves_it_whole(analyse):
    [found] = analyse("The bridge will close in May, the mayor said on Monday.")
    assert (found.content.text, found.content.parts) == ("The bridge will close in May", [])


def test_you_in_the_narrative_asks_and_reports_nothing(analyse):
    assert analyse("The question was common for candidates to hear in the election: what do "
                   "you think of ride-hailing?") == []
    found = analyse('"You said the bridge would close," she told him.')
    assert ("You", "the bridge would close") in said(found)


@pytest.mark.parametrize("text", [
    "The council denied the builders a permit.",
    "Lawmakers denied the governor the votes needed to pass the budget.",
])
def test_denying_someone_something_is_no_denial(analyse, text):
    assert analyse(text) == []


def test_after_a_present_tense_aside_the_clause_goes_on(analyse):
    [found] = analyse("The pills have a narrow set of uses, she says, and are meant to be taken "
                      "only briefly.")
    assert [p.text for p in found.content.parts] == [
        "The pills have a narrow set of uses", "and are meant to be taken only briefly"]


def test_after_a_past_tense_aside_a_further_verb_is_the_speakers(analyse):
    assert analyse("We will find a way, he said, and left the room.") == []


def test_according_to_stops_where_someone_else_speaks(analyse):
    found = analyse(
        "According to the harbour board, the nine-minute target is met in most cases but "
        "Okonkwo says that is not what the union is seeing."
    )
    assert said(found) == [
        ("the harbour board", "the nine-minute target is met in most cases"),
        ("Okonkwo", "that is not what the union is seeing"),
    ]
    assert all(a.parent is None for a in found)  # Okonkwo's is no part of the board's


# "Regional trustee and parents advocate Luke Brooks told ...", as the small model parses such
# titles in some articles: "advocate" a verb, the name its object, the clause hung on the cue
MISREAD_TITLE = [  # word, tag, pos, lemma, head, dep, entity
    ("Regional", "JJ", "ADJ", "regional", 2, "amod", "O"),
    ("school", "NN", "NOUN", "school", 2, "compound", "O"),
    ("trustee", "NN", "NOUN", "trustee", 5, "nsubj", "O"),
    ("and", "CC", "CCONJ", "and", 2, "cc", "O"),
    ("parents", "NNS", "NOUN", "parent", 2, "conj", "O"),
    ("advocate", "VBP", "VERB", "advocate", 8, "ccomp", "O"),
    ("Luke", "NNP", "PROPN", "Luke", 7, "compound", "B-PERSON"),
    ("Brooks", "NNP", "PROPN", "Brooks", 5, "dobj", "I-PERSON"),
    ("told", "VBD", "VERB", "tell", 8, "ROOT", "O"),
    ("reporters", "NNS", "NOUN", "reporter", 8, "dative", "O"),
    ("the", "DT", "DET", "the", 11, "det", "O"),
    ("rules", "NNS", "NOUN", "rule", 12, "nsubj", "O"),
    ("favour", "VBP", "VERB", "favour", 8, "ccomp", "O"),
    ("owners", "NNS", "NOUN", "owner", 12, "dobj", "O"),
    (".", ".", "PUNCT", ".", 8, "punct", "O"),
]


def misread_title_doc(nlp) -> Doc:
    words, tags, pos, lemmas, heads, deps, ents = map(list, zip(*MISREAD_TITLE, strict=True))
    spaces = [True] * (len(words) - 2) + [False, False]
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, pos=pos, lemmas=lemmas,
               heads=heads, deps=deps, ents=ents)


def test_a_title_misread_as_a_clause_is_the_source_not_the_content(spacy_nlp):
    found = find_attributions(misread_title_doc(spacy_nlp))
    assert said(found) == [
        ("Regional school trustee and parents advocate Luke Brooks", "the rules favour owners")]
