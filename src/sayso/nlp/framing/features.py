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


def _children(heads: list[int]) -> list[list[int]]:
    """Each token's dependents in document order, as `Token.children` gives them, read off
    the head indices once rather than walked token by token."""
    children: list[list[int]] = [[] for _ in heads]
    for i, head in enumerate(heads):
        if head != i:
            children[head].append(i)
    return children


def doc_features(doc: Doc, lex: list[str | None] | None = None) -> list[list[str] | None]:
    """The feature strings of each token (None for tokens that are not scored); `lex`: the
    tokens' lexicon tags, when the caller has them already. Every token attribute is read
    once into a column, since the features of a token also read its neighbours and its head."""
    lex = lexicon_tags(doc) if lex is None else lex
    quoted = quoted_tokens(doc)
    tokens = list(doc)
    n = len(tokens)
    lower = [t.lower_ for t in tokens]
    lemma = [t.lemma_.lower() for t in tokens]
    pos = [t.pos_ for t in tokens]
    dep = [t.dep_ for t in tokens]
    heads = [t.head.i for t in tokens]
    children = _children(heads)
    out: list[list[str] | None] = []
    for i, t in enumerate(tokens):
        if not scored(t):
            out.append(None)
            continue
        prev_w, prev_p, prev_lex = (lower[i - 1], pos[i - 1], lex[i - 1]) if i > 0 \
            else ("<s>", "<s>", None)
        next_w, next_p, next_lex = (lower[i + 1], pos[i + 1], lex[i + 1]) if i + 1 < n \
            else ("</s>", "</s>", None)
        w, lem, p, d, h = lower[i], lemma[i], pos[i], dep[i], heads[i]
        feats = [
            f"w={w}", f"l={lem}", f"p={p}", f"t={t.tag_}", f"d={d}",
            f"dh={d}|{pos[h]}", f"hl={lemma[h]}", f"s={_shape(t)}",
            f"suf={w[-3:]}", f"e={t.ent_type_ or '-'}", f"lp={lem}|{p}",
            f"lex={lex[i]}", f"q={quoted[i]}", f"stop={t.is_stop}",
            f"w-1={prev_w}", f"w+1={next_w}", f"p-1={prev_p}", f"p+1={next_p}",
            f"lex-1={prev_lex}", f"lex+1={next_lex}", f"pp={prev_p}|{p}", f"lh={lex[h]}|{d}",
        ]
        feats += [f"cl={lex[c]}|{dep[c]}" for c in children[i] if lex[c]]
        out.append(feats)
    return out
