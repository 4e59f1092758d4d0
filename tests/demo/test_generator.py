"""The demo library generator: deterministic, realistic shapes, planted styles and quirks.

Every assertion is computed from the written files with plain ``json``/``csv``.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from linernotes.demo import MIN_TRACKS, DemoLayout, generate_demo
from linernotes.demo.exportify import HEADER, safe_stem
from linernotes.errors import DemoError, LinernotesError

SMALL = {"tracks": 300, "plays": 5000}
EXTENDED_KEYS = [
    "ts",
    "platform",
    "ms_played",
    "conn_country",
    "ip_addr",
    "master_metadata_track_name",
    "master_metadata_album_artist_name",
    "master_metadata_album_album_name",
    "spotify_track_uri",
    "episode_name",
    "episode_show_name",
    "spotify_episode_uri",
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
    "offline_timestamp",
    "incognito_mode",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> DemoLayout:
    return generate_demo(tmp_path_factory.mktemp("small"), seed=3, **SMALL)


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> DemoLayout:
    return generate_demo(tmp_path_factory.mktemp("default"))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _index(path: Path) -> int:
    return int(path.stem.rsplit("_", 1)[1])


def _extended(layout: DemoLayout) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(layout.extended_dir.glob("Streaming_History_Audio_*.json"), key=_index):
        rows += _json(path)
    return rows


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _track_ids(layout: DemoLayout) -> set[str]:
    """Spotify ids of every track in Liked Songs or a playlist (the saved library)."""
    ids = set()
    for path in layout.exportify_dir.glob("*.csv"):
        ids |= {row["Track URI"].rsplit(":", 1)[1] for row in _csv(path)}
    return ids


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first = _files(generate_demo(tmp_path / "a", seed=11, **SMALL).root)
    second = _files(generate_demo(tmp_path / "b", seed=11, **SMALL).root)
    assert len(first) > 10
    assert first == second


def test_another_seed_gives_another_library(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=1, **SMALL)
    second = generate_demo(tmp_path / "b", seed=2, **SMALL)
    assert first.truth_path.read_bytes() != second.truth_path.read_bytes()


def test_rerun_replaces_files_of_a_larger_run(tmp_path: Path) -> None:
    generate_demo(tmp_path / "x", tracks=300, plays=40_000)
    rerun = _files(generate_demo(tmp_path / "x", **SMALL).root)
    assert rerun == _files(generate_demo(tmp_path / "fresh", **SMALL).root)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"tracks": 10}, f"demo needs at least {MIN_TRACKS} tracks (got 10)"),
        ({"tracks": MIN_TRACKS - 1}, f"(got {MIN_TRACKS - 1})"),
        ({"plays": -1}, "demo plays cannot be negative (got -1)"),
        ({"seed": -3}, "demo seed cannot be negative (got -3)"),
        ({"years": 0}, "demo history must span 1 to 18 years (got 0)"),
        ({"years": 19}, "(got 19)"),
    ],
    ids=[
        "far-too-few-tracks",
        "one-track-short",
        "negative-plays",
        "negative-seed",
        "no-years",
        "too-many-years",
    ],
)
def test_bad_arguments_are_one_line_and_touch_nothing(
    tmp_path: Path, arguments: dict[str, int], message: str
) -> None:
    earlier = _files(generate_demo(tmp_path / "x", seed=4, tracks=MIN_TRACKS, plays=50).root)
    with pytest.raises(DemoError) as caught:
        generate_demo(tmp_path / "x", **arguments)
    assert isinstance(caught.value, LinernotesError)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert _files(tmp_path / "x") == earlier


def test_the_smallest_library_has_every_part(tmp_path: Path) -> None:
    layout = generate_demo(tmp_path, tracks=MIN_TRACKS, plays=0)
    truth = _json(layout.truth_path)
    assert len(truth["track_style"]) == MIN_TRACKS
    assert _extended(layout) == []
    assert _csv(layout.exportify_dir / "liked.csv")


def test_layout_lists_the_three_import_folders(small: DemoLayout) -> None:
    assert small.import_paths == (small.account_dir, small.extended_dir, small.exportify_dir)
    assert small.account_dir.name == "Spotify Account Data"
    assert (small.account_dir / "YourLibrary.json").is_file()
    assert small.truth_path.is_file()


def test_counts_are_near_the_targets_at_default_size(default: DemoLayout) -> None:
    truth = _json(default.truth_path)
    assert isinstance(truth, dict)
    assert len(truth["track_style"]) == 2000
    library = _json(default.account_dir / "YourLibrary.json")
    assert isinstance(library, dict)
    assert 0.37 <= len(library["tracks"]) / 2000 <= 0.43
    rows = [row for path in default.exportify_dir.glob("*.csv") for row in _csv(path)]
    artists = {uri for row in rows for uri in row["Artist URI(s)"].split(", ")}
    assert 330 <= len(artists) <= 470
    assert 480 <= len({row["Album URI"] for row in rows}) <= 720
    assert 50 <= len({row["Label"] for row in rows}) <= 100
    genres = {g for row in rows for g in row["Artist Genres"].split(",") if g}
    assert 25 <= len(genres) <= 40
    unique = {row["Track URI"]: row for row in rows}.values()
    multi = sum(", " in row["Artist URI(s)"] for row in unique) / len(unique)
    assert 0.14 <= multi <= 0.26
    assert 0.80 <= len(_track_ids(default)) / 2000 <= 0.90
    assert 0.05 <= sum(row["Danceability"] == "" for row in unique) / len(unique) <= 0.11


def test_playlist_sizes_span_small_medium_and_large(default: DemoLayout) -> None:
    playlists = _json(default.account_dir / "Playlist1.json")["playlists"]
    sizes = [len(p["items"]) for p in playlists]
    assert 18 <= len(sizes) <= 22
    assert any(8 <= size <= 15 for size in sizes)
    assert any(300 <= size <= 402 for size in sizes)
    assert sum(30 <= size <= 202 for size in sizes) >= len(sizes) - 5


def test_history_has_skips_podcasts_local_files_and_blank_rows(default: DemoLayout) -> None:
    rows = _extended(default)
    assert len(rows) == 80_000
    share = Counter(
        "podcast"
        if row["episode_name"]
        else "local"
        if row["master_metadata_track_name"] and not row["spotify_track_uri"]
        else "blank"
        if not row["master_metadata_track_name"]
        else "music"
        for row in rows
    )
    assert 0.025 <= share["podcast"] / len(rows) <= 0.035
    assert 0.007 <= share["local"] / len(rows) <= 0.013
    assert 0.003 <= share["blank"] / len(rows) <= 0.007
    skips = [row for row in rows if row["skipped"]]
    assert 0.16 <= len(skips) / len(rows) <= 0.25
    assert all(row["reason_end"] == "fwdbtn" for row in skips)
    played = {str(row["spotify_track_uri"]).rsplit(":", 1)[-1] for row in rows}
    saved = _track_ids(default)
    assert 0.05 <= len(saved - played) / len(saved) <= 0.15
    only_in_history = set(_json(default.truth_path)["track_style"]) - saved
    assert only_in_history and only_in_history <= played


def test_kpop_titles_are_mostly_hangul(default: DemoLayout) -> None:
    styles = _json(default.truth_path)["track_style"]
    titles = {
        row["Track URI"]: row["Track Name"] for row in _csv(default.exportify_dir / "liked.csv")
    }
    kpop = [t for uri, t in titles.items() if styles[uri.rsplit(":", 1)[1]] == "kpop"]
    hangul = sum(bool(re.search("[\uac00-\ud7a3]", title)) for title in kpop) / len(kpop)
    assert 0.55 <= hangul <= 0.85


def test_every_playlist_mixes_two_to_five_styles(small: DemoLayout) -> None:
    truth = _json(small.truth_path)
    assert isinstance(truth, dict)
    assert len(truth["styles"]) >= 10
    for playlist in truth["playlists"]:
        present = {truth["track_style"][track] for track in playlist["track_ids"]}
        assert 2 <= len(playlist["styles"]) <= 5
        assert present == set(playlist["styles"]), playlist["name"]


def test_styles_differ_in_genres_and_era(small: DemoLayout) -> None:
    styles = _json(small.truth_path)["styles"]
    genres = [g for style in styles for g in style["genres"]]
    assert len(genres) == len(set(genres))
    assert len({tuple(style["era"]) for style in styles}) == len(styles)


def test_hostile_names_reach_the_export_files(small: DemoLayout) -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in small.root.rglob("*")
        if p.is_file() and p.name != "demo-truth.json"
    )
    library = _json(small.account_dir / "YourLibrary.json")
    rows = [row for path in small.exportify_dir.glob("*.csv") for row in _csv(path)]
    artists = {row["Artist Name(s)"] for row in rows}
    for name in (
        "Nova",
        "NOVA",
        "Café Noir",
        "Cafe Noir",
        "$$$",
        "CON",
        "Pipe | Dream",
        "<script>alert(1)</script>",
        "Earth\\, Wind & Static",
        "Back\\Slash",
    ):
        assert name in artists or any(name in a.split(", ") for a in artists), name
    assert "Nova" in {a["name"] for a in library["artists"]}
    tracks = {row["Track Name"] for row in rows}
    for name in ("...", "*", "nul", "../../etc/passwd", 'Say "Cheese"', "`whoami`"):
        assert name in tracks, name
    assert any(len(row["Album Name"]) == 200 for row in rows)
    assert {"..", "[Untitled] `Tapes`", "Greatest Hits \\ Vol. 2"} <= {
        r["Album Name"] for r in rows
    }
    labels = {row["Label"] for row in rows}
    assert {"Pipe|Line Records", "$ignal Audio", "[Brackets] Music", "Star*Dust Sound"} <= labels
    assert any(", " in label for label in labels) and any("/" in label for label in labels)
    assert {"Moonhill Records LLC", "MOONHILL RECORDS", "Moonhill Rec."} & labels
    for name in ('"CHILL"', '"Focus | Deep Work"', '"<script>alert(1)</script>"'):
        assert f'"name": {name}' in text


def test_all_text_is_nfc(small: DemoLayout) -> None:
    for path in small.root.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert unicodedata.is_normalized("NFC", text), path.name


def test_json_files_parse_in_the_real_layouts(small: DemoLayout) -> None:
    for path in [*small.account_dir.glob("*.json"), *small.extended_dir.glob("*.json")]:
        raw = path.read_text(encoding="utf-8")
        json.loads(raw)
        assert not raw.endswith("\n"), path.name
    library = (small.account_dir / "YourLibrary.json").read_text(encoding="utf-8")
    assert '  "bannedTracks": [\n  ],' in library
    music = (small.account_dir / "StreamingHistory_music_0.json").read_text(encoding="utf-8")
    assert music.startswith('[\n  {\n    "endTime" : "')


def test_playlists_hold_a_local_file_and_an_episode(small: DemoLayout) -> None:
    playlists = _json(small.account_dir / "Playlist1.json")["playlists"]
    items = [item for p in playlists for item in p["items"]]
    local = [i["localTrack"]["uri"] for i in items if i["localTrack"]]
    assert len(local) == 1 and re.fullmatch(r"spotify:local:[^:]+:[^:]+:[^:]+:\d+", local[0])
    assert sum(1 for i in items if i["episode"]) == 1
    assert all(
        list(i) == ["track", "episode", "audiobook", "localTrack", "addedDate"] for i in items
    )


def test_exportify_rows_match_the_playlist_items(small: DemoLayout) -> None:
    playlists = _json(small.account_dir / "Playlist1.json")["playlists"]
    expected = Counter(
        (i["track"]["trackUri"], i["addedDate"])
        for p in playlists
        for i in p["items"]
        if i["track"]
    )
    found: Counter[tuple[str, str]] = Counter()
    for path in small.exportify_dir.glob("*.csv"):
        if path.name != "liked.csv":
            rows = _csv(path)
            assert {row["Added By"] for row in rows} == {"spotify:user:demo_user"}
            found.update((row["Track URI"], row["Added At"][:10]) for row in rows)
    assert found == expected
    liked = _csv(small.exportify_dir / "liked.csv")
    library = _json(small.account_dir / "YourLibrary.json")["tracks"]
    assert [row["Track URI"] for row in liked] == [t["uri"] for t in library]
    assert {row["Added By"] for row in liked} == {""}


def test_csv_files_are_fully_quoted_with_the_header_width(small: DemoLayout) -> None:
    for path in small.exportify_dir.glob("*.csv"):
        raw = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert rows[0] == HEADER and len(HEADER) == 35
        assert {len(row) for row in rows} == {35}, path.name
        again = io.StringIO()
        csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        assert again.getvalue() == raw, path.name


def test_account_history_is_the_last_year_of_the_extended_one(small: DemoLayout) -> None:
    extended = _extended(small)
    recent = [row for row in extended if str(row["ts"]) >= "2025-07-01"]
    music_keys = Counter(
        (
            str(r["ts"])[:16].replace("T", " "),
            r["ms_played"],
            r["master_metadata_album_artist_name"],
            r["master_metadata_track_name"],
        )
        for r in recent
        if r["master_metadata_track_name"]
    )
    account = [
        row
        for path in sorted(small.account_dir.glob("StreamingHistory_music_*.json"), key=_index)
        for row in _json(path)
    ]
    keys = Counter((r["endTime"], r["msPlayed"], r["artistName"], r["trackName"]) for r in account)
    assert keys == music_keys
    assert [r["endTime"] for r in account] == sorted(r["endTime"] for r in account)
    podcasts = _json(small.account_dir / "StreamingHistory_podcast_0.json")
    assert len(podcasts) == sum(1 for r in recent if r["episode_name"])


def test_extended_history_files_are_chronological_and_named_by_year(small: DemoLayout) -> None:
    paths = sorted(small.extended_dir.glob("Streaming_History_Audio_*.json"), key=_index)
    assert [_index(p) for p in paths] == list(range(len(paths)))
    previous = ""
    for path in paths:
        rows = _json(path)
        assert isinstance(rows, list) and 0 < len(rows) <= 15_000
        assert all(list(row) == EXTENDED_KEYS for row in rows)
        stamps = [row["ts"] for row in rows]
        assert stamps == sorted(stamps) and stamps[0] >= previous
        first, last = stamps[0][:4], stamps[-1][:4]
        years = first if first == last else f"{first}-{last}"
        assert path.name == f"Streaming_History_Audio_{years}_{_index(path)}.json"
        previous = stamps[-1]
    assert previous < "2026-07-01" and _extended(small)[0]["ts"] >= "2023-07-01"
    assert list(small.extended_dir.glob("Streaming_History_Video_*.json"))


def test_no_ip_address_outside_the_documentation_range(small: DemoLayout) -> None:
    network = ipaddress.ip_network("192.0.2.0/24")
    paths = small.extended_dir.glob("Streaming_History_*.json")
    addresses = {row["ip_addr"] for path in paths for row in _json(path)}
    assert addresses and all(ipaddress.ip_address(a) in network for a in addresses)


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Chill", "chill"),
        ("CON", "playlist_con"),
        ("../../escape", "escape"),
        ("🔥🔥🔥", "playlist"),
        ("Liked", "liked_2"),
        ("Über den Wolken", "über_den_wolken"),
        ("<script>alert(1)</script>", "script_alert_1_script"),
    ],
    ids=["plain", "reserved", "dots", "emoji-only", "liked", "accents", "markup"],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name, {"liked"}) == stem


def test_safe_stem_is_unique_after_case_folding_and_short() -> None:
    taken: set[str] = set()
    stems = [safe_stem(n, taken) for n in ("Chill", "CHILL", "chill", "x" * 300, "é" * 100)]
    assert stems[:3] == ["chill", "chill_2", "chill_3"]
    assert all(len(s.encode()) <= 80 and "/" not in s and s for s in stems)


def test_styles_are_recoverable_from_audio_features(default: DemoLayout) -> None:
    """Each style is a set of sub-styles, each with its own sound (three noise widths
    apart in two or three features), so a style is not one round blob that KMeans with
    k = 12 would find; but a track's neighbours in sound still share its style."""
    neighbors = pytest.importorskip("sklearn.neighbors")
    selection = pytest.importorskip("sklearn.model_selection")
    np = pytest.importorskip("numpy")
    styles = _json(default.truth_path)["track_style"]
    columns = [
        "Danceability",
        "Energy",
        "Valence",
        "Acousticness",
        "Instrumentalness",
        "Speechiness",
        "Liveness",
        "Loudness",
        "Tempo",
    ]
    rows = [r for r in _csv(default.exportify_dir / "liked.csv") if r["Danceability"]]
    values = np.array([[float(r[c]) for c in columns] for r in rows])
    values = (values - values.mean(axis=0)) / values.std(axis=0)
    truth = [styles[r["Track URI"].rsplit(":", 1)[1]] for r in rows]
    vote = neighbors.KNeighborsClassifier(5)
    assert selection.cross_val_score(vote, values, truth, cv=5).mean() >= 0.9
