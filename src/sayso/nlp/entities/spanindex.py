"""Find which recorded spans overlap a stretch of text without scanning them all.

Entity resolution asks, for every mention and every source, which mentions it overlaps; a scan
of every mention each time makes a long document cost the square of its length. `SpanIndex`
answers from a grid of character buckets, in time that grows with the spans found. It is
written by hand because the question is this narrow (an append-only list of short spans, one
document at a time) and an interval-tree library would cost more to build than it saves here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from typing import Protocol, TypeVar

BUCKET = 64  # characters per bucket: a few words, about one name


class HasOffsets(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=HasOffsets)


def _buckets(start: int, end: int) -> range:
    return range(start // BUCKET, max(end - 1, start) // BUCKET + 1)


class SpanIndex:
    """Overlap queries over a list that only grows (items appended, never removed or moved);
    the index catches up with the list on each query, and starts afresh if it is given
    another list or the list got shorter."""

    def __init__(self) -> None:
        self.items: list | None = None
        self.seen = 0
        self.grid: dict[int, list[int]] = defaultdict(list)

    def overlapping(self, items: list[T], start: int, end: int) -> list[T]:
        """The items overlapping [start, end) (`m.start < end and start < m.end`), in list
        order."""
        self._catch_up(items)
        grid = self.grid
        hits = {
            i
            for b in _buckets(start, end)
            for i in grid.get(b, ())
            if items[i].start < end and start < items[i].end
        }
        return [items[i] for i in sorted(hits)]

    def _catch_up(self, items: list[T]) -> None:
        if items is not self.items or len(items) < self.seen:
            self.items, self.seen, self.grid = items, 0, defaultdict(list)
        for i in range(self.seen, len(items)):
            for b in _buckets(items[i].start, items[i].end):
                self.grid[b].append(i)
        self.seen = len(items)


class RangeCover:
    """Whether a character lies inside any of a fixed set of ranges, by bisection rather than
    a scan of them all (asked once per noun phrase, a scan costs the square of the length):
    the ranges sorted by start, with the furthest end any of them reaches so far."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))

    def holds(self, char: int, strict: bool = False) -> bool:
        """Is start <= char < end for some range (with `strict`, start < char < end)?"""
        k = (bisect_left if strict else bisect_right)(self.starts, char)
        return k > 0 and self.reach[k - 1] > char


class StartIndex:
    """The items of an append-only list that `wanted` picks, by where they start, caught up
    with the list on each query: the latest item before a place that fits some test, which
    a scan of the whole list for each would make cost the square of the text's length."""

    def __init__(self, wanted: Callable[[T], bool]) -> None:
        self.wanted = wanted
        self.keys: list[tuple[int, int]] = []  # (start, -place in the list), ascending
        self.found: list = []  # in the order of `keys`
        self.seen = 0

    def latest_first(self, items: list[T], pos: int) -> Iterator[T]:
        """The wanted items starting before `pos`, latest first; of those starting at one
        place, the first in the list first (as `max` or a stable sort over it picks)."""
        for i in range(self.seen, len(items)):
            if self.wanted(items[i]):
                key = (items[i].start, -i)
                at = bisect_right(self.keys, key)
                self.keys.insert(at, key)
                self.found.insert(at, items[i])
        self.seen = len(items)
        for i in range(bisect_left(self.keys, (pos,)) - 1, -1, -1):
            yield self.found[i]
