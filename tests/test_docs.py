"""The README's command table is the reference people read: it may not fall behind `--help`.

As sqlite-utils' docs tests do, every command and every option the command line
accepts must appear in the README's "Commands" table, in a row for that command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from harvester.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


def _table_rows() -> list[str]:
    """The first cells of the README's "Commands" table."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `harvester ")]


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name: str, command: click.Command) -> None:
    rows = [row for row in _table_rows() if re.match(rf"\| `harvester {re.escape(name)}\b", row)]
    assert rows, f"`harvester {name}` has no row in the README's Commands table"
    documented = " ".join(rows)
    for option in command.params:
        if not isinstance(option, click.Option) or option.hidden:
            continue
        spelled = [opt for opt in option.opts if re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", documented)]
        assert spelled, f"`harvester {name} {max(option.opts, key=len)}` is missing from its README row"
