"""sayso_times: TIMEX3 normalisation rules and the component on invented news text."""

from __future__ import annotations

from datetime import date

import pytest

from sayso.model import Article, Attribution, Span
from sayso.nlp.normalise.timenorm import Anchor, comparison_years, normalise
from sayso.nlp.normalise.times import TimeTagger

# A Saturday, so weekday policies are visible.
SATURDAY = Anchor(date(2023, 3, 18), "published:2023-03-18")


def value(text: str, anchor: Anchor | None = SATURDAY, tense: int = 0) -> str | None:
    return normalise(text, anchor, tense).value


@pytest.mark.parametrize(("text", "expected"), [
    ("Wednesday", "2023-03-15"),  # most recent on or before the anchor
    ("on Saturday", "2023-03-18"),  # the anchor day itself
    ("last Saturday", "2023-03-11"),  # strictly before
    ("next Monday", "2023-03-20"),  # strictly after
])
def test_weekday_policies(text: str, expected: str) -> None:
    assert value(text) == expected


def test_bare_weekday_with_future_verb_goes_forward() -> None:
    assert value("Tuesday", tense=1) == "2023-03-21"


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
    assert value("January", tense=1) == "2024-01"
    assert value("May") == "2023-05"  # two months ahead beats ten back ...
    assert value("May", tense=-1) == "2022-05"  # ... unless the verb is past


@pytest.mark.parametrize(("text", "expected", "typ"), [
    ("the year two thousand", "2000", "DATE"),
    ("by year-end", "2023", "DATE"),
    ("by the year's end", "2023", "DATE"),
    ("the full year", "2023", "DATE"),
    ("the current fiscal year", "2023", "DATE"),
    ("the first nine months of 2021", "P9M", "DURATION"),
    ("the year-earlier six months", "P6M", "DURATION"),
    ("5 p.m. EST March 9", "2023-03-09T17:00", "TIME"),
])
def test_financial_and_spoken_phrasings(text: str, expected: str, typ: str) -> None:
    timex = normalise(text, SATURDAY)
    assert (timex.value, timex.type) == (expected, typ)


@pytest.mark.parametrize(("text", "years"), [
    ("a year earlier", 1),
    ("two years ago", 2),
    ("year-ago", 1),
    ("the comparable year-earlier period", 1),
    ("last year's quarter", 1),
    ("the quarter a year ago", 1),
    ("the corresponding period last year", 1),
    ("last year", None),  # the calendar year, not a comparison
    ("the quarter", None),
])
def test_comparison_phrases(text: str, years: int | None) -> None:
    assert comparison_years(text) == years


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
                "Sales fell from a year ago, and year-earlier costs were restated. "
                "Margins narrowed during the quarter. The latest period brought record orders.",
                published="2023-08-02")
    got = [(t.text, t.value) for t in times]
    assert got == [("the second quarter", "2023-Q2"), ("a year earlier", "2022-Q2"),
                   ("a year ago", "2022-Q2"), ("year-earlier", "2022-Q2"),
                   ("the quarter", "2023-Q2"), ("The latest period", "2023-Q2")]


def test_year_period_takes_the_reported_quarter(tag) -> None:
    times = tag("The airline lost money in the fourth quarter. In the 2021 period, it had "
                "earned $3 million.", published="2023-02-10")
    assert [(t.text, t.value, t.type) for t in times] == [
        ("the fourth quarter", "2022-Q4", "DATE"), ("the 2021 period", "2021-Q4", "DATE")]


def test_comparisons_after_a_span_of_months_are_whole_years(tag) -> None:
    times = tag("Profit rose in the first quarter. In the first six months, sales were flat "
                "from a year earlier.", published="2023-05-10")
    assert [t.value for t in times] == ["2023-Q1", "P6M", "2022"]


def test_comparison_without_a_quarter_is_the_year_before(tag) -> None:
    times = tag("Year-ago sales included a one-off gain.", published="2023-05-10")
    assert [t.value for t in times] == ["2022"]


def test_year_named_by_its_last_day_is_a_duration(tag) -> None:
    times = tag("The miner earned $4 million in the year ended June 30.",
                published="2023-09-12")
    assert [(t.text, t.value, t.type) for t in times] == [
        ("the year", "P1Y", "DURATION"), ("June 30", "2023-06-30", "DATE")]


def test_narrative_times_count_from_the_last_date_told(tag) -> None:
    times = tag("The farmer bought the orchard in 2011, and the following year he planted "
                "olives. The harvest failed in March 2014. The following month he sold it.",
                published="2023-09-12")
    assert [t.value for t in times] == ["2011", "2012", "2014-03", "2014-04"]


def test_past_verb_puts_a_month_before_the_anchor(tag) -> None:
    times = tag("The council bought the land in December. It will vote in December.",
                published="2023-10-20")
    assert [t.value for t in times] == ["2022-12", "2023-12"]


def test_day_and_time_tagged_apart_are_joined(tag) -> None:
    times = tag("The union walked out at noon Thursday. The ferry sailed on Friday evening. "
                "The witness spoke for four hours Friday.", published="2023-03-18")
    got = [(t.text, t.value) for t in times]
    assert got == [("noon Thursday", "2023-03-16T12:00"),
                   ("Friday evening", "2023-03-17TEV"),
                   ("four hours", "PT4H"), ("Friday", "2023-03-17")]


def test_the_weekend_is_the_one_just_past_unless_future() -> None:
    monday = Anchor(date(2023, 3, 20), "published:2023-03-20")
    assert value("over the weekend", monday) == "2023-W11-WE"
    assert value("the weekend", monday, tense=1) == "2023-W12-WE"


def test_scheduled_infinitive_points_ahead(tag) -> None:
    times = tag("The board is scheduled to vote Tuesday. The old plan had been due to "
                "start Tuesday.", published="2023-03-18")
    assert [t.value for t in times] == ["2023-03-21", "2023-03-14"]


def test_determiner_before_a_bare_unit_is_kept(tag) -> None:
    times = tag("This year's harvest was poor.", published="2023-09-12")
    assert [(t.text, t.value) for t in times] == [("This year", "2023")]
