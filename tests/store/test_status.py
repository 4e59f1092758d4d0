"""``store_status``: a typed record of what the store holds, printed as JSON as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import msgspec

from linernotes.model import (
    AlbumRef,
    ArtistRef,
    AudioFeatures,
    LikedRecord,
    PlayRecord,
    TrackRecord,
)
from linernotes.store import Store
from linernotes.store.imports import record_import, remember_skipped
from linernotes.store.plays import add_plays
from linernotes.store.status import (
    Coverage,
    Identification,
    SkippedFile,
    StoreStatus,
    next_steps,
    store_status,
)
from linernotes.store.writer import LibraryWriter

AT = "2026-01-01T00:00:00Z"
README = Path(__file__).resolve().parents[2] / "README.md"
ID = "4uLU6hMCjMI75M1A2tKUQC"


def _fill(store: Store) -> None:
    covered = TrackRecord(
        "Song",
        (ArtistRef("Ana"),),
        spotify_id=ID,
        album=AlbumRef("A", image_url="https://i.scdn.co/image/x", labels=("Moon",)),
        features=AudioFeatures(energy=0.5),
    )
    bare = TrackRecord("Other", (ArtistRef("Bo", genres=("jazz",)),))
    plays = [
        PlayRecord("2024-01-01T10:00:00Z", 1000, "music", track_id=ID),
        PlayRecord("2024-02-01T10:00:00Z", 1000, "music", track_name="Gone", artist_name="Cy"),
        PlayRecord("2023-12-31T10:00:00Z", 1000, "podcast", episode_name="E", show_name="S"),
    ]
    with store.transaction() as conn:
        writer = LibraryWriter(conn, "exportify", AT)
        writer.add_liked([LikedRecord(covered)])
        writer.track_id(bare)
        add_plays(writer, plays)
        record_import(conn, "a" * 64, "liked.csv", "exportify", AT, 1)
        remember_skipped(conn, [("notes.txt", "not a file linernotes knows")], AT)


def test_status_is_a_typed_record_of_what_the_store_holds(store: Store) -> None:
    _fill(store)
    status = store_status(store.conn)
    assert isinstance(status, StoreStatus)
    assert (status.tracks, status.liked, status.artists, status.albums) == (2, 1, 2, 1)
    assert (status.labels, status.genres, status.playlists) == (1, 1, 0)
    assert status.plays_by_kind == {"music": 2, "podcast": 1}
    assert (status.plays, status.music_plays, status.unresolved_plays) == (3, 2, 1)
    assert (status.first_play, status.last_play) == ("2023-12-31T10:00:00Z", "2024-02-01T10:00:00Z")
    assert status.files_imported == 1
    assert status.files_skipped == [SkippedFile("notes.txt", "not a file linernotes knows")]
    # "Song" has a play, so a duration: the history tells one where no source gave it.
    assert status.coverage == Coverage(
        cover=0.5, label=0.5, genre=0.5, audio_features=0.5, duration=0.5
    )
    assert status.coverage_by_source == {
        "label": {"exportify": 0.5},
        "genre": {"exportify": 0.5},
        "audio_features": {"exportify": 0.5},
    }
    assert status.identification == Identification(
        isrc=0,
        spotify_id=0,
        name_search=0,
        not_found=0,
        not_asked=2,
        name_search_min_score=None,
        with_spotify_id=1,
        with_spotify_id_and_features=1,
    )


def test_an_empty_store_has_zero_coverage_and_no_history(store: Store) -> None:
    status = store_status(store.conn)
    assert (status.tracks, status.plays, status.first_play, status.last_play) == (0, 0, None, None)
    assert status.coverage.shares() == {
        "cover": 0,
        "label": 0,
        "genre": 0,
        "audio_features": 0,
        "duration": 0,
    }
    assert status.plays_by_kind == {}


def _readme_keys() -> list[str]:
    table = README.read_text("utf-8").split("### `status --json` keys", 1)[1].split("\n## ")[0]
    cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return [key for cell in cells for key in re.findall(r"`(\w+)`", cell)]


def test_the_json_has_the_readme_keys_in_order_and_plain_values(store: Store) -> None:
    _fill(store)
    shown = store_status(store.conn).to_json()
    assert list(shown) == _readme_keys()
    assert json.loads(json.dumps(shown)) == shown
    assert shown["coverage"] == {
        "cover": 0.5,
        "label": 0.5,
        "genre": 0.5,
        "audio_features": 0.5,
        "duration": 0.5,
    }
    assert shown["files_skipped"] == [
        {"name": "notes.txt", "reason": "not a file linernotes knows"}
    ]


def test_identification_counts_each_track_once_by_its_surest_method(store: Store) -> None:
    _fill(store)  # "Song" (Spotify id) and "Other" (names only), neither asked yet
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO track_identities VALUES (1, 'reccobeats', 'spotify_id', 'found',"
            " 'r1', 'USAAA0000001', 201000, NULL, ?), (1, 'deezer', 'name_search', 'found',"
            " '7', NULL, 200000, 0.9, ?), (2, 'deezer', 'name_search', 'not_found',"
            " NULL, NULL, NULL, NULL, ?)",
            (AT, AT, AT),
        )
    how = store_status(store.conn).identification
    assert (how.isrc, how.spotify_id, how.name_search, how.not_found, how.not_asked) == (
        0,
        1,
        0,
        1,
        0,
    )
    assert how.name_search_min_score == 0.9
    with store.transaction() as conn:
        conn.execute("UPDATE tracks SET isrc = 'USBBB0000002' WHERE id = 1")
    assert store_status(store.conn).identification.isrc == 1  # the import's ISRC comes first


def _status(store: Store, **changes: object) -> StoreStatus:
    return msgspec.structs.replace(store_status(store.conn), **changes)


def test_next_steps_name_what_is_missing_and_the_command_that_fills_it(store: Store) -> None:
    assert next_steps(store_status(store.conn)) == [
        "no tracks yet: run `linernotes import <your Spotify export>`"
    ]
    _fill(store)
    low = Coverage(cover=0, label=0.12, genre=0.5, audio_features=0.49, duration=0.9)
    steps = next_steps(_status(store, coverage=low))
    assert steps[0] == (
        "covers 0 %, labels 12 %, audio features 49 %: run `linernotes enrich` — no account needed"
    )
    assert steps[1].startswith("playlists none: import the account data export")
    asked = msgspec.structs.replace(store_status(store.conn).identification, not_asked=0)
    # Every track asked already: enrich has nothing more to give.
    assert not any("enrich" in s for s in next_steps(_status(store, identification=asked)))
    full = Coverage(cover=1, label=1, genre=1, audio_features=1, duration=1)
    assert next_steps(_status(store, coverage=full, playlists=3)) == []
