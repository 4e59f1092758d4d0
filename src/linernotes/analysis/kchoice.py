"""How many clusters: odd ones out set aside first, then the number whose split
scores best on the silhouette of the remaining tracks, preferring fewer clusters
when scores are close (and the previous build's number, for stability).

Why the silhouette on the non-outliers: on the demo (planted styles on playlist
pages, planted sub-styles on genre pages) it agreed with the planted structure
far better than a Gaussian mixture's BIC, which splits discrete tags (genres,
explicit) into ever more components, and better than the gap statistic, which
stops at k = 1 on pages whose groups differ in a few of many dimensions and is
several times slower (measured once while choosing; no bench reprints that
comparison yet — ``bench/demo.py`` prints the silhouette's own ARI figures).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.cluster import KMeans, MiniBatchKMeans

ODD_NEIGHBOURS = 5  # a track's isolation: the distance to its 5th nearest neighbour
ODD_Z = 3.5  # robust z-score of that (log) distance above which a track is an odd one out
MIN_SPREAD = 0.3  # the least spread (log units) that z-score is measured against
MIN_CLUSTER = 3  # a cluster has at least this many tracks ...
MIN_CLUSTER_SHARE = 0.03  # ... and this share of the page; smaller groups are odd ones out
MAX_ODD_SHARE = 0.1  # a split that would set aside more tracks than this is not considered
SPLIT_SCORE = 0.2  # the silhouette a split must reach to beat "one group"
CLOSE_SCORES = 0.04  # scores this close count as equal: fewer clusters (or last build's k) win
SAMPLE = 500  # k is chosen on at most this many tracks (the final fit uses all)
MINI_BATCH_FROM = 20_000  # the final fit of a page this big uses mini-batch KMeans ...
MINI_BATCH = 4096  # ... of this many tracks a step
_CHUNK = 4096  # tracks tested at once for being odd (bounds the distance matrix)


@dataclass(frozen=True)
class Split:
    """One candidate: ``labels`` (-1 = set aside as too small a group) and its score."""

    k: int  # clusters kept
    labels: np.ndarray
    centres: np.ndarray
    score: float
    inertia: float
    fitted_k: int  # clusters fitted (some may have been too small to keep)


def odd_ones_out(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Tracks far from all others: the log distance to their ``ODD_NEIGHBOURS``-th
    nearest neighbour (among at most ``SAMPLE`` tracks) more than ``ODD_Z`` robust
    standard deviations above the median. The median and spread are measured on the
    sample; every track is then tested in chunks against the distance they set
    (a count, cheaper than sorting 50,000 × 500 distances). Returns a boolean mask."""
    n = len(x)
    if n <= 2 * ODD_NEIGHBOURS:
        return np.zeros(n, bool)
    ref = np.arange(n) if n <= SAMPLE else np.sort(rng.choice(n, SAMPLE, replace=False))
    points = x.astype(np.float32)
    norms = (points**2).sum(axis=1)
    among = _squared(points[ref], points[ref], norms[ref], norms[ref])
    among[np.arange(len(ref)), np.arange(len(ref))] = np.inf  # not its own neighbour
    kth = np.partition(among, ODD_NEIGHBOURS - 1, axis=1)[:, ODD_NEIGHBOURS - 1]
    distance = np.sqrt(np.maximum(kth, 0.0)).astype(np.float64)
    if not (distance > 0).any():
        return np.zeros(n, bool)
    floor = 1e-3 * float(np.median(distance[distance > 0]))
    spread = np.log(distance + floor)
    median = float(np.median(spread))
    # The spread is floored so that tracks in a tight page are not odd for being a
    # little apart: an odd one out is at least e^(ODD_Z × MIN_SPREAD) ≈ 3× as isolated.
    mad = max(1.4826 * float(np.median(np.abs(spread - median))), MIN_SPREAD)
    limit = np.exp(median + ODD_Z * mad) - floor  # isolation beyond this is odd
    odd = np.zeros(n, bool)
    odd[ref] = (spread - median) / mad > ODD_Z
    rest = np.setdiff1d(np.arange(n), ref)
    for start in range(0, len(rest), _CHUNK):
        rows = rest[start : start + _CHUNK]
        near = _squared(points[rows], points[ref], norms[rows], norms[ref]) <= limit**2
        odd[rows] = near.sum(axis=1) < ODD_NEIGHBOURS
    return odd


def _squared(a: np.ndarray, b: np.ndarray, a_norms: np.ndarray, b_norms: np.ndarray) -> np.ndarray:
    """Squared distances between the rows of ``a`` and of ``b`` (one matrix product)."""
    squared = a @ b.T
    squared *= -2.0
    squared += a_norms[:, None]
    squared += b_norms[None, :]
    return squared


def fit_split(x: np.ndarray, k: int, init: np.ndarray | None = None) -> Split:
    """KMeans with ``k`` clusters started from ``init`` centres (Ward's clusters when
    none are given): Lloyd's iterations here up to ``SAMPLE`` tracks, mini-batches
    from ``MINI_BATCH_FROM`` tracks on, scikit-learn's KMeans between. Groups smaller
    than ``MIN_CLUSTER`` / ``MIN_CLUSTER_SHARE`` are set aside (label -1)."""
    n = len(x)
    if k == 1:
        return Split(1, np.zeros(n, int), x.mean(axis=0, keepdims=True), SPLIT_SCORE, _spread(x), 1)
    if init is None:
        init = _centres(x, fcluster(linkage(x, "ward"), k, "maxclust") - 1)
    if n <= SAMPLE:
        labels, centres, inertia = lloyd(x, init)
        return _kept(labels, centres, inertia)
    if n >= MINI_BATCH_FROM:
        model: KMeans | MiniBatchKMeans = MiniBatchKMeans(
            len(init), init=init, n_init=1, batch_size=MINI_BATCH, random_state=0
        ).fit(x)
    else:
        model = KMeans(len(init), init=init, n_init=1).fit(x)
    return _kept(model.labels_.astype(int), model.cluster_centers_, float(model.inertia_))


def choose_split(
    x: np.ndarray, k_min: int, k_max: int, seed: int, previous_k: int | None = None
) -> tuple[Split, dict[int, float], int]:
    """The split of ``x`` (the non-outliers) that the criterion prefers, the score of
    every number of clusters found, and the largest k tried. Candidates come from one Ward tree
    (cut at each k, refined by KMeans), so no random start can miss a group. Scores
    within ``CLOSE_SCORES`` of the best are equal: then last build's number of
    clusters, else the smallest, wins."""
    rng = np.random.default_rng(seed)
    n = len(x)
    sample = x if n <= SAMPLE else x[np.sort(rng.choice(n, SAMPLE, replace=False))]
    splits: dict[int, Split] = {1: fit_split(sample, 1)}
    distinct = len(np.unique(sample.round(9), axis=0))
    top = min(k_max, distinct - 1)
    cuts: dict[int, np.ndarray] = {}
    if top >= 2:
        condensed = pdist(sample)
        cuts = ward_cuts(linkage(condensed, "ward"), top)
        distances = squareform(condensed)
    for k in range(max(2, k_min), top + 1):
        split = fit_split(sample, k, init=_centres(sample, cuts[k]))
        kept = np.flatnonzero(split.labels >= 0)
        if split.k < 2 or len(kept) < (1 - MAX_ODD_SHARE) * len(sample):
            continue
        score = silhouette(distances[np.ix_(kept, kept)], split.labels[kept], split.k)
        if split.k not in splits or score > splits[split.k].score:
            splits[split.k] = replace(split, score=score)
    scores = {k: s.score for k, s in sorted(splits.items())}
    best = max(scores.values())
    close = [k for k, s in scores.items() if s >= best - CLOSE_SCORES]
    chosen = previous_k if previous_k in close else min(close)
    return splits[chosen], scores, max(top, 1)


def lloyd(
    x: np.ndarray, init: np.ndarray, iterations: int = 300
) -> tuple[np.ndarray, np.ndarray, float]:
    """KMeans (Lloyd's iterations from ``init`` until no track changes cluster) on a
    few hundred tracks, where scikit-learn's checks and set-up cost several times the
    fit itself. Returns labels, centres and inertia; a cluster left empty keeps its
    centre."""
    centres = np.array(init, dtype=float)
    norms = (x**2).sum(axis=1)
    labels = np.full(len(x), -1)
    for _ in range(iterations):
        squared = norms[:, None] - 2.0 * x @ centres.T + (centres**2).sum(axis=1)[None, :]
        new = squared.argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        members = np.zeros((len(centres), len(x)))
        members[labels, np.arange(len(x))] = 1.0
        counts = members.sum(axis=1)
        sums = members @ x
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
    inertia = float(((x - centres[labels]) ** 2).sum())
    return labels, centres, inertia


def ward_cuts(tree: np.ndarray, largest: int) -> dict[int, np.ndarray]:
    """The tree cut into k = 1..``largest`` clusters (labels 0..k-1), all in one pass
    from the top: going from k to k + 1 clusters undoes the k-th last merge, whose
    second branch becomes cluster k. (``fcluster`` once per k cost 30 times as much.)"""
    n = len(tree) + 1
    labels = np.zeros(n, int)
    cuts = {1: labels.copy()}
    for k in range(1, min(largest, n - 1)):
        stack = [int(tree[n - 1 - k, 1])]
        while stack:
            node = stack.pop()
            if node < n:
                labels[node] = k
            else:
                stack += [int(tree[node - n, 0]), int(tree[node - n, 1])]
        cuts[k + 1] = labels.copy()
    return cuts


def silhouette(distances: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Mean silhouette coefficient from a square distance matrix (what scikit-learn's
    ``silhouette_score`` computes, in one matrix product instead of its chunked loop,
    which cost ten times as much here). A track alone in its cluster scores 0."""
    onehot = np.zeros((len(labels), k))
    onehot[np.arange(len(labels)), labels] = 1.0
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot
    own = sizes[labels]
    inside = sums[np.arange(len(labels)), labels] / np.maximum(own - 1, 1)
    mean_to = sums / sizes
    mean_to[np.arange(len(labels)), labels] = np.inf
    nearest = mean_to.min(axis=1)
    score = (nearest - inside) / np.maximum(np.maximum(nearest, inside), 1e-12)
    return float(np.where(own > 1, score, 0.0).mean())


def _centres(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return np.array([x[labels == j].mean(axis=0) for j in range(int(labels.max()) + 1)])


def _kept(labels: np.ndarray, centres: np.ndarray, inertia: float) -> Split:
    """Set aside the groups too small to be clusters and number the rest 0..k-1."""
    n, k = len(labels), len(centres)
    sizes = np.bincount(labels, minlength=k)
    keep = np.flatnonzero(sizes >= max(MIN_CLUSTER, MIN_CLUSTER_SHARE * n))
    renumber = np.full(k, -1)
    renumber[keep] = np.arange(len(keep))
    return Split(len(keep), renumber[labels], centres[keep], 0.0, inertia, k)


def _spread(x: np.ndarray) -> float:
    return float(((x - x.mean(axis=0)) ** 2).sum())
