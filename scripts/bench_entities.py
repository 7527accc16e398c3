"""Cost of the sayso_entities component alone, against bare spaCy on the same real articles.

Attributions come from sayso_attribution (not timed); the entity pass is timed three times and
the best run kept, so machine noise does not inflate it. Also counts resolved sources.

    .venv/bin/python scripts/bench_entities.py [--jsonl ../shared/data/voa/voa_stories.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from sayso.model import Article
from sayso.nlp import SPACY_MODEL, actors, countries
from sayso.nlp.attribution import AttributionFinder
from sayso.nlp.entities import EntityResolver

DEFAULT = Path(__file__).resolve().parents[1] / "../shared/data/voa/voa_stories.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, default=DEFAULT)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.jsonl.open(encoding="utf-8")]
    nlp = spacy.load(SPACY_MODEL)
    countries.gazetteer(), actors.roles()  # loaded once per process, not per doc
    start = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spacy_s = time.perf_counter() - start
    finder, resolver = AttributionFinder(), EntityResolver()
    for doc, text in zip(docs, texts, strict=True):
        doc._.article = Article(text=text)
        finder(doc)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for doc in docs:
            resolver(doc)
        best = min(best, time.perf_counter() - start)
    sources = [a.source for d in docs for a in d._.attributions if a.source]
    resolved = sum(s.entity is not None for s in sources)
    print(f"{len(docs)} docs: spaCy {spacy_s:.2f}s, sayso_entities {best:.3f}s "
          f"({100 * best / spacy_s:.1f}% of spaCy); sources {len(sources)}, resolved {resolved}, "
          f"entities {sum(len(d._.entities) for d in docs)}")


if __name__ == "__main__":
    main()
