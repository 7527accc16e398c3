"""Resolve attribution sources to entities: names, role nouns, groups and pronouns.

Rules rather than a coreference model (none fits the cost budget, and news sources are a
narrow case): a name goes to its person; "the president" or "the head of the country" to the
person in the article holding that role; a group phrase or a capital to its country; a pronoun
to the most recent compatible speaker, else subject, before its statement. Inside a quote,
"I"/"we" is the quote's speaker and "he"/"they" is anyone but the speaker.
"""

from __future__ import annotations

from spacy.tokens import Span

from sayso.model import Attribution, Entity
from sayso.nlp.entities import actors, countries
from sayso.nlp.entities.entitybook import (
    EntityBook,
    Mention,
    appos_head,
    countries_in,
    strip_determiners,
    subtree,
)

QUOTE_KINDS = ("direct", "mixed")
NAME_LINKS = ("appos", "compound", "flat", "nmod")  # "Judge X", "X, a judge", "the judge, X"


class SourceResolver:
    """Resolves the sources of one doc's attributions, parents before children."""

    def __init__(self, book: EntityBook, attributions: list[Attribution]) -> None:
        self.book = book
        self.atts = attributions
        self.by_id = {a.id: a for a in attributions}
        self.done: dict[str, Entity | None] = {}

    def resolve_all(self) -> dict[str, Entity | None]:
        """Entity of each attribution's source; named sources first, pronouns in text order."""
        for a in self.atts:
            if a.source and not self.pronoun(a):
                self.done[a.id] = self.named(a)
        for a in sorted(self.atts, key=anchor):
            self.resolve(a)
        return self.done

    def resolve(self, a: Attribution) -> Entity | None:
        if a.id not in self.done:
            self.done[a.id] = None  # guards against cycles through parents
            self.done[a.id] = self.by_pronoun(a) if a.source else None
        return self.done[a.id]

    def span(self, a: Attribution) -> Span:
        src = a.source
        return self.book.doc.char_span(src.start, src.end, alignment_mode="expand")

    def pronoun(self, a: Attribution) -> str | None:
        return actors.pronoun_class().get(a.source.text.strip().lower())

    # -- named sources --------------------------------------------------------------------

    def named(self, a: Attribution) -> Entity | None:
        span = strip_determiners(self.span(a))
        if span.root.pos_ in ("VERB", "AUX"):
            return None  # a clause as source ("Exports fell, which shows ..."): nobody's say-so
        overlapping = [
            m for m in self.book.mentions if m.start < span.end_char and span.start_char < m.end
        ]
        named = [m for m in overlapping if names_head(m, span)]
        people = [m.entity for m in named if m.entity.type == "PERSON"]
        if people:
            return people[-1]
        if self.transcript_label(a, span, named):
            return self.book.person(span)
        role = actors.role_of(span.text)
        if role and span.root.lower_ in actors.role_words():
            return self.book.mention(self.holder(role, span, anchor(a)), span)
        if named:
            return self.book.mention(named[0].entity, span)
        earlier = self.named_org(span, anchor(a)) if self.span(a)[0].lower_ == "the" else None
        return self.book.mention(earlier, span) if earlier else self.unmatched(span)

    def transcript_label(self, a: Attribution, span: Span, named: list[Mention]) -> bool:
        """Transcripts label turns with a surname in capitals ("OKAFOR: ..."), which the small
        model takes for an organisation or a group; it is one unless the article also names
        that organisation outside the labels (an acronym such as "NATO: ...")."""
        text = self.book.doc.text
        return (
            a.cue is not None
            and a.cue.text == ":"
            and all(t.is_upper and t.is_alpha for t in span)
            and all(
                m.entity.name == span.text and text[m.end : m.end + 1] == ":"
                for n in named
                for m in self.book.mentions
                if m.entity is n.entity
            )
        )

    def named_org(self, span: Span, pos: int) -> Entity | None:
        """The organisation a definite description names again: "the commission" after "the
        National Electoral Commission", when every word of the description is in its name."""
        words = {t.lower_ for t in span}
        orgs = [
            m.entity
            for m in sorted(self.book.mentions, key=mention_start)
            if m.start < pos
            and m.entity.type == "ORG"
            and actors.org_head(m.entity.name) == span.root.lower_
            and words <= set(m.entity.name.lower().split())
        ]
        return orgs[-1] if orgs else None

    def holder(self, role: actors.Role, span: Span, pos: int) -> Entity:
        """The person holding the role a role noun names, or a new unnamed one."""
        iso3 = countries_in(span)
        holders = [
            m
            for m in self.book.mentions
            if m.entity.type == "PERSON"
            and (not iso3 or m.entity.country == iso3)
            and any(held(r, role) for r in m.entity.roles)
        ]
        body = {t.lower_ for t in span if t.pos_ in ("NOUN", "PROPN") and t != span.root}
        same_body = [m for m in holders if body and any(body & _words(r) for r in m.entity.roles)]
        holders = same_body or holders  # "the head of the board" is the board's head
        before = [m for m in holders if m.start < pos]
        if before or holders:
            return (before[-1] if before else holders[0]).entity
        text = span.text
        ent = self.book.entity(("PERSON", text.lower()), text, "PERSON", iso3)
        ent.roles = ent.roles or [text]
        return ent

    def unmatched(self, span: Span) -> Entity:
        """A source no known entity covers: a group phrase, a country, a name, or as written."""
        book, root = self.book, span.root
        if root.lower_ in actors.group_nouns():
            return book.group(span, root, countries_in(span) or countries_in(subtree(root)))
        iso3 = countries.country_of(span.text)
        if iso3:
            return book.country(iso3, span)
        if all(t.is_title or t.is_punct for t in span) and root.pos_ == "PROPN":
            return book.person(span)
        name = described_name(span)
        if name is not None:
            return book.person(name)
        kind = "PERSON" if root.lower_ in actors.role_words() else "ORG"  # "a witness", "a bank"
        key = ("GROUP" if root.tag_ in ("NNS", "NNPS") else kind, span.text.lower())
        return book.mention(book.entity(key, span.text, key[0]), span)

    # -- pronouns -------------------------------------------------------------------------

    def by_pronoun(self, a: Attribution) -> Entity | None:
        cls = self.pronoun(a)
        if cls is None:
            return self.done.get(a.id)
        quote = self.enclosing_quote(a)
        speaker = self.resolve(quote) if quote else None
        if cls == "first":
            found = speaker
        else:
            ok = (lambda e: e.type == "PERSON") if cls == "person" else is_collective
            found = self.antecedent(anchor(a), a.source.start, lambda e: ok(e) and e is not speaker)
        if found is not None:
            self.book.mention(found, self.span(a))
        return found

    def enclosing_quote(self, a: Attribution) -> Attribution | None:
        parent = self.by_id.get(a.parent or "")
        if parent and parent.kind in QUOTE_KINDS:
            return parent
        pos = a.source.start
        inside = [
            q
            for q in self.atts
            if q.kind in QUOTE_KINDS and q is not a and q.content.start <= pos < q.content.end
        ]
        return inside[-1] if inside else None

    def antecedent(self, pos: int, own: int, ok) -> Entity | None:
        """Most recent compatible speaker before `pos`, else most recent compatible subject."""
        speakers = [
            (anchor(b), e)
            for b in self.atts
            if (e := self.done.get(b.id)) is not None
            and b.source
            and b.source.start < own
            and anchor(b) <= pos
            and ok(e)
        ]
        if speakers:
            return max(speakers, key=lambda s: s[0])[1]
        subjects = [m for m in self.book.mentions if m.subject and m.start < pos and ok(m.entity)]
        return max(subjects, key=mention_start).entity if subjects else None


def names_head(m: Mention, span: Span) -> bool:
    """Does the mention name the phrase itself, as its head or in apposition to it, rather
    than a modifier ("a spokesman for X", "a paper seen by X" are not X)?"""
    doc, root = span.doc, span.root
    tok = doc.char_span(m.start, m.end, alignment_mode="expand")
    if tok is None:
        return False
    head = tok.root
    while head.i != root.i and head.dep_ in NAME_LINKS and head.head.i != head.i:
        # compare by index: spaCy makes a new Token object on every access
        head = appos_head(head.head) if head.dep_ == "appos" else head.head
    return head.i == root.i or root.i in range(tok.start, tok.end)


def described_name(span: Span) -> Span | None:
    """The untagged name heading "Ana Ruiz, a researcher at ...": a run of proper nouns
    ending in the phrase's root, which has a role noun in apposition."""
    doc, root = span.doc, span.root
    start = root.i
    while start > span.start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
        start -= 1
    apposed = any(
        c.dep_ == "appos" and actors.role_of(doc[c.left_edge.i : c.i + 1].text)
        for c in root.children
    )
    if root.pos_ != "PROPN" or not root.is_title or start == root.i or not apposed:
        return None
    return doc[start : root.i + 1]


def anchor(a: Attribution) -> int:
    """Where an attribution starts: its source or its content, whichever comes first."""
    return min(a.source.start, a.content.start) if a.source else a.content.start


def mention_start(m: Mention) -> int:
    return m.start


def _words(text: str) -> set[str]:
    return set(text.lower().split())


def is_collective(e: Entity) -> bool:
    return e.type in ("COUNTRY", "GROUP", "ORG")


def held(role_text: str, wanted: actors.Role) -> bool:
    """Does a person's role match a role noun? "Foreign Minister" holds "the minister"."""
    role = actors.role_of(role_text)
    return role is not None and wanted.key in (role.key, role.broader)
