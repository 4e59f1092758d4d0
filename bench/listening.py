"""Benchmark: what the listening stories add to a build, cold and with nothing changed.

usage: python bench/listening.py --store PATH [--runs 3]
       python bench/listening.py --tracks 50000 --plays 2000000   (generates a demo first)

Prints medians (wall and CPU seconds) of each stage the stories add:

* facts: read every music play from SQLite and group it in numpy (cold: no cache),
  or load the cached facts (no change: fingerprint + cache file);
* stories: top lists of every period, habits, first listens (no clustering);
* clusters: the year clusters and Liked Songs clusters (``cluster_set``, the same
  cost as clustering a playlist of that size);
* pages: every story page with its HTML twin and SVG charts, the listening block
  of the home page and of every artist page.

Also compares ways of reading the plays out of SQLite (tuples, one string per
year parsed by numpy) — the measurement behind ``store/listening.py``.
Targets (issue "Listening stories"): cold <= 10 s, no change <= 1 s at 2M plays.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from linernotes.analysis.atlas import analyse
from linernotes.analysis.listening import build_listening
from linernotes.analysis.stories import Stories, build_stories
from linernotes.config import AtlasConfig, Config, ListeningConfig
from linernotes.demo import generate_demo
from linernotes.pipeline import FACTS_CACHE, HistoryFacts, history_facts, load_library
from linernotes.render.context import Context
from linernotes.render.habit_pages import artist_listening_lines
from linernotes.render.html import HtmlRenderer
from linernotes.render.listening_pages import home_listening_lines
from linernotes.render.plan import plan_site, plan_stories
from linernotes.render.story_site import write_story_pages
from linernotes.sources.importer import import_paths
from linernotes.store import Store, open_store
from linernotes.store.history import iter_track_years
from linernotes.store.listening import read_liked_dates


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root, self.html, self.images, self.pages = root, HtmlRenderer(), 0, 0

    def path(self, relative: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def page(self, relative: str, text: str) -> None:
        self.path(relative).write_text(text, encoding="utf-8")
        self.html.write(self.root, relative, text)
        self.pages += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--tracks", type=int, default=50_000)
    parser.add_argument("--plays", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip read comparisons, clusters")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or _generate(Path(tmp), args.tracks, args.plays)
        started = time.perf_counter()
        with open_store(path) as store:  # migrates (builds the index) on first open
            print(f"open + migrate: {time.perf_counter() - started:.2f} s")
            _bench(store, args.runs, Path(tmp), args.quick)


def _generate(root: Path, tracks: int, plays: int) -> Path:
    layout = generate_demo(root / "export", tracks=tracks, plays=plays)
    with open_store(root / "library.db") as store:
        import_paths(store, list(layout.import_paths))
    return root / "library.db"


def _bench(store: Store, runs: int, tmp: Path, quick: bool) -> None:
    config = Config(listening=ListeningConfig(timezone="Europe/Berlin"))
    no_clusters = replace(config, atlas=AtlasConfig(cluster_page_min_tracks=10**9))
    library = load_library(store, config)
    analysis = analyse(library, build_listening(iter_track_years(store.conn)), no_clusters)
    plays = store.scalar("SELECT COUNT(*) FROM plays WHERE kind = 'music'")
    print(f"{plays:,} music plays, {len(library.tracks):,} tracks, "
          f"{sum(t.liked for t in library.tracks.values()):,} liked")  # fmt: skip
    if not quick:
        _reads(store, runs)
    cache = store.path.parent / FACTS_CACHE if store.path else None
    zone = config.listening.zone()

    def cold() -> HistoryFacts:
        if cache is not None:
            cache.unlink(missing_ok=True)
        return history_facts(store, zone)

    rows = [("facts, cold (read + group)", *timed(runs, cold)[:2])]
    wall, cpu, facts = timed(runs, lambda: history_facts(store, zone))
    rows.append(("facts, no change (cache)", wall, cpu))
    assert isinstance(facts, HistoryFacts)
    liked = read_liked_dates(store.conn)

    def stories(cfg: Config) -> Stories:
        return build_stories(facts.plays, library, facts.podcasts, liked, cfg)

    wall, cpu, _ = timed(runs, lambda: stories(no_clusters))
    rows.append(("stories (no clustering)", wall, cpu))
    clustered = timed(1, lambda: stories(no_clusters if quick else config))
    if not quick:
        rows.append(("stories with clusters (1 run)", *clustered[:2]))
    told = clustered[2]
    assert isinstance(told, Stories)
    plan = plan_site(analysis, config.atlas, {})
    plan_stories(plan, told)
    ctx = Context(analysis, plan, config, stories=told)

    def pages() -> int:
        root = tmp / "site"
        shutil.rmtree(root, ignore_errors=True)
        writer = _Writer(root)
        jobs = write_story_pages(ctx, writer)
        home_listening_lines(ctx)
        for artist, page in plan.artist_pages.items():
            artist_listening_lines(ctx, page, artist)
        return writer.pages + len(jobs)

    wall, cpu, count = timed(runs, pages)
    rows.append((f"pages ({count} pages + PNG jobs, {len(plan.artist_slugs)} artists)", wall, cpu))
    print(f"{'stage':<52} {'wall s':>8} {'cpu s':>8}   (medians of {runs})")
    for name, wall, cpu in rows:
        print(f"{name:<52} {wall:8.2f} {cpu:8.2f}")


def _reads(store: Store, runs: int) -> None:
    """Ways of reading the plays out of SQLite, for the record."""
    where = "FROM plays WHERE kind = 'music' AND track_id IS NOT NULL"

    def tuples() -> np.ndarray:
        rows = store.conn.execute(f"SELECT unixepoch(ts), ms_played, track_id {where}")
        return np.array(rows.fetchall(), np.int64)

    def grouped() -> object:
        sql = f"SELECT track_id, substr(ts, 1, 4), SUM(ms_played), COUNT(*) {where} GROUP BY 1, 2"
        return store.conn.execute(sql).fetchall()

    ways = (("read: a tuple per play", tuples), ("read: SQL GROUP BY track, year", grouped))
    for name, work in ways:
        wall, cpu, _ = timed(runs, work)
        print(f"{name:<52} {wall:8.2f} {cpu:8.2f}")


if __name__ == "__main__":
    main()
