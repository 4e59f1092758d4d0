"""The search index of the HTML atlas: every playlist, genre, artist, label,
album and track, each with the page that shows it, written as a script that
assigns one global (a page opened from ``file://`` may load a script, never
fetch a JSON file).

Layout, kept compact for large libraries: ``{"pages": [path, …], "items":
[[kind, name, detail, page number], …]}`` with kind one of ``p g a l b t``
(playlist, genre, artist, label, album, track) and paths relative to the root.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from linernotes.analysis.library import Track
from linernotes.render.context import Context
from linernotes.render.html import html_name
from linernotes.render.markdown import fmt_count

GLOBAL = "LINERNOTES_SEARCH"
Item = tuple[str, str, str, str]  # kind, name, detail, Markdown page


def search_index_js(ctx: Context) -> str:
    """The index as ``window.LINERNOTES_SEARCH = {…};``."""
    pages: dict[str, int] = {}
    items = []
    for kind, name, detail, page in iter_search_items(ctx):
        number = pages.setdefault(html_name(page), len(pages))
        items.append([kind, name, detail, number])
    data = json.dumps(
        {"pages": list(pages), "items": items}, ensure_ascii=False, separators=(",", ":")
    )
    # "</" never appears raw, so the text stays a plain script wherever it is put.
    data = data.replace("</", "<\\/")
    return f"window.{GLOBAL}={data};\n"


def iter_search_items(ctx: Context) -> Iterator[Item]:
    """Every entity a reader may look for, with the page that shows its name."""
    plan, library, analysis = ctx.plan, ctx.library, ctx.analysis
    where = _TrackPages(ctx)
    for playlist in library.playlists:
        size = fmt_count(len(playlist.track_ids), "track")
        yield "p", playlist.name, size, plan.playlist_page(playlist.id)
    for genre, genre_page in plan.genre_pages():
        yield "g", genre, fmt_count(len(analysis.tracks_by_genre[genre]), "track"), genre_page
    for artist_id, tracks in analysis.tracks_by_artist.items():
        page = plan.artist_page(artist_id) or where.first(tracks)
        if page:
            detail = fmt_count(len(tracks), "track")
            yield "a", library.artists[artist_id].name, detail, page
    for label, tracks in analysis.tracks_by_label.items():
        page = plan.label_page(label) or where.first(tracks)
        if page:
            yield "l", label, fmt_count(len(tracks), "track"), page
    by_album: dict[int, list[int]] = {}
    for track in library.tracks.values():
        if track.album_id:
            by_album.setdefault(track.album_id, []).append(track.id)
    for album_id, tracks in by_album.items():
        album, page = library.albums[album_id], where.first(tracks)
        if page:
            yield "b", album.name, _album_detail(ctx, album_id), page
    for track in library.tracks.values():
        page = where.of(track)
        if page:
            yield "t", track.name, _artists(ctx, track.artist_ids), page


class _TrackPages:
    """The page that lists a track: its artist's, else a playlist's, label's or
    genre's (every one of these pages has a table of all its tracks)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.artist_pages = ctx.plan.artist_pages
        self.fallback: dict[int, str] = {}
        plan, analysis = ctx.plan, ctx.analysis
        for genre, page in plan.genre_pages():
            self.fallback.update(dict.fromkeys(analysis.tracks_by_genre[genre], page))
        for label, page in plan.label_pages():
            self.fallback.update(dict.fromkeys(analysis.tracks_by_label[label], page))
        for playlist in reversed(ctx.library.playlists):
            page = plan.playlist_page(playlist.id)
            self.fallback.update(dict.fromkeys(playlist.track_ids, page))

    def of(self, track: Track) -> str | None:
        for artist in track.artist_ids:
            if artist in self.artist_pages:
                return self.artist_pages[artist]
        return self.fallback.get(track.id)

    def first(self, track_ids: list[int]) -> str | None:
        tracks = self.ctx.library.tracks
        return next((p for t in track_ids if (p := self.of(tracks[t]))), None)


def _artists(ctx: Context, artist_ids: tuple[int, ...]) -> str:
    return ", ".join(ctx.library.artists[a].name for a in dict.fromkeys(artist_ids))


def _album_detail(ctx: Context, album_id: int) -> str:
    album = ctx.library.albums[album_id]
    parts = [_artists(ctx, album.artist_ids), str(album.year or "")]
    return " · ".join(p for p in parts if p)
