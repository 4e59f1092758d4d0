"""The command line: one-line errors, status JSON, the demo command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.atlas_check import check_site

STATUS_KEYS = {
    "tracks",
    "liked",
    "playlists",
    "playlist_items",
    "artists",
    "albums",
    "labels",
    "genres",
    "plays",
    "music_plays",
    "plays_by_kind",
    "unresolved_plays",
    "first_play",
    "last_play",
    "files_imported",
    "files_skipped",
    "rows_skipped",
    "coverage",
    "coverage_by_source",
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linernotes", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_command_builds_a_checked_atlas(tmp_path: Path) -> None:
    done = run("demo", "--out", "site", "--tracks", "300", "--plays", "5000", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "site/README.md" in done.stdout
    report = check_site(tmp_path / "site")
    assert report.pages > 20 and not report.broken and not report.bad_rows
    status = run("--db", ".linernotes/demo/library.db", "status", "--json", cwd=tmp_path)
    info = json.loads(status.stdout)
    assert set(info) == STATUS_KEYS
    export = tmp_path / ".linernotes/demo/export/Spotify Account Data"
    liked = json.loads((export / "YourLibrary.json").read_text("utf-8"))["tracks"]
    playlists = json.loads((export / "Playlist1.json").read_text("utf-8"))["playlists"]
    assert info["liked"] == len(liked)
    assert info["playlists"] == len(playlists)
    assert set(info["coverage"]) == {"cover", "label", "genre", "audio_features"}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "StreamingHistory_music_0.json",
            b'[{"endTime": "2024-01-01 10:00", "msPl',
            "not valid JSON",
        ),
        (
            "Streaming_History_Audio_2024.json",
            b'[{"ts": "2024-01-01T10:00:00Z", "ms_played": "many"}]',
            "entry 1, field ms_played",
        ),
        ("Playlist1.json", b'{"playlists": [{"name": 5}]}', "Expected `str`"),
    ],
    ids=["truncated", "wrong-type", "wrong-shape"],
)
def test_bad_input_is_one_clear_line_and_nothing_lands(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    good = tmp_path / "in" / "Follow.json"
    good.parent.mkdir()
    good.write_text('{"followerCount": 1, "followingArtists": ["Ana"]}')
    (tmp_path / "in" / name).write_bytes(content)
    done = run("--db", "lib.db", "import", "in", cwd=tmp_path)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert name in lines[0] and expected in lines[0]
    status = json.loads(run("--db", "lib.db", "status", "--json", cwd=tmp_path).stdout)
    assert status["plays"] == 0 and status["playlists"] == 0


def test_unknown_files_are_listed_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("hello")
    (tmp_path / "in" / "Userdata.json").write_text('{"username": "x"}')
    done = run("--db", "lib.db", "import", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "notes.txt" in done.stderr and "Userdata.json" in done.stderr
    status = json.loads(run("--db", "lib.db", "status", "--json", cwd=tmp_path).stdout)
    assert {Path(f["name"]).name for f in status["files_skipped"]} == {"notes.txt", "Userdata.json"}


def test_build_without_store_is_an_error(tmp_path: Path) -> None:
    done = run("--db", "missing.db", "build", cwd=tmp_path)
    assert done.returncode == 1
    assert "missing.db" in done.stderr and "Traceback" not in done.stderr


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "linernotes.toml").write_text('[atlas]\nscore_column = "minutes"\n')
    done = run("status", cwd=tmp_path)
    assert done.returncode == 1
    assert "linernotes.toml" in done.stderr and "score_column" in done.stderr
