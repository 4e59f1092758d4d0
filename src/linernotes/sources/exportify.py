"""Exportify CSVs (exportify.net and the pavelkomarov fork), every header variant.

Header variants seen in ``shared/realdata/exportify`` (SOURCES.md): watsonbox
18/19 columns (English or German), the fork's ``Spotify ID,Artist IDs`` (2022),
``Track ID`` with tabs inside a header cell (2024-12) and ``Track URI … Record
Label`` with a BOM (2025–26). Artists are joined with ", " and "\\," escapes
(exportify.net), ";" (fork since 2025-07) or plain "," (older fork builds).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path

from linernotes.errors import ImportFormatError
from linernotes.model import (
    AUDIO_FEATURES,
    AlbumRef,
    ArtistRef,
    AudioFeatures,
    ItemKind,
    LikedRecord,
    PlaylistItem,
    PlaylistRecord,
    SkippedRow,
    TrackRecord,
    spotify_id,
)
from linernotes.sources.export import local_track
from linernotes.sources.validate import (
    RowRejected,
    check_count,
    check_date,
    check_feature,
    note_skipped,
)
from linernotes.text import clean_optional, clean_text, strip_controls

# Canonical field → header spellings (compared after _header_key()).
_HEADERS: dict[str, tuple[str, ...]] = {
    "uri": ("Track URI", "Track ID", "Spotify ID", "Track-URI"),
    "name": ("Track Name", "Track-Name"),
    "artist_uris": ("Artist URI(s)", "Artist IDs", "Künstler-URI(s)"),
    "artists": ("Artist Name(s)", "Künstlername(n)"),
    "album_uri": ("Album URI", "Album-URI"),
    "album": ("Album Name", "Album-Name"),
    "album_artist_uris": ("Album Artist URI(s)", "Album-Künstler-URI(s)"),
    "album_artists": ("Album Artist Name(s)", "Album-Künstlername(n)"),
    "release_date": ("Album Release Date", "Release Date", "Veröffentlichungsdatum des Albums"),
    "image": ("Album Image URL", "Album-Bild-URL"),
    "disc": ("Disc Number", "Disc-Nummer"),
    "number": ("Track Number", "Track-Nummer"),
    "duration": ("Track Duration (ms)", "Duration (ms)", "Track-Dauer (ms)"),
    "explicit": ("Explicit", "Explizit"),
    "popularity": ("Popularity", "Beliebtheit"),
    "isrc": ("ISRC",),
    "added_by": ("Added By", "Hinzugefügt von"),
    "added_at": ("Added At", "Hinzugefügt am"),
    "genres": ("Genres", "Artist Genres"),
    "album_genres": ("Album Genres",),
    "label": ("Record Label", "Label"),
    **{name: (name.replace("_", " "),) for name in AUDIO_FEATURES},
}
# "liked.csv", "Liked_Songs.csv", "liked_songs_2024-12.csv" (dated backups), …
_LIKED_NAME = re.compile(
    r"^(liked([ _-]?songs)?|lieblingssongs|saved[ _-]?tracks)(\b|_|$)", re.IGNORECASE
)
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
# The most one CSV may hold: a playlist holds at most 10,000 tracks (a CSV of them
# is about 5 MB), Liked Songs a few times that. At these bounds the worst CSV (all
# rows of 500-character names) imports within 500 MB (measured: 460 MB).
MAX_ROWS = 60_000
MAX_BYTES = 48 * 1024**2


def _header_key(cell: str) -> str:
    return re.sub(r"[^\w]", "", cell.replace("\ufeff", "")).casefold()


_LOOKUP = {_header_key(spelling): field for field, names in _HEADERS.items() for spelling in names}


def looks_like_exportify(head: str) -> bool:
    """True when the first line of a CSV is an Exportify header."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    cells = {_LOOKUP.get(_header_key(c)) for c in next(csv.reader([first]), [])}
    return "name" in cells and ("uri" in cells or "artists" in cells)


def read_exportify(
    data: bytes, path: Path, skipped: list[SkippedRow] | None = None
) -> PlaylistRecord | list[LikedRecord]:
    """Return the playlist in an Exportify CSV, or Liked Songs for a liked export.

    The playlist's name comes from the file name (Exportify names files after
    the playlist); merging with the account-data export restores the real name.
    Its key is the file name as it is: two files whose names differ only in
    Unicode normalisation (``Café.csv`` twice, NFC and NFD) are two playlists.
    A row holding an impossible value is skipped (and listed in ``skipped``).
    """
    if len(data) > MAX_BYTES or data.count(b"\n") > MAX_ROWS:
        raise ImportFormatError(
            path,
            f"refusing a CSV of more than {MAX_ROWS:,} lines or {MAX_BYTES // 1024**2} MB",
            hint="a playlist holds at most 10,000 tracks; is this the right file?",
        )
    try:
        data.decode("utf-8-sig")  # all of it first: the error names the byte
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            path, f"not UTF-8 text (byte {exc.start})", hint="export the CSV again from Exportify"
        ) from exc
    # Read through a decoder, not from a StringIO: that would hold 4 bytes a character.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFormatError(
            path, f"not a readable CSV: {exc}", where=f"line {reader.line_num}"
        ) from exc
    if not rows or not rows[0]:
        raise ImportFormatError(path, "empty CSV file")
    fields = [_LOOKUP.get(_header_key(cell)) for cell in rows[0]]
    if "name" not in fields:
        raise ImportFormatError(
            path, "no 'Track Name' column", where="line 1", hint="is this an Exportify CSV?"
        )
    _check_last_row(rows, path)
    items = list(_iter_items(rows[1:], fields, path, skipped))
    stem = clean_text(path.stem)
    if _LIKED_NAME.match(stem):
        return [LikedRecord(item.track, item.added_at) for item in items if item.track]
    name = stem.replace("_", " ").strip() or "Untitled playlist"
    key = f"exportify:{strip_controls(path.stem).strip()}"
    return PlaylistRecord(key=key, name=name, items=tuple(items))


def _check_last_row(rows: list[list[str]], path: Path) -> None:
    """A last row shorter than every other row is a file cut short in the middle."""
    body = [len(r) for r in rows[1:] if any(c.strip() for c in r)]
    if len(body) >= 2 and body[-1] < min(body[:-1]):
        raise ImportFormatError(
            path,
            f"the last row has {body[-1]} of {min(body[:-1])} cells",
            where=f"row {len(body)}",
            hint="the file seems cut short; export it again",
        )


def _iter_items(
    rows: list[list[str]], fields: list[str | None], path: Path, skipped: list[SkippedRow] | None
) -> Iterator[PlaylistItem]:
    for line, row in enumerate(rows, start=2):  # lines as rows (no field spans lines)
        if not any(cell.strip() for cell in row):
            continue
        values = {f: row[i] for i, f in enumerate(fields) if f and i < len(row)}
        added_at = clean_optional(values.get("added_at"))
        try:
            track = _track(values)
            _check(track, added_at)
        except RowRejected as exc:
            note_skipped(skipped, exc, f"line {line}")
            continue
        except ValueError as exc:
            raise ImportFormatError(path, str(exc), where=f"line {line}") from exc
        kind: ItemKind = "local" if track.is_local else "track"
        yield PlaylistItem(
            kind,
            track,
            title=track.name,
            added_at=added_at,
            added_by=clean_optional(values.get("added_by")),
        )


def _check(track: TrackRecord, added_at: str | None) -> None:
    """Raise :class:`RowRejected` when the row holds an impossible value."""
    check_count("duration", track.duration_ms)
    check_count("popularity", track.popularity)
    check_count("disc", track.disc_number)
    check_count("number", track.track_number)
    if track.features is not None:
        for name in AUDIO_FEATURES:
            check_feature(name, getattr(track.features, name))
    if track.album is not None:
        check_date(track.album.release_date, "Album Release Date")
    check_date(added_at, "Added At")


def _track(v: dict[str, str]) -> TrackRecord:
    uri = v.get("uri", "").strip()
    if uri.startswith("spotify:local:"):
        local = local_track(uri)
        if local is not None:
            return local
    names = split_artists(v.get("artists", ""), v.get("artist_uris", ""))
    ids = [spotify_id(u.strip(), "artist") for u in _split_uris(v.get("artist_uris", ""))]
    genres = tuple(_split_list(v.get("genres", "")))
    artists = tuple(
        ArtistRef(
            name,
            ids[i] if i < len(ids) and len(ids) == len(names) else None,
            genres=genres if len(names) == 1 else (),
        )
        for i, name in enumerate(names)
    )
    album = None
    if v.get("album", "").strip():
        album_names = split_artists(v.get("album_artists", ""), v.get("album_artist_uris", ""))
        album = AlbumRef(
            name=clean_text(v["album"]),
            spotify_id=spotify_id(v.get("album_uri"), "album"),
            artists=tuple(ArtistRef(n) for n in album_names) or artists[:1],
            release_date=clean_optional(v.get("release_date")),
            image_url=clean_optional(v.get("image")),
            labels=(clean_text(v["label"]),) if v.get("label", "").strip() else (),
            genres=tuple(_split_list(v.get("album_genres", ""))),
        )
    return TrackRecord(
        name=clean_text(v.get("name")),
        artists=artists,
        spotify_id=spotify_id(uri),
        album=album,
        duration_ms=_int(v.get("duration")),
        explicit=_bool(v.get("explicit")),
        isrc=clean_optional(v.get("isrc")),
        disc_number=_int(v.get("disc")),
        track_number=_int(v.get("number")),
        popularity=_int(v.get("popularity")),
        genres=tuple(genres) if len(names) != 1 else (),
        features=_features(v),
    )


def split_artists(names: str, uris: str = "") -> list[str]:
    """Split an Artist Name(s) cell into names, whatever the Exportify build."""
    if not names.strip():
        return []
    expected = len(_split_uris(uris))
    if ";" in names and (not expected or names.count(";") + 1 == expected):
        parts = names.split(";")
    else:
        parts = [p.replace("\\,", ",") for p in _UNESCAPED_COMMA.split(names)]
    return [clean_text(p) for p in parts if p.strip()]


def _split_uris(cell: str) -> list[str]:
    return [u for u in re.split(r"[,;]\s*", cell.strip()) if u]


def _split_list(cell: str) -> list[str]:
    return [clean_text(g) for g in cell.split(",") if g.strip()]


def _number(cell: str | None) -> float | None:
    cell = (cell or "").strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"expected a number, got {cell[:40]!r}") from None
    if not math.isfinite(value) or abs(value) > 2**53:
        raise ValueError(f"number out of range: {cell[:40]!r}")
    return value


def _int(cell: str | None) -> int | None:
    value = _number(cell)
    return None if value is None else int(value)


def _float(cell: str | None) -> float | None:
    return _number(cell)


def _bool(cell: str | None) -> bool | None:
    cell = (cell or "").strip().casefold()
    return {"true": True, "false": False, "wahr": True, "falsch": False}.get(cell)


def _features(v: dict[str, str]) -> AudioFeatures | None:
    ints = {"key", "mode", "time_signature"}
    values = {
        name: (_int(v.get(name)) if name in ints else _float(v.get(name)))
        for name in AUDIO_FEATURES
        if name in v
    }
    features = AudioFeatures(**values)  # type: ignore[arg-type]
    return None if features.is_empty() else features
