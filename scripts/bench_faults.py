"""Faults: kill -9 a worker, and separately the driver, at random points of a `sayso analyze
--db --workers 2` run over ~100 real articles (the VOA stories and PolNeAR texts), three times
each; then let the run go on (a killed worker's batch is redone within the run) or rerun it (a
killed driver's run resumes), and compare the store with a clean run's: every article stored
exactly once, the same error records, the run's counts equal. Fails on missing data and on
any difference.

    .venv/bin/python scripts/bench_faults.py [--times 3] [--polnear 11] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sayso.store import open_store
from sayso.store.runs import list_runs

DATA = Path(__file__).resolve().parents[1] / "../shared/data"


def inputs(polnear: int) -> list[str]:
    voa = DATA / "voa" / "voa_stories.jsonl"
    texts = sorted((DATA / "polnear").glob("*/text/*.txt"))[:polnear]
    if not voa.is_file() or len(texts) < polnear:
        sys.exit(f"bench_faults: needs {voa} and {polnear} texts in {DATA}/polnear/*/text")
    return [str(voa), *map(str, texts)]


def command(names: list[str], db: Path) -> list[str]:
    return [sys.executable, "-m", "sayso.cli", "analyze", *names, "--db", str(db),
            "--workers", "2", "--batch-size", "4", "--no-progress", "-q"]


def contents(db: Path) -> dict:
    with open_store(db) as store:
        ids = [r["id"] for r in store.list_articles()]
        runs = list_runs(store)
        return {"ids": sorted(ids), "distinct": len(set(ids)) == len(ids),
                "errors": sorted((e["origin"], e["error"]) for e in store.errors()),
                "stored": runs[0]["articles"] + runs[0]["skipped"], "run_errors":
                runs[0]["errors"], "status": runs[0]["status"], "runs": len(runs)}


def count(db: Path) -> int:
    try:
        with open_store(db) as store:
            return store.count_articles()
    except Exception:
        return 0


def workers_of(pid: int) -> list[int]:
    """The pool's worker processes: the driver's children started by multiprocessing.spawn."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def faulty_run(names: list[str], db: Path, target: str, at: int) -> dict:
    """Kill the target once `at` articles are stored; finish the run (a rerun after the driver
    is killed); the store's contents."""
    proc = subprocess.Popen(command(names, db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while count(db) < at:
        if proc.poll() is not None:
            sys.exit(f"bench_faults: the run ended before {at} articles were stored")
        time.sleep(0.05)
    victims = [proc.pid] if target == "driver" else workers_of(proc.pid)[:1]
    os.kill(victims[0], signal.SIGKILL)
    if target == "driver":
        proc.wait()
        subprocess.run(command(names, db), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    else:
        proc.wait()
    return contents(db)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--times", type=int, default=3)
    ap.add_argument("--polnear", type=int, default=11, help="PolNeAR texts beside the 89 VOA")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    names = inputs(args.polnear)
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        clean_db = Path(tmp, "clean.db")
        subprocess.run(command(names, clean_db), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        clean = contents(clean_db)
        if not clean["ids"]:
            sys.exit("bench_faults: the clean run stored nothing")
        print(f"clean run: {len(clean['ids'])} articles, {len(clean['errors'])} errors")
        for target in ("worker", "driver"):
            for attempt in range(1, args.times + 1):
                at = rng.randint(2, len(clean["ids"]) - 10)
                got = faulty_run(names, Path(tmp, f"{target}{attempt}.db"), target, at)
                same = (got["ids"] == clean["ids"] and got["distinct"]
                        and got["errors"] == clean["errors"] and got["status"] == "finished"
                        and got["stored"] == clean["stored"]
                        and got["run_errors"] == clean["run_errors"])
                failures += not same
                print(f"kill -9 the {target} at {at} stored: {len(got['ids'])} articles "
                      f"(each once: {got['distinct']}), {len(got['errors'])} errors, run "
                      f"{got['status']} with {got['stored']} stored in {got['runs']} run(s): "
                      f"{'same as the clean run' if same else 'DIFFERENT'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
