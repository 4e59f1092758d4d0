"""Provider values in the store: what is known by which source, and writing findings.

Every value a provider finds is written with the provider as ``source`` and the
time as ``fetched_at`` into the tables of schema 1; a value another source
already gave is kept beside it, never replaced. ``track_lookups`` and
``artist_lookups`` (schema 3) remember every lookup, found or not; what a
lookup or a search said the track and its album are goes to
``track_identities`` (schema 7, ``store.identities``); the release a provider
matched goes to ``album_external_ids`` (schema 4) and a cover URL it gave fills
the album's where it had none.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from linernotes.model import AUDIO_FEATURES
from linernotes.store.identities import (
    Identity,
    duration_sql,
    isrc_sql,
    write_identity,
)
from linernotes.text import clean_optional, clean_text

LABEL = "label"
GENRE = "genre"
# Every field a source can fill for a track: its release's label, its genres
# (own or its artists'), and each audio feature.
FIELDS: tuple[str, ...] = (LABEL, GENRE, *AUDIO_FEATURES)


@dataclass(frozen=True)
class ArtistQuery:
    """A credited artist as a provider sees it."""

    artist_id: int
    name: str


@dataclass(frozen=True)
class TrackQuery:
    """What a provider needs to look a track up. ``isrc`` and ``duration_ms`` are the
    import's, else those a service gave when it identified the track."""

    track_id: int
    name: str
    isrc: str | None
    spotify_id: str | None
    album_id: int | None
    album_name: str | None
    duration_ms: int | None
    artists: tuple[ArtistQuery, ...]
    ms_played: int = 0


@dataclass(frozen=True)
class ArtistFindings:
    """Genres a provider gave for one of our artists."""

    artist_id: int
    genres: tuple[str, ...]
    external_id: str | None = None


@dataclass(frozen=True)
class TrackFindings:
    """Everything one provider found about one track (``found`` False: nothing matched)."""

    track_id: int
    found: bool
    external_id: str | None = None
    labels: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    gain: float | None = None
    artists: tuple[ArtistFindings, ...] = ()
    # The provider's own id of the track's release (MusicBrainz: the release MBID).
    album_external_id: str | None = None
    # The cover URL it gave for the release (filling the album's when it had none).
    cover_url: str | None = None
    identity: Identity | None = None


def iter_track_queries(conn: sqlite3.Connection) -> Iterator[TrackQuery]:
    """Yield every track that is not a local file, most listened first (music plays)."""
    credits: dict[int, list[ArtistQuery]] = defaultdict(list)
    for track, artist, name in conn.execute(
        "SELECT ta.track_id, a.id, a.name FROM track_artists AS ta JOIN artists AS a"
        " ON a.id = ta.artist_id ORDER BY ta.track_id, ta.position"
    ):
        credits[track].append(ArtistQuery(artist, name))
    rows = conn.execute(
        f"SELECT t.id, t.name, COALESCE(t.isrc, {isrc_sql()}), t.spotify_id, t.album_id,"
        f" al.name, COALESCE(t.duration_ms, {duration_sql()}), COALESCE(p.ms, 0)"
        " FROM tracks AS t LEFT JOIN albums AS al ON al.id = t.album_id"
        " LEFT JOIN (SELECT track_id, SUM(ms_played) AS ms FROM plays WHERE kind = 'music'"
        " AND track_id IS NOT NULL GROUP BY track_id) AS p ON p.track_id = t.id"
        " WHERE t.is_local = 0 ORDER BY COALESCE(p.ms, 0) DESC, t.id"
    )
    for id_, name, isrc, sid, album, album_name, duration, ms in rows:
        yield TrackQuery(
            id_, name, isrc, sid, album, album_name, duration, tuple(credits.get(id_, ())), ms
        )


def known_fields(
    conn: sqlite3.Connection,
    sources: Collection[str],
    track: int | None = None,
    looking: Collection[str] | None = None,
) -> dict[int, set[str]]:
    """Return, per track id (only ``track`` when given), the fields (``FIELDS``) that
    any of ``sources`` has filled.

    A value from a source that looks tracks up (a provider: it has lookups on record)
    counts only for a track that source found itself — not for another track of
    the same album or artist — so that what counts for a track never depends on
    which other tracks were looked up first. Values an import gave count as they are.
    ``looking`` names the sources that look tracks up (default: those with lookups
    on record; a caller asking about many tracks one by one passes them once).
    """
    known: dict[int, set[str]] = defaultdict(set)
    if not sources:
        return known
    if looking is None:
        looking = looking_up(conn)
    marks = ", ".join("?" for _ in sources)
    only = "" if track is None else " AND {id} = ?"

    def select(sql: str, source: str, track_id: str) -> tuple[str, tuple[object, ...]]:
        """``sql`` (naming the value's ``source`` and ``track_id`` columns) restricted to
        values that count, with its parameters."""
        lookups = ", ".join("?" for _ in looking)  # SQLite reads "IN ()" as false
        where = (
            f" WHERE {source} IN ({marks}) AND ({source} NOT IN ({lookups}) OR EXISTS (SELECT 1"
            f" FROM track_lookups AS l WHERE l.track_id = {track_id} AND l.provider = {source}"
            " AND l.status = 'found'))" + only.format(id=track_id)
        )
        params = (*sources, *sorted(looking), *(() if track is None else (track,)))
        return sql + where, params

    queries = [
        (
            LABEL,
            select(
                "SELECT t.id FROM tracks AS t JOIN album_labels AS al ON al.album_id = t.album_id",
                "al.source",
                "t.id",
            ),
        ),
        (GENRE, select("SELECT x.track_id FROM track_genres AS x", "x.source", "x.track_id")),
        (
            GENRE,
            select(
                "SELECT ta.track_id FROM track_artists AS ta JOIN artist_genres AS ag"
                " ON ag.artist_id = ta.artist_id",
                "ag.source",
                "ta.track_id",
            ),
        ),
    ]
    for name, (sql, params) in queries:
        for (track_id,) in conn.execute(sql, params):
            known[track_id].add(name)
    columns = ", ".join(f"f.{n}" for n in AUDIO_FEATURES)
    sql, params = select(
        f"SELECT f.track_id, {columns} FROM audio_features AS f", "f.source", "f.track_id"
    )
    for row in conn.execute(sql, params):
        present = zip(AUDIO_FEATURES, row[1:], strict=True)
        known[row[0]].update(name for name, value in present if value is not None)
    return known


def looking_up(conn: sqlite3.Connection) -> set[str]:
    """The sources that have looked tracks up (providers)."""
    return {r[0] for r in conn.execute("SELECT DISTINCT provider FROM track_lookups")}


def looked_up_tracks(conn: sqlite3.Connection, provider: str) -> set[int]:
    """Return the tracks ``provider`` has looked up before (found or not)."""
    rows = conn.execute("SELECT track_id FROM track_lookups WHERE provider = ?", (provider,))
    return {r[0] for r in rows}


def looked_up_artists(conn: sqlite3.Connection, provider: str) -> set[int]:
    """Return the artists ``provider`` has looked up on their own before."""
    rows = conn.execute("SELECT artist_id FROM artist_lookups WHERE provider = ?", (provider,))
    return {r[0] for r in rows}


class FindingsWriter:
    """Writes one provider's findings inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, source: str, fetched_at: str) -> None:
        self.conn = conn
        self.source = source
        self.fetched_at = fetched_at

    def write(self, findings: TrackFindings) -> None:
        """Store the values found and remember the lookup (found or not)."""
        track = findings.track_id
        if findings.identity is not None:
            self.identity(track, findings.identity)
        if findings.labels or findings.album_external_id or findings.cover_url:
            row = self.conn.execute("SELECT album_id FROM tracks WHERE id = ?", (track,)).fetchone()
            if row and row[0] is not None:
                self._labels(row[0], findings.labels)
                self._album_id(row[0], findings.album_external_id)
                self._cover(row[0], findings.cover_url)
        self._genres("track_genres", "track_id", track, findings.genres)
        for artist in findings.artists:
            self._genres("artist_genres", "artist_id", artist.artist_id, artist.genres)
            self._artist_lookup(artist)
        if findings.features:
            self._features(track, findings.features)
        if findings.gain is not None:
            self.conn.execute(
                "INSERT OR REPLACE INTO track_gain VALUES (?, ?, ?, ?)",
                (track, self.source, self.fetched_at, findings.gain),
            )
        self.conn.execute(
            "INSERT OR REPLACE INTO track_lookups VALUES (?, ?, ?, ?, ?)",
            (
                track,
                self.source,
                "found" if findings.found else "not_found",
                findings.external_id,
                self.fetched_at,
            ),
        )

    def identity(self, track: int, identity: Identity) -> None:
        """Record what the service said the track is."""
        write_identity(self.conn, track, identity, self.fetched_at)

    def _artist_lookup(self, artist: ArtistFindings) -> None:
        found = bool(artist.genres or artist.external_id)
        self.conn.execute(
            "INSERT OR REPLACE INTO artist_lookups VALUES (?, ?, ?, ?, ?)",
            (
                artist.artist_id,
                self.source,
                "found" if found else "not_found",
                artist.external_id,
                self.fetched_at,
            ),
        )

    def _album_id(self, album: int, external_id: str | None) -> None:
        """Keep the first release matched for an album (its most listened track's)."""
        if external_id:
            self.conn.execute(
                "INSERT OR IGNORE INTO album_external_ids VALUES (?, ?, ?, ?)",
                (album, self.source, external_id, self.fetched_at),
            )

    def _cover(self, album: int, url: str | None) -> None:
        """A provider's cover URL becomes the album's where the album had none."""
        url = clean_optional(url)
        if url:
            self.conn.execute(
                "UPDATE albums SET image_url = ? WHERE id = ? AND image_url IS NULL", (url, album)
            )

    def _labels(self, album: int, names: tuple[str, ...]) -> None:
        # Names from a provider enter the store here: cleaned like every other name.
        for position, name in enumerate(dict.fromkeys(n for n in map(clean_text, names) if n)):
            label = self._named("labels", name)
            self.conn.execute(
                "INSERT OR IGNORE INTO album_labels VALUES (?, ?, ?, ?, ?)",
                (album, label, position, self.source, self.fetched_at),
            )

    def _genres(self, table: str, column: str, row_id: int, names: tuple[str, ...]) -> None:
        genres = dict.fromkeys(n.casefold() for n in map(clean_text, names) if n)
        for position, name in enumerate(genres):
            self.conn.execute(
                f"INSERT OR IGNORE INTO {table} ({column}, genre_id, position, source, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (row_id, self._named("genres", name), position, self.source, self.fetched_at),
            )

    def _features(self, track: int, features: dict[str, float]) -> None:
        columns = [n for n in AUDIO_FEATURES if features.get(n) is not None]
        if not columns:
            return
        self.conn.execute(
            f"INSERT OR REPLACE INTO audio_features (track_id, source, fetched_at,"
            f" {', '.join(columns)}) VALUES (?, ?, ?, {', '.join('?' for _ in columns)})",
            (track, self.source, self.fetched_at, *(features[n] for n in columns)),
        )

    def _named(self, table: str, name: str) -> int:
        self.conn.execute(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)", (name,))
        row = self.conn.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
        return int(row[0])
