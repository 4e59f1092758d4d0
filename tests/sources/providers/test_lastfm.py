"""Last.fm: enabled by a key, tags that are genres, the key kept out of the cache."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import msgspec
import pytest

from linernotes.config import ProvidersConfig
from linernotes.sources.providers import chosen_providers
from linernotes.sources.providers.base import ProviderError
from linernotes.sources.providers.lastfm import Answer, genre_tags
from tests.sources.providers.conftest import DemoLibrary, Fakes
from tests.sources.providers.fakes import LASTFM_KEY, LASTFM_RATE_LIMIT, Reply
from tests.sources.providers.helpers import dump, enrich, store_with


def test_a_key_enables_lastfm_and_asking_without_one_is_one_clear_error() -> None:
    assert "lastfm" not in chosen_providers(ProvidersConfig())
    assert "lastfm" in chosen_providers(ProvidersConfig(lastfm_api_key="k"))
    assert "lastfm" not in chosen_providers(ProvidersConfig(enabled=("lastfm", "deezer")))
    with pytest.raises(ProviderError, match="lastfm_api_key"):
        chosen_providers(ProvidersConfig(), ["lastfm"])
    with pytest.raises(ProviderError, match="unknown provider spotify"):
        chosen_providers(ProvidersConfig(), ["spotify"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "toptags": {
                    "tag": [
                        {"count": 100, "name": "Hard Rock"},
                        {"count": 58, "name": "seen live"},
                        {"count": 40, "name": "80s"},
                        {"count": 30, "name": "AC/DC"},
                        {"count": 20, "name": "hard  rock"},
                        {"count": 12, "name": "blues rock"},
                        {"count": 4, "name": "rock n roll"},
                    ]
                }
            },
            ("Hard Rock", "blues rock"),
        ),
        ({"toptags": {"tag": {"name": "electronic", "count": "100"}}}, ("electronic",)),
        (
            {"toptags": {"tag": [{"name": "ambient", "count": "50"}, {"name": "x", "count": "2"}]}},
            ("ambient",),
        ),
        ({"toptags": {"#text": "\n", "artist": "Jamie Ryan"}}, ()),
        ({"toptags": {"tag": [], "@attr": {"artist": "Metallica"}}}, ()),
        ({"toptags": {"tag": [{"name": "Nu Metal"}, {"name": "rock"}]}}, ("Nu Metal", "rock")),
    ],
    ids=["filtered", "single-object", "string-counts", "empty-text", "empty-list", "no-counts"],
)
def test_genre_tags(body: dict, expected: tuple[str, ...]) -> None:
    answer = msgspec.json.decode(json.dumps(body), type=Answer)
    assert genre_tags(answer, "AC/DC", "Hells Bells") == expected


def test_track_and_artist_tags_become_genres_and_the_key_stays_out_of_the_cache(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    track = next(
        t
        for t in demo_library.catalogue.tracks.values()
        if len(t.genres) >= 2 and len(t.artists) == 1
    )
    fakes.lastfm.fail(Reply(429, LASTFM_RATE_LIMIT, {"Retry-After": "0"}))
    with store_with(tmp_path / "lib.db", [track]) as store:
        run = enrich(
            store, fakes.config(lastfm_api_key=LASTFM_KEY), tmp_path / "cache", ["lastfm"]
        ).runs[0]
        assert run.found == 1 and run.stopped is None
        rows = dump(store.conn)
    assert [r[1] for r in sorted(rows["track_genres"], key=lambda r: r[2])] == list(track.genres)
    assert [r[2] for r in sorted(rows["artist_genres"], key=lambda r: r[3])] == list(
        demo_library.catalogue.artist_genres[track.artists[0].spotify_id]
    )
    methods = [r.param("method") for r in fakes.lastfm.requests]
    assert methods == ["track.getTopTags", "track.getTopTags", "artist.getTopTags"]
    assert all(r.param("api_key") == LASTFM_KEY for r in fakes.lastfm.requests)
    with sqlite3.connect(tmp_path / "cache" / "lastfm.sqlite") as cache:
        stored = b"".join(
            bytes(v) if isinstance(v, bytes) else str(v).encode()
            for row in cache.execute("SELECT * FROM responses")
            for v in row
        )
    assert stored and LASTFM_KEY.encode() not in stored


def test_a_refused_key_stops_lastfm_only(
    demo_library: DemoLibrary, fakes: Fakes, tmp_path: Path
) -> None:
    tracks = list(demo_library.catalogue.tracks.values())[:3]
    config = fakes.config(lastfm_api_key="wrong", source_order=("lastfm", "deezer"))
    with store_with(tmp_path / "lib.db", tracks) as store:
        report = enrich(store, config, tmp_path / "cache", ["deezer", "lastfm"])
    lastfm, deezer = report.runs
    assert deezer.stopped is None and deezer.found == 3
    assert lastfm.stopped and "Invalid API key" in lastfm.stopped and lastfm.done == 0
