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


def test_world_cities_beat_namesakes_of_the_article_country(places):
    found = places("The U.S. delegation, led by a Texas senator, flew to Paris and then Geneva "
                   "for talks with Serbian officials from Belgrade.")
    assert [found[n][0].country for n in ("Paris", "Geneva", "Belgrade")] == ["FRA", "CHE", "SRB"]


def test_washington_is_the_capital_unless_the_text_says_state(places):
    (capital,) = places("Lawmakers in Washington said the bill would pass.")["Washington"]
    assert capital.feature_class == "P" and round(capital.lat) == 39
    for text in ("Farmers in eastern Washington disagreed.",
                 "Growers in California and Washington disagreed.",
                 "Apple growers in Washington state disagreed."):
        (state,) = places(text)["Washington"]
        assert (state.feature_class, state.country) == ("A", "USA"), text


def test_regions_capitals_and_provinces_have_coordinates(places):
    found = places("Tensions in the Middle East and the Caucasus worried officials in La Paz, "
                   "Alberta and Queensland.")
    assert found["Middle East"][0].feature_class == "L" and found["Middle East"][0].lat > 20
    assert found["Caucasus"][0].lat is not None
    assert found["La Paz"][0].country == "BOL"
    for name, country in (("Alberta", "CAN"), ("Queensland", "AUS")):
        (unit,) = found[name]
        assert unit.country == country and unit.lat is not None and unit.geonameid


def test_bodies_and_people_are_not_geocoded(places):
    found = places("Hamas said the truce would hold. Al Smith told reporters he agreed, and "
                   "Kevin Paris, a spokesman, said Paris had no comment.")
    assert "Hamas" not in found and "Al" not in found and "Paris" not in found


def test_dateline_state_abbreviations_and_counties(places):
    found = places("PIKEVILLE, Ky. (AP) — Deputies in Pike County, Ky., said on Monday that "
                   "officials in Charleston, W.Va., were told.")
    assert found["PIKEVILLE"][0].name == "Pikeville"
    assert {p.name for p in found["Ky."]} == {"Kentucky"}
    (county,) = found["Pike County"]
    assert (county.feature_class, county.country) == ("A", "USA") and county.lat is not None
    assert found["W.Va."][0].name == "West Virginia"
    assert round(found["Charleston"][0].lon) == -82  # the West Virginia one


def test_toponyms_inside_organisation_names_are_modifiers(places):
    found = places("The Kentucky State Police told the Winnipeg Free Press that the Bank of "
                   "Mexico had called.")
    assert (found["Kentucky"][0].kind, found["Kentucky"][0].name) == ("modifier", "Kentucky")
    assert found["Winnipeg"][0].kind == "modifier" and found["Winnipeg"][0].country == "CAN"
    assert found["Mexico"][0].country == "MEX"
    assert "Bank" not in found


def test_town_placed_by_its_state_and_facility_by_its_town(places):
    found = places("The fire broke out on Maple Street in Dayton, Ohio, on Monday.")
    (street,) = found["Maple Street"]
    assert street.feature_class == "S" and street.reason.endswith("Dayton")
    assert (street.lat, street.lon) == (found["Dayton"][0].lat, found["Dayton"][0].lon)
    assert street.confidence < found["Dayton"][0].confidence


def test_former_names_do_not_carry_a_capital_abroad(places):
    found = places("She lives in Salisbury, the English cathedral city, and advises European "
                   "leaders.")
    assert found["Salisbury"][0].country == "GBR"
    assert found["European"][0].name == "Europe" and found["European"][0].kind == "demonym"


def test_every_place_has_a_confidence(places):
    found = places("LONDON (AP) — Officials in Kyrgyzstan, Moscow and the Kairma district said "
                   "the Kentucky State Police had called.")
    assert found["LONDON"][0].country == "GBR"
    for group in found.values():
        for place in group:
            assert place.confidence is not None and 0 <= place.confidence <= 1


def test_eu_sits_at_its_published_centre_and_former_states_at_their_successor():
    (eu,) = [p for p in gazetteer().lookup("European Union") if p.fcode == "RGN"]
    assert abs(eu.lat - 49.84) < 0.5 and abs(eu.lon - 9.9) < 0.5  # Gadheim, not the Czech border
    assert {p.cc for p in gazetteer().lookup("Soviet Union")} == {"RU"}


def test_geowebnews_halves_split_the_files_by_name(tmp_path):
    from sayso.eval.geowebnews import documents

    for i in range(10):
        (tmp_path / f"{i}.txt").write_text(f"text {i}", encoding="utf-8")
        (tmp_path / f"{i}.ann").write_text("", encoding="utf-8")
    a = [t for t, _ in documents(tmp_path, half="a")]
    b = [t for t, _ in documents(tmp_path, half="b")]
    assert len(a) == len(b) == 5 and not set(a) & set(b)
    assert sorted(a + b) == sorted(t for t, _ in documents(tmp_path))


def test_demonyms_acronyms_and_countries_the_ner_mistook_are_places(places):
    found = places("Trade under the North American Free Trade Agreement grew, ministers of "
                   "the UAE said, and 3 billion US dollars went to Oman.")
    assert found["North American"][0].name == "North America"  # the continent, not "American"
    assert found["UAE"][0].country == "ARE"
    assert found["US"][0].country == "USA"
    found = places("Rights groups said Azerbaijan should free the two reporters at once.")
    assert found["Azerbaijan"][0].country == "AZE"


def test_units_by_a_name_of_their_own_but_not_by_a_cut_short_one(places):
    (riding,) = places("Fans travelled to East Yorkshire for the match.")["East Yorkshire"]
    assert riding.country == "GBR"
    from sayso.nlp.normalise.places import _lookup

    assert not any(c.name == "Orange County" for c in _lookup("Orange"))


def test_airport_codes_are_no_town_names():
    from sayso.nlp.normalise.places import _lookup

    assert _lookup("The") == [] and _lookup("For") == []  # THE, FOR: two airports' codes
    assert "Rio de Janeiro" in {c.name for c in _lookup("Rio")}


def test_town_weighs_as_much_as_the_unit_named_after_it():
    from sayso.nlp.normalise.geocoder import Context, choose

    ctx = Context()
    ctx.countries["US"] += 1  # the Italian town's own count is its historic centre only
    pick, _, _ = choose(gazetteer().lookup("Venice"), ctx, text="Venice")
    assert pick.cc == "IT"


def test_bordering_a_country_named_counts_for_less_than_being_in_it():
    from sayso.nlp.normalise.geocoder import Context, choose

    ctx = Context()
    ctx.countries["US"] += 1
    ctx.neighbours |= gazetteer().borders["US"]
    pick, _, _ = choose(gazetteer().lookup("Stonewall"), ctx, text="Stonewall")
    assert pick.cc == "US"


@pytest.mark.parametrize(("text", "country"), [
    ("The governor of Georgia met Atlanta officials and toured Savannah.", "USA"),
    ("Tbilisi said Georgia would join talks with Russia.", "GEO"),
])
def test_a_country_named_like_a_distant_state_is_decided_by_context(places, text, country):
    (georgia,) = places(text)["Georgia"]
    assert georgia.country == country


def test_geowebnews_errors_say_what_was_guessed_and_how_far_off():
    from sayso.eval.geowebnews import Gold, Guess, error_line

    gold = Gold(3, 9, "Avalon", "Literal", None, 10.0, 20.0, None)
    assert error_line("7", gold, None).split("\t")[:4] == ["missed", "7:3-9", "Literal", "Avalon"]
    wrong = error_line("7", gold, Guess(1, 10.0, 21.0, "XYZ", "Avalon", "prominence"))
    assert wrong.startswith("wrong\t7:3-9") and "\t110km\t" in wrong
    assert wrong.endswith("prominence")


def test_one_word_after_from_is_a_town_when_a_sizeable_one_is_called_so(spacy_nlp):
    from sayso.nlp.normalise.places import Mention, _from_a_town, _lookup

    doc = spacy_nlp("Fighters from Misrata joined a letter from Smith.")
    town, person = doc[2:3], doc[7:8]
    assert _from_a_town(Mention(town, False, "person", candidates=_lookup(town.text)))
    assert not _from_a_town(Mention(person, False, "person", candidates=_lookup(person.text)))


def test_name_known_only_by_a_part_needs_the_articles_country(places):
    # "Delta" alone is a Nigerian state: the Egyptian delta is not placed there
    found = places("Egyptian officials said the rains had flooded farmland across the Kafr "
                   "Delta, north of Cairo.")
    assert all(p.country != "NGA" for ps in found.values() for p in ps)
    assert found["Cairo"][0].country == "EGY"


def test_landmark_named_after_a_saint_is_not_a_namesake_parish(places):
    found = places("Pilgrims from Italy prayed at St. Andrew's Abbey on Sunday.")
    assert set(found) == {"Italy"}


def test_part_named_on_its_own_still_places_the_longer_name(places):
    found = places("Birmingham City lost again. Fans in Birmingham were angry.")
    assert {p.country for ps in found.values() for p in ps} == {"GBR"}


def test_facility_not_placed_at_a_town_outside_the_articles_country(places):
    found = places("Fans from Wolverhampton cheered at the Oak Meadow Golf Club. Officials in "
                   "Wolverhampton said teams from Ohio, Texas, Iowa and the United States had "
                   "played well in Ohio, Texas and Iowa.")
    assert all(p.country != "GBR" for p in found.get("Oak Meadow Golf Club", []))


def test_facility_not_placed_at_a_square_after_it(places):
    # a gazetteer town named "... Square" after a street is another landmark, not its town
    found = places("Shops reopened on Maple Street at Hamilton Square on Monday, officials in "
                   "Chicago said.")
    assert "Hamilton Square" not in (found["Maple Street"][0].reason or "")
