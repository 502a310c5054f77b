"""Files every install carries, so harvester behaves the same from a checkout, a wheel or any folder.

This folder is laid out as a config folder without `harvester.toml`:
`people.toml` (what no pattern can know about people: titles, spellings,
offices held) and `sources/` (the shipped source configs, which `harvester
demo` points at the replicas), plus `datasette-metadata.json` (what
`harvester serve` publishes). A config folder's
own `people.toml` or `datasette-metadata.json` replaces the shipped one. The
checkout's `config/sources/` and top-level `datasette-metadata.json` are copies
of these, kept identical by tests/test_package_data.py.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped(*parts: str) -> Path:
    """The path of a shipped file (or of this folder, given no parts).

    A path rather than a resource handle, because Datasette (a child process)
    and the config loader open these by name; pip installs packages as plain
    files, where the resource is one.
    """
    resource = files(__name__).joinpath(*parts)
    if not isinstance(resource, Path):
        raise RuntimeError(f"harvester's package data is not on the file system ({resource}): reinstall it with pip")
    return resource
