"""Listening facts: every music play grouped by the person's local day, hour, year
and track (numpy), once per change of the history — the pipeline caches them.

A play counts at its end time (what the export records), in the person's time
zone. A *stream* is any row of the history; a *play* is a stream of at least
30 seconds (Spotify counts a stream from 30 s); a *skip* is a stream under 30 s
or one ended with the forward button.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import msgspec
import numpy as np

from linernotes.model import FWDBTN, MINUTE, PlayColumns

FACTS_VERSION = 1  # bump when PlayFacts or how it is computed changes (invalidates caches)
PLAY_MS = 30_000
DAY = 86_400
RECENT = (("last_4_weeks", 28), ("last_6_months", 182))
STREAK_ROWS = 100


class RefTotals(msgspec.Struct, frozen=True):
    """Listening per ref (track id, or ``-(k + 1)`` for song ``k``), refs ascending."""

    refs: list[int]
    ms: list[int]
    streams: list[int]
    plays: list[int]
    skips: list[int]


class PeriodFacts(msgspec.Struct, frozen=True):
    """One period: ``all``, a local calendar year (``2024``), or a span before the
    last play (``last_4_weeks``, ``last_6_months``); days are local day numbers."""

    key: str
    first_day: int
    last_day: int
    totals: RefTotals


class Streak(msgspec.Struct, frozen=True, array_like=True):
    """A track played on ``days`` consecutive local days from ``first_day``."""

    ref: int
    days: int
    first_day: int


class RepeatDay(msgspec.Struct, frozen=True, array_like=True):
    """The day of a year on which one track was streamed most often."""

    year: int
    day: int
    ref: int
    streams: int


class PlayFacts(msgspec.Struct, frozen=True):
    """Everything the listening stories need from the plays, in one time zone."""

    zone: str
    songs: list[tuple[str, str, str]]  # names of refs -1, -2, … (track, artist, album)
    periods: list[PeriodFacts]  # "all", the years ascending, then RECENT
    first_end: list[int]  # per ref of periods[0] (all time): epoch of the first stream
    first_day: list[int]  # … its local day, and the local day of the last stream
    last_day: list[int]
    days: list[int]  # local days with streams, ascending
    day_ms: list[int]
    day_streams: list[int]
    day_minute_streams: list[int]  # streams from account data (time to the minute)
    hour_ms: list[int]  # 7 × 24: weekday (Monday = 0) × local hour
    hour_streams: list[int]
    streaks: list[Streak]  # each track's longest run of days, longest first
    repeat_days: list[RepeatDay]

    def period(self, key: str) -> PeriodFacts | None:
        """The period called ``key`` (None when the history has none)."""
        return next((p for p in self.periods if p.key == key), None)


def zone_offsets(epochs: np.ndarray, zone: zoneinfo.ZoneInfo) -> np.ndarray:
    """UTC offset (seconds) of ``zone`` at each epoch second, exact at every
    transition: offsets are looked up per distinct hour, and each change between
    two looked-up hours is found to the second by bisection."""
    if not len(epochs):
        return np.zeros(0, np.int64)
    hours = np.unique(epochs // 3600) * 3600
    offsets = np.array([_offset(int(h), zone) for h in hours], np.int64)
    starts, values = [int(hours[0])], [int(offsets[0])]
    for i in np.flatnonzero(np.diff(offsets)):
        low, high = int(hours[i]), int(hours[i + 1])  # offset changes in (low, high]
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(middle, zone) == offsets[i]:
                low = middle
            else:
                high = middle
        starts.append(high)
        values.append(int(offsets[i + 1]))
    where = np.searchsorted(np.array(starts), epochs, side="right") - 1
    return np.array(values, np.int64)[where]


def _offset(epoch: int, zone: zoneinfo.ZoneInfo) -> int:
    delta = datetime.fromtimestamp(epoch, zone).utcoffset()
    return int(delta.total_seconds()) if delta else 0


def day_year(days: np.ndarray) -> np.ndarray:
    """The calendar year of each local day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def compute_play_facts(plays: PlayColumns, zone: zoneinfo.ZoneInfo) -> PlayFacts:
    """Group every music play by local day, hour, year and ref."""
    local = plays.end + zone_offsets(plays.end, zone)
    day = local // DAY
    long = plays.ms >= PLAY_MS
    skip = ~long | ((plays.flags & FWDBTN) != 0)
    refs, ref_index = np.unique(plays.ref, return_inverse=True)
    columns = _Columns(refs, ref_index, plays.ms, long, skip)
    periods = _periods(plays, day, columns) if len(plays) else []
    first_end, first_day, last_day = _first_last(ref_index, len(refs), plays.end, day)
    days, day_of = np.unique(day, return_inverse=True)
    minute = (plays.flags & MINUTE) != 0
    slot = ((day + 3) % 7) * 24 + (local % DAY) // 3600  # 1970-01-01 was a Thursday
    pairs, pair_streams = np.unique(
        ref_index * (int(day.max(initial=0)) + 1) + day, return_counts=True
    )
    return PlayFacts(
        zone=zone.key,
        songs=[tuple(s) for s in plays.songs],  # type: ignore[misc]
        periods=periods,
        first_end=first_end,
        first_day=first_day,
        last_day=last_day,
        days=days.tolist(),
        day_ms=_sum(day_of, plays.ms, len(days)),
        day_streams=_sum(day_of, None, len(days)),
        day_minute_streams=_sum(day_of, minute, len(days)),
        hour_ms=_sum(slot, plays.ms, 168),
        hour_streams=_sum(slot, None, 168),
        streaks=_streaks(refs, pairs, int(day.max(initial=0)) + 1),
        repeat_days=_repeat_days(refs, pairs, pair_streams, int(day.max(initial=0)) + 1),
    )


def _periods(plays: PlayColumns, day: np.ndarray, columns: _Columns) -> list[PeriodFacts]:
    """All time, each local calendar year, and the spans before the last play."""
    periods = [PeriodFacts("all", *_span(day), columns.totals(np.ones(len(day), bool)))]
    years = day_year(day)
    for year in np.unique(years).tolist():
        chosen = years == year
        periods.append(PeriodFacts(str(year), *_span(day[chosen]), columns.totals(chosen)))
    for key, span in RECENT:
        chosen = plays.end > int(plays.end.max()) - span * DAY
        periods.append(PeriodFacts(key, *_span(day[chosen]), columns.totals(chosen)))
    return periods


class _Columns:
    """Per-ref sums over a chosen subset of plays."""

    def __init__(
        self,
        refs: np.ndarray,
        index: np.ndarray,
        ms: np.ndarray,
        long: np.ndarray,
        skip: np.ndarray,
    ) -> None:
        self.refs, self.index, self.ms, self.long, self.skip = refs, index, ms, long, skip

    def totals(self, chosen: np.ndarray) -> RefTotals:
        index, n = self.index[chosen], len(self.refs)
        streams = np.bincount(index, minlength=n)
        present = np.flatnonzero(streams)
        return RefTotals(
            refs=self.refs[present].tolist(),
            ms=np.bincount(index, self.ms[chosen], n)[present].astype(np.int64).tolist(),
            streams=streams[present].tolist(),
            plays=np.bincount(index, self.long[chosen], n)[present].astype(np.int64).tolist(),
            skips=np.bincount(index, self.skip[chosen], n)[present].astype(np.int64).tolist(),
        )


def _span(days: np.ndarray) -> tuple[int, int]:
    return (int(days.min()), int(days.max())) if len(days) else (0, 0)


def _sum(index: np.ndarray, weights: np.ndarray | None, n: int) -> list[int]:
    # bincount sums in float64: exact for any sum below 2**53 ms (285,000 years).
    return np.bincount(index, weights, n).astype(np.int64).tolist()


def _first_last(
    index: np.ndarray, n: int, end: np.ndarray, day: np.ndarray
) -> tuple[list[int], list[int], list[int]]:
    """First stream (epoch and local day) and last stream (local day) of each ref."""
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, index, end)
    first_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_day, index, day)
    last_day = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_day, index, day)
    return first.tolist(), first_day.tolist(), last_day.tolist()


def _streaks(refs: np.ndarray, pairs: np.ndarray, span: int) -> list[Streak]:
    """Each ref's longest run of consecutive days with a stream (two days or more),
    longest first; for equal lengths the earlier run, then the lower ref."""
    owner, day = pairs // span, pairs % span
    new_run = np.ones(len(pairs), bool)
    new_run[1:] = (owner[1:] != owner[:-1]) | (day[1:] != day[:-1] + 1)
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(starts, len(pairs)))
    run_owner, run_day = owner[starts], day[starts]
    order = np.lexsort((run_owner, run_day, -lengths))
    _, first = np.unique(run_owner[order], return_index=True)  # each owner's best run
    best = order[np.sort(first)][:STREAK_ROWS]
    return [
        Streak(int(refs[run_owner[r]]), int(lengths[r]), int(run_day[r]))
        for r in best.tolist()
        if lengths[r] >= 2
    ]


def _repeat_days(
    refs: np.ndarray, pairs: np.ndarray, streams: np.ndarray, span: int
) -> list[RepeatDay]:
    """For each year, the (day, track) with the most streams (earliest day on a tie)."""
    day = pairs % span
    years = day_year(day)
    out = []
    for year in np.unique(years).tolist():
        rows = np.flatnonzero(years == year)
        best = rows[np.lexsort((pairs[rows] // span, day[rows], -streams[rows]))[0]]
        out.append(
            RepeatDay(year, int(day[best]), int(refs[pairs[best] // span]), int(streams[best]))
        )
    return out
