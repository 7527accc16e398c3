"""Person names within one article: which written forms name the same person.

News spells one name several ways in one article (transliterations, typos: "Sergei"/"Sergey",
"Tchaikovksy"/"Tchaikovskiy") and shortens it after the first mention: to the surname, to one
part of a double surname ("Garcia" for "Ana Garcia-Lopez"), to the last words ("Lopez Obrador"),
or to the first word when that is the name the article uses ("Kim" for "Kim Jong-un", "Mary"
for "Mary Jones") and no other person has it. Forms are matched by edit distance on the surname
(and on the first name when both forms have one; an initial matches a first name it begins), so
no list of variants is needed; a known gender (from a title, or a first name) keeps "Mrs Smith"
apart from "John Smith". The canonical name is the fullest form as first written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

from sayso.nlp.entities import gender
from sayso.nlp.entities.actors import words


@dataclass
class PersonName:
    """One person's cluster of written name forms, in text order."""

    first: str = ""
    surname: str = ""
    canonical: str = ""
    forms: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)  # genders given by titles ("Mrs", "Sir")

    def gender(self, likely: bool = False) -> str | None:
        """A title's gender first (it is explicit), else the first name's, known or likely."""
        if self.titles:
            return gender.agreed(self.titles)
        return gender.of_first_name(self.first, likely)


@lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Lower-case particles that open a surname: "Di" in "Marco Di Santo", "al-" in "al-Assad"."""
    return frozenset(words()["surname_particles"])


@lru_cache(maxsize=4096)
def split_name(name: str) -> tuple[str, str]:
    """(given names, surname) of a written name; a single word is a surname, and particles
    before the last word belong to it ("Marco Di Santo" -> "Marco", "Di Santo")."""
    parts = name.split()
    k = len(parts) - 1
    while k > 0 and parts[k - 1].lower() in particles():
        k -= 1
    return " ".join(parts[:k]), " ".join(parts[k:])


@lru_cache(maxsize=4096)
def core(surname: str) -> str:
    """The surname without its particles, so "Di Santo", "al-Assad" and "Assad" compare."""
    last = surname.split()[-1] if surname.split() else ""
    prefix, _, rest = last.partition("-")
    return rest if rest and prefix.lower() + "-" in particles() else last


def similar(a: str, b: str) -> bool:
    """True when two name words are the same name spelt differently.

    Damerau-Levenshtein allows one edit per four letters (at least one), so transpositions and
    transliterations of long names match but "Popov"/"Petrov" or "Bill"/"Will" do not.
    """
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if a[:1] != b[:1]:
        return False
    return jellyfish.damerau_levenshtein_distance(a, b) <= max(1, min(len(a), len(b)) // 4)


def same_first(a: str, b: str) -> bool:
    """Same first name, spelt alike or one the initial of the other ("J." and "John")."""
    a, b = a.split()[0], b.split()[0]
    short, long_ = sorted((a, b), key=len)
    initial = short.rstrip(".")
    return similar(a, b) or (len(initial) == 1 and long_[:1].lower() == initial.lower())


def same_surname(surname: str, other: str, bare: bool) -> bool:
    """Same surname; a bare one may also be one part of a double surname ("Garcia-Lopez")."""
    if similar(core(surname), core(other)):
        return True
    return bare and "-" in other and any(similar(surname, p) for p in core(other).split("-") if p)


def compatible(name: str, person: PersonName, title: str | None = None) -> bool:
    """Could this written name (with the gender of its title, if any) refer to this person?"""
    if not might_match(name, person):
        return False
    first, surname = split_name(name)
    known = title or (gender.of_first_name(first) if first else None)
    if not gender.compatible(known, person.gender()):
        return False
    if tail_of(name, person.canonical):
        return True  # "Lopez Obrador" for "Andres Manuel Lopez Obrador"
    if not same_surname(surname, person.surname, bare=not first):
        return False
    return not (first and person.first) or same_first(first, person.first)


def might_match(name: str, person: PersonName) -> bool:
    """A cheap test that `compatible` needs, so a long text's every mention is not weighed in
    full against every person: the names end alike, or their surnames start alike (`similar`
    wants the same first letter), or the person's surname is double."""
    initial, last = name_key(name)
    other, person_last = person_keys(person)
    if not initial or not other or initial == other:
        return True
    return last == person_last


def person_keys(person: PersonName) -> tuple[str, str]:
    """What `might_match` reads of a person: the first letter of the surname's core ("" when
    any name may match: no surname, or a double one) and the canonical name's last word."""
    other = name_key(person.surname)[0] if person.surname else ""
    return ("" if "-" in person.surname else other), name_key(person.canonical)[1]


@lru_cache(maxsize=8192)
def name_key(name: str) -> tuple[str, str]:
    """(first letter of the surname's core, last word), lower case, for `might_match`."""
    words = name.lower().split()
    return core(split_name(name)[1]).lower()[:1], words[-1] if words else ""


@lru_cache(maxsize=8192)
def core_length(surname: str) -> int:
    """How many letters `similar` compares of a surname: its core, in lower case."""
    return len(core(surname).lower())


def length_band(length: int) -> range:
    """The core lengths a surname of this core length can be `similar` to: an edit distance
    of at most max(1, the shorter length // 4) changes the length by no more than that, and
    the shorter length is at most this one."""
    most = max(1, length // 4)
    return range(length - most, length + most + 1)


class People:
    """The people of one article, most recently named last, indexed by what `compatible`
    and `by_first_word` read, so a name is weighed only against the people it might be: a
    scan of everyone for every name makes a long text cost the square of its length."""

    def __init__(self) -> None:
        self.recency: dict[int, PersonName] = {}  # by id(person), most recently named last
        self.stamp: dict[int, int] = {}  # id(person) -> when last named
        self.keys: dict[int, tuple[tuple[str, int], str, str]] = {}  # id -> index keys
        self.by_surname: dict[tuple[str, int], dict[int, PersonName]] = {}  # (initial, length)
        self.by_last: dict[str, dict[int, PersonName]] = {}
        self.by_first: dict[str, dict[int, PersonName]] = {}
        self.clock = 0

    def __iter__(self) -> Iterator[PersonName]:
        return iter(self.recency.values())

    def candidates(self, name: str) -> list[PersonName]:
        """Every person `compatible` may accept this name for, most recently named first:
        those `might_match` lets through whose name ends alike, whose surname is double or
        missing, or whose surname core is near enough in length to be `similar`."""
        initial, last = name_key(name)
        if not initial:
            return list(reversed(self.recency.values()))
        found = {**self.by_surname.get(("", 0), {}), **self.by_last.get(last, {})}
        for length in length_band(core_length(split_name(name)[1])):
            found.update(self.by_surname.get((initial, length), {}))
        return sorted(found.values(), key=lambda p: self.stamp[id(p)], reverse=True)

    def first_named(self, word: str) -> list[PersonName]:
        """The people whose given names start with this (lower-case) word."""
        return list(self.by_first.get(word, {}).values())

    def named(self, person: PersonName) -> None:
        """Record that a person was just named (new, or with a new form): most recent now."""
        key = id(person)
        self._unindex(key)
        self.recency.pop(key, None)
        self.recency[key] = person
        self.clock += 1
        self.stamp[key] = self.clock
        initial, last = person_keys(person)
        surname = (initial, core_length(person.surname) if initial else 0)
        first = person.first.split()[0].lower() if person.first else ""
        self.keys[key] = surname, last, first
        self.by_surname.setdefault(surname, {})[key] = person
        self.by_last.setdefault(last, {})[key] = person
        if first:
            self.by_first.setdefault(first, {})[key] = person

    def _unindex(self, key: int) -> None:
        if key not in self.keys:
            return
        surname, last, first = self.keys.pop(key)
        self.by_surname.get(surname, {}).pop(key, None)
        self.by_last.get(last, {}).pop(key, None)
        self.by_first.get(first, {}).pop(key, None)


def tail_of(name: str, full: str) -> bool:
    """Are the two or more words of `name` the last words of a longer `full` name?"""
    short, long_ = name.lower().split(), full.lower().split()
    return 1 < len(short) < len(long_) and long_[-len(short) :] == short


def by_first_word(people: People, name: str, title: str | None) -> PersonName | None:
    """The one person whose name starts with this single word ("Kim" for "Kim Jong-un", "Mary"
    for "Mary Jones"), when exactly one does and the gender does not contradict it."""
    found = [p for p in people.first_named(name.lower()) if gender.compatible(title, p.gender())]
    return found[0] if len(found) == 1 else None


def add_name(people: People, name: str, title: str | None = None) -> PersonName:
    """The person this name refers to, added to `people` when new.

    A bare surname goes to the most recently named compatible person (one with that whole
    surname before one with it as part of a double surname), else to the one person it is the
    first word of; a full name also upgrades a person so far known only by surname, and
    becomes their canonical name. `title` is the gender a title before the name gives.
    """
    first, surname = split_name(name)
    fitting = [p for p in people.candidates(name) if compatible(name, p, title)]
    # a bare "Velde" is the person surnamed Velde before one part of a "Velde-Osterhaus"
    whole = [p for p in fitting if first or similar(core(surname), core(p.surname))]
    found = next(iter(whole or fitting), None)
    if found is None and not first:
        found = by_first_word(people, name, title)
    if found is None:
        found = PersonName(first=first, surname=surname, canonical=name)
    elif first and not found.first:
        found.first, found.canonical = first, name
    found.forms.append(name)
    found.titles |= {title} if title else set()
    people.named(found)  # most recently named last
    return found
