"""Token features for the framing tagger, the same at training and at run time.

Only what spaCy's small English pipeline and the text itself give: the word, its lemma, part of
speech, dependency and head, capitalisation, its neighbours, lexicon membership (its own and its
neighbours') and whether it stands inside quotation marks.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from sayso.nlp.attribution.quotes import find_quotes
from sayso.nlp.framing.lexicon import lexicon_tags
from sayso.nlp.spans import doc_text, token_column

SKIPPED_POS = frozenset({"PUNCT", "SPACE", "NUM", "SYM", "X"})


def scored(doc: Doc) -> list[bool]:
    """Whether the tagger scores each token at all: punctuation, numbers and spaces are never
    loaded by themselves (and skipping them keeps the tagger cheap)."""
    return [p not in SKIPPED_POS and not space
            for p, space in zip(token_column(doc, "POS"), token_column(doc, "IS_SPACE"),
                                strict=True)]


def quoted_tokens(doc: Doc) -> list[bool]:
    """Whether each token stands inside a quoted passage."""
    quotes = find_quotes(doc_text(doc))
    starts = [q.start for q in quotes]
    inside = []
    for idx in token_column(doc, "IDX"):
        k = bisect_right(starts, idx) - 1
        inside.append(k >= 0 and idx < quotes[k].end)
    return inside


def _shapes(doc: Doc) -> list[str]:
    """Each token's capitalisation: "upper" (longer than one character), "title" or "lower"."""
    return ["upper" if upper and length > 1 else "title" if title else "lower"
            for upper, length, title in zip(token_column(doc, "IS_UPPER"),
                                            token_column(doc, "LENGTH"),
                                            token_column(doc, "IS_TITLE"), strict=True)]


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
    n = len(doc)
    lower = token_column(doc, "LOWER")
    lemma = [w.lower() for w in token_column(doc, "LEMMA")]
    pos, tag, dep = token_column(doc, "POS"), token_column(doc, "TAG"), token_column(doc, "DEP")
    heads, ents = token_column(doc, "HEAD"), token_column(doc, "ENT_TYPE")
    stop, shape, scores = token_column(doc, "IS_STOP"), _shapes(doc), scored(doc)
    children = _children(heads)
    out: list[list[str] | None] = []
    for i in range(n):
        if not scores[i]:
            out.append(None)
            continue
        prev_w, prev_p, prev_lex = (lower[i - 1], pos[i - 1], lex[i - 1]) if i > 0 \
            else ("<s>", "<s>", None)
        next_w, next_p, next_lex = (lower[i + 1], pos[i + 1], lex[i + 1]) if i + 1 < n \
            else ("</s>", "</s>", None)
        w, lem, p, d, h = lower[i], lemma[i], pos[i], dep[i], heads[i]
        feats = [
            f"w={w}", f"l={lem}", f"p={p}", f"t={tag[i]}", f"d={d}",
            f"dh={d}|{pos[h]}", f"hl={lemma[h]}", f"s={shape[i]}",
            f"suf={w[-3:]}", f"e={ents[i] or '-'}", f"lp={lem}|{p}",
            f"lex={lex[i]}", f"q={quoted[i]}", f"stop={bool(stop[i])}",
            f"w-1={prev_w}", f"w+1={next_w}", f"p-1={prev_p}", f"p+1={next_p}",
            f"lex-1={prev_lex}", f"lex+1={next_lex}", f"pp={prev_p}|{p}", f"lh={lex[h]}|{d}",
        ]
        feats += [f"cl={lex[c]}|{dep[c]}" for c in children[i] if lex[c]]
        out.append(feats)
    return out
