"""Plain words for a cluster: the two or three things that set it apart from the rest
of its page ("shoegaze, slower, 2006–2009"), short enough for a map legend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from linernotes.analysis.clustering import Clustering
from linernotes.analysis.features import FeatureMatrix, title_script
from linernotes.analysis.library import Library

# feature: (word when higher, word when lower)
_WORDS = {
    "tempo": ("faster", "slower"),
    "energy": ("more energetic", "calmer"),
    "valence": ("brighter", "darker"),
    "danceability": ("more danceable", "less danceable"),
    "acousticness": ("more acoustic", "more electronic"),
    "instrumentalness": ("more instrumental", "more vocal"),
    "speechiness": ("wordier", "less wordy"),
    "loudness": ("louder", "quieter"),
}
_SCRIPT_NAMES = {
    "hangul": "Korean",
    "kana": "Japanese",
    "han": "Chinese",
    "hebrew": "Hebrew",
    "arabic": "Arabic",
    "cyrillic": "Cyrillic",
    "greek": "Greek",
    "thai": "Thai",
}
MAX_WORDS = 3
MIN_CONTRAST = 0.5  # standard deviations between a cluster and the rest of its page
MIN_SHARE_GAP = 0.3  # a genre, artist or script: this much more common than in the rest
# Output order of the chosen words: what it is, by whom, how it sounds, when, in what script.
_ORDER = ("genre", "artist", "sound", "era", "script")


@dataclass(frozen=True)
class _Word:
    kind: str
    text: str
    strength: float


def describe_clusters(
    library: Library, features: FeatureMatrix, clustering: Clustering
) -> tuple[str, ...]:
    """One line per cluster of ``clustering`` (in its order)."""
    row_of = {tid: i for i, tid in enumerate(features.track_ids)}
    if len(clustering.clusters) == 1:
        rows = [row_of[t] for t in clustering.clusters[0].track_ids]
        return (describe_group(library, features, rows),)
    everyone = np.arange(len(features.track_ids))
    lines = []
    for cluster in clustering.clusters:
        inside = np.array([row_of[t] for t in cluster.track_ids])
        outside = np.setdiff1d(everyone, inside)
        lines.append(describe_cluster(library, features, inside, outside))
    return tuple(lines)


def describe_cluster(
    library: Library, features: FeatureMatrix, inside: np.ndarray, outside: np.ndarray
) -> str:
    """The ``MAX_WORDS`` most distinctive things about rows ``inside`` against the rows
    ``outside`` (the rest of the page), e.g. "k-pop, faster, 2016–2019"."""
    ids = np.array(features.track_ids)
    words = [
        *_sounds(features, inside, outside),
        *_shared(library, ids[inside], ids[outside], "genre", _genres_of),
        *_shared(library, ids[inside], ids[outside], "artist", _artists_of),
        *_shared(library, ids[inside], ids[outside], "script", _script_of),
    ]
    era = _era_word(features.raw.get("year"), inside, outside)
    if era:
        words.append(era)
    chosen = sorted(words, key=lambda w: (-w.strength, w.text))[:MAX_WORDS]
    chosen.sort(key=lambda w: (_ORDER.index(w.kind), -w.strength))
    return ", ".join(w.text for w in chosen) or "close to the rest of the page on every feature"


def describe_group(library: Library, features: FeatureMatrix, rows: Sequence[int]) -> str:
    """A whole page in one group: its era, main genre and script ("mostly 2006–2013 indie rock")."""
    index = np.asarray(rows)
    ids = [features.track_ids[i] for i in index]
    era = _span(features.raw.get("year"), index)
    genre = _most_common(library, ids)
    script = _script_of(library, ids)
    tail = " ".join(p for p in (era, genre) if p)
    parts = [f"mostly {tail}" if era else tail] if tail else []
    counts = Counter(script)
    for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if count >= 0.5 * len(ids):
            parts.append(f"mostly {name} titles")
            break
    return ", ".join(parts) if parts else "one group of tracks"


def _sounds(features: FeatureMatrix, inside: np.ndarray, outside: np.ndarray) -> list[_Word]:
    words = []
    for name, (up, down) in _WORDS.items():
        values = features.raw.get(name)
        if values is None:
            continue
        known = values[np.isfinite(values)]
        a, b = values[inside], values[outside]
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        std = float(known.std()) if len(known) else 0.0
        if std < 1e-9 or not len(a) or not len(b):
            continue
        z = (float(a.mean()) - float(b.mean())) / std
        if abs(z) >= MIN_CONTRAST:
            words.append(_Word("sound", up if z > 0 else down, abs(z)))
    return words


def _shared(
    library: Library,
    inside: np.ndarray,
    outside: np.ndarray,
    kind: str,
    names_of: Callable[[Library, list[int]], list[str]],
) -> list[_Word]:
    """Names (genres, artists, scripts) much more common inside than outside."""
    share_in = _shares(names_of(library, inside.tolist()), len(inside))
    share_out = _shares(names_of(library, outside.tolist()), len(outside))
    words = []
    for name, share in share_in.items():
        gap = share - share_out.get(name, 0.0)
        if share >= 0.5 and gap >= MIN_SHARE_GAP:
            text = f"mostly {name}" if kind == "artist" else name
            words.append(_Word(kind, text, 2.5 * gap * (0.8 if kind == "artist" else 1.0)))
    best = sorted(words, key=lambda w: (-w.strength, w.text))
    return best[:1] if kind != "genre" else best[:2]


def _shares(names: list[str], total: int) -> dict[str, float]:
    return {n: c / max(total, 1) for n, c in Counter(names).items()}


def _genres_of(library: Library, ids: list[int]) -> list[str]:
    return [g for t in ids for g in library.tracks[t].genres]


def _artists_of(library: Library, ids: list[int]) -> list[str]:
    return [
        library.artists[a].name
        for t in ids
        for a in dict.fromkeys(library.tracks[t].artist_ids)
        if a in library.artists
    ]


def _script_of(library: Library, ids: list[int]) -> list[str]:
    scripts = (title_script(library.tracks[t].name) for t in ids)
    return [f"{_SCRIPT_NAMES[s]} titles" for s in scripts if s in _SCRIPT_NAMES]


def _era_word(years: np.ndarray | None, inside: np.ndarray, outside: np.ndarray) -> _Word | None:
    if years is None:
        return None
    known = years[np.isfinite(years)]
    a, b = years[inside], years[outside]
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or not len(b) or float(known.std()) < 1e-9:
        return None
    z = abs(float(np.median(a)) - float(np.median(b))) / float(known.std())
    span = _span(years, inside)
    return _Word("era", span, z) if z >= MIN_CONTRAST and span else None


def _span(years: np.ndarray | None, index: np.ndarray) -> str:
    if years is None:
        return ""
    inside = years[index]
    inside = inside[np.isfinite(inside)]
    if not len(inside):
        return ""
    low, high = (int(v) for v in np.percentile(inside, [10, 90]))
    return str(low) if low == high else f"{low}–{high}"


def _most_common(library: Library, track_ids: list[int]) -> str:
    genres: Counter[str] = Counter()
    families: Counter[str] = Counter()
    for tid in track_ids:
        track = library.tracks[tid]
        genres.update(track.genres)
        families.update({library.genre_families.get(g, g) for g in track.genres})
    for counter in (genres, families):
        if counter:
            name, count = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            if count >= 0.4 * len(track_ids):
                return name
    return ""
