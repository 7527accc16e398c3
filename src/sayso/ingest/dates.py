"""Dates in the one form the data model uses, ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" when a
time is known, and "YYYY-MM-DDTHH:MM+HH:MM" when its zone is known too, whatever the source wrote
("12.03.2021", "March 3, 2021 14:05", "9:15am, 5 Mar 2024", "Wed 6 Mar 2024 05.00 GMT", ISO
stamps, feed tuples). A time is kept as the clock the source printed it in, with the source's
offset: the zone is kept, never converted, so the day stays the one the outlet printed."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

DAY = "%Y-%m-%d"
MINUTE = "%Y-%m-%dT%H:%M"
ZONED = MINUTE + "%z"  # htmldate's output format: the offset when the page states one

# "14:05", "9am", and the British "05.00 GMT" / "9.15am", not the "05.03" of "05.03.2024"
_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b|\b\d{1,2}\.\d{2}\b(?!\.\d)", re.I)
_DAY_FIRST = re.compile(r"\b\d{1,2}[.-]\d{1,2}[.-]\d{4}\b")
MAX_DATE_CHARS = 100  # a longer "date" is no date, and would keep dateparser busy
_AMBIGUOUS_ZONES = frozenset(
    line.strip() for line in
    (Path(__file__).with_name("ambiguous_zones.txt")).read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
_WORD = re.compile(r"[A-Za-z]+")


def format_date(moment: datetime, with_time: bool) -> str:
    """The day, or the minute with the offset where `moment` knows its zone ("+00:00" for UTC)."""
    if not with_time:
        return moment.strftime(DAY)
    stamp = moment.strftime(MINUTE)
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    return stamp + moment.isoformat(timespec="minutes")[16:]  # isoformat's "+HH:MM"


def parse_text(text: str) -> str | None:
    """A date as people write it; numeric dates with dots or dashes are read day first (the
    European convention), with slashes month first (the US one)."""
    import dateparser  # slow to import; only scraped text with stamps needs it

    order = "DMY" if _DAY_FIRST.search(text) else "MDY"
    moment = dateparser.parse(
        text,
        languages=["en"],
        # no relative parser: "2 hours ago" on a page says nothing about when it was published
        settings={"DATE_ORDER": order, "REQUIRE_PARTS": ["day", "month", "year"],
                  "PARSERS": ["timestamp", "custom-formats", "absolute-time"]},
    )
    if moment is None:
        return None
    if moment.tzinfo is not None and _AMBIGUOUS_ZONES.intersection(_WORD.findall(text)):
        moment = moment.replace(tzinfo=None)
    return format_date(moment, bool(_TIME.search(text)))


def normalize(value: object) -> str | None:
    """A metadata date (ISO string, datetime, feed `struct_time`) in the model's form."""
    if isinstance(value, time.struct_time):  # feedparser's parsed dates are in UTC
        return format_date(datetime(*value[:6], tzinfo=UTC), True)
    if isinstance(value, datetime):
        return format_date(value, True)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_DATE_CHARS:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return parse_text(text)
    return format_date(moment, bool(_TIME.search(text)))


def drop_midnight(value: str | None) -> str | None:
    """htmldate pads date-only sources with 00:00 (and no zone); a bare midnight says nothing
    about the time."""
    return value[:10] if value and value.endswith("T00:00") else value


def from_htmldate(value: str | None) -> str | None:
    """htmldate's `ZONED` output ("2024-03-05T09:15+0100") in the model's form."""
    return normalize(drop_midnight(value)) if value else None
