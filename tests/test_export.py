"""`sayso export`: every format read back and checked against the analyses that were stored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sayso.cli import main
from sayso.export import ATTRIBUTION_COLUMNS, TABLES, attribution_rows, table_rows, table_schema
from sayso.model import Analysis
from sayso.store import open_store
from test_contract import split_quote


@pytest.fixture
def stored(store_url: str, ledger: list[Analysis]) -> str:
    with open_store(store_url) as store:
        for analysis in reversed(ledger):
            store.save(analysis)
    return store_url


def export(db: str, fmt: str, out: Path | str, *options: str) -> None:
    assert main(["export", "--db", db, "--format", fmt, "--out", str(out), *options]) == 0


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
        "Marta Quiroga", "CHL", '["finance minister"]')  # nested values as JSON text
    assert nested["published"] == "2024-03-14" and nested["title"] == "Copper exports to rise"
    texts = {a.article.id: a.article.text for a in ledger}
    for row in rows:
        text = texts[row["article_id"]]
        start, end = int(row["content_start"]), int(row["content_end"])
        assert text[start:end] == row["content_text"]
    mixed = next(r for r in rows if r["kind"] == "mixed")
    assert mixed["content_text"] == 'the new quotas "will ruin small boats."'
    assert mixed["addressee_text"] == "" and mixed["speaker_roles"] == '["spokesman"]'


def test_parquet_writes_a_folder_of_tables(stored: str, ledger: list[Analysis],
                                           tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export(stored, "parquet", out)
    tables = {p.stem: pq.read_table(p).to_pylist() for p in out.glob("*.parquet")}
    assert set(tables) == set(TABLES)
    assert [r["id"] for r in tables["articles"]] == [a.article.id for a in ledger]
    assert tables["articles"][1]["authors"] == ["Ana Ruiz"]
    assert tables["attributions"] == [row for a in ledger for row in attribution_rows(a)]
    assert len(tables["entities"]) == 6
    quiroga = next(e for e in tables["entities"] if e["name"] == "Marta Quiroga")
    assert quiroga["roles"] == ["finance minister"] and len(quiroga["mentions"]) == 3
    assert sorted((e["type"], e["actors"]) for e in tables["events"]) == [
        ("AGREE", ["E1"]), ("PROTEST", ["E3"])]
    for name in ("times", "places", "quantities"):
        assert tables[name] == [row for a in ledger for row in table_rows(a, name)]
    assert {t["value"] for t in tables["times"]} >= {"2024-05-06", "2025", None}
    protest = next(e for e in tables["events"] if e["type"] == "PROTEST")
    assert (protest["anchor_text"], protest["place"], protest["sentence_text"]) == (
        "blocked", "P1", None)


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
    export(db, "json", tmp_path / "a.json", "--create")
    export(db, "csv", tmp_path / "a.csv")
    assert json.loads((tmp_path / "a.json").read_text()) == []
    assert (tmp_path / "a.csv").read_text().splitlines() == [",".join(ATTRIBUTION_COLUMNS)]



# --- every table, fixed schemas, stdout ------------------------------------------------------


def test_csv_folder_holds_every_table_and_a_file_holds_one(stored: str, ledger: list[Analysis],
                                                          tmp_path: Path) -> None:
    export(stored, "csv", tmp_path / "tables")
    assert sorted(p.stem for p in (tmp_path / "tables").iterdir()) == sorted(TABLES)
    with (tmp_path / "tables" / "places.csv").open(encoding="utf-8", newline="") as f:
        places = list(csv.DictReader(f))
    assert [p["name"] for p in places] == ["Tromsø", "Antofagasta", "Chile"]
    export(stored, "csv", tmp_path / "entities.csv", "--table", "entities")
    with (tmp_path / "entities.csv").open(encoding="utf-8", newline="") as f:
        entities = list(csv.DictReader(f))
    quiroga = next(e for e in entities if e["name"] == "Marta Quiroga")
    assert [m["text"] for m in json.loads(quiroga["mentions"])] == ["Marta Quiroga", "Quiroga",
                                                                   "Quiroga"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "plover"])
def test_dash_is_stdout(stored: str, ledger: list[Analysis], tmp_path: Path, fmt: str,
                        capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    export(stored, fmt, "-")
    printed = capsys.readouterr()
    assert not (tmp_path / "-").exists() and "exported 2 articles to stdout" in printed.err
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(printed.out)))) == 7
    elif fmt == "json":
        assert [Analysis.from_dict(d) for d in json.loads(printed.out)] == ledger
    else:  # two articles, or their two events
        assert len([json.loads(line) for line in printed.out.splitlines()]) == 2


def test_parquet_to_stdout_is_one_table(stored: str, tmp_path: Path,
                                        capsysbinary: pytest.CaptureFixture) -> None:
    export(stored, "parquet", "-", "--table", "times", "--quiet")
    printed = capsysbinary.readouterr()
    table = pq.read_table(pa.BufferReader(printed.out))
    assert table.schema == table_schema("times") and table.num_rows == 4
    assert printed.err == b""


def test_table_is_only_for_table_formats(stored: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", "--db", stored, "--format", "json", "--out", "-",
                 "--table", "times"]) == 2
    assert "--table is for csv and parquet" in capsys.readouterr().err


def test_parquet_exports_of_two_stores_concatenate(ledger: list[Analysis],
                                                   tmp_path: Path) -> None:
    """Acceptance: the schemas come from the contract, not from the data, so exports of stores
    holding different records (one with no quantities, no parts, no speaker roles) concatenate,
    and duckdb reads every table of both at once."""
    import duckdb

    folders = []
    for name, analyses in (("fishing", [ledger[0]]), ("mining", [ledger[1], split_quote()])):
        with open_store(tmp_path / f"{name}.db") as store:
            for analysis in analyses:
                store.save(analysis)
        export(str(tmp_path / f"{name}.db"), "parquet", tmp_path / name)
        folders.append(tmp_path / name)
    analyses = [*ledger, split_quote()]
    for table in TABLES:
        parts = [pq.read_table(folder / f"{table}.parquet") for folder in folders]
        assert all(part.schema == table_schema(table) for part in parts)
        joined = pa.concat_tables(parts)
        assert joined.num_rows == sum(len(list(table_rows(a, table))) for a in analyses)
        files = [str(folder / f"{table}.parquet") for folder in folders]
        [(rows,)] = duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r})").fetchall()
        assert rows == joined.num_rows
    quantities = pq.read_table(folders[0] / "quantities.parquet")
    assert quantities.num_rows == 0 and quantities.schema == table_schema("quantities")
    files = [str(folder / "attributions.parquet") for folder in folders]
    parts = duckdb.sql(f"SELECT content_parts[1].text FROM read_parquet({files!r}) "
                       "WHERE len(content_parts) > 0").fetchall()
    assert parts == [('"We will stay on the quay,"',)]
