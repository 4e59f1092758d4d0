"""ReccoBeats: Spotify-style audio features by Spotify track id, in batches.

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
from linernotes.sources.providers.base import Provider
from linernotes.store.enrichment import TrackFindings, TrackQuery

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
    """Audio features (all of Spotify's but the time signature) by Spotify id."""

    name = "reccobeats"
    supplies = frozenset(SUPPLIED)
    batch_size = BATCH

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
