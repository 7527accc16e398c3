"""`sayso export`: every format read back and checked against the analyses that were stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sayso.cli import main
from sayso.export import ATTRIBUTION_COLUMNS, attribution_rows
from sayso.model import Analysis
from sayso.store import open_store
from test_contract import split_quote


@pytest.fixture
def stored(store_url: str, ledger: list[Analysis]) -> str:
    with open_store(store_url) as store:
        for analysis in reversed(ledger):
            store.save(analysis)
    return store_url


def export(db: str, fmt: str, out: Path) -> None:
    assert main(["export", "--db", db, "--format", fmt, "--out", str(out)]) == 0


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_hold_contract_dicts(stored: str, ledger: list[Analysis], tmp_path: Path,
                                          fmt: str) -> None:
    out = tmp_path / f"ledger.{fmt}"
    export(stored, fmt, out)
    text = out.read_text(encoding="utf-8")
    dicts = json.loads(text) if fmt == "json" else [json.loads(line) for line in
                                                   text.splitlines()]
    assert [Analysis.from_dict(d) for d in dicts] == ledger  # newest first
    assert dicts[0]["contract_version"] and dicts[0]["sayso_version"]
    assert "Tromsø" in text  # UTF-8 as is, not \\u escapes


def test_csv_has_one_row_per_attribution(stored: str, ledger: list[Analysis],
                                         tmp_path: Path) -> None:
    out = tmp_path / "statements.csv"
    export(stored, "csv", out)
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames) == ATTRIBUTION_COLUMNS
    assert len(rows) == sum(len(a.attributions) for a in ledger) == 7
    nested = next(r for r in rows if r["parent"])
    assert nested["attribution_id"] == "A5" and nested["parent"] == "A4"
    assert (nested["speaker_name"], nested["speaker_country"], nested["speaker_roles"]) == (
        "Marta Quiroga", "CHL", "finance minister")
    assert nested["published"] == "2024-03-14" and nested["title"] == "Copper exports to rise"
    texts = {a.article.id: a.article.text for a in ledger}
    for row in rows:
        text = texts[row["article_id"]]
        start, end = int(row["content_start"]), int(row["content_end"])
        assert text[start:end] == row["content_text"]
    mixed = next(r for r in rows if r["kind"] == "mixed")
    assert mixed["content_text"] == 'the new quotas "will ruin small boats."'
    assert mixed["addressee_text"] == "" and mixed["speaker_roles"] == "spokesman"


def test_parquet_writes_a_folder_of_tables(stored: str, ledger: list[Analysis],
                                           tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export(stored, "parquet", out)
    tables = {p.stem: pq.read_table(p).to_pylist() for p in out.glob("*.parquet")}
    assert set(tables) == {"articles", "attributions", "entities", "events"}
    assert [r["id"] for r in tables["articles"]] == [a.article.id for a in ledger]
    assert tables["articles"][1]["authors"] == ["Ana Ruiz"]
    assert tables["attributions"] == [row for a in ledger for row in attribution_rows(a)]
    assert len(tables["entities"]) == 6
    quiroga = next(e for e in tables["entities"] if e["name"] == "Marta Quiroga")
    assert quiroga["roles"] == ["finance minister"] and len(quiroga["mentions"]) == 3
    assert sorted((e["type"], e["actors"]) for e in tables["events"]) == [
        ("AGREE", ["E1"]), ("PROTEST", ["E3"])]


@pytest.fixture
def split_stored(store_url: str) -> str:
    with open_store(store_url) as store:
        store.save(split_quote())
    return store_url


PARTS = ['"We will stay on the quay,"', '"until the company admits that the rota is unsafe."']


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_keep_parts_and_confidences(split_stored: str, tmp_path: Path,
                                                 fmt: str) -> None:
    out = tmp_path / f"ledger.{fmt}"
    export(split_stored, fmt, out)
    [data] = json.loads(out.read_text(encoding="utf-8")) if fmt == "json" else [
        json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert Analysis.from_dict(data) == split_quote()
    first = data["attributions"][0]
    assert [p["text"] for p in first["content"]["parts"]] == PARTS
    assert (first["confidence"], first["source"]["confidence"]) == (0.9, 0.85)


def test_csv_and_parquet_have_parts_and_confidence_columns(split_stored: str,
                                                           tmp_path: Path) -> None:
    assert {"confidence", "source_confidence", "content_parts"} <= set(ATTRIBUTION_COLUMNS)
    export(split_stored, "csv", tmp_path / "statements.csv")
    with (tmp_path / "statements.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    text = split_quote().article.text
    parts = json.loads(rows[0]["content_parts"])
    assert [text[p["start"]:p["end"]] for p in parts] == [p["text"] for p in parts] == PARTS
    assert json.loads(rows[1]["content_parts"]) == []
    assert [(r["confidence"], r["source_confidence"]) for r in rows] == [("0.9", "0.85"),
                                                                         ("0.8", "0.6")]
    export(split_stored, "parquet", tmp_path / "parquet")
    table = pq.read_table(tmp_path / "parquet" / "attributions.parquet").to_pylist()
    assert [p["text"] for p in table[0]["content_parts"]] == PARTS
    assert [(r["confidence"], r["source_confidence"]) for r in table] == [(0.9, 0.85),
                                                                          (0.8, 0.6)]


def test_empty_store_exports_empty_files(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    export(db, "json", tmp_path / "a.json")
    export(db, "csv", tmp_path / "a.csv")
    assert json.loads((tmp_path / "a.json").read_text()) == []
    assert (tmp_path / "a.csv").read_text().splitlines() == [",".join(ATTRIBUTION_COLUMNS)]

