"""``linernotes login``, ``sync`` and ``logout`` as a person runs them: real processes,
a browser given by ``BROWSER``, settings from ``linernotes.toml`` and the environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linernotes.config import Config
from linernotes.sources.spotify.auth import TokenFile
from tests.sources.spotify.conftest import CAP
from tests.sources.spotify.fake_server import FakeSpotify, Fault

BROWSER = """#!{python}
# A browser whose user says yes: fetch the URL in the background and follow the
# redirect to linernotes' callback (webbrowser waits for this process to exit).
import subprocess, sys
code = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10).read()"
subprocess.Popen([sys.executable, "-c", code, sys.argv[1]], start_new_session=True)
"""


@pytest.fixture
def workdir(tmp_path: Path, config: Config, fake: FakeSpotify) -> Path:
    """A working directory with a linernotes.toml; the fake's URLs and the client id come
    from the environment (as behind a proxy or in CI)."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    (work / "linernotes.toml").write_text(
        f"[spotify]\nredirect_port = {config.spotify.redirect_port}\n"
        f"retry_after_cap = {CAP}\ndaily_budget = 50\n",
        encoding="utf-8",
    )
    return work


def run(workdir: Path, fake: FakeSpotify, *args: str) -> subprocess.CompletedProcess[str]:
    browser = workdir.parent / "browser"
    browser.write_text(BROWSER.format(python=sys.executable), encoding="utf-8")
    browser.chmod(0o755)
    env = {
        **os.environ,
        "BROWSER": str(browser),
        "LINERNOTES_SPOTIFY_CLIENT_ID": fake.client_id,
        "LINERNOTES_SPOTIFY_API_BASE": fake.api_base,
        "LINERNOTES_SPOTIFY_ACCOUNTS_BASE": fake.accounts_base,
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "linernotes", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_login_sync_and_logout(workdir: Path, fake: FakeSpotify, tmp_path: Path) -> None:
    done = run(workdir, fake, "login", "--timeout", "20")
    assert done.returncode == 0, done.stderr
    token = tmp_path / "cache" / "linernotes" / "spotify-token.json"
    assert f"token kept in {token}" in done.stdout and token.stat().st_mode & 0o777 == 0o600
    first = run(workdir, fake, "sync")
    assert first.returncode == 0, first.stderr
    assert "synced as Liner Tester: 6 playlists (0 unchanged), 120 new liked" in first.stdout
    assert "2 followed playlists are not readable: Their Hits 0, Their Hits 1" in first.stderr
    assert "only the playlists you own or collaborate on" in first.stderr
    second = run(workdir, fake, "sync")
    assert second.returncode == 0, second.stderr
    assert "0 playlists (6 unchanged), 0 new liked" in second.stdout
    assert "not readable" in second.stderr and "collaborate on" not in second.stderr  # once
    assert "requests sent: 5" in second.stdout
    assert sorted(p.name for p in workdir.iterdir()) == [".linernotes", "linernotes.toml"]
    out = run(workdir, fake, "logout")
    assert out.returncode == 0 and f"removed {token}" in out.stdout and not token.exists()
    refused = run(workdir, fake, "sync")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "error: not logged in to Spotify: run 'linernotes login' first"
    )


@pytest.mark.slow
def test_a_day_long_retry_after_exits_within_the_cap_with_the_resume_time(
    workdir: Path, fake: FakeSpotify, token: TokenFile
) -> None:
    fake.inject(r"^/v1/me/tracks$", Fault.too_many("86400"), after=1)
    started = time.monotonic()
    stopped = run(workdir, fake, "sync")
    elapsed = time.monotonic() - started
    assert stopped.returncode == 1 and elapsed < CAP + 5
    last = stopped.stderr.strip().splitlines()[-1]
    assert last.startswith("error: GET /me/tracks: Spotify asks to wait 24.0 h (rate limit)")
    assert "everything fetched so far is saved" in last and "resume after 20" in last
    assert "50 new liked" in stopped.stdout  # the first page is kept
    sent = len(fake.api_requests())
    again = run(workdir, fake, "sync")
    assert again.returncode == 1 and "no request is sent before" in again.stderr
    assert len(fake.api_requests()) == sent
