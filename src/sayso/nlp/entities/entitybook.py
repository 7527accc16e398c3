"""The entities of one article while they are being found: entities, mentions, name clusters.

`EntityBook` creates or reuses an entity per key (a country's ISO3, a person's name cluster, a
group's country and sector) and records every mention with its offsets; the phrase helpers
read roles and countries off the parse ("Kenyan Foreign Minister Amina Mohamed") and keep the
descriptions the text links to a name ("Ana Ruiz, the 32-year-old labourer", "Ruiz is the
owner"), the only descriptions a later "the owner" may stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from sayso.model import Entity
from sayso.nlp.entities import actors, countries, gender
from sayso.nlp.entities.names import People, PersonName, add_name
from sayso.nlp.entities.spanindex import SpanIndex

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
FINITE_TAGS = ("VBD", "VBZ", "VBP")
TITLE_DEPS = {"compound", "amod", "nmod", "poss", "punct"}
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her"}


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity
    subject: bool = False


@dataclass
class EntityBook:
    """The entities of one doc as they are found, with their mentions in text order."""

    doc: Doc
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    people: People = field(default_factory=People)
    keyed: dict[tuple, Entity] = field(default_factory=dict)
    names: dict[int, PersonName] = field(default_factory=dict)  # by id(entity)
    described: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (head, text)
    described_heads: set[str] = field(default_factory=set)  # every head in `described`
    pronouned: dict[int, str] = field(default_factory=dict)  # gender a "he"/"she" gave, by id
    index: SpanIndex = field(default_factory=SpanIndex, repr=False, compare=False)

    @cached_property
    def noun_chunks(self) -> list[Span]:
        """The doc's noun chunks, found once: spaCy walks every token for them, and both the
        group phrases and the narrative roles read them."""
        return list(self.doc.noun_chunks)

    def entity(self, key: tuple, name: str, type_: str, country: str | None = None) -> Entity:
        """The entity under `key`, created with this name (the first written) when new."""
        if key not in self.keyed:
            self.keyed[key] = Entity(id="", name=name, type=type_, country=country)
            self.entities.append(self.keyed[key])
        return self.keyed[key]

    def mention(self, ent: Entity, span: Span, subject: bool = False) -> Entity:
        start, end = span.start_char, span.end_char
        if not any(m.entity is ent for m in self.overlapping(start, end)):
            self.mentions.append(Mention(start, end, ent, subject))
        return ent

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions overlapping [start, end), in the order they were recorded."""
        return self.index.overlapping(self.mentions, start, end)

    def country(self, iso3: str, span: Span, subject: bool = False) -> Entity:
        ent = self.entity(("COUNTRY", iso3), countries.country_name(iso3), "COUNTRY", iso3)
        return self.mention(ent, span, subject)

    def person(self, name: Span) -> Entity:
        """The person a name span refers to; its roles, descriptions and country come from its
        phrase, and a title right before it ("Mrs", "Sir") gives a gender; one that opens a longer
        title does not ("Lord Mayor", "Lady Justice" are offices anyone may hold)."""
        title = gender.of_words(t.lower_ for t in titles(name)[-1:])
        pname = add_name(self.people, name.text, title)
        ent = self.entity(("PERSON", id(pname)), pname.canonical, "PERSON")
        ent.name = pname.canonical  # a later full form upgrades a surname-only start
        self.names[id(ent)] = pname
        for phrase in linked_phrases(name):
            role, iso3 = role_text(phrase)
            if role and actors.role_of(role):
                if role not in ent.roles:
                    ent.roles.append(role)
                ent.country = ent.country or iso3
            self.describe(ent, phrase)
        return self.mention(ent, name, is_subject(name))

    def describe(self, ent: Entity, phrase: Span) -> None:
        """Record a description the text gives this entity ("the 32-year-old labourer")."""
        entry = (phrase.root.lower_, strip_determiners(phrase).text.lower())
        if entry not in self.described.setdefault(id(ent), []):
            self.described[id(ent)].append(entry)
            self.described_heads.add(entry[0])

    def gender(self, ent: Entity, likely: bool = False) -> str | None:
        """A person's gender from their name and titles, else from the heads of the phrases
        describing them ("the spokeswoman", "Queen ..."); None when unknown or disputed.
        `likely` also takes a first name that is mostly given to one gender."""
        pname = self.names.get(id(ent))
        found = pname.gender(likely) if pname is not None else None
        return found or self.described_gender(ent) or self.pronouned.get(id(ent))

    def stated_gender(self, ent: Entity) -> str | None:
        """A person's gender from what the text writes (titles, gendered descriptions), leaving
        out what their first name only suggests."""
        pname = self.names.get(id(ent))
        found = gender.agreed(pname.titles) if pname is not None and pname.titles else None
        return found or self.described_gender(ent)

    def described_gender(self, ent: Entity) -> str | None:
        """The gender the heads of the phrases describing a person agree on ("the spokeswoman")."""
        return gender.of_words(head for head, _ in self.described.get(id(ent), []))

    def org(self, span: Span) -> Entity:
        name = span.text
        ent = self.entity(("ORG", name.lower()), name, "ORG", countries_in(span))
        return self.mention(ent, span, span.root.dep_ in SUBJECT_DEPS)

    def group(self, phrase: Span, head: Token, iso3: str | None) -> Entity:
        """A group or institution named by its head noun ("Ugandan troops", "the X side")."""
        noun = actors.group_nouns()[head.lower_]
        subject = head.dep_ in SUBJECT_DEPS
        if noun.type == "COUNTRY" and iso3:
            return self.country(iso3, phrase, subject)
        name = strip_determiners(phrase).text
        named = noun.type == "ORG" or not iso3  # two parties of one country stay apart
        key = (noun.type, name.lower()) if named else (noun.type, iso3, noun.sector)
        ent = self.entity(key, name, "ORG" if noun.type == "ORG" else "GROUP", iso3)
        ent.sector = noun.sector
        return self.mention(ent, phrase, subject)

    def place(self, span: Span, iso3: str | None) -> Entity:
        ent = self.entity(("PLACE", span.text), span.text, "PLACE", iso3)
        return self.mention(ent, span)


def is_subject(name: Span) -> bool:
    """Is the name a subject: the verb's, one apposed to it ("Her mother, Ana Ruiz, was born
    ..."), or one the parser lost (`before_root_verb`)?"""
    root = name.root
    apposed = root.dep_ == "appos" and root.head.dep_ in SUBJECT_DEPS
    return root.dep_ in SUBJECT_DEPS or apposed or before_root_verb(name)


def before_root_verb(name: Span) -> bool:
    """A name right before a finite verb that has no subject is that verb's subject, whatever
    the parser hung it on: the small model misreads long titles ("... and tenants advocate Ana
    Ruiz told ...", "advocate" taken for a verb and the name for its object), and a later "he
    said" must still find the person."""
    doc = name.doc
    if name.end >= len(doc):
        return False
    verb = doc[name.end]
    return (
        verb.pos_ == "VERB"
        and verb.tag_ in FINITE_TAGS
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def strip_determiners(span: Span) -> Span:
    """The span without leading determiners and a trailing possessive ("the Kenyan side's")."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in DETERMINERS:
        start += 1
    while end > start + 1 and span.doc[end - 1].dep_ in ("case", "punct"):
        end -= 1
    return span.doc[start:end]


def subtree(tok: Token) -> Span:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def named_parts(span: Span) -> list[Span]:
    """The named entities inside a span, read off the tokens (`Span.ents` scans the whole doc)."""
    parts, start = [], None
    for tok in span:
        if start is not None and tok.ent_iob_ != "I":
            parts.append(span.doc[start : tok.i])
            start = None
        if tok.ent_iob_ == "B":
            start = tok.i
    if start is not None:
        parts.append(span.doc[start : span.end])
    return parts


def countries_in(span: Span) -> str | None:
    """The first country a phrase names, by name, capital or demonym ("the Russian president")."""
    for ent in named_parts(span):
        iso3 = countries.country_of(ent.text)
        if iso3:
            return iso3
    for tok in span:
        iso3 = countries.country_of_name(tok.text) or countries.country_of_demonym(tok.text)
        if iso3:
            return iso3
    return None


def linked_phrases(name: Span) -> list[Span]:
    """Phrases the text links to a name: titles before it, appositions either way and the
    complement of "is": "Kenyan Foreign Minister Amina Mohamed", "Spokesman for the Kenyan
    police, Peter Mwangi", "Peter Mwangi, a spokesman for ...", "Mwangi is the spokesman"."""
    doc, root = name.doc, name.root
    phrases = [title_prefix(name)]
    if root.dep_ == "appos":
        head = appos_head(root.head)
        phrases.append(doc[head.left_edge.i : title_prefix(name).start])  # "its chair, Dr X"
    phrases += [subtree(c) for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        phrases += [subtree(c) for c in root.head.children if c.dep_ == "attr"]
    return [p for p in phrases if len(p)]


def role_text(phrase: Span) -> tuple[str, str | None]:
    """A linked phrase as a role, without determiners and nationality, with its country."""
    phrase = strip_determiners(phrase)
    return drop_country_words(phrase), countries_in(phrase)


def titles(name: Span) -> list[Token]:
    """The words before a name that may be its title: its title prefix and the word just
    before it (a title the model left inside the entity and the name proper left out)."""
    before = [name.doc[name.start - 1]] if name.start > 0 else []
    return [*title_prefix(name), *before]


def appos_head(head: Token) -> Token:
    """The role noun an apposed name belongs to: the parser often hangs the name of "a
    spokesman for the party, Name" on the last noun ("party") instead of on "spokesman"."""
    tok = head
    while actors.role_of(tok.lower_) is None and tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        tok = tok.head.head
    return tok if actors.role_of(tok.lower_) is not None else head


def title_prefix(name: Span) -> Span:
    """Words before a name that modify it within its noun phrase ("Retired Lt. Gen.")."""
    doc, start = name.doc, name.start
    while start > 0:
        tok = doc[start - 1]
        inside = tok.i < tok.head.i < name.end and tok.dep_ in TITLE_DEPS
        if not (inside or tok.dep_ == "case"):
            break
        start -= 1
    return doc[start : name.start]


def drop_country_words(phrase: Span) -> str:
    """Role text without its nationality: "Kenyan Foreign Minister" -> "Foreign Minister"."""
    toks = list(phrase)
    while toks and (
        countries.country_of(toks[0].text) or toks[0].dep_ == "case" or toks[0].is_punct
    ):
        toks.pop(0)
    while toks and toks[-1].is_punct and toks[-1].text != ".":
        toks.pop()
    return phrase.doc[toks[0].i : toks[-1].i + 1].text if toks else ""


def role_place(tok: Token) -> bool:
    """A country the model ran into the name after it, though it ends the role before it
    ("Resident Coordinator for Myanmar Andrew Kirkwood")."""
    before = tok.nbor(-1) if tok.i > 0 else None
    return before is not None and before.pos_ == "ADP" and bool(countries.country_of_name(tok.text))
