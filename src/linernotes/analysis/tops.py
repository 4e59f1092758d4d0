"""Top lists: the tracks, albums, artists, genres and labels listened to most in a
period, by minutes and by plays, rolled up from the play facts through the library.

A play of a song the library does not know (history without URIs) still counts:
its artist is the library artist of the same name when there is one, else the
name itself; its album is the name the history gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

import numpy as np

from linernotes.analysis.library import Library
from linernotes.analysis.play_facts import PlayFacts, RefTotals
from linernotes.text import name_key

KINDS = ("tracks", "albums", "artists", "genres", "labels")
MEASURES = ("minutes", "plays")
_EPOCH = date(1970, 1, 1)
ALBUM_SEPARATOR = "\x1f"  # album name + this + artist name: an album known only by name

# A library id (track, album, artist), a negative ref (a song known by name), or a
# name (an artist or album only the history knows, a genre, a label).
Key = int | str


@lru_cache(maxsize=65_536)
def day_date(day: int) -> date:
    """The date of a local day number (days since 1970-01-01)."""
    return _EPOCH + timedelta(days=day)


@dataclass(frozen=True)
class Item:
    """One row of a top list."""

    key: Key
    ms: int
    plays: int
    streams: int


@dataclass(frozen=True)
class Totals:
    """Listening per entity of one kind in one period (arrays aligned with ``keys``)."""

    keys: list[Key]
    ms: np.ndarray
    plays: np.ndarray
    streams: np.ndarray
    skips: np.ndarray

    def count(self) -> int:
        """How many entities were streamed at all."""
        return int(np.count_nonzero(self.streams))

    def value(self, key: Key) -> tuple[int, int, int]:
        """``(ms, plays, streams)`` of one entity (zeros when it has none)."""
        i = self.index.get(key)
        if i is None:
            return (0, 0, 0)
        return (int(self.ms[i]), int(self.plays[i]), int(self.streams[i]))

    @cached_property
    def index(self) -> dict[Key, int]:
        return {k: i for i, k in enumerate(self.keys)}


class Catalog:
    """What every ref of the history is credited to: artists, album, genres, labels."""

    def __init__(self, library: Library, facts: PlayFacts) -> None:
        self.library = library
        self.songs = facts.songs
        self.refs = np.array(facts.periods[0].totals.refs if facts.periods else [], np.int64)
        by_name: dict[str, int] = {}
        for artist in sorted(library.artists.values(), key=lambda a: a.id):
            by_name.setdefault(name_key(artist.name), artist.id)
        self._artist_by_name = by_name
        self._edges = self._build()
        self._member_cache: dict[str, dict[Key, list[int]]] = {}

    # -- what a ref is ------------------------------------------------------------------

    def song(self, ref: int) -> tuple[str, str, str]:
        """Track, artist and album name of a song known only by name (``ref`` < 0)."""
        return self.songs[-ref - 1]

    def artists_of(self, ref: int) -> list[Key]:
        """Credited artists of a ref: library ids, or the history's name."""
        if ref > 0:
            track = self.library.tracks.get(ref)
            return list(dict.fromkeys(track.artist_ids)) if track else []
        artist = self.song(ref)[1]
        if not artist:
            return []
        found = self._artist_by_name.get(name_key(artist))
        return [found if found is not None else artist]

    def album_of(self, ref: int) -> Key | None:
        if ref > 0:
            track = self.library.tracks.get(ref)
            return track.album_id if track else None
        _, artist, album = self.song(ref)
        return f"{album}{ALBUM_SEPARATOR}{artist}" if album else None

    def _genres_of(self, ref: int) -> Sequence[str]:
        if ref > 0:
            track = self.library.tracks.get(ref)
            return track.genres if track else ()
        ids = [a for a in self.artists_of(ref) if isinstance(a, int)]
        return self.library.artists[ids[0]].genres if ids else ()

    def _labels_of(self, ref: int) -> Sequence[str]:
        track = self.library.tracks.get(ref) if ref > 0 else None
        return self.library.labels_of(track) if track else ()

    def credits(self, kind: str, ref: int) -> Sequence[Key]:
        """The entities of ``kind`` a ref's listening counts for."""
        if kind == "tracks":
            return [ref] if ref > 0 or self.song(ref)[0] else []
        if kind == "albums":
            album = self.album_of(ref)
            return [album] if album is not None else []
        if kind == "artists":
            return self.artists_of(ref)
        return self._genres_of(ref) if kind == "genres" else self._labels_of(ref)

    def name(self, kind: str, key: Key) -> str:
        """The name an entity is shown (and sorted) by."""
        lib = self.library
        if isinstance(key, str):
            return key.split(ALBUM_SEPARATOR)[0]
        if kind == "tracks":
            return lib.tracks[key].name if key > 0 else self.song(key)[0]
        if kind == "albums":
            return lib.albums[key].name
        return lib.artists[key].name

    def refs_of(self, kind: str, key: Key) -> list[int]:
        """Every ref whose listening counts for one entity of ``kind``."""
        return self._members(kind).get(key, [])

    def edges(self, kind: str) -> tuple[np.ndarray, np.ndarray, list[Key]]:
        """Every credit of ``kind``: ref positions (in ``refs``), entity numbers, and
        the key of each entity number."""
        return self._edges[kind]

    def _members(self, kind: str) -> dict[Key, list[int]]:
        if kind not in self._member_cache:
            self._member_cache[kind] = self._group(kind)
        return self._member_cache[kind]

    def _group(self, kind: str) -> dict[Key, list[int]]:
        positions, entities, keys = self._edges[kind]
        if not len(entities):
            return {}
        order = np.argsort(entities, kind="stable")
        bounds = np.flatnonzero(np.diff(entities[order])) + 1
        groups = np.split(self.refs[positions[order]], bounds)
        firsts = entities[order][np.concatenate(([0], bounds))].tolist()
        return {keys[e]: g.tolist() for e, g in zip(firsts, groups, strict=True)}

    # -- roll-up ------------------------------------------------------------------------

    def _build(self) -> dict[str, tuple[np.ndarray, np.ndarray, list[Key]]]:
        """For every kind, the (ref position, entity) pairs of all credits: one pass
        over the refs, entities numbered in order of first credit."""
        credits = [self._all_credits(ref) for ref in self.refs.tolist()]
        edges = {}
        for k, kind in enumerate(KINDS):
            counts = [len(c[k]) for c in credits]
            keys = [key for c in credits for key in c[k]]
            index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
            edges[kind] = (
                np.repeat(np.arange(len(credits), dtype=np.int64), counts),
                np.array([index[key] for key in keys], np.int64),
                list(index),
            )
        return edges

    def _all_credits(self, ref: int) -> tuple[Sequence[Key], ...]:
        """What a ref counts for, in KINDS order."""
        if ref > 0:
            track = self.library.tracks.get(ref)
            if track is None:
                return ((), (), (), (), ())
            album = (track.album_id,) if track.album_id is not None else ()
            labels = self.library.labels_of(track)
            return ((ref,), album, tuple(dict.fromkeys(track.artist_ids)), track.genres, labels)
        return tuple(self.credits(kind, ref) for kind in KINDS)

    def totals(self, kind: str, ref_totals: RefTotals) -> Totals:
        """Sum a period's listening per entity of ``kind``."""
        positions, entities, keys = self._edges[kind]
        at = np.searchsorted(self.refs, np.array(ref_totals.refs, np.int64))
        sums = []
        for values in (ref_totals.ms, ref_totals.plays, ref_totals.streams, ref_totals.skips):
            per_ref = np.zeros(len(self.refs), np.int64)
            per_ref[at] = values
            sums.append(np.bincount(entities, per_ref[positions], len(keys)).astype(np.int64))
        return Totals(keys, *sums)

    def top(self, kind: str, totals: Totals, measure: str, n: int) -> list[Item]:
        """The ``n`` entities with the most minutes (or plays); ties by the other
        measure, then by name."""
        first, second = (
            (totals.ms, totals.plays) if measure == "minutes" else (totals.plays, totals.ms)
        )
        present = np.flatnonzero(first)
        if len(present) > n:  # everything tied with the n-th is a candidate
            cut = np.partition(first[present], len(present) - n)[len(present) - n]
            present = present[first[present] >= cut]
        rows = sorted(
            present.tolist(),
            key=lambda i: (
                -first[i],
                -second[i],
                self.name(kind, totals.keys[i]).casefold(),
                str(totals.keys[i]),
            ),
        )
        return [
            Item(totals.keys[i], int(totals.ms[i]), int(totals.plays[i]), int(totals.streams[i]))
            for i in rows[:n]
        ]
