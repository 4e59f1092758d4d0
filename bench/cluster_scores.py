"""How well the demo atlas's clusters find what the demo planted (used by bench/demo.py).

Score of a page: the adjusted Rand index between its clusters (odd ones out as a
group of their own) and the planted groups: styles on playlist pages, sub-styles
on genre pages. Tracks of a planted group with fewer than 3 tracks or 5 % of the
page are left out of the score: a lone crossover (a track that reaches a genre
page through a featured artist) is not a group anyone could find.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from linernotes.analysis.atlas import Analysis, ClusterSet, cluster_set
from linernotes.analysis.clustering import cluster_tracks, numeric_limits
from linernotes.analysis.features import FeatureMatrix
from linernotes.analysis.kchoice import choose_split, odd_ones_out
from linernotes.config import Config
from linernotes.demo.catalogue import build_catalogue

MIN_GROUP, MIN_GROUP_SHARE = 3, 0.05


@dataclass(frozen=True)
class PageScores:
    """Mean ARI of a kind of page, how many pages have k = 1, and how many of those
    are not one planted group (a second group of 3+ tracks and 10 %+ of the page)."""

    ari: float
    pages: int
    one_cluster: int
    one_cluster_wrong: list[str]


def page_ari(truth: Sequence[str], labels: Sequence[int]) -> float:
    """ARI over the tracks of planted groups big enough to find (see module doc)."""
    counts = Counter(truth)
    keep = [counts[t] >= max(MIN_GROUP, MIN_GROUP_SHARE * len(truth)) for t in truth]
    kept_truth = [t for t, k in zip(truth, keep, strict=True) if k]
    kept_labels = [label for label, k in zip(labels, keep, strict=True) if k]
    return float(adjusted_rand_score(kept_truth, kept_labels))


def score_pages(
    analysis: Analysis, truth_path: Path, kind: str, key: str = "track_style"
) -> PageScores:
    """Score the playlist ("playlist") or genre ("genre") cluster pages against the
    truth file's ``key`` ("track_style" or "track_sub_style")."""
    planted = json.loads(truth_path.read_text("utf-8"))[key]
    pages = analysis.playlist_clusters if kind == "playlist" else analysis.genre_clusters
    scores, single, wrong = [], 0, []
    names = {p.id: p.name for p in analysis.library.playlists}
    for page, clusters in pages.items():
        truth = [
            planted.get(analysis.library.tracks[t].spotify_id or "", "local")
            for t in clusters.features.track_ids
        ]
        scores.append(page_ari(truth, clusters.clustering.labels))
        if clusters.clustering.k == 1:
            single += 1
            big = [n for n in Counter(truth).values() if n >= max(3, 0.1 * len(truth))]
            if len(big) > 1:
                wrong.append(str(names.get(page, page)) if isinstance(page, int) else str(page))
    mean = float(np.mean(scores)) if scores else float("nan")
    return PageScores(mean, len(scores), single, wrong)


def stability(analysis: Analysis, config: Config, size: tuple[int, int] = (80, 120)) -> list[int]:
    """For every playlist of ``size`` tracks: cluster it, add one track (the first
    library track not in it that shares its most common genre, else the first not in
    it) and cluster again with the first build as previous; return how many of the
    other tracks changed cluster (odd ones out count as a cluster) per playlist."""
    library = analysis.library
    moved = []
    for playlist in library.playlists:
        if not size[0] <= len(playlist.track_ids) <= size[1]:
            continue
        first = analysis.playlist_clusters[playlist.id]
        before = first.memberships()
        extra = _added_track(analysis, playlist.track_ids)
        second = cluster_set(
            library,
            (*playlist.track_ids, extra),
            config,
            together=analysis.together,
            without=playlist.id,
            previous=before,
        )
        after = second.memberships()
        moved.append(sum(after[t] != n for t, n in before.items()))
    return moved


def _added_track(analysis: Analysis, members: Sequence[int]) -> int:
    inside = set(members)
    genres = Counter(g for t in members for g in analysis.library.tracks[t].genres)
    top = genres.most_common(1)[0][0] if genres else None
    for track in sorted(analysis.library.tracks):
        if track not in inside and (top is None or top in analysis.library.tracks[track].genres):
            return track
    return next(t for t in sorted(analysis.library.tracks) if t not in inside)


def choose_k_times(tracks: int, repeats: int = 5, seed: int = 7) -> tuple[float, float]:
    """Median seconds to choose k (odd ones out + the criterion) and to cluster
    completely, on a feature matrix of ``tracks`` demo-catalogue tracks."""
    features = catalogue_features(tracks, seed)
    config = Config().clustering
    choose, whole = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with numeric_limits():  # as cluster_tracks runs it
            odd = odd_ones_out(features.matrix, np.random.default_rng(config.seed))
            choose_split(features.matrix[~odd], config.k_min, config.k_max, config.seed)
        choose.append(time.perf_counter() - started)
        started = time.perf_counter()
        cluster_tracks(features, config)
        whole.append(time.perf_counter() - started)
    return statistics.median(choose), statistics.median(whole)


def catalogue_features(tracks: int, seed: int) -> FeatureMatrix:
    """A page-like feature matrix of a demo catalogue: audio features z-scored, the
    artist's genres as tags, the release year; weighted as ``features`` weighs them."""
    cat = build_catalogue(seed, tracks)
    audio = (cat.features - cat.features.mean(axis=0)) / cat.features.std(axis=0) / 3.0
    vocab = sorted({g for a in cat.artists for g in a.genres})
    tags = np.zeros((tracks, len(vocab)))
    for row, track in enumerate(cat.tracks):
        for genre in cat.artists[track.artists[0]].genres:
            tags[row, vocab.index(genre)] = 1.0
    years = np.array([cat.albums[t.album].year for t in cat.tracks], dtype=float)
    years = (years - years.mean()) / years.std() * np.sqrt(0.5)
    matrix = np.hstack([audio, tags - tags.mean(axis=0), years[:, None]])
    ids = tuple(range(1, tracks + 1))
    blocks = ("audio features", "genres", "release year")
    return FeatureMatrix(ids, matrix, tuple(f"c{i}" for i in range(matrix.shape[1])), blocks, {})


__all__ = ["ClusterSet", "PageScores", "choose_k_times", "page_ari", "score_pages", "stability"]
