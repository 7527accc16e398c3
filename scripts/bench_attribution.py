"""Cost of the sayso_attribution component alone, against bare spaCy on the same real articles.

The attribution pass is timed three times and the best run kept, so machine noise does not
inflate it. Also counts attributions by kind.

    .venv/bin/python scripts/bench_attribution.py [--jsonl ../shared/data/voa/voa_stories.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import spacy

from sayso.nlp import SPACY_MODEL
from sayso.nlp.attribution import find_attributions
from sayso.nlp.cues import lexicon

DEFAULT = Path(__file__).resolve().parents[1] / "../shared/data/voa/voa_stories.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", type=Path, default=DEFAULT)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.jsonl.open(encoding="utf-8")]
    nlp = spacy.load(SPACY_MODEL)
    lexicon()  # loaded once per process, not per doc
    start = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spacy_s = time.perf_counter() - start
    best, found = float("inf"), []
    for _ in range(3):
        start = time.perf_counter()
        found = [find_attributions(doc) for doc in docs]
        best = min(best, time.perf_counter() - start)
    kinds = Counter(a.kind for attributions in found for a in attributions)
    print(
        f"{len(docs)} docs: spaCy {spacy_s:.2f}s, sayso_attribution {best:.3f}s "
        f"({100 * best / spacy_s:.1f}% of spaCy); attributions {sum(kinds.values())} {dict(kinds)}"
    )


if __name__ == "__main__":
    main()
