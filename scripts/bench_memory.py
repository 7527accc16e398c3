"""Peak memory of one analysis worker over a long run: does it stay flat?

    .venv/bin/python scripts/bench_memory.py [--articles 5000] [--checkpoints 500 5000]
                                             [--workers 1] [--engine rules] [--json]

Writes `--articles` JSON Lines documents made of PolNeAR texts (train and dev, cycled; each
copy carries its copy number so no two are the same text), runs `sayso analyze --format jsonl`
over them as a whole process, samples the resident memory of every process of the run each
half second (from /proc: Linux only) and reports, at each checkpoint (the number of analyses
written so far), the peak RSS of the largest process until then, with the articles per second
and the projection per day per worker. Flat memory means the peak at the last checkpoint is
close to the peak at the first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT / "../shared/data/polnear"
SAYSO = [sys.executable, "-m", "sayso.cli"]
PAGE = os.sysconf("SC_PAGE_SIZE")


def texts() -> list[str]:
    found = sorted((POLNEAR / "train" / "text").glob("*.txt")) + sorted(
        (POLNEAR / "dev" / "text").glob("*.txt"))
    if not found:
        raise SystemExit(f"no PolNeAR texts under {POLNEAR}")
    return [p.read_text("utf-8") for p in found]


def write_inputs(path: Path, n: int) -> None:
    pool = texts()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            copy, text = divmod(i, len(pool))
            body = pool[text] if copy == 0 else f"{pool[text]}\n\n(Copy {copy}.)"
            out.write(json.dumps({"id": f"m{i}", "text": body}) + "\n")


def tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def lines(path: Path) -> int:
    try:
        with path.open("rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return 0


def watch(proc: subprocess.Popen, output: Path, todo: list[int], start: float
          ) -> tuple[float, list[dict], list[int]]:
    """Sample the run's memory until it ends: (peak MB, checkpoints reached, those not)."""
    peak, points = 0.0, []
    while proc.poll() is None:
        peak = max([peak, *(rss_mb(p) for p in tree(proc.pid))])
        done = lines(output)
        while todo and done >= todo[0]:
            points.append({"articles": todo.pop(0), "peak_rss_mb": round(peak, 1),
                           "seconds": round(time.monotonic() - start, 1)})
        time.sleep(0.5)
    return peak, points, todo


def run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inputs, output = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        write_inputs(inputs, args.articles)
        cmd = [*SAYSO, "analyze", str(inputs), "--format", "jsonl", "--quiet",
               "--workers", str(args.workers), "--engine", args.engine, "--no-progress"]
        start = time.monotonic()
        with output.open("wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
            peak, points, todo = watch(proc, output, sorted(args.checkpoints), start)
        seconds = time.monotonic() - start
        done = lines(output)
        points += [{"articles": n, "peak_rss_mb": round(peak, 1), "seconds": round(seconds, 1)}
                   for n in todo if done >= n]
        if proc.returncode != 0:
            raise SystemExit(f"sayso analyze failed with exit status {proc.returncode}")
    rate = done / seconds
    return {"articles": done, "workers": args.workers, "engine": args.engine,
            "checkpoints": points, "articles_per_second": round(rate, 2),
            "articles_per_day_per_worker": round(rate * 86400 / args.workers)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=5000)
    p.add_argument("--checkpoints", type=int, nargs="+", default=[500, 5000])
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--engine", default="rules")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for point in report["checkpoints"]:
        print(f"{point['articles']:>6} articles: peak RSS {point['peak_rss_mb']:.0f} MB "
              f"after {point['seconds']:.0f} s")
    print(f"{report['articles_per_second']} articles/s; "
          f"{report['articles_per_day_per_worker']:,} articles a day per worker")


if __name__ == "__main__":
    main()
