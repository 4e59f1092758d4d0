"""Listening stories, computed once per build from the play facts and the library:
periods with their totals and top lists, year stories, discovery and habits,
when the person listens, Liked Songs and podcasts — typed values pages render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from linernotes.analysis.habits import (
    FirstListen,
    Habits,
    Rhythm,
    first_artists,
    forgotten_favourites,
    new_artists_by_month,
    rhythm,
    skip_rates,
)
from linernotes.analysis.library import Library
from linernotes.analysis.play_facts import PeriodFacts, PlayFacts
from linernotes.analysis.tops import KINDS, MEASURES, Catalog, Item, Key, Totals, day_date
from linernotes.analysis.years import LikedStory, YearStory, liked_story, year_story
from linernotes.config import Config
from linernotes.model import PodcastTotal

TITLES = {"all": "All time", "last_4_weeks": "Last 4 weeks", "last_6_months": "Last 6 months"}
RECENT_DAYS = {"last_4_weeks": 28, "last_6_months": 182}


@dataclass(frozen=True)
class Span:
    """First and last day with streams of one history, and how many streams."""

    first: date
    last: date
    streams: int


@dataclass(frozen=True)
class Coverage:
    """Which history a figure comes from: the extended one (to the second) and/or
    account data (the last year, to the minute)."""

    extended: Span | None
    account: Span | None


@dataclass(frozen=True)
class Period:
    """One period's listening: totals per kind and the top lists."""

    key: str  # "all", "last_4_weeks", "last_6_months" or a year ("2024")
    title: str
    first: date
    last: date
    ms: int
    streams: int
    plays: int
    skips: int
    totals: dict[str, Totals]
    top: dict[tuple[str, str], list[Item]]  # (kind, measure) → rows
    coverage: Coverage


@dataclass(frozen=True)
class Stories:
    """Everything the listening pages show."""

    zone: str
    catalog: Catalog
    periods: list[Period]  # all time, last 4 weeks, last 6 months, then the years
    years: list[YearStory]
    habits: Habits
    rhythm: Rhythm
    coverage: Coverage
    liked: LikedStory | None
    podcasts: list[PodcastTotal]

    def period(self, key: str) -> Period | None:
        return next((p for p in self.periods if p.key == key), None)

    @property
    def has_history(self) -> bool:
        return bool(self.periods)


def build_stories(
    facts: PlayFacts,
    library: Library,
    podcasts: Sequence[PodcastTotal],
    liked_added: dict[int, str],
    config: Config,
) -> Stories:
    """Compute every story from the facts of the plays and the library."""
    catalog = Catalog(library, facts)
    n = config.atlas.top_n
    ordered = sorted(facts.periods, key=lambda p: (p.key[0].isdigit(), p.key))
    periods = [_period(p, catalog, facts, n) for p in ordered]
    by_key = {p.key: p for p in periods}
    years = sorted(int(p.key) for p in periods if p.key.isdigit())
    first_artist = first_artists(catalog, facts)
    times = rhythm(facts)
    repeats = {r.year: r for r in facts.repeat_days}
    stories = [
        year_story(
            year,
            times.months,
            first_artist,
            by_key[str(year)].totals["artists"],
            by_key[str(year)].totals["tracks"],
            repeats.get(year),
            years[0],
            library,
            config,
        )
        for year in years
    ]
    habits = _habits(catalog, facts, by_key, years, first_artist, n)
    return Stories(
        zone=facts.zone,
        catalog=catalog,
        periods=periods,
        years=stories,
        habits=habits,
        rhythm=times,
        coverage=coverage(facts, None, None),
        liked=liked_story(library, liked_added, config),
        podcasts=list(podcasts),
    )


def _habits(
    catalog: Catalog,
    facts: PlayFacts,
    by_key: dict[str, Period],
    years: list[int],
    first_artist: dict[Key, FirstListen],
    n: int,
) -> Habits:
    first = np.array(facts.first_day, np.int64)
    last = np.array(facts.last_day, np.int64)
    all_time = by_key.get("all")
    if all_time is None:
        return Habits(catalog.refs, first, last, {}, [], {"tracks": [], "artists": []}, [], [])
    per_year = {y: p.totals for y in years if (p := facts.period(str(y))) is not None}
    return Habits(
        refs=catalog.refs,
        first_days=first,
        last_days=last,
        first_artist=first_artist,
        new_artists=new_artists_by_month(first_artist, all_time.totals["artists"]),
        skip_rates={k: skip_rates(all_time.totals[k], k, n) for k in ("tracks", "artists")},
        forgotten=forgotten_favourites(catalog, facts, per_year, n),
        streaks=facts.streaks[:n],
    )


def _period(facts_period: PeriodFacts, catalog: Catalog, facts: PlayFacts, n: int) -> Period:
    refs = facts_period.totals
    totals = {kind: catalog.totals(kind, refs) for kind in KINDS}
    top = {
        (kind, measure): catalog.top(kind, totals[kind], measure, n)
        for kind in KINDS
        for measure in MEASURES
    }
    first, last = day_date(facts_period.first_day), day_date(facts_period.last_day)
    return Period(
        key=facts_period.key,
        title=TITLES.get(facts_period.key, facts_period.key),
        first=first,
        last=last,
        ms=sum(refs.ms),
        streams=sum(refs.streams),
        plays=sum(refs.plays),
        skips=sum(refs.skips),
        totals=totals,
        top=top,
        coverage=coverage(facts, facts_period.first_day, facts_period.last_day),
    )


def coverage(facts: PlayFacts, first_day: int | None, last_day: int | None) -> Coverage:
    """Which histories have streams between two local days (the whole history when None)."""
    days = np.array(facts.days, np.int64)
    streams = np.array(facts.day_streams, np.int64)
    minute = np.array(facts.day_minute_streams, np.int64)
    inside = np.ones(len(days), bool)
    if first_day is not None and last_day is not None:
        inside = (days >= first_day) & (days <= last_day)
    return Coverage(
        extended=_span(days[inside], (streams - minute)[inside]),
        account=_span(days[inside], minute[inside]),
    )


def _span(days: np.ndarray, streams: np.ndarray) -> Span | None:
    some = np.flatnonzero(streams)
    if not len(some):
        return None
    return Span(day_date(int(days[some[0]])), day_date(int(days[some[-1]])), int(streams.sum()))
