"""The read side of the listening history: totals per track and year, and a summary."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from linernotes.model import HistorySummary, TrackYear


def iter_track_years(conn: sqlite3.Connection) -> Iterator[TrackYear]:
    """Music listening summed per track and calendar year (plays matched to a track)."""
    yield from conn.execute(
        "SELECT track_id, CAST(substr(ts, 1, 4) AS INTEGER), SUM(ms_played), COUNT(*)"
        " FROM plays WHERE kind = 'music' AND track_id IS NOT NULL GROUP BY track_id, 2"
    )


def history_summary(conn: sqlite3.Connection) -> HistorySummary:
    """Count plays by kind, the date range and the music plays not matched to a track."""
    by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM plays GROUP BY kind").fetchall())
    first, last = conn.execute("SELECT MIN(ts), MAX(ts) FROM plays").fetchone()
    unresolved = conn.execute(
        "SELECT COUNT(*) FROM plays WHERE kind = 'music' AND track_id IS NULL"
    ).fetchone()[0]
    return HistorySummary(by_kind, first, last, unresolved)
