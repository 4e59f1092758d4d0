"""Benchmark: time each stage of `linernotes demo` (generate, import, analyse, render).

usage: python bench/demo.py [--tracks N] [--plays N]
Target (issue "The atlas, end to end"): the whole demo in <= 20 s on 2 cores.
Charts are drawn from scratch (no chart cache), as on a first run.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from linernotes.config import Config
from linernotes.demo import generate_demo
from linernotes.pipeline import build
from linernotes.sources.importer import import_paths
from linernotes.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=2000)
    parser.add_argument("--plays", type=int, default=80_000)
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


if __name__ == "__main__":
    main()
