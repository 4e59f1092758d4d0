"""One record type per kind of file: what each parses to and what writing it adds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from linernotes.model import FileKind
from linernotes.sources.export import LibraryFile
from linernotes.sources.importer import (
    ExportifyLiked,
    ExportifyPlaylist,
    FileRecords,
    FollowFile,
    Importer,
    PackedPlays,
    PlaylistsFile,
    detect_kind,
    parse_file,
)
from linernotes.sources.inputs import InputFile
from linernotes.store import Store

URI = "spotify:track:4uLU6hMCjMI75M1A2tKUQC"
CSV_HEADER = "Track URI,Track Name,Artist Name(s),Album Name,Added At\n"
CSV_ROW = f"{URI},Song,Ana,Album,2024-01-01T00:00:00Z\n"
EXTENDED_PLAY = {"ts": "2024-01-01T10:00:00Z", "ms_played": 1000, "spotify_track_uri": URI}


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


# id: (file name, bytes, the kind detected, the record type, table → rows it adds)
FILES: dict[str, tuple[str, bytes, FileKind, type[FileRecords], dict[str, int]]] = {
    "library": (
        "YourLibrary.json",
        _json(
            {
                "tracks": [{"artist": "Ana", "album": "Album", "track": "Song", "uri": URI}],
                "artists": [{"name": "Bo", "uri": "spotify:artist:1" + "a" * 21}],
                "shows": [{"name": "Night Talk"}],
                "bannedTracks": [],
            }
        ),
        "library",
        LibraryFile,
        {"liked": 1, "followed_artists": 1, "shows": 1},
    ),
    "playlists": (
        "Playlist1.json",
        _json(
            {
                "playlists": [
                    {"name": "Mix", "items": [{"track": {"trackName": "Song", "trackUri": URI}}]},
                    {"name": "Empty", "items": []},
                ]
            }
        ),
        "playlists",
        PlaylistsFile,
        {"playlists": 2, "playlist_items": 1},
    ),
    "follow": (
        "Follow.json",
        _json({"followerCount": 3, "followingArtists": ["Ana", "Bo"]}),
        "follow",
        FollowFile,
        {"followed_artists": 2},
    ),
    "exportify-playlist": (
        "Road_Trip.csv",
        (CSV_HEADER + CSV_ROW).encode(),
        "exportify",
        ExportifyPlaylist,
        {"playlists": 1, "playlist_items": 1, "liked": 0},
    ),
    "exportify-liked": (
        "Liked_Songs.csv",
        (CSV_HEADER + CSV_ROW).encode(),
        "exportify",
        ExportifyLiked,
        {"liked": 1, "playlists": 0},
    ),
    "extended": (
        "Streaming_History_Audio_2024_0.json",
        _json([EXTENDED_PLAY, {**EXTENDED_PLAY, "ts": "2024-01-02T10:00:00Z"}]),
        "extended",
        PackedPlays,
        {"plays": 2},
    ),
    "video": (
        "Streaming_History_Video_2024.json",
        _json([{"ts": "2024-01-01T10:00:00Z", "ms_played": 5}]),
        "video",
        PackedPlays,
        {"plays": 1},
    ),
    "account-history": (
        "StreamingHistory_music_0.json",
        _json([{"endTime": "2024-01-01 10:00", "trackName": "Song", "msPlayed": 1000}]),
        "account_history",
        PackedPlays,
        {"plays": 1},
    ),
}


@pytest.mark.parametrize(
    ("name", "data", "kind", "record_type", "rows"), list(FILES.values()), ids=list(FILES)
)
def test_each_kind_of_file_parses_to_its_own_type_and_writes_its_rows(
    store: Store,
    name: str,
    data: bytes,
    kind: FileKind,
    record_type: type[FileRecords],
    rows: dict[str, int],
) -> None:
    assert detect_kind(name, data) == kind
    parsed = parse_file(InputFile(name, Path(name), content=data), kind)
    assert type(parsed.records) is record_type
    result = Importer(store).write(parsed)
    assert (result.status, result.kind) == ("imported", kind)
    for table, count in rows.items():
        assert store.scalar(f"SELECT COUNT(*) FROM {table}") == count, table
    sources = {
        row[0]
        for row in store.conn.execute("SELECT source FROM artists UNION SELECT source FROM tracks")
    }
    expected = {"exportify" if kind == "exportify" else "export"}
    assert sources == (expected if kind not in ("video", "account_history") else sources & expected)


def test_a_file_already_imported_is_not_parsed_again(store: Store) -> None:
    name, data, kind, _, _ = FILES["follow"]
    item = InputFile(name, Path(name), content=data)
    Importer(store).write(parse_file(item, kind))
    known = parse_file(item, kind, frozenset({hashlib.sha256(data).hexdigest()}))
    assert known.records is None
    assert Importer(store).write(known).status == "unchanged"
    # Parsed again by someone who did not know: the store still says it is known.
    assert Importer(store).write(parse_file(item, kind)).status == "unchanged"
    assert store.scalar("SELECT COUNT(*) FROM followed_artists") == 2
