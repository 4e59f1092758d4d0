"""The typed configuration: ``linernotes.toml`` merged over documented defaults.

The file is validated by ``msgspec.convert`` against the setting types below:
their ``Meta`` constraints are the allowed ranges, and a wrong value becomes
one :class:`ConfigError` line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin, get_type_hints

import msgspec

from linernotes.errors import ConfigError

CONFIG_NAME = "linernotes.toml"
ScoreColumn = Literal["score", "rank", "none"]
CoversMode = Literal["local", "remote"]

# What each setting may be (msgspec enforces these when the file is read).
AtLeastOne = Annotated[int, msgspec.Meta(ge=1)]
TableRows = Annotated[int, msgspec.Meta(ge=1, le=1000)]
SplitTracks = Annotated[int, msgspec.Meta(ge=3)]
ClusterCount = Annotated[int, msgspec.Meta(ge=2, le=30)]  # k = 10000 would run for minutes
Seed = Annotated[int, msgspec.Meta(ge=0, le=2**32 - 1)]  # what scikit-learn accepts
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
AtLeastZero = Annotated[int, msgspec.Meta(ge=0)]
Rate = Annotated[float, msgspec.Meta(gt=0)]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://", description="a URL (http:// or https://)")]
PathText = Annotated[str, msgspec.Meta(min_length=1, description="a path (string)")]
Names = tuple[str, ...]
NameMap = dict[str, str]


@dataclass(frozen=True)
class AtlasConfig:
    """Who gets a page and what the tables show."""

    rows_per_cluster: TableRows = 10
    score_column: ScoreColumn = "score"
    cluster_page_min_tracks: AtLeastOne = 5
    artist_page_min_tracks: AtLeastOne = 3
    label_page_min_tracks: AtLeastOne = 3
    genre_page_min_tracks: AtLeastOne = 5
    genre_clusters_min_tracks: AtLeastOne = 20
    top_n: TableRows = 10
    html: bool = True  # also write each page as HTML (README.md → index.html)
    # local: covers downloaded by enrich, copied into the atlas (offline); remote: linked
    covers: CoversMode = "local"


@dataclass(frozen=True)
class ClusteringConfig:
    """How tracks are grouped."""

    min_split_tracks: SplitTracks = 8
    k_min: ClusterCount = 2
    k_max: ClusterCount = 8
    seed: Seed = 42

    def __post_init__(self) -> None:
        if self.k_min > self.k_max:
            raise ValueError(f"k_min must be at most k_max ({self.k_max}), not {self.k_min}")


@dataclass(frozen=True)
class SpotifyConfig:
    """The Spotify Web API (your own app, in development mode)."""

    client_id: str = ""
    redirect_port: Port = 8974
    api_base: Url = "https://api.spotify.com/v1/"
    accounts_base: Url = "https://accounts.spotify.com/"
    daily_budget: AtLeastZero = 800  # GET /tracks/{id} a day to complete export-only tracks
    retry_after_cap: AtLeastZero = 60  # seconds: a longer Retry-After stops the run (resumable)


@dataclass(frozen=True)
class ProvidersConfig:
    """Open-data providers for labels, genres and audio features."""

    enabled: Names = ("musicbrainz", "deezer", "reccobeats")
    # Which source's value the atlas shows, and the order enrich asks the providers
    # in: Deezer's one answer per track gives label, genres, cover and BPM at 8
    # requests/s; MusicBrainz (1/s) is then asked only about what is still missing.
    source_order: Names = (
        "spotify",
        "exportify",
        "deezer",
        "musicbrainz",
        "reccobeats",
        "lastfm",
        "export",
    )
    contact: str = "https://github.com/linernotes/linernotes"
    musicbrainz_base: Url = "https://musicbrainz.org/ws/2/"
    musicbrainz_rate: Rate = 1.0  # requests per second (MusicBrainz's published limit)
    deezer_base: Url = "https://api.deezer.com/"
    deezer_rate: Rate = 9.0  # Deezer allows 50 requests per 5 s: 45 at most here
    reccobeats_base: Url = "https://api.reccobeats.com/v1/"
    reccobeats_rate: Rate = 5.0
    lastfm_base: Url = "https://ws.audioscrobbler.com/2.0/"
    lastfm_api_key: str = ""
    lastfm_rate: Rate = 4.0
    coverartarchive_base: Url = "https://coverartarchive.org/"
    coverartarchive_rate: Rate = 1.0
    covers_rate: Rate = 10.0  # cover image downloads per second, per image host


YearTracks = Annotated[int, msgspec.Meta(ge=2, le=2000)]


@dataclass(frozen=True)
class ListeningConfig:
    """Listening stories: the person's time zone and the size of a year's clusters."""

    timezone: str = ""  # an IANA name ("Europe/Berlin"); "" = the zone of the machine
    year_cluster_tracks: YearTracks = 100  # the year's most-played tracks that get clustered

    def __post_init__(self) -> None:
        if self.timezone:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(
                    f"timezone must be an IANA time zone name such as"
                    f' "Europe/Berlin", not {self.timezone!r}'
                ) from exc

    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone listening is shown in: ``timezone``, else the system's."""
        if self.timezone:
            return zoneinfo.ZoneInfo(self.timezone)
        import tzlocal  # only needed when no zone is set

        try:
            return zoneinfo.ZoneInfo(tzlocal.get_localzone_name() or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


DEFAULT_STORE = Path(".linernotes/library.db")
DEFAULT_OUT = Path("site")


@dataclass(frozen=True)
class Config:
    """Everything a run needs; loaded once and passed explicitly."""

    store_path: Path = DEFAULT_STORE
    out_dir: Path = DEFAULT_OUT
    atlas: AtlasConfig = field(default_factory=AtlasConfig)
    clustering: ClusteringConfig = field(default_factory=ClusteringConfig)
    spotify: SpotifyConfig = field(default_factory=SpotifyConfig)
    providers: ProvidersConfig = field(default_factory=ProvidersConfig)
    listening: ListeningConfig = field(default_factory=ListeningConfig)
    label_aliases: dict[str, str] = field(default_factory=dict)
    genre_families: dict[str, str] = field(default_factory=dict)
    genre_synonyms: dict[str, str] = field(default_factory=dict)
    source: Path | None = None

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with the given top-level fields replaced."""
        return replace(self, **changes)


# The file's tables that are not one settings object as they stand.
@dataclass(frozen=True)
class _StoreTable:
    path: PathText = str(DEFAULT_STORE)


@dataclass(frozen=True)
class _AtlasTable(AtlasConfig):
    out: PathText = str(DEFAULT_OUT)


@dataclass(frozen=True)
class _LabelsTable:
    aliases: NameMap = field(default_factory=dict)


@dataclass(frozen=True)
class _GenresTable:
    families: NameMap = field(default_factory=dict)
    synonyms: NameMap = field(default_factory=dict)


_SECTIONS = (
    "store",
    "atlas",
    "clustering",
    "spotify",
    "providers",
    "listening",
    "labels",
    "genres",
)
T = TypeVar("T")


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
    except RecursionError as exc:
        raise ConfigError(f"{path}: not a settings file: its values nest too deeply") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
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
    "LINERNOTES_COVERARTARCHIVE_BASE": ("providers", "coverartarchive_base"),
}


def _from_environment(config: Config) -> Config:
    for variable, (section, key) in ENVIRONMENT.items():
        value = os.environ.get(variable)
        if value:
            part = replace(getattr(config, section), **{key: value})
            config = replace(config, **{section: part})
    return config


def _parse(data: dict[str, Any], path: Path) -> Config:
    for name in data:
        if name not in _SECTIONS:
            raise ConfigError(
                f"{path}: unknown section [{name}] (known: {', '.join(sorted(_SECTIONS))})"
            )
    atlas = _table(_AtlasTable, data, "atlas", path)
    genres = _table(_GenresTable, data, "genres", path)
    return Config(
        store_path=Path(_table(_StoreTable, data, "store", path).path),
        out_dir=Path(atlas.out),
        atlas=AtlasConfig(**{f.name: getattr(atlas, f.name) for f in fields(AtlasConfig)}),
        clustering=_table(ClusteringConfig, data, "clustering", path),
        spotify=_table(SpotifyConfig, data, "spotify", path),
        providers=_table(ProvidersConfig, data, "providers", path),
        listening=_table(ListeningConfig, data, "listening", path),
        label_aliases=_table(_LabelsTable, data, "labels", path).aliases,
        genre_families=genres.families,
        genre_synonyms=genres.synonyms,
        source=path,
    )


def _table(cls: type[T], data: dict[str, Any], name: str, path: Path) -> T:
    """Convert the file's table ``name`` into ``cls``, or raise one :class:`ConfigError`
    line naming the file, the key and what it allows."""
    values = data.get(name, {})
    if not isinstance(values, dict):
        raise ConfigError(
            f"{path}: {name} must be a table of settings ([{name}] followed by its keys),"
            f" not {_shown(values)}"
        )
    known = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    for key in values:
        if key not in known:
            raise ConfigError(
                f"{path}: unknown key {key!r} in [{name}] (known: {', '.join(sorted(known))})"
            )
    try:
        return msgspec.convert(values, cls)
    except msgspec.ValidationError as exc:
        _, _, where = str(exc).partition(" - at `$.")
        key = where.rstrip("`").split(".")[0].split("[")[0]
        if key not in values:  # a rule between keys (k_min <= k_max): msgspec names none
            raise ConfigError(f"{path}: [{name}] {exc}") from exc
        allowed = _describe(get_type_hints(cls, include_extras=True)[key])
        raise ConfigError(
            f"{path}: [{name}] {key} must be {allowed}, not {_shown(values[key])}"
        ) from exc


def _describe(hint: Any) -> str:
    """Say in words what values a setting's type allows ("an integer from 2 to 30")."""
    meta = msgspec.Meta()
    if get_origin(hint) is Annotated:
        hint, meta = get_args(hint)[:2]
    if meta.description:
        return meta.description
    if get_origin(hint) is Literal:
        return "one of " + ", ".join(repr(value) for value in get_args(hint))
    if hint is bool:
        return "true or false"
    if hint in (int, float):
        return ("an integer" if hint is int else "a number") + _range(meta)
    if get_origin(hint) is tuple:
        return "a list of names (strings)"
    if get_origin(hint) is dict:
        return 'a table of names ("A" = "B")'
    return "a string"


def _range(meta: msgspec.Meta) -> str:
    if meta.ge is not None and meta.le is not None:
        return f" from {meta.ge} to {meta.le}"
    if meta.gt is not None:
        return f" above {meta.gt}"
    return f" of {meta.ge} or more" if meta.ge is not None else ""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
