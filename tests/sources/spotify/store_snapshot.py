"""The content of a store by natural keys (Spotify ids, names), without timestamps:
two stores with the same snapshot hold the same library and the same sync state."""

from __future__ import annotations

import sqlite3

# Sync facts that are times of the run, not content.
_TIMES = {"top_fetched_at", "not_readable_explained", "resume_after", "budget_day"}

_TRACK = "COALESCE(t.spotify_id, t.match_key || '/' || t.is_local)"
_ARTIST = "COALESCE(a.spotify_id, a.name_key)"
_ALBUM = "COALESCE(al.spotify_id, al.name_key || '/' || al.artist_key)"

QUERIES = {
    "tracks": f"SELECT {_TRACK}, t.name, {_ALBUM}, t.duration_ms, t.explicit, t.isrc,"
    " t.disc_number, t.track_number, t.popularity, t.source"
    " FROM tracks AS t LEFT JOIN albums AS al ON al.id = t.album_id",
    "albums": f"SELECT {_ALBUM}, al.name, al.release_date, al.image_url, al.source"
    " FROM albums AS al",
    "album_artists": f"SELECT {_ALBUM}, c.position, {_ARTIST} FROM album_artists AS c"
    " JOIN albums AS al ON al.id = c.album_id JOIN artists AS a ON a.id = c.artist_id",
    "artists": f"SELECT {_ARTIST}, a.name, a.image_url, a.source FROM artists AS a",
    "track_artists": f"SELECT {_TRACK}, c.position, {_ARTIST} FROM track_artists AS c"
    " JOIN tracks AS t ON t.id = c.track_id JOIN artists AS a ON a.id = c.artist_id",
    "artist_genres": f"SELECT {_ARTIST}, g.name, c.position, c.source FROM artist_genres AS c"
    " JOIN artists AS a ON a.id = c.artist_id JOIN genres AS g ON g.id = c.genre_id",
    "liked": f"SELECT {_TRACK}, l.added_at, l.source FROM liked AS l"
    " JOIN tracks AS t ON t.id = l.track_id",
    "followed": f"SELECT {_ARTIST}, f.source FROM followed_artists AS f"
    " JOIN artists AS a ON a.id = f.artist_id",
    "playlists": "SELECT key, spotify_id, name, description, owner, source FROM playlists",
    "playlist_items": f"SELECT p.key, i.position, i.kind, {_TRACK}, i.title, i.added_at"
    " FROM playlist_items AS i JOIN playlists AS p ON p.id = i.playlist_id"
    " LEFT JOIN tracks AS t ON t.id = i.track_id",
    "spotify_playlists": "SELECT s.spotify_id, s.name, s.owner_id, s.owner_name,"
    " s.collaborative, s.total, s.status, s.snapshot_id, p.key FROM spotify_playlists AS s"
    " LEFT JOIN playlists AS p ON p.id = s.playlist_id",
    "spotify_playlist_pages": "SELECT spotify_id, snapshot_id, page_offset, next_offset"
    " FROM spotify_playlist_pages",
    "spotify_top": f"SELECT s.kind, s.time_range, s.position, {_TRACK}, {_ARTIST}"
    " FROM spotify_top AS s LEFT JOIN tracks AS t ON t.id = s.track_id"
    " LEFT JOIN artists AS a ON a.id = s.artist_id",
    "spotify_recent": f"SELECT s.played_at, {_TRACK}, s.context_uri FROM spotify_recent AS s"
    " JOIN tracks AS t ON t.id = s.track_id",
    "spotify_track_checks": "SELECT spotify_id, status FROM spotify_track_checks",
    "spotify_skipped": "SELECT endpoint, message FROM spotify_skipped",
}


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Return every relevant table as a sorted list of rows."""
    tables = {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in QUERIES.items()}
    tables["spotify_state"] = sorted(
        (key, None if key in _TIMES else value)
        for key, value in conn.execute("SELECT key, value FROM spotify_state")
    )
    return tables


def differences(
    one: dict[str, list[tuple[object, ...]]], other: dict[str, list[tuple[object, ...]]]
) -> dict[str, tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Return, per table that differs, the rows only in ``one`` and only in ``other``."""
    found = {}
    for name in one:
        a, b = set(one[name]), set(other[name])
        if a != b or len(one[name]) != len(other[name]):
            found[name] = (sorted(a - b, key=repr)[:5], sorted(b - a, key=repr)[:5])
    return found
