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
from zoneinfo import ZoneInfo

import msgspec

from linernotes.analysis.atlas import Analysis, Memberships, analyse
from linernotes.analysis.cooccurrence import build_cooccurrence
from linernotes.analysis.library import Library, build_library
from linernotes.analysis.listening import build_listening
from linernotes.analysis.play_facts import FACTS_VERSION, PlayFacts, compute_play_facts
from linernotes.analysis.stories import Stories, build_stories
from linernotes.artwork import CoverCache, cover_sizes
from linernotes.config import Config
from linernotes.demo import DemoLayout, check_demo_arguments, generate_demo
from linernotes.demo.artwork import DemoCovers
from linernotes.model import HistorySummary, PodcastTotal
from linernotes.render.plan import SitePlan, plan_site, plan_stories
from linernotes.render.publish import check_target, publish, staging_dir
from linernotes.render.site import render_site
from linernotes.sources.covers import download_covers
from linernotes.sources.importer import import_paths
from linernotes.store import Store, open_store
from linernotes.store.clusters import read_cluster_members, save_cluster_members
from linernotes.store.history import (
    history_summary,
    iter_timed_plays,
    iter_track_years,
    played_durations,
)
from linernotes.store.library import read_library
from linernotes.store.listening import (
    history_fingerprint,
    read_liked_dates,
    read_play_columns,
    read_podcast_totals,
)
from linernotes.store.slugs import read_slugs, save_slugs
from linernotes.workers import process_pool

# Reports progress: (stage, done, total).
Progress = Callable[[str, int, int], None]
CHART_CACHE = Path("cache") / "charts"
FACTS_CACHE = Path("cache") / "listening.msgpack"


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
    analysis: Analysis | None = None
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


def load(store: Store, config: Config) -> Inputs:
    """Read the library, the listening, the slugs and cluster memberships of earlier
    builds, and analyse."""
    library = load_library(store, config)
    listening = build_listening(iter_track_years(store.conn))
    together = build_cooccurrence(
        iter_timed_plays(store.conn),
        library.playlists,
        {t.id: t.artist_ids for t in library.tracks.values()},
    )
    previous: Memberships = read_cluster_members(store.conn)
    return Inputs(
        analyse(library, listening, config, together=together, previous=previous),
        history_summary(store.conn),
        read_slugs(store.conn),
        load_stories(store, library, config),
    )


def load_stories(store: Store, library: Library, config: Config) -> Stories:
    """The listening stories: the facts of the plays (cached beside the store while
    the plays and the time zone are unchanged) told through the library."""
    facts = history_facts(store, config.listening.zone())
    return build_stories(facts.plays, library, facts.podcasts, read_liked_dates(store.conn), config)


class HistoryFacts(msgspec.Struct, frozen=True):
    """What the stories read from the plays, cached under ``key``."""

    key: str
    plays: PlayFacts
    podcasts: list[PodcastTotal]


def history_facts(store: Store, zone: ZoneInfo) -> HistoryFacts:
    """The facts of the plays: from the cache beside the store when its key (the
    plays' fingerprint, the time zone, the facts' version) still matches, else
    computed (a few seconds for millions of plays) and cached."""
    key = f"{FACTS_VERSION}|{zone.key}|{history_fingerprint(store.conn)}"
    path = store.path.parent / FACTS_CACHE if store.path else None
    if path is not None and path.is_file():
        try:
            cached = msgspec.msgpack.decode(path.read_bytes(), type=HistoryFacts)
        except (msgspec.DecodeError, OSError):
            cached = None  # a damaged or older cache is recomputed
        if cached is not None and cached.key == key:
            return cached
    plays = compute_play_facts(read_play_columns(store.conn), zone)
    facts = HistoryFacts(key, plays, read_podcast_totals(store.conn))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(msgspec.msgpack.encode(facts))
        os.replace(partial, path)
    return facts


def build(
    store: Store, config: Config, out: Path, *, progress: Progress | None = None
) -> BuildResult:
    """Build the whole atlas of ``store`` into ``out``; return what was written.

    Raises :class:`~linernotes.errors.BuildError` when ``out`` cannot be replaced;
    on any failure the previous atlas in ``out`` and the store are left as they were.
    """
    check_target(out)
    result = BuildResult(out)
    with result.timed("analyse"):
        inputs = load(store, config)
        plan = plan_site(inputs.analysis, config.atlas, inputs.known_slugs)
        plan_stories(plan, inputs.stories)
    result.analysis = inputs.analysis
    with result.timed("render"):
        rendered = _render_and_publish(store, config, out, inputs, plan, progress)
    result.pages, result.images = rendered
    with store.transaction() as conn:
        save_slugs(conn, plan.new_slugs)
        save_cluster_members(conn, inputs.analysis.cluster_members())
    return result


def _render_and_publish(
    store: Store,
    config: Config,
    out: Path,
    inputs: Inputs,
    plan: SitePlan,
    progress: Progress | None,
) -> tuple[int, int]:
    staging = staging_dir(out)
    try:
        rendered = render_site(
            inputs.analysis,
            plan,
            inputs.history,
            config,
            staging,
            chart_cache=store.path.parent / CHART_CACHE if store.path else None,
            cover_cache=CoverCache.beside(store.path) if store.path else None,
            progress=progress,
            stories=inputs.stories,
        )
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
        if not match or _alive(int(match.group(2))):
            continue
        if match.group(3):
            _remove_store_files(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
