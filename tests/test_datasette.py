"""Datasette over a SQLite store, through Datasette's own test client: full-text search it finds
by itself, the `statements` view with speakers, links to articles, and the metadata that
`sayso export --datasette` writes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from sayso.cli import main
from sayso.model import Analysis
from sayso.store import open_store


@pytest.fixture
def db(tmp_path: Path, ledger: list[Analysis]) -> Path:
    path = tmp_path / "ledger.db"
    with open_store(path) as store:
        for analysis in ledger:
            store.save(analysis)
    return path


def _get(ds: Datasette, path: str) -> Any:
    """A JSON page of Datasette, fetched through its in-process client."""
    async def fetch() -> Any:
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def test_datasette_search_finds_a_statement(db: Path) -> None:
    ds = Datasette([str(db)])
    hits = _get(ds, "/ledger/attributions.json?_search=copper&_shape=array")
    assert [h["content_text"] for h in hits] == [
        "copper exports would rise by 12 percent next year"]
    articles = _get(ds, "/ledger/articles.json?_search=harbour&_shape=array")
    assert [a["title"] for a in articles] == ["Crews block harbour over quotas"]


def test_statements_view_names_speakers_and_records_link_to_articles(db: Path) -> None:
    ds = Datasette([str(db)])
    said = _get(ds, "/ledger/statements.json?speaker_name=Marta+Quiroga&_sort=seq&_shape=array")
    assert [s["id"] for s in said] == ["A1", "A2", "A5"]
    assert {s["title"] for s in said} == {"Copper exports to rise"}
    rows = _get(ds, "/ledger/entities.json?_labels=on&_shape=array&_size=1")
    assert rows[0]["article_id"]["label"] in {"Copper exports to rise",
                                              "Crews block harbour over quotas"}


def test_export_datasette_writes_metadata_with_a_statement_search(
        db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "datasette"
    assert main(["export", "--db", str(db), "--datasette", str(folder), "--quiet"]) == 0
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    ds = Datasette([str(db)], metadata=metadata)
    hits = _get(ds, "/ledger/search_statements.json?q=recovery&_shape=array")
    assert [(h["speaker_name"], h["kind"]) for h in hits] == [("Marta Quiroga", "direct")]
    tables = {t["name"]: t for t in _get(ds, "/ledger.json")["tables"]}
    assert tables["speaker_totals"]["hidden"] and not tables["attributions"]["hidden"]
    assert tables["attributions"]["fts_table"] == "attributions_fts"


def test_export_datasette_needs_a_store(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", "--db", str(tmp_path / "typo.db"), "--datasette",
                 str(tmp_path / "out")]) == 2
    assert "no sayso store" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "out").exists()
