"""The sayso engines ("trained", "rules"): what the full pipeline leaves in `doc._.attributions`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Attribution
from sayso.nlp import load_pipeline


def load_nlp(name: str) -> Language:
    return load_pipeline(name)


def extract(doc: Doc) -> list[Attribution]:
    return list(doc._.attributions or [])
