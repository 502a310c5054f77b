"""Meetings: read from the seed readouts, and clustered across sources in a harvested corpus."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils

from harvester.config import ConfigError
from harvester.data import shipped
from harvester.meetings import dates_in, extract_meeting, load_gazetteer, read
from tests.conftest import EXPECTED_SEEDS, SHIPPED_CONFIG

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
    # a call is a call, not a meeting, and an envoy is not the one who sent him
    call = extract_meeting("Putin had a telephone conversation with President Obama.", None, "2015-11-20", GAZETTEER)
    assert call is not None and call.kind == "call"
    envoy = extract_meeting("The Emir of Kuwait received an envoy of the Syrian President Bashar Assad on Monday.",
                            None, "2017-11-28", GAZETTEER)
    assert envoy is not None and "Bashar al-Assad" not in envoy.participants


def test_a_malformed_gazetteer_is_refused_with_where_and_why(tmp_path: Path) -> None:
    broken = tmp_path / "people.toml"
    broken.write_text('[[person]]\nname = "X"\noffices = [{ title = "Y", from = "May 2012" }]\n')
    with pytest.raises(ConfigError) as refused:
        load_gazetteer(broken)
    assert refused.value.key == "person[0].offices[0].from"
    assert "must be a date" in refused.value.reason


# --- leads, kinds, previews and linking in a real corpus ---------------------------------

KREMLIN_PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:description" content="{description}"/></head><body>
<h1 class="entry-title">{title}</h1>
<div class="read__place p-location">Kazan</div>
<div class="read__lead entry-summary">{lead}</div>
<div class="entry-content read__internal_content"><p>{body}</p>
<div class="read__bottommeta"><p class="masha-ignore">October 23, 2024</p></div></div></body></html>"""


def kremlin_page(lead: str, body: str = "The leaders discussed bilateral relations.", description: str = "") -> str:
    return KREMLIN_PAGE.format(title="Meeting with President of Iran Masoud Pezeshkian", lead=lead, body=body,
                               description=description)


def test_the_lead_comes_from_its_selector_and_the_bottom_meta_is_dropped() -> None:
    from harvester.config import load_config
    from harvester.extract import extract

    source = load_config(SHIPPED_CONFIG).source("kremlin")
    page = kremlin_page("Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian.")
    readout = extract(page, "http://en.kremlin.ru/events/president/news/1", source.extract, "en")
    assert readout.lead == "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian."
    assert readout.lead_origin == "selector 'div.read__lead'"
    assert readout.place == "Kazan"
    assert readout.text == "The leaders discussed bilateral relations."


def test_without_a_selector_the_lead_is_the_description_when_it_is_a_sentence_of_the_article() -> None:
    from harvester.config import ExtractConfig
    from harvester.extract import extract

    article = "<p>" + "Iranian President Masoud Pezeshkian and Pakistani Prime Minister Shehbaz Sharif signed twelve agreements. " * 3 + "</p>"

    def page(description: str) -> str:
        return (f'<html><head><meta name="description" content="{description}"></head>'
                f"<body><article><h1>Pezeshkian in Islamabad</h1>{article}</article></body></html>")

    lead = "Masoud Pezeshkian held talks with Shehbaz Sharif in Islamabad on Sunday and the two sides signed agreements."
    assert extract(page(lead), "https://example.com/a", ExtractConfig(), "en").lead == lead
    for boilerplate in ("Latest news and analysis from around the world, every day of the week.",  # the site's strapline
                        "Masoud Pezeshkian held talks with Shehbaz Sharif in Islamabad on Sunday and the two...",  # cut off
                        "Pezeshkian in Islamabad"):  # not a sentence
        assert extract(page(boilerplate), "https://example.com/a", ExtractConfig(), "en").lead is None


@pytest.mark.parametrize(
    ("kind", "title", "lead"),
    [
        ("meeting", "Russian-Iranian talks", "Vladimir Putin held talks with President of Iran Masoud Pezeshkian in Kazan."),
        ("call", "Telephone conversation with Prime Minister of India Narendra Modi",
         "Vladimir Putin had a telephone conversation with Prime Minister of India Narendra Modi."),
        ("video_call", "Conversation with President of China Xi Jinping",
         "Vladimir Putin had a conversation with President of China Xi Jinping via videoconference."),
        ("message", "Greetings to President of Iran",
         "Kim Jong Un sent a message of greetings to President of Iran Masoud Pezeshkian."),
        ("visit", "Arrival in Pyongyang",
         "Vladimir Putin arrived in Pyongyang, where he was welcomed at the airport by Chairman of State Affairs of the DPRK Kim Jong Un."),
    ],
)
def test_each_kind_of_event(kind: str, title: str, lead: str) -> None:
    reading = read("", title, "2024-10-23", GAZETTEER, lead=lead)
    assert reading.kind == kind
    assert reading.meeting is not None and len(reading.meeting.participants) == 2
    assert (reading.meeting.place is None) == (kind in ("call", "video_call", "message"))


def _save(store, source: str, url: str, html: str) -> int:  # type: ignore[no-untyped-def]
    from harvester.config import load_config
    from harvester.extract import extract
    from harvester.fetch import Exchange, FetchedPage

    config = load_config(SHIPPED_CONFIG).source(source)
    exchange = Exchange(url, "GET", (), 200, "OK", "HTTP/1.1", (("Content-Type", "text/html"),), html.encode(),
                        datetime.now(timezone.utc))
    readout = extract(html, url, config.extract, "en")
    return store.save_readout(source, FetchedPage(url, url, exchange), readout).readout_id


def _wire(title: str, published: str, text: str) -> str:
    return (f'<html><head><meta property="article:published_time" content="{published}"></head><body><article>'
            f"<h1>{title}</h1><p>{text}</p><p>{'The two sides discussed trade, energy and transport. ' * 4}</p>"
            "</article></body></html>")


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from harvester.store import Store

    with Store(tmp_path / "readouts.db") as opened:
        for name in ("kremlin", "cnsnews"):
            opened.db.execute("insert into sources (name, title, home, language) values (?, ?, ?, 'en')",
                              [name, name, f"https://{name}.example/"])
        yield opened


def test_a_preview_story_is_not_linked_and_says_why(store) -> None:  # type: ignore[no-untyped-def]
    preview = _save(store, "cnsnews", "https://cnsnews.example/preview", _wire(
        "Putin to meet Pezeshkian in Kazan", "2024-10-21T14:00:00+00:00",
        "President Vladimir Putin will meet Iranian President Masoud Pezeshkian in Kazan on Wednesday, the Kremlin said."))
    report = _save(store, "kremlin", "http://en.kremlin.ru/events/president/news/2", kremlin_page(
        "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian."))
    rows = {row[0]: row[1:] for row in store.db.execute("select id, meeting_id, kind, meeting_reason from readouts")}
    assert rows[preview][0] is None and rows[preview][1] is None
    assert "a preview (“will meet”)" in rows[preview][2]
    assert rows[report][0] is not None and rows[report][1] == "meeting"


def test_a_call_and_a_meeting_on_the_same_day_stay_apart_and_reports_link_across_sources(store) -> None:  # type: ignore[no-untyped-def]
    meeting = _save(store, "kremlin", "http://en.kremlin.ru/events/president/news/3", kremlin_page(
        "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian."))
    call = _save(store, "cnsnews", "https://cnsnews.example/call", _wire(
        "Pezeshkian thanks Putin in phone call", "2024-10-23T21:00:00+03:30",
        "Iranian President Masoud Pezeshkian and Russian President Vladimir Putin spoke by phone on Wednesday evening."))
    press = _save(store, "cnsnews", "https://cnsnews.example/talks", _wire(
        "Putin, Pezeshkian hold talks", "2024-10-24T06:00:00+00:00",
        "KAZAN, Oct 24 - Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Kazan on Wednesday."))
    store.db.execute("update readouts set published = '2024-10-23' where id = ?", [meeting])
    store.recompute_identity()
    rows = {row[0]: row[1:] for row in store.db.execute("select id, meeting_id, kind, meeting_reason from readouts")}
    assert rows[meeting][0] == rows[press][0] != rows[call][0]
    assert (rows[meeting][1], rows[call][1], rows[press][1]) == ("meeting", "call", "meeting")
    assert "; linked: " in rows[press][2] and "Masoud Pezeshkian" in rows[press][2]
    assert "date 2024-10-23: “Wednesday” (published 2024-10-24)" in rows[press][2]
    kinds = dict(store.db.execute("select id, kind from meetings"))
    assert kinds == {rows[meeting][0]: "meeting", rows[call][0]: "call"}
    people = {name for (name,) in store.db.execute(
        "select p.name from people p join meeting_people mp on mp.person_id = p.id where mp.meeting_id = ?",
        [rows[meeting][0]])}
    assert people == {"Vladimir Putin", "Masoud Pezeshkian"}
    offices = json.loads(store.db.execute("select offices from people where name = 'Masoud Pezeshkian'").fetchone()[0])
    # the evidence: both of the meeting's reports (and the call's) introduce him as Iran's president
    assert {"title": "President", "country": "IR", "from": "2024-10-23", "until": "2024-10-23", "readouts": 3} in offices


def test_check_shows_the_lead_the_kind_and_the_participants() -> None:
    from harvester.replicas import REPLICAS
    from tests.conftest import run_harvester

    page = REPLICAS / "kremlin" / "news-50775.html"
    result = run_harvester("check", "--config", str(SHIPPED_CONFIG), "--db", "/nonexistent/readouts.db", "kremlin", str(page))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "lead       Vladimir Putin, who is in Tehran to take part in the Gas Exporting Countries Forum summit," in out
    assert "             selector 'div.read__lead'" in out
    assert "kind       meeting" in out
    assert "people     Ali Khamenei, Vladimir Putin" in out
    assert "when       2015-11-23, Tehran" in out
    assert "<- drop 'div.read__bottommeta'" in out
