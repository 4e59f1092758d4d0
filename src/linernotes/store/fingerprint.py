"""What a build must know to tell whether the store changed since the last one.

``content_version`` (schema 9) is counted up by triggers on every table the
build reads but ``plays``, ``slugs`` and ``cluster_members``; the plays have
their own fingerprint (``history_fingerprint``), and the slugs and cluster
memberships are read whole (the build writes them). Together with the store's
random id they name the store's content: two builds that see the same
fingerprint read the same rows.
"""

from __future__ import annotations

import hashlib
import sqlite3

# Tables without the content triggers, and why: see the module's docstring.
UNTRACKED_TABLES = frozenset(
    {"plays", "slugs", "cluster_members", "open_writers", "content_version"}
)


def content_fingerprint(conn: sqlite3.Connection) -> str:
    """The store's id, schema, content version and plays' fingerprint, as one string."""
    store_id, version = conn.execute(
        "SELECT store_id, version FROM content_version WHERE id = 1"
    ).fetchone()
    schema = conn.execute("PRAGMA user_version").fetchone()[0]
    return f"{store_id}|{schema}|{version}|{history_fingerprint(conn)}"


def tracked_tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Every table with the operations (insert, update, delete) whose trigger counts
    up the content version, untracked tables with none."""
    tables: dict[str, set[str]] = {
        name: set()
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    rows = conn.execute(
        "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'content_%'"
    )
    for table, sql in rows:
        if "UPDATE content_version SET version = version + 1" in sql:
            for op in ("INSERT", "UPDATE", "DELETE"):
                if f"AFTER {op} ON" in sql:
                    tables[table].add(op.lower())
    return tables


def history_fingerprint(conn: sqlite3.Connection) -> str:
    """A key that changes whenever the plays do. Plays change only by an import
    (recorded in ``imports``): it adds plays (a higher id), drops minute-precision
    copies of plays it adds, and links unmatched plays to tracks (fewer unmatched)."""
    newest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM plays").fetchone()[0]
    unlinked = conn.execute(
        "SELECT COUNT(*) FROM plays INDEXED BY plays_unresolved"
        " WHERE track_id IS NULL AND kind = 'music'"
    ).fetchone()[0]
    files = sorted(r[0] for r in conn.execute("SELECT sha256 FROM imports"))
    text = repr((newest, unlinked, files))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
