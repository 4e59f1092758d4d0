"""The command line: parse options, call the library, print results and errors."""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linernotes import __version__
from linernotes.config import Config, load_config
from linernotes.errors import LinernotesError
from linernotes.store import Store, open_store

console = Console(stderr=True)
DEMO_HOME = Path(".linernotes/demo")


@dataclass
class Settings:
    """Options every command shares."""

    config: Config
    db: Path | None


@contextmanager
def _store(settings: Settings, *, create: bool = True) -> Iterator[Store]:
    store = open_store(settings.db or settings.config.store_path, create=create)
    try:
        yield store
    finally:
        store.close()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Settings file (default: ./linernotes.toml when present).",
)
@click.option(
    "--db", type=click.Path(path_type=Path), help="Store file (default: .linernotes/library.db)."
)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.version_option(__version__)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, db: Path | None, verbose: bool) -> None:
    """linernotes: turn your music library into an atlas of Markdown pages."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Settings(load_config(config_path), db)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def import_command(settings: Settings, paths: tuple[Path, ...]) -> None:
    """Import Spotify exports (zips, folders, JSON files) and Exportify CSVs."""
    from linernotes.sources.importer import import_paths

    with _store(settings) as store, _progress() as bar:
        task = bar.add_task("importing", total=None)
        report = import_paths(
            store,
            list(paths),
            on_file=lambda r: bar.update(task, advance=1, description=Path(r.name).name[:40]),
        )
    for result in report.files:
        if result.status == "skipped":
            console.print(f"skipped {result.name}: {result.reason}", markup=False)
    c = report.counts
    click.echo(
        f"imported {sum(r.status == 'imported' for r in report.files)} files "
        f"({sum(r.status == 'unchanged' for r in report.files)} unchanged): "
        f"{c.tracks} new tracks, {c.liked} liked, {c.playlists} playlists, "
        f"{c.plays} plays ({c.plays_skipped} already known)"
    )


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Atlas folder (default: site).")
@click.pass_obj
def build(settings: Settings, out: Path | None) -> None:
    """Analyse the store and write the atlas."""
    target = out or settings.config.out_dir
    with _store(settings, create=False) as store:
        result = _build(store, settings.config, target)
    click.echo(
        f"wrote {result.pages} pages and {result.images} charts to {target}/ — "
        f"start at {target / 'README.md'}"
    )


def _build(store: Store, config: Config, out: Path) -> Any:
    from linernotes.render.build import build_atlas

    with _progress() as bar:
        task = bar.add_task("building atlas", total=None)

        def on_progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return build_atlas(store, config, out, progress=on_progress)


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Atlas folder.",
)
@click.option("--tracks", default=2000, show_default=True, help="Tracks in the demo library.")
@click.option("--plays", default=80_000, show_default=True, help="Plays in the demo history.")
@click.option("--seed", default=7, show_default=True, help="Random seed of the demo.")
@click.pass_obj
def demo(settings: Settings, out: Path, tracks: int, plays: int, seed: int) -> None:
    """Generate a demo library, import it and build its atlas.

    The demo has its own store (.linernotes/demo/library.db), so it never
    mixes with your own library.
    """
    from linernotes.sources.demo import generate_demo
    from linernotes.sources.importer import import_paths

    db = DEMO_HOME / "library.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    export_root = db.parent / "export"
    if export_root.exists():
        shutil.rmtree(export_root)
    with console.status("generating the demo library"):
        layout = generate_demo(export_root, seed=seed, tracks=tracks, plays=plays)
    with open_store(db) as store:
        with console.status("importing the demo export"):
            report = import_paths(store, list(layout.import_paths))
        result = _build(store, settings.config, out)
    click.echo(
        f"demo library: {report.counts.tracks} tracks, {report.counts.plays} plays "
        f"(export in {export_root}, store {db})"
    )
    click.echo(
        f"wrote {result.pages} pages and {result.images} charts to {out}/ — "
        f"start reading at {out / 'README.md'}"
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys in the README).")
@click.pass_obj
def status(settings: Settings, as_json: bool) -> None:
    """Show what the store holds."""
    from linernotes.store.status import store_status

    with _store(settings, create=False) as store:
        info = store_status(store.conn)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"tracks {info['tracks']:,} · liked {info['liked']:,} · playlists "
        f"{info['playlists']:,} · artists {info['artists']:,} · labels {info['labels']:,}"
        f" · genres {info['genres']:,}"
    )
    kinds = ", ".join(f"{k} {n:,}" for k, n in info["plays_by_kind"].items()) or "none"
    click.echo(f"plays: {kinds}; unresolved music plays {info['unresolved_plays']:,}")
    if info["first_play"]:
        click.echo(f"history: {info['first_play'][:10]} to {info['last_play'][:10]}")
    click.echo(f"files: {info['files_imported']:,} imported, {len(info['files_skipped'])} skipped")
    for skipped in info["files_skipped"]:
        click.echo(f"  skipped {skipped['name']}: {skipped['reason']}")
    cov = info["coverage"]
    click.echo("coverage: " + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in cov.items()))


def main() -> None:
    """Entry point: run the CLI, turning domain errors into one line and exit code 1."""
    try:
        cli.main(standalone_mode=False)
    except LinernotesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        console.print("aborted", markup=False)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.print("interrupted: nothing half-written was kept", markup=False)
        sys.exit(130)
