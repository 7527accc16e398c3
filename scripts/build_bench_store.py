"""Build a large store for the workbench benchmark from the invented example articles.

    python scripts/build_bench_store.py /tmp/sayso_bench.db --n 5000   # or a postgresql:// URL

The examples are analysed once; each copy appends a numbered line to the body (so its content
hash, hence its id, differs; offsets stay valid) and moves its publication day, spreading the
copies over two years. Copies are saved directly: NLP does not run 5,000 times.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from datetime import date, timedelta
from pathlib import Path

from sayso.ingest import read_inputs
from sayso.model import Analysis, Document
from sayso.pipeline import analyze_documents
from sayso.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIRST_DAY = date(2023, 1, 1)


def copy_of(analysis: Analysis, n: int) -> Analysis:
    """The n-th variant: same records, a body with a numbered last line, another day."""
    art = analysis.article
    article = dataclasses.replace(
        art, id="", text=f"{art.text}\n\nCopy {n}.", title=f"{art.title or 'Untitled'} ({n})",
        published=(FIRST_DAY + timedelta(days=n % 730)).isoformat())
    return dataclasses.replace(analysis, article=article)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db", help="SQLite path or postgresql:// URL (should be empty)")
    p.add_argument("--n", type=int, default=5000)
    args = p.parse_args()
    docs = [d for d in read_inputs([str(EXAMPLES)]) if isinstance(d, Document)]
    examples = list(analyze_documents(docs))
    start = time.perf_counter()
    with open_store(args.db) as store:
        saved = sum(store.save(copy_of(examples[i % len(examples)], i)) for i in range(args.n))
        total = store.count_articles()
        store.conn.execute("ANALYZE")  # planner statistics, as a long-lived store would have
    print(f"saved {saved} articles ({total} in the store) from {len(examples)} examples "
          f"in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
