"""Conformance with the real-data corpus (``$LINERNOTES_REALDATA``, see its SOURCES.md).

Every file of every export folder and every Exportify CSV is imported alone into
a fresh store; what the import adds must equal what the file holds, counted here
with the plain ``json`` and ``csv`` modules. Counting rules (the report explains
each choice):

* a play is one stream: rows that agree on time, milliseconds played and what was
  played are one play, whatever else differs (``offline_timestamp`` of a synced
  copy, or nothing at all in an exact duplicate row);
* a track with a Spotify id is one per id; a track known only by name (old
  exports, local files) is one per *song*: artist + title compared
  case-insensitively, with Unicode, curly quotes and dashes folded and a
  featured-artist suffix ("(feat. …)", "(with …)") ignored, album ignored. Any
  other character of the title counts: "In the Flesh?" is not "In the Flesh";
* a liked track is one per track, as above;
* account-data history names no track, so it adds plays but no track rows.

Each export folder is then imported whole and its atlas built and link-checked.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

from linernotes.config import Config
from linernotes.pipeline import build as build_atlas
from linernotes.sources.importer import import_paths
from linernotes.store import open_store
from tests.atlas_check import check_site

# Collection needs the file list before fixtures run; the `realdata` fixture
# still decides whether the tests run (it skips when the variable is unset).
_ROOT = Path(os.environ.get("LINERNOTES_REALDATA", "/nonexistent"))
EXPORTS = _ROOT / "spotify_export"
EXPORTIFY = _ROOT / "exportify"

# Fields Spotify puts in extended histories that must never reach the store.
PRIVATE_FIELDS = (
    "ip_addr",
    "ip_addr_decrypted",
    "conn_country",
    "user_agent_decrypted",
    "username",
)


def _corpus_files() -> list[Path]:
    files = sorted(p for p in EXPORTS.rglob("*.json") if p.is_file()) if EXPORTS.is_dir() else []
    if EXPORTIFY.is_dir():
        files += sorted(p for p in EXPORTIFY.rglob("*.csv") if p.is_file())
    return files


def _export_folders() -> list[Path]:
    return sorted(p for p in EXPORTS.iterdir() if p.is_dir()) if EXPORTS.is_dir() else []


# Files where linernotes disagrees with the counts a person would expect: each is a
# bug described in the reason (and in the report that came with these tests).
# Files linernotes still gets wrong (a strict xfail each, with the reason); empty now.
KNOWN_BUGS: dict[str, str] = {}


def _params(paths: Iterable[Path], base: Path) -> list[Any]:
    params = []
    for path in paths:
        name = path.relative_to(base).as_posix()
        marks = []
        if name in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
        params.append(pytest.param(path, id=name, marks=marks))
    return params or [pytest.param(None, id="no-realdata")]


# -- counting, independently of linernotes ---------------------------------------------

_FEAT = re.compile(r"\s*[(\[]\s*(?:feat\.?|ft\.?|with)\s[^)\]]*[)\]]", re.IGNORECASE)
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _fold(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").translate(_TYPOGRAPHY).casefold()
    return " ".join(folded.split())


def _song(artist: str | None, title: str | None) -> tuple[str, str, str]:
    """A track known only by name: artist + title, featured artists ignored."""
    return ("song", _fold(artist), _fold(_FEAT.sub("", title or "")))


def _local(uri: str) -> tuple[str, str, str]:
    """A local file (``spotify:local:artist:album:title:seconds``) is a song too."""
    artist, _album, title = (unquote_plus(part) for part in uri.split(":")[2:5])
    return ("local", *_song(artist, title)[1:])


@dataclass
class Expected:
    """What a file should add to an empty store."""

    kind: str
    tracks: int = 0
    liked: int = 0
    playlists: int = 0
    playlist_items: int = 0
    plays: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # rows seen, per kind
    stored_by_kind: dict[str, int] = field(default_factory=dict)  # plays kept, per kind


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def expected_for(path: Path) -> Expected:
    """Return what importing ``path`` alone must add, from the file's format."""
    name = path.name.casefold()
    if name.endswith(".csv"):
        return _expected_exportify(path)
    if re.match(r"playlist\d*\.json$", name):
        return _expected_playlists(_load_json(path))
    if name == "yourlibrary.json":
        return _expected_library(_load_json(path))
    if name == "follow.json":
        return Expected("follow")
    if name.startswith("streaminghistory"):
        return _expected_account_history(_load_json(path))
    if name.startswith(("streaming_history_video", "endvideo")):
        return _expected_extended(_load_json(path), video=True)
    if name.startswith(("streaming_history_audio", "endsong")):
        return _expected_extended(_load_json(path), video=False)
    raise AssertionError(f"no counting rule for {path}")


def _expected_playlists(document: dict[str, Any]) -> Expected:
    items = 0
    tracks: set[tuple[str, ...]] = set()
    for playlist in document["playlists"]:
        for item in playlist["items"]:
            track, local = item.get("track"), item.get("localTrack")
            if track:
                uri = track.get("trackUri")
                tracks.add(("uri", uri) if uri else _song(track["artistName"], track["trackName"]))
            elif local and local.get("uri"):
                tracks.add(_local(local["uri"]))
            elif not (item.get("episode") or item.get("audiobook")):
                continue  # an empty item: nothing to keep
            items += 1
    return Expected(
        "playlists", tracks=len(tracks), playlists=len(document["playlists"]), playlist_items=items
    )


def _expected_library(document: dict[str, Any]) -> Expected:
    saved = {
        ("uri", t["uri"]) if t.get("uri") else _song(t.get("artist"), t["track"])
        for t in document.get("tracks", [])
        if t.get("track")
    }
    return Expected("library", tracks=len(saved), liked=len(saved))


def _account_kind(row: dict[str, Any]) -> str:
    if row.get("podcastName") or row.get("episodeName"):
        return "podcast"
    if row.get("audiobookName") or row.get("chapterName"):
        return "audiobook"
    return "music" if row.get("trackName") else "unknown"


def _expected_account_history(rows: list[dict[str, Any]]) -> Expected:
    names = ("trackName", "artistName", "episodeName", "podcastName", "chapterName")
    streams = {(r["endTime"], r["msPlayed"], *(r.get(n) for n in names)): r for r in rows}
    return Expected(
        "account_history",
        plays=len(streams),
        by_kind=dict(Counter(_account_kind(r) for r in rows)),
        stored_by_kind=dict(Counter(_account_kind(r) for r in streams.values())),
    )


_WHAT = (
    "spotify_track_uri",
    "spotify_episode_uri",
    "audiobook_uri",
    "master_metadata_track_name",
    "master_metadata_album_artist_name",
    "episode_name",
    "episode_show_name",
    "audiobook_title",
    "audiobook_chapter_title",
)


def _extended_kind(row: dict[str, Any], video: bool) -> str:
    if video:
        return "video"
    if row.get("spotify_episode_uri") or row.get("episode_name"):
        return "podcast"
    if row.get("audiobook_uri") or row.get("audiobook_title"):
        return "audiobook"
    if row.get("spotify_track_uri") or row.get("master_metadata_track_name"):
        return "music"
    return "unknown"


def _expected_extended(rows: list[dict[str, Any]], *, video: bool) -> Expected:
    streams = {(r["ts"], r["ms_played"], *(r.get(n) for n in _WHAT)): r for r in rows}
    uris = {
        r["spotify_track_uri"]
        for r in rows
        if r.get("spotify_track_uri") and _extended_kind(r, video) == "music"
    }
    return Expected(
        "video" if video else "extended",
        tracks=len(uris),
        plays=len(streams),
        by_kind=dict(Counter(_extended_kind(r, video) for r in rows)),
        stored_by_kind=dict(Counter(_extended_kind(r, video) for r in streams.values())),
    )


# Exportify names its URI column differently in each build and language (SOURCES.md).
_URI_COLUMNS = {"track uri", "track id", "spotify id", "track-uri"}


def _expected_exportify(path: Path) -> Expected:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    column = next(i for i, cell in enumerate(header) if cell.strip().casefold() in _URI_COLUMNS)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    tracks = set()
    for row in rows:
        uri = row[column].strip()
        tracks.add(_local(uri) if uri.startswith("spotify:local:") else ("uri", uri.split(":")[-1]))
    # Exportify names the Liked Songs export liked.csv / liked_songs.csv / Liked_Songs.csv;
    # people keep dated copies (liked_songs_2024-12.csv).
    if path.stem.casefold().startswith("liked"):
        return Expected("exportify", tracks=len(tracks), liked=len(tracks))
    return Expected("exportify", tracks=len(tracks), playlists=1, playlist_items=len(rows))


# -- what the store holds -----------------------------------------------------------------


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        for table in ("tracks", "liked", "playlists", "playlist_items", "plays")
    }


def iter_text_cells(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    """Yield (table, column, value) for every text value of every table."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        for column in columns:
            sql = f'SELECT DISTINCT "{column}" FROM "{table}" WHERE typeof("{column}") = \'text\''
            for (value,) in conn.execute(sql):
                yield table, column, value


def private_values(rows: Iterable[dict[str, Any]]) -> set[str]:
    """The personal values in history rows ('unknown' is Spotify's placeholder)."""
    return {
        value
        for row in rows
        for key in PRIVATE_FIELDS
        if isinstance(value := row.get(key), str) and value and value != "unknown"
    }


def find_leaks(conn: sqlite3.Connection, values: set[str]) -> list[str]:
    """Cells holding a personal value. Country codes are two letters, so they only
    count as a whole cell ("XA" is inside "XANADU"); longer values count anywhere."""
    short = {v for v in values if len(v) <= 3}
    long = values - short
    return [
        f"{table}.{column} = {cell[:80]!r}"
        for table, column, cell in iter_text_cells(conn)
        if cell in short or any(v in cell for v in long)
    ]


# -- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", _params(_corpus_files(), _ROOT))
def test_each_file_alone_adds_what_it_holds(realdata: Path, path: Path) -> None:
    expected = expected_for(path)
    with open_store(None) as store:
        report = import_paths(store, [path])
        assert len(report.files) == 1
        result = report.files[0]
        assert (result.status, result.reason) == ("imported", "")
        c = result.counts
        actual = Expected(
            result.kind,
            tracks=c.tracks,
            liked=c.liked,
            playlists=c.playlists,
            playlist_items=c.playlist_items,
            plays=c.plays,
            by_kind={k: n for k, n in c.by_kind.items() if n},
            stored_by_kind=dict(
                store.conn.execute("SELECT kind, COUNT(*) FROM plays GROUP BY kind").fetchall()
            ),
        )
        assert actual == expected
        # What the report says was added is what the store holds.
        stored = _table_counts(store.conn)
        wanted = asdict(expected)
        assert stored == {k: wanted[k] for k in stored}
        assert c.plays_skipped == sum(expected.by_kind.values()) - expected.plays


def _history_files() -> list[Path]:
    return [
        p
        for p in _corpus_files()
        if p.suffix == ".json" and re.match(r"(endsong|endvideo|streaming_history_)", p.name, re.I)
    ]


@pytest.mark.parametrize("path", _params(_history_files(), _ROOT))
def test_personal_fields_are_not_stored(realdata: Path, path: Path) -> None:
    rows = _load_json(path)
    values = private_values(rows)
    assert values, "an extended history names at least an IP address or a country"
    with open_store(None) as store:
        import_paths(store, [path])
        columns = {
            column
            for (table,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            for column in (r[1] for r in store.conn.execute(f'PRAGMA table_info("{table}")'))
        }
        assert not columns & set(PRIVATE_FIELDS)
        assert store.scalar("SELECT COUNT(*) FROM plays") != 0
        assert find_leaks(store.conn, values) == []


@pytest.mark.slow
@pytest.mark.parametrize("folder", _params(_export_folders(), EXPORTS))
def test_export_folder_builds_an_atlas_without_broken_links(
    realdata: Path, folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "library.db"
    with open_store(db) as store:
        report = import_paths(store, [folder])
        assert {f.status for f in report.files} == {"imported"}
        assert len(report.files) == sum(1 for p in folder.rglob("*") if p.is_file())
        build_atlas(store, Config(), tmp_path / "site")
    site = check_site(tmp_path / "site")
    assert site.pages > 1
    assert (site.broken, site.outside, site.bad_rows) == ([], [], [])
    # No personal value of any history file anywhere in the store's bytes.
    values = set()
    for path in folder.rglob("*.json"):
        document = _load_json(path)
        if isinstance(document, list):
            values |= private_values(document)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("library.db*"))
    assert [v for v in values if len(v) > 3 and v.encode() in raw] == []


def test_counting_rules_on_a_handmade_file(tmp_path: Path) -> None:
    """The counting helpers above, checked on rows whose answer is obvious."""
    rows = [
        {"ts": "2020-01-01T10:00:00Z", "ms_played": 5, "spotify_track_uri": "spotify:track:a"},
        {"ts": "2020-01-01T10:00:00Z", "ms_played": 5, "spotify_track_uri": "spotify:track:a"},
        {"ts": "2020-01-01T10:00:01Z", "ms_played": 5, "spotify_episode_uri": "spotify:episode:e"},
        {"ts": "2020-01-01T10:00:02Z", "ms_played": 5},
    ]
    expected = _expected_extended(rows, video=False)
    assert (expected.plays, expected.tracks) == (3, 1)
    assert expected.by_kind == {"music": 2, "podcast": 1, "unknown": 1}
    assert expected.stored_by_kind == {"music": 1, "podcast": 1, "unknown": 1}
    assert _song("Drake", "One Dance (feat. Wizkid & Kyla)") == _song("DRAKE", "One  Dance")
    assert _song("Pink Floyd", "In the Flesh?") != _song("Pink Floyd", "In the Flesh")
    assert _local("spotify:local:A+B:Al:Sa%27s+Song:100") == ("local", "a b", "sa's song")
    liked = tmp_path / "liked_songs_2024-12.csv"
    liked.write_text("Track URI,Track Name\nspotify:track:x,X\n\nspotify:track:x,X\n")
    assert _expected_exportify(liked) == Expected("exportify", tracks=1, liked=1)
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE t (a TEXT, b INTEGER)")
        conn.execute("INSERT INTO t VALUES ('XANADU by 192.0.2.7', 3), ('XA', 4)")
        assert find_leaks(conn, {"XB", "198.51.100.1"}) == []
        assert find_leaks(conn, {"192.0.2.7"}) == ["t.a = 'XANADU by 192.0.2.7'"]
        assert find_leaks(conn, {"XA"}) == ["t.a = 'XA'"]
