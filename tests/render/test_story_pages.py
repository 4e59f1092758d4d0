"""Listening pages on the hand-made fixture library with a few invented plays: names
escaped, every table row as wide as its header, charts that follow the theme."""

from __future__ import annotations

import zoneinfo
from dataclasses import replace

import numpy as np
import pytest

from linernotes.analysis.play_facts import compute_play_facts
from linernotes.analysis.stories import build_stories
from linernotes.model import PlayColumns
from linernotes.render.context import Context
from linernotes.render.habit_pages import artist_listening_lines, render_habits_page
from linernotes.render.listening_pages import render_listening_index, render_top_page
from linernotes.render.plan import plan_stories
from linernotes.render.story_charts import bar_chart_svg, clock_svg, heatmap_svg
from linernotes.render.year_pages import render_year_page
from tests import library_fixture
from tests.atlas_check import SEPARATOR, split_row
from tests.library_fixture import HOSTILE_ARTIST, HOSTILE_TRACK

DAY = 86_400
START = 1_704_067_200  # 2024-01-01T00:00:00Z


@pytest.fixture(scope="module")
def ctx() -> Context:
    built = library_fixture.build()
    # Track 1 (hostile name, by the hostile artist) most, on three days in a row.
    refs = [1, 1, 1, 5, 5, 2, -1]
    ends = [START + 10 * 3600 + d * DAY for d in range(7)]
    plays = PlayColumns(
        end=np.array(ends, np.int64),
        ms=np.array([600_000, 600_000, 600_000, 200_000, 10_000, 90_000, 60_000], np.int64),
        ref=np.array(refs, np.int64),
        flags=np.zeros(7, np.uint8),
        songs=(("Only | in history", "Nobody <b>", ""),),
    )
    facts = compute_play_facts(plays, zoneinfo.ZoneInfo("UTC"))
    config = built.ctx.config
    stories = build_stories(facts, built.analysis.library, [], {}, config)
    plan_stories(built.plan, stories)
    return replace(built.ctx, stories=stories)


def _check_tables(text: str) -> None:
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        if lines[i].startswith("|") and SEPARATOR.match(lines[i + 1]):
            width = len(split_row(lines[i]))
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert len(split_row(lines[j])) == width, lines[j]
                j += 1


def test_top_lists_rank_and_escape(ctx: Context) -> None:
    assert ctx.stories is not None
    period = ctx.stories.period("2024")
    assert period is not None
    text = render_top_page(ctx, period)
    _check_tables(text)
    first = next(line for line in text.split("\n") if line.startswith("| 1 |"))
    assert "Pipe \\| &lt;b&gt;bold&lt;/b&gt;" in first and "| 30 | 3 |" in first
    assert HOSTILE_TRACK not in text and HOSTILE_ARTIST not in text
    assert "Only \\| in history" in text and "Nobody &lt;b&gt;" in text


def test_index_habits_year_and_artist_pages(ctx: Context) -> None:
    assert ctx.stories is not None
    for text in (
        render_listening_index(ctx),
        render_habits_page(ctx),
        render_year_page(ctx, ctx.stories.years[0]),
    ):
        _check_tables(text)
        assert "<script>" not in text
    habits = render_habits_page(ctx)
    assert "| 3 | 2024-01-01 | 2024-01-03 |" in habits  # track 1, three days in a row
    lines = "\n".join(artist_listening_lines(ctx, "artists/x/overview.md", 1))
    assert "- **First heard:** 2024-01-01" in lines


def test_charts_follow_the_colour_scheme() -> None:
    for svg in (
        bar_chart_svg([("a", 1), ("b", 3)], title="t"),
        heatmap_svg([[1] * 24] * 7, title="t"),
        clock_svg(list(range(24)), title="t"),
    ):
        assert "prefers-color-scheme: dark" in svg and "currentColor" in svg
        assert "<title>" in svg and 'fill="#fff' not in svg and "background" not in svg
