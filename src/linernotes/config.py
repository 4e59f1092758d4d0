"""The typed configuration: ``linernotes.toml`` merged over documented defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from linernotes.errors import ConfigError

CONFIG_NAME = "linernotes.toml"
ScoreColumn = Literal["score", "rank", "none"]


@dataclass(frozen=True)
class AtlasConfig:
    """Who gets a page and what the tables show."""

    rows_per_cluster: int = 10
    score_column: ScoreColumn = "score"
    cluster_page_min_tracks: int = 5
    artist_page_min_tracks: int = 3
    label_page_min_tracks: int = 3
    genre_page_min_tracks: int = 5
    genre_clusters_min_tracks: int = 20
    top_n: int = 10
    html: bool = True  # also write each page as HTML (README.md → index.html)


@dataclass(frozen=True)
class ClusteringConfig:
    """How tracks are grouped."""

    min_split_tracks: int = 24
    k_min: int = 2
    k_max: int = 8
    seed: int = 42


@dataclass(frozen=True)
class SpotifyConfig:
    """The Spotify Web API (your own app, in development mode)."""

    client_id: str = ""
    redirect_port: int = 8974
    api_base: str = "https://api.spotify.com/v1/"
    accounts_base: str = "https://accounts.spotify.com/"
    daily_budget: int = 800  # GET /tracks/{id} requests a day to complete export-only tracks
    retry_after_cap: int = 60  # seconds: a longer Retry-After stops the run (resumable)


@dataclass(frozen=True)
class ProvidersConfig:
    """Open-data providers for labels, genres and audio features."""

    enabled: tuple[str, ...] = ("musicbrainz", "deezer", "reccobeats")
    source_order: tuple[str, ...] = (
        "spotify",
        "exportify",
        "musicbrainz",
        "deezer",
        "reccobeats",
        "lastfm",
        "export",
    )
    contact: str = "https://github.com/linernotes/linernotes"
    musicbrainz_base: str = "https://musicbrainz.org/ws/2/"
    musicbrainz_rate: float = 1.0  # requests per second (MusicBrainz's published limit)
    deezer_base: str = "https://api.deezer.com/"
    deezer_rate: float = 8.0
    reccobeats_base: str = "https://api.reccobeats.com/v1/"
    reccobeats_rate: float = 5.0
    lastfm_base: str = "https://ws.audioscrobbler.com/2.0/"
    lastfm_api_key: str = ""
    lastfm_rate: float = 4.0


@dataclass(frozen=True)
class Config:
    """Everything a run needs; loaded once and passed explicitly."""

    store_path: Path = Path(".linernotes/library.db")
    out_dir: Path = Path("site")
    atlas: AtlasConfig = field(default_factory=AtlasConfig)
    clustering: ClusteringConfig = field(default_factory=ClusteringConfig)
    spotify: SpotifyConfig = field(default_factory=SpotifyConfig)
    providers: ProvidersConfig = field(default_factory=ProvidersConfig)
    label_aliases: dict[str, str] = field(default_factory=dict)
    genre_families: dict[str, str] = field(default_factory=dict)
    genre_synonyms: dict[str, str] = field(default_factory=dict)
    source: Path | None = None

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with the given top-level fields replaced."""
        return replace(self, **changes)


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or ``./linernotes.toml`` when it exists) over the defaults.

    Raises :class:`ConfigError` naming the file and key when a value is wrong.
    """
    if path is None:
        candidate = Path(CONFIG_NAME)
        if not candidate.is_file():
            return _from_environment(Config())
        path = candidate
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file (create it or drop --config)") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return _from_environment(_parse(data, path))


# Environment variables that override settings (tests, proxies, CI secrets).
ENVIRONMENT = {
    "LINERNOTES_SPOTIFY_CLIENT_ID": ("spotify", "client_id"),
    "LINERNOTES_SPOTIFY_API_BASE": ("spotify", "api_base"),
    "LINERNOTES_SPOTIFY_ACCOUNTS_BASE": ("spotify", "accounts_base"),
    "LINERNOTES_MUSICBRAINZ_BASE": ("providers", "musicbrainz_base"),
    "LINERNOTES_DEEZER_BASE": ("providers", "deezer_base"),
    "LINERNOTES_RECCOBEATS_BASE": ("providers", "reccobeats_base"),
    "LINERNOTES_LASTFM_BASE": ("providers", "lastfm_base"),
    "LINERNOTES_LASTFM_API_KEY": ("providers", "lastfm_api_key"),
}


def _from_environment(config: Config) -> Config:
    for variable, (section, key) in ENVIRONMENT.items():
        value = os.environ.get(variable)
        if value:
            part = replace(getattr(config, section), **{key: value})
            config = replace(config, **{section: part})
    return config


def _parse(data: dict[str, Any], path: Path) -> Config:
    known = {"store", "atlas", "clustering", "labels", "genres", "spotify", "providers"}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"{path}: unknown section [{key}] (known: {', '.join(sorted(known))})"
            )
    store = data.get("store", {})
    atlas = _section(AtlasConfig, data.get("atlas", {}), path, "atlas")
    if atlas.score_column not in ("score", "rank", "none"):
        raise ConfigError(f"{path}: [atlas] score_column must be 'score', 'rank' or 'none'")
    clustering = _section(ClusteringConfig, data.get("clustering", {}), path, "clustering")
    spotify = _section(SpotifyConfig, data.get("spotify", {}), path, "spotify")
    providers = _section(ProvidersConfig, data.get("providers", {}), path, "providers")
    if not 2 <= clustering.k_min <= clustering.k_max:
        raise ConfigError(f"{path}: [clustering] needs 2 <= k_min <= k_max")
    return Config(
        store_path=Path(store.get("path", Config.store_path)),
        out_dir=Path(data.get("atlas", {}).get("out", Config.out_dir)),
        atlas=atlas,
        clustering=clustering,
        spotify=spotify,
        providers=providers,
        label_aliases=_mapping(data.get("labels", {}).get("aliases", {}), path, "labels.aliases"),
        genre_families=_mapping(
            data.get("genres", {}).get("families", {}), path, "genres.families"
        ),
        genre_synonyms=_mapping(
            data.get("genres", {}).get("synonyms", {}), path, "genres.synonyms"
        ),
        source=path,
    )


def _section(cls: type[Any], values: dict[str, Any], path: Path, name: str) -> Any:
    allowed = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key == "out" and name == "atlas":
            continue
        if key not in allowed:
            raise ConfigError(f"{path}: unknown key '{key}' in [{name}]")
        expected = type(getattr(cls(), key))
        if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        elif expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            what = "a list of names" if expected is tuple else expected.__name__
            raise ConfigError(f"{path}: [{name}] {key} must be {what}, not {value!r}")
        kwargs[key] = value
    return cls(**kwargs)


def _mapping(values: Any, path: Path, name: str) -> dict[str, str]:
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise ConfigError(f'{path}: [{name}] must map names to names ("A" = "B")')
    return dict(values)
