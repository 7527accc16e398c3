"""HTML pages: trafilatura finds the body and metadata, htmldate the publication and update dates.

The page is parsed once; captions are read from its `<figcaption>` elements and kept out of the
body, where trafilatura sometimes leaves them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sayso.ingest.checks import IngestFailure, check_body
from sayso.ingest.clean import normalize_text
from sayso.ingest.dates import ZONED, from_htmldate
from sayso.model import Article

if TYPE_CHECKING:
    from configparser import ConfigParser

    from lxml.html import HtmlElement

# trafilatura and htmldate are imported where a page is read, not here: plain text, the common
# input, should not pay for loading them at start-up.

_SPACES = re.compile(r"\s+")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(r"<(?:p|div|article|section|span|br|h[1-6]|a|meta|title)\b[^>]*>", re.I)
_MIN_TAGS = 2
SNIFF_CHARS = 4096
# Below this many characters trafilatura's "body" is a menu or a cookie banner, not an article.
MIN_BODY_CHARS = 100


def looks_like_html(text: str) -> bool:
    """HTML when the text opens like a page, or its start is full of block tags."""
    head = text[:SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_HTML_TAG.findall(head)) >= _MIN_TAGS


def extract(html: str, url: str | None = None) -> Article:
    """Body, title, authors, site and dates of an HTML page."""
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        raise IngestFailure("parse", "HTML could not be parsed")
    captions = _captions(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        config=_config(),
    )
    if doc is None or not (doc.text or "").strip():
        raise IngestFailure("parse", "no article body could be extracted from the HTML")
    body = _body(doc.text, [doc.title or "", *captions])
    check_body(body, "HTML page")  # before the date search, which is slow on foreign pages
    published = _date(tree, url, original=True)
    modified = _date(tree, url, original=False)
    return Article(
        url=url or doc.url,
        title=doc.title,
        authors=_authors(doc.author),
        published=published,
        modified=modified if modified != published else None,
        site=doc.sitename,
        text=body,
        captions=captions,
    )


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_BODY_CHARS))
    return config


def _captions(tree: HtmlElement) -> list[str]:
    captions = (_SPACES.sub(" ", el.text_content()).strip() for el in tree.iter("figcaption"))
    return list(dict.fromkeys(c for c in captions if c))


def _date(tree: HtmlElement, url: str | None, original: bool) -> str | None:
    """The publication date (searching the page text too), or the update date, which only the
    page's metadata states reliably."""
    import htmldate

    found = htmldate.find_date(
        tree, url=url, original_date=original, extensive_search=original, outputformat=ZONED
    )
    return from_htmldate(found)


def _authors(author: str | None) -> list[str]:
    return [a.strip() for a in (author or "").split(";") if a.strip()]


def _body(text: str, drop_lines: list[str]) -> str:
    """One paragraph per line from trafilatura, paragraphs blank-line apart, without the lines
    that belong to the metadata (the headline, captions)."""
    drop = set(drop_lines)
    paragraphs = (p.strip() for p in normalize_text(text).split("\n"))
    return "\n\n".join(p for p in paragraphs if p and p not in drop)


def fragment_text(fragment: str) -> str:
    """Plain text of a feed entry's HTML content, which is too small for body extraction."""
    import trafilatura

    page = f"<html><body>{fragment}</body></html>"  # a lone <p> would parse as an empty tree
    doc = trafilatura.bare_extraction(page, include_comments=False, favor_recall=True)
    text = doc.text if doc is not None and doc.text else trafilatura.html2txt(page)
    return _body(text, [])
