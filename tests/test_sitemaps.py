"""Sitemaps: the reader (indexes, gzip, the protocol's other forms, hostile XML) and a source discovered through them alone."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from harvester.config import DiscoverConfig, Pattern
from harvester.discover import Sitemap, SitemapEntry, SitemapError, parse_sitemap
from harvester.replicas import ReplicaServer
from tests.conftest import invoke_harvester, make_local_config

HOSTS = frozenset({"www.example.org"})
DISCOVER = DiscoverConfig(follow=Pattern(r"/news/\d+$"))
LIMIT = 100_000


def read(body: bytes, limit: int = LIMIT) -> Sitemap:
    return parse_sitemap(body, "https://www.example.org/sitemap.xml", DISCOVER, HOSTS, limit)


def test_an_index_lists_its_children_on_our_hosts_with_their_lastmod() -> None:
    index = read(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc> https://www.example.org/sitemap-1.xml.gz </loc><lastmod>2024-05-01</lastmod></sitemap>"
        b"<sitemap><loc>https://elsewhere.example.com/sitemap.xml</loc></sitemap></sitemapindex>"
    )
    assert index.children == (SitemapEntry("https://www.example.org/sitemap-1.xml.gz", "2024-05-01"),)
    assert index.readouts == ()


def test_a_gzipped_urlset_without_namespace_gives_the_readouts_that_pass_follow() -> None:
    xml = (
        "\ufeff  <urlset><url><loc>https://www.example.org/news/7?utm_source=x</loc><lastmod>2024-05-02</lastmod></url>"
        "<url><loc>https://www.example.org/about</loc></url><url><loc>https://www.example.org/news/8</loc></url></urlset>"
    ).encode()
    sitemap = read(gzip.compress(xml))
    assert sitemap.readouts == (
        SitemapEntry("https://www.example.org/news/7", "2024-05-02"),
        SitemapEntry("https://www.example.org/news/8"),
    )
    assert sitemap.found == 3


def test_a_plain_text_sitemap_is_one_url_a_line() -> None:
    sitemap = read(b"https://www.example.org/news/1\r\nhttps://www.example.org/news/2\n\nnot a url\n")
    assert [entry.url for entry in sitemap.readouts] == ["https://www.example.org/news/1", "https://www.example.org/news/2"]


@pytest.mark.parametrize(
    "body",
    [
        # a billion laughs: entities within entities
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b"<urlset><url><loc>https://www.example.org/news/1&lol2;</loc></url></urlset>",
        # an external entity reading a local file
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&secret;</loc></url></urlset>",
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_xml_bombs_and_external_entities_are_refused(body: bytes) -> None:
    with pytest.raises(SitemapError, match="refused: DTDForbidden"):
        read(body)


def test_a_gzip_bomb_stops_at_the_byte_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    assert len(bomb) < 10_000
    with pytest.raises(SitemapError, match="over the 100,000 byte limit once unpacked"):
        read(bomb)


def test_what_is_no_sitemap_says_so() -> None:
    with pytest.raises(SitemapError, match="root element is <html>"):
        read(b"<html><body>Not found</body></html>")
    with pytest.raises(SitemapError, match="not a well-formed sitemap"):
        read(b"<urlset><url><loc>https://www.example.org/news/1</url>")


def test_a_source_found_only_through_its_sitemap_index_harvests_and_a_second_run_fetches_nothing_it_knows(
    tmp_path: Path, fresh_servers: list[ReplicaServer]
) -> None:
    """president-ir-fa: robots.txt names the index, the index one gzipped child, the child three readouts."""
    config = make_local_config(fresh_servers, tmp_path)
    site = next(server for server in fresh_servers if server.site.name == "president-ir-fa")
    first = invoke_harvester("fetch", "once", "--config", str(config), "--source", "president-ir-fa")
    assert first.returncode == 0, first.stdout + first.stderr
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    rows = list(db.query("select url, language, published, text from readouts order by url"))
    assert [urlsplit(row["url"]).path for row in rows] == ["/fa/91063", "/fa/91070", "/fa/91088"]
    assert {row["language"] for row in rows} == {"fa"}
    assert rows[0]["published"] == "2015-11-23T18:40:00"
    assert "ولادیمیر پوتین" in rows[0]["text"]
    assert site.requests["/view/sitemap.php?page=1"] == 1
    assert "/en/91088" not in site.requests and "/cat/12" not in site.requests

    second = invoke_harvester("fetch", "once", "--config", str(config), "--source", "president-ir-fa")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged since 2015-11-26T21:10:00+03:30" in second.stderr
    # the index is read again (that is how a change is seen); its unchanged child and the readouts are not
    assert site.requests["/view/sitemap.php"] == 2
    assert site.requests["/view/sitemap.php?page=1"] == 1
    assert all(site.requests[f"/fa/{number}"] == 1 for number in (91063, 91070, 91088))
    runs = list(db.query("select status, new_readouts, listing_pages from runs order by id"))
    assert [(run["status"], run["new_readouts"], run["listing_pages"]) for run in runs] == [("ok", 3, 2), ("ok", 0, 1)]


ARTICLE = "<html><head><title>{title}</title></head><body><h1>{title}</h1><div class='body'><p>{text}</p></div></body></html>"


def _two_child_site(root: Path) -> Path:
    """A site whose index names two sitemaps of two articles each (the first gzipped)."""
    site = root / "site"
    site.mkdir()
    routes = ['[[route]]\npath = "/robots.txt"\nfile = "robots.txt"\n']
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    entries = []
    for child in (1, 2):
        urls = "".join(f"<url><loc>https://news.example/news/{child}{n}</loc></url>" for n in (1, 2))
        (site / f"sitemap-{child}.xml").write_text(f"<urlset>{urls}</urlset>", encoding="utf-8")
        gzipped = "gzip = true\n" if child == 1 else ""
        routes.append(f'[[route]]\npath = "/sitemap-{child}.xml"\nfile = "sitemap-{child}.xml"\n{gzipped}')
        entries.append(f"<sitemap><loc>https://news.example/sitemap-{child}.xml</loc><lastmod>2024-0{child}-01</lastmod></sitemap>")
        for n in (1, 2):
            text = f"Report number {child}{n} of a meeting, written for this test, long enough to be a paragraph of prose."
            (site / f"news-{child}{n}.html").write_text(ARTICLE.format(title=f"Report {child}{n}", text=text), encoding="utf-8")
            routes.append(f'[[route]]\npath = "/news/{child}{n}"\nfile = "news-{child}{n}.html"\n')
    (site / "sitemap.xml").write_text(f"<sitemapindex>{''.join(entries)}</sitemapindex>", encoding="utf-8")
    routes.append('[[route]]\npath = "/sitemap.xml"\nfile = "sitemap.xml"\n')
    (site / "site.toml").write_text('origin = "https://news.example"\n\n' + "\n".join(routes), encoding="utf-8")
    return site


def test_a_run_stopped_between_two_child_sitemaps_resumes_at_the_second(tmp_path: Path) -> None:
    import asyncio

    from harvester.config import load_config
    from harvester.harvest import harvest_once
    from harvester.replicas import ReplicaSite

    with ReplicaServer(ReplicaSite.load(_two_child_site(tmp_path))) as server:
        config_dir = tmp_path / "config"
        (config_dir / "sources").mkdir(parents=True)
        (config_dir / "harvester.toml").write_text(
            'database = "corpus/readouts.db"\narchive = "corpus/archive"\n[http]\ndelay = 0\nallow_private = true\n',
            encoding="utf-8",
        )
        (config_dir / "sources" / "news.toml").write_text(
            f'name = "news"\ntitle = "News"\nhome = "{server.origin}/"\nlanguage = "en"\n'
            f'[discover]\nsitemaps = ["{server.origin}/sitemap.xml"]\nfollow = \'/news/\\d+$\'\n'
            '[extract]\ntitle = "h1"\nbody = "div.body"\n',
            encoding="utf-8",
        )
        config = load_config(config_dir)

        # stopped once the first child's last readout has been fetched: before the second child is asked for
        def stop() -> str | None:
            return "stopped by the test" if server.requests["/news/12"] else None

        [first] = asyncio.run(harvest_once(config, stop=stop))
        assert first.status == "stopped" and first.counts.new_readouts == 2
        assert "/sitemap-2.xml" not in server.requests

        [second] = asyncio.run(harvest_once(config))
        assert second.status == "ok" and second.counts.new_readouts == 2
        assert server.requests["/sitemap-1.xml"] == 1  # remembered with its lastmod: not read again
        assert server.requests["/sitemap-2.xml"] == 1
        assert all(server.requests[f"/news/{n}"] == 1 for n in (11, 12, 21, 22))


def test_sitemaps_whose_urls_all_fail_follow_raise_the_listing_alarm(tmp_path: Path, fresh_servers: list[ReplicaServer]) -> None:
    config = make_local_config(fresh_servers, tmp_path)
    file = config / "sources" / "president-ir-fa.toml"
    file.write_text(file.read_text(encoding="utf-8").replace("follow = '/fa/\\d+$'", "follow = '/fa/news/\\d+$'"), encoding="utf-8")
    result = invoke_harvester("fetch", "once", "--config", str(config), "--source", "president-ir-fa")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "none of the 5 URLs the sitemaps of" in result.stderr and "pass follow '/fa/news/\\\\d+$'" in result.stderr
