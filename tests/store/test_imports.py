"""Import bookkeeping: files known by content hash, files passed over."""

from __future__ import annotations

from linernotes.model import PlayRecord
from linernotes.store import Store
from linernotes.store.imports import (
    forget_skipped,
    is_imported,
    known_digests,
    last_play_id,
    record_import,
    remember_skipped,
)
from linernotes.store.plays import add_plays
from linernotes.store.writer import LibraryWriter

AT = "2026-01-01T00:00:00Z"


def _skipped(store: Store) -> dict[str, str]:
    return dict(store.conn.execute("SELECT name, reason FROM skipped_files").fetchall())


def test_an_imported_file_is_known_by_its_digest(store: Store) -> None:
    assert known_digests(store.conn) == frozenset()
    with store.transaction() as conn:
        record_import(conn, "a" * 64, "Playlist1.json", "playlists", AT, 12)
        record_import(conn, "b" * 64, "endsong_0.json", "extended", AT, 3000)
    assert known_digests(store.conn) == {"a" * 64, "b" * 64}
    assert is_imported(store.conn, "a" * 64)
    assert not is_imported(store.conn, "c" * 64)
    row = store.conn.execute("SELECT path, kind, rows FROM imports WHERE sha256 = ?", ("b" * 64,))
    assert row.fetchone() == ("endsong_0.json", "extended", 3000)


def test_skipped_files_are_remembered_replaced_and_forgotten(store: Store) -> None:
    with store.transaction() as conn:
        remember_skipped(conn, [("notes.txt", "not a file linernotes knows")], AT)
        remember_skipped(conn, [("empty.json", "empty file"), ("notes.txt", "unsafe")], AT)
    assert _skipped(store) == {"notes.txt": "unsafe", "empty.json": "empty file"}
    with store.transaction() as conn:
        forget_skipped(conn, "notes.txt")
    assert _skipped(store) == {"empty.json": "empty file"}


def test_recording_an_import_forgets_that_the_file_was_skipped(store: Store) -> None:
    with store.transaction() as conn:
        remember_skipped(conn, [("Follow.json", "damaged"), ("other.json", "empty file")], AT)
        record_import(conn, "d" * 64, "Follow.json", "follow", AT, 0)
    assert _skipped(store) == {"other.json": "empty file"}


def test_last_play_id_marks_where_new_plays_begin(store: Store) -> None:
    assert last_play_id(store.conn) == 0
    plays = [PlayRecord(f"2024-01-0{d}T10:00:00Z", 1000, "music", track_name="x") for d in (1, 2)]
    with store.transaction() as conn:
        add_plays(LibraryWriter(conn, "export", AT), plays)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM plays")]
    assert len(ids) == 2
    assert last_play_id(store.conn) == max(ids)
