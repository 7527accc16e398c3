"""`sayso export`: the stored ledger as files other tools read.

json and jsonl hold one contract dict per article and plover one POLECAT-style record per event;
csv and parquet hold the ledger as tables (`TABLES`): every table into a folder, or one table
into one file or stdout. A table row is its record's contract dict with the article id in front,
and with each object flattened into prefixed columns (`source_start`, `anchor_text`); lists stay
lists (in CSV, like every nested value, as JSON text). An attributions row also carries its
article's title, date, site and url and its resolved speaker's name, type, country and roles.
The columns and their Parquet types come from the contract's JSON schema (`table_schema`), so
every export of every store has the same schema and exports concatenate. `-` is stdout.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

from sayso.model import Analysis
from sayso.plover import write_plover
from sayso.schema import analysis_schema

STDOUT = "-"
# Each table and the contract definition its rows are flattened from (see `columns`).
TABLE_DEFS = {"articles": "article", "attributions": "attribution", "entities": "entity",
              "times": "time", "places": "place", "quantities": "quantity", "events": "event",
              "framing": "framing", "assertions": "assertion", "disputes": "dispute",
              "voices": "voices"}
TABLES = tuple(TABLE_DEFS)
ONE_TABLE = "attributions"  # what a single csv or parquet file holds unless --table says
SUFFIXES = {"csv": ".csv", "parquet": ".parquet"}
PARQUET_ROW_GROUP = 10_000  # rows buffered before a Parquet row group is written


class Column(NamedTuple):
    """A table column: its name, where its value lies in a contract dict, and its JSON schema."""

    name: str
    path: tuple[str, ...]
    schema: dict[str, Any]
    nullable: bool


def _resolve(node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A schema node with `$ref` and `anyOf [X, null]` followed: (the node, whether null is
    allowed)."""
    defs = analysis_schema()["$defs"]
    nullable = False
    while True:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            options = [n for n in node["anyOf"] if n.get("type") != "null"]
            nullable = nullable or len(options) < len(node["anyOf"])
            [node] = options
        else:
            types = node.get("type", [])
            return node, nullable or "null" in types or None in node.get("enum", ())


def _flatten(node: dict[str, Any], path: tuple[str, ...], prefix: str,
             nullable: bool) -> Iterator[Column]:
    """The columns of an object: one per property, objects in it flattened into `prefix_`ed
    columns (nullable when the object is)."""
    for key, child in node["properties"].items():
        target, null = _resolve(child)
        null = null or nullable
        name = f"{prefix}{key}"
        if "properties" in target:
            yield from _flatten(target, (*path, key), f"{name}_", null)
        else:
            yield Column(name, (*path, key), target, null)


def _renamed(cols: Iterable[Column], names: dict[str, str]) -> list[Column]:
    return [c._replace(name=names.get(c.name, c.name)) for c in cols]


@lru_cache(maxsize=len(TABLES))
def columns(table: str) -> tuple[Column, ...]:
    """The columns of a table, from the contract's definition of its records."""
    defs = analysis_schema()["$defs"]
    record = list(_flatten(defs[TABLE_DEFS[table]], (), "", False))
    article_id = Column("article_id", ("article", "id"), {"type": "string"}, False)
    if table == "articles":
        return tuple(record)
    if table != "attributions":
        return (article_id, *record)
    article = {c.name: c for c in _flatten(defs["article"], ("article",), "", False)}
    speaker = [c._replace(name=f"speaker_{c.name}", path=("speaker", *c.path), nullable=True)
               for c in _flatten(defs["entity"], (), "", False)
               if c.name in ("name", "type", "country", "roles")]
    return (article_id, *(article[k] for k in ("title", "published", "site", "url")),
            *_renamed(record, {"id": "attribution_id"}), *speaker)


ATTRIBUTION_COLUMNS = tuple(c.name for c in columns("attributions"))


def _value(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if data is None:
            return None
        data = data[key]
    return data


def _records(analysis: Analysis, table: str) -> Iterator[dict[str, Any]]:
    """Each record of a table as the dict its columns' paths index."""
    art = asdict(analysis.article)
    if table == "articles":
        yield art
        return
    if table in ("disputes", "voices"):  # a contract form of their own, or one per article
        found = analysis.to_dict()[table]
        yield from ({**r, "article": art} for r in (found if table == "disputes" else [found]))
        return
    entities = {e.id: asdict(e) for e in analysis.entities}
    for record in getattr(analysis, table):
        data = {**asdict(record), "article": art}
        if table == "attributions":
            data["speaker"] = entities.get(record.source.entity) if record.source else None
        yield data


def table_rows(analysis: Analysis, table: str) -> Iterator[dict[str, Any]]:
    """One flat row per record of `table` in an analysis, keyed by column name."""
    cols = columns(table)
    for data in _records(analysis, table):
        yield {c.name: _value(data, c.path) for c in cols}


def attribution_rows(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """One flat row per statement: its offsets, its article and its resolved speaker."""
    return table_rows(analysis, "attributions")


def _arrow_type(node: dict[str, Any]) -> Any:
    import pyarrow as pa

    kind = next((t for t in ([node["type"]] if isinstance(node.get("type"), str)
                             else node.get("type", [])) if t != "null"), "string")
    if kind == "object":
        return pa.struct([_arrow_field(k, v) for k, v in node["properties"].items()])
    if kind == "array":
        return pa.list_(_arrow_field("item", node["items"]))
    return {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(
        kind, pa.string())  # strings, enums, consts and dates


def _arrow_field(name: str, node: dict[str, Any], nullable: bool = False) -> Any:
    import pyarrow as pa

    target, null = _resolve(node)
    return pa.field(name, _arrow_type(target), nullable=null or nullable)


@lru_cache(maxsize=len(TABLES))
def table_schema(table: str) -> Any:
    """The Parquet (Arrow) schema of a table, generated from the contract's JSON schema."""
    import pyarrow as pa

    return pa.schema([_arrow_field(c.name, c.schema, c.nullable) for c in columns(table)])


class CsvSink:
    """Rows of one table as CSV; nested values (lists, spans) as JSON text."""

    def __init__(self, f: TextIO, table: str) -> None:
        self.writer = csv.DictWriter(f, fieldnames=[c.name for c in columns(table)])
        self.writer.writeheader()

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self.writer.writerows(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
             for k, v in row.items()} for row in rows)

    def close(self) -> None:
        """Nothing buffered: the caller closes the file."""


class ParquetSink:
    """Rows of one table as Parquet with the table's fixed schema, in row groups."""

    def __init__(self, f: IO[bytes], table: str) -> None:
        import pyarrow.parquet as pq

        self.schema = table_schema(table)
        self.writer = pq.ParquetWriter(f, self.schema)
        self.rows: list[dict[str, Any]] = []

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= PARQUET_ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


SINKS: dict[str, Callable[[Any, str], CsvSink | ParquetSink]] = {
    "csv": CsvSink, "parquet": ParquetSink,
}


def write_json(analyses: Iterable[Analysis], f: TextIO) -> None:
    """A JSON array of contract dicts, written as it goes so big stores need little memory."""
    f.write("[")
    for i, analysis in enumerate(analyses):
        f.write(",\n" if i else "\n")
        f.write(json.dumps(analysis.to_dict(), ensure_ascii=False))
    f.write("\n]\n")


def write_jsonl(analyses: Iterable[Analysis], f: TextIO) -> None:
    for analysis in analyses:
        f.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")


STREAMS: dict[str, Callable[[Iterable[Analysis], TextIO], None]] = {
    "json": write_json, "jsonl": write_jsonl, "plover": write_plover,
}
FORMATS = (*STREAMS, *SINKS)


@contextmanager
def _opened(out: str | Path, binary: bool) -> Iterator[IO[Any]]:
    """The file at `out`, or stdout (left open) for `-`."""
    if str(out) == STDOUT:
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    opened = Path(out).open("wb") if binary else Path(out).open("w", encoding="utf-8", newline="")
    with opened as f:
        yield f


def _write_tables(analyses: Iterable[Analysis], fmt: str, out: str | Path,
                  table: str | None) -> None:
    """csv or parquet: one table into a file (or stdout) named with the format's suffix, else
    every table (or only `table`) into the folder `out`."""
    binary = fmt == "parquet"
    if str(out) == STDOUT or Path(out).suffix == SUFFIXES[fmt]:
        targets = {table or ONE_TABLE: out}
    else:
        Path(out).mkdir(parents=True, exist_ok=True)
        targets = {t: Path(out) / f"{t}{SUFFIXES[fmt]}" for t in ([table] if table else TABLES)}
    with _open_all(targets, binary) as files:
        sinks = {t: SINKS[fmt](files[t], t) for t in targets}
        for analysis in analyses:
            for t, sink in sinks.items():
                sink.write(table_rows(analysis, t))
        for sink in sinks.values():
            sink.close()


@contextmanager
def _open_all(targets: dict[str, str | Path], binary: bool) -> Iterator[dict[str, IO[Any]]]:
    with ExitStack() as stack:
        yield {t: stack.enter_context(_opened(out, binary)) for t, out in targets.items()}


def export(analyses: Iterable[Analysis], fmt: str, out: str | Path,
           table: str | None = None) -> int:
    """Write analyses to `out` (a file, a folder for csv/parquet tables, or `-` for stdout) in
    format `fmt`, only `table` for csv/parquet if given; returns how many articles were written."""
    if table is not None and fmt not in SINKS:
        raise ValueError(f"a table can be chosen for csv and parquet, not for {fmt}")
    count = 0

    def counted() -> Iterator[Analysis]:
        nonlocal count
        for analysis in analyses:
            count += 1
            yield analysis

    if fmt in STREAMS:
        with _opened(out, binary=False) as f:
            STREAMS[fmt](counted(), f)
    else:
        _write_tables(counted(), fmt, out, table)
    return count


def _writer(fmt: str) -> Callable[[Iterable[Analysis], str | Path], int]:
    return lambda analyses, out: export(analyses, fmt, out)


# Each format as a function of (analyses, out), for callers that need no table choice.
WRITERS: dict[str, Callable[[Iterable[Analysis], str | Path], int]] = {
    fmt: _writer(fmt) for fmt in FORMATS
}
