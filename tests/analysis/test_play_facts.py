"""Play facts on hand-made plays: local days and hours across time-zone changes,
per-period totals, skips, streaks and repeated days, checked against datetime."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linernotes.analysis.play_facts import PLAY_MS, compute_play_facts, zone_offsets
from linernotes.model import FWDBTN, MINUTE, PlayColumns


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def _columns(rows: list[tuple[str, int, int, int]]) -> PlayColumns:
    rows = sorted(rows)
    return PlayColumns(
        end=np.array([_epoch(r[0]) for r in rows], np.int64),
        ms=np.array([r[1] for r in rows], np.int64),
        ref=np.array([r[2] for r in rows], np.int64),
        flags=np.array([r[3] for r in rows], np.uint8),
        songs=(("Song", "Someone", "Album"),),
    )


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "UTC"])
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(946_684_800, 1_893_456_000), min_size=1, max_size=60))
def test_offsets_match_datetime_at_every_second(zone: str, epochs: list[int]) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    got = zone_offsets(np.array(sorted(epochs), np.int64), tz).tolist()
    want = [int(datetime.fromtimestamp(e, tz).utcoffset().total_seconds()) for e in sorted(epochs)]
    assert got == want


def test_offsets_are_exact_around_a_change_of_summer_time() -> None:
    tz = zoneinfo.ZoneInfo("Europe/Berlin")
    change = _epoch("2024-03-31T01:00:00")  # 02:00 CET becomes 03:00 CEST
    epochs = np.array([change - 3600, change - 1, change, change + 1], np.int64)
    assert zone_offsets(epochs, tz).tolist() == [3600, 3600, 7200, 7200]


def test_days_hours_periods_and_skips_in_the_persons_zone() -> None:
    plays = _columns(
        [
            # 23:30 UTC on New Year's Eve is 00:30 on 1 January in Berlin: a 2025 play.
            ("2024-12-31T23:30:00", 200_000, 7, 0),
            ("2024-12-31T12:00:00", 10_000, 7, 0),  # under 30 s: a skip, not a play
            ("2024-06-01T10:00:00", 120_000, 8, FWDBTN),  # a play and a skip
            ("2024-06-02T10:00:00", 60_000, 8, MINUTE),
            ("2024-06-03T10:00:00", 60_000, 8, 0),
            ("2024-06-03T11:00:00", 60_000, -1, 0),
        ]
    )
    facts = compute_play_facts(plays, zoneinfo.ZoneInfo("Europe/Berlin"))
    assert [p.key for p in facts.periods] == [
        "all",
        "2024",
        "2025",
        "last_4_weeks",
        "last_6_months",
    ]
    year = facts.period("2024")
    assert year is not None and year.totals.refs == [-1, 7, 8]
    assert year.totals.ms == [60_000, 10_000, 240_000]
    assert year.totals.plays == [1, 0, 3] and year.totals.skips == [0, 1, 1]
    assert facts.period("2025").totals.refs == [7]  # type: ignore[union-attr]
    recent = facts.period("last_4_weeks")
    assert recent is not None and recent.totals.refs == [7]
    # Saturday 1 June 2024, 12:00 in Berlin (10:00 UTC + 2 h of summer time).
    saturday_noon = 5 * 24 + 12
    assert facts.hour_ms[saturday_noon] == 120_000 and facts.hour_streams[saturday_noon] == 1
    assert sum(facts.day_minute_streams) == 1
    assert facts.streaks[0].ref == 8 and facts.streaks[0].days == 3
    assert [r.year for r in facts.repeat_days] == [2024, 2025]
    assert PLAY_MS == 30_000


def test_no_plays_give_empty_facts() -> None:
    facts = compute_play_facts(_columns([]), zoneinfo.ZoneInfo("UTC"))
    assert facts.periods == [] and facts.days == [] and facts.streaks == []
    assert facts.repeat_days == []
