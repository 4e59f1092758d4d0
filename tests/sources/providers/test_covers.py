"""The covers step of ``enrich`` against loopback fakes, and the atlas built from its cache.

The tiny demo's albums are pointed at a fake image host (good covers, a redirect,
an HTML error page, a truncated JPEG, decompression bombs, a 403, a 404) and a
few lose their URL, so their covers must come from the Cover Art Archive fake
through the MusicBrainz release the MusicBrainz provider found.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from linernotes.artwork import CoverCache
from linernotes.cli import main
from linernotes.config import AtlasConfig, Config
from linernotes.pipeline import build as build_atlas
from linernotes.sources.covers import CoversRun, fetch_covers, open_web
from linernotes.sources.providers.coverartarchive import Listing, front_image
from linernotes.store import Store, open_store
from tests.atlas_check import check_site, split_row
from tests.sources.providers.catalogue import mbid
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.cover_fakes import BAD
from tests.sources.providers.fakes import Reply
from tests.sources.providers.helpers import QUICK_RETRIES, copy_store, enrich, strip_enrichment

REASONS = {
    "html": "not an image (an HTML page)",
    "truncated": "unreadable image",
    "bomb": "too many pixels",
    "big": "too many pixels to decode safely (9000 × 9000)",
    "forbidden": "HTTP 403",
}
NO_URL = 3  # albums that lose their URL: the archive has art for all but the last


def _prepare(demo: DemoLibrary, fakes: Fakes, folder: Path) -> tuple[Path, dict[int, str]]:
    """A copy of the tiny demo whose albums' covers are on the fakes; return it and
    what each album's cover is: 'ok', 'moved', a kind of ``BAD``, or 'archive'."""
    folder.mkdir(parents=True, exist_ok=True)
    db = copy_store(demo.db, folder / "lib.db")
    strip_enrichment(db)  # so that MusicBrainz looks every track up
    fakes.images.bad.update(BAD)
    kinds = ["archive"] * NO_URL + [*BAD, "moved"]
    plan: dict[int, str] = {}
    with open_store(db) as store, store.transaction() as conn:
        albums = [r[0] for r in conn.execute("SELECT id FROM albums ORDER BY id")]
        assert len(albums) > len(kinds) + 5
        for i, album in enumerate(albums):
            kind = kinds[i] if i < len(kinds) else "ok"
            url = {
                "archive": None,
                "ok": fakes.images.url(f"album-{album}"),
                "moved": f"{fakes.images.base_url}moved/album-{album}",
            }.get(kind, fakes.images.url(kind))
            conn.execute("UPDATE albums SET image_url = ? WHERE id = ?", (url, album))
            plan[album] = kind
    return db, plan


def _covers(store: Store, fakes: Fakes, folder: Path, **options: object) -> list[CoversRun]:
    archive, web = open_web(fakes.config(), folder / "http-cache", policy=QUICK_RETRIES)
    try:
        return fetch_covers(store, CoverCache.beside(store.path), archive, web, **options)  # type: ignore[arg-type]
    finally:
        archive.close()
        web.close()


def _release(store: Store, album: int) -> str:
    return str(store.scalar("SELECT spotify_id FROM albums WHERE id = ?", (album,)))


def test_enrich_keeps_every_cover_once_and_refuses_bad_ones(
    tiny_demo: DemoLibrary, tiny_fakes: Fakes, tmp_path: Path
) -> None:
    db, plan = _prepare(tiny_demo, tiny_fakes, tmp_path)
    archived = [a for a, kind in plan.items() if kind == "archive"]
    with open_store(db) as store:
        enrich(store, tiny_fakes.config(), tmp_path / "http-cache", ["musicbrainz"])
        releases = dict(
            store.conn.execute(
                "SELECT album_id, external_id FROM album_external_ids WHERE source = 'musicbrainz'"
            ).fetchall()
        )
        assert releases[archived[0]] == mbid("release", _release(store, archived[0]))
        missing_art = releases[archived[-1]]
        del tiny_fakes.coverartarchive.releases[missing_art]

        archive_run, downloads = _covers(store, tiny_fakes, tmp_path)
        assert (archive_run.planned, archive_run.found, archive_run.not_found) == (NO_URL, 2, 1)
        found = dict(store.conn.execute("SELECT album_id, url FROM cover_lookups").fetchall())
        release = releases[archived[0]]
        front = tiny_fakes.coverartarchive.image_id(release)
        assert found[archived[0]].endswith(f"/release/{release}/{front}-500.jpg")
        assert found[archived[-1]] is None
        paths = [r.path for r in tiny_fakes.coverartarchive.requests if release in r.path]
        assert paths == [
            f"/release/{release}",
            f"/download/mbid-{release}/index.json",  # the archive's redirect
            f"/release/{release}/{front}-500.jpg",
            f"/download/mbid-{release}/mbid-{release}-{front}_thumb500.jpg",
        ]

        states = {
            url: (status, reason)
            for url, status, reason in store.conn.execute(
                "SELECT url, status, reason FROM cover_downloads"
            )
        }
        cache = CoverCache.beside(db)
        expected_cached = [a for a, k in plan.items() if k in ("ok", "moved")] + archived[:2]
        assert (
            downloads.found
            == len(expected_cached)
            == sum(status == "cached" for status, _ in states.values())
        )
        for kind, reason in REASONS.items():
            status, said = states[tiny_fakes.images.url(kind)]
            assert status == "refused" and reason in (said or ""), kind
        assert states[tiny_fakes.images.url("missing")] == ("not_found", None)
        assert downloads.refused == len(REASONS) and downloads.not_found == 1
        assert all(cache.has(url) for url, (s, _) in states.items() if s == "cached")

        asked = tiny_fakes.request_count()
        again = _covers(store, tiny_fakes, tmp_path)
        assert [(r.planned, r.requests) for r in again] == [(0, 0), (0, 0)]
        assert tiny_fakes.request_count() == asked  # enrich twice: every cover fetched once


def _rows(site: Path) -> list[tuple[Path, list[str]]]:
    rows = []
    for page in sorted(site.rglob("clusters/README.md")):
        for line in page.read_text("utf-8").splitlines():
            if line.startswith("| ") and "[🔗](" in line:
                rows.append((page, split_row(line)))
    return rows


@pytest.mark.slow
def test_the_atlas_shows_cached_covers_offline_and_tiles_for_the_rest(
    tiny_demo: DemoLibrary, tiny_fakes: Fakes, tmp_path: Path
) -> None:
    db, plan = _prepare(tiny_demo, tiny_fakes, tmp_path)
    with open_store(db) as store:
        enrich(store, tiny_fakes.config(), tmp_path / "http-cache", ["musicbrainz"])
        _covers(store, tiny_fakes, tmp_path)
        shows = {a for a, k in plan.items() if k in ("ok", "moved", "archive")}
        shows -= {
            a for (a,) in store.conn.execute("SELECT album_id FROM cover_lookups WHERE url IS NULL")
        }
        album_of = dict(store.conn.execute("SELECT spotify_id, album_id FROM tracks").fetchall())
        asked = tiny_fakes.request_count()
        build_atlas(store, Config(), tmp_path / "site")
        build_atlas(store, Config(), tmp_path / "again")
        assert tiny_fakes.request_count() == asked  # a build never touches the network

    site = tmp_path / "site"
    report = check_site(site)
    assert not report.broken and not report.outside and not report.bad_rows
    rows = _rows(site)
    assert rows
    kinds = set()
    for page, row in rows:
        match = re.fullmatch(r'<img src="([^"]+)" alt="" width="50" />', row[0])
        assert match, row[0]  # every row shows an image
        image = (page.parent / unquote(match.group(1))).resolve()
        assert image.is_file() and image.is_relative_to(site.resolve())
        track = re.search(r"open\.spotify\.com/track/(\w+)", row[-1]).group(1)  # type: ignore[union-attr]
        album = album_of[track]
        kind = "cover" if album in shows else "tile"
        assert image.suffix == (".jpg" if kind == "cover" else ".svg"), (plan.get(album), image)
        kinds.add(kind)
    assert kinds == {"cover", "tile"}
    for twin in site.rglob("clusters/index.html"):  # the HTML twin shows the same files
        for source in re.findall(r'<img src="([^"]+)"', twin.read_text("utf-8")):
            assert (twin.parent / unquote(source)).resolve().is_file(), source

    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = tmp_path / "again"
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
    remote = tmp_path / "remote"
    with open_store(db) as store:
        build_atlas(store, Config(atlas=AtlasConfig(covers="remote")), remote)
    sources = {row[0] for _, row in _rows(remote)}
    assert any(tiny_fakes.images.base_url in s for s in sources)


def test_a_failing_host_is_left_for_the_next_run_and_the_others_go_on(
    tiny_demo: DemoLibrary, tiny_fakes: Fakes, tmp_path: Path
) -> None:
    db, plan = _prepare(tiny_demo, tiny_fakes, tmp_path)
    tiny_fakes.images.fail(Reply(503, b"Service Unavailable"), times=None)
    with open_store(db) as store:
        enrich(store, tiny_fakes.config(), tmp_path / "http-cache", ["musicbrainz"])
        _, downloads = _covers(store, tiny_fakes, tmp_path)
        assert len(tiny_fakes.images.requests) == 1 + QUICK_RETRIES.retries  # then left alone
        assert downloads.found == NO_URL  # the archive's covers, from its own host
        assert downloads.left == downloads.planned - NO_URL and len(downloads.stopped) == 1
        assert store.scalar("SELECT COUNT(*) FROM cover_downloads") == NO_URL

        tiny_fakes.images.clear_faults()
        _, first = _covers(store, tiny_fakes, tmp_path, limit=2)  # resumable, a bit at a time
        _, rest = _covers(store, tiny_fakes, tmp_path)
        assert first.done == 2 and rest.left == 0
        cached = store.scalar("SELECT COUNT(*) FROM cover_downloads WHERE status = 'cached'")
        assert cached == sum(k in ("ok", "moved", "archive") for k in plan.values())


def test_the_front_image_is_the_one_marked_front() -> None:
    import msgspec

    def listing(images: list[dict[str, object]]) -> Listing:
        return msgspec.convert({"images": images}, Listing)

    back = {"front": False, "image": "http://x/back.jpg", "thumbnails": {"500": "http://x/b5"}}
    assert front_image(listing([back])) is None
    front = {"front": True, "image": "http://x/f.jpg", "thumbnails": {"small": "http://x/f2"}}
    assert front_image(listing([back, front])) == "http://x/f.jpg"  # no 500 px: the image
    front["thumbnails"] = {"large": "http://x/f5", "250": "http://x/f2"}  # older listings
    assert front_image(listing([back, front])) == "http://x/f5"


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["linernotes", *args])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr()
    return capsys.readouterr().out


def test_enrich_on_the_command_line_fetches_covers_unless_told_otherwise(
    tiny_demo: DemoLibrary,
    tiny_fakes: Fakes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _ = _prepare(tiny_demo, tiny_fakes, tmp_path)
    for name, value in tiny_fakes.environment().items():
        monkeypatch.setenv(name, value)
    (tmp_path / "linernotes.toml").write_text(
        "[providers]\ndeezer_rate = 500.0\ncovers_rate = 500.0\ncoverartarchive_rate = 500.0\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    out = _run(monkeypatch, capsys, "--db", "lib.db", "enrich", "--providers", "deezer")
    assert "covers" not in out and not tiny_fakes.images.requests
    out = _run(monkeypatch, capsys, "--db", "lib.db", "enrich", "--providers", "covers")
    assert "deezer" not in out
    assert re.search(
        r"^covers: \d+ of \d+ covers fetched, found \d+, not found 1, 5 refused", out, re.M
    )
    assert (tmp_path / "cache" / "covers").is_dir() and (tmp_path / "http-cache").is_dir()
    asked = tiny_fakes.request_count()
    out = _run(monkeypatch, capsys, "--db", "lib.db", "enrich", "--providers", "covers")
    assert "covers: nothing to fetch" in out and tiny_fakes.request_count() == asked
    assert db.is_file()
