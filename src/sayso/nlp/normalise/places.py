"""The `sayso_places` component: place mentions, resolved to GeoNames by article context.

Mentions are spaCy's GPE/LOC/FAC entities (split at commas: in "Paris, Texas" the state places
the town), demonyms (NORP), datelines ("LONDON (AP) -"), state abbreviations ("Ky.", "W.Va."),
capitalised names the NER missed when the text marks them as places, and the toponyms inside
organisation names ("Kentucky State Police"), kept as modifiers: the organisation's place, not
where something happened. People's names are never geocoded. Mentions are resolved in passes:
countries and unambiguous names first, so that the countries and places they establish can
decide the ambiguous names (weighed against each candidate's prominence, see geocoder.choose)
and the spelling variants that follow. A facility the gazetteer lacks ("Royal Street") is placed
at the town the text puts it in, or else the article's own town, with a low confidence.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.model import Place
from sayso.nlp.normalise.geocoder import (
    DATA,
    NEAR_KM,
    WEIGHTS,
    Context,
    GeoName,
    alpha3,
    canonical,
    choose,
    confidence,
    distance_km,
    fold,
    gazetteer,
)
from sayso.nlp.spans import sayso_factory

RULES = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
PLACE_LABELS = set(RULES["place_labels"])
EMBEDDING_LABELS = set(RULES["embedding_labels"])
NATION_LABELS = set(RULES["nation_labels"])
NOT_PLACE_LABELS = set(RULES["not_place_labels"])
ADMIN_NOUNS = set(RULES["admin_nouns"])
PLACE_NOUNS = ADMIN_NOUNS | set(RULES["settlement_nouns"])
FACILITY_NOUNS = set(RULES["facility_nouns"])
PLACE_PREPS = set(RULES["place_preps"])
FIRM_PREPS = set(RULES["firm_place_preps"])
JOINERS = set(RULES["list_joiners"])
AGENCY_VERBS = set(RULES["agency_verbs"])
EMBEDDED_STARTS = set(RULES["embedded_starts"])
GENERIC_NAMES = set(RULES["generic_names"])
COMPASS_WORDS = set(RULES["compass_words"])
FEATURE_NOUNS = set(RULES["feature_nouns"])
ABBREVIATIONS = {k: tuple(v) for k, v in RULES["state_abbreviations"].items()}
POSTAL_CODES = {k: tuple(v) for k, v in RULES["postal_codes"].items()}
# What an abbreviation's first token reads ("Ky." whole, or "W.Va" before a split-off dot).
ABBREVIATION_STARTS = set(ABBREVIATIONS) | {k[:-1] for k in ABBREVIATIONS if k.endswith(".")}
DATELINE_AFTER = set(RULES["dateline_after"])
LIMITS = RULES["limits"]
CONFIDENCE = RULES["confidence"]
# Entities never joined with their neighbour into one name: dates, numbers, amounts.
NOT_JOINED = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# Names that are places wherever they stand: countries, capitals, US states, continents.
STRONG_CODES = {"PCLI", "PPLC", "CONT"}
# Kinds of place a name inside an organisation's name is taken for whatever its size.
AREA_CODES = {"PCLI", "CONT", "ADM1", "PPLC"}


@dataclass
class Mention:
    span: Span
    ner: bool  # an NER place entity (GPE/LOC/FAC), not a name found by the rules here
    source: str = "ner"  # ner | name | dateline | abbreviation | embedded | doubtful | person
    admin: bool = False  # followed by "district", "province", ... or listed with states
    cued: bool = False  # the syntax marks it as a place
    qualified: bool = False  # placed by the unit after it ("Paris, Texas")
    firm: bool = False  # "in X" or listed with places: a place, whatever the NER says
    group: list[Mention] | None = None  # the list it stands in ("A, B and C"), if any
    landmark: bool = False  # a namesake unless the article backs it (see `_mark_landmarks`)
    candidates: list[GeoName] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        return any(
            c.fcode in STRONG_CODES or (c.cc == "US" and c.fcode == "ADM1") for c in self.candidates
        )


@sayso_factory("sayso_places")
def make_places(nlp: Language, name: str) -> PlaceFinder:
    return PlaceFinder()


class PlaceFinder:
    """Writes `doc._.places`."""

    def __call__(self, doc: Doc) -> Doc:
        demonyms, mentions = _mentions(doc)
        _mark_cues(doc, mentions)
        _qualify(doc, mentions)
        mentions = _settle(mentions)
        surnames = _surnames(doc)
        mentions = [
            m for m in mentions
            if (m.ner or m.cued or m.source != "name" or (m.strong and _not_a_person(m))
                or _facility(m.span)) and not _person_named(m, surnames)
        ]
        places = [_demonym(span, place) for span, place in demonyms]
        places += _resolve(mentions, Context(), [p for _, p in demonyms if p.cc])
        places.sort(key=lambda p: p.start)
        for i, place in enumerate(places, 1):
            place.id = f"P{i}"
        doc._.places = places
        return doc


# --- finding mentions -----------------------------------------------------------------------


def _mentions(doc: Doc) -> tuple[list[tuple[Span, GeoName]], list[Mention]]:
    """Demonyms (span, place) and place mentions, each token in at most one of them."""
    gaz = gazetteer()
    demonyms: list[tuple[Span, GeoName]] = []
    mentions: list[Mention] = []
    taken: set[int] = set()

    def add(m: Mention) -> None:
        mentions.append(m)
        taken.update(range(m.span.start, m.span.end))

    for span in _datelines(doc):
        add(Mention(span, False, "dateline", cued=True, candidates=_lookup(span.text.title())))
    for span in _joined_names(doc):
        if not taken.intersection(range(span.start, span.end)):
            add(Mention(span, True, candidates=_lookup(span.text)))
    for ent in doc.ents:
        if taken.intersection(range(ent.start, ent.end)):
            continue
        if ent.label_ in PLACE_LABELS:
            whole = _with_facility_noun(ent)
            for part in _parts(whole):
                add(_mention(part, True))
            taken.update(range(whole.start, whole.end))  # the name's rest, when a part is placed
        elif ent.label_ in NATION_LABELS:
            span = _trim(ent)
            place = gaz.demonym(span.text) if span is not None else None
            if span is not None and place is not None:
                demonyms.append((span, place))
            elif span is not None and "-" in span.text:  # "anti-Russian", "Russian-European"
                demonyms += _hyphenated(span)
            elif span is not None and (cands := [c for c in _lookup(span.text) if _area(c)]):
                add(Mention(span, False, candidates=cands))  # "Kurdistan", never a town
            taken.update(range(ent.start, ent.end))
        elif ent.label_ in EMBEDDING_LABELS:
            whole = _trim(ent)
            cands = _lookup(whole.text) if whole is not None else []
            if whole is not None and any(_area(c) for c in cands):
                add(Mention(whole, True, candidates=cands))  # a place the NER took for a body
                continue
            if whole is not None and cands:  # "in Boise", or a club named after its town
                add(Mention(whole, False, "doubtful", candidates=cands))
                continue
            for span, found in _embedded(ent):
                if isinstance(found, list):
                    add(Mention(span, False, "embedded", cued=True, candidates=found))
                else:
                    demonyms.append((span, found))
            taken.update(range(ent.start, ent.end))
        elif ent.label_ in NOT_PLACE_LABELS:
            whole = _mention(ent, False)
            if len(ent) == 1 and (place := gaz.demonym(ent.text)) is not None:
                demonyms.append((ent, place))  # "Ugandan traders", tagged as a person
            elif any(_area(c) for c in whole.candidates) and (
                    len(ent) > 1 or any(c.fcode == "PCLI" for c in whole.candidates)):
                whole.cued = True  # "Tamil Nadu said", "Sokoto State", "Azerbaijan should"
                add(whole)
            else:  # a place the NER took for a person, if the text firmly places it
                add(Mention(ent, False, "person", candidates=_lookup(ent.text)))
            taken.update(range(ent.start, ent.end))
    for span in _abbreviations(doc, taken):
        cc, name = ABBREVIATIONS[span.text]
        add(Mention(span, False, "abbreviation", cued=True, candidates=_units(cc, name)))
    for span in _capitalised_runs(doc, taken):
        if len(span) == 1 and (place := gaz.demonym(span.text)) is not None:
            demonyms.append((span, place))
            continue
        if span[0].is_sent_start:  # any sentence's first word is capitalised: a strong name only
            span = _strong_tail(span)
            if span is None:
                continue
        m = Mention(span, False, "name", candidates=_lookup(span.text))
        if m.candidates or _facility(span):
            mentions.append(m)
    return demonyms, mentions


def _strong_tail(span: Span) -> Span | None:
    """A sentence-initial run as a name: itself if a country, capital or state is called so
    ("Douma is ..." is not; "Mexico is ..." is), else the run without its first word."""
    if any(c.fcode in STRONG_CODES or c.fcode == "ADM1" for c in _lookup(span.text)):
        return span
    return span[1:] if len(span) > 1 else None


def _hyphenated(span: Span) -> list[tuple[Span, GeoName]]:
    """The demonyms among the hyphenated parts of a word ("anti-Russian", "Austro-Hungarian")."""
    out, at = [], span.start_char
    for part in span.text.split("-"):
        sub = span.doc.char_span(at, at + len(part))
        if sub is not None and (place := gazetteer().demonym(part)) is not None:
            out.append((sub, place))
        at += len(part) + 1
    return out


def _joined_names(doc: Doc) -> list[Span]:
    """Names the NER cut in two ("Boa" + "Vista", "Trinidad" and "Tobago") that the gazetteer
    knows whole."""
    ents, out = list(doc.ents), []
    for a, b in zip(ents, ents[1:], strict=False):
        gap = doc[a.end : b.start]
        if a.label_ in NOT_JOINED or b.label_ in NOT_JOINED or len(gap) > 1 or (
                len(gap) == 1 and gap[0].lower_ not in ("and", "&")):
            continue
        span = doc[a.start : b.end]
        if any(canonical(c.name) == canonical(span.text) for c in _lookup(span.text)):
            out.append(span)
    return out


def _lookup(text: str) -> list[GeoName]:
    """Gazetteer candidates for a name, less those no reader would mean by it: units below
    the first level reached through their name cut short ("Orange" for Orange County; "East
    Yorkshire" for the East Riding of Yorkshire stays), and for a
    name under three letters ("Al") or an acronym ("OAS") anything but a country or region,
    and for a three-letter word anything it does not begin the name of (an airport code:
    "The" for Teresina, "Can" for Guangzhou). A compass word or common noun alone
    ("Central", "the Valley") is no name at all."""
    key = fold(text)
    if key in GENERIC_NAMES:
        return []
    cands = [
        c for c in gazetteer().lookup(text)
        if c.fcode not in ("ADM2", "ADM3") or not fold(c.name).startswith(key + " ")
    ]
    if len(key.replace(" ", "")) < LIMITS["short_name"] or (
            text.isupper() and len(text) <= LIMITS["acronym_letters"]):
        cands = [c for c in cands if c.fcode == "PCLI" or c.feature_class == "L"]
    elif len(key) <= LIMITS["code_letters"]:
        cands = [c for c in cands if fold(c.name).split()[0] == key]
    return cands


def _units(cc: str, name: str) -> list[GeoName]:
    """The first-level unit of a country with this name (what an abbreviation stands for)."""
    return [c for c in gazetteer().lookup(name) if c.cc == cc and c.fcode == "ADM1"]


def _area(c: GeoName) -> bool:
    return c.fcode in AREA_CODES or c.feature_class in "LHT"


def _mention(span: Span, ner: bool) -> Mention:
    """A place entity as a mention: its full name when that is an admin unit ("Orange County"),
    else the name without "the", "'s" and a trailing "district"/"county"."""
    doc = span.doc
    if span.text + "." in ABBREVIATIONS and span.end < len(doc) and doc[span.end].text == ".":
        span = doc[span.start : span.end + 1]  # "W.Va" "." as the tokenizer splits it
    if span.text in ABBREVIATIONS:
        cc, name = ABBREVIATIONS[span.text]
        return Mention(span, ner, "abbreviation", cued=True, candidates=_units(cc, name))
    full = _trim(span, keep_admin=True)
    if full is not None:
        cands = _lookup(full.text)
        if any(c.feature_class == "A" for c in cands):
            return Mention(full, ner, admin=_admin_word_after(full), candidates=cands)
    short = _trim(span) or span
    admin = short.end < span.end or _admin_word_after(short)
    cands = _lookup(short.text)
    if not cands and len(short) > 1:  # "Birmingham City": the town inside the longer name
        inner = [(s, f) for s, f in _embedded(short) if isinstance(f, list)]
        if inner:
            return Mention(inner[0][0], ner, "embedded", candidates=inner[0][1])
    return Mention(short, ner, admin=admin, candidates=cands)


def _with_facility_noun(ent: Span) -> Span:
    """A place entity with the capitalised facility nouns the NER left after it ("St. Mark's"
    + "Basilica"): the name is the landmark's, and a landmark is not the place it is named
    after."""
    doc, end = ent.doc, ent.end
    while end < len(doc) and doc[end].is_title and doc[end].lower_ in FACILITY_NOUNS:
        end += 1
    return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label_)


def _parts(ent: Span) -> list[Span]:
    """An entity split at its commas: "Springfield, Ill." is a town and its state."""
    doc, parts, start = ent.doc, [], ent.start
    for i in range(ent.start, ent.end + 1):
        if i == ent.end or doc[i].text == ",":
            if i > start:
                parts.append(Span(doc, start, i, label=ent.label_))
            start = i + 1
    return parts


def _trim(span: Span, keep_admin: bool = False) -> Span | None:
    """The name itself: without a leading "the", a possessive "'s" or (unless `keep_admin`) a
    trailing "district"."""
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ == "the":
        start += 1
    while end > start and (
        span.doc[end - 1].tag_ == "POS"
        or (not keep_admin and span.doc[end - 1].lower_ in ADMIN_NOUNS)
    ):
        end -= 1
    return Span(span.doc, start, end, label=span.label_) if end > start else None


def _datelines(doc: Doc) -> list[Span]:
    """Capitalised datelines ("LONDON (AP) -", "ST. LOUIS -", a line starting "TORONTO")."""
    out, i = [], 0
    while i < len(doc):
        j = i
        while j < len(doc) and j - i < LIMITS["dateline_words"] and (
                _caps_word(doc[j]) or (j > i and doc[j].text == "." and not doc[j - 1].whitespace_)
        ):
            j += 1
        if j > i and sum(len(t.text.strip(".")) for t in doc[i:j]) >= LIMITS["dateline_letters"]:
            after = doc[j] if j < len(doc) else None
            before = doc[i - 1] if i > 0 else None
            starts_line = before is None or "\n" in before.text_with_ws or "/" in before.text
            if (starts_line or (after is not None and after.text in DATELINE_AFTER)) and any(
                c.feature_class in "PA" and (c.population >= LIMITS["dateline_population"]
                                             or c.fcode in AREA_CODES)
                for c in _lookup(doc[i:j].text.title())
            ):
                out.append(doc[i:j])
        i = max(j, i + 1)
    return out


def _caps_word(tok) -> bool:
    word = tok.text.rstrip(".")
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _abbreviations(doc: Doc, taken: set[int]) -> list[Span]:
    """State abbreviations outside entities ("Ky." or "W.Va" "." as the tokenizer splits it)."""
    out = []
    for tok in doc:
        if tok.i in taken or tok.text not in ABBREVIATION_STARTS:
            continue
        if tok.text in ABBREVIATIONS:
            span = doc[tok.i : tok.i + 1]
        elif (tok.i + 1 < len(doc) and doc[tok.i + 1].text == "." and tok.i + 1 not in taken
              and tok.i > 0 and doc[tok.i - 1].text == ","):  # "Paducah, Ky." at a full stop
            span = doc[tok.i : tok.i + 2]
        else:
            continue
        out.append(span)
        taken.update(range(span.start, span.end))
    return out


def _capitalised_runs(doc: Doc, taken: set[int]) -> list[Span]:
    """Runs of capitalised words (or short acronyms: "the UAE") outside every entity."""
    out: list[Span] = []
    run: list[int] = []
    for tok in [*doc, None]:
        if (
            tok is not None
            and tok.i not in taken
            and (tok.is_title or (tok.is_upper and tok.is_alpha
                                  and len(tok) <= LIMITS["acronym_letters"]))
            and tok.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL"}
        ):
            run.append(tok.i)
            continue
        if run:
            out.append(Span(doc, run[0], run[-1] + 1, label="NAME"))
            run = []
    return out


def _embedded(ent: Span) -> list[tuple[Span, list[GeoName] | GeoName]]:
    """Toponyms and demonyms inside an organisation's or event's name. Where such names put a
    town, first ("Winnipeg Free Press") or after "of" ("Bank of Mexico"), any town by its own
    name counts (a small one only if the article's other places back it, see `_resolve`);
    elsewhere ("HSBC Malta", "Air Canada Cargo") only countries, regions, first-level units,
    capitals and demonyms do: a town's name inside a firm's name is more often a surname."""
    doc, gaz = ent.doc, gazetteer()
    if doc[ent.end - 1].lower_ in FEATURE_NOUNS:
        return []  # "Atlantic Avenue", "Mississippi River": named after a place, not in it
    first = ent.start + (doc[ent.start].lower_ == "the")
    leads = {i + 1 for i in range(first, ent.end - 1) if doc[i].lower_ in EMBEDDED_STARTS}
    if first + 1 == ent.end or doc[first + 1].lower_ != "of":  # "Bank of ...": a noun, no name
        leads.add(first)
    found: list[tuple[Span, list[GeoName] | GeoName]] = []
    start = first
    while start < ent.end:
        for end in range(min(ent.end, start + LIMITS["embedded_words"]), start, -1):
            span = doc[start:end]
            if not all(t.is_title or t.is_upper for t in span):
                continue
            if (place := gaz.demonym(span.text)) is not None:  # "North American Free Trade"
                found.append((span, place))
                break
            cands = [c for c in _lookup(span.text) if _embeddable(c, span, start in leads)]
            if cands:
                found.append((span, cands))
                break
        start = found[-1][0].end if found and found[-1][0].start == start else start + 1
    return found


def _embeddable(c: GeoName, span: Span, lead: bool = True) -> bool:
    """A place an organisation's name may be named after: a country, region, state or capital,
    or, where names put a town, a town by its own name (a world city by any of its names:
    "New York")."""
    if _area(c):
        return True
    own = canonical(c.name) == canonical(span.text)
    return lead and (c.population >= LIMITS["embedded_alias_population"] or (
        own and c.population >= LIMITS["embedded_min_population"]))


def _weak(m: Mention) -> bool:
    """An embedded town too small to stand on its own name: only the article's other places
    can back it."""
    return m.source == "embedded" and all(
        not _area(c) and c.population < LIMITS["embedded_population"] for c in m.candidates)


def _mark_landmarks(mentions: list[Mention]) -> None:
    """Mark the names the gazetteer knows only by a part ("X Delta" by "Delta"), and the
    facilities' names only the rules found ("X Castle"): their candidates are namesakes as
    often as not, so only a country or place the article names elsewhere can back one, unless
    the article also names the part on its own ("Birmingham" beside "Birmingham City")."""
    def landmark(m: Mention) -> bool:
        return (m.ner and m.source == "embedded") or (m.source == "name" and _facility(m.span))

    alone = {fold(m.span.text) for m in mentions if not landmark(m)}
    for m in mentions:
        m.landmark = landmark(m) and fold(m.span.text) not in alone


def _vouched(place: GeoName, ctx: Context) -> bool:
    """The article names the place's country, or places near it (a sea or continent lies in
    no country to contradict)."""
    return not place.cc or place.cc in ctx.countries or _backed(place, ctx)


def _facility(span: Span) -> bool:
    """A name ending in a facility noun ("Royal Street", "Manila Cathedral") or tagged one."""
    return span.label_ == "FAC" or span[-1].lower_ in FACILITY_NOUNS


def _admin_word_after(span: Span) -> bool:
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in ADMIN_NOUNS


def _mark_cues(doc: Doc, mentions: list[Mention]) -> None:
    """Mark names the syntax shows are places, and admin units, list by list: a list of names
    each of which can be a state or country ("California or Washington") names states."""
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
        states = len(group) > 1 and all(
            any(c.fcode in ("ADM1", "PCLI") for c in m.candidates) for m in group
        ) and any(c.fcode == "ADM1" for m in group for c in m.candidates)
        listed = len(group) > 1 and any(m.ner for m in group)
        firm = listed or admin or (after is not None and after.lemma_.lower() in PLACE_NOUNS) or (
            before is not None and before.lower_ in FIRM_PREPS)
        compass = before is not None and before.lower_ in COMPASS_WORDS  # "central Washington"
        for m in group:
            m.group = group if len(group) > 1 else None
            m.cued = m.cued or cued or compass
            m.firm = m.firm or firm
            m.admin = m.admin or admin or states or compass or _admin_word_after(m.span)


def _settle(mentions: list[Mention]) -> list[Mention]:
    """Names the NER took for a person or a body, as places where the text firmly places them
    ("in Boise"); else a body named after a town of some size keeps it as a modifier (a club
    named after its city), and a person is a person."""
    out = []
    for m in mentions:
        if m.source in ("doubtful", "person"):
            if m.firm or m.qualified or (m.source == "person" and _from_a_town(m)):
                m.source = "name"
            elif m.source == "person":
                continue
            else:
                m.source = "embedded"
                m.candidates = [c for c in m.candidates if _embeddable(c, m.span)]
        if m.source != "embedded" or m.candidates:
            out.append(m)
    return out


def _from_a_town(m: Mention) -> bool:
    """ "militias from Misrata": one word the NER took for a person, after "from", that names a
    sizeable town; a person's name after "from" is most often a full name or a surname."""
    before = m.span.doc[m.span.start - 1] if m.span.start > 0 else None
    return len(m.span) == 1 and before is not None and before.lower_ == "from" and any(
        c.population >= LIMITS["embedded_population"] for c in m.candidates)


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


def _qualify(doc: Doc, mentions: list[Mention]) -> None:
    """ "Town, State" and "Town, Country": the second name keeps only the first's candidates
    inside it, and itself only the units that hold one of them. Chains resolve from the right
    ("Matias Romero, Oaxaca, Mexico"); a postal code may qualify too ("Austin, TX")."""
    ordered = sorted(mentions, key=lambda m: m.span.start)
    by_start = {m.span.start: m for m in ordered}
    for m in reversed(ordered):
        nxt = m.span.end + 1
        if nxt >= len(doc) or doc[m.span.end].text != ",":
            continue
        q = by_start.get(nxt)
        if any(c.fcode == "PCLI" for c in m.candidates):
            continue  # a list of countries ("Malta, Portugal"), not a town and its country
        units = [c for c in q.candidates if c.fcode in ("ADM1", "PCLI")] if q else _postal(doc, nxt)
        inside = [c for c in m.candidates if any(_holds(u, c) for u in units)]
        if inside:
            m.candidates, m.qualified, m.cued = inside, True, True
            if q is not None:
                q.candidates = [u for u in units if any(_holds(u, c) for c in inside)]
                q.cued = True


def _postal(doc: Doc, i: int) -> list[GeoName]:
    """A postal state code after a town ("TX", "BC"): US codes are GeoNames' own admin codes."""
    text = doc[i].text
    if not (text.isupper() and text.isalpha() and len(text) in (2, 3)):
        return []
    units = [c for c in gazetteer().units("US") if c.admin1 == text]
    if text in POSTAL_CODES:
        units += _units(*POSTAL_CODES[text])
    return units


def _holds(unit: GeoName, place: GeoName) -> bool:
    if unit.fcode == "PCLI":
        return place.cc == unit.cc and place.fcode != "PCLI"
    return place.cc == unit.cc and place.admin1 == unit.admin1 and place != unit


def _surnames(doc: Doc) -> set[str]:
    """Last names of the people the article names in full ("Kevin Paris" -> "Paris")."""
    return {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}


def _person_named(m: Mention, surnames: set[str]) -> bool:
    """A lone name that is the surname of someone named in full is that person, unless a place
    word marks it ("in Paris") or it names a country."""
    if len(m.span) != 1 or m.span.text not in surnames or m.qualified:
        return False
    before = m.span.doc[m.span.start - 1] if m.span.start > 0 else None
    placed = before is not None and before.lower_ in PLACE_PREPS
    return not placed and not any(c.fcode == "PCLI" for c in m.candidates)


def _not_a_person(m: Mention) -> bool:
    """A strong name inside a longer PERSON entity is a person's name ("Georgia Smith")."""
    ent = next((e for e in m.span.doc.ents if e.start <= m.span.start < e.end), None)
    return ent is None or ent.label_ != "PERSON" or len(ent) == 1


# --- resolving them -------------------------------------------------------------------------


def _resolve(mentions: list[Mention], ctx: Context, demonyms: list[GeoName]) -> list[Place]:
    """Countries and unambiguous names first; they then decide the ambiguous ones."""
    _mark_landmarks(mentions)
    for country in demonyms:
        ctx.countries[country.cc] += 1
    chosen: dict[int, tuple[GeoName, str, float]] = {}
    for i, m in enumerate(mentions):
        cands = _admin_first(m)
        countries = [c for c in cands if c.fcode == "PCLI"]
        rivals = [c for c in cands if c.fcode == "ADM1" and countries and c.cc != countries[0].cc
                  and distance_km(c, countries[0]) > NEAR_KM]  # Guam is also a US unit
        if _weak(m) or m.landmark:
            continue  # only the other places can back it: decided in the second pass
        if len(cands) == 1 or (len(countries) == 1 and not rivals and not m.admin):
            pick = countries[0] if countries else cands[0]
            why = "country name" if pick.fcode == "PCLI" else "only candidate"
            why = "placed by the unit after it" if m.qualified else why
            chosen[i] = (pick, why, _base(m, pick))
            ctx.add(pick)
    first = set(chosen)
    positions = {id(m): j for j, m in enumerate(mentions)}
    for sure in (True, False):  # the clear choices join the evidence before the rest are made
        margins = {i: _choose(i, m, ctx, chosen, positions)
                   for i, m in enumerate(mentions) if i not in first}
        if sure:
            for i, margin in margins.items():
                if margin is not None and margin >= WEIGHTS["anchor_margin"]:
                    ctx.add(chosen[i][0])
    placed = []
    for i, m in enumerate(mentions):
        if i in chosen:
            placed.append((m, _place(m, *chosen[i])))
        elif m.ner or m.source != "name" or _facility(m.span):
            placed.append((m, _place(m, None, "not in gazetteer", CONFIDENCE["unresolved"])))
    _place_facilities(placed, ctx)
    return [p for _, p in placed if p.name or p.kind != "modifier"]


def _choose(i: int, m: Mention, ctx: Context, chosen: dict[int, tuple[GeoName, str, float]],
            positions: dict[int, int]) -> float | None:
    """Pick a place for an ambiguous mention (or a spelling variant for an unknown name), with
    the countries of the places it is listed with as evidence; the margin of the choice.
    `positions` gives each mention's index, by id, so the list's members are found directly."""
    cands, variant = _admin_first(m), ""
    if not cands and (m.ner or m.firm):
        cands, variant = gazetteer().similar(m.span.text, set(ctx.countries)), "spelling of "
    elif m.landmark:
        cands = [c for c in cands if _vouched(c, ctx)]
    mates = {chosen[j][0].cc for o in m.group or [] if (j := positions.get(id(o))) in chosen
             and j != i}
    best = choose(cands, ctx, m.admin, m.span.text, mates)
    if best is not None and _weak(m) and not _backed(best[0], ctx):
        best = None
    if best is None:
        chosen.pop(i, None)
        return None
    pick, why, margin = best
    conf = confidence(margin, _base(m, pick))
    if variant:
        why, conf = f"{variant}{pick.name}: {why}", conf * CONFIDENCE["spelling_variant"]
    elif m.qualified:
        why, conf = "placed by the unit after it", max(conf, CONFIDENCE["qualified"])
    chosen[i] = (pick, why, round(conf, 2))
    return margin


def _backed(place: GeoName, ctx: Context) -> bool:
    """The article's other places vouch for this one: it is near them or in a region named."""
    return ctx.near(place) or (place.cc, place.admin1) in ctx.admin1


def _base(m: Mention, pick: GeoName) -> float:
    """How sure a clear choice is: less for a name only the rules found than for a named
    entity, and less for a name inside an organisation's name."""
    base = CONFIDENCE["by_source"][m.source]
    return round(base if m.ner or pick.fcode in STRONG_CODES else base * CONFIDENCE["not_ner"], 2)


def _admin_first(m: Mention) -> list[GeoName]:
    """An admin unit ("the X district") is the unit, not its seat, when the gazetteer has it."""
    if m.admin:
        units = [c for c in m.candidates if c.feature_class == "A"]
        return units or m.candidates
    return m.candidates


def _place_facilities(placed: list[tuple[Mention, Place]], ctx: Context) -> None:
    """Unresolved facilities ("Royal Street") at the town named just after them ("in Rome",
    ", Rome"; a name ending in a facility noun is another landmark, not a town) or else the
    town the article names most, when it names one town at least twice and surely, in the
    article's main country if one leads: a street is within a city's reach, and an article's
    own town lies in the country it is about."""
    towns = [p for m, p in placed if p.feature_class == "P" and p.kind != "modifier"
             and not _facility(m.span)]
    main = alpha3(ctx.main_country) if ctx.main_country else None
    sure = [p for _, p in placed if p.feature_class == "P" and p.geonameid
            and (p.confidence or 0) >= CONFIDENCE["focus_min"] and main in (None, p.country)]
    counts = Counter(p.geonameid for p in sure)
    focus = max(sure, key=lambda p: (counts[p.geonameid], -p.start), default=None)
    if focus is not None and counts[focus.geonameid] < LIMITS["focus_mentions"]:
        focus = None
    for m, place in placed:
        if place.name or not _facility(m.span):
            continue
        sent_end = m.span.sent.end_char
        after = [p for p in towns if m.span.end_char < p.start <= m.span.end_char + 5
                 and p.end <= sent_end]
        town, why = (after[0], "the town after it") if after else (focus, "the article's town")
        if town is None:
            continue
        place.name, place.lat, place.lon, place.country = m.span.text, town.lat, town.lon, \
            town.country
        place.feature_class = "S"
        place.reason = f"facility placed at {why}: {town.name}"
        place.confidence = CONFIDENCE["facility_after" if after else "facility_focus"]


def _kind(m: Mention, place: GeoName | None) -> str:
    """A toponym inside an organisation's name is a modifier; a country or capital acting
    (subject of "said", "claimed") stands for its government."""
    if m.source == "embedded":
        return "modifier"
    root = m.span.root
    acting = root.dep_ in ("nsubj", "poss") and root.head.lemma_.lower() in AGENCY_VERBS
    actor = place is not None and (place.feature_class == "A" or place.fcode == "PPLC")
    return "metonymy" if acting and actor else "literal"


def _place(m: Mention, geo: GeoName | None, reason: str, conf: float) -> Place:
    span = m.span
    place = Place(
        id="",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        kind=_kind(m, geo),
        reason=reason,
        confidence=conf,
    )
    if geo is not None:
        place.name, place.geonameid, place.country = geo.name, geo.geonameid, geo.iso3
        place.feature_class = "A" if m.admin and geo.feature_class == "P" else geo.feature_class
        place.lat, place.lon = geo.lat, geo.lon
        if place.feature_class != geo.feature_class:
            place.geonameid = None  # the seat's id would name the town, not the unit
            place.reason = f"{reason}; admin unit named after its seat"
    return place


def _demonym(span: Span, place: GeoName) -> Place:
    return Place(
        id="",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        name=place.name,
        geonameid=place.geonameid,
        feature_class=place.feature_class,
        country=place.iso3,
        lat=place.lat,
        lon=place.lon,
        kind="demonym",
        reason="demonym",
        confidence=CONFIDENCE["demonym"],
    )
