"""Cost of each sayso component alone, against bare spaCy on the same real articles.

spaCy's own pipes run once over the texts (timed); then the sayso components run in pipeline
order over the parsed docs, each timed on its own, for several rounds with every doc's sayso
outputs reset between rounds, and each component's best round is kept. Also counts what each
stage found, for a quick look at coverage (sources resolved to an entity, records per kind).

    .venv/bin/python scripts/bench_components.py            # the 89 VOA stories
    .venv/bin/python scripts/bench_components.py --jsonl FILE --rounds 3
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from sayso.model import Article
from sayso.nlp import load_pipeline

DEFAULT = Path(__file__).resolve().parents[1] / "../shared/data/voa/voa_stories.jsonl"
OUTPUTS = ("attributions", "entities", "times", "places", "quantities", "events")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, default=DEFAULT, help="JSON Lines with a 'text' field")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.jsonl.open(encoding="utf-8")]

    nlp = load_pipeline()
    ours = [(name, pipe) for name, pipe in nlp.pipeline if name.startswith("sayso_")]
    with nlp.select_pipes(disable=[name for name, _ in ours]):
        nlp("Warm up the model and load every lexicon once.")
        start = time.perf_counter()
        docs = list(nlp.pipe(texts))
        spacy_s = time.perf_counter() - start

    best = {name: float("inf") for name, _ in ours}
    for _ in range(args.rounds):
        for doc, text in zip(docs, texts, strict=True):
            for key in OUTPUTS:
                setattr(doc._, key, None)
            doc._.article = Article(text=text)
        for name, pipe in ours:
            start = time.perf_counter()
            for doc in docs:
                pipe(doc)
            best[name] = min(best[name], time.perf_counter() - start)

    print(f"{len(docs)} docs; bare spaCy {spacy_s:.2f} s; best of {args.rounds} rounds:")
    for name, seconds in best.items():
        print(f"  {name:<18} {seconds:6.3f} s  {100 * seconds / spacy_s:5.1f}% of spaCy")
    total = sum(best.values())
    print(f"  {'all sayso':<18} {total:6.3f} s  {100 * total / spacy_s:5.1f}% of spaCy")
    sources = [a.source for d in docs for a in d._.attributions if a.source]
    kinds = Counter(a.kind for d in docs for a in d._.attributions)
    print(f"attributions {sum(kinds.values())} {dict(kinds)}; sources resolved to an entity "
          f"{sum(s.entity is not None for s in sources)}/{len(sources)}")
    print("records: " + ", ".join(f"{k} {sum(len(getattr(d._, k) or []) for d in docs)}"
                                  for k in OUTPUTS))


if __name__ == "__main__":
    main()
