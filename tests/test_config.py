"""linernotes.toml: every setting read over the defaults, every bad value refused
in one line naming the file, the key and what is allowed."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Literal, get_args, get_origin, get_type_hints

import pytest

from linernotes.config import (
    ENVIRONMENT,
    AtlasConfig,
    ClusteringConfig,
    Config,
    ListeningConfig,
    ProvidersConfig,
    SpotifyConfig,
    load_config,
)
from linernotes.errors import ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "linernotes.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)


# id: (file content, where the message points, what it says is allowed)
BAD = {
    "seed-negative": ("[clustering]\nseed = -1", "[clustering] seed", "from 0 to 4294967295"),
    "k-max-huge": ("[clustering]\nk_max = 10000", "[clustering] k_max", "from 2 to 30"),
    "k-min-one": ("[clustering]\nk_min = 1", "[clustering] k_min", "from 2 to 30"),
    "k-min-above-k-max": ("[clustering]\nk_min = 9", "[clustering] k_min", "at most k_max (8)"),
    "k-max-string": ("[clustering]\nk_max = '8'", "[clustering] k_max", "an integer"),
    "split-two": (
        "[clustering]\nmin_split_tracks = 2",
        "[clustering] min_split_tracks",
        "3 or more",
    ),
    "top-n-negative": ("[atlas]\ntop_n = -5", "[atlas] top_n", "from 1 to 1000"),
    "top-n-huge": ("[atlas]\ntop_n = 1001", "[atlas] top_n", "from 1 to 1000"),
    "top-n-bool": ("[atlas]\ntop_n = true", "[atlas] top_n", "an integer"),
    "rows-zero": ("[atlas]\nrows_per_cluster = 0", "[atlas] rows_per_cluster", "from 1 to 1000"),
    "threshold-zero": ("[atlas]\nlabel_page_min_tracks = 0", "[atlas] label_page_min", "1 or more"),
    "score-column": (
        "[atlas]\nscore_column = 'min'",
        "[atlas] score_column",
        "'score', 'rank', 'none'",
    ),
    "html-string": ("[atlas]\nhtml = 'yes'", "[atlas] html", "true or false"),
    "out-number": ("[atlas]\nout = 5", "[atlas] out", "a path (string)"),
    "store-path-number": ("[store]\npath = 5", "[store] path", "a path (string)"),
    "store-path-empty": ("[store]\npath = ''", "[store] path", "a path (string)"),
    "rate-zero": ("[providers]\ndeezer_rate = 0", "[providers] deezer_rate", "a number above 0"),
    "rate-negative": ("[providers]\nlastfm_rate = -1.5", "[providers] lastfm_rate", "above 0"),
    "enabled-string": ("[providers]\nenabled = 'deezer'", "[providers] enabled", "a list of names"),
    "base-not-http": ("[providers]\ndeezer_base = 'ftp://x'", "[providers] deezer_base", "a URL"),
    "port-huge": ("[spotify]\nredirect_port = 70000", "[spotify] redirect_port", "from 1 to 65535"),
    "budget-negative": ("[spotify]\ndaily_budget = -1", "[spotify] daily_budget", "0 or more"),
    "client-id-number": ("[spotify]\nclient_id = 5", "[spotify] client_id", "a string"),
    "alias-number": ("[labels.aliases]\nA = 5", "[labels] aliases", 'a table of names ("A" = "B")'),
    "families-list": ("[genres]\nfamilies = ['pop']", "[genres] families", "a table of names"),
    "timezone-unknown": (
        "[listening]\ntimezone = 'Mars/Olympus'",
        "[listening] timezone",
        'an IANA time zone name such as "Europe/Berlin"',
    ),
    "timezone-number": ("[listening]\ntimezone = 1", "[listening] timezone", "a string"),
    "year-clusters-one": (
        "[listening]\nyear_cluster_tracks = 1",
        "[listening] year_cluster_tracks",
        "from 2 to 2000",
    ),
    "section-not-table": ("atlas = 5", "atlas must be a table", "[atlas] followed by its keys"),
    "unknown-section": (
        "[colours]\nx = 1",
        "unknown section [colours]",
        "known: atlas, clustering",
    ),
    "unknown-key": ("[atlas]\ntopn = 5", "unknown key 'topn' in [atlas]", "top_n"),
    "unknown-store-key": (
        "[store]\nfolder = 'x'",
        "unknown key 'folder' in [store]",
        "known: path",
    ),
}


@pytest.mark.parametrize(("text", "where", "allowed"), list(BAD.values()), ids=list(BAD))
def test_a_bad_value_is_one_line_naming_file_key_and_allowed_values(
    tmp_path: Path, text: str, where: str, allowed: str
) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert where in message
    assert allowed in message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[clustering]\nk_min = 30\nk_max = 30\nseed = 0", id="k-equal-at-top"),
        pytest.param("[clustering]\nseed = 4294967295\nmin_split_tracks = 3", id="largest-seed"),
        pytest.param("[atlas]\ntop_n = 1000\nrows_per_cluster = 1", id="table-bounds"),
        pytest.param("[providers]\ndeezer_rate = 3", id="integer-rate"),
        pytest.param("[spotify]\nredirect_port = 1\ndaily_budget = 0", id="low-bounds"),
    ],
)
def test_values_at_the_bounds_are_accepted(tmp_path: Path, text: str) -> None:
    config = load_config(write(tmp_path, text + "\n"))
    assert config.source == tmp_path / "linernotes.toml"


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[store]
path = "data/music.db"
[atlas]
out = "public"
rows_per_cluster = 7
score_column = "rank"
cluster_page_min_tracks = 6
artist_page_min_tracks = 4
label_page_min_tracks = 2
genre_page_min_tracks = 9
genre_clusters_min_tracks = 30
top_n = 25
html = false
[clustering]
min_split_tracks = 40
k_min = 3
k_max = 12
seed = 7
[spotify]
client_id = "abc"
redirect_port = 9000
daily_budget = 10
retry_after_cap = 5
[providers]
enabled = ["deezer"]
source_order = ["export", "spotify"]
deezer_rate = 2
[labels.aliases]
"Universal Records" = "Universal Music"
[genres.families]
"korean pop" = "pop"
[genres.synonyms]
"hiphop" = "hip hop"
""",
    )
    config = load_config(path)
    assert (config.store_path, config.out_dir) == (Path("data/music.db"), Path("public"))
    assert config.atlas == AtlasConfig(7, "rank", 6, 4, 2, 9, 30, 25, False)
    assert type(config.atlas) is AtlasConfig
    assert config.clustering == ClusteringConfig(40, 3, 12, 7)
    assert config.spotify == SpotifyConfig(
        client_id="abc", redirect_port=9000, daily_budget=10, retry_after_cap=5
    )
    assert config.providers == ProvidersConfig(
        enabled=("deezer",), source_order=("export", "spotify"), deezer_rate=2.0
    )
    assert isinstance(config.providers.deezer_rate, float)
    assert config.label_aliases == {"Universal Records": "Universal Music"}
    assert config.genre_families == {"korean pop": "pop"}
    assert config.genre_synonyms == {"hiphop": "hip hop"}


def test_an_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config == Config(source=tmp_path / "linernotes.toml")


def _readme_settings() -> str:
    match = re.search(r"## Configuration.*?```toml\n(.*?)```", README.read_text("utf-8"), re.S)
    assert match, "README has no settings block"
    return match.group(1)


def test_the_readme_settings_block_is_valid_and_shows_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, _readme_settings()))
    defaults = Config()
    assert (config.store_path, config.out_dir) == (defaults.store_path, defaults.out_dir)
    for section in ("atlas", "clustering", "spotify", "providers", "listening"):
        assert getattr(config, section) == getattr(defaults, section), section


def _stated(hint: object) -> list[str]:
    """What the README must say about a setting of type ``hint`` ("2–30", "> 0", …)."""
    if get_origin(hint) is Literal:
        return [f'"{value}"' for value in get_args(hint)]
    if get_origin(hint) is not Annotated:
        return []
    meta = get_args(hint)[1]
    if meta.ge is not None and meta.le is not None:
        return [f"{meta.ge}–{meta.le}"]
    if meta.gt is not None:
        return [f"> {meta.gt}"]
    if meta.ge is not None:
        return [f"≥ {meta.ge}"]
    return ["http(s) URL"] if meta.pattern else ["a path"]


@pytest.mark.parametrize(
    "section",
    [AtlasConfig, ClusteringConfig, SpotifyConfig, ProvidersConfig, ListeningConfig],
    ids=lambda section: section.__name__,
)
def test_the_readme_states_each_setting_and_its_range(section: type) -> None:
    lines = _readme_settings().splitlines()
    hints = get_type_hints(section, include_extras=True)
    for setting in fields(section):
        line = next((li for li in lines if li.startswith(f"{setting.name} = ")), None)
        assert line is not None, f"{setting.name} is not in the README"
        documented = line if not setting.name.endswith("_base") else _readme_settings()
        for phrase in _stated(hints[setting.name]):
            assert phrase in documented, f"{setting.name}: README does not say {phrase}"


def test_the_environment_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[providers]\ndeezer_base = "https://file.example/"\n')
    monkeypatch.setenv("LINERNOTES_DEEZER_BASE", "http://127.0.0.1:9/")
    monkeypatch.setenv("LINERNOTES_SPOTIFY_CLIENT_ID", "from-env")
    config = load_config(path)
    assert config.providers.deezer_base == "http://127.0.0.1:9/"
    assert config.spotify.client_id == "from-env"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"[atlas\n", "not valid TOML", id="broken-toml"),
        pytest.param(b"\xff\xfe[atlas]", "not valid TOML", id="not-utf8"),
    ],
)
def test_an_unreadable_file_is_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "linernotes.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[store]\npath = 5", id="store-path-number"),
        pytest.param("atlas = 5", id="atlas-not-a-table"),
        pytest.param("[clustering]\nseed = -1", id="seed-negative"),
        pytest.param("[clustering]\nk_max = 10000", id="k-max-huge"),
        pytest.param("[atlas]\ntop_n = -5", id="top-n-negative"),
    ],
)
def test_every_command_refuses_bad_settings_in_one_line(tmp_path: Path, text: str) -> None:
    write(tmp_path, text + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "linernotes", "status"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: linernotes.toml: ")
    assert not (tmp_path / ".linernotes").exists()
