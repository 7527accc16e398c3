"""Speakers and entities (sayso_entities) on invented articles, with hand-built attributions."""

from __future__ import annotations

import pytest

from sayso.model import Article, Attribution, Entity, SourceSpan, Span
from sayso.nlp.entities import countries
from sayso.nlp.entities.names import People, add_name, similar
from sayso.nlp.entities.resolver import EntityResolver

BORDER = (
    "Kenyan Foreign Minister Amina Wanjiru said on Monday that the border would stay open. "
    "Nairobi said the talks with its neighbour had stalled. "
    "Peter Otieno, a spokesman for the Kenyan police, told reporters that the gunmen had fled "
    "across the river. "
    "The minister later said that the Ugandan side had agreed to a joint patrol. "
    "Ugandan troops crossed the river at dawn, witnesses said. "
    "“We will not accept raids on our villages,” she said. "
    "Officials in Kampala rejected the account. "
    "“They are inventing incidents to distract voters,” they said. "
    "Wanjru said the African Union (AU) should send observers, and the AU said it was ready."
)

# (id, kind, sentence opening, source, cue, content, parent): phrases are found from the opening.
ATTRIBUTIONS = [
    ("A1", "indirect", "Kenyan Foreign", "Kenyan Foreign Minister Amina Wanjiru", "said",
     "that the border would stay open", None),
    ("A2", "indirect", "Nairobi", "Nairobi", "said", "the talks with its neighbour had stalled",
     None),
    ("A3", "indirect", "Peter", "Peter Otieno, a spokesman for the Kenyan police", "told",
     "that the gunmen had fled across the river", None),
    ("A4", "indirect", "The minister", "The minister", "said", "that the Ugandan side had agreed",
     None),
    ("A5", "indirect", "The minister", "the Ugandan side", "agreed", "to a joint patrol", "A4"),
    ("A6", "direct", "“We", "she", "said", "We will not accept raids on our villages", None),
    ("A7", "indirect", "Officials", "Officials in Kampala", "rejected", "the account", None),
    ("A8", "direct", "“They", "they", "said", "They are inventing incidents to distract voters",
     None),
    ("A9", "indirect", "“They", "They", "are inventing", "incidents to distract voters", "A8"),
    ("A10", "indirect", "Wanjru", "Wanjru", "said", "the African Union (AU) should send observers",
     None),
    ("A11", "indirect", "Wanjru", "the AU", "said it", "it was ready", None),
]


def _find(text: str, phrase: str, after: int) -> Span:
    start = text.index(phrase, after)
    return Span.of(text, start, start + len(phrase))


def _attributions(text: str, rows: list[tuple]) -> list[Attribution]:
    out = []
    for aid, kind, opening, source, cue, content, parent in rows:
        at = text.index(opening)
        src = _find(text, source, at)
        out.append(Attribution(aid, kind, SourceSpan(src.start, src.end, src.text),
                               _find(text, cue, at), _find(text, content, at), parent=parent))
    return out


def _analyse(nlp, text: str, rows: list[tuple], authors: list[str] | None = None):
    doc = nlp(text)
    doc._.article = Article(text=text, authors=authors or [])
    doc._.attributions = _attributions(text, rows)
    EntityResolver()(doc)
    return doc


@pytest.fixture(scope="module")
def border(spacy_nlp):
    return _analyse(spacy_nlp, BORDER, ATTRIBUTIONS, authors=["Jane Mbeki"])


def speaker(doc, aid: str) -> Entity:
    att = next(a for a in doc._.attributions if a.id == aid)
    return next(e for e in doc._.entities if e.id == att.source.entity)


def test_titled_name_gives_person_role_country_and_code(border):
    minister = speaker(border, "A1")
    assert (minister.name, minister.type, minister.country) == ("Amina Wanjiru", "PERSON", "KEN")
    assert minister.roles == ["Foreign Minister"]
    assert (minister.sector, minister.code) == ("GOV", "KEN GOV")


def test_misspelt_surname_is_the_same_person(border):
    assert speaker(border, "A10") is speaker(border, "A1")
    mentions = [m.text for m in speaker(border, "A1").mentions]
    assert "Wanjru" in mentions and "Amina Wanjiru" in mentions


def test_capital_as_speaker_is_its_country(border):
    nairobi = speaker(border, "A2")
    assert (nairobi.name, nairobi.type, nairobi.code) == ("Kenya", "COUNTRY", "KEN GOV")


def test_apposition_gives_role_and_country(border):
    otieno = speaker(border, "A3")
    assert otieno.name == "Peter Otieno"
    assert otieno.roles == ["spokesman for the Kenyan police"]
    assert otieno.country == "KEN"


def test_role_noun_goes_to_the_person_holding_the_role(border):
    assert speaker(border, "A4") is speaker(border, "A1")


def test_side_and_officials_in_capital_are_countries(border):
    assert speaker(border, "A5").name == "Uganda"
    assert speaker(border, "A7") is speaker(border, "A5")


def test_pronouns_follow_speakers_and_quotes(border):
    assert speaker(border, "A6") is speaker(border, "A1")  # "she" after "the minister"
    assert speaker(border, "A8") is speaker(border, "A7")  # "they" after officials in Kampala
    # inside a quote by Uganda, "They" is the most recent other collective speaker
    assert speaker(border, "A9").name == "Kenya"


def test_groups_keep_their_country_and_sector(border):
    troops = next(e for e in border._.entities if e.name == "Ugandan troops")
    assert (troops.type, troops.country, troops.code) == ("GROUP", "UGA", "UGA MIL")


def test_igo_acronym_folds_into_full_name(border):
    au = speaker(border, "A11")
    assert (au.name, au.type, au.sector) == ("African Union", "ORG", "IGO")
    assert sum(e.name in ("AU", "African Union") for e in border._.entities) == 1


def test_author_is_a_person_but_not_a_speaker(border):
    author = next(e for e in border._.entities if e.name == "Jane Mbeki")
    assert author.type == "PERSON" and author.roles == ["author"]
    assert all(a.source.entity != author.id for a in border._.attributions)


def test_ids_follow_first_mention(border):
    ids = [e.id for e in border._.entities]
    assert ids == [f"E{i}" for i in range(1, len(ids) + 1)]
    assert border._.entities[0].name == "Amina Wanjiru"


def test_same_surname_different_first_names_are_two_people():
    people = People()
    bill, hillary = add_name(people, "Bill Okello"), add_name(people, "Hillary Okello")
    assert bill is not hillary
    assert add_name(people, "Okello") is hillary  # the most recently named
    assert add_name(people, "Dmitry Okelo") is not bill


@pytest.mark.parametrize(("full", "short"), [
    ("Marco Di Santo", "Di Santo"), ("Ana de la Cruz", "De la Cruz"),
    ("Faisal al-Harbi", "Harbi"), ("Pieter van Dijk", "Van Dijk"),
])
def test_surname_particles_stay_with_the_surname(full, short):
    people = People()
    person = add_name(people, full)
    assert add_name(people, short) is person and person.canonical == full
    assert add_name(people, "Marta " + short.split()[-1]) is not person


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Sergei", "Sergey", True), ("Tchaikovskiy", "Tchaikovsky", True), ("Popov", "Petrov", False),
    ("Ruto", "Rutto", True), ("Odinga", "Odhiambo", False),
])
def test_name_spelling_variants(a, b, same):
    assert similar(a, b) is same


@pytest.mark.parametrize(("text", "iso3"), [
    ("Kenyan", "KEN"), ("Ugandans", "UGA"), ("the U.S.", "USA"), ("Kampala", "UGA"),
    ("Britons", "GBR"), ("Azeri", "AZE"), ("us", None), ("Kenya’s", "KEN"),
])
def test_country_lookup(text, iso3):
    assert countries.country_of(text) == iso3


def test_country_common_names():
    assert countries.country_name("RUS") == "Russia"
    assert countries.country_name("KEN") == "Kenya"


PORT = (
    "Senator Ana de la Cruz said the port deal was rushed. "
    "De la Cruz told reporters that the auditor had warned her in March that costs would rise. "
    "A spokeswoman for Governor Tomas Hill said the deal was sound. "
    "According to an audit report obtained by the Tribune, costs doubled."
)

PORT_ATTRIBUTIONS = [
    ("A1", "indirect", "Senator", "Senator Ana de la Cruz", "said", "the port deal was rushed",
     None),
    ("A2", "indirect", "De la", "De la Cruz", "told", "that the auditor had warned her", None),
    ("A3", "indirect", "De la", "the auditor", "warned", "that costs would rise", "A2"),
    ("A4", "indirect", "A spokeswoman", "A spokeswoman for Governor Tomas Hill", "said",
     "the deal was sound", None),
    ("A5", "according_to", "According", "an audit report obtained by the Tribune",
     "According to", "costs doubled", None),
]


@pytest.fixture(scope="module")
def port(spacy_nlp):
    return _analyse(spacy_nlp, PORT, PORT_ATTRIBUTIONS)


def test_particle_surname_is_one_person(port):
    assert speaker(port, "A1") is speaker(port, "A2")
    assert speaker(port, "A1").name == "Ana de la Cruz"


def test_unnamed_role_noun_is_a_person_with_that_role(port):
    auditor = speaker(port, "A3")
    assert (auditor.type, auditor.roles) == ("PERSON", ["auditor"])


def test_name_inside_a_modifier_is_not_the_source(port):
    spokeswoman, report = speaker(port, "A4"), speaker(port, "A5")
    hill = next(e for e in port._.entities if e.name == "Tomas Hill")
    assert spokeswoman is not hill and spokeswoman.type == "PERSON"
    assert spokeswoman.roles[0].startswith("spokeswoman")
    assert report.name == "audit report obtained by the Tribune"


VOTE = (
    "Zambia's main opposition party said on Tuesday it would boycott the recount. "
    "The Zambian Elections Authority dismissed the complaint. "
    "Its director, Professor Mary Tembo, told reporters that all ballots had been sealed. "
    "Tembo said observers had watched every count. "
    "The authority said the recount would start on Friday. "
    "A spokeswoman for the governing party, Joyce Lungu, said the boycott was a stunt. "
    "The ruling party said it would respect the result."
)

VOTE_ATTRIBUTIONS = [
    ("A1", "indirect", "Zambia's", "Zambia's main opposition party", "said",
     "it would boycott the recount", None),
    ("A2", "indirect", "Its director", "Its director, Professor Mary Tembo", "told",
     "that all ballots had been sealed", None),
    ("A3", "indirect", "Tembo said", "Tembo", "said", "observers had watched every count", None),
    ("A4", "indirect", "The authority", "The authority", "said",
     "the recount would start on Friday", None),
    ("A5", "indirect", "A spokeswoman", "A spokeswoman for the governing party, Joyce Lungu",
     "said", "the boycott was a stunt", None),
    ("A6", "indirect", "The ruling", "The ruling party", "said", "it would respect the result",
     None),
]


@pytest.fixture(scope="module")
def vote(spacy_nlp):
    return _analyse(spacy_nlp, VOTE, VOTE_ATTRIBUTIONS)


def test_party_phrase_is_an_organisation_of_its_country(vote):
    party = speaker(vote, "A1")
    assert (party.type, party.country, party.sector) == ("ORG", "ZMB", "PTY")
    assert (speaker(vote, "A6").type, speaker(vote, "A6").sector) == ("ORG", "PTY")
    assert speaker(vote, "A6") is not party  # the ruling party is not the opposition


def test_role_and_titled_name_in_apposition_is_the_person(vote):
    tembo = speaker(vote, "A2")
    assert (tembo.name, tembo.type) == ("Mary Tembo", "PERSON")
    assert "director" in tembo.roles
    assert all("," not in r for r in tembo.roles)
    assert speaker(vote, "A3") is tembo


def test_definite_description_names_the_earlier_organisation(vote):
    authority = speaker(vote, "A4")
    assert authority.name == "Zambian Elections Authority"
    assert sum(e.type == "ORG" and "uthority" in e.name for e in vote._.entities) == 1


def test_spokesperson_takes_the_sector_of_the_body_named(vote):
    lungu = speaker(vote, "A5")
    assert (lungu.name, lungu.sector) == ("Joyce Lungu", "PTY")


LAB = (
    "Issaka Zongo, a research associate at the clinic in Ouagadougou, said the vaccine cut "
    "infections by half. "
    "The head of the national health board, Bintou Kabore, said the board would review them."
)

LAB_ATTRIBUTIONS = [
    ("A1", "indirect", "Issaka", "Issaka Zongo, a research associate at the clinic in "
     "Ouagadougou", "said", "the vaccine cut infections by half", None),
    ("A2", "indirect", "The head", "The head of the national health board, Bintou Kabore",
     "said", "the board would review them", None),
]


def test_untagged_names_with_a_role_in_apposition_are_people(spacy_nlp):
    doc = _analyse(spacy_nlp, LAB, LAB_ATTRIBUTIONS)
    researcher, head = speaker(doc, "A1"), speaker(doc, "A2")
    assert (researcher.name, researcher.type, researcher.sector) == (
        "Issaka Zongo", "PERSON", "EDU")
    assert (head.name, head.type) == ("Bintou Kabore", "PERSON")
    assert head.roles == ["head of the national health board"]


PANEL = (
    "Okonkwo Baralt, who chairs the water board, said the dam was safe.\n\n"
    "HERRERA: We have not seen the inspection report.\n\n"
    "Exports fell by 8 percent in May, which shows that the drought is spreading."
)

PANEL_ATTRIBUTIONS = [
    ("A1", "indirect", "Okonkwo", "Okonkwo Baralt", "said", "the dam was safe", None),
    ("A2", "direct", "HERRERA", "HERRERA", ":", "We have not seen the inspection report.", None),
    ("A3", "indirect", "Exports", "Exports fell by 8 percent in May", "shows",
     "that the drought is spreading", None),
]


@pytest.fixture(scope="module")
def panel(spacy_nlp):
    return _analyse(spacy_nlp, PANEL, PANEL_ATTRIBUTIONS)


def test_name_with_a_who_clause_is_a_person(panel):
    chair = speaker(panel, "A1")
    assert (chair.name, chair.type) == ("Okonkwo Baralt", "PERSON")


def test_capitalised_transcript_label_is_a_person(panel):
    label = speaker(panel, "A2")
    assert (label.name, label.type) == ("HERRERA", "PERSON")


def test_clause_as_source_names_nobody(panel):
    clause = next(a for a in panel._.attributions if a.id == "A3")
    assert clause.source.entity is None
    assert not any(e.name.startswith("Exports") for e in panel._.entities)


BOARDS = (
    "Mirela Danu, the head of the water board, said the dam was safe. "
    "Tarek Sousa, the head of the teachers union, said schools would close. "
    "The head of the water board said repairs would start in June."
)

BOARD_ATTRIBUTIONS = [
    ("A1", "indirect", "Mirela", "Mirela Danu, the head of the water board", "said",
     "the dam was safe", None),
    ("A2", "indirect", "Tarek", "Tarek Sousa, the head of the teachers union", "said",
     "schools would close", None),
    ("A3", "indirect", "The head of the water board said", "The head of the water board", "said",
     "repairs would start in June", None),
]


def test_role_noun_prefers_the_holder_of_the_same_body(spacy_nlp):
    doc = _analyse(spacy_nlp, BOARDS, BOARD_ATTRIBUTIONS)
    assert speaker(doc, "A3") is speaker(doc, "A1")
    assert speaker(doc, "A3") is not speaker(doc, "A2")


@pytest.mark.parametrize(("full", "short", "title", "same"), [
    ("Kim Jong-un", "Kim", None, True),  # the first word, when no one else has it
    ("Ana Garcia-Lopez", "Garcia", None, True),  # one part of a double surname
    ("Andres Manuel Lopez Obrador", "Lopez Obrador", None, True),  # the last words
    ("John Smith", "J. Smith", None, True),  # an initial
    ("John Smith", "Smith", "f", False),  # "Mrs Smith" is not John
    ("John Smith", "Jane Smith", None, False),
])
def test_name_forms_of_one_person(full, short, title, same):
    people = People()
    person = add_name(people, full)
    assert (add_name(people, short, title) is person) is same


def test_first_word_is_no_one_when_two_people_share_it():
    people = People()
    add_name(people, "Mary Jones"), add_name(people, "Mary Okafor")
    assert add_name(people, "Mary").canonical == "Mary"
