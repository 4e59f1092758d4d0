"""Exports as people download them: zips, folders, single files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from linernotes.errors import ImportFormatError
from linernotes.sources import inputs
from linernotes.sources.importer import detect_kind, import_paths
from linernotes.store import Store
from tests import hostile

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


# -- issue 10, class 3: a zip entry is read within bounds, whatever it claims ----------------


def test_a_zip_bomb_is_refused_within_the_memory_budget(tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(tmp_path / "bomb.zip")
    assert bomb.stat().st_size < 3 * 1024**2
    code = (
        "import resource, sys; from pathlib import Path;"
        "from linernotes.errors import ImportFormatError;"
        "from linernotes.sources.importer import import_paths;"
        "from linernotes.store import open_store\n"
        "try:\n"
        f"    import_paths(open_store(None), [Path({str(bomb)!r})])\n"
        "except ImportFormatError as exc:\n"
        "    print(exc)\n"
        # VmHWM: this process's own peak (ru_maxrss would count the pages it had as
        # a fork of the test process before exec); children: the reader process.
        "own = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(max(int(own.split()[1]), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    message, peak_kb = done.stdout.strip().splitlines()
    assert "bomb.zip!Streaming_History_Audio_2020.json: refusing a file of 2,048 MB" in message
    assert int(peak_kb) < 500 * 1024


def test_an_entry_inflating_beyond_what_it_declares_is_damaged(
    store: Store, tmp_path: Path
) -> None:
    with pytest.raises(ImportFormatError, match="Bad CRC-32"):
        import_paths(store, [hostile.lying_zip_bomb(tmp_path / "lying.zip")])


def test_a_file_is_read_only_up_to_the_cap(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", 1000)
    big = json.dumps([HISTORY[0]] * 100).encode()
    archive = _zip(tmp_path / "export.zip", {"StreamingHistory0.json": big})
    loose = tmp_path / "StreamingHistory1.json"
    loose.write_bytes(big)
    for path in (archive, loose):
        with pytest.raises(ImportFormatError, match="refusing a file of 0 MB"):
            import_paths(store, [path])
    item = inputs.InputFile("x", loose)
    assert len(item.head()) == inputs.HEAD_BYTES  # a head is always within bounds


# -- issue 10, class 4: the entries of a zip are listed and read in linear time -------------


def test_the_entries_of_a_zip_are_read_through_one_open_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = hostile.many_entries(tmp_path / "many.zip", 2_000, ".json")
    opened: list[object] = []
    real = zipfile.ZipFile

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", Counting)
    items = list(inputs.iter_inputs(archive))
    assert {item.head() for item in items} == {b"not an export"}
    assert {item.read() for item in items} == {b"not an export"}
    assert len(opened) == 1  # reopened for every entry, 2,000 entries cost 2,001 directory reads


def test_twenty_thousand_junk_entries_import_in_seconds(store: Store, tmp_path: Path) -> None:
    archive = hostile.many_entries(tmp_path / "many.zip", 20_000)
    started = time.perf_counter()
    report = import_paths(store, [archive])
    elapsed = time.perf_counter() - started
    assert len(report.files) == 20_000 and {f.status for f in report.files} == {"skipped"}
    assert elapsed < 30  # about 3 s; quadratic, it took over 5 minutes


def test_duplicate_entry_names_are_read_each_as_it_is(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [hostile.duplicate_entries(tmp_path / "dup.zip")])
    assert [f.status for f in report.files] == ["imported", "imported"]
    names = {r[0] for r in store.conn.execute("SELECT name FROM playlists")}
    assert names == {"first", "second"}


def test_control_characters_in_entry_names_never_reach_the_store(
    store: Store, tmp_path: Path
) -> None:
    import_paths(store, [hostile.unsafe_names(tmp_path / "names.zip")])
    names = [r[0] for r in store.conn.execute("SELECT name FROM skipped_files")]
    assert any("pwned" in name for name in names)
    assert not any(ch in name for name in names for ch in "\x1b\x07\x00")
