"""The library as analysis sees it: one read of the store into plain records."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from linernotes.analysis.genres import genre_family, normalize_genre
from linernotes.analysis.labels import LabelFolder
from linernotes.config import Config
from linernotes.model import AUDIO_FEATURES


@dataclass(frozen=True)
class Artist:
    id: int
    name: str
    spotify_id: str | None
    followed: bool
    genres: tuple[str, ...] = ()


@dataclass(frozen=True)
class Album:
    id: int
    name: str
    spotify_id: str | None
    release_date: str | None
    year: int | None
    image_url: str | None
    artist_ids: tuple[int, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Track:
    id: int
    name: str
    spotify_id: str | None
    album_id: int | None
    artist_ids: tuple[int, ...]
    duration_ms: int | None
    explicit: bool | None
    is_local: bool
    genres: tuple[str, ...]
    features: dict[str, float] | None
    liked: bool
    liked_at: str | None


@dataclass(frozen=True)
class PlaylistEntry:
    kind: str
    track_id: int | None
    title: str
    added_at: str | None


@dataclass(frozen=True)
class Playlist:
    id: int
    key: str
    name: str
    description: str | None
    owner: str | None
    last_modified: str | None
    entries: tuple[PlaylistEntry, ...]

    @property
    def track_ids(self) -> list[int]:
        """Music tracks in playlist order, each once."""
        return list(dict.fromkeys(e.track_id for e in self.entries if e.track_id is not None))


@dataclass
class Library:
    """Everything the atlas is made of, keyed by store row id."""

    artists: dict[int, Artist]
    albums: dict[int, Album]
    tracks: dict[int, Track]
    playlists: list[Playlist]
    labels: LabelFolder
    genre_families: dict[str, str] = field(default_factory=dict)

    def year(self, track: Track) -> int | None:
        """Release year of a track's album."""
        album = self.albums.get(track.album_id) if track.album_id else None
        return album.year if album else None

    def labels_of(self, track: Track) -> tuple[str, ...]:
        """Canonical labels of a track's release."""
        album = self.albums.get(track.album_id) if track.album_id else None
        return album.labels if album else ()


def load_library(conn: sqlite3.Connection, config: Config) -> Library:
    """Read the whole store into a :class:`Library`.

    Where several sources gave a label, genres or an audio feature, the one
    first in ``[providers] source_order`` is shown (the others stay on record).
    """
    rank = SourceRank(config.providers.source_order)
    followed = {r[0] for r in conn.execute("SELECT artist_id FROM followed_artists")}
    artist_genres = _artist_genres(conn, config, rank)
    artists = {
        row[0]: Artist(row[0], row[1], row[2], row[0] in followed, artist_genres.get(row[0], ()))
        for row in conn.execute("SELECT id, name, spotify_id FROM artists")
    }
    shown = _shown_labels(conn, rank)
    folder = LabelFolder([name for names in shown.values() for name in names], config.label_aliases)
    albums = _load_albums(conn, folder, shown)
    genres = _load_genres(conn, config, rank)
    tracks = _load_tracks(conn, genres, rank)
    families = {
        g: genre_family(g, config.genre_families) for t in tracks.values() for g in t.genres
    }
    return Library(artists, albums, tracks, _load_playlists(conn), folder, families)


class SourceRank:
    """Orders sources as ``source_order`` says; sources it does not name come last."""

    def __init__(self, order: tuple[str, ...]) -> None:
        self._rank = {source: i for i, source in enumerate(order)}

    def __call__(self, source: str) -> int:
        return self._rank.get(source, len(self._rank))

    def best(self, values: list[tuple[str, Any]]) -> list[Any]:
        """The values of the best-ranked source among ``(source, value)`` pairs, in order."""
        if not values:
            return []
        top = min((self(source), source) for source, _ in values)[1]
        return [value for source, value in values if source == top]


def _grouped(conn: sqlite3.Connection, sql: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for key, *value in conn.execute(sql):
        out[key].append(value[0] if len(value) == 1 else tuple(value))
    return out


def _shown_labels(conn: sqlite3.Connection, rank: SourceRank) -> dict[int, list[str]]:
    """Raw label strings of every album, from its best-ranked source."""
    raw = _grouped(
        conn,
        "SELECT al.album_id, al.source, l.name FROM album_labels AS al JOIN labels"
        " AS l ON l.id = al.label_id ORDER BY al.album_id, al.position, l.name",
    )
    return {album: [str(n) for n in rank.best(rows)] for album, rows in raw.items()}


def _load_albums(
    conn: sqlite3.Connection, folder: LabelFolder, shown: dict[int, list[str]]
) -> dict[int, Album]:
    credits = _grouped(
        conn, "SELECT album_id, artist_id FROM album_artists ORDER BY album_id, position"
    )
    albums = {}
    for id_, name, sid, date, image in conn.execute(
        "SELECT id, name, spotify_id, release_date, image_url FROM albums"
    ):
        labels: list[str] = []
        for raw in shown.get(id_, []):
            labels += [lab for lab in folder.fold(raw) if lab not in labels]
        year = int(date[:4]) if date and date[:4].isdigit() else None
        albums[id_] = Album(
            id_,
            name,
            sid,
            date,
            year,
            image,
            tuple(int(a) for a in credits.get(id_, [])),
            tuple(labels),
        )
    return albums


def _genre_rows(conn: sqlite3.Connection, table: str, column: str) -> dict[int, list[Any]]:
    return _grouped(
        conn,
        f"SELECT x.{column}, x.source, g.name FROM {table} AS x JOIN genres AS g"
        f" ON g.id = x.genre_id ORDER BY x.{column}, x.position, g.name",
    )


def _artist_genres(
    conn: sqlite3.Connection, config: Config, rank: SourceRank
) -> dict[int, tuple[str, ...]]:
    """The genres each artist carries itself (normalised, from its best source)."""
    return {
        artist: _normalised(rank.best(rows), config)
        for artist, rows in _genre_rows(conn, "artist_genres", "artist_id").items()
    }


def _normalised(names: list[Any], config: Config) -> tuple[str, ...]:
    normal = (normalize_genre(str(n), config.genre_synonyms) for n in names)
    return tuple(dict.fromkeys(g for g in normal if g))


def _load_genres(
    conn: sqlite3.Connection, config: Config, rank: SourceRank
) -> dict[int, tuple[str, ...]]:
    """Genres of every track: its own plus those of its credited artists, all from the
    best-ranked source that has any for it."""
    by_track = _genre_rows(conn, "track_genres", "track_id")
    by_artist = _genre_rows(conn, "artist_genres", "artist_id")
    credits = _grouped(
        conn, "SELECT track_id, artist_id FROM track_artists ORDER BY track_id, position"
    )
    out: dict[int, tuple[str, ...]] = {}
    for (track,) in conn.execute("SELECT id FROM tracks"):
        rows = list(by_track.get(track, []))
        for artist in credits.get(track, []):
            rows += by_artist.get(int(artist), [])
        out[track] = _normalised(rank.best(rows), config)
    return out


def _load_tracks(
    conn: sqlite3.Connection, genres: dict[int, tuple[str, ...]], rank: SourceRank
) -> dict[int, Track]:
    credits = _grouped(
        conn, "SELECT track_id, artist_id FROM track_artists ORDER BY track_id, position"
    )
    liked = dict(conn.execute("SELECT track_id, added_at FROM liked").fetchall())
    features = _load_features(conn, rank)
    tracks = {}
    for id_, name, sid, album, duration, explicit, local in conn.execute(
        "SELECT id, name, spotify_id, album_id, duration_ms, explicit, is_local FROM tracks"
    ):
        tracks[id_] = Track(
            id_,
            name,
            sid,
            album,
            tuple(int(a) for a in credits.get(id_, [])),
            duration,
            None if explicit is None else bool(explicit),
            bool(local),
            genres.get(id_, ()),
            features.get(id_),
            id_ in liked,
            liked.get(id_),
        )
    return tracks


def _load_features(conn: sqlite3.Connection, rank: SourceRank) -> dict[int, dict[str, float]]:
    """Audio features per track: each feature from the best-ranked source that has it
    (Deezer's BPM may stand beside ReccoBeats' other features)."""
    chosen: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    columns = ", ".join(AUDIO_FEATURES)
    for row in conn.execute(f"SELECT track_id, source, {columns} FROM audio_features"):
        order = rank(row[1])
        values = chosen[row[0]]
        for name, value in zip(AUDIO_FEATURES, row[2:], strict=True):
            if value is not None and (name not in values or order < values[name][0]):
                values[name] = (order, float(value))
    return {
        track: {name: values[name][1] for name in AUDIO_FEATURES if name in values}
        for track, values in chosen.items()
        if values
    }


def _load_playlists(conn: sqlite3.Connection) -> list[Playlist]:
    entries = defaultdict(list)
    for pid, kind, track, title, added in conn.execute(
        "SELECT playlist_id, kind, track_id, title, added_at FROM playlist_items"
        " ORDER BY playlist_id, position"
    ):
        entries[pid].append(PlaylistEntry(kind, track, title, added))
    return [
        Playlist(pid, key, name, desc, owner, modified, tuple(entries.get(pid, [])))
        for pid, key, name, desc, owner, modified in conn.execute(
            "SELECT id, key, name, description, owner, last_modified FROM playlists"
            " ORDER BY name, key"
        )
    ]
