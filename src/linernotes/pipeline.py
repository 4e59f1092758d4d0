"""The build pipeline: load → analyse → plan → render → publish.

Each stage hands the next a plain value: the store is read once (``load``),
analysis and planning never see it, the renderer writes into a staging folder,
and only after a successful publish does the store learn the new slugs. A
build that fails at any point leaves the previous atlas and the store as
they were.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from linernotes.analysis.atlas import Analysis, analyse
from linernotes.analysis.library import Library, build_library
from linernotes.analysis.listening import build_listening
from linernotes.config import Config
from linernotes.model import HistorySummary
from linernotes.render.plan import SitePlan, plan_site
from linernotes.render.publish import check_target, publish, staging_dir
from linernotes.render.site import render_site
from linernotes.store import Store
from linernotes.store.history import history_summary, iter_track_years
from linernotes.store.library import read_library
from linernotes.store.slugs import read_slugs, save_slugs

# Reports progress: (stage, done, total).
Progress = Callable[[str, int, int], None]
CHART_CACHE = Path("cache") / "charts"


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads from the store, read in one go."""

    analysis: Analysis
    history: HistorySummary
    known_slugs: dict[str, dict[str, str]]


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
    return build_library(read_library(store.conn), config)


def load(store: Store, config: Config) -> Inputs:
    """Read the library, the listening and the slugs of earlier builds, and analyse."""
    library = load_library(store, config)
    listening = build_listening(iter_track_years(store.conn))
    return Inputs(
        analyse(library, listening, config), history_summary(store.conn), read_slugs(store.conn)
    )


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
    result.analysis = inputs.analysis
    with result.timed("render"):
        rendered = _render_and_publish(store, config, out, inputs, plan, progress)
    result.pages, result.images = rendered
    with store.transaction() as conn:
        save_slugs(conn, plan.new_slugs)
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
            progress=progress,
        )
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return rendered.pages, rendered.images
