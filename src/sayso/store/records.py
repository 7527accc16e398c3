"""Between an Analysis and table rows: the columns each record is queried on, and back again.

Every record row keeps the record's contract dict in `data`, less what the row's columns hold
(COLUMN_FIELDS); `load` rebuilds from `data` and those columns alone, so a field added to the
model is stored and loaded without a schema change. The other columns (and the derived
`mentions` and `event_participants` tables) exist for queries.

`data` is written compact (`encode_record`): no spaces, no field that holds its default, no
field a column of the row holds, no span text that is the article body's own
`text[start:end]`, and a span with nothing else to say as its `[start, end]` pair (most of a
store's bytes were such copies); `decode_record` puts them back. Rows written before, compact
or in full, decode unchanged: whatever they hold wins over the columns.
"""

from __future__ import annotations

import json
import math
import types
import typing
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import MISSING, asdict, fields, is_dataclass
from functools import cache
from typing import Any

from sayso.model import (
    CONTRACT_VERSION,
    Analysis,
    Article,
    Assertion,
    Attribution,
    Entity,
    Event,
    Framing,
    Place,
    Quantity,
    Span,
    TimeExpr,
    Voices,
)

Row = dict[str, Any]
FieldPath = tuple[str, ...]  # a field's keys in a contract dict, outermost first

# Article fields holding lists are stored as JSON text.
ARTICLE_JSON_FIELDS = frozenset(f.name for f in fields(Article) if f.default_factory is list)


SPAN_FIELDS = frozenset({"start", "end", "text"})
_NONE = object()  # a field without a default: always written
# The record each table's `data` holds.
RECORD_KINDS: dict[str, type] = {
    "entities": Entity, "attributions": Attribution, "times": TimeExpr, "places": Place,
    "quantities": Quantity, "events": Event, "framing": Framing, "assertions": Assertion,
    "article_voices": Voices,
}
# Tables whose `data` keeps empty lists: readers of it (the events page) index them directly.
KEEP_LISTS = frozenset({"events"})


def _columns(kind: type, *names: str) -> dict[str, tuple[FieldPath, type]]:
    return {name: ((name,), kind) for name in names}


def _span(prefix: str) -> dict[str, tuple[FieldPath, type]]:
    return {f"{prefix}_start": ((prefix, "start"), int), f"{prefix}_end": ((prefix, "end"), int),
            f"{prefix}_text": ((prefix, "text"), str)}


_OFFSETS = {"start_char": (("start",), int), "end_char": (("end",), int)}
_TEXT = {"text": (("text",), str)}
# Per table, each column holding a record field: the field's path in the contract dict and the
# type the column gives back, exactly, on both databases (text, INTEGER, REAL). `data` leaves
# out a field of that type only: anything else (a whole number in a REAL column, -0.0, NaN) it
# keeps, and what `data` holds wins when decoding.
COLUMN_FIELDS: dict[str, dict[str, tuple[FieldPath, type]]] = {
    "entities": _columns(str, "id", "name", "type", "country", "sector", "code"),
    "attributions": {
        **_columns(str, "id", "kind", "parent"), **_columns(float, "confidence"),
        "source_entity": (("source", "entity"), str),
        "source_confidence": (("source", "confidence"), float),
        **{c: f for p in ("source", "cue", "content", "addressee", "medium", "time")
           for c, f in _span(p).items()}},
    "times": {**_columns(str, "id", "type", "value"), **_OFFSETS, **_TEXT},
    "places": {**_columns(str, "id", "name", "country", "kind"), **_OFFSETS, **_TEXT,
               **_columns(int, "geonameid"), **_columns(float, "lat", "lon")},
    "quantities": {**_columns(str, "id", "unit", "what"), **_OFFSETS, **_TEXT,
                   **_columns(float, "value")},
    "events": {**_columns(str, "id", "type", "reported_by", "modality"),
               "place_id": (("place",), str), "time_id": (("time",), str), **_span("anchor")},
    "framing": {**_columns(str, "id", "technique", "voice"), **_OFFSETS, **_TEXT},
    "assertions": {**_columns(str, "id"), **_OFFSETS},
    "article_voices": {**_columns(float, "outlet_share"),
                       **_columns(int, "outlet_chars", "body_chars")},
}


@cache
def _plan(kind: type) -> tuple[bool, tuple[tuple[str, Any], ...]]:
    """Whether records of `kind` are spans, and each field with its default (or _NONE)."""
    plan = tuple((f.name, f.default if f.default is not MISSING
                  else [] if f.default_factory is list else _NONE) for f in fields(kind))
    return SPAN_FIELDS <= {name for name, _ in plan}, plan


@cache
def _nested(kind: type) -> dict[str, tuple[type, bool]]:
    """The fields of `kind` that hold records: each with their kind and whether in a list."""
    def held(hint: Any) -> tuple[type, bool] | None:
        if is_dataclass(hint):
            return hint, False
        args = typing.get_args(hint)
        if typing.get_origin(hint) is list:
            inner = held(args[0])
            return (inner[0], True) if inner else None
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            return next(filter(None, map(held, args)), None)
        return None

    found = {name: held(hint) for name, hint in typing.get_type_hints(kind).items()}
    return {name: k for name, k in found.items() if k is not None}


def _compact(value: Any, body: str, keep_lists: bool) -> Any:
    """A record's contract form without defaults (empty lists too, unless `keep_lists`) nor
    span texts the body holds."""
    if isinstance(value, list):
        return [_compact(v, body, keep_lists) for v in value]
    if not is_dataclass(value):
        return value
    span, plan = _plan(type(value))
    from_body = span and body[value.start:value.end] == value.text
    out = {}
    for name, default in plan:
        v = getattr(value, name)
        if (name == "text" and from_body) or (type(v) is type(default) and v == default
                                              and not (keep_lists and type(v) is list)):
            continue
        out[name] = _compact(v, body, keep_lists)
    return out


def _exact(value: Any, kind: type) -> bool:
    """Whether a column of `kind` gives `value` back as it is (REAL drops the sign of -0.0
    and stores NaN as NULL)."""
    if type(value) is not kind:
        return False
    return kind is not float or value == value and (value != 0 or math.copysign(1.0, value) > 0)


def _leave_out(data: dict, path: FieldPath, kind: type) -> None:
    """Drop the field at `path` when its column holds it, and a span left empty by that."""
    *parents, name = path
    holder = data
    for parent in parents:
        holder = holder.get(parent)
        if not isinstance(holder, dict):
            return
    if name in holder and _exact(holder[name], kind):
        del holder[name]
        if parents and not holder:
            del data[parents[0]]


def _pack(value: Any, kind: type) -> Any:
    """A compact record of `kind` with each span that holds nothing but its offsets, at any
    depth, as its `[start, end]` pair."""
    if not isinstance(value, dict):
        return value
    if _plan(kind)[0] and value.keys() == {"start", "end"}:
        return [value["start"], value["end"]]
    for name, (held, many) in _nested(kind).items():
        if name in value:
            v = value[name]
            value[name] = [_pack(x, held) for x in v] if many else _pack(v, held)
    return value


def encode_record(record: Any, body: str, table: str) -> str:
    """The `data` text of a record of `table` in an article whose text is `body`."""
    data = _compact(record, body, table in KEEP_LISTS)
    for path, kind in COLUMN_FIELDS.get(table, {}).values():
        _leave_out(data, path, kind)
    return json.dumps(_pack(data, type(record)), ensure_ascii=False, separators=(",", ":"))


def _unpack(value: Any, kind: type, body: str) -> Any:
    """The contract form of a compact record of `kind`: pairs as spans, span texts from
    `body`."""
    if isinstance(value, list):
        value = {"start": value[0], "end": value[1]}
    for name, (held, many) in _nested(kind).items():
        v = value.get(name)
        if v is not None:
            value[name] = [_unpack(x, held, body) for x in v] if many else _unpack(v, held, body)
    if _plan(kind)[0] and "text" not in value:
        value["text"] = body[value["start"]:value["end"]]
    return value


def _merge(into: dict, data: dict) -> dict:
    """`data` over `into`, dict by dict."""
    for name, v in data.items():
        if isinstance(v, dict) and isinstance(into.get(name), dict):
            _merge(into[name], v)
        else:
            into[name] = v
    return into


@cache
def _column_paths(table: str) -> tuple[tuple[str, FieldPath, str], ...]:
    """Each column of `table` in COLUMN_FIELDS with its field's parents and name."""
    return tuple((column, path[:-1], path[-1])
                 for column, (path, _) in COLUMN_FIELDS.get(table, {}).items())


def decode_record(row: Row, body: str, table: str) -> dict:
    """The contract dict of a record of `table` from its row (`data` and the columns of
    COLUMN_FIELDS), compact or written in full."""
    held: dict = {}
    for column, parents, name in _column_paths(table):
        value = row[column]
        if value is not None:
            holder = held
            for parent in parents:
                holder = holder.setdefault(parent, {})
            holder[name] = value
    return _unpack(_merge(held, json.loads(row["data"])), RECORD_KINDS[table], body)


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
