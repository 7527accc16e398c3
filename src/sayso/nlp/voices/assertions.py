"""The outlet's own voice: every stretch of a body sentence that no statement carries.

Each sentence is cut by the extents of the statements in it (source, cue, content and the rest
of each top-level statement: nested ones lie inside their carrier); what is left, when it still
holds words, is an `Assertion` of the outlet, flagged by what it holds: a loaded span in the
outlet's voice ("loaded"), a hedge ("hedged"), a quantity ("unsourced_figure") or an event
("unsourced_event") that no statement reports. `summary` sums it up per article (`Voices`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

from sayso.model import (
    Assertion,
    Attribution,
    Dispute,
    Event,
    Framing,
    Quantity,
    SpeakerClaims,
    VoiceCount,
    Voices,
)
from sayso.nlp.attribution.cues import verb_cue
from sayso.nlp.spans import doc_text
from sayso.nlp.voices.common import Within, data, extent, sentences, teller
from sayso.nlp.voices.custody import dateline_end
from sayso.nlp.voices.disputes import COUNTERS

MIN_WORDS = 3  # a leftover shorter than this ("he added.", "In other words,") says nothing
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+")
_EDGE = re.compile(r"^[\s\"“”‘’'«»,;:.()\[\]—–-]+|[\s\"“”‘’'«»,;:()\[\]—–-]+$")


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """The parser's sentences, cut again at paragraph breaks (headlines lack full stops)."""
    out, text = [], doc_text(doc)
    for sent in sentences(doc):
        start = sent.start_char
        for m in PARAGRAPH_BREAK.finditer(text, sent.start_char, sent.end_char):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, sent.end_char))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _covered(statements: Iterable[Attribution]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for lo, hi in sorted(extent(a) for a in statements if a.parent is None):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


class _Cover:
    """What the dateline and the statements cover, and the stretches of it one sentence
    reaches into, found by bisection (the merged extents are disjoint and in order) rather
    than by a scan of them all for every sentence."""

    def __init__(self, dateline: tuple[int, int], merged: list[tuple[int, int]]) -> None:
        self.dateline, self.merged = dateline, merged
        self.los, self.his = [lo for lo, _ in merged], [hi for _, hi in merged]

    def reaching(self, start: int, end: int) -> list[tuple[int, int]]:
        """In order, every stretch that neither ends by `start` nor starts at `end` or after
        (the only ones `_leftovers` does not pass over)."""
        lo, hi = self.dateline
        head = [self.dateline] if hi > start and lo < end else []
        return head + self.merged[bisect_right(self.his, start) : bisect_left(self.los, end)]


def _leftovers(text: str, start: int, end: int,
               covered: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    pos = start
    for lo, hi in covered:
        if hi <= pos or lo >= end:
            continue
        yield pos, max(pos, lo)
        pos = max(pos, hi)
    yield pos, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    lead = _EDGE.match(piece)
    start += lead.end() if lead else 0
    tail = _EDGE.search(text[start:end])
    end = start + tail.start() if tail else end
    return (start, end) if len(_WORD.findall(text[start:end])) >= MIN_WORDS else None


class _Marks:
    """What can flag an assertion, each kind by where it lies (`Within`)."""

    def __init__(self, framing: list[Framing], quantities: list[Quantity],
                 events: list[Event]) -> None:
        self.outlet = Within((f for f in framing if f.voice == "outlet"),
                             lambda f: (f.start, f.end))
        self.figures = Within((q for q in quantities if q.part == "text"),
                              lambda q: (q.start, q.end))
        self.events = Within((e for e in events if e.reported_by is None),
                             lambda e: (e.anchor.start, e.anchor.end))


def _flags(start: int, end: int, marks: _Marks) -> list[str]:
    outlet = marks.outlet.within(start, end)
    flags = []
    if any(f.technique != "hedge" for f in outlet):
        flags.append("loaded")
    if marks.figures.within(start, end):
        flags.append("unsourced_figure")
    if marks.events.within(start, end):
        flags.append("unsourced_event")
    if any(f.technique == "hedge" for f in outlet):
        flags.append("hedged")
    return flags


def _reported(doc: Doc, text: str, start: int, end: int, after_statement: bool) -> bool:
    """True when a leftover is someone's words all the same: it carries on a statement's
    content in lower case ("..., and in the swing states"), or holds a verb of saying with
    its own subject that no statement was made of ("Trump charges that ..."), or a stance verb
    with a subject and a clause ("regulators worried that ...")."""
    if after_statement and text[start].islower():
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(_says(t) or _holds_a_stance(t) for t in span)


def _says(tok: Token) -> bool:
    return verb_cue(tok) is not None and any(c.dep_ in ("nsubj", "nsubjpass")
                                             for c in tok.children)


def _holds_a_stance(tok: Token) -> bool:
    """A stance verb with a subject of its own and a clause for its content (`voice.json`)."""
    table = data("voice.json")
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in table["stance_verbs"]:
        return False
    deps = {c.dep_ for c in tok.children if c.lower_ != "it"}
    return bool(deps & set(table["subjects"])) and bool(deps & set(table["complements"]))


def find_assertions(doc: Doc, statements: list[Attribution], framing: list[Framing],
                    quantities: list[Quantity], events: list[Event],
                    ranges: list[tuple[int, int]] | None = None) -> list[Assertion]:
    """The outlet's own stretches of the body, flagged; leftovers that are someone's words
    all the same (`_reported`) are no one's assertion: their voice is not known."""
    text = doc_text(doc)
    cover = _Cover((0, dateline_end(text)), _covered(statements))
    marks = _Marks(framing, quantities, events)
    found = []
    for start, end in ranges if ranges is not None else sentence_ranges(doc):
        for lo, hi in _leftovers(text, start, end, cover.reaching(start, end)):
            piece = _trimmed(text, lo, hi)
            if piece is None or _reported(doc, text, *piece, after_statement=lo > start):
                continue
            s, e = piece
            found.append(Assertion(f"O{len(found) + 1}", s, e, text[s:e],
                                   _flags(s, e, marks)))
    return found


def _speakers(statements: list[Attribution], disputes: list[Dispute]) -> list[SpeakerClaims]:
    counter = [d for d in disputes if d.kind in COUNTERS]
    countered = {d.target for d in counter}
    counters = {d.source for d in counter}
    rows: dict[str, list[int]] = {}
    for a in statements:
        row = rows.setdefault(teller(a), [0, 0, 0])
        row[0] += 1
        row[1] += a.id in countered
        row[2] += a.id in counters
    return [SpeakerClaims(k, *v) for k, v in rows.items()]


def summary(statements: list[Attribution], framing: list[Framing],
            assertions: list[Assertion], disputes: list[Dispute], body_chars: int) -> Voices:
    """The article's `Voices`: outlet share, loaded spans by voice, claims met or unmet."""
    speaker = {a.id: teller(a) for a in statements}
    loaded = Counter(f.voice if f.voice == "outlet" else speaker.get(f.voice, f.voice)
                     for f in framing if f.technique != "hedge")
    own = sum(a.end - a.start for a in assertions)
    return Voices(
        outlet_share=round(own / body_chars, 4) if body_chars else 0.0,
        outlet_chars=own,
        body_chars=body_chars,
        loaded=[VoiceCount(v, n) for v, n in loaded.most_common()],
        claims=_speakers(statements, disputes),
    )
