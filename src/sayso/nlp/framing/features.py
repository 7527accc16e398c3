"""Token features for the framing tagger, the same at training and at run time.

Only what spaCy's small English pipeline and the text itself give: the word, its lemma, part of
speech, dependency and head, capitalisation, its neighbours, lexicon membership (its own and its
neighbours') and whether it stands inside quotation marks.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Token

from sayso.nlp.attribution.quotes import find_quotes
from sayso.nlp.framing.lexicon import lexicon_tags

SKIPPED_POS = frozenset({"PUNCT", "SPACE", "NUM", "SYM", "X"})


def scored(token: Token) -> bool:
    """Whether the tagger scores this token at all: punctuation, numbers and spaces are never
    loaded by themselves (and skipping them keeps the tagger cheap)."""
    return token.pos_ not in SKIPPED_POS and not token.is_space


def quoted_tokens(doc: Doc) -> list[bool]:
    """Whether each token stands inside a quoted passage."""
    quotes = find_quotes(doc.text)
    starts = [q.start for q in quotes]
    inside = []
    for t in doc:
        k = bisect_right(starts, t.idx) - 1
        inside.append(k >= 0 and t.idx < quotes[k].end)
    return inside


def _shape(token: Token) -> str:
    if token.is_upper and len(token) > 1:
        return "upper"
    return "title" if token.is_title else "lower"


def doc_features(doc: Doc, lex: list[str | None] | None = None) -> list[list[str] | None]:
    """The feature strings of each token (None for tokens that are not scored); `lex`: the
    tokens' lexicon tags, when the caller has them already."""
    lex = lexicon_tags(doc) if lex is None else lex
    quoted = quoted_tokens(doc)
    n = len(doc)
    out: list[list[str] | None] = []
    for i, t in enumerate(doc):
        if not scored(t):
            out.append(None)
            continue
        prev_t = doc[i - 1] if i > 0 else None
        next_t = doc[i + 1] if i + 1 < n else None
        lemma = t.lemma_.lower()
        feats = [
            f"w={t.lower_}", f"l={lemma}", f"p={t.pos_}", f"t={t.tag_}", f"d={t.dep_}",
            f"dh={t.dep_}|{t.head.pos_}", f"hl={t.head.lemma_.lower()}", f"s={_shape(t)}",
            f"suf={t.lower_[-3:]}", f"e={t.ent_type_ or '-'}", f"lp={lemma}|{t.pos_}",
            f"lex={lex[i]}", f"q={quoted[i]}", f"stop={t.is_stop}",
            f"w-1={prev_t.lower_ if prev_t else '<s>'}",
            f"w+1={next_t.lower_ if next_t else '</s>'}",
            f"p-1={prev_t.pos_ if prev_t else '<s>'}", f"p+1={next_t.pos_ if next_t else '</s>'}",
            f"lex-1={lex[i - 1] if prev_t else None}", f"lex+1={lex[i + 1] if next_t else None}",
            f"pp={prev_t.pos_ if prev_t else '<s>'}|{t.pos_}",
            f"lh={lex[t.head.i]}|{t.dep_}",
        ]
        feats += [f"cl={lex[c.i]}|{c.dep_}" for c in t.children if lex[c.i]]
        out.append(feats)
    return out
