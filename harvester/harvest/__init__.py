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
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harvester import pagework, walk
from harvester.archive import ArchiveWriter, read_response, record_exchange
from harvester.config import Config, HttpSettings, SourceConfig
from harvester.dedupe import Identity
from harvester.discover import SitemapEntry
from harvester.extract import Readout
from harvester.extract.pagetype import answer_fingerprint
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
    UnfetchableUrl,
    UnwantedType,
    host_wide,
)
from harvester.locks import SourceLocked, lock_directory, source_lock
from harvester.pagework import PageError, PageWorker
from harvester.store import RunCounts, Store, StoreUnavailable, WalkPosition
from harvester.urls import host_of, same_site
from harvester.wayback import PAGE_ROWS, Capture, Wayback, by_url, distinct, paced, readout_captures

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]
# Asked before every request: None to go on, or why the run must stop now (budget spent, SIGTERM).
StopCheck = Callable[[], str | None]
# Live answers that a `via = "fallback"` source takes from the web archive instead (with refused
# connections, DNS failures and redirects off the source's hosts).
FALLBACK_STATUSES = (403, 404, 410, 451)
# An archive listing after a complete one asks for the captures made since, less this much:
# captures reach the index days (at the Internet Archive, sometimes weeks) after they are made.
LISTING_OVERLAP = timedelta(days=30)


# `failures.kind` of an exception no stage expected: recorded with its class, and the walk goes on.
UNEXPECTED = "unexpected"


def failure_reason(error: Exception) -> str:
    """The `failures.error` text of what per-URL work raised."""
    if isinstance(error, FetchError):
        return error.reason
    return f"unexpected {type(error).__name__}: {error}"[:500]


class SourceFailed(Exception):
    """The source could not be harvested at all; the message says why."""


class Stopped(Exception):
    """The run was asked to stop; what it stored so far is committed and the walk resumes next run."""


# What ends a source's run rather than one URL's work: never recorded against a URL.
RUN_ENDING = (SourceFailed, Stopped, StoreUnavailable)


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


def failure_kind(error: Exception) -> str:
    """What failed, for `failures.kind`: `harvester.walk` gives a URL up only for kinds that are its own.

    The one place where what per-URL work raises becomes a kind: anything that is no `FetchError`
    is a bug of ours or a library's, `unexpected`, and the message keeps its class.
    """
    if not isinstance(error, FetchError):
        return UNEXPECTED
    if host_wide(error):
        return walk.HOST
    if isinstance(error, HttpStatusError):
        return walk.GONE if error.status in (404, 410) else "http"
    kinds: list[tuple[type[FetchError], str]] = [
        (UnwantedType, walk.TYPE), (TooLarge, walk.SIZE), (BadEncoding, "encoding"), (Disallowed, "robots"),
        (RedirectRefused, "redirect"), (PrivateAddress, "address"), (UnfetchableUrl, "url"),
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
        wayback: Wayback | None = None,
    ) -> None:
        self.source = source
        self.archive = archive
        self.worker = worker
        self.host_backoff = host_backoff
        self.breaker = HostBreaker()
        self.wayback = wayback
        # every request goes to the web archive: the site is gone (via = "wayback"), or went down during the run
        self._archive_only = source.via == "wayback"
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
        # per host: the fingerprint of its answer to a URL that cannot exist, when that answer is a page (a soft 404)
        self._soft_404s: dict[str, str | None] = {}
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
            for sitemap in self.source.discover.sitemaps:
                await self._sitemaps(sitemap)
            for start in self.source.discover.start:
                await self._walk(start)
            for prefix in self.source.discover.wayback:
                await self._archive_index(prefix)
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
        if not self._archive_only and self.breaker.why(host):
            return None  # the walk resumes here once the host answers again
        try:
            page = await self._index_page(url)
        except HostUnreachable as error:
            self.breaker.fault(host_of(error.url), error)
            raise SourceFailed(self._unreachable(error)) from None
        except FetchError as error:
            if host_wide(error):
                self.breaker.fault(host_of(error.url), error)
            self._fail(url, error.reason, failure_kind(error))
            return None
        except RUN_ENDING:
            raise
        except Exception as error:
            self._unexpected(url, error)
            return None
        self.breaker.success(host)
        self.store.add_page(self.source.name, kind, page)
        self._pages_read += 1
        return page

    async def _index_page(self, url: str) -> FetchedPage:
        if not self._archive_only:
            try:
                return await self._conditional_get(url)
            except FetchError as error:
                if not self._falls_back(error):
                    raise
        return await self._web_archive().nearest(url, self.source.hosts, before=self.discover.wayback_to)

    def _web_archive(self) -> Wayback:
        assert self.wayback is not None, "harvest() gives a web archive to the sources that use one"
        return self.wayback

    def _falls_back(self, error: FetchError) -> bool:
        """Whether a `via = "fallback"` source takes this failed live request from the web archive."""
        if self.source.via != "fallback":
            return False
        if isinstance(error, HostUnreachable):
            self._archive_only = True
            self._say(f"{error.reason}: reading the web archive instead for the rest of the run")
            return True
        return isinstance(error, RedirectRefused) or (
            isinstance(error, HttpStatusError) and error.status in FALLBACK_STATUSES
        )

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
            feed = await self.worker.run(pagework.read_feed, page.body, page.final_url, self.discover, self.source.hosts)
        except PageError as error:
            self._fail(url, error.reason, error.kind)
            return
        if feed.problem:
            self._fail(url, f"not a well-formed feed, read as far as it goes: {feed.problem}", "parse")
        self._say(f"feed {url}: {len(feed.readout_urls)} readout links")
        await self._readouts(feed.readout_urls)

    async def _sitemaps(self, url: str) -> None:
        """Readouts from a sitemap, a sitemap index (children too) or the sitemaps a robots.txt names.

        A child sitemap read in full is remembered with the `lastmod` its index gave it
        (`walk_state`, start `sitemap <url>`), and skipped while that date stands: an unchanged
        index costs one request. A run stopped part-way resumes, since the children it had not
        finished are still unremembered and the readouts it stored are known.
        """
        name = self.source.name
        if urlsplit(url).path == "/robots.txt":
            self._check_stop()
            try:
                named = await self.fetcher.sitemaps(url)
            except FetchError as error:
                self._fail(url, error.reason, failure_kind(error))
                return
            queue = [SitemapEntry(u) for u in named if same_site(host_of(u), self.source.hosts)]
            self._say(f"{url} names {len(queue)} sitemap(s) of ours")
        else:
            queue = [SitemapEntry(url)]
        read: set[str] = set()
        listed = followed = 0  # URLs the sitemaps listed, and those that pass `follow`
        while queue:
            entry = queue.pop(0)
            if entry.url in read:
                continue
            read.add(entry.url)
            key = f"sitemap {entry.url}"
            remembered = self.store.position(name, key) if entry.lastmod and not self.refresh else None
            if remembered is not None and remembered.url == entry.lastmod:
                self._say(f"sitemap {entry.url}: unchanged since {entry.lastmod}")
                continue
            page = await self._get_index(entry.url, "sitemap")
            if page is None:
                continue
            self.result.counts.listing_pages += 1
            try:
                sitemap = await self.worker.run(
                    pagework.read_sitemap, page.body, page.final_url, self.discover, self.source.hosts,
                    self.fetcher.settings.max_bytes,
                )
            except PageError as error:
                self._fail(entry.url, error.reason, error.kind)
                continue
            queue.extend(sitemap.children)
            if not sitemap.children:
                listed, followed = listed + sitemap.found, followed + len(sitemap.readouts)
            new = await self._readouts([readout.url for readout in sitemap.readouts])
            found = f"{len(sitemap.children)} sitemaps" if sitemap.children else f"{len(sitemap.readouts)} links, {new} new"
            self._say(f"sitemap {entry.url}: {found}")
            if entry.lastmod:
                self.store.set_position(name, key, WalkPosition(entry.lastmod, 0))
        if listed and not followed:
            # as for a listing: the config no longer fits the site
            why = f"none of the {listed} URLs the sitemaps of {url} list pass follow {self.discover.follow.pattern!r}"
            self.result.listing_alarm = why
            self._say(f"alarm: {why}")

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

    async def _readout(self, url: str, *, known: bool = False, captures: Sequence[Capture] | None = None) -> None:
        """Fetch and store one readout; a `known` one is asked for conditionally and may come back changed.

        `captures` are the URL's captures in the web archive, when its index listed them.
        Nothing that goes wrong here leaves this method but a stop, a failed source or an unusable
        corpus: the page's failure is recorded with its kind and the run goes on, whatever it was.
        """
        try:
            await self._fetch_readout(url, known=known, captures=captures)
        except RUN_ENDING:
            raise
        except Exception as error:
            self._unexpected(url, error)

    def _unexpected(self, url: str, error: Exception) -> None:
        """An exception no stage expected, on one URL: recorded with its class; the walk goes on."""
        log.warning("%s: %s failed unexpectedly", self.source.name, url, exc_info=error)
        self._fail(url, failure_reason(error), failure_kind(error))

    def _unreachable(self, error: HostUnreachable) -> str:
        """Why the source's run ends: the web archive's own outage is said to be the archive's, not the site's."""
        if self.wayback is not None and host_of(error.url) in self.wayback.hosts:
            return f"the web archive at {host_of(error.url)} cannot be reached: {error.reason}"
        return error.reason

    async def _fetch_readout(self, url: str, *, known: bool, captures: Sequence[Capture] | None) -> None:
        self._check_stop()
        if self._archive_only:
            await self._archived(url, captures)
            return
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
            if self._falls_back(error):
                await self._archived(url, captures)
                return
            if host_wide(error):
                self.breaker.fault(host_of(error.url), error)
            self._fail(url, error.reason, failure_kind(error))
            if isinstance(error, HostUnreachable):
                raise SourceFailed(self._unreachable(error)) from None
            return
        self.breaker.success(host)
        if page.status == 304:
            return  # unchanged since it was stored
        self.store.remember(self.source.name, page)
        readout = await self._extract(url, page)
        if readout is None:
            return
        if await self._answers_anything(url, readout):
            self._fail(url, "not an article: an error page: the same page as the host's answer to a URL that"
                       " cannot exist (a soft 404)", "extract")
            return
        self._save(url, page, readout, known=known)

    async def _answers_anything(self, url: str, readout: Readout) -> bool:
        """Whether the readout is what its host answers to any URL at all, a soft 404: the host is asked once
        per run for a URL that cannot exist (as archive crawlers do), and its answer, if a page, fingerprinted."""
        host = host_of(url)
        if host not in self._soft_404s:
            self._soft_404s[host] = await self._not_found_fingerprint(url)
        fingerprint = self._soft_404s[host]
        return fingerprint is not None and fingerprint == answer_fingerprint(readout.title, readout.text, url)

    async def _not_found_fingerprint(self, url: str) -> str | None:
        parts = urlsplit(url)
        probe = f"{parts.scheme}://{parts.netloc}/{uuid.uuid4().hex}-no-such-page"
        try:
            page = await self.fetcher.get(probe, self.source.hosts, accept=HTML_TYPES)
            answer = await self.worker.run(
                pagework.read_readout, page.body, page.exchange.header("content-type"), probe,
                self.source.extract, self.source.language, self.profile, None,
            )
        except (FetchError, PageError):
            return None  # a real 404 (or no answer): this host's error pages say so themselves
        if not answer.page_type or not answer.text:
            return None  # the page-type step knows that page for what it is
        return answer_fingerprint(answer.title, answer.text, probe)

    async def _extract(self, url: str, page: FetchedPage) -> Readout | None:
        """The page's readout, worked out in the page worker; None (and the failure recorded) when there is none."""
        # an archived page cannot have been published after it was captured
        seen = datetime.fromisoformat(page.memento.archived_at) if page.memento else None
        try:
            readout = await self.worker.run(
                pagework.read_readout, page.body, page.exchange.header("content-type"), url,
                self.source.extract, self.source.language, self.profile, seen,
            )
        except PageError as error:
            self._fail(url, error.reason, error.kind)
            return None
        if not readout.page_type:
            self._fail(url, f"not an article: {readout.page_type.reason}", "extract")
            return None
        self._extracted += 1
        if readout.fallback:
            self._fallbacks[readout.fallback] += 1
        if not readout.text:
            self._fail(url, "no article text found", "extract")
            return None
        return readout

    async def _archived(self, url: str, captures: Sequence[Capture] | None) -> None:
        """A readout from the web archive: its newest capture, and older texts as versions.

        Captures whose digest the corpus already holds are not fetched again.
        """
        wayback, name = self._web_archive(), self.source.name
        try:
            texts = distinct(captures if captures is not None else await wayback.captures_of(url, self.discover))
        except FetchError as error:
            self._fail(url, error.reason, failure_kind(error))
            if isinstance(error, HostUnreachable):
                raise SourceFailed(self._unreachable(error)) from None
            return
        if not texts:
            self._fail(url, "the web archive holds no HTML capture of it with status 200", "archive")
            return
        held = self.store.capture_digests(url, name)
        current = self.store.readout_moment(url, name)
        superseded = {older.timestamp: newer.archived_at for older, newer in zip(texts, texts[1:])}
        for capture in reversed([c for c in texts if c.digest not in held]):
            self._check_stop()
            try:
                page = replace(await wayback.capture(capture, self.source.hosts, accept=HTML_TYPES), url=url)
            except FetchError as error:
                self._fail(url, error.reason, failure_kind(error))
                if isinstance(error, HostUnreachable):
                    raise SourceFailed(self._unreachable(error)) from None
                continue
            readout = await self._extract(url, page)
            if readout is None:
                continue
            if current is None or capture.archived_at > current:
                self._save(url, page, readout, known=current is not None)
                current = capture.archived_at
            elif self.store.add_version(name, page, readout, superseded.get(capture.timestamp, current)):
                self._say(f"earlier capture kept as a version: {readout.title or url}")

    async def _archive_index(self, prefix: str) -> None:
        """Readouts under `prefix` from the web archive's CDX index, one answer at a time, resumable like a walk.

        Answers are ordered by URL, so the last URL of an answer may go on in the next; it
        is held back until it is complete, and a stopped run resumes at the answer it began in.
        Once a listing is complete, the next ones ask only for the captures made since.
        """
        wayback, name = self._web_archive(), self.source.name
        key, listed_key = f"wayback {prefix}", f"wayback-listed {prefix}"
        began = datetime.now(timezone.utc)
        # once the whole prefix was listed, later runs ask only for captures since (with an overlap)
        listed = None if self.refresh else self.store.position(name, listed_key)
        discover = self.discover
        if listed is not None:
            since = (datetime.fromisoformat(listed.url) - LISTING_OVERLAP).strftime("%Y%m%d")
            discover = replace(discover, wayback_from=max(discover.wayback_from or "", since))
        saved = self.store.position(name, key)
        resume, number = (saved.url or None, saved.page) if saved else (None, 1)
        if saved:
            self._say(f"archive index of {prefix}: resuming at answer {number}")
        pending: list[Capture] = []
        pending_at = WalkPosition(resume or "", number)
        keys_seen: set[str] = set()
        while True:
            self._check_stop()
            here = WalkPosition(resume or "", number)
            self.store.set_position(name, key, pending_at if pending else here)
            try:
                page, answer = await wayback.cdx(prefix, prefix=True, discover=discover, resume_key=resume)
            except HostUnreachable as error:
                raise SourceFailed(self._unreachable(error)) from None
            except FetchError as error:
                self._fail(error.url, error.reason, failure_kind(error))  # the query: reading it again later clears it
                return
            except RUN_ENDING:
                raise
            except Exception as error:
                self._unexpected(prefix, error)
                return
            self.store.add_page(name, "cdx", page)
            self._pages_read += 1
            self.result.counts.listing_pages += 1
            groups = by_url([*pending, *readout_captures(answer.captures, discover, self.source.hosts)])
            if answer.resume_key and groups:
                if not (pending and groups[-1][0].urlkey == pending[0].urlkey):
                    pending_at = here
                pending = groups.pop()
            else:
                pending = []
            new = await self._captured(groups)
            self._say(f"archive index {prefix} answer {number}: {len(groups)} readout URLs, {new} with new captures")
            if not answer.resume_key:
                if len(answer.captures) >= PAGE_ROWS:
                    self._say(f"the archive cut its answer at {PAGE_ROWS} captures: list narrower prefixes than {prefix}")
                break
            if answer.resume_key == resume or answer.resume_key in keys_seen:
                # an index that pages on in a circle would hold the run (and the source's lock) forever;
                # the next run lists the prefix from its start rather than from a key that leads nowhere
                self.store.set_position(name, key, None)
                self._fail(page.url, f"the archive's index gave resume key {answer.resume_key[:80]!r} again:"
                           f" its listing of {prefix} stops here this run", "archive")
                return
            keys_seen.add(answer.resume_key)
            if len(keys_seen) >= wayback.settings.index_pages:
                self.store.set_position(name, key, pending_at if pending else WalkPosition(answer.resume_key, number + 1))
                self._fail(prefix, f"read {len(keys_seen)} answers of the archive's index, the most one run reads"
                           f" ([wayback] index_pages): the next run resumes at answer {number + 1}", "archive")
                return
            resume, number = answer.resume_key, number + 1
        self.store.set_position(name, key, None)
        self.store.set_position(name, listed_key, WalkPosition(began.isoformat(timespec="seconds"), 0))

    async def _captured(self, groups: Sequence[Sequence[Capture]]) -> int:
        """The readouts of one CDX answer's URLs; returns how many had captures the corpus lacks."""
        name, counts, new = self.source.name, self.result.counts, 0
        failures = self.store.failures(name)
        for group in groups:
            url = group[-1].url
            if url in self._seen or walk.waiting(failures, [url]):
                continue
            self._seen.add(url)
            known = bool(self.store.known([url], name))
            if self._archive_only:
                # digest-aware: a known readout is fetched again only for captures the corpus lacks
                missing = {c.digest for c in distinct(group)} - self.store.capture_digests(url, name)
                if known and not missing:
                    counts.known += 1
                    continue
            elif known and not self.refresh:
                counts.known += 1
                continue
            new += 1
            await self._readout(url, known=known, captures=group)
        return new

    def _save(self, url: str, page: FetchedPage, readout: Readout, *, known: bool) -> None:
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
            watcher = asyncio.create_task(_abandon_when_stopped(runs, stop))
            try:
                return list(await asyncio.gather(*runs))
            finally:
                watcher.cancel()


def http_settings(config: Config) -> HttpSettings:
    """The Fetcher's settings: `[http]`, with the web archive's hosts at `[wayback] delay`."""
    return paced(config.settings.http, config.settings.wayback)


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


def fetch_once(config: Config, **options: Any) -> list[SourceResult]:
    """`harvest_once` in a process of its own (cron's `fetch once`), with its own HTTP client."""
    return asyncio.run(harvest_once(config, **options))
