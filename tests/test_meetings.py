"""Meetings: read from the seed readouts, and clustered across sources in a harvested corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlite_utils

from harvester.config import ConfigError
from harvester.data import shipped
from harvester.meetings import dates_in, extract_meeting, load_gazetteer, read
from harvester.export import Place, place_of
from harvester.people import same_place, world
from tests.conftest import EXPECTED_SEEDS, SHIPPED_CONFIG

if TYPE_CHECKING:
    from harvester.store import Store

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
    assert (putin := extract_meeting(text, None, "2015-11-23", GAZETTEER)) and putin.participants == ("Ali Khamenei", "Vladimir Putin")
    assert (medvedev := extract_meeting(text, None, "2010-06-01", GAZETTEER)) and medvedev.participants == ("Ali Khamenei", "Dmitry Medvedev")
    # a call is a call, not a meeting, and an envoy is not the one who sent him
    call = extract_meeting("Putin had a telephone conversation with President Obama.", None, "2015-11-20", GAZETTEER)
    assert call is not None and call.kind == "call"
    envoy = extract_meeting("The Emir of Kuwait received an envoy of the Syrian President Bashar Assad on Monday.",
                            None, "2017-11-28", GAZETTEER)
    assert envoy is not None and "Bashar al-Assad" not in envoy.participants


def test_no_two_listed_people_hold_one_office_on_one_day() -> None:
    # the people list is kept by hand: a term typed over another's would make the office name nobody
    terms: dict[str, list[tuple[date, date, str]]] = {}
    for person in GAZETTEER.people.values():
        for office in person.offices:
            for title in office.titles:
                terms.setdefault(title, []).append((office.start or date.min, office.end or date.max, person.name))
    for title, held in terms.items():
        held.sort()
        for (_, end, before), (start, _, after) in zip(held, held[1:]):
            assert end <= start, f"{title}: {before} and {after}"


def test_an_office_named_alone_is_its_holder_that_day_in_any_script() -> None:
    english = extract_meeting("The Iraqi Prime Minister met the Turkish Foreign Minister in Baghdad on Sunday.", None,
                              "2021-03-15", GAZETTEER)
    assert english is not None and english.participants == ("Mevlut Cavusoglu", "Mustafa al-Kadhimi")
    arabic = read("استقبل رئيس الوزراء العراقي وزير الخارجية التركي في بغداد اليوم.", None, "2021-03-15", GAZETTEER,
                  language="ar")
    assert arabic.meeting is not None and arabic.meeting.participants == ("Mevlut Cavusoglu", "Mustafa al-Kadhimi")


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


def _save(store: Store, source: str, url: str, html: str) -> int:
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
def store(tmp_path: Path) -> Iterator[Store]:
    from harvester.store import Store

    with Store(tmp_path / "readouts.db") as opened:
        for name in ("kremlin", "cnsnews"):
            opened.db.execute("insert into sources (name, title, home, language) values (?, ?, ?, 'en')",
                              [name, name, f"https://{name}.example/"])
        yield opened


def test_a_preview_story_is_not_linked_and_says_why(store: Store) -> None:
    preview = _save(store, "cnsnews", "https://cnsnews.example/preview", _wire(
        "Putin to meet Pezeshkian in Kazan", "2024-10-21T14:00:00+00:00",
        "President Vladimir Putin will meet Iranian President Masoud Pezeshkian in Kazan on Wednesday, the Kremlin said."))
    report = _save(store, "kremlin", "http://en.kremlin.ru/events/president/news/2", kremlin_page(
        "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian."))
    rows = {row[0]: row[1:] for row in store.db.execute("select id, meeting_id, kind, meeting_reason from readouts")}
    assert rows[preview][0] is None and rows[preview][1] is None
    assert "a preview (“will meet”)" in rows[preview][2]
    assert rows[report][0] is not None and rows[report][1] == "meeting"


def test_a_call_and_a_meeting_on_the_same_day_stay_apart_and_reports_link_across_sources(store: Store) -> None:
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
    assert "             date from the text names no day: published 2015-11-23" in out
    assert "             place from “in Tehran" in out
    assert "<- drop 'div.read__bottommeta'" in out


# --- the causes of wrong meetings on real text (issue 17), in sentences written for these tests ----------


def _stored(store: Store, url: str, text: str, published: str | None, title: str | None = None, language: str = "en") -> int:
    """A readout stored as a harvest stores it, from its text (paragraphs separated by blank lines)."""
    from harvester.extract import Readout
    from harvester.fetch import Exchange, FetchedPage

    readout = Readout(url=url, title=title, kicker=None, author=None, published=published, language=language, tags=(),
                      text=text, extractor="configured")
    exchange = Exchange(url, "GET", (), 200, "OK", "HTTP/1.1", (("Content-Type", "text/html"),), b"",
                        datetime.now(timezone.utc))
    return store.save_readout("cnsnews", FetchedPage(url, url, exchange), readout).readout_id


def _meeting_of(store: Store, readout_id: int) -> tuple[int | None, str | None, str | None, str | None, list[str]]:
    row = store.db.execute(
        "select m.id, m.date, m.place, m.kind, m.participants from readouts r left join meetings m on m.id = r.meeting_id"
        " where r.id = ?", [readout_id]).fetchone()
    return row[0], row[1], row[2], row[3], json.loads(row[4]) if row[4] else []


def test_talks_on_consecutive_days_are_two_events(store: Store) -> None:
    informal = _stored(store, "https://cnsnews.example/a", "Prime Minister Narendra Modi and President Vladimir Putin"
                       " held informal talks at Novo-Ogaryovo on July 8.", "2024-07-09")
    formal = _stored(store, "https://cnsnews.example/b", "President Vladimir Putin and Prime Minister Narendra Modi held"
                     " formal talks in the Kremlin on July 9.", "2024-07-09")
    tuesday = _stored(store, "https://cnsnews.example/c", "Vladimir Putin received Narendra Modi in the Kremlin on Tuesday.",
                      "2024-07-10")
    assert _meeting_of(store, informal)[1:3] == ("2024-07-08", "Novo-Ogaryovo")
    assert _meeting_of(store, formal)[1:3] == ("2024-07-09", "Moscow")
    assert _meeting_of(store, informal)[0] != _meeting_of(store, formal)[0] == _meeting_of(store, tuesday)[0]


def test_a_summit_and_a_bilateral_on_its_sidelines_are_two_events(store: Store) -> None:
    summit = _stored(store, "https://cnsnews.example/summit", "Leaders of Russia, Iran and Turkey, Vladimir Putin, Ebrahim"
                     " Raisi and Recep Tayyip Erdogan, gathered in Tehran on July 19 for a trilateral summit.", "2022-07-19")
    again = _stored(store, "https://cnsnews.example/summit-2", "The summit of Vladimir Putin, Ebrahim Raisi and Recep"
                    " Tayyip Erdogan was held in Tehran on Tuesday.", "2022-07-20")
    bilateral = _stored(store, "https://cnsnews.example/bilateral", "On the sidelines of the summit with Recep Tayyip"
                        " Erdogan, Vladimir Putin held bilateral talks with Ebrahim Raisi in Tehran on July 19.", "2022-07-19")
    assert _meeting_of(store, summit)[0] == _meeting_of(store, again)[0] != _meeting_of(store, bilateral)[0]
    assert _meeting_of(store, summit)[4] == ["Ebrahim Raisi", "Recep Tayyip Erdogan", "Vladimir Putin"]
    assert _meeting_of(store, bilateral)[4] == ["Ebrahim Raisi", "Vladimir Putin"]


def test_a_stale_opening_paragraph_does_not_decide_the_event() -> None:
    text = ("Vladimir Putin met Ebrahim Raisi in Moscow on December 7, 2023, their last meeting.\n\n"
            "On Monday, Putin spoke by phone with Emomali Rahmon about the border.")
    meeting = extract_meeting(text, None, "2024-05-21", GAZETTEER)
    assert meeting is not None
    assert (meeting.kind, meeting.date, meeting.participants) == ("call", "2024-05-20", ("Emomali Rahmon", "Vladimir Putin"))


@pytest.mark.parametrize(
    ("kind", "title", "text"),
    [
        ("call", None, "Vladimir Putin spoke with Emomali Rahmon on Tuesday about border security."),
        ("call", None, "Shavkat Mirziyoyev called Kassym-Jomart Tokayev on Monday to discuss water sharing."),
        ("call", None, "Ilham Aliyev held a phone call with Nikol Pashinyan."),
        ("call", None, "Shehbaz Sharif had a telephonic conversation with Masoud Pezeshkian."),
        ("call", None, "After the phone call, Recep Tayyip Erdogan told reporters he and Vladimir Putin agreed on grain."),
        ("message", None, "Xi Jinping said in a message to Kim Jong Un that the two parties should deepen their ties."),
        ("meeting", None, "Leaders of Russia, Iran and Turkey, Vladimir Putin, Ebrahim Raisi and Recep Tayyip Erdogan,"
                          " gathered in Tehran."),
        ("meeting", None, "The signing ceremony was held in Minsk in the presence of Alexander Lukashenko and Vladimir Putin."),
        # a summit statement whose lead names nobody: the headline does
        ("meeting", "Joint statement of Presidents Putin, Raisi and Erdogan",
         "The leaders met in Tehran on July 19 and adopted a joint statement."),
    ],
)
def test_event_wording_is_read(kind: str, title: str | None, text: str) -> None:
    reading = read(text, title, "2024-03-06", GAZETTEER)
    assert reading.kind == kind, reading.reason
    assert reading.meeting is not None and len(reading.meeting.participants) >= 2


@pytest.mark.parametrize(
    ("kind", "title", "text"),
    [
        ("meeting", None, "Recep Tayyip Erdogan arrived in Sochi on Friday and met Vladimir Putin."),
        ("call", None, "Shehbaz Sharif and Masoud Pezeshkian held a telephonic conversation on Sunday."),
        ("call", "Putin congratulates Tokayev", "Vladimir Putin had a telephone conversation with Kassym-Jomart Tokayev."),
        ("video_call", None, "Vladimir Putin and Xi Jinping held a video meeting on Monday."),
        ("meeting", None, "Vladimir Putin (left) speaks with Ebrahim Raisi during their meeting in Moscow on January 19."),
        ("call", None, "Shehbaz Sharif telephoned Masoud Pezeshkian on Thursday and both discussed trade."),
        # a meeting in a clause about an earlier time does not make the call a meeting
        ("call", None, "US President Joe Biden and Chinese President Xi Jinping have spoken by phone, their first contact"
                       " since the two leaders met in California."),
        # what was discussed says nothing of how: the sentence before says it was on the phone
        ("call", None, "The presidents of Kazakhstan and Uzbekistan spoke on the phone on Friday. Kazakh President Kassym-Jomart Tokayev"
                       " and Uzbek President Shavkat Mirziyoyev discussed water sharing."),
    ],
)
def test_one_vocabulary_of_kinds(kind: str, title: str | None, text: str) -> None:
    assert read(text, title, "2022-08-06", GAZETTEER).kind == kind


def test_the_first_call_since_a_year_is_news_not_a_retrospective() -> None:
    reading = read("Shavkat Mirziyoyev and Kassym-Jomart Tokayev spoke by phone on Monday, their first call since 2019.",
                   None, "2024-02-06", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date) == ("call", "2024-02-05")


def test_an_arrival_report_that_says_they_met_reports_the_meeting(store: Store) -> None:
    arrival = _stored(store, "https://cnsnews.example/arrival", "Recep Tayyip Erdogan arrived in Sochi on Friday and met"
                      " Vladimir Putin at his residence.", "2022-08-05")
    talks = _stored(store, "https://cnsnews.example/talks", "Vladimir Putin held talks with Recep Tayyip Erdogan in Sochi"
                    " on August 5.", "2022-08-06")
    assert _meeting_of(store, arrival)[0] == _meeting_of(store, talks)[0]
    assert _meeting_of(store, arrival)[1:4] == ("2022-08-05", "Sochi", "meeting")


def test_dates_come_from_the_text_and_the_best_evidence_decides(store: Store) -> None:
    # published six days later, naming no day: it joins the event, and does not date it
    on_day = _stored(store, "https://cnsnews.example/d1", "Bashar al-Assad received Ebrahim Raisi in Damascus on May 3.",
                     "2023-05-03")
    late = _stored(store, "https://cnsnews.example/d2", "Ebrahim Raisi met Bashar al-Assad in Damascus, where the two"
                   " presidents signed a memorandum on oil.", "2023-05-09")
    assert _meeting_of(store, late)[:3] == (_meeting_of(store, on_day)[0], "2023-05-03", "Damascus")
    # a linked meeting takes another report's "on Monday", not the first report's publication day
    first = _stored(store, "https://cnsnews.example/d3", "Vladimir Putin met Alexander Lukashenko in St Petersburg.",
                    "2024-01-16")
    monday = _stored(store, "https://cnsnews.example/d4", "Vladimir Putin and Alexander Lukashenko met in St Petersburg"
                     " on Monday.", "2024-01-16")
    assert _meeting_of(store, first)[:2] == (_meeting_of(store, monday)[0], "2024-01-15")
    reason = store.db.execute("select meeting_reason from readouts where id = ?", [first]).fetchone()[0]
    assert "date 2024-01-15: “Monday” (published 2024-01-16)" in reason


def test_a_date_without_a_year_after_publication_is_a_plan_not_last_year() -> None:
    published = date(2015, 11, 20)
    assert dates_in("during the visit to Moscow on November 26", published) == [date(2015, 11, 26)]
    assert dates_in("the talks on Nov. 14", published) == [date(2015, 11, 14)]
    assert dates_in("the talks on December 30", date(2016, 1, 4)) == [date(2015, 12, 30)]
    call = extract_meeting("Vladimir Putin had a telephone conversation with Francois Hollande. They agreed to continue"
                           " their talks during the visit to Moscow on November 26.", None, "2015-11-20", GAZETTEER)
    assert call is not None and call.date == "2015-11-20" and call.participants == ("Francois Hollande", "Vladimir Putin")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a news agency's dateline is where the story was filed
        ("Moscow, IRNA – Iranian President Masoud Pezeshkian held talks with Vladimir Putin in Ashgabat on Friday.", "Ashgabat"),
        ("Moscow, IRNA – Masoud Pezeshkian and Vladimir Putin held talks on Friday.", None),
        # a first name is not a city
        ("In Vladimir Putin's residence, Alexander Lukashenko held talks with the Russian president on Friday.", None),
        # another trip in the same sentence is not the place
        ("Vladimir Putin met Mohammed bin Salman in Riyadh on Wednesday, a day trip that also took him to Abu Dhabi.", "Riyadh"),
        ("Vladimir Putin met Mohammed bin Zayed on Wednesday, on a day trip that also took him to Riyadh.", None),
        # "here" is where the story was filed
        ("ANKARA, Oct 12 (Wire): Recep Tayyip Erdogan met Shavkat Mirziyoyev here on Friday.", "Ankara"),
        ("Tashkent: Recep Tayyip Erdogan held talks with Shavkat Mirziyoyev here on Friday.", "Tashkent"),
        # a place in the clause that attributes the report is the source's
        ("Ilham Aliyev held talks with Recep Tayyip Erdogan on Friday, according to the presidency in Baku.", None),
        ("Ilham Aliyev met Recep Tayyip Erdogan in Ankara on Friday, the foreign ministry in Baku said.", "Ankara"),
        # a seat no gazetteer names is in its city, even one named after another city
        ("Narendra Modi held talks with Shavkat Mirziyoyev at Hyderabad House on Friday.", "New Delhi"),
        ("Masoud Pezeshkian received Shavkat Mirziyoyev at Sa’dabad Palace in Tehran on Friday.", "Tehran"),
        ("Barack Obama met Shavkat Mirziyoyev at White House on Friday.", "Washington"),
        # the paragraph's sentence of another day tells another place
        ("Kofi Mensah received Arjun Mehra on Wednesday. Mehra had arrived in Kumasi on Tuesday.", None),
        ("Kofi Mensah received Arjun Mehra on Wednesday. Mehra had earlier arrived in Kumasi.", "Kumasi"),
        # a host who rules a city receives there
        ("Sheikh Rashid Al Falasi, Ruler of Dubai, received Arjun Mehra at the expo on Wednesday.", "Dubai"),
        # the kingdom's capital is the capital of the country named just before
        ("Prime Minister Arjun Mehra met King Abdullah II of Jordan in the kingdom's capital on Friday.", "Amman"),
        ("Xi Jinping met Shavkat Mirziyoyev in Xi’an on Friday.", "Xi'an"),
        # the capital, then its name
        ("Arjun Mehra met Aziz Rahman in the capital Doha on Friday.", "Doha"),
        # a region of one country is the place, over a town of another country known at home alone
        ("Arjun Mehra met Aziz Rahman on the sidelines of the summit in Bali on Friday.", "Bali"),
        ("Arjun Mehra met Aziz Rahman at a beach resort in Goa on Friday.", "Goa"),
        ("Arjun Mehra met Aziz Rahman in Bari on Friday.", "Bari"),
    ],
)
def test_the_place_comes_from_the_event_sentence(text: str, place: str | None) -> None:
    meeting = extract_meeting(text, None, "2024-10-12", GAZETTEER)
    assert meeting is not None and meeting.place == place


def test_a_region_is_its_countrys_wherever_a_place_is_looked_up() -> None:
    # the island's time, its country in the export, and no city's GeoNames id
    assert str(world().timezone("Bali")) == "Asia/Jakarta"
    assert place_of("Bali") == Place("Bali", None, "IDN")
    assert not same_place("Bali", "Goa")


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # the press's "Chinese leader" is the leader the sentence names
        ("Prime Minister Arjun Mehra met Malaysian Prime Minister Aziz Rahman in Putrajaya on Monday, with the"
         " Malaysian leader praising the ties.", ("Arjun Mehra", "Aziz Rahman")),
        # the office someone was elected to describes him
        ("President Kofi Mensah on Wednesday congratulated Amadou Diallo on his election as the President of Senegal.",
         ("Amadou Diallo", "Kofi Mensah")),
        # the aide met the president, not the one whose aide he is
        ("President Ana Ortiz's top aide Tomas Reyes met Peruvian President Rosa Campos in Lima on Thursday.",
         ("Rosa Campos", "Tomas Reyes")),
        # nor the one whose ally someone is
        ("President Kofi Mensah met President Bola Tinubu in Abuja on Thursday, hoping to win over Tinubu, Ana Ortiz's"
         " main ally in the region.", ("Bola Tinubu", "Kofi Mensah")),
        # an office of something names no holder, even in capitals
        ("Arjun Mehra met Kofi Mensah, The Leader Of All Leaders Around The World, in Accra on Thursday.",
         ("Arjun Mehra", "Kofi Mensah")),
        # a forum's name is no one's
        ("Prime Minister Arjun Mehra and President Recep Tayyip Erdogan met on the sidelines of the One Belt, One Road"
         " Forum and discussed trade.", ("Arjun Mehra", "Recep Tayyip Erdogan")),
        # "President Ma" later is Ma Kaiwen; two letters alone are a name only after a title
        ("Premier Ma Kaiwen held talks with Prime Minister Arjun Mehra on Monday. Premier Ma said the talks were"
         " frank.", ("Arjun Mehra", "Ma Kaiwen")),
        # someone named in the possessive, before what is not the event's, is spoken of, not there
        ("Prime Minister Arjun Mehra met Tomas Reyes, Peruvian President Rosa Campos's closest ally, in Delhi on Monday.",
         ("Arjun Mehra", "Tomas Reyes")),
        ("Foreign Minister Tomas Reyes conveyed President Rosa Campos’s greetings to Prime Minister Arjun Mehra on Monday.",
         ("Arjun Mehra", "Tomas Reyes")),
        # ... but their talks, counterpart or invitation are the event's
        ("Prime Minister Arjun Mehra arrived in Lima at President Rosa Campos's invitation and held talks with"
         " Tomas Reyes on Monday.", ("Arjun Mehra", "Rosa Campos", "Tomas Reyes")),
        # "Sheikh" before a single name is part of it
        ("Prime Minister Arjun Mehra held talks with Prime Minister Sheikh Farida on Monday.",
         ("Arjun Mehra", "Sheikh Farida")),
        # a lone given name after an office is the one person the sentence names in full by it
        ("French President Emmanuel met Prime Minister Arjun Mehra in Paris on Monday.", ("Arjun Mehra", "Emmanuel Macron")),
        # a meeting that did not happen has nobody take part
        ("Prime Minister Arjun Mehra met President Rosa Campos in Lima but could not hold a structured meeting with"
         " President Kofi Mensah.", ("Arjun Mehra", "Rosa Campos")),
        # a name right after an office is its holder's, not another's that ends the same
        ("Prime Minister Arjun Mehra met with the King of Saudi Arabia Salman Al Saud on Monday.",
         ("Arjun Mehra", "Salman bin Abdulaziz")),
        # calls from many, one each: the readout's is the first named
        ("President Kofi Mensah on Sunday received telephone calls from Prime Minister Arjun Mehra, President Rosa"
         " Campos and Prime Minister Tomas Reyes, congratulating him on his victory.", ("Arjun Mehra", "Kofi Mensah")),
        # a listed name written family name first is that person
        ("Foreign Minister Arjun Mehra spoke by phone with his Japanese counterpart Hayashi Yoshimasa on Monday.",
         ("Arjun Mehra", "Yoshimasa Hayashi")),
        # a family name written in capitals is part of the name, not an acronym
        ("President Paul KOUMBA sent a message of congratulations to President Ali MBEKI ONDO on Monday.",
         ("Ali Mbeki Ondo", "Paul Koumba")),
        # whom a clause within the sentence only dates the event by takes no part ...
        ("Chinese President Xi Jinping spoke by video link with Russian President Vladimir Putin on Monday, a few"
         " hours after Donald Trump was sworn in for a second term.", ("Vladimir Putin", "Xi Jinping")),
        ("President Joe Biden met Chinese President Xi Jinping in Lima on Saturday, two months before Donald Trump"
         " returns to the White House.", ("Joe Biden", "Xi Jinping")),
        # ... but at the sentence's opening, the clause's subject may be the one who met: the sentence is kept whole
        ("After Vladimir Putin was welcomed at the airport, he held talks with Xi Jinping in Beijing on Thursday.",
         ("Vladimir Putin", "Xi Jinping")),
        # the cities of a tour are no people
        ("Emmanuel Macron met Luiz Inacio Lula da Silva in Brasilia on Thursday, at the end of a tour that took him"
         " to Belem, Sao Paulo and Rio de Janeiro.", ("Emmanuel Macron", "Luiz Inacio Lula da Silva")),
        # a title-case phrase of a plural office ("Leader Of All Leaders Around The World") is nobody's name
        ("Arjun Mehra Is The Most Admired Leader Of All Leaders Around The World, Says Rosa Campos After Talks."
         " Prime Minister Arjun Mehra held talks with President Rosa Campos on Monday.", ("Arjun Mehra", "Rosa Campos")),
    ],
)
def test_participants_are_the_people_the_sentence_has_take_part(text: str, participants: tuple[str, ...]) -> None:
    reading = read(text, None, "2024-10-11", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == participants


def test_a_lone_first_word_after_a_title_is_the_person_whose_name_begins_with_it() -> None:
    from harvester.people import Cast, recognise

    cast = Cast([*recognise("Premier Ma Kaiwen met Prime Minister Arjun Mehra."), *recognise("President Ma left.")])
    assert [p.name for p in cast.people] == ["Ma Kaiwen", "Arjun Mehra"]
    assert {n for _, _, n in cast.mentions("Premier Ma thanked him.")} == {"Ma Kaiwen"}
    assert [n for _, _, n in cast.mentions("Ma is a common word in some headlines.")] == []
    # the subject of an event's verb, opening a sentence, is the one the readout names in full
    assert [n for _, _, n in cast.mentions("Ma received him.")] == ["Ma Kaiwen"]


def test_a_preview_filed_on_the_day_of_the_talks_is_a_preview() -> None:
    # the dateline's day is when the story was filed, not a day the talks are told on
    reading = read("ANKARA, May 3 (Wire) - Recep Tayyip Erdogan and Shavkat Mirziyoyev will hold talks in Ankara on"
                   " Friday afternoon, officials said.", None, "2024-05-03", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview")


@pytest.mark.parametrize(
    "text",
    [
        "Prime Minister Arjun Mehra on Friday (May 3) will speak to President Kofi Mensah on the phone.",
        "Prime Minister Arjun Mehra will pay a visit to Ghana on May 3, 2024 to hold talks with President Kofi Mensah.",
    ],
)
def test_an_announcement_naming_its_own_day_by_date_is_a_preview(text: str) -> None:
    # only "today", "tonight", "this evening" tell a live report; a date is how a plan names its day
    reading = read(text, None, "2024-05-03", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview")


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # an anniversary note, and history told in the past simple
        ("Twenty years ago today, President Kofi Mensah and Prime Minister Arjun Mehra met for the first time in Accra.",
         "2024-05-03"),
        ("On 12 March 1994, President Kofi Mensah and Prime Minister Arjun Mehra met for the first time in Accra.",
         "2024-03-12"),
        # a call that may happen, on no date set
        ("A telephone conversation between President Kofi Mensah and Prime Minister Arjun Mehra may take place if"
         " needed, officials said.", "2024-05-03"),
        ("The date of talks between President Kofi Mensah and Prime Minister Arjun Mehra has not yet been set.",
         "2024-05-03"),
    ],
)
def test_what_looks_back_or_is_not_fixed_reports_no_event(text: str, published: str) -> None:
    reading = read(text, None, published, GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event"), reading.reason


def test_a_day_in_a_clause_of_its_own_is_not_the_events() -> None:
    text = ("Recep Tayyip Erdogan met Shavkat Mirziyoyev in Tashkent, his first trip to the region after the drought"
            " began on March 2.")
    meeting = extract_meeting(text, None, "2024-05-03", GAZETTEER)
    assert meeting is not None and meeting.date == "2024-05-03" and meeting.date_basis == "published"
    # a meeting in that clause keeps its day
    kept = extract_meeting("Recep Tayyip Erdogan thanked Shavkat Mirziyoyev after they met in Tashkent on March 2.",
                           None, "2024-05-03", GAZETTEER)
    assert kept is not None and kept.date == "2024-03-02"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # "sat down" tells the talks happened, "ahead of the summit" notwithstanding
        ("Prime Minister Arjun Mehra and President Kofi Mensah sat down for a bilateral meeting on Friday, ahead of the"
         " summit.", "meeting"),
        ("King Olav Berg sent a telegram of condolence to President Kofi Mensah on Friday.", "message"),
    ],
)
def test_more_event_wording(text: str, kind: str) -> None:
    reading = read(text, None, "2024-05-04", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.kind == kind


def test_two_cities_of_one_conurbation_are_one_place_to_reports(store: Store) -> None:
    delhi = _stored(store, "https://cnsnews.example/d", "Narendra Modi met Shavkat Mirziyoyev in Delhi on Friday.",
                    "2024-10-11")
    new_delhi = _stored(store, "https://kremlin.example/n", "Shavkat Mirziyoyev held talks with Narendra Modi in New Delhi"
                        " on Friday.", "2024-10-11")
    assert _meeting_of(store, delhi)[0] == _meeting_of(store, new_delhi)[0]
    assert not same_place("Beijing", "Tianjin") and same_place("Delhi", "New Delhi")


def test_participants_are_who_takes_part(store: Store) -> None:
    call = extract_meeting("Vladimir Putin had a telephone conversation with Masoud Pezeshkian on Monday.\n\n"
                           "Separately, Alexander Lukashenko said he would come to Moscow next week.", None, "2024-10-12",
                           GAZETTEER)
    assert call is not None and call.participants == ("Masoud Pezeshkian", "Vladimir Putin")
    # Mohammed bin Salman Al Saud and Mohammed bin Salman are one person
    full = _stored(store, "https://cnsnews.example/p1", "Mohammed bin Salman Al Saud spoke by phone with Masoud"
                   " Pezeshkian on Sunday.", "2024-11-11")
    short = _stored(store, "https://cnsnews.example/p2", "Crown Prince Mohammed bin Salman and Iranian President Masoud"
                    " Pezeshkian held a phone call on Sunday.", "2024-11-10")
    assert _meeting_of(store, full)[0] == _meeting_of(store, short)[0]
    names = [name for (name,) in store.db.execute("select name from people where name like 'Mohammed%'")]
    assert len(names) == 1


@pytest.mark.parametrize(
    ("text", "published", "quoted"),
    [
        ("Vladimir Putin and Masoud Pezeshkian will have bilateral meetings in Kazan.", "2024-10-12", "will have"),
        ("Iran and Russia are planning to adopt a roadmap following their talks in Tehran on July 19, Ebrahim Raisi and"
         " Vladimir Putin said.", "2022-07-12", "planning to adopt"),
        # a visit announced on its own day: the trip is still to come
        ("Prime Minister Arjun Mehra, at the invitation of President Kofi Mensah, will pay an official visit to Ghana"
         " on May 3, 2024 to hold talks with President Mensah in Accra.", "2024-05-03", "will pay"),
    ],
)
def test_a_preview_reports_no_event_and_says_so(text: str, published: str, quoted: str) -> None:
    reading = read(text, None, published, GAZETTEER)
    assert reading.meeting is None
    assert reading.reason.startswith(f"not an event: a preview (“{quoted}”)")


def test_a_retrospective_reports_no_event() -> None:
    reading = read("The treaty was signed on January 17 in Moscow by Vladimir Putin and Iranian President Masoud Pezeshkian during"
                   " the latter's state visit.", None, "2025-10-02", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a retrospective")


def test_a_readout_naming_one_side_by_office_alone_reports_its_event() -> None:
    for text, names in [
        # the Saudi minister is the one the people list has in office that day; his counterpart stays an office
        ("The Saudi foreign minister and his Moroccan counterpart discussed the region in a telephone call on Wednesday.",
         ("Adel al-Jubeir", "Foreign Minister of Morocco")),
        ("The Saudi foreign minister and his Egyptian counterpart discussed the region in a telephone call on Wednesday.",
         ("Adel al-Jubeir", "Sameh Shoukry")),
        ("Kuwait's Emir received on Monday an envoy of the Sultan of Oman.",
         ("Envoy of the Sultan of Oman", "Sabah Al-Ahmad Al-Jaber Al-Sabah")),
        ("President Obama met with the Malaysian prime minister in Kuala Lumpur on Friday.", ("Barack Obama", "Prime Minister of Malaysia")),
    ]:
        meeting = extract_meeting(text, None, "2017-12-14", GAZETTEER)
        assert meeting is not None and meeting.participants == names


# --- order independence: the harvested replicas stored in 20 random orders ----------------------------


def _restore(harvested: Path, order_seed: int, folder: Path) -> Path:
    """The harvested corpus's readouts stored again into a fresh corpus, in a random order."""
    import random

    from harvester.extract import Readout
    from harvester.fetch import Exchange, FetchedPage
    from harvester.store import Store

    source = sqlite_utils.Database(harvested)
    readouts = list(source.query(
        "select url, source, title, kicker, author, published, language, tags, text, extractor, lead, place, canonical_url"
        " from readouts order by id"))
    sources = list(source.query("select name, title, home, language from sources"))
    source.close()
    random.Random(order_seed).shuffle(readouts)
    path = folder / f"order-{order_seed}.db"
    with Store(path) as store:
        for row in sources:
            store.db.table("sources").insert(row)
        for row in readouts:
            readout = Readout(url=row["url"], title=row["title"], kicker=row["kicker"], author=row["author"],
                              published=row["published"], language=row["language"], tags=tuple(json.loads(row["tags"] or "[]")),
                              text=row["text"], extractor=row["extractor"], lead=row["lead"], place=row["place"],
                              canonical=row["canonical_url"])
            exchange = Exchange(row["url"], "GET", (), 200, "OK", "HTTP/1.1", (("Content-Type", "text/html"),), b"",
                                datetime(2026, 1, 1, tzinfo=timezone.utc))
            store.save_readout(row["source"], FetchedPage(row["url"], row["url"], exchange), readout)
    return path


def _identity(path: Path) -> tuple[frozenset[tuple[Any, ...]], frozenset[tuple[Any, ...]]]:
    """The meetings (each as its readouts' URLs with its fields) and the people (name, country): no row ids."""
    db = sqlite_utils.Database(path)
    meetings = frozenset(
        (frozenset(json.loads(urls)), on, place, kind, participants)
        for urls, on, place, kind, participants in db.execute(
            "select json_group_array(r.url), m.date, m.place, m.kind, m.participants from meetings m"
            " join readouts r on r.meeting_id = m.id group by m.id"))
    people = frozenset(db.execute("select name, country from people").fetchall())
    db.close()
    return meetings, people


def _rows(path: Path) -> list[list[tuple[Any, ...]]]:
    db = sqlite_utils.Database(path)
    tables = [db.execute(sql).fetchall() for sql in (
        "select id, meeting_id, kind, meeting_reason, reading, duplicate_of from readouts order by id",
        "select * from meetings order by id", "select * from people order by id",
        "select * from meeting_people order by meeting_id, person_id")]
    db.close()
    return tables


def test_twenty_orders_give_the_same_meetings_people_and_countries(harvested: Path, tmp_path: Path) -> None:
    from harvester.store import Store

    first = None
    for seed in range(20):
        path = _restore(harvested, seed, tmp_path)
        found = _identity(path)
        if first is None:
            first = found
        assert found == first, f"order {seed} differs"
        # the demo's lines, in every order
        db = sqlite_utils.Database(path)
        assert db.execute("select country from people where name = 'Ali Khamenei'").fetchone() == ("IR",)
        hollande = db.execute(
            "select m.date, r.published from readouts r join meetings m on m.id = r.meeting_id"
            " where r.title like 'Telephone conversation with President of France%'").fetchone()
        assert hollande is not None and hollande[0] <= hollande[1][:10]
        rouhani = db.execute("select count(*) from meetings where date = '2015-11-23'"
                             " and participants = '[\"Hassan Rouhani\", \"Vladimir Putin\"]'").fetchone()
        assert rouhani == (1,)
        for title in ("Saudi, Egyptian Foreign Ministers%", "Kerry, Russian Counterpart%", "Obama, Malaysian Prime Minister%",
                      "Kuwaiti Emir Receives Omani Envoy%"):
            row = db.execute("select meeting_id, meeting_reason from readouts where title like ?", [title]).fetchone()
            assert row is not None and row[0] is not None, f"{title}: {row}"
        db.close()
        if seed % 5 == 0:  # `harvester dedupe` on such a corpus changes nothing, row ids included
            before = _rows(path)
            with Store(path) as store:
                store.recompute_identity()
            assert _rows(path) == before


def test_the_meeting_page_shows_each_reports_sentence_and_evidence(store: Store) -> None:
    import asyncio

    from datasette.app import Datasette

    from harvester.publish import PLUGINS, TEMPLATES

    first = _stored(store, "https://cnsnews.example/e1", "Vladimir Putin and Alexander Lukashenko met in St Petersburg"
                    " on Monday.", "2024-01-16")
    _stored(store, "https://cnsnews.example/e2", "Vladimir Putin received Alexander Lukashenko at the Konstantin"
            " Palace in St Petersburg.", "2024-01-17")
    meeting_id = _meeting_of(store, first)[0]
    store.db.conn.commit()

    async def page() -> str:
        datasette = Datasette([str(store.path)], template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS))
        response = await datasette.client.get(f"/readouts/meetings/{meeting_id}")
        assert response.status_code == 200
        text: str = response.text
        return text

    html = asyncio.run(page())
    assert "Reports the event in “Vladimir Putin and Alexander Lukashenko met in St Petersburg on Monday.”" in html
    assert "Date 2024-01-15: “Monday” (published 2024-01-16)" in html
    assert "Date 2024-01-17: the text names no day: published 2024-01-17" in html
    assert "Place Saint Petersburg: “in St Petersburg on Monday”" in html


@pytest.mark.parametrize("surname_first", [True, False])
def test_a_leader_introduced_anywhere_in_the_corpus_is_known_by_surname_alone(tmp_path: Path, surname_first: bool) -> None:
    from harvester.store import Store

    full = ("https://cnsnews.example/full", "Turkish President Recep Tayyip Erdogan and Vladimir Putin met in Sochi"
            " on August 5.", "2022-08-05")
    short = ("https://cnsnews.example/short", "Putin and Erdogan met in Sochi on Friday, the Kremlin said.", "2022-08-06")
    with Store(tmp_path / "readouts.db") as store:
        store.db.execute("insert into sources (name, title, home, language) values ('cnsnews', 'c', 'https://c.example/', 'en')")
        ids = {}
        for url, text, published in ([short, full] if surname_first else [full, short]):
            ids[url] = _stored(store, url, text, published)
        assert _meeting_of(store, ids[short[0]]) == _meeting_of(store, ids[full[0]])
        assert _meeting_of(store, ids[short[0]])[4] == ["Recep Tayyip Erdogan", "Vladimir Putin"]


@pytest.mark.parametrize("initial_first", [True, False])
def test_a_person_named_by_an_initial_is_spelled_out_whatever_the_order(tmp_path: Path, initial_first: bool) -> None:
    from harvester.store import Store

    initial = ("https://cnsnews.example/i", "Foreign Minister K Raghunathan met Prime Minister Omar Haddad in Cairo"
               " on Monday.", "2024-03-05")
    alone = ("https://cnsnews.example/a", "Foreign Minister K Raghunathan and Prime Minister Lena Vogt held talks in"
             " Berlin on Tuesday.", "2024-06-12")
    full = ("https://cnsnews.example/f", "Foreign Minister Kavitha Raghunathan met Prime Minister Omar Haddad in Cairo"
            " on Monday.", "2024-03-05")
    with Store(tmp_path / "readouts.db") as store:
        store.db.execute("insert into sources (name, title, home, language) values ('cnsnews', 'c', 'https://c.example/', 'en')")
        ids = {url: _stored(store, url, text, published)
               for url, text, published in ([initial, alone, full] if initial_first else [full, alone, initial])}
        # the meeting only initialled texts report spells him out too, once the corpus knows the name
        assert _meeting_of(store, ids[alone[0]])[4] == ["Kavitha Raghunathan", "Lena Vogt"]
        assert _meeting_of(store, ids[initial[0]])[4] == ["Kavitha Raghunathan", "Omar Haddad"]
        assert store.db.execute("select name from people where name like '%Raghunathan'").fetchall() == [
            ("Kavitha Raghunathan",)]


@pytest.mark.parametrize(
    ("language", "text", "published", "expected"),
    [
        ("ru", "Президент России Владимир Путин провел переговоры с Масудом Пезешкианом в Москве 17 января.", "2025-01-17",
         ("meeting", "2025-01-17", "Moscow", ("Masoud Pezeshkian", "Vladimir Putin"))),
        ("ar", "التقى الرئيس بشار الأسد الرئيس الإيراني إبراهيم رئيسي في دمشق اليوم.", "2023-05-03",
         ("meeting", "2023-05-03", "Damascus", ("Bashar al-Assad", "Ebrahim Raisi"))),
        ("fa", "ولادیمیر پوتین با مسعود پزشکیان تلفنی گفتگو کرد.", "2025-01-20",
         ("call", "2025-01-20", None, ("Masoud Pezeshkian", "Vladimir Putin"))),
        # a visitor the corpus does not know, named in Persian beside the office he held that day
        ("fa", "حسن روحانی دیروز در تهران با اوو مورالس، رئیس‌جمهور بولیوی، دیدار کرد.", "2016-03-02",
         ("meeting", "2016-03-01", "Tehran", ("Evo Morales", "Hassan Rouhani"))),
    ],
)
def test_russian_persian_and_arabic_readouts_are_read_by_the_same_model(
        language: str, text: str, published: str, expected: tuple[str, str, str | None, tuple[str, ...]]) -> None:
    # Pezeshkian is known to the corpus from an English readout; Putin, Assad and Raisi from the people list
    reading = read(text, None, published, GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    meeting = reading.meeting
    assert (meeting.kind, meeting.date, meeting.place, meeting.participants) == expected


def test_a_given_name_with_h_still_spells_out_a_known_name() -> None:
    # محمد alone is no Medvedev (ح is an h), but "محمود عباس" whole is Mahmoud Abbas, whose surname has no h
    reading = read("التقى الرئيس التركي رجب طيب أردوغان اليوم في أنقرة الرئيس الفلسطيني محمود عباس.", None,
                   "2024-08-15", GAZETTEER, language="ar", known=["Mahmoud Abbas"])
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Mahmoud Abbas", "Recep Tayyip Erdogan")


def test_a_president_elect_is_not_the_president_of_the_day() -> None:
    # the people list has Obama as US President on 9 November 2016: "US President-elect" is not him
    text = ("Nazarbayev congratulates US President-elect\n\nKazakh President Nursultan Nazarbayev congratulated"
            " US President-elect Donald Trump in a telegram on Wednesday.")
    reading = read(text, "Nazarbayev congratulates US President-elect", "2016-11-10", GAZETTEER, language="en")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date, reading.meeting.participants) == (
        "message", "2016-11-09", ("Donald Trump", "Nursultan Nazarbayev"))


def test_a_russian_preview_reports_no_event() -> None:
    reading = read("Путин проведет переговоры с Эрдоганом в Сочи.", None, "2022-08-01", GAZETTEER, language="ru",
                   known=["Recep Tayyip Erdogan"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview (“проведет”)")


# --- reports whose event is not read: the people they name, the week before they were published ----------


def _foreign(title: str, published: str, text: str, language: str) -> str:
    return (f'<html lang="{language}"><head><meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>")


def _kremlin_talks(store: Store, number: int, published: str) -> int:
    readout = _save(store, "kremlin", f"http://en.kremlin.ru/events/president/news/{number}", kremlin_page(
        "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian."))
    store.db.execute("update readouts set published = ? where id = ?", [published, readout])
    return readout


def test_a_report_in_a_language_without_wording_joins_the_one_event_it_names(store: Store) -> None:
    talks = _kremlin_talks(store, 11, "2024-10-23")
    # Serbian, in Cyrillic, declining both names; the meeting step has no Serbian wording
    serbian = _save(store, "cnsnews", "https://cnsnews.example/sr", _foreign(
        "Путин и Пезешкијан у Казању", "2024-10-24T08:00:00+02:00",
        "Председник Русије разговарао је са Пезешкијаном. Путина је председник Ирана позвао у Техеран.", "sr"))
    store.recompute_identity()
    rows = {row[0]: row[1:] for row in store.db.execute("select id, meeting_id, kind, meeting_reason, language from readouts")}
    assert rows[serbian][3] == "sr"
    assert rows[serbian][0] == rows[talks][0] is not None
    assert rows[serbian][1] == "meeting"
    assert "no event read, but it names Masoud Pezeshkian, Vladimir Putin" in rows[serbian][2]
    assert store.db.execute("select count(*) from meetings").fetchone()[0] == 1


def test_a_report_that_fits_two_events_joins_neither(store: Store) -> None:
    _kremlin_talks(store, 12, "2024-10-23")
    call = _save(store, "cnsnews", "https://cnsnews.example/call-2", _wire(
        "Putin, Pezeshkian speak by phone", "2024-10-20T10:00:00+00:00",
        "Russian President Vladimir Putin and Iranian President Masoud Pezeshkian spoke by phone on Sunday."))
    italian = _save(store, "cnsnews", "https://cnsnews.example/it", _foreign(
        "Putin e Pezeshkian, una settimana intensa", "2024-10-25T08:00:00+02:00",
        "Vladimir Putin e Masoud Pezeshkian hanno parlato di energia e di commercio.", "it"))
    store.recompute_identity()
    rows = {row[0]: row[1:] for row in store.db.execute("select id, meeting_id, meeting_reason from readouts")}
    assert rows[call][0] is not None
    assert rows[italian][0] is None and "; linked: " not in rows[italian][1]


def test_reports_whose_event_is_not_read_make_no_event_of_their_own(store: Store) -> None:
    for number in (1, 2):
        _save(store, "cnsnews", f"https://cnsnews.example/it-{number}", _foreign(
            "Putin e Pezeshkian", "2024-10-24T08:00:00+02:00",
            "Vladimir Putin e Masoud Pezeshkian hanno parlato di energia e di commercio.", "it"))
    store.recompute_identity()
    assert [meeting for (meeting,) in store.db.execute("select meeting_id from readouts")] == [None, None]
    assert store.db.execute("select count(*) from meetings").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("language", "text", "named"),
    [
        # Hindi writes vowels as signs joined to consonants; there are no capitals to find a name by
        ("hi", "प्रधानमंत्री नरेंद्र मोदी और राष्ट्रपति व्लादिमीर पुतिन ने बातचीत की।", ("Narendra Modi", "Vladimir Putin")),
        # a surname of two consonants must be spelled out: "Russia" has the key of Raisi, "Asadom" is Assad declined
        ("sr", "Putin je razgovarao sa Asadom o Rusiji.", ("Bashar al-Assad", "Vladimir Putin")),
        # the article of "аш-Шараа" is written small
        ("ru", "Путин и аш-Шараа обсудили экономику.", ("Ahmed al-Sharaa", "Vladimir Putin")),
    ],
)
def test_the_people_a_text_names_in_any_script(language: str, text: str, named: tuple[str, ...]) -> None:
    reading = read(text, None, "2025-10-15", GAZETTEER, language=language)
    assert reading.meeting is None or reading.meeting.participants == named
    found = reading.meeting or reading.mention
    assert found is not None, reading.reason
    assert found.participants == named


def test_a_deputy_is_not_the_minister_and_an_airport_welcome_is_an_arrival() -> None:
    text = ("وصل الرئيس الإيراني مسعود بزشكيان إلى موسكو اليوم. وكان في استقبال الرئيس الإيراني في المطار نائب وزير الخارجية"
            " الروسي.")
    reading = read(text, None, "2025-01-17", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants, reading.meeting.place) == ("visit", ("Masoud Pezeshkian",), "Moscow")


def test_a_foreign_dateline_gives_no_event_date() -> None:
    text = "دمشق 21 نوفمبر 2017 / عقد الرئيس بشار الأسد خلال لقائه الرئيس فلاديمير بوتين محادثات في سوتشي."
    reading = read(text, None, "2017-11-21", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date_basis) == ("meeting", "published")


def test_someone_few_of_many_reports_have_take_part_is_not_a_participant() -> None:
    from harvester.meetings import Meeting, merge

    pair = Meeting("2025-01-17", "Moscow", ("Masoud Pezeshkian", "Vladimir Putin"))
    side = Meeting("2025-01-17", "Moscow", ("Masoud Pezeshkian", "Mikhail Mishustin", "Vladimir Putin"))
    assert merge([pair, pair, pair, side]).participants == ("Masoud Pezeshkian", "Vladimir Putin")
    assert merge([pair, side]).participants == side.participants  # one of two is no minority


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "التقى الرئيس السوري بشار الأسد نظيره الروسي في سوتشي."),
        ("ru", "Президент Сирии Башар Асад встретился со своим российским коллегой в Сочи."),
        ("fa", "بشار اسد با همتای روس خود در سوچی دیدار کرد."),
    ],
)
def test_a_counterpart_is_who_holds_the_same_office_in_that_country(language: str, text: str) -> None:
    reading = read(text, None, "2017-11-20", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Bashar al-Assad", "Vladimir Putin")


def test_an_arrival_where_talks_are_to_come_reports_the_arrival_and_a_trip_to_come_is_a_preview() -> None:
    arrival = read("وصل الرئيس الإيراني مسعود بزشكيان إلى موسكو حيث سيجري محادثات مع الرئيس فلاديمير بوتين.", None,
                   "2025-01-17", GAZETTEER, language="ar")
    assert arrival.meeting is not None, arrival.reason
    assert arrival.meeting.participants == ("Masoud Pezeshkian", "Vladimir Putin")
    trip = read("سفر مسعود پزشکیان به مسکو برای دیدار با ولادیمیر پوتین هفته آینده انجام خواهد شد.", None,
                "2025-01-10", GAZETTEER, language="fa")
    assert trip.meeting is None and trip.reason.startswith("not an event: a preview")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fa", "آیت‌الله خامنه‌ای امروز در دیدار ولادیمیر پوتین از همکاری دو کشور استقبال کرد."),
        ("ar", "التقى المرشد علي الخامنئي الرئيس فلاديمير بوتين في طهران اليوم."),
    ],
)
def test_a_name_whose_key_is_a_common_word_is_found_by_its_alias_in_that_script(language: str, text: str) -> None:
    # the key of Khamenei ("mn") is the key of the word "من": the people list spells him in each script
    reading = read(text, None, "2015-11-23", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ali Khamenei", "Vladimir Putin")


@pytest.mark.parametrize(
    ("language", "text", "day", "named"),
    [
        # "بدون" (without) has the key of Biden: only "بایدن" names him, and "امروز" (today), Merz's key, no one
        ("fa", "پوتین امروز بدون هیچ پیش شرطی در ژنو با بایدن دیدار کرد.", "2021-06-16", ("Joe Biden", "Vladimir Putin")),
        # "مبارك" (blessed) is Mubarak's key and "الملك" (the king) al-Maliki's: the whole names are theirs
        ("ar", "استقبل الملك عبدالله الثاني في عمان اليوم المبارك رئيس الوزراء نوري المالكي.", "2008-06-10",
         ("Abdullah II", "Nouri al-Maliki")),
        ("ar", "التقى الرئيس حسني مبارك والرئيس بشار الأسد في شرم الشيخ في يوم مبارك.", "2009-03-11",
         ("Bashar al-Assad", "Hosni Mubarak")),
        # a Russian surname matched as written is declined ("Байденом", "Мерцем") and "Также" (also) is no one
        ("ru", "Путин провёл переговоры с Байденом в Женеве. Также обсуждалась Украина.", "2021-06-16",
         ("Joe Biden", "Vladimir Putin")),
        ("ru", "Лавров встретился в Берлине с канцлером ФРГ Фридрихом Мерцем.", "2025-06-02",
         ("Friedrich Merz", "Sergey Lavrov")),
        # an Arabic name with "و" joined to its front
        ("ar", "التقى بوتين وبايدن في جنيف.", "2021-06-16", ("Joe Biden", "Vladimir Putin")),
    ],
)
def test_a_person_whose_surname_key_is_a_common_word_is_named_only_by_the_spellings_listed(
        language: str, text: str, day: str, named: tuple[str, ...]) -> None:
    reading = read(text, None, day, GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == named


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fa", "ولادیمیر پوتین امروز برای نشستی با همتایان ایرانی و ترکیه‌ای خود وارد تهران شد."),
        ("ar", "وصل الرئيس الروسي فلاديمير بوتين اليوم إلى طهران للقاء نظيريه الإيراني والتركي."),
    ],
)
def test_counterparts_of_two_countries_joined_by_and_are_both_taking_part(language: str, text: str) -> None:
    # "his Iranian and Turkish counterparts": one counterpart of each country, as one of one country is
    reading = read(text, None, "2022-07-19", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ebrahim Raisi", "Recep Tayyip Erdogan", "Vladimir Putin")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # each of these words has the key of a listed office holder (Biden, Merz, Mubarak, al-Maliki, Karzai)
        ("fa", "پزشکیان امروز بدون تشریفات در مرز با پوتین دیدار کرد و گفت کار بزرگی کرده است."),
        ("ar", "التقى بزشكيان وبوتين في يوم مبارك في قصر الملك."),
    ],
)
def test_common_words_with_an_unkeyed_persons_key_name_no_one(language: str, text: str) -> None:
    reading = read(text, None, "2024-10-11", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == ("Masoud Pezeshkian", "Vladimir Putin")


@pytest.mark.parametrize(
    "text",
    [
        "Кремль анонсировал переговоры Путина с Эрдоганом.",
        "Эрдоган и Путин проведут переговоры в Сочи 4 сентября.",
        "Путин и Эрдоган провели переговоры в Сочи 4 сентября.",  # the only day named is still to come
    ],
)
def test_russian_announcements_and_days_to_come_are_previews(text: str) -> None:
    reading = read(text, None, "2023-08-24", GAZETTEER, language="ru", known=["Recep Tayyip Erdogan"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


@pytest.mark.parametrize(
    ("language", "text", "published"),
    [
        ("en", "Ayatollah Ali Khamenei received the Emir of Qatar Tamim bin Hamad Al Thani, who offered condolences"
               " on the death of President Ebrahim Raisi.", "2024-05-22"),
        ("ar", "تلقى الرئيس مسعود بزشكيان برقية تعزية من الرئيس فلاديمير بوتين في وفاة المرشد علي الخامنئي.", "2026-03-01"),
    ],
)
def test_the_dead_take_part_in_nothing(language: str, text: str, published: str) -> None:
    reading = read(text, None, published, GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    expected = {"en": ("Ali Khamenei", "Tamim bin Hamad Al Thani"), "ar": ("Masoud Pezeshkian", "Vladimir Putin")}
    assert reading.meeting.participants == expected[language]


def test_a_short_surname_after_a_title_is_a_name_and_a_demonym_never_is() -> None:
    # "Raisi" keys as "rs", too short alone in Arabic letters; after "الرئيس" (the president) it is the name.
    # "السعودي" (Saudi) keys as "sd", as Assad does: a demonym, never a name, whatever stands before it.
    call = read("أجرى الرئيس رئيسي اتصالا هاتفيا مع الرئيس بوتين اليوم.", None, "2023-03-06", GAZETTEER, language="ar")
    assert call.meeting is not None and call.meeting.participants == ("Ebrahim Raisi", "Vladimir Putin")
    saudi = read("تلقى ولي العهد السعودي محمد بن سلمان اتصالا هاتفيا من الرئيس الإيراني مسعود بزشكيان.", None,
                 "2024-11-10", GAZETTEER, language="ar")
    assert saudi.meeting is not None and saudi.meeting.participants == ("Masoud Pezeshkian", "Mohammed bin Salman")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Владимир Путин провел переговоры с Си Цзиньпином в Пекине."),  # declined
        ("ar", "التقى الرئيس فلاديمير بوتين الرئيس الصيني شي جين بينغ في بكين."),
    ],
)
def test_a_name_a_language_translates_is_found_by_its_listed_spelling(language: str, text: str) -> None:
    # Russian writes Xi Jinping "Си Цзиньпин", Arabic "شي جين بينغ": no transliteration key meets them
    reading = read(text, None, "2025-09-02", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Vladimir Putin", "Xi Jinping")


@pytest.mark.parametrize(
    ("language", "text"),
    [("fa", "دیدار اسد و پوتین در سوچی"), ("ar", "لقاء الأسد وبوتين في سوتشي")],
)
def test_a_short_surname_joined_by_and_to_a_known_name_is_a_name(language: str, text: str) -> None:
    # "اسد" (Assad) keys as "sd", too short alone; "Assad and Putin" makes it a name
    reading = read(text, None, "2017-11-21", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Bashar al-Assad", "Vladimir Putin")


# --- the tune half's misses of the development set, each cause in sentences of its style ----------------------


def test_a_later_sentence_of_the_lead_that_words_the_event_gives_its_day() -> None:
    # published on Tuesday: the headline and the dateline name no day of the talks, a later sentence does
    title = "Путин провел переговоры с Эрдоганом"
    text = ("СОЧИ, 5 сент — Президент России Владимир Путин провел переговоры с турецким лидером Реджепом Эрдоганом.\n\n"
            "Стороны обсудили зерновую сделку.\n\nЛидеры говорили о торговле и туризме.\n\n"
            "Переговоры прошли в понедельник в резиденции.")
    reading = read(text, title, "2023-09-05", GAZETTEER, language="ru", known=["Recep Tayyip Erdogan"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2023-09-04", "text")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sr", "Председник Русије Владимир Путин разговарао је телефоном са председником Ирана Ебрахимом Раисијем."),
        ("pl", "Prezydent Rosji Władimir Putin odbył rozmowę telefoniczną z prezydentem Iranu Ebrahimem Raisim."),
    ],
)
def test_a_call_is_read_in_a_language_without_wording_by_the_word_telephone(language: str, text: str) -> None:
    # no Serbian or Polish wording here, but "telephone" is one word across languages and scripts
    reading = read(text, None, "2023-03-06", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    meeting = reading.meeting
    assert (reading.kind, meeting.participants, meeting.date, meeting.date_basis, meeting.place) == (
        "call", ("Ebrahim Raisi", "Vladimir Putin"), "2023-03-06", "published", None)
    assert not meeting.tentative


def test_a_late_undated_copy_joins_the_event_a_report_dates() -> None:
    from harvester.meetings import Meeting, cluster

    people = ("Recep Tayyip Erdogan", "Vladimir Putin")
    dated = Meeting("2023-09-04", "Sochi", people, date_basis="text")
    same_day = Meeting("2023-09-04", "Sochi", people, date_basis="published")
    two_days_on = Meeting("2023-09-06", "Sochi", people, date_basis="published")  # a copy of the arrival report
    events = cluster([("dated", dated), ("same day", same_day), ("late", two_days_on)])
    assert [(sorted(keys), event.date) for keys, event, _ in events] == [(["dated", "late", "same day"], "2023-09-04")]
    # without a report naming the day, two publication days two days apart are two events
    assert len(cluster([("same day", same_day), ("late", two_days_on)])) == 2


@pytest.mark.parametrize(
    "text",
    [
        "أجرى وزير الخارجية السعودي فيصل بن فرحان اتصالا هاتفيا مع وزير الخارجية الإيراني بالوكالة علي باقري كني.",
        "تلقى وزير الخارجية السعودي اتصالا هاتفيا من نظيره الإيراني.",
    ],
)
def test_an_acting_minister_holds_the_office_between_two_ministers(text: str) -> None:
    # Iran's foreign ministry between Amir-Abdollahian's death (May 2024) and Araghchi (August 2024)
    reading = read(text, None, "2024-07-02", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("call", ("Ali Bagheri Kani", "Faisal bin Farhan"))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The Omani ruler arrived in Tehran yesterday for a two-day state visit.\n\nDuring the visit of Sultan Haitham"
               " bin Tariq, Ayatollah Ali Khamenei received him and praised the ties of the two countries."),
        ("fa", "پادشاه عمان دیروز برای یک سفر دو روزه به تهران آمد.\n\nدر جریان سفر هیثم بن طارق به ایران، رهبر انقلاب"
               " آیت‌الله خامنه‌ای با او دیدار کرد."),
    ],
)
def test_the_day_told_just_before_the_events_sentence_dates_it(language: str, text: str) -> None:
    # the first sentence names the visitor by an office the step does not know; the day is told there
    reading = read(text, None, "2023-05-29", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2023-05-28", "text")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Vladimir Putin held talks with Bashar al-Assad in Sochi, the Kremlin said on Tuesday."),
        ("ru", "Владимир Путин провел переговоры с Башаром Асадом в Сочи. Об этом во вторник сообщили в Кремле."),
        ("ar", "عقد الرئيس بشار الأسد محادثات مع الرئيس فلاديمير بوتين في سوتشي، حسبما ذكرت وكالة الأنباء يوم الثلاثاء."),
        ("fa", "بشار اسد و ولادیمیر پوتین در سوچی دیدار کردند. این خبر را روز سه‌شنبه خبرگزاری رسمی سوریه اعلام کرد."),
    ],
)
def test_the_day_a_report_was_made_is_not_the_events_day(language: str, text: str) -> None:
    # "the Kremlin said on Tuesday" dates the saying: the talks may have been the day before. Published on
    # Wednesday: the day of the saying bounds the event better than the publication does
    reading = read(text, None, "2017-11-22", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2017-11-21", "published"), reading.meeting.date_evidence
    # so a report naming the day of the talks may join it
    from dataclasses import replace

    from harvester.meetings import agree

    monday = replace(reading.meeting, date="2017-11-20", date_basis="text")
    assert agree(monday, reading.meeting) is not None


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # a headline without a verb has no tense: the lead's "пройдут" (will be held) tells a plan
        ("Казанская встреча Путина и Пезешкиана", "В среду в Казани пройдут переговоры Владимира Путина и Масуда Пезешкиана."),
        # one person's trip still to come ("посетит") is no arrival
        (None, "Ранее сообщалось, что Пезешкиан посетит Россию с официальным визитом."),
    ],
)
def test_a_russian_preview_under_a_headline_without_tense_or_of_one_persons_trip(title: str | None, text: str) -> None:
    reading = read(text, title, "2024-10-21", GAZETTEER, language="ru", known=["Masoud Pezeshkian"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Arabic: "سـ" before the imperfect of any event verb the lexicon knows
        ("ar", "ستعقد قمة بين الرئيس فلاديمير بوتين والرئيس مسعود بزشكيان في موسكو."),
        ("ar", "سيستقبل الرئيس فلاديمير بوتين الرئيس الإيراني مسعود بزشكيان في الكرملين."),
        # Persian: the auxiliary "خواهند" before any verb
        ("fa", "ولادیمیر پوتین و مسعود پزشکیان در مسکو دیدار خواهند داشت."),
        # Russian: a perfective verb in the present form is the future
        ("ru", "Путин примет Пезешкиана в Кремле."),
    ],
)
def test_the_future_tense_of_each_language_makes_a_preview(language: str, text: str) -> None:
    reading = read(text, None, "2025-01-14", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Vladimir Putin sent a message of condolences on the death of Raisi to Masoud Pezeshkian."),
        ("fa", "پوتین در پیامی درگذشت رئیسی را به پزشکیان تسلیت گفت."),
        ("ar", "بعث الرئيس بوتين برقية تعزية في وفاة رئيسي إلى بزشكيان."),
    ],
)
def test_the_one_consoled_for_a_death_is_not_the_dead(language: str, text: str) -> None:
    reading = read(text, None, "2024-07-30", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("message", ("Masoud Pezeshkian", "Vladimir Putin"))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Президент России Владимир Путин и президент Ирана Масуд Пезешкиан подписали в Кремле договор о партнерстве."),
        ("ar", "وقع الرئيس الروسي فلاديمير بوتين والرئيس الإيراني مسعود بزشكيان في الكرملين معاهدة الشراكة."),
        ("fa", "ولادیمیر پوتین و مسعود پزشکیان در کرملین پیمان همکاری را امضا کردند."),
    ],
)
def test_two_leaders_signing_together_is_a_meeting_in_every_language(language: str, text: str) -> None:
    # English reads "signed" as a meeting's wording; the others say it in their own words
    reading = read(text, None, "2025-01-17", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants, reading.meeting.place) == (
        "meeting", ("Masoud Pezeshkian", "Vladimir Putin"), "Moscow")


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin met Recep Tayyip Erdogan in the Black Sea resort of Sochi on Monday.",
        "Vladimir Putin held talks with Recep Tayyip Erdogan in the southern Russian city of Sochi on Monday.",
    ],
)
def test_a_place_named_by_what_it_is_is_the_place(text: str) -> None:
    meeting = extract_meeting(text, None, "2023-09-05", GAZETTEER)
    assert meeting is not None and meeting.place == "Sochi"


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("ru", "Путин провел переговоры с Эрдоганом в городе Сочи.", "Sochi"),
        ("ar", "التقى الرئيس فلاديمير بوتين الرئيس رجب طيب أردوغان في منتجع سوتشي.", "Sochi"),
        ("ar", "التقى الرئيس فلاديمير بوتين الرئيس رجب طيب أردوغان بمدينة سوتشي.", "Sochi"),
        ("fa", "مسعود پزشکیان در کاخ کرملین با ولادیمیر پوتین دیدار کرد.", "Moscow"),
    ],
)
def test_a_place_after_what_it_is_called_is_the_place_in_every_language(language: str, text: str, place: str) -> None:
    reading = read(text, None, "2023-09-04", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == place


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # written while the day's talks are on: the future of "today" is that day's event
        ("en", "Russian President Vladimir Putin will welcome Iranian President Masoud Pezeshkian at the Kremlin later today."),
        ("ru", "Владимир Путин сегодня проведет переговоры с Масудом Пезешкианом в Кремле."),
        ("ar", "سيجري الرئيس فلاديمير بوتين محادثات مع الرئيس مسعود بزشكيان في الكرملين اليوم."),
        ("fa", "دیدار مسعود پزشکیان و ولادیمیر پوتین امروز در کرملین برگزار خواهد شد."),
        # an arrival report tells the talks that follow the arrival in the future
        ("en", "Iranian President Masoud Pezeshkian arrived in Moscow on Friday morning. Vladimir Putin will welcome"
               " Pezeshkian in the Kremlin."),
        ("ar", "وصل الرئيس مسعود بزشكيان إلى موسكو اليوم. وسيجري بزشكيان محادثات مع الرئيس فلاديمير بوتين في الكرملين."),
    ],
)
def test_a_live_or_arrival_report_announcing_the_days_talks_reports_them(language: str, text: str) -> None:
    reading = read(text, None, "2025-01-17", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date, reading.meeting.date_basis, reading.meeting.participants) == (
        "meeting", "2025-01-17", "text", ("Masoud Pezeshkian", "Vladimir Putin"))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Russian President Vladimir Putin will welcome Iranian President Masoud Pezeshkian at the Kremlin on Friday."),
        ("ar", "سيجري الرئيس فلاديمير بوتين محادثات مع الرئيس مسعود بزشكيان في الكرملين يوم الجمعة."),
        ("fa", "دیدار مسعود پزشکیان و ولادیمیر پوتین روز جمعه در کرملین برگزار خواهد شد."),
        # a dateline's day is the filing's, not "today" in the sentence
        ("ru", "МОСКВА, 14 января. Владимир Путин проведет переговоры с Масудом Пезешкианом в Кремле."),
    ],
)
def test_the_same_announcement_days_ahead_is_still_a_preview(language: str, text: str) -> None:
    reading = read(text, None, "2025-01-14", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


def test_a_text_naming_one_of_an_events_people_and_its_city_joins_that_event(store: Store) -> None:
    talks = _stored(store, "https://cnsnews.example/kremlin", "Vladimir Putin held talks with Masoud Pezeshkian in the"
                    " Kremlin on Friday.", "2025-01-17")
    # Armenian, which the step has no wording for: "Iran's President Masoud Pezeshkian arrived in Moscow today"
    moscow = _stored(store, "https://cnsnews.example/hy-moscow", "Իրանի նախագահ Մասուդ Փեզեշքիանը այսօր ժամանել է Մոսկվա։",
                     "2025-01-17", language="hy")
    # the same person in another city that week is not at those talks
    tehran = _stored(store, "https://cnsnews.example/hy-tehran", "Իրանի նախագահ Մասուդ Փեզեշքիանը այսօր ժամանել է Թեհրան։",
                     "2025-01-19", language="hy")
    assert _meeting_of(store, moscow)[0] == _meeting_of(store, talks)[0] is not None
    assert _meeting_of(store, tehran)[0] is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fa", "رهبر معظم انقلاب امروز در دیدار سلطان عمان بر گسترش روابط تأکید کرد."),
        ("fa", "رهبر انقلاب اسلامی امروز هیثم بن طارق را به حضور پذیرفت."),
        ("ar", "استقبل قائد الثورة الإسلامية اليوم السلطان هيثم بن طارق في طهران."),
    ],
)
def test_iranian_and_arabic_pages_name_the_leader_by_his_title_alone(language: str, text: str) -> None:
    reading = read(text, None, "2023-05-28", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Ali Khamenei", "Haitham bin Tariq"), "Tehran")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # two hosts of one country met by one visitor: two meetings, this one with the first named
        ("en", "Visiting Syrian President Bashar al-Assad met Supreme Leader Ayatollah Ali Khamenei and President Ebrahim"
               " Raisi in Tehran on Sunday.", ("Ali Khamenei", "Bashar al-Assad")),
        ("ar", "التقى الرئيس السوري بشار الأسد في طهران اليوم المرشد علي خامنئي والرئيس الإيراني إبراهيم رئيسي.",
         ("Ali Khamenei", "Bashar al-Assad")),
        # three countries: one meeting of three
        ("en", "Vladimir Putin met Hassan Rouhani and Ilham Aliyev in Tehran on Sunday.",
         ("Hassan Rouhani", "Ilham Aliyev", "Vladimir Putin")),
    ],
)
def test_a_visitor_meeting_two_leaders_of_one_country_meets_each_apart(language: str, text: str,
                                                                       expected: tuple[str, ...]) -> None:
    reading = read(text, None, "2022-05-08", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == expected
    if len(expected) == 2:  # the other host is named and left out: a report of their own meeting is not this one
        assert "Ebrahim Raisi" in reading.meeting.named


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "تلقى الشيخ محمد بن زايد اليوم اتصالا هاتفيا من السلطان هيثم بن طارق."),
        ("ru", "Мухаммед бен Заид провел сегодня телефонный разговор с Хайсамом бен Тариком."),
    ],
)
def test_a_name_with_bin_is_read_by_the_fathers_name_after_the_particle(language: str, text: str) -> None:
    # "محمد" before "بن" is a given name (it keys as Medvedev); "Zayed" and "Tariq" name them only after "bin"
    reading = read(text, None, "2026-03-01", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Haitham bin Tariq", "Mohamed bin Zayed")


def test_a_fathers_name_alone_and_a_word_with_its_key_name_nobody() -> None:
    # "طریق" (a way) keys as Tariq; "محمد رضا" has the key of Medvedev but ح is h in every Latin spelling
    reading = read("حسن روحانی از طریق تلفن با محمد رضا عارف گفتگو کرد.", None, "2024-11-10", GAZETTEER, language="fa")
    assert reading.meeting is None or "Haitham bin Tariq" not in reading.meeting.participants
    named = read("اتصال هاتفي بين الرئيس بزشكيان والدكتور محمد رضا عارف.", None, "2024-11-10", GAZETTEER, language="ar")
    assert named.meeting is None or "Dmitry Medvedev" not in named.meeting.named


def test_in_a_call_the_one_whose_invitation_is_spoken_of_is_not_on_the_line() -> None:
    text = ("وخلال الاتصال الهاتفي اعتذر الرئيس بزشكيان عن تلبية دعوة الملك سلمان بن عبدالعزيز لحضور القمة. "
            "وثمن ولي العهد الأمير محمد بن سلمان الاتصال الهاتفي الذي أجراه الرئيس بزشكيان.")
    reading = read(text, None, "2024-11-10", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("call", ("Masoud Pezeshkian", "Mohammed bin Salman"))


def test_the_head_of_state_of_a_country_is_its_president() -> None:
    # "رئيس دولة الإمارات" (the head of state of the UAE): how the UAE's president is called
    reading = read("استقبل الرئيس فلاديمير بوتين رئيس دولة الإمارات في الكرملين اليوم.", None, "2025-08-07", GAZETTEER,
                   language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Mohamed bin Zayed", "Vladimir Putin"), "Moscow")


def test_the_preposition_on_is_not_the_name_ali() -> None:
    # "على الأمن" (on security) folds to the key of "Ali Khamenei"; the name is written علي
    text = "تلقى الشيخ محمد بن زايد اليوم اتصالا هاتفيا من السلطان هيثم بن طارق أكدا فيه الحرص على الأمن في المنطقة."
    reading = read(text, None, "2026-03-01", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Haitham bin Tariq", "Mohamed bin Zayed")


def test_a_next_sentence_about_an_event_of_another_family_does_not_date_this_one() -> None:
    text = ("Президенты Владимир Путин и Реджеп Тайип Эрдоган проводят переговоры в Ашхабаде. "
            "Путин и Эрдоган говорили по телефону 24 ноября.")
    reading = read(text, None, "2025-12-12", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2025-12-12", "Ashgabat")


def test_the_office_of_president_is_not_a_vice_presidents() -> None:
    # Iran's First Vice President held office beside the President: "the Iranian President" is one person
    text = "أجرى الرئيس الإيراني اليوم اتصالا هاتفيا مع الرئيس التركي رجب طيب أردوغان."
    reading = read(text, None, "2023-12-06", GAZETTEER, language="ar")


# --- new real texts (outside the development set): each cause in sentences of its style ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "US President George W. Bush and his Russian counterpart Vladimir Putin talked by telephone on Friday.",
        "Russian President Vladimir Putin held a telephone conversation with his US counterpart George W. Bush on Friday.",
    ],
)
def test_a_middle_initial_is_part_of_the_name(text: str) -> None:
    # "W." is one capital and a full stop between two names: an initial, not an acronym like "U.S." that ends a name
    reading = read(text, None, "2008-03-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("George W. Bush", "Vladimir Putin")


def test_a_pages_time_line_is_not_the_day_of_the_event_a_later_sentence_words() -> None:
    # the first line is the headline, then the page's posting time; the sentence with the call gives its day
    text = ("Putin speaks by phone with the Emir of Qatar\n\nWorld News\n\nApril 9, 2:15\n\n"
            "MOSCOW, April 9. /TASS/. Russian President Vladimir Putin and Emir of Qatar Tamim bin Hamad Al Thani"
            " held a telephone conversation on April 8, the Kremlin said.")
    reading = read(text, None, "2025-04-09", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("call", "2025-04-08")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the host greets the visitor at the airport, and the lead goes on to their talks: the day's meeting
        ("President Kais Saied on Tuesday greeted visiting Algerian President Abdelmadjid Tebboune at Tunis-Carthage"
         " airport.\n\nThe two presidents then held talks at Carthage Palace.", "meeting"),
        ("President Kais Saied on Tuesday greeted visiting Algerian President Abdelmadjid Tebboune at Tunis-Carthage"
         " airport.\n\nThe President of the Republic will hold talks with his guest on bilateral cooperation.", "meeting"),
        # talks of another day, or with someone else, are not the greeting's
        ("President Kais Saied on Tuesday greeted visiting Algerian President Abdelmadjid Tebboune at Tunis-Carthage"
         " airport.\n\nThe two presidents will hold talks on Thursday.", "visit"),
        ("President Kais Saied on Tuesday greeted visiting Algerian President Abdelmadjid Tebboune at Tunis-Carthage"
         " airport.\n\nTebboune will later meet Prime Minister Najla Bouden.", "visit"),
    ],
)
def test_a_host_greeting_a_visitor_on_arrival_meets_him_when_the_lead_tells_their_talks(text: str, kind: str) -> None:
    reading = read(text, None, "2021-12-07", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.participants) == (kind, ("Abdelmadjid Tebboune", "Kais Saied"))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the lead's opening names no city; a later paragraph with the talks as its subject does
        ("Russian President Vladimir Putin praised close ties with Iran in his first meeting with Iranian President"
         " Masoud Pezeshkian.\n\nThe talks took place during an international forum held in Ashgabat.", "Ashgabat"),
        # talks of another day are another event's
        ("Russian President Vladimir Putin praised close ties with Iran in his first meeting with Iranian President"
         " Masoud Pezeshkian.\n\nThe previous talks were held in Tehran on 7 September 2018.", None),
        # the talks with someone, a bilateral meeting: this event's; "a summit in Hanoi" would be another
        ("Russian President Vladimir Putin held talks with Iranian President Masoud Pezeshkian on Friday.\n\nAt the"
         " start of the talks with Pezeshkian in Ashgabat, Putin praised the ties.", "Ashgabat"),
        ("Russian President Vladimir Putin praised his latest meeting with Iranian President Masoud Pezeshkian.\n\n"
         "During a bilateral meeting in Ashgabat, Putin welcomed the guest.", "Ashgabat"),
        ("Russian President Vladimir Putin praised his latest meeting with Iranian President Masoud Pezeshkian.\n\n"
         "Talks have stalled since a summit in Hanoi.", None),
    ],
)
def test_a_later_sentence_with_the_talks_as_its_subject_gives_their_place(text: str, place: str | None) -> None:
    reading = read(text, None, "2024-10-11", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Masoud Pezeshkian", "Vladimir Putin"), place)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("President Kais Saied on Tuesday received Algerian President Abdelmadjid Tebboune at Tunis-Carthage airport.",
         "Tunis"),
        ("President Kais Saied on Tuesday received Algerian President Abdelmadjid Tebboune at Moscow-Vnukovo"
         " International Airport.", "Moscow"),
        ("President Donald Trump hosted Colombian President Ivan Duque in the Oval Office on Tuesday.", "Washington"),
        ("Prime Minister Fumio Kishida welcomed Mongolian President Ukhnaagiin Khurelsukh at Akasaka Palace on"
         " Thursday.", "Tokyo"),
    ],
)
def test_an_airport_named_by_its_city_and_a_landmark_is_in_that_city(text: str, place: str) -> None:
    reading = read(text, None, "2021-12-07", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Prime Minister Narendra Modi met Chinese President Xi Jinping on the sidelines of the summit in Russia's"
         " Kazan on Wednesday.", "Kazan"),
        # a possessive before what is not a city names no place: an invitation is nowhere
        ("Prime Minister Narendra Modi met Chinese President Xi Jinping at Putin's invitation on Wednesday.", None),
    ],
)
def test_a_city_after_its_countrys_possessive_is_the_place(text: str, place: str | None) -> None:
    reading = read(text, None, "2024-10-23", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == place


def test_a_future_in_words_quipped_at_a_meeting_does_not_make_it_a_preview() -> None:
    # "quipped" tells that the meeting took place; the future is in what was said there
    said = read("Russian President Vladimir Putin quipped during his meeting with Prime Minister Narendra Modi on"
                " Tuesday that Modi will not need an interpreter.", None, "2024-10-22", GAZETTEER)
    assert said.meeting is not None, said.reason
    assert (said.meeting.participants, said.meeting.date) == (("Narendra Modi", "Vladimir Putin"), "2024-10-22")
    # the same verb after the plan reports the plan: still a preview
    plan = read("Prime Minister Narendra Modi will meet Russian President Vladimir Putin in Kazan, the ministry noted.",
                None, "2024-10-21", GAZETTEER)
    assert plan.meeting is None and "preview" in plan.reason


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Russian President Vladimir Putin and North Korean leader Kim Jong Un met for their first summit on Thursday."
         "\n\nThe summit in Russia's Vladivostok came after talks with Washington had stalled.", "Vladivostok"),
        # "a summit in …" is another one, not the event the lead told
        ("Russian President Vladimir Putin and North Korean leader Kim Jong Un met for their first summit on Thursday."
         "\n\nTalks with Washington had stalled since a summit in Hanoi failed.", None),
    ],
)
def test_the_event_named_with_its_city_later_in_the_lead_gives_the_place(text: str, place: str | None) -> None:
    reading = read(text, None, "2019-04-25", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Kim Jong Un", "Vladimir Putin"), place)


def test_talks_via_teleconference_are_a_video_call() -> None:
    reading = read("Talks between Putin and Biden via teleconference ended\n\nRussian President Vladimir Putin and US"
                   " President Joe Biden exchanged greetings at the beginning of the teleconference on Tuesday.",
                   None, "2021-12-07", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.place) == ("video_call", None)


def test_a_persian_seyyed_joined_to_the_given_name_is_a_title() -> None:
    reading = read("آیت‌الله سیدابراهیم رئیسی صبح امروز در کاخ سعدآباد از رجب طیب اردوغان، رئیس جمهور ترکیه استقبال کرد.",
                   None, "2022-07-19", GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ebrahim Raisi", "Recep Tayyip Erdogan")


def test_a_persian_sentence_opening_with_an_office_alone_names_irans_own_official() -> None:
    text = "رئیس جمهور امروز در تماس تلفنی با رجب طیب اردوغان رئیس جمهور ترکیه گفتگو کرد."
    reading = read(text, None, "2023-04-07", GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("call", ("Ebrahim Raisi", "Recep Tayyip Erdogan"))
    # further in, the office alone may be anyone's: "met the Leader and the President" is no call of Iran's
    later = read("رجب طیب اردوغان امروز در تماس تلفنی با رئیس جمهور گفتگو کرد.", None, "2023-04-07", GAZETTEER,
                 language="fa")
    assert later.meeting is None or later.meeting.participants == ("Recep Tayyip Erdogan",)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("US President Donald Trump held talks with Chinese President Xi Jinping in the Chinese capital on Thursday.",
         "Beijing"),
        # "the capital of …" names its country after it
        ("US President Donald Trump held talks with Chinese President Xi Jinping in the Chinese capital of trade on"
         " Thursday.", None),
    ],
)
def test_the_capital_a_demonym_names_is_its_countrys(text: str, place: str | None) -> None:
    reading = read(text, None, "2017-11-09", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the headline is the gist; the lead's sentence with the same two people meeting says where
        ("Hu Jintao holds talks with Mongolian president\n\nBEIJING, June 7 -- Chinese President Hu Jintao held talks"
         " Thursday with Mongolian President Tsakhia Elbegdorj in the Great Hall of the People in Beijing.", "Beijing"),
        # where a plan it adds is, is the plan's
        ("Hu Jintao holds talks with Mongolian president\n\nChinese President Hu Jintao welcomed Mongolian President"
         " Tsakhia Elbegdorj on Thursday ahead of official talks in Beijing.", None),
    ],
)
def test_after_a_headline_the_leads_sentence_of_the_same_meeting_gives_its_place(text: str, place: str | None) -> None:
    reading = read(text, "Hu Jintao holds talks with Mongolian president", "2012-06-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2012-06-07", place)


@pytest.mark.parametrize(
    ("language", "text", "named"),
    [
        # "with the president" joins its preposition to the title: "بالرئيس" is no Raisi; "(CNN)" is no Kani
        ("ar", "القاهرة (CNN) – أجرى الملك عبد الله الثاني اتصالا هاتفيا بالرئيس المصري عبد الفتاح السيسي مساء الأحد.",
         ("Abdel Fattah el-Sisi", "Abdullah II")),
        # "Аль Сауд" is the House of Saud, no al-Assad, whose key it has; "СА" an acronym
        ("ru", "Путин провел переговоры с наследным принцем Саудовской Аравии (СА) Мухаммедом бен Сальманом Аль Саудом.",
         ("Mohammed bin Salman", "Vladimir Putin")),
        # a house's name after "آل" still names one whose name has it
        ("ar", "تلقى الرئيس بوتين اتصالا هاتفيا من الشيخ تميم بن حمد آل ثاني.", ("Tamim bin Hamad Al Thani", "Vladimir Putin")),
        # Russian does not decline "Сиси", whose key is too short to find it by
        ("ru", "Владимир Путин и Абдель Фаттах ас-Сиси провели переговоры в Кремле.", ("Abdel Fattah el-Sisi", "Vladimir Putin")),
        # the third of three surnames joined by Arabic "و", each to its own
        ("ar", "عقدت اليوم القمة الثلاثية بين بوتين وأردوغان وروحاني.", ("Hassan Rouhani", "Recep Tayyip Erdogan", "Vladimir Putin")),
    ],
)
def test_titles_acronyms_houses_and_joined_names_in_other_scripts(language: str, text: str, named: tuple[str, ...]) -> None:
    reading = read(text, None, "2019-02-14", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == named


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # غ is a g in every Latin spelling, خ and Cyrillic х an h: "غنی" (Ghani) and "Хакан" (Hakan) are no Kani
        ("fa", "دونالد ترامپ در یک تماس تلفنی با رئیس جمهور غنی گفتگو کرد."),
        ("ru", "Лавров провел переговоры с Хаканом в Нью-Йорке."),
        # ف is an f or a v, and a name opening with a vowel opens so in every script: "اشرف" (Ashraf) is
        # neither al-Sharaa (whose key it has once the f goes) nor Sharif
        ("fa", "دونالد ترامپ در یک تماس تلفنی با رییسجمهور اشرف گفتگو کرد."),
    ],
)
def test_a_letter_every_latin_spelling_writes_is_in_the_surname_it_names(language: str, text: str) -> None:
    reading = read(text, None, "2024-06-19", GAZETTEER, language=language)
    found = reading.meeting or reading.mention
    assert found is None or not {"Ali Bagheri Kani", "Ahmed al-Sharaa", "Shehbaz Sharif"} & {*found.named, *found.participants}


def test_the_h_of_gh_is_no_letter_of_its_own() -> None:
    # "gh" writes غ: a word with х or خ meets no surname whose only h is the one of its "gh"
    russian = read("Сергей Лавров провел переговоры с Хаканом Фиданом в Анкаре.", None, "2024-06-19", GAZETTEER,
                   language="ru")
    assert russian.meeting is not None and russian.meeting.participants == ("Hakan Fidan", "Sergey Lavrov")
    # while غ still meets him
    persian = read("دونالد ترامپ در یک تماس تلفنی با اشرف غنی گفتگو کرد.", None, "2020-02-29", GAZETTEER, language="fa")
    assert persian.meeting is not None and persian.meeting.participants == ("Ashraf Ghani", "Donald Trump")


@pytest.mark.parametrize(
    ("language", "text", "published", "named"),
    [
        # what was told before, and its plan, is not this text's event: the talks held are
        ("ru", "Ранее сообщалось, что Путин и Эрдоган встретятся в Сочи.\n\nПутин и Эрдоган провели переговоры в Сочи.",
         "2021-09-29", ("Recep Tayyip Erdogan", "Vladimir Putin")),
        # "previously, under Rouhani, welcomes were held at Saadabad": the past, not the visit of the day
        ("fa", "پیشتر مراسم استقبال رسمی در دولت حسن روحانی و محمود احمدی‌نژاد در کاخ سعدآباد انجام می‌گرفت.\n\n"
               "مسعود پزشکیان امروز از رجب طیب اردوغان در تهران استقبال کرد.", "2025-01-10",
         ("Masoud Pezeshkian", "Recep Tayyip Erdogan")),
    ],
)
def test_a_sentence_recalling_the_past_is_neither_the_event_nor_a_plan(language: str, text: str, published: str,
                                                                        named: tuple[str, ...]) -> None:
    reading = read(text, None, published, GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == named


def test_a_word_for_when_opening_a_russian_sentence_is_no_name() -> None:
    # "Ранее" (earlier) is capitalised there and has Rouhani's key; "Вчера" (yesterday) is no one either
    reading = read("Ранее Лавров и Аракчи выступили перед журналистами. Вчера Лавров выступил в Думе.", None,
                   "2025-04-16", GAZETTEER, language="ru")
    assert reading.meeting is None and reading.mention is not None
    assert reading.mention.participants == ("Abbas Araghchi", "Sergey Lavrov")


def test_an_office_holder_no_list_knows_takes_part_under_the_texts_spelling() -> None:
    from harvester.meetings import agree

    arabic = read("استقبل الرئيس الإيراني مسعود بزشكيان اليوم في طهران وزير خارجية المغرب ناصر بوريطة.", None,
                  "2025-02-03", GAZETTEER, language="ar")
    persian = read("مسعود پزشکیان امروز در تهران از ناصر بوریطه وزیر امور خارجه مراکش استقبال کرد.", None,
                   "2025-02-03", GAZETTEER, language="fa")
    assert arabic.meeting is not None and persian.meeting is not None, (arabic.reason, persian.reason)
    assert arabic.meeting.participants == ("Masoud Pezeshkian", "ناصر بوريطة")
    assert persian.meeting.participants == ("Masoud Pezeshkian", "ناصر بوریطه")
    assert agree(arabic.meeting, persian.meeting) is not None  # one person in both scripts, by key
    # an aide beside the office is not its holder; a holder the list knows is the list's
    russian = read("Пресс-секретарь президента России Дмитрий Песков заявил, что Путин провел переговоры с Пезешкианом.",
                   None, "2025-02-03", GAZETTEER, language="ru")
    assert russian.meeting is not None and russian.meeting.participants == ("Masoud Pezeshkian", "Vladimir Putin")


def test_a_two_consonant_surname_still_meets_the_words_that_open_as_it_does() -> None:
    # "الأسد" opens with a vowel once the article is off, as Assad does; "عباس" with ع, as Abbas does
    reading = read("الرئيس الأسد استقبل الرئيس عباس في دمشق اليوم.", None, "2010-05-02", GAZETTEER, language="ar",
                   known=["Mahmoud Abbas"])
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == ("Bashar al-Assad", "Mahmoud Abbas")


@pytest.mark.parametrize(("language", "text"), [
    ("fa", "حسن روحانی عصر یکشنبه در تهران با ولادیمیر پوتین دیدار کرد و گفت: روابط دو کشور گسترش خواهد یافت."),
    ("ar", "التقى الرئيس بشار الأسد مساء الأحد في دمشق الرئيس فلاديمير بوتين، وقال: سيعقد البلدان جولة جديدة من المحادثات."),
])
def test_a_future_in_what_someone_said_is_no_plan(language: str, text: str) -> None:
    # "… and said: relations will grow": the future is the speaker's, Sunday's meeting took place
    reading = read(text, None, "2018-05-21", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2018-05-20"
    assert len(reading.meeting.participants) == 2


def test_a_given_name_and_a_word_without_the_surnames_letters_are_nobody() -> None:
    # "محمد أشرف" (Muhammad Ashraf) has the keys of Ahmed al-Sharaa, but his name has no f
    reading = read("التقى الرئيس فلاديمير بوتين والرئيس بشار الأسد اليوم في موسكو بحضور محمد أشرف.", None,
                   "2019-04-02", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Bashar al-Assad", "Vladimir Putin")


@pytest.mark.parametrize(("language", "text", "home"), [
    ("ar", "التقى الرئيس رجب طيب أردوغان اليوم الرئيس فلاديمير بوتين ثم عاد إلى أنقرة.", "Ankara"),
    ("fa", "حسن روحانی پس از بازگشت به تهران گفت که امروز با ولادیمیر پوتین دیدار کرده است.", "Tehran"),
])
def test_the_city_a_traveller_returns_to_is_not_where_he_met(language: str, text: str, home: str) -> None:
    reading = read(text, None, "2018-05-20", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place != home


def test_an_arabic_pluperfect_recalls_what_came_before() -> None:
    # "وكان بوتين قد التقى الأسد …" (Putin had met Assad): history, not the event of the text
    text = ("أجرى الرئيس فلاديمير بوتين اليوم اتصالا هاتفيا مع الرئيس رجب طيب أردوغان.\n\n"
            "وكان بوتين قد التقى الرئيس بشار الأسد في سوتشي الشهر الماضي.")
    reading = read(text, None, "2018-06-10", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.participants) == ("call", ("Recep Tayyip Erdogan", "Vladimir Putin"))
    from harvester.meetings import _recalls
    assert _recalls("وكان بوتين قد التقى الرئيس بشار الأسد في سوتشي", "ar")
    assert not _recalls("وكان في استقبال الرئيس وزير الخارجية", "ar")


def test_a_counterpart_holds_the_office_of_whom_the_sentence_names() -> None:
    # Lavrov's Iranian counterpart ("نظيره الإيراني") is Iran's foreign minister that day, not its president
    reading = read("أجرى سيرغي لافروف اليوم اتصالا هاتفيا مع نظيره الإيراني.", None, "2025-03-04", GAZETTEER,
                   language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Abbas Araghchi", "Sergey Lavrov")


def test_an_arabic_host_at_the_head_of_those_receiving_a_guest_meets_him() -> None:
    # "في مقدمة مستقبلي" (foremost among those receiving): the reception is the meeting of the two
    reading = read("وبحسب الديوان الملكي، كان ولي العهد الأمير محمد بن سلمان في مقدمة مستقبلي الرئيس رجب طيب أردوغان في جدة.",
                   None, "2023-07-17", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (
        ("Mohammed bin Salman", "Recep Tayyip Erdogan"), "Jeddah")


@pytest.mark.parametrize(
    "text",
    [
        # a headline that looks ahead, then the story of the talks
        "What Putin will raise with Erdogan in Sochi\n\nRussian President Vladimir Putin met Turkish President"
        " Recep Tayyip Erdogan in Sochi on Monday and discussed grain exports.",
        # a welcome "ahead of" the talks, then the talks
        "President Recep Tayyip Erdogan was greeted with a guard of honour in Sochi ahead of his meeting with Russian"
        " President Vladimir Putin on Monday. After the ceremony, Putin and Erdogan held talks for three hours.",
    ],
)
def test_a_look_ahead_that_the_story_then_reports_is_a_report(text: str) -> None:
    reading = read(text, None, "2023-09-04", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants, reading.meeting.date) == (
        "meeting", ("Recep Tayyip Erdogan", "Vladimir Putin"), "2023-09-04")


@pytest.mark.parametrize(
    "text",
    [
        # what is told next is a recollection of an earlier meeting
        "Russian President Vladimir Putin will meet Turkish President Recep Tayyip Erdogan in Sochi on Monday."
        " Putin and Erdogan last met in Astana in July.",
        # or the announcement again, in a quote, after "said"
        "Russian President Vladimir Putin will meet Turkish President Recep Tayyip Erdogan in Sochi on Monday."
        " \u201cPutin and Erdogan will hold talks at noon,\u201d the Kremlin spokesman said.",
    ],
)
def test_a_preview_that_recalls_or_quotes_stays_a_preview(text: str) -> None:
    reading = read(text, None, "2023-09-01", GAZETTEER)
    assert reading.meeting is None and "preview" in reading.reason


def test_a_feast_named_after_a_weekday_is_not_that_weekday() -> None:
    # 2023-04-12 is a Wednesday: "Good Friday" names an agreement, not the Friday before
    assert dates_in("The leaders met on Wednesday to mark the Good Friday Agreement.", date(2023, 4, 12)) == [date(2023, 4, 12)]
    assert dates_in("The shops opened on Black Friday.", date(2023, 11, 28)) == []


def test_an_event_held_to_mark_an_anniversary_is_news_not_a_look_back() -> None:
    reading = read("Chinese President Xi Jinping met French President Emmanuel Macron in Beijing to mark the 60th"
                   " anniversary of diplomatic ties.", None, "2024-01-27", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Emmanuel Macron", "Xi Jinping")
    # the anniversary itself, looked back on, still is
    back = read("Xi Jinping and Emmanuel Macron recalled the anniversary of their first meeting.", None, "2024-01-27", GAZETTEER)
    assert back.meeting is None and "retrospective" in back.reason


def test_a_side_named_by_office_alone_is_the_listed_holder_that_day() -> None:
    # the gazetteer has Narendra Modi as India's prime minister in 2023; Vietnam's is not listed
    listed = read("Prime Minister Giorgia Meloni held talks with the Indian prime minister in New Delhi on Thursday.",
                  None, "2023-03-03", GAZETTEER)
    assert listed.meeting is not None, listed.reason
    assert listed.meeting.participants == ("Giorgia Meloni", "Narendra Modi")
    unlisted = read("Italian Prime Minister Giorgia Meloni met the Vietnamese prime minister in Rome on Thursday.",
                    None, "2023-03-03", GAZETTEER)
    assert unlisted.meeting is not None, unlisted.reason
    assert unlisted.meeting.participants == ("Giorgia Meloni", "Prime Minister of Vietnam")


@pytest.mark.parametrize("city", ["New York", "New York City"])
def test_a_meeting_in_new_york_is_in_new_york_however_the_report_writes_it(city: str) -> None:
    reading = read(f"Foreign Minister Arjun Mehra met Foreign Minister Claire Dunmore of Canada in {city} on Tuesday,"
                   " on the sidelines of the UN General Assembly.", None, "2025-09-24", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == "New York"


@pytest.mark.parametrize(
    ("language", "text", "named"),
    [
        # "اطلاع‌رسانی" (informing) has the key of Tillerson, but opens with an alif where his name opens with a t
        ("fa", "به گزارش پایگاه اطلاعرسانی دولت، پزشکیان با پوتین در مسکو دیدار کرد.", ("Masoud Pezeshkian", "Vladimir Putin")),
        # "کمک" (help) has the key of Kamikawa, whose w every spelling writes with و
        ("fa", "پزشکیان در دیدار با پوتین گفت این همکاری به صلح منطقه کمک می‌کند.", ("Masoud Pezeshkian", "Vladimir Putin")),
        # a month is nobody's name: "مارس" (March) has the key of Morsi
        ("ar", "التقى الرئيس بوتين الرئيس أردوغان في 5 مارس في موسكو.", ("Recep Tayyip Erdogan", "Vladimir Putin")),
        # while a name opening with a vowel after a joined "and", and a v written with ف, still meet
        ("ar", "التقى بوتين وأردوغان ولافروف في سوتشي.", ("Recep Tayyip Erdogan", "Sergey Lavrov", "Vladimir Putin")),
    ],
)
def test_a_word_in_arabic_letters_names_a_surname_only_if_it_can_spell_it(language: str, text: str,
                                                                         named: tuple[str, ...]) -> None:
    reading = read(text, None, "2024-03-05", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == named


def test_a_persian_arrival_written_with_rasid_announces_the_talks_of_that_day() -> None:
    # "رسید" (arrived) is an arrival as "وارد … شد" is: the talks it says are to come are the visit's
    text = "پزشکیان امروز صبح برای یک سفر رسمی به مسکو رسید. در این سفر اسنادی با حضور پزشکیان و پوتین امضا خواهد شد."
    reading = read(text, None, "2024-12-09", GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Masoud Pezeshkian", "Vladimir Putin"), "Moscow")


def test_a_given_name_glued_to_the_surname_and_a_short_surname_after_an_office_of_two_words() -> None:
    # "دونالدترامپ": the space lost; "رییس جمهور غنی": Ghani's key is two letters, vouched for by the office
    text = "دونالدترامپ در تماس تلفنی با رییس جمهور غنی گفتگو کرد."
    reading = read(text, None, "2019-11-22", GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ashraf Ghani", "Donald Trump")
    # while "کنونی" (current) after the office has Ghani's key but not his غ
    current = read("پوتین در تماس تلفنی با رییس جمهور کنونی ترکیه اردوغان گفتگو کرد.", None, "2019-11-22", GAZETTEER,
                   language="fa")
    assert current.meeting is not None and "Ashraf Ghani" not in current.meeting.named


def test_a_meeting_in_a_countrys_palace_is_in_its_capital() -> None:
    reading = read("پزشکیان امروز در کاخ ریاست جمهوری ترکیه با اردوغان دیدار کرد.", None, "2025-01-20", GAZETTEER,
                   language="fa")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.place, reading.meeting.participants) == ("Ankara", ("Masoud Pezeshkian", "Recep Tayyip Erdogan"))
    # a city the sentence names is the place, before any palace
    named = read("پزشکیان در کاخ ریاست جمهوری ترکیه در استانبول با اردوغان دیدار کرد.", None, "2025-01-20", GAZETTEER,
                 language="fa")
    assert named.meeting is not None and named.meeting.place == "Istanbul"


def test_an_arabic_verb_of_talks_with_its_with_a_few_words_on_is_a_meeting_or_the_call_the_next_sentence_says() -> None:
    # "تحادث … مع" (talked with), the place between: a meeting
    talked = read("تحادث الرئيس عبد المجيد تبون، يوم الثلاثاء بمقر الأمم المتحدة بنيويورك، مع نظيره الإيراني إبراهيم رئيسي.",
                  None, "2023-09-19", GAZETTEER, language="ar")
    assert talked.meeting is not None, talked.reason
    assert (talked.kind, talked.meeting.participants, talked.meeting.place) == (
        "meeting", ("Abdelmadjid Tebboune", "Ebrahim Raisi"), "New York")
    # "استعرض … مع" (reviewed with) says nothing of how; the next sentence says it was by telephone
    reviewed = read("استعرض الشيخ تميم بن حمد آل ثاني مع الرئيس مسعود بزشكيان العلاقات بين البلدين. وجاء ذلك خلال اتصال"
                    " هاتفي أجراه الأمير اليوم.", None, "2025-02-03", GAZETTEER, language="ar")
    assert reviewed.meeting is not None, reviewed.reason
    assert (reviewed.kind, reviewed.meeting.participants) == ("call", ("Masoud Pezeshkian", "Tamim bin Hamad Al Thani"))


def test_the_longest_name_written_wins_and_the_blessed_dead_take_part_in_nothing() -> None:
    # "مجتبی علی خامنه‌ای" is the son, not the father whose alias and key its last words have; "(قدس سره)"
    # blesses the dead, who is named, not a party to the message
    text = ("بعث الرئيس عبد اللطيف رشيد اليوم برقية تهنئة إلى السيد مجتبى علي الخامنئي، خلفاً للسيد علي الخامنئي"
            " (قدس سره).")
    reading = read(text, None, "2026-03-10", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Abdul Latif Rashid", "Mojtaba Khamenei")


def test_a_name_of_two_words_is_not_split_by_punctuation() -> None:
    # "الخيالة، من" (the cavalry, from) has the keys of Ali Khamenei's two names, across a comma
    text = "استقبل الرئيس روحاني الرئيس أردوغان بمشاركة فرقة الخيالة، من مدخل القصر في طهران."
    reading = read(text, None, "2015-04-07", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.named == ("Hassan Rouhani", "Recep Tayyip Erdogan")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Iranian President Masoud Pezeshkian met Russian President Vladimir Putin in Qom on Monday."),
        ("fa", "پزشکیان روز دوشنبه در قم با پوتین دیدار کرد."),
        ("ar", "التقى الرئيس بزشكيان الرئيس بوتين يوم الاثنين في قم."),
    ],
)
def test_a_city_of_three_letters_leaders_meet_in(language: str, text: str) -> None:
    # Qom: names of three letters are skipped as words, but for the few cities listed
    reading = read(text, None, "2025-05-06", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == "Qom"


def test_dari_press_is_afghanistans_own() -> None:
    # an office alone opening the sentence, or "of the country" after it, is the press's own country's: Iran's
    # in Persian, Afghanistan's where Dari's spellings ("تلیفونی") say the page is Afghan
    dari = read("رییس جمهور کشور در یک تماس تلیفونی با دونالد ترامپ گفتگو کرد.", None, "2019-11-22", GAZETTEER,
                language="fa")
    assert dari.meeting is not None, dari.reason
    assert dari.meeting.participants == ("Ashraf Ghani", "Donald Trump")
    persian = read("رئیس جمهور در یک تماس تلفنی با دونالد ترامپ گفتگو کرد.", None, "2019-11-22", GAZETTEER, language="fa")
    assert persian.meeting is not None, persian.reason
    assert persian.meeting.participants == ("Donald Trump", "Hassan Rouhani")


def test_whom_the_speaker_goes_on_to_speak_of_takes_no_part() -> None:
    # "saying that his deputy, Aref, will attend the summit": Aref is spoken of, not on the line
    text = ("وخلال الاتصال الهاتفي اعتذر الرئيس بزشكيان عن حضور القمة قائلا ان نائبه محمد رضا عارف سيشارك فيها. وثمن ولي"
            " العهد محمد بن سلمان الاتصال الذي اجراه الرئيس بزشكيان.")
    reading = read(text, None, "2024-11-10", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Masoud Pezeshkian", "Mohammed bin Salman")


def test_an_arabic_meeting_that_brought_together_three_keeps_all_three() -> None:
    # "لقاء جمع" (a meeting that brought together): one meeting of everyone it names, not one host a country
    text = "عقد في طهران لقاء جمع الرئيس بشار الأسد مع الرئيس إبراهيم رئيسي والسيد علي خامنئي."
    reading = read(text, None, "2022-05-08", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ali Khamenei", "Bashar al-Assad", "Ebrahim Raisi")


def test_his_in_an_arabic_event_word_is_whom_the_sentence_before_is_about() -> None:
    # "خلال استقباله" (during his receiving): he is the one the sentence before names first
    text = ("قال الرئيس الروسي فلاديمير بوتين اليوم إن العلاقات مع الإمارات متينة. جاء ذلك خلال استقباله الشيخ محمد بن زايد"
            " آل نهيان في الكرملين.")
    reading = read(text, None, "2025-08-07", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Mohamed bin Zayed", "Vladimir Putin"), "Moscow")


def test_a_page_that_opens_with_its_furniture_still_has_its_story_read() -> None:
    # nine lines of menu, byline and captions, none ending as a sentence ends, before the one that tells the meeting
    text = "\n\n".join([
        "World", "Live Updates", "Breaking", "By Ana Ruiz, Lisbon Daily", "Updated 9:12 a.m. ET, May 6, 2024",
        "3 min ago", "Share this article", "Photo: Reuters", "Two leaders, one table",
        "Italian Prime Minister Giorgia Meloni met Indian Prime Minister Narendra Modi in Rome on Monday.",
    ])
    reading = read(text, None, "2024-05-06", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Giorgia Meloni", "Narendra Modi")
    assert reading.meeting.date == "2024-05-06"
    # five paragraphs of story still bound the lead: a meeting told only in the sixth is not read
    story = "\n\n".join(["The weather in Rome was mild this week."] * 5
                        + ["Italian Prime Minister Giorgia Meloni met Indian Prime Minister Narendra Modi in Rome on Monday."])
    assert read(story, None, "2024-05-06", GAZETTEER).meeting is None


@pytest.mark.parametrize(
    "text",
    [
        # a congratulation by phone, "called up", with a plan to meet at a summit still to come
        "US President Joe Biden on Saturday called up Prime Minister Narendra Modi to congratulate him on his victory"
        " and the two leaders agreed to meet at the upcoming G7 summit in Italy.",
        # "spoke" with the day between the verb and its partner, and the summit to come it was about
        "President Joe Biden spoke on Saturday with Prime Minister Narendra Modi to discuss preparations for the"
        " forthcoming Quad summit.",
    ],
)
def test_a_call_stays_a_call_whatever_meeting_it_plans(text: str) -> None:
    reading = read(text, None, "2024-06-09", GAZETTEER)  # a Sunday
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("call", "2024-06-08")
    assert reading.meeting.participants == ("Joe Biden", "Narendra Modi")


def test_speaking_on_the_sidelines_of_a_summit_is_meeting_there() -> None:
    reading = read("French President Emmanuel Macron spoke with Chinese President Xi Jinping on the sidelines of the"
                   " G20 summit in Rio de Janeiro.", None, "2024-11-19", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.kind == "meeting"


@pytest.mark.parametrize(
    ("text", "kind", "participants"),
    [
        # the bearer met the one he conveyed them to; the sender was not there
        ("Foreign Minister Tomas Reyes conveyed President Kofi Mensah's warm greetings to President Bola Tinubu in"
         " Abuja on Thursday.", "meeting", ("Bola Tinubu", "Tomas Reyes")),
        # one's own greetings in a message are a message
        ("President Kofi Mensah conveyed his greetings to President Bola Tinubu in a message on Thursday.", "message",
         ("Bola Tinubu", "Kofi Mensah")),
    ],
)
def test_greetings_conveyed_in_person_are_a_meeting_without_their_sender(
        text: str, kind: str, participants: tuple[str, ...]) -> None:
    reading = read(text, None, "2024-05-10", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.participants) == (kind, participants)


def test_a_handshake_is_a_meeting_and_tells_its_day() -> None:
    reading = read("The emir had tried for months to arrange a brief encounter between President Recep Tayyip Erdogan"
                   " and President Abdel Fattah el-Sisi. Erdogan and Sisi shook hands at the opening of the games in"
                   " Doha on Sunday.", None, "2022-11-21", GAZETTEER)  # a Monday
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("meeting", "2022-11-20")


def test_the_day_a_period_began_is_not_the_days_event() -> None:
    # the day is Thursday, told after the lead; "since February 24" is when the war began
    reading = read("French President Emmanuel Macron had a phone conversation with President Vladimir Putin, the Elysee"
                   " said. Macron spoke again on Thursday with Putin. It was their third conversation since February 24.",
                   None, "2022-03-05", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("call", "2022-03-03")


@pytest.mark.parametrize(
    ("text", "day", "basis"),
    [
        # the fronted clause's day is the earlier trip's; the meeting the rest tells names none
        ("After the trip to Japan on 9 May, President Kofi Mensah met his Nigerian counterpart Bola Tinubu in Abuja.",
         "2024-05-10", "published"),
        # a fronted clause that is the event itself keeps its day
        ("After their talks on Thursday, President Kofi Mensah and Bola Tinubu told reporters the border would reopen.",
         "2024-05-09", "text"),
    ],
)
def test_a_day_in_a_fronted_clause_is_another_events(text: str, day: str, basis: str) -> None:
    reading = read(text, None, "2024-05-10", GAZETTEER)  # a Friday
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == (day, basis)


def test_an_agency_dateline_in_brackets_is_when_the_story_was_filed() -> None:
    # filed on the 8th in Pakistan, of talks the office announced on Friday the 7th
    reading = read("ANKARA (Agency News / Wire - 08th July, 2023) President Recep Tayyip Erdogan has started talks with"
                   " President Volodymyr Zelenskyy in Istanbul, the presidential office said on Friday.",
                   None, "2023-07-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2023-07-07"
    # a dateline opening a later sentence is the filing's too
    later = read("Xi Jinping held talks with President Luiz Inacio Lula da Silva.\n\nBeijing, 4 Apr (Xinhua) -- On the"
                 " afternoon of April 14, Xi Jinping held talks with Lula in the Great Hall of the People.",
                 None, "2023-04-14", GAZETTEER)
    assert later.meeting is not None, later.reason
    assert later.meeting.date == "2023-04-14"


def test_a_caption_of_one_arrival_ahead_of_a_summit_does_not_make_the_story_a_preview() -> None:
    reading = read("President Emmanuel Macron arrives at the airport ahead of the G20 summit in Bali (Image: Reuters)\n\n"
                   "President Emmanuel Macron met Chinese President Xi Jinping on Tuesday and urged him to press Moscow.",
                   None, "2022-11-15", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("meeting", "2022-11-15")
    assert reading.meeting.participants == ("Emmanuel Macron", "Xi Jinping")


def test_a_later_sentence_telling_talks_held_to_mark_an_anniversary_reports_the_headlines_event() -> None:
    reading = read("Prime Minister Pedro Sanchez will meet President Xi Jinping to seek peace\n\nPresident Xi Jinping"
                   " received Prime Minister Pedro Sanchez in Beijing on Friday to mark the 50th anniversary of ties.",
                   None, "2023-03-31", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2023-03-31"


def test_a_weekday_after_the_present_of_a_timetable_is_to_come() -> None:
    # published on Monday 14 November; "start meeting Tuesday" is the 15th, not the 8th
    reading = read("President Joe Biden and President Xi Jinping met for three hours in Bali. The talks happened on the"
                   " eve of the summit, whose leaders start meeting Tuesday.", None, "2022-11-14", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2022-11-14"


@pytest.mark.parametrize("headline", ["Blinken, Jaishankar Meet Ahead of Talks", "Blinken and Jaishankar hold talks ahead of summit"])
def test_a_headline_in_the_present_before_ahead_of_tells_the_meeting(headline: str) -> None:
    reading = read(f"{headline}\n\nSecretary Antony Blinken welcomed Foreign Minister Subrahmanyam Jaishankar to the"
                   " State Department today.", headline, "2024-10-01", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.kind == "meeting"
    # the future before "ahead of" still announces
    plan = read("Blinken will meet Jaishankar ahead of talks\n\nSecretary Antony Blinken will host Foreign Minister"
                " Subrahmanyam Jaishankar at the State Department next week.", None, "2024-10-01", GAZETTEER)
    assert plan.meeting is None and "preview" in plan.reason


def test_a_sit_down_is_a_meeting() -> None:
    reading = read("Prime Minister Anthony Albanese described his sit-down with President Xi Jinping in Beijing on"
                   " Tuesday as warm.", None, "2025-07-16", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("meeting", "2025-07-15")


def test_a_bodys_sitting_is_no_meeting_of_leaders() -> None:
    text = ("President Xi Jinping was elected head of state at the third plenary meeting of the Congress in Beijing on"
            " Friday, with Premier Li Qiang beside him.\n\nPresident Vladimir Putin on Friday sent a message to"
            " President Xi Jinping congratulating him on his election.")
    reading = read(text, None, "2023-03-11", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("message", "2023-03-10")
    assert reading.meeting.participants == ("Vladimir Putin", "Xi Jinping")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Prime Minister Narendra Modi held an online meeting with President Vladimir Putin on Monday.", "video_call"),
        ("President Vladimir Putin met President Xi Jinping virtually on Monday.", "video_call"),
        ("President Vladimir Putin and President Xi Jinping held a video conversation on Monday.", "video_call"),
        ("President Vladimir Putin held a virtual call with President Xi Jinping on Monday.", "video_call"),
        # "virtually all": almost, not by video
        ("President Vladimir Putin met President Xi Jinping in Moscow on Monday and discussed virtually all issues.",
         "meeting"),
        ("President Joe Biden dialled Prime Minister Narendra Modi on Monday.", "call"),
        ("President Vladimir Putin received a congratulatory call from President Xi Jinping on Monday.", "call"),
        ("Prime Minister Narendra Modi had a call with President Vladimir Putin on Monday.", "call"),
        # a courtesy call is paid in person
        ("President Vladimir Putin paid a courtesy call on President Xi Jinping in Beijing on Monday.", "meeting"),
    ],
)
def test_the_english_vocabulary_of_calls_video_calls_and_courtesy_calls(sentence: str, kind: str) -> None:
    reading = read(sentence, None, "2023-03-15", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == (kind, "2023-03-13")


@pytest.mark.parametrize("when", ["on Monday, March 20", "on Monday (20 March)"])
def test_a_weekday_beside_its_calendar_date_is_that_date(when: str) -> None:
    # published more than a week later: "Monday" alone would be the Monday before publication
    reading = read(f"President Vladimir Putin held talks with President Xi Jinping in Moscow {when}.",
                   None, "2023-04-05", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2023-03-20"
    assert dates_in("They met on Monday and again on March 20.", date(2023, 4, 5)) == [date(2023, 3, 20), date(2023, 4, 3)]


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        # another day's call, told in a clause of its own after the sentence's event
        ("President Emmanuel Macron spoke by phone with President Donald Trump on Friday evening, the same day the"
         " American leader spoke with President Vladimir Putin.", ("Donald Trump", "Emmanuel Macron")),
        ("President Emmanuel Macron met President Donald Trump in Paris on Friday, hours after Trump met President"
         " Vladimir Putin.", ("Donald Trump", "Emmanuel Macron")),
        # a plan, told in a clause of its own, whose people are not the event's
        ("President Emmanuel Macron told President Donald Trump when they met in Rome on Friday that President"
         " Vladimir Putin is expected to visit Paris in the spring.", ("Donald Trump", "Emmanuel Macron")),
        ("President Emmanuel Macron met President Donald Trump in Rome on Friday and Trump will meet President"
         " Vladimir Putin next month.", ("Donald Trump", "Emmanuel Macron")),
        # thanks for an earlier hosting
        ("President Emmanuel Macron thanked President Donald Trump at their meeting in Rome on Friday for hosting"
         " President Vladimir Putin last year.", ("Donald Trump", "Emmanuel Macron")),
    ],
)
def test_the_people_of_another_events_clause_are_not_the_events(text: str, participants: tuple[str, ...]) -> None:
    reading = read(text, None, "2025-07-05", GAZETTEER)  # a Saturday
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == participants


def test_a_clause_of_another_event_keeps_the_people_the_sentence_names_only_there() -> None:
    # nobody else is named: the clause's people are the sentence's
    reading = read("Hours after President Donald Trump met President Vladimir Putin in Helsinki on Monday, the"
                   " White House said little.", None, "2018-07-17", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Donald Trump", "Vladimir Putin")


@pytest.mark.parametrize(
    ("sentence", "participants"),
    [
        # Korea alone is the Republic of Korea
        ("President Xi Jinping received the Presidents of Korea, Ghana and Peru in Beijing on Tuesday.",
         ("President of Ghana", "President of Peru", "Xi Jinping", "Yoon Suk Yeol")),
        ("The Russian and Iranian presidents held talks in Moscow on Tuesday.", ("Ebrahim Raisi", "Vladimir Putin")),
        ("The Prime Ministers of India and Japan met in Tokyo on Tuesday.", ("Fumio Kishida", "Narendra Modi")),
    ],
)
def test_a_plural_office_names_each_countrys_holder(sentence: str, participants: tuple[str, ...]) -> None:
    reading = read(sentence, None, "2023-05-23", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == participants


def test_a_heading_over_a_visit_to_come_is_a_preview() -> None:
    text = ("Statement by the Spokesperson on the Visit of President Lula of Brazil\n\nWashington, March 1, 2023:"
            " President Joe Biden looks forward to welcoming President Luiz Inacio Lula da Silva of Brazil to the"
            " White House on Friday, March 10.")
    reading = read(text, None, "2023-03-01", GAZETTEER)
    assert reading.meeting is None and "preview" in reading.reason, reading.reason


def test_a_meeting_that_will_be_held_is_a_preview_whatever_its_participle() -> None:
    reading = read("The meeting of the Presidents of Russia and Iran will be held in Moscow, the Kremlin Press Office"
                   " said.", None, "2024-10-01", GAZETTEER)
    assert reading.meeting is None and "preview" in reading.reason, reading.reason
    held = read("The meeting of President Vladimir Putin and President Masoud Pezeshkian was held in Moscow on"
                " Tuesday.", None, "2024-10-01", GAZETTEER)
    assert held.meeting is not None, held.reason


def test_an_anniversary_ahead_is_no_look_back() -> None:
    text = ("President Joe Biden lands in Dublin ahead of the Easter Rising treaty anniversary\n\nPresident Joe Biden"
            " met Prime Minister Leo Varadkar in Dublin on Wednesday.")
    reading = read(text, None, "2023-04-12", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Joe Biden", "Leo Varadkar")


def test_a_two_letter_family_name_opening_a_sentence_is_the_person_the_readout_names() -> None:
    # the headline only urges a meeting; the story's "Xi received …" tells the one that took place
    text = ("Sanchez urges Xi Jinping to meet with Zelensky\n\nPrime Minister Pedro Sanchez became the first European"
            " leader to meet Chinese President Xi Jinping this year. Xi received the Spanish Prime Minister on Friday in"
            " Beijing.")
    reading = read(text, None, "2023-03-31", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.date) == (("Pedro Sanchez", "Xi Jinping"), "2023-03-31")
    # a two-letter word opening a sentence is no one the readout does not name
    assert read("As expected, Prime Minister Pedro Sanchez met President Emmanuel Macron in Paris on Friday.", None,
                "2023-03-31", GAZETTEER).meeting.participants == ("Emmanuel Macron", "Pedro Sanchez")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        # a headline's list of adjectives before a plural office
        "US, Chinese presidents meet in Bali\n\nIt was the first time the two had met as presidents.",
        # the holder the story names as a counterpart
        "Chinese, American presidents hold talks\n\nBALI, Nov. 14 -- President Xi Jinping held talks with his American"
        " counterpart Joe Biden in Bali on Monday.",
    ],
)
def test_a_headlines_plural_office_names_each_holder(text: str) -> None:
    reading = read(text, None, "2022-11-14", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Joe Biden", "Xi Jinping")


def test_a_caption_of_an_event_weeks_before_the_story_is_a_look_back() -> None:
    text = ("President Xi Jinping and President Joe Biden meet in Bali on November 14. Photo: Agency\n\n"
            "Officials of both sides kept talking about trade in the weeks after the summit, a spokesman said.")
    reading = read(text, None, "2022-12-02", GAZETTEER)
    assert reading.meeting is None and "caption" in reading.reason, reading.reason
    # the same caption on a story of that week is the news
    fresh = read(text, None, "2022-11-15", GAZETTEER)
    assert fresh.meeting is not None and fresh.meeting.date == "2022-11-14", fresh.reason


def test_a_name_of_three_words_and_a_father_s_name_after_his_son_s() -> None:
    call = read("أجرى الرئيس فلاديمير بوتين اليوم اتصالا هاتفيا مع قاسم جومارت توكاييف.", None, "2025-03-03", GAZETTEER,
                language="ar", known=["Kassym-Jomart Tokayev"])
    assert call.meeting is not None, call.reason
    assert call.meeting.participants == ("Kassym-Jomart Tokayev", "Vladimir Putin")
    # "Abdullah, son of Abdulaziz" is not Salman bin Abdulaziz, nor is "Mohammed, son of Salman, son of Abdulaziz"
    king = read("استقبل الملك عبدالله بن عبدالعزيز في الرياض اليوم الرئيس رجب طيب أردوغان.", None, "2010-03-03",
                GAZETTEER, language="ar")
    assert king.meeting is not None, king.reason
    assert king.meeting.participants == ("Abdullah bin Abdulaziz", "Recep Tayyip Erdogan")
    prince = read("التقى الأمير محمد بن سلمان بن عبدالعزيز في الرياض اليوم الرئيس التركي رجب طيب أردوغان بحضور ألف من"
                  " الضيوف.", None, "2023-03-03", GAZETTEER, language="ar")
    assert prince.meeting is not None, prince.reason
    # nor are "Recep Tayyip", the given names beside the office, someone else, nor "ألف من" (a thousand of) Ali Khamenei
    assert prince.meeting.participants == ("Mohammed bin Salman", "Recep Tayyip Erdogan")


def test_that_came_in_a_letter_is_the_event_of_the_sentence_before() -> None:
    text = ("أكد الرئيس فلاديمير بوتين حرصه على تعزيز العلاقات مع الرئيس رجب طيب أردوغان. جاء ذلك في برقية بعث بها"
            " اليوم بمناسبة العيد.")
    reading = read(text, None, "2023-03-03", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("message", ("Recep Tayyip Erdogan", "Vladimir Putin"))


@pytest.mark.parametrize(
    ("language", "text", "published"),
    [
        # leaving for a city: the trip has begun, its talks are ahead
        ("ar", "غادر الرئيس التركي رجب طيب أردوغان أنقرة صباح اليوم إلى موسكو في زيارة رسمية.", "2023-03-03"),
        # the first day the text names is after its publication: tomorrow, next Saturday
        ("fa", "ولادیمیر پوتین فردا در آنکارا؛ پیام رئیس جمهور روسیه برای رجب طیب اردوغان.", "2023-03-03"),
        ("ar", "يصل الرئيس فلاديمير بوتين السبت المقبل إلى أنقرة. وكان بوتين قد بعث برقية إلى أردوغان.", "2023-03-03"),
    ],
)
def test_a_departure_and_a_day_still_to_come_are_previews(language: str, text: str, published: str) -> None:
    reading = read(text, None, published, GAZETTEER, language=language)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


def test_whom_an_unheld_meeting_names_takes_no_part_and_the_next_summit_s_city_is_not_this_one_s() -> None:
    unheld = read("التقى الرئيس فلاديمير بوتين في طهران اليوم الرئيس إبراهيم رئيسي، وغادر دون لقاء علي خامنئي.", None,
                  "2022-07-19", GAZETTEER, language="ar")
    assert unheld.meeting is not None, unheld.reason
    assert unheld.meeting.participants == ("Ebrahim Raisi", "Vladimir Putin")
    summit = read("Следующий саммит лидеров пройдет в Тегеране. Путин и Эрдоган провели переговоры в Анкаре, сообщили"
                  " сегодня, а также договорились о следующей встрече в Тегеране.", None, "2019-09-16", GAZETTEER,
                  language="ru")
    assert summit.meeting is not None, summit.reason
    assert summit.meeting.place == "Ankara"


def test_a_live_russian_report_after_the_page_s_furniture_reports_the_talks() -> None:
    # a city, a clock and a rubric before the story are no paragraphs of its lead; "проводят" (are holding) is
    # no plan, so a later "состоится" (will take place) does not make the report a preview
    text = ("Баку\n\n09:15\n\nКурсы валют\n\nПолитика\n\nСводка\n\nПутин и Алиев проводят переговоры в Кремле\n\n"
            "После переговоров состоится пресс-конференция лидеров.")
    reading = read(text, None, "2024-04-22", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Ilham Aliyev", "Vladimir Putin"), "Moscow")
    persian = read("رجب طیب اردوغان امروز در آنکارا با الهام علیاف، رئیس جمهور آذربایجان دیدار کرد.", None, "2024-04-22",
                   GAZETTEER, language="fa")
    assert persian.meeting is not None, persian.reason
    assert persian.meeting.participants == ("Ilham Aliyev", "Recep Tayyip Erdogan")


def test_persian_s_present_of_a_trip_is_a_plan_and_an_earlier_trip_after_the_subject_is_history() -> None:
    coming = read("رجب طیب اردوغان دوشنبه برای دیدار با ولادیمیر پوتین به مسکو سفر می‌کند.", None, "2024-04-20", GAZETTEER,
                  language="fa")
    assert coming.meeting is None and coming.reason.startswith("not an event: a preview"), coming.reason
    # "Erdogan had before this, on 11 Mehr (the month's name and "month" glued), met Putin in Moscow": neither the
    # text's event nor "Murmu", whose key "مهرماه" has
    told = read("اردوغان پیش از این در ۱۱ مهرماه با ولادیمیر پوتین در مسکو دیدار کرد.", None, "2024-04-20", GAZETTEER,
                language="fa")
    assert told.meeting is None, told.reason


def test_a_sultan_called_king_and_an_office_joined_by_and_in_iran_s_press() -> None:
    # "the King of Oman" is its Sultan; "the Leader and the President", an office alone joined by "and" to whom
    # the sentence names, are Iran's own
    reading = read("پادشاه عمان امروز در تهران با رهبر انقلاب و رئیس جمهور دیدار و گفتگو کرد.", None, "2023-05-28",
                   GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason
    assert set(reading.meeting.named) == {"Ali Khamenei", "Ebrahim Raisi", "Haitham bin Tariq"}


def test_a_trip_to_come_told_after_a_call_leaves_the_call_reported() -> None:
    text = ("Владимир Путин провел телефонный разговор с Реджепом Тайипом Эрдоганом. Лидеры обсудили торговлю.\n\n"
            "Эрдоган прибудет в Россию 20 мая.")
    reading = read(text, None, "2024-05-02", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert reading.kind == "call"


def test_a_line_wrapped_after_a_preposition_runs_on_into_the_next() -> None:
    text = "استقبل الرئيس رجب طيب أردوغان في\n\nأنقرة اليوم الرئيس فلاديمير بوتين.\n\nوبحث الجانبان التعاون."
    reading = read(text, None, "2024-05-02", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Recep Tayyip Erdogan", "Vladimir Putin"), "Ankara")


def test_that_came_in_a_statement_naming_two_keeps_whom_the_statement_spoke_of_out() -> None:
    text = ("قال الرئيس فلاديمير بوتين إن الحوار مع الرئيس دونالد ترامب ممكن. جاء ذلك خلال استقباله الرئيس رجب طيب أردوغان"
            " في الكرملين اليوم.")
    reading = read(text, None, "2025-08-07", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Recep Tayyip Erdogan", "Vladimir Putin")


def test_a_dated_dateline_is_the_story_s_today_whatever_day_the_page_was_put_up() -> None:
    # filed on the 8th, put on the site on the 9th: "today" is the 8th, in English as in Russian
    english = read("MOSCOW, March 8. /TASS/. Russian President Vladimir Putin held talks with Iranian President"
                   " Ebrahim Raisi in the Kremlin today.", None, "2024-03-09", GAZETTEER)
    russian = read("МОСКВА, 8 марта. /ТАСС/. Президент России Владимир Путин сегодня провел в Кремле переговоры"
                   " с президентом Ирана Эбрахимом Раиси.", None, "2024-03-09", GAZETTEER, language="ru")
    for reading in (english, russian):
        assert reading.meeting is not None, reading.reason
        assert reading.meeting.date == "2024-03-08", reading.meeting.date_evidence
        assert "dateline" in reading.meeting.date_evidence
    # no dateline: "today" is the page's day
    plain = read("Russian President Vladimir Putin held talks with Iranian President Ebrahim Raisi in the Kremlin"
                 " today.", None, "2024-03-09", GAZETTEER)
    assert plain.meeting is not None and plain.meeting.date == "2024-03-09"


def test_talks_over_a_secure_video_channel_are_a_video_call() -> None:
    reading = read("President Recep Tayyip Erdogan and Iranian President Ebrahim Raisi held talks over a secure"
                   " video channel on Tuesday.", None, "2024-03-05", GAZETTEER)
    assert reading.kind == "video_call", reading.reason


def test_a_headline_s_meet_gives_way_to_the_story_s_phone_call() -> None:
    text = ("Presidents of Turkey and Iran meet to discuss trade.\n\n"
            "On Monday, Turkish President Recep Tayyip Erdogan spoke by phone with his Iranian counterpart Ebrahim Raisi.")
    reading = read(text, None, "2022-03-09", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date) == ("call", "2022-03-07")


def test_the_people_of_an_event_yet_to_come_in_advance_of_it_or_a_month_later_are_not_this_one_s() -> None:
    ahead = read("Turkey's President Recep Tayyip Erdogan met President Ebrahim Raisi in Tehran in advance of a"
                 " trilateral summit with Russian President Vladimir Putin.", None, "2022-07-19", GAZETTEER)
    later = read("The talks in Ankara between Crown Prince Mohammed bin Salman and President Recep Tayyip Erdogan"
                 " come one month before US President Joe Biden visits Riyadh.", None, "2022-06-22", GAZETTEER)
    assert ahead.meeting is not None and later.meeting is not None
    assert ahead.meeting.participants == ("Ebrahim Raisi", "Recep Tayyip Erdogan")
    assert later.meeting.participants == ("Mohammed bin Salman", "Recep Tayyip Erdogan")


def test_a_preposition_in_a_title_case_headline_starts_no_name() -> None:
    reading = read("Erdogan Holds Phone Call With Omani Sultan Over Regional Tensions",
                   "Turkish President Recep Tayyip Erdogan spoke by phone on Sunday with Sultan Haitham bin Tariq.",
                   "2025-06-15", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Haitham bin Tariq", "Recep Tayyip Erdogan")


def test_a_father_s_name_after_bin_is_nobody_s_surname_and_king_abdullah_is_jordan_s_after_2015() -> None:
    reading = read("King Abdullah and President Abdel Fattah El-Sisi met in Amman on Monday.", None, "2024-04-01", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Abdel Fattah el-Sisi", "Abdullah II")


def test_the_two_leaders_of_a_later_sentence_are_the_two_the_sentence_before_names() -> None:
    text = ("AMMAN - King Abdullah II and Egyptian President Abdel Fattah al-Sisi on Monday called for a ceasefire."
            " During a meeting at Basman Palace, the two leaders stressed the need for aid.")
    reading = read(text, None, "2024-04-02", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.date, reading.meeting.place) == (
        ("Abdel Fattah el-Sisi", "Abdullah II"), "2024-04-01", "Amman")


def test_a_transliteration_with_a_doubled_letter_is_the_same_person() -> None:
    reading = read("Erdogan met with President Abdul Fattah Al Sissi at Cairo's Ittihadiya palace on Wednesday.",
                   None, "2024-02-14", GAZETTEER, known=("Recep Tayyip Erdogan",))
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (
        ("Abdel Fattah el-Sisi", "Recep Tayyip Erdogan"), "Cairo")


def test_a_place_of_another_time_or_of_an_earlier_event_is_not_the_meeting_s() -> None:
    earlier = read("Iranian President Ebrahim Raisi and Saudi Crown Prince Mohammed bin Salman met on Saturday, months"
                   " after an agreement reached in Beijing earlier this year.", None, "2023-11-11", GAZETTEER)
    since = read("Iranian President Ebrahim Raisi met Saudi Crown Prince Mohammed bin Salman in Riyadh on Saturday."
                 " It was their first encounter since the two restored ties after talks in Beijing.",
                 None, "2023-11-11", GAZETTEER)
    assert earlier.meeting is not None and since.meeting is not None
    assert earlier.meeting.place is None
    assert since.meeting.place == "Riyadh"


def test_a_text_in_latin_letters_of_a_language_not_read_names_people_by_their_spelling_not_by_a_key() -> None:
    # Turkish: "Abdulfettah" has the consonant key of Abdelatty, but it is spelled otherwise; "Sisi", too short
    # to key, is the list's own spelling
    reading = read("Cumhurbaşkanı Recep Tayyip Erdoğan, Mısır lideri Abdulfettah Sisi ile görüştü.", None,
                   "2022-11-20", GAZETTEER, language="tr", known=("Recep Tayyip Erdogan",))
    assert reading.meeting is None and reading.mention is not None, reading.reason
    assert reading.mention.participants == ("Abdel Fattah el-Sisi", "Recep Tayyip Erdogan")


def test_a_summit_in_the_clause_of_another_event_makes_no_summit_of_this_meeting() -> None:
    reading = read("Turkey's President Recep Tayyip Erdogan met Iran's Supreme Leader Ali Khamenei and President Ebrahim"
                   " Raisi in Tehran in advance of a trilateral summit with Russian President Vladimir Putin.",
                   None, "2022-07-19", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    # two of one country met by a visitor: one meeting each, the first named's is this one
    assert reading.meeting.participants == ("Ali Khamenei", "Recep Tayyip Erdogan")


@pytest.mark.parametrize("undated_first", [True, False])
def test_a_copy_with_a_publication_date_dates_the_event_of_an_undated_original_in_either_order(
        store: Store, undated_first: bool) -> None:
    text = ("Chinese President Xi Jinping on Saturday sent a message to Masoud Pezeshkian, congratulating him on his"
            " election as president of Iran. In his message, Xi said the two countries enjoy a long friendship and"
            " that he stands ready to work with the new president for the good of both peoples and the region.")
    pages = [("https://cnsnews.example/undated", None), ("https://cnsnews.example/dated", "2024-07-06")]
    ids = {url: _stored(store, url, text, published) for url, published in (pages if undated_first else pages[::-1])}
    undated, dated = (_meeting_of(store, ids[url]) for url, _ in pages)
    assert dated[1:4] == ("2024-07-06", None, "message")
    assert undated == dated
    originals = dict(store.db.execute("select url, duplicate_of from readouts"))
    assert originals == {"https://cnsnews.example/undated": ids["https://cnsnews.example/dated"],
                         "https://cnsnews.example/dated": None}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("President Xi Jinping on Monday sent a message to Masoud Pezeshkian, congratulating him on his election as"
         " Iranian president.", "2024-07-08"),
        ("Chinese President Xi Jinping on Saturday sent a message to Masoud Pezeshkian, congratulating him on being"
         " elected president of Iran.", "2024-07-06"),
    ],
)
def test_the_office_someone_was_elected_to_is_not_its_holder_of_that_day(text: str, day: str) -> None:
    reading = read(text, None, day, GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Masoud Pezeshkian", "Xi Jinping")


def test_had_a_conversation_reports_it_even_days_ahead_of_a_summit() -> None:
    reading = read("A few days ahead of the BRICS summit, Prime Minister Narendra Modi on Friday had a telephonic"
                   " conversation with President Ebrahim Raisi.", None, "2023-08-19", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date) == ("call", "2023-08-18")


def test_talks_worded_by_no_how_are_the_video_call_the_next_sentences_tell() -> None:
    text = ("Russian President Vladimir Putin spoke on Friday with Chinese President Xi Jinping about trade."
            " Their end-of-year video call was the first since the two met in September.")
    reading = read(text, None, "2022-12-30", GAZETTEER)
    assert reading.kind == "video_call", reading.reason
    # a later sentence of another day says nothing of this one
    other_day = read("Russian President Vladimir Putin held talks with Chinese President Xi Jinping on Friday."
                     " On December 1 the two had held a video conference.", None, "2022-12-30", GAZETTEER)
    assert other_day.kind == "meeting", other_day.reason


def test_who_said_it_at_the_end_of_the_sentence_is_no_participant() -> None:
    reading = read("Russian President Vladimir Putin and Chinese President Xi Jinping held talks on Friday, Kremlin"
                   " spokesman Dmitry Peskov said.", None, "2022-12-30", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Vladimir Putin", "Xi Jinping")


def test_a_lead_announcing_the_second_day_reports_the_first_told_after_it() -> None:
    text = ("Russian President Vladimir Putin and Chinese President Xi Jinping are due to hold a second day of talks"
            " in Moscow.\n\nPutin and Xi shook hands at the Kremlin at the start of the first day of talks on March 20.")
    reading = read(text, None, "2023-03-21", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2023-03-20", "Moscow")
    # told a week before, it is history, and the lead only announces
    old = read(text.replace("March 20", "March 12"), None, "2023-03-21", GAZETTEER)
    assert old.meeting is None and old.reason.startswith("not an event: a preview"), old.reason


def test_an_invitation_to_visit_in_russian_is_no_plan_of_the_text() -> None:
    # "посетить" (to visit) after "пригласил" (invited): what was said at today's talks; "посетит" would announce
    reading = read("На сегодняшних переговорах в Минске президент России Владимир Путин пригласил президента Ирана"
                   " Масуда Пезешкиана посетить Россию.", None, "2024-10-11", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2024-10-11", "Minsk")
    plan = read("Президент Ирана Масуд Пезешкиан посетит Россию и встретится с Владимиром Путиным.", None,
                "2024-10-11", GAZETTEER, language="ru")
    assert plan.meeting is None and plan.reason.startswith("not an event: a preview"), plan.reason


def test_a_russian_sentence_of_a_plan_gives_this_event_neither_its_place_nor_its_day() -> None:
    text = ("Владимир Путин в ходе встречи с Масудом Пезешкианом обсудил торговлю.\n\n"
            "Путин намерен провести переговоры с Пезешкианом в Казани, о чем накануне говорил Дмитрий Песков.")
    reading = read(text, None, "2024-10-11", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2024-10-11", None)


def test_meetings_with_each_of_several_leaders_are_one_each() -> None:
    arabic = read('التقى الرئيس فلاديمير بوتين أمس بكل من الرئيس الإيراني مسعود بزشكيان والرئيس التركي رجب طيب أردوغان'
                  ' في قازان.', None, "2024-10-24", GAZETTEER, language="ar")
    english = read("Vladimir Putin met separately with Masoud Pezeshkian and Recep Tayyip Erdogan in Kazan on Wednesday.",
                   None, "2024-10-24", GAZETTEER)
    for reading in (arabic, english):
        assert reading.meeting is not None, reading.reason
        assert reading.meeting.participants == ("Masoud Pezeshkian", "Vladimir Putin")


def test_a_dateline_with_the_country_in_brackets_is_past_and_a_call_recalled_later_dates_no_meeting() -> None:
    text = ("Johannesburg [South Africa], August 24 : Prime Minister Narendra Modi and President Ebrahim Raisi held a"
            " bilateral meeting in Johannesburg.\n\nDuring their phone conversation on August 18, the two leaders had"
            " discussed trade.")
    reading = read(text, None, "2023-08-24", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == ("2023-08-24", "Johannesburg")


def test_an_assistant_to_a_minister_in_arabic_is_not_the_minister() -> None:
    reading = read("بحث الرئيس بشار الأسد مع مساعد وزير الخارجية الإيراني التطورات في المنطقة.", None,
                   "2015-11-22", GAZETTEER, language="ar")
    assert "Mohammad Javad Zarif" not in (reading.meeting.participants if reading.meeting else ()), reading.reason


def test_names_of_the_list_alone_are_named_people() -> None:
    reading = read("Putin hosted Erdogan at his residence in Sochi on Monday.", None, "2024-09-30", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Recep Tayyip Erdogan", "Vladimir Putin"), "Sochi")


def test_a_message_received_is_a_message_whoever_delivered_it() -> None:
    reading = read("Sultan Haitham bin Tariq of Oman received a written message from Iranian President Ebrahim Raisi on"
                   " Wednesday, delivered by the Iranian ambassador.", None, "2024-02-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.participants) == ("message", ("Ebrahim Raisi", "Haitham bin Tariq"))


def test_the_next_leg_of_a_trip_is_another_event() -> None:
    reading = read("Iranian Foreign Minister Abbas Araghchi arrived in Damascus on Sunday and met President Bashar"
                   " al-Assad, then travelled to Ankara to meet his Turkish counterpart Hakan Fidan.", None,
                   "2024-12-02", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Abbas Araghchi", "Bashar al-Assad"), "Damascus")


def test_an_event_a_year_before_the_text_is_history() -> None:
    reading = read("Putin said his visit to Damascus on January 7, 2020, was not a surprise to Bashar al-Assad.", None,
                   "2021-01-07", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a retrospective"), reading.reason


def test_a_common_arabic_word_with_a_surname_s_consonants_is_not_that_person() -> None:
    # "بشأن" (regarding) has the consonants of Pashinyan, whose y every Arabic spelling writes
    reading = read("اتفق الرئيس فلاديمير بوتين مع الرئيس رجب طيب أردوغان في اتصال هاتفي اليوم على مواصلة الاتصالات"
                   " بشأن سوريا.", None, "2020-02-12", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Recep Tayyip Erdogan", "Vladimir Putin")


def test_amir_in_a_family_name_is_no_title() -> None:
    reading = read("Iranian diplomat Hossein Amir Abdollahian and Russian Foreign Minister Sergey Lavrov met in Moscow"
                   " on Tuesday.", None, "2022-03-15", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Hossein Amir-Abdollahian", "Sergey Lavrov")


def test_an_arrival_for_talks_scheduled_for_another_day_announces_them() -> None:
    text = ("Iran's Foreign Minister Hossein Amir-Abdollahian arrived in Moscow on Tuesday for talks with his Russian"
            " counterpart Sergey Lavrov.\n\nThe two ministers will discuss Afghanistan during their meeting scheduled"
            " for Wednesday.")
    reading = read(text, None, "2021-10-05", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason
    # the same arrival with the talks on its own day reports them
    today = read(text.replace("scheduled for Wednesday", "later today"), None, "2021-10-05", GAZETTEER)
    assert today.meeting is not None and today.meeting.date == "2021-10-05", today.reason


def test_hoping_two_leaders_can_agree_at_talks_announces_the_talks() -> None:
    reading = read("Kremlin hopes Putin, Erdogan can agree joint measures at Syria talks", None, "2020-03-04", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


def test_days_of_saying_of_an_arrival_and_of_a_noun_are_not_the_talks_day() -> None:
    said = read("Iranian Foreign Minister Hossein Amir-Abdollahian said on Thursday that he concluded negotiations with"
                " Russian Foreign Minister Sergey Lavrov.\n\nAmir-Abdollahian and Lavrov met on Wednesday in Moscow.",
                None, "2021-10-07", GAZETTEER)
    arrived = read("Putin Meets Iran's FM Araghchi in the Kremlin\n\nThe foreign minister arrived late on Sunday to hold"
                   " talks with Russian President Vladimir Putin.", None, "2025-06-23", GAZETTEER)
    noun = read("Iranian Foreign Minister Abbas Araghchi met Syrian President Bashar al-Assad in Damascus. The visit"
                " follows a Wednesday surprise attack in Aleppo.", None, "2024-12-01", GAZETTEER)
    assert said.meeting is not None and arrived.meeting is not None and noun.meeting is not None
    assert said.meeting.date == "2021-10-06", said.meeting.date_evidence
    assert arrived.meeting.date == "2025-06-23", arrived.meeting.date_evidence
    assert noun.meeting.date == "2024-12-01", noun.meeting.date_evidence


def test_the_place_right_after_the_event_s_words_is_its_place() -> None:
    reading = read("Russia and Turkey agree on de-escalation in Idlib after Putin-Erdogan talks in Moscow", None,
                   "2020-03-05", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.place == "Moscow"


def test_a_weekday_before_the_event_s_own_noun_dates_it() -> None:
    reading = read("Russian President Vladimir Putin hosted Turkish President Recep Tayyip Erdogan in Sochi.\n\n"
                   "Monday's discussions included a closed-door meeting.", None, "2023-09-05", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.date == "2023-09-04", reading.reason


def test_a_photographer_s_credit_makes_a_caption_and_a_headline_s_talks_to_is_the_story_s_call() -> None:
    caption = read("President Joe Biden attends a bilateral meeting with President Joko Widodo ahead of the G20 summit"
                   " in Bali, Monday. Achmad Ibrahim/Pool via REUTERS\n\nChinese leader Xi Jinping and US President Joe"
                   " Biden met on Monday for long-awaited talks.", None, "2022-11-15", GAZETTEER)
    assert caption.meeting is not None, caption.reason
    assert (caption.meeting.participants, caption.meeting.date) == (("Joe Biden", "Xi Jinping"), "2022-11-14")
    call = read("Modi Talks To Trump, Looks Forward To Working Together\n\nPrime Minister Narendra Modi held a telephonic"
                " conversation with Donald Trump late on Wednesday.", None, "2024-11-06", GAZETTEER)
    assert call.kind == "call", call.reason


def test_a_conversation_over_breakfast_is_a_meeting() -> None:
    reading = read("Alexander Lukashenko told reporters about his conversation with Russian President Vladimir Putin"
                   " during breakfast in Sochi.", None, "2020-02-07", GAZETTEER)
    assert reading.kind == "meeting", reading.reason


def test_a_quotation_cut_by_a_sentence_s_end_announces_nothing() -> None:
    text = ('Joe Biden welcomed Narendra Modi at the White House on Thursday. "Welcome back to the White House. I am'
            ' honoured to be the first to host you here on a State visit," Biden said.')
    reading = read(text, None, "2023-06-22", GAZETTEER)
    assert reading.meeting is not None, reading.reason


def test_a_day_in_a_clause_set_off_by_a_dash_before_the_subject_is_that_clause_s() -> None:
    reading = read("After President Joe Biden shook hands with some Israeli leaders Wednesday—sending mixed messages—he"
                   " fist-bumped Crown Prince Mohammed bin Salman in Jeddah on Friday.", None, "2022-07-15", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.date == "2022-07-15", reading.reason


def test_talks_that_concluded_and_will_resume_are_the_day_they_concluded() -> None:
    text = ("Talks between Russian President Vladimir Putin and Chinese President Xi Jinping concluded on Monday and will"
            " resume on Tuesday.\n\nPutin saw Xi off at his car. \"On Tuesday, the leaders will meet again,\" the agency"
            " said.")
    reading = read(text, None, "2023-03-21", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2023-03-20", reading.meeting.date_evidence


def test_spellings_of_iran_s_presidents_are_one_person() -> None:
    reading = read("President Raeisi met Rohani in Tehran on Monday.", None, "2021-08-02", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ebrahim Raisi", "Hassan Rouhani")


def test_an_arabic_noun_of_the_event_with_a_preposition_and_the_article_joined_is_read() -> None:
    reading = read("قام الرئيس الروسي فلاديمير بوتين والرئيس التركي رجب طيب أردوغان بالاجتماع في موسكو يوم الخميس.",
                   None, "2020-03-06", GAZETTEER, language="ar")
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.place) == ("meeting", "Moscow")
    # a name with the article ("العزيز") is no verb of condolence ("عزى")
    named = read("التقى الأمير محمد بن سلمان بن عبد العزيز اليوم الرئيس الإيراني إبراهيم رئيسي في الرياض.", None,
                 "2023-11-11", GAZETTEER, language="ar")
    assert named.kind == "meeting", named.reason


def test_a_leader_greeting_another_reports_their_meeting_and_greetings_sent_a_message() -> None:
    met = read("Russian President Vladimir Putin greeted Iranian President Masoud Pezeshkian at the Kremlin on Friday.",
               None, "2025-01-17", GAZETTEER)
    sent = read("President Xi Jinping sent greetings to President Masoud Pezeshkian on Friday.", None, "2025-03-21",
                GAZETTEER)
    assert met.meeting is not None and sent.meeting is not None, (met.reason, sent.reason)
    assert (met.kind, met.meeting.place) == ("meeting", "Moscow")
    assert sent.kind == "message"


def test_honorifics_places_and_offices_are_not_people() -> None:
    imam = read("Prime Minister Shehbaz Sharif met His Eminence Ayatollah Imam Khamenei, the Leader of the Islamic "
                "Revolution, in Tehran on Wednesday.", None, "2024-05-22", GAZETTEER)
    assert imam.meeting is not None, imam.reason
    assert imam.meeting.participants == ("Ali Khamenei", "Shehbaz Sharif")
    # an office written before the comma ("Taliban Foreign Minister, Amir …") is nobody's name; an airport is a place
    taliban = read("Abbas Araghchi was welcomed in Kabul on Sunday by his counterpart, Taliban Foreign Minister, "
                   "Amir Khan Muttaqi.", None, "2025-01-26", GAZETTEER)
    assert taliban.meeting is not None, taliban.reason
    assert taliban.meeting.participants == ("Abbas Araghchi", "Amir Khan Muttaqi")
    airport = read("Premier Shehbaz Sharif landed at Mehrabad Airport on Monday and was received by Iranian President "
                   "Masoud Pezeshkian.", None, "2025-05-26", GAZETTEER)
    assert airport.meeting is not None and "Mehrabad Airport" not in airport.meeting.participants, airport.reason
    # "Amir" inside a name is part of it
    minister = read("Iranian Foreign Minister Hossein Amir Abdollahian met Saudi Foreign Minister Prince Faisal bin "
                    "Farhan in Riyadh on Friday.", None, "2023-08-18", GAZETTEER)
    assert minister.meeting is not None, minister.reason
    assert "Hossein Amir-Abdollahian" in minister.meeting.participants


def test_a_spokesperson_who_tells_of_a_call_takes_no_part_in_it() -> None:
    reading = read("According to the presidency's spokesperson, Thandi Mokoena, President Cyril Ramaphosa phoned "
                   "Iranian President Hassan Rouhani on Thursday from Durban.", None, "2020-01-10", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Cyril Ramaphosa", "Hassan Rouhani")


def test_an_anniversary_of_something_else_and_a_record_set_are_no_look_back_and_no_plan() -> None:
    party = read("President Cyril Ramaphosa phoned Iranian President Hassan Rouhani on Thursday from Kimberley, where "
                 "he is leading the party's 108th anniversary celebrations.", None, "2020-01-10", GAZETTEER)
    assert party.kind == "call", party.reason
    first = read("Shinzo Abe is the first Japanese prime minister in four decades to visit Iran. Shortly after "
                 "arriving he sat down with President Hassan Rouhani in Tehran.", "Abe holds talks in Tehran",
                 "2019-06-12", GAZETTEER)
    assert first.meeting is not None, first.reason
    assert (first.kind, first.meeting.participants) == ("meeting", ("Hassan Rouhani", "Shinzo Abe"))
    # a stance is no plan: the event is the press conference the two gave together
    stance = read("Speaking at a joint press conference with Iranian President Masoud Pezeshkian in Tehran, Prime "
                  "Minister Shehbaz Sharif said the talks had been constructive.", "Pakistan willing to hold talks "
                  "with India: PM Shehbaz", "2025-05-26", GAZETTEER)
    assert stance.meeting is not None, stance.reason
    assert (stance.kind, stance.meeting.place) == ("meeting", "Tehran")


def test_a_photo_caption_placing_the_leaders_left_and_right_is_not_the_news() -> None:
    reading = read("President Erdogan (L) speaks at a joint press conference with President Putin (R) in Moscow on "
                   "5 March 2020 [Jane Roe/Some Agency]\n\nRussian President Vladimir Putin spoke by phone to his "
                   "Turkish counterpart Tayyip Erdogan on Thursday, the Kremlin said.", None, "2020-03-12", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.kind, reading.meeting.date) == ("call", "2020-03-12")


def test_romanisations_of_one_name_are_one_person() -> None:
    from harvester.people import same_person

    assert same_person("Abbas Araqchi", "Abbas Araghchi") and same_person("Qasym-Jomart Toqayev", "Kassym-Jomart Tokayev")
    assert not same_person("Ali Khamenei", "Ali Khomeini") and not same_person("Heydar Aliyev", "Ilham Aliyev")
    reading = read("Iranian Foreign Minister Abbas Araqchi met his Omani counterpart Badr Albusaidi in Muscat on "
                   "Saturday.", None, "2025-04-12", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Abbas Araghchi", "Badr Albusaidi")


def test_a_ruler_deposed_before_the_event_takes_no_part_and_a_host_welcoming_at_the_airport_met_the_visitor() -> None:
    reading = read("On Thursday, Syria's president Ahmed al-Sharaa welcomed Qatar's Emir Sheikh Tamim bin Hamad Al "
                   "Thani upon his arrival at Damascus Airport, the first visit by an Arab leader since Bashar "
                   "al-Assad's ouster.", None, "2025-01-30", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Ahmed al-Sharaa", "Tamim bin Hamad Al Thani")
    assert (reading.kind, reading.meeting.place) == ("meeting", "Damascus")


@pytest.mark.parametrize(
    ("text", "day", "participants"),
    [
        ("Australia's prime minister met the Chinese president in Beijing on Monday.", "2023-11-06",
         ("Anthony Albanese", "Xi Jinping")),
        ("Australia's prime minister met the Chinese president in Osaka on Friday.", "2019-06-28",
         ("Scott Morrison", "Xi Jinping")),
        ("The Mexican president spoke by phone with the US president on Monday.", "2025-02-03",
         ("Claudia Sheinbaum", "Donald Trump")),
        ("The Mexican president spoke by phone with the US president on Monday.", "2019-06-03",
         ("Andres Manuel Lopez Obrador", "Donald Trump")),
        # a name the text writes after the office is the holder, whoever the list has that day
        ("Brazilian President Marta Lins met the Chinese president in Beijing on Monday.", "2024-05-06",
         ("Marta Lins", "Xi Jinping")),
        # ... and the holder, where it is another spelling of the holder's name
        ("US Secretary of State Tony Blinken met Chinese Foreign Minister Wang Yi in Washington on Thursday.",
         "2023-10-26", ("Antony Blinken", "Wang Yi")),
    ],
)
def test_a_leader_named_by_office_alone_is_the_one_in_office_that_day(text: str, day: str, participants: tuple[str, ...]) -> None:
    reading = read(text, None, day, GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == participants


def test_near_copies_of_one_day_read_as_the_same_original_in_either_order(tmp_path: Path) -> None:
    from harvester.store import Store

    # two wire versions of one story: only the first names the late father inside the event's sentence
    lead = ("{who} and you, Vladimir Vladimirovich, laid the foundations of our relations, President Ilham Aliyev said"
            " at his meeting with Russian President Vladimir Putin in Moscow on Thursday.")
    rest = (" The two presidents discussed transport corridors, energy supplies, trade in grain and fertiliser, the"
            " situation in the South Caucasus, and the work of the intergovernmental commission, which will meet in"
            " Baku in the autumn to review the projects agreed at the talks.")
    versions = [("https://agency-a.example/1", lead.format(who="Heydar Aliyev") + rest),
                ("https://agency-b.example/1", lead.format(who="The late national leader") + rest)]
    found: list[dict[str, tuple[bool, Any]]] = []
    for order in (versions, versions[::-1]):
        with Store(tmp_path / f"order-{len(found)}.db") as store:
            store.db.execute("insert into sources (name, title, home, language) values"
                             " ('cnsnews', 'cnsnews', 'https://cnsnews.example/', 'en')")
            ids = {url: _stored(store, url, text, "2023-05-25") for url, text in order}
            found.append({url: (store.db.execute("select duplicate_of from readouts where id = ?", [i]).fetchone()[0]
                                is None, _meeting_of(store, i)[1:]) for url, i in ids.items()})
    assert found[0] == found[1]
    # the fuller text is the original, whichever came first
    assert [url for url, (original, _) in found[0].items() if original] == ["https://agency-b.example/1"]


def test_a_continent_is_no_place_and_a_pair_that_spoke_on_a_day_held_a_call() -> None:
    sidelines = read("Russian President Vladimir Putin meets Turkish President Recep Tayyip Erdogan on the sidelines "
                     "of the summit of the Conference on Interaction and Confidence Building Measures in Asia in "
                     "Astana on 13 October 2022.", None, "2022-10-13", GAZETTEER)
    assert sidelines.meeting is not None, sidelines.reason
    assert sidelines.meeting.place == "Astana"
    spoke = read("Egypt's President Abdel Fattah al-Sisi and his Russian counterpart Vladimir Putin spoke on "
                 "Wednesday, the presidency said.", None, "2022-03-09", GAZETTEER)
    assert (spoke.kind, spoke.meeting and spoke.meeting.date) == ("call", "2022-03-09"), spoke.reason


def test_a_message_handed_over_at_a_meeting_is_the_meeting() -> None:
    reading = read("The leaders of Russia and Turkey met in Astana. This was Erdogan's message to Putin, delivered "
                   "during a face-to-face meeting on Wednesday.", None, "2024-07-03", GAZETTEER)
    assert reading.kind == "meeting", reading.reason


def test_after_a_plan_the_lead_may_tell_another_event_just_held() -> None:
    reading = read("Russian President Vladimir Putin suggested that the UAE could host his meeting with US President "
                   "Donald Trump. The announcement followed Putin's meeting with UAE President Mohamed bin Zayed.",
                   "Putin Hints at UAE as Venue for Trump Summit", "2025-08-07", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.participants == ("Mohamed bin Zayed", "Vladimir Putin")
    # the plan alone, or the same two again, or an older event, is still a preview
    for lead in ("Russian President Vladimir Putin suggested that the UAE could host his meeting with US President "
                 "Donald Trump. The two leaders last met in Helsinki.",
                 "Russian President Vladimir Putin suggested that the UAE could host his meeting with US President "
                 "Donald Trump. A potential location for a summit with Trump was discussed in Moscow."):
        preview = read(lead, None, "2025-08-07", GAZETTEER)
        assert preview.meeting is None and preview.reason.startswith("not an event: a preview"), preview.reason


def test_a_text_written_as_someone_sets_off_is_a_preview_and_an_arrival_is_not() -> None:
    leaving = read("Before leaving Tehran for Doha on Monday, President Ebrahim Raisi told reporters that he is "
                   "travelling to Qatar at the invitation of Emir Sheikh Tamim bin Hamad Al Thani.",
                   "Raisi's Qatar trip", "2022-02-21", GAZETTEER)
    assert leaving.meeting is None and leaving.mention is None, leaving.reason
    arrived = read("Russian President Vladimir Putin flew to Damascus on Tuesday and held talks with Syrian President "
                   "Bashar al-Assad.", None, "2020-01-07", GAZETTEER)
    assert arrived.meeting is not None and arrived.kind == "meeting", arrived.reason


def test_negotiations_are_talks_and_a_hope_voiced_about_the_visit_is_no_plan() -> None:
    talks = read("Vladimir Putin and President of Belarus Alexander Lukashenko held a second round of negotiations "
                 "in Sochi on Friday.", None, "2020-02-07", GAZETTEER)
    assert (talks.kind, talks.meeting and talks.meeting.place) == ("meeting", "Sochi"), talks.reason
    hope = read("Iran's Foreign Minister Abbas Araghchi in a meeting with the Taliban's foreign minister Amir Khan "
                "Muttaqi in Kabul on Sunday underscored the ties between the two nations, saying that he hopes his "
                "visit will further strengthen them.", None, "2025-01-26", GAZETTEER)
    assert hope.meeting is not None, hope.reason
    assert hope.meeting.participants == ("Abbas Araghchi", "Amir Khan Muttaqi")


def test_a_message_said_to_the_world_is_no_message_sent() -> None:
    hosted = read("In a clear message aimed at their rivals, President Arjun Mehra hosted Prime Minister Aziz Rahman "
                  "for the first talks of their two countries on Friday.", None, "2024-10-12", GAZETTEER)
    assert hosted.kind == "meeting", hosted.reason
    sent = read("President Arjun Mehra sent a message to Prime Minister Aziz Rahman on Friday.", None, "2024-10-12",
                GAZETTEER)
    assert sent.kind == "message", sent.reason


def test_an_exchange_of_views_is_talks() -> None:
    reading = read("President Arjun Mehra and Prime Minister Aziz Rahman on Friday had a frank and in-depth exchange "
                   "of views on trade.", None, "2024-10-12", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("meeting", "2024-10-11")


def test_meetings_someone_would_pursue_are_not_held() -> None:
    wished = read("President Arjun Mehra also said he would continue to pursue meetings with Prime Minister Aziz "
                  "Rahman.", None, "2024-10-12", GAZETTEER)
    assert wished.meeting is None, wished.reason
    held = read("President Arjun Mehra said he held talks with Prime Minister Aziz Rahman on Friday.", None,
                "2024-10-12", GAZETTEER)
    assert held.meeting is not None, held.reason


def test_a_day_since_something_else_began_is_not_the_events() -> None:
    reading = read("President Arjun Mehra has spoken by phone with Prime Minister Aziz Rahman, his first call with a "
                   "foreign leader since taking office on Monday.", None, "2024-10-10", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2024-10-10", "published")


def test_a_pages_stamp_before_its_headline_is_not_the_events_day() -> None:
    reading = read("10/10/2024 October 10, 2024 President Arjun Mehra speaks with Prime Minister Aziz Rahman by phone"
                   "\n\nThe two leaders spoke on Wednesday about trade.", None, "2024-10-10", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2024-10-09", reading.meeting.date_evidence


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a summit put in a state, from a city the text names in that state (its dateline included)
        ("Napa, California - President Arjun Mehra and Prime Minister Aziz Rahman met on Wednesday at a summit in "
         "California.", "Napa"),
        ("President Arjun Mehra and Prime Minister Aziz Rahman met on Wednesday at a summit in California.",
         "California"),
        # a quarter no gazetteer names, then its city
        ("Arjun Mehra held talks with Aziz Rahman at the guest house in Hanamizuki, Kyoto on Wednesday.", "Kyoto"),
        # a retreat that is a place of its own
        ("Arjun Mehra, Joe Biden and Aziz Rahman held a summit at the Camp David presidential retreat on Wednesday.",
         "Camp David"),
    ],
)
def test_the_nearest_place_the_text_gives_is_the_place(text: str, place: str) -> None:
    meeting = extract_meeting(text, None, "2023-08-10", GAZETTEER)
    assert meeting is not None and meeting.place == place


@pytest.mark.parametrize(
    "lead",
    [
        "President Arjun Mehra apologised to Prime Minister Aziz Rahman in a call on Friday.",
        "President Arjun Mehra made a second call in two days to Prime Minister Aziz Rahman on Friday.",
        "President Arjun Mehra and Prime Minister Aziz Rahman had a productive call on Friday.",
        # what was said tells nothing of how; the conversation the sentence ends on does
        "President Arjun Mehra and Prime Minister Aziz Rahman discussed trade on Friday, the ministry said following a "
        "conversation between the two.",
        # talks worded by no how, then the call the lead tells next, on no other day
        "President Arjun Mehra and Prime Minister Aziz Rahman hold urgent talks on Friday. Mehra made the call after "
        "a week of tension.",
    ],
)
def test_a_call_however_a_report_words_it(lead: str) -> None:
    reading = read(lead, None, "2024-10-12", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.kind == "call", reading.reason


def test_talks_in_a_city_with_a_conversation_stay_a_meeting_and_naming_someone_is_no_call() -> None:
    talks = read("President Arjun Mehra and Prime Minister Aziz Rahman discussed trade in Kyoto on Friday, the ministry "
                 "said following a conversation between the two.", None, "2024-10-12", GAZETTEER)
    assert talks.kind == "meeting", talks.reason
    named = read("President Arjun Mehra called Prime Minister Aziz Rahman his great friend on Friday.", None,
                 "2024-10-12", GAZETTEER)
    assert named.kind != "call", named.reason


def test_conversations_not_held_are_no_event() -> None:
    reading = read("President Arjun Mehra and Prime Minister Aziz Rahman did not hold telephone conversations this "
                   "week.", None, "2024-10-12", GAZETTEER)
    assert reading.meeting is None, reading.reason


def test_the_call_whose_understandings_a_report_implements_is_anothers() -> None:
    reading = read("Foreign Minister Arjun Mehra and Foreign Minister Aziz Rahman discussed on Friday the steps to "
                   "implement the understandings reached during the October 3 phone conversation between Russian "
                   "President Vladimir Putin and Chinese President Xi Jinping.", None, "2024-10-12", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert reading.meeting.date == "2024-10-11", reading.meeting.date_evidence
    assert reading.meeting.participants == ("Arjun Mehra", "Aziz Rahman")


def test_an_agencys_transliteration_is_the_listed_person() -> None:
    reading = read("Wang Yi spoke on the phone with Iranian Foreign Minister Abdullahyan on Thursday.", None,
                   "2022-06-24", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.participants == ("Hossein Amir-Abdollahian", "Wang Yi")


def test_a_relative_clause_ending_the_sentence_tells_nothing_of_the_events_kind() -> None:
    reading = read("President Arjun Mehra also called Prime Minister Aziz Rahman, who offered to host peace talks.", None,
                   "2024-10-12", GAZETTEER)
    assert reading.kind == "call", reading.reason


def test_a_count_of_past_meetings_is_no_meeting() -> None:
    reading = read("Foreign Minister Arjun Mehra arrived in Kyoto on Monday. He and Foreign Minister Aziz Rahman have "
                   "already met four times this year.", None, "2024-10-08", GAZETTEER)
    assert reading.meeting is None or reading.meeting.kind == "visit", reading.reason
    assert reading.meeting is None or "Aziz Rahman" not in reading.meeting.participants


def test_discussions_that_occurred_somewhere_place_the_event() -> None:
    reading = read("President Arjun Mehra and President Aziz Rahman discussed ways to strengthen their partnership.\n\nThe "
                   "discussions occurred after President Rahman's arrival in Kyoto for a state visit.", None,
                   "2025-11-14", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.place == "Kyoto", reading.reason


def test_a_capitalised_said_is_a_name_not_a_report() -> None:
    # the sultan's family name does not make an announcement a report
    reading = read("At the invitation of Sultan Haitham bin Tariq Al Said, Iranian President Ebrahim Raisi will visit "
                   "Muscat on Monday.", None, "2022-05-21", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


def test_the_countrys_leader_is_the_leader_the_sentence_names() -> None:
    reading = read("Vladimir Putin's plane has landed in Abu Dhabi for the Russian leader's first trip to the United "
                   "Arab Emirates since 2019.", None, "2023-12-06", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.participants == ("Vladimir Putin",), reading.reason


def test_a_plan_announced_during_a_meeting_reports_the_meeting_in_its_own_place() -> None:
    reading = read("A trade treaty is expected to be signed at the summit next week in Kazan, President Arjun Mehra "
                   "announced during his first meeting with President Aziz Rahman in Ashgabat.", None, "2024-10-11",
                   GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.place) == ("meeting", "Ashgabat")
    ahead = read("President Arjun Mehra will raise the treaty during his meeting with President Aziz Rahman in "
                 "Ashgabat next week.", None, "2024-10-11", GAZETTEER)
    assert ahead.meeting is None, ahead.reason


def test_calling_something_a_name_is_no_call() -> None:
    reading = read("President Arjun Mehra and his counterpart Aziz Rahman called it a new season in their relations on "
                   "Saturday in Kyoto.", None, "2016-01-23", GAZETTEER)
    assert reading.kind != "call", reading.reason


def test_meeting_the_press_is_meeting_no_one() -> None:
    press = read("Foreign Minister Arjun Mehra and Foreign Minister Aziz Rahman met with reporters in Kyoto on Friday.",
                 None, "2024-12-27", GAZETTEER)
    assert press.meeting is None, press.reason
    talks = read("Foreign Minister Arjun Mehra and Foreign Minister Aziz Rahman met with reporters in Kyoto on Friday "
                 "after their talks.", None, "2024-12-27", GAZETTEER)
    assert talks.meeting is not None and talks.meeting.kind == "meeting", talks.reason


def test_an_event_a_later_sentence_dates_years_back_is_a_retrospective() -> None:
    reading = read("Old post goes viral about when Ali Khamenei met Narendra Modi\n\nWhen Narendra Modi met Ali "
                   "Khamenei in Tehran on May 23, 2016, he spoke of friendship.", None, "2026-03-03", GAZETTEER)
    assert reading.meeting is None and reading.reason.startswith("not an event: a retrospective"), reading.reason


def test_maduro_is_known_by_his_surname() -> None:
    reading = read("Iranian President Ebrahim Raisi met with Maduro in Caracas on Monday.", None, "2023-06-12",
                   GAZETTEER)
    assert reading.meeting is not None and reading.meeting.participants == ("Ebrahim Raisi", "Nicolas Maduro")


def test_a_later_sentence_recalling_earlier_talks_does_not_date_the_event() -> None:
    reading = read("Russian President Vladimir Putin praised close ties with Iran in his first meeting with Iranian "
                   "President Masoud Pezeshkian.\n\nThe previous talks were held in Tehran on 7 September 2018.", None,
                   "2024-10-11", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2024-10-11", "published")


def test_the_people_of_an_event_a_fronted_clause_recalls_are_not_this_ones() -> None:
    reading = read("Following his informal meeting with Chinese President Xi Jinping in Wuhan last month, President "
                   "Arjun Mehra on Monday met Prime Minister Aziz Rahman in Sochi.", None, "2018-05-21", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.participants, reading.meeting.place) == (("Arjun Mehra", "Aziz Rahman"), "Sochi")


@pytest.mark.parametrize("lead", [
    "President Arjun Mehra met Prime Minister Aziz Rahman on the sidelines of the UN General Assembly on Thursday.",
    "On the sidelines of the 74th Session of UNGA on Thursday, President Arjun Mehra and Prime Minister Aziz Rahman "
    "discussed bilateral relations.",
])
def test_talks_beside_the_general_assembly_are_in_new_york(lead: str) -> None:
    meeting = extract_meeting(lead, None, "2019-09-27", GAZETTEER)
    assert meeting is not None and meeting.place == "New York"


def test_an_invitation_to_visit_someone_elses_talks_and_earlier_are_not_the_events() -> None:
    for lead in ("Earlier, President Arjun Mehra invited Prime Minister Aziz Rahman to visit Kyoto again.",
                 "Earlier, President Arjun Mehra thanked Prime Minister Aziz Rahman and invited him to visit Kyoto."):
        invited = read(lead, None, "2025-03-20", GAZETTEER)
        assert invited.meeting is None, invited.reason
    earlier = read("Earlier, President Arjun Mehra met Prime Minister Aziz Rahman in Kyoto.", None, "2025-03-20",
                   GAZETTEER)
    assert earlier.meeting is not None and earlier.meeting.participants == ("Arjun Mehra", "Aziz Rahman")
    other = read("Vladimir Putin and Recep Tayyip Erdogan spoke by phone on Friday, a day after Erdogan's talks with "
                 "Volodymyr Zelensky in Istanbul.", None, "2023-07-08", GAZETTEER)
    assert other.meeting is not None, other.reason
    assert (other.meeting.kind, other.meeting.participants) == ("call", ("Recep Tayyip Erdogan", "Vladimir Putin"))


def test_an_agreement_reached_in_a_call_is_that_call() -> None:
    reading = read("The agreement was reached in a phone call between President Arjun Mehra and Prime Minister Aziz "
                   "Rahman on Wednesday.", None, "2023-06-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.date) == ("call", "2023-06-07")


@pytest.mark.parametrize(("lead", "day"), [
    ("President Arjun Mehra met Prime Minister Aziz Rahman on the 27th in Kyoto.", "2024-02-27"),
    ("President Arjun Mehra and Prime Minister Aziz Rahman held talks in Kyoto on the 1st of this month.", "2024-03-01"),
    ("On the 1st (local time), President Arjun Mehra met Prime Minister Aziz Rahman in Kyoto.", "2024-03-01"),
])
def test_a_day_of_the_month_dates_the_event(lead: str, day: str) -> None:
    meeting = extract_meeting(lead, None, "2024-03-02", GAZETTEER)
    assert meeting is not None and (meeting.date, meeting.place) == (day, "Kyoto")


def test_an_ordinal_that_is_not_a_day_dates_nothing() -> None:
    assert dates_in("The leaders met on the 20th anniversary of the treaty.", date(2024, 3, 2)) == []


@pytest.mark.parametrize(("lead", "place"), [
    ("Prime Minister Aziz Rahman met President Arjun Mehra in Singapore on Wednesday.", "Singapore"),
    ("Prime Minister Aziz Rahman met President Arjun Mehra in Mexico City on Wednesday.", "Mexico City"),
    ("Prime Minister Aziz Rahman met President Arjun Mehra at the Parliament House of Singapore on Wednesday.",
     "Singapore"),
    ("Prime Minister Aziz Rahman met President Arjun Mehra at Malacañang Palace on Wednesday.", "Manila"),
])
def test_a_city_state_a_city_named_after_its_country_and_a_building_of_a_city(lead: str, place: str) -> None:
    meeting = extract_meeting(lead, None, "2024-09-05", GAZETTEER)
    assert meeting is not None and meeting.place == place


def test_a_country_is_no_city() -> None:
    meeting = extract_meeting("Prime Minister Aziz Rahman met President Arjun Mehra in Mexico on Wednesday.", None,
                              "2024-09-05", GAZETTEER)
    assert meeting is not None and meeting.place != "Mexico"


@pytest.mark.parametrize(("lead", "kind"), [
    ("Prime Minister Aziz Rahman said President Arjun Mehra informed him over a call that he would attend the summit.",
     "call"),
    ("Prime Minister Aziz Rahman has extended heartiest felicitations to President Arjun Mehra on taking the oath.",
     "message"),
])
def test_a_call_over_the_line_and_felicitations(lead: str, kind: str) -> None:
    meeting = extract_meeting(lead, None, "2025-10-23", GAZETTEER)
    assert meeting is not None and meeting.kind == kind


def test_a_caption_in_the_present_with_the_pictures_date_dates_nothing() -> None:
    text = ("President Arjun Mehra meets his counterpart Aziz Rahman in Kyoto on September 4, 2024\n\n"
            "Kyoto: President Arjun Mehra on Thursday met Prime Minister Aziz Rahman and discussed trade.")
    reading = read(text, "Mehra meets Rahman to discuss ties", "2024-09-05", GAZETTEER)
    assert reading.meeting is not None and reading.meeting.date == "2024-09-05"


def test_talks_discussed_are_the_call_the_next_sentence_tells_whatever_plan_it_dates() -> None:
    text = ("President Arjun Mehra and Prime Minister Aziz Rahman discussed on Monday preparations for Rahman's visit."
            "\n\nThe ministry confirmed the phone conversation, saying they discussed the preparations ahead of "
            "Rahman's Nov. 12 visit.")
    meeting = extract_meeting(text, None, "2025-10-27", GAZETTEER)
    assert meeting is not None and (meeting.kind, meeting.date) == ("call", "2025-10-27")


def test_a_file_photos_caption_places_nothing() -> None:
    text = ("File – President Arjun Mehra with Prime Minister Aziz Rahman during a visit in Sochi – -/Kremlin/dpa – File"
            "\n\nPresident Arjun Mehra and Prime Minister Aziz Rahman held a meeting on Tuesday in Tehran.")
    meeting = extract_meeting(text, None, "2022-07-19", GAZETTEER)
    assert meeting is not None and meeting.place == "Tehran"


def test_a_caption_credited_after_a_dash_dates_nothing_and_a_buildings_city() -> None:
    text = ("Prime Minister Aziz Rahman receives President Arjun Mehra in Kyoto on Monday. -- Reuters\n\n"
            "President Arjun Mehra met Prime Minister Aziz Rahman at the Union Buildings on Sunday.")
    meeting = extract_meeting(text, None, "2023-04-03", GAZETTEER)
    assert meeting is not None and (meeting.date, meeting.place) == ("2023-04-02", "Pretoria")


def test_a_spokesman_saying_two_leaders_will_meet_announces_and_a_call_telling_a_plan_reports() -> None:
    said = read("The spokesman said during the summit taking place in Kyoto, President Arjun Mehra and his counterpart "
                "Aziz Rahman will meet to strengthen relations.", None, "2023-08-03", GAZETTEER)
    assert said.meeting is None and said.reason.startswith("not an event: a preview"), said.reason
    told = read("President Arjun Mehra told Prime Minister Aziz Rahman in a phone call on Friday that the country will "
                "supply gas.", None, "2023-08-03", GAZETTEER)
    assert told.meeting is not None and told.meeting.kind == "call"


def test_a_meeting_in_a_month_long_past_is_a_retrospective_a_day_named_is_not() -> None:
    old = read("President Arjun Mehra and Prime Minister Aziz Rahman met for the first time at the summit in Kyoto in "
               "May 2022.", None, "2023-03-09", GAZETTEER)
    assert old.meeting is None and old.reason.startswith("not an event: a retrospective"), old.reason
    new = read("President Arjun Mehra met Prime Minister Aziz Rahman on Wednesday to discuss the deal they signed in "
               "May 2022.", None, "2023-03-09", GAZETTEER)
    assert new.meeting is not None and new.meeting.date == "2023-03-08"


def test_a_return_home_after_a_visit_sums_up_the_visit_from_its_first_day() -> None:
    text = ("Prime Minister Aziz Rahman returned home on Saturday after wrapping up his three-day state visit to Japan."
            "\n\nHe went to Tokyo on Thursday at the invitation of his Japanese counterpart Arjun Mehra.")
    meeting = extract_meeting(text, None, "2024-06-22", GAZETTEER)
    assert meeting is not None
    assert (meeting.kind, meeting.date, meeting.place) == ("visit", "2024-06-20", "Tokyo")
    back = extract_meeting("On May 28, Prime Minister Aziz Rahman returned to Kyoto following a three-day visit to "
                           "Uzbekistan, where President Shavkat Mirziyoyev saw him off.", None, "2024-05-28", GAZETTEER)
    assert back is not None and (back.kind, back.date, back.place) == ("visit", "2024-05-26", "Tashkent")


def test_an_official_meeting_a_visitor_off_the_plane_is_no_principal() -> None:
    text = ("President Arjun Mehra arrived in Kyoto and was greeted at the airport by First Deputy Prime Minister Omar "
            "Haddad.\n\nPresident Arjun Mehra and Prime Minister Aziz Rahman then held talks at the palace.")
    meeting = extract_meeting(text, None, "2025-11-11", GAZETTEER)
    assert meeting is not None and meeting.participants == ("Arjun Mehra", "Aziz Rahman")
    chair = extract_meeting("President Arjun Mehra was received at Kyoto airport by Omar Haddad, chair of the National "
                            "Assembly.\n\nPresident Arjun Mehra and Prime Minister Aziz Rahman then held talks at the "
                            "palace.", None, "2025-11-11", GAZETTEER)
    assert chair is not None and chair.participants == ("Arjun Mehra", "Aziz Rahman")
    host = extract_meeting("President Arjun Mehra arrived in Kyoto and was welcomed at the airport by Prime Minister "
                           "Aziz Rahman.", None, "2025-11-11", GAZETTEER)
    assert host is not None and host.participants == ("Arjun Mehra", "Aziz Rahman")


def test_leaders_of_southern_africa_and_south_america_and_their_forums_and_palaces() -> None:
    forum = extract_meeting("Russian President Vladimir Putin met Mnangagwa on the sidelines of the St. Petersburg "
                            "International Economic Forum on Thursday.", None, "2024-06-06", GAZETTEER)
    assert forum is not None
    assert (forum.participants, forum.place) == (("Emmerson Mnangagwa", "Vladimir Putin"), "Saint Petersburg")
    palace = extract_meeting("Chilean President Gabriel Boric met Uruguay's President Luis Lacalle Pou at the Planalto "
                             "Palace on Monday.", None, "2023-05-29", GAZETTEER)
    assert palace is not None
    assert (palace.participants, palace.place) == (("Gabriel Boric", "Luis Lacalle Pou"), "Brasília")


def test_a_headline_of_congratulations_over_a_call_with_the_newly_elected_is_that_call() -> None:
    text = ("Masoud Pezeshkian has been elected to replace the late Ebrahim Raisi\n\nRussian President Vladimir Putin has "
            "spoken with his newly elected Iranian counterpart Masoud Pezeshkian, the Kremlin announced on Monday.\n\n"
            "Putin and Pezeshkian also agreed to organize a personal meeting, sometime this year.")
    reading = read(text, "Putin congratulates new Iranian president", "2024-07-08", GAZETTEER)
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.participants) == ("call", ("Masoud Pezeshkian", "Vladimir Putin"))
    elected = extract_meeting("On Tuesday, Chinese President Xi Jinping extended his congratulations to Claudia "
                              "Sheinbaum on her successful election to the position of President of Mexico.", None,
                              "2024-06-05", GAZETTEER)
    assert elected is not None and elected.participants == ("Claudia Sheinbaum", "Xi Jinping")
    plan = read("Putin and Pezeshkian agreed to organize a personal meeting, sometime this year.", None, "2024-07-08",
                GAZETTEER)
    assert plan.meeting is None, plan.reason


def test_a_weekday_the_day_after_a_wires_date_is_the_events_day_in_a_zone_ahead() -> None:
    meeting = extract_meeting("President Arjun Mehra and Prime Minister Aziz Rahman held their second summit in Hanoi "
                              "Thursday, which ended without an agreement.", None, "2019-02-27", GAZETTEER)
    assert meeting is not None and meeting.date == "2019-02-28"
    plan = read("President Arjun Mehra and Prime Minister Aziz Rahman will meet in Hanoi on Thursday.", None,
                "2019-02-27", GAZETTEER)
    assert plan.meeting is None, plan.reason


def test_the_demilitarized_zone_is_panmunjom() -> None:
    meeting = extract_meeting("President Donald Trump met Kim Jong Un on Sunday at the Demilitarized Zone that separates "
                              "the two Koreas.", None, "2019-06-30", GAZETTEER)
    assert meeting is not None and meeting.place == "Panmunjom"


def test_a_city_with_a_particle_between_its_words() -> None:
    direct = extract_meeting("President Arjun Mehra met Prime Minister Aziz Rahman in Rio de Janeiro on Monday.", None,
                             "2024-11-19", GAZETTEER)
    assert direct is not None and direct.place == "Rio de Janeiro"
    later = extract_meeting("India and Japan should enhance exchanges, President Arjun Mehra told Prime Minister Aziz "
                            "Rahman on Monday.\n\n"
                            "The talk between the two leaders, on the sidelines of the 19th G20 Summit in Rio de Janeiro, "
                            "was their first meeting since Rahman was sworn in as prime minister in October.", None,
                            "2024-11-19", GAZETTEER)
    assert later is not None and later.place == "Rio de Janeiro"


def test_a_filing_day_between_dashes_after_the_place_is_no_event_day() -> None:
    meeting = extract_meeting("Kyoto, Japan – June 17, 2024 – President Arjun Mehra has extended his congratulations to "
                              "Prime Minister Aziz Rahman on his re-election.", None, "2024-06-18", GAZETTEER)
    assert meeting is not None and meeting.date_basis == "published"


def test_a_plan_announced_during_a_meeting_reports_the_meeting() -> None:
    meeting = extract_meeting("Official media quoted President Arjun Mehra as announcing during a meeting with Prime "
                              "Minister Aziz Rahman that the two countries will establish a strategic partnership.", None,
                              "2023-09-22", GAZETTEER)
    assert meeting is not None and meeting.participants == ("Arjun Mehra", "Aziz Rahman")


def test_a_datelines_day_in_brackets_after_a_comma_is_the_filings() -> None:
    meeting = extract_meeting("Kazan, (APP - UrduPoint / Pakistan Point News - 24th Oct, 2024) President Arjun Mehra "
                              "pledged closer ties during talks with Prime Minister Aziz Rahman, state media reported "
                              "Wednesday.", None, "2024-10-24", GAZETTEER)
    assert meeting is not None and meeting.date == "2024-10-23"


def test_a_meeting_put_in_the_country_of_the_dateline_is_in_its_city_and_only_then() -> None:
    there = extract_meeting("Kazan, Oct 23 (APP) President Arjun Mehra pledged closer ties during talks with Prime "
                            "Minister Aziz Rahman in Russia on Wednesday.", None, "2024-10-24", GAZETTEER)
    assert there is not None and there.place == "Kazan"
    elsewhere = extract_meeting("Moscow, Oct 23 (APP) President Arjun Mehra pledged closer ties during talks with Prime "
                                "Minister Aziz Rahman in Iran on Wednesday.", None, "2024-10-24", GAZETTEER)
    assert elsewhere is not None and elsewhere.place != "Moscow"


def test_an_earlier_visits_city_is_not_this_ones() -> None:
    meeting = extract_meeting("President Arjun Mehra said his current visit to Japan, and Prime Minister Aziz Rahman's "
                              "previous visit to Cairo, reflect a common will, after they met on Wednesday.", None,
                              "2024-09-04", GAZETTEER)
    assert meeting is not None and meeting.place != "Cairo"


def test_russian_congratulations_said_on_the_phone_are_a_call_and_an_agreement_to_meet_is_a_plan() -> None:
    text = ("Ильхам Алиев поздравил Владимира Путина с юбилеем.\n\n"
            "Во время телефонного разговора президенты обсудили двусторонние связи.")
    reading = read(text, "Алиев поздравил Путина с юбилеем", "2025-10-07", GAZETTEER, language="ru")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.kind, reading.meeting.participants) == ("call", ("Ilham Aliyev", "Vladimir Putin"))
    plan = read("Путин и Алиев договорились встретиться в Душанбе на следующей неделе.", None, "2025-10-07", GAZETTEER,
                language="ru")
    assert plan.meeting is None and plan.reason.startswith("not an event: a preview"), plan.reason


def test_a_family_name_of_two_letters_the_corpus_knows_names_its_person_where_two_letters_are_a_name() -> None:
    known = ["Xi Jinping", "Bashar al-Assad"]
    met = read("Xi met Assad in Hangzhou on Friday.", None, "2023-09-22", GAZETTEER, known=known)
    assert met.meeting is not None and met.meeting.participants == ("Bashar al-Assad", "Xi Jinping")
    roman = read("The XI forum opened as Vladimir Putin met Assad on Friday.", None, "2023-09-22", GAZETTEER, known=known)
    assert roman.meeting is not None and roman.meeting.participants == ("Bashar al-Assad", "Vladimir Putin")


def test_a_countrys_leader_is_its_one_listed_head_that_day_and_no_one_where_it_has_two() -> None:
    one = extract_meeting("The Nigerian leader congratulated President Cyril Ramaphosa on his re-election on Sunday.",
                          None, "2024-06-17", GAZETTEER)
    assert one is not None and one.participants == ("Bola Tinubu", "Cyril Ramaphosa")
    two = extract_meeting("The Russian leader congratulated President Cyril Ramaphosa on his re-election on Sunday.",
                          None, "2024-06-17", GAZETTEER)
    assert two is not None and "Vladimir Putin" not in two.participants and "Mikhail Mishustin" not in two.participants


@pytest.mark.parametrize(("language", "text"), [
    ("ar", "بعث الرئيس السوري بشار الأسد اليوم برقية تهنئة إلى الرئيس الإيراني المنتخب إبراهيم رئيسي."),
    ("ru", "Владимир Путин направил поздравление избранному президенту Ирана Эбрахиму Раиси."),
])
def test_an_office_elected_names_the_one_elected_not_its_holder_that_day(language: str, text: str) -> None:
    reading = read(text, None, "2021-06-19", GAZETTEER, language=language)
    assert reading.meeting is not None, reading.reason
    assert "Hassan Rouhani" not in reading.meeting.participants and "Ebrahim Raisi" in reading.meeting.participants


def test_a_persian_headline_without_a_verb_over_a_story_in_the_future_is_a_preview() -> None:
    title = "نخستین دیدار پزشکیان و پوتین در عشق‌آباد"
    ahead = read(title + "\n\nمسعود پزشکیان برای نخستین‌بار با ولادیمیر پوتین در عشق‌آباد دیدار خواهد کرد.", title,
                 "2024-10-09", GAZETTEER, language="fa")
    assert ahead.meeting is None and ahead.reason.startswith("not an event: a preview"), ahead.reason
    held = read(title + "\n\nمسعود پزشکیان روز جمعه با ولادیمیر پوتین در عشق‌آباد دیدار کرد.", title, "2024-10-11",
                GAZETTEER, language="fa")
    assert held.meeting is not None and held.meeting.participants == ("Masoud Pezeshkian", "Vladimir Putin")


def test_two_who_did_something_together_during_a_visit_met() -> None:
    together = read("أهدى أمير قطر الشيخ تميم بن حمد آل ثاني سلطان عمان هيثم بن طارق وساما رفيعا خلال زيارة الأخير إلى "
                    "الدوحة اليوم.", None, "2021-11-22", GAZETTEER, language="ar")
    assert together.meeting is not None, together.reason
    assert (together.meeting.kind, together.meeting.participants) == ("meeting", ("Haitham bin Tariq",
                                                                                  "Tamim bin Hamad Al Thani"))
