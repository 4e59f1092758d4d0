"""Identifying tracks a bare export knows only by Spotify id or by names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from linernotes.clock import utc_stamp
from linernotes.model import AlbumRef, ArtistRef, TrackRecord
from linernotes.sources.providers.reccobeats import ReccoBeats
from linernotes.store import Store, open_store
from linernotes.store.enrichment import ArtistQuery, TrackQuery
from linernotes.store.writer import LibraryWriter
from tests.sources.providers.catalogue import FakeTrack, mbid, numeric_id
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import ReccoBeatsFake, Reply, Request, serving
from tests.sources.providers.helpers import QUICK_RETRIES, enrich
from tests.sources.providers.test_realdata import Fixed


def _bare(db: Path, tracks: Sequence[FakeTrack], *, ids: bool) -> Store:
    """A store holding ``tracks`` as a bare export does: names, album, Spotify id when
    ``ids`` — no ISRC, no duration."""
    store = open_store(db)
    with store.transaction() as conn:
        writer = LibraryWriter(conn, "export", utc_stamp())
        for t in tracks:
            artists = tuple(ArtistRef(a.name) for a in t.artists)
            writer.track_id(
                TrackRecord(
                    t.name,
                    artists,
                    spotify_id=t.spotify_id if ids else None,
                    album=AlbumRef(t.album_name, artists=artists[:1]),
                )
            )
    return store


def _identities(store: Store) -> dict[str, tuple[object, ...]]:
    rows = store.conn.execute(
        "SELECT t.name, i.source, i.method, i.status, i.external_id, i.isrc, i.duration_ms,"
        " i.score FROM track_identities AS i JOIN tracks AS t ON t.id = i.track_id"
    )
    return {f"{r[0]}|{r[1]}": r[2:] for r in rows}


def _solo(demo_library: DemoLibrary, count: int) -> list[FakeTrack]:
    """Tracks by one artist each, with names no other track has."""
    tracks = sorted(demo_library.catalogue.tracks.values(), key=lambda t: t.isrc)
    names = [t.name for t in tracks]
    return [t for t in tracks if len(t.artists) == 1 and names.count(t.name) == 1][:count]


def test_reccobeats_identifies_spotify_ids_in_batches_and_deezer_then_asks_by_isrc(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = _solo(demo_library, 90)
    unknown = {t.spotify_id for t in tracks[::9]}
    recco = ReccoBeatsFake(demo_library.catalogue, knows=lambda t: t.spotify_id not in unknown)
    with serving(recco, "/v1/"), _bare(tmp_path / "lib.db", tracks, ids=True) as store:
        config = fakes.config(reccobeats_base=recco.base_url)
        runs = enrich(store, config, tmp_path / "cache", ["reccobeats", "deezer"]).runs
        identified = _identities(store)
        again = enrich(store, config, tmp_path / "cache", ["reccobeats", "deezer"])
    asked = [r for r in recco.requests if r.path == "/v1/track"]
    assert [len(r.param("ids").split(",")) for r in asked] == [40, 40, 10]
    assert (runs[0].name, runs[0].found, runs[0].not_found) == (
        "reccobeats ids",
        90 - len(unknown),
        len(unknown),
    )
    for t in tracks:
        row = identified[f"{t.name}|reccobeats"]
        if t.spotify_id in unknown:
            assert row == ("spotify_id", "not_found", None, None, None, None)
        else:
            expected = mbid("reccobeats", t.spotify_id), t.isrc, t.duration_ms
            assert row == ("spotify_id", "found", *expected, None)
    # Deezer asked by the ISRCs ReccoBeats gave, and searched for the others by names.
    by_isrc = {
        r.path.removeprefix("/track/isrc:") for r in fakes.deezer.requests if "isrc:" in r.path
    }
    assert by_isrc == {t.isrc for t in tracks if t.spotify_id not in unknown}
    searched = {r.param("q") for r in fakes.deezer.requests if r.path == "/search"}
    assert len(searched) >= len(unknown)
    assert all(
        identified[f"{t.name}|deezer"][1] == "found" for t in tracks if t.spotify_id in unknown
    )
    assert again.requests == 0  # nothing asked twice, "not found" included


def test_deezer_finds_tracks_by_names_and_never_takes_a_decoy(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = _solo(demo_library, 25)
    strangers = [
        TrackRecord("Nobody Knows This Song", (ArtistRef("Fictional Quartet"),)),
        TrackRecord("Dreams", (ArtistRef("Not Fleetwood"),), album=AlbumRef("Rumours")),
    ]
    with _bare(tmp_path / "lib.db", tracks, ids=False) as store:
        with store.transaction() as conn:
            for record in strangers:
                LibraryWriter(conn, "export", utc_stamp()).track_id(record)
        run = enrich(store, fakes.config(), tmp_path / "cache", ["deezer"]).runs[0]
        identified = _identities(store)
        labels = dict(
            store.conn.execute(
                "SELECT a.name, l.name FROM album_labels AS x JOIN albums AS a ON a.id = x.album_id"
                " JOIN labels AS l ON l.id = x.label_id"
            ).fetchall()
        )
    assert (run.found, run.not_found) == (len(tracks), len(strangers))
    decoys = fakes.deezer.index.decoy_ids()
    assert decoys  # every search was answered with decoys too
    for t in tracks:
        method, status, external, _, duration, score = identified[f"{t.name}|deezer"]
        assert (method, status, external) == (
            "name_search",
            "found",
            str(numeric_id("track:" + t.isrc)),
        )
        assert duration == t.duration_ms // 1000 * 1000 and 0.6 <= float(score) <= 1.0  # type: ignore[arg-type]
        assert labels[t.album_name] == t.label
    for record in strangers:
        assert identified[f"{record.name}|deezer"][:2] == ("name_search", "not_found")
    assert not {row[2] for row in identified.values()} & decoys


def test_musicbrainz_finds_tracks_by_names_with_their_isrc(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = _solo(demo_library, 8)
    with _bare(tmp_path / "lib.db", tracks, ids=False) as store:
        run = enrich(store, fakes.config(), tmp_path / "cache", ["musicbrainz"]).runs[0]
        identified = _identities(store)
    assert run.found == len(tracks)
    for t in tracks:
        row = identified[f"{t.name}|musicbrainz"]
        assert row[:5] == ("name_search", "found", mbid("recording", t.isrc), t.isrc, t.duration_ms)
    queries = [r.param("query") for r in fakes.musicbrainz.requests if r.path == "/ws/2/recording"]
    assert all(q.startswith('recording:"') and ' AND artist:"' in q for q in queries)
    assert not {row[2] for row in identified.values()} & fakes.musicbrainz.index.decoy_ids()


def test_a_real_reccobeats_track_answer(realdata: Path, fakes: Fakes, tmp_path: Path) -> None:
    """The track of ReccoBeats' docs, in the batch envelope ``{"content": [...]}``."""
    example = json.loads(
        (realdata / "providers/reccobeats/docs/track_example.FROM_DOCS.json").read_bytes()
    )
    spotify_id = example["href"].rsplit("/", 1)[-1]

    class Tracks(Fixed):
        def answer(self, request: Request) -> Reply:
            known = request.path == "/v1/track" and spotify_id in request.param("ids")
            return Reply(200, json.dumps({"content": [example] if known else []}).encode())

    with serving(Tracks({}), "/v1/") as service:
        config = fakes.config(reccobeats_base=service.base_url)
        provider = ReccoBeats.from_config(config, tmp_path, policy=QUICK_RETRIES)
        artists = (ArtistQuery(1, example["artists"][0]["name"]),)
        queries = [
            TrackQuery(1, example["trackTitle"], None, spotify_id, None, None, None, artists),
            TrackQuery(2, "Unknown", None, "a" * 22, None, None, None, artists),
        ]
        (one, first), (two, second) = provider.identify(queries)
        provider.close()
    assert (one, first.found, first.isrc, first.duration_ms) == (
        1,
        True,
        example["isrc"],
        example["durationMs"],
    )
    assert first.external_id == example["id"]
    assert (two, second.found) == (2, False)
