"""The sayso engine: whatever the full sayso pipeline leaves in `doc._.attributions`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Attribution
from sayso.nlp import load_pipeline


def load_nlp() -> Language:
    return load_pipeline()


def extract(doc: Doc) -> list[Attribution]:
    return list(doc._.attributions or [])
