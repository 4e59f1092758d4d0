"""The site plan: every page and image of the atlas and its path, decided before
anything is written, so that every link points at a page that exists."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from linernotes.analysis.atlas import Analysis
from linernotes.analysis.labels import label_key
from linernotes.analysis.stories import Stories
from linernotes.config import AtlasConfig
from linernotes.model import SlugRow
from linernotes.render.markdown import path_target
from linernotes.render.slugs import assign_slugs
from linernotes.text import name_key

HOME = "README.md"
PLAYLIST_INDEX = "playlists/README.md"
GENRE_INDEX = "genres/README.md"
ARTIST_INDEX = "artists/README.md"
LABEL_INDEX = "labels/README.md"
LISTENING_INDEX = "listening/README.md"
WHEN_PAGE = "listening/when.md"
HABITS_PAGE = "listening/habits.md"
PODCASTS_PAGE = "listening/podcasts.md"
LIKED_PAGE = "liked/README.md"
_GENRE_PAGE = "genres/{}/README.md"
_ARTIST_PAGE = "artists/{}/overview.md"
_LABEL_PAGE = "labels/{}/README.md"


def relative_link(from_page: str, to_page: str) -> str:
    """Return the link from one site path to another (both relative to the site root,
    POSIX, without ``.`` or ``..`` steps), percent-encoded.

    Pure string work on cached splits (``posixpath.relpath`` made absolute paths
    of both for every one of the atlas's links)."""
    folder = _folder_parts(from_page)
    target = _encoded_parts(to_page)
    common = 0
    for mine, theirs in zip(folder, target.raw, strict=False):
        if mine != theirs:
            break
        common += 1
    steps = [".."] * (len(folder) - common) + list(target.encoded[common:])
    return "/".join(steps) or "."


@lru_cache(maxsize=65_536)
def _folder_parts(page: str) -> tuple[str, ...]:
    folder = posixpath.dirname(page)
    return tuple(folder.split("/")) if folder else ()


class _Parts(NamedTuple):
    raw: tuple[str, ...]
    encoded: tuple[str, ...]


@lru_cache(maxsize=65_536)
def _encoded_parts(path: str) -> _Parts:
    raw = tuple(p for p in path.split("/") if p)
    return _Parts(raw, tuple(path_target(p) for p in raw))


@dataclass
class SitePlan:
    """Paths of every page and chart; ``None`` means the entity has no page."""

    playlist_slugs: dict[int, str] = field(default_factory=dict)
    playlist_clusters: set[int] = field(default_factory=set)
    genre_slugs: dict[str, str] = field(default_factory=dict)
    genre_clusters: set[str] = field(default_factory=set)
    artist_slugs: dict[int, str] = field(default_factory=dict)
    label_slugs: dict[str, str] = field(default_factory=dict)
    new_slugs: list[SlugRow] = field(default_factory=list)  # to remember once published
    # Listening stories (see plan_stories): none when the build has no stories.
    listening: bool = False
    listening_history: bool = False  # a history was imported: the when/habits pages exist
    top_periods: list[str] = field(default_factory=list)
    story_years: list[int] = field(default_factory=list)
    year_clusters: set[int] = field(default_factory=set)
    liked: bool = False
    liked_clusters: bool = False

    # -- pages -------------------------------------------------------------------------

    def playlist_page(self, playlist_id: int) -> str:
        return f"playlists/{self.playlist_slugs[playlist_id]}/README.md"

    def playlist_cluster_page(self, playlist_id: int) -> str | None:
        if playlist_id not in self.playlist_clusters:
            return None
        return f"playlists/{self.playlist_slugs[playlist_id]}/clusters/README.md"

    def genre_page(self, genre: str) -> str | None:
        slug = self.genre_slugs.get(genre)
        return _GENRE_PAGE.format(slug) if slug else None

    def genre_cluster_page(self, genre: str) -> str | None:
        if genre not in self.genre_clusters:
            return None
        return f"genres/{self.genre_slugs[genre]}/clusters/README.md"

    def artist_page(self, artist_id: int) -> str | None:
        slug = self.artist_slugs.get(artist_id)
        return _ARTIST_PAGE.format(slug) if slug else None

    def label_page(self, label: str) -> str | None:
        slug = self.label_slugs.get(label)
        return _LABEL_PAGE.format(slug) if slug else None

    def genre_pages(self) -> list[tuple[str, str]]:
        """``(genre, page)`` of every genre with a page."""
        return [(g, _GENRE_PAGE.format(slug)) for g, slug in self.genre_slugs.items()]

    @property
    def artist_pages(self) -> dict[int, str]:
        """``{artist id: page}`` of every artist with a page."""
        return {a: _ARTIST_PAGE.format(slug) for a, slug in self.artist_slugs.items()}

    def label_pages(self) -> list[tuple[str, str]]:
        """``(label, page)`` of every label with a page."""
        return [(lab, _LABEL_PAGE.format(slug)) for lab, slug in self.label_slugs.items()]

    def top_page(self, period: str) -> str | None:
        """The top lists of a period ("all", "last_4_weeks", "2024" …)."""
        if period not in self.top_periods:
            return None
        return f"listening/top/{'all_time' if period == 'all' else period}.md"

    def year_page(self, year: int) -> str | None:
        return f"listening/years/{year}/README.md" if year in self.story_years else None

    def year_cluster_page(self, year: int) -> str | None:
        return f"listening/years/{year}/clusters/README.md" if year in self.year_clusters else None

    def liked_page(self) -> str | None:
        return LIKED_PAGE if self.liked else None

    def liked_cluster_page(self) -> str | None:
        return "liked/clusters/README.md" if self.liked_clusters else None

    def story_pages(self) -> list[str]:
        """Every page of the listening stories and Liked Songs."""
        out = [LISTENING_INDEX, PODCASTS_PAGE] if self.listening else []
        out += [WHEN_PAGE, HABITS_PAGE] if self.listening_history else []
        out += [p for p in map(self.top_page, self.top_periods) if p]
        out += [p for p in map(self.year_page, self.story_years) if p]
        out += [p for p in map(self.year_cluster_page, self.story_years) if p]
        out += [p for p in (self.liked_page(), self.liked_cluster_page()) if p]
        return out

    # -- images ------------------------------------------------------------------------

    def listening_chart(self, name: str) -> str:
        """A chart of the listening section (``weeks``, ``heatmap``, ``clock`` …)."""
        return f"images/listening/{name}.svg"

    def year_chart_svg(self, year: int) -> str:
        return f"images/listening/years/{year}/months.svg"

    def year_scatter(self, year: int) -> str:
        return self.scatter_image("listening/years", str(year))

    def liked_scatter(self) -> str:
        return "images/liked/clusters/clusters_scatter.png"

    def liked_year_chart(self) -> str:
        return "images/liked/release_years.png"

    def scatter_image(self, kind: str, slug: str) -> str:
        return f"images/{kind}/{slug}/clusters/clusters_scatter.png"

    def year_chart(self, playlist_id: int) -> str:
        return f"images/playlists/{self.playlist_slugs[playlist_id]}/release_years.png"

    def artist_chart(self, artist_id: int) -> str:
        return f"images/artists/{self.artist_slugs[artist_id]}/listening.svg"

    # -- links -------------------------------------------------------------------------

    def link(self, from_page: str, to_page: str | None) -> str | None:
        """Relative link target, or None when ``to_page`` is None."""
        return None if to_page is None else relative_link(from_page, to_page)

    def pages(self) -> list[str]:
        """Every Markdown page of the site, sorted."""
        out = [HOME, PLAYLIST_INDEX, GENRE_INDEX, ARTIST_INDEX, LABEL_INDEX]
        out += [self.playlist_page(p) for p in self.playlist_slugs]
        out += [p for p in map(self.playlist_cluster_page, self.playlist_slugs) if p]
        out += [p for p in map(self.genre_page, self.genre_slugs) if p]
        out += [p for p in map(self.genre_cluster_page, self.genre_slugs) if p]
        out += [p for p in map(self.artist_page, self.artist_slugs) if p]
        out += [p for p in map(self.label_page, self.label_slugs) if p]
        out += self.story_pages()
        return sorted(out)


def artist_key(analysis: Analysis, artist_id: int) -> str:
    """The stable identity of an artist for its slug."""
    artist = analysis.library.artists[artist_id]
    return artist.spotify_id or "name:" + name_key(artist.name)


def plan_site(
    analysis: Analysis, atlas: AtlasConfig, known_slugs: Mapping[str, Mapping[str, str]]
) -> SitePlan:
    """Decide which entities get pages and give them slugs: those in ``known_slugs``
    (``{kind: {entity key: slug}}``, from earlier builds) are kept, new ones are
    listed in ``plan.new_slugs`` for the store to remember after publishing."""
    library = analysis.library
    plan = SitePlan()

    def assign(kind: str, entities: list[tuple[str, str]]) -> dict[str, str]:
        slugs, new = assign_slugs(kind, entities, known_slugs.get(kind, {}))
        plan.new_slugs += new
        return slugs

    playlists = {p.key: p for p in library.playlists}
    slugs = assign("playlists", [(k, p.name) for k, p in playlists.items()])
    plan.playlist_slugs = {p.id: slugs[k] for k, p in playlists.items()}
    plan.playlist_clusters = set(analysis.playlist_clusters)
    genres = [
        g for g, ids in analysis.tracks_by_genre.items() if len(ids) >= atlas.genre_page_min_tracks
    ]
    slugs = assign("genres", [(g, g) for g in genres])
    plan.genre_slugs = {g: slugs[g] for g in genres}
    plan.genre_clusters = {g for g in analysis.genre_clusters if g in plan.genre_slugs}
    artists = [
        a
        for a, ids in analysis.tracks_by_artist.items()
        if len(ids) >= atlas.artist_page_min_tracks or library.artists[a].followed
    ]
    keys = {a: artist_key(analysis, a) for a in artists}
    slugs = assign("artists", [(keys[a], library.artists[a].name) for a in artists])
    plan.artist_slugs = {a: slugs[keys[a]] for a in artists}
    labels = [
        lab
        for lab, ids in analysis.tracks_by_label.items()
        if len(ids) >= atlas.label_page_min_tracks
    ]
    slugs = assign("labels", [("label:" + label_key(lab), lab) for lab in labels])
    plan.label_slugs = {lab: slugs["label:" + label_key(lab)] for lab in labels}
    return plan


def plan_stories(plan: SitePlan, stories: Stories | None) -> None:
    """Add the pages of the listening stories and Liked Songs to ``plan``."""
    if stories is None:
        return
    plan.listening = True
    plan.listening_history = stories.has_history
    plan.top_periods = [p.key for p in stories.periods]
    plan.story_years = [y.year for y in stories.years]
    plan.year_clusters = {y.year for y in stories.years if y.clusters is not None}
    plan.liked = stories.liked is not None
    plan.liked_clusters = stories.liked is not None and stories.liked.clusters is not None
