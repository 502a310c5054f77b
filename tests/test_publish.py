"""`harvester serve`: metadata, canned queries, hidden duplicates, archived copies, and serving beside a writer."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import sqlite_utils

from harvester import dedupe
from harvester.extract import Readout
from harvester.fetch import FetchedPage
from harvester.store import GENERATED, SCHEMA, Store
from harvester.store.schema import PUBLISHING_COLUMNS
from tests.conftest import REPO
from tests.publishing import (
    ARCHIVED_SCRIPT,
    PAYLOAD_PARAGRAPHS,
    TEXTS,
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


def get_json(url: str) -> Any:
    """A JSON answer: each test knows which shape its URL gives."""
    return json.loads(get(url)[2])


def query(served: Served, name: str, **params: str) -> list[dict[str, Any]]:
    params = {**params, "_shape": "array"}
    rows: list[dict[str, Any]] = get_json(f"{served.base}/readouts/{name}.json?{urllib.parse.urlencode(params)}")
    return rows


def test_metadata_describes_every_table_and_column(served: Served) -> None:
    tables = METADATA["databases"]["readouts"]["tables"]
    db = sqlite_utils.Database(served.database)
    published: dict[str, type] = dict.fromkeys(PUBLISHING_COLUMNS, str)
    for table, columns in [*SCHEMA.items(), ("readouts", published)]:
        assert tables[table]["description"], table
        described = tables[table]["columns"]
        for column in [*columns, *GENERATED.get(table, {})]:
            assert described.get(column), f"{table}.{column} has no description"
    for table in ("meetings", "readouts", "people", "meeting_people"):
        for column in db.table(table).columns_dict:
            assert tables[table]["columns"].get(column), f"{table}.{column} has no description"


FACETS = {"source", "kind", "year", "participant", "country"}


def test_published_with_metadata_facets_and_hidden_tables(served: Served) -> None:
    assert get_json(f"{served.base}/-/metadata.json")["title"] == METADATA["title"]
    page = get_json(f"{served.base}/readouts/readouts.json?duplicate_of__isnull=1")
    assert set(page["facet_results"]) == FACETS
    years = {row["value"] for row in page["facet_results"]["year"]["results"]}
    assert {"2015", "2024"} <= years
    people = {row["value"]: row["count"] for row in page["facet_results"]["participant"]["results"]}
    assert people["Vladimir Putin"] == 6 and people["Masoud Pezeshkian"] == 4  # unique readouts of their meetings
    countries = {row["value"]: row["count"] for row in page["facet_results"]["country"]["results"]}
    assert countries["IR"] == 6 and countries["TR"] == 1  # Khamenei and Pezeshkian together count once for IR
    chosen = get_json(f"{served.base}/readouts/readouts.json?_country=KZ&_shape=array&_col=id")
    assert [row["id"] for row in chosen] == [served.ids["revised"]]
    tables = {table["name"]: table for table in get_json(f"{served.base}/readouts.json")["tables"]}
    assert tables["pages"]["hidden"] and tables["readouts_fts"]["hidden"]
    assert not tables["readouts"]["hidden"] and not tables["meetings"]["hidden"] and not tables["people"]["hidden"]
    # hidden, but still reachable
    pages = get_json(f"{served.base}/readouts/pages.json?_shape=array")
    assert len(pages) == len(served.page_ids) + 1  # the revised readout was fetched twice


def redirect_of(url: str) -> str:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(url), timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 302
        return error.headers["Location"]
    raise AssertionError(f"expected a redirect from {url}")


def test_every_entry_path_hides_duplicates(served: Served) -> None:
    shown = get_json(f"{served.base}/readouts/readouts.json?duplicate_of__isnull=1&_shape=array&_col=id")
    assert served.ids["syndicated"] not in [row["id"] for row in shown]
    assert len(shown) == len(served.ids) - 1
    # a reader opening the table gets the compact, unique view
    assert redirect_of(f"{served.base}/readouts/readouts") == (
        "/readouts/readouts?duplicate_of__isnull=1&_col=title&_col=source&_col=published&_col=kind&_col=meeting_id"
    )
    # pasted search links, from the table or the unique view, land on the search page
    for table in ("readouts", "readouts_unique"):
        assert redirect_of(f"{served.base}/readouts/{table}?_search=summits") == "/readouts/-/search?q=summits"
    _, _, body = get(f"{served.base}/readouts/-/search?q=summits")
    assert body.count(b'class="result"') == 3 and b"Show 1 duplicate too" in body
    _, _, body = get(f"{served.base}/readouts/-/search?q=summits&duplicates=1")
    assert body.count(b'class="result"') == 4
    duplicates = get_json(f"{served.base}/readouts/readouts.json?duplicate_of__notnull=1&_shape=array")
    assert [(row["id"], row["duplicate_kind"]) for row in duplicates] == [(served.ids["syndicated"], "near")]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_search_escapes_snippets_and_answers_bad_queries(served: Served) -> None:
    _, _, body = get(f"{served.base}/readouts/-/search?q=payload")
    assert b"<script>window.__pwned" not in body and b"&lt;script&gt;" in body
    assert b"<mark>payload</mark>" in body
    # what people type is read as words; deliberate syntax used wrongly says what to change
    answers = {
        '"Astana': b"<mark>Astana</mark>",
        "Astana AND": "“AND” joins nothing here and was left out.".encode(),
        "nosuchcolumn:Astana": "“nosuchcolumn:” is not a part of a readout".encode(),
        "NOT": b"has no word to search for",
    }
    for typed, answer in answers.items():
        status, _, body = get(f"{served.base}/readouts/-/search?{urllib.parse.urlencode({'q': typed})}")
        assert status == 200 and answer in body and b"could not be read" not in body, typed


def test_permalinks_survive_rebuilding_the_corpus(tmp_path: Path, served: Served) -> None:
    """The same pages stored in another order get other row numbers and the same permalinks."""
    rows = get_json(f"{served.base}/readouts/readouts.json?_shape=array&_col=url&_col=slug&_size=max")
    before = {row["url"]: row["slug"] for row in rows}
    rebuilt = sqlite_utils.Database(build_corpus(tmp_path).database)
    after = {row["url"]: (row["slug"], row["id"]) for row in rebuilt.query("select url, slug, id from readouts")}
    assert {url: slug for url, (slug, _) in after.items()} == before
    assert all(len(slug) == 12 for slug in before.values())
    assert redirect_of(f"{served.base}/readouts/-/r/{before[TEXTS['call'].url]}") == f"/readouts/readouts/{served.ids['call']}"


def test_old_corpora_get_the_stemming_index_and_permalinks(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    db = sqlite_utils.Database(database)
    db.table("readouts").insert({"id": 1, "url": "https://a.example/1", "title": "Summit", "text": "The summits met.",
                                 "canonical_url": "https://a.example/1"}, pk="id")
    db.table("readouts").enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True, tokenize="unicode61")
    assert not list(db.query("select rowid from readouts_fts where readouts_fts match 'summit' and rowid = 1 and 0"))
    db.close()
    store = Store(database)
    try:
        assert "porter" in store.db.table("readouts_fts").schema and "lead" in store.db.table("readouts_fts").schema
        assert [row[0] for row in store.db.execute("select rowid from readouts_fts where readouts_fts match 'summit'")] == [1]
        assert store.db.execute("select slug from readouts").fetchone()[0] == dedupe.slug("https://a.example/1")
    finally:
        store.close()


def test_canned_queries(served: Served) -> None:
    timeline = query(served, "meeting_timeline")
    astana = next(row for row in timeline if row["meeting"] == served.meetings["astana"])
    assert astana["reports"] == 4 and astana["date"] == "2024-07-03" and astana["kind"] == "meeting"
    assert set(astana["sources"].split(",")) == {"kremlin", "president-ir", "agency"}
    assert [row["date"] for row in timeline] == sorted((row["date"] for row in timeline), reverse=True)
    _, _, body = get(f"{served.base}/readouts/meeting_timeline")
    assert b'["' not in body and b"Masoud Pezeshkian</a>" in body  # names, never JSON

    reports = query(served, "meeting_reports", meeting=str(served.meetings["astana"]))
    assert sorted(row["id"] for row in reports) == sorted(
        served.ids[key] for key in ("astana-kremlin", "astana-president-ir", "astana-agency", "syndicated")
    )

    health = {row["source"]: row for row in query(served, "source_health")}
    assert health["payload-site"]["degraded_runs"] == 1 and health["payload-site"]["failing_urls"] == 1
    assert health["payload-site"]["last_successful_run"] is None
    assert health["kremlin"]["last_successful_run"] and health["kremlin"]["readouts"] == 3
    assert health["kremlin"]["degraded_runs"] == 0 and health["kremlin"]["readouts_per_run"] == 1.0

    failing = query(served, "failing_urls", source="payload-site")
    assert [row["url"] for row in failing] == ["https://payload-site.example/broken"]


TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:\S+$")  # RFC 4151


def test_atom_feed_of_new_readouts(served: Served) -> None:
    status, headers, body = get(f"{served.base}/readouts/-/feed.atom")
    assert status == 200 and "atom+xml" in headers["content-type"]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(body)
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(served.ids) - 2  # not the copy, nor the one whose URL is not a web address
    ids = [entry.findtext("a:id", namespaces=ns) or "" for entry in entries]
    assert all(TAG_URI.match(value) for value in ids) and len(set(ids)) == len(ids), ids
    assert TAG_URI.match(feed.findtext("a:id", namespaces=ns) or "")
    call = next(e for e in entries if e.findtext("a:title", namespaces=ns) == TEXTS["call"].title)
    assert call.findtext("a:author/a:name", namespaces=ns) == "Publisher kremlin"
    links = {link.get("rel"): link.get("href") for link in call.findall("a:link", ns)}
    assert links["via"] == TEXTS["call"].url
    assert re.fullmatch(rf"{re.escape(served.base)}/readouts/-/r/[0-9a-f]{{12}}", links["alternate"] or "")
    assert call.findtext("a:summary", namespaces=ns) == TEXTS["call"].lead
    all_links = [link.get("href", "") for entry in entries for link in entry.findall("a:link", ns)]
    assert not any(href.startswith("javascript:") for href in all_links)


def test_archived_copy_as_source_and_as_an_inert_page(served: Served) -> None:
    status, headers, body = get(f"{served.base}/-/archive/readouts/{served.page_ids['payload']}")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert PAYLOAD_PARAGRAPHS[0].encode() in body  # the page as harvested, markup and all
    status, headers, body = get(f"{served.base}/-/archive/readouts/{served.page_ids['astana-kremlin']}/page")
    assert headers["content-type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert ARCHIVED_SCRIPT.encode() in body
    try:
        get(f"{served.base}/-/archive/readouts/999999")
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404


def test_serve_and_a_writer_share_the_database(tmp_path: Path) -> None:
    """Readers hammer search and facets while a writer adds readouts one transaction at a time."""
    database = build_corpus(tmp_path).database
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
    database = build_corpus(tmp_path).database
    renamed = database.with_name("archive2024.db")
    database.rename(renamed)
    process, base = start_serve(tmp_path, renamed)
    try:
        metadata = get_json(f"{base}/-/metadata.json")
        facets = get_json(f"{base}/archive2024/readouts.json?_search=Putin")["facet_results"]
        _, _, search = get(f"{base}/archive2024/-/search?q=Putin")
    finally:
        stop(process)
    assert "archive2024" in metadata["databases"] and "readouts" not in metadata["databases"]
    assert b"<mark>Putin</mark>" in search
    assert set(facets) == FACETS
