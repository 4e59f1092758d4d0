"""Axis names of a cluster map: the features that go with each axis, in words."""

from __future__ import annotations

import numpy as np

from linernotes.render.axes import Axis, axis_names

COLUMNS = ("energy", "acousticness", "tempo", "genre:family:pop", "script:hangul")


def _matrix(n: int = 60, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=n), rng.normal(size=n)
    noise = rng.normal(scale=0.1, size=(n, len(COLUMNS)))
    # energy rises with x, acousticness falls with x; Korean titles rise with y.
    columns = [x, -x, rng.normal(size=n), rng.normal(size=n), y]
    return np.column_stack(columns) + noise, np.column_stack([x, y])


def test_each_axis_is_named_by_the_features_at_its_ends() -> None:
    matrix, coords = _matrix()
    x_axis, y_axis = axis_names(COLUMNS, matrix, coords)
    assert x_axis == Axis("acoustic", "energetic")
    assert x_axis.label == "← acoustic · energetic →"
    # Only one feature goes with y: its two ends name the axis.
    assert y_axis == Axis("fewer Korean titles", "Korean titles")


def test_a_flipped_axis_swaps_its_ends() -> None:
    matrix, coords = _matrix()
    x_axis, _ = axis_names(COLUMNS, matrix, -coords)
    assert x_axis == Axis("energetic", "acoustic")


def test_a_flat_map_has_no_axis_names() -> None:
    matrix, _ = _matrix()
    assert axis_names(COLUMNS, matrix, np.zeros((len(matrix), 2))) == []


def test_the_listening_block_never_names_an_axis() -> None:
    matrix, coords = _matrix()
    # A listening dimension that follows x more closely than any named feature.
    columns = (*COLUMNS, "listening:1")
    with_listening = np.column_stack([matrix, coords[:, 0] * 3])
    x_axis, y_axis = axis_names(columns, with_listening, coords)
    assert x_axis == Axis("acoustic", "energetic")
    assert "listening" not in x_axis.label + y_axis.label
