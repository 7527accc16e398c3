"""The command line: help with defaults, --quiet and --verbose, progress totals, metadata given
for stdin, and a clear error (creating nothing) for a store that is not there."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from sayso.cli import build_parser, main
from sayso.ingest.sources import count_inputs
from sayso.store import StoreNotFound, open_store

ARTICLE = ('The harbour board of Kelvik said on Friday that the north pier would close for '
           'repairs. "We cannot wait for the winter storms," board chair Signe Aas told '
           'reporters. The ferry company said it would move its boats to the south quay.\n')


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices


@pytest.mark.parametrize("command", ["analyze", "show", "export", "serve"])
def test_every_option_has_help_and_shows_its_default(command: str) -> None:
    parser = _subparsers(build_parser())[command]
    for action in parser._actions:
        assert action.help, f"{command} {action.option_strings or action.dest} has no help"
    text = parser.format_help()
    assert "-q, --quiet" in text
    assert ("-v, --verbose" in text) == (command in ("analyze", "serve"))
    expected = {"analyze": "(default: 16)", "show": "(default: sayso.db)",
                "export": "(default: jsonl)", "serve": "(default: 8000)"}[command]
    assert expected in " ".join(text.split())


def test_eval_help_keeps_one_default_per_option() -> None:
    text = _subparsers(_subparsers(build_parser())["eval"])["attribution"].format_help()
    assert text.count("(default: sayso") == 1


@pytest.mark.parametrize("command", [["show"], ["export", "--out", "x.json"], ["serve"]])
def test_missing_store_is_an_error_that_creates_nothing(command: list[str], store_url: str,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--db", store_url]) == 2
    err = capsys.readouterr().err
    assert f"no sayso store at {store_url}" in err and "--create" in err
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(StoreNotFound):  # a missing file, or a database with no sayso tables
        open_store(store_url, create=False)


def test_create_starts_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "new.db"
    assert main(["show", "--db", str(db), "--create"]) == 0
    assert db.exists() and capsys.readouterr().out == ""
    assert main(["show", "--db", str(db)]) == 0  # there now, so no --create needed


def test_progress_total_counts_documents_before_reading(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(f"<p>{ARTICLE}</p>", encoding="utf-8")
    (tmp_path / "sub" / "wire.jsonl").write_text(
        json.dumps({"text": ARTICLE}) + "\n\n" + json.dumps({"text": ARTICLE}) + "\n")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    assert count_inputs([str(tmp_path)]) == 4
    assert count_inputs([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")]) == 2
    assert count_inputs([str(tmp_path), "-"]) is None  # stdin: only reading can tell


def test_published_and_url_for_stdin(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    assert main(["analyze", "-", "--format", "json", "--published", "May 3, 2024",
                 "--url", "https://news.example.org/kelvik-pier", "--quiet"]) == 0
    printed = capsys.readouterr()
    data = json.loads(printed.out)
    assert data["article"]["published"] == "2024-05-03"
    assert data["article"]["url"] == "https://news.example.org/kelvik-pier"
    friday = next(t for t in data["times"] if t["text"] == "Friday")
    assert friday["anchor"].endswith("2024-05-03")  # resolved against the date given
    assert printed.err == ""  # --quiet: no summary line


def test_bad_published_date_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", "-", "--published", "next blue moon"])
    assert exit_.value.code == 2 and "not a date" in capsys.readouterr().err


def test_verbose_tells_each_document_and_quiet_tells_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    page = tmp_path / "kelvik.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    assert main(["analyze", str(page), "--db", db, "--verbose"]) == 0
    err = capsys.readouterr().err
    assert f"sayso: analyzed {page} as " in err and "statements" in err
    assert "analyzed 1, skipped 0 already stored, failed 0" in err
    assert main(["analyze", str(page), "--db", db, "-v"]) == 0
    assert f"sayso: skipped {page}: already stored" in capsys.readouterr().err
    assert main(["analyze", str(page), "--db", db, "-q"]) == 0
    assert capsys.readouterr().err == ""
