"""Write listening history: plays keyed so that overlapping exports count once.

A play's identity (``play_key``) is ``<ts>|<ms_played>|<kind>|<crc of what>``, where
``what`` is the artist + title key (or the episode): names, not URIs, because old
extended histories (endsong, 2020) have no URIs while newer exports of the same
plays do. An account-data play (end time to the minute) and the extended-history
play it copies share the *twin key*: the same string with the time cut to the
minute. It is derived from play_key in SQL, so it costs no column.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

from linernotes.model import AlbumRef, ArtistRef, PlayRecord, TrackRecord
from linernotes.store.writer import LibraryWriter
from linernotes.text import match_key, name_key

# Prepared play: the record, its artist + title key and its identity. Preparing
# needs no store, so it runs in the import's reader process.
Prepared = tuple[PlayRecord, str, str]

# ts is always "YYYY-MM-DDTHH:MM:SSZ" (20 characters): the twin key replaces it
# by its first 16. Keep in step with the index in migrations/0001_library.sql.
TWIN_SQL = "substr({t}.play_key, 1, 16) || substr({t}.play_key, 21)"

# Plays linked to a track carry no names (the track has them): fewer columns to bind.
_INSERT_LINKED = (
    "INSERT OR IGNORE INTO plays (ts, precision, ms_played, kind, track_id, spotify_id,"
    " reason_start, reason_end, shuffle, skipped, offline, incognito, play_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_OTHER = (
    "INSERT OR IGNORE INTO plays (ts, precision, ms_played, kind, spotify_id, match_key,"
    " track_name, artist_name, album_name, episode_id, episode_name, show_name,"
    " reason_start, reason_end, shuffle, skipped, offline, incognito, play_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def prepare(play: PlayRecord) -> Prepared:
    """Return the play with its artist + title key and its identity."""
    key = match_key(play.artist_name or "", play.track_name) if play.track_name else ""
    what = key or play.episode_name or play.episode_id or play.track_id or ""
    # What was played enters the key as a CRC: it only tells apart streams that end
    # in the same second after the same number of milliseconds, and a short key
    # keeps the index small (a third of the insert time on a long history).
    return play, key, f"{play.ts}|{play.ms_played}|{play.kind}|{zlib.crc32(what.encode()):08x}"


def prepare_all(plays: Iterable[PlayRecord]) -> list[Prepared]:
    """:func:`prepare` every play."""
    return [prepare(play) for play in plays]


class PlayResolver:
    """Maps plays to tracks (by Spotify id, else by artist + title) and tells
    podcast rows of old exports from music. Kept across the files of one import,
    so the track tables are read once."""

    def __init__(self, writer: LibraryWriter) -> None:
        conn = writer.conn
        self.by_id: dict[str, int] = dict(
            conn.execute("SELECT spotify_id, id FROM tracks WHERE spotify_id IS NOT NULL")
        )
        # Prefer tracks with a Spotify id: later rows win in dict().
        self.by_key: dict[str, int] = dict(
            conn.execute(
                "SELECT match_key, id FROM tracks ORDER BY spotify_id IS NULL DESC, id DESC"
            )
        )
        self.shows: set[str] = {r[0] for r in conn.execute("SELECT name_key FROM shows")}

    def resolve(self, writer: LibraryWriter, play: PlayRecord, key: str) -> int | None:
        """Return the track of a music play, creating it when its URI is new."""
        if play.track_id:
            track = self.by_id.get(play.track_id)
            if track is None:
                new = key not in self.by_key  # then no track of that name either
                track = writer.track_id(_track_from_play(play), new=new)
                self.by_id[play.track_id] = track
                self.by_key.setdefault(key, track)
            return track
        return self.by_key.get(key) if key else None

    def classify(self, writer: LibraryWriter, prepared: Prepared) -> Prepared:
        """Learn show names from podcast plays; turn an old export's "music" row whose
        artist is a known show (and title no known track) into a podcast play."""
        play, key, _ = prepared
        if play.kind == "podcast" and play.show_name:
            show = name_key(play.show_name)
            if show not in self.shows:
                self.shows.add(show)
                writer.add_show(play.show_name)
        elif (
            play.kind == "music"
            and play.precision == "minute"
            and play.artist_name
            and key not in self.by_key
            and name_key(play.artist_name) in self.shows
        ):
            return prepare(as_podcast(play))
        return prepared


def as_podcast(play: PlayRecord) -> PlayRecord:
    """The podcast reading of a music-shaped row (show as artist, episode as title)."""
    return PlayRecord(
        play.ts,
        play.ms_played,
        "podcast",
        play.precision,
        episode_name=play.track_name,
        show_name=play.artist_name,
    )


def add_plays(
    writer: LibraryWriter,
    plays: Sequence[Prepared] | Iterable[PlayRecord],
    resolver: PlayResolver | None = None,
    *,
    batch: int = 10_000,
) -> None:
    """Insert plays (records, or records prepared by :func:`prepare`), creating tracks
    for unknown URIs and matching rows without URI to known tracks.

    A play already in the store (same identity) is skipped and counted as such.
    """
    resolver = resolver or PlayResolver(writer)
    counts = writer.counts.by_kind
    by_id = resolver.by_id
    linked: list[tuple[object, ...]] = []
    other: list[tuple[object, ...]] = []
    for item in plays:
        prepared = item if isinstance(item, tuple) else prepare(item)
        play = prepared[0]
        if play.precision == "minute" or play.kind == "podcast":
            prepared = resolver.classify(writer, prepared)
            play = prepared[0]
        kind = play.kind
        counts[kind] = counts.get(kind, 0) + 1
        track = None
        if kind == "music":
            # The common case, a known URI, without a call.
            track = by_id.get(play.track_id) if play.track_id else None
            if track is None:
                track = resolver.resolve(writer, play, prepared[1])
        if play.precision == "minute":
            writer.minute_plays += 1
        if track is not None:
            # The track row holds the names: a linked play need not repeat them.
            linked.append(
                (
                    play.ts,
                    play.precision,
                    play.ms_played,
                    kind,
                    track,
                    play.track_id,
                    play.reason_start,
                    play.reason_end,
                    play.shuffle,
                    play.skipped,
                    play.offline,
                    play.incognito,
                    prepared[2],
                )
            )  # sqlite3 stores True/False as 1/0
        else:
            other.append(
                (
                    play.ts,
                    play.precision,
                    play.ms_played,
                    kind,
                    play.track_id,
                    prepared[1],
                    play.track_name,
                    play.artist_name,
                    play.album_name,
                    play.episode_id,
                    play.episode_name,
                    play.show_name,
                    play.reason_start,
                    play.reason_end,
                    play.shuffle,
                    play.skipped,
                    play.offline,
                    play.incognito,
                    prepared[2],
                )
            )
        if len(linked) >= batch:
            _flush(writer, _INSERT_LINKED, linked)
    _flush(writer, _INSERT_LINKED, linked)
    writer.unlinked_plays += len(other)
    _flush(writer, _INSERT_OTHER, other)


def _flush(writer: LibraryWriter, sql: str, rows: list[tuple[object, ...]]) -> None:
    if not rows:
        return
    before = writer.conn.total_changes
    writer.conn.executemany(sql, rows)
    added = writer.conn.total_changes - before
    writer.counts.plays += added
    writer.counts.plays_skipped += len(rows) - added
    rows.clear()


def _track_from_play(play: PlayRecord) -> TrackRecord:
    artists = (ArtistRef(play.artist_name),) if play.artist_name else ()
    album = AlbumRef(play.album_name, artists=artists) if play.album_name else None
    return TrackRecord(
        name=play.track_name or "", artists=artists, spotify_id=play.track_id, album=album
    )


def reconcile_plays(writer: LibraryWriter, since_id: int) -> int:
    """Count each stream once across account data and extended history, and link
    plays without URI to tracks that have since become known.

    ``since_id`` is the highest play id before this import unit: only its new
    plays are compared. Returns how many plays were linked to a track.
    """
    conn = writer.conn
    twin, new_twin = TWIN_SQL.format(t="plays"), TWIN_SQL.format(t="p")
    removed = 0
    # A new extended-history play replaces the minute-precision copy of it.
    if conn.execute("SELECT 1 FROM plays WHERE precision = 'minute' LIMIT 1").fetchone():
        removed += conn.execute(
            f"DELETE FROM plays WHERE precision = 'minute' AND {twin} IN"
            f" (SELECT {new_twin} FROM plays AS p WHERE p.id > ? AND p.precision = 'second')",
            (since_id,),
        ).rowcount
    # A new minute-precision play whose original is already known is dropped: its
    # original ends within the same minute, so it is found through play_key.
    if writer.minute_plays:
        removed += conn.execute(
            "DELETE FROM plays WHERE id > ? AND precision = 'minute' AND EXISTS"
            " (SELECT 1 FROM plays AS p WHERE p.play_key >= substr(plays.ts, 1, 17)"
            " AND p.play_key < substr(plays.ts, 1, 16) || ';'"
            f" AND {new_twin} = {twin} AND p.precision = 'second')",
            (since_id,),
        ).rowcount
    writer.counts.plays -= removed
    writer.counts.plays_skipped += removed
    before = conn.total_changes
    # Plays of this unit found no track when inserted; older unresolved plays can
    # only match a track this unit created. Both lookups go through the index of
    # unresolved plays, so a long history is not scanned again for every file.
    keys = set(writer.new_track_keys)
    if writer.unlinked_plays:
        keys.update(
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT match_key FROM plays WHERE id > ? AND track_id IS NULL"
                " AND kind = 'music' AND match_key != ''",
                (since_id,),
            )
        )
    conn.executemany(
        "UPDATE plays SET track_id = (SELECT t.id FROM tracks AS t WHERE t.match_key = ?"
        " ORDER BY t.spotify_id IS NULL, t.id LIMIT 1)"
        " WHERE track_id IS NULL AND kind = 'music' AND match_key = ?"
        " AND EXISTS (SELECT 1 FROM tracks AS t WHERE t.match_key = ?)",
        [(key, key, key) for key in sorted(keys) if key],
    )
    return conn.total_changes - before
