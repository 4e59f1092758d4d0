"""Builds are atomic: a build killed at any moment leaves the previous atlas whole."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linernotes.config import Config
from linernotes.demo import generate_demo
from linernotes.errors import BuildError
from linernotes.pipeline import build as build_atlas
from linernotes.render.publish import MARKER, TAG
from linernotes.sources.importer import import_paths
from linernotes.store import open_store


def _snapshot(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _processes_using(db: Path) -> list[int]:
    """Pids whose command line names ``db`` (chart workers of a killed build)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(db).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    layout = generate_demo(root / "export", tracks=300, plays=5000, seed=3)
    with open_store(root / "library.db") as store:
        import_paths(store, list(layout.import_paths))
    return root / "library.db"


@pytest.mark.slow
def test_kill_9_during_build_leaves_previous_atlas(small_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    shutil.copy(small_store, db)
    site = tmp_path / "site"
    with open_store(db) as store:
        build_atlas(store, Config(), site)
    before = _snapshot(site)
    command = [sys.executable, "-m", "linernotes", "--db", str(db), "build", "--out", str(site)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.perf_counter() - started
    rng = random.Random(11)
    for _ in range(6):
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)  # make each build draw again
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _snapshot(site) == before
    time.sleep(0.5)
    assert _processes_using(db) == [], "a killed build left worker processes behind"
    with open_store(db) as store:
        build_atlas(store, Config(), site)
    assert _snapshot(site) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []


def test_refuses_to_replace_a_folder_it_did_not_write(small_store: Path, tmp_path: Path) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "diary.md").write_text("mine")
    with open_store(small_store) as store, pytest.raises(BuildError, match="not an atlas"):
        build_atlas(store, Config(), precious)
    assert (precious / "diary.md").read_text() == "mine"
    assert not (precious / MARKER).exists()


@pytest.mark.slow
def test_failed_build_keeps_previous_atlas(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    with open_store(small_store) as store:
        build_atlas(store, Config(), site)
        before = _snapshot(site)

        def explode(*args: object, **kwargs: object) -> str:
            raise OSError("disk full")

        monkeypatch.setattr("linernotes.render.site.render_label_page", explode)
        with pytest.raises(OSError):
            build_atlas(store, Config(), site)
    assert _snapshot(site) == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []
    assert os.listdir(site)


def test_failed_build_gives_out_no_slugs(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "library.db"
    shutil.copy(small_store, db)

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    with open_store(db) as store:
        store.conn.execute("DELETE FROM slugs")  # the module's store may have been built
        monkeypatch.setattr("linernotes.pipeline.publish", explode)
        with pytest.raises(OSError):
            build_atlas(store, Config(), tmp_path / "site")
        assert store.scalar("SELECT COUNT(*) FROM slugs") == 0
        monkeypatch.undo()
        result = build_atlas(store, Config(), tmp_path / "site")
        assert result.analysis is not None
        playlists = len(result.analysis.library.playlists)
        assert store.scalar("SELECT COUNT(*) FROM slugs WHERE kind = 'playlists'") == playlists


# -- issue 10, class 1: a build removes only what a build of its own left ------------------


def _folder_with_file(path: Path) -> Path:
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    return path


def test_build_never_removes_folders_it_did_not_write(small_store: Path, tmp_path: Path) -> None:
    own = [
        _folder_with_file(tmp_path / ".site.backup-2024"),
        _folder_with_file(tmp_path / ".site.staging-2024"),  # a name a build uses, no tag
        _folder_with_file(tmp_path / ".site.old-1"),
        _folder_with_file(tmp_path / ".notes.drafts-7"),
    ]
    for out in ("site", "*"):
        with open_store(small_store) as store:
            build_atlas(store, Config(), tmp_path / out)
    for folder in own:
        assert (folder / "keep.txt").read_text() == "mine", folder


def test_build_removes_what_a_killed_build_left(small_store: Path, tmp_path: Path) -> None:
    dead = 2**22 + 12_345  # above pid_max: no such process
    staging = tmp_path / f".site.staging-{dead}"
    staging.mkdir()
    (staging / TAG).write_text(f"linernotes staging folder of the atlas 'site', process {dead}\n")
    (staging / "README.md").write_text("half an atlas")
    wrong_tag = _folder_with_file(tmp_path / f".site.staging-{dead + 1}")
    (wrong_tag / TAG).write_text(f"linernotes staging folder of the atlas 'other', process {dead}")
    with open_store(small_store) as store:
        build_atlas(store, Config(), tmp_path / "site")
    assert not staging.exists()
    assert (wrong_tag / "keep.txt").exists()
    assert not (tmp_path / "site" / TAG).exists()


def test_a_crash_between_renames_restores_the_previous_atlas(
    small_store: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with open_store(small_store) as store:
        build_atlas(store, Config(), site)
    before = _snapshot(site)
    dead = 2**22 + 777
    (site / TAG).write_text(f"linernotes old folder of the atlas 'site', process {dead}\n")
    site.rename(tmp_path / f".site.old-{dead}")
    with open_store(small_store) as store:
        build_atlas(store, Config(), site)
    assert _snapshot(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


# -- issue 10, class 11: --out as a symbolic link is followed ------------------------------


def test_out_as_a_symlink_publishes_into_its_target(small_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    for _ in range(2):  # the first build creates the target, the second replaces it
        with open_store(small_store) as store:
            build_atlas(store, Config(), link)
        assert link.is_symlink() and link.resolve() == target.resolve()
        assert (target / "README.md").is_file() and (target / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
