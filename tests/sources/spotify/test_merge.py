"""Export and Web API together: the demo export imported, then synced from a fake that
knows the same library: no duplicates, provenance kept, and an atlas with covers,
full credits and links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linernotes.config import AtlasConfig, Config
from linernotes.demo import generate_demo
from linernotes.pipeline import build as build_atlas
from linernotes.sources.importer import import_paths
from linernotes.sources.spotify.auth import TokenFile
from linernotes.store import Store, open_store
from tests.atlas_check import check_site
from tests.sources.spotify.conftest import run_sync
from tests.sources.spotify.fake_library import Library, library_from_store


@pytest.fixture(params=["export", "export+exportify"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Library:
    """The demo (120 tracks) imported into the store the ``config`` fixture names; the
    fake Web API serves the same library (overrides the generated one)."""
    layout = generate_demo(tmp_path / "demo", tracks=120, plays=4000)
    paths = list(layout.import_paths)
    if request.param == "export":
        paths = paths[:2]  # account data and extended history: no covers at all
    with open_store(tmp_path / "work" / ".linernotes" / "library.db") as store:
        import_paths(store, paths)
        return library_from_store(store.conn)


def _counts(store: Store) -> dict[str, object]:
    one = store.scalar
    return {
        "tracks": one("SELECT COUNT(*) FROM tracks"),
        "playlists": one("SELECT COUNT(*) FROM playlists"),
        "liked": one("SELECT COUNT(*) FROM liked"),
        "liked_sources": one("SELECT GROUP_CONCAT(DISTINCT source) FROM liked"),
        "items": store.conn.execute(
            "SELECT p.name, i.position, i.kind, i.track_id, i.title FROM playlist_items AS i"
            " JOIN playlists AS p ON p.id = i.playlist_id ORDER BY p.name, i.position"
        ).fetchall(),
    }


def test_sync_merges_with_the_export_without_duplicates(
    store: Store, config: Config, token: TokenFile, library: Library
) -> None:
    before = _counts(store)
    report = run_sync(store, config, token, complete=False)
    after = _counts(store)
    assert report.stopped is None and report.playlists_synced == len(library.playlists)
    assert after["tracks"] == before["tracks"]  # matched by URI
    assert after["playlists"] == before["playlists"]  # matched by name ("Chill" ≠ "CHILL")
    assert after["liked"] == before["liked"] and after["liked_sources"] == "export"
    assert after["items"] == before["items"]  # same tracks, same order, locals and episodes
    conn = store.conn
    assert conn.execute(
        "SELECT COUNT(*) FROM playlists WHERE spotify_id IS NULL OR source != 'spotify'"
    ).fetchone() == (0,)
    duplicates = conn.execute(
        "SELECT spotify_id FROM tracks WHERE spotify_id IS NOT NULL GROUP BY spotify_id"
        " HAVING COUNT(*) > 1 UNION ALL SELECT spotify_id FROM albums WHERE spotify_id IS"
        " NOT NULL GROUP BY spotify_id HAVING COUNT(*) > 1"
    ).fetchall()
    assert duplicates == []
    # provenance: the rows the export created stay the export's, filled in by the API
    sources = dict(conn.execute("SELECT source, COUNT(*) FROM tracks GROUP BY source"))
    assert set(sources) <= {"export", "exportify"}
    covered = conn.execute(
        "SELECT COUNT(*) FROM tracks AS t JOIN albums AS a ON a.id = t.album_id"
        " WHERE a.image_url IS NOT NULL AND t.isrc IS NOT NULL"
    ).fetchone()[0]
    in_lists = conn.execute(
        "SELECT COUNT(DISTINCT t.id) FROM tracks AS t WHERE t.is_local = 0 AND (t.id IN"
        " (SELECT track_id FROM playlist_items) OR t.id IN (SELECT track_id FROM liked))"
    ).fetchone()[0]
    assert covered >= in_lists


@pytest.mark.slow
@pytest.mark.parametrize("library", ["export"], indirect=True)
def test_the_atlas_after_sync_shows_covers_full_credits_and_links(
    store: Store, config: Config, token: TokenFile, library: Library, tmp_path: Path
) -> None:
    report = run_sync(store, config, token)  # completes history-only tracks too
    assert report.completed > 0 and report.to_complete == 0
    # Remote covers: the pages link the URLs the sync brought (enrich would download them).
    build_atlas(store, Config(atlas=AtlasConfig(covers="remote")), config.out_dir)
    pages = {p: p.read_text(encoding="utf-8") for p in config.out_dir.rglob("clusters/README.md")}
    text = "\n".join(pages.values())
    rows = [line for line in text.splitlines() if line.startswith("| ") and "[🔗](" in line]
    covered = [row for row in rows if row.startswith('| <img src="https://i.scdn.co/image/')]
    assert rows and len(covered) == len(rows)  # the export alone had no cover at all
    covers = set(re.findall(r'<img src="https://i\.scdn\.co/image/300(\w{22})"', text))
    assert covers <= {t.album.id for t in library.tracks.values()}
    guests = {a.name for t in library.tracks.values() for a in t.artists[1:]}
    shown = [g for g in guests if g in text]
    assert shown, "featured artists from the API credits appear in the tables"
    links = set(re.findall(r"open\.spotify\.com/track/(\w{22})", text))
    assert links and links <= set(library.tracks)
    report = check_site(config.out_dir)
    assert not report.broken and not report.bad_rows and not report.outside
