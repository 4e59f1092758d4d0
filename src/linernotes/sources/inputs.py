"""What a person hands to ``import``: files, folders and zips, as a flat list of
input files that can be read from any process.

Reading is bounded: a zip's entries are read through one open archive per
process (reopening it per entry parses its whole directory each time: quadratic
in the number of entries), in bounded chunks, and no file may hold more than
:data:`MAX_FILE_BYTES`, whatever a zip claims or hides.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from linernotes.errors import ImportFormatError
from linernotes.text import strip_controls

log = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 16 * 1024**3  # a real export unpacks to a few GB at most
# The most one file may hold. Spotify cuts an extended history into files of about
# 12 MB (never above 20 MB); a Playlist1.json of 150,000 items, far beyond any seen,
# is about 45 MB. Decoding takes up to eight times a file's size (long names: the
# raw text, its records, the cleaned names and what goes to the store), so that at
# 48 MB the worst file still imports within 500 MB.
MAX_FILE_BYTES = 48 * 1024**2
# A Spotify export holds a few dozen files: a zip of more is not one, and its
# directory alone would take hundreds of MB to list.
MAX_ENTRIES = 100_000
HEAD_BYTES = 4096
_CHUNK = 1024**2


@dataclass(frozen=True)
class InputFile:
    """One file to import: on disk, inside a zip, or already in memory.

    Plain data, so that a worker process can read and parse it. ``name`` is what
    reports and the store show (control characters removed); ``member`` and
    ``index`` locate a zip entry exactly, ``size`` is its declared size.
    """

    name: str
    path: Path
    member: str | None = None
    content: bytes | None = None
    refused: str = ""  # why this entry must not be read (an unsafe path in a zip)
    index: int = -1
    size: int | None = None

    def read(self, limit: int = -1) -> bytes:
        """Return the file's bytes: at most ``limit`` when given, else all of them.

        Raises :class:`ImportFormatError` when the file cannot be read, or holds
        more than :data:`MAX_FILE_BYTES` (it is never read beyond that).
        """
        if self.content is not None:
            data = self.content if limit < 0 else self.content[:limit]
        else:
            data = self._read_stream(limit)
        if limit < 0 and len(data) > MAX_FILE_BYTES:
            raise self._too_large(len(data))
        return data

    def head(self) -> bytes:
        """The first bytes, enough to tell what the file holds."""
        return self.read(HEAD_BYTES)

    def _read_stream(self, limit: int) -> bytes:
        wanted = MAX_FILE_BYTES + 1 if limit < 0 else limit
        try:
            if self.member is None:
                if limit < 0 and self.path.stat().st_size > MAX_FILE_BYTES:
                    raise self._too_large(self.path.stat().st_size)
                with self.path.open("rb") as handle:
                    return _read_bounded(handle, wanted)
            if limit < 0 and self.size is not None and self.size > MAX_FILE_BYTES:
                raise self._too_large(self.size)
            with _open_member(self.path, self.member, self.index) as handle:
                return _read_bounded(handle, wanted)
        except ImportFormatError:
            raise
        except (zipfile.BadZipFile, EOFError, KeyError, zlib.error) as exc:
            raise ImportFormatError(
                self.path,
                f"entry {self.member!r} is damaged: {exc}",
                hint="download the export again",
            ) from exc
        except (NotImplementedError, RuntimeError) as exc:
            # An unsupported compression method, or an encrypted entry.
            raise ImportFormatError(
                self.path,
                f"entry {self.member!r} cannot be read: {exc}",
                hint="unzip it with your system's tool and import the folder",
            ) from exc
        except OSError as exc:
            raise ImportFormatError(
                self.path,
                f"cannot be read: {exc.strerror or exc}",
                hint="check that the file is there and readable",
            ) from exc

    def _too_large(self, size: int) -> ImportFormatError:
        return ImportFormatError(
            self.name,
            f"refusing a file of {size / 1024**2:,.0f} MB"
            f" (the most linernotes reads is {MAX_FILE_BYTES // 1024**2} MB)",
            hint="no file of a Spotify export is this large; is this the right file?",
        )


def _read_bounded(handle: IO[bytes], wanted: int) -> bytes:
    """At most ``wanted`` bytes of ``handle``, read in bounded chunks."""
    chunks: list[bytes] = []
    left = wanted
    while left > 0:
        chunk = handle.read(min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_member(path: Path, member: str, index: int) -> IO[bytes]:
    archive = _archive(path)
    infos = archive.infolist()
    info = infos[index] if 0 <= index < len(infos) else archive.getinfo(member)
    if info.filename != member:
        raise KeyError(member)
    return archive.open(info)


def _archive(path: Path) -> zipfile.ZipFile:
    """The open archive at ``path`` for this process (a forked worker opens its own:
    a file offset shared between processes would mix their reads)."""
    stat = path.stat()
    return _open_archive(path, os.getpid(), (stat.st_ino, stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=4)
def _open_archive(path: Path, pid: int, version: tuple[int, int, int]) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def iter_inputs(path: Path) -> Iterator[InputFile]:
    """Yield the files under ``path`` (a file, a folder or a zip), in name order."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from iter_inputs(child)
    elif path.suffix.casefold() == ".zip":
        yield from _iter_zip(path)
    elif path.is_file():
        yield InputFile(strip_controls(str(path)), path)
    else:
        raise ImportFormatError(
            strip_controls(str(path)), "no such file or folder", hint="check the path"
        )


def _iter_zip(path: Path) -> Iterator[InputFile]:
    shown = strip_controls(str(path))
    try:
        entries = _archive(path).infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFormatError(
            shown,
            f"not a readable zip: {exc}",
            hint="the download may be truncated; download it again",
        ) from exc
    if len(entries) > MAX_ENTRIES:
        raise ImportFormatError(
            shown,
            f"refusing a zip of {len(entries):,} files",
            hint="a Spotify export holds a few dozen; is this the right file?",
        )
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise ImportFormatError(
            shown,
            f"refusing a zip that would unpack to {total / 1024**3:.0f} GiB",
            hint="a Spotify export is a few GB at most; is this the right file?",
        )
    order = sorted(range(len(entries)), key=lambda i: (entries[i].filename, i))
    for index in order:
        entry = entries[index]
        name = entry.filename
        if entry.is_dir():
            continue
        item = InputFile(
            f"{shown}!{strip_controls(name)}", path, name, index=index, size=entry.file_size
        )
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            log.warning("%s: ignoring unsafe entry %r", path, name)
            yield InputFile(item.name, path, name, refused="unsafe path inside zip", index=index)
            continue
        yield item
