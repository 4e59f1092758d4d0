"""Write listening history: plays keyed so that overlapping exports count once."""

from __future__ import annotations

from collections.abc import Iterable

from linernotes.model import AlbumRef, ArtistRef, PlayRecord, TrackRecord
from linernotes.store.writer import LibraryWriter, play_key
from linernotes.text import match_key

_INSERT = (
    "INSERT OR IGNORE INTO plays (ts, minute, precision, ms_played, kind, track_id, spotify_id,"
    " match_key, track_name, artist_name, album_name, episode_id, episode_name, show_name,"
    " reason_start, reason_end, shuffle, skipped, offline, incognito, play_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def add_plays(writer: LibraryWriter, plays: Iterable[PlayRecord], *, batch: int = 5000) -> None:
    """Insert ``plays``, creating tracks for unknown URIs and matching rows without URI.

    A play already in the store (same key) is skipped and counted as such.
    """
    by_key = _known_match_keys(writer)
    by_id: dict[str, int] = dict(
        writer.conn.execute("SELECT spotify_id, id FROM tracks WHERE spotify_id IS NOT NULL")
    )
    rows: list[tuple[object, ...]] = []
    for play in plays:
        key = match_key(play.artist_name or "", play.track_name) if play.track_name else ""
        track = None
        if play.kind == "music":
            if play.track_id:
                track = by_id.get(play.track_id)
                if track is None:
                    track = by_id[play.track_id] = writer.track_id(_track_from_play(play))
                    by_key.setdefault(key, track)
            elif key:
                track = by_key.get(key)
        writer.counts.by_kind[play.kind] = writer.counts.by_kind.get(play.kind, 0) + 1
        rows.append(_row(play, track, key))
        if len(rows) >= batch:
            _flush(writer, rows)
    _flush(writer, rows)


def _flush(writer: LibraryWriter, rows: list[tuple[object, ...]]) -> None:
    if not rows:
        return
    before = writer.conn.total_changes
    writer.conn.executemany(_INSERT, rows)
    added = writer.conn.total_changes - before
    writer.counts.plays += added
    writer.counts.plays_skipped += len(rows) - added
    rows.clear()


def _known_match_keys(writer: LibraryWriter) -> dict[str, int]:
    """Map artist + title keys to tracks, preferring tracks with a Spotify id."""
    rows = writer.conn.execute(
        "SELECT match_key, id FROM tracks ORDER BY spotify_id IS NULL DESC, id DESC"
    )
    return dict(rows.fetchall())


def _track_from_play(play: PlayRecord) -> TrackRecord:
    artists = (ArtistRef(play.artist_name),) if play.artist_name else ()
    album = AlbumRef(play.album_name, artists=artists) if play.album_name else None
    return TrackRecord(
        name=play.track_name or "", artists=artists, spotify_id=play.track_id, album=album
    )


def _row(play: PlayRecord, track: int | None, key: str) -> tuple[object, ...]:
    minute = play.ts[:16]
    return (
        play.ts,
        minute,
        play.precision,
        play.ms_played,
        play.kind,
        track,
        play.track_id,
        key,
        play.track_name,
        play.artist_name,
        play.album_name,
        play.episode_id,
        play.episode_name,
        play.show_name,
        play.reason_start,
        play.reason_end,
        _int(play.shuffle),
        _int(play.skipped),
        _int(play.offline),
        _int(play.incognito),
        play_key(play, key),
    )


def _int(value: bool | None) -> int | None:
    return None if value is None else int(value)


def reconcile_plays(writer: LibraryWriter) -> int:
    """Drop minute-precision plays that an extended-history play already records,
    and link plays without URI to tracks that have since become known.

    Returns how many plays were linked to a track.
    """
    conn = writer.conn
    cursor = conn.execute(
        "DELETE FROM plays WHERE precision = 'minute' AND EXISTS (SELECT 1 FROM plays AS p"
        " WHERE p.precision = 'second' AND p.minute = plays.minute"
        " AND p.ms_played = plays.ms_played AND p.match_key = plays.match_key"
        " AND p.kind = plays.kind)"
    )
    # Those plays were already known, from the other export.
    writer.counts.plays -= cursor.rowcount
    writer.counts.plays_skipped += cursor.rowcount
    before = conn.total_changes
    conn.execute(
        "UPDATE plays SET track_id = (SELECT t.id FROM tracks AS t"
        " WHERE t.match_key = plays.match_key ORDER BY t.spotify_id IS NULL, t.id LIMIT 1)"
        " WHERE track_id IS NULL AND kind = 'music' AND match_key != ''"
        " AND EXISTS (SELECT 1 FROM tracks AS t WHERE t.match_key = plays.match_key)"
    )
    return conn.total_changes - before
