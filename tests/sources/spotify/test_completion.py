"""Completing export-only tracks: one GET /tracks/{id} at a time, most listened first,
within the daily budget, resumable across days."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from linernotes.clock import utc_now
from linernotes.config import Config
from linernotes.errors import QuotaError
from linernotes.sources.importer import import_paths
from linernotes.sources.spotify.auth import TokenFile
from linernotes.store import Store
from tests.sources.spotify.conftest import run_sync
from tests.sources.spotify.fake_library import Library, Track
from tests.sources.spotify.fake_server import FakeSpotify, Fault

TRACKS = 10


def _history_only(library: Library) -> list[Track]:
    """Tracks the API shows nowhere but in GET /tracks/{id}."""
    used = {tid for tid, _ in library.liked} | {tid for tid, _ in library.recent}
    used |= {t.id for p in library.playlists for e in p.entries if e.track for t in [e.track]}
    used |= {tid for ids in library.top_tracks.values() for tid in ids}
    return [t for t in library.tracks.values() if t.id not in used][:TRACKS]


@pytest.fixture
def listened(library: Library, store: Store, tmp_path: Path) -> list[str]:
    """An extended streaming history of export-only tracks, imported; returns their ids,
    most listened first."""
    tracks = _history_only(library)
    plays = []
    start = datetime(2023, 5, 1, tzinfo=UTC)
    for rank, track in enumerate(tracks):
        for n in range(TRACKS - rank):
            plays.append(
                {
                    "ts": (start + timedelta(hours=rank * 24 + n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "ms_played": 180_000,
                    "master_metadata_track_name": track.name,
                    "master_metadata_album_artist_name": track.artists[0].name,
                    "master_metadata_album_album_name": track.album.name,
                    "spotify_track_uri": f"spotify:track:{track.id}",
                }
            )
    plays.sort(key=lambda p: p["ts"])
    path = tmp_path / "Streaming_History_Audio_2023.json"
    path.write_text(json.dumps(plays), encoding="utf-8")
    import_paths(store, [path])
    return [t.id for t in tracks]


def _looked_up(fake: FakeSpotify) -> list[str]:
    return [r.path.rsplit("/", 1)[1] for r in fake.api_requests(r"^/v1/tracks/")]


def test_most_listened_first_within_the_daily_budget(
    store: Store,
    config: Config,
    token: TokenFile,
    fake: FakeSpotify,
    library: Library,
    listened: list[str],
) -> None:
    gone = listened[2]
    del library.tracks[gone]  # removed from Spotify since the export: 404
    first = run_sync(store, config, token, budget=4)
    assert _looked_up(fake) == listened[:4]
    assert (first.completed, first.not_found, first.to_complete, first.budget_left) == (3, 1, 6, 0)
    checks = dict(store.conn.execute("SELECT spotify_id, status FROM spotify_track_checks"))
    assert checks == {**dict.fromkeys(listened[:4], "completed"), gone: "not_found"}
    same_day = run_sync(store, config, token, budget=4)
    assert len(_looked_up(fake)) == 4 and same_day.budget_left == 0
    tomorrow = run_sync(store, config, token, budget=4, now=lambda: utc_now() + timedelta(days=1))
    assert _looked_up(fake) == listened[:8] and tomorrow.completed == 4
    row = store.conn.execute(
        "SELECT t.isrc, a.image_url, a.release_date, (SELECT COUNT(*) FROM track_artists"
        " WHERE track_id = t.id) FROM tracks AS t JOIN albums AS a ON a.id = t.album_id"
        " WHERE t.spotify_id = ?",
        (listened[0],),
    ).fetchone()
    track = library.tracks[listened[0]]
    assert row == (
        track.isrc,
        f"https://i.scdn.co/image/300{track.album.id}",
        track.album.release_date,
        len(track.artists),
    )
    assert store.scalar("SELECT COUNT(*) FROM tracks WHERE spotify_id = ?", (listened[0],)) == 1


def test_a_quota_stop_during_completion_keeps_what_was_looked_up(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, listened: list[str]
) -> None:
    fake.inject(r"^/v1/tracks/", Fault.too_many("86400"), after=2)
    first = run_sync(store, config, token)
    assert isinstance(first.stopped, QuotaError) and first.completed == 2
    assert store.scalar("SELECT COUNT(*) FROM spotify_track_checks") == 2
    later = first.resume_after - utc_now() + timedelta(seconds=1)
    second = run_sync(store, config, token, now=lambda: utc_now() + later)
    assert second.stopped is None and second.completed == TRACKS - 2
    assert _looked_up(fake) == [*listened[:3], *listened[2:]]  # the refused one, asked again


def test_a_removed_track_endpoint_is_skipped_with_a_message(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, listened: list[str]
) -> None:
    fake.removed.append(r"^/v1/tracks/")
    report = run_sync(store, config, token)
    assert report.stopped is None and report.completed == 0
    assert report.skipped and report.skipped[0].startswith("GET /tracks/{id}: refused")
    assert len(fake.api_requests(r"^/v1/tracks/")) == 1
    assert store.scalar("SELECT COUNT(*) FROM spotify_track_checks") == 0
