"""Deezer's public API: album label and genres, track BPM and gain, by ISRC.

No key needed. ``track/isrc:<ISRC>`` answers the same object as ``track/<id>``
(saved bodies in ``shared/realdata/providers/deezer``: ``bpm`` 123 in 2019,
0 — unknown — in 2025; ``gain`` a negative float; ``album.id``), then
``album/<id>`` gives ``label`` and ``genres.data[].name``. Errors come with
HTTP 200: ``{"error": {"type": "DataException", "message": "no data",
"code": 800}}`` for an unknown ISRC, code 4 "Quota limit exceeded" (50
requests per 5 seconds), code 700 "service busy".
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from linernotes.sources.http import Verdict
from linernotes.sources.providers.base import Provider, clean_isrc
from linernotes.store.enrichment import GENRE, LABEL, TrackFindings, TrackQuery

NOT_FOUND, QUOTA, BUSY = 800, 4, 700


class Error(msgspec.Struct, frozen=True):
    type: str = ""
    message: str = ""
    code: int = 0


class Envelope(msgspec.Struct, frozen=True):
    error: Error | None = None


class AlbumRef(msgspec.Struct, frozen=True):
    id: int


class Track(msgspec.Struct, frozen=True):
    id: int
    isrc: str = ""
    bpm: float | None = None
    gain: float | None = None
    album: AlbumRef | None = None


class Genre(msgspec.Struct, frozen=True):
    name: str = ""


class Genres(msgspec.Struct, frozen=True):
    data: list[Genre] = []


class Album(msgspec.Struct, frozen=True):
    id: int
    label: str | None = None
    genres: Genres | None = None


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a Deezer answer means; its errors come with HTTP 200 and a code."""
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    if status == 404:
        return "not_found", "HTTP 404"
    if status != 200:
        return "fatal", f"HTTP {status}"
    if not body.lstrip().startswith(b'{"error"'):
        return "ok", "ok"
    try:
        error = msgspec.json.decode(body, type=Envelope).error
    except msgspec.DecodeError:
        return "ok", "ok"  # not an error envelope after all; decoding will tell
    if error is None:
        return "ok", "ok"
    what = f"{error.message} (code {error.code})"
    if error.code == NOT_FOUND:
        return "not_found", what
    if error.code == QUOTA:
        return "quota", what
    if error.code == BUSY:
        return "transient", what
    return "fatal", what


class Deezer(Provider):
    """Album label and genres, track BPM (as tempo) and gain, by ISRC."""

    name = "deezer"
    supplies = frozenset({LABEL, GENRE, "tempo"})

    classify = staticmethod(classify)

    def can_look_up(self, track: TrackQuery) -> bool:
        return clean_isrc(track.isrc) is not None

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        return [self._lookup(track) for track in tracks]

    def _lookup(self, track: TrackQuery) -> TrackFindings:
        isrc = clean_isrc(track.isrc)
        answer = self.http.get(f"track/isrc:{isrc}")
        if answer.verdict == "not_found":
            return TrackFindings(track.track_id, False)
        found = self.http.decode(answer, Track, f"ISRC {isrc}")
        labels: tuple[str, ...] = ()
        genres: tuple[str, ...] = ()
        if found.album is not None:
            album_answer = self.http.get(f"album/{found.album.id}")
            if album_answer.verdict == "ok":
                album = self.http.decode(album_answer, Album, f"album {found.album.id}")
                labels = (album.label.strip(),) if album.label and album.label.strip() else ()
                listed = album.genres.data if album.genres else []
                genres = tuple(g.name for g in listed if g.name)
        return TrackFindings(
            track.track_id,
            True,
            external_id=str(found.id),
            labels=labels,
            genres=genres,
            features={"tempo": found.bpm} if found.bpm else {},  # 0 means unknown
            gain=found.gain,
        )
