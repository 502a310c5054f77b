"""The corpus's meetings as the export reads them: each with its people and every report of it.

The store owns the corpus, so the export's reading is here; what the rows
mean in CAMEO, PLOVER and ISO terms is `harvester/export.py`'s business.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Person:
    id: int | None  # None: a name the meeting lists that the people table does not hold
    name: str
    country: str | None  # ISO 3166 alpha-2, as the people table keeps it


@dataclass(frozen=True)
class Report:
    readout_id: int
    url: str
    title: str | None
    publisher: str
    source: str
    language: str | None
    published: str | None
    retrieved: str | None
    via: str | None
    archived_at: str | None
    replay_url: str | None
    content_hash: str | None
    duplicate_of: int | None
    slug: str | None


@dataclass(frozen=True)
class Meeting:
    id: int
    date: str | None
    kind: str | None
    place: str | None
    title: str | None
    people: tuple[Person, ...]
    reports: tuple[Report, ...]


REPORTS = """
select r.id, r.meeting_id, r.url, r.title, coalesce(s.title, r.source) as publisher, r.source, r.language,
  r.published, r.fetched_at, r.via, r.archived_at, r.replay_url, r.content_hash, r.duplicate_of, r.slug
from readouts r left join sources s on s.name = r.source
where r.meeting_id is not null
order by r.meeting_id, r.published, r.id
"""


def meetings(db: sqlite_utils.Database) -> Iterator[Meeting]:
    """Every meeting, oldest first, with its people (the people table's, else the names it lists) and reports."""
    people: dict[int, list[Person]] = {}
    for meeting_id, person_id, name, country in db.execute(
        "select mp.meeting_id, p.id, p.name, p.country from meeting_people mp join people p on p.id = mp.person_id"
        " order by mp.meeting_id, p.name"
    ):
        people.setdefault(meeting_id, []).append(Person(person_id, name, country))
    reports: dict[int, list[Report]] = {}
    for row in db.query(REPORTS):
        reports.setdefault(row["meeting_id"], []).append(Report(
            readout_id=row["id"], url=row["url"], title=row["title"], publisher=row["publisher"], source=row["source"],
            language=row["language"], published=row["published"], retrieved=row["fetched_at"], via=row["via"],
            archived_at=row["archived_at"], replay_url=row["replay_url"], content_hash=row["content_hash"],
            duplicate_of=row["duplicate_of"], slug=row["slug"],
        ))
    for row in db.query("select id, date, kind, place, title, participants from meetings order by date, id"):
        known = people.get(row["id"])
        if known is None:  # a meeting whose people the people table does not hold: its names alone
            known = [Person(None, name, None) for name in _names(row["participants"])]
        yield Meeting(
            id=row["id"], date=row["date"], kind=row["kind"], place=row["place"], title=row["title"],
            people=tuple(known), reports=tuple(reports.get(row["id"], ())),
        )


def _names(participants: str | None) -> list[str]:
    try:
        value = json.loads(participants or "[]")
    except ValueError:
        return []
    return [str(name) for name in value] if isinstance(value, list) else []
