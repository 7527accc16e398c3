"""Documents as sources: "the complaint said", "according to the report".

A document speaks for whoever issued it, when the text says who: in the source phrase itself
("a complaint filed by X", "X's report", "a statement from X") or before it ("X filed a
complaint ... The complaint said", "X released a report", "X said in a statement"). Verbs of
getting hold of a document ("obtained by", "seen by") name no issuer. Without an issuer the
document stays its own source. The word lists are in data/entity_words.json.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sayso.nlp.entities.actors import words
from sayso.nlp.spans import token_column

FIGURE_ENTS = ("DATE", "TIME")  # "Monday's report" was issued by nobody called Monday
ISSUER_PREPS = ("by", "from")
ISSUER_ENTS = ("ORG", "PERSON", "GPE", "NORP")  # a name modifying the noun: "the RCMP statement"
NOUNS_KEY = "sayso_document_nouns"  # `Doc.user_data` key of `document_nouns`


@lru_cache(maxsize=4)
def word_set(name: str) -> frozenset[str]:
    return frozenset(words()[name])


def is_document(span: Span) -> bool:
    """Is the phrase headed by a document noun ("the white paper", "a complaint")?"""
    return span.root.lemma_.lower() in word_set("document_nouns") and span.root.pos_ == "NOUN"


def issuer_in(noun: Token) -> Token | None:
    """The head of the issuer a document phrase names: "X's report", "the X report", "a report
    by X", "a statement from X", "a complaint filed by X", "a release sent to media from X"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ not in FIGURE_ENTS and child.pos_ != "PRON":
            return child
        if child.dep_ == "compound" and child.ent_type_ in ISSUER_ENTS:
            return child
        if child.dep_ == "prep" and child.lower_ in ISSUER_PREPS:
            return object_of(child)
        if child.dep_ == "acl" and child.lemma_ in word_set("issuing_verbs"):
            for prep in child.children:
                if prep.dep_ in ("agent", "prep") and prep.lower_ in ISSUER_PREPS:
                    return object_of(prep)
    return None


def issuer_before(span: Span) -> Token | None:
    """The head of the issuer of the same document named earlier, the most recent first:
    "X filed a complaint", "a complaint was filed by X", "X said in a statement", or an
    earlier phrase that names its issuer ("X's report")."""
    doc, root = span.doc, span.root
    lemma = root.lemma_.lower()
    generic = lemma in word_set("generic_document_nouns")
    nouns = document_nouns(doc)
    for i in reversed(nouns[: bisect_left(nouns, span.start)]):
        tok = doc[i]
        if tok.lemma_.lower() != lemma and not generic:
            continue
        found = issuer_of_clause(tok) or issuer_in(tok)  # "X said in the company's post": X
        if found is not None:
            return found
    return None


def document_nouns(doc: Doc) -> list[int]:
    """Where the doc's document nouns stand, found once per Doc: `issuer_before` looks back
    from every document source, and a walk over every token before each would cost the
    square of the text's length."""
    found = doc.user_data.get(NOUNS_KEY)
    if found is None:
        nouns, tags = word_set("document_nouns"), token_column(doc, "POS")
        found = [i for i, lemma in enumerate(token_column(doc, "LEMMA"))
                 if tags[i] == "NOUN" and lemma.lower() in nouns]
        doc.user_data[NOUNS_KEY] = found
    return found


def issuer_of_clause(noun: Token) -> Token | None:
    """Who the clause around a document noun says issued it: the subject of "X filed a
    complaint" or "X said in a statement", the agent of "a complaint was filed by X"."""
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_ in word_set("issuing_verbs"):
        return subject_of(head)
    if noun.dep_ == "nsubjpass" and head.lemma_ in word_set("issuing_verbs"):
        agent = next((c for c in head.children if c.dep_ == "agent"), None)
        return object_of(agent) if agent is not None else None
    if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ == "VERB":
        return subject_of(head.head)
    return None


def subject_of(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and subj.pos_ != "PRON" else None


def object_of(prep: Token) -> Token | None:
    """The object of "by"/"from", unless it is a time ("a report from Monday")."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return obj if obj is not None and obj.ent_type_ not in FIGURE_ENTS else None
