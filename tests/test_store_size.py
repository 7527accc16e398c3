"""Migrations 0013, 0014 and 0016: a store keeps no copies of body text it can rebuild nor
indexes no query reads, and both databases fold accents alike when searching."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import sayso.store.core
from sayso.model import (
    Analysis,
    Article,
    Assertion,
    Attribution,
    ContentSpan,
    Entity,
    SourceSpan,
    Span,
)
from sayso.store import open_store
from sayso.store.dialect import dialect_for
from sayso.store.migrate import latest_version, migrate
from sayso.store.records import Row

RowsOf = Callable[[Analysis], Iterator[tuple[str, list[Row]]]]
BEFORE_SIZE = 12  # the last version whose mentions and assertions kept their text
BEFORE_INDEXES = 15  # the last version with the indexes 0016 drops
UNUSED_INDEXES = {"times_value", "framing_technique", "statement_custody_modality",
                  "identities_name", "identity_members_machine"}


def _span(text: str, phrase: str, kind: type = Span) -> Span:
    start = text.index(phrase)
    return kind(start, start + len(phrase), phrase)


def accented_article() -> Analysis:
    """An invented article whose words come with and without accents."""
    text = ("The mayor of Bogotá, Inés Varga, said the café on the plaza would reopen. "
            "Her résumé lists a decade at the city's water board.")
    s = lambda phrase, kind=Span: _span(text, phrase, kind)  # noqa: E731
    return Analysis(
        article=Article(title="Café reopens in Bogotá", text=text, published="2024-05-02"),
        entities=[Entity("E1", "Inés Varga", "PERSON", mentions=[s("Inés Varga")])],
        attributions=[Attribution("A1", "indirect", s("Inés Varga", SourceSpan), s("said"),
                                  s("the café on the plaza would reopen", ContentSpan))],
        assertions=[Assertion("S1", *_offsets(s("Her résumé lists a decade at the city's "
                                                 "water board.")))],
    )


def _offsets(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text


@pytest.mark.parametrize(("target", "queries"), [
    ("articles", ("Bogota", "Bogotá", "BOGOTÁ", "bogôta")),
    ("articles", ("cafe", "café", "Café reopens", "cafe reopens")),
    ("articles", ("resume", "résumé")),
    ("statements", ("cafe plaza", "café plaza", "Café")),
])
def test_accented_and_plain_queries_find_the_same(store_url: str, ledger: list[Analysis],
                                                   target: str, queries: tuple[str, ...]) -> None:
    accented = accented_article()
    with open_store(store_url) as store:
        for analysis in (accented, *ledger):
            store.save(analysis)
        hits = [[h["article_id"] for h in store.search(q, target)] for q in queries]
    assert hits == [[accented.article.id]] * len(queries)


def with_text(rows_of: RowsOf, tables: set[str]) -> RowsOf:
    """`rows_of` as sayso wrote it before 0013: rows of `tables` with their span's text."""

    def rows(analysis: Analysis) -> Iterator[tuple[str, list[Row]]]:
        body = analysis.article.text
        for table, found in rows_of(analysis):
            yield table, [{**r, "text": body[r["start_char"]:r["end_char"]]}
                          if table in tables else r for r in found]

    return rows


def before_size_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Save as sayso did before 0013: mentions and assertions rows with their text."""
    core = sayso.store.core
    monkeypatch.setattr(core, "table_rows", with_text(core.table_rows, {"mentions"}))
    monkeypatch.setattr(core, "voice_rows", with_text(core.voice_rows, {"assertions"}))


def test_store_from_before_0013_is_upgraded(store_url: str, ledger: list[Analysis],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = dialect_for(store_url)
    conn = dialect.connect(store_url)
    assert migrate(conn, dialect, target=BEFORE_SIZE) == BEFORE_SIZE
    conn.close()
    accented = accented_article()
    with monkeypatch.context() as m:
        before_size_rows(m)
        store = sayso.store.core.Store(dialect.connect(store_url), dialect, store_url)
        for analysis in (accented, *ledger):
            assert store.save(analysis)
        store.close()
    with open_store(store_url) as store:
        assert store._rows("SELECT max(version) AS v FROM schema_version")[0]["v"] == \
            latest_version(dialect)
        for analysis in (accented, *ledger):
            assert store.load(analysis.article.id) == analysis
        assert set(store._rows("SELECT * FROM mentions")[0]) == {
            "article_id", "entity_id", "start_char", "end_char"}
        assert "text" not in store._rows("SELECT * FROM assertions")[0]
        assert [h["article_id"] for h in store.search("cafe", "statements")] == \
            [accented.article.id]


def _indexes(store: sayso.store.core.Store) -> set[str]:
    sql = ("SELECT name FROM sqlite_schema WHERE type = 'index'" if store.dialect.name == "sqlite"
           else "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()")
    return {r["name"] for r in store._rows(sql)}


def test_unused_indexes_are_dropped_from_an_old_store(store_url: str,
                                                      ledger: list[Analysis]) -> None:
    dialect = dialect_for(store_url)
    conn = dialect.connect(store_url)
    assert migrate(conn, dialect, target=BEFORE_INDEXES) == BEFORE_INDEXES
    with sayso.store.core.Store(conn, dialect, store_url) as store:
        for analysis in ledger:
            assert store.save(analysis)
        assert UNUSED_INDEXES <= _indexes(store)
    with open_store(store_url) as store:
        assert not UNUSED_INDEXES & _indexes(store)
        assert [store.load(a.article.id) for a in ledger] == ledger
