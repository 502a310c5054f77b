"""Discover stage: readout URLs from listing pages and feeds.

Pure functions of a page's text; the walk itself (which pages to fetch, when to
stop) is decided by the harvest, which knows what the corpus already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from selectolax.lexbor import LexborHTMLParser

from harvester.config import DiscoverConfig
from harvester.fetch import host_of, same_site
from harvester.urls import clean_url


@dataclass(frozen=True)
class Listing:
    url: str
    readout_urls: tuple[str, ...]
    next_url: str | None
    # elements the `links` selector matched, followed or not: 0 means the selector fits the page no more
    found: int = 0


def readout_url(href: str | None, base: str, discover: DiscoverConfig, hosts: frozenset[str]) -> str | None:
    """The absolute readout URL an href points to, or None when it is not a readout of ours.

    It is cleaned (`harvester.urls.clean_url`) before anything else sees it: a session id
    in a link must not make a known article a new one.
    """
    if not href or href.startswith(("javascript:", "mailto:", "#")):
        return None
    url = clean_url(urljoin(base, href.strip()), discover.drop_params)
    if urlsplit(url).scheme not in ("http", "https") or not same_site(host_of(url), hosts):
        return None
    return url if discover.follow.search(url) else None


def _unique(urls: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(url for url in urls if url))


def parse_listing(
    html: str, url: str, discover: DiscoverConfig, hosts: frozenset[str], page_number: int
) -> Listing:
    tree = LexborHTMLParser(html)
    anchors = tree.css(discover.links) if discover.links else []
    links = _unique([readout_url(a.attributes.get("href"), url, discover, hosts) for a in anchors])
    next_url = next_listing_url(tree, url, discover, page_number)
    return Listing(url=url, readout_urls=links, next_url=next_url, found=len(anchors))


def next_listing_url(tree: LexborHTMLParser, url: str, discover: DiscoverConfig, page_number: int) -> str | None:
    """Page `page_number + 1`, by the `next` link or the `pages` template; None at the end."""
    if page_number >= discover.max_pages:
        return None
    if discover.pages:
        return discover.pages.format(page=page_number + 1)
    if discover.next:
        node = tree.css_first(discover.next)
        href = node.attributes.get("href") if node is not None else None
        if href:
            return clean_url(urljoin(url, href.strip()), discover.drop_params)
    return None


class FeedError(ValueError):
    """A feed that is not well-formed XML."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _item_link(item: ElementTree.Element) -> str | None:
    """RSS `<link>` text or Atom `<link rel="alternate" href>`; `<guid>`/`<id>` when they are URLs."""
    fallback = None
    for child in item:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href") or (child.text or "").strip()
            if href and child.get("rel", "alternate") == "alternate":
                return href
        elif name in ("guid", "id") and (child.text or "").strip().startswith("http"):
            fallback = (child.text or "").strip()
    return fallback


def parse_feed(xml: bytes, url: str, discover: DiscoverConfig, hosts: frozenset[str]) -> tuple[str, ...]:
    """Readout URLs of an RSS 2.0 or Atom feed, in feed order."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise FeedError(f"not a well-formed feed: {error}") from None
    items = [element for element in root.iter() if _local(element.tag) in ("item", "entry")]
    return _unique([readout_url(_item_link(item), url, discover, hosts) for item in items])
