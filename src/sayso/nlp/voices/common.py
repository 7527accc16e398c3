"""What the voices components share: their data files, where a statement lies, and modality."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Event
from sayso.nlp.entities.spanindex import SpanIndex

HERE = Path(__file__).parent
T = TypeVar("T")
UNKNOWN_TELLER = "unknown"
# Strongest first: a statement another denies is "disputed" whatever else qualifies it.
STATEMENT_MODALITIES = ("disputed", "hypothetical", "hedged", "asserted")
# The events coder's readings plus the ones this package adds ("disputed", "hedged").
EVENT_MODALITIES = ("disputed", "denied", "negated", "hypothetical", "planned", "alleged",
                    "claimed", "hedged", "asserted")


@lru_cache(maxsize=4)
def data(name: str) -> dict[str, Any]:
    """A JSON data file of this package (keys starting with '_' are documentation)."""
    raw = json.loads((HERE / name).read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def stronger(current: str, new: str, order: tuple[str, ...]) -> str:
    """The stronger of two modalities in `order`; an unknown current value is kept."""
    if current not in order:
        return current
    return min(current, new, key=order.index)


def qualify_statement(a: Attribution, modality: str) -> None:
    a.modality = stronger(a.modality, modality, STATEMENT_MODALITIES)


def qualify_event(e: Event, modality: str) -> None:
    e.modality = stronger(e.modality, modality, EVENT_MODALITIES)


def in_content(a: Attribution, start: int, end: int) -> bool:
    """True when [start, end) lies in what `a` says (in one of its parts when it is split)."""
    return any(p.start <= start and end <= p.end for p in a.content.parts or [a.content])


class _Part(NamedTuple):
    start: int
    end: int
    owner: int  # the statement's place in the list


class Holders:
    """Which statements' contents hold a stretch of text, by an overlap index over their
    parts: every loaded span and hedge asks, and a scan of every statement for each costs
    the square of the text's length."""

    def __init__(self, attributions: list[Attribution]) -> None:
        self.attributions = attributions
        self.parts = [_Part(p.start, p.end, i) for i, a in enumerate(attributions)
                      for p in a.content.parts or [a.content]]
        self.index = SpanIndex()

    def innermost(self, start: int, end: int) -> Attribution | None:
        """The statement with the shortest content that holds [start, end) (`in_content`;
        `start` <= `end`), the first listed of equals; None when none does."""
        # one character wider on each side, so a part that holds an empty stretch overlaps
        near = self.index.overlapping(self.parts, start - 1, end + 1)
        owners = sorted({p.owner for p in near if p.start <= start and end <= p.end})
        return min((self.attributions[i] for i in owners),
                   key=lambda a: a.content.end - a.content.start, default=None)


def extent(a: Attribution) -> tuple[int, int]:
    """From the first to the last character of a statement's source, cue and content."""
    spans = [s for s in (a.source, a.cue, a.content, a.addressee, a.medium, a.time) if s]
    return min(s.start for s in spans), max(s.end for s in spans)


def teller(a: Attribution) -> str:
    """How a chain of custody names a statement's speaker: the entity id when resolved, else
    the words naming the speaker, else "unknown"."""
    if a.source is None:
        return UNKNOWN_TELLER
    return a.source.entity or a.source.text


def reported_by(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Each statement's id with the events it reports, in list order: read once, not once per
    statement (a scan of every event for each costs the square of the text's length)."""
    found: dict[str, list[Event]] = {}
    for e in events:
        if e.reported_by is not None:
            found.setdefault(e.reported_by, []).append(e)
    return found


class Within(Generic[T]):
    """The records lying within a stretch of text (they start at or after its start and end
    at or before its end), found by bisection on where they start rather than by a scan of
    them all for every stretch; a record that ends before it starts is kept apart and always
    weighed."""

    def __init__(self, items: Iterable[T], bounds: Callable[[T], tuple[int, int]]) -> None:
        keyed = [(*bounds(x), i, x) for i, x in enumerate(items)]
        self.backwards = [k for k in keyed if k[1] < k[0]]
        self.ordered = sorted((k for k in keyed if k[0] <= k[1]), key=lambda k: k[0])
        self.starts = [k[0] for k in self.ordered]

    def within(self, start: int, end: int) -> list[T]:
        """The records within `start` and `end`, in the order they were given."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        found = [k for k in self.backwards + self.ordered[lo:hi] if start <= k[0] and k[1] <= end]
        return [x for *_, x in sorted(found, key=lambda k: k[2])]


def sentences(doc: Doc) -> list[SpacySpan]:
    """The Doc's sentences, worked out once per Doc (each `doc.sents` walks every token)."""
    if "sayso_sentences" not in doc.user_data:
        doc.user_data["sayso_sentences"] = list(doc.sents)
    return doc.user_data["sayso_sentences"]


def sentence_index(doc: Doc, pos: int) -> int:
    """The index in `sentences(doc)` of the sentence holding character `pos` (or the last
    one starting before it)."""
    if "sayso_sentence_starts" not in doc.user_data:
        doc.user_data["sayso_sentence_starts"] = [s.start_char for s in sentences(doc)]
    return max(0, bisect_right(doc.user_data["sayso_sentence_starts"], pos) - 1)
