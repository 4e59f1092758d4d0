"""The command line: parse options, call the library, print results and errors."""

from __future__ import annotations

import sys

import click

from linernotes.cli import atlas, enrich, library, spotify  # noqa: F401  (commands register)
from linernotes.cli.app import cli, console
from linernotes.errors import LinernotesError

__all__ = ["cli", "main"]


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
