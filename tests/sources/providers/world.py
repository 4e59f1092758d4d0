"""A world for the fakes to serve around a real Spotify export.

The export is read here with the ``json`` module, independently of linernotes'
importer: every song an import makes a track of (the library's tracks,
playlist items, extended-history plays with a track URI). About 97 % of the
songs (by artist and title) are known to the world; each known song gets
invented but stable facts — ISRC, duration, label (per album), genres (per
artist), audio features — and, now and then, the spelling a service would give
it ("(Remastered 2011)" for " - Remastered 2011", a "(feat. …)", curly
apostrophes, another album title). The fakes serve the known songs;
Deezer misses a few of them (MusicBrainz knows those), ReccoBeats a few Spotify
ids. A test then checks the pages against the world.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.sources.providers.catalogue import FakeArtist, FakeCatalogue, FakeTrack
from tests.sources.providers.decoys import fold

KNOWN, DEEZER_MISSES, RECCOBEATS_MISSES, NO_FEATURES = 97, 4, 3, 3  # per cent
LABELS = tuple(
    f"{a} {b}"
    for a in ("Harbor", "Quiet", "Northern", "Velvet", "Copper", "Paper")
    for b in ("Records", "Sound", "Music")
)
GENRES = (
    "indie rock",
    "hip hop",
    "deep house",
    "jazz",
    "neo soul",
    "classical",
    "indie folk",
    "reggaeton",
    "bossa nova",
    "synth pop",
    "punk rock",
    "trap",
)
_ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_URI = re.compile(r"^spotify:track:([0-9A-Za-z]{22})$")


def number(*parts: str) -> int:
    """A stable number for ``parts`` (the same on every run)."""
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def fake_id(*parts: str) -> str:
    """A stable 22-character Spotify-style id."""
    n, out = number("id", *parts), []
    for _ in range(22):
        n, r = divmod(n * 7919 + 13, 62)
        out.append(_ID_CHARS[r])
    return "".join(out)


@dataclass(frozen=True)
class Song:
    """What the export says of a song."""

    artist: str
    title: str
    album: str
    spotify_id: str | None

    @property
    def key(self) -> tuple[str, str]:
        return fold(self.artist), fold(self.title)


def export_songs(*folders: Path) -> list[Song]:
    """Every song of the export an import makes a track of, in file order, once each
    (by Spotify id, else by artist and title)."""
    seen: dict[object, Song] = {}
    for path in sorted(p for folder in folders for p in folder.rglob("*.json")):
        for song in _songs(json.loads(path.read_text(encoding="utf-8"))):
            seen.setdefault(song.spotify_id or song.key, song)
    return list(seen.values())


def _songs(data: object) -> Iterator[Song]:
    if isinstance(data, dict):
        for row in data.get("tracks", []) if isinstance(data.get("tracks"), list) else []:
            if row.get("track") and row.get("artist"):
                yield Song(row["artist"], row["track"], row.get("album") or "", _id(row.get("uri")))
        for playlist in data.get("playlists", []) or []:
            for item in playlist.get("items", []) or []:
                track = item.get("track")
                if track and track.get("trackName") and track.get("artistName"):
                    yield Song(
                        track["artistName"],
                        track["trackName"],
                        track.get("albumName") or "",
                        _id(track.get("trackUri")),
                    )
    elif isinstance(data, list):
        for row in data:
            uri = _id(row.get("spotify_track_uri")) if isinstance(row, dict) else None
            if uri and row.get("master_metadata_track_name"):
                yield Song(
                    row.get("master_metadata_album_artist_name") or "",
                    row["master_metadata_track_name"],
                    row.get("master_metadata_album_album_name") or "",
                    uri,
                )


def _id(uri: object) -> str | None:
    match = _URI.match(uri) if isinstance(uri, str) else None
    return match.group(1) if match else None


def played_songs(folder: Path) -> set[tuple[str, str]]:
    """(artist, title) of every music play of the export with time played."""
    played = set()
    for path in sorted(folder.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for row in data if isinstance(data, list) else []:
            if not isinstance(row, dict) or not row.get("msPlayed", row.get("ms_played")):
                continue
            artist = row.get("artistName") or row.get("master_metadata_album_artist_name")
            title = row.get("trackName") or row.get("master_metadata_track_name")
            if artist and title:
                played.add((fold(artist), fold(title)))
    return played


def playlists(folder: Path) -> dict[str, set[tuple[str, str]]]:
    """Each playlist's name and the (artist, title) of its tracks."""
    out: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(folder.rglob("Playlist*.json")):
        for playlist in json.loads(path.read_text(encoding="utf-8")).get("playlists", []):
            songs = out.setdefault(playlist.get("name") or "", set())
            for item in playlist.get("items") or []:
                track = item.get("track") or {}
                if track.get("artistName") and track.get("trackName"):
                    songs.add((fold(track["artistName"]), fold(track["trackName"])))
    return out


@dataclass
class World:
    """The songs of an export, what the services know of them, and what they say."""

    songs: list[Song]
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)
    known: dict[tuple[str, str], list[FakeTrack]] = field(default_factory=dict)
    deezer_misses: set[str] = field(default_factory=set)  # ISRCs
    reccobeats_misses: set[str] = field(default_factory=set)  # ISRCs

    def knows(self, artist: str, title: str) -> bool:
        return (fold(artist), fold(title)) in self.known

    def labels(self, artist: str, title: str) -> set[str]:
        """The labels the services give the song (one per album it is on)."""
        return {t.label for t in self.known.get((fold(artist), fold(title)), [])}

    def deezer_knows(self, track: FakeTrack) -> bool:
        return track.isrc not in self.deezer_misses

    def reccobeats_knows(self, track: FakeTrack) -> bool:
        return track.isrc not in self.reccobeats_misses


def build_world(*folders: Path) -> World:
    """The world around the export in ``folders``."""
    world = World(export_songs(*folders))
    for song in world.songs:
        name = "|".join(song.key)
        if number("known", name) % 100 >= KNOWN:
            continue
        track = _track(song)
        world.catalogue.tracks[track.isrc] = track
        for artist in track.artists:
            world.catalogue.artists.setdefault(artist.spotify_id, artist)
            world.catalogue.artist_genres.setdefault(artist.spotify_id, track.genres)
        world.known.setdefault(song.key, []).append(track)
        if number("deezer", name) % 100 < DEEZER_MISSES:
            world.deezer_misses.add(track.isrc)
        if number("reccobeats", name) % 100 < RECCOBEATS_MISSES:
            world.reccobeats_misses.add(track.isrc)
    return world


def _track(song: Song) -> FakeTrack:
    key = song.spotify_id or "|".join(song.key)
    n = number("track", key)
    artist = FakeArtist(fake_id("artist", fold(song.artist)), song.artist)
    album_key = f"{fold(song.artist)}|{fold(song.album)}"
    first = number("genre", fold(song.artist))
    genres = (GENRES[first % len(GENRES)],)
    if first % 3 == 0:
        genres += (GENRES[(first // 7) % len(GENRES)],)
    return FakeTrack(
        spotify_id=song.spotify_id or fake_id("track", key),
        isrc=f"QZ{_ID_CHARS[10 + n % 26]}{n % 97:02d}{n % 10_000_000:07d}",
        name=spelled(song.title, n),
        duration_ms=140_000 + n % 200_000,
        artists=(artist,),
        album_id=fake_id("album", album_key),
        album_name=spelled_album(song.album, song.artist, number("album", album_key)),
        release_date=f"{1970 + n % 54}-0{1 + n % 9}-1{n % 10}",
        label=LABELS[number("label", album_key) % len(LABELS)],
        genres=tuple(dict.fromkeys(genres)),
        features=None if number("features", key) % 100 < NO_FEATURES else _features(n),
    )


def spelled(title: str, n: int) -> str:
    """How a service spells the title (most often as the export does)."""
    dash = re.match(r"^(.*\S) - ((?:\d{4} )?Remaster(?:ed)?(?: \d{4})?)$", title)
    if dash and n % 2:
        return f"{dash.group(1)} ({dash.group(2)})"
    variant = n % 100
    if variant < 4 and "feat" not in title.casefold():
        return f"{title} (feat. Guest Star)"
    if variant < 8:
        return title.lower()
    if variant < 14 and "'" in title:
        return title.replace("'", "’")
    return title


def spelled_album(album: str, artist: str, n: int) -> str:
    """How a service names the album: now and then with an edition, rarely not at all
    as the export does (then a search by album finds nothing)."""
    if not album or n % 100 >= 15:
        return album
    return f"{album} (Deluxe Edition)" if n % 100 >= 3 else f"The Best of {artist}"


def _features(n: int) -> dict[str, float]:
    share = [((n >> (5 * i)) % 1000) / 1000 for i in range(8)]
    return {
        "danceability": share[0],
        "energy": share[1],
        "key": n % 12,
        "loudness": round(-20 + 18 * share[2], 3),
        "mode": n % 2,
        "speechiness": round(share[3] / 3, 3),
        "acousticness": share[4],
        "instrumentalness": share[5],
        "liveness": round(share[6] / 2, 3),
        "valence": share[7],
        "tempo": round(70 + (n % 1100) / 10, 1),
        "time_signature": 4,
    }
