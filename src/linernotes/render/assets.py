"""The files every HTML page shares, written under ``assets/``: the style
sheet, the script, the favicon, the vendored search library with its licence,
and the search index of this atlas."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from linernotes.render.context import Context
from linernotes.render.search_index import search_index_js

# File in the package's static folder → name under assets/.
STATIC_FILES = {
    "linernotes.css": "linernotes.css",
    "linernotes.js": "linernotes.js",
    "favicon.svg": "favicon.svg",
    "vendor/minisearch.min.js": "minisearch.js",
    "vendor/minisearch.LICENSE.txt": "minisearch.LICENSE.txt",
}
SEARCH_INDEX = "search-index.js"


def write_assets(folder: Path, ctx: Context) -> int:
    """Write the shared files and the search index into ``folder``; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    static = files("linernotes.render") / "static"
    for source, name in STATIC_FILES.items():
        (folder / name).write_bytes(static.joinpath(source).read_bytes())
    (folder / SEARCH_INDEX).write_text(search_index_js(ctx), encoding="utf-8", newline="\n")
    return len(STATIC_FILES) + 1
