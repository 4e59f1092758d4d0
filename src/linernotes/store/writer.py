"""Write domain records into the store: upserts that fill what is missing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from linernotes.errors import StoreError
from linernotes.model import (
    AUDIO_FEATURES,
    AlbumRef,
    ArtistRef,
    AudioFeatures,
    LikedRecord,
    Source,
    TrackRecord,
)
from linernotes.text import match_key, name_key

_TRACK_FILL = (
    "album_id",
    "duration_ms",
    "explicit",
    "isrc",
    "disc_number",
    "track_number",
    "popularity",
)


@dataclass
class WriteCounts:
    """What one import unit added (for status and tests)."""

    tracks: int = 0
    liked: int = 0
    playlists: int = 0
    playlist_items: int = 0
    plays: int = 0
    plays_skipped: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: WriteCounts) -> None:
        """Add ``other`` into this."""
        for name in ("tracks", "liked", "playlists", "playlist_items", "plays", "plays_skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + count


@dataclass
class RowCache:
    """Row ids already looked up. One import may share it between its files; it
    must be dropped when a transaction rolls back (its rows would be gone)."""

    artists: dict[str, int] = field(default_factory=dict)
    albums: dict[str, int] = field(default_factory=dict)
    tracks: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    genres: dict[str, int] = field(default_factory=dict)


class LibraryWriter:
    """Upserts records inside the caller's transaction, caching row ids."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        source: Source,
        fetched_at: str,
        cache: RowCache | None = None,
    ) -> None:
        self.conn = conn
        self.source = source
        self.fetched_at = fetched_at
        self.counts = WriteCounts()
        cache = cache or RowCache()
        self._artists = cache.artists
        self._albums = cache.albums
        self._tracks = cache.tracks
        self._labels = cache.labels
        self._genres = cache.genres
        # Artist + title keys of the tracks this unit created: plays without URI
        # waiting for one of them can now be linked.
        self.new_track_keys: set[str] = set()
        # Plays this unit inserted at minute precision, and without a track.
        self.minute_plays = 0
        self.unlinked_plays = 0

    # -- artists, albums, labels, genres ---------------------------------------------

    def artist_id(self, ref: ArtistRef) -> int:
        """Return the row id of ``ref``, creating the artist when new."""
        cache_key = ref.spotify_id or "name:" + ref.name
        if cache_key in self._artists:
            artist = self._artists[cache_key]
        else:
            artist = self._find_or_insert(
                "artists",
                ref.spotify_id,
                name_key(ref.name),
                "INSERT INTO artists (spotify_id, name, name_key, source, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (ref.spotify_id, ref.name, name_key(ref.name), self.source, self.fetched_at),
            )
            self._artists[cache_key] = artist
        for position, genre in enumerate(ref.genres):
            self.conn.execute(
                "INSERT OR IGNORE INTO artist_genres VALUES (?, ?, ?, ?, ?)",
                (artist, self.genre_id(genre), position, self.source, self.fetched_at),
            )
        return artist

    def _find_or_insert(
        self, table: str, spotify_id: str | None, key: str, insert: str, params: tuple[object, ...]
    ) -> int:
        found = self._find(table, "name_key = ?", (key,), spotify_id, str(params[1]))
        if found is not None:
            return found
        return inserted_id(self.conn.execute(insert, params), table)

    def _find(
        self,
        table: str,
        where: str,
        params: tuple[object, ...],
        spotify_id: str | None,
        name: str,
    ) -> int | None:
        """Find a row by Spotify id, else by name (the exact spelling first).

        A row known only by name is adopted by the first source that knows its
        Spotify id; a reference without id joins the row of that name, with or
        without id, so that history-only names do not duplicate known artists.
        """
        if spotify_id:
            row = self.conn.execute(
                f"SELECT id FROM {table} WHERE spotify_id = ?", (spotify_id,)
            ).fetchone()
            if row:
                return int(row[0])
            rows = self.conn.execute(
                f"SELECT id, name FROM {table} WHERE spotify_id IS NULL AND {where} ORDER BY id",
                params,
            ).fetchall()
        else:
            rows = self.conn.execute(
                f"SELECT id, name FROM {table} WHERE {where} ORDER BY spotify_id IS NOT NULL, id",
                params,
            ).fetchall()
        if not rows:
            return None
        exact = [r for r in rows if r[1] == name]
        found = int((exact or rows)[0][0])
        if spotify_id:
            # The source that knows the id also knows the spelling: "Nova", not "NOVA".
            self.conn.execute(
                f"UPDATE {table} SET spotify_id = ?, name = ? WHERE id = ?",
                (spotify_id, name, found),
            )
        return found

    def album_id(self, ref: AlbumRef) -> int:
        """Return the row id of the album ``ref``, filling its missing fields."""
        artist_key = name_key(ref.artists[0].name) if ref.artists else ""
        cache_key = ref.spotify_id or f"{ref.name}\x1f{artist_key}"
        bare = not (ref.release_date or ref.image_url or ref.labels or ref.genres)
        if bare and len(ref.artists) <= 1 and cache_key in self._albums:
            return self._albums[cache_key]  # a name-only sighting adds nothing
        album = self._find(
            "albums",
            "name_key = ? AND artist_key = ?",
            (name_key(ref.name), artist_key),
            ref.spotify_id,
            ref.name,
        )
        new = album is None
        if album is not None and not bare:
            self.conn.execute(
                "UPDATE albums SET release_date = COALESCE(release_date, ?),"
                " image_url = COALESCE(image_url, ?) WHERE id = ?",
                (ref.release_date, ref.image_url, album),
            )
        elif album is None:
            album = inserted_id(
                self.conn.execute(
                    "INSERT INTO albums (spotify_id, name, name_key, artist_key, release_date,"
                    " image_url, source, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        ref.spotify_id,
                        ref.name,
                        name_key(ref.name),
                        artist_key,
                        ref.release_date,
                        ref.image_url,
                        self.source,
                        self.fetched_at,
                    ),
                ),
                "albums",
            )
        self._albums[cache_key] = album
        self._set_credits("album_artists", "album_id", album, ref.artists, new=new)
        for position, label in enumerate(ref.labels):
            self.conn.execute(
                "INSERT OR IGNORE INTO album_labels VALUES (?, ?, ?, ?, ?)",
                (album, self.label_id(label), position, self.source, self.fetched_at),
            )
        return album

    def _set_credits(
        self,
        table: str,
        column: str,
        row_id: int,
        artists: tuple[ArtistRef, ...],
        *,
        new: bool = False,
    ) -> None:
        """Store the ordered credits. A list where every artist has a Spotify id is
        authoritative; otherwise a list replaces one with fewer ids, or as many ids
        but fewer artists (the history knows one artist, a playlist export all)."""
        if not artists:
            return
        if new:  # a row created just now has no credits yet
            self.conn.executemany(
                f"INSERT INTO {table} ({column}, position, artist_id) VALUES (?, ?, ?)",
                [(row_id, i, self.artist_id(a)) for i, a in enumerate(artists)],
            )
            return
        old = self.conn.execute(
            f"SELECT c.artist_id, a.spotify_id FROM {table} AS c JOIN artists AS a"
            f" ON a.id = c.artist_id WHERE c.{column} = ? ORDER BY c.position",
            (row_id,),
        ).fetchall()
        ids = [self.artist_id(artist) for artist in artists]
        if all(artist.spotify_id for artist in artists):
            if [r[0] for r in old] == ids:
                return
        elif (sum(1 for a in artists if a.spotify_id), len(ids)) <= (
            sum(1 for r in old if r[1]),
            len(old),
        ):
            return
        self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (row_id,))
        self.conn.executemany(
            f"INSERT INTO {table} ({column}, position, artist_id) VALUES (?, ?, ?)",
            [(row_id, position, artist) for position, artist in enumerate(ids)],
        )

    def label_id(self, name: str) -> int:
        """Return the row id of the label spelled ``name``."""
        return self._named("labels", self._labels, name)

    def genre_id(self, name: str) -> int:
        """Return the row id of the genre ``name`` (stored lower-case)."""
        return self._named("genres", self._genres, name.casefold())

    def _named(self, table: str, cache: dict[str, int], name: str) -> int:
        if name not in cache:
            self.conn.execute(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)", (name,))
            row = self.conn.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
            cache[name] = int(row[0])
        return cache[name]

    # -- tracks ------------------------------------------------------------------------

    def track_id(self, record: TrackRecord, *, new: bool = False) -> int:
        """Return the row id of ``record``, creating it or filling its missing fields.

        ``new`` says the caller knows no track has this Spotify id or artist +
        title yet (the history importer does), which saves the lookups.
        """
        first_artist = record.artists[0].name if record.artists else ""
        key = match_key(first_artist, record.name)
        cache_key = record.spotify_id or f"key:{int(record.is_local)}:{key}"
        known = None if new else self._tracks.get(cache_key)
        if known is None and not new:
            known = self._find(
                "tracks",
                "match_key = ? AND is_local = ?",
                (key, int(record.is_local)),
                None if record.is_local else record.spotify_id,
                record.name,
            )
        album = self.album_id(record.album) if record.album else None
        values = (
            album,
            record.duration_ms,
            _bool(record.explicit),
            record.isrc,
            record.disc_number,
            record.track_number,
            record.popularity,
        )
        new = known is None
        if known is None:
            known = inserted_id(
                self.conn.execute(
                    "INSERT INTO tracks (spotify_id, name, match_key, album_id, duration_ms,"
                    " explicit, isrc, disc_number, track_number, popularity, is_local, source,"
                    " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.spotify_id,
                        record.name,
                        key,
                        *values,
                        int(record.is_local),
                        self.source,
                        self.fetched_at,
                    ),
                ),
                "tracks",
            )
            self.counts.tracks += 1
            self.new_track_keys.add(key)
        elif any(value is not None for value in values):
            fill = ", ".join(f"{col} = COALESCE({col}, ?)" for col in _TRACK_FILL)
            self.conn.execute(f"UPDATE tracks SET {fill} WHERE id = ?", (*values, known))
        self._tracks[cache_key] = known
        self._set_credits("track_artists", "track_id", known, record.artists, new=new)
        for position, genre in enumerate(record.genres):
            self.conn.execute(
                "INSERT OR IGNORE INTO track_genres VALUES (?, ?, ?, ?, ?)",
                (known, self.genre_id(genre), position, self.source, self.fetched_at),
            )
        if record.features is not None and not record.features.is_empty():
            self._set_features(known, record.features)
        return known

    def _set_features(self, track: int, features: AudioFeatures) -> None:
        columns = ", ".join(AUDIO_FEATURES)
        marks = ", ".join("?" for _ in AUDIO_FEATURES)
        self.conn.execute(
            f"INSERT OR REPLACE INTO audio_features (track_id, source, fetched_at, {columns})"
            f" VALUES (?, ?, ?, {marks})",
            (
                track,
                self.source,
                self.fetched_at,
                *(getattr(features, name) for name in AUDIO_FEATURES),
            ),
        )

    def add_liked(self, records: Iterable[LikedRecord]) -> None:
        """Mark tracks as liked (keeping the earliest known ``added_at``)."""
        for record in records:
            track = self.track_id(record.track)
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO liked (track_id, added_at, source) VALUES (?, ?, ?)",
                (track, record.added_at, self.source),
            )
            if not cursor.rowcount and record.added_at:
                self.conn.execute(
                    "UPDATE liked SET added_at = ? WHERE track_id = ? AND added_at IS NULL",
                    (record.added_at, track),
                )
            self.counts.liked += cursor.rowcount

    def add_show(self, name: str) -> None:
        """Remember a podcast by name (to tell its episodes from music in old exports)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO shows VALUES (?, ?, ?)", (name_key(name), name, self.source)
        )

    def add_follows(self, artists: Iterable[ArtistRef]) -> None:
        """Record followed artists."""
        for ref in artists:
            self.conn.execute(
                "INSERT OR IGNORE INTO followed_artists VALUES (?, ?)",
                (self.artist_id(ref), self.source),
            )


def inserted_id(cursor: sqlite3.Cursor, table: str) -> int:
    """Return the row id of the one row an ``INSERT`` just added to ``table``.

    Raises :class:`StoreError` when it added none: the cursor's ``lastrowid``
    would then be the id of an earlier row (SQLite keeps it per connection).
    """
    if cursor.rowcount != 1 or not cursor.lastrowid:
        raise StoreError(
            f"{table}: the store added no row for a new record"
            " (a trigger or constraint in the store file refused it)"
        )
    return cursor.lastrowid


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)
