"""Cost of ingest (checks, scraped-text cleanup or HTML extraction, language check) against bare
spaCy on the bodies it produces, side by side in this process, best of three rounds each.

    .venv/bin/python scripts/bench_ingest.py                 # VOA JSON Lines records (text)
    .venv/bin/python scripts/bench_ingest.py --html          # ScrapingHub benchmark pages (HTML)
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from sayso.ingest import from_record, from_string
from sayso.model import Document
from sayso.nlp import SPACY_MODEL

DATA = Path(__file__).resolve().parents[1] / "../shared/data"


def inputs(html: bool) -> list[tuple[str, str]]:
    """(kind, content) pairs: whole HTML pages, or the text field of JSON Lines records."""
    if html:
        pages = sorted((DATA / "article-extraction" / "html").glob("*.html.gz"))
        return [("html", gzip.open(p, "rt", encoding="utf-8", errors="replace").read())
                for p in pages]
    with open(DATA / "voa" / "voa_stories.jsonl", encoding="utf-8") as f:
        return [("text", json.loads(line)["text"]) for line in f if line.strip()]


def ingest(items: list[tuple[str, str]]) -> list[str]:
    """Bodies of the accepted documents."""
    docs = (from_string(c, "bench") if kind == "html" else from_record({"text": c}, "bench")
            for kind, c in items)
    return [d.article.text for d in docs if isinstance(d, Document)]


def best_of(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--html", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = inputs(args.html)
    ingest(items[:2])  # load the language model and date parser once, as a batch does
    bodies = ingest(items)
    nlp = spacy.load(SPACY_MODEL)
    spacy_s = best_of(args.rounds, lambda: list(nlp.pipe(bodies, batch_size=16)))
    ingest_s = best_of(args.rounds, lambda: ingest(items))
    print(json.dumps({"inputs": len(items), "accepted": len(bodies), "ingest_s": round(ingest_s, 2),
                      "spacy_s": round(spacy_s, 2),
                      "ingest_over_spacy": f"{ingest_s / spacy_s:.1%}"}))


if __name__ == "__main__":
    main()
