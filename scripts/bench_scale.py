"""Scaling on one machine, end to end through the CLI: `sayso analyze --workers 2` against
`--workers 1` on the same real articles (VOA stories, then PolNeAR texts, 300 by default),
whole processes (start-up, ingest, analysis, output), the median of `--rounds` each, and the
sorted JSON Lines outputs compared; and, when Ray is installed (the `ray` extra), `sayso run
--ray local --ray-workers 2` into Parquet, its analyses compared too. The articles are written
at run time as `--shards` JSON Lines files (a Ray task is one input file). Fails on missing or
empty data and on outputs that differ.

    .venv/bin/python scripts/bench_scale.py [--articles 300] [--shards 10] [--rounds 1] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "../shared/data"
SAYSO = [sys.executable, "-m", "sayso.cli"]


def inputs(n: int, folder: Path, shards: int) -> list[str]:
    """n articles: VOA stories first (JSON Lines), then PolNeAR texts, as `shards` JSON Lines
    files written to `folder` (so every run reads the same n); exits when the data is short."""
    records = []
    voa = DATA / "voa" / "voa_stories.jsonl"
    if voa.is_file():
        with voa.open(encoding="utf-8") as f:
            records += [json.loads(line) for line in f if line.strip()]
    texts = sorted((DATA / "polnear").glob("*/text/*.txt"))
    records += [{"text": p.read_text(encoding="utf-8")} for p in texts[: max(0, n - len(records))]]
    records = records[:n]
    if len(records) < n or not all(r.get("text", "").strip() for r in records):
        sys.exit(f"bench_scale: need {n} articles from {DATA}/voa and polnear/*/text, found "
                 f"{len(records)}; see ../shared/data/README.md")
    paths = [folder / f"articles-{i:02d}.jsonl" for i in range(shards)]
    for i, path in enumerate(paths):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in records[i::shards]), encoding="utf-8")
    return [str(p) for p in paths]


def parquet_analyses(out: Path) -> list[str]:
    """The contract dicts a Ray run wrote, as the JSON Lines `analyze` prints, sorted."""
    import pyarrow.parquet as pq

    return sorted(row["data"] for path in sorted((out / "analyses").glob("*.parquet"))
                  for row in pq.read_table(path).to_pylist())


def timed(command: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in range(0, 101):
        sys.exit(f"bench_scale: {' '.join(command[2:5])} failed:\n{done.stderr[-2000:]}")
    return seconds, sorted(line for line in done.stdout.splitlines() if line.strip())


def _ray_round(command: list[str], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)  # else the rerun skips every shard
    return timed(command)[0]


def measure(command: list[str], rounds: int) -> tuple[float, list[str]]:
    runs = [timed(command) for _ in range(rounds)]
    return statistics.median(s for s, _ in runs), runs[0][1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--shards", type=int, default=10)
    ap.add_argument("--no-ray", action="store_true", help="leave out the Ray run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        names = inputs(args.articles, Path(tmp), args.shards)
        base = [*SAYSO, "analyze", *names, "--format", "jsonl", "--no-progress", "-q"]
        one, out1 = measure([*base, "--workers", "1"], args.rounds)
        two, out2 = measure([*base, "--workers", "2"], args.rounds)
        result = {"articles": args.articles, "analyses": len(out1), "rounds": args.rounds,
                  "workers_1_s": round(one, 2), "workers_2_s": round(two, 2),
                  "speedup_2": round(one / two, 3), "outputs_identical": out1 == out2}
        if not args.no_ray and importlib.util.find_spec("ray"):
            out_dir = Path(tmp, "ray-out")
            ray = [*SAYSO, "run", "--ray", "local", "--ray-workers", "2", *names,
                   "--out", str(out_dir), "-q"]
            seconds = statistics.median(_ray_round(ray, out_dir) for _ in range(args.rounds))
            result |= {"ray_2_s": round(seconds, 2), "speedup_ray_2": round(one / seconds, 3),
                       "ray_output_identical": parquet_analyses(out_dir) == out1}
        elif not args.no_ray:
            print("bench_scale: Ray is not installed (pip install -e '.[ray]'): no Ray figure",
                  file=sys.stderr)
    if not out1:
        sys.exit("bench_scale: no analyses came out")
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{args.articles} articles ({len(out1)} analysed), median of {args.rounds}: "
              f"--workers 1 {one:.1f} s, --workers 2 {two:.1f} s: {one / two:.2f}x; "
              f"sorted outputs identical: {out1 == out2}")
        if "ray_2_s" in result:
            print(f"Ray, 2 local workers: {result['ray_2_s']} s: {result['speedup_ray_2']}x; "
                  f"identical: {result['ray_output_identical']}")
    return 0 if result["outputs_identical"] and result.get("ray_output_identical", True) else 1


if __name__ == "__main__":
    sys.exit(main())
