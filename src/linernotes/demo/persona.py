"""The demo person: Liked Songs, playlists mixing styles, follows and podcasts."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from linernotes.demo.catalogue import BASE62, Catalogue, random_codes
from linernotes.demo.names import HOSTILE_LABELS
from linernotes.demo.styles import (
    DESCRIPTIONS,
    EPISODE_TOPICS,
    HOSTILE_ALBUMS,
    HOSTILE_ARTISTS,
    HOSTILE_PLAYLISTS,
    HOSTILE_TRACKS,
    PLAYLIST_NAMES,
    SHOWS,
    STYLES,
)


def _epoch(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, tzinfo=UTC).timestamp())


def history_start(years: int) -> int:
    """The first instant of ``years`` years of plays ending with ``HISTORY_END``."""
    return _epoch(2026 - years, 7, 1)


HISTORY_YEARS = 3  # the default demo has three years of plays ...
HISTORY_END = _epoch(2026, 7, 1)  # ... the last one on 2026-06-30 (exclusive end)
LIBRARY_START = _epoch(2019, 1, 1)
_DAY = 86_400
_UNSAVED_WEIGHT = 12.0  # playlists favour tracks not yet liked or listed
DEMO_SIZE = 2000  # tracks of the default demo; bigger libraries get more, bigger playlists


@dataclass(slots=True)
class DemoPlaylistItem:
    kind: str  # "track", "local" (index into LOCAL_TRACKS) or "episode"
    ref: int
    added: int  # epoch seconds


@dataclass
class DemoPlaylist:
    name: str
    styles: tuple[int, ...]
    description: str | None
    followers: int
    items: list[DemoPlaylistItem]

    @property
    def last_modified(self) -> int:
        return max(item.added for item in self.items)


@dataclass(frozen=True, slots=True)
class Episode:
    show: int
    id: str
    name: str
    duration_ms: int


@dataclass
class Persona:
    """What the person saved; ``history_only`` tracks are only ever played, never saved."""

    liked: list[tuple[int, int]]  # (track, added epoch), newest first
    playlists: list[DemoPlaylist]
    history_only: np.ndarray
    never_played: np.ndarray
    saved_albums: list[int]
    followed: list[int]
    show_ids: list[str]
    episodes: list[Episode]


def build_persona(cat: Catalogue, seed: int, n_plays: int) -> Persona:
    """Return what the person saved over ``cat`` (deterministic for ``seed``)."""
    rnd, rng = random.Random(seed + 1), np.random.default_rng(seed + 1)
    n = len(cat.tracks)
    forced = _hostile_tracks(cat)
    free = np.setdiff1d(np.arange(n), forced)
    history_only = np.sort(rng.choice(free, size=round(0.15 * n), replace=False))
    in_reach = np.ones(n, bool)
    in_reach[history_only] = False
    liked_mask = _pick_liked(rng, cat, in_reach, forced, round(0.4 * n))
    playlists = _make_playlists(rnd, rng, cat, in_reach, liked_mask)
    in_library = liked_mask.copy()
    for playlist in playlists:
        in_library[[i.ref for i in playlist.items if i.kind == "track"]] = True
    library = np.flatnonzero(in_library)
    never = np.sort(rng.choice(library, size=round(0.1 * len(library)), replace=False))
    show_ids, episodes = _make_podcasts(rnd, rng, n_plays)
    _add_odd_items(rnd, playlists, len(episodes))
    return Persona(
        liked=_liked_dates(rng, np.flatnonzero(liked_mask)),
        playlists=playlists,
        history_only=history_only,
        never_played=never,
        saved_albums=_saved_albums(rnd, cat, liked_mask),
        followed=_followed(cat, liked_mask),
        show_ids=show_ids,
        episodes=episodes,
    )


def _hostile_tracks(cat: Catalogue) -> np.ndarray:
    """Tracks that must be saved so every hostile name reaches the export files."""
    names = {name for name, _ in HOSTILE_ARTISTS}
    hostile_artists = {i for i, artist in enumerate(cat.artists) if artist.name in names}
    first_by_artist: dict[int, int] = {}
    for index, track in enumerate(cat.tracks):
        first_by_artist.setdefault(track.artists[0], index)
    forced = {first_by_artist[a] for a in hostile_artists if a in first_by_artist}
    forced |= {i for i, track in enumerate(cat.tracks) if track.name in HOSTILE_TRACKS}
    forced |= {album.tracks[0] for album in cat.albums if album.name in HOSTILE_ALBUMS}
    plain = set(cat.labels) - {name for name, _ in HOSTILE_LABELS}
    forced |= {album.tracks[0] for album in cat.albums if album.label not in plain}
    return np.array(sorted(forced), dtype=np.int64)


def _pick_liked(
    rng: np.random.Generator, cat: Catalogue, in_reach: np.ndarray, forced: np.ndarray, count: int
) -> np.ndarray:
    primary = np.array([track.artists[0] for track in cat.tracks])
    weights = cat.artist_affinity[primary] * in_reach
    weights[forced] = 0.0
    size = max(0, min(count - len(forced), int((weights > 0).sum())))
    chosen = rng.choice(len(weights), size=size, replace=False, p=weights / weights.sum())
    mask = np.zeros(len(weights), bool)
    mask[chosen] = True
    mask[forced] = True
    return mask


def _liked_dates(rng: np.random.Generator, liked: np.ndarray) -> list[tuple[int, int]]:
    span = HISTORY_END - LIBRARY_START - 1
    added = HISTORY_END - 1 - (span * rng.random(len(liked)) ** 1.6).astype(np.int64)
    order = np.argsort(-added, kind="stable")
    return [(int(liked[i]), int(added[i])) for i in order]


def _playlist_names(rnd: random.Random, count: int) -> list[str]:
    normal = [PLAYLIST_NAMES[0], *rnd.sample(PLAYLIST_NAMES[1:], len(PLAYLIST_NAMES) - 1)]
    hostile, names, used = list(HOSTILE_PLAYLISTS), [], 0
    for position in range(count):
        if position % 3 == 1 and hostile:
            names.append(hostile.pop(0))
            continue
        base, cycle = normal[used % len(normal)], used // len(normal)
        names.append(base if cycle == 0 else f"{base} {cycle + 1}")
        used += 1
    return names


def _playlist_count(n_tracks: int) -> int:
    """About one playlist per 100 tracks up to ``DEMO_SIZE``, then one per ~50:
    someone with 50,000 saved tracks keeps about 1,000 playlists."""
    if n_tracks <= DEMO_SIZE:
        return max(8, round(20 * n_tracks / DEMO_SIZE))
    return 20 + round((n_tracks - DEMO_SIZE) * 980 / 48_000)


def _playlist_sizes(rnd: random.Random, count: int, n_tracks: int) -> list[int]:
    small, large = max(1, round(count * 0.1)), max(1, round(count * 0.075))
    if n_tracks > DEMO_SIZE:
        return _large_library_sizes(rnd, count, n_tracks, small, large)
    sizes = [rnd.randint(8, 15) for _ in range(small)] + [
        rnd.randint(300, 400) for _ in range(large)
    ]
    sizes += [min(200, 30 + int(rnd.gammavariate(2.0, 35.0))) for _ in range(count - len(sizes))]
    rnd.shuffle(sizes)
    return sizes


def _large_library_sizes(
    rnd: random.Random, count: int, n_tracks: int, small: int, large: int
) -> list[int]:
    """Sizes in a big library: a long tail of 30-300 track playlists, large ones of
    300-800 and a few "everything" playlists of 1,000-5,000 tracks (one per 200)."""
    huge = max(1, round(count / 200))
    sizes = [min(n_tracks // 10, round(1000 * 5 ** rnd.random())) for _ in range(huge)]
    sizes += [rnd.randint(8, 15) for _ in range(small)]
    sizes += [rnd.randint(300, 800) for _ in range(large)]
    sizes += [min(300, 30 + int(rnd.gammavariate(2.0, 35.0))) for _ in range(count - len(sizes))]
    rnd.shuffle(sizes)
    return sizes


def _make_playlists(
    rnd: random.Random,
    rng: np.random.Generator,
    cat: Catalogue,
    in_reach: np.ndarray,
    liked: np.ndarray,
) -> list[DemoPlaylist]:
    count = _playlist_count(len(cat.tracks))
    style_of = np.array([cat.track_style(i) for i in range(len(cat.tracks))])
    pools = [np.flatnonzero((style_of == s) & in_reach) for s in range(len(STYLES))]
    covered = liked.copy()
    usage = [0] * len(STYLES)
    playlists = []
    names = _playlist_names(rnd, count)  # names draw first: the default demo stays the same
    for name, size in zip(names, _playlist_sizes(rnd, count, len(cat.tracks)), strict=True):
        k = _style_count(rnd, size)
        styles = sorted(range(len(STYLES)), key=lambda s: usage[s] + 3 * rnd.random())[:k]
        for s in styles:
            usage[s] += 1
        tracks = _draw_tracks(rng, pools, styles, size, covered)
        covered[tracks] = True
        items = _dated_items(rng, tracks)
        description = rnd.choice(DESCRIPTIONS)
        followers = 0 if rnd.random() < 0.7 else rnd.randint(1, 40)
        playlists.append(DemoPlaylist(name, tuple(styles), description, followers, items))
    _top_up(rng, playlists, style_of, covered, in_reach, round(0.85 * len(cat.tracks)))
    return playlists


def _top_up(
    rng: np.random.Generator,
    playlists: list[DemoPlaylist],
    style_of: np.ndarray,
    covered: np.ndarray,
    in_reach: np.ndarray,
    target: int,
) -> None:
    """Append unsaved tracks to medium playlists of their style until ``target`` are saved."""
    missing = rng.permutation(np.flatnonzero(~covered & in_reach))[
        : max(0, target - int(covered.sum()))
    ]
    for track in missing.tolist():
        fits = [p for p in playlists if style_of[track] in p.styles and 30 <= len(p.items) < 200]
        if fits:
            playlist = fits[int(rng.integers(len(fits)))]
            last = playlist.items[-1].added
            added = last + int(rng.integers(0, max(1, (HISTORY_END - 1 - last) // 4)))
            playlist.items.append(DemoPlaylistItem("track", track, added))


def _style_count(rnd: random.Random, size: int) -> int:
    """How many styles a playlist of ``size`` tracks mixes (big ones need room: 4-5)."""
    if size < 16:
        return rnd.choice((2, 2, 3))
    if size >= 300:
        return rnd.choice((4, 5))
    return rnd.choices((2, 3, 4, 5), (0.35, 0.35, 0.2, 0.1))[0]


def _draw_tracks(
    rng: np.random.Generator,
    pools: list[np.ndarray],
    styles: list[int],
    size: int,
    covered: np.ndarray,
) -> np.ndarray:
    """Draw ``size`` distinct tracks over ``styles`` (each present), preferring unsaved ones."""
    room = np.array([len(pools[s]) for s in styles])
    counts = np.minimum(
        room, np.maximum(1 if size < 16 else 3, rng.dirichlet(np.full(len(styles), 2.0)) * size)
    )
    counts = counts.astype(int)
    while counts.sum() < min(size, room.sum()):  # move what a small style cannot hold
        counts[np.argmax(room - counts)] += 1
    chosen = []
    for style, take in zip(styles, counts.tolist(), strict=True):
        pool = pools[style]
        weights = np.where(covered[pool], 1.0, _UNSAVED_WEIGHT)
        chosen.append(rng.choice(pool, size=take, replace=False, p=weights / weights.sum()))
    tracks = np.concatenate(chosen)
    return tracks[rng.permutation(len(tracks))]


def _dated_items(rng: np.random.Generator, tracks: np.ndarray) -> list[DemoPlaylistItem]:
    created = int(rng.integers(LIBRARY_START, HISTORY_END - 30 * _DAY))
    later = rng.random(len(tracks)) < 0.4
    offsets = np.where(
        later,
        rng.random(len(tracks)) * (HISTORY_END - 1 - created),
        rng.random(len(tracks)) * 3 * _DAY,
    ).astype(np.int64)
    added = np.sort(created + offsets)
    return [DemoPlaylistItem("track", int(t), int(a)) for t, a in zip(tracks, added, strict=True)]


def _add_odd_items(rnd: random.Random, playlists: list[DemoPlaylist], n_episodes: int) -> None:
    """Put one local file and one podcast episode into the first ordinary medium playlist."""
    target = next(
        (p for p in playlists if 30 <= len(p.items) <= 200 and p.name not in HOSTILE_PLAYLISTS),
        playlists[0],
    )
    for kind, ref in (("local", 0), ("episode", rnd.randrange(max(1, n_episodes)))):
        position = rnd.randrange(1, len(target.items))
        added = target.items[position - 1].added
        target.items.insert(position, DemoPlaylistItem(kind, ref, added))


def _saved_albums(rnd: random.Random, cat: Catalogue, liked: np.ndarray) -> list[int]:
    candidates = [
        i
        for i, album in enumerate(cat.albums)
        if album.kind != "single" and liked[album.tracks].any()
    ]
    return rnd.sample(candidates, min(len(candidates), math.ceil(0.05 * len(cat.albums))))


def _followed(cat: Catalogue, liked: np.ndarray) -> list[int]:
    primary = np.array([track.artists[0] for track in cat.tracks])
    likes = np.bincount(primary[liked], minlength=len(cat.artists))
    top = np.argsort(-likes, kind="stable")[: math.ceil(0.08 * len(cat.artists))]
    hostile = {name for name, _ in HOSTILE_ARTISTS}
    extra = [i for i, artist in enumerate(cat.artists) if artist.name in hostile]
    return list(dict.fromkeys([*top.tolist(), *extra]))


def _make_podcasts(
    rnd: random.Random, rng: np.random.Generator, n_plays: int
) -> tuple[list[str], list[Episode]]:
    per_show = max(4, round(8 * math.sqrt(max(n_plays, 1) / 80_000)))
    show_ids = random_codes(rng, len(SHOWS), 22, BASE62)
    ids = random_codes(rng, len(SHOWS) * per_show, 22, BASE62)
    episodes: list[Episode] = []
    for show in range(len(SHOWS)):
        for number in range(1, per_show + 1):
            topic = rnd.choice(EPISODE_TOPICS)
            name = rnd.choice((f"#{number}: {topic}", f"Ep. {number} — {topic}", topic))
            duration = rnd.randint(15, 90) * 60_000 + rnd.randint(0, 59_999)
            episodes.append(Episode(show, ids[len(episodes)], name, duration))
    return show_ids, episodes
