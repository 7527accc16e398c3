"""Full-text search, counted, paged and filtered, bounded so that no query can hold the
workbench up.

A query is read once (sayso.store.query: phrases, OR, NOT, prefixes and `by:` mean the same on
SQLite and PostgreSQL) and searched in two targets, articles and statements, each counted and a
page of it fetched; statements also bring the speakers whose names the query's words make up
("said by" as well as "mentions"). A query's cost grows with its terms (1,000 repeats of one
word once took minutes and held the store's one connection, so every other page waited). Here a
query keeps only its distinct words, at most `search_terms` of them; it runs on connections of
its own, in a worker thread, off the event loop and off the lock other pages share; all its
statements together get `search_seconds`; and it is stopped when its client leaves. A CSV
download pages through a whole list, each page with that budget.
"""

from __future__ import annotations

import asyncio
import csv
import io
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sayso.store import Store
from sayso.store import query as syntax
from sayso.store import search as sql
from sayso.store.core import SEARCH_TARGETS
from sayso.store.dialect import Dialect
from sayso.web.views import KINDS, SETTINGS, entity_key

Section = Literal["statements", "articles", "speakers"]
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("article_id", "title", "published", "site", "attribution_id", "kind",
                   "speaker", "speaker_country", "source_text", "content", "confidence"),
    "articles": ("article_id", "title", "published", "site", "url"),
    "speakers": ("name", "country", "statements"),
}
CSV_CHUNK = 500  # rows fetched per bounded statement while a download streams
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
DATE = r"^(\d{4}-\d{2}-\d{2})?$"
# Past the last page is an empty page; past this, a 422 rather than an offset SQLite can't hold.
Page = Annotated[int, Query(ge=1, le=SETTINGS["max_page"])]


def parse(q: str) -> syntax.Parsed:
    """`q` in the search syntax, within the workbench's term budget: its first `search_terms`
    distinct words, none over `search_term_chars` (the others are counted in `dropped`)."""
    return syntax.parse(q, SETTINGS["search_terms"], SETTINGS["search_term_chars"])


@dataclass(frozen=True)
class Params:
    """Everything a search page shows, as its URL holds it (so the URL is the permalink)."""

    q: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    kind: str = ""
    speaker: str = ""
    statements_page: int = 1
    articles_page: int = 1

    def url(self, path: str = "/search", section: str = "", **changes: Any) -> str:
        """This search's URL at `path`, with `changes` (and a CSV download's `section`); empty
        fields and first pages are left out."""
        fields = {**asdict(replace(self, **changes)), "section": section}
        kept = {k: v for k, v in fields.items()
                if v != "" and not (k.endswith("_page") and v == 1)}
        return f"{path}?{urlencode(kept)}" if kept else path

    def filters(self, parsed: syntax.Parsed) -> sql.Filters:
        """The store's filters: the form's, with the query's `by:` words joined to `speaker`."""
        speaker = " ".join(w for w in (self.speaker, parsed.speaker or "") if w)
        return sql.Filters(self.outlet or None, self.since or None, self.until or None,
                           self.kind or None, speaker or None)

    def page(self, target: str) -> int:
        return self.statements_page if target == "statements" else self.articles_page


def search_params(q: str = "", outlet: str = "",
                  since: Annotated[str, Query(pattern=DATE, description="YYYY-MM-DD")] = "",
                  until: Annotated[str, Query(pattern=DATE, description="YYYY-MM-DD")] = "",
                  kind: Annotated[str, Query(pattern=f"^({'|'.join(KINDS)})?$")] = "",
                  speaker: str = "", statements_page: Page = 1, articles_page: Page = 1) -> Params:
    """The search's query parameters (a FastAPI dependency, shared by the page, the API and the
    CSV download): `q` in the search syntax, filters by outlet, dates (both included), kind and
    speaker (words of the resolved speaker's name), and a page per target."""
    return Params(q, outlet, since, until, kind, speaker, statements_page, articles_page)


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


def _statement_hit(row: dict) -> dict:
    """A statement hit with its speaker's entity key (None while the speaker is unresolved)."""
    return {**row, "speaker_key": entity_key(row["speaker"], row["speaker_country"])
            if row["speaker"] else None}


def _csv_cell(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would run as a formula gets a leading `'`
    (article text is untrusted)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _drain(out: io.StringIO) -> str:
    """What was written to `out` since the last drain."""
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


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

    async def search(self, request: Request, params: Params) -> dict:
        """The search page's data, computed in a worker thread; stopped if the client leaves."""
        job = Job(self._store.dialect)
        work = asyncio.ensure_future(run_in_threadpool(self.run, params, job))
        gone = asyncio.ensure_future(_client_left(request))
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if not work.done():
            await run_in_threadpool(job.cancel)
        return await work

    @contextmanager
    def _connection(self, job: Job) -> Iterator[Store | None]:
        """A pooled connection held by `job`, or None when none came free within the budget."""
        try:
            store = self._pool.get(timeout=SETTINGS["search_seconds"])
        except queue.Empty:
            yield None
            return
        try:
            with job.holding(store):
                yield store
        finally:
            self._pool.put(store)

    @staticmethod
    def _bounded(store: Store, deadline: float, job: Job, work: Callable[[], Any]) -> Any:
        """`work()` within the time left; None when it could not be done in it."""
        left = deadline - time.monotonic()
        if left <= 0 or job.cancelled.is_set():
            return None
        try:
            with store.dialect.time_limit(store.conn, left, job.cancelled):
                return work()
        except store.dialect.error as err:
            if not store.dialect.interrupted(err):
                raise
            return None

    def run(self, params: Params, job: Job) -> dict:
        """Each target's total, page and hits, and the outlets to filter by; `incomplete` names
        the targets that ran out of time (or whose client left), waiting for a free connection
        included."""
        deadline = time.monotonic() + SETTINGS["search_seconds"]
        parsed = parse(params.q)
        filters = params.filters(parsed)
        match = self._store.dialect.match(parsed.groups) if parsed.groups else None
        size = SETTINGS["search_rows"]
        found: dict[str, dict | None] = {t: None for t in SEARCH_TARGETS}
        asked = [t for t in SEARCH_TARGETS if self._asked(t, match, filters)]
        outlets = None
        with self._connection(job) as store:
            if store is not None:
                outlets = self._bounded(store, deadline, job, lambda: sql.outlets(store))
                for target in asked:
                    found[target] = self._bounded(store, deadline, job, lambda t=target: (
                        self._target(store, t, match, parsed, filters, params.page(t), size)))
        data: dict[str, Any] = {
            "q": params.q, "terms": list(parsed.terms), "dropped": parsed.dropped,
            "max_terms": SETTINGS["search_terms"], "speaker": filters.speaker,
            "filters": asdict(filters), "page_size": size,
            "searched": asked, "incomplete": [t for t in asked if found[t] is None],
            "permalink": params.url(), "outlets": outlets or [], "totals": {}, "pages": {},
            "speakers": (found["statements"] or {}).get("speakers", [])}
        for target in SEARCH_TARGETS:
            result = found[target] or {}
            data[target] = result.get("hits", [])
            data["totals"][target] = result.get("total", 0 if target not in asked else None)
            data["pages"][target] = {"page": params.page(target), "pages": max(
                1, -(-(data["totals"][target] or 0) // size))}
        return data

    @staticmethod
    def _asked(target: str, match: str | None, filters: sql.Filters) -> bool:
        """Whether a target is searched: articles for words, statements for words or any
        filter (a speaker's statements, or an outlet's of one kind, need no words)."""
        return match is not None or (target == "statements" and any(asdict(filters).values()))

    @staticmethod
    def _target(store: Store, target: str, match: str | None, parsed: syntax.Parsed,
                filters: sql.Filters, page: int, size: int) -> dict:
        """One target's total and page of hits; for statements, also the speakers the query's
        words may name (unless a speaker is already asked for)."""
        result: dict[str, Any] = {
            "total": sql.count(store, target, match, filters),
            "hits": sql.hits(store, target, match, filters, size, (page - 1) * size)}
        if target == "statements":
            result["hits"] = [_statement_hit(h) for h in result["hits"]]
            words = () if filters.speaker else parsed.positive_words()
            result["speakers"] = [
                {**r, "key": entity_key(r["name"], r["country"])}
                for r in sql.speakers(store, words, filters, SETTINGS["top_speakers"])]
        return result

    def csv(self, params: Params, section: Section) -> Iterator[str]:
        """The whole list `section` of a search as CSV lines, fetched `CSV_CHUNK` rows at a
        time, each chunk its own bounded statement (one running out of time ends the file)."""
        parsed = parse(params.q)
        filters = params.filters(parsed)
        match = self._store.dialect.match(parsed.groups) if parsed.groups else None
        target = "statements" if section == "speakers" else section
        out = io.StringIO()
        writer = csv.DictWriter(out, CSV_COLUMNS[section], extrasaction="ignore")
        writer.writeheader()
        offset, more = 0, self._asked(target, match, filters)
        while more:
            rows = self._chunk(section, match, parsed, filters, offset)
            for row in rows or ():
                writer.writerow({k: _csv_cell(v) for k, v in row.items()})
            yield _drain(out)
            offset += CSV_CHUNK
            more = rows is not None and len(rows) == CSV_CHUNK and section != "speakers"
        yield _drain(out)

    def _chunk(self, section: Section, match: str | None, parsed: syntax.Parsed,
               filters: sql.Filters, offset: int) -> list[dict] | None:
        job = Job(self._store.dialect)
        deadline = time.monotonic() + SETTINGS["search_seconds"]
        with self._connection(job) as store:
            if store is None:
                return None
            if section == "speakers":
                words = () if filters.speaker else parsed.positive_words()
                return self._bounded(store, deadline, job, lambda: sql.speakers(
                    store, words, filters, SETTINGS["top_speakers"]))
            return self._bounded(store, deadline, job, lambda: sql.hits(
                store, section, match, filters, CSV_CHUNK, offset))
