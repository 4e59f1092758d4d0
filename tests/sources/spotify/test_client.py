"""The one HTTP entry point: Retry-After, the cap, the resume gate, 5xx, 401, 403, 404."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from linernotes.clock import utc_now
from linernotes.config import Config
from linernotes.errors import QuotaError, UnavailableError
from linernotes.sources.http import retry_after
from linernotes.sources.spotify.auth import TokenFile, auth_manager
from linernotes.sources.spotify.client import SpotifyClient
from linernotes.sources.spotify.errors import (
    ForbiddenError,
    NotFoundError,
    SpotifyAuthError,
    SpotifyError,
)
from tests.sources.spotify.conftest import CAP
from tests.sources.spotify.fake_server import FakeSpotify, Fault

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param("120", 120.0, id="seconds"),
        pytest.param(" 1.5 ", 1.5, id="fraction"),
        pytest.param("86400", 86400.0, id="a-day"),
        pytest.param("Sun, 01 Mar 2026 12:00:30 GMT", 30.0, id="http-date"),
        pytest.param("Mon, 02 Mar 2026 12:00:00 GMT", 86400.0, id="http-date-tomorrow"),
        pytest.param("Sat, 28 Feb 2026 12:00:00 GMT", 0.0, id="date-in-the-past"),
        pytest.param("-5", 0.0, id="negative"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    assert retry_after(header, NOW) == seconds


@pytest.fixture
def client(config: Config, token: TokenFile) -> Iterator[SpotifyClient]:
    made = SpotifyClient(config.spotify, auth_manager(config.spotify, token), backoff=0.05)
    yield made
    made.close()


def test_spotipys_own_retry_never_sleeps_through_a_day_long_wait(
    client: SpotifyClient, fake: FakeSpotify
) -> None:
    fake.inject(r"^/v1/me$", Fault.too_many("86400"))
    started = time.monotonic()
    with pytest.raises(QuotaError, match="resume after") as caught:
        client.me()
    assert time.monotonic() - started < 1
    assert len(fake.api_requests()) == 1  # spotipy did not retry behind our back
    wait = (caught.value.resume_after - utc_now()).total_seconds()
    assert 86_390 < wait <= 86_402


def test_a_short_retry_after_is_honoured(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", Fault.too_many("1"))
    started = time.monotonic()
    assert client.me().id == fake.library.user_id
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < CAP
    first, second = fake.api_requests("^/v1/me$")
    assert second.at - first.at >= 1.0


def test_waits_adding_up_beyond_the_cap_stop(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", *[Fault.too_many("1")] * 5)
    started = time.monotonic()
    with pytest.raises(QuotaError):
        client.me()
    assert CAP - 1 <= time.monotonic() - started <= CAP + 0.5
    assert 2 <= len(fake.api_requests()) <= CAP + 1


def test_quota_exceeded_without_retry_after_pauses_an_hour(
    client: SpotifyClient, fake: FakeSpotify
) -> None:
    fake.inject(r"^/v1/me$", Fault.too_many(quota=True))
    with pytest.raises(QuotaError, match="daily quota") as caught:
        client.me()
    wait = (caught.value.resume_after - utc_now()).total_seconds()
    assert 3590 < wait <= 3602


def test_no_request_is_sent_before_the_resume_time(
    config: Config, token: TokenFile, fake: FakeSpotify
) -> None:
    later = utc_now() + timedelta(hours=5)
    gated = SpotifyClient(config.spotify, auth_manager(config.spotify, token), resume_after=later)
    with pytest.raises(QuotaError, match="no request is sent before"):
        gated.me()
    assert fake.api_requests() == [] and gated.sent == 0
    moved = SpotifyClient(
        config.spotify,
        auth_manager(config.spotify, token),
        resume_after=later,
        now=lambda: utc_now() + timedelta(hours=6),
    )
    assert moved.me().id == fake.library.user_id


def test_a_burst_of_5xx_is_retried(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", Fault.server_error(500), Fault.server_error(502), Fault.server_error())
    assert client.me().id == fake.library.user_id
    assert [r.status for r in fake.api_requests()] == [500, 502, 503, 200]


def test_5xx_beyond_the_retries_stops(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", *[Fault.server_error()] * 10)
    with pytest.raises(UnavailableError, match="keeps failing"):
        client.me()
    assert len(fake.api_requests()) == 6  # the request and 5 retries


def test_network_errors_are_retried_within_the_cap(config: Config, token: TokenFile) -> None:
    from dataclasses import replace

    closed = replace(config.spotify, api_base="http://127.0.0.1:9/v1/")  # discard port
    client = SpotifyClient(closed, auth_manager(closed, token), backoff=0.05)
    started = time.monotonic()
    with pytest.raises(UnavailableError, match="network error"):
        client.me()
    assert time.monotonic() - started < CAP + 1


def test_an_expired_token_is_refreshed_once(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", Fault.expired_token())
    assert client.me().id == fake.library.user_id
    grants = [e for e in fake.log if e.path == "/api/token"]
    assert len(grants) == 2  # the login, then one refresh


def test_a_second_401_asks_to_log_in(client: SpotifyClient, fake: FakeSpotify) -> None:
    fake.inject(r"^/v1/me$", Fault.expired_token(), Fault.expired_token())
    with pytest.raises(SpotifyAuthError, match="linernotes login"):
        client.me()


def test_403_404_and_400_are_errors_of_their_own(client: SpotifyClient, fake: FakeSpotify) -> None:
    with pytest.raises(ForbiddenError, match="403"):
        client.request("GET /tracks?ids=", lambda sp: sp.tracks(["4iV5W9uYEdYUVa79Axb7Rh"]))
    with pytest.raises(NotFoundError):
        client.track("0" * 22)
    with pytest.raises(SpotifyError, match="400"):
        client.request("GET /me/tracks", lambda sp: sp.current_user_saved_tracks(limit=100))


def test_a_server_that_hangs_does_not_block_beyond_the_cap(
    client: SpotifyClient, fake: FakeSpotify
) -> None:
    fake.inject(r"^/v1/me$", Fault.stall(CAP + 3), Fault.stall(CAP + 3))
    started = time.monotonic()
    with pytest.raises(UnavailableError, match="network error"):
        client.me()
    assert time.monotonic() - started < CAP + 1
