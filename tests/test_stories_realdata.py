"""Listening stories from real exports (``$LINERNOTES_REALDATA``): an extended
history and an account-data history, each imported and built in a time zone
half an hour off UTC's hours, figures checked against the files read with json."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import pytest

from linernotes.config import Config, ListeningConfig
from linernotes.pipeline import build as build_atlas
from linernotes.sources.importer import import_paths
from linernotes.store import open_store
from tests import stories_expected as expected
from tests.atlas_check import check_site

ZONE = "Asia/Kolkata"  # UTC+5:30: local hours are not UTC's hours
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Case:
    folder: str
    pattern: str
    account: bool
    year: int
    source: str  # how the pages name the history


CASES = {
    "extended": Case(
        "Efrrowini__spotify-music-analysis", "Streaming_History_Audio_*.json", False, 2023,
        "your extended streaming history",
    ),
    "account-data": Case(
        "hobbies-w-erin__Spotify-Account-Data", "StreamingHistory_music_*.json", True, 2024,
        "your account-data history",
    ),
}  # fmt: skip


@pytest.fixture(scope="module", params=list(CASES), ids=list(CASES))
def built(request: pytest.FixtureRequest, realdata: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    case = CASES[request.param]
    folder = realdata / "spotify_export" / case.folder
    root = tmp_path_factory.mktemp(request.param)
    config = Config(listening=ListeningConfig(timezone=ZONE))
    with open_store(root / "library.db") as store:
        import_paths(store, [folder])
        build_atlas(store, config, root / "site")
    files = sorted(folder.rglob(case.pattern))
    zone = zoneinfo.ZoneInfo(ZONE)
    reader = expected.account_music if case.account else expected.extended_music
    return case, root / "site", reader(files, zone)


def test_the_atlas_links_and_tables_hold(built) -> None:  # type: ignore[no-untyped-def]
    _, site, _ = built
    report = check_site(site)
    assert report.broken == [] and report.outside == [] and report.bad_rows == []


def test_top_five_tracks_of_the_year(built) -> None:  # type: ignore[no-untyped-def]
    case, site, plays = built
    want = expected.top_tracks(plays, case.year, 5)
    text = (site / f"listening/top/{case.year}.md").read_text("utf-8")
    assert case.source in text
    rows = expected.table_after(text, "## Tracks", "### By minutes")[1:6]
    got = [(expected.unescape(r[1]).casefold(), expected.minutes(r[3])) for r in rows]
    assert got == [(title.casefold(), m) for title, m in want]


def test_hour_by_weekday_cells(built) -> None:  # type: ignore[no-untyped-def]
    _, site, plays = built
    cells = expected.hour_cells(plays)
    text = (site / "listening/when.md").read_text("utf-8")
    rows = {r[0]: r for r in expected.table_after(text, "## Hour × weekday")}
    for (day, hour), ms in sorted(cells.items(), key=lambda kv: -kv[1])[:5]:
        assert expected.minutes(rows[WEEKDAYS[day]][1 + hour]) == ms // 60_000


def test_first_listen_of_the_artists_with_a_page(built) -> None:  # type: ignore[no-untyped-def]
    _, site, plays = built
    checked = 0
    for page in sorted((site / "artists").glob("*/overview.md")):
        text = page.read_text("utf-8")
        name = expected.page_title(text)
        found = re.search(r"^- \*\*First heard:\*\* (\d{4}-\d{2}-\d{2})", text, re.M)
        if found and any(p.artist == name for p in plays):
            assert found.group(1) == expected.first_heard(plays, name), name
            checked += 1
    assert checked >= 1
