"""A demo library above the default size: more and bigger playlists, longer history.

Counts are read back from the written files with plain ``json``.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from linernotes.demo import DemoLayout, generate_demo

pytestmark = pytest.mark.slow
TRACKS = 6000


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> DemoLayout:
    return generate_demo(tmp_path_factory.mktemp("large"), tracks=TRACKS, plays=6000, years=10)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _playlist_sizes(layout: DemoLayout) -> list[int]:
    sizes = []
    for path in sorted(layout.account_dir.glob("Playlist*.json")):
        sizes += [len(p["items"]) for p in _json(path)["playlists"]]
    return sizes


def test_a_bigger_library_has_about_one_playlist_per_fifty_tracks(large: DemoLayout) -> None:
    sizes = _playlist_sizes(large)
    # 20 playlists for the first 2,000 tracks, then about one per 49 tracks.
    assert 95 <= len(sizes) <= 110
    assert 30 <= statistics.median(sizes) <= 150
    assert any(8 <= size <= 15 for size in sizes)
    assert max(sizes) >= TRACKS // 10  # one "everything" playlist (at most a tenth here)
    assert sum(size >= 300 for size in sizes) >= 5


def test_a_ten_year_history_starts_ten_years_before_mid_2026(large: DemoLayout) -> None:
    years = set()
    for path in large.extended_dir.glob("Streaming_History_Audio_*.json"):
        years |= {row["ts"][:4] for row in _json(path)}
    assert min(years) == "2016"
    assert max(years) == "2026"
    assert len(years) == 11
