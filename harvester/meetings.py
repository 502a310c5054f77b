"""Meetings: which meeting a readout reports, and one row per meeting across sources.

A readout leads with its meeting ("Ayatollah Khamenei received Syrian President
Bashar Assad ... on February 25, 2019"); what comes later is commentary, and
often other meetings ("During a separate meeting with ... Buhari"). So the
meeting is read from the first sentence of the lead that has a meeting word and
names two people of the gazetteer (`config/people.toml`); people mentioned
anywhere else are not its participants.

The date is the one that sentence gives, relative words ("on Monday",
"yesterday", "this evening") resolved against the publication date; else the
first date in the lead; else the publication date, because a page's own date is
not the meeting's when it says otherwise (leader.ir dates the Assad readout 2 Jul
2019 for a meeting on 25 Feb 2019).

Readouts of the same day whose participants agree (one set contains the other,
two people at least) and whose places do not contradict each other are one
meeting, whichever outlet wrote them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from harvester.config import ConfigError
from harvester.extract.text import blocks_of

# Paragraphs read for the meeting before giving up on a readout.
LEAD_PARAGRAPHS = 3

MEETING_WORDS = re.compile(
    r"\b(?:met|meet|meets|meeting|received|receives|receiving|hosted|hosts|talks|visit|visited|visiting|welcomed)\b",
    re.IGNORECASE,
)
# A call is not a meeting: nobody was anywhere together.
REMOTE = re.compile(r"\b(?:telephone|phone|video ?conference|video link)\b", re.IGNORECASE)
RECEIVING = re.compile(r"\b(?:received|receives|receiving|hosted|hosts|welcomed)\b", re.IGNORECASE)
# "an envoy of the Sultan of Oman" met the Emir; the Sultan did not.
ON_BEHALF = re.compile(r"\b(?:envoy|message|letter|representative|behalf|emissary)\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
DATE_EXPRESSIONS = [
    ("mdy", rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,\s*(?P<year>\d{{4}}))?"),
    ("dmy", rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?"),
    ("iso", r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    ("yesterday", r"\b(?:yesterday|last night)\b"),
    ("today", r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b"),
    ("weekday", r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"),
]
DATES = re.compile("|".join(f"(?P<{kind}>{pattern.replace('?P<', f'?P<{kind}_')})" for kind, pattern in DATE_EXPRESSIONS), re.IGNORECASE)
SENTENCE_END = re.compile(r"(\w*)[.!?][”\"’']?\s+(?=[“\"‘'(]?[A-Z0-9])")
# A full stop after these ends a title or an abbreviation ("Mr. Putin", "Nov. 14"), not a sentence.
ABBREVIATIONS = {
    "mr", "ms", "mrs", "dr", "st", "jr", "sr", "no", "gen", "col", "lt", "gov", "sen", "rep", "prof",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}


@dataclass(frozen=True)
class Office:
    titles: tuple[str, ...]
    start: date | None = None
    end: date | None = None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.start is None and self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    offices: tuple[Office, ...] = ()
    seat: str | None = None
    # False for someone who receives everyone at home (Ayatollah Khamenei has not travelled abroad since 1989).
    abroad: bool = True


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Meeting:
    date: str | None
    place: str | None
    participants: tuple[str, ...]

    @property
    def title(self) -> str:
        where = ", ".join(part for part in (self.place, self.date) if part)
        return " – ".join(self.participants) + (f" ({where})" if where else "")


class Gazetteer:
    """People with their names and dated offices, and places: what a readout's words can refer to."""

    def __init__(self, people: Sequence[Person], places: Sequence[Place]) -> None:
        self.people = {person.name: person for person in people}
        self._forms: dict[str, list[tuple[Person, Office | None]]] = {}
        for person in people:
            for alias in (person.name, *person.aliases):
                self._forms.setdefault(_fold(alias), []).append((person, None))
            for office in person.offices:
                for title in office.titles:
                    self._forms.setdefault(_fold(title), []).append((person, office))
        self._mentions = _alternation(self._forms)
        self._places = {_fold(alias): place.name for place in places for alias in (place.name, *place.aliases)}
        names = _alternation(self._places)
        self._place_in = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?{names.pattern}", re.IGNORECASE)
        self._dateline = re.compile(rf"^\s*{names.pattern}\s*[–—-]\s", re.IGNORECASE)

    def people_in(self, text: str, day: date | None) -> list[tuple[int, str]]:
        """(offset, name) of each person `text` names, an office counting only if held on `day`."""
        found = []
        folded = _fold(text)
        skipped_to = -1
        for match in self._mentions.finditer(folded):
            between = folded[skipped_to : match.start()].strip(" ,—–-") if skipped_to >= 0 else None
            if between == "" or ON_BEHALF.search(folded[max(0, match.start() - 40) : match.start()]):
                skipped_to = match.end()  # "an envoy of the Syrian President Bashar Assad": neither is there
                continue
            holders = {person.name for person, office in self._forms[match.group(1)] if office is None or office.held_on(day)}
            if len(holders) == 1:
                found.append((match.start(), holders.pop()))
        return found

    def place_in(self, text: str) -> str | None:
        match = self._place_in.search(_fold(text))
        return self._places[match.group(1)] if match else None

    def dateline(self, text: str) -> str | None:
        match = self._dateline.search(_fold(text))
        return self._places[match.group(1)] if match else None


def _fold(text: str) -> str:
    """Case and apostrophes folded, so "Iran’s Supreme Guide" matches "iran's supreme guide"."""
    return text.replace("’", "'").replace("‘", "'").casefold()


def _alternation(forms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(forms, key=len, reverse=True)  # the longest form wins: "Supreme Leader of Iran" over "Supreme Leader"
    body = "|".join(re.escape(form) for form in ordered) or r"(?!x)x"
    return re.compile(rf"(?<!\w)({body})(?!\w)")


# --- the gazetteer file ---------------------------------------------------------


def _strings(value: Any, file: Path, key: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(file, key, "must be a string or a list of strings")
    return tuple(v.strip() for v in values)


def _day(value: Any, file: Path, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ConfigError(file, key, "must be a date, e.g. 2012-05-07")
    return value


def _check_keys(table: Any, allowed: set[str], required: set[str], file: Path, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(file, where, "must be a table")
    for key in table:
        if key not in allowed:
            raise ConfigError(file, f"{where}.{key}", f"unknown key (known: {', '.join(sorted(allowed))})")
    for key in required - set(table):
        raise ConfigError(file, f"{where}.{key}", "missing required key")
    return table


def load_gazetteer(file: Path) -> Gazetteer:
    """Read `people.toml`; a malformed file is refused with the entry and the key at fault."""
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, None, f"TOML syntax error: {error}") from None
    except OSError as error:
        raise ConfigError(file, None, f"cannot read: {error.strerror}") from None
    _check_keys(data, {"person", "place"}, set(), file, "people")
    people = []
    for index, entry in enumerate(data.get("person", [])):
        where = f"person[{index}]"
        entry = _check_keys(entry, {"name", "aliases", "offices", "seat", "abroad"}, {"name"}, file, where)
        offices = []
        for number, office in enumerate(entry.get("offices", [])):
            at = f"{where}.offices[{number}]"
            office = _check_keys(office, {"title", "from", "until"}, {"title"}, file, at)
            offices.append(
                Office(
                    titles=_strings(office["title"], file, f"{at}.title"),
                    start=_day(office.get("from"), file, f"{at}.from"),
                    end=_day(office.get("until"), file, f"{at}.until"),
                )
            )
        abroad = entry.get("abroad", True)
        if not isinstance(abroad, bool):
            raise ConfigError(file, f"{where}.abroad", "must be true or false")
        people.append(
            Person(
                name=_strings(entry["name"], file, f"{where}.name")[0],
                aliases=_strings(entry.get("aliases", []), file, f"{where}.aliases"),
                offices=tuple(offices),
                seat=_strings(entry["seat"], file, f"{where}.seat")[0] if "seat" in entry else None,
                abroad=abroad,
            )
        )
    places = []
    for index, entry in enumerate(data.get("place", [])):
        entry = _check_keys(entry, {"name", "aliases"}, {"name"}, file, f"place[{index}]")
        places.append(
            Place(
                name=_strings(entry["name"], file, f"place[{index}].name")[0],
                aliases=_strings(entry.get("aliases", []), file, f"place[{index}].aliases"),
            )
        )
    return Gazetteer(people, places)


# --- reading a readout ------------------------------------------------------------


def sentences(paragraph: str) -> list[str]:
    parts, start = [], 0
    for end in SENTENCE_END.finditer(paragraph):
        word = end.group(1)
        if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):  # "U.S." is one initial at a time
            continue
        parts.append(paragraph[start : end.end()].strip())
        start = end.end()
    parts.append(paragraph[start:].strip())
    return [part for part in parts if part]


def _published(published: str | None) -> date | None:
    """The local calendar day of publication: "2015-11-24T04:38:00-05:00" is the 24th where it was written."""
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def dates_in(text: str, published: date | None) -> list[date]:
    """The days `text` names, in order: explicit dates first, then relative ones resolved against `published`."""
    explicit, relative = [], []
    for match in DATES.finditer(text):
        kind = match.lastgroup
        groups = {key.split("_", 1)[1]: value for key, value in match.groupdict().items() if value and "_" in key}
        if kind in ("mdy", "dmy", "iso"):
            month = MONTHS.get(groups["month"].lower()) if kind != "iso" else int(groups["month"])
            year = int(groups["year"]) if groups.get("year") else (published.year if published else None)
            if year is None or month is None:
                continue
            try:
                day = date(year, month, int(groups["day"]))
            except ValueError:
                continue
            if not groups.get("year") and published and day > published:
                day = day.replace(year=year - 1)  # "on Nov. 14" in a January readout is last year's
            explicit.append(day)
        elif published is None:
            continue
        elif kind == "yesterday":
            relative.append(published - timedelta(days=1))
        elif kind == "today":
            relative.append(published)
        elif kind == "weekday":
            # "on Monday" in a readout is the last Monday up to the day it was published
            back = (published.weekday() - WEEKDAYS.index(groups["weekday"].lower())) % 7
            relative.append(published - timedelta(days=back))
    return explicit + relative


def extract_meeting(text: str, title: str | None, published: str | None, gazetteer: Gazetteer) -> Meeting | None:
    """The meeting a readout reports, or None when its lead names no meeting of two known people."""
    day_published = _published(published)
    lead = blocks_of(text)[:LEAD_PARAGRAPHS]
    lead_sentences = [sentence for paragraph in lead for sentence in sentences(paragraph)]

    def people(sentence: str) -> list[tuple[int, str]]:
        return gazetteer.people_in(sentence, (dates_in(sentence, day_published) or [day_published])[0])

    found: tuple[str, list[tuple[int, str]]] | None = None
    for sentence in lead_sentences:
        if MEETING_WORDS.search(sentence) and not REMOTE.search(sentence):
            named = people(sentence)
            if len({name for _, name in named}) >= 2:
                found = (sentence, named)
                break
    if found is None and title and MEETING_WORDS.search(title) and not REMOTE.search(title) and lead_sentences:
        # Kremlin style: "Meeting with President of Venezuela Nicolas Maduro", then "Vladimir Putin and ... discussed"
        named = people(title) + people(lead_sentences[0])
        if len({name for _, name in named}) >= 2:
            found = (lead_sentences[0], named)
    if found is None:
        return None
    sentence, named = found
    participants = tuple(sorted({name for _, name in named}))

    days = dates_in(sentence, day_published)
    if not days:
        later = lead_sentences[lead_sentences.index(sentence) + 1 :] if sentence in lead_sentences else lead_sentences
        days = [d for s in later for d in dates_in(s, day_published) if day_published is None or d <= day_published]
    day = days[0] if days else day_published

    return Meeting(
        date=day.isoformat() if day else None,
        place=_place(sentence, named, lead, gazetteer),
        participants=participants,
    )


def _place(sentence: str, named: list[tuple[int, str]], lead: list[str], gazetteer: Gazetteer) -> str | None:
    """Where the meeting was: said in its sentence, a dateline, the host's seat, or said in the lead."""
    place = gazetteer.place_in(sentence) or (gazetteer.dateline(lead[0]) if lead else None)
    if place:
        return place
    receiving = RECEIVING.search(sentence)
    if receiving:
        hosts = [name for offset, name in named if offset < receiving.start()]
        if hosts and gazetteer.people[hosts[0]].seat:
            return gazetteer.people[hosts[0]].seat
    for _, name in named:
        person = gazetteer.people[name]
        if not person.abroad and person.seat:
            return person.seat
    for paragraph in lead:
        place = gazetteer.place_in(paragraph)
        if place:
            return place
    return None


# --- one meeting across readouts ------------------------------------------------------


def same_meeting(meeting: Meeting, place: str | None, participants: set[str]) -> bool:
    """Whether `meeting` is the one held that day at `place` by `participants`, as another readout reported it."""
    if meeting.place and place and meeting.place != place:
        return False
    ours = set(meeting.participants)
    smaller = min(ours, participants, key=len)
    return len(smaller) >= 2 and (ours <= participants or participants <= ours)
