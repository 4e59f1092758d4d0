"""Artist overview and label pages."""

from __future__ import annotations

from collections import Counter, defaultdict

from linernotes.analysis.library import Track
from linernotes.render.collection_pages import playlist_rows, track_table
from linernotes.render.context import Context
from linernotes.render.habit_pages import artist_listening_lines
from linernotes.render.markdown import fmt_int, md_text, table
from linernotes.render.plan import ARTIST_INDEX, LABEL_INDEX
from linernotes.text import sort_key


def render_artist_page(ctx: Context, page: str, artist_id: int, chart: str | None) -> str:
    """Return the overview page of one artist (at ``page``)."""
    artist = ctx.library.artists[artist_id]
    tracks = ctx.by_listening(ctx.analysis.tracks_by_artist[artist_id])
    lines = [*ctx.head(page, artist.name), ctx.artist_cover(page, artist.name, tracks), ""]
    genres: Counter[str] = Counter(g for t in tracks for g in t.genres)
    lines += [
        f"- **Tracks in your library:** {fmt_int(len(tracks))}",
        f"- **Liked:** {fmt_int(sum(t.liked for t in tracks))}",
        f"- **Listened:** {fmt_int(ctx.minutes(t.id for t in tracks))} minutes",
    ]
    if genres:
        # The artist's own genres when a source gave them; else those of its tracks.
        top = list(artist.genres[:8]) or [g for g, _ in ctx.top(genres, 8)]
        lines.append(f"- **Genres:** {ctx.genres_cell(page, top)}")
    if artist.followed:
        lines.append("- **Followed** on Spotify")
    if artist.spotify_id:
        lines.append(f"- [Open on Spotify](https://open.spotify.com/artist/{artist.spotify_id})")
    if chart:
        lines += [
            "",
            "## Listening over time",
            "",
            f"![Minutes listened per year]({ctx.plan.link(page, chart)})",
        ]
    lines += artist_listening_lines(ctx, page, artist_id)
    lines += _playlists_with(ctx, page, {t.id for t in tracks})
    lines += _albums(ctx, page, tracks)
    lines += ["", "## Tracks", "", track_table(ctx, page, tracks)]
    lines += ctx.footer(page, ARTIST_INDEX, "All artists")
    return "\n".join(lines) + "\n"


def artist_minutes_by_year(ctx: Context, artist_id: int) -> dict[str, int]:
    """Minutes listened to an artist per calendar year (every year of the history)."""
    per_year: dict[int, int] = defaultdict(int)
    for track in ctx.analysis.tracks_by_artist[artist_id]:
        for year, ms in ctx.analysis.listening.ms_by_track_year.get(track, {}).items():
            per_year[year] += ms
    if not per_year:
        return {}
    years = range(min(per_year), max(per_year) + 1)
    return {str(y): per_year.get(y, 0) // 60_000 for y in years}


def render_label_page(ctx: Context, page: str, label: str) -> str:
    """Return the page (at ``page``) of one label: its artists, releases, playlists and
    aliases."""
    tracks = ctx.by_listening(ctx.analysis.tracks_by_label[label])
    artists: Counter[int] = Counter(a for t in tracks for a in dict.fromkeys(t.artist_ids))
    lines = ctx.head(page, label)
    aliases = ctx.library.labels.aliases_of(label)
    if aliases:
        lines += ["Also spelled: " + ", ".join(md_text(a) for a in aliases), ""]
    lines += [
        f"- **Tracks in your library:** {fmt_int(len(tracks))}",
        f"- **Artists:** {fmt_int(len(artists))}",
        f"- **Liked:** {fmt_int(sum(t.liked for t in tracks))}",
        f"- **Listened:** {fmt_int(ctx.minutes(t.id for t in tracks))} minutes",
    ]
    rows = [[ctx.artist_link(page, a), fmt_int(n)] for a, n in ctx.top(artists, len(artists))]
    lines += ["", "## Artists", "", table(["Artist", "Tracks"], "lr", rows)]
    lines += _playlists_with(ctx, page, {t.id for t in tracks})
    lines += _albums(ctx, page, tracks)
    lines += ["", "## Tracks", "", track_table(ctx, page, tracks)]
    lines += ctx.footer(page, LABEL_INDEX, "All labels")
    return "\n".join(lines) + "\n"


def _playlists_with(ctx: Context, page: str, track_ids: set[int]) -> list[str]:
    lines = playlist_rows(ctx, page, ctx.analysis.playlists_with(track_ids))
    return ["", "## Playlists", "", *lines] if lines else []


def _albums(ctx: Context, page: str, tracks: list[Track]) -> list[str]:
    counts: Counter[int] = Counter(t.album_id for t in tracks if t.album_id)
    albums = sorted(
        (ctx.library.albums[a] for a in counts),
        key=lambda a: (a.year or 0, sort_key(a.name), a.id),
    )
    rows = [
        [
            ctx.album_cover(page, a),
            md_text(a.name),
            str(a.year or ""),
            ", ".join(ctx.label_link(page, lab) for lab in a.labels),
            fmt_int(counts[a.id]),
        ]
        for a in albums
    ]
    if not rows:
        return []
    return [
        "",
        "## Albums",
        "",
        table(["Art", "Album", "Year", "Label", "Tracks"], "lllll"[:4] + "r", rows),
    ]
