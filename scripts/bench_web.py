"""Time each workbench page over a store (see scripts/build_bench_store.py): median of N runs.

    python scripts/bench_web.py /tmp/sayso_bench.db --runs 15     # or a postgresql:// URL

Requests go through FastAPI's TestClient (the whole app: routing, queries, templates), no
network. The target is 300 ms per page, on a first visit too: "new process" is the first request
in a process of its own (start-up not counted), "first" the first on a fresh app in this one,
"after save" the first once one more article was stored (which drops the aggregates the app
keeps), so each run adds one article (a copy of the newest) to the store.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from urllib.parse import quote

import httpx
from build_bench_store import copy_of
from fastapi.testclient import TestClient

from sayso.store import open_store
from sayso.web import create_app

TARGET_MS = 300
ORIGIN = "http://127.0.0.1"  # the workbench answers only to the host it is bound to


def pages(client: httpx.Client) -> dict[str, str]:
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


def in_new_process(db: str, url: str) -> float:
    """The first request in a process that has served nothing yet (see `--one`)."""
    out = subprocess.run([sys.executable, __file__, db, "--one", url], check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--one", metavar="URL", help="start an app, print one request's ms, exit")
    args = p.parse_args()
    if args.one:
        with TestClient(create_app(args.db), base_url=ORIGIN) as client:
            print(timed(client, args.one))
        return
    with TestClient(create_app(args.db), base_url=ORIGIN) as client:
        articles = client.get("/api/articles").json()["total"]
        urls = pages(client)
    cold = {name: in_new_process(args.db, url) for name, url in urls.items()}
    # a fresh app: no aggregate computed yet
    with TestClient(create_app(args.db), base_url=ORIGIN) as client:
        print(f"{articles} articles in {args.db}; the first request (in a new process, on a "
              f"fresh app, after a save), then the median of {args.runs} more")
        first = {name: timed(client, url) for name, url in urls.items()}
        times = {name: [timed(client, url) for _ in range(args.runs)]
                 for name, url in urls.items()}
        store_one_more(args.db, urls["article"].rpartition("/")[2])
        after = {name: timed(client, url) for name, url in urls.items()}
        print(f"{'page (ms)':<24} {'new process':>11} {'first':>6} {'after save':>10} "
              f"{'median':>7} {'max':>6}  ok")
        for name in urls:
            worst = max(cold[name], first[name], after[name], *times[name])
            print(f"{name:<24} {cold[name]:11.1f} {first[name]:6.1f} {after[name]:10.1f} "
                  f"{statistics.median(times[name]):7.1f} {max(times[name]):6.1f}  "
                  f"{'yes' if worst <= TARGET_MS else 'NO'}")


if __name__ == "__main__":
    main()
