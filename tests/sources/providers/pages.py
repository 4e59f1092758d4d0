"""Reading a built atlas back: table rows of cluster, genre and playlist pages.

Written for the tests, independently of the renderer: a Markdown table row is
split on its unescaped pipes, links become their text, escapes are undone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_PIPE = re.compile(r"(?<!\\)\|")
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\(.)")
_IMG = re.compile(r'<img src="([^"]*)"')


def plain(cell: str) -> str:
    """A cell's text: links as their text, escapes undone, entities decoded."""
    return html.unescape(_ESCAPE.sub(r"\1", _LINK.sub(r"\1", cell))).strip()


@dataclass(frozen=True)
class Row:
    """One row of a table, by column name (cells as written)."""

    page: Path
    cells: dict[str, str]

    def text(self, column: str) -> str:
        return plain(self.cells.get(column, ""))

    @property
    def images(self) -> list[str]:
        """The ``src`` of every image of the row."""
        return [m.group(1) for cell in self.cells.values() for m in _IMG.finditer(cell)]


def tables(page: Path) -> Iterator[list[Row]]:
    """The tables of a Markdown page, each as its rows."""
    header: list[str] | None = None
    rows: list[Row] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if not line.startswith("|"):
            if header is not None:
                yield rows
            header, rows = None, []
            continue
        cells = [c.strip() for c in _PIPE.split(line.strip())[1:-1]]
        if header is None:
            if following.startswith("|:") or following.startswith("|-"):
                header = [plain(c) for c in cells]
            continue
        if set("".join(cells)) <= set(":-"):
            continue
        rows.append(Row(page, dict(zip(header, cells, strict=False))))
    if header is not None:
        yield rows


def rows_with(pages: list[Path], column: str) -> list[Row]:
    """Every row of every table of ``pages`` that has ``column``."""
    return [row for page in pages for rows in tables(page) for row in rows if column in row.cells]


def cluster_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*/*/clusters/README.md"))


def genre_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("genres/*/README.md"))


def playlist_summaries(site: Path) -> dict[str, dict[str, str]]:
    """Each playlist page's name and its ``- **Key:** value`` lines."""
    out = {}
    for page in sorted(site.glob("playlists/*/README.md")):
        text = page.read_text(encoding="utf-8")
        name = plain(text.splitlines()[0].removeprefix("# "))
        out[f"{name}\x1f{page.parent.name}"] = dict(
            re.findall(r"^- \*\*([^*]+):\*\* (.*)$", text, flags=re.M)
        )
    return out
