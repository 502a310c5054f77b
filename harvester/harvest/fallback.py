"""Live or archive: where a source's pages come from, and when a failed live request is taken from the web archive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from harvester.archive import read_response
from harvester.config import DiscoverConfig, SourceConfig
from harvester.fetch import FetchedPage, FetchError, Fetcher, HostUnreachable, HttpStatusError, RedirectRefused
from harvester.store import Store
from harvester.urls import host_of
from harvester.wayback import Wayback

# Live answers that a `via = "fallback"` source takes from the web archive instead (with refused
# connections, DNS failures and redirects off the source's hosts).
FALLBACK_STATUSES = (403, 404, 410, 451)


class LiveOrArchive:
    """The site while it answers; the web archive for a `via = "wayback"` source, or a `fallback` one the site failed."""

    def __init__(
        self,
        source: SourceConfig,
        fetcher: Fetcher,
        store: Store,
        discover: DiscoverConfig,
        progress: Callable[[str, str], None],
        *,
        archive: Path,
        wayback: Wayback | None,
    ) -> None:
        self.source = source
        self.fetcher = fetcher
        self.store = store
        self.discover = discover
        self.progress = progress
        self.archive = archive
        self.wayback = wayback
        # every request goes to the web archive: the site is gone (via = "wayback"), or went down during the run
        self.archive_only = source.via == "wayback"

    async def index_page(self, url: str) -> FetchedPage:
        """A listing or feed page, live (conditionally) or, failing that, its nearest capture."""
        if not self.archive_only:
            try:
                return await self._conditional_get(url)
            except FetchError as error:
                if not self.falls_back(error):
                    raise
        return await self.web_archive().nearest(url, self.source.hosts, before=self.discover.wayback_to)

    def web_archive(self) -> Wayback:
        assert self.wayback is not None, "harvest() gives a web archive to the sources that use one"
        return self.wayback

    def falls_back(self, error: FetchError) -> bool:
        """Whether a `via = "fallback"` source takes this failed live request from the web archive."""
        if self.source.via != "fallback":
            return False
        if isinstance(error, HostUnreachable):
            self.archive_only = True
            self.progress(self.source.name, f"{error.reason}: reading the web archive instead for the rest of the run")
            return True
        return isinstance(error, RedirectRefused) or (
            isinstance(error, HttpStatusError) and error.status in FALLBACK_STATUSES
        )

    def unreachable(self, error: HostUnreachable) -> str:
        """Why the source's run ends: the web archive's own outage is said to be the archive's, not the site's."""
        if self.wayback is not None and host_of(error.url) in self.wayback.hosts:
            return f"the web archive at {host_of(error.url)} cannot be reached: {error.reason}"
        return error.reason

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
