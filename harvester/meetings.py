"""Meetings: which meeting a readout reports, and one row per meeting across sources.

A readout leads with its meeting ("Ayatollah Khamenei received Syrian President
Bashar Assad ... on February 25, 2019"); what comes later is commentary, and
often other meetings ("During a separate meeting with ... Buhari"). So the
meeting is read from the first sentence of the lead that has a meeting word and
names two people of the gazetteer (`people.toml`); people mentioned
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
from zoneinfo import ZoneInfo

from harvester.config import ConfigError
from harvester.extract.text import blocks_of
from harvester.people import Cast, recognise, same_person, world

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
class PersonRecord:
    """A participant as the readout introduced them: what the `people` table keeps."""

    name: str
    country: str | None = None
    office: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    date: str | None
    place: str | None
    participants: tuple[str, ...]
    kind: str = "meeting"
    people: tuple[PersonRecord, ...] = ()

    @property
    def title(self) -> str:
        where = ", ".join(part for part in (self.place, self.date) if part)
        what = "" if self.kind == "meeting" else self.kind.replace("_", " ").capitalize() + ": "
        return what + " – ".join(self.participants) + (f" ({where})" if where else "")


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

    def people_in(self, text: str, day: date | None, *, on_behalf: bool = True) -> list[tuple[int, str]]:
        """(offset, name) of each person `text` names, an office counting only if held on `day`."""
        return [(start, name) for start, _, name in self.spans(text, day, on_behalf=on_behalf)]

    def spans(self, text: str, day: date | None, *, on_behalf: bool = True) -> list[tuple[int, int, str]]:
        """(start, end, name) of each mention of a listed person; with `on_behalf`, an envoy's sender is left out."""
        found = []
        folded = _fold(text)
        skipped_to = -1
        for match in self._mentions.finditer(folded):
            between = folded[skipped_to : match.start()].strip(" ,—–-") if skipped_to >= 0 else None
            if on_behalf and (between == "" or ON_BEHALF.search(folded[max(0, match.start() - 40) : match.start()])):
                skipped_to = match.end()  # "an envoy of the Syrian President Bashar Assad": neither is there
                continue
            holders = {person.name for person, office in self._forms[match.group(1)] if office is None or office.held_on(day)}
            if len(holders) == 1:
                found.append((match.start(), match.end(), holders.pop()))
        return found

    def named(self, name: str, day: date | None) -> str | None:
        """The listed person a whole name (not an office) is a spelling of."""
        forms = self._forms.get(_fold(name), [])
        holders = {person.name for person, office in forms if office is None or office.held_on(day)}
        if len(holders) == 1:
            return holders.pop()
        for person in self.people.values():
            if any(same_person(name, alias) for alias in (person.name, *person.aliases) if len(alias.split()) >= 2):
                return person.name
        return None

    def place_in(self, text: str) -> str | None:
        found = self.place_at(text)
        return found[1] if found else None

    def place_at(self, text: str) -> tuple[int, str] | None:
        match = self._place_in.search(_fold(text))
        return (match.start(), self._places[match.group(1)]) if match else None

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


def _published(published: str | None, zone: ZoneInfo | None = None) -> date | None:
    """The calendar day of publication where it was written ("2015-11-24T04:38:00-05:00" is the 24th),
    or, given the time zone of the event's place, the day it was there: a wire dated 17:50 UTC on
    18 June writes from Pyongyang's 19th."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None
    if zone is not None and moment.tzinfo is not None and len(published) > 10:
        return moment.astimezone(zone).date()
    return moment.date()


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


KINDS = ("meeting", "call", "video_call", "message", "visit")
# How a readout says what happened. A call or a video call is nobody anywhere together,
# whatever else the sentence says; otherwise the first of these words the sentence uses.
VIDEO = re.compile(r"\b(?:video ?conference|video ?link|video call|videoconference|virtual (?:meeting|talks|summit)|online talks|via video)\b", re.IGNORECASE)
PHONE = re.compile(r"\b(?:tele?phone|phone|phoned)\b", re.IGNORECASE)
KIND_WORDS = [
    ("message", r"message|messages|letter|cable|congratulat\w*|condolences?|greetings"),
    ("visit", r"arrived|arrives|arriving|arrival|landed|lands|airport|tarmac"),
    ("meeting", r"met|meet|meets|meeting|received|receives|receiving|hosted|hosts|talks|welcomed|welcomes|discussed|agreed|signed|conversation|conversations|bilateral"),
]
KIND_WORD = re.compile("|".join(rf"(?P<{kind}>\b(?:{words})\b)" for kind, words in KIND_WORDS), re.IGNORECASE)
# "upon his arrival at Baghdad International Airport": received at the airport is an arrival.
AT_THE_AIRPORT = re.compile(r"\b(?:airport|tarmac|upon (?:his|her|their) arrival)\b", re.IGNORECASE)
# A story that announces an event is not a report of it.
PREVIEW = re.compile(
    r"\b(?:will|would|plans? to|intends? to)\s+(?:\w+\s+)?(?:meet|hold|visit|travel|receive|talk|speak|host)\b"
    r"|\b(?:is|are)\s+(?:due|expected|set|scheduled|slated|going)\s+to\b"
    r"|\bahead of (?:the |a |his |her |their |planned |expected )?(?:\w+ )?(?:talks|meeting|visit)\b",
    re.IGNORECASE,
)
ABROAD_KINDS = ("call", "video_call", "message")  # events without a place
NAMED = re.compile(r"\b[A-Z][\w'’-]+\s+(?:(?:bin|al|da|de)\s+)?[A-Z][\w'’-]+")


@dataclass(frozen=True)
class Reading:
    """What the meeting step made of one readout: its kind, its event (if it reports one), and why."""

    kind: str | None
    meeting: Meeting | None
    reason: str


# "Pezeshkian, who arrived in Pakistan on Saturday, held talks ...": the aside is not the event.
ASIDE = re.compile(r",\s+who\s+[^,]*,")
# "Pyongyang, November 30 (KCNA) -- ": where and when the story was filed, not the event.
DATELINE_PREFIX = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,30},[^\n]{0,60}?(?:\s--?\s|\s[–—]\s|\)\s*[:-]\s|/\s*\.\s|\b[A-Z]{3,}\.\s|\b[A-Z]{3,}\s+--\s)"
)


def kind_of(sentence: str, title: str | None = None) -> str | None:
    """The kind of event a sentence reports, the title deciding when the sentence does not say."""
    sentence = ASIDE.sub(",", sentence)
    for text in (sentence, title or ""):
        if VIDEO.search(text):
            return "video_call"
        if PHONE.search(text):
            return "call"
    word = KIND_WORD.search(sentence)
    if word is not None:
        if word.lastgroup == "meeting" and AT_THE_AIRPORT.search(sentence):
            return "visit"
        return word.lastgroup
    word = KIND_WORD.search(title or "")
    return word.lastgroup if word is not None else None


def extract_meeting(
    text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None = None,
    place: str | None = None,
) -> Meeting | None:
    """The event a readout reports, or None when its lead names no event of known people."""
    return read(text, title, published, gazetteer, lead, place).meeting


def read(
    text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None = None,
    place: str | None = None,
) -> Reading:
    """Read a readout's event from its lead: the lead first, then the first paragraphs of the text.

    `place` is the page's own place line where it has one ("The Kremlin, Moscow").
    """
    paragraphs = blocks_of(lead) + blocks_of(text)[:LEAD_PARAGRAPHS]
    by_paragraph = [sentences(paragraph) for paragraph in paragraphs]
    lead_sentences = [sentence for group in by_paragraph for sentence in group]
    if not NAMED.search(" ".join((title or "", *paragraphs))):
        # no two capitalised words in a row: nobody is named (and the datasets need not be loaded)
        return Reading(None, None, "no event: the lead names nobody")
    cast = Cast(found for part in (title or "", *paragraphs) for found in recognise(part))
    day_published = _published(published)

    def people(sentence: str, kind: str | None) -> list[tuple[int, str]]:
        days = dates_in(sentence, day_published)
        return _people(sentence, days[0] if days else day_published, kind, gazetteer, cast)

    found: tuple[int, str, str, list[tuple[int, str]]] | None = None
    for index, sentence in enumerate(lead_sentences):
        kind = kind_of(sentence, title)
        if kind is None or not KIND_WORD.search(sentence) and not PHONE.search(sentence) and not VIDEO.search(sentence):
            continue
        if PREVIEW.search(sentence) and len({n for _, n in people(sentence, kind)}) >= 1:
            quoted = PREVIEW.search(sentence).group(0)  # type: ignore[union-attr]
            return Reading(None, None, f"not an event: a preview (“{quoted}”) announces it, it does not report it")
        named = people(sentence, kind)
        if kind == "visit" and len({n for _, n in named}) < 2 and index + 1 < len(lead_sentences):
            # "Putin has arrived in the DPRK. At the airport he was welcomed by Kim Jong Un."
            following = lead_sentences[index + 1]
            named += [(offset + len(sentence) + 1, name) for offset, name in people(following, kind)]
        if len({name for _, name in named}) >= 2 or (kind == "visit" and named):
            found = (index, sentence, kind, named)
            break
    if found is None and title and lead_sentences:
        # Kremlin style: "Meeting with President of Venezuela Nicolas Maduro", then "Vladimir Putin and ... discussed"
        kind = kind_of(lead_sentences[0], title)
        named = people(title, kind) + people(lead_sentences[0], kind)
        if kind is not None and len({name for _, name in named}) >= 2:
            found = (0, lead_sentences[0], kind, named)
    if found is None:
        return Reading(None, None, "no event: no sentence of the lead names a meeting, call, message or visit of two people")
    index, sentence, kind, named = found
    participants = tuple(sorted({name for _, name in named}))

    paragraph = next(group for group in by_paragraph if sentence in group) if any(sentence in g for g in by_paragraph) else [sentence]
    where = None if kind in ABROAD_KINDS else _place(sentence, named, paragraph, paragraphs, gazetteer, cast, place, title)
    zone = world().timezone(where)
    day_published = _published(published, zone)
    dateline = DATELINE_PREFIX.match(sentence)
    body = sentence[dateline.end() :] if dateline else sentence
    days = dates_in(ASIDE.sub(",", body), day_published) or dates_in(body, day_published) or dates_in(sentence, day_published)
    if not days:
        later = lead_sentences[index + 1 :]
        days = [d for s in later for d in dates_in(s, day_published) if day_published is None or d <= day_published]
    day = days[0] if days else day_published
    meeting = Meeting(
        date=day.isoformat() if day else None,
        place=where,
        participants=participants,
        kind=kind,
        people=tuple(_person_record(name, gazetteer, cast) for name in participants),
    )
    return Reading(kind, meeting, f"reports a {kind.replace('_', ' ')}: “{_short(sentence)}”")


def _short(sentence: str, limit: int = 160) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _people(sentence: str, day: date | None, kind: str | None, gazetteer: Gazetteer, cast: Cast) -> list[tuple[int, str]]:
    """(offset, name) of the people `sentence` names: the gazetteer's names first, then the readout's cast."""
    on_behalf = kind != "message"  # a message's sender is one of its two sides
    full = [(f.start, f.end, f.name) for f in recognise(sentence)]
    spans = [
        (start, end, name)
        for start, end, name in gazetteer.spans(sentence, day, on_behalf=on_behalf)
        # "Abbas" of "Abbas Araghchi" is not Mahmoud Abbas
        if not any(s <= start and end <= e and (e - s) > (end - start) and gazetteer.named(n, day) != name
                   for s, e, n in full)
    ]
    named = [(start, name) for start, _, name in spans]
    folded = _fold(sentence)
    for start, end, name in cast.mentions(sentence):
        if on_behalf and ON_BEHALF.search(folded[max(0, start - 40) : start]):
            continue
        overlapping = [n for s, e, n in spans if s < end and start < e]
        if overlapping:
            continue  # the gazetteer named this span already
        known = gazetteer.named(name, day)
        named.append((start, known or name))
    # one person, one name: a cast spelling of someone the gazetteer also names there
    canonical: list[str] = []
    for _, name in sorted(named):
        if not any(same_person(name, other) for other in canonical):
            canonical.append(name)
    return [(offset, next(c for c in canonical if same_person(name, c) or c == name)) for offset, name in sorted(named)]


def _person_record(name: str, gazetteer: Gazetteer, cast: Cast) -> PersonRecord:
    found = cast.person(name)
    listed = gazetteer.people.get(name)
    return PersonRecord(
        name=name,
        country=found.country if found else None,
        office=found.office if found else None,
        aliases=tuple(listed.aliases) if listed else (),
    )


def _place(sentence: str, named: list[tuple[int, str]], paragraph: list[str], lead: list[str], gazetteer: Gazetteer,
           cast: Cast, place_line: str | None, title: str | None) -> str | None:
    """Where the event was: said in its sentence or its paragraph, the page's place line, a dateline, the
    host's seat, said in the lead or the title, else the receiving host's capital."""
    for text in (sentence, *paragraph):
        place = _place_in(text, gazetteer)
        if place:
            return place
    for part in reversed((place_line or "").split(",")):
        place = _place_in("in " + part.strip(), gazetteer)
        if place:
            return place
    if lead:
        place = gazetteer.dateline(lead[0]) or _dateline_city(lead[0])
        if place:
            return place
    receiving = RECEIVING.search(sentence)
    hosts = [name for offset, name in named if receiving and offset < receiving.start()]
    if hosts and hosts[0] in gazetteer.people and gazetteer.people[hosts[0]].seat:
        return gazetteer.people[hosts[0]].seat
    for _, name in named:
        person = gazetteer.people.get(name)
        if person and not person.abroad and person.seat:
            return person.seat
    for text in (*lead, title or ""):
        place = _place_in(text, gazetteer)
        if place:
            return place
    if hosts:
        host = cast.person(hosts[0])
        if host and host.country:
            return world().capital(host.country)
    return None


def _place_in(text: str, gazetteer: Gazetteer) -> str | None:
    """The first place `text` says something is in or at: a listed place or a city of the datasets."""
    listed = gazetteer.place_at(text)
    city = _city_at(text)
    found = [place for place in (listed, city) if place]
    return min(found)[1] if found else None


PLACE_AFTER = re.compile(
    r"\b(?:in|at|to)\s+(?:the\s+(?:[A-Z]\w+\s+)?(?:city|capital)\s+of\s+)?"
    r"(?P<phrase>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})"
)
DATELINE = re.compile(r"^\s*(?P<phrase>[A-Z][A-Za-z'.-]*(?:\s+[A-Z][A-Za-z'.-]*){0,2})\s*(?:[,:–—(]|\s-|\s+–)")


def _city_at(text: str) -> tuple[int, str] | None:
    for match in PLACE_AFTER.finditer(text):
        city = world().city(match.group("phrase"))
        if city:
            return match.start(), city.name
    return None


def _dateline_city(text: str) -> str | None:
    match = DATELINE.match(text)
    if not match:
        return None
    city = world().city(match.group("phrase").title())
    return city.name if city else None


# --- linking reports of one event ----------------------------------------------------


def agree(meeting: Meeting, other: Meeting) -> str | None:
    """Why two readings are one event, or None: same kind, within a day, participants agreeing, places not differing."""
    if meeting.kind != other.kind or not meeting.date or not other.date:
        return None
    apart = abs((date.fromisoformat(meeting.date) - date.fromisoformat(other.date)).days)
    if apart > 1:
        return None
    if meeting.place and other.place and meeting.place != other.place:
        return None
    ours, theirs = list(meeting.participants), list(other.participants)
    shared = [name for name in theirs if any(same_person(name, mine) for mine in ours)]
    smaller = min(len(ours), len(theirs))
    if len(shared) < smaller or smaller < (1 if meeting.kind == "visit" and meeting.place and other.place else 2):
        return None
    when = f"on {other.date}" if apart == 0 else f"a day apart ({other.date} and {meeting.date})"
    where = f", in {other.place or meeting.place}" if (other.place or meeting.place) else ""
    return f"same {meeting.kind.replace('_', ' ')} {when}{where}, with {', '.join(shared)}"


def match(meeting: Meeting, candidates: Sequence[tuple[int, Meeting]]) -> tuple[int | None, str]:
    """The candidate meeting a reading belongs to (the same day before the next, most people shared), and why."""
    best: tuple[tuple[int, int], int, str] | None = None
    for row_id, other in candidates:
        why = agree(meeting, other)
        if why is None:
            continue
        rank = (int(other.date == meeting.date), len(set(other.participants) & set(meeting.participants)))
        if best is None or rank > best[0]:
            best = (rank, row_id, why)
    if best is not None:
        return best[1], f"linked to meeting {best[1]}: {best[2]}"
    near = [other for _, other in candidates if other.kind == meeting.kind]
    if near:
        return None, f"a new {meeting.kind}: none reported within a day has the same participants in the same place"
    return None, f"a new {meeting.kind}: no other report of it yet"


def merged(meeting: Meeting, other: Meeting) -> Meeting:
    """A meeting row after one more report of it: the place if it lacked one, everyone named."""
    names = list(other.participants)
    for name in meeting.participants:
        if not any(same_person(name, known) for known in names):
            names.append(name)
    people = {p.name: p for p in (*meeting.people, *other.people)}
    return Meeting(
        other.date, other.place or meeting.place, tuple(sorted(names)), other.kind,
        tuple(people[name] for name in sorted(names) if name in people),
    )
