"""Listening stories on the demo atlas: figures checked against the export files
(read with plain json, see ``stories_expected``), every story page reachable
from home, and a rebuild that reuses the cached facts of the plays."""

from __future__ import annotations

import json
import re
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from linernotes.analysis.play_facts import compute_play_facts
from linernotes.config import Config
from linernotes.pipeline import FACTS_CACHE
from linernotes.pipeline import build as build_atlas
from linernotes.store import open_store
from linernotes.store.listening import read_play_columns
from tests import stories_expected as expected
from tests.atlas_check import LINK

pytestmark = pytest.mark.slow
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _plays(demo: dict[str, Any], zone: zoneinfo.ZoneInfo) -> list[expected.Play]:
    files = sorted(demo["layout"].extended_dir.glob("Streaming_History_Audio_*.json"))
    return expected.extended_music(files, zone)


def _zone() -> zoneinfo.ZoneInfo:
    return Config().listening.zone()  # the demo atlas is built with the defaults


def test_top_five_tracks_of_2024_by_minutes(demo_build: dict) -> None:
    want = expected.top_tracks(_plays(demo_build, _zone()), 2024, 5)
    text = (demo_build["site"] / "listening/top/2024.md").read_text("utf-8")
    rows = expected.table_after(text, "## Tracks", "### By minutes")[1:6]
    assert [(expected.unescape(r[1]), expected.minutes(r[3])) for r in rows] == want


def test_an_hour_by_weekday_cell(demo_build: dict) -> None:
    cells = expected.hour_cells(_plays(demo_build, _zone()))
    (day, hour), ms = max(cells.items(), key=lambda kv: kv[1])
    text = (demo_build["site"] / "listening/when.md").read_text("utf-8")
    rows = {r[0]: r for r in expected.table_after(text, "## Hour × weekday")}
    assert expected.minutes(rows[WEEKDAYS[day]][1 + hour]) == ms // 60_000
    quiet = min(cells, key=lambda c: cells[c])
    assert expected.minutes(rows[WEEKDAYS[quiet[0]]][1 + quiet[1]]) == cells[quiet] // 60_000


def test_hour_cells_follow_another_time_zone(demo_build: dict) -> None:
    zone = zoneinfo.ZoneInfo("America/New_York")
    cells = expected.hour_cells(_plays(demo_build, zone))
    with open_store(demo_build["db"]) as store:
        facts = compute_play_facts(read_play_columns(store.conn), zone)
    assert {(i // 24, i % 24): ms for i, ms in enumerate(facts.hour_ms) if ms} == dict(cells)


def test_first_listen_of_an_artist(demo_build: dict) -> None:
    plays = _plays(demo_build, _zone())
    site = demo_build["site"]
    checked = 0
    for page in sorted((site / "artists").glob("*/overview.md"))[:40]:
        text = page.read_text("utf-8")
        name = expected.page_title(text)
        found = re.search(r"^- \*\*First heard:\*\* (\d{4}-\d{2}-\d{2}), (.*)$", text, re.M)
        credited = [p for p in plays if p.artist == name]
        if not found or not credited:
            continue
        # The history names a track's main artist; the library may also credit a
        # featured artist, so the page's date is never later than the history's.
        first = expected.first_heard(plays, name)
        assert found.group(1) <= first, name
        if found.group(1) == first:
            checked += 1
    assert checked >= 20


def test_every_story_page_is_reached_from_home(demo_build: dict) -> None:
    site = demo_build["site"].resolve()
    seen, todo = set(), [site / "README.md"]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".md":
            continue
        seen.add(page)
        for target in LINK.findall(page.read_text("utf-8")):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                todo.append((page.parent / unquote(target.split("#")[0])).resolve())
    stories = {p.resolve() for p in (site / "listening").rglob("*.md")}
    stories |= {p.resolve() for p in (site / "liked").rglob("*.md")}
    assert len(stories) >= 15
    assert stories <= seen


def test_liked_songs_page_and_clusters(demo_build: dict) -> None:
    layout = demo_build["layout"]
    library = json.loads((layout.account_dir / "YourLibrary.json").read_text("utf-8"))
    liked = {t["uri"] for t in library["tracks"]}
    site = demo_build["site"]
    text = (site / "liked/README.md").read_text("utf-8")
    assert f"- **Tracks:** {len(liked):,}" in text
    clusters = (site / "liked/clusters/README.md").read_text("utf-8")
    sizes = [int(n) for n in re.findall(r"^(\d+) tracks?$", clusters, re.M)]
    assert sum(sizes) == len(liked)
    assert clusters.startswith("# Clusters in Liked Songs\n")


def test_podcast_minutes(demo_build: dict) -> None:
    ms: dict[str, int] = {}
    seen = set()
    for path in sorted(demo_build["layout"].extended_dir.glob("Streaming_History_Audio_*.json")):
        for row in json.loads(path.read_text("utf-8")):
            key = (row["ts"], row["ms_played"], row.get("episode_name"))
            if row.get("episode_show_name") and key not in seen:
                seen.add(key)
                ms[row["episode_show_name"]] = (
                    ms.get(row["episode_show_name"], 0) + row["ms_played"]
                )
    text = (demo_build["site"] / "listening/podcasts.md").read_text("utf-8")
    rows = expected.table_after(text, "## Podcasts")[1:]
    assert {expected.unescape(r[0]): expected.minutes(r[2]) for r in rows} == {
        show: total // 60_000 for show, total in ms.items()
    }


def test_a_rebuild_reuses_the_facts_of_the_plays(
    demo_build: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (demo_build["db"].parent / FACTS_CACHE).is_file()

    def unexpected(*args: object) -> None:
        raise AssertionError("the plays were read again")

    monkeypatch.setattr("linernotes.pipeline.read_play_columns", unexpected)
    with open_store(demo_build["db"]) as store:
        build_atlas(store, Config(), tmp_path / "again")
    again = (tmp_path / "again/listening/README.md").read_bytes()
    assert again == (demo_build["site"] / "listening/README.md").read_bytes()
