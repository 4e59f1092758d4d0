"""Import what a person downloaded: folders, zips or single files, one
transaction per file, recognised by content rather than by name alone."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, assert_never

import msgspec

from linernotes.clock import utc_stamp
from linernotes.model import (
    ArtistRef,
    FileKind,
    LikedRecord,
    PlaylistRecord,
    PlayRecord,
    SkippedRow,
    Source,
)
from linernotes.sources import export, exportify
from linernotes.sources.export import LibraryFile
from linernotes.sources.inputs import InputFile, iter_inputs
from linernotes.store import Store
from linernotes.store.imports import (
    is_imported,
    known_digests,
    last_play_id,
    record_import,
    remember_skipped,
)
from linernotes.store.playlists import add_playlist, playlist_origin
from linernotes.store.plays import PlayResolver, add_plays, prepare_all, reconcile_plays
from linernotes.store.skipped import add_skipped_rows
from linernotes.store.writer import LibraryWriter, RowCache, WriteCounts
from linernotes.workers import process_pool

log = logging.getLogger(__name__)

# Import order: what names tracks first, so plays without URI find them.
_ORDER: tuple[FileKind, ...] = (
    "playlists",
    "library",
    "follow",
    "exportify",
    "extended",
    "video",
    "account_history",
)
FileStatus = Literal["imported", "unchanged", "skipped"]


@dataclass
class FileResult:
    """What happened to one input file (``kind`` is "unknown" for a skipped file)."""

    name: str
    kind: FileKind | Literal["unknown"]
    status: FileStatus
    reason: str = ""
    counts: WriteCounts = field(default_factory=WriteCounts)
    rows_skipped: int = 0  # rows with impossible values, passed over
    notes: list[str] = field(default_factory=list)  # what was merged into what


@dataclass
class ImportReport:
    """Every file seen and what the import added."""

    files: list[FileResult] = field(default_factory=list)
    counts: WriteCounts = field(default_factory=WriteCounts)


_NAME_HINTS: tuple[tuple[re.Pattern[str], FileKind], ...] = (
    (re.compile(r"^(streaming_history_video|endvideo)"), "video"),
    (re.compile(r"^(endsong|streaming_history_audio)"), "extended"),
    (re.compile(r"^streaminghistory"), "account_history"),
    (re.compile(r"^playlist\d*\.json$"), "playlists"),
    (re.compile(r"^yourlibrary\.json$"), "library"),
    (re.compile(r"^follow\.json$"), "follow"),
)


def detect_kind(name: str, head: bytes) -> FileKind | Literal["empty"] | None:
    """Return what a file holds, from its first bytes, else from its name (so that
    a damaged file of a known kind gets a clear error instead of being skipped)."""
    text = head[:4096].decode("utf-8", "ignore").lstrip("\ufeff \r\n\t")
    lower = PurePosixPath(name.replace("!", "/")).name.casefold()
    if not text.strip() and lower.endswith((".csv", ".json")):
        return "empty"
    if lower.endswith(".csv"):
        return "exportify" if exportify.looks_like_exportify(text) else None
    if not lower.endswith(".json"):
        return None
    kind = _kind_from_content(text, lower)
    if kind is None and text[:1] in ("[", "{"):
        kind = next((k for pattern, k in _NAME_HINTS if pattern.match(lower)), None)
    return kind


def _kind_from_content(text: str, lower: str) -> FileKind | Literal["empty"] | None:
    def has(key: str) -> bool:
        return re.search(rf'"{key}"\s*:', text) is not None

    if text.startswith("["):
        if has("ts") and has("ms_played"):
            return "video" if "video" in lower else "extended"
        if has("endTime") and has("msPlayed"):
            return "account_history"
        return "empty" if text[1:].strip() == "]" else None
    if has("playlists"):
        return "playlists"
    if has("bannedTracks") or (has("tracks") and has("album")):
        return "library"
    if has("followerCount") or has("followingArtists"):
        return "follow"
    return None


def import_paths(
    store: Store,
    paths: list[Path],
    *,
    on_file: Callable[[FileResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every file under ``paths``; return what each file added.
    ``on_start`` hears how many files will be read, ``on_file`` of each one done.

    A file already imported (same bytes) adds nothing. A file in an unknown
    format is listed as skipped (and remembered in the store). A damaged file
    raises :class:`ImportFormatError` after the files before it have landed.
    The next file is read and parsed in a worker process while one is written.
    """
    report = ImportReport()
    queue: list[tuple[int, InputFile, FileKind]] = []
    for path in paths:
        for item in iter_inputs(path):
            kind = None if item.refused else detect_kind(item.name, item.head())
            if kind is None or kind == "empty":
                reason = item.refused or ("empty file" if kind else "not a file linernotes knows")
                report.files.append(FileResult(item.name, "unknown", "skipped", reason))
                continue
            queue.append((_ORDER.index(kind), item, kind))
    if report.files:  # so far, only the files passed over
        with store.transaction() as conn:
            remember_skipped(conn, [(f.name, f.reason) for f in report.files], utc_stamp())
    queue.sort(key=lambda q: (q[0], _file_number(q[1].name), q[1].name))
    known = known_digests(store.conn)
    importer = Importer(store)
    if on_start is not None:
        on_start(len(queue))
    _import_queue(importer, queue, known, report, on_file)
    return report


def _import_queue(
    importer: Importer,
    queue: list[tuple[int, InputFile, FileKind]],
    known: frozenset[str],
    report: ImportReport,
    on_file: Callable[[FileResult], None] | None,
) -> None:
    """Write the queued files in order while the next one is read and parsed."""
    with _reader() as reader:
        ahead: Future[Parsed] | None = None
        for index, (_, item, kind) in enumerate(queue):
            current = ahead or reader.submit(parse_file, item, kind, known)
            ahead = None
            if index + 1 < len(queue):
                _, next_item, next_kind = queue[index + 1]
                ahead = reader.submit(parse_file, next_item, next_kind, known)
            result = importer.write(current.result())
            report.files.append(result)
            report.counts.add(result.counts)
            if on_file is not None:
                on_file(result)


def _file_number(name: str) -> int:
    """The running number Spotify gives the files of one history (``…_2019-2020_3.json``):
    importing them in that order appends to the plays index instead of inserting
    into its middle."""
    match = re.search(r"_(\d+)\.json$", name)
    return int(match.group(1)) if match else -1


def _reader() -> Executor:
    """Where files are read and parsed: a worker process, so that parsing the next
    file runs on another core while this one is written (threads would fight over
    the GIL that SQLite releases and takes back for every row)."""
    if (os.cpu_count() or 1) < 2:
        return ThreadPoolExecutor(max_workers=1)
    return process_pool(1)


class PlaylistsFile(msgspec.Struct, frozen=True):
    """The playlists of ``Playlist1.json``, in file order."""

    playlists: list[PlaylistRecord]


class FollowFile(msgspec.Struct, frozen=True):
    """The artists ``Follow.json`` lists."""

    artists: list[ArtistRef]


class ExportifyPlaylist(msgspec.Struct, frozen=True):
    """One playlist exported by Exportify (its name guessed from the file name)."""

    playlist: PlaylistRecord


class ExportifyLiked(msgspec.Struct, frozen=True):
    """Liked Songs exported by Exportify."""

    liked: list[LikedRecord]


class PackedPlays(msgspec.Struct, frozen=True):
    """A history file's plays, prepared for the store and packed as msgpack: far
    cheaper to send between processes than pickles."""

    packed: bytes

    @classmethod
    def pack(cls, plays: Iterator[PlayRecord]) -> PackedPlays:
        """Prepare and pack ``plays``."""
        return cls(msgspec.msgpack.encode(prepare_all(plays)))

    def unpack(self) -> list[tuple[PlayRecord, str, str]]:
        """The prepared plays (record, match key, identity)."""
        return _PLAYS.decode(self.packed)


_PLAYS = msgspec.msgpack.Decoder(list[tuple[PlayRecord, str, str]])

# What one file holds, ready to be written.
FileRecords = (
    LibraryFile | PlaylistsFile | FollowFile | ExportifyPlaylist | ExportifyLiked | PackedPlays
)


@dataclass(frozen=True)
class Parsed:
    """One file read and turned into domain records (None when already imported)."""

    name: str
    kind: FileKind
    digest: str
    records: FileRecords | None
    skipped: tuple[SkippedRow, ...] = ()  # rows passed over for impossible values


def _read_exportify(
    data: bytes, path: Path, skipped: list[SkippedRow]
) -> ExportifyPlaylist | ExportifyLiked:
    found = exportify.read_exportify(data, path, skipped)
    return ExportifyLiked(found) if isinstance(found, list) else ExportifyPlaylist(found)


# Each parser lists the rows it skips (impossible values) in its third argument.
_PARSERS: dict[FileKind, Callable[[bytes, Path, list[SkippedRow]], FileRecords]] = {
    "library": lambda data, path, _: export.read_library(data, path),
    "playlists": lambda data, path, skipped: PlaylistsFile(
        export.read_playlists(data, path, skipped)
    ),
    "follow": lambda data, path, _: FollowFile(export.read_follow(data, path)),
    "exportify": _read_exportify,
    "extended": lambda data, path, skipped: PackedPlays.pack(
        export.iter_extended_plays(data, path, skipped=skipped)
    ),
    "video": lambda data, path, skipped: PackedPlays.pack(
        export.iter_extended_plays(data, path, video=True, skipped=skipped)
    ),
    "account_history": lambda data, path, skipped: PackedPlays.pack(
        export.iter_account_plays(data, path, skipped)
    ),
}


def parse_file(item: InputFile, kind: FileKind, known: frozenset[str] = frozenset()) -> Parsed:
    """Read and parse one file (no store access: this runs in the reader process)."""
    data = item.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest in known:
        return Parsed(item.name, kind, digest, None)
    skipped: list[SkippedRow] = []
    records = _PARSERS[kind](data, Path(item.name), skipped)
    return Parsed(item.name, kind, digest, records, tuple(skipped))


class Importer:
    """Writes parsed files, one transaction each, sharing what it learns between them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._resolver: PlayResolver | None = None
        self._cache = RowCache()

    def write(self, parsed: Parsed) -> FileResult:
        """Write one parsed file in one transaction (all of it or nothing)."""
        name, kind = parsed.name, parsed.kind
        if parsed.records is None:
            return FileResult(name, kind, "unchanged", "already imported")
        source: Source = "exportify" if kind == "exportify" else "export"
        try:
            with self.store.transaction() as conn:
                # Asked inside the transaction: another import of the same file may
                # have landed while this one waited for the store.
                if is_imported(conn, parsed.digest):
                    return FileResult(name, kind, "unchanged", "already imported")
                writer = LibraryWriter(conn, source, utc_stamp(), self._cache)
                since = last_play_id(conn)
                notes = self._apply(writer, parsed.records)
                reconcile_plays(writer, since)
                counts = writer.counts
                rows = counts.plays + counts.playlist_items + counts.liked
                record_import(conn, parsed.digest, name, kind, writer.fetched_at, rows)
                add_skipped_rows(conn, parsed.digest, name, parsed.skipped)
        except BaseException:
            # Both may hold rows the rollback removed.
            self._resolver = None
            self._cache = RowCache()
            raise
        return FileResult(name, kind, "imported", "", writer.counts, len(parsed.skipped), notes)

    def _apply(self, writer: LibraryWriter, records: FileRecords) -> list[str]:
        """Write ``records``; return what was merged into what (for the report)."""
        match records:
            case LibraryFile(liked=liked, artists=artists, shows=shows):
                writer.add_liked(liked)
                writer.add_follows(artists)
                for show in shows:
                    writer.add_show(show)
            case PlaylistsFile(playlists=playlists):
                for playlist in playlists:
                    add_playlist(writer, playlist)
            case FollowFile(artists=artists):
                writer.add_follows(artists)
            case ExportifyPlaylist(playlist=playlist):
                found = add_playlist(writer, playlist, name_is_guess=True)
                return _merged(writer, playlist.key, found)
            case ExportifyLiked(liked=liked):
                writer.add_liked(liked)
            case PackedPlays():
                if self._resolver is None:
                    self._resolver = PlayResolver(writer)
                add_plays(writer, records.unpack(), self._resolver)
            case _:
                assert_never(records)
        return []


# Where a playlist came from, by the prefix of its key.
_KEY_SOURCES = {"name": "the account data", "spotify": "Spotify", "exportify": "another CSV"}


def _merged(writer: LibraryWriter, key: str, playlist: int) -> list[str]:
    """Say so when a file's playlist joined one another file made (same name, or
    most tracks shared), rather than becoming a playlist of its own."""
    origin = playlist_origin(writer.conn, playlist)
    if origin is None or origin[0] == key:
        return []
    their_key, name = origin
    source = _KEY_SOURCES.get(their_key.split(":")[0], "an earlier import")
    return [f"merged into the playlist {name!r} from {source}"]
