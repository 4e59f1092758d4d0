"""What the store holds: counts and coverage, for ``linernotes status``."""

from __future__ import annotations

import sqlite3
from typing import Any


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


# Tracks per source that gave each field (a track counts once per source).
_BY_SOURCE = {
    "label": "SELECT al.source, COUNT(DISTINCT t.id) FROM tracks AS t JOIN album_labels AS al"
    " ON al.album_id = t.album_id GROUP BY al.source",
    "genre": "SELECT source, COUNT(DISTINCT track_id) FROM (SELECT track_id, source FROM"
    " track_genres UNION SELECT ta.track_id, ag.source FROM track_artists AS ta"
    " JOIN artist_genres AS ag ON ag.artist_id = ta.artist_id) GROUP BY source",
    "audio_features": "SELECT source, COUNT(DISTINCT track_id) FROM audio_features GROUP BY source",
}


def coverage_by_source(conn: sqlite3.Connection) -> dict[str, dict[str, float]]:
    """Return, per field, the share of tracks (0–1) each source filled, sources sorted."""
    tracks = _one(conn, "SELECT COUNT(*) FROM tracks")
    return {
        field: {
            source: round(count / tracks, 4) if tracks else 0.0
            for source, count in sorted(conn.execute(sql).fetchall())
        }
        for field, sql in _BY_SOURCE.items()
    }


def store_status(conn: sqlite3.Connection) -> dict[str, Any]:
    """Return counts, play kinds, date range, coverage (shares of tracks, 0–1) per
    field and per source."""
    tracks = _one(conn, "SELECT COUNT(*) FROM tracks")
    plays = dict(conn.execute("SELECT kind, COUNT(*) FROM plays GROUP BY kind").fetchall())
    first, last = conn.execute("SELECT MIN(ts), MAX(ts) FROM plays").fetchone()

    def share(sql: str) -> float:
        return round(_one(conn, sql) / tracks, 4) if tracks else 0.0

    return {
        "tracks": tracks,
        "liked": _one(conn, "SELECT COUNT(*) FROM liked"),
        "playlists": _one(conn, "SELECT COUNT(*) FROM playlists"),
        "playlist_items": _one(conn, "SELECT COUNT(*) FROM playlist_items"),
        "artists": _one(conn, "SELECT COUNT(*) FROM artists"),
        "albums": _one(conn, "SELECT COUNT(*) FROM albums"),
        "labels": _one(conn, "SELECT COUNT(*) FROM labels"),
        "genres": _one(conn, "SELECT COUNT(*) FROM genres"),
        "plays": sum(plays.values()),
        "music_plays": plays.get("music", 0),
        "plays_by_kind": dict(sorted(plays.items())),
        "unresolved_plays": _one(
            conn, "SELECT COUNT(*) FROM plays WHERE kind = 'music' AND track_id IS NULL"
        ),
        "first_play": first,
        "last_play": last,
        "files_imported": _one(conn, "SELECT COUNT(*) FROM imports"),
        "files_skipped": [
            {"name": name, "reason": reason}
            for name, reason in conn.execute("SELECT name, reason FROM skipped_files ORDER BY name")
        ],
        "coverage": {
            "cover": share(
                "SELECT COUNT(*) FROM tracks AS t JOIN albums AS a ON a.id = t.album_id"
                " WHERE a.image_url IS NOT NULL"
            ),
            "label": share(
                "SELECT COUNT(*) FROM tracks AS t WHERE EXISTS (SELECT 1 FROM album_labels"
                " AS al WHERE al.album_id = t.album_id)"
            ),
            "genre": share(
                "SELECT COUNT(*) FROM tracks AS t WHERE EXISTS (SELECT 1 FROM track_genres"
                " AS tg WHERE tg.track_id = t.id) OR EXISTS (SELECT 1 FROM track_artists AS ta"
                " JOIN artist_genres AS ag ON ag.artist_id = ta.artist_id"
                " WHERE ta.track_id = t.id)"
            ),
            "audio_features": share("SELECT COUNT(DISTINCT track_id) FROM audio_features"),
        },
        "coverage_by_source": coverage_by_source(conn),
    }
