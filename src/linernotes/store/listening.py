"""The read side of listening stories: every music play as columns, the songs of
plays not matched to a track, podcast and audiobook totals, Liked Songs dates,
and a fingerprint that changes whenever the plays do.

Plays are read as numpy columns in one pass (see ``bench/listening.py``): the
stories group them by the person's local day, hour and year, which SQLite cannot
do without a time-zone database, and numpy groups two million plays in well
under a second.
"""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np

from linernotes.errors import StoreError
from linernotes.model import FWDBTN, MINUTE, PlayColumns, PodcastTotal

# Each play comes back as two integers (packed in SQL, unpacked with numpy): the end
# time with the flags, and the track with the milliseconds. A year's plays are
# joined into one string by SQLite and parsed by numpy in C, which takes a third of
# the time of building a Python tuple per play (measured in bench/listening.py).
_EPOCH = "unixepoch(ts)" if sqlite3.sqlite_version_info >= (3, 38) else "strftime('%s', ts)"
_WHEN = (
    f"{_EPOCH} * 4 + IFNULL(reason_end = 'fwdbtn', 0) * {FWDBTN}"
    f" + (precision = 'minute') * {MINUTE}"
)
_WHAT = "track_id * 4294967296 + MIN(MAX(ms_played, 0), 4294967295)"


def read_play_columns(conn: sqlite3.Connection) -> PlayColumns:
    """Every music play as columns, sorted by end time: plays linked to a track by
    its id, the others by song (artist + title)."""
    when, what = _linked(conn)
    songs, other = _unlinked(conn)
    when = np.concatenate([when, other[:, 0]])
    what = np.concatenate([what, other[:, 1]])
    order = np.argsort(when >> 2, kind="stable")
    when, what = when[order], what[order]
    return PlayColumns(
        end=when >> 2,
        ms=what & 0xFFFFFFFF,
        ref=what >> 32,
        flags=(when & 3).astype(np.uint8),
        songs=songs,
    )


def _linked(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    """The packed columns of plays linked to a track, a calendar year at a time
    (each year is one range of the index ``plays_listening``)."""
    first, last = conn.execute("SELECT MIN(ts), MAX(ts) FROM plays WHERE kind = 'music'").fetchone()
    when, what = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for year in range(int(first[:4]), int(last[:4]) + 1) if first else ():
        count, joined_when, joined_what = conn.execute(
            f"SELECT COUNT(*), group_concat({_WHEN}), group_concat({_WHAT}) FROM plays"
            " WHERE kind = 'music' AND ts >= ? AND ts < ? AND track_id IS NOT NULL",
            (f"{year:04d}", f"{year + 1:04d}"),
        ).fetchone()
        if count:
            when.append(_parse(joined_when, count))
            what.append(_parse(joined_what, count))
    return np.concatenate(when), np.concatenate(what)


def _parse(joined: str, count: int) -> np.ndarray:
    values = np.fromstring(joined, sep=",", dtype=np.int64)
    if len(values) != count:
        raise StoreError(f"plays: read {len(values)} of {count} values (store damaged?)")
    return values


def _unlinked(
    conn: sqlite3.Connection,
) -> tuple[tuple[tuple[str, str, str], ...], np.ndarray]:
    """Music plays not linked to a track, numbered by song (artist + title) in order
    of first play: the names of each song, and the packed columns with ref -(k + 1)."""
    names: list[tuple[str, str, str]] = []
    parts = [np.zeros((0, 2), np.int64)]
    rows = conn.execute(
        "SELECT MIN(track_name), MIN(artist_name), MIN(album_name), COUNT(*),"
        f" group_concat({_WHEN}), group_concat(MIN(MAX(ms_played, 0), 4294967295))"
        " FROM plays WHERE kind = 'music' AND track_id IS NULL"
        " GROUP BY match_key ORDER BY MIN(ts), match_key"
    )
    for k, (track, artist, album, count, when, ms) in enumerate(rows):
        names.append((track or "", artist or "", album or ""))
        packed = np.empty((count, 2), np.int64)
        packed[:, 0] = _parse(when, count)
        packed[:, 1] = _parse(ms, count) - (k + 1) * 4294967296
        parts.append(packed)
    return tuple(names), np.concatenate(parts)


def read_podcast_totals(conn: sqlite3.Connection) -> list[PodcastTotal]:
    """Podcast and audiobook listening summed per show (or book) and episode (or chapter)."""
    rows = conn.execute(
        "SELECT kind, COALESCE(show_name, ''), COALESCE(episode_name, episode_id, ''),"
        " COUNT(*), SUM(ms_played), MIN(ts), MAX(ts), SUM(precision = 'minute')"
        " FROM plays WHERE kind IN ('podcast', 'audiobook')"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    return [PodcastTotal(*row) for row in rows]


def read_liked_dates(conn: sqlite3.Connection) -> dict[int, str]:
    """When each Liked Songs track was added (``YYYY-MM-DD``), where the export says."""
    return dict(
        conn.execute("SELECT track_id, substr(added_at, 1, 10) FROM liked WHERE added_at != ''")
    )


def history_fingerprint(conn: sqlite3.Connection) -> str:
    """A key that changes whenever the plays do. Plays change only by an import
    (recorded in ``imports``): it adds plays (a higher id), drops minute-precision
    copies of plays it adds, and links unmatched plays to tracks (fewer unmatched)."""
    newest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM plays").fetchone()[0]
    unlinked = conn.execute(
        "SELECT COUNT(*) FROM plays INDEXED BY plays_unresolved"
        " WHERE track_id IS NULL AND kind = 'music'"
    ).fetchone()[0]
    files = sorted(r[0] for r in conn.execute("SELECT sha256 FROM imports"))
    text = repr((newest, unlinked, files))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
