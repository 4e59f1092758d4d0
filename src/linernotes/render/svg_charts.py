"""Small bar charts written as SVG by hand: minutes listened per year (a file
beside the artist page) and tracks per release year (drawn in the HTML twin).

Text is grey as a file (it reads on light and dark pages when shown as an
image); inline in an HTML page, the page's style gives it the text colour.
Every bar carries a ``<title>``, so hovering it tells its value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from linernotes.render.colours import PALETTE, TEXT_GREY

LABEL_SPACE = 40  # minimum pixels between two labels under the bars


def bars_svg(
    values: Mapping[str, int], *, title: str, unit: str, width: int = 480, height: int = 150
) -> str:
    """Return an SVG bar chart of ``values`` (label → count, in order)."""
    labels = list(values)
    peak = max(values.values(), default=0) or 1
    left, bottom, top = 44, 22, 8
    slot = (width - left - 4) / max(len(labels), 1)
    shown = _shown_labels(labels, slot)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label={quoteattr(title)} font-family="sans-serif" font-size="12"'
        f' fill="{TEXT_GREY}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left - 6}" y="{top + 9}" text-anchor="end">{peak:,}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>',
        f'<text x="{left - 6}" y="{top + 22}" text-anchor="end" font-size="10">'
        f"{escape(unit)}</text>",
        f'<line x1="{left}" y1="{height - bottom + 0.5}" x2="{width - 4}"'
        f' y2="{height - bottom + 0.5}" stroke="{TEXT_GREY}" stroke-width="1"/>',
    ]
    plot = height - bottom - top
    for i, label in enumerate(labels):
        value = values[label]
        h = round(plot * value / peak, 1)
        x = round(left + i * slot + slot * 0.1, 1)
        parts.append(
            f'<rect x="{x}" y="{round(height - bottom - h, 1)}" width="{round(slot * 0.8, 1)}"'
            f' height="{h}" fill="{PALETTE[0]}"><title>{escape(label)}: {value:,} {escape(unit)}'
            "</title></rect>"
        )
        if i in shown:
            parts.append(
                f'<text x="{round(x + slot * 0.4, 1)}" y="{height - 5}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _shown_labels(labels: list[str], slot: float) -> set[int]:
    """Which labels fit under the bars: years on round numbers (every 1, 2, 5,
    10… years, as few as leave room), other labels every n-th."""
    every = max(1, math.ceil(LABEL_SPACE / max(slot, 1.0)))
    if all(label.isdigit() for label in labels):
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 10**9) if s >= every)
        round_years = {i for i, label in enumerate(labels) if int(label) % step == 0}
        return round_years or {0}
    return set(range(0, len(labels), every))


def listening_svg(minutes_by_period: Mapping[str, int]) -> str:
    """Minutes listened per period (e.g. per year)."""
    return bars_svg(minutes_by_period, title="Minutes listened per year", unit="min")


def year_histogram_svg(years: Sequence[int]) -> str:
    """How many tracks came out in each year, every year between the first and last."""
    if not years:
        return bars_svg({}, title="Tracks per release year", unit="tracks")
    counts = {str(y): 0 for y in range(min(years), max(years) + 1)}
    for year in years:
        counts[str(year)] += 1
    return bars_svg(counts, title="Tracks per release year", unit="tracks")
