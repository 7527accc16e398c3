"""Claims and counter-claims: which statement denies, disputes, confirms or accepts which.

Three ways a statement takes a stand on another claim (cue words in `disputes.json`):
- its cue says so and its content names the claim: "refuted Armenia's claims", "rejected the
  accusation" (a claim noun or a pronoun: the nearest earlier claim, by the possessor when one
  is named), "denied that its troops fired" (a clause: the events in it, and an earlier
  statement by someone else reporting an event of the same type);
- its content judges a claim: "the claim was false", "this is an absolute lie", "that is not
  true" (a copula whose subject names the claim and whose complement is a judgement);
- it carries a claim it calls a pretext: "they wanted to justify this by claiming that ...",
  "they falsely claimed ..." (the carrier denies the nested claim).
A statement or event that is denied or disputed becomes "disputed", and so do the events a
disputed statement reports: the claim and its denial are one event with two tellers.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Dispute, Entity, Event
from sayso.nlp.spans import token_column
from sayso.nlp.voices.common import (
    data,
    in_content,
    qualify_event,
    qualify_statement,
    reported_by,
    sentence_index,
    sentences,
)

COUNTERS = ("denies", "disputes")  # the kinds that make their target "disputed"
WINDOW_SENTENCES = 4  # how far back an unnamed claim ("the claim", "this") is looked for


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _span(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _cue_kind(doc: Doc, a: Attribution) -> str | None:
    if a.cue is None:
        return None
    span = _span(doc, a.cue.start, a.cue.end)
    if span is None:
        return None
    lemma = _lemma(span[-1])
    return next((k for k, words in data("disputes.json")["cues"].items() if lemma in words), None)


def _claim_head(tok: Token) -> bool:
    table = data("disputes.json")
    return _lemma(tok) in table["claim_nouns"] or tok.lower_ in table["anaphors"]


def _possessor(tok: Token, entities: list[Entity]) -> str | None:
    """The entity named as the claim's owner: "Armenia's claims", "the claims of Armenia"."""
    owners = [c for c in tok.children if c.dep_ == "poss"]
    owners += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
               for g in c.children if g.dep_ == "pobj"]
    for owner in owners:
        for e in entities:
            if any(m.start <= owner.idx < m.end for m in e.mentions):
                return e.id
    return None


def _judgements(content: SpacySpan) -> Iterator[tuple[Token, str]]:
    """(the subject naming the judged claim, kind) for each "X is false" in the content."""
    table, doc = data("disputes.json"), content.doc
    lemmas, lowers = token_column(doc, "LEMMA"), token_column(doc, "LOWER")
    for i in range(content.start, content.end):
        kind = table["judgements"].get(lemmas[i].lower()) or table["judgements"].get(lowers[i])
        if kind is None:
            continue
        tok = doc[i]
        if tok.dep_ not in ("acomp", "attr", "oprd"):
            continue
        copula = tok.head
        subjects = [c for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            continue
        if any(c.dep_ == "neg" for c in copula.children):
            kind = table["negated_judgement"].get(kind, kind)
        yield subjects[0], kind


class Linker:
    """Finds the claims that statements take a stand on, in one article."""

    def __init__(self, doc: Doc, statements: list[Attribution], events: list[Event],
                 entities: list[Entity]) -> None:
        self.doc, self.statements, self.events, self.entities = doc, statements, events, entities
        self.found: dict[tuple[str, str], str] = {}
        self.reported = reported_by(events)

    def add(self, source: Attribution, target: str, kind: str) -> None:
        if target != source.id:
            self.found.setdefault((source.id, target), kind)

    def _speaker(self, a: Attribution) -> str | None:
        return a.source.entity or a.source.text if a.source else None

    def _earlier(self, a: Attribution, owner: str | None) -> Attribution | None:
        """The nearest earlier claim that `a` can be answering: by `owner` when the claim is
        named as someone's (anywhere before), else by another speaker within the window, not
        itself a counter-claim and not a statement carrying `a`."""
        sents = sentences(self.doc)
        here = sentence_index(self.doc, a.content.start)
        floor = 0 if owner or not sents else sents[max(0, here - WINDOW_SENTENCES)].start_char
        carriers = self._carriers(a)
        candidates = [
            s for s in self.statements
            if s.content.start < a.content.start and s.content.start >= floor
            and s.id not in carriers and s.parent != a.id and not self._counters(s)
            and (self._speaker(s) == owner if owner else self._speaker(s) != self._speaker(a))
        ]
        return max(candidates, key=lambda s: s.content.start, default=None)

    def _carriers(self, a: Attribution) -> set[str]:
        by_id = {s.id: s for s in self.statements}
        out, cur = set(), a
        while cur.parent and cur.parent in by_id and cur.parent not in out:
            out.add(cur.parent)
            cur = by_id[cur.parent]
        return out

    def _counters(self, s: Attribution) -> bool:
        return any(src == s.id and kind in COUNTERS for (src, _), kind in self.found.items()) \
            or _cue_kind(self.doc, s) in COUNTERS

    def _same_event_claims(self, a: Attribution, inside: list[Event]) -> Iterator[Attribution]:
        types = {e.type for e in inside}
        for s in self.statements:
            if s.content.start < a.content.start and self._speaker(s) != self._speaker(a) \
                    and any(e.type in types for e in self.reported.get(s.id, ())):
                yield s

    def _claim_named(self, a: Attribution, head: Token, kind: str) -> None:
        """`a` takes a stand (`kind`) on the claim its words `head` name."""
        clause = [c for c in head.subtree if c.dep_ in ("ccomp", "acl", "relcl") and c.pos_ in
                  ("VERB", "AUX")]
        if _claim_head(head) and not clause:
            target = self._earlier(a, _possessor(head, self.entities))
            if target is not None:
                self.add(a, target.id, kind)
            return
        lo, hi = (min(t.idx for t in head.subtree),
                  max(t.idx + len(t) for t in head.subtree))
        inside = [e for e in self.events if lo <= e.anchor.start < hi]
        for e in inside:
            self.add(a, e.id, kind)
        for s in self._same_event_claims(a, inside):
            self.add(a, s.id, kind)

    def by_cue(self, a: Attribution) -> None:
        kind = _cue_kind(self.doc, a)
        content = _span(self.doc, a.content.start, a.content.end)
        if kind is None or content is None:
            return
        self._claim_named(a, content.root, kind)

    def by_judgement(self, a: Attribution) -> None:
        for part in a.content.parts or [a.content]:
            span = _span(self.doc, part.start, part.end)
            for subject, kind in _judgements(span) if span is not None else ():
                self._claim_named(a, subject, kind)

    def by_pretext(self, a: Attribution) -> None:
        """A nested claim governed by a pretext word is denied by the statement carrying it."""
        if not a.parent or a.cue is None:
            return
        table = data("disputes.json")
        cue = _span(self.doc, a.cue.start, a.cue.end)
        if cue is None:
            return
        parent = next((s for s in self.statements if s.id == a.parent), None)
        if parent is None:
            return
        verb = cue.root
        pretext = any(c.lower_ in table["pretext_adverbs"] for c in verb.children)
        tok = verb
        while not pretext and tok.head.i != tok.i and in_content(parent, tok.head.idx,
                                                                  tok.head.idx + 1):
            tok = tok.head
            pretext = _lemma(tok) in table["pretext"]
        if pretext:
            self.add(parent, a.id, "denies")


def find_disputes(doc: Doc, statements: list[Attribution], events: list[Event],
                  entities: list[Entity]) -> list[Dispute]:
    """Every stand one statement takes on another claim; marks what is denied as disputed."""
    linker = Linker(doc, statements, events, entities)
    for a in statements:
        linker.by_pretext(a)
        linker.by_cue(a)
        linker.by_judgement(a)
    disputes = [Dispute(src, dst, kind) for (src, dst), kind in linker.found.items()]
    mark_disputed(disputes, statements, events)
    return disputes


def mark_disputed(disputes: list[Dispute], statements: list[Attribution],
                  events: list[Event]) -> None:
    targets = {d.target for d in disputes if d.kind in COUNTERS}
    reported = reported_by(events)
    for a in statements:
        if a.id in targets:
            qualify_statement(a, "disputed")
            for e in reported.get(a.id, ()):
                qualify_event(e, "disputed")
    for e in events:
        if e.id in targets:
            qualify_event(e, "disputed")
