"""The store on SQLite and PostgreSQL: round trips, idempotence, atomicity, migrations, search."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import sayso.store.core
from sayso.cli import main
from sayso.model import Analysis, IngestError
from sayso.store import SchemaVersionError, Store, open_store
from sayso.store.dialect import PostgresDialect, dialect_for
from sayso.store.migrate import latest_version, migrate, migrations
from sayso.store.records import Row
from test_contract import split_quote
from test_store_size import with_text

TABLES = ("articles", "entities", "mentions", "attributions", "times", "places", "quantities",
          "events", "event_participants")
CONTRACT_2_COLUMNS = ("content_parts", "confidence", "source_confidence")
TableRows = Callable[[Analysis], Iterator[tuple[str, list[Row]]]]


def saved_before_contract_2(table_rows: TableRows) -> TableRows:
    """`table_rows` as a sayso before contract 2.0 had it: attribution rows without the columns
    migration 0006 adds, and their `data` without parts or confidences."""

    def contract_1(row: Row) -> Row:
        data = json.loads(row["data"])
        data.pop("confidence", None), data.get("content", {}).pop("parts", None)
        if data.get("source"):
            data["source"].pop("confidence", None)
        return {**{k: v for k, v in row.items() if k not in CONTRACT_2_COLUMNS},
                "data": json.dumps(data)}

    def rows(analysis: Analysis) -> Iterator[tuple[str, list[Row]]]:
        for table, found in table_rows(analysis):
            yield table, [contract_1(r) for r in found] if table == "attributions" else found

    return rows


def counts(store: Store) -> dict[str, int]:
    return {t: store._rows(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in TABLES}


def test_load_rebuilds_what_was_saved(store_url: str, ledger: list[Analysis]) -> None:
    with open_store(store_url) as store:
        for analysis in ledger:
            assert store.save(analysis)
    with open_store(store_url) as store:  # a fresh connection reads only what was committed
        for analysis in ledger:
            loaded = store.load(analysis.article.id)
            assert loaded == analysis
            assert loaded.to_dict() == analysis.to_dict()
        assert store.load("0000000000000000") is None


def test_split_quote_parts_and_confidences_round_trip(store_url: str) -> None:
    analysis = split_quote()
    with open_store(store_url) as store:
        assert store.save(analysis)
    with open_store(store_url) as store:
        loaded = store.load(analysis.article.id)
        assert loaded == analysis and loaded.to_dict() == analysis.to_dict()
        assert [p.text for p in loaded.attributions[0].content.parts] == [
            '"We will stay on the quay,"', '"until the company admits that the rota is unsafe."']
        rows = store._rows("SELECT content_parts, confidence, source_confidence FROM "
                           "attributions ORDER BY seq")
    assert [[p["text"] for p in json.loads(r["content_parts"])] for r in rows] == [
        [p.text for p in analysis.attributions[0].content.parts], []]
    assert [(r["confidence"], r["source_confidence"]) for r in rows] == [(0.9, 0.85), (0.8, 0.6)]


def test_statement_subjects_come_from_the_parts_only(store_url: str) -> None:
    analysis = split_quote()  # "reporters" lies between the parts; the company in the second
    analysis.entities.append(dataclasses.replace(
        analysis.entities[1], id="E3", name="reporters",
        mentions=[analysis.attributions[0].addressee]))
    with open_store(store_url) as store:
        store.save(analysis)
        rows = store._rows("SELECT seq, entity_id FROM statement_subjects ORDER BY seq")
    assert rows == [{"seq": 0, "entity_id": "E2"}]


def test_indexed_columns_keep_exact_offsets(store_url: str, ledger: list[Analysis]) -> None:
    mining = ledger[1]
    with open_store(store_url) as store:
        store.save(mining)
        rows = store._rows("SELECT * FROM attributions WHERE article_id = ? ORDER BY seq",
                           (mining.article.id,))
        text = mining.article.text
        for row, attribution in zip(rows, mining.attributions, strict=True):
            assert text[row["content_start"]:row["content_end"]] == row["content_text"]
            assert row["source_entity"] == attribution.source.entity
        assert rows[4]["parent"] == "A4" and rows[1]["addressee_text"] == "reporters"
        mentions = store._rows("SELECT entity_id, start_char, end_char FROM mentions "
                               "WHERE entity_id = 'E1' ORDER BY start_char")
        assert [text[m["start_char"]:m["end_char"]] for m in mentions] == [
            "Marta Quiroga", "Quiroga", "Quiroga"]
        assert store._rows("SELECT event_id, entity_id, role FROM event_participants "
                           "ORDER BY role") == [
            {"event_id": "V1", "entity_id": "E1", "role": "actor"},
            {"event_id": "V1", "entity_id": "E3", "role": "recipient"}]
        place = store._rows("SELECT geonameid, lat FROM places WHERE id = 'P1'")[0]
        assert place == {"geonameid": 3899539, "lat": -23.65236}


def test_saving_twice_stores_once(store_url: str, ledger: list[Analysis]) -> None:
    with open_store(store_url) as store:
        assert store.save(ledger[1])
        once = counts(store)
        assert not store.save(ledger[1])
        assert not store.save(Analysis.from_dict(ledger[1].to_dict()))  # same text, same id
        assert counts(store) == once
        assert once["articles"] == 1 and once["attributions"] == 5 and once["mentions"] == 5
        assert store.has_article(ledger[1].article.id)
        assert not store.has_article(ledger[0].article.id)


def test_failed_save_leaves_nothing(store_url: str, ledger: list[Analysis]) -> None:
    broken = ledger[0]
    broken.attributions[1] = dataclasses.replace(broken.attributions[1], kind=None)
    with open_store(store_url) as store:
        with pytest.raises(Exception, match="(?i)null"):
            store.save(broken)
        assert not store.has_article(broken.article.id)
        assert counts(store) == dict.fromkeys(TABLES, 0)
        assert store.save(ledger[1])  # the connection is usable afterwards


def test_errors_are_kept_once_per_input_and_kind(store_url: str) -> None:
    with open_store(store_url) as store:
        store.record_error(IngestError("feeds/a.html", "empty", "no article text found"))
        store.record_error(IngestError("feeds/a.html", "empty", "still no article text"))
        store.record_error(IngestError("dump.jsonl:7", "language", "looks like Spanish"))
        errors = store.errors()
    assert sorted((e["origin"], e["error"], e["message"]) for e in errors) == [
        ("dump.jsonl:7", "language", "looks like Spanish"),
        ("feeds/a.html", "empty", "still no article text")]
    assert all(e["time"] for e in errors)


def test_list_articles_newest_first(store_url: str, ledger: list[Analysis]) -> None:
    with open_store(store_url) as store:
        for analysis in reversed(ledger):
            store.save(analysis)
        rows = store.list_articles()
    assert [r["id"] for r in rows] == [a.article.id for a in ledger]
    assert [r["statements"] for r in rows] == [2, 5]
    assert rows[1]["url"] == "https://example.org/chile-copper"
    assert rows[0]["sayso_version"] and rows[0]["analyzed_at"]


def test_search_articles_and_statements(store_url: str, ledger: list[Analysis]) -> None:
    fishing, mining = (a.article.id for a in ledger)
    with open_store(store_url) as store:
        for analysis in ledger:
            store.save(analysis)
        hits = store.search("blocking harbours")  # stemmed: blocked, harbour
        assert [h["article_id"] for h in hits] == [fishing]
        assert "[blocked]" in hits[0]["snippet"]
        assert [h["article_id"] for h in store.search("copper inflation")] == [mining]
        assert store.search("copper harbour") == []  # every word must occur
        statements = store.search("mine close", target="statements")
        assert sorted(h["attribution_id"] for h in statements) == ["A4", "A5"]
        assert all(h["article_id"] == mining and "[mine]" in h["snippet"] for h in statements)
        assert store.search('quotas "ruin (', target="statements")[0]["attribution_id"] == "A2"
        assert store.search("  ") == []
        with pytest.raises(ValueError):
            store.search("copper", target="entities")


def test_voices_count_statements_per_speaker(store_url: str, ledger: list[Analysis]) -> None:
    with open_store(store_url) as store:
        for analysis in ledger:
            store.save(analysis)
        voices = store.voices()
    assert voices[0] == {"name": "Marta Quiroga", "type": "PERSON", "country": "CHL",
                         "statements": 3, "articles": 1}
    assert len(voices) == 5 and all(v["statements"] == 1 for v in voices[1:])


def test_every_dialect_has_the_same_migration_versions() -> None:
    versions = {d.name: [m.version for m in migrations(d)]
                for d in (dialect_for("x.db"), PostgresDialect())}
    assert versions["sqlite"] == versions["postgresql"] == list(range(1, len(versions["sqlite"])
                                                                      + 1))
    assert len(versions["sqlite"]) >= 2


def test_old_store_is_upgraded(store_url: str, ledger: list[Analysis],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = dialect_for(store_url)
    conn = dialect.connect(store_url)
    assert migrate(conn, dialect, target=1) == 1  # a store as the first release left it
    old = Store(conn, dialect, store_url)
    with monkeypatch.context() as m:  # the first release's article rows had no later columns
        first_release_row = sayso.store.core.article_row
        m.setattr(sayso.store.core, "article_row",
                  lambda *a: {k: v for k, v in first_release_row(*a).items() if k != "byline"})
        first_release_tables = sayso.store.core.table_rows  # nor the later tables
        m.setattr(sayso.store.core, "table_rows", saved_before_contract_2(lambda a: (
            (t, rows) for t, rows in with_text(first_release_tables, {"mentions"})(a)
            if t != "statement_subjects")))
        m.setattr(sayso.store.core, "total_rows", lambda a: iter(()))
        m.setattr(sayso.store.core, "voice_rows", lambda a: iter(()))
        old.save(ledger[0])
    with pytest.raises(Exception, match="(?i)articles_fts|column .*search|sayso_fold"):
        old.search("harbour")
    old.close()
    with open_store(store_url) as store:
        versions = store._rows("SELECT version FROM schema_version ORDER BY version")
        assert [v["version"] for v in versions] == list(range(1, latest_version(dialect) + 1))
        assert [h["article_id"] for h in store.search("harbour")] == [ledger[0].article.id]
        store.save(ledger[1])
        assert store.search("Quiroga", target="statements")
        old_rows = store._rows("SELECT content_parts, confidence, source_confidence "
                               "FROM attributions WHERE article_id = ?", (ledger[0].article.id,))
        assert old_rows == [{"content_parts": "[]", "confidence": None,
                             "source_confidence": None}] * 2
        loaded = store.load(ledger[0].article.id)  # 1.1 data: no parts, confidence unknown
    assert loaded == ledger[0]
    assert all(a.content.parts == [] and a.confidence is None and a.source.confidence is None
               for a in loaded.attributions)


def test_store_from_newer_sayso_is_refused(store_url: str, ledger: list[Analysis],
                                           capsys: pytest.CaptureFixture) -> None:
    with open_store(store_url) as store:
        store.save(ledger[0])
        with store.dialect.transaction(store.conn):
            store.conn.execute(store.dialect.sql("INSERT INTO schema_version VALUES (?, ?, ?)"),
                               (99, "from_the_future", "2031-01-01T00:00:00+00:00"))
    with pytest.raises(SchemaVersionError, match="version 99.*newer sayso"):
        open_store(store_url)
    assert main(["show", "--db", store_url]) == 2
    assert "newer sayso" in capsys.readouterr().err
    dialect = dialect_for(store_url)
    conn = dialect.connect(store_url)
    try:  # refused without touching it: the future schema and its data are still there
        store = Store(conn, dialect, store_url)
        assert store._rows("SELECT max(version) AS v FROM schema_version")[0]["v"] == 99
        assert store.load(ledger[0].article.id) == ledger[0]
    finally:
        conn.close()


# --- a killed run leaves a consistent store, and a rerun finishes it -------------------------

PEOPLE = ("Amara Okafor", "Lukas Brenner", "Priya Natarajan", "Tomás Herrera", "Yuki Sato",
          "Fatima Haddad", "Erik Lindqvist", "Grace Mwangi")
TOPICS = ("the rail budget", "water tariffs", "the school year", "port fees", "wind farms")


def _fixture_articles(folder: Path, n: int) -> None:
    """n small invented articles, all different, each with a quote and a reported statement."""
    folder.mkdir()
    for i in range(n):
        who, topic = PEOPLE[i % len(PEOPLE)], TOPICS[i % len(TOPICS)]
        surname = who.split()[-1]
        (folder / f"story_{i:03d}.txt").write_text(
            f"Council member {who} said on Wednesday that {topic} would be cut by {i + 3} percent "
            f"in district {i}.\n\n"
            f'"We have no other choice," {surname} told a meeting of residents. Opposition '
            f"councillors said the plan would hurt families, according to a statement issued "
            f"late on Wednesday.\n\nThe vote is expected next month.\n",
            encoding="utf-8",
        )


def _stored_ids(url: str) -> list[str]:
    """Article ids committed so far, read through a separate connection while the run goes on."""
    try:
        with open_store(url) as store:
            return [r["id"] for r in store.list_articles()]
    except (sqlite3.Error, OSError):  # the writer is still creating the file
        return []


def _analyze(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sayso.cli", "analyze", str(folder), "--db", url,
         "--batch-size", "1", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def test_killed_run_leaves_whole_articles_and_rerun_completes(
        store_url: str, tmp_path: Path) -> None:
    from sayso.ingest import read_inputs
    from sayso.pipeline import analyze_documents

    n = 40
    folder = tmp_path / "articles"
    _fixture_articles(folder, n)
    proc = _analyze(folder, store_url)
    deadline = time.monotonic() + 240
    while len(_stored_ids(store_url)) < 5:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    stored_at_kill = _stored_ids(store_url)
    assert 5 <= len(stored_at_kill) < n

    if not store_url.startswith("postgres"):
        with sqlite3.connect(store_url) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    expected = {a.article.id: a for a in analyze_documents(
        d for d in read_inputs([str(folder)]) if not isinstance(d, IngestError))}
    assert len(expected) == n
    with open_store(store_url) as store:  # every article stored before the kill is whole
        for article_id in stored_at_kill:
            assert store.load(article_id) == expected[article_id]

    rerun = _analyze(folder, store_url)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert f"skipped {len(stored_at_kill)} already stored" in stderr
    with open_store(store_url) as store:
        ids = [r["id"] for r in store.list_articles()]
        assert sorted(ids) == sorted(expected)  # all of them, none twice
        for article_id, analysis in expected.items():
            assert store.load(article_id) == analysis
        rows = counts(store)
    assert rows["attributions"] == sum(len(a.attributions) for a in expected.values())
    assert rows["mentions"] == sum(len(e.mentions) for a in expected.values()
                                   for e in a.entities)
