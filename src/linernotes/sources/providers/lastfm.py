"""Last.fm: track and artist tags as genres (needs the person's own API key).

``?method=track.getTopTags&artist=…&track=…`` and ``artist.getTopTags``
(``format=json``, ``autocorrect=1``). Answers, as saved in
``shared/realdata/providers/lastfm``: ``{"toptags": {"tag": [{"name",
"count"}], "@attr": {…}}}`` with counts as numbers (2023) or strings (2015),
a single tag as an object instead of a list, no tags as ``[]`` or as
``{"#text": "\\n", "artist": …}``; errors as ``{"error": 6, "message": …}``
(6 not found, 10 invalid key, 26 suspended key, 29 rate limit), one body
with a UTF-8 byte-order mark. The key never reaches the cache: requests-cache
leaves ``api_key`` out of cache keys and stored URLs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Self

import msgspec

from linernotes.config import ProvidersConfig
from linernotes.sources.http import RetryPolicy, Verdict
from linernotes.sources.providers.base import Provider, ProviderError, ProviderSession
from linernotes.store.enrichment import GENRE, ArtistFindings, TrackFindings, TrackQuery

NEEDS_KEY = (
    "lastfm needs your API key: set lastfm_api_key under [providers] in linernotes.toml"
    " (or LINERNOTES_LASTFM_API_KEY)"
)
NOT_FOUND = {6}
# operation failed, service offline, temporarily unavailable, rate limit exceeded
TRANSIENT = {8, 11, 16, 29}
MIN_COUNT = 10  # Last.fm scales counts to 100 for the top tag; below 10 is noise
MAX_TAGS = 5
# Tags that say something, but not a genre.
_NOT_GENRES = {
    "seen live",
    "favorites",
    "favourites",
    "favorite",
    "favourite",
    "favorite songs",
    "love",
    "loved",
    "awesome",
    "beautiful",
    "cool",
    "good",
    "great",
    "epic",
    "amazing",
    "my music",
    "albums i own",
    "under 2000 listeners",
    "spotify",
    "female vocalists",
    "male vocalists",
    "female vocalist",
    "male vocalist",
    "usa",
    "uk",
    "american",
    "british",
    "english",
    "australian",
    "canadian",
}
_NON_WORD = re.compile(r"[\W_]+")
_YEARS = re.compile(r"^(?:\d{2}|\d{4})s?$|^(?:19|20)\d\d ?- ?(?:19|20)?\d\d$")


class Tag(msgspec.Struct, frozen=True):
    name: str = ""
    count: int | str | None = None


class TopTags(msgspec.Struct, frozen=True):
    tag: list[Tag] | Tag | None = None


class Answer(msgspec.Struct, frozen=True):
    toptags: TopTags | None = None
    error: int | None = None
    message: str = ""


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a Last.fm answer means: the error code in the body decides."""
    if status == 429:
        return "transient", "HTTP 429"
    if status >= 500 and b'"error"' not in body:
        return "transient", f"HTTP {status}"
    if b'"error"' not in body:  # anywhere: real bodies may put "message" first
        return ("ok", "ok") if status == 200 else ("fatal", f"HTTP {status}")
    try:
        answer = msgspec.json.decode(body.removeprefix(b"\xef\xbb\xbf"), type=Answer)
    except msgspec.DecodeError:
        return "fatal", f"HTTP {status}: unreadable error"
    if answer.error is None:
        return ("ok", "ok") if status == 200 else ("fatal", f"HTTP {status}")
    what = f"{answer.message} (error {answer.error})"
    if answer.error in NOT_FOUND:
        return "not_found", what
    if answer.error in TRANSIENT:
        return "transient", what
    return "fatal", what


def genre_tags(answer: Answer, *names: str) -> tuple[str, ...]:
    """The tags that look like genres, most used first: counts ≥ 10 where counts are
    given, no years or decades, no "seen live", not the artist's or track's name."""
    tags = answer.toptags.tag if answer.toptags else None
    items = [tags] if isinstance(tags, Tag) else list(tags or [])
    skip = {_plain(n) for n in names}
    out: list[str] = []
    for tag in items:
        label = " ".join(tag.name.split())
        key = label.casefold()
        if not label or key in _NOT_GENRES or _YEARS.match(key) or _plain(label) in skip:
            continue
        if tag.count is not None and _count(tag.count) < MIN_COUNT:
            continue
        if key not in (o.casefold() for o in out):
            out.append(label)
        if len(out) == MAX_TAGS:
            break
    return tuple(out)


def _plain(name: str) -> str:
    """Letters and digits only: the tag "ACDC" is the artist AC/DC."""
    return _NON_WORD.sub("", name.casefold())


def _count(value: int | str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


class LastFm(Provider):
    """Genres from Last.fm's top tags of the track and of each credited artist."""

    name = "lastfm"
    supplies = frozenset({GENRE})

    def __init__(self, http: ProviderSession, api_key: str) -> None:
        super().__init__(http)
        self.api_key = api_key

    classify = staticmethod(classify)

    @classmethod
    def from_config(
        cls,
        config: ProvidersConfig,
        cache_dir: Path,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Self:
        """Needs the person's API key; raises :class:`ProviderError` without one."""
        if not config.lastfm_api_key:
            raise ProviderError(NEEDS_KEY)
        return super().from_config(config, cache_dir, policy=policy, sleep=sleep)

    @classmethod
    def open(cls, session: ProviderSession, config: ProvidersConfig) -> Self:
        return cls(session, config.lastfm_api_key)

    def can_look_up(self, track: TrackQuery) -> bool:
        return bool(track.name.strip() and track.artists)

    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        return [self._lookup(track) for track in tracks]

    def _ask(self, method: str, what: str, **params: str) -> Answer | None:
        query = {"method": method, **params, "api_key": self.api_key}
        # requests-cache leaves api_key out of its keys and of the URLs it stores.
        answer = self.http.get("", {**query, "autocorrect": "1", "format": "json"})
        if answer.verdict == "not_found":
            return None
        return self.http.decode(answer, Answer, what)

    def _lookup(self, track: TrackQuery) -> TrackFindings:
        first = track.artists[0].name
        answer = self._ask(
            "track.getTopTags", f"{first} - {track.name}", artist=first, track=track.name
        )
        genres = genre_tags(answer, first, track.name) if answer else ()
        artists = []
        for artist in track.artists:
            if artist.artist_id in self.artists_done:
                continue
            self.artists_done.add(artist.artist_id)
            found = self._ask("artist.getTopTags", artist.name, artist=artist.name)
            tags = genre_tags(found, artist.name) if found else ()
            artists.append(ArtistFindings(artist.artist_id, tags, artist.name if found else None))
        found_any = answer is not None or any(a.external_id for a in artists)
        return TrackFindings(track.track_id, found_any, genres=genres, artists=tuple(artists))
