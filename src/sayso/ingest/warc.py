"""Web archives: the HTML responses of a WARC (or WARC.gz) file, one document per record.

fastwarc streams the records, so memory stays bounded by one record (itself capped at
`Limits.max_bytes`); everything but 2xx HTML responses (requests, metadata, redirects, images)
is passed over without a word, since none of it is an article. Each article's url is the record's
WARC-Target-URI, and the crawl date (WARC-Date) stands in for the publication date when the page
states none, so that relative times still resolve. Origins are "path@OFFSET", the byte offset of
the record in the file (of its gzip member in a WARC.gz), where `dd`/fastwarc can seek to it.

Damage never ends the file: a record cut short is an error record, and where fastwarc cannot read
on (a corrupt header or gzip member), one error record marks the damage and reading resumes at
the next record start found after it (fastwarc stops at the first fault, so the resync is ours).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from sayso.ingest.checks import IngestFailure, Limits, check_size, decode, error_record
from sayso.ingest.convert import from_string
from sayso.ingest.dates import drop_midnight, format_date
from sayso.model import Document, IngestError

HTML_TYPES = {"text/html", "application/xhtml+xml"}
GZIP_START = b"\x1f\x8b\x08"  # gzip magic and the deflate method: where a WARC.gz member starts
PLAIN_START = b"WARC/1."
SCAN_CHUNK = 1 << 16
# Responses, and records whose WARC-Type cannot be read (damaged headers), to report them.
KINDS = WarcRecordType.response | WarcRecordType.unknown

Item = Document | IngestError


def read_warc(path: Path, origin: str, limits: Limits) -> Iterator[Item]:
    """Every HTML response in the WARC at `path`, with an error record per damaged stretch."""
    with path.open("rb") as stream:
        start = GZIP_START if stream.read(2) == GZIP_START[:2] else PLAIN_START
        position: int | None = 0
        reported = -1  # the offset whose damage has had its error record
        read_any = True  # whether this pass read a record before it failed
        while position is not None:
            stream.seek(position)
            last = position
            try:
                for record in ArchiveIterator(stream, record_types=KINDS, fsspec_args=False):
                    last = record.stream_pos
                    read_any = True
                    item = _guarded_record(record, f"{origin}@{last}", limits)
                    if isinstance(item, IngestError) and item.error == "corrupt":
                        reported = last
                    if item is not None:
                        yield item
                return
            except OSError as exc:
                # One record per damaged stretch: not again for the record that just failed,
                # nor for each false start found inside the same damage.
                if read_any and last != reported:
                    yield IngestError(f"{origin}@{last}", "corrupt", "WARC data after this "
                                      f"offset is damaged ({exc}); skipped to the next record "
                                      "that can be read", "read", type(exc).__name__)
                    reported = last
                read_any = False
                position = _next_start(stream, last + 1, start)


def _next_start(stream: BinaryIO, offset: int, start: bytes) -> int | None:
    """The offset of the next place a record could begin, at or after `offset`, read a chunk at
    a time; None at the end of the file."""
    stream.seek(offset)
    carry = b""
    while chunk := stream.read(SCAN_CHUNK):
        window = carry + chunk
        if (found := window.find(start)) >= 0:
            return offset - len(carry) + found
        carry = window[-(len(start) - 1):]
        offset += len(chunk)
    return None


def _guarded_record(record: WarcRecord, origin: str, limits: Limits) -> Item | None:
    try:
        return _record(record, origin, limits)
    except OSError as exc:
        return IngestError(origin, "corrupt", f"WARC record cannot be read: {exc}", "read",
                           type(exc).__name__)
    except Exception as exc:
        return error_record(origin, exc, "parse")


def _record(record: WarcRecord, origin: str, limits: Limits) -> Item | None:
    """One response record as a document; None when it holds no HTML page to analyse."""
    if record.record_type == WarcRecordType.unknown:
        raise IngestFailure("corrupt", "WARC record header is damaged: no readable WARC-Type",
                            "read")
    http = record.http_headers
    if http is None or http.status_code is None:
        _payload(record, limits)  # a header cut short is the record cut short
        raise IngestFailure("parse", "WARC response has no readable HTTP header", "parse")
    if not 200 <= http.status_code < 300 or record.http_content_type not in HTML_TYPES:
        return None
    url = record.headers.get("WARC-Target-URI")
    raw = _payload(record, limits)
    doc = from_string(_text(raw, record.http_charset, limits), origin=origin, url=url)
    crawled = record.record_date
    if isinstance(doc, Document) and not doc.article.published and crawled is not None:
        published = drop_midnight(format_date(crawled, True))
        doc = replace(doc, article=replace(doc.article, published=published))
    return doc


def _payload(record: WarcRecord, limits: Limits) -> bytes:
    """The rest of a record, read up to the size limit; a record that ends before the length
    its header gives was cut short."""
    expected = record.content_length
    raw = record.reader.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        record.reader.consume()
        check_size(len(raw), limit=limits.max_bytes)
    if len(raw) < expected:
        raise IngestFailure("corrupt", f"WARC record is cut short: {len(raw):,} of "
                            f"{expected:,} bytes", "read")
    return raw


def _text(raw: bytes, charset: str | None, limits: Limits) -> str:
    """The page as text: in the charset the server named, when it decodes cleanly, else as
    sayso decodes any page (byte-order mark, UTF-8, the page's own meta charset, a guess)."""
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(raw, limits.max_bytes)


def warc_record(kind: WarcRecordType, uri: str, block: bytes, content_type: str,
                date: str) -> bytes:
    """One WARC record as bytes (uncompressed): what tests and benchmarks build archives from."""
    rec = WarcRecord()
    rec.init_headers(record_type=kind)
    rec.headers["WARC-Target-URI"] = uri
    rec.headers["WARC-Date"] = date
    rec.headers["Content-Type"] = content_type
    rec.set_bytes_content(block)
    out = io.BytesIO()
    rec.write(out)
    return out.getvalue()
