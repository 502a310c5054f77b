"""Linking reports of one event: which reports `harvester.meetings.cluster` and `agree` put together, and the\nday each report gives them by."""

from __future__ import annotations

import itertools

import pytest

from harvester.data import shipped
from harvester.meetings import Meeting, PersonRecord, agree, cluster, load_gazetteer, merge, read

GAZETTEER = load_gazetteer(shipped("people.toml"))
HOST, GUEST = "Ingrid Halvorsen", "Tomasz Wielgosz"


def _report(*participants: str, setting: str | None = None, basis: str = "text", day: str = "2024-03-12",
            people: tuple[PersonRecord, ...] = (), named: tuple[str, ...] = ()) -> Meeting:
    return Meeting(day, "Oslo", participants, date_basis=basis, setting=setting, people=people,
                   named=named or participants)


def test_a_misread_report_does_not_take_the_event_from_its_true_reports() -> None:
    # an announcement read as a summit of three names more people than any report, so it was taken first;
    # two reports agree with it, two that tell the talk on the summit's sidelines do not, and the event split
    announcement = _report(HOST, GUEST, "Leila Haddad", setting="summit")
    plain = [_report(HOST, GUEST) for _ in range(2)]
    sidelines = [_report(HOST, GUEST, setting="sidelines") for _ in range(2)]
    reports = {"announcement": announcement, "plain 1": plain[0], "plain 2": plain[1],
               "sidelines 1": sidelines[0], "sidelines 2": sidelines[1]}
    for order in itertools.permutations(reports):
        events = sorted(sorted(keys) for keys, _, _ in cluster([(key, reports[key]) for key in order]))
        assert events == [["announcement"], ["plain 1", "plain 2", "sidelines 1", "sidelines 2"]]


def test_a_report_naming_the_wrong_day_stays_out_and_the_undated_report_joins_the_day_most_name() -> None:
    # one report misreads the day before; the report with no day of its own joins the day two reports name
    reports = [("right 1", _report(HOST, GUEST)), ("right 2", _report(HOST, GUEST)),
               ("wrong day", _report(HOST, GUEST, day="2024-03-11")),
               ("no day", _report(HOST, GUEST, basis="published"))]
    events = sorted(sorted(keys) for keys, _, _ in cluster(reports))
    assert events == [["no day", "right 1", "right 2"], ["wrong day"]]


def test_an_office_named_without_its_holder_is_the_holder_another_report_names() -> None:
    chile = PersonRecord("President of Chile", "CL", "President")
    by_office = _report("President of Chile", GUEST, people=(chile,))
    by_name = _report("Gabriel Boric", GUEST, people=(PersonRecord("Gabriel Boric", "CL", "President"),))
    assert agree(by_office, by_name) is not None
    assert agree(by_name, by_office) is not None
    assert merge([by_office, by_name]).participants == ("Gabriel Boric", GUEST)
    # the holder a report names is of another country: another event
    argentina = _report("Javier Milei", GUEST, people=(PersonRecord("Javier Milei", "AR", "President"),))
    assert agree(by_office, argentina) is None


def test_an_office_a_report_names_besides_its_holder_does_not_keep_reports_apart() -> None:
    # one report has "the American president" take part beside the president it names, another names
    # that office too and has only the two leaders take part: one meeting
    office = PersonRecord("President of United States", "US", "President")
    doubled = _report("Dana Whitfield", "President of United States", GUEST, people=(office,))
    plain = _report("Dana Whitfield", GUEST, named=("Dana Whitfield", "President of United States", GUEST))
    assert agree(doubled, plain) is not None
    assert agree(plain, doubled) is not None


def test_a_name_written_family_name_first_is_the_same_participant() -> None:
    call = Meeting("2024-03-12", None, ("Hayashi Yoshimasa", GUEST), kind="call")
    other = Meeting("2024-03-12", None, ("Yoshimasa Hayashi", GUEST), kind="call")
    assert agree(call, other) is not None
    assert len(merge([call, other, other]).participants) == 2



def test_the_one_name_the_press_knows_someone_by_is_the_same_participant() -> None:
    by_nickname = _report("Lula", GUEST)
    by_full_name = _report("Luiz Inácio Lula da Silva", GUEST)
    assert agree(by_nickname, by_full_name) is not None
    assert merge([by_nickname, by_full_name, by_full_name]).participants == ("Luiz Inácio Lula da Silva", GUEST)
    # a name after "bin" is the father's: Sheikh Hamad is not his son Tamim
    assert agree(_report("Hamad", GUEST), _report("Tamim bin Hamad Al Thani", GUEST)) is None
    # nor is a first name anyone's
    assert agree(_report("Luiz", GUEST), by_full_name) is None


@pytest.mark.parametrize(("text", "joins"), [
    ("On Wednesday 30 October the president of Russia Vladimir Putin will host the Iranian president Masoud Pezeshkian"
     " in the Kremlin.", False),
    # looking ahead, with no day: a preview too
    ("The president of Russia Vladimir Putin will host the Iranian president Masoud Pezeshkian in the Kremlin.", False),
    ("The partnership of the president of Russia Vladimir Putin and the Iranian president Masoud Pezeshkian grows"
     " stronger, their aides say.", True),
])
def test_a_text_whose_event_is_not_read_and_whose_first_date_is_to_come_joins_no_event(text: str, joins: bool) -> None:
    # no event is read from any; the first gives a date after its publication, the second looks ahead: they
    # announce the talks; the third only names the two
    reading = read(text, None, "2024-10-24", GAZETTEER, language="en")
    assert reading.meeting is None
    assert (reading.mention is not None) == joins


HEADLINE = "Erdogan Starts Talks With Aliyev In Ankara - Office"


@pytest.mark.parametrize(
    ("title", "text", "published", "day", "basis"),
    [
        # the headline reports the talks; the dateline's day, in brackets after the agency, is the filing's
        (HEADLINE, f"Menu\n\n{HEADLINE}\n\nAhmet Yilmaz Published March 06, 2023 | 12:00 AM\n\n{HEADLINE}\n\n"
                   "ANKARA (Anadolu Wire / Agency - 06th March, 2023) Turkish President Recep Tayyip Erdogan has started"
                   " one-on-one talks with his Azerbaijani counterpart Ilham Aliyev at the palace in Ankara, the"
                   " presidential office said on Sunday.", "2023-03-06", "2023-03-05", "published"),
        # the headline reports the talks; a later sentence names their day past its own dateline
        ("Erdogan held talks with Azerbaijani President Aliyev",
         "Erdogan held talks with Azerbaijani President Aliyev\n\nAliyev thanked his hosts for the warm welcome.\n\n"
         "Ankara, 6 Apr (Wire) -- Turkish President Recep Tayyip Erdogan held talks with Azerbaijani President Ilham"
         " Aliyev, who is on a state visit, at the presidential complex on the afternoon of 5 April.",
         "2023-04-07", "2023-04-05", "text"),
    ],
)
def test_a_datelines_day_is_the_filings_in_a_later_sentence_too(title: str, text: str, published: str, day: str,
                                                                 basis: str) -> None:
    reading = read(text, title, published, GAZETTEER, language="en")
    assert reading.meeting is not None, reading.reason
    assert (reading.meeting.date, reading.meeting.date_basis) == (day, basis), reading.meeting.date_evidence


def test_two_places_for_the_same_people_on_a_day_both_texts_name_are_one_misread_place() -> None:
    in_oslo = Meeting("2024-03-12", "Oslo", (HOST, GUEST))
    in_bergen = Meeting("2024-03-12", "Bergen", (HOST, GUEST))
    assert agree(in_oslo, in_bergen) is not None
    # with a third person on one side, or a day one text does not name, the places still tell two events apart
    assert agree(in_oslo, Meeting("2024-03-12", "Bergen", (HOST, GUEST, "Leila Haddad"))) is None
    assert agree(in_oslo, Meeting("2024-03-12", "Bergen", (HOST, GUEST), date_basis="published")) is None


def test_a_text_whose_event_is_not_read_joins_no_event_of_another_day_it_names() -> None:
    # a dispatch dated the 13th names the two of the talks held on the 12th: news of them on another day
    dispatch = read("MOSCOW, March 13 (Wire) -- The partnership of Vladimir Putin and Masoud Pezeshkian grows "
                    "stronger, their aides say.", None, "2024-03-13", GAZETTEER, language="en")
    undated = read("The partnership of Vladimir Putin and Masoud Pezeshkian grows stronger, their aides say.", None,
                   "2024-03-13", GAZETTEER, language="en")
    assert dispatch.mention is not None and undated.mention is not None
    talks = _report("Masoud Pezeshkian", "Vladimir Putin")
    events = sorted(sorted(keys) for keys, _, _ in cluster([("talks", talks), ("dispatch", dispatch.mention)]))
    assert events == [["talks"]]  # a text whose event was not read makes none of its own
    events = sorted(sorted(keys) for keys, _, _ in cluster([("talks", talks), ("undated", undated.mention)]))
    assert events == [["talks", "undated"]]
