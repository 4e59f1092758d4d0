"""The read side of the listening history: totals per track and year, every play in
time order, and a summary."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from linernotes.model import HistorySummary, TimedPlay, TrackYear


def iter_track_years(conn: sqlite3.Connection) -> Iterator[TrackYear]:
    """Music listening summed per track and calendar year (plays matched to a track)."""
    yield from conn.execute(
        "SELECT track_id, CAST(substr(ts, 1, 4) AS INTEGER), SUM(ms_played), COUNT(*)"
        " FROM plays WHERE kind = 'music' AND track_id IS NOT NULL GROUP BY track_id, 2"
    )


def played_durations(conn: sqlite3.Connection) -> dict[int, int]:
    """How long each played track lasts, as its music plays tell: the longest play that
    ended with "trackdone" (the extended history records why a play ended), else the
    longest play (account data does not record it). Tracks never played, or played
    for 0 ms only, are left out."""
    rows = conn.execute(
        "SELECT track_id, MAX(CASE WHEN reason_end = 'trackdone' THEN ms_played END),"
        " MAX(ms_played) FROM plays WHERE kind = 'music' AND track_id IS NOT NULL"
        " GROUP BY track_id"
    )
    return {track: done or longest for track, done, longest in rows if done or longest}


def iter_timed_plays(conn: sqlite3.Connection) -> Iterator[TimedPlay]:
    """Every music play matched to a track, oldest first: (end in epoch seconds, ms
    played, track id). Streams the rows (2M plays never sit in memory at once); the
    order comes from the index on ``play_key``, which starts with the time."""
    yield from conn.execute(
        "SELECT CAST(strftime('%s', ts) AS INTEGER), ms_played, track_id FROM plays"
        " WHERE kind = 'music' AND track_id IS NOT NULL ORDER BY play_key"
    )


def history_summary(conn: sqlite3.Connection) -> HistorySummary:
    """Count plays by kind, the date range and the music plays not matched to a track."""
    by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM plays GROUP BY kind").fetchall())
    first, last = conn.execute("SELECT MIN(ts), MAX(ts) FROM plays").fetchone()
    unresolved = conn.execute(
        "SELECT COUNT(*) FROM plays WHERE kind = 'music' AND track_id IS NULL"
    ).fetchone()[0]
    return HistorySummary(by_kind, first, last, unresolved)
