"""Clustering on planted blobs: k chosen robustly to odd ones out, numbers that follow
the previous build, representatives that are typical rather than filled in."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from linernotes.analysis.clustering import cluster_tracks, project
from linernotes.analysis.features import FeatureMatrix
from linernotes.analysis.kchoice import MINI_BATCH_FROM, lloyd, silhouette, ward_cuts
from linernotes.config import ClusteringConfig

CONFIG = ClusteringConfig()


def _blobs(
    sizes: list[int], seed: int = 1, far: int = 0, spread: float = 0.6
) -> tuple[FeatureMatrix, np.ndarray]:
    """Blobs of ``sizes`` points in 5-D, then ``far`` points far from all of them."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, (len(sizes), 5))
    x = np.vstack([rng.normal(c, spread, (n, 5)) for c, n in zip(centres, sizes, strict=True)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    if far:
        directions = rng.normal(0, 1, (far, 5))
        x = np.vstack([x, 40 * directions / np.linalg.norm(directions, axis=1)[:, None]])
        truth = np.concatenate([truth, np.full(far, -1)])
    ids = tuple(range(100, 100 + len(x)))
    columns = tuple(f"c{i}" for i in range(5))
    return FeatureMatrix(ids, x, columns, ("audio features",), {}), truth


def _with(
    features: FeatureMatrix, rows: np.ndarray, imputed: np.ndarray | None = None
) -> FeatureMatrix:
    return FeatureMatrix(
        tuple(features.track_ids[i] for i in rows),
        features.matrix[rows],
        features.columns,
        features.blocks,
        {},
        None if imputed is None else imputed[rows],
    )


def test_finds_planted_blobs_and_numbers_them_by_size() -> None:
    features, truth = _blobs([60, 40, 25])
    result = cluster_tracks(features, CONFIG)
    assert result.k == 3
    assert adjusted_rand_score(truth, result.labels) > 0.95
    assert [c.size for c in result.clusters] == [60, 40, 25]
    assert [c.number for c in result.clusters] == [1, 2, 3]
    assert "silhouette" in result.how_k


def test_far_points_are_odd_ones_out_and_do_not_veto_the_split() -> None:
    # The issue-11 case: three far outliers made every k look bad, so k = 1 won.
    features, truth = _blobs([81, 39, 25], far=3)
    result = cluster_tracks(features, CONFIG)
    assert result.k == 3
    labels = np.array(result.labels)
    assert set(np.flatnonzero(labels == 0)) == set(np.flatnonzero(truth == -1))
    assert adjusted_rand_score(truth[truth >= 0], labels[truth >= 0]) == 1.0
    assert set(result.odd) == {features.track_ids[i] for i in np.flatnonzero(truth == -1)}
    assert sum(c.size for c in result.clusters) + len(result.odd) == len(truth)
    assert result.odd_rows == tuple(label == 0 for label in result.labels)
    assert "3 odd ones out set aside" in result.how_k


def test_a_small_group_is_never_a_cluster_of_its_own() -> None:
    features, truth = _blobs([70, 60, 2], seed=3)
    result = cluster_tracks(features, CONFIG)
    assert result.k == 2
    assert all(c.size >= 3 for c in result.clusters)
    assert {features.track_ids[i] for i in np.flatnonzero(truth == 2)} <= set(result.odd)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_gaussian_group_is_one_cluster_and_says_why(seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=(150, 6))
    columns = tuple("abcdef")
    features = FeatureMatrix(tuple(range(150)), x, columns, ("audio features",), {})
    result = cluster_tracks(features, CONFIG)
    assert result.k == 1
    assert "k = 1: no split into clusters reaches a silhouette score of 0.20" in result.how_k
    assert "too alike" not in result.how_k


def test_representatives_are_typical_and_never_filled_in_ones_first() -> None:
    features, _ = _blobs([50, 50])
    # The track nearest each centre had its features imputed: it must not lead.
    imputed = np.zeros(100)
    first = cluster_tracks(features, CONFIG)
    nearest = [features.track_ids.index(c.track_ids[0]) for c in first.clusters]
    imputed[nearest] = 0.3
    result = cluster_tracks(_with(features, np.arange(100), imputed), CONFIG)
    for cluster in result.clusters:
        rows = [features.track_ids.index(t) for t in cluster.track_ids]
        assert imputed[rows[0]] == 0.0
        complete = [d for d, r in zip(cluster.distances, rows, strict=True) if imputed[r] == 0]
        assert complete == sorted(complete)
        assert imputed[rows[-1]] > 0


def test_small_sets_are_one_cluster() -> None:
    features, _ = _blobs([6])
    result = cluster_tracks(features, ClusteringConfig(min_split_tracks=8))
    assert result.k == 1 and result.clusters[0].size == 6
    assert "fewer than 8" in result.how_k


def test_identical_points_are_one_cluster() -> None:
    x = np.zeros((40, 3))
    features = FeatureMatrix(tuple(range(40)), x, ("a", "b", "c"), ("genres",), {})
    result = cluster_tracks(features, CONFIG)
    assert result.k == 1
    assert "nothing tells these tracks apart" in result.how_k


def test_same_input_same_output() -> None:
    features, _ = _blobs([30, 30, 30], seed=5)
    a = cluster_tracks(features, CONFIG)
    b = cluster_tracks(features, CONFIG)
    assert a.labels == b.labels and a.clusters == b.clusters and a.how_k == b.how_k
    assert np.array_equal(a.coords, b.coords)


def test_numbers_follow_the_previous_build() -> None:
    features, truth = _blobs([60, 40, 25])
    # Last build called the smallest group #1 and the largest #3.
    previous = {t: 3 - int(g) for t, g in zip(features.track_ids, truth, strict=True)}
    result = cluster_tracks(features, CONFIG, previous)
    assert result.memberships(features.track_ids) == previous


def test_an_unchanged_page_gets_its_clusters_back() -> None:
    features, _ = _blobs([50, 45, 30, 20], seed=8, spread=1.6)
    first = cluster_tracks(features, CONFIG)
    again = cluster_tracks(features, CONFIG, first.memberships(features.track_ids))
    assert again.labels == first.labels
    assert again.how_k == first.how_k
    assert [c.track_ids for c in again.clusters] == [c.track_ids for c in first.clusters]


@pytest.mark.parametrize("seed", [8, 9, 10])
def test_one_added_track_moves_at_most_two_others(seed: int) -> None:
    features, _ = _blobs([40, 35, 25, 20], seed=seed, spread=1.4)
    rows = np.arange(len(features.track_ids))
    first = cluster_tracks(_with(features, rows[1:]), CONFIG)
    before = first.memberships(features.track_ids[1:])
    after = cluster_tracks(features, CONFIG, before).memberships(features.track_ids)
    assert sum(after[t] != n for t, n in before.items()) <= 2


def test_silhouette_is_scikit_learns() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(150, 4))
    labels = rng.integers(0, 4, 150)
    labels[7] = 4  # a cluster of one scores 0, as in scikit-learn
    distances = squareform(pdist(x))
    expected = silhouette_score(distances, labels, metric="precomputed")
    assert silhouette(distances, labels, 5) == pytest.approx(expected)


def test_projection_signs_are_fixed_and_share_is_reported() -> None:
    features, _ = _blobs([30, 30])
    coords, share = project(features.matrix)
    flipped, same_share = project(-features.matrix)
    assert np.allclose(coords, -flipped)  # the same map whichever way the data points
    assert 0.0 < share <= 1.0 and share == pytest.approx(same_share)


def test_ward_cuts_are_scipys_fcluster() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(200, 4)) + 3.0 * rng.integers(0, 4, (200, 1))
    tree = linkage(x, "ward")
    cuts = ward_cuts(tree, 8)
    for k in range(1, 9):
        assert len(set(cuts[k].tolist())) == k
        assert adjusted_rand_score(fcluster(tree, k, "maxclust"), cuts[k]) == 1.0


def test_lloyd_converges_where_scikit_learns_kmeans_does() -> None:
    features, _ = _blobs([60, 40, 25], seed=6, spread=1.5)
    x = features.matrix
    init = x[[0, 70, 110]]
    labels, centres, inertia = lloyd(x, init)
    model = KMeans(3, init=init, n_init=1, tol=0.0).fit(x)
    assert adjusted_rand_score(model.labels_, labels) == 1.0
    assert np.allclose(centres, model.cluster_centers_)
    assert inertia == pytest.approx(model.inertia_)


def test_a_big_page_is_clustered_with_mini_batches_and_finds_its_groups() -> None:
    features, truth = _blobs([12_000, 8_000, 5_000], seed=1, far=4)
    assert len(truth) >= MINI_BATCH_FROM
    result = cluster_tracks(features, CONFIG)
    labels = np.array(result.labels)
    assert result.k == 3
    assert adjusted_rand_score(truth[truth >= 0], labels[truth >= 0]) > 0.99
    planted = {features.track_ids[i] for i in np.flatnonzero(truth == -1)}
    assert planted <= set(result.odd) and len(result.odd) <= 10  # and a few blob tails
