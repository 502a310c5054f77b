"""Meetings: read from the seed readouts, and clustered across sources in a harvested corpus."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from harvester.config import ConfigError
from harvester.data import shipped
from harvester.meetings import dates_in, extract_meeting, load_gazetteer
from tests.conftest import EXPECTED_SEEDS

SEEDS = json.loads(EXPECTED_SEEDS.read_text(encoding="utf-8"))
GAZETTEER = load_gazetteer(shipped("people.toml"))
# expected.json has no publication date where the seed text lost it; these are the pages' own date lines
PAGE_DATES = {"000_cf9b3ea0a473f1e0.txt": "2015-11-23"}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_seed_readouts_name_their_meeting(seed: str) -> None:
    entry = SEEDS[seed]
    text = "\n\n".join(entry["body_paragraphs"])
    meeting = extract_meeting(text, entry["title"], entry.get("published") or PAGE_DATES.get(seed), GAZETTEER)
    expected = entry["meeting"]
    assert meeting is not None
    assert (meeting.date, meeting.place, list(meeting.participants)) == (
        expected["date"],
        expected["place"],
        expected["participants"],
    )


def test_the_seed_meetings_in_the_harvested_corpus(corpus: sqlite_utils.Database) -> None:
    """000, 002 and 003 report one meeting; 001 and 004 one each; people met elsewhere stay out."""
    by_seed = {}
    for seed, entry in SEEDS.items():
        row = corpus.execute(
            "select m.id, m.date, m.place, m.participants from readouts r join meetings m on m.id = r.meeting_id"
            " where r.title = ?",
            [entry["title"]],
        ).fetchone()
        assert row is not None, f"{seed}: no meeting"
        by_seed[seed[:3]] = (row[0], row[1], row[2], json.loads(row[3]))

    assert by_seed["000"] == by_seed["002"] == by_seed["003"]
    assert by_seed["000"][1:] == ("2015-11-23", "Tehran", ["Ali Khamenei", "Vladimir Putin"])
    assert by_seed["001"][1:] == ("2018-09-07", "Tehran", ["Ali Khamenei", "Vladimir Putin"])
    assert by_seed["004"][1:] == ("2019-02-25", "Tehran", ["Ali Khamenei", "Bashar al-Assad"])
    assert by_seed["001"][0] != by_seed["000"][0]
    people = {name for row in corpus.execute("select participants from meetings") for name in json.loads(row[0])}
    assert "Muhammadu Buhari" not in people


def test_relative_dates_resolve_against_the_publication_date() -> None:
    tuesday = date(2015, 11, 24)
    assert dates_in("met in Tehran on Monday", tuesday) == [date(2015, 11, 23)]
    assert dates_in("arrived yesterday", tuesday) == [date(2015, 11, 23)]
    assert dates_in("this evening, September 7, 2018", date(2018, 9, 7)) == [date(2018, 9, 7), date(2018, 9, 7)]
    assert dates_in("the meeting on Nov. 14", tuesday) == [date(2015, 11, 14)]
    assert dates_in("on Monday", None) == []
    assert dates_in("in May 2012 the party won", tuesday) == []


def test_offices_name_whoever_held_them_that_day() -> None:
    text = "The Russian President met with the Leader of the Islamic Revolution in Tehran today."
    assert extract_meeting(text, None, "2015-11-23", GAZETTEER).participants == ("Ali Khamenei", "Vladimir Putin")
    assert extract_meeting(text, None, "2010-06-01", GAZETTEER).participants == ("Ali Khamenei", "Dmitry Medvedev")
    # a call is not a meeting, and an envoy is not the one who sent him
    assert extract_meeting("Putin had a telephone conversation with President Obama.", None, "2015-11-20", GAZETTEER) is None
    envoy = "The Emir of Kuwait received an envoy of the Syrian President Bashar Assad on Monday."
    assert extract_meeting(envoy, None, "2017-11-28", GAZETTEER) is None


def test_a_malformed_gazetteer_is_refused_with_where_and_why(tmp_path: Path) -> None:
    broken = tmp_path / "people.toml"
    broken.write_text('[[person]]\nname = "X"\noffices = [{ title = "Y", from = "May 2012" }]\n')
    with pytest.raises(ConfigError) as refused:
        load_gazetteer(broken)
    assert refused.value.key == "person[0].offices[0].from"
    assert "must be a date" in refused.value.reason
