"""sayso_quantities and the shared number reader, on invented news text."""

from __future__ import annotations

import pytest

from sayso.model import Article
from sayso.nlp.normalise.numbers import parse_number
from sayso.nlp.normalise.quantities import QuantityTagger
from sayso.nlp.normalise.times import TimeTagger


@pytest.mark.parametrize(("text", "expected"), [
    ("5,000", 5000), ("one million", 1e6), ("two dozen", 24), ("1.5 billion", 1.5e9),
    ("twenty-six", 26), ("three hundred and forty-two", 342), ("two and a half", 2.5),
    ("one and a half million", 1.5e6), ("4.2bn", 4.2e9), ("a dozen", 12),
])
def test_words_to_numbers(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["several", "the", "over", "dozens of"])
def test_non_numbers_are_refused(text: str) -> None:
    assert parse_number(text) is None


@pytest.fixture(scope="module")
def quantities(spacy_nlp):
    times, counts = TimeTagger(spacy_nlp), QuantityTagger()

    def run(text: str):
        doc = spacy_nlp(text)
        doc._.article = Article(text=text, published="2023-03-18")
        return counts(times(doc))._.quantities

    return run


def by_value(found) -> dict[float, object]:
    return {q.value: q for q in found}


def test_approximators_and_counted_nouns(quantities) -> None:
    found = by_value(quantities(
        "Police detained more than 200 protesters in Lima, and about 40 officers were injured."))
    assert found[200].approx and found[200].what == "protesters"
    assert found[200].action == "detained"
    assert found[200].text == "more than 200"
    assert found[40].approx and found[40].what == "officers" and found[40].action == "injured"


def test_exact_counts_are_not_approximate(quantities) -> None:
    found = by_value(quantities("The storm destroyed 312 houses in the coastal district."))
    assert not found[312].approx
    assert (found[312].what, found[312].action) == ("houses", "destroyed")


def test_others_borrows_the_earlier_noun(quantities) -> None:
    found = by_value(quantities(
        "At least 1,200 villagers were evacuated and two thousand others were displaced."))
    assert found[1200].approx and found[1200].action == "evacuated"
    assert found[2000].what == "villagers" and found[2000].action == "displaced"


def test_percent_counts_what_follows_of(quantities) -> None:
    found = by_value(quantities("The rebels control 15 percent of the country's farmland."))
    assert found[15].unit == "percent"
    assert (found[15].what, found[15].action) == ("farmland", "control")


def test_money_has_a_currency(quantities) -> None:
    found = by_value(quantities(
        "The ministry paid $3.5 million to the contractor and 200 million euros to the bank."))
    assert found[3.5e6].unit == "USD"
    assert found[2e8].unit == "EUR"


def test_years_dates_and_durations_are_not_quantities(quantities) -> None:
    found = quantities("In 2019 the 14-day strike ended on March 3 after 40 arrests.")
    assert [q.value for q in found] == [40]


def test_vague_plural_counts_are_lower_bounds(quantities) -> None:
    found = quantities("Hundreds of families were evacuated from the valley.")
    assert [(q.value, q.approx, q.what, q.action) for q in found] == [
        (100, True, "families", "evacuated")]
