"""Open-data providers of labels, genres and audio features, and the ``enrich`` run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from linernotes.config import ProvidersConfig
from linernotes.sources.http import RetryPolicy
from linernotes.sources.providers.base import Provider, ProviderError
from linernotes.sources.providers.deezer import Deezer
from linernotes.sources.providers.lastfm import NEEDS_KEY, LastFm
from linernotes.sources.providers.musicbrainz import MusicBrainz
from linernotes.sources.providers.reccobeats import ReccoBeats

log = logging.getLogger(__name__)

PROVIDERS: dict[str, type[Provider]] = {
    "musicbrainz": MusicBrainz,
    "deezer": Deezer,
    "reccobeats": ReccoBeats,
    "lastfm": LastFm,
}
CACHE_FOLDER = "http-cache"


def cache_dir_for(store_path: Path) -> Path:
    """The HTTP cache of a store: ``<store folder>/http-cache/`` (never in the atlas)."""
    return store_path.parent / CACHE_FOLDER


def chosen_providers(config: ProvidersConfig, names: Sequence[str] | None = None) -> list[str]:
    """The providers a run uses: ``names`` when given, else ``enabled`` plus Last.fm
    when it has a key (a key in linernotes.toml is what enables it).

    Raises :class:`ProviderError` for an unknown name, or Last.fm asked for without key.
    """
    if names:
        chosen = list(dict.fromkeys(n.strip().casefold() for n in names if n.strip()))
        unknown = [n for n in chosen if n not in PROVIDERS]
        if unknown:
            raise ProviderError(
                f"unknown provider {', '.join(unknown)} (known: {', '.join(PROVIDERS)})"
            )
        if "lastfm" in chosen and not config.lastfm_api_key:
            raise ProviderError(NEEDS_KEY)
        return chosen
    chosen = [n for n in dict.fromkeys(config.enabled) if n in PROVIDERS]
    if config.lastfm_api_key and "lastfm" not in chosen:
        chosen.append("lastfm")
    if "lastfm" in chosen and not config.lastfm_api_key:
        log.warning("lastfm is enabled but has no API key: skipped")
        chosen.remove("lastfm")
    return chosen


def open_providers(
    config: ProvidersConfig,
    cache_dir: Path,
    names: Sequence[str] | None = None,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Provider]:
    """Open the chosen providers (see :func:`chosen_providers`), each with its cache file."""
    opened: list[Provider] = []
    for name in chosen_providers(config, names):
        opened.append(PROVIDERS[name].from_config(config, cache_dir, policy=policy, sleep=sleep))
    return opened


__all__ = [
    "PROVIDERS",
    "Provider",
    "ProviderError",
    "RetryPolicy",
    "cache_dir_for",
    "chosen_providers",
    "open_providers",
]
