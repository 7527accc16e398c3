"""One identity per person or body across the store: which entities of different articles are
the same speaker.

Each article's entities are first pooled into *local* identities (`local_identities`): the
proper-name core of each entity's name ("Imran Hayat" in "Imran Hayat, the railway
superintendent"; "Randhir Jaiswal" in "foreign ministry spokesperson Randhir Jaiswal"), a bare
word joined to the one person of the article whose name holds it, generic common nouns
("analysts", "U.S. officials") kept to their article. Each local identity is then linked to the
store's identities (`choose`) by rules on names alone, so no list of people or bodies is needed:

- a full name links to an identity with the same name, spelt alike or with the same surname
  and first name (`sayso.nlp.entities.names`, the rules that pool one article's name forms);
- a bare name ("Trump", "Kannavee") links to the one full-name person it names, narrowed by
  country and role when several do; when none does it links to the same bare name elsewhere;
- a body links by its name without dots, case, accents or a leading "the" ("U.N." and "UN"),
  and an acronym to the one body whose initials it is ("UN" and "United Nations");
- a country given by both sides that differs keeps bare names and bodies apart (a missing one
  never does); generic nouns never link across articles.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from sayso.model import Analysis, Entity
from sayso.nlp.entities import gender, names
from sayso.nlp.entities.actors import kind_words, role_words, words
from sayso.nlp.normalise.geocoder import unaccented

PERSON, BODY, GENERIC = "person", "body", "generic"
# Entity types that can be one speaker across articles; a PLACE only when it is a speaker.
LINKED_TYPES = frozenset({"PERSON", "ORG", "GROUP", "COUNTRY"})
SENTENCE_OPENERS = ".!?\n\"“”'‘’:;—–-(["


@lru_cache(maxsize=1)
def rules() -> dict:
    return json.loads(resources.files(__package__).joinpath("identities.json")
                      .read_text(encoding="utf-8"))


@dataclass
class Member:
    """One article entity in an identity: its id, the name it was written with, statements."""

    entity_id: str
    name: str
    statements: int


@dataclass
class Local:
    """The entities of one article that are one identity, with what links it to others."""

    name: str
    kind: str  # PERSON | BODY | GENERIC
    country: str | None = None
    role: str | None = None
    members: list[Member] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)  # the names its members are written with

    @property
    def key(self) -> str:
        return f"{self.kind}:{norm(self.name)}"

    @property
    def statements(self) -> int:
        return sum(m.statements for m in self.members)


@lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """A name as compared: ASCII, lower case, no dots or possessive, no leading article.

    Cached: linking an article asks for the same few names many times (keys, candidates)."""
    text = unaccented(unicodedata.normalize("NFKC", name)).replace(".", "")
    text = re.sub(r"['’]s?$", "", text.strip())
    text = " ".join(re.findall(r"[\w&'-]+", text))
    lead = next((a for a in rules()["leading_articles"] if text.startswith(a + " ")), None)
    return text[len(lead) + 1:] if lead else text


def acronym(name: str) -> str | None:
    """The initials of a body's name of several words ("United Nations" -> "un"), if any."""
    parts = [w for w in norm(name).split() if w not in rules()["acronym_stopwords"]]
    return "".join(w[0] for w in parts) if len(parts) > 1 else None


def is_acronym(name: str) -> bool:
    """One word written in capitals, dots aside: "UN", "U.N.", "NATO"."""
    letters = name.replace(".", "")
    return (" " not in name.strip() and letters.isupper() and letters.isalpha()
            and 1 < len(letters) <= rules()["acronym_max_letters"])


def _capitalised(word: str) -> bool:
    """A name word: capitalised, or a particle/piece before a capitalised one ("al-Shabab")."""
    pieces = [p for p in re.split(r"[-'’]", word) if p]
    return any(p[:1].isupper() or p[:1].isdigit() for p in pieces)


def _name_run(segment: str) -> tuple[str, str] | None:
    """(role words, name) when a segment ends in a run of name words after lower-case role
    words ("foreign ministry spokesperson Randhir Jaiswal"); the whole segment when every word
    is a name word; None when the name words follow a preposition (they name an institution
    the role is of: "envoy for Syria") or there are none."""
    tokens = segment.split()
    particles = names.particles()
    inner = set(rules()["name_inner_words"])
    k = len(tokens)
    while k > 0 and (_capitalised(tokens[k - 1]) or tokens[k - 1].lower() in particles or (
            k > 1 and k < len(tokens) and tokens[k - 1] in inner and _capitalised(tokens[k - 2]))):
        k -= 1
    if k == len(tokens):
        return None
    while k < len(tokens) and tokens[k].lower() in particles:  # a run opens with a name word
        k += 1
    if k == 0:
        return "", segment
    if tokens[k - 1].lower() in rules()["name_prepositions"]:
        return None
    return " ".join(tokens[:k]), " ".join(tokens[k:])


def _strip_titles(name: str) -> str:
    """A person's name without the titles before it ("Prime Minister Shehbaz Sharif", "NATO
    Secretary General Anders Fogh Rasmussen") or a suffix after it ("Jr.")."""
    tokens = name.split()
    titles = role_words() | set(words()["honorifics"]) | set(words()["role_modifiers"])
    titled = [i for i, t in enumerate(tokens[:-2]) if t.lower().rstrip(".") in titles
              or t.lower() in titles]
    if titled:
        tokens = tokens[titled[-1] + 1:]
    suffixes = rules()["name_suffixes"]
    while len(tokens) > 2 and tokens[-1].lower() in suffixes:
        tokens = tokens[:-1]
    return " ".join(tokens)


def _without_article(segment: str) -> str:
    first, _, rest = segment.partition(" ")
    return rest if rest and first.lower() in rules()["leading_articles"] else segment


def name_core(name: str) -> tuple[str, str] | None:
    """(role, proper name) inside an entity's written name; None for a common noun phrase.

    An appositive ("X, the Y") gives the segment that is a name; a possessive of affiliation
    ("Cornell's Casanova") gives what follows it.
    """
    segments = [_without_article(s.strip()) for s in name.split(",") if s.strip()]
    quantifiers = rules()["quantifiers"]  # "Many Chagossians" is a common noun phrase
    found = [(i, run) for i, s in enumerate(segments)
             if s.split()[0].lower() not in quantifiers and (run := _name_run(s))]
    whole = [(i, run) for i, run in found if not run[0]]
    if not (chosen := (whole or found)):
        return None
    index, (role, core) = chosen[0]
    rest = [s for i, s in enumerate(segments) if i != index]
    role = ", ".join(filter(None, [role, *rest]))
    owner, sep, owned = core.rpartition("’s ") if "’s " in core else core.rpartition("'s ")
    if sep and owner and owned:
        core = owned
    return role, _strip_titles(core.strip(" \"“”'‘’"))


def _opens_sentences(analysis: Analysis, entity: Entity) -> bool:
    """Whether every mention of the entity starts a sentence, where a capital proves nothing."""
    text = analysis.article.text
    return all(not text[:m.start].rstrip() or text[:m.start].rstrip()[-1] in SENTENCE_OPENERS
               for m in entity.mentions) if entity.mentions else False


def _kind(entity: Entity, role: str, core: str, analysis: Analysis) -> str:
    if " " not in core and not is_acronym(core) and entity.type == "GROUP":
        return GENERIC  # a plural noun ("Analysts") capitalised by its place
    if " " not in core and entity.type in ("ORG", "GROUP") and _opens_sentences(analysis, entity):
        return GENERIC
    if entity.type == "PERSON" or (role and " " in core and entity.type != "COUNTRY"):
        return PERSON
    return PERSON if entity.type in ("ORG", "GROUP") and _person_name(core) else BODY


def _person_name(core: str) -> bool:
    """A name of two or three capitalised words that opens with a known given name and holds
    no word naming a kind of organisation ("Rogier Creemers", not "Victoria Insurance Group")."""
    tokens = core.split()
    return (1 < len(tokens) <= 3 and all(t[:1].isupper() for t in tokens)
            and not {t.lower() for t in tokens} & kind_words()
            and gender.of_first_name(tokens[0]) is not None)


def _statements(analysis: Analysis) -> Counter:
    return Counter(a.source.entity for a in analysis.attributions
                   if a.source and a.source.entity)


def holds(word: str, full: str, first_word: bool = True) -> bool:
    """Whether a bare word is the surname or (with `first_word`) the first word of a full
    name: the same word, a spelling of the whole surname ("Chaundry", "Chaudhry"), or one part
    of a double one."""
    first, surname = names.split_name(full)
    if not first:
        return False
    last = names.core(surname)
    key = norm(word)
    spelt = len(key) >= rules()["min_variant_letters"] and names.similar(word, last)
    return (key == norm(last) or (first_word and key == norm(full.split()[0])) or spelt
            or key in norm(last).split("-"))


def _holding(word: str, locals_: list[Local]) -> Local | None:
    """The one full name of the article, a person's first, that a bare word belongs to; a
    body's only by its last word ("Taliban" is not the "Taliban Foreign Ministry")."""
    for kind in (PERSON, BODY):
        found = [p for p in locals_ if p.kind == kind and holds(word, p.name, kind == PERSON)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def _similar_person(name: str, people: list[Local]) -> Local | None:
    """A full-name person this full name is a spelling of (same surname and first name), or
    the last words of ("Fogh Rasmussen" for "Anders Fogh Rasmussen")."""
    first, surname = names.split_name(name)
    for p in people:
        p_first, p_surname = names.split_name(p.name)
        if norm(p.name) == norm(name) or names.tail_of(name, p.name) or names.tail_of(
                p.name, name) or (names.same_surname(surname, p_surname, False)
                                  and names.same_first(first, p_first)):
            return p
    return None


def local_identities(analysis: Analysis) -> list[Local]:
    """The article's entities pooled into the identities they are within it."""
    said = _statements(analysis)
    people: list[Local] = []
    by_key: dict[str, Local] = {}
    acronyms: dict[str, Local] = {}  # bodies written as an acronym, by it
    spelled: dict[str, Local] = {}  # bodies written in full, by their initials
    bare: list[tuple[Entity, str, str, str]] = []
    for entity in analysis.entities:
        if entity.type not in LINKED_TYPES and not said[entity.id]:
            continue
        found = name_core(entity.name)
        role, core = found if found else ("", entity.name)
        kind = _kind(entity, role, core, analysis) if found else GENERIC
        if found and " " not in core and not is_acronym(core):
            bare.append((entity, role, core, kind))
            continue
        local = _similar_person(core, people) if kind == PERSON else None
        # "U.N." and "United Nations" in one article: an acronym and the name it stands for
        short = norm(core) if kind == BODY and is_acronym(core) else None
        initials = acronym(core) if kind == BODY and not short else None
        local = local or by_key.get(f"{kind}:{norm(core)}") or (
            short and spelled.get(short)) or (
            initials and _still_short(acronyms.get(initials))) or None
        if local is None:
            local = Local(core, kind)
            by_key[local.key] = local
            if kind == PERSON:
                people.append(local)
        if short:
            acronyms.setdefault(short, local)
        elif initials:
            spelled.setdefault(initials, local)
        if fuller(core, local.name) and kind == BODY:
            local.name = core
        _add(local, entity, role, core, said)
    full = [local for local in by_key.values() if " " in local.name]
    for entity, role, core, kind in bare:
        local = _holding(core, full) if entity.type != "COUNTRY" else None
        if local is None:
            local = by_key.setdefault(f"{kind}:{norm(core)}", Local(core, kind))
        _add(local, entity, role, core, said)
    return list(by_key.values())


def _still_short(local: Local | None) -> Local | None:
    """An acronym's identity that no name in full has claimed yet."""
    return local if local is not None and is_acronym(local.name) else None


def _add(local: Local, entity: Entity, role: str, core: str, said: Counter) -> None:
    local.members.append(Member(entity.id, entity.name, said[entity.id]))
    local.forms.add(core)
    local.country = local.country or entity.country
    local.role = local.role or (entity.roles[0] if entity.roles else None) or role or None


# Across the store.

@dataclass
class Candidate:
    """A stored identity, as the linking rules see it."""

    id: str
    name: str
    kind: str
    country: str | None
    role: str | None
    keys: frozenset[str] = frozenset()  # the keys it was found under


def link_keys(local: Local) -> list[str]:
    """The index keys under which a local identity finds (and is found by) stored ones."""
    if local.kind == GENERIC:
        return []
    keys = [f"{local.kind}:{norm(local.name)}", f"name:{norm(local.name)}"]
    if local.kind == PERSON:
        first, surname = names.split_name(local.name)
        keys.append(f"surname:{norm(names.core(surname))[:3]}")
        if words := local.name.split():  # a name of nothing but marks has no first word
            keys.append(f"first:{norm(words[0])}")
        return keys
    for form in sorted(local.forms | {local.name}):
        if is_acronym(form):
            keys += [f"acronym:{norm(form)}", f"{BODY}:{norm(form)}"]
        elif initials := acronym(form):
            keys.append(f"{BODY}:{initials}")
    return list(dict.fromkeys(keys))


def _conflict(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def _narrow(local: Local, found: list[Candidate]) -> Candidate | None:
    """The one candidate left once those of another country, then another role, are set apart."""
    for keep in (lambda c: not _conflict(local.country, c.country),
                 lambda c: local.country is not None and c.country == local.country,
                 lambda c: local.role is not None and c.role == local.role):
        if len(found) > 1 and (narrowed := [c for c in found if keep(c)]):
            found = narrowed
    return found[0] if len(found) == 1 else None


def choose(local: Local, candidates: list[Candidate]) -> Candidate | None:
    """The stored identity a local identity is, among those found under its keys; None for a
    new one."""
    if local.kind == GENERIC:
        return None
    same_kind = [c for c in candidates if c.kind == local.kind]
    chosen = (_choose_body if local.kind == BODY else _choose_person)(local, same_kind)
    if chosen is None:  # the same name tagged a person in one article, a body in another
        other = [c for c in candidates if c.kind not in (local.kind, GENERIC)
                 and norm(c.name) == norm(local.name) and not _conflict(local.country, c.country)]
        chosen = other[0] if len(other) == 1 else None
    return chosen


def _choose_person(local: Local, same_kind: list[Candidate]) -> Candidate | None:
    if " " in local.name:
        exact = [c for c in same_kind if norm(c.name) == norm(local.name)]
        if exact:
            return _narrow(local, exact) or exact[0]
        spelt = [c for c in same_kind if " " in c.name and _similar_person(local.name, [
            Local(c.name, PERSON)]) and not _conflict(local.country, c.country)]
        if spelt:
            return _narrow(local, spelt)
        # A bare name stored before any full one: the full name upgrades it, when it is the
        # only full name that bare name could be.
        bare = [c for c in same_kind if " " not in c.name and holds(c.name, local.name)
                and not _conflict(local.country, c.country)]
        return bare[0] if len(bare) == 1 else None
    full = [c for c in same_kind if holds(local.name, c.name)
            and not _conflict(local.country, c.country)]
    if full:
        return _narrow(local, full)
    same = [c for c in same_kind if norm(c.name) == norm(local.name)
            and not _conflict(local.country, c.country)]
    return same[0] if len(same) == 1 else None


def _choose_body(local: Local, candidates: list[Candidate]) -> Candidate | None:
    key = norm(local.name)
    fits = [c for c in candidates if not _conflict(local.country, c.country)
            and (norm(c.name) == key or acronym(c.name) == key or acronym(local.name) == norm(
                c.name) and is_acronym(c.name))]
    exact = [c for c in fits if norm(c.name) == key]
    if not exact:  # by initials only: the one body they can stand for, or were written for
        written = [c for c in fits if f"acronym:{key}" in c.keys]
        return _narrow(local, written) or _narrow(local, fits)
    if local.country is None and len({c.country for c in exact}) > 1:
        return None  # "Ministry of Agriculture" of several countries, and this one's unknown
    return _narrow(local, exact) or exact[0]


def fuller(name: str, than: str) -> bool:
    """Whether `name` is the better canonical name: a full name over a bare one, a spelled-out
    body over its acronym."""
    return (" " in name and " " not in than) or (is_acronym(than) and not is_acronym(name))
