"""The one door to the Web API: every request goes through :meth:`SpotifyClient.request`.

spotipy makes the calls, on a session whose transport is the shared HTTP door
(:mod:`linernotes.sources.http`), with spotipy's own retrying switched off: its
urllib3 ``Retry`` honours ``Retry-After`` by sleeping, and a development-mode
quota answers ``429`` with ``Retry-After: 86400`` — a sync would hang for a
day. The door waits out a short ``Retry-After``; a longer one (or a run of
waits adding up to more than ``retry_after_cap``) stops the run with
:class:`QuotaError` carrying the time to resume after, and no request is sent
before that time. 5xx and network errors are retried with exponential backoff
within the same cap. On top of it, here: Spotify's quota named in a 429 body,
one token refresh on a 401, and Spotify's own errors for the other refusals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import requests
import spotipy
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from linernotes.clock import format_time, utc_now
from linernotes.config import SpotifyConfig
from linernotes.errors import QuotaError, UnavailableError
from linernotes.sources.http import HttpClient, RetryPolicy, Service, Verdict, decode
from linernotes.sources.spotify.errors import (
    ForbiddenError,
    NotFoundError,
    SpotifyAuthError,
    SpotifyError,
)
from linernotes.sources.spotify.shapes import (
    FollowedArtists,
    Page,
    TrackObject,
    UserObject,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
SPOTIFY = "Spotify"
PAGE = 50  # the most any paged endpoint returns (playlist items: 50 since 2026)
QUOTA_PAUSE = 3600.0  # QUOTA_EXCEEDED without Retry-After: probe again in an hour
REQUEST_TIMEOUT = 30.0  # seconds one HTTP request may take (never more than the cap)
TIME_RANGES = ("short_term", "medium_term", "long_term")
SAVED = "everything fetched so far is saved — run 'linernotes sync' again"


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a Web API answer means: 429 is the rate limit, or the daily quota when the
    body says ``QUOTA_EXCEEDED``; 5xx is worth a retry; every other answer goes back
    to spotipy, which raises for a 4xx."""
    if status == 429:
        if b"QUOTA_EXCEEDED" in body:
            return "quota", "the daily quota is used up"
        return "transient", "rate limit"
    if status >= 500:
        return "transient", f"HTTP {status}"
    if status >= 400:
        return "fatal", f"HTTP {status}"
    return "ok", "ok"


def _refusal(what: str, exc: SpotifyException) -> SpotifyError:
    """The error of a 4xx answer spotipy raised for."""
    # spotipy formats msg as "<url>:\n <message from the error body>".
    text = str(exc.msg or "")
    message = text.rsplit(":\n ", 1)[-1].strip() or f"HTTP {exc.http_status}"
    status = exc.http_status
    if status == 401:
        return SpotifyAuthError(
            f"{what}: Spotify does not accept the login ({message}); run 'linernotes login'"
        )
    if status == 403:
        return ForbiddenError(what, message)
    if status == 404:
        return NotFoundError(f"{what}: not found ({message})")
    return SpotifyError(f"{what}: Spotify answered {status}: {message}")


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
        policy = RetryPolicy(
            retries=server_retries,
            backoff=backoff,
            retry_after_cap=float(max(0, spotify.retry_after_cap)),
            timeout=REQUEST_TIMEOUT,
            quota_pause=QUOTA_PAUSE,
        )
        self.http = HttpClient(
            Service(SPOTIFY, classify, 0.0, policy), resume_after=resume_after, now=now
        )
        self._auth = auth
        self._sp = spotipy.Spotify(
            auth_manager=auth,
            requests_session=self.http.session,
            requests_timeout=REQUEST_TIMEOUT,
            retries=0,
            status_retries=0,
        )
        self._sp.prefix = (
            spotify.api_base if spotify.api_base.endswith("/") else spotify.api_base + "/"
        )

    @property
    def sent(self) -> int:
        """Requests sent to the Web API (retries included)."""
        return self.http.sent

    @property
    def resume_after(self) -> datetime | None:
        """The earliest time a request may be sent (None: any time)."""
        return self.http.resume_after

    @resume_after.setter
    def resume_after(self, moment: datetime | None) -> None:
        self.http.resume_after = moment

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    # -- the entry point -----------------------------------------------------------------

    def request(self, what: str, call: Callable[[Any], Any]) -> Any:
        """Run ``call(spotipy_client)`` (one API request) through the HTTP door; return
        its decoded JSON.

        Raises :class:`QuotaError` (wait beyond the cap, or not over yet),
        :class:`UnavailableError` (5xx or network errors beyond the retries),
        :class:`SpotifyAuthError` (401 after a refresh), :class:`ForbiddenError`
        (403), :class:`NotFoundError` (404) and :class:`SpotifyError` for any
        other refusal.
        """
        refreshed = False
        while True:
            try:
                return call(self._sp)
            except SpotifyException as exc:
                if exc.http_status == 401 and not refreshed:
                    self._refresh_token()
                    refreshed = True
                    continue
                raise _refusal(what, exc) from exc
            except QuotaError as exc:
                resume = exc.resume_after
                later = f"to resume after {format_time(resume)}" if resume else "later"
                raise QuotaError(f"{what}: {exc}; {SAVED} {later}", resume) from exc
            except UnavailableError as exc:
                raise UnavailableError(f"{what}: {exc}; {SAVED} later") from exc
            except SpotifyOauthError as exc:
                raise SpotifyAuthError(
                    f"Spotify refused to renew the login ({exc}); run 'linernotes login'"
                ) from exc
            except requests.RequestException as exc:  # not a network error: a bad setting
                raise SpotifyError(f"{what}: cannot send the request ({exc})") from exc

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
            raise UnavailableError(f"cannot reach Spotify to renew the login: {exc}") from exc

    # -- endpoints -----------------------------------------------------------------------

    def _get(self, what: str, call: Callable[[Any], Any], kind: type[T]) -> T:
        return decode(self.request(what, call), kind, f"{SPOTIFY} {what}")

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
