"""Baseline engine: textacy's rule-based direct-quotation extractor over plain en_core_web_sm.

It finds only quotations in quotation marks with a reporting verb and its subject nearby, so it
bounds from below what any attribution component should reach on direct speech.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token
from textacy.extract.triples import direct_quotations

from sayso.model import Attribution, SourceSpan, Span
from sayso.nlp import SPACY_MODEL


@lru_cache(maxsize=1)
def load_nlp(name: str = "textacy") -> Language:
    """The bare spaCy model, without sayso components: the baseline must not lean on them."""
    return spacy.load(SPACY_MODEL)


def _extent(tokens: list[Token]) -> tuple[int, int]:
    """Character extent of tokens textacy may return with gaps (e.g. 'has ... said')."""
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def extract(doc: Doc) -> list[Attribution]:
    """Direct quotations as attributions; none when textacy bails out on unpaired quote marks."""
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy refuses documents with an odd number of quotation marks
        return []
    found = []
    for i, (speaker, cue, content) in enumerate(triples, start=1):
        start, end = _extent(speaker)
        found.append(
            Attribution(
                id=f"a{i}",
                kind="direct",
                source=SourceSpan(start, end, doc.text[start:end]),
                cue=Span.of(doc.text, *_extent(cue)),
                content=Span.of(doc.text, content.start_char, content.end_char),
            )
        )
    return found
