"""Cover cells: a cached cover copied into the atlas, the URL in remote mode, or a tile."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from linernotes.artwork import LARGE, SMALL, CoverCache, cover_sizes
from linernotes.config import AtlasConfig, Config
from linernotes.render.cluster_page import render_cluster_page
from linernotes.render.context import Context
from linernotes.render.covers import PALETTE, CoverArt, initials, tile_svg
from linernotes.render.entity_pages import render_artist_page
from tests import library_fixture
from tests.atlas_check import split_row
from tests.library_fixture import Built
from tests.sources.providers.cover_fakes import jpeg

IMG = re.compile(r'^<img src="([^"]+)" alt="" width="(\d+)" />$')
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kind of Blue", "KO"),
        ("Nova", "N"),
        ("...", "♪"),
        ("[Untitled] `Tapes`", "UT"),
        ("樂舒簡", "樂"),
        ("café noir", "CN"),
        ("<script>alert(1)</script>", "SA"),
        ("_ _", "♪"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_a_tile_is_a_small_svg_with_the_initials() -> None:
    svg = tile_svg("Kitchen Dancing & Co")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("width") == "100"
    text = root.find(f"{SVG}text")
    assert text is not None and text.text == "KD"
    assert root.find(f"{SVG}rect").get("fill") in PALETTE  # type: ignore[union-attr]
    assert len(svg.encode()) < 600
    assert svg == tile_svg("Kitchen Dancing & Co")
    assert "href" not in svg and "<script" not in svg  # nothing to fetch, nothing to run
    colours = {
        ET.fromstring(tile_svg(f"Album {i}")).find(f"{SVG}rect").get("fill") for i in range(60)
    }  # type: ignore[union-attr]
    assert len(colours) >= 8


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", PALETTE)
def test_white_initials_read_on_every_tile_colour(colour: str) -> None:
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def _with_covers(tmp_path: Path, mode: str = "local") -> tuple[Built, CoverCache, set[int]]:
    """The fixture library, every album with a cover URL; the odd albums' covers cached."""
    built = library_fixture.build(Config(atlas=AtlasConfig(covers=mode)))  # type: ignore[arg-type]
    albums = built.analysis.library.albums
    for album_id, album in list(albums.items()):
        albums[album_id] = replace(album, image_url=f"https://img.example/{album_id}.jpg")
    cache = CoverCache(tmp_path / "cache")
    cached = {a for a in albums if a % 2}
    for album_id in cached:
        cache.save(f"https://img.example/{album_id}.jpg", cover_sizes(jpeg(str(album_id))))
    covers = CoverArt(built.ctx.config.atlas.covers, cache)
    ctx = Context(built.analysis, built.plan, built.ctx.config, covers)
    return replace(built, ctx=ctx), cache, cached


def _cluster_page(built: Built) -> tuple[str, str]:
    playlist = next(p for p in built.stored.playlists if p.name == "Everything")
    page = built.plan.playlist_cluster_page(playlist.id)
    assert page is not None
    clusters = built.analysis.playlist_clusters[playlist.id]
    scatter = built.plan.scatter_image("playlists", built.plan.playlist_slugs[playlist.id])
    return page, render_cluster_page(built.ctx, page, playlist.name, clusters, scatter, "playlist")


def _art_cells(text: str) -> list[str]:
    rows = [line for line in text.splitlines() if line.startswith("| <img") or "[🔗]" in line]
    return [split_row(row)[0] for row in rows]


def test_every_row_shows_a_file_inside_the_atlas(tmp_path: Path) -> None:
    built, cache, cached = _with_covers(tmp_path)
    page, text = _cluster_page(built)
    cells = _art_cells(text)
    assert cells and all(IMG.match(cell) for cell in cells)
    atlas = tmp_path / "atlas"
    written = built.ctx.covers.write(lambda rel: _mkdir(atlas / rel))
    sources = {IMG.match(cell).group(1) for cell in cells}  # type: ignore[union-attr]
    assert written == len(sources)  # each file once, only those used
    for source in sources:
        target = (atlas / posixpath.dirname(page) / source).resolve()
        assert target.is_relative_to(atlas.resolve()) and target.is_file(), source
    covers = {s for s in sources if s.endswith(f"-{SMALL}.jpg")}
    tiles = {s for s in sources if s.endswith(".svg")}
    assert covers and tiles and covers | tiles == sources
    shown_albums = {
        built.analysis.library.tracks[t].album_id
        for t in built.analysis.playlist_clusters[1].features.track_ids
    }
    assert len(covers) == len(shown_albums & cached)  # one shared file per album
    assert len(tiles) == len(shown_albums - cached)
    copied = next(iter(covers))
    assert (atlas / "images/covers" / posixpath.basename(copied)).read_bytes() == (
        cache.folder / posixpath.basename(copied)
    ).read_bytes()


def _mkdir(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_remote_mode_links_the_url_and_tiles_what_has_none(tmp_path: Path) -> None:
    built, _, _ = _with_covers(tmp_path, "remote")
    albums = built.analysis.library.albums
    albums[1] = replace(albums[1], image_url=None)
    _, text = _cluster_page(built)
    sources = [IMG.match(cell).group(1) for cell in _art_cells(text)]  # type: ignore[union-attr]
    assert any(s.startswith("https://img.example/") for s in sources)
    assert all(s.startswith("https://img.example/") or s.endswith(".svg") for s in sources)
    assert any(s.endswith(".svg") for s in sources)


def test_the_artist_page_shows_a_large_cover_or_a_tile(tmp_path: Path) -> None:
    built, _, cached = _with_covers(tmp_path)
    pages = built.plan.artist_pages
    with_cover = next(a for a in pages if a in cached)  # artist n made album n
    without = next(a for a in pages if a not in cached)
    text = render_artist_page(built.ctx, pages[with_cover], with_cover, None)
    assert re.search(rf'<img src="[^"]+-{LARGE}\.jpg" alt="" width="160" />', text)
    text = render_artist_page(built.ctx, pages[without], without, None)
    assert re.search(r'^<img src="[^"]+/tile-\w+\.svg" alt="" width="160" />$', text, re.M)
