"""Feature matrices for clustering: audio features, genres, era, duration,
explicitness and title script, standardised and weighted by block."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from linernotes.analysis.library import Library, Track
from linernotes.text import dominant_script

AUDIO_COLUMNS = (
    "danceability",
    "energy",
    "valence",
    "acousticness",
    "instrumentalness",
    "speechiness",
    "liveness",
    "loudness",
    "tempo",
)
# Share of the total variance each block gets, so no block drowns the others.
BLOCK_WEIGHTS = {
    "audio features": 1.0,
    "genres": 1.0,
    "release year": 0.5,
    "duration": 0.25,
    "explicit": 0.2,
    "title script": 0.5,
}
MIN_AUDIO_COVERAGE = 0.5
MIN_GENRE_TRACKS = 2


@dataclass(frozen=True)
class FeatureMatrix:
    """Rows are tracks (in ``track_ids`` order), columns named, blocks weighted."""

    track_ids: tuple[int, ...]
    matrix: np.ndarray
    columns: tuple[str, ...]
    blocks: tuple[str, ...]  # blocks used, in BLOCK_WEIGHTS order
    raw: dict[str, np.ndarray]  # unscaled values for descriptions (NaN = missing)


def build_features(library: Library, tracks: Sequence[Track]) -> FeatureMatrix:
    """Return the weighted feature matrix of ``tracks``; missing values are imputed."""
    blocks: dict[str, tuple[np.ndarray, list[str], bool]] = {}
    raw: dict[str, np.ndarray] = {}
    audio = _audio_block(tracks)
    if audio is not None:
        blocks["audio features"] = (audio, list(AUDIO_COLUMNS), True)
        for i, name in enumerate(AUDIO_COLUMNS):
            raw[name] = audio[:, i]
    genres = _genre_block(library, tracks)
    if genres is not None:
        blocks["genres"] = genres
    years = np.array([library.year(t) or np.nan for t in tracks], dtype=float)
    raw["year"] = years
    if np.isfinite(years).any():
        blocks["release year"] = (years[:, None], ["year"], True)
    durations = np.array([(t.duration_ms or np.nan) / 60_000 for t in tracks], dtype=float)
    if np.isfinite(durations).any():
        blocks["duration"] = (durations[:, None], ["minutes"], True)
    explicit = np.array([1.0 if t.explicit else 0.0 for t in tracks])
    if explicit.any():
        blocks["explicit"] = (explicit[:, None], ["explicit"], False)
    scripts = [dominant_script(t.name) for t in tracks]
    kinds = sorted(set(scripts))
    if len(kinds) > 1:
        onehot = np.array([[1.0 if s == k else 0.0 for k in kinds] for s in scripts])
        blocks["title script"] = (onehot, [f"script:{k}" for k in kinds], False)
    return _assemble(tracks, blocks, raw)


def _audio_block(tracks: Sequence[Track]) -> np.ndarray | None:
    values = np.array(
        [[(t.features or {}).get(c, np.nan) for c in AUDIO_COLUMNS] for t in tracks], dtype=float
    )
    has_any = np.isfinite(values).any(axis=1)
    if not len(tracks) or has_any.mean() < MIN_AUDIO_COVERAGE:
        return None
    return values


def _genre_block(
    library: Library, tracks: Sequence[Track]
) -> tuple[np.ndarray, list[str], bool] | None:
    """Multi-hot of the genres (and their families) that at least two tracks share."""
    counts: Counter[str] = Counter()
    for track in tracks:
        tags = set(track.genres) | {
            "family:" + library.genre_families.get(g, g) for g in track.genres
        }
        counts.update(tags)
    vocab = sorted(g for g, n in counts.items() if n >= MIN_GENRE_TRACKS and n < len(tracks))
    if not vocab:
        return None
    index = {g: i for i, g in enumerate(vocab)}
    matrix = np.zeros((len(tracks), len(vocab)))
    for row, track in enumerate(tracks):
        present = list(track.genres) + [
            "family:" + library.genre_families.get(g, g) for g in track.genres
        ]
        for tag in present:
            if tag in index:
                matrix[row, index[tag]] = 1.0
    return matrix, [f"genre:{g}" for g in vocab], False


def _assemble(
    tracks: Sequence[Track],
    blocks: dict[str, tuple[np.ndarray, list[str], bool]],
    raw: dict[str, np.ndarray],
) -> FeatureMatrix:
    parts: list[np.ndarray] = []
    columns: list[str] = []
    used: list[str] = []
    for name in BLOCK_WEIGHTS:
        if name not in blocks:
            continue
        values, names, continuous = blocks[name]
        scaled = _scale_block(values, continuous, BLOCK_WEIGHTS[name])
        if scaled is None:
            continue
        parts.append(scaled)
        columns += names
        used.append(name)
    matrix = np.hstack(parts) if parts else np.zeros((len(tracks), 1))
    return FeatureMatrix(tuple(t.id for t in tracks), matrix, tuple(columns), tuple(used), raw)


def _scale_block(values: np.ndarray, continuous: bool, weight: float) -> np.ndarray | None:
    """Impute missing values, centre (and z-score continuous columns), then scale the
    block so that its total variance equals ``weight``; None when it carries nothing."""
    values = values.copy()
    for col in range(values.shape[1]):
        column = values[:, col]
        missing = ~np.isfinite(column)
        if missing.all():
            column[:] = 0.0
        elif missing.any():
            column[missing] = np.median(column[~missing])
    values -= values.mean(axis=0)
    if continuous:
        std = values.std(axis=0)
        values = np.divide(values, std, out=np.zeros_like(values), where=std > 1e-12)
    total = float((values**2).sum(axis=1).mean())
    if total <= 1e-12:
        return None
    return values * np.sqrt(weight / total)
