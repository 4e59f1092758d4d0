"""Domain errors: every failure the CLI turns into one readable line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


class LinernotesError(Exception):
    """Base of every error linernotes raises on purpose."""


class ConfigError(LinernotesError):
    """``linernotes.toml`` is unreadable or holds a wrong value."""


class StoreError(LinernotesError):
    """The SQLite store cannot be opened, migrated or written."""


class ImportFormatError(LinernotesError):
    """An input file is not in a format we can read.

    The message names the file, the position (line, column or entry) where
    known, what is wrong and what to do.
    """

    def __init__(self, path: Path | str, problem: str, *, where: str = "", hint: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.where = where
        self.hint = hint
        location = f"{self.path}: {where}" if where else self.path
        message = f"{location}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        # Parsing runs in a worker process: the error must survive pickling.
        return (_rebuild_format_error, (self.path, self.problem, self.where, self.hint))


def _rebuild_format_error(path: str, problem: str, where: str, hint: str) -> ImportFormatError:
    return ImportFormatError(path, problem, where=where, hint=hint)


class DemoError(LinernotesError):
    """The demo library cannot be generated with the arguments given."""


class BuildError(LinernotesError):
    """The atlas could not be built; the previous atlas is left untouched."""


class StoppedError(LinernotesError):
    """A run stopped early on a service's answer: everything done so far is kept and the
    next run resumes where this one stopped — not before ``resume_after`` (UTC) when set."""

    def __init__(self, message: str, resume_after: datetime | None = None) -> None:
        super().__init__(message)
        self.resume_after = resume_after


class QuotaError(StoppedError):
    """A service asks us to wait longer than we may (a long ``Retry-After``, a used-up
    quota), or its earlier request to wait is not over yet."""


class UnavailableError(StoppedError):
    """A service kept failing (5xx, network errors) after every retry allowed."""


class AnswerError(LinernotesError):
    """A service answered something that cannot be read as what was asked."""


class ArtworkError(LinernotesError):
    """A downloaded file cannot be used as album art (not an image, truncated, too large)."""
