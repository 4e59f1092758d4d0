"""Group tracks that belong together: KMeans with k chosen by silhouette,
a stable 2-D projection, representatives nearest each centre (tracks whose values
were imputed after those that have them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from linernotes.analysis.features import FeatureMatrix
from linernotes.config import ClusteringConfig

MIN_CLUSTER_SHARE = 0.04  # a k whose smallest cluster is tinier than this is not considered


@dataclass(frozen=True)
class Cluster:
    """One cluster: its number (1 = largest) and its tracks, those with the fewest
    missing values first, then nearest the centre first."""

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
    labels: tuple[int, ...]  # cluster number (1-based) of each row of the feature matrix
    coords: np.ndarray  # (n, 2) projection, same row order
    k: int
    how_k: str  # plain words: how k was chosen
    features: tuple[str, ...]  # feature blocks used


def cluster_tracks(features: FeatureMatrix, config: ClusteringConfig) -> Clustering:
    """Cluster the rows of ``features``; deterministic for the same input and seed."""
    # One thread: the matrices are small, and OpenMP workers spinning against
    # other processes on a 2-core machine made clustering 10x slower.
    with threadpool_limits(limits=1):
        return _cluster(features, config)


def _cluster(features: FeatureMatrix, config: ClusteringConfig) -> Clustering:
    x = features.matrix
    n = x.shape[0]
    if n < config.min_split_tracks or n < 3:
        how = (
            f"k = 1: with {n} tracks (fewer than {config.min_split_tracks})"
            " they are shown as one cluster"
        )
        return _finish(features, np.zeros(n, dtype=int), how)
    distinct = len(np.unique(np.round(x, 9), axis=0))
    k_max = min(config.k_max, n - 1, distinct)
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(config.k_min, k_max + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=config.seed).fit_predict(x)
        if np.bincount(labels, minlength=k).min() < max(2, MIN_CLUSTER_SHARE * n):
            continue
        score = float(silhouette_score(x, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        how = (
            "k = 1: the tracks are too alike on the available features"
            " to split into clusters of a useful size"
        )
        return _finish(features, np.zeros(n, dtype=int), how)
    score, k, labels = best
    how = f"k = {k}, the best silhouette score ({score:.2f}) among k = {config.k_min}–{k_max}"
    return _finish(features, labels, how)


def _finish(features: FeatureMatrix, raw_labels: np.ndarray, how: str) -> Clustering:
    x = features.matrix
    ids = np.array(features.track_ids)
    missing = missing_values(features)
    groups = []
    for label in sorted(set(raw_labels.tolist())):
        rows = np.flatnonzero(raw_labels == label)
        centre = x[rows].mean(axis=0)
        dist = np.sqrt(((x[rows] - centre) ** 2).sum(axis=1))
        order = np.lexsort((ids[rows], np.round(dist, 9), missing[rows]))
        groups.append((rows[order], dist[order]))
    # Largest first; ties broken by the smallest track id, so the order is stable.
    groups.sort(key=lambda g: (-len(g[0]), int(ids[g[0]].min())))
    labels = np.zeros(len(ids), dtype=int)
    clusters = []
    for number, (rows, dist) in enumerate(groups, start=1):
        labels[rows] = number
        clusters.append(
            Cluster(number, tuple(int(i) for i in ids[rows]), tuple(float(d) for d in dist))
        )
    return Clustering(
        tuple(clusters),
        tuple(int(v) for v in labels),
        project(x),
        len(clusters),
        how,
        features.blocks,
    )


def missing_values(features: FeatureMatrix) -> np.ndarray:
    """How many of each row's values were missing (and imputed: at the centre, such a
    track would otherwise look the most typical of its cluster)."""
    missing = np.zeros(len(features.track_ids), dtype=int)
    for values in features.raw.values():
        missing += ~np.isfinite(values)
    return missing


def project(x: np.ndarray) -> np.ndarray:
    """Return a stable 2-D PCA projection (signs fixed so runs agree)."""
    n, d = x.shape
    out = np.zeros((n, 2))
    if n < 2 or d == 0 or float(np.ptp(x, axis=0).max()) < 1e-12:
        return out
    parts = min(2, d, n)
    pca = PCA(n_components=parts, svd_solver="full")
    coords = pca.fit_transform(x)
    for i in range(parts):
        loading = pca.components_[i]
        if loading[np.argmax(np.abs(loading))] < 0:
            coords[:, i] = -coords[:, i]
    out[:, :parts] = coords
    return np.round(out, 10)
