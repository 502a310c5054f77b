"""Discover stage: readout URLs from listing pages, feeds and sitemaps.

Pure functions of a page's text; the walk itself (which pages to fetch, when to
stop) is decided by the harvest, which knows what the corpus already holds.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_xml
from selectolax.lexbor import LexborHTMLParser

from harvester.config import DiscoverConfig
from harvester.fetch import ContentDecoder, FetchError
from harvester.urls import clean_url, host_of, same_site


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


# --- sitemaps ----------------------------------------------------------------------

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


# A sitemap, or an index of sitemaps, as the sitemaps.org protocol writes it, or as sites bend it.
SITEMAP_TAGS = {"urlset": "url", "sitemapindex": "sitemap"}


class SitemapError(ValueError):
    """A sitemap that cannot be read: not XML, a document type or entities (refused), or too large unpacked."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    # as the sitemap writes it (W3C datetime); None when it gives none
    lastmod: str | None = None


@dataclass(frozen=True)
class Sitemap:
    url: str
    # readout URLs that pass `follow`, in sitemap order
    readouts: tuple[SitemapEntry, ...] = ()
    # further sitemaps, when this one is an index
    children: tuple[SitemapEntry, ...] = ()
    # `<url>` entries read, followed or not: 0 means the sitemap lists nothing at all
    found: int = 0


def gunzip(body: bytes, url: str, limit: int) -> bytes:
    """A gzipped sitemap (`sitemap.xml.gz`, sent as a file, not as a content coding) unpacked within `limit` bytes.

    Unpacked the way response bodies are (`harvester.fetch.ContentDecoder`, a piece at a time),
    so a gzip bomb stops at the same limit as any other body.
    """
    pieces, size = [], 0
    try:
        decoder = ContentDecoder(url, "gzip")
        for piece in [*decoder.feed(body), *decoder.finish()]:
            size += len(piece)
            if size > limit:
                raise SitemapError(f"gzipped sitemap grew over the {limit:,} byte limit once unpacked")
            pieces.append(piece)
    except FetchError as error:
        raise SitemapError(error.reason) from None
    return b"".join(pieces)


def parse_sitemap(body: bytes, url: str, discover: DiscoverConfig, hosts: frozenset[str], limit: int) -> Sitemap:
    """The readout URLs and child sitemaps of a sitemap, a sitemap index, a gzipped one or a plain-text one.

    Read with defusedxml and no document type allowed: a sitemap never needs one, and
    entities are how XML bombs and external-entity reads work. Tolerant of what sites
    do: any namespace or none, a byte-order mark or white space before the root, white
    space inside `<loc>`, and the protocol's other forms (one URL a line; RSS or Atom).
    Children are kept on the source's hosts, as links are.
    """
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, url, limit)
    data = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not data.startswith(b"<"):
        lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
        entries = [SitemapEntry(line) for line in lines if line.startswith(("http://", "https://"))]
        return Sitemap(url, _followed(entries, url, discover, hosts), (), len(entries))
    try:
        root = safe_xml(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise SitemapError(f"refused: {type(error).__name__} (a sitemap has no document type or entities)") from None
    except ElementTree.ParseError as error:
        raise SitemapError(f"not a well-formed sitemap: {error}") from None
    kind = _local(root.tag)
    if kind in ("rss", "feed"):
        items = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
        return Sitemap(url, _followed([SitemapEntry(link) for i in items if (link := _item_link(i))], url, discover, hosts), (), len(items))
    if kind not in SITEMAP_TAGS:
        raise SitemapError(f"not a sitemap: the root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries = []
    for element in root:
        if _local(element.tag) != SITEMAP_TAGS[kind]:
            continue
        fields = {_local(child.tag): (child.text or "").strip() for child in element}
        if fields.get("loc"):
            entries.append(SitemapEntry(fields["loc"], fields.get("lastmod") or None))
    if kind == "urlset":
        return Sitemap(url, _followed(entries, url, discover, hosts), (), len(entries))
    children = []
    for entry in entries:
        child = clean_url(urljoin(url, entry.url))
        if urlsplit(child).scheme in ("http", "https") and same_site(host_of(child), hosts):
            children.append(SitemapEntry(child, entry.lastmod))
    return Sitemap(url, (), tuple(dict.fromkeys(children)), len(entries))


def _followed(entries: list[SitemapEntry], base: str, discover: DiscoverConfig, hosts: frozenset[str]) -> tuple[SitemapEntry, ...]:
    kept: dict[str, SitemapEntry] = {}
    for entry in entries:
        url = readout_url(entry.url, base, discover, hosts)
        if url and url not in kept:
            kept[url] = SitemapEntry(url, entry.lastmod)
    return tuple(kept.values())
