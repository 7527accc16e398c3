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
    "trained": "sayso.engines.pipeline",
    "rules": "sayso.engines.pipeline",
    "textacy": "sayso.engines.textacy_quotes",
}
DEFAULT = "sayso"  # the pipeline's default attribution engine (sayso.nlp.DEFAULT_ENGINE)


class Engine(Protocol):
    def load_nlp(self, name: str) -> Language: ...

    def extract(self, doc: Doc) -> list[Attribution]: ...


def engine_name(name: str) -> str:
    """`name` with the alias "sayso" read as the pipeline's default engine."""
    from sayso.nlp import DEFAULT_ENGINE

    return DEFAULT_ENGINE if name == DEFAULT else name


def load_engine(name: str) -> Engine:
    """The engine registered under `name` (see ENGINES); its module is imported on demand."""
    name = engine_name(name)
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    return importlib.import_module(ENGINES[name])


def run_engine(
    engine: Engine, articles: Iterable[Article], batch_size: int = 16, name: str = DEFAULT
) -> Iterator[tuple[Article, list[Attribution]]]:
    """Each article with the attributions the engine finds in its text, taken as-is."""
    from sayso.nlp import make_doc

    nlp = engine.load_nlp(engine_name(name))
    docs = (make_doc(nlp, article) for article in articles)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield doc._.article, engine.extract(doc)
