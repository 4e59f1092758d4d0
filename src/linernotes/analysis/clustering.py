"""Group tracks that belong together: odd ones out set aside, KMeans with k chosen
by the silhouette of the rest (``kchoice``), cluster numbers that follow the
previous build's clusters, a map of the same space, and the most typical tracks
of each cluster first."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn import config_context
from sklearn.decomposition import PCA
from threadpoolctl import ThreadpoolController

from linernotes.analysis.features import FeatureMatrix
from linernotes.analysis.kchoice import (
    CLOSE_SCORES,
    SPLIT_SCORE,
    Split,
    choose_split,
    fit_split,
    odd_ones_out,
)
from linernotes.config import ClusteringConfig

# A warm start from last build's clusters is kept when its fit is at most this much
# worse than a fresh one, so one added track moves no other track.
WARM_TOLERANCE = 1.02
MAP_SAMPLE = 5_000  # a bigger page's map directions are found on this many tracks
MOSTLY_UNKNOWN = 0.5  # share of a track's feature weight filled in (imputed)


@cache
def _threads() -> ThreadpoolController:
    """The thread pools of the numeric libraries, found once (a search costs ~10 ms)."""
    return ThreadpoolController()


@dataclass(frozen=True)
class Cluster:
    """One cluster: its number and its tracks, the most typical first (tracks whose
    features had to be filled in come after those fully known)."""

    number: int
    track_ids: tuple[int, ...]
    distances: tuple[float, ...]

    @property
    def size(self) -> int:
        """Number of tracks."""
        return len(self.track_ids)


@dataclass(frozen=True)
class Clustering:
    """The clusters of one playlist or genre and how they were found."""

    clusters: tuple[Cluster, ...]
    labels: tuple[int, ...]  # cluster number of each row of the feature matrix; 0 = odd one out
    coords: np.ndarray  # (n, 2) map: the two main directions of the space clustered in
    k: int
    how_k: str  # plain words: how k was chosen
    features: tuple[str, ...]  # feature blocks used
    odd: tuple[int, ...] = ()  # odd ones out (far from every cluster), the farthest first
    map_share: float = 0.0  # share of the clustering space's spread the map shows

    @property
    def odd_rows(self) -> tuple[bool, ...]:
        """For each row of the feature matrix: is it an odd one out (drawn grey)?"""
        return tuple(label == 0 for label in self.labels)

    def memberships(self, track_ids: tuple[int, ...]) -> dict[int, int]:
        """``{track id: cluster number}`` (0 = odd one out), to remember for the next build."""
        return dict(zip(track_ids, self.labels, strict=True))


def cluster_tracks(
    features: FeatureMatrix,
    config: ClusteringConfig,
    previous: Mapping[int, int] | None = None,
) -> Clustering:
    """Cluster the rows of ``features``; deterministic for the same input, seed and
    ``previous`` (last build's ``{track id: cluster number}``, which numbers follow)."""
    with numeric_limits():
        return _cluster(features, config, previous or {})


@contextmanager
def numeric_limits() -> Iterator[None]:
    """How clustering runs: one thread (the matrices are small, and OpenMP workers
    spinning against other processes on a 2-core machine made clustering 10x slower),
    and scikit-learn's input checks off (inputs are checked here once; its own checks
    cost more than the fits)."""
    with (
        _threads().limit(limits=1),
        config_context(assume_finite=True, skip_parameter_validation=True),
    ):
        yield


def _cluster(
    features: FeatureMatrix, config: ClusteringConfig, previous: Mapping[int, int]
) -> Clustering:
    x = features.matrix
    n = x.shape[0]
    one = np.ones(n, int)
    if not features.blocks or n < 2 or float(np.ptp(x, axis=0).max()) < 1e-12:
        return _finish(features, one, "k = 1: nothing tells these tracks apart")
    if n < max(config.min_split_tracks, 3):
        how = f"k = 1: with {n} tracks (fewer than {config.min_split_tracks}) they are one group"
        return _finish(features, one, how)
    before = np.array([previous.get(t, 0) for t in features.track_ids], dtype=int)
    # Tracks whose features are mostly filled in say little: k is chosen and the
    # clusters are fitted without them; they join the nearest cluster afterwards.
    known = features.imputed_share() < MOSTLY_UNKNOWN
    if known.sum() < max(config.min_split_tracks, 3):
        known[:] = True
    rows = np.flatnonzero(known)
    inliers = rows[~odd_ones_out(x[rows], np.random.default_rng(config.seed))]
    previous_k = len(set(before[inliers].tolist()) - {0}) or None
    split, scores, tried = choose_split(
        x[inliers], config.k_min, config.k_max, config.seed, previous_k
    )
    split = _final_split(x[inliers], split, before[inliers])
    labels = np.full(n, -1)
    labels[inliers] = split.labels
    unknown = np.flatnonzero(~known)
    if len(unknown):
        gaps = ((x[unknown, None, :] - split.centres[None, :, :]) ** 2).sum(axis=2)
        labels[unknown] = gaps.argmin(axis=1)
    numbers = _numbers(labels, before)
    return _finish(features, numbers, _how(split.k, scores, tried, int((numbers == 0).sum())))


def _final_split(x: np.ndarray, chosen: Split, before: np.ndarray) -> Split:
    """The chosen number of clusters fitted on every non-outlier: from the chosen
    split's centres, or from last build's clusters when that fits about as well and
    moves fewer tracks (an unchanged page gets exactly its previous clusters back)."""
    if chosen.k == 1:
        return fit_split(x, 1)
    fresh = chosen if len(chosen.labels) == len(x) else fit_split(x, chosen.k, chosen.centres)
    candidates = [fresh]
    numbers = sorted(set(before.tolist()) - {0})
    if len(numbers) == chosen.k:
        init = np.array([x[before == number].mean(axis=0) for number in numbers])
        candidates.append(fit_split(x, chosen.k, init))
    best = min(c.inertia for c in candidates)
    usable = [c for c in candidates if c.inertia <= best * WARM_TOLERANCE + 1e-12]
    return min(usable, key=lambda c: _moves(c.labels, before))


def _moves(labels: np.ndarray, before: np.ndarray) -> int:
    """How many previously clustered tracks would change cluster."""
    numbers = _numbers(labels, before)
    known = before > 0
    return int((numbers[known] != before[known]).sum())


def _numbers(labels: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Cluster numbers 1..k for ``labels`` 0..k-1 (-1 = odd one out → 0): each cluster
    takes the number of last build's cluster it shares most tracks with (Hungarian
    assignment), the rest by size, the largest first."""
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    if k == 0:
        return np.zeros(len(labels), int)
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    rank = np.empty(k, int)
    rank[np.lexsort((np.arange(k), -sizes))] = np.arange(k)
    overlap = np.zeros((k, k))
    for label, number in zip(labels.tolist(), before.tolist(), strict=True):
        if label >= 0 and 1 <= number <= k:
            overlap[label, number - 1] += 1
    order_bonus = -np.abs(rank[:, None] - np.arange(k)[None, :])  # size order breaks ties
    rows, cols = linear_sum_assignment(-(overlap * (k * k + 1) + order_bonus))
    number_of = np.zeros(k, int)
    number_of[rows] = cols + 1
    return np.where(labels >= 0, number_of[np.maximum(labels, 0)], 0)


def _how(k: int, scores: dict[int, float], largest: int, odd: int) -> str:
    """Plain words: how k was chosen (and the odd ones out set aside)."""
    tried = f"k = 1–{largest}"
    aside = f", {odd} odd one{'s' if odd != 1 else ''} out set aside" if odd else ""
    best_k = max(scores, key=lambda key: (scores[key], -key))
    best = scores[best_k]
    if k == 1 and best_k == 1:
        return (
            f"k = 1: no split into clusters reaches a silhouette score of {SPLIT_SCORE:.2f}"
            f" ({tried} tried{aside}), so they are shown as one group"
        )
    if k == best_k:
        return f"k = {k}, the best silhouette score ({best:.2f}) among {tried}{aside}"
    return (
        f"k = {k}: its silhouette score ({scores[k]:.2f}) is within {CLOSE_SCORES:.2f} of the"
        f" best ({best:.2f} at k = {best_k}) among {tried}{aside}, and then fewer clusters"
        " (or the last build's number) win"
    )


def _finish(features: FeatureMatrix, numbers: np.ndarray, how: str) -> Clustering:
    """Order each cluster's tracks (the most typical first, filled-in ones last) and the
    odd ones out (``numbers`` 0, the farthest first), and draw the map."""
    x = features.matrix
    ids = np.array(features.track_ids)
    imputed = features.imputed_share() > 1e-9
    clusters = []
    centres = []
    for number in range(1, int(numbers.max(initial=0)) + 1):
        rows = np.flatnonzero(numbers == number)
        centre = x[rows].mean(axis=0)
        centres.append(centre)
        dist = np.sqrt(((x[rows] - centre) ** 2).sum(axis=1))
        order = np.lexsort((ids[rows], np.round(dist, 9), imputed[rows]))
        members = tuple(int(i) for i in ids[rows[order]])
        clusters.append(Cluster(number, members, tuple(float(d) for d in dist[order])))
    coords, share = project(x)
    return Clustering(
        tuple(clusters),
        tuple(int(v) for v in numbers),
        coords,
        len(clusters),
        how,
        features.blocks,
        _odd_order(x, ids, np.flatnonzero(numbers == 0), np.array(centres)),
        share,
    )


def _odd_order(
    x: np.ndarray, ids: np.ndarray, rows: np.ndarray, centres: np.ndarray
) -> tuple[int, ...]:
    """Odd ones out, the farthest from every cluster centre first."""
    if not len(rows) or not len(centres):
        return ()
    gap = np.sqrt(((x[rows, None, :] - centres[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    order = np.lexsort((ids[rows], -np.round(gap, 9)))
    return tuple(int(i) for i in ids[rows[order]])


def project(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Return a stable 2-D PCA projection of ``x`` (signs fixed so runs agree) and the
    share of the spread it shows."""
    n, d = x.shape
    out = np.zeros((n, 2))
    if n < 2 or d == 0 or float(np.ptp(x, axis=0).max()) < 1e-12:
        return out, 0.0
    parts = min(2, d, n)
    # Beyond a few hundred tracks the d × d covariance is far cheaper to decompose
    # than the n × d matrix (0.2 s at 5,000 × 344), and as exact.
    pca = PCA(
        n_components=parts, svd_solver="covariance_eigh" if n > 500 and n >= 2 * d else "full"
    )
    if n <= MAP_SAMPLE:
        coords = pca.fit_transform(x)
    else:  # the directions of a big page from an evenly spread sample of its tracks
        coords = pca.fit(x[:: -(-n // MAP_SAMPLE)]).transform(x)
    for i in range(parts):
        loading = pca.components_[i]
        if loading[np.argmax(np.abs(loading))] < 0:
            coords[:, i] = -coords[:, i]
    out[:, :parts] = coords
    return np.round(out, 10), float(pca.explained_variance_ratio_.sum())
