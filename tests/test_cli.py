"""The command line: one-line errors, status JSON, the demo command.

Most tests run the command line in process (``tests.cli_runner``: click's
``CliRunner`` around ``linernotes.cli.main``, so errors are the one line a user
sees). A few start the real console script: its entry point, and Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from linernotes.demo import MIN_TRACKS, generate_demo
from tests.atlas_check import check_site
from tests.cli_runner import error_lines, run_cli

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
    "identification",
}
CONSOLE_SCRIPT = Path(sys.executable).with_name("linernotes")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own: commands read ./linernotes.toml and write .linernotes/."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _status(db: str) -> dict[str, object]:
    result = run_cli("--db", db, "status", "--json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


@pytest.mark.slow
def test_demo_command_builds_a_checked_atlas(workdir: Path) -> None:
    done = run_cli("demo", "--out", "site", "--tracks", "300", "--plays", "5000")
    assert done.exit_code == 0, done.stderr
    assert "site/README.md" in done.stdout
    report = check_site(workdir / "site")
    assert report.pages > 20 and not report.broken and not report.bad_rows
    info = _status(".linernotes/demo/library.db")
    assert set(info) == STATUS_KEYS
    export = workdir / ".linernotes/demo/export/Spotify Account Data"
    liked = json.loads((export / "YourLibrary.json").read_text("utf-8"))["tracks"]
    playlists = json.loads((export / "Playlist1.json").read_text("utf-8"))["playlists"]
    assert info["liked"] == len(liked)
    assert info["playlists"] == len(playlists)
    assert set(info["coverage"]) == {"cover", "label", "genre", "audio_features", "duration"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tracks", "10"], f"error: demo needs at least {MIN_TRACKS} tracks (got 10)"),
        (["--plays", "-5"], "error: demo plays cannot be negative (got -5)"),
        (["--seed", "-1"], "error: demo seed cannot be negative (got -1)"),
    ],
    ids=["too-few-tracks", "negative-plays", "negative-seed"],
)
def test_demo_with_bad_arguments_is_one_line(workdir: Path, args: list[str], message: str) -> None:
    done = run_cli("demo", "--out", "site", *args)
    assert done.exit_code == 1
    assert error_lines(done) == [message]
    assert not (workdir / "site").exists()


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
    workdir: Path, name: str, content: bytes, expected: str
) -> None:
    good = workdir / "in" / "Follow.json"
    good.parent.mkdir()
    good.write_text('{"followerCount": 1, "followingArtists": ["Ana"]}')
    (workdir / "in" / name).write_bytes(content)
    done = run_cli("--db", "lib.db", "import", "in")
    assert done.exit_code == 1
    lines = error_lines(done)
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert name in lines[0] and expected in lines[0]
    status = _status("lib.db")
    assert status["plays"] == 0 and status["playlists"] == 0


def test_unknown_files_are_listed_not_fatal(workdir: Path) -> None:
    (workdir / "in").mkdir()
    (workdir / "in" / "notes.txt").write_text("hello")
    (workdir / "in" / "Userdata.json").write_text('{"username": "x"}')
    done = run_cli("--db", "lib.db", "import", "in")
    assert done.exit_code == 0, done.stderr
    assert "notes.txt" in done.stderr and "Userdata.json" in done.stderr
    skipped = _status("lib.db")["files_skipped"]
    assert isinstance(skipped, list)
    assert {Path(f["name"]).name for f in skipped} == {"notes.txt", "Userdata.json"}


def test_build_without_store_is_an_error(workdir: Path) -> None:
    done = run_cli("--db", "missing.db", "build")
    assert done.exit_code == 1
    assert len(error_lines(done)) == 1
    assert "missing.db" in done.stderr and "Traceback" not in done.stderr
    assert not (workdir / "missing.db").exists()


def test_bad_config_is_one_line(workdir: Path) -> None:
    (workdir / "linernotes.toml").write_text('[atlas]\nscore_column = "minutes"\n')
    done = run_cli("status")
    assert done.exit_code == 1
    lines = error_lines(done)
    assert len(lines) == 1
    assert "linernotes.toml" in lines[0] and "score_column" in lines[0]


def test_a_usage_error_names_the_option_and_exits_2(workdir: Path) -> None:
    done = run_cli("status", "--bogus")
    assert done.exit_code == 2
    assert "No such option" in done.stderr and "--bogus" in done.stderr
    assert "error: " not in done.stderr  # click's own message, not a domain error


# -- the real console script ------------------------------------------------------------


def _console(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="linernotes is not installed as a script")
def test_console_script_prints_one_error_line_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "Playlist1.json").write_text('{"playlists": [{"name": 5}]}')
    done = _console("--db", "lib.db", "import", "Playlist1.json", cwd=tmp_path)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Playlist1.json" in lines[0]
    version = _console("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("linernotes, version ")


def _interrupt_import(db: Path, paths: list[str], delay: float, cwd: Path) -> tuple[int, str]:
    """Start ``linernotes import``, press Ctrl-C ``delay`` s after the store appears."""
    # Its own process group, like a shell job: Ctrl-C reaches the command and its workers.
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "--db", str(db), "import", *paths],
        cwd=cwd,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not db.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


@pytest.mark.slow
@pytest.mark.skipif(
    not CONSOLE_SCRIPT.exists() or not hasattr(os, "killpg"), reason="needs the script and POSIX"
)
def test_ctrl_c_during_an_import_is_one_line_and_leaves_a_sound_store(tmp_path: Path) -> None:
    layout = generate_demo(tmp_path / "export", tracks=600, plays=40_000, seed=9)
    paths = [str(p) for p in layout.import_paths]
    interrupted = []
    for n, delay in enumerate((0.05, 0.3, 0.6, 1.0)):
        db = tmp_path / f"lib-{n}.db"
        code, stderr = _interrupt_import(db, paths, delay, tmp_path)
        if code == 0:
            continue  # the import finished before the key was pressed
        assert code == 130, stderr
        assert "Traceback" not in stderr
        assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr
        with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        interrupted.append(db)
    assert len(interrupted) >= 2
    again = run_cli("--db", str(interrupted[-1]), "import", *paths)
    assert again.exit_code == 0, again.stderr
