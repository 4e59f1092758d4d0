"""The edge types: real answers of every era decode, 2026 answers with missing fields
never crash, and the fake serves what the 2026 OpenAPI spec describes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linernotes.errors import AnswerError
from linernotes.sources.http import decode
from linernotes.sources.spotify.shapes import (
    AlbumObject,
    ArtistObject,
    FollowedArtists,
    Page,
    PlayHistoryObject,
    PlaylistObject,
    PlaylistTrackObject,
    SavedTrackObject,
    TrackObject,
    album_ref,
    artist_ref,
    playlist_item,
    track_record,
)
from tests.sources.spotify.fake_library import (
    Entry,
    artist_full,
    generate_library,
    playlist_entry,
    playlist_simple,
    track_full,
)

API = "https://api.spotify.com/v1"


def _web_api(realdata: Path, name: str) -> Any:
    return json.loads((realdata / "web_api" / name).read_text(encoding="utf-8"))


# -- real answers (older shapes) ---------------------------------------------------------


def test_playlist_items_with_episodes_under_the_old_track_key(realdata: Path) -> None:
    page = decode(
        _web_api(realdata, "zmb3-spotify/playlist_items_episodes_and_tracks.json"), Page, "test"
    )
    items = [playlist_item(e) for e in page.entries(PlaylistTrackObject)]
    kinds = [i.kind for i in items if i is not None]
    assert kinds == ["episode", "episode", "track", "track"]
    track = next(i.track for i in items if i is not None and i.kind == "track")
    assert track is not None and track.album is not None
    assert track.album.image_url and track.album.image_url.startswith("https://i.scdn.co/")
    assert track.spotify_id and len(track.spotify_id) == 22 and track.isrc


def test_html_escaped_next_link_gives_the_next_offset(realdata: Path) -> None:
    page = decode(_web_api(realdata, "rrosenlof-spotify-json/2020-playlist.json"), Page, "test")
    assert page.next_offset() == 100
    tracks = [playlist_item(e) for e in page.entries(PlaylistTrackObject)]
    assert len([t for t in tracks if t is not None]) >= 90


def test_saved_tracks_followed_artists_and_recently_played(realdata: Path) -> None:
    saved = decode(
        _web_api(realdata, "JMPerez-spotify-web-api-js/user_saved_tracks.json"), Page, "t"
    )
    records = [track_record(s.track) for s in saved.entries(SavedTrackObject) if s.track]
    assert len(records) == 20 and all(r is not None and r.spotify_id for r in records)
    assert saved.next_offset() == 20
    follows = decode(
        _web_api(realdata, "JMPerez-spotify-web-api-js/followed_artists.json"), FollowedArtists, "t"
    )
    assert follows.artists is not None and follows.artists.next_cursor() == "1MbqzxZvHtdClX1cBKU2OG"
    artists = [artist_ref(a) for a in follows.artists.entries(ArtistObject)]
    assert artists and all(a is not None and a.spotify_id for a in artists)
    recent = decode(_web_api(realdata, "zmb3-spotify/player_recently_played.json"), Page, "t")
    plays = list(recent.entries(PlayHistoryObject))
    assert plays and all(p.played_at and p.track and track_record(p.track) for p in plays)


def test_release_date_as_an_object_of_the_early_api(realdata: Path) -> None:
    album = decode(_web_api(realdata, "JMPerez-spotify-web-api-js/album.json"), AlbumObject, "t")
    ref = album_ref(album)
    assert ref is not None and ref.release_date == "1983"


def test_a_playlist_listing_of_the_old_shape(realdata: Path) -> None:
    page = decode(
        _web_api(realdata, "spotify-web-api-java/GetListOfCurrentUsersPlaylistsRequest.json"),
        Page,
        "t",
    )
    playlists = list(page.entries(PlaylistObject))
    assert [p.total for p in playlists] == [30, 58]
    assert playlists[0].owner is not None and playlists[0].owner.id == "wizzler"


def test_every_saved_answer_decodes_without_error(realdata: Path) -> None:
    folder = realdata / "web_api"
    checked = 0
    for path in sorted(folder.glob("*/*.json")):
        if path.parent.name == "errors":
            continue
        raw = json.loads(path.read_text(encoding="utf-8"))
        page = decode(raw, Page, path.name)
        for kind in (TrackObject, PlaylistTrackObject, SavedTrackObject, PlayHistoryObject):
            for entry in page.entries(kind):
                _records_of(entry)
        for key in ("tracks", "artists", "albums"):
            if isinstance(raw.get(key), list):
                for entry in Page(items=raw[key]).entries(TrackObject):
                    _records_of(entry)
        kind = {"track": TrackObject, "album": AlbumObject, "artist": ArtistObject}.get(
            raw.get("type", "")
        )
        if kind is not None:
            _records_of(decode(raw, kind, path.name))
        checked += 1
    assert checked > 40


def _records_of(entry: object) -> None:
    if isinstance(entry, TrackObject):
        track_record(entry)
    elif isinstance(entry, AlbumObject):
        assert album_ref(entry) is not None
    elif isinstance(entry, ArtistObject):
        assert artist_ref(entry) is not None
    elif isinstance(entry, PlaylistTrackObject):
        playlist_item(entry)
    elif isinstance(entry, SavedTrackObject | PlayHistoryObject) and entry.track:
        track_record(entry.track)


# -- the 2026 shapes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    library = generate_library()
    playlist = library.playlists[3]  # has an episode, a local file and a null entry
    track = next(t for t in library.tracks.values() if len(t.artists) == 2)
    return {
        "entries": [playlist_entry(API, e, library.user_id) for e in playlist.entries],
        "track": track_full(API, track),
        "artist": artist_full(API, next(a for a in library.follows if a.genres is None)),
        "playlist": playlist_simple(API, playlist),
    }


def test_2026_playlist_entries_use_item(sample: dict[str, Any]) -> None:
    page = Page(items=sample["entries"])
    items = [playlist_item(e) for e in page.entries(PlaylistTrackObject)]
    assert [i.kind if i else None for i in items][:6] == [
        "track",
        "track",
        "episode",
        "track",
        "local",
        None,
    ]
    local = items[4]
    assert local is not None and local.track is not None and local.track.is_local
    assert local.track.name == "Home Recording" and local.track.spotify_id is None


def test_2026_objects_without_genres_popularity_label_followers(sample: dict[str, Any]) -> None:
    record = track_record(decode(sample["track"], TrackObject, "t"))
    assert record is not None and record.popularity is None and len(record.artists) == 2
    assert record.album is not None and record.album.labels == () and record.album.image_url
    artist = artist_ref(decode(sample["artist"], ArtistObject, "t"))
    assert artist is not None and artist.genres == ()
    playlist = decode(sample["playlist"], PlaylistObject, "t")
    assert playlist.total == 7 and playlist.tracks is None


def test_a_whole_answer_of_the_wrong_shape_is_one_clear_error() -> None:
    with pytest.raises(AnswerError, match="Spotify GET /me/tracks: unexpected answer"):
        decode([1, 2, 3], Page, "Spotify GET /me/tracks")


def _without(value: Any, drop: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, drop) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [_without(v, drop) for v in value]
    return value


KEYS = sorted(
    {
        "album",
        "artists",
        "name",
        "id",
        "uri",
        "images",
        "release_date",
        "external_ids",
        "isrc",
        "duration_ms",
        "item",
        "added_at",
        "is_local",
        "type",
        "url",
        "width",
    }
)
ENTRIES = [playlist_entry(API, e, "me") for e in generate_library().playlists[3].entries]
JUNK = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))


@settings(max_examples=150, deadline=None)
@given(drop=st.sets(st.sampled_from(KEYS)), key=st.sampled_from(KEYS), junk=JUNK)
def test_missing_or_odd_fields_never_crash_a_page(drop: set[str], key: str, junk: Any) -> None:
    mutated = _without(ENTRIES, drop)
    mutated[0] = {**mutated[0], key: junk}
    if isinstance(mutated[1].get("item"), dict):
        mutated[1]["item"] = {**mutated[1]["item"], key: junk}
    items = [playlist_item(e) for e in Page(items=mutated).entries(PlaylistTrackObject)]
    assert all(i is None or i.kind in ("track", "local", "episode") for i in items)


# -- the fake against the spec -----------------------------------------------------------


def _schema_properties(spec: str, name: str) -> set[str]:
    """Property names of a component schema of the OpenAPI YAML, following a top-level
    ``allOf`` $ref (a minimal reader: the spec is regular, no YAML library needed)."""
    lines = spec.splitlines()
    start = lines.index(f"    {name}:")
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= 4:
            break
        block.append(line)
    found: set[str] = set()
    for number, line in enumerate(block):
        indent = len(line) - len(line.lstrip())
        ref = re.match(r'^      - \$ref: "#/components/schemas/(\w+)"$', line)
        if ref:
            found |= _schema_properties(spec, ref.group(1))
        if line.strip() == "properties:" or line.strip() == "- properties:":
            for inner in block[number + 1 :]:
                depth = len(inner) - len(inner.lstrip())
                if inner.strip() and depth <= indent:
                    break
                if depth == indent + 2 and inner.strip().endswith(":"):
                    found.add(inner.strip()[:-1])
    return found


@pytest.mark.parametrize(
    ("schema", "part"),
    [
        ("TrackObject", "track"),
        ("SimplifiedAlbumObject", "album"),
        ("SimplifiedArtistObject", "track_artist"),
        ("ArtistObject", "artist"),
        ("SimplifiedPlaylistObject", "playlist"),
        ("PlaylistTrackObject", "entry"),
    ],
)
def test_the_fake_serves_only_fields_of_the_2026_spec(
    realdata: Path, sample: dict[str, Any], schema: str, part: str
) -> None:
    spec = (realdata / "web_api/openapi/fixed-spotify-open-api.yml").read_text(encoding="utf-8")
    allowed = _schema_properties(spec, schema)
    assert len(allowed) >= 3
    body = {
        "track": sample["track"],
        "album": sample["track"]["album"],
        "track_artist": sample["track"]["artists"][0],
        "artist": sample["artist"],
        "playlist": sample["playlist"],
        "entry": sample["entries"][0],
    }[part]
    assert set(body) <= allowed, set(body) - allowed
    assert "popularity" not in body and "tracks" not in body


def test_fake_entries_are_made_for_every_kind() -> None:
    library = generate_library()
    kinds = {e.kind for p in library.playlists for e in p.entries}
    assert kinds == {"track", "episode", "local", "null"}
    assert isinstance(library.playlists[0].entries[0], Entry)
