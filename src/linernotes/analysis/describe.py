"""Plain words for a cluster: what sets it apart from the rest of its playlist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from linernotes.analysis.features import FeatureMatrix
from linernotes.analysis.library import Library
from linernotes.text import dominant_script

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


def describe_cluster(
    library: Library, features: FeatureMatrix, rows: Sequence[int], *, alone: bool
) -> str:
    """Return a one-line description, e.g. "faster, brighter, mostly 2016–2019 k-pop"."""
    index = np.asarray(rows)
    words = [] if alone else _contrasts(features, index)
    era = _era(features.raw.get("year"), index)
    genre = _genre(library, [features.track_ids[i] for i in index])
    script = _script(library, [features.track_ids[i] for i in index])
    tail = " ".join(p for p in (era, genre) if p)
    if tail:
        words.append(f"mostly {tail}" if era else tail)
    if script:
        words.append(script)
    return ", ".join(words) if words else "a mix close to the playlist's average"


def _contrasts(features: FeatureMatrix, index: np.ndarray) -> list[str]:
    scored = []
    for name, (up, down) in _WORDS.items():
        values = features.raw.get(name)
        if values is None or not np.isfinite(values).any():
            continue
        known = values[np.isfinite(values)]
        std = float(known.std())
        inside = values[index]
        inside = inside[np.isfinite(inside)]
        if std < 1e-9 or not len(inside):
            continue
        z = (float(inside.mean()) - float(known.mean())) / std
        if abs(z) >= 0.5:
            scored.append((abs(z), up if z > 0 else down))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [word for _, word in scored[:2]]


def _era(years: np.ndarray | None, index: np.ndarray) -> str:
    if years is None:
        return ""
    inside = years[index]
    inside = inside[np.isfinite(inside)]
    if not len(inside):
        return ""
    low, high = (int(v) for v in np.percentile(inside, [10, 90]))
    return str(low) if low == high else f"{low}–{high}"


def _genre(library: Library, track_ids: list[int]) -> str:
    genres: Counter[str] = Counter()
    families: Counter[str] = Counter()
    for tid in track_ids:
        track = library.tracks[tid]
        genres.update(track.genres)
        families.update({library.genre_families.get(g, g) for g in track.genres})
    n = len(track_ids)
    for counter in (genres, families):
        if counter:
            name, count = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            if count >= 0.4 * n:
                return name
    return ""


def _script(library: Library, track_ids: list[int]) -> str:
    scripts = Counter(dominant_script(library.tracks[t].name) for t in track_ids)
    for script, count in sorted(scripts.items(), key=lambda kv: (-kv[1], kv[0])):
        if script in _SCRIPT_NAMES and count >= 0.5 * len(track_ids):
            return f"mostly {_SCRIPT_NAMES[script]} titles"
    return ""
