"""A cluster through Ray: each input shard (one input file) is a Ray task that reads, ingests
and analyses the shard on a Ray worker, where the pipeline is loaded once per worker process.

With an output folder, each task writes its shard there as Parquet, one file per shard in a
dataset per table (`DIR/<table>/shard-NNNNN.parquet`, the contract's tables as `sayso export`
writes them), beside `DIR/analyses/` (each article's whole contract dict, what `sayso load`
reads) and `DIR/errors/`; a file is written under a temporary name and renamed, so a task that
is killed leaves nothing half written, Ray retries it, and a rerun skips the shards whose files
are there. With a store instead, the tasks send their analyses back and the driver is the single
writer, under the same run manifest as `sayso analyze --db`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sayso.export import TABLES, ParquetSink, table_rows
from sayso.ingest import Limits, read_inputs
from sayso.model import Analysis, Document, IngestError

LOCAL = "local"  # start a Ray cluster on this machine instead of joining one
ANALYSES, ERRORS = "analyses", "errors"
TASK_RETRIES = 3


def shard_file(out: Path, table: str, index: int) -> Path:
    return out / table / f"shard-{index:05d}.parquet"


def analyze_shard(index: int, name: str, engine: str, batch_size: int, limits: Limits,
                  out: str | None) -> dict[str, Any]:
    """One shard, read and analysed where the task runs; its analyses go to `out` as Parquet
    (or back to the driver when `out` is None), its error records back to the driver."""
    from sayso.pipeline import analyze_documents

    errors: list[IngestError] = []
    docs = (item for item in read_inputs([name], limits)  # errors kept aside, documents on
            if isinstance(item, Document) or errors.append(item))
    analyses = list(analyze_documents(docs, batch_size=batch_size, engine=engine,
                                      on_error=errors.append))
    result = {"shard": index, "errors": [asdict(e) for e in errors], "articles": len(analyses)}
    if out is None:
        result["analyses"] = [a.to_dict() for a in analyses]
    else:
        _write_shard(Path(out), index, analyses, errors)
    return result


def _write_shard(out: Path, index: int, analyses: list[Analysis],
                 errors: list[IngestError]) -> None:
    """Every table's file of one shard; the analyses file last, as the mark of a shard done."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for table in TABLES:
        _atomic(shard_file(out, table, index), lambda f, t=table: _table(f, t, analyses))
    error_rows = pa.Table.from_pylist([asdict(e) for e in errors], schema=pa.schema(
        [(k, pa.string()) for k in ("origin", "error", "message", "stage", "exception")]))
    _atomic(shard_file(out, ERRORS, index), lambda f: pq.write_table(error_rows, f))
    rows = pa.Table.from_pylist(
        [{"id": a.article.id, "data": json.dumps(a.to_dict(), ensure_ascii=False)}
         for a in analyses], schema=pa.schema([("id", pa.string()), ("data", pa.string())]))
    _atomic(shard_file(out, ANALYSES, index), lambda f: pq.write_table(rows, f))


def _table(f: Any, table: str, analyses: list[Analysis]) -> None:
    sink = ParquetSink(f, table)
    for analysis in analyses:
        sink.write(table_rows(analysis, table))
    sink.close()


def _atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as f:
        write(f)
    partial.replace(path)


def run_on_ray(address: str, names: list[str], engine: str, batch_size: int, limits: Limits,
               out: Path | None, workers: int | None) -> Iterator[dict[str, Any]]:
    """The result of each shard as its task finishes (in the order they finish); shards whose
    files are already in `out` are not run again."""
    import ray

    if address == LOCAL:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)
    try:
        task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES)(analyze_shard)
        pending = [task.remote(i, name, engine, batch_size, limits,
                               str(out) if out else None)
                   for i, name in enumerate(names)
                   if out is None or not shard_file(out, ANALYSES, i).exists()]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])
    finally:
        ray.shutdown()


def load_parquet_run(out: Path) -> Iterator[Analysis | IngestError]:
    """A Parquet run's error records and analyses, shard by shard, for `sayso load`."""
    import pyarrow.parquet as pq

    for path in sorted((out / ANALYSES).glob("shard-*.parquet")):
        errors = out / ERRORS / path.name
        if errors.exists():
            for row in pq.read_table(errors).to_pylist():
                yield IngestError(**row)
        for row in pq.read_table(path).to_pylist():
            yield Analysis.from_dict(json.loads(row["data"]))
