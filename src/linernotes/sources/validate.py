"""Range checks on imported rows: a well-formed row holding an impossible value
(a 13th month, a 25th hour, a negative duration, key 99) is skipped, with the
reason, instead of being stored. A row that is not even well-formed still makes
its file an error: that file is damaged or not what its name says."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from linernotes.model import SkippedRow

# Plays before Spotify existed or far in the future are impossible; the margins
# are generous on purpose (clocks are wrong, exports are old).
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_MS = 2**40  # about 34 years: no stream lasts longer
_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
_DATE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")
# Audio features: the ranges Spotify documents (time signature widened to what
# real Exportify files hold: 0 and 1 occur).
_FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "danceability": (0.0, 1.0),
    "energy": (0.0, 1.0),
    "speechiness": (0.0, 1.0),
    "acousticness": (0.0, 1.0),
    "instrumentalness": (0.0, 1.0),
    "liveness": (0.0, 1.0),
    "valence": (0.0, 1.0),
    "key": (-1, 11),
    "mode": (0, 1),
    "time_signature": (0, 12),
    "tempo": (0.0, 1000.0),
    "loudness": (-100.0, 20.0),
}
_COUNT_RANGES: dict[str, tuple[int, int]] = {
    "duration": (0, MAX_MS),
    "popularity": (0, 100),
    "disc": (0, 10_000),
    "number": (0, 100_000),
}


class RowRejected(ValueError):
    """A row holds an impossible value; it is skipped, not stored."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(f"{reason}: {value!r}")
        self.reason = reason
        self.value = value

    def row(self, where: str) -> SkippedRow:
        """The skipped row, as recorded for ``status``."""
        return SkippedRow(where, self.reason, repr(self.value)[:80])


@lru_cache(maxsize=65536)
def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def check_timestamp(value: str, field: str, *, play: bool = True) -> None:
    """Raise :class:`RowRejected` unless ``value`` (``YYYY-MM-DD[T ]HH:MM[:SS]…``,
    its form already checked) names a real moment; a ``play`` is also between 1990
    and 2100 (other dates may be 1970-01-01, Exportify's "unknown")."""
    if not _TIME.match(value):
        raise RowRejected(f"'{field}' is not a real time of day", value)
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    if play and not FIRST_YEAR <= year <= LAST_YEAR:
        raise RowRejected(f"'{field}' is not a possible year for a play", value)
    if not _real_date(max(year, 1), month, day):
        raise RowRejected(f"'{field}' is not a real date", value)


def play_problem(ts: str, ms: int, ts_field: str, ms_field: str) -> RowRejected | None:
    """What makes a play impossible (its time, its duration), or None; the common
    case, a good row, costs one regex and a dictionary lookup."""
    if 0 <= ms <= MAX_MS and _TIME.match(ts) and _real_day(ts[:10]):
        return None
    try:
        check_timestamp(ts, ts_field)
        check_duration(ms, ms_field)
    except RowRejected as exc:
        return exc
    return None


@lru_cache(maxsize=65536)
def _real_day(day: str) -> bool:
    year = int(day[:4])
    return FIRST_YEAR <= year <= LAST_YEAR and _real_date(year, int(day[5:7]), int(day[8:10]))


# No one ends more plays than this in one minute, skipping as fast as a thumb can.
MAX_PLAYS_PER_MINUTE = 200


def check_rate(per_minute: dict[str, int], minute: str) -> RowRejected | None:
    """Count a play ending in ``minute``; a play beyond :data:`MAX_PLAYS_PER_MINUTE`
    there is impossible (and every one would be compared with all the others)."""
    count = per_minute[minute] = per_minute.get(minute, 0) + 1
    if count > MAX_PLAYS_PER_MINUTE:
        return RowRejected(f"more than {MAX_PLAYS_PER_MINUTE} plays end in one minute", minute)
    return None


def note_skipped(skipped: list[SkippedRow] | None, exc: RowRejected, where: str) -> None:
    """Record that the row at ``where`` was skipped (when the caller keeps a list)."""
    if skipped is not None:
        skipped.append(exc.row(where))


def check_duration(ms: int, field: str) -> None:
    """Raise :class:`RowRejected` unless ``ms`` is a duration (0 to about 34 years)."""
    if not 0 <= ms <= MAX_MS:
        raise RowRejected(f"'{field}' is not a possible duration", ms)


def check_date(value: str | None, field: str) -> None:
    """Raise :class:`RowRejected` unless ``value`` is empty or a real ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD`` (year 0000 allowed: Spotify's "unknown")."""
    if not value:
        return
    match = _DATE.match(value)
    if match is None:
        if len(value) >= 16 and value[10:11] in ("T", " "):
            check_timestamp(value, field, play=False)
            return
        raise RowRejected(f"'{field}' is not a date", value)
    month, day = match.group(2), match.group(3)
    real = _real_date(max(int(match.group(1)), 1), int(month or 1), int(day or 1))
    if not real:
        raise RowRejected(f"'{field}' is not a real date", value)


def check_feature(name: str, value: float | None) -> None:
    """Raise :class:`RowRejected` when the audio feature ``name`` is out of range."""
    low, high = _FEATURE_RANGES.get(name, (float("-inf"), float("inf")))
    if value is not None and not low <= value <= high:
        raise RowRejected(f"'{name}' out of range {low:g} to {high:g}", value)


def check_count(name: str, value: int | None) -> None:
    """Raise :class:`RowRejected` when a duration, popularity, disc or track number
    (Exportify's column ``name``) is out of range."""
    low, high = _COUNT_RANGES[name]
    if value is not None and not low <= value <= high:
        raise RowRejected(f"'{name}' out of range {low:,} to {high:,}", value)
