"""Screenshots of the main page types of a built atlas, at 1280 and 390 px wide,
light and dark, for a person to look at (``make screenshots``).

usage: python -m tests.browser.screenshots SITE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.chromium import browser, serve

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def page_types(site: Path) -> dict[str, str]:
    """One page of each type (site-relative HTML paths), chosen the same way each run."""
    clustered = sorted(p.parent.parent for p in site.glob("playlists/*/clusters/index.html"))
    playlist = max(clustered, key=lambda p: (p / "index.html").stat().st_size)
    genres = sorted(p.parent for p in site.glob("genres/*/clusters/index.html"))
    artists = sorted(site.glob("artists/*/overview.html"), key=lambda p: -p.stat().st_size)
    labels = sorted(site.glob("labels/*/index.html"), key=lambda p: -p.stat().st_size)
    chosen = {
        "home": site / "index.html",
        "playlists": site / "playlists/index.html",
        "playlist": playlist / "index.html",
        "clusters": playlist / "clusters/index.html",
        "genre": genres[0].parent / "index.html",
        "genre-clusters": genres[0] / "index.html",
        "artists": site / "artists/index.html",
        "artist": artists[0],
        "label": labels[0],
    }
    for name, path in (("listening", "listening/index.html"), ("liked", "liked/index.html")):
        if (site / path).is_file():
            chosen[name] = site / path
    return {name: path.relative_to(site).as_posix() for name, path in chosen.items()}


def take(site: Path, out: Path) -> list[Path]:
    """Write every screenshot into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    pages = page_types(site)
    with serve(site) as base, browser() as chromium:
        for scheme in SCHEMES:
            for device, (width, height) in WIDTHS.items():
                context = chromium.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,
                    device_scale_factor=1,
                )
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path)
                    target = out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                written += _interactions(page, base, pages, out / f"{device}-{scheme}")
                context.close()
    return written


def _interactions(page: object, base: str, pages: dict[str, str], prefix: Path) -> list[Path]:
    """The map with a dot hovered, and the search box with results open."""
    page.goto(base + pages["clusters"])  # type: ignore[attr-defined]
    # A dot on top of the others, with a Latin name (readable without CJK fonts).
    dot = page.locator("figure.cluster-map circle[data-t^='L']").last  # type: ignore[attr-defined]
    dot.scroll_into_view_if_needed()
    dot.hover(force=True)
    hover = prefix.with_name(prefix.name + "-map-hover.png")
    page.screenshot(path=str(hover))  # type: ignore[attr-defined]
    page.goto(base + pages["playlist"])  # type: ignore[attr-defined]
    page.fill("#search", "love")  # type: ignore[attr-defined]
    page.wait_for_selector("#search-results li")  # type: ignore[attr-defined]
    search = prefix.with_name(prefix.name + "-search.png")
    page.screenshot(path=str(search))  # type: ignore[attr-defined]
    return [hover, search]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shots = take(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {len(shots)} screenshots to {sys.argv[2]}/")
