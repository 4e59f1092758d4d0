"""PNG charts for the Markdown atlas: cluster maps and release-year histograms,
drawn directly with Pillow at twice the usual resolution (200 dpi), on a
transparent background, in a text grey that reads on light and dark pages alike.

A chart takes a few milliseconds: the layout is computed, not measured by a
plotting library, dots are stamped from one antialiased sprite per colour, and
the PNG is written at a fast compression level. The output is byte-identical
for the same data (Pillow writes no software or date metadata).
"""

from __future__ import annotations

import importlib.util
import math
import struct
import textwrap
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from isal import isal_zlib
from PIL import Image, ImageDraw, ImageFont

from linernotes.render.colours import PALETTE, TEXT_GREY, cluster_colour

DPI = 200  # 2x: sharp on phones and high-density screens
PT = DPI / 72  # pixels per typographic point
LEGEND_WIDTH = 84  # characters per legend line before it wraps
PAD = 16  # blank border around a chart
LINE = round(0.8 * PT)  # axis and tick width
TICK = round(3.5 * PT)  # tick length, and the gap between a tick and its label
LABEL_GAP = round(4 * PT)  # between tick labels (or the axis) and the axis name
TEXT, TITLE, LEGEND = 10 * PT, 12 * PT, 9.5 * PT  # font sizes
DOT = math.sqrt(22) * PT  # a track's dot (22 pt² in matplotlib's terms)
ALPHA = 0.85
COMPRESS_LEVEL = 1  # ISA-L's fast level: the charts are mostly transparent rows


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
    if len(legend) != len(numbers):
        raise ValueError("one legend entry per cluster number")
    # A title whose name the font cannot draw at all says what it can.
    title = title if title.removeprefix("Clusters in").strip() else "Clusters"
    entries = [textwrap.fill(e, LEGEND_WIDTH, subsequent_indent="  ") for e in legend]
    left = PAD + (_line_height(TEXT) + LABEL_GAP if y_name else 0)
    top = PAD + _line_height(TITLE) + round(10 * PT)
    width, height = 1178, 656  # the plotting area
    legend_top = top + height + round(0.1 * height)  # below the axis name
    legend_lines = sum(e.count("\n") + 1 for e in entries)
    legend_height = legend_lines * _line_height(LEGEND) + max(len(entries) - 1, 0) * round(
        0.5 * LEGEND
    )
    canvas = Image.new("RGBA", (left + width + PAD, legend_top + legend_height + PAD))
    draw = ImageDraw.Draw(canvas)
    _text(draw, (left, PAD), title, TITLE, "la")
    box = (left, top, left + width, top + height)
    _axes(draw, box)
    points = np.asarray(coords, dtype=float).reshape(-1, 2)
    xs = _to_pixels(points[:, 0], box[0], box[2])
    ys = _to_pixels(points[:, 1], box[3], box[1])
    labels_arr = np.asarray(labels)
    for number in sorted(numbers, key=lambda n: n >= 1):  # the odd ones out first
        sprite = _dot(cluster_colour(number), DOT)
        half = sprite.width / 2
        rows = np.flatnonzero(labels_arr == number)
        for x, y in zip(xs[rows], ys[rows], strict=True):
            canvas.alpha_composite(sprite, (round(x - half), round(y - half)))
    if x_name:
        _text(draw, ((box[0] + box[2]) // 2, box[3] + LABEL_GAP), x_name, TEXT, "ma")
    if y_name:
        _vertical_text(canvas, (PAD, (box[1] + box[3]) // 2), y_name, TEXT)
    _legend(canvas, draw, (left + round(0.4 * PT), legend_top), numbers, entries)
    _save(canvas, path)


def render_year_histogram(path: Path, years: Sequence[int]) -> None:
    """Write a bar chart of how many tracks came out in each year."""
    if years:
        low, high = min(years), max(years)
        counts = np.bincount(np.asarray(years) - low, minlength=high - low + 1)
        x_view = _margins(low - 0.425, high + 0.425)
        y_view = (0.0, float(counts.max()) * 1.05)
    else:
        low, counts, x_view, y_view = 0, np.zeros(0, dtype=int), (0.0, 1.0), (0.0, 1.0)
    x_ticks, y_ticks = _ticks(*x_view), _ticks(*y_view)
    y_labels = [str(t) for t in y_ticks]
    label_width = max(_text_width(s, TEXT) for s in y_labels)
    left = PAD + _line_height(TEXT) + LABEL_GAP + label_width + 2 * TICK
    width, height = 1126, 395
    bottom = height + 2 * TICK + _line_height(TEXT) + LABEL_GAP + _line_height(TEXT)
    canvas = Image.new("RGBA", (left + width + PAD, PAD + bottom + PAD))
    draw = ImageDraw.Draw(canvas)
    box = (left, PAD, left + width, PAD + height)

    def x_at(value: float) -> float:
        return box[0] + (value - x_view[0]) / (x_view[1] - x_view[0]) * width

    def y_at(value: float) -> float:
        return box[3] - (value - y_view[0]) / (y_view[1] - y_view[0]) * height

    for offset, count in enumerate(counts.tolist()):
        if count:
            year = low + offset
            corners = (x_at(year - 0.425), y_at(count), x_at(year + 0.425), box[3])
            draw.rectangle(tuple(round(c) for c in corners), fill=PALETTE[0])
    _axes(draw, box)
    for tick in x_ticks:
        x = round(x_at(tick))
        draw.line((x, box[3], x, box[3] + TICK), fill=TEXT_GREY, width=LINE)
        _text(draw, (x, box[3] + 2 * TICK), str(tick), TEXT, "ma")
    for tick, label in zip(y_ticks, y_labels, strict=True):
        y = round(y_at(tick))
        draw.line((box[0] - TICK, y, box[0], y), fill=TEXT_GREY, width=LINE)
        _text(draw, (box[0] - 2 * TICK, y), label, TEXT, "rm")
    below = box[3] + 2 * TICK + _line_height(TEXT) + LABEL_GAP
    _text(draw, ((box[0] + box[2]) // 2, below), "release year", TEXT, "ma")
    _vertical_text(canvas, (PAD, (box[1] + box[3]) // 2), "tracks", TEXT)
    _save(canvas, path)


def _axes(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """The left and bottom spines (no top or right one)."""
    x0, y0, x1, y1 = box
    draw.line((x0, y0, x0, y1, x1, y1), fill=TEXT_GREY, width=LINE, joint="curve")


def _legend(
    canvas: Image.Image,
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    numbers: Sequence[int],
    entries: Sequence[str],
) -> None:
    """One dot (1.4 times a track's) and one wrapped entry per cluster."""
    x, y = origin
    line, gap = _line_height(LEGEND), round(0.5 * LEGEND)
    for number, entry in zip(numbers, entries, strict=True):
        sprite = _dot(cluster_colour(number), DOT * 1.4)
        centre = (x + round(LEGEND), y + line // 2)
        canvas.alpha_composite(
            sprite, (centre[0] - sprite.width // 2, centre[1] - sprite.width // 2)
        )
        for row in entry.split("\n"):
            _text(draw, (x + round(2.8 * LEGEND), y + line // 2), row, LEGEND, "lm")
            y += line
        y += gap


def _to_pixels(values: np.ndarray, start: int, end: int) -> np.ndarray:
    """Data values to pixel positions between ``start`` and ``end`` (5 % margins)."""
    if not values.size:
        return values
    low, high = _margins(float(values.min()), float(values.max()))
    return start + (values - low) / (high - low) * (end - start)


def _margins(low: float, high: float) -> tuple[float, float]:
    if high <= low:
        return low - 1.0, high + 1.0
    pad = (high - low) * 0.05
    return low - pad, high + pad


def _ticks(low: float, high: float, most: int = 10) -> list[int]:
    """Whole-number ticks inside ``[low, high]`` at a round step (1, 2, 5 × 10ⁿ)."""
    steps = (m * 10**e for e in range(12) for m in (1, 2, 5))
    step = next(s for s in steps if math.floor(high / s) - math.ceil(low / s) <= most)
    return list(range(math.ceil(low / step) * step, math.floor(high / step) * step + 1, step))


@lru_cache(maxsize=16)
def _dot(colour: str, diameter: float) -> Image.Image:
    """One antialiased dot in ``colour`` (drawn four times larger and scaled down)."""
    size = math.ceil(diameter) + 2
    big = Image.new("L", (size * 4, size * 4))
    inset = (size * 4 - diameter * 4) / 2
    ImageDraw.Draw(big).ellipse((inset, inset, size * 4 - inset, size * 4 - inset), fill=255)
    mask = big.resize((size, size), Image.Resampling.BOX).point(lambda v: round(v * ALPHA))
    sprite = Image.new("RGBA", (size, size), colour)
    sprite.putalpha(mask)
    return sprite


@lru_cache(maxsize=8)
def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path()), round(size))


def _font_path() -> Path:
    """DejaVu Sans, as shipped with matplotlib (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib's fonts are missing: reinstall linernotes")
    return Path(spec.submodule_search_locations[0]) / "mpl-data/fonts/ttf/DejaVuSans.ttf"


def _line_height(size: float) -> int:
    ascent, descent = _font(size).getmetrics()
    return ascent + descent


def _text_width(text: str, size: float) -> int:
    return math.ceil(_font(size).getlength(text))


def _text(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: float, anchor: str
) -> None:
    draw.text(xy, text, fill=TEXT_GREY, font=_font(size), anchor=anchor)


def _vertical_text(
    canvas: Image.Image, left_middle: tuple[int, int], text: str, size: float
) -> None:
    """``text`` read bottom to top, its top edge at ``left_middle[0]``, centred on
    ``left_middle[1]``."""
    layer = Image.new("RGBA", (_text_width(text, size) + 2, _line_height(size)))
    ImageDraw.Draw(layer).text((1, 0), text, fill=TEXT_GREY, font=_font(size), anchor="la")
    turned = layer.transpose(Image.Transpose.ROTATE_90)
    x, y = left_middle
    canvas.alpha_composite(turned, (x, max(y - turned.height // 2, 0)))


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """The characters the chart font can draw."""
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(_font_path())).get_charmap())


def _drawable(text: str) -> str:
    """``text`` without the characters the font lacks (a name in a script the
    machine has no font for would show as boxes)."""
    glyphs = _glyphs()
    kept = "".join(c for c in text if ord(c) in glyphs or c.isspace())
    return " ".join(kept.split()) if kept != text else text


def _save(canvas: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(canvas))


def png_bytes(canvas: Image.Image) -> bytes:
    """``canvas`` (RGBA) as a PNG: unfiltered rows deflated by ISA-L, several
    times faster than Pillow's encoder (which tries every row filter) with zlib."""
    width, height = canvas.size
    rows = np.zeros((height, width * 4 + 1), dtype=np.uint8)  # filter byte 0: none
    rows[:, 1:] = np.frombuffer(canvas.tobytes(), dtype=np.uint8).reshape(height, width * 4)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    data = isal_zlib.compress(rows.data, COMPRESS_LEVEL)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
