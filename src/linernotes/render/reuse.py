"""What a build takes from the atlas before it instead of writing it again.

Every atlas holds a manifest (``.linernotes-manifest``): the key of the whole
build, every file it holds, and for the files made from known inputs (HTML
twins, PNG charts, covers) the key of those inputs. A build whose key equals
the previous atlas's keeps it, or links all of its files into the staging
folder (``link_whole``); any other build links each file whose inputs' key is
unchanged (``Reuse.take``) and makes the rest. Files are hard links (copies
where the file system has none): the previous atlas is removed when the new
one is published, so no file is ever shared by two atlases for long.

The manifest depends only on what the atlas shows and on the keys, so a cold
build and an incremental one of the same store write the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import msgspec

from linernotes.program import program_digest
from linernotes.render.publish import MARKER, TAG

log = logging.getLogger(__name__)

MANIFEST = ".linernotes-manifest"
_OWN = {MARKER, MANIFEST, TAG}  # written by every build itself, never linked


class Manifest(msgspec.Struct, frozen=True):
    """What one build wrote: its key, counts, files and the inputs' key of some."""

    key: str
    pages: int
    images: int
    files: list[str]  # every file of the atlas but the marker and the manifest, sorted
    inputs: dict[str, str]  # file → the key of its inputs (twins, charts), sorted


def read_manifest(atlas: Path) -> Manifest | None:
    """The manifest of the atlas in ``atlas``, or None (none, damaged, or another version)."""
    try:
        return msgspec.json.decode((atlas / MANIFEST).read_bytes(), type=Manifest)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def write_manifest(
    staging: Path, key: str, pages: int, images: int, inputs: dict[str, str]
) -> Manifest:
    """Write the manifest of the finished atlas in ``staging``; return it."""
    manifest = Manifest(key, pages, images, atlas_files(staging), dict(sorted(inputs.items())))
    (staging / MANIFEST).write_bytes(msgspec.json.encode(manifest) + b"\n")
    return manifest


def atlas_files(folder: Path) -> list[str]:
    """Every file under ``folder`` (relative, ``/``-separated, sorted), but the build's own."""
    found = []
    for top, _, names in os.walk(folder):
        relative = Path(top).relative_to(folder).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        found += [prefix + name for name in names if prefix or name not in _OWN]
    return sorted(found)


def link_whole(previous: Path, manifest: Manifest, staging: Path) -> bool:
    """Link every file of the previous atlas into ``staging`` with its manifest;
    False (``staging`` then half filled) when a file is missing."""
    made: set[str] = set()
    for relative in manifest.files:
        folder = relative.rpartition("/")[0]
        if folder and folder not in made:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        if not _link(previous / relative, staging / relative):
            return False
    shutil.copyfile(previous / MANIFEST, staging / MANIFEST)
    return True


def input_key(*parts: object) -> str:
    """A key of ``parts`` (strings, numbers, dataclasses …, as msgspec encodes them)
    and the program."""
    h = hashlib.sha256(program_digest().encode())
    for part in parts:
        h.update(b"\x1e" + msgspec.json.encode(part))
    return h.hexdigest()


class Reuse:
    """Links files under ``root`` (the staging folder) whose inputs are unchanged from
    the ``previous`` atlas, and records every such file's inputs' key for this
    build's manifest."""

    def __init__(self, root: Path, previous: Path | None = None) -> None:
        self.root = root
        self.previous = previous
        manifest = read_manifest(previous) if previous is not None else None
        self.old = manifest.inputs if manifest is not None else {}
        self.inputs: dict[str, str] = {}
        self.linked = 0

    def take(self, target: Path, key: str) -> bool:
        """Note ``key`` as the inputs of ``target`` (a file under ``root``); link the
        previous atlas's file there when it was made from the same inputs (True),
        else leave it to the caller to make."""
        relative = target.relative_to(self.root).as_posix()
        self.inputs[relative] = key
        if self.previous is None or self.old.get(relative) != key:
            return False
        if _link(self.previous / relative, target):
            self.linked += 1
            return True
        return False


def _link(source: Path, target: Path) -> bool:
    """Hard-link ``source`` to ``target`` (copy across file systems); False if it is gone."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError as exc:  # no hard links here (EXDEV, EPERM): a copy does
        log.debug("copying %s: %s", source, exc)
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            return False
    return True
