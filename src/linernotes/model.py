"""Domain records that sources produce and the store accepts.

Sources type raw payloads at their edge and hand these on; nothing further in
sees a raw dict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import msgspec
import numpy as np

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_URI = re.compile(r"^spotify:(track|album|artist|episode|show|playlist|user):([0-9A-Za-z]{22})$")
_URL = re.compile(
    r"^https?://open\.spotify\.com/(?:intl-[a-z-]+/)?(track|album|artist|episode|show|playlist)/([0-9A-Za-z]{22})"
)

# What a play is ("unknown": a history row without any metadata).
PlayKind = Literal["music", "podcast", "audiobook", "video", "unknown"]
# How precise a play's time is: the extended history's second or account data's minute.
Precision = Literal["second", "minute"]
# What a playlist entry holds: a track, a local file, or an episode/chapter kept by name.
ItemKind = Literal["track", "local", "episode", "audiobook"]
# Where a record came from: the Web API, the account-data export, an Exportify CSV,
# the demo generator or an open-data provider.
Source = Literal[
    "spotify", "export", "exportify", "demo", "musicbrainz", "deezer", "reccobeats", "lastfm"
]
# What an input file holds: account data (playlists, library, follows, the history to
# the minute), an Exportify CSV, or the extended history (audio or video).
FileKind = Literal[
    "playlists", "library", "follow", "exportify", "extended", "video", "account_history"
]

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

    kind: ItemKind
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
    kind: PlayKind
    precision: Precision = "second"
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


# -- What the store gives back: records with the source of every enriched value ----------


class Sourced(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A value (a genre or label name) and the source that gave it."""

    source: Source
    value: str


class SourcedFeatures(msgspec.Struct, frozen=True, gc=False):
    """The audio features one source gave a track (``None`` where it gave none)."""

    source: Source
    values: tuple[float | None, ...]  # in AUDIO_FEATURES order


class StoredArtist(msgspec.Struct, frozen=True, gc=False):
    """An artist as stored, with the genres every source gave it (in position order)."""

    id: int
    name: str
    spotify_id: str | None
    followed: bool
    genres: tuple[Sourced, ...] = ()


class StoredAlbum(msgspec.Struct, frozen=True, gc=False):
    """A release as stored: credited artists in order and every source's label strings."""

    id: int
    name: str
    spotify_id: str | None
    release_date: str | None
    image_url: str | None
    artist_ids: tuple[int, ...] = ()
    labels: tuple[Sourced, ...] = ()


class StoredTrack(msgspec.Struct, frozen=True, gc=False):
    """A track as stored, with its own genres and every source's audio features."""

    id: int
    name: str
    spotify_id: str | None
    album_id: int | None
    artist_ids: tuple[int, ...]
    duration_ms: int | None
    explicit: bool | None
    is_local: bool
    liked: bool
    genres: tuple[Sourced, ...] = ()
    features: tuple[SourcedFeatures, ...] = ()


class PlaylistEntry(msgspec.Struct, frozen=True, gc=False):
    """One entry of a stored playlist (``track_id`` None for episodes and unknowns)."""

    kind: ItemKind
    track_id: int | None
    title: str
    added_at: str | None


class Playlist(msgspec.Struct, frozen=True, gc=False):
    """A stored playlist; ``track_ids`` are its music tracks in order, each once."""

    id: int
    key: str
    name: str
    description: str | None
    owner: str | None
    last_modified: str | None
    entries: tuple[PlaylistEntry, ...]
    track_ids: tuple[int, ...]


class StoredLibrary(msgspec.Struct, frozen=True):
    """The whole library as the store holds it, keyed by row id (playlists by name)."""

    artists: dict[int, StoredArtist]
    albums: dict[int, StoredAlbum]
    tracks: dict[int, StoredTrack]
    playlists: list[Playlist]


class SlugRow(msgspec.Struct, frozen=True):
    """A slug given to an entity: its folder name under ``kind`` (playlists, artists…)."""

    kind: str
    entity_key: str
    slug: str


class ClusterMember(msgspec.Struct, frozen=True):
    """A track's cluster on one cluster page, remembered so that the next build's
    clusters keep their numbers: ``page_kind`` "playlist" (``page_key`` = the
    playlist's key) or "genre" (the genre); ``number`` 0 = an odd one out."""

    page_kind: str
    page_key: str
    track_id: int
    number: int


# Music listening of one track in one calendar year: (track id, year, ms played, plays).
TrackYear = tuple[int, int, int, int]
# One music play matched to a track: (end of play in epoch seconds, ms played, track id).
TimedPlay = tuple[int, int, int]


class HistorySummary(msgspec.Struct, frozen=True):
    """What the streaming history holds, by kind of play."""

    plays_by_kind: dict[str, int]
    first: str | None
    last: str | None
    unresolved: int


# Bits of PlayColumns.flags.
FWDBTN = 1  # the play ended because the person pressed "next" (extended history only)
MINUTE = 2  # the play comes from account data (its time is to the minute)


@dataclass(frozen=True)
class PlayColumns:
    """Every music play of the history as columns, sorted by end time.

    ``ref`` is the play's track id, or ``-(k + 1)`` for ``songs[k]``: a song known
    only by the names in the history (not matched to a track of the library).
    """

    end: np.ndarray  # int64: UTC end time of the play, epoch seconds
    ms: np.ndarray  # int64: milliseconds played
    ref: np.ndarray  # int64
    flags: np.ndarray  # uint8: FWDBTN | MINUTE
    songs: tuple[tuple[str, str, str], ...]  # (track name, artist name, album name)

    def __len__(self) -> int:
        return len(self.end)


class PodcastTotal(msgspec.Struct, frozen=True, array_like=True):
    """Podcast or audiobook listening of one episode (or chapter): streams, time, span."""

    kind: str  # "podcast" or "audiobook"
    show: str  # the show, or the audiobook's title
    episode: str  # the episode, or the chapter
    streams: int
    ms: int
    first: str  # UTC end time of the first and last stream
    last: str
    minute_streams: int  # how many come from account data (time to the minute)


class SourceRank:
    """The one rule for which source wins: the order of ``[providers] source_order``;
    sources it does not name come after every named one."""

    def __init__(self, order: Sequence[str]) -> None:
        self._rank = {source: i for i, source in enumerate(order)}

    def __call__(self, source: str) -> int:
        return self._rank.get(source, len(self._rank))

    def best(self, values: Iterable[Sourced]) -> list[str]:
        """The values of the best-ranked source among ``values``, in their order."""
        values = list(values)
        if not values:
            return []
        top = min((self(v.source), v.source) for v in values)[1]
        return [v.value for v in values if v.source == top]


# Whose item list wins when two sources describe the same playlist: the most complete
# one, so not the order of enriched values (``source_order``) — Exportify drops podcast
# episodes and local files that the account-data export and the Web API list.
PLAYLIST_ITEMS_RANK = SourceRank(("spotify", "export", "exportify", "demo"))
