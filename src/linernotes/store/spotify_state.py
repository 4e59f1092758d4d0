"""What a Spotify sync has done: its state, playlists, staged pages, top items, checks.

Every method runs inside the caller's transaction; a sync writes a unit of
library data and the state that says it is done in the same transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

import msgspec

from linernotes.model import PlaylistItem
from linernotes.text import name_key

log = logging.getLogger(__name__)

_ITEMS = msgspec.json.Decoder(list[PlaylistItem])


class SyncState:
    """Reads and writes the sync tables; ``at`` is the run's UTC timestamp."""

    def __init__(self, conn: sqlite3.Connection, at: str) -> None:
        self.conn = conn
        self.at = at

    # -- facts -------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        """Return the value stored under ``key`` (None when absent)."""
        row = self.conn.execute("SELECT value FROM spotify_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self.conn.execute(
            "INSERT INTO spotify_state VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE"
            " SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, self.at),
        )

    def delete(self, key: str) -> None:
        """Forget ``key``."""
        self.conn.execute("DELETE FROM spotify_state WHERE key = ?", (key,))

    # -- playlists -----------------------------------------------------------------------

    def synced_snapshot(self, spotify_id: str) -> str | None:
        """Return the snapshot id of the playlist's last complete fetch."""
        row = self.conn.execute(
            "SELECT snapshot_id FROM spotify_playlists WHERE spotify_id = ? AND status = 'synced'",
            (spotify_id,),
        ).fetchone()
        return None if row is None else row[0]

    def record_playlist(
        self,
        spotify_id: str,
        name: str,
        *,
        owner: tuple[str | None, str | None],
        collaborative: bool,
        total: int | None,
        status: str,
        snapshot_id: str | None = None,
        playlist_row: int | None = None,
    ) -> None:
        """Remember what the API said about a playlist and what the sync did with it."""
        self.conn.execute(
            "INSERT OR REPLACE INTO spotify_playlists (spotify_id, name, owner_id, owner_name,"
            " collaborative, total, status, snapshot_id, playlist_id, checked_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                spotify_id,
                name,
                owner[0],
                owner[1],
                int(collaborative),
                total,
                status,
                snapshot_id,
                playlist_row,
                self.at,
            ),
        )

    def staged_items(
        self, spotify_id: str, snapshot_id: str
    ) -> tuple[list[PlaylistItem], int | None]:
        """Return the items fetched so far for this snapshot and the offset to go on from
        (0 when nothing is staged, None when every page is in). Pages of an older
        snapshot are dropped."""
        self.conn.execute(
            "DELETE FROM spotify_playlist_pages WHERE spotify_id = ? AND snapshot_id != ?",
            (spotify_id, snapshot_id),
        )
        items: list[PlaylistItem] = []
        offset: int | None = 0
        for next_offset, blob in self.conn.execute(
            "SELECT next_offset, items FROM spotify_playlist_pages WHERE spotify_id = ?"
            " ORDER BY page_offset",
            (spotify_id,),
        ):
            items.extend(_ITEMS.decode(blob))
            offset = None if next_offset is None else int(next_offset)
        return items, offset

    def stage_page(
        self,
        spotify_id: str,
        snapshot_id: str,
        offset: int,
        next_offset: int | None,
        items: list[PlaylistItem],
    ) -> None:
        """Keep one fetched page until the playlist's last page is in."""
        self.conn.execute(
            "INSERT OR REPLACE INTO spotify_playlist_pages VALUES (?, ?, ?, ?, ?)",
            (spotify_id, snapshot_id, offset, next_offset, msgspec.json.encode(items)),
        )

    def drop_pages(self, spotify_id: str) -> None:
        """Forget the staged pages of a playlist (it has been written)."""
        self.conn.execute("DELETE FROM spotify_playlist_pages WHERE spotify_id = ?", (spotify_id,))

    def link_playlist(self, spotify_id: str, name: str, owner: str | None) -> int | None:
        """Give the playlist known from an export that is this API playlist its Spotify id;
        return its row id (None when there is no single candidate).

        A candidate has no Spotify id yet, the same owner or none known, and the same
        name: spelled exactly the same when one such exists ("Chill" and "CHILL" are two
        playlists), else the same after case and punctuation folding.
        """
        rows = self.conn.execute(
            "SELECT id, name, owner, spotify_id FROM playlists WHERE source != 'spotify'"
            " AND (spotify_id IS NULL OR spotify_id = ?) ORDER BY id",
            (spotify_id,),
        ).fetchall()
        linked = [r for r in rows if r[3] == spotify_id]
        if linked:
            return int(linked[0][0])
        candidates = [r for r in rows if r[2] in (None, owner)]
        exact = [r for r in candidates if r[1] == name]
        wanted = name_key(name.replace("_", " "))
        folded = [r for r in candidates if name_key(r[1].replace("_", " ")) == wanted]
        same = exact if len(exact) == 1 else folded
        if len(same) != 1:
            return None
        self.conn.execute(
            "UPDATE playlists SET spotify_id = ?, owner = COALESCE(owner, ?) WHERE id = ?",
            (spotify_id, owner, same[0][0]),
        )
        return int(same[0][0])

    def not_readable(self) -> list[str]:
        """Return the names of the playlists the API refuses to show, by name."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM spotify_playlists WHERE status = 'not_readable' ORDER BY name"
            )
        ]

    # -- top items, recently played ------------------------------------------------------

    def replace_top(self, kind: str, time_range: str, rows: list[int]) -> None:
        """Store Spotify's ranking of ``kind`` ("tracks" or "artists") over ``time_range``."""
        self.conn.execute(
            "DELETE FROM spotify_top WHERE kind = ? AND time_range = ?", (kind, time_range)
        )
        column = "track_id" if kind == "tracks" else "artist_id"
        self.conn.executemany(
            f"INSERT INTO spotify_top (kind, time_range, position, {column}, fetched_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(kind, time_range, position, row, self.at) for position, row in enumerate(rows)],
        )

    def add_recent(self, plays: Iterable[tuple[str, int, str | None]]) -> int:
        """Add (played_at, track row, context URI) rows; return how many were new."""
        added = 0
        for play in plays:
            added += self.conn.execute(
                "INSERT OR IGNORE INTO spotify_recent VALUES (?, ?, ?)", play
            ).rowcount
        return added

    # -- completing export-only tracks ---------------------------------------------------

    def tracks_to_complete(self) -> list[str]:
        """Return the Spotify ids of tracks no API answer has described yet (no album, no
        cover or no ISRC: an export names a track, the API always gives its ISRC) and that
        were never looked up, most listened first (time in the streaming history), then
        oldest first."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT t.spotify_id FROM tracks AS t LEFT JOIN albums AS a ON a.id = t.album_id"
                " LEFT JOIN (SELECT track_id, SUM(ms_played) AS ms FROM plays"
                " WHERE track_id IS NOT NULL GROUP BY track_id) AS p ON p.track_id = t.id"
                " WHERE t.spotify_id IS NOT NULL AND t.is_local = 0"
                " AND (a.id IS NULL OR a.image_url IS NULL OR t.isrc IS NULL)"
                " AND NOT EXISTS (SELECT 1 FROM spotify_track_checks AS c"
                " WHERE c.spotify_id = t.spotify_id)"
                " ORDER BY COALESCE(p.ms, 0) DESC, t.id"
            )
        ]

    def check_track(self, spotify_id: str, status: str) -> None:
        """Remember that a track was looked up (``completed`` or ``not_found``)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO spotify_track_checks VALUES (?, ?, ?)",
            (spotify_id, status, self.at),
        )

    # -- refused endpoints ---------------------------------------------------------------

    def record_skipped(self, endpoint: str, message: str) -> None:
        """Remember that ``endpoint`` answered 403 (removed or not allowed)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO spotify_skipped VALUES (?, ?, ?)", (endpoint, message, self.at)
        )

    def clear_skipped(self, endpoint: str) -> None:
        """Forget a refusal (the endpoint answered again)."""
        self.conn.execute("DELETE FROM spotify_skipped WHERE endpoint = ?", (endpoint,))

    # -- fixes the generic writer does not make ------------------------------------------

    def set_artist_image(self, artist_row: int, url: str) -> None:
        """Give an artist its picture when it has none."""
        self.conn.execute(
            "UPDATE artists SET image_url = COALESCE(image_url, ?) WHERE id = ?", (url, artist_row)
        )

    def prefer_album(self, track_row: int, album_row: int) -> None:
        """Point a track at the album Spotify names for it when its current album is only
        a name from an export (the export's album is keyed by the track's first artist,
        Spotify's by the album's, so a compilation would otherwise never get a cover)."""
        self.conn.execute(
            "UPDATE tracks SET album_id = ? WHERE id = ? AND album_id IS NOT ? AND"
            " (album_id IS NULL OR (SELECT spotify_id FROM albums WHERE id = tracks.album_id)"
            " IS NULL)",
            (album_row, track_row, album_row),
        )
