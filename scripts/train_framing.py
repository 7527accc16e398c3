"""Train the framing tagger (sayso_framing) on the training part of PTC and export it as JSON.

    .venv/bin/python scripts/train_framing.py --ptc ../shared/data/ptc-dev

Only the articles `sayso.eval.framing.split_of` puts in "train" are read; the held-out third is
left for `sayso eval framing`. One logistic regression per technique (scikit-learn, the `train`
extra) over the token features of `sayso.nlp.framing.features`; each technique's decision
threshold is the one that maximises span F1 (the Task 11 scorer) on out-of-fold predictions of a
3-fold cross-validation by article. The weights go to src/sayso/nlp/framing/data/model.json.gz
(features whose weights are all near zero are dropped), read at run time with numpy only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import spacy
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

from sayso.eval.framing import PtcArticle, SpanScore, read_ptc
from sayso.nlp import SPACY_MODEL
from sayso.nlp.framing.features import doc_features
from sayso.nlp.framing.lexicon import lexicon_tags
from sayso.nlp.framing.tagger import MODEL_FILE, decode

THRESHOLDS = np.round(np.arange(0.05, 0.7, 0.025), 3)
FOLDS = 3
MIN_COUNT = 2  # features seen fewer times in training are dropped
PRUNE = 0.01  # features whose largest |weight| is below this are not exported


def parsed(articles: list[PtcArticle], cache: Path | None) -> list[Doc]:
    """spaCy docs of the articles (the base pipeline only), cached in a DocBin when asked."""
    nlp = spacy.load(SPACY_MODEL)
    if cache and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in articles]:
            return docs
    docs = list(nlp.pipe((a.text for a in articles), batch_size=8))
    if cache:
        DocBin(docs=docs).to_disk(cache)
    return docs


def token_labels(doc: Doc, spans: list[tuple[int, int, str]], technique: str) -> list[int]:
    """1 for each token that overlaps a gold span of the technique."""
    marked = np.zeros(len(doc.text) + 1, dtype=bool)
    for start, end, t in spans:
        if t == technique:
            marked[start:end] = True
    return [int(marked[t.idx:t.idx + len(t)].any()) for t in doc]


def table(docs: list[Doc]) -> tuple[list[dict], list[tuple[int, int]]]:
    """One feature dict per scored token, and (doc, token) positions of those rows."""
    rows, where = [], []
    for d, doc in enumerate(docs):
        for i, feats in enumerate(doc_features(doc)):
            if feats is not None:
                rows.append(dict.fromkeys(feats, 1))
                where.append((d, i))
    return rows, where


def frequent(rows: list[dict]) -> list[dict]:
    counts = Counter(f for r in rows for f in r)
    return [{f: 1 for f in r if counts[f] >= MIN_COUNT} for r in rows]


def fit(x, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", max_iter=1000).fit(x, y)


def probabilities(docs: list[Doc], where: list[tuple[int, int]], scores: np.ndarray,
                  rows: np.ndarray) -> list[np.ndarray]:
    """Per-doc (tokens, 1) probability arrays filled from row scores (0 for unscored tokens)."""
    out = [np.zeros((len(doc), 1), dtype=np.float32) for doc in docs]
    for row in rows:
        d, i = where[row]
        out[d][i, 0] = scores[row]
    return out


def span_score(docs: list[Doc], probs: list[np.ndarray], gold: list[PtcArticle],
               technique: str, threshold: float, lexes: list[list], union: bool) -> SpanScore:
    """Span scores of one technique decoded at `threshold` (with the lexicon's spans added
    when `union`)."""
    score = SpanScore()
    for doc, p, article, lex in zip(docs, probs, gold, lexes, strict=True):
        found = decode(doc, p, [technique], np.asarray([threshold]), lex, [union])
        score.add([(doc[f.start].idx, doc[f.end - 1].idx + len(doc[f.end - 1])) for f in found],
                  [(s, e) for s, e, t in article.spans if t == technique])
    return score


def cross_validate(docs, articles, lexes, x, where, y, technique, c) -> tuple[tuple, dict]:
    """Out-of-fold probabilities, and the (threshold, lexicon union) with the best span F1 on
    them."""
    fold_of_doc = np.arange(len(docs)) % FOLDS
    fold = np.asarray([fold_of_doc[d] for d, _ in where])
    oof = np.zeros(len(where), dtype=np.float32)
    for k in range(FOLDS):
        model = fit(x[fold != k], y[fold != k], c)
        oof[fold == k] = model.predict_proba(x[fold == k])[:, 1]
    probs = probabilities(docs, where, oof, np.arange(len(where)))
    trials = (((float(t), union), span_score(docs, probs, articles, technique, t, lexes,
                                             union).scores())
              for t in THRESHOLDS for union in (False, True))
    return max(trials, key=lambda ts: ts[1]["f1"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ptc", required=True, type=Path, help="PTC folder (articles/, labels/)")
    ap.add_argument("--techniques", default="loaded_language,name_calling",
                    help="comma-separated sayso technique names to train")
    ap.add_argument("--c", default="0.1,0.3,1.0", help="inverse regularisation strengths tried")
    ap.add_argument("--cache", type=Path, help="DocBin file to cache the parsed articles in")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--dry-run", action="store_true", help="cross-validate only; write nothing")
    args = ap.parse_args()
    articles = read_ptc(args.ptc, "train")
    docs = parsed(articles, args.cache)
    rows, where = table(docs)
    vec = DictVectorizer()
    x = vec.fit_transform(frequent(rows)).tocsr()
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)  # for liblinear
    names = vec.get_feature_names_out()
    techniques = args.techniques.split(",")
    lexes = [lexicon_tags(doc) for doc in docs]
    exported = {"techniques": techniques, "bias": [], "thresholds": [], "lexicon_union": [],
                "cv": {}}
    weights = []
    for technique in techniques:
        labels = [token_labels(doc, a.spans, technique)
                  for doc, a in zip(docs, articles, strict=True)]
        y = np.asarray([labels[d][i] for d, i in where])
        trials = {c: cross_validate(docs, articles, lexes, x, where, y, technique, c)
                  for c in map(float, args.c.split(","))}
        c, ((threshold, union), cv) = max(trials.items(), key=lambda kv: kv[1][1]["f1"])
        print(f"{technique}: C={c} threshold={threshold} lexicon union={union} cv {cv}  "
              f"(tried {[(k, v[1]['f1']) for k, v in trials.items()]})", file=sys.stderr)
        model = fit(x, y, c)
        weights.append(model.coef_[0])
        exported["bias"].append(round(float(model.intercept_[0]), 4))
        exported["thresholds"].append(threshold)
        exported["lexicon_union"].append(union)
        exported["cv"][technique] = {"C": c, "threshold": threshold, "lexicon_union": union, **cv}
    w = np.vstack(weights).T
    keep = np.abs(w).max(axis=1) >= PRUNE
    exported["weights"] = {names[i]: [round(float(v), 4) for v in w[i]]
                           for i in np.flatnonzero(keep)}
    exported["trained_on"] = {"data": "PTC (SemEval-2020 Task 11) ptc-dev, train split",
                              "articles": len(articles), "scored_tokens": len(rows)}
    print(f"{len(exported['weights'])} features of {len(names)} kept", file=sys.stderr)
    if not args.dry_run:
        data = json.dumps(exported, separators=(",", ":")).encode("utf-8")
        with gzip.GzipFile(args.out, "wb", mtime=0) as f:  # mtime 0: the same bytes each run
            f.write(data)
        print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
