"""The cluster cache: a clustering is reused only under the key of exactly its inputs."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

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
    assert clustering_key(features, config, {}) == key
    assert clustering_key(features, config, {100: 2}) != key  # numbers follow the last build


def test_a_stored_clustering_comes_back_equal_without_clustering() -> None:
    features, config = _features(), ClusteringConfig()
    first = ClusterCache()
    made = first.get(features, config, None, cluster_tracks)
    assert first.hits == 0 and made.k == 2

    def refuse(
        features: FeatureMatrix, config: ClusteringConfig, previous: Mapping[int, int] | None
    ) -> Clustering:
        raise AssertionError("clustered again")

    again = ClusterCache.decode(first.encode())
    found = again.get(features, config, None, refuse)
    assert again.hits == 1
    assert found.clusters == made.clusters and found.labels == made.labels
    assert found.how_k == made.how_k and found.features == made.features
    assert found.coords.dtype == made.coords.dtype
    assert np.array_equal(found.coords, made.coords)
    assert _same(dataclasses.astuple(found), dataclasses.astuple(made))


def _same(a: object, b: object) -> bool:
    """Equal values, arrays equal in dtype and content, at any depth."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and (a.dtype == b.dtype and np.array_equal(a, b))
        )
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def test_only_the_clusterings_of_this_build_are_kept() -> None:
    config = ClusteringConfig()
    old = ClusterCache()
    old.get(_features(1), config, None, cluster_tracks)
    old.get(_features(2), config, None, cluster_tracks)
    cache = ClusterCache.decode(old.encode())
    cache.get(_features(2), config, None, cluster_tracks)
    assert len(ClusterCache.decode(cache.encode()).known) == 1
