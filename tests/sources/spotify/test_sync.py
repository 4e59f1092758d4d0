"""``sync`` against the fake Web API: what lands in the store, what it costs in requests,
and that a sync stopped by any fault and resumed ends with the same store."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from linernotes.clock import utc_now
from linernotes.config import Config
from linernotes.errors import QuotaError, UnavailableError
from linernotes.sources.spotify.auth import TokenFile
from linernotes.sources.spotify.sync import connect, sync_spotify
from linernotes.store import Store, open_store
from tests.sources.spotify.conftest import CAP, run_sync
from tests.sources.spotify.fake_library import Entry, Library, generate_library
from tests.sources.spotify.fake_server import FakeSpotify, Fault
from tests.sources.spotify.store_snapshot import differences, snapshot

SMALL = 10  # requests beyond the pages: /me, follows, 6 top lists, recently played


@dataclass
class Clock:
    """The real UTC time, moved on by ``shift`` (to live through a day-long wait)."""

    shift: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return utc_now() + self.shift


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[tuple]]]:
    """The store after one undisturbed sync of the generated library."""
    from linernotes.config import SpotifyConfig
    from linernotes.sources.spotify.auth import login
    from tests.sources.spotify.conftest import free_port, headless_browser

    root = tmp_path_factory.mktemp("reference")
    server = FakeSpotify(generate_library()).start()
    try:
        spotify = SpotifyConfig(
            client_id=server.client_id,
            redirect_port=free_port(),
            api_base=server.api_base,
            accounts_base=server.accounts_base,
            retry_after_cap=CAP,
        )
        config = Config(spotify=spotify)
        token = TokenFile(root / "token.json")
        login(spotify, token, opener=headless_browser, timeout=10)
        with open_store(root / "library.db") as store:
            report = run_sync(store, config, token)
            assert report.stopped is None
            yield snapshot(store.conn)
    finally:
        server.stop()


def _readable_pages(library: Library) -> int:
    return sum(math.ceil(len(p.entries) / 50) for p in library.playlists if library.readable(p))


def test_full_sync_fills_the_store(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, library: Library
) -> None:
    report = run_sync(store, config, token)
    conn = store.conn
    assert report.stopped is None and report.user == "Liner Tester"
    assert (
        report.liked_new
        == len(library.liked)
        == conn.execute(
            "SELECT COUNT(*) FROM liked WHERE source = 'spotify' AND added_at IS NOT NULL"
        ).fetchone()[0]
    )
    owned = [p for p in library.playlists if library.readable(p)]
    assert report.playlists_synced == len(owned)
    for playlist in owned:
        row = conn.execute(
            "SELECT p.id, p.name, p.spotify_id, p.owner FROM playlists AS p WHERE key = ?",
            (f"spotify:{playlist.id}",),
        ).fetchone()
        assert row[1:] == (playlist.name, playlist.id, playlist.owner_name)
        kinds = [
            r[0]
            for r in conn.execute(
                "SELECT kind FROM playlist_items WHERE playlist_id = ? ORDER BY position", (row[0],)
            )
        ]
        expected = [e.kind for e in playlist.entries if e.kind != "null"]
        assert kinds == expected
    # followed playlists: recorded as not readable, never asked for
    theirs = [p for p in library.playlists if not library.readable(p)]
    assert sorted(report.not_readable) == sorted(p.name for p in theirs)
    assert report.explain_not_readable
    for playlist in theirs:
        assert not fake.api_requests(f"/playlists/{playlist.id}/")
    assert conn.execute(
        "SELECT COUNT(*) FROM spotify_playlists WHERE status = 'not_readable'"
    ).fetchone()[0] == len(theirs)
    # full credits, covers, dates, ISRCs; the 2026 shapes lack genres on most artists
    liked_ids = {tid for tid, _ in library.liked}
    track = next(t for t in library.tracks.values() if len(t.artists) == 2 and t.id in liked_ids)
    row = conn.execute(
        "SELECT t.id, t.isrc, a.image_url, a.release_date FROM tracks AS t"
        " JOIN albums AS a ON a.id = t.album_id WHERE t.spotify_id = ?",
        (track.id,),
    ).fetchone()
    assert row[1:] == (
        track.isrc,
        f"https://i.scdn.co/image/300{track.album.id}",
        track.album.release_date,
    )
    credits = [
        r[0]
        for r in conn.execute(
            "SELECT a.spotify_id FROM track_artists AS c JOIN artists AS a"
            " ON a.id = c.artist_id WHERE c.track_id = ? ORDER BY c.position",
            (row[0],),
        )
    ]
    assert credits == [a.id for a in track.artists]
    assert report.followed == len(library.follows)
    assert conn.execute("SELECT COUNT(*) FROM followed_artists").fetchone()[0] == len(
        library.follows
    )
    assert conn.execute("SELECT COUNT(*) FROM spotify_top").fetchone()[0] == 3 * 20 + 3 * 10
    assert conn.execute("SELECT COUNT(*) FROM spotify_recent").fetchone()[0] == len(library.recent)
    assert conn.execute("SELECT COUNT(*) FROM spotify_playlist_pages").fetchone()[0] == 0


def test_request_counts_of_a_full_and_an_unchanged_sync(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, library: Library
) -> None:
    first = run_sync(store, config, token)
    pages = math.ceil(len(library.playlists) / 50)
    bound = math.ceil(len(library.liked) / 50) + pages + _readable_pages(library) + SMALL
    assert first.requests == len(fake.api_requests()) <= bound
    before = len(fake.api_requests())
    second = run_sync(store, config, token)
    assert second.requests == len(fake.api_requests()) - before
    assert second.requests <= pages + 4  # /me, Liked Songs, follows, recently played
    assert all("/items" not in r.path for r in fake.api_requests()[before:])
    assert second.playlists_unchanged == first.playlists_synced
    assert not second.explain_not_readable  # explained once
    print(f"requests: full sync {first.requests} (bound {bound}), unchanged {second.requests}")


def test_incremental_sync_fetches_only_what_changed(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, library: Library
) -> None:
    run_sync(store, config, token)
    changed = library.playlists[1]
    spare = [t for t in library.tracks.values() if t.id not in {i for i, _ in library.liked}]
    changed.entries.append(Entry("track", "2026-04-01T00:00:00Z", spare[0]))
    changed.version += 1
    for n, track in enumerate(spare[1:4]):
        library.like(track.id, f"2026-04-0{n + 1}T10:00:00Z")
    before = len(fake.api_requests())
    report = run_sync(store, config, token)
    fetched = fake.api_requests()[before:]
    items = [r for r in fetched if r.path.endswith("/items")]
    assert {r.path for r in items} == {f"/v1/playlists/{changed.id}/items"}
    assert len(items) == math.ceil(len(changed.entries) / 50)
    assert len([r for r in fetched if r.path == "/v1/me/tracks"]) == 1  # stops at a known like
    assert report.liked_new == 3 and report.playlists_synced == 1
    count = store.conn.execute(
        "SELECT COUNT(*) FROM playlist_items AS i JOIN playlists AS p ON p.id = i.playlist_id"
        " WHERE p.spotify_id = ?",
        (changed.id,),
    ).fetchone()[0]
    assert count == len([e for e in changed.entries if e.kind != "null"])


def test_a_refused_playlist_is_recorded_as_not_readable(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, library: Library
) -> None:
    mine = library.playlists[3]
    fake.inject(
        f"/playlists/{mine.id}/items$",
        Fault(403, {"error": {"status": 403, "message": "Forbidden"}}),
    )
    report = run_sync(store, config, token)
    assert mine.name in report.not_readable and report.stopped is None
    status = store.conn.execute(
        "SELECT status FROM spotify_playlists WHERE spotify_id = ?", (mine.id,)
    ).fetchone()[0]
    assert status == "not_readable"


def test_a_removed_endpoint_is_recorded_and_skipped(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify
) -> None:
    fake.removed.append(r"^/v1/me/top/")
    report = run_sync(store, config, token)
    assert report.stopped is None and report.playlists_synced > 0
    assert len(report.skipped) == 1 and report.skipped[0].startswith("GET /me/top: refused")
    assert store.conn.execute("SELECT endpoint FROM spotify_skipped").fetchall() == [
        ("GET /me/top",)
    ]
    fake.removed.remove(r"^/v1/me/top/")
    again = run_sync(store, config, token)
    assert again.skipped == [] and again.top_entries == 90
    assert store.conn.execute("SELECT COUNT(*) FROM spotify_skipped").fetchone()[0] == 0


def _http_date(seconds: int) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


DAY = 86_400
ITEMS = r"^/v1/playlists/[^/]+/items$"
SCENARIOS = [
    pytest.param(r"^/v1/me/tracks$", lambda: [Fault.too_many("1")], 1, id="429-short-wait"),
    pytest.param(r"^/v1/me$", lambda: [Fault.too_many()] * 2, 0, id="429-without-retry-after"),
    pytest.param(
        ITEMS, lambda: [Fault.too_many(str(DAY))], 1, id="429-day-long-in-a-long-playlist"
    ),
    pytest.param(
        r"^/v1/me/tracks$",
        lambda: [Fault.too_many(_http_date(DAY))],
        1,
        id="429-day-long-http-date-mid-liked",
    ),
    pytest.param(
        r"^/v1/me/following$", lambda: [Fault.too_many(quota=True)], 0, id="quota-exceeded-body"
    ),
    pytest.param(
        r"^/v1/me/top/", lambda: [Fault.too_many("1")] * 3, 0, id="short-waits-beyond-the-cap"
    ),
    pytest.param(r"^/v1/me/playlists$", lambda: [Fault.server_error()] * 3, 0, id="5xx-burst"),
    pytest.param(ITEMS, lambda: [Fault.server_error(502)] * 8, 3, id="5xx-beyond-retries"),
    pytest.param(ITEMS, lambda: [Fault.expired_token()], 2, id="401-token-expiry"),
]


@pytest.mark.parametrize(("pattern", "make_faults", "after"), SCENARIOS)
def test_a_sync_stopped_by_a_fault_resumes_to_the_same_store(
    pattern: str,
    make_faults: Callable[[], list[Fault]],
    after: int,
    store: Store,
    config: Config,
    token: TokenFile,
    fake: FakeSpotify,
    reference: dict[str, list[tuple]],
) -> None:
    fake.inject(pattern, *make_faults(), after=after)
    clock = Clock()
    runs = 0
    while True:
        started = time.monotonic()
        report = run_sync(store, config, token, now=clock)
        assert time.monotonic() - started < CAP + 5  # no call blocks beyond the cap
        runs += 1
        if report.stopped is None:
            break
        assert runs < 4, report.stopped
        assert isinstance(report.stopped, QuotaError | UnavailableError)
        if isinstance(report.stopped, QuotaError):
            assert report.resume_after is not None
            assert "resume after" in str(report.stopped)
            sent = len(fake.api_requests())
            early = run_sync(store, config, token, now=clock)
            assert isinstance(early.stopped, QuotaError) and early.requests == 0
            assert len(fake.api_requests()) == sent  # nothing sent before the resume time
            clock.shift = report.resume_after - utc_now() + timedelta(seconds=1)
    assert fake.pending_faults() == 0
    assert differences(snapshot(store.conn), reference) == {}


def test_a_long_playlist_resumes_at_its_next_page(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, library: Library
) -> None:
    long = library.playlists[0]
    assert len(long.entries) > 100
    fake.inject(f"/playlists/{long.id}/items$", Fault.too_many(str(DAY)), after=2)
    first = run_sync(store, config, token)
    assert isinstance(first.stopped, QuotaError)
    staged = store.conn.execute("SELECT COUNT(*) FROM spotify_playlist_pages").fetchone()[0]
    assert staged == 2
    clock = Clock(first.resume_after - utc_now() + timedelta(seconds=1))
    second = run_sync(store, config, token, now=clock)
    assert second.stopped is None
    offsets = [r.query.get("offset") for r in fake.api_requests(f"/playlists/{long.id}/items$")]
    assert offsets == ["0", "50", "100", "100"]  # the 429, then only the missing page


def test_an_unchanged_library_is_not_fetched_again_after_a_stop(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify, tmp_path: Path
) -> None:
    fake.inject(r"^/v1/me/following$", Fault.too_many(str(DAY)))
    first = run_sync(store, config, token)
    assert isinstance(first.stopped, QuotaError)
    before = len(fake.api_requests())
    clock = Clock(first.resume_after - utc_now() + timedelta(seconds=1))
    second = run_sync(store, config, token, now=clock)
    again = fake.api_requests()[before:]
    assert second.stopped is None
    assert not [r for r in again if r.path.endswith("/items")]
    assert len([r for r in again if r.path == "/v1/me/tracks"]) == 1


def test_a_sync_killed_by_ctrl_c_resumes_to_the_same_store(
    store: Store,
    config: Config,
    token: TokenFile,
    fake: FakeSpotify,
    reference: dict[str, list[tuple]],
) -> None:
    def interrupt(stage: str, done: int, total: int | None) -> None:
        if stage == "playlists" and done == 3:
            raise KeyboardInterrupt

    client = connect(store, config.spotify, token, backoff=0.05)
    with pytest.raises(KeyboardInterrupt):
        sync_spotify(store, client, budget=800, on_progress=interrupt)
    client.close()
    assert store.scalar("SELECT COUNT(*) FROM spotify_playlists WHERE status = 'synced'") == 2
    report = run_sync(store, config, token)
    assert report.stopped is None and report.playlists_unchanged == 2
    assert differences(snapshot(store.conn), reference) == {}
