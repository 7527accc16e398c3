"""PLOVER events on invented sentences, with entities and attributions set by hand."""

from __future__ import annotations

import json
import re

import pytest

from sayso.model import Article, Attribution, Entity, Place, SourceSpan, Span, TimeExpr
from sayso.nlp.events.coder import EventTagger

COUNTRIES = {
    "Kenya": ("KEN", ["Kenya", "Kenyan", "Nairobi"]),
    "Uganda": ("UGA", ["Uganda", "Ugandan"]),
    "Tanzania": ("TZA", ["Tanzania"]),
    "Peru": ("PER", ["Peru", "Peruvian"]),
    "Chile": ("CHL", ["Chile", "Chilean", "Santiago"]),
    "Bolivia": ("BOL", ["Bolivia", "Bolivian"]),
    "Norway": ("NOR", ["Norway", "Norwegian"]),
    "Ghana": ("GHA", ["Ghana", "Ghanaian"]),
}


def _spans(text: str, phrase: str) -> list[Span]:
    return [Span.of(text, m.start(), m.end()) for m in re.finditer(rf"\b{phrase}\b", text)]


def _entities(text: str) -> list[Entity]:
    """One country entity per country named in the text, mentioned by name or demonym."""
    out = []
    for n, (name, (iso, forms)) in enumerate(COUNTRIES.items()):
        mentions = [s for form in forms for s in _spans(text, form)]
        if mentions:
            out.append(Entity(f"E{n}", name, "COUNTRY", iso, mentions=mentions))
    return out


def _attribution(text: str, aid: str, source: str, cue: str, content: str,
                 entity: str | None = None, parent: str | None = None) -> Attribution:
    src = _spans(text, source)[0]
    return Attribution(aid, "indirect", SourceSpan(src.start, src.end, src.text, entity),
                       _spans(text, cue)[0], Span.of(text, text.index(content),
                                                     text.index(content) + len(content)),
                       parent=parent)


@pytest.fixture
def analyse(spacy_nlp):
    """Parse text, set the upstream stages' output by hand, run the event component."""

    def run(text: str, attributions=(), times=(), places=()):
        doc = spacy_nlp(text)
        doc._.article = Article(text=text)
        doc._.entities = _entities(text)
        doc._.attributions = list(attributions)
        doc._.times = list(times)
        doc._.places = list(places)
        return doc, EventTagger()(doc)._.events

    return run


def _codes(doc, ids: list[str]) -> set[str]:
    countries = {e.id: e.country for e in doc._.entities}
    return {countries[i] for i in ids}


def _one(events, type_: str):
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, [(e.type, e.anchor.text) for e in events]
    return found[0]


@pytest.mark.parametrize("text,type_,actor,recipient", [
    ("Kenya and Uganda agreed to share the fishing rights of the lake.", "AGREE", "KEN UGA", None),
    ("Peruvian officials met with Chilean diplomats in a border town.", "CONSULT", "PER", "CHL"),
    ("Norway praised Ghana for its election reform.", "SUPPORT", "NOR", "GHA"),
    ("The Kenyan government apologized to Uganda for the raid.", "CONCEDE", "KEN", "UGA"),
    ("Peru cooperated with Chile on the rescue of the miners.", "COOPERATE", "PER", "CHL"),
    ("Norway donated vaccines to Ghana last week.", "AID", "NOR", "GHA"),
    ("Ugandan troops withdrew from the disputed island.", "RETREAT", "UGA", None),
    ("Chile urged Bolivia to reopen its consulate.", "REQUEST", "CHL", "BOL"),
    ("Bolivia accused Chile of spying on its navy.", "ACCUSE", "BOL", "CHL"),
    ("Chile rejected Bolivia's proposal for a new port.", "REJECT", "CHL", "BOL"),
    ("Bolivia threatened Peru with a trade embargo.", "THREATEN", "BOL", "PER"),
    ("Ghanaian farmers protested against Norway's fishing fleet.", "PROTEST", "GHA", "NOR"),
    ("Norway imposed sanctions on Bolivia over the dispute.", "SANCTION", "NOR", "BOL"),
    ("Kenya deployed soldiers to the coast.", "MOBILIZE", "KEN", None),
    ("Chilean police arrested six Bolivian students.", "COERCE", "CHL", "BOL"),
    ("Ugandan rebels attacked a Kenyan convoy near the border.", "ASSAULT", "UGA", "KEN"),
])
def test_each_type_with_its_actor_and_recipient(analyse, text, type_, actor, recipient):
    doc, events = analyse(text)
    event = _one(events, type_)
    assert _codes(doc, event.actors) == set(actor.split())
    assert _codes(doc, event.recipients) == ({recipient} if recipient else set())
    assert event.modality == "asserted" and event.reported_by is None
    assert event.sentence.text == text


def test_compound_actors_of_a_passive_participle(analyse):
    text = "The pact signed on Friday by Kenya, Uganda and Tanzania ends the dispute."
    doc, events = analyse(text)
    event = _one(events, "AGREE")
    assert event.anchor.text == "signed"
    assert _codes(doc, event.actors) == {"KEN", "UGA", "TZA"}


def test_anchor_spans_governor_verb_and_recipient(analyse):
    text = "Ugandan soldiers began firing on Kenyan herders at dawn."
    doc, events = analyse(text)
    event = _one(events, "ASSAULT")
    assert event.anchor.text == "began firing on Kenyan herders"
    assert event.mode == "firearms"
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})


def test_recipient_is_the_owner_named_inside_the_object(analyse):
    text = "Chilean gunboats shelled the fishing villages of Peru overnight."
    doc, events = analyse(text)
    assert _codes(doc, _one(events, "ASSAULT").recipients) == {"PER"}


def test_moved_object_is_not_a_recipient(analyse):
    text = "Kenya deployed Ugandan-trained troops to the coast."
    doc, events = analyse(text)
    assert _one(events, "MOBILIZE").recipients == []


@pytest.mark.parametrize("text,type_,modality", [
    ("Chile intends to reject the Bolivian offer.", "REJECT", "planned"),
    ("Ugandan troops allegedly attacked a Kenyan village.", "ASSAULT", "alleged"),
    ("Ugandan troops did not attack the Kenyan village.", "ASSAULT", "negated"),
    ("Ugandan troops could attack the Kenyan village.", "ASSAULT", "hypothetical"),
    ("If Bolivia attacks the port, Chile will respond.", "ASSAULT", "hypothetical"),
    ("The rebels wanted Ugandan troops to attack the Kenyan village.", "ASSAULT", "hypothetical"),
])
def test_modality_from_the_clause(analyse, text, type_, modality):
    _, events = analyse(text)
    assert _one(events, type_).modality == modality


@pytest.mark.parametrize("text,type_", [
    ("The Peruvian president will visit Chile in May.", "AGREE"),
    ("Kenya plans to attack the rebel camps in Uganda.", "THREATEN"),
    ("Uganda says it is willing to withdraw its troops from the island.", "AGREE"),
    ("Chile said it would lift the curfew.", "AGREE"),
])
def test_planned_events_take_the_manuals_type(analyse, text, type_):
    """The PLOVER manual codes promised cooperation as AGREE and intended force as THREATEN;
    its CAMEO2PLOVER table puts a promised retreat or concession (CAMEO 035, "express intent
    to yield") under AGREE too."""
    _, events = analyse(text)
    assert _one(events, type_).modality == "planned"


def test_claimed_event_and_its_accusation(analyse):
    text = "Kenya claimed that Ugandan soldiers attacked a Kenyan patrol."
    att = _attribution(text, "A1", "Kenya", "claimed", "Ugandan soldiers attacked a Kenyan patrol",
                       entity="E0")
    doc, events = analyse(text, attributions=[att])
    accuse = _one(events, "ACCUSE")
    assert accuse.reported_by is None and accuse.modality == "asserted"
    assert (_codes(doc, accuse.actors), _codes(doc, accuse.recipients)) == ({"KEN"}, {"UGA"})
    attack = _one(events, "ASSAULT")
    assert attack.reported_by == "A1" and attack.modality == "claimed"


def test_denied_event_is_never_asserted(analyse):
    text = "Uganda denied that its soldiers attacked the Kenyan patrol."
    att = _attribution(text, "A1", "Uganda", "denied", "its soldiers attacked the Kenyan patrol",
                       entity="E1")
    doc, events = analyse(text, attributions=[att])
    reject = _one(events, "REJECT")
    assert _codes(doc, reject.actors) == {"UGA"}
    attack = _one(events, "ASSAULT")
    assert attack.modality == "denied" and attack.reported_by == "A1"


def test_denial_without_an_attribution_still_counts(analyse):
    _, events = analyse("Uganda denied that its soldiers attacked the Kenyan patrol.")
    assert _one(events, "ASSAULT").modality == "denied"


def test_reported_by_is_the_innermost_statement(analyse):
    text = ("The minister said Bolivian officials told him that Chilean troops "
            "had fired on the convoy.")
    outer = _attribution(text, "A1", "The minister", "said",
                         "Bolivian officials told him that Chilean troops had fired on the convoy")
    inner = _attribution(text, "A2", "Bolivian officials", "told",
                         "Chilean troops had fired on the convoy", entity="E5", parent="A1")
    _, events = analyse(text, attributions=[outer, inner])
    assert _one(events, "ASSAULT").reported_by == "A2"


def test_speech_act_takes_the_resolved_speaker_as_actor(analyse):
    """A pronoun speaker resolved by attribution names the actor of its own cue verb."""
    text = "Chile sent a note. It rejected Bolivia's demands on Monday."
    att = _attribution(text, "A1", "It", "rejected", "Bolivia's demands", entity="E4")
    doc, events = analyse(text, attributions=[att])
    reject = _one(events, "REJECT")
    assert reject.anchor.text == "rejected Bolivia's demands"
    assert (_codes(doc, reject.actors), _codes(doc, reject.recipients)) == ({"CHL"}, {"BOL"})


def test_time_and_place_from_the_sentence(analyse):
    text = "Kenyan police arrested three Ugandan traders in Kisumu on 3 May 2021."
    place = Place("P1", text.index("Kisumu"), text.index("Kisumu") + 6, "Kisumu", country="KEN")
    start = text.index("3 May 2021")
    time = TimeExpr("T1", start, start + 10, "3 May 2021", "DATE", "2021-05-03", "day")
    duration = TimeExpr("T2", 0, 5, "Kenya", "DURATION", "P1D")  # never a date for an event
    _, events = analyse(text, times=[duration, time], places=[place])
    event = _one(events, "COERCE")
    assert (event.place, event.time, event.mode) == ("P1", "T1", "arrest")


def test_a_place_inside_an_organisation_name_is_not_where_it_happened(analyse):
    text = "Kenyan police arrested three traders at the Kisumu Chamber of Commerce."
    start = text.index("Kisumu")
    place = Place("P1", start, start + 6, "Kisumu", country="KEN", kind="modifier")
    _, events = analyse(text, places=[place])
    assert _one(events, "COERCE").place is None


def test_noun_event_carried_by_a_support_verb(analyse):
    doc, events = analyse("Ugandan forces launched an offensive against Kenyan rebels.")
    event = _one(events, "ASSAULT")
    assert event.anchor.text == "launched an offensive against Kenyan rebels"
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})


def test_no_event_without_a_lexicon_trigger(analyse):
    _, events = analyse("Kenya has a long coastline and a growing tourism industry.")
    assert events == []


def test_ids_follow_text_order(analyse):
    _, events = analyse("Chile condemned the raid and Peru withdrew its ambassador from Bolivia.")
    assert [e.id for e in events] == ["V1", "V2"]
    assert [e.type for e in events] == ["ACCUSE", "RETREAT"]


def test_plover_export_record(analyse, tmp_path):
    """`sayso export --format plover`: codes, date with granularity, say-so and modality."""
    from sayso.export import WRITERS
    from sayso.pipeline import analysis_of

    text = "Kenya claimed that Ugandan soldiers attacked a Kenyan patrol on 3 May 2021."
    att = _attribution(text, "A1", "Kenya", "claimed", "Ugandan soldiers attacked a Kenyan patrol",
                       entity="E0")
    start = text.index("3 May 2021")
    time = TimeExpr("T1", start, start + 10, "3 May 2021", "DATE", "2021-05-03", "day")
    doc, _ = analyse(text, attributions=[att], times=[time])
    out = tmp_path / "events.jsonl"
    WRITERS["plover"]([analysis_of(doc)], out)
    records = {r["event_type"]: r for r in map(json.loads, out.read_text().splitlines())}
    attack = records["ASSAULT"]
    assert [a["country"] for a in attack["actors"]] == ["UGA"]
    assert [a["country"] for a in attack["recipients"]] == ["KEN"]
    assert (attack["event_date"], attack["date_granularity"]) == ("2021-05-03", "day")
    assert attack["reported_by"] == {"attribution": "A1", "speaker": "Kenya"}
    assert attack["modality"] == "claimed" and attack["sentence"] == text
    assert records["ACCUSE"]["reported_by"] is None


def test_subjectless_verb_after_a_verbless_root_terminates(spacy_nlp):
    """The reduced-relative repair walks up from the previous word; a nominal root ends it."""
    from spacy.tokens import Doc

    words = ["Week", "of", "grief", "shelled", "towns"]
    doc = Doc(spacy_nlp.vocab, words=words, heads=[0, 0, 1, 0, 3],
              deps=["ROOT", "prep", "pobj", "acl", "dobj"],
              pos=["NOUN", "ADP", "NOUN", "VERB", "NOUN"], tags=["NN", "IN", "NN", "VBD", "NNS"],
              lemmas=["week", "of", "grief", "shell", "town"])
    events = EventTagger()(doc)._.events
    assert [(e.type, e.actors) for e in events] == [("ASSAULT", [])]


def _names(doc, ids: list[str]) -> list[str]:
    names = {e.id: e.name for e in doc._.entities}
    return [names[i] for i in ids]


def test_subject_naming_no_entity_becomes_a_group_actor(analyse):
    doc, events = analyse("Striking dock workers blocked the main road to the port.")
    event = _one(events, "PROTEST")
    assert _names(doc, event.actors) == ["Striking dock workers"]
    new = next(e for e in doc._.entities if e.id == event.actors[0])
    assert new.type == "GROUP" and new.mentions[0].text == "Striking dock workers"
    assert len({e.id for e in doc._.entities}) == len(doc._.entities)
    assert event.recipients == []  # a road is not whom the event reaches


def test_new_group_keeps_its_nationality_and_drops_its_clause(analyse):
    doc, events = analyse("Two Malian smugglers who crossed at night attacked a patrol.")
    event = _one(events, "ASSAULT")
    assert _names(doc, event.actors) == ["Two Malian smugglers"]
    assert _codes(doc, event.actors) == {"MLI"}


def test_recipient_group_made_only_for_people(analyse):
    doc, events = analyse("Kenyan police arrested the student protesters outside the court.")
    event = _one(events, "COERCE")
    assert _codes(doc, event.actors) == {"KEN"}
    assert _names(doc, event.recipients) == ["student protesters"]


def test_pronoun_subject_is_the_governing_clause_subject(analyse):
    doc, events = analyse("Norway said on Monday that it had sent food aid to Ghana.")
    event = _one(events, "AID")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"NOR"}, {"GHA"})


def test_recipient_preposition_hung_on_the_object(analyse):
    doc, events = analyse("Officials explained why Peru had not provided military assistance "
                          "to Bolivia.")
    event = _one(events, "AID")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"PER"}, {"BOL"})


@pytest.mark.parametrize("text,type_", [
    ("Uganda suspended half of its trade with Tanzania.", "SANCTION"),
    ("Chile lifted the state of emergency in the northern provinces.", "CONCEDE"),
    ("Ghana has halted fuel shipments to Norway.", "SANCTION"),
    ("Bolivia and Peru established diplomatic relations in 1990.", "SUPPORT"),
    ("Norway will share intelligence with Kenya on piracy.", "AGREE"),
    ("About two hundred militia fighters surrendered to Kenyan troops.", "RETREAT"),
    ("The nurses' association called off its walkout at Kenyan hospitals.", "CONCEDE"),
    ("Tanzania accepted the demands of the striking nurses.", "CONCEDE"),
])
def test_object_and_particle_conditions_pick_the_type(analyse, text, type_):
    _, events = analyse(text)
    _one(events, type_)


@pytest.mark.parametrize("text", [
    "Chile lifted the heavy crates onto the lorry.",
    "Ghana gave a warm speech at the summit.",
    "Kenya accepted the award at a ceremony.",
])
def test_general_verbs_without_their_objects_trigger_nothing(analyse, text):
    _, events = analyse(text)
    assert events == []


# --- issue 14: rules on the cue with its arguments ------------------------------------------


def test_passive_agent_acts_and_subject_receives(analyse):
    doc, events = analyse("A Kenyan convoy was ambushed by Ugandan rebels near the border.")
    event = _one(events, "ASSAULT")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})


def test_verb_coordinated_with_a_passive_takes_its_subject_not_its_agent(analyse):
    doc, events = analyse("Kenya was condemned by Uganda and withdrew its troops from the island.")
    assert _codes(doc, _one(events, "RETREAT").actors) == {"KEN"}
    assert _codes(doc, _one(events, "ACCUSE").actors) == {"UGA"}


def test_coordinated_actors_and_recipients(analyse):
    doc, events = analyse("Kenyan and Ugandan troops attacked Tanzania and Ghana.")
    event = _one(events, "ASSAULT")
    assert _codes(doc, event.actors) == {"KEN", "UGA"}
    assert _codes(doc, event.recipients) == {"TZA", "GHA"}


@pytest.mark.parametrize("text", [
    "Kenya refused to meet the Ugandan delegation.",
    "Kenya failed to reach an agreement with Uganda on the lake.",
])
def test_refused_cooperation_is_a_rejection(analyse, text):
    doc, events = analyse(text)
    assert "CONSULT" not in {e.type for e in events} and "AGREE" not in {e.type for e in events}
    rejections = [e for e in events if e.type == "REJECT"]
    assert rejections and all(_codes(doc, e.actors) == {"KEN"} for e in rejections)
    assert any(_codes(doc, e.recipients) == {"UGA"} for e in rejections)


def test_plain_negation_keeps_the_type(analyse):
    doc, events = analyse("Kenya did not attack the Ugandan convoy.")
    event = _one(events, "ASSAULT")
    assert event.modality == "negated"


@pytest.mark.parametrize("text,type_", [
    ("Kenya launched a mediation effort between Uganda and Tanzania.", "CONSULT"),
    ("Kenyan troops engaged in heavy fighting with Ugandan rebels.", "ASSAULT"),
    ("Bolivia announced the withdrawal of its troops from the border.", "RETREAT"),
])
def test_noun_triggers(analyse, text, type_):
    doc, events = analyse(text)
    event = _one(events, type_)
    assert _codes(doc, event.actors) == {COUNTRIES[doc._.entities[0].name][0]}


def test_stated_obligation_is_a_request_of_the_speaker(analyse):
    text = "Kenya said Uganda must pay for the damaged boats."
    att = _attribution(text, "A1", "Kenya", "said", "Uganda must pay for the damaged boats",
                       entity="E0")
    doc, events = analyse(text, attributions=[att])
    event = _one(events, "REQUEST")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"KEN"}, {"UGA"})


def test_perfect_have_is_no_obligation(analyse):
    text = "Kenya said Uganda has attacked its boats."
    att = _attribution(text, "A1", "Kenya", "said", "Uganda has attacked its boats", entity="E0")
    doc, events = analyse(text, attributions=[att])
    assert "REQUEST" not in {e.type for e in events}
    assert _codes(doc, _one(events, "ASSAULT").actors) == {"UGA"}


def test_recipient_from_the_governed_act(analyse):
    doc, events = analyse("Norway threatened to deliver heavy blows to Ghana.")
    event = _one(events, "THREATEN")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"NOR"}, {"GHA"})


def test_actor_code_from_a_countrys_government(spacy_nlp):
    """With no entity named, "the Norwegian government" becomes a GOV actor of Norway."""
    text = "The Norwegian government expelled two diplomats."
    doc = spacy_nlp(text)
    doc._.article, doc._.entities, doc._.attributions = Article(text=text), [], []
    doc._.times, doc._.places = [], []
    event = _one(EventTagger()(doc)._.events, "SANCTION")
    actor = {e.id: e for e in doc._.entities}[event.actors[0]]
    assert (actor.country, actor.sector, actor.code) == ("NOR", "GOV", "NOR GOV")


def test_protest_lodged_with_a_government_is_diplomatic(analyse):
    doc, events = analyse("Kenya lodged a formal protest with Uganda over the arrests.")
    event = _one(events, "ACCUSE")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"KEN"}, {"UGA"})
    assert "PROTEST" not in {e.type for e in events}


def test_protest_as_the_purpose_of_a_gathering_is_a_protest(analyse):
    doc, events = analyse("Thousands of Kenyan farmers marched through the capital to protest "
                          "the new tax.")
    assert "ACCUSE" not in {e.type for e in events}
    assert all(_codes(doc, e.actors) == {"KEN"} for e in events if e.type == "PROTEST")


def test_a_thing_is_never_the_actor(analyse):
    """The police act in "police used tear gas to disperse": the gas is what they use."""
    doc, events = analyse("Ugandan police used tear gas to disperse the Kenyan demonstrators.")
    event = _one(events, "COERCE")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})


def test_purpose_clause_gives_the_recipient(analyse):
    doc, events = analyse("Ugandan soldiers opened fire to drive back the Kenyan patrol.")
    event = _one(events, "ASSAULT")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})


def test_the_nation_of_a_rejected_thing_is_the_recipient(spacy_nlp):
    text = "Chile rejected a Bolivian ultimatum on the port."
    doc = spacy_nlp(text)
    doc._.article, doc._.attributions, doc._.times, doc._.places = Article(text=text), [], [], []
    doc._.entities = [e for e in _entities(text) if e.name == "Chile"]
    event = _one(EventTagger()(doc)._.events, "REJECT")
    names = {e.id: (e.name, e.country) for e in doc._.entities}
    assert [names[i] for i in event.recipients] == [("Bolivian", "BOL")]


def test_a_pronoun_actor_is_the_subject_of_the_clause_above_its_own(analyse):
    text = "Uganda says it is ready to withdraw its troops from the island."
    att = _attribution(text, "A1", "Uganda", "says", "it is ready to withdraw its troops",
                       entity="E1")
    doc, events = analyse(text, attributions=[att])
    assert _codes(doc, _one(events, "AGREE").actors) == {"UGA"}


def test_event_noun_as_the_measure_of_a_supported_object(analyse):
    doc, events = analyse("Kenyan and Ugandan warships launched ten days of naval exercises.")
    event = _one(events, "COOPERATE")
    assert _codes(doc, event.actors) == {"KEN", "UGA"}


@pytest.mark.parametrize("text,type_,modality", [
    ("Kenya may halt the talks with Uganda if the raids go on.", "THREATEN", "hypothetical"),
    ("Kenya may halt the talks with Uganda.", "SANCTION", "hypothetical"),
])
def test_a_conditional_forceful_act_is_a_threat(analyse, text, type_, modality):
    doc, events = analyse(text)
    event = _one(events, type_)
    assert (_codes(doc, event.actors), event.modality) == ({"KEN"}, modality)


def test_protest_with_a_stated_clause_is_verbal(analyse):
    doc, events = analyse("Kenya protested that Ugandan boats had entered its waters.")
    assert _codes(doc, _one(events, "ACCUSE").actors) == {"KEN"}
    assert "PROTEST" not in {e.type for e in events}


@pytest.mark.parametrize("text", [
    "The Ghanaian government declared martial law in the north.",
    "The Ghanaian government declared a state of emergency in the north.",
])
def test_martial_law_is_coercion(analyse, text):
    doc, events = analyse(text)
    assert _codes(doc, _one(events, "COERCE").actors) == {"GHA"}


# --- issue 14: arguments from the parse, the manual's types, lexicon coverage -------------


def test_adjective_of_the_object_is_read_by_the_lexicon(analyse):
    doc, events = analyse("Kenya imposed martial law in the north.")
    assert _one(events, "COERCE").mode == "restrict"


def test_protest_as_the_purpose_of_an_event_noun_is_done_by_its_holders(spacy_nlp):
    """The parser often hangs "to protest" on the rally as a relative clause: its doers are
    whoever gathered for it, and the act stays a street protest."""
    from spacy.tokens import Doc

    words = ["Farmers", "gathered", "for", "a", "rally", "to", "protest", "the", "tax"]
    doc = Doc(spacy_nlp.vocab, words=words, heads=[1, 1, 1, 4, 2, 6, 4, 8, 6],
              deps=["nsubj", "ROOT", "prep", "det", "pobj", "aux", "relcl", "det", "dobj"],
              pos=["NOUN", "VERB", "ADP", "DET", "NOUN", "PART", "VERB", "DET", "NOUN"],
              tags=["NNS", "VBD", "IN", "DT", "NN", "TO", "VB", "DT", "NN"],
              lemmas=["farmer", "gather", "for", "a", "rally", "to", "protest", "the", "tax"])
    events = EventTagger()(doc)._.events
    assert [(e.type, _names(doc, e.actors)) for e in events] == [("PROTEST", ["Farmers"])]


def test_governed_act_reads_its_own_moved_thing(analyse):
    doc, events = analyse("Kenya refused to impose import restrictions against the protesters.")
    assert _names(doc, _one(events, "REJECT").recipients) == ["protesters"]


def test_the_actor_named_inside_the_recipient_phrase_is_passed_over(analyse):
    from sayso.nlp.events.coder import EntityIndex

    doc, _ = analyse("Norway criticised the Norwegian dispute with Ghana.")
    index, dispute = EntityIndex(doc), doc[4]
    ids = {e.country: e.id for e in doc._.entities}
    assert index.phrase(dispute) == [ids["NOR"]]
    assert index.phrase(dispute, exclude=[ids["NOR"]]) == [ids["GHA"]]


@pytest.mark.parametrize("text,owner", [
    ("The rebels attacked army positions near the lake.", "army"),
    ("Chilean police raided the homes of the protesters.", "protesters"),
])
def test_the_owner_of_a_thing_is_the_recipient(analyse, text, owner):
    doc, events = analyse(text)
    event = next(e for e in events if e.recipients)
    assert _names(doc, event.recipients) == [owner]


def test_the_owner_of_a_part_of_a_thing(analyse):
    doc, events = analyse("Ugandan troops captured part of a rebel stronghold.")
    assert _names(doc, _one(events, "ASSAULT").recipients) == ["rebel"]


def test_a_purpose_is_pursued_where_its_agents_were_sent(analyse):
    doc, events = analyse("Norway sent inspectors to Ghana to investigate the mine.")
    event = _one(events, "ACCUSE")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"NOR"}, {"GHA"})


def test_promised_force_is_a_threat_not_an_agreement(analyse):
    doc, events = analyse("Uganda vowed to attack the rebel camps.")
    assert {e.type for e in events} == {"THREATEN"}
    assert all(_codes(doc, e.actors) == {"UGA"} for e in events)


@pytest.mark.parametrize("text,threat", [
    ("Norwegian scientists warned of a long drought.", False),
    ("Kenya warned Uganda against sending troops.", True),
])
def test_a_warning_of_a_danger_is_no_threat(analyse, text, threat):
    doc, events = analyse(text)
    assert ("THREATEN" in {e.type for e in events}) == threat


def test_striking_at_targets_is_an_assault(analyse):
    doc, events = analyse("Ugandan rebels strike only at military targets.")
    assert [e.type for e in events] == ["ASSAULT"]


@pytest.mark.parametrize("text,mobilized", [
    ("Kenya mobilized its reserves on Monday.", True),
    ("Kenya mobilized its supporters on Monday.", False),
])
def test_mobilizing_is_military(analyse, text, mobilized):
    doc, events = analyse(text)
    assert ("MOBILIZE" in {e.type for e in events}) == mobilized


def test_both_sides_between_act(analyse):
    doc, events = analyse("Heavy fighting broke out between Kenyan troops and Ugandan police.")
    event = _one(events, "ASSAULT")
    assert (_codes(doc, event.actors), event.recipients) == ({"KEN", "UGA"}, [])
    assert event.anchor.text.startswith("fighting broke")


@pytest.mark.parametrize("text,type_,mode", [
    ("Kenya launched air strikes on Uganda.", "ASSAULT", "aerial"),
    ("Kenya carried out a rocket attack on Uganda.", "ASSAULT", "heavy-weapons"),
    ("Kenyan teachers began a hunger strike.", "PROTEST", "strike"),
])
def test_a_weapon_makes_a_strike_an_assault(analyse, text, type_, mode):
    doc, events = analyse(text)
    assert _one(events, type_).mode == mode


def test_where_people_are_is_not_who_they_are(analyse):
    doc, events = analyse("Peru met with the rebels in Santiago.")
    event = _one(events, "CONSULT")
    assert _names(doc, event.recipients) == ["rebels"]


@pytest.mark.parametrize("text,type_", [
    ("Chile turned down Bolivia's offer of talks.", "REJECT"),
    ("Kenyan police rounded up Ugandan traders.", "COERCE"),
    ("Bolivia broke off relations with Chile.", "SANCTION"),
    ("Gunmen gunned down a Kenyan judge.", "ASSAULT"),
    ("Rebels blew up a bridge near the Ugandan border.", "ASSAULT"),
    ("Norway sent doctors to Ghana.", "AID"),
    ("Norway sent tents and blankets to Ghana.", "AID"),
    ("Ugandan rebels cut the power to the Kenyan town.", "COERCE"),
    ("Kenyan police sealed off the market.", "COERCE"),
    ("Soldiers bulldozed the homes of the villagers.", "ASSAULT"),
    ("Rioters burned the Norwegian embassy.", "ASSAULT"),
    ("Peru thanked Chile for its help.", "SUPPORT"),
    ("The rebels defied the Kenyan order.", "REJECT"),
    ("Kenya vowed to retaliate against Uganda.", "THREATEN"),
    ("Norway received a Ghanaian delegation.", "CONSULT"),
    ("Uganda snubbed the Kenyan envoy.", "REJECT"),
    ("Ugandan troops violated the ceasefire.", "ASSAULT"),
    ("Kenya received a team of observers from Uganda.", "RETREAT"),
])
def test_codebook_verbs(analyse, text, type_):
    doc, events = analyse(text)
    assert type_ in {e.type for e in events}, [(e.type, e.anchor.text) for e in events]


def test_eval_lists_errors_of_the_dev_split_only(capsys):
    import argparse

    from sayso.eval import events as ev

    args = argparse.Namespace(verbose=True, split="heldout", plover="-", limit=None)
    assert ev.run(args) == 2
    gold = ev.Record("r1", "text", "AGREE", [("Kenya", "KEN")], [("Uganda", "UGA")])
    ev._print_errors(gold, ev.Prediction("AGREE", [("Kenya", "KEN")], []), ev.Prediction())
    assert "[recipient]" in capsys.readouterr().err


def test_confidence_is_higher_when_the_event_has_both_its_parties(analyse):
    """The calibrated table: an event with actor and recipient is surer of its type than one
    missing its recipient, and every confidence lies in [0, 1]."""
    from sayso.nlp.events.coder import event_confidence

    _, events = analyse("Peru accused Chile of shelling its fishing villages.")
    full = _one(events, "ACCUSE")
    _, events = analyse("Chile protested on Tuesday.")
    lone = _one(events, "PROTEST")
    assert full.actors and full.recipients and lone.actors and not lone.recipients
    assert full.confidence == event_confidence(full.actors, full.recipients)
    assert 0 <= lone.confidence < full.confidence <= 1


def test_a_preposition_read_as_a_subordinator_names_the_recipient(analyse):
    """ "pushing for Uganda to withdraw": the parser reads "for" as the mark of a clause."""
    doc, events = analyse("Kenya is pushing for Uganda to withdraw its troops.")
    event = _one(events, "REQUEST")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"KEN"}, {"UGA"})


def test_a_verb_hung_on_a_verbless_root_is_the_main_verb(analyse):
    """The parser makes "Nurses" the root and "donated" a participle on "charities"."""
    doc, events = analyse("Nurses from two Kenyan charities donated and delivered medicine "
                          "to Uganda.")
    assert {e.type for e in events} == {"AID"}
    for event in events:
        assert _codes(doc, event.actors) == {"KEN"}
        assert _codes(doc, event.recipients) == {"UGA"}


def test_a_preposition_whose_object_was_read_as_a_clause_subject(spacy_nlp):
    """The parse the model gives "gave shelter to three officers hiding out in a house
    since ..." in a longer sentence: "officers" the subject of "hiding"."""
    from spacy.tokens import Doc

    from sayso.nlp.events.coder import prep_objects

    words = ["Peru", "gave", "shelter", "to", "officers", "hiding", "out", "in", "it"]
    heads = [1, 1, 1, 1, 5, 1, 5, 5, 7]
    deps = ["nsubj", "ROOT", "dobj", "prep", "nsubj", "advcl", "prt", "prep", "pobj"]
    doc = Doc(spacy_nlp.vocab, words=words, heads=heads, deps=deps)
    assert [t.text for t in prep_objects(doc[3])] == ["officers"]
    assert [t.text for t in prep_objects(doc[7])] == ["it"]


@pytest.mark.parametrize("text,codes", [
    ("Ali Hassan, an envoy of Kenya, met Ugandan officials.", {None, "KEN"}),
    ("Ali Hassan, the Kenyan envoy, met Ugandan officials.", {None, "KEN"}),
    ("Ali Hassan, the envoy to Uganda, met Kenyan officials.", {None}),
])
def test_a_title_in_an_appositive_names_the_party_a_person_acts_for(analyse, text, codes):
    doc, events = analyse(text)
    assert _codes(doc, _one(events, "CONSULT").actors) == codes


def test_an_obligation_stated_in_an_objects_content_clause(analyse):
    doc, events = analyse("Kenya issued a reminder to Uganda that it must withdraw its troops.")
    event = _one(events, "REQUEST")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"KEN"}, {"UGA"})


@pytest.mark.parametrize("text,type_", [
    ("Kenyan unions began a general strike.", "PROTEST"),  # a title as an adjective
    ("Kenya threatened to launch a fresh ground offensive.", "THREATEN"),  # its own act
])
def test_no_owner_is_made_of_a_title_or_of_the_actors_own_act(analyse, text, type_):
    _, events = analyse(text)
    assert _one(events, type_).recipients == []


def test_a_counted_object_read_as_the_object_of_up_to(spacy_nlp):
    """The parse the model gives "seized up to 12 engineers from a
    market": "up" a particle, "12 engineers" the object of "to"."""
    from spacy.tokens import Doc

    from sayso.nlp.events.coder import patient

    words = ["rebels", "seized", "up", "to", "12", "engineers"]
    deps = ["nsubj", "ROOT", "prt", "prep", "nummod", "pobj"]
    doc = Doc(spacy_nlp.vocab, words=words, heads=[1, 1, 1, 2, 5, 3], deps=deps)
    assert patient(doc[1]).text == "engineers"


def test_a_coordinated_event_noun_is_carried_with_the_first(analyse):
    doc, events = analyse("Ugandan forces launched tank, drone and rocket fire against "
                          "Kenyan camps near the border today.")
    event = _one(events, "ASSAULT")
    assert (_codes(doc, event.actors), _codes(doc, event.recipients)) == ({"UGA"}, {"KEN"})
