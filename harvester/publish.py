"""Publish stage: the corpus served by Datasette, with the project's metadata, templates and plugin."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from harvester.errors import PublishError
from harvester.store import Store

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
PLUGINS = PACKAGE / "datasette_plugins"
METADATA_DATABASE = "readouts"
# Suggested facets try every column of a 100k-row table on each page view;
# the metadata names the useful facets instead. Long texts are cut in tables
# (the row page shows them whole).
SETTINGS = {"suggest_facets": "off", "truncate_cells_html": "300", "facet_time_limit_ms": "1000"}


def effective_metadata(database: Path, metadata: Path | None, archive: Path | None) -> dict[str, Any]:
    """The metadata file as this database needs it.

    The shipped file describes a database named `readouts` (the default
    `corpus/readouts.db`); Datasette names a database after its file, so a
    corpus at another path gets the same description under its own name. The
    archive folder reaches the plugin as its configuration.
    """
    data: dict[str, Any] = json.loads(metadata.read_text(encoding="utf-8")) if metadata else {}
    databases = data.get("databases", {})
    name = Path(database).stem
    if METADATA_DATABASE in databases and name != METADATA_DATABASE:
        databases[name] = databases.pop(METADATA_DATABASE)
    if archive is not None:
        data.setdefault("plugins", {})["harvester"] = {"archive": str(Path(archive).resolve())}
    return data


def datasette_command(database: Path, *, port: int, host: str, metadata: Path | None) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", str(database), "--host", host, "--port", str(port)]
    command += ["--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS)]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    if metadata is not None:
        command += ["--metadata", str(metadata)]
    return command


def prepare(database: Path, *, metadata: Path | None, archive: Path | None, directory: Path) -> Path:
    """Bring the corpus schema up to date (facet indexes, year column) and write the metadata to `directory`.

    The corpus may have been written by an older harvester; opening it with the
    store adds what is missing, waiting its turn if a harvest is writing.
    """
    Store(database).close()
    target = directory / "datasette-metadata.json"
    target.write_text(json.dumps(effective_metadata(database, metadata, archive), ensure_ascii=False), encoding="utf-8")
    return target


def serve(
    database: Path,
    *,
    port: int = 8001,
    host: str = "127.0.0.1",
    metadata: Path | None = None,
    archive: Path | None = None,
) -> None:
    """Run Datasette in the foreground until interrupted.

    Datasette opens the database read-only beside a running harvest: WAL mode lets
    readers and the writer work at once.
    """
    if not Path(database).exists():
        raise PublishError(f"no corpus at {database}: run `harvester fetch once` first")
    _can_listen(host, port)
    with tempfile.TemporaryDirectory(prefix="harvester-serve-") as directory:
        written = prepare(Path(database), metadata=metadata, archive=archive, directory=Path(directory))
        if metadata is not None:
            click.echo(f"Datasette metadata: {metadata}", err=True)
        click.echo(f"Serving {database} at http://{host}:{port}/{Path(database).stem}  (Ctrl-C to stop)")
        process = subprocess.Popen(datasette_command(Path(database), port=port, host=host, metadata=written))
        # A service manager stops us with SIGTERM: Datasette must not outlive us.
        previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        stopping = False
        try:
            process.wait()
        except KeyboardInterrupt:
            stopping = True
            process.terminate()
            process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
        if process.returncode not in (0, -signal.SIGTERM) and not stopping:
            raise PublishError(f"Datasette ended with exit code {process.returncode}")


def _can_listen(host: str, port: int) -> None:
    """Fail before saying "Serving": a port in use would otherwise end Datasette at once and us with exit 0."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:
        raise PublishError(f"cannot listen on {host}:{port}: {error}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise PublishError(f"cannot listen on {host}:{port}: {error.strerror}") from None
