"""The attribution lexicon: verb and noun cues of reported speech, and the word lists the rules
consult, loaded once per process from the data files beside this module."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

DATA = Path(__file__).parent.parent / "data"


@dataclass(frozen=True)
class CueVerb:
    lemma: str
    particle: str | None  # "out" in "rule out": the verb is a cue only with it
    category: str  # speech | assertion | stance | request | belief
    takes_object: bool  # a plain noun object is the reported content ("refuted the claims")
    statement_object: bool  # only an object naming a statement is ("rejected the claims",
    # not "rejected the bill")
    preposition: str | None  # its object is the content: "for" in "called for talks"
    addressee: str | None  # "obj": the object is who is spoken to; "to": the object of "to"


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, CueVerb]  # by inflected form and by lemma
    nouns: dict[str, str]  # form or lemma -> category
    medium_nouns: frozenset[str]
    non_speakers: frozenset[str]
    label_words: frozenset[str]
    link_labels: frozenset[str]
    quote_only: frozenset[str]  # lemmas of cues that report only quotes
    source_prepositions: frozenset[str]  # "per": attributes like "according to"
    refusals: frozenset[str]  # "declined to say why": an infinitive cue under them says nothing


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    verbs: dict[str, CueVerb] = {}
    for row in _rows("cues.tsv"):
        cue = CueVerb(
            lemma=row["lemma"],
            particle=None if row["particle"] == "-" else row["particle"],
            category=row["category"],
            takes_object=row["object"] in ("yes", "statement"),
            statement_object=row["object"] == "statement",
            preposition=None if row["object"] in ("yes", "no", "statement") else row["object"],
            addressee=None if row["addressee"] == "-" else row["addressee"],
        )
        for form in [cue.lemma, *row["forms"].split(",")]:
            verbs[form] = cue
    nouns = {}
    for row in _rows("cue_nouns.tsv"):
        for form in [row["lemma"], *row["forms"].split(",")]:
            nouns[form] = row["category"]
    words = json.loads((DATA / "attribution.json").read_text(encoding="utf-8"))
    return Lexicon(
        verbs=verbs,
        nouns=nouns,
        medium_nouns=frozenset(words["medium_nouns"]),
        non_speakers=frozenset(words["non_speakers"]),
        label_words=frozenset(words["label_words"]),
        link_labels=frozenset(words["link_labels"]),
        quote_only=frozenset(words["quote_only_cues"]),
        source_prepositions=frozenset(words["source_prepositions"]),
        refusals=frozenset(words["refusal_verbs"]),
    )


def verb_cue(token: Token) -> CueVerb | None:
    """The cue entry when `token` is a verb of saying (with its particle, if one is needed)."""
    if not token.tag_.startswith("VB"):
        return None
    verbs = lexicon().verbs
    cue = verbs.get(token.lower_) or verbs.get(token.lemma_.lower())
    if cue is None:
        return None
    if cue.particle and not any(
        c.dep_ == "prt" and c.lower_ == cue.particle for c in token.children
    ):
        return None
    return cue


def noun_cue(token: Token) -> str | None:
    """The category when `token` is a noun naming a statement ("claim", "remarks")."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    return lexicon().nouns.get(token.lower_)
