"""Import what a person downloaded: folders, zips or single files, one
transaction per file, recognised by content rather than by name alone."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from linernotes.errors import ImportFormatError
from linernotes.sources import export, exportify
from linernotes.store import Store
from linernotes.store.db import utc_now
from linernotes.store.playlists import add_playlist
from linernotes.store.plays import add_plays, reconcile_plays
from linernotes.store.writer import LibraryWriter, WriteCounts

log = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 16 * 1024**3  # a real extended history is a few GB at most
# Import order: what names tracks first, so plays without URI find them.
_ORDER = ("playlists", "library", "follow", "exportify", "extended", "video", "account_history")


@dataclass(frozen=True)
class InputFile:
    """One file to import, from disk or from inside a zip."""

    name: str
    read: Callable[[], bytes]
    head: Callable[[], bytes]
    refused: str = ""  # why this entry must not be read (an unsafe path in a zip)


@dataclass
class FileResult:
    """What happened to one input file."""

    name: str
    kind: str
    status: str  # "imported", "unchanged", "skipped"
    reason: str = ""
    counts: WriteCounts = field(default_factory=WriteCounts)


@dataclass
class ImportReport:
    """Every file seen and what the import added."""

    files: list[FileResult] = field(default_factory=list)
    counts: WriteCounts = field(default_factory=WriteCounts)


def iter_inputs(path: Path) -> Iterator[InputFile]:
    """Yield the files under ``path`` (a file, a folder or a zip), in name order."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from iter_inputs(child)
    elif path.suffix.casefold() == ".zip":
        yield from _iter_zip(path)
    elif path.is_file():
        yield InputFile(str(path), path.read_bytes, lambda: _head(path))
    else:
        raise ImportFormatError(path, "no such file or folder")


def _iter_zip(path: Path) -> Iterator[InputFile]:
    try:
        archive = zipfile.ZipFile(path)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(
            path,
            f"not a readable zip: {exc}",
            hint="the download may be truncated; download it again",
        ) from exc
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise ImportFormatError(path, f"refusing a zip that unpacks to {total / 1024**3:.0f} GiB")
    for entry in sorted(entries, key=lambda e: e.filename):
        name = entry.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if entry.is_dir():
            continue
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            log.warning("%s: ignoring unsafe entry %r", path, name)
            yield InputFile(f"{path}!{name}", bytes, bytes, refused="unsafe path inside zip")
            continue
        yield InputFile(
            f"{path}!{name}",
            functools.partial(_read_entry, archive, entry, path),
            functools.partial(_read_entry, archive, entry, path, limit=4096),
        )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4096)


def _read_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, path: Path, limit: int = -1
) -> bytes:
    try:
        with archive.open(entry) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFormatError(
            path, f"entry {entry.filename!r} is damaged: {exc}", hint="download the export again"
        ) from exc


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
    format is listed as skipped. A file that is damaged raises
    :class:`ImportFormatError` after the files before it have landed.
    """
    report = ImportReport()
    queue: list[tuple[int, InputFile, str]] = []
    for path in paths:
        for item in iter_inputs(path):
            if item.refused:
                report.files.append(FileResult(item.name, "unknown", "skipped", item.refused))
                continue
            kind = detect_kind(item.name, item.head())
            if kind is None or kind == "empty":
                reason = "empty file" if kind else "not a file linernotes knows"
                report.files.append(FileResult(item.name, "unknown", "skipped", reason))
                continue
            queue.append((_ORDER.index(kind), item, kind))
    for _, item, kind in sorted(queue, key=lambda q: (q[0], q[1].name)):
        result = import_file(store, item.name, item.read(), kind)
        report.files.append(result)
        report.counts.add(result.counts)
        if on_file is not None:
            on_file(result)
    return report


def import_file(store: Store, name: str, data: bytes, kind: str) -> FileResult:
    """Import one file in one transaction (all of it or nothing)."""
    digest = hashlib.sha256(data).hexdigest()
    if store.scalar("SELECT 1 FROM imports WHERE sha256 = ?", (digest,)):
        return FileResult(name, kind, "unchanged", "already imported")
    source = "exportify" if kind == "exportify" else "export"
    path = Path(name)
    with store.transaction() as conn:
        writer = LibraryWriter(conn, source, utc_now())
        _IMPORTERS[kind](writer, data, path)
        reconcile_plays(writer)
        conn.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?)",
            (
                digest,
                name,
                kind,
                writer.fetched_at,
                writer.counts.plays + writer.counts.playlist_items + writer.counts.liked,
            ),
        )
    return FileResult(name, kind, "imported", counts=writer.counts)


def _import_library(writer: LibraryWriter, data: bytes, path: Path) -> None:
    liked, artists = export.read_library(data, path)
    writer.add_liked(liked)
    writer.add_follows(artists)


def _import_playlists(writer: LibraryWriter, data: bytes, path: Path) -> None:
    for record in export.read_playlists(data, path):
        add_playlist(writer, record)


def _import_exportify(writer: LibraryWriter, data: bytes, path: Path) -> None:
    result = exportify.read_exportify(data, path)
    if isinstance(result, list):
        writer.add_liked(result)
    else:
        add_playlist(writer, result, name_is_guess=True)


_IMPORTERS: dict[str, Callable[[LibraryWriter, bytes, Path], None]] = {
    "library": _import_library,
    "playlists": _import_playlists,
    "follow": lambda w, d, p: w.add_follows(export.read_follow(d, p)),
    "exportify": _import_exportify,
    "extended": lambda w, d, p: add_plays(w, export.iter_extended_plays(d, p)),
    "video": lambda w, d, p: add_plays(w, export.iter_extended_plays(d, p, video=True)),
    "account_history": lambda w, d, p: add_plays(w, export.iter_account_plays(d, p)),
}
