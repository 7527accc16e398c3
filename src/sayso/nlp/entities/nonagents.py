"""Sources that name no agent: dates, times, datelines, captions, credits and headings.

Parsers and taggers take these for the subject of a cue ("10:43 - the road reopened", "WASHINGTON
- ...", "Photo: Ana Ruiz / Daily Ledger", "Key points: ..."); they get no entity, so they neither
count as speakers nor add entities to the article. The word lists are in data/entity_words.json.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from sayso.nlp.entities import actors, countries

FIGURE_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
DASHES = ("—", "–", "-")
MAX_ACRONYM = 3


def not_agent(span: Span, colon: bool, lower_words: set[str]) -> bool:
    """Does this source phrase name no one? `colon` says it labels a line ("X: ..."), and
    `lower_words` are the words the article writes in lower case, to tell headings from names."""
    text = span.text.strip()
    lettered = any(ch.isalpha() for ch in text)  # "Na'moks" is no token of letters only
    if not lettered or text.lower() in word_list("non_agent_pronouns"):
        return True  # "10:43", "2019", stray quote marks; "this", "that"
    figures = {t.i for t in span if t.ent_type_ in FIGURE_ENTS or t.like_num}
    if figures and all(t.i in figures or t.is_punct or t.pos_ == "DET" for t in span):
        return True  # "Monday", "Tuesday night", "10:43 a.m."
    return dateline(span) or credit(span) or (colon and heading(span, lower_words))


def dateline(span: Span) -> bool:
    """ "WASHINGTON -", "NAIROBI, Kenya (AP) -": a place in capitals, or anything before a dash."""
    text = span.text.strip()
    if text.endswith(DASHES):
        return True
    words = [t for t in span if t.is_alpha]
    if not words:
        return False  # "Na'moks": no word of letters only, and no place in capitals either
    if len(text) <= MAX_ACRONYM:
        return False  # "US", "UK", "UAE": a country's usual abbreviation, not a dateline
    place = all(t.ent_type_ in PLACE_ENTS for t in words) or countries.country_of(text.title())
    return all(t.is_upper for t in words) and bool(place)


def credit(span: Span) -> bool:
    """Caption and credit residue: a credit word ("Photo", "Photos", "File"), a "Name / Outlet"
    credit, or brackets the phrase opens or closes without the other half."""
    text = span.text
    return (
        span[0].lower_ in word_list("non_agent_words")
        or span.root.lower_ in word_list("non_agent_words")
        or " / " in text
        or text.count("(") != text.count(")")
    )


def heading(span: Span, lower_words: set[str]) -> bool:
    """A line label that is a heading, not a speaker: a common noun that names no person, group
    or organisation ("Key points:"), or capitals that read as words ("WHAT'S NEXT:", "KEY
    POINTS:" where the article also writes "key" or "points" in lower case) rather than a name
    ("OKAFOR:", "SEN. WARREN:")."""
    words = [t for t in span if t.is_alpha]
    if not all(t.is_upper for t in words):
        root = span.root
        return root.pos_ == "NOUN" and not agent_noun(root.lower_)
    common = [t for t in words if t.lower_ in lower_words]
    return len(words) > 1 and (any(t.is_stop for t in words) or 2 * len(common) >= len(words))


def agent_noun(word: str) -> bool:
    """Does this common noun name someone who can speak: a role, a group or an organisation?"""
    return (
        word in actors.role_words() or word in actors.group_nouns() or word in actors.org_kinds()
    )


@lru_cache(maxsize=8)
def word_list(name: str) -> frozenset[str]:
    return frozenset(actors.words()[name])
