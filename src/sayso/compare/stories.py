"""Stories: articles about the same events and participants, grouped as each article arrives.

A new article is compared with the stored articles published within a window around it
(`stories.json`) that name one of its identities or places, the few that share most (so an
article's cost stays bounded however busy the window): lexical similarity by BM25 (`bm25s`;
the article's own score as the scale, so 1.0 is "as close as to itself"), and the overlap of
what the ledger found in both: the identities named (`sayso.compare.identities`, common nouns
aside), the places (by gazetteer id) and the dates they mention. It joins the story of the
closest one when the weighted sum passes the threshold, else starts a story of its own.
Weights and threshold are defaults chosen by hand, not tuned: no story-labelled data is at
hand.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from sayso.model import Analysis
from sayso.store.records import Row


@lru_cache(maxsize=1)
def settings() -> dict:
    return json.loads(resources.files(__package__).joinpath("stories.json")
                      .read_text(encoding="utf-8"))


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _window(store: Any, analysis: Analysis) -> list[Row]:
    """The stored articles this one may share a story with: published within the window
    around it (any date when it has none) and naming one of its identities or places, the
    `max_candidates` that share most, so the cost of an article stays bounded however many
    the window holds."""
    day = _day(analysis.article.published)
    when, params = "", ()
    if day is not None:
        days = timedelta(days=settings()["window_days"])
        when = " AND a.published >= ? AND a.published < ?"
        params = ((day - days).isoformat(), (day + days + timedelta(days=1)).isoformat())
    me = analysis.article.id
    shared = (
        "SELECT o.article_id AS id FROM identity_members mine JOIN identities i "
        "ON i.id = mine.identity_id AND i.kind <> 'generic' JOIN identity_members o "
        "ON o.identity_id = mine.identity_id AND o.article_id <> mine.article_id "
        "WHERE mine.article_id = ? UNION ALL "
        "SELECT o.article_id AS id FROM places mine JOIN places o ON o.geonameid = mine.geonameid "
        "AND o.article_id <> mine.article_id WHERE mine.article_id = ?")
    top = store._rows(
        f"SELECT s.id, count(*) AS shared FROM ({shared}) s "
        f"JOIN articles a ON a.id = s.id WHERE 1 = 1{when} "
        "GROUP BY s.id ORDER BY shared DESC, s.id LIMIT ?",
        (me, me, *params, settings()["max_candidates"]))
    if not top:
        return []
    return store._rows(
        "SELECT a.id, a.title, a.text, a.published, c.story_id FROM articles a "
        "JOIN compared_articles c ON c.article_id = a.id WHERE c.story_id IS NOT NULL "
        f"AND a.id IN ({', '.join('?' * len(top))}) ORDER BY a.id",
        tuple(r["id"] for r in top))


def _features(store: Any, article_ids: list[str]) -> dict[str, dict[str, set]]:
    """Per article: named identities, places (gazetteer ids) and dates it mentions."""
    found: dict[str, dict[str, set]] = {i: {"who": set(), "where": set(), "when": set()}
                                        for i in article_ids}
    queries = {
        "who": "SELECT m.article_id AS a, m.identity_id AS v FROM identity_members m "
               "JOIN identities i ON i.id = m.identity_id WHERE i.kind <> 'generic' AND ",
        "where": "SELECT article_id AS a, geonameid AS v FROM places "
                 "WHERE geonameid IS NOT NULL AND ",
        "when": "SELECT article_id AS a, substr(value, 1, 10) AS v FROM times "
                "WHERE type = 'DATE' AND value IS NOT NULL AND length(value) >= 10 AND ",
    }
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for what, query in queries.items():
            column = "m.article_id" if what == "who" else "article_id"
            for r in store._rows(f"{query}{column} IN ({marks})", tuple(chunk)):
                found[r["a"]][what].add(r["v"])
    return found


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _lexical(query: str, texts: list[str]) -> list[float]:
    """BM25 of `query` against each text, over its score against itself (last in the index)."""
    import bm25s

    corpus = bm25s.tokenize(texts + [query], stopwords="en", return_ids=False,
                            show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = retriever.get_scores(corpus[-1])
    own = float(scores[-1]) or 1.0
    return [min(1.0, float(s) / own) for s in scores[:-1]]


def _lead(title: str | None, text: str) -> str:
    return f"{title or ''}\n{text[:settings()['lead_chars']]}"


def similarities(store: Any, analysis: Analysis, rows: list[Row]) -> list[float]:
    """How close the article is to each candidate row, 0..1 (weights in stories.json)."""
    if not rows:
        return []
    weights = settings()["weights"]
    lexical = _lexical(_lead(analysis.article.title, analysis.article.text),
                       [_lead(r["title"], r["text"]) for r in rows])
    features = _features(store, [analysis.article.id] + [r["id"] for r in rows])
    mine = features[analysis.article.id]
    return [weights["bm25"] * lex + sum(weights[k] * _jaccard(mine[k], features[r["id"]][k])
                                        for k in ("who", "where", "when"))
            for r, lex in zip(rows, lexical, strict=True)]


def assign_story(store: Any, cur: Any, analysis: Analysis) -> str:
    """Put a linked article into a story (inside its transaction); returns the story's id."""
    rows = _window(store, analysis)
    scores = similarities(store, analysis, rows)
    best = max(range(len(rows)), key=scores.__getitem__, default=None)
    published = analysis.article.published
    if best is not None and scores[best] >= settings()["threshold"]:
        story, score = rows[best]["story_id"], scores[best]
        cur.execute(store.dialect.sql(
            "UPDATE stories SET articles = articles + 1, "
            "first_published = CASE WHEN first_published IS NULL OR first_published > ? "
            "THEN ? ELSE first_published END, "
            "last_published = CASE WHEN last_published IS NULL OR last_published < ? "
            "THEN ? ELSE last_published END WHERE id = ?"),
            (published, published, published, published, story))
    else:
        story, score = f"s{analysis.article.id[:12]}", None
        store._insert(cur, "stories", [{"id": story, "title": analysis.article.title,
                                        "first_published": published,
                                        "last_published": published, "articles": 1}],
                      "ON CONFLICT (id) DO NOTHING")
    cur.execute(store.dialect.sql(
        "UPDATE compared_articles SET story_id = ?, story_score = ? WHERE article_id = ?"),
        (story, score, analysis.article.id))
    return story


def story_list(store: Any, min_articles: int = 1, limit: int | None = None) -> list[Row]:
    """Stories, the largest and newest first."""
    return store._rows(
        "SELECT id, title, first_published, last_published, articles FROM stories "
        "WHERE articles >= ? ORDER BY articles DESC, last_published DESC, id"
        + (" LIMIT ?" if limit else ""), (min_articles, limit) if limit else (min_articles,))


def story_articles(store: Any, story: str) -> list[Row]:
    """A story's articles, the first published first."""
    return store._rows(
        "SELECT a.id, a.title, a.published, a.site, a.url, c.story_score FROM compared_articles c "
        "JOIN articles a ON a.id = c.article_id WHERE c.story_id = ? "
        "ORDER BY a.published, a.id", (story,))
