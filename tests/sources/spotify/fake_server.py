"""A loopback fake of Spotify's accounts service and Web API, with injectable faults.

Real HTTP on 127.0.0.1 (``ThreadingHTTPServer``): the real spotipy client and
the real PKCE flow talk to it. It serves a :class:`Library` in the 2026 shapes,
refuses ``/playlists/{id}/items`` of playlists the user neither owns nor
collaborates on (403), answers endpoints removed in 2026 with 403, caps
``limit`` at 50, and counts every request. Faults are queued per path pattern:
429 with any ``Retry-After`` (seconds or HTTP date), a ``QUOTA_EXCEEDED`` body,
5xx, and token expiry (every access token becomes invalid: 401).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.sources.spotify.fake_library import (
    Library,
    artist_full,
    playlist_entry,
    playlist_simple,
    track_full,
)

REMOVED = (
    r"^/v1/tracks$",  # batch lookups: gone for development mode since 2026-02
    r"^/v1/albums$",
    r"^/v1/artists$",
    r"^/v1/audio-features",
    r"^/v1/recommendations",
    r"^/v1/artists/[^/]+/related-artists$",
    r"^/v1/playlists/[^/]+/tracks$",
)


@dataclass
class Fault:
    """One faulty answer."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expire_tokens: bool = False
    hang: float = 0.0  # seconds to stall before answering normally (status unused)

    @classmethod
    def stall(cls, seconds: float) -> Fault:
        return cls(0, hang=seconds)

    @classmethod
    def too_many(cls, retry_after: str | None = None, *, quota: bool = False) -> Fault:
        error: dict[str, Any] = {"status": 429, "message": "API rate limit exceeded"}
        if quota:
            error = {"status": 429, "message": "Quota exceeded", "reason": "QUOTA_EXCEEDED"}
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return cls(429, {"error": error}, headers)

    @classmethod
    def server_error(cls, status: int = 503) -> Fault:
        return cls(status, {"error": {"status": status, "message": "Service unavailable"}})

    @classmethod
    def expired_token(cls) -> Fault:
        body = {"error": {"status": 401, "message": "The access token expired"}}
        return cls(401, body, expire_tokens=True)


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    faults: deque[Fault]
    skip: int


@dataclass
class Logged:
    """One request the server answered."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    at: float


class FakeSpotify:
    """The fake service; ``start()`` it, point the config at ``api_base`` and
    ``accounts_base``, read ``log`` afterwards."""

    def __init__(self, library: Library, *, client_id: str = "linernotes-test-app") -> None:
        self.library = library
        self.client_id = client_id
        self.log: list[Logged] = []
        self.removed: list[str] = list(REMOVED)
        self.overrides: dict[str, Any] = {}
        self.deny_login = False  # the person clicks "Cancel" on Spotify's consent page
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._codes: dict[str, dict[str, str]] = {}
        self._tokens: dict[str, bool] = {}
        self._refresh: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- control ---------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_base(self) -> str:
        return self.base + "/v1/"

    @property
    def accounts_base(self) -> str:
        return self.base + "/"

    def start(self) -> FakeSpotify:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(self, pattern: str, *faults: Fault, after: int = 0) -> None:
        """Answer the next requests whose path matches ``pattern`` (a regex) with
        ``faults``, one each, after letting ``after`` matching requests through."""
        with self._lock:
            self._rules.append(_Rule(re.compile(pattern), deque(faults), after))

    def pending_faults(self) -> int:
        with self._lock:
            return sum(len(rule.faults) for rule in self._rules)

    def api_requests(self, pattern: str = "") -> list[Logged]:
        """The requests to the Web API (``/v1/…``) whose path matches ``pattern``."""
        regex = re.compile(pattern)
        with self._lock:
            return [e for e in self.log if e.path.startswith("/v1/") and regex.search(e.path)]

    def issue_token(self) -> dict[str, Any]:
        """Return a fresh token, as the token endpoint would (for seeding a cache)."""
        with self._lock:
            return self._new_token(" ".join(_ALL_SCOPES))

    def _new_token(self, scope: str, refresh: str | None = None) -> dict[str, Any]:
        access = "acc-" + secrets.token_urlsafe(12)
        self._tokens[access] = True
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": scope,
        }
        if refresh is None:
            refresh = "ref-" + secrets.token_urlsafe(12)
            self._refresh.add(refresh)
            body["refresh_token"] = refresh
        return body

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if not rule.faults or not rule.pattern.search(path):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                fault = rule.faults.popleft()
                if fault.expire_tokens:
                    self._tokens = dict.fromkeys(self._tokens, False)
                return fault
        return None

    # -- accounts ----------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if query.get("client_id") != self.client_id:
            return 400, {}, {"error": "invalid_client", "error_description": "Invalid client"}
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return 400, {}, {"error": "invalid_request"}
        code = "code-" + secrets.token_urlsafe(8)
        with self._lock:
            self._codes[code] = query
        answer = {"error": "access_denied"} if self.deny_login else {"code": code}
        if "state" in query:
            answer["state"] = query["state"]
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(answer)}"}, None

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if form.get("client_id") != self.client_id:
            return 400, {}, {"error": "invalid_client", "error_description": "Invalid client"}
        with self._lock:
            if form.get("grant_type") == "authorization_code":
                asked = self._codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "").encode()
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest())
                if (
                    asked is None
                    or asked.get("redirect_uri") != form.get("redirect_uri")
                    or digest.decode().rstrip("=") != asked.get("code_challenge")
                ):
                    return 400, {}, {"error": "invalid_grant", "error_description": "Bad code"}
                return 200, {}, self._new_token(asked.get("scope", ""))
            if form.get("grant_type") == "refresh_token":
                refresh = form.get("refresh_token", "")
                if refresh not in self._refresh:
                    return 400, {}, {"error": "invalid_grant", "error_description": "Revoked"}
                return 200, {}, self._new_token(" ".join(_ALL_SCOPES), refresh)
        return 400, {}, {"error": "unsupported_grant_type"}

    # -- Web API -----------------------------------------------------------------------

    def api(self, path: str, query: dict[str, str], auth: str) -> tuple[int, dict[str, str], Any]:
        path = path.rstrip("/")  # spotipy asks for "me/"; Spotify takes both
        fault = self._take_fault(path)
        if fault is not None and fault.hang:
            time.sleep(fault.hang)
        elif fault is not None:
            return fault.status, fault.headers, fault.body
        token = auth.removeprefix("Bearer ").strip()
        with self._lock:
            valid = self._tokens.get(token)
        if valid is None:
            return 401, {}, {"error": {"status": 401, "message": "Invalid access token"}}
        if valid is False:
            return 401, {}, {"error": {"status": 401, "message": "The access token expired"}}
        if any(re.search(p, path) for p in self.removed):
            return 403, {}, {"error": {"status": 403, "message": "Forbidden"}}
        if path in self.overrides:
            return 200, {}, self.overrides[path]
        limit = int(query.get("limit", "20"))
        if not 1 <= limit <= 50:
            return 400, {}, {"error": {"status": 400, "message": "Invalid limit"}}
        return _route(self, path, query, limit)


_ALL_SCOPES = (
    "user-library-read",
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-follow-read",
    "user-top-read",
    "user-read-recently-played",
)


def _page(fake: FakeSpotify, path: str, items: list[Any], query: dict[str, str], limit: int) -> Any:
    offset = int(query.get("offset", "0"))
    chunk = items[offset : offset + limit]
    extra = {k: v for k, v in query.items() if k not in ("offset", "limit")}

    def link(at: int) -> str:
        return f"{fake.base}{path}?{urlencode({**extra, 'offset': at, 'limit': limit})}"

    return {
        "href": link(offset),
        "items": chunk,
        "limit": limit,
        "next": link(offset + limit) if offset + limit < len(items) else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset else None,
        "total": len(items),
    }


def _route(
    fake: FakeSpotify, path: str, query: dict[str, str], limit: int
) -> tuple[int, dict[str, str], Any]:
    lib, api = fake.library, fake.base + "/v1"
    not_found = (404, {}, {"error": {"status": 404, "message": "non existing id"}})
    if path == "/v1/me":
        return 200, {}, {"id": lib.user_id, "display_name": lib.display_name, "type": "user"}
    if path == "/v1/me/playlists":
        items = [playlist_simple(api, p) for p in lib.playlists]
        return 200, {}, _page(fake, path, items, query, limit)
    match = re.fullmatch(r"/v1/playlists/([^/]+)/items", path)
    if match:
        playlist = lib.playlist(match.group(1))
        if playlist is None:
            return not_found
        if not lib.readable(playlist):
            return 403, {}, {"error": {"status": 403, "message": "Forbidden"}}
        items = [playlist_entry(api, e, lib.user_id) for e in playlist.entries]
        return 200, {}, _page(fake, path, items, query, limit)
    if path == "/v1/me/tracks":
        items = [
            {"added_at": added, "track": track_full(api, lib.tracks[tid])}
            for tid, added in lib.liked
        ]
        return 200, {}, _page(fake, path, items, query, limit)
    if path == "/v1/me/following":
        return 200, {}, _following(fake, query, limit)
    match = re.fullmatch(r"/v1/me/top/(tracks|artists)", path)
    if match:
        time_range = query.get("time_range", "medium_term")
        if match.group(1) == "tracks":
            items = [track_full(api, lib.tracks[t]) for t in lib.top_tracks.get(time_range, [])]
        else:
            items = [artist_full(api, a) for a in lib.top_artists.get(time_range, [])]
        return 200, {}, _page(fake, path, items, query, limit)
    if path == "/v1/me/player/recently-played":
        return 200, {}, _recent(fake, query, limit)
    match = re.fullmatch(r"/v1/tracks/([^/]+)", path)
    if match:
        track = lib.tracks.get(match.group(1))
        return (200, {}, track_full(api, track)) if track else not_found
    return 404, {}, {"error": {"status": 404, "message": "Service not found"}}


def _following(fake: FakeSpotify, query: dict[str, str], limit: int) -> Any:
    artists = fake.library.follows
    after = query.get("after")
    start = next((i + 1 for i, a in enumerate(artists) if a.id == after), 0) if after else 0
    chunk = artists[start : start + limit]
    more = start + limit < len(artists)
    last = chunk[-1].id if chunk else None
    href = f"{fake.base}/v1/me/following?type=artist&limit={limit}"
    return {
        "artists": {
            "href": href,
            "items": [artist_full(fake.base + "/v1", a) for a in chunk],
            "limit": limit,
            "next": f"{href}&after={last}" if more else None,
            "cursors": {"after": last if more else None},
            "total": len(artists),
        }
    }


def _ms(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


def _recent(fake: FakeSpotify, query: dict[str, str], limit: int) -> Any:
    plays = fake.library.recent
    if "after" in query:
        plays = [p for p in plays if _ms(p[1]) > int(query["after"])]
    chunk = plays[:limit]
    api = fake.base + "/v1"
    items = [
        {
            "track": track_full(api, fake.library.tracks[tid]),
            "played_at": played_at,
            "context": None,
        }
        for tid, played_at in chunk
    ]
    cursors = {"after": str(_ms(chunk[0][1])), "before": str(_ms(chunk[-1][1]))} if chunk else None
    return {
        "href": f"{api}/me/player/recently-played?limit={limit}",
        "items": items,
        "limit": limit,
        "next": None,
        "cursors": cursors,
    }


def _handler(fake: FakeSpotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, headers: dict[str, str], body: Any) -> None:
            data = b"" if body is None else json.dumps(body).encode("utf-8")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self, path: str, query: dict[str, str], status: int) -> None:
            with fake._lock:
                fake.log.append(Logged(self.command, path, query, status, time.monotonic()))

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/authorize":
                status, headers, body = fake.authorize(query)
            elif parts.path.startswith("/v1/"):
                status, headers, body = fake.api(
                    parts.path, query, self.headers.get("Authorization", "")
                )
            else:
                status, headers, body = 404, {}, {"error": "not found"}
            self._record(parts.path.rstrip("/"), query, status)
            self._answer(status, headers, body)

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if parts.path == "/api/token":
                status, headers, body = fake.token(form)
            else:
                status, headers, body = 404, {}, {"error": "not found"}
            self._record(parts.path, {}, status)
            self._answer(status, headers, body)

    return Handler
