"""Exports as people download them: zips, folders, single files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from linernotes.errors import ImportFormatError
from linernotes.sources import inputs
from linernotes.sources.importer import detect_kind, import_paths
from linernotes.store import Store

LIBRARY = {
    "tracks": [
        {
            "artist": "Ana",
            "album": "A",
            "track": "Song",
            "uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
        }
    ],
    "albums": [],
    "shows": [{"name": "Night Talk", "publisher": "X"}],
    "episodes": [],
    "bannedTracks": [],
    "other": [],
}
HISTORY = [
    {"endTime": "2024-01-01 10:00", "artistName": "Ana", "trackName": "Song", "msPlayed": 180000},
    {
        "endTime": "2024-01-01 11:00",
        "artistName": "Night Talk",
        "trackName": "Episode 4",
        "msPlayed": 900000,
    },
]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_account_data_zip_with_unsafe_entries(store: Store, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "my_spotify_data.zip",
        {
            "MyData/YourLibrary.json": json.dumps(LIBRARY).encode(),
            "MyData/StreamingHistory0.json": json.dumps(HISTORY).encode(),
            "MyData/Read Me First.pdf": b"%PDF-1.4",
            "../evil.json": b"[]",
            "/abs.json": b"[]",
        },
    )
    report = import_paths(store, [archive])
    status = {Path(f.name.split("!")[-1]).name: (f.status, f.reason) for f in report.files}
    assert status["evil.json"] == ("skipped", "unsafe path inside zip")
    assert status["abs.json"] == ("skipped", "unsafe path inside zip")
    assert status["Read Me First.pdf"][0] == "skipped"
    assert report.counts.liked == 1
    # The old layout mixes podcasts into music rows; a saved show tells them apart.
    kinds = dict(store.conn.execute("SELECT kind, COUNT(*) FROM plays GROUP BY kind").fetchall())
    assert kinds == {"music": 1, "podcast": 1}
    assert store.scalar("SELECT COUNT(*) FROM plays WHERE track_id IS NOT NULL") == 1
    again = import_paths(store, [archive])
    assert {f.status for f in again.files if f.status != "skipped"} == {"unchanged"}


def test_truncated_zip_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "export.zip", {"YourLibrary.json": json.dumps(LIBRARY).encode()})
    archive.write_bytes(archive.read_bytes()[:-40])
    with pytest.raises(ImportFormatError, match=r"export\.zip"):
        import_paths(store, [archive])


def test_absurd_zip_is_refused(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"a.json": b"[" + b" " * 5000 + b"]"})
    monkeypatch.setattr(inputs, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(ImportFormatError, match="refusing"):
        import_paths(store, [archive])


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        (
            "StreamingHistory0.json",
            b'[{"endTime" : "2020-01-01 10:00", "msPlayed": 1}]',
            "account_history",
        ),
        (
            "renamed.json",
            b'[\n  {\n    "ts" : "2011-01-01T10:00:00Z", "ms_played": 1}]',
            "extended",
        ),
        ("endvideo.json", b'[{"ts": "2020-01-01T10:00:00Z", "ms_played": 1}]', "video"),
        ("Streaming_History_Video_2024.json", b'[{"ts": "x", "ms_played": 1}]', "video"),
        ("Playlist2.json", b'{"playlists": []}', "playlists"),
        ("YourLibrary.json", b'{"tracks": [{"artist": "A", "album": "B"}]}', "library"),
        ("Follow.json", b'{"followerCount": 1}', "follow"),
        (
            "StreamingHistory_music_0.json",
            b'[{"endTime": "2024-01-01 10:00", "msPl',
            "account_history",
        ),
        ("Userdata.json", b'{"username": "x"}', None),
        ("empty.json", b"[]", "empty"),
    ],
)
def test_detect_kind_by_content_then_name(name: str, head: bytes, kind: str | None) -> None:
    assert detect_kind(name, head) == kind
