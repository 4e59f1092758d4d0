"""Fixtures: the fake Spotify service, a config pointing at it, a logged-in token."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import requests

from linernotes.clock import utc_now
from linernotes.config import Config, SpotifyConfig
from linernotes.sources.spotify.auth import TokenFile, login, token_path
from linernotes.sources.spotify.client import SpotifyClient
from linernotes.sources.spotify.context import SyncReport
from linernotes.sources.spotify.sync import connect, sync_spotify
from linernotes.store import Store, open_store
from tests.sources.spotify.fake_library import Library, generate_library
from tests.sources.spotify.fake_server import FakeSpotify

CAP = 2  # seconds: the Retry-After cap of every test


def free_port() -> int:
    """Return a loopback port nobody listens on (for the login's redirect)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def headless_browser(url: str) -> None:
    """Open ``url`` like a browser whose user says yes: GET it and follow the redirect
    to the local callback (in a thread, as a browser runs beside the waiting CLI)."""
    threading.Thread(target=lambda: requests.get(url, timeout=10), daemon=True).start()


@pytest.fixture
def library() -> Library:
    return generate_library()


@pytest.fixture
def fake(library: Library) -> Iterator[FakeSpotify]:
    server = FakeSpotify(library).start()
    yield server
    server.stop()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeSpotify) -> Config:
    """Settings pointing at the fake, with the cache folder under ``tmp_path``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spotify = SpotifyConfig(
        client_id=fake.client_id,
        redirect_port=free_port(),
        api_base=fake.api_base,
        accounts_base=fake.accounts_base,
        retry_after_cap=CAP,
    )
    return replace(
        Config(),
        spotify=spotify,
        store_path=tmp_path / "work" / ".linernotes" / "library.db",
        out_dir=tmp_path / "work" / "site",
    )


@pytest.fixture
def token(config: Config) -> TokenFile:
    """A real PKCE login against the fake; returns the token file."""
    file = TokenFile(token_path(config))
    login(config.spotify, file, opener=headless_browser, timeout=10)
    return file


@pytest.fixture
def store(config: Config) -> Iterator[Store]:
    with open_store(config.store_path) as s:
        yield s


Clock = Callable[[], datetime]


def run_sync(
    store: Store,
    config: Config,
    token: TokenFile,
    *,
    now: Clock = utc_now,
    complete: bool = True,
    budget: int | None = None,
) -> SyncReport:
    """One sync as the CLI runs it, with fast backoff."""
    client: SpotifyClient = connect(store, config.spotify, token, now=now, backoff=0.05)
    try:
        return sync_spotify(
            store,
            client,
            budget=config.spotify.daily_budget if budget is None else budget,
            complete=complete,
            now=now,
        )
    finally:
        client.close()
