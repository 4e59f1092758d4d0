"""Run the command line in process, through ``linernotes.cli.main`` like the console script.

``main`` turns a ``LinernotesError`` into one ``error: …`` line and exit code 1
outside click's standalone mode; invoking the click group directly would skip
that, so ``run_cli`` hands ``main`` to click's ``CliRunner`` (isolated streams,
exit code, separate stderr) behind a thin command.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any
from unittest import mock

import click
from click.testing import CliRunner, Result

from linernotes.cli import main


class _EntryPoint(click.Command):
    """A command whose ``main`` is linernotes' own entry point, reading ``sys.argv``."""

    def main(
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **_: Any
    ) -> Any:
        with mock.patch.object(sys, "argv", [prog_name or "linernotes", *(args or ())]):
            main()


_ENTRY = _EntryPoint("linernotes")


def run_cli(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``linernotes ARGS`` in process; unexpected exceptions propagate to the test."""
    return CliRunner(catch_exceptions=False).invoke(_ENTRY, list(args), env=env)


def error_lines(result: Result) -> list[str]:
    """The non-blank lines the command wrote to stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]
