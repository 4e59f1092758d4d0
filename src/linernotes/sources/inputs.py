"""What a person hands to ``import``: files, folders and zips, as a flat list of
input files that can be read from any process."""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from linernotes.errors import ImportFormatError

log = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 16 * 1024**3  # a real extended history is a few GB at most
HEAD_BYTES = 4096


@dataclass(frozen=True)
class InputFile:
    """One file to import: on disk, inside a zip, or already in memory.

    Plain data, so that a worker process can read and parse it.
    """

    name: str
    path: Path
    member: str | None = None
    content: bytes | None = None
    refused: str = ""  # why this entry must not be read (an unsafe path in a zip)

    def read(self, limit: int = -1) -> bytes:
        """Return the file's bytes (at most ``limit`` when given)."""
        if self.content is not None:
            return self.content if limit < 0 else self.content[:limit]
        if self.member is None:
            with self.path.open("rb") as handle:
                return handle.read(limit)
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                return handle.read(limit)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error) as exc:
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

    def head(self) -> bytes:
        """The first bytes, enough to tell what the file holds."""
        return self.read(HEAD_BYTES)


def iter_inputs(path: Path) -> Iterator[InputFile]:
    """Yield the files under ``path`` (a file, a folder or a zip), in name order."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from iter_inputs(child)
    elif path.suffix.casefold() == ".zip":
        yield from _iter_zip(path)
    elif path.is_file():
        yield InputFile(str(path), path)
    else:
        raise ImportFormatError(path, "no such file or folder", hint="check the path")


def _iter_zip(path: Path) -> Iterator[InputFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(
            path,
            f"not a readable zip: {exc}",
            hint="the download may be truncated; download it again",
        ) from exc
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise ImportFormatError(
            path,
            f"refusing a zip that would unpack to {total / 1024**3:.0f} GiB",
            hint="a Spotify export is a few GB at most; is this the right file?",
        )
    for entry in sorted(entries, key=lambda e: e.filename):
        name = entry.filename
        if entry.is_dir():
            continue
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            log.warning("%s: ignoring unsafe entry %r", path, name)
            yield InputFile(f"{path}!{name}", path, name, refused="unsafe path inside zip")
            continue
        yield InputFile(f"{path}!{name}", path, name)
