"""A cluster page with odd ones out: their own section after the clusters (table
and full list), grey on both maps, a line of their own in both legends, and every
dot of the HTML map leading to a row or item of the page."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from linernotes.analysis.atlas import ClusterSet
from linernotes.analysis.clustering import Cluster
from linernotes.render.chart_jobs import draw
from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.cluster_site import scatter_job
from linernotes.render.colours import OUTLIER
from linernotes.render.html import HtmlRenderer, TwinExtras
from linernotes.render.scatter_map import build_cluster_map
from tests import library_fixture
from tests.library_fixture import Built

SCATTER = "images/playlists/everything/clusters/clusters_scatter.png"


@pytest.fixture(scope="module")
def built() -> Built:
    return library_fixture.build()


def _with_odd(clusters: ClusterSet) -> tuple[ClusterSet, int]:
    """``clusters`` with the last track of its first cluster set aside as odd."""
    clustering = clusters.clustering
    first = clustering.clusters[0]
    odd = first.track_ids[-1]
    kept = Cluster(first.number, first.track_ids[:-1], first.distances[:-1])
    row = clusters.features.track_ids.index(odd)
    labels = tuple(0 if i == row else n for i, n in enumerate(clustering.labels))
    changed = replace(
        clustering, clusters=(kept, *clustering.clusters[1:]), labels=labels, odd=(odd,)
    )
    return replace(clusters, clustering=changed), odd


def test_odd_ones_out_have_their_section_legend_line_and_anchors(built: Built) -> None:
    page = built.plan.playlist_cluster_page(1)
    assert page is not None
    clusters, odd = _with_odd(built.analysis.playlist_clusters[1])
    k = clusters.clustering.k
    text = render_cluster_page(built.ctx, page, "Everything", clusters, SCATTER, "playlist")
    headings = re.findall(r"^## (.*)$", text, re.M)
    assert headings == [*(f"Cluster #{n}" for n in range(1, k + 1)), "Odd ones out"]
    section = text.split("## Odd ones out", 1)[1]
    name = built.stored.tracks[odd].name
    assert section.startswith("\n\n1 track far from every cluster (grey on the map)")
    assert "All 1 track" in section and name in section
    drawn = build_cluster_map(built.ctx, page, "Everything", clusters)
    assert len(drawn.table_rows) == len(drawn.list_items) == k + 1
    assert drawn.table_rows[-1] == (f"track-{odd}",)
    twin = HtmlRenderer().render(
        page, text, TwinExtras({SCATTER: drawn.figure}, drawn.table_rows, drawn.list_items)
    )
    legend = re.findall(r'<li><a href="#([a-z0-9-]+)">', twin)
    assert legend == [*(f"cluster-{n}" for n in range(1, k + 1)), "odd-ones-out"]
    assert '<h2 id="odd-ones-out">' in twin
    grey = re.findall(rf'<circle [^>]*fill="{OUTLIER}"[^>]*data-h="([^"]+)"', twin)
    assert grey == [f"track-{odd}"]
    assert f'<tr id="track-{odd}">' in twin and f'<li id="all-{odd}">' in twin
    targets = re.findall(r'<circle [^>]*data-h="([^"]+)"', twin)
    assert len(targets) == len(clusters.clustering.labels)
    assert all(f'id="{t}"' in twin for t in targets)


def test_the_png_legend_has_a_line_for_the_odd_ones_out(built: Built, tmp_path: Path) -> None:
    clusters, _ = _with_odd(built.analysis.playlist_clusters[1])
    job = scatter_job(tmp_path / "map.png", "Everything", clusters)
    k = clusters.clustering.k
    assert job.data[2].tolist() == [*range(1, k + 1), 0]
    assert job.text[-1] == "Odd ones out (1) — far from every cluster"
    assert len(job.text) == 3 + k + 1
    draw(job, tmp_path / "map.png")
    assert (tmp_path / "map.png").read_bytes().startswith(b"\x89PNG")
