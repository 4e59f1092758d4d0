"""The home page and the four indexes (playlists, genres, artists, labels)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from linernotes.model import HistorySummary
from linernotes.render.context import Context
from linernotes.render.listening_pages import home_listening_lines
from linernotes.render.markdown import (
    fmt_count,
    fmt_duration,
    fmt_int,
    heading_anchor,
    md_link,
    md_text,
    table,
)
from linernotes.render.plan import ARTIST_INDEX, GENRE_INDEX, HOME, LABEL_INDEX, PLAYLIST_INDEX
from linernotes.text import sort_key

_KIND_NAMES = {
    "music": "music",
    "podcast": "podcast",
    "audiobook": "audiobook",
    "video": "video",
    "unknown": "without metadata",
}


def render_home(ctx: Context, history: HistorySummary) -> str:
    """Return the home page: the library at a glance and the way to every index."""
    lib = ctx.library
    tracks = lib.tracks.values()
    lines = [
        *ctx.head(HOME, "Your music atlas"),
        "A map of your library: every playlist and genre split into clusters of tracks that"
        " belong together, and a page for the artists, labels and genres that matter.",
        "",
        "## At a glance",
        "",
        f"- **Tracks:** {fmt_int(len(lib.tracks))} ({fmt_int(sum(t.liked for t in tracks))}"
        " in Liked Songs)",
        f"- **Playlists:** {fmt_int(len(lib.playlists))} — [browse]({PLAYLIST_INDEX})",
        f"- **Artists:** {fmt_int(len(lib.artists))}, {fmt_int(len(ctx.plan.artist_slugs))}"
        f" with a page — [browse]({ARTIST_INDEX})",
        f"- **Labels:** {fmt_int(len(ctx.analysis.tracks_by_label))},"
        f" {fmt_int(len(ctx.plan.label_slugs))} with a page — [browse]({LABEL_INDEX})",
        f"- **Genres:** {fmt_int(len(ctx.analysis.tracks_by_genre))},"
        f" {fmt_int(len(ctx.plan.genre_slugs))} with a page — [browse]({GENRE_INDEX})",
    ]
    lines += _history(history)
    lines += home_listening_lines(ctx) or _top_artists(ctx)
    lines += _top_named(ctx, "Top genres", ctx.analysis.tracks_by_genre, ctx.plan.genre_page)
    lines += _top_named(ctx, "Top labels", ctx.analysis.tracks_by_label, ctx.plan.label_page)
    if ctx.score_footnote:
        lines += ["", "---", "", ctx.score_footnote]
    return "\n".join(lines) + "\n"


def _history(history: HistorySummary) -> list[str]:
    if not history.plays_by_kind:
        return ["- **Listening history:** none imported"]
    parts = [
        f"{fmt_int(n)} {_KIND_NAMES.get(k, k)}"
        for k, n in sorted(history.plays_by_kind.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    span = f"{(history.first or '')[:10]} to {(history.last or '')[:10]}"
    lines = [f"- **Plays:** {', '.join(parts)} ({span})"]
    if history.unresolved:
        lines.append(f"- **Music plays not matched to a track:** {fmt_int(history.unresolved)}")
    return lines


def _top_artists(ctx: Context) -> list[str]:
    minutes = {a: ctx.minutes(ids) for a, ids in ctx.analysis.tracks_by_artist.items()}
    top = sorted(minutes, key=lambda a: (-minutes[a], sort_key(ctx.library.artists[a].name), a))
    rows = [
        [
            str(i),
            ctx.artist_link(HOME, a),
            fmt_int(minutes[a]),
            fmt_int(len(ctx.analysis.tracks_by_artist[a])),
        ]
        for i, a in enumerate(top[: ctx.config.atlas.top_n], start=1)
        if minutes[a]
    ]
    if not rows:
        return []
    return [
        "",
        "## Most listened artists",
        "",
        table(["#", "Artist", "Minutes", "Tracks"], "rlrr", rows),
    ]


def _top_named(
    ctx: Context, title: str, members: dict[str, list[int]], page_of: Callable[[str], str | None]
) -> list[str]:
    counts = Counter({name: len(ids) for name, ids in members.items()})
    rows = []
    for name, n in ctx.top(counts):
        target = ctx.plan.link(HOME, page_of(name))
        rows.append([md_link(name, target) if target else md_text(name), fmt_int(n)])
    if not rows:
        return []
    return ["", f"## {title}", "", table(["Name", "Tracks"], "lr", rows)]


def render_playlist_index(ctx: Context) -> str:
    """Every playlist with its size, share liked, duration and clusters, by name."""
    page = PLAYLIST_INDEX
    rows = []
    for p in sorted(ctx.library.playlists, key=lambda p: (sort_key(p.name), p.id)):
        tracks = [ctx.library.tracks[t] for t in p.track_ids]
        liked = f"{100 * sum(t.liked for t in tracks) / len(tracks):.0f}%" if tracks else ""
        clusters = ctx.plan.playlist_cluster_page(p.id)
        k = ctx.analysis.playlist_clusters[p.id].clustering.k if clusters else 0
        rows.append(
            [
                md_link(p.name, ctx.plan.link(page, ctx.plan.playlist_page(p.id)) or ""),
                fmt_int(len(tracks)),
                liked,
                fmt_duration(sum(t.duration_ms or 0 for t in tracks)),
                md_link(fmt_count(k, "cluster"), ctx.plan.link(page, clusters) or "")
                if clusters
                else "",
            ]
        )
    liked_page = ctx.plan.liked_page()
    also = (
        f" Your Liked Songs have [a page of their own]({ctx.plan.link(page, liked_page)})."
        if liked_page
        else ""
    )
    lines = [
        *ctx.head(page, "Playlists"),
        f"{fmt_count(len(rows), 'playlist')}.{also}",
        "",
        table(["Playlist", "Tracks", "Liked", "Duration", "Clusters"], "lrrrl", rows),
    ]
    lines += ["", f"[Home]({ctx.plan.link(page, HOME)})"]
    return "\n".join(lines) + "\n"


def render_genre_index(ctx: Context) -> str:
    """Genres with a page, grouped by family (families by name, genres by size)."""
    page = GENRE_INDEX
    by_family: dict[str, list[str]] = defaultdict(list)
    for genre in ctx.plan.genre_slugs:
        by_family[ctx.library.genre_families.get(genre, genre)].append(genre)
    lines = [
        *ctx.head(page, "Genres"),
        f"{fmt_count(len(ctx.plan.genre_slugs), 'genre')} with at least "
        f"{fmt_count(ctx.config.atlas.genre_page_min_tracks, 'track')}, by family.",
    ]
    for family in sorted(by_family, key=sort_key):
        rows = []
        for genre in sorted(
            by_family[family], key=lambda g: (-len(ctx.analysis.tracks_by_genre[g]), sort_key(g))
        ):
            clusters = ctx.plan.genre_cluster_page(genre)
            rows.append(
                [
                    md_link(genre, ctx.plan.link(page, ctx.plan.genre_page(genre)) or ""),
                    fmt_int(len(ctx.analysis.tracks_by_genre[genre])),
                    md_link("clusters", ctx.plan.link(page, clusters) or "") if clusters else "",
                ]
            )
        lines += [
            "",
            f"## {md_text(family)}",
            "",
            table(["Genre", "Tracks", "Clusters"], "lrl", rows),
        ]
    lines += ["", f"[Home]({ctx.plan.link(page, HOME)})"]
    return "\n".join(lines) + "\n"


_LEADING_NON_WORD = re.compile(r"^[\W_]+")
DIGITS, OTHER = "0–9", "Other"


def index_letter(name: str) -> str:
    """The section of ``name`` in an A–Z index: its first Latin letter (accents
    and case folded, leading punctuation skipped), "0–9", or "Other"."""
    first = _LEADING_NON_WORD.sub("", sort_key(name)[0])[:1].upper()
    if "A" <= first <= "Z":
        return first
    return DIGITS if first.isdigit() else OTHER


def render_artist_index(ctx: Context) -> str:
    """Artists with a page, A to Z, with tracks, liked and minutes."""
    page = ARTIST_INDEX
    sections: dict[str, list[int]] = defaultdict(list)
    for a in sorted(
        ctx.plan.artist_slugs, key=lambda a: (sort_key(ctx.library.artists[a].name), a)
    ):
        sections[index_letter(ctx.library.artists[a].name)].append(a)
    order = sorted(sections, key=lambda s: (s == OTHER, s != DIGITS, s))
    lines = [
        *ctx.head(page, "Artists"),
        f"{fmt_count(len(ctx.plan.artist_slugs), 'artist')} with at least "
        f"{fmt_count(ctx.config.atlas.artist_page_min_tracks, 'track')} in your library"
        " (or followed).",
        "",
        " · ".join(f"[{letter}](#{heading_anchor(letter)})" for letter in order),
    ]
    for letter in order:
        rows = []
        for a in sections[letter]:
            ids = ctx.analysis.tracks_by_artist[a]
            rows.append(
                [
                    ctx.artist_link(page, a),
                    fmt_int(len(ids)),
                    fmt_int(sum(ctx.library.tracks[t].liked for t in ids)),
                    fmt_int(ctx.minutes(ids)),
                ]
            )
        lines += [
            "",
            f"## {letter}",
            "",
            table(["Artist", "Tracks", "Liked", "Minutes"], "lrrr", rows),
        ]
    lines += ["", f"[Home]({ctx.plan.link(page, HOME)})"]
    return "\n".join(lines) + "\n"


def render_label_index(ctx: Context) -> str:
    """Labels with a page, by name, with tracks and artists."""
    page = LABEL_INDEX
    rows = []
    for label in sorted(ctx.plan.label_slugs, key=sort_key):
        ids = ctx.analysis.tracks_by_label[label]
        artists = {a for t in ids for a in ctx.library.tracks[t].artist_ids}
        rows.append([ctx.label_link(page, label), fmt_int(len(ids)), fmt_int(len(artists))])
    lines = [
        *ctx.head(page, "Labels"),
        f"{fmt_count(len(rows), 'label')} with at least "
        f"{fmt_count(ctx.config.atlas.label_page_min_tracks, 'track')} in your library;"
        " alias spellings are folded into one label.",
        "",
        table(["Label", "Tracks", "Artists"], "lrr", rows),
        "",
        f"[Home]({ctx.plan.link(page, HOME)})",
    ]
    return "\n".join(lines) + "\n"
