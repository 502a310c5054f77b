"""Page type: pages that are not articles yield no readout, with the reason; articles pass.

The synthetic non-article pages below run in a fresh clone. The real pages (`../shared/site-html`, four
home and splash pages) and the pages of both extraction dev sets (all articles) are used where present.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.config import ExtractConfig, load_config
from harvester.extract import extract
from harvester.extract.pagetype import page_type
from harvester.fetch import decode
from harvester.harvest import fetch_once
from harvester.replicas import replica_sites
from tests.conftest import SHARED, SHIPPED_CONFIG, Site, invoke_harvester, write_site_config

GENERIC = ExtractConfig()
SITE_HTML = SHARED / "site-html"
# Where each saved page was published (site-html/SOURCES.md): the URL is part of what a harvest knows.
REAL_PAGES = {
    "kremlin.ru": "http://kremlin.ru/",
    "leader.ir": "http://www.leader.ir/en",
    "khamenei.ir": "http://khamenei.ir/",
    "president.ir": "http://www.president.ir/",
}
NEWS_SET = SHARED / "extraction-dev"
SNIPPET_SET = SHARED / "extraction-dev-snippets"
MAX_REJECTION_RATE = 0.01


STORY = (
    "The foreign minister met his counterpart in the capital on Monday to discuss trade, energy and the security"
    " situation in the region, officials said after the talks, which lasted three hours."
)
SUMMARY = "The two sides discussed trade and energy, and agreed to meet again in the spring, officials said."
MENU = "".join(f'<li><a href="/{section}">{section.title()}</a></li>' for section in ("world", "politics", "video"))


def teasers(count: int, *, summaries: bool) -> str:
    return "".join(
        f'<article class="card"><h3><a href="/news/{n}">Minister meets counterpart, story number {n}</a></h3>'
        f"<time>2024-03-0{n % 9 + 1}</time>{f'<p>{SUMMARY} ({n})</p>' if summaries else ''}</article>"
        for n in range(count)
    )


def frame(body: str, title: str = "Example News") -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title><meta property='og:type' content='article'></head>"
        f"<body><header><nav><ul>{MENU}</ul></nav></header><main>{body}</main>"
        "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>"
    )


HOME_TEASERS, FRONT_TEASERS = 12, 8
HOME_PAGE = frame(
    "<section><h2>Top stories</h2>" + teasers(HOME_TEASERS, summaries=True) + "</section>"
    "<div class='ticker'><p>This is to announce that only the contents of this website are confirmed by the"
    " office, and that any other website using its name is not official.</p></div>"
)
SECTION_FRONT = frame("<h1>Politics</h1>" + teasers(FRONT_TEASERS, summaries=False))
TAG_PAGE = frame("<h1>Tag: diplomacy</h1>" + teasers(6, summaries=True))
SEARCH_PAGE = frame(
    "<h1>Search results for “putin”</h1><form><input name='q' value='putin'></form>"
    "<p>6 results</p>" + teasers(6, summaries=True)
)
ARTICLE = frame(
    "<article><h1>Ministers agree to set up a joint commission</h1>"
    + "".join(f"<p>{STORY} ({n})</p>" for n in range(4))
    + "<aside><h2>Related</h2>" + teasers(3, summaries=False) + "</aside></article>"
)

NON_ARTICLES = {
    "home page": (HOME_PAGE, "https://news.example/"),
    "section front": (SECTION_FRONT, "https://news.example/politics"),
    "tag page": (TAG_PAGE, "https://news.example/tag/diplomacy"),
    "search page": (SEARCH_PAGE, "https://news.example/search?q=putin"),
}


@pytest.mark.parametrize("name", NON_ARTICLES)
def test_synthetic_non_article_pages_yield_no_readout(name: str) -> None:
    html, url = NON_ARTICLES[name]
    readout = extract(html, url, GENERIC, "en")
    assert not readout.page_type, readout.page_type
    assert readout.text == ""
    assert readout.page_type.reason


def test_the_reason_says_what_the_page_is() -> None:
    assert page_type(*NON_ARTICLES["home page"]).reason == (
        f"a home page: / is the site's root, with {HOME_TEASERS} linked headlines and 1 paragraph of text"
    )
    assert page_type(*NON_ARTICLES["tag page"]).reason.startswith("a tag page: the URL says so")
    assert page_type(*NON_ARTICLES["search page"]).reason.startswith("a search page: the URL says so")
    # without a URL too: headlines and no prose
    assert page_type(SECTION_FRONT).reason == f"a list of {FRONT_TEASERS} linked headlines without a paragraph of text"


def test_an_article_with_a_related_box_is_an_article() -> None:
    readout = extract(ARTICLE, "https://news.example/news/2024/talks", GENERIC, "en")
    assert readout.page_type, readout.page_type
    assert readout.page_type.reason.startswith("4 paragraphs of text")
    assert readout.text.count(STORY) == 4


def test_a_page_without_text_linking_to_language_versions_is_a_splash_page() -> None:
    links = "".join(f'<a href="/{code}/"><img src="{code}.png" alt="{code}"></a>' for code in ("fa", "ar", "en"))
    verdict = page_type(f"<html><body><div>{links}</div></body></html>", "https://www.president.example/")
    assert verdict.reason == "a language splash page: links to 3 versions of the site and no text"
    assert not page_type("<html><body><img src='intro.swf'></body></html>")


def test_shipped_readout_pages_are_articles() -> None:
    checked = 0
    for site in replica_sites():
        source = tomllib.loads((SHIPPED_CONFIG / "sources" / f"{site.name}.toml").read_text(encoding="utf-8"))
        follow = re.compile(source["discover"]["follow"])
        for path, route in site.routes.items():
            if follow.search(site.origin + path):
                verdict = page_type(route.file.read_text(encoding="utf-8"), site.origin + path)
                assert verdict, f"{site.name} {path}: {verdict.reason}"
                checked += 1
    assert checked >= 25


@pytest.mark.shared("site-html")
@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_home_and_splash_pages_yield_no_readout(name: str) -> None:
    html = decode((SITE_HTML / name / name).read_bytes())
    readout = extract(html, REAL_PAGES[name], GENERIC, "en")
    assert not readout.page_type, f"{name}: {readout.page_type.reason}"
    assert readout.text == ""


@pytest.mark.shared("site-html")
def test_real_home_page_behind_a_readout_url_of_a_configured_source_yields_no_readout() -> None:
    """A leader-ir readout URL that lands on the home page (a redirect, a moved page) stores nothing."""
    html = decode((SITE_HTML / "leader.ir" / "leader.ir").read_bytes())
    source = load_config(SHIPPED_CONFIG).source("leader-ir")
    readout = extract(html, "http://www.leader.ir/en", source.extract, source.language)
    assert readout.text == ""
    assert readout.page_type.reason.startswith("a home page: /en is the site's root")


def dev_pages() -> Iterator[tuple[str, str, str]]:
    """(name, URL, HTML) of every page of both dev sets."""
    news = json.loads((NEWS_SET / "ground-truth.json").read_text(encoding="utf-8"))
    for name, entry in news.items():
        yield name, entry["url"], gzip.decompress((NEWS_SET / "html" / f"{name}.html.gz").read_bytes()).decode()
    snippets = json.loads((SNIPPET_SET / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in snippets.items():
        yield entry["file"], url, decode(gzip.decompress((SNIPPET_SET / "html" / f"{entry['file']}.gz").read_bytes()))


@pytest.mark.shared("extraction-dev")
@pytest.mark.shared("extraction-dev-snippets")
def test_dev_set_pages_are_accepted() -> None:
    pages = rejected = 0
    reasons = []
    for name, url, html in dev_pages():
        pages += 1
        verdict = page_type(html, url)
        if not verdict:
            rejected += 1
            reasons.append(f"{name}: {verdict.reason}")
    rate = rejected / pages
    print(f"page type: {rejected} of {pages} dev-set pages rejected ({rate:.2%})", *reasons, sep="\n  ")
    assert pages == 80 + 884
    assert rate < MAX_REJECTION_RATE, reasons


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    made = Site(tmp_path / "sites", "news")
    yield made
    made.server.stop()


def test_a_harvest_records_a_non_article_in_failures(tmp_path: Path, site: Site) -> None:
    site.put("/news/1", frame(f"<article><h1>Talks</h1><div class='body'><p>{STORY}</p></div></article>"))
    site.put("/news/2", SECTION_FRONT)
    config = load_config(write_site_config(
        tmp_path, {"news": site.server.origin},
        'database = "corpus/readouts.db"\n[http]\ndelay = 0.0\nallow_private = true\n',
    ))
    [result] = fetch_once(config)
    assert result.counts.new_readouts == 1
    with sqlite3.connect(config.settings.database) as db:
        failures = db.execute("select url, error from failures").fetchall()
        stored = [url for (url,) in db.execute("select url from readouts")]
    assert stored == [f"{site.server.origin}/news/1"]
    reason = f"not an article: a list of {FRONT_TEASERS} linked headlines without a paragraph of text"
    assert failures == [(f"{site.server.origin}/news/2", reason)]


def test_check_shows_the_verdict_and_its_reason(tmp_path: Path) -> None:
    page = tmp_path / "home.html"
    page.write_text(SECTION_FRONT, encoding="utf-8")
    result = invoke_harvester("check", "--config", str(SHIPPED_CONFIG), "--db", str(tmp_path / "x.db"), "kremlin", str(page))
    assert result.returncode == 1
    assert re.search(rf"^page type +not an article: a list of {FRONT_TEASERS} linked headlines", result.stdout, re.M)
    article = tmp_path / "article.html"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke_harvester("check", "--config", str(SHIPPED_CONFIG), "--db", str(tmp_path / "x.db"), "kremlin", str(article))
    assert re.search(r"^page type +article: 4 paragraphs of text", result.stdout, re.M), result.stdout
