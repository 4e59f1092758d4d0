"""ReccoBeats: what a Spotify track id is (ISRC, duration), and Spotify-style audio
features, both by Spotify track id in batches.

``GET /v1/track?ids=<id>,<id>,…`` identifies tracks: ``{"content": [{"id":
<ReccoBeats uuid>, "trackTitle", "artists": [{"id", "name", "href"}],
"durationMs", "isrc", "ean", "upc", "href": "https://open.spotify.com/track/<Spotify
id>", "availableCountries", "popularity"}]}`` (``providers/reccobeats/docs/
track_example``), unknown ids left out. That ISRC is what Deezer and MusicBrainz
are asked by.

``GET /v1/audio-features?ids=<id>,<id>,…`` takes Spotify ids or ReccoBeats ids
(https://reccobeats.com/docs/documentation/Resources/resource-id; comma
separated, docs "request and response") and answers ``{"content": [{"id":
<ReccoBeats uuid>, "href": "https://open.spotify.com/track/<Spotify id>",
"acousticness", "danceability", "energy", "instrumentalness", "key",
"liveness", "loudness", "mode", "speechiness", "tempo", "valence"}, …]}``;
ids it does not know are simply absent. The per-track answers saved in
``shared/realdata/providers/reccobeats`` carry the same feature keys (some
without key/mode); there is no time signature.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from linernotes.model import AUDIO_FEATURES, spotify_id
from linernotes.sources.http import Verdict
from linernotes.sources.providers.base import Provider, clean_isrc
from linernotes.store.enrichment import TrackFindings, TrackQuery
from linernotes.store.identities import SPOTIFY_ID, Identity

BATCH = 40


class Features(msgspec.Struct, frozen=True):
    id: str = ""
    href: str = ""
    acousticness: float | None = None
    danceability: float | None = None
    energy: float | None = None
    instrumentalness: float | None = None
    key: int | None = None
    liveness: float | None = None
    loudness: float | None = None
    mode: int | None = None
    speechiness: float | None = None
    tempo: float | None = None
    valence: float | None = None


class Answer(msgspec.Struct, frozen=True):
    content: list[Features] = []


class Track(msgspec.Struct, frozen=True, rename="camel"):
    id: str = ""
    href: str = ""
    track_title: str = ""
    duration_ms: int | None = None
    isrc: str | None = None


class Tracks(msgspec.Struct, frozen=True):
    content: list[Track] = []


SUPPLIED = tuple(n for n in AUDIO_FEATURES if n in Features.__struct_fields__)


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a ReccoBeats answer means (standard HTTP statuses, per its docs)."""
    if status == 200:
        return "ok", "ok"
    if status == 404:
        return "not_found", "HTTP 404"
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    return "fatal", f"HTTP {status}: {body[:120].decode('utf-8', 'replace')}"


class ReccoBeats(Provider):
    """ISRC and duration, and audio features (all of Spotify's but the time
    signature), by Spotify id."""

    name = "reccobeats"
    supplies = frozenset(SUPPLIED)
    batch_size = BATCH
    identifies = True

    classify = staticmethod(classify)

    def can_look_up(self, track: TrackQuery) -> bool:
        return spotify_id(track.spotify_id) is not None

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        ids = ",".join(str(t.spotify_id) for t in tracks)
        answer = self.http.get("audio-features", {"ids": ids})
        by_id: dict[str, Features] = {}
        if answer.verdict == "ok":
            for item in self.http.decode(answer, Answer, f"{len(tracks)} tracks").content:
                key = spotify_id(item.href) or spotify_id(item.id)
                if key:
                    by_id[key] = item
        return [self._findings(track, by_id.get(str(track.spotify_id))) for track in tracks]

    def _findings(self, track: TrackQuery, item: Features | None) -> TrackFindings:
        if item is None:
            return TrackFindings(track.track_id, False)
        values = {n: getattr(item, n) for n in SUPPLIED if getattr(item, n) is not None}
        return TrackFindings(track.track_id, True, external_id=item.id or None, features=values)

    def identify(self, tracks: Sequence[TrackQuery]) -> list[tuple[int, Identity]]:
        ids = ",".join(str(t.spotify_id) for t in tracks)
        answer = self.http.get("track", {"ids": ids})
        by_id: dict[str, Track] = {}
        if answer.verdict == "ok":
            for item in self.http.decode(answer, Tracks, f"{len(tracks)} track ids").content:
                key = spotify_id(item.href)
                if key:
                    by_id[key] = item
        return [(t.track_id, _identity(by_id.get(str(t.spotify_id)))) for t in tracks]


def _identity(item: Track | None) -> Identity:
    if item is None:
        return Identity(ReccoBeats.name, SPOTIFY_ID, False)
    duration = item.duration_ms if item.duration_ms and item.duration_ms > 0 else None
    return Identity(
        ReccoBeats.name,
        SPOTIFY_ID,
        True,
        external_id=item.id or None,
        isrc=clean_isrc(item.isrc),
        duration_ms=duration,
    )
