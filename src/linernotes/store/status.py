"""What the store holds: counts, coverage and how tracks were identified, for
``linernotes status``; and the next step a user can take (:func:`next_steps`)."""

from __future__ import annotations

import sqlite3

import msgspec

from linernotes.store.covers import COVER_URL
from linernotes.store.history import history_summary
from linernotes.store.identities import (
    duration_sql,
    identification_counts,
    name_search_scores,
)
from linernotes.store.skipped import SkippedRows, skipped_rows


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


# Tracks per source that gave each field (a track counts once per source).
_BY_SOURCE = {
    "label": "SELECT al.source, COUNT(DISTINCT t.id) FROM tracks AS t JOIN album_labels AS al"
    " ON al.album_id = t.album_id GROUP BY al.source",
    "genre": "SELECT source, COUNT(DISTINCT track_id) FROM (SELECT track_id, source FROM"
    " track_genres UNION SELECT ta.track_id, ag.source FROM track_artists AS ta"
    " JOIN artist_genres AS ag ON ag.artist_id = ta.artist_id) GROUP BY source",
    "audio_features": "SELECT source, COUNT(DISTINCT track_id) FROM audio_features GROUP BY source",
}


def coverage_by_source(conn: sqlite3.Connection) -> dict[str, dict[str, float]]:
    """Return, per field, the share of tracks (0–1) each source filled, sources sorted."""
    tracks = _one(conn, "SELECT COUNT(*) FROM tracks")
    return {
        field: {
            source: round(count / tracks, 4) if tracks else 0.0
            for source, count in sorted(conn.execute(sql).fetchall())
        }
        for field, sql in _BY_SOURCE.items()
    }


class SkippedFile(msgspec.Struct, frozen=True):
    """A file an import passed over, and why."""

    name: str
    reason: str


class Coverage(msgspec.Struct, frozen=True):
    """Shares of tracks (0–1) that have each field, from any source (a duration from
    the import, a service, or the listening history)."""

    cover: float
    label: float
    genre: float
    audio_features: float
    duration: float

    def shares(self) -> dict[str, float]:
        """Field name → share, in the order above."""
        return msgspec.structs.asdict(self)


class Identification(msgspec.Struct, frozen=True):
    """How the tracks (local files aside) are identified, surest first: ``isrc`` given
    by the import, ``spotify_id`` looked up by a service, ``name_search`` found by
    artist and title; ``not_found`` asked but unknown, ``not_asked`` not asked yet.
    Also: the lowest name-search score (None: no name match), the tracks with a
    Spotify id and how many of those have audio features."""

    isrc: int
    spotify_id: int
    name_search: int
    not_found: int
    not_asked: int
    name_search_min_score: float | None
    with_spotify_id: int
    with_spotify_id_and_features: int


class StoreStatus(msgspec.Struct, frozen=True):
    """What the store holds; ``status --json`` prints it as it is (keys in the README)."""

    tracks: int
    liked: int
    playlists: int
    playlist_items: int
    artists: int
    albums: int
    labels: int
    genres: int
    plays: int
    music_plays: int
    plays_by_kind: dict[str, int]
    unresolved_plays: int
    first_play: str | None
    last_play: str | None
    files_imported: int
    files_skipped: list[SkippedFile]
    rows_skipped: list[SkippedRows]
    coverage: Coverage
    coverage_by_source: dict[str, dict[str, float]]
    identification: Identification

    def to_json(self) -> dict[str, object]:
        """Plain JSON values (dicts, lists, numbers, strings), keys in field order."""
        result: dict[str, object] = msgspec.to_builtins(self)
        return result


def store_status(conn: sqlite3.Connection) -> StoreStatus:
    """Return counts, play kinds, date range, coverage (shares of tracks, 0–1) per
    field and per source."""
    tracks = _one(conn, "SELECT COUNT(*) FROM tracks")
    history = history_summary(conn)
    plays = history.plays_by_kind
    return StoreStatus(
        tracks=tracks,
        liked=_one(conn, "SELECT COUNT(*) FROM liked"),
        playlists=_one(conn, "SELECT COUNT(*) FROM playlists"),
        playlist_items=_one(conn, "SELECT COUNT(*) FROM playlist_items"),
        artists=_one(conn, "SELECT COUNT(*) FROM artists"),
        albums=_one(conn, "SELECT COUNT(*) FROM albums"),
        labels=_one(conn, "SELECT COUNT(*) FROM labels"),
        genres=_one(conn, "SELECT COUNT(*) FROM genres"),
        plays=sum(plays.values()),
        music_plays=plays.get("music", 0),
        plays_by_kind=dict(sorted(plays.items())),
        unresolved_plays=history.unresolved,
        first_play=history.first,
        last_play=history.last,
        files_imported=_one(conn, "SELECT COUNT(*) FROM imports"),
        files_skipped=[
            SkippedFile(name, reason)
            for name, reason in conn.execute("SELECT name, reason FROM skipped_files ORDER BY name")
        ],
        rows_skipped=skipped_rows(conn),
        coverage=_coverage(conn, tracks),
        coverage_by_source=coverage_by_source(conn),
        identification=_identification(conn),
    )


def _identification(conn: sqlite3.Connection) -> Identification:
    counts = identification_counts(conn)
    scores = name_search_scores(conn)
    return Identification(
        **counts,
        name_search_min_score=scores[0] if scores else None,
        with_spotify_id=_one(
            conn, "SELECT COUNT(*) FROM tracks WHERE spotify_id IS NOT NULL AND is_local = 0"
        ),
        with_spotify_id_and_features=_one(
            conn,
            "SELECT COUNT(*) FROM tracks AS t WHERE t.spotify_id IS NOT NULL AND t.is_local = 0"
            " AND EXISTS (SELECT 1 FROM audio_features AS f WHERE f.track_id = t.id)",
        ),
    )


def _coverage(conn: sqlite3.Connection, tracks: int) -> Coverage:
    def share(sql: str) -> float:
        return round(_one(conn, sql) / tracks, 4) if tracks else 0.0

    return Coverage(
        cover=share(
            f"SELECT COUNT(*) FROM tracks AS t JOIN albums AS al ON al.id = t.album_id"
            f" WHERE {COVER_URL} IS NOT NULL"
        ),
        label=share(
            "SELECT COUNT(*) FROM tracks AS t WHERE EXISTS (SELECT 1 FROM album_labels"
            " AS al WHERE al.album_id = t.album_id)"
        ),
        genre=share(
            "SELECT COUNT(*) FROM tracks AS t WHERE EXISTS (SELECT 1 FROM track_genres"
            " AS tg WHERE tg.track_id = t.id) OR EXISTS (SELECT 1 FROM track_artists AS ta"
            " JOIN artist_genres AS ag ON ag.artist_id = ta.artist_id"
            " WHERE ta.track_id = t.id)"
        ),
        audio_features=share("SELECT COUNT(DISTINCT track_id) FROM audio_features"),
        duration=round(_with_duration(conn) / tracks, 4) if tracks else 0.0,
    )


def _with_duration(conn: sqlite3.Connection) -> int:
    """Tracks with a duration from the import or a service, or played (then their
    plays tell one: ``history.played_durations``)."""
    return _one(
        conn,
        "SELECT COUNT(*) FROM (SELECT id FROM tracks WHERE COALESCE(duration_ms,"
        f" {duration_sql('id')}) > 0 UNION SELECT track_id FROM plays WHERE kind = 'music'"
        " AND ms_played > 0 AND track_id IS NOT NULL)",
    )


# Below this share of tracks, a field is worth a next step.
LOW = 0.5
ENRICH = "run `linernotes enrich` — no account needed"


def next_steps(status: StoreStatus) -> list[str]:
    """What the user can do next, one line per missing thing and the command that
    fills it ("covers 0 %, labels 0 %: run `linernotes enrich` — no account needed");
    none when nothing is missing."""
    if not status.tracks:
        return ["no tracks yet: run `linernotes import <your Spotify export>`"]
    steps = []
    low = {k: v for k, v in status.coverage.shares().items() if v < LOW}
    if low and status.identification.not_asked:
        steps.append(f"{_percents(low)}: {ENRICH}")
    if not status.playlists:
        steps.append(
            "playlists none: import the account data export (Playlist1.json):"
            " run `linernotes import <folder>`"
        )
    if not status.music_plays:
        steps.append(
            "listening history none: import your streaming history (StreamingHistory*.json"
            " or the extended history): run `linernotes import <folder>`"
        )
    return steps


_PLURAL = {"cover": "covers", "label": "labels", "genre": "genres", "duration": "durations"}


def _percents(shares: dict[str, float]) -> str:
    """``covers 0 %, labels 12 %``."""
    return ", ".join(
        f"{_PLURAL.get(name, name.replace('_', ' '))} {share:.0%}".replace("%", " %")
        for name, share in shares.items()
    )
