"""The SQLite store: one file per review, migrations, queries and full-text search."""

from reviewer.store.store import Store, StoreError, fts_query

__all__ = ["Store", "StoreError", "fts_query"]
