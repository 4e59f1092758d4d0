"""Acceptance: ``enrich`` killed with SIGKILL and run again ends with the same store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest

from linernotes.config import load_config
from linernotes.sources.providers import cache_dir_for
from linernotes.store import open_store
from tests.sources.providers.conftest import DemoLibrary, Fakes, start_fakes
from tests.sources.providers.helpers import copy_store, dump, enrich, strip_enrichment

SETTINGS = """
[providers]
enabled = ["musicbrainz", "deezer", "reccobeats"]
musicbrainz_rate = 120.0
deezer_rate = 120.0
reccobeats_rate = 20.0
"""


def _start(folder: Path, fakes: Fakes) -> subprocess.Popen[str]:
    env = {**os.environ, **fakes.environment()}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "linernotes",
            "--config",
            "linernotes.toml",
            "--db",
            "lib.db",
            "enrich",
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, f"finished before the kill: {process.communicate()}"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def _folder(tmp_path: Path, name: str, initial: Path) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    copy_store(initial, folder / "lib.db")
    (folder / "linernotes.toml").write_text(SETTINGS, encoding="utf-8")
    return folder


def _enrich_here(folder: Path) -> None:
    """The same run as the command line's, in this process (no start-up cost)."""
    config = load_config(folder / "linernotes.toml")
    with open_store(folder / "lib.db") as store:
        report = enrich(store, config.providers, cache_dir_for(folder / "lib.db"))
    assert all(run.stopped is None for run in report.runs)


@pytest.mark.slow
def test_a_killed_enrich_resumes_to_the_same_store(
    tiny_demo: DemoLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    initial = copy_store(tiny_demo.db, tmp_path / "initial.db")
    strip_enrichment(initial)
    with ExitStack() as stack:
        fakes = start_fakes(stack, tiny_demo.catalogue)
        for name, value in fakes.environment().items():
            monkeypatch.setenv(name, value)
        whole = _folder(tmp_path, "uninterrupted", initial)
        _enrich_here(whole)
        dz_total, mb_total = len(fakes.deezer.requests), len(fakes.musicbrainz.requests)
        assert mb_total >= 8  # MusicBrainz is asked about what Deezer left missing

        killed = _folder(tmp_path, "killed", initial)
        first = _start(killed, fakes)  # killed in the middle of the Deezer pass
        _kill_when(first, lambda: len(fakes.deezer.requests) >= dz_total + dz_total // 3)
        mb_before = len(fakes.musicbrainz.requests)
        second = _start(killed, fakes)  # killed again, in the MusicBrainz pass this time
        _kill_when(second, lambda: len(fakes.musicbrainz.requests) >= mb_before + 4)
        _enrich_here(killed)

    with open_store(whole / "lib.db") as a, open_store(killed / "lib.db") as b:
        expected, got = dump(a.conn), dump(b.conn)
    assert expected["album_labels"] and expected["audio_features"] and expected["track_genres"]
    for table in expected:
        assert got[table] == expected[table], table
