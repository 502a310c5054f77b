"""`harvester check`: one source's config run against one page, shown field by field.

This is the tool a person writing a config lives in: whether the page is an
article at all (the page-type verdict and its reason; a page that is not one
yields no readout), what each field got and from where, the text, and every
block the body lost with the reason (a `drop` selector, a `drop_lines`
pattern, the learnt template, a block shown twice, or the generic extractor
leaving it outside the article).

With `--listing` it checks the discover side instead (`check_listing`): each
link the `links` selector finds on a listing page, whether it passes `follow`,
whether the corpus knows it already, and the `next` page.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from harvester import meetings
from harvester.archive import read_response
from harvester.dedupe import Identity
from harvester.errors import HarvesterError
from harvester.config import Config, SourceConfig
from harvester.discover import next_listing_url
from harvester.extract import Readout, extract
from harvester.extract.profile import NO_PROFILE
from harvester.fetch import HTML_TYPES, FetchError, Fetcher, decode
from harvester.store import Store, StoreUnavailable
from harvester.urls import clean_url, host_of, same_site

FIELDS = ("title", "kicker", "author", "published", "tags", "lead", "place")


class CheckError(HarvesterError):
    """The page could not be had: the message says why."""


@dataclass(frozen=True)
class FieldReport:
    name: str
    value: str
    origin: str  # the selector that gave it, or why the page's own metadata did


@dataclass(frozen=True)
class CheckReport:
    source: str
    page: str
    readout: Readout
    fields: tuple[FieldReport, ...]
    template_blocks: int  # learnt blocks of this source in the corpus
    event: meetings.Reading  # what the meeting step reads: kind, participants, date, place, and why


@dataclass(frozen=True)
class LinkReport:
    href: str  # as written in the page
    url: str | None  # absolute and cleaned, None when it is no http(s) link of the source's site
    follows: bool  # passes `follow`: the harvest would fetch it
    known: bool  # the corpus holds it already (under this URL or a variant)


@dataclass(frozen=True)
class ListingReport:
    source: str
    page: str
    links_selector: str
    follow: str
    links: tuple[LinkReport, ...]
    next_url: str | None


def check_listing(config: Config, source_name: str, target: str | None, database: Path | None = None) -> ListingReport:
    """The links of a listing page (`target`, a URL or a file; by default the source's first start URL)."""
    source = config.source(source_name)
    discover = source.discover
    if not discover.links or not discover.start:
        raise CheckError(f"{source.name} has no listing pages (`start` and `links`): nothing to check")
    links_selector = discover.links
    page = target or discover.start[0]
    if Path(page).is_file():
        html = decode(Path(page).read_bytes())
        base = discover.start[0]
    elif page.startswith(("http://", "https://")):
        html, base = asyncio.run(_fetch(config, source, page, accept=None)), page
    else:
        raise CheckError(f"{page}: neither a file nor an http(s) URL")
    tree = LexborHTMLParser(html)
    found: list[tuple[str, str | None]] = []
    for anchor in tree.css(links_selector):
        href = (anchor.attributes.get("href") or "").strip()
        url = clean_url(urljoin(base, href), discover.drop_params) if href else None
        if url is not None and (urlsplit(url).scheme not in ("http", "https") or not same_site(host_of(url), source.hosts)):
            url = None
        found.append((href, url))
    known: set[str] = set()
    database = Path(database or config.settings.database)
    if database.exists():
        try:
            with Store(database) as store:
                known = store.known([url for _, url in found if url], source.name)
        except StoreUnavailable as error:
            raise CheckError(str(error)) from None
    links = tuple(
        LinkReport(href, url, bool(url and discover.follow.search(url)), url in known) for href, url in found
    )
    return ListingReport(
        source.name, page, links_selector, discover.follow.pattern, links, next_listing_url(tree, base, discover, 1)
    )


def check(config: Config, source_name: str, target: str | None, database: Path | None = None) -> CheckReport:
    """Extract `target` (a URL, a file, or by default the source's latest archived readout page)."""
    source = config.source(source_name)
    database = Path(database or config.settings.database)
    profile = NO_PROFILE
    latest: tuple[str, str] | None = None
    if database.exists():
        store = Store(database)
        try:
            profile = store.source_profile(source.name)
            if target is None:
                latest = _latest_archived(store, config, source)
        finally:
            store.close()
    if target is None:
        if latest is None:
            raise CheckError(f"{source.name} has no archived readout page yet: name a URL or a file")
        page, html = latest
    elif Path(target).is_file():
        page, html = target, decode(Path(target).read_bytes())
    elif target.startswith(("http://", "https://")):
        page, html = target, asyncio.run(_fetch(config, source, target))
    else:
        raise CheckError(f"{target}: neither a file nor an http(s) URL")
    readout = extract(html, page, source.extract, source.language, profile, explain=True)
    gazetteer = Identity.from_config(config).gazetteer
    event = meetings.read(readout.text, readout.title, readout.published, gazetteer, lead=readout.lead, place=readout.place,
                          language=readout.language)
    return CheckReport(source.name, page, readout, _fields(html, source, readout), len(profile.template), event)


def _latest_archived(store: Store, config: Config, source: SourceConfig) -> tuple[str, str] | None:
    latest = store.latest_archived(source.name)
    if latest is None:
        return None
    url, location = latest
    response = read_response(config.settings.archive, location)
    return url, decode(response.body, response.header("content-type"))


async def _fetch(config: Config, source: SourceConfig, url: str, accept: tuple[str, ...] | None = HTML_TYPES) -> str:
    """One polite request: the configured User-Agent, robots.txt, the source's hosts only."""
    async with Fetcher(config.settings.http) as fetcher:
        try:
            # the page named on the command line may sit on a host the config does not list yet
            page = await fetcher.get(url, source.hosts | {urlsplit(url).netloc.lower()}, accept=accept)
        except FetchError as error:
            raise CheckError(f"{url}: {error.reason}") from None
    return page.text


def _fields(html: str, source: SourceConfig, readout: Readout) -> tuple[FieldReport, ...]:
    tree = LexborHTMLParser(html)
    reports = []
    for name in FIELDS:
        shown: str = ", ".join(readout.tags) if name == "tags" else (getattr(readout, name) or "")
        selector = getattr(source.extract, name)
        metadata = "found in the page's metadata" if shown else "none in the page's metadata either"
        if name == "lead" and readout.lead_origin:
            origin = readout.lead_origin
        elif selector is None:
            origin = f"no selector: {metadata}"
        elif tree.css_first(selector.css) is None:
            origin = f"selector {selector.css!r} matched nothing: {metadata}"
        else:
            origin = f"selector {selector.css!r}" + (f" @{selector.attr}" if selector.attr else "")
        reports.append(FieldReport(name, shown, origin))
    return tuple(reports)
