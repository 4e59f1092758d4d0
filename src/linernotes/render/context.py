"""What every page renderer needs: the analysis, the plan, the config, and the
cells that many pages share (artists, labels, score, liked, links)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from linernotes.analysis.atlas import Analysis
from linernotes.analysis.library import Album, Library, Track
from linernotes.analysis.listening import RANK_FOOTNOTE, SCORE_FOOTNOTE
from linernotes.config import Config
from linernotes.render.covers import CoverArt
from linernotes.render.markdown import md_optional_link, md_text
from linernotes.render.plan import HOME, SitePlan

LIKED = "💚"
K = TypeVar("K")


@dataclass
class Context:
    """Shared state of one build."""

    analysis: Analysis
    plan: SitePlan
    config: Config
    covers: CoverArt = field(default_factory=CoverArt)

    @property
    def library(self) -> Library:
        return self.analysis.library

    # -- cells ------------------------------------------------------------------------

    def artists_cell(self, page: str, track: Track) -> str:
        """Every credited artist, linked to its overview when it has one."""
        return ", ".join(self.artist_link(page, a) for a in dict.fromkeys(track.artist_ids))

    def artist_link(self, page: str, artist_id: int) -> str:
        """The artist's name, linked to its overview when it has one."""
        target = self.plan.link(page, self.plan.artist_page(artist_id))
        return md_optional_link(self.library.artists[artist_id].name, target)

    def labels_cell(self, page: str, track: Track) -> str:
        """Every label of the track's release, linked when it has a page."""
        return ", ".join(self.label_link(page, lab) for lab in self.library.labels_of(track))

    def label_link(self, page: str, label: str) -> str:
        """The label's name, linked to its page when it has one."""
        return md_optional_link(label, self.plan.link(page, self.plan.label_page(label)))

    def genres_cell(self, page: str, genres: Iterable[str]) -> str:
        """Genres, linked when they have a page."""
        return ", ".join(
            md_optional_link(g, self.plan.link(page, self.plan.genre_page(g))) for g in genres
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
        return "" if value is None else str(value)

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
                return self.library.artists[key].name.casefold()
            return str(key).casefold()

        items = sorted(counter.items(), key=lambda kv: (-kv[1], name(kv[0]), str(kv[0])))
        return items[: n or self.config.atlas.top_n]

    def by_listening(self, track_ids: Iterable[int]) -> list[Track]:
        """Tracks sorted by minutes listened, then by name."""
        ms = self.analysis.listening.ms_by_track
        tracks = [self.library.tracks[t] for t in track_ids]
        return sorted(tracks, key=lambda t: (-ms.get(t.id, 0), t.name.casefold(), t.id))
