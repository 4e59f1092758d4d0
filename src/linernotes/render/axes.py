"""Names for the axes of a cluster map: the features that go with each axis of
the 2-D projection, in words a fan reads ("← acoustic · energetic →")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linernotes.analysis.atlas import ClusterSet
from linernotes.render.markdown import fmt_count

# A feature column and the words for its high and low ends.
_WORDS = {
    "danceability": ("danceable", "less danceable"),
    "energy": ("energetic", "calm"),
    "valence": ("cheerful", "melancholic"),
    "acousticness": ("acoustic", "electronic"),
    "instrumentalness": ("instrumental", "vocal"),
    "speechiness": ("spoken", "sung"),
    "liveness": ("live", "studio"),
    "loudness": ("loud", "quiet"),
    "tempo": ("fast", "slow"),
    "year": ("newer", "older"),
    "minutes": ("longer", "shorter"),
    "explicit": ("explicit", "clean"),
}
_SCRIPTS = {
    "hangul": "Korean",
    "kana": "Japanese",
    "han": "Chinese",
    "hebrew": "Hebrew",
    "arabic": "Arabic",
    "cyrillic": "Cyrillic",
    "greek": "Greek",
    "thai": "Thai",
    "devanagari": "Devanagari",
    "latin": "Latin",
}
# Columns that mean nothing to a reader (the listening block's embedding dimensions):
# never an axis name.
NAMELESS = ("listening:",)
MIN_CORRELATION = 0.3  # a weaker link between a feature and an axis names nothing


@dataclass(frozen=True)
class Axis:
    """What the two ends of one map axis mean."""

    low: str
    high: str

    @property
    def label(self) -> str:
        """``← acoustic · energetic →`` (read bottom to top on the vertical axis)."""
        return f"← {self.low} · {self.high} →"


def axis_names(columns: tuple[str, ...], matrix: np.ndarray, coords: np.ndarray) -> list[Axis]:
    """Name each axis of ``coords`` (n × 2, rows as in ``matrix``) by the feature
    columns most correlated with it: the most negative at the low end, the most
    positive at the high end (or the other end of the same feature when only one
    side correlates). An axis that nothing explains (a flat map) gets no name, so
    the list may be shorter than two."""
    axes = []
    nameless = np.array([c.startswith(NAMELESS) for c in columns], dtype=bool)
    for i in range(coords.shape[1] if coords.ndim == 2 else 0):
        r = _correlations(matrix, coords[:, i])
        if r is not None:
            r[nameless] = np.nan
        if r is None or not np.isfinite(r).any() or np.nanmax(np.abs(r)) < 1e-9:
            break
        axes.append(_name(columns, r))
    return axes


def _correlations(matrix: np.ndarray, axis: np.ndarray) -> np.ndarray | None:
    """Pearson correlation of every column with ``axis``; NaN for flat columns."""
    if len(axis) < 3 or float(np.std(axis)) < 1e-12:
        return None
    x = matrix - matrix.mean(axis=0)
    y = axis - axis.mean()
    norms = np.sqrt((x**2).sum(axis=0)) * np.sqrt((y**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (x * y[:, None]).sum(axis=0) / norms
    r[norms < 1e-12] = np.nan
    return np.asarray(r)


def _name(columns: tuple[str, ...], r: np.ndarray) -> Axis:
    filled = np.nan_to_num(r, nan=0.0)
    high, low = int(np.argmax(filled)), int(np.argmin(filled))
    strongest = high if abs(filled[high]) >= abs(filled[low]) else low
    high_word = _words(columns[high])[0] if filled[high] >= MIN_CORRELATION else None
    low_word = _words(columns[low])[0] if filled[low] <= -MIN_CORRELATION else None
    if high_word and low_word:
        return Axis(low_word, high_word)
    # One side (or none) stands out: the two ends of the strongest feature.
    up, down = _words(columns[strongest])
    return Axis(down, up) if filled[strongest] >= 0 else Axis(up, down)


def _words(column: str) -> tuple[str, str]:
    """The words for the high and low ends of a feature column."""
    if column in _WORDS:
        return _WORDS[column]
    kind, _, value = column.partition(":")
    if kind == "genre":
        value = value.removeprefix("family:")
        return value, f"less {value}"
    if kind == "script":
        script = _SCRIPTS.get(value, value)
        return f"{script} titles", f"fewer {script} titles"
    return f"more {column}", f"less {column}"


def map_axes(clusters: ClusterSet) -> list[Axis]:
    """The axis names of the map of one cluster set."""
    features = clusters.features
    return axis_names(features.columns, features.matrix, clusters.clustering.coords)


def map_alt_text(clusters: ClusterSet, name: str) -> str:
    """What the map shows, in words (alt text of the image)."""
    clustering = clusters.clustering
    total = len(clustering.labels)
    text = (
        f"Map of the {fmt_count(total, 'track')} of {name}, one dot per track,"
        f" coloured by cluster ({fmt_count(clustering.k, 'cluster')})"
    )
    for axis, way in zip(map_axes(clusters), ("left to right", "bottom to top"), strict=False):
        text += f"; {way}: {axis.low} to {axis.high}"
    return text
