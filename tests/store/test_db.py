from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from linernotes.errors import StoreError
from linernotes.store import SCHEMA_VERSION, open_store
from linernotes.store.db import APPLICATION_ID, MIGRATIONS
from tests.hostile import damage_page


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
    open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match=f"schema {SCHEMA_VERSION + 1} is newer"):
        open_store(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "junk.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        open_store(db)


def test_missing_store_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "none.db", create=False)


# -- issue 10, class 2: only a file linernotes made is opened ------------------------------


def _foreign(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("create", [True, False], ids=["writing", "reading"])
def test_a_foreign_database_is_refused_untouched(tmp_path: Path, create: bool) -> None:
    db = tmp_path / "places.sqlite"
    before = _foreign(db)
    with pytest.raises(StoreError, match="not a linernotes store") as caught:
        open_store(db, create=create)
    assert "\n" not in str(caught.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]


def test_an_empty_file_is_a_new_store_only_for_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    db.write_bytes(b"")
    with pytest.raises(StoreError, match="empty"):
        open_store(db, create=False)
    assert db.read_bytes() == b""
    with open_store(db) as store:
        assert store.scalar("PRAGMA application_id") == APPLICATION_ID
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION


@pytest.mark.parametrize("schema", [1, 3, 5])
def test_a_store_of_an_earlier_linernotes_is_stamped_and_migrated(
    tmp_path: Path, schema: int
) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:schema], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO genres (name) VALUES ('k-pop')")
    conn.close()
    with open_store(db, create=False) as store:
        assert store.scalar("PRAGMA application_id") == APPLICATION_ID
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert store.scalar("SELECT name FROM genres") == "k-pop"


def test_a_new_store_is_stamped(tmp_path: Path) -> None:
    with open_store(tmp_path / "new.db") as store:
        assert store.scalar("PRAGMA application_id") == APPLICATION_ID == 0x6C6E6F74


# -- issue 10, class 7: concurrent first runs create the store once ------------------------


def test_three_first_imports_at_once_all_succeed(tmp_path: Path) -> None:
    exports = []
    for n in range(3):
        path = tmp_path / f"in{n}" / "Playlist1.json"
        path.parent.mkdir()
        document = {"playlists": [{"name": f"P{n}", "items": []}]}
        path.write_text(json.dumps(document), encoding="utf-8")
        exports.append(path)
    for attempt in range(3):
        db = tmp_path / f"new{attempt}.db"
        command = [sys.executable, "-m", "linernotes", "--db", str(db), "import"]
        runs = [
            subprocess.Popen([*command, str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for p in exports
        ]
        results = [(run.wait(120), run.stderr.read().decode()) for run in runs if run.stderr]
        assert [code for code, _ in results] == [0, 0, 0], results
        with open_store(db) as store:
            assert store.scalar("SELECT COUNT(*) FROM playlists") == 3


# -- issue 10, class 13: after an unclean stop a writer checks the file first -------------


def _killed_writer(db: Path) -> None:
    """A process that opens the store for writing and dies without closing it."""
    code = (
        "import os, sys; from pathlib import Path; from linernotes.store import open_store;"
        f" s = open_store(Path({str(db)!r})); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _store_with_data(db: Path) -> None:
    with open_store(db) as store, store.transaction() as conn:
        conn.executemany(
            "INSERT INTO genres (name) VALUES (?)", [(f"genre {n:05d} " * 8,) for n in range(5000)]
        )


def test_after_an_unclean_stop_a_damaged_store_is_refused(tmp_path: Path) -> None:
    control = tmp_path / "control.db"
    _store_with_data(control)
    damage_page(control)
    open_store(control).close()  # a clean stop before: the damage goes unseen at open
    db = tmp_path / "library.db"
    _store_with_data(db)
    _killed_writer(db)
    damage_page(db)
    with pytest.raises(StoreError, match=r"damaged .* after an unclean stop") as caught:
        open_store(db)
    assert "\n" not in str(caught.value)
    with pytest.raises(StoreError, match="unclean stop"):  # and again: nothing was cleared
        open_store(db)


def test_after_an_unclean_stop_a_sound_store_opens(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    open_store(db).close()
    _killed_writer(db)
    with open_store(db) as store:
        assert store.scalar("SELECT COUNT(*) FROM open_writers") == 1  # this one only
    with open_store(db) as store:
        assert store.scalar("SELECT COUNT(*) FROM open_writers") == 1


# -- issue 10, class 5: what SQLite refuses becomes one line ------------------------------


def test_a_store_locked_beyond_the_wait_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    holder = open_store(db)
    holder.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked by another linernotes command"):
            open_store(db, timeout=0.2)
        with open_store(db, create=False, timeout=0.2) as reader:
            with pytest.raises(sqlite3.OperationalError) as caught:
                reader.conn.execute("BEGIN IMMEDIATE")
            error = reader.error(caught.value)
            assert error is not None and "run this again" in str(error)
    finally:
        holder.conn.rollback()
        holder.close()


def test_a_bug_is_not_dressed_as_a_store_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "l.db") as store:
        with pytest.raises(sqlite3.OperationalError) as caught:
            store.conn.execute("SELECT no_such_column FROM tracks")
        assert store.error(caught.value) is None
