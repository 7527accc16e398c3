"""WARC ingest against fastwarc's bare iteration over the same file, and articles found.

Builds, at run time in a temporary folder (never committed), a WARC.gz of the ScrapingHub
article-extraction pages (one response record per page, its url from ground-truth.json, with a
request record before each as a crawler writes them), then times, best of `--rounds`:
- fastwarc alone: iterate the response records and read each payload;
- sayso: `read_inputs` on the file (HTTP, charset, trafilatura body and metadata, checks).
Then damages a copy (a record cut short at the end, zeros over `--corrupt` gzip members) and
counts what still comes out. Fails when the data is missing or empty.

    .venv/bin/python scripts/bench_warc.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

from sayso.ingest import read_inputs
from sayso.ingest.warc import warc_record
from sayso.model import Document

DATA = Path(__file__).resolve().parents[1] / "../shared/data/article-extraction"
CRAWLED = "2020-01-15T12:00:00Z"


def pages() -> list[tuple[str, bytes]]:
    """(url, page bytes) of every benchmark page; exits when the data is missing or empty."""
    truth_file = DATA / "ground-truth.json"
    if not truth_file.is_file():
        sys.exit(f"bench_warc: no {truth_file}; see ../shared/data/README.md")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    found = [(truth[p.name.removesuffix(".html.gz")]["url"], gzip.decompress(p.read_bytes()))
             for p in sorted((DATA / "html").glob("*.html.gz"))
             if p.name.removesuffix(".html.gz") in truth]
    if not found:
        sys.exit(f"bench_warc: no pages with ground truth under {DATA}/html")
    return found


def record(kind: WarcRecordType, url: str, block: bytes, content_type: str) -> bytes:
    """One gzip member: a WARC.gz compresses each record on its own."""
    return gzip.compress(warc_record(kind, url, block, content_type, CRAWLED))


def members(found: list[tuple[str, bytes]]) -> list[bytes]:
    """The gzip members of the WARC: a request and a response per page."""
    out = []
    for url, html in found:
        out.append(record(WarcRecordType.request, url, f"GET {url} HTTP/1.1\r\n\r\n".encode(),
                          "application/http; msgtype=request"))
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
        out.append(record(WarcRecordType.response, url, http, "application/http; msgtype=response"))
    return out


def bare(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        for rec in ArchiveIterator(f, record_types=WarcRecordType.response, fsspec_args=False):
            rec.reader.read()
            n += 1
    return n


def ingest(path: Path) -> Counter:
    return Counter("document" if isinstance(i, Document) else f"error:{i.error}"
                   for i in read_inputs([str(path)]))


def best(fn, path: Path, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn(path)
        times.append(time.perf_counter() - start)
    return min(times), result


def damaged(parts: list[bytes], corrupt: int) -> bytes:
    """The WARC with zeros over the middle of `corrupt` response members spread through it,
    and its last member cut in half."""
    parts = list(parts)
    step = max(1, len(parts) // (2 * corrupt + 1))
    for i in range(1, len(parts) - 1, 2)[::step][:corrupt]:
        mid = len(parts[i]) // 2
        parts[i] = parts[i][:mid] + bytes(64) + parts[i][mid + 64:]
    parts[-1] = parts[-1][: len(parts[-1]) // 2]
    return b"".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corrupt", type=int, default=5, help="gzip members to damage")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    found = pages()
    parts = members(found)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "pages.warc.gz")
        path.write_bytes(b"".join(parts))
        bare_s, responses = best(bare, path, args.rounds)
        sayso_s, counts = best(ingest, path, args.rounds)
        broken = Path(tmp, "damaged.warc.gz")
        broken.write_bytes(damaged(parts, args.corrupt))
        broken_counts = ingest(broken)
        size = path.stat().st_size
    result = {
        "pages": len(found), "warc_bytes": size, "responses": responses,
        "fastwarc_records_per_s": round(responses / bare_s, 1),
        "sayso_records_per_s": round(responses / sayso_s, 1),
        "articles_found": counts["document"], "errors": {k: v for k, v in counts.items()
                                                         if k != "document"},
        "damaged": {"corrupt_members": args.corrupt, "cut_short": 1,
                    "articles_found": broken_counts["document"],
                    "errors": {k: v for k, v in broken_counts.items() if k != "document"}},
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"WARC.gz of {len(found)} pages ({size:,} bytes), best of {args.rounds}")
    print(f"fastwarc iteration: {result['fastwarc_records_per_s']:>9} records/s")
    print(f"sayso ingest:       {result['sayso_records_per_s']:>9} records/s "
          f"({bare_s / sayso_s:.1%} of fastwarc's rate)")
    print(f"articles found: {counts['document']} of {len(found)} pages; errors {result['errors']}")
    print(f"damaged copy ({args.corrupt} corrupt members, last cut short): "
          f"{broken_counts['document']} articles; errors {result['damaged']['errors']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
