"""Cost of sayso_places next to bare spaCy on the same texts (the 25 % pipeline budget).

    .venv/bin/python scripts/bench_places.py [../shared/data/voa/voa_stories.jsonl]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

from sayso.nlp import SPACY_MODEL
from sayso.nlp.places import PlaceFinder, gazetteer

DEFAULT = Path(__file__).resolve().parents[1] / "../shared/data/voa/voa_stories.jsonl"


def main(path: Path) -> None:
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(SPACY_MODEL)
    start = time.perf_counter()
    docs = list(nlp.pipe(texts))
    bare = time.perf_counter() - start
    start = time.perf_counter()
    finder = PlaceFinder()
    gazetteer()
    load = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(len(finder(doc)._.places) for doc in docs)
    comp = time.perf_counter() - start
    print(f"{len(texts)} texts: spaCy {bare:.2f}s; gazetteer load {load:.2f}s; sayso_places "
          f"{comp:.2f}s ({found} places) = {100 * (load + comp) / bare:.1f}% of spaCy")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
