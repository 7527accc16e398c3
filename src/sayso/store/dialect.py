"""What differs between SQLite and PostgreSQL, in one place so every other query is written once.

Queries elsewhere use `?` placeholders and SQL both databases accept; a dialect rewrites the
placeholders, fills the type names in migration files, opens connections, runs transactions and
holds the few statements that have no common spelling (full-text search, the migration lock).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template
from typing import Any, ClassVar

from sayso.store.query import Group, parse, to_fts5, to_tsquery

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
PROGRESS_STEPS = 1000


class Dialect:
    """The SQLite spelling; `PostgresDialect` overrides what PostgreSQL spells differently."""

    name: ClassVar[str] = "sqlite"
    placeholder: ClassVar[str] = "?"
    types: ClassVar[dict[str, str]] = {"real": "REAL", "serial": "INTEGER PRIMARY KEY",
                                       "blob": "BLOB"}
    migration_lock: ClassVar[str | None] = None  # BEGIN IMMEDIATE already serialises writers
    # Full-text search, per target: the FROM clause and match condition (its one `?` the
    # expression of `match`), the snippet with matched words in [brackets], the ranking.
    search_match: ClassVar[dict[str, dict[str, str]]] = {
        "articles": {
            "from": "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid",
            "where": "articles_fts MATCH ?",
            "snippet": "snippet(articles_fts, 1, '[', ']', ' … ', 20)",
            "rank": "rank"},
        "statements": {
            "from": "attributions_fts JOIN attributions s ON s.rowid = attributions_fts.rowid",
            "where": "attributions_fts MATCH ?",
            "snippet": "highlight(attributions_fts, 0, '[', ']')",
            "rank": "rank"},
    }

    def connect(self, location: str) -> Any:
        """A connection in autocommit mode: transactions are opened explicitly by `transaction`."""
        conn = sqlite3.connect(location, isolation_level=None, timeout=60, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL survives a killed process
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def may_hold_store(self, location: str) -> bool:
        """Whether a store can be at `location` without creating one: connecting to a SQLite
        path that does not exist would create the file."""
        return Path(location).exists()

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """All or nothing; IMMEDIATE takes the write lock first, so two writers queue, not fail."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def error(self) -> type[Exception]:
        """The driver's base exception class."""
        return sqlite3.Error

    def sql(self, query: str) -> str:
        return query

    def ddl(self, script: str) -> str:
        """A migration script with its `$type` names spelled for this database."""
        return Template(script).substitute(self.types)

    def match(self, groups: tuple[Group, ...]) -> str:
        """A parsed query (sayso.store.query) as this database's full-text expression."""
        return to_fts5(groups)

    def search_query(self, text: str) -> str:
        """Free text in the workbench's search syntax as this database's expression."""
        return self.match(parse(text).groups)

    @property
    def search_sql(self) -> dict[str, str]:
        """Each target's hits, best first and unfiltered, taking (expression, limit)."""
        from sayso.store.search import Filters, statement

        return {target: statement(self, "hits", target, "", Filters())[0] + " LIMIT ?"
                for target in self.search_match}

    @contextmanager
    def time_limit(self, conn: Any, seconds: float, cancelled: threading.Event) -> Iterator[None]:
        """Statements run here stop once `seconds` have passed or `cancelled` is set (a search's
        budget, its client gone): a progress handler checks both every thousand VM steps."""
        deadline = time.monotonic() + seconds
        conn.set_progress_handler(
            lambda: cancelled.is_set() or time.monotonic() > deadline, PROGRESS_STEPS)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)

    def cancel(self, conn: Any) -> None:
        """Stop the statement running on `conn` now; nothing to do on SQLite, whose progress
        handler (`time_limit`) watches the `cancelled` event itself."""

    def interrupted(self, err: Exception) -> bool:
        """Whether `err` is a statement stopped by `time_limit` or `cancel`."""
        return isinstance(err, sqlite3.OperationalError) and str(err) == "interrupted"


class PostgresDialect(Dialect):
    name = "postgresql"
    placeholder = "%s"
    types = {"real": "DOUBLE PRECISION", "serial": "BIGINT GENERATED BY DEFAULT AS IDENTITY",
             "blob": "BYTEA"}
    migration_lock = "SELECT pg_advisory_xact_lock(hashtext('sayso.store.migrate'))"
    search_match = {
        "articles": {
            "from": "articles a CROSS JOIN to_tsquery('english', sayso_fold(?)) AS q",
            "where": "a.search @@ q",
            "snippet": "ts_headline('english', a.text, q, 'MaxFragments=1, MaxWords=24, "
                       "MinWords=10, StartSel=[, StopSel=]')",
            "rank": "ts_rank(a.search, q) DESC"},
        "statements": {
            "from": "attributions s CROSS JOIN to_tsquery('english', sayso_fold(?)) AS q",
            "where": "s.search @@ q",
            "snippet": "ts_headline('english', s.content_text, q, "
                       "'HighlightAll=true, StartSel=[, StopSel=]')",
            "rank": "ts_rank(s.search, q) DESC"},
    }

    def connect(self, location: str) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(location, autocommit=True, row_factory=dict_row)

    def may_hold_store(self, location: str) -> bool:
        return True  # a server database: whether it holds a store, only connecting tells

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        with conn.transaction():
            yield

    @property
    def error(self) -> type[Exception]:
        import psycopg

        return psycopg.Error

    def sql(self, query: str) -> str:
        return query.replace("?", self.placeholder)

    def match(self, groups: tuple[Group, ...]) -> str:
        return to_tsquery(groups)

    @contextmanager
    def time_limit(self, conn: Any, seconds: float, cancelled: threading.Event) -> Iterator[None]:
        """A transaction whose statements time out after `seconds` (SET LOCAL statement_timeout,
        which ends with it); `cancel` stops one sooner."""
        with conn.transaction():
            conn.execute("SELECT set_config('statement_timeout', %s, true)",
                         (str(max(1, round(seconds * 1000))),))
            yield

    def cancel(self, conn: Any) -> None:
        conn.cancel_safe()

    def interrupted(self, err: Exception) -> bool:
        import psycopg.errors

        return isinstance(err, psycopg.errors.QueryCanceled)


def dialect_for(location: str) -> Dialect:
    """PostgreSQL for `postgresql://` URLs, SQLite for anything else (a file path)."""
    return PostgresDialect() if location.startswith(POSTGRES_SCHEMES) else Dialect()
