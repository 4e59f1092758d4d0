"""Command ``enrich``: identify tracks, then labels, genres, audio features and covers
from open data."""

from __future__ import annotations

from pathlib import Path
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

from linernotes.cli.app import Settings, cli, console, open_settings_store, say

if TYPE_CHECKING:
    from linernotes.config import Config
    from linernotes.sources.covers import CoversRun
    from linernotes.sources.providers.enrich import EnrichReport
    from linernotes.store import Store

COVERS = "covers"  # the covers step, named like a provider in --providers


@cli.command()
@click.option(
    "--providers",
    "names",
    metavar="NAMES",
    help="Comma-separated: musicbrainz, deezer, reccobeats, lastfm, covers"
    " (default: [providers] enabled, plus lastfm when it has a key, then covers).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Look up at most N tracks per provider, and N covers (the most listened first).",
)
@click.pass_obj
def enrich(settings: Settings, names: str | None, limit: int | None) -> None:
    """Identify tracks, fill missing labels, genres and audio features from open data,
    then fetch covers (no account needed).

    Tracks are identified by Spotify id (ReccoBeats), else by names (Deezer,
    MusicBrainz, strong matches only). Only what is missing is asked,
    most-listened tracks first; every answer is cached next to the store, covers
    too. Interrupt it at any moment: run it again to go on.
    """
    from linernotes.sources.providers import cache_dir_for, open_providers
    from linernotes.sources.providers.enrich import Enrichment, ProviderRun
    from linernotes.store.status import store_status

    config = settings.config.providers
    db = settings.db or settings.config.store_path
    chosen = [n.strip().casefold() for n in names.split(",")] if names else None
    covers = chosen is None or COVERS in chosen
    if chosen is not None:
        chosen = [n for n in chosen if n != COVERS]
    with open_settings_store(settings, create=False) as store:
        providers = open_providers(config, cache_dir_for(db), chosen) if chosen != [] else []
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
                cover_runs: list[CoversRun] = []
                try:
                    report: EnrichReport = job.run()
                    if covers:
                        cover_runs = _fetch_covers(store, settings.config, db, limit, bar)
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
    _print_covers(cover_runs)
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


def _fetch_covers(
    store: Store, config: Config, db: Path, limit: int | None, bar: Progress
) -> list[CoversRun]:
    """The covers step: Cover Art Archive lookups, then downloads into the cover cache
    (none with ``covers = "remote"``: the atlas links the URLs)."""
    from linernotes.artwork import CoverCache
    from linernotes.sources.covers import fetch_covers, open_web
    from linernotes.sources.providers import cache_dir_for

    archive, web = open_web(config.providers, cache_dir_for(db))
    tasks: dict[str, TaskID] = {}

    def started(run: CoversRun) -> None:
        tasks[run.stage] = bar.add_task(run.stage, total=run.planned)

    def advanced(run: CoversRun) -> None:
        bar.update(tasks[run.stage], completed=run.done)

    try:
        return fetch_covers(
            store,
            CoverCache.beside(db),
            archive,
            web if config.atlas.covers == "local" else None,
            limit=limit,
            on_start=started,
            on_progress=advanced,
        )
    finally:
        archive.close()
        web.close()


def _print_covers(runs: list[CoversRun]) -> None:
    for run in runs:
        if not run.planned:
            click.echo(f"{run.stage}: nothing to fetch")
            continue
        what = "releases looked up" if run.stage == "coverartarchive" else "covers fetched"
        line = (
            f"{run.stage}: {run.done - run.left} of {run.planned} {what}, found {run.found},"
            f" not found {run.not_found}"
        )
        if run.refused:
            line += f", {run.refused} refused (not a usable image; see --verbose)"
        click.echo(line)
        for reason in run.stopped:
            click.echo(f"  left for the next run: {reason}")
        click.echo(f"  {run.requests} requests")


def _print_report(report: EnrichReport) -> None:
    for run in report.runs:
        if run.stopped:
            say(f"{run.name}: stopped after {run.done} of {run.planned}: {run.stopped}")
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
