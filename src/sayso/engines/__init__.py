"""Attribution engines: interchangeable ways to get `Attribution` records from a spaCy doc.

An engine is a module with `load_nlp()`, the spaCy pipeline whose docs it reads, and
`extract(doc)`, the attributions it finds there. Evaluations run every engine the same way
(`run_engine`), so sayso and the baselines are scored on identical text and offsets.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Article, Attribution

ENGINES: dict[str, str] = {
    "sayso": "sayso.engines.pipeline",
    "textacy": "sayso.engines.textacy_quotes",
}


class Engine(Protocol):
    def load_nlp(self) -> Language: ...

    def extract(self, doc: Doc) -> list[Attribution]: ...


def load_engine(name: str) -> Engine:
    """The engine registered under `name` (see ENGINES); its module is imported on demand."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    return importlib.import_module(ENGINES[name])


def run_engine(
    engine: Engine, articles: Iterable[Article], batch_size: int = 16
) -> Iterator[tuple[Article, list[Attribution]]]:
    """Each article with the attributions the engine finds in its text, taken as-is."""
    from sayso.nlp import make_doc

    nlp = engine.load_nlp()
    docs = (make_doc(nlp, article) for article in articles)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield doc._.article, engine.extract(doc)
