"""What was imported: files by content hash, and files an import passed over.

The ``imports`` table makes a re-import of the same bytes add nothing; the
``skipped_files`` table lets ``status`` list what was not understood.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from linernotes.model import FileKind


def known_digests(conn: sqlite3.Connection) -> frozenset[str]:
    """Return the SHA-256 (hex) of every file imported so far."""
    return frozenset(row[0] for row in conn.execute("SELECT sha256 FROM imports"))


def is_imported(conn: sqlite3.Connection, digest: str) -> bool:
    """True when a file with this SHA-256 (hex) was imported."""
    return conn.execute("SELECT 1 FROM imports WHERE sha256 = ?", (digest,)).fetchone() is not None


def record_import(
    conn: sqlite3.Connection, digest: str, name: str, kind: FileKind, at: str, rows: int
) -> None:
    """Remember that file ``name`` (``kind``, SHA-256 ``digest``) added ``rows`` rows at
    ``at``, and forget that it was ever skipped. Runs in the caller's transaction."""
    conn.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?)", (digest, name, kind, at, rows))
    forget_skipped(conn, name)


def remember_skipped(conn: sqlite3.Connection, skipped: Iterable[tuple[str, str]], at: str) -> None:
    """Remember the files an import passed over, as ``(name, reason)`` pairs seen at ``at``."""
    conn.executemany(
        "INSERT OR REPLACE INTO skipped_files VALUES (?, ?, ?)",
        [(name, reason, at) for name, reason in skipped],
    )


def forget_skipped(conn: sqlite3.Connection, name: str) -> None:
    """Drop file ``name`` from the skipped files (it has been imported after all)."""
    conn.execute("DELETE FROM skipped_files WHERE name = ?", (name,))


def last_play_id(conn: sqlite3.Connection) -> int:
    """Return the highest play row id (0 when there is none): the plays an import adds
    come after it, so this marks where one file's plays begin."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM plays").fetchone()[0])
