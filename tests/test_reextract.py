"""`harvester reextract`: today's extraction rules applied to the archive, with the sites gone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester.config import load_config
from harvester.harvest import fetch_once
from harvester.reextract import reextract
from tests.conftest import Site, invoke_harvester, write_site_config
from tests.faultserver import FaultSite, write_config
from tests.test_dedupe import edited, page, readout_text


def test_reextract_rebuilds_readouts_from_the_archive_without_the_network(tmp_path: Path) -> None:
    with FaultSite(articles=5, per_page=10) as site:
        config = write_config(tmp_path, {"site": site})
        assert invoke_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
        requests = sum(site.requests.values())
    database = tmp_path / "corpus" / "readouts.db"
    with sqlite3.connect(database) as db:
        before = dict(db.execute("select url, text from readouts"))
        assert all("agreed to meet again" in text for text in before.values())
        # one readout whose archived page has gone missing
        lost = db.execute("select id, url from readouts order by id limit 1").fetchone()
        db.execute("update pages set archive = 'gone.warc.gz#0' where id = (select page_id from readouts where id = ?)", [lost[0]])

    # today's rule: the body is the first paragraph only (the site is down: no server runs now)
    source = config / "sources" / "site.toml"
    source.write_text(source.read_text().replace('body = "div.body"', 'body = "div.body p:first-child"'))
    result = invoke_harvester("reextract", "--config", str(config), "--source", "site")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["site", "5", "4", "1"]  # readouts, changed, kept
    assert f"kept {lost[1]}: archived page unreadable" in result.stderr

    with sqlite3.connect(database) as db:
        after = dict(db.execute("select url, text from readouts"))
        assert after[lost[1]] == before[lost[1]]
        for url, text in after.items():
            if url != lost[1]:
                assert text.startswith("Meeting") and "agreed to meet again" not in text
        # the search index follows the rows
        hits = db.execute("select count(*) from readouts_fts where readouts_fts match '\"agreed to meet\"'").fetchone()
        assert hits == (1,)
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    assert requests == sum(site.requests.values())


def test_reextract_repairs_mojibake_from_the_archive(tmp_path: Path) -> None:
    """A readout an older release stored as mojibake (UTF-8 Persian read by its ISO-8859-1 label) is repaired."""
    persian = "رئیس‌جمهور در تهران با وزیر امور خارجه روسیه دیدار و درباره همکاری‌های اقتصادی گفتگو کرد."
    html = f"<html><head><meta charset='iso-8859-1'></head><body><h1>دیدار در تهران</h1><div class='body'><p>{persian}</p></div></body></html>"
    with FaultSite(articles=2, per_page=10) as site:
        site.fault("/news/90", "body", body=html.encode("utf-8"), content_type="text/html; charset=ISO-8859-1")
        config = write_config(tmp_path, {"site": site})
        assert invoke_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
        url = site.url("/news/90")
    database = tmp_path / "corpus" / "readouts.db"
    with sqlite3.connect(database) as db:
        assert db.execute("select text from readouts where url = ?", [url]).fetchone() == (persian,)
        mojibake = persian.encode("utf-8").decode("cp1252", "replace")
        db.execute("update readouts set text = ? where url = ?", [mojibake, url])

    result = invoke_harvester("reextract", "--config", str(config), "--source", "site")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("select text from readouts where url = ?", [url]).fetchone() == (persian,)


def test_reextract_of_several_sources_leaves_identity_as_dedupe_would_make_it(tmp_path: Path) -> None:
    with FaultSite(articles=4, per_page=10) as first, FaultSite(articles=3, per_page=10) as second:
        config = write_config(tmp_path, {"first": first, "second": second})
        assert invoke_harvester("fetch", "once", "--config", str(config), "--quiet").returncode == 0
    for name in ("first", "second"):
        source = config / "sources" / f"{name}.toml"
        source.write_text(source.read_text().replace('body = "div.body"', 'body = "div.body p:first-child"'))
    result = invoke_harvester("reextract", "--config", str(config))
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert rows == [["first", "4", "4", "0"], ["second", "3", "3", "0"]]  # each source's own counts

    database = tmp_path / "corpus" / "readouts.db"
    identity = "select id, content_hash, duplicate_of, meeting_id, kind from readouts order by id"
    with sqlite3.connect(database) as db:
        after_reextract = db.execute(identity).fetchall()
        assert all("agreed to meet again" not in text for (text,) in db.execute("select text from readouts"))
    assert invoke_harvester("dedupe", "--config", str(config)).returncode == 0
    with sqlite3.connect(database) as db:
        assert db.execute(identity).fetchall() == after_reextract


# --- identity after re-extraction: what a recomputation from scratch gives ---------------------------

LEADS = [
    "Vladimir Putin met Ebrahim Raisi in Tehran on July 19, 2022.",
    "Ali Khamenei received Bashar al-Assad in Tehran on May 8, 2022.",
    "Dmitry Medvedev met Hassan Rouhani in Moscow on March 28, 2017.",
    "Vladimir Putin held talks with Bashar al-Assad in Sochi on May 17, 2018.",
]
NAVIGATION = "Home | News | Photos | Contact us"


def meeting_report(lead: str, seed: int) -> str:
    """A readout of the meeting `lead` names: the lead, then paragraphs of its own."""
    return "\n\n".join([lead, *readout_text(seed, paragraphs=4).split("\n\n")])


def navigated_page(title: str, text: str) -> str:
    """A readout page whose body opens with a navigation line, which yesterday's rules kept in the text."""
    return page(title, text).replace('<div class="body">', f'<div class="body"><p class="nav">{NAVIGATION}</p>')


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Path]:
    """Three sources harvested with yesterday's rules: reports of four meetings, each by two sources in
    texts of their own, and copies, exact and edited, syndicated from one source to another; then
    today's rule (the navigation line dropped) written into every source. Returns the config."""
    sites = {name: Site(tmp_path / "sites", name) for name in ("alpha", "beta", "gamma")}
    try:
        reports = {n: meeting_report(lead, seed=n) for n, lead in enumerate(LEADS)}
        for n, text in reports.items():
            sites["alpha"].put(f"/news/{n}", navigated_page(f"Talks {n}", text))
            sites["beta"].put(f"/news/{n}", navigated_page(f"Meeting {n}", meeting_report(LEADS[n], seed=10 + n)))
        sites["gamma"].put("/news/1", navigated_page("Syndicated", reports[1]))
        sites["gamma"].put("/news/2", navigated_page("Edited", edited(reports[2], 0.05, seed=3)))
        sites["gamma"].put("/news/9", navigated_page("Unrelated", readout_text(99)))
        config = write_site_config(
            tmp_path,
            {name: site.server.origin for name, site in sites.items()},
            'database = "corpus/readouts.db"\narchive = "corpus/archive"\n[http]\ndelay = 0.0\nallow_private = true\n',
            follow="/news/",
        )
        fetch_once(load_config(config))
    finally:
        for site in sites.values():
            site.server.stop()
    for path in (config / "sources").glob("*.toml"):
        path.write_text(path.read_text() + 'drop = ["p.nav"]\n', encoding="utf-8")
    yield config


def identity(database: Path) -> dict[str, Any]:
    """Everything identity decides, named by URLs and names rather than row ids (which a recomputation
    from scratch numbers afresh): each readout's hash, copy_of and meeting, the meetings and their people."""
    with sqlite3.connect(database) as db:
        urls = dict(db.execute("select id, url from readouts"))
        reports: dict[int, list[str]] = {}
        readouts = {}
        for readout_id, url, digest, copy_of, kind, similarity, meeting_id, meeting_kind, reading in db.execute(
            "select id, url, content_hash, duplicate_of, duplicate_kind, similarity, meeting_id, kind, reading"
            " from readouts order by id"
        ):
            readouts[url] = (digest, urls.get(copy_of), kind, similarity, meeting_kind, reading)
            if meeting_id is not None:
                reports.setdefault(meeting_id, []).append(url)
        meetings = {
            tuple(reports[meeting_id]): (date, place, participants, title, kind, sorted(
                name for (name,) in db.execute(
                    "select p.name from meeting_people mp join people p on p.id = mp.person_id where mp.meeting_id = ?",
                    [meeting_id],
                )
            ))
            for meeting_id, date, place, participants, title, kind in db.execute(
                "select id, date, place, participants, title, kind from meetings"
            )
        }
        people = sorted(db.execute("select name, country, offices, aliases from people").fetchall())
    return {"readouts": readouts, "meetings": meetings, "people": people}


def recomputed_from_scratch(database: Path, config: Path, into: Path) -> Path:
    """A copy of the corpus with everything identity derived forgotten, then derived again (`harvester dedupe`)."""
    with sqlite3.connect(database) as db, sqlite3.connect(into) as copy:
        db.backup(copy)
    with sqlite3.connect(into) as copy:
        copy.execute("update readouts set content_hash = null, duplicate_of = null, duplicate_kind = null,"
                     " similarity = null, meeting_id = null, kind = null, meeting_reason = null, reading = null,"
                     " event_date = null")
        for table in ("meeting_people", "meetings", "people", "dedupe_shingles"):
            copy.execute(f"delete from {table}")
    assert invoke_harvester("dedupe", "--config", str(config), "--db", str(into)).returncode == 0
    return into


def test_reextract_of_several_sources_derives_identity_as_a_recomputation_from_scratch(
    corpus: Path, tmp_path: Path
) -> None:
    database = tmp_path / "corpus" / "readouts.db"
    before = identity(database)
    results = reextract(load_config(corpus), progress=lambda source, message: None)
    assert [(r.source, r.readouts, r.changed, r.kept) for r in results] == [
        ("alpha", 4, 4, 0), ("beta", 4, 4, 0), ("gamma", 3, 3, 0)
    ]
    after = identity(database)
    assert after != before  # every hash follows its new text
    with sqlite3.connect(database) as db:
        assert all(NAVIGATION not in text for (text,) in db.execute("select text from readouts"))
    # the corpus links what a test of these would expect: copies across sources, meetings reported twice
    copies = {url.split("/", 3)[3]: (copy_of, kind) for url, (_, copy_of, kind, *_) in after["readouts"].items()
              if copy_of}
    assert {path: kind for path, (_, kind) in copies.items()} == {"news/1": "exact", "news/2": "near"}
    meetings = after["meetings"]
    assert isinstance(meetings, dict) and len(meetings) == len(LEADS)
    assert all(people for *_, people in meetings.values())
    assert {len(urls) for urls in meetings} >= {2, 3}  # two sources' reports, and with a copy three

    assert identity(recomputed_from_scratch(database, corpus, tmp_path / "scratch.db")) == after
