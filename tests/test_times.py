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
    ("two and a half years", "P2Y6M", "DURATION"),  # a fraction goes into the next unit
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
    text = ("\"Prices doubled last week and will fall next month,\" the governor "
            "said on May 2, 2021.")
    quote = text.index("Prices"), text.index(",\" the")
    when = text.index("May 2, 2021")
    attribution = Attribution(
        id="A1", kind="direct", source=None, cue=None,
        content=Span.of(text, *quote), time=Span.of(text, when, when + len("May 2, 2021")))
    times = {t.text: t for t in tag(text, attributions=[attribution])}
    assert times["next month"].value == "2021-06"
    assert times["next month"].anchor == "statement:A1"
    assert (times["last week"].value, times["last week"].anchor) == ("2021-W16", "statement:A1")
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


# ---- issue 14: clock times, ages, ordinals, durations, deadlines, stamps ---------------------

TUESDAY = Anchor(date(2024, 3, 5), "published:2024-03-05")


@pytest.mark.parametrize(("text", "expected"), [
    ("about 10:35 a.m.", "2024-03-05T10:35"),  # on the anchor day, never 1 January
    ("4 in the morning", "2024-03-05T04:00"),
    ("four in the afternoon", "2024-03-05T16:00"),
    ("Wed 6 Mar 2024 05.00 GMT", "2024-03-06T05:00"),
    ("9:15am, 5 Mar 2024", "2024-03-05T09:15"),
    ("1035 GMT", "2024-03-05T10:35"),
    ("at 4 o'clock", "2024-03-05T04:00"),
])
def test_clock_times_are_iso_times_on_the_day_named(text: str, expected: str) -> None:
    timex = normalise(text, TUESDAY)
    assert (timex.type, timex.value) == ("TIME", expected)


@pytest.mark.parametrize("text", ["58", "the 99th day", "the 90th minute", "6-year-old"])
def test_numbers_ordinals_and_ages_are_no_month(text: str) -> None:
    assert not normalise(text, TUESDAY).resolved


@pytest.mark.parametrize(("text", "expected"), [
    ("the 90 years", "P90Y"),
    ("2 1/2 years", "P2Y6M"),
    ("a minute and a half", "PT1M30S"),
    ("an hour and a half later", "PT1H30M"),  # "later" counts from an event: a length
    ("three days later", "P3D"),
    ("two to three weeks", "P2W"),  # a range of lengths is read as its lower end
    ("a two day", "P2D"),  # the article belongs to the noun, not to the count
    ("no more than sixty days", "P60D"),
    ("each of the past three years", "P3Y"),
    ("an additional year", "P1Y"),
    ("20 more years", "P20Y"),
    ("eight trading days", "P8D"),
    ("hundreds of years", "PXY"),
    ("centuries", "PXCE"),  # a plural unit ISO 8601 has no code for keeps TimeML's
])
def test_durations(text: str, expected: str) -> None:
    timex = normalise(text, TUESDAY)
    assert (timex.type, timex.value) == ("DURATION", expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("week 7", "2024-W07"),  # ISO weeks have two digits
    ("week 12, 2023", "2023-W12"),
    ("the first half of 2023", "2023-H1"),
    ("the second half of next year", "2025-H2"),
    ("the last half of the '80s", "198"),
    ("this coming Sunday, March eighth", "2024-03-08"),
    ("the twenty-first of March", "2024-03-21"),
    ("several years ago", "PAST_REF"),
    ("the near future", "FUTURE_REF"),
    ("a later date", "FUTURE_REF"),
    ("the next decade", "203"),  # TimeBank's convention: the calendar decade, as "the last decade"
])
def test_weeks_halves_and_vague_references(text: str, expected: str) -> None:
    assert value(text, TUESDAY) == expected


def test_iso_weeks_are_zero_padded() -> None:
    assert value("last week", Anchor(date(2023, 2, 20), "published:2023-02-20")) == "2023-W07"
    assert value("this week", Anchor(date(2024, 1, 3), "published:2024-01-03")) == "2024-W01"


def test_last_month_is_the_nearest_unless_it_is_last_month() -> None:
    october = Anchor(date(1995, 10, 30), "published:1995-10-30")
    march = Anchor(date(1995, 3, 2), "published:1995-03-02")
    assert value("last April", october) == "1995-04"
    assert value("last February", march) == "1994-02"  # this year's would be "last month"
    assert value("this past February", march) == "1995-02"
    assert value("next February", october) == "1996-02"


def test_last_season_is_last_years_this_past_season_the_nearest() -> None:
    october = Anchor(date(1995, 10, 30), "published:1995-10-30")
    assert value("this past spring", october) == "1995-SP"
    assert value("last spring", october) == "1994-SP"


def test_this_weekend_follows_the_verb() -> None:
    monday = Anchor(date(2024, 3, 4), "published:2024-03-04")
    assert value("this weekend", monday) == "2024-W10-WE"
    assert value("this weekend", monday, tense=-1) == "2024-W09-WE"


WEDNESDAY = "2024-03-06"


@pytest.mark.parametrize(("text", "expected"), [
    ("The government faces a deadline expiring on Tuesday.", "2024-03-12"),
    ("The rebels face Friday's deadline.", "2024-03-08"),
    ("Talks resume on Friday.", "2024-03-08"),  # a present verb with a day: a timetable
    ("The vote is on Sunday.", "2024-03-10"),
    ("The deadline expired on Tuesday.", "2024-03-05"),
    ("Shareholders had tendered their shares by the Tuesday deadline.", "2024-03-05"),
    ("The offer had been due to expire Friday.", "2024-03-01"),  # a plan as it stood
    ("Friday's purchases are far below last year's.", "2024-03-01"),
])
def test_deadlines_and_timetables_point_ahead(tag, text: str, expected: str) -> None:
    assert tag(text, published=WEDNESDAY)[0].value == expected


def test_a_past_verb_puts_this_weekend_behind(tag) -> None:
    times = tag("Protests this weekend drew thousands.", published=WEDNESDAY)
    assert [t.value for t in times] == ["2024-W09-WE"]


def test_ages_are_not_times(tag) -> None:
    times = tag("A 6-year-old girl and a man, 37 years old, were hurt. A woman in her 50s fled.")
    assert times == []


def test_clock_time_takes_the_day_the_paragraph_tells(tag) -> None:
    times = tag("On Monday, the suspect was arrested. The raid began at 10 a.m. and ended by "
                "noon.\n\nAt 3 p.m. the court sat.", published=WEDNESDAY)
    assert [(t.text, t.value) for t in times] == [
        ("Monday", "2024-03-04"), ("10 a.m.", "2024-03-04T10:00"), ("noon", "2024-03-04T12:00"),
        ("3 p.m.", "2024-03-06T15:00")]


def test_live_blog_clock_stamps_are_found(tag) -> None:
    times = tag("10:42 GMT Police say the road is closed.\n11.05 The minister has arrived.",
                published=WEDNESDAY)
    assert [(t.text, t.value, t.type) for t in times] == [
        ("10:42 GMT", "2024-03-06T10:42", "TIME"), ("11.05", "2024-03-06T11:05", "TIME")]


def test_spans_leave_out_what_timeml_leaves_out(tag) -> None:
    times = tag("Sales beat last year's figure. He resigned just last month. The firm cut its "
                "fourth quarter forecast after the coup d'etat last year. Three days later, he "
                "left.", published=WEDNESDAY)
    assert [t.text for t in times] == ["last year", "last month", "fourth quarter", "last year",
                                       "Three days"]


def test_present_and_recent_adjectives_are_times_but_fractions_are_not(tag) -> None:
    times = tag("The current system failed after the recent floods. The current account "
                "deficit widened. Exporters hold more than a quarter of the market.")
    assert [(t.text, t.value) for t in times] == [("current", "PRESENT_REF"),
                                                   ("recent", "PAST_REF")]


# ---- issue 14, second pass -------------------------------------------------------------------


def test_the_future_of_something_is_no_time(tag) -> None:
    times = tag("The future of the harbour worries the mayor, who spoke about the future.")
    assert [t.text for t in times] == ["the future"]


def test_the_future_as_subject_is_no_time(tag) -> None:
    assert tag("The future looks grim for the glassworks.") == []


def test_units_ahead_are_a_length_of_unknown_count() -> None:
    timex = normalise("the years ahead", TUESDAY)
    assert (timex.type, timex.value) == ("DURATION", "PXY")


def test_a_weekday_tagged_apart_from_its_date_joins_it(tag) -> None:
    times = tag("The ferry sank Friday Feb. 9 near the cape.", published=WEDNESDAY)
    assert [(t.text, t.value) for t in times] == [("Friday Feb. 9", "2024-02-09")]


def test_units_joined_by_or_are_one_time(tag) -> None:
    times = tag("The repairs will take weeks or months.", published=WEDNESDAY)
    assert [(t.text, t.value, t.type) for t in times] == [
        ("weeks or months", "PXW", "DURATION")]


def test_a_present_perfect_does_not_put_a_date_in_the_past(tag) -> None:
    times = tag("The council has set March 15 as the closing date.", published=WEDNESDAY)
    assert [t.value for t in times] == ["2024-03-15"]


def test_a_simple_past_still_puts_a_date_in_the_past(tag) -> None:
    times = tag("The council closed the pool on March 15.", published=WEDNESDAY)
    assert [t.value for t in times] == ["2023-03-15"]


def test_a_hyphen_before_a_word_is_no_range(tag) -> None:
    times = tag("In the year-earlier second quarter, the mill lost money.",
                published="2024-08-02")
    assert [(t.text, t.value) for t in times] == [("the year-earlier second quarter", "2023-Q2")]


def test_a_quarter_named_by_its_last_day_is_the_calendar_quarter_it_mostly_covers(tag) -> None:
    times = tag("The retailer lost money in the quarter ended Jan. 31.", published="2024-03-01")
    assert [(t.text, t.value) for t in times] == [("the quarter", "2023-Q4"),
                                                   ("Jan. 31", "2024-01-31")]


def test_number_words_with_fractions_and_compound_ordinals() -> None:
    from sayso.nlp.normalise.numbers import parse_number, parse_ordinal

    assert parse_number("2 1/2") == 2.5
    assert parse_number("a couple") == 2
    assert parse_number("of") is None
    assert parse_ordinal("twenty-second") == 22
    assert parse_ordinal("thirtieth") == 30


def test_the_prior_year_is_the_one_before() -> None:
    assert value("the prior year", TUESDAY) == "2023"


def test_a_quarter_of_next_year() -> None:
    assert value("the first quarter of next year", TUESDAY) == "2025-Q1"


def test_so_far_this_year_is_this_year() -> None:
    assert value("so far this year", TUESDAY) == "2024"


def test_a_fiscal_year_named_by_its_number() -> None:
    assert value("the 2022 fiscal year", TUESDAY) == "2022"


def test_the_latest_period_before_any_quarter_is_the_last_one_completed(tag) -> None:
    times = tag("The bakery had no one-off gains in the latest period.", published="2024-05-03")
    assert [(t.text, t.value) for t in times] == [("the latest period", "2024-Q1")]


def test_a_day_counted_in_the_present_is_the_publication_day(tag) -> None:
    times = tag("It is the fifth day of the dockers' walkout.", published=WEDNESDAY)
    assert [(t.text, t.value) for t in times] == [("the fifth day", WEDNESDAY)]


def test_a_day_counted_in_the_past_is_not_the_publication_day(tag) -> None:
    times = tag("It was the fifth day of the dockers' walkout.", published=WEDNESDAY)
    assert [t.value for t in times] != [WEDNESDAY]


def test_until_then_is_the_last_date_told(tag) -> None:
    times = tag("The ferry stops on May 2. Until then, it sails twice a day.",
                published=WEDNESDAY)
    assert [(t.text, t.value) for t in times][-1] == ("then", "2024-05-02")


def test_then_with_no_date_told_is_no_time(tag) -> None:
    assert tag("Until then, nobody had noticed the leak.", published=WEDNESDAY) == []


def test_one_day_after_a_modal_is_a_time_ahead(tag) -> None:
    times = tag("The port will one day be a city.", published=WEDNESDAY)
    assert [(t.text, t.value) for t in times] == [("one day", "FUTURE_REF")]


def test_one_day_as_an_object_stays_a_length(tag) -> None:
    times = tag("The repair will take one day.", published=WEDNESDAY)
    assert [(t.text, t.value) for t in times] == [("one day", "P1D")]
