"""Deezer: quota error code 4 stops cleanly and resumes; "no data" is remembered."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import DEEZER_QUOTA, Reply
from tests.sources.providers.helpers import dump, enrich, store_with


def _tracks(demo_library: DemoLibrary, count: int) -> list:
    return sorted(demo_library.catalogue.tracks.values(), key=lambda t: t.isrc)[:count]


def test_quota_error_stops_cleanly_and_the_next_run_ends_where_an_uninterrupted_one_does(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = _tracks(demo_library, 12)
    config = fakes.config()
    with store_with(tmp_path / "reference.db", tracks) as store:
        enrich(store, config, tmp_path / "cache-reference", ["deezer"])
        reference = dump(store.conn)

    fakes.deezer.fail(Reply(200, DEEZER_QUOTA), times=None, after=9)
    with store_with(tmp_path / "lib.db", tracks) as store:
        report = enrich(store, config, tmp_path / "cache", ["deezer", "reccobeats"])
        deezer, recco = report.runs
        assert deezer.stopped and "Quota limit exceeded (code 4)" in deezer.stopped
        assert 0 < deezer.done < deezer.planned == len(tracks)
        assert recco.stopped is None and recco.done == len(tracks)  # the others go on
        first = {r[0] for r in dump(store.conn)["track_lookups"] if r[1] == "deezer"}
        assert len(first) == deezer.done

        fakes.deezer.clear_faults()
        asked_before = len(fakes.deezer.requests)
        again = enrich(store, config, tmp_path / "cache", ["deezer"])
        assert again.runs[0].stopped is None
        assert again.runs[0].planned == len(tracks) - len(first)
        asked = [r.path for r in fakes.deezer.requests[asked_before:]]
        done_isrcs = {t.isrc for t in tracks if t.spotify_id in first}
        assert not any(path.endswith(tuple(done_isrcs)) for path in asked)
        resumed = dump(store.conn)
    assert {k: [r for r in v if "reccobeats" not in r] for k, v in resumed.items()} == reference


def test_no_data_is_remembered_in_the_store_and_in_the_http_cache(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    known = _tracks(demo_library, 3)
    unknown = dataclasses.replace(
        known[0], isrc="ZZX990000001", spotify_id="0" * 21 + "Z", name="Nobody Knows"
    )
    config = fakes.config()
    with store_with(tmp_path / "lib.db", [*known, unknown]) as store:
        first = enrich(store, config, tmp_path / "cache", ["deezer"]).runs[0]
        assert (first.found, first.not_found) == (3, 1)
        asked = len(fakes.deezer.requests)
        second = enrich(store, config, tmp_path / "cache", ["deezer"])
        assert second.runs[0].planned == 0 and len(fakes.deezer.requests) == asked
        # Even with the lookups forgotten, every answer (the "no data" too) is in the cache.
        with store.transaction() as conn:
            conn.execute("DELETE FROM track_lookups")
        third = enrich(store, config, tmp_path / "cache", ["deezer"]).runs[0]
        assert third.planned == 4 and third.requests == 0 and third.not_found == 1
        assert len(fakes.deezer.requests) == asked
        labels = dump(store.conn)["album_labels"]
        assert {row[2] for row in labels} == {t.label for t in known}


def test_an_unreadable_answer_skips_the_track_until_the_next_run(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = _tracks(demo_library, 3)
    fakes.deezer.fail(Reply(200, b'{"id": "not a number", "album": []}'), match=tracks[1].isrc)
    with store_with(tmp_path / "lib.db", tracks) as store:
        first = enrich(store, fakes.config(), tmp_path / "cache", ["deezer"]).runs[0]
        assert (first.found, first.unreadable, first.stopped) == (2, 1, None)
        second = enrich(store, fakes.config(), tmp_path / "cache", ["deezer"]).runs[0]
        assert (second.planned, second.found) == (1, 1)  # asked again, answered this time
