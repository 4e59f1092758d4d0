"""ReccoBeats: batches of Spotify ids, 429 with Retry-After, unknown ids absent."""

from __future__ import annotations

from pathlib import Path

from linernotes.model import AUDIO_FEATURES
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import Reply
from tests.sources.providers.helpers import dump, enrich, store_with


def test_features_come_in_batches_and_retries_follow_retry_after(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = sorted(demo_library.catalogue.tracks.values(), key=lambda t: t.spotify_id)[:90]
    fakes.reccobeats.fail(Reply(429, b'{"error": "Too Many Requests"}', {"Retry-After": "0"}))
    with store_with(tmp_path / "lib.db", tracks) as store:
        run = enrich(store, fakes.config(), tmp_path / "cache", ["reccobeats"]).runs[0]
        rows = {r[0]: r for r in dump(store.conn)["audio_features"]}
    batches = [len(r.param("ids").split(",")) for r in fakes.reccobeats.requests]
    assert batches == [40, 40, 40, 10]  # the 429 answer, then 90 ids in batches of 40
    assert fakes.reccobeats.replies == [429, 200, 200, 200]
    with_features = [t for t in tracks if t.features]
    assert (run.found, run.not_found) == (len(with_features), len(tracks) - len(with_features))
    for track in with_features:
        row = rows[track.spotify_id]
        stored = dict(zip(AUDIO_FEATURES, row[2:], strict=True))
        expected = {k: v for k, v in track.features.items() if k != "time_signature"}
        assert {k: stored[k] for k in expected} == expected
        assert stored["time_signature"] is None  # ReccoBeats has none
        assert row[1] == "reccobeats"
