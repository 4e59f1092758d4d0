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
* ``recording?query=recording:"…" AND artist:"…" AND release:"…"`` (Lucene) for a
  track known only by its names (RevsRev's ``search_recording.json``): a result
  is taken only on a strong match (``matching``), then looked up as above.
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
from linernotes.sources.providers.matching import (
    Candidate,
    best_match,
    markers_in,
    search_title,
)
from linernotes.sources.providers.musicbrainz_shapes import (
    ArtistAnswer,
    Credit,
    Found,
    Genre,
    IsrcAnswer,
    Recording,
    RecordingRef,
    Release,
    ReleaseRef,
    SearchAnswer,
)
from linernotes.store.enrichment import GENRE, LABEL, ArtistFindings, TrackFindings, TrackQuery
from linernotes.store.identities import NAME_SEARCH, Identity
from linernotes.text import name_key

log = logging.getLogger(__name__)

S = TypeVar("S", bound=msgspec.Struct)
PUBLISHED_RATE = 1.0  # requests per second on musicbrainz.org
# MusicBrainz's special-purpose label for releases without one.
_NO_LABEL = {"[no label]"}


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
        return clean_isrc(track.isrc) is not None or bool(track.name and track.artists)

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        return [self._lookup(track) for track in tracks]

    def _get(self, path: str, kind: type[S], what: str) -> S | None:
        answer = self.http.get(path)
        if answer.verdict == "not_found":
            return None
        return self.http.decode(answer, kind, what)

    def _lookup(self, track: TrackQuery) -> TrackFindings:
        isrc = clean_isrc(track.isrc)
        identity = None
        if isrc is None:
            match = self._search(track)
            if match is None:
                missed = Identity(self.name, NAME_SEARCH, False)
                return TrackFindings(track.track_id, False, identity=missed)
            recording_id, identity = match
        else:
            found = self._get(f"isrc/{isrc}?fmt=json", IsrcAnswer, f"ISRC {isrc}")
            if found is None or not found.recordings:
                return TrackFindings(track.track_id, False)
            recording_id = _best_recording(found.recordings, track).id
        recording = self._get(
            f"recording/{recording_id}?inc=artist-credits+releases+release-groups+genres&fmt=json",
            Recording,
            f"recording {recording_id}",
        )
        if recording is None:
            return TrackFindings(track.track_id, False, identity=identity)
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
            # An artist is asked about only when the recording and release have no genre.
            artists=self._artists(recording.artist_credit, track, ask=not genres),
            identity=identity,
            album_external_id=release.id if release else None,
        )

    def _search(self, track: TrackQuery) -> tuple[str, Identity] | None:
        """Search recordings by names; return the strong match's id and identity."""
        for query in search_queries(track):
            answer = self.http.get("recording", {"query": query, "limit": "10", "fmt": "json"})
            if answer.verdict != "ok":
                continue
            results = self.http.decode(answer, SearchAnswer, f"search {query}").recordings
            by_id = {r.id: r for r in results}
            best = best_match(track, [candidate(r, track.album_name) for r in results])
            if best is not None:
                match, score = best
                isrcs = by_id[match.external_id].isrcs
                identity = Identity(
                    self.name,
                    NAME_SEARCH,
                    True,
                    external_id=match.external_id,
                    isrc=clean_isrc(isrcs[0]) if len(isrcs) == 1 else None,
                    duration_ms=match.duration_ms,
                    score=score,
                )
                return match.external_id, identity
        return None

    def _release(self, releases: Sequence[ReleaseRef], album: str | None) -> Release | None:
        if not releases:
            return None
        best = min(releases, key=lambda r: release_rank(r, album))
        return self._get(
            f"release/{best.id}?inc=labels+genres&fmt=json", Release, f"release {best.id}"
        )

    def _artists(
        self, credits: Sequence[Credit], track: TrackQuery, *, ask: bool
    ) -> tuple[ArtistFindings, ...]:
        out = []
        for ours, credit in match_credits(track, credits):
            if ours in self.artists_done or credit.artist is None:
                continue
            genres = credit.artist.genres
            if genres is None and not ask:
                continue
            self.artists_done.add(ours)
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


def lucene_phrase(text: str) -> str:
    """``text`` as a quoted Lucene phrase (a backslash and a quote escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_queries(track: TrackQuery) -> list[str]:
    """The recording search for a track: by title and artist, one request (at one a
    second, a second search by album would cost more than it finds: the album is
    compared after, as ``matching`` does, and a live album is told apart)."""
    return [
        f"recording:{lucene_phrase(search_title(track.name))}"
        f" AND artist:{lucene_phrase(track.artists[0].name)}"
    ]


def candidate(found: Found, album: str | None) -> Candidate:
    """A search result as the matcher sees it; its album is the release named like the
    track's album when it lists one, else a live album when it is on one (then it is
    most likely a live recording), else its first release."""
    titles = [r.title for r in found.releases]
    wanted = name_key(album or "")
    live = next((t for t in titles if "live" in markers_in(t)), None)
    shown = next((t for t in titles if name_key(t) == wanted), live or (titles or [""])[0])
    artists = tuple(c.artist.name if c.artist else c.name for c in found.artist_credit)
    return Candidate(found.id, found.title, artists, shown, found.length or None)
