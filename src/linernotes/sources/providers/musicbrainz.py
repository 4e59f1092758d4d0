"""MusicBrainz: labels and genres by ISRC (ISRC → recording → release; artist genres).

Web service 2, JSON (``fmt=json``), 1 request per second for musicbrainz.org
(https://musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting): a faster
``musicbrainz_rate`` is only honoured for another host, such as a mirror.
Answers, as saved in ``shared/realdata/providers/musicbrainz``:

* ``isrc/<ISRC>`` → ``{"isrc", "recordings": [{"id", "title", "length", …}]}``
  (musicbrainz-server's LookupISRC test); 404 when no recording has it.
* ``recording/<mbid>?inc=artist-credits+releases+release-groups+genres`` →
  ``artist-credit``, ``releases`` (each with its ``release-group`` types) and
  ``genres`` (Picard's ``recording.json``).
* ``release/<mbid>?inc=labels+genres`` → ``label-info[].label.name`` (Picard's
  ``label_info.json``: a label may be ``null``; RevsRev's release search).
* ``artist/<mbid>?inc=genres`` when an artist credit came without genres.
* 503 with ``{"error": "Your requests are exceeding the allowable rate limit…"}``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

import msgspec

from linernotes.config import ProvidersConfig
from linernotes.sources.http import Verdict
from linernotes.sources.providers.base import Provider, clean_isrc
from linernotes.store.enrichment import GENRE, LABEL, ArtistFindings, TrackFindings, TrackQuery
from linernotes.text import name_key

log = logging.getLogger(__name__)

S = TypeVar("S", bound=msgspec.Struct)
PUBLISHED_RATE = 1.0  # requests per second on musicbrainz.org
# MusicBrainz's special-purpose label for releases without one.
_NO_LABEL = {"[no label]"}


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


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a MusicBrainz answer means: 404 and 400 (an invalid ISRC) find nothing;
    503 is its rate limiter, retried after a pause."""
    if status == 200:
        return "ok", "ok"
    if status in (400, 404):
        return "not_found", f"HTTP {status}"
    if status == 503:
        return "transient", "rate limited (HTTP 503)"
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    return "fatal", f"HTTP {status}: {body[:120].decode('utf-8', 'replace')}"


def ranked_genres(genres: Sequence[Genre]) -> tuple[str, ...]:
    """Genre names, most voted first (ties keep the answer's order)."""
    return tuple(g.name for g in sorted(genres, key=lambda g: -g.count) if g.name.strip())


class MusicBrainz(Provider):
    """Labels (release label-info) and genres (recording, release, artists) by ISRC."""

    name = "musicbrainz"
    supplies = frozenset({LABEL, GENRE})

    classify = staticmethod(classify)

    @classmethod
    def rate(cls, config: ProvidersConfig) -> float:
        """``musicbrainz_rate``, but never above 1/s on musicbrainz.org itself."""
        rate = config.musicbrainz_rate
        host = urlsplit(config.musicbrainz_base).hostname or ""
        if (host == "musicbrainz.org" or host.endswith(".musicbrainz.org")) and (
            rate <= 0 or rate > PUBLISHED_RATE
        ):
            log.warning("musicbrainz.org allows 1 request/s; ignoring musicbrainz_rate=%s", rate)
            rate = PUBLISHED_RATE
        return rate

    def can_look_up(self, track: TrackQuery) -> bool:
        return clean_isrc(track.isrc) is not None

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        return [self._lookup(track) for track in tracks]

    def _get(self, path: str, kind: type[S], what: str) -> S | None:
        answer = self.http.get(path)
        if answer.verdict == "not_found":
            return None
        return self.http.decode(answer, kind, what)

    def _lookup(self, track: TrackQuery) -> TrackFindings:
        isrc = clean_isrc(track.isrc)
        found = self._get(f"isrc/{isrc}?fmt=json", IsrcAnswer, f"ISRC {isrc}")
        if found is None or not found.recordings:
            return TrackFindings(track.track_id, False)
        ref = _best_recording(found.recordings, track)
        recording = self._get(
            f"recording/{ref.id}?inc=artist-credits+releases+release-groups+genres&fmt=json",
            Recording,
            f"recording {ref.id}",
        )
        if recording is None:
            return TrackFindings(track.track_id, False)
        release = self._release(recording.releases, track.album_name)
        labels = tuple(
            dict.fromkeys(
                info.label.name
                for info in (release.label_info if release else [])
                if info.label and info.label.name.strip() and info.label.name not in _NO_LABEL
            )
        )
        genres = ranked_genres(recording.genres) or ranked_genres(release.genres if release else [])
        return TrackFindings(
            track.track_id,
            True,
            external_id=recording.id,
            labels=labels,
            genres=genres,
            artists=self._artists(recording.artist_credit, track),
            album_external_id=release.id if release else None,
        )

    def _release(self, releases: Sequence[ReleaseRef], album: str | None) -> Release | None:
        if not releases:
            return None
        best = min(releases, key=lambda r: release_rank(r, album))
        return self._get(
            f"release/{best.id}?inc=labels+genres&fmt=json", Release, f"release {best.id}"
        )

    def _artists(self, credits: Sequence[Credit], track: TrackQuery) -> tuple[ArtistFindings, ...]:
        out = []
        for ours, credit in match_credits(track, credits):
            if ours in self.artists_done or credit.artist is None:
                continue
            self.artists_done.add(ours)
            genres = credit.artist.genres
            if genres is None:  # the credit came without genres: ask the artist itself
                answer = self._get(
                    f"artist/{credit.artist.id}?inc=genres&fmt=json",
                    ArtistAnswer,
                    f"artist {credit.artist.id}",
                )
                genres = answer.genres if answer else []
            out.append(ArtistFindings(ours, ranked_genres(genres), credit.artist.id))
        return tuple(out)


_EDITION = re.compile(r"\s*(?:[(\[][^)\]]*[)\]]|\s-\s.*)$")


def release_rank(release: ReleaseRef, album: str | None) -> tuple[bool, bool, bool, bool, str]:
    """Sort key of the release that best stands for the track's album: same title (then
    the same once "(Deluxe Edition)"-like suffixes are gone), not a compilation, official,
    earliest."""
    wanted = name_key(album or "")
    group = release.release_group
    compilation = bool(group and "Compilation" in group.secondary_types)
    return (
        name_key(release.title) != wanted,
        name_key(_EDITION.sub("", release.title)) != name_key(_EDITION.sub("", album or "")),
        compilation,
        release.status != "Official",
        release.date or "9999",
    )


def _best_recording(recordings: Sequence[RecordingRef], track: TrackQuery) -> RecordingRef:
    """The recording whose title matches the track, then the one closest in length."""
    wanted = name_key(track.name)

    def distance(r: RecordingRef) -> tuple[bool, int]:
        gap = abs((r.length or 0) - track.duration_ms) if r.length and track.duration_ms else 0
        return name_key(r.title) != wanted, gap

    return min(recordings, key=distance)


def match_credits(track: TrackQuery, credits: Sequence[Credit]) -> list[tuple[int, Credit]]:
    """Pair the track's artists with MusicBrainz credits: by name, else by position
    when both lists have the same length."""
    by_key = {name_key(c.artist.name if c.artist else c.name): c for c in credits}
    by_key.update({name_key(c.name): c for c in credits if c.name})
    pairs = []
    for i, artist in enumerate(track.artists):
        credit = by_key.get(name_key(artist.name))
        if credit is None and len(credits) == len(track.artists):
            credit = credits[i]
        if credit is not None:
            pairs.append((artist.artist_id, credit))
    return pairs
