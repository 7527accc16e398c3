"""Lookups by position for the event coder, built once per document.

Each event asks which statements carry its trigger and which times and places lie in its
sentence. Scanning every statement, time and place of the document for every event made the
coder quadratic in the document's length; these indexes answer from the trigger's sentence
(statements) or by bisection over sorted offsets (times, places), so the cost grows with the
text. The standard library's `bisect` is all this needs: the items are already spans with
character offsets, and an interval tree library would add a dependency for no gain here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Span


class _Located(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_Located)


class ByStart(Generic[T]):
    """Items sorted by their start offset (stably: ties keep the document's order)."""

    def __init__(self, items: Iterable[T]) -> None:
        self.items = sorted(items, key=lambda it: it.start)
        self.starts = [it.start for it in self.items]

    def within(self, start: int, end: int) -> list[T]:
        """The items that lie wholly inside [start, end), in order of their start."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [it for it in self.items[lo:hi] if it.end <= end]


class StatementsBySentence:
    """Each sentence's attributions: those whose cue or content overlaps it, in the order of
    `doc._.attributions`, so a trigger only looks at the statements of its own sentence."""

    def __init__(self, doc: Doc, sentences: list[SpacySpan]) -> None:
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(sentences):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        starts = [s.start_char for s in sentences]
        self.by_sent: list[list[Attribution]] = [[] for _ in sentences]
        for att in doc._.attributions or []:
            for n in sorted(_overlapped(starts, (att.cue, att.content))):
                self.by_sent[n].append(att)

    def of(self, tok: Token) -> list[Attribution]:
        return self.by_sent[self.sent_of[tok.i]] if self.by_sent else []


def _overlapped(starts: list[int], spans: Iterable[Span | None]) -> set[int]:
    """Indexes of the sentences (given by their start offsets) that the spans overlap."""
    found: set[int] = set()
    for span in spans:
        if span is None or not starts:
            continue
        first = max(0, bisect_left(starts, span.start + 1) - 1)
        last = max(0, bisect_left(starts, span.end) - 1)
        found.update(range(first, last + 1))
    return found
