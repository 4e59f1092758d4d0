"""Login (PKCE against the fake accounts service), the token file and where it lives."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from linernotes.config import Config
from linernotes.sources.spotify.auth import SCOPES, TokenFile, login, token_path
from linernotes.sources.spotify.errors import SpotifyAuthError
from linernotes.store import Store
from tests.sources.spotify.conftest import headless_browser, run_sync
from tests.sources.spotify.fake_server import FakeSpotify


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_login_runs_pkce_and_keeps_a_private_token(
    config: Config, fake: FakeSpotify, tmp_path: Path
) -> None:
    token = TokenFile(token_path(config))
    login(config.spotify, token, opener=headless_browser, timeout=10)
    assert token.path == tmp_path / "cache" / "linernotes" / "spotify-token.json"
    assert _mode(token.path) == 0o600 and _mode(token.path.parent) == 0o700
    saved = json.loads(token.path.read_text())
    assert saved["refresh_token"] and set(saved["scope"].split()) == set(SCOPES)
    authorize = next(e for e in fake.log if e.path == "/authorize")
    assert authorize.query["code_challenge_method"] == "S256"
    assert (
        authorize.query["redirect_uri"]
        == f"http://127.0.0.1:{config.spotify.redirect_port}/callback"
    )
    assert "client_secret" not in authorize.query
    assert sorted(p.name for p in token.path.parent.iterdir()) == ["spotify-token.json"]


# Every file in the watched folder, looked at whenever the process is about to open,
# chmod, rename or delete a file (audit hooks cannot be removed: inert when unset).
_WATCH: dict[str, Any] = {"folder": None, "modes": {}}


def _look(event: str, _args: tuple[object, ...]) -> None:
    folder = _WATCH["folder"]
    if folder is None or event not in ("open", "os.chmod", "os.rename", "os.remove"):
        return
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            with contextlib.suppress(FileNotFoundError):
                mode = stat.S_IMODE(entry.stat().st_mode)
                _WATCH["modes"][entry.name] = _WATCH["modes"].get(entry.name, 0) | mode


sys.addaudithook(_look)


def test_the_token_is_private_from_the_moment_it_exists(config: Config, fake: FakeSpotify) -> None:
    token = TokenFile(token_path(config))
    _WATCH["modes"] = {}
    old = os.umask(0)  # a careless umask: a plain open() would make it 0666
    try:
        _WATCH["folder"] = str(token.path.parent)
        login(config.spotify, token, opener=headless_browser, timeout=10)
        for _ in range(5):
            token.save_token_to_cache(fake.issue_token())
    finally:
        _WATCH["folder"] = None
        os.umask(old)
    seen = _WATCH["modes"]
    assert "spotify-token.json" in seen and len(seen) > 1  # the token and its temp files
    assert all(mode == 0o600 for mode in seen.values()), seen
    assert _mode(token.path) == 0o600


@pytest.mark.parametrize("inside", ["working directory", "atlas", "store folder"])
def test_the_token_is_never_kept_in_the_work_the_atlas_or_the_store(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    work = tmp_path / ("work" if inside == "working directory" else "elsewhere")
    work.mkdir(exist_ok=True)
    monkeypatch.chdir(work)
    cache = {
        "working directory": work / ".cache",
        "atlas": config.out_dir / "cache",
        "store folder": config.store_path.parent / "cache",
    }[inside]
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with pytest.raises(SpotifyAuthError, match="XDG_CACHE_HOME"):
        token_path(config)


def test_the_token_is_outside_the_working_directory_and_atlas(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    monkeypatch.chdir(work)
    token = TokenFile(token_path(config))
    login(config.spotify, token, opener=headless_browser, timeout=10)
    assert not token.path.is_relative_to(work) and not token.path.is_relative_to(config.out_dir)
    assert list(work.rglob("*")) == []  # not even spotipy's ".cache"


def test_logout_removes_the_token(config: Config, token: TokenFile) -> None:
    assert token.path.exists()
    assert token.remove() and not token.path.exists()
    assert not token.remove()


def test_sync_without_login_never_opens_a_browser(
    store: Store, config: Config, fake: FakeSpotify
) -> None:
    token = TokenFile(token_path(config))
    with pytest.raises(SpotifyAuthError, match="linernotes login"):
        run_sync(store, config, token)
    assert fake.log == []


def test_a_login_without_the_needed_scopes_asks_to_log_in_again(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify
) -> None:
    saved = json.loads(token.path.read_text())
    token.save_token_to_cache({**saved, "scope": "user-library-read"})
    with pytest.raises(SpotifyAuthError, match="linernotes login"):
        run_sync(store, config, token)
    assert not [e for e in fake.log if e.path == "/authorize"][1:]


def test_an_expired_token_is_renewed_before_the_first_request(
    store: Store, config: Config, token: TokenFile, fake: FakeSpotify
) -> None:
    saved = json.loads(token.path.read_text())
    token.save_token_to_cache({**saved, "expires_at": 0})
    report = run_sync(store, config, token)
    assert report.stopped is None
    refresh = [i for i, e in enumerate(fake.log) if e.path == "/api/token"][-1]
    first_api = next(i for i, e in enumerate(fake.log) if e.path.startswith("/v1/"))
    assert refresh < first_api
    assert json.loads(token.path.read_text())["expires_at"] > 0


def test_a_refused_login_is_one_clear_error(config: Config, fake: FakeSpotify) -> None:
    fake.deny_login = True
    token = TokenFile(token_path(config))
    with pytest.raises(SpotifyAuthError, match="refused the login"):
        login(config.spotify, token, opener=headless_browser, timeout=10)
    assert not token.path.exists()


def test_a_browser_that_never_comes_back_times_out(config: Config) -> None:
    token = TokenFile(token_path(config))
    with pytest.raises(SpotifyAuthError, match="no answer from the browser within 1 s"):
        login(config.spotify, token, opener=lambda url: None, timeout=1)


def test_a_missing_client_id_says_where_to_set_it(config: Config) -> None:
    token = TokenFile(token_path(config))
    spotify = replace(config.spotify, client_id="")
    with pytest.raises(SpotifyAuthError, match="LINERNOTES_SPOTIFY_CLIENT_ID"):
        login(spotify, token, opener=headless_browser, timeout=1)
