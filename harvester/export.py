"""The meetings as a dataset in the forms political-event researchers read: CSV, JSON Lines and PLOVER-style records.

Event datasets (GDELT, ICEWS, POLECAT, the leader-visit datasets) hold one row
per report or per pair of actors; none links the several reports of one meeting
with their URLs and archived copies, which is what this corpus knows. Each
meeting becomes one event, coded in the vocabularies their tools share:

- CAMEO 04 "consult": 041 discuss by telephone (calls, video calls), 042 make a
  visit (the meeting is in the country of some participants and not others: the
  others visit; the hosts' side of the same event is 043), 044 meet at a third
  location (in no participant's country), 040 where the place is unknown;
  a message is no consultation and has no code.
- PLOVER's CONSULT category, its mode `phone`, `visit`, `third-party` or
  `multilateral` (three countries or more), else none.
- Countries as ISO 3166 alpha-3, places with their GeoNames id.

Host or visitor is read from the place: those of the place's country host, the
others visit. Nothing here reads the database: `harvester/store/export.py` does.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.people import world
from harvester.store.export import Meeting, Report

REMOTE = ("call", "video_call")
CAMEO_LABELS = {
    "040": "Consult, not specified below",
    "041": "Discuss by telephone",
    "042": "Make a visit",
    "044": "Meet at a third location",
}
EVENT_COLUMNS = (
    "event_id", "date", "kind", "title", "place", "place_geonames_id", "place_country", "participants",
    "participant_countries", "hosts", "visitors", "cameo_code", "cameo_label", "plover_event", "plover_mode",
    "reports", "permalink",
)
REPORT_COLUMNS = (
    "event_id", "readout_id", "url", "title", "publisher", "source", "language", "published", "retrieved",
    "archived_url", "archived_at", "via", "content_hash", "duplicate_of", "permalink",
)
FILES = ("events.csv", "events.jsonl", "reports.csv", "plover.jsonl")


class ExportError(Exception):
    """The export cannot be written where it was asked to be."""


@dataclass(frozen=True)
class Place:
    name: str
    geonames_id: int | None
    country: str | None  # alpha-3


@dataclass(frozen=True)
class Participant:
    person_id: int | None
    name: str
    country: str | None  # alpha-3
    role: str | None  # "host", "visitor" or None (a call, or the place unknown)


@dataclass(frozen=True)
class Event:
    """One meeting as an event record, before it is written in any format."""

    id: int
    date: str | None
    kind: str | None
    title: str | None
    place: Place | None
    participants: tuple[Participant, ...]
    cameo: str | None
    plover_mode: str | None
    reports: tuple[Report, ...]
    permalink: str

    @property
    def plover_event(self) -> str | None:
        return "CONSULT" if self.cameo else None


def alpha3(code: str | None) -> str | None:
    return world().alpha3.get(code) if code else None


def place_of(name: str | None) -> Place | None:
    """A place as the gazetteer knows it (its GeoNames id and country), or by its name alone."""
    if not name:
        return None
    city = world().place(name)
    if city is None:
        return Place(name, None, None)
    return Place(name, city.geonames_id or None, alpha3(city.country))  # a region has no GeoNames id here


def code(meeting: Meeting, place: Place | None, countries: set[str]) -> tuple[str | None, str | None]:
    """(CAMEO code, PLOVER mode) of a meeting."""
    if meeting.kind == "message":
        return None, None
    if meeting.kind in REMOTE:
        return "041", "phone"
    multilateral = len(countries) >= 3
    if place is None or place.country is None:
        return "040", "multilateral" if multilateral else None
    if place.country not in countries:
        return "044", "multilateral" if multilateral else "third-party"
    if countries - {place.country}:
        return "042", "multilateral" if multilateral else "visit"
    return "040", None  # everyone at home: a meeting within one country


def event(meeting: Meeting, permalink: str) -> Event:
    place = None if meeting.kind in REMOTE else place_of(meeting.place)
    people = [(person, alpha3(person.country)) for person in meeting.people]
    countries = {country for _, country in people if country}
    cameo, mode = code(meeting, place, countries)

    def role(country: str | None) -> str | None:
        if cameo != "042" or place is None or country is None:
            return None
        return "host" if country == place.country else "visitor"

    return Event(
        id=meeting.id, date=meeting.date, kind=meeting.kind, title=meeting.title, place=place,
        participants=tuple(Participant(p.id, p.name, country, role(country)) for p, country in people),
        cameo=cameo, plover_mode=mode, reports=meeting.reports, permalink=permalink,
    )


class Links:
    """Permalinks of the published corpus (`harvester serve`) under a base URL."""

    def __init__(self, base_url: str, database: str) -> None:
        self.root = f"{base_url.rstrip('/')}/{database}"

    def meeting(self, meeting_id: int) -> str:
        return f"{self.root}/meetings/{meeting_id}"

    def readout(self, report: Report) -> str:
        return f"{self.root}/-/r/{report.slug}" if report.slug else f"{self.root}/readouts/{report.readout_id}"


def events(meetings: Iterable[Meeting], links: Links) -> list[Event]:
    return [event(meeting, links.meeting(meeting.id)) for meeting in meetings]


def event_row(item: Event) -> dict[str, Any]:
    """The event as one flat CSV row: lists joined by "; " in the participants' order."""
    def joined(values: Iterable[str | None]) -> str:
        return "; ".join(value or "" for value in values)

    return {
        "event_id": item.id, "date": item.date, "kind": item.kind, "title": item.title,
        "place": item.place.name if item.place else None,
        "place_geonames_id": item.place.geonames_id if item.place else None,
        "place_country": item.place.country if item.place else None,
        "participants": joined(p.name for p in item.participants),
        "participant_countries": joined(p.country for p in item.participants),
        "hosts": joined(p.name for p in item.participants if p.role == "host"),
        "visitors": joined(p.name for p in item.participants if p.role == "visitor"),
        "cameo_code": item.cameo, "cameo_label": CAMEO_LABELS.get(item.cameo or ""),
        "plover_event": item.plover_event, "plover_mode": item.plover_mode,
        "reports": len(item.reports), "permalink": item.permalink,
    }


def event_record(item: Event) -> dict[str, Any]:
    """The event as one JSON object: the CSV's columns, with the participants and the place as objects."""
    return {
        **event_row(item),
        "place": (
            {"name": item.place.name, "geonames_id": item.place.geonames_id, "country": item.place.country}
            if item.place else None
        ),
        "participants": [
            {"name": p.name, "country": p.country, "role": p.role, "person_id": p.person_id} for p in item.participants
        ],
        "participant_countries": sorted({p.country for p in item.participants if p.country}),
        "hosts": [p.name for p in item.participants if p.role == "host"],
        "visitors": [p.name for p in item.participants if p.role == "visitor"],
    }


def report_row(item: Event, report: Report, links: Links) -> dict[str, Any]:
    return {
        "event_id": item.id, "readout_id": report.readout_id, "url": report.url, "title": report.title,
        "publisher": report.publisher, "source": report.source, "language": report.language,
        "published": report.published, "retrieved": report.retrieved,
        "archived_url": report.replay_url, "archived_at": report.archived_at, "via": report.via,
        "content_hash": report.content_hash, "duplicate_of": report.duplicate_of, "permalink": links.readout(report),
    }


def _actor(participant: Participant) -> dict[str, Any]:
    actor: dict[str, Any] = {"actorText": participant.name}
    if participant.country:
        actor["code"] = participant.country
    if participant.person_id is not None:
        actor["actorID"] = f"harvester-person-{participant.person_id}"
    return actor


def plover_record(item: Event, links: Links) -> dict[str, Any] | None:
    """The event in the field names of PLOVER's records (its gold-standard file): None for a message.

    A visit's visitors are the source and its hosts the target; otherwise all take part alike, a compound
    source and no target, as PLOVER records "Hungarian and Romanian officials agreed".
    """
    if item.plover_event is None:
        return None
    visitors = [p for p in item.participants if p.role == "visitor"]
    hosts = [p for p in item.participants if p.role == "host"]
    source, target = (visitors, hosts) if visitors and hosts else (list(item.participants), [])
    unique = [report for report in item.reports if report.duplicate_of is None] or list(item.reports)
    return {
        "id": f"harvester-meeting-{item.id}",
        "date": item.date,
        "source": [_actor(p) for p in source],
        "target": [_actor(p) for p in target],
        "event": item.plover_event,
        "mode": item.plover_mode or "",
        "context": "",
        "eventText": item.title or "",
        "language": unique[0].language if unique else None,
        "publication": unique[0].publisher if unique else None,
        "cameo": item.cameo,
        "geolocation": (
            {"placeName": item.place.name, "geonamesID": item.place.geonames_id, "countryCode": item.place.country}
            if item.place else None
        ),
        "citation": [
            {"url": r.url, "title": r.title, "language": r.language, "publication": r.publisher,
             "date": r.published, "archivedURL": r.replay_url, "permalink": links.readout(r)}
            for r in item.reports
        ],
        "permalink": item.permalink,
    }


def _cell(value: Any) -> Any:
    return "" if value is None else value


def write(meetings: Iterable[Meeting], directory: Path, links: Links) -> dict[str, int]:
    """Write the four files into `directory` (made if missing); returns the rows written per file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot write the export into {directory}: {error.strerror or error}") from None
    items = events(meetings, links)
    counts = dict.fromkeys(FILES, 0)
    try:
        with (directory / "events.csv").open("w", encoding="utf-8", newline="") as events_csv, \
                (directory / "events.jsonl").open("w", encoding="utf-8") as events_jsonl, \
                (directory / "reports.csv").open("w", encoding="utf-8", newline="") as reports_csv, \
                (directory / "plover.jsonl").open("w", encoding="utf-8") as plover_jsonl:
            event_writer = csv.DictWriter(events_csv, EVENT_COLUMNS)
            report_writer = csv.DictWriter(reports_csv, REPORT_COLUMNS)
            event_writer.writeheader()
            report_writer.writeheader()
            for item in items:
                event_writer.writerow({k: _cell(v) for k, v in event_row(item).items()})
                events_jsonl.write(json.dumps(event_record(item), ensure_ascii=False) + "\n")
                counts["events.csv"] += 1
                counts["events.jsonl"] += 1
                for report in item.reports:
                    report_writer.writerow({k: _cell(v) for k, v in report_row(item, report, links).items()})
                    counts["reports.csv"] += 1
                plover = plover_record(item, links)
                if plover is not None:
                    plover_jsonl.write(json.dumps(plover, ensure_ascii=False) + "\n")
                    counts["plover.jsonl"] += 1
    except OSError as error:
        raise ExportError(f"cannot write the export into {directory}: {error.strerror or error}") from None
    return counts

