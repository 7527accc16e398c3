"""Ingest: HTML pages, scraped text, JSON Lines, feeds and stdin to clean, checked `Document`s.

Bad input never raises: it becomes an `IngestError` record (see `checks` for the limits, and
`clean` for what text is normalised before analysis).
"""

from sayso.ingest.checks import Limits
from sayso.ingest.convert import from_record, from_string
from sayso.ingest.sources import read_inputs

__all__ = ["Limits", "from_record", "from_string", "read_inputs"]
