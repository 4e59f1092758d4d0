"""Listening charts as SVG that follow the colour scheme: text and axes are
``currentColor``, set dark on light pages and light on dark ones by a
``prefers-color-scheme`` rule inside the SVG (so it also holds where the SVG is
an ``<img>``); bars and cells are one accent colour; the background is
transparent. Every mark carries a ``<title>`` with its number, and every page
that shows a chart also gives its numbers in a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from linernotes.render.markdown import fmt_int

ACCENT = "#1b9e77"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_STYLE = (
    "<style>svg{color:#24292f}text{fill:currentColor}"
    "@media (prefers-color-scheme: dark){svg{color:#e6edf3}}</style>"
)


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10"'
        f' role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        _STYLE,
        f"<title>{escape(title)}</title>",
    ]


def _n(value: float) -> str:
    """A coordinate, rounded so the same data always gives the same bytes."""
    return f"{round(value, 1):g}"


def bar_chart_svg(
    bars: Sequence[tuple[str, int]],
    *,
    title: str,
    unit: str = "min",
    labels: Sequence[str] | None = None,
    width: int = 640,
    height: int = 160,
) -> str:
    """Bars of ``(label, value)``; ``labels`` are the bar labels written under the
    axis (default: every bar's), the others only in the bars' hover titles."""
    shown = set(labels) if labels is not None else {label for label, _ in bars}
    peak = max((v for _, v in bars), default=0) or 1
    left, bottom, top = 4, 18, 16
    step = (width - left - 4) / max(len(bars), 1)
    parts = _open(width, height, title)
    parts.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}"'
        ' stroke="currentColor" stroke-opacity="0.4"/>'
    )
    for i, (label, value) in enumerate(bars):
        h = (height - bottom - top) * value / peak
        x = left + i * step
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(height - bottom - h)}" width="{_n(max(step * 0.8, 0.6))}"'
            f' height="{_n(h)}" fill="{ACCENT}"><title>{escape(label)}: {fmt_int(value)} {unit}'
            "</title></rect>"
        )
        if label in shown:
            parts.append(
                f'<text x="{_n(x + step * 0.4)}" y="{height - 5}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append(f'<text x="{left}" y="11">peak {fmt_int(peak)} {unit}</text></svg>')
    return "\n".join(parts) + "\n"


def heatmap_svg(grid: Sequence[Sequence[int]], *, title: str, unit: str = "min") -> str:
    """Weekday (rows, Monday first) × hour (columns, 0–23) cells, shaded by value."""
    cell, left, top = 22, 72, 18
    width, height = left + 24 * cell + 4, top + 7 * cell + 4
    peak = max((v for row in grid for v in row), default=0) or 1
    parts = _open(width, height, title)
    for hour in range(0, 24, 3):
        x = left + hour * cell + cell / 2
        parts.append(f'<text x="{x:g}" y="12" text-anchor="middle">{hour:02d}</text>')
    for d, row in enumerate(grid):
        y = top + d * cell
        parts.append(f'<text x="0" y="{y + cell * 0.65:g}">{WEEKDAYS[d]}</text>')
        for hour, value in enumerate(row):
            opacity = 0.0 if not value else 0.08 + 0.92 * value / peak
            parts.append(
                f'<rect x="{left + hour * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}"'
                f' fill="{ACCENT}" fill-opacity="{round(opacity, 3):g}"'
                f' stroke="currentColor" stroke-opacity="0.15">'
                f"<title>{WEEKDAYS[d]} {hour:02d}:00–{(hour + 1) % 24:02d}:00:"
                f" {fmt_int(value)} {unit}</title></rect>"
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def clock_svg(hours: Sequence[int], *, title: str, unit: str = "min") -> str:
    """A 24-hour listening clock: one wedge per hour, midnight at the top, its area
    proportional to the value."""
    size, radius = 240, 96
    centre = size / 2
    peak = max(hours, default=0) or 1
    parts = _open(size, size, title)
    parts.append(
        f'<circle cx="{centre:g}" cy="{centre:g}" r="{radius}" fill="none"'
        ' stroke="currentColor" stroke-opacity="0.25"/>'
    )
    for hour, value in enumerate(hours):
        r = radius * math.sqrt(value / peak)
        a, b = _point(centre, r, hour), _point(centre, r, hour + 1)
        parts.append(
            f'<path d="M{_n(centre)},{_n(centre)} L{_n(a[0])},{_n(a[1])}'
            f' A{_n(r)},{_n(r)} 0 0 1 {_n(b[0])},{_n(b[1])} Z" fill="{ACCENT}"'
            f' stroke="currentColor" stroke-opacity="0.2"><title>{hour:02d}:00–'
            f"{(hour + 1) % 24:02d}:00: {fmt_int(value)} {unit}</title></path>"
        )
    for hour in (0, 6, 12, 18):
        x, y = _point(centre, radius + 12, hour)
        parts.append(f'<text x="{_n(x)}" y="{_n(y + 3)}" text-anchor="middle">{hour:02d}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _point(centre: float, r: float, hour: float) -> tuple[float, float]:
    angle = 2 * math.pi * hour / 24
    return centre + r * math.sin(angle), centre - r * math.cos(angle)
