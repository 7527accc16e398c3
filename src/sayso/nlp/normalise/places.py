"""The `sayso_places` component: place mentions, resolved to GeoNames by article context.

Mentions are spaCy's GPE/LOC/FAC entities, demonyms (NORP), and capitalised names the NER
missed or mislabelled when the text marks them as places (a list with other places, a place
preposition, a following "district"/"city"). They are resolved in passes: countries and
unambiguous names first, so that the countries and places they establish can decide the
ambiguous names and the spelling variants that follow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.model import Place
from sayso.nlp.normalise.geocoder import DATA, Context, GeoName, choose, gazetteer

RULES = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
PLACE_LABELS = set(RULES["place_labels"])
ADMIN_NOUNS = set(RULES["admin_nouns"])
PLACE_NOUNS = ADMIN_NOUNS | set(RULES["settlement_nouns"])
PLACE_PREPS = set(RULES["place_preps"])
JOINERS = set(RULES["list_joiners"])
AGENCY_VERBS = set(RULES["agency_verbs"])
# Names that are places wherever they stand: countries, capitals, US states, continents.
STRONG_CODES = {"PCLI", "PPLC", "CONT"}


@dataclass
class Mention:
    span: Span
    ner: bool  # an NER place entity (GPE/LOC/FAC), not a name found by the rules here
    admin: bool = False  # followed by "district", "province", ...
    cued: bool = False  # the syntax marks it as a place
    candidates: list[GeoName] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        return any(
            c.fcode in STRONG_CODES or (c.cc == "US" and c.fcode == "ADM1") for c in self.candidates
        )


@Language.factory("sayso_places")
def make_places(nlp: Language, name: str) -> PlaceFinder:
    return PlaceFinder()


class PlaceFinder:
    """Writes `doc._.places`."""

    def __call__(self, doc: Doc) -> Doc:
        gaz = gazetteer()
        demonyms, mentions = [], []
        for span, ner in _name_spans(doc):
            country = None if ner else gaz.demonym(span.text)
            if country is not None:
                demonyms.append((span, country))
            elif span.label_ != "NORP" or gaz.lookup(span.text):
                mentions.append(Mention(span, ner, candidates=gaz.lookup(span.text)))
        _mark_cues(doc, mentions)
        mentions = [m for m in mentions if m.ner or m.cued or (m.strong and _not_a_person(m))]
        places = [_demonym(span, country) for span, country in demonyms]
        places += _resolve(mentions, Context(), [c for _, c in demonyms])
        places.sort(key=lambda p: p.start)
        for i, place in enumerate(places, 1):
            place.id = f"P{i}"
        doc._.places = places
        return doc


def _not_a_person(m: Mention) -> bool:
    """A strong name inside a longer PERSON entity is a person's name ("Georgia Smith")."""
    ent = next((e for e in m.span.doc.ents if e.start <= m.span.start < e.end), None)
    return ent is None or ent.label_ != "PERSON" or len(ent) == 1


def _trim(span: Span) -> Span | None:
    """The name itself: without a leading "the", a possessive "'s" or a trailing "district"."""
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ == "the":
        start += 1
    while end > start and (
        span.doc[end - 1].tag_ == "POS" or span.doc[end - 1].lower_ in (ADMIN_NOUNS)
    ):
        end -= 1
    return Span(span.doc, start, end, label=span.label_) if end > start else None


def _name_spans(doc: Doc) -> list[tuple[Span, bool]]:
    """NER place and NORP entities, plus capitalised runs outside them, as (span, from NER)."""
    out: list[tuple[Span, bool]] = []
    taken = set()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS or ent.label_ == "NORP":
            span = _trim(ent)
            if span is not None:
                out.append((span, ent.label_ in PLACE_LABELS))
                taken.update(range(ent.start, ent.end))
    run: list[int] = []
    for tok in [*doc, None]:
        if (
            tok is not None
            and tok.i not in taken
            and tok.is_title
            and not tok.is_sent_start
            and tok.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL"}
        ):
            run.append(tok.i)
            continue
        if run:
            out.append((Span(doc, run[0], run[-1] + 1, label="NAME"), False))
            run = []
    return out


def _mark_cues(doc: Doc, mentions: list[Mention]) -> None:
    """Mark names the syntax shows are places, and admin units, list by list."""
    for group in _lists(doc, mentions):
        first, last = group[0].span, group[-1].span
        before = doc[first.start - 1] if first.start > 0 else None
        after = doc[last.end] if last.end < len(doc) else None
        admin = after is not None and after.lemma_.lower() in ADMIN_NOUNS
        cued = (
            any(m.ner for m in group)
            or admin
            or (after is not None and after.lemma_.lower() in PLACE_NOUNS)
            or (before is not None and before.lower_ in PLACE_PREPS | {"of"})
        )
        for m in group:
            m.cued = m.cued or cued
            m.admin = m.admin or admin or _admin_word_after(m.span)


def _admin_word_after(span: Span) -> bool:
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in ADMIN_NOUNS


def _lists(doc: Doc, mentions: list[Mention]) -> list[list[Mention]]:
    """Runs of mentions separated only by commas and conjunctions ("A, B and C")."""
    groups: list[list[Mention]] = []
    for m in sorted(mentions, key=lambda m: m.span.start):
        prev = groups[-1][-1].span if groups else None
        between = doc[prev.end : m.span.start] if prev is not None else None
        if (
            between is not None
            and 0 < len(between) <= 2
            and all(t.lower_ in JOINERS for t in between)
        ):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _resolve(mentions: list[Mention], ctx: Context, demonyms: list[GeoName]) -> list[Place]:
    """Countries and unambiguous names first; they then decide the ambiguous ones."""
    for country in demonyms:
        ctx.countries[country.cc] += 1
    chosen: dict[int, tuple[GeoName, str]] = {}
    for i, m in enumerate(mentions):
        cands = _admin_first(m)
        countries = [c for c in cands if c.fcode == "PCLI"]
        if len(cands) == 1 or (len(countries) == 1 and all(c.fcode != "ADM1" for c in cands)):
            pick = countries[0] if countries else cands[0]
            chosen[i] = (pick, "country name" if pick.fcode == "PCLI" else "only candidate")
            ctx.add(pick)
    for i, m in enumerate(mentions):
        if i in chosen:
            continue
        cands, variant = _admin_first(m), ""
        if not cands and (m.ner or m.cued):
            cands, variant = gazetteer().similar(m.span.text, set(ctx.countries)), "spelling of "
        best = choose(cands, ctx)
        if best is not None:
            pick, why = best
            chosen[i] = (pick, f"{variant}{pick.name}: {why}" if variant else why)
    return [
        _place(m, *chosen.get(i, (None, "not in gazetteer")))
        for i, m in enumerate(mentions)
        if i in chosen or m.ner
    ]


def _admin_first(m: Mention) -> list[GeoName]:
    """An admin unit ("the X district") is the unit, not its seat, when the gazetteer has it."""
    if m.admin:
        units = [c for c in m.candidates if c.feature_class == "A" and c.fcode != "PCLI"]
        return units or m.candidates
    return m.candidates


def _kind(m: Mention, place: GeoName | None) -> str:
    """A country or capital acting (subject of "said", "claimed") stands for its government."""
    root = m.span.root
    acting = root.dep_ in ("nsubj", "poss") and root.head.lemma_.lower() in AGENCY_VERBS
    actor = place is not None and (place.feature_class == "A" or place.fcode == "PPLC")
    return "metonymy" if acting and actor else "literal"


def _place(m: Mention, geo: GeoName | None, reason: str) -> Place:
    span = m.span
    place = Place(
        id="",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        kind=_kind(m, geo),
        reason=reason,
    )
    if geo is not None:
        place.name, place.geonameid, place.country = geo.name, geo.geonameid, geo.iso3
        place.feature_class = "A" if m.admin and geo.fcode != "PCLI" else geo.feature_class
        place.lat, place.lon = geo.lat, geo.lon
        if place.feature_class != geo.feature_class:
            place.geonameid = None  # the seat's id would name the town, not the unit
            place.reason = f"{reason}; admin unit named after its seat"
    return place


def _demonym(span: Span, country: GeoName) -> Place:
    return Place(
        id="",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        name=country.name,
        geonameid=country.geonameid,
        feature_class="A",
        country=country.iso3,
        lat=country.lat,
        lon=country.lon,
        kind="demonym",
        reason="demonym",
    )
