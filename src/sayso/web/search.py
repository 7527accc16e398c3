"""Full-text search, bounded so that no query can hold the workbench up.

A query's cost grows with its terms (1,000 repeats of one word once took minutes and held the
store's one connection, so every other page waited). Here a query keeps only its distinct words,
at most `search_terms` of them; it runs on connections of its own, in a worker thread, off the
event loop and off the lock other pages share; both its statements together get
`search_seconds`; and it is stopped when its client leaves.
"""

from __future__ import annotations

import asyncio
import queue
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sayso.store import Store
from sayso.store.core import SEARCH_TARGETS
from sayso.store.dialect import Dialect
from sayso.web.views import SETTINGS

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """Free text as the words searched for, and how many distinct ones were left out."""

    q: str
    terms: tuple[str, ...]
    dropped: int


def parse(q: str) -> Query:
    """The distinct words of `q` (repeats matched case-insensitively, the first spelling kept),
    the first `search_terms` of them; words longer than `search_term_chars` match nothing
    worth the cost and are dropped too."""
    distinct: dict[str, str] = {}
    for word in WORD.findall(q):
        distinct.setdefault(word.lower(), word)
    usable = [w for w in distinct.values() if len(w) <= SETTINGS["search_term_chars"]]
    terms = tuple(usable[:SETTINGS["search_terms"]])
    return Query(q, terms, len(distinct) - len(terms))


class Job:
    """One search, as the event loop can stop it: `cancel` sets `cancelled` (which SQLite's
    progress handler watches) and cancels the statement running on the connection it holds
    (PostgreSQL), never one a later search runs on the same connection."""

    def __init__(self, dialect: Dialect) -> None:
        self.cancelled = threading.Event()
        self._dialect = dialect
        self._store: Store | None = None
        self._lock = threading.Lock()

    @contextmanager
    def holding(self, store: Store) -> Iterator[None]:
        with self._lock:
            self._store = store
        try:
            yield
        finally:
            with self._lock:
                self._store = None

    def cancel(self) -> None:
        self.cancelled.set()
        with self._lock:
            if self._store is not None:
                self._dialect.cancel(self._store.conn)


async def _client_left(request: Request) -> None:
    """Returns once the client has closed its connection (the request body is read by then)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class Searcher:
    """Searches on a small pool of connections of their own (SQLite in WAL mode and PostgreSQL
    both read in parallel), each a `Job` bounded in terms and time."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pool: queue.Queue[Store] = queue.Queue()
        for _ in range(SETTINGS["search_connections"]):
            self._pool.put(Store(store.dialect.connect(store.location), store.dialect,
                                 store.location))

    def close(self) -> None:
        while not self._pool.empty():
            self._pool.get_nowait().close()

    async def search(self, request: Request, q: str) -> dict:
        """The search page's data, computed in a worker thread; stopped if the client leaves."""
        query, job = parse(q), Job(self._store.dialect)
        work = asyncio.ensure_future(run_in_threadpool(self.run, query, job))
        gone = asyncio.ensure_future(_client_left(request))
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if not work.done():
            await run_in_threadpool(job.cancel)
        return await work

    def run(self, query: Query, job: Job) -> dict:
        """Hits per target; `incomplete` names the targets that ran out of time (or whose
        client left), waiting for a free connection included."""
        deadline = time.monotonic() + SETTINGS["search_seconds"]
        hits: dict[str, list[dict[str, Any]]] = {t: [] for t in SEARCH_TARGETS}
        incomplete: list[str] = []
        if query.terms:
            try:
                store = self._pool.get(timeout=SETTINGS["search_seconds"])
            except queue.Empty:
                incomplete = list(SEARCH_TARGETS)
            else:
                try:
                    with job.holding(store):
                        incomplete = [t for t in SEARCH_TARGETS
                                      if not self._one(store, query, t, deadline, job, hits)]
                finally:
                    self._pool.put(store)
        return {"q": query.q, "terms": list(query.terms), "dropped": query.dropped,
                "max_terms": SETTINGS["search_terms"], "incomplete": incomplete, **hits}

    @staticmethod
    def _one(store: Store, query: Query, target: str, deadline: float, job: Job,
             hits: dict[str, list[dict[str, Any]]]) -> bool:
        """Fill `hits[target]` within the time left; False when it could not be done."""
        left = deadline - time.monotonic()
        if left <= 0 or job.cancelled.is_set():
            return False
        try:
            with store.dialect.time_limit(store.conn, left, job.cancelled):
                hits[target] = store.search(" ".join(query.terms), target,
                                            SETTINGS["search_rows"])
        except store.dialect.error as err:
            if not store.dialect.interrupted(err):
                raise
            return False
        return True
