"""Write playlists, matching the same playlist seen through different sources."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from linernotes.model import PLAYLIST_ITEMS_RANK, PlaylistItem, PlaylistRecord
from linernotes.store.writer import LibraryWriter, inserted_id
from linernotes.text import name_key

_SAME_TRACKS = 0.8


def add_playlist(
    writer: LibraryWriter, record: PlaylistRecord, *, name_is_guess: bool = False
) -> int:
    """Insert or merge ``record``; return the playlist's row id.

    A playlist already known under another key (an Exportify CSV of a playlist
    from the account-data export) is recognised by name, or by sharing at least
    80% of its tracks, and merged rather than duplicated. ``name_is_guess``
    says the name was derived from a file name and must not replace a real one.
    """
    conn = writer.conn
    items = [
        (item, writer.track_id(item.track) if item.track is not None else None)
        for item in record.items
    ]
    track_ids = {track for _, track in items if track is not None}
    existing = _find_existing(writer, record, track_ids)
    if existing is None:
        playlist = inserted_id(
            conn.execute(
                "INSERT INTO playlists (key, spotify_id, name, description, owner, last_modified,"
                " followers, source, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.key,
                    record.spotify_id,
                    record.name,
                    record.description,
                    record.owner,
                    record.last_modified,
                    record.followers,
                    writer.source,
                    writer.fetched_at,
                ),
            ),
            "playlists",
        )
        writer.counts.playlists += 1
        replace_items = True
    else:
        playlist, old_source = existing
        if not name_is_guess:
            conn.execute("UPDATE playlists SET name = ? WHERE id = ?", (record.name, playlist))
        conn.execute(
            "UPDATE playlists SET spotify_id = COALESCE(spotify_id, ?), description ="
            " COALESCE(description, ?), owner = COALESCE(owner, ?), last_modified ="
            " COALESCE(?, last_modified), followers = COALESCE(?, followers) WHERE id = ?",
            (
                record.spotify_id,
                record.description,
                record.owner,
                record.last_modified,
                record.followers,
                playlist,
            ),
        )
        replace_items = PLAYLIST_ITEMS_RANK(writer.source) <= PLAYLIST_ITEMS_RANK(old_source)
    if replace_items:
        conn.execute("UPDATE playlists SET source = ? WHERE id = ?", (writer.source, playlist))
        conn.execute("DELETE FROM playlist_items WHERE playlist_id = ?", (playlist,))
        conn.executemany(
            "INSERT INTO playlist_items VALUES (?, ?, ?, ?, ?, ?)",
            [
                (playlist, position, item.kind, track, item.title, item.added_at)
                for position, (item, track) in enumerate(items)
            ],
        )
        writer.counts.playlist_items += len(items)
    else:
        _refine_added_at(writer, playlist, items)
    return playlist


def _find_existing(
    writer: LibraryWriter, record: PlaylistRecord, track_ids: set[int]
) -> tuple[int, str] | None:
    conn = writer.conn
    row = conn.execute("SELECT id, source FROM playlists WHERE key = ?", (record.key,)).fetchone()
    if row is None and record.spotify_id:
        row = conn.execute(
            "SELECT id, source FROM playlists WHERE spotify_id = ?", (record.spotify_id,)
        ).fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    wanted = name_key(record.name.replace("_", " "))
    candidates = conn.execute(
        "SELECT id, source, name FROM playlists WHERE source != ? ORDER BY id", (writer.source,)
    ).fetchall()
    named = [(c[0], c[1]) for c in candidates if name_key(c[2].replace("_", " ")) == wanted]
    if len(named) == 1:
        return int(named[0][0]), str(named[0][1])
    for playlist, source, _ in candidates:
        theirs = {
            r[0]
            for r in conn.execute(
                "SELECT track_id FROM playlist_items WHERE playlist_id = ?"
                " AND track_id IS NOT NULL",
                (playlist,),
            )
        }
        union = theirs | track_ids
        if union and len(theirs & track_ids) / len(union) >= _SAME_TRACKS:
            return int(playlist), str(source)
    return None


def _refine_added_at(
    writer: LibraryWriter, playlist: int, items: Sequence[tuple[PlaylistItem, int | None]]
) -> None:
    """Take the more precise ``added_at`` (a CSV's seconds over an export's date)."""
    for item, track in items:
        added_at = item.added_at
        if track is None or not added_at:
            continue
        writer.conn.execute(
            "UPDATE playlist_items SET added_at = ? WHERE playlist_id = ? AND track_id = ?"
            " AND (added_at IS NULL OR length(added_at) < length(?))",
            (added_at, playlist, track, added_at),
        )


def playlist_origin(conn: sqlite3.Connection, playlist: int) -> tuple[str, str] | None:
    """The key and name of playlist ``playlist`` (None when there is no such row)."""
    row = conn.execute("SELECT key, name FROM playlists WHERE id = ?", (playlist,)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))
