"""Incremental builds: after any change, the atlas a build publishes is byte for
byte the atlas a cold build of the same store publishes (no caches, no earlier
atlas), and an unchanged store is published again without being rebuilt."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from linernotes.artwork import CACHE_FOLDER
from linernotes.caches import CLUSTER_CACHE
from linernotes.config import Config
from linernotes.demo import generate_demo
from linernotes.incremental import store_key
from linernotes.pipeline import BuildResult, build, fill_demo_covers
from linernotes.render.reuse import MANIFEST, read_manifest
from linernotes.sources.importer import import_paths
from linernotes.store import Store, open_store

pytestmark = pytest.mark.slow
SEED, TRACKS, PLAYS = 5, 150, 3000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store (with its cover cache) and its atlas, built once."""
    root = tmp_path_factory.mktemp("incremental")
    layout = generate_demo(root / "export", tracks=TRACKS, plays=PLAYS, seed=SEED)
    with open_store(root / "home" / "library.db") as store:
        import_paths(store, list(layout.import_paths))
        fill_demo_covers(store, seed=SEED, tracks=TRACKS)
        build(store, Config(), root / "home" / "site")
    return root


@pytest.fixture
def home(built: Path, tmp_path: Path) -> Path:
    """A copy of the built store, its caches and its atlas, for one test to change."""
    shutil.copytree(built / "home", tmp_path / "home", symlinks=True)
    return tmp_path / "home"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cold(home: Path, config: Config, where: Path) -> dict[str, bytes]:
    """The atlas a cold build of ``home``'s store writes: a copy of the store and its
    covers only (no chart, cluster or listening cache, no earlier atlas)."""
    where.mkdir()
    shutil.copy(home / "library.db", where / "library.db")
    shutil.copytree(home / CACHE_FOLDER, where / CACHE_FOLDER)
    with open_store(where / "library.db") as store:
        result = build(store, config, where / "site")
    assert not result.reused
    return _tree(where / "site")


def _incremental(
    home: Path, change: Callable[[Store], None], config: Config | None = None
) -> BuildResult:
    with open_store(home / "library.db") as store:
        change(store)
        return build(store, config or Config(), home / "site")


def _same_as_cold(home: Path, tmp_path: Path, config: Config | None = None) -> None:
    config = config or Config()
    incremental = _tree(home / "site")
    cold = _cold(home, config, tmp_path / "cold")
    assert sorted(incremental) == sorted(cold)
    differ = [name for name in cold if cold[name] != incremental[name]]
    assert differ == []


def test_an_unchanged_store_republishes_the_atlas(home: Path, tmp_path: Path) -> None:
    before = _tree(home / "site")
    inode = (home / "site" / "README.md").stat().st_ino
    result = _incremental(home, lambda store: None)
    assert result.reused and result.analysis is None
    assert result.pages == sum(1 for name in before if name.endswith(".md"))
    assert _tree(home / "site") == before
    assert (home / "site" / "README.md").stat().st_ino == inode  # linked, not rewritten
    _same_as_cold(home, tmp_path)
    with open_store(home / "library.db") as store:
        assert not build(store, Config(), home / "site", cold=True).reused
    assert _tree(home / "site") == before
    assert (home / "site" / "README.md").stat().st_ino != inode


def test_a_new_playlist(home: Path, tmp_path: Path, built: Path) -> None:
    csvs = sorted((built / "export" / "exportify").glob("*.csv"))
    playlist = tmp_path / "new" / "a_new_playlist.csv"
    playlist.parent.mkdir()
    rows: list[list[str]] = []
    for source in (csvs[0], csvs[-1]):
        with source.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows += [row for _, row in zip(range(20), reader, strict=False)]
    with playlist.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    old = read_manifest(home / "site")
    assert old is not None

    result = _incremental(home, lambda store: import_paths(store, [playlist.parent]) and None)
    assert not result.reused
    new = read_manifest(home / "site")
    assert new is not None and new.key != old.key
    added = set(new.files) - set(old.files)
    assert any(name.startswith("playlists/") and name.endswith(".md") for name in added)
    unchanged = [name for name, key in new.inputs.items() if old.inputs.get(name) == key]
    assert len(unchanged) > len(new.inputs) // 2  # most twins and charts were linked
    _same_as_cold(home, tmp_path)


def test_a_changed_setting(home: Path, tmp_path: Path) -> None:
    config = Config()
    config = replace(config, atlas=replace(config.atlas, rows_per_cluster=3))
    config = replace(config, clustering=replace(config.clustering, seed=7))
    result = _incremental(home, lambda store: None, config)
    assert not result.reused
    _same_as_cold(home, tmp_path, config)


def test_new_plays(home: Path, tmp_path: Path, built: Path) -> None:
    history = sorted((built / "export").rglob("Streaming_History_Audio_*.json"))[-1]
    plays = json.loads(history.read_text(encoding="utf-8"))[-200:]
    for play in plays:  # the same songs, a year later
        play["ts"] = f"{int(play['ts'][:4]) + 1}{play['ts'][4:]}"
    new = tmp_path / "more" / "Streaming_History_Audio_2030_1.json"
    new.parent.mkdir()
    new.write_text(json.dumps(plays), encoding="utf-8")
    result = _incremental(home, lambda store: import_paths(store, [new]) and None)
    assert not result.reused
    _same_as_cold(home, tmp_path)


def test_a_renamed_playlist_and_damaged_caches(home: Path, tmp_path: Path) -> None:
    (home / CLUSTER_CACHE).write_bytes(b"\x00not msgpack")

    def rename(store: Store) -> None:
        with store.transaction() as conn:
            first = conn.execute("SELECT MIN(id) FROM playlists").fetchone()[0]
            conn.execute("UPDATE playlists SET name = 'Renamed' WHERE id = ?", (first,))

    result = _incremental(home, rename)
    assert not result.reused
    assert "Renamed" in (home / "site" / "playlists" / "README.md").read_text(encoding="utf-8")
    _same_as_cold(home, tmp_path)


def test_a_file_added_by_hand_is_dropped(home: Path) -> None:
    before = _tree(home / "site")
    (home / "site" / "notes.txt").write_text("mine")
    result = _incremental(home, lambda store: None)
    assert result.reused
    assert _tree(home / "site") == before


def test_a_missing_file_means_a_full_build(home: Path, tmp_path: Path) -> None:
    (home / "site" / "playlists" / "README.md").unlink()
    result = _incremental(home, lambda store: None)
    assert not result.reused
    assert (home / "site" / "playlists" / "README.md").is_file()
    assert (home / "site" / MANIFEST).is_file()
    _same_as_cold(home, tmp_path)


def test_the_key_covers_program_settings_and_covers(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(home / "library.db") as store:
        key = store_key(store, Config())
        assert store_key(store, Config()) == key
        timezone = replace(Config().listening, timezone="Asia/Tokyo")
        assert store_key(store, replace(Config(), listening=timezone)) != key
        (home / CACHE_FOLDER / "0123456789abcdef-100.jpg").write_bytes(b"new cover")
        with_cover = store_key(store, Config())
        assert with_cover != key
        monkeypatch.setattr("linernotes.incremental.program_digest", lambda: "0.1.0-changed")
        assert store_key(store, Config()) != with_cover
