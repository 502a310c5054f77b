"""A corpus of every schema version since the first release, upgraded as `harvester serve` upgrades it, serves every page.

The corpus is release 0.1's own (tests/data/corpus-0.1.db.gz: the demo harvest,
written by that release's store). A corpus of version k is that corpus with the
released migrations 1..k applied, as the releases between applied them to every
corpus they opened: running fourteen old releases (each with its own
dependencies, in its own process) to write readouts of their own would test
their code, not this one's reading of what they left. `harvester.publish.prepare`
then upgrades it, as `harvester serve` does before it starts Datasette, and one
readout is harvested by today's store (twice, so it has an earlier version), with
its page in a real archive: release 0.1's archive is not shipped with its corpus.
People are linked to the released meetings as the meetings step would link them.

Every page the plugin serves, and every canned query of the shipped metadata,
is asked through Datasette's in-process client and checked for what this corpus
holds: a title, a count.
"""

from __future__ import annotations

import asyncio
import csv
import gzip
import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlite_utils
from datasette.app import Datasette

from harvester.archive import ArchiveWriter
from harvester.extract import Readout
from harvester.fetch import Exchange, FetchedPage
from harvester.publish import PLUGINS, SETTINGS, TEMPLATES, effective_metadata, prepare
from harvester.store import RunCounts, Store
from harvester.store.schema import LATEST, upgrade, version

DATA = Path(__file__).parent / "data"
SHIPPED_METADATA = Path(__file__).resolve().parents[1] / "harvester" / "data" / "datasette-metadata.json"
# The countries of the people of release 0.1's meetings and of the new readout's.
COUNTRIES = {
    "Ali Khamenei": "IR", "Hassan Rouhani": "IR", "Vladimir Putin": "RU", "Bashar al-Assad": "SY",
    "Abdullah II": "JO", "Mahmoud Abbas": "PS", "Nicolas Maduro": "VE", "Masoud Pezeshkian": "IR",
}
# Release 0.1's readout 15 and its meeting, reported four times.
KHAMENEI_PUTIN = "Meeting with Supreme Leader of Iran Ali Khamenei"
NEW_URL = "https://en.kremlin.example/events/president/news/80000"
NEW_TITLE = "Meeting with President of Iran Masoud Pezeshkian"
FIRST_TEXT = "Vladimir Putin met Masoud Pezeshkian in Ashgabat.\n\nThe presidents signed seven documents."
TEXT = "Vladimir Putin met Masoud Pezeshkian in Ashgabat.\n\nThe presidents signed nine documents."
FAILED_URL = "https://en.kremlin.example/events/president/news/broken"


def at_version(path: Path, target: int) -> None:
    """Release 0.1's corpus at `path`, with the migrations up to `target` applied."""
    path.write_bytes(gzip.decompress((DATA / "corpus-0.1.db.gz").read_bytes()))
    db = sqlite_utils.Database(path)
    upgrade(db, to=target)
    assert version(db) == target
    db.close()


def _exchange(url: str, body: bytes) -> Exchange:
    return Exchange(
        url=url, method="GET", request_headers=(("User-Agent", "harvester-test"),), status=200, reason="OK",
        http_version="HTTP/1.1", headers=(("Content-Type", "text/html; charset=utf-8"),), body=body,
        fetched_at=datetime.now(timezone.utc),
    )


def harvest_one(store: Store, archive: ArchiveWriter, text: str) -> int:
    """The new readout, harvested with `text`, its page in the archive; returns its id."""
    body = f"<html><head><title>{NEW_TITLE}</title></head><body><h1>{NEW_TITLE}</h1>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in text.split("\n\n")
    ) + "</body></html>"
    exchange = _exchange(NEW_URL, body.encode())
    exchange = replace(exchange, archived_at=archive.record(exchange))
    readout = Readout(url=NEW_URL, title=NEW_TITLE, kicker=None, author=None, published="2025-12-10", language="en",
                      tags=(), text=text, extractor="configured")
    return store.save_readout("kremlin", FetchedPage(NEW_URL, NEW_URL, exchange), readout).readout_id


def link_people(store: Store) -> None:
    """Everyone the meetings name, as people with their countries, taking part in them (the new readout's
    meeting has its people from the meetings step already; their countries are set here alike)."""
    db = store.db
    for meeting_id, participants in db.execute("select id, participants from meetings").fetchall():
        for name in json.loads(participants):
            db.execute("insert into people (name, country, offices, aliases) values (?, ?, '[]', '[]')"
                       " on conflict (name) do update set country = excluded.country", [name, COUNTRIES.get(name)])
            db.execute("insert or ignore into meeting_people (meeting_id, person_id) select ?, id from people where name = ?",
                       [meeting_id, name])


@dataclass
class Served:
    root: Path
    database: Path
    datasette: Datasette
    new_id: int
    new_page: int

    def get(self, path: str) -> httpx.Response:
        response: httpx.Response = asyncio.run(self.datasette.client.get(path))
        return response

    def ok(self, path: str) -> httpx.Response:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response

    def one(self, sql: str, *params: Any) -> Any:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchone()[0]


def datasette_for(database: Path, metadata: dict[str, Any]) -> Datasette:
    typed = {name: int(value) if value.isdigit() else value != "off" for name, value in SETTINGS.items()}
    return Datasette([str(database)], metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
                     settings=typed)


@pytest.fixture(scope="module", params=range(LATEST + 1), ids=lambda k: f"version-{k}")
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp_path = tmp_path_factory.mktemp(f"version-{request.param}")
    database = tmp_path / "corpus" / "readouts.db"
    database.parent.mkdir()
    at_version(database, request.param)
    archive_dir = tmp_path / "corpus" / "archive"
    written = prepare(database, metadata=SHIPPED_METADATA, archive=archive_dir, directory=tmp_path)
    with Store(database) as store:
        assert version(store.db) == LATEST
        archive = ArchiveWriter(archive_dir)
        run = store.start_run("kremlin")
        harvest_one(store, archive, FIRST_TEXT)
        new_id = harvest_one(store, archive, TEXT)
        store.record_failure("kremlin", FAILED_URL, "HTTP 500")
        store.finish_run(run, "partial", RunCounts(listing_pages=1, new_readouts=1, errors=1))
        archive.close()
        link_people(store)
        new_page = store.db.execute("select page_id from readouts where id = ?", [new_id]).fetchone()[0]
    yield Served(tmp_path, database, datasette_for(database, json.loads(written.read_text(encoding="utf-8"))),
                 new_id, new_page)


def test_every_page_is_served_from_a_corpus_of_every_version(served: Served) -> None:
    s = served
    # the search page, its JSON and its CSV: every readout the index matches, the page's first
    matching = s.one("select count(*) from readouts_fts where readouts_fts match 'khamenei'")
    assert matching >= 5
    page = s.ok("/readouts/-/search?q=Khamenei").text
    assert KHAMENEI_PUTIN in page and f"{matching} readouts" in page.replace("\n", " ").replace("  ", " ")
    found = s.ok("/readouts/-/search.json?q=Khamenei").json()
    assert found["total"] == matching == len(found["results"])
    assert KHAMENEI_PUTIN in [row["title"] for row in found["results"]]
    rows = list(csv.DictReader(io.StringIO(s.ok("/readouts/-/search.csv?q=Khamenei").text)))
    assert [row["id"] for row in rows] == [str(row["id"]) for row in found["results"]]

    # the readout harvested since the upgrade is ranked with the frequent words' candidates (migration 17)
    assert s.one("select count(*) from search_changes where readout_id = ?", s.new_id) == 1

    # a permalink (release 0.1's readouts got theirs from migration 7), and the readout's page
    khamenei = s.one("select id from readouts where title = ?", KHAMENEI_PUTIN)
    slug = s.one("select slug from readouts where id = ?", khamenei)
    assert s.get(f"/readouts/-/r/{slug}").headers["location"] == f"/readouts/readouts/{khamenei}"
    article = s.ok(f"/readouts/readouts/{khamenei}").text
    assert KHAMENEI_PUTIN in article and "Ayatollah Khamenei: US Plotting to Dominate West Asia" in article  # a sibling report
    revised = s.ok(f"/readouts/readouts/{s.new_id}").text
    assert NEW_TITLE in revised and "<del>seven</del>" in revised and "<ins>nine</ins>" in revised

    # the meeting's page: its four reports
    meeting = s.one("select meeting_id from readouts where id = ?", khamenei)
    reports = s.one("select count(*) from readouts where meeting_id = ?", meeting)
    meeting_page = s.ok(f"/readouts/meetings/{meeting}").text
    assert reports == 4 and f"Reports of this meeting ({reports})" in meeting_page
    assert KHAMENEI_PUTIN in meeting_page, meeting_page[meeting_page.index("Reports of this"):][:3000]

    # a country's page and its exports: every meeting of someone of Iran
    iran = s.one("select count(distinct mp.meeting_id) from meeting_people mp join people p on p.id = mp.person_id"
                 " where p.country = 'IR'")
    assert iran >= 6  # release 0.1's five and the new readout's
    assert "Hassan Rouhani" in s.ok("/readouts/-/country/IR").text
    assert len(s.ok("/readouts/-/country/IR.json").json()) == iran
    assert len(list(csv.DictReader(io.StringIO(s.ok("/readouts/-/country/IR.csv").text)))) == iran

    # a person's page (Datasette's row page with the plugin's listing), its exports, and the page by name
    putin = s.one("select id from people where name = 'Vladimir Putin'")
    putin_meetings = s.one("select count(*) from meeting_people where person_id = ?", putin)
    assert putin_meetings >= 6  # the same, and the calls the meetings step reads in kremlin's readouts
    person_page = s.ok(f"/readouts/people/{putin}").text
    assert "Ali Khamenei" in person_page and "Nicolas Maduro" in person_page
    assert len(s.ok(f"/readouts/-/person/{putin}.json").json()) == putin_meetings
    assert len(list(csv.DictReader(io.StringIO(s.ok(f"/readouts/-/person/{putin}.csv").text)))) == putin_meetings
    assert s.get(f"/readouts/-/person?name={quote('Vladimir Putin')}").headers["location"] == f"/readouts/people/{putin}"

    # the timeline: a row per person, a dot per year
    timeline = s.ok("/readouts/-/timeline").text
    assert "<svg" in timeline and "Vladimir Putin (RU)" in timeline and ">2015<" in timeline

    # the Atom feed: every unique readout with a web address (fewer than its fifty), the new one first
    feed = s.ok("/readouts/-/feed.atom").text
    unique = s.one("select count(*) from readouts where duplicate_of is null and url like 'http%'")
    assert feed.count("<entry>") == unique == 28
    assert feed.index(NEW_TITLE) < feed.index(KHAMENEI_PUTIN)

    # the archived copy, as text and as the page
    assert "signed nine documents" in s.ok(f"/-/archive/readouts/{s.new_page}").text
    assert f"<h1>{NEW_TITLE}</h1>" in s.ok(f"/-/archive/readouts/{s.new_page}/page").text

    # the readouts table as it opens (unique readouts, facets from the kept counts) and as JSON
    opening = s.get("/readouts/readouts")
    assert opening.status_code == 302
    table = s.ok(opening.headers["location"]).text
    assert KHAMENEI_PUTIN in table and "Vladimir Putin" in table  # a readout, and the participant facet
    listed = s.ok("/readouts/readouts.json?duplicate_of__isnull=1&_size=0").json()
    assert listed["filtered_table_rows_count"] == unique
    sources = {row["value"]: row["count"] for row in listed["facet_results"]["source"]["results"]}
    assert sources["kremlin"] == s.one("select count(*) from readouts where source = 'kremlin'")


def canned(s: Served, name: str, **params: str) -> list[dict[str, Any]]:
    """The canned query's rows, as JSON; its page must show the first."""
    query = "&".join(f"{key}={quote(value)}" for key, value in params.items())
    rows: list[dict[str, Any]] = s.ok(f"/readouts/{name}.json?_shape=array&{query}").json()
    html = s.ok(f"/readouts/{name}?{query}").text
    if rows:
        assert f">{rows[0]['source' if 'source' in rows[0] else 'date']}<" in html, name
    return rows


def test_every_canned_query_answers_from_a_corpus_of_every_version(served: Served) -> None:
    s = served
    queries = json.loads(SHIPPED_METADATA.read_text(encoding="utf-8"))["databases"]["readouts"]["queries"]
    checked = {"meeting_timeline", "person_meetings", "meeting_reports", "new_this_week", "source_health", "failing_urls"}
    assert set(queries) == checked, "a canned query without a check here"

    timeline = canned(s, "meeting_timeline")
    assert len(timeline) == s.one("select count(*) from meetings") >= 9
    assert [row["date"] for row in timeline] == sorted((row["date"] for row in timeline), reverse=True)
    assert sum(row["reports"] for row in timeline) == s.one("select count(*) from readouts where meeting_id is not null")

    putin = canned(s, "person_meetings", person="Vladimir Putin")
    assert len(putin) == s.one("select count(*) from meeting_people mp join people p on p.id = mp.person_id"
                               " where p.name = 'Vladimir Putin'") >= 6 and {row["meeting"] for row in putin} == {row["meeting"] for row in timeline if "Putin" in row["participants"]}

    khamenei = s.one("select meeting_id from readouts where title = ?", KHAMENEI_PUTIN)
    reports = canned(s, "meeting_reports", meeting=str(khamenei))
    assert len(reports) == 4 and KHAMENEI_PUTIN in [row["title"] for row in reports]
    assert all(row["characters"] > 100 for row in reports)

    assert NEW_TITLE in [row["title"] for row in canned(s, "new_this_week")]

    health = {row["source"]: row for row in canned(s, "source_health")}
    assert set(health) == {"aawsat-archive", "cnsnews", "khamenei-ir", "kremlin", "leader-ir"}
    assert health["kremlin"]["readouts"] == s.one("select count(*) from readouts where source = 'kremlin'") == 7
    assert health["kremlin"]["last_status"] == "partial" and health["kremlin"]["failing_urls"] == 1

    assert [row["url"] for row in canned(s, "failing_urls", source="")] == [FAILED_URL]
    assert canned(s, "failing_urls", source="cnsnews") == []


@pytest.mark.parametrize("target", [0, 7, LATEST - 1])
def test_a_corpus_not_upgraded_gets_a_message_not_a_broken_page(tmp_path: Path, target: int) -> None:
    """Served by plain Datasette with the plugin, without `harvester serve`'s upgrade: the plugin's pages say
    how to upgrade; Datasette's own pages still show the rows."""
    database = tmp_path / "readouts.db"
    at_version(database, target)
    s = Served(tmp_path, database, datasette_for(database, effective_metadata(database, SHIPPED_METADATA, None)), 0, 0)
    for path in ("/readouts/-/search?q=Khamenei", "/readouts/-/timeline", "/readouts/-/feed.atom", "/readouts/-/country/IR"):
        response = s.get(path)
        assert response.status_code == 503, path
        assert f"schema version {target}" in response.text and "harvester serve" in response.text
    assert KHAMENEI_PUTIN in s.ok("/readouts/readouts/15").text
