"""The ``enrich`` run: identify tracks, then ask each provider about the tracks it can
improve, most listened first.

First, providers that identify tracks by Spotify id (ReccoBeats) are asked
what each track without ISRC is: its ISRC and duration, which the lookups by
ISRC need. Then every provider is asked at once, each in its own lane
(``lanes``), but about each track in the configured source order, so that a
service is asked only what no earlier answer gave: a provider is asked about a
track only when the track misses a field the provider supplies from every
source ranked above it (a value from a lower source would never be shown),
once the providers above have settled that track, and when it has not asked
about that track before. (With the default order Deezer, whose one answer per
ISRC gives label, genres, cover and BPM, comes before MusicBrainz, which is then
asked only about what is still missing.) A track without ISRC is searched for by
names by providers that can. Each batch is written in its own transaction with
its record in ``track_lookups`` or ``track_identities``, so the run can be
interrupted at any moment: the next run asks only what is left, and finds the
answers of an interrupted batch in the HTTP cache. Because what counts for a
track is what the import gave and what each provider above found for that very
track, an interrupted and resumed run ends with the same store as an
uninterrupted one, and the same as providers run one after the other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from linernotes.clock import utc_stamp
from linernotes.errors import AnswerError, StoppedError
from linernotes.model import SourceRank
from linernotes.sources.providers.base import Provider
from linernotes.sources.providers.lanes import Lane, Lanes, ProviderRun
from linernotes.store.db import Store
from linernotes.store.enrichment import (
    FindingsWriter,
    TrackQuery,
    iter_track_queries,
    known_fields,
    looked_up_artists,
    looked_up_tracks,
)
from linernotes.store.identities import SPOTIFY_ID, asked_tracks

log = logging.getLogger(__name__)


@dataclass
class EnrichReport:
    """Every provider's run, in the order they ran."""

    runs: list[ProviderRun] = field(default_factory=list)

    @property
    def requests(self) -> int:
        """Requests that reached the network, all providers together."""
        return sum(run.requests for run in self.runs)


def sources_above(provider: str, source_order: Sequence[str]) -> list[str]:
    """The sources whose values are shown before ``provider``'s (all, when it is unranked)."""
    order = list(source_order)
    return order[: order.index(provider)] if provider in order else order


def pass_order(providers: Sequence[Provider], source_order: Sequence[str]) -> list[Provider]:
    """Providers in source order (unranked ones last, as given)."""
    rank = SourceRank(source_order)
    return sorted(providers, key=lambda p: rank(p.name))


def plan_lookups(
    store: Store, provider: Provider, source_order: Sequence[str], limit: int | None = None
) -> list[TrackQuery]:
    """The tracks ``provider`` would look up now, most listened first (at most
    ``limit``): those it can look up, has not asked about before, and that miss a
    field it supplies from every source ranked above it."""
    tracks = list(iter_track_queries(store.conn))
    plan = [tracks[i] for i in sorted(candidates(store, provider, source_order, tracks))]
    return plan if limit is None else plan[:limit]


def candidates(
    store: Store, provider: Provider, source_order: Sequence[str], tracks: Sequence[TrackQuery]
) -> set[int]:
    """The indexes in ``tracks`` of those ``provider`` would look up now."""
    known = known_fields(store.conn, sources_above(provider.name, source_order))
    asked = looked_up_tracks(store.conn, provider.name)
    return {
        i
        for i, track in enumerate(tracks)
        if track.track_id not in asked
        and provider.can_look_up(track)
        and not provider.supplies <= known.get(track.track_id, set())
    }


def plan_identification(
    store: Store, provider: Provider, limit: int | None = None
) -> list[TrackQuery]:
    """The tracks with a Spotify id and no ISRC that ``provider`` has not identified
    (or failed to) before, most listened first (at most ``limit``)."""
    asked = asked_tracks(store.conn, provider.name, SPOTIFY_ID)
    plan: list[TrackQuery] = []
    for track in iter_track_queries(store.conn):
        if track.spotify_id and not track.isrc and track.track_id not in asked:
            plan.append(track)
            if limit is not None and len(plan) >= limit:
                break
    return plan


class Enrichment:
    """One ``enrich`` run over a store; ``report`` grows as it goes (read it after
    an interruption to say what was kept)."""

    def __init__(
        self,
        store: Store,
        providers: Sequence[Provider],
        source_order: Sequence[str],
        *,
        limit: int | None = None,
        on_start: Callable[[ProviderRun], None] | None = None,
        on_progress: Callable[[ProviderRun], None] | None = None,
    ) -> None:
        self.store = store
        self.providers = pass_order(providers, source_order)
        self.source_order = tuple(source_order)
        self.limit = limit
        self.on_start = on_start
        self.on_progress = on_progress
        self.report = EnrichReport()

    def run(self) -> EnrichReport:
        """Identify, then run every provider at once, each track asked in source order
        (``lanes``); a provider that stops (quota, outage) lets the others go on.
        Returns the report (an identification with nothing to identify is left out)."""
        for provider in self.providers:
            if provider.identifies:
                plan = plan_identification(self.store, provider, self.limit)
                if plan:
                    self._identify(provider, ProviderRun(provider.name, "identify"), plan)
        tracks = list(iter_track_queries(self.store.conn))
        lanes = [self._lane(provider, tracks) for provider in self.providers]
        Lanes(self.store, tracks, lanes).run(self.on_progress)
        return self.report

    def _lane(self, provider: Provider, tracks: Sequence[TrackQuery]) -> Lane:
        provider.artists_done = looked_up_artists(self.store.conn, provider.name)
        wanted = candidates(self.store, provider, self.source_order, tracks)
        run = ProviderRun(provider.name, planned=len(wanted))
        if self.limit is not None:
            run.planned = min(run.planned, self.limit)
        self.report.runs.append(run)
        if self.on_start:
            self.on_start(run)
        above = tuple(sources_above(provider.name, self.source_order))
        lane = Lane(provider, run, above, wanted, self.limit, remaining=len(wanted))
        lane.sent, lane.hits = provider.http.requests_sent, provider.http.cache_hits
        return lane

    def _identify(self, provider: Provider, run: ProviderRun, plan: list[TrackQuery]) -> None:
        self.report.runs.append(run)
        run.planned = len(plan)
        if self.on_start:
            self.on_start(run)
        sent, hits = provider.http.requests_sent, provider.http.cache_hits
        try:
            for start in range(0, len(plan), provider.batch_size):
                batch = plan[start : start + provider.batch_size]
                self._identify_batch(provider, run, batch)
                run.requests = provider.http.requests_sent - sent
                if self.on_progress:
                    self.on_progress(run)
        except StoppedError as exc:
            run.stopped = str(exc)
            log.info("%s", exc)
        finally:
            run.requests = provider.http.requests_sent - sent
            run.cache_hits = provider.http.cache_hits - hits

    def _identify_batch(
        self, provider: Provider, run: ProviderRun, batch: list[TrackQuery]
    ) -> None:
        try:
            identities = provider.identify(batch)
        except AnswerError as exc:
            log.warning("%s", exc)  # not recorded: the next run asks again
            run.unreadable += len(batch)
        else:
            with self.store.transaction() as conn:
                writer = FindingsWriter(conn, provider.name, utc_stamp())
                for track_id, identity in identities:
                    writer.identity(track_id, identity)
            run.found += sum(identity.found for _, identity in identities)
            run.not_found += sum(not identity.found for _, identity in identities)
        run.done += len(batch)
