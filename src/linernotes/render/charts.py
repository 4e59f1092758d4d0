"""PNG charts for the Markdown atlas: cluster maps and release-year histograms
(matplotlib, Agg), at twice the usual resolution, on a transparent background,
in a text grey that reads on light and dark pages alike.

PNG output is byte-identical for the same data: no software or date metadata.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.ticker import MaxNLocator

from linernotes.render.colours import PALETTE, TEXT_GREY, cluster_colour

matplotlib.rcParams.update(
    {
        "text.parse_math": False,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "linernotes",
        "text.color": TEXT_GREY,
        "axes.labelcolor": TEXT_GREY,
        "axes.edgecolor": TEXT_GREY,
        "xtick.color": TEXT_GREY,
        "ytick.color": TEXT_GREY,
    }
)
_PNG_METADATA = {"Software": None}
DPI = 200  # 2x: sharp on phones and high-density screens
LEGEND_WIDTH = 84  # characters per legend line before it wraps


def render_scatter(
    path: Path,
    coords: np.ndarray,
    labels: Sequence[int],
    numbers: Sequence[int],
    text: Sequence[str],
) -> None:
    """Write the cluster map: one dot per track coloured by cluster, the axes
    named for what they mean and the legend (one entry per cluster ``numbers``,
    in that order) below the map. Number 0 (the odd ones out) is grey and drawn
    underneath the clusters.

    ``text`` holds the title, the two axis names ('' for none) and one legend
    entry per cluster number.
    """
    title, x_name, y_name, *legend = (_drawable(t) for t in text)
    labels_arr = np.asarray(labels)
    fig = plt.figure(figsize=(6.4, 4.0), dpi=DPI)
    ax = fig.add_axes((0.06, 0.08, 0.92, 0.82))
    try:
        for number, entry in zip(numbers, legend, strict=True):
            rows = labels_arr == number
            ax.scatter(
                coords[rows, 0],
                coords[rows, 1],
                s=22,
                alpha=0.85,
                color=cluster_colour(number),
                edgecolors="none",
                zorder=1 if number < 1 else 2,
                label=textwrap.fill(entry, LEGEND_WIDTH, subsequent_indent="  "),
            )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(x_name)
        ax.set_ylabel(y_name)
        # A title whose name the font cannot draw at all says what it can.
        shown = title if title.removeprefix("Clusters in").strip() else "Clusters"
        ax.set_title(shown, loc="left", fontsize=12, pad=10)
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, -0.1),
            frameon=False,
            fontsize=9.5,
            markerscale=1.4,
            handletextpad=0.3,
            borderaxespad=0.0,
        )
        _save(fig, path)
    finally:
        plt.close(fig)


def render_year_histogram(path: Path, years: Sequence[int]) -> None:
    """Write a bar chart of how many tracks came out in each year."""
    fig = plt.figure(figsize=(6.4, 2.6), dpi=DPI)
    ax = fig.add_axes((0.09, 0.18, 0.88, 0.76))
    try:
        if years:
            low, high = min(years), max(years)
            counts = np.bincount(np.asarray(years) - low, minlength=high - low + 1)
            ax.bar(np.arange(low, high + 1), counts, width=0.85, color=PALETTE[0])
        ax.set_xlabel("release year")
        ax.set_ylabel("tracks")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _save(fig, path)
    finally:
        plt.close(fig)


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """The characters the chart font can draw."""
    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))
    return frozenset(font.get_charmap())


def _drawable(text: str) -> str:
    """``text`` without the characters the font lacks (a name in a script the
    machine has no font for would show as boxes, with a warning per glyph)."""
    glyphs = _glyphs()
    kept = "".join(c for c in text if ord(c) in glyphs or c.isspace())
    return " ".join(kept.split()) if kept != text else text


def _save(fig: plt.Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        path,
        format="png",
        metadata=_PNG_METADATA,
        transparent=True,
        bbox_inches="tight",
        pad_inches=0.08,
    )
