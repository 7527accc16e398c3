"""Load the workbench over real HTTP while one client sends the worst searches it can build.

    python scripts/bench_web_load.py /tmp/sayso_bench.db --clients 20 --pause 0.5

Starts `uvicorn` on 127.0.0.1 (a free port) in a process of its own over the store (built by
scripts/build_bench_store.py), then runs `--clients` threads with httpx: one sends searches
built to be slow (1,000 repeats of a word, 1,000 distinct words, the words found in every
article or statement, a URL-long query) back to back; the others share a queue holding every
stored article's page and, between them, every other page in turn, each waiting `--pause`
seconds between its requests (0: back to back, which measures the server saturated: then each
request waits for the others' turns, and latency is clients times the mean cost). It ends
when the queue is empty or after `--limit` seconds, stops the server and prints, per page, the
count, p50, p95, max and server errors, and checks the targets: no response over 2 s, every
page but search under 300 ms at p95, no server error.
"""

from __future__ import annotations

import argparse
import itertools
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import quote

import httpx
from bench_web import pages

from sayso.store import open_store

MAX_MS, P95_MS = 2000, 300
ATTACKS = "worst searches"
SERVE = ("import sys, uvicorn; from sayso.web import create_app; "
         "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), "
         "log_level='warning')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-c", SERVE, db, str(port)])
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise SystemExit("the workbench did not start")


def common_words(texts: list[str], n: int) -> list[str]:
    """The `n` words found in the most texts: every hit matches, so every hit is ranked and
    given a snippet."""
    seen = Counter(w for t in texts for w in {m.lower() for m in re.findall(r"\w+", t)})
    return [w for w, _ in seen.most_common(n)]


def worst_searches(db: str) -> list[str]:
    with open_store(db) as store:
        sample = [store.load(r["id"]) for r in store.list_articles(limit=50)]
    bodies = [a.article.text for a in sample if a]
    statements = [s.content.text for a in sample if a for s in a.attributions]
    every = common_words(bodies, 16)
    queries = [
        "said " * 1000,
        " ".join(f"word{i}" for i in range(1000)),
        " ".join(every),
        " ".join(common_words(statements, 16)),
        " ".join(itertools.islice(itertools.cycle(every), 1500)),  # 8 KB of the commonest words
        " ".join(every[:15] + ["x" * 60]),
    ]
    return [f"{path}?q={quote(q)}" for q in queries for path in ("/search", "/api/search")]


def work(db: str, client: httpx.Client) -> list[tuple[str, str]]:
    """(page, URL) pairs: every stored article's page, and between them the other pages."""
    with open_store(db) as store:
        ids = [r["id"] for r in store.list_articles()]
    others = [(name, url) for name, url in pages(client).items() if name != "article"]
    others.append(("articles list, last page", f"/?page={-(-len(ids) // 50)}"))
    mixed = []
    for article_id, other in zip(ids, itertools.cycle(others)):
        mixed += [("article", f"/articles/{article_id}"), other]
    return mixed


class Recorder:
    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()
        self.lock = threading.Lock()

    def get(self, client: httpx.Client, name: str, url: str) -> None:
        start = time.perf_counter()
        try:
            status = client.get(url).status_code
        except httpx.HTTPError:
            status = 0  # no answer within the client's timeout
        ms = 1000 * (time.perf_counter() - start)
        with self.lock:
            self.ms[name].append(ms)
            if status != 200:
                self.errors[name, status] += 1


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--pause", type=float, default=0.0,
                   help="seconds each browsing client waits between its requests")
    p.add_argument("--limit", type=float, default=150, help="seconds of load at most")
    args = p.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    attacks = worst_searches(args.db)
    server = start_server(args.db, port)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            todo: queue.Queue[tuple[str, str]] = queue.Queue()
            for item in work(args.db, client):
                todo.put(item)
        total = todo.qsize()
        record, done = Recorder(), threading.Event()
        deadline = time.monotonic() + args.limit

        def browse() -> None:
            with httpx.Client(base_url=base, timeout=10) as client:
                while time.monotonic() < deadline:
                    try:
                        name, url = todo.get_nowait()
                    except queue.Empty:
                        return
                    record.get(client, name, url)
                    time.sleep(args.pause)

        def attack() -> None:
            with httpx.Client(base_url=base, timeout=10) as client:
                for url in itertools.cycle(attacks):
                    if done.is_set() or time.monotonic() > deadline:
                        return
                    record.get(client, ATTACKS, url)

        start = time.perf_counter()
        attacker = threading.Thread(target=attack)
        browsers = [threading.Thread(target=browse) for _ in range(args.clients - 1)]
        for t in [attacker, *browsers]:
            t.start()
        for t in browsers:
            t.join()
        done.set()
        attacker.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(record, args, total, elapsed)


def p95(ms: list[float]) -> float:
    return statistics.quantiles(ms, n=20)[-1] if len(ms) > 1 else ms[0]


def report(record: Recorder, args: argparse.Namespace, total: int, elapsed: float) -> None:
    with open_store(args.db) as store:
        articles = store.count_articles()
    served = sum(len(ms) for name, ms in record.ms.items() if name != ATTACKS)
    print(f"{articles} articles in {args.db}; {args.clients} clients (1 sending worst searches, "
          f"the others pausing {args.pause} s) for {elapsed:.1f} s: {served} of {total} queued "
          "pages served, "
          f"{len(record.ms[ATTACKS])} worst searches")
    print(f"{'page (ms)':<26} {'n':>5} {'p50':>6} {'p95':>6} {'max':>6} {'errors':>6}")
    for name, ms in sorted(record.ms.items()):
        errors = sum(n for (page, _), n in record.errors.items() if page == name)
        print(f"{name:<26} {len(ms):5} {statistics.median(ms):6.0f} {p95(ms):6.0f} "
              f"{max(ms):6.0f} {errors:6}")
    worst = max(max(ms) for ms in record.ms.values())
    slow = [name for name, ms in record.ms.items() if name != ATTACKS and p95(ms) > P95_MS]
    failed = {f"{page} {status or 'no answer'}": n for (page, status), n in record.errors.items()}
    print(f"slowest response {worst:.0f} ms (target {MAX_MS}): {'ok' if worst <= MAX_MS else 'NO'}")
    print(f"pages over {P95_MS} ms at p95: {', '.join(slow) or 'none'}")
    print(f"non-200 answers: {failed or 'none'}")
    print(f"every queued page served: {'yes' if served == total else 'NO'}")


if __name__ == "__main__":
    main()
