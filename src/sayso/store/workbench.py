"""The workbench's read queries: corpus-wide aggregates over the ledger tables, for `Store`.

Aggregation happens in the database (GROUP BY, LIMIT) so a page costs the same on 50 or 50,000
articles; entities are matched across articles by name and country, the same actor seen twice.
Totals no page may recount on a first visit (speakers, characters, events per day) are kept in
tables that `Store.save` adds each article to (`total_rows`); migration 0005 fills them (0006
recounts the characters).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sayso.model import Analysis, Attribution
from sayso.store.records import Row

# Who said what: each statement with its speaker's entity, when the speaker was resolved.
_SPEAKERS = ("FROM attributions s LEFT JOIN entities e "
             "ON e.article_id = s.article_id AND e.id = s.source_entity")

# What an entity (name, country) said, was said about, and did or underwent; each selects
# `article_id` and `published` for the timeline, then the columns its list shows. `ENTITY`
# finds the entity's records (article, id) once, by name, for all three.
ENTITY = ("WITH ent AS (SELECT article_id, id FROM entities "
          "WHERE name = ? AND coalesce(country, '') = ?) ")
ENTITY_RECORDS = {
    "said": (
        "s.id, s.kind, s.cue_text AS cue, s.content_text AS content, "
        "s.content_parts AS parts, s.confidence, s.seq AS pos",
        "FROM ent JOIN attributions s ON s.article_id = ent.article_id "
        "AND s.source_entity = ent.id JOIN articles a ON a.id = ent.article_id",
    ),
    "about": (
        "s.id, s.kind, s.source_text AS speaker, s.content_text AS content, "
        "s.content_parts AS parts, s.confidence, s.seq AS pos",
        "FROM attributions s JOIN articles a ON a.id = s.article_id "
        "WHERE (s.article_id, s.seq) IN (SELECT t.article_id, t.seq FROM ent "
        "JOIN statement_subjects t ON t.article_id = ent.article_id AND t.entity_id = ent.id)",
    ),
    "events": (
        "ev.id, ev.type, p.role, ev.anchor_text AS anchor, ev.modality, ev.seq AS pos",
        "FROM ent JOIN event_participants p ON p.article_id = ent.article_id "
        "AND p.entity_id = ent.id JOIN events ev ON ev.article_id = p.article_id "
        "AND ev.id = p.event_id JOIN articles a ON a.id = ent.article_id",
    ),
}

# Events, filtered by the columns the events page offers; `event_totals` holds the counts of
# events with an actor from each country under that country, and of all events under ''.
_EVENTS = "FROM events ev JOIN articles a ON a.id = ev.article_id"
TOTALS_FILTERS = {"type": "type = ?", "modality": "modality = ?"}
_ACTOR_COUNTRY = ("EXISTS (SELECT 1 FROM event_participants p JOIN entities e "
                  "ON e.article_id = p.article_id AND e.id = p.entity_id "
                  "WHERE p.article_id = ev.article_id AND p.event_id = ev.id "
                  "AND p.role = 'actor' AND e.country = ?)")
_PARTICIPANT = ("EXISTS (SELECT 1 FROM event_participants p JOIN entities e "
                "ON e.article_id = p.article_id AND e.id = p.entity_id "
                "WHERE p.article_id = ev.article_id AND p.event_id = ev.id "
                "AND e.name = ? AND coalesce(e.country, '') = ?)")
# A filter's value is one parameter, or a tuple of them (`actor`: name and country or '').
EVENT_FILTERS = {"type": "ev.type = ?", "modality": "ev.modality = ?", "country": _ACTOR_COUNTRY,
                 "actor": _PARTICIPANT, "since": "substr(a.published, 1, 10) >= ?",
                 "until": "substr(a.published, 1, 10) <= ?"}
# Who did what to whom, one row per (actor, recipient) of each event: what `edge_totals` sums,
# read from the records themselves when a filter is one the totals do not hold (time, actor).
_RAW_EDGES = (
    "SELECT ea.name AS actor, coalesce(ea.country, '') AS actor_country, ev.type, "
    "er.name AS recipient, coalesce(er.country, '') AS recipient_country, 1 AS n "
    f"{_EVENTS} JOIN event_participants pa ON pa.article_id = ev.article_id "
    "AND pa.event_id = ev.id AND pa.role = 'actor' JOIN entities ea "
    "ON ea.article_id = pa.article_id AND ea.id = pa.entity_id "
    "JOIN event_participants pr ON pr.article_id = ev.article_id AND pr.event_id = ev.id "
    "AND pr.role = 'recipient' JOIN entities er "
    "ON er.article_id = pr.article_id AND er.id = pr.entity_id"
)
# A place by the name the gazetteer gave it, else its words; only those with coordinates.
_PLACE = "coalesce(name, text)"
_LOCATED = "lat IS NOT NULL AND lon IS NOT NULL"
_EGO = ("(actor = ? AND actor_country = ?) OR (recipient = ? AND recipient_country = ?)")


# How each totals table adds a saved article's counts to the rows it already has.
TOTALS_CONFLICT = {
    "speaker_totals": "ON CONFLICT (name, type, country, sector, kind) DO UPDATE "
                      "SET statements = speaker_totals.statements + excluded.statements",
    "corpus_totals": "ON CONFLICT (id) DO UPDATE SET chars = corpus_totals.chars + excluded.chars, "
                     "attributed = corpus_totals.attributed + excluded.attributed",
    "event_totals": "ON CONFLICT (country, type, modality, day) DO UPDATE "
                    "SET n = event_totals.n + excluded.n",
    "edge_totals": "ON CONFLICT (country, type, modality, actor, actor_country, recipient, "
                   "recipient_country) DO UPDATE SET n = edge_totals.n + excluded.n",
}
SPEAKER_KEY = ("name", "type", "country", "sector", "kind")
EVENT_KEY = ("day", "type", "modality", "country")
EDGE_KEY = ("country", "type", "modality", "actor", "actor_country", "recipient",
            "recipient_country")


# How `statement_counts_by` groups statements: by the article's outlet or month (YYYY-MM).
STATEMENT_GROUPS = {"outlet": "a.site", "month": "substr(a.published, 1, 7)"}


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _attributed_chars(a: Attribution) -> int:
    """A statement's characters: its content, and its source and cue where they lie outside it
    (a split quote's content takes in its own cue and source; migration 0006 counts alike)."""
    outside = [s for s in (a.source, a.cue)
               if s and not (a.content.start <= s.start and s.end <= a.content.end)]
    return a.content.end - a.content.start + sum(s.end - s.start for s in outside)


def _keyed(names: tuple[str, ...], counts: Counter, value: str = "n") -> list[Row]:
    """Counted keys as rows, in key order: concurrent saves then lock the rows they add to in
    the same order, so two PostgreSQL transactions cannot deadlock on them."""
    return [{**dict(zip(names, k, strict=True)), value: n} for k, n in sorted(counts.items())]


def total_rows(analysis: Analysis) -> Iterator[tuple[str, list[Row]]]:
    """What one article adds to each totals table (the same sums migrations 0005 and 0006
    backfill)."""
    entities = {e.id: e for e in analysis.entities}
    speakers: Counter = Counter()
    for a in analysis.attributions:
        e = entities.get(a.source.entity) if a.source and a.source.entity else None
        name = e.name if e else (a.source.text if a.source else "")
        speakers[name, e.type if e else "", (e and e.country) or "", (e and e.sector) or "",
                 a.kind] += 1
    yield "speaker_totals", _keyed(SPEAKER_KEY, speakers, "statements")
    attributed = sum(_attributed_chars(a) for a in analysis.attributions if a.parent is None)
    yield "corpus_totals", [{"id": 1, "chars": len(analysis.article.text),
                             "attributed": attributed}]
    day = (analysis.article.published or "")[:10]
    events: Counter = Counter()
    edges: Counter = Counter()
    for ev in analysis.events:
        actors = [entities[i] for i in ev.actors if i in entities]
        recipients = [entities[i] for i in ev.recipients if i in entities]
        for country in ("", *({a.country for a in actors} - {None})):
            events[day, ev.type, ev.modality, country] += 1
            for a in actors:
                for r in recipients:
                    edges[country, ev.type, ev.modality, a.name, a.country or "", r.name,
                          r.country or ""] += 1
    yield "event_totals", _keyed(EVENT_KEY, events)
    yield "edge_totals", _keyed(EDGE_KEY, edges)


class WorkbenchQueries:
    """Mixed into `Store`: needs its `_rows(query, params)`."""

    _rows: Any

    def speaker_counts(self, article_id: str | None = None) -> list[Row]:
        """Statements per (speaker, country, sector, kind); unresolved speakers by their words."""
        if not article_id:
            return self._rows(
                "SELECT nullif(name, '') AS name, nullif(type, '') AS type, "
                "nullif(country, '') AS country, nullif(sector, '') AS sector, kind, statements "
                "FROM speaker_totals"
            )
        return self._rows(
            "SELECT coalesce(e.name, s.source_text) AS name, e.type, e.country, e.sector, "
            "s.kind, count(*) AS statements "
            f"{_SPEAKERS} WHERE s.article_id = ? GROUP BY coalesce(e.name, s.source_text), "
            "e.type, e.country, e.sector, s.kind",
            (article_id,),
        )

    def statement_counts_by(self, what: str) -> list[Row]:
        """Statements per kind and per group of articles: `what` is a key of `STATEMENT_GROUPS`
        (the outlet, or the month the article was published), `grp` None where unknown."""
        group = STATEMENT_GROUPS[what]
        return self._rows(
            f"SELECT nullif({group}, '') AS grp, s.kind, count(*) AS statements "
            "FROM attributions s JOIN articles a ON a.id = s.article_id "
            f"GROUP BY nullif({group}, ''), s.kind"
        )

    def attributed_share(self) -> Row:
        """Characters of all bodies, and how many lie in a top-level statement (source, cue,
        content; nested statements lie inside their carrier's content, so are not counted twice).
        """
        rows = self._rows("SELECT chars, attributed FROM corpus_totals")
        return rows[0] if rows else {"chars": 0, "attributed": 0}

    def entity_records(self, name: str, country: str | None, what: str,
                       limit: int = 100) -> list[Row]:
        """The newest `limit` records of one kind (`ENTITY_RECORDS`) for an entity."""
        columns, body = ENTITY_RECORDS[what]
        return self._rows(
            f"{ENTITY}SELECT a.id AS article_id, a.title, a.published, {columns} {body} "
            "ORDER BY a.published DESC, a.id, pos LIMIT ?",
            (name, country or "", limit),
        )

    def entity_timeline(self, name: str, country: str | None, what: str) -> list[Row]:
        """How many records of one kind an entity has per publication day."""
        _, body = ENTITY_RECORDS[what]
        return self._rows(
            f"{ENTITY}SELECT substr(a.published, 1, 10) AS day, count(*) AS n {body} "
            "GROUP BY substr(a.published, 1, 10)",
            (name, country or ""),
        )

    def entity_profile(self, name: str, country: str | None) -> list[Row]:
        """The entity's type, sector and code as tagged across articles, most frequent first."""
        return self._rows(
            "SELECT type, sector, code, count(*) AS articles FROM entities "
            "WHERE name = ? AND coalesce(country, '') = ? GROUP BY type, sector, code "
            "ORDER BY articles DESC",
            (name, country or ""),
        )

    def event_rows(self, filters: dict, limit: int = 200, offset: int = 0) -> list[Row]:
        """The newest events passing `filters` (keys of `EVENT_FILTERS`), with their records."""
        where, params = self._event_filter(filters)
        return self._rows(
            f"SELECT ev.article_id, a.title, a.published, ev.id, ev.type, ev.anchor_text "
            f"AS anchor, ev.modality, ev.data {_EVENTS}{where} "
            "ORDER BY a.published DESC, ev.article_id, ev.seq LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )

    def event_counts(self, filters: dict) -> list[Row]:
        """Events passing `filters` per (publication day, type, modality): timeline and facets.
        From `event_totals` unless a filter is one it does not hold (then from the records)."""
        if not self._from_totals(filters):
            where, params = self._event_filter(filters)
            return self._rows(
                "SELECT nullif(substr(a.published, 1, 10), '') AS day, ev.type, ev.modality, "
                f"count(*) AS n {_EVENTS}{where} "
                "GROUP BY substr(a.published, 1, 10), ev.type, ev.modality", params)
        where, params = self._totals_filter(filters)
        return self._rows(
            f"SELECT nullif(day, '') AS day, type, modality, n FROM event_totals{where}", params)

    def event_kinds(self) -> list[Row]:
        """Every (type, modality) stored: the events page's filter choices, whatever is chosen."""
        return self._rows("SELECT DISTINCT type, modality FROM event_totals WHERE country = ''")

    def actor_countries(self) -> list[Row]:
        """Countries of event actors, with how many events each acted in."""
        return self._rows(
            "SELECT country, sum(n) AS n FROM event_totals WHERE country <> '' "
            "GROUP BY country ORDER BY n DESC, country"
        )

    def event_actors(self, types: list[str], filters: dict, skip: list[str],
                     limit: int = 25) -> list[Row]:
        """The `limit` entities in most (actor, type, recipient) links, as either end, with
        those counts; links with an end in `skip` (lower-case names that name no agent: "it",
        "others") are not counted."""
        edges, params = self._edge_source(types, filters)
        marks = ", ".join("?" * len(skip)) or "''"
        return self._rows(
            f"WITH edges AS (SELECT * FROM ({edges}) linked WHERE lower(actor) NOT IN ({marks}) "
            f"AND lower(recipient) NOT IN ({marks})) "
            "SELECT name, nullif(country, '') AS country, sum(n) AS n "
            "FROM (SELECT actor AS name, actor_country AS country, n FROM edges UNION ALL "
            "SELECT recipient, recipient_country, n FROM edges) ends "
            "GROUP BY name, country ORDER BY n DESC, name LIMIT ?",
            (*params, *skip, *skip, limit),
        )

    def event_edges(self, types: list[str], filters: dict,
                    among: list[tuple[str, str | None]], limit: int = 80) -> list[Row]:
        """Who did what to whom among the entities `among` (name, country): (actor, event type,
        recipient) with counts, commonest first."""
        if not among:
            return []
        edges, params = self._edge_source(types, filters)
        names = sorted({name for name, _ in among})
        marks = ", ".join("?" * len(names))
        rows = self._rows(
            f"WITH edges AS ({edges}) SELECT actor, nullif(actor_country, '') AS actor_country, "
            "type, recipient, nullif(recipient_country, '') AS recipient_country, sum(n) AS n "
            f"FROM edges WHERE actor IN ({marks}) AND recipient IN ({marks}) "
            "GROUP BY actor, actor_country, type, recipient, recipient_country "
            "ORDER BY n DESC, actor, recipient",
            (*params, *names, *names),
        )
        keep = set(among)  # the names matched; now the countries must too
        return [r for r in rows if (r["actor"], r["actor_country"]) in keep
                and (r["recipient"], r["recipient_country"]) in keep][:limit]

    def place_totals(self, limit: int = 500) -> list[Row]:
        """Places with coordinates across the store, in most articles first: the corpus map."""
        return self._rows(
            f"SELECT {_PLACE} AS name, country, lat, lon, count(DISTINCT article_id) AS articles, "
            f"count(*) AS mentions FROM places WHERE {_LOCATED} "
            f"GROUP BY {_PLACE}, country, lat, lon ORDER BY articles DESC, mentions DESC, name "
            "LIMIT ?",
            (limit,),
        )

    def place_articles(self, per_place: int = 5) -> list[Row]:
        """The newest `per_place` articles naming each place with coordinates, for its links."""
        return self._rows(
            "SELECT name, country, lat, lon, article_id, title FROM ("
            "SELECT p.name, p.country, p.lat, p.lon, a.id AS article_id, a.title, row_number() "
            "OVER (PARTITION BY p.name, p.country, p.lat, p.lon ORDER BY a.published DESC, a.id) "
            f"AS r FROM (SELECT DISTINCT article_id, {_PLACE} AS name, country, lat, lon "
            f"FROM places WHERE {_LOCATED}) p JOIN articles a ON a.id = p.article_id) ranked "
            "WHERE r <= ?",
            (per_place,),
        )

    def entity_names(self, article_ids: list[str]) -> list[Row]:
        """Entity names and countries of some articles, to label their events' participants."""
        if not article_ids:
            return []
        marks = ", ".join("?" * len(article_ids))
        return self._rows(
            f"SELECT article_id, id, name, country FROM entities WHERE article_id IN ({marks})",
            tuple(article_ids),
        )

    @staticmethod
    def _from_totals(filters: dict) -> bool:
        """Can the totals tables answer `filters`? They hold type, modality and country."""
        return all(k in TOTALS_FILTERS or k == "country" for k, v in filters.items() if v)

    @staticmethod
    def _totals_filter(filters: dict) -> tuple[str, tuple[str, ...]]:
        """`filters` over `event_totals` or `edge_totals`: the country is always chosen."""
        used = [k for k in TOTALS_FILTERS if filters.get(k)]
        return (_where(["country = ?"] + [TOTALS_FILTERS[k] for k in used]),
                (filters.get("country") or "", *(filters[k] for k in used)))

    @staticmethod
    def _event_filter(filters: dict) -> tuple[str, tuple[str, ...]]:
        used = [k for k in EVENT_FILTERS if filters.get(k)]
        params = [p for k in used for p in
                  (filters[k] if isinstance(filters[k], tuple) else (filters[k],))]
        return _where([EVENT_FILTERS[k] for k in used]), tuple(params)

    def _edge_source(self, types: list[str], filters: dict) -> tuple[str, tuple[str, ...]]:
        """A query of (actor, actor_country, type, recipient, recipient_country, n) rows of
        `types` passing `filters`; with an `actor`, only the links it is an end of."""
        marks = ", ".join("?" * len(types))
        if self._from_totals(filters):
            where, params = self._totals_filter(filters)
            source = ("SELECT actor, actor_country, type, recipient, recipient_country, n "
                      f"FROM edge_totals{where} AND type IN ({marks})")
        else:
            where, params = self._event_filter(filters)
            source = f"{_RAW_EDGES}{where or ' WHERE 1 = 1'} AND ev.type IN ({marks})"
        params = (*params, *types)
        if filters.get("actor"):
            source = f"SELECT * FROM ({source}) linked WHERE {_EGO}"
            params = (*params, *filters["actor"], *filters["actor"])
        return source, params
