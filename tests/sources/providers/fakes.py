"""Loopback fakes of MusicBrainz, Deezer, ReccoBeats and Last.fm (real HTTP, real shapes).

Each fake is a ``ThreadingHTTPServer`` on 127.0.0.1 that answers the endpoints
linernotes uses with bodies shaped like the providers' real answers (see
README.md for the file or document behind every shape), built from a
:class:`FakeCatalogue`. Every request is logged with its arrival time; faults
(an HTTP status, an error body) can be injected for the next requests.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import parse_qs, quote_plus, urlsplit

from tests.sources.providers.catalogue import FakeCatalogue, FakeTrack, mbid, numeric_id
from tests.sources.providers.decoys import (
    DECOY_GENRE,
    DECOY_LABEL,
    Decoy,
    SearchIndex,
    phrases,
)

MB_RATE_LIMITED = (
    b'{"error": "Your requests are exceeding the allowable rate limit. Please see'
    b' http://wiki.musicbrainz.org/XMLWebService for more information."}'
)
MB_NOT_FOUND = (
    b'{"error":"Not Found","help":"For usage, please see: https://musicbrainz.org/development/mmd"}'
)
DEEZER_NO_DATA = b'{"error":{"type":"DataException","message":"no data","code":800}}'
DEEZER_QUOTA = b'{"error":{"type":"Exception","message":"Quota limit exceeded","code":4}}'
LASTFM_INVALID_KEY = (
    b'{"error":10,"message":"Invalid API key - You must be granted a valid key by last.fm"}'
)
LASTFM_RATE_LIMIT = (
    b'{"message":"Rate Limit Exceeded - This application has made too many requests in a short'
    b' period.","error":29}'
)
LASTFM_NO_ARTIST = b'{"error":6,"message":"The artist you supplied could not be found","links":[]}'
LASTFM_NO_METHOD = (
    b'{"error":3,"message":"Invalid Method - No method with that name in this package","links":[]}'
)
LASTFM_KEY = "0123456789abcdef0123456789abcdef"
# The least gap between two arrivals the strict MusicBrainz fake accepts (see there).
ARRIVAL_JITTER_FLOOR = 0.95


@dataclass(frozen=True)
class Request:
    at: float  # time.monotonic() when it arrived
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def param(self, name: str) -> str:
        return self.query.get(name, [""])[0]


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fault:
    reply: Reply
    times: int | None  # None: until cleared
    match: str
    after: int  # matching requests still answered normally before the fault starts


def dumps(document: object, *, escape_slashes: bool = False) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("/", "\\/") if escape_slashes else text).encode()


class FakeService:
    """Routes GET requests to :meth:`answer`; logs them; serves injected faults first."""

    name = "fake"

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.replies: list[int] = []
        self.base_url = ""
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()

    def fail(self, reply: Reply, *, times: int | None = 1, match: str = "", after: int = 0) -> None:
        """Answer ``times`` requests whose path contains ``match`` with ``reply`` (None:
        all of them until :meth:`clear_faults`), once ``after`` of them went through."""
        with self._lock:
            self._faults.append(_Fault(reply, times, match, after))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def handle(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            reply = self._fault(request) or self.answer(request)
            self.replies.append(reply.status)
        return reply

    def _fault(self, request: Request) -> Reply | None:
        for fault in self._faults:
            if fault.match in request.path:
                if fault.after > 0:
                    fault.after -= 1
                    return None
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault.reply
        return None

    def answer(self, request: Request) -> Reply:
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold every answer back for 40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        request = Request(
            time.monotonic(),
            split.path,
            parse_qs(split.query),
            {k: v for k, v in self.headers.items()},
        )
        reply = self.server.service.handle(request)
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: FakeService


S = TypeVar("S", bound="FakeService")


@contextmanager
def serving(service: S, prefix: str) -> Iterator[S]:
    """Run ``service`` on a free loopback port; its base URL ends with ``prefix``."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.service = service
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


def _genres(names: tuple[str, ...]) -> list[dict[str, object]]:
    """MusicBrainz genre list: alphabetical, with vote counts (most voted = first planted)."""
    counted = [
        {"name": g, "count": len(names) - i, "id": mbid("genre", g), "disambiguation": ""}
        for i, g in enumerate(names)
    ]
    return sorted(counted, key=lambda g: str(g["name"]))


DECOY = "Now That's Music! 3"


def _group(title: str, secondary: list[str]) -> dict[str, object]:
    return {
        "id": mbid("release-group", title),
        "title": title,
        "primary-type": "Album",
        "secondary-types": secondary,
        "disambiguation": "",
    }


class MusicBrainzFake(FakeService):
    """``/ws/2/isrc|recording|release|artist`` (JSON), honouring ``inc``; 404 when unknown;
    ``/ws/2/recording?query=`` searches (Lucene phrases), decoys among the results.

    ``strict_rate``: like musicbrainz.org, answer 503 to a request less than a
    second (``min_gap``) after the previous one. ``inline_artist_genres``: put genres in the
    artist credits (else the client must look the artists up).
    """

    name = "musicbrainz"

    def __init__(
        self,
        catalogue: FakeCatalogue,
        *,
        strict_rate: bool = False,
        min_gap: float = ARRIVAL_JITTER_FLOOR,
        inline_artist_genres: bool = False,
        knows: Callable[[FakeTrack], bool] = lambda track: True,
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.strict_rate = strict_rate
        self.min_gap = min_gap
        self.inline_artist_genres = inline_artist_genres
        self.knows = knows
        self.recordings = {mbid("recording", t.isrc): t for t in catalogue.tracks.values()}
        self.releases = {mbid("release", t.album_id): t for t in catalogue.tracks.values()}
        self.decoys = {mbid("decoy", t.isrc): t for t in catalogue.tracks.values()}
        self.artists = {mbid("artist", a): a for a in catalogue.artists}
        self.index = SearchIndex(catalogue)
        self._last = float("-inf")

    def handle(self, request: Request) -> Reply:
        if self.strict_rate:
            with self._lock:
                # Arrival times, shifted by scheduling on a loaded machine by tens of
                # milliseconds: a client that sends 1.02 s apart arrives >= 0.95 s apart.
                too_soon = request.at - self._last < self.min_gap
                self._last = request.at
            if too_soon:
                self.requests.append(request)
                self.replies.append(503)
                return Reply(503, MB_RATE_LIMITED)
        return super().handle(request)

    def answer(self, request: Request) -> Reply:
        if not request.headers.get("User-Agent"):
            return Reply(403, b'{"error": "Please provide a meaningful User-Agent"}')
        if request.param("fmt") != "json":
            return Reply(400, b'{"error": "fmt=json expected by this fake"}')
        parts = request.path.removeprefix("/ws/2/").split("/")
        if parts == ["recording"] and request.param("query"):
            return Reply(200, dumps(self._search(request.param("query"))))
        if len(parts) != 2:
            return Reply(404, MB_NOT_FOUND)
        kind, key = parts
        inc = set(request.param("inc").replace("+", " ").split())
        body = getattr(self, f"_{kind}", lambda key, inc: None)(key, inc)
        return Reply(404, MB_NOT_FOUND) if body is None else Reply(200, dumps(body))

    def _isrc(self, isrc: str, inc: set[str]) -> object:
        track = self.catalogue.tracks.get(isrc)
        if track is None or not self.knows(track):
            return None
        return {"isrc": isrc, "recordings": [self._recording_ref(track)]}

    def _recording_ref(self, track: FakeTrack) -> dict[str, object]:
        return {
            "disambiguation": "",
            "id": mbid("recording", track.isrc),
            "length": track.duration_ms,
            "title": track.name,
            "video": False,
            "first-release-date": track.release_date,
        }

    def _search(self, query: str) -> object:
        """A recording search: ``recording:"…" AND artist:"…"`` (``release:"…"``)."""
        asked = phrases(query, lucene=True)
        found = self.index.search(
            asked.get("artist", ""), asked.get("recording", ""), asked.get("release", "")
        )
        recordings = []
        for item in found:
            if isinstance(item, Decoy):
                recordings.append(self._decoy_recording(item) | {"score": 92})
            elif self.knows(item):
                body = self._recording(mbid("recording", item.isrc), {"artist-credits", "releases"})
                assert isinstance(body, dict)
                recordings.append(body | {"score": 100, "isrcs": [item.isrc]})
        return {
            "created": "2026-01-01T00:00:00.000Z",
            "count": len(recordings),
            "offset": 0,
            "recordings": recordings,
        }

    def _decoy_recording(self, decoy: Decoy) -> dict[str, object]:
        release = self._release_ref(decoy.release_mbid, decoy.album, "2001-01-01")
        release["release-group"] = _group(decoy.album, [])
        return {
            "id": decoy.mbid,
            "title": decoy.title,
            "length": decoy.duration_ms,
            "video": None,
            "first-release-date": "2001-01-01",
            "artist-credit": [
                {
                    "name": decoy.artist,
                    "artist": {
                        "id": mbid("decoy-artist", decoy.artist),
                        "name": decoy.artist,
                        "sort-name": decoy.artist,
                    },
                }
            ],
            "releases": [release],
            "genres": [{"name": DECOY_GENRE, "count": 3}],
        }

    def _recording(self, key: str, inc: set[str]) -> object:
        decoy = self.index.decoy(key)
        if decoy is not None:
            return self._decoy_recording(decoy)
        track = self.recordings.get(key)
        if track is None:
            return None
        body = self._recording_ref(track)
        if "artist-credits" in inc:
            body["artist-credit"] = [
                {
                    "name": a.name,
                    "joinphrase": ", " if i < len(track.artists) - 1 else "",
                    "artist": self._artist_ref(a.spotify_id, "genres" in inc),
                }
                for i, a in enumerate(track.artists)
            ]
        if "releases" in inc:
            decoy = self._release_ref(mbid("decoy", track.isrc), DECOY, "1990-01-01")
            album = self._release_ref(
                mbid("release", track.album_id), track.album_name, track.release_date
            )
            if "release-groups" in inc:
                decoy["release-group"] = _group(DECOY, ["Compilation"])
                album["release-group"] = _group(track.album_name, [])
            body["releases"] = [decoy, album]
        if "genres" in inc:
            body["genres"] = _genres(track.genres)
        if "tags" in inc:
            body["tags"] = [{"name": g, "count": 1} for g in sorted(track.genres)]
        return body

    def _artist_ref(self, spotify_id: str, with_genres: bool) -> dict[str, object]:
        artist = self.catalogue.artists[spotify_id]
        ref: dict[str, object] = {
            "id": mbid("artist", spotify_id),
            "name": artist.name,
            "sort-name": artist.name,
            "disambiguation": "",
        }
        if with_genres and self.inline_artist_genres:
            ref["genres"] = _genres(self.catalogue.artist_genres.get(spotify_id, ()))
        return ref

    @staticmethod
    def _release_ref(release_id: str, title: str, date: str) -> dict[str, object]:
        return {
            "id": release_id,
            "title": title,
            "status": "Official",
            "status-id": "4e304316-386d-3409-af2e-78857eec5cfe",
            "quality": "normal",
            "disambiguation": "",
            "date": date,
            "country": "XW",
            "packaging": None,
            "barcode": None,
            "text-representation": {"language": None, "script": None},
        }

    def _release(self, key: str, inc: set[str]) -> object:
        track = self.releases.get(key)
        decoy = self.decoys.get(key)
        searched = self.index.decoy(key)
        if track is None and decoy is None and searched is None:
            return None
        if track is not None:
            body = self._release_ref(key, track.album_name, track.release_date)
            names = [n for n in _CO_RELEASE.split(track.label) if n.strip()]
        elif searched is not None:
            body = self._release_ref(key, searched.album, "2001-01-01")
            names = [DECOY_LABEL]
        else:
            body = self._release_ref(key, DECOY, "1990-01-01")
            names = ["Decoy Compilations"]
        if "labels" in inc:
            body["label-info"] = [
                {
                    "catalog-number": None,
                    "label": {
                        "id": mbid("label", name),
                        "name": name,
                        "sort-name": name,
                        "disambiguation": "",
                        "label-code": None,
                        "type": None,
                        "type-id": None,
                    },
                }
                for name in names
            ] + [{"catalog-number": "[None]", "label": None}]
        if "genres" in inc:
            body["genres"] = []
        return body

    def _artist(self, key: str, inc: set[str]) -> object:
        spotify_id = self.artists.get(key)
        if spotify_id is None:
            return None
        body = self._artist_ref(spotify_id, False)
        body |= {
            "type": "Person",
            "country": None,
            "life-span": {"begin": None, "end": None, "ended": False},
        }
        if "genres" in inc:
            body["genres"] = _genres(self.catalogue.artist_genres.get(spotify_id, ()))
        return body


_CO_RELEASE = re.compile(r", |/")
# Deezer's coarse album genres (id, name), chosen by a keyword of the first planted genre.
_DEEZER_GENRES = (
    (("hip hop", "trap", "boom bap"), (116, "Rap/Hip Hop")),
    (("house", "techno", "drum and bass"), (106, "Electro")),
    (("jazz", "bebop", "bop"), (129, "Jazz")),
    (("soul", "r&b"), (165, "R&B")),
    (("classical", "baroque"), (98, "Classical")),
    (("folk",), (466, "Folk")),
    (("reggaeton", "cumbia", "latin"), (197, "Latin Music")),
    (("bossa", "mpb", "chanson"), (75, "Brazilian Music")),
    (("rock", "shoegaze", "punk"), (152, "Rock")),
)


def deezer_genre(genres: tuple[str, ...]) -> tuple[int, str] | None:
    """The album's Deezer genre; None for an album with no planted genre (Deezer then
    answers ``"genre_id": -1`` and an empty list)."""
    if not genres:
        return None
    for keywords, genre in _DEEZER_GENRES:
        if any(k in genres[0] for k in keywords):
            return genre
    return 132, "Pop"


class DeezerFake(FakeService):
    """``/track/isrc:<ISRC>``, ``/album/<id>`` and ``/search?q=artist:"…" track:"…"
    album:"…"`` as api.deezer.com answers them (``\\/``-escaped slashes, errors with
    HTTP 200, decoys among search results), and the cover images they link to.

    ``knows``: the tracks it has (the others are "no data" and never found);
    ``quota``: at most that many requests in that many seconds, as Deezer's 50 in 5
    s, else error code 4 (None: no limit).
    """

    name = "deezer"

    def __init__(
        self,
        catalogue: FakeCatalogue,
        *,
        knows: Callable[[FakeTrack], bool] = lambda track: True,
        quota: tuple[int, float] | None = None,
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.knows = knows
        self.quota = quota
        self.albums = {
            numeric_id("album:" + t.album_id): t.album_id for t in catalogue.tracks.values()
        }
        self.index = SearchIndex(catalogue)
        self.covers: dict[str, int] = {}  # cover file name → album id, as served
        self._recent: list[float] = []

    def handle(self, request: Request) -> Reply:
        if self.quota is not None:
            most, seconds = self.quota
            with self._lock:
                self._recent = [t for t in self._recent if request.at - t < seconds]
                self._recent.append(request.at)
                over = len(self._recent) > most
            if over:
                with self._lock:
                    self.requests.append(request)
                    self.replies.append(4)
                return Reply(200, DEEZER_QUOTA)
        return super().handle(request)

    def answer(self, request: Request) -> Reply:
        path = request.path.strip("/")
        body: object = None
        if path.startswith("track/isrc:"):
            track = self.catalogue.tracks.get(path.removeprefix("track/isrc:"))
            body = self._track(track) if track and self.knows(track) else None
        elif path.startswith("album/") and path.removeprefix("album/").isdigit():
            album_id = int(path.removeprefix("album/"))
            album = self.albums.get(album_id)
            decoy = self.index.decoy(album_id)
            body = self._album(album) if album else self._decoy_album(decoy) if decoy else None
        elif path == "search":
            body = self._search(request.param("q"), int(request.param("limit") or 25))
        elif path.startswith("images/cover/"):
            return Reply(200, cover_jpeg(path), {"Content-Type": "image/jpeg"})
        if body is None:
            return Reply(200, DEEZER_NO_DATA)
        return Reply(200, dumps(body, escape_slashes=True))

    def _covers(self, album_id: int) -> dict[str, str]:
        """An album's cover URLs: ``cover`` on api.deezer.com as in the real answers, the
        sized ones served by this fake (real ones are on Deezer's image CDN)."""
        md5 = f"{album_id:032x}"[-32:]
        return {
            "cover": f"https://api.deezer.com/album/{album_id}/image",
            **{
                f"cover_{size}": f"{self.base_url}images/cover/{md5}/{px}x{px}-000000-80-0-0.jpg"
                for size, px in (("small", 56), ("medium", 250), ("big", 500), ("xl", 1000))
            },
            "md5_image": md5,
        }

    def _search(self, query: str, limit: int) -> object:
        asked = phrases(query)
        found = self.index.search(
            asked.get("artist", ""), asked.get("track", ""), asked.get("album", "")
        )
        data = [
            self._decoy_item(item) if isinstance(item, Decoy) else self._search_item(item)
            for item in found
            if isinstance(item, Decoy) or self.knows(item)
        ]
        body: dict[str, object] = {"data": data[:limit], "total": len(data)}
        if len(data) > limit:
            body["next"] = f"https://api.deezer.com/search?q={quote_plus(query)}&index={limit}"
        return body

    def _search_item(self, track: FakeTrack) -> dict[str, object]:
        full = self._track(track)
        keep = ("id", "readable", "title", "title_short", "title_version", "link", "duration")
        item = {k: full[k] for k in keep}
        item |= {"rank": 500000, "explicit_lyrics": False, "preview": "", "md5_image": ""}
        album = full["album"]
        assert isinstance(album, dict)
        item["artist"] = full["artist"]
        item["album"] = {k: v for k, v in album.items() if k not in ("link", "release_date")}
        item["type"] = "track"
        return item

    def _decoy_item(self, decoy: Decoy) -> dict[str, object]:
        artist_id = numeric_id("decoy-artist:" + decoy.artist)
        return {
            "id": decoy.deezer_id,
            "readable": True,
            "title": decoy.title,
            "title_short": decoy.title.split(" (")[0],
            "title_version": "",
            "link": f"https://www.deezer.com/track/{decoy.deezer_id}",
            "duration": decoy.duration_ms // 1000,
            "rank": 900000,
            "explicit_lyrics": False,
            "preview": "",
            "md5_image": "",
            "artist": {"id": artist_id, "name": decoy.artist, "type": "artist"},
            "album": {
                "id": decoy.deezer_album_id,
                "title": decoy.album,
                **self._covers(decoy.deezer_album_id),
                "tracklist": f"https://api.deezer.com/album/{decoy.deezer_album_id}/tracks",
                "type": "album",
            },
            "type": "track",
        }

    def _decoy_album(self, decoy: Decoy) -> dict[str, object]:
        return {
            "id": decoy.deezer_album_id,
            "title": decoy.album,
            **self._covers(decoy.deezer_album_id),
            "genre_id": 1,
            "genres": {"data": [{"id": 1, "name": DECOY_GENRE, "type": "genre"}]},
            "label": DECOY_LABEL,
            "type": "album",
        }

    def _artist(self, spotify_id: str) -> dict[str, object]:
        artist_id = numeric_id("artist:" + spotify_id)
        return {
            "id": artist_id,
            "name": self.catalogue.artists[spotify_id].name,
            "link": f"https://www.deezer.com/artist/{artist_id}",
            "picture": f"https://api.deezer.com/artist/{artist_id}/image",
            "tracklist": f"https://api.deezer.com/artist/{artist_id}/top?limit=50",
            "type": "artist",
        }

    def _track(self, track: FakeTrack) -> dict[str, object]:
        track_id = numeric_id("track:" + track.isrc)
        album_id = numeric_id("album:" + track.album_id)
        features = track.features or {}
        return {
            "id": track_id,
            "readable": True,
            "title": track.name,
            "title_short": track.name,
            "title_version": "",
            "isrc": track.isrc,
            "link": f"https://www.deezer.com/track/{track_id}",
            "duration": track.duration_ms // 1000,
            "track_position": 1,
            "disk_number": 1,
            "rank": 500000,
            "release_date": track.release_date,
            "explicit_lyrics": False,
            "explicit_content_lyrics": 0,
            "explicit_content_cover": 0,
            "preview": "",
            "bpm": features.get("tempo", 0),  # 0: unknown, as Deezer answers since 2025
            "gain": round(float(features.get("loudness", -9.0)) - 3.0, 1),
            "available_countries": ["DE", "FR", "GB", "US"],
            "contributors": [self._artist(a.spotify_id) | {"role": "Main"} for a in track.artists],
            "md5_image": "",
            "artist": self._artist(track.artists[0].spotify_id),
            "album": {
                "id": album_id,
                "title": track.album_name,
                "link": f"https://www.deezer.com/album/{album_id}",
                **self._covers(album_id),
                "release_date": track.release_date,
                "tracklist": f"https://api.deezer.com/album/{album_id}/tracks",
                "type": "album",
            },
            "type": "track",
        }

    def _album(self, album: str) -> dict[str, object]:
        tracks = self.catalogue.album(album)
        first = tracks[0]
        album_id = numeric_id("album:" + album)
        listed = [
            {
                "id": genre[0],
                "name": genre[1],
                "picture": f"https://api.deezer.com/genre/{genre[0]}/image",
                "type": "genre",
            }
            for genre in [deezer_genre(first.genres)]
            if genre
        ]
        return {
            "id": album_id,
            "title": first.album_name,
            "upc": "0000000000000",
            "link": f"https://www.deezer.com/album/{album_id}",
            **self._covers(album_id),
            "genre_id": listed[0]["id"] if listed else -1,
            "genres": {"data": listed},
            "label": first.label,
            "nb_tracks": len(tracks),
            "duration": sum(t.duration_ms for t in tracks) // 1000,
            "fans": 1000,
            "release_date": first.release_date,
            "record_type": "album",
            "available": True,
            "tracklist": f"https://api.deezer.com/album/{album_id}/tracks",
            "explicit_lyrics": False,
            "contributors": [self._artist(first.artists[0].spotify_id) | {"role": "Main"}],
            "artist": self._artist(first.artists[0].spotify_id),
            "type": "album",
            "tracks": {
                "data": [{"id": numeric_id("track:" + t.isrc), "title": t.name} for t in tracks]
            },
        }


def cover_jpeg(path: str) -> bytes:
    """A small JPEG of one colour, chosen by ``path`` (a cover the fakes serve)."""
    import io

    from PIL import Image

    shade = numeric_id(path)
    colour = (shade % 256, shade // 256 % 256, shade // 65536 % 256)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(out, "JPEG")
    return out.getvalue()


class ReccoBeatsFake(FakeService):
    """``/v1/audio-features?ids=…`` and ``/v1/track?ids=…`` (Spotify ids, comma separated
    or repeated, at most 40): known tracks in ``content``, unknown ids absent — for
    features, known tracks with features. ``knows``: the tracks it has. ``rate``: at
    most that many requests a second, else 429 with ``Retry-After: 1`` (None: no limit).
    """

    name = "reccobeats"
    MAX_IDS = 40

    def __init__(
        self,
        catalogue: FakeCatalogue,
        *,
        knows: Callable[[FakeTrack], bool] = lambda track: True,
        rate: float | None = None,
    ) -> None:
        super().__init__()
        self.by_id = catalogue.by_spotify_id()
        self.knows = knows
        self.rate = rate
        self._recent: list[float] = []

    def handle(self, request: Request) -> Reply:
        if self.rate is not None:
            with self._lock:
                self._recent = [t for t in self._recent if request.at - t < 1.0]
                self._recent.append(request.at)
                over = len(self._recent) > self.rate
            if over:
                with self._lock:
                    self.requests.append(request)
                    self.replies.append(429)
                return Reply(429, b'{"error": "Too Many Requests"}', {"Retry-After": "1"})
        return super().handle(request)

    def answer(self, request: Request) -> Reply:
        endpoint = request.path.rstrip("/")
        if endpoint not in ("/v1/audio-features", "/v1/track"):
            return Reply(404, b'{"error": "Not Found"}')
        ids = [i for value in request.query.get("ids", []) for i in value.split(",") if i]
        if not ids or len(ids) > self.MAX_IDS:
            return Reply(400, b'{"error": "Bad Request", "message": "ids: 1 to 40 ids"}')
        known = [(i, t) for i in ids if (t := self.by_id.get(i)) is not None and self.knows(t)]
        if endpoint == "/v1/track":
            content = [self._track(spotify_id, track) for spotify_id, track in known]
        else:
            content = [self._features(i, t) for i, t in known if t.features is not None]
        return Reply(200, dumps({"content": content}))

    @staticmethod
    def _features(spotify_id: str, track: FakeTrack) -> dict[str, object]:
        values = {k: v for k, v in (track.features or {}).items() if k != "time_signature"}
        return {
            "id": mbid("reccobeats", spotify_id),
            "href": f"https://open.spotify.com/track/{spotify_id}",
            "isrc": track.isrc,
            **dict(sorted(values.items())),
        }

    @staticmethod
    def _track(spotify_id: str, track: FakeTrack) -> dict[str, object]:
        """The shape of ``providers/reccobeats/docs/track_example.FROM_DOCS.json``."""
        return {
            "id": mbid("reccobeats", spotify_id),
            "trackTitle": track.name,
            "artists": [
                {
                    "id": mbid("reccobeats-artist", a.spotify_id),
                    "name": a.name,
                    "href": f"https://open.spotify.com/artist/{a.spotify_id}",
                }
                for a in track.artists
            ],
            "durationMs": track.duration_ms,
            "isrc": track.isrc,
            "ean": None,
            "upc": None,
            "href": f"https://open.spotify.com/track/{spotify_id}",
            "availableCountries": "AR,AU,AT,BE,DE,FR,GB,US",
            "popularity": 50,
        }


class LastFmFake(FakeService):
    """``/2.0/?method=track.getTopTags|artist.getTopTags`` with an API key (JSON).

    Planted genres come back as tags with counts, mixed with tags that are no
    genre ("seen live", a decade, the artist's name)."""

    name = "lastfm"

    def __init__(self, catalogue: FakeCatalogue, key: str = LASTFM_KEY) -> None:
        super().__init__()
        self.key = key
        self.catalogue = catalogue
        self.tracks = {
            (t.artists[0].name.casefold(), t.name.casefold()): t for t in catalogue.tracks.values()
        }
        self.artists = {a.name.casefold(): a.spotify_id for a in catalogue.artists.values()}

    def answer(self, request: Request) -> Reply:
        if request.param("api_key") != self.key:
            return Reply(403, LASTFM_INVALID_KEY)
        method = request.param("method").casefold()
        artist = request.param("artist")
        if method == "track.gettoptags":
            track = self.tracks.get((artist.casefold(), request.param("track").casefold()))
            if track is None:
                return Reply(200, b'{"error":6,"message":"Track not found","links":[]}')
            attr = {"artist": artist, "track": track.name}
            return Reply(
                200, dumps({"toptags": {"tag": self._tags(track.genres, artist), "@attr": attr}})
            )
        if method == "artist.gettoptags":
            spotify_id = self.artists.get(artist.casefold())
            if spotify_id is None:
                return Reply(200, LASTFM_NO_ARTIST)
            genres = self.catalogue.artist_genres.get(spotify_id, ())
            tags = self._tags(genres, artist)
            return Reply(200, dumps({"toptags": {"tag": tags, "@attr": {"artist": artist}}}))
        return Reply(400, LASTFM_NO_METHOD)

    @staticmethod
    def _tags(genres: tuple[str, ...], artist: str) -> list[dict[str, object]]:
        planted = [(g, 100 - 10 * i) for i, g in enumerate(genres)]
        noise = [("seen live", 45), ("2010s", 30), (artist, 20), ("obscure-tag", 3)]
        tags = sorted(planted + noise, key=lambda t: -t[1])
        return [
            {"count": count, "name": name, "url": f"https://www.last.fm/tag/{quote_plus(name)}"}
            for name, count in tags
        ]
