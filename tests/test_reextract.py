"""`harvester reextract`: today's extraction rules applied to the archive, with the sites gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import invoke_harvester
from tests.faultserver import FaultSite, write_config


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
