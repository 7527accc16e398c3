"""The workbench's one search syntax, read once in Python and written out for each back end.

    harbour strike          both words (AND)
    "strike ballot"         a phrase
    harbour OR port         either (OR binds loosest: `a b OR c` is `(a b) OR c`)
    NOT union, -union       without the word (or phrase)
    harb*                   a prefix
    by:Quiroga, by:"Marta Quiroga"   said by a speaker whose name has these words (a filter,
                            not a text term: see sayso.store.search)

The parser is hand-written on purpose: no maintained library reads one query language and writes
both an SQLite FTS5 MATCH expression and a PostgreSQL to_tsquery expression (FTS5's own syntax
errors on stray quotes or operators; `websearch_to_tsquery` exists on PostgreSQL only and has no
prefixes). The grammar is small enough to hold in one reading: an OR of groups, each group words
and phrases that must occur and some that must not. It never raises: unbalanced quotes, lone
operators and FTS5's syntax characters degrade to plain words, and a group with nothing but
exclusions keeps its words as words to find. Words are letters and digits only (anything else
separates them), so what reaches either back end is quoted words and its own operators.

Both back ends then read a query alike: PostgreSQL's English stop words are dropped here (FTS5
would otherwise require them while PostgreSQL ignores them), and the words in the query count
against a budget (`max_terms` distinct words, none over `max_chars`), since a query's cost grows
with its terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

TOKEN = re.compile(r'(?P<neg>-)?(?P<by>by:)?(?:"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+))')
WORD = re.compile(r"[^\W_]+")
OPERATORS = ("OR", "NOT")


@cache
def stopwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("search_stopwords.txt").read_text("utf-8")
    return frozenset(w for w in text.split() if not w.startswith("#"))


@dataclass(frozen=True)
class Term:
    """A word (a prefix when `prefix`) or, with several words, a phrase; words in lower case."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Group:
    """Terms that must all occur (`include`) and terms that must not (`exclude`)."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Parsed:
    """A query as searched: `groups` (any one may match; none means no text search), the
    `speaker` of `by:` (its words, or None), the distinct words kept (`terms`, first spelling)
    and how many distinct words were left out (`dropped`)."""

    text: str
    groups: tuple[Group, ...]
    speaker: str | None
    terms: tuple[str, ...]
    dropped: int

    def positive_words(self) -> tuple[str, ...]:
        """The words the query looks for (not those it excludes), for matching speaker names."""
        return tuple(dict.fromkeys(w for g in self.groups for t in g.include for w in t.words))


@dataclass
class _Budget:
    max_terms: int | None
    max_chars: int | None
    kept: dict[str, str] = field(default_factory=dict)  # lower case -> first spelling
    seen: set[str] = field(default_factory=set)

    def admit(self, spellings: list[str]) -> bool:
        """Whether a term of these words fits: none too long, and the distinct words so far
        within `max_terms`. Every word is counted as seen, kept or not."""
        lower = [w.lower() for w in spellings]
        self.seen.update(lower)
        new = {w: s for w, s in zip(lower, spellings, strict=True) if w not in self.kept}
        if self.max_chars is not None and any(len(w) > self.max_chars for w in lower):
            return False
        if self.max_terms is not None and len(self.kept) + len(new) > self.max_terms:
            return False
        for w, s in new.items():
            self.kept.setdefault(w, s)
        return True


def _term(text: str, quoted: bool) -> tuple[list[str], bool]:
    """The words of a token without the stop words at its ends (PostgreSQL ignores them there;
    inside a phrase they hold a place), and whether it is a prefix (one bare word ending `*`)."""
    words = WORD.findall(text)
    prefix = not quoted and len(words) == 1 and text.endswith("*")
    while words and words[0].lower() in stopwords():
        words.pop(0)
    while words and words[-1].lower() in stopwords():
        words.pop()
    return words, prefix


def _group(include: list[Term], exclude: list[Term]) -> Group | None:
    """A group of distinct terms; exclusions alone become words to find."""
    if not include:
        include, exclude = exclude, []
    include = list(dict.fromkeys(include))
    exclude = [t for t in dict.fromkeys(exclude) if t not in include]
    return Group(tuple(include), tuple(exclude)) if include else None


def parse(text: str, max_terms: int | None = None, max_chars: int | None = None) -> Parsed:
    """`text` read in the syntax above; never raises."""
    if text.count('"') % 2:  # an unbalanced quote is dropped: what followed it are words
        cut = text.rindex('"')
        text_read = text[:cut] + " " + text[cut + 1:]
    else:
        text_read = text
    budget = _Budget(max_terms, max_chars)
    groups: list[Group] = []
    include: list[Term] = []
    exclude: list[Term] = []
    speaker: list[str] = []
    negate = False
    for m in TOKEN.finditer(text_read):
        bare, phrase = m["bare"], m["phrase"]
        if m["by"]:
            speaker += WORD.findall(phrase if phrase is not None else bare)
            continue
        if bare in OPERATORS and not m["neg"]:
            if bare == "OR" and (include or exclude):
                group = _group(include, exclude)
                groups += [group] if group else []
                include, exclude = [], []
            negate = bare == "NOT"  # a NOT before OR, or at the end, is dropped
            continue
        words, prefix = _term(phrase if phrase is not None else bare, phrase is not None)
        if words and budget.admit(words):
            term = Term(tuple(w.lower() for w in words), prefix)
            (exclude if negate or m["neg"] else include).append(term)
        negate = False
    group = _group(include, exclude)
    groups += [group] if group else []
    groups = list(dict.fromkeys(groups))
    return Parsed(text, tuple(groups), " ".join(speaker) or None,
                  tuple(budget.kept.values()), len(budget.seen) - len(budget.kept))


def _fts5_term(term: Term) -> str:
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def to_fts5(groups: tuple[Group, ...]) -> str:
    """An FTS5 MATCH expression: every word quoted, groups parenthesised (FTS5's NOT is binary:
    `a NOT b`, so each exclusion wraps what comes before it)."""
    parts = []
    for group in groups:
        expr = "(" + " AND ".join(_fts5_term(t) for t in group.include) + ")"
        for term in group.exclude:
            expr = f"({expr} NOT {_fts5_term(term)})"
        parts.append(expr)
    return " OR ".join(parts)


def _ts_term(term: Term) -> str:
    words = [f"'{w}'" for w in term.words]
    if term.prefix:
        words[-1] += ":*"
    return "(" + " <-> ".join(words) + ")"


def to_tsquery(groups: tuple[Group, ...]) -> str:
    """A `to_tsquery` expression: words quoted, phrases with `<->`, exclusions with `!`."""
    return " | ".join(
        "(" + " & ".join([_ts_term(t) for t in g.include] + [f"!{_ts_term(t)}" for t in g.exclude])
        + ")" for g in groups)
