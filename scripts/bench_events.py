"""Cost of sayso_events alone vs bare spaCy on the VOA stories (run from the project root)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy

from sayso.nlp import SPACY_MODEL
from sayso.nlp.events import context_words, cues, find_events, noun_rules, verb_rules

VOA = Path("../shared/data/voa/voa_stories.jsonl")


def main() -> None:
    texts = [json.loads(line)["text"] for line in VOA.open(encoding="utf-8")]
    nlp = spacy.load(SPACY_MODEL)
    verb_rules(), noun_rules(), cues(), context_words()  # data files load once per process
    start = time.perf_counter()
    docs = list(nlp.pipe(texts))
    parsed = time.perf_counter()
    count = sum(len(find_events(doc)) for doc in docs)
    done = time.perf_counter()
    spacy_s, events_s = parsed - start, done - parsed
    print(f"{len(texts)} VOA stories: spaCy {spacy_s:.2f}s, sayso_events {events_s:.3f}s "
          f"= {100 * events_s / spacy_s:.1f}% of spaCy; {count} events")


if __name__ == "__main__":
    main()
