"""Pages that stay fast as the corpus grows: counts kept by the store, paged listings, the feed from an index."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
import types
from collections import Counter
from pathlib import Path
from typing import Any

import sqlite_utils
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm

from harvester.publish import PLUGINS, SETTINGS, TEMPLATES, effective_metadata
from harvester.store import Store
from harvester.datasette_plugins.harvester_web import EXPORT_MEETINGS, PERSON_MEETINGS
from harvester.store.publishing import FEED

REPO = Path(__file__).resolve().parents[1]
CALLS = ("call", "video_call")


def recount(db: sqlite_utils.Database) -> tuple[Counter[tuple[int, str]], Counter[tuple[str, str]]]:
    """Meetings by (person, year) and by (country, year), counted from the rows as the pages would want them."""
    meetings = {row["id"]: row for row in db["meetings"].rows}
    countries = {row["id"]: row["country"] for row in db["people"].rows}
    people: Counter[tuple[int, str]] = Counter()
    per_country: dict[tuple[str, str], set[int]] = {}
    for link in db["meeting_people"].rows:
        meeting = meetings[link["meeting_id"]]
        year = (meeting["date"] or "")[:4]
        people[link["person_id"], year] += 1
        if countries[link["person_id"]]:
            per_country.setdefault((countries[link["person_id"]], year), set()).add(link["meeting_id"])
    return people, Counter({key: len(ids) for key, ids in per_country.items()})


def kept(db: sqlite_utils.Database) -> tuple[Counter[tuple[int, str]], Counter[tuple[str, str]]]:
    people = Counter({(r["person_id"], r["year"]): r["meetings"] for r in db["person_years"].rows})
    countries = Counter({(r["country"], r["year"]): r["meetings"] for r in db["country_years"].rows})
    return people, countries


def meet(db: sqlite_utils.Database, meeting_id: int, day: str | None, kind: str, *people: int) -> None:
    db.table("meetings").insert({"id": meeting_id, "date": day, "kind": kind, "title": f"meeting {meeting_id}", "participants": "[]"})
    db.table("meeting_people").insert_all({"meeting_id": meeting_id, "person_id": person} for person in people)


def test_meeting_counts_follow_every_change_of_meetings_and_people(tmp_path: Path) -> None:
    with Store(tmp_path / "readouts.db") as store:
        db = store.db
        people: list[dict[str, Any]] = [
            {"id": 1, "name": "A", "country": "IR"}, {"id": 2, "name": "B", "country": "IR"},
            {"id": 3, "name": "C", "country": "RU"}, {"id": 4, "name": "D", "country": None},
        ]
        db.table("people").insert_all(people)
        meet(db, 1, "2015-03-01", "meeting", 1, 2)  # two people of one country: the country counts it once
        meet(db, 2, "2015-06-01", "call", 1, 3)
        meet(db, 3, "2016-01-01", "meeting", 3, 4)
        meet(db, 4, None, "message", 2)
        assert kept(db) == recount(db)
        assert kept(db)[1][("IR", "2015")] == 2
        assert db.execute("select calls from country_years where country = 'RU' and year = '2015'").fetchone() == (1,)

        db.execute("delete from meeting_people where meeting_id = 1 and person_id = 2")
        assert kept(db) == recount(db)
        db.execute("update meetings set kind = 'meeting', date = '2017-01-01' where id = 2")
        assert kept(db) == recount(db)
        assert db.execute("select calls from country_years where country = 'RU' and year = '2017'").fetchone() == (0,)
        db.execute("update people set country = 'SY' where id = 3")
        assert kept(db) == recount(db)
        db.execute("update people set country = 'IR' where id = 4")
        assert kept(db) == recount(db)
        db.execute("delete from meeting_people")
        assert kept(db) == (Counter(), Counter())


def test_an_old_corpus_gets_its_counts_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    with Store(path) as store:
        store.db.table("people").insert_all([{"id": 1, "name": "A", "country": "IR"}, {"id": 2, "name": "C", "country": "RU"}])
        meet(store.db, 1, "2015-03-01", "meeting", 1, 2)
        meet(store.db, 2, "2016-03-01", "call", 1)
        store.db.execute("delete from person_years")
        store.db.execute("delete from country_years")
        store.db.execute("pragma user_version = 8")
    with Store(path) as store:
        assert kept(store.db) == recount(store.db)
        assert sum(kept(store.db)[0].values()) == 3


def test_the_feed_reads_the_newest_unique_readouts_from_an_index_without_sorting(tmp_path: Path) -> None:
    with Store(tmp_path / "readouts.db") as store:
        plan = " ".join(row[-1] for row in store.db.execute("explain query plan " + FEED).fetchall())
    assert "readouts_unique_fetched" in plan
    assert "TEMP B-TREE" not in plan


def _paged_corpus(path: Path, meetings: int) -> None:
    """`meetings` meetings of A (IR) with C (RU), one a day, and three of them with S (SY) too."""
    with Store(path) as store:
        db = store.db
        db.table("people").insert_all([
            {"id": 1, "name": "A", "country": "IR"}, {"id": 2, "name": "C", "country": "RU"}, {"id": 3, "name": "S", "country": "SY"},
        ])
        for number in range(1, meetings + 1):
            day = f"{2010 + number // 100}-01-{1 + number % 28:02d}"
            meet(db, number, day, "meeting", 1, 2, *([3] if number in (5, 50, 150) else []))


def _pages(path: Path, *paths: str) -> list[str]:
    metadata = effective_metadata(path, REPO / "datasette-metadata.json", None)
    datasette = Datasette(
        [str(path)], metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS), settings=SETTINGS
    )

    async def get() -> list[str]:
        pages = []
        for page in paths:
            response = await datasette.client.get(page)
            assert response.status_code == 200, page
            pages.append(response.text)
        return pages

    return asyncio.run(get())


def _listed(html: str) -> list[str]:
    return re.findall(r'<tr class="meeting-row">\s*<td><a href="[^"]*/meetings/(\d+)"', html)


def test_country_and_person_pages_list_their_meetings_a_page_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    total = 2 * PERSON_MEETINGS + PERSON_MEETINGS // 2
    _paged_corpus(path, total)
    first, second, third, beyond, syria, person, year = _pages(
        path, "/readouts/-/country/IR", "/readouts/-/country/IR?page=2", "/readouts/-/country/IR?page=3",
        "/readouts/-/country/IR?page=4", "/readouts/-/country/SY", "/readouts/people/1", "/readouts/-/country/RU?year=2011",
    )
    newest_first = [str(n) for n in sorted(range(1, total + 1), key=lambda n: (f"{2010 + n // 100}-01-{1 + n % 28:02d}", n), reverse=True)]
    assert _listed(first) + _listed(second) + _listed(third) == newest_first
    assert "page=2" in first and "newer" not in first
    assert "page=1" in second and "page=3" in second
    assert "older" not in third
    assert _listed(beyond) == []
    assert f"Meetings and calls ({total})" in first
    # few meetings: listed from their ids, newest first, all on one page
    assert _listed(syria) == ["150", "50", "5"]
    assert _listed(person) == newest_first[:PERSON_MEETINGS]
    assert _listed(year) == [n for n in newest_first if 100 <= int(n) < 200]
    assert ">2011 (100)<" in year
    people = json.dumps(re.findall(r">(\w)</a> \((\d+)\)", first))
    assert people == json.dumps([["A", str(total)]])


def test_a_listing_export_streams_every_meeting_once_newest_first_across_its_chunks(tmp_path: Path) -> None:
    """Exports are read `EXPORT_MEETINGS` at a time, each chunk after the last meeting sent: meetings of one
    day on both sides of a chunk's end, and undated ones (listed last) more than a chunk of them."""
    path = tmp_path / "readouts.db"
    dated = EXPORT_MEETINGS + 3
    _paged_corpus(path, dated)
    with Store(path) as store:
        for number in range(dated + 1, dated + EXPORT_MEETINGS + 3):
            meet(store.db, number, None, "message", 1)
    days = {row["id"]: row["date"] for row in sqlite_utils.Database(path)["meetings"].rows}
    newest_first = sorted(days, key=lambda n: (days[n] is not None, days[n] or "", n), reverse=True)
    csv_export, json_export, person, year, empty = _pages(
        path, "/readouts/-/country/IR.csv", "/readouts/-/country/IR.json", "/readouts/-/person/1.json",
        "/readouts/-/country/RU.csv?year=2011", "/readouts/-/country/SY.json?year=1999",
    )
    rows = list(csv.DictReader(io.StringIO(csv_export)))
    assert [int(row["meeting_id"]) for row in rows] == newest_first
    assert rows[0]["counterparts"] == "C" and rows[0]["page"].endswith(f"/readouts/meetings/{newest_first[0]}")
    assert [row["meeting_id"] for row in json.loads(json_export)] == newest_first
    assert [row["meeting_id"] for row in json.loads(person)] == newest_first
    assert [int(row["meeting_id"]) for row in csv.DictReader(io.StringIO(year))] == [n for n in newest_first if 100 <= n < 200]
    assert json.loads(empty) == []


def test_whole_exports_of_readouts_stream_in_the_order_of_the_primary_key(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    with Store(path) as store:
        store.db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        # published in the opposite order from the ids: the table's own sort would put id 3 last
        store.db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "title": f"Summit {n}",
             "published": f"2020-01-0{n}", "text": f"The summit number {n} was held."}
            for n in (3, 2, 1)
        )
        store.db.execute("update readouts set published = '2020-01-0' || (4 - id)")
    streamed, whole, asked = _pages(
        path, "/readouts/readouts.csv?_search=summit&_stream=on", "/readouts/readouts.json?_size=max&_shape=array",
        "/readouts/readouts.csv?_search=summit&_stream=on&_sort_desc=published",
    )
    assert [line.split(",")[0] for line in streamed.splitlines()[1:]] == ["3", "2", "1"]
    assert [row["id"] for row in json.loads(whole)] == [3, 2, 1]
    assert [line.split(",")[0] for line in asked.splitlines()[1:]] == ["1", "2", "3"]  # a sort asked for is kept
    table = _pages(path, "/readouts/readouts.json?_shape=array")[0]
    assert [row["id"] for row in json.loads(table)] == [1, 2, 3]  # a page of the table keeps its sort


def _datasette(path: Path, plugin: bool, **settings: int) -> Datasette:
    if not plugin:
        return Datasette([str(path)], settings=settings)
    metadata = effective_metadata(path, REPO / "datasette-metadata.json", None)
    typed = {name: int(value) if value.isdigit() else value != "off" for name, value in SETTINGS.items()}
    return Datasette([str(path)], metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
                     settings={**typed, **settings})


def _get(datasette: Datasette, *paths: str) -> list[tuple[int, str, str]]:
    async def get() -> list[tuple[int, str, str]]:
        answers = []
        for page in paths:
            response = await datasette.client.get(page)
            answers.append((response.status_code, response.headers.get("content-type", ""), response.text))
        return answers

    return asyncio.run(get())


def _summits(path: Path, count: int, words: int = 5) -> None:
    with Store(path) as store:
        store.db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        store.db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "title": f"Readout {n}",
             "published": f"2020-01-{1 + n % 28:02d}",
             "text": ("The summit, \"number\" %d,\nwas held. " % n) * words if n % 3 else "Nothing of note."}
            for n in range(1, count + 1)
        )


def test_a_streamed_export_is_datasettes_own_csv_read_in_chunks_of_the_primary_key(tmp_path: Path) -> None:
    """The plugin streams the readouts' CSV a page of `max_returned_rows` at a time, each chunk a range of ids:
    the same bytes as Datasette's own stream sorted by id descending, whatever the chunk size."""
    path = tmp_path / "readouts.db"
    _summits(path, 23)
    asks = [
        "/readouts/readouts.csv?_search=summit&_stream=on",
        "/readouts/readouts.csv?_stream=on&_col=title&_col=published",
        "/readouts/readouts.csv?_stream=on&source=site&_header=off",
        "/readouts/readouts.csv?_stream=on&_search=nowhere",
        "/readouts/readouts.csv?_stream=on&_size=max",
    ]
    ours = _get(_datasette(path, True, max_returned_rows=5), *asks, "/readouts/readouts.csv?_stream=on&_dl=1")
    plain = _get(_datasette(path, False), *(f"{ask}&_sort_desc=id" for ask in asks), "/readouts/readouts.csv?_stream=on&_dl=1&_sort_desc=id")
    assert [status for status, _, _ in ours] == [200] * 6
    assert [text for _, _, text in ours] == [text for _, _, text in plain]
    assert [kind for _, kind, _ in ours] == [kind for _, kind, _ in plain]
    found = [line.split(",")[0] for line in ours[0][2].split("\r\n")[1:] if line[:1].isdigit()]
    assert found == [str(n) for n in range(23, 0, -1) if n % 3]
    assert ours[1][2].startswith("id,title,published\r\n")  # the key comes along, as in Datasette's own CSV
    # labels, as the metadata names them, in chunks of 5 as in one answer of every row
    [(_, _, chunked)] = _get(_datasette(path, True, max_returned_rows=5), "/readouts/readouts.csv?_stream=on&_labels=on")
    [(_, _, whole)] = _get(_datasette(path, True), "/readouts/readouts.csv?_size=max&_labels=on&_sort_desc=id")
    assert chunked == whole and "source_label" in whole


def test_a_streamed_search_reads_its_chunks_down_the_index_and_gives_datasettes_rows(tmp_path: Path) -> None:
    """A search's chunks are read from the search index below the last id sent, not by matching the whole search
    again: the file is still Datasette's own, whatever the filters leave of a chunk's matches, where the last
    chunk ends, or how the search is to be read."""
    path = tmp_path / "readouts.db"
    _summits(path, 40)  # 27 of them mention the summit
    with Store(path) as store:
        store.db.execute("update readouts set source = null where id % 4 = 0")  # a filter leaves some chunks short
    asks = [
        "/readouts/readouts.csv?_search=summit&_stream=on&source=site",
        "/readouts/readouts.csv?_search=summit&_stream=on&source__isnull=1",  # chunks that keep two of five
        "/readouts/readouts.csv?_search=summit&_stream=on&_col=title",
        "/readouts/readouts.csv?_search=summit%20held&_stream=on&_searchmode=raw",
        '/readouts/readouts.csv?_search="number 8"&_stream=on',
    ]
    for chunk in (5, 9, 27, 1000):  # 9 and 27: the last chunk full, nothing after it
        ours = _get(_datasette(path, True, max_returned_rows=chunk), *asks)
        plain = _get(_datasette(path, False), *(f"{ask}&_sort_desc=id" for ask in asks))
        assert [status for status, _, _ in ours] == [200] * len(asks)
        assert [text for _, _, text in ours] == [text for _, _, text in plain], chunk
    statements: list[str] = []

    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(statements.append)

    traced = types.ModuleType("traced")  # a plugin as Datasette registers them: a module of hooks
    setattr(traced, "prepare_connection", hookimpl(prepare_connection))
    pm.register(traced, name="traced")
    try:
        [(_, _, every)] = _get(_datasette(path, True, max_returned_rows=5), asks[2])
    finally:
        pm.unregister(name="traced")
    assert len(every.splitlines()) == 1 + 27 and every.splitlines()[1] == "40,Readout 40"
    whole_search = [sql for sql in statements if "in (select rowid from [readouts_fts]" in sql]
    chunked = [sql for sql in statements if "from readouts_fts where readouts_fts match" in sql and "rowid <" in sql]
    assert not whole_search and len(chunked) == 5  # six chunks: the first unbounded, then five below an id
    # a raw search the index cannot read: Datasette's own error, not an empty file
    bad = "/readouts/readouts.csv?_search=summit%20AND&_stream=on&_searchmode=raw"
    [(status, _, _)] = _get(_datasette(path, True, max_returned_rows=5), bad)
    [(plain_status, _, _)] = _get(_datasette(path, False), bad)
    assert status == plain_status != 200


def test_a_streamed_export_stops_at_the_csv_size_limit_as_datasettes_does(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _summits(path, 60, words=2000)  # about 60 kB a readout that mentions a summit: 2.4 MB in all
    ask = "/readouts/readouts.csv?_stream=on"
    [(status, _, ours)] = _get(_datasette(path, True, max_returned_rows=7, max_csv_mb=1), ask)
    [(_, _, plain)] = _get(_datasette(path, False, max_csv_mb=1), ask + "&_sort_desc=id")
    assert status == 200
    assert ours == plain
    assert ours.endswith(f"CSV contains more than {1024 * 1024} bytes")


def test_a_streamed_export_that_asks_for_an_order_is_left_to_datasette(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    _summits(path, 12)
    ours = _get(_datasette(path, True), "/readouts/readouts.csv?_stream=on&_sort=published")
    plain = _get(_datasette(path, False), "/readouts/readouts.csv?_stream=on&_sort=published")
    assert [text for _, _, text in ours] == [text for _, _, text in plain]


def test_a_streamed_export_of_a_range_of_ids_holds_every_row_of_the_range(tmp_path: Path) -> None:
    """Datasette 0.65's own stream of `id__lte=30` over readouts some of which have no source ended after its first
    chunk; the chunks keep the range beside their bounds."""
    path = tmp_path / "readouts.db"
    _summits(path, 40)
    with Store(path) as store:
        store.db.execute("update readouts set source = null where id % 4 = 0")
    asks = [
        "/readouts/readouts.csv?_stream=on&id__lte=30",
        "/readouts/readouts.csv?_stream=on&id__gt=6&id__lt=33",
        "/readouts/readouts.csv?_stream=on&_search=summit&id__lte=30",
        "/readouts/readouts.csv?_stream=on&id__in=3,9,12,27,31",
    ]
    ours = _get(_datasette(path, True, max_returned_rows=5), *asks)
    whole = _get(_datasette(path, False), *(f"{ask}&_sort_desc=id" for ask in asks))  # one chunk holds them all
    assert [text for _, _, text in ours] == [text for _, _, text in whole]
    assert len([line for line in ours[0][2].split("\r\n") if line[:1].isdigit() and "," in line[:4]]) == 30


def _participant_counts(db: sqlite_utils.Database) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(kept, recounted): readouts and unique readouts by meetings.participants, as the store keeps them and from the rows."""
    kept = {r["participants"]: (r["readouts"], r["unique_readouts"]) for r in db["participant_readouts"].rows if r["readouts"]}
    recounted = {
        participants: (total, unique) for participants, total, unique in db.execute(
            "select coalesce(m.participants, '[]'), count(*), count(*) - count(r.duplicate_of)"
            " from readouts r join meetings m on m.id = r.meeting_id group by 1"
        ).fetchall()
    }
    return kept, recounted


def test_readouts_by_participants_follow_every_change_of_readouts_and_meetings(tmp_path: Path) -> None:
    with Store(tmp_path / "readouts.db") as store:
        db = store.db
        db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        ab, ac = json.dumps(["A", "B"]), json.dumps(["A", "C"])
        db.table("meetings").insert_all([{"id": 1, "participants": ab, "title": "1"}, {"id": 2, "participants": ac, "title": "2"},
                                   {"id": 3, "participants": ab, "title": "3"}])
        db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "meeting_id": n % 4 or None,
             "duplicate_of": 1 if n > 6 else None}
            for n in range(1, 12)
        )
        kept, recounted = _participant_counts(db)
        assert kept == recounted and kept[ab] == (6, 3)
        steps = [
            "update readouts set duplicate_of = null where id = 7",
            "update readouts set duplicate_of = 2 where id = 1",
            "update readouts set meeting_id = 2 where id = 3",
            "update readouts set meeting_id = null where id = 5",
            "delete from readouts where id = 6",
            "update meetings set participants = '[\"B\"]' where id = 3",
            "update meetings set title = 'renamed', participants = participants where id = 1",
            "insert into meetings (id, participants, title) values (9, '[\"C\"]', '9')",
            "update meetings set id = 10 where id = 9",
            "update readouts set meeting_id = 10 where id = 4",
            "update meetings set participants = null where id = 2",
            "update readouts set meeting_id = 3 where meeting_id = 1",
            "delete from meetings where id = 1",
            "delete from readouts",
        ]
        for step in steps:
            db.execute(step)
            kept, recounted = _participant_counts(db)
            assert kept == recounted, step
        assert kept == {}


def _facets(datasette: Datasette, page: str) -> dict[str, list[tuple[str, int]]]:
    [(status, _, text)] = _get(datasette, page)
    assert status == 200, text
    results = json.loads(text)["facet_results"]
    return {name: [(value["value"], value["count"]) for value in results[name]["results"]] for name in ("participant", "country")}


def test_the_people_facets_of_the_whole_table_read_the_kept_counts_and_agree_with_counting(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    with Store(path) as store:
        db = store.db
        db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        db.table("people").insert_all([{"id": 1, "name": "A", "country": "IR"}, {"id": 2, "name": "B", "country": "IR"},
                                 {"id": 3, "name": "C", "country": "RU"}])
        db.table("meetings").insert_all([{"id": m, "participants": json.dumps(names), "title": str(m)}
                                   for m, names in ((1, ["A", "B"]), (2, ["A", "C"]), (3, ["C"]))])
        db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "meeting_id": n % 4 or None,
             "duplicate_of": 1 if n % 5 == 0 else None}
            for n in range(1, 30)
        )
    datasette = _datasette(path, True)
    for kept, counted in [
        ("/readouts/readouts.json?duplicate_of__isnull=1", "/readouts/readouts.json?duplicate_of__isnull=1&id__gt=0"),
        ("/readouts/readouts.json", "/readouts/readouts.json?id__gt=0"),
    ]:
        assert _facets(datasette, kept) == _facets(datasette, counted)
    assert _facets(datasette, "/readouts/readouts.json?duplicate_of__isnull=1")["country"] == [("IR", 12), ("RU", 12)]
    with sqlite_utils.Database(path) as db:
        db.execute("update participant_readouts set unique_readouts = 1000")  # the kept counts are what answers
    assert _facets(datasette, "/readouts/readouts.json?duplicate_of__isnull=1")["participant"][0] == ("A", 2000)


def _column_counts(db: sqlite_utils.Database) -> tuple[dict[tuple[str, str], tuple[int, int]], dict[tuple[str, str], tuple[int, int]]]:
    """(kept, recounted): readouts and unique readouts by source, kind and year, as the store keeps them and from the rows."""
    kept = {(r["facet"], r["value"]): (r["readouts"], r["unique_readouts"]) for r in db["column_readouts"].rows if r["readouts"]}
    recounted = {}
    for column in ("source", "kind", "year"):
        for value, total, unique in db.execute(
            f"select {column}, count(*), count(*) - count(duplicate_of) from readouts where {column} is not null group by 1"
        ).fetchall():
            recounted[(column, value)] = (total, unique)
    return kept, recounted


def test_readouts_by_source_kind_and_year_follow_every_change_of_readouts(tmp_path: Path) -> None:
    with Store(tmp_path / "readouts.db") as store:
        db = store.db
        db.table("sources").insert_all([{"name": name, "title": name, "home": f"https://{name}.example/", "language": "en"}
                                  for name in ("site", "other")])
        db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "published": f"20{10 + n % 3}-05-0{1 + n % 5}",
             "kind": ("meeting", "call", None, "")[n % 4], "duplicate_of": 1 if n > 6 else None}
            for n in range(1, 12)
        )
        kept, recounted = _column_counts(db)
        assert kept == recounted and kept[("source", "site")] == (11, 6) and ("kind", "") in kept
        steps = [
            "update readouts set duplicate_of = null where id = 7",
            "update readouts set duplicate_of = 2 where id = 1",
            "update readouts set source = 'other' where id = 3",
            "update readouts set kind = 'visit', published = '2031-01-01' where id = 4",
            "update readouts set published = null where id = 5",
            "update readouts set kind = null where id = 6",
            "update readouts set title = 'renamed', kind = kind, published = published where id = 8",
            "delete from readouts where id = 9",
            "insert into readouts (id, source, url, published, kind) values (20, 'other', 'https://other.example/20', '1999', 'call')",
            "update readouts set source = 'site', duplicate_of = 20 where source = 'other'",
            "delete from readouts",
        ]
        for step in steps:
            db.execute(step)
            kept, recounted = _column_counts(db)
            assert kept == recounted, step
        assert kept == {}


def _column_facets(datasette: Datasette, page: str) -> dict[str, Any]:
    [(status, _, text)] = _get(datasette, page)
    assert status == 200, text
    results = json.loads(text)["facet_results"]
    return {name: {key: value for key, value in facet.items() if key != "toggle_url"} | {
        "results": [{k: v for k, v in row.items() if k != "toggle_url"} for row in facet["results"]]}
        for name, facet in results.items()}


def test_the_column_facets_of_the_whole_table_read_the_kept_counts_and_agree_with_counting(tmp_path: Path) -> None:
    path = tmp_path / "readouts.db"
    with Store(path) as store:
        db = store.db
        db.table("sources").insert_all([{"name": name, "title": f"The {name}", "home": f"https://{name}.example/", "language": "en"}
                                  for name in ("site", "other")])
        db.table("readouts").insert_all(
            {"id": n, "source": ("site", "other")[n % 3 == 0], "url": f"https://site.example/{n}",
             "published": None if n == 4 else f"20{10 + n % 4}-01-01", "kind": ("meeting", "call", None, "")[n % 4],
             "duplicate_of": 1 if n % 5 == 0 else None}
            for n in range(1, 40)
        )
    datasette = _datasette(path, True)
    for kept, counted in [
        ("/readouts/readouts.json?duplicate_of__isnull=1", "/readouts/readouts.json?duplicate_of__isnull=1&id__gt=0"),
        ("/readouts/readouts.json", "/readouts/readouts.json?id__gt=0"),
        ("/readouts/readouts.json?duplicate_of__isnull=1&_facet=language&_facet_size=2",
         "/readouts/readouts.json?duplicate_of__isnull=1&id__gt=0&_facet=language&_facet_size=2"),
    ]:
        ours, theirs = _column_facets(datasette, kept), _column_facets(datasette, counted)
        assert ours == theirs and {"source", "kind", "year"} <= set(ours)
    opening = _column_facets(datasette, "/readouts/readouts.json?duplicate_of__isnull=1")
    assert opening["source"]["results"][0]["label"] == "The site" and opening["source"]["type"] == "column"
    with sqlite_utils.Database(path) as db:
        db.execute("update column_readouts set unique_readouts = 1000 where facet = 'kind' and value = 'call'")
    assert _column_facets(datasette, "/readouts/readouts.json?duplicate_of__isnull=1")["kind"]["results"][0]["count"] == 1000


def test_a_streamed_export_answers_what_the_reader_may_see(tmp_path: Path) -> None:
    """The chunks are asked with the reader's cookies: a table only some actors may read streams for them alone."""
    path = tmp_path / "readouts.db"
    _summits(path, 12)
    metadata = effective_metadata(path, REPO / "datasette-metadata.json", None)
    metadata["databases"]["readouts"]["tables"]["readouts"]["allow"] = {"id": "reader"}
    typed = {name: int(value) if value.isdigit() else value != "off" for name, value in SETTINGS.items()}
    datasette = Datasette([str(path)], metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
                          settings={**typed, "max_returned_rows": 5})

    async def get() -> tuple[tuple[int, str], tuple[int, str]]:
        page = "/readouts/readouts.csv?_stream=on"
        reader = await datasette.client.get(page, cookies={"ds_actor": datasette.sign({"a": {"id": "reader"}}, "actor")})
        anyone = await datasette.client.get(page)
        return (reader.status_code, reader.text), (anyone.status_code, anyone.text)

    (status, text), (refused, _) = asyncio.run(get())
    assert status == 200 and len([line for line in text.split("\r\n") if line[:1].isdigit()]) == 12
    assert refused == 403


def test_a_page_of_search_results_ranks_the_best_matches_then_drops_their_copies_as_the_full_ranking_does(
    tmp_path: Path,
) -> None:
    """Pages of unique results come from the best matches of all less their copies: the same ids, in the same
    order (BM25, then id), as ranking every match with the copies left out, however many copies lead."""
    from harvester.search import Search

    path = tmp_path / "readouts.db"
    with Store(path) as store:
        store.db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        # the most relevant are copies (the word more often), the rest alike: ties broken by id
        store.db.table("readouts").insert_all(
            {"id": n, "source": "site", "url": f"https://site.example/{n}", "title": f"Readout {n}",
             "text": " ".join(["summit"] * (6 if n <= 70 else 1 + n % 3) + ["talks"] * 20),
             "duplicate_of": 100 if n <= 70 or n % 4 == 0 else None}
            for n in range(1, 301)
        )
    datasette = Datasette([str(path)])

    async def pages(search: Search, size: int) -> tuple[list[int], list[int]]:
        paged: list[int] = []
        for page in range(0, 400 // size):
            paged += await search.ids(datasette, "readouts", size, page * size)
        return paged, await search.ids(datasette, "readouts")

    for size in (1, 7, 20, 50):
        paged, whole = asyncio.run(pages(Search.from_args({"q": "summit"}), size))
        assert paged == whole and len(whole) == 300 - 70 - 58
    paged, whole = asyncio.run(pages(Search.from_args({"q": "summit", "duplicates": "1"}), 20))
    assert paged == whole and len(whole) == 300
