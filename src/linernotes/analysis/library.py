"""The library as analysis sees it: one value shown per field, labels and genres folded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linernotes.analysis.genres import genre_family, normalize_genre
from linernotes.analysis.labels import LabelFolder
from linernotes.config import Config
from linernotes.model import (
    AUDIO_FEATURES,
    Playlist,
    SourcedFeatures,
    SourceRank,
    StoredAlbum,
    StoredLibrary,
    StoredTrack,
)


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


def build_library(
    stored: StoredLibrary, config: Config, played: Mapping[int, int] | None = None
) -> Library:
    """The library with one value shown per field: where several sources gave a
    label, genres or an audio feature, the one first in ``[providers] source_order``
    (the others stay on record); labels split and aliases folded, genres
    normalised and given a family. A track no source gave a duration takes the one
    its plays tell (``played``: ms per track id, ``store.history.played_durations``)."""
    rank = SourceRank(config.providers.source_order)
    artists = {
        a.id: Artist(
            a.id, a.name, a.spotify_id, a.followed, _normalised(rank.best(a.genres), config)
        )
        for a in stored.artists.values()
    }
    shown = {album.id: rank.best(album.labels) for album in stored.albums.values()}
    folder = LabelFolder([name for names in shown.values() for name in names], config.label_aliases)
    albums = {a.id: _album(a, folder, shown[a.id]) for a in stored.albums.values()}
    played = played or {}
    tracks = {
        t.id: _track(t, stored, rank, config, played.get(t.id)) for t in stored.tracks.values()
    }
    families = {
        g: genre_family(g, config.genre_families) for t in tracks.values() for g in t.genres
    }
    return Library(artists, albums, tracks, stored.playlists, folder, families)


def _normalised(names: list[str], config: Config) -> tuple[str, ...]:
    normal = (normalize_genre(n, config.genre_synonyms) for n in names)
    return tuple(dict.fromkeys(g for g in normal if g))


def _album(album: StoredAlbum, folder: LabelFolder, shown: list[str]) -> Album:
    labels: list[str] = []
    for raw in shown:
        labels += [lab for lab in folder.fold(raw) if lab not in labels]
    date = album.release_date
    year = int(date[:4]) if date and date[:4].isdigit() else None
    return Album(
        album.id,
        album.name,
        album.spotify_id,
        date,
        year,
        album.image_url,
        album.artist_ids,
        tuple(labels),
    )


def _track(
    track: StoredTrack,
    stored: StoredLibrary,
    rank: SourceRank,
    config: Config,
    played_ms: int | None = None,
) -> Track:
    """A track with its genres (its own plus those of its credited artists, all from
    the best-ranked source that has any for it), its features, and its duration (from
    its plays when no source gave one)."""
    genres = list(track.genres)
    for artist in track.artist_ids:
        genres += stored.artists[artist].genres
    return Track(
        track.id,
        track.name,
        track.spotify_id,
        track.album_id,
        track.artist_ids,
        track.duration_ms or played_ms,
        track.explicit,
        track.is_local,
        _normalised(rank.best(genres), config),
        _features(track.features, rank),
        track.liked,
    )


def _features(given: tuple[SourcedFeatures, ...], rank: SourceRank) -> dict[str, float] | None:
    """Each audio feature from the best-ranked source that has it (Deezer's BPM may
    stand beside ReccoBeats' other features)."""
    chosen: dict[str, tuple[int, float]] = {}
    for row in given:
        order = rank(row.source)
        for name, value in zip(AUDIO_FEATURES, row.values, strict=True):
            if value is not None and (name not in chosen or order < chosen[name][0]):
                chosen[name] = (order, float(value))
    return {name: chosen[name][1] for name in AUDIO_FEATURES if name in chosen} or None
