"""Search statements written once for both back ends: counted, paged and filtered hits.

A target's statements are built here from the dialect's few full-text pieces
(`Dialect.search_match`: its FROM clause, match condition, snippet and ranking); the filters
(outlet, dates, kind, speaker) are plain SQL both databases read alike. Statements are listed
with their resolved speaker (the entity their source is linked to; NULL when unresolved), never
the pronoun or description the text used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sayso.store.query import WORD

if TYPE_CHECKING:
    from sayso.store import Store
    from sayso.store.dialect import Dialect

COLUMNS = {
    "articles": "a.id AS article_id, a.title, a.published, a.site, a.url",
    "statements": "s.article_id, a.title, a.published, a.site, s.id AS attribution_id, s.kind, "
                  "s.source_text, e.name AS speaker, e.country AS speaker_country, "
                  "s.confidence, s.content_text AS content",
}
# `{}`: LEFT JOIN, or JOIN when a speaker is asked for (no unresolved statement can pass then),
# which lets the planner start from the speaker's entities rather than from every statement.
JOINS = {
    "articles": "",
    "statements": " JOIN articles a ON a.id = s.article_id {} entities e "
                  "ON e.article_id = s.article_id AND e.id = s.source_entity",
}
# A speaker's name words are matched against each distinct entity name once (tens to thousands
# of them), not against every statement's speaker; MATERIALIZED keeps the planner from pushing
# the match back down to every entity row.
ENTITY_NAMES = "WITH entity_names AS MATERIALIZED (SELECT DISTINCT name FROM entities) "
# Without words to match (a speaker's or an outlet's statements, say): newest first.
UNMATCHED = {
    "articles": {"from": "articles a", "snippet": "NULL", "rank": "a.published DESC NULLS LAST"},
    "statements": {"from": "attributions s", "snippet": "s.content_text",
                   "rank": "a.published DESC NULLS LAST"},
}
TIEBREAK = {"articles": "a.id", "statements": "s.article_id, s.seq"}


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words; dates are `YYYY-MM-DD`, both ends included.
    `speaker` keeps statements whose resolved speaker has a name word starting with each of its
    words (`Quiroga`, `marta q`); kind and speaker apply to statements only."""

    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    speaker: str | None = None


def name_words(text: str) -> list[str]:
    """LIKE patterns for a name with a word starting with each word of `text` (which holds
    letters and digits only, so no LIKE wildcards)."""
    return [f"% {w.lower()}%" for w in WORD.findall(text)]


def _conditions(target: str, filters: Filters) -> tuple[list[str], list[str]]:
    """SQL conditions and their parameters for `filters`."""
    where: list[str] = []
    params: list[str] = []
    for value, sql in ((filters.outlet, "a.site = ?"),
                       (filters.since, "substr(a.published, 1, 10) >= ?"),
                       (filters.until, "substr(a.published, 1, 10) <= ?")):
        if value:
            where.append(sql)
            params.append(value)
    if target == "statements":
        if filters.kind:
            where.append("s.kind = ?")
            params.append(filters.kind)
        patterns = name_words(filters.speaker or "")
        if patterns:
            each = " AND ".join(["lower(' ' || name) LIKE ?"] * len(patterns))
            where.append(f"e.name IN (SELECT name FROM entity_names WHERE {each})")
            params += patterns
    return where, params


def statement(dialect: Dialect, what: str, target: str, match: str | None,
              filters: Filters) -> tuple[str, tuple]:
    """The SQL and parameters of `what` for `target` ("articles" or "statements") matching the
    full-text expression `match` (None: no text condition): "hits" best first, "count", or
    "speakers" (statements only: their resolved speakers with how many each made, most first);
    hits and speakers still to be limited (`LIMIT ?`)."""
    parts = dialect.search_match[target] if match is not None else UNMATCHED[target]
    where, params = _conditions(target, filters)
    if match is not None:
        where.insert(0, parts["where"])
        params.insert(0, match)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    named = target == "statements" and bool(name_words(filters.speaker or ""))
    body = f"FROM {parts['from']}{JOINS[target].format('JOIN' if named else 'LEFT JOIN')}{clause}"
    names = ENTITY_NAMES if named else ""
    if what == "count":
        return f"{names}SELECT count(*) AS n {body}", tuple(params)
    if what == "speakers":
        return (f"{names}SELECT e.name, e.country, count(*) AS statements {body} GROUP BY "
                "e.name, e.country ORDER BY statements DESC, e.name, e.country NULLS FIRST",
                tuple(params))
    return (f"{names}SELECT {COLUMNS[target]}, {parts['snippet']} AS snippet {body} "
            f"ORDER BY {parts['rank']}, {TIEBREAK[target]}", tuple(params))


def hits(store: Store, target: str, match: str | None, filters: Filters, limit: int,
         offset: int = 0) -> list[dict]:
    sql, params = statement(store.dialect, "hits", target, match, filters)
    return store._rows(f"{sql} LIMIT ? OFFSET ?", (*params, limit, offset))


def count(store: Store, target: str, match: str | None, filters: Filters) -> int:
    sql, params = statement(store.dialect, "count", target, match, filters)
    return store._rows(sql, params)[0]["n"]


def speakers(store: Store, words: tuple[str, ...], filters: Filters, limit: int) -> list[dict]:
    """Resolved speakers (with their statements passing `filters`) whose names have a word
    starting with each of `words`: whom a query for a name may mean as "said by"."""
    if not words:
        return []
    named = Filters(filters.outlet, filters.since, filters.until, filters.kind, " ".join(words))
    sql, params = statement(store.dialect, "speakers", "statements", None, named)
    return store._rows(f"{sql} LIMIT ?", (*params, limit))


def outlets(store: Store) -> list[str]:
    """Every outlet (site) stored, for the filter's choices."""
    return [r["site"] for r in store._rows(
        "SELECT DISTINCT site FROM articles WHERE site IS NOT NULL ORDER BY site")]
