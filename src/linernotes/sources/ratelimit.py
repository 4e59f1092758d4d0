"""Request spacing per host: at least ``1 / rate`` seconds between two requests.

MusicBrainz allows one request per second and measures the time between
requests, so a limiter here spaces requests rather than counting them per
window. That is why this is not requests-ratelimiter / pyrate-limiter: they
let a window's worth of requests go out at once (two requests at 2/s may leave
together), and a fractional rate with a safety margin turns into a window such
as 50 requests per 51 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

Clock = Callable[[], float]
Sleep = Callable[[float], None]
# Spacing margin: network jitter must never bring two requests closer than the
# published rate where the service measures it.
SAFETY = 1.02


class RateLimiter:
    """Spaces calls at least ``SAFETY / per_second`` seconds apart (thread-safe)."""

    def __init__(
        self, per_second: float, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
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


class RateLimits:
    """One :class:`RateLimiter` per host: at ``per_second``, or at the rate ``hosts``
    gives for that host (``"coverartarchive.org": 1.0``)."""

    def __init__(
        self,
        per_second: float,
        *,
        hosts: Mapping[str, float] | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.per_second = per_second
        self.hosts = dict(hosts or {})
        self._clock = clock
        self._sleep = sleep
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until the next request to ``host`` may go."""
        with self._lock:
            limiter = self._limiters.get(host)
            if limiter is None:
                rate = self.hosts.get(host, self.per_second)
                limiter = self._limiters[host] = RateLimiter(rate, self._clock, self._sleep)
        limiter.wait()
