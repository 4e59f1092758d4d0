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
from typing import Any

import msgspec

from linernotes.model import PlayRecord, SkippedRow
from linernotes.sources import export, exportify
from linernotes.sources.inputs import InputFile, iter_inputs
from linernotes.store import Store
from linernotes.store.db import utc_now
from linernotes.store.playlists import add_playlist
from linernotes.store.plays import PlayResolver, add_plays, prepare_all, reconcile_plays
from linernotes.store.skipped import add_skipped_rows
from linernotes.store.writer import LibraryWriter, RowCache, WriteCounts
from linernotes.workers import process_pool

log = logging.getLogger(__name__)

# Import order: what names tracks first, so plays without URI find them.
_ORDER = ("playlists", "library", "follow", "exportify", "extended", "video", "account_history")


@dataclass
class FileResult:
    """What happened to one input file."""

    name: str
    kind: str
    status: str  # "imported", "unchanged", "skipped"
    reason: str = ""
    counts: WriteCounts = field(default_factory=WriteCounts)
    rows_skipped: int = 0  # rows with impossible values, passed over
    notes: list[str] = field(default_factory=list)  # what was merged into what


@dataclass
class ImportReport:
    """Every file seen and what the import added."""

    files: list[FileResult] = field(default_factory=list)
    counts: WriteCounts = field(default_factory=WriteCounts)


_NAME_HINTS = (
    (re.compile(r"^(streaming_history_video|endvideo)"), "video"),
    (re.compile(r"^(endsong|streaming_history_audio)"), "extended"),
    (re.compile(r"^streaminghistory"), "account_history"),
    (re.compile(r"^playlist\d*\.json$"), "playlists"),
    (re.compile(r"^yourlibrary\.json$"), "library"),
    (re.compile(r"^follow\.json$"), "follow"),
)


def detect_kind(name: str, head: bytes) -> str | None:
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


def _kind_from_content(text: str, lower: str) -> str | None:
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
    store: Store, paths: list[Path], *, on_file: Callable[[FileResult], None] | None = None
) -> ImportReport:
    """Import every file under ``paths``; return what each file added.

    A file already imported (same bytes) adds nothing. A file in an unknown
    format is listed as skipped (and remembered in the store). A damaged file
    raises :class:`ImportFormatError` after the files before it have landed.
    The next file is read and parsed in a second thread while one is written.
    """
    report = ImportReport()
    queue: list[tuple[int, InputFile, str]] = []
    for path in paths:
        for item in iter_inputs(path):
            kind = None if item.refused else detect_kind(item.name, item.head())
            if kind is None or kind == "empty":
                reason = item.refused or ("empty file" if kind else "not a file linernotes knows")
                report.files.append(FileResult(item.name, "unknown", "skipped", reason))
                continue
            queue.append((_ORDER.index(kind), item, kind))
    _remember_skipped(store, [f for f in report.files if f.status == "skipped"])
    queue.sort(key=lambda q: (q[0], _file_number(q[1].name), q[1].name))
    known = frozenset(r[0] for r in store.conn.execute("SELECT sha256 FROM imports"))
    importer = Importer(store)
    _import_queue(importer, queue, known, report, on_file)
    return report


def _import_queue(
    importer: Importer,
    queue: list[tuple[int, InputFile, str]],
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


def _remember_skipped(store: Store, skipped: list[FileResult]) -> None:
    if skipped:
        with store.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO skipped_files VALUES (?, ?, ?)",
                [(f.name, f.reason, utc_now()) for f in skipped],
            )


@dataclass(frozen=True)
class Parsed:
    """One file read and turned into domain records (None when already imported)."""

    name: str
    kind: str
    digest: str
    records: Any
    skipped: tuple[SkippedRow, ...] = ()


def _packed(plays: Iterator[PlayRecord]) -> bytes:
    """Plays prepared for the store, as msgpack: far cheaper to send between
    processes than pickles."""
    return msgspec.msgpack.encode(prepare_all(plays))


# Each parser lists the rows it skips (impossible values) in its third argument.
_PARSERS: dict[str, Callable[[bytes, Path, list[SkippedRow]], Any]] = {
    "library": lambda data, path, _: export.read_library(data, path),
    "playlists": export.read_playlists,
    "follow": lambda data, path, _: export.read_follow(data, path),
    "exportify": exportify.read_exportify,
    "extended": lambda data, path, skipped: _packed(
        export.iter_extended_plays(data, path, skipped=skipped)
    ),
    "video": lambda data, path, skipped: _packed(
        export.iter_extended_plays(data, path, video=True, skipped=skipped)
    ),
    "account_history": lambda data, path, skipped: _packed(
        export.iter_account_plays(data, path, skipped)
    ),
}
_PLAYS = msgspec.msgpack.Decoder(list[tuple[PlayRecord, str, str]])


def parse_file(item: InputFile, kind: str, known: frozenset[str] = frozenset()) -> Parsed:
    """Read and parse one file (no store access: this runs in the reader thread)."""
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

    def import_file(self, name: str, data: bytes, kind: str) -> FileResult:
        """Parse and write one file's bytes."""
        return self.write(parse_file(InputFile(name, Path(name), content=data), kind))

    def write(self, parsed: Parsed) -> FileResult:
        """Write one parsed file in one transaction (all of it or nothing)."""
        name, kind = parsed.name, parsed.kind
        if parsed.records is None:
            return FileResult(name, kind, "unchanged", "already imported")
        source = "exportify" if kind == "exportify" else "export"
        try:
            with self.store.transaction() as conn:
                # Asked inside the transaction: another import of the same file
                # may have landed while this one waited for the store.
                if conn.execute(
                    "SELECT 1 FROM imports WHERE sha256 = ?", (parsed.digest,)
                ).fetchone():
                    return FileResult(name, kind, "unchanged", "already imported")
                writer = LibraryWriter(conn, source, utc_now(), self._cache)
                since = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM plays").fetchone()[0])
                notes = self._apply(kind, writer, parsed.records)
                reconcile_plays(writer, since)
                counts = writer.counts
                conn.execute(
                    "INSERT INTO imports VALUES (?, ?, ?, ?, ?)",
                    (
                        parsed.digest,
                        name,
                        kind,
                        writer.fetched_at,
                        counts.plays + counts.playlist_items + counts.liked,
                    ),
                )
                conn.execute("DELETE FROM skipped_files WHERE name = ?", (name,))
                add_skipped_rows(conn, parsed.digest, name, parsed.skipped)
        except BaseException:
            # Both may hold rows the rollback removed.
            self._resolver = None
            self._cache = RowCache()
            raise
        return FileResult(name, kind, "imported", "", writer.counts, len(parsed.skipped), notes)

    def _apply(self, kind: str, writer: LibraryWriter, records: Any) -> list[str]:
        if kind == "library":
            writer.add_liked(records.liked)
            writer.add_follows(records.artists)
            for show in records.shows:
                writer.add_show(show)
        elif kind == "playlists":
            for record in records:
                add_playlist(writer, record)
        elif kind == "follow":
            writer.add_follows(records)
        elif kind == "exportify":
            if isinstance(records, list):
                writer.add_liked(records)
            else:
                playlist = add_playlist(writer, records, name_is_guess=True)
                return _merged(writer, records.key, playlist)
        else:  # extended, video, account_history: plays
            if self._resolver is None:
                self._resolver = PlayResolver(writer)
            add_plays(writer, _PLAYS.decode(records), self._resolver)
        return []


# Where a playlist came from, by the prefix of its key.
_KEY_SOURCES = {"name": "the account data", "spotify": "Spotify", "exportify": "another CSV"}


def _merged(writer: LibraryWriter, key: str, playlist: int) -> list[str]:
    """Say so when a file's playlist joined one another file made (same name, or
    most tracks shared), rather than becoming a playlist of its own."""
    row = writer.conn.execute("SELECT key, name FROM playlists WHERE id = ?", (playlist,))
    found = row.fetchone()
    if found is None or found[0] == key:
        return []
    source = _KEY_SOURCES.get(found[0].split(":")[0], "an earlier import")
    return [f"merged into the playlist {found[1]!r} from {source}"]
