"""Open, identify, migrate and transact on the SQLite store.

A store is stamped ``PRAGMA application_id = 0x6C6E6F74`` (ASCII "lnot") when it
is created. A file without the stamp is opened only when it is empty (a new
store) or holds the tables of an earlier linernotes (schema 1-5, made before
the stamp existed), which is then stamped; any other file is refused before
anything is written to it. Migrations run in one exclusive transaction, so
that commands started at once on a new store create it once.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from linernotes.clock import utc_stamp
from linernotes.errors import StoreError
from linernotes.workers import process_alive

log = logging.getLogger(__name__)


def _migration_scripts() -> list[str]:
    """The forward migrations, in order: ``migrations/NNNN_name.sql``; script n
    brings a store from schema version n - 1 to n."""
    folder = resources.files("linernotes.store").joinpath("migrations")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".sql"))
    for number, name in enumerate(names, start=1):
        if int(name.split("_", 1)[0]) != number:
            raise StoreError(f"migration {name} is out of sequence (expected {number:04d}_…)")
    return [folder.joinpath(name).read_text(encoding="utf-8") for name in names]


MIGRATIONS = _migration_scripts()
SCHEMA_VERSION = len(MIGRATIONS)
APPLICATION_ID = 0x6C6E6F74  # "lnot": what `file` and `sqlite3 .dbinfo` show
LOCK_TIMEOUT = 30.0  # seconds a command waits for another one's write to finish
# Tables every store of schema 1 or later holds: how a store from before the
# application id is recognised.
_OWN_TABLES = frozenset({"artists", "albums", "tracks", "playlists", "plays", "imports", "slugs"})
_UNSTAMPED_VERSIONS = range(1, 6)  # schemas made before the stamp (added with schema 6)
# SQLite's primary result codes (sqlite3 exceptions carry them since Python 3.11).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def _apply(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript() would commit the open transaction.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


class Store:
    """A connection to the store; use :func:`open_store` to get one."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, timeout: float = LOCK_TIMEOUT
    ) -> None:
        self.conn = conn
        self.path = path
        self.timeout = timeout
        self._writer: int | None = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one transaction: all of it lands, or none of it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    def scalar(self, sql: str, params: tuple[object, ...] = ()) -> object:
        """Return the first column of the first row of ``sql`` (None when no row)."""
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def error(self, exc: sqlite3.Error) -> StoreError | None:
        """The one-line error for what SQLite refused, or None (see :func:`store_error`)."""
        return store_error(exc, self.path, self.timeout)

    def close(self) -> None:
        """Close the connection (a writer first signs off: it stopped cleanly)."""
        if self._writer is not None:
            try:
                self.conn.execute("DELETE FROM open_writers WHERE id = ?", (self._writer,))
            except sqlite3.Error as exc:  # the next writer checks the file: no harm done
                log.warning("%s: could not sign off as a writer: %s", self.path, exc)
            self._writer = None
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sign_in(self) -> None:
        """Register this process as a writer; when a writer before it stopped without
        signing off (killed, power cut), check the file first and refuse it if damaged."""
        host = socket.gethostname()
        if not self.scalar("SELECT 1 FROM sqlite_master WHERE name = 'open_writers'"):
            return  # a schema before 6 (only where tests plant one)
        with self.transaction() as conn:
            rows = conn.execute("SELECT id, pid, host FROM open_writers").fetchall()
            gone = [
                (row_id,) for row_id, pid, where in rows if where == host and not process_alive(pid)
            ]
            if gone:
                log.info("%s: a writer stopped uncleanly; checking the file", self.path)
                try:
                    problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
                except sqlite3.DatabaseError as exc:  # too damaged to be checked
                    problems = [str(exc)]
                if problems != ["ok"]:
                    raise StoreError(
                        f"{self.path}: the store is damaged ({_one_line(problems)}),"
                        " found after an unclean stop; restore a backup, or move it away"
                        " and import again"
                    )
                conn.executemany("DELETE FROM open_writers WHERE id = ?", gone)
            self._writer = conn.execute(
                "INSERT INTO open_writers (pid, host, opened_at) VALUES (?, ?, ?)",
                (os.getpid(), host, utc_stamp()),
            ).lastrowid


def open_store(path: Path | None, *, create: bool = True, timeout: float | None = None) -> Store:
    """Open (and migrate) the store at ``path``; ``None`` opens a private in-memory store.

    ``create`` says the command writes to the store and may create it; without
    it a missing or empty file is refused. ``timeout`` is how long to wait for
    another command's write (default :data:`LOCK_TIMEOUT`).

    Raises :class:`StoreError` when the file is not a linernotes store, is
    damaged, locked beyond the wait, or newer than this version of linernotes.
    """
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    if path is not None:
        _check_file(path, create)
    try:
        conn = sqlite3.connect(
            _address(path, create), isolation_level=None, timeout=timeout, uri=True
        )
    except sqlite3.Error as exc:
        raise store_error(exc, path, timeout) or StoreError(f"{path}: cannot open: {exc}") from exc
    store = Store(conn, path, timeout)
    try:
        _identify(conn, path, create)  # before anything is written to the file
        conn.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -131072")  # 128 MiB: big imports stay in memory
            conn.execute("PRAGMA temp_store = MEMORY")
        _migrate(conn, path, create)
        if create and path is not None:
            store._sign_in()
    except sqlite3.Error as exc:
        conn.close()
        error = store_error(exc, path, timeout)
        raise error or StoreError(f"{path}: not a usable linernotes store: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return store


def _check_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file; give --db a file name")
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no store here yet (run 'linernotes import' or 'demo')")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{path.parent}: cannot create the store's folder: {exc.strerror}"
            ) from exc
    elif not create and path.stat().st_size == 0:
        raise StoreError(
            f"{path}: an empty file, not a linernotes store (run 'linernotes import' to make one)"
        )


def _address(path: Path | None, create: bool) -> str:
    """The URI SQLite opens: read-write without creating a file unless ``create``."""
    if path is None:
        return ":memory:"
    mode = "rwc" if create else "rw"
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"


def _identify(conn: sqlite3.Connection, path: Path | None, create: bool) -> bool:
    """Refuse a file linernotes did not make; return True when it must be stamped."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if app == APPLICATION_ID:
        return False
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app == 0 and version == 0 and not tables:
        if not create:
            raise StoreError(
                f"{path}: an empty database, not a linernotes store yet"
                " (run 'linernotes import' to make one)"
            )
        return True
    if app == 0 and version in _UNSTAMPED_VERSIONS and tables >= _OWN_TABLES:
        return True  # made by a linernotes from before the stamp
    raise StoreError(
        f"{path}: not a linernotes store (another program's database); nothing was"
        " changed: give --db the store's file, or a new file name"
    )


def _migrate(conn: sqlite3.Connection, path: Path | None, create: bool) -> None:
    """Stamp and migrate the store in one exclusive transaction (checked again inside
    it: another command may have done it meanwhile)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if app == APPLICATION_ID and version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        stamp = _identify(conn, path, create)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        if stamp:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        while version < SCHEMA_VERSION:
            log.info("migrating store %s from schema %d", path, version)
            _apply(conn, MIGRATIONS[version])
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _newer(path: Path | None, version: int) -> StoreError:
    return StoreError(
        f"{path}: store schema {version} is newer than this linernotes ({SCHEMA_VERSION});"
        " upgrade linernotes"
    )


def store_error(exc: sqlite3.Error, path: Path | None, timeout: float) -> StoreError | None:
    """Return the one-line error for what SQLite refused: locked beyond the wait, disk
    full, damaged, read-only, not openable. None for anything else (a bug, to be
    reported with its trace)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    where = path or "the store"
    if code in (_BUSY, _LOCKED):
        return StoreError(
            f"{where}: locked by another linernotes command for over {timeout:.0f} s;"
            " run this again when it has finished (nothing was changed)"
        )
    if code == _FULL:
        folder = path.absolute().parent if path else "the temporary folder"
        return StoreError(
            f"no space left on {folder}: free space and run again; nothing was changed"
            " (what was imported before stays)"
        )
    if code in (_CORRUPT, _NOTADB):
        return StoreError(
            f"{where}: the store is damaged ({exc}); restore a backup, or move it away"
            " and import again"
        )
    if code == _READONLY:
        return StoreError(f"{where}: the store cannot be written ({exc}); check its permissions")
    if code == _CANTOPEN:
        return StoreError(f"{where}: cannot open the store ({exc}); check the path")
    if code == _IOERR:
        return StoreError(f"{where}: the disk failed reading or writing the store ({exc})")
    return None


def _one_line(problems: list[str]) -> str:
    """What quick_check said, on one line and cut short."""
    return " ".join("; ".join(problems).split())[:200]
