"""Feature matrices for clustering: audio features, genres, era, duration,
explicitness, title script and the person's own listening (sessions and shared
playlists), standardised and weighted by block."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from linernotes.analysis.cooccurrence import CoOccurrence, listening_block
from linernotes.analysis.library import Library, Track
from linernotes.text import dominant_script

# A title's script, once per title: a track is on several pages.
title_script = lru_cache(maxsize=1 << 16)(dominant_script)

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
LISTENING = "listening sessions, shared playlists and artists"
# How much each block counts. A "scale" block (numbers) is z-scored on the page and
# given this total variance; a "tags" block (present or not) counts this much per
# tag two tracks differ in, so a tag few tracks carry moves only those few; an
# "embedding" block (directions) is given this total variance as it is.
BLOCK_WEIGHTS = {
    "audio features": 1.0,
    LISTENING: 0.75,
    "genres": 1.0,
    "release year": 0.5,
    "duration": 0.25,
    "explicit": 0.2,
    "title script": 0.5,
}
BlockKind = Literal["scale", "tags", "embedding"]
MIN_AUDIO_COVERAGE = 0.5
MIN_GENRE_TRACKS = 2
# A genre on fewer of a page's tracks than this share cannot make a cluster (see
# ``kchoice.MIN_CLUSTER_SHARE``) and would only widen the matrix: a 50,000-track
# library has hundreds of such micro-genres.
MIN_GENRE_SHARE = 0.01


@dataclass(frozen=True)
class FeatureMatrix:
    """Rows are tracks (in ``track_ids`` order), columns named, blocks weighted.

    ``imputed`` is, per row, the share of the matrix's weight that was missing for
    that track and filled in (such a track sits nearer the centre than it should)."""

    track_ids: tuple[int, ...]
    matrix: np.ndarray
    columns: tuple[str, ...]
    blocks: tuple[str, ...]  # blocks used, in BLOCK_WEIGHTS order
    raw: dict[str, np.ndarray]  # unscaled values for descriptions (NaN = missing)
    imputed: np.ndarray | None = None

    def imputed_share(self) -> np.ndarray:
        """Per row, the share of the weight that was imputed (zeros when none was)."""
        return np.zeros(len(self.track_ids)) if self.imputed is None else self.imputed


@dataclass(frozen=True)
class _Block:
    values: np.ndarray  # NaN = missing
    columns: list[str]
    kind: BlockKind


def build_features(
    library: Library,
    tracks: Sequence[Track],
    together: CoOccurrence | None = None,
    *,
    without: int | None = None,
    seed: int = 42,
) -> FeatureMatrix:
    """Return the weighted feature matrix of ``tracks``; missing values are imputed.
    ``together`` (the library's co-occurrence) adds the listening block where the
    tracks were played together or share playlists often enough to tell them apart;
    ``without`` is the playlist whose page this is (its own membership says nothing)."""
    blocks: dict[str, _Block] = {}
    raw: dict[str, np.ndarray] = {}
    audio = _audio_block(tracks)
    if audio is not None:
        blocks["audio features"] = _Block(audio, list(AUDIO_COLUMNS), "scale")
        for i, name in enumerate(AUDIO_COLUMNS):
            raw[name] = audio[:, i]
    ids = [t.id for t in tracks]
    listened = listening_block(together, ids, seed, without) if together else None
    if listened is not None:
        names = [f"listening:{i + 1}" for i in range(listened.shape[1])]
        blocks[LISTENING] = _Block(listened, names, "embedding")
    genres = _genre_block(library, tracks)
    if genres is not None:
        blocks["genres"] = genres
    years = np.array([library.year(t) or np.nan for t in tracks], dtype=float)
    raw["year"] = years
    if np.isfinite(years).any():
        blocks["release year"] = _Block(years[:, None], ["year"], "scale")
    durations = np.array([(t.duration_ms or np.nan) / 60_000 for t in tracks], dtype=float)
    if np.isfinite(durations).any():
        blocks["duration"] = _Block(durations[:, None], ["minutes"], "scale")
    explicit = np.array([1.0 if t.explicit else 0.0 for t in tracks])
    if explicit.any():
        blocks["explicit"] = _Block(explicit[:, None], ["explicit"], "tags")
    scripts = [title_script(t.name) for t in tracks]
    kinds = sorted(set(scripts))
    if len(kinds) > 1:
        onehot = np.array([[1.0 if s == k else 0.0 for k in kinds] for s in scripts])
        blocks["title script"] = _Block(onehot / np.sqrt(2), [f"script:{k}" for k in kinds], "tags")
    return _assemble(tracks, blocks, raw)


def _audio_block(tracks: Sequence[Track]) -> np.ndarray | None:
    values = np.array(
        [[(t.features or {}).get(c, np.nan) for c in AUDIO_COLUMNS] for t in tracks], dtype=float
    )
    has_any = np.isfinite(values).any(axis=1)
    if not len(tracks) or has_any.mean() < MIN_AUDIO_COVERAGE:
        return None
    return values


def _genre_block(library: Library, tracks: Sequence[Track]) -> _Block | None:
    """Multi-hot of the genres (and their families) that at least two tracks (and 1 %
    of the page) share."""
    counts: Counter[str] = Counter()
    for track in tracks:
        tags = set(track.genres) | {
            "family:" + library.genre_families.get(g, g) for g in track.genres
        }
        counts.update(tags)
    least = max(MIN_GENRE_TRACKS, MIN_GENRE_SHARE * len(tracks))
    vocab = sorted(g for g, n in counts.items() if least <= n < len(tracks))
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
    return _Block(matrix, [f"genre:{g}" for g in vocab], "tags")


def _assemble(
    tracks: Sequence[Track], blocks: dict[str, _Block], raw: dict[str, np.ndarray]
) -> FeatureMatrix:
    parts: list[np.ndarray] = []
    columns: list[str] = []
    used: list[str] = []
    missing = np.zeros(len(tracks))
    for name, weight in BLOCK_WEIGHTS.items():
        if name not in blocks or weight <= 0:
            continue
        block = blocks[name]
        scaled = _scale_block(block, weight)
        if scaled is None:
            continue
        parts.append(scaled)
        columns += block.columns
        used.append(name)
        gaps = ~np.isfinite(block.values)
        missing += weight * gaps.mean(axis=1)
    matrix = np.hstack(parts) if parts else np.zeros((len(tracks), 1))
    total = sum(BLOCK_WEIGHTS[name] for name in used) or 1.0
    return FeatureMatrix(
        tuple(t.id for t in tracks), matrix, tuple(columns), tuple(used), raw, missing / total
    )


def _scale_block(block: _Block, weight: float) -> np.ndarray | None:
    """Impute missing values (the column's median), centre, and weigh the block as its
    kind says (see ``BLOCK_WEIGHTS``); None when it carries nothing on this page."""
    values = block.values.copy()
    for col in range(values.shape[1]):
        column = values[:, col]
        missing = ~np.isfinite(column)
        if missing.all():
            column[:] = 0.0
        elif missing.any():
            column[missing] = np.median(column[~missing])
    values -= values.mean(axis=0)
    if block.kind == "scale":
        std = values.std(axis=0)
        values = np.divide(values, std, out=np.zeros_like(values), where=std > 1e-12)
    total = float((values**2).sum(axis=1).mean())
    if total <= 1e-12:
        return None
    if block.kind == "tags":
        return values * np.sqrt(weight)
    return values * np.sqrt(weight / total)
