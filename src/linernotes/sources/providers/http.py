"""The HTTP side of every provider: rate limit, persistent cache, retries with backoff.

One :class:`ProviderSession` per provider. Its requests-cache SQLite file keeps
every usable answer for good — "not found" answers included — so nothing is
fetched twice; answers that say "try later" (quota, rate limit, outage) are
never cached. The rate limiter sits in the transport adapter, which only
requests that miss the cache reach: cache hits cost no waiting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import requests
import requests_cache
from requests.adapters import HTTPAdapter

from linernotes import __version__
from linernotes.sources.providers.base import (
    AnswerError,
    ProviderError,
    QuotaError,
    RefusedError,
    UnavailableError,
    decode,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

Verdict = Literal["ok", "not_found", "transient", "quota", "fatal"]
# Reads a response (status, body) and says what it means for this provider.
Classifier = Callable[[int, bytes], tuple[Verdict, str]]
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
# Spacing margin: network jitter must never bring two requests closer than the
# published rate where the service measures it.
SAFETY = 1.02


def user_agent(contact: str) -> str:
    """The User-Agent every provider sends (MusicBrainz asks for ``App/Version ( contact )``)."""
    return f"linernotes/{__version__} ( {contact} )"


class RateLimiter:
    """Spaces calls at least ``1 / per_second`` seconds apart (thread-safe)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = SAFETY / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next call may go."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


class RateLimitedAdapter(HTTPAdapter):
    """A transport adapter that waits for the limiter before each request it sends."""

    def __init__(self, limiter: RateLimiter) -> None:
        super().__init__(max_retries=0)
        self.limiter = limiter
        self.sent = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.limiter.wait()
        self.sent += 1
        return super().send(request, **kwargs)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, backoff base (seconds, doubled each time), the longest
    Retry-After we wait for (a longer one stops the provider: a quota), request timeout."""

    retries: int = 4
    backoff: float = 1.0
    retry_after_cap: float = 60.0
    timeout: float = 30.0


@dataclass(frozen=True)
class Answer:
    """A usable answer: ``ok`` or ``not_found`` (the body says which, per provider)."""

    status: int
    body: bytes
    verdict: Verdict
    from_cache: bool
    request: Any = None  # what was asked (to drop an unreadable answer from the cache)


class ProviderSession:
    """Every request of one provider: cached, rate limited, retried, typed errors."""

    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        rate: float,
        contact: str,
        cache_path: Path,
        classify: Classifier,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.classify = classify
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.session = requests_cache.CachedSession(
            str(cache_path),
            backend="sqlite",
            expire_after=requests_cache.NEVER_EXPIRE,
            allowable_codes=(200, 400, 404),
            allowable_methods=("GET",),
            filter_fn=self._cacheable,
            stale_if_error=False,
            wal=True,  # and synchronous=NORMAL: a killed run loses nothing, saves stay fast
        )
        self.adapter = RateLimitedAdapter(RateLimiter(rate, sleep=sleep))
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)
        self.session.headers["User-Agent"] = user_agent(contact)
        self.session.headers["Accept"] = "application/json"
        self.cache_hits = 0

    @property
    def requests_sent(self) -> int:
        """Requests that reached the network (retries included)."""
        return self.adapter.sent

    def _cacheable(self, response: requests.Response) -> bool:
        return self.classify(response.status_code, response.content)[0] in ("ok", "not_found")

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Answer:
        """GET ``path`` (relative to the base URL); return an ``ok``/``not_found`` answer.

        Transient failures (connection errors, 5xx, MusicBrainz's 503, 429 with a
        short Retry-After) are retried with exponential backoff. Raises
        :class:`QuotaError` on a quota answer, :class:`UnavailableError` when every
        retry failed, :class:`RefusedError` on an answer no retry can fix (a
        suspended key, a forbidden client).
        """
        url = self.base_url + path.lstrip("/")
        message = ""
        verdict: Verdict
        wait: float | None
        for attempt in range(self.policy.retries + 1):
            try:
                response = self.session.get(url, params=params, timeout=self.policy.timeout)
            except _TRANSIENT as exc:
                verdict, message, wait = "transient", type(exc).__name__, None
            except requests.RequestException as exc:  # a malformed URL, a bad setting
                raise ProviderError(f"{self.name}: {exc}") from exc
            else:
                verdict, message = self.classify(response.status_code, response.content)
                from_cache = bool(getattr(response, "from_cache", False))
                if verdict in ("ok", "not_found"):
                    self.cache_hits += from_cache
                    return Answer(
                        response.status_code,
                        response.content,
                        verdict,
                        from_cache,
                        response.request,
                    )
                wait = retry_after(response.headers)
                if wait is not None and wait > self.policy.retry_after_cap:
                    verdict, message = "quota", f"{message}, Retry-After {wait:.0f} s"
                if verdict == "quota":
                    raise QuotaError(f"{self.name}: {message} (run enrich again later)")
                if verdict == "fatal":
                    raise RefusedError(f"{self.name}: {message} ({url})")
            if attempt == self.policy.retries:
                break
            delay = wait if wait is not None else self.policy.backoff * 2**attempt
            log.info("%s: %s, retrying in %.1f s", self.name, message, delay)
            self._sleep(delay)
        raise UnavailableError(
            f"{self.name}: {message} after {self.policy.retries + 1} tries (run enrich again later)"
        )

    def decode(self, answer: Answer, kind: type[T], what: str) -> T:
        """Decode an answer into ``kind``; an unreadable one is dropped from the cache
        (so that the next run asks again) and raises :class:`AnswerError`."""
        try:
            return decode(answer.body, kind, self.name, what)
        except AnswerError:
            if answer.request is not None:
                self.session.cache.delete(requests=[answer.request])
            raise

    def close(self) -> None:
        """Close the session and its cache file."""
        self.session.close()


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (number or HTTP date), or None."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
