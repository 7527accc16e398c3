"""Hedges, verification markers and conditionals: how sure the article says a claim is.

A hedge ("allegedly", "could not be independently verified") becomes a `Framing` record with
technique "hedge", in the voice of the innermost statement whose content holds it (else the
outlet's), and hedges what it governs (see `hedges.json`). A conditional ("if ..., we have the
right to attack") or a stated potential ("the right to", "the option of") makes the events in
its scope, and a statement most of whose words lie in it, hypothetical.

Regular expressions rather than spaCy's Matcher: the markers are fixed phrases with small
inflectional choices, and a pattern table in a data file keeps them readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Event, Framing
from sayso.nlp.entities.spanindex import RangeCover, SpanIndex
from sayso.nlp.spans import doc_text, token_column
from sayso.nlp.voices.common import (
    Holders,
    data,
    in_content,
    qualify_event,
    qualify_statement,
    reported_by,
    sentence_index,
    sentences,
)

HYPOTHETICAL_SHARE = 0.5  # a statement is hypothetical when this much of what it says is
SCOPE_DEPS = frozenset({"advcl", "acl", "xcomp"})  # the dependencies `conditional_scopes` reads


@dataclass(frozen=True)
class Hedge:
    start: int
    end: int
    kind: str  # inline | verification


class Scope(NamedTuple):
    """Characters under a condition (`conditional_scopes`)."""

    start: int
    end: int


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    table = data("hedges.json")
    return {kind: re.compile(r"\b(?:" + "|".join(table[kind]) + r")\b", re.IGNORECASE)
            for kind in ("inline", "verification")}


def find_hedges(text: str) -> list[Hedge]:
    found = [Hedge(m.start(), m.end(), kind) for kind, pattern in _patterns().items()
             for m in pattern.finditer(text)]
    return sorted(found, key=lambda h: h.start)


def _sentence(doc: Doc, pos: int, back: int = 0) -> SpacySpan | None:
    """The sentence holding `pos`, or the one `back` sentences before it (None before the
    first)."""
    sents = sentences(doc)
    i = sentence_index(doc, pos) - back
    return sents[i] if sents and i >= 0 else None


def _clause(doc: Doc, hedge: Hedge) -> tuple[int, int]:
    """The characters of the clause a hedge word sits in (its head's subtree)."""
    span = doc.char_span(hedge.start, hedge.end, alignment_mode="expand")
    if span is None:
        return hedge.start, hedge.end
    head = span.root.head if span.root.dep_ in ("advmod", "amod", "neg", "aux") else span.root
    sub = list(head.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1])


def _governed(doc: Doc, hedge: Hedge, statements: list[Attribution],
              holder: Attribution | None) -> list[Attribution]:
    """The statements a hedge qualifies (see the module docstring); `holder`: the innermost
    statement whose content holds it."""
    if hedge.kind == "inline":
        return [holder] if holder else []
    sent = _sentence(doc, hedge.start)
    if sent is None:
        return [holder] if holder else []
    here = [a for a in statements if sent.start_char <= a.content.start < sent.end_char
            and a.parent is None]
    if here or holder:
        return here or [holder]
    before = _sentence(doc, hedge.start, back=1)
    if before is None:
        return []
    return [a for a in statements if before.start_char <= a.content.start < before.end_char]


def apply_hedges(doc: Doc, statements: list[Attribution], events: list[Event],
                 framing: list[Framing]) -> list[Framing]:
    """Add a hedge record per marker and hedge the statements and events each governs."""
    added, text, reported = [], doc_text(doc), reported_by(events)
    holders = Holders(statements)
    for hedge in find_hedges(text):
        holder = holders.innermost(hedge.start, hedge.end)
        added.append(Framing(f"H{len(added) + 1}", hedge.start, hedge.end,
                             text[hedge.start:hedge.end], "hedge",
                             voice=holder.id if holder else "outlet"))
        governed = _governed(doc, hedge, statements, holder)
        for a in governed:
            qualify_statement(a, "hedged")
            for e in reported.get(a.id, ()):
                qualify_event(e, "hedged")
        if not governed:
            _hedge_events(doc, hedge, events)
    framing.extend(added)
    return added


def _hedge_events(doc: Doc, hedge: Hedge, events: list[Event]) -> None:
    """A hedge in the outlet's voice qualifies the events of its clause (inline) or of its
    sentence and the one before (verification: "... killed 20. This could not be verified.")."""
    if hedge.kind == "inline":
        lo, hi = _clause(doc, hedge)
    else:
        sent = _sentence(doc, hedge.start)
        if sent is None:
            return
        before = _sentence(doc, hedge.start, back=1) or sent
        lo, hi = before.start_char, sent.end_char
    for e in events:
        if e.reported_by is None and lo <= e.anchor.start < hi:
            qualify_event(e, "hedged")


def conditional_scopes(doc: Doc) -> list[Scope]:
    """Character ranges under a condition: the clause an "if"/"unless" clause hangs on, and
    what a potential noun opens ("the right to attack")."""
    table = data("hedges.json")
    marks, potentials = set(table["conditional_marks"]), set(table["potential_nouns"])
    scopes = []
    # only the tokens whose dependency can open a scope are made into Tokens
    for i, dep in enumerate(token_column(doc, "DEP")):
        if dep not in SCOPE_DEPS:
            continue
        tok = doc[i]
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks
                                       for c in tok.children):
            root = tok.head
        elif tok.dep_ in ("acl", "xcomp") and tok.head.lemma_.lower() in potentials:
            root = tok
        else:
            continue
        sub = list(root.subtree)
        scopes.append(Scope(sub[0].idx, sub[-1].idx + len(sub[-1])))
    return scopes


def _share_in(a: Attribution, scopes: list[tuple[int, int]]) -> float:
    said = a.content.parts or [a.content]
    total = sum(p.end - p.start for p in said) or 1
    covered = sum(max(0, min(p.end, hi) - max(p.start, lo)) for p in said for lo, hi in scopes)
    return covered / total


def apply_conditionals(doc: Doc, statements: list[Attribution], events: list[Event]) -> None:
    scopes = conditional_scopes(doc)
    if not scopes:
        return
    cover, index = RangeCover(scopes), SpanIndex()
    for e in events:
        if cover.holds(e.anchor.start):
            qualify_event(e, "hypothetical")
    nested: dict[str | None, list[Attribution]] = {}
    for s in statements:
        nested.setdefault(s.parent, []).append(s)
    for a in statements:
        inner = nested.get(a.id, [])
        # a scope that meets none of what `a` says adds nothing to its share
        said = a.content.parts or [a.content]
        near = index.overlapping(scopes, min(p.start for p in said), max(p.end for p in said))
        own = [(lo, hi) for lo, hi in near
               if not any(in_content(s, lo, hi) for s in inner)]
        if _share_in(a, own) >= HYPOTHETICAL_SHARE:
            qualify_statement(a, "hypothetical")
