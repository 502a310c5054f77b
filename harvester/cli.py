"""The `harvester` command line."""

from __future__ import annotations

import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from harvester import __version__
from harvester.config import Config, ConfigError, load_config
from harvester.data import shipped
from harvester.errors import HarvesterError
from harvester.extract.text import blocks_of
from harvester.harvest import SourceResult, fetch_once

if TYPE_CHECKING:
    from harvester.check import ListingReport
    from harvester.store import Failure
    from harvester.replicas import ReplicaServer

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


def _load(config_dir: Path, database: Path | None = None) -> Config:
    """The config folder; for a command given `--db` with no ./config, the shipped one around that corpus.

    A corpus handed over without its config can then be served, and its failures read:
    its raw archive is taken to lie beside it (`archive/`), as `harvester fetch once` lays them out.
    """
    defaulted = click.get_current_context().get_parameter_source("config_dir") is ParameterSource.DEFAULT
    if database is not None and defaulted and not config_dir.is_dir():
        config = load_config(shipped())
        settings = replace(config.settings, database=database, archive=database.parent / "archive")
        return replace(config, settings=settings)
    return load_config(config_dir)


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
        if result.error:  # failed, stopped by the budget, locked by another run, or a host that refused
            click.echo(f"{result.status}: {result.source}: {result.error}", err=True)
        if result.degraded:
            click.echo(f"degraded: {result.source}: {result.degraded}", err=True)


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from harvester.schedule import parse_duration

    try:
        return None if value is None else parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


class HarvesterGroup(click.Group):
    """The command group, and the one place where harvester's errors become what a person reads.

    Any `HarvesterError` (and an `OSError` from a disk that is full or read-only) that a command
    lets out is printed as one line, `Error: <what, where, what to do>`, with exit status 1.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise click.ClickException(_one_line(f"refusing the configuration: {error}")) from None
        except HarvesterError as error:
            raise click.ClickException(_one_line(str(error))) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(
                _one_line(f"{where}{error.strerror or error}: check that the disk has room and the path is writable")
            ) from None


def _one_line(message: str) -> str:
    return " ".join(message.split())


@click.group(cls=HarvesterGroup)
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
@click.option(
    "--budget",
    callback=_duration,
    help="Stop after this long (e.g. 20m), committing what was stored; the next run resumes the walk.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Also fetch the known readouts of the walked listing pages again; a changed text keeps the old one as a version.",
)
def fetch_once_command(
    config_dir: Path,
    database: Path | None,
    source_names: tuple[str, ...],
    max_pages: int | None,
    quiet: bool,
    budget: float | None,
    refresh: bool,
) -> None:
    """Harvest every enabled source once, then exit: the command for cron.

    Exits 0 when every source ran (or was skipped because another run holds
    it, or stopped at the budget or by SIGTERM), 1 when any source failed or a
    listing gave no readout links at all (one line each on stderr saying why),
    and with a one-line error when the corpus cannot be used.
    """
    config = _load(config_dir)
    deadline = None if budget is None else time.monotonic() + budget
    terminated: list[str] = []

    def out_of_time() -> str | None:
        if terminated:
            return terminated[0]
        if deadline is not None and time.monotonic() >= deadline:
            return f"the budget of {budget:g} s is spent; the next run resumes here"
        return None

    # a service manager's SIGTERM ends the runs on the record, like a spent budget
    signal.signal(signal.SIGTERM, lambda *_: terminated.append("stopped by SIGTERM; the next run resumes here"))
    results = fetch_once(
        config,
        database=database,
        source_names=source_names,
        max_pages=max_pages,
        progress=(lambda source, message: None) if quiet else _progress,
        stop=out_of_time,
        refresh=refresh,
    )
    _summary(results)
    if any(result.status == "failed" or result.listing_alarm for result in results):
        sys.exit(1)


@cli.command("failures")
@config_option
@db_option
@click.option("--source", "source_name", help="Only this source's URLs.")
@click.option("--all", "show_all", is_flag=True, help="Also the URLs still being retried, not only those given up.")
def failures_command(config_dir: Path, database: Path | None, source_name: str | None, show_all: bool) -> None:
    """List the URLs given up on, with why; `harvester retry` makes them be tried again."""
    from harvester import walk

    failures = _failures(config_dir, database, source_name)
    shown = [f for f in failures if show_all or walk.gave_up(f)]
    for failure in shown:
        state = "given up" if walk.gave_up(failure) else "retrying"
        click.echo(
            f"{failure.source}\t{state}\t{failure.kind or '-'}\t{failure.attempts}\t"
            f"{failure.last_failed.isoformat(timespec='seconds')}\t{failure.url}\t{failure.error}"
        )
    given_up = sum(1 for f in failures if walk.gave_up(f))
    click.echo(f"{given_up} URL(s) given up, {len(failures) - given_up} being retried", err=True)


@cli.command("retry")
@config_option
@db_option
@click.option("--source", "source_name", help="Only this source's URLs.")
@click.argument("urls", nargs=-1)
def retry_command(config_dir: Path, database: Path | None, source_name: str | None, urls: tuple[str, ...]) -> None:
    """Have the given-up URLs (or the failed URLS named) fetched at the next run, as if they never failed."""
    from harvester import walk
    from harvester.store import Store

    failures = _failures(config_dir, database, source_name)
    chosen = [f.url for f in failures if (f.url in urls if urls else walk.gave_up(f))]
    unknown = sorted(set(urls) - {f.url for f in failures})
    if unknown:
        raise click.ClickException(f"not in the failures table: {', '.join(unknown)}")
    config = _load(config_dir, database)
    with Store(database or config.settings.database) as store:
        changed = store.retry_soon(chosen)
    click.echo(f"{changed} URL(s) will be fetched again at the next run")


def _failures(config_dir: Path, database: Path | None, source_name: str | None) -> list[Failure]:
    from harvester.store import Store

    config = _load(config_dir, database)
    if source_name:
        config.source(source_name)
    path = Path(database or config.settings.database)
    if not path.exists():
        raise click.ClickException(f"no corpus at {path}: run `harvester fetch once` first")
    with Store(path) as store:
        return store.failures(source_name)


@cli.command("check")
@config_option
@db_option
@click.argument("source")
@click.argument("target", required=False)
@click.option("--listing", is_flag=True, help="Check the discover config on a listing page instead (TARGET: its URL or file).")
def check_command(config_dir: Path, database: Path | None, source: str, target: str | None, listing: bool) -> None:
    """Run SOURCE's config against one page and show what each field got and what the body lost, and why.

    TARGET is a URL (fetched once, politely), an HTML file, or by default the
    source's latest readout page in the archive. The learnt template is the
    corpus's, so the result is what `fetch once` would store. With --listing,
    TARGET is a listing page (by default the first start URL) and each link the
    `links` selector finds is shown: whether it passes `follow`, whether the
    corpus knows it, and the `next` page.
    """
    from harvester.check import check, check_listing

    config = _load(config_dir)
    if listing:
        found = check_listing(config, source, target, database)
        _listing_report(found)
        if not any(link.follows for link in found.links):
            sys.exit(1)
        return
    report = check(config, source, target, database)
    readout = report.readout
    click.echo(f"{'source':<10} {report.source} ({report.template_blocks} learnt template blocks)")
    click.echo(f"{'page':<10} {report.page}")
    verdict = readout.page_type
    click.echo(f"{'page type':<10} {'article' if verdict else 'not an article'}: {verdict.reason}")
    click.echo(f"{'extractor':<10} {readout.extractor}" + (f" (took over: {readout.fallback})" if readout.fallback else ""))
    click.echo(f"{'language':<10} {readout.language}")
    for field in report.fields:
        click.echo(f"{field.name:<10} {field.value or '-'}")
        click.echo(f"{'':<10}   {field.origin}")
    event = report.event
    click.echo(f"{'kind':<10} {(event.kind or '-').replace('_', ' ')}")
    if event.meeting is not None:
        click.echo(f"{'people':<10} {', '.join(event.meeting.participants)}")
        click.echo(f"{'when':<10} {event.meeting.date or '-'}, {event.meeting.place or 'no place'}")
        click.echo(f"{'':<10}   date from {event.meeting.date_evidence or '-'}")
        if event.meeting.place:
            click.echo(f"{'':<10}   place from {event.meeting.place_evidence or '-'}")
    click.echo(f"{'':<10}   {event.reason}")
    blocks = blocks_of(readout.text)
    click.echo(f"\ntext: {len(blocks)} paragraphs, {len(readout.text)} characters")
    for number, block in enumerate(blocks, 1):
        click.echo(f"{number:>4}  {_shorten(block)}")
    click.echo(f"\ndropped: {len(readout.dropped)} blocks")
    for dropped in readout.dropped:
        click.echo(f"      {_shorten(dropped.text)}\n        <- {dropped.reason}")
    if not readout.text:
        sys.exit(1)


def _listing_report(report: ListingReport) -> None:
    click.echo(f"{'source':<10} {report.source}")
    click.echo(f"{'page':<10} {report.page}")
    click.echo(f"{'links':<10} {report.links_selector!r}: {len(report.links)} found")
    click.echo(f"{'follow':<10} {report.follow!r}: {sum(link.follows for link in report.links)} pass")
    for link in report.links:
        mark = ("known" if link.known else "new") if link.follows else "not followed"
        click.echo(f"  {mark:<13} {link.url or link.href or '(no href)'}")
    click.echo(f"{'next':<10} {report.next_url or '-'}")
    if not report.links:
        click.echo(f"the links selector {report.links_selector!r} matches nothing on this page", err=True)
    elif not any(link.follows for link in report.links):
        click.echo(f"none of the links passes follow {report.follow!r}", err=True)


def _shorten(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command("schedule")
@config_option
@db_option
@click.option("--list", "list_only", is_flag=True, help="Print each enabled source's next run times and exit.")
@click.option(
    "--misfire-grace",
    default="1h",
    show_default=True,
    callback=_duration,
    help="Runs missed while the daemon was down are made up at start-up if they are this recent.",
)
def schedule_command(config_dir: Path, database: Path | None, list_only: bool, misfire_grace: float) -> None:
    """Run each enabled source on its `schedule` (cron syntax), until SIGTERM or Ctrl-C.

    Logs one line per event to stderr: start-up plan, each harvest's start,
    progress and outcome, and shutdown. Exits 0 after a clean shutdown.
    """
    import logging
    from datetime import datetime

    from harvester.daemon import Daemon, next_runs, plan

    config = _load(config_dir)
    config.harvested()  # a scheduler with nothing to run is refused, as `fetch once` is
    if list_only:
        now = datetime.now().astimezone()
        for source, trigger in plan(config):
            times = ", ".join(t.strftime("%a %Y-%m-%d %H:%M %Z") for t in next_runs(trigger, 3, now))
            click.echo(f"{source.name:<18} {source.schedule:<16} {times}")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    Daemon(config, database=database, grace=misfire_grace).serve()


@cli.command("dedupe")
@config_option
@db_option
def dedupe_command(config_dir: Path, database: Path | None) -> None:
    """Recompute duplicates and meetings over the whole corpus, after the thresholds or people.toml changed.

    Runs in one transaction; running it twice changes nothing.
    """
    from harvester.dedupe import Identity
    from harvester.store import Store

    config = _load(config_dir, database)
    with Store(database or config.settings.database, identity=Identity.from_config(config)) as store:
        counts = store.recompute_identity()
    meetings = counts.pop("meetings")
    click.echo(
        f"{sum(counts.values())} readouts: {counts.get('unique', 0)} unique, {counts.get('exact', 0)} exact, "
        f"{counts.get('near', 0)} near, {counts.get('excerpt', 0)} excerpt duplicates; {meetings} meetings"
    )


@cli.command("export")
@config_option
@db_option
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="export", show_default=True,
    help="Folder to write events.csv, events.jsonl, reports.csv and plover.jsonl into.",
)
@click.option(
    "--base-url", default="http://127.0.0.1:8001", show_default=True,
    help="Where the corpus is published (`harvester serve`): the permalinks start so.",
)
def export_command(config_dir: Path, database: Path | None, out_dir: Path, base_url: str) -> None:
    """Write the meetings as a dataset: events (CSV and JSON Lines), their reports, and PLOVER-style records."""
    from harvester.export import ExportError, Links, write
    from harvester.store import Store
    from harvester.store.export import meetings

    path = database or _load(config_dir).settings.database
    if not Path(path).exists():
        raise click.ClickException(f"no corpus at {path}: run `harvester fetch once` first")
    with Store(path) as store:
        try:
            counts = write(meetings(store.db), out_dir, Links(base_url, Path(path).stem))
        except ExportError as error:
            raise click.ClickException(str(error)) from None
    for name, rows in counts.items():
        click.echo(f"{out_dir / name}: {rows} rows")


@cli.command("reextract")
@config_option
@db_option
@click.option("--source", "source_names", multiple=True, help="Only this source (repeatable).")
def reextract_command(config_dir: Path, database: Path | None, source_names: tuple[str, ...]) -> None:
    """Rebuild readouts from the WARC archive with today's extraction rules, without the network."""
    from harvester.reextract import reextract

    config = _load(config_dir, database)
    results = reextract(config, database=database, source_names=source_names, progress=_progress)
    click.echo(f"{'source':<18} {'readouts':>8} {'changed':>8} {'kept':>6}")
    for counts in results:
        status = "  locked: skipped" if counts.locked else ""
        click.echo(f"{counts.source:<18} {counts.readouts:>8} {counts.changed:>8} {counts.kept:>6}{status}")


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
    source configs of ./config (or of --config; the shipped ones where there is
    no ./config) pointed at the replicas, into a fresh database, and serves it
    with Datasette. With pywb installed, cnsnews is harvested as it is for
    real: from a local web archive of its replica, the site gone.
    """
    from harvester.publish import serve
    from harvester.replicas import ReplicaServer, localise_config, replica_sites

    if not config_dir.is_dir():
        if click.get_current_context().get_parameter_source("config_dir") is not ParameterSource.DEFAULT:
            raise click.ClickException(f"no config folder at {config_dir}")
        config_dir = shipped()
    load_config(config_dir)  # refused before any replica starts, as every command refuses a bad config
    with ExitStack() as stack:
        # resolved before anything uses it: pywb runs in its own working directory
        work_dir = (work_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harvester-demo-")))).resolve()
        servers = [stack.enter_context(ReplicaServer(site)) for site in replica_sites()]
        for server in servers:
            click.echo(f"replica of {server.site.origin} at {server.origin}", err=True)
        archive = _demo_archive(stack, servers, work_dir)
        local = localise_config(config_dir, servers, work_dir / "config", delay=0.05, wayback=archive)
        config = _load(local)
        results = fetch_once(config, progress=_progress)
        _summary(results)
        # the publishers edit a page: a second pass over those sites keeps the first text as a version
        edited = [server for server in servers if server.site.has_revisions]
        for server in edited:
            server.site = server.site.revised()
        if edited:
            names = [s.name for s in config.sources if any(urlsplit(s.home).netloc == urlsplit(e.origin).netloc for e in edited)]
            fetch_once(config, source_names=names, refresh=True, progress=_progress)
        _demo_urls(config.settings.database, port)
        if no_serve:
            click.echo(f"corpus: {config.settings.database}")
            return
        serve(
            config.settings.database,
            port=port,
            metadata=_metadata_file(config_dir),
            archive=config.settings.archive,
        )


def _demo_urls(database: Path, port: int) -> None:
    """The three pages that show what the published corpus is for."""
    from harvester.store import Store

    with Store(database) as store:
        highlights = store.highlights()
    base = f"http://127.0.0.1:{port}/{Path(database).stem}"
    click.echo("Open first:")
    click.echo(f"  {base}/-/search?q=summit   search: snippets, stemming, a syndicated copy hidden")
    if highlights.meeting is not None:
        click.echo(f"  {base}/meetings/{highlights.meeting}   one meeting, its reports side by side by language")
    if highlights.revised is not None:
        click.echo(f"  {base}/readouts/{highlights.revised}   a readout: versions, the archived page, how to cite it")
def _demo_archive(stack: ExitStack, servers: list[ReplicaServer], work_dir: Path) -> tuple[str, str] | None:
    """A local pywb holding captures of the cnsnews replica, whose server then stops: the site is gone.

    Returns the archive's CDX URL and replay template, or None (and says how to get pywb) without it.
    """
    from datetime import datetime, timezone

    from harvester.replicas.archive import INSTALL_HINT, PywbArchive, find_pywb, site_snapshots, write_warc

    wayback = find_pywb()
    cnsnews = next(server for server in servers if server.site.name == "cnsnews")
    if wayback is None:
        click.echo(f"cnsnews comes from its live replica: to harvest it from a web archive, {INSTALL_HINT}", err=True)
        return None
    captured = datetime(2022, 6, 1, 12, 0, tzinfo=timezone.utc)
    warc = write_warc(work_dir / "pywb" / "cnsnews.warc.gz", site_snapshots(cnsnews.site, cnsnews.origin, captured))
    archive = stack.enter_context(PywbArchive(work_dir / "pywb", [warc], wayback))
    cnsnews.stop()
    click.echo(f"cnsnews is gone from {cnsnews.origin}: its captures of {captured:%Y-%m-%d} are in pywb at {archive.origin}", err=True)
    return archive.cdx, archive.replay


def _metadata_file(config_dir: Path) -> Path:
    """The config folder's own datasette-metadata.json, else the shipped one (`serve` says which aloud, since
    a corpus served without it loses its facets, descriptions and canned queries)."""
    own = config_dir / "datasette-metadata.json"
    return own if own.is_file() else shipped("datasette-metadata.json")


@cli.command("serve")
@config_option
@db_option
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve_command(config_dir: Path, database: Path | None, port: int, host: str) -> None:
    """Publish the corpus with Datasette."""
    from harvester.publish import serve

    config = _load(config_dir, database)
    serve(
        database or config.settings.database,
        port=port,
        host=host,
        metadata=_metadata_file(config.directory),
        archive=config.settings.archive,
    )
