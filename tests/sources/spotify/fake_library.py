"""A generated Spotify library and its JSON in the Web API's 2026 response shapes.

Shapes follow the OpenAPI spec 2026.5.31 (``shared/realdata/web_api/openapi``)
as a development-mode app sees them: no ``popularity``, ``followers``,
``available_markets``, ``label`` or album ``genres``; artist ``genres`` often
missing; playlists carry ``items`` (not ``tracks``) and playlist entries
``item`` (not ``track``); a playlist's entries include episodes, local files and
``null`` (a track no longer available).
"""

from __future__ import annotations

import random
import sqlite3
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

ALPHABET = string.ascii_letters + string.digits
RANGES = ("short_term", "medium_term", "long_term")


def new_id(rng: random.Random) -> str:
    """Return a random 22-character Spotify id."""
    return "".join(rng.choice(ALPHABET) for _ in range(22))


@dataclass
class Artist:
    id: str
    name: str
    genres: list[str] | None = None  # None: the key is missing (2026)


@dataclass
class Album:
    id: str
    name: str
    artists: list[Artist]
    release_date: str
    precision: str = "day"


@dataclass
class Track:
    id: str
    name: str
    album: Album
    artists: list[Artist]
    duration_ms: int
    explicit: bool
    isrc: str
    track_number: int = 1


@dataclass
class Entry:
    """One playlist entry: a track, an episode, a local file or null."""

    kind: str  # "track", "episode", "local", "null"
    added_at: str
    track: Track | None = None
    title: str = ""
    local: tuple[str, str, str] = ("Me Myself", "Tapes", "")  # artist, album, seconds


@dataclass
class Playlist:
    id: str
    name: str
    owner_id: str
    owner_name: str
    entries: list[Entry]
    collaborative: bool = False
    description: str = ""
    version: int = 1

    @property
    def snapshot_id(self) -> str:
        return f"{self.id[:8]}-v{self.version}"


@dataclass
class Library:
    """Everything the fake server knows, for one user."""

    user_id: str = "linernotes-tester"
    display_name: str = "Liner Tester"
    tracks: dict[str, Track] = field(default_factory=dict)
    playlists: list[Playlist] = field(default_factory=list)
    liked: list[tuple[str, str]] = field(default_factory=list)  # (track id, added_at), newest first
    follows: list[Artist] = field(default_factory=list)
    top_tracks: dict[str, list[str]] = field(default_factory=dict)
    top_artists: dict[str, list[Artist]] = field(default_factory=dict)
    recent: list[tuple[str, str]] = field(
        default_factory=list
    )  # (track id, played_at), newest first

    def playlist(self, playlist_id: str) -> Playlist | None:
        return next((p for p in self.playlists if p.id == playlist_id), None)

    def readable(self, playlist: Playlist) -> bool:
        return playlist.owner_id == self.user_id or playlist.collaborative

    def like(self, track_id: str, added_at: str) -> None:
        self.liked.insert(0, (track_id, added_at))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate_library(
    seed: int = 11,
    *,
    tracks: int = 220,
    liked: int = 120,
    owned: tuple[int, ...] = (120, 51, 50, 7, 0),
    collaborative: int = 30,
    followed: int = 2,
    follows: int = 12,
) -> Library:
    """Return a deterministic library: ``owned`` playlist sizes, one collaborative
    playlist, ``followed`` playlists of someone else, Liked Songs, follows, top
    items and recently played."""
    rng = random.Random(seed)
    artists = [
        Artist(new_id(rng), f"Artist {n:03d}", [f"genre {n % 7}"] if n % 3 == 0 else None)
        for n in range(60)
    ]
    albums = []
    for n in range(80):
        credited = [rng.choice(artists)]
        year = 1970 + n % 55
        albums.append(Album(new_id(rng), f"Album {n:03d}", credited, f"{year}-0{1 + n % 9}-15"))
    library = Library()
    for n in range(tracks):
        album = rng.choice(albums)
        credits = list(album.artists)
        if n % 4 == 0:
            credits.append(rng.choice([a for a in artists if a not in credits]))
        track = Track(
            new_id(rng),
            f"Song {n:03d}",
            album,
            credits,
            duration_ms=rng.randint(90_000, 420_000),
            explicit=n % 5 == 0,
            isrc=f"QZ{n:010d}",
            track_number=1 + n % 12,
        )
        library.tracks[track.id] = track
    pool = list(library.tracks.values())
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n, track in enumerate(rng.sample(pool, liked)):
        library.liked.append((track.id, _stamp(start + timedelta(hours=7 * (liked - n)))))

    def entries(size: int, special: bool) -> list[Entry]:
        chosen = [
            Entry("track", _stamp(start + timedelta(days=i)), t)
            for i, t in enumerate(rng.sample(pool, size))
        ]
        if special and size >= 7:
            chosen[2] = Entry("episode", chosen[2].added_at, title="An Episode About Music")
            chosen[4] = Entry("local", chosen[4].added_at, title="Home Recording")
            chosen[5] = Entry("null", chosen[5].added_at)
        return chosen

    me = library.user_id
    for n, size in enumerate(owned):
        library.playlists.append(
            Playlist(
                new_id(rng),
                f"Mine {n}",
                me,
                library.display_name,
                entries(size, n == 3),
                description=f"Playlist &amp; number {n}",
            )
        )
    library.playlists.append(
        Playlist(
            new_id(rng),
            "Shared Mix",
            "a-friend",
            "A Friend",
            entries(collaborative, False),
            collaborative=True,
        )
    )
    for n in range(followed):
        library.playlists.append(
            Playlist(new_id(rng), f"Their Hits {n}", "spotify", "Spotify", entries(25, False))
        )
    library.follows = rng.sample(artists, follows)
    for time_range in RANGES:
        library.top_tracks[time_range] = [t.id for t in rng.sample(pool, 20)]
        library.top_artists[time_range] = rng.sample(artists, 10)
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    library.recent = [
        (t.id, _stamp(now - timedelta(minutes=4 * i))) for i, t in enumerate(rng.sample(pool, 30))
    ]
    return library


def library_from_store(conn: sqlite3.Connection, seed: int = 5) -> Library:
    """Return the library an export in ``conn`` describes, as the Web API would know it:
    the same tracks (by id) with covers, dates, ISRCs and a featured artist on some,
    the same playlists (owned by the user) and Liked Songs."""
    rng = random.Random(seed)
    library = Library()
    artists: dict[str, Artist] = {}
    albums: dict[str, Album] = {}

    known_artists = dict(
        conn.execute("SELECT name, spotify_id FROM artists WHERE spotify_id IS NOT NULL")
    )

    def artist(name: str) -> Artist:
        if name not in artists:
            artist_id = known_artists.get(name) or new_id(rng)
            artists[name] = Artist(artist_id, name, ["indie"] if len(artists) % 2 else None)
        return artists[name]

    credited: dict[int, list[str]] = {}
    for track_row, artist_name in conn.execute(
        "SELECT ta.track_id, ar.name FROM track_artists AS ta JOIN artists AS ar"
        " ON ar.id = ta.artist_id ORDER BY ta.track_id, ta.position"
    ):
        credited.setdefault(track_row, []).append(artist_name)
    rows = conn.execute(
        "SELECT t.id, t.spotify_id, t.name, al.name, al.spotify_id FROM tracks AS t"
        " LEFT JOIN albums AS al ON al.id = t.album_id"
        " WHERE t.spotify_id IS NOT NULL AND t.is_local = 0 ORDER BY t.id"
    ).fetchall()
    for n, (track_row, track_id, name, album_name, album_id) in enumerate(rows):
        names = credited.get(track_row) or ["Unknown Artist"]
        main = artist(names[0])
        album_key = album_id or f"{album_name or name}\x1f{names[0]}"
        if album_key not in albums:
            albums[album_key] = Album(
                album_id or new_id(rng), album_name or name, [main], f"{1990 + n % 30}"
            )
        credits = [artist(a) for a in names]
        if n % 3 == 0 and len(credits) == 1:
            credits.append(artist(f"Guest {n % 9}"))
        library.tracks[track_id] = Track(
            track_id, name, albums[album_key], credits, 200_000 + n, False, f"QZX{n:09d}"
        )
    for row, name in conn.execute("SELECT id, name FROM playlists ORDER BY id").fetchall():
        chosen = [
            _entry(library, kind, sid, title, added_at or "2020-01-01T00:00:00Z", local)
            for kind, sid, title, added_at, *local in conn.execute(
                "SELECT i.kind, t.spotify_id, i.title, i.added_at, ar.name, al.name,"
                " t.duration_ms FROM playlist_items AS i LEFT JOIN tracks AS t"
                " ON t.id = i.track_id LEFT JOIN track_artists AS ta ON ta.track_id = t.id"
                " AND ta.position = 0 LEFT JOIN artists AS ar ON ar.id = ta.artist_id"
                " LEFT JOIN albums AS al ON al.id = t.album_id"
                " WHERE i.playlist_id = ? ORDER BY i.position",
                (row,),
            )
        ]
        library.playlists.append(
            Playlist(new_id(rng), name, library.user_id, library.display_name, chosen)
        )
    liked = conn.execute(
        "SELECT t.spotify_id FROM liked AS l JOIN tracks AS t ON t.id = l.track_id"
        " WHERE t.spotify_id IS NOT NULL ORDER BY t.id"
    ).fetchall()
    base = datetime(2025, 1, 1, tzinfo=UTC)
    library.liked = [(sid, _stamp(base - timedelta(hours=n))) for n, (sid,) in enumerate(liked)]
    return library


def _entry(
    library: Library, kind: str, sid: str | None, title: str, added_at: str, local: list[Any]
) -> Entry:
    if kind == "track" and sid in library.tracks:
        return Entry("track", added_at, library.tracks[sid])
    if kind == "local":
        artist, album, duration = local
        seconds = str((duration or 0) // 1000) if duration else ""
        return Entry("local", added_at, title=title, local=(artist or "", album or "", seconds))
    return Entry("episode", added_at, title=title)


# -- JSON in the 2026 shapes --------------------------------------------------------------


def _links(base: str, kind: str, item_id: str) -> dict[str, Any]:
    return {
        "external_urls": {"spotify": f"https://open.spotify.com/{kind}/{item_id}"},
        "href": f"{base}/{kind}s/{item_id}",
        "id": item_id,
        "type": kind,
        "uri": f"spotify:{kind}:{item_id}",
    }


def images(item_id: str) -> list[dict[str, Any]]:
    return [
        {"url": f"https://i.scdn.co/image/{size}{item_id}", "height": size, "width": size}
        for size in (640, 300, 64)
    ]


def artist_simple(base: str, artist: Artist) -> dict[str, Any]:
    return {**_links(base, "artist", artist.id), "name": artist.name}


def artist_full(base: str, artist: Artist) -> dict[str, Any]:
    body = {**artist_simple(base, artist), "images": images(artist.id)}
    if artist.genres is not None:
        body["genres"] = artist.genres
    return body


def album_simple(base: str, album: Album) -> dict[str, Any]:
    return {
        **_links(base, "album", album.id),
        "album_type": "album",
        "total_tracks": 12,
        "images": images(album.id),
        "name": album.name,
        "release_date": album.release_date,
        "release_date_precision": album.precision,
        "artists": [artist_simple(base, a) for a in album.artists],
    }


def track_full(base: str, track: Track) -> dict[str, Any]:
    return {
        **_links(base, "track", track.id),
        "album": album_simple(base, track.album),
        "artists": [artist_simple(base, a) for a in track.artists],
        "disc_number": 1,
        "duration_ms": track.duration_ms,
        "explicit": track.explicit,
        "external_ids": {"isrc": track.isrc},
        "is_local": False,
        "name": track.name,
        "track_number": track.track_number,
    }


def _user(base: str, user_id: str, name: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_urls": {"spotify": f"https://open.spotify.com/user/{user_id}"},
        "href": f"{base}/users/{user_id}",
        "id": user_id,
        "type": "user",
        "uri": f"spotify:user:{user_id}",
    }
    if name is not None:
        body["display_name"] = name
    return body


def playlist_simple(base: str, playlist: Playlist) -> dict[str, Any]:
    return {
        **_links(base, "playlist", playlist.id),
        "collaborative": playlist.collaborative,
        "description": playlist.description,
        "images": [],
        "name": playlist.name,
        "owner": _user(base, playlist.owner_id, playlist.owner_name),
        "public": False,
        "snapshot_id": playlist.snapshot_id,
        "items": {
            "href": f"{base}/playlists/{playlist.id}/items",
            "total": len(playlist.entries),
        },
    }


def playlist_entry(base: str, entry: Entry, adder: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "added_at": entry.added_at,
        "added_by": _user(base, adder),
        "is_local": entry.kind == "local",
    }
    if entry.kind == "track" and entry.track is not None:
        body["item"] = track_full(base, entry.track)
    elif entry.kind == "episode":
        body["item"] = {
            **_links(base, "episode", "4rOoJ6Egrf8K2IrywzwOMk"),
            "name": entry.title,
            "duration_ms": 1_800_000,
            "show": {"name": "A Show", "id": "38bS44xjbVVZ3No3ByF1dJ"},
        }
    elif entry.kind == "local":
        artist, album, seconds = entry.local
        parts = [quote_plus(part) for part in (artist, album, entry.title)]
        body["item"] = {
            "album": {"name": album, "images": [], "artists": []},
            "artists": [{"name": artist, "id": None, "uri": None, "type": "artist"}],
            "duration_ms": int(seconds or 200) * 1000,
            "id": None,
            "is_local": True,
            "name": entry.title,
            "type": "track",
            "uri": f"spotify:local:{':'.join(parts)}:{seconds or 200}",
        }
    else:
        body["item"] = None
    return body
