"""`sayso eval extraction --data DIR`: article bodies from HTML against the ScrapingHub benchmark.

DIR holds `ground-truth.json` ({sha: {articleBody, url}}) and `html/SHA.html.gz`. Scores follow
the benchmark's own definition: per page, counts of matching word 4-gram shingles, normalised
so that every page weighs the same; precision and recall are page means, F1 their harmonic mean.
Pages that ingest refuses (not English, no body) count as empty output under "all pages", and
are left out under "accepted pages". Plain `trafilatura.extract` on the same pages is scored
beside it as the baseline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sayso.model import Document

_WORD = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter:
    words = _WORD.findall(text or "")
    starts = range(max(1, len(words) - SHINGLE + 1)) if words else ()
    return Counter(tuple(words[i : i + SHINGLE]) for i in starts)


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over word shingles of one page."""
    gold, got = shingles(true), shingles(pred)
    tp = sum((gold & got).values())
    fp = sum((got - gold).values())
    fn = sum((gold - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """The benchmark's page-averaged precision and recall, and F1 from them."""
    precision = statistics.mean(_ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0)
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall)}


def _ratio(tp: float, wrong: float, other: float) -> float:
    if wrong == other == 0:
        return 1.0
    return tp / (tp + wrong) if tp + wrong else 0.0


def sayso_body(html: str, url: str) -> str:
    from sayso.ingest import from_string

    doc = from_string(html, origin=url, url=url)
    return doc.article.text if isinstance(doc, Document) else ""


def trafilatura_body(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def run(args: argparse.Namespace) -> int:
    data = Path(args.data)
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    systems: dict[str, Callable[[str, str], str]] = {
        "sayso ingest": sayso_body,
        "trafilatura.extract": trafilatura_body,
    }
    counts: dict[str, list] = {name: [] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    accepted = []
    for key in keys:
        with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf-8",
                       errors="replace") as f:
            html = f.read()
        bodies = {}
        for name, extract in systems.items():
            start = time.perf_counter()
            bodies[name] = extract(html, truth[key]["url"])
            seconds[name] += time.perf_counter() - start
        accepted.append(bool(bodies["sayso ingest"]))
        for name, body in bodies.items():
            counts[name].append(page_counts(truth[key]["articleBody"], body))
    result = {
        subset: {
            name: scores([c for c, ok in zip(page, accepted, strict=True) if ok or keep_all])
            for name, page in counts.items()
        }
        for subset, keep_all in (("all pages", True), ("accepted pages", False))
    }
    ms_per_page = {name: round(1000 * t / len(keys), 1) for name, t in seconds.items()}
    summary = {"pages": len(keys), "accepted": sum(accepted), "ms_per_page": ms_per_page}
    print(json.dumps({**summary, **result}, indent=1))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "extraction", help="HTML article bodies against the ScrapingHub extraction benchmark"
    )
    p.add_argument("--data", default="../shared/data/article-extraction",
                   help="folder with ground-truth.json and html/*.html.gz")
    p.add_argument("--limit", type=int, help="score only the first N pages")
    p.set_defaults(func=run)
