"""The pipeline's demo: arguments checked first, the old demo replaced only when
the new one is complete."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linernotes.config import Config
from linernotes.errors import DemoError
from linernotes.pipeline import make_demo
from linernotes.store import open_store


def _old_demo(home: Path) -> dict[str, bytes]:
    (home / "export").mkdir(parents=True)
    (home / "export" / "mine.json").write_text("[]")
    with open_store(home / "library.db") as store:
        store.conn.execute("INSERT INTO genres (name) VALUES ('old demo')")
    return _files(home)


def _files(home: Path) -> dict[str, bytes]:
    """The demo's files; not its caches (charts, covers), which only ever gain entries
    keyed by their content or URL, so a failed run may leave some behind."""
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.relative_to(home).parts[0] != "cache"
    }


def test_bad_arguments_touch_nothing(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    before = _old_demo(home)
    with pytest.raises(DemoError, match="at least 60 tracks"):
        make_demo(home, tmp_path / "site", Config(), tracks=10)
    assert _files(home) == before
    assert not (tmp_path / "site").exists()


def test_failed_build_keeps_the_old_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "demo"
    before = _old_demo(home)

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr("linernotes.pipeline.build", explode)
    with pytest.raises(OSError):
        make_demo(home, tmp_path / "site", Config(), tracks=60, plays=200)
    assert _files(home) == before


def test_demo_replaces_the_old_one_and_cleans_up(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    _old_demo(home)
    (home / ".export-new-999999").mkdir()  # left by a killed run (no such process)
    made = make_demo(home, tmp_path / "site", Config(), tracks=60, plays=300)
    assert made.store == home / "library.db" and made.tracks >= 60
    with open_store(made.store) as store:
        assert store.scalar("SELECT COUNT(*) FROM genres WHERE name = 'old demo'") == 0
        assert store.scalar("SELECT COUNT(*) FROM tracks") == made.tracks
    assert not (home / "export" / "mine.json").exists()
    assert (home / "export" / "demo-truth.json").is_file()
    assert sorted(n for n in os.listdir(home) if n.startswith(".")) == []
    assert (tmp_path / "site" / "README.md").is_file()
