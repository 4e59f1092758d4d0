"""Year pages ("Your 2024") and Liked Songs: each like a playlist of its own, with
a page of its clusters in the cluster-page format."""

from __future__ import annotations

from collections import Counter

from linernotes.analysis.library import Track
from linernotes.analysis.tops import day_date
from linernotes.analysis.years import YearStory
from linernotes.errors import BuildError
from linernotes.render.collection_pages import track_table
from linernotes.render.context import Context
from linernotes.render.markdown import (
    fmt_duration,
    fmt_int,
    fmt_minutes,
    fmt_share,
    md_link,
    table,
)
from linernotes.render.plan import HOME, LISTENING_INDEX, PLAYLIST_INDEX
from linernotes.render.story_tables import (
    artists_cell,
    coverage_line,
    entity_cell,
    measure_note,
    period_of,
    stories_of,
    top_table,
)

TOP_ROWS = 5
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render_year_page(ctx: Context, story: YearStory) -> str:
    """The story of one calendar year: totals, top fives, month by month, new artists,
    the most repeated day and the clusters of its most-played tracks."""
    stories, plan = stories_of(ctx), ctx.plan
    year = story.year
    page = plan.year_page(year) or ""
    period = period_of(stories, str(year))
    lines = ctx.head(page, f"Your {year}")
    lines += [coverage_line(period.coverage, stories.zone), ""]
    lines += [
        f"- **Minutes listened:** {fmt_minutes(period.ms)}"
        f" ({fmt_int(period.ms // 86_400_000)} days and"
        f" {fmt_int(period.ms % 86_400_000 // 3_600_000)} hours)",
        f"- **Plays:** {fmt_int(period.plays)} · **Tracks:** "
        f"{fmt_int(period.totals['tracks'].count())} · **Artists:** "
        f"{fmt_int(period.totals['artists'].count())}",
        f"- **Skip rate:** {fmt_share(period.skips, period.streams)}",
        _new_artists_line(story),
    ]
    if story.repeat is not None:
        repeat = story.repeat
        lines.append(
            f"- **Most repeated day:** {day_date(repeat.day)}:"
            f" {entity_cell(ctx, page, 'tracks', repeat.ref)}"
            f" by {artists_cell(ctx, page, 'tracks', repeat.ref) or 'unknown'},"
            f" {fmt_int(repeat.streams)} times"
        )
    top = plan.top_page(str(year))
    lines += [
        "",
        f"## Top {TOP_ROWS}",
        "",
        f"By minutes; [every top list of {year}]({plan.link(page, top)}).",
    ]
    for kind in ("tracks", "artists", "albums", "genres", "labels"):
        items = period.top[(kind, "minutes")][:TOP_ROWS]
        if items:
            lines += [
                "",
                f"### {kind.capitalize()}",
                "",
                top_table(ctx, page, kind, items, "minutes"),
            ]
    lines += ["", "## Month by month", ""]
    lines.append(
        f"![Minutes listened per month in {year}]({plan.link(page, plan.year_chart_svg(year))})"
    )
    rows = [[MONTHS[m], fmt_minutes(ms)] for m, ms in enumerate(story.months)]
    lines += ["", table(["Month", "Minutes"], "lr", rows)]
    lines += _new_artists(ctx, page, story)
    lines += _clusters(ctx, page, story)
    lines += ["", "---", "", measure_note(stories), "", _year_links(ctx, page, year)]
    return "\n".join(lines) + "\n"


def _new_artists_line(story: YearStory) -> str:
    count = fmt_int(len(story.new_artists))
    if story.history_starts:
        return (
            f"- **New artists:** {count} — your history starts this year, so every artist"
            " of it is new to it"
        )
    return f"- **New artists:** {count} heard for the first time"


def _new_artists(ctx: Context, page: str, story: YearStory) -> list[str]:
    if story.history_starts or not story.new_artists:
        return []
    period = period_of(stories_of(ctx), str(story.year))
    totals = period.totals["artists"]
    rows = []
    for artist in story.new_artists[: ctx.config.atlas.top_n]:
        ms, plays, _ = totals.value(artist)
        first = stories_of(ctx).habits.first_artist[artist]
        rows.append(
            [
                entity_cell(ctx, page, "artists", artist),
                str(first.day),
                fmt_minutes(ms),
                fmt_int(plays),
            ]
        )
    header = ["Artist", "First heard", f"Minutes in {story.year}", "Plays"]
    return ["", "## New artists", "", table(header, "llrr", rows)]


def _clusters(ctx: Context, page: str, story: YearStory) -> list[str]:
    target = ctx.plan.year_cluster_page(story.year)
    if target is None or story.clusters is None:
        return []
    k = story.clusters.clustering.k
    return [
        "",
        "## Clusters",
        "",
        f"Your {fmt_int(len(story.cluster_tracks))} most-played tracks of {story.year} fall"
        f" into {k} cluster{'s' if k != 1 else ''}: "
        + md_link(f"Clusters in Your {story.year}", ctx.plan.link(page, target) or ""),
    ]


def _year_links(ctx: Context, page: str, year: int) -> str:
    years = ctx.plan.story_years
    links = []
    at = years.index(year)
    if at > 0:
        links.append(
            f"[← {years[at - 1]}]({ctx.plan.link(page, ctx.plan.year_page(years[at - 1]))})"
        )
    if at + 1 < len(years):
        links.append(
            f"[{years[at + 1]} →]({ctx.plan.link(page, ctx.plan.year_page(years[at + 1]))})"
        )
    links += [
        f"[Your listening]({ctx.plan.link(page, LISTENING_INDEX)})",
        f"[Home]({ctx.plan.link(page, HOME)})",
    ]
    return " · ".join(links)


def render_liked_page(ctx: Context, year_chart: str | None) -> str:
    """Liked Songs like a playlist: size, duration, listening, clusters, release years,
    when songs were liked, top artists, labels and genres, and every track."""
    liked = stories_of(ctx).liked
    if liked is None:
        raise BuildError("the Liked Songs page was planned without Liked Songs")
    page = ctx.plan.liked_page() or ""
    tracks = [ctx.library.tracks[t] for t in liked.track_ids]
    played = sum(1 for t in tracks if ctx.analysis.listening.ms_by_track.get(t.id))
    lines = ctx.head(page, "Liked Songs")
    lines += [
        f"- **Tracks:** {fmt_int(len(tracks))}",
        f"- **Total duration:** {fmt_duration(sum(t.duration_ms or 0 for t in tracks))}",
        f"- **Listened:** {fmt_int(ctx.minutes(t.id for t in tracks))} minutes;"
        f" {fmt_int(len(tracks) - played)} never played",
    ]
    clusters = ctx.plan.liked_cluster_page()
    if clusters and liked.clusters is not None:
        k = liked.clusters.clustering.k
        lines += [
            "",
            f"**{md_link('Clusters in Liked Songs', ctx.plan.link(page, clusters) or '')}**"
            f" — {k} cluster{'s' if k != 1 else ''}",
        ]
    if year_chart:
        lines += [
            "",
            "## Release years",
            "",
            f"![Release years]({ctx.plan.link(page, year_chart)})",
        ]
    per_year = Counter(day[:4] for day in liked.added.values())
    if per_year:
        rows = [[year, fmt_int(n)] for year, n in sorted(per_year.items())]
        lines += ["", "## Liked per year", "", table(["Year", "Songs liked"], "lr", rows)]
    lines += _liked_tops(ctx, page, tracks)
    lines += ["", "## Tracks", "", track_table(ctx, page, tracks, added=liked.added)]
    lines += ctx.footer(page, PLAYLIST_INDEX, "All playlists")
    return "\n".join(lines) + "\n"


def _liked_tops(ctx: Context, page: str, tracks: list[Track]) -> list[str]:
    artists: Counter[int] = Counter(a for t in tracks for a in dict.fromkeys(t.artist_ids))
    labels: Counter[str] = Counter(lab for t in tracks for lab in ctx.library.labels_of(t))
    genres: Counter[str] = Counter(g for t in tracks for g in t.genres)
    lines = _count_table("Artist", [(ctx.artist_link(page, a), n) for a, n in ctx.top(artists)])
    lines += _count_table("Label", [(ctx.label_link(page, lab), n) for lab, n in ctx.top(labels)])
    lines += _count_table("Genre", [(ctx.genres_cell(page, [g]), n) for g, n in ctx.top(genres)])
    return lines


def _count_table(what: str, rows: list[tuple[str, int]]) -> list[str]:
    if not rows:
        return []
    cells = [[cell, fmt_int(n)] for cell, n in rows]
    return ["", f"## Top {what.lower()}s", "", table([what, "Tracks"], "lr", cells)]
