"""Command ``enrich``: identify tracks, then labels, genres, covers and audio features
from open-data providers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from linernotes.cli.app import Settings, cli, console, open_settings_store

if TYPE_CHECKING:
    from linernotes.sources.providers.enrich import EnrichReport


@cli.command()
@click.option(
    "--providers",
    "names",
    metavar="NAMES",
    help="Comma-separated: musicbrainz, deezer, reccobeats, lastfm"
    " (default: [providers] enabled, plus lastfm when it has a key).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Look up at most N tracks per provider (the most listened first).",
)
@click.pass_obj
def enrich(settings: Settings, names: str | None, limit: int | None) -> None:
    """Identify tracks and fill missing covers, labels, genres and audio features
    from open data (no account needed).

    Tracks are identified by Spotify id (ReccoBeats), else by names (Deezer,
    MusicBrainz, strong matches only). Only what is missing is asked,
    most-listened tracks first; every answer is cached next to the store.
    Interrupt it at any moment: run it again to go on.
    """
    from linernotes.sources.providers import cache_dir_for, open_providers
    from linernotes.sources.providers.enrich import Enrichment, ProviderRun
    from linernotes.store.status import store_status

    config = settings.config.providers
    db = settings.db or settings.config.store_path
    chosen = names.split(",") if names else None
    with open_settings_store(settings, create=False) as store:
        providers = open_providers(config, cache_dir_for(db), chosen)
        try:
            with _progress() as bar:
                tasks: dict[str, TaskID] = {}

                def started(run: ProviderRun) -> None:
                    tasks[run.name] = bar.add_task(run.name, total=run.planned)

                def advanced(run: ProviderRun) -> None:
                    bar.update(tasks[run.name], completed=run.done, total=run.planned)

                job = Enrichment(
                    store,
                    providers,
                    config.source_order,
                    limit=limit,
                    on_start=started,
                    on_progress=advanced,
                )
                try:
                    report: EnrichReport = job.run()
                except KeyboardInterrupt:
                    bar.stop()
                    _print_report(job.report)
                    console.print("interrupted: every lookup done so far is kept", markup=False)
                    console.print("run 'linernotes enrich' again to go on", markup=False)
                    raise
        finally:
            for provider in providers:
                provider.close()
        coverage = store_status(store.conn).coverage.shares()
    _print_report(report)
    click.echo(
        "coverage: " + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in coverage.items())
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def _print_report(report: EnrichReport) -> None:
    for run in report.runs:
        if run.stopped:
            click.echo(f"{run.name}: stopped after {run.done} of {run.planned}: {run.stopped}")
        elif not run.planned:
            click.echo(f"{run.name}: nothing to look up")
            continue
        else:
            unreadable = f", {run.unreadable} unreadable (asked again next run)"
            click.echo(
                f"{run.name}: looked up {run.done} of {run.planned} tracks, found"
                f" {run.found}, not found {run.not_found}" + (unreadable if run.unreadable else "")
            )
        click.echo(f"  {run.requests} requests, {run.cache_hits} answers from the cache")
