"""From ingested documents to analyses: the one path both the Python API and the CLI take."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sayso.model import Analysis, Document


def analyze(text_or_html: str, url: str | None = None, published: str | None = None) -> Analysis:
    """Analyse one article given as HTML or as (possibly scraped) plain text.

    Raises `ValueError` with the ingest error's message when the input cannot be read as an
    English article (empty, binary, too large, not English).
    """
    from sayso.ingest import from_string

    doc = from_string(text_or_html, origin=url or "<string>", url=url, published=published)
    if not isinstance(doc, Document):
        raise ValueError(f"{doc.error}: {doc.message}")
    return next(analyze_documents([doc]))


def analyze_documents(documents: Iterable[Document], batch_size: int = 16) -> Iterator[Analysis]:
    """Run the sayso pipeline over documents in batches, yielding one Analysis per document."""
    from sayso.nlp import load_pipeline, make_doc

    nlp = load_pipeline()
    docs = (make_doc(nlp, d.article) for d in documents)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield analysis_of(doc)


def analysis_of(doc) -> Analysis:
    """Collect what the components left on a processed Doc into the shared data model."""
    return Analysis(
        article=doc._.article,
        entities=doc._.entities or [],
        attributions=doc._.attributions or [],
        times=doc._.times or [],
        places=doc._.places or [],
        quantities=doc._.quantities or [],
        events=doc._.events or [],
    )
