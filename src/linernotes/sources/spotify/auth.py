"""Logging in to Spotify: PKCE through spotipy, and a token file only its owner can read.

Authorization code with PKCE needs no client secret, which suits an app every
person registers for themselves (development mode). The redirect goes to a
loopback address (``http://127.0.0.1:<port>/callback``, as Spotify requires
since 2025 instead of ``localhost``). The token file lives in the user cache
folder (platformdirs; ``XDG_CACHE_HOME`` on Linux), never in the working
directory — spotipy's default ``.cache`` there ends up in commits — nor in the
atlas.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import platformdirs
from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyOauthError
from spotipy.oauth2 import SpotifyPKCE, start_local_http_server

from linernotes.config import Config, SpotifyConfig
from linernotes.sources.spotify.errors import SpotifyAuthError

log = logging.getLogger(__name__)

# The least the sync needs: Liked Songs, private and collaborative playlists,
# followed artists, top items, recently played.
SCOPES = (
    "user-library-read",
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-follow-read",
    "user-top-read",
    "user-read-recently-played",
)
TOKEN_NAME = "spotify-token.json"
LOGIN_TIMEOUT = 300.0  # seconds to wait for the browser to come back

Opener = Callable[[str], object]


def token_path(config: Config, *, avoid: Iterable[Path] = ()) -> Path:
    """Return where the login token is kept: the user cache folder of linernotes.

    Raises :class:`SpotifyAuthError` when that folder lies in the working
    directory (unless it is the home folder or above it), the atlas, the store's
    folder or one of ``avoid`` — a token there is too easily shared.
    """
    path = Path(platformdirs.user_cache_dir("linernotes", appauthor=False)).absolute()
    path = path / TOKEN_NAME
    cwd = Path.cwd().resolve()
    places = [config.out_dir, config.store_path.parent, *avoid]
    if not Path.home().resolve().is_relative_to(cwd):
        places.append(cwd)
    for place in places:
        root = place.absolute().resolve()
        if path.resolve().is_relative_to(root):
            raise SpotifyAuthError(
                f"{path}: the Spotify token would be kept inside {root}; point XDG_CACHE_HOME"
                " (or your system's cache folder) somewhere else"
            )
    return path


class TokenFile(CacheHandler):
    """spotipy's token cache, written so that no one else can ever read it.

    spotipy's own ``CacheFileHandler`` writes the file and then chmods it; here
    the file is created 0600 by ``mkstemp`` in a 0700 folder and renamed into
    place, so it is private from the moment it exists and never half-written.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def get_cached_token(self) -> dict[str, Any] | None:
        """Return the saved token, or None when there is none (or it is unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("%s: cannot read the Spotify token (%s); log in again", self.path, exc)
            return None
        return data if isinstance(data, dict) else None

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        """Write the token atomically, mode 0600 from creation on."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".token-", suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(token_info, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def remove(self) -> bool:
        """Delete the token; return whether there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def redirect_uri(spotify: SpotifyConfig) -> str:
    """Return the redirect URI to register in the Spotify app's settings."""
    return f"http://127.0.0.1:{spotify.redirect_port}/callback"


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class _PKCE(SpotifyPKCE):
    """spotipy's PKCE flow with our accounts URL, opener and time limit; without an
    opener it never starts a login (a sync must not open a browser)."""

    def __init__(
        self,
        spotify: SpotifyConfig,
        token: TokenFile,
        opener: Opener | None,
        timeout: float,
    ) -> None:
        if not spotify.client_id:
            raise SpotifyAuthError(
                "no Spotify client id: set [spotify] client_id in linernotes.toml or"
                " LINERNOTES_SPOTIFY_CLIENT_ID (create an app at developer.spotify.com with"
                f" the redirect URI {redirect_uri(spotify)})"
            )
        super().__init__(
            client_id=spotify.client_id,
            redirect_uri=redirect_uri(spotify),
            scope=list(SCOPES),
            state=secrets.token_urlsafe(16),
            cache_handler=token,
            open_browser=True,
            requests_timeout=min(30, max(1, spotify.retry_after_cap)),
        )
        self.OAUTH_AUTHORIZE_URL = urljoin(_base(spotify.accounts_base), "authorize")
        self.OAUTH_TOKEN_URL = urljoin(_base(spotify.accounts_base), "api/token")
        self._opener = opener
        self._timeout = timeout

    def get_authorization_code(self, response: str | None = None) -> str:
        if self._opener is None:
            raise SpotifyAuthError(
                "not logged in to Spotify, or the login lacks a permission this version"
                " needs: run 'linernotes login'"
            )
        return str(super().get_authorization_code(response))

    def _open_auth_url(self, state: str | None = None) -> None:
        assert self._opener is not None
        self._opener(self.get_authorize_url(state))

    def _get_auth_response_local_server(self, redirect_port: int) -> str:
        # spotipy waits for the browser forever; we give up after self._timeout.
        try:
            server = start_local_http_server(redirect_port)
        except OSError as exc:
            raise SpotifyAuthError(
                f"cannot listen on 127.0.0.1:{redirect_port} for Spotify's answer"
                f" ({exc.strerror}); set [spotify] redirect_port to a free port"
            ) from exc
        try:
            self._open_auth_url()
            deadline = time.monotonic() + self._timeout
            while server.auth_code is None and server.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                server.timeout = left
                server.handle_request()
        finally:
            server.server_close()
        if server.error is not None:
            raise SpotifyAuthError(f"Spotify refused the login: {server.error}")
        if server.auth_code is None:
            raise SpotifyAuthError(
                f"no answer from the browser within {self._timeout:.0f} s;"
                " run 'linernotes login' again"
            )
        if getattr(server, "state", None) != self.state:
            raise SpotifyAuthError("the browser's answer does not belong to this login; try again")
        return str(server.auth_code)


def auth_manager(
    spotify: SpotifyConfig,
    token: TokenFile,
    *,
    opener: Opener | None = None,
    timeout: float = LOGIN_TIMEOUT,
) -> Any:
    """Return spotipy's PKCE manager for ``spotify``; with ``opener`` it may log in."""
    return _PKCE(spotify, token, opener, timeout)


def login(
    spotify: SpotifyConfig, token: TokenFile, *, opener: Opener, timeout: float = LOGIN_TIMEOUT
) -> None:
    """Run the PKCE login: ``opener`` opens the authorize URL in a browser; the answer
    comes back to a one-shot server on 127.0.0.1. Saves the token in ``token``.

    Raises :class:`SpotifyAuthError` when the login is refused, fails or times out.
    """
    manager = auth_manager(spotify, token, opener=opener, timeout=timeout)
    try:
        manager.get_access_token(check_cache=False)
    except SpotifyOauthError as exc:
        raise SpotifyAuthError(f"Spotify refused the login: {exc}") from exc
    if token.get_cached_token() is None:
        raise SpotifyAuthError(f"{token.path}: the login did not produce a token")
