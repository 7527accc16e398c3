"""Time each workbench page over a store (see scripts/build_bench_store.py): median of N runs.

    python scripts/bench_web.py /tmp/sayso_bench.db --runs 15     # or a postgresql:// URL

Requests go through FastAPI's TestClient (the whole app: routing, queries, templates), no
network. The target is 300 ms per page. Corpus-wide aggregates are kept by the app until the
store grows, so "first" is what a visit right after new articles were stored costs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import quote

from fastapi.testclient import TestClient

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
        print(f"{'page':<24} {'first ms':>9} {'median ms':>10} {'max ms':>8}  ok")
        for name, url in urls.items():
            start = time.perf_counter()
            assert client.get(url).status_code == 200, url
            first = 1000 * (time.perf_counter() - start)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append(1000 * (time.perf_counter() - start))
            median = statistics.median(times)
            print(f"{name:<24} {first:9.1f} {median:10.1f} {max(times):8.1f}  "
                  f"{'yes' if median <= TARGET_MS else 'NO'}")


if __name__ == "__main__":
    main()
