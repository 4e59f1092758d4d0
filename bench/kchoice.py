"""Benchmark: how long clustering one page takes at 5,000 and 50,000 tracks.

usage: python bench/kchoice.py [--repeats N] [--sizes 5000,50000]

Prints medians of ``--repeats`` runs of: choosing k (odd ones out + the criterion
on its fixed-size sample; targets <= 100 ms at 5,000 tracks and <= 1 s at 50,000),
and the whole clustering (choosing k, the final fit on every track, numbering,
ordering and the map). Two kinds of page: the demo catalogue's (audio features,
~30 genre tags, year) and a wide one (the same plus 300 genre tags each on 1-3 % of
the tracks, the rarest a page keeps, as in a large real library; tags on fewer
tracks are left out by ``features``).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from cluster_scores import catalogue_features
from linernotes.analysis.clustering import cluster_tracks, numeric_limits
from linernotes.analysis.features import FeatureMatrix
from linernotes.analysis.kchoice import choose_split, odd_ones_out
from linernotes.config import Config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="5000,50000")
    args = parser.parse_args()
    config = Config().clustering
    print(f"clustering one page (medians of {args.repeats}): choose k | whole clustering")
    for tracks in (int(size) for size in args.sizes.split(",")):
        narrow = catalogue_features(tracks, seed=7)
        for name, features in (("demo", narrow), ("wide", widened(narrow, 300))):
            choose: list[tuple[float, float]] = []
            whole: list[tuple[float, float]] = []
            for _ in range(args.repeats):
                started = _clocks()
                with numeric_limits():
                    odd = odd_ones_out(features.matrix, np.random.default_rng(config.seed))
                    split = choose_split(
                        features.matrix[~odd], config.k_min, config.k_max, config.seed
                    )
                choose.append(_since(started))
                started = _clocks()
                result = cluster_tracks(features, config)
                whole.append(_since(started))
            print(
                f"  {tracks:>6} tracks, {name:<4} ({features.matrix.shape[1]:>3} columns)"
                f"  {_ms(choose)} | {_ms(whole)}   k = {split[0].k} / {result.k}"
            )


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(started: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clocks()
    return wall - started[0], cpu - started[1]


def _ms(runs: list[tuple[float, float]]) -> str:
    """Median wall and CPU milliseconds (one thread: CPU is what an idle machine's
    wall clock would show; the wall clock also counts other processes' turns)."""
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    return f"{1000 * wall:6.0f} ms ({1000 * cpu:4.0f} ms CPU)"


def widened(features: FeatureMatrix, tags: int, seed: int = 3) -> FeatureMatrix:
    """``features`` with ``tags`` genre tags, each on 1-3 % of the tracks at random
    (weighted as the genre block weighs a tag)."""
    rng = np.random.default_rng(seed)
    n = len(features.track_ids)
    share = rng.uniform(0.01, 0.03, tags)
    extra = (rng.random((n, tags)) < share).astype(float)
    matrix = np.hstack([features.matrix, extra - extra.mean(axis=0)])
    columns = features.columns + tuple(f"genre:rare{i}" for i in range(tags))
    return FeatureMatrix(features.track_ids, matrix, columns, features.blocks, {})


if __name__ == "__main__":
    main()
