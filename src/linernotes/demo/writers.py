"""Writers of the demo's Spotify export files, byte for byte in the real layouts.

Layouts follow ``shared/realdata/spotify_export``: account data is pretty-printed
with two spaces and raw UTF-8, empty arrays as ``[`` newline ``]``
(phuonggiant161 ``YourLibrary.json``); ``StreamingHistory_*`` files use the
``"key" : value`` separator (hobbies-w-erin); the extended history uses
``"key": value`` with its 23 keys in a fixed order (Efrrowini, 2026 layout).
No file ends with a newline, like the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import msgspec
import numpy as np

from linernotes.demo.catalogue import Catalogue
from linernotes.demo.history import LOCAL, MUSIC, PODCAST, REASONS, PlayChunk
from linernotes.demo.persona import HISTORY_END, DemoPlaylistItem, Persona
from linernotes.demo.styles import LOCAL_TRACKS, PLATFORMS, SHOWS

_EMPTY_ARRAY = re.compile(r'^( *)("(?:[^"\\]|\\.)*": )\[\](,?)$', re.MULTILINE)
_JSON = msgspec.json.Encoder()
EXTENDED_ROWS, ACCOUNT_ROWS = 15_000, 10_000
ACCOUNT_DAYS = 365


def pretty_json(document: object) -> str:
    """Return ``document`` as Spotify writes account data (indent 2, ``[`` ``]`` when empty)."""
    text = msgspec.json.format(_JSON.encode(document), indent=2).decode()
    return _EMPTY_ARRAY.sub(lambda m: f"{m[1]}{m[2]}[\n{m[1]}]{m[3]}", text)


def _quoted(value: str) -> str:
    return _JSON.encode(value).decode()


def _day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def local_uri(index: int) -> str:
    """``spotify:local:artist:album:title:seconds`` with '+' for spaces, like real exports."""
    artist, album, title, seconds = LOCAL_TRACKS[index]
    return ":".join(
        ["spotify:local", *(quote_plus(p) for p in (artist, album, title)), str(seconds)]
    )


def write_your_library(folder: Path, cat: Catalogue, person: Persona) -> None:
    """Write ``YourLibrary.json``: Liked Songs (newest first), saved albums, follows, shows."""

    def first_artist(track: int) -> str:
        return cat.artists[cat.tracks[track].artists[0]].name

    document = {
        "tracks": [
            {
                "artist": first_artist(t),
                "album": cat.albums[cat.tracks[t].album].name,
                "track": cat.tracks[t].name,
                "uri": f"spotify:track:{cat.tracks[t].id}",
            }
            for t, _ in person.liked
        ],
        "albums": [
            {
                "artist": cat.artists[cat.albums[a].artist].name,
                "album": cat.albums[a].name,
                "uri": f"spotify:album:{cat.albums[a].id}",
            }
            for a in person.saved_albums
        ],
        "shows": [
            {"name": name, "publisher": publisher, "uri": f"spotify:show:{show_id}"}
            for (name, publisher), show_id in zip(SHOWS, person.show_ids, strict=True)
        ],
        "episodes": [
            {"name": e.name, "show": SHOWS[e.show][0], "uri": f"spotify:episode:{e.id}"}
            for e in person.episodes[:: max(1, len(person.episodes) // 3)]
        ],
        "bannedTracks": [],
        "artists": [
            {"name": cat.artists[a].name, "uri": f"spotify:artist:{cat.artists[a].id}"}
            for a in person.followed
        ],
        "bannedArtists": [],
        "other": [],
    }
    (folder / "YourLibrary.json").write_bytes(pretty_json(document).encode())
    follow = {"followerCount": 3, "followingUsersCount": 5, "dismissingUsersCount": 0}
    (folder / "Follow.json").write_bytes(pretty_json(follow).encode())


def _item(cat: Catalogue, person: Persona, item: DemoPlaylistItem) -> dict[str, Any]:
    entry: dict[str, Any] = {"track": None, "episode": None, "audiobook": None, "localTrack": None}
    if item.kind == "track":
        track = cat.tracks[item.ref]
        entry["track"] = {
            "trackName": track.name,
            "artistName": cat.artists[track.artists[0]].name,
            "albumName": cat.albums[track.album].name,
            "trackUri": f"spotify:track:{track.id}",
        }
    elif item.kind == "local":
        entry["localTrack"] = {"uri": local_uri(item.ref)}
    else:
        episode = person.episodes[item.ref]
        entry["episode"] = {
            "episodeName": episode.name,
            "showName": SHOWS[episode.show][0],
            "episodeUri": f"spotify:episode:{episode.id}",
        }
    entry["addedDate"] = _day(item.added)
    return entry


def write_playlists(folder: Path, cat: Catalogue, person: Persona) -> None:
    """Write ``Playlist1.json`` one playlist at a time (large libraries stay small in memory)."""
    with (folder / "Playlist1.json").open("wb") as out:
        out.write(b'{\n  "playlists": [\n')
        for n, playlist in enumerate(person.playlists):
            document = {
                "name": playlist.name,
                "lastModifiedDate": _day(playlist.last_modified),
                "collaborators": [],
                "items": [_item(cat, person, i) for i in playlist.items],
                "description": playlist.description,
                "numberOfFollowers": playlist.followers,
            }
            block = "\n".join("    " + line for line in pretty_json(document).split("\n"))
            out.write(((",\n" if n else "") + block).encode())
        out.write(b"\n  ]\n}")


class _RowFiles:
    """Numbered JSON-array files of at most ``per_file`` pre-rendered rows each."""

    def __init__(self, folder: Path, per_file: int, name: Callable[[int, int, int], str]) -> None:
        self.folder, self.per_file, self.name = folder, per_file, name
        self.rows: list[bytes] = []
        self.years: list[int] = []
        self.written: list[Path] = []

    def add(self, row: str, year: int) -> None:
        self.rows.append(row.encode())
        self.years.append(year)
        if len(self.rows) >= self.per_file:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        path = self.folder / self.name(len(self.written), self.years[0], self.years[-1])
        path.write_bytes(b"[\n" + b",\n".join(self.rows) + b"\n]")
        self.written.append(path)
        self.rows, self.years = [], []


def _extended_name(kind: str) -> Callable[[int, int, int], str]:
    def name(n: int, first: int, last: int) -> str:
        years = str(first) if first == last else f"{first}-{last}"
        return f"Streaming_History_{kind}_{years}_{n}.json"

    return name


class _Metadata:
    """JSON-encoded names per track, local file and episode, encoded once."""

    def __init__(self, cat: Catalogue, person: Persona) -> None:
        self.music = [
            (
                _quoted(t.name),
                _quoted(cat.artists[t.artists[0]].name),
                _quoted(cat.albums[t.album].name),
                f'"spotify:track:{t.id}"',
            )
            for t in cat.tracks
        ]
        self.local = [
            (_quoted(title), _quoted(artist), _quoted(album), "null")
            for artist, album, title, _ in LOCAL_TRACKS
        ]
        self.episodes = [
            (_quoted(e.name), _quoted(SHOWS[e.show][0]), f'"spotify:episode:{e.id}"')
            for e in person.episodes
        ]

    def fields(self, kind: int, ref: int) -> tuple[str, str, str, str, str, str, str]:
        if kind == MUSIC:
            return (*self.music[ref], "null", "null", "null")
        if kind == LOCAL:
            return (*self.local[ref], "null", "null", "null")
        if kind == PODCAST:
            return ("null", "null", "null", "null", *self.episodes[ref])
        return ("null",) * 7


_BOOL = ("false", "true")


def _extended_row(ts: str, values: tuple[Any, ...], meta: tuple[str, ...], video: bool) -> str:
    platform, ms, ip, start, end, shuffle, skipped, offline, began, incognito = values
    offline_text, began_text = ("null", "null") if video else (_BOOL[offline], str(began))
    return (
        f'  {{\n    "ts": "{ts}Z",\n    "platform": "{PLATFORMS[platform]}",\n'
        f'    "ms_played": {ms},\n    "conn_country": "XA",\n    "ip_addr": "192.0.2.{ip}",\n'
        f'    "master_metadata_track_name": {meta[0]},\n'
        f'    "master_metadata_album_artist_name": {meta[1]},\n'
        f'    "master_metadata_album_album_name": {meta[2]},\n    "spotify_track_uri": {meta[3]},\n'
        f'    "episode_name": {meta[4]},\n    "episode_show_name": {meta[5]},\n'
        f'    "spotify_episode_uri": {meta[6]},\n    "audiobook_title": null,\n'
        f'    "audiobook_uri": null,\n    "audiobook_chapter_uri": null,\n'
        f'    "audiobook_chapter_title": null,\n    "reason_start": "{REASONS[start]}",\n'
        f'    "reason_end": "{REASONS[end]}",\n    "shuffle": {_BOOL[shuffle]},\n'
        f'    "skipped": {_BOOL[skipped]},\n    "offline": {offline_text},\n'
        f'    "offline_timestamp": {began_text},\n    "incognito_mode": {_BOOL[incognito]}\n  }}'
    )


def _account_row(ts: str, kind: int, meta: tuple[str, ...], ms: int) -> str:
    end_time = ts[:16].replace("T", " ")
    if kind == PODCAST:
        names = f'"podcastName" : {meta[5]},\n    "episodeName" : {meta[4]}'
    else:
        names = f'"artistName" : {meta[1]},\n    "trackName" : {meta[0]}'
    return f'  {{\n    "endTime" : "{end_time}",\n    {names},\n    "msPlayed" : {ms}\n  }}'


def write_histories(
    account: Path,
    extended: Path,
    cat: Catalogue,
    person: Persona,
    chunks: Iterable[PlayChunk],
    video: PlayChunk,
) -> int:
    """Write the extended history and, for its last year, the account-data history.

    Returns the number of extended-history rows written.
    """
    meta = _Metadata(cat, person)
    audio = _RowFiles(extended, EXTENDED_ROWS, _extended_name("Audio"))
    music = _RowFiles(account, ACCOUNT_ROWS, lambda n, *_: f"StreamingHistory_music_{n}.json")
    podcast = _RowFiles(account, ACCOUNT_ROWS, lambda n, *_: f"StreamingHistory_podcast_{n}.json")
    cutoff, total = HISTORY_END - ACCOUNT_DAYS * 86_400, 0
    for chunk in chunks:
        recent = chunk.ts >= cutoff
        for ts, kind, ref, values, is_recent in _iter_rows(chunk, recent):
            fields = meta.fields(kind, ref)
            audio.add(_extended_row(ts, values, fields, False), int(ts[:4]))
            if is_recent and (kind == PODCAST or fields[0] != "null"):
                target = podcast if kind == PODCAST else music
                target.add(_account_row(ts, kind, fields, values[1]), 0)
        total += len(chunk)
    for files in (audio, music, podcast):
        files.flush()
    videos = _RowFiles(extended, EXTENDED_ROWS, _video_name)
    for ts, kind, ref, values, _ in _iter_rows(video, np.zeros(len(video), bool)):
        videos.add(_extended_row(ts, values, meta.fields(kind, ref), True), int(ts[:4]))
    videos.flush()
    return total


def _video_name(_n: int, first: int, last: int) -> str:
    return f"Streaming_History_Video_{first if first == last else f'{first}-{last}'}.json"


def _iter_rows(
    chunk: PlayChunk, recent: np.ndarray
) -> Iterator[tuple[str, int, int, tuple[Any, ...], bool]]:
    stamps = np.datetime_as_string(chunk.ts.astype("datetime64[s]"), unit="s").tolist()
    began = (chunk.ts - chunk.ms // 1000).tolist()
    columns = zip(
        chunk.platform.tolist(),
        chunk.ms.tolist(),
        chunk.ip.tolist(),
        chunk.reason_start.tolist(),
        chunk.reason_end.tolist(),
        chunk.shuffle.tolist(),
        chunk.skipped.tolist(),
        chunk.offline.tolist(),
        began,
        chunk.incognito.tolist(),
        strict=True,
    )
    yield from zip(
        stamps, chunk.kind.tolist(), chunk.ref.tolist(), columns, recent.tolist(), strict=True
    )
