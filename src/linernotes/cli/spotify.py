"""Commands for the Spotify Web API: ``login``, ``logout`` and ``sync``."""

from __future__ import annotations

import logging
import webbrowser
from typing import TYPE_CHECKING

import click

from linernotes.cli.app import Settings, cli, console, open_settings_store, progress_bar
from linernotes.text import for_terminal

if TYPE_CHECKING:
    from linernotes.sources.spotify.auth import TokenFile
    from linernotes.sources.spotify.context import SyncReport


def _token(settings: Settings) -> TokenFile:
    from linernotes.sources.spotify.auth import TokenFile, token_path

    avoid = [settings.db.parent] if settings.db else []
    return TokenFile(token_path(settings.config, avoid=avoid))


def _quiet_spotipy() -> None:
    # spotipy logs every HTTP error at ERROR level; the client retries or reports them.
    logging.getLogger("spotipy").setLevel(logging.CRITICAL)


def _open_in_browser(url: str) -> None:
    click.echo("Opening Spotify's login page in your browser; if nothing opens, visit:", err=True)
    click.echo(url, err=True)
    webbrowser.open(url)


@cli.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds to wait for the browser to come back.",
)
@click.pass_obj
def login(settings: Settings, timeout: float) -> None:
    """Log in to Spotify (PKCE: your app's client id, no secret)."""
    from linernotes.sources.spotify.auth import login as run_login

    _quiet_spotipy()
    token = _token(settings)
    run_login(settings.config.spotify, token, opener=_open_in_browser, timeout=timeout)
    click.echo(f"logged in to Spotify; token kept in {token.path} (readable only by you)")


@cli.command()
@click.pass_obj
def logout(settings: Settings) -> None:
    """Forget the Spotify login (delete the token file)."""
    token = _token(settings)
    if token.remove():
        click.echo(f"logged out: removed {token.path}")
    else:
        click.echo(f"not logged in (no token at {token.path})")


@cli.command()
@click.option(
    "--complete/--no-complete",
    default=True,
    show_default=True,
    help="Look up export-only tracks one by one, within [spotify] daily_budget.",
)
@click.pass_obj
def sync(settings: Settings, complete: bool) -> None:
    """Bring your Spotify library into the store (resumable, within the API's limits)."""
    from linernotes.sources.spotify.sync import connect, sync_spotify

    _quiet_spotipy()
    spotify = settings.config.spotify
    token = _token(settings)
    with open_settings_store(settings) as store:
        client = connect(store, spotify, token)
        try:
            with progress_bar() as bar:
                task = bar.add_task("syncing", total=None)

                def on_progress(stage: str, done: int, total: int | None) -> None:
                    bar.update(task, description=stage, completed=done, total=total)

                report = sync_spotify(
                    store,
                    client,
                    budget=spotify.daily_budget,
                    complete=complete,
                    on_progress=on_progress,
                )
        finally:
            client.close()
    _print_report(report, complete=complete)
    if report.stopped is not None:
        raise report.stopped


def _print_report(report: SyncReport, *, complete: bool) -> None:
    who = f" as {for_terminal(report.user)}" if report.user else ""
    click.echo(
        f"synced{who}: {report.playlists_synced} playlists"
        f" ({report.playlists_unchanged} unchanged), {report.liked_new} new liked,"
        f" {report.followed} followed artists, {report.top_entries} top entries,"
        f" {report.recent_new} new recent plays"
    )
    if complete and report.budget_left is not None:
        click.echo(
            f"completed {report.completed} export-only tracks ({report.not_found} not found);"
            f" {report.to_complete} left, {report.budget_left} lookups left today"
        )
    if report.not_readable:
        names = for_terminal(", ".join(report.not_readable[:5]))
        more = f" and {len(report.not_readable) - 5} more" if len(report.not_readable) > 5 else ""
        console.print(
            f"{len(report.not_readable)} followed playlists are not readable: {names}{more}",
            markup=False,
            soft_wrap=True,
        )
        if report.explain_not_readable:
            console.print(
                "Spotify lets a development-mode app read only the playlists you own or"
                " collaborate on; the others come from your account-data export"
                " ('linernotes import').",
                markup=False,
                soft_wrap=True,
            )
    for line in report.skipped:
        console.print(for_terminal(line), markup=False, soft_wrap=True)
    click.echo(f"requests sent: {report.requests}")
