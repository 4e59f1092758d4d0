"""The one door to the Web API: every request goes through :meth:`SpotifyClient.request`.

spotipy makes the calls, with its own retrying switched off: its urllib3
``Retry`` honours ``Retry-After`` by sleeping, and a development-mode quota
answers ``429`` with ``Retry-After: 86400`` — a sync would hang for a day. Here
a wait longer than ``retry_after_cap`` (or a run of waits adding up to more)
stops the run with :class:`QuotaError` carrying the time to resume after, and
no request is sent before that time. 5xx and network errors are retried with
exponential backoff within the same cap; a 401 gets one token refresh.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import requests
import spotipy
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from linernotes.config import SpotifyConfig
from linernotes.sources.spotify.errors import (
    ForbiddenError,
    NotFoundError,
    QuotaError,
    SpotifyAuthError,
    SpotifyError,
    SpotifyUnavailableError,
    format_time,
)
from linernotes.sources.spotify.shapes import (
    FollowedArtists,
    Page,
    TrackObject,
    UserObject,
    decode,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
PAGE = 50  # the most any paged endpoint returns (playlist items: 50 since 2026)
QUOTA_PAUSE = 3600.0  # QUOTA_EXCEEDED without Retry-After: probe again in an hour
REQUEST_TIMEOUT = 30.0  # seconds one HTTP request may take (never more than the cap)
TIME_RANGES = ("short_term", "medium_term", "long_term")


def utc_now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Return the wait a ``Retry-After`` header asks for, in seconds.

    RFC 9110 allows delay-seconds or an HTTP date; anything else (or no
    header) gives None. A date in the past gives 0.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _wait_text(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass(frozen=True)
class _Failure:
    """What a failed request said: HTTP status (None for network errors), message,
    headers, and whether the body named the daily quota."""

    status: int | None
    message: str
    headers: Mapping[str, str]
    quota: bool
    error: Exception

    @classmethod
    def of(cls, exc: Exception) -> _Failure:
        if isinstance(exc, SpotifyException):
            # spotipy formats msg as "<url>:\n <message from the error body>".
            text = str(exc.msg or "")
            message = text.rsplit(":\n ", 1)[-1].strip() or f"HTTP {exc.http_status}"
            quota = exc.reason == "QUOTA_EXCEEDED" or "QUOTA_EXCEEDED" in text
            return cls(exc.http_status, message, exc.headers or {}, quota, exc)
        return cls(None, str(exc), {}, False, exc)


class SpotifyClient:
    """A spotipy client behind one request method with our limits.

    ``resume_after`` is the earliest time a request may be sent (from the
    store); ``sent`` counts every request sent, retries included.
    """

    def __init__(
        self,
        spotify: SpotifyConfig,
        auth: Any,
        *,
        resume_after: datetime | None = None,
        now: Callable[[], datetime] = utc_now,
        backoff: float = 0.5,
        server_retries: int = 5,
    ) -> None:
        self.cap = float(max(0, spotify.retry_after_cap))
        self.resume_after = resume_after
        self.sent = 0
        self._auth = auth
        self._now = now
        self._backoff = backoff
        self._server_retries = server_retries
        # A plain session: no urllib3 Retry adapter, so nothing sleeps behind our back.
        self._session = requests.Session()
        self._sp = spotipy.Spotify(
            auth_manager=auth,
            requests_session=self._session,
            requests_timeout=min(REQUEST_TIMEOUT, max(1.0, self.cap)),
            retries=0,
            status_retries=0,
        )
        self._sp.prefix = (
            spotify.api_base if spotify.api_base.endswith("/") else spotify.api_base + "/"
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._session.close()

    # -- the entry point -----------------------------------------------------------------

    def request(self, what: str, call: Callable[[Any], Any]) -> Any:
        """Run ``call(spotipy_client)`` (one API request) under the retry policy; return
        its decoded JSON.

        Raises :class:`QuotaError` (wait beyond the cap, or not over yet),
        :class:`SpotifyUnavailableError` (5xx or network errors beyond the
        retries), :class:`SpotifyAuthError` (401 after a refresh),
        :class:`ForbiddenError` (403), :class:`NotFoundError` (404) and
        :class:`SpotifyError` for any other refusal.
        """
        started = time.monotonic()
        failures = 0
        refreshed = False
        while True:
            self._check_gate()
            self.sent += 1
            # The time a request may take counts against the cap too.
            left = self.cap - (time.monotonic() - started)
            self._sp.requests_timeout = min(REQUEST_TIMEOUT, max(1.0, left))
            try:
                return call(self._sp)
            except (SpotifyException, requests.RequestException) as exc:
                failure = _Failure.of(exc)
            except SpotifyOauthError as exc:
                raise SpotifyAuthError(
                    f"Spotify refused to renew the login ({exc}); run 'linernotes login'"
                ) from exc
            if failure.status == 401 and not refreshed:
                self._refresh_token()
                refreshed = True
                continue
            failures += 1
            delay = self._retry_delay(what, failure, failures, time.monotonic() - started)
            log.info("%s: %s, retrying in %.1f s", what, failure.status or "network", delay)
            time.sleep(delay)

    def _retry_delay(self, what: str, failure: _Failure, attempt: int, spent: float) -> float:
        """Return how long to wait before trying again (``spent`` seconds have gone into
        this request so far), or raise the error to stop with."""
        status, message = failure.status, failure.message
        if status == 401:
            raise SpotifyAuthError(
                f"{what}: Spotify does not accept the login ({message}); run 'linernotes login'"
            ) from failure.error
        if status == 403:
            raise ForbiddenError(what, message) from failure.error
        if status == 404:
            raise NotFoundError(f"{what}: not found ({message})") from failure.error
        if status == 429:
            return self._rate_limit_delay(what, failure, attempt, spent)
        if status is None or status >= 500:
            return self._server_delay(what, failure, attempt, spent)
        raise SpotifyError(f"{what}: Spotify answered {status}: {message}") from failure.error

    def _check_gate(self) -> None:
        now = self._now()
        if self.resume_after is not None and now < self.resume_after:
            left = (self.resume_after - now).total_seconds()
            raise QuotaError(
                "Spotify asked linernotes to pause: no request is sent before"
                f" {format_time(self.resume_after)} (in {_wait_text(left)});"
                f" resume after {format_time(self.resume_after)}",
                self.resume_after,
            )

    def _rate_limit_delay(self, what: str, failure: _Failure, attempt: int, spent: float) -> float:
        now = self._now()
        seconds = retry_after_seconds(failure.headers.get("Retry-After"), now)
        if seconds is None:
            seconds = QUOTA_PAUSE if failure.quota else self._backoff * 2 ** (attempt - 1)
        if spent + seconds <= self.cap:
            return seconds
        resume = now + timedelta(seconds=math.ceil(seconds))
        resume = resume.replace(microsecond=0) + timedelta(seconds=1 if resume.microsecond else 0)
        self.resume_after = resume
        why = "the daily quota is used up" if failure.quota else "rate limit"
        raise QuotaError(
            f"{what}: Spotify asks to wait {_wait_text(seconds)} ({why}); everything fetched"
            f" so far is saved — run 'linernotes sync' again to resume after"
            f" {format_time(resume)}",
            resume,
        )

    def _server_delay(self, what: str, failure: _Failure, attempt: int, spent: float) -> float:
        delay = self._backoff * 2 ** (attempt - 1)
        if attempt > self._server_retries or spent + delay > self.cap:
            status = failure.status
            problem = f"HTTP {status}" if status else f"network error: {failure.message}"
            raise SpotifyUnavailableError(
                f"{what}: Spotify keeps failing ({problem}, {attempt} times); everything"
                " fetched so far is saved — run 'linernotes sync' again later"
            ) from failure.error
        return delay

    def _refresh_token(self) -> None:
        token = self._auth.cache_handler.get_cached_token()
        if not token or not token.get("refresh_token"):
            raise SpotifyAuthError("not logged in to Spotify: run 'linernotes login'")
        try:
            self._auth.refresh_access_token(token["refresh_token"])
        except SpotifyOauthError as exc:
            raise SpotifyAuthError(
                f"Spotify refused to renew the login ({exc}); run 'linernotes login'"
            ) from exc
        except requests.RequestException as exc:
            raise SpotifyUnavailableError(
                f"cannot reach Spotify to renew the login: {exc}"
            ) from exc

    # -- endpoints -----------------------------------------------------------------------

    def _get(self, what: str, call: Callable[[Any], Any], kind: type[T]) -> T:
        return decode(self.request(what, call), kind, what)

    def me(self) -> UserObject:
        """GET /me: who is logged in."""
        return self._get("GET /me", lambda sp: sp.me(), UserObject)

    def my_playlists(self, offset: int) -> Page:
        """GET /me/playlists: playlists owned or followed, 50 from ``offset``."""
        return self._get(
            "GET /me/playlists",
            lambda sp: sp.current_user_playlists(limit=PAGE, offset=offset),
            Page,
        )

    def playlist_items(self, playlist_id: str, offset: int) -> Page:
        """GET /playlists/{id}/items: 50 entries from ``offset`` (owned/collaborative only)."""
        return self._get(
            f"GET /playlists/{playlist_id}/items",
            lambda sp: sp.playlist_items(
                playlist_id, limit=PAGE, offset=offset, additional_types=("track", "episode")
            ),
            Page,
        )

    def saved_tracks(self, offset: int) -> Page:
        """GET /me/tracks: Liked Songs, newest first, 50 from ``offset``."""
        return self._get(
            "GET /me/tracks",
            lambda sp: sp.current_user_saved_tracks(limit=PAGE, offset=offset),
            Page,
        )

    def followed_artists(self, after: str | None) -> Page:
        """GET /me/following?type=artist: 50 artists after the cursor ``after``."""
        answer = self._get(
            "GET /me/following",
            lambda sp: sp.current_user_followed_artists(limit=PAGE, after=after),
            FollowedArtists,
        )
        return answer.artists or Page()

    def top(self, kind: str, time_range: str) -> Page:
        """GET /me/top/{kind}: the 50 top ``tracks`` or ``artists`` over ``time_range``."""
        if kind == "tracks":
            return self._get(
                f"GET /me/top/tracks ({time_range})",
                lambda sp: sp.current_user_top_tracks(limit=PAGE, time_range=time_range),
                Page,
            )
        return self._get(
            f"GET /me/top/artists ({time_range})",
            lambda sp: sp.current_user_top_artists(limit=PAGE, time_range=time_range),
            Page,
        )

    def recently_played(self, after: int | None) -> Page:
        """GET /me/player/recently-played: up to 50 plays after ``after`` (Unix ms)."""
        return self._get(
            "GET /me/player/recently-played",
            lambda sp: sp.current_user_recently_played(limit=PAGE, after=after),
            Page,
        )

    def track(self, track_id: str) -> TrackObject:
        """GET /tracks/{id}: one track (the batch endpoint is gone since 2026-02)."""
        return self._get(f"GET /tracks/{track_id}", lambda sp: sp.track(track_id), TrackObject)
