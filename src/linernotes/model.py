"""Domain records that sources produce and the store accepts.

Sources type raw payloads at their edge and hand these on; nothing further in
sees a raw dict.
"""

from __future__ import annotations

import re

import msgspec

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_URI = re.compile(r"^spotify:(track|album|artist|episode|show|playlist|user):([0-9A-Za-z]{22})$")
_URL = re.compile(
    r"^https?://open\.spotify\.com/(?:intl-[a-z-]+/)?(track|album|artist|episode|show|playlist)/([0-9A-Za-z]{22})"
)

AUDIO_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "time_signature",
)


def spotify_id(value: str | None, kind: str = "track") -> str | None:
    """Return the 22-character id in an id, URI or open.spotify.com URL of ``kind``.

    Returns ``None`` for empty values, local files and anything of another kind.
    """
    if not value:
        return None
    if len(value) == 36 and kind == "track" and value.startswith("spotify:track:"):
        found = value[14:]  # the common case, without a regex
        return found if found.isascii() and found.isalnum() else None
    value = value.strip()
    if _ID.match(value):
        return value
    match = _URI.match(value) or _URL.match(value)
    if match and match.group(1) == kind:
        return match.group(2)
    return None


class ArtistRef(msgspec.Struct, frozen=True):
    """An artist as credited on a track or album."""

    name: str
    spotify_id: str | None = None
    genres: tuple[str, ...] = ()


class AlbumRef(msgspec.Struct, frozen=True):
    """A release: what a track appears on."""

    name: str
    spotify_id: str | None = None
    artists: tuple[ArtistRef, ...] = ()
    release_date: str | None = None
    image_url: str | None = None
    labels: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()


class AudioFeatures(msgspec.Struct, frozen=True):
    """Spotify-style audio features of one track (any may be missing)."""

    danceability: float | None = None
    energy: float | None = None
    key: int | None = None
    loudness: float | None = None
    mode: int | None = None
    speechiness: float | None = None
    acousticness: float | None = None
    instrumentalness: float | None = None
    liveness: float | None = None
    valence: float | None = None
    tempo: float | None = None
    time_signature: int | None = None

    def is_empty(self) -> bool:
        """True when no feature is known."""
        return all(getattr(self, name) is None for name in AUDIO_FEATURES)


class TrackRecord(msgspec.Struct, frozen=True):
    """A track with whatever the source knows about it."""

    name: str
    artists: tuple[ArtistRef, ...]
    spotify_id: str | None = None
    album: AlbumRef | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    isrc: str | None = None
    disc_number: int | None = None
    track_number: int | None = None
    popularity: int | None = None
    is_local: bool = False
    genres: tuple[str, ...] = ()
    features: AudioFeatures | None = None


class PlaylistItem(msgspec.Struct, frozen=True):
    """One entry of a playlist: a track, or an episode/local file kept by name."""

    kind: str  # "track", "local", "episode", "audiobook"
    track: TrackRecord | None = None
    title: str = ""
    added_at: str | None = None
    added_by: str | None = None


class PlaylistRecord(msgspec.Struct, frozen=True):
    """A playlist and its ordered items."""

    key: str  # stable identity: "spotify:<id>" or "name:<name>"
    name: str
    items: tuple[PlaylistItem, ...] = ()
    spotify_id: str | None = None
    description: str | None = None
    owner: str | None = None
    last_modified: str | None = None
    followers: int | None = None


class LikedRecord(msgspec.Struct, frozen=True):
    """A track saved in Liked Songs."""

    track: TrackRecord
    added_at: str | None = None


class PlayRecord(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One stream from the listening history.

    Millions of them pass between processes: encoded as arrays (``array_like``)
    and untracked by the garbage collector (``gc=False``: they hold no cycles).

    ``ts`` is the UTC end time as ISO-8601 (``YYYY-MM-DDTHH:MM:SSZ``);
    ``precision`` is ``second`` (extended history) or ``minute`` (account data).
    """

    ts: str
    ms_played: int
    kind: str  # "music", "podcast", "audiobook", "video"
    precision: str = "second"
    track_id: str | None = None
    track_name: str | None = None
    artist_name: str | None = None
    album_name: str | None = None
    episode_id: str | None = None
    episode_name: str | None = None
    show_name: str | None = None
    reason_start: str | None = None
    reason_end: str | None = None
    shuffle: bool | None = None
    skipped: bool | None = None
    offline: bool | None = None
    incognito: bool | None = None


class SkippedRow(msgspec.Struct, frozen=True):
    """A row of an input file passed over for an impossible value.

    ``where`` says which row ("entry 12", "line 3"), ``reason`` what is wrong
    (the same words for every row with that fault), ``value`` the value, cut short.
    """

    where: str
    reason: str
    value: str
