"""Deezer's public API: album label, genres and cover, track BPM and gain — by ISRC,
or by artist and title for a track known only by its names.

No key needed. ``track/isrc:<ISRC>`` answers the same object as ``track/<id>``
(saved bodies in ``shared/realdata/providers/deezer``: ``bpm`` 123 in 2019,
0 — unknown — in 2025; ``gain`` a negative float; ``album.id`` and its cover
URLs), then ``album/<id>`` gives ``label`` and ``genres.data[].name``.
``search?q=artist:"…" track:"…" album:"…"`` answers ``{"data": [track, …],
"total", "next"}``, each track with ``title`` (its version included: "(Live)"),
``duration`` in seconds, ``artist`` and ``album`` (id, title, covers) but no
ISRC; a result is taken only on a strong match (``matching``). Errors come with
HTTP 200: ``{"error": {"type": "DataException", "message": "no data", "code":
800}}`` for an unknown ISRC, code 4 "Quota limit exceeded" (50 requests per 5
seconds), code 700 "service busy".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import msgspec

from linernotes.sources.http import Verdict
from linernotes.sources.providers.base import Provider, clean_isrc
from linernotes.sources.providers.matching import Candidate, best_match, search_title
from linernotes.store.enrichment import GENRE, LABEL, TrackFindings, TrackQuery
from linernotes.store.identities import NAME_SEARCH, Identity

NOT_FOUND, QUOTA, BUSY = 800, 4, 700
RESULTS = "10"  # search results asked for


class Error(msgspec.Struct, frozen=True):
    type: str = ""
    message: str = ""
    code: int = 0


class Envelope(msgspec.Struct, frozen=True):
    error: Error | None = None


class AlbumRef(msgspec.Struct, frozen=True):
    id: int
    title: str = ""
    cover: str | None = None
    cover_medium: str | None = None
    cover_big: str | None = None
    cover_xl: str | None = None

    def cover_url(self) -> str | None:
        """The 500-pixel cover, else the biggest one given (pages show far smaller)."""
        return self.cover_big or self.cover_xl or self.cover_medium or self.cover or None


class ArtistRef(msgspec.Struct, frozen=True):
    name: str = ""


class Track(msgspec.Struct, frozen=True):
    id: int
    title: str = ""
    isrc: str = ""
    duration: int = 0
    bpm: float | None = None
    gain: float | None = None
    artist: ArtistRef | None = None
    album: AlbumRef | None = None


class Found(msgspec.Struct, frozen=True):
    data: list[Track] = []


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


def search_queries(track: TrackQuery) -> Iterator[str]:
    """Deezer's advanced search, with the album where known, then without it."""
    base = f"artist:{_phrase(track.artists[0].name)} track:{_phrase(search_title(track.name))}"
    if track.album_name and track.album_name.replace('"', "").strip():
        yield f"{base} album:{_phrase(track.album_name)}"
    yield base


def _phrase(text: str) -> str:
    """``text`` in double quotes (a quote inside would end the phrase: dropped)."""
    return '"' + " ".join(text.replace('"', " ").split()) + '"'


def candidate(item: Track) -> Candidate:
    """A search result as the matcher sees it."""
    return Candidate(
        str(item.id),
        item.title,
        (item.artist.name,) if item.artist and item.artist.name else (),
        item.album.title if item.album else "",
        item.duration * 1000 if item.duration > 0 else None,
    )


class Deezer(Provider):
    """Album label, genres and cover, track BPM (as tempo) and gain, by ISRC or names."""

    name = "deezer"
    supplies = frozenset({LABEL, GENRE, "tempo"})

    classify = staticmethod(classify)

    def can_look_up(self, track: TrackQuery) -> bool:
        return clean_isrc(track.isrc) is not None or bool(track.name and track.artists)

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        return [self._lookup(track) for track in tracks]

    def _lookup(self, track: TrackQuery) -> TrackFindings:
        isrc = clean_isrc(track.isrc)
        if isrc is None:
            return self._by_names(track)
        answer = self.http.get(f"track/isrc:{isrc}")
        if answer.verdict == "not_found":
            return TrackFindings(track.track_id, False)
        return self._findings(track, self.http.decode(answer, Track, f"ISRC {isrc}"))

    def _by_names(self, track: TrackQuery) -> TrackFindings:
        for query in search_queries(track):
            answer = self.http.get("search", {"q": query, "limit": RESULTS})
            if answer.verdict != "ok":
                continue
            results = self.http.decode(answer, Found, f"search {query}").data
            by_id = {str(item.id): item for item in results}
            best = best_match(track, [candidate(item) for item in results])
            if best is not None:
                match, score = best
                identity = Identity(
                    self.name,
                    NAME_SEARCH,
                    True,
                    external_id=match.external_id,
                    duration_ms=match.duration_ms,
                    score=score,
                )
                return self._findings(track, by_id[match.external_id], identity)
        missed = Identity(self.name, NAME_SEARCH, False)
        return TrackFindings(track.track_id, False, identity=missed)

    def _findings(
        self, track: TrackQuery, found: Track, identity: Identity | None = None
    ) -> TrackFindings:
        labels: tuple[str, ...] = ()
        genres: tuple[str, ...] = ()
        if found.album is not None:
            album_answer = self.http.get(f"album/{found.album.id}")
            if album_answer.verdict == "ok":
                info = self.http.decode(album_answer, Album, f"album {found.album.id}")
                labels = (info.label.strip(),) if info.label and info.label.strip() else ()
                listed = info.genres.data if info.genres else []
                genres = tuple(g.name for g in listed if g.name)
        return TrackFindings(
            track.track_id,
            True,
            external_id=str(found.id),
            labels=labels,
            genres=genres,
            features={"tempo": found.bpm} if found.bpm else {},  # 0 means unknown
            gain=found.gain,
            identity=identity,
            album_external_id=str(found.album.id) if found.album else None,
            cover_url=found.album.cover_url() if found.album else None,
        )
