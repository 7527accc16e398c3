"""Between an Analysis and table rows: the columns each record is queried on, and back again.

Every record row keeps the record's contract dict in `data`; `load` rebuilds from those alone,
so a field added to the model is stored and loaded without a schema change. The other columns
(and the derived `mentions` and `event_participants` tables) exist for queries.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import asdict, fields
from typing import Any

from sayso.model import (
    CONTRACT_VERSION,
    Analysis,
    Article,
    Attribution,
    Entity,
    Event,
    Place,
    Quantity,
    Span,
    TimeExpr,
)

Row = dict[str, Any]

# Article fields holding lists are stored as JSON text.
ARTICLE_JSON_FIELDS = frozenset(f.name for f in fields(Article) if f.default_factory is list)


def span_columns(prefix: str, span: Span | None) -> Row:
    """`prefix_start`, `prefix_end`, `prefix_text` of a span, all None when it is absent."""
    values = (span.start, span.end, span.text) if span else (None, None, None)
    return dict(zip((f"{prefix}_start", f"{prefix}_end", f"{prefix}_text"), values, strict=True))


def _offsets(record: TimeExpr | Place | Quantity) -> Row:
    return {"start_char": record.start, "end_char": record.end, "text": record.text}


def _entity(e: Entity) -> Row:
    return {"name": e.name, "type": e.type, "country": e.country, "sector": e.sector,
            "code": e.code}


def _attribution(a: Attribution) -> Row:
    return {
        "kind": a.kind,
        "parent": a.parent,
        "source_entity": a.source.entity if a.source else None,
        "source_confidence": a.source.confidence if a.source else None,
        "confidence": a.confidence,
        "content_parts": json.dumps([asdict(p) for p in a.content.parts], ensure_ascii=False),
        **span_columns("source", a.source),
        **span_columns("cue", a.cue),
        **span_columns("content", a.content),
        **span_columns("addressee", a.addressee),
        **span_columns("medium", a.medium),
        **span_columns("time", a.time),
    }


def _time(t: TimeExpr) -> Row:
    return {**_offsets(t), "type": t.type, "value": t.value}


def _place(p: Place) -> Row:
    return {**_offsets(p), "name": p.name, "geonameid": p.geonameid, "country": p.country,
            "lat": p.lat, "lon": p.lon, "kind": p.kind}


def _quantity(q: Quantity) -> Row:
    return {**_offsets(q), "value": q.value, "unit": q.unit, "what": q.what}


def _event(e: Event) -> Row:
    return {"type": e.type, **span_columns("anchor", e.anchor), "place_id": e.place,
            "time_id": e.time, "reported_by": e.reported_by, "modality": e.modality}


# Record tables share their names with the Analysis fields and contract keys they hold.
RECORD_COLUMNS: dict[str, Callable[[Any], Row]] = {
    "entities": _entity,
    "attributions": _attribution,
    "times": _time,
    "places": _place,
    "quantities": _quantity,
    "events": _event,
}


def _mentions(analysis: Analysis) -> Iterator[Row]:
    for entity in analysis.entities:
        for m in entity.mentions:
            yield {"entity_id": entity.id, "start_char": m.start, "end_char": m.end, "text": m.text}


def _participants(analysis: Analysis) -> Iterator[Row]:
    for event in analysis.events:
        for role, ids in (("actor", event.actors), ("recipient", event.recipients)):
            for entity_id in ids:
                yield {"event_id": event.id, "entity_id": entity_id, "role": role}


def _subjects(analysis: Analysis) -> Iterator[Row]:
    """The entities each statement's content mentions, its speaker aside (what it is about);
    only the parts of a split quote count, not the cue clause between them."""
    mentions = sorted((m.start, m.end, e.id) for e in analysis.entities for m in e.mentions)
    starts = [m[0] for m in mentions]
    for seq, a in enumerate(analysis.attributions):
        speaker = a.source.entity if a.source else None
        inside: set[str] = set()
        for piece in a.content.parts or [a.content]:
            within = slice(bisect_left(starts, piece.start), bisect_left(starts, piece.end))
            inside |= {entity_id for _, end, entity_id in mentions[within] if end <= piece.end}
        for entity_id in sorted(inside - {speaker}):
            yield {"seq": seq, "entity_id": entity_id}


DERIVED_ROWS: dict[str, Callable[[Analysis], Iterator[Row]]] = {
    "mentions": _mentions,
    "event_participants": _participants,
    "statement_subjects": _subjects,
}


def article_row(article: Article, sayso_version: str, analyzed_at: str) -> Row:
    row = {k: json.dumps(v, ensure_ascii=False) if k in ARTICLE_JSON_FIELDS else v
           for k, v in asdict(article).items()}
    return {**row, "sayso_version": sayso_version, "contract_version": CONTRACT_VERSION,
            "analyzed_at": analyzed_at}


def table_rows(analysis: Analysis) -> Iterator[tuple[str, list[Row]]]:
    """Every row an analysis adds besides its article row, table by table."""
    article_id = analysis.article.id
    for table, columns in RECORD_COLUMNS.items():
        yield table, [
            {"article_id": article_id, "seq": seq, "id": record.id,
             "data": json.dumps(asdict(record), ensure_ascii=False), **columns(record)}
            for seq, record in enumerate(getattr(analysis, table))
        ]
    for table, derive in DERIVED_ROWS.items():
        yield table, [{"article_id": article_id, **row} for row in derive(analysis)]


def analysis_from_rows(article: Row, records: dict[str, list[str]]) -> Analysis:
    """The Analysis an article row and its records' `data` texts (in order) were saved from."""
    fields_ = {f.name: article[f.name] for f in fields(Article)}
    for name in ARTICLE_JSON_FIELDS:
        fields_[name] = json.loads(fields_[name])
    return Analysis.from_dict(
        {"article": fields_, **{t: [json.loads(d) for d in rows] for t, rows in records.items()}}
    )
