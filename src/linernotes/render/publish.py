"""Atomic publication of a built atlas: build into a staging folder beside the
target, then swap it into place, so a killed build leaves the old atlas whole."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
from pathlib import Path

from linernotes.errors import BuildError

log = logging.getLogger(__name__)

MARKER = ".linernotes-atlas"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(out: Path) -> Path:
    """Return a fresh staging folder next to ``out`` (same file system)."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    (staging / MARKER).write_text("This folder is an atlas written by linernotes.\n")
    return staging


def check_target(out: Path) -> None:
    """Refuse to replace a folder that is not an atlas linernotes wrote."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise BuildError(
            f"{out}: exists and is not an atlas written by linernotes; "
            "choose another --out or move it away (nothing was changed)"
        )


def publish(staging: Path, out: Path) -> None:
    """Swap ``staging`` into ``out`` atomically; the previous atlas is removed after."""
    out = out.absolute()
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)
        return
    # Without renameat2 (not Linux): two renames; a crash between them leaves
    # the previous atlas under .<name>.old-<pid>, restored by the next build.
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


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
    """Remove staging folders of killed builds; restore an atlas a crash left aside."""
    for leftover in out.parent.glob(f".{out.name}.*-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        if ".old-" in leftover.name and not out.exists():
            os.rename(leftover, out)
            continue
        shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
