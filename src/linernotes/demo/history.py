"""Years of invented listening (three by default), generated month by month as sorted
numpy chunks.

Listening comes in sessions (plays back to back, a new one after a pause); a
session mostly stays within one style, in runs of one sub-style, now and then
drifting to another style; which styles the person favours drifts slowly from
month to month. Tracks heard in the same sessions therefore belong
together, as in a real history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from linernotes.demo.catalogue import Catalogue
from linernotes.demo.persona import HISTORY_YEARS, Persona, history_start
from linernotes.demo.styles import LOCAL_TRACKS, PLATFORM_SHARE, STYLES
from linernotes.demo.substyles import SUB_STYLES

MUSIC, LOCAL, PODCAST, UNKNOWN = 0, 1, 2, 3
REASONS = (
    "trackdone",
    "fwdbtn",
    "clickrow",
    "playbtn",
    "appload",
    "backbtn",
    "endplay",
    "logout",
    "remote",
    "unknown",
)
_R = {name: code for code, name in enumerate(REASONS)}
# UTC hour weights of a person in Central Europe: commute, lunch, long evenings.
_HOURS = np.array([2, 1, 0.5, 0.3, 0.3, 0.5, 2, 5, 6, 4, 3, 3, 5, 4, 3, 3, 4, 6, 7, 7, 6, 5, 4, 3])
IP_POOL = 40  # distinct addresses, all in 192.0.2.0/24 (RFC 5737 documentation range)


@dataclass
class PlayChunk:
    """Plays sorted by end time; ``ref`` indexes tracks, LOCAL_TRACKS or episodes by ``kind``."""

    ts: np.ndarray  # end of play, epoch seconds (Spotify's ``ts`` is the end time)
    kind: np.ndarray
    ref: np.ndarray
    ms: np.ndarray
    platform: np.ndarray
    ip: np.ndarray
    reason_start: np.ndarray
    reason_end: np.ndarray
    shuffle: np.ndarray
    skipped: np.ndarray
    offline: np.ndarray
    incognito: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


def _month_bounds(months: int) -> list[int]:
    start = datetime.fromtimestamp(history_start(months // 12), UTC)
    bounds = []
    for m in range(months + 1):
        year, month = start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1
        bounds.append(int(datetime(year, month, 1, tzinfo=UTC).timestamp()))
    return bounds


# Odds, after a play, that a session drifts to another style, and that a new run of
# one sub-style (an album, an artist) starts within the style.
_STYLE_DRIFT = 0.06
_NEW_RUN = 0.6
_TASTE_DRIFT = 0.15  # month-to-month random walk of each style's share (log scale)
_PAUSE_S = 40 * 60  # at least this long between two sessions


@dataclass(frozen=True)
class _Listener:
    """What drives every month: play odds, Liked Songs, track and episode lengths,
    the sub-style of every track and the styles of the sub-styles."""

    weights: np.ndarray
    liked: np.ndarray
    durations: np.ndarray
    episodes: np.ndarray
    sub_of: np.ndarray  # sub-style of each track
    style_of_sub: np.ndarray  # style of each sub-style


def track_weights(rng: np.random.Generator, cat: Catalogue, person: Persona) -> np.ndarray:
    """Zipf-like play probabilities: liked tracks and favourite artists dominate."""
    n = len(cat.tracks)
    weights = 1.0 / (rng.permutation(n) + 30.0) ** 0.6
    primary = np.array([track.artists[0] for track in cat.tracks])
    affinity = cat.artist_affinity.copy()
    affinity[affinity >= np.quantile(affinity, 0.96)] *= 2.0
    weights *= affinity[primary] ** 0.6
    weights[[track for track, _ in person.liked]] *= 3.0
    weights[person.never_played] = 0.0
    return weights / weights.sum()


def iter_play_chunks(
    cat: Catalogue, person: Persona, seed: int, n_plays: int, years: int = HISTORY_YEARS
) -> Iterator[PlayChunk]:
    """Yield about ``n_plays`` plays over the last ``years`` years in chronological
    chunks (one per calendar month)."""
    rng = np.random.default_rng(seed + 2)
    months = 12 * years
    bounds = _month_bounds(months)
    growth = np.linspace(1.0, 1.6, months) * (1 + 0.15 * np.sin(np.arange(months) / 1.9))
    per_month = rng.multinomial(n_plays, growth / growth.sum())
    liked = np.zeros(len(cat.tracks), bool)
    liked[[track for track, _ in person.liked]] = True
    listener = _Listener(
        weights=track_weights(rng, cat, person),
        liked=liked,
        durations=np.array([track.duration_ms for track in cat.tracks], dtype=np.int64),
        episodes=np.array([episode.duration_ms for episode in person.episodes], dtype=np.int64),
        sub_of=np.array([cat.track_sub_style(i) for i in range(len(cat.tracks))], np.int64),
        style_of_sub=np.array([sub.style for sub in SUB_STYLES], np.int64),
    )
    forced_month = rng.choice(months, size=len(person.history_only), p=growth / growth.sum())
    drift = np.cumsum(rng.normal(0.0, _TASTE_DRIFT, (months, len(STYLES))), axis=0)
    for m in range(months):
        if per_month[m]:
            forced = person.history_only[forced_month == m]
            span = (bounds[m], bounds[m + 1])
            taste = np.exp(drift[m])[listener.style_of_sub]
            yield _month(rng, span, int(per_month[m]), forced, listener, taste)


def _kinds(rng: np.random.Generator, count: int) -> np.ndarray:
    roll = rng.random(count)
    kind = np.full(count, MUSIC, np.uint8)
    kind[roll < 0.045] = UNKNOWN
    kind[roll < 0.04] = LOCAL
    kind[roll < 0.03] = PODCAST
    return kind


def _refs(
    rng: np.random.Generator,
    kind: np.ndarray,
    starts: np.ndarray,
    forced: np.ndarray,
    listener: _Listener,
    taste: np.ndarray,
) -> np.ndarray:
    ref = np.full(len(kind), -1, np.int64)
    music = np.flatnonzero(kind == MUSIC)
    sub = _segment_subs(rng, starts, listener, taste)[music]
    for s in np.unique(sub).tolist():
        plays = music[sub == s]
        pool = np.flatnonzero((listener.sub_of == s) & (listener.weights > 0))
        odds = listener.weights[pool] / listener.weights[pool].sum()
        ref[plays] = rng.choice(pool, size=len(plays), p=odds)
    _place_forced(rng, ref, music, sub, forced, listener.sub_of)
    local = kind == LOCAL
    ref[local] = rng.integers(0, len(LOCAL_TRACKS), int(local.sum()))
    podcast = kind == PODCAST
    ref[podcast] = rng.integers(0, max(1, len(listener.episodes)), int(podcast.sum()))
    return ref


def _segment_subs(
    rng: np.random.Generator, starts: np.ndarray, listener: _Listener, taste: np.ndarray
) -> np.ndarray:
    """The sub-style of every play. Each session opens on a style the person likes (by
    play odds and this month's taste) and stays there, drifting to another style after
    a play with ``_STYLE_DRIFT`` odds; within a style, runs of plays (an album, an
    artist) keep one sub-style, a new run starting with ``_NEW_RUN`` odds."""
    appeal = np.bincount(listener.sub_of, listener.weights, len(listener.style_of_sub)) * taste
    styles = listener.style_of_sub
    by_style = np.bincount(styles, appeal)
    drift = starts | (rng.random(len(starts)) < _STYLE_DRIFT)
    style = rng.choice(len(by_style), size=int(drift.sum()), p=by_style / by_style.sum())
    style = style[np.cumsum(drift) - 1]
    runs = drift | (rng.random(len(starts)) < _NEW_RUN)
    first = np.flatnonzero(runs)
    sub = np.empty(len(first), np.int64)
    for s in np.unique(style[first]).tolist():
        here = style[first] == s
        own = np.flatnonzero(styles == s)
        sub[here] = rng.choice(own, size=int(here.sum()), p=appeal[own] / appeal[own].sum())
    return sub[np.cumsum(runs) - 1]


def _place_forced(
    rng: np.random.Generator,
    ref: np.ndarray,
    music: np.ndarray,
    sub: np.ndarray,
    forced: np.ndarray,
    sub_of: np.ndarray,
) -> None:
    """Every history-only track is heard at least once, in a session of its sub-style."""
    free = np.ones(len(music), bool)
    for track in forced.tolist():
        fits = np.flatnonzero(free & (sub == sub_of[track]))
        if not len(fits):
            fits = np.flatnonzero(free)
        if not len(fits):
            return
        slot = int(rng.choice(fits))
        free[slot] = False
        ref[music[slot]] = track


def _month(
    rng: np.random.Generator,
    span: tuple[int, int],
    count: int,
    forced: np.ndarray,
    listener: _Listener,
    taste: np.ndarray,
) -> PlayChunk:
    kind = _kinds(rng, count)
    starts = rng.random(count) < 1 / 11
    starts[0] = True
    podcast = np.flatnonzero(kind == PODCAST)
    starts[podcast] = True  # a podcast episode is a session of its own
    starts[podcast[podcast + 1 < count] + 1] = True
    ref = _refs(rng, kind, starts, forced, listener, taste)
    last = np.append(starts[1:], True)
    length = _lengths(kind, ref, listener)
    skipped = _skips(rng, kind, ref, listener.liked)
    ms, reason_end = _ms_and_end(rng, kind, length, skipped, last)
    reason_start = _starts(rng, kind, starts, reason_end)
    sid = np.cumsum(starts) - 1
    ts = _end_times(rng, span, sid, ms)
    order = np.argsort(ts, kind="stable")
    n_sessions = int(sid[-1]) + 1
    session_of = sid[order]
    return PlayChunk(
        ts=ts[order],
        kind=kind[order],
        ref=ref[order],
        ms=ms[order],
        platform=rng.choice(len(PLATFORM_SHARE), size=n_sessions, p=PLATFORM_SHARE)[session_of],
        ip=((rng.zipf(1.6, n_sessions) - 1) % IP_POOL + 1)[session_of],
        reason_start=reason_start[order],
        reason_end=reason_end[order],
        shuffle=(rng.random(n_sessions) < 0.45)[session_of],
        skipped=skipped[order],
        offline=(rng.random(n_sessions) < 0.01)[session_of],
        incognito=(rng.random(n_sessions) < 0.01)[session_of],
    )


def _lengths(kind: np.ndarray, ref: np.ndarray, listener: _Listener) -> np.ndarray:
    length = np.zeros(len(kind), np.int64)
    music, local, podcast = kind == MUSIC, kind == LOCAL, kind == PODCAST
    length[music] = listener.durations[ref[music]]
    local_ms = np.array([seconds * 1000 for *_, seconds in LOCAL_TRACKS], dtype=np.int64)
    length[local] = local_ms[ref[local]]
    if len(listener.episodes):
        length[podcast] = listener.episodes[ref[podcast]]
    return length


def _skips(
    rng: np.random.Generator, kind: np.ndarray, ref: np.ndarray, liked: np.ndarray
) -> np.ndarray:
    chance = np.where(kind == LOCAL, 0.2, 0.0)
    music = kind == MUSIC
    chance[music] = np.where(liked[ref[music]], 0.16, 0.34)
    return rng.random(len(kind)) < chance


def _ms_and_end(
    rng: np.random.Generator,
    kind: np.ndarray,
    length: np.ndarray,
    skipped: np.ndarray,
    last: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    count = len(kind)
    ms = length - rng.integers(0, 1500, count)
    end = np.full(count, _R["trackdone"], np.uint8)
    stopped = last & ~skipped
    ms = np.where(stopped, (length * rng.uniform(0.2, 0.95, count)).astype(np.int64), ms)
    end[stopped] = np.where(rng.random(int(stopped.sum())) < 0.6, _R["endplay"], _R["logout"])
    short = np.minimum(rng.lognormal(np.log(9000), 1.0, count).astype(np.int64), length - 1)
    ms = np.where(skipped, short, ms)
    end[skipped] = _R["fwdbtn"]
    podcast = kind == PODCAST
    ms[podcast] = (length[podcast] * rng.uniform(0.05, 1.0, int(podcast.sum()))).astype(np.int64)
    end[podcast] = np.where(ms[podcast] > 0.97 * length[podcast], _R["trackdone"], _R["endplay"])
    unknown = kind == UNKNOWN
    ms[unknown] = rng.integers(0, 5000, int(unknown.sum()))
    end[unknown] = _R["endplay"]
    return np.maximum(ms, 0), end


def _starts(
    rng: np.random.Generator, kind: np.ndarray, starts: np.ndarray, reason_end: np.ndarray
) -> np.ndarray:
    previous = np.roll(reason_end, 1)
    reason = np.where(np.isin(previous, (_R["trackdone"], _R["fwdbtn"])), previous, _R["clickrow"])
    first = ("clickrow", "playbtn", "appload", "remote")
    opening = np.array([_R[r] for r in first], np.uint8)[
        rng.choice(4, size=int(starts.sum()), p=[0.5, 0.25, 0.15, 0.1])
    ]
    reason[starts] = opening
    reason[kind == UNKNOWN] = _R["unknown"]
    return reason.astype(np.uint8)


def _end_times(
    rng: np.random.Generator, span: tuple[int, int], sid: np.ndarray, ms: np.ndarray
) -> np.ndarray:
    """End time of each play: sessions start at likely hours and play back to back."""
    elapsed = np.cumsum(ms / 1000.0 + rng.uniform(0.0, 3.0, len(ms)))
    first = np.flatnonzero(np.diff(sid, prepend=-1))
    before = np.concatenate(([0.0], elapsed[first[1:] - 1]))
    within = elapsed - before[sid]
    total = within[np.append(first[1:] - 1, len(ms) - 1)]
    days = (span[1] - span[0]) // 86_400
    hours = rng.choice(24, size=len(first), p=_HOURS / _HOURS.sum())
    start = span[0] + rng.integers(0, days, len(first)) * 86_400 + hours * 3600
    start = np.sort(start + rng.integers(0, 3600, len(first)))
    start = _one_at_a_time(start, total, span)
    start = np.clip(start, span[0], np.maximum(span[0], span[1] - 1 - np.ceil(total)))
    return (start[sid] + within).astype(np.int64)


def _one_at_a_time(start: np.ndarray, total: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """Session starts (sorted) moved so that each begins a pause after the one before
    ends: one account plays one thing at a time, and a session ends with a pause.
    A month with more listening than fits keeps the pauses short (or none)."""
    room = span[1] - span[0] - float(total.sum())
    if room <= 0 or not len(start):
        return start
    pause = min(float(_PAUSE_S), room / len(start))
    out = start.astype(np.float64)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + total[i - 1] + pause)
    if out[-1] + total[-1] >= span[1]:  # pushed past the month: back to back from its start
        out = span[0] + np.concatenate(([0.0], np.cumsum(total[:-1] + pause)))
    return out


def video_chunk(cat: Catalogue, person: Persona, seed: int) -> PlayChunk:
    """A few music-video plays in May 2026 (``Streaming_History_Video_*.json``), one unnamed."""
    rng = np.random.default_rng(seed + 3)
    count = 8
    liked = np.array([track for track, _ in person.liked] or [0])
    start = int(datetime(2026, 5, 1, tzinfo=UTC).timestamp())
    kind = np.zeros(count, np.uint8)
    kind[-1] = UNKNOWN
    ms = rng.integers(1000, 30_000, count)
    return PlayChunk(
        ts=np.sort(start + rng.integers(0, 20 * 86_400, count)),
        kind=kind,
        ref=np.where(kind == MUSIC, rng.choice(liked, size=count), -1),
        ms=ms,
        platform=np.zeros(count, np.int64),
        ip=np.ones(count, np.int64),
        reason_start=np.full(count, _R["unknown"], np.uint8),
        reason_end=np.full(count, _R["endplay"], np.uint8),
        shuffle=np.zeros(count, bool),
        skipped=np.ones(count, bool),
        offline=np.zeros(count, bool),
        incognito=np.zeros(count, bool),
    )
