"""Where documents come from: files, folders, JSON Lines, feeds and stdin, each read as a stream
within `Limits`, with one error record per bad input (or per bad line or dropped feed entry), so
a batch never stops on a bad file and nothing bad is dropped without a word."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import sys
import xml.sax
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from sayso.ingest import html
from sayso.ingest.checks import (
    MAX_CONTROL_RATIO,
    SNIFF_BYTES,
    IngestFailure,
    Limits,
    bom_encoding,
    check_depth,
    check_size,
    decode,
    error_record,
)
from sayso.ingest.convert import from_record, from_string
from sayso.ingest.dates import normalize
from sayso.model import Document, IngestError

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
TEXT_SUFFIXES = {".html", ".htm", ".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}  # and .warc.gz; read by sayso.ingest.warc, imported only when needed
SUPPORTED = FEED_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16
# What a damaged or cut-short gzip stream raises while it is being read.
_CORRUPT = (zlib.error, EOFError, gzip.BadGzipFile)
_TEXT_CONTROLS = b"\t\n\r"

Item = Document | IngestError


def read_inputs(inputs: list[str], limits: Limits | None = None) -> Iterator[Item]:
    """Every document in the given files, folders (recursive, sorted) and stdin ("-")."""
    limits = limits or Limits()
    for name in inputs:
        if name == STDIN:
            yield from _guarded(
                STDIN_ORIGIN, lambda: _read_stream(sys.stdin.buffer, STDIN_ORIGIN, None, limits)
            )
            continue
        path = Path(name)
        if not path.is_dir():
            yield from _read_file(path, limits)
            continue
        for found in _folder(path):
            if isinstance(found, IngestError):
                yield found
            else:
                yield from _read_file(found, limits)


def expand_inputs(inputs: list[str]) -> list[str]:
    """The inputs one by one as `read_inputs` reads them: each folder's supported files (sorted),
    other names as given (files, stdin, missing paths, a folder that cannot be listed)."""
    names: list[str] = []
    for name in inputs:
        path = Path(name)
        if name == STDIN or not path.is_dir():
            names.append(name)
            continue
        names += [found.origin if isinstance(found, IngestError) else str(found)
                  for found in _folder(path)]
    return names


def count_inputs(inputs: list[str]) -> int | None:
    """How many items `read_inputs` will yield, counted before reading (for a progress total):
    one per page or text file, folder that cannot be listed or missing path, and one per
    non-blank line of an uncompressed JSON Lines file; None when stdin, a feed or a compressed
    JSON Lines file holds a number only reading can tell."""
    total = 0
    for name in inputs:
        if name == STDIN:
            return None
        path = Path(name)
        for found in _folder(path) if path.is_dir() else [path]:
            if isinstance(found, IngestError) or not found.is_file() or _kind(found) == "text":
                total += 1
            elif _kind(found) == "jsonl" and found.suffix.lower() != ".gz":
                with found.open("rb") as f:  # one error record when it holds none
                    total += max(1, sum(1 for line in f if line.strip()))
            else:
                return None
    return total


def display_name(path: Path | str) -> str:
    """A path as printable, storable text: bytes of a name that is not UTF-8 as \\x escapes."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _folder(folder: Path) -> Iterator[Path | IngestError]:
    """Supported files under a folder, sorted, skipping hidden files and folders, with a record
    in its place for each folder that cannot be listed."""
    found: list[tuple[Path, Path | IngestError]] = []

    def unlisted(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        message = f"cannot list folder {display_name(where)}: {exc.strerror or exc}"
        found.append(
            (where, IngestError(display_name(where), "unreadable", message, "read",
                                type(exc).__name__))
        )

    for root, dirs, names in os.walk(folder, onerror=unlisted):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(root, name)
            if not name.startswith(".") and _suffix(path) in SUPPORTED and path.is_file():
                found.append((path, path))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def _suffix(path: Path) -> str:
    """The format suffix, looking through a trailing .gz."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _kind(path: Path) -> str:
    suffix = _suffix(path)
    if suffix in WARC_SUFFIXES:
        return "warc"
    return "jsonl" if suffix in JSONL_SUFFIXES else "feed" if suffix in FEED_SUFFIXES else "text"


def _read_file(path: Path, limits: Limits) -> Iterator[Item]:
    origin = display_name(path)
    yield from _guarded(origin, lambda: _read_path(path, origin, limits))


def _read_path(path: Path, origin: str, limits: Limits) -> Iterator[Item]:
    if not path.exists():
        raise IngestFailure("not_found", f"no such file or folder: {origin}", "read")
    if _kind(path) == "warc":  # read by record, not as one stream (see sayso.ingest.warc)
        from sayso.ingest.warc import read_warc

        yield from read_warc(path, origin, limits)
        return
    with path.open("rb") as stream:
        yield from _read_stream(stream, origin, _kind(path), limits)


def _guarded(origin: str, read: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """The items of one input, and an error record for it if reading fails, even half way
    through (what came before the fault is kept)."""
    try:
        yield from read()
    except _CORRUPT as exc:
        yield IngestError(origin, "corrupt", f"compressed data is damaged or cut short: {exc}",
                          "read", type(exc).__name__)
    except OSError as exc:
        yield IngestError(origin, "unreadable", f"cannot read {origin}: {exc.strerror or exc}",
                          "read", type(exc).__name__)
    except Exception as exc:
        yield error_record(origin, exc, "read")


def _read_stream(stream: BinaryIO, origin: str, kind: str | None, limits: Limits) -> Iterator[Item]:
    """One input of a kind told by its suffix ("jsonl", "feed", "text"), or sniffed when `kind`
    is None (stdin): JSON Lines when it opens with a JSON object, else a feed, page or text."""
    stream = _decompressed(_buffered(stream), limits)
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if kind is None and _opens_json_lines(head):
        kind = "jsonl"
    if kind == "jsonl":
        yield from _records(stream, head, origin, limits)
        return
    raw = stream.read(limits.max_bytes + 1)
    check_size(len(raw), limit=limits.max_bytes)
    yield from _read_bytes(raw, origin, (kind == "feed") if kind else None, limits)


def _buffered(stream: Any) -> io.BufferedReader:
    """A stream that can be peeked at (files and stdin are; a test's BytesIO is not)."""
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


def _decompressed(stream: io.BufferedReader, limits: Limits) -> io.BufferedReader:
    """The stream itself, or what it expands to when it is gzip (told by its magic number, not
    its name), capped at `limits.max_decompressed` bytes."""
    if stream.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] != GZIP_MAGIC:
        return stream
    return io.BufferedReader(_Capped(gzip.GzipFile(fileobj=stream), limits.max_decompressed),
                             CHUNK)


class _Capped(io.RawIOBase):
    """A decompressing stream that fails once it has given more than `limit` bytes, so a small
    file that expands without end is stopped while it is read."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        super().__init__()
        self.stream = stream
        self.limit = limit
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # One read at a time (read1), so the data before a fault is handed on before it raises.
        data = self.stream.read1(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.size += n
        if self.size > self.limit:
            raise IngestFailure(
                "decompressed_too_large",
                f"compressed input expands to more than {self.limit:,} bytes, the limit",
                "read",
            )
        return n


def _opens_json_lines(head: bytes) -> bool:
    """Whether a stream opens with a JSON object on its first line (or with a first line too
    long to see whole that starts like one)."""
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if not start.startswith(b"{"):
        return False
    first, newline, _ = start.partition(b"\n")
    if not newline:
        return True
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def _read_bytes(raw: bytes, origin: str, feed: bool | None, limits: Limits) -> Iterator[Item]:
    """A whole file or stream: a feed (told by suffix, or sniffed when `feed` is None) or a page."""
    text = decode(raw, limits.max_bytes)
    if feed is None:
        feed = any(root in text[:1000].lower() for root in _FEED_ROOTS)
    if feed:
        yield from _feed_entries(text, origin)
    else:
        yield from_string(text, origin=origin)


def _records(stream: io.BufferedReader, head: bytes, origin: str, limits: Limits) -> Iterator[Item]:
    """One document per non-blank JSON Lines line, origin "path:lineno"; each line is read with
    a bounded readline, so an endless line costs `limits.max_line` bytes of memory at most."""
    encoding = bom_encoding(head)
    lines: Any = stream
    if encoding in ("utf-16", "utf-32"):
        lines = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="\n")
    elif _binary(head):
        raise IngestFailure("binary", "not a JSON Lines file: it holds binary data", "decode")
    lineno = records = 0
    while line := lines.readline(limits.max_line + 1):
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(line) > limits.max_line and line[-1:] not in ("\n", b"\n"):
            records += 1
            yield IngestError(where, "line_too_long", f"line is longer than {limits.max_line:,} "
                              "bytes, the limit", "read")
            _skip_line(lines)
        elif line.strip():
            records += 1
            yield _record(line, where, limits)
    if not records:
        raise IngestFailure("empty", "JSON Lines input holds no records", "read")


def _binary(head: bytes) -> bool:
    """Whether a stream's first bytes are binary data: NUL bytes, or control characters that
    text never holds beyond a few."""
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in _TEXT_CONTROLS)
    return b"\x00" in head or controls > MAX_CONTROL_RATIO * len(head)


def _skip_line(lines: Any) -> None:
    """Read on to the end of an overlong line, a chunk at a time."""
    while (chunk := lines.readline(CHUNK)) and chunk[-1:] not in ("\n", b"\n"):
        pass


def _record(line: bytes | str, where: str, limits: Limits) -> Item:
    try:
        text = line if isinstance(line, str) else decode(line, limits.max_line + 1)
        check_depth(text, limits.max_depth)
        record = json.loads(text)
    except IngestFailure as failure:
        return error_record(where, failure, "parse")
    except ValueError as exc:  # json.JSONDecodeError, or digits beyond int's limit
        return IngestError(where, "parse", f"invalid JSON: {str(exc)[:200]}", "parse")
    except Exception as exc:
        return error_record(where, exc, "parse")
    return from_record(record, where)


def _feed_entries(text: str, origin: str) -> Iterator[Item]:
    """RSS/Atom entries, each as one record (origin "path#n"), parsed leniently: a feed that is
    not well-formed gives a record of its own besides the entries recovered from it, and each
    entry without text gives a record instead of vanishing."""
    import feedparser  # only feeds need it

    # Bytes with a declared charset, so that feedparser never takes the text for a file name
    # or a URL to open.
    feed = feedparser.parse(io.BytesIO(text.encode("utf-8")),
                            response_headers={"content-type": "application/xml; charset=utf-8"})
    fault = feed.get("bozo_exception")
    if not feed.entries:
        yield IngestError(origin, "parse", f"not a readable RSS/Atom feed: {fault or 'no entries'}",
                          "parse")
        return
    if isinstance(fault, xml.sax.SAXParseException):
        recovered = f"{len(feed.entries)} entr{'y was' if len(feed.entries) == 1 else 'ies were'}"
        yield IngestError(origin, "parse", f"feed is not well-formed ({fault}); {recovered} "
                          "recovered, any after the fault are lost", "parse")
    site = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{n}"
        try:
            yield _entry(entry, where, site)
        except Exception as exc:
            yield error_record(where, exc, "parse")


def _entry(entry: Any, where: str, site: str | None) -> Item:
    content = entry.get("content") or [{"value": entry.get("summary") or ""}]
    body = content[0].get("value") or ""
    if not body.strip():
        return IngestError(where, "empty", "feed entry has no text, only a headline", "check")
    if "<" in body:
        body = html.fragment_text(body)
    published = normalize(entry.get("published_parsed"))
    # dict.get skips feedparser's deprecated fallback from the update to the publication date.
    modified = normalize(dict.get(entry, "updated_parsed"))
    record = {
        "text": body,
        "url": entry.get("link"),
        "title": entry.get("title"),
        "authors": [a.get("name") for a in entry.get("authors", []) if a.get("name")],
        "published": published,
        "modified": modified if modified != published else None,
        "site": site,
    }
    return from_record(record, where)
