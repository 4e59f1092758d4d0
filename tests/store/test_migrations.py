"""Migrations: an old store holding data is upgraded in place; a failing step changes nothing.

A schema-1 store is made the way linernotes of schema 1 made it: ``open_store``
with only the first migration known. The tests swap ``db.MIGRATIONS`` and
``db.SCHEMA_VERSION`` for that, and to plant a migration that fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from linernotes.errors import StoreError
from linernotes.store import db
from linernotes.store.db import SCHEMA_VERSION, open_store

NOW = "2026-01-02T03:04:05Z"
_SAVED = {"source": "exportify", "fetched_at": NOW}
# What a schema-1 store holds after an import: one row or two in every table.
ROWS: list[tuple[str, dict[str, object]]] = [
    ("artists", {"id": 1, "spotify_id": "0OdUWJ0sBjDrqHygGUXeCF", "name": "Band of Horses",
                 "name_key": "band of horses", **_SAVED}),
    ("artists", {"id": 2, "name": "Ana Tijoux", "name_key": "ana tijoux", **_SAVED}),
    ("albums", {"id": 1, "spotify_id": "5Ylue4XZ9wE4KC9fMbC0BC", "name": "Everything",
                "name_key": "everything", "release_date": "2006-03-21", **_SAVED}),
    ("album_artists", {"album_id": 1, "position": 0, "artist_id": 1}),
    ("tracks", {"id": 1, "spotify_id": "0gxdXk4fZcYbbZ3uDxpfS8", "name": "The Funeral",
                "match_key": "band of horses|the funeral", "album_id": 1,
                "duration_ms": 322000, "isrc": "USSUB0652501", **_SAVED}),
    ("tracks", {"id": 2, "name": "Shock", "match_key": "ana tijoux|shock", **_SAVED}),
    ("track_artists", {"track_id": 1, "position": 0, "artist_id": 1}),
    ("track_artists", {"track_id": 2, "position": 0, "artist_id": 2}),
    ("labels", {"id": 1, "name": "Sub Pop Records"}),
    ("album_labels", {"album_id": 1, "label_id": 1, "position": 0, **_SAVED}),
    ("genres", {"id": 1, "name": "indie folk"}),
    ("artist_genres", {"artist_id": 1, "genre_id": 1, "position": 0, **_SAVED}),
    ("audio_features", {"track_id": 1, "danceability": 0.32, "tempo": 112.5, **_SAVED}),
    ("playlists", {"id": 1, "key": "name:road trip", "name": "Road Trip 🚗", **_SAVED}),
    ("playlist_items", {"playlist_id": 1, "position": 0, "kind": "track", "track_id": 1}),
    ("playlist_items", {"playlist_id": 1, "position": 1, "kind": "track", "track_id": 2}),
    ("liked", {"track_id": 1, "added_at": "2023-11-11T11:11:11Z", "source": "export"}),
    ("followed_artists", {"artist_id": 1, "source": "export"}),
    ("plays", {"id": 1, "ts": "2024-05-01T10:00:00Z", "precision": "second",
               "ms_played": 200000, "kind": "music", "track_id": 1, "play_key": "a"}),
    ("plays", {"id": 2, "ts": "2024-05-01 10:05", "precision": "minute", "ms_played": 1000,
               "kind": "music", "match_key": "ana tijoux|shock", "play_key": "b"}),
    ("shows", {"name_key": "the daily", "name": "The Daily", "source": "export"}),
    ("skipped_files", {"name": "notes.txt", "reason": "unknown format", "seen_at": NOW}),
    ("imports", {"sha256": "ab12", "path": "YourLibrary.json", "kind": "library",
                 "imported_at": NOW, "rows": 3}),
    ("slugs", {"kind": "artist", "entity_key": "id:1", "slug": "band-of-horses",
               "slug_fold": "band-of-horses"}),
]  # fmt: skip


@contextmanager
def _migrations(scripts: list[str]) -> Iterator[None]:
    """Make ``open_store`` know only ``scripts`` as its migrations."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "MIGRATIONS", scripts)
        patch.setattr(db, "SCHEMA_VERSION", len(scripts))
        yield


def _schema_1_store(path: Path) -> None:
    with _migrations(db.MIGRATIONS[:1]), open_store(path) as store, store.transaction() as conn:
        for table, row in ROWS:
            columns, marks = ", ".join(row), ", ".join("?" * len(row))
            conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [name for (name,) in rows]


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order (read with plain sqlite3)."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in _tables(conn)
        }


def _version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _schema(path: Path) -> set[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        return {(name, " ".join(sql.split())) for name, sql in rows}


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    _schema_1_store(path)
    return path


def test_the_schema_1_store_holds_the_rows(old_store: Path) -> None:
    before = _dump(old_store)
    assert _version(old_store) == 1 < SCHEMA_VERSION
    assert sum(len(rows) for rows in before.values()) == len(ROWS)
    assert "track_lookups" not in before and "spotify_state" not in before


def test_upgrade_keeps_every_row_and_reaches_the_current_schema(
    old_store: Path, tmp_path: Path
) -> None:
    before = _dump(old_store)
    with open_store(old_store) as store:
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert store.scalar("SELECT name FROM tracks WHERE isrc = 'USSUB0652501'") == "The Funeral"
    after = _dump(old_store)
    assert {table: after[table] for table in before} == before
    assert set(after) - set(before) >= {"spotify_state", "track_lookups"}
    with open_store(tmp_path / "fresh.db"):
        pass
    assert _schema(old_store) == _schema(tmp_path / "fresh.db")


def test_an_upgraded_store_takes_new_rows_that_refer_to_old_ones(old_store: Path) -> None:
    with open_store(old_store) as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO track_lookups VALUES (1, 'deezer', 'found', '3135556', ?)", (NOW,)
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO track_lookups VALUES (99, 'deezer', 'found', NULL, ?)", (NOW,)
            )
    assert _dump(old_store)["track_lookups"] == [(1, "deezer", "found", "3135556", NOW)]


@pytest.mark.parametrize(
    "failing",
    [
        "CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n",
        "ALTER TABLE tracks ADD COLUMN bpm REAL;\nUPDATE tracks SET bpm = 1;\n"
        "DELETE FROM plays;\nINSERT INTO tracks (id) VALUES (3);\n",
    ],
    ids=["new-table-then-unknown-table", "alter-update-delete-then-constraint"],
)
def test_a_failing_migration_changes_nothing(old_store: Path, failing: str) -> None:
    before, schema = _dump(old_store), _schema(old_store)
    with _migrations([db.MIGRATIONS[0], failing]), pytest.raises(StoreError) as caught:
        open_store(old_store)
    assert str(old_store) in str(caught.value) and "\n" not in str(caught.value)
    assert _version(old_store) == 1
    assert _schema(old_store) == schema
    assert _dump(old_store) == before


def test_after_a_failed_migration_the_real_upgrade_still_works(old_store: Path) -> None:
    before = _dump(old_store)
    broken = "CREATE TABLE extra (x INTEGER);\nSELECT * FROM nowhere;\n"
    with _migrations([db.MIGRATIONS[0], broken]), pytest.raises(StoreError):
        open_store(old_store)
    with open_store(old_store) as store:
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
    after = _dump(old_store)
    assert {table: after[table] for table in before} == before
