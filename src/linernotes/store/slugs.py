"""Slugs once given: an entity keeps its page path across builds and renames."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from linernotes.model import SlugRow


def read_slugs(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Every slug given so far: ``{kind: {entity key: slug}}``."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for kind, key, slug in conn.execute("SELECT kind, entity_key, slug FROM slugs"):
        out[kind][key] = slug
    return dict(out)


def save_slugs(conn: sqlite3.Connection, rows: Iterable[SlugRow]) -> None:
    """Remember new slugs (an entity that already has one keeps it)."""
    conn.executemany(
        "INSERT OR IGNORE INTO slugs VALUES (?, ?, ?, ?)",
        [(r.kind, r.entity_key, r.slug, r.slug.casefold()) for r in rows],
    )
