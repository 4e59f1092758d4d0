"""Year stories ("Your 2024") and Liked Songs as a collection of its own, each with
the clusters of its tracks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linernotes.analysis.atlas import ClusterSet, cluster_set
from linernotes.analysis.habits import FirstListen
from linernotes.analysis.library import Library
from linernotes.analysis.play_facts import RepeatDay
from linernotes.analysis.tops import Key, Totals
from linernotes.config import Config


@dataclass(frozen=True)
class YearStory:
    """One calendar year of listening (the period itself is ``Stories.period(str(year))``)."""

    year: int
    months: list[int]  # ms listened in each month, January first
    new_artists: list[Key]  # artists first heard this year, most listened this year first
    history_starts: bool  # the history begins this year: everything in it is "new"
    repeat: RepeatDay | None
    cluster_tracks: list[int]  # the year's most-played library tracks that were clustered
    clusters: ClusterSet | None


@dataclass(frozen=True)
class LikedStory:
    """Liked Songs like a playlist: its tracks (most recently added first) and clusters."""

    track_ids: list[int]
    added: dict[int, str]  # track id → YYYY-MM-DD added, where the export says
    clusters: ClusterSet | None


def year_story(
    year: int,
    months: list[tuple[str, int, int]],
    first_artist: dict[Key, FirstListen],
    artist_totals: Totals,
    track_totals: Totals,
    repeat: RepeatDay | None,
    first_year: int,
    library: Library,
    config: Config,
) -> YearStory:
    """Gather what the page of ``year`` shows and cluster its most-played tracks."""
    prefix = f"{year:04d}-"
    per_month = dict((m, ms) for m, ms, _ in months if m.startswith(prefix))
    new = [a for a, first in first_artist.items() if first.day.year == year]
    index = artist_totals.index
    new.sort(key=lambda a: (-int(artist_totals.ms[index[a]]) if a in index else 0, str(a)))
    tracks = top_library_tracks(track_totals, library, config.listening.year_cluster_tracks)
    clusters = (
        cluster_set(library, tracks, config)
        if len(tracks) >= config.atlas.cluster_page_min_tracks
        else None
    )
    return YearStory(
        year=year,
        months=[per_month.get(f"{prefix}{m:02d}", 0) for m in range(1, 13)],
        new_artists=new,
        history_starts=year == first_year,
        repeat=repeat,
        cluster_tracks=tracks,
        clusters=clusters,
    )


def top_library_tracks(totals: Totals, library: Library, n: int) -> list[int]:
    """The ``n`` library tracks listened to longest (ties by id)."""
    keys = np.array([k if isinstance(k, int) else 0 for k in totals.keys], np.int64)
    chosen = np.flatnonzero((keys > 0) & (totals.ms > 0))
    order = chosen[np.lexsort((keys[chosen], -totals.ms[chosen]))]
    return [t for t in keys[order].tolist() if t in library.tracks][:n]


def liked_story(library: Library, added: dict[int, str], config: Config) -> LikedStory | None:
    """Liked Songs, most recently added first (then by id), with their clusters."""
    liked = [t.id for t in library.tracks.values() if t.liked]
    if not liked:
        return None
    liked.sort(key=lambda t: (added.get(t, ""), -t), reverse=True)
    clusters = (
        cluster_set(library, liked, config)
        if len(liked) >= config.atlas.cluster_page_min_tracks
        else None
    )
    return LikedStory(liked, {t: added[t] for t in liked if t in added}, clusters)
