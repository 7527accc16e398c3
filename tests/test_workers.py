"""Every core: the output of N worker processes is one worker's, in the same order; a worker
killed mid-run has its batch done again, and the store ends as a one-worker run leaves it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sayso.cli import main
from sayso.ingest import read_inputs
from sayso.model import Document, IngestError
from sayso.pipeline import analyze_documents
from sayso.run.workers import WorkerPool, workers_for
from sayso.store import open_store
from sayso.store.runs import list_runs
from test_runs import stored, write_articles


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder, 6, bad=0)
    return [d for d in read_inputs([str(folder)]) if isinstance(d, Document)]


def test_two_workers_give_one_workers_output_and_survive_a_killed_worker(
        documents: list[Document]) -> None:
    expected = [a.to_dict() for a in analyze_documents(documents, batch_size=1)]
    errors: list[IngestError] = []
    with WorkerPool(2, "rules", batch_size=1) as pool:
        out = pool.analyze(documents, errors.append)
        got = [next(out).to_dict()]
        victim = next(iter(pool._pool._processes))  # one worker, killed while it has work
        os.kill(victim, signal.SIGKILL)
        got += [a.to_dict() for a in out]
    assert errors == []
    assert pool.restarts >= 1
    assert got == expected


def test_a_store_filled_by_two_workers_equals_one_workers(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 6, bad=2)
    for workers in ("1", "2"):
        status = main(["analyze", str(tmp_path / "in"), "--db", str(tmp_path / f"{workers}.db"),
                       "--workers", workers, "--batch-size", "1", "--no-progress"])
        assert status == 2
    assert stored(str(tmp_path / "1.db")) == stored(str(tmp_path / "2.db"))
    ids, _ = stored(str(tmp_path / "1.db"))
    assert len(ids) == 6


def test_no_more_workers_than_batches() -> None:
    assert workers_for(8, 3, 16) == 1  # one batch: analysed in this process
    assert workers_for(8, 40, 16) == 3
    assert workers_for(4, None, 16) == 4  # stdin or a WARC: unknown, every worker


def test_ctrl_c_with_workers_leaves_a_run_that_resumes(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 10, bad=0)
    db = str(tmp_path / "s.db")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sayso.cli", "analyze", str(tmp_path / "in"), "--db", db,
         "--workers", "2", "--batch-size", "1", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while _count(db) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    with open_store(db) as store:
        (run,) = list_runs(store)
    assert run["status"] == "interrupted"
    assert main(["analyze", str(tmp_path / "in"), "--db", db, "--workers", "2",
                 "--batch-size", "1", "--no-progress"]) == 0
    ids, _ = stored(db)
    assert len(ids) == 10
    with open_store(db) as store:
        (run,) = list_runs(store)
    assert run["status"] == "finished" and run["articles"] + run["skipped"] == 10


def _count(db: str) -> int:
    try:
        with open_store(db) as store:
            return store.count_articles()
    except Exception:  # the run is still creating the store
        return 0
