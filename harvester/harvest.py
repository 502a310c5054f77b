"""The harvest: runs the stages in order for each source.

config → discover → fetch → extract → store. This module only sequences them
and decides the walk (what to fetch next, when to stop); each stage's work is
in its own module.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from harvester.archive import ArchiveWriter
from harvester.config import Config, SourceConfig
from harvester.discover import FeedError, parse_feed, parse_listing
from harvester.extract import extract
from harvester.fetch import FetchedPage, FetchError, Fetcher, HostUnreachable
from harvester.store import RunCounts, Store

Progress = Callable[[str, str], None]

HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class SourceFailed(Exception):
    """The source could not be harvested at all; the message says why."""


@dataclass
class SourceResult:
    source: str
    status: str = "running"
    counts: RunCounts = field(default_factory=RunCounts)
    error: str | None = None


def _quiet(source: str, message: str) -> None:
    pass


class SourceHarvest:
    """One source's run: walks its feeds and listings, fetches new readouts, stores them."""

    def __init__(
        self, source: SourceConfig, fetcher: Fetcher, store: Store, max_pages: int | None, progress: Progress
    ) -> None:
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.discover = replace(source.discover, max_pages=max_pages) if max_pages else source.discover
        self.progress = progress
        self.result = SourceResult(source.name)
        self._seen: set[str] = set()
        self._pages_read = 0

    def _say(self, message: str) -> None:
        self.progress(self.source.name, message)

    async def run(self) -> SourceResult:
        store, counts = self.store, self.result.counts
        store.save_source(self.source)
        run_id = store.start_run(self.source.name)
        try:
            for feed in self.source.discover.feeds:
                await self._feed(feed)
            for start in self.source.discover.start:
                await self._walk(start)
            if self._pages_read == 0:
                raise SourceFailed("no listing page or feed could be read")
        except SourceFailed as failure:
            self.result.status, self.result.error = "failed", str(failure)
        else:
            self.result.status = "partial" if counts.errors else "ok"
        store.finish_run(run_id, self.result.status, counts, self.result.error)
        return self.result

    async def _get_index(self, url: str, kind: str) -> FetchedPage | None:
        """A listing or feed page; an unreachable host ends the source's run."""
        try:
            page = await self.fetcher.get(url, self.source.hosts)
        except HostUnreachable as error:
            raise SourceFailed(error.reason) from None
        except FetchError as error:
            self._fail(url, error.reason)
            return None
        self.store.add_page(self.source.name, kind, page)
        self._pages_read += 1
        return page

    async def _feed(self, url: str) -> None:
        page = await self._get_index(url, "feed")
        if page is None:
            return
        try:
            urls = parse_feed(page.body, page.final_url, self.discover, self.source.hosts)
        except FeedError as error:
            self._fail(url, str(error))
            return
        self._say(f"feed {url}: {len(urls)} readout links")
        await self._readouts(urls)

    async def _walk(self, start: str) -> None:
        url: str | None = start
        number = 1
        while url:
            page = await self._get_index(url, "listing")
            if page is None:
                return
            self.result.counts.listing_pages += 1
            listing = parse_listing(page.text, page.final_url, self.discover, self.source.hosts, number)
            new = await self._readouts(listing.readout_urls)
            self._say(f"listing page {number}: {len(listing.readout_urls)} links, {new} new")
            if not listing.readout_urls or new == 0:
                return
            url, number = listing.next_url, number + 1

    async def _readouts(self, urls: Sequence[str]) -> int:
        """Fetch and store the readouts not yet in the corpus; returns how many were new."""
        fresh = [url for url in urls if url not in self._seen]
        self._seen.update(fresh)
        known = self.store.known(fresh)
        self.result.counts.known += len(known)
        new = [url for url in fresh if url not in known]
        for url in new:
            await self._readout(url)
        return len(new)

    async def _readout(self, url: str) -> None:
        try:
            page = await self.fetcher.get(url, self.source.hosts)
        except HostUnreachable as error:
            raise SourceFailed(error.reason) from None
        except FetchError as error:
            self._fail(url, error.reason)
            return
        if page.exchange.content_type not in HTML_TYPES:
            self._fail(url, f"not an HTML page ({page.exchange.content_type})")
            return
        readout = extract(page.text, url, self.source.extract, self.source.language)
        if not readout.text:
            self._fail(url, "no article text found")
            return
        self.store.add_readout(self.source.name, page, readout)
        self.result.counts.new_readouts += 1
        self._say(f"new: {readout.title or url}")

    def _fail(self, url: str, reason: str) -> None:
        self.result.counts.errors += 1
        self.store.record_failure(self.source.name, url, reason)
        self._say(f"error: {url}: {reason}")


async def harvest(
    config: Config,
    store: Store,
    sources: Sequence[SourceConfig],
    *,
    max_pages: int | None = None,
    progress: Progress = _quiet,
) -> list[SourceResult]:
    """Harvest `sources` concurrently; requests to any one host stay one at a time."""
    archive = ArchiveWriter(config.settings.archive)
    try:
        async with Fetcher(config.settings.http, record=archive.record) as fetcher:
            runs = [SourceHarvest(s, fetcher, store, max_pages, progress).run() for s in sources]
            return list(await asyncio.gather(*runs))
    finally:
        archive.close()


def fetch_once(
    config: Config,
    *,
    database: Path | None = None,
    source_names: Sequence[str] = (),
    max_pages: int | None = None,
    progress: Progress = _quiet,
) -> list[SourceResult]:
    """One harvest of the enabled sources (or of `source_names`, enabled or not)."""
    sources = [config.source(name) for name in source_names] or [s for s in config.sources if s.enabled]
    store = Store(database or config.settings.database)
    try:
        return asyncio.run(harvest(config, store, sources, max_pages=max_pages, progress=progress))
    finally:
        store.close()
