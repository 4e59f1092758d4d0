"""Write the listening stories and Liked Songs: their pages, their SVG charts, and
the PNG charts (cluster scatters, release years) left for the chart workers."""

from __future__ import annotations

import numpy as np

from linernotes.analysis.stories import Stories
from linernotes.render.chart_jobs import ChartJob
from linernotes.render.cluster_site import PageWriter, write_cluster_page
from linernotes.render.context import Context
from linernotes.render.habit_pages import (
    render_habits_page,
    render_podcasts_page,
    render_when_page,
)
from linernotes.render.listening_pages import render_listening_index, render_top_page
from linernotes.render.plan import HABITS_PAGE, LISTENING_INDEX, PODCASTS_PAGE, WHEN_PAGE
from linernotes.render.story_charts import bar_chart_svg, clock_svg, heatmap_svg
from linernotes.render.year_pages import MONTHS, render_liked_page, render_year_page


def write_story_pages(ctx: Context, writer: PageWriter) -> list[ChartJob]:
    """Write every planned story page and SVG chart; return the PNG charts to draw."""
    stories = ctx.stories
    if stories is None or not ctx.plan.listening:
        return []
    writer.page(LISTENING_INDEX, render_listening_index(ctx))
    writer.page(PODCASTS_PAGE, render_podcasts_page(ctx))
    if stories.has_history:
        _write_charts(ctx, writer, stories)
        writer.page(WHEN_PAGE, render_when_page(ctx))
        writer.page(HABITS_PAGE, render_habits_page(ctx))
    for period in stories.periods:
        writer.page(ctx.plan.top_page(period.key) or "", render_top_page(ctx, period))
    jobs = []
    for story in stories.years:
        page = ctx.plan.year_page(story.year) or ""
        bars = list(zip(MONTHS, (ms // 60_000 for ms in story.months), strict=True))
        _svg(
            writer,
            ctx.plan.year_chart_svg(story.year),
            bar_chart_svg(bars, title=f"Minutes per month in {story.year}"),
        )
        writer.page(page, render_year_page(ctx, story))
        clusters_page = ctx.plan.year_cluster_page(story.year)
        if clusters_page and story.clusters is not None:
            scatter = ctx.plan.year_scatter(story.year)
            name = f"Your {story.year}"
            jobs.append(
                write_cluster_page(
                    ctx, writer, clusters_page, name, story.clusters, scatter, "year"
                )
            )
    jobs += _write_liked(ctx, writer, stories)
    return jobs


def _write_liked(ctx: Context, writer: PageWriter, stories: Stories) -> list[ChartJob]:
    liked, page = stories.liked, ctx.plan.liked_page()
    if liked is None or page is None:
        return []
    jobs = []
    years = [y for t in liked.track_ids if (y := ctx.library.year(ctx.library.tracks[t]))]
    chart = ctx.plan.liked_year_chart() if years else None
    if chart:
        jobs.append(ChartJob("years", writer.path(chart), (np.array(years),)))
    writer.page(page, render_liked_page(ctx, chart))
    clusters_page = ctx.plan.liked_cluster_page()
    if clusters_page and liked.clusters is not None:
        scatter = ctx.plan.liked_scatter()
        jobs.append(
            write_cluster_page(
                ctx, writer, clusters_page, "Liked Songs", liked.clusters, scatter, "playlist"
            )
        )
    return jobs


def _write_charts(ctx: Context, writer: PageWriter, stories: Stories) -> None:
    rhythm, plan = stories.rhythm, ctx.plan
    weeks = [(str(monday), ms // 60_000) for monday, ms in rhythm.weeks]
    januaries = [label for label, _ in weeks if label[5:7] == "01" and int(label[8:]) <= 7]
    _svg(
        writer,
        plan.listening_chart("weeks"),
        bar_chart_svg(weeks, title="Minutes per week", labels=[j for j in januaries]),
    )
    grid = (rhythm.hour_ms // 60_000).tolist()
    _svg(
        writer,
        plan.listening_chart("heatmap"),
        heatmap_svg(grid, title="Minutes by hour and weekday"),
    )
    hours = (rhythm.hour_ms.sum(axis=0) // 60_000).tolist()
    _svg(
        writer,
        plan.listening_chart("clock"),
        clock_svg(hours, title="Listening clock: minutes by hour"),
    )
    months = [(month, len(artists)) for month, artists in stories.habits.new_artists]
    januaries = [m for m, _ in months if m.endswith("-01")]
    _svg(
        writer,
        plan.listening_chart("new_artists"),
        bar_chart_svg(months, title="New artists per month", unit="artists", labels=januaries),
    )


def _svg(writer: PageWriter, relative: str, text: str) -> None:
    writer.path(relative).write_text(text, encoding="utf-8", newline="\n")
    writer.images += 1
