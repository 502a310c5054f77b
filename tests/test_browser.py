"""A real headless Chromium against `harvester serve` on the fixture corpus.

Selenium drives Debian's chromium through Debian's chromedriver, both from apt
and built together, so nothing is downloaded at test time and their versions
always match. Every test saves a screenshot under pytest's tmp dir (the path is
printed; run with -s to see it).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.conftest import CHROMEDRIVER, CHROMIUM
from tests.publishing import (
    PAYLOAD_AUTHOR,
    PAYLOAD_KICKER,
    PAYLOAD_PARAGRAPHS,
    PAYLOAD_TITLE,
    SEED_SOURCES,
    Served,
    seeds,
)

pytestmark = pytest.mark.browser
SEED_MEETING = ["000_cf9b3ea0a473f1e0.txt", "002_94931048b707c418.txt", "003_1900544c01452456.txt"]


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with tempfile.TemporaryDirectory(prefix="harvester-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000",
        ):
            options.add_argument(argument)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {directory}")
    return directory


def screenshot(browser: WebDriver, shots: Path, name: str) -> None:
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 600), 4000))
    assert browser.save_screenshot(str(shots / f"{name}.png"))
    browser.set_window_size(1280, 1000)


def assert_inert(browser: WebDriver) -> None:
    """No payload ran: nothing set window.__pwned and no dialog opened."""
    assert browser.execute_script("return window.__pwned === undefined"), browser.execute_script(
        "return window.__pwned"
    )
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    hrefs = [link.get_attribute("href") or "" for link in browser.find_elements(By.TAG_NAME, "a")]
    assert not [href for href in hrefs if href.lower().startswith("javascript:")]


def test_search_for_putin_finds_the_seed_readouts(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/readouts")
    box = browser.find_element(By.ID, "_search")
    box.send_keys("Putin")
    box.submit()
    assert "_search=Putin" in browser.current_url
    screenshot(browser, shots, "search-putin")
    page = browser.find_element(By.TAG_NAME, "body").text
    expected = seeds()
    mentioning = [seed for seed, data in expected.items() if "Putin" in data["title"] + " ".join(data["body_paragraphs"])]
    assert len(mentioning) >= 3
    for seed in mentioning:
        assert expected[seed]["title"] in page, seed
    for seed in set(expected) - set(mentioning):
        assert expected[seed]["title"] not in page, seed
    assert re.search(r"\b\d+ rows? where search matches \"Putin\"", page), page[:500]


def test_meeting_page_lists_its_three_reports(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/meetings/{served.meetings['seed-meeting']}")
    screenshot(browser, shots, "meeting")
    reports = browser.find_elements(By.CSS_SELECTOR, ".reports .report")
    assert len(reports) == 3
    titles = [report.find_element(By.TAG_NAME, "h3").text for report in reports]
    expected = seeds()
    assert sorted(titles) == sorted(expected[seed]["title"] for seed in SEED_MEETING)
    for report in reports:  # the texts are there to compare, side by side
        assert len(report.find_elements(By.CSS_SELECTOR, ".text p")) >= 3
    assert "Reports of this meeting (3)" in browser.find_element(By.TAG_NAME, "body").text


def test_readout_page_reads_like_an_article(browser: WebDriver, served: Served, shots: Path) -> None:
    seed = "000_cf9b3ea0a473f1e0.txt"
    expected = seeds()[seed]
    browser.get(f"{served.base}/readouts/readouts/{served.ids[seed]}")
    screenshot(browser, shots, "readout")
    article = browser.find_element(By.CSS_SELECTOR, "article.readout")
    assert article.find_element(By.TAG_NAME, "h1").text == expected["title"]
    paragraphs = [p.text for p in article.find_elements(By.CSS_SELECTOR, ".text p")]
    assert paragraphs == expected["body_paragraphs"]
    original = article.find_element(By.CSS_SELECTOR, "a.original-link")
    assert original.get_attribute("href") == SEED_SOURCES[seed][1]
    assert "noopener" in original.get_attribute("rel")
    meeting = article.find_element(By.CSS_SELECTOR, ".meeting").text
    assert "other reports" in meeting and "aawsat" in meeting and "cnsnews" in meeting
    archived = article.find_element(By.CSS_SELECTOR, "a.archive-link").get_attribute("href")
    browser.get(archived)
    assert expected["body_paragraphs"][0][:60] in browser.find_element(By.TAG_NAME, "body").text


def test_injection_payloads_stay_inert(browser: WebDriver, served: Served, shots: Path) -> None:
    # Control: the same markup, loaded as a page, does run. So a page that stays clean is a real pass.
    browser.get("data:text/html;charset=utf-8," + quote("<body>" + "".join(PAYLOAD_PARAGRAPHS[:2]) + "</body>"))
    assert browser.execute_script("return window.__pwned") in ("text", "img")

    pages = {
        "payload-readout": f"/readouts/readouts/{served.ids['payload']}",
        "payload-table": "/readouts/readouts?_search=payload",
        "payload-meeting": f"/readouts/meetings/{served.meetings['payload']}",
        "payload-timeline": "/readouts/meeting_timeline",
        "payload-archived": f"/-/archive/readouts/{served.page_ids['payload']}",
    }
    for name, path in pages.items():
        browser.get(served.base + path)
        screenshot(browser, shots, name)
        assert_inert(browser)
    # the payloads are shown as the words they are
    browser.get(f"{served.base}/readouts/readouts/{served.ids['payload']}")
    article = browser.find_element(By.CSS_SELECTOR, "article.readout")
    assert article.find_element(By.TAG_NAME, "h1").text == PAYLOAD_TITLE
    text = article.get_attribute("textContent")  # as written, before CSS upper-cases the kicker
    for payload in (PAYLOAD_KICKER, PAYLOAD_AUTHOR, *PAYLOAD_PARAGRAPHS):
        assert payload.strip() in text, payload
    assert not article.find_elements(By.CSS_SELECTOR, "a.original-link")
    assert not browser.find_elements(By.CSS_SELECTOR, "article img, article svg, article script")
