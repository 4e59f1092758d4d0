"""The SQLite store: one file holding the whole library and its provenance."""

from linernotes.store.db import SCHEMA_VERSION, Store, open_store

__all__ = ["SCHEMA_VERSION", "Store", "open_store"]
