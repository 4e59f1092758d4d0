"""The read side of the store: the whole library in one pass, every enriched value
with the source that gave it (which source is shown is analysis's choice)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from linernotes.model import (
    AUDIO_FEATURES,
    Playlist,
    PlaylistEntry,
    Sourced,
    SourcedFeatures,
    StoredAlbum,
    StoredArtist,
    StoredLibrary,
    StoredTrack,
)
from linernotes.store.covers import COVER_URL
from linernotes.store.identities import duration_sql


def read_library(conn: sqlite3.Connection) -> StoredLibrary:
    """Read every artist, album, track and playlist of the store."""
    return StoredLibrary(
        _read_artists(conn), _read_albums(conn), _read_tracks(conn), read_playlists(conn)
    )


def _grouped(conn: sqlite3.Connection, sql: str) -> dict[int, list[Any]]:
    """``{key: [value, …]}`` from rows ``(key, value)`` or ``(key, *values)`` (as tuples)."""
    out: dict[int, list[Any]] = defaultdict(list)
    for key, *value in conn.execute(sql):
        out[key].append(value[0] if len(value) == 1 else tuple(value))
    return out


def _sourced(conn: sqlite3.Connection, sql: str) -> dict[int, tuple[Sourced, ...]]:
    """``{key: (Sourced, …)}`` from rows ``(key, source, name)``, in the query's order."""
    out: dict[int, list[Sourced]] = defaultdict(list)
    for key, source, name in conn.execute(sql):
        out[key].append(Sourced(source, name))
    return {key: tuple(values) for key, values in out.items()}


def _genre_sql(table: str, column: str) -> str:
    return (
        f"SELECT x.{column}, x.source, g.name FROM {table} AS x JOIN genres AS g"
        f" ON g.id = x.genre_id ORDER BY x.{column}, x.position, g.name"
    )


def _credits(conn: sqlite3.Connection, table: str, column: str) -> dict[int, tuple[int, ...]]:
    rows = _grouped(conn, f"SELECT {column}, artist_id FROM {table} ORDER BY {column}, position")
    return {key: tuple(int(a) for a in artists) for key, artists in rows.items()}


def _read_artists(conn: sqlite3.Connection) -> dict[int, StoredArtist]:
    followed = {r[0] for r in conn.execute("SELECT artist_id FROM followed_artists")}
    genres = _sourced(conn, _genre_sql("artist_genres", "artist_id"))
    return {
        id_: StoredArtist(id_, name, sid, id_ in followed, genres.get(id_, ()))
        for id_, name, sid in conn.execute("SELECT id, name, spotify_id FROM artists ORDER BY id")
    }


def _read_albums(conn: sqlite3.Connection) -> dict[int, StoredAlbum]:
    labels = _sourced(
        conn,
        "SELECT al.album_id, al.source, l.name FROM album_labels AS al JOIN labels"
        " AS l ON l.id = al.label_id ORDER BY al.album_id, al.position, l.name",
    )
    credits = _credits(conn, "album_artists", "album_id")
    return {
        id_: StoredAlbum(id_, name, sid, date, image, credits.get(id_, ()), labels.get(id_, ()))
        for id_, name, sid, date, image in conn.execute(
            f"SELECT al.id, al.name, al.spotify_id, al.release_date, {COVER_URL}"
            " FROM albums AS al ORDER BY al.id"
        )
    }


def _read_tracks(conn: sqlite3.Connection) -> dict[int, StoredTrack]:
    genres = _sourced(conn, _genre_sql("track_genres", "track_id"))
    credits = _credits(conn, "track_artists", "track_id")
    liked = {r[0] for r in conn.execute("SELECT track_id FROM liked")}
    features = _read_features(conn)
    return {
        id_: StoredTrack(
            id_,
            name,
            sid,
            album,
            credits.get(id_, ()),
            duration,
            None if explicit is None else bool(explicit),
            bool(local),
            id_ in liked,
            genres.get(id_, ()),
            features.get(id_, ()),
        )
        # The duration the import gave, else the one a service gave when it
        # identified the track (store.identities).
        for id_, name, sid, album, duration, explicit, local in conn.execute(
            f"SELECT id, name, spotify_id, album_id, COALESCE(duration_ms, {duration_sql('id')}),"
            " explicit, is_local FROM tracks ORDER BY id"
        )
    }


def _read_features(conn: sqlite3.Connection) -> dict[int, tuple[SourcedFeatures, ...]]:
    out: dict[int, list[SourcedFeatures]] = defaultdict(list)
    columns = ", ".join(AUDIO_FEATURES)
    for track, source, *values in conn.execute(
        f"SELECT track_id, source, {columns} FROM audio_features ORDER BY track_id, source"
    ):
        out[track].append(SourcedFeatures(source, tuple(values)))
    return {track: tuple(rows) for track, rows in out.items()}


def read_playlists(conn: sqlite3.Connection) -> list[Playlist]:
    """Every playlist with its entries in order, sorted by name (then key)."""
    entries: dict[int, list[PlaylistEntry]] = defaultdict(list)
    for pid, kind, track, title, added in conn.execute(
        "SELECT playlist_id, kind, track_id, title, added_at FROM playlist_items"
        " ORDER BY playlist_id, position"
    ):
        entries[pid].append(PlaylistEntry(kind, track, title, added))
    playlists = []
    for pid, key, name, desc, owner, modified in conn.execute(
        "SELECT id, key, name, description, owner, last_modified FROM playlists ORDER BY name, key"
    ):
        items = tuple(entries.get(pid, ()))
        track_ids = tuple(dict.fromkeys(e.track_id for e in items if e.track_id is not None))
        playlists.append(Playlist(pid, key, name, desc, owner, modified, items, track_ids))
    return playlists
