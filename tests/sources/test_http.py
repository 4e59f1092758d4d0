"""The HTTP door every service goes through (``linernotes.sources.http``), against
loopback servers: Retry-After as seconds and as an HTTP date, the cap, backoff,
per-host rates, the cache, redirects to binary bodies."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from linernotes.errors import AnswerError, QuotaError, UnavailableError
from linernotes.sources.http import (
    Classifier,
    HttpClient,
    RetryPolicy,
    Service,
    classify_status,
    decode,
)
from linernotes.sources.providers import deezer
from linernotes.sources.ratelimit import SAFETY, RateLimits
from tests.sources.providers.fakes import DEEZER_QUOTA, FakeService, Reply, Request, serving

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
POLICY = RetryPolicy(retries=3, backoff=0.1, retry_after_cap=60.0, timeout=5.0)
IMAGE = bytes(range(256)) * 8  # a body that is no text at all


class Pages(FakeService):
    """``/a``, ``/b`` … answer their path; ``/cover`` redirects to ``/image.jpg`` on
    ``image_host`` (another server), which answers binary bytes."""

    image_host = ""

    def answer(self, request: Request) -> Reply:
        if request.path == "/cover":
            return Reply(302, b"", {"Location": f"{self.image_host}/image.jpg"})
        if request.path == "/image.jpg":
            return Reply(200, IMAGE, {"Content-Type": "image/jpeg"})
        return Reply(200, b'{"path": "%s"}' % request.path.encode())


class Recorder:
    """A sleep that writes down how long it was asked to sleep, and sleeps only when
    ``real``."""

    def __init__(self, *, real: bool = False) -> None:
        self.slept: list[float] = []
        self.real = real

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.real:
            time.sleep(seconds)


@pytest.fixture
def pages() -> Iterator[Pages]:
    with serving(Pages(), "") as service:
        yield service


def client(
    service: FakeService,
    sleep: Recorder | None = None,
    *,
    classify: Classifier = classify_status,
    rate: float = 0.0,
    policy: RetryPolicy = POLICY,
    cache_path: Path | None = None,
    now: datetime = NOW,
) -> HttpClient:
    return HttpClient(
        Service("fake", classify, rate, policy),
        cache_path=cache_path,
        sleep=sleep or Recorder(),
        now=lambda: now,
    )


def test_a_retry_after_in_seconds_is_waited_for_real(pages: Pages) -> None:
    pages.fail(Reply(429, b"{}", {"Retry-After": "1"}))
    http = HttpClient(Service("fake", policy=POLICY))
    assert http.get(pages.base_url + "/a").json() == {"path": "/a"}
    first, second = (r.at for r in pages.requests)
    assert second - first >= 1.0 and pages.replies == [429, 200] and http.sent == 2


def test_a_retry_after_as_an_http_date_is_read_against_the_clock(pages: Pages) -> None:
    sleep = Recorder()
    pages.fail(Reply(503, b"{}", {"Retry-After": format_datetime(NOW + timedelta(seconds=42))}))
    assert client(pages, sleep).get(pages.base_url + "/a").status_code == 200
    assert sleep.slept == [42.0] and pages.replies == [503, 200]


@pytest.mark.parametrize(
    "header",
    ["86400", format_datetime(NOW + timedelta(days=1), usegmt=True)],
    ids=["seconds", "http-date"],
)
def test_a_wait_beyond_the_cap_stops_without_sleeping_and_closes_the_gate(
    pages: Pages, header: str
) -> None:
    sleep = Recorder()
    http = client(pages, sleep)
    pages.fail(Reply(429, b"{}", {"Retry-After": header}))
    with pytest.raises(QuotaError, match=r"fake asks to wait 24\.0 h \(HTTP 429\)") as caught:
        http.get(pages.base_url + "/a")
    assert caught.value.resume_after == NOW + timedelta(days=1) == http.resume_after
    assert sleep.slept == [] and len(pages.requests) == 1
    with pytest.raises(QuotaError, match="no request is sent before 2026-03-02 12:00:00 UTC"):
        http.get(pages.base_url + "/b")
    assert len(pages.requests) == 1
    later = client(pages, sleep, now=NOW + timedelta(days=1, seconds=1))
    later.resume_after = http.resume_after  # as the store hands it to the next run
    assert later.get(pages.base_url + "/b").status_code == 200


def test_waits_adding_up_beyond_the_cap_stop(pages: Pages) -> None:
    sleep = Recorder(real=True)
    policy = RetryPolicy(retries=10, backoff=0.1, retry_after_cap=2.0, timeout=5.0)
    pages.fail(Reply(429, b"{}", {"Retry-After": "1"}), times=None)
    started = time.monotonic()
    with pytest.raises(QuotaError, match="asks to wait 1 s"):
        client(pages, sleep, policy=policy).get(pages.base_url + "/a")
    assert sleep.slept == [1.0] and len(pages.requests) == 2
    assert 1.0 <= time.monotonic() - started < 2.0


def test_5xx_is_retried_with_exponential_backoff(pages: Pages) -> None:
    sleep = Recorder()
    pages.fail(Reply(500, b"oops"), times=2)
    pages.fail(Reply(502, b"oops"), times=1)
    assert client(pages, sleep).get(pages.base_url + "/a").status_code == 200
    assert sleep.slept == pytest.approx([0.1, 0.2, 0.4]) and pages.replies == [500, 500, 502, 200]


def test_5xx_beyond_the_retries_is_unavailable(pages: Pages) -> None:
    sleep = Recorder()
    pages.fail(Reply(503, b"down"), times=None)
    with pytest.raises(UnavailableError, match=r"fake keeps failing \(HTTP 503\) after 4 tries"):
        client(pages, sleep).get(pages.base_url + "/a")
    assert len(pages.requests) == 4 and sleep.slept == pytest.approx([0.1, 0.2, 0.4])


def test_a_backoff_beyond_the_cap_stops_early(pages: Pages) -> None:
    sleep = Recorder(real=True)  # the cap counts the time really spent
    pages.fail(Reply(500, b"oops"), times=None)
    policy = RetryPolicy(retries=10, backoff=0.4, retry_after_cap=1.0, timeout=5.0)
    with pytest.raises(UnavailableError, match="after 2 tries"):
        client(pages, sleep, policy=policy).get(pages.base_url + "/a")
    assert sleep.slept == [0.4]  # 0.4 + 0.8 would pass the cap of 1 s


def test_network_errors_are_retried_then_unavailable(tmp_path: Path) -> None:
    with serving(Pages(), "") as gone:
        url = gone.base_url + "/a"
    sleep = Recorder()
    with pytest.raises(UnavailableError, match=r"network error: ConnectionError\) after 4 tries"):
        client(gone, sleep).get(url)
    assert sleep.slept == pytest.approx([0.1, 0.2, 0.4])


def test_each_host_has_its_own_spacing() -> None:
    with ExitStack() as stack:
        one = stack.enter_context(serving(Pages(), ""))
        two = stack.enter_context(serving(Pages(), ""))
        http = HttpClient(Service("fake", rate=4.0, policy=POLICY))
        started = time.monotonic()
        for _ in range(3):
            http.get(one.base_url + "/a")
            http.get(two.base_url + "/a")
        elapsed = time.monotonic() - started
    for service in (one, two):
        gaps = [b - a for a, b in itertools.pairwise(r.at for r in service.requests)]
        assert len(gaps) == 2 and min(gaps) >= 0.2, gaps  # 1 / 4 s apart, jitter aside
    # Two hosts side by side: 3 requests each take 2 intervals, not 5.
    assert elapsed < 4 * SAFETY / 4.0, elapsed


def test_a_host_may_have_a_rate_of_its_own() -> None:
    sleep = Recorder()
    limits = RateLimits(1000.0, hosts={"slow.example": 0.5}, sleep=sleep)
    for _ in range(2):
        limits.wait("fast.example")
    assert sleep.slept == [] or max(sleep.slept) < 0.01
    limits.wait("slow.example")
    limits.wait("slow.example")
    assert sleep.slept[-1] == pytest.approx(2 * SAFETY, abs=0.05)


def test_a_cache_hit_never_waits_for_the_limiter(pages: Pages, tmp_path: Path) -> None:
    sleep = Recorder()
    http = client(pages, sleep, rate=0.5, cache_path=tmp_path / "cache.sqlite")
    assert not getattr(http.get(pages.base_url + "/a"), "from_cache", False)
    for _ in range(3):
        assert getattr(http.get(pages.base_url + "/a"), "from_cache", False)
    assert sleep.slept == [] and len(pages.requests) == 1 and http.sent == 1
    http.get(pages.base_url + "/b")  # a miss: now the limiter makes it wait
    assert sleep.slept == [pytest.approx(2 * SAFETY, abs=0.5)]
    http.close()


def test_try_later_answers_never_reach_the_cache(pages: Pages, tmp_path: Path) -> None:
    cache = tmp_path / "deezer.sqlite"
    quota_pause_unknown = client(pages, classify=deezer.classify, cache_path=cache)
    pages.fail(Reply(200, DEEZER_QUOTA))
    with pytest.raises(QuotaError, match=r"Quota limit exceeded \(code 4\)") as caught:
        quota_pause_unknown.get(pages.base_url + "/track/1")
    assert caught.value.resume_after is None  # Deezer does not say how long
    quota_pause_unknown.close()
    pages.fail(Reply(503, b"busy"))
    again = client(pages, classify=deezer.classify, cache_path=cache)
    answer = again.get(pages.base_url + "/track/1")
    assert answer.json() == {"path": "/track/1"} and not getattr(answer, "from_cache", False)
    assert pages.replies == [200, 503, 200]
    assert getattr(again.get(pages.base_url + "/track/1"), "from_cache", False)
    again.close()


def test_a_quota_without_retry_after_pauses_as_the_policy_says(pages: Pages) -> None:
    policy = RetryPolicy(retries=3, backoff=0.1, retry_after_cap=60.0, quota_pause=3600.0)
    pages.fail(Reply(200, DEEZER_QUOTA))
    with pytest.raises(QuotaError, match="asks to wait 60 min") as caught:
        client(pages, classify=deezer.classify, policy=policy).get(pages.base_url + "/x")
    assert caught.value.resume_after == NOW + timedelta(hours=1)


def test_redirects_to_binary_bodies_are_followed_and_cached(tmp_path: Path) -> None:
    with serving(Pages(), "") as pages, serving(Pages(), "") as images:
        pages.image_host = images.base_url
        http = client(pages, rate=1000.0, cache_path=tmp_path / "covers.sqlite")
        answer = http.get(pages.base_url + "/cover")
        assert answer.content == IMAGE and answer.headers["Content-Type"] == "image/jpeg"
        assert [r.path for r in pages.requests + images.requests] == ["/cover", "/image.jpg"]
        assert http.get(pages.base_url + "/cover").content == IMAGE
        assert len(pages.requests) + len(images.requests) == 2  # the second from the cache
        http.close()


def test_an_answer_nested_thousands_deep_is_one_error() -> None:
    deep = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(AnswerError, match="deezer search: unexpected answer: nested too deeply"):
        decode(deep, dict[str, object], "deezer search")
