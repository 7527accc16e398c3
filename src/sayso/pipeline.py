"""From ingested documents to analyses: the one path both the Python API and the CLI take."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Analysis, Article, Document, IngestError

# Components that also run over the front matter (byline, captions): what a caption or a byline
# says about when and where is worth keeping, but nobody is quoted there.
FRONT_MATTER_COMPONENTS = ("sayso_times", "sayso_places", "sayso_quantities")


def analyze(
    text_or_html: str,
    url: str | None = None,
    published: str | None = None,
    engine: str | None = None,
) -> Analysis:
    """Analyse one article given as HTML or as (possibly scraped) plain text, with the
    attribution engine `engine` ("trained" or "rules"; None: the default).

    Raises `ValueError` with the error record's kind and message when the input cannot be read
    as an English article (empty, binary, too large, not English), or when its analysis fails
    ("internal", "too_deep").
    """
    from sayso.ingest import from_string

    doc = from_string(text_or_html, origin=url or "<string>", url=url, published=published)
    failures: list[IngestError] = []
    if isinstance(doc, Document):
        analyses = list(analyze_documents([doc], engine=engine, on_error=failures.append))
        if analyses:
            return analyses[0]
        doc = failures[0]
    raise ValueError(f"{doc.error}: {doc.message}")


def analyze_documents(
    documents: Iterable[Document],
    batch_size: int = 16,
    engine: str | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> Iterator[Analysis]:
    """Run the sayso pipeline over documents in batches, yielding one Analysis per document.

    With `on_error`, a document whose analysis raises is handed to it as an error record
    (stage "analyze") and left out, and the rest of its batch is analysed one by one, so every
    other document still comes out; without it, the exception propagates.
    """
    from sayso.nlp import DEFAULT_ENGINE, load_pipeline

    nlp = load_pipeline(engine or DEFAULT_ENGINE)
    documents = iter(documents)
    while batch := list(islice(documents, batch_size)):
        if on_error is None:
            yield from _analyses(nlp, batch, batch_size)
            continue
        try:
            analyses = list(_analyses(nlp, batch, batch_size))
        except Exception:
            analyses = [a for d in batch if (a := _analysis_or_error(nlp, d, on_error))]
        yield from analyses


def _analyses(nlp: Language, batch: list[Document], batch_size: int) -> Iterator[Analysis]:
    from sayso.nlp import make_doc

    docs = (make_doc(nlp, d.article) for d in batch)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        analysis = analysis_of(doc)
        add_front_matter(nlp, analysis)
        yield analysis


def _analysis_or_error(
    nlp: Language, document: Document, on_error: Callable[[IngestError], None]
) -> Analysis | None:
    """One document analysed alone (on a fresh Doc), or its error record handed to `on_error`."""
    from sayso.ingest.checks import error_record

    try:
        return next(_analyses(nlp, [document], 1))
    except Exception as exc:
        on_error(error_record(document.origin, exc, "analyze"))
        return None


def analysis_of(doc: Doc) -> Analysis:
    """Collect what the components left on a processed Doc into the shared data model."""
    return Analysis(
        article=doc._.article,
        entities=doc._.entities or [],
        attributions=doc._.attributions or [],
        times=doc._.times or [],
        places=doc._.places or [],
        quantities=doc._.quantities or [],
        events=doc._.events or [],
        **voices_of(doc),
    )


def voices_of(doc: Doc) -> dict:
    """What `sayso_voices` (and `sayso_framing`) left on the Doc, for `Analysis`'s fields."""
    from sayso.model import Voices

    found = {name: getattr(doc._, name, None) for name in ("framing", "assertions", "disputes")}
    return {**{k: v or [] for k, v in found.items()}, "voices": getattr(doc._, "voices", None)
            or Voices()}


def front_matter(article: Article) -> list[tuple[str, str]]:
    """The (part, text) pairs outside the body that still carry facts."""
    parts = [("byline", article.byline)] if article.byline else []
    return parts + [(f"caption:{i}", c) for i, c in enumerate(article.captions) if c.strip()]


def add_front_matter(nlp: Language, analysis: Analysis) -> None:
    """Append the times, places and quantities of the byline and captions, marked with their part.

    They get ids after the body's own, so body ids stay stable whatever the front matter holds.
    """
    parts = front_matter(analysis.article)
    if not parts:
        return
    keep = {name for name in FRONT_MATTER_COMPONENTS if name in nlp.pipe_names}
    skip = [name for name in nlp.pipe_names if name.startswith("sayso_") and name not in keep]
    docs = []
    for _, text in parts:
        doc = nlp.make_doc(text)
        doc._.article = analysis.article
        docs.append(doc)
    with nlp.select_pipes(disable=skip):
        processed = list(nlp.pipe(docs))
    authors = " ".join(analysis.article.authors)
    for (part, _), doc in zip(parts, processed, strict=True):
        # A byline's names are its authors, whatever the NER made of them.
        places = [p for p in doc._.places or [] if part != "byline" or p.text not in authors]
        for found, target, prefix in (
            (doc._.times or [], analysis.times, "T"),
            (places, analysis.places, "P"),
            (doc._.quantities or [], analysis.quantities, "Q"),
        ):
            for record in found:
                record.part = part
                record.id = f"{prefix}{len(target) + 1}"
                target.append(record)
