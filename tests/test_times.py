"""sayso_times: TIMEX3 normalisation rules and the component on invented news text."""

from __future__ import annotations

from datetime import date

import pytest

from sayso.model import Article, Attribution, Span
from sayso.nlp.timenorm import Anchor, normalise
from sayso.nlp.times import TimeTagger

# A Saturday, so weekday policies are visible.
SATURDAY = Anchor(date(2023, 3, 18), "published:2023-03-18")


def value(text: str, anchor: Anchor | None = SATURDAY, future: bool = False) -> str | None:
    return normalise(text, anchor, future).value


@pytest.mark.parametrize(("text", "expected"), [
    ("Wednesday", "2023-03-15"),  # most recent on or before the anchor
    ("on Saturday", "2023-03-18"),  # the anchor day itself
    ("last Saturday", "2023-03-11"),  # strictly before
    ("next Monday", "2023-03-20"),  # strictly after
])
def test_weekday_policies(text: str, expected: str) -> None:
    assert value(text) == expected


def test_bare_weekday_with_future_verb_goes_forward() -> None:
    assert value("Tuesday", future=True) == "2023-03-21"


@pytest.mark.parametrize(("text", "expected", "typ"), [
    ("44 days", "P44D", "DURATION"),
    ("nine years", "P9Y", "DURATION"),
    ("a 15-year-long", "P15Y", "DURATION"),
    ("two and a half years", "P2.5Y", "DURATION"),
    ("the past 20 years", "P20Y", "DURATION"),
    ("several weeks", "PXW", "DURATION"),
    ("three hours", "PT3H", "DURATION"),
    ("two decades", "P20Y", "DURATION"),
    ("every week", "P1W", "SET"),
    ("each July", "XXXX-07", "SET"),
])
def test_durations_and_sets(text: str, expected: str, typ: str) -> None:
    timex = normalise(text, SATURDAY)
    assert (timex.value, timex.type) == (expected, typ)


@pytest.mark.parametrize(("text", "expected"), [
    ("yesterday", "2023-03-17"),
    ("tomorrow", "2023-03-19"),
    ("two weeks ago", "2023-W09"),
    ("three years ago", "2020"),
    ("last year", "2022"),
    ("this month", "2023-03"),
    ("next month", "2023-04"),
    ("last week", "2023-W10"),
    ("last October", "2022-10"),
    ("this summer", "2023-SU"),
    ("the 1980s", "198"),
    ("the '90s", "199"),
    ("the 19th century", "18"),
    ("the third quarter", "2022-Q3"),  # still to come this year: last year's
    ("the first quarter", "2023-Q1"),
    ("now", "PRESENT_REF"),
    ("recently", "PAST_REF"),
    ("in recent weeks", "PAST_REF"),
    ("the future", "FUTURE_REF"),
    ("June last year", "2022-06"),
    ("nineteen eighty-four", "1984"),
    ("10:30 a.m.", "2023-03-18T10:30"),
    ("Friday evening", "2023-03-17TEV"),
])
def test_relative_expressions(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("March 3, 2019", "2019-03-03"),
    ("Feb. 2021", "2021-02"),
    ("1987", "1987"),
    ("mid-August 2016", "2016-08"),
    ("the winter of 2009", "2009-WI"),
])
def test_absolute_dates(text: str, expected: str) -> None:
    timex = normalise(text, SATURDAY)
    assert (timex.value, timex.anchor) == (expected, None)


def test_dates_without_a_year_take_the_nearest_reported_one() -> None:
    assert value("Dec. 12") == "2022-12-12"  # reported past, not nine months ahead
    assert value("March 21") == "2023-03-21"  # three days ahead is nearer than a year back
    assert value("January", future=True) == "2024-01"


def test_relative_expression_without_anchor_is_unresolved() -> None:
    timex = normalise("last week", None)
    assert not timex.resolved and timex.reason == "no anchor date"
    assert normalise("April 2, 2004", None).value == "2004-04-02"


def test_anchor_label_is_recorded_only_when_used() -> None:
    assert normalise("yesterday", SATURDAY).anchor == "published:2023-03-18"
    assert normalise("2004", SATURDAY).anchor is None


@pytest.fixture(scope="module")
def tag(spacy_nlp):
    tagger = TimeTagger(spacy_nlp)

    def run(text: str, published: str | None = "2023-03-18", attributions=None):
        doc = spacy_nlp(text)
        doc._.article = Article(text=text, published=published)
        doc._.attributions = attributions or []
        return tagger(doc)._.times

    return run


def test_component_finds_and_normalises(tag) -> None:
    times = tag("The ferry company said on Wednesday that the strike, which lasted 12 days, "
                "had cost it more than in all of 2019. Talks resume next Friday.")
    got = {t.text: (t.value, t.type) for t in times}
    assert got["Wednesday"] == ("2023-03-15", "DATE")
    assert got["12 days"] == ("P12D", "DURATION")
    assert got["2019"] == ("2019", "DATE")
    assert got["next Friday"] == ("2023-03-24", "DATE")
    assert [t.id for t in times] == [f"T{i}" for i in range(1, len(times) + 1)]


def test_component_splits_ranges(tag) -> None:
    times = tag("The dictatorship ruled from 1964 to 1985 and again between 1990 and 1992.")
    assert [t.value for t in times] == ["1964", "1985", "1990", "1992"]


def test_future_verb_moves_weekday_forward(tag) -> None:
    times = tag("The minister will visit the flooded villages on Tuesday.")
    assert [t.value for t in times] == ["2023-03-21"]


def test_relative_time_in_a_statement_uses_the_statement_time(tag) -> None:
    text = ("\"Prices have doubled in recent weeks and will fall next month,\" the governor "
            "said on May 2, 2021.")
    quote = text.index("Prices"), text.index(",\" the")
    when = text.index("May 2, 2021")
    attribution = Attribution(
        id="A1", kind="direct", source=None, cue=None,
        content=Span.of(text, *quote), time=Span.of(text, when, when + len("May 2, 2021")))
    times = {t.text: t for t in tag(text, attributions=[attribution])}
    assert times["next month"].value == "2021-06"
    assert times["next month"].anchor == "statement:A1"
    assert times["recent weeks"].anchor == "statement:A1"
    assert times["May 2, 2021"].anchor is None


def test_relative_time_outside_statements_uses_publication_date(tag) -> None:
    times = tag("The bridge reopened yesterday.", published="2020-07-01")
    assert (times[0].value, times[0].anchor) == ("2020-06-30", "published:2020-07-01")


def test_year_earlier_beside_a_quarter_means_the_same_quarter(tag) -> None:
    times = tag("The brewer's profit rose 8% in the second quarter from a year earlier. "
                "Sales fell a year earlier.", published="2023-08-02")
    got = [(t.text, t.value) for t in times]
    assert got == [("the second quarter", "2023-Q2"), ("a year earlier", "2022-Q2"),
                   ("a year earlier", "2022")]
