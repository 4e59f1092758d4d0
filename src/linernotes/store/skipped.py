"""Rows an import passed over for impossible values, per file and reason (shown
by ``linernotes status``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from linernotes.model import SkippedRow


def add_skipped_rows(
    conn: sqlite3.Connection, sha256: str, name: str, rows: Sequence[SkippedRow]
) -> None:
    """Record ``rows`` of the file ``name`` (content hash ``sha256``): one line per
    reason, with how many rows, where the first one is and its value."""
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


def skipped_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Return every file's skipped rows: name, reason, rows, first_at, example."""
    cursor = conn.execute(
        "SELECT name, reason, rows, first_at, example FROM skipped_rows ORDER BY name, reason"
    )
    keys = ("name", "reason", "rows", "first_at", "example")
    return [dict(zip(keys, row, strict=True)) for row in cursor]
