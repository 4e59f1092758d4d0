"""The provider interface: what every open-data source offers, and how it fails."""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

import msgspec

from linernotes.config import ProvidersConfig
from linernotes.errors import LinernotesError
from linernotes.store.enrichment import TrackFindings, TrackQuery

if TYPE_CHECKING:
    from linernotes.sources.providers.http import ProviderSession, RetryPolicy, Verdict

T = TypeVar("T")
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")


class ProviderError(LinernotesError):
    """A provider cannot be used as configured (missing key, unknown name, refused answer)."""


class ProviderStopped(ProviderError):
    """A provider stopped for this run; what it found is kept and the next run resumes."""


class QuotaError(ProviderStopped):
    """The service says our quota is used up (Deezer code 4, a long Retry-After …)."""


class UnavailableError(ProviderStopped):
    """The service kept failing after every retry (outage, network down)."""


class RefusedError(ProviderStopped):
    """The service refuses us for good (invalid or suspended key, blocked client)."""


class AnswerError(ProviderError):
    """One answer could not be read; the track is skipped and asked again next run."""


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
        from linernotes.sources.providers.http import ProviderSession

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
        """Read an answer: ``(verdict, message)``, verdict one of http.Verdict."""

    @abstractmethod
    def can_look_up(self, track: TrackQuery) -> bool:
        """True when the track carries what this provider needs (ISRC, Spotify id, names)."""

    @abstractmethod
    def lookup(self, tracks: Sequence[TrackQuery]) -> list[TrackFindings]:
        """Return findings for every track of ``tracks`` (at most ``batch_size``).

        Raises :class:`ProviderStopped` when the service refuses to go on.
        """

    def close(self) -> None:
        """Release the HTTP session and its cache."""
        self.http.close()


def decode(body: bytes, kind: type[T], provider: str, what: str) -> T:
    """Decode a JSON answer into ``kind`` (a BOM is tolerated: some Last.fm bodies carry one).

    Raises :class:`AnswerError` naming the provider and what was asked.
    """
    try:
        return msgspec.json.decode(body.removeprefix(b"\xef\xbb\xbf"), type=kind)
    except msgspec.DecodeError as exc:
        raise AnswerError(f"{provider}: unexpected answer for {what}: {exc}") from exc


def clean_isrc(isrc: str | None) -> str | None:
    """Return the ISRC upper-case without hyphens, or None when it is not one."""
    value = (isrc or "").replace("-", "").strip().upper()
    return value if _ISRC.match(value) else None
