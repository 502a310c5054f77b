"""The identity step: the one writer of a readout's identity.

`content_hash`, `duplicate_of`/`duplicate_kind`/`similarity`, the shingle index
(`dedupe_shingles`), `meeting_id` and the `meetings` rows are derived from a
readout's text. Whenever that text changes — a new readout, a revision fetched
again, template learning, re-extraction — `Identifier.text_changed` runs in the
same transaction, so no path can leave a stale hash or a link to a text that is
gone. The decisions themselves (what is a copy, which meeting a text reports)
are pure functions in `harvester.dedupe` and `harvester.meetings`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from harvester import meetings, translations
from harvester.languages import LANGUAGES
from harvester.people import same_person
from harvester.dedupe import (
    EXACT,
    EXCERPT,
    NEAR,
    Identity,
    Match,
    compare,
    content_hash,
    sampled,
    shingles,
    slug,
    words,
)
from harvester.urls import canonical_url, url_key

# Candidates verified on their full text per readout: the best by shared sampled shingles.
CANDIDATES = 5


@dataclass(frozen=True)
class Revision:
    readout_id: int
    changed: bool


def set_columns(conn: sqlite3.Connection, readout_id: int, values: Mapping[str, Any]) -> None:
    """Write a readout's columns only where they change: every write re-indexes its full text (FTS triggers)."""
    names = list(values)
    conn.execute(
        f"update readouts set {', '.join(f'[{n}] = ?' for n in names)} where id = ?"
        f" and ({' or '.join(f'[{n}] is not ?' for n in names)})",
        [*values.values(), readout_id, *values.values()],
    )


class Identifier:
    """Identity and meetings of the readouts in one connection, with the config's settings and gazetteer."""

    def __init__(self, conn: sqlite3.Connection, identity: Identity) -> None:
        self.conn = conn
        self.settings = identity.settings
        self.gazetteer = identity.gazetteer
        self.translation_keys = identity.translation_keys
        # people who got a row while a readout was derived: readouts naming them by surname alone are read again
        self._introduced: list[tuple[str, str | None]] = []
        self._reviewing = False

    # --- the operations the store calls ---------------------------------------------

    def added(self, readout_id: int, canonical: str, keys: list[str], *, replaying: bool = False) -> None:
        """A new readout: its URL keys and translation key, then everything its text decides."""
        source, url = self.conn.execute("select source, url from readouts where id = ?", [readout_id]).fetchone()
        translation = translations.translation_key(url, self.translation_keys.get(source))
        set_columns(
            self.conn, readout_id, {"canonical_url": canonical, "slug": slug(canonical), "translation_key": translation}
        )
        self.conn.executemany(
            "insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys]
        )
        self._derive(readout_id, replaying=replaying)

    def text_changed(self, readout_id: int, values: Mapping[str, Any]) -> bool:
        """Write new extraction `values` for a stored readout; where they change what identity is derived from, derive it again.

        Readouts that were copies of it are identified again too: the text they
        repeated may be gone. Returns whether the text changed.
        """
        old_text, old_hash, duplicate_of, title, published = self.conn.execute(
            "select text, content_hash, duplicate_of, title, published from readouts where id = ?", [readout_id]
        ).fetchone()
        new_text = values.get("text", old_text) or ""
        changed = content_hash(words(new_text)) != (old_hash or content_hash(words(old_text or "")))
        if changed and duplicate_of is None:
            self._unindex(readout_id, old_text or "")
        set_columns(self.conn, readout_id, values)
        # the meeting is read from the title and the publication date as well as the text
        if changed or values.get("title", title) != title or values.get("published", published) != published:
            self._derive(readout_id)
            copies = self.conn.execute("select id from readouts where duplicate_of = ? order by id", [readout_id])
            for (copy,) in copies.fetchall():
                self._derive(copy)
        return changed

    def revised(self, readout_id: int, row: Mapping[str, Any], keys: list[str]) -> Revision:
        """A known page fetched again: a changed text becomes the readout's, the old one a version."""
        self.conn.executemany(
            "insert or ignore into readout_urls (url, readout_id) values (?, ?)", [(k, readout_id) for k in keys]
        )
        title, text, digest, published, fetched_at, page_id, via, archived_at, replay_url = self.conn.execute(
            "select title, text, content_hash, published, fetched_at, page_id, via, archived_at, replay_url"
            " from readouts where id = ?",
            [readout_id],
        ).fetchone()
        if content_hash(words(row["text"])) == (digest or content_hash(words(text or ""))):
            return Revision(readout_id, changed=False)
        self.conn.execute(
            "insert into readout_versions (readout_id, title, text, content_hash, published, fetched_at,"
            " superseded_at, page_id, via, archived_at, replay_url) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                readout_id, title, text, digest, published, fetched_at,
                # a newer capture supersedes the old text as of its capture time
                row.get("archived_at") or row["fetched_at"], page_id, via, archived_at, replay_url,
            ],
        )
        self.text_changed(readout_id, {name: value for name, value in row.items() if name not in ("source", "url")})
        return Revision(readout_id, changed=True)

    def recompute(self) -> None:
        """Every readout's identity and reading from scratch, in the order they were stored (`harvester dedupe`).

        Meetings are derived from the set of readings, and a meeting keeps the smallest id its reports
        had: an unchanged corpus gets the same meetings, ids included, and no readout row is written.
        """
        conn = self.conn
        conn.execute("delete from dedupe_shingles")
        rows = conn.execute(
            "select r.id, r.source, r.url, coalesce(p.final_url, r.url), coalesce(r.canonical_url, p.final_url, r.url)"
            " from readouts r left join pages p on p.id = r.page_id order by r.id"
        ).fetchall()
        for readout_id, source, url, final_url, declared in rows:
            # the canonical a page declared is kept: the page itself is in the archive, not here
            canonical = canonical_url(declared, source, self.settings)
            keys = list(dict.fromkeys(url_key(u, source, self.settings) for u in (url, final_url)))
            self.added(readout_id, canonical, keys, replaying=True)
        conn.execute("delete from meeting_people where meeting_id not in (select meeting_id from readouts where meeting_id is not null)")
        conn.execute("delete from meetings where id not in (select meeting_id from readouts where meeting_id is not null)")
        conn.execute("delete from people where id not in (select person_id from meeting_people)")

    # --- derivation -------------------------------------------------------------------

    def _derive(self, readout_id: int, *, replaying: bool = False) -> None:
        text, title, published, lead, place, language, url, old_date = self.conn.execute(
            "select text, title, published, lead, place, language, url, event_date from readouts where id = ?", [readout_id]
        ).fetchone()
        match = self.identify(readout_id, text or "", replaying=replaying)
        if match is not None:
            # a copy reports its original's meeting, even an excerpt that lost the lead
            row = self.conn.execute("select meeting_id, kind from readouts where id = ?", [match.original]).fetchone()
            reason = f"a copy of readout {match.original}: reports its meeting"
            set_columns(self.conn, readout_id, {"kind": row[1] if row else None, "meeting_reason": reason,
                                                "reading": None, "event_date": None})
            self._assign(readout_id, row[0] if row else None)
            if old_date:
                self._relink(old_date)  # it may have been the report that held its former meeting together
        else:
            self._read(readout_id)
        self._share_with_translations(readout_id)

    def _share_with_translations(self, readout_id: int) -> None:
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

    def _read(self, readout_id: int) -> None:
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
        if self._reviewing:
            return
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
                    if reading and any(same_person(name, p) for p in meetings.Meeting.from_json(reading).participants):
                        continue
                    self._read(readout_id)
        finally:
            self._reviewing = False

    def _relink(self, day: str) -> None:
        """Group again the readings that could be one event with those of `day`, and write their meetings.

        Readings can only be one event when their days are at most a week apart and they share a
        participant, so the group taken (the readings of `day`, closed under that) is grouped exactly as
        the whole corpus would be.
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
                    if event.date == day or any(
                        same_person(name, other) for _, known, _ in group.values()
                        for name in event.participants for other in known.participants
                    ):
                        group[readout_id] = pool.pop(readout_id)
                        grown = True
            days = [event.date for _, event, _ in group.values() if event.date]
            if not days or (min(days) >= first and max(days) <= last):
                break
            first, last = min(first, *days), max(last, *days)
        if not group:
            return
        by_url = {url: readout_id for readout_id, (url, _, _) in group.items()}
        taken: set[int] = set()
        linked: set[int] = set()
        for urls, event, reasons in meetings.cluster([(url, event) for url, event, _ in group.values()]):
            members = [by_url[url] for url in urls]
            previous = sorted({meeting for m in members if (meeting := group[m][2]) is not None} - taken)
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

    def identify(self, readout_id: int, text: str, *, replaying: bool = False) -> Match | None:
        """Link the readout (already in `readouts`) to the unique readout whose text it repeats, or index it as unique.

        When an excerpt arrived first and its full readout now, the full one becomes
        the original and the excerpt (with its own copies) is linked to it. When
        `replaying` the corpus in storage order, only earlier readouts count.
        """
        conn, settings = self.conn, self.settings
        tokens = words(text)
        digest = content_hash(tokens)
        set_columns(conn, readout_id, {"content_hash": digest})
        match = None
        same = conn.execute(
            "select id, duplicate_of, duplicate_kind, similarity from readouts"
            f" where content_hash = ? and id {'<' if replaying else '!='} ? order by id limit 1",
            [digest, readout_id],
        ).fetchone()
        if same:
            holder, original, kind, similarity = same
            # a copy of a copy is a copy of the original, as alike as the copy it repeats
            match = Match(holder, EXACT, 1.0) if original is None else Match(original, kind, similarity)
        elif len(tokens) >= settings.min_words:
            ours = shingles(tokens, settings.shingle)
            samples = sampled(ours, settings.sample)
            best: tuple[str, float, int] | None = None
            for candidate in self._candidates(samples, readout_id):
                theirs = shingles(words(self._text_of(candidate)), settings.shingle)
                verdict = compare(ours, theirs, settings)
                if verdict and (best is None or (verdict[0] == NEAR, verdict[1]) > (best[0] == NEAR, best[1])):
                    best = (*verdict, candidate)
            if best and best[0] == "contains":
                kind, similarity, excerpt = best
                self._unindex(excerpt, self._text_of(excerpt))
                copies = conn.execute("select id from readouts where id = ? or duplicate_of = ?", [excerpt, excerpt])
                for (copy,) in copies.fetchall():
                    set_columns(
                        conn, copy, {"duplicate_of": readout_id, "duplicate_kind": EXCERPT, "similarity": round(similarity, 4)}
                    )
            elif best:
                match = Match(best[2], best[0], round(best[1], 4))
            if match is None:
                conn.executemany(
                    "insert or ignore into dedupe_shingles (hash, readout_id) values (?, ?)",
                    [(h, readout_id) for h in samples],
                )
        set_columns(
            conn,
            readout_id,
            {
                "duplicate_of": match.original if match else None,
                "duplicate_kind": match.kind if match else None,
                "similarity": match.similarity if match else None,
            },
        )
        return match

    def _candidates(self, samples: set[int], readout_id: int) -> list[int]:
        common = self.settings.common
        shared: Counter[int] = Counter()
        for value in samples:
            holders = self.conn.execute(
                "select readout_id from dedupe_shingles where hash = ? limit ?", [value, common + 1]
            ).fetchall()
            if len(holders) <= common:
                shared.update(holder for (holder,) in holders if holder != readout_id)
        # one shared sample is what a formulaic sentence or a hash collision gives; copies share several
        enough = min(2, len(samples))
        return [candidate for candidate, count in shared.most_common(CANDIDATES) if count >= enough]

    def _text_of(self, readout_id: int) -> str:
        row = self.conn.execute("select text from readouts where id = ?", [readout_id]).fetchone()
        return row[0] or "" if row else ""

    def _unindex(self, readout_id: int, text: str) -> None:
        samples = sampled(shingles(words(text), self.settings.shingle), self.settings.sample)
        self.conn.executemany(
            "delete from dedupe_shingles where hash = ? and readout_id = ?", [(h, readout_id) for h in samples]
        )

    # --- meetings ----------------------------------------------------------------------

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
            wanted.add(person_id)
        linked = {pid for (pid,) in self.conn.execute("select person_id from meeting_people where meeting_id = ?", [meeting_id])}
        for person_id in linked - wanted:
            self.conn.execute("delete from meeting_people where meeting_id = ? and person_id = ?", [meeting_id, person_id])
        for person_id in wanted - linked:
            self.conn.execute("insert into meeting_people (meeting_id, person_id) values (?, ?)", [meeting_id, person_id])
        for person_id in linked | wanted:
            self._person(person_id)

    def _person(self, person_id: int) -> None:
        """A person's name, country and offices from every reading of their meetings: the offices found,
        each with the days first and last seen and how many readouts say so; the country most of them
        give (never the first readout's). A person left in no meeting is removed."""
        readings = self.conn.execute(
            "select r.reading from readouts r join meeting_people mp on mp.meeting_id = r.meeting_id"
            " where mp.person_id = ? and r.reading is not null", [person_id]
        ).fetchall()
        (current,) = self.conn.execute("select name from people where id = ?", [person_id]).fetchone()
        if not readings:
            self.conn.execute("delete from people where id = ?", [person_id])
            return
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
        listed = [name for name in spellings if name in self.gazetteer.people]
        name = min(listed or spellings or [current], key=lambda n: (-spellings[n], n))
        country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
        values = [name, country, json.dumps(sorted(offices.values(), key=lambda o: (o["from"] or "", o["title"])),
                                            ensure_ascii=False), json.dumps(sorted(aliases), ensure_ascii=False)]
        clash = self.conn.execute("select id from people where name = ? and id != ?", [name, person_id]).fetchone()
        if clash:
            values[0] = current  # another row holds that spelling; both stay until a recompute joins them
        self.conn.execute(
            "update people set name = ?, country = ?, offices = ?, aliases = ? where id = ?"
            " and (name, country, offices, aliases) is not (?, ?, ?, ?)", [*values, person_id, *values])

    def _assign(self, readout_id: int, meeting_id: int | None) -> None:
        """Link the readout to its meeting; a meeting no readout reports any more is removed, with its people links."""
        (previous,) = self.conn.execute("select meeting_id from readouts where id = ?", [readout_id]).fetchone()
        if previous == meeting_id:
            return
        self.conn.execute("update readouts set meeting_id = ? where id = ?", [meeting_id, readout_id])
        if previous is not None and not self.conn.execute(
                "select 1 from readouts where meeting_id = ?", [previous]).fetchone():
            people = [pid for (pid,) in self.conn.execute(
                "select person_id from meeting_people where meeting_id = ?", [previous])]
            self.conn.execute("delete from meeting_people where meeting_id = ?", [previous])
            self.conn.execute("delete from meetings where id = ?", [previous])
            for person_id in people:
                self._person(person_id)
