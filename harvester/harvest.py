"""The harvest: runs the stages in order for each source.

config → discover → fetch → extract → store. This module only sequences them;
each stage's work is in its own module, and the walk's decisions (which page
next, when to stop, where to resume, which failure to retry) in `harvester.walk`.

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
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from harvester import pagework, walk
from harvester.archive import ArchiveWriter, read_response, record_exchange
from harvester.config import Config, SourceConfig
from harvester.dedupe import Identity
from harvester.fetch import (
    HTML_TYPES,
    BadEncoding,
    Disallowed,
    FetchedPage,
    FetchError,
    Fetcher,
    HostBreaker,
    HostUnreachable,
    HttpStatusError,
    PrivateAddress,
    RedirectRefused,
    TooLarge,
    UnwantedType,
    host_of,
    host_wide,
)
from harvester.locks import SourceLocked, lock_directory, source_lock
from harvester.pagework import PageError, PageWorker
from harvester.store import RunCounts, Store, StoreUnavailable

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]
# Asked before every request: None to go on, or why the run must stop now (budget spent, SIGTERM).
StopCheck = Callable[[], str | None]


class SourceFailed(Exception):
    """The source could not be harvested at all; the message says why."""


class Stopped(Exception):
    """The run was asked to stop; what it stored so far is committed and the walk resumes next run."""


@dataclass
class SourceResult:
    source: str
    status: str = "running"
    counts: RunCounts = field(default_factory=RunCounts)
    error: str | None = None
    # why the configured selectors no longer fit the site (the layout-drift alarm), None when they do
    degraded: str | None = None
    # why a listing gave no readout links at all (a selector or `follow` that fits nothing): `fetch once` exits 1
    listing_alarm: str | None = None


def failure_kind(error: FetchError) -> str:
    """What failed, for `failures.kind`: `harvester.walk` gives a URL up only for kinds that are its own."""
    if host_wide(error):
        return walk.HOST
    if isinstance(error, HttpStatusError):
        return walk.GONE if error.status in (404, 410) else "http"
    kinds: list[tuple[type[FetchError], str]] = [
        (UnwantedType, walk.TYPE), (TooLarge, walk.SIZE), (BadEncoding, "encoding"), (Disallowed, "robots"),
        (RedirectRefused, "redirect"), (PrivateAddress, "address"),
    ]
    return next((kind for cls, kind in kinds if isinstance(error, cls)), "fetch")


def _quiet(source: str, message: str) -> None:
    pass


def _never() -> str | None:
    return None


class SourceHarvest:
    """One source's run: walks its feeds and listings, fetches new readouts, stores them."""

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
    ) -> None:
        self.source = source
        self.archive = archive
        self.worker = worker
        self.host_backoff = host_backoff
        self.breaker = HostBreaker()
        # fetch the known readouts of the walked listing pages again, so that changed texts become versions
        self.refresh = refresh
        self.stop = stop
        self.fetcher = fetcher
        self.store = store
        self.discover = replace(source.discover, max_pages=max_pages) if max_pages else source.discover
        self.progress = progress
        self.result = SourceResult(source.name)
        self._seen: set[str] = set()
        self._pages_read = 0
        self._extracted = 0
        self._fallbacks: Counter[str] = Counter()
        self._skipped = 0  # readouts not asked for because their host's breaker was open
        self.profile = store.source_profile(source.name)

    def _say(self, message: str) -> None:
        self.progress(self.source.name, message)

    async def run(self) -> SourceResult:
        store, counts = self.store, self.result.counts
        try:
            store.save_source(self.source)
            stale = store.close_stale_runs(self.source.name)
            if stale:
                self._say(f"closed {stale} run(s) an earlier process left running")
            run_id = store.start_run(self.source.name)
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
            return self.result
        try:
            self._rest_hosts()
            for feed in self.source.discover.feeds:
                await self._feed(feed)
            for start in self.source.discover.start:
                await self._walk(start)
            if self._pages_read == 0:
                raise SourceFailed(self._why_nothing_read())
            await self._retry_failures()
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
        self.result.degraded = "; ".join(filter(None, [self.result.listing_alarm, self._drift()])) or None
        try:
            self._remember_hosts()
            store.finish_run(run_id, self.result.status, counts, self.result.error, self.result.degraded)
        except StoreUnavailable as error:
            self.result.status, self.result.error = "failed", str(error)
        return self.result

    # --- host health ---------------------------------------------------------

    def _rest_hosts(self) -> None:
        """Hosts that refused earlier runs stay closed until their back-off has passed."""
        moment = datetime.now(timezone.utc)
        for host, health in self.store.host_health(self.source.name).items():
            if health.backoff_until is not None and health.backoff_until > moment:
                until = health.backoff_until.isoformat(timespec="seconds")
                self.breaker.open(host, f"resting until {until} after {health.failed_runs} refused run(s): {health.last_error}")
                self._say(f"{host} is resting until {until} ({health.last_error})")

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
        skipped = f"; {self._skipped} readout(s) left for a later run" if self._skipped else ""
        return "; ".join(f"{host}: {why}" for host, why in self.breaker.opened.items()) + skipped

    def _why_nothing_read(self) -> str:
        return self._host_trouble() or "no listing page or feed could be read"

    def _drift(self) -> str | None:
        """The run is degraded when on half its readout pages or more the configured body failed."""
        failed = sum(self._fallbacks.values())
        if not failed or 2 * failed < self._extracted:
            return None
        reasons = "; ".join(f"{reason} on {n} of {self._extracted} pages" for reason, n in self._fallbacks.most_common())
        return f"{reasons}: the generic extractor took over"

    def _check_stop(self) -> None:
        reason = self.stop()
        if reason:
            raise Stopped(reason)

    async def _get_index(self, url: str, kind: str) -> FetchedPage | None:
        """A listing or feed page; an unreachable host ends the source's run."""
        self._check_stop()
        host = host_of(url)
        if self.breaker.why(host):
            return None  # the walk resumes here once the host answers again
        try:
            page = await self._conditional_get(url)
        except HostUnreachable as error:
            self.breaker.fault(host, error)
            raise SourceFailed(error.reason) from None
        except FetchError as error:
            if host_wide(error):
                self.breaker.fault(host, error)
            self._fail(url, error.reason, failure_kind(error))
            return None
        self.breaker.success(host)
        self.store.add_page(self.source.name, kind, page)
        self._pages_read += 1
        return page

    async def _conditional_get(self, url: str) -> FetchedPage:
        """An unchanged listing or feed costs a 304; its links are then read from the archived copy."""
        cached = self.store.cached(url)
        page = await self.fetcher.get(url, self.source.hosts, validators=cached.validators if cached else None)
        if page.status == 304 and cached:
            try:
                archived = read_response(self.archive, cached.archive)
            except (OSError, LookupError):
                # the archived copy is gone: fetch the page again in full
                page = await self.fetcher.get(url, self.source.hosts)
            else:
                return replace(page, exchange=replace(page.exchange, headers=archived.headers, body=archived.body))
        self.store.remember(self.source.name, page)
        return page

    async def _feed(self, url: str) -> None:
        page = await self._get_index(url, "feed")
        if page is None:
            return
        try:
            urls = await self.worker.run(pagework.read_feed, page.body, page.final_url, self.discover, self.source.hosts)
        except PageError as error:
            self._fail(url, error.reason, error.kind)
            return
        self._say(f"feed {url}: {len(urls)} readout links")
        await self._readouts(urls)

    async def _walk(self, start: str) -> None:
        """Read listing pages from `start` for as long as `harvester.walk` says, saving where to resume."""
        name = self.source.name
        listing_walk = walk.ListingWalk(start, self.store.position(name, start), self.discover.max_pages)
        while (position := listing_walk.next()) is not None:
            self.store.set_position(name, start, listing_walk.checkpoint())
            page = await self._get_index(position.url, "listing")
            if page is None:
                listing_walk.broken()
                return
            self.result.counts.listing_pages += 1
            try:
                listing = await self.worker.run(
                    pagework.read_listing, page.body, page.exchange.header("content-type"), page.final_url,
                    self.discover, self.source.hosts, position.page,
                )
            except PageError as error:
                self._fail(position.url, error.reason, error.kind)
                listing_walk.broken()
                return
            if position.page == 1 and not listing.readout_urls:
                self._listing_alarm(position.url, listing.found)
            new = await self._readouts(listing.readout_urls)
            self._say(f"listing page {position.page}: {len(listing.readout_urls)} links, {new} new")
            backfilling = listing_walk.backfilling
            listing_walk.read(len(listing.readout_urls), new, listing.next_url)
            if listing_walk.backfilling and not backfilling and listing_walk.saved is not None:
                self._say(f"backfill from listing page {listing_walk.saved.page}")
        self.store.set_position(name, start, listing_walk.resume_at())

    def _listing_alarm(self, url: str, found: int) -> None:
        """The first page of a listing gave no readout link: the config no longer fits the site."""
        links, follow = self.discover.links, self.discover.follow.pattern
        if found == 0:
            why = f"listing selector {links!r} matched nothing on {url}"
        else:
            why = f"none of the {found} links {links!r} matched on {url} pass follow {follow!r}"
        self.result.listing_alarm = f"{why}: check it with `harvester check {self.source.name} --listing`"
        self._say(f"alarm: {why}")

    async def _readouts(self, urls: Sequence[str]) -> int:
        """Fetch and store the readouts not yet in the corpus; returns how many were new."""
        fresh = [url for url in urls if url not in self._seen]
        self._seen.update(fresh)
        known = self.store.known(fresh, self.source.name)
        self.result.counts.known += len(known)
        # URLs that failed lately wait for their retry time (see `_retry_failures`)
        waiting = walk.waiting(self.store.failures(self.source.name), [url for url in fresh if url not in known])
        new = [url for url in fresh if url not in known and url not in waiting]
        for url in new:
            await self._readout(url)
        if self.refresh:
            for url in [url for url in fresh if url in known]:
                await self._readout(url, known=True)
        return len(new)

    async def _retry_failures(self) -> None:
        """Failed readouts whose retry time has come, wherever they sit in the listing."""
        failures = self.store.failures(self.source.name)
        due = [u for u in walk.due(failures) if u not in self._seen and self.discover.follow.search(u)]
        if due:
            self._say(f"retrying {len(due)} readout(s) that failed before")
        self._seen.update(due)
        for url in due:
            await self._readout(url)
        given_up = walk.given_up(failures)
        if given_up:
            self._say(f"gave up on {given_up} URL(s) after {walk.MAX_ATTEMPTS} failed attempts: see the failures table")

    async def _readout(self, url: str, *, known: bool = False) -> None:
        """Fetch and store one readout; a `known` one is asked for conditionally and may come back changed.

        Nothing that goes wrong here leaves this method but a stop, a failed source or an unusable
        corpus: the page's failure is recorded with its kind and the run goes on.
        """
        self._check_stop()
        host = host_of(url)
        if self.breaker.why(host):
            self._skipped += 1
            return  # not asked, not blamed: the URL stays new for a later run
        cached = self.store.cached(url) if known else None
        try:
            page = await self.fetcher.get(
                url, self.source.hosts, accept=HTML_TYPES, validators=cached.validators if cached else None
            )
        except FetchError as error:
            if host_wide(error):
                self.breaker.fault(host, error)
            self._fail(url, error.reason, failure_kind(error))
            if isinstance(error, HostUnreachable):
                raise SourceFailed(error.reason) from None
            return
        self.breaker.success(host)
        if page.status == 304:
            return  # unchanged since it was stored
        self.store.remember(self.source.name, page)
        try:
            readout = await self.worker.run(
                pagework.read_readout, page.body, page.exchange.header("content-type"), url,
                self.source.extract, self.source.language, self.profile,
            )
        except PageError as error:
            self._fail(url, error.reason, error.kind)
            return
        self._extracted += 1
        if readout.fallback:
            self._fallbacks[readout.fallback] += 1
        if not readout.text:
            self._fail(url, "no article text found", "extract")
            return
        try:
            revision = self.store.save_readout(self.source.name, page, readout)
        except StoreUnavailable:
            raise
        except Exception as error:  # the identity step or the store choked on this page: its failure alone
            log.exception("%s: storing %s failed", self.source.name, url)
            self._fail(url, f"storing failed: {type(error).__name__}: {error}", "store")
            return
        if readout.learnable:
            # the template improves as pages arrive; the usual length stays the one the run started with
            self.profile = replace(self.profile, template=self.store.learnt_template(self.source.name))
        if not known:
            self.result.counts.new_readouts += 1
            self._say(f"new: {readout.title or url}")
        elif revision.changed:
            self._say(f"changed, earlier text kept as a version: {readout.title or url}")

    def _fail(self, url: str, reason: str, kind: str) -> None:
        self.result.counts.errors += 1
        self.store.record_failure(self.source.name, url, reason, kind)
        self._say(f"error: {url}: {reason}")


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
                fetcher = await stack.enter_async_context(Fetcher(config.settings.http, record=record_exchange))
            fetcher.network.forget()  # a host that did not resolve last run is asked again
            runs = [
                asyncio.create_task(
                    SourceHarvest(
                        s, fetcher, store, max_pages, progress,
                        archive=config.settings.archive, worker=worker, host_backoff=config.settings.http.host_backoff,
                        stop=stop, refresh=refresh,
                    ).run()
                )
                for s in sources
            ]
            watcher = asyncio.create_task(_abandon_when_stopped(runs, stop))
            try:
                return list(await asyncio.gather(*runs))
            finally:
                watcher.cancel()


# Without a budget, the longest a harvest waits for another writer to release the corpus.
DEFAULT_STORE_PATIENCE = 1800.0
# Once asked to stop, runs get this long to finish the request they are in before it is abandoned:
# a Retry-After wait or a slow server must not hold up a shutdown or overrun a budget.
ABANDON_AFTER = 5.0


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
    sources = [config.source(name) for name in source_names] or [s for s in config.sources if s.enabled]
    database = Path(database or config.settings.database)
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


def fetch_once(config: Config, **options: Any) -> list[SourceResult]:
    """`harvest_once` in a process of its own (cron's `fetch once`), with its own HTTP client."""
    return asyncio.run(harvest_once(config, **options))
