"""Discover stage: readout URLs from listing pages and feeds.

Pure functions of a page's text; the walk itself (which pages to fetch, when to
stop) is decided by the harvest, which knows what the corpus already holds.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
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
    """A feed from which nothing at all could be read."""


@dataclass(frozen=True)
class Feed:
    readout_urls: tuple[str, ...]
    # why the feed is not well-formed, when it is not: it was read as far as a tolerant reader gets
    problem: str | None = None


# An internal DTD subset: feeds have no use for one, and its entities are how XML bombs (nested or
# merely huge, expanded quadratically) and external entities reach a parser. It goes before parsing.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)


def _entry_link(entry: Any) -> str | None:
    """The entry's alternate link; its `<guid>` or `<id>` when that is a URL."""
    for link in entry.get("links", ()):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    identifier = str(entry.get("id") or "").strip()
    return identifier if identifier.startswith("http") else None


def parse_feed(xml: bytes, url: str, discover: DiscoverConfig, hosts: frozenset[str]) -> Feed:
    """Readout URLs of an RSS or Atom feed, in feed order, read as feed readers read feeds.

    feedparser reads a malformed feed (an unescaped `&`, an unclosed element) as far as it can
    and says what was wrong (`problem`). The size limit is the fetch's; DTD entities are
    removed before parsing, so no entity is ever expanded or fetched.
    """
    parsed = feedparser.parse(
        io.BytesIO(_DOCTYPE.sub(b"", xml, count=1)),
        response_headers={"content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    problem = None
    harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)  # the XML itself is fine
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), harmless):
        problem = f"{type(parsed['bozo_exception']).__name__}: {parsed['bozo_exception']}"[:300]
    if not parsed.entries and (problem or not parsed.get("version")):
        raise FeedError(f"not a well-formed feed: {problem or 'neither RSS nor Atom'}")
    return Feed(_unique([readout_url(_entry_link(entry), url, discover, hosts) for entry in parsed.entries]), problem)
