"""Render a planned atlas: every Markdown page (with its HTML twin) and chart,
written into a folder that the pipeline then publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linernotes.analysis.atlas import Analysis
from linernotes.analysis.stories import Stories
from linernotes.artwork import CoverCache
from linernotes.config import Config
from linernotes.errors import BuildError
from linernotes.model import HistorySummary, Playlist
from linernotes.render import svg_charts
from linernotes.render.assets import write_assets
from linernotes.render.chart_jobs import ChartJob, ChartRunner
from linernotes.render.cluster_site import write_cluster_page
from linernotes.render.collection_pages import render_genre_page, render_playlist_page
from linernotes.render.context import Context
from linernotes.render.covers import CoverArt
from linernotes.render.entity_pages import (
    artist_minutes_by_year,
    render_artist_page,
    render_label_page,
)
from linernotes.render.html import ASSETS, HtmlRenderer, TwinExtras
from linernotes.render.html_jobs import HtmlTwins
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
from linernotes.render.story_site import write_story_pages

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
        self, root: Path, html: HtmlTwins | None = None, progress: Progress | None = None
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
    cover_cache: CoverCache | None = None,
    progress: Progress | None = None,
    stories: Stories | None = None,
) -> Rendered:
    """Write every page, chart and cover of ``plan`` under ``root`` (a fresh staging
    folder), and, with the HTML twins, their scripts, styles and search index.

    PNG charts and HTML twins are made in worker processes while the pages are
    written; a chart whose data is unchanged is copied from ``chart_cache``.
    Covers come from ``cover_cache`` (never from the network); an album
    without one gets a generated tile. ``progress`` hears of the pages written
    (stage "pages") then of every chart ("charts", those finished while the
    pages were written counted as done).
    """
    covers = CoverArt(config.atlas.covers, cover_cache)
    ctx = Context(analysis, plan, config, covers, stories)
    with ChartRunner(chart_cache) as jobs, _html_twins(config) as html:
        writer = _Writer(root, html, progress)
        writer.planned = len(plan.pages())
        _write_pages(ctx, writer, history, jobs)
        jobs += write_story_pages(ctx, writer)
        writer.images += covers.write(writer.path)
        if config.atlas.html:
            write_assets(writer.path(ASSETS), ctx)
        if html is not None:
            html.finish()
        if progress:
            progress("pages", writer.pages, writer.pages)
            images = writer.images
            jobs.progress = lambda done, total: progress("charts", images + done, images + total)
            jobs.progress(jobs.done, len(jobs))
        jobs.finish()
    return Rendered(writer.pages, writer.images + len(jobs))


def _html_twins(config: Config) -> AbstractContextManager[HtmlTwins | None]:
    """The HTML twins' writer (worker processes, see ``html_jobs``), if HTML is on."""
    return HtmlTwins(HtmlRenderer()) if config.atlas.html else nullcontext()


def _write_pages(ctx: Context, writer: _Writer, history: HistorySummary, jobs: ChartRunner) -> None:
    """Write every Markdown page (and SVG chart), handing each PNG chart to ``jobs``."""
    plan = ctx.plan
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
            jobs.append(
                write_cluster_page(ctx, writer, cluster_page, genre, clusters, scatter, "genre")
            )
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
        jobs.append(
            write_cluster_page(
                ctx, writer, cluster_page, playlist.name, clusters, scatter, "playlist"
            )
        )
    return jobs


def _home_image(ctx: Context) -> str | None:
    """The map of the biggest clustered playlist: the picture of a shared home page."""
    clustered = [p for p in ctx.library.playlists if ctx.plan.playlist_cluster_page(p.id)]
    if not clustered:
        return None
    biggest = max(clustered, key=lambda p: (len(p.track_ids), -p.id))
    return ctx.plan.scatter_image("playlists", ctx.plan.playlist_slugs[biggest.id])
