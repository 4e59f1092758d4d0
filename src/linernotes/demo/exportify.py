"""Exportify CSVs of the demo library, as exportify.net writes them with every option on.

Format (watsonbox/exportify ``TracksBaseData``, ``TracksArtistsData``,
``TracksAudioFeaturesData``, ``TracksExtendedAlbumData``): every field quoted,
artist names joined with ", " and commas inside a name escaped as ``\\,``,
artist genres joined with "," (no space), copyrights as "C <text>, P <text>",
numbers printed the JavaScript way (no exponent, no trailing zeros).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from linernotes.demo.catalogue import Catalogue
from linernotes.demo.persona import Persona

# fmt: off
HEADER = [
    "Track URI", "Track Name", "Artist URI(s)", "Artist Name(s)", "Album URI", "Album Name",
    "Album Artist URI(s)", "Album Artist Name(s)", "Album Release Date", "Album Image URL",
    "Disc Number", "Track Number", "Track Duration (ms)", "Track Preview URL", "Explicit",
    "Popularity", "ISRC", "Added By", "Added At", "Artist Genres", "Danceability", "Energy", "Key",
    "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness", "Liveness", "Valence",
    "Tempo", "Time Signature", "Album Genres", "Label", "Copyrights",
]
# fmt: on
ADDED_BY = "spotify:user:demo_user"
_NON_WORD = re.compile(r"[^\w]+")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
# Stems an importer may read as Liked Songs; a playlist must never get one.
_LIKED_STEMS = {"liked", "liked_songs", "lieblingssongs", "saved_tracks"}
_MAX_STEM_BYTES = 80


def safe_stem(name: str, taken: set[str]) -> str:
    """Return a unique, non-empty file stem for ``name`` that stays inside its folder.

    Lower-case NFC, runs of non-word characters become "_", at most 80 bytes,
    never a Windows reserved name, unique in ``taken`` after case-folding.
    """
    stem = _NON_WORD.sub("_", unicodedata.normalize("NFC", name).lower()).strip("_")
    stem = stem.encode()[:_MAX_STEM_BYTES].decode(errors="ignore").strip("_") or "playlist"
    if stem in _RESERVED:
        stem = f"playlist_{stem}"
    base, n = stem, 2
    while stem.casefold() in taken or stem in _LIKED_STEMS:
        stem, n = f"{base}_{n}", n + 1
    taken.add(stem.casefold())
    return stem


def _number(value: float) -> str:
    return np.format_float_positional(value, trim="-")


def _names(names: list[str]) -> str:
    return ", ".join(name.replace(",", "\\,") for name in names)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Rows:
    """Builds the 35 cells of a track's row; only Added By/At differ between files."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat

    def row(self, index: int, added_by: str, added_at: int) -> list[str]:
        cat, track = self.cat, self.cat.tracks[index]
        album = cat.albums[track.album]
        artists = [cat.artists[a] for a in track.artists]
        album_artist = cat.artists[album.artist]
        cells = [
            f"spotify:track:{track.id}",
            track.name,
            ", ".join(f"spotify:artist:{a.id}" for a in artists),
            _names([a.name for a in artists]),
            f"spotify:album:{album.id}",
            album.name,
            f"spotify:artist:{album_artist.id}",
            _names([album_artist.name]),
            album.release_date,
            album.cover,
            str(track.disc),
            str(track.number),
            str(track.duration_ms),
            track.preview,
            "true" if track.explicit else "false",
            str(track.popularity),
            track.isrc,
            added_by,
            _iso(added_at),
            ",".join(dict.fromkeys(genre for a in artists for genre in a.genres)),
        ]
        cells += self._features(index)
        copyrights = f"C {album.year} {album.label}, P {album.year} {album.label}"
        return [*cells, "", album.label, copyrights]

    def _features(self, index: int) -> list[str]:
        if not self.cat.has_features[index]:
            return [""] * 12
        dance, energy, valence, acoustic, instrumental, speech, live, loud, tempo = (
            self.cat.features[index].tolist()
        )
        key, mode, meter = self.cat.key_mode_meter[index].tolist()
        return [
            _number(dance),
            _number(energy),
            str(key),
            _number(loud),
            str(mode),
            _number(speech),
            _number(acoustic),
            _number(instrumental),
            _number(live),
            _number(valence),
            _number(tempo),
            str(meter),
        ]


def _write_csv(path: Path, rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_exportify(folder: Path, cat: Catalogue, person: Persona) -> dict[str, Path]:
    """Write one CSV per playlist plus ``liked.csv``; return playlist name → path.

    Only Spotify tracks become rows: Exportify drops local files and episodes.
    Playlists sharing a name map to the first file of that name.
    """
    rows = _Rows(cat)
    _write_csv(folder / "liked.csv", (rows.row(t, "", added) for t, added in person.liked))
    taken: set[str] = {"liked"}
    paths: dict[str, Path] = {}
    for playlist in person.playlists:
        path = folder / f"{safe_stem(playlist.name, taken)}.csv"
        _write_csv(
            path,
            (
                rows.row(item.ref, ADDED_BY, item.added)
                for item in playlist.items
                if item.kind == "track"
            ),
        )
        paths.setdefault(playlist.name, path)
    return paths
