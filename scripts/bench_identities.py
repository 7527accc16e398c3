"""Cost of the work across articles (identities and stories) per 1,000 articles added.

Reuses a store that `sayso analyze` filled (e.g. the VOA one: `sayso analyze
../shared/data/voa/voa_stories.jsonl --db /tmp/voa.db`): its analyses are loaded once, then saved
into fresh stores, with and without the linking step, repeated until `--articles` have been
saved (copies get new ids, so a store of thousands grows from a few real articles, and the
candidates each story lookup compares against grow with it). Prints milliseconds per article
for saving alone and for saving with linking, and the difference per 1,000 articles.

    .venv/bin/python scripts/bench_identities.py --db /tmp/voa.db --articles 1000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sayso.model import Analysis
from sayso.store import open_store


def _copies(analyses: list[Analysis], n: int) -> list[Analysis]:
    """`n` analyses cycling through the given ones, each copy under its own article id."""
    out = []
    for i in range(n):
        a = analyses[i % len(analyses)]
        round_ = i // len(analyses)
        out.append(replace(a, article=replace(a.article, id=f"{a.article.id[:10]}{round_:06d}"))
                   if round_ else a)
    return out


def _save_all(analyses: list[Analysis], path: Path, link: bool) -> float:
    import sayso.store.identities as identities

    original = identities.link_across
    if not link:
        identities.link_across = lambda *args: None
    try:
        with open_store(path) as store:
            start = time.perf_counter()
            for a in analyses:
                store.save(a)
            return time.perf_counter() - start
    finally:
        identities.link_across = original


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="a store `sayso analyze` filled")
    p.add_argument("--articles", type=int, default=1000, help="articles to add")
    args = p.parse_args()
    with open_store(args.db, create=False) as source:
        analyses = list(source.iter_analyses())
    analyses.sort(key=lambda a: (a.article.published or "", a.article.id))
    batch = _copies(analyses, args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        plain = _save_all(batch, Path(tmp) / "plain.db", link=False)
        linked = _save_all(batch, Path(tmp) / "linked.db", link=True)
    n = len(batch)
    print(json.dumps({
        "articles": n, "distinct_articles": len(analyses),
        "save_ms_per_article": round(1000 * plain / n, 2),
        "save_and_link_ms_per_article": round(1000 * linked / n, 2),
        "linking_seconds_per_1000_articles": round(1000 * (linked - plain) / n, 2),
    }))


if __name__ == "__main__":
    main()
