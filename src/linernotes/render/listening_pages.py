"""The listening section: its index, the top lists of every period, and the
compact listening block of the home page."""

from __future__ import annotations

from linernotes.analysis.stories import Period, Stories
from linernotes.analysis.tops import KINDS, MEASURES
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_int, fmt_minutes, fmt_share, md_link, table
from linernotes.render.plan import (
    HABITS_PAGE,
    HOME,
    LISTENING_INDEX,
    PODCASTS_PAGE,
    WHEN_PAGE,
)
from linernotes.render.story_tables import (
    NO_HISTORY,
    coverage_line,
    entity_cell,
    measure_note,
    stories_of,
    top_table,
)

HOME_ROWS = 5
_MISSING = {
    "genres": "No genres known for these tracks: import Exportify CSVs with genres, or run"
    " `linernotes enrich`.",
    "labels": "No labels known for these tracks: import Exportify CSVs with labels, or run"
    " `linernotes enrich`.",
}


def render_listening_index(ctx: Context) -> str:
    """The listening section's front page: what the history covers, the periods,
    the years and the other listening pages."""
    stories, page = stories_of(ctx), LISTENING_INDEX
    lines = ctx.head(page, "Your listening")
    everything = stories.period("all")
    if everything is None:
        lines += [NO_HISTORY]
    else:
        lines += [coverage_line(stories.coverage, stories.zone), ""]
        lines += _totals(everything)
        lines += ["", "## Top lists", "", _periods_table(ctx, page, stories)]
        if stories.years:
            lines += ["", "## Years", "", _years_table(ctx, page, stories)]
    lines += ["", "## More", ""]
    lines += [f"- {link}" for link in section_links(ctx, page)]
    lines += ["", "---", "", measure_note(stories), "", f"[Home]({ctx.plan.link(page, HOME)})"]
    return "\n".join(lines) + "\n"


def section_links(ctx: Context, page: str) -> list[str]:
    """Links to the listening pages that are not period pages, with what each holds."""
    plan = ctx.plan
    links = []
    if plan.listening_history:
        links += [
            f"[When you listen]({plan.link(page, WHEN_PAGE)}): minutes per week,"
            " hour × weekday, the listening clock",
            f"[Discovery & habits]({plan.link(page, HABITS_PAGE)}): new artists per month,"
            " skips, forgotten favourites, on-repeat streaks",
        ]
    links.append(f"[Podcasts & audiobooks]({plan.link(page, PODCASTS_PAGE)})")
    liked = plan.liked_page()
    if liked:
        links.append(f"[Liked Songs]({plan.link(page, liked)}), with its own clusters")
    return links


def _totals(period: Period) -> list[str]:
    tracks, artists = period.totals["tracks"].count(), period.totals["artists"].count()
    return [
        f"- **Minutes listened:** {fmt_minutes(period.ms)} ({fmt_int(period.ms // 3_600_000)}"
        " hours)",
        f"- **Streams:** {fmt_int(period.streams)}: {fmt_int(period.plays)} plays of 30 s or"
        f" more; {fmt_int(period.skips)} skips ({fmt_share(period.skips, period.streams)})",
        f"- **Tracks:** {fmt_int(tracks)} · **Artists:** {fmt_int(artists)}",
    ]


def _periods_table(ctx: Context, page: str, stories: Stories) -> str:
    rows = []
    for period in stories.periods:
        target = ctx.plan.link(page, ctx.plan.top_page(period.key)) or ""
        top_track = period.top[("tracks", "minutes")]
        top_artist = period.top[("artists", "minutes")]
        rows.append(
            [
                md_link(period.title, target),
                f"{period.first} to {period.last}",
                fmt_minutes(period.ms),
                fmt_int(period.plays),
                entity_cell(ctx, page, "tracks", top_track[0].key) if top_track else "",
                entity_cell(ctx, page, "artists", top_artist[0].key) if top_artist else "",
            ]
        )
    header = ["Period", "Days", "Minutes", "Plays", "Top track", "Top artist"]
    return table(header, "llrrll", rows)


def _years_table(ctx: Context, page: str, stories: Stories) -> str:
    rows = []
    for year in stories.years:
        period = stories.period(str(year.year))
        if period is None:
            continue
        target = ctx.plan.link(page, ctx.plan.year_page(year.year)) or ""
        rows.append(
            [
                md_link(f"Your {year.year}", target),
                fmt_minutes(period.ms),
                fmt_int(period.plays),
                fmt_int(period.totals["tracks"].count()),
                fmt_int(period.totals["artists"].count()),
                "" if year.history_starts else fmt_int(len(year.new_artists)),
            ]
        )
    header = ["Year", "Minutes", "Plays", "Tracks", "Artists", "New artists"]
    return table(header, "lrrrrr", rows)


def render_top_page(ctx: Context, period: Period) -> str:
    """Every top list of one period: tracks, albums, artists, genres and labels, each
    by minutes and by plays."""
    stories = stories_of(ctx)
    page = ctx.plan.top_page(period.key) or ""
    title = "all time" if period.key == "all" else period.title
    lines = ctx.head(page, f"Top of {title}" if period.key[0].isdigit() else f"Top: {title}")
    lines += [coverage_line(period.coverage, stories.zone), ""]
    lines += [
        f"{period.first} to {period.last}: {fmt_minutes(period.ms)} minutes,"
        f" {fmt_int(period.plays)} plays.",
        "",
        "Other periods: " + _period_links(ctx, page, stories, period.key),
    ]
    year_page = ctx.plan.year_page(int(period.key)) if period.key.isdigit() else None
    if year_page:
        lines += [
            "",
            f"The story of the year: [Your {period.key}]({ctx.plan.link(page, year_page)})",
        ]
    for kind in KINDS:
        lines += ["", f"## {kind.capitalize()}"]
        if not period.top[(kind, "minutes")]:
            lines += ["", _MISSING.get(kind, "None in this period.")]
            continue
        for measure in MEASURES:
            lines += ["", f"### By {measure}", ""]
            lines.append(top_table(ctx, page, kind, period.top[(kind, measure)], measure))
    lines += _footer(ctx, page, stories)
    return "\n".join(lines) + "\n"


def _period_links(ctx: Context, page: str, stories: Stories, current: str) -> str:
    links = []
    for period in stories.periods:
        if period.key == current:
            links.append(f"**{period.title}**")
        else:
            links.append(
                md_link(period.title, ctx.plan.link(page, ctx.plan.top_page(period.key)) or "")
            )
    return " · ".join(links)


def _footer(ctx: Context, page: str, stories: Stories) -> list[str]:
    return [
        "",
        "---",
        "",
        measure_note(stories),
        "",
        f"[Your listening]({ctx.plan.link(page, LISTENING_INDEX)}) ·"
        f" [Home]({ctx.plan.link(page, HOME)})",
    ]


def home_listening_lines(ctx: Context) -> list[str]:
    """The home page's listening block: all-time totals, the top tracks and artists,
    and the way to every listening page."""
    stories, page = ctx.stories, HOME
    if stories is None or not ctx.plan.listening:
        return []
    lines = ["", "## Your listening", ""]
    everything = stories.period("all")
    if everything is not None:
        lines += [
            f"{fmt_minutes(everything.ms)} minutes of music from {everything.first} to"
            f" {everything.last}. [All of your listening]({ctx.plan.link(page, LISTENING_INDEX)})",
            "",
            "Top lists: " + _period_links(ctx, page, stories, ""),
        ]
        years = [
            md_link(f"Your {y.year}", ctx.plan.link(page, ctx.plan.year_page(y.year)) or "")
            for y in reversed(stories.years)
        ]
        if years:
            lines += ["", "Years: " + " · ".join(years)]
        for kind in ("tracks", "artists"):
            items = everything.top[(kind, "minutes")][:HOME_ROWS]
            if items:
                lines += ["", f"### Most listened {kind}", ""]
                lines.append(top_table(ctx, page, kind, items, "minutes"))
    else:
        lines += [NO_HISTORY, "", f"[Your listening]({ctx.plan.link(page, LISTENING_INDEX)})"]
    lines += ["", *[f"- {link}" for link in section_links(ctx, page)]]
    return lines
