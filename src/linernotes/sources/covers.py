"""The covers step of ``enrich``: every album's art downloaded once into the cover cache.

It runs after the providers, in two passes, most listened albums first:

1. Albums without a cover URL whose MusicBrainz release is known are looked up
   on the Cover Art Archive: ``release/<mbid>`` answers (through a redirect to
   archive.org's ``index.json``) the listing of the release's images; the one
   marked ``front: true`` is taken, as its 500 px thumbnail (pages need at
   most 320 px). The URL found is kept in ``cover_lookups``.
2. Every album's cover URL — from the export, Spotify, Exportify, a provider or
   the archive — is followed as given (http or https, redirects), checked and
   resized (:mod:`linernotes.artwork`) into ``<store folder>/cache/covers/``.

Each URL's outcome is written as it comes, so the step may stop at any moment
and the next run goes on: a URL whose files are in the cache is not downloaded
again, a refused or missing one is not asked again. A bad file (an HTML error
page, a truncated image, a decompression bomb) is refused for its URL, with
the reason logged and kept. A host that keeps failing or asks to wait is left
for the next run while the other hosts go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import requests

from linernotes.artwork import CoverCache, cover_sizes
from linernotes.clock import utc_stamp
from linernotes.config import ProvidersConfig
from linernotes.errors import AnswerError, ArtworkError, StoppedError
from linernotes.sources.http import HttpClient, RetryPolicy, Service, Verdict, user_agent
from linernotes.sources.providers.coverartarchive import ARCHIVE, CoverArtArchive
from linernotes.sources.ratelimit import RateLimits
from linernotes.store.covers import (
    CACHED,
    NOT_FOUND,
    REFUSED,
    cover_urls,
    download_states,
    record_cover_lookup,
    record_download,
    releases_to_look_up,
)
from linernotes.store.db import Store

log = logging.getLogger(__name__)

DOWNLOADS = "covers"


class CoverSource(Protocol):
    """Where cover files come from: the web (:class:`WebCovers`) or the demo's own art."""

    @property
    def sent(self) -> int:
        """Requests that reached the network so far."""
        ...

    def fetch(self, url: str) -> bytes | None:
        """Return the file at ``url``, or None when there is none (HTTP 404).

        Raises :class:`ArtworkError` when this URL cannot give a cover (refused for
        good) and :class:`StoppedError` when its host cannot be asked now.
        """
        ...


@dataclass
class CoversRun:
    """What one pass of the covers step did (``stage``: coverartarchive or covers)."""

    stage: str
    planned: int = 0
    done: int = 0
    found: int = 0
    not_found: int = 0
    refused: int = 0
    left: int = 0  # left for the next run (their host could not be asked)
    requests: int = 0
    stopped: list[str] = field(default_factory=list)


Progress = Callable[[CoversRun], None]


def classify_image(status: int, body: bytes) -> tuple[Verdict, str]:
    """What an image host's answer means: 404/410 no such image; 429 and 5xx try later;
    any other error is final for this URL."""
    if status in (404, 410):
        return "not_found", f"HTTP {status}"
    if status == 429 or status >= 500:
        return "transient", f"HTTP {status}"
    if status >= 300:
        return "fatal", f"HTTP {status}"
    return "ok", "ok"


class WebCovers:
    """Cover files from the web, through the shared HTTP door (rate per host, retries,
    redirects); never cached as they come: the cover cache keeps what is made of them."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    @property
    def sent(self) -> int:
        return self.client.sent

    def fetch(self, url: str) -> bytes | None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ArtworkError("not an http(s) URL")
        try:
            response = self.client.get(url)
        except StoppedError:
            raise
        except requests.TooManyRedirects as exc:
            raise ArtworkError("too many redirects") from exc
        except requests.RequestException as exc:
            raise ArtworkError(f"cannot be requested ({type(exc).__name__})") from exc
        verdict, message = classify_image(response.status_code, response.content)
        if verdict == "not_found":
            return None
        if verdict != "ok":
            raise ArtworkError(message)
        return response.content

    def close(self) -> None:
        self.client.close()


def open_web(
    config: ProvidersConfig,
    cache_dir: Path,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[CoverArtArchive, WebCovers]:
    """The Cover Art Archive (answers cached in ``cache_dir``) and the image downloads,
    as ``[providers]`` sets them; the archive's own host keeps its rate for images too."""
    policy = policy or RetryPolicy()
    archive = CoverArtArchive.from_config(config, cache_dir, policy=policy, sleep=sleep)
    host = urlsplit(config.coverartarchive_base).netloc
    limits = RateLimits(config.covers_rate, hosts={host: config.coverartarchive_rate}, sleep=sleep)
    client = HttpClient(
        Service(DOWNLOADS, classify_image, config.covers_rate, policy),
        headers={"User-Agent": user_agent(config.contact), "Accept": "image/*"},
        limits=limits,
        sleep=sleep,
    )
    return archive, WebCovers(client)


def find_release_covers(
    store: Store,
    archive: CoverArtArchive,
    *,
    limit: int | None = None,
    on_start: Progress | None = None,
    on_progress: Progress | None = None,
) -> CoversRun:
    """Ask the archive about every album without a cover URL whose release is known;
    return what was found. Stops (keeping what is done) when the archive cannot be asked."""
    plan = releases_to_look_up(store.conn, ARCHIVE)[:limit]
    run = CoversRun(ARCHIVE, planned=len(plan))
    if on_start:
        on_start(run)
    for query in plan:
        try:
            url = archive.front(query.release_id)
        except StoppedError as exc:
            run.stopped.append(str(exc))
            run.left = run.planned - run.done
            log.info("%s", exc)
            break
        except AnswerError as exc:
            log.warning("%s", exc)  # not recorded: asked again next run
        else:
            with store.transaction() as conn:
                record_cover_lookup(conn, query.album_id, ARCHIVE, url, utc_stamp())
            run.found += url is not None
            run.not_found += url is None
        run.done += 1
        run.requests = archive.session.requests_sent
        if on_progress:
            on_progress(run)
    return run


def download_covers(
    store: Store,
    cache: CoverCache,
    source: CoverSource,
    *,
    limit: int | None = None,
    on_start: Progress | None = None,
    on_progress: Progress | None = None,
) -> CoversRun:
    """Bring every album's cover into ``cache`` that is not there yet; return what was done.

    A URL already in the cache, refused or missing before is skipped; ``limit`` caps
    the downloads of this run.
    """
    plan = _downloads_to_do(store, cache)[:limit]
    run = CoversRun(DOWNLOADS, planned=len(plan))
    if on_start:
        on_start(run)
    left_hosts: dict[str, str] = {}
    for url in plan:
        host = urlsplit(url).netloc
        if host in left_hosts:
            run.left += 1
        else:
            status, reason = _download(cache, source, url)
            if status is None:
                left_hosts[host] = reason or ""
                run.stopped.append(reason or host)
                run.left += 1
            else:
                with store.transaction() as conn:
                    record_download(conn, url, status, reason, utc_stamp())
                run.found += status == CACHED
                run.refused += status == REFUSED
                run.not_found += status == NOT_FOUND
        run.done += 1
        run.requests = source.sent
        if on_progress:
            on_progress(run)
    return run


def _downloads_to_do(store: Store, cache: CoverCache) -> list[str]:
    states = download_states(store.conn)
    return [
        url
        for url in cover_urls(store.conn)
        if states.get(url) not in (REFUSED, NOT_FOUND) and not cache.has(url)
    ]


def _download(cache: CoverCache, source: CoverSource, url: str) -> tuple[str | None, str | None]:
    """Fetch, check and keep one cover: ``(status, reason)``; status None when its host
    cannot be asked now (the reason says why)."""
    try:
        data = source.fetch(url)
        if data is None:
            return NOT_FOUND, None
        cache.save(url, cover_sizes(data))
    except StoppedError as exc:
        log.info("cover %s left for the next run: %s", url, exc)
        return None, str(exc)
    except ArtworkError as exc:
        log.warning("cover %s refused: %s", url, exc)
        return REFUSED, str(exc)
    return CACHED, None


def fetch_covers(
    store: Store,
    cache: CoverCache,
    archive: CoverArtArchive | None,
    source: CoverSource | None,
    *,
    limit: int | None = None,
    on_start: Progress | None = None,
    on_progress: Progress | None = None,
) -> list[CoversRun]:
    """The whole covers step: the archive's lookups (when ``archive`` is given), then the
    downloads (when ``source`` is: none for ``covers = "remote"``). Returns both runs."""
    runs: list[CoversRun] = []
    if archive is not None:
        runs.append(
            find_release_covers(
                store, archive, limit=limit, on_start=on_start, on_progress=on_progress
            )
        )
    if source is not None:
        runs.append(
            download_covers(
                store, cache, source, limit=limit, on_start=on_start, on_progress=on_progress
            )
        )
    return runs
