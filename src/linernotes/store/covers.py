"""Covers in the store: each album's cover URL, the releases to ask the Cover Art
Archive about, and what became of every cover URL ``enrich`` followed (schema 4)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

MUSICBRAINZ = "musicbrainz"
CACHED, REFUSED, NOT_FOUND, FOUND = "cached", "refused", "not_found", "found"

# The cover URL an album shows: its own (export, Spotify, Exportify, a provider), else
# the front image a cover source found for its release.
COVER_URL = (
    "COALESCE(al.image_url, (SELECT c.url FROM cover_lookups AS c WHERE c.album_id = al.id"
    " AND c.status = 'found' ORDER BY c.source LIMIT 1))"
)
# Music listened per album, most first: the order covers are fetched in.
_BY_LISTENING = (
    "LEFT JOIN (SELECT t.album_id, SUM(p.ms_played) AS ms FROM plays AS p JOIN tracks AS t"
    " ON t.id = p.track_id WHERE p.kind = 'music' GROUP BY t.album_id) AS heard"
    " ON heard.album_id = al.id"
)


@dataclass(frozen=True)
class ReleaseQuery:
    """An album without a cover URL whose release a provider matched."""

    album_id: int
    release_id: str


def releases_to_look_up(conn: sqlite3.Connection, source: str) -> list[ReleaseQuery]:
    """Albums with no cover URL, a MusicBrainz release, and no lookup by ``source`` yet,
    most listened first."""
    rows = conn.execute(
        "SELECT al.id, x.external_id FROM albums AS al JOIN album_external_ids AS x"
        f" ON x.album_id = al.id AND x.source = ? {_BY_LISTENING}"
        " WHERE al.image_url IS NULL AND NOT EXISTS (SELECT 1 FROM cover_lookups AS c"
        " WHERE c.album_id = al.id AND c.source = ?)"
        " ORDER BY COALESCE(heard.ms, 0) DESC, al.id",
        (MUSICBRAINZ, source),
    )
    return [ReleaseQuery(album, release) for album, release in rows]


def record_cover_lookup(
    conn: sqlite3.Connection, album_id: int, source: str, url: str | None, fetched_at: str
) -> None:
    """Remember that ``source`` was asked about the album: the URL it gave, or none."""
    conn.execute(
        "INSERT OR REPLACE INTO cover_lookups VALUES (?, ?, ?, ?, ?)",
        (album_id, source, FOUND if url else NOT_FOUND, url, fetched_at),
    )


def cover_urls(conn: sqlite3.Connection) -> list[str]:
    """Every album's cover URL, once each, the most listened album's first."""
    rows = conn.execute(
        f"SELECT {COVER_URL} AS url FROM albums AS al {_BY_LISTENING}"
        " WHERE url IS NOT NULL ORDER BY COALESCE(heard.ms, 0) DESC, al.id"
    )
    return list(dict.fromkeys(url for (url,) in rows))


def download_states(conn: sqlite3.Connection) -> dict[str, str]:
    """What became of every cover URL followed: ``cached``, ``refused`` or ``not_found``."""
    return dict(conn.execute("SELECT url, status FROM cover_downloads").fetchall())


def record_download(
    conn: sqlite3.Connection, url: str, status: str, reason: str | None, fetched_at: str
) -> None:
    """Remember what became of the cover URL ``url`` (and why, when it was refused)."""
    conn.execute(
        "INSERT OR REPLACE INTO cover_downloads VALUES (?, ?, ?, ?)",
        (url, status, reason, fetched_at),
    )


def refusals(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(url, reason)`` of every cover URL refused, by URL."""
    return conn.execute(
        "SELECT url, COALESCE(reason, '') FROM cover_downloads WHERE status = ? ORDER BY url",
        (REFUSED,),
    ).fetchall()
