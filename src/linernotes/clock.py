"""Time helpers: the current UTC time, and how the store and messages write times."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def utc_stamp(moment: datetime | None = None) -> str:
    """Return ``moment`` (default: now) as the store writes times: ISO 8601 UTC with a
    ``Z``, to the second (``2026-03-01T12:00:00Z``)."""
    return _in_utc(moment or utc_now()).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_time(moment: datetime) -> str:
    """Return ``moment`` as ``YYYY-MM-DD HH:MM:SS UTC`` (how messages show times)."""
    return _in_utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_wait(seconds: float) -> str:
    """Return a wait as people read it: ``40 s``, ``12 min``, ``24.0 h``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _in_utc(moment: datetime) -> datetime:
    # A naive time is taken to be UTC already (never the machine's local time).
    return moment if moment.tzinfo is None else moment.astimezone(UTC)
