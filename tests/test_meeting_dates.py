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
