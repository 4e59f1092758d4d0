"""The demo's album art: one generated picture per album, in its style's colours and motif.

The demo export gives every album a cover URL on Spotify's image host, where
nothing of an invented library exists. :class:`DemoCovers` stands in for that
host: asked for one of the demo's cover URLs, it draws the album's picture
(deterministic: the same album always gets the same bytes), so ``make_demo``
fills the demo's cover cache through the same checks and resizing as real
downloads, and the demo atlas shows real images without any network.

Albums of one style share a hue and a motif (rings for neo soul, peaks for
folk, a grid for club music…), so a cluster's table looks like its style.
"""

from __future__ import annotations

import colorsys
import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from linernotes.demo.catalogue import build_catalogue
from linernotes.demo.styles import STYLES

SIZE = 400  # pixels the motifs are drawn on
SERVED = 320  # pixels of the picture served: the largest size the atlas keeps, so it is
# kept as it comes instead of resized again (Lanczos) for every album of every demo
RGB = tuple[int, int, int]
Draw = Callable[[ImageDraw.ImageDraw, random.Random, RGB, RGB], None]


def _colour(hue: float, saturation: float, lightness: float) -> RGB:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def _rings(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    x, y = rnd.randint(120, 280), rnd.randint(120, 280)
    for i, radius in enumerate(range(rnd.randint(150, 210), 10, -rnd.randint(18, 30))):
        colour = ink if i % 2 else accent
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def _sun(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    horizon = rnd.randint(230, 300)
    radius = rnd.randint(70, 120)
    x = rnd.randint(130, 270)
    draw.ellipse((x - radius, horizon - radius, x + radius, horizon + radius), fill=accent)
    for i, y in enumerate(range(horizon, SIZE, 22)):
        draw.rectangle((0, y, SIZE, y + 10 + i * 2), fill=ink)


def _grid(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    step = rnd.choice((40, 50, 80))
    lit = rnd.random()
    for x in range(step // 2, SIZE, step):
        for y in range(step // 2, SIZE, step):
            colour = accent if rnd.random() < lit else ink
            draw.rectangle((x - step // 4, y - step // 4, x + step // 4, y + step // 4), colour)


def _bands(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    width = rnd.randint(24, 60)
    for i, x in enumerate(range(-SIZE, SIZE, width)):
        if i % 2:
            draw.polygon([(x, SIZE), (x + width, SIZE), (x + width + SIZE, 0), (x + SIZE, 0)], ink)
    draw.rectangle((0, SIZE - 90, SIZE, SIZE - 60), fill=accent)


def _peaks(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    for layer, colour in enumerate((accent, ink)):
        base = 260 + layer * 60
        x = -40
        while x < SIZE:
            width = rnd.randint(120, 220)
            draw.polygon(
                [(x, SIZE), (x + width // 2, base - rnd.randint(60, 160)), (x + width, SIZE)],
                colour,
            )
            x += width * 2 // 3


def _blocks(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    for _ in range(rnd.randint(3, 6)):
        x, y = rnd.randint(0, 300), rnd.randint(0, 300)
        colour = accent if rnd.random() < 0.5 else ink
        draw.rectangle((x, y, x + rnd.randint(40, 200), y + rnd.randint(20, 120)), fill=colour)
    for y in range(320, 380, 14):
        draw.rectangle((30, y, 30 + rnd.randint(80, 340), y + 6), fill=ink)


def _dots(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    for _ in range(rnd.randint(12, 30)):
        x, y, radius = rnd.randint(0, SIZE), rnd.randint(0, SIZE), rnd.randint(8, 60)
        colour = accent if rnd.random() < 0.6 else ink
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def _bars(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    x = 20
    while x < SIZE - 20:
        width = rnd.randint(10, 36)
        top = rnd.randint(60, 300)
        draw.rectangle((x, top, x + width, SIZE - 40), fill=accent if rnd.random() < 0.3 else ink)
        x += width + rnd.randint(6, 20)


def _frame(draw: ImageDraw.ImageDraw, rnd: random.Random, ink: RGB, accent: RGB) -> None:
    margin = rnd.randint(24, 48)
    draw.rectangle((margin, margin, SIZE - margin, SIZE - margin), outline=ink, width=4)
    x, y, radius = SIZE // 2, rnd.randint(150, 220), rnd.randint(30, 70)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=accent)
    draw.rectangle((margin + 40, 300, SIZE - margin - 40, 306), fill=ink)


MOTIFS: dict[str, Draw] = {
    "bebop": _blocks,
    "bossa": _sun,
    "citypop": _sun,
    "classical": _frame,
    "club": _grid,
    "neosoul": _rings,
    "israeli": _bands,
    "indie": _dots,
    "folk": _peaks,
    "kpop": _dots,
    "latin": _bands,
    "hiphop": _bars,
}


def draw_cover(style: int, key: str) -> bytes:
    """A JPEG picture (as image hosts serve covers) of the album ``key`` of style
    number ``style``: the same bytes for the same arguments."""
    rnd = random.Random(f"cover:{key}")
    hue = style / len(STYLES) + rnd.uniform(-0.03, 0.03)
    background = _colour(hue, rnd.uniform(0.35, 0.65), rnd.uniform(0.72, 0.86))
    ink = _colour(hue + rnd.choice((0.0, 0.5)), rnd.uniform(0.3, 0.6), rnd.uniform(0.16, 0.3))
    accent = _colour(hue + rnd.uniform(0.08, 0.16), rnd.uniform(0.6, 0.85), rnd.uniform(0.5, 0.62))
    image = Image.new("RGB", (SIZE, SIZE), background)
    MOTIFS.get(STYLES[style].id, _rings)(ImageDraw.Draw(image), rnd, ink, accent)
    out = io.BytesIO()
    image.resize((SERVED, SERVED), Image.Resampling.BOX).save(out, "JPEG", quality=90)
    return out.getvalue()


class DemoCovers:
    """The demo's stand-in for Spotify's image host: draws the cover of any album of the
    demo made with ``seed`` and ``tracks`` (as ``generate_demo``), none for other URLs."""

    sent = 0  # no request ever reaches a network

    def __init__(self, *, seed: int, tracks: int) -> None:
        catalogue = build_catalogue(seed, tracks)
        self._albums = {
            album.cover: (catalogue.artists[album.artist].style, album.id)
            for album in catalogue.albums
            if album.cover
        }

    def urls(self) -> list[str]:
        """Every cover URL of the demo's albums."""
        return list(self._albums)

    def fetch(self, url: str) -> bytes | None:
        """The picture of the album whose cover URL is ``url``, or None."""
        album = self._albums.get(url)
        return draw_cover(*album) if album else None
