"""Voices the source itself does not name: interview turns and a press release's "we".

Interview transcripts label turns "Q:"/"A:" or "QUESTION:"/"ANSWER:". Questions are the
interviewer's: a person or outlet the text says interviewed, asked or was spoken to, else the
article's author, else its site. Answers are the interviewee's: the person the text says was
interviewed or spoke, else the person named last before the first turn.

A press release speaks as the organisation that issues it, so its "we" outside quotes is that
organisation: the X of an "About X" paragraph, else the organisation that is the subject of a
release verb in the opening sentence ("Acme Corp. today announced ..."). Nothing else counts,
so an opinion piece's "we" stays unresolved. Word lists are in data/entity_words.json.
"""

from __future__ import annotations

from spacy.tokens import Token

from sayso.model import Attribution, Entity
from sayso.nlp.entities.actors import words
from sayso.nlp.entities.entitybook import EntityBook

ABOUT = "about "
MAX_ABOUT_WORDS = 8  # "About Acme Solar Holdings Inc." is a heading, not a sentence
SPEAKERS = ("PERSON", "ORG")


def turn(a: Attribution, text: str) -> str | None:
    """ "question" or "answer" when the source is an interview turn's label, else None."""
    label = a.source.text.strip().lower()
    colon = text[a.source.end :].lstrip()[:1] == ":" or (a.cue is not None and a.cue.text == ":")
    if not (colon or label.endswith(".")):
        return None
    if label in words()["question_labels"]:
        return "question"
    return "answer" if label in words()["answer_labels"] else None


def interview_parties(book: EntityBook, before: int) -> tuple[Entity | None, Entity | None]:
    """(interviewer, interviewee) as the text before the first turn names them: "X
    interviewed Y", "X asked Y", "Y spoke to X", "an interview with Y"."""
    interviewer = interviewee = None
    for tok in book.doc:
        if tok.idx >= before:
            break
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in words()["interview_verbs"]:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None) or with_object(tok)
            asker, answerer = (subj, obj) if lemma in ("interview", "ask") else (obj, subj)
            interviewer = at(book, asker, SPEAKERS) or interviewer
            interviewee = at(book, answerer, ("PERSON",)) or interviewee
        elif tok.pos_ == "NOUN" and lemma in words()["interview_nouns"]:
            interviewee = at(book, with_object(tok), ("PERSON",)) or interviewee
    return interviewer, interviewee


def with_object(tok: Token) -> Token | None:
    """The object of "to"/"with" on a word: "spoke to X", "an interview with X"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("to", "with"):
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def at(book: EntityBook, tok: Token | None, types: tuple[str, ...]) -> Entity | None:
    """The entity of one of these types that a mention covering the token names."""
    if tok is None or tok.pos_ == "PRON":
        return None
    found = [m.entity for m in book.mentions if m.start <= tok.idx < m.end]
    return next((e for e in found if e.type in types), None)


def release_issuer(book: EntityBook, text: str) -> Entity | None:
    """The organisation a press release speaks as (module docstring), or None; `text` is the
    article's text."""
    start = 0
    for line in text.split("\n"):
        heading = line.strip().rstrip(":")
        if heading.lower().startswith(ABOUT) and len(heading.split()) <= MAX_ABOUT_WORDS:
            name = heading[len(ABOUT) :].strip().lower()
            orgs = [m.entity for m in book.mentions if start <= m.start < start + len(line)]
            named = [e for e in book.entities if e.name.lower() == name]
            found = [e for e in orgs + named if e.type == "ORG"]
            if found:
                return found[0]
        start += len(line) + 1
    opening = next(iter(book.doc.sents), None)
    if opening is None or opening.root.lemma_.lower() not in words()["release_verbs"]:
        return None
    subj = next((c for c in opening.root.children if c.dep_ == "nsubj"), None)
    return at(book, subj, ("ORG",))
