"""Datasette metadata for a SQLite store: `sayso export --datasette DIR` writes DIR/metadata.json.

`datasette sayso.db` alone already finds full-text search on articles and attributions, the
`statements` view (each statement with its speaker's name) and the links to articles; the
metadata adds what Datasette cannot guess: what each table holds, labels and facets, sayso's own
bookkeeping tables hidden, and a `search_statements` query that searches statements with their
speakers (FTS5 syntax: phrases in quotes, OR, NOT, prefix*).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Each table Datasette shows: what it holds, then its label column and facets where useful.
TABLES: dict[str, dict[str, Any]] = {
    "articles": {"description": "One row per analysed article; every offset indexes its text.",
                 "label_column": "title", "sort_desc": "published",
                 "facets": ["site", "language"]},
    "statements": {"description": "Each statement with its article and its resolved speaker "
                                  "(speaker_* empty while the source is unresolved).",
                   "facets": ["kind", "speaker_name", "speaker_type", "speaker_country"]},
    "attributions": {"description": "Statements as stored: source, cue and content spans; "
                                    "source_entity is the id of an entity of the same article.",
                     "label_column": "content_text", "facets": ["kind"]},
    "entities": {"description": "Who and what each article names: people, organisations, "
                                "countries, groups, places.",
                 "label_column": "name", "facets": ["type", "country", "sector"]},
    "mentions": {"description": "Every place an entity is named or referred to."},
    "times": {"description": "Time expressions with their TIMEX3-style values.",
              "label_column": "text", "facets": ["type"]},
    "places": {"description": "Place mentions, geocoded to GeoNames.",
               "label_column": "name", "facets": ["country", "kind"]},
    "quantities": {"description": "Numbers with what they count.", "label_column": "text",
                   "facets": ["unit"]},
    "events": {"description": "PLOVER events; reported_by is the id of the statement that "
                              "reports one.",
               "label_column": "anchor_text", "facets": ["type", "modality"]},
    "event_participants": {"description": "The actors and recipients of each event."},
    "errors": {"description": "Inputs that could not be analysed, and why.",
               "facets": ["error"]},
}
# Totals the workbench keeps and the migrations' own table: sayso's bookkeeping, not data.
HIDDEN = ("speaker_totals", "corpus_totals", "event_totals", "edge_totals",
          "statement_subjects", "schema_version")

SEARCH_STATEMENTS = """
SELECT st.published, st.title, st.speaker_name, st.source_text, st.kind, st.cue_text,
       st.content_text, st.article_id, st.id
FROM attributions_fts
JOIN attributions s ON s.rowid = attributions_fts.rowid
JOIN statements st ON st.article_id = s.article_id AND st.seq = s.seq
WHERE attributions_fts MATCH :q
ORDER BY rank
""".strip()


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the store Datasette calls `database` (its file name's stem)."""
    return {
        "title": "sayso ledger",
        "description": "On whose say-so? Statements, speakers, times, places and events that "
                       "sayso found in news articles.",
        "databases": {database: {
            "tables": {**TABLES, **{t: {"hidden": True} for t in HIDDEN}},
            "queries": {"search_statements": {
                "title": "Search statements",
                "description": "Statements whose words match q (FTS5: \"a phrase\", OR, NOT, "
                               "prefix*), best first, with their speakers.",
                "sql": SEARCH_STATEMENTS,
            }},
        }},
    }


def write_metadata(db: str, folder: Path) -> Path:
    """Write folder/metadata.json for the SQLite store at `db`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "metadata.json"
    out.write_text(json.dumps(metadata(Path(db).stem), indent=2) + "\n", encoding="utf-8")
    return out
