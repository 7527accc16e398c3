"""sayso_quantities: counts, percentages and sums of money, into `doc._.quantities`.

Candidates are spaCy's CARDINAL, MONEY, PERCENT and QUANTITY entities that are not part of a
time expression. Each gets a value (digits or words), whether it is approximate ("about",
"more than": the table is data/quantities.json), a unit (percent, a currency code), what is
counted (the noun the number modifies, or the noun after "of"; "others" and "them" borrow the
noun of an earlier count in the sentence) and what happened to them (the governing verb, when
the counted thing is its object, passive subject or intransitive subject).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.model import Quantity
from sayso.nlp.normalise.numbers import parse_number, vague_number
from sayso.nlp.spans import doc_text, sayso_factory

DATA_FILE = Path(__file__).parent.parent / "data" / "quantities.json"
YEAR = re.compile(r"^(1[5-9]|20)\d\d$")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The approximator, unit and currency tables, loaded once per process."""
    lex = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    lex["approximators"] = sorted((tuple(a.split()) for a in lex["approximators"]),
                                  key=len, reverse=True)
    lex["percent"] = {tuple(p.split()) for p in lex["percent"]}
    return lex


@sayso_factory("sayso_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityTagger:
    return QuantityTagger()


class QuantityTagger:
    """Reads the quantities of a Doc, skipping numbers that belong to time expressions."""

    def __call__(self, doc: Doc) -> Doc:
        taken = time_chars(doc)
        labels = lexicon()["entity_labels"]
        text = doc_text(doc)
        found = [q for q in (read_quantity(e, text) for e in doc.ents
                             if e.label_ in labels and not taken & set(range(e.start_char,
                                                                             e.end_char)))
                 if q is not None]
        resolve_others(found)
        for i, (quantity, _) in enumerate(found, 1):
            quantity.id = f"Q{i}"
        doc._.quantities = [q for q, _ in found]
        return doc


def time_chars(doc: Doc) -> set[int]:
    """Character offsets inside time expressions (ours, or spaCy's DATE/TIME entities)."""
    spans = [(t.start, t.end) for t in doc._.times or []]
    spans += [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    return {i for start, end in spans for i in range(start, end)}


def _approximator(tokens: list[Token]) -> int:
    """How many leading tokens form an approximator ("more than" -> 2), 0 if none."""
    words = tuple(t.lower_ for t in tokens)
    return next((len(a) for a in lexicon()["approximators"] if words[: len(a)] == a), 0)


def _preceding_approximator(ent: Span) -> int:
    """How many tokens just before the entity form an approximator spaCy left out."""
    doc = ent.doc
    for size in (3, 2, 1):
        start = ent.start - size
        if start >= 0 and _approximator(list(doc[start:ent.start])) == size:
            return size
    return 0


def _unit(tokens: list[Token], label: str) -> tuple[str | None, list[Token]]:
    """The unit the entity names and the tokens left once it is removed."""
    lex = lexicon()
    words = [t.lower_ for t in tokens]
    for size in (2, 1):
        if len(words) > size and tuple(words[-size:]) in lex["percent"]:
            return "percent", tokens[:-size]
    if label == "MONEY":
        for i, tok in enumerate(tokens):
            code = (lex["currency_symbols"].get(tok.lower_)
                    or lex["currency_words"].get(tok.lemma_.lower())
                    or lex["currency_words"].get(tok.lower_)
                    or (tok.text if tok.text in lex["currency_codes"] else None))
            if code:
                return code, tokens[:i] + tokens[i + 1:]
    if label == "QUANTITY" and len(tokens) > 1 and tokens[-1].is_alpha:
        return tokens[-1].lemma_.lower(), tokens[:-1]
    return None, tokens


def _value(tokens: list[Token]) -> tuple[float | None, bool]:
    """The number the tokens spell, and whether it is only a lower bound ("hundreds")."""
    text = " ".join(t.text for t in tokens if not t.is_punct or t.text in (".", ","))
    value = parse_number(text)
    if value is None and len(tokens) == 1:
        return vague_number(tokens[0].text), True
    return value, False


def _is_year(ent: Span, tokens: list[Token]) -> bool:
    return (ent.label_ == "CARDINAL" and len(tokens) == 1 and bool(YEAR.match(tokens[0].text))
            and tokens[0].dep_ != "nummod")


def read_quantity(ent: Span, text: str) -> tuple[Quantity, Token | None] | None:
    """The quantity an entity states, with the noun it counts; None for years and non-numbers.
    `text` is the doc's text, read once by the caller."""
    tokens = [t for t in ent if not t.is_space]
    inside = _approximator(tokens)
    before = 0 if inside else _preceding_approximator(ent)
    unit, number = _unit(tokens[inside:], ent.label_)
    value, vague = _value(number)
    if value is None or not number or _is_year(ent, number):
        return None
    noun, top = counted_noun(_root(number), tokens[-1])
    start = ent.doc[ent.start - before].idx if before else tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1])
    currency = lexicon()["currency_words"].get(noun.lemma_.lower()) if noun is not None else None
    if unit is None and currency and noun.i == tokens[-1].i + 1:  # "200 million euros"
        unit, noun, end = currency, None, noun.idx + len(noun)
    quantity = Quantity(id="", start=start, end=end, text=text[start:end], value=value,
                        approx=bool(inside or before or vague), unit=unit,
                        what=_noun_text(noun) if noun is not None else None,
                        action=action(top))
    return quantity, noun


def _root(tokens: list[Token]) -> Token:
    """The token whose head lies outside the number ("two" in "two dozen")."""
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[-1])


def counted_noun(number: Token, last: Token) -> tuple[Token | None, Token]:
    """The noun a number counts ("5,000 troops", "20 percent of the land") and the token that
    heads the whole phrase in the sentence."""
    head = number.head
    if number.dep_ in ("nummod", "compound") and head.pos_ in ("NOUN", "PROPN") \
            and head.i > last.i:
        return head, head
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0], last
    return None, last


def _noun_text(noun: Token) -> str:
    return noun.text if noun.pos_ == "PROPN" else noun.lower_


def action(top: Token) -> str | None:
    """What happened to the counted things: the verb they are object or subject of, or the
    participle that modifies them ("troops deployed")."""
    for child in top.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            return child.lower_
    head, dep = top.head, top.dep_
    if dep == "pobj" and _approximator([head]):  # "liberated over 300 towns": "over" as a prep
        head, dep = head.head, "dobj"
    if head.i == top.i or head.pos_ != "VERB" or dep not in lexicon()["patient_deps"]:
        return None
    if dep == "nsubj" and any(c.dep_ == "dobj" for c in head.children):
        return None  # the counted things did something to something else
    return head.lower_ if head.tag_ in ("VBN", "VBD") else head.lemma_.lower()


def resolve_others(found: list[tuple[Quantity, Token | None]]) -> None:
    """"30,000 were killed and one million others" -> "others" counts what the earlier did."""
    pronouns = lexicon()["others"]
    for i, (quantity, noun) in enumerate(found):
        if noun is None or noun.lower_ not in pronouns:
            continue
        sentence = noun.sent
        for earlier, earlier_noun in reversed(found[:i]):
            # the same sentence, or the one before it for "of them"
            near = earlier_noun is not None and sentence.start - earlier_noun.sent.end <= 1 and \
                (earlier_noun.sent == sentence or noun.lower_ == "them")
            if near and earlier.what and earlier_noun.lower_ not in pronouns:
                quantity.what = earlier.what
                break
