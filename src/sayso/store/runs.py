"""Run manifests in the store (tables `runs` and `run_shards`, migration 0012): one row per run
and per shard (input file), each write its own short transaction, so a run killed at any point
leaves a manifest that says which shards were done."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sayso.store.core import Store, _now, _storable
from sayso.store.records import Row

RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"
PENDING, DONE = "pending", "done"


def _execute(store: Store, query: str, params: tuple = ()) -> None:
    with store.dialect.transaction(store.conn):
        store.conn.execute(store.dialect.sql(query), params)


def open_run(store: Store, run_key: str) -> Row | None:
    """The latest run of these inputs that did not finish, to resume; None when there is none."""
    rows = store._rows("SELECT * FROM runs WHERE run_key = ? AND status <> ? "
                       "ORDER BY started_at DESC, id DESC LIMIT 1", (run_key, FINISHED))
    return rows[0] if rows else None


def create_run(store: Store, run_id: str, run_key: str, inputs: list[str], engine: str,
               workers: int, shards: list[tuple[str, str]]) -> None:
    """A new run and its shards ((input, fingerprint) pairs), all pending, in one transaction."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")  # two runs in a second stay ordered
    listed = _storable(json.dumps(inputs, ensure_ascii=False))
    run = {"id": run_id, "run_key": run_key, "inputs": listed,
           "engine": engine, "workers": workers, "status": RUNNING, "started_at": now,
           "updated_at": now}
    rows = [{"run_id": run_id, "shard": i, "input": _storable(name), "fingerprint": fingerprint,
             "status": PENDING} for i, (name, fingerprint) in enumerate(shards)]
    with store.dialect.transaction(store.conn):
        cur = store.conn.cursor()
        store._insert(cur, "runs", [run])
        store._insert(cur, "run_shards", rows)


def shards(store: Store, run_id: str) -> list[Row]:
    return store._rows("SELECT * FROM run_shards WHERE run_id = ? ORDER BY shard", (run_id,))


def start_shard(store: Store, run_id: str, shard: int, fingerprint: str) -> None:
    """A shard (re)started: its counts from any earlier attempt no longer hold."""
    _execute(store, "UPDATE run_shards SET status = ?, attempts = attempts + 1, articles = 0, "
             "skipped = 0, errors = 0, fingerprint = ?, started_at = ?, finished_at = NULL "
             "WHERE run_id = ? AND shard = ?", (RUNNING, fingerprint, _now(), run_id, shard))


def finish_shard(store: Store, run_id: str, shard: int, counts: dict[str, int],
                 seconds: float) -> None:
    _execute(store, "UPDATE run_shards SET status = ?, articles = ?, skipped = ?, errors = ?, "
             "finished_at = ?, seconds = ? WHERE run_id = ? AND shard = ?",
             (DONE, counts["articles"], counts["skipped"], counts["errors"], _now(), seconds,
              run_id, shard))


def update_run(store: Store, run_id: str, status: str, seconds: float) -> None:
    """The run's status, working time, and counts summed over its shards."""
    now = _now()
    _execute(store, "UPDATE runs SET status = ?, updated_at = ?, seconds = ?, "
             "finished_at = ?, "
             "articles = (SELECT coalesce(sum(articles), 0) FROM run_shards WHERE run_id = ?), "
             "skipped = (SELECT coalesce(sum(skipped), 0) FROM run_shards WHERE run_id = ?), "
             "errors = (SELECT coalesce(sum(errors), 0) FROM run_shards WHERE run_id = ?) "
             "WHERE id = ?",
             (status, now, seconds, now if status == FINISHED else None, run_id, run_id, run_id,
              run_id))


def list_runs(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """Runs newest first, with shard progress, error rate and throughput."""
    rows = store._rows(
        "SELECT r.*, (SELECT count(*) FROM run_shards s WHERE s.run_id = r.id) AS shards, "
        "(SELECT count(*) FROM run_shards s WHERE s.run_id = r.id AND s.status = ?) AS done "
        "FROM runs r ORDER BY r.started_at DESC, r.id DESC LIMIT ?", (DONE, limit))
    for row in rows:
        documents = row["articles"] + row["skipped"] + row["errors"]
        row["error_rate"] = row["errors"] / documents if documents else 0.0
        row["articles_per_s"] = row["articles"] / row["seconds"] if row["seconds"] else 0.0
    return rows
