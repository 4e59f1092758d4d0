"""Charts: cluster scatter plots and release-year histograms (matplotlib, Agg),
and small listening-over-time bar charts written as SVG by hand.

PNG output is byte-identical for the same data: no software or date metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

matplotlib.rcParams.update(
    {
        "text.parse_math": False,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "linernotes",
    }
)
_PNG_METADATA = {"Software": None}
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


ODD_COLOUR = "#b0b0b0"


def render_scatter(path: Path, coords: np.ndarray, labels: Sequence[int]) -> None:
    """Write the cluster comparison: 2-D projection, one colour per cluster,
    legend ``Cluster #N (size)``; label 0 (odd ones out) drawn grey, last."""
    labels_arr = np.asarray(labels)
    fig = plt.figure(figsize=(7.2, 4.4), dpi=100)
    # Fixed margins and a legend outside the axes: tight_layout and loc="best"
    # cost more than the drawing itself.
    ax = fig.add_axes((0.08, 0.11, 0.66, 0.85))
    try:
        for number in sorted(set(labels_arr.tolist()), key=lambda n: (n == 0, n)):
            rows = labels_arr == number
            odd = number == 0
            ax.scatter(
                coords[rows, 0],
                coords[rows, 1],
                s=18,
                alpha=0.8,
                color=ODD_COLOUR if odd else PALETTE[(number - 1) % len(PALETTE)],
                edgecolors="none",
                label=f"{'Odd ones out' if odd else f'Cluster #{number}'} ({int(rows.sum())})",
            )
        ax.set_xlabel("projection 1")
        ax.set_ylabel("projection 2")
        ax.legend(
            loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, markerscale=1.5
        )
        _save(fig, path)
    finally:
        plt.close(fig)


def render_year_histogram(path: Path, years: Sequence[int]) -> None:
    """Write a bar chart of how many tracks came out in each year."""
    fig = plt.figure(figsize=(6.4, 2.6), dpi=100)
    ax = fig.add_axes((0.09, 0.18, 0.88, 0.76))
    try:
        if years:
            low, high = min(years), max(years)
            counts = np.bincount(np.asarray(years) - low, minlength=high - low + 1)
            ax.bar(np.arange(low, high + 1), counts, width=0.85, color=PALETTE[0])
        ax.set_xlabel("release year")
        ax.set_ylabel("tracks")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _save(fig, path)
    finally:
        plt.close(fig)


def _save(fig: plt.Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata=_PNG_METADATA)


def listening_svg(
    minutes_by_period: Mapping[str, int], *, width: int = 480, height: int = 120
) -> str:
    """Return an SVG bar chart of minutes listened per period (e.g. per year)."""
    periods = list(minutes_by_period)
    peak = max(minutes_by_period.values(), default=0) or 1
    bar = (width - 40) / max(len(periods), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
        f"<title>Minutes listened per period (peak {peak})</title>",
    ]
    for i, period in enumerate(periods):
        value = minutes_by_period[period]
        h = round((height - 30) * value / peak, 1)
        x = round(30 + i * bar, 1)
        parts.append(
            f'<rect x="{x}" y="{round(height - 18 - h, 1)}" width="{round(bar * 0.8, 1)}"'
            f' height="{h}" fill="{PALETTE[0]}"><title>{escape(period)}: {value} min</title></rect>'
        )
        parts.append(
            f'<text x="{round(x + bar * 0.4, 1)}" y="{height - 4}"'
            f' text-anchor="middle">{escape(period)}</text>'
        )
    parts.append(f'<text x="2" y="12">{peak} min</text></svg>')
    return "\n".join(parts) + "\n"
