"""The `harvester` command line."""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import click

from harvester import __version__
from harvester.config import Config, ConfigError, load_config
from harvester.harvest import SourceResult, fetch_once

config_option = click.option(
    "--config",
    "config_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="config",
    show_default=True,
    help="Config directory: harvester.toml and sources/*.toml.",
)
db_option = click.option(
    "--db",
    "database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Corpus database (default: the config's `database`).",
)


def _load(config_dir: Path) -> Config:
    try:
        return load_config(config_dir)
    except ConfigError as error:
        raise click.ClickException(f"refusing the configuration: {error}") from None


def _progress(source: str, message: str) -> None:
    click.echo(f"[{source}] {message}", err=True)


def _summary(results: list[SourceResult]) -> None:
    header = f"{'source':<18} {'status':<8} {'listing pages':>13} {'new':>5} {'known':>6} {'errors':>6}"
    click.echo(header)
    for result in results:
        counts = result.counts
        click.echo(
            f"{result.source:<18} {result.status:<8} {counts.listing_pages:>13} "
            f"{counts.new_readouts:>5} {counts.known:>6} {counts.errors:>6}"
        )
    for result in results:
        if result.status == "failed":
            click.echo(f"failed: {result.source}: {result.error}", err=True)


@click.group()
@click.version_option(__version__, prog_name="harvester")
def cli() -> None:
    """Harvest, deduplicate and publish diplomatic meeting readouts."""


@cli.group()
def fetch() -> None:
    """Harvest the configured sources."""


@fetch.command("once")
@config_option
@db_option
@click.option("--source", "source_names", multiple=True, help="Harvest only this source (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Listing pages to walk per start URL.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, only the summary.")
def fetch_once_command(
    config_dir: Path, database: Path | None, source_names: tuple[str, ...], max_pages: int | None, quiet: bool
) -> None:
    """Harvest every enabled source once, then exit: the command for cron.

    Exits 0 when every source ran, 1 when any source failed (one line each on
    stderr saying why).
    """
    config = _load(config_dir)
    try:
        results = fetch_once(
            config,
            database=database,
            source_names=source_names,
            max_pages=max_pages,
            progress=(lambda source, message: None) if quiet else _progress,
        )
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    _summary(results)
    if any(result.status == "failed" for result in results):
        sys.exit(1)


@cli.command()
@config_option
@click.option("--port", default=8001, show_default=True, help="Port for Datasette.")
@click.option(
    "--dir",
    "work_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to put the demo's config and corpus (default: a temporary directory).",
)
@click.option("--no-serve", is_flag=True, help="Harvest the replicas and exit, without starting Datasette.")
def demo(config_dir: Path, port: int, work_dir: Path | None, no_serve: bool) -> None:
    """The whole flow offline: replica sites → harvest → Datasette.

    Starts the bundled replica sites on local ports, harvests them with the
    shipped source configs (pointed at the replicas) into a fresh database,
    and serves it with Datasette.
    """
    from harvester.publish import serve
    from harvester.replicas import ReplicaServer, localise_config, replica_sites

    with ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harvester-demo-")))
        servers = [stack.enter_context(ReplicaServer(site)) for site in replica_sites()]
        for server in servers:
            click.echo(f"replica of {server.site.origin} at {server.origin}", err=True)
        local = localise_config(config_dir, servers, work_dir / "config", delay=0.05)
        config = _load(local)
        results = fetch_once(config, progress=_progress)
        _summary(results)
        if no_serve:
            click.echo(f"corpus: {config.settings.database}")
            return
        serve(config.settings.database, port=port, metadata=_metadata_file(config_dir))


def _metadata_file(config_dir: Path) -> Path | None:
    candidate = config_dir.resolve().parent / "datasette-metadata.json"
    return candidate if candidate.exists() else None


@cli.command("serve")
@config_option
@db_option
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve_command(config_dir: Path, database: Path | None, port: int, host: str) -> None:
    """Publish the corpus with Datasette."""
    from harvester.publish import serve

    config = _load(config_dir)
    serve(database or config.settings.database, port=port, host=host, metadata=_metadata_file(config_dir))
