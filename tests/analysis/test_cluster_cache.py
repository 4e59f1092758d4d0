"""The cluster cache: a clustering is reused only under the key of exactly its inputs."""

from __future__ import annotations

import dataclasses

import numpy as np

from linernotes.analysis.cluster_cache import ClusterCache, clustering_key
from linernotes.analysis.clustering import Clustering, cluster_tracks
from linernotes.analysis.features import FeatureMatrix
from linernotes.config import ClusteringConfig


def _features(seed: int = 1, n: int = 40) -> FeatureMatrix:
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal(0, 0.1, (n // 2, 3)), rng.normal(3, 0.1, (n - n // 2, 3))])
    return FeatureMatrix(
        tuple(range(100, 100 + n)),
        x,
        ("energy", "valence", "tempo"),
        ("audio features",),
        {"energy": x[:, 0].copy()},
    )


def test_the_key_follows_every_input() -> None:
    features, config = _features(), ClusteringConfig()
    key = clustering_key(features, config)
    assert clustering_key(_features(), ClusteringConfig()) == key
    changed = features.matrix.copy()
    changed[0, 0] += 1e-9
    assert clustering_key(dataclasses.replace(features, matrix=changed), config) != key
    assert clustering_key(dataclasses.replace(features, columns=("a", "b", "c")), config) != key
    raw = {"energy": features.raw["energy"] + 1}
    assert clustering_key(dataclasses.replace(features, raw=raw), config) != key
    assert clustering_key(features, ClusteringConfig(seed=1)) != key
    assert clustering_key(features, ClusteringConfig(k_max=5)) != key


def test_a_stored_clustering_comes_back_equal_without_clustering() -> None:
    features, config = _features(), ClusteringConfig()
    first = ClusterCache()
    made = first.get(features, config, cluster_tracks)
    assert first.hits == 0 and made.k == 2

    def refuse(features: FeatureMatrix, config: ClusteringConfig) -> Clustering:
        raise AssertionError("clustered again")

    again = ClusterCache.decode(first.encode())
    found = again.get(features, config, refuse)
    assert again.hits == 1
    assert found.clusters == made.clusters and found.labels == made.labels
    assert found.how_k == made.how_k and found.features == made.features
    assert found.coords.dtype == made.coords.dtype
    assert np.array_equal(found.coords, made.coords)


def test_only_the_clusterings_of_this_build_are_kept() -> None:
    config = ClusteringConfig()
    old = ClusterCache()
    old.get(_features(1), config, cluster_tracks)
    old.get(_features(2), config, cluster_tracks)
    cache = ClusterCache.decode(old.encode())
    cache.get(_features(2), config, cluster_tracks)
    assert len(ClusterCache.decode(cache.encode()).known) == 1
