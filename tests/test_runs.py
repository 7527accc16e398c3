"""Runs that resume: the manifest says which shards are done, a rerun reads only the rest, a
changed input is read again, and a run whose driver is killed ends, once rerun, with every
article stored exactly once and the counts of a run that was never stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sayso.cli import main
from sayso.run.manifest import Run
from sayso.store import open_store
from sayso.store.runs import list_runs

TOWNS = ("Ashford", "Brayton", "Colwick", "Dunmore", "Elsworth", "Fernhill", "Garston", "Holbeck")


def write_articles(folder: Path, n: int, bad: int = 1) -> None:
    """n small invented articles, all different, each with statements, and `bad` inputs that
    are no article."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"story_{i:03d}.txt").write_text(
            f"The mayor of {town}, Ruth Okafor, said on Monday that bus fares would rise by "
            f"{i + 2} percent in zone {i}.\n\n"
            f'"We cannot keep the buses running otherwise," Okafor told the council. Residents '
            f"said the rise would hurt workers, according to a letter sent on Tuesday.\n",
            encoding="utf-8")
    for i in range(bad):
        (folder / f"empty_{i}.txt").write_text("   \n", encoding="utf-8")


def analyze(folder: Path, db: str, *extra: str) -> int:
    progress = [] if "--progress" in extra else ["--no-progress"]
    return main(["analyze", str(folder), "--db", db, "--workers", "1", *progress, *extra])


def stored(db: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The article ids and (origin, error) pairs a store holds, sorted."""
    with open_store(db) as store:
        return (sorted(r["id"] for r in store.list_articles()),
                sorted((e["origin"], e["error"]) for e in store.errors()))


def test_a_run_keeps_its_manifest(store_url: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    write_articles(tmp_path / "in", 3)
    assert analyze(tmp_path / "in", store_url, "--progress") == 1  # one input is no article
    err = capsys.readouterr().err
    assert "4/4" in err and "errors=1" in err  # the bar: total, and errors as they come
    assert "analyzed 3, skipped 0 already stored, failed 1 in " in err
    assert "articles/s" in err.splitlines()[-1]
    with open_store(store_url) as store:
        (run,) = list_runs(store)
        errors = store.errors()
    assert (run["status"], run["shards"], run["done"]) == ("finished", 4, 4)
    assert (run["articles"], run["skipped"], run["errors"]) == (3, 0, 1)
    assert run["error_rate"] == pytest.approx(0.25) and run["seconds"] > 0
    assert [(e["stage"], e["error"]) for e in errors] == [("check", "empty")]

    assert analyze(tmp_path / "in", store_url) == 1  # a finished run is not resumed: a new one
    capsys.readouterr()
    assert main(["runs", "--db", store_url, "--json"]) == 0
    newest, first = json.loads(capsys.readouterr().out)
    assert first["id"] == run["id"]
    assert (newest["articles"], newest["skipped"], newest["errors"]) == (0, 3, 1)
    assert main(["runs", "--db", store_url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 3 and table[2].startswith(run["id"]) and "25.0%" in table[2]


def test_a_rerun_reads_only_the_shards_not_done_or_changed(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3, bad=0)
    inputs = [str(tmp_path / "in")]
    with open_store(tmp_path / "s.db") as store:
        first = Run(store, inputs, "rules", 1)
        for shard in first.shards[:2]:  # two shards read and resolved, then the run stops
            first.begin(shard)
            first.resolved("x", "articles", shard)
            first.read_all(shard)
        first.close("interrupted")
        again = Run(store, inputs, "rules", 1)
        assert again.id == first.id and again.resumed
        assert [s.index for s in again.todo] == [2]
        assert again.carried["skipped"] == 2
        changed = tmp_path / "in" / "story_000.txt"
        changed.write_text(changed.read_text() + "\nThe vote is next week.\n")
        assert [s.index for s in Run(store, inputs, "rules", 1).todo] == [0, 2]
        assert not Run(store, inputs, "trained", 1).resumed  # another engine, another run


def _stored_ids(db: str) -> int:
    try:
        with open_store(db) as store:
            return store.count_articles()
    except Exception:  # the writer is still creating the store
        return 0


def test_a_killed_driver_resumes_exactly_once(store_url: str, tmp_path: Path) -> None:
    n = 12
    write_articles(tmp_path / "in", n, bad=2)
    clean = str(tmp_path / "clean.db")
    analyze(tmp_path / "in", clean, "--batch-size", "1")
    command = [sys.executable, "-m", "sayso.cli", "analyze", str(tmp_path / "in"), "--db",
               store_url, "--batch-size", "1", "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _stored_ids(store_url) < 3:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 3 <= _stored_ids(store_url) < n
    assert analyze(tmp_path / "in", store_url, "--batch-size", "1") == 2
    assert stored(store_url) == stored(clean)  # every article once, every error once
    with open_store(store_url) as store, open_store(clean) as reference:
        (run,) = list_runs(store)
        (clean_run,) = list_runs(reference)
    assert run["status"] == "finished" and run["done"] == run["shards"] == n + 2
    assert run["articles"] + run["skipped"] == clean_run["articles"] == n
    assert run["errors"] == clean_run["errors"] == 2


def test_two_writers_on_one_store_each_count_only_what_they_stored(store_url: str,
                                                                  tmp_path: Path) -> None:
    """Two `analyze` runs over the same inputs at once: every article is stored once, and the
    two summaries' "analyzed" counts add up to the number of articles (the run that loses the
    race for an article reports it as already stored)."""
    n = 6
    write_articles(tmp_path / "in", n, bad=0)
    with open_store(store_url):
        pass  # both writers open an existing store; creating it is not what is raced here
    command = [sys.executable, "-m", "sayso.cli", "analyze", str(tmp_path / "in"), "--db",
               store_url, "--batch-size", "1", "--workers", "1", "--no-progress"]
    writers = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    summaries = [w.communicate(timeout=600)[1].strip().splitlines()[-1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], summaries
    counts = [[int(word) for word in line.replace(",", " ").split() if word.isdigit()][:3]
              for line in summaries]  # analyzed, skipped, failed
    assert sum(c[0] for c in counts) == n, summaries
    assert all(c[0] + c[1] == n and c[2] == 0 for c in counts), summaries
    assert len(stored(store_url)[0]) == n
