"""The enrich run: only what is missing, most listened first, provenance, source order."""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

from linernotes.clock import utc_stamp
from linernotes.config import Config, ProvidersConfig
from linernotes.model import AlbumRef, ArtistRef, AudioFeatures, TrackRecord
from linernotes.pipeline import load_library
from linernotes.sources.providers import open_providers
from linernotes.sources.providers.enrich import plan_lookups
from linernotes.store import open_store
from linernotes.store.writer import LibraryWriter
from tests.sources.providers.conftest import DemoLibrary, Fakes, start_fakes
from tests.sources.providers.fakes import DeezerFake, serving
from tests.sources.providers.helpers import copy_store, dump, enrich, store_with, strip_enrichment

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
# MusicBrainz ranked above Deezer (the default ranks Deezer first: it is faster).
MB_FIRST = ("spotify", "exportify", "musicbrainz", "deezer", "reccobeats", "lastfm", "export")


def _most_listened(conn, track_ids: set[int]) -> list[int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        "SELECT t.id, (SELECT COALESCE(SUM(ms_played), 0) FROM plays AS p WHERE p.track_id = t.id"
        " AND p.kind = 'music') AS ms FROM tracks AS t ORDER BY ms DESC, t.id"
    )
    return [track for track, _ in rows if track in track_ids]


def test_only_tracks_missing_what_a_provider_gives_are_asked_most_listened_first(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    db = copy_store(demo_library.db, tmp_path / "lib.db")
    with open_store(db) as store:
        with store.transaction() as conn:
            albums = [r[0] for r in conn.execute("SELECT id FROM albums ORDER BY id LIMIT 12")]
            conn.execute(
                f"DELETE FROM album_labels WHERE album_id IN ({','.join(map(str, albums))})"
            )
        conn = store.conn
        # Tracks with an ISRC are looked up by it, the others searched for by names.
        isrc = {
            r[0]
            for r in conn.execute("SELECT id FROM tracks WHERE isrc IS NOT NULL AND is_local = 0")
        }
        named = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM tracks AS t WHERE is_local = 0 AND EXISTS"
                " (SELECT 1 FROM track_artists AS ta WHERE ta.track_id = t.id)"
            )
        }
        labelled = {
            r[0]
            for r in conn.execute(
                "SELECT t.id FROM tracks AS t JOIN album_labels AS al ON al.album_id = t.album_id"
            )
        }
        genred = {
            r[0]
            for r in conn.execute(
                "SELECT track_id FROM track_genres UNION SELECT ta.track_id"
                " FROM track_artists AS ta JOIN artist_genres AS ag ON ag.artist_id = ta.artist_id"
            )
        }
        expected = _most_listened(conn, {t for t in named if t not in labelled or t not in genred})
        assert named - isrc and isrc - named == set()
        providers = open_providers(fakes.config(), tmp_path / "cache", ["musicbrainz"])
        plan = [
            t.track_id for t in plan_lookups(store, providers[0], Config().providers.source_order)
        ]
        limited = plan_lookups(store, providers[0], Config().providers.source_order, limit=5)
        providers[0].close()
        assert plan == expected and len(plan) > 12
        assert [t.track_id for t in limited] == expected[:5]

        report = enrich(store, fakes.config(), tmp_path / "cache", ["musicbrainz", "reccobeats"])
        identify, musicbrainz, recco = report.runs
        # ReccoBeats first says what the tracks with a Spotify id and no ISRC are.
        assert (identify.name, identify.planned) == ("reccobeats ids", len(named - isrc))
        assert musicbrainz.done == len(expected)
        featureless = conn.execute(
            "SELECT COUNT(*) FROM tracks WHERE spotify_id IS NOT NULL AND is_local = 0"
            " AND id NOT IN (SELECT track_id FROM audio_features)"
        ).fetchone()[0]
        assert recco.planned == featureless > 0  # tracks with Exportify's features are not asked
        asked = {
            r.path.rsplit("/", 1)[-1] for r in fakes.musicbrainz.requests if "/isrc/" in r.path
        }
        known = {
            r[0]
            for r in conn.execute(
                f"SELECT isrc FROM tracks WHERE id IN ({','.join(map(str, expected))})"
                " AND isrc IS NOT NULL"
            )
        }
        assert asked == known
        searched = [r for r in fakes.musicbrainz.requests if r.path == "/ws/2/recording"]
        assert len(searched) >= len(set(expected) - isrc)


def _write(db: Path, source: str, track: TrackRecord) -> None:
    with open_store(db) as store, store.transaction() as conn:
        LibraryWriter(conn, source, utc_stamp()).track_id(track)


def test_conflicting_values_are_kept_with_provenance_and_source_order_picks_the_shown_one(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    fake = next(
        t
        for t in demo_library.catalogue.tracks.values()
        if len(t.artists) == 1 and len(t.genres) > 1 and t.features and re.search(", |/", t.label)
    )
    db = tmp_path / "lib.db"
    store_with(db, [fake]).close()
    # Exportify knew a label (spelled its way) and two features, but no genre.
    artist = ArtistRef(fake.artists[0].name, fake.artists[0].spotify_id)
    album = AlbumRef(fake.album_name, fake.album_id, labels=("Old Label Ltd.",))
    features = AudioFeatures(danceability=0.1, tempo=60.0)
    _write(
        db,
        "exportify",
        TrackRecord(fake.name, (artist,), fake.spotify_id, album, features=features),
    )
    mb_first = Config().with_overrides(providers=ProvidersConfig(source_order=MB_FIRST))
    with open_store(db) as store:
        report = enrich(
            store,
            fakes.config(source_order=MB_FIRST),
            tmp_path / "cache",
            ["musicbrainz", "deezer", "reccobeats"],
        )
        # MusicBrainz is asked (no genre yet) and brings labels too; Deezer ranks below
        # both and has nothing left to give that would be shown.
        assert [(r.provider, r.planned) for r in report.runs] == [
            ("musicbrainz", 1),
            ("deezer", 0),
            ("reccobeats", 1),
        ]
        rows = store.conn.execute(
            "SELECT l.name, al.source, al.fetched_at FROM album_labels AS al JOIN labels AS l"
            " ON l.id = al.label_id"
        ).fetchall()
        mb_labels = [n for n in re.split(r", |/", fake.label)]
        assert {(name, source) for name, source, _ in rows} == {
            ("Old Label Ltd.", "exportify"),
            *((name, "musicbrainz") for name in mb_labels),
        }
        assert all(ISO.match(at) for _, _, at in rows)
        library = load_library(store, mb_first)
        track = next(iter(library.tracks.values()))
        assert library.labels_of(track) == ("Old Label Ltd.",)
        assert track.genres == fake.genres
        assert track.features is not None
        assert (track.features["danceability"], track.features["tempo"]) == (0.1, 60.0)
        assert track.features["energy"] == fake.features["energy"]  # from ReccoBeats
        # Rank the open data first: its values are shown, nothing was thrown away.
        order = ("musicbrainz", "deezer", "reccobeats", "exportify")
        config = Config().with_overrides(providers=ProvidersConfig(source_order=order))
        library = load_library(store, config)
        track = next(iter(library.tracks.values()))
        assert len(library.labels_of(track)) == len(mb_labels) == 2
        assert track.features is not None
        assert track.features["tempo"] == fake.features["tempo"]
        assert track.features["danceability"] == fake.features["danceability"]


def test_by_default_deezer_is_asked_first_and_musicbrainz_only_for_what_is_missing(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = sorted(demo_library.catalogue.tracks.values(), key=lambda t: t.isrc)[:30]
    unknown = {t.isrc for t in tracks[::5]}  # Deezer does not know every fifth track
    deezer = DeezerFake(demo_library.catalogue, knows=lambda t: t.isrc not in unknown)
    with serving(deezer, "/"), store_with(tmp_path / "lib.db", tracks) as store:
        config = fakes.config(deezer_base=deezer.base_url)
        assert config.source_order.index("deezer") < config.source_order.index("musicbrainz")
        runs = enrich(store, config, tmp_path / "cache", ["musicbrainz", "deezer"]).runs
        assert [(r.provider, r.planned, r.found) for r in runs] == [
            ("deezer", 30, 30 - len(unknown)),
            ("musicbrainz", len(unknown), len(unknown)),
        ]
        asked = {
            r.path.rsplit("/", 1)[-1] for r in fakes.musicbrainz.requests if "/isrc/" in r.path
        }
        assert asked == unknown
        covers = store.conn.execute(
            "SELECT COUNT(*) FROM albums WHERE image_url LIKE ?", (deezer.base_url + "%",)
        ).fetchone()[0]
        albums = {t.album_id for t in tracks if t.isrc not in unknown}
        assert covers == len(albums)  # Deezer's cover URL, for the covers step


def test_features_are_taken_per_feature_from_the_best_source(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    record = TrackRecord("Song", (ArtistRef("Ana"),), spotify_id="a" * 22)
    _write(db, "export", record)
    with open_store(db) as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO audio_features (track_id, source, fetched_at, tempo, energy)"
            " VALUES (1, 'deezer', 'x', 120.5, NULL), (1, 'reccobeats', 'x', 99.0, 0.7)"
        )
    with open_store(db) as store:
        track = load_library(store, Config()).tracks[1]
    assert track.features == {"energy": 0.7, "tempo": 120.5}


def test_providers_at_once_end_as_one_after_the_other(
    tiny_demo: DemoLibrary, tmp_path: Path
) -> None:
    """Each provider in its own lane, a track asked in source order: the same store as
    running the providers one by one (Deezer misses some tracks: MusicBrainz has work)."""
    catalogue = tiny_demo.catalogue
    misses = {t.isrc for t in sorted(catalogue.tracks.values(), key=lambda t: t.isrc)[::4]}
    dumps = []
    with ExitStack() as stack:
        fakes = start_fakes(stack, catalogue)
        deezer = stack.enter_context(
            serving(DeezerFake(catalogue, knows=lambda t: t.isrc not in misses), "/")
        )
        config = fakes.config(deezer_base=deezer.base_url)
        names = ["reccobeats", "deezer", "musicbrainz"]
        for name, one_by_one in (("at-once", False), ("one-by-one", True)):
            db = copy_store(tiny_demo.db, tmp_path / f"{name}.db")
            strip_enrichment(db)
            with open_store(db) as store:
                if one_by_one:  # the identification pass comes first, as in enrich
                    enrich(store, config, tmp_path / name, ["reccobeats"])
                    for provider in names[1:]:
                        enrich(store, config, tmp_path / name, [provider])
                else:
                    runs = enrich(store, config, tmp_path / name, names).runs
                    assert [r.name for r in runs] == [
                        "reccobeats ids",
                        "deezer",
                        "musicbrainz",
                        "reccobeats",
                    ]
                    assert runs[2].found > 0  # MusicBrainz found what Deezer missed
                dumps.append(dump(store.conn))
    at_once, one_by_one = dumps
    for table in at_once:
        assert at_once[table] == one_by_one[table], table
