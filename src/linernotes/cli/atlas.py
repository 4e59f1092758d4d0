"""Commands that make the atlas: ``build`` and ``demo``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from linernotes.cli.app import Settings, cli, open_settings_store, progress_bar
from linernotes.config import Config
from linernotes.store import Store

if TYPE_CHECKING:  # the build pulls in numpy, sklearn and matplotlib: load it when used
    from linernotes.pipeline import BuildResult

DEMO_HOME = Path(".linernotes/demo")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Atlas folder (default: site).")
@click.option(
    "--cold",
    is_flag=True,
    help="Reuse nothing from the previous atlas or the caches (same result, slower).",
)
@click.pass_obj
def build(settings: Settings, out: Path | None, cold: bool) -> None:
    """Analyse the store and write the atlas (only what changed since the last build)."""
    from linernotes.cli.library import print_next_steps
    from linernotes.incremental import republish  # light: no analysis is loaded
    from linernotes.store.status import next_steps, store_status

    target = out or settings.config.out_dir
    with open_settings_store(settings, create=False) as store:
        same = None if cold else republish(store, settings.config, target)
        if same is not None:
            pages, images, what = same.pages, same.images, "nothing changed: published again"
        else:
            result = _build(store, settings.config, target, cold)
            pages, images, what = result.pages, result.images, "wrote"
        steps = next_steps(store_status(store.conn))
    click.echo(
        f"{what} {pages:,} pages and {images:,} charts to {target}/ — "
        f"start at {target / 'README.md'}"
    )
    print_next_steps(steps)


def _build(store: Store, config: Config, out: Path, cold: bool) -> BuildResult:
    from linernotes.pipeline import build

    with progress_bar() as bar:
        task = bar.add_task("building atlas", total=None)

        def on_progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return build(store, config, out, progress=on_progress, cold=cold)


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
    from linernotes.pipeline import make_demo

    with progress_bar() as bar:
        task = bar.add_task("demo", total=None)

        def on_progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        made = make_demo(
            DEMO_HOME,
            out,
            settings.config,
            seed=seed,
            tracks=tracks,
            plays=plays,
            progress=on_progress,
        )
    click.echo(
        f"demo library: {made.tracks:,} tracks, {made.plays:,} plays "
        f"(export in {made.export}, store {made.store})"
    )
    click.echo(
        f"wrote {made.build.pages:,} pages and {made.build.images:,} charts to {out}/ — "
        f"start reading at {out / 'README.md'}"
    )
