"""Publish stage: the corpus served by Datasette, with the project's metadata."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click


def datasette_command(database: Path, *, port: int, host: str, metadata: Path | None) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", str(database), "--host", host, "--port", str(port)]
    if metadata is not None:
        command += ["--metadata", str(metadata)]
    return command


def serve(database: Path, *, port: int = 8001, host: str = "127.0.0.1", metadata: Path | None = None) -> None:
    """Run Datasette in the foreground until interrupted.

    Datasette opens the database read-only beside a running harvest: WAL mode lets
    readers and the writer work at once.
    """
    if not Path(database).exists():
        raise click.ClickException(f"no corpus at {database}: run `harvester fetch once` first")
    click.echo(f"Serving {database} at http://{host}:{port}/{Path(database).stem}  (Ctrl-C to stop)")
    try:
        subprocess.run(datasette_command(Path(database), port=port, host=host, metadata=metadata), check=False)
    except KeyboardInterrupt:
        pass
