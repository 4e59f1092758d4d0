"""The listening read API: plays as columns (linked and by song), podcast totals,
the fingerprint, and the index the reads use."""

from __future__ import annotations

from datetime import datetime

from linernotes.model import FWDBTN, MINUTE, PlayRecord
from linernotes.store import Store
from linernotes.store.imports import record_import
from linernotes.store.listening import (
    history_fingerprint,
    read_play_columns,
    read_podcast_totals,
)
from linernotes.store.plays import add_plays
from linernotes.store.writer import LibraryWriter

TRACK = "4uLU6hMCjMI75M1A2tKUQC"


def _plays(store: Store, plays: list[PlayRecord]) -> None:
    with store.transaction() as conn:
        add_plays(LibraryWriter(conn, "export", "2026-01-01T00:00:00Z"), plays)


def _epoch(ts: str) -> int:
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp())


def test_plays_come_back_as_sorted_columns(store: Store) -> None:
    _plays(
        store,
        [
            PlayRecord("2024-05-01T10:00:00Z", 200_000, "music", track_id=TRACK,
                       track_name="Song", artist_name="Ana", reason_end="fwdbtn"),
            PlayRecord("2023-01-01T00:00:05Z", 5_000, "music", track_name="Other",
                       artist_name="Bo", album_name="Disc"),
            PlayRecord("2024-05-01T09:00:00Z", 1_000, "music", "minute", track_name="Other",
                       artist_name="Bo"),
            PlayRecord("2024-05-02T09:00:00Z", 50_000, "podcast", episode_name="Ep 1",
                       show_name="Show"),
        ],
    )  # fmt: skip
    columns = read_play_columns(store.conn)
    track = store.scalar("SELECT id FROM tracks WHERE spotify_id = ?", (TRACK,))
    assert columns.end.tolist() == [
        _epoch("2023-01-01T00:00:05Z"),
        _epoch("2024-05-01T09:00:00Z"),
        _epoch("2024-05-01T10:00:00Z"),
    ]
    assert columns.ms.tolist() == [5_000, 1_000, 200_000]
    assert columns.ref.tolist() == [-1, -1, track]
    assert columns.flags.tolist() == [0, MINUTE, FWDBTN]
    assert columns.songs == (("Other", "Bo", "Disc"),)
    podcasts = read_podcast_totals(store.conn)
    assert [(p.show, p.episode, p.streams, p.ms) for p in podcasts] == [("Show", "Ep 1", 1, 50_000)]


def test_the_fingerprint_changes_with_the_plays(store: Store) -> None:
    empty = history_fingerprint(store.conn)
    _plays(store, [PlayRecord("2024-05-01T10:00:00Z", 1, "music", track_name="A", artist_name="B")])
    one = history_fingerprint(store.conn)
    assert one != empty and history_fingerprint(store.conn) == one
    with store.transaction() as conn:
        record_import(conn, "a" * 64, "x.json", "extended", "2026-01-01T00:00:00Z", 1)
    assert history_fingerprint(store.conn) != one


def test_music_reads_use_the_covering_index(store: Store) -> None:
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT COUNT(*), SUM(ms_played) FROM plays"
        " WHERE kind = 'music' AND ts >= '2024' AND ts < '2025' AND track_id IS NOT NULL"
    ).fetchall()
    assert "COVERING INDEX plays_listening" in str(plan)
