"""Throughput of the full sayso pipeline against bare spaCy on the same real articles.

Both run in this process, side by side, alternating which goes first in each round, and each
side's best round is kept, so machine noise inflates neither. Issue target: sayso's own work
(its components, building the Analysis and its contract dict) costs at most 25% over spaCy.

    .venv/bin/python scripts/bench_throughput.py                       # PolNeAR dev texts
    .venv/bin/python scripts/bench_throughput.py --jsonl ../shared/data/voa/voa_stories.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from sayso import analyze_documents
from sayso.model import Article, Document
from sayso.nlp import SPACY_MODEL

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "../shared/data/polnear/dev/text"


def read_texts(directory: Path | None, jsonl: Path | None, limit: int | None) -> list[str]:
    """Article bodies from *.txt files in a folder, or the "text" field of JSON Lines."""
    if jsonl:
        with open(jsonl, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))]
    return [t for t in texts if t.strip()][:limit]


def spacy_side(batch_size: int) -> Callable[[list[str]], None]:
    """Bare spaCy: the model sayso builds on, nothing else."""
    nlp = spacy.load(SPACY_MODEL)

    def run(texts: list[str]) -> None:
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass

    return run


def sayso_side(batch_size: int) -> Callable[[list[str]], None]:
    """Everything a caller of the API pays for: articles in, contract dicts out."""

    def run(texts: list[str]) -> None:
        documents = (Document(Article(text=t), origin=f"#{i}") for i, t in enumerate(texts))
        for analysis in analyze_documents(documents, batch_size=batch_size):
            analysis.to_dict()

    return run


def timed(run: Callable[[list[str]], None], texts: list[str]) -> float:
    start = time.perf_counter()
    run(texts)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of .txt articles")
    ap.add_argument("--jsonl", type=Path, help="JSON Lines with a 'text' field (e.g. VOA)")
    ap.add_argument("--limit", type=int, help="use only the first N articles")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per side (best kept)")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()

    texts = read_texts(args.dir, args.jsonl, args.limit)
    sides = {"spacy": spacy_side(args.batch_size), "sayso": sayso_side(args.batch_size)}
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
    for name, seconds in best.items():
        print(f"{name:<6} {seconds:7.2f} s  {len(texts) / seconds:7.1f} articles/s")
    overhead = (best["sayso"] / best["spacy"] - 1) * 100
    print(f"sayso overhead over bare spaCy: {overhead:+.1f}% (target: at most +25%)")


if __name__ == "__main__":
    main()
