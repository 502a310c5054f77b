"""The real web misbehaves: one test per fault, against a local fault-injecting site.

Each test harvests the site once cleanly, then injects a fault on a newly
published article (or on the listing, or on robots.txt) and harvests again. It
asserts that the run finished, that the fault was recorded, and that nothing
stored before was lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.config import Config, load_config
from harvester.fetch import decode
from harvester.harvest import SourceResult, fetch_once
from harvester.walk import MAX_ATTEMPTS
from tests.faultserver import FaultSite, write_config

FAULTY = "/news/90"


@dataclass
class Harness:
    site: FaultSite
    config: Config
    database: Path
    before: dict[str, tuple[int, str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def run(self) -> SourceResult:
        [result] = fetch_once(self.config, progress=lambda source, message: self.messages.append(message))
        return result

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.database)

    def readouts(self) -> dict[str, tuple[int, str]]:
        with self.db() as db:
            return {url: (id_, text) for id_, url, text in db.execute("select id, url, text from readouts")}

    def failure(self, path: str) -> tuple[str, int] | None:
        with self.db() as db:
            row = db.execute("select error, attempts from failures where url = ?", [self.site.url(path)]).fetchone()
        return (row[0], row[1]) if row else None

    def faulted(self, path: str = FAULTY, status: str = "partial") -> str:
        """Run with the fault in place; check the run finished and kept everything. Returns the recorded error."""
        result = self.run()
        assert result.status == status, result
        after = self.readouts()
        assert {url: after.get(url) for url in self.before} == self.before, "a readout stored before was lost"
        failure = self.failure(path)
        assert failure is not None, f"{path} has no failure recorded"
        return failure[0]


@pytest.fixture
def site() -> Iterator[FaultSite]:
    with FaultSite(articles=3, per_page=10) as running:
        yield running


def harness(tmp_path: Path, site: FaultSite, **http: Any) -> Harness:
    """A corpus holding all the site's readouts, before any fault."""
    config = load_config(write_config(tmp_path, {"site": site}, **http))
    h = Harness(site, config, config.settings.database)
    assert h.run().status == "ok"
    h.before = h.readouts()
    assert len(h.before) == len(site.paths)
    return h


def gaps(site: FaultSite) -> list[float]:
    return [later[0] - earlier[0] for earlier, later in pairwise(site.log)]


# --- connection faults and server errors -----------------------------------------------


def test_dropped_connections_are_retried(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "drop", times=2)
    assert h.run().status == "ok"
    assert site.requests[FAULTY] == 3  # two drops, then the answer
    assert site.url(FAULTY) in h.readouts() and h.failure(FAULTY) is None


def test_server_errors_are_retried_then_recorded_and_the_run_goes_on(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.publish(1)
    site.fault(FAULTY, "status", status=500)
    assert h.faulted() == "HTTP 500"
    assert site.requests[FAULTY] == 3  # retries = 2
    assert site.url("/news/4") in h.readouts()  # published beside the faulty one, still harvested


def test_a_stalled_server_times_out(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, timeout=0.5, retries=0)
    site.fault(FAULTY, "stall", seconds=5)
    assert "timed out" in h.faulted()


def test_slow_drip_body_is_cut_by_the_request_deadline(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, timeout=0.6, retries=0)
    site.fault(FAULTY, "drip", interval=0.05)
    assert "timed out" in h.faulted()
    assert site.requests[FAULTY] == 1


def test_truncated_body_is_a_broken_connection(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, retries=1)
    site.fault(FAULTY, "truncate")
    assert "connection broken" in h.faulted()
    assert site.requests[FAULTY] == 2


# --- rate limits and robots.txt --------------------------------------------------------


def test_429_retry_after_is_waited_for_and_the_host_slowed_down(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, delay=0.01)
    site.publish(2)
    site.fault(FAULTY, "status", times=1, status=429, headers={"Retry-After": "1"})
    start = len(site.log)
    assert h.run().status == "ok"
    log = site.log[start:]
    paths = [path for _, path, _ in log]
    first = paths.index(FAULTY)
    assert paths[first + 1] == FAULTY  # the retry, once the host allowed it
    assert log[first + 1][0] - log[first][0] >= 0.95
    later = [moment for moment, _, _ in log[first + 1 :]]
    assert len(later) >= 3 and min(b - a for a, b in pairwise(later)) >= 0.45  # slowed from 0.01 s to 0.5 s
    assert {site.url(p) for p in (FAULTY, "/news/4", "/news/5")} <= set(h.readouts())


def test_503_retry_after_as_an_http_date(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    at = (datetime.now(timezone.utc) + timedelta(seconds=2)).replace(microsecond=0)
    # the server logs monotonic time: the date asked for, on that clock
    due = time.monotonic() + (at - datetime.now(timezone.utc)).total_seconds()
    site.fault(FAULTY, "status", times=1, status=503, headers={"Retry-After": format_datetime(at, usegmt=True)})
    start = len(site.log)
    assert h.run().status == "ok"
    moments = [moment for moment, path, _ in site.log[start:] if path == FAULTY]
    # retried once, not before the date the server gave (however long the first request took to come)
    assert len(moments) == 2 and moments[1] >= due - 0.05
    assert site.url(FAULTY) in h.readouts()


def test_retry_after_too_far_away_is_a_recorded_failure(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "status", status=429, headers={"Retry-After": "86400"})
    assert h.faulted() == "HTTP 429 (asked to come back in 86400 s)"
    assert site.requests[FAULTY] == 1


def test_robots_crawl_delay_paces_the_host(tmp_path: Path) -> None:
    with FaultSite(articles=4, per_page=10, robots="User-agent: *\nCrawl-delay: 0.3\n") as site:
        harness(tmp_path, site)
        assert len(site.log) == 7  # robots.txt, listing, 4 articles, the URL that cannot exist (soft 404 check)
        assert min(gaps(site)[1:]) >= 0.28  # from the first request after robots.txt was read


def test_robots_disallow_is_recorded_and_never_requested(tmp_path: Path) -> None:
    with FaultSite(articles=3, per_page=10, robots=f"User-agent: *\nDisallow: {FAULTY}\n") as site:
        h = harness(tmp_path, site)
        site.fault(FAULTY, "body", body=b"never served")
        assert h.faulted() == "disallowed by robots.txt"
        assert site.requests[FAULTY] == 0


# --- bodies: size, type, compression, content --------------------------------------------


def test_huge_body_refused_by_content_length_before_reading(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, max_bytes=1_000_000)
    site.fault(FAULTY, "huge", content_type="text/html")
    assert h.faulted() == "body of 1,800,000,000 bytes is over the 1,000,000 byte limit"


def test_video_behind_an_article_link_is_refused_by_type(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "huge", content_type="video/mp4")
    assert h.faulted() == "unwanted content type: video/mp4"


def test_endless_body_is_cut_while_streaming(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, max_bytes=300_000)
    site.fault(FAULTY, "stream")
    assert h.faulted() == "body grew over the 300,000 byte limit"


def test_decompression_bomb_is_cut(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, max_bytes=1_000_000)
    site.fault(FAULTY, "bomb", size=200_000_000)
    assert h.faulted() == "body grew over the 1,000,000 byte limit once decompressed (gzip)"


def test_empty_200_is_recorded(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "body", body=b"", content_type="text/html")
    assert h.faulted() == "not an article: no article text on the page"


def test_malformed_html_still_yields_its_text(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    broken = b"<html><body><article><h1>Broken page<div class='body'><p>Talks on trade <b><i>went well</p><p>\xff\xfe"
    site.fault(FAULTY, "body", body=broken, content_type="text/html")
    assert h.run().status == "ok"
    url, text = site.url(FAULTY), h.readouts()[site.url(FAULTY)][1]
    assert "Talks on trade went well" in text, (url, text)
    assert {u: h.readouts()[u] for u in h.before} == h.before


# --- redirects and addresses ---------------------------------------------------------------


def test_redirect_loop_is_capped(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "redirect", to=FAULTY)
    assert h.faulted() == "more than 5 redirects"
    assert site.requests[FAULTY] == 6


def test_redirect_to_another_host_is_refused(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "redirect", to="http://example.org/elsewhere")
    assert h.faulted() == "redirect to another host: http://example.org/elsewhere"


def test_loopback_and_private_addresses_are_refused_unless_allowed(tmp_path: Path, site: FaultSite) -> None:
    config = load_config(write_config(tmp_path, {"site": site}, allow_private=False))
    [result] = fetch_once(config)
    assert result.status == "failed"
    assert sum(site.requests.values()) == 0
    with sqlite3.connect(config.settings.database) as db:
        [(error,)] = db.execute("select error from failures").fetchall()
    assert "127.0.0.1 is a loopback or private address" in error and "allow_private = true" in error


# --- encodings -------------------------------------------------------------------------------

# Windows-1256 has the Arabic forms of yeh and kaf, which is what old Persian pages in it carry.
PERSIAN = "ديدار رئيس‌جمهور با وزير امور خارجه روسيه در تهران. دو طرف درباره همكاري‌هاي اقتصادي و امنيت منطقه گفتگو كردند."
ARABIC = "استقبل الرئيس وزير الخارجية الروسي في دمشق وبحث الجانبان العلاقات الثنائية والتعاون في مجالات الطاقة والتجارة."


def cp1256_page(text: str, meta: bool) -> bytes:
    head = '<meta charset="windows-1256">' if meta else ""
    html = f"<html><head>{head}</head><body><h1>{text[:20]}</h1><div class='body'><p>{text}</p><p>2. {text}</p></div></body></html>"
    return html.encode("cp1256")


@pytest.mark.parametrize(
    ("text", "meta", "content_type"),
    [
        (PERSIAN, False, "text/html; charset=windows-1256"),
        (ARABIC, True, "text/html"),
        (ARABIC, False, "text/html"),
    ],
    ids=["persian-by-header", "arabic-by-meta", "arabic-detected"],
)
def test_windows_1256_pages_decode(tmp_path: Path, site: FaultSite, text: str, meta: bool, content_type: str) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "body", body=cp1256_page(text, meta), content_type=content_type)
    assert h.run().status == "ok"
    assert text in h.readouts()[site.url(FAULTY)][1]
    assert decode(cp1256_page(text, meta), content_type).count(text) == 2


def mislabelled_page(text: str, encoding: str, head: str = "", bom: bool = False) -> bytes:
    html = f"<html><head>{head}</head><body><h1>{text[:20]}</h1><div class='body'><p>{text}</p><p>2. {text}</p></div></body></html>"
    return (b"\xef\xbb\xbf" if bom else b"") + html.encode(encoding)


@pytest.mark.parametrize(
    ("text", "body", "content_type"),
    [
        # The byte-order mark beats the header, as in a browser (the header alone gave 'ï»؟<p>ط³ظ„…').
        (ARABIC, mislabelled_page(ARABIC, "utf-8", bom=True), "text/html; charset=windows-1256"),
        # A valid UTF-8 reading beats the label: ISO-8859-1 (windows-1252 to a browser) would be mojibake.
        (PERSIAN, mislabelled_page(PERSIAN, "utf-8", '<meta charset="iso-8859-1">'), "text/html; charset=ISO-8859-1"),
        # windows-1256 bytes whose <meta> says windows-1252: the clean Arabic reading wins over the label.
        (ARABIC, mislabelled_page(ARABIC, "cp1256", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'),
         "text/html"),
        # Russian in windows-1251 under a windows-1252 header.
        ("Президент России провёл переговоры с президентом Ирана в Кремле. Стороны обсудили торговлю и энергетику.",
         mislabelled_page("Президент России провёл переговоры с президентом Ирана в Кремле. Стороны обсудили торговлю и энергетику.",
                          "cp1251"), "text/html; charset=windows-1252"),
    ],
    ids=["utf8-bom-under-windows-1256-header", "utf8-persian-labelled-iso-8859-1", "windows-1256-meta-says-1252",
         "windows-1251-header-says-1252"],
)
def test_mislabelled_pages_store_their_text_exactly(tmp_path: Path, site: FaultSite, text: str, body: bytes, content_type: str) -> None:
    h = harness(tmp_path, site)
    site.fault(FAULTY, "body", body=body, content_type=content_type)
    assert h.run().status == "ok"
    assert h.readouts()[site.url(FAULTY)][1] == f"{text}\n\n2. {text}"


def test_a_latin_page_keeps_its_label() -> None:
    """Accented Latin text in windows-1252 is no mojibake: neither UTF-8 nor detection overrides it."""
    french = "Le président a reçu à l'Élysée son homologue, «très» attendu : déjà ça, naïveté à part."
    assert decode(mislabelled_page(french, "cp1252"), "text/html; charset=windows-1252").count(french) == 2


# --- conditional requests, failures over runs, the archive --------------------------------------


def test_unchanged_listing_costs_a_304_and_a_change_is_seen(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site)
    start = len(site.log)
    assert h.run().status == "ok"
    second = site.log[start:]
    assert [path for _, path, _ in second] == ["/robots.txt", "/news"]
    assert second[1][2].get("If-None-Match") and site.not_modified["/news"] == 1
    with h.db() as db:
        assert db.execute("select status from pages where kind = 'listing' order by id desc").fetchone() == (304,)

    site.publish(1)
    assert h.run().counts.new_readouts == 1
    assert site.not_modified["/news"] == 1 and site.url("/news/4") in h.readouts()


def test_failed_url_is_retried_after_growing_intervals_then_given_up(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, retries=0)
    site.fault(FAULTY, "status", status=404)  # gone: the URL's own fault, so it may be given up
    assert h.faulted() == "HTTP 404"

    h.run()  # too soon: the URL waits for its retry time
    assert site.requests[FAULTY] == 1 and h.failure(FAULTY) == ("HTTP 404", 1)

    def age(hours: float, attempts: int | None = None) -> None:
        past = (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat(timespec="seconds")
        with h.db() as db:
            db.execute("update failures set last_failed = ?, attempts = coalesce(?, attempts)", [past, attempts])

    age(1.1)  # first retry after an hour
    h.run()
    assert site.requests[FAULTY] == 2 and h.failure(FAULTY) == ("HTTP 404", 2)
    age(1.1)  # the second waits two hours
    h.run()
    assert site.requests[FAULTY] == 2
    age(2.1)
    h.run()
    assert site.requests[FAULTY] == 3

    age(1000, attempts=MAX_ATTEMPTS)
    h.messages.clear()
    assert h.run().status == "ok"
    assert site.requests[FAULTY] == 3
    assert any(f"gave up on 1 URL(s) after {MAX_ATTEMPTS} failed attempts" in m for m in h.messages), h.messages


def test_a_server_error_is_retried_ever_less_often_but_never_given_up(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, retries=0)
    site.fault(FAULTY, "status", status=500)
    assert h.faulted() == "HTTP 500"
    with h.db() as db:
        past = (datetime.now(timezone.utc) - timedelta(days=30)).isoformat(timespec="seconds")
        db.execute("update failures set last_failed = ?, attempts = ?", [past, MAX_ATTEMPTS + 3])
    h.run()
    assert site.requests[FAULTY] == 2 and h.failure(FAULTY) == ("HTTP 500", MAX_ATTEMPTS + 4)


def test_broken_listing_page_is_resumed_next_run(tmp_path: Path) -> None:
    with FaultSite(articles=9, per_page=3) as site:
        site.fault("/news/page/2", "status", times=3, status=502)
        config = load_config(write_config(tmp_path, {"site": site}))
        h = Harness(site, config, config.settings.database)
        assert h.run().status == "partial"
        failure = h.failure("/news/page/2")
        assert len(h.readouts()) == 3 and failure is not None and "HTTP 502" in failure[0]
        h.before = h.readouts()
        site.publish(1)  # page 1 now holds one new readout, then known ones: the walk stops there...
        assert h.run().status == "ok"
        assert len(h.readouts()) == 10  # ...and resumes at page 2 for the rest


def test_every_exchange_is_archived_with_robots_redirects_and_refusals(tmp_path: Path, site: FaultSite) -> None:
    h = harness(tmp_path, site, max_bytes=1_000_000)
    site.fault(FAULTY, "redirect", to="/news/91")
    site.fault("/news/91", "body", body=ARABIC.encode("cp1256"), content_type="text/html; charset=windows-1256")
    site.fault("/news/92", "huge", content_type="text/html")
    h.run()
    h.run()  # the listing is unchanged now: a 304
    records = []
    for file in sorted((tmp_path / "corpus" / "archive").rglob("*.warc.gz")):
        with file.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    records.append(
                        (
                            record.rec_headers.get_header("WARC-Target-URI"),
                            int(record.http_headers.get_statuscode()),
                            record.rec_headers.get_header("WARC-Truncated"),
                        )
                    )
    assert len(records) == sum(site.requests.values())
    urls = {url: (status, truncated) for url, status, truncated in records}
    assert urls[site.url("/robots.txt")] == (200, None)
    assert urls[site.url(FAULTY)] == (302, None)
    assert urls[site.url("/news/91")] == (200, None)
    assert urls[site.url("/news/92")] == (200, "length")
    assert (site.url("/news"), 304, None) in records
