"""Normalised times (TIMEX3-style values: `2025-03-03`, `2020`, `PAST_REF`, `P3D`, `XXXX-XX-XX`)
as words a reader can take in at a glance: "Monday 3 March 2025", "the past", "3 days".

Hand-written because the values are sayso's own small subset of TIMEX3, which no maintained
library renders; the words live in when.json.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from importlib import resources

WORDS = json.loads(resources.files(__package__).joinpath("when.json").read_text("utf-8"))
DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(?:(\d{2}):(\d{2})|([A-Z]{2})))?")
MONTH = re.compile(r"(\d{4})-(\d{2})")
YEAR = re.compile(r"(\d{4})")
DECADE = re.compile(r"(\d{3})X")
CENTURY = re.compile(r"(\d{2})XX")
WEEK = re.compile(r"(\d{4})-W(\d{2})")
PART = re.compile(r"(\d{4})-([A-Z]{2}|[QH]\d)")
DURATION = re.compile(r"P(T?)(\d+(?:\.\d+)?|X)([A-Z]{1,2})")


def _plural(n: str, unit: str) -> str:
    """"1 day", "3 days", and "some days" for an unknown number (X)."""
    if n == "X":
        return f"some {unit}s"
    return f"{n} {unit}" if n == "1" else f"{n} {unit}s"


def _dated(value: str) -> str | None:
    """Calendar values: a day (with its weekday, and a clock time if given), month, week,
    season or quarter, year, decade, century."""
    if m := DAY.fullmatch(value):
        y, mo, d, hh, mm, part = m.groups()
        try:
            day = date(int(y), int(mo), int(d))
        except ValueError:
            return None
        if part and part not in WORDS["parts"]:
            return None
        clock = f", {hh}:{mm}" if hh else f", {WORDS['parts'][part]}" if part else ""
        return f"{day:%A} {day.day} {day:%B %Y}{clock}"
    if m := WEEK.fullmatch(value):
        return f"week {int(m[2])} of {m[1]}"
    if (m := MONTH.fullmatch(value)) and 1 <= int(m[2]) <= 12:
        return f"{datetime(int(m[1]), int(m[2]), 1):%B %Y}"
    if (m := PART.fullmatch(value)) and m[2] in WORDS["parts"]:
        return f"{WORDS['parts'][m[2]]} {m[1]}"
    if m := YEAR.fullmatch(value):
        return m[1]
    if m := DECADE.fullmatch(value):
        return f"the {m[1]}0s"
    if m := CENTURY.fullmatch(value):
        return f"the {m[1]}00s"
    return None


def readable(value: str | None) -> str | None:
    """`value` in words, None when there is none; an unrecognised value comes back as it is,
    so nothing the engine found is hidden."""
    if not value:
        return None
    if value in WORDS["refs"]:
        return WORDS["refs"][value]
    if set(value) <= set("X-"):
        return WORDS["unknown"]
    if (m := DURATION.fullmatch(value)) and m[1] + m[3] in WORDS["units"]:
        return _plural(m[2], WORDS["units"][m[1] + m[3]])
    approx = value.endswith("~")
    words = _dated(value.rstrip("~"))
    if words is None:
        return value
    return f"around {words}" if approx else words
