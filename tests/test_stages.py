"""The pure stages on their own: discover, dates, paragraphs, decoding."""

from __future__ import annotations


import pytest
from selectolax.lexbor import LexborHTMLParser

from harvester.config import DiscoverConfig, Pattern
from harvester.discover import FeedError, parse_feed, parse_listing
from harvester.extract.dates import parse_date
from harvester.extract.text import paragraphs
from harvester.fetch import decode
from tests.conftest import first

HOSTS = frozenset({"www.example.org"})
DISCOVER = DiscoverConfig(
    start=("https://www.example.org/news",), links="ul.news a", follow=Pattern(r"/news/\d+"), next="a.next"
)


def test_listing_links_are_absolute_filtered_and_unique() -> None:
    html = """<ul class="news">
      <li><a href="/news/2#top">two</a></li><li><a href="news/3">three</a></li>
      <li><a href="https://example.org/news/4">bare host is the same site</a></li>
      <li><a href="https://elsewhere.com/news/5">other site</a></li>
      <li><a href="/about">not a readout</a></li><li><a href="/news/2">two again</a></li>
      <li><a href="javascript:void(0)">js</a></li></ul>
      <a class="next" href="?page=2">next</a>"""
    listing = parse_listing(html, "https://www.example.org/news/", DISCOVER, HOSTS, page_number=1)
    assert listing.readout_urls == (
        "https://www.example.org/news/2",
        "https://www.example.org/news/news/3",
        "https://example.org/news/4",
    )
    assert listing.next_url == "https://www.example.org/news/?page=2"


def test_walk_ends_at_max_pages_or_without_next() -> None:
    html = '<ul class="news"><li><a href="/news/1">1</a></li></ul><a class="next" href="/news?page=3">n</a>'
    capped = DiscoverConfig(**{**DISCOVER.__dict__, "max_pages": 2})
    assert parse_listing(html, DISCOVER.start[0], capped, HOSTS, page_number=2).next_url is None
    assert parse_listing("<ul class=news></ul>", DISCOVER.start[0], DISCOVER, HOSTS, 1).next_url is None
    template = DiscoverConfig(**{**DISCOVER.__dict__, "next": None, "pages": "https://www.example.org/news/page/{page}"})
    assert parse_listing(html, DISCOVER.start[0], template, HOSTS, 1).next_url == "https://www.example.org/news/page/2"


def test_rss_and_atom_feeds() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>a</title><link>https://www.example.org/news/7</link></item>
      <item><title>b</title><guid>https://www.example.org/news/8</guid></item>
      <item><title>c</title><link>https://www.example.org/video/9</link></item></channel></rss>"""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <link rel="next" href="https://www.example.org/feed?page=2"/>
      <entry><id>tag:x</id><link rel="alternate" href="https://www.example.org/news/10"/></entry>
      <entry><id>https://www.example.org/news/11</id></entry></feed>"""
    assert parse_feed(rss, "https://www.example.org/rss", DISCOVER, HOSTS).readout_urls == (
        "https://www.example.org/news/7",
        "https://www.example.org/news/8",
    )
    assert parse_feed(atom, "https://www.example.org/feed", DISCOVER, HOSTS).readout_urls == (
        "https://www.example.org/news/10",
        "https://www.example.org/news/11",
    )
    with pytest.raises(FeedError, match="not a well-formed feed"):
        parse_feed(b"<html><body>Forbidden</body>", "https://www.example.org/rss", DISCOVER, HOSTS)


@pytest.mark.parametrize(
    ("value", "formats", "iso"),
    [
        ("2 /Jul/ 2019", ("%d /%b/ %Y",), "2019-07-02"),
        (" 11 / Mar / 2018", ("%d /%b/ %Y",), "2018-03-11"),
        ("19 /Feb/ 2018", ("%d /%b/ %Y",), "2018-02-19"),
        ("March 16, 2018, 16:45", ("%B %d, %Y, %H:%M",), "2018-03-16T16:45:00"),
        ("2015-11-24T04:38:00-05:00", (), "2015-11-24T04:38:00-05:00"),
        ("2018-09-07T16:00:00Z", (), "2018-09-07T16:00:00+00:00"),
        ("2015-11-24", (), "2015-11-24"),
        ("yesterday", ("%d /%b/ %Y",), None),
        ("", (), None),
    ],
)
def test_dates(value: str, formats: tuple[str, ...], iso: str | None) -> None:
    assert parse_date(value, formats) == iso


def test_paragraphs_follow_blocks() -> None:
    node = first(LexborHTMLParser(
        "<div>Lead <b>in bold</b><p>First\n   paragraph.</p><ul><li>one</li><li>two</li></ul>"
        "<p>Line<br>break</p><script>var x;</script><style>p{}</style></div>"
    ), "div")
    assert paragraphs(node) == ["Lead in bold", "First paragraph.", "one", "two", "Line", "break"]


def test_decoding_by_header_meta_and_detection() -> None:
    arabic = "التقى الرئيس الروسي فلاديمير بوتين قائد الثورة الإسلامية في طهران وبحثا التعاون بين البلدين"
    with_meta = f"<html><head><meta charset='windows-1256'></head><body>{arabic}</body></html>"
    assert arabic in decode(with_meta.encode("cp1256"))
    bare = f"<html><body><p>{arabic}</p><p>{arabic}</p></body></html>".encode("cp1256")
    assert arabic in decode(bare, "text/html; charset=windows-1256")
    assert arabic in decode(bare, "text/html")
    assert "Путин" in decode("<p>Путин</p>".encode("utf-8"), "text/html")
