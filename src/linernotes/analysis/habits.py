"""Discovery and habits: first listens, new artists per month, skip rates, forgotten
favourites, on-repeat streaks, and when the person listens (weeks, hours, clock)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from linernotes.analysis.play_facts import PlayFacts, Streak
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
    first_track: dict[int, FirstListen]
    last_track: dict[int, date]  # the day each ref was last heard
    first_artist: dict[Key, FirstListen]
    new_artists: list[tuple[str, list[Key]]]  # (YYYY-MM, artists first heard, most heard first)
    skip_rates: dict[str, list[SkipRate]]  # "tracks" / "artists": most skipped first
    forgotten: list[Forgotten]
    streaks: list[Streak]


@dataclass(frozen=True)
class Rhythm:
    """When the person listens, in their time zone."""

    weeks: list[tuple[date, int]]  # the Monday of every week of the history, ms
    months: list[tuple[str, int, int]]  # YYYY-MM, ms, streams
    hour_ms: np.ndarray  # 7 × 24: Monday..Sunday × 0..23 h
    hour_streams: np.ndarray


def first_listens(
    catalog: Catalog, facts: PlayFacts
) -> tuple[dict[int, FirstListen], dict[Key, FirstListen]]:
    """The first stream of every ref (by its track) and of every artist."""
    tracks: dict[int, FirstListen] = {}
    artists: dict[Key, tuple[int, int, FirstListen]] = {}
    for ref, end, day in zip(catalog.refs.tolist(), facts.first_end, facts.first_day, strict=True):
        first = FirstListen(day_date(day), ref)
        tracks[ref] = first
        for artist in catalog.credits("artists", ref):
            known = artists.get(artist)
            if known is None or (end, ref) < known[:2]:
                artists[artist] = (end, ref, first)
    return tracks, {a: value[2] for a, value in artists.items()}


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
    """The ``n`` most skipped of ``kind`` among those streamed often enough."""
    enough = np.flatnonzero(totals.streams >= MIN_SKIP_STREAMS[kind])
    rates = [SkipRate(totals.keys[i], int(totals.streams[i]), int(totals.skips[i])) for i in enough]
    rates.sort(key=lambda r: (-r.rate, -r.streams, str(r.key)))
    return rates[:n]


def forgotten_favourites(
    catalog: Catalog, facts: PlayFacts, year_totals: dict[int, Totals], all_time: Totals, n: int
) -> list[Forgotten]:
    """Tracks played at least FORGOTTEN_PLAYS times and not heard in the
    FORGOTTEN_DAYS before the last play; most listened first."""
    if not facts.days:
        return []
    cutoff = facts.days[-1] - FORGOTTEN_DAYS
    rows = []
    for i, ref in enumerate(catalog.refs.tolist()):
        if facts.last_day[i] >= cutoff or ref not in all_time.index:
            continue
        ms, plays, streams = all_time.value(ref)
        if plays >= FORGOTTEN_PLAYS and catalog.credits("tracks", ref):
            peak = max(year_totals, key=lambda y: (year_totals[y].value(ref)[0], -y))
            item = Item(ref, ms, plays, streams)
            rows.append(
                Forgotten(item, day_date(facts.first_day[i]), day_date(facts.last_day[i]), peak)
            )
    rows.sort(key=lambda f: (-f.item.ms, -f.item.plays, str(f.item.key)))
    return rows[:n]


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
