"""sayso_framing: loaded spans of the body into `doc._.framing`, each with its voice.

The spans come from the trained tagger (`engine="model"`, the default) or from the lexicon
alone (`engine="lexicon"`, the baseline of `sayso eval framing`). A span inside the content of a
statement is in that statement's voice (the innermost one when statements nest, as a quote
inside a quote is its inner speaker's); any other span is the outlet's own.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Framing
from sayso.nlp.framing.tagger import Found, framing_model, lexicon_found
from sayso.nlp.spans import doc_text, sayso_factory
from sayso.nlp.voices.common import Holders

ENGINES = ("model", "lexicon")

if not Doc.has_extension("framing"):
    Doc.set_extension("framing", default=None)


@sayso_factory("sayso_framing")
def make_framing(nlp: Language, name: str, engine: str = "model") -> FramingTagger:
    if engine not in ENGINES:
        raise ValueError(f"unknown framing engine {engine!r}; choose from {', '.join(ENGINES)}")
    return FramingTagger(engine)


class FramingTagger:
    """Finds the loaded spans of a Doc and credits each to a voice."""

    def __init__(self, engine: str = "model") -> None:
        self.find = framing_model().find if engine == "model" else lexicon_found

    def __call__(self, doc: Doc) -> Doc:
        holders = Holders(doc._.attributions or [])
        found = self.find(doc) if len(doc) else []
        text = doc_text(doc)
        doc._.framing = [record(doc, text, f"f{i}", f, holders)
                         for i, f in enumerate(found, 1)]
        return doc


def record(doc: Doc, text: str, fid: str, found: Found, holders: Holders) -> Framing:
    start = doc[found.start].idx
    end = doc[found.end - 1].idx + len(doc[found.end - 1])
    return Framing(fid, start, end, text[start:end], found.technique,
                   voice(start, end, holders), found.confidence)


def voice(start: int, end: int, holders: Holders) -> str:
    """The id of the innermost statement whose content holds [start, end), else "outlet"."""
    holder = holders.innermost(start, end)
    return holder.id if holder else "outlet"
