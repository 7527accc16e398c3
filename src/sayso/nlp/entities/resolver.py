"""The `sayso_entities` component: who the article's people, countries and groups are.

It gathers entities from spaCy's named entities (checked against the country gazetteer first,
because the small model often tags "Nairobi" as a person or "Kenya" as an organisation) and
from group phrases ("Kenyan police", "officials in Nairobi"), then resolves every attribution
source to one of them (or to none, for a source that names no agent) with how sure that link
is (`entities.coref`; priors in data/entity_confidence.tsv). Each PERSON, GROUP and COUNTRY
gets a PLOVER sector and an actor code ("KEN GOV"); ids E1, E2, ... follow the order of first
mention.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.model import Entity
from sayso.model import Span as TextSpan
from sayso.nlp.entities import actors, countries
from sayso.nlp.entities.coref import SourceResolver, confidence
from sayso.nlp.entities.entitybook import (
    SUBJECT_DEPS,
    EntityBook,
    countries_in,
    role_place,
    strip_determiners,
    subtree,
)
from sayso.nlp.entities.names import compatible
from sayso.nlp.spans import doc_text, sayso_factory, token_column

ENT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC"}
METONYMY_DEPS = SUBJECT_DEPS | {"poss"}  # "Nairobi said", "Nairobi's claims"
GROUP_PREPS = {"of", "in", "from"}  # "the government of Kenya", "officials in Nairobi"
ACRONYM_STOPWORDS = {"of", "the", "and", "for", "on", "in"}
PERSONAL_RELATIVES = {"who", "whom", "whose"}  # pronouns that only stand for people
OUTSIDE = 2  # `Token.ent_iob` of a token outside every entity (`ent_iob_` "O")
FIGURE_LABELS = ("DATE", "TIME")  # what the small model sometimes takes a lone surname for
MAX_AGE = 120


@sayso_factory("sayso_entities")
def make_entities(nlp: Language, name: str) -> EntityResolver:
    return EntityResolver()


class EntityResolver:
    """Pipeline component: sets `doc._.entities` and `source.entity` on every attribution."""

    def __call__(self, doc: Doc) -> Doc:
        book = EntityBook(doc)
        collect(book)
        attributions = doc._.attributions or []
        resolver = SourceResolver(book, attributions)
        speakers = resolver.resolve_all()
        spoken = {id(e) for e in speakers.values() if e is not None}
        doc._.entities = finish(book, spoken)
        for a in attributions:
            ent = speakers.get(a.id)
            if a.source is not None:
                a.source.entity = ent.id if ent is not None else None
                a.source.confidence = confidence(resolver.paths.get(a.id) or "unresolved")
        return doc


def collect(book: EntityBook) -> None:
    """Entities from named entities, group phrases and the article's byline."""
    doc = book.doc
    named_people = {ent.text for ent in doc.ents if ent.label_ == "PERSON"}
    for ent in doc.ents:
        if ent.label_ in ENT_LABELS and any(ch.isupper() for ch in ent.text):
            add_named(book, numbered(first_line(ent)), named_people)  # "rookie defenceman": none
    add_untagged_surnames(book)
    add_untagged_orgs(book)
    for chunk in book.noun_chunks:
        if chunk.root.lower_ in actors.group_nouns():
            phrase, iso3 = group_phrase(chunk)
            if iso3:
                book.group(phrase, chunk.root, iso3)
    merge_acronyms(book)
    article = doc._.article
    for author in article.authors if article else []:
        ent = book.entity(("AUTHOR", author), author, "PERSON")
        ent.roles, ent.sector = ["author"], "MED"


def add_named(book: EntityBook, ent: Span, named_people: set[str]) -> None:
    span = strip_determiners(ent)
    subject = span.root.dep_ in SUBJECT_DEPS
    iso3 = countries.country_of_name(span.text)
    capital = countries.country_of_capital(span.text)
    if iso3:
        book.country(iso3, span, subject)
    elif capital:
        if span.root.dep_ in METONYMY_DEPS:
            book.country(capital, span, subject)
        else:
            book.place(span, capital)
    elif (ent.label_ == "NORP" or countries.is_demonym(span.text)) and not known_surname(
        book, span
    ):
        return
    elif (
        ent.label_ == "PERSON"
        or known_surname(book, span)
        or named_role_holder(span)
        or personal_relative(span)
        or aged(span)
    ):
        name = person_name(span)
        if name is not None:
            book.person(name)
    elif (titled := titled_name(span, named_people)) is not None:
        book.person(titled)
    elif (owned := possessed_name(span)) is not None and known_surname(book, owned):
        book.person(owned)  # "Cornell's Casanova": the person, of that body
    elif ent.label_ == "ORG":
        book.org(span)
    else:
        book.place(span, None)


def possessed_name(span: Span) -> Span | None:
    """The proper nouns after a possessive inside one entity ("Cornell's Casanova")."""
    mark = next((t.i for t in span[1:-1] if t.tag_ == "POS"), None)
    if mark is None:
        return None
    name = span.doc[mark + 1 : span.end]
    return name if all(t.pos_ == "PROPN" for t in name) else None


def titled_name(span: Span, named_people: set[str]) -> Span | None:
    """The name after a title inside an entity the model took for an organisation or place
    ("Hereditary Chief Ana Ruiz"), when the text also names that person on their own."""
    titles = actors.title_words()
    last = next((t.i for t in reversed(span[:-1]) if t.is_title and t.lower_ in titles), None)
    if last is None:
        return None
    name = span.doc[last + 1 : span.end]
    if any(t.pos_ != "PROPN" or t.lower_ in actors.kind_words() for t in name):
        return None
    text = doc_text(span.doc)
    alone = name.text in named_people or text.count(name.text) > text.count(span.text)
    return name if alone else None


def first_line(ent: Span) -> Span:
    """A named entity cut at a line break: the small model runs a heading into the next
    paragraph ("About Acme\n\nAcme is ...")."""
    end = next((t.i for t in ent if "\n" in t.text), ent.end)
    return Span(ent.doc, ent.start, end, label=ent.label_) if end > ent.start else ent


def numbered(ent: Span) -> Span:
    """An organisation with the number that ends its name, which the small model tags apart as
    a cardinal ("UFCW Local 832", "Unifor Local 444"): two branches of one union stay apart."""
    end = ent.end
    if ent.label_ != "ORG" or end >= len(ent.doc):
        return ent
    tok = ent.doc[end]
    if tok.like_num and tok.dep_ == "nummod" and tok.head.i == end - 1:
        return Span(ent.doc, ent.start, end + 1, label=ent.label_)
    return ent


def add_untagged_surnames(book: EntityBook) -> None:
    """A surname of a person named in full, standing alone where the small model tagged no
    entity ("Schuh is aware ..."), is a mention of that person: the subject a pronoun or a
    description later takes up. So is the first word of the name as a subject ("Yoon later
    retracted it"), which `add_name` gives to the one person whose name starts with it."""
    surnames = {p.surname for p in book.people if p.first and p.surname}
    for word in untagged(book.doc, surnames):
        book.person(word)
    firsts = {p.first.split()[0] for p in book.people if p.first and p.surname} - surnames
    for word in untagged(book.doc, firsts):
        if word.root.dep_ in SUBJECT_DEPS:
            book.person(word)


def add_untagged_orgs(book: EntityBook) -> None:
    """A one-word organisation name standing alone where the small model tagged it once but
    not again ("... done by Railcorp. The agency said"): a mention of that organisation, which
    a later "the agency" takes up."""
    known = {e.name: e for e in book.entities if e.type == "ORG" and " " not in e.name}
    for word in untagged(book.doc, set(known)):
        book.mention(known[word.text], word, word.root.dep_ in SUBJECT_DEPS)


def untagged(doc: Doc, names: set[str]) -> list[Span]:
    """The proper nouns spelling one of `names` that no entity covers, or only a date or time
    the small model mistook them for ("In 2023, ... Mmolotsi, however, says"), and that no
    other proper noun touches ("Schuh said", not "Schuh Motors")."""
    found = []
    if not names:
        return found
    pos, iob = token_column(doc, "POS"), token_column(doc, "ENT_IOB")
    kind = token_column(doc, "ENT_TYPE")
    for i, word in enumerate(token_column(doc, "ORTH")):
        tagged = iob[i] != OUTSIDE and kind[i] not in FIGURE_LABELS
        if tagged or pos[i] != "PROPN" or word not in names:
            continue
        if all(not 0 <= j < len(doc) or pos[j] != "PROPN" for j in (i - 1, i + 1)):
            found.append(doc[i : i + 1])
    return found


def known_surname(book: EntityBook, span: Span) -> bool:
    """A lone word (hyphenated ones too: "Dakin-Grimm") the model took for a place or
    organisation but that spells a known surname."""
    one_word = len(span) == 1 or not any(t.whitespace_ for t in span[:-1])
    return one_word and any(
        compatible(span.text, p) for p in book.people.candidates(span.text)
    )


def named_role_holder(span: Span) -> bool:
    """A two-word-or-longer name in apposition to a role noun ("the head of the delegation,
    Carmen Ruiz") names a person, whatever label the small model gave it; not when the role
    is already a named person's ("Ana Ruiz, director of the press wing, Joint Relations")."""
    root = span.root
    role = root.head
    return (
        len(span) > 1
        and root.dep_ == "appos"
        and all(t.pos_ == "PROPN" for t in span)
        and actors.role_of(role.lower_) is not None
        and not (role.dep_ == "appos" and role.head.ent_type_ == "PERSON")
    )


def personal_relative(span: Span) -> bool:
    """A name followed by a "who" clause ("Ada Obi, who chairs the board, ...") is a person:
    organisations take "which" or "that", whatever label the small model gave the name."""
    clauses = [c for c in span.root.rights if c.dep_ == "relcl"]
    return all(t.pos_ == "PROPN" for t in span) and any(
        c.left_edge.lower_ in PERSONAL_RELATIVES for c in clauses
    )


def aged(span: Span) -> bool:
    """A name followed by an age between commas ("Ana Ruiz, 29, works ...") is a person's,
    whatever label the small model gave it."""
    doc, end = span.doc, span.end
    if end + 2 >= len(doc) or not all(t.pos_ == "PROPN" for t in span):
        return False
    comma, age, after = doc[end], doc[end + 1], doc[end + 2]
    return (
        comma.text == "," and after.text == "," and age.is_digit
        and 0 < int(age.text) <= MAX_AGE
    )


def person_name(span: Span) -> Span | None:
    """The name proper: titles and honorifics the model included are left to the role."""
    words = actors.words()
    skip = actors.role_words() | set(words["honorifics"] + words["role_modifiers"])
    start = span.start
    while start < span.end and (span.doc[start].lower_ in skip or span.doc[start].is_punct):
        start += 1
    if span.end - start > 2 and role_place(span.doc[start]):
        start += 1
    return span.doc[start : span.end] if start < span.end else None


def group_phrase(chunk: Span) -> tuple[Span, str | None]:
    """A group phrase with the country it belongs to, from a modifier or a following "of/in X"."""
    iso3 = countries_in(chunk)
    if iso3:
        return chunk, iso3
    for prep in chunk.root.rights:
        if prep.dep_ == "prep" and prep.lower_ in GROUP_PREPS:
            iso3 = countries_in(subtree(prep))
            if iso3:
                return chunk.doc[chunk.start : prep.right_edge.i + 1], iso3
    return chunk, None


def finish(book: EntityBook, spoken: set[int]) -> list[Entity]:
    """Drop stray one-word names, set sectors and codes, number entities by position."""
    keep = [e for e in book.entities if not stray_name(book, e, spoken)]
    article = book.doc._.article
    text = article.text if article else book.doc.text  # doc.text joins every token: costly
    kept = {id(e) for e in keep}
    first: dict[int, int] = {}
    for m in sorted(book.mentions, key=lambda m: m.start):
        first.setdefault(id(m.entity), m.start)
        if id(m.entity) in kept:
            m.entity.mentions.append(TextSpan.of(text, m.start, m.end))
    keep.sort(key=lambda e: first.get(id(e), len(text)))
    for i, ent in enumerate(keep, 1):
        ent.id = f"E{i}"
        ent.sector = ent.sector or sector_of(ent)
        if ent.type != "PLACE":
            ent.code = actors.actor_code(ent.country, ent.sector)
    return keep


def stray_name(book: EntityBook, ent: Entity, spoken: set[int]) -> bool:
    """A one-word "person" with no role, never a subject or speaker: usually a mistagged place."""
    if ent.type != "PERSON" or " " in ent.name or ent.roles or id(ent) in spoken:
        return False
    return not any(m.subject for m in book.mentions if m.entity is ent)


def sector_of(ent: Entity) -> str | None:
    """PLOVER sector: a country speaks as its government; people by their first telling role."""
    if ent.type == "COUNTRY":
        return "GOV"
    if ent.type == "ORG":
        return actors.org_sector(ent.name)
    for role in ent.roles:
        found = actors.role_of(role)
        sector = (
            actors.body_sector(role) or (found.sector if found else "") or actors.org_sector(role)
        )
        if sector:
            return sector
    return None


def merge_acronyms(book: EntityBook) -> None:
    """Fold an organisation's acronym ("OSCE") into its full name, which becomes canonical."""
    orgs = [e for e in book.entities if e.type == "ORG"]
    full = {initials(e.name): e for e in orgs if " " in e.name}
    for short in orgs:
        target = full.get(short.name)
        if target is not None and target is not short:
            for m in book.mentions:
                if m.entity is short:
                    m.entity = target
            target.country = target.country or short.country
            book.entities.remove(short)


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w.lower() not in ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words).upper()
