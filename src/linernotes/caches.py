"""Caches beside the store that a build reads before it analyses: the facts of
the plays (``cache/listening.msgpack``) and the clusterings of the last build
(``cache/clusters.msgpack``), each under a key of exactly its inputs."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

from linernotes.analysis.cluster_cache import ClusterCache
from linernotes.analysis.play_facts import FACTS_VERSION, PlayFacts, compute_play_facts
from linernotes.model import HistorySummary, PodcastTotal, TrackYear
from linernotes.program import program_digest
from linernotes.store import Store
from linernotes.store.fingerprint import history_fingerprint
from linernotes.store.history import history_summary, iter_track_years
from linernotes.store.listening import read_play_columns, read_podcast_totals

log = logging.getLogger(__name__)

CLUSTER_CACHE = Path("cache") / "clusters.msgpack"
FACTS_CACHE = Path("cache") / "listening.msgpack"


class HistoryFacts(msgspec.Struct, frozen=True):
    """What the build reads from the plays, cached under ``key``: the stories' facts,
    podcast totals, listening per track and year, and the history's summary."""

    key: str
    plays: PlayFacts
    podcasts: list[PodcastTotal]
    track_years: list[TrackYear]
    summary: HistorySummary


def history_facts(store: Store, zone: ZoneInfo, *, cold: bool = False) -> HistoryFacts:
    """The facts of the plays: from the cache beside the store when its key (the
    plays' fingerprint, the time zone, the facts' version, the program) still
    matches (and not ``cold``), else computed (a few seconds for millions of
    plays) and cached."""
    fingerprint = history_fingerprint(store.conn)
    key = f"{FACTS_VERSION}|{program_digest()}|{zone.key}|{fingerprint}"
    path = store.path.parent / FACTS_CACHE if store.path else None
    if path is not None and path.is_file() and not cold:
        try:
            cached = msgspec.msgpack.decode(path.read_bytes(), type=HistoryFacts)
        except (msgspec.DecodeError, OSError):
            cached = None  # a damaged or older cache is recomputed
        if cached is not None and cached.key == key:
            return cached
    plays = compute_play_facts(read_play_columns(store.conn), zone)
    facts = HistoryFacts(
        key,
        plays,
        read_podcast_totals(store.conn),
        list(iter_track_years(store.conn)),
        history_summary(store.conn),
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(msgspec.msgpack.encode(facts))
        os.replace(partial, path)
    return facts


def load_clusters(store: Store) -> ClusterCache:
    """The clusterings the last build kept beside the store (none when damaged)."""
    path = _cluster_path(store)
    if path is None or not path.is_file():
        return ClusterCache()
    try:
        return ClusterCache.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError) as exc:
        log.info("%s: unreadable cluster cache (%s); clustering anew", path, exc)
        return ClusterCache()


def save_clusters(store: Store, cache: ClusterCache) -> None:
    """Keep this build's clusterings beside the store (written whole or not at all)."""
    path = _cluster_path(store)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(cache.encode())
    os.replace(partial, path)


def _cluster_path(store: Store) -> Path | None:
    return store.path.parent / CLUSTER_CACHE if store.path is not None else None
