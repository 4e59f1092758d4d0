"""Spotify's "Download your data" files: typed at the edge, turned into records.

Shapes follow the real files in ``shared/realdata/spotify_export`` (see its
SOURCES.md): account data (``YourLibrary.json``, ``Playlist1.json``,
``StreamingHistory*.json``, ``Follow.json``) and the extended streaming
history (``endsong_N.json``, ``Streaming_History_Audio_*.json``, ``…Video…``).
Fields we must not keep (IP address, country, user agent, username) are not
even decoded: msgspec skips keys a struct does not declare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TypeVar
from urllib.parse import unquote_plus

import msgspec

from linernotes.errors import ImportFormatError
from linernotes.model import (
    AlbumRef,
    ArtistRef,
    LikedRecord,
    PlayKind,
    PlaylistItem,
    PlaylistRecord,
    PlayRecord,
    SkippedRow,
    TrackRecord,
    spotify_id,
)
from linernotes.sources.validate import (
    RowRejected,
    check_date,
    check_rate,
    note_skipped,
    play_problem,
)
from linernotes.text import clean_optional, clean_text


class _Saved(msgspec.Struct):
    artist: str | None = None
    album: str | None = None
    track: str | None = None
    uri: str | None = None


class _NamedUri(msgspec.Struct):
    name: str | None = None
    uri: str | None = None


class _Library(msgspec.Struct):
    tracks: list[_Saved] = []
    artists: list[_NamedUri] = []
    shows: list[_NamedUri] = []


class LibraryFile(msgspec.Struct, frozen=True):
    """What ``YourLibrary.json`` holds that we keep."""

    liked: list[LikedRecord]
    artists: list[ArtistRef]
    shows: list[str]


class _ItemTrack(msgspec.Struct):
    trackName: str | None = None
    artistName: str | None = None
    albumName: str | None = None
    trackUri: str | None = None


class _ItemEpisode(msgspec.Struct):
    episodeName: str | None = None


class _ItemLocal(msgspec.Struct):
    uri: str | None = None


class _Item(msgspec.Struct):
    track: _ItemTrack | None = None
    episode: _ItemEpisode | None = None
    audiobook: dict[str, object] | None = None
    localTrack: _ItemLocal | None = None
    addedDate: str | None = None


class _Playlist(msgspec.Struct):
    name: str
    items: list[_Item] = []
    lastModifiedDate: str | None = None
    description: str | None = None
    numberOfFollowers: Count | None = None


class _Playlists(msgspec.Struct):
    playlists: list[_Playlist]


class _Follow(msgspec.Struct):
    followingArtists: list[str] = []


# Durations are checked row by row (sources.validate): one impossible row is
# skipped, it does not make the whole file an error. Bounds keep absurd numbers
# out (SQLite integers stop at 2**63): no playlist has 2**53 followers.
Milliseconds = int
Count = Annotated[int, msgspec.Meta(ge=0, le=2**53)]


class _AccountPlay(msgspec.Struct):
    endTime: str
    msPlayed: Milliseconds
    artistName: str | None = None
    trackName: str | None = None
    podcastName: str | None = None
    episodeName: str | None = None
    audiobookName: str | None = None
    chapterName: str | None = None


class _ExtendedPlay(msgspec.Struct):
    ts: str
    ms_played: Milliseconds
    master_metadata_track_name: str | None = None
    master_metadata_album_artist_name: str | None = None
    master_metadata_album_album_name: str | None = None
    spotify_track_uri: str | None = None
    episode_name: str | None = None
    episode_show_name: str | None = None
    spotify_episode_uri: str | None = None
    audiobook_title: str | None = None
    audiobook_uri: str | None = None
    audiobook_chapter_title: str | None = None
    reason_start: str | None = None
    reason_end: str | None = None
    shuffle: bool | None = None
    skipped: bool | None = None
    offline: bool | None = None
    incognito_mode: bool | None = None


# The most JSON objects one file may hold: every object decoded costs up to 1.5 kB
# on its way into the store, and an import stays within 500 MB. Spotify cuts a
# history into files of 10,000 (account data) to ~16,000 plays (extended); a
# playlist item is two objects. Counted as the bytes "{" (an upper bound) before
# anything is decoded.
MAX_OBJECTS = 300_000
T = TypeVar("T")


def _decode(data: bytes, kind: type[T], path: Path) -> T:
    """Decode ``data`` as ``kind`` or raise one clear :class:`ImportFormatError`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark, as some editors save JSON
    if data.count(b"{") > MAX_OBJECTS:
        raise ImportFormatError(
            path,
            f"refusing a file of more than {MAX_OBJECTS:,} records",
            hint="no file of a Spotify export holds that many; is this the right file?",
        )
    try:
        return msgspec.json.decode(data, type=kind)
    except msgspec.ValidationError as exc:
        problem, _, where = str(exc).partition(" - at `")
        raise ImportFormatError(
            path, f"unexpected content: {problem}", where=_json_path(where.rstrip("`"))
        ) from exc
    except RecursionError as exc:
        raise ImportFormatError(
            path,
            "not a Spotify export file: its JSON is nested too deeply",
            hint="is this the right file?",
        ) from exc
    except UnicodeDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as whole:
            offset = whole.start
        else:
            offset = exc.start
        raise ImportFormatError(
            path,
            "not UTF-8 text",
            where=_position(data, offset),
            hint="download the export again; the file may be damaged",
        ) from exc
    except msgspec.DecodeError as exc:
        message = str(exc).removeprefix("JSON is malformed: ")
        position = re.search(r" \(byte (\d+)\)$", message)
        where = ""
        if position:
            where = _position(data, int(position.group(1)))
            message = message[: position.start()]
        elif "truncated" in message:
            where, message = "end of file", "the file ends in the middle of the JSON"
        raise ImportFormatError(
            path,
            f"not valid JSON: {message}",
            where=where,
            hint="download the export again; the file may be damaged",
        ) from exc


def _position(data: bytes, offset: int) -> str:
    """``line L, column C`` of a byte offset (columns count bytes, from 1)."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


_ISO = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?")


class _Clean(dict[str | None, str | None]):
    """Memo of cleaned names: a history repeats the same few thousand names."""

    def __missing__(self, raw: str | None) -> str | None:
        value = self[raw] = clean_optional(raw)
        return value


def _json_path(path: str) -> str:
    """Turn msgspec's ``$[12].ms_played`` into ``entry 12, field ms_played``."""
    match = re.match(r"^\$\[(\d+)\](?:\.(.+))?$", path)
    if match:
        field = f", field {match.group(2)}" if match.group(2) else ""
        return f"entry {int(match.group(1)) + 1}{field}"
    return path.removeprefix("$.").removeprefix("$")


def _track(name: str | None, artist: str | None, album: str | None, uri: str | None) -> TrackRecord:
    artists = (ArtistRef(clean_text(artist)),) if artist else ()
    album_ref = AlbumRef(clean_text(album), artists=artists) if album else None
    return TrackRecord(
        name=clean_text(name), artists=artists, spotify_id=spotify_id(uri), album=album_ref
    )


def local_track(uri: str) -> TrackRecord | None:
    """Return the track a ``spotify:local:artist:album:title:seconds`` URI describes."""
    parts = uri.split(":")
    if len(parts) < 6 or parts[1] != "local":
        return None
    artist, album, title = (clean_text(unquote_plus(p)) for p in parts[2:5])
    seconds = parts[5]
    return TrackRecord(
        name=title or "Unknown title",
        artists=(ArtistRef(artist),) if artist else (),
        album=AlbumRef(album, artists=(ArtistRef(artist),) if artist else ()) if album else None,
        duration_ms=int(seconds) * 1000 if seconds.isascii() and seconds.isdecimal() else None,
        is_local=True,
    )


def read_library(data: bytes, path: Path) -> LibraryFile:
    """Return Liked Songs, saved artists and saved shows from ``YourLibrary.json``."""
    library = _decode(data, _Library, path)
    liked = [
        LikedRecord(_track(t.track, t.artist, t.album, t.uri))
        for t in library.tracks
        if t.track and (t.uri is None or spotify_id(t.uri))
    ]
    artists = [
        ArtistRef(clean_text(a.name), spotify_id(a.uri, "artist"))
        for a in library.artists
        if a.name
    ]
    shows = [clean_text(s.name) for s in library.shows if s.name]
    return LibraryFile(liked, artists, shows)


def read_follow(data: bytes, path: Path) -> list[ArtistRef]:
    """Return the followed artists of ``Follow.json`` (older layouts list names)."""
    follow = _decode(data, _Follow, path)
    return [ArtistRef(clean_text(name)) for name in follow.followingArtists if name]


def read_playlists(
    data: bytes, path: Path, skipped: list[SkippedRow] | None = None
) -> list[PlaylistRecord]:
    """Return every playlist of ``Playlist1.json`` with its ordered items; an item
    added on an impossible date is skipped (and listed in ``skipped``)."""
    document = _decode(data, _Playlists, path)
    seen: dict[str, int] = {}
    records = []
    for playlist in document.playlists:
        name = clean_text(playlist.name) or "Untitled playlist"
        seen[name] = seen.get(name, 0) + 1
        key = f"name:{name}" if seen[name] == 1 else f"name:{name}#{seen[name]}"
        records.append(
            PlaylistRecord(
                key=key,
                name=name,
                items=tuple(_items(playlist.items, name, skipped)),
                description=clean_optional(playlist.description),
                last_modified=playlist.lastModifiedDate,
                followers=playlist.numberOfFollowers,
            )
        )
    return records


def _items(
    items: list[_Item], playlist: str, skipped: list[SkippedRow] | None
) -> Iterator[PlaylistItem]:
    for number, item in enumerate(items, start=1):
        added = item.addedDate
        try:
            check_date(added, "addedDate")
        except RowRejected as exc:
            note_skipped(skipped, exc, f"playlist {playlist[:60]!r}, item {number}")
            continue
        if item.track is not None:
            t = item.track
            yield PlaylistItem(
                "track",
                _track(t.trackName, t.artistName, t.albumName, t.trackUri),
                title=clean_text(t.trackName),
                added_at=added,
            )
        elif item.localTrack is not None and item.localTrack.uri:
            local = local_track(item.localTrack.uri)
            yield PlaylistItem("local", local, title=local.name if local else "", added_at=added)
        elif item.episode is not None:
            yield PlaylistItem(
                "episode", title=clean_text(item.episode.episodeName), added_at=added
            )
        elif item.audiobook is not None:
            yield PlaylistItem(
                "audiobook", title=clean_text(str(item.audiobook.get("name", ""))), added_at=added
            )


def iter_account_plays(
    data: bytes, path: Path, skipped: list[SkippedRow] | None = None
) -> Iterator[PlayRecord]:
    """Yield the plays of a ``StreamingHistory*.json`` file (minute precision); a
    play at an impossible time or of an impossible duration is skipped (and listed
    in ``skipped``)."""
    rows = _decode(data, list[_AccountPlay], path)
    text = _Clean()
    per_minute: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if not _ISO.match(row.endTime):
            raise ImportFormatError(
                path,
                f"'endTime' is not a date and time: {row.endTime[:40]!r}",
                where=f"entry {number}",
            )
        problem = play_problem(row.endTime, row.msPlayed, "endTime", "msPlayed")
        if problem is None:
            problem = check_rate(per_minute, row.endTime[:16])
        if problem is not None:
            note_skipped(skipped, problem, f"entry {number}")
            continue
        ts = row.endTime[:10] + "T" + row.endTime[11:16] + ":00Z"
        kind: PlayKind
        if row.podcastName or row.episodeName:
            kind, title, show = "podcast", row.episodeName, row.podcastName
        elif row.audiobookName or row.chapterName:
            kind, title, show = "audiobook", row.chapterName, row.audiobookName
        else:
            yield PlayRecord(
                ts,
                row.msPlayed,
                "music" if row.trackName else "unknown",
                "minute",
                track_name=text[row.trackName],
                artist_name=text[row.artistName],
            )
            continue
        yield PlayRecord(
            ts, row.msPlayed, kind, "minute", episode_name=text[title], show_name=text[show]
        )


def iter_extended_plays(
    data: bytes, path: Path, *, video: bool = False, skipped: list[SkippedRow] | None = None
) -> Iterator[PlayRecord]:
    """Yield the plays of an extended-history file (second precision); a play at an
    impossible time or of an impossible duration is skipped (and listed in ``skipped``)."""
    rows = _decode(data, list[_ExtendedPlay], path)
    text = _Clean()
    for number, row in enumerate(rows, start=1):
        ts = row.ts
        if not _ISO.match(ts):
            raise ImportFormatError(
                path, f"'ts' is not a date and time: {ts[:40]!r}", where=f"entry {number}"
            )
        problem = play_problem(ts, row.ms_played, "ts", "ms_played")
        if problem is not None:
            note_skipped(skipped, problem, f"entry {number}")
            continue
        yield PlayRecord(
            ts=f"{ts[:10]}T{ts[11:19]}Z" if len(ts) >= 19 else f"{ts[:10]}T{ts[11:16]}:00Z",
            ms_played=row.ms_played,
            kind=_extended_kind(row, video),
            track_id=spotify_id(row.spotify_track_uri),
            track_name=text[row.master_metadata_track_name],
            artist_name=text[row.master_metadata_album_artist_name],
            album_name=text[row.master_metadata_album_album_name],
            episode_id=(
                spotify_id(row.spotify_episode_uri, "episode") if row.spotify_episode_uri else None
            ),
            episode_name=text[row.episode_name or row.audiobook_chapter_title],
            show_name=text[row.episode_show_name or row.audiobook_title],
            reason_start=text[row.reason_start],
            reason_end=text[row.reason_end],
            shuffle=row.shuffle,
            skipped=row.skipped,
            offline=row.offline,
            incognito=row.incognito_mode,
        )


def _extended_kind(row: _ExtendedPlay, video: bool) -> PlayKind:
    if video:
        return "video"
    if row.spotify_episode_uri or row.episode_name:
        return "podcast"
    if row.audiobook_uri or row.audiobook_title:
        return "audiobook"
    if row.spotify_track_uri or row.master_metadata_track_name:
        return "music"
    return "unknown"
