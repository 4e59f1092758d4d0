"""Every provider at once, each track asked in source order.

Each service has its own host and its own rate limit, so Deezer at 9 requests a
second need not wait for MusicBrainz at one: the lookups of a run go through
one *lane* per provider, each in its own thread. A provider decides about a
track only once every provider before it has *settled* that track — looked it
up and written the answer, or decided not to ask — so it decides exactly as it
would had the providers run one after the other: what counts for a track is
what the import gave and what each provider found for that very track
(``store.enrichment.known_fields``), never what the lookup of another track
happened to give first. Within a lane, tracks are looked up in order (most
listened first). Only the calling thread touches the store; the lanes' threads
only talk to their services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Literal

from linernotes.clock import utc_stamp
from linernotes.errors import AnswerError, StoppedError
from linernotes.sources.providers.base import Provider
from linernotes.store.db import Store
from linernotes.store.enrichment import (
    FindingsWriter,
    TrackFindings,
    TrackQuery,
    known_fields,
    looking_up,
)

log = logging.getLogger(__name__)

# What a pass of a provider does: identify tracks (by Spotify id), or look them up.
Step = Literal["identify", "lookup"]


@dataclass
class ProviderRun:
    """What one pass of one provider did in a run (``planned`` may shrink while the
    providers before it fill what it would have been asked for)."""

    provider: str
    step: Step = "lookup"
    planned: int = 0
    done: int = 0
    found: int = 0
    not_found: int = 0
    unreadable: int = 0
    requests: int = 0
    cache_hits: int = 0
    stopped: str | None = None

    @property
    def name(self) -> str:
        """The provider, and the step when it identifies ("reccobeats ids")."""
        return f"{self.provider} ids" if self.step == "identify" else self.provider


@dataclass
class Lane:
    """One provider's lookups: the tracks it may be asked about (``candidates``, by
    index), what it decided so far (up to ``position``), what is settled."""

    provider: Provider
    run: ProviderRun
    above: tuple[str, ...]  # the sources ranked above it
    candidates: set[int]
    limit: int | None = None
    position: int = 0
    settled: int = 0
    pending: list[tuple[int, TrackQuery]] = field(default_factory=list)
    batch: list[tuple[int, TrackQuery]] = field(default_factory=list)
    future: Future[list[TrackFindings]] | None = None
    asked: int = 0
    remaining: int = 0  # candidates not decided about yet
    sent: int = 0
    hits: int = 0

    def done(self, total: int) -> bool:
        return self.settled >= total and self.future is None


Progress = Callable[[ProviderRun], None]


class Lanes:
    """The lanes of one run over ``tracks`` (most listened first)."""

    def __init__(self, store: Store, tracks: Sequence[TrackQuery], lanes: Sequence[Lane]) -> None:
        self.store = store
        self.tracks = tracks
        self.lanes = list(lanes)
        # The sources whose values count only for tracks they found: those with
        # lookups on record and those of this run (the rule stays the same all along).
        self.looking = looking_up(store.conn) | {lane.provider.name for lane in self.lanes}

    def run(self, on_progress: Progress | None = None) -> None:
        """Look every lane's tracks up; return when every lane is done or stopped."""
        total = len(self.tracks)
        with ThreadPoolExecutor(len(self.lanes) or 1, thread_name_prefix="enrich") as pool:
            try:
                while not all(lane.done(total) for lane in self.lanes):
                    for k, lane in enumerate(self.lanes):
                        upstream = min((up.settled for up in self.lanes[:k]), default=total)
                        self._feed(lane, upstream, pool)
                    busy = {lane.future: lane for lane in self.lanes if lane.future is not None}
                    if not busy:
                        continue  # every lane just settled what it could: feed again
                    finished, _ = wait(busy, return_when=FIRST_COMPLETED)
                    for future in finished:
                        self._commit(busy[future])
                        if on_progress:
                            on_progress(busy[future].run)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _feed(self, lane: Lane, upstream: int, pool: ThreadPoolExecutor) -> None:
        """Decide about the tracks the lanes before have settled; send a batch when
        one is full, or when no more tracks will come."""
        if lane.future is not None:
            return
        provider = lane.provider
        while lane.position < upstream and len(lane.pending) < provider.batch_size:
            index, track = lane.position, self.tracks[lane.position]
            lane.position += 1
            if index not in lane.candidates:
                continue
            lane.remaining -= 1
            if self._wanted(lane, track):
                lane.pending.append((index, track))
                lane.asked += 1
        lane.run.planned = lane.asked + lane.remaining
        if lane.limit is not None:
            lane.run.planned = min(lane.run.planned, lane.limit)
        full = len(lane.pending) >= provider.batch_size
        if lane.pending and (full or lane.position >= len(self.tracks)):
            lane.batch, lane.pending = lane.pending, []
            artists = set(provider.artists_done)
            lane.future = pool.submit(_lookup, provider, [t for _, t in lane.batch], artists)
            lane.settled = lane.batch[0][0]
        else:  # a batch still filling waits for the lanes before to settle more tracks
            lane.settled = lane.pending[0][0] if lane.pending else lane.position

    def _wanted(self, lane: Lane, track: TrackQuery) -> bool:
        if lane.limit is not None and lane.asked >= lane.limit:
            return False
        known = known_fields(self.store.conn, lane.above, track.track_id, self.looking)
        return not lane.provider.supplies <= known.get(track.track_id, set())

    def _commit(self, lane: Lane) -> None:
        """Write what the lane's batch found (or note why it found nothing)."""
        future, batch = lane.future, lane.batch
        if future is None:
            return
        lane.future, lane.batch = None, []
        run, provider = lane.run, lane.provider
        try:
            findings = future.result()
        except StoppedError as exc:
            run.stopped = str(exc)
            log.info("%s", exc)
            lane.position = lane.settled = len(self.tracks)
            lane.pending = []
        except AnswerError as exc:
            log.warning("%s", exc)  # not recorded as looked up: the next run asks again
            run.unreadable += len(batch)
            run.done += len(batch)
        else:
            with self.store.transaction() as conn:
                writer = FindingsWriter(conn, provider.name, utc_stamp())
                for finding in findings:
                    writer.write(finding)
            run.done += len(findings)
            run.found += sum(f.found for f in findings)
            run.not_found += sum(not f.found for f in findings)
        if run.stopped is None:
            lane.settled = lane.position
        run.requests = provider.http.requests_sent - lane.sent
        run.cache_hits = provider.http.cache_hits - lane.hits


def _lookup(provider: Provider, tracks: list[TrackQuery], artists: set[int]) -> list[TrackFindings]:
    """Look ``tracks`` up (in a lane's thread); an unreadable answer leaves the
    provider's artists as they were, so that the next run asks them again."""
    try:
        return provider.lookup(tracks)
    except AnswerError:
        provider.artists_done = artists
        raise
