"""Render a planned atlas: every Markdown page (with its HTML twin) and chart,
written into a folder that the pipeline then publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linernotes.analysis.atlas import Analysis, ClusterSet
from linernotes.config import Config
from linernotes.errors import BuildError
from linernotes.model import HistorySummary, Playlist
from linernotes.render import svg_charts
from linernotes.render.assets import write_assets
from linernotes.render.axes import map_axes
from linernotes.render.chart_jobs import ChartJob, run_jobs
from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.collection_pages import render_genre_page, render_playlist_page
from linernotes.render.context import Context
from linernotes.render.entity_pages import (
    artist_minutes_by_year,
    render_artist_page,
    render_label_page,
)
from linernotes.render.html import ASSETS, HtmlRenderer, TwinExtras
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
from linernotes.render.scatter_map import build_cluster_map, cluster_title

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

    def __init__(
        self, root: Path, html: HtmlRenderer | None = None, progress: Progress | None = None
    ) -> None:
        self.root = root.resolve()
        self.html = html
        self.pages = 0
        self.images = 0
        self.planned = 0
        self.progress = progress

    def path(self, relative: str) -> Path:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root):
            raise BuildError(f"refusing to write outside the atlas: {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def page(self, relative: str, text: str, extras: TwinExtras | None = None) -> None:
        self.path(relative).write_text(text, encoding="utf-8", newline="\n")
        if self.html is not None:
            self.html.write(self.root, relative, text, extras)
        self.pages += 1
        if self.progress and self.pages % 25 == 0:
            self.progress("pages", self.pages, max(self.planned, self.pages))


def render_site(
    analysis: Analysis,
    plan: SitePlan,
    history: HistorySummary,
    config: Config,
    root: Path,
    *,
    chart_cache: Path | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Write every page and chart of ``plan`` under ``root`` (a fresh staging folder),
    and, with the HTML twins, their scripts, styles and search index.

    PNG charts are drawn in worker processes; one whose data is unchanged is
    copied from ``chart_cache`` instead. ``progress`` hears of the pages written
    (stage "pages") then of every chart ("charts", those written with the pages
    counted as done).
    """
    ctx = Context(analysis, plan, config)
    writer = _Writer(root, HtmlRenderer() if config.atlas.html else None, progress)
    writer.planned = len(plan.pages())
    jobs = _write_pages(ctx, writer, history)
    if config.atlas.html:
        write_assets(writer.path(ASSETS), ctx)
    on_chart = None
    if progress:
        progress("pages", writer.pages, writer.pages)
        total = writer.images + len(jobs)
        on_chart = lambda done, _: progress("charts", writer.images + done, total)  # noqa: E731
        on_chart(0, len(jobs))
    run_jobs(jobs, chart_cache, on_chart)
    return Rendered(writer.pages, writer.images + len(jobs))


def _write_pages(ctx: Context, writer: _Writer, history: HistorySummary) -> list[ChartJob]:
    """Write every Markdown page (and SVG chart); return the PNG charts still to draw."""
    plan = ctx.plan
    jobs: list[ChartJob] = []
    writer.page(HOME, render_home(ctx, history), TwinExtras(image=_home_image(ctx)))
    writer.page(PLAYLIST_INDEX, render_playlist_index(ctx))
    writer.page(GENRE_INDEX, render_genre_index(ctx))
    writer.page(ARTIST_INDEX, render_artist_index(ctx))
    writer.page(LABEL_INDEX, render_label_index(ctx))
    for playlist in ctx.library.playlists:
        jobs += _write_playlist(ctx, writer, playlist)
    for genre, page in plan.genre_pages():
        cluster_page = plan.genre_cluster_page(genre)
        scatter = plan.scatter_image("genres", plan.genre_slugs[genre]) if cluster_page else None
        writer.page(page, render_genre_page(ctx, page, genre), TwinExtras(image=scatter))
        if cluster_page and scatter:
            clusters = ctx.analysis.genre_clusters[genre]
            jobs.append(_write_clusters(ctx, writer, cluster_page, genre, clusters, scatter))
    for artist, page in plan.artist_pages.items():
        minutes = artist_minutes_by_year(ctx, artist)
        chart = plan.artist_chart(artist) if minutes else None
        figures = {}
        if chart:
            figures[chart] = svg_charts.listening_svg(minutes)
            writer.path(chart).write_text(figures[chart], encoding="utf-8")
            writer.images += 1
        writer.page(page, render_artist_page(ctx, page, artist, chart), TwinExtras(figures))
    for label, page in plan.label_pages():
        writer.page(page, render_label_page(ctx, page, label))
    return jobs


def _write_playlist(ctx: Context, writer: _Writer, playlist: Playlist) -> list[ChartJob]:
    """Write a playlist's page and cluster page; return their PNG charts to draw."""
    plan, library = ctx.plan, ctx.library
    years = [y for t in playlist.track_ids if (y := library.year(library.tracks[t]))]
    chart = plan.year_chart(playlist.id) if years else None
    cluster_page = plan.playlist_cluster_page(playlist.id)
    slug = plan.playlist_slugs[playlist.id]
    scatter = plan.scatter_image("playlists", slug) if cluster_page else None
    jobs = []
    figures = {}
    if chart:
        jobs.append(ChartJob("years", writer.path(chart), (np.array(years),)))
        figures[chart] = svg_charts.year_histogram_svg(years)
    writer.page(
        plan.playlist_page(playlist.id),
        render_playlist_page(ctx, playlist, chart),
        TwinExtras(figures, image=scatter or chart),
    )
    if cluster_page and scatter:
        clusters = ctx.analysis.playlist_clusters[playlist.id]
        jobs.append(_write_clusters(ctx, writer, cluster_page, playlist.name, clusters, scatter))
    return jobs


def _write_clusters(
    ctx: Context, writer: _Writer, page: str, name: str, clusters: ClusterSet, scatter: str
) -> ChartJob:
    """Write one cluster page (its HTML twin with the interactive map); return the
    job that draws its PNG map."""
    what = "playlist" if page.startswith("playlists/") else "genre"
    text = render_cluster_page(ctx, page, name, clusters, scatter, what)
    drawn = build_cluster_map(ctx, page, name, clusters)
    extras = TwinExtras({scatter: drawn.figure}, drawn.table_rows, drawn.list_items, scatter)
    writer.page(page, text, extras)
    clustering = clusters.clustering
    axes = [a.label for a in map_axes(clusters)] + ["", ""]
    legend = tuple(
        f"{cluster_title(c.number)} ({c.size}) — {description}"
        for c, description in zip(clustering.clusters, clusters.descriptions, strict=True)
    )
    numbers = np.array([c.number for c in clustering.clusters])
    return ChartJob(
        "scatter",
        writer.path(scatter),
        (clustering.coords, np.array(clustering.labels), numbers),
        (f"Clusters in {name}", axes[0], axes[1], *legend),
    )


def _home_image(ctx: Context) -> str | None:
    """The map of the biggest clustered playlist: the picture of a shared home page."""
    clustered = [p for p in ctx.library.playlists if ctx.plan.playlist_cluster_page(p.id)]
    if not clustered:
        return None
    biggest = max(clustered, key=lambda p: (len(p.track_ids), -p.id))
    return ctx.plan.scatter_image("playlists", ctx.plan.playlist_slugs[biggest.id])
