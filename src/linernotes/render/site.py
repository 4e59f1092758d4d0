"""Render a planned atlas: every Markdown page (with its HTML twin) and chart,
written into a folder that the pipeline then publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linernotes.analysis.atlas import Analysis, ClusterSet
from linernotes.artwork import CoverCache
from linernotes.config import Config
from linernotes.errors import BuildError
from linernotes.model import HistorySummary
from linernotes.render import charts
from linernotes.render.chart_jobs import ChartJob, run_jobs
from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.collection_pages import render_genre_page, render_playlist_page
from linernotes.render.context import Context
from linernotes.render.covers import CoverArt
from linernotes.render.entity_pages import (
    artist_minutes_by_year,
    render_artist_page,
    render_label_page,
)
from linernotes.render.html import HtmlRenderer
from linernotes.render.index_pages import (
    render_artist_index,
    render_genre_index,
    render_home,
    render_label_index,
    render_playlist_index,
)
from linernotes.render.plan import (
    ARTIST_INDEX,
    GENRE_INDEX,
    HOME,
    LABEL_INDEX,
    PLAYLIST_INDEX,
    SitePlan,
)

log = logging.getLogger(__name__)
# Reports drawing progress: (stage, done, total).
Progress = Callable[[str, int, int], None]


@dataclass
class Rendered:
    """What a render wrote."""

    pages: int = 0
    images: int = 0


class _Writer:
    """Writes files under the staging folder, never outside it (each Markdown page
    with its HTML twin when ``html`` is given)."""

    def __init__(self, root: Path, html: HtmlRenderer | None = None) -> None:
        self.root = root.resolve()
        self.html = html
        self.pages = 0
        self.images = 0

    def path(self, relative: str) -> Path:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root):
            raise BuildError(f"refusing to write outside the atlas: {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def page(self, relative: str, text: str) -> None:
        self.path(relative).write_text(text, encoding="utf-8", newline="\n")
        if self.html is not None:
            self.html.write(self.root, relative, text)
        self.pages += 1


def render_site(
    analysis: Analysis,
    plan: SitePlan,
    history: HistorySummary,
    config: Config,
    root: Path,
    *,
    chart_cache: Path | None = None,
    cover_cache: CoverCache | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Write every page, chart and cover of ``plan`` under ``root`` (a fresh staging folder).

    PNG charts are drawn in worker processes; one whose data is unchanged is
    copied from ``chart_cache`` instead. Covers come from ``cover_cache`` (never
    from the network); an album without one gets a generated tile.
    """
    writer = _Writer(root, HtmlRenderer() if config.atlas.html else None)
    covers = CoverArt(config.atlas.covers, cover_cache)
    jobs = _write_pages(Context(analysis, plan, config, covers), writer, history)
    writer.images += covers.write(writer.path)
    on_chart = (lambda done, total: progress("charts", done, total)) if progress else None
    run_jobs(jobs, chart_cache, on_chart)
    return Rendered(writer.pages, writer.images + len(jobs))


def _write_pages(ctx: Context, writer: _Writer, history: HistorySummary) -> list[ChartJob]:
    """Write every Markdown page (and SVG chart); return the PNG charts still to draw."""
    plan, analysis = ctx.plan, ctx.analysis
    jobs: list[ChartJob] = []
    writer.page(HOME, render_home(ctx, history))
    writer.page(PLAYLIST_INDEX, render_playlist_index(ctx))
    writer.page(GENRE_INDEX, render_genre_index(ctx))
    writer.page(ARTIST_INDEX, render_artist_index(ctx))
    writer.page(LABEL_INDEX, render_label_index(ctx))
    for playlist in ctx.library.playlists:
        years = [y for t in playlist.track_ids if (y := ctx.library.year(ctx.library.tracks[t]))]
        chart = plan.year_chart(playlist.id) if years else None
        if chart:
            jobs.append(ChartJob("years", writer.path(chart), (np.array(years),)))
        writer.page(plan.playlist_page(playlist.id), render_playlist_page(ctx, playlist, chart))
        page = plan.playlist_cluster_page(playlist.id)
        if page:
            clusters = analysis.playlist_clusters[playlist.id]
            scatter = plan.scatter_image("playlists", plan.playlist_slugs[playlist.id])
            writer.page(
                page, render_cluster_page(ctx, page, playlist.name, clusters, scatter, "playlist")
            )
            jobs.append(_scatter(writer, scatter, clusters))
    for genre, page in plan.genre_pages():
        writer.page(page, render_genre_page(ctx, page, genre))
        page = plan.genre_cluster_page(genre)
        if page:
            clusters = analysis.genre_clusters[genre]
            scatter = plan.scatter_image("genres", plan.genre_slugs[genre])
            writer.page(page, render_cluster_page(ctx, page, genre, clusters, scatter, "genre"))
            jobs.append(_scatter(writer, scatter, clusters))
    for artist in plan.artist_slugs:
        minutes = artist_minutes_by_year(ctx, artist)
        chart = plan.artist_chart(artist) if minutes else None
        if chart:
            writer.path(chart).write_text(charts.listening_svg(minutes), encoding="utf-8")
            writer.images += 1
        page = plan.artist_pages[artist]
        writer.page(page, render_artist_page(ctx, page, artist, chart))
    for label, page in plan.label_pages():
        writer.page(page, render_label_page(ctx, page, label))
    return jobs


def _scatter(writer: _Writer, relative: str, clusters: ClusterSet) -> ChartJob:
    clustering = clusters.clustering
    return ChartJob(
        "scatter", writer.path(relative), (clustering.coords, np.array(clustering.labels))
    )
