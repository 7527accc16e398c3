"""What the store and export cost next to the analysis itself, on real articles.

    python scripts/bench_store.py ../shared/data/voa/voa_stories.jsonl --limit 20 [--pg URL]

Analyses the inputs once, then times saving them into a fresh store (SQLite, and PostgreSQL when
--pg gives an empty database), loading them back, full-text search and every export format. For
SQLite it also prints the store's bytes per article, whole and for its largest tables and
indexes (SQLite's `dbstat`), and checks that every analysis loads back as it was saved.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sayso.export import WRITERS, export
from sayso.ingest import read_inputs
from sayso.model import Analysis, IngestError
from sayso.pipeline import analyze_documents
from sayso.store import open_store


def timed(label: str, n: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:8.3f} s  {1000 * seconds / max(n, 1):8.2f} ms/article")
    return seconds


def sqlite_sizes(path: Path, n: int, top: int = 15) -> None:
    """Bytes per article of the SQLite store at `path`: the file, then its largest b-trees."""
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    print(f"SQLite store: {size / max(n, 1) / 1000:.1f} KB/article ({size} bytes)")
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
                            "ORDER BY 2 DESC LIMIT ?", (top,)).fetchall()
    except sqlite3.OperationalError:  # an SQLite built without the dbstat table
        return
    finally:
        conn.close()
    for name, pages in rows:
        print(f"  {name:<36} {pages / max(n, 1) / 1000:6.2f} KB/article")


def bench_store(location: str, analyses: list[Analysis], out: Path) -> float:
    n = len(analyses)
    with open_store(location) as store:
        saved = timed(f"save ({store.dialect.name})", n, lambda: [store.save(a) for a in analyses])
        loaded: dict[str, Analysis] = {}
        timed(f"load ({store.dialect.name})", n,
              lambda: loaded.update((a.article.id, a) for a in store.iter_analyses()))
        if any(loaded.get(a.article.id) != a for a in analyses):
            raise SystemExit(f"{store.dialect.name}: an analysis loads back different")
        timed(f"20 searches ({store.dialect.name})", n, lambda: [
            store.search(q, target) for q in ("ceasefire talks", "minister", "said", "election",
                                              "president warned", "police arrested", "troops",
                                              "refugees", "sanctions", "oil prices")
            for target in ("articles", "statements")])
        for fmt in WRITERS:
            path = out / f"{store.dialect.name}.{fmt}"
            timed(f"export {fmt} ({store.dialect.name})", n,
                  lambda fmt=fmt, path=path: export(store.iter_analyses(), fmt, path))
    return saved


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("inputs", nargs="+")
    p.add_argument("--pg", help="also bench an empty PostgreSQL database (or schema) at this URL")
    p.add_argument("--limit", type=int, help="only the first LIMIT articles")
    args = p.parse_args()
    docs = [d for d in read_inputs(args.inputs) if not isinstance(d, IngestError)][:args.limit]
    analyses: list[Analysis] = []
    analysed = timed("analyse (spaCy + sayso)", len(docs),
                     lambda: analyses.extend(analyze_documents(docs)))
    print(f"{len(analyses)} articles, {sum(len(a.attributions) for a in analyses)} attributions")
    with tempfile.TemporaryDirectory() as tmp:
        saved = bench_store(str(Path(tmp) / "bench.db"), analyses, Path(tmp))
        print(f"SQLite save = {100 * saved / analysed:.1f}% of analysis time")
        sqlite_sizes(Path(tmp) / "bench.db", len(analyses))
        if args.pg:
            saved = bench_store(args.pg, analyses, Path(tmp))
            print(f"PostgreSQL save = {100 * saved / analysed:.1f}% of analysis time")


if __name__ == "__main__":
    main()
