"""PLOVER event records in the style of POLECAT: one flat JSON object per event.

Each record names its actors and recipients with their PLOVER codes, the event's place and
date (with the date's granularity, falling back to the article's publication day), the source
sentence, and on whose say-so it is known (`reported_by` with the speaker) with its modality,
so users can filter out what a source merely claims or denies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sayso.model import Analysis, Entity


def _actor(entity: Entity) -> dict[str, Any]:
    return {"entity": entity.id, "name": entity.name, "country": entity.country,
            "sector": entity.sector, "code": entity.code}


def _date(analysis: Analysis, time_id: str | None) -> tuple[str | None, str | None]:
    """(date, granularity): the event's own time when resolved, else the publication day."""
    time = next((t for t in analysis.times if t.id == time_id), None)
    if time is not None and time.resolved and time.value:
        return time.value, time.granularity
    published = analysis.article.published
    return (published[:10], "publication") if published else (None, None)


def plover_records(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """The article's events as POLECAT-style records."""
    entities = {e.id: e for e in analysis.entities}
    places = {p.id: p for p in analysis.places}
    statements = {a.id: a for a in analysis.attributions}
    art = analysis.article
    for ev in analysis.events:
        date, granularity = _date(analysis, ev.time)
        place = places.get(ev.place) if ev.place else None
        said = statements.get(ev.reported_by) if ev.reported_by else None
        speaker = entities.get(said.source.entity) if said and said.source and \
            said.source.entity else None
        yield {
            "event_id": f"{art.id}-{ev.id}", "story_id": art.id, "url": art.url,
            "publication_date": art.published, "event_date": date,
            "date_granularity": granularity,
            "event_type": ev.type, "mode": ev.mode, "context": ev.context,
            "actors": [_actor(entities[i]) for i in ev.actors if i in entities],
            "recipients": [_actor(entities[i]) for i in ev.recipients if i in entities],
            "location": None if place is None else {
                "name": place.name or place.text, "country": place.country,
                "geonameid": place.geonameid, "lat": place.lat, "lon": place.lon},
            "anchor": ev.anchor.text,
            "sentence": ev.sentence.text if ev.sentence else None,
            "reported_by": None if said is None else {
                "attribution": said.id, "speaker": speaker.name if speaker else
                (said.source.text if said.source else None)},
            "modality": ev.modality,
        }  # fmt: skip


def write_plover(analyses: Iterable[Analysis], f: TextIO) -> None:
    """JSON Lines, one event per line."""
    for analysis in analyses:
        for record in plover_records(analysis):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
