"""The listing walk: a source's listing pages, page after page, as `harvester.walk` decides, resumable."""

from __future__ import annotations

from harvester import pagework, walk
from harvester.harvest.pipeline import PagePipeline
from harvester.pagework import PageError


class ListingPageWalk:
    """Reads listing pages from a start URL, hands their readout links to the pipeline, and saves where to resume.

    How many of a page's links were new decides whether the walk goes on (`harvester.walk.ListingWalk`),
    so each page's links are stored before the next page is asked for.
    """

    def __init__(self, pipeline: PagePipeline) -> None:
        self.pipeline = pipeline

    async def read(self, start: str) -> None:
        run = self.pipeline
        name, store = run.source.name, run.store
        listing_walk = walk.ListingWalk(start, store.position(name, start), run.discover.max_pages)
        while (position := listing_walk.next()) is not None:
            store.set_position(name, start, listing_walk.checkpoint())
            page = await run.get_index(position.url, "listing")
            if page is None:
                listing_walk.broken()
                return
            run.result.counts.listing_pages += 1
            try:
                listing = await run.worker.run(
                    pagework.read_listing, page.body, page.exchange.header("content-type"), page.final_url,
                    run.discover, run.source.hosts, position.page,
                )
            except PageError as error:
                run.fail(position.url, error.reason, error.kind)
                listing_walk.broken()
                return
            if position.page == 1 and not listing.readout_urls:
                self._alarm(position.url, listing.found)
            new = await run.readouts(listing.readout_urls)
            run.say(f"listing page {position.page}: {len(listing.readout_urls)} links, {new} new")
            backfilling = listing_walk.backfilling
            listing_walk.read(len(listing.readout_urls), new, listing.next_url)
            if listing_walk.backfilling and not backfilling and listing_walk.saved is not None:
                run.say(f"backfill from listing page {listing_walk.saved.page}")
        store.set_position(name, start, listing_walk.resume_at())

    def _alarm(self, url: str, found: int) -> None:
        """The first page of a listing gave no readout link: the config no longer fits the site."""
        run = self.pipeline
        links, follow = run.discover.links, run.discover.follow.pattern
        if found == 0:
            why = f"listing selector {links!r} matched nothing on {url}"
        else:
            why = f"none of the {found} links {links!r} matched on {url} pass follow {follow!r}"
        run.result.listing_alarm = f"{why}: check it with `harvester check {run.source.name} --listing`"
        run.say(f"alarm: {why}")
