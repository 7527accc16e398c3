"""WARC inputs: HTML responses become documents, everything else is passed over, and damage
gives error records while the rest of the file is still read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastwarc.warc import WarcRecordType

from sayso.ingest import Limits, read_inputs
from sayso.ingest.warc import warc_record
from sayso.model import Document, IngestError

CRAWLED = "2024-05-02T10:15:00Z"
TOWNS = ("Harrowgate", "Linmouth", "Ostervale", "Pelling")


def page(town: str, dated: bool) -> bytes:
    """A small news page of text written for these tests; `dated` adds a publication date."""
    meta = '<meta property="article:published_time" content="2024-04-28T07:30:00">' if dated \
        else ""
    body = "".join(
        f"<p>The council of {town} voted on Tuesday to repair the old river bridge, the mayor "
        f"said, adding that work on section {i} would begin before the summer floods.</p>"
        for i in range(1, 5)
    )
    return (f"<html><head><title>{town} repairs its bridge</title>{meta}</head><body><article>"
            f"<h1>{town} repairs its bridge</h1>{body}</article></body></html>").encode()


def record(kind: WarcRecordType, uri: str, block: bytes, content_type: str) -> bytes:
    return warc_record(kind, uri, block, content_type, CRAWLED)


def response(uri: str, payload: bytes, status: str = "200 OK",
             content_type: str = "text/html; charset=utf-8") -> bytes:
    http = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
    return record(WarcRecordType.response, uri, http, "application/http; msgtype=response")


def article_records() -> list[bytes]:
    """Two articles among what a crawl also holds: its info, a request, a redirect, a missing
    page, and a response that is no HTML."""
    return [
        record(WarcRecordType.warcinfo, "", b"software: a test\r\n", "application/warc-fields"),
        record(WarcRecordType.request, "https://news.example/harrowgate",
               b"GET /harrowgate HTTP/1.1\r\nHost: news.example\r\n\r\n",
               "application/http; msgtype=request"),
        response("https://news.example/harrowgate", page("Harrowgate", dated=True)),
        response("https://news.example/old", b"", "301 Moved Permanently"),
        response("https://news.example/gone", page("Ostervale", dated=True), "404 Not Found"),
        response("https://news.example/data.json", b'{"town": "Pelling"}', content_type=
                 "application/json"),
        response("https://news.example/linmouth", page("Linmouth", dated=False)),
    ]


def write(path: Path, records: list[bytes], gz: bool = False) -> Path:
    path.write_bytes(b"".join(gzip.compress(r) for r in records) if gz else b"".join(records))
    return path


def read(path: Path, **limits: int) -> list[Document | IngestError]:
    return list(read_inputs([str(path)], Limits(**limits)))


def test_html_responses_become_documents_with_url_and_crawl_date(tmp_path: Path) -> None:
    records = article_records()
    path = write(tmp_path / "crawl.warc", records)
    docs = read(path)
    assert all(isinstance(d, Document) for d in docs), docs
    assert [d.article.url for d in docs] == ["https://news.example/harrowgate",
                                              "https://news.example/linmouth"]
    offsets = [sum(map(len, records[:2])), sum(map(len, records[:6]))]
    assert [d.origin for d in docs] == [f"{path}@{offset}" for offset in offsets]
    harrowgate, linmouth = (d.article for d in docs)
    assert harrowgate.published == "2024-04-28T07:30"  # the page's own date wins
    assert linmouth.published == "2024-05-02T10:15+00:00"  # else the crawl date, in UTC
    assert "section 3 would begin" in linmouth.text and "Linmouth" in linmouth.title


def test_gzipped_warc_and_a_folder_of_them(tmp_path: Path) -> None:
    plain = read(write(tmp_path / "a.warc", article_records()))
    folder = tmp_path / "crawl"
    folder.mkdir()
    write(folder / "b.warc.gz", article_records()[4:], gz=True)
    write(folder / "a.warc.gz", article_records(), gz=True)
    docs = read(folder)
    assert [Path(d.origin.rpartition("@")[0]).name for d in docs] == ["a.warc.gz", "a.warc.gz",
                                                                        "b.warc.gz"]
    assert [d.article.id for d in docs[:2]] == [d.article.id for d in plain]
    assert docs[2].article.id == docs[1].article.id  # the same page crawled twice


@pytest.mark.parametrize("gz", [False, True])
def test_a_record_cut_short_is_an_error_and_the_rest_is_kept(tmp_path: Path, gz: bool) -> None:
    records = [gzip.compress(r) for r in article_records()] if gz else article_records()
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(b"".join(records)[: -len(records[-1]) // 2])  # half the last record
    *docs, error = read(path)
    assert [d.article.url for d in docs] == ["https://news.example/harrowgate"]
    assert isinstance(error, IngestError) and error.stage == "read", error
    assert error.error == "corrupt"
    assert error.origin.startswith(f"{path}@")


@pytest.mark.parametrize("damage", ["header", "gzip member", "stray bytes"])
def test_corrupt_data_between_records_is_skipped(tmp_path: Path, damage: str) -> None:
    first, second = response("https://news.example/harrowgate", page("Harrowgate", True)), \
        response("https://news.example/linmouth", page("Linmouth", True))
    broken = response("https://news.example/x", page("Pelling", True))
    gz = damage == "gzip member"
    if gz:
        first, second, broken = map(gzip.compress, (first, second, broken))
    damaged = broken[:20] + bytes(60) + broken[80:]  # 60 bytes overwritten by zeros
    if damage == "stray bytes":
        damaged = b"GARBAGE\r\nno record starts here\r\n\r\n"
    data = first + damaged + second
    path = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    path.write_bytes(data)
    items = read(path)
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [i.article.url for i in items if isinstance(i, Document)] == [
        "https://news.example/harrowgate", "https://news.example/linmouth"]
    assert len(errors) == 1 and errors[0].error == "corrupt" and errors[0].stage == "read"


def test_a_bad_http_header_and_an_oversized_page_are_records(tmp_path: Path) -> None:
    good = response("https://news.example/linmouth", page("Linmouth", True))
    garbled = record(WarcRecordType.response, "https://news.example/garbled", b"\x00\x01\r\n",
                     "application/http; msgtype=response")
    big = response("https://news.example/big", page("Pelling", True) * 40)
    items = read(write(tmp_path / "odd.warc", [garbled, big, good]), max_bytes=20_000)
    kinds = [(i.error, i.stage) if isinstance(i, IngestError) else "doc" for i in items]
    assert kinds == [("parse", "parse"), ("too_large", "read"), "doc"]
