"""The library-wide indexes: an entity's playlists found from its tracks."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

from linernotes.analysis.atlas import Analysis
from linernotes.model import Playlist, PlaylistEntry
from tests.library_fixture import build


def _brute_force(playlists: list[Playlist], tracks: set[int]) -> Counter[int]:
    """Every playlist scanned: how many distinct ``tracks`` its entries hold."""
    counts: Counter[int] = Counter()
    for playlist in playlists:
        held = {e.track_id for e in playlist.entries if e.track_id is not None}
        if held & tracks:
            counts[playlist.id] = len(held & tracks)
    return counts


def test_every_entity_of_the_fixture_finds_its_playlists() -> None:
    analysis = build().analysis
    playlists = analysis.library.playlists
    groups = [
        *analysis.tracks_by_artist.values(),
        *analysis.tracks_by_label.values(),
        *analysis.tracks_by_genre.values(),
    ]
    assert len(groups) > 10
    for ids in groups:
        assert analysis.playlists_with(ids) == _brute_force(playlists, set(ids))
    everything = analysis.playlists_with(analysis.library.tracks)
    assert everything == {1: 36, 2: 12}


def _random_analysis(seed: int) -> Analysis:
    rnd = random.Random(seed)
    analysis = build().analysis
    track_ids = sorted(analysis.library.tracks)
    playlists = []
    for pid in range(1, 40):
        chosen = tuple(rnd.sample(track_ids, rnd.randint(0, len(track_ids))))
        entries = tuple(PlaylistEntry("track", t, "", None) for t in chosen)
        # An episode is no track; a track listed twice counts once.
        entries += (PlaylistEntry("episode", None, "Talk", None),)
        entries += tuple(PlaylistEntry("track", t, "", None) for t in chosen[:2])
        playlists.append(Playlist(pid, f"name:{pid}", f"P{pid}", None, None, None, entries, chosen))
    library = dataclasses.replace(analysis.library, playlists=playlists)
    return dataclasses.replace(analysis, library=library)


def test_random_playlists_agree_with_a_scan_of_every_playlist() -> None:
    for seed in range(5):
        analysis = _random_analysis(seed)
        rnd = random.Random(seed)
        ids = sorted(analysis.library.tracks)
        for _ in range(30):
            tracks = rnd.sample(ids, rnd.randint(0, 12))
            expected = _brute_force(analysis.library.playlists, set(tracks))
            assert analysis.playlists_with(tracks + tracks[:3]) == expected
        index = analysis.playlists_by_track
        memberships = sum(len(p.track_ids) for p in analysis.library.playlists)
        assert sum(len(v) for v in index.values()) == memberships
        assert set(analysis.playlists_by_id) == {p.id for p in analysis.library.playlists}
