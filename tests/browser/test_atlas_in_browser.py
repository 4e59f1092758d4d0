"""The demo atlas in a real headless Chromium, opened from disk (file://) and
from a loopback server: no console error, search, sortable tables, the cluster
map, a phone-wide layout, dark-mode contrast and breadcrumbs on every page."""

from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.conftest import Tab

# The demo atlas is built once for the session (shared with tests/test_atlas.py).
pytestmark = pytest.mark.slow
OpenTab = Callable[..., Tab]


def _fold(text: str) -> str:
    """Case and accents away: the order a reader expects of names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def test_no_console_error_on_any_page_type(
    open_tab: OpenTab, base: str, page_paths: dict[str, str]
) -> None:
    tab = open_tab()
    for name, path in page_paths.items():
        tab.page.goto(base + path)
        tab.page.wait_for_load_state("load")
        assert tab.page.locator("main h1").count() == 1, name
    tab.page.focus("#search")  # loads the search library and the index
    tab.page.wait_for_function("window.MiniSearch && window.LINERNOTES_SEARCH")
    assert tab.errors == []


def _known_names(demo: dict[str, Any]) -> dict[str, str]:
    """One track (named once in the whole export), its artist, album, label and
    genre, and a playlist, read from the export files themselves."""
    rows = []
    for path in sorted(demo["layout"].exportify_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["Track Name"]] = counts.get(row["Track Name"], 0) + 1
    row = next(
        r
        for r in rows
        if counts[r["Track Name"]] == 1
        and r["Track Name"].isascii()
        and "," not in r["Artist Name(s)"]
        and r["Label"]
        and r["Artist Genres"]
        and len(r["Track Name"]) > 8
    )
    playlists = json.loads((demo["layout"].account_dir / "Playlist1.json").read_text("utf-8"))
    playlist = next(p["name"] for p in playlists["playlists"] if p["name"].isascii())
    return {
        "Track": row["Track Name"],
        "Artist": row["Artist Name(s)"],
        "Album": row["Album Name"],
        "Label": row["Label"],
        "Genre": row["Artist Genres"].split(",")[0],
        "Playlist": playlist,
    }


def _results(tab: Tab, query: str) -> list[dict[str, str]]:
    tab.page.fill("#search", query)
    tab.page.wait_for_function(
        "q => document.getElementById('search-results').dataset.query === q", arg=query.strip()
    )
    return tab.page.eval_on_selector_all(
        "#search-results a",
        """links => links.map(a => ({
            kind: a.querySelector('.kind').textContent,
            name: a.querySelector('.name').textContent,
            href: a.href}))""",
    )


def _page_text(site: Path, href: str) -> str:
    """The text of the atlas page a result links to (read from disk)."""
    path = unquote(urlsplit(href).path)
    local = Path(path) if href.startswith("file:") else site / path.lstrip("/")
    return html.unescape(re.sub(r"<[^>]+>", " ", local.read_text("utf-8")))


def test_search_finds_every_kind_and_links_to_a_page_that_shows_it(
    open_tab: OpenTab, base: str, demo_build: dict[str, Any], site: Path
) -> None:
    tab = open_tab()
    tab.page.goto(base + "artists/index.html")
    for kind, name in _known_names(demo_build).items():
        hits = _results(tab, name)
        match = next((h for h in hits if h["kind"] == kind and h["name"] == name), None)
        assert match, f"{kind} {name!r} not among {hits}"
        assert name in _page_text(site, match["href"])
        # As typed in a hurry: lower case, no accents.
        assert any(h["name"] == name for h in _results(tab, _fold(name))), name
    assert tab.errors == []


def test_clicking_a_header_sorts_numbers_as_numbers_and_names_as_a_reader_would(
    open_tab: OpenTab, base: str
) -> None:
    tab = open_tab()
    tab.page.goto(base + "artists/index.html")
    table = tab.page.locator("table").filter(has_text="Minutes").first
    column = _column_index(table, "Minutes")
    table.locator("th button", has_text="Minutes").click()
    values = [_number(v) for v in _column(table, column)]
    assert values == sorted(values, reverse=True) and len(values) > 3
    assert any(v >= 1000 for v in values) and any(v < 1000 for v in values)
    table.locator("th button", has_text="Minutes").click()
    assert [_number(v) for v in _column(table, column)] == sorted(values)

    tab.page.goto(base + "playlists/index.html")
    table = tab.page.locator("table").first
    before = _column(table, 0)
    table.locator("th button", has_text="Playlist").click()
    table.locator("th button", has_text="Playlist").click()  # Z to A
    table.locator("th button", has_text="Playlist").click()  # A to Z again
    names = _column(table, 0)
    assert sorted(names) == sorted(before)
    assert _in_reading_order(names)
    # Upper and lower case side by side ("CHILL", "Chill"), never split by case.
    chill = [i for i, n in enumerate(names) if _fold(n) == "chill"]
    assert len(chill) == 2 and chill[1] == chill[0] + 1
    assert table.locator("th").first.get_attribute("aria-sort") == "ascending"
    assert tab.errors == []


def test_accented_names_sort_among_their_letter(open_tab: OpenTab, base: str) -> None:
    tab = open_tab()
    tab.page.goto(base + "artists/index.html")
    table = tab.page.locator("table").first
    table.locator("th button", has_text="Tracks").click()
    table.locator("th button", has_text="Artist").click()
    names = _column(table, 0)
    assert any(n != n.encode("ascii", "ignore").decode() for n in names)  # some accents
    assert _in_reading_order(names)


def _in_reading_order(names: list[str]) -> bool:
    """Names of Latin letters (accents and case aside), digits and spaces are in
    A-to-Z order: "Über" among the u's, "CHILL" beside "Chill". (Where symbols,
    emoji, "ø" or other scripts go is the browser's locale's choice.)"""
    folded = [_fold(n) for n in names]
    words = [f for f in folded if f.isascii() and f.replace(" ", "").isalnum()]
    return len(words) > 3 and words == sorted(words)


def _column_index(table: Any, header: str) -> int:
    headers = table.locator("thead th").all_inner_texts()
    return next(i for i, h in enumerate(headers) if h.strip().startswith(header))


def _column(table: Any, index: int) -> list[str]:
    return [
        t.strip()
        for t in table.locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()
        if t.strip()
    ]


def test_hovering_a_dot_names_its_track_and_clicking_it_goes_to_its_row(
    open_tab: OpenTab, base: str, page_paths: dict[str, str]
) -> None:
    tab = open_tab()
    tab.page.goto(base + page_paths["clusters"])
    dots = tab.page.locator("figure.cluster-map circle")
    assert dots.count() > 20
    listed = " ".join(tab.page.locator("details li").all_text_contents())
    tab.page.locator("figure.cluster-map").scroll_into_view_if_needed()
    # Dots no other dot covers, so the pointer lands on the dot it aims at.
    visible = tab.page.evaluate(
        """() => [...document.querySelectorAll('figure.cluster-map circle')].flatMap((c, i) => {
            const b = c.getBoundingClientRect();
            const top = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
            return top === c ? [i] : [];
        })"""
    )
    assert len(visible) > 10
    for index in (visible[0], visible[len(visible) // 2], visible[-1]):
        dot = dots.nth(index)
        dot.hover(force=True)
        tip = tab.page.locator(".map-tip")
        tip.wait_for(state="visible")
        name = dot.get_attribute("data-t")
        assert name and tip.locator("strong").inner_text() == name
        assert name in listed
    dot = dots.nth(visible[len(visible) // 3])
    name = dot.get_attribute("data-t")
    dot.click(force=True)
    target = dot.get_attribute("data-h")
    assert tab.page.evaluate("location.hash") == f"#{target}"
    row = tab.page.locator(f"[id='{target}']")
    assert row.is_visible() and name in row.inner_text()
    assert tab.errors == []


def test_at_phone_width_only_table_boxes_scroll(
    open_tab: OpenTab, base: str, page_paths: dict[str, str]
) -> None:
    tab = open_tab(width=390, height=844)
    for name, path in page_paths.items():
        tab.page.goto(base + path)
        wide = tab.page.evaluate(
            """() => {
                const limit = document.documentElement.clientWidth + 1;
                const out = [];
                for (const el of document.querySelectorAll('body *')) {
                    if (el.closest('.table-scroll') && !el.matches('.table-scroll')) continue;
                    if (el.closest('[hidden]')) continue;
                    const box = el.getBoundingClientRect();
                    if (box.width && (box.right > limit || box.left < -1))
                        out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
                }
                if (document.documentElement.scrollWidth > limit) out.push('page scrolls sideways');
                return out;
            }"""
        )
        assert wide == [], name
        scroll = tab.page.locator(".table-scroll").first
        if scroll.count():
            assert scroll.evaluate("el => getComputedStyle(el).overflowX") == "auto"


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def test_chart_text_reads_in_dark_mode(
    open_tab: OpenTab, base: str, page_paths: dict[str, str]
) -> None:
    tab = open_tab(scheme="dark")
    checked = 0
    for name in ("clusters", "playlist", "artist"):
        tab.page.goto(base + page_paths[name])
        pairs = tab.page.evaluate(
            """() => [...document.querySelectorAll('svg.chart text')].map(t => {
                let el = t.closest('svg'), bg = 'rgba(0, 0, 0, 0)';
                while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                    bg = getComputedStyle(el).backgroundColor; el = el.parentElement;
                }
                return [getComputedStyle(t).fill, bg];
            })"""
        )
        assert pairs, f"no chart text on the {name} page"
        for fill, background in pairs:
            dark, light = sorted((_luminance(_rgb(fill)), _luminance(_rgb(background))))
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (name, fill, background)
            checked += 1
    assert checked > 10


def test_every_page_has_breadcrumbs_that_lead_home(
    open_tab: OpenTab, base: str, page_paths: dict[str, str]
) -> None:
    tab = open_tab()
    home = base + "index.html"
    for name, path in page_paths.items():
        tab.page.goto(base + path)
        crumbs = tab.page.locator("nav.crumbs")
        assert crumbs.count() == 1, name
        assert crumbs.locator("[aria-current=page]").count() == 1, name
        if name == "home":
            assert crumbs.inner_text().strip() == "Home"
            assert tab.page.locator("header a.brand").count() == 0  # no link to itself
            continue
        first = crumbs.locator("a").first
        assert first.inner_text() == "Home", name
        first.click()
        tab.page.wait_for_url(home)
        assert tab.page.locator("h1").inner_text() == "Your music atlas"
