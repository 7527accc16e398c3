"""Grammatical gender of people, so that a pronoun agrees with what it stands for.

Evidence comes from titles and gendered person nouns (data/entity_gender.tsv: "Mrs", "Sir",
"spokeswoman", "her mother") and from first names: data/first_names.tsv.gz gives the share of
women among the people bearing each well-attested name, reduced by build_names from the pinned
names-dataset package (Apache-2.0; its only dependencies, pycountry and numpy, are LGPL and BSD).
It replaces gender-guesser, which is GPLv3 and so cannot be a dependency of an MIT package;
nomquamgender, the other offline table, is MIT but requires unidecode (GPL) and pandas.
Provenance, plainly: names-dataset says its names come from the Facebook profiles exposed in the
2021 leak; sayso keeps only each first name's share of women, no record of any person.

A name borne by at least KNOWN_SHARE of one gender gives a known gender; one borne by at least
LIKELY_SHARE gives only a likely one, which orders a pronoun's candidates but never rules one out;
evenly shared or unlisted names, and evidence that disagrees with itself, say nothing. Unknown
gender stays compatible with both "he" and "she".
"""

from __future__ import annotations

import csv
import gzip
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from sayso.nlp.entities import build_names
from sayso.nlp.entities.actors import DATA, words

# Shares of women or men among a name's bearers (names-dataset, self-declared on a social
# network: even "John" is 2% women there); calibrated on GGT dev half a, confirmed on half b.
KNOWN_SHARE = 0.9
LIKELY_SHARE = 0.7


@lru_cache(maxsize=1)
def gender_words() -> dict[str, str]:
    with open(DATA / "entity_gender.tsv", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        return {r[0]: r[1] for r in rows if r and not r[0].startswith("#")}


@lru_cache(maxsize=1)
def _name_lines() -> list[str]:
    """The table's sorted "name<TAB>share" lines, read once (and built first, if this checkout
    has not built it yet); looked up by bisection, as a dict of 300,000 names is slow to build."""
    if not build_names.NAMES_FILE.exists():
        build_names.main()
    return gzip.decompress(build_names.NAMES_FILE.read_bytes()).decode("utf-8").splitlines()


def female_share(name: str) -> float | None:
    """The share of women among the people named `name` (any case), or None if unlisted."""
    lines, key = _name_lines(), name.lower() + "\t"
    i = bisect_left(lines, key)
    return float(lines[i][len(key):]) if i < len(lines) and lines[i].startswith(key) else None


def _of_share(female: float | None, likely: bool) -> str | None:
    """"f" or "m" for a share of women clear enough (known, or with `likely` likely), else None."""
    least = LIKELY_SHARE if likely else KNOWN_SHARE
    if female is None:
        return None
    return "f" if female >= least else "m" if 1 - female >= least else None


@lru_cache(maxsize=4096)
def of_first_name(first: str, likely: bool = False) -> str | None:
    """The gender ("m", "f") of a given name, known or (with `likely`) likely, or None; a
    hyphenated name the dictionary lacks falls back to its first part ("Anne-Sophie")."""
    name = first.strip(".").split()[0] if first.split() else ""
    if len(name) < 2:
        return None  # an initial
    found = female_share(name)
    if found is None and "-" in name:
        found = female_share(name.split("-")[0])
    return _of_share(found, likely)


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
