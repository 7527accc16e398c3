"""Dates in the one form the data model uses: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" when a time is
known, whatever the source wrote ("12.03.2021", "March 3, 2021 14:05", "9:15am, 5 Mar 2024",
"Wed 6 Mar 2024 05.00 GMT", ISO stamps, feed tuples). A time is kept as the clock the source
printed it in; the zone is not converted."""

from __future__ import annotations

import re
import time
from datetime import datetime

DAY = "%Y-%m-%d"
MINUTE = "%Y-%m-%dT%H:%M"

# "14:05", "9am", and the British "05.00 GMT" / "9.15am", not the "05.03" of "05.03.2024"
_TIME = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b|\b\d{1,2}\.\d{2}\b(?!\.\d)", re.I)
_DAY_FIRST = re.compile(r"\b\d{1,2}[.-]\d{1,2}[.-]\d{4}\b")
MAX_DATE_CHARS = 100  # a longer "date" is no date, and would keep dateparser busy


def format_date(moment: datetime, with_time: bool) -> str:
    return moment.strftime(MINUTE if with_time else DAY)


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
    return format_date(moment, bool(_TIME.search(text))) if moment else None


def normalize(value: object) -> str | None:
    """A metadata date (ISO string, datetime, feed `struct_time`) in the model's form."""
    if isinstance(value, time.struct_time):
        return format_date(datetime(*value[:6]), True)
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
    """htmldate pads date-only sources with 00:00; a bare midnight says nothing about the time."""
    return value[:10] if value and value.endswith("T00:00") else value
