"""Benchmark: time each stage of `linernotes demo` (generate, import, analyse, render),
and measure its clusters against what the demo planted.

usage: python bench/demo.py [--tracks N] [--plays N] [--quick]
Targets (issues "The atlas, end to end", 9 and 11): the whole demo in <= 20 s on
2 cores; ARI of playlist pages against the planted styles >= 0.85 with audio
features, genres and labels and >= 0.6 without them (only playlists and
history: the bare account-data export); ARI of genre pages against the planted
sub-styles >= 0.85; k = 1 only on pages that are one sub-style; adding one track
to a 100-track playlist moves <= 2 others; choosing k <= 100 ms at 5,000 tracks
and <= 1 s at 50,000. Charts are drawn from scratch (no chart cache).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from cluster_scores import choose_k_times, score_pages, stability
from linernotes.analysis.atlas import Analysis
from linernotes.config import Config
from linernotes.demo import DemoLayout, generate_demo
from linernotes.pipeline import build, load
from linernotes.sources.importer import import_paths
from linernotes.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=2000)
    parser.add_argument("--plays", type=int, default=80_000)
    parser.add_argument("--quick", action="store_true", help="skip the bare-export and 50k runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        times: dict[str, float] = {}
        started = time.perf_counter()
        layout = generate_demo(root / "export", tracks=args.tracks, plays=args.plays)
        times["generate"] = time.perf_counter() - started
        with open_store(root / "db" / "library.db") as store:
            started = time.perf_counter()
            report = import_paths(store, list(layout.import_paths))
            times["import"] = time.perf_counter() - started
            result = build(store, Config(), root / "site")
            times.update(result.timings)  # analyse (load + analyse + plan), render (+ publish)
        total = sum(times.values())
        print(
            f"demo: {args.tracks} tracks, {report.counts.plays} plays, "
            f"{result.pages} pages, {result.images} charts"
        )
        for stage, seconds in times.items():
            print(f"  {stage:<9} {seconds:6.2f} s")
        print(f"  {'total':<9} {total:6.2f} s   (target <= 20 s)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS {peak:.0f} MB")
        assert result.analysis is not None
        print_clusters(result.analysis, layout)
        if not args.quick:
            print_bare_export(root, layout)
    print_speed(quick=args.quick)


def print_clusters(analysis: Analysis, layout: DemoLayout) -> None:
    """ARI of playlist and genre pages, k = 1 pages, and stability."""
    playlists = score_pages(analysis, layout.truth_path, "playlist", "track_style")
    genres = score_pages(analysis, layout.truth_path, "genre", "track_sub_style")
    print("clusters (ARI against what the demo planted; >= 0.85 wanted)")
    print(f"  playlist pages vs styles     {playlists.ari:.3f}  ({playlists.pages} pages)")
    print(f"  genre pages vs sub-styles    {genres.ari:.3f}  ({genres.pages} pages)")
    pages = playlists.pages + genres.pages
    single = playlists.one_cluster + genres.one_cluster
    wrong = playlists.one_cluster_wrong + genres.one_cluster_wrong
    print(
        f"  k = 1 pages                  {single}/{pages} ({100 * single / max(pages, 1):.0f} %),"
        f" of which not one planted group: {len(wrong)} {wrong or ''}"
    )
    moved = stability(analysis, Config())
    if moved:
        print(
            f"  one track added to each of {len(moved)} playlists of 80-120 tracks:"
            f" other tracks moved max {max(moved)}, mean {sum(moved) / len(moved):.1f}"
            "   (target <= 2)"
        )


def print_bare_export(root: Path, layout: DemoLayout) -> None:
    """Playlist ARI when only the account-data export (playlists + history) is known."""
    started = time.perf_counter()
    with open_store(root / "bare.db") as store:
        import_paths(store, [layout.account_dir, layout.extended_dir])
        analysis = load(store, Config()).analysis
    playlists = score_pages(analysis, layout.truth_path, "playlist", "track_style")
    print(
        f"  playlist pages vs styles, bare export (no audio features, genres or labels)"
        f"  {playlists.ari:.3f}  (>= 0.6 wanted; {time.perf_counter() - started:.1f} s)"
    )


def print_speed(*, quick: bool) -> None:
    """Median time to choose k, and to cluster completely, at 5k and 50k tracks."""
    print("choosing k (median of 5; odd ones out + criterion | whole clustering)")
    for tracks, target in ((5_000, 0.1), (50_000, 1.0)):
        if quick and tracks > 5_000:
            continue
        choose, whole = choose_k_times(tracks)
        print(
            f"  {tracks:>6} tracks  {1000 * choose:7.0f} ms | {1000 * whole:7.0f} ms"
            f"   (target <= {1000 * target:.0f} ms)"
        )


if __name__ == "__main__":
    main()
