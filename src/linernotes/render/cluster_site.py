"""Write one cluster page whatever it splits (a playlist, a genre, a year, Liked
Songs): its Markdown, its HTML twin with the interactive map, and the job that
draws its PNG map with the same axis names and legend."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from linernotes.analysis.atlas import ClusterSet
from linernotes.render.axes import map_axes
from linernotes.render.chart_jobs import ChartJob
from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.context import Context
from linernotes.render.html import TwinExtras
from linernotes.render.scatter_map import build_cluster_map, cluster_title


class PageWriter(Protocol):
    """Where pages and images go (``render.site``'s writer)."""

    images: int

    def path(self, relative: str) -> Path: ...

    def page(self, relative: str, text: str, extras: TwinExtras | None = None) -> None: ...


def write_cluster_page(
    ctx: Context,
    writer: PageWriter,
    page: str,
    name: str,
    clusters: ClusterSet,
    scatter: str,
    what: str,
) -> ChartJob:
    """Write the cluster ``page`` of ``name`` ("playlist", "genre" or "year":
    ``what``); return the job that draws its PNG map at ``scatter``."""
    text = render_cluster_page(ctx, page, name, clusters, scatter, what)
    drawn = build_cluster_map(ctx, page, name, clusters)
    extras = TwinExtras({scatter: drawn.figure}, drawn.table_rows, drawn.list_items, scatter)
    writer.page(page, text, extras)
    return scatter_job(writer.path(scatter), name, clusters)


def scatter_job(target: Path, name: str, clusters: ClusterSet) -> ChartJob:
    """The PNG map of ``clusters``: title, axis names, one legend line per cluster
    (and one for the odd ones out, grey)."""
    clustering = clusters.clustering
    axes = [a.label for a in map_axes(clusters)] + ["", ""]
    legend = tuple(
        f"{cluster_title(c.number)} ({c.size}) — {description}"
        for c, description in zip(clustering.clusters, clusters.descriptions, strict=True)
    )
    numbers = np.array([c.number for c in clustering.clusters] + ([0] if clustering.odd else []))
    if clustering.odd:
        legend += (f"{cluster_title(0)} ({len(clustering.odd)}) — far from every cluster",)
    return ChartJob(
        "scatter",
        target,
        (clustering.coords, np.array(clustering.labels), numbers),
        (f"Clusters in {name}", axes[0], axes[1], *legend),
    )
