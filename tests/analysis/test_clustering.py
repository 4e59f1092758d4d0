from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score

from linernotes.analysis.clustering import cluster_tracks, project
from linernotes.analysis.features import FeatureMatrix
from linernotes.config import ClusteringConfig


def _blobs(sizes: list[int], seed: int = 1) -> tuple[FeatureMatrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, (len(sizes), 5))
    x = np.vstack([rng.normal(c, 0.6, (n, 5)) for c, n in zip(centres, sizes, strict=True)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    ids = tuple(range(100, 100 + len(x)))
    return FeatureMatrix(ids, x, tuple(f"c{i}" for i in range(5)), ("audio features",), {}), truth


def test_finds_planted_blobs_and_orders_clusters_by_size() -> None:
    features, truth = _blobs([60, 40, 25])
    result = cluster_tracks(features, ClusteringConfig())
    assert result.k == 3
    assert adjusted_rand_score(truth, result.labels) > 0.95
    assert [c.size for c in result.clusters] == [60, 40, 25]
    assert sum(c.size for c in result.clusters) == len(truth)
    assert "silhouette" in result.how_k


def test_representatives_are_nearest_the_centre_first() -> None:
    features, _ = _blobs([50, 50])
    result = cluster_tracks(features, ClusteringConfig())
    for cluster in result.clusters:
        assert list(cluster.distances) == sorted(cluster.distances)


def test_tracks_with_imputed_values_are_not_the_most_typical() -> None:
    # 40 tracks on a ring around 0, and 5 without values: imputed, they sit at the centre.
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    radii = np.linspace(1.0, 2.0, 40)
    measured = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)])
    x = np.vstack([measured, np.zeros((5, 2))])
    raw = {"energy": np.concatenate([measured[:, 0], np.full(5, np.nan)])}
    ids = tuple(range(45))
    features = FeatureMatrix(ids, x - x.mean(axis=0), ("energy", "tempo"), ("audio",), raw)
    result = cluster_tracks(features, ClusteringConfig(min_split_tracks=100))
    (cluster,) = result.clusters
    assert set(cluster.track_ids[-5:]) == set(range(40, 45))
    assert list(cluster.distances[:40]) == sorted(cluster.distances[:40])
    # Without the rule the imputed tracks would have come first: they are the nearest.
    assert max(cluster.distances[-5:]) < min(cluster.distances[:40])


def test_small_sets_are_one_cluster() -> None:
    features, _ = _blobs([10])
    result = cluster_tracks(features, ClusteringConfig(min_split_tracks=24))
    assert result.k == 1 and result.clusters[0].size == 10
    assert "fewer than 24" in result.how_k


def test_identical_points_are_one_cluster() -> None:
    x = np.zeros((40, 3))
    features = FeatureMatrix(tuple(range(40)), x, ("a", "b", "c"), (), {})
    result = cluster_tracks(features, ClusteringConfig())
    assert result.k == 1


def test_same_input_same_output() -> None:
    features, _ = _blobs([30, 30, 30], seed=5)
    a = cluster_tracks(features, ClusteringConfig())
    b = cluster_tracks(features, ClusteringConfig())
    assert a.labels == b.labels
    assert np.array_equal(a.coords, b.coords)


def test_projection_signs_are_fixed() -> None:
    features, _ = _blobs([30, 30])
    assert np.allclose(project(features.matrix), project(-features.matrix * 1.0)[:, :] * -1)
