"""The one door to the web: every HTTP request linernotes sends goes through a
:class:`ServiceAdapter`.

The adapter is a requests transport adapter, mounted on a plain session
(Spotify, through spotipy) or on a requests-cache session (the open-data
providers). For each request it

* spaces requests per host (at least ``1 / rate`` seconds apart);
* reads each answer with the service's classifier, which sees the status and
  the body (Deezer's errors come with HTTP 200, Spotify names its quota in a
  429 body, MusicBrainz's rate limiter answers 503);
* retries "try later" answers and network errors, after the ``Retry-After``
  the service asks for (seconds or an HTTP date) or with exponential backoff;
* never waits beyond the policy's cap: one request spends at most
  ``retry_after_cap`` seconds waiting and retrying. A longer wait asked for is
  not slept through: it stops the run with :class:`QuotaError` carrying the
  time to resume after, and no request goes out before that time. Failures
  beyond the retries stop it with :class:`UnavailableError`.

Sitting below requests-cache, the adapter sees only cache misses: a cache hit
never waits for the rate limiter, and "try later" answers are raised, never
returned, so they never reach the cache. Redirects are followed by the
session, each hop through the adapter (and its own host's limiter).

Why not urllib3's ``Retry`` (what spotipy and requests use): it decides on the
status alone, so it cannot see errors in 200 bodies; it clamps a long
``Retry-After`` to ``retry_after_max`` and sleeps instead of stopping; its
retries happen inside ``urlopen``, below the adapter, so they would bypass the
per-host spacing; and it has no budget for the time one request takes.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import msgspec
import requests
import requests_cache
from requests.adapters import HTTPAdapter

from linernotes import __version__
from linernotes.clock import format_time, format_wait, utc_now
from linernotes.errors import AnswerError, QuotaError, UnavailableError
from linernotes.sources.ratelimit import Clock, RateLimits, Sleep

log = logging.getLogger(__name__)
T = TypeVar("T")

# What an answer means: ok and not_found are usable (and cacheable); transient asks
# to try again; quota asks to wait (until Retry-After, else the policy's quota_pause);
# fatal is an answer no retry changes, handed back to the caller as it is.
Verdict = Literal["ok", "not_found", "transient", "quota", "fatal"]
# Reads an answer (status, body) and says what it means for one service.
Classifier = Callable[[int, bytes], tuple[Verdict, str]]
Now = Callable[[], datetime]

NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
_BOM = b"\xef\xbb\xbf"


def user_agent(contact: str) -> str:
    """The User-Agent of linernotes (MusicBrainz asks for ``App/Version ( contact )``)."""
    return f"linernotes/{__version__} ( {contact} )"


def classify_status(status: int, body: bytes) -> tuple[Verdict, str]:
    """The plain HTTP reading: 404 finds nothing, 429 and 5xx are worth a retry, any
    other 4xx is final."""
    if status == 404:
        return "not_found", "HTTP 404"
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    if status >= 400:
        return "fatal", f"HTTP {status}"
    return "ok", "ok"


def retry_after(value: str | None, now: datetime) -> float | None:
    """Return the seconds a ``Retry-After`` header asks to wait, from ``now`` (UTC).

    RFC 9110 allows delay-seconds or an HTTP date (a fraction is read too); a date
    in the past, or a negative number, gives 0; no header or anything else, None.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, source unknown
        moment = moment.replace(tzinfo=now.tzinfo)
    return max(0.0, (moment - now).total_seconds())


def decode(data: object, kind: type[T], what: str) -> T:
    """Type a JSON answer as ``kind``: raw bytes (a UTF-8 byte-order mark is tolerated:
    some Last.fm bodies carry one), or JSON a client library already parsed (None is
    read as ``{}``; numbers given as strings are accepted).

    Raises :class:`AnswerError` naming ``what`` (the service and what was asked).
    """
    try:
        if isinstance(data, bytes):
            return msgspec.json.decode(data.removeprefix(_BOM), type=kind)
        return msgspec.convert(data if data is not None else {}, kind, strict=False)
    except msgspec.DecodeError as exc:  # ValidationError included
        raise AnswerError(f"{what}: unexpected answer: {exc}") from exc
    except RecursionError as exc:  # JSON nested thousands deep: no real answer is
        raise AnswerError(f"{what}: unexpected answer: nested too deeply") from exc


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: retries after the first attempt, the first backoff (seconds,
    doubled each time), the cap (seconds one request may spend waiting and retrying;
    a longer wait stops the run), the timeout of one attempt, and the wait assumed
    for a quota answer without ``Retry-After`` (None: unknown, stop at once)."""

    retries: int = 4
    backoff: float = 1.0
    retry_after_cap: float = 60.0
    timeout: float = 30.0
    quota_pause: float | None = None


@dataclass(frozen=True)
class Service:
    """Who a session talks to: its name (in messages), how its answers read, its rate
    (requests per second and host; 0 for no limit) and its retry policy."""

    name: str
    classify: Classifier = classify_status
    rate: float = 0.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class ServiceAdapter(HTTPAdapter):
    """The transport adapter every request of one service goes through: rate limit per
    host, classification, retries, the cap and the resume gate (see the module).

    ``sent`` counts requests that reached the network, retries included;
    ``resume_after`` is the earliest time a request may be sent (None: any time).
    """

    def __init__(
        self,
        service: Service,
        *,
        limits: RateLimits | None = None,
        resume_after: datetime | None = None,
        sleep: Sleep = time.sleep,
        now: Now = utc_now,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(max_retries=0)  # retries are ours: urllib3's would bypass the limits
        self.service = service
        self.limits = limits or RateLimits(service.rate, clock=clock, sleep=sleep)
        self.resume_after = resume_after
        self.sent = 0
        self._sleep = sleep
        self._now = now
        self._clock = clock

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, timeout: Any = None, **kwargs: Any
    ) -> requests.Response:
        """Send ``request`` until an answer other than "try later" comes; return it.

        Raises :class:`QuotaError` when the service asks to wait beyond the cap (or
        its earlier wait is not over) and :class:`UnavailableError` when it kept
        failing; other request errors (a malformed URL…) as requests raises them.
        """
        self._check_gate()
        host = urlsplit(request.url or "").netloc
        started = self._clock()
        failures = 0
        while True:
            self.limits.wait(host)
            spent = self._clock() - started
            self.sent += 1
            response: requests.Response | None
            try:
                response = super().send(request, timeout=self._timeout(timeout, spent), **kwargs)
                verdict, message = self.service.classify(response.status_code, response.content)
            except NETWORK_ERRORS as exc:
                response, verdict, message = (
                    None,
                    "transient",
                    f"network error: {type(exc).__name__}",
                )
            else:
                if verdict not in ("transient", "quota"):
                    return response
                response.close()  # its headers stay readable
            failures += 1
            delay = self._delay(response, verdict, message, failures, self._clock() - started)
            log.info("%s: %s, retrying in %.1f s", self.service.name, message, delay)
            self._sleep(delay)

    def _timeout(self, asked: Any, spent: float) -> Any:
        """The timeout of one attempt: the caller's, within the policy's, and never
        beyond what is left of the cap (1 s at least)."""
        if isinstance(asked, tuple):
            return asked
        policy = self.service.policy
        timeout = policy.timeout if asked is None else min(float(asked), policy.timeout)
        return min(timeout, max(1.0, policy.retry_after_cap - spent))

    def _delay(
        self,
        response: requests.Response | None,
        verdict: Verdict,
        message: str,
        failures: int,
        spent: float,
    ) -> float:
        """Return how long to wait before the next attempt (``spent`` seconds have gone
        into this request so far), or raise the error that stops the run."""
        policy = self.service.policy
        now = self._now()
        asked = None
        if response is not None:
            asked = retry_after(response.headers.get("Retry-After"), now)
        if asked is None and verdict == "quota":
            asked = policy.quota_pause
            if asked is None:
                raise QuotaError(f"{self.service.name}: {message}")
        too_many = response is not None and response.status_code == 429
        wait = asked if asked is not None else policy.backoff * 2 ** (failures - 1)
        if (asked is not None or too_many) and spent + wait > policy.retry_after_cap:
            raise self._pause(wait, message, now)
        if failures > policy.retries or spent + wait > policy.retry_after_cap:
            raise UnavailableError(
                f"{self.service.name} keeps failing ({message}) after {failures} tries"
            )
        return wait

    def _pause(self, seconds: float, message: str, now: datetime) -> QuotaError:
        """Close the gate for ``seconds`` (rounded up to whole seconds) and return the
        error that says so."""
        resume = now + timedelta(seconds=math.ceil(seconds))
        resume = resume.replace(microsecond=0) + timedelta(seconds=1 if resume.microsecond else 0)
        self.resume_after = resume
        return QuotaError(
            f"{self.service.name} asks to wait {format_wait(seconds)} ({message})", resume
        )

    def _check_gate(self) -> None:
        resume = self.resume_after
        if resume is None:
            return
        now = self._now()
        if now < resume:
            left = (resume - now).total_seconds()
            raise QuotaError(
                f"{self.service.name} asked linernotes to pause: no request is sent before"
                f" {format_time(resume)} (in {format_wait(left)})",
                resume,
            )


class HttpClient:
    """A session for one service: every request through its :class:`ServiceAdapter`,
    answers kept for good in a requests-cache SQLite file when ``cache_path`` is given.

    The cache keeps the answers the classifier calls ``ok`` or ``not_found`` (with a
    status in ``cacheable``) — so nothing usable is fetched twice — and never one
    that says "try later". ``session`` is a plain :class:`requests.Session` to hand
    to client libraries (spotipy's ``requests_session``).
    """

    def __init__(
        self,
        service: Service,
        *,
        cache_path: Path | None = None,
        cacheable: tuple[int, ...] = (200, 400, 404),
        headers: Mapping[str, str] | None = None,
        limits: RateLimits | None = None,
        resume_after: datetime | None = None,
        sleep: Sleep = time.sleep,
        now: Now = utc_now,
    ) -> None:
        self.service = service
        self.adapter = ServiceAdapter(
            service, limits=limits, resume_after=resume_after, sleep=sleep, now=now
        )
        self.session = (
            requests.Session()
            if cache_path is None
            else _cached_session(service, cache_path, cacheable)
        )
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)
        self.session.headers.update(headers or {})

    @property
    def sent(self) -> int:
        """Requests that reached the network (retries included)."""
        return self.adapter.sent

    @property
    def resume_after(self) -> datetime | None:
        """The earliest time a request may be sent (None: any time)."""
        return self.adapter.resume_after

    @resume_after.setter
    def resume_after(self, moment: datetime | None) -> None:
        self.adapter.resume_after = moment

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """GET ``url`` (redirects followed, each hop through the adapter); return the
        answer, from the cache when it holds one (``response.from_cache``).

        Raises what :meth:`ServiceAdapter.send` raises.
        """
        return self.session.get(
            url, params=params, headers=headers, timeout=self.service.policy.timeout
        )

    def forget(self, response: requests.Response) -> None:
        """Drop ``response`` from the cache (an answer that turned out unreadable), so
        that the next run asks again."""
        if isinstance(self.session, requests_cache.CachedSession):
            self.session.cache.delete(requests=[response.request])

    def close(self) -> None:
        """Close the connections and the cache file."""
        self.session.close()


def _cached_session(
    service: Service, path: Path, cacheable: tuple[int, ...]
) -> requests_cache.CachedSession:
    def usable(response: requests.Response) -> bool:
        return service.classify(response.status_code, response.content)[0] in ("ok", "not_found")

    path.parent.mkdir(parents=True, exist_ok=True)
    return requests_cache.CachedSession(
        str(path),
        backend="sqlite",
        expire_after=requests_cache.NEVER_EXPIRE,
        allowable_codes=cacheable,
        allowable_methods=("GET",),
        filter_fn=usable,
        stale_if_error=False,
        wal=True,  # and synchronous=NORMAL: a killed run loses nothing, saves stay fast
    )
