"""The voices of an article: chains of custody, hedges, conditionals, claims and counter-claims,
the outlet's own assertions and the one-sidedness summary, on text written for these tests."""

from __future__ import annotations

import pytest

import sayso
from sayso.model import Analysis, Attribution, Framing
from sayso.nlp.voices.assertions import find_assertions
from sayso.schema import validate_analysis
from sayso.store import open_store


def analyze(text: str, url: str | None = None) -> Analysis:
    return sayso.analyze(text, url=url, published="2024-05-02")


def statement(analysis: Analysis, words: str) -> Attribution:
    """The innermost statement whose content holds `words`."""
    found = [a for a in analysis.attributions if words in a.content.text]
    assert found, f"no statement holds {words!r}: {[a.content.text for a in analysis.attributions]}"
    return min(found, key=lambda a: len(a.content.text))


def speaker_name(analysis: Analysis, teller: str) -> str:
    names = {e.id: e.name for e in analysis.entities}
    return names.get(teller, teller)


# --- chains of custody -------------------------------------------------------------------


def test_via_with_one_link_names_the_outlet_from_the_url_and_the_speaker():
    a = analyze("The mayor of Dunmore said on Tuesday that the old ferry pier would be closed "
                "for repairs until the end of the summer season.",
                url="https://www.example-herald.org/news/pier")
    pier = statement(a, "pier would be closed")
    assert pier.via[0] == "example-herald.org"
    assert len(pier.via) == 2 and speaker_name(a, pier.via[1]) != "unknown"


def test_via_with_two_links_adds_the_wire_credit_of_the_dateline():
    a = analyze("DUNMORE (Reuters) - The mayor of Dunmore said on Tuesday that the old ferry pier "
                "would be closed for repairs until the end of the summer season.",
                url="https://www.example-herald.org/news/pier")
    assert statement(a, "pier would be closed").via[:2] == ["example-herald.org", "Reuters"]
    assert len(statement(a, "pier would be closed").via) == 3
    assert not any("Reuters" in s.text for s in a.assertions)  # a dateline is nobody's claim


def test_via_with_three_links_follows_according_to_down_to_the_speaker():
    a = analyze("DUNMORE (Reuters) - According to the Associated Press, the health ministry said "
                "that twelve children had been treated for smoke inhalation at the clinic.",
                url="https://www.example-herald.org/news/fire")
    inner = statement(a, "children had been treated")
    assert inner.parent is not None
    parent = next(p for p in a.attributions if p.id == inner.parent)
    assert inner.via[:-1] == parent.via  # a nested statement's via is its parent's plus its own
    assert inner.via[:2] == ["example-herald.org", "Reuters"] and len(inner.via) == 4
    assert speaker_name(a, inner.via[2]) == "Associated Press"


def test_without_site_or_credit_the_outlet_is_unnamed():
    a = analyze("The council said the library would open on Saturdays from next month, after "
                "residents asked for longer hours.")
    assert statement(a, "library would open").via[0] == "outlet"


# --- hedges and conditionals -------------------------------------------------------------


def test_a_hedge_inside_a_statement_is_its_voice_and_hedges_it():
    a = analyze("Police in Dunmore said the driver had allegedly fled across the county line "
                "before officers arrived at the scene of the crash.")
    fled = statement(a, "allegedly fled")
    hedge = next(f for f in a.framing if f.technique == "hedge")
    assert hedge.text == "allegedly" and hedge.voice == fled.id
    assert fled.modality == "hedged"


def test_a_verification_marker_hedges_the_claim_of_the_sentence_before():
    a = analyze("The ministry said twenty people had died in the flooding in the northern "
                "provinces. The figure could not be independently verified.")
    assert statement(a, "twenty people").modality == "hedged"
    marker = next(f for f in a.framing if f.technique == "hedge")
    assert "independently verified" in marker.text and marker.voice == "outlet"


def test_an_outlet_hedge_qualifies_its_events_and_flags_the_assertion():
    a = analyze("Soldiers reportedly shelled the village of Amberly on Tuesday night, forcing "
                "families to flee into the hills.")
    shelled = [e for e in a.events if "shelled" in e.anchor.text]
    assert shelled and all(e.modality != "asserted" for e in shelled)
    assert any("hedged" in s.flags and "shelled" in s.text for s in a.assertions)


def test_a_conditional_threat_is_hypothetical():
    a = analyze('"If the convoy crosses the river again, we have the right to attack it," the '
                "rebel commander told reporters on Sunday.")
    threat = statement(a, "right to attack")
    assert threat.modality == "hypothetical"
    attack = [e for e in a.events if "attack" in e.anchor.text]
    assert attack and all(e.modality == "hypothetical" for e in attack)


def test_a_plain_statement_stays_asserted():
    a = analyze("The port authority said the new crane would arrive in March and cost about "
                "four million euros.")
    assert statement(a, "new crane").modality == "asserted"
    assert a.disputes == []


# --- claims and counter-claims -----------------------------------------------------------


def kinds(a: Analysis, source: Attribution, target: str) -> set[str]:
    return {d.kind for d in a.disputes if d.source == source.id and d.target == target}


def test_denies_links_a_rejection_to_the_claim_of_the_possessor():
    a = analyze("Norland claimed that Estovian troops had crossed the border near the lake. "
                "The Estovian government rejected Norland's claims on Friday.")
    claim, denial = statement(a, "troops had crossed"), statement(a, "Norland's claims")
    assert kinds(a, denial, claim.id) == {"denies"}
    assert claim.modality == "disputed" and denial.modality == "asserted"


@pytest.mark.parametrize("answer, kind", [
    ("The union questioned the figure.", "disputes"),
    ("A hospital spokeswoman confirmed the report.", "confirms"),
    ("The regional council accepted that account.", "accepts"),
])
def test_each_kind_of_stand_on_an_earlier_claim(answer: str, kind: str):
    a = analyze(f"The company said that forty workers had been injured at the plant. {answer}")
    claim = statement(a, "forty workers")
    answering = next(s for s in a.attributions if s.content.start > claim.content.end)
    assert kinds(a, answering, claim.id) == {kind}
    assert (claim.modality == "disputed") == (kind == "disputes")


def test_a_denied_event_is_one_event_disputed_with_both_tellers():
    a = analyze("The health ministry said an air strike killed fifteen people at the hospital. "
                "The army said the claim was false.")
    claim, denial = statement(a, "air strike"), statement(a, "claim was false")
    assert kinds(a, denial, claim.id) == {"denies"}
    strike = [e for e in a.events if e.reported_by == claim.id]
    assert strike and all(e.modality == "disputed" for e in strike)
    assert all(e.modality != "asserted" for e in strike)


def test_calling_a_claim_a_lie_denies_it():
    a = analyze("The ministry said the border post had been shelled overnight. \"The report is "
                "an absolute lie,\" a military spokesman said.")
    claim, denial = statement(a, "border post"), statement(a, "absolute lie")
    assert kinds(a, denial, claim.id) == {"denies"}


def test_a_claim_called_a_pretext_is_denied_by_its_carrier():
    a = analyze('"They wanted to justify the raid by claiming that we were hiding weapons in '
                'the school," the mayor said.')
    nested = statement(a, "hiding weapons")
    carrier = next(s for s in a.attributions if s.id == nested.parent)
    assert kinds(a, carrier, nested.id) == {"denies"}
    assert nested.modality == "disputed"


# --- the outlet's own voice and the summary ----------------------------------------------


ARTICLE = ("Rebels shelled the river town on Monday. The old bridge is forty metres long and was "
           "built in 1902. The mayor said the town would rebuild the quay. The flooding was a "
           "disgraceful failure of the county's planners. Local farmers fear that the levee "
           "will fail again next winter.")


def test_assertions_flag_figures_events_and_loaded_words_in_the_outlets_voice():
    from sayso.nlp import load_pipeline, make_doc
    from sayso.pipeline import analysis_of

    nlp = load_pipeline()
    doc = nlp(make_doc(nlp, sayso.model.Article(text=ARTICLE)))
    analysis = analysis_of(doc)
    loaded = ARTICLE.index("disgraceful")
    framing = [Framing("F1", loaded, loaded + 11, "disgraceful", "loaded_language")]
    found = find_assertions(doc, analysis.attributions, framing, analysis.quantities,
                            analysis.events)
    by_text = {s.text: s.flags for s in found}
    assert not any("rebuild the quay" in t for t in by_text)  # the mayor's, not the outlet's
    assert not any("levee" in t for t in by_text)  # the farmers' fear, not the outlet's claim
    assert "unsourced_figure" in next(f for t, f in by_text.items() if "forty metres" in t)
    assert "unsourced_event" in next(f for t, f in by_text.items() if "shelled" in t)
    assert next(f for t, f in by_text.items() if "disgraceful" in t)[:1] == ["loaded"]
    assert "loaded" not in next(f for t, f in by_text.items() if "shelled" in t)


def test_summary_counts_the_outlets_share_and_whose_claims_are_countered():
    a = analyze("Norland claimed that Estovian troops had crossed the border near the lake. "
                "The Estovian government rejected Norland's claims on Friday. The lake has "
                "been a disputed fishing ground for more than a century.")
    v = a.voices
    assert 0 < v.outlet_share < 1 and v.outlet_chars == sum(s.end - s.start
                                                             for s in a.assertions)
    claims = {speaker_name(a, c.speaker): c for c in v.claims}
    assert claims["Norland"].countered == 1 and claims["Norland"].counters == 0
    assert any(c.counters == 1 and c.countered == 0 for c in v.claims)


def test_the_json_validates_and_the_store_round_trips(store_url: str):
    a = analyze("DUNMORE (Reuters) - The ministry said twenty people had died in the flooding. "
                "The army said the claim was false. The figure could not be independently "
                "verified. The river allegedly rose by three metres in an hour.",
                url="https://www.example-herald.org/news/flood")
    validate_analysis(a.to_dict())
    assert a.framing and a.assertions and a.disputes
    with open_store(store_url) as store:
        assert store.save(a)
        loaded = store.load(a.article.id)
        from sayso.store.voices import outlet_voices

        outlets = outlet_voices(store)
    assert loaded is not None
    assert (loaded.framing, loaded.assertions, loaded.disputes, loaded.voices) == (
        a.framing, a.assertions, a.disputes, a.voices)
    assert [x.via for x in loaded.attributions] == [x.via for x in a.attributions]
    assert [x.modality for x in loaded.attributions] == [x.modality for x in a.attributions]
    assert outlets[0]["articles"] == 1 and outlets[0]["outlet_chars"] == a.voices.outlet_chars


@pytest.mark.parametrize("text, captions, unnamed, named", [
    ("MOSCOW, May 2 /TASS/. The ministry said the talks would resume.", [],
     ["TASS"], ["Daily Example", "TASS"]),
    ("The ministry said the talks would resume on Monday. - AFP", [],
     ["Agence France-Presse"], ["Daily Example", "Agence France-Presse"]),
    ("The ministry said the talks would resume on Monday.", ["Delegates arrive. Photo: AFP"],
     ["Agence France-Presse"], ["Daily Example"]),  # a photo credit only names an unknown outlet
    ("The ministry said the talks would resume, an aide to the envoy said.", [],
     ["outlet"], ["Daily Example"]),
])
def test_the_outlet_comes_from_the_site_the_wire_credit_or_a_caption(
        text: str, captions: list[str], unnamed: list[str], named: list[str]):
    from sayso.model import Article
    from sayso.nlp.voices.custody import outlet_links

    assert outlet_links(Article(text=text, captions=captions)) == unnamed
    assert outlet_links(Article(text=text, captions=captions, site="Daily Example")) == named
