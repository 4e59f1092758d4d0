"""The command group and what every command shares: settings, the store, the console."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linernotes import __version__
from linernotes.config import Config, load_config
from linernotes.store import Store, open_store
from linernotes.text import for_terminal

console = Console(stderr=True)


@dataclass
class Settings:
    """Options every command shares."""

    config: Config
    db: Path | None


@contextmanager
def open_settings_store(settings: Settings, *, create: bool = True) -> Iterator[Store]:
    """Open the store the options and settings name; what SQLite refuses while it is
    open (locked, disk full, damaged) becomes one :class:`StoreError` line."""
    store = open_store(settings.db or settings.config.store_path, create=create)
    try:
        yield store
    except sqlite3.Error as exc:
        raise (store.error(exc) or exc) from exc
    finally:
        store.close()


def say(text: str, *, err: bool = False) -> None:
    """Print one line (on stderr with ``err``) with what names hold made harmless
    (control characters shown as escapes): names come from files anyone can craft."""
    click.echo(for_terminal(text), err=err)


def progress_bar() -> Progress:
    """The progress bar of long steps (on stderr, gone when done)."""
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
