"""How tracks were identified: what a service said a track (and its album) is, and how.

Schema 7 keeps, per track, service and method, the service's answer: its id of
the track, the ISRC and duration it gave and, for a name search, how well the
names agreed. The track row keeps what the import gave; readers take an ISRC or
a duration from here only where the import had none, the surest method first
(the Spotify id, then names), then by service name, so that the choice does not
depend on which service answered first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

# How a service identified a track: its Spotify id looked up, or a search by names.
Method = Literal["spotify_id", "name_search"]
SPOTIFY_ID: Method = "spotify_id"
NAME_SEARCH: Method = "name_search"


@dataclass(frozen=True)
class Identity:
    """What one service said one track is (``found`` False: it knew no such track)."""

    source: str
    method: Method
    found: bool
    external_id: str | None = None
    isrc: str | None = None
    duration_ms: int | None = None
    score: float | None = None


def _best(column: str, track: str) -> str:
    """SQL for the ``column`` value of the surest identity of the track ``track``."""
    return (
        f"(SELECT i.{column} FROM track_identities AS i WHERE i.track_id = {track}"
        f" AND i.status = 'found' AND i.{column} IS NOT NULL"
        " ORDER BY i.method != 'spotify_id', i.source LIMIT 1)"
    )


def isrc_sql(track: str = "t.id") -> str:
    """SQL for the ISRC a service gave the track ``track`` (NULL when none did)."""
    return _best("isrc", track)


def duration_sql(track: str = "t.id") -> str:
    """SQL for the duration (ms) a service gave the track ``track`` (NULL when none did)."""
    return _best("duration_ms", track)


def write_identity(
    conn: sqlite3.Connection, track_id: int, identity: Identity, fetched_at: str
) -> None:
    """Record what ``identity.source`` said the track is (replacing its earlier answer)."""
    conn.execute(
        "INSERT OR REPLACE INTO track_identities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            track_id,
            identity.source,
            identity.method,
            "found" if identity.found else "not_found",
            identity.external_id,
            identity.isrc,
            identity.duration_ms,
            identity.score,
            fetched_at,
        ),
    )


def asked_tracks(conn: sqlite3.Connection, source: str, method: Method) -> set[int]:
    """The tracks ``source`` was asked about by ``method`` before (found or not)."""
    rows = conn.execute(
        "SELECT track_id FROM track_identities WHERE source = ? AND method = ?", (source, method)
    )
    return {r[0] for r in rows}


# How each track is identified, surest first: an ISRC from the import, its Spotify
# id looked up, a search by names; else not (yet).
_HOW = (
    "SELECT CASE WHEN t.isrc IS NOT NULL THEN 'isrc'"
    " WHEN EXISTS (SELECT 1 FROM track_identities AS i WHERE i.track_id = t.id"
    " AND i.status = 'found' AND i.method = 'spotify_id') THEN 'spotify_id'"
    " WHEN EXISTS (SELECT 1 FROM track_identities AS i WHERE i.track_id = t.id"
    " AND i.status = 'found' AND i.method = 'name_search') THEN 'name_search'"
    " WHEN EXISTS (SELECT 1 FROM track_identities AS i WHERE i.track_id = t.id)"
    " OR EXISTS (SELECT 1 FROM track_lookups AS l WHERE l.track_id = t.id) THEN 'not_found'"
    " ELSE 'not_asked' END AS how, COUNT(*) FROM tracks AS t WHERE t.is_local = 0 GROUP BY how"
)
HOW_ORDER = ("isrc", "spotify_id", "name_search", "not_found", "not_asked")


def identification_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Tracks (local files aside) by how they are identified, every key of
    :data:`HOW_ORDER` present: ``isrc`` (given by the import), ``spotify_id``,
    ``name_search``, ``not_found`` (asked, unknown), ``not_asked``."""
    counts = dict(conn.execute(_HOW).fetchall())
    return {how: int(counts.get(how, 0)) for how in HOW_ORDER}


def name_search_scores(conn: sqlite3.Connection) -> list[float]:
    """The score of every track's best name-search match, lowest first."""
    rows = conn.execute(
        "SELECT MAX(score) FROM track_identities WHERE method = 'name_search'"
        " AND status = 'found' AND score IS NOT NULL GROUP BY track_id ORDER BY 1"
    )
    return [float(r[0]) for r in rows]
