"""Throughput of the sayso pipeline, slice by slice, against bare spaCy on the same articles.

This is the in-process view (no start-up, ingest, output or store; the best of N rounds), a
breakdown by slice; what users run, end to end through the CLI, is `scripts/bench_e2e.py`.
Every side runs in this process, side by side, alternating the order in each round, and each
side's best round is kept, so machine noise inflates none. The sides are bare spaCy, then the
pipeline as each issue left it (attribution + entities; + times, places, quantities; + events).
Targets: the first slice costs at most 25% over spaCy, and each later slice at most 25% over the
one before.

    .venv/bin/python scripts/bench_throughput.py             # PolNeAR dev + train, first 240
    .venv/bin/python scripts/bench_throughput.py --jsonl ../shared/data/voa/voa_stories.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from sayso import analyze_documents
from sayso.model import Article, Document
from sayso.nlp import SPACY_MODEL, load_pipeline

POLNEAR = Path(__file__).resolve().parents[1] / "../shared/data/polnear"
DEFAULT_DIRS = [POLNEAR / "dev/text", POLNEAR / "train/text"]
# The pipeline as each issue left it: the sayso components each slice runs.
SLICES = {
    "slice 1": ("sayso_attribution", "sayso_entities"),
    "slice 2": ("sayso_attribution", "sayso_entities", "sayso_times", "sayso_places",
                "sayso_quantities"),
    "slice 3": ("sayso_attribution", "sayso_entities", "sayso_times", "sayso_places",
                "sayso_quantities", "sayso_events"),
}


def read_texts(directories: list[Path], jsonl: Path | None, limit: int | None) -> list[str]:
    """Article bodies from *.txt files in folders, or the "text" field of JSON Lines. Exits
    with a message when the data is missing or holds no text: a benchmark over nothing would
    print figures that mean nothing."""
    missing = [str(p) for p in ([jsonl] if jsonl else directories) if not p.exists()]
    if missing:
        sys.exit(f"no data at {', '.join(missing)}: is ../shared/data there?")
    if jsonl:
        with open(jsonl, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    else:
        paths = [p for d in directories for p in sorted(d.glob("*.txt"))]
        texts = [p.read_text(encoding="utf-8") for p in paths]
    texts = [t for t in texts if t.strip()][:limit]
    if not texts:
        sys.exit(f"no article text in {', '.join(map(str, [jsonl] if jsonl else directories))}")
    return texts


def spacy_side(batch_size: int) -> Callable[[list[str]], None]:
    """Bare spaCy: the model sayso builds on, nothing else."""
    nlp = spacy.load(SPACY_MODEL)

    def run(texts: list[str]) -> None:
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass

    return run


def sayso_side(batch_size: int, components: tuple[str, ...]) -> Callable[[list[str]], None]:
    """Everything a caller of the API pays for, articles in and contract dicts out, with only
    the given sayso components switched on."""
    nlp = load_pipeline()
    off = [name for name in nlp.pipe_names if name.startswith("sayso_") and name not in components]

    def run(texts: list[str]) -> None:
        documents = (Document(Article(text=t), origin=f"#{i}") for i, t in enumerate(texts))
        with nlp.select_pipes(disable=off):
            for analysis in analyze_documents(documents, batch_size=batch_size):
                analysis.to_dict()

    return run


def timed(run: Callable[[list[str]], None], texts: list[str]) -> float:
    start = time.perf_counter()
    run(texts)
    return time.perf_counter() - start


def add_input_arguments(ap: argparse.ArgumentParser, limit: int) -> None:
    """The texts a benchmark reads: `--dir`, `--jsonl` and `--limit` (see `read_texts`)."""
    ap.add_argument("--dir", type=Path, action="append", help="folder of .txt articles "
                    "(repeatable; default: PolNeAR dev and train)")
    ap.add_argument("--jsonl", type=Path, help="JSON Lines with a 'text' field (e.g. VOA)")
    ap.add_argument("--limit", type=int, default=limit, help="use only the first N articles")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_input_arguments(ap, limit=240)
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per side (best kept)")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()

    texts = read_texts(args.dir or DEFAULT_DIRS, args.jsonl, args.limit)
    sides = {"spacy": spacy_side(args.batch_size)}
    sides |= {name: sayso_side(args.batch_size, comps) for name, comps in SLICES.items()}
    for run in sides.values():  # warm up: model loading and first-call costs stay out
        run(texts[:8])

    best = {name: float("inf") for name in sides}
    order = list(sides)
    for _ in range(args.rounds):
        for name in order:
            best[name] = min(best[name], timed(sides[name], texts))
        order.reverse()

    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles, {chars / 1000:.0f}k characters, best of {args.rounds} rounds")
    previous = "spacy"
    for name, seconds in best.items():
        line = f"{name:<8} {seconds:7.2f} s  {len(texts) / seconds:7.1f} articles/s"
        if name != "spacy":
            over_spacy = (seconds / best["spacy"] - 1) * 100
            over_prev = (seconds / best[previous] - 1) * 100
            line += f"  {over_spacy:+6.1f}% over spacy, {over_prev:+6.1f}% over {previous}"
            previous = name
        print(line)
    print("targets: slice 1 at most +25% over spacy; each later slice at most +25% over the last")


if __name__ == "__main__":
    main()
