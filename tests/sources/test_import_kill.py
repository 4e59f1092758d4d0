"""An import killed (SIGKILL) at any moment leaves a sound store, and the next
import completes it to exactly what an undisturbed import gives.

``python -m linernotes`` spends about three seconds importing its dependencies
before it reads a file, so the kill loop does not start a new interpreter each
time: a server process imports linernotes once and forks one child per run; the
child runs the real command line (``linernotes.cli.main``) and is SIGKILLed by
the server, its parent, at the moment the test chose (uniform over the duration
of an undisturbed import). The reference import and the final one are plain
``python -m linernotes`` subprocesses.

Runs resume on the store the killed ones left. Once a run completes on its own
(so that later kills would only interrupt a check of files already imported),
the store is compared with the reference and the next run starts a fresh one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linernotes.demo import generate_demo

KILLS = 50
RUN_LIMIT = 120.0  # seconds
SEED = 20_240_605
# What `status --json` must agree on after the interrupted imports are completed.
COMPARED = (
    "tracks",
    "liked",
    "playlists",
    "playlist_items",
    "plays",
    "plays_by_kind",
    "unresolved_plays",
    "artists",
    "albums",
    "labels",
    "genres",
    "first_play",
    "last_play",
    "files_imported",
    "coverage",
)
ROOT = Path(__file__).resolve().parents[2]


# -- the fork server (runs in its own process: `python -c "...serve()"`) -------------------


def serve() -> None:
    """Read one JSON request per line, run it in a forked child, answer one line.

    Request: ``{"args": [...], "kill_after": seconds or null, "stdout": path or null}``.
    Answer: ``{"elapsed", "killed", "exit", "survivors"}``; ``survivors`` counts the
    child's own worker processes still alive a moment after it was killed.
    """
    import linernotes.cli  # the slow part, done once

    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _run_child(linernotes.cli.main, request["args"], request["stdout"])
        answer = _supervise(pid, started, request["kill_after"])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _run_child(main: Any, args: list[str], stdout: str | None) -> None:
    os.setsid()  # its own process group: the server can find the child's workers
    quiet = os.open(os.devnull, os.O_RDWR)
    out = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC) if stdout else quiet
    os.dup2(quiet, 0)
    os.dup2(out, 1)
    os.dup2(quiet, 2)
    sys.argv = ["linernotes", *args]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        code = 70
    finally:
        sys.stdout.flush()
    os._exit(code)


def _supervise(pid: int, started: float, kill_after: float | None) -> dict[str, Any]:
    # A run that should complete is still stopped after two minutes: the test then
    # fails on its exit status instead of hanging.
    limit = RUN_LIMIT if kill_after is None else kill_after
    killed = False
    while not _exited(pid):
        if time.monotonic() - started >= limit:
            # The child is not reaped yet, so its pid cannot name another process.
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    while not _exited(pid):
        time.sleep(0.002)
    elapsed = time.monotonic() - started
    survivors = _group_members(pid)
    deadline = time.monotonic() + 3
    while survivors and time.monotonic() < deadline:
        time.sleep(0.02)
        survivors = _group_members(pid)
    if survivors:
        os.killpg(pid, signal.SIGKILL)  # the group of our own unreaped child
    _, status = os.waitpid(pid, 0)
    return {
        "elapsed": elapsed,
        "killed": killed and os.WIFSIGNALED(status),
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "survivors": len(survivors),
    }


def _exited(pid: int) -> bool:
    """True once the child has ended (left unreaped, so its pid stays ours)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _group_members(group: int) -> list[int]:
    """Live processes of process group ``group`` other than its (dead) leader."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == group:
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, pgrp = stat.rpartition(")")[2].split()[:3]
        if int(pgrp) == group and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


# -- the test side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """How one forked run of the command line ended."""

    elapsed: float
    killed: bool
    exit: int | None
    survivors: int


class ForkServer:
    """The test's handle on the server process."""

    def __init__(self, cwd: Path) -> None:
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import {__name__} as m; m.serve()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str], kill_after: float | None, stdout: Path | None = None) -> Run:
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"args": args, "kill_after": kill_after, "stdout": stdout and str(stdout)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, f"the fork server died (exit {self.process.poll()})"
        return Run(**json.loads(answer))

    def status(self, db: Path, out: Path) -> dict[str, Any]:
        run = self.run(["--db", str(db), "status", "--json"], None, stdout=out)
        assert run.exit == 0, run
        return dict(json.loads(out.read_text()))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the server ends after its current run
        try:
            self.process.wait(timeout=150)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def fork_server(tmp_path: Path) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path)
    try:
        yield server
    finally:
        server.close()


def run_cli(cwd: Path, *args: str) -> str:
    """Run ``python -m linernotes ARGS`` to completion; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "linernotes", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_store(db: Path, order: list[str]) -> int:
    """Assert the store is sound and holds whole files, a prefix of ``order``;
    return how many files it holds."""
    if not db.exists():
        return 0  # killed before the store was created
    # Read-only: a connection that may write would checkpoint the WAL the killed
    # run left, and spare the next run the recovery this test is about.
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "imports" not in tables:
            return 0  # killed while the schema was being created
        done = [r[0] for r in conn.execute("SELECT path FROM imports ORDER BY rowid")]
    # One transaction per file, written in a fixed order: what landed is a prefix.
    assert done == order[: len(done)]
    return len(done)


def pick(status: dict[str, Any]) -> dict[str, Any]:
    return {key: status[key] for key in COMPARED}


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="needs fork and /proc"
)
def test_import_killed_at_random_moments_completes_to_the_same_store(
    tmp_path: Path, fork_server: ForkServer
) -> None:
    layout = generate_demo(tmp_path / "export", tracks=300, plays=20_000, seed=5)
    paths = [str(p) for p in layout.import_paths]

    # The undisturbed import, by the real command line.
    reference_db = tmp_path / "reference.db"
    run_cli(tmp_path, "--db", str(reference_db), "import", *paths)
    reference = pick(json.loads(run_cli(tmp_path, "--db", str(reference_db), "status", "--json")))
    with closing(sqlite3.connect(reference_db)) as conn:
        order = [r[0] for r in conn.execute("SELECT path FROM imports ORDER BY rowid")]
    assert reference["files_imported"] == len(order) > 10
    assert reference["plays"] > 10_000

    # How long the import itself takes (forked from the warm server, like the kills).
    timing = fork_server.run(["--db", str(tmp_path / "timing.db"), "import", *paths], None)
    assert timing.exit == 0, timing
    duration = timing.elapsed

    # Kill at random moments. A store that a run completed on its own is checked
    # and replaced by a fresh one, so that every kill can land in real work.
    rng = random.Random(SEED)
    cycle, db = 0, tmp_path / "killed-0.db"
    interrupted, partial = 0, set()
    for _ in range(KILLS):
        run = fork_server.run(["--db", str(db), "import", *paths], rng.uniform(0, duration))
        assert run.survivors == 0, "worker processes outlived the killed import"
        held = check_store(db, order)
        if run.killed:
            interrupted += 1
            if 0 < held < len(order):
                partial.add(held)
            continue
        assert run.exit == 0, run
        assert held == len(order)
        status = fork_server.status(db, tmp_path / f"status-{cycle}.json")
        assert pick(status) == reference
        cycle += 1
        db = tmp_path / f"killed-{cycle}.db"

    # The last store: completed by the real command line.
    run_cli(tmp_path, "--db", str(db), "import", *paths)
    assert check_store(db, order) == len(order)
    final = pick(json.loads(run_cli(tmp_path, "--db", str(db), "status", "--json")))
    assert final == reference
    # Most kills landed in the middle of an import, after different files.
    assert interrupted >= KILLS // 2
    assert len(partial) >= 2
