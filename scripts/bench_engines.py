"""Throughput and peak memory of the whole pipeline per attribution engine, beside bare spaCy.

Each side (bare spaCy sm; sayso with the rules engine; sayso with the trained engine) runs in a
process of its own pinned to one core, so peak memory (ru_maxrss) is that side's alone and no
side borrows a second core. Every side reads the same texts, is warmed up on the first 8 (model
loading stays out), and runs `--rounds` timed rounds; the median is kept. Sides run in turn,
in the same invocation, so they see the same machine.

    .venv/bin/python scripts/bench_engines.py             # first 240 PolNeAR dev + train texts
    .venv/bin/python scripts/bench_engines.py --jsonl ../shared/data/voa/voa_stories.jsonl

Targets (issue 8): trained engine at least 0.5x bare spaCy's articles/s, rules at least 0.8x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The same texts as the older, in-process benchmark beside this script.
from bench_throughput import DEFAULT_DIRS, read_texts

SIDES = ("spacy", "rules", "trained")


def run_side(side: str, texts: list[str], rounds: int) -> dict:
    """In the child: time `rounds` passes of one side over the texts."""
    if side == "spacy":
        import spacy

        from sayso.nlp import SPACY_MODEL

        nlp = spacy.load(SPACY_MODEL)

        def once(batch: list[str]) -> None:
            for _ in nlp.pipe(batch, batch_size=16):
                pass
    else:
        from sayso.model import Article, Document
        from sayso.pipeline import analyze_documents
        from sayso.run.workers import ready_pipeline

        ready_pipeline(side)  # as `sayso analyze` readies it

        def once(batch: list[str]) -> None:
            docs = (Document(Article(text=t), origin=f"#{i}") for i, t in enumerate(batch))
            for analysis in analyze_documents(docs, engine=side):
                analysis.to_dict()

    once(texts[:8])
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        once(texts)
        seconds.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"side": side, "seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, action="append", help="folder of .txt articles")
    ap.add_argument("--jsonl", type=Path, help="JSON Lines with a 'text' field (e.g. VOA)")
    ap.add_argument("--limit", type=int, default=240)
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per side (median kept)")
    ap.add_argument("--sides", nargs="+", choices=SIDES, default=list(SIDES))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
        print(json.dumps(run_side(args.child, texts, args.rounds)))
        return
    texts = read_texts(args.dir or DEFAULT_DIRS, args.jsonl, args.limit)
    if len(texts) < args.limit:
        sys.exit(f"only {len(texts)} texts found, {args.limit} wanted: is ../shared/data there?")
    results = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(texts, f)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for side in args.sides:
        cmd = ["taskset", "-c", "0", sys.executable, __file__, "--child", side,
               "--texts", f.name, "--rounds", str(args.rounds)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if done.returncode:
            sys.exit(f"{side} failed:\n{done.stderr[-2000:]}")
        results[side] = json.loads(done.stdout.strip().splitlines()[-1])
    os.unlink(f.name)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles, {chars / 1000:.0f}k characters, one core, "
          f"median of {args.rounds} rounds")
    base = statistics.median(results["spacy"]["seconds"]) if "spacy" in results else None
    for side, r in results.items():
        med = statistics.median(r["seconds"])
        line = f"{side:<8} {med:8.2f} s {len(texts) / med:7.2f} articles/s  " \
               f"peak {r['peak_mb']:6.0f} MB"
        if base and side != "spacy":
            line += f"  {base / med:5.2f}x bare spaCy"
        print(line)
    print("targets: trained at least 0.50x bare spaCy, rules at least 0.80x")


if __name__ == "__main__":
    main()
