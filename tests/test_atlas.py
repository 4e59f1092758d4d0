"""The demo atlas end to end: cluster pages in the DESIGN format, counts checked
against the export files themselves, links, determinism and planted structure."""

from __future__ import annotations

import csv
import html
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from sklearn.metrics import adjusted_rand_score

from linernotes.config import Config
from linernotes.pipeline import build as build_atlas
from linernotes.store import open_store
from tests.atlas_check import check_site, split_row

# Every test here reads the default-size demo atlas (built once, about 20 s).
pytestmark = pytest.mark.slow

HEADER = "| Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |"
ART = re.compile(r'^<img src="(\.\./\.\./\.\./images/covers/[^"]+)" alt="" width="50" />$')
LINK = re.compile(r"^\[🔗\]\(https://open\.spotify\.com/track/([0-9A-Za-z]{22})\)$")


def unescape(text: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def _export(demo: dict[str, Any]) -> dict[str, Any]:
    """What the export files say, read with the plain json/csv modules."""
    layout = demo["layout"]
    library = json.loads((layout.account_dir / "YourLibrary.json").read_text("utf-8"))
    liked = {t["uri"].rsplit(":", 1)[1] for t in library["tracks"]}
    playlists = json.loads((layout.account_dir / "Playlist1.json").read_text("utf-8"))
    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for p in playlists["playlists"]:
        ids = []
        for item in p["items"]:
            if item.get("track"):
                uri = item["track"]["trackUri"].rsplit(":", 1)[1]
                ids.append(uri)
                names[uri] = item["track"]["trackName"]
            elif item.get("localTrack"):
                ids.append(item["localTrack"]["uri"])
        members[p["name"]] = list(dict.fromkeys(ids))
    return {"liked": liked, "members": members, "names": names}


def _genre_members(demo: dict[str, Any]) -> dict[str, set[str]]:
    """Tracks per genre: a track has its CSV 'Artist Genres' and, through its
    artists, every genre an artist shows on a single-artist row; tracks known
    only from the streaming history get the genres of their (first) artist."""
    rows = []
    for path in sorted(demo["layout"].exportify_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    artist_genres: dict[str, set[str]] = defaultdict(set)
    track_artists: dict[str, list[str]] = {}
    track_genres: dict[str, set[str]] = defaultdict(set)
    artist_by_name: dict[str, str] = {}
    for row in rows:
        track = row["Track URI"].rsplit(":", 1)[1]
        artists = [a.strip() for a in row["Artist URI(s)"].split(",")]
        genres = {g for g in row["Artist Genres"].split(",") if g}
        track_artists[track] = artists
        for name, uri in zip(re.split(r"(?<!\\), ", row["Artist Name(s)"]), artists, strict=True):
            artist_by_name[name.replace("\\,", ",")] = uri
        if len(artists) == 1:
            artist_genres[artists[0]] |= genres
        else:
            track_genres[track] |= genres
    for path in sorted(demo["layout"].extended_dir.glob("Streaming_History_Audio_*.json")):
        for play in json.loads(path.read_text("utf-8")):
            uri = play["spotify_track_uri"]
            if uri and uri.rsplit(":", 1)[1] not in track_artists:
                artist = artist_by_name.get(play["master_metadata_album_artist_name"])
                track_artists[uri.rsplit(":", 1)[1]] = [artist] if artist else []
    members: dict[str, set[str]] = defaultdict(set)
    for track, artists in track_artists.items():
        genres = set(track_genres[track])
        for artist in artists:
            genres |= artist_genres[artist]
        for genre in genres:
            members[genre].add(track)
    return members


def _cluster_pages(site: Path, kind: str) -> dict[str, dict[str, Any]]:
    """Parse every cluster page of ``kind``: title, image, clusters and rows, and the
    odd ones out (``odd``: their section parsed like a cluster's, or None)."""
    pages = {}
    for page in sorted((site / kind).glob("*/clusters/README.md")):
        lines = page.read_text("utf-8").split("\n")
        # Title, breadcrumbs, then the map (within the first lines, as DESIGN shows it).
        image = next(m for x in lines[:6] if (m := re.match(r"^!\[[^\]]*\]\(([^)]+)\)$", x)))
        clusters = []
        for i, line in enumerate(lines):
            if line.startswith("## Cluster #") or line == "## Odd ones out":
                size = next(x for x in lines[i + 1 :] if x.strip())
                header = next(k for k in range(i, len(lines)) if lines[k].startswith("| Art"))
                body = []
                k = header + 2
                while lines[k].startswith("|"):
                    body.append(split_row(lines[k]))
                    k += 1
                clusters.append(
                    {"title": line, "size": size, "header": lines[header], "rows": body}
                )
        odd = clusters.pop() if clusters and clusters[-1]["title"] == "## Odd ones out" else None
        title = unescape(lines[0].removeprefix("# Clusters in "))
        pages[title] = {
            "path": page,
            "image": page.parent / unquote(image.group(1)),
            "clusters": clusters,
            "odd": odd,
            "first": lines[0],
        }
    return pages


def test_every_playlist_has_a_cluster_page_in_the_design_format(demo_build: dict) -> None:
    export = _export(demo_build)
    pages = _cluster_pages(demo_build["site"], "playlists")
    minimum = Config().atlas.cluster_page_min_tracks
    expected = {n for n, ids in export["members"].items() if len(ids) >= minimum}
    assert set(pages) == expected
    for name, page in pages.items():
        members = export["members"][name]
        assert page["first"].startswith("# Clusters in ")
        assert page["image"].is_file() and page["image"].name == "clusters_scatter.png"
        sizes = []
        for number, cluster in enumerate(page["clusters"], start=1):
            assert cluster["title"] == f"## Cluster #{number}"
            match = re.fullmatch(r"(\d+) tracks?", cluster["size"])
            assert match, cluster["size"]
            sizes.append(int(match.group(1)))
            assert cluster["header"] == HEADER
            assert 1 <= len(cluster["rows"]) <= 10
            for row in cluster["rows"]:
                assert len(row) == 8
                art = ART.match(row[0])  # every row shows an image inside the atlas
                assert art, row[0]
                cover = (page["path"].parent / art.group(1)).resolve()
                assert cover.is_file() and cover.is_relative_to(demo_build["site"].resolve())
                if row[7] == "":  # a local file: no Spotify link, named in its URI
                    local = [m for m in members if m.startswith("spotify:local:")]
                    assert any(unescape(row[1]).replace(" ", "+") in m for m in local)
                    continue
                link = LINK.match(row[7])
                assert link, row[7]
                track = link.group(1)
                assert track in members
                assert unescape(row[1]) == export["names"][track]
                assert row[6] == ("💚" if track in export["liked"] else "")
        odd = page["odd"]
        if odd is not None:  # far from every cluster: their own section, after the clusters
            match = re.match(r"(\d+) tracks? far from every cluster", odd["size"])
            assert match, odd["size"]
            sizes.append(int(match.group(1)))
            assert odd["header"] == HEADER and 1 <= len(odd["rows"]) <= 10
            assert all(LINK.match(row[7]).group(1) in members for row in odd["rows"] if row[7])  # type: ignore[union-attr]
        assert sum(sizes) == len(members), name


def test_the_demo_shows_its_own_art_and_tiles_only_where_it_has_none(demo_build: dict) -> None:
    pages = _cluster_pages(demo_build["site"], "playlists")
    art = [row[0] for page in pages.values() for c in page["clusters"] for row in c["rows"]]
    covers = [cell for cell in art if re.search(r"/[0-9a-f]{16}-100\.jpg\"", cell)]
    tiles = [cell for cell in art if re.search(r"/tile-[0-9a-f]{12}\.svg\"", cell)]
    assert len(covers) + len(tiles) == len(art)
    assert len(covers) >= 0.9 * len(art)  # local files and history-only tracks have no art
    folder = demo_build["site"] / "images" / "covers"
    first = next(iter(sorted(folder.glob("*-100.jpg"))))
    assert first.read_bytes().startswith(b"\xff\xd8") and len(first.read_bytes()) < 8_000


def test_genre_cluster_pages_add_up(demo_build: dict) -> None:
    members = _genre_members(demo_build)
    pages = _cluster_pages(demo_build["site"], "genres")
    atlas = Config().atlas
    wanted = {
        g
        for g, ids in members.items()
        if len(ids) >= max(atlas.genre_clusters_min_tracks, atlas.genre_page_min_tracks)
    }
    assert wanted <= set(pages)
    liked = _export(demo_build)["liked"]
    for genre in wanted:
        page = pages[genre]
        sections = page["clusters"] + ([page["odd"]] if page["odd"] else [])
        total = sum(int(c["size"].split()[0]) for c in sections)
        assert total == len(members[genre]), genre
        for cluster in page["clusters"]:
            assert cluster["header"] == HEADER
            for row in cluster["rows"]:
                track = LINK.match(row[7]).group(1)  # type: ignore[union-attr]
                assert track in members[genre]
                assert row[6] == ("💚" if track in liked else "")


def test_no_broken_link_and_every_row_fits_its_table(demo_build: dict) -> None:
    report = check_site(demo_build["site"])
    assert report.pages > 400 and report.links > 10_000
    assert report.broken == []
    assert report.outside == []
    assert report.bad_rows == []


def test_hostile_names_stay_inside_and_escaped(demo_build: dict) -> None:
    site = demo_build["site"].resolve()
    for path in site.rglob("*"):
        assert path.resolve().is_relative_to(site)
    text = "".join(p.read_text("utf-8") for p in site.rglob("*.md"))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_clusters_find_the_planted_styles(demo_build: dict) -> None:
    truth = json.loads(demo_build["layout"].truth_path.read_text("utf-8"))
    analysis = demo_build["result"].analysis
    library = analysis.library
    scores = []
    for clusters in analysis.playlist_clusters.values():
        ids = clusters.features.track_ids
        styles = [
            truth["track_style"].get(library.tracks[t].spotify_id or "", "local") for t in ids
        ]
        scores.append(adjusted_rand_score(styles, clusters.clustering.labels))
    mean = sum(scores) / len(scores)
    print(f"adjusted Rand index, mean over {len(scores)} demo playlists: {mean:.3f}")
    assert len(scores) == len(truth["playlists"])
    assert mean >= 0.5


def test_two_builds_of_one_store_are_byte_identical(demo_build: dict, tmp_path: Path) -> None:
    with open_store(demo_build["db"]) as store:
        build_atlas(store, Config(), tmp_path / "again")
    first = {
        p.relative_to(demo_build["site"]): p.read_bytes()
        for p in demo_build["site"].rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(tmp_path / "again"): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_html_twins_link_to_each_other(demo_build: dict) -> None:
    site = demo_build["site"]
    pages = sorted(site.rglob("*.md"))
    href = re.compile(r'(?:href|src|data-h)="([^"]+)"|property="og:image" content="([^"]+)"')
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(re.findall(r' id="([^"]+)"', path.read_text("utf-8")))
        return ids[path]

    broken = []
    for page in pages:
        twin = page.with_name("index.html" if page.name == "README.md" else page.stem + ".html")
        assert twin.is_file(), twin
        text = twin.read_text("utf-8")
        assert "<script>" not in text  # scripts are files, loaded with src
        for target in ("".join(m) for m in href.findall(text)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue
            if 'data-h="' + target in text:  # a map dot: the id of the row it jumps to
                target = "#" + target
            path, _, fragment = target.partition("#")
            dest = (twin.parent / unquote(path)).resolve() if path else twin.resolve()
            if not dest.is_file() or not dest.is_relative_to(site.resolve()):
                broken.append(f"{twin.relative_to(site)} → {target}")
            elif dest.suffix == ".md":
                broken.append(f"{twin.relative_to(site)} links Markdown: {target}")
            elif fragment and dest.suffix == ".html" and unquote(fragment) not in anchors(dest):
                broken.append(f"{twin.relative_to(site)} → {target}: no such anchor")
    assert broken == []


def test_pages_name_themselves_for_obsidian_and_the_twins_hide_it(demo_build: dict) -> None:
    site = demo_build["site"]
    front = re.compile(r'\A---\ntitle: (".*")\naliases:\n  - (".*")\n---\n\n# (.*)\n')
    for page in sorted(site.rglob("*.md")):
        text = page.read_text("utf-8")
        if page.parts[-2:] == ("clusters", "README.md"):
            assert text.startswith("# Clusters in ")  # the DESIGN format opens with its title
            continue
        match = front.match(text)
        assert match, page
        assert unescape(match.group(3)) == json.loads(match.group(1)), page
        twin = page.with_name("index.html" if page.name == "README.md" else page.stem + ".html")
        shown = twin.read_text("utf-8").split("<main>", 1)[1]
        assert "aliases:" not in shown and "title: " not in shown
