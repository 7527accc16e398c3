"""Places: mentions found, resolved by article context, typed (literal/demonym/metonymy)."""

from __future__ import annotations

import pytest

from sayso.nlp.normalise.geocoder import fold, gazetteer, soft_variant
from sayso.nlp.normalise.places import PlaceFinder


@pytest.fixture(scope="module")
def places(spacy_nlp):
    def run(text: str) -> dict[str, list]:
        found: dict[str, list] = {}
        for p in PlaceFinder()(spacy_nlp(text))._.places:
            found.setdefault(p.text, []).append(p)
        return found

    return run


def test_fold_removes_accents_and_special_letters():
    assert fold("Laçın") == fold("Lacin") == "lacin"
    assert fold("Gəncə") == "ganca"
    assert fold("U.S.") == "u s"


def test_soft_variants_are_transliterations_not_other_words():
    assert soft_variant("kairma", "kayirma")
    assert soft_variant("kandahar", "qandahar")
    assert not soft_variant("berlin", "merlin")
    assert not soft_variant("texas", "texts")


def test_gazetteer_knows_countries_by_everyday_names():
    assert {p.cc for p in gazetteer().lookup("U.K.")} == {"GB"}
    assert gazetteer().demonym("Kenyans").cc == "KE"


def test_transliteration_found_within_the_article_country(places):
    found = places("Floods cut off Kairma, a village in Kyrgyzstan, officials said on Monday.")
    (village,) = found["Kairma"]
    assert village.country == "KGZ" and village.name == "Kayirma"
    assert village.reason.startswith("spelling of")


def test_capital_as_speaker_is_metonymy_but_venue_is_literal(places):
    found = places("Moscow said on Tuesday that the sanctions were illegal. "
                   "The talks took place in Moscow last week.")
    assert [p.kind for p in found["Moscow"]] == ["metonymy", "literal"]
    assert {p.country for p in found["Moscow"]} == {"RUS"}


def test_demonyms_point_to_their_country(places):
    found = places("Kenyan officials met Ugandan traders at the border.")
    assert (found["Kenyan"][0].kind, found["Kenyan"][0].country) == ("demonym", "KEN")
    assert found["Ugandan"][0].country == "UGA"


def test_administrative_units_are_admin_features(places):
    found = places("Rebels still hold parts of the Idlib province of Syria, residents said.")
    (idlib,) = found["Idlib"]
    assert (idlib.feature_class, idlib.country) == ("A", "SYR")


def test_list_of_towns_the_ner_missed_is_resolved(places):
    found = places("Under the deal, Kyrgyzstan handed back the Sosnovka, Katran and Andarak "
                   "districts.")
    for town in ("Sosnovka", "Katran", "Andarak"):
        assert found[town][0].country == "KGZ", town
        assert found[town][0].feature_class == "A", town


@pytest.mark.parametrize(("text", "country"), [
    ("The storm hit Dallas before moving north to Paris, near the Oklahoma border, "
     "Texas officials said.", "USA"),
    ("The tourists flew from London to Paris, where French police met them.", "FRA"),
])
def test_same_name_resolved_by_context(places, text, country):
    (paris,) = places(text)["Paris"]
    assert paris.country == country
