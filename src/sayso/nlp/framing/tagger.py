"""Loaded spans from token scores: the trained tagger (data/model.json.gz) and the lexicon.

The model is one logistic regression per technique over the features of `features.py`, trained
by scripts/train_framing.py on PTC (docs/model-framing.md) and kept as plain JSON (feature ->
one weight per technique, a bias and a decision threshold per technique), so that run time needs
numpy only. A technique's span is a run of tokens scored over its threshold, or listed in the
lexicon under that technique where cross-validation showed that adding the lexicon helps.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span

from sayso.nlp.framing.features import doc_features, scored
from sayso.nlp.framing.lexicon import lexicon_tags

MODEL_FILE = Path(__file__).parent / "data" / "model.json.gz"
CONTENT_POS = frozenset({"ADJ", "ADV", "NOUN", "PROPN", "VERB", "INTJ"})


@dataclass(frozen=True)
class Found:
    """A loaded span as token offsets [start, end), with its technique and score."""

    start: int
    end: int
    technique: str
    confidence: float | None


class FramingModel:
    """Per-technique logistic regressions over sparse binary features."""

    def __init__(self, data: dict) -> None:
        self.techniques: list[str] = data["techniques"]
        self.bias = np.asarray(data["bias"], dtype=np.float32)
        self.thresholds = np.asarray(data["thresholds"], dtype=np.float32)
        self.lexicon_union: list[bool] = data["lexicon_union"]
        names = list(data["weights"])
        self.index = {name: i for i, name in enumerate(names)}
        self.weights = np.asarray([data["weights"][f] for f in names], dtype=np.float32).reshape(
            len(names), len(self.techniques))

    def probabilities(self, features: list[list[str] | None]) -> np.ndarray:
        """P(technique | token) for each token, shape (tokens, techniques); 0 where unscored.
        Each token's weight rows are added in its features' order, so scores do not depend
        on how the lookups are batched."""
        unscored = np.fromiter((feats is None for feats in features), dtype=bool,
                               count=len(features))
        counts = np.fromiter((len(feats or ()) for feats in features), dtype=np.intp,
                             count=len(features))
        rows = np.fromiter(map(self.index.get, chain.from_iterable(f for f in features if f),
                               repeat(-1)), dtype=np.intp)
        known = rows >= 0
        owners = np.repeat(np.arange(len(features)), counts)[known]
        logits = np.zeros((len(features), len(self.techniques)), dtype=np.float32)
        np.add.at(logits, owners, self.weights[rows[known]])
        probs = 1.0 / (1.0 + np.exp(-(logits + self.bias)))
        probs[unscored] = 0.0
        return probs

    def find(self, doc: Doc) -> list[Found]:
        lex = lexicon_tags(doc)
        return decode(doc, self.probabilities(doc_features(doc, lex)), self.techniques,
                      self.thresholds, lex, self.lexicon_union)


@lru_cache(maxsize=1)
def framing_model(path: Path = MODEL_FILE) -> FramingModel:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return FramingModel(json.load(f))


def decode(doc: Doc, probs: np.ndarray, techniques: list[str], thresholds: np.ndarray,
           lex: list[str | None] | None = None, union: list[bool] | None = None) -> list[Found]:
    """Runs of tokens over their technique's threshold (or, where `union[k]`, tagged with the
    technique in the lexicon tags `lex`), as spans; a single unscored token (a hyphen, a
    quotation mark) between two such tokens does not break the run."""
    found = []
    for k, technique in enumerate(techniques):
        on = probs[:, k] >= thresholds[k]
        if lex is not None and union and union[k]:
            on |= np.asarray([tag == technique for tag in lex], dtype=bool)
        found += [Found(s, e, technique, round(float(probs[s:e, k].max()), 3))
                  for s, e in _runs(doc, on.tolist()) if _has_content_word(doc[s:e])]
    return sorted(found, key=lambda f: (f.start, f.end, f.technique))


def _has_content_word(span: Span) -> bool:
    """A conjunction, a preposition or a stop word alone is never a loaded span."""
    return any(t.pos_ in CONTENT_POS and not t.is_stop for t in span)


def _runs(doc: Doc, on: list[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    scores = scored(doc)
    for i, hit in enumerate(on):
        if not hit:
            continue
        if runs and (runs[-1][1] == i or (runs[-1][1] == i - 1 and not scores[i - 1])):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def lexicon_found(doc: Doc) -> list[Found]:
    """The lexicon's spans: runs of tokens with the same lexicon technique (the baseline)."""
    tags = lexicon_tags(doc)
    techniques = sorted({t for t in tags if t})
    return sorted((Found(s, e, technique, None) for technique in techniques
                   for s, e in _runs(doc, [t == technique for t in tags])),
                  key=lambda f: (f.start, f.end, f.technique))
