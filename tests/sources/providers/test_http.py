"""The HTTP layer every provider shares: spacing, cache, retries, typed stops."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from linernotes.clock import utc_now
from linernotes.errors import QuotaError, UnavailableError
from linernotes.sources.http import RetryPolicy, retry_after, user_agent
from linernotes.sources.providers import deezer, lastfm, musicbrainz, reccobeats
from linernotes.sources.providers.base import ProviderSession, RefusedError
from linernotes.sources.ratelimit import SAFETY, RateLimiter
from tests.sources.providers.fakes import (
    DEEZER_NO_DATA,
    DEEZER_QUOTA,
    LASTFM_INVALID_KEY,
    LASTFM_RATE_LIMIT,
    MB_NOT_FOUND,
    MB_RATE_LIMITED,
    FakeService,
    Reply,
    Request,
    serving,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_calls_by_the_published_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(4):
        limiter.wait()
        starts.append(clock.now)
        clock.now += 0.1  # the request itself
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == pytest.approx([SAFETY] * 3)
    clock.now += 5  # idle for a while: the next call goes at once
    limiter.wait()
    assert clock.slept[-1] == pytest.approx(SAFETY - 0.1)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("3", 3.0), ("0", 0.0), ("1.5", 1.5), ("", None), ("soon", None)],
    ids=["int", "zero", "float", "empty", "garbage"],
)
def test_retry_after(value: str, seconds: float | None) -> None:
    assert retry_after(value or None, utc_now()) == seconds


def test_retry_after_as_http_date_in_the_past_is_zero() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", utc_now()) == 0.0


@pytest.mark.parametrize(
    ("classify", "status", "body", "verdict"),
    [
        (musicbrainz.classify, 200, b"{}", "ok"),
        (musicbrainz.classify, 404, MB_NOT_FOUND, "not_found"),
        (musicbrainz.classify, 400, b'{"error": "Invalid isrc."}', "not_found"),
        (musicbrainz.classify, 503, MB_RATE_LIMITED, "transient"),
        (musicbrainz.classify, 403, b"{}", "fatal"),
        (deezer.classify, 200, b'{"id": 1}', "ok"),
        (deezer.classify, 200, DEEZER_NO_DATA, "not_found"),
        (deezer.classify, 200, DEEZER_QUOTA, "quota"),
        (
            deezer.classify,
            200,
            b'{"error":{"type":"Exception","message":"busy","code":700}}',
            "transient",
        ),
        (deezer.classify, 429, b"", "transient"),
        (reccobeats.classify, 200, b'{"content": []}', "ok"),
        (reccobeats.classify, 429, b"", "transient"),
        (reccobeats.classify, 400, b"{}", "fatal"),
        (lastfm.classify, 200, b'{"toptags": {"tag": []}}', "ok"),
        (lastfm.classify, 200, b'{"error":6,"message":"Track not found","links":[]}', "not_found"),
        (lastfm.classify, 429, LASTFM_RATE_LIMIT, "transient"),
        (lastfm.classify, 200, LASTFM_RATE_LIMIT, "transient"),
        (lastfm.classify, 403, LASTFM_INVALID_KEY, "fatal"),
        (lastfm.classify, 403, b'\xef\xbb\xbf{"error": 26, "message": "Suspended"}', "fatal"),
    ],
    ids=[
        "mb-ok",
        "mb-404",
        "mb-invalid-isrc",
        "mb-503",
        "mb-403",
        "dz-ok",
        "dz-800",
        "dz-quota-4",
        "dz-busy-700",
        "dz-429",
        "rb-ok",
        "rb-429",
        "rb-400",
        "lf-ok",
        "lf-6",
        "lf-429",
        "lf-29",
        "lf-10",
        "lf-26-bom",
    ],
)
def test_classify(classify, status: int, body: bytes, verdict: str) -> None:  # type: ignore[no-untyped-def]
    assert classify(status, body)[0] == verdict


class Echo(FakeService):
    """Answers ``{"path": …}`` with 200, ``/missing`` with 404."""

    def answer(self, request: Request) -> Reply:
        if request.path.endswith("/missing"):
            return Reply(404, MB_NOT_FOUND)
        return Reply(200, b'{"path": "%s"}' % request.path.encode())


def _session(service: FakeService, tmp_path: Path, **policy: float) -> ProviderSession:
    return ProviderSession(
        "echo",
        base_url=service.base_url,
        rate=1000.0,
        contact="tests@linernotes.invalid",
        cache_path=tmp_path / "cache" / "echo.sqlite",
        classify=musicbrainz.classify,
        policy=RetryPolicy(retries=3, backoff=0.01, retry_after_cap=2.0, timeout=5.0, **policy),  # type: ignore[arg-type]
    )


def test_answers_and_not_found_are_cached_for_good(tmp_path: Path) -> None:
    with serving(Echo(), "/ws/2/") as service:
        session = _session(service, tmp_path)
        assert session.get("a").verdict == "ok"
        assert session.get("missing").verdict == "not_found"
        assert len(service.requests) == 2
        assert service.requests[0].headers["User-Agent"] == user_agent("tests@linernotes.invalid")
        session.close()
        again = _session(service, tmp_path)  # a later run: same cache file
        assert again.get("a").from_cache and again.get("missing").from_cache
        assert len(service.requests) == 2 and again.requests_sent == 0
        again.close()


def test_transient_errors_are_retried_and_never_cached(tmp_path: Path) -> None:
    with serving(Echo(), "/ws/2/") as service:
        service.fail(Reply(503, MB_RATE_LIMITED), times=2)
        session = _session(service, tmp_path)
        answer = session.get("a")
        assert answer.verdict == "ok" and not answer.from_cache
        assert service.replies == [503, 503, 200]
        service.fail(Reply(500, b"oops"), times=None)
        with pytest.raises(UnavailableError, match="after 4 tries"):
            session.get("b")
        service.clear_faults()
        assert session.get("b").verdict == "ok"  # the 500s were not cached
        session.close()


def test_a_long_retry_after_is_a_quota_and_a_short_one_is_waited(tmp_path: Path) -> None:
    with serving(Echo(), "/ws/2/") as service:
        session = _session(service, tmp_path)
        service.fail(Reply(429, b"{}", {"Retry-After": "0"}))
        assert session.get("a").verdict == "ok"
        service.fail(Reply(429, b"{}", {"Retry-After": "86400"}))
        with pytest.raises(QuotaError, match="again later") as caught:
            session.get("b")
        assert caught.value.resume_after is not None
        asked = len(service.requests)
        with pytest.raises(QuotaError, match="no request is sent before"):
            session.get("c")  # nothing goes out before the time asked for
        assert len(service.requests) == asked
        session.close()
        later = _session(service, tmp_path)
        service.fail(Reply(403, b'{"error": "blocked"}'))
        with pytest.raises(RefusedError, match="HTTP 403"):
            later.get("c")
        later.close()


def test_connection_refused_stops_the_provider_after_retries(tmp_path: Path) -> None:
    with serving(Echo(), "/ws/2/") as service:
        url = service.base_url
    session = ProviderSession(
        "gone",
        base_url=url,
        rate=1000.0,
        contact="x",
        cache_path=tmp_path / "gone.sqlite",
        classify=musicbrainz.classify,
        policy=RetryPolicy(retries=1, backoff=0.01, timeout=1.0),
    )
    with pytest.raises(UnavailableError, match="ConnectionError"):
        session.get("a")
    session.close()


def test_a_whole_url_and_a_batch_of_ids_go_through_the_same_session(tmp_path: Path) -> None:
    with serving(Echo(), "/ws/2/") as service, serving(Echo(), "/") as covers:
        session = _session(service, tmp_path)
        cover = session.get(covers.base_url + "release/abc/front")  # as a cover URL is given
        assert cover.verdict == "ok" and cover.body == b'{"path": "/release/abc/front"}'
        batch = session.get("tracks", {"ids": "a,b,c"})
        assert batch.verdict == "ok" and service.requests[-1].param("ids") == "a,b,c"
        assert session.get("tracks", {"ids": "a,b,c"}).from_cache
        assert not session.get("tracks", {"ids": "a,b"}).from_cache  # another batch
        assert session.requests_sent == 3 and session.cache_hits == 1
        session.close()
