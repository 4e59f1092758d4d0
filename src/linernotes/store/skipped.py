"""Rows an import passed over for impossible values, per file and reason (shown
by ``linernotes status``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from linernotes.model import SkippedRow


class SkippedRows(msgspec.Struct, frozen=True):
    """The rows of one file skipped for one reason: how many, where the first one
    is and its value."""

    name: str
    reason: str
    rows: int
    first_at: str
    example: str


def add_skipped_rows(
    conn: sqlite3.Connection, sha256: str, name: str, rows: Sequence[SkippedRow]
) -> None:
    """Record ``rows`` of the file ``name`` (content hash ``sha256``), one line per
    reason. Runs in the caller's transaction."""
    groups: dict[str, list[SkippedRow]] = {}
    for row in rows:
        groups.setdefault(row.reason, []).append(row)
    conn.executemany(
        "INSERT OR REPLACE INTO skipped_rows VALUES (?, ?, ?, ?, ?, ?)",
        [
            (sha256, name, reason, len(group), group[0].where, group[0].value)
            for reason, group in groups.items()
        ],
    )


def skipped_rows(conn: sqlite3.Connection) -> list[SkippedRows]:
    """Return every file's skipped rows, by file name and reason."""
    cursor = conn.execute(
        "SELECT name, reason, rows, first_at, example FROM skipped_rows ORDER BY name, reason"
    )
    return [SkippedRows(*row) for row in cursor]
