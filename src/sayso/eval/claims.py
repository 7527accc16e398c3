"""`sayso eval claims --checkthat DIR`: claim matching scored on CheckThat! 2020 task 2.

Each tweet is to be matched with the fact-checked claim(s) that verify it among 10,375
(`v3.zip`: verified_claims.docs.tsv, {train,dev}/tweets.queries.tsv and TREC qrels), read in
place from the zip. Three rankings go through the same scorer: plain BM25, the sentence
embeddings alone, and sayso's matcher (`sayso.compare.claims.fuse`, the one the store uses for
statements). A claim is its text and its fact-check's title: BM25 indexes both together, the
embedding score is the mean of the tweet's cosines to the two (on train this beat the better of
the two, or the text alone). sayso's score also weighs the months and years a claim names
against the date in the tweet's signature (`sayso.compare.claims.Dates`).

v3's collection repeats some of its claims: copies re-crawled with other quote marks (or none
changed), whose ids come later, while the gold pairs name the first. The task is scored on the
collection as shipped; `--drop-copies` leaves out each claim whose words repeat an earlier
one's (case, quote marks and punctuation aside), the first kept, for every system alike, to
show how much of what is missed is a copy ranked above its original.

MAP@k is computed as the task's official scorer (evaluate.py, through trectools' TrecEval
get_map) computes it: documents ranked by score, ties by document id descending; at each
relevant document within the first k, the precision so far; their sum divided by the query's
number of relevant documents (not capped at k); averaged over queries in both run and qrels.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sayso.eval import add_scoring_arguments

DEPTHS = (1, 3, 5)
RUN_DEPTH = 5  # documents kept per query: the deepest cut scored
WEIGHTS = tuple(round(0.05 * i, 2) for i in range(21))  # fusion weights tried by --tune
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(10, 20))  # same-claim cuts tried


@dataclass
class CheckThat:
    claim_ids: list[str]
    claims: list[str]  # the verified claim's text
    titles: list[str]  # the fact-check article's title
    queries: dict[str, str]  # tweet id -> tweet
    qrels: dict[str, set[str]]  # tweet id -> relevant claim ids


def _tsv(zf: zipfile.ZipFile, name: str) -> list[list[str]]:
    """Rows after the header of a TSV in the zip (csv quoting: some claims span lines)."""
    rows = list(csv.reader(io.StringIO(zf.read(name).decode("utf-8")), delimiter="\t"))
    return [r for r in rows[1:] if r]


def _member(zf: zipfile.ZipFile, tail: str) -> str:
    """The zip member whose path ends with `tail` (the zip nests a version folder)."""
    return next(n for n in zf.namelist() if n.endswith(tail))


def first_copies(claims: Sequence[str]) -> list[int]:
    """Positions of the claims that do not repeat an earlier one word for word."""
    seen: set[str] = set()
    kept = []
    for i, claim in enumerate(claims):
        words = " ".join(re.findall(r"\w+", claim.lower()))
        if words not in seen:
            seen.add(words)
            kept.append(i)
    return kept


def load_checkthat(folder: Path, split: str, drop_copies: bool = False) -> CheckThat:
    """The collection (with `drop_copies`, its repeated claims left out) and one split's
    tweets."""
    with zipfile.ZipFile(folder / "v3.zip") as zf:
        docs = _tsv(zf, _member(zf, "verified_claims.docs.tsv"))
        tweets = _tsv(zf, _member(zf, f"{split}/tweets.queries.tsv"))
        pairs = zf.read(_member(zf, f"{split}/tweet-vclaim-pairs.qrels")).decode("utf-8")
    qrels: dict[str, set[str]] = {}
    for line in pairs.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            qrels.setdefault(parts[0], set()).add(parts[2])
    if drop_copies:
        docs = [docs[i] for i in first_copies([d[1] for d in docs])]
    return CheckThat([d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs],
                     {t[0]: t[1] for t in tweets}, qrels)


def average_precision(ranking: Sequence[tuple[str, float]], relevant: set[str],
                      depth: int) -> float:
    """AP@depth of one query as trectools computes it (see the module docstring)."""
    ordered = sorted(ranking, key=lambda d: d[0], reverse=True)
    ordered = sorted(ordered, key=lambda d: d[1], reverse=True)[:depth]
    found, total = 0, 0.0
    for rank, (doc, _) in enumerate(ordered, start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def mean_average_precision(run: Mapping[str, Sequence[tuple[str, float]]],
                           qrels: Mapping[str, set[str]], depth: int) -> float:
    """MAP@depth over the queries both in the run and in the qrels."""
    queries = [q for q in run if qrels.get(q)]
    if not queries:
        return 0.0
    return sum(average_precision(run[q], qrels[q], depth) for q in queries) / len(queries)


def scores(run: Mapping[str, Sequence[tuple[str, float]]],
           qrels: Mapping[str, set[str]]) -> dict[str, float]:
    return {f"MAP@{k}": round(mean_average_precision(run, qrels, k), 4) for k in DEPTHS}


@dataclass
class Signals:
    """Per query and claim: BM25, cosine to the claim text and to its title, and what the
    claim's dates add for the tweet's (`sayso.compare.claims.Dates`)."""

    bm25: np.ndarray
    cos_claim: np.ndarray
    cos_title: np.ndarray
    dates: np.ndarray
    encode_seconds: float
    encoded: int

    def semantic(self) -> np.ndarray:
        return (self.cos_claim + self.cos_title) / 2


def _cache_key(texts: Sequence[str]) -> str:
    """What cached embeddings were made from: the encoder file and the texts, digested (a
    change to either, say to `clean`, makes the cache stale)."""
    import hashlib

    from sayso.compare.embed import MODEL_DIR

    digest = hashlib.sha256((MODEL_DIR / "encoder.onnx").read_bytes())
    digest.update("\n".join(texts).encode("utf-8"))
    return digest.hexdigest()[:16]


def _cached(cache: Path | None, key: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(claim, title) embeddings from `cache` (an .npz an earlier run wrote) under `key`."""
    if not cache or not cache.exists():
        return None
    with np.load(cache) as stored:
        if "key" in stored and str(stored["key"]) == key:
            return stored["claims"], stored["titles"]
    return None


def signals(data: CheckThat, query_ids: list[str], cache: Path | None) -> Signals:
    from sayso.compare.claims import Dates, clean, signature_date
    from sayso.compare.embed import cosine, load_encoder
    from sayso.compare.lexical import Bm25Index

    docs = [clean(f"{c} {t}") for c, t in zip(data.claims, data.titles, strict=True)]
    index, dates = Bm25Index(docs), Dates(docs)
    queries = [clean(data.queries[q]) for q in query_ids]
    bm25 = np.stack([index.scores(q) for q in queries]) if queries else np.zeros((0, 0))
    shifts = np.stack([dates.shift(signature_date(data.queries[q])) for q in query_ids]
                      ) if queries else np.zeros((0, 0))
    started = time.perf_counter()
    texts = [clean(t) for t in data.claims + data.titles]
    key = _cache_key(texts)
    cached = _cached(cache, key)
    encoded = len(queries) + (0 if cached is not None else len(texts))
    if cached is None:
        vectors = load_encoder().encode(texts)
        cached = vectors[: len(data.claims)], vectors[len(data.claims):]
        if cache:
            np.savez(cache, claims=cached[0], titles=cached[1], key=key)
    query_vecs = load_encoder().encode(queries)
    seconds = time.perf_counter() - started
    return Signals(bm25, cosine(query_vecs, cached[0]), cosine(query_vecs, cached[1]), shifts,
                   seconds, encoded)


def run_of(matrix: np.ndarray, query_ids: list[str],
           claim_ids: list[str]) -> dict[str, list[tuple[str, float]]]:
    """The best RUN_DEPTH claims per query, as the scorer reads a run file."""
    from sayso.compare.claims import ranked

    return {q: [(claim_ids[i], s) for i, s in ranked(row, RUN_DEPTH)]
            for q, row in zip(query_ids, matrix, strict=True)}


def systems(sig: Signals, weight: float) -> dict[str, np.ndarray]:
    from sayso.compare.claims import fuse

    return {"bm25": sig.bm25, "embeddings": sig.semantic(),
            "sayso": fuse(sig.bm25, sig.semantic(), weight) + sig.dates}


def tune(sig: Signals, data: CheckThat, query_ids: list[str]) -> list[dict]:
    """MAP of the fusion at every weight in WEIGHTS (run on train, pick, confirm on dev)."""
    from sayso.compare.claims import fuse

    return [{"weight": w, **scores(run_of(fuse(sig.bm25, sig.semantic(), w) + sig.dates,
                                          query_ids, data.claim_ids), data.qrels)}
            for w in WEIGHTS]


def thresholds(fused: np.ndarray, data: CheckThat, query_ids: list[str]) -> list[dict]:
    """For each cut on the fused score, the tweets whose best claim reaches it and how often
    that claim is right: what SAME_CLAIM (sayso.store.compare) is chosen from (on the fused
    score alone, as statements in the store have no tweet's date)."""
    best = fused.argmax(axis=1)
    top = fused[np.arange(len(best)), best]
    right = np.array([data.claim_ids[b] in data.qrels[q]
                      for q, b in zip(query_ids, best, strict=True)])
    out = []
    for t in THRESHOLDS:
        kept = top >= t
        out.append({"threshold": t, "share": round(float(kept.mean()), 4),
                    "precision": round(float(right[kept].mean()), 4) if kept.any() else None})
    return out


def run(args: argparse.Namespace) -> int:
    from sayso.compare.claims import WEIGHT

    data = load_checkthat(Path(args.checkthat), args.split, args.drop_copies)
    query_ids = [q for q in data.queries if q in data.qrels][: args.limit]
    sig = signals(data, query_ids, Path(args.cache) if args.cache else None)
    weight = WEIGHT if args.weight is None else args.weight
    report = {"split": args.split, "queries": len(query_ids), "claims": len(data.claim_ids),
              "weight": weight,
              "systems": {name: scores(run_of(m, query_ids, data.claim_ids), data.qrels)
                          for name, m in systems(sig, weight).items()},
              "encoded": sig.encoded,
              "texts_per_second": round(sig.encoded / sig.encode_seconds, 1)}
    if args.tune:
        report["tuning"] = tune(sig, data, query_ids)
        from sayso.compare.claims import fuse

        report["thresholds"] = thresholds(fuse(sig.bm25, sig.semantic(), weight), data,
                                          query_ids)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"CheckThat! 2020 task 2 {args.split}: {len(query_ids)} tweets, "
          f"{len(data.claim_ids)} claims; fusion weight {weight}")
    for name, s in report["systems"].items():
        print(f"{name:<11}" + "  ".join(f"{k} {v:.4f}" for k, v in s.items()))
    print(f"encoder: {sig.encoded} texts in {sig.encode_seconds:.1f}s "
          f"({report['texts_per_second']}/s)")
    for row in report.get("tuning", []):
        print(f"  weight {row['weight']:.2f}  " + "  ".join(
            f"{k} {row[k]:.4f}" for k in ("MAP@1", "MAP@3", "MAP@5")))
    for row in report.get("thresholds", []):
        print(f"  best claim scoring >= {row['threshold']:.2f}: {row['share']:.1%} of tweets, "
              f"right for {row['precision']}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("claims", help="claim matching against CheckThat! 2020 task 2")
    p.add_argument("--checkthat", required=True, help="folder holding v3.zip")
    p.add_argument("--split", choices=("train", "dev"), default="dev")
    p.add_argument("--weight", type=float, help="embedding weight of the fusion "
                   "(default: the matcher's own, tuned on train)")
    p.add_argument("--tune", action="store_true", help="also score every fusion weight")
    p.add_argument("--drop-copies", action="store_true",
                   help="leave out claims repeating an earlier one word for word (an analysis: "
                   "the task is scored on the collection as shipped)")
    p.add_argument("--cache", help="an .npz to keep the claims' embeddings in between runs")
    add_scoring_arguments(p, what="tweets")
    p.set_defaults(func=run)
