"""The compact `data` encoding of record rows: what it leaves out (defaults, span texts the body
holds, fields the row's columns hold, spans as offset pairs) comes back on load, and rows written
in full (before it) still load."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import asdict

import pytest

import sayso.store.records
import sayso.store.voices
from sayso.model import Analysis, Place, Quantity, Span, TimeExpr
from sayso.store import open_store
from sayso.store.records import RECORD_COLUMNS


def _data(store, table: str) -> list[dict]:
    return [json.loads(r["data"]) for r in store._rows(f"SELECT data FROM {table} ORDER BY seq")]


def _keys(value: object) -> set[str]:
    """Every key of a JSON value, at any depth."""
    if isinstance(value, dict):
        return set(value).union(*map(_keys, value.values()))
    if isinstance(value, list):
        return set().union(*map(_keys, value))
    return set()


def test_span_texts_the_body_holds_are_not_stored(store_url: str,
                                                  ledger: list[Analysis]) -> None:
    analysis = ledger[0]
    with open_store(store_url) as store:
        store.save(analysis)
        rows = store._rows("SELECT data FROM attributions")
        stored = _data(store, "attributions")
        loaded = store.load(analysis.article.id)
    assert loaded == analysis
    assert all(json.dumps(json.loads(r["data"]), ensure_ascii=False, separators=(",", ":"))
               == r["data"] for r in rows)  # no spaces between items
    # Every span's offsets and text, the speaker link and the confidences are in columns.
    assert stored and not _keys(stored) & {"text", "start", "end", "entity", "confidence"}
    assert all("id" not in d and "kind" not in d for d in stored)  # kept in their own columns


def test_fields_their_columns_hold_are_left_out(store_url: str, ledger: list[Analysis]) -> None:
    mining = ledger[1]
    with open_store(store_url) as store:
        store.save(mining)
        places, entities = _data(store, "places"), _data(store, "entities")
        events = _data(store, "events")
        assert store.load(mining.article.id) == mining
    assert places and not _keys(places) & {"start", "end", "geonameid", "lat", "lon", "name"}
    first = next(e for e in mining.entities if e.mentions)
    assert entities[mining.entities.index(first)]["mentions"] == [
        [m.start, m.end] for m in first.mentions]  # offset pairs, their texts from the body
    assert all({"actors", "recipients"} <= set(e) for e in events)  # the events page reads them


def test_values_a_column_would_change_are_kept(store_url: str, ledger: list[Analysis]) -> None:
    """A REAL column gives back -0.0 as 0.0 and a whole number as a float, and SQLite stores NaN
    as NULL: `data` keeps those, so the analysis loads back to the same JSON."""
    analysis = copy.deepcopy(ledger[0])
    text = analysis.article.text
    analysis.places += [Place("P98", 0, 5, text[:5], lat=-0.0, lon=12),
                        Place("P99", 0, 5, text[:5], lat=math.nan, lon=1.5)]
    analysis.quantities.append(Quantity("Q99", 0, 5, text[:5], value=3))
    with open_store(store_url) as store:
        store.save(analysis)
        places = _data(store, "places")
        assert {"lat": -0.0, "lon": 12}.items() <= places[-2].items()
        assert math.isnan(places[-1]["lat"]) and "lon" not in places[-1]
        assert _data(store, "quantities")[-1]["value"] == 3
        loaded = store.load(analysis.article.id)
    assert json.dumps(loaded.to_dict()) == json.dumps(analysis.to_dict())
    assert type(loaded.quantities[-1].value) is int


def test_a_text_the_body_does_not_hold_is_kept(store_url: str, ledger: list[Analysis]) -> None:
    analysis = copy.deepcopy(ledger[0])
    analysis.article.captions = ["Boats at dawn"]
    analysis.times.append(TimeExpr("T99", 9, 13, "dawn", "TIME", None, part="caption:0"))
    analysis.entities[0].mentions.append(Span(9, 13, "dawn"))
    assert analysis.article.text[9:13] != "dawn"
    with open_store(store_url) as store:
        store.save(analysis)
        assert store._rows("SELECT text FROM times WHERE id = 'T99'") == [{"text": "dawn"}]
        assert _data(store, "entities")[0]["mentions"][-1] == {
            "start": 9, "end": 13, "text": "dawn"}  # no column holds it: not a pair
        assert store.load(analysis.article.id) == analysis


def test_rows_written_in_full_still_load(store_url: str, ledger: list[Analysis],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows as sayso wrote them before the compact encoding: every field, every span text."""
    def in_full(record, body: str, table: str = "") -> str:
        return json.dumps(asdict(record), ensure_ascii=False)

    with monkeypatch.context() as m:
        m.setattr(sayso.store.records, "encode_record", in_full)
        m.setattr(sayso.store.voices, "encode_record", in_full)
        with open_store(store_url) as store:
            store.save(ledger[0])
            assert "text" in _data(store, "attributions")[0]["content"]
    with open_store(store_url) as store:
        store.save(ledger[1])
        assert [store.load(a.article.id) for a in ledger] == ledger


def test_compact_rows_are_smaller(store_url: str, ledger: list[Analysis]) -> None:
    with open_store(store_url) as store:
        store.save(ledger[1])
        compact = sum(len(r["data"]) for t in RECORD_COLUMNS
                      for r in store._rows(f"SELECT data FROM {t}"))
    full = sum(len(json.dumps(asdict(r), ensure_ascii=False))
               for t in RECORD_COLUMNS for r in getattr(ledger[1], t))
    assert compact < 0.7 * full
