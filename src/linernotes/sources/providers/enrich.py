"""The ``enrich`` run: ask each provider about the tracks it can improve, most listened first.

Providers run one after the other in the configured source order. A provider
is asked about a track only when the track misses a field the provider
supplies from every source ranked above it (a value from a lower source would
never be shown) and when it has not asked about that track before. Each
lookup is written in its own transaction with its record in
``track_lookups``, so the run can be interrupted at any moment: the next run
asks only what is left, and finds the answers of an interrupted lookup in the
HTTP cache. Because the plan of a provider depends only on the store and on
providers ranked above it, which have finished by then, an interrupted and
resumed run ends with the same store as an uninterrupted one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from linernotes.clock import utc_stamp
from linernotes.errors import AnswerError, StoppedError
from linernotes.model import SourceRank
from linernotes.sources.providers.base import Provider
from linernotes.store.db import Store
from linernotes.store.enrichment import (
    FindingsWriter,
    TrackQuery,
    iter_track_queries,
    known_fields,
    looked_up_artists,
    looked_up_tracks,
)

log = logging.getLogger(__name__)


@dataclass
class ProviderRun:
    """What one provider did in a run."""

    provider: str
    planned: int = 0
    done: int = 0
    found: int = 0
    not_found: int = 0
    unreadable: int = 0
    requests: int = 0
    cache_hits: int = 0
    stopped: str | None = None


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
    """The tracks ``provider`` should look up, most listened first (at most ``limit``)."""
    known = known_fields(store.conn, sources_above(provider.name, source_order))
    asked = looked_up_tracks(store.conn, provider.name)
    plan: list[TrackQuery] = []
    for track in iter_track_queries(store.conn):
        if track.track_id in asked or not provider.can_look_up(track):
            continue
        if provider.supplies <= known.get(track.track_id, set()):
            continue
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
        """Run every provider in turn; a provider that stops (quota, outage) lets the
        next one go on. Returns the report."""
        for provider in self.providers:
            run = ProviderRun(provider.name)
            self.report.runs.append(run)
            try:
                self._run_provider(provider, run)
            except StoppedError as exc:
                run.stopped = str(exc)
                log.info("%s", exc)
            finally:
                run.requests = provider.http.requests_sent
                run.cache_hits = provider.http.cache_hits
        return self.report

    def _run_provider(self, provider: Provider, run: ProviderRun) -> None:
        plan = plan_lookups(self.store, provider, self.source_order, self.limit)
        provider.artists_done = looked_up_artists(self.store.conn, provider.name)
        run.planned = len(plan)
        if self.on_start:
            self.on_start(run)
        for start in range(0, len(plan), provider.batch_size):
            batch = plan[start : start + provider.batch_size]
            artists_done = set(provider.artists_done)
            try:
                findings = provider.lookup(batch)
            except AnswerError as exc:
                # Not recorded as looked up: the next run asks again.
                log.warning("%s", exc)
                provider.artists_done = artists_done
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
            run.requests = provider.http.requests_sent
            if self.on_progress:
                self.on_progress(run)
