"""The whole fixture atlas rendered into a folder: front matter and breadcrumbs on
the Markdown, what the HTML twins add (navigation, inline charts, the map, row
anchors, search index), and what the build reports while it draws."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import cmarkgfm
import pytest

from linernotes.model import HistorySummary
from linernotes.render.html import html_name
from linernotes.render.markdown import md_text
from linernotes.render.site import render_site
from tests import library_fixture
from tests.library_fixture import HOSTILE_ARTIST, HOSTILE_TRACK, Built

FRONT_MATTER = re.compile(r'\A---\ntitle: (".*")\naliases:\n  - (".*")\n---\n\n# (.*)\n')


@pytest.fixture(scope="module")
def built() -> Built:
    return library_fixture.build()


@pytest.fixture(scope="module")
def rendered(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("atlas")
    events: list[tuple[str, int, int]] = []
    result = render_site(
        built.analysis,
        built.plan,
        HistorySummary({}, None, None, 0),
        built.ctx.config,
        root,
        progress=lambda stage, done, total: events.append((stage, done, total)),
    )
    return {"root": root, "result": result, "events": events}


def _md(rendered: dict[str, Any], page: str) -> str:
    return (rendered["root"] / page).read_text("utf-8")


def _twin(rendered: dict[str, Any], page: str) -> str:
    return (rendered["root"] / html_name(page)).read_text("utf-8")


def test_every_page_but_the_cluster_pages_has_front_matter_naming_it(
    built: Built, rendered: dict[str, Any]
) -> None:
    for page in built.plan.pages():
        text = _md(rendered, page)
        if page.endswith("clusters/README.md"):
            assert text.startswith("# Clusters in "), page  # the DESIGN format
            continue
        match = FRONT_MATTER.match(text)
        assert match, page
        title, alias = json.loads(match.group(1)), json.loads(match.group(2))
        assert title == alias
        # The escaped H1 is the title as Markdown writes it.
        assert md_text(title) == match.group(3), page
    artist = _md(rendered, built.plan.artist_pages[1])
    assert json.loads(FRONT_MATTER.match(artist).group(1)) == HOSTILE_ARTIST  # type: ignore[union-attr]
    assert "<script>" not in artist


def test_front_matter_does_not_break_a_plain_cmark_gfm_page(
    built: Built, rendered: dict[str, Any]
) -> None:
    """GitHub shows front matter as a table; a renderer that does not know it
    (cmark-gfm alone) must still show the page whole and no raw markup."""
    for page in ("README.md", built.plan.artist_pages[1], built.plan.playlist_page(1)):
        markdown = _md(rendered, page)
        out = cmarkgfm.github_flavored_markdown_to_html(markdown)
        body_tables = markdown.count("\n|:--") + markdown.count("\n|---")
        assert out.count("<h1>") == 1, page
        assert out.count("<table>") == body_tables, page
        assert "<script>" not in out


def test_breadcrumbs_lead_home_and_back_up(built: Built, rendered: dict[str, Any]) -> None:
    page = built.plan.playlist_cluster_page(1)
    assert page is not None
    lines = _md(rendered, page).split("\n")
    assert lines[2] == (
        "[Home](../../../README.md) › [Playlists](../../README.md) › "
        "[Everything](../README.md) › Clusters"
    )
    assert re.match(
        r"^!\[Map of the 36 tracks of Everything[^\]]*\]\([^)]*clusters_scatter\.png\)$", lines[4]
    )
    assert "tracks of the playlist [Everything](../README.md) in 3 clusters." in lines[6]
    artist = _md(rendered, built.plan.artist_pages[1])
    assert (
        "\n[Home](../../README.md) › [Artists](../README.md) › A&amp;B &lt;script&gt;\n" in artist
    )
    assert "› " not in _md(rendered, "README.md")  # home: nothing above it


def test_an_artist_page_does_not_link_to_itself(built: Built, rendered: dict[str, Any]) -> None:
    page = built.plan.artist_pages[3]
    text = _md(rendered, page)
    assert "| Artist 3 |" in text  # its own name in its tracks table, as text
    assert "(overview.md)" not in text and "artist_3/overview.md" not in text


def test_the_twin_shows_navigation_not_front_matter(built: Built, rendered: dict[str, Any]) -> None:
    page = built.plan.artist_pages[1]
    twin = _twin(rendered, page)
    assert "aliases:" not in twin and "title: " not in twin
    assert "<title>A&amp;B &lt;script&gt; · linernotes</title>" in twin
    assert '<meta property="og:title" content="A&amp;B &lt;script&gt;">' in twin
    nav = re.search(r'<nav class="crumbs" aria-label="Breadcrumbs">(.*?)</nav>', twin)
    assert nav and '<a href="../../index.html">Home</a>' in nav.group(1)
    assert '<span aria-current="page">A&amp;B &lt;script&gt;</span>' in nav.group(1)
    main = twin.split("<main>", 1)[1]
    assert "[Home]" not in main and "Breadcrumbs" not in main
    assert '<a class="brand" href="../../index.html">' in twin
    home = _twin(rendered, "README.md")
    assert '<a class="brand"' not in home  # no link from the home page to itself


def test_the_cluster_twin_draws_the_map_and_anchors_every_row(
    built: Built, rendered: dict[str, Any]
) -> None:
    page = built.plan.playlist_cluster_page(1)
    assert page is not None
    twin = _twin(rendered, page)
    clustering = built.analysis.playlist_clusters[1].clustering
    assert 'clusters_scatter.png" alt' not in twin  # the map replaces the image
    assert twin.count("<circle ") == len(clustering.labels)
    image = "../../../images/playlists/everything/clusters/clusters_scatter.png"
    assert f'<meta property="og:image" content="{image}">' in twin
    hostile = html.escape(HOSTILE_TRACK)
    assert f'data-t="{hostile}"' in twin and HOSTILE_TRACK not in twin
    limit = built.ctx.config.atlas.rows_per_cluster
    for cluster in clustering.clusters:
        for rank, track_id in enumerate(cluster.track_ids):
            name = html.escape(built.stored.tracks[track_id].name, quote=False)
            item = re.search(rf'<li id="all-{track_id}">(.*?)</li>', twin, re.S)
            assert item and item.group(1).startswith(name)
            row = re.search(rf'<tr id="track-{track_id}">(.*?)</tr>', twin, re.S)
            assert (row is not None) == (rank < limit)
            if row:
                assert f'<td align="left">{name}</td>' in row.group(1)
    targets = re.findall(r'<circle [^>]*data-h="([^"]+)"', twin)
    assert len(targets) == len(set(targets)) == len(clustering.labels)
    assert all(f'id="{t}"' in twin for t in targets)
    legend = re.findall(r'<li><a href="#(cluster-\d)">', twin)
    headings = re.findall(r'<h2 id="(cluster-\d)">', twin)
    assert legend == headings == [f"cluster-{c.number}" for c in clustering.clusters]


def test_charts_are_drawn_inline_in_the_twin(built: Built, rendered: dict[str, Any]) -> None:
    playlist = _twin(rendered, built.plan.playlist_page(1))
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in playlist
    assert 'release_years.png" alt' not in playlist
    albums = built.stored.albums
    in_1991 = sum(
        (albums[t.album_id].release_date or "").startswith("1991")
        for t in built.stored.tracks.values()
        if t.album_id
    )
    assert in_1991 and f"<title>1991: {in_1991} tracks</title>" in playlist  # hover: the value
    artist = _twin(rendered, built.plan.artist_pages[1])
    assert "<title>Minutes listened per year</title>" in artist


def test_the_search_index_lists_every_kind_with_a_page_that_shows_it(
    built: Built, rendered: dict[str, Any]
) -> None:
    text = (rendered["root"] / "assets/search-index.js").read_text("utf-8")
    assert text.startswith("window.LINERNOTES_SEARCH=") and text.endswith(";\n")
    data = json.loads(text.removeprefix("window.LINERNOTES_SEARCH=").removesuffix(";\n"))
    kinds = {kind for kind, *_ in data["items"]}
    assert kinds == {"p", "g", "a", "l", "b", "t"}
    tracks = [item for item in data["items"] if item[0] == "t"]
    assert len(tracks) == len(built.stored.tracks)
    for kind, name, _, page in data["items"]:
        twin = (rendered["root"] / data["pages"][page]).read_text("utf-8")
        assert html.escape(name, quote=False) in twin, (kind, name)
    assert "</" not in text  # safe to load as a script


def test_assets_are_written_and_stay_small(rendered: dict[str, Any]) -> None:
    assets = rendered["root"] / "assets"
    per_page = sum(
        (assets / name).stat().st_size
        for name in ("linernotes.css", "linernotes.js", "minisearch.js", "favicon.svg")
    )
    assert per_page <= 100_000
    assert "Luca Ongaro" in (assets / "minisearch.LICENSE.txt").read_text("utf-8")
    twin = (rendered["root"] / "index.html").read_text("utf-8")
    for name in ("linernotes.css", "linernotes.js", "favicon.svg"):
        assert f'"assets/{name}"' in twin


def test_progress_counts_what_the_build_writes(built: Built, rendered: dict[str, Any]) -> None:
    events, result = rendered["events"], rendered["result"]
    pages = [e for e in events if e[0] == "pages"]
    charts = [e for e in events if e[0] == "charts"]
    assert (
        pages[-1]
        == ("pages", result.pages, result.pages)
        == ("pages", *[len(built.plan.pages())] * 2)
    )
    assert charts[-1] == ("charts", result.images, result.images)
    assert [e[1] for e in charts] == sorted(e[1] for e in charts)


def test_the_png_map_is_sharp_and_transparent(built: Built, rendered: dict[str, Any]) -> None:
    png = rendered["root"] / built.plan.scatter_image("playlists", "everything")
    data = png.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    colour_type = data[25]
    assert width >= 1100 and height >= 700  # drawn at 2x
    assert colour_type == 6  # RGBA: a transparent background
