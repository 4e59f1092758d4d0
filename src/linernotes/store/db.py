"""Open, migrate and transact on the SQLite store."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from linernotes.errors import StoreError

log = logging.getLogger(__name__)


# Migration numbers taken by work on other branches that has not landed yet: while
# such a file is absent its number is an empty step. Remove once they are merged.
_RESERVED = frozenset({4, 5})


def _migration_scripts() -> list[str]:
    """The forward migrations, in order: ``migrations/NNNN_name.sql``; script n
    brings a store from schema version n - 1 to n."""
    folder = resources.files("linernotes.store").joinpath("migrations")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".sql"))
    scripts: list[str] = []
    for name in names:
        while len(scripts) + 1 in _RESERVED and int(name.split("_", 1)[0]) > len(scripts) + 1:
            scripts.append("")
        if int(name.split("_", 1)[0]) != len(scripts) + 1:
            raise StoreError(
                f"migration {name} is out of sequence (expected {len(scripts) + 1:04d}_…)"
            )
        scripts.append(folder.joinpath(name).read_text(encoding="utf-8"))
    return scripts


MIGRATIONS = _migration_scripts()
SCHEMA_VERSION = len(MIGRATIONS)


def _apply(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript() would commit the open transaction.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


class Store:
    """A connection to the store; use :func:`open_store` to get one."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path

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

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: Path | None, *, create: bool = True) -> Store:
    """Open (and migrate) the store at ``path``; ``None`` opens a private in-memory store.

    Raises :class:`StoreError` when the file is not a linernotes store or is
    newer than this version of linernotes understands.
    """
    if path is not None:
        if not path.exists() and not create:
            raise StoreError(f"{path}: no store here yet (run 'linernotes import' or 'demo')")
        path.parent.mkdir(parents=True, exist_ok=True)
    target = ":memory:" if path is None else str(path)
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -131072")  # 128 MiB: big imports stay in memory
            conn.execute("PRAGMA temp_store = MEMORY")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable linernotes store: {exc}") from exc
    return Store(conn, path)


def _migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: store schema {version} is newer than this linernotes ({SCHEMA_VERSION});"
            " upgrade linernotes"
        )
    while version < SCHEMA_VERSION:
        log.info("migrating store %s from schema %d", path, version)
        conn.execute("BEGIN IMMEDIATE")
        try:
            _apply(conn, MIGRATIONS[version])
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        version += 1
