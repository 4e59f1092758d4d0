"""The cluster page: "Clusters in <name>", the scatter image, what the clusters were
found on, one section per cluster with its size, description, representative
tracks and full list, then the odd ones out."""

from __future__ import annotations

import posixpath
import re

from linernotes.analysis.atlas import ClusterSet
from linernotes.analysis.clustering import Clustering
from linernotes.analysis.library import Track
from linernotes.render.axes import map_alt_text
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_count, md_optional_link, md_text, table

CLUSTER_HEADER = ["Art", "Track", "Album", "Artists", "Label"]
# Feature blocks whose name alone would not read well in a sentence.
_BLOCK_WORDS = {"explicit": "explicit lyrics", "title script": "script of the title"}
_ALT_UNSAFE = re.compile(r"[\[\]\\]")


def render_cluster_page(
    ctx: Context, page: str, name: str, clusters: ClusterSet, scatter: str, what: str
) -> str:
    """Return the Markdown of one cluster page; ``what`` is "playlist", "genre" or
    "year" (a year of listening, named like "Your 2024").

    The page opens with its title (the DESIGN format; so no front matter), the
    breadcrumbs and the map, and links back to the playlist or genre it splits.
    """
    clustering = clusters.clustering
    total = len(clustering.labels)
    back = ctx.link(page, posixpath.join(posixpath.dirname(posixpath.dirname(page)), "README.md"))
    link = md_optional_link(name, back)
    whole = link if what == "year" else f"the {what} {link}"
    lines = [
        *ctx.head(page, f"Clusters in {name}", name="Clusters", front_matter=False),
        f"![{_alt(map_alt_text(clusters, name))}]({ctx.plan.link(page, scatter)})",
        "",
        f"{fmt_count(total, 'track')} of {whole} in {fmt_count(clustering.k, 'cluster')}."
        f" {_clustered_on(clustering)}",
    ]
    rows_limit = ctx.config.atlas.rows_per_cluster
    for cluster, description in zip(clustering.clusters, clusters.descriptions, strict=True):
        tracks = [ctx.library.tracks[t] for t in cluster.track_ids]
        lines += [
            "",
            f"## Cluster #{cluster.number}",
            "",
            fmt_count(cluster.size, "track"),
            "",
            f"*{md_text(description)}*",
            "",
            cluster_table(ctx, page, tracks[:rows_limit]),
            "",
            *_details(ctx, page, tracks),
        ]
    if clustering.odd:
        odd = [ctx.library.tracks[t] for t in clustering.odd]
        lines += [
            "",
            "## Odd ones out",
            "",
            f"{fmt_count(len(odd), 'track')} far from every cluster (grey on the map),"
            " the farthest first",
            "",
            cluster_table(ctx, page, odd[:rows_limit]),
            "",
            *_details(ctx, page, odd),
        ]
    footnote = ctx.score_footnote
    if footnote:
        lines += ["", "---", "", footnote]
    return "\n".join(lines) + "\n"


def _clustered_on(clustering: Clustering) -> str:
    """What the clusters were found on, how k was chosen and what the map shows; when
    nothing could be compared, what would help."""
    if not clustering.features:
        return (
            "Clustered on: nothing yet: no audio features, genres, release years or"
            " listening history tell these tracks apart, so they are shown as one group."
            " `linernotes enrich` adds audio features, genres and years (no account"
            " needed); importing your extended streaming history adds listening sessions."
        )
    used = ", ".join(_BLOCK_WORDS.get(b, b) for b in clustering.features)
    text = f"Clustered on: {used}. {md_text(clustering.how_k)}."
    if clustering.k > 1 or clustering.odd:
        text += (
            " The map shows the two directions along which these tracks differ most in"
            f" that same space ({round(100 * clustering.map_share)} % of their spread)"
            + ("; odd ones out are grey." if clustering.odd else ".")
        )
    return text


def cluster_table(ctx: Context, page: str, tracks: list[Track]) -> str:
    """The representative tracks table in the exact DESIGN column order."""
    header = list(CLUSTER_HEADER)
    align = ["l"] * 5
    score = ctx.score_header
    if score:
        header.append(score)
        align.append("r")
    header += ["💚", "🔗"]
    align += ["l", "l"]
    rows = []
    for track in tracks:
        row = [
            ctx.cover(page, track),
            md_text(track.name),
            ctx.album_cell(track),
            ctx.artists_cell(page, track),
            ctx.labels_cell(page, track),
        ]
        if score:
            row.append(ctx.score_cell(track))
        row += [ctx.liked_cell(track), ctx.spotify_cell(track)]
        rows.append(row)
    return table(header, align, rows)


def _details(ctx: Context, page: str, tracks: list[Track]) -> list[str]:
    """Every track of the cluster in a collapsed block, in the same order."""
    lines = ["<details>", f"<summary>All {fmt_count(len(tracks), 'track')}</summary>", ""]
    for i, track in enumerate(tracks, start=1):
        artists = ctx.artists_cell(page, track)
        liked = f" {ctx.liked_cell(track)}" if track.liked else ""
        lines.append(f"{i}. {md_text(track.name)} — {artists}{liked}")
    lines += ["", "</details>"]
    return lines


def _alt(text: str) -> str:
    """Alt text for a Markdown image: escaped, without brackets (which would end it)."""
    return md_text(_ALT_UNSAFE.sub(" ", text))
