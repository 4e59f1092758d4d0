"""README.md documents every command and every option of the command line.

The tree is walked from click itself, so a new command or option without a
README line fails here (sqlite-utils' ``test_docs.py`` does the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from linernotes.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
_ROW = re.compile(r"^\| `linernotes ([a-z][a-z -]*?)(?: [\[A-Z-]|`)", re.MULTILINE)


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} ")
        else:
            yield path, command


def _long_names(command: click.Command) -> list[str]:
    return [
        name
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--")
    ]


def _rows() -> dict[str, str]:
    """Command path → its line in the README's command table."""
    text = README.read_text(encoding="utf-8")
    return {
        match[1]: text[match.start() : text.index("\n", match.start())]
        for match in _ROW.finditer(text)
    }


def _global_options() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("Global options:")
    return text[start : text.index("\n\n", start)]


COMMANDS = dict(_commands(cli))


def test_the_table_lists_exactly_the_commands() -> None:
    assert len(COMMANDS) >= 8
    assert set(_rows()) == set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_of_a_command_is_in_its_row(path: str) -> None:
    row = _rows().get(path, "")
    missing = [name for name in _long_names(COMMANDS[path]) if not re.search(rf"{name}\b", row)]
    assert row and not missing, f"README row of 'linernotes {path}' lacks {missing}"


def test_every_global_option_is_described() -> None:
    names = _long_names(cli)
    assert {"--db", "--config"} <= set(names)
    paragraph = _global_options()
    assert [name for name in names if f"`{name}" not in paragraph] == []
