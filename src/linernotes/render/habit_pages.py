"""When you listen, discovery and habits, podcasts and audiobooks, and the
listening story on each artist page."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from linernotes.analysis.habits import SkipRate
from linernotes.analysis.stories import Stories
from linernotes.analysis.tops import Key, day_date
from linernotes.model import PodcastTotal
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_int, fmt_minutes, fmt_share, md_text, table
from linernotes.render.plan import HABITS_PAGE, HOME, LISTENING_INDEX, PODCASTS_PAGE, WHEN_PAGE
from linernotes.render.story_charts import WEEKDAYS
from linernotes.render.story_tables import (
    EXTENDED_HINT,
    artists_cell,
    coverage_line,
    entity_cell,
    measure_note,
    stories_of,
)


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


def _image(ctx: Context, page: str, chart: str, alt: str) -> str:
    return f"![{alt}]({ctx.plan.link(page, chart)})"


def render_when_page(ctx: Context) -> str:
    """Minutes per week over the whole history, the hour × weekday heatmap and the
    listening clock, each chart with its numbers in a table."""
    stories, page, plan = stories_of(ctx), WHEN_PAGE, ctx.plan
    rhythm = stories.rhythm
    lines = ctx.head(page, "When you listen")
    lines += [coverage_line(stories.coverage, stories.zone)]
    lines += ["", "## Minutes per week", ""]
    lines.append(_image(ctx, page, plan.listening_chart("weeks"), "Minutes listened per week"))
    rows = [[str(monday), fmt_minutes(ms)] for monday, ms in rhythm.weeks]
    lines += ["", "<details>", "<summary>Every week (starting on Monday)</summary>", ""]
    lines += [table(["Week of", "Minutes"], "lr", rows), "", "</details>"]
    lines += ["", "## Hour × weekday", ""]
    lines.append(_image(ctx, page, plan.listening_chart("heatmap"), "Minutes by hour and weekday"))
    hours = [f"{h:02d}" for h in range(24)]
    rows = [
        [day, *(fmt_minutes(int(ms)) for ms in rhythm.hour_ms[d])] for d, day in enumerate(WEEKDAYS)
    ]
    lines += ["", table(["Minutes", *hours], "l" + "r" * 24, rows)]
    lines += ["", "## Listening clock", ""]
    lines.append(_image(ctx, page, plan.listening_chart("clock"), "Minutes by hour of the day"))
    per_hour = rhythm.hour_ms.sum(axis=0)
    total = int(per_hour.sum())
    rows = [
        [f"{h:02d}:00", fmt_minutes(int(ms)), fmt_share(int(ms), total)]
        for h, ms in enumerate(per_hour)
    ]
    lines += ["", table(["Hour", "Minutes", "Share"], "lrr", rows)]
    lines += _footer(ctx, page, stories)
    return "\n".join(lines) + "\n"


def render_habits_page(ctx: Context) -> str:
    """New artists per month, skips, forgotten favourites and on-repeat streaks."""
    stories, page = stories_of(ctx), HABITS_PAGE
    habits = stories.habits
    lines = ctx.head(page, "Discovery & habits")
    lines += [coverage_line(stories.coverage, stories.zone)]
    if stories.coverage.extended is None:
        lines += [
            "",
            f"*Your history is account data only: first listens are the first within it;"
            f" {EXTENDED_HINT}.*",
        ]
    lines += ["", "## New artists per month", ""]
    lines.append(
        _image(ctx, page, ctx.plan.listening_chart("new_artists"), "New artists per month")
    )
    rows = [
        [month, fmt_int(len(artists)), _names(ctx, page, artists[:3])]
        for month, artists in habits.new_artists
    ]
    lines += ["", table(["Month", "New artists", "Most listened of them"], "lrl", rows)]
    lines += _skips(ctx, page, stories)
    lines += _forgotten(ctx, page, stories)
    lines += ["", "## On repeat", ""]
    rows = [
        [
            entity_cell(ctx, page, "tracks", s.ref),
            artists_cell(ctx, page, "tracks", s.ref),
            fmt_int(s.days),
            str(day_date(s.first_day)),
            str(day_date(s.first_day + s.days - 1)),
        ]
        for s in habits.streaks
    ]
    lines.append(
        table(["Track", "Artists", "Days in a row", "From", "To"], "llrll", rows)
        if rows
        else "No track was played on two days in a row."
    )
    lines += _footer(ctx, page, stories)
    return "\n".join(lines) + "\n"


def _names(ctx: Context, page: str, artists: list[Key]) -> str:
    return ", ".join(entity_cell(ctx, page, "artists", a) for a in artists)


def _skips(ctx: Context, page: str, stories: Stories) -> list[str]:
    lines = ["", "## Skips", ""]
    lines.append(
        "A skip is a stream under 30 seconds or one ended with the forward button."
        + (
            " Account-data plays do not say how they ended: there, only streams under"
            " 30 seconds count as skips."
            if stories.coverage.account
            else ""
        )
    )
    rows = []
    for year in stories.years:
        period = stories.period(str(year.year))
        if period:
            rows.append(
                [
                    str(year.year),
                    fmt_int(period.streams),
                    fmt_int(period.skips),
                    fmt_share(period.skips, period.streams),
                ]
            )
    lines += ["", table(["Year", "Streams", "Skips", "Skip rate"], "lrrr", rows)]
    for kind, least in (("tracks", 10), ("artists", 25)):
        rates = stories.habits.skip_rates[kind]
        lines += ["", f"### Most skipped {kind} (at least {least} streams)", ""]
        lines.append(_skip_table(ctx, page, kind, rates) if rates else "None streamed that often.")
    return lines


def _skip_table(ctx: Context, page: str, kind: str, rates: list[SkipRate]) -> str:
    header = [kind[:-1].capitalize(), "Streams", "Skips", "Skip rate"]
    align = "lrrr"
    if kind == "tracks":
        header.insert(1, "Artists")
        align = "llrrr"
    rows = []
    for r in rates:
        row = [entity_cell(ctx, page, kind, r.key)]
        if kind == "tracks":
            row.append(artists_cell(ctx, page, kind, r.key))
        row += [fmt_int(r.streams), fmt_int(r.skips), fmt_share(r.skips, r.streams)]
        rows.append(row)
    return table(header, align, rows)


def _forgotten(ctx: Context, page: str, stories: Stories) -> list[str]:
    lines = ["", "## Forgotten favourites", ""]
    everything = stories.period("all")
    if everything is None or (everything.last - everything.first).days < 366:
        return [
            *lines,
            "Your history covers less than a year, so nothing can have been forgotten for"
            f" one yet: {EXTENDED_HINT}.",
        ]
    lines.append(
        "Tracks you played at least 10 times, then not once in the year before your last play."
    )
    rows = [
        [
            entity_cell(ctx, page, "tracks", f.item.key),
            artists_cell(ctx, page, "tracks", f.item.key),
            fmt_minutes(f.item.ms),
            fmt_int(f.item.plays),
            str(f.peak_year),
            str(f.last),
        ]
        for f in stories.habits.forgotten
    ]
    header = ["Track", "Artists", "Minutes", "Plays", "Most played in", "Last heard"]
    return [*lines, "", table(header, "llrrll", rows) if rows else "None: you kept them all."]


def render_podcasts_page(ctx: Context) -> str:
    """Shows and episodes, audiobooks and chapters: minutes, streams and when."""
    stories, page = stories_of(ctx), PODCASTS_PAGE
    lines = ctx.head(page, "Podcasts & audiobooks")
    if not stories.podcasts:
        lines.append(
            "No podcast or audiobook plays in the imported history (the account data's"
            " `StreamingHistory_podcast_*.json` and the extended streaming history hold them)."
        )
    minute = sum(p.minute_streams for p in stories.podcasts)
    total = sum(p.streams for p in stories.podcasts)
    if total:
        lines.append(_podcast_sources(minute, total))
    for kind, title, group, part in (
        ("podcast", "Podcasts", "Show", "Episodes"),
        ("audiobook", "Audiobooks", "Audiobook", "Chapters"),
    ):
        rows = [p for p in stories.podcasts if p.kind == kind]
        if rows:
            lines += _podcast_tables(rows, title, group, part)
    lines += _footer(ctx, page, stories)
    return "\n".join(lines) + "\n"


def _podcast_sources(minute: int, total: int) -> str:
    if minute == total:
        return "From your account-data history (times to the minute)."
    if minute:
        return (
            f"From your extended streaming history and account data"
            f" ({fmt_int(minute)} of {fmt_int(total)} streams to the minute)."
        )
    return "From your extended streaming history."


def _podcast_tables(rows: list[PodcastTotal], title: str, group: str, part: str) -> list[str]:
    shows: dict[str, list[PodcastTotal]] = defaultdict(list)
    for row in rows:
        shows[row.show].append(row)
    ordered = sorted(shows.items(), key=lambda kv: (-sum(r.ms for r in kv[1]), kv[0].casefold()))
    show_rows = [
        [
            md_text(name or "(unnamed)"),
            fmt_int(len(episodes)),
            fmt_minutes(sum(r.ms for r in episodes)),
            fmt_int(sum(r.streams for r in episodes)),
            min(r.first for r in episodes)[:10],
            max(r.last for r in episodes)[:10],
        ]
        for name, episodes in ordered
    ]
    top = sorted(rows, key=lambda r: (-r.ms, r.show.casefold(), r.episode.casefold()))[:20]
    episode_rows = [
        [md_text(r.episode or "(unnamed)"), md_text(r.show), fmt_minutes(r.ms), fmt_int(r.streams)]
        for r in top
    ]
    return [
        "",
        f"## {title}",
        "",
        table([group, part, "Minutes", "Streams", "First", "Last"], "lrrrll", show_rows),
        "",
        f"### Most listened {part.lower()}",
        "",
        table([part[:-1], group, "Minutes", "Streams"], "llrr", episode_rows),
    ]


def artist_listening_lines(ctx: Context, page: str, artist_id: int) -> list[str]:
    """An artist page's listening story: first and last heard, and the first listen
    of each of the artist's tracks."""
    stories = ctx.stories
    if stories is None or not stories.has_history:
        return []
    habits = stories.habits
    first = habits.first_artist.get(artist_id)
    everything = stories.period("all")
    if first is None or everything is None:
        return []
    refs = np.array(stories.catalog.refs_of("artists", artist_id), np.int64)
    at = np.searchsorted(habits.refs, refs)
    firsts, lasts = habits.first_days[at], habits.last_days[at]
    order = np.lexsort((refs, firsts))
    streams = everything.totals["artists"].value(artist_id)
    lines = [
        "",
        "## Listening story",
        "",
        f"- **First heard:** {first.day}, {entity_cell(ctx, page, 'tracks', first.ref)}",
        f"- **Last heard:** {day_date(int(lasts.max()))}",
        f"- **Plays:** {fmt_int(streams[1])} (of {fmt_int(streams[2])} streams)",
    ]
    if stories.coverage.extended is None:
        lines.append(f"- *First heard within your account data; {EXTENDED_HINT}.*")
    total = everything.totals["tracks"]
    rows = []
    for i in order.tolist():
        ref = int(refs[i])
        ms, plays, _ = total.value(ref)
        rows.append(
            [
                entity_cell(ctx, page, "tracks", ref),
                str(day_date(int(firsts[i]))),
                str(day_date(int(lasts[i]))),
                fmt_int(plays),
                fmt_minutes(ms),
            ]
        )
    header = ["Track", "First heard", "Last heard", "Plays", "Minutes"]
    return [*lines, "", "### First listens", "", table(header, "lllrr", rows)]
