"""Versioned schema migrations: numbered .sql files in `migrations/`, applied in order, once.

`NNNN_name.sql` is written for both databases; `NNNN_name.sqlite.sql` and
`NNNN_name.postgresql.sql` are the two spellings of a step that has no common one, and a step
with only one of them is one the other database does not need (it records the version alone).
The version a store is at lives in its `schema_version` table; a store from a newer sayso is
refused rather than misread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sayso.store.dialect import Dialect


class SchemaVersionError(RuntimeError):
    """The store was written by a newer sayso, whose schema this one cannot read correctly."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: Dialect) -> list[Migration]:
    """This dialect's migration steps, in version order; a step only the other database has is
    an empty one here, so both count the same versions."""
    steps: dict[int, Migration] = {}
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        if not entry.name.endswith(".sql"):
            continue
        stem, dot, suffix = entry.name.removesuffix(".sql").partition(".")
        number, _, name = stem.partition("_")
        version = int(number)
        if dot and suffix != dialect.name:
            steps.setdefault(version, Migration(version, name, ""))
        else:
            steps[version] = Migration(version, name, entry.read_text(encoding="utf-8"))
    if sorted(steps) != list(range(1, len(steps) + 1)):
        raise RuntimeError(f"{dialect.name} migrations are not numbered 1..n: {sorted(steps)}")
    return [steps[v] for v in sorted(steps)]


def latest_version(dialect: Dialect) -> int:
    return migrations(dialect)[-1].version


def statements(script: str) -> Iterator[str]:
    """Split a script into statements; sqlite3.complete_statement knows trigger bodies hold ';'."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def _version(conn: Any) -> int:
    return conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_version").fetchone()["v"]


def stored_version(conn: Any, dialect: Dialect) -> int | None:
    """The schema version of the store on `conn`; None when it holds no sayso store."""
    try:
        return _version(conn)
    except dialect.error:
        return None


def _check_not_newer(current: int, latest: int, origin: str) -> None:
    if current > latest:
        raise SchemaVersionError(
            f"store {origin} has schema version {current}, but this sayso only knows versions "
            f"up to {latest}: it was written by a newer sayso; upgrade sayso to read it"
        )


def migrate(conn: Any, dialect: Dialect, target: int | None = None, origin: str = "") -> int:
    """Bring the store up to `target` (default: the latest) in one transaction; return its version.

    Raises `SchemaVersionError`, changing nothing, when the store is newer than this sayso.
    """
    steps = migrations(dialect)
    latest = steps[-1].version
    target = latest if target is None else target
    current = stored_version(conn, dialect)  # None: a new store, created under the lock below
    if current is not None and current >= target:
        _check_not_newer(current, latest, origin)
        return current
    with dialect.transaction(conn):
        cur = conn.cursor()
        if dialect.migration_lock:
            cur.execute(dialect.migration_lock)
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = _version(conn)  # again: another process may have migrated meanwhile
        _check_not_newer(current, latest, origin)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for step in steps:
            if current < step.version <= target:
                for statement in statements(dialect.ddl(step.sql)):
                    cur.execute(statement)
                cur.execute(
                    dialect.sql("INSERT INTO schema_version VALUES (?, ?, ?)"),
                    (step.version, step.name, now),
                )
    return max(current, target)
