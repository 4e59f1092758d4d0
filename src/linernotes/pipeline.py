"""The build pipeline: load → analyse → plan → render → publish.

Each stage hands the next a plain value: the store is read once (``load``),
analysis and planning never see it, the renderer writes into a staging folder,
and only after a successful publish does the store learn the new slugs and the
cluster memberships (which the next build's cluster numbers follow). A
build that fails at any point leaves the previous atlas and the store as
they were.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from linernotes.analysis.atlas import Analysis, Memberships, analyse
from linernotes.analysis.cluster_cache import ClusterCache
from linernotes.analysis.cooccurrence import build_cooccurrence
from linernotes.analysis.library import Library, build_library
from linernotes.analysis.listening import build_listening
from linernotes.analysis.stories import Stories, build_stories
from linernotes.artwork import CoverCache, cover_sizes
from linernotes.caches import HistoryFacts, history_facts, load_clusters, save_clusters
from linernotes.config import Config
from linernotes.demo import DemoLayout, check_demo_arguments, generate_demo
from linernotes.demo.artwork import DemoCovers
from linernotes.incremental import atlas_key, reuse_if_unchanged, with_new_slugs
from linernotes.model import HistorySummary
from linernotes.render.plan import SitePlan, plan_site, plan_stories
from linernotes.render.publish import check_target, publish, resolve_target, staging_dir
from linernotes.render.reuse import Reuse, write_manifest
from linernotes.render.site import render_site
from linernotes.sources.covers import download_covers
from linernotes.sources.importer import import_paths
from linernotes.store import Store, open_store
from linernotes.store.clusters import read_cluster_members, save_cluster_members
from linernotes.store.history import iter_timed_plays, played_durations
from linernotes.store.library import read_library
from linernotes.store.listening import (
    read_liked_dates,
)
from linernotes.store.slugs import read_slugs, save_slugs
from linernotes.workers import process_alive, process_pool

# Reports progress: (stage, done, total).
Progress = Callable[[str, int, int], None]
CHART_CACHE = Path("cache") / "charts"


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads from the store, read in one go."""

    analysis: Analysis
    history: HistorySummary
    known_slugs: dict[str, dict[str, str]]
    stories: Stories | None = None


@dataclass
class BuildResult:
    """What a build wrote and how long each stage took (seconds)."""

    out: Path
    pages: int = 0
    images: int = 0
    analysis: Analysis | None = None  # None when the previous atlas was reused whole
    reused: bool = False  # True when nothing changed: the previous atlas was published again
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the time the block takes to ``timings[stage]``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def load_library(store: Store, config: Config) -> Library:
    """Read the library from the store, one value shown per field (see ``build_library``)."""
    return build_library(read_library(store.conn), config, played_durations(store.conn))


def load(
    store: Store, config: Config, clusters: ClusterCache | None = None, *, cold: bool = False
) -> Inputs:
    """Read the library, the listening, the slugs and cluster memberships of earlier
    builds, and analyse (unchanged clusterings from ``clusters``, the plays' facts
    cached unless ``cold``)."""
    library = load_library(store, config)
    facts = history_facts(store, config.listening.zone(), cold=cold)
    together = build_cooccurrence(
        iter_timed_plays(store.conn),
        library.playlists,
        {t.id: t.artist_ids for t in library.tracks.values()},
    )
    previous: Memberships = read_cluster_members(store.conn)
    listening = build_listening(facts.track_years)
    return Inputs(
        analyse(library, listening, config, together=together, previous=previous, cache=clusters),
        facts.summary,
        read_slugs(store.conn),
        load_stories(store, library, config, clusters, facts),
    )


def load_stories(
    store: Store,
    library: Library,
    config: Config,
    clusters: ClusterCache | None = None,
    facts: HistoryFacts | None = None,
) -> Stories:
    """The listening stories: the facts of the plays (cached beside the store while
    the plays and the time zone are unchanged) told through the library."""
    facts = facts or history_facts(store, config.listening.zone())
    liked = read_liked_dates(store.conn)
    return build_stories(facts.plays, library, facts.podcasts, liked, config, clusters)


def build(
    store: Store,
    config: Config,
    out: Path,
    *,
    progress: Progress | None = None,
    cold: bool = False,
) -> BuildResult:
    """Build the whole atlas of ``store`` into ``out``; return what was written.

    An atlas in ``out`` built from the same inputs is published again; otherwise
    unchanged clusterings, HTML twins, charts and covers are reused (``incremental``;
    ``cold`` reuses nothing, for the same bytes). Raises :class:`BuildError` when
    ``out`` cannot be replaced; on any failure the previous atlas and the store stay.
    """
    check_target(out)
    result = BuildResult(out)
    with result.timed("check"):
        store_part, reused = reuse_if_unchanged(store, config, out, cold=cold)
    if reused is not None:
        result.pages, result.images, result.reused = reused.pages, reused.images, True
        return result
    with result.timed("analyse"):
        clusters = ClusterCache() if cold else load_clusters(store)
        inputs = load(store, config, clusters, cold=cold)
        plan = plan_site(inputs.analysis, config.atlas, inputs.known_slugs)
        plan_stories(plan, inputs.stories)
        save_clusters(store, clusters)
    result.analysis = inputs.analysis
    members = inputs.analysis.cluster_members()
    key = atlas_key(store_part, with_new_slugs(inputs.known_slugs, plan.new_slugs), members)
    with result.timed("render"):
        rendered = _render_and_publish(store, config, out, inputs, plan, progress, key, cold)
    result.pages, result.images = rendered
    with store.transaction() as conn:
        save_slugs(conn, plan.new_slugs)
        save_cluster_members(conn, members)
    return result


def _render_and_publish(
    store: Store,
    config: Config,
    out: Path,
    inputs: Inputs,
    plan: SitePlan,
    progress: Progress | None,
    key: str,
    cold: bool,
) -> tuple[int, int]:
    staging = staging_dir(out)
    previous = resolve_target(out)
    try:
        reuse = Reuse(staging.resolve(), previous if previous.is_dir() and not cold else None)
        rendered = render_site(
            inputs.analysis,
            plan,
            inputs.history,
            config,
            staging,
            chart_cache=store.path.parent / CHART_CACHE if store.path and not cold else None,
            cover_cache=CoverCache.beside(store.path) if store.path else None,
            progress=progress,
            stories=inputs.stories,
            reuse=reuse,
        )
        write_manifest(staging, key, rendered.pages, rendered.images, reuse.inputs)
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return rendered.pages, rendered.images


@dataclass(frozen=True)
class DemoResult:
    """What ``make_demo`` made: the export it wrote, its store, and the atlas build."""

    export: Path
    store: Path
    tracks: int
    plays: int
    build: BuildResult


def make_demo(
    home: Path,
    out: Path,
    config: Config,
    *,
    seed: int = 7,
    tracks: int = 2000,
    plays: int = 80_000,
    progress: Progress | None = None,
) -> DemoResult:
    """Generate the demo library under ``home``, import it into its own store there
    (``home/library.db``) and build its atlas into ``out``.

    Arguments are checked before anything is touched (:class:`DemoError`); the
    new export and store are made beside the old ones and replace them only once
    the atlas is published, so a failed or killed demo leaves the previous demo whole.
    """
    check_demo_arguments(seed=seed, tracks=tracks, plays=plays)
    check_target(out)
    home.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(home)
    export, db = home / "export", home / "library.db"
    new_export = home / f".export-new-{os.getpid()}"
    new_db = home / f".library-new-{os.getpid()}.db"
    try:
        _report(progress, "generating the demo library")
        with process_pool(1) as pool, open_store(new_db) as store:
            # The album art is drawn by a worker while the library is written and imported.
            art = pool.submit(draw_demo_covers, CoverCache.beside(new_db), seed, tracks)
            generate_demo(new_export, seed=seed, tracks=tracks, plays=plays)
            _report(progress, "importing the demo export")
            report = import_paths(store, list(DemoLayout.under(new_export).import_paths))
            _report(progress, "drawing the demo's album art")
            art.result()
            fill_demo_covers(store, seed=seed, tracks=tracks)
            result = build(store, config, out, progress=progress)
    except BaseException:
        _remove_store_files(new_db)
        shutil.rmtree(new_export, ignore_errors=True)
        raise
    _replace_folder(new_export, export)
    _remove_store_files(db)
    os.replace(new_db, db)
    return DemoResult(export, db, report.counts.tracks, report.counts.plays, result)


def fill_demo_covers(store: Store, *, seed: int, tracks: int) -> None:
    """Put the generated art of the demo made with ``seed`` and ``tracks`` into the
    store's cover cache, as ``enrich`` does with downloads (nothing already there is
    drawn again); the demo's cover URLs lead nowhere real."""
    if store.path is not None:
        download_covers(store, CoverCache.beside(store.path), DemoCovers(seed=seed, tracks=tracks))


def draw_demo_covers(cache: CoverCache, seed: int, tracks: int) -> None:
    """Draw every album cover of the demo into ``cache`` (those not there yet), as
    ``fill_demo_covers`` would, without the store: run beside the import."""
    covers = DemoCovers(seed=seed, tracks=tracks)
    for url in covers.urls():
        data = None if cache.has(url) else covers.fetch(url)
        if data is not None:
            cache.save(url, cover_sizes(data))


_LEFTOVER = re.compile(r"^\.(export-new|library-new|export-old)-(\d+)(\.db)?$")


def _remove_leftovers(home: Path) -> None:
    """Remove what a killed demo left in its own folder (names it gives, dead pids only)."""
    for entry in os.scandir(home):
        match = _LEFTOVER.match(entry.name)
        if not match or process_alive(int(match.group(2))):
            continue
        if match.group(3):
            _remove_store_files(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def _report(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress(stage, 0, 0)


def _remove_store_files(db: Path) -> None:
    """Remove a store and its write-ahead log (a stale log must never meet a new file)."""
    for path in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), db):
        path.unlink(missing_ok=True)


def _replace_folder(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old-{os.getpid()}")  # matches _LEFTOVER
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)
