"""The Store: analyses saved and loaded whole, one transaction per article, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sayso.model import Analysis, IngestError
from sayso.store.dialect import Dialect, dialect_for
from sayso.store.migrate import migrate, stored_version
from sayso.store.records import (
    RECORD_COLUMNS,
    Row,
    analysis_from_rows,
    article_row,
    record_columns,
    table_rows,
)
from sayso.store.voices import load_voices, voice_rows
from sayso.store.workbench import TOTALS_CONFLICT, WorkbenchQueries, total_rows

SEARCH_TARGETS = ("articles", "statements")
ACROSS_VERSION = 11  # the migration that adds identities and stories


def link_across(store: Store, cur: Any, analysis: Analysis) -> None:
    """Identities and story of a saved article (sayso.store.identities), imported when first
    needed: it loads spaCy's lexicons, which reading a store never needs."""
    from sayso.store.identities import link_across as link

    link(store, cur, analysis)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _storable(text: str) -> str:
    """Text both databases accept: surrogates (undecodable bytes of a file name, or lone halves
    from a JSON escape) as backslash escapes, NUL (which PostgreSQL refuses) as U+FFFD."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\ufffd")


class Store(WorkbenchQueries):
    """A ledger of analysed articles; queries written once, spelled per database by `dialect`."""

    def __init__(self, conn: Any, dialect: Dialect, location: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self.location = location

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _rows(self, query: str, params: tuple = ()) -> list[Row]:
        return [dict(r) for r in self.conn.execute(self.dialect.sql(query), params).fetchall()]

    def _insert(self, cur: Any, table: str, rows: list[Row], on_conflict: str = "") -> int:
        """Insert rows (all with the same keys); returns how many were written."""
        if not rows:
            return 0
        cols = list(rows[0])
        query = (f"INSERT INTO {table} ({', '.join(cols)}) "
                 f"VALUES ({', '.join('?' * len(cols))}) {on_conflict}")
        cur.executemany(self.dialect.sql(query), [tuple(r[c] for c in cols) for r in rows])
        return cur.rowcount

    def has_article(self, article_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def save(self, analysis: Analysis) -> bool:
        """Store an analysis with all its records, or nothing; False when it was already stored."""
        from sayso import __version__

        with self.dialect.transaction(self.conn):
            cur = self.conn.cursor()
            row = article_row(analysis.article, __version__, _now())
            if not self._insert(cur, "articles", [row], "ON CONFLICT (id) DO NOTHING"):
                return False
            for table, rows in [*table_rows(analysis), *voice_rows(analysis)]:
                self._insert(cur, table, rows)
            for table, rows in total_rows(analysis):
                self._insert(cur, table, rows, TOTALS_CONFLICT[table])
            if self.links_across:
                link_across(self, cur, analysis)
        return True

    @cached_property
    def links_across(self) -> bool:
        """Whether this store holds the tables of the work across articles (identities,
        stories: migration 0011); one handed an older store's connection does not."""
        return (stored_version(self.conn, self.dialect) or 0) >= ACROSS_VERSION

    def record_error(self, error: IngestError) -> None:
        """Keep an ingest error; the same input failing the same way again updates its record.

        The stage and exception type go in front of the message (the table predates them), and
        every field is made storable first: an error about a file whose name is not UTF-8, or
        about text with lone surrogates or NUL characters, must never be what stops a batch.
        """
        message = f"{error.exception}: {error.message}" if error.exception else error.message
        message = f"[{error.stage}] {message}" if error.stage else message
        row = {"origin": _storable(error.origin), "error": _storable(error.error),
               "message": _storable(message), "time": _now(),
               "stage": _storable(error.stage) if error.stage else None,
               "exception": _storable(error.exception) if error.exception else None}
        with self.dialect.transaction(self.conn):
            self._insert(self.conn.cursor(), "errors", [row],
                         "ON CONFLICT (origin, error) DO UPDATE SET message = excluded.message, "
                         "time = excluded.time, stage = excluded.stage, "
                         "exception = excluded.exception")

    def errors(self) -> list[Row]:
        return self._rows("SELECT origin, error, message, time, stage, exception FROM errors "
                          "ORDER BY time, origin")

    def load(self, article_id: str) -> Analysis | None:
        articles = self._rows("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not articles:
            return None
        records = {table: self._rows(f"SELECT {record_columns(table)} FROM {table} "
                                     "WHERE article_id = ? ORDER BY seq", (article_id,))
                   for table in RECORD_COLUMNS}
        return load_voices(self, analysis_from_rows(articles[0], records))

    def list_articles(self, limit: int | None = None, offset: int = 0) -> list[Row]:
        """Every stored article's metadata and statement count, newest first (or a page of)."""
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        return self._rows(
            "SELECT a.id, a.title, a.published, a.site, a.url, a.language, a.sayso_version, "
            "a.analyzed_at, (SELECT count(*) FROM attributions s WHERE s.article_id = a.id) "
            f"AS statements FROM articles a ORDER BY a.published DESC NULLS LAST, a.id{page}",
            (limit, offset) if limit is not None else (),
        )

    def count_articles(self) -> int:
        return self._rows("SELECT count(*) AS n FROM articles")[0]["n"]

    def iter_analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, in `list_articles` order, loaded one at a time."""
        for row in self.list_articles():
            analysis = self.load(row["id"])
            if analysis is not None:  # deleted by another process meanwhile
                yield analysis

    def search(self, text: str, target: str = "articles", limit: int = 20) -> list[Row]:
        """Full-text search over article bodies ("articles") or statement contents ("statements").

        Hits come best first, each with a `snippet` where matched words are in [brackets].
        """
        if target not in SEARCH_TARGETS:
            raise ValueError(f"search target must be one of {SEARCH_TARGETS}, not {target!r}")
        query = self.dialect.search_query(text)
        if not query.strip():
            return []
        return self._rows(self.dialect.search_sql[target], (query, limit))

    def voices(self, limit: int = 50) -> list[Row]:
        """Who is quoted most: resolved speakers across articles, by number of statements."""
        return self._rows(
            "SELECT e.name, e.type, e.country, count(*) AS statements, "
            "count(DISTINCT s.article_id) AS articles "
            "FROM attributions s JOIN entities e "
            "ON e.article_id = s.article_id AND e.id = s.source_entity "
            "GROUP BY e.name, e.type, e.country ORDER BY statements DESC, e.name LIMIT ?",
            (limit,),
        )


class StoreNotFound(LookupError):
    """No sayso store at the location given, and none was to be created there."""


def open_store(db: str | Path, create: bool = True) -> Store:
    """Open (upgrading) the store at a SQLite path or a `postgresql://` URL, creating it when
    there is none unless `create` is False: then a mistyped location raises StoreNotFound
    rather than leaving an empty store behind (or sayso's tables in someone else's database)."""
    location = str(db)
    dialect = dialect_for(location)
    if not create and not dialect.may_hold_store(location):
        raise StoreNotFound(f"no sayso store at {location}: there is no such file")
    conn = dialect.connect(location)
    try:
        if not create and stored_version(conn, dialect) is None:
            raise StoreNotFound(f"no sayso store at {location}: it holds no sayso tables")
        migrate(conn, dialect, origin=location)
    except BaseException:
        conn.close()
        raise
    return Store(conn, dialect, location)
