"""Playlist and genre pages: what a collection of tracks holds."""

from __future__ import annotations

from collections import Counter

from linernotes.analysis.library import Track
from linernotes.model import ItemKind, Playlist
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_count, fmt_duration, fmt_int, md_link, md_text, table
from linernotes.render.plan import GENRE_INDEX, PLAYLIST_INDEX
from linernotes.text import sort_key


def render_playlist_page(ctx: Context, playlist: Playlist, year_chart: str | None) -> str:
    """Return the Markdown page of one playlist."""
    page = ctx.plan.playlist_page(playlist.id)
    tracks = [ctx.library.tracks[t] for t in playlist.track_ids]
    other = Counter(e.kind for e in playlist.entries if e.track_id is None or e.kind == "local")
    lines = ctx.head(page, playlist.name)
    if playlist.description:
        lines += [f"> {md_text(playlist.description)}", ""]
    lines += _summary(ctx, tracks, other, playlist.last_modified)
    clusters = ctx.plan.playlist_cluster_page(playlist.id)
    if clusters:
        k = ctx.analysis.playlist_clusters[playlist.id].clustering.k
        lines += [
            "",
            f"**{md_link(f'Clusters in {playlist.name}', ctx.plan.link(page, clusters) or '')}**"
            f" — {fmt_count(k, 'cluster')}",
        ]
    if year_chart:
        lines += [
            "",
            "## Release years",
            "",
            f"![Release years]({ctx.plan.link(page, year_chart)})",
        ]
    lines += _tops(ctx, page, tracks)
    lines += ["", "## Tracks", "", track_table(ctx, page, tracks, added=_added(playlist))]
    lines += ctx.footer(page, PLAYLIST_INDEX, "All playlists")
    return "\n".join(lines) + "\n"


def render_genre_page(ctx: Context, page: str, genre: str) -> str:
    """Return the Markdown page of one genre (at ``page``)."""
    ids = ctx.analysis.tracks_by_genre[genre]
    tracks = ctx.by_listening(ids)
    family = ctx.library.genre_families.get(genre, genre)
    lines = ctx.head(page, genre)
    if family != genre:
        lines += [f"Family: **{md_text(family)}**", ""]
    lines += _summary(ctx, tracks, Counter(), None)
    clusters = ctx.plan.genre_cluster_page(genre)
    if clusters:
        k = ctx.analysis.genre_clusters[genre].clustering.k
        lines += [
            "",
            f"**{md_link(f'Clusters in {genre}', ctx.plan.link(page, clusters) or '')}**"
            f" — {fmt_count(k, 'cluster')}",
        ]
    rows = playlist_rows(ctx, page, ctx.analysis.playlists_with(ids))
    if rows:
        lines += ["", "## In playlists", "", *rows]
    lines += _tops(ctx, page, tracks, genres=False)
    lines += ["", "## Tracks", "", track_table(ctx, page, tracks)]
    lines += ctx.footer(page, GENRE_INDEX, "All genres")
    return "\n".join(lines) + "\n"


def playlist_rows(ctx: Context, page: str, counts: Counter[int]) -> list[str]:
    """The table of the playlists in ``counts`` (``{playlist id: tracks}``), most
    tracks first, then by name; no lines when there are none."""
    playlists = ctx.analysis.playlists_by_id
    ordered = sorted(counts, key=lambda p: (-counts[p], sort_key(playlists[p].name), p))
    rows = [
        [
            md_link(playlists[p].name, ctx.plan.link(page, ctx.plan.playlist_page(p)) or ""),
            fmt_int(counts[p]),
        ]
        for p in ordered
    ]
    return [table(["Playlist", "Tracks"], "lr", rows)] if rows else []


def _summary(
    ctx: Context, tracks: list[Track], other: Counter[ItemKind], modified: str | None
) -> list[str]:
    liked = sum(t.liked for t in tracks)
    share = f"{100 * liked / len(tracks):.0f}%" if tracks else "0%"
    duration = sum(t.duration_ms or 0 for t in tracks)
    lines = [f"- **Tracks:** {fmt_int(len(tracks))}"]
    extras = {"local": "local file", "episode": "podcast episode", "audiobook": "audiobook"}
    for kind, count in sorted(other.items()):
        name = extras.get(kind, kind)
        lines[-1] += f", plus {fmt_count(count, name)}"
    lines += [
        f"- **Total duration:** {fmt_duration(duration)}",
        f"- **Liked:** {share} ({fmt_count(liked, 'track')} in Liked Songs)",
        f"- **Listened:** {fmt_int(ctx.minutes(t.id for t in tracks))} minutes",
    ]
    if modified:
        lines.append(f"- **Last modified:** {md_text(modified)}")
    return lines


def _tops(ctx: Context, page: str, tracks: list[Track], *, genres: bool = True) -> list[str]:
    artists: Counter[int] = Counter(a for t in tracks for a in dict.fromkeys(t.artist_ids))
    labels: Counter[str] = Counter(lab for t in tracks for lab in ctx.library.labels_of(t))
    lines = []
    rows = [[ctx.artist_link(page, a), fmt_int(n)] for a, n in ctx.top(artists)]
    if rows:
        lines += ["", "## Top artists", "", table(["Artist", "Tracks"], "lr", rows)]
    rows = [[ctx.label_link(page, lab), fmt_int(n)] for lab, n in ctx.top(labels)]
    if rows:
        lines += ["", "## Top labels", "", table(["Label", "Tracks"], "lr", rows)]
    if genres:
        counts: Counter[str] = Counter(g for t in tracks for g in t.genres)
        rows = [[ctx.genres_cell(page, [g]), fmt_int(n)] for g, n in ctx.top(counts)]
        if rows:
            lines += ["", "## Top genres", "", table(["Genre", "Tracks"], "lr", rows)]
    return lines


def _added(playlist: Playlist) -> dict[int, str]:
    return {
        e.track_id: (e.added_at or "")[:10]
        for e in reversed(playlist.entries)
        if e.track_id is not None
    }


def track_table(
    ctx: Context, page: str, tracks: list[Track], added: dict[int, str] | None = None
) -> str:
    """A numbered table of tracks with artists, album, labels, score and liked mark."""
    header = ["#", "Track", "Artists", "Album", "Label"]
    align = "rllll"
    if added is not None:
        header.append("Added")
        align += "l"
    score = ctx.score_header
    if score:
        header.append(score)
        align += "r"
    header += ["💚", "🔗"]
    align += "ll"
    rows = []
    for i, track in enumerate(tracks, start=1):
        row = [
            fmt_int(i),
            md_text(track.name),
            ctx.artists_cell(page, track),
            ctx.album_cell(track),
            ctx.labels_cell(page, track),
        ]
        if added is not None:
            row.append(added.get(track.id, ""))
        if score:
            row.append(ctx.score_cell(track))
        row += [ctx.liked_cell(track), ctx.spotify_cell(track)]
        rows.append(row)
    return table(header, align, rows)
