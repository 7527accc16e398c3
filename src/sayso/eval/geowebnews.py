"""`sayso eval places --geowebnews DIR`: geocoding scored against GeoWebNews brat files.

GeoWebNews (Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation") types each toponym
(Literal, Metonymic, Demonym, ...) and links it in an AnnotatorNotes line to a GeoNames id or to
"lat, lon". Scored here: toponyms that carry a link. Gold coordinates come from the note, or from
the gazetteer for a GeoNames id; a gold id the gazetteer lacks counts as right only when the
prediction has the same id. The baseline geocodes the same gold spans by the most populous
gazetteer match, through the same scorer. Only spaCy and `sayso_places` run, so `--engine`
(taken by every eval) names the pipeline loaded but cannot change the scores. `--errors FILE`
lists each toponym missed or placed wrong (tune on half a's; leave half b's unread).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sayso.engines import DEFAULT
from sayso.eval import add_engine_argument, add_scoring_arguments
from sayso.eval.quotes import HALVES, select
from sayso.nlp.normalise.geocoder import GeoName, gazetteer, haversine_km

ACCURACY_KM = 161.0  # 100 miles, the usual geocoding tolerance
NOT_TOPONYMS = {"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"}
COORD = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None  # ISO3, when the link tells


@dataclass
class Guess:
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    name: str | None = None  # for the errors file only
    reason: str | None = None


def read_ann(path: Path) -> list[Gold]:
    """Linked toponyms of one .ann file."""
    spans: dict[str, tuple[str, int, int, str]] = {}
    notes: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) == 3 and ";" not in parts[1]:
            kind, start, end = parts[1].split(" ")
            spans[parts[0]] = (kind, int(start), int(end), parts[2])
        elif line.startswith("#") and len(parts) == 3:
            notes[parts[1].split(" ")[-1]] = parts[2].strip()
    return [_gold(spans[t], note) for t, note in notes.items()
            if t in spans and spans[t][0] not in NOT_TOPONYMS]


def _gold(span: tuple[str, int, int, str], note: str) -> Gold:
    kind, start, end, text = span
    if m := COORD.match(note):
        lat, lon = float(m[1]), float(m[2])
        return Gold(start, end, text, kind, None, lat, lon, None)
    gid = int(note) if note.isdigit() else None
    known = _by_id().get(gid) if gid else None
    return Gold(start, end, text, kind, gid, known.lat if known else None,
                known.lon if known else None, known.iso3 if known else None)


@lru_cache(maxsize=1)
def _by_id() -> dict[int, GeoName]:
    """Gazetteer records by GeoNames id (for gold links), built once."""
    gaz = gazetteer()
    places = (gaz.place(i) for i in range(len(gaz.lines)))
    return {p.geonameid: p for p in places if p.geonameid}


def ann_files(folder: Path, limit: int | None = None, half: str = "all") -> list[Path]:
    """The .ann files scored, in file-number order; `half` keeps one half of them, split by a
    hash of their names (quotes.select), so one half can be tuned on and the other kept
    unseen."""
    stems = {p.stem: p for p in folder.glob("*.ann")}
    files = sorted((stems[s] for s in select(stems, half)),
                   key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    return files[:limit]


def documents(folder: Path, limit: int | None = None,
              half: str = "all") -> Iterator[tuple[str, list[Gold]]]:
    """(text, linked toponyms) per document of `ann_files`."""
    for ann in ann_files(folder, limit, half):
        yield ann.with_suffix(".txt").read_text(encoding="utf-8"), read_ann(ann)


def sayso_guesses(texts: list[str],
                  engine: str = DEFAULT) -> Iterator[list[tuple[int, int, Guess]]]:
    """sayso's places per text, run through spaCy and sayso_places only."""
    from sayso.engines import engine_name
    from sayso.model import Article
    from sayso.nlp import load_pipeline, make_doc

    nlp = load_pipeline(engine_name(engine))
    keep = [n for n in nlp.pipe_names if not n.startswith("sayso_") or n == "sayso_places"]
    with nlp.select_pipes(enable=keep):
        for doc in nlp.pipe(make_doc(nlp, Article(text=t)) for t in texts):
            yield [(p.start, p.end, Guess(p.geonameid, p.lat, p.lon, p.country, p.name,
                                          p.reason))
                   for p in doc._.places if p.name]


def baseline_guess(text: str) -> Guess | None:
    """The most populous gazetteer place of that name."""
    found = gazetteer().lookup(text.removeprefix("the ").strip())
    best = max(found, key=lambda p: p.population, default=None)
    return Guess(best.geonameid, best.lat, best.lon, best.iso3) if best else None


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    within: int = 0
    country_n: int = 0
    country_ok: int = 0

    def add(self, gold: Gold, guess: Guess | None) -> bool:
        """Score one toponym; True when the guess is right."""
        self.gold += 1
        if guess is None:
            return False
        self.found += 1
        same = gold.geonameid is not None and gold.geonameid == guess.geonameid
        near = None not in (gold.lat, gold.lon, guess.lat, guess.lon) and haversine_km(
            gold.lat, gold.lon, guess.lat, guess.lon) <= ACCURACY_KM
        self.within += same or near
        if gold.country:
            self.country_n += 1
            self.country_ok += gold.country == guess.country
        return bool(same or near)

    def report(self) -> dict[str, float | int | None]:
        """The scores as fractions (None where there is nothing to divide by)."""
        def frac(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        return {"toponyms": self.gold, "found": self.found, "within_161km": self.within,
                "recall": frac(self.found, self.gold),
                "acc161_of_found": frac(self.within, self.found),
                "acc161_of_all": frac(self.within, self.gold),
                "country_accuracy": frac(self.country_ok, self.country_n),
                "country_n": self.country_n}

    def line(self, name: str) -> str:
        return (f"{name:<9} recall {pct(self.found, self.gold)}  acc@161km of found "
                f"{pct(self.within, self.found)}  of all {pct(self.within, self.gold)}  "
                f"country {pct(self.country_ok, self.country_n)} (n={self.country_n})")


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


def overlapping(gold: Gold, guesses: list[tuple[int, int, Guess]]) -> Guess | None:
    return next((g for s, e, g in guesses if s < gold.end and gold.start < e), None)


def error_line(doc: str, gold: Gold, guess: Guess | None) -> str:
    """One miss or wrong place, tab-separated, for `--errors`: where, what the gold says, what
    was guessed (and why) and how far off it is."""
    where = f"{doc}:{gold.start}-{gold.end}"
    truth = f"{gold.lat},{gold.lon} {gold.country or ''} {gold.geonameid or ''}".strip()
    if guess is None:
        return "\t".join(("missed", where, gold.type, gold.text, truth))
    km = (f"{haversine_km(gold.lat, gold.lon, guess.lat, guess.lon):.0f}km"
          if None not in (gold.lat, gold.lon, guess.lat, guess.lon) else "?km")
    return "\t".join(("wrong", where, gold.type, gold.text, truth,
                      f"{guess.name} {guess.country} {guess.geonameid}", km, guess.reason or ""))


def run(args: argparse.Namespace) -> int:
    from sayso.engines import engine_name

    files = ann_files(Path(args.geowebnews), args.limit, args.half)
    docs = list(documents(Path(args.geowebnews), args.limit, args.half))
    sayso, base, errors = Score(), Score(), []
    guessed = sayso_guesses([t for t, _ in docs], args.engine)
    for ann, (_, golds), guesses in zip(files, docs, guessed, strict=True):
        for gold in golds:
            guess = overlapping(gold, guesses)
            if not sayso.add(gold, guess):
                errors.append(error_line(ann.stem, gold, guess))
            base.add(gold, baseline_guess(gold.text))
    if args.errors:
        Path(args.errors).write_text("".join(f"{e}\n" for e in errors), encoding="utf-8")
    if args.json:
        print(json.dumps({"engine": engine_name(args.engine), "half": args.half,
                          "documents": len(docs),
                          "sayso": sayso.report(), "baseline": base.report()}, indent=1))
        return 0
    print(f"engine {engine_name(args.engine)}: {len(docs)} documents (half {args.half}), "
          f"{sayso.gold} linked toponyms")
    print(sayso.line("sayso"))
    print(base.line("baseline"))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("places", help="geocoding against GeoWebNews (brat .ann + .txt)")
    p.add_argument("--geowebnews", required=True, help="folder of N.txt + N.ann files")
    p.add_argument("--half", choices=HALVES, default="all",
                   help="score one half of the files, split by a hash of their names: tune on a, "
                        "confirm on b")
    p.add_argument("--errors", metavar="FILE",
                   help="write each missed or wrongly placed toponym to FILE (tab-separated)")
    add_engine_argument(p)
    add_scoring_arguments(p)
    p.set_defaults(func=run)
