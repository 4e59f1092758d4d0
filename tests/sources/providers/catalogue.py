"""What the fake providers know: the demo's Exportify CSVs, read with the csv module.

Independent of linernotes' own importer: the fakes serve what the demo planted
(each ISRC's label, genres and audio features), so a test can check that
``enrich`` brings it back.
"""

from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

FEATURE_COLUMNS = {
    "Danceability": "danceability",
    "Energy": "energy",
    "Key": "key",
    "Loudness": "loudness",
    "Mode": "mode",
    "Speechiness": "speechiness",
    "Acousticness": "acousticness",
    "Instrumentalness": "instrumentalness",
    "Liveness": "liveness",
    "Valence": "valence",
    "Tempo": "tempo",
    "Time Signature": "time_signature",
}
INTEGER_FEATURES = {"key", "mode", "time_signature"}
_NAME_SPLIT = re.compile(r"(?<!\\), ")


@dataclass(frozen=True)
class FakeArtist:
    spotify_id: str
    name: str


@dataclass(frozen=True)
class FakeTrack:
    """One Exportify row: a track with what the providers will say about it."""

    spotify_id: str
    isrc: str
    name: str
    duration_ms: int
    artists: tuple[FakeArtist, ...]
    album_id: str
    album_name: str
    release_date: str
    label: str
    genres: tuple[str, ...]
    features: dict[str, float] | None


@dataclass
class FakeCatalogue:
    """Tracks by ISRC, artists' own genres (from their solo rows), albums' tracks."""

    tracks: dict[str, FakeTrack] = field(default_factory=dict)
    artist_genres: dict[str, tuple[str, ...]] = field(default_factory=dict)
    artists: dict[str, FakeArtist] = field(default_factory=dict)

    def by_spotify_id(self) -> dict[str, FakeTrack]:
        return {t.spotify_id: t for t in self.tracks.values()}

    def album(self, album_id: str) -> list[FakeTrack]:
        return [t for t in self.tracks.values() if t.album_id == album_id]


def mbid(kind: str, key: str) -> str:
    """A stable MusicBrainz-style id for an entity of the catalogue."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"linernotes-fake:{kind}:{key}"))


def numeric_id(key: str) -> int:
    """A stable Deezer-style numeric id."""
    return int(uuid.uuid5(uuid.NAMESPACE_URL, key).int % 3_000_000_000) + 1


def read_catalogue(folder: Path) -> FakeCatalogue:
    """Read every Exportify CSV under ``folder``."""
    catalogue = FakeCatalogue()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                _add(catalogue, row)
    return catalogue


def _add(catalogue: FakeCatalogue, row: dict[str, str]) -> None:
    isrc = row["ISRC"].strip()
    if not isrc or not row["Track URI"].startswith("spotify:track:"):
        return
    names = [n.replace("\\,", ",") for n in _NAME_SPLIT.split(row["Artist Name(s)"])]
    ids = [u.strip().rsplit(":", 1)[-1] for u in row["Artist URI(s)"].split(",") if u.strip()]
    artists = tuple(FakeArtist(i, n) for i, n in zip(ids, names, strict=True))
    genres = tuple(g.strip() for g in row["Artist Genres"].split(",") if g.strip())
    features = None
    if row["Danceability"].strip():
        features = {
            key: (int(row[column]) if key in INTEGER_FEATURES else float(row[column]))
            for column, key in FEATURE_COLUMNS.items()
        }
    track = FakeTrack(
        spotify_id=row["Track URI"].rsplit(":", 1)[-1],
        isrc=isrc,
        name=row["Track Name"],
        duration_ms=int(row["Track Duration (ms)"]),
        artists=artists,
        album_id=row["Album URI"].rsplit(":", 1)[-1],
        album_name=row["Album Name"],
        release_date=row["Album Release Date"],
        label=row["Label"],
        genres=genres,
        features=features,
    )
    catalogue.tracks.setdefault(isrc, track)
    for artist in artists:
        catalogue.artists.setdefault(artist.spotify_id, artist)
    if len(artists) == 1:
        catalogue.artist_genres.setdefault(artists[0].spotify_id, genres)
