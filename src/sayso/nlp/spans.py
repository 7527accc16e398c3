"""sayso's results as spaCy spans, for code that reads `doc.spans` rather than sayso's records.

Every sayso component is registered with `sayso_factory`, so whatever it adds to `doc._` is also
laid out as span groups (`SPAN_GROUPS`): each span is labelled with the record's kind or type and
carries its id as `span.id_`. `span._.sayso_record` is the record itself and
`span._.sayso_speaker` the entity a statement's source resolves to. Times, places and quantities
found in the byline or captions index other strings than the body, so they have no span here.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.model import Attribution, Entity, Event
from sayso.model import Span as TextSpan

# A record's extent in the text, its label and its id.
Extent = tuple[TextSpan, str | None, str]
QUANTITY_LABEL = "QUANTITY"  # the label of a quantity with no unit: a count of what it names
# doc.user_data keys: the Doc's text, token columns, what each span group was last built from.
TEXT_KEY, COLUMNS_KEY, BUILT_KEY = "sayso_text", "sayso_columns", "sayso_span_groups"
# Token attributes `token_column` gives as strings (spaCy stores them as string-store keys).
STRING_ATTRS = frozenset({"ORTH", "LOWER", "LEMMA", "POS", "TAG", "DEP", "ENT_TYPE"})


def _statement_parts(part: str) -> Callable[[list[Any]], Iterator[Extent]]:
    def extents(attributions: list[Attribution]) -> Iterator[Extent]:
        for a in attributions:
            span = getattr(a, part)
            if span is not None:
                yield span, a.kind, a.id

    return extents


def _mentions(entities: list[Entity]) -> Iterator[Extent]:
    for e in entities:
        for m in e.mentions:
            yield m, e.type, e.id


def _in_body(label: str) -> Callable[[list[Any]], Iterator[Extent]]:
    def extents(records: list[Any]) -> Iterator[Extent]:
        for r in records:
            if r.part == "text":
                yield r, getattr(r, label), r.id

    return extents


def _anchors(events: list[Event]) -> Iterator[Extent]:
    for ev in events:
        yield ev.anchor, ev.type, ev.id


# Each group: the `doc._` field it is drawn from, and the extents of that field's records.
SPAN_GROUPS: dict[str, tuple[str, Callable[[list[Any]], Iterator[Extent]]]] = {
    "sayso_sources": ("attributions", _statement_parts("source")),
    "sayso_cues": ("attributions", _statement_parts("cue")),
    "sayso_contents": ("attributions", _statement_parts("content")),
    "sayso_entities": ("entities", _mentions),
    "sayso_times": ("times", _in_body("type")),
    "sayso_places": ("places", _in_body("kind")),
    "sayso_quantities": ("quantities", _in_body("unit")),
    "sayso_events": ("events", _anchors),
}
RECORD_FIELDS = tuple(dict.fromkeys(field for field, _ in SPAN_GROUPS.values()))


def _records(doc: Doc) -> dict[str, Any]:
    return {r.id: r for name in RECORD_FIELDS for r in getattr(doc._, name) or []}


def _record(span: Span) -> Any:
    return _records(span.doc).get(span.id_)


def _speaker(span: Span) -> Entity | None:
    records = _records(span.doc)
    a = records.get(span.id_)
    if isinstance(a, Attribution) and a.source is not None and a.source.entity:
        return records.get(a.source.entity)
    return None


for _name, _getter in (("sayso_record", _record), ("sayso_speaker", _speaker)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_getter)


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once per Doc: spaCy joins every token again on each `Doc.text`,
    and the components read it many times (a Doc's text never changes)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def token_column(doc: Doc, attr: str) -> list:
    """One attribute of every token, by spaCy attribute name ("LOWER" gives each `lower_`,
    "HEAD" each head's index, "IS_STOP" 0 or 1), read in one `Doc.to_array` and kept per Doc:
    `token.lower_` token by token makes a Token and looks a string up each time, and the
    components scan every token. Valid once the parser has run (no component retags)."""
    columns = doc.user_data.setdefault(COLUMNS_KEY, {})
    found = columns.get(attr)
    if found is None:
        values = doc.to_array(attr)
        if attr == "HEAD":  # stored as the offset from the token, in unsigned integers
            values = values.astype(np.int64) + np.arange(len(doc), dtype=np.int64)
        found = values.tolist()
        if attr in STRING_ATTRS:
            names = {key: doc.vocab.strings[key] for key in set(found)}
            found = [names[key] for key in found]
        columns[attr] = found
    return found


def write_span_groups(doc: Doc) -> Doc:
    """Lay out as span groups, widened to whole tokens, the records of every `doc._` field a
    component has set (an empty group when it found nothing; no group when it did not run).

    Each component runs this over every field, so a group is rebuilt only when the extents,
    labels or ids it is made of differ from those it was last built from."""
    built = doc.user_data.setdefault(BUILT_KEY, {})
    for group, (field, extents) in SPAN_GROUPS.items():
        records = getattr(doc._, field)
        if records is None:
            continue
        wanted = [(extent.start, extent.end, label or QUANTITY_LABEL, record_id)
                  for extent, label, record_id in extents(records)]
        if group in doc.spans and built.get(group) == wanted:
            continue
        doc.spans[group] = [
            span for start, end, label, record_id in wanted
            if (span := doc.char_span(start, end, label=label, alignment_mode="expand",
                                      span_id=record_id)) is not None
        ]
        built[group] = wanted
    return doc


class SpanWriter:
    """A sayso component that also leaves its results in `doc.spans`."""

    def __init__(self, component: Callable[[Doc], Doc]) -> None:
        self.component = component

    def __call__(self, doc: Doc) -> Doc:
        return write_span_groups(self.component(doc))


def sayso_factory(name: str, **meta: Any) -> Callable[[Callable], Callable]:
    """`Language.factory` for a sayso component: what the factory makes is wrapped in a
    `SpanWriter`, and the wrapped factory is what the module (and so its spaCy entry point)
    exposes, so a pipeline built by name or reloaded from disk writes the same span groups."""

    def register(make: Callable) -> Callable:
        @functools.wraps(make)
        def make_with_spans(*args: Any, **kwargs: Any) -> SpanWriter:
            return SpanWriter(make(*args, **kwargs))

        make_with_spans.__signature__ = inspect.signature(make)  # spaCy reads its arguments
        Language.factory(name, **meta)(make_with_spans)
        return make_with_spans

    return register
