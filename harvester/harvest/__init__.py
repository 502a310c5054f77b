"""The harvest: runs the stages in order for each source.

config → discover → fetch → extract → store. This package only sequences them;
each stage's work is in its own module, and the walk's decisions (which page
next, when to stop, where to resume, which failure to retry) in `harvester.walk`.
A source's run reads its feeds and sitemaps (`feeds`), its listing pages
(`listings`) and the web archive's index (`archive_index`); each hands the
readout URLs it finds to the page pipeline (`pipeline`), which takes a page live
or from the web archive (`fallback`), extracts it and stores it.

Whatever goes wrong with one page (its fetch, decoding, parsing, extraction,
identity or storage) is recorded in `failures` with its kind, and the run goes
on; parsing and extraction run in a worker process with a CPU limit per page
(`harvester.pagework`). Faults that speak for a whole host (a 403 wall, 429s,
an unreachable server) open that host's breaker for the run and rest the host
across runs (`host_health`), instead of being blamed on each of its URLs. A
run's row always ends `ok`, `partial`, `failed` or `stopped`; one left
`running` by a killed process is closed when the source next runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from contextlib import AsyncExitStack, ExitStack
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harvester import walk
from harvester.archive import ArchiveWriter, record_exchange
from harvester.config import Config, HttpSettings, SourceConfig
from harvester.dedupe import Identity
from harvester.fetch import Fetcher
from harvester.harvest.archive_index import ArchiveIndexWalk
from harvester.harvest.fallback import LiveOrArchive
from harvester.harvest.feeds import FeedWalk, SitemapWalk
from harvester.harvest.listings import ListingPageWalk
from harvester.harvest.pipeline import PagePipeline, Progress, SourceFailed, SourceResult, StopCheck, Stopped
from harvester.locks import SourceLocked, lock_directory, source_lock
from harvester.pagework import PageWorker
from harvester.store import Store, StoreUnavailable
from harvester.wayback import Wayback, paced

__all__ = ["Progress", "SourceHarvest", "SourceResult", "StopCheck", "fetch_once", "harvest", "harvest_once", "http_settings"]

log = logging.getLogger(__name__)


def _quiet(source: str, message: str) -> None:
    pass


def _never() -> str | None:
    return None


class SourceHarvest:
    """One source's run: its walks in order (feeds, sitemaps, listings, the archive's index), then the retries due,
    and the run's record, with the hosts it found refusing rested for the next runs."""

    def __init__(
        self,
        source: SourceConfig,
        fetcher: Fetcher,
        store: Store,
        max_pages: int | None,
        progress: Progress,
        *,
        archive: Path,
        worker: PageWorker,
        host_backoff: float = walk.HOST_BACKOFF_BASE,
        stop: StopCheck = _never,
        refresh: bool = False,
        wayback: Wayback | None = None,
    ) -> None:
        self.source = source
        self.store = store
        self.stop = stop
        self.host_backoff = host_backoff
        discover = replace(source.discover, max_pages=max_pages) if max_pages else source.discover
        origin = LiveOrArchive(source, fetcher, store, discover, progress, archive=archive, wayback=wayback)
        self.pipeline = PagePipeline(
            source, fetcher, store, discover, progress, worker=worker, origin=origin, stop=stop, refresh=refresh
        )
        self.breaker = self.pipeline.breaker
        self.result = self.pipeline.result

    async def run(self) -> SourceResult:
        store, counts, pipeline = self.store, self.result.counts, self.pipeline
        try:
            store.save_source(self.source)
            stale = store.close_stale_runs(self.source.name)
            if stale:
                pipeline.say(f"closed {stale} run(s) an earlier process left running")
            run_id = store.start_run(self.source.name)
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
            return self.result
        try:
            try:
                self._rest_hosts()
                for feed in self.source.discover.feeds:
                    await FeedWalk(pipeline).read(feed)
                for sitemap in self.source.discover.sitemaps:
                    await SitemapWalk(pipeline).read(sitemap)
                for start in self.source.discover.start:
                    await ListingPageWalk(pipeline).read(start)
                for prefix in self.source.discover.wayback:
                    await ArchiveIndexWalk(pipeline).read(prefix)
                if pipeline.pages_read == 0:
                    raise SourceFailed(self._host_trouble() or "no listing page or feed could be read")
                await self._retry_failures()
            finally:
                await pipeline.read_pending()  # the page fetched last is read, whatever ended the walk
            pipeline.settle()
        except SourceFailed as failure:
            self.result.status, self.result.error = "failed", str(failure)
        except Stopped as stopped:
            self.result.status, self.result.error = "stopped", str(stopped)
        except asyncio.CancelledError:
            # abandoned mid-request by `harvest` after a stop: the run still ends on the record
            self.result.status, self.result.error = "stopped", f"{self.stop() or 'stopped'} (request abandoned)"
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
        except Exception as error:  # a bug of ours must end this run on the record, not every source's
            log.exception("%s: harvest crashed", self.source.name)
            self.result.status, self.result.error = "failed", f"crashed: {type(error).__name__}: {error}"
        else:
            trouble = self._host_trouble()
            self.result.status = "partial" if counts.errors or trouble else "ok"
            self.result.error = trouble
        try:
            pipeline.settle()  # a run cut short has its queued readouts committed (and counted) before its record
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
        self.result.degraded = "; ".join(filter(None, [self.result.listing_alarm, pipeline.drift()])) or None
        try:
            self._remember_hosts()
            store.finish_run(run_id, self.result.status, counts, self.result.error, self.result.degraded)
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
        return self.result

    async def _retry_failures(self) -> None:
        """Failed readouts whose retry time has come, wherever they sit in the listing."""
        run = self.pipeline
        await run.read_pending()
        run.settle()  # the failures of this run's queued readouts are on record
        failures = self.store.failures(self.source.name)
        due = [u for u in walk.due(failures) if u not in run.seen and run.discover.follow.search(u)]
        if due:
            run.say(f"retrying {len(due)} readout(s) that failed before")
        run.seen.update(due)
        for url in due:
            await run.readout(url)
        given_up = walk.count_given_up(failures)
        if given_up:
            run.say(f"gave up on {given_up} URL(s) after {walk.MAX_ATTEMPTS} failed attempts: see the failures table")

    def _rest_hosts(self) -> None:
        """Hosts that refused earlier runs stay closed until their back-off has passed."""
        moment = datetime.now(timezone.utc)
        for host, health in self.store.host_health(self.source.name).items():
            if health.backoff_until is not None and health.backoff_until > moment:
                until = health.backoff_until.isoformat(timespec="seconds")
                self.breaker.open(host, f"resting until {until} after {health.failed_runs} refused run(s): {health.last_error}")
                self.pipeline.say(f"{host} is resting until {until} ({health.last_error})")

    def _remember_hosts(self) -> None:
        """A host whose breaker opened this run is rested, longer for each such run in a row; one that answered is well."""
        health = self.store.host_health(self.source.name)
        for host, why in self.breaker.opened.items():
            if why.startswith("resting until"):
                continue
            record = health.get(host)
            failed_runs = (record.failed_runs if record else 0) + 1
            rest = walk.host_backoff(failed_runs, self.host_backoff)
            held = self.breaker.held.get(host)
            if held is not None:
                rest = max(rest, min(timedelta(seconds=held), walk.HOST_BACKOFF_CAP))
            self.store.host_failed(self.source.name, host, why, datetime.now(timezone.utc) + rest)
        for host in self.breaker.answered - set(self.breaker.opened):
            if host in health:
                self.store.host_ok(self.source.name, host)

    def _host_trouble(self) -> str | None:
        """Which hosts' breakers are open, and why: the run is `partial` for it."""
        if not self.breaker.opened:
            return None
        skipped = self.pipeline.skipped
        left = f"; {skipped} readout(s) left for a later run" if skipped else ""
        return "; ".join(f"{host}: {why}" for host, why in self.breaker.opened.items()) + left


async def harvest(
    config: Config,
    store: Store,
    sources: Sequence[SourceConfig],
    *,
    fetcher: Fetcher | None = None,
    max_pages: int | None = None,
    progress: Progress = _quiet,
    stop: StopCheck = _never,
    refresh: bool = False,
) -> list[SourceResult]:
    """Harvest `sources` concurrently; requests to any one host stay one at a time.

    `fetcher` is the process's one HTTP client, with its per-host pace and robots
    cache (the daemon shares one across its jobs); without it the harvest opens
    its own. Either way the exchanges of this harvest go to a WARC file of its own.
    """
    worker = PageWorker.shared(config.settings.page_seconds)
    store.patience = lambda waited: stop() is None and waited < DEFAULT_STORE_PATIENCE
    store.on_busy = lambda waited: progress("corpus", f"busy: another writer holds the corpus ({waited:.0f} s), waiting")
    with ArchiveWriter(config.settings.archive).recording():
        async with AsyncExitStack() as stack:
            worker.warm_up()
            if fetcher is None:
                fetcher = await stack.enter_async_context(Fetcher(http_settings(config), record=record_exchange))
            fetcher.network.forget()  # a host that did not resolve last run is asked again
            archived = any(s.via != "live" or s.discover.wayback for s in sources)
            wayback = Wayback(config.settings.wayback, fetcher) if archived else None
            runs = [
                asyncio.create_task(
                    SourceHarvest(
                        s, fetcher, store, max_pages, progress,
                        archive=config.settings.archive, worker=worker, host_backoff=config.settings.http.host_backoff,
                        stop=stop, refresh=refresh, wayback=wayback,
                    ).run()
                )
                for s in sources
            ]
            watchers = [asyncio.create_task(_abandon_when_stopped(runs, stop)), asyncio.create_task(_commit_regularly(store))]
            try:
                return list(await asyncio.gather(*runs))
            finally:
                for watcher in watchers:
                    watcher.cancel()


def http_settings(config: Config) -> HttpSettings:
    """The Fetcher's settings: `[http]`, with the web archive's hosts at `[wayback] delay`."""
    return paced(config.settings.http, config.settings.wayback)


# Without a budget, the longest a harvest waits for another writer to release the corpus.
DEFAULT_STORE_PATIENCE = 1800.0
# Once asked to stop, runs get this long to finish the request they are in before it is abandoned:
# a Retry-After wait or a slow server must not hold up a shutdown or overrun a budget.
ABANDON_AFTER = 5.0


# Readouts wait at most this long in the store's queue (`Store.later`) before their batch is committed.
BATCH_SECONDS = 0.1


async def _commit_regularly(store: Store) -> None:
    """Commit the store's queued writes every `BATCH_SECONDS`: a readout is on disk within that time of being read."""
    while True:
        await asyncio.sleep(BATCH_SECONDS)
        try:
            store.flush()
        except StoreUnavailable:
            pass  # each run whose writes the batch held was told, and fails at its next step


async def _abandon_when_stopped(runs: Sequence[asyncio.Task[SourceResult]], stop: StopCheck) -> None:
    while not stop():
        await asyncio.sleep(0.2)
    await asyncio.wait(runs, timeout=ABANDON_AFTER)
    for run in runs:
        run.cancel()


async def harvest_once(
    config: Config,
    *,
    database: Path | None = None,
    source_names: Sequence[str] = (),
    fetcher: Fetcher | None = None,
    max_pages: int | None = None,
    progress: Progress = _quiet,
    stop: StopCheck = _never,
    refresh: bool = False,
) -> list[SourceResult]:
    """One harvest of the enabled sources (or of `source_names`, enabled or not).

    Each source is locked for the run; one that another process is harvesting
    is skipped with status "locked", so overlapping cron jobs never collide.
    `stop` is asked before every request; when it answers, the run ends there
    with status "stopped" and the next run resumes the walk. With `refresh`, the
    known readouts of the walked listing pages are fetched again (see `SourceHarvest`).
    """
    sources = config.harvested(source_names)
    database = Path(database or config.settings.database)
    stop = _limited(stop, config.settings.run_seconds)
    results: dict[str, SourceResult] = {}
    with ExitStack() as locks:
        runnable = []
        for source in sources:
            try:
                locks.enter_context(source_lock(lock_directory(database), source.name))
            except SourceLocked as locked:
                progress(source.name, str(locked))
                results[source.name] = SourceResult(source.name, status="locked", error=str(locked))
            else:
                runnable.append(source)
        with Store(database, identity=Identity.from_config(config)) as store:
            store.check()
            harvested = await harvest(
                config, store, runnable,
                fetcher=fetcher, max_pages=max_pages, progress=progress, stop=stop, refresh=refresh,
            )
        results.update((result.source, result) for result in harvested)
    return [results[source.name] for source in sources]


def _limited(stop: StopCheck, seconds: float) -> StopCheck:
    """`stop`, and past `seconds` from now a stop of its own: no run holds its sources' locks longer."""
    deadline = time.monotonic() + seconds

    def check() -> str | None:
        if time.monotonic() >= deadline:
            return f"the run reached run_seconds ({seconds:g} s); the next run resumes here"
        return stop()

    return check


def fetch_once(
    config: Config,
    *,
    database: Path | None = None,
    source_names: Sequence[str] = (),
    max_pages: int | None = None,
    progress: Progress = _quiet,
    stop: StopCheck = _never,
    refresh: bool = False,
) -> list[SourceResult]:
    """`harvest_once` in a process of its own (cron's `fetch once`), with its own HTTP client."""
    return asyncio.run(
        harvest_once(
            config, database=database, source_names=source_names, max_pages=max_pages, progress=progress, stop=stop,
            refresh=refresh,
        )
    )
