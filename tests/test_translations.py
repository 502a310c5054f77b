"""Translations on one site: kremlin.ru and en.kremlin.ru pages with one id are translations of each other, and report one meeting."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from harvester.config import ConfigError, Pattern, load_source
from harvester.replicas import ReplicaServer
from harvester.translations import shared_meeting, translation_key
from tests.conftest import make_local_config, run_harvester

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
        result = run_harvester("fetch", "once", "--config", str(config), "--source", source)
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
    assert f"a translation of readout {english['id']}" in russian["meeting_reason"]

    before = list(db.query("select id, meeting_id, meeting_reason, translation_key from readouts order by id"))
    result = run_harvester("dedupe", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(db.query("select id, meeting_id, meeting_reason, translation_key from readouts order by id")) == before
