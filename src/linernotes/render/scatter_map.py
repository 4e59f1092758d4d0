"""The interactive cluster map of an HTML cluster page: the same projection as
the PNG, drawn as SVG; each dot carries its track, artists and cover for the
page's script to show on hover, and the id of the row to jump to on click."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import numpy as np

from linernotes.analysis.atlas import ClusterSet
from linernotes.analysis.library import Track
from linernotes.render.axes import map_alt_text, map_axes
from linernotes.render.colours import cluster_colour
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_count, heading_anchor

WIDTH, HEIGHT = 640, 400
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 28, 10, 10, 28
_SRC = re.compile(r'src="([^"]+)"')


@dataclass(frozen=True)
class ClusterMap:
    """The figure, and the ids the page's rows need for the map's links."""

    figure: str
    # Per table (each cluster's, then the odd ones out's): its rows' ids.
    table_rows: tuple[tuple[str, ...], ...]
    list_items: tuple[tuple[str, ...], ...]  # per "All N tracks" list: its items' ids


def row_id(track_id: int) -> str:
    """The id of a track's row in a cluster's table of representative tracks."""
    return f"track-{track_id}"


def item_id(track_id: int) -> str:
    """The id of a track's item in a cluster's full list."""
    return f"all-{track_id}"


def cluster_title(number: int) -> str:
    """The heading of a cluster's section (and its name in the legend)."""
    return f"Cluster #{number}" if number >= 1 else "Odd ones out"


def build_cluster_map(ctx: Context, page: str, name: str, clusters: ClusterSet) -> ClusterMap:
    """Draw the map of ``clusters`` for the HTML twin of the cluster ``page``."""
    clustering = clusters.clustering
    limit = ctx.config.atlas.rows_per_cluster
    sections = [c.track_ids for c in clustering.clusters] + (
        [clustering.odd] if clustering.odd else []
    )
    shown = {t for tracks in sections for t in tracks[:limit]}
    dots = _dots(ctx, page, clusters, shown)
    axes = map_axes(clusters)
    labels = [
        f'<text class="axis" x="{(WIDTH + _PAD_LEFT) / 2:g}" y="{HEIGHT - 8}"'
        f' text-anchor="middle">{escape(axes[0].label)}</text>'
        if axes
        else "",
        f'<text class="axis" transform="translate(14 {(HEIGHT - _PAD_BOTTOM) / 2:g}) rotate(-90)"'
        f' text-anchor="middle">{escape(axes[1].label)}</text>'
        if len(axes) > 1
        else "",
    ]
    alt = map_alt_text(clusters, name)
    figure = (
        '<figure class="cluster-map">'
        f'<svg class="chart map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-label="{escape(alt)}"><title>{escape(alt)}</title>'
        f'<rect class="frame" x="{_PAD_LEFT}" y="{_PAD_TOP}"'
        f' width="{WIDTH - _PAD_LEFT - _PAD_RIGHT}" height="{HEIGHT - _PAD_TOP - _PAD_BOTTOM}"/>'
        f'{"".join(labels)}<g class="dots">{dots}</g></svg>'
        f"<figcaption>{_legend(clusters)}</figcaption>"
        '<div class="map-tip" role="tooltip" hidden></div></figure>'
    )
    return ClusterMap(
        figure,
        tuple(tuple(row_id(t) for t in tracks[:limit]) for tracks in sections),
        tuple(tuple(item_id(t) for t in tracks) for tracks in sections),
    )


def _dots(ctx: Context, page: str, clusters: ClusterSet, shown: set[int]) -> str:
    clustering = clusters.clustering
    xy = _scaled(clustering.coords)
    labels = np.asarray(clustering.labels)
    order = np.lexsort((np.arange(len(labels)), labels > 0))  # unclustered underneath
    radius = dot_radius(len(labels))
    out = []
    for row in order:
        track_id = clusters.features.track_ids[row]
        track = ctx.library.tracks[track_id]
        target = row_id(track_id) if track_id in shown else item_id(track_id)
        cover = _cover_src(ctx, page, track)
        out.append(
            f'<circle cx="{xy[row, 0]:.1f}" cy="{xy[row, 1]:.1f}" r="{radius}"'
            f' fill="{cluster_colour(int(labels[row]))}" data-t="{escape(track.name)}"'
            f' data-a="{escape(_artists(ctx, track))}"'
            + (f' data-c="{escape(cover)}"' if cover else "")
            + f' data-h="{target}"/>'
        )
    return "".join(out)


def dot_radius(count: int) -> float:
    """Smaller dots on a crowded map, so clusters stay apart."""
    return 5.5 if count <= 100 else 4.5 if count <= 300 else 3.5 if count <= 1000 else 2.5


def _scaled(coords: np.ndarray) -> np.ndarray:
    """Projection → SVG coordinates inside the frame (y up), aspect kept free."""
    xy = np.zeros((len(coords), 2))
    if not len(coords):
        return xy
    spans = [(_PAD_LEFT + 8, WIDTH - _PAD_RIGHT - 8), (HEIGHT - _PAD_BOTTOM - 8, _PAD_TOP + 8)]
    for axis, (start, end) in enumerate(spans):
        values = coords[:, axis]
        low, high = float(values.min()), float(values.max())
        share = (values - low) / (high - low) if high - low > 1e-12 else np.full(len(values), 0.5)
        xy[:, axis] = start + share * (end - start)
    return xy


def _artists(ctx: Context, track: Track) -> str:
    return ", ".join(ctx.library.artists[a].name for a in dict.fromkeys(track.artist_ids))


def _cover_src(ctx: Context, page: str, track: Track) -> str | None:
    """The cover the page's table would show for ``track`` (relative to ``page``)."""
    match = _SRC.search(ctx.cover(page, track))
    return match.group(1) if match else None


def _legend(clusters: ClusterSet) -> str:
    clustering = clusters.clustering
    entries = [
        (cluster.number, cluster.size, description)
        for cluster, description in zip(clustering.clusters, clusters.descriptions, strict=True)
    ]
    if clustering.odd:
        entries.append((0, len(clustering.odd), "far from every cluster"))
    items = []
    for number, size, description in entries:
        title = cluster_title(number)
        items.append(
            f'<li><a href="#{heading_anchor(title)}"><span class="swatch"'
            f' style="background:{cluster_colour(number)}"></span>'
            f'{escape(title)}</a> <span class="size">{fmt_count(size, "track")}</span>'
            f' <span class="what">{escape(description)}</span></li>'
        )
    return f'<ol class="legend">{"".join(items)}</ol>'
