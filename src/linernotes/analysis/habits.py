"""Discovery and habits: first listens, new artists per month, skip rates, forgotten
favourites, on-repeat streaks, and when the person listens (weeks, hours, clock)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from linernotes.analysis.play_facts import PlayFacts, RefTotals, Streak
from linernotes.analysis.tops import Catalog, Item, Key, Totals, day_date

MIN_SKIP_STREAMS = {"tracks": 10, "artists": 25}  # streams before a skip rate is shown
FORGOTTEN_PLAYS = 10  # plays (30 s or more) that make a favourite
FORGOTTEN_DAYS = 365  # not heard for this long before the last play


@dataclass(frozen=True)
class FirstListen:
    """When something was first heard, and with which track (a ref)."""

    day: date
    ref: int


@dataclass(frozen=True)
class SkipRate:
    key: Key
    streams: int
    skips: int

    @property
    def rate(self) -> float:
        return self.skips / self.streams


@dataclass(frozen=True)
class Forgotten:
    """A track played a lot once, then not for a year: when, and how much."""

    item: Item
    first: date
    last: date
    peak_year: int


@dataclass(frozen=True)
class Habits:
    refs: np.ndarray  # every ref streamed, ascending (Catalog.refs)
    first_days: np.ndarray  # local day of each ref's first and last stream
    last_days: np.ndarray
    first_artist: dict[Key, FirstListen]
    new_artists: list[tuple[str, list[Key]]]  # (YYYY-MM, artists first heard, most heard first)
    skip_rates: dict[str, list[SkipRate]]  # "tracks" / "artists": most skipped first
    forgotten: list[Forgotten]
    streaks: list[Streak]

    def first_heard(self, ref: int) -> date:
        """The day a ref (a track, or a song known by name) was first heard."""
        return day_date(int(self.first_days[np.searchsorted(self.refs, ref)]))

    def last_heard(self, ref: int) -> date:
        return day_date(int(self.last_days[np.searchsorted(self.refs, ref)]))


@dataclass(frozen=True)
class Rhythm:
    """When the person listens, in their time zone."""

    weeks: list[tuple[date, int]]  # the Monday of every week of the history, ms
    months: list[tuple[str, int, int]]  # YYYY-MM, ms, streams
    hour_ms: np.ndarray  # 7 × 24: Monday..Sunday × 0..23 h
    hour_streams: np.ndarray


def first_artists(catalog: Catalog, facts: PlayFacts) -> dict[Key, FirstListen]:
    """The first stream of every artist, and with which ref (the earlier ref on a tie)."""
    positions, entities, keys = catalog.edges("artists")
    if not len(positions):
        return {}
    first_end = np.array(facts.first_end, np.int64)[positions]
    refs = catalog.refs[positions]
    order = np.lexsort((refs, first_end, entities))
    sorted_entities = entities[order]
    keep = order[np.r_[True, sorted_entities[1:] != sorted_entities[:-1]]]
    first_day = np.array(facts.first_day, np.int64)
    return {
        keys[entities[i]]: FirstListen(day_date(int(first_day[positions[i]])), int(refs[i]))
        for i in keep.tolist()
    }


def new_artists_by_month(
    first_artist: dict[Key, FirstListen], artist_totals: Totals
) -> list[tuple[str, list[Key]]]:
    """Every month of the history with the artists first heard in it, the most
    listened (all time) first."""
    by_month: dict[str, list[Key]] = defaultdict(list)
    for artist, first in first_artist.items():
        by_month[first.day.strftime("%Y-%m")].append(artist)
    ms = artist_totals.index
    for artists in by_month.values():
        artists.sort(key=lambda a: (-int(artist_totals.ms[ms[a]]) if a in ms else 0, str(a)))
    return sorted(by_month.items())


def skip_rates(totals: Totals, kind: str, n: int) -> list[SkipRate]:
    """The ``n`` most skipped of ``kind`` among those streamed often enough (ties: more
    streams first, then in entity order)."""
    enough = np.flatnonzero(totals.streams >= MIN_SKIP_STREAMS[kind])
    rate = totals.skips[enough] / np.maximum(totals.streams[enough], 1)
    order = enough[np.lexsort((enough, -totals.streams[enough], -rate))][:n]
    return [SkipRate(totals.keys[i], int(totals.streams[i]), int(totals.skips[i])) for i in order]


def forgotten_favourites(
    catalog: Catalog, facts: PlayFacts, year_totals: dict[int, RefTotals], n: int
) -> list[Forgotten]:
    """Tracks played at least FORGOTTEN_PLAYS times and not heard in the
    FORGOTTEN_DAYS before the last play; most listened first."""
    everything = facts.period("all")
    if everything is None:
        return []
    ms = np.array(everything.totals.ms, np.int64)
    plays = np.array(everything.totals.plays, np.int64)
    last = np.array(facts.last_day, np.int64)
    candidates = np.flatnonzero(
        (plays >= FORGOTTEN_PLAYS) & (last < facts.days[-1] - FORGOTTEN_DAYS)
    )
    years = sorted(year_totals)
    per_year = np.zeros((len(years), len(catalog.refs)), np.int64)
    for row, year in enumerate(years):
        totals = year_totals[year]
        per_year[row, np.searchsorted(catalog.refs, np.array(totals.refs, np.int64))] = totals.ms
    rows = []
    for i in candidates[np.lexsort((candidates, -plays[candidates], -ms[candidates]))].tolist():
        ref = int(catalog.refs[i])
        if not catalog.credits("tracks", ref):
            continue
        item = Item(ref, int(ms[i]), int(plays[i]), int(everything.totals.streams[i]))
        peak = years[int(np.argmax(per_year[:, i]))]
        first, final = day_date(facts.first_day[i]), day_date(facts.last_day[i])
        rows.append(Forgotten(item, first, final, peak))
        if len(rows) == n:
            break
    return rows


def rhythm(facts: PlayFacts) -> Rhythm:
    """Minutes per week and per month, and the hour × weekday grid."""
    weeks: dict[date, int] = {}
    months: dict[str, list[int]] = {}
    for day, ms, streams in zip(facts.days, facts.day_ms, facts.day_streams, strict=True):
        when = day_date(day)
        monday = when - timedelta(days=when.weekday())
        weeks[monday] = weeks.get(monday, 0) + ms
        month = months.setdefault(when.strftime("%Y-%m"), [0, 0])
        month[0] += ms
        month[1] += streams
    every_week = []
    if weeks:
        monday, last = min(weeks), max(weeks)
        while monday <= last:
            every_week.append((monday, weeks.get(monday, 0)))
            monday += timedelta(days=7)
    return Rhythm(
        weeks=every_week,
        months=[(m, v[0], v[1]) for m, v in sorted(months.items())],
        hour_ms=np.array(facts.hour_ms, np.int64).reshape(7, 24),
        hour_streams=np.array(facts.hour_streams, np.int64).reshape(7, 24),
    )
