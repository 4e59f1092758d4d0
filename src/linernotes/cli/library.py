"""Commands about the store: ``import`` and ``status``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from linernotes.cli.app import Settings, cli, open_settings_store, progress_bar, say
from linernotes.text import for_terminal

if TYPE_CHECKING:
    from linernotes.store.status import Identification

# Beyond this many, skipped files and rows are counted rather than listed one by one.
SHOWN = 20


def _paths(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Path]:
    # Path('') is Path('.'): an empty argument would import the current folder.
    if any(not value for value in values):
        raise click.BadParameter("an empty path names no file or folder", ctx, param)
    return [Path(value) for value in values]


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=_paths)
@click.pass_obj
def import_command(settings: Settings, paths: list[Path]) -> None:
    """Import Spotify exports (zips, folders, JSON files) and Exportify CSVs."""
    from linernotes.sources.importer import import_paths
    from linernotes.store.status import next_steps, store_status

    with open_settings_store(settings) as store, progress_bar() as bar:
        task = bar.add_task("importing", total=None)
        report = import_paths(
            store,
            paths,
            on_file=lambda r: bar.update(task, advance=1, description=_short(r.name)),
            on_start=lambda files: bar.update(task, total=files),
        )
        steps = next_steps(store_status(store.conn))
    skipped = [r for r in report.files if r.status == "skipped"]
    for result in skipped[:SHOWN]:
        say(f"skipped {result.name}: {result.reason}", err=True)
    if len(skipped) > SHOWN:
        say(f"skipped {len(skipped) - SHOWN:,} more files ('status --json' lists them)", err=True)
    for result in report.files:
        for note in result.notes:
            say(f"{result.name}: {note}", err=True)
        if result.rows_skipped:
            say(
                f"{result.name}: skipped {result.rows_skipped:,} rows with impossible values"
                " ('linernotes status' says which)",
                err=True,
            )
    c = report.counts
    click.echo(
        f"imported {sum(r.status == 'imported' for r in report.files):,} files "
        f"({sum(r.status == 'unchanged' for r in report.files):,} unchanged): "
        f"{c.tracks:,} new tracks, {c.liked:,} liked, {c.playlists:,} playlists, "
        f"{c.plays:,} plays ({c.plays_skipped:,} already known)"
    )
    print_next_steps(steps)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys in the README).")
@click.pass_obj
def status(settings: Settings, as_json: bool) -> None:
    """Show what the store holds."""
    from linernotes.store.status import store_status

    with open_settings_store(settings, create=False) as store:
        info = store_status(store.conn)
    if as_json:
        click.echo(json.dumps(info.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"tracks {info.tracks:,} · liked {info.liked:,} · playlists {info.playlists:,}"
        f" · artists {info.artists:,} · labels {info.labels:,} · genres {info.genres:,}"
    )
    kinds = ", ".join(f"{k} {n:,}" for k, n in info.plays_by_kind.items()) or "none"
    click.echo(f"plays: {kinds}; unresolved music plays {info.unresolved_plays:,}")
    if info.first_play and info.last_play:
        click.echo(f"history: {info.first_play[:10]} to {info.last_play[:10]}")
    click.echo(f"files: {info.files_imported:,} imported, {len(info.files_skipped)} skipped")
    for skipped in info.files_skipped[:SHOWN]:
        say(f"  skipped {skipped.name}: {skipped.reason}")
    if len(info.files_skipped) > SHOWN:
        say(f"  and {len(info.files_skipped) - SHOWN:,} more ('status --json' lists all)")
    rows = info.rows_skipped
    click.echo(f"rows skipped (impossible values): {sum(r.rows for r in rows):,}")
    for row in rows[:SHOWN]:
        say(f"  {row.name}: {row.rows:,} × {row.reason} (first at {row.first_at}: {row.example})")
    click.echo("coverage: " + _shares(info.coverage.shares()))
    for field, sources in info.coverage_by_source.items():
        click.echo(f"  {field.replace('_', ' ')} by source: {_shares(sources) or 'none'}")
    _identification(info.identification)


def _identification(how: Identification) -> None:
    """``identified: 1,380 of 1,426 tracks — by ISRC from the import 0, by Spotify id …``."""
    total = how.isrc + how.spotify_id + how.name_search + how.not_found + how.not_asked
    score = f" (lowest score {how.name_search_min_score:.2f})" if how.name_search else ""
    click.echo(
        f"identified: {total - how.not_found - how.not_asked:,} of {total:,} tracks — "
        f"ISRC from the import {how.isrc:,}, by Spotify id {how.spotify_id:,}, "
        f"by names {how.name_search:,}{score}; not found {how.not_found:,},"
        f" not asked yet {how.not_asked:,}"
    )
    if how.with_spotify_id:
        share = how.with_spotify_id_and_features / how.with_spotify_id
        click.echo(
            f"  audio features: {how.with_spotify_id_and_features:,} of"
            f" {how.with_spotify_id:,} tracks with a Spotify id ({share:.0%})"
        )


def print_next_steps(steps: list[str]) -> None:
    """One line per next step (``store.status.next_steps``)."""
    for step in steps:
        click.echo(f"next: {step}")


def _shares(shares: dict[str, float]) -> str:
    """``cover 98%, audio features 78%``."""
    return ", ".join(f"{name.replace('_', ' ')} {share:.0%}" for name, share in shares.items())


def _short(name: str) -> str:
    """The file name a progress bar shows: its last part cut to 40 characters, made
    safe for the terminal and for rich (which reads "[...]" as markup)."""
    return escape(for_terminal(Path(name.replace("!", "/")).name[:40]))
