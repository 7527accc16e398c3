"""The sayso store: every analysed article with its ledger, in SQLite (default) or PostgreSQL.

    store = open_store("sayso.db")          # or "postgresql://user@host/db"
    if not store.has_article(analysis.article.id):
        store.save(analysis)                # one transaction per article
    analysis == store.load(analysis.article.id)
"""

from sayso.store.core import Store, StoreNotFound, open_store
from sayso.store.migrate import SchemaVersionError

__all__ = ["SchemaVersionError", "Store", "StoreNotFound", "open_store"]
