"""The demo library's catalogue: labels, artists, albums and tracks drawn from latent styles."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from linernotes.demo.names import (
    HAND_LABELS,
    HOSTILE_LABELS,
    LABEL_ALIASES,
    make_artist_name,
    make_label_names,
    make_title,
)
from linernotes.demo.styles import (
    FEATURE_SD,
    HOSTILE_ALBUMS,
    HOSTILE_ARTISTS,
    HOSTILE_TRACKS,
    STYLE_INDEX,
    STYLES,
    Style,
)
from linernotes.demo.substyles import SUB_STYLES

BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
COVER_PREFIX = "https://i.scdn.co/image/ab67616d0000b273"
_PREVIEW = "https://p.scdn.co/mp3-preview/{}?cid=9950ac751e34487dbbe027c4fd7f8e99"
# Lowest values Spotify reports for danceability ... liveness (speechiness never reaches 0).
_FLOOR = np.array([0.05, 0.005, 0.02, 0.0, 0.0, 0.0222, 0.0146])
# Release shapes: (kind, share, smallest, largest track count).
_RELEASES = (("single", 0.3, 1, 1), ("ep", 0.3, 3, 6), ("album", 0.4, 8, 14))


@dataclass(slots=True)
class DemoArtist:
    id: str
    name: str
    style: int
    sub: int  # index into SUB_STYLES
    genres: tuple[str, ...]
    label: int


@dataclass(slots=True)
class DemoAlbum:
    id: str
    name: str
    artist: int
    label: str
    year: int
    release_date: str
    cover: str
    kind: str
    tracks: list[int] = field(default_factory=list)


@dataclass(slots=True)
class DemoTrack:
    id: str
    name: str
    artists: tuple[int, ...]
    album: int
    disc: int
    number: int
    duration_ms: int
    explicit: bool
    popularity: int
    isrc: str
    preview: str


@dataclass
class Catalogue:
    """Every invented entity; audio features live in arrays indexed like ``tracks``."""

    labels: list[str]
    artists: list[DemoArtist]
    albums: list[DemoAlbum]
    tracks: list[DemoTrack]
    features: np.ndarray  # (tracks, 9) in styles.FEATURES order
    has_features: np.ndarray  # bool per track; False ≈ 8 % (no audio features)
    key_mode_meter: np.ndarray  # (tracks, 3) ints: key, mode, time signature
    artist_affinity: np.ndarray  # how much the person likes each artist (drives likes/plays)

    def track_style(self, track: int) -> int:
        return self.artists[self.tracks[track].artists[0]].style

    def track_sub_style(self, track: int) -> int:
        return self.artists[self.tracks[track].artists[0]].sub


def random_codes(
    rng: np.random.Generator, count: int, length: int, alphabet: np.ndarray
) -> list[str]:
    """Return ``count`` random strings of ``length`` characters drawn from ``alphabet``."""
    codes = alphabet[rng.integers(0, len(alphabet), size=(count, length))]
    return [row.tobytes().decode("ascii") for row in codes]


def new_ids(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` 22-character base62 Spotify ids (62**22 values: no collisions)."""
    return random_codes(rng, count, 22, BASE62)


def build_catalogue(seed: int, n_tracks: int) -> Catalogue:
    """Return the invented catalogue of ``n_tracks`` tracks for ``seed`` (deterministic)."""
    rnd, rng = random.Random(seed), np.random.default_rng(seed)
    n_labels = max(len(HAND_LABELS) + len(HOSTILE_LABELS), round(60 * (n_tracks / 2000) ** 0.8))
    labels = make_label_names(rnd, n_labels)
    n_artists = min(n_tracks, max(3 * len(STYLES), round(n_tracks / 5)))
    artists = _make_artists(rnd, new_ids(rng, n_artists), labels)
    affinity = rng.lognormal(0.0, 0.8, n_artists)
    spread = rng.lognormal(0, 0.7, n_artists)
    counts = 1 + rng.multinomial(n_tracks - n_artists, spread / spread.sum())
    albums = _make_albums(rnd, rng, artists, counts, labels)
    tracks = _make_tracks(rnd, rng, artists, albums)
    features, has, kmm = _make_features(rng, artists, tracks)
    return Catalogue(labels, artists, albums, tracks, features, has, kmm, affinity)


def _label_styles(labels: list[str]) -> list[int]:
    hand = [STYLE_INDEX[style] for _, style in HAND_LABELS + HOSTILE_LABELS]
    return hand + [i % len(STYLES) for i in range(len(hand), len(labels))]


def _make_artists(rnd: random.Random, ids: list[str], labels: list[str]) -> list[DemoArtist]:
    weights = [style.weight for style in STYLES]
    styles = [i % len(STYLES) for i in range(2 * len(STYLES))]
    styles += rnd.choices(range(len(STYLES)), weights, k=len(ids) - len(styles))
    rnd.shuffle(styles)
    label_styles = _label_styles(labels)
    by_style = {s: [i for i, ls in enumerate(label_styles) if ls == s] for s in range(len(STYLES))}
    hostile = {STYLE_INDEX[style]: name for name, style in HOSTILE_ARTISTS}
    taken = {name.casefold() for name, _ in HOSTILE_ARTISTS}
    subs = {
        s: [i for i, sub in enumerate(SUB_STYLES) if sub.style == s] for s in range(len(STYLES))
    }
    artists = []
    for artist_id, style_index in zip(ids, styles, strict=True):
        style = STYLES[style_index]
        name = hostile.pop(style_index, None) or make_artist_name(rnd, style.artist_kind, taken)
        sub = rnd.choice(subs[style_index])
        genres = SUB_STYLES[sub].genres if rnd.random() >= 0.05 else ()
        pool = by_style[style_index]
        label = rnd.choices(pool, [1 / (rank + 1) for rank in range(len(pool))])[0]
        artists.append(DemoArtist(artist_id, name, style_index, sub, genres, label))
    return artists


def _release_sizes(rnd: random.Random, count: int) -> list[tuple[str, int]]:
    sizes = []
    while count > 0:
        kind, _, low, high = rnd.choices(_RELEASES, [r[1] for r in _RELEASES])[0]
        size = min(count, rnd.randint(low, high))
        sizes.append(("single" if size == 1 else kind if size >= 3 else "ep", size))
        count -= size
    return sizes


def _release_date(rnd: random.Random, year: int) -> str:
    if rnd.random() < (0.3 if year < 1990 else 0.06):
        return str(year)
    return f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


def _make_albums(
    rnd: random.Random,
    rng: np.random.Generator,
    artists: list[DemoArtist],
    counts: np.ndarray,
    labels: list[str],
) -> list[DemoAlbum]:
    label_styles = _label_styles(labels)
    by_style = {s: [i for i, ls in enumerate(label_styles) if ls == s] for s in range(len(STYLES))}
    plans = [
        (a, kind, size)
        for a, n in enumerate(counts.tolist())
        for kind, size in _release_sizes(rnd, n)
    ]
    covers = random_codes(rng, len(plans), 24, _HEX)
    albums = []
    for album_id, cover, (a, kind, size) in zip(
        new_ids(rng, len(plans)), covers, plans, strict=True
    ):
        style = STYLES[artists[a].style]
        label = artists[a].label if rnd.random() >= 0.15 else rnd.choice(by_style[artists[a].style])
        year = rnd.randint(*SUB_STYLES[artists[a].sub].era)
        name, date = _album_name(rnd, style.languages, kind), _release_date(rnd, year)
        album = DemoAlbum(album_id, name, a, labels[label], year, date, COVER_PREFIX + cover, kind)
        album.tracks = [-1] * size
        albums.append(album)
    multi = [album for album in albums if album.kind != "single"]
    for n, name in enumerate(HOSTILE_ALBUMS[: len(multi)]):
        multi[n * len(multi) // len(HOSTILE_ALBUMS)].name = name
    _plant_label_quirks(rnd, albums, labels, by_style, [a.style for a in artists])
    return albums


def _plant_label_quirks(
    rnd: random.Random,
    albums: list[DemoAlbum],
    labels: list[str],
    by_style: dict[int, list[int]],
    artist_styles: list[int],
) -> None:
    """Hostile labels in use, co-releases written "A, B" / "A/B", alias spellings."""
    scale = max(1, round(len(albums) / 600))
    for name, style in HOSTILE_LABELS:
        own = [a for a in albums if artist_styles[a.artist] == STYLE_INDEX[style]]
        if own and not any(a.label == name for a in own):
            rnd.choice(own).label = name
    plain = [a for a in albums if a.label in LABEL_ALIASES or a.label in labels]
    for n, album in enumerate(rnd.sample(plain, min(len(plain), 6 * scale))):
        partner = rnd.choice(
            [labels[i] for i in by_style[artist_styles[album.artist]] if labels[i] != album.label]
        )
        album.label = f"{album.label}{', ' if n % 2 else '/'}{partner}"
    for base, aliases in LABEL_ALIASES.items():
        own = [a for a in albums if a.label == base]
        rnd.shuffle(own)
        for n, album in enumerate(own[: min(len(aliases) * 2 * scale, len(own) // 2)]):
            album.label = aliases[n % len(aliases)]


def _language(rnd: random.Random, languages: tuple[tuple[str, float], ...]) -> str:
    return rnd.choices([lang for lang, _ in languages], [share for _, share in languages])[0]


def _album_name(rnd: random.Random, languages: tuple[tuple[str, float], ...], kind: str) -> str:
    title = make_title(rnd, _language(rnd, languages))
    if kind == "ep" and rnd.random() < 0.4:
        return f"{title} EP"
    if kind == "album" and rnd.random() < 0.1:
        return f"{title} (Deluxe Edition)"
    return title


def _make_tracks(
    rnd: random.Random, rng: np.random.Generator, artists: list[DemoArtist], albums: list[DemoAlbum]
) -> list[DemoTrack]:
    scenes: dict[tuple[int, int], list[int]] = {}  # artists by style and by sub-style
    for index, artist in enumerate(artists):
        scenes.setdefault((artist.style, -1), []).append(index)
        scenes.setdefault((artist.style, artist.sub), []).append(index)
    total = sum(len(album.tracks) for album in albums)
    hostile = {
        (n * total) // len(HOSTILE_TRACKS) + 1: name for n, name in enumerate(HOSTILE_TRACKS)
    }
    track_ids, previews = new_ids(rng, total), random_codes(rng, total, 40, _HEX)
    registrants = random_codes(rng, len(artists), 3, BASE62[:36])
    durations = rng.normal(0.0, 0.25, total)
    serials: dict[str, int] = {}
    titles: set[tuple[int, str]] = set()
    tracks: list[DemoTrack] = []
    for album_index, album in enumerate(albums):
        own = artists[album.artist]
        style = STYLES[own.style]
        near = (scenes[(own.style, own.sub)], scenes[(own.style, -1)])
        for number in range(1, len(album.tracks) + 1):
            index = len(tracks)
            credits = _credits(rnd, album.artist, near, artists)
            name = hostile.get(index) or _unique_name(rnd, style, album, credits, artists, titles)
            if album.kind == "single":
                album.name = name
            stem = f"{rnd.choice(style.countries)}{registrants[album.artist]}{album.year % 100:02d}"
            serials[stem] = serials.get(stem, rnd.randint(100, 900)) + 1
            duration = max(45_000, int(style.duration_s * (1 + durations[index]) * 1000))
            preview = _PREVIEW.format(previews[index]) if rnd.random() < 0.25 else ""
            explicit, popularity = rnd.random() < style.explicit, int(rng.beta(2, 4) * 100)
            isrc = f"{stem}{serials[stem]:05d}"
            track = (track_ids[index], name, credits, album_index, 1, number, duration)
            tracks.append(DemoTrack(*track, explicit, popularity, isrc, preview))
            album.tracks[number - 1] = index
    return tracks


def _credits(
    rnd: random.Random,
    primary: int,
    near: tuple[list[int], list[int]],
    artists: list[DemoArtist],
) -> tuple[int, ...]:
    """The credited artists: a fifth of tracks feature one or two others, mostly from the
    same scene (sub-style), some from the same style, a few from anywhere."""
    if rnd.random() >= 0.2 or len(artists) < 3:
        return (primary,)
    roll = rnd.random()
    scene, style = near
    pool: Sequence[int] = range(len(artists))
    if roll < 0.7 and len(scene) > 3:
        pool = scene
    elif roll < 0.92 and len(style) > 3:
        pool = style
    others = [a for a in rnd.sample(pool, 3) if a != primary]
    return (primary, *others[: rnd.choice((1, 1, 2))])


def _unique_name(
    rnd: random.Random,
    style: Style,
    album: DemoAlbum,
    credits: tuple[int, ...],
    artists: list[DemoArtist],
    taken: set[tuple[int, str]],
) -> str:
    """Return a track title the album's artist has not used yet (plays match on names)."""
    for _ in range(8):
        name = _track_name(rnd, style, album, credits, artists)
        if (album.artist, name.casefold()) not in taken:
            break
    taken.add((album.artist, name.casefold()))
    return name


def _track_name(
    rnd: random.Random,
    style: Style,
    album: DemoAlbum,
    credits: tuple[int, ...],
    artists: list[DemoArtist],
) -> str:
    name = make_title(rnd, _language(rnd, style.languages))
    roll = rnd.random()
    if len(credits) > 1 and roll < 0.5:
        return f"{name} (feat. {' & '.join(artists[a].name for a in credits[1:])})"
    if album.year < 1995 and album.kind == "album" and roll < 0.2:
        return f"{name} - Remastered {rnd.randint(max(album.year + 15, 2001), 2021)}"
    if style.suffixes and roll > 0.88:
        return name + rnd.choice(style.suffixes)
    return name


def _make_features(
    rng: np.random.Generator, artists: list[DemoArtist], tracks: list[DemoTrack]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    means = np.array([STYLES[sub.style].features for sub in SUB_STYLES])
    means += np.array([sub.offsets() for sub in SUB_STYLES])
    sd = np.array(FEATURE_SD)
    artist_sub = np.array([a.sub for a in artists])
    artist_shift = rng.normal(0.0, 0.4, (len(artists), len(sd))) * sd
    primary = np.array([t.artists[0] for t in tracks])
    values = means[artist_sub[primary]] + artist_shift[primary]
    values += rng.normal(0.0, 1.0, values.shape) * sd
    values[:, :7] = np.clip(values[:, :7], _FLOOR, 1.0)
    values[:, 7] = np.clip(values[:, 7], -35.0, -0.5)
    values[:, 8] = np.clip(values[:, 8], 55.0, 210.0)
    values = np.round(values, 3)
    for column in (3, 4):  # acousticness, instrumentalness: tiny but never exactly 0
        tiny = values[:, column] < 0.01
        noise = 10 ** rng.uniform(-6, -2.3, int(tiny.sum()))
        values[tiny, column] = [float(f"{v:.3g}") for v in noise.tolist()]
    has = rng.random(len(tracks)) >= 0.08
    meter = rng.choice([4, 3, 5, 1], size=len(tracks), p=[0.9, 0.07, 0.02, 0.01])
    kmm = np.column_stack(
        [rng.integers(0, 12, len(tracks)), (rng.random(len(tracks)) < 0.6).astype(int), meter]
    )
    return values, has, kmm
