"""The Cover Art Archive: the front image of a MusicBrainz release.

``release/<mbid>`` (relative to ``coverartarchive_base``) answers, after a
redirect to archive.org's ``index.json``, the listing of a release's images:
``{"images": [{"front", "image", "thumbnails": {"250", "500", "1200", "small",
"large"}, "types", …}], "release"}`` (older listings give only ``small`` and
``large``). 404 when the release is unknown or has no art, 400 for a malformed
MBID, 503 from its rate limiter. The covers step (``sources/covers.py``) asks
it about albums without a cover URL whose release MusicBrainz matched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import msgspec

from linernotes.config import ProvidersConfig
from linernotes.sources.http import RetryPolicy, Verdict
from linernotes.sources.providers.base import ProviderSession

ARCHIVE = "coverartarchive"
THUMBNAILS = ("500", "large", "1200")  # the smallest at least 320 px, then larger


def classify(status: int, body: bytes) -> tuple[Verdict, str]:
    """What a Cover Art Archive answer means: 400 (not a UUID) and 404 (no such release,
    or no art) find nothing; 503 is its rate limiter."""
    if status in (400, 404):
        return "not_found", f"HTTP {status}"
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    if status >= 300:
        return "fatal", f"HTTP {status}"
    return "ok", "ok"


class Image(msgspec.Struct, frozen=True):
    front: bool = False
    image: str = ""
    thumbnails: dict[str, str] = {}


class Listing(msgspec.Struct, frozen=True):
    images: list[Image] = []


def front_image(listing: Listing) -> str | None:
    """The URL of a listing's front image: its 500 px thumbnail when listed, else the
    image itself; None when no image is marked front."""
    front = next((i for i in listing.images if i.front), None)
    if front is None:
        return None
    return next((front.thumbnails[k] for k in THUMBNAILS if front.thumbnails.get(k)), None) or (
        front.image or None
    )


class CoverArtArchive:
    """``release/<mbid>`` on the Cover Art Archive (base URL and rate from the settings)."""

    def __init__(self, session: ProviderSession) -> None:
        self.session = session

    @classmethod
    def from_config(
        cls,
        config: ProvidersConfig,
        cache_dir: Path,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> CoverArtArchive:
        """The archive as ``[providers]`` sets it, its answers cached in ``cache_dir``."""
        return cls(
            ProviderSession(
                ARCHIVE,
                base_url=config.coverartarchive_base,
                rate=config.coverartarchive_rate,
                contact=config.contact,
                cache_path=cache_dir / f"{ARCHIVE}.sqlite",
                classify=classify,
                policy=policy,
                sleep=sleep,
            )
        )

    def front(self, release_id: str) -> str | None:
        """The front image's URL for a MusicBrainz release, or None.

        Raises :class:`StoppedError` when the archive cannot be asked now and
        :class:`AnswerError` for an unreadable listing.
        """
        answer = self.session.get(f"release/{release_id}")
        if answer.verdict == "not_found":
            return None
        return front_image(self.session.decode(answer, Listing, f"release {release_id}"))

    def close(self) -> None:
        self.session.close()
