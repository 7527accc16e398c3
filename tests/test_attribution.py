"""Attribution extraction on invented news sentences, one phenomenon per test."""

from __future__ import annotations

import pytest

from sayso.model import Attribution
from sayso.nlp.attribution.quotes import find_quotes
from sayso.nlp.attribution.rules import PRIOR, find_attributions


@pytest.fixture
def analyse(spacy_nlp):
    def run(text: str) -> list[Attribution]:
        return find_attributions(spacy_nlp(text))

    return run


def by_cue(attributions: list[Attribution], cue: str) -> Attribution:
    found = [a for a in attributions if a.cue and a.cue.text == cue]
    assert found, f"no attribution with cue {cue!r} in {[a.cue for a in attributions]}"
    return found[0]


def test_quote_with_trailing_cue_addressee_and_time(analyse):
    text = (
        "“The harvest will be the worst in a decade,” the agriculture minister told reporters "
        "on Friday."
    )
    [a] = analyse(text)
    assert (a.kind, a.id, a.cue.text) == ("direct", "A1", "told")
    assert a.source.text == "the agriculture minister"
    assert a.content.text.startswith("“The harvest") and a.content.text.endswith("decade,”")
    assert a.addressee.text == "reporters"
    assert a.time.text == "on Friday"
    assert text[a.content.start : a.content.end] == a.content.text


def test_multi_sentence_quote_and_added(analyse):
    text = (
        "“Prices rose sharply. We did not expect it. Nobody did,” he added.\n\n"
        "The market closed early."
    )
    [a] = analyse(text)
    assert a.kind == "direct" and a.source.text == "he" and a.cue.text == "added"
    assert "We did not expect it" in a.content.text


def test_cue_before_quote_with_medium_and_time(analyse):
    text = (
        "Kenyan Finance Minister Joseph Mwangi said in televised remarks on March 3, 2023: "
        "“The budget will protect the poorest households.”"
    )
    [a] = analyse(text)
    assert a.kind == "direct"
    assert a.source.text == "Kenyan Finance Minister Joseph Mwangi"
    assert a.medium.text == "televised remarks"
    assert a.time.text == "on March 3, 2023"


def test_quote_over_two_paragraphs_is_one_passage():
    text = "“The first part goes on.\n\n“And the second part ends here,” she said."
    [quote] = find_quotes(text)
    assert (quote.start, quote.end) == (0, text.index(",” she") + 2)


def test_floating_quote_continues_previous_speaker(analyse):
    text = (
        "“We will rebuild the bridge by spring,” the mayor of Lyon said.\n\n"
        "“The city cannot wait another winter for a crossing.”\n\n"
        "Traffic was diverted."
    )
    first, floating = analyse(text)
    assert floating.cue is None and floating.kind == "direct"
    assert floating.source.text == "the mayor of Lyon"
    assert floating.content.text.startswith("“The city cannot wait")


def test_indirect_that_clause_and_conjoined_cue(analyse):
    text = (
        "Peruvian officials have denied the report and announced that the border would reopen "
        "next week."
    )
    attributions = analyse(text)
    denied, announced = by_cue(attributions, "denied"), by_cue(attributions, "announced")
    assert denied.content.text == "the report"
    assert announced.source.text == "Peruvian officials"
    assert announced.content.text == "that the border would reopen next week"
    assert announced.kind == "indirect"


def test_wh_clause_and_content_before_cue(analyse):
    attributions = analyse(
        "The ministry explained why the flights were cancelled. "
        "Three trains were delayed by snow, the operator said."
    )
    explained, said = by_cue(attributions, "explained"), by_cue(attributions, "said")
    assert explained.content.text == "why the flights were cancelled"
    assert said.source.text == "the operator"
    assert said.content.text == "Three trains were delayed by snow"


def test_mixed_paraphrase_with_quoted_tail(analyse):
    [a] = analyse("The coach has said the team played poorly, so “nobody deserves a day off.”")
    assert a.kind == "mixed" and a.source.text == "The coach"
    assert "the team played poorly" in a.content.text and "nobody deserves" in a.content.text


def test_according_to_person_but_not_data(analyse):
    attributions = analyse(
        "According to the harbour master, two ships collided in the fog. "
        "According to 2019 figures, about 400 ships use the port."
    )
    [a] = attributions
    assert a.kind == "according_to" and a.cue.text == "According to"
    assert a.source.text == "the harbour master"
    assert a.content.text == "two ships collided in the fog"


def test_according_to_at_sentence_end(analyse):
    [a] = analyse("The dam was built in 1962, according to local historians.")
    assert a.source.text == "local historians"
    assert a.content.text == "The dam was built in 1962"


def test_participial_cue_inside_quote_is_nested(analyse):
    text = (
        "“They tried to excuse the delay by claiming that the trucks had broken down,” "
        "the governor said."
    )
    attributions = analyse(text)
    outer, inner = by_cue(attributions, "said"), by_cue(attributions, "claiming")
    assert inner.source.text == "They"
    assert inner.content.text == "that the trucks had broken down"
    assert inner.parent == outer.id and outer.parent is None


def test_participle_governed_by_verb_takes_its_subject(analyse):
    [a] = analyse("The farmers appealed to the court claiming that the land was theirs.")
    assert a.source.text == "The farmers" and a.cue.text == "claiming"


def test_noun_cue_with_owner(analyse):
    [a] = analyse("Analysts doubted the company's claim that profits would double.")
    assert a.cue.text == "claim" and a.source.text == "the company"
    assert a.content.text == "that profits would double"


def test_nominal_object_only_for_listed_verbs(analyse):
    attributions = analyse(
        "The general ruled out the involvement of foreign troops. The general said nothing."
    )
    [a] = attributions
    assert a.cue.text == "ruled out" and a.content.text == "the involvement of foreign troops"


def test_scare_quotes_are_not_statements(analyse):
    assert analyse("The so-called “reform package” passed without debate.") == []


def test_ids_in_text_order(analyse):
    attributions = analyse(
        "The union said wages were too low. The employer insisted that wages were fair."
    )
    assert [a.id for a in attributions] == ["A1", "A2"]
    assert [a.cue.text for a in attributions] == ["said", "insisted"]


def test_parenthetical_cue_inside_its_clause(analyse):
    text = "The new port, the transport minister said, will open in the autumn."
    [a] = analyse(text)
    assert a.cue.text == "said" and a.source.text == "the transport minister"
    assert a.content.text.startswith("The new port") and "open in the autumn" in a.content.text


def test_transcript_speaker_label(analyse):
    attributions = analyse(
        "MORALES: We never agreed to those terms.\n\nWASHINGTON: The talks resumed on Monday."
    )
    [a] = attributions
    assert (a.cue.text, a.source.text) == (":", "MORALES")
    assert a.content.text == "We never agreed to those terms."


def test_call_for_and_call_x_y(analyse):
    attributions = analyse(
        "The opposition called for a recount. The mayor called the decision a disgrace."
    )
    assert [a.content.text for a in attributions] == ["a recount", "the decision a disgrace"]
    assert [a.source.text for a in attributions] == ["The opposition", "The mayor"]


def test_mixed_content_keeps_the_closing_quote(analyse):
    [a] = analyse("The judge said the ruling was “final and binding.”")
    assert a.kind == "mixed"
    assert a.content.text == "the ruling was “final and binding.”"


def test_verb_inside_a_quote_does_not_report_the_quote(analyse):
    [a] = analyse("“We will find a buyer for the mill, but it will take time,” the owner added.")
    assert (a.kind, a.cue.text, a.source.text) == ("direct", "added", "the owner")
    assert a.parent is None


def test_parenthetical_needs_punctuation_and_may_name_the_addressee(analyse):
    [aside] = analyse("The new bridge, she told reporters, will open in May.")
    assert aside.cue.text == "told" and aside.content.text.startswith("The new bridge")
    [told] = analyse("The mayor told reporters that the engineer had warned her in March.")
    assert told.cue.text == "told" and told.content.text.startswith("that the engineer")


def test_quote_opened_curly_and_closed_straight(analyse):
    text = '“The strike is over," the union said. Its leader said that wages would rise.'
    [quote] = find_quotes(text)
    assert text[quote.start : quote.end] == '“The strike is over,"' and quote.closed
    direct, indirect = analyse(text)
    assert direct.kind == "direct" and direct.content.text == '“The strike is over,"'
    assert indirect.parent is None


def test_inverted_cue_after_quote_takes_the_subject_outside_it(analyse):
    [direct] = analyse(  # the speaker's own "I think" is part of the quote, not a statement
        "“In recent years, I think the ministry has focused on roads, but we still have "
        "potholes,” said Ortega."
    )
    assert (direct.kind, direct.source.text) == ("direct", "Ortega")


def test_transcript_line_is_direct_speech_holding_nested_statements(analyse):
    line, think = analyse("MORALES: We never agreed to those terms, and I think they know it.")
    assert (line.kind, line.source.text) == ("direct", "MORALES")
    assert (think.source.text, think.parent) == ("I", line.id)


def test_doubled_single_quotes_mark_a_quote(analyse):
    text = (
        "Filing no return at all ''was simply prudent,'' the developer Tomas Ekdahl said on "
        "Friday. ''We followed the law,'' said Ines Varga, his lawyer."
    )
    [quote, _] = find_quotes(text)
    assert text[quote.start : quote.end] == "''was simply prudent,''"
    said = {a.source.text: a for a in analyse(text) if a.cue.text == "said"}
    lawyer = said["Ines Varga, his lawyer"]
    assert (lawyer.kind, lawyer.content.text) == ("direct", "''We followed the law,''")


def test_relative_clause_is_cut_from_the_source(analyse):
    text = "Halima Oduya, who was elected in March, said the port would reopen next week."
    assert by_cue(analyse(text), "said").source.text == "Halima Oduya"


def test_sentential_which_refers_to_its_clause_not_a_date(analyse):
    text = "Rice exports dropped by 12 percent in April, which shows that the drought is spreading."
    shows = by_cue(analyse(text), "shows")
    assert shows.source.text == "Rice exports dropped by 12 percent in April"


def test_capitalised_transcript_label_tagged_as_a_verb_still_speaks(analyse):
    text = "The host spoke to a farmer.\n\nKOWALSKI: The fields are still under water."
    label = by_cue(analyse(text), ":")
    assert (label.source.text, label.content.text) == (
        "KOWALSKI", "The fields are still under water.")


def test_date_before_a_statement_noun_is_not_its_speaker(analyse):
    text = "Monday's announcement that bus fares would double angered commuters in the capital."
    assert all(a.source is None or "Monday" not in a.source.text for a in analyse(text))


@pytest.mark.parametrize("text", [
    "“The harbour will reopen in May,” the port director Lena Fisk said on Monday, “and the "
    "ferries will run again by June.”",
    "“The harbour will reopen in May,” the port director Lena Fisk said — “and the ferries "
    "will run again by June.”",
    "“The harbour will reopen in May,” said the port director Lena Fisk. “The ferries will run "
    "again by June.”",
])
def test_quote_split_by_its_cue_is_one_statement_with_two_parts(analyse, text):
    [a] = analyse(text)
    assert (a.kind, a.cue.text, a.source.text) == ("direct", "said", "the port director Lena Fisk")
    first, second = a.content.parts
    assert first.text == "“The harbour will reopen in May,”"
    assert second.text.startswith("“") and second.text.endswith("by June.”")
    assert (a.content.start, a.content.end) == (first.start, second.end)
    for span in (a.content, first, second):
        assert text[span.start : span.end] == span.text
    assert a.confidence is not None and 0 < a.confidence <= 1


def test_statement_inside_the_second_part_is_nested_in_it(analyse):
    text = "“The deal is dead,” the senator said, “and I told the minister that it was over.”"
    attributions = analyse(text)
    said, told = by_cue(attributions, "said"), by_cue(attributions, "told")
    assert len(said.content.parts) == 2 and told.parent == said.id


def test_quote_after_a_cue_of_its_own_is_a_statement_of_its_own(analyse):
    said, adding = analyse(
        "“Prices will fall,” the minister said, adding: “The worst is behind us now.”")
    assert (said.cue.text, said.content.parts) == ("said", [])
    assert (adding.cue.text, adding.content.text) == ("adding", "“The worst is behind us now.”")


def test_quote_after_another_sentence_is_a_statement_of_its_own(analyse):
    text = (
        "“We will stay,” the harbour master said. The crowd cheered loudly. “Nobody can make us "
        "leave this town.”"
    )
    said, floating = analyse(text)
    assert said.content.parts == [] and said.content.text == "“We will stay,”"
    assert (floating.cue, floating.source.text) == (None, "the harbour master")


def test_confidence_is_a_prior_per_pass(analyse):
    text = (
        "“We will rebuild the bridge by spring,” the mayor of Lyon said.\n\n"
        "“The city cannot wait another winter for a crossing.”\n\n"
        "The council said that the vote would be held in June."
    )
    quoted, floating, reported = analyse(text)
    assert quoted.confidence == PRIOR["quoted"] > reported.confidence == PRIOR["reported"]
    assert reported.confidence > floating.confidence == PRIOR["floating"]


# --- issue 8: quotes and their edges on unseen news ------------------------------------------


def test_quote_after_a_paraphrase_continues_its_speaker(analyse):
    text = (
        "Port director Dana Whitfield said the bridge would reopen in May.\n\n"
        '"We have checked every bolt twice. Nothing was left to chance."'
    )
    said, quote = analyse(text)
    assert said.kind == "indirect" and said.source.text == "Port director Dana Whitfield"
    assert (quote.kind, quote.cue, quote.parent) == ("direct", None, None)
    assert quote.source.text == "Port director Dana Whitfield"
    assert quote.content.text.startswith('"We have checked')
    assert quote.confidence == PRIOR["floating"]


def test_quote_over_several_paragraphs_has_one_part_per_paragraph(analyse):
    text = (
        'Dana Whitfield said: "The bridge is safe. We checked every bolt.\n\n'
        '"The ferry will stop on Friday.\n\n"Nobody will lose a job."'
    )
    [a] = analyse(text)
    assert a.kind == "direct" and a.source.text == "Dana Whitfield"
    assert [p.text for p in a.content.parts] == [
        '"The bridge is safe. We checked every bolt.',
        '"The ferry will stop on Friday.',
        '"Nobody will lose a job."',
    ]
    assert all(text[p.start : p.end] == p.text and "\n" not in p.text for p in a.content.parts)


def test_a_belief_inside_a_quote_does_not_report_that_quote(analyse):
    text = (
        "Karl Mertens said it was good to be back.\n\n"
        '"It was never fun to sit out and it was a little unfair I think. '
        'But I made the most of it and I watched the games."'
    )
    found = analyse(text)
    assert not [a for a in found if a.cue and a.cue.text == "think" and a.parent is None]
    quote = next(a for a in found if a.content.text.startswith('"It was never fun'))
    assert quote.source.text == "Karl Mertens"  # carried on, not "I"


def test_link_lines_captions_and_page_furniture_are_no_statements(analyse):
    text = (
        "The mayor opened the bridge on Monday.\n\n"
        "READ MORE: Minister says the port will close next year\n\n"
        "WATCH: Residents say the new bridge is too loud\n\n"
        "Story continues below advertisement\n\n"
        "A photo shows the minister leaving the building.\n\n"
        "Residents said the new bridge was too loud."
    )
    [a] = analyse(text)
    assert (a.source.text, a.content.text) == ("Residents", "the new bridge was too loud")


def test_a_heading_in_capitals_is_no_speaker_label_but_a_surname_is(analyse):
    text = (
        "WHAT COMES NEXT: Stocks fell sharply across Asia on Tuesday as traders sold shares.\n\n"
        "PORT VOTE: The harbour board will hold a vote on the port in May.\n\n"
        "ANALYSIS: The sale would leave the city without a harbour of its own.\n\n"
        "OKAFOR: We will not sell the port to anyone."
    )
    [a] = analyse(text)  # a stop word, a word the article writes in lower case, a label word
    assert (a.source.text, a.cue.text) == ("OKAFOR", ":")


def test_quoted_as_saying_makes_the_passive_subject_the_speaker(analyse):
    text = (
        '"The port will stay open," harbour master Lena Okafor was quoted as saying in the '
        "statement."
    )
    [a] = analyse(text)
    assert a.kind == "direct" and a.cue.text == "saying"
    assert a.source.text == "harbour master Lena Okafor"


def test_manner_of_speaking_verbs_are_cues(analyse):
    [a] = analyse('"I should have been a sailor," quipped the mayor, who grew up inland.')
    assert (a.kind, a.cue.text, a.source.text) == ("direct", "quipped", "the mayor")


@pytest.mark.parametrize(
    "text",
    [
        "“I think the plan is fair,” the senator said.",
        "“I can assure you that nobody will lose their job,” the director said.",
        "“We believe the river is safe again,” said the council.",
    ],
)
def test_speakers_own_belief_or_assurance_inside_their_quote_is_no_statement(analyse, text):
    [quote] = analyse(text)
    assert quote.kind == "direct" and quote.source.text in ("the senator", "the director",
                                                            "the council")


def test_past_report_inside_a_quote_stays_a_nested_statement(analyse):
    quote, said = analyse("“I said it would fail, and I was right,” the senator said.")
    assert said.cue.text == "said" and said.parent == quote.id


def test_per_attributes_like_according_to_but_not_a_rate(analyse):
    [per] = analyse("The bridge will reopen in May, per the city council.")
    assert (per.kind, per.source.text, per.cue.text) == ("according_to", "the city council", "per")
    assert per.content.text == "The bridge will reopen in May"
    assert analyse("Rents rose 4 per cent in the first half of the year.") == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The mayor appealed for calm after the storm.", "appealed", "calm"),
        ("Nurses warned of a shortage of beds this winter.", "warned", "a shortage of beds"),
        ("The union blamed the delays on the software.", "blamed", "the delays on the software"),
        ("She spoke out about the treatment of farm workers.", "spoke out",
         "the treatment of farm workers"),
        ("The firm disputed the figures in the audit.", "disputed", "the figures"),
        ("The rivals accused the mayor of hiding the losses.", "accused", "hiding the losses"),
    ],
)
def test_cues_with_a_prepositional_or_noun_content(analyse, text, cue, content):
    [found] = analyse(text)
    assert (found.cue.text, found.content.text) == (cue, content)


def test_passive_cue_takes_its_agent_as_source_and_subject_as_content(analyse):
    [found] = analyse("The warning was announced by the coast guard on Sunday.")
    assert (found.source.text, found.content.text) == ("the coast guard", "The warning")


def test_second_cue_in_one_sentence_is_a_statement_of_its_own(analyse):
    said, added = analyse(
        "Lopez said that the school would close and added that the pupils would be moved."
    )
    assert said.content.text == "that the school would close"
    assert (added.source.text, added.content.text, added.parent) == (
        "Lopez", "that the pupils would be moved", None)


def test_quote_after_a_colon_belongs_to_the_clause_subject(analyse):
    [found] = analyse('The coach was blunt: "We played badly and we deserved to lose."')
    assert (found.kind, found.source.text, found.cue.text) == ("direct", "The coach", ":")
    assert analyse('The verdict was clear: "Guilty on all counts."') == []


def test_participle_on_a_statement_noun_takes_the_issuer_as_source(analyse):
    [found] = analyse("The agency issued a statement saying the tests were safe.")
    assert (found.source.text, found.content.text) == ("The agency", "the tests were safe")


def test_capitals_heading_over_a_market_report_is_no_speaker(analyse):
    text = (
        "Stocks fell on Tuesday as energy prices slid.\n\n"
        "ENERGY: Crude oil fell 40 cents to $52 a barrel in electronic trading."
    )
    assert [a for a in analyse(text) if a.cue and a.cue.text == ":"] == []


def test_rejecting_a_bill_is_no_statement_but_rejecting_a_claim_is(analyse):
    assert analyse("Lawmakers rejected the budget bill on Tuesday.") == []
    [found] = analyse("The minister rejected the claims of the opposition.")
    assert found.content.text == "the claims of the opposition"


def test_nominal_cue_with_no_speaker_is_no_statement(analyse):
    assert analyse("A vote praising the workers came late on Friday.") == []


def test_quote_signed_with_a_dash_and_a_name_is_that_persons(analyse):
    text = (
        "The paper asked readers what they thought of the debate.\n"
        "“It was loud and nobody listened to anybody.” ― Maria Ostrova, 52, nurse\n"
        "“I learned nothing new tonight.” — Tom Reyes"
    )
    signed = [a for a in analyse(text) if a.cue and a.cue.text in ("―", "—")]
    assert [(a.source.text, a.kind) for a in signed] == [
        ("Maria Ostrova", "direct"), ("Tom Reyes", "direct")]
    assert signed[0].content.text == "“It was loud and nobody listened to anybody.”"


def test_holders_picks_the_smallest_piece_holding_the_cue_and_longer_than_the_content():
    from sayso.nlp.attribution.rules import holders

    probes = [(0, 4), (20, 24), (30, 34), (200, 204)]
    sizes = [100, 40, 10, 5]
    pieces = [[(10, 110)], [(25, 65)], [(36, 46)], [(210, 215)]]
    # statement 2's cue (30, 34) lies in pieces of 0 and 1: the smaller, 1, holds it;
    # 1's cue (20, 24) lies only in 0's piece; nothing holds 0's cue or 3's
    assert holders(probes, sizes, pieces) == [None, 0, 1, None]
    assert holders([(30, 34)], [200], [[(30, 34)]]) == [None]  # not itself
