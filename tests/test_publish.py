"""`harvester serve`: metadata, canned queries, hidden duplicates, archived copies, and serving beside a writer."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import sqlite_utils

from harvester.extract import Readout
from harvester.fetch import FetchedPage
from harvester.store import GENERATED, SCHEMA, Store
from tests.conftest import REPO
from tests.publishing import (
    PAYLOAD_PARAGRAPHS,
    Served,
    _exchange,
    build_corpus,
    start_serve,
    stop,
)

METADATA = json.loads((REPO / "datasette-metadata.json").read_text(encoding="utf-8"))


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def get_json(url: str) -> dict | list:
    return json.loads(get(url)[2])


def query(served: Served, name: str, **params: str) -> list[dict]:
    params = {**params, "_shape": "array"}
    return get_json(f"{served.base}/readouts/{name}.json?{urllib.parse.urlencode(params)}")


def test_metadata_describes_every_table_and_column(served: Served) -> None:
    tables = METADATA["databases"]["readouts"]["tables"]
    db = sqlite_utils.Database(served.database)
    for table, columns in SCHEMA.items():
        assert tables[table]["description"], table
        described = tables[table]["columns"]
        for column in [*columns, *GENERATED.get(table, {})]:
            assert described.get(column), f"{table}.{column} has no description"
    for table in ("meetings", "readouts"):
        for column in db.table(table).columns_dict:
            assert tables[table]["columns"].get(column), f"{table}.{column} has no description"


def test_published_with_metadata_facets_and_hidden_tables(served: Served) -> None:
    assert get_json(f"{served.base}/-/metadata.json")["title"] == METADATA["title"]
    page = get_json(f"{served.base}/readouts/readouts.json?_search=Putin")
    assert set(page["facet_results"]) == {"source", "language", "year"}
    years = {row["value"] for row in page["facet_results"]["year"]["results"]}
    assert "2015" in years
    tables = {table["name"]: table for table in get_json(f"{served.base}/readouts.json")["tables"]}
    assert tables["pages"]["hidden"] and tables["readouts_fts"]["hidden"]
    assert not tables["readouts"]["hidden"] and not tables["meetings"]["hidden"]
    # hidden, but still reachable
    pages = get_json(f"{served.base}/readouts/pages.json?_shape=array")
    assert len(pages) == len(served.page_ids)


def test_duplicates_are_hidden_from_the_default_readouts_view(served: Served) -> None:
    shown = get_json(f"{served.base}/readouts/readouts.json?duplicate_of__isnull=1&_shape=array&_col=id")
    assert served.ids["duplicate"] not in [row["id"] for row in shown]
    assert len(shown) == len(served.ids) - 1
    # the redirect is what a reader opening the table gets
    request = urllib.request.Request(f"{served.base}/readouts/readouts")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=10)
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as error:
        assert error.code == 302
        assert error.headers["Location"].endswith("/readouts/readouts?duplicate_of__isnull=1")
    duplicates = get_json(f"{served.base}/readouts/readouts.json?duplicate_of__notnull=1&_shape=array")
    assert [row["id"] for row in duplicates] == [served.ids["duplicate"]]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_canned_queries(served: Served) -> None:
    timeline = query(served, "meeting_timeline")
    seed_meeting = next(row for row in timeline if row["meeting"] == served.meetings["seed-meeting"])
    assert seed_meeting["reports"] == 3 and seed_meeting["date"] == "2015-11-23"
    assert set(seed_meeting["sources"].split(",")) == {"leader-ir", "aawsat", "cnsnews"}
    assert [row["date"] for row in timeline] == sorted((row["date"] for row in timeline), reverse=True)

    reports = query(served, "meeting_reports", meeting=str(served.meetings["seed-meeting"]))
    assert sorted(row["id"] for row in reports) == sorted(
        served.ids[seed] for seed in ("000_cf9b3ea0a473f1e0.txt", "002_94931048b707c418.txt", "003_1900544c01452456.txt")
    )

    new = query(served, "new_this_week")
    assert {row["id"] for row in new} == set(served.ids.values())

    health = {row["source"]: row for row in query(served, "source_health")}
    assert health["payload-site"]["degraded_runs"] == 1 and health["payload-site"]["failing_urls"] == 1
    assert health["payload-site"]["last_successful_run"] is None
    assert health["leader-ir"]["last_successful_run"] and health["leader-ir"]["readouts"] == 3
    assert health["leader-ir"]["degraded_runs"] == 0 and health["leader-ir"]["readouts_per_run"] == 1.0

    failing = query(served, "failing_urls", source="payload-site")
    assert [row["url"] for row in failing] == ["https://payload-site.example/broken"]


def test_atom_feed_of_new_readouts(served: Served) -> None:
    status, headers, body = get(f"{served.base}/readouts/new_readouts_feed.atom")
    assert status == 200 and "xml" in headers["content-type"]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(body).findall("a:entry", ns)
    assert len(entries) == len(served.ids) - 1  # all but the one whose URL is not a web address
    links = [link.get("href") for entry in entries for link in entry.findall("a:link", ns)]
    assert "https://www.leader.ir/en/content/13950/" in links
    assert not any(href.startswith("javascript:") for href in links)


def test_archived_copy_is_served_as_plain_text(served: Served) -> None:
    status, headers, body = get(f"{served.base}/-/archive/readouts/{served.page_ids['payload']}")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert PAYLOAD_PARAGRAPHS[0].encode() in body  # the page as harvested, markup and all
    status, _, body = get(f"{served.base}/-/archive/readouts/{served.page_ids['000_cf9b3ea0a473f1e0.txt']}")
    assert b"Ayatollah Khamenei: US Plotting to Dominate West Asia" in body
    try:
        get(f"{served.base}/-/archive/readouts/999999")
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404


def test_serve_and_a_writer_share_the_database(tmp_path: Path) -> None:
    """Readers hammer search and facets while a writer adds readouts one transaction at a time."""
    database, _, _, _ = build_corpus(tmp_path)
    process, base = start_serve(tmp_path, database)
    errors: list[str] = []
    written: list[int] = []
    done = threading.Event()

    def write() -> None:
        store = Store(database)
        try:
            number = 0
            while not done.is_set() or number < 50:
                url = f"https://writer.example/readouts/{number}"
                readout = Readout(url=url, title=f"Writer readout {number} Putin", kicker=None, author=None,
                                  published="2024-06-01", language="en", tags=(), text="Putin met.\n\nMore text.",
                                  extractor="configured")
                store.save_readout("leader-ir", FetchedPage(url, url, _exchange(url, b"<p>x</p>")), readout)
                store.record_failure("leader-ir", f"https://writer.example/broken/{number}", "HTTP 500")
                written.append(number)
                number += 1
        except Exception as error:  # noqa: BLE001 - any writer failure fails the test below
            errors.append(f"writer: {error!r}")
        finally:
            store.close()

    def read() -> None:
        urls = [
            f"{base}/readouts/readouts.json?_search=Putin",
            f"{base}/readouts/readouts?_search=Putin",
            f"{base}/readouts/readouts.json?_facet=source",
            f"{base}/readouts/source_health.json",
        ]
        while not done.is_set():
            for url in urls:
                try:
                    status, _, body = get(url)
                    if status != 200 or b"database is locked" in body:
                        errors.append(f"{url}: {status}")
                except Exception as error:  # noqa: BLE001
                    errors.append(f"{url}: {error!r}")
            passes.append(1)

    passes: list[int] = []
    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        # the writer writes until told to stop: every read below overlaps a write
        deadline = time.monotonic() + 60
        while (len(written) < 50 or len(passes) < 15) and not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        done.set()
        for thread in threads:
            thread.join(timeout=30)
        count = get_json(f"{base}/readouts/readouts.json?_search=Writer&_shape=objects")["filtered_table_rows_count"]
    finally:
        output = stop(process)
    assert not errors, errors[:5]
    assert "Serving" in output and "locked" not in output, output[-2000:]
    assert len(written) >= 50 and len(passes) >= 15
    assert count == len(written)


def test_serve_names_the_database_after_its_file(tmp_path: Path) -> None:
    """A corpus at another path gets the shipped metadata under its own name."""
    database, _, _, _ = build_corpus(tmp_path)
    renamed = database.with_name("archive2024.db")
    database.rename(renamed)
    process, base = start_serve(tmp_path, renamed)
    try:
        metadata = get_json(f"{base}/-/metadata.json")
        facets = get_json(f"{base}/archive2024/readouts.json?_search=Putin")["facet_results"]
    finally:
        stop(process)
    assert "archive2024" in metadata["databases"] and "readouts" not in metadata["databases"]
    assert set(facets) == {"source", "language", "year"}
