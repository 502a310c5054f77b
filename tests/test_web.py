"""The published pages through Datasette's in-process client: no port, no browser, so a fresh clone tests them.

The corpus is the publishing fixture's (tests/publishing.py), with two more
people whose spellings the "did you mean" must find. The browser tests keep
what only a browser shows: layout, widths, downloads, scripts that must not run.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils
from datasette.app import Datasette

from harvester.publish import PLUGINS, SETTINGS, TEMPLATES, effective_metadata
from harvester.search_query import MAX_TERMS
from tests.publishing import FIRST_VERSION, TEXTS, Corpus, build_corpus

SHIPPED_METADATA = Path(__file__).resolve().parents[1] / "harvester" / "data" / "datasette-metadata.json"
SITE = "Diplomatic meeting readouts"


class Web:
    def __init__(self, corpus: Corpus, datasette: Datasette) -> None:
        self.corpus = corpus
        self.datasette = datasette
        self.loop = asyncio.new_event_loop()

    def get(self, path: str) -> httpx.Response:
        response: httpx.Response = self.loop.run_until_complete(self.datasette.client.get(path))
        return response

    def close(self) -> None:
        self.loop.close()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    root = tmp_path_factory.mktemp("web")
    corpus = build_corpus(root)
    db = sqlite_utils.Database(corpus.database)
    # People the "did you mean" must know by their spelling alone: no readout names them.
    for name, country in (("Hassan Rouhani", "IR"), ("Bashar Assad", "SY")):
        db.table("people").insert({"name": name, "country": country, "offices": "[]", "aliases": "[]"})
    db.close()
    metadata = effective_metadata(corpus.database, SHIPPED_METADATA, root / "corpus" / "archive")
    datasette = Datasette(
        [str(corpus.database)], metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
        settings={"suggest_facets": False, "truncate_cells_html": int(SETTINGS["truncate_cells_html"]),
                  "facet_time_limit_ms": int(SETTINGS["facet_time_limit_ms"])},
    )
    web = Web(corpus, datasette)
    yield web
    web.close()


class Page(HTMLParser):
    """The parts of a page these tests read: its title, the html element's lang, and every lang attribute."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.title = ""
        self.html_lang: str | None = None
        self.langs: list[str] = []
        self.links: list[str] = []
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if values.get("lang"):
            self.langs.append(values["lang"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        self._in_title = tag == "title" and not self.title  # the page's, not an SVG element's

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def page(web: Web, path: str, status: int = 200) -> tuple[httpx.Response, Page]:
    response = web.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    return response, Page(response.text)


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Khamenei's", "tehran-2019"),
        ("Putin-Pezeshkian", "astana-president-ir"),
        ("U.S. Astana", None),  # read, even if no readout says U.S.
        ("(Putin", "astana-kremlin"),
        ("Tehran AND", "tehran-2019"),
        ("Putin)", "astana-kremlin"),
        ('"North South', "astana-kremlin"),
        ("Astana OR", "astana-kremlin"),
        ("Putin AND AND Astana", "astana-kremlin"),
    ],
)
def test_queries_people_type_are_read_not_refused(web: Web, query: str, expected: str | None) -> None:
    response, _ = page(web, "/readouts/-/search?" + httpx.QueryParams({"q": query}).__str__())
    assert "could not be read" not in response.text
    assert "class=\"search-error\"" not in response.text
    if expected:
        assert f"/readouts/readouts/{web.corpus.ids[expected]}\"" in response.text, query


def test_operators_still_work_when_used_rightly(web: Web) -> None:
    found = search_ids(web, "Putin NOT Erdogan")
    assert web.corpus.ids["call"] not in found and web.corpus.ids["astana-kremlin"] in found
    assert set(search_ids(web, "Erdogan OR Assad")) == {web.corpus.ids["call"], web.corpus.ids["tehran-2019"]}
    assert search_ids(web, "title:Telephone") == [web.corpus.ids["call"]]
    assert search_ids(web, '"North–South transport corridor"') == [web.corpus.ids["astana-kremlin"]]


def test_deliberate_wrong_syntax_gets_a_message(web: Web) -> None:
    response, _ = page(web, "/readouts/-/search?q=author:Smith")
    assert "“author:” is not a part of a readout" in response.text
    response, _ = page(web, "/readouts/-/search?q=NOT+Erdogan")
    assert "put the words to find first (Putin NOT Erdogan)" in response.text
    response = web.get("/readouts/-/search.json?q=author:Smith")
    assert response.status_code == 400 and "author:" in response.json()["error"]


@pytest.mark.parametrize(
    ("typed", "meant"), [("Khamenie", "Khamenei"), ("Rohani", "Rouhani"), ("Asad", "Assad"), ("Pezeshkain", "Pezeshkian")]
)
def test_misspelt_names_get_did_you_mean(web: Web, typed: str, meant: str) -> None:
    response, parsed = page(web, f"/readouts/-/search?q={typed}")
    assert "0 readouts match" in response.text
    assert re.search(rf"Did you mean <a href=\"[^\"]+\?q={meant}\"><strong>{meant}</strong>", response.text), response.text
    assert web.get(f"/readouts/-/search.json?q={typed}").json()["suggestion"] == meant


def test_a_misspelt_word_is_corrected_from_the_corpus_vocabulary(web: Web) -> None:
    document = web.get("/readouts/-/search.json?q=Putin+corridr").json()
    assert document["total"] == 0 and document["suggestion"] == "Putin corridor"


def test_a_word_no_readout_contains_is_named_and_left_out(web: Web) -> None:
    document = web.get("/readouts/-/search.json?q=Astana+sanctions").json()
    assert document["total"] == 0
    assert (document["suggestion"], document["unknown_words"]) == ("Astana", ["sanctions"])
    response, _ = page(web, "/readouts/-/search?q=Astana+sanctions")
    assert "No readout contains “sanctions”." in response.text and "?q=Astana\"><strong>Astana</strong>" in response.text
    assert web.get("/readouts/-/search.json?q=sanctions").json()["suggestion"] is None


def test_bad_dates_say_so(web: Web) -> None:
    response, _ = page(web, "/readouts/-/search?q=Putin&from=2019-13-45")
    assert "The “from” date “2019-13-45” is not a date" in response.text
    response = web.get("/readouts/-/search.json?q=Putin&to=yesterday")
    assert response.status_code == 400 and "“to” date" in response.json()["error"]
    assert search_ids(web, "Khamenei", **{"from": "2019-01-01", "to": "2019-12-31"}) == [web.corpus.ids["tehran-2019"]]


def test_long_queries_are_cut_and_said_so(web: Web) -> None:
    document = web.get("/readouts/-/search.json?" + str(httpx.QueryParams({"q": "Putin " * 5000}))).json()
    assert document["notes"] == [f"Only the query's first {MAX_TERMS} words were searched."]
    assert web.get("/readouts/-/search.json?q=Tehran+AND").json()["notes"] == ["“AND” joins nothing here and was left out."]
    assert document["total"] > 0


def search_ids(web: Web, query: str, **args: str) -> list[int]:
    response = web.get("/readouts/-/search.json?" + str(httpx.QueryParams({"q": query, **args})))
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]


def test_search_json_is_ranked_with_snippets(web: Web) -> None:
    response = web.get("/readouts/-/search.json?q=Astana")
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    results = document["results"]
    # the title match ranks first; the syndicated copy is hidden and counted
    assert results[0]["id"] == web.corpus.ids["astana-agency"]
    assert [row["rank"] for row in results] == list(range(1, len(results) + 1))
    assert document["total"] == len(results) and document["hidden_duplicates"] == 0
    for row in results:
        assert "Astana" in row["snippet"] and "<mark>Astana</mark>" in row["snippet_html"], row
        assert row["permalink"].startswith("http") and "/readouts/-/r/" in row["permalink"]
    by_date = web.get("/readouts/-/search.json?q=Astana&sort=date").json()["results"]
    assert [row["published"] for row in by_date] == sorted((row["published"] for row in by_date), reverse=True)
    with_copies = web.get("/readouts/-/search.json?q=Pezeshkian&duplicates=1").json()
    assert web.corpus.ids["syndicated"] in [row["id"] for row in with_copies["results"]]
    assert "snippet" not in web.get("/readouts/-/search.json?q=Astana&snippets=0").json()["results"][0]


def test_search_csv_holds_every_match_in_the_page_order(web: Web) -> None:
    response = web.get("/readouts/-/search.csv?q=Putin&duplicates=1")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="search-Putin.csv"' == response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ranked = search_ids(web, "Putin", duplicates="1")
    assert [int(row["id"]) for row in rows] == ranked and len(rows) > 5
    assert all("Putin" in row["snippet"] for row in rows if row["id"] != str(web.corpus.ids["payload"]))
    titles = {int(row["id"]): row["title"] for row in rows}
    assert titles[web.corpus.ids["call"]] == TEXTS["call"].title


def test_search_page_links_its_exports(web: Web) -> None:
    _, parsed = page(web, "/readouts/-/search?q=Astana&sort=date")
    exports = [link for link in parsed.links if "/-/search." in link]
    assert exports == ["/readouts/-/search.csv?q=Astana&sort=date", "/readouts/-/search.json?q=Astana&sort=date"]


# --- pages: titles, lang, exports, 404s -----------------------------------------------------------


def page_paths(web: Web) -> dict[str, str]:
    ids, people, meetings = web.corpus.ids, web.corpus.people, web.corpus.meetings
    return {
        "index": "/",
        "database": "/readouts",
        "table": "/readouts/readouts?duplicate_of__isnull=1",
        "readout": f"/readouts/readouts/{ids['astana-kremlin']}",
        "meeting": f"/readouts/meetings/{meetings['astana']}",
        "person": f"/readouts/people/{people['Vladimir Putin']}",
        "country": "/readouts/-/country/IR",
        "search": "/readouts/-/search?q=Astana",
        "timeline": "/readouts/-/timeline",
        "canned query": "/readouts/person_meetings?person=Vladimir+Putin",
        "source": "/readouts/sources/kremlin",
    }


TITLES = {
    "index": f"{SITE}: readouts",
    "database": f"readouts · {SITE}",
    "readout": f"{TEXTS['astana-kremlin'].title} · readouts · {SITE}",
    "meeting": f"Vladimir Putin and Masoud Pezeshkian in Astana · meetings · {SITE}",
    "person": f"Vladimir Putin · people · {SITE}",
    "country": f"Iran (IR) · countries · {SITE}",
    "search": f"Astana · Search · {SITE}",
    "timeline": f"Meetings timeline · {SITE}",
    "canned query": f"A person's meetings · readouts · {SITE}",
    "source": f"sources kremlin · {SITE}",
}


def test_every_page_type_names_its_subject_and_language(web: Web) -> None:
    for kind, path in page_paths(web).items():
        _, parsed = page(web, path)
        assert parsed.html_lang == "en", kind
        title = " ".join(parsed.title.split())
        if kind == "table":
            assert title.startswith("readouts (9 rows where duplicate_of is null") and title.endswith(f" · readouts · {SITE}"), title
        else:
            assert title == TITLES[kind], (kind, title)


def test_text_in_another_language_says_so(web: Web) -> None:
    db = sqlite_utils.Database(web.corpus.database)
    readout = web.corpus.ids["tehran-2024"]
    db.execute("update readouts set language = 'fa' where id = ?", [readout])
    db.conn.commit()
    try:
        _, parsed = page(web, f"/readouts/readouts/{readout}")
        assert parsed.langs.count("fa") == 3  # title, lead, text: the page's own words stay English
        _, parsed = page(web, "/readouts/-/search?q=endorsed")
        assert "fa" in parsed.langs
    finally:
        db.execute("update readouts set language = 'en' where id = ?", [readout])
        db.conn.commit()


def test_unknown_countries_and_people_are_404(web: Web) -> None:
    for path in ("/readouts/-/country/XX", "/readouts/-/country/XX.csv", "/readouts/people/9999",
                 "/readouts/-/person/9999.json", "/readouts/-/person?name=Nobody"):
        assert web.get(path).status_code == 404, path


def read_export(web: Web, path: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    as_csv = list(csv.DictReader(io.StringIO(web.get(path + ".csv").text)))
    as_json = web.get(path + ".json").json()
    return as_csv, as_json


def test_person_and_country_pages_export_what_they_list(web: Web) -> None:
    putin = web.corpus.people["Vladimir Putin"]
    _, parsed = page(web, f"/readouts/people/{putin}")
    assert f"/readouts/-/person/{putin}.csv" in parsed.links and f"/readouts/-/person/{putin}.json" in parsed.links
    rows, document = read_export(web, f"/readouts/-/person/{putin}")
    expected = {web.corpus.meetings[key] for key in ("astana", "call", "tehran-2015", "revised")}
    assert {int(row["meeting_id"]) for row in rows} == expected == {row["meeting_id"] for row in document}
    call = next(row for row in rows if int(row["meeting_id"]) == web.corpus.meetings["call"])
    assert call["counterparts"] == "Recep Tayyip Erdogan" and call["counterpart_countries"] == "TR"
    _, parsed = page(web, "/readouts/-/country/SY")
    assert "/readouts/-/country/SY.csv" in parsed.links
    rows, document = read_export(web, "/readouts/-/country/SY")
    assert [int(row["meeting_id"]) for row in rows] == [web.corpus.meetings["tehran-2019"]]
    assert document[0]["counterparts"] == "Ali Khamenei"


def test_meeting_page_exports_its_reports(web: Web) -> None:
    meeting = web.corpus.meetings["astana"]
    _, parsed = page(web, f"/readouts/meetings/{meeting}")
    csv_link = next(link for link in parsed.links if "meeting_reports.csv" in link)
    json_link = next(link for link in parsed.links if "meeting_reports.json" in link)
    rows = list(csv.DictReader(io.StringIO(web.get(csv_link.replace("&amp;", "&")).text)))
    expected = {web.corpus.ids[key] for key in ("astana-kremlin", "astana-president-ir", "astana-agency", "syndicated")}
    assert {int(row["id"]) for row in rows} == expected
    assert {row["id"] for row in web.get(json_link.replace("&amp;", "&")).json()} == expected


# --- the rest of what the site shows -------------------------------------------------------------


def test_readout_page_shows_versions_citation_and_archive(web: Web) -> None:
    response, _ = page(web, f"/readouts/readouts/{web.corpus.ids['revised']}")
    assert "<del>seven</del>" in response.text and "<ins>nine</ins>" in response.text
    assert FIRST_VERSION[0] in response.text
    response, _ = page(web, f"/readouts/readouts/{web.corpus.ids['astana-kremlin']}")
    assert "@online{" in response.text and '"type": "webpage"' in response.text.replace("&#34;", '"')
    assert f"/-/archive/readouts/{web.corpus.page_ids['astana-kremlin']}/page" in response.text


def test_timeline_and_feed(web: Web) -> None:
    response, _ = page(web, "/readouts/-/timeline")
    assert "<svg" in response.text and "Vladimir Putin (RU)" in response.text
    assert 'class="timeline-figure"' in response.text
    response = web.get("/readouts/-/feed.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    assert TEXTS["astana-kremlin"].title in response.text


def test_person_page_lists_meetings(web: Web) -> None:
    response, _ = page(web, f"/readouts/people/{web.corpus.people['Ali Khamenei']}")
    assert "Bashar al-Assad" in response.text and "Masoud Pezeshkian" in response.text
    assert json.loads(web.get(f"/readouts/-/person/{web.corpus.people['Ali Khamenei']}.json").text)[0]["date"] == "2024-07-28"
