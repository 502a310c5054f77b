"""Meetings: which day a report gives its event, and how reports of events on consecutive days stay apart."""

from __future__ import annotations

import pytest

from harvester.data import shipped
from harvester.meetings import load_gazetteer, read

GAZETTEER = load_gazetteer(shipped("people.toml"))


@pytest.mark.parametrize(
    ("language", "text", "published", "day", "basis"),
    [
        # a later sentence telling only the journey dates the journey, which comes before the talks
        ("en", "Kofi Mensah held talks with Arjun Mehra in Accra. Mehra had arrived in Accra on Tuesday evening.",
         "2024-10-10", "2024-10-10", "published"),
        ("ru", "Владимир Путин и Масуд Пезешкиан подписали в Москве договор о партнерстве. Президент Ирана прилетел"
               " в Москву 16 января по приглашению российского лидера.", "2025-01-17", "2025-01-17", "published"),
        # a later sentence telling the talks themselves still dates them
        ("en", "Kofi Mensah held talks with Arjun Mehra in Accra. The two leaders met on Tuesday after Mehra arrived.",
         "2024-10-10", "2024-10-08", "text"),
        # an arrival told first dates the talks the report goes on to tell
        ("ru", "Масуд Пезешкиан прилетел в Москву 17 января. Владимир Путин и Масуд Пезешкиан провели переговоры.",
         "2025-01-17", "2025-01-17", "text"),
    ],
)
def test_a_journey_told_after_the_event_does_not_date_it(language: str, text: str, published: str, day: str,
                                                        basis: str) -> None:
    reading = read(text, None, published, GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == (day, basis)


@pytest.mark.parametrize(
    ("language", "text", "published", "day", "basis"),
    [
        # published on a Thursday: the Friday of the plan is tomorrow's, not last week's
        ("en", "Kofi Mensah hosted Arjun Mehra for a private dinner at his residence in Accra. On Friday, Mehra"
               " will lay a wreath before the formal talks.", "2024-10-10", "2024-10-10", "published"),
        ("ru", "Владимир Путин и Масуд Пезешкиан провели неформальную встречу в Москве. Официальные переговоры"
               " состоятся в пятницу в Кремле.", "2025-01-16", "2025-01-16", "published"),
        # the plan's weekday is the publication day: that is today
        ("en", "Kofi Mensah welcomed Arjun Mehra in Accra. Mehra will hold talks with the cabinet on Thursday.",
         "2024-10-10", "2024-10-10", "text"),
        # a weekday told in the past is still the last one
        ("en", "Kofi Mensah hosted Arjun Mehra in Accra. The two men met again on Monday and will meet once more.",
         "2024-10-10", "2024-10-07", "text"),
    ],
)
def test_a_weekday_in_a_plan_is_the_coming_one(language: str, text: str, published: str, day: str, basis: str) -> None:
    reading = read(text, None, published, GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == (day, basis)


def test_a_photo_caption_does_not_date_the_story() -> None:
    # the caption shows the evening before; the story tells the signing, on no day of its own
    text = ("Vladimir Putin and Masoud Pezeshkian shake hands during their meeting in the Kremlin on January 16, 2025."
            " (Source: Wire Pictures)\n\n"
            "Vladimir Putin and Masoud Pezeshkian have signed a treaty on comprehensive partnership.\n\n"
            "According to the Kremlin on January 17, the treaty covers energy and transport.")
    reading = read(text, None, "2025-01-17", GAZETTEER, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2025-01-17", "published")
    assert reading.meeting.sentence.startswith("Vladimir Putin and Masoud Pezeshkian have signed")


@pytest.mark.parametrize("credit", ["Photo: Wire Pictures", "(Jane Roe/Pool via Wire Pictures)", "Credit:Wire"])
def test_a_caption_is_read_when_the_story_tells_no_event(credit: str) -> None:
    text = (f"Vladimir Putin and Masoud Pezeshkian met in the Kremlin on Thursday. {credit}\n\n"
            "The two countries have long traded grain and oil.")
    reading = read(text, None, "2025-01-17", GAZETTEER, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == ("2025-01-16", "text")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # left Damascus for Tehran on Sunday evening, on a two-day visit; talks are to come
        ("ar", "غادر الرئيس بشار الأسد دمشق مساء الأحد إلى طهران في زيارة رسمية تستغرق يومين."),
        ("ru", "Масуд Пезешкиан вылетел в Москву с официальным визитом."),
    ],
)
def test_a_departure_for_a_visit_is_no_report_of_it(language: str, text: str) -> None:
    reading = read(text, None, "2023-05-07", GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is None and reading.reason.startswith("not an event: a preview"), reading.reason


def test_leaving_the_hosts_city_ends_the_visit_it_reports() -> None:
    # "… left Tehran; during his visit he met the president": the visit happened
    reading = read("بشار الأسد تهران را ترک کرد و در این سفر با ابراهیم رئیسی دیدار کرد.", None, "2023-05-07",
                   GAZETTEER, language="fa")
    assert reading.meeting is not None, reading.reason


@pytest.mark.parametrize(
    ("language", "text", "published", "day", "place"),
    [
        # stamped late in the evening UTC: already the next day in Moscow, where "today" is said
        ("ru", "Владимир Путин сегодня провел переговоры с Масудом Пезешкианом в Москве.", "2025-01-16T22:30:00+00:00",
         "2025-01-17", "Moscow"),
        ("en", "Vladimir Putin held talks with Masoud Pezeshkian in Moscow today.", "2025-01-16T22:30:00+00:00",
         "2025-01-17", "Moscow"),
        # stamped just after midnight UTC: still the evening before in Washington
        ("ar", "استقبل الرئيس جو بايدن الرئيس الإيراني مسعود بزشكيان في واشنطن اليوم.", "2025-01-17T02:00:00+00:00",
         "2025-01-16", "Washington"),
    ],
)
def test_today_is_the_publication_day_where_the_event_was(language: str, text: str, published: str, day: str,
                                                          place: str) -> None:
    reading = read(text, None, published, GAZETTEER, language=language, known=["Masoud Pezeshkian"])
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.place) == (day, place)
