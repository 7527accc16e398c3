"""One input string (HTML or scraped text) or one JSON record to a checked `Document`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sayso.ingest import html, scraped
from sayso.ingest.checks import LANGUAGE, IngestFailure, check_body, check_text, error_record
from sayso.ingest.clean import normalize_text
from sayso.ingest.dates import normalize
from sayso.model import Article, Document, IngestError

METADATA = ("url", "title", "published", "modified", "site")


def from_string(
    text: str, origin: str, url: str | None = None, published: str | None = None
) -> Document | IngestError:
    """Ingest HTML or plain text; metadata given by the caller wins over what is found in it."""
    return _guarded(origin, lambda: _article(text, {"url": url, "published": published}))


def from_record(record: Any, origin: str) -> Document | IngestError:
    """A JSON Lines record: `text` or `html`, with url/title/published/authors/site beside it."""
    return _guarded(origin, lambda: _record_article(record))


def _guarded(origin: str, build) -> Document | IngestError:
    """Whatever goes wrong with one input becomes its error record: bad input never raises."""
    try:
        return Document(article=build(), origin=origin)
    except Exception as exc:
        return error_record(origin, exc, "extract")


def _record_article(record: Any) -> Article:
    if not isinstance(record, dict):
        raise IngestFailure("parse", "a JSON Lines record must be an object")
    content = record.get("html") or record.get("text")
    if not isinstance(content, str):
        raise IngestFailure("empty", "record has no 'text' or 'html' field", "check")
    authors = record.get("authors", record.get("author"))
    authors = [authors] if isinstance(authors, str) else authors
    authors = authors if isinstance(authors, list) else []
    # Only strings are metadata: a number or an object where a title belongs is dropped.
    given = {k: v for k in METADATA if isinstance(v := record.get(k), str)}
    given["authors"] = [a for a in authors if isinstance(a, str)]
    return _article(content, given, as_html=bool(record.get("html")))


def _article(text: str, given: dict[str, Any], as_html: bool | None = None) -> Article:
    check_text(text)
    text = normalize_text(text)
    is_html = html.looks_like_html(text) if as_html is None else as_html
    if is_html:
        article = html.extract(text, url=given.get("url"))
    else:
        article = scraped.parse(text)
        check_body(article.text, "text")
    for date_field in ("published", "modified"):
        if given.get(date_field):
            given[date_field] = normalize(given[date_field])
    known = {k: v for k, v in given.items() if v}
    article = replace(article, **known)
    # The id is recomputed from the clean body, as the data model's content hash.
    return replace(article, **_clean_metadata(article), language=LANGUAGE, id="")


def _clean_metadata(article: Article) -> dict[str, Any]:
    """Metadata normalised like the body (the store and the workbench show it), blanks dropped."""
    def clean(value: str | None) -> str | None:
        return (" ".join(normalize_text(value).split()) or None) if value else None

    return {
        **{k: clean(getattr(article, k)) for k in (*METADATA, "byline")},
        "authors": [a for a in map(clean, article.authors) if a],
        "captions": [c for c in map(clean, article.captions) if c],
    }
