"""Page metadata without configuration: the seed replicas, hand-written pages in four scripts, the dev set."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from harvester.extract.dates import find_dates, parse_date, url_date
from harvester.extract.metadata import PageMetadata, clean_title, detect_language, page_metadata
from harvester.replicas import REPLICAS, replica_sites
from tests.conftest import SHARED, first

DEV_SET = SHARED / "extraction-dev"
NOW = datetime(2024, 3, 5, tzinfo=UTC)

# seed -> (replica page, published). 000 and 001 are null in expected.json; the pages carry these.
SEEDS = {
    "000_cf9b3ea0a473f1e0.txt": ("leader-ir/content-13950.html", "2015-11-23"),
    "001_7757f9e639917cb7.txt": ("khamenei-ir/news-5960.html", "2018-09-07T20:30:00+04:30"),
    "002_94931048b707c418.txt": ("aawsat-archive/post-233915.html", "2015-11-24"),
    "003_1900544c01452456.txt": ("cnsnews/node-131871.html", "2015-11-24T04:38:00-05:00"),
    "004_06586b94afe7776b.txt": ("leader-ir/content-23104.html", "2019-07-02"),
}


def replica_url(page: str) -> str:
    """The real address the replica page stands for, from its site.toml."""
    folder, name = page.split("/")
    site = next(site for site in replica_sites() if site.name == folder)
    path = next(route.path for route in site.routes.values() if route.file.name == name)
    return site.origin + path


def metadata(html: str, url: str = "https://news.example.org/world/talks", now: datetime = NOW) -> PageMetadata:
    return page_metadata(LexborHTMLParser(html), url, now=now)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{lang_attribute}><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


# --- the five seed readouts --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_pages_without_configuration(seed: str, expected: dict[str, Any]) -> None:
    file, published = SEEDS[seed]
    html = (REPLICAS / file).read_text(encoding="utf-8")
    found = page_metadata(LexborHTMLParser(html), replica_url(file))  # the real clock: no `now`
    assert found.title == expected[seed]["title"]
    assert found.published == published
    if expected[seed]["published"] is not None:
        assert found.published == expected[seed]["published"]
    if "author" in expected[seed]:
        assert found.author == expected[seed]["author"]
    if "tags" in expected[seed]:
        assert found.tags == tuple(expected[seed]["tags"])


def test_seed_002_title_suffix(expected: dict[str, Any]) -> None:
    tree = LexborHTMLParser((REPLICAS / "aawsat-archive/post-233915.html").read_text(encoding="utf-8"))
    title = first(tree, "title").text()
    site_name = first(tree, 'meta[property="og:site_name"]').attributes["content"] or ""
    assert title.endswith(" | ASHARQ AL-AWSAT English Archive 2005 -2017")
    assert clean_title(title, [site_name]) == expected["002_94931048b707c418.txt"]["title"]


@pytest.mark.parametrize(("title", "names", "cleaned"), [
    ("Leader's meeting with Russian President Vladimir Putin :: Leader.ir", ["www.leader.ir"],
     "Leader's meeting with Russian President Vladimir Putin"),
    ("Meeting with King of Jordan Abdullah II • President of Russia", ["President of Russia"],
     "Meeting with King of Jordan Abdullah II"),
    ("Reuters - Iran and Russia sign an agreement on gas and transport", ["Reuters"],
     "Iran and Russia sign an agreement on gas and transport"),
    ("Oisín Leech: Cold Sea review – you can almost taste the salt | Music | The Guardian", ["theguardian.com"],
     "Oisín Leech: Cold Sea review – you can almost taste the salt"),
    ("A long headline about the summit in Tehran | Example Times | by A. Writer", ["Example Times"],
     "A long headline about the summit in Tehran"),
    # Without a site name, only a clearly shorter last segment goes; dashes inside words never split.
    ("Christian Horner addresses family situation – everything the Red Bull chief said", [],
     "Christian Horner addresses family situation – everything the Red Bull chief said"),
    ("Anti-war protests spread across the region after the vote -NYT", [],
     "Anti-war protests spread across the region after the vote -NYT"),
])
def test_clean_title(title: str, names: list[str], cleaned: str) -> None:
    assert clean_title(title, names) == cleaned


def test_title_prefers_the_visible_headline() -> None:
    head = ('<meta property="og:title" content="Everything you need to know about the summit">'
            "<title>Leaders agree on a new gas pipeline | Example News</title>")
    body = "<h1><a href='/'>Example News</a></h1><h1>Leaders agree on a new gas pipeline</h1><p>Text.</p>"
    assert metadata(page(head, body)).title == "Leaders agree on a new gas pipeline"
    # No h1: the hgroup's top heading is the headline, its smaller heading a kicker.
    body = "<hgroup><h4>In a meeting with the president</h4><h3>Talks cover trade and security</h3></hgroup>"
    assert metadata(page(head, body)).title == "Talks cover trade and security"
    assert metadata(page(head, "<p>No heading at all.</p>")).title == "Everything you need to know about the summit"


# --- dates -------------------------------------------------------------------------------------------

PERSIAN_BODY = """
<nav><a href="/">صفحه اصلی</a> <a href="/news">اخبار</a></nav>
<div class="date">{date}</div>
<h1>دیدار رئیس‌جمهور روسیه با رهبر انقلاب اسلامی</h1>
<p>رهبر انقلاب اسلامی در دیدار رئیس‌جمهور روسیه، همکاری‌های دو کشور در مسائل منطقه‌ای را بسیار مهم خواندند و
تأکید کردند که ایران و روسیه می‌توانند در زمینه‌های اقتصادی نیز همکاری گسترده‌تری داشته باشند.</p>
<aside><h2>پربازدیدترین‌ها</h2><ul><li><a href="/n/1">دیدار با دانشجویان</a> ۱۴۰۳/۰۸/۲۵</li></ul></aside>
"""


@pytest.mark.parametrize(("date_line", "lang"), [("۲ آذر ۱۳۹۴", "fa"), ("1394/09/02", "fa"), ("۱۳۹۴/۰۹/۰۲", "")])
def test_solar_hijri_date_on_a_persian_page(date_line: str, lang: str) -> None:
    """No lang attribute: the text itself says the page is Persian."""
    found = metadata(page("<title>دیدار</title>", PERSIAN_BODY.format(date=date_line), lang=lang))
    assert found.published == "2015-11-23"
    assert found.title == "دیدار رئیس‌جمهور روسیه با رهبر انقلاب اسلامی"


def test_solar_hijri_conversion() -> None:
    assert find_dates("۱۴۰۳/۰۸/۲۵", persian=True) == [(0, "2024-11-15")]
    assert find_dates("۱ فروردین ۱۴۰۳") == [(0, "2024-03-20")]
    assert find_dates("16 شهریور 1397", persian=True) == [(0, "2018-09-07")]
    # On a page not known to be Persian a 13xx/14xx year may be lunar Hijri: not read.
    assert find_dates("1394/09/02") == []


@pytest.mark.parametrize(("date_line", "lang", "published"), [
    ("24 ноября 2015 года, 14:30", "ru", "2015-11-24T14:30:00"),
    ("٢٤ نوفمبر ٢٠١٥", "ar", "2015-11-24"),
    ("Patrick Goodenough | November 24, 2015 | 4:38am EST", "en", "2015-11-24T04:38:00-05:00"),
    ("23 /Nov/ 2015", "en", "2015-11-23"),
])
def test_printed_dates_in_several_languages(date_line: str, lang: str, published: str) -> None:
    body = f"<h1>Talks between the two presidents</h1><div>{date_line}</div><p>Text of the readout.</p>"
    assert metadata(page("", body, lang)).published == published


def test_byline_beats_nearer_dates_in_lists_and_captions() -> None:
    body = """<ul class="latest"><li><a href="/a">Another story on the summit</a> February 28, 2024</li></ul>
    <h1>Ministers agree a new trade framework</h1>
    <figure><img src="x.jpg"><figcaption>The ministers in Tehran, March 30, 2023.</figcaption></figure>
    <div class="byline">By A. Writer, March 2 2024, 12:36 p.m.</div>
    <p>The ministers met on February 25, 2024 to prepare the agreement.</p>"""
    assert metadata(page("", body)).published == "2024-03-02T12:36:00"


def test_future_and_ancient_dates_are_rejected() -> None:
    head = ('<meta property="article:published_time" content="2031-01-01T09:00:00Z">'
            '<meta name="dc.date" content="1970-01-01">')
    body = '<h1>Talks between the two presidents</h1><time datetime="2024-02-28T10:00:00+00:00">Feb 28</time>'
    assert metadata(page(head, body)).published == "2024-02-28T10:00:00+00:00"
    # A day of slack for time zones ahead of UTC.
    head = '<meta property="article:published_time" content="2024-03-06T01:00:00+03:30">'
    assert metadata(page(head, "")).published == "2024-03-06T01:00:00+03:30"
    assert metadata(page(head, ""), now=datetime(2024, 3, 1, tzinfo=UTC)).published is None


def test_url_date_wins_over_a_disagreeing_meta_date() -> None:
    head = '<meta property="article:published_time" content="2016-01-05T10:00:00+00:00">'
    url = "https://news.example.org/2015/11/23/putin-in-tehran"
    assert metadata(page(head, "<h1>Putin arrives in Tehran for talks</h1>"), url).published == "2015-11-23"
    # Within a day (time zones) the meta date agrees and keeps its time.
    head = '<meta property="article:published_time" content="2015-11-24T02:00:00+00:00">'
    assert metadata(page(head, ""), url).published == "2015-11-24T02:00:00+00:00"
    # A URL dated in the future (a magazine's next issue) is no evidence.
    head = '<meta property="article:published_time" content="2024-03-01T11:00:00Z">'
    magazine = "https://example.org/magazine/2024/03/11/x"
    assert metadata(page(head, ""), magazine).published == "2024-03-01T11:00:00+00:00"


def test_url_dates_and_parse_date_compatibility() -> None:
    assert url_date("https://example.org/2015/11/23/story") == "2015-11-23"
    assert url_date("https://example.org/news/20151123-story") == "2015-11-23"
    assert url_date("https://example.org/story/2015-11-23/story") == "2015-11-23"
    assert url_date("https://example.org/world/2024/feb/29/story") == "2024-02-29"
    assert url_date("https://example.org/news/b2506036.html?d=2015-11-23") is None
    assert parse_date("19 /Feb/ 2018", ("%d/%b/%Y",)) == "2018-02-19"
    assert parse_date("2015-11-24T04:38:00-05:00") == "2015-11-24T04:38:00-05:00"


# --- JSON-LD, author, tags ---------------------------------------------------------------------------


def test_json_ld_graph_and_lists() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example Daily", "datePublished": "2001-01-01"},
            {"@type": ["NewsArticle"], "headline": "Presidents discuss energy cooperation",
             "datePublished": "2015-11-24T10:00:00+03:30",
             "author": [{"@type": "Person", "name": "Anna Writer"}, "By Omid Reporter"],
             "keywords": "Iran, Russia, Energy"},
        ],
    }
    head = (f'<script type="application/ld+json">{json.dumps(graph)}</script>'
            "<title>Presidents discuss energy cooperation - Example Daily</title>")
    found = metadata(page(head, "<p>Readout.</p>"))
    assert found == PageMetadata(
        title="Presidents discuss energy cooperation",
        published="2015-11-24T10:00:00+03:30",
        author="Anna Writer, Omid Reporter",
        tags=("Iran", "Russia", "Energy"),
    )
    listed = json.dumps([{"@type": "BreadcrumbList"}, {"@type": "Article", "datePublished": "2019-07-02"}])
    assert metadata(page(f'<script type="application/ld+json">{listed}</script>')).published == "2019-07-02"


def test_malformed_json_ld_is_ignored() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2001-01-01",</script>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Sara\tKhan"}}</script>'
            '<meta property="article:published_time" content="2018-09-07T20:30:00+04:30">')
    found = metadata(page(head, "<h1>Leader receives the Russian President</h1>"))
    assert found.published == "2018-09-07T20:30:00+04:30"
    assert found.author == "Sara Khan"  # a raw tab inside a string: lenient parsing keeps the block


def test_author_and_tags_from_markup() -> None:
    head = ('<meta property="article:author" content="https://www.facebook.com/example">'
            '<meta property="article:tag" content="Iran"><meta property="article:tag" content="Syria,Russia">'
            '<meta name="keywords" content="iran, diplomacy">')
    body = ('<h1>Talks between the two presidents</h1><span class="byline"><a rel="author" href="/a/x">'
            'By   Patrick\n Goodenough</a></span><a rel="category tag" href="/c">News Middle East</a>'
            '<a rel="tag" href="/t/gas">Gas</a>')
    found = metadata(page(head, body))
    assert found.author == "Patrick Goodenough"
    assert found.tags == ("Iran", "Syria", "Russia", "diplomacy", "Gas")
    assert metadata(page(head.split("<meta property=\"article:tag\"")[0], "")).author is None
    assert metadata(page("", "<h1>Talks between the two presidents</h1>")).tags == ()


# --- language ----------------------------------------------------------------------------------------

PARAGRAPHS = {
    "fa": "رهبر انقلاب اسلامی در دیدار رئیس‌جمهور روسیه، همکاری‌های دو کشور در مسائل منطقه‌ای را بسیار مهم"
          " خواندند و تأکید کردند که ایران و روسیه می‌توانند در زمینه‌های اقتصادی نیز همکاری گسترده‌تری داشته باشند.",
    "ar": "استقبل المرشد الإيراني الرئيس الروسي في طهران، وأكد الجانبان على أهمية تعزيز التعاون بين البلدين في"
          " القضايا الإقليمية والدولية، ولا سيما الأزمة السورية والملف النووي.",
    "ru": "Владимир Путин встретился с Верховным руководителем Ирана. Стороны обсудили перспективы развития"
          " двустороннего сотрудничества, а также актуальные международные и региональные проблемы.",
    "en": "The two leaders met in Tehran on Monday and discussed bilateral cooperation, the situation in Syria"
          " and the implementation of the nuclear agreement, officials said after the talks.",
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_detect_language(language: str) -> None:
    assert detect_language(PARAGRAPHS[language]) == language


def test_detect_language_needs_enough_text() -> None:
    assert detect_language("Putin meets Khamenei") is None
    assert detect_language("دیدار رهبر انقلاب") is None
    assert detect_language("") is None


# --- the development set: real markup from 16 publishers ----------------------------------------------


def dev_pages() -> list[tuple[str, str, str, datetime, str]]:
    gold = json.loads((DEV_SET / "ground-truth.json").read_text(encoding="utf-8"))
    crawl = json.loads((DEV_SET / "ground-truth-paragraphs.json").read_text(encoding="utf-8"))
    return [
        (key, gzip.decompress((DEV_SET / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8"),
         gold[key]["url"], datetime.fromisoformat(crawl[key]["crawl_date"][:10]).replace(tzinfo=UTC),
         gold[key]["articleBody"])
        for key in sorted(gold)
    ]


@pytest.mark.shared("extraction-dev")
def test_dev_set_coverage() -> None:
    """Every page gets its headline (one of the titles it declares), a date no later than its crawl, and
    its article text the language the README gives (all English but Reuters_4, in French)."""
    for key, html, url, crawled, text in dev_pages():
        tree = LexborHTMLParser(html)
        found = page_metadata(tree, url, now=crawled)
        declared = [first(tree, "title").text()] + [n.text() for n in tree.css("h1")] + [
            n.attributes["content"] or "" for n in tree.css('meta[property="og:title"]')]
        assert found.title and any(found.title in text.replace("’", "'") or found.title in text
                                   for text in declared), key
        assert found.published and found.published[:10] <= crawled.date().isoformat(), key
        assert detect_language(text) == ("fr" if key == "Reuters_4" else "en"), key


MARKUP_DATES = re.compile(
    r"<script[^>]*ld\+json.*?</script>|<meta[^>]*>|\s(?:datetime|itemprop)=\"[^\"]*\"", re.DOTALL | re.IGNORECASE
)


@pytest.mark.shared("extraction-dev")
def test_dev_set_printed_dates_when_markup_has_none() -> None:
    """With every machine-readable date stripped, the date printed near the headline is the published one."""
    right = wrong = 0
    for key, html, url, crawled, _text in dev_pages():
        declared = page_metadata(LexborHTMLParser(html), url, now=crawled).published
        printed = page_metadata(LexborHTMLParser(MARKUP_DATES.sub("", html)), "https://example.org/a", now=crawled)
        if printed.published is not None:
            assert declared is not None, key
            days = abs((datetime.fromisoformat(printed.published[:10]) - datetime.fromisoformat(declared[:10])).days)
            right, wrong = (right + 1, wrong) if days <= 1 else (right, wrong + 1)
    assert right >= 70 and wrong <= 2, (right, wrong)
