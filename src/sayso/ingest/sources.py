"""Where documents come from: files, folders, JSON Lines, feeds and stdin, one error record per bad
input, so a batch never stops on a bad file."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from sayso.ingest import html
from sayso.ingest.checks import MAX_BYTES, IngestFailure, check_size, decode
from sayso.ingest.convert import from_record, from_string
from sayso.ingest.dates import normalize
from sayso.model import Document, IngestError

STDIN = "-"
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
TEXT_SUFFIXES = {".html", ".htm", ".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = FEED_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")

Item = Document | IngestError


def read_inputs(inputs: list[str]) -> Iterator[Item]:
    """Every document in the given files, folders (recursive, sorted) and stdin ("-")."""
    for name in inputs:
        if name == STDIN:
            yield from _read_stream(sys.stdin.buffer, "<stdin>")
            continue
        path = Path(name)
        if path.is_dir():
            for file in _folder_files(path):
                yield from _read_file(file)
        else:
            yield from _read_file(path)


def _folder_files(folder: Path) -> list[Path]:
    """Supported files under a folder, sorted, skipping hidden files and folders."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and _suffix(p) in SUPPORTED
    )


def _suffix(path: Path) -> str:
    """The format suffix, looking through a trailing .gz."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _read_file(path: Path) -> Iterator[Item]:
    origin = str(path)
    try:
        with _open(path) as stream:
            if _suffix(path) in JSONL_SUFFIXES:
                yield from _records(stream, origin)
                return
            raw = _read_limited(stream)
    except IngestFailure as failure:
        yield IngestError(origin, failure.error, failure.message)
        return
    except OSError as exc:
        yield IngestError(origin, "unreadable", f"cannot read {origin}: {exc.strerror or exc}")
        return
    suffix = _suffix(path)
    yield from _read_bytes(raw, origin, feed=suffix in FEED_SUFFIXES or None)


def _open(path: Path) -> BinaryIO:
    if not path.exists():
        raise IngestFailure("not_found", f"no such file or folder: {path}")
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _read_limited(stream: BinaryIO) -> bytes:
    """Read at most the size limit (plus one byte, to tell it was exceeded)."""
    raw = stream.read(MAX_BYTES + 1)
    check_size(len(raw))
    return raw


def _read_stream(stream: BinaryIO, origin: str) -> Iterator[Item]:
    """stdin: JSON Lines when its first line is a JSON object, otherwise one feed, page or text."""
    try:
        first = stream.readline(MAX_BYTES + 1)
        if _is_json_object(first):
            yield from _records(_chain([first], stream), origin)
            return
        raw = first + _read_limited(stream)
        check_size(len(raw))
    except IngestFailure as failure:
        yield IngestError(origin, failure.error, failure.message)
        return
    yield from _read_bytes(raw, origin, feed=None)


def _chain(head: list[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest


def _is_json_object(line: bytes) -> bool:
    if not line.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _read_bytes(raw: bytes, origin: str, feed: bool | None) -> Iterator[Item]:
    """A whole file or stream: a feed (told by suffix, or sniffed when `feed` is None) or a page."""
    try:
        text = decode(raw)
    except IngestFailure as failure:
        yield IngestError(origin, failure.error, failure.message)
        return
    if feed is None:
        feed = any(root in text[:1000].lower() for root in _FEED_ROOTS)
    if feed:
        yield from _feed_entries(text, origin)
    else:
        yield from_string(text, origin=origin)


def _records(lines: Iterable[bytes], origin: str) -> Iterator[Item]:
    """One document per non-blank JSON Lines line; origin "path:lineno"."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            check_size(len(line))
            record = json.loads(decode(line))
        except IngestFailure as failure:
            yield IngestError(where, failure.error, failure.message)
            continue
        except ValueError as exc:
            yield IngestError(where, "parse", f"invalid JSON: {exc}")
            continue
        yield from_record(record, where)


def _feed_entries(text: str, origin: str) -> Iterator[Item]:
    """RSS/Atom entries that carry content or a summary, each as one record; origin "path#n"."""
    import feedparser  # only feeds need it

    feed = feedparser.parse(text)
    if not feed.entries:
        reason = feed.get("bozo_exception") or "no entries"
        yield IngestError(origin, "parse", f"not a readable RSS/Atom feed: {reason}")
        return
    site = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{n}"
        content = entry.get("content") or [{"value": entry.get("summary") or ""}]
        body = content[0].get("value") or ""
        if not body.strip():
            continue  # a headline-only entry: nothing to analyse
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
        yield from_record(record, where)
