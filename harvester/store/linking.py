"""Meetings of the readouts: each readout's reading of its event, and the meetings and people derived
from the set of readings (`harvester.meetings` decides; this writes what it decided).

The identity step (`harvester.store.identity`) calls it for every readout whose text it derived: a
copy shares its original's meeting (`copy_of`), any other readout is read (`read`), and translations
share what was found (`share_with_translations`). Reading a readout groups again the readings that
could be one event with it, and rewrites their meetings and people.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from harvester import meetings, translations
from harvester.languages import LANGUAGES
from harvester.people import fold, initialled, same_person


def set_columns(conn: sqlite3.Connection, readout_id: int, values: Mapping[str, Any]) -> None:
    """Write a readout's columns only where they change: every write re-indexes its full text (FTS triggers)."""
    names = list(values)
    conn.execute(
        f"update readouts set {', '.join(f'[{n}] = ?' for n in names)} where id = ?"
        f" and ({' or '.join(f'[{n}] is not ?' for n in names)})",
        [*values.values(), readout_id, *values.values()],
    )


class MeetingLinks:
    """The meetings and people of the readouts in one connection, read with the config's gazetteer."""

    def __init__(self, conn: sqlite3.Connection, gazetteer: meetings.Gazetteer) -> None:
        self.conn = conn
        self.gazetteer = gazetteer
        # people who got a row while a readout was derived: readouts naming them by surname alone are read again
        self._introduced: list[tuple[str, str | None]] = []
        self._reviewing = False
        # people whose meetings changed, settled once when the outermost `settling` block ends
        self._unsettled: set[int] = set()
        self._settling = 0

    @contextmanager
    def settling(self) -> Iterator[None]:
        """Settle the people whose meetings changed once, when the work in the block is done.

        A person is settled from all the readings of all their meetings: settled after every
        regrouping, a leader in thousands of meetings would be read again thousands of times.
        """
        self._settling += 1
        try:
            yield
        except BaseException:
            self._unsettled.clear()  # rolled back with the transaction the block was part of
            raise
        finally:
            self._settling -= 1
        if not self._settling:
            self._settle()
            while self._introduced:  # settling renamed someone: what read them by another name reads again
                self._review()
                self._settle()

    def _settle(self) -> None:
        people, self._unsettled = sorted(self._unsettled), set()
        for person_id in people:
            renamed = settle_person(self.conn, self.gazetteer, person_id)
            if renamed is not None and not initialled(renamed):
                # now known by a spelled-out name: the readouts that read them by an initial read again
                self._introduced.append((renamed, None))

    def copy_of(self, readout_id: int, original: int, old_date: str | None) -> None:
        """A copy reports its original's meeting, even an excerpt that lost the lead."""
        row = self.conn.execute("select meeting_id, kind from readouts where id = ?", [original]).fetchone()
        reason = f"a copy of readout {original}: reports its meeting"
        set_columns(self.conn, readout_id, {"kind": row[1] if row else None, "meeting_reason": reason,
                                            "reading": None, "event_date": None})
        self._assign(readout_id, row[0] if row else None)
        if old_date:
            self._relink(old_date)  # it may have been the report that held its former meeting together

    def share_with_translations(self, readout_id: int) -> None:
        """A readout and its translations report one meeting, whichever language the meeting step read it in.

        The hook of `harvester.translations` into identity: after the meeting step has read
        this readout, a translation's meeting is taken where it found none, and given to
        translations where they have none. Where both found one, the meeting step stands.
        """
        key, own, kind = self.conn.execute(
            "select translation_key, meeting_id, kind from readouts where id = ?", [readout_id]
        ).fetchone()
        if key is None:
            return
        others = self.conn.execute(
            "select id, meeting_id, kind from readouts where translation_key = ? and id != ? order by id", [key, readout_id]
        ).fetchall()
        meeting_id = translations.shared_meeting(own, [their for _, their, _ in others])
        if meeting_id is None:
            return
        if own is None:
            source, source_kind = next((other, their_kind) for other, their, their_kind in others if their == meeting_id)
            reason = f"a translation of readout {source} (same {key}): reports its meeting"
            set_columns(self.conn, readout_id, {"kind": source_kind, "meeting_reason": reason})
            self._assign(readout_id, meeting_id)
            return
        for other, their, _ in others:
            if their is None:
                reason = f"a translation of readout {readout_id} (same {key}): reports its meeting"
                set_columns(self.conn, other, {"kind": kind, "meeting_reason": reason})
                self._assign(other, meeting_id)

    def read(self, readout_id: int) -> None:
        """Read the event of a readout that is no copy, store the reading, and group the readings near it again."""
        text, title, published, lead, place, language, old_date = self.conn.execute(
            "select text, title, published, lead, place, language, event_date from readouts where id = ?", [readout_id]
        ).fetchone()
        reading = meetings.read(text or "", title, published, self.gazetteer, lead=lead, place=place, language=language,
                                known=self._known())
        found = reading.meeting or reading.mention
        event = found if found is not None and found.date else None
        set_columns(self.conn, readout_id, {
            "kind": reading.kind, "meeting_reason": reading.reason,
            "reading": event.to_json() if event else None, "event_date": event.date if event else None,
        })
        if event is None:
            self._assign(readout_id, None)
        for day in dict.fromkeys(d for d in (event.date if event else None, old_date) if d):
            self._relink(day)
        self._review()

    def _known(self) -> list[str]:
        """The people the corpus knows by a full name (not those known by an office alone)."""
        return [name for (name,) in self.conn.execute(
            "select name from people where name like '% %' and name not like '% of %' order by name")]

    def _review(self) -> None:
        """Read again the readouts that name a newly known person by surname alone but do not have them
        take part: what the corpus knows must not depend on which readout arrived first."""
        if self._reviewing or not self._introduced:
            return
        # the texts are read again with the people as the corpus now knows them (their settled names)
        self._settle()
        self._reviewing = True
        try:
            while self._introduced:
                name, day = self._introduced.pop()
                surname = name.split()[-1]
                if len(surname) < 4 or not surname.isalpha():
                    continue
                rows = self.conn.execute(
                    "select r.id, r.reading from readouts_fts f join readouts r on r.id = f.rowid"
                    " where readouts_fts match ? and r.duplicate_of is null order by r.id", [f'"{surname}"']
                ).fetchall()
                # a text in another script spells the name its own way: each that does is read again
                rows += [
                    (readout_id, reading) for readout_id, text, language, reading in self.conn.execute(
                        "select id, coalesce(lead, '') || ' ' || coalesce(text, ''), language, reading from readouts"
                        f" where duplicate_of is null and lower(substr(language, 1, 2)) in ({', '.join('?' for _ in LANGUAGES)})"
                        " order by id", LANGUAGES)
                    if meetings.spells(text, language, name)
                ]
                for readout_id, reading in rows:
                    # one who has them take part needs no new reading: unless only as a script wrote the name
                    # (no Latin spelling), or by an initial of the name now known
                    if reading and any(same_person(name, p) and fold(p) and not (initialled(p) and not initialled(name))
                                       for p in meetings.Meeting.from_json(reading).participants):
                        continue
                    self.read(readout_id)
        finally:
            self._reviewing = False

    def _relink(self, day: str) -> None:
        """Group again the readings that could be one event with those of `day`, and write their meetings.

        The group taken is the readings of `day`, closed under "could be reported with": two reports
        that agree (`meetings.agree`), and a report whose event was not read with a report that could
        be of an event it fits (sharing a person, dated within the days `meetings.cluster` allows).
        Clustering never puts together reports outside one such closure, so the group is grouped
        exactly as the whole corpus would be, and it stays the size of a few events however many
        readings a prolific leader has. The reports linked to the group's meetings now are taken too
        (and what they could be reported with), since those meetings are written again.
        """
        group: dict[int, tuple[str, meetings.Meeting, int | None]] = {}
        first, last = day, day
        while True:
            rows = self.conn.execute(
                "select id, url, reading, meeting_id from readouts where event_date between ? and ? and reading is not null"
                " order by id",
                [(date.fromisoformat(first) - timedelta(days=meetings.UNDATED_WINDOW)).isoformat(),
                 (date.fromisoformat(last) + timedelta(days=meetings.UNDATED_WINDOW)).isoformat()],
            ).fetchall()
            pool = {readout_id: (url, meetings.Meeting.from_json(reading), meeting_id)
                    for readout_id, url, reading, meeting_id in rows if readout_id not in group}
            grown = True
            while grown:
                grown = False
                for readout_id, (url, event, meeting_id) in list(pool.items()):
                    if event.date == day or any(_related(event, known) for _, known, _ in group.values()):
                        group[readout_id] = pool.pop(readout_id)
                        grown = True
            # a meeting row is rewritten whole: the other reports now linked to a meeting of the group come too
            rewritten = sorted({meeting_id for _, _, meeting_id in group.values() if meeting_id is not None})
            joined = [
                (readout_id, url, reading, meeting_id) for readout_id, url, reading, meeting_id in self.conn.execute(
                    f"select id, url, reading, meeting_id from readouts where meeting_id in ({', '.join('?' for _ in rewritten)})"
                    " and reading is not null order by id", rewritten)
                if readout_id not in group
            ] if rewritten else []
            for readout_id, url, reading, meeting_id in joined:
                group[readout_id] = (url, meetings.Meeting.from_json(reading), meeting_id)
            days = [event.date for _, event, _ in group.values() if event.date]
            if not joined and (not days or (min(days) >= first and max(days) <= last)):
                break
            if days:
                first, last = min(first, *days), max(last, *days)
        if not group:
            return
        by_url = {url: readout_id for readout_id, (url, _, _) in group.items()}
        taken: set[int] = set()
        linked: set[int] = set()
        for urls, event, reasons in meetings.cluster([(url, event) for url, event, _ in group.values()]):
            members = [by_url[url] for url in urls]
            previous = sorted({meeting for m in members if (meeting := group[m][2]) is not None} - taken)
            # a meeting an earlier event of the group took the last report of is gone: its id is not reused
            previous = [m for m in previous if self.conn.execute("select 1 from meetings where id = ?", [m]).fetchone()]
            meeting_id = previous[0] if previous else None
            values = [event.date, event.place, json.dumps(event.participants, ensure_ascii=False), event.title, event.kind]
            if meeting_id is None:
                inserted = self.conn.execute(
                    "insert into meetings (date, place, participants, title, kind) values (?, ?, ?, ?, ?)", values
                ).lastrowid
                assert inserted is not None  # an insert always sets it
                meeting_id = inserted
            else:
                self.conn.execute(
                    "update meetings set date = ?, place = ?, participants = ?, title = ?, kind = ? where id = ?"
                    " and (date, place, participants, title, kind) is not (?, ?, ?, ?, ?)",
                    [*values, meeting_id, *values],
                )
            taken.add(meeting_id)
            for member, url in zip(members, urls):
                reading = meetings.Meeting.from_json(self.conn.execute(
                    "select reading from readouts where id = ?", [member]).fetchone()[0])
                why = f"{reasons[url]}; date {event.date}: {event.date_evidence or reading.date_evidence}"
                if event.place:
                    why += f"; place {event.place}: {event.place_evidence or reading.place_evidence}"
                reason = self.conn.execute("select meeting_reason from readouts where id = ?", [member]).fetchone()[0] or ""
                reason = reason.split("; linked: ")[0] + f"; linked: {why}"
                # a report whose event was not read is of the event it joined, of that kind
                set_columns(self.conn, member, {"meeting_reason": reason, **({"kind": event.kind} if reading.tentative else {})})
                linked.add(member)
                self._assign(member, meeting_id)
                for (copy,) in self.conn.execute("select id from readouts where duplicate_of = ?", [member]).fetchall():
                    self._assign(copy, meeting_id)
            self._people(meeting_id, event)
        for member, (_, reading, _) in group.items():
            if member not in linked:  # a report whose event was not read, and which fits no event (any more)
                reason = self.conn.execute("select meeting_reason from readouts where id = ?", [member]).fetchone()[0] or ""
                set_columns(self.conn, member, {"meeting_reason": reason.split("; linked: ")[0], "kind": None})
                self._assign(member, None)

    def _people(self, meeting_id: int, event: meetings.Meeting) -> None:
        """The meeting's people: one row per person across spellings, linked to the meeting; each
        person's country and offices decided again from all their readings."""
        wanted = set()
        rows = self.conn.execute("select id, name from people").fetchall()
        for name in event.participants:
            row = next((r for r in rows if r[1] == name), None) or next(
                (r for r in rows if same_person(name, r[1])), None)
            if row is None:
                person_id = self.conn.execute("insert into people (name) values (?)", [name]).lastrowid
                assert person_id is not None
                self._introduced.append((name, event.date))
                rows.append((person_id, name))
            else:
                person_id = row[0]
                if fold(name) and not fold(row[1]):
                    # a Latin name of someone known so far only as another script wrote it: the row takes it,
                    # and the texts that spell them are read again, as they would have been had it come first
                    self.conn.execute("update people set name = ? where id = ?", [name, person_id])
                    rows[rows.index(row)] = (person_id, name)
                    self._introduced.append((name, event.date))
            wanted.add(person_id)
        linked = {pid for (pid,) in self.conn.execute("select person_id from meeting_people where meeting_id = ?", [meeting_id])}
        for person_id in linked - wanted:
            self.conn.execute("delete from meeting_people where meeting_id = ? and person_id = ?", [meeting_id, person_id])
        for person_id in wanted - linked:
            self.conn.execute("insert into meeting_people (meeting_id, person_id) values (?, ?)", [meeting_id, person_id])
        self._unsettled.update(linked | wanted)

    def _assign(self, readout_id: int, meeting_id: int | None) -> None:
        """Link the readout, and its copies, to its meeting; a meeting no readout reports any more is removed, with
        its people links. A copy reports its original's meeting (`copy_of`) wherever that meeting goes, as a
        recomputation from scratch would link it; left behind, copies alone would hold the old meeting."""
        (previous,) = self.conn.execute("select meeting_id from readouts where id = ?", [readout_id]).fetchone()
        if previous == meeting_id:
            return
        self.conn.execute("update readouts set meeting_id = ? where id = ? or duplicate_of = ?",
                          [meeting_id, readout_id, readout_id])
        if previous is not None and not self.conn.execute(
                "select 1 from readouts where meeting_id = ?", [previous]).fetchone():
            people = [pid for (pid,) in self.conn.execute(
                "select person_id from meeting_people where meeting_id = ?", [previous])]
            self.conn.execute("delete from meeting_people where meeting_id = ?", [previous])
            self.conn.execute("delete from meetings where id = ?", [previous])
            self._unsettled.update(people)


def _related(one: meetings.Meeting, other: meetings.Meeting) -> bool:
    """Whether `meetings.cluster` could put the two reports in one event, or one of them join the
    other's event: reports that agree, or a report whose event was not read and one of an event it
    may fit (which has a report dated that event's day, naming one of the people it names)."""
    if one.tentative and other.tentative:
        return False
    if not one.tentative and not other.tentative:
        return meetings.agree(one, other, anchored=True) is not None  # as loose as any event allows
    mention, report = (one, other) if one.tentative else (other, one)
    if not mention.date or not report.date:
        return False
    after = (date.fromisoformat(mention.date) - date.fromisoformat(report.date)).days
    return -1 <= after <= meetings.UNDATED_WINDOW and any(
        same_person(name, named) for name in report.participants for named in mention.participants)


def settle_person(conn: sqlite3.Connection, gazetteer: meetings.Gazetteer, person_id: int) -> str | None:
    """A person's name, country and offices from every reading of their meetings: the offices found,
    each with the days first and last seen and how many readouts say so; the country most of them
    give (never the first readout's). A person left in no meeting is removed; one still in a meeting whose
    readouts have no reading of their own (copies, which take their original's meeting) keeps what is
    known until a reading comes. The new name, when the person is now known by another."""
    readings = conn.execute(
        "select r.reading from readouts r join meeting_people mp on mp.meeting_id = r.meeting_id"
        " where mp.person_id = ? and r.reading is not null", [person_id]
    ).fetchall()
    (current,) = conn.execute("select name from people where id = ?", [person_id]).fetchone()
    if not readings:
        if not conn.execute("select 1 from meeting_people where person_id = ?", [person_id]).fetchone():
            conn.execute("delete from people where id = ?", [person_id])
        return None
    spellings: Counter[str] = Counter()
    offices: dict[tuple[str, str | None], dict[str, Any]] = {}
    countries: Counter[str] = Counter()
    aliases: set[str] = set()
    for (text,) in readings:
        reading = meetings.Meeting.from_json(text)
        for person in reading.people:
            if not same_person(person.name, current):
                continue
            spellings[person.name] += 1
            aliases.update(person.aliases)
            if person.country:
                countries[person.country] += 1
            if person.office:
                held = offices.setdefault((person.office, person.country), {
                    "title": person.office, "country": person.country, "from": reading.date, "until": reading.date,
                    "readouts": 0})
                held["from"] = min(held["from"] or "", reading.date or "") or None
                held["until"] = max(held["until"] or "", reading.date or "") or None
                held["readouts"] += 1
    listed = [name for name in spellings if name in gazetteer.people]
    # a Latin spelling before one only another script wrote, a spelled-out name before an initialled one
    # ("S Jaishankar"), then the spelling most readings use
    name = min(listed or spellings or [current], key=lambda n: (not fold(n), initialled(n), -spellings[n], n))
    country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
    values = [name, country, json.dumps(sorted(offices.values(), key=lambda o: (o["from"] or "", o["title"])),
                                        ensure_ascii=False), json.dumps(sorted(aliases), ensure_ascii=False)]
    clash = conn.execute("select id from people where name = ? and id != ?", [name, person_id]).fetchone()
    if clash:
        values[0] = current  # another row holds that spelling; both stay until a recompute joins them
    conn.execute(
        "update people set name = ?, country = ?, offices = ?, aliases = ? where id = ?"
        " and (name, country, offices, aliases) is not (?, ?, ?, ?)", [*values, person_id, *values])
    return values[0] if values[0] != current else None
