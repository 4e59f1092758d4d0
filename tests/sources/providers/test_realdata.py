"""Real provider answers ($LINERNOTES_REALDATA/providers) through the real provider code.

Expected values are read from the files with the json/csv modules, independently
of the providers' own decoding.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import msgspec
import pytest

from linernotes.sources.providers import deezer, lastfm, musicbrainz, reccobeats
from linernotes.sources.providers.lastfm import Answer as LastFmAnswer
from linernotes.store.enrichment import ArtistQuery, TrackQuery
from tests.sources.providers.conftest import Fakes
from tests.sources.providers.fakes import FakeService, Reply, Request, serving
from tests.sources.providers.helpers import QUICK_RETRIES


class Fixed(FakeService):
    """Serves saved bodies by path (status 200), 404 otherwise."""

    def __init__(self, routes: dict[str, bytes], missing: bytes = b"{}") -> None:
        super().__init__()
        self.routes = routes
        self.missing = missing

    def answer(self, request: Request) -> Reply:
        body = self.routes.get(request.path)
        return Reply(200, body) if body is not None else Reply(404, self.missing)


def _query(isrc: str, name: str = "", album: str = "", artists: tuple[str, ...] = ()) -> TrackQuery:
    credited = tuple(ArtistQuery(i + 1, a) for i, a in enumerate(artists))
    return TrackQuery(1, name, isrc, "a" * 22, 1, album, None, credited)


def test_deezer_real_tracks_and_albums(realdata: Path, fakes: Fakes, tmp_path: Path) -> None:
    folder = realdata / "providers" / "deezer"
    files = [
        (
            folder / "kellnerd__harmony/track_2947516331.json",
            folder / "kellnerd__harmony/album_629506181.json",
        ),
        (
            folder / "browniebroke__deezer-python/track_3135556.json",
            folder / "browniebroke__deezer-python/album_302127.json",
        ),
    ]
    routes: dict[str, bytes] = {}
    expected = {}
    for track_file, album_file in files:
        track, album = json.loads(track_file.read_bytes()), json.loads(album_file.read_bytes())
        routes[f"/track/isrc:{track['isrc']}"] = track_file.read_bytes()
        routes[f"/album/{track['album']['id']}"] = album_file.read_bytes()
        expected[track["isrc"]] = (
            (album["label"],),
            tuple(g["name"] for g in album["genres"]["data"]),
            {"tempo": float(track["bpm"])} if track["bpm"] else {},
            track["gain"],
        )
    missing = (folder / "browniebroke__deezer-python/error_800_track_-1.json").read_bytes()
    with serving(Fixed(routes, missing), "/") as service:
        config = fakes.config(deezer_base=service.base_url)
        provider = deezer.Deezer.from_config(config, tmp_path, policy=QUICK_RETRIES)
        for isrc, (labels, genres, features, gain) in expected.items():
            found = provider.lookup([_query(isrc)])[0]
            assert (found.labels, found.genres, found.features, found.gain) == (
                labels,
                genres,
                features,
                gain,
            )
        assert not provider.lookup([_query("USXXX0000001")])[0].found
        provider.close()
    quota = (folder / "errors/quota_code4.FROM_ISSUE.json").read_bytes()
    assert deezer.classify(200, quota)[0] == "quota"
    assert deezer.classify(200, missing)[0] == "not_found"


def test_musicbrainz_real_isrc_recording_and_release_answers(
    realdata: Path, fakes: Fakes, tmp_path: Path
) -> None:
    folder = realdata / "providers" / "musicbrainz"
    isrc_file = folder / "metabrainz__musicbrainz-server/isrc_GBAAA9900303.TRANSCRIBED.json"
    recording_file = folder / "metabrainz__picard/recording.json"
    artist_file = folder / "metabrainz__picard/artist.json"
    isrc = json.loads(isrc_file.read_bytes())
    recording = json.loads(recording_file.read_bytes())
    artist = recording["artist-credit"][0]["artist"]
    routes = {
        f"/ws/2/isrc/{isrc['isrc']}": isrc_file.read_bytes(),
        f"/ws/2/recording/{isrc['recordings'][0]['id']}": recording_file.read_bytes(),
        f"/ws/2/artist/{artist['id']}": artist_file.read_bytes(),
    }
    with serving(Fixed(routes), "/ws/2/") as service:
        config = fakes.config(musicbrainz_base=service.base_url)
        provider = musicbrainz.MusicBrainz.from_config(config, tmp_path, policy=QUICK_RETRIES)
        found = provider.lookup([_query(isrc["isrc"], "Hey Boy Hey Girl", "", (artist["name"],))])[
            0
        ]
        provider.close()
    assert found.found and found.external_id == recording["id"]
    assert found.labels == () and found.genres == ()  # no releases, no genres in that answer
    assert [(a.artist_id, a.external_id) for a in found.artists] == [(1, artist["id"])]
    asked = [r.path for r in service.requests]
    assert asked[-1] == f"/ws/2/artist/{artist['id']}"  # the credit had no genres: asked
    assert "inc" in service.requests[1].query and "genres" in service.requests[1].param("inc")

    release = json.loads((folder / "metabrainz__picard/release.json").read_bytes())
    decoded = msgspec.json.decode(
        (folder / "metabrainz__picard/release.json").read_bytes(), type=musicbrainz.Release
    )
    assert [i.label.name for i in decoded.label_info if i.label] == [
        i["label"]["name"] for i in release["label-info"] if i["label"]
    ]
    by_votes = sorted(release["genres"], key=lambda g: -g["count"])
    assert musicbrainz.ranked_genres(decoded.genres) == tuple(g["name"] for g in by_votes)
    search = json.loads(
        (folder / "RevsRev__musicbrainzws2/search_release.truncated.json").read_bytes()
    )
    for item in search["releases"]:
        got = msgspec.json.decode(json.dumps(item), type=musicbrainz.Release)
        names = [i["label"]["name"] for i in item.get("label-info", []) if i.get("label")]
        assert [i.label.name for i in got.label_info if i.label] == names
    infos = json.loads((folder / "metabrainz__picard/label_info.json").read_bytes())["releases"]
    for item in infos:
        got = msgspec.json.decode(json.dumps({"id": "x", **item}), type=musicbrainz.Release)
        assert [i.label.name for i in got.label_info if i.label] == [
            i["label"]["name"] for i in item["label-info"] if i["label"]
        ]
    limited = (folder / "errors/503_rate_limit.TRANSCRIBED.json").read_bytes()
    assert musicbrainz.classify(503, limited)[0] == "transient"


def test_reccobeats_real_feature_values(realdata: Path, fakes: Fakes, tmp_path: Path) -> None:
    folder = realdata / "providers/reccobeats/pakiessling__spotify-analysis"
    path = folder / "recco_beat_audio_features.truncated.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:40]
    keys = [k for k in rows[0] if k and k not in ("id", "track_id")]
    ids = [f"{n:022d}"[-22:].replace("0", "A") for n in range(len(rows))]
    content = [
        {
            "id": row["id"],
            "href": f"https://open.spotify.com/track/{sid}",
            **{k: float(row[k]) for k in keys},
        }
        for sid, row in zip(ids, rows, strict=True)
    ]
    body = json.dumps({"content": content}).encode()
    with serving(Fixed({"/v1/audio-features": body}), "/v1/") as service:
        config = fakes.config(reccobeats_base=service.base_url)
        provider = reccobeats.ReccoBeats.from_config(config, tmp_path, policy=QUICK_RETRIES)
        queries = [TrackQuery(i, "t", None, sid, None, None, None, ()) for i, sid in enumerate(ids)]
        found = provider.lookup(queries)
        provider.close()
    for finding, row in zip(found, rows, strict=True):
        assert finding.features == {k: float(row[k]) for k in keys}
        assert finding.external_id == row["id"]


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("lastfm-docs__api-docs/track.getTopTags_AC-DC_Hells-Bells.json", "ok"),
        ("lastfm-docs__api-docs/track.getTopTags_empty_Metallica_Hells-Bells.json", "ok"),
        ("lastfm-docs__api-docs/artist.getTopTags_Audioslave.json", "ok"),
        ("lastfm-docs__api-docs/artist.getTopTags_error6.json", "not_found"),
        ("inflatablefriends__lastfm/ArtistGetTopTagsMultiple.json", "ok"),
        ("inflatablefriends__lastfm/ArtistGetTopTagsSingle.json", "ok"),
        ("inflatablefriends__lastfm/ArtistGetTopTagsEmpty.json", "ok"),
        ("inflatablefriends__lastfm/ArtistGetTopTagsError.json", "not_found"),
        ("inflatablefriends__lastfm/TrackScrobbleBadAuthError.json", "fatal"),
        ("navidrome__navidrome/lastfm.artist.error3.json", "fatal"),
        ("navidrome__navidrome/lastfm.artist.error6.json", "not_found"),
        ("errors/error29_rate_limit.FROM_ISSUE.json", "transient"),
        ("errors/error26_suspended.FROM_ISSUE.json", "fatal"),
    ],
    ids=lambda value: value.rsplit("/", 1)[-1] if "/" in value else value,
)
def test_lastfm_real_answers(realdata: Path, name: str, verdict: str) -> None:
    body = (realdata / "providers/lastfm" / name).read_bytes()
    assert lastfm.classify(200, body)[0] == verdict
    if verdict != "ok":
        return
    document = json.loads(body.decode("utf-8-sig"))
    tags = document["toptags"].get("tag", [])
    tags = [tags] if isinstance(tags, dict) else tags
    plain = [t["name"] for t in tags if int(t.get("count", 100)) >= lastfm.MIN_COUNT]
    got = lastfm.genre_tags(msgspec.json.decode(body, type=LastFmAnswer), "AC/DC", "Audioslave")
    assert set(got) <= set(plain) and len(got) <= lastfm.MAX_TAGS
    assert not {"seen live", "80s", "ACDC", "AC/DC", "Audioslave"} & set(got)
    if plain:
        assert got and got[0] == plain[0]
