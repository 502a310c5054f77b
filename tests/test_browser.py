"""A real headless Chromium against `harvester serve` on the fixture corpus.

Selenium drives Debian's chromium through Debian's chromedriver, both from apt
and built together, so nothing is downloaded at test time and their versions
always match. Every test saves a screenshot into one directory, printed at the
start (run with -s to see it); look at them after a change to the templates.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.conftest import CHROMEDRIVER, CHROMIUM, REPO
from tests.publishing import (
    FIRST_VERSION,
    PAYLOAD_AUTHOR,
    PAYLOAD_KICKER,
    PAYLOAD_PARAGRAPHS,
    PAYLOAD_TITLE,
    TEXTS,
    Served,
)

pytestmark = pytest.mark.browser  # skipped without Chromium, except under CI=true (tests/conftest.py)
SCREENSHOTS = REPO / "screenshots"  # gitignored


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with tempfile.TemporaryDirectory(prefix="harvester-chromium-") as profile:
        options = webdriver.ChromeOptions()
        assert CHROMIUM  # the browser mark skips the module's tests without it
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
def shots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOTS}")
    return SCREENSHOTS


def screenshot(browser: WebDriver, shots: Path, name: str) -> None:
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    browser.set_window_size(1280, min(max(height, 600), 4000))
    assert browser.save_screenshot(str(shots / f"{name}.png"))
    browser.set_window_size(1280, 1000)


def body(browser: WebDriver) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def assert_inert(browser: WebDriver, *, links: bool = True) -> None:
    """No payload ran: nothing set window.__pwned and no dialog opened."""
    assert browser.execute_script("return window.__pwned === undefined"), browser.execute_script(
        "return window.__pwned"
    )
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    hrefs = [link.get_attribute("href") or "" for link in browser.find_elements(By.TAG_NAME, "a")] if links else []
    assert not [href for href in hrefs if href.lower().startswith("javascript:")]


def test_search_shows_snippets_with_the_word_marked(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/readouts")  # the table's own search box leads to the search page
    box = browser.find_element(By.ID, "_search")
    box.send_keys("Astana")
    box.submit()
    assert "/-/search?q=Astana" in browser.current_url
    screenshot(browser, shots, "search-astana")
    results = browser.find_elements(By.CSS_SELECTOR, ".results .result")
    titles = [result.find_element(By.CSS_SELECTOR, ".result-title").text for result in results]
    saying = [key for key, text in TEXTS.items() if "Astana" in " ".join((text.title, text.lead, *text.paragraphs))]
    assert sorted(titles) == sorted(TEXTS[key].title for key in saying)
    for result in results:
        marks = [mark.text for mark in result.find_elements(By.CSS_SELECTOR, ".snippet mark")]
        assert marks and all(mark.lower() == "astana" for mark in marks), marks
        assert result.find_element(By.CSS_SELECTOR, ".meta").text.startswith("Publisher ")
    # the best match first: the readout that names Astana in its title, lead and text
    assert titles[0] == TEXTS["astana-agency"].title
    browser.find_element(By.CSS_SELECTOR, "select[name=sort] option[value=date]").click()
    browser.find_element(By.CSS_SELECTOR, ".search-form input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda _: "sort=date" in browser.current_url)
    dates = [r.find_element(By.TAG_NAME, "time").text for r in browser.find_elements(By.CSS_SELECTOR, ".result")]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(saying)


def test_search_stems_and_hides_duplicates(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/readouts?_search=summits")  # a pasted link of the old kind
    assert "/-/search?q=summits" in browser.current_url
    screenshot(browser, shots, "search-summits")
    results = browser.find_elements(By.CSS_SELECTOR, ".results .result")
    marks = {mark.text.lower() for mark in browser.find_elements(By.CSS_SELECTOR, ".snippet mark")}
    assert marks == {"summit"}, marks
    titles = {result.find_element(By.CSS_SELECTOR, ".result-title").text for result in results}
    assert titles == {TEXTS["astana-kremlin"].title, TEXTS["astana-president-ir"].title, TEXTS["tehran-2015"].title}
    # the syndicated copy says "summit" too: hidden, one click away
    switch = browser.find_element(By.CSS_SELECTOR, "a.duplicates-switch")
    assert switch.text == "Show 1 duplicate too"
    switch.click()
    assert len(browser.find_elements(By.CSS_SELECTOR, ".results .result")) == 4
    assert "repeats readout" in body(browser)
    # dates narrow it; a malformed query gets a hint, not an SQLite error
    browser.get(f"{served.base}/readouts/-/search?q=summit&from=2020-01-01&to=2024-12-31")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".results .result")) == 2
    # what people type is read as words, and what was left out is said
    browser.get(f"{served.base}/readouts/-/search?q=" + quote('"Astana AND'))
    screenshot(browser, shots, "search-malformed")
    assert not browser.find_elements(By.CSS_SELECTOR, ".search-error")
    assert browser.find_element(By.CSS_SELECTOR, ".search-note").text == "“AND” joins nothing here and was left out."
    assert len(browser.find_elements(By.CSS_SELECTOR, ".results .result")) == 3  # the readouts naming Astana
    assert "double quotes" in browser.find_element(By.CSS_SELECTOR, ".search-help").text


def test_readout_page_shows_lead_versions_archive_and_citation(browser: WebDriver, served: Served, shots: Path) -> None:
    text = TEXTS["revised"]
    browser.get(f"{served.base}/readouts/readouts/{served.ids['revised']}")
    screenshot(browser, shots, "readout-versions")
    article = browser.find_element(By.CSS_SELECTOR, "article.readout")
    assert article.find_element(By.CSS_SELECTOR, ".lead").text == text.lead
    assert [p.text for p in article.find_elements(By.CSS_SELECTOR, ".text p")] == list(text.paragraphs[1:])  # after the lead
    diff = article.find_element(By.CSS_SELECTOR, ".versions .diff")
    assert [d.text for d in diff.find_elements(By.TAG_NAME, "del")] == ["seven"]
    assert [i.text for i in diff.find_elements(By.TAG_NAME, "ins")] == ["nine"]
    assert FIRST_VERSION[0] in diff.text
    participants = [a.text for a in article.find_elements(By.CSS_SELECTOR, "a.participant")]
    assert participants == ["Kassym-Jomart Tokayev", "Vladimir Putin"]

    browser.get(f"{served.base}/readouts/readouts/{served.ids['astana-kremlin']}")
    article = browser.find_element(By.CSS_SELECTOR, "article.readout")
    assert article.find_element(By.CSS_SELECTOR, ".lead").text == TEXTS["astana-kremlin"].lead
    citation = article.find_element(By.CSS_SELECTOR, ".citation-plain").text
    assert TEXTS["astana-kremlin"].url in citation and "Publisher kremlin" in citation and "retrieved" in citation
    permalink = article.find_element(By.CSS_SELECTOR, "a.permalink").get_attribute("href") or ""
    assert re.search(r"/readouts/-/r/[0-9a-f]{12}$", permalink) and permalink in citation
    article.find_element(By.CSS_SELECTOR, ".cite details summary").click()
    assert "@online{" in article.find_element(By.CSS_SELECTOR, ".citation-bibtex").text
    removed = article.find_element(By.CSS_SELECTOR, ".dropped").text
    assert "Share this page on social networks" in removed and "drop 'div.share'" in removed
    meeting = article.find_element(By.CSS_SELECTOR, ".meeting").text
    assert "Other reports" in meeting and TEXTS["astana-agency"].title in meeting
    frame = article.find_element(By.CSS_SELECTOR, "iframe.archived-frame")
    copy = frame.get_attribute("src") or ""
    assert frame.get_attribute("sandbox") == ""
    browser.execute_script("arguments[0].scrollIntoView()", frame)
    screenshot(browser, shots, "readout-archived")
    browser.switch_to.frame(frame)
    try:
        assert TEXTS["astana-kremlin"].paragraphs[1] in body(browser)  # the page is there, as it looked
        assert browser.execute_script("return document.documentElement.getAttribute('data-script-ran')") is None
        assert browser.find_elements(By.TAG_NAME, "script")  # the script is in the page; it did not run
    finally:
        browser.switch_to.default_content()
    browser.get(copy)  # the copy on its own: the response's policy holds without the frame
    assert browser.execute_script("return document.documentElement.getAttribute('data-script-ran')") is None
    beacon = served.beacon
    assert beacon is not None and beacon.requests == []  # nothing was fetched from elsewhere
    # control: the same page served as it was, without our frame and policy, runs its script and fetches
    with urllib.request.urlopen(f"{served.base}/-/archive/readouts/{served.page_ids['astana-kremlin']}") as source:
        beacon.pages["/control"] = source.read()
    browser.get(f"{beacon.origin}/control")
    assert browser.execute_script("return document.documentElement.getAttribute('data-script-ran')") == "yes"
    WebDriverWait(browser, 10).until(lambda _: {"/pixel.gif", "/script.js"} <= set(beacon.requests))
    browser.get(served.base + permalink.split(served.base, 1)[1])
    assert browser.current_url.endswith(f"/readouts/readouts/{served.ids['astana-kremlin']}")


def test_person_page_lists_meetings_with_counterparts(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/people/{served.people['Vladimir Putin']}")
    screenshot(browser, shots, "person")
    rows = browser.find_elements(By.CSS_SELECTOR, ".meetings-listing .meeting-row")
    listed = [(row.find_elements(By.TAG_NAME, "td")[0].text, row.find_elements(By.TAG_NAME, "td")[1].text) for row in rows]
    assert listed == [
        ("2024-07-03", "Masoud Pezeshkian (IR)"),
        ("2024-03-12", "Recep Tayyip Erdogan (TR)"),
        ("2023-11-09", "Kassym-Jomart Tokayev (KZ)"),
        ("2015-11-23", "Ali Khamenei (IR)"),
    ]
    assert "call" in rows[1].text
    browser.get(f"{served.base}/readouts/-/country/IR")
    screenshot(browser, shots, "country")
    counterparts = [row.find_elements(By.TAG_NAME, "td")[1].text for row in
                    browser.find_elements(By.CSS_SELECTOR, ".meetings-listing .meeting-row")]
    assert counterparts == ["only people of this country", "Vladimir Putin (RU)", "Bashar al-Assad (SY)", "Vladimir Putin (RU)"]
    assert browser.find_element(By.TAG_NAME, "h1").text == "Iran (IR)"


def test_timeline_renders(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/-/timeline")
    screenshot(browser, shots, "timeline")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.timeline")
    assert svg.size["width"] > 400 and svg.size["height"] > 100
    people = [t.text for t in svg.find_elements(By.CSS_SELECTOR, "text.person")]
    assert people[0] == "Vladimir Putin (RU)" and len(people) == 6
    dots = svg.find_elements(By.CSS_SELECTOR, "circle.dot")
    assert len(dots) == 10  # one per person and year: Putin 3, Khamenei 3, Pezeshkian 1 (2024), three others 1
    tips = [dot.find_element(By.TAG_NAME, "title").get_attribute("textContent") for dot in dots]
    assert "Vladimir Putin, 2024: 2 meetings, 1 by telephone or video" in tips


def test_readouts_table_opens_compact_with_facets(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/readouts")
    screenshot(browser, shots, "readouts-table")
    headers = [th.get_attribute("data-column") for th in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns th")]
    assert headers == ["id", "title", "source", "published", "kind", "meeting_id"]
    assert not browser.find_element(By.CSS_SELECTOR, "dl.column-descriptions").is_displayed()
    facets = [f.get_attribute("data-column") or "" for f in browser.find_elements(By.CSS_SELECTOR, ".facet-info")]
    assert sorted(facets) == ["country", "kind", "participant", "source", "year"]
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-meeting_id")]
    assert "Vladimir Putin and Masoud Pezeshkian in Astana" in cells and not any("[" in cell for cell in cells)
    browser.find_element(By.LINK_TEXT, "Masoud Pezeshkian").click()  # the participant facet narrows the rows
    titles = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-title")}
    assert titles == {TEXTS[key].title for key in ("astana-kremlin", "astana-president-ir", "astana-agency", "tehran-2024")}


def test_meeting_page_lists_its_reports(browser: WebDriver, served: Served, shots: Path) -> None:
    browser.get(f"{served.base}/readouts/meetings/{served.meetings['astana']}")
    screenshot(browser, shots, "meeting")
    reports = browser.find_elements(By.CSS_SELECTOR, ".reports .report")
    assert len(reports) == 4
    assert "Reports of this meeting (4)" in body(browser)
    assert "Vladimir Putin, Masoud Pezeshkian" in body(browser) and '["' not in body(browser)


def test_injection_payloads_stay_inert(browser: WebDriver, served: Served, shots: Path) -> None:
    # Control: the same markup, loaded as a page, does run. So a page that stays clean is a real pass.
    browser.get("data:text/html;charset=utf-8," + quote("<body>" + "".join(PAYLOAD_PARAGRAPHS[:2]) + "</body>"))
    assert browser.execute_script("return window.__pwned") in ("text", "img")

    pages = {
        "payload-readout": f"/readouts/readouts/{served.ids['payload']}",
        "payload-search": "/readouts/-/search?q=payload",
        "payload-meeting": f"/readouts/meetings/{served.meetings['payload']}",
        "payload-timeline": "/readouts/meeting_timeline",
        "payload-archived": f"/-/archive/readouts/{served.page_ids['payload']}",
        "payload-archived-page": f"/-/archive/readouts/{served.page_ids['payload']}/page",
    }
    for name, path in pages.items():
        browser.get(served.base + path)
        screenshot(browser, shots, name)
        assert_inert(browser, links=name != "payload-archived-page")  # that one is the page, scripts off
    browser.get(f"{served.base}/readouts/readouts/{served.ids['payload']}")
    article = browser.find_element(By.CSS_SELECTOR, "article.readout")
    assert article.find_element(By.TAG_NAME, "h1").text == PAYLOAD_TITLE
    text = article.get_attribute("textContent") or ""  # as written, before CSS upper-cases the kicker
    for payload in (PAYLOAD_KICKER, PAYLOAD_AUTHOR, *PAYLOAD_PARAGRAPHS):
        assert payload.strip() in text, payload
    assert not article.find_elements(By.CSS_SELECTOR, "a.original-link")
    assert not browser.find_elements(By.CSS_SELECTOR, ".text img, .text svg, .text script, h1 script")


def test_search_results_download_as_csv_and_json(browser: WebDriver, served: Served, shots: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="harvester-downloads-") as folder:
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
        browser.get(f"{served.base}/readouts/-/search?q=Putin&sort=date")
        screenshot(browser, shots, "search-exports")
        shown = [result.find_element(By.CSS_SELECTOR, ".result-title").text
                 for result in browser.find_elements(By.CSS_SELECTOR, ".results .result")]
        browser.find_element(By.CSS_SELECTOR, "a.export-csv").click()
        browser.find_element(By.CSS_SELECTOR, "a.export-json").click()
        downloads = Path(folder)

        def finished(_: WebDriver) -> bool:
            names = {path.name for path in downloads.iterdir()}
            return {"search-Putin.csv", "search-Putin.json"} <= names and not any(n.endswith(".crdownload") for n in names)

        WebDriverWait(browser, 20).until(finished)
        rows = list(csv.DictReader((downloads / "search-Putin.csv").open(encoding="utf-8", newline="")))
        document = json.loads((downloads / "search-Putin.json").read_text(encoding="utf-8"))
    # every match, in the page's order, with the snippet that was shown
    assert [row["title"] for row in rows] == shown == [row["title"] for row in document["results"]]
    assert all(row["snippet"] for row in rows) and document["query"] == "Putin"


PHONE_WIDTH = 390  # an iPhone 12 to 15, in CSS pixels


def test_every_page_type_fits_a_phone(browser: WebDriver, served: Served, shots: Path) -> None:
    pages = {
        "home": "/",
        "database": "/readouts",
        "table": "/readouts/readouts",
        "readout": f"/readouts/readouts/{served.ids['astana-kremlin']}",
        "meeting": f"/readouts/meetings/{served.meetings['astana']}",
        "person": f"/readouts/people/{served.people['Vladimir Putin']}",
        "country": "/readouts/-/country/IR",
        "search": "/readouts/-/search?q=Astana",
        "timeline": "/readouts/-/timeline",
        "canned query": "/readouts/person_meetings?person=Vladimir+Putin",
    }
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        widths = {}
        for name, path in pages.items():
            browser.get(served.base + path)
            assert browser.execute_script("return document.documentElement.lang") == "en", name
            widths[name] = browser.execute_script("return document.documentElement.scrollWidth")
            assert_inert(browser)
            browser.save_screenshot(str(shots / f"phone-{name.replace(' ', '-')}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert {name: width for name, width in widths.items() if width > PHONE_WIDTH} == {}, widths
