"""The command line: parse options, call the library, print results and errors."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
import traceback
from typing import NoReturn

import click

from linernotes.cli import atlas, enrich, library, spotify  # noqa: F401  (commands register)
from linernotes.cli.app import cli, console
from linernotes.errors import LinernotesError
from linernotes.text import for_terminal

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point: run the CLI, turning each failure into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except LinernotesError as exc:
        _fail(str(exc))
    except click.exceptions.Abort:
        console.print("aborted", markup=False)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.print("interrupted: nothing half-written was kept", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``linernotes status | head -1``): nothing to say, and
        # nothing more may be written to that pipe, not even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        message = describe_os_error(exc)
        if message is None:
            _unforeseen(exc)
        _fail(message)
    except MemoryError:
        _fail("out of memory; close other programs and run again (nothing half-written was kept)")
    except Exception as exc:  # a bug: one line, and the trace kept for the report
        _unforeseen(exc)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {for_terminal(message)}", err=True)
    sys.exit(1)


# What the file system refuses, by errno: the reason, and what to do.
_OS_ERRORS = {
    errno.ENOSPC: ("no space left on {where}", "free space and run again"),
    errno.EDQUOT: ("disk quota exceeded on {where}", "free space and run again"),
    errno.EROFS: ("{where} is on a read-only file system", "choose a writable place"),
    errno.EACCES: ("{where}: permission denied", "check its permissions or choose another"),
    errno.EPERM: ("{where}: operation not permitted", "check its permissions or choose another"),
    errno.ENAMETOOLONG: ("{where}: name too long", "choose a shorter path"),
}


def describe_os_error(exc: OSError) -> str | None:
    """One line for a refusal of the file system (disk full, read-only, no
    permission), None for any other OSError. Builds and imports write into a
    staging folder or one transaction, so nothing half-written is left."""
    known = _OS_ERRORS.get(exc.errno or 0)
    if known is None:
        return None
    filename = exc.filename if exc.filename is not None else ""
    where = os.fsdecode(filename) or "the disk"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) and where != "the disk":
        where = os.path.dirname(os.path.abspath(where))
    what, todo = known
    return f"{what.format(where=where)}: {todo}; nothing was changed"


def _unforeseen(exc: BaseException) -> NoReturn:
    """What nobody foresaw: one line, and the full trace written where it can be read."""
    trace = "".join(traceback.format_exception(exc))
    where = _write_trace(trace)
    kept = f"the full trace is in {where}" if where else "the trace could not be saved"
    summary = f"{type(exc).__name__}: {exc}"[:300]
    _fail(f"unexpected {summary} ({kept}; please report it)")


def _write_trace(trace: str) -> str | None:
    """Write ``trace`` to a new file readable by its owner only (mode 0600) in the
    user's cache folder (else the temporary folder); return its path."""
    import platformdirs

    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (platformdirs.user_cache_dir("linernotes"), tempfile.gettempdir()):
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            path = os.path.join(folder, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(trace)
        except OSError:
            continue
        return path
    return None
