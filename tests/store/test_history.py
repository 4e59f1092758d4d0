"""Durations from listening: where no source gives one, the plays tell how long a track is."""

from __future__ import annotations

from linernotes.config import Config
from linernotes.model import ArtistRef, PlayRecord, TrackRecord
from linernotes.pipeline import load_library
from linernotes.store import Store
from linernotes.store.history import played_durations
from linernotes.store.plays import add_plays
from linernotes.store.writer import LibraryWriter

AT = "2026-01-01T00:00:00Z"
IDS = {name: f"{name:x<22}" for name in ("done", "skipped", "minute", "silent", "given")}


def _play(ts: str, ms: int, track: str, reason: str | None = None) -> PlayRecord:
    precision = "minute" if reason is None else "second"
    return PlayRecord(ts, ms, "music", precision, track_id=IDS[track], reason_end=reason)


def _fill(store: Store) -> dict[str, int]:
    with store.transaction() as conn:
        writer = LibraryWriter(conn, "export", AT)
        ids = {
            name: writer.track_id(
                TrackRecord(
                    name,
                    (ArtistRef("Ana"),),
                    spotify_id=sid,
                    duration_ms=200_000 if name == "given" else None,
                )
            )
            for name, sid in IDS.items()
        }
        add_plays(
            writer,
            [
                # Extended history: the longest play that ran to its end, not a longer
                # one stopped by hand after seeking back.
                _play("2024-01-01T10:00:00Z", 181_000, "done", "trackdone"),
                _play("2024-01-02T10:00:00Z", 179_500, "done", "trackdone"),
                _play("2024-01-03T10:00:00Z", 260_000, "done", "endplay"),
                # Never played to the end, or the export leaves the reason empty:
                # the longest play.
                _play("2024-01-04T10:00:00Z", 30_000, "skipped", "fwdbtn"),
                _play("2024-01-05T10:00:00Z", 95_000, "skipped", ""),
                # Account data: no reason recorded.
                _play("2024-01-06T10:00", 120_000, "minute"),
                _play("2024-01-07T10:00", 240_000, "minute"),
                _play("2024-01-08T10:00:00Z", 0, "silent", "trackdone"),
                _play("2024-01-09T10:00:00Z", 50_000, "given", "trackdone"),
            ],
        )
    return ids


def test_plays_tell_a_duration_trackdone_first(store: Store) -> None:
    ids = _fill(store)
    assert played_durations(store.conn) == {
        ids["done"]: 181_000,
        ids["skipped"]: 95_000,
        ids["minute"]: 240_000,
        ids["given"]: 50_000,
    }


def test_the_library_falls_back_on_the_plays_only_where_no_source_gave_one(store: Store) -> None:
    ids = _fill(store)
    tracks = load_library(store, Config()).tracks
    assert tracks[ids["given"]].duration_ms == 200_000  # the import's, not the plays'
    assert tracks[ids["done"]].duration_ms == 181_000
    assert tracks[ids["minute"]].duration_ms == 240_000
    assert tracks[ids["silent"]].duration_ms is None  # played for 0 ms: nothing known
