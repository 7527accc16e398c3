"""The workbench's read queries: corpus-wide aggregates over the ledger tables, for `Store`.

Aggregation happens in the database (GROUP BY, LIMIT) so a page costs the same on 50 or 50,000
articles; entities are matched across articles by name and country, the same actor seen twice.
"""

from __future__ import annotations

from typing import Any

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
        "s.id, s.kind, s.cue_text AS cue, s.content_text AS content, s.seq AS pos",
        "FROM ent JOIN attributions s ON s.article_id = ent.article_id "
        "AND s.source_entity = ent.id JOIN articles a ON a.id = ent.article_id",
    ),
    "about": (
        "s.id, s.kind, s.source_text AS speaker, s.content_text AS content, s.seq AS pos",
        "FROM attributions s JOIN articles a ON a.id = s.article_id "
        "WHERE s.article_id IN (SELECT article_id FROM ent) AND EXISTS ("
        "SELECT 1 FROM ent JOIN mentions m ON m.article_id = ent.article_id "
        "AND m.entity_id = ent.id WHERE m.article_id = s.article_id "
        "AND m.start_char >= s.content_start AND m.end_char <= s.content_end "
        "AND coalesce(s.source_entity, '') <> ent.id)",
    ),
    "events": (
        "ev.id, ev.type, p.role, ev.anchor_text AS anchor, ev.modality, ev.seq AS pos",
        "FROM ent JOIN event_participants p ON p.article_id = ent.article_id "
        "AND p.entity_id = ent.id JOIN events ev ON ev.article_id = p.article_id "
        "AND ev.id = p.event_id JOIN articles a ON a.id = ent.article_id",
    ),
}

# Events, filtered by the columns the events page offers.
_EVENTS = "FROM events ev JOIN articles a ON a.id = ev.article_id"
_ACTOR_COUNTRY = ("EXISTS (SELECT 1 FROM event_participants p JOIN entities e "
                  "ON e.article_id = p.article_id AND e.id = p.entity_id "
                  "WHERE p.article_id = ev.article_id AND p.event_id = ev.id "
                  "AND p.role = 'actor' AND e.country = ?)")
EVENT_FILTERS = {"type": "ev.type = ?", "modality": "ev.modality = ?", "country": _ACTOR_COUNTRY}


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


class WorkbenchQueries:
    """Mixed into `Store`: needs its `_rows(query, params)`."""

    _rows: Any

    def speaker_counts(self, article_id: str | None = None) -> list[Row]:
        """Statements per (speaker, country, sector, kind); unresolved speakers by their words."""
        where = " WHERE s.article_id = ?" if article_id else ""
        return self._rows(
            "SELECT coalesce(e.name, s.source_text) AS name, e.type, e.country, e.sector, "
            "s.kind, count(*) AS statements "
            f"{_SPEAKERS}{where} GROUP BY coalesce(e.name, s.source_text), e.type, e.country, "
            "e.sector, s.kind",
            (article_id,) if article_id else (),
        )

    def attributed_share(self) -> Row:
        """Characters of all bodies, and how many lie in a top-level statement (source, cue,
        content; nested statements lie inside their carrier's content, so are not counted twice).
        """
        return self._rows(
            "SELECT (SELECT coalesce(sum(length(text)), 0) FROM articles) AS chars, "
            "(SELECT coalesce(sum(content_end - content_start "
            "+ coalesce(source_end - source_start, 0) + coalesce(cue_end - cue_start, 0)), 0) "
            "FROM attributions WHERE parent IS NULL) AS attributed"
        )[0]

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

    def event_rows(self, filters: dict[str, str], limit: int = 200) -> list[Row]:
        """The newest events passing `filters` (keys of `EVENT_FILTERS`), with their records."""
        where, params = self._event_filter(filters)
        return self._rows(
            f"SELECT ev.article_id, a.title, a.published, ev.id, ev.type, ev.anchor_text "
            f"AS anchor, ev.modality, ev.data {_EVENTS}{where} "
            "ORDER BY a.published DESC, ev.article_id, ev.seq LIMIT ?",
            (*params, limit),
        )

    def event_counts(self, filters: dict[str, str]) -> list[Row]:
        """Events passing `filters` per (publication day, type, modality): timeline and facets."""
        where, params = self._event_filter(filters)
        return self._rows(
            f"SELECT substr(a.published, 1, 10) AS day, ev.type, ev.modality, count(*) AS n "
            f"{_EVENTS}{where} GROUP BY substr(a.published, 1, 10), ev.type, ev.modality",
            params,
        )

    def actor_countries(self) -> list[Row]:
        """Countries of event actors, with how many events each acted in."""
        return self._rows(
            "SELECT e.country, count(*) AS n FROM event_participants p JOIN entities e "
            "ON e.article_id = p.article_id AND e.id = p.entity_id "
            "WHERE p.role = 'actor' AND e.country IS NOT NULL GROUP BY e.country ORDER BY n DESC"
        )

    def event_edges(self, types: list[str], filters: dict[str, str], limit: int = 80) -> list[Row]:
        """Who did what to whom: (actor, event type, recipient) with counts, commonest first."""
        where, params = self._event_filter(filters)
        kinds = f"ev.type IN ({', '.join('?' * len(types))})"
        where = f"{where} AND {kinds}" if where else f" WHERE {kinds}"
        return self._rows(
            "SELECT ea.name AS actor, ea.country AS actor_country, ev.type, "
            "er.name AS recipient, er.country AS recipient_country, count(*) AS n "
            f"{_EVENTS} "
            "JOIN event_participants pa ON pa.article_id = ev.article_id "
            "AND pa.event_id = ev.id AND pa.role = 'actor' "
            "JOIN entities ea ON ea.article_id = pa.article_id AND ea.id = pa.entity_id "
            "JOIN event_participants pr ON pr.article_id = ev.article_id "
            "AND pr.event_id = ev.id AND pr.role = 'recipient' "
            f"JOIN entities er ON er.article_id = pr.article_id AND er.id = pr.entity_id{where} "
            "GROUP BY ea.name, ea.country, ev.type, er.name, er.country "
            "ORDER BY n DESC, ea.name, er.name LIMIT ?",
            (*params, *types, limit),
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
    def _event_filter(filters: dict[str, str]) -> tuple[str, tuple[str, ...]]:
        used = [k for k in EVENT_FILTERS if filters.get(k)]
        return _where([EVENT_FILTERS[k] for k in used]), tuple(filters[k] for k in used)
