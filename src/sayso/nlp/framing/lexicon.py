"""The framing lexicon (data/lexicon.tsv): evaluative, emotive and pejorative words and phrases.

It is a feature of the model and, on its own, the baseline the model is scored beside. Single
words match a token's lemma or lower-cased form; phrases match lower-cased token sequences.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from sayso.nlp.spans import token_column

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.tsv"


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """(single word -> technique, phrase as a word tuple -> technique), loaded once."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, technique = line.split("\t")
        key = tuple(term.lower().replace("-", " - ").split())
        if len(key) == 1:
            words[key[0]] = technique
        else:
            phrases[key] = technique
    return words, phrases


def lexicon_tags(doc: Doc) -> list[str | None]:
    """The lexicon technique of each token of `doc` (None where no entry covers it)."""
    words, phrases = lexicon()
    lowers = token_column(doc, "LOWER")
    tags: list[str | None] = [words.get(lemma.lower()) or words.get(lower)
                              for lemma, lower in zip(token_column(doc, "LEMMA"), lowers,
                                                      strict=True)]
    # A dict lookup per start and length rather than spaCy's PhraseMatcher: a few dozen short
    # phrases, and no matcher bound to one pipeline's vocab to build and cache. Only a token
    # that opens some phrase is tried as a start.
    longest = max((len(p) for p in phrases), default=0)
    openers = _phrase_openers()
    for i in (i for i, lower in enumerate(lowers) if lower in openers):
        for size in range(min(longest, len(doc) - i), 1, -1):
            technique = phrases.get(tuple(lowers[i:i + size]))
            if technique:
                tags[i:i + size] = [technique] * size
                break
    return tags


@lru_cache(maxsize=1)
def _phrase_openers() -> frozenset[str]:
    """The first words of the lexicon's phrases."""
    return frozenset(phrase[0] for phrase in lexicon()[1])
