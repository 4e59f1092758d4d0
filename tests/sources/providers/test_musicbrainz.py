"""MusicBrainz: 1 request/s, ISRC → recording → release labels, genres, no second asking."""

from __future__ import annotations

import itertools
import re
import statistics
from pathlib import Path

import pytest

from tests.sources.providers.catalogue import mbid
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import (
    ARRIVAL_JITTER_FLOOR,
    MB_RATE_LIMITED,
    MusicBrainzFake,
    Reply,
    serving,
)
from tests.sources.providers.helpers import enrich, store_with


def _album_pair(demo_library: DemoLibrary) -> list:
    """Two tracks of one album by one artist (the release and artist are asked once)."""
    tracks = demo_library.catalogue.tracks.values()
    by_album: dict[str, list] = {}
    for track in tracks:
        if len(track.artists) == 1 and track.genres:
            by_album.setdefault(track.album_id, []).append(track)
    return next(pair[:2] for pair in by_album.values() if len(pair) >= 2)


@pytest.mark.slow
def test_musicbrainz_is_never_asked_faster_than_once_a_second(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    pair = _album_pair(demo_library)
    strict = MusicBrainzFake(demo_library.catalogue, strict_rate=True)
    with serving(strict, "/ws/2/"), store_with(tmp_path / "lib.db", pair) as store:
        config = fakes.config(fast=False, musicbrainz_base=strict.base_url)
        assert config.musicbrainz_rate == 1.0  # the default, MusicBrainz's published rate
        report = enrich(store, config, tmp_path / "cache", ["musicbrainz"])
        times = [r.at for r in strict.requests]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) >= 5, strict.requests
        print(f"MusicBrainz: {len(times)} requests, gaps {min(gaps):.3f}-{max(gaps):.3f} s")
        assert min(gaps) >= ARRIVAL_JITTER_FLOOR, gaps
        assert statistics.median(gaps) >= 1.0, gaps
        assert 503 not in strict.replies
        assert report.runs[0].found == 2
        # A second run asks nothing: every value is on record, with its lookup.
        asked = len(strict.requests)
        again = enrich(store, config, tmp_path / "cache", ["musicbrainz"])
        assert len(strict.requests) == asked
        assert again.runs[0].planned == 0 and again.requests == 0


def test_a_503_from_musicbrainz_is_waited_out_and_the_lookup_goes_on(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    pair = _album_pair(demo_library)
    fakes.musicbrainz.fail(Reply(503, MB_RATE_LIMITED), times=2, match="/recording/")
    with store_with(tmp_path / "lib.db", pair) as store:
        run = enrich(store, fakes.config(), tmp_path / "cache", ["musicbrainz"]).runs[0]
        labels = {row[0] for row in store.conn.execute("SELECT name FROM labels")}
    assert (run.found, run.stopped) == (2, None)
    assert fakes.musicbrainz.replies.count(503) == 2
    assert labels == set(re.split(r", |/", pair[0].label))
    # The compilation listed first was never taken for the album; both tracks share
    # one release: asked once, then answered by the cache.
    released = [r.path for r in fakes.musicbrainz.requests if "/release/" in r.path]
    assert released == [f"/ws/2/release/{mbid('release', pair[0].album_id)}"]
