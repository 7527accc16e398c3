"""Time each workbench page over a store (see scripts/build_bench_store.py): median of N runs.

    python scripts/bench_web.py /tmp/sayso_bench.db --runs 15     # or a postgresql:// URL

Requests go through FastAPI's TestClient (the whole app: routing, queries, templates), no
network. The target is 300 ms per page, on a first visit too: "first" is the first request on a
freshly started app, "after save" the first once one more article was stored (which drops the
aggregates the app keeps), so each run adds one article (a copy of the newest) to the store.
"""

from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import quote

from build_bench_store import copy_of
from fastapi.testclient import TestClient

from sayso.store import open_store
from sayso.web import create_app

TARGET_MS = 300


def pages(client: TestClient) -> dict[str, str]:
    """One URL per page kind, on the store's newest article and busiest speaker and event type."""
    article = client.get("/api/articles").json()["articles"][0]["id"]
    voices = client.get("/api/voices").json()
    speaker = next(s["entity_key"] for s in voices["by_speaker"] if s["entity_key"])
    event_type = client.get("/api/events").json()["choices"]["type"][0]
    return {
        "articles list": "/",
        "article": f"/articles/{article}",
        "article API": f"/api/articles/{article}",
        "voices (one article)": f"/voices?article={article}",
        "voices (corpus)": "/voices",
        "voices API (corpus)": "/api/voices",
        "entity": f"/entities/{quote(speaker)}",
        "events": "/events",
        "events (filtered)": f"/events?type={event_type}",
        "events API": "/api/events",
        "search": "/search?q=minister+said",
        "search API": "/api/search?q=libraries",
    }


def timed(client: TestClient, url: str) -> float:
    start = time.perf_counter()
    assert client.get(url).status_code == 200, url
    return 1000 * (time.perf_counter() - start)


def store_one_more(db: str, article_id: str) -> None:
    """Save a new copy of an article, as ingest would while the workbench is open."""
    with open_store(db) as store:
        analysis = store.load(article_id)
        store.save(copy_of(analysis, store.count_articles()))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db")
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args()
    with TestClient(create_app(args.db)) as client:
        articles = client.get("/api/articles").json()["total"]
        urls = pages(client)
    with TestClient(create_app(args.db)) as client:  # a fresh app: no aggregate computed yet
        print(f"{articles} articles in {args.db}; the first request on a fresh app (corpus "
              f"aggregates computed), then the median of {args.runs} more")
        first = {name: timed(client, url) for name, url in urls.items()}
        times = {name: [timed(client, url) for _ in range(args.runs)]
                 for name, url in urls.items()}
        store_one_more(args.db, urls["article"].rpartition("/")[2])
        after = {name: timed(client, url) for name, url in urls.items()}
        print(f"{'page':<24} {'first ms':>9} {'after save':>10} {'median ms':>10} {'max ms':>8}"
              "  ok")
        for name in urls:
            worst = max(first[name], after[name], *times[name])
            print(f"{name:<24} {first[name]:9.1f} {after[name]:10.1f} "
                  f"{statistics.median(times[name]):10.1f} {max(times[name]):8.1f}  "
                  f"{'yes' if worst <= TARGET_MS else 'NO'}")


if __name__ == "__main__":
    main()
