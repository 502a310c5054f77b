"""The page pipeline that every walk feeds: fetch a readout (live or archived), extract it, store it, or record why not.

Whatever goes wrong with one page (its fetch, decoding, parsing, extraction,
identity or storage) is recorded in `failures` with its kind, and the run goes on.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from harvester import pagework, walk
from harvester.config import DiscoverConfig, SourceConfig
from harvester.extract import Readout
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
from harvester.harvest.fallback import LiveOrArchive
from harvester.harvest.soft404 import SoftNotFound
from harvester.pagework import PageError, PageWorker
from harvester.store import Revision, RunCounts, Store, StoreUnavailable
from harvester.urls import host_of
from harvester.wayback import Capture, distinct

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]
# Asked before every request: None to go on, or why the run must stop now (budget spent, SIGTERM).
StopCheck = Callable[[], str | None]
# `failures.kind` of an exception no stage expected: recorded with its class, and the walk goes on.
UNEXPECTED = "unexpected"


def failure_reason(error: Exception) -> str:
    """The `failures.error` text of what per-URL work raised."""
    if isinstance(error, FetchError):
        return error.reason
    return f"unexpected {type(error).__name__}: {error}"[:500]


class SourceFailed(Exception):
    """The source could not be harvested at all; the message says why."""


class Unremembered(Exception):
    """Writing a page's validators raised what no stage expected (`cause`): the page fails as `unexpected`."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


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


class PagePipeline:
    """One source's run as the walks see it: index pages to read, readout URLs to fetch, and the run's record."""

    def __init__(
        self,
        source: SourceConfig,
        fetcher: Fetcher,
        store: Store,
        discover: DiscoverConfig,
        progress: Progress,
        *,
        worker: PageWorker,
        origin: LiveOrArchive,
        stop: StopCheck,
        refresh: bool,
    ) -> None:
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.discover = discover
        self.progress = progress
        self.worker = worker
        self.origin = origin
        self.stop = stop
        # fetch the known readouts of the walked listing pages again, so that changed texts become versions
        self.refresh = refresh
        self.breaker = HostBreaker()
        self.soft_404 = SoftNotFound(source, fetcher, worker)
        self.result = SourceResult(source.name)
        self.seen: set[str] = set()
        self.pages_read = 0
        self.extracted = 0
        self.fallbacks: Counter[str] = Counter()
        self.skipped = 0  # readouts not asked for because their host's breaker was open
        self.profile = store.source_profile(source.name)
        self.unsaved = 0  # readouts queued in the store, not yet committed
        self.store_error: StoreUnavailable | None = None  # why a batch of this run's writes failed
        # the readout fetched last, being read while the next is asked for
        self._reading: asyncio.Task[None] | None = None

    def say(self, message: str) -> None:
        self.progress(self.source.name, message)

    def check_stop(self) -> None:
        if self.store_error is not None:
            raise StoreUnavailable(str(self.store_error))
        reason = self.stop()
        if reason:
            raise Stopped(reason)

    def fail(self, url: str, reason: str, kind: str) -> None:
        self.result.counts.errors += 1
        self.store.record_failure(self.source.name, url, reason, kind)
        self.say(f"error: {url}: {reason}")

    def unexpected(self, url: str, error: Exception) -> None:
        """An exception no stage expected, on one URL: recorded with its class; the walk goes on."""
        log.warning("%s: %s failed unexpectedly", self.source.name, url, exc_info=error)
        self.fail(url, failure_reason(error), failure_kind(error))

    async def get_index(self, url: str, kind: str) -> FetchedPage | None:
        """A listing or feed page; an unreachable host ends the source's run."""
        self.check_stop()
        host = host_of(url)
        if not self.origin.archive_only and self.breaker.why(host):
            return None  # the walk resumes here once the host answers again
        try:
            page = await self.origin.index_page(url)
        except HostUnreachable as error:
            self.breaker.fault(host_of(error.url), error)
            raise SourceFailed(self.origin.unreachable(error)) from None
        except FetchError as error:
            if host_wide(error):
                self.breaker.fault(host_of(error.url), error)
            self.fail(url, error.reason, failure_kind(error))
            return None
        except RUN_ENDING:
            raise
        except Exception as error:
            self.unexpected(url, error)
            return None
        self.breaker.success(host)
        self.store.add_page(self.source.name, kind, page)
        self.pages_read += 1
        return page

    async def readouts(self, urls: Sequence[str]) -> int:
        """Fetch and store the readouts not yet in the corpus; returns how many were new."""
        fresh = [url for url in urls if url not in self.seen]
        self.seen.update(fresh)
        known = self.store.known(fresh, self.source.name)
        self.result.counts.known += len(known)
        # URLs that failed lately wait for their retry time (see `SourceHarvest._retry_failures`)
        waiting = walk.waiting(self.store.failures(self.source.name), [url for url in fresh if url not in known])
        new = [url for url in fresh if url not in known and url not in waiting]
        for url in new:
            await self.readout(url)
        if self.refresh:
            for url in [url for url in fresh if url in known]:
                await self.readout(url, known=True)
        await self.read_pending()  # the page's readouts are stored before the walk decides where to go next
        return len(new)

    async def readout(self, url: str, *, known: bool = False, captures: Sequence[Capture] | None = None) -> None:
        """Fetch one readout, and start reading and storing it; a `known` one is asked for conditionally and may
        come back changed.

        The page is read (extracted, checked, stored) while the next one is asked for, so the host's delay
        runs meanwhile instead of after the reading: pages are read one at a time, in the order they were
        fetched, each once the one before it is stored (it may learn from it), and `read_pending` waits
        for the last. A page whose reading asks its host something (the soft-404 probe, once a host) is
        read before the next is asked for, so the host hears the same requests in the same order as ever.
        `captures` are the URL's captures in the web archive, when its index listed them.
        Nothing that goes wrong here leaves this method but a stop, a failed source or an unusable
        corpus: the page's failure is recorded with its kind and the run goes on, whatever it was.
        """
        try:
            page = await self._fetch_readout(url, known=known, captures=captures)
        except RUN_ENDING:
            raise
        except Exception as error:
            self.unexpected(url, error)
            return
        if page is None:
            return
        await self.read_pending()
        if self.soft_404.asked(url):
            self._reading = asyncio.create_task(self._read(url, page, known=known))
        else:
            await self._read(url, page, known=known)  # it asks the host for a URL that cannot exist: do so now

    async def read_pending(self) -> None:
        """Wait for the page being read; what ends the run there ends it here. A run abandoned while it waited
        for anything abandons the page too (see `harvester.harvest.ABANDON_AFTER`)."""
        reading, self._reading = self._reading, None
        if reading is None:
            return
        running = asyncio.current_task()
        if running is not None and running.cancelling():
            reading.cancel()
        await reading

    async def _fetch_readout(self, url: str, *, known: bool, captures: Sequence[Capture] | None) -> FetchedPage | None:
        """The page to read, None when there is nothing to read: it failed (and is recorded), is unchanged, was
        skipped, or came from the web archive (read here)."""
        self.check_stop()
        if self.origin.archive_only:
            await self._archived(url, captures)
            return None
        host = host_of(url)
        if self.breaker.why(host):
            self.skipped += 1
            return None  # not asked, not blamed: the URL stays new for a later run
        cached = self.store.cached(url) if known else None
        try:
            page = await self.fetcher.get(
                url, self.source.hosts, accept=HTML_TYPES, validators=cached.validators if cached else None
            )
        except FetchError as error:
            if self.origin.falls_back(error):
                await self._archived(url, captures)
                return None
            if host_wide(error):
                self.breaker.fault(host_of(error.url), error)
            self.fail(url, error.reason, failure_kind(error))
            if isinstance(error, HostUnreachable):
                raise SourceFailed(self.origin.unreachable(error)) from None
            return None
        self.breaker.success(host)
        if page.status == 304:
            return None  # unchanged since it was stored
        return page

    async def _read(self, url: str, page: FetchedPage, *, known: bool) -> None:
        """Extract the fetched page, check it is no error page, and queue it for the store."""
        try:
            await self._read_page(url, page, known=known)
        except RUN_ENDING:
            raise
        except Exception as error:
            self.unexpected(url, error)

    async def _read_page(self, url: str, page: FetchedPage, *, known: bool) -> None:
        readout = await self._extract(url, page)
        if readout is not None and await self.soft_404.answers_anything(url, readout, self.profile):
            self.fail(url, "not an article: an error page: the same page as the host's answer to a URL that"
                      " cannot exist (a soft 404)", "extract")
            readout = None
        if readout is None:
            # its validators are kept all the same: the next run asks for it conditionally
            self.store.later(lambda: self._remember(page), lambda outcome: self._saved(url, None, outcome, known=known))
            return
        self._save(url, page, readout, known=known, remember=True)

    async def _extract(self, url: str, page: FetchedPage) -> Readout | None:
        """The page's readout, worked out in the page worker; None (and the failure recorded) when there is none."""
        # an archived page cannot have been published after it was captured
        seen = datetime.fromisoformat(page.memento.archived_at) if page.memento else None
        if self.unsaved:
            self.store.flush()  # what this page is read with (the learnt template) follows every readout before it
        try:
            readout = await self.worker.run(
                pagework.read_readout, page.body, page.exchange.header("content-type"), url,
                self.source.extract, self.source.language, self.profile, seen,
            )
        except PageError as error:
            self.fail(url, error.reason, error.kind)
            return None
        if not readout.page_type:
            self.fail(url, f"not an article: {readout.page_type.reason}", "extract")
            return None
        self.extracted += 1
        if readout.fallback:
            self.fallbacks[readout.fallback] += 1
        if not readout.text:
            self.fail(url, "no article text found", "extract")
            return None
        return readout

    async def _archived(self, url: str, captures: Sequence[Capture] | None) -> None:
        """A readout from the web archive: its newest capture, and older texts as versions.

        Captures whose digest the corpus already holds are not fetched again.
        """
        wayback, name = self.origin.web_archive(), self.source.name
        try:
            texts = distinct(captures if captures is not None else await wayback.captures_of(url, self.discover))
        except FetchError as error:
            self.fail(url, error.reason, failure_kind(error))
            if isinstance(error, HostUnreachable):
                raise SourceFailed(self.origin.unreachable(error)) from None
            return
        if not texts:
            self.fail(url, "the web archive holds no HTML capture of it with status 200", "archive")
            return
        held = self.store.capture_digests(url, name)
        current = self.store.readout_moment(url, name)
        superseded = {older.timestamp: newer.archived_at for older, newer in zip(texts, texts[1:])}
        for capture in reversed([c for c in texts if c.digest not in held]):
            self.check_stop()
            try:
                page = replace(await wayback.capture(capture, self.source.hosts, accept=HTML_TYPES), url=url)
            except FetchError as error:
                self.fail(url, error.reason, failure_kind(error))
                if isinstance(error, HostUnreachable):
                    raise SourceFailed(self.origin.unreachable(error)) from None
                continue
            readout = await self._extract(url, page)
            if readout is None:
                continue
            if current is None or capture.archived_at > current:
                self._save(url, page, readout, known=current is not None)
                current = capture.archived_at
            elif self.store.add_version(name, page, readout, superseded.get(capture.timestamp, current)):
                self.say(f"earlier capture kept as a version: {readout.title or url}")

    def _save(self, url: str, page: FetchedPage, readout: Readout, *, known: bool, remember: bool = False) -> None:
        """Queue the readout (and, when `remember`, its page's validators) for the store's next batch;
        it is counted and reported once committed (`_saved`)."""
        self.unsaved += 1

        def write() -> Revision:
            if remember:
                self._remember(page)
            return self.store.save_readout(self.source.name, page, readout)

        self.store.later(write, lambda outcome: self._saved(url, readout, outcome, known=known))

    def _remember(self, page: FetchedPage) -> None:
        """The page's validators into the HTTP cache; a bug there fails the page as `unexpected`, as in any stage."""
        try:
            self.store.remember(self.source.name, page)
        except (sqlite3.Error, StoreUnavailable):
            raise  # the batch's to handle: it waits, or fails whole
        except Exception as error:
            raise Unremembered(error) from error

    def _saved(self, url: str, readout: Readout | None, outcome: Revision | Exception | None, *, known: bool) -> None:
        """How a queued write of the page ended: `readout` is None when only its validators were queued."""
        if readout is not None:
            self.unsaved -= 1
        if isinstance(outcome, StoreUnavailable):
            self.store_error = self.store_error or outcome  # the batch holding it failed: so does the run, at its next step
        elif isinstance(outcome, Exception):
            if isinstance(outcome, Unremembered):
                log.warning("%s: %s failed unexpectedly", self.source.name, url, exc_info=outcome.cause)
                reason, kind = failure_reason(outcome.cause), failure_kind(outcome.cause)
            else:  # the identity step or the store choked on this page alone
                log.error("%s: storing %s failed", self.source.name, url, exc_info=outcome)
                reason, kind = f"storing failed: {type(outcome).__name__}: {outcome}", "store"
            self.result.counts.errors += 1
            self.store.later(lambda: self.store.record_failure(self.source.name, url, reason, kind))
            self.say(f"error: {url}: {reason}")
        elif isinstance(outcome, Revision) and readout is not None:
            if readout.learnable:
                # the template improves as pages arrive; the usual length stays the one the run started with
                self.profile = replace(self.profile, template=self.store.learnt_template(self.source.name))
            if not known:
                self.result.counts.new_readouts += 1
                self.say(f"new: {readout.title or url}")
            elif outcome.changed:
                self.say(f"changed, earlier text kept as a version: {readout.title or url}")

    def settle(self) -> None:
        """Commit what the run has queued; a batch of its writes that failed fails the run."""
        self.store.flush()
        if self.store_error is not None:
            raise StoreUnavailable(str(self.store_error))

    def drift(self) -> str | None:
        """The run is degraded when on half its readout pages or more the configured body failed."""
        failed = sum(self.fallbacks.values())
        if not failed or 2 * failed < self.extracted:
            return None
        reasons = "; ".join(f"{reason} on {n} of {self.extracted} pages" for reason, n in self.fallbacks.most_common())
        return f"{reasons}: the generic extractor took over"
