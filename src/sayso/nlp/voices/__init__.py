"""The voices of an article: whose say-so each sentence is on, and how sure it is said.

`sayso_voices` runs after `sayso_events` and `sayso_framing` (pipeline.json). On each Doc it
sets every statement's chain of custody (`custody`), adds hedge records and hedges, makes
conditionals hypothetical (`hedges`), links claims and counter-claims (`disputes`), and lays out
the outlet's own assertions and the article's `Voices` summary (`assertions`), in
`doc._.framing`, `doc._.assertions`, `doc._.disputes` and `doc._.voices`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso.model import Article
from sayso.nlp.spans import doc_text, sayso_factory
from sayso.nlp.voices.assertions import find_assertions, sentence_ranges, summary
from sayso.nlp.voices.custody import set_via
from sayso.nlp.voices.disputes import find_disputes
from sayso.nlp.voices.hedges import apply_conditionals, apply_hedges

for _name in ("framing", "assertions", "disputes", "voices"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class VoiceTagger:
    """Chains of custody, hedges, disputes and the outlet's own voice, on one Doc."""

    def __call__(self, doc: Doc) -> Doc:
        statements = doc._.attributions or []
        events = doc._.events or []
        entities = doc._.entities or []
        framing = list(doc._.framing or [])
        article = doc._.article or Article(text=doc_text(doc))
        set_via(statements, article, entities)
        apply_hedges(doc, statements, events, framing)
        apply_conditionals(doc, statements, events)
        disputes = find_disputes(doc, statements, events, entities)
        ranges = sentence_ranges(doc)
        assertions = find_assertions(doc, statements, framing, doc._.quantities or [], events,
                                     ranges)
        body = sum(e - s for s, e in ranges)
        doc._.framing = framing
        doc._.disputes = disputes
        doc._.assertions = assertions
        doc._.voices = summary(statements, framing, assertions, disputes, body)
        return doc


@sayso_factory("sayso_voices")
def make_voices(nlp: Language, name: str) -> VoiceTagger:
    return VoiceTagger()
