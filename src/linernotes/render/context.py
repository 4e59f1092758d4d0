"""What every page renderer needs: the analysis, the plan, the config, the
opening of every page (front matter, title, breadcrumbs) and the cells that
many pages share (artists, labels, score, liked, links)."""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from linernotes.analysis.atlas import Analysis
from linernotes.analysis.library import Album, Library, Track
from linernotes.analysis.listening import RANK_FOOTNOTE, SCORE_FOOTNOTE
from linernotes.analysis.stories import Stories
from linernotes.config import Config
from linernotes.render.covers import CoverArt
from linernotes.render.markdown import fmt_int, md_link, md_optional_link, md_text
from linernotes.render.plan import (
    ARTIST_INDEX,
    GENRE_INDEX,
    HOME,
    LABEL_INDEX,
    LISTENING_INDEX,
    PLAYLIST_INDEX,
    SitePlan,
    relative_link,
)
from linernotes.text import sort_key

LIKED = "💚"
K = TypeVar("K")
CRUMB_SEPARATOR = " › "
# The name of each section's index page in breadcrumbs (a new section adds its index here).
SECTIONS = {
    HOME: "Home",
    PLAYLIST_INDEX: "Playlists",
    GENRE_INDEX: "Genres",
    ARTIST_INDEX: "Artists",
    LABEL_INDEX: "Labels",
    LISTENING_INDEX: "Your listening",
}
# Characters a name may hold that would read as a link, markup or HTML to a
# Markdown renderer that does not know front matter: written as YAML escapes.
_YAML_ESCAPES = str.maketrans({c: f"\\u{ord(c):04X}" for c in "[]<>&`"})


@dataclass
class Context:
    """Shared state of one build."""

    analysis: Analysis
    plan: SitePlan
    config: Config
    covers: CoverArt = field(default_factory=CoverArt)
    stories: Stories | None = None  # listening stories (None: a build without them)

    @property
    def library(self) -> Library:
        return self.analysis.library

    # -- the opening of a page -----------------------------------------------------------

    def head(
        self, page: str, title: str, *, name: str | None = None, front_matter: bool = True
    ) -> list[str]:
        """The first lines of ``page``: front matter (its title, and the real
        ``name`` as an alias, so Obsidian's switcher and graph show it rather than
        "README"), the ``# title`` and the breadcrumbs. The cluster page format
        opens with its title, so it passes ``front_matter=False``."""
        lines = _front_matter(title, name or title) if front_matter else []
        lines += [f"# {md_text(title)}", ""]
        crumbs = self.breadcrumbs(page, name)
        return [*lines, crumbs, ""] if crumbs else lines

    def breadcrumbs(self, page: str, name: str | None = None) -> str:
        """The way from the home page to ``page``, as one Markdown line:
        ``[Home](…) › [Playlists](…) › [Kitchen Dancing](…) › Clusters`` (every
        step but the page itself a link); '' on the home page.

        The steps are the pages above ``page`` (the README of each folder above
        it, when that is a page); each is named by its entity or by ``SECTIONS``.
        ``name`` names ``page`` itself when the plan does not know it.
        """
        if page == HOME:
            return ""
        names = self._crumb_names
        steps = [p for p in _pages_above(page) if p in names]
        links = [md_link(names[p], relative_link(page, p)) for p in steps]
        last = name if name is not None else names.get(page, posixpath.basename(page))
        return CRUMB_SEPARATOR.join([*links, md_text(last)])

    @cached_property
    def _crumb_names(self) -> dict[str, str]:
        """The short name of every planned page (entity names; "Clusters")."""
        plan, names = self.plan, dict(SECTIONS)
        for playlist in self.library.playlists:
            names[plan.playlist_page(playlist.id)] = playlist.name
            clusters = plan.playlist_cluster_page(playlist.id)
            if clusters:
                names[clusters] = "Clusters"
        for genre, page in plan.genre_pages():
            names[page] = genre
            clusters = plan.genre_cluster_page(genre)
            if clusters:
                names[clusters] = "Clusters"
        for artist, page in plan.artist_pages.items():
            names[page] = self.library.artists[artist].name
        for label, page in plan.label_pages():
            names[page] = label
        for year in plan.story_years:
            names |= {p: str(year) for p in [plan.year_page(year)] if p}
            names |= {p: "Clusters" for p in [plan.year_cluster_page(year)] if p}
        names |= {p: "Liked Songs" for p in [plan.liked_page()] if p}
        names |= {p: "Clusters" for p in [plan.liked_cluster_page()] if p}
        return names

    def link(self, page: str, target: str | None) -> str | None:
        """The link from ``page`` to ``target``; None when there is no target or it
        is ``page`` itself (a page never links to itself)."""
        return None if target is None or target == page else self.plan.link(page, target)

    # -- cells ------------------------------------------------------------------------

    def artists_cell(self, page: str, track: Track) -> str:
        """Every credited artist, linked to its overview when it has one."""
        return ", ".join(self.artist_link(page, a) for a in dict.fromkeys(track.artist_ids))

    def artist_link(self, page: str, artist_id: int) -> str:
        """The artist's name, linked to its overview when it has one."""
        target = self.link(page, self.plan.artist_page(artist_id))
        return md_optional_link(self.library.artists[artist_id].name, target)

    def labels_cell(self, page: str, track: Track) -> str:
        """Every label of the track's release, linked when it has a page."""
        return ", ".join(self.label_link(page, lab) for lab in self.library.labels_of(track))

    def label_link(self, page: str, label: str) -> str:
        """The label's name, linked to its page when it has one."""
        return md_optional_link(label, self.link(page, self.plan.label_page(label)))

    def genres_cell(self, page: str, genres: Iterable[str]) -> str:
        """Genres, linked when they have a page."""
        return ", ".join(
            md_optional_link(g, self.link(page, self.plan.genre_page(g))) for g in genres
        )

    def album_cell(self, track: Track) -> str:
        album = self.library.albums.get(track.album_id) if track.album_id else None
        return md_text(album.name) if album else ""

    def cover(self, page: str, track: Track) -> str:
        """The Art cell: the cover of the track's album, else a tile with its initials."""
        album = self.library.albums.get(track.album_id) if track.album_id else None
        if album is None:
            return self.covers.tag(page, None, track.name)
        return self.album_cover(page, album)

    def album_cover(self, page: str, album: Album, width: int = 50) -> str:
        """The album's cover, else a tile with its initials."""
        return self.covers.tag(page, album.image_url, album.name, width)

    def artist_cover(self, page: str, name: str, tracks: Iterable[Track]) -> str:
        """The cover of the first album of ``tracks`` that has one (160 px), else a tile
        with the artist's initials."""
        albums = (self.library.albums[t.album_id] for t in tracks if t.album_id)
        for album in albums:
            if self.covers.shows(album.image_url, 160):
                return self.album_cover(page, album, 160)
        return self.covers.tag(page, None, name, 160)

    def spotify_cell(self, track: Track) -> str:
        if not track.spotify_id:
            return ""
        return f"[🔗](https://open.spotify.com/track/{track.spotify_id})"

    def liked_cell(self, track: Track) -> str:
        return LIKED if track.liked else ""

    # -- score / rank column ---------------------------------------------------------

    @property
    def score_header(self) -> str | None:
        """'Score', 'Rank' or None (no column), from the config."""
        return {"score": "Score", "rank": "Rank", "none": None}[self.config.atlas.score_column]

    def score_cell(self, track: Track) -> str:
        listening = self.analysis.listening
        value = (
            listening.rank(track.id) if self.score_header == "Rank" else listening.score(track.id)
        )
        return "" if value is None else fmt_int(value)

    @property
    def score_footnote(self) -> str:
        header = self.score_header
        if header is None:
            return ""
        return RANK_FOOTNOTE if header == "Rank" else SCORE_FOOTNOTE

    def footer(self, page: str, index: str, title: str) -> list[str]:
        """The closing lines of a page: the score footnote and the way back."""
        lines = ["", "---", ""]
        if self.score_footnote:
            lines += [self.score_footnote, ""]
        lines.append(
            f"[{title}]({self.plan.link(page, index)}) · [Home]({self.plan.link(page, HOME)})"
        )
        return lines

    # -- aggregates -------------------------------------------------------------------

    def minutes(self, track_ids: Iterable[int]) -> int:
        ms = self.analysis.listening.ms_by_track
        return sum(ms.get(t, 0) for t in track_ids) // 60_000

    def top(self, counter: Counter[K], n: int | None = None) -> list[tuple[K, int]]:
        """Most common first; ties in name order (artists by their name), so pages
        are stable and read naturally."""

        def name(key: K) -> str:
            if isinstance(key, int) and key in self.library.artists:
                return sort_key(self.library.artists[key].name)[0]
            return sort_key(str(key))[0]

        items = sorted(counter.items(), key=lambda kv: (-kv[1], name(kv[0]), str(kv[0])))
        return items[: n or self.config.atlas.top_n]

    def by_listening(self, track_ids: Iterable[int]) -> list[Track]:
        """Tracks sorted by minutes listened, then by name."""
        ms = self.analysis.listening.ms_by_track
        tracks = [self.library.tracks[t] for t in track_ids]
        return sorted(tracks, key=lambda t: (-ms.get(t.id, 0), sort_key(t.name), t.id))


def _pages_above(page: str) -> list[str]:
    """``playlists/x/clusters/README.md`` → ``README.md``, ``playlists/README.md``,
    ``playlists/x/README.md``: the README of every folder above the page, home first."""
    folder = posixpath.dirname(page)
    if posixpath.basename(page) == "README.md":
        folder = posixpath.dirname(folder)
    above = []
    while True:
        above.append(posixpath.join(folder, "README.md") if folder else HOME)
        if not folder:
            break
        folder = posixpath.dirname(folder)
    return above[::-1]


def _front_matter(title: str, name: str) -> list[str]:
    """YAML front matter with the page's title and its real name as an alias."""
    return [
        "---",
        f"title: {_yaml_string(title)}",
        "aliases:",
        f"  - {_yaml_string(name)}",
        "---",
        "",
    ]


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's syntax is valid YAML) that no Markdown
    renderer reads as markup."""
    return json.dumps(value, ensure_ascii=False).translate(_YAML_ESCAPES)
