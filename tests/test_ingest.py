"""Ingest on invented text: scraped leftovers, HTML, input sources and bad input."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from sayso.ingest import from_string, read_inputs
from sayso.ingest.checks import MAX_BYTES
from sayso.ingest.dates import normalize
from sayso.model import Document, IngestError, content_id

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EXAMPLES = Path(__file__).parent.parent / "examples"

# Fixture file -> (title, authors, published, modified, number of captions, body paragraphs).
SCRAPED = {
    "nordic_dotted.txt": (
        "Fishing Quotas Spark Row Between Norway and Iceland",
        ["Jane Holm", "Erik Lund"], "2021-03-12T14:05", None, 0, 3,
    ),
    "lagos_sentence_case.txt": (
        "Fuel subsidy row deepens as unions threaten strike",
        ["Sam Okafor"], None, "2021-03-03T14:05+01:00", 1, 3,
    ),
    "lisbon_agency_caption.txt": (
        "Lisbon Approves Rent Cap After Heated Debate", ["Ana Costa"], "2021-03-03", None, 1, 4,
    ),
    "seoul_no_byline.txt": (
        "Seoul Weather Agency Warns of Record Heat Wave", [], "2021-11-09", None, 0, 3,
    ),
    "ottawa_no_title.txt": (None, [], None, "2022-05-14T15:30", 0, 4),
    "nairobi_two_dates.txt": (
        "Kenya and Tanzania Agree to Reopen Border Market",
        ["Amina Said", "Joseph Mwangi"], "2023-01-05T09:15", "2023-01-06T11:40", 1, 4,
    ),
    "clean_wire.txt": (None, [], None, None, 0, 4),
}

# Lines each fixture's scraper left that must not reach the body.
LEFTOVERS = {
    "nordic_dotted.txt": ["Nordic Wire logo", "Accept all cookies", "By Jane Holm", "12.03.2021"],
    "lagos_sentence_case.txt": ["Share this article", "Commuters wait", "Staff Writer", "Updated"],
    "lisbon_agency_caption.txt": ["Home › World", "By Ana Costa", "AP Photo", "Read more"],
    "seoul_no_byline.txt": ["Tuesday, 9 November", "Copyright 2021"],
    "ottawa_no_title.txt": ["Last updated"],
    "nairobi_two_dates.txt": ["Published:", "Written by", "Image credit", "Follow us", "Sign up"],
}


def ingest(path: Path) -> Document:
    doc = from_string(path.read_text(encoding="utf-8"), origin=str(path))
    assert isinstance(doc, Document), doc
    return doc


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


@pytest.mark.parametrize("name", sorted(SCRAPED))
def test_scraped_metadata_is_lifted(name: str) -> None:
    title, authors, published, modified, n_captions, n_paragraphs = SCRAPED[name]
    article = ingest(FIXTURES / name).article
    assert article.title == title
    assert article.authors == authors
    assert article.published == published
    assert article.modified == modified
    assert len(article.captions) == n_captions
    assert len(paragraphs(article.text)) == n_paragraphs
    if title:
        assert title not in article.text


@pytest.mark.parametrize("name", sorted(LEFTOVERS))
def test_scraper_leftovers_leave_the_body(name: str) -> None:
    article = ingest(FIXTURES / name).article
    for leftover in LEFTOVERS[name]:
        assert leftover not in article.text
    for caption in article.captions:
        assert caption not in article.text


def test_body_keeps_paragraph_breaks_and_is_hashed() -> None:
    article = ingest(FIXTURES / "nordic_dotted.txt").article
    assert article.text.count("\n\n") == 2
    assert article.text.startswith("Norway accused Iceland")
    assert article.id == content_id(article.text)
    assert article.language == "en"


def test_clean_text_passes_unchanged() -> None:
    raw = (FIXTURES / "clean_wire.txt").read_text(encoding="utf-8")
    assert ingest(FIXTURES / "clean_wire.txt").article.text == raw.strip()


def test_caller_metadata_wins() -> None:
    text = (FIXTURES / "seoul_no_byline.txt").read_text(encoding="utf-8")
    doc = from_string(text, origin="x", url="https://example.org/a", published="2021-11-10")
    assert doc.article.published == "2021-11-10"
    assert doc.article.url == "https://example.org/a"


def test_html_page() -> None:
    article = ingest(EXAMPLES / "lake-water-dispute.html").article
    assert article.title == "Peru and Bolivia trade accusations as lake levels fall"
    assert article.authors == ["Lucía Fernández"]
    assert article.published == "2024-02-06T08:30-05:00"  # the page states its offset
    assert article.modified == "2024-02-07T16:45-05:00"
    assert article.site == "Andean Ledger"
    assert article.captions == [
        "Fishing boats rest on the exposed shore near Puno on February 2, 2024. "
        "Photo: Andean Ledger"
    ]
    assert article.text.startswith("Peru and Bolivia traded sharp accusations")
    for boilerplate in ("Fishing boats rest", "Related stories", "All rights reserved", "Sign up"):
        assert boilerplate not in article.text
    assert len(paragraphs(article.text)) == 10


def test_html_with_a_legacy_charset(tmp_path: Path) -> None:
    body = "".join(
        f"<p>Paragraph {i}: the café owners’ association in Zürich said prices had risen by "
        f"{i} percent – the highest rise since the association began keeping records.</p>"
        for i in range(1, 6)
    )
    page = (
        '<html><head><meta charset="windows-1252"><title>Prices rise in Zürich cafés</title>'
        f"</head><body><article><h1>Prices rise in Zürich cafés</h1>{body}</article></body></html>"
    )
    path = tmp_path / "legacy.html"
    path.write_bytes(page.encode("cp1252"))
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, Document), doc
    assert "café owners’ association in Zürich" in doc.article.text


def test_examples_all_ingest() -> None:
    docs = list(read_inputs([str(EXAMPLES)]))
    assert all(isinstance(d, Document) for d in docs), docs
    assert [Path(d.origin).name for d in docs] == [
        "council-budget-fight.txt",
        "lake-water-dispute.html",
        "wire-stories.jsonl:1",
        "wire-stories.jsonl:2",
    ]
    council, _, trade, election = (d.article for d in docs)
    assert council.authors == ["Tom Albrecht", "Priya Nair"]
    assert council.modified == "2024-03-13T09:40"
    assert trade.published == "2024-04-19T17:20+02:00"
    assert election.authors == ["Mercy Chirwa"]
    assert all(300 <= len(d.article.text.split()) <= 600 for d in docs)


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    text = (FIXTURES / "clean_wire.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"text": text, "title": "Rates rise", "author": "Ana Ruiz",
                    "published": "2022-07-13 18:05:00Z", "site": "Example"}),
        "{not json",
        "",
        json.dumps({"title": "no body"}),
        json.dumps({"html": f"<html><body><article><p>{text}</p></article></body></html>"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert [i.origin for i in items] == [f"{path}:{n}" for n in (1, 2, 4, 5)]
    first, bad_json, no_body, from_html = items
    assert first.article.authors == ["Ana Ruiz"]
    assert first.article.published == "2022-07-13T18:05+00:00"
    assert first.article.title == "Rates rise"
    assert (bad_json.error, no_body.error) == ("parse", "empty")
    assert "central bank raised" in from_html.article.text


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Wire</title>
<item><title>Port strike ends</title><link>https://example.org/port</link>
<pubDate>Mon, 07 Mar 2022 10:30:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Dock workers in Rotterdam ended a three-day strike on Monday after
the port authority agreed to a 6 percent pay rise, the union said.</p>
<p>Shipping lines said it would take a week to clear the backlog.</p>]]></content:encoded></item>
<item><title>Ferry fares frozen</title><link>https://example.org/ferry</link>
<description>The regional government said on Tuesday that ferry fares would stay at
their current level until the end of the year.</description></item>
<item><title>Headline only</title><link>https://example.org/empty</link></item>
</channel></rss>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    port, ferry, headline_only = read_inputs([str(path)])
    assert (port.origin, ferry.origin) == (f"{path}#1", f"{path}#2")
    assert isinstance(headline_only, IngestError), "a dropped entry says so"
    assert (headline_only.origin, headline_only.error) == (f"{path}#3", "empty")
    assert port.article.title == "Port strike ends"
    assert port.article.published == "2022-03-07T10:30+00:00"  # feed dates are UTC
    assert port.article.site == "Harbour Wire"
    assert len(paragraphs(port.article.text)) == 2
    assert ferry.article.text.startswith("The regional government said")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title>
<entry><title>Dam inspection delayed</title><link href="https://example.org/dam"/>
<author><name>Lena Berg</name></author><published>2023-09-01T07:45:00Z</published>
<updated>2023-09-02T12:00:00Z</updated>
<content type="html">&lt;p&gt;Engineers postponed the inspection of the upper dam by two weeks on
Friday, the regional water board said, citing heavy rain in the catchment.&lt;/p&gt;</content>
</entry></feed>"""


def test_atom_feed_and_a_file_that_is_no_feed(tmp_path: Path) -> None:
    (tmp_path / "a.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "b.xml").write_text("<?xml version='1.0'?><catalog><book/></catalog>")
    dam, not_feed = read_inputs([str(tmp_path)])
    assert dam.article.authors == ["Lena Berg"]
    assert (dam.article.published, dam.article.modified) == (
        "2023-09-01T07:45+00:00", "2023-09-02T12:00+00:00")
    assert dam.article.text.startswith("Engineers postponed")
    assert (not_feed.origin, not_feed.error) == (str(tmp_path / "b.xml"), "parse")


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "nordic_dotted.txt").read_text(encoding="utf-8")
    records = "".join(json.dumps({"text": text}) + "\n" for _ in range(2)).encode()
    for raw, origins in (
        (records, ["<stdin>:1", "<stdin>:2"]),
        (text.encode(), ["<stdin>"]),
        (RSS.encode(), ["<stdin>#1", "<stdin>#2"]),
    ):
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(raw)))
        items = [i for i in read_inputs(["-"]) if i.origin != "<stdin>#3"]  # headline only
        assert [i.origin for i in items] == origins
        assert all(isinstance(i, Document) for i in items)


FRENCH = (
    "Le gouvernement a annoncé mardi une hausse des salaires des enseignants, après plusieurs "
    "semaines de grève dans les écoles du pays. Les syndicats ont salué une première étape."
)


@pytest.mark.parametrize(
    "content, error",
    [
        ("", "empty"),
        ("  \n\t \n", "empty"),
        ("abc\x00def" * 100, "binary"),
        ("\x01\x02\x03\x04 text" * 100, "binary"),
        (FRENCH, "language"),
        ("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body>"
         "</html>", "parse"),
        ("A sentence of English news text about the budget. " * 25_000, "too_large"),
    ],
)
def test_bad_strings(content: str, error: str) -> None:
    item = from_string(content, origin="bad")
    assert isinstance(item, IngestError)
    assert (item.origin, item.error) == ("bad", error)
    assert item.message


def test_batch_with_bad_files_still_yields_good_ones(tmp_path: Path) -> None:
    good = (FIXTURES / "clean_wire.txt").read_text(encoding="utf-8")
    (tmp_path / "a_good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (tmp_path / "c_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "d_huge.html").write_bytes(b"<p>" + b"x" * MAX_BYTES)
    (tmp_path / "e_french.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "f_garbage.txt").write_bytes(bytes(range(128, 256)) * 50)
    (tmp_path / "sub").mkdir()
    with gzip.open(tmp_path / "sub" / "g_good.txt.gz", "wt", encoding="utf-8") as f:
        f.write(good)
    (tmp_path / ".hidden.txt").write_text(good, encoding="utf-8")
    (tmp_path / "notes.md").write_text(good, encoding="utf-8")
    items = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    results = [
        (Path(i.origin).name, i.error if isinstance(i, IngestError) else "ok") for i in items
    ]
    assert results == [
        ("a_good.txt", "ok"),
        ("b_binary.txt", "binary"),
        ("c_empty.txt", "empty"),
        ("d_huge.html", "too_large"),
        ("e_french.txt", "language"),
        ("f_garbage.txt", "encoding"),
        ("g_good.txt.gz", "ok"),
        ("missing.txt", "not_found"),
    ]


def test_extraction_metric_counts_shingles() -> None:
    from sayso.eval.extraction import page_counts, scores

    gold = "the port reopened on monday after a strike of three days"
    assert page_counts(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts(gold, gold + " subscribe to our newsletter today")
    assert tp > fp > 0 and fn == 0
    missing = page_counts(gold, "")
    assert missing == (0.0, 0.0, 1.0)
    result = scores([page_counts(gold, gold), missing])
    assert (result["precision"], result["recall"]) == (1.0, 0.5)


@pytest.mark.parametrize(("written", "stored"), [
    ("2024-03-05T09:15:00+01:00", "2024-03-05T09:15+01:00"),  # an ISO stamp keeps its offset
    ("Wed 6 Mar 2024 05.00 GMT", "2024-03-06T05:00+00:00"),
    ("March 5, 2024 9:15 AM GMT+1", "2024-03-05T09:15+01:00"),
    ("Mar 5, 2024, 09:15 IST", "2024-03-05T09:15"),  # India, Israel or Ireland: no offset
    ("Mar 5, 2024 9:15 AM CST", "2024-03-05T09:15"),  # US Central, China or Cuba
    ("2024-03-05T23:30:00-05:00", "2024-03-05T23:30-05:00"),  # never converted: the day stays
    ("5 March 2024", "2024-03-05"),
])
def test_dates_are_iso_8601_with_the_offset_the_source_states(written: str, stored: str) -> None:
    assert normalize(written) == stored
