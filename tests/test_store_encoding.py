"""The compact `data` encoding of record rows: what it leaves out comes back on load, and rows
written in full (before it) still load."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict

import pytest

import sayso.store.records
import sayso.store.voices
from sayso.model import Analysis, TimeExpr
from sayso.store import open_store
from sayso.store.records import RECORD_COLUMNS


def _data(store, table: str) -> list[dict]:
    return [json.loads(r["data"]) for r in store._rows(f"SELECT data FROM {table} ORDER BY seq")]


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
    assert stored and all("text" not in d["content"] for d in stored)
    assert all("id" not in d and "kind" not in d for d in stored)  # kept in their own columns


def test_a_text_the_body_does_not_hold_is_kept(store_url: str, ledger: list[Analysis]) -> None:
    analysis = copy.deepcopy(ledger[0])
    analysis.article.captions = ["Boats at dawn"]
    analysis.times.append(TimeExpr("T99", 9, 13, "dawn", "TIME", None, part="caption:0"))
    assert analysis.article.text[9:13] != "dawn"
    with open_store(store_url) as store:
        store.save(analysis)
        assert _data(store, "times")[-1]["text"] == "dawn"
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
