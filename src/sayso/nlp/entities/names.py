"""Person names within one article: which written forms name the same person.

News spells one name several ways in one article (transliterations, typos: "Sergei"/"Sergey",
"Tchaikovksy"/"Tchaikovskiy") and shortens it to the surname after the first mention. Forms are
matched by edit distance on the surname (and on the first name when both forms have one), so
no list of variants is needed; the canonical name is the fullest form as first written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

from sayso.nlp.entities.actors import words


@dataclass
class PersonName:
    """One person's cluster of written name forms, in text order."""

    first: str = ""
    surname: str = ""
    canonical: str = ""
    forms: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Lower-case particles that open a surname: "Di" in "Marco Di Santo", "al-" in "al-Assad"."""
    return frozenset(words()["surname_particles"])


def split_name(name: str) -> tuple[str, str]:
    """(given names, surname) of a written name; a single word is a surname, and particles
    before the last word belong to it ("Marco Di Santo" -> "Marco", "Di Santo")."""
    parts = name.split()
    k = len(parts) - 1
    while k > 0 and parts[k - 1].lower() in particles():
        k -= 1
    return " ".join(parts[:k]), " ".join(parts[k:])


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


def compatible(name: str, person: PersonName) -> bool:
    """Could this written name refer to this person?"""
    first, surname = split_name(name)
    if not similar(core(surname), core(person.surname)):
        return False
    return not (first and person.first) or similar(first.split()[0], person.first.split()[0])


def add_name(people: list[PersonName], name: str) -> PersonName:
    """The person this name refers to, added to `people` when new.

    A bare surname goes to the most recently named compatible person; a full name also upgrades
    a person so far known only by surname, and becomes their canonical name.
    """
    first, surname = split_name(name)
    for person in reversed(people):
        if compatible(name, person):
            if first and not person.first:
                person.first, person.canonical = first, name
            person.forms.append(name)
            people.remove(person)
            people.append(person)  # most recently named last
            return person
    person = PersonName(first=first, surname=surname, canonical=name, forms=[name])
    people.append(person)
    return person
