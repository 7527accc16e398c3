"""Between an Analysis and table rows: the columns each record is queried on, and back again.

Every record row keeps the record's contract dict in `data`; `load` rebuilds from those alone,
so a field added to the model is stored and loaded without a schema change. The other columns
(and the derived `mentions` and `event_participants` tables) exist for queries.

`data` is written compact (`encode_record`): no spaces, no field that holds its scalar default,
and no span text that is the article body's own `text[start:end]` (most of a store's bytes were
span texts repeated); `decode_record` puts them back. Rows written in full, before this encoding,
decode unchanged: every span they hold has its text.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import MISSING, asdict, fields, is_dataclass
from functools import cache
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


SPAN_FIELDS = frozenset({"start", "end", "text"})
_NONE = object()  # a field without a scalar default: always written
# Record fields each table also keeps in a TEXT column of the same name: `data` leaves them out.
# Only text columns: they give back exactly what was stored on both databases.
COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "entities": ("id", "name", "type", "country", "sector", "code"),
    "attributions": ("id", "kind", "parent"),
    "times": ("id", "type", "value"),
    "places": ("id", "name", "country", "kind"),
    "quantities": ("id", "unit", "what"),
    "events": ("id", "type", "reported_by", "modality"),
    "framing": ("id", "technique", "voice"),
    "assertions": ("id",),
}


@cache
def _plan(kind: type) -> tuple[bool, tuple[tuple[str, Any], ...]]:
    """Whether records of `kind` are spans, and each field with its scalar default (or _NONE)."""
    plan = tuple((f.name, f.default if f.default is not MISSING else _NONE) for f in fields(kind))
    return SPAN_FIELDS <= {name for name, _ in plan}, plan


def _compact(value: Any, body: str) -> Any:
    """A record's contract form without scalar defaults nor span texts the body holds.

    List defaults stay: readers of `data` (the events page) index `actors` directly."""
    if isinstance(value, list):
        return [_compact(v, body) for v in value]
    if not is_dataclass(value):
        return value
    span, plan = _plan(type(value))
    from_body = span and body[value.start:value.end] == value.text
    out = {}
    for name, default in plan:
        v = getattr(value, name)
        if (name == "text" and from_body) or (type(v) is type(default) and v == default):
            continue
        out[name] = _compact(v, body)
    return out


def encode_record(record: Any, body: str, table: str = "") -> str:
    """The `data` text of a record of an article whose text is `body`, less the fields
    `table` keeps in text columns of their own (COLUMN_FIELDS)."""
    data = _compact(record, body)
    for name in COLUMN_FIELDS.get(table, ()):
        data.pop(name, None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _restore(value: Any, body: str) -> Any:
    if isinstance(value, list):
        return [_restore(v, body) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _restore(v, body) for k, v in value.items()}
    if "text" not in out and "start" in out and "end" in out:
        out["text"] = body[out["start"]:out["end"]]
    return out


def decode_record(row: Row, body: str, table: str = "") -> dict:
    """The contract dict of a record from its row (`data` and the COLUMN_FIELDS of `table`),
    compact or written in full."""
    kept = {name: row[name] for name in COLUMN_FIELDS.get(table, ())}
    return {**kept, **_restore(json.loads(row["data"]), body)}


def record_columns(table: str) -> str:
    """What to select from `table` for `decode_record`."""
    return ", ".join(("data", *COLUMN_FIELDS.get(table, ())))


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
            yield {"entity_id": entity.id, "start_char": m.start, "end_char": m.end}


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
    article_id, body = analysis.article.id, analysis.article.text
    for table, columns in RECORD_COLUMNS.items():
        yield table, [
            {"article_id": article_id, "seq": seq, "id": record.id,
             "data": encode_record(record, body, table), **columns(record)}
            for seq, record in enumerate(getattr(analysis, table))
        ]
    for table, derive in DERIVED_ROWS.items():
        yield table, [{"article_id": article_id, **row} for row in derive(analysis)]


def analysis_from_rows(article: Row, records: dict[str, list[Row]]) -> Analysis:
    """The Analysis an article row and its records' rows (`record_columns`, in order) were
    saved from."""
    fields_ = {f.name: article[f.name] for f in fields(Article)}
    for name in ARTICLE_JSON_FIELDS:
        fields_[name] = json.loads(fields_[name])
    body = fields_["text"]
    return Analysis.from_dict({"article": fields_, **{
        t: [decode_record(r, body, t) for r in rows] for t, rows in records.items()}})
