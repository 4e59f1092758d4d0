from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from linernotes.errors import StoreError
from linernotes.store import SCHEMA_VERSION, open_store


def test_new_store_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "library.db"
    with open_store(db) as store:
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA foreign_keys") == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO liked VALUES (12345, NULL, 'x')")


def test_reopening_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    with open_store(db) as store, store.transaction() as conn:
        conn.execute("INSERT INTO genres (name) VALUES ('k-pop')")
    with open_store(db) as store:
        assert store.scalar("SELECT name FROM genres") == "k-pop"


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "l.db") as store:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            conn.execute("INSERT INTO genres (name) VALUES ('jazz')")
            raise RuntimeError("boom")
        assert store.scalar("SELECT COUNT(*) FROM genres") == 0


def test_newer_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "junk.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        open_store(db)


def test_missing_store_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "none.db", create=False)
