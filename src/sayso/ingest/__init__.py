"""Ingest: HTML pages, scraped text, JSON Lines, feeds and stdin to clean, checked `Document`s.

Bad input never raises: it becomes an `IngestError` record (see `checks` for the limits).
"""

from sayso.ingest.convert import from_record, from_string
from sayso.ingest.sources import read_inputs

__all__ = ["from_record", "from_string", "read_inputs"]
