"""Translations on one site: kremlin.ru and en.kremlin.ru pages with one id are translations of each other, and report one meeting."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlite_utils

from harvester.config import ConfigError, Pattern, load_source
from harvester.replicas import ReplicaServer
from harvester.translations import shared_meeting, translation_key
from tests.conftest import first, invoke_harvester, make_local_config

RULE = (Pattern(r"/events/president/news/(\d+)$"), r"kremlin.ru/events/president/news/\1")


def test_both_editions_give_one_key_and_other_pages_none() -> None:
    assert translation_key("http://kremlin.ru/events/president/news/50775", RULE) == "kremlin.ru/events/president/news/50775"
    assert translation_key("http://en.kremlin.ru/events/president/news/50775", RULE) == "kremlin.ru/events/president/news/50775"
    assert translation_key("http://en.kremlin.ru/events/president/news", RULE) is None
    assert translation_key("http://en.kremlin.ru/events/president/news/50775", None) is None


def test_a_readout_keeps_its_meeting_and_takes_the_one_its_translations_agree_on() -> None:
    assert shared_meeting(3, [4]) == 3
    assert shared_meeting(None, [None, 4, 4]) == 4
    assert shared_meeting(None, [4, 5]) is None  # translations that disagree decide nothing
    assert shared_meeting(None, [None]) is None


def test_a_translation_key_without_a_group_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "site.toml"
    file.write_text(
        'name = "site"\ntitle = "t"\nhome = "https://example.org/"\nlanguage = "ru"\n'
        "translation_key = ['/news/\\d+$', 'example.org/news']\n"
        '[discover]\nstart = ["https://example.org/news"]\nlinks = "a"\nfollow = "/news/"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="translation_key: .* has no group"):
        load_source(file)


@pytest.mark.parametrize("order", [("kremlin", "kremlin-ru"), ("kremlin-ru", "kremlin")], ids=["english-first", "russian-first"])
def test_a_russian_and_an_english_kremlin_page_with_the_same_id_are_translations_of_each_other(
    tmp_path: Path, replica_servers: list[ReplicaServer], order: tuple[str, str]
) -> None:
    config = make_local_config(replica_servers, tmp_path)
    for source in order:  # one run each: whichever edition is stored first, the pair is found
        result = invoke_harvester("fetch", "once", "--config", str(config), "--source", source)
        assert result.returncode == 0, result.stdout + result.stderr
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    pairs = {
        (row["a"], row["b"])
        for row in db.query(
            "select substr(r.url, instr(r.url, '/news/') + 6) || ' ' || r.language as a, t.language as b"
            " from translations t join readouts r on r.id = t.readout_id"
        )
    }
    assert pairs == {(f"{number} {one}", other) for number in (50775, 50774, 50772, 50760) for one, other in (("ru", "en"), ("en", "ru"))}

    russian, english = (
        next(db.query("select * from readouts where url like ? and language = ?", ["%/news/50775", language]))
        for language in ("ru", "en")
    )
    assert english["meeting_id"] is not None
    assert russian["meeting_id"] == english["meeting_id"]
    assert russian["kind"] == "meeting"
    # the meeting step reads Russian itself; where it cannot, the translation's meeting is taken
    assert russian["meeting_reason"].startswith(("reports a meeting", f"a translation of readout {english['id']}"))

    before = list(db.query("select id, meeting_id, meeting_reason, translation_key from readouts order by id"))
    result = invoke_harvester("dedupe", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(db.query("select id, meeting_id, meeting_reason, translation_key from readouts order by id")) == before


def test_the_meeting_page_shows_its_reports_by_language_originals_first_each_with_its_lang_and_dir(
    tmp_path: Path, replica_servers: list[ReplicaServer]
) -> None:
    from datasette.app import Datasette
    from selectolax.lexbor import LexborHTMLParser

    from harvester.publish import PLUGINS, SETTINGS, TEMPLATES

    config = make_local_config(replica_servers, tmp_path)
    sources = ("kremlin", "kremlin-ru", "leader-ir", "farsi-khamenei-ir")
    result = invoke_harvester("fetch", "once", "--config", str(config), *(arg for s in sources for arg in ("--source", s)))
    assert result.returncode == 0, result.stdout + result.stderr
    database = tmp_path / "corpus" / "readouts.db"
    db = sqlite_utils.Database(database)
    english, russian = (
        next(db.query("select id, meeting_id from readouts where source = ? and url like '%/50775'", [source]))
        for source in ("kremlin", "kremlin-ru")
    )
    meeting = english["meeting_id"]
    leader = next(db.query("select id, meeting_id from readouts where source = 'leader-ir' and published = '2015-11-23'"))
    assert leader["meeting_id"] == meeting == russian["meeting_id"]
    # the Leader's Persian readout of the same meeting, read in Persian, joins it
    persian = next(db.query("select meeting_id, meeting_reason from readouts where url like '%news-content?id=31622'"))
    assert persian["meeting_id"] == meeting, persian["meeting_reason"]

    async def meeting_page() -> str:
        datasette = Datasette([str(database)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS), settings=SETTINGS)
        response = await datasette.client.get(f"/readouts/meetings/{meeting}")
        assert response.status_code == 200
        text: str = response.text
        return text

    page = LexborHTMLParser(asyncio.run(meeting_page()))
    # languages holding originals in the order they first reported (one day: by source name, whatever order the
    # pages arrived in), then English, whose Kremlin page translates
    assert [h.text() for h in page.css("h3.language")] == ["Persian (1)", "Russian (1)", "English (2)"]
    reports = [(s.attributes["lang"], s.attributes["dir"], first(s, "p.byline").text()) for s in page.css("section.report")]
    assert [(lang, direction) for lang, direction, _ in reports] == [("fa", "rtl"), ("ru", "ltr"), ("en", "ltr"), ("en", "ltr")]
    assert "leader-ir" in reports[2][2] and "translation" not in reports[2][2]
    assert f"a translation of readout {russian['id']}" in " ".join(reports[3][2].split())
    assert "Reports of this meeting (4)" in (page.html or "")


def test_a_readout_page_links_the_same_page_in_its_other_language(tmp_path: Path, replica_servers: list[ReplicaServer]) -> None:
    from datasette.app import Datasette
    from selectolax.lexbor import LexborHTMLParser

    from harvester.publish import PLUGINS, SETTINGS, TEMPLATES

    config = make_local_config(replica_servers, tmp_path)
    result = invoke_harvester("fetch", "once", "--config", str(config), "--source", "kremlin", "--source", "kremlin-ru")
    assert result.returncode == 0, result.stdout + result.stderr
    database = tmp_path / "corpus" / "readouts.db"
    db = sqlite_utils.Database(database)
    english, russian = (
        next(db.query("select id, title from readouts where source = ? and url like '%/50774'", [source]))
        for source in ("kremlin", "kremlin-ru")
    )

    async def readout_page() -> str:
        datasette = Datasette([str(database)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS), settings=SETTINGS)
        response = await datasette.client.get(f"/readouts/readouts/{english['id']}")
        assert response.status_code == 200
        text: str = response.text
        return text

    line = LexborHTMLParser(asyncio.run(readout_page())).css_first("p.translations")
    assert line is not None
    link = first(line, "a")
    assert link.text() == russian["title"] and link.attributes["lang"] == "ru"
    assert (link.attributes["href"] or "").endswith(f"/readouts/readouts/{russian['id']}")


def test_reextracting_a_changed_readout_keeps_the_translations(tmp_path: Path, replica_servers: list[ReplicaServer]) -> None:
    """`harvester reextract` recomputes identity after a change: with the config's translation keys, not without."""
    config = make_local_config(replica_servers, tmp_path)
    result = invoke_harvester("fetch", "once", "--config", str(config), "--source", "kremlin", "--source", "kremlin-ru")
    assert result.returncode == 0, result.stdout + result.stderr
    db = sqlite_utils.Database(tmp_path / "corpus" / "readouts.db")
    pairs = db.execute("select count(*) from translations").fetchone()[0]
    assert pairs == 8
    # a stored text that today's rules would extract otherwise: reextract changes it back, and recomputes identity
    db.execute("update readouts set text = text || ' (edited)' where source = 'kremlin-ru' and url like '%/50775'")
    db.conn.commit()
    result = invoke_harvester("reextract", "--config", str(config), "--source", "kremlin-ru")
    assert result.returncode == 0, result.stdout + result.stderr
    assert db.execute("select count(*) from readouts where text like '%(edited)'").fetchone()[0] == 0
    assert db.execute("select count(*) from translations").fetchone()[0] == pairs
