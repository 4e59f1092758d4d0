"""Name search in the fakes: what a query asks for, which tracks it finds, and decoys.

Real search services answer a search by names with the recording asked for
among others that look like it: a live version, a karaoke or "originally
performed by" cover, a remix, the same title by another artist, the same song
on a live album. The fakes do the same, so a client that takes the first
result, or ignores versions, stores a decoy — which the tests can see: every
decoy has an id of its own (``is_decoy``) and its release is on "Decoy Records".

Matching here is the fakes' own, written independently of linernotes' folding:
lower case, runs of non-letters as one space, "contains" as a search engine does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.sources.providers.catalogue import FakeCatalogue, FakeTrack, mbid, numeric_id

DECOY_LABEL = "Decoy Records"
DECOY_GENRE = "Decoy Wave"
DEEZER_DECOY_BASE = 4_000_000_000  # above every id of the catalogue (numeric_id < 3e9 + 1)
_PHRASE = re.compile(r'(\w+):"((?:[^"\\]|\\.)*)"')  # Lucene: \" and \\ escaped
_PLAIN_PHRASE = re.compile(r'(\w+):"([^"]*)"')  # Deezer: no escapes


def fold(text: str) -> str:
    """Lower case, every run of characters that are no letter or digit one space."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def phrases(query: str, *, lucene: bool = False) -> dict[str, str]:
    """``field:"value"`` pairs of a Deezer query, or of a Lucene one (escapes undone)."""
    if not lucene:
        return dict(_PLAIN_PHRASE.findall(query))
    return {k: re.sub(r"\\(.)", r"\1", v) for k, v in _PHRASE.findall(query)}


@dataclass(frozen=True)
class Decoy:
    """A search result that is not the track asked for."""

    key: str
    title: str
    artist: str
    album: str
    duration_ms: int

    @property
    def deezer_id(self) -> int:
        return DEEZER_DECOY_BASE + numeric_id("decoy:" + self.key)

    @property
    def deezer_album_id(self) -> int:
        return DEEZER_DECOY_BASE + numeric_id("decoy-album:" + self.key)

    @property
    def mbid(self) -> str:
        return mbid("search-decoy", self.key)

    @property
    def release_mbid(self) -> str:
        return mbid("search-decoy-release", self.key)


def decoys_for(
    artist: str, title: str, album: str = "", duration_ms: int = 215_000
) -> tuple[list[Decoy], list[Decoy]]:
    """The decoys of a search for ``title`` by ``artist``: those listed before the
    track asked for, and those after it. Two are on an edition of ``album`` (a live
    bonus track, a remix), so that a search filtered by album finds them too."""
    key = f"{fold(artist)}|{fold(title)}|{fold(album)}"
    edition = f"{album} (Deluxe Edition)" if album else "Live at the Palace"
    before = [
        Decoy(
            key + "|live", f"{title} (Live at the Palace)", artist, edition, duration_ms + 23_000
        ),
        Decoy(
            key + "|karaoke",
            f"{title} (Originally Performed by {artist})",
            "Karaoke Hits Band",
            "Karaoke Party, Vol. 3",
            duration_ms,
        ),
    ]
    after = [
        Decoy(key + "|remix", f"{title} - Club Remix", artist, edition, duration_ms),
        Decoy(key + "|other", title, "Same Title Ensemble", "Another Record", duration_ms + 1000),
        Decoy(key + "|livealbum", title, artist, "Live in Berlin", duration_ms + 31_000),
    ]
    return before, after


class SearchIndex:
    """The catalogue's tracks found by artist, title and album, as a search finds them."""

    def __init__(self, catalogue: FakeCatalogue) -> None:
        self.by_artist: dict[str, list[tuple[str, str, FakeTrack]]] = {}
        for track in catalogue.tracks.values():
            entry = (fold(track.name), fold(track.album_name), track)
            for artist in {fold(a.name) for a in track.artists}:
                self.by_artist.setdefault(artist, []).append(entry)
        self.decoys: dict[str, Decoy] = {}  # every decoy served, by its ids

    def find(self, artist: str, title: str, album: str = "") -> list[FakeTrack]:
        """Tracks credited to ``artist`` whose title contains ``title`` and whose album
        matches ``album`` (when given: one contains the other)."""
        t, al = fold(title), fold(album)
        return [
            track
            for name, album_name, track in self.by_artist.get(fold(artist), [])
            if t in name and (not al or al in album_name or album_name in al)
        ]

    def search(self, artist: str, title: str, album: str = "") -> list[FakeTrack | Decoy]:
        """Results in the order a service might give them: decoys first and last."""
        found = self.find(artist, title, album)
        duration = found[0].duration_ms if found else 215_000
        before, after = decoys_for(artist, title, album, duration)
        if album:  # an album filter keeps only the decoys on an album of that name
            before = [d for d in before if fold(album) in fold(d.album)]
            after = [d for d in after if fold(album) in fold(d.album)]
        for decoy in (*before, *after):
            for key in (str(decoy.deezer_id), str(decoy.deezer_album_id)):
                self.decoys[key] = decoy
            self.decoys[decoy.mbid] = self.decoys[decoy.release_mbid] = decoy
        return [*before, *found, *after]

    def decoy(self, key: str | int) -> Decoy | None:
        """The decoy with this id (a Deezer track or album id, a recording or release
        MBID), when one was served."""
        return self.decoys.get(str(key))

    def decoy_ids(self) -> set[str]:
        """The ids of every decoy served (Deezer track and album ids, MBIDs)."""
        return set(self.decoys)
