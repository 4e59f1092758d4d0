"""Slugs: safe folder names for every page, stable once given (the store remembers them)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from linernotes.model import SlugRow

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
    kind: str, entities: Iterable[tuple[str, str]], known: Mapping[str, str]
) -> tuple[dict[str, str], list[SlugRow]]:
    """Return ``{entity_key: slug}`` for ``entities`` (key, name) of one folder, and the
    slugs given anew (to be remembered once the atlas is published).

    A slug given once (``known``) is kept for good, so pages keep their paths across
    builds and renames; new entities get the base slug, or ``_2``, ``_3``… when an
    existing slug already takes it (compared case-folded).
    """
    known = dict(known)
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
        new_rows.append(SlugRow(kind, key, slug))
    return result, new_rows
