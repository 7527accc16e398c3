"""Find quoted passages in article text, the raw material of direct speech.

Hand-written rather than a regex over the whole text because news quoting has one rule a
pattern cannot express: a quote that runs over several paragraphs leaves each paragraph open
and re-opens the next one with a fresh opening mark, so the passage only ends at the first
paragraph that closes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "attribution.json"


@dataclass(frozen=True)
class Quote:
    """A quoted passage: `start`/`end` include the marks; `closed` is False when the passage
    ran to the end of its paragraph without a closing mark."""

    start: int
    end: int
    closed: bool = True


@lru_cache(maxsize=1)
def quote_pairs() -> dict[str, str]:
    """Opening mark -> closing mark, from the attribution word lists."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {opening: closing for opening, closing in data["quote_pairs"]}


@lru_cache(maxsize=1)
def quote_marks() -> frozenset[str]:
    """Every quotation mark, opening or closing."""
    return frozenset({*quote_pairs(), *quote_pairs().values()})


def find_quotes(text: str) -> list[Quote]:
    """Every quoted passage in `text`, in order, multi-paragraph quotes as one passage.

    A quote left open at a paragraph's end continues when the next paragraph starts with an
    opening mark; otherwise it is closed at the paragraph's end. Any closing mark closes a
    quote, since typed text often opens with a curly mark and closes with a straight one.
    Several components ask for the same document's quotes, so the last few are remembered.
    """
    return list(_quotes_of(text))


@lru_cache(maxsize=8)
def _quotes_of(text: str) -> tuple[Quote, ...]:
    pairs = quote_pairs()
    closers = frozenset(pairs.values())  # see the docstring: “...” and “..." both close
    quotes: list[Quote] = []
    start = -1
    n = len(text)
    # only a mark or a line break changes anything: jump from one to the next
    stops = _stops()
    found = stops.search(text)
    i = found.start() if found else n
    while i < n:
        ch = text[i]
        if start < 0:
            mark = _mark_at(text, i, pairs)
            if mark:
                start = i
                i += len(mark)
                continue
        elif mark := _mark_at(text, i, closers):
            quotes.append(Quote(start, i + len(mark)))
            start = -1
            i += len(mark)
            continue
        elif ch == "\n":
            j = _next_paragraph(text, i)
            mark = _mark_at(text, j, pairs)
            if mark:
                i = j + len(mark)  # the re-opening mark of a continued quote
                continue
            end = len(text[:i].rstrip())
            if end - start > 1:
                quotes.append(Quote(start, end, closed=False))
            start = -1
        found = stops.search(text, i + 1)
        i = found.start() if found else n
    if start >= 0 and n - start > 1:
        quotes.append(Quote(start, len(text.rstrip()), closed=False))
    return tuple(quotes)


def _mark_at(text: str, i: int, marks: Collection[str]) -> str:
    """The quotation mark starting at `i`, or "": marks may be two characters long (NYT
    style writes a double quote as two single ones), so a character alone cannot say."""
    if i >= len(text) or text[i] not in _first_chars():
        return ""  # the common case, kept cheap: this runs on every character
    return next((m for m in marks if text.startswith(m, i)), "")


@lru_cache(maxsize=1)
def _first_chars() -> frozenset[str]:
    return frozenset(m[0] for m in quote_marks())


@lru_cache(maxsize=1)
def _stops() -> re.Pattern[str]:
    """The characters `find_quotes` must look at: a mark's first character, a line break."""
    return re.compile("[" + re.escape("".join(sorted(_first_chars()))) + "\n]")


def _next_paragraph(text: str, i: int) -> int:
    """Index of the first non-space character after the line break at `i`."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i
