"""Each failure its own clear line (issue 10, class 5; and class 12): disk full
during import and build, a read-only output folder, a store locked beyond the
wait, two imports of one export at once, a damaged store, JSON nested too deep,
an empty path; and what nobody foresaw: one line, the trace kept in a file.

Disk full and read-only are real: a small tmpfs mounted in a user namespace
(``unshare``); those tests are skipped where namespaces are not allowed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from linernotes.store import db as store_db
from linernotes.store import open_store
from tests import hostile
from tests.clirun import Outcome, run_child, run_in_process

PYTHON = sys.executable


def _can_mount() -> bool:
    try:
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="user namespaces are not allowed")


def _in_namespace(script: str, cwd: Path) -> list[Outcome]:
    """Run ``script`` (shell; ``$LN`` runs linernotes, each run closed by ``$END``)
    in a mount namespace; return each run's outcome."""
    marker = "--8<-- end of run"
    end = f'echo "rc=$?"; echo "{marker}"; echo "{marker}" >&2;'
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script.replace("$END", end)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LN": f"{PYTHON} -m linernotes"},
    )
    outs = done.stdout.split(marker + "\n")[:-1]
    errs = done.stderr.split(marker + "\n")[:-1]
    assert len(outs) == len(errs), (done.stdout, done.stderr)
    outcomes = []
    for out, err in zip(outs, errs, strict=True):
        body, _, code = out.rstrip("\n").rpartition("rc=")
        outcomes.append(Outcome(("namespace",), int(code), body, err))
    return outcomes


def _history(path: Path, plays: int, start: int = 0) -> Path:
    """An extended history of ``plays`` plays, one a minute from ``start``."""
    rows = []
    for n in range(start, start + plays):
        day, minute = divmod(n, 1440)
        date = f"2021-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
        rows.append((f"{date}T{minute // 60:02d}:{minute % 60:02d}:00Z", 1000))
    names = tuple(f"Song {n}" for n in range(max(plays // 4, 1)))
    path.write_bytes(hostile.history_rows(rows, names))
    return path


@needs_mount
def test_disk_full_during_import_is_one_line_and_keeps_the_store(tmp_path: Path) -> None:
    small = _history(tmp_path / "Streaming_History_Audio_2020.json", 50)
    big = _history(tmp_path / "Streaming_History_Audio_2021.json", 20_000)
    disk = tmp_path / "disk"
    disk.mkdir()
    runs = _in_namespace(
        f"mount -t tmpfs -o size=600k tmpfs {disk} && "
        f"$LN --db {disk}/l.db import {small}; $END "
        f"$LN --db {disk}/l.db import {big}; $END "
        f"$LN --db {disk}/l.db status --json; $END",
        tmp_path,
    )
    first, full, status = runs
    assert first.code == 0, first.err
    assert full.code == 1 and full.problems() == []
    assert f"no space left on {disk}: free space and run again" in full.err
    info = json.loads(status.out)
    assert (info["files_imported"], info["plays"]) == (1, 50)  # the store as it was


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    document = hostile.playlists_document([f"Playlist {n}" for n in range(4)])
    export = root / "Playlist1.json"
    export.write_text(json.dumps(document), encoding="utf-8")
    from linernotes.sources.importer import import_paths

    with open_store(root / "library.db") as store:
        import_paths(store, [export])
    return root / "library.db"


def _atlas_size(store: Path, tmp_path: Path) -> int:
    site = tmp_path / "measure"
    assert run_child("--db", str(store), "build", "--out", str(site), cwd=tmp_path).code == 0
    size = sum(-(-p.stat().st_size // 4096) * 4096 for p in site.rglob("*") if p.is_file())
    shutil.rmtree(site)
    return size


@pytest.mark.slow
@needs_mount
def test_disk_full_during_build_is_one_line_and_keeps_the_atlas(
    small_store: Path, tmp_path: Path
) -> None:
    size = _atlas_size(small_store, tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    runs = _in_namespace(  # room for one atlas, not for a second beside it
        f"mount -t tmpfs -o size={size * 3 // 2} tmpfs {disk} && "
        f"$LN --db {small_store} build --out {disk}/site; $END "
        f"find {disk}/site -type f | sort | xargs sha256sum > {tmp_path}/before; "
        f"$LN --db {small_store} build --out {disk}/site; $END "
        f"find {disk}/site -type f | sort | xargs sha256sum > {tmp_path}/after; "
        f"ls -a {disk}; $END",
        tmp_path,
    )
    first, full, listing = runs
    assert first.code == 0, first.err
    assert full.code == 1 and full.problems() == []
    assert "no space left on" in full.err and "nothing was changed" in full.err
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert listing.out.split() == [".", "..", "site"]  # no staging folder left behind


@pytest.mark.slow
@needs_mount
def test_a_read_only_output_folder_is_one_line(small_store: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    (run,) = _in_namespace(
        f"mount -t tmpfs -o size=1m tmpfs {disk} && mkdir {disk}/out && "
        f"mount -o remount,ro {disk} && "
        f"$LN --db {small_store} build --out {disk}/out/site; $END",
        tmp_path,
    )
    assert run.code == 1 and run.problems() == []
    assert "cannot write the atlas there (Read-only file system)" in run.err


def test_a_store_locked_beyond_the_wait_is_one_line(
    small_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "library.db"
    shutil.copy(small_store, db)
    monkeypatch.setattr(store_db, "LOCK_TIMEOUT", 0.2)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    export = tmp_path / "Playlist1.json"
    export.write_text(json.dumps(hostile.playlists_document(["New"])), encoding="utf-8")
    holder = open_store(db)
    holder.conn.execute("BEGIN IMMEDIATE")
    try:
        outcome = run_in_process(capsys, "--db", str(db), "import", str(export))
    finally:
        holder.conn.rollback()
        holder.close()
    assert outcome.code == 1 and outcome.problems() == []
    assert "locked by another linernotes command for over 0 s" in outcome.err


@pytest.mark.slow
def test_two_imports_of_one_export_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for n in range(6):
        _history(folder / f"Streaming_History_Audio_201{n}_{n}.json", 3_000, n * 3_000)
    (folder / "Playlist1.json").write_text(
        json.dumps(hostile.playlists_document(["A", "B"])), encoding="utf-8"
    )
    for attempt in range(3):
        db = tmp_path / f"l{attempt}.db"
        open_store(db).close()
        command = [PYTHON, "-m", "linernotes", "--db", str(db), "import", str(folder)]
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [(run.wait(300), *run.communicate()) for run in runs]
        for code, _, err in results:
            assert code == 0 and "UNIQUE" not in err, err
        with open_store(db) as store:
            assert store.scalar("SELECT COUNT(*) FROM imports") == 7
            assert store.scalar("SELECT COUNT(*) FROM plays") == 6 * 3_000
        imported = [int(out.split()[1]) for _, out, _ in results]
        assert sum(imported) == 7  # each file imported once, by one of the two


def test_a_damaged_store_is_one_line_on_status_and_build(small_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    shutil.copy(small_store, db)
    hostile.damage_middle(db)
    for args in (("status",), ("build", "--out", "site"), ("enrich",)):
        outcome = run_child("--db", str(db), *args, cwd=tmp_path)
        assert outcome.code == 1 and outcome.problems() == [], outcome
        assert "the store is damaged" in outcome.err


def test_json_nested_too_deeply_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "Playlist1.json"
    path.write_bytes(hostile.nested(100_000))
    outcome = run_child("--db", "l.db", "import", str(path), cwd=tmp_path)
    assert outcome.code == 1 and outcome.problems() == []
    assert "nested too deeply" in outcome.err


def test_an_empty_path_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "Playlist1.json").write_text(
        json.dumps(hostile.playlists_document(["Here"])), encoding="utf-8"
    )
    outcome = run_child("--db", "l.db", "import", "", cwd=tmp_path)
    assert outcome.code == 2 and "an empty path names no file or folder" in outcome.err
    assert not (tmp_path / "l.db").exists()
    assert run_child("--db", "l.db", "import", ".", cwd=tmp_path).code == 0  # '.' is a folder


def test_what_nobody_foresaw_is_one_line_and_a_private_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("linernotes.store.status.store_status", broken)
    open_store(tmp_path / "l.db").close()
    outcome = run_in_process(capsys, "--db", str(tmp_path / "l.db"), "status")
    assert outcome.code == 1
    (line,) = outcome.err.strip().splitlines()
    assert line.startswith("error: unexpected RuntimeError: a bug nobody foresaw")
    (trace,) = (tmp_path / "cache" / "linernotes").glob("crash-*.log")
    assert str(trace) in line
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600
    text = trace.read_text(encoding="utf-8")
    assert "Traceback" in text and "a bug nobody foresaw" in text and "broken" in text


def test_settings_that_cannot_be_read_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "folder.toml").mkdir()
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    for settings, expected in ((tmp_path / "folder.toml", "cannot be read"), (deep, "too deeply")):
        outcome = run_in_process(capsys, "--config", str(settings), "status")
        assert outcome.code == 1 and outcome.problems() == [], outcome
        assert expected in outcome.err
