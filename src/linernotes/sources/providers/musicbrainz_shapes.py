"""The JSON shapes of MusicBrainz's web service 2 that linernotes reads (``fmt=json``).

Taken from saved answers in ``shared/realdata/providers/musicbrainz``: Picard's
``recording.json``, ``release.json`` and ``label_info.json``, musicbrainz-server's
ISRC lookup, RevsRev's ``search_recording.json`` (a search answer: ``{"created",
"count", "offset", "recordings": [{"id", "score", "title", "length",
"artist-credit", "releases", "isrcs"}]}``).
"""

from __future__ import annotations

import msgspec


class Genre(msgspec.Struct, frozen=True):
    name: str
    count: int = 0


class Artist(msgspec.Struct, frozen=True):
    id: str
    name: str = ""
    genres: list[Genre] | None = None  # None: the answer did not include genres


class Credit(msgspec.Struct, frozen=True):
    name: str = ""
    artist: Artist | None = None


class ReleaseGroup(msgspec.Struct, frozen=True, rename="kebab"):
    primary_type: str | None = None
    secondary_types: list[str] = []


class ReleaseRef(msgspec.Struct, frozen=True, rename="kebab"):
    id: str
    title: str = ""
    status: str | None = None
    date: str | None = None
    release_group: ReleaseGroup | None = None


class RecordingRef(msgspec.Struct, frozen=True):
    id: str
    title: str = ""
    length: int | None = None


class Found(msgspec.Struct, frozen=True, rename="kebab"):
    """A recording of a search answer: with its credits, releases and ISRCs."""

    id: str
    title: str = ""
    length: int | None = None
    score: int = 0
    artist_credit: list[Credit] = []
    releases: list[ReleaseRef] = []
    isrcs: list[str] = []


class SearchAnswer(msgspec.Struct, frozen=True):
    recordings: list[Found] = []


class IsrcAnswer(msgspec.Struct, frozen=True):
    recordings: list[RecordingRef] = []


class Recording(msgspec.Struct, frozen=True, rename="kebab"):
    id: str
    title: str = ""
    artist_credit: list[Credit] = []
    releases: list[ReleaseRef] = []
    genres: list[Genre] = []


class Label(msgspec.Struct, frozen=True):
    name: str = ""


class LabelInfo(msgspec.Struct, frozen=True):
    label: Label | None = None


class Release(msgspec.Struct, frozen=True, rename="kebab"):
    id: str
    title: str = ""
    label_info: list[LabelInfo] = []
    genres: list[Genre] = []


class ArtistAnswer(msgspec.Struct, frozen=True):
    id: str
    genres: list[Genre] = []
