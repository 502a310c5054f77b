"""The feed walk: readout links from RSS/Atom feeds and from sitemaps, handed to the page pipeline."""

from __future__ import annotations

from urllib.parse import urlsplit

from harvester import pagework
from harvester.discover import SitemapEntry
from harvester.fetch import FetchError
from harvester.harvest.pipeline import PagePipeline, failure_kind
from harvester.pagework import PageError
from harvester.store import WalkPosition
from harvester.urls import host_of, same_site


class FeedWalk:
    """A feed is one page: every readout link in it goes to the pipeline."""

    def __init__(self, pipeline: PagePipeline) -> None:
        self.pipeline = pipeline

    async def read(self, url: str) -> None:
        run = self.pipeline
        page = await run.get_index(url, "feed")
        if page is None:
            return
        try:
            feed = await run.worker.run(pagework.read_feed, page.body, page.final_url, run.discover, run.source.hosts)
        except PageError as error:
            run.fail(url, error.reason, error.kind)
            return
        if feed.problem:
            run.fail(url, f"not a well-formed feed, read as far as it goes: {feed.problem}", "parse")
        run.say(f"feed {url}: {len(feed.readout_urls)} readout links")
        await run.readouts(feed.readout_urls)


class SitemapWalk:
    """Readouts from a sitemap, a sitemap index (children too) or the sitemaps a robots.txt names.

    A child sitemap read in full is remembered with the `lastmod` its index gave it
    (`walk_state`, start `sitemap <url>`), and skipped while that date stands: an unchanged
    index costs one request. A run stopped part-way resumes, since the children it had not
    finished are still unremembered and the readouts it stored are known.
    """

    def __init__(self, pipeline: PagePipeline) -> None:
        self.pipeline = pipeline

    async def read(self, url: str) -> None:
        run = self.pipeline
        name, discover, store = run.source.name, run.discover, run.store
        if urlsplit(url).path == "/robots.txt":
            run.check_stop()
            try:
                named = await run.fetcher.sitemaps(url)
            except FetchError as error:
                run.fail(url, error.reason, failure_kind(error))
                return
            queue = [SitemapEntry(u) for u in named if same_site(host_of(u), run.source.hosts)]
            run.say(f"{url} names {len(queue)} sitemap(s) of ours")
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
            remembered = store.position(name, key) if entry.lastmod and not run.refresh else None
            if remembered is not None and remembered.url == entry.lastmod:
                run.say(f"sitemap {entry.url}: unchanged since {entry.lastmod}")
                continue
            page = await run.get_index(entry.url, "sitemap")
            if page is None:
                continue
            run.result.counts.listing_pages += 1
            try:
                sitemap = await run.worker.run(
                    pagework.read_sitemap, page.body, page.final_url, discover, run.source.hosts,
                    run.fetcher.settings.max_bytes,
                )
            except PageError as error:
                run.fail(entry.url, error.reason, error.kind)
                continue
            queue.extend(sitemap.children)
            if not sitemap.children:
                listed, followed = listed + sitemap.found, followed + len(sitemap.readouts)
            new = await run.readouts([readout.url for readout in sitemap.readouts])
            found = f"{len(sitemap.children)} sitemaps" if sitemap.children else f"{len(sitemap.readouts)} links, {new} new"
            run.say(f"sitemap {entry.url}: {found}")
            if entry.lastmod:
                store.set_position(name, key, WalkPosition(entry.lastmod, 0))
        if listed and not followed:
            # as for a listing: the config no longer fits the site
            why = f"none of the {listed} URLs the sitemaps of {url} list pass follow {discover.follow.pattern!r}"
            run.result.listing_alarm = why
            run.say(f"alarm: {why}")
