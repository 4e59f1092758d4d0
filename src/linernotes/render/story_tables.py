"""What the listening pages share: the cell of an entity of a top list (linked where
it has a page), top-list tables, and the line saying which history a figure
comes from and what period it covers."""

from __future__ import annotations

from collections.abc import Sequence

from linernotes.analysis.stories import Coverage, Period, Stories
from linernotes.analysis.tops import ALBUM_SEPARATOR, Item, Key
from linernotes.errors import BuildError
from linernotes.render.context import Context
from linernotes.render.markdown import fmt_int, fmt_minutes, md_text, table

SINGULAR = {
    "tracks": "Track",
    "albums": "Album",
    "artists": "Artist",
    "genres": "Genre",
    "labels": "Label",
}
MEASURE_NOTE = (
    "Minutes = time listened (music only; a skipped track counts for the time it ran)."
    " Plays = streams of 30 seconds or more, as Spotify counts a stream. A play"
    " belongs to the day and hour it ended, in your time zone ({zone})."
)
EXTENDED_HINT = (
    "the extended streaming history (Spotify: Account privacy → Download your data →"
    " *Extended streaming history*) has every play since your account began, to the second"
)
NO_HISTORY = (
    "No listening history imported. Import the account data (`StreamingHistory_music_*.json`:"
    f" the last year, to the minute) or, better, {EXTENDED_HINT}"
    " (`Streaming_History_Audio_*.json`)."
)


def stories_of(ctx: Context) -> Stories:
    """The build's stories (the story pages are planned only when there are some)."""
    if ctx.stories is None:
        raise BuildError("listening pages were planned for a build without stories")
    return ctx.stories


def entity_cell(ctx: Context, page: str, kind: str, key: Key) -> str:
    """The name of a top-list entity, linked to its page when it has one."""
    if kind == "artists":
        return ctx.artist_link(page, key) if isinstance(key, int) else md_text(key)
    if kind == "genres":
        return ctx.genres_cell(page, [str(key)])
    if kind == "labels":
        return ctx.label_link(page, str(key))
    return md_text(stories_of(ctx).catalog.name(kind, key))


def artists_cell(ctx: Context, page: str, kind: str, key: Key) -> str:
    """Who a track or album is by: library artists linked, names from the history as text."""
    catalog = stories_of(ctx).catalog
    artists: Sequence[Key]
    if kind == "tracks" and isinstance(key, int):
        artists = catalog.artists_of(key)
    elif isinstance(key, int):
        artists = list(dict.fromkeys(ctx.library.albums[key].artist_ids))
    else:
        artists = [key.split(ALBUM_SEPARATOR)[1]] if ALBUM_SEPARATOR in key else []
    return ", ".join(
        ctx.artist_link(page, a) if isinstance(a, int) else md_text(a) for a in artists if a
    )


def top_table(ctx: Context, page: str, kind: str, items: Sequence[Item], measure: str) -> str:
    """Numbered rows of a top list: the entity (and its artists), minutes and plays,
    the column ranked by first."""
    header = ["#", SINGULAR[kind]]
    by_artist = kind in ("tracks", "albums")
    if by_artist:
        header.append("Artists")
    numbers = ["Minutes", "Plays"] if measure == "minutes" else ["Plays", "Minutes"]
    rows = []
    for i, item in enumerate(items, start=1):
        row = [str(i), entity_cell(ctx, page, kind, item.key)]
        if by_artist:
            row.append(artists_cell(ctx, page, kind, item.key))
        values = {"Minutes": fmt_minutes(item.ms), "Plays": fmt_int(item.plays)}
        rows.append(row + [values[n] for n in numbers])
    return table(header + numbers, "r" + "l" * (len(header) - 1) + "rr", rows)


def coverage_line(coverage: Coverage, zone: str) -> str:
    """Which history the figures come from, over which days (in the person's zone)."""
    parts = []
    if coverage.extended:
        span = coverage.extended
        parts.append(
            f"your extended streaming history ({span.first} to {span.last},"
            f" {fmt_int(span.streams)} streams)"
        )
    if coverage.account:
        span = coverage.account
        parts.append(
            f"your account-data history (times to the minute; {span.first} to {span.last},"
            f" {fmt_int(span.streams)} streams)"
        )
    if not parts:
        return "No plays in this period."
    return f"From {' and '.join(parts)}; days in {md_text(zone)} time."


def period_of(stories: Stories, key: str) -> Period:
    """A period the plan has a page for (:class:`BuildError` if the stories lack it)."""
    period = stories.period(key)
    if period is None:
        raise BuildError(f"no listening period {key!r} for a planned page")
    return period


def measure_note(stories: Stories) -> str:
    return MEASURE_NOTE.format(zone=md_text(stories.zone))
