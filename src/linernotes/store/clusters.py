"""Cluster memberships once published: the next build numbers its clusters after them."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from linernotes.model import ClusterMember

PageKey = tuple[str, str]  # (page kind, page key)


def read_cluster_members(conn: sqlite3.Connection) -> dict[PageKey, dict[int, int]]:
    """The memberships of the last published build: ``{(kind, key): {track id: number}}``."""
    out: dict[PageKey, dict[int, int]] = defaultdict(dict)
    for kind, key, track, number in conn.execute(
        "SELECT page_kind, page_key, track_id, number FROM cluster_members"
    ):
        out[(kind, key)][track] = number
    return dict(out)


def save_cluster_members(conn: sqlite3.Connection, rows: Iterable[ClusterMember]) -> None:
    """Replace the remembered memberships with those of the build just published."""
    conn.execute("DELETE FROM cluster_members")
    conn.executemany(
        "INSERT INTO cluster_members VALUES (?, ?, ?, ?)",
        [(r.page_kind, r.page_key, r.track_id, r.number) for r in rows],
    )
