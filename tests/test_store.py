"""The corpus has one owner: migrations, the identity step on every text change, archives, shared pacing."""

from __future__ import annotations

import asyncio
import gzip
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from harvester.archive import read_response
from harvester.config import load_config
from harvester.data import shipped
from harvester.daemon import Daemon
from harvester.dedupe import content_hash, words
from harvester.harvest import fetch_once, harvest_once
from harvester.meetings import load_gazetteer
from harvester.store import Store, WalkPosition
from harvester.store.linking import MeetingLinks, settle_person
from harvester.store.schema import LATEST, version
from harvester.walk import BROKEN, CAUGHT_UP, END, ListingWalk
from tests.conftest import Site, invoke_harvester, write_site_config
from tests.faultserver import FaultSite, write_config

DATA = Path(__file__).parent / "data"


def identity_rows(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as db:
        readouts = db.execute(
            "select id, text, content_hash, duplicate_of, duplicate_kind, similarity, meeting_id from readouts order by id"
        ).fetchall()
        meetings = db.execute("select * from meetings order by id").fetchall()
        shingles = db.execute("select count(*) from dedupe_shingles").fetchall()
    return [*readouts, *meetings, *shingles]


def assert_hashes_follow_texts(database: Path) -> None:
    with sqlite3.connect(database) as db:
        rows = db.execute("select text, content_hash from readouts").fetchall()
    assert rows
    for text, digest in rows:
        assert digest == content_hash(words(text or ""))


# --- migrations -----------------------------------------------------------------------


def test_a_corpus_written_by_release_0_1_is_upgraded_in_place(tmp_path: Path) -> None:
    # tests/data/corpus-0.1.db.gz: the demo harvest of the five replicas, written by release 0.1
    database = tmp_path / "readouts.db"
    database.write_bytes(gzip.decompress((DATA / "corpus-0.1.db.gz").read_bytes()))
    with sqlite3.connect(database) as db:
        assert db.execute("pragma user_version").fetchone() == (0,)
        before = db.execute("select id, url, title, text, content_hash, meeting_id from readouts order by id").fetchall()
        meetings = db.execute("select * from meetings order by id").fetchall()
    assert len(before) == 27 and len(meetings) == 8

    with Store(database) as store:
        assert version(store.db) == LATEST
        # what was stored is all there, and the operations added since work on it
        assert store.position("leader-ir", "https://example.org/") is None
        store.set_position("leader-ir", "https://example.org/", WalkPosition("https://example.org/?page=2", 2))
    with sqlite3.connect(database) as db:
        assert db.execute("select id, url, title, text, content_hash, meeting_id from readouts order by id").fetchall() == before
        # release 0.1's meetings were all meetings; they gain their kind and nothing else
        assert db.execute("select id, date, place, participants, title from meetings order by id").fetchall() == meetings
        assert db.execute("select distinct kind from meetings").fetchall() == [("meeting",)]
    with Store(database) as store:
        counts = store.recompute_identity()
    # read again by today's meeting step: calls become events of their own kind, an arrival report that
    # says the leaders met reports their meeting, and a side named by office alone takes part
    assert sum(v for k, v in counts.items() if k != "meetings") == 27
    with sqlite3.connect(database) as db:
        kinds = dict(db.execute("select kind, count(*) from meetings group by kind").fetchall())
        assert kinds == {"meeting": 10, "call": 4}  # the Caspian delegation is no person
        assert db.execute("select count(*) from meeting_people").fetchone()[0] >= 2 * counts["meetings"]
        assert db.execute("select count(*) from readouts_fts where readouts_fts match 'Assad'").fetchone()[0] >= 1
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    # opening it again applies nothing
    with Store(database) as store:
        assert version(store.db) == LATEST


def test_a_corpus_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "readouts.db"
    with sqlite3.connect(database) as db:
        db.execute(f"pragma user_version = {LATEST + 1}")
    with pytest.raises(Exception, match="newer than this release knows"):
        Store(database)


# --- the identity step runs on every change of a text -------------------------------------

TEMPLATE = ["Font Size", "Select Page"]
PROSE = {
    1: "The president received the visiting foreign minister in the capital and discussed energy and trade. "
    "Officials said the customs protocol would be signed before the end of the year.",
    2: "A delegation of parliamentarians arrived in the port city for a conference on fisheries. "
    "Its chairman told reporters that quotas for the coming season remained in dispute.",
    3: "The central bank governor met commercial lenders to review rules on foreign currency accounts. "
    "Analysts expect the new limits to take effect in the spring after a consultation.",
}


def page(n: int, *, template: bool = True) -> str:
    paragraphs = (TEMPLATE if template else []) + PROSE[n].split(". ")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><h1>Readout {n}</h1><div class='body'>{body}</div></body></html>"


def test_template_learning_then_an_exact_copy_is_detected(tmp_path: Path) -> None:
    alpha, beta = Site(tmp_path / "sites", "alpha"), Site(tmp_path / "sites", "beta")
    try:
        for n in range(1, 4):
            alpha.put(f"/news/{n}", page(n))  # the template blocks become template on the third page
        beta.put("/news/1", page(1, template=False))  # a syndicated copy of alpha's first readout
        settings = 'database = "corpus/readouts.db"\n[http]\ndelay = 0.0\nallow_private = true\n'
        config = load_config(write_site_config(tmp_path, {"alpha": alpha.server.origin}, settings))
        fetch_once(config)
        config = load_config(
            write_site_config(tmp_path, {"alpha": alpha.server.origin, "beta": beta.server.origin}, settings)
        )
        fetch_once(config, source_names=["beta"])
    finally:
        alpha.server.stop()
        beta.server.stop()
    database = tmp_path / "corpus" / "readouts.db"
    assert_hashes_follow_texts(database)
    with sqlite3.connect(database) as db:
        rows = {
            f"{source}{url[-2:]}": row
            for source, url, *row in db.execute("select source, url, id, text, duplicate_of, duplicate_kind from readouts")
        }
    original = rows["alpha/1"]
    assert "Font Size" not in original[1] and original[1].startswith("The president received")
    assert rows["beta/1"][2:] == [original[0], "exact"]


def test_reextract_then_dedupe_changes_nothing(tmp_path: Path) -> None:
    with FaultSite(articles=6, per_page=10) as site:
        config = write_config(tmp_path, {"site": site})
        assert invoke_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
    database = tmp_path / "corpus" / "readouts.db"
    # every article says the same but its title: one original and five near-copies
    before = identity_rows(database)
    source = config / "sources" / "site.toml"
    source.write_text(source.read_text().replace('body = "div.body"', 'body = "div.body p:first-child"'))
    result = invoke_harvester("reextract", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["site", "6", "6", "0"]
    reextracted = identity_rows(database)
    assert reextracted != before
    assert_hashes_follow_texts(database)
    result = invoke_harvester("dedupe", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("6 readouts:")
    assert identity_rows(database) == reextracted


# --- failures, archives, pacing ----------------------------------------------------------------


def test_a_listing_url_that_recovers_leaves_failures(tmp_path: Path) -> None:
    with FaultSite(articles=3, per_page=10) as site:
        site.fault("/news", "status", times=2, status=500)  # one run's tries (retries = 2 means 2 attempts)
        config = write_config(tmp_path, {"site": site}, retries=1)
        invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
        database = tmp_path / "corpus" / "readouts.db"
        with sqlite3.connect(database) as db:
            assert db.execute("select url from failures").fetchall() == [(site.url("/news"),)]
        site.faults.clear()
        result = invoke_harvester("fetch", "once", "--config", str(config), "--quiet")
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("select count(*) from readouts").fetchone() == (3,)
        assert db.execute("select url from failures").fetchall() == []


def test_concurrent_harvests_each_read_back_their_own_archive_records(tmp_path: Path) -> None:
    with FaultSite(articles=4, per_page=10) as one, FaultSite(articles=4, per_page=10) as two:
        config = load_config(write_config(tmp_path, {"one": one, "two": two}))

        async def both() -> None:
            # two harvests in one process, started in the same second, as at daemon start-up
            await asyncio.gather(harvest_once(config, source_names=["one"]), harvest_once(config, source_names=["two"]))

        asyncio.run(both())
    archive = config.settings.archive
    assert len(list(archive.rglob("*.warc.gz"))) == 2
    with sqlite3.connect(config.settings.database) as db:
        pages = db.execute("select final_url, archive from pages").fetchall()
    assert len(pages) == 10  # a listing and four readouts each
    for url, location in pages:
        assert read_response(archive, location).url == url


def test_two_sources_on_one_host_keep_its_delay_under_the_daemon(tmp_path: Path) -> None:
    delay = 0.3
    with FaultSite(articles=4, per_page=10) as site:
        config = load_config(write_config(tmp_path, {"a": site, "b": site}, delay=delay))
        daemon = Daemon(config)
        daemon.start()  # neither source was ever harvested: both run at once
        try:
            deadline = time.monotonic() + 60
            finished: list[tuple[str]] = []
            while len(finished) < 2 and time.monotonic() < deadline:
                with sqlite3.connect(config.settings.database) as db:
                    finished = db.execute("select source from runs where finished is not null").fetchall()
                threading.Event().wait(0.05)
            assert sorted(finished) == [("a",), ("b",)]
        finally:
            daemon.shutdown()
    times = sorted(moment for moment, _, _ in site.log)
    assert len(times) >= 6  # robots.txt, each source's listing, the readouts once
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert min(gaps) >= delay * 0.95, gaps


# --- the walk, as plain logic --------------------------------------------------------------


def test_the_walk_reads_new_pages_first_then_resumes_the_backfill() -> None:
    saved = WalkPosition("/list?page=7", 7)
    walk = ListingWalk("/list", saved, max_pages=10)
    assert walk.next() == WalkPosition("/list", 1) and walk.checkpoint() == WalkPosition("/list", 1)
    walk.read(links=10, new=10, next_url="/list?page=2")
    assert walk.next() == WalkPosition("/list?page=2", 2)
    walk.read(links=10, new=0, next_url="/list?page=3")  # caught up with the corpus: the backfill follows
    assert walk.backfilling and walk.next() == saved and walk.checkpoint() == saved
    walk.read(links=10, new=3, next_url="/list?page=8")
    assert walk.checkpoint() == WalkPosition("/list?page=8", 8)
    walk.read(links=0, new=0, next_url=None)
    assert walk.outcome == END and walk.next() is None and walk.resume_at() is None


def test_the_walk_keeps_a_deeper_resume_point_until_it_passes_it() -> None:
    walk = ListingWalk("/list", WalkPosition("/list?page=3", 3), max_pages=10)
    walk.read(links=5, new=5, next_url="/list?page=2")
    assert walk.checkpoint() == WalkPosition("/list?page=2", 2)
    walk.read(links=5, new=5, next_url="/list?page=3")
    assert walk.checkpoint() == WalkPosition("/list?page=3", 3)
    walk.broken()
    assert walk.outcome == BROKEN and walk.next() is None


def test_the_walk_stops_when_caught_up_and_the_backfill_is_past_max_pages() -> None:
    saved = WalkPosition("/list?page=12", 12)
    walk = ListingWalk("/list", saved, max_pages=10)
    walk.read(links=5, new=0, next_url="/list?page=2")
    assert walk.outcome == CAUGHT_UP and walk.resume_at() == saved
    fresh = ListingWalk("/list", None, max_pages=10)
    fresh.read(links=5, new=0, next_url="/list?page=2")
    assert fresh.outcome == CAUGHT_UP and fresh.resume_at() is None


def test_the_search_index_follows_searched_columns_and_ignores_the_others(tmp_path: Path) -> None:
    """The update trigger fires only for the columns the index holds: identity writes cost no re-index,
    and a changed text is still found by its new words, not its old ones."""
    with FaultSite(articles=3, per_page=20) as site:
        config = write_config(tmp_path, {"site": site}, delay=0.0)
        assert fetch_once(load_config(config))[0].status == "ok"
    with Store(tmp_path / "corpus" / "readouts.db") as store:
        db = store.db
        trigger = db.execute("select sql from sqlite_master where name = 'readouts_au'").fetchone()[0]
        assert "after update of [title], [lead], [text], [search_keys] on [readouts]" in trigger
        readout_id = db.execute("select id from readouts order by id limit 1").fetchone()[0]
        with db.atomic():
            db.execute("update readouts set content_hash = 'x', slug = 'y' where id = ?", [readout_id])
            db.execute("update readouts set text = 'zanzibarish words only' where id = ?", [readout_id])
        found = db.execute("select rowid from readouts_fts where readouts_fts match 'zanzibarish'").fetchall()
        assert found == [(readout_id,)]
        db.execute("insert into readouts_fts (readouts_fts) values ('integrity-check')")


def test_a_person_still_in_a_meeting_whose_readouts_have_no_reading_is_kept(tmp_path: Path) -> None:
    """Copies take their original's meeting without a reading of their own: settling a person of a meeting
    only copies report must not remove someone the meeting still lists (it failed the foreign key)."""
    with Store(tmp_path / "readouts.db") as store:
        db = store.db
        db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        db.table("people").insert_all([{"id": 1, "name": "Ana Lindqvist", "country": "SE"}, {"id": 2, "name": "Gone"}])
        db.table("meetings").insert({"id": 7, "date": "2024-03-02", "kind": "meeting", "title": "m", "participants": "[]"})
        db.table("meeting_people").insert({"meeting_id": 7, "person_id": 1})
        db.table("readouts").insert({"id": 1, "source": "site", "url": "https://site.example/1", "title": "A copy",
                                     "text": "Copied text.", "meeting_id": 7, "reading": None})
        gazetteer = load_gazetteer(shipped("people.toml"))
        assert settle_person(db.conn, gazetteer, 1) is None
        assert settle_person(db.conn, gazetteer, 2) is None
        assert [row["id"] for row in db["people"].rows] == [1]  # the one in no meeting is removed, not the other


def test_copies_follow_their_original_out_of_a_meeting(tmp_path: Path) -> None:
    """When the original leaves its meeting (read again, another event), its copies leave with it, and a meeting
    that only they reported is gone with its people: as a recomputation from scratch would have it."""
    with Store(tmp_path / "readouts.db") as store:
        db = store.db
        db.table("sources").insert({"name": "site", "title": "Site", "home": "https://site.example/", "language": "en"})
        db.table("people").insert({"id": 1, "name": "Ana Lindqvist", "country": "SE"})
        db.table("meetings").insert_all([
            {"id": 7, "date": "2024-03-02", "kind": "meeting", "title": "m", "participants": "[]"},
            {"id": 8, "date": "2024-05-01", "kind": "call", "title": "n", "participants": "[]"},
        ])
        db.table("meeting_people").insert({"meeting_id": 7, "person_id": 1})
        db.table("readouts").insert_all([
            {"id": 1, "source": "site", "url": "https://site.example/1", "title": "Original", "text": "Text.", "meeting_id": 7},
            {"id": 2, "source": "site", "url": "https://site.example/2", "title": "Copy", "text": "Text.", "meeting_id": 7,
             "duplicate_of": 1},
            {"id": 3, "source": "site", "url": "https://site.example/3", "title": "Other", "text": "Other.", "meeting_id": 8},
        ])
        links = MeetingLinks(db.conn, load_gazetteer(shipped("people.toml")))
        with links.settling():
            links._assign(1, 8)
        assert {row["id"]: row["meeting_id"] for row in db["readouts"].rows} == {1: 8, 2: 8, 3: 8}
        assert [row["id"] for row in db["meetings"].rows] == [8]
        assert list(db["meeting_people"].rows) == [] and list(db["people"].rows) == []
