"""Cover cells: an album's own art, or a generated tile — never a broken image.

With ``[atlas] covers = "local"`` (the default) a cover is the file ``enrich``
put in the cover cache beside the store, copied into the atlas as
``images/covers/<key>-<size>.jpg`` (one file per album and size, shared by every
page that shows it), so the atlas shows covers with no network, on GitHub and in
Obsidian. With ``"remote"`` the cell links the cover's URL as the source gave it.
An album without a usable cover gets a tile: its initials on a colour drawn
from its name, a few hundred bytes of SVG (``images/covers/tile-<hash>.svg``).
Every cell is an ``<img>`` whose ``src`` is a file inside the atlas or, in
remote mode, the cover's http(s) URL.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from html import escape
from pathlib import Path

from linernotes.artwork import LARGE, SMALL, CoverCache, cover_file_name
from linernotes.config import CoversMode
from linernotes.render.markdown import safe_url
from linernotes.render.plan import relative_link

FOLDER = "images/covers"
# Tile colours: white initials read on each with a contrast of at least 4.5.
PALETTE = (
    "#3b5b92", "#2f6f6a", "#7a4b8c", "#8c4a3a", "#4a6b2f", "#6b4f2a",
    "#2f5d7a", "#8a3d62", "#55608f", "#3f6e4e", "#7a5a1f", "#5a4a7a",
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_TILE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}"'
    ' viewBox="0 0 100 100"><rect width="100" height="100" fill="{colour}"/>'
    '<circle cx="50" cy="50" r="40" fill="none" stroke="#fff" stroke-opacity=".2"/>'
    '<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff"'
    ' font-family="-apple-system,Segoe UI,Helvetica,Arial,sans-serif" font-size="{font}"'
    ' font-weight="600">{text}</text></svg>\n'
)


def initials(name: str) -> str:
    """Up to two capitals standing for ``name``: the first letter of its first two
    words ("Kind of Blue" → "KO"), of its only word ("Nova" → "N"), or a note."""
    words = _WORD.findall(name)
    return "".join(word[0] for word in words[:2]).upper() or "♪"


def tile_svg(name: str, size: int = SMALL) -> str:
    """The placeholder tile of ``name`` (``size`` pixels square at 1×)."""
    text = initials(name)
    digest = hashlib.sha256(name.casefold().encode()).digest()
    return _TILE.format(
        size=size,
        colour=PALETTE[digest[0] % len(PALETTE)],
        font=44 if len(text) == 1 else 36,
        text=escape(text),
    )


class CoverArt:
    """The cover cells of one build, and the image files they need.

    ``tag`` returns a cell and remembers its file; ``write`` then copies every
    cover used from the cache and writes every tile, once each.
    """

    def __init__(self, mode: CoversMode = "local", cache: CoverCache | None = None) -> None:
        self.mode = mode
        self.cache = cache
        self._covers: dict[str, Path] = {}  # atlas path → file in the cache
        self._tiles: dict[str, str] = {}  # atlas path → SVG text
        self._known: dict[Path, bool] = {}

    def shows(self, url: str | None, width: int = 50) -> bool:
        """True when the cover of ``url`` can be shown (else a tile stands in)."""
        return self._locate(url, width) is not None

    def tag(self, page: str, url: str | None, name: str, width: int = 50) -> str:
        """The ``<img>`` of a cover (or of the tile for ``name``), ``width`` pixels wide,
        for the page at ``page``."""
        found = self._locate(url, width)
        if found is None:
            source = relative_link(page, self._tile(name))
        elif found[1] is None:  # remote: the URL as given
            source = found[0]
        else:
            self._covers[found[0]] = found[1]
            source = relative_link(page, found[0])
        return f'<img src="{source}" alt="" width="{width}" />'

    def write(self, path_for: Callable[[str], Path]) -> int:
        """Write every image the cells use (``path_for`` turns an atlas path into where
        to write it); return how many files were written."""
        for target, cached in sorted(self._covers.items()):
            shutil.copyfile(cached, path_for(target))
        for target, svg in sorted(self._tiles.items()):
            path_for(target).write_text(svg, encoding="utf-8", newline="\n")
        return len(self._covers) + len(self._tiles)

    def _locate(self, url: str | None, width: int) -> tuple[str, Path | None] | None:
        """``(atlas path, cached file)`` of a local cover, ``(URL, None)`` of a remote
        one, or None when the cover cannot show."""
        if self.mode == "remote":
            safe = safe_url(url)
            return (safe, None) if safe else None
        if not url or self.cache is None:
            return None
        size = SMALL if width <= SMALL // 2 else LARGE
        cached = self.cache.file(url, size)
        if cached not in self._known:
            self._known[cached] = cached.is_file()
        if not self._known[cached]:
            return None
        return f"{FOLDER}/{cover_file_name(url, size)}", cached

    def _tile(self, name: str) -> str:
        svg = tile_svg(name)
        target = f"{FOLDER}/tile-{hashlib.sha256(svg.encode()).hexdigest()[:12]}.svg"
        self._tiles[target] = svg
        return target
