"""`sayso export`: the stored ledger as files other tools read.

json/jsonl hold one contract dict per article; csv is one row per attribution with its
article and resolved speaker; parquet writes a folder of tables (articles, attributions,
entities, events). An attribution row keeps a split quote's `content_parts` (a list of spans in
Parquet, its JSON text in CSV) and the statement's and speaker link's confidences. A format is
one writer in `WRITERS`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sayso.model import Analysis
from sayso.plover import write_plover
from sayso.store.records import span_columns

ATTRIBUTION_COLUMNS = (
    "article_id", "title", "published", "site", "url",
    "attribution_id", "kind", "parent", "confidence",
    "speaker_entity", "speaker_name", "speaker_type", "speaker_country", "speaker_roles",
    "source_start", "source_end", "source_text", "source_confidence",
    "cue_start", "cue_end", "cue_text",
    "content_start", "content_end", "content_text", "content_parts",
    "addressee_start", "addressee_end", "addressee_text",
    "medium_start", "medium_end", "medium_text",
    "time_start", "time_end", "time_text",
)  # fmt: skip


def attribution_rows(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """One flat row per attribution: the statement, its offsets, article and resolved speaker."""
    art = analysis.article
    entities = {e.id: e for e in analysis.entities}
    for a in analysis.attributions:
        speaker = entities.get(a.source.entity) if a.source and a.source.entity else None
        yield {
            "article_id": art.id, "title": art.title, "published": art.published,
            "site": art.site, "url": art.url,
            "attribution_id": a.id, "kind": a.kind, "parent": a.parent,
            "confidence": a.confidence,
            "speaker_entity": speaker and speaker.id,
            "speaker_name": speaker and speaker.name,
            "speaker_type": speaker and speaker.type,
            "speaker_country": speaker and speaker.country,
            "speaker_roles": "; ".join(speaker.roles) if speaker else None,
            **span_columns("source", a.source),
            "source_confidence": a.source.confidence if a.source else None,
            **span_columns("cue", a.cue),
            **span_columns("content", a.content),
            "content_parts": [asdict(p) for p in a.content.parts],
            **span_columns("addressee", a.addressee),
            **span_columns("medium", a.medium),
            **span_columns("time", a.time),
        }  # fmt: skip


def write_json(analyses: Iterable[Analysis], out: Path) -> None:
    """A JSON array of contract dicts, written as it goes so big stores need little memory."""
    with out.open("w", encoding="utf-8") as f:
        f.write("[")
        for i, analysis in enumerate(analyses):
            f.write(",\n" if i else "\n")
            f.write(json.dumps(analysis.to_dict(), ensure_ascii=False))
        f.write("\n]\n")


def write_jsonl(analyses: Iterable[Analysis], out: Path) -> None:
    with out.open("w", encoding="utf-8") as f:
        for analysis in analyses:
            f.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")


def write_csv(analyses: Iterable[Analysis], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=ATTRIBUTION_COLUMNS)
        writer.writeheader()
        for analysis in analyses:
            writer.writerows({**row, "content_parts": json.dumps(row["content_parts"],
                                                                 ensure_ascii=False)}
                             for row in attribution_rows(analysis))


def parquet_tables(analyses: Iterable[Analysis]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each Parquet table; records carry their article's id."""
    tables: dict[str, list[dict[str, Any]]] = {
        "articles": [], "attributions": [], "entities": [], "events": []
    }  # fmt: skip
    for analysis in analyses:
        article_id = analysis.article.id
        tables["articles"].append(asdict(analysis.article))
        tables["attributions"].extend(attribution_rows(analysis))
        for name in ("entities", "events"):
            tables[name].extend({"article_id": article_id, **asdict(r)}
                                for r in getattr(analysis, name))
    return tables


def write_parquet(analyses: Iterable[Analysis], out: Path) -> None:
    """A folder with one Parquet file per table, typed by pyarrow from the values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    for name, rows in parquet_tables(analyses).items():
        pq.write_table(pa.Table.from_pylist(rows), out / f"{name}.parquet")


WRITERS: dict[str, Callable[[Iterable[Analysis], Path], None]] = {
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
    "plover": write_plover,
}


def export(analyses: Iterable[Analysis], fmt: str, out: Path) -> int:
    """Write analyses to `out` in format `fmt`; returns how many articles were written."""
    count = 0

    def counted() -> Iterator[Analysis]:
        nonlocal count
        for analysis in analyses:
            count += 1
            yield analysis

    WRITERS[fmt](counted(), out)
    return count
