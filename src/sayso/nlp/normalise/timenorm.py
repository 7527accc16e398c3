"""TIMEX3-style normalisation of one time expression against an anchor date.

`normalise("last week", Anchor(date(2022, 1, 15), "published:2022-01-15"))` gives
`Timex("DATE", "2022-W01", "week", anchored=True)`. The rules are tried from the most specific
(clock times, quarters, "N units ago") to the most general (absolute dates, which dateparser
parses); the vocabulary they use lives in data/times.json. Policies that news needs and parsers
do not have are ours: a bare weekday is the most recent one on or before the anchor unless the
verb is future; a date without a year takes the year that puts it nearest the anchor, on the
side of it the verb's tense points to.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sayso.nlp.normalise.numbers import parse_number, parse_ordinal

DATA_FILE = Path(__file__).parent.parent / "data" / "times.json"
UNIT_GRANULARITY = {
    "S": "second",
    "MIN": "minute",
    "H": "hour",
    "D": "day",
    "W": "week",
    "WE": "week",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
    "DE": "decade",
    "CE": "century",
    "ML": "millennium",
}
CLOCK_UNITS = {"H", "MIN", "S"}
# ISO 8601 durations have no quarters, decades, centuries or fortnights: counted in these
NON_ISO_UNITS = {"WE": ("W", 1), "FN": ("W", 2), "Q": ("M", 3), "DE": ("Y", 10),
                 "CE": ("Y", 100), "ML": ("Y", 1000)}
# where the fraction of a unit goes: half a year is six months, half an hour thirty minutes
FRACTION_UNITS = {"Y": ("M", 12), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60),
                  "MIN": ("S", 60)}


@dataclass(frozen=True)
class Anchor:
    """The day a relative expression counts from, and a label saying where it came from."""

    day: date
    label: str


@dataclass
class Timex:
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    granularity: str | None = None
    anchored: bool = False  # the value depends on the anchor
    anchor: str | None = None  # the anchor's label, when it was used
    resolved: bool = True
    reason: str | None = None


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The time vocabulary and compiled rule patterns, built once per process."""
    lex = json.loads(DATA_FILE.read_text(encoding="utf-8"))

    def alternation(words) -> str:
        return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))

    units = alternation(list(lex["units"]) + list(lex["unit_plurals"]))
    number = r"(?:[\d.,]+(?: \d/\d)?|[a-z]+(?:[ -][a-z]+)*?)"
    zones = alternation(lex["time_zones"])
    months = alternation(lex["months"])
    compare = lex["comparisons"]
    periods = alternation(compare["periods"])
    lex["re"] = {
        "prefix": re.compile(rf"^(?:(?:{alternation(lex['modifiers'])})(?:\s+|-|$))+"),
        "unit": re.compile(rf"^(?:{units})s?$"),
        "ago": re.compile(
            rf"^(?P<n>{number})[ -](?P<unit>{units})s? (?P<dir>"
            rf"{alternation([*lex['ago'], *lex['after_event']])})$"
        ),
        "duration": re.compile(
            rf"^(?:(?:{alternation(lex['span_words'])}) )?"
            # "two to three weeks": a range of lengths is read as its lower end
            rf"(?P<n>{number})?(?:(?: to | or |-)(?:{number}) (?=\w))?"
            rf"(?:[ -](?:{alternation(lex['duration_fillers'])}))?"
            rf"[ -]?(?P<unit>{units})(?P<plural>s)?"
            rf"(?:[ -](?:{alternation(lex['duration_tails'])}))?(?: of (?:the year|[12]\d{{3}}))?$"
        ),
        # "weeks or months", "recent days and weeks": read as the first unit
        "coordinated_units": re.compile(rf"\b(?P<unit>(?:{units})s) (?:and|or) (?:{units})s\b"),
        "and_a_half": re.compile(rf"\b(?P<n>a|an|one|\d+|[a-z]+) (?P<unit>{units}) and a half\b"),
        "half": re.compile(
            rf"^(?:the )?(?P<h>{alternation(lex['halves'])})[ -]half"
            r"(?: of (?:(?P<y>[12]\d{3})|(?P<rel>this|last|next|the) year|(?P<rest>.+)))?$"
        ),
        "week_number": re.compile(
            r"^(?:the )?week (?P<n>\d{1,2})(?:,? (?:of )?(?P<y>[12]\d{3}))?$"
        ),
        "deictic": re.compile(rf"^(?P<d>{alternation(lex['deictic'])}) (?P<rest>.+)$"),
        "clock": re.compile(
            r"(?:at )?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*"
            r"(?P<ampm>[ap])\.?\s?m\b\.?"
            r"|(?:at )?\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
            # "05.00 GMT", "1035 GMT": wire and British stamps, only with their zone
            rf"|\b(?P<hz>[01]?\d|2[0-3])\.?(?P<mz>[0-5]\d) ?(?=(?:{zones})\b)"
            r"|\b(?P<ho>1[0-2]|[1-9]) o'clock\b"
            # a phrase that is only "11.05": a live blog's or a timetable's clock
            r"|^(?P<hd>[01]?\d|2[0-3])\.(?P<md>[0-5]\d)$"
        ),
        "hour_words": re.compile(
            rf"\b(?P<n>{alternation(lex['hour_words'])})"
            rf"(?= (?:o'clock|[ap]\.?m\b|(?:{alternation(lex['clock_parts'])})\b))"
        ),
        "clock_part": re.compile(
            rf"\b(?P<clock>\d{{1,2}}(?:[:.]\d{{2}})?)(?: o'clock)? "
            rf"(?P<part>{alternation(lex['clock_parts'])})\b"
        ),
        "part": re.compile(
            rf"(?:(?:in|at) )?(?:the )?\b(?P<part>"
            rf"{alternation(lex['parts_of_day'])})\b"
        ),
        "decade": re.compile(
            r"^(?:the )?(?:(?P<c>\d{2})?(?P<d>\d)0'?s|'(?P<d2>\d)0s|"
            rf"(?P<w>{alternation(lex['decade_words'])}))$"
        ),
        "century": re.compile(r"^(?:the )?(?P<n>\w+)[ -]century$"),
        "quarter": re.compile(
            r"^(?:the )?(?:(?P<y1>\d{4}) |(?P<rel>this|last|next|year-ago|year-earlier) "
            r"(?:year )?)?(?P<q>\w+)(?:[ -]fiscal)?[ -]quarter"
            r"(?: of (?:(?P<y2>\d{4})|(?P<rel2>this|last|next) year))?$"
        ),
        "year": re.compile(
            rf"^(?:the (?:year )?)?(?P<y>[12]\d{{3}})(?: (?P<period>{periods})| fiscal year)?$"
        ),
        "spoken_year_alone": re.compile(r"^the year (?P<n>[a-z -]+)$"),
        "spoken_year": re.compile(
            rf"\b(?P<c>{alternation(lex['spoken_years'])})(?: and)? "
            r"(?P<rest>[a-z]+(?:[ -][a-z]+)?)\b"
        ),
        "vague_ref": re.compile(
            rf"^(?P<ref>{alternation(lex['vague_references'])})"
            rf"(?: (?:{alternation(lex['vague_counts'])}))? (?P<unit>\w+s)$"
        ),
        "month_deictic": re.compile(
            rf"^(?P<m>{alternation(lex['months'])}) (?P<d>last|this|next) year$"
        ),
        "weekday_deixis": re.compile(
            rf"\b(?:(?:this|next|last|coming|past) )+(?=(?:{alternation(lex['weekdays'])})\b)"
        ),
        "stamp": re.compile(lex["stamp"], re.M),
        # a phrase naming a day, the only kind a present verb makes a timetable of
        "day_word": re.compile(
            rf"\b(?:{alternation(lex['weekdays'])}|weekend|tonight|tomorrow)\b"
            rf"|\b(?:{months})\.? \d{{1,2}}\b|\b\d{{1,2}} (?:{months})\b"
        ),
        "time_zone": re.compile(rf"\b(?:{alternation(lex['time_zones'])})\b"),
        "has_date_word": re.compile(
            rf"\b(?:{alternation(lex['months'])})\b|\b[12]\d{{3}}\b|\b\d{{1,4}}[/.-]\d{{1,2}}\b"
        ),
        "comparison": re.compile(
            rf"^(?:the )?(?:(?:{alternation(compare['qualifiers'])}) )*(?:"
            rf"(?:{alternation(compare['back'])})(?: (?:{periods}))?"
            rf"|last year (?:{periods})|(?:{periods}) last year"
            rf"|(?:(?:{periods}) )?(?P<n>{number}) years? (?:ago|earlier|before))$"
        ),
        "narrative": re.compile(rf"^(?:{alternation(lex['narrative'])}) (?P<unit>\w+)$"),
        "reported_period": re.compile(
            rf"^(?:{alternation(compare['references'])})$"
        ),
    }
    return lex


def comparison_years(text: str) -> int | None:
    """How many years back a comparison with "the same period" reaches ("a year earlier",
    "the year-ago quarter", "the corresponding period last year"); None for other phrases."""
    match = lexicon()["re"]["comparison"].match(_clean(text))
    if match is None:
        return None
    years = _number(match.group("n"))
    return int(years) if years and years == int(years) else None


def year_of_period(text: str) -> str | None:
    """The year of "the 2019 period", "the 2021 quarter": a reporting period of that year."""
    match = lexicon()["re"]["year"].match(_clean(text))
    return match.group("y") if match and match.group("period") else None


def refers_to_reported_period(text: str) -> bool:
    """ "the quarter", "that period", "the latest period": the period a report is about."""
    return lexicon()["re"]["reported_period"].match(_clean(text)) is not None


def narrative_unit(text: str) -> str | None:
    """The calendar unit of "that year", "the following month": phrases that count from the
    last time a story told rather than from the publication date."""
    match = lexicon()["re"]["narrative"].match(_clean(text))
    return unit_code(match.group("unit")) if match else None


def _clean(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s+", " ", text).strip(" .,;:!?\"'()")
    text = re.sub(r"\ba couple of\b", "two", text)
    text = re.sub(r" or (?:so|two|more)\b", "", text)
    text = lexicon()["re"]["spoken_year"].sub(_spoken_year, text)
    text = re.sub(r"'s\b", "", text)
    lex = lexicon()
    text = lex["re"]["coordinated_units"].sub(r"\g<unit>", text)
    # "a minute and a half" -> "a and a half minutes", the order the duration rule reads
    text = lex["re"]["and_a_half"].sub(r"\g<n> and a half \g<unit>s", text)
    # "four in the morning" -> "4 a.m."
    text = lex["re"]["hour_words"].sub(lambda m: str(int(parse_number(m.group("n")))), text)
    text = lex["re"]["clock_part"].sub(
        lambda m: f"{m.group('clock')} {lex['clock_parts'][m.group('part')]}", text)
    return re.sub(r"\b(?:the )?year[- ]end\b", "the end of the year", text)


def _spoken_year(match: re.Match) -> str:
    """"nineteen ninety-six" -> "1996", as broadcast transcripts write years."""
    rest = parse_number(match.group("rest"))
    if rest is None or not 0 < rest < 100:
        return match.group(0)
    return str(lexicon()["spoken_years"][match.group("c")] + int(rest))


def _strip_prefix(text: str) -> str:
    """Drop prepositions, approximators and "early/late/mid" that do not change the value,
    keeping the "the" of "the end of the year" (a bare "year" would read as a duration)."""
    stripped = lexicon()["re"]["prefix"].sub("", text).strip()
    if unit_code(stripped) and (text.startswith("the ") or text.endswith(f"the {stripped}")):
        return f"the {stripped}"
    return stripped


def unit_code(word: str) -> str | None:
    lex = lexicon()
    word = lex["unit_plurals"].get(word, word)
    return lex["units"].get(word.rstrip("s") if word not in lex["units"] else word)


def _number(text: str | None) -> float | None:
    if not text:
        return 1.0
    return parse_number(text)


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


# ---- date arithmetic and formatting ---------------------------------------------------


def shift(day: date, unit: str, n: int) -> date:
    """`day` moved by n calendar units (months clamp to the month's last day)."""
    if unit == "D":
        return day + timedelta(days=n)
    if unit in ("W", "WE"):
        return day + timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200, "ML": 12000}[unit] * n
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def fmt(day: date, unit: str) -> str:
    """The TIMEX3 value of the calendar unit that contains `day`."""
    if unit == "D":
        return day.isoformat()
    if unit in ("W", "WE"):
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    return str(day.year // {"DE": 10, "CE": 100, "ML": 1000}[unit])


def _relative(anchor: Anchor | None, unit: str, n: int, typ: str = "DATE") -> Timex:
    if anchor is None:
        return Timex(
            typ, "XXXX-XX-XX", UNIT_GRANULARITY.get(unit), resolved=False, reason="no anchor date"
        )
    return Timex(
        typ, fmt(shift(anchor.day, unit, n), unit), UNIT_GRANULARITY.get(unit), anchored=True
    )


def _weekday(anchor: Anchor | None, weekday: int, direction: int) -> Timex:
    """The weekday nearest the anchor in `direction` (-1 on or before, 1 on or after,
    -2 strictly before, 2 strictly after)."""
    if anchor is None:
        return Timex("DATE", "XXXX-XX-XX", "day", resolved=False, reason="no anchor date")
    back = (anchor.day.weekday() - weekday) % 7
    ahead = (weekday - anchor.day.weekday()) % 7
    if direction == -2:
        back = back or 7
    if direction == 2:
        ahead = ahead or 7
    days = -back if direction < 0 else ahead
    return Timex("DATE", (anchor.day + timedelta(days=days)).isoformat(), "day", anchored=True)


def _weekend(anchor: Anchor, tense: int, this: bool = False) -> Timex:
    """ "over the weekend": in news the one just past (on a Monday, last ISO week's), or the
    next one for a future verb. "This weekend" is the one of the anchor's week unless a past
    verb says it is the one just gone ("protests this weekend drew thousands", on a Monday)."""
    saturday = anchor.day - timedelta(days=(anchor.day.weekday() - 5) % 7)
    if this and tense >= 0:
        saturday = anchor.day + timedelta(days=5 - anchor.day.weekday())
    elif tense > 0 and saturday < anchor.day - timedelta(days=1):
        saturday += timedelta(weeks=1)
    return Timex("DATE", fmt(saturday, "WE"), "week", anchored=True)


def _year_for(anchor: date, month: int, day: int | None, tense: int) -> int:
    """The year of a date given without one: the nearest occurrence, counting days ahead
    double since news mostly reports the past; never before the anchor for future verbs
    (tense 1), never after it for past ones (tense -1)."""

    def cost(year: int) -> float:
        when = date(year, month, min(day or 15, calendar.monthrange(year, month)[1]))
        ahead = (when - anchor).days
        this_month = (when.month, day or 0) == (anchor.month, 0)
        if tense and ahead * tense < 0 and not this_month:
            return float("inf")
        return 2 * ahead if ahead > 0 and tense <= 0 else abs(ahead)

    return min((anchor.year - 1, anchor.year, anchor.year + 1), key=cost)


# ---- the rules --------------------------------------------------------------------------


def _reference(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    lex = lexicon()
    if text in lex["references"]:
        return Timex("DATE", lex["references"][text], None, anchored=anchor is not None)
    if text in lex["sets"]:
        return Timex("SET", lex["sets"][text], None)
    if text in lex["days_from_anchor"]:
        unit_day = _relative(anchor, "D", lex["days_from_anchor"][text])
        part = lex["re"]["part"].search(text)
        if part and unit_day.resolved:
            unit_day.type = "TIME"
            unit_day.value += "T" + lex["parts_of_day"][part.group("part")]
        return unit_day
    vague = lex["re"]["vague_ref"].match(text)
    if vague and unit_code(vague.group("unit")):  # "recent days", "the past few months"
        value = lex["vague_references"][vague.group("ref")]
        return Timex("DATE", value, None, anchored=anchor is not None)
    return None


def _set(text: str, anchor: Anchor | None = None, tense: int = 0) -> Timex | None:
    lex = lexicon()
    words = text.split()
    if len(words) < 2 or words[0] not in lex["set_words"]:
        return None
    rest = " ".join(words[1:])
    if rest in lex["weekdays"]:
        return Timex("SET", f"XXXX-WXX-{lex['weekdays'][rest] + 1}", "day")
    if rest in lex["months"]:
        return Timex("SET", f"XXXX-{lex['months'][rest]:02d}", "month")
    duration = _duration(rest)
    if duration:
        return Timex("SET", duration.value, duration.granularity)
    return None


def _duration(text: str, anchor: Anchor | None = None, tense: int = 0) -> Timex | None:
    """ "44 days", "a 30-year-long", "several years", "the past 20 years" -> PnU / PXU."""
    lex = lexicon()
    match = lex["re"]["duration"].match(text)
    if not match:
        return None
    unit = unit_code(match.group("unit"))
    if unit is None:
        return None
    words = match.group("n")
    plural = match.group("plural") or match.group("unit") in lex["unit_plurals"]
    if words and re.fullmatch(r"[12]\d{3}", words) and not plural:
        return None  # "the 2019 quarter" is a date
    if words and words.strip() in lex["vague_counts"] or not words and plural:
        return _vague_length(unit)
    n = _number(words)
    if n is None:
        return None
    unit, factor = NON_ISO_UNITS.get(unit, (unit, 1))
    return Timex("DURATION", _length(n * factor, unit), UNIT_GRANULARITY.get(unit))


def _vague_length(unit: str) -> Timex:
    """ "several weeks", "recent months": a length of unknown count, PXW / PXM.

    Units ISO 8601 lacks keep the TimeML code when the count is unknown ("centuries": PXCE);
    weekends and fortnights count in weeks, quarters in months."""
    symbol = {"WE": "W", "FN": "W", "Q": "M", "MIN": "M"}.get(unit, unit)
    prefix = "PT" if unit in CLOCK_UNITS else "P"
    return Timex("DURATION", f"{prefix}X{symbol}", UNIT_GRANULARITY.get(unit))


def _length(n: float, unit: str) -> str:
    """An ISO 8601 duration of n units, a fraction carried into the next smaller unit
    when it comes out whole ("2 1/2 years" -> P2Y6M, "an hour and a half" -> PT1H30M)."""
    whole = int(n)
    smaller = FRACTION_UNITS.get(unit)
    parts = [(n, unit)]
    if whole != n and smaller and (n - whole) * smaller[1] == int((n - whole) * smaller[1]):
        parts = [(whole, unit), (int((n - whole) * smaller[1]), smaller[0])] if whole else \
            [(int((n - whole) * smaller[1]), smaller[0])]
    date_part = "".join(f"{_fmt_number(k)}{u}" for k, u in parts if u not in CLOCK_UNITS)
    clock_part = "".join(f"{_fmt_number(k)}{'M' if u == 'MIN' else u}" for k, u in parts
                         if u in CLOCK_UNITS)
    return f"P{date_part}" + (f"T{clock_part}" if clock_part else "")


def _ago(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    """ "two weeks ago", "a year earlier", "three days from now"; "three days later" counts
    from an event, not from the anchor, so TimeML reads it as the length "three days"."""
    lex = lexicon()
    match = lex["re"]["ago"].match(text)
    if not match:
        return None
    unit, n = unit_code(match.group("unit")), _number(match.group("n"))
    direction = lex["ago"].get(match.group("dir"))
    if unit is None:
        return None
    if direction is None:  # "later", "after", "before"
        return _duration(f"{match.group('n')} {match.group('unit')}s")
    if match.group("n") in lex["vague_counts"]:  # "several years ago"
        return Timex("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", None,
                     anchored=anchor is not None)
    if n is None or unit in CLOCK_UNITS:
        return None
    return _relative(anchor, unit, int(n) * direction)


def _deictic(text: str, anchor: Anchor | None, tense: int) -> Timex | None:
    """ "last year", "this week", "next Friday", "last October", "this summer", "the quarter"."""
    lex = lexicon()
    match = lex["re"]["deictic"].match(text)
    if not match:
        return None
    offset, rest = lex["deictic"][match.group("d")], match.group("rest")
    rest = rest.removeprefix("fiscal ").removeprefix("calendar ")  # "the current fiscal year"
    deixis = match.group("d")
    if rest in lex["weekdays"]:
        direction = {-1: -2, 1: 2}.get(offset, 1 if tense > 0 else -1)
        return _weekday(anchor, lex["weekdays"][rest], direction)
    # "last April", said in October, is this year's; "last February", said in March, is last
    # year's (this year's would be "last month"); "this past February" is the nearest one
    nearest = deixis in lex["nearest_deixis"]
    if anchor and rest in lex["months"]:
        month = lex["months"][rest]
        year = anchor.day.year + offset
        if offset == -1 and (month < anchor.day.month - 1 or nearest and month < anchor.day.month) \
                or offset == 1 and month > anchor.day.month:
            year = anchor.day.year
        return Timex("DATE", f"{year:04d}-{month:02d}", "month", anchored=True)
    if anchor and rest in lex["seasons"]:  # "last spring" is last year's, "this past" the nearest
        season = lex["seasons"][rest]
        year = anchor.day.year + offset
        if nearest and offset == -1 and lex["season_ends"].get(season, 12) < anchor.day.month:
            year = anchor.day.year
        return Timex("DATE", f"{year:04d}-{season}", "season", anchored=True)
    unit = unit_code(rest) if not rest.endswith("s") or rest == "this" else None
    if unit is None or unit in CLOCK_UNITS:
        return None
    if unit == "Q" and deixis == "the":
        offset = -1  # "the quarter" in news is the last one reported, not the one under way
    if unit == "WE" and deixis in ("the", "this") and anchor is not None:
        return _weekend(anchor, tense, deixis == "this")
    if offset == -4 and unit != "Q":
        offset = -1
    if offset == -4 and deixis.startswith("the"):
        offset = -5 if anchor and (anchor.day.month - 1) % 3 == 0 else -4
    return _relative(anchor, unit, offset)


def _decade_century(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    lex = lexicon()
    match = lex["re"]["decade"].match(text)
    if match:
        century = match.group("c")
        digit = match.group("d") or match.group("d2")
        decade = int(digit) if digit else lex["decade_words"][match.group("w")]
        if century is None and anchor is None:
            century = "XX"
        elif century is None:  # "the '90s", "the nineties": the such decade nearest the anchor
            century = str(min(range(anchor.day.year // 100 - 1, anchor.day.year // 100 + 1),
                              key=lambda c: abs(c * 100 + decade * 10 + 5 - anchor.day.year)))
        return Timex("DATE", f"{century}{decade}", "decade", anchored=match.group("c") is None)
    match = lex["re"]["century"].match(text)
    if match:
        n = parse_ordinal(match.group("n"))
        if n:
            return Timex("DATE", f"{n - 1:02d}", "century")
    return None


def _quarter(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    """ "the third quarter" -> YYYY-Q3: this year's, or last year's if it is still to come."""
    match = lexicon()["re"]["quarter"].match(text)
    if not match:
        return None
    q = parse_ordinal(match.group("q"))
    if q is None or not 1 <= q <= 4:
        return None
    year = match.group("y1") or match.group("y2")
    if year:
        return Timex("DATE", f"{year}-Q{q}", "quarter")
    if anchor is None:
        return Timex("DATE", f"XXXX-Q{q}", "quarter", resolved=False, reason="no anchor date")
    current = (anchor.day.month - 1) // 3 + 1
    y = anchor.day.year if q <= current or tense > 0 else anchor.day.year - 1
    rel = match.group("rel") or match.group("rel2")
    if rel:
        y = anchor.day.year + {"this": 0, "next": 1}.get(rel, -1)
    return Timex("DATE", f"{y:04d}-Q{q}", "quarter", anchored=True)


def _half_or_week(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    """ "the first half of 2023" -> 2023-H1 (a half without a year is this year's, or last
    year's if it is still to come, as for quarters); "week 7" -> the ISO week, two digits."""
    lex = lexicon()
    half = lex["re"]["half"].match(text)
    week = None if half else lex["re"]["week_number"].match(text)
    match = half or week
    if match is None:
        return None
    if half and half.group("rest"):  # "the last half of the '80s": the half of no year
        return normalise_clean(half.group("rest"), anchor, tense)
    year = match.group("y")
    rel = match.group("rel") if half else None
    if year is None and anchor is None:
        return Timex("DATE", "XXXX", None, resolved=False, reason="no anchor date")
    if year is None:
        year = anchor.day.year + {"last": -1, "next": 1}.get(rel or "", 0)
        if half and rel is None and lex["halves"][match.group("h")] == 2 and \
                anchor.day.month <= 6 and tense <= 0:
            year -= 1
    if half:
        return Timex("DATE", f"{int(year):04d}-H{lex['halves'][match.group('h')]}", "half",
                     anchored=match.group("y") is None)
    n = int(match.group("n"))
    if not 1 <= n <= 53:
        return None
    return Timex("DATE", f"{int(year):04d}-W{n:02d}", "week", anchored=match.group("y") is None)


def _clock(text: str) -> tuple[str, str] | None:
    """The time of day a phrase names ("22:15", "MO") and what is left of it (the day)."""
    lex = lexicon()
    clock = lex["re"]["clock"].search(text)
    part = None if clock else lex["re"]["part"].search(text)
    if not clock and not part:
        return None
    if clock:
        hour = int(next(h for h in clock.group("h", "h24", "hz", "ho", "hd") if h))
        minute = next((m for m in clock.group("m", "m24", "mz", "md") if m), "00")
        if clock.group("ampm") == "p" and hour < 12:
            hour += 12
        if clock.group("ampm") == "a" and hour == 12:
            hour = 0
        time_value, span = f"{hour:02d}:{minute}", clock.span()
    else:
        time_value, span = lex["parts_of_day"][part.group("part")], part.span()
    rest = text[: span[0]] + " " + text[span[1] :]
    return time_value, _strip_prefix(lex["re"]["time_zone"].sub("", rest).strip(" ,"))


def bare_clock(text: str) -> bool:
    """A clock time or part of the day that names no day ("at 10 a.m.", "the morning"):
    TimeML puts it on the day the story is telling, not always the publication day."""
    clock = _clock(_clean(text))
    return clock is not None and clock[1] == ""


def _time_of_day(text: str, anchor: Anchor | None, tense: int) -> Timex | None:
    """Clock times and parts of the day, on the day the rest of the phrase names."""
    clock = _clock(text)
    if clock is None:
        return None
    time_value, rest = clock
    if rest in ("last", "yesterday"):
        day = _relative(anchor, "D", -1)
    elif rest in ("", "this", "today", "tonight"):
        day = _relative(anchor, "D", 0)
    else:
        day = normalise_clean(rest, anchor, tense)
    if day is None or day.granularity != "day":
        return None
    if not day.resolved:
        return Timex(
            "TIME", f"{day.value}T{time_value}", "minute", resolved=False, reason=day.reason
        )
    return Timex("TIME", f"{day.value}T{time_value}", "minute", anchored=day.anchored)


def _absolute(text: str, anchor: Anchor | None, tense: int) -> Timex | None:
    """Calendar dates and years; dateparser reads the formats, the year policy is ours."""
    lex = lexicon()
    year = lex["re"]["year"].match(text)
    if year:
        return Timex("DATE", year.group("y"), "year")
    spoken = lex["re"]["spoken_year_alone"].match(text)  # "the year two thousand"
    n = parse_number(spoken.group("n")) if spoken else None
    if n and 1000 <= n < 3000 and n == int(n):
        return Timex("DATE", f"{int(n)}", "year")
    month = lex["re"]["month_deictic"].match(text)
    if month and anchor:  # "June last year"
        y = anchor.day.year + lex["deictic"][month.group("d")]
        value = f"{y:04d}-{lex['months'][month.group('m')]:02d}"
        return Timex("DATE", value, "month", anchored=True)
    if text in lex["weekdays"]:
        return _weekday(anchor, lex["weekdays"][text], 1 if tense > 0 else -1)
    if text in lex["seasons"]:
        if anchor is None:
            return None
        return Timex(
            "DATE", f"{anchor.day.year:04d}-{lex['seasons'][text]}", "season", anchored=True
        )
    season = re.match(rf"^({'|'.join(lex['seasons'])}),? (?:of )?([12]\d{{3}})$", text)
    if season:
        return Timex("DATE", f"{season.group(2)}-{lex['seasons'][season.group(1)]}", "season")
    # a date needs a month or a numeric date: dateparser alone reads "58" or "the 99th day"
    # as a month of the base year
    if not lex["re"]["has_date_word"].search(text):
        return None
    # a leading weekday adds nothing once the date itself is given ("this coming Sunday,
    # March 8"); "March eighth" is "March 8"
    text = lex["re"]["weekday_deixis"].sub("", text)
    words = [_ordinal_digits(w) for w in re.split(r"[ ,]+", text)
             if w not in lex["weekdays"] and w not in ("the", "of")]
    parsed = _dateparse(" ".join(words))
    if parsed is None:
        return None
    when, period = parsed
    granularity = {"day": "day", "month": "month", "year": "year"}.get(period)
    has_year = re.search(r"\b[12]\d{3}\b", text)
    if granularity is None or granularity == "year" and not has_year:
        return None
    if has_year:
        value = {
            "day": when.isoformat(),
            "month": when.strftime("%Y-%m"),
            "year": f"{when.year:04d}",
        }[granularity]
        return Timex("DATE", value, granularity)
    if anchor is None:
        tail = {"day": when.strftime("%m-%d"), "month": when.strftime("%m")}.get(granularity)
        return Timex("DATE", f"XXXX-{tail}", granularity, resolved=False, reason="no year")
    year = _year_for(anchor.day, when.month, when.day if granularity == "day" else None, tense)
    value = f"{year:04d}-{when.month:02d}" + (f"-{when.day:02d}" if granularity == "day" else "")
    return Timex("DATE", value, granularity, anchored=True)


def _ordinal_digits(word: str) -> str:
    """ "eighth" -> "8", so dateparser reads dates spoken as ordinals ("March eighth")."""
    n = parse_ordinal(word) if word.isalpha() or "-" in word else None
    return str(n) if n and n <= 31 else word


@lru_cache(maxsize=4096)
def _dateparse(text: str) -> tuple[date, str] | None:
    """dateparser's reading of an absolute date and its period, cached: it is the costly step."""
    data = _parser().get_date_data(text)
    if data is None or not isinstance(data.date_obj, datetime):
        return None
    return data.date_obj.date(), data.period


@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser

    # a fixed base year far from any article: missing years are detected, not defaulted
    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime(2000, 1, 1),
            "PARSERS": ["absolute-time"],
        },
    )


# ---- entry point ------------------------------------------------------------------------

RULES = (
    _reference,
    _set,
    _decade_century,
    _quarter,
    _half_or_week,
    _ago,
    _time_of_day,
    _deictic,
    _duration,
    _absolute,
)


def normalise_clean(text: str, anchor: Anchor | None, tense: int = 0) -> Timex | None:
    """Apply the rules to a cleaned phrase, first with and then without its modifiers."""
    for candidate in dict.fromkeys((text, _strip_prefix(text))):
        for rule in RULES:
            timex = rule(candidate, anchor, tense)
            if timex is not None:
                return timex
    return None


def normalise(text: str, anchor: Anchor | None, tense: int = 0) -> Timex:
    """The TIMEX3 reading of a time phrase; unresolved (with a reason) when no rule applies."""
    return replace(_normalise(text, anchor, tense))  # a copy: callers may change theirs


@lru_cache(maxsize=8192)
def _normalise(text: str, anchor: Anchor | None, tense: int) -> Timex:
    """Cached: a tagger reads the same phrase against the same anchor several times (ranges,
    span edges, narrative re-anchoring)."""
    timex = normalise_clean(_clean(text), anchor, tense)
    if timex is None:
        return Timex("DATE", "XXXX-XX-XX", None, resolved=False, reason="no rule applies")
    if timex.anchored and anchor is not None:
        timex.anchor = anchor.label
    return timex
