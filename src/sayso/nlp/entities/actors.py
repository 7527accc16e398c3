"""Actor lexicons: roles, group nouns and organisation words, with their PLOVER sectors.

The tables live in data/entity_*.tsv so they can grow without code changes; this module loads
them once per process and answers the questions entity resolution asks: which role a phrase
names, which group or institution a noun stands for, and which sector an organisation is in.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"
NAME_PREPS = ("of", "for")  # "Ministry of Health", "spokesman for the party"


@dataclass(frozen=True)
class Role:
    key: str  # what a bare "the KEY" refers back to
    sector: str  # "" when the organisation decides it
    broader: str  # a more general key that also matches ("foreign minister" -> "minister")


@dataclass(frozen=True)
class GroupNoun:
    type: str  # COUNTRY | GROUP | ORG
    sector: str


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        return [r + [""] * 3 for r in rows if r and not r[0].startswith("#")]


@lru_cache(maxsize=1)
def roles() -> dict[str, Role]:
    return {r[0]: Role(r[1], r[2], r[3]) for r in _rows("entity_roles.tsv")}


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Every word of every role phrase, to tell titles from names."""
    return frozenset(w for phrase in roles() for w in phrase.split())


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """One-word roles and honorifics: what may stand right before a name as its title."""
    return frozenset(phrase for phrase in roles() if " " not in phrase) | frozenset(
        words()["honorifics"])


@lru_cache(maxsize=1)
def group_nouns() -> dict[str, GroupNoun]:
    return {r[0]: GroupNoun(r[1], r[2]) for r in _rows("entity_groups.tsv")}


@lru_cache(maxsize=1)
def org_sectors() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("entity_orgs.tsv")}


@lru_cache(maxsize=1)
def org_kinds() -> dict[str, frozenset[str]]:
    """Description noun -> the name words, sectors and "?" that let "the NOUN" stand for an
    organisation named earlier (data/entity_org_kinds.tsv)."""
    return {r[0]: frozenset(filter(None, r[1].split(","))) for r in _rows("entity_org_kinds.tsv")}


@lru_cache(maxsize=1)
def kind_words() -> frozenset[str]:
    """Every name word that tells an organisation's kind ("Holdings", "Ministry", "Union")."""
    return frozenset(w for fits in org_kinds().values() for w in fits if w.islower())


@lru_cache(maxsize=1)
def words() -> dict:
    return json.loads((DATA / "entity_words.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def pronoun_class() -> dict[str, str]:
    """Pronoun (lower case) -> "person" | "plural" | "first" | "thing"."""
    return {p: cls for cls, ps in words()["pronouns"].items() for p in ps}


def role_of(text: str) -> Role | None:
    """The role a role phrase names, from its first (then longest) lexicon phrase.

    "Spokesman for the Russian president" is a spokesman, "deputy foreign minister" a foreign
    minister: the head of an English role phrase comes first, after its modifiers.
    """
    phrase = role_phrase(text)
    return roles()[phrase] if phrase else None


@lru_cache(maxsize=1)
def roles_by_first_word() -> dict[str, tuple[str, ...]]:
    """Role phrases under their first word, longest first: `role_phrase` looks up only the
    phrases that can start at each word instead of scanning the whole lexicon."""
    index: dict[str, list[str]] = {}
    for phrase in roles():
        index.setdefault(phrase.split(" ")[0], []).append(phrase)
    return {w: tuple(sorted(ps, key=len, reverse=True)) for w, ps in index.items()}


@lru_cache(maxsize=8192)
def role_phrase(text: str) -> str | None:
    """The lexicon phrase `role_of` reads the role from ("head of the country"): the one that
    starts first in the text, the longest of those starting there."""
    low = " " + text.lower().replace(",", " ") + " "
    index = roles_by_first_word()
    at = low.find(" ")
    while 0 <= at < len(low) - 1:
        following = low.find(" ", at + 1)
        for phrase in index.get(low[at + 1 : following], ()):
            if low.startswith(phrase + " ", at + 1):
                return phrase
        at = following
    return None


@lru_cache(maxsize=8192)
def org_sector(name: str) -> str | None:
    """Sector of a named organisation: a whole known name first, then a telling word (read
    once per name: it scans the whole table, and a long text asks of each name often)."""
    table = org_sectors()
    low = name.lower().strip()
    if low in table:
        return table[low]
    padded = " " + low.replace("’s", "").replace("'s", "") + " "
    hits = [s for w, s in table.items() if " " + w + " " in padded]
    return hits[0] if hits else None


def org_head(name: str) -> str:
    """Head noun of an organisation's name: "Ministry of Health" -> "ministry"."""
    words = name.lower().split()
    cut = next((i for i, w in enumerate(words) if i and w in NAME_PREPS), len(words))
    return words[cut - 1] if words else ""


def body_sector(role: str) -> str | None:
    """Sector of the body a role phrase names after "for"/"of": a spokesman for a party is
    PTY whatever a bare spokesman's default is."""
    low = " " + role.lower() + " "
    cut = min((i for i in (low.find(f" {p} ") for p in NAME_PREPS) if i >= 0), default=-1)
    return org_sector(low[cut:].split(" ", 2)[-1]) if cut >= 0 else None


def actor_code(country: str | None, sector: str | None) -> str | None:
    """PLOVER-style actor code, "ARM MIL"; the sector alone when the country is unknown."""
    return " ".join(x for x in (country, sector) if x) or None
