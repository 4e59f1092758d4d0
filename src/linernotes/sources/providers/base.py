"""The provider interface: what every open-data source offers, how it asks, and how it fails."""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self, TypeVar

import requests

from linernotes.config import ProvidersConfig
from linernotes.errors import (
    AnswerError,
    LinernotesError,
    QuotaError,
    StoppedError,
    UnavailableError,
)
from linernotes.sources.http import (
    Classifier,
    HttpClient,
    RetryPolicy,
    Service,
    Verdict,
    decode,
    user_agent,
)
from linernotes.store.enrichment import TrackFindings, TrackQuery
from linernotes.store.identities import Identity

T = TypeVar("T")
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")
AGAIN = "run enrich again later"


class ProviderError(LinernotesError):
    """A provider cannot be used as configured (missing key, unknown name, bad URL)."""


class RefusedError(StoppedError):
    """The service refuses us for good (invalid or suspended key, blocked client): the
    provider stops for this run."""


@dataclass(frozen=True)
class Answer:
    """A usable answer: ``ok`` or ``not_found`` (the body says which, per provider)."""

    status: int
    body: bytes
    verdict: Verdict
    from_cache: bool
    response: requests.Response | None = None  # to drop an unreadable answer from the cache


class ProviderSession:
    """Every request of one provider: relative to its base URL, through the shared HTTP
    door (rate limit per host, persistent cache, retries), read by its classifier."""

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
        self.client = HttpClient(
            Service(name, classify, rate, policy or RetryPolicy()),
            cache_path=cache_path,
            headers={"User-Agent": user_agent(contact), "Accept": "application/json"},
            sleep=sleep,
        )
        self.cache_hits = 0

    @property
    def requests_sent(self) -> int:
        """Requests that reached the network (retries included)."""
        return self.client.sent

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """GET ``path`` (relative to the base URL, or a whole URL such as a cover's, its
        redirects followed); return an ``ok``/``not_found`` answer — any body, JSON or
        an image. Batch lookups pass their ids in ``params``.

        Raises :class:`QuotaError` when the service asks to wait beyond the cap,
        :class:`UnavailableError` when every retry failed, :class:`RefusedError` on
        an answer no retry can fix (a suspended key, a forbidden client) and
        :class:`ProviderError` for a request that cannot be sent (a malformed URL).
        """
        url = path if "://" in path else self.base_url + path.lstrip("/")
        try:
            response = self.client.get(url, params, headers=headers)
        except QuotaError as exc:
            raise QuotaError(f"{exc} ({AGAIN})", exc.resume_after) from exc
        except UnavailableError as exc:
            raise UnavailableError(f"{exc} ({AGAIN})") from exc
        except requests.RequestException as exc:
            raise ProviderError(f"{self.name}: {exc}") from exc
        verdict, message = self.classify(response.status_code, response.content)
        if verdict not in ("ok", "not_found"):  # only "fatal" comes past the door
            raise RefusedError(f"{self.name}: {message} ({url})")
        from_cache = bool(getattr(response, "from_cache", False))
        self.cache_hits += from_cache
        return Answer(response.status_code, response.content, verdict, from_cache, response)

    def decode(self, answer: Answer, kind: type[T], what: str) -> T:
        """Decode an answer into ``kind``; an unreadable one is dropped from the cache
        (so that the next run asks again) and raises :class:`AnswerError`."""
        try:
            return decode(answer.body, kind, f"{self.name} {what}")
        except AnswerError:
            if answer.response is not None:
                self.client.forget(answer.response)
            raise

    def close(self) -> None:
        """Close the session and its cache file."""
        self.client.close()


class Provider(ABC):
    """One open-data source: looks tracks up and returns what it found.

    ``supplies`` names the fields (``store.enrichment.FIELDS``) it can fill:
    the planner asks it only about tracks missing one of them. A provider
    never touches the store; every HTTP request goes through ``self.http``
    (rate limit, cache, retries).
    """

    name: ClassVar[str]
    supplies: ClassVar[frozenset[str]]
    batch_size: ClassVar[int] = 1
    # True when the provider identifies tracks by Spotify id (their ISRC and
    # duration), which enrich asks before any lookup: see :meth:`identify`.
    identifies: ClassVar[bool] = False

    def __init__(self, http: ProviderSession) -> None:
        self.http = http
        # Artists already looked up on their own (filled by the planner, then by us).
        self.artists_done: set[int] = set()

    @classmethod
    def from_config(
        cls,
        config: ProvidersConfig,
        cache_dir: Path,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Self:
        """Open the provider as ``[providers]`` says (``<name>_base`` and the rate
        of :meth:`rate`), its HTTP cache in ``cache_dir``.

        Raises :class:`ProviderError` when a setting it needs is missing.
        """
        session = ProviderSession(
            cls.name,
            base_url=getattr(config, f"{cls.name}_base"),
            rate=cls.rate(config),
            contact=config.contact,
            cache_path=cache_dir / f"{cls.name}.sqlite",
            classify=cls.classify,
            policy=policy,
            sleep=sleep,
        )
        return cls.open(session, config)

    @classmethod
    def rate(cls, config: ProvidersConfig) -> float:
        """Requests per second: ``<name>_rate`` of the settings."""
        return float(getattr(config, f"{cls.name}_rate"))

    @classmethod
    def open(cls, session: ProviderSession, config: ProvidersConfig) -> Self:
        """The provider on ``session`` (a provider needing more settings overrides it)."""
        return cls(session)

    @staticmethod
    @abstractmethod
    def classify(status: int, body: bytes) -> tuple[Verdict, str]:
        """Read an answer: ``(verdict, message)`` (see :data:`linernotes.sources.http.Verdict`)."""

    @abstractmethod
    def can_look_up(self, track: TrackQuery) -> bool:
        """True when the track carries what this provider needs (ISRC, Spotify id, names)."""

    @abstractmethod
    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        """Return findings for every track of ``tracks`` (at most ``batch_size``).

        Raises :class:`StoppedError` when the service refuses to go on.
        """

    def identify(self, tracks: Sequence[TrackQuery]) -> list[tuple[int, Identity]]:
        """Say what each of ``tracks`` (at most ``batch_size``, each with a Spotify id)
        is: ``(track id, identity)`` for every one, found or not. Only a provider
        that ``identifies`` has it.

        Raises :class:`StoppedError` when the service refuses to go on.
        """
        raise NotImplementedError(f"{self.name} does not identify tracks")

    def close(self) -> None:
        """Release the HTTP session and its cache."""
        self.http.close()


def clean_isrc(isrc: str | None) -> str | None:
    """Return the ISRC upper-case without hyphens, or None when it is not one."""
    value = (isrc or "").replace("-", "").strip().upper()
    return value if _ISRC.match(value) else None
