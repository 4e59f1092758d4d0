"""Slugs: stable, safe folder names for every page, remembered in the store."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable

MAX_BYTES = 80
_NON_WORD = re.compile(r"[^\w]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}


def _truncate(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def slugify(name: str) -> str:
    """Return the slug of ``name``: lower case, NFC, non-word runs → ``_``, Unicode
    letters kept, at most 80 bytes, never empty, never a Windows reserved name."""
    text = unicodedata.normalize("NFC", name).lower()
    slug = _NON_WORD.sub("_", text).strip("_")
    slug = _truncate(slug, MAX_BYTES).rstrip("_")
    if not slug:
        slug = "untitled"
    if slug in _WINDOWS_RESERVED:
        slug += "_"
    return unicodedata.normalize("NFC", slug)


def _fold(slug: str) -> str:
    return slug.casefold()


def assign_slugs(
    conn: sqlite3.Connection, kind: str, entities: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """Return ``{entity_key: slug}`` for ``entities`` (key, name) of one folder.

    A slug given once is kept for good, so pages keep their paths across builds
    and renames; new entities get the base slug, or ``_2``, ``_3``… when an
    existing slug already takes it (compared case-folded).
    """
    known = dict(conn.execute("SELECT entity_key, slug FROM slugs WHERE kind = ?", (kind,)))
    taken = {_fold(s) for s in known.values()}
    result: dict[str, str] = {}
    new_rows = []
    for key, name in sorted(dict(entities).items()):
        if key in known:
            result[key] = known[key]
            continue
        base = slugify(name)
        slug, n = base, 2
        while _fold(slug) in taken:
            suffix = f"_{n}"
            slug = _truncate(base, MAX_BYTES - len(suffix)).rstrip("_") + suffix
            n += 1
        taken.add(_fold(slug))
        result[key] = known[key] = slug
        new_rows.append((kind, key, slug, _fold(slug)))
    if new_rows:
        conn.executemany("INSERT INTO slugs VALUES (?, ?, ?, ?)", new_rows)
    return result
