"""Atomic publication of a built atlas: build into a staging folder beside the
target, then swap it into place, so a killed build leaves the old atlas whole.

Folders this module leaves beside the target while it works (``.<name>.staging-<pid>``
and, without ``renameat2``, ``.<name>.old-<pid>``) carry a tag file naming their
purpose, the atlas and the process; a later build removes such a folder only when
its name parses exactly and its tag says this, and its process is gone. Nothing
else beside the target is ever touched. A target that is a symbolic link is
followed: the atlas is published into the folder it points to, the link is kept.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import stat
from pathlib import Path

from linernotes.errors import BuildError
from linernotes.workers import process_alive

log = logging.getLogger(__name__)

MARKER = ".linernotes-atlas"
TAG = ".linernotes-build"  # only in a staging or set-aside folder, never in a published atlas
_PURPOSES = ("staging", "old")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def resolve_target(out: Path) -> Path:
    """The folder an atlas for ``out`` goes to: absolute, symbolic links followed."""
    return Path(os.path.realpath(out))


def check_target(out: Path) -> None:
    """Refuse to replace a folder that is not an atlas linernotes wrote."""
    out = resolve_target(out)
    try:
        foreign = out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())
        )
    except OSError as exc:
        raise _unwritable(out, exc) from exc
    if foreign:
        raise BuildError(
            f"{out}: exists and is not an atlas written by linernotes; "
            "choose another --out or move it away (nothing was changed)"
        )


def staging_dir(out: Path) -> Path:
    """Return a fresh staging folder next to ``out`` (same file system)."""
    out = resolve_target(out)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(out)
        staging.mkdir()
    except FileExistsError as exc:
        raise BuildError(
            f"{staging}: exists and was not left by a linernotes build; move it away"
        ) from exc
    except OSError as exc:
        raise _unwritable(out, exc) from exc
    try:
        _tag(staging, "staging", out.name)
        (staging / MARKER).write_text("This folder is an atlas written by linernotes.\n")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _unwritable(out, exc) from exc
    return staging


def remove_leftovers(out: Path) -> None:
    """Remove what killed builds left beside ``out`` (as a new staging folder does),
    for a build that publishes nothing; a folder that cannot be read is left."""
    try:
        _remove_stale(resolve_target(out))
    except OSError as exc:
        log.info("leaving what killed builds left beside %s: %s", out, exc)


def publish(staging: Path, out: Path) -> None:
    """Swap ``staging`` into ``out`` atomically; the previous atlas is removed after."""
    out = resolve_target(out)
    if not out.exists():
        os.rename(staging, out)
        _untag(out)
        return
    # The previous atlas ends where the staging folder was: tag it for that place,
    # so that a build killed before it is removed leaves a folder the next removes.
    _tag(out, "staging", out.name)
    if _exchange(staging, out):
        _untag(out)
        shutil.rmtree(staging, ignore_errors=True)
        return
    # Without renameat2 (not Linux): two renames; a crash between them leaves
    # the previous atlas under .<name>.old-<pid>, restored by the next build.
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    _tag(out, "old", out.name)
    os.rename(out, old)
    os.rename(staging, out)
    _untag(out)
    shutil.rmtree(old, ignore_errors=True)


def _unwritable(out: Path, exc: OSError) -> BuildError:
    where = os.fsdecode(exc.filename) if exc.filename is not None else str(out.parent)
    return BuildError(
        f"{where}: cannot write the atlas there ({exc.strerror or exc});"
        " choose another --out or fix that folder (nothing was changed)"
    )


def _tag_text(purpose: str, name: str, pid: str) -> str:
    return f"linernotes {purpose} folder of the atlas {name!r}, process {pid}\n"


def _tag(folder: Path, purpose: str, name: str) -> None:
    (folder / TAG).write_text(_tag_text(purpose, name, str(os.getpid())), encoding="utf-8")


def _untag(folder: Path) -> None:
    (folder / TAG).unlink(missing_ok=True)


def _tagged(folder: Path, purpose: str, name: str, pid: str) -> bool:
    """True when ``folder`` holds the tag this module writes for exactly this use."""
    tag = folder / TAG
    try:
        info = os.lstat(tag)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 1024:
            return False
        return tag.read_text(encoding="utf-8") == _tag_text(purpose, name, pid)
    except (OSError, UnicodeDecodeError):
        return False


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        log.debug("renameat2 failed: errno %d", ctypes.get_errno())
        return False
    return True


def _remove_stale(out: Path) -> None:
    """Remove what killed builds left beside ``out``; restore an atlas a crash left aside.

    Only folders named exactly ``.<name>.staging-<pid>`` or ``.<name>.old-<pid>``
    (compared as strings, never a pattern built from the user's --out) that hold
    this module's tag for that name, purpose and pid, whose process is gone.
    """
    prefix = f".{out.name}."
    with os.scandir(out.parent) as entries:
        leftovers = [e for e in entries if e.name.startswith(prefix)]
    for entry in leftovers:
        purpose, dash, pid = entry.name[len(prefix) :].partition("-")
        if purpose not in _PURPOSES or not dash or not (pid.isascii() and pid.isdigit()):
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue
        if int(pid) != os.getpid() and process_alive(int(pid)):
            continue
        folder = Path(entry.path)
        if not _tagged(folder, purpose, out.name, pid):
            log.info("leaving %s alone: not a folder a linernotes build left", folder)
            continue
        if purpose == "old" and not out.exists():
            os.rename(folder, out)
            _untag(out)
            continue
        shutil.rmtree(folder, ignore_errors=True)
