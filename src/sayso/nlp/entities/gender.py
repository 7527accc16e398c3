"""Grammatical gender of people, so that a pronoun agrees with what it stands for.

Evidence comes from titles and gendered person nouns (data/entity_gender.tsv: "Mrs", "Sir",
"spokeswoman", "her mother") and from first names through gender-guesser's name dictionary
(offline, shipped in the package). Names it lists as plainly male or female give a known gender;
names it lists as "mostly" one gender give only a likely one, which orders a pronoun's candidates
but never rules one out; androgynous or unknown names, and evidence that disagrees with itself,
say nothing. Unknown gender stays compatible with both "he" and "she".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache

from gender_guesser.detector import Detector

from sayso.nlp.entities.actors import DATA, words

KNOWN = {"male": "m", "female": "f"}  # "andy" and "unknown" are no evidence
LIKELY = {**KNOWN, "mostly_male": "m", "mostly_female": "f"}


@lru_cache(maxsize=1)
def gender_words() -> dict[str, str]:
    with open(DATA / "entity_gender.tsv", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        return {r[0]: r[1] for r in rows if r and not r[0].startswith("#")}


@lru_cache(maxsize=1)
def _detector() -> Detector:
    """Built on first use: reading the name dictionary takes most of a second."""
    return Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def of_first_name(first: str, likely: bool = False) -> str | None:
    """The gender ("m", "f") of a given name, known or (with `likely`) likely, or None; a
    hyphenated name the dictionary lacks falls back to its first part ("Anne-Sophie")."""
    name = first.strip(".").split()[0] if first.split() else ""
    if len(name) < 2:
        return None  # an initial
    table = LIKELY if likely else KNOWN
    found = table.get(_detector().get_gender(name))
    if found is None and "-" in name:
        found = table.get(_detector().get_gender(name.split("-")[0]))
    return found


def of_words(tokens: Iterable[str]) -> str | None:
    """The gender the gendered words among `tokens` agree on ("Mrs", "spokeswoman"), if any."""
    table = gender_words()
    return agreed(table.get(t.lower()) for t in tokens)


def agreed(genders: Iterable[str | None]) -> str | None:
    """The one gender all evidence gives, or None when there is none or it disagrees."""
    found = {g for g in genders if g}
    return found.pop() if len(found) == 1 else None


def of_pronoun(pronoun: str) -> str | None:
    return words()["pronoun_gender"].get(pronoun.lower())


def compatible(a: str | None, b: str | None) -> bool:
    """Unknown agrees with anything; known genders must be the same."""
    return a is None or b is None or a == b
