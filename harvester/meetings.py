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

import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from itertools import dropwhile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import regex
from anyascii import anyascii

from harvester import languages
from harvester.languages.fold import primary
from harvester.languages.match import ARABIC_PREFIXES
from harvester.languages.names import name_words
from harvester.config import ConfigError
from harvester.extract.text import PARAGRAPH_BREAK, blocks_of
from harvester.people import (
    GENERIC_OFFICES, PARTICLES, PATRONYMIC, RELATION_OF, Cast, capitalises_every_word, fold, recognise, same_person, same_place, told_elsewhere,
    unnamed, world,
)

# Paragraphs read for the meeting before giving up on a readout.
LEAD_PARAGRAPHS = 5
# A paragraph of the story ends as a sentence ends; a page's menu, byline, time line, caption or headline
# ("Live Updates", "Updated 5:36 a.m. ET, November 14, 2022") does not, and is read without being counted.
STORY_PARAGRAPH = re.compile(r"[.!?][”\"’')]*\s*$")


def lead_paragraphs(text: str | None) -> list[str]:
    """The paragraphs of `text` up to its LEAD_PARAGRAPHS-th paragraph of story: a live page or a press
    site opens with a dozen lines of furniture before the paragraph telling the meeting."""
    lead: list[str] = []
    told = 0
    for block in blocks_of(text):
        if told == LEAD_PARAGRAPHS:
            break
        lead.append(block)
        told += STORY_PARAGRAPH.search(block) is not None
    return lead

# A photo's caption ends by crediting the picture: "(Source: Getty Images)", "(AP Photo/Jane Doe)", "Photo: AFP",
# "Credit: Reuters", "(Фото: Reuters)"; or opens by saying it is one ("IMAGE: …").
CAPTION = re.compile(
    r"(?:\([^()]*\b(?:photo\w*|images?|pictures?|sources?|credits?|getty|фото)\b[^()]*\)"
    r"|\b(?:photo|photograph|image|picture|credit)s?(?:\s+credit)?\s*:\s*[^.()]{1,80}|©[^.()]{1,80})[.\s]*$"
    r"|^\s*(?:image|photo|picture)\s*:"
    # a photographer's credit closing the paragraph: "Achmad Ibrahim/Pool via REUTERS", "Name/AFP"
    r"|/\s*(?:pool\s+)?(?:via\s+)?(?:reuters|afp|ap|epa|dpa|getty\s+images|sputnik|tass|xinhua|anadolu|irna|sana)\b"
    r"(?:\s*[–—-]\s*file)?[.\s]*$"
    # an agency's credit after a dash: "… in Jeddah, Saudi Arabia, on Monday. -- Reuters"
    r"|\s(?:--|—|–)\s*(?:reuters|afp|ap|epa|dpa|wam|spa|sputnik|tass|xinhua|anadolu|irna|sana|pti|ani)[.\s]*$"
    # an old picture, marked so: "File – Erdogan with Putin during a visit in Sochi – Kremlin/dpa – File"
    r"|^\s*(?:file|archive)(?:\s+(?:photo|picture|image))?\s*[–—:-]"
    # "[Sefa Karacan/Anadolu Agency]": a photographer and an agency in brackets
    r"|\[[^\[\]/]{1,60}/[^\[\]]{1,60}\][.\s]*$"
    # who stands where in the picture, as agencies mark it: "Erdogan (L) … with Putin (R)"
    r"|\((?-i:L|R|C)\)"
    # what the picture shows, in the present, and the day it was taken, with no full stop: "Prime Minister A meets
    # his counterpart B in Singapore on September 4, 2024"
    r"|^[^.!?]{0,200}\b(?:meets|greets|welcomes|receives|shakes\s+hands|speaks|talks|holds|poses|attends|arrives)\b"
    r"[^.!?]{0,200}\b(?:[a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[a-z]+),?\s+\d{4}\s*$",
    re.IGNORECASE)


def without_captions(text: str | None) -> str | None:
    """The text without its photos' captions: a caption tells when its picture was taken (the talks of the day
    before, an arrival), the story's sentences tell the news."""
    if text is None:
        return None
    return PARAGRAPH_BREAK.join(block for block in blocks_of(text) if not CAPTION.search(block))


MEETING_WORDS = re.compile(
    r"\b(?:met|meet|meets|meeting|received|receives|receiving|hosted|hosts|talks|visit|visited|visiting|welcomed)\b",
    re.IGNORECASE,
)
# A call is not a meeting: nobody was anywhere together.
REMOTE = re.compile(r"\b(?:telephone|phone|video ?conference|video link)\b", re.IGNORECASE)
RECEIVING = re.compile(r"\b(?:received|receives|receiving|hosted|hosts|welcomed|greeted)\b", re.IGNORECASE)
# "an envoy of the Sultan of Oman" met the Emir; the Sultan did not.
ON_BEHALF = re.compile(
    r"\b(?:envoy|message|letter|representative|behalf|emissary)\s+(?:of|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
# "condolences on the death of President Raisi", "the late King": the dead take part in nothing.
# The name of the dead ends at "to" ("condolences on the death of Raisi to Pezeshkian": the one consoled is
# alive), Persian's object marker "را" and "به" (to), Arabic's "إلى" (to), Russian "к".
DEATH_OF = re.compile(
    r"(?:\b(?:death|martyrdom|passing|funeral|assassination|killing|demise|fall|ouster|ousting|overthrow|toppling"
    r"|downfall)\s+of\s+(?:the\s+)?(?:late\s+|former\s+|ousted\s+)?"
    r"|\bthe\s+late\s+)(?:(?!to\s)[\w'’-]+\s+){0,3}$"
    # and in Arabic, Russian, Persian: death, martyrdom, passing, the late, the martyr
    r"|(?:وفاة|استشهاد|رحيل|مقتل|الراحل|الشهيد|гибел\w*|смерт\w*|кончин\w*|покойн\w*|شهادت|درگذشت|فقید|شهید|رحلت)"
    r"\s+(?:(?!(?:را|به|إلى|الى|к)\s)\S+\s+){0,3}$",
    re.IGNORECASE,
)

# After a name, what ended that person's rule: "since Bashar al-Assad's ouster", "since Assad was toppled".
DEPOSED = re.compile(r"(?:['’]s\s+(?:ouster|fall|overthrow|toppling|downfall|death|assassination|killing)"
                     r"|\s+(?:was|had\s+been|were)\s+(?:toppled|ousted|overthrown|deposed|killed|assassinated))\b",
                     re.IGNORECASE)

# A name in the possessive before what is not the event's ("Xi Jinping, Vladimir Putin's main ally"; "conveyed
# Vladimir Putin's greetings to Raisi"): someone the sentence speaks of, not one of its people. Their talks, visit,
# counterpart, invitation or residence ("Modi's talks with Meloni", "at Putin's invitation") are the event's.
POSSESSIVE_ASIDE = re.compile(
    r"['’]s\s+(?!(?:[\w-]+\s+){0,3}?(?:meeting|meetings|talks|visit|trip|tour|call|phone|telephone|conversation|"
    r"counterpart|invitation|residence|office|palace|dacha|home|host|guest|arrival|summit|message|letter)\b)",
    re.IGNORECASE)

# A meeting that did not happen: "… but could not hold any structured meeting with US President Barack Obama".
NOT_MET = re.compile(r"\b(?:could not|couldn't|did not|didn't|was not|were not|failed to|no)\s+(?:[\w-]+\s+){0,3}?"
                     r"(?:meet|meeting|talks|speak|talk|hold|bilateral)\w*\s+(?:[\w-]+\s+){0,3}?with\s+(?:[\w'’.-]+\s+){0,4}$",
                     re.IGNORECASE)

# Who said it, at the end of a sentence ("…, Presidential Spokesman Dmitry Peskov said."): the source, not one of the
# event's people (where two others are).
SAID_BY = re.compile(r"\s+(?:said|says|told\s+(?:reporters|journalists|a\s+news\s+\w+|the\s+press)|stated|noted"
                     r"|announced|confirmed)\s*[.!]?\s*$", re.IGNORECASE)
ATTRIBUTED_AT = re.compile(r",\s*(?:[\w'’-]+\s+){0,6}$")
# Met off a plane by someone: "was greeted at Vnukovo-2 by …", "was received at the airport by …"; the words between
# "by" and the name are the greeter's post.
GREETED_BY = re.compile(r"\b(?:greeted|welcomed|received|met|seen\s+off)\s+(?:[^.;]{0,60}?\s)?by\s+"
                        r"(?P<post>(?:the\s+)?(?:[\w-]+\s+){0,6}?)$", re.IGNORECASE)
# A post below a head of state or government, before or after the greeter's name ("…, chair of the National Assembly").
# (Not a minister: a foreign minister meets a visiting one off the plane, and they are the meeting.)
OFFICIAL_POST = re.compile(r"\b(?:deputy|vice|governor|mayor|ambassador|speaker|chair\w*|officials?|envoy|head\s+of"
                           r"|chief\s+of)\b", re.IGNORECASE)
OFFICIAL_AFTER = re.compile(r",\s+(?:the\s+)?(?:first\s+)?(?:deputy|vice|governor|mayor|ambassador|speaker"
                            r"|chair\w*|head\s+of|chief\s+of)\b", re.IGNORECASE)
# Whose words tell the event: "According to Ramaphosa's spokesperson, Khusela Diko, the president phoned …".
SPOKESPERSON = re.compile(r"\b(?:spokes(?:person|man|woman)|press\s+secretary)\s*,?\s*$", re.IGNORECASE)

# Many calls or messages from a list of people: "received telephone calls from A, B and C".
MANY_FROM = re.compile(r"\b(?:calls|messages|letters|cables|telegrams)\s+(?:of\s+\w+\s+)?from\b"
                       # and meetings held one at a time: "met separately with", "held separate talks with", Arabic
                       # "met with each of" (بكل من), Russian "with each of" (с каждым из)
                       r"|\b(?:met|meets|meeting)\s+(?:separately|individually)\s+with\b|\bseparate\s+(?:talks|meetings|bilaterals)\s+with\b"
                       r"|\bwith\s+each\s+of\b|(?<!\w)بكل\s+من(?!\w)|(?<!\w)с\s+каждым\s+из(?!\w)", re.IGNORECASE)

# A blessing for the dead after a name ("علي الخامنئي (قدس سره)", "امام خمینی (ره)", "رحمه الله"): the
# dead take part in nothing.
BLESSED_DEAD = re.compile(r"\w+(?:\s+\w+){0,3}\s*\(?\s*(?<!\w)(?:قدس سره|قدس‌سره|ره|رحمه الله|رحمة الله عليه|طاب ثراه)(?!\w)")

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
    # "met on the 27th in Moscow": a day of the month, the nearest on or before publication; not "on the 20th
    # anniversary", "on the 5th floor"
    ("dom", r"\bon the (?P<day>\d{1,2})(?:st|nd|rd|th)\b(?:\s+of (?P<which>this|the|last) month\b)?"
            r"(?=\s*(?:[,.;)(]|$)|\s+(?:in|at|and|when|where|with|after|before|during|as|to|from)\b)"),
    ("yesterday", r"\b(?:yesterday|last night)\b"),
    ("today", r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b"),
    # "the Good Friday Agreement", "Black Friday": a feast's name, not this week's weekday
    ("weekday", r"(?<!\bgood )(?<!\bblack )(?<!\bholy )(?<!\bash )(?<!\bpalm )(?<!\bmaundy )(?<!\bcyber )"
                r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"),
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
    # False for someone whose surname's key is a common word's in Arabic, Persian or Russian (Biden's is that of
    # "بدون", without): a text in those scripts names them only by the spellings listed in its aliases.
    keyed: bool = True


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
    """An event as one readout reports it (or, once linked, as all its reports do), with the evidence for it."""

    date: str | None
    place: str | None
    participants: tuple[str, ...]
    kind: str = "meeting"
    people: tuple[PersonRecord, ...] = ()
    # "text": the text names the day ("on Monday", "November 23"); "published": it does not, and the
    # publication day stands in for it, which only bounds the event from above
    date_basis: str = "text"
    sentence: str = ""
    date_evidence: str = ""
    place_evidence: str = ""
    # everyone the event's sentence names, taking part or not: a report that names someone and leaves
    # them out is not a report of an event they took part in
    named: tuple[str, ...] = ()
    # the sentence speaks of a summit (several leaders at once), or of a talk on its sidelines
    setting: str | None = None
    # no event was read, only the people the text names and the day it was published: such a report may
    # join the one event of those people in the week before it (`cluster`), never make one
    tentative: bool = False
    # the cities such a text names, when it names one person only: it joins an event of theirs only in one of them
    places: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        where = ", ".join(part for part in (self.place, self.date) if part)
        what = "" if self.kind == "meeting" else self.kind.replace("_", " ").capitalize() + ": "
        return what + " – ".join(self.participants) + (f" ({where})" if where else "")

    def to_json(self) -> str:
        """The reading as stored with its readout (`readouts.reading`): what linking and people are decided from."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "people"}
        fields["people"] = [vars(person) | {"aliases": list(person.aliases)} for person in self.people]
        return json.dumps(fields, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Meeting:
        fields = json.loads(text)
        people = tuple(PersonRecord(p["name"], p.get("country"), p.get("office"), tuple(p.get("aliases", ())))
                       for p in fields.pop("people", []))
        return cls(**{**fields, "participants": tuple(fields["participants"]), "named": tuple(fields.get("named", ())),
                      "places": tuple(fields.get("places", ())), "people": people})


# After an office: its holder-to-be ("President-elect", "Prime Minister elect").
ELECT = re.compile(r"(?:-|\s+)elect(?!\w)", re.IGNORECASE)
ELECTED_AS = re.compile(r"\b(?:elected|election|re-?election|electoral victory|sworn in|inauguration|inaugurated)"
                        r"\s+(?:as\s+|to\s+the\s+(?:post|position|office)\s+of\s+)?(?:the\s+)?(?:new\s+)?$"
                        # "Putin congratulates new Iranian president", "his newly elected counterpart"
                        r"|\b(?:new|newly[\s-]+elected|incoming)\s+$", re.IGNORECASE)


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
        # "at the White House", "at the historic Sri Temasek", "on the sidelines of the 74th Session of UNGA"
        self._place_in = re.compile(rf"\b(?:(?:in|at)\s+(?:the\s+)?(?:(?:historic|official|presidential|royal)\s+)?|(?:sidelines?|margins?)\s+of\s+(?:the\s+)?"
                                    rf"(?:[\w'-]+\s+){{0,6}}?){names.pattern}", re.IGNORECASE)

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
            forms = self._forms[match.group(1)]
            if (ELECT.match(folded, match.end()) or ELECTED_AS.search(folded, max(0, match.start() - 40), match.start())) \
                    and any(office is not None for _, office in forms):
                continue  # "the US President-elect", "on his election as Iranian president": not yet the holder that day
            holders = {person.name for person, office in forms if office is None or office.held_on(day)}
            if len(holders) == 1:
                found.append((match.start(), match.end(), holders.pop()))
        return found

    def is_office(self, form: str) -> bool:
        """Whether `form` is listed as an office's title only ("Malaysian Prime Minister"), no one's name."""
        forms = self._forms.get(_fold(form), [])
        return bool(forms) and all(office is not None for _, office in forms)

    def named(self, name: str, day: date | None) -> str | None:
        """The listed person a whole name (not an office) is a spelling of."""
        # an office of a country is listed with the country's article: "President of the United States"
        with_article = re.sub(r"^(.+? of )(?!the )", r"\1the ", name) if " of " in name else name
        forms = self._forms.get(_fold(name), []) or self._forms.get(_fold(with_article), [])
        holders = {person.name for person, office in forms if office is None or office.held_on(day)}
        if len(holders) == 1:
            return holders.pop()
        for person in self.people.values():
            if any(same_person(name, alias) for alias in (person.name, *person.aliases) if len(alias.split()) >= 2):
                return person.name
        # a listed name of two words in the other order: "Hayashi Yoshimasa", the family name first as Japanese,
        # Chinese, Korean and Hungarian write it
        reversed_name = " ".join(reversed(_fold(name).split()))
        if len(_fold(name).split()) == 2:
            turned = {person.name for person, office in self._forms.get(reversed_name, [])
                      if office is None or office.held_on(day)}
            if len(turned) == 1:
                return turned.pop()
        return None

    def place_in(self, text: str) -> str | None:
        found = self.place_at(text)
        return found[1] if found else None

    def place_at(self, text: str) -> tuple[int, str] | None:
        match = self._place_in.search(_fold(text))
        return (match.start(), self._places[match.group(1)]) if match else None


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
        entry = _check_keys(entry, {"name", "aliases", "offices", "seat", "abroad", "keyed"}, {"name"}, file, where)
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
        abroad, keyed = entry.get("abroad", True), entry.get("keyed", True)
        for key, value in (("abroad", abroad), ("keyed", keyed)):
            if not isinstance(value, bool):
                raise ConfigError(file, f"{where}.{key}", "must be true or false")
        people.append(
            Person(
                name=_strings(entry["name"], file, f"{where}.name")[0],
                aliases=_strings(entry.get("aliases", []), file, f"{where}.aliases"),
                offices=tuple(offices),
                seat=_strings(entry["seat"], file, f"{where}.seat")[0] if "seat" in entry else None,
                abroad=abroad,
                keyed=keyed,
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


# A date without a year this many days after publication is a plan of this year ("the visit to Moscow on
# November 26" in a readout of 20 November), not the same day a year back.
PLANNED_AHEAD = 62


# What stands between a weekday and the calendar date that names the same day: "Monday, March 20", "Monday (20 March)".
WEEKDAY_WITH_DATE = re.compile(r"\s*[,(]?\s*(?:the\s+)?")


@dataclass(frozen=True)
class DateMention:
    day: date
    words: str
    explicit: bool  # a calendar date, as opposed to "on Monday", "yesterday"
    start: int = 0
    end: int = 0


def date_mentions(text: str, published: date | None) -> list[DateMention]:
    """The days `text` names, in order of appearance: calendar dates, and relative words resolved against
    `published` ("on Monday" is the last Monday up to that day, "yesterday" the day before it).

    A date without a year is the nearest one on or before publication, unless it lies a little after
    publication: then it is this year's, a plan.
    """
    found = []
    matches = list(DATES.finditer(text))
    for number, match in enumerate(matches):
        kind = match.lastgroup
        following = matches[number + 1] if number + 1 < len(matches) else None
        if kind == "weekday" and following is not None and following.lastgroup in ("mdy", "dmy", "iso") \
                and WEEKDAY_WITH_DATE.fullmatch(text[match.end() : following.start()]):
            continue  # "Monday, March 20", "Monday (20 March)": one day, named by its calendar date
        groups = {key.split("_", 1)[1]: value for key, value in match.groupdict().items() if value and "_" in key}
        words = match.group(0)
        if kind in ("mdy", "dmy", "iso"):
            month = MONTHS.get(groups["month"].lower().rstrip(".")) if kind != "iso" else int(groups["month"])
            year = int(groups["year"]) if groups.get("year") else (published.year if published else None)
            if year is None or month is None:
                continue
            try:
                day = date(year, month, int(groups["day"]))
            except ValueError:
                continue
            if not groups.get("year") and published:
                if day > published + timedelta(days=PLANNED_AHEAD):
                    day = day.replace(year=year - 1)  # "on Nov. 14" in a January readout is last year's
                elif day < published - timedelta(days=366 - PLANNED_AHEAD):
                    day = day.replace(year=year + 1)  # "on January 3" in a late-December readout is a plan
            found.append(DateMention(day, words, True, match.start(), match.end()))
        elif published is None:
            continue
        elif kind == "dom":
            day_of_month = int(groups["day"])
            first = published.replace(day=1)
            last_month = (first - timedelta(days=1)).replace(day=1)
            if groups.get("which") in ("this", "last"):
                month_start = first if groups["which"] == "this" else last_month
            else:
                month_start = first if day_of_month <= published.day else last_month
            try:
                found.append(DateMention(month_start.replace(day=day_of_month), words, True, match.start(), match.end()))
            except ValueError:
                continue
        elif kind == "yesterday":
            found.append(DateMention(published - timedelta(days=1), words, False, match.start(), match.end()))
        elif kind == "today":
            found.append(DateMention(published, words, False, match.start(), match.end()))
        elif kind == "weekday":
            back = (published.weekday() - WEEKDAYS.index(groups["weekday"].lower())) % 7
            found.append(DateMention(published - timedelta(days=back), words, False, match.start(), match.end()))
    return found


def dates_in(text: str, published: date | None) -> list[date]:
    """The days `text` names: calendar dates first, then relative ones resolved against `published`."""
    mentions = date_mentions(text, published)
    return [m.day for m in mentions if m.explicit] + [m.day for m in mentions if not m.explicit]


KINDS = ("meeting", "call", "video_call", "message", "visit")


@dataclass(frozen=True)
class Wording:
    """How one language says what happened: the meeting step's only language-specific part.

    Each field is a regular expression (matched case-insensitively) over the readout's words; a
    language the step does not know is read with English wording, so names still count.
    """

    video: str  # a video call, whatever else the sentence says
    phone: str  # a call, whatever else the sentence says
    spoke: str  # a call, unless the sentence also says they met ("spoke with … during their meeting")
    message: str
    arrival: str
    meeting: str  # in person: met, received, held talks, gathered
    past: str  # a verb that reports an event that happened (a preview has none)
    preview: str  # announces an event ("will meet", "ahead of talks")
    headline_present: str  # a headline's present, which tells what happened ("Blinken, Jaishankar meet ahead of talks")
    retrospective: str  # looks back at an old event ("years ago", "since 2000")
    told_after: str  # the passive or the pluperfect: how a text tells an event long past ("the treaty was signed")
    summit: str
    sidelines: str
    at_airport: str
    side_trip: str  # a trip elsewhere in the same sentence ("a day trip that also took him to …")
    reported: str  # attributes a report ("the Kremlin said"): a day in its clause is the report's, not the event's
    landed: str  # an arrival told in the past ("arrived", "has landed"): what an arrival report says before the talks to come
    took_place: str  # the event as the subject ("the talks took place …", "the summit in …"): where that sentence puts it, the event was
    earlier: str  # a clause about an event before this one ("since the two leaders met in November"): no word of it tells this one's kind
    scheduled: str  # the present of a timetable before a day ("leaders who start meeting Tuesday"): that day is to come
    assembly: str  # a body's sitting ("the third plenary meeting of the Congress"): no meeting of two leaders
    planned: str  # an event still to come ("the upcoming G20 summit", "agreed to meet in Osaka"): no word of it tells this one's kind
    discussed: str  # what was said, not how they were together ("discussed", "agreed"): the kind a neighbouring sentence words
    first_since: str  # news measured against the past ("their first call since 2022"): no look back
    other_time: str  # a clause of its own before a day ("after the war broke out on"): the day is that clause's
    anniversary: str  # "31 years ago today": the day is the anniversary's, the event long past
    departing: str  # written as someone sets off ("before leaving for Damascus"): the talks are still to come


ENGLISH = Wording(
    video=r"\b(?:video ?conference|video ?link|video (?:call|meeting|conversation|format|summit|channel)|videoconference"
          r"|teleconference|virtual (?:meeting|talks|summit|call|conversation)"
          # "met Xi virtually on Monday", not "discussed virtually all issues"
          r"|virtually(?=\s*(?:[.,;]|$|on|in|at|from|with|for|yesterday|today|this|last)\b)"
          r"|online (?:talks|meeting|summit|conversation)|via video|by video)\b",
    phone=r"\b(?:tele?phone|phone|phoned|telephoned|telephoning|telephonic|telephonically|by phone|phone call"
          r"|called up|calls up|dialed|dialled|(?:congratulatory|introductory) calls?|an? (?!courtesy )(?:[\w-]+ ){0,2}?call (?:from|with)"
          # "apologized to Aliyev in a call on Saturday", "made a second call in two days", "the readout of the call";
          # not a call for something, nor a courtesy call (paid in person)
          r"|(?:in|during|made|after|on|over)\s+(?:an?|the|their|his|her)\s+(?!courtesy\s)(?:[\w-]+\s+){0,2}?call(?!\s+(?:for|upon)\b)"
          r"|(?:readout|details|transcript)\s+of\s+the\s+call|had\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?call)\b",
    # not "Erdogan called Putin his great friend", "called it a new season": a name for someone or something, no call
    spoke=r"\b(?:called(?! for\b| upon\b| it\b| them\b| this\b| that\b)"
          r"(?!\s+(?:(?-i:[A-Z])[\w'’-]+\s+){1,4}(?:his|her|their|a|an|the|its|my|our)\s)|calls? (?:with|from|to)|(?:spoke|spoken|speaks|talked) (?:[\w-]+ ){0,3}?(?:with|to)|conversation"
          # "Sisi and his Russian counterpart Putin spoke on Wednesday"
          r"|(?:spoke|talked) (?=on \w+day|yesterday|today|late|earlier|overnight))\b",
    # not a message said to the world ("in a clear message aimed at China, Biden hosted …"): one sent to someone
    message=r"\b(?:(?<!clear )(?<!strong )(?<!powerful )(?<!stark )(?<!unmistakable )(?<!firm )(?<!mixed )(?<!symbolic )"
            r"(?<!political )(?<!signal )(?:message|messages)(?!\s+(?:aimed|directed)\s+at\b)"
            r"|letter|cable|telegram|congratulatory|condolences?|greetings|congratulat\w*|felicitat\w*)\b",
    arrival=r"\b(?:arrived|arrives|arriving|arrival|landed|lands|airport|tarmac|visit|visits|visited|visiting)\b",
    meeting=r"\b(?:met|meet|meets|meeting|meetings|received|receives|receiving|hosted|hosts|talks|welcomed|welcomes"
            r"|welcome|discussed|agreed|signed|conversations|negotiations|bilateral|gathered|summit|was held|were held"
            r"|in the presence of|exchange of views|exchanged views"
            r"|shook hands|shake hands|shakes hands|shaking hands|handshake|fist-bumped|fist-bumps|fist bump|sit-down"
            r"|courtesy call"
            r"|breakfast|lunch|luncheon|dinner|banquet|greeted|greets|greet|sat down with|sits down with"
            r"|joint (?:press|news) (?:conference|briefing|statement to the press)|discussions)\b",
    past=r"\b(?:met|held|received|hosted|welcomed|spoke|spoken|talked|discussed|signed|called|phoned|sent|arrived|landed|sat|shook|visited|greeted"
         # "Said" with a capital is a name ("Sultan Haitham bin Tariq Al Said", "Qaboos bin Said"), not the verb
         r"|gathered|exchanged|agreed|stressed|(?-i:said|SAID)|told|congratulated|expressed"
         r"|quipped|joked|remarked|noted|added|emphasi[sz]ed|reiterated|underscored|underlined|highlighted|affirmed"
         r"|hailed|praised|voiced"
         r"|concluded|ended|lasted|began|wrapped up"
         r"|had\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:conversation|meeting|talks|call|discussions?|exchange))\b",
    preview=r"\b(?:will|shall|is to|are to|plans? to|planning to|intends? to|(?:is|are) (?:due|expected|set|scheduled|slated"
            r"|going) to|(?:may|might) (?:take place|be held|meet|hold|visit|speak|talk)"
            r"|(?:can|could|would) (?:be able to )?(?:meet|agree|hold|sign|visit|speak|talk|discuss|take place|be held|host|happen)"
            r"|(?:has|have) not (?:yet )?been (?:determined|set|scheduled|fixed|agreed)"
            r"|(?:is|are) (?:also |not |un)?likely to)\b"
            # "Modi to visit Moscow"; not "the first Japanese prime minister in 40 years to visit Iran", nor
            # "willing to hold talks with India": a record set, a stance
            r"|^(?![^.]{0,80}\bthe (?:first|only|second|third)\b[^.]{0,60}\bto (?:meet|visit|hold talks)\b)[^.]{0,80}"
            r"(?<!willing )(?<!ready )(?<!prepared )(?<!eager )(?<!keen )\bto (?:meet|hold talks|visit|host|travel to|speak)\b"
            r"|\bahead of (?:the |a |his |her |their |planned |expected |upcoming )?(?:\w+ )?(?:talks|meeting|visit|summit)\b",
    headline_present=r"\b(?:meet|meets|hold talks|holds talks|speak|speaks|sit down|sits down|talks (?:to|with)|attends?)\b",
    retrospective=r"\b(?:years? ago|since (?:19|20)\d\d|anniversary|recalled|recalls|remembered|in memory)\b",
    told_after=r"\b(?:was|were|had been|had)\s+(?:\w+ly\s+)?(?:\w+ed|met|held|signed|made|sent|taken|given)\b",
    summit=r"\b(?:summit|trilateral|tripartite|three-way|leaders of (?:the )?(?:three|four|five))\b",
    sidelines=r"\b(?:sidelines?|on the margins?|bilateral)\b",
    at_airport=r"\b(?:airport|tarmac|upon (?:his|her|their) arrival)\b",
    side_trip=r"\b(?:trip|also took|also visited|went on to|travel(?:led|ed)? on to|then flew|then travel\w*)\b",
    reported=r"\b(?:(?-i:said|SAID)|says|told|reported|reports|announced|confirmed|stated|according to|quoted)\b",
    landed=r"\b(?:arrived|landed|touched down|flew in)\b",
    took_place=r"\b(?:talks|meeting|negotiations|summit|discussions)\s+(?:took place|occurred|were held|was held|were hosted"
               r"|was hosted)\b"
               r"|\b(?:(?:the|their)\s+(?:bilateral\s+)?(?:talks|meeting|negotiations|summit)|a\s+bilateral\s+(?:talks|meeting))"
               r"\s+(?:with\s+(?:[A-Z][\w'’-]*\s+){1,4})?(?=(?:in|at)\s)",
    # "… implement the understandings reached during the October 16 phone conversation": that event is another's
    # (a participle after its noun; not "The agreement was reached in a phone call with Ramaphosa": that call is this)
    earlier=r"\bsince\b[^,;]*|\b(?<!was )(?<!were )(?<!been )(?:reached|achieved)\s+(?:during|at|in)\s+[^,;]*"
            # "…, particularly after Erdogan's talks with Zelensky in Istanbul": someone's other event
            r"|\b(?:after|following)\s+(?-i:[A-Z])[\w'’-]*['’]s\s+(?:[\w-]+\s+){0,2}?(?:talks|meeting|visit|call)\b[^,;.]*"
            # "He and Lavrov have already met four times this year": a count of past meetings
            r"|\b(?:have|has|had)\s+(?:already\s+|now\s+)?(?:met|spoken|talked|held\s+talks)\s+(?:\w+\s+){0,2}?"
            r"(?:times|twice|once)\b[^,;]*",
    scheduled=r"\b(?:starts?|opens?|begins?|kicks? off|resumes?|ends?|closes?|wraps? up)\s+(?:\w+ing\s+)?(?:on\s+)?$",
    assembly=r"\b(?:plenary|general|annual|closing|opening|extraordinary|cabinet|parliamentary)\s+(?:meeting|session|sitting)s?\b"
             # "made the statements while meeting with media upon his arrival": no one's counterpart
             r"|\b(?:met|meet(?:ing|s)?)\s+(?:with\s+)?(?:the\s+)?(?:media|reporters|journalists|press|students|businessmen"
             r"|business\s+leaders|expatriates)\b",
    planned=r"\b(?:upcoming|forthcoming|coming|next|planned|proposed|potential|possible|prospective|future|eventual"
            r"|scheduled|expected|anticipated)\s+(?:[\w'’‘-]+\s+){0,3}?(?:summit|meeting|visit|talks)\b"
            r"|\b(?:agreed|agree|agreeing|decided|plans?|planning|hopes?|hoping|invited|looks? forward) to"
            r" (?:meet|visit|attend|hold talks"
            # "agreed to organize a personal meeting, sometime this year"
            r"|(?:organi[sz]e|arrange|hold|schedule)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:meeting|visit|summit|talks))\b"
            # "invited him to visit the republic again", "invited President Rahman to visit Kyoto"
            r"|\b(?:invited|invites|inviting)\s+(?:[\w'’-]+\s+){1,4}?to\s+(?:meet|visit|attend|hold talks)\b"
            # "on the sidelines of the BRICS summit next week in Kazan"
            r"|\b(?:summit|meeting|visit|talks)\s+(?:next|later\s+this|this\s+coming)\s+(?:week|month|year)"
            r"(?:\s+in\s+[A-Z][\w'’-]*)?"
            # "said he would continue to pursue meetings with Kim": meetings wished for, not held
            r"|\bwould\s+(?:continue\s+to\s+|like\s+to\s+|try\s+to\s+)?(?:pursue|seek|hold)\s+(?:[\w'’-]+\s+){0,2}?"
            r"(?:meetings?|talks|summits?)\b"
            # "did not hold telephone conversations as of yet": none held
            r"|\b(?:did|do|does|have|has|had)\s+not\s+(?:yet\s+)?(?:hold|held|have|had|meet|met|speak|spoken|talk|talked)"
            r"\s+(?:[\w'’-]+\s+){0,2}?(?:(?:tele)?phone\s+)?(?:conversations?|talks|calls?|meetings?|contacts?)\b",
    discussed=r"\b(?:discussed|discusses|discuss|agreed|agree|signed|exchanged|bilateral|conversations|discussions)\b",
    first_since=r"\bfirst\b[^,.;]*?\bsince\b[^,;]*",
    anniversary=r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|\w+ty(?:-\w+)?)\s+years?\s+ago"
                r"\s+(?:today|this\s+week|this\s+month)\b",
    other_time=r"\b(?:after|since|before|until|when)\s+(?:\w+\s+){1,5}?(?:\w+ed|broke|began|took|came|fell|won|ran)\b"
               r"(?:\s+\w+){0,10}?\s+(?:on|in)\s+$"
               r"|\bsince\s+$"
               # "his first call with a foreign leader since taking office on Monday": that day is the office's
               r"|\bsince\s+\w+ing\s+(?:\w+\s+){0,4}?(?:on|in)\s+$"
               # "the understandings reached during the October 16 phone conversation": that other event's day
               r"|\b(?<!was )(?<!were )(?<!been )(?:reached|achieved)\s+(?:during|at|in)\s+(?:the\s+|their\s+)?$",
    departing=r"\b(?:before\s+(?:leaving|departing|heading|flying)|(?:heads?|heading|left|leaves|leaving|departed|departs"
              r"|departing|set\s+off|sets\s+off)\s+(?:\w+\s+)?(?:for|to)\b|en\s+route\s+to|on\s+(?:his|her|their)"
              r"\s+way\s+to)",
)
WORDINGS = {"en": ENGLISH}


@dataclass(frozen=True)
class _Compiled:
    video: re.Pattern[str]
    phone: re.Pattern[str]
    spoke: re.Pattern[str]
    kind_word: re.Pattern[str]
    past: re.Pattern[str]
    preview: re.Pattern[str]
    headline_present: re.Pattern[str]
    retrospective: re.Pattern[str]
    told_after: re.Pattern[str]
    summit: re.Pattern[str]
    sidelines: re.Pattern[str]
    at_airport: re.Pattern[str]
    side_trip: re.Pattern[str]
    reported: re.Pattern[str]
    landed: re.Pattern[str]
    took_place: re.Pattern[str]
    earlier: re.Pattern[str]
    scheduled: re.Pattern[str]
    assembly: re.Pattern[str]
    planned: re.Pattern[str]
    discussed: re.Pattern[str]
    first_since: re.Pattern[str]
    other_time: re.Pattern[str]
    anniversary: re.Pattern[str]
    departing: re.Pattern[str]


def _compiled(wording: Wording) -> _Compiled:
    flags = re.IGNORECASE
    kinds = [("message", wording.message), ("visit", wording.arrival), ("meeting", wording.meeting)]
    return _Compiled(
        re.compile(wording.video, flags), re.compile(wording.phone, flags), re.compile(wording.spoke, flags),
        re.compile("|".join(f"(?P<{kind}>{words})" for kind, words in kinds), flags),
        re.compile(wording.past, flags), re.compile(wording.preview, flags),
        re.compile(wording.headline_present, flags), re.compile(wording.retrospective, flags),
        re.compile(wording.told_after, flags),
        re.compile(wording.summit, flags), re.compile(wording.sidelines, flags), re.compile(wording.at_airport, flags),
        re.compile(wording.side_trip, flags), re.compile(wording.reported, flags), re.compile(wording.landed, flags),
        re.compile(wording.took_place, flags), re.compile(wording.earlier, flags), re.compile(wording.scheduled, flags), re.compile(wording.assembly, flags),
        re.compile(wording.planned, flags),
        re.compile(wording.discussed, flags),
        re.compile(wording.first_since, flags), re.compile(wording.other_time, flags),
        re.compile(wording.anniversary, flags), re.compile(wording.departing, flags),
    )


_WORDS = {language: _compiled(wording) for language, wording in WORDINGS.items()}
EN = _WORDS["en"]
VIDEO, PHONE, KIND_WORD, PREVIEW = EN.video, EN.phone, EN.kind_word, EN.preview
ABROAD_KINDS = ("call", "video_call", "message")  # events without a place
# one event, however its reports word it: an arrival report of a meeting is a report of the meeting
FAMILY = {"meeting": "in person", "visit": "in person", "call": "remote", "video_call": "remote", "message": "message"}
NAMED = re.compile(r"\b[A-Z][\w'’-]+\s+(?:(?:bin|al|da|de)\s+)?[A-Z][\w'’-]+")


@dataclass(frozen=True)
class Reading:
    """What the meeting step made of one readout: its kind, its event (if it reports one), and why."""

    kind: str | None
    meeting: Meeting | None
    reason: str
    # where no event was read (and the text is no preview or retrospective): who it names, and when
    # it was published, for `cluster` to match against the events read from other reports
    mention: Meeting | None = None


# Words of talks that say nothing of how the two were together: in person, by phone or by video.
GENERIC_TALKS = frozenset({"talks", "meeting", "meetings", "discussed", "agreed", "conversations", "bilateral", "signed",
                           "exchange of views", "exchanged views",
                           "discussions", "negotiations"})
# The two people the sentence before names, as a later one calls them ("the two leaders stressed …").
THE_TWO = re.compile(r"\b(?:the\s+two|both)\s+(?:leaders|presidents|heads\s+of\s+state|monarchs|kings|ministers"
                     r"|foreign\s+ministers|prime\s+ministers|men)\b", re.IGNORECASE)
# "Pezeshkian, who arrived in Pakistan on Saturday, held talks ...": the aside is not the event.
# So is one that ends the sentence: "Macron also called Erdogan, who offered to host peace talks."
ASIDE = re.compile(r",\s+who\s+[^,]*(?:,|(?=[.!?]?\s*$))")
# "Pyongyang, November 30 (KCNA) -- ": where and when the story was filed, not the event.
DATELINE_PREFIX = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,30},(?!\s*\()[^\n]{0,60}?(?:\s--?\s|\s[–—]\s|\)\s*[:-]\s|/\s*\.\s|\b[A-Z]{3,}\.\s|\b[A-Z]{3,}\s+--\s)"
    # "Abuja, Nigeria – June 17, 2024 – ": the filing day after the place, between dashes
    r"(?:\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8},?\s+\d{4})\s*[–—-]+\s)?"
    # "Moscow/New Delhi, July 9 (Representative) ", "TEHRAN, November 1. /TASS/. ", "Kazan [Russia], October 23 : "
    r"|^\s*[A-Z][\w .'/\[\]-]{1,40},\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s*\d{4})?"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:[-–—:/.]+\s*(?:[A-Z]{2,}\s*[-–—/.]*\s*)?)?"
    # "ANKARA (UrduPoint News / Sputnik - 08th July, 2023) ": the agency and the day in brackets
    r"|^\s*[A-Z][A-Za-z .'/-]{1,30},?\s\([^()]{0,60}\d[^()]{0,30}\)\s*[-–—:]*\s*"
    # "WASHINGTON (Reuters) - ": a city in capitals and the agency in brackets
    r"|^\s*[A-Z][A-Z .'-]{2,30}\s+\([^)]{1,60}\)\s*(?:[-–—:]+\s*)?"
    # "01/23/2025 January 23, 2025 Trump speaks …", "13:30 JST, August 22, 2023 Prime Minister …": the page's
    # stamp, a day with its year and no preposition before the first words, says when it was posted
    r"|^\s*(?:\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?,?\s+)?(?:\d{1,2}/\d{1,2}/\d{4}\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?\s+(?=[A-Z])"
)


# Someone's greetings, message or letter handed to a leader in person: "conveyed President Vladimir Putin's
# warm greetings to …", "handed over King Salman's letter to …". The one who sent them is not there.
CONVEYED = re.compile(r"\b(?:conveyed|conveys|conveying|delivered|delivers|delivering|handed(?:\s+over)?"
                      r"|hands(?:\s+over)?|passed\s+on)\s+(?P<sender>(?:[A-Z][\w.-]*\s+){0,4}[A-Z][\w.-]*)['’]s\s+"
                      r"(?:[\w-]+\s+){0,2}?(?:greetings|message|letter|wishes)\b")


# "received a written message from …", "sent a letter to …": a message, whoever handed it over.
RECEIVED_MESSAGE = re.compile(r"\b(?:received|receives|receiving)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
                              r"(?:message|letter|cable|telegram)s?\s+from\b", re.IGNORECASE)


# A sentence that dates news by an event just held: "The announcement followed Putin's meeting with …".
FOLLOWED = re.compile(r"\b(?:followed|came\s+after|comes\s+after)\b", re.IGNORECASE)

# A message given face to face: "Erdogan's message to Putin, delivered during a face-to-face meeting".
DELIVERED_IN_PERSON = re.compile(r"\b(?:during|at|in)\s+(?:a|the|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:meeting|talks)\b",
                                 re.IGNORECASE)


def kind_of(sentence: str, title: str | None = None, words: _Compiled = EN) -> str | None:
    """The kind of event a sentence reports, the title deciding when the sentence does not say.

    A call or a video call is nobody anywhere together, whatever else the sentence says; an arrival
    report that says the leaders met (or held talks) reports the meeting.
    """
    sentence = words.assembly.sub("", words.planned.sub("", words.earlier.sub("", ASIDE.sub(",", sentence))))
    title = words.assembly.sub("", words.planned.sub("", words.earlier.sub("", title or "")))
    for text in (sentence, title):
        if words.video.search(text):
            return "video_call"
        if words.phone.search(text):
            return "call"
    if words is EN and CONVEYED.search(sentence):
        return "meeting"  # "Volodin conveyed Putin's greetings to Raisi": the envoy met him, greetings in hand
    together = [m.group(0) for m in words.kind_word.finditer(sentence) if m.lastgroup == "meeting"]
    # "Lavrov and Rubio discussed steps …, the ministry said following a conversation between them": what was said
    # tells nothing of how, the conversation does, unless the sentence puts them in one place
    talked = not together or all(words.discussed.fullmatch(word) for word in together) and _city_at(sentence) is None
    if words.spoke.search(sentence) and talked \
            and not SIDELINES_OF.search(sentence):  # "spoke with Xi on the sidelines of the G20": they were there together
        return "call"
    matches = list(words.kind_word.finditer(sentence)) or list(words.kind_word.finditer(title or ""))
    found = [match.lastgroup for match in matches]
    if not found:
        return None
    if (found[0] == "message" or (words is EN and RECEIVED_MESSAGE.search(sentence))) and not (
            words is EN and DELIVERED_IN_PERSON.search(sentence)):
        return "message"  # "received a written message from Raisi": whoever handed it over, the event is the message
    if "meeting" in found and not words.at_airport.search(sentence):
        return "meeting"
    if "visit" in found or words.at_airport.search(sentence):
        return "visit"
    return "meeting" if "meeting" in found else found[0]


def extract_meeting(
    text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None = None,
    place: str | None = None,
) -> Meeting | None:
    """The event a readout reports, or None when its lead names no event of known people."""
    return read(text, title, published, gazetteer, lead, place).meeting


# An opening sentence about an event this many days before publication is taken only when no later
# sentence of the lead reports one nearer publication: a stale first paragraph recalls an earlier meeting.
STALE_DAYS = 14
# News of an event is written within weeks; a text telling an event older than this in the passive or
# the pluperfect ("the treaty was signed on January 17") looks back at it. (An official site may date
# its own readout months late: "received … on February 25, 2019" on a page of July is still the report.)
NEWS_DAYS = 60
# An event told as this many days older than the text is history, however it is told ("On 19 November 1985,
# Reagan and Gorbachev met", "his visit to Damascus on January 7, 2020" in a text of 2021); a readout dated
# months late by its own site is still within it.
HISTORY_DAYS = 365


def read(
    text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None = None,
    place: str | None = None, language: str | None = None, known: Sequence[str] = (),
) -> Reading:
    """Read a readout's event from its lead: the lead first, then the first paragraphs of the text.

    `place` is the page's own place line where it has one ("The Kremlin, Moscow"); `language` chooses
    the wording read (English where the step knows no other); `known` are the people the corpus
    knows, whom a readout may name by surname alone. Where no event is read from a text that is no
    preview or retrospective (a language the step has no wording for, wording it does not know), the
    reading keeps whom the text names: the press of one meeting in many languages names its people.
    """
    reading = _read_story(without_captions(text) or "", title, published, gazetteer, without_captions(lead), place,
                          language, known)
    if reading.meeting is None and reading.reason.startswith(NO_EVENT) and any(CAPTION.search(block) for block in blocks_of(text) + blocks_of(lead)):
        # a photo's caption is read for the event only when the story's sentences report none
        reading = _read_story(text, title, published, gazetteer, lead, place, language, known)
    if reading.meeting is not None or not reading.reason.startswith(NO_EVENT):
        return reading
    if language and primary(language) not in (*languages.LANGUAGES, *WORDINGS):
        remote = _remote(text, title, published, gazetteer, lead, language, known)
        if remote is not None:
            return remote
    return Reading(reading.kind, None, reading.reason, _mention(text, title, published, gazetteer, lead, language, known))


def _read_story(text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None,
                place: str | None, language: str | None, known: Sequence[str]) -> Reading:
    if primary(language) in languages.LANGUAGES:
        return _read_in(primary(language) or "", text, title, published, gazetteer, lead, known)
    return _read_english(text, title, published, gazetteer, lead, place, language, known)


NO_EVENT = "no event"
# "Telephone" and "video conference" are one word across languages and scripts, once in Latin letters
# (телефонски, telefoniczną, Telefonat, टेलीफोन, τηλεφωνική; видеоконференция, videoconferenza).
TELEPHONE = re.compile(r"\b(?:te?l[ei](?:f|ph|p[ao]n)|til[ei]f)\w*|\bph'?one?\b")
VIDEO_CONFERENCE = re.compile(r"\bvid[eiy]+o\W?\s*(?:k|c)onf")


def _remote(text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None,
            language: str | None, known: Sequence[str]) -> Reading | None:
    """A call in a language the step has no wording for: the first sentence of the title and first
    paragraphs that says "telephone" (or "video conference") and names two people. A call has no place,
    and its day is the publication's: nothing else is read in such a language."""
    day = _published(published)
    people = _known_people(gazetteer, known)
    parts = [title or "", *blocks_of(lead), *blocks_of(text)[:MENTION_PARAGRAPHS]]
    for sentence in (s.strip() for part in parts for s in FOREIGN_SENTENCE_END.split(part) if s.strip()):
        latin = anyascii(sentence).lower()
        kind = "video_call" if VIDEO_CONFERENCE.search(latin) else "call" if TELEPHONE.search(latin) else None
        if kind is None:
            continue
        participants = tuple(sorted({name for _, name in _names_in(sentence, people, gazetteer, primary(language) or "en", day)}))
        if len(participants) < 2:
            continue
        meeting = Meeting(
            date=day.isoformat() if day else None, place=None, participants=participants, kind=kind,
            people=tuple(PersonRecord(name, None, None, tuple(gazetteer.people[name].aliases) if name in gazetteer.people else ())
                         for name in participants),
            date_basis="published", sentence=_short(sentence, 400),
            date_evidence=f"the text names no day it can read: published {day}" if day else "no date at all",
            named=participants,
        )
        word = "video conference" if kind == "video_call" else "telephone"
        return Reading(kind, meeting, f"reports a {kind.replace('_', ' ')} (“{word}” in any language): “{_short(sentence)}”")
    return None


def _read_english(
    text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None,
    place: str | None, language: str | None, known: Sequence[str],
) -> Reading:
    words = _WORDS.get((language or "en").split("-")[0].lower(), EN)
    paragraphs = blocks_of(lead) + lead_paragraphs(text)
    by_paragraph = [sentences(paragraph) for paragraph in paragraphs]
    lead_sentences = [sentence for group in by_paragraph for sentence in group]
    surnames = {name.split()[-1] for name in known}
    joined = " ".join((title or "", *paragraphs))
    if not NAMED.search(joined) and not any(re.search(rf"\b{re.escape(s)}\b", joined) for s in surnames) \
            and not gazetteer.spans(joined, _published(published)):
        # no two capitalised words in a row, nor a name of the list ("Putin hosted Erdogan"): nobody is named (and
        # the datasets need not be loaded)
        return Reading(None, None, f"{NO_EVENT}: the lead names nobody")
    parts = (title or "", *paragraphs)
    cast = Cast((found for number, part in enumerate(parts) for found in recognise(part)
                 if not capitalises_every_word(part) or told_elsewhere(found, parts[:number] + parts[number + 1 :])), known)
    filed = _filed_day(paragraphs, _published(published))
    day_published = filed or _published(published)

    def people(sentence: str, kind: str | None) -> list[tuple[int, str]]:
        days = dates_in(sentence, day_published)
        return _people(sentence, days[0] if days else day_published, kind, gazetteer, cast)

    def reported_later(index: int, named: list[tuple[int, str]]) -> bool:
        """Whether a later sentence of the lead reports, in the past, an event of two of the people a sentence
        announces, on no other day: a headline or a first line looks ahead ("What Wong will discuss with Wang",
        "… welcomed ahead of his meeting with Albanese") and the story tells the event ("Albanese and Modi held
        talks"). A sentence that recalls an earlier one ("they last met in May") tells no event of this text."""
        announced = {name for _, name in named}
        # the day it announces, its own, or the days just before it: "… are due to hold a second day of talks. They
        # shook hands at the start of the first day of talks on March 20" reports the first day
        days = set(dates_in(lead_sentences[index], day_published)) | {day_published} | (
            {day_published - timedelta(days=back) for back in range(1, FILED_DAYS + 1)} if day_published else set())
        for later in lead_sentences[index + 1 :]:
            told = set(dates_in(later, day_published))
            # a verb telling the event, outside quotes: "… there will be a meeting tomorrow,” he said" tells none
            told_past = [m.group(0).lower() for m in words.past.finditer(QUOTED.sub(" ", later))]
            if (kind_of(later, None, words) is None or all(verb in REPORTING for verb in told_past)
                    or _announces(later, day_published, words)
                    or words.earlier.search(later) or words.retrospective.search(MARKS_ANNIVERSARY.sub("", later))
                    or RECALLED.search(later)
                    or not told <= days or (not told and EARLIER_TIME.search(later))):
                continue
            # the announced people, two of them, or the one a caption names ("Macron arrives … ahead of the summit")
            if sum(any(same_person(name, one) for one in announced)
                   for name in {n for _, n in people(later, None)}) >= min(2, len(announced)):
                return True
        return False

    def just_happened(sentence: str) -> bool:
        """A sentence after a preview's that tells an event of its own, just now: "Putin suggested the UAE could
        host his meeting with Trump. The announcement followed Putin's meeting with the UAE President"."""
        days = dates_in(sentence, day_published)
        told = QUOTED.sub(" ", sentence)
        return (words.past.search(told) or FOLLOWED.search(told)) is not None and not (
            RECALLED.search(sentence) or words.earlier.search(sentence) or words.retrospective.search(sentence)
            or EARLIER_TIME.search(sentence)) and all(
            day_published is not None and 0 <= (day_published - day).days <= 1 for day in days)

    candidates: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    alone: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    landed: int | None = None  # the lead's sentence telling that someone has arrived, if one does
    announced: str | None = None  # the sentence of a preview, when the lead has told no event before it
    to_come: set[str] = set()  # the people it announces: an event of theirs the lead tells next is the one to come
    for index, sentence in enumerate(lead_sentences):
        kind = kind_of(sentence, title, words)
        # an event still to come ("a potential location for a summit with Trump") is no word of this one's
        own = words.planned.sub("", sentence)
        if kind is None or not (words.kind_word.search(own) or words.phone.search(own)
                                or words.video.search(own) or words.spoke.search(own)):
            continue
        named = people(sentence, kind)
        if len({name for _, name in named}) < 2 and index and THE_TWO.search(sentence) \
                and len({name for _, name in people(lead_sentences[index - 1], None)}) >= 2:
            # "King Abdullah and President Sisi on Monday reiterated … During a meeting at Basman Palace, the two
            # leaders stressed …": the two are the ones the sentence before names; together they tell the event
            sentence = f"{lead_sentences[index - 1]} {sentence}"
            named = people(sentence, kind)
        # other events' people: the summit's, "on the sidelines of the summit with Erdogan"; "… the understandings
        # reached during the call between Putin and Trump"; "Following his informal meeting with Xi in Wuhan last
        # month, Modi met Putin" (where the rest names its own two: not "After Putin landed, he met Xi")
        others = [clause.span() for clause in (SIDELINES_OF.search(sentence), *words.earlier.finditer(sentence)) if clause]
        fronted = FRONTED.match(sentence)
        if fronted and _words_an_event(sentence[fronted.end() :], words) \
                and len({name for offset, name in named if offset >= fronted.end()}) >= 2:
            others.append(fronted.span())
        named = [(offset, name) for offset, name in named if not any(start <= offset < end for start, end in others)]
        if not named:
            continue
        # an arrival report, or one written while the day's talks are on, tells what comes next in the
        # future ("Pezeshkian has arrived in Moscow. Putin will welcome him at the Kremlin"; "Putin will
        # welcome Pezeshkian later today"): the talks of the day it was written, not a preview
        live = landed is not None or _today(sentence, day_published)
        # an opening written as someone sets off announces; later, it recalls the departure of an arrival told
        if not live and (_announces(sentence, day_published, words) or index == 0 and _sets_off(sentence, words)):
            if not candidates and not reported_later(index, named):
                if announced is None:  # a preview, unless the lead goes on to another event, just held
                    announced, to_come = sentence, {name for _, name in named}
            continue  # what it announces, a later sentence tells (or an earlier one did): that sentence is the event's
        if announced is not None and not just_happened(sentence):
            continue
        if kind == "visit" and len({n for _, n in named}) < 2 and index + 1 < len(lead_sentences):
            # "Putin has arrived in the DPRK. At the airport he was welcomed by Kim Jong Un."
            following = lead_sentences[index + 1]
            # not from a sentence that only recalls earlier events ("He and Lavrov have already met four times")
            recalls = words.earlier.search(following) is not None and kind_of(following, None, words) is None
            borrowed = [] if recalls else [(offset + len(sentence) + 1, name) for offset, name in people(following, kind)]
            if (borrowed and not candidates and not live and not words.landed.search(sentence)
                    and _announces(following, day_published, words) and not reported_later(index + 1, borrowed)):
                # a heading ("Statement on the Visit of President Lula") over the sentence that tells the visit
                # as one to come ("Biden looks forward to welcoming Lula on Friday, February 10")
                return _preview(following, day_published, words)
            named += borrowed
            if borrowed and kind_of(following, None, words) == "meeting":
                kind = "meeting"  # "… arrived in Moscow. Putin will welcome him in the Kremlin": the talks of the visit
        if landed is None and words.landed.search(sentence) and not _announces(sentence, day_published, words) and all(
                day_published is None or abs((day_published - day).days) <= 1 for day in dates_in(sentence, day_published)):
            landed = index
        if announced is not None and all(any(same_person(name, one) for one in to_come) for _, name in named):
            continue
        if len({name for _, name in named}) >= 2:
            candidates.append((index, sentence, kind, named))
        elif kind == "visit" and named:
            alone.append((index, sentence, kind, named))  # "Putin arrives in Tehran": taken if nothing names two
    if announced is not None and not candidates:
        return _preview(announced, day_published, words)
    # a headline that only names the event ("Putin Hints at UAE as Venue for Trump Summit") is not its report where
    # a sentence of the story tells one
    reporting = [c for c in candidates if not (title and c[1].strip() == title.strip()
                                               and not words.headline_present.search(c[1]) and not words.past.search(c[1]))]
    candidates = reporting or candidates
    title_kind = kind_of(title, None, words) if title else None
    in_title = {name for _, name in people(title, title_kind)} if title and title_kind else set()
    if len(in_title) >= 2:
        # the headline says who met: the event's sentence is the first that names them all
        agreeing = [c for c in candidates if all(any(same_person(t, n) for _, n in c[3]) for t in in_title)]
        candidates = agreeing + [c for c in candidates if c not in agreeing]
    candidates += alone
    if not candidates and title and lead_sentences:
        # Kremlin style: "Meeting with President of Venezuela Nicolas Maduro", then "Vladimir Putin and ... discussed"
        kind = kind_of(lead_sentences[0], title, words)
        named = people(title, kind) + people(lead_sentences[0], kind)
        if kind is not None and len({name for _, name in named}) >= 2:
            if _announces(lead_sentences[0], day_published, words) or _sets_off(lead_sentences[0], words):
                return _preview(lead_sentences[0], day_published, words)
            candidates.append((0, lead_sentences[0], kind, named))
    if not candidates:
        return Reading(None, None, f"{NO_EVENT}: no sentence of the lead names a meeting, call, message or visit of two people")
    found = candidates[0]
    for candidate in candidates[1:]:
        first_day = _event_day(found[1], lead_sentences[found[0] + 1 :], day_published, words)[0]
        if not (first_day and day_published and (day_published - first_day).days > STALE_DAYS):
            break
        later_day = _event_day(candidate[1], [], day_published, words)[0]
        other_people = {n for _, n in candidate[3]} != {n for _, n in found[3]}
        if (later_day is None and other_people) or (later_day and (day_published - later_day).days <= STALE_DAYS):
            found = candidate  # the opening recalled an older event; this one is the news
            break
    if found[2] == "meeting" and words.headline_present.search(found[1]) and not words.past.search(found[1]):
        # "Presidents of Turkey and Iran meet to discuss …" over "Erdogan spoke by phone with Raisi": a headline's
        # "meet" is the gist, the story's sentence of the same people says how
        gist = {name for _, name in found[3]}
        found = next((c for c in candidates if c[2] in ("call", "video_call") and c[0] > found[0]
                      and gist <= {name for _, name in c[3]}), found)
    elif found[2] == "message" and found[1] == (title or "").strip() and not words.past.search(found[1]):
        # "Putin congratulates new Iranian president" over "Putin has spoken with his newly elected Iranian
        # counterpart": the headline tells what was said, the story's first sentence of them how
        gist = {name for _, name in found[3]}
        found = next((c for c in candidates if c[0] > found[0] and gist <= {name for _, name in c[3]}), found)
    index, sentence, kind, named = found
    if landed is not None and kind == "meeting" and (ARRIVED_FOR.search(sentence) or not dates_in(sentence, day_published)):
        # "… has arrived in Moscow to hold talks with his Russian counterpart. … during their scheduled meeting on
        # Wednesday": the talks an arrival report announces for another day are still to come
        ahead = next((later for later in lead_sentences[index + 1 :] if _coming_day(later, day_published, words)
                      and any(m.lastgroup == "meeting" for m in words.kind_word.finditer(later))), None)
        if ahead is not None:
            return _preview(ahead, day_published, words)
    # the days the event's sentence names, else its publication's: a later sentence on another day tells another event
    said_days: set[date | None] = set(dates_in(sentence, day_published)) or {day_published}
    if kind == "visit" and len({name for _, name in named}) >= 2 and RECEIVING.search(sentence) \
            and not words.landed.search(sentence) \
            and not any(kind_of(later, None, words) == "meeting" for later in lead_sentences[index + 1 :]):
        # "… welcomed Qatar's Emir upon his arrival at Damascus Airport", and the lead tells no talks: the host met
        # the visitor there (the visitor's "arrived in Pyongyang, where he was welcomed at the airport" tells the
        # arrival; talks the lead tells next are the meeting, below, or another day's)
        kind = "meeting"
    if kind == "visit" and len(taking_part := {name for _, name in named}) >= 2:
        # "… greeted the visiting president at the airport. The two presidents then held talks": the host met
        # the visitor on arrival, and the talks the lead tells next, of no one else and on no other day, are theirs
        if any(kind_of(later, None, words) == "meeting"
               and {name for _, name in people(later, "meeting")} <= taking_part
               and set(dates_in(later, day_published)) <= said_days
               for later in lead_sentences[index + 1 :]):
            kind = "meeting"
    meeting_words = [m.group(0) for m in words.kind_word.finditer(words.earlier.sub("", sentence)) if m.lastgroup == "meeting"]
    if kind == "meeting" and meeting_words and all(words.discussed.fullmatch(w) for w in meeting_words):
        # "Erdogan and Putin discussed ways to improve relations": how they were together, the sentence
        # before or after says ("… spoke on the phone on Friday"), on no other day
        for neighbour in lead_sentences[max(0, index - 1) : index] + lead_sentences[index + 1 : index + 2]:
            remote = kind_of(neighbour, None, words)
            told = set(dates_in(sentence, day_published))
            # a day to come there is a plan's ("… ahead of the president's Nov. 12 visit"), not another day of theirs
            past = {day for day in dates_in(neighbour, day_published) if day_published is None or day <= day_published}
            if remote in ("call", "video_call") and (not told or past <= told):
                kind = remote
                break
    if kind in ("meeting", "call") and not words.phone.search(sentence) and not words.video.search(sentence) and all(
            m.group(0).lower() in GENERIC_TALKS for m in words.kind_word.finditer(words.earlier.sub("", sentence))):
        # "Putin spoke Friday with Xi …. Their end-of-year video call …", "held talks on Friday … Putin and Xi held
        # talks in a video conference format": talks worded by no how are what the lead says next of them, on no
        # other day
        talks_days: set[date | None] = set(dates_in(sentence, day_published)) or {day_published}
        if any(words.video.search(words.earlier.sub("", later)) and set(dates_in(later, day_published)) <= talks_days
               for later in lead_sentences[index + 1 : index + 4]):
            kind = "video_call"
        elif kind == "meeting" and not _place_in(sentence, gazetteer) and any(
                words.phone.search(words.earlier.sub("", later)) and set(dates_in(later, day_published)) <= talks_days
                for later in lead_sentences[index + 1 : index + 4]):
            kind = "call"  # "Putin and Aliyev hold urgent talks …. Putin made a second call in two days to Aliyev"
    retrospective = (words.retrospective.search(MARKS_ANNIVERSARY.sub("", words.first_since.sub("", sentence)))
                     or words.retrospective.search(MARKS_ANNIVERSARY.sub("", words.first_since.sub("", title or ""))))
    said_day = _event_day(sentence, [], day_published, words)[0]
    anniversary = words.anniversary.search(sentence)
    if anniversary or retrospective and (
            said_day is None or day_published is None or (day_published - said_day).days > STALE_DAYS):
        looking_back = next(m.group(0) for m in (anniversary, retrospective) if m)
        return Reading(None, None, f"not an event: a retrospective (“{looking_back}”) looks back, it reports no new event")
    month = _month_named(sentence) if said_day is None and day_published else None
    if month and day_published and (day_published - month).days > STALE_DAYS:
        # "… met for the first time at the Quad summit in Tokyo in May 2022", written in March 2023: that month's
        return Reading(None, None, f"not an event: a retrospective: the event it names, in {month:%B %Y}, is"
                                   f" at least {(day_published - month).days} days older than the text")
    caption = next((group for group in by_paragraph if sentence in group), [])
    if said_day and day_published and (day_published - said_day).days > STALE_DAYS and CAPTION.search(" ".join(caption)):
        # "Xi and Biden meet in Bali on November 14. Photo: AFP" over a story of weeks later: the picture's event
        return Reading(None, None, f"not an event: a retrospective: a photo's caption shows the event, on {said_day},"
                                   f" {(day_published - said_day).days} days before the text")
    if said_day and day_published and (day_published - said_day).days > HISTORY_DAYS:
        return Reading(None, None, f"not an event: a retrospective: the event it names, on {said_day}, is"
                                   f" {(day_published - said_day).days} days older than the text")
    if said_day and day_published and (day_published - said_day).days > NEWS_DAYS and words.told_after.search(sentence):
        return Reading(None, None, f"not an event: a retrospective: the event it names, on {said_day}, is"
                                   f" {(day_published - said_day).days} days older than the text")
    named_anywhere = tuple(sorted({name for _, name in people(sentence, None)} | {name for _, name in named}))
    # "… met Raisi in advance of a trilateral summit with Putin": the summit is another event's word
    own_clauses = _without_other_events(sentence)
    if kind == "meeting" and not words.summit.search(own_clauses):
        named = _one_host_each(named, gazetteer, _said_day(sentence, day_published), cast)
    named = _first_of_many(sentence, named)
    participants = tuple(sorted({name for _, name in named}))

    paragraph = next((group for group in by_paragraph if sentence in group), [sentence])
    # the day the lead gives the event (read again below in the place's time zone), else its publication's
    told_day = _event_day(sentence, lead_sentences[index + 1 :], day_published, words, kind=kind)[0] or day_published
    # where the lead tells this event again, paragraphs later, on no other day: from the talks as the subject
    # ("The talks took place during the forum held in Ashgabat"); and after a headline, which is only the gist,
    # the sentence that has the same people meet ("Hu Jintao holds talks with Mongolian president" / "Hu held
    # talks with Elbegdorj in Beijing"), up to any plan it adds ("… ahead of official talks in the Kremlin")
    headline = sentence == (title or "").strip() or (len(paragraph) == 1 and sentence.rstrip()[-1:] not in ".!?\"”")
    telling_where = []
    for later in lead_sentences[index + 1 :]:
        days = set(dates_in(later, day_published))
        subject = words.took_place.search(later)
        if subject and days <= said_days:
            telling_where.append(later[subject.start() :])
        elif headline and days <= {told_day} and kind_of(later, None, words) == "meeting" and words.past.search(later) \
                and {name for _, name in people(later, kind)} == set(participants):
            plan = words.preview.search(later)
            telling_where.append(later[: plan.start()] if plan else later)
    # the paragraph's other sentences tell this event's place only on no other day ("… received him at Expo in Dubai
    # on Wednesday. He had arrived in Abu Dhabi on Tuesday": that is the arrival's city)
    same_day = [other for other in paragraph
                if other == sentence or set(dates_in(other, day_published)) <= said_days | {None}]
    where, place_evidence = (None, "") if kind in ABROAD_KINDS else _place(
        sentence, named, same_day, gazetteer, cast, place, title, words, telling_where)
    zone = world().timezone(where)
    day_published = filed or _published(published, zone)
    day, date_evidence = _event_day(sentence, lead_sentences[index + 1 :], day_published, words, kind=kind)
    previous = lead_sentences[index - 1] if index and lead_sentences[index] == sentence else None
    if day is None and previous and FAMILY.get(kind_of(previous, None, words) or "") == FAMILY[kind]:
        # "The Sultan arrived in Tehran yesterday. During the visit, Khamenei received him.": the day told
        # just before, of the same event
        day, date_evidence = _event_day(previous, [], day_published, words)
    if day is None and landed is not None and landed < index:
        # the talks an arrival report announces are on the day of the arrival it tells
        day, date_evidence = _event_day(lead_sentences[landed], [], day_published, words)
    if filed and filed != _published(published):
        date_evidence = date_evidence.replace(f"(published {filed})", f"(the dateline's day, {filed})")
    if day and day_published and (day_published - day).days > HISTORY_DAYS:
        # "Khamenei's old tweet goes viral, when he met PM Modi in 2016 … on May 23, 2016": a later sentence dates the
        # event the headline tells, years before the text
        return Reading(None, None, f"not an event: a retrospective: the event it names, on {day}, is"
                                   f" {(day_published - day).days} days older than the text")
    basis = "text" if day else "published"
    if day is None:
        day, said = _event_day(sentence, lead_sentences[index + 1 :], day_published, words, attributed=True, kind=kind)
        date_evidence = f"the text names the day it was reported: {said}" if day else (
            f"the text names no day: published {day_published}" if day_published else "no date at all")
        day = day or day_published
    summary = VISIT_SUMMARY.search(sentence) if words is EN else None
    if summary:
        # "… returned home on Saturday after wrapping up her two-day state visit to India": the whole visit, which
        # began the days it lasted before
        kind = "visit"
        length = summary.group("days")
        lasted = int(length) if length and length.isdigit() else NUMBER_WORDS.get((length or "").lower())
        if day and lasted:
            day -= timedelta(days=lasted - 1)
            date_evidence += f" ends the {length}-day visit it sums up, begun {lasted - 1} day(s) before"
        visited = world().country(summary.group("country")) if summary.group("country") else None
        if where is None and visited and (capital := world().capital(visited)):
            where, place_evidence = capital, f"a state visit to {summary.group('country')}: its capital"
    setting = "summit" if words.summit.search(sentence) and not words.sidelines.search(sentence) else (
        "sidelines" if words.sidelines.search(sentence) and words.summit.search(sentence) else None)
    meeting = Meeting(
        date=day.isoformat() if day else None,
        place=where,
        participants=participants,
        kind=kind,
        people=tuple(_person_record(name, gazetteer, cast) for name in participants),
        date_basis=basis,
        sentence=_short(sentence, 400),
        date_evidence=date_evidence,
        place_evidence=place_evidence,
        named=named_anywhere,
        setting=setting,
    )
    return Reading(kind, meeting, f"reports a {kind.replace('_', ' ')}: “{_short(sentence)}”")


# A report of the end of a visit that sums it up: "returned home … after wrapping up her two-day state visit",
# "returned to Moscow following a three-day visit to Uzbekistan".
VISIT_SUMMARY = re.compile(r"\breturn(?:ed|s|ing)\s+(?:home|to\s+(?-i:[A-Z])[\w-]+)\b[^.;]*?\b(?:after|from|following|concluding|wrapping\s+up"
                           r"|completing|at\s+the\s+end\s+of)\b[^.;]*?\b(?:(?P<days>\d+|two|three|four|five|six|seven)"
                           r"-day\s+)?(?:(?:state|official|working)\s+)?visit\b"
                           r"(?:\s+to\s+(?P<country>(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}))?", re.IGNORECASE)
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


# --- Russian, Persian and Arabic: the same model, each language's wording from harvester.languages -------------

# Sentence ends in the scripts read here (the Arabic question mark included).
FOREIGN_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
# "دمشق 21 نوفمبر 2017 / …", "МОСКВА, 25 июл — …": where and when the story was filed, not the event
# (the date, marked \0, after a city's name at most and before a dash, slash or colon).
FOREIGN_DATELINE = re.compile(r"^\W*(?:\w+[\s,،-]*){0,3}\0\.?\s*[-–—/:(]")
# The lexicons' office of "his Russian counterpart" (коллега, همتا, نظير).
COUNTERPART = "counterpart"
# The word before an office that makes its holder someone else: a deputy, a vice-.
DEPUTY = re.compile(r"(?:نائب|معاون|مساعد|заместител\w*|замглавы|вице-?)\s*$", re.IGNORECASE)
# Elected, after an office (Arabic, Persian) or before it (Russian): its holder-to-be, not the holder that day.
ELECTED_AFTER = re.compile(r"\s*(?:ال)?منتخب")
ELECTED_BEFORE = re.compile(r"(?:ново)?избранн\w*\s+$", re.IGNORECASE)
# The word before an office that makes the name after it an aide's: "пресс-секретарь президента России Дмитрий Песков".
AIDE = re.compile(r"(?:секретар\w*|помощник\w*|советник\w*|представител\w*|متحدث|مستشار|سخنگو\S*|مشاور)\s*$",
                  re.IGNORECASE)
# Welcomed at the airport: an arrival, whoever stands there (the English `at_airport`).
AIRPORT = re.compile(r"مطار|аэропорт|فرودگاه", re.IGNORECASE)
# Arrived (a verb in the past, not the noun "visit" or "trip"), folded: what an arrival report says before
# the talks it announces; Persian "رسید" as `fold` writes it, with the Arabic ye.
ARRIVED = re.compile(r"(?<!\w)[وف]?وصل(?:ت)?(?!\w)|прибыл|прилетел|وارد\s+\S*\s*شد|(?<!\w)رسيد(?:ند)?(?!\w)")
# A departure for somewhere, folded ("غادر القاهرة مساء الأحد إلى جدة", "توجه إلى", "вылетел в Пекин", "عازم جده شد"):
# the trip begins and its talks are to come. (Leaving the host's city, "تهران را ترک کرد", ends a visit it reports.)
DEPARTED_FOR = re.compile(r"(?<!\w)[وف]?(?:غادر|توجه|متوجها)\w*\s+(?:\S+\s+){0,8}?(?:الي|نحو)(?!\w)"
                          r"|(?:вылетел|вылетает|отбыл|отправился|направился)\w*\s+(?:\S+\s+){0,4}?в(?!\w)"
                          r"|(?<!\w)عازم(?!\w)|به\s+مقصد")
# A return home before the city it names ("يعود إلى بغداد", "بازگشت به تهران", "вернулся в Москву"): the city
# the trip ended in, not the one its talks were in.
RETURNED = re.compile(r"(?:يعود|عاد|عودته|بازگشت|برگشت|вернул\w*|возвращ\w*)\s+\S+\s*$")
# A verb of saying and the colon that opens what was said ("اظهار داشت: … خواهد شد", "وقال: …"): a future
# after it is the speaker's view of what is to come, not the tense of the event the sentence reports.
SAID = re.compile(r"(?:گفت|اظهار[\s\u200c]*داشت|افزود|تصریح[\s\u200c]*کرد|تا[كک]ید[\s\u200c]*کرد|تأکید[\s\u200c]*کرد|"
                  r"قال|وقال|أضاف|وأضاف|заявил|сказал|отметил)\s*:")
# An Arabic event's noun or verb with "his", "her" or "their two" joined ("استقباله", "لقائها", "زيارتهما"; a
# feminine noun's ة is no pronoun): the person is the one the sentence before is about.
HIS = re.compile(r"(?:ه|ها|هما)$")
# Saying, after the event's words: a verb of saying and its colon, or the participle that goes on to what was
# said ("قائلا ان …", "مضيفا", "заявив, что").
SPOKEN = re.compile(rf"{SAID.pattern}|(?<!\w)(?:قائلا|قائلاً|قائلة|مضيفا|مضيفاً|مؤكدا|مؤكداً)(?!\w)|заявив|отметив|подчеркнув",
                    re.IGNORECASE)
# "accepting the invitation of King Salman to the summit": in a call, the one whose invitation the two
# speak of is named, not on the line (in a visit the inviter is the host, and takes part)
INVITER = re.compile(r"(?:دعوه|دعوت|приглашени\w*)\s+(?:\S+\s+){0,3}$", re.IGNORECASE)
# Congratulations, in the words of the languages read: said in a message or on the phone.
CONGRATULATED = re.compile(r"поздрав|هن[اأ]|تهنئ|تبریک|تبريك|congratulat", re.IGNORECASE)
# The kinds of event held apart, which a sentence after a verb of talks that says nothing of how may tell.
REMOTE_KINDS = ("video_call", "call", "message")
# A kind of event before another when a sentence words both: a call is nobody anywhere together.
KIND_ORDER = ("video_call", "call", "message", "meeting", "visit")


# The fewest words of a paragraph of the story ("Путин принял Асада"); the paragraphs with fewer before the first
# that has them ("Москва", "21 ноября 2025 / 17:39", "USD") are the page's furniture. A word: two letters or more.
STORY_WORDS = 3
STORY_WORD = regex.compile(r"(?<!\w)[\p{L}\p{M}\u200c]{2,}(?!\w)")


def _run_on(blocks: list[str], language: str) -> list[str]:
    """The paragraphs, each joined to the next where it ends in a word no sentence ends with (a place
    preposition, "and", "bin": "استقبل … في" / "الرياض وزير …"): a line the page wrapped by hand."""
    endings = {*languages.lexicon(language).prepositions, *AND, *PATRONYMIC}
    joined: list[str] = []
    for block in blocks:
        last = languages.fold(joined[-1]).split()[-1:] if joined else []
        if last and last[0] in endings:
            joined[-1] = f"{joined[-1]} {block.strip()}"
        else:
            joined.append(block)
    return joined


@dataclass(frozen=True)
class _Known:
    """A person a text in another script may name: the English name and the keys its surname and name take."""

    name: str
    surname: str
    full: str
    # the surname's letters, doubled ones single ("assad" is "asad"): how a two-consonant key is confirmed
    plain: str
    # the "surname" is a father's name after "bin" ("Mohamed bin Zayed"): it names him only after the
    # particle ("بن زايد"); alone it is anyone's given name, or a word ("طریق", a way, keys as Tariq)
    patronymic: bool = False
    # the surname is a house's, after "Al" ("Tamim bin Hamad Al Thani"): the only kind of surname a word
    # after that particle may be ("Аль Саудом" is the House of Saud, not al-Assad, whose key it has)
    house: bool = False
    # the given name's key and letters ("Salman": "slmn", "salman"): a father's name two people share names
    # the one whose given name stands before "bin" ("عبدالله بن عبدالعزيز" is not Salman bin Abdulaziz), and the
    # first word of a pair must spell its letters ("إيلاف من" has the keys of "Ali Khamenei", but Ali has no f)
    given: str = ""
    given_plain: str = ""


def _plain(word: str) -> str:
    """A word in Latin letters, lower-case, without the Arabic article, doubled letters single: "Al-Thani",
    "Асад" and "Assad" are "thani", "asad", "asad"."""
    latin = ARTICLE.sub("", anyascii(word).lower())
    return re.sub(r"(.)\1+", r"\1", "".join(char for char in latin if char.isalpha()))


ARTICLE = re.compile(r"^(?:a[lsdrtnz]|ash|el)'?-")
LATIN_WORD = regex.compile(r"[\p{Latin}\p{M}'’-]+")
# A word longer than a surname by a case ending at most ("Asadom", "Raisijem", "Putin'in"), in languages
# without a lemmatiser here.
CASE_ENDING = 3


# Case endings of a Russian noun, which a surname listed in Cyrillic takes when matched as written ("Байдена",
# "Байденом"), and the conjunction and prepositions Arabic joins to a name's front ("وبايدن", "لبايدن").
RUSSIAN_CASE_ENDINGS = "(?:а|я|у|ю|е|ом|ем|ым|им|ой|ей|ы|и)?"
ARABIC_JOINED = "(?:[وفبل])?"


@cache
def _script_aliases(gazetteer: Gazetteer) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(name, pattern of the folded alias) of the people list's aliases in Arabic, Persian and other scripts that
    do not decline names (Cyrillic ones are keyed, `_known_people`, but for those too short to key: "Сиси", which
    Russian does not decline, and those of people not `keyed`, matched as written with a case ending); compiled
    once per people list, not per sentence."""
    found = []
    for person in gazetteer.people.values():
        for alias in person.aliases:
            cyrillic = bool(CYRILLIC.search(alias))
            if alias.isascii() or (cyrillic and person.keyed and len(languages.name_key(alias.split()[-1])) >= 2):
                continue
            before, after = ("", RUSSIAN_CASE_ENDINGS) if cyrillic else (ARABIC_JOINED, "")
            found.append((person.name, re.compile(rf"(?<!\w){before}{re.escape(languages.fold(alias))}{after}(?!\w)")))
    return tuple(found)


def _known_people(gazetteer: Gazetteer, known: Sequence[str]) -> list[_Known]:
    # the corpus's people known by a Latin name: one known only as a text in another script wrote it is
    # found by that spelling again, and a Latin name settles who they are for every text
    # (but for people not `keyed`, whose surname's key is a common word's: they are found by their spellings)
    unkeyed = {person.name for person in gazetteer.people.values() if not person.keyed}
    names = {name for name in known if fold(name)} - unkeyed
    for person in gazetteer.people.values():
        if person.keyed:
            names.add(person.name)
    found = []
    spellings = [(name, name) for name in sorted(names)]
    # a name Russian translates rather than transliterates (Си Цзиньпин, Ким Чен Ын) is listed in Cyrillic,
    # and declined like any other
    spellings += [(person.name, alias) for person in gazetteer.people.values() for alias in person.aliases
                  if CYRILLIC.search(alias) and person.keyed]
    for name, spelling in spellings:
        if " of " in spelling or len(spelling.split()) < 2:
            continue
        surname = languages.name_key(spelling.split()[-1])
        if len(surname) >= 2:  # "al-Assad" is "sd": vowels and the article go
            plain = _plain(spelling.split()[-1])
            patronymic = len(spelling.split()) > 2 and languages.fold(spelling.split()[-2]) in PATRONYMIC
            house = len(spelling.split()) > 2 and languages.fold(spelling.split()[-2]) in HOUSE
            given = spelling.split()[0]
            found.append(_Known(name, surname, languages.name_key(spelling, compact=True), plain, patronymic, house,
                                languages.name_key(given, compact=True), _plain(given)))
    return found


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# The languages read here that write names in Arabic letters, whose spellings `languages.writes` checks.
ARABIC_SCRIPT = ("fa", "ar")
# "The country", "our country" after an office: the press's own ("رییس جمهور کشور", "وزیر خارجه کشورمان").
OWN_COUNTRY_WORDS = re.compile(r"\s*(?:کشور|کشورمان|كشور|كشورمان)(?!\w)")
# "Month", which Persian may glue to a month's name ("مهرماه", the month of Mehr).
MONTH_WORD = "ماه"
# "And" alone right before an office ("… و رئیس جمهور").
JOINED_BY_AND = re.compile(r"(?:^|\s)و\s*$")
# A monarch's offices: a text may call a sultan or an emir a king ("پادشاه عمان", the Sultan of Oman), and the
# one who holds any of them is the country's monarch.
MONARCHS = ("King", "Sultan", "Emir")
# The most words of a monarch's title and its country read so: the title's one and the country's name.
MONARCH_WORDS = 3
# The most given names before a surname ("محمد اشرف غنی").
GIVEN_NAMES = 2
# "on", "upon" in Arabic, which `fold` writes as the name Ali (علي)
PREPOSITION_ON = "على"
# "House of" in an Arab name (folded: آل is ال, Аль, Al): the word after it is a dynasty's name
HOUSE = {"al", "ال", "аль", "ал"}
# Letters that every Latin spelling of a name writes with a letter of its own: ح, خ and Cyrillic х with an h
# (Muhammad, Khamenei, Hakan), غ with a g (Erdoğan, Ghani), ف and ф with an f or a v (Faisal, Vladimir). A
# word with one, alone, meets no surname without it: محمد is no Medvedev nor Modi, whose keys it has, غنی
# (Ghani) and Хакан (Hakan) no Kani, اشرف (Ashraf: the key drops f, v and w) no al-Sharaa. The h of "gh"
# writes غ, no h of its own: Хакан is no Ghani either.
LATIN_LETTER = {"ح": "h", "خ": "h", "х": "h", "غ": "g", "ف": "fv", "ф": "fv"}
# The letters a name opening with a vowel begins with, in each script (Arabic writes ع and a hamza's seat
# there: عباس is Abbas): a surname of two consonants meets only a word that opens as it does ("اشرف",
# Ashraf, is no Sharif nor al-Sharaa; "الأسد" is Assad once the article is off).
VOWEL_LETTERS = frozenset("اأإآعءئؤаеёиоуыэюяaeiou")
# The fewest letters of a given name's key before a surname glued to it ("دونالدترامپ" is Donald Trump).
GLUED_NAME = 2
# A word in capitals of this many letters at most is an acronym (CNN, ТАСС, ООН), nobody's surname.
ACRONYM_LETTERS = 4


def _names_in(sentence: str, people: Sequence[_Known], gazetteer: Gazetteer, language: str,
              day: date | None, own: str | None = None) -> list[tuple[int, str]]:
    """(offset, English name) of the people a sentence in another script names: by the key of a word (or
    two words) meeting a known person's surname or name, or by an office and country held that day.

    In a language without a lexicon here (Serbian, Hindi, Turkish …) no title or country name is known
    to set aside ("Russia" has the key of Raisi), so a surname of two consonants must be spelled out.
    """
    found: list[tuple[int, str]] = []
    tokens = list(regex.finditer(r"[\w\p{M}\u200c-]+", sentence))  # vowel signs are part of a word
    lexicon = languages.lexicon(language) if language in languages.LANGUAGES else None
    mentioned = languages.offices_in(sentence, language)
    titles = {word for phrase in (*lexicon.honorifics, *lexicon.offices) for word in phrase.split()} if lexicon else set()
    # the language's own words for when, which open sentences capitalised: "Ранее" keys as Rouhani, "Вчера" …
    when = {phrase for phrase in (*lexicon.earlier, *lexicon.relative_days, *lexicon.weekdays) if " " not in phrase} \
        if lexicon else set()
    # and a month after a day's number: "۱۰ مارس" (10 March) keys as Morsi, while "اسد", a Dari month, is Assad too
    months = {*lexicon.months, *lexicon.solar_hijri_months, *lexicon.lunar_hijri_months} if lexicon else set()
    places = {name.removeprefix("ال") for name in lexicon.countries} if lexicon else set()
    long_surnames = {person.surname for person in people if len(person.surname) >= 3}
    # a title of one word right before a name ("الرئيس", "السيد"), not a word of a longer office ("ولي العهد")
    one_word_titles = {phrase for phrase in (*lexicon.honorifics, *lexicon.offices) if " " not in phrase} if lexicon else set()
    demonyms = {demonym.removeprefix("ال") for demonym in lexicon.demonyms} if lexicon else set()  # "السعودي" is "سعودي"
    for index, token in enumerate(tokens):
        word = token.group(0)
        head = re.sub(r"^\w{1,3}-", "", word)  # the article of "аш-Шараа", "al-Assad" is not capitalised
        if word == PREPOSITION_ON:
            continue  # "على الأمن" (on security) keys as "Ali Khamenei": the name is written علي, the word with ى
        if len(word) < 3 or (head[:1].isalpha() and head[0].lower() != head[0].upper() and head[0].islower()):
            continue  # a name is capitalised in the scripts that have capitals
        if word.isupper() and len(word) <= ACRONYM_LETTERS:
            continue  # an acronym: "(CNN)" in an Arabic text keys as Kani, "СА" (Saudi Arabia) as al-Assad
        key = languages.name_key(word, language)
        pair = languages.name_key(" ".join(t.group(0) for t in tokens[index : index + 2]), language, compact=True)
        folded = languages.fold(word)
        if folded in titles or folded.removeprefix("ال") in titles or (language == "ar" and any(
                folded.startswith(prefix) and article + folded[len(prefix):] in titles
                for prefix, article in ARABIC_PREFIXES)):
            continue  # "السيد" (Mr) has the key of "al-Assad", "الرئيس" (the president), "بالرئيس" that of Raisi
        capitalised = head[:1].isupper()
        before = languages.fold(tokens[index - 1].group(0)) if index else ""
        after_particle = before in PATRONYMIC or (before.startswith("و") and before[1:] in PATRONYMIC)  # "وبن سلمان"
        after_house = before in HOUSE
        bare = "".join(name_words(word)[:1]).lower()  # without the article: how the name opens
        if not after_particle and index + 1 < len(tokens) and languages.fold(tokens[index + 1].group(0)) in PATRONYMIC:
            continue  # a given name ("محمد بن زايد", "Мухаммед бен Заид"), nobody's surname: محمد keys as Medvedev
        # or right after an office of several words ("رئیس جمهور غنی", President Ghani)
        titled = before in one_word_titles or before.removeprefix("ال") in one_word_titles or any(
            0 <= token.start() - office.end <= 1 for office in mentioned)
        lemma = languages.russian_lemma(folded) if language == "ru" else folded.removeprefix("ال")
        if folded in when or lemma in when:
            continue
        if (folded in months or folded.removesuffix(MONTH_WORD) in months) and index and tokens[index - 1].group(0).isdigit():
            continue  # and a Persian month with "month" glued: "۱۱ مهرماه" keys as Murmu
        if lemma in places or any(lemma.startswith(demonym) for demonym in demonyms):
            continue  # a country's name or adjective ("России" has the key of Raisi)
        for person in people:
            if lexicon is None:
                plain = _plain(word)
                spelled = plain == person.plain or (
                    len(person.plain) >= 4 and plain.startswith(person.plain) and len(plain) - len(person.plain) <= CASE_ENDING)
                # a word in Latin letters meets a Latin name by its spelling: keys drop too much ("Abdulfettah" keys
                # as Abdelatty); in another script (Cyrillic Serbian, Devanagari) the key is what the two share
                alone = spelled or (key == person.surname and len(person.surname) >= 3 and not LATIN_WORD.fullmatch(word))
            else:
                # a surname of two letters ("al-Assad" is "sd") meets too many words written without vowels:
                # alone, only a capitalised word, or one after a title ("الرئيس رئيسي", President Raisi)
                alone = key == person.surname and (len(person.surname) >= 3 or capitalised or titled
                                                   or _beside_a_name(tokens, index, long_surnames, language))
            if person.patronymic:
                alone = after_particle and key == person.surname and _given_fits(tokens, index, person, titles, people)
            if after_house:
                # the particle vouches for a house's name as a title does ("آل ثاني"), and for nothing else
                alone = person.house and key == person.surname
            if _spelled_without(word, person.plain):
                alone = False
            if len(person.surname) == 2 and bare and (bare[0] in VOWEL_LETTERS) != (person.plain[:1] in VOWEL_LETTERS):
                alone = False
            if language in ARABIC_SCRIPT and not languages.writes(word, person.plain):
                alone = False  # "کمک" (help) has the key of Kamikawa, whose w every spelling writes
            # the second word of a pair is the surname, and must spell its letters too: "محمد أشرف" (Muhammad
            # Ashraf) has the keys of Ahmed al-Sharaa, but al-Sharaa has no f
            second = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
            if second and sentence[token.end() : tokens[index + 1].start()].strip():
                second = ""  # a name is not split by punctuation: "الخيالة، من" is no Ali Khamenei
            # or one word is the whole name, the space between given name and surname lost ("دونالدترامپ")
            glued = " " not in key and key == person.full and len(person.full) > len(person.surname) + GLUED_NAME
            paired = bool(second) and pair == person.full and not _spelled_without(second, person.plain) \
                and not _spelled_without(word, person.given_plain)
            # or three words, as a name of two given names is written ("قاسم جومارت توكاييف", Kassym-Jomart Tokayev),
            # but for a father's name and his ("بن عبدالله بن عبدالعزيز" is a lineage, not Abdullah bin Abdulaziz)
            third = tokens[index + 2] if index + 2 < len(tokens) and second else None
            tripled = third is not None and not after_particle and not sentence[tokens[index + 1].end() : third.start()].strip() and \
                languages.name_key(f"{word} {second} {third.group(0)}", language, compact=True) == person.full \
                and not _spelled_without(third.group(0), person.plain)
            if key and (alone or glued or paired or tripled):
                found.append((token.start(), person.name))
                break
    if lexicon is None:
        # in Latin letters, the list's own spellings too ("Sisi", too short to key), as an English text is read
        found += [(start, name) for start, _, name in gazetteer.spans(sentence, day)
                  if not any(name == other or start == at for at, other in found)]
    folded_sentence, offsets = languages.fold_with_offsets(sentence)
    # a name whose key is too short to trust alone in a script without capitals (Khamenei is "mn", as "من" is)
    aliases = [(match.start(), match.end(), person_name) for person_name, alias in _script_aliases(gazetteer)
               for match in alias.finditer(folded_sentence)]
    # the longest alias written wins: "مجتبی علی خامنه‌ای" is Mojtaba Khamenei, not his father "خامنه‌ای" nor
    # "علی خامنه‌ای", whose key its last two words have
    longest = [(start, end, name) for start, end, name in aliases
               if not any(s <= start and end <= e and e - s > end - start for s, e, other in aliases if other != name)]
    found = [(at, name) for at, name in found
             if not any(offsets[s] <= at < offsets[e - 1] + 1 and other != name for s, e, other in longest)]
    for start, _, person_name in longest:
        if not any(name == person_name for _, name in found):
            found.append((offsets[start], person_name))
    # a counterpart holds the office of the one he met: the sentence's other office, else the office that day of
    # whom the sentence names ("عراقجي … نظيره المصري" is Egypt's foreign minister), else a head of state's
    held = next((o.office for o in mentioned if o.office != COUNTERPART), None) or next(
        (office for _, name in found if (office := _office_of(gazetteer, name, day))), "President")
    offices = [(o.start, held if o.office == COUNTERPART else o.office, o.country) for o in mentioned if o.country]
    if own is not None:
        # the press of a country (`languages.own_country`: Iran's, Afghanistan's for Dari) opens a sentence with its
        # own official's office alone, as its subject ("رئیس جمهور روز گذشته در تماس تلفنی با … رئیس جمهور ترکیه"),
        # or writes "the country's" after it ("رییس جمهور کشور"), where no name follows to say who holds it
        offices += [(o.start, o.office, own) for o in mentioned
                    if o.country is None and o.office != COUNTERPART
                    and (not sentence[: o.start].strip() or OWN_COUNTRY_WORDS.match(sentence, o.end)
                         # or joins it by "and" to whom it names: "با رهبر انقلاب و رئیس جمهور دیدار کرد"
                         or (JOINED_BY_AND.search(sentence[: o.start]) and any(start < o.start for start, _ in found)))
                    and not any(start >= o.end and _titles_only(sentence[o.end : start], lexicon) for start, _ in found)]
    ends = {o.start: o.end for o in mentioned}
    for start, office, country in offices:
        if DEPUTY.search(sentence[max(0, start - 12) : start]):
            continue  # "نائب وزير الخارجية" is the deputy, not the minister
        if ELECTED_AFTER.match(sentence, ends.get(start, start)) or ELECTED_BEFORE.search(sentence, max(0, start - 20), start):
            continue  # "الرئيس الإيراني المنتخب", "избранный президент": the one elected, not the holder that day
        # a monarch by another monarch's title, the country right after it ("پادشاه عمان"; not "الملك عبدالله
        # الثاني في عمان", the King of Jordan in Amman, which is Oman's name too)
        beside = any(o.start == start and o.country == country and len(o.evidence.split()) <= MONARCH_WORDS
                     for o in mentioned)
        holder = _office_holder(gazetteer, office, country, day) or next(
            (h for other in MONARCHS if beside and office in MONARCHS and (h := _office_holder(gazetteer, other, country, day))),
            None)
        if holder and not any(name == holder for _, name in found):
            found.append((start, holder))
    for written in languages.holders_in(sentence, language):
        # a name the text writes beside an office of a country, whom no list knows as its holder that day,
        # takes part under the text's spelling ("министр иностранных дел Турции Хакан Фидан")
        at = written.office
        if at.office == COUNTERPART or DEPUTY.search(sentence[max(0, at.start - 12) : at.start]) \
                or AIDE.search(sentence[max(0, at.start - 20) : at.start]):
            continue
        # (nor the given names of a listed person whose surname is the next word: "رجب طيب أردوغان")
        if at.country and _office_holder(gazetteer, at.office, at.country, day) is None and not any(
                written.start <= start < written.end or at.start <= start < at.end
                or (start >= written.end and not sentence[written.end : start].strip()) for start, _ in found):
            found.append((written.start, written.name))
    return sorted((start, name) for start, name in found if not DEATH_OF.search(sentence[max(0, start - 60) : start])
                  and not BLESSED_DEAD.match(sentence[start : start + 60]))


def _given_fits(tokens: Sequence[regex.Match[str]], index: int, person: _Known, titles: set[str],
                people: Sequence[_Known]) -> bool:
    """Whether the word before "bin" and the father's name at `index` may be `person`'s given name: not where
    it is the given name of another listed person of that father's name ("عبدالله بن عبدالعزيز" is Abdullah,
    no Salman bin Abdulaziz; a spelling of one's own, "Хайсам" for Haitham, keys otherwise), nor where it is
    itself a father's name, after another "bin" ("محمد بن سلمان بن عبدالعزيز" is Mohammed bin Salman's lineage)."""
    if index < 2 or languages.fold(tokens[index - 1].group(0)) not in PATRONYMIC:
        return True
    if index >= 3 and languages.fold(tokens[index - 3].group(0)) in PATRONYMIC:
        return False
    given = languages.fold(tokens[index - 2].group(0))
    if given in titles or given.removeprefix("ال") in titles:
        return True
    key = languages.name_key(given, compact=True)
    return key == person.given or not any(other.name != person.name and other.patronymic and other.surname == person.surname
                                          and other.given == key for other in people)


def _titles_only(between: str, lexicon: languages.Lexicon | None) -> bool:
    """Whether the words between an office and a surname are titles and given names at most ("رئیس جمهور حجت
    الاسلام حسن روحانی", "رئیس جمهور بشار اسد"): then the name is the office's holder, and the office no one
    else's."""
    folded = languages.fold(between)
    for title in sorted(lexicon.honorifics if lexicon else (), key=len, reverse=True):
        folded = re.sub(rf"(?<!\w){re.escape(title)}(?!\w)", " ", folded)
    return len(re.findall(r"\w+", folded)) <= GIVEN_NAMES and not re.search(r"[,،.:;]", folded)


def _spelled_without(word: str, plain: str) -> bool:
    """Whether `word` has a letter (`LATIN_LETTER`) that every Latin spelling writes and the surname `plain` lacks
    (the h of "gh" is no h: "Хакан" is not Ghani)."""
    plain = plain.replace("gh", "g")
    return any(letter in word.lower() and not any(c in plain for c in latin) for letter, latin in LATIN_LETTER.items())


# Paragraphs of a text whose event was not read in which the people it names are looked for.
MENTION_PARAGRAPHS = 3


def _mention(text: str, title: str | None, published: str | None, gazetteer: Gazetteer, lead: str | None,
             language: str | None, known: Sequence[str]) -> Meeting | None:
    """Whom a text whose event was not read names in its title and first paragraphs, on the day it was
    published: two people at least, else nothing to match; nothing where the first calendar date it gives
    is after its publication (a preview, whatever its wording)."""
    day = _published(published)
    if day is None:
        return None
    parts = [title or "", *blocks_of(lead), *blocks_of(text)[:MENTION_PARAGRAPHS]]
    told = [mention.day for part in parts for mention in sorted(date_mentions(part, day), key=lambda m: m.start)
            if mention.explicit]
    if told and told[0] > day:
        return None  # the first date it gives is still to come: it announces the event ("will host … on 10 February")
    words = _WORDS.get(primary(language) or "en")
    opening = [sentence for part in parts[:2] for sentence in sentences(part)]
    if words is not None and (any(_announces(sentence, day, words) for sentence in opening)
                              or any(_sets_off(sentence, words) for sentence in opening[:2])):
        # its opening looks ahead ("Putin and Erdogan will be able to discuss …") or sets off ("before leaving for
        # Damascus, Araghchi said"): a preview, whatever day
        return None
    people = _known_people(gazetteer, known)
    own = languages.own_country("\n".join(parts), primary(language) or "en")
    named = {name for part in parts for _, name in _names_in(part, people, gazetteer, primary(language) or "en", day, own)}
    # one person is enough with the cities the text names ("Pezeshkian … Moscow" on the day of his Moscow talks)
    places = _cities_named(parts) if len(named) == 1 else ()
    if len(named) < 2 and not places:
        return None
    participants = tuple(sorted(named))
    # the day its dateline or first words give ("RIYADH, May 14 (KUNA) --"): an event of another day it is not
    said = told[0] if told and 0 <= (day - told[0]).days <= FILED_DAYS else None
    return Meeting(date=(said or day).isoformat(), place=None, participants=participants,
                   date_basis="text" if said else "published",
                   date_evidence=f"no event read: dated {said}" if said else f"no event read: published {day}",
                   named=participants, tentative=True, places=places)


# The shortest word looked up as a city's name in a text whose event was not read.
CITY_LETTERS = 4


def _cities_named(parts: Sequence[str]) -> tuple[str, ...]:
    """The cities whose name (in any script the city index knows, or in Latin letters) is a word of `parts`."""
    found: dict[str, None] = {}
    for word in (w for part in parts for w in regex.findall(r"[\w\p{M}\u200c-]+", part)):
        for form in dict.fromkeys((word, anyascii(word))):
            city = world().city(form) if len(form) >= CITY_LETTERS else None
            if city:
                found[city.name] = None
                break
    return tuple(found)


# "and" standing alone, in the languages that write it so (Arabic joins it to the next word).
AND = {"و", "и"}


def _beside_a_name(tokens: Sequence[regex.Match[str]], index: int, surnames: set[str], language: str) -> bool:
    """Whether the word at `index` is joined by "and" to a surname of three letters or more: "اسد و پوتین",
    "Асад и Путин", "الأسد وبوتين" (Assad and Putin), where a two-letter key alone proves nothing."""
    def surname_at(at: int) -> bool:
        return 0 <= at < len(tokens) and languages.name_key(tokens[at].group(0), language) in surnames

    following = languages.fold(tokens[index + 1].group(0)) if index + 1 < len(tokens) else ""
    preceding = languages.fold(tokens[index - 1].group(0)) if index else ""
    # Arabic joins "and" to the word: "بوتين وأوردغان وروحاني", the last after a surname with its own "و"
    joined = languages.fold(tokens[index].group(0)).startswith("و") and language == "ar"
    return ((following in AND and surname_at(index + 2)) or (following.startswith("و") and surname_at(index + 1))
            or (preceding in AND and surname_at(index - 2)) or (joined and surname_at(index - 1)))


def spells(text: str, language: str, name: str) -> bool:
    """Whether a text in another script names `name`'s surname (its key meets a word's)."""
    surname = languages.name_key(name.split()[-1])
    if len(surname) < 2:
        return False
    return any(languages.name_key(word, language) == surname for word in set(re.findall(r"[\w\u200c-]{3,}", text)))


@cache
def _title_country(title: str) -> str | None:
    """The country an office's title names ("Iranian President", "President of Iran": IR)."""
    w = world()
    return w.country(next(iter(re.findall(rf"\b(?:{w.country_re}|{w.demonym_re})", title)), None))


# The offices a counterpart may hold, most specific first ("Foreign Minister" before a "Minister" of anything).
COUNTERPART_OFFICES = ("Foreign Minister", "Prime Minister", "Crown Prince", "President", "King", "Emir", "Sultan")


def _office_of(gazetteer: Gazetteer, name: str, day: date | None) -> str | None:
    """The office (of `COUNTERPART_OFFICES`) a listed person held on `day`, if his dated titles name one."""
    person = gazetteer.people.get(name)
    titles = [t.lower() for held in (person.offices if person else ()) if held.held_on(day) for t in held.titles]
    return next((office for office in COUNTERPART_OFFICES
                 if any(re.search(rf"(?<!vice )\b{office.lower()}\b", t) for t in titles)), None)


# The offices a country's leader holds, one of them: whoever the list has in one of them is "the … leader".
HEADS = ("President", "Prime Minister", "Chancellor", "King", "Emir", "Sultan", "Supreme Leader")


def _office_holder(gazetteer: Gazetteer, office: str, country: str, day: date | None) -> str | None:
    """The listed person who held `office` of `country` on `day` (the people list's dated offices)."""
    holders = set()
    for person in gazetteer.people.values():
        for held in person.offices:
            if not held.held_on(day):
                continue
            for title in held.titles:
                # "President" is not the office of a "First Vice President"
                if _title_country(title) == country and re.search(
                        rf"(?<!vice )\b{re.escape(office.lower())}\b", title.lower()):
                    holders.add(person.name)
    return holders.pop() if len(holders) == 1 else None


def _read_in(language: str, text: str, title: str | None, published: str | None, gazetteer: Gazetteer,
             lead: str | None, known: Sequence[str]) -> Reading:
    """A readout in Russian, Persian or Arabic, read by the same model as English: the first sentence of
    the lead that words an event (the lexicon's `[events]`) and names two people; a plan's wording makes
    it a preview; the date and the place from that sentence, in the language's words."""
    # the page's furniture before the story (a city, a clock, a price, a rubric) is no paragraph of its lead
    story = _run_on(list(dropwhile(lambda block: len(STORY_WORD.findall(block)) < STORY_WORDS, blocks_of(text))),
                    language)
    paragraphs = blocks_of(lead) + story[:LEAD_PARAGRAPHS]
    lead_sentences = [part.strip() for paragraph in paragraphs for part in FOREIGN_SENTENCE_END.split(paragraph) if part.strip()]
    filed = _filed_day_in(paragraphs, language, _published(published))
    day_published = filed or _published(published)
    people = _known_people(gazetteer, known)
    own = languages.own_country("\n".join((title or "", *lead_sentences)), language)
    candidates: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    alone: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    announced = ""  # the plan's words of one person's trip to come, if that is all the lead tells
    recalled = ""  # the plan's words of a sentence recalling what was told before
    landed: str | None = None  # the lead's sentence telling that someone has arrived, if one does
    landed_at = 0  # its place among the title and the lead's sentences
    every = ([title] if title else []) + lead_sentences
    for index, sentence in enumerate(every):
        wording = languages.events_in(sentence, language)
        speech = SAID.search(sentence)
        if speech:
            wording = [w for w in wording if w.kind != "plan" or w.start < speech.start()]
        if _recalls(sentence, language):
            # "Ранее сообщалось, что встреча пройдет …": told before, not this text's event; its plan makes the
            # text a preview only if the text reports nothing else
            recalled = recalled or next((w.evidence for w in wording if w.kind == "plan"), "")
            continue
        # an arrival report, or one written while the day's talks are on, tells what comes next in the future
        # ("Пезешкиан прибыл в Москву. Сегодня он проведет переговоры с Путиным"): the talks of that day
        live = landed is not None or _names_the_day(sentence, language, day_published)
        first_plan = next((w.start for w in wording if w.kind == "plan"), len(sentence))
        if landed is None and ARRIVED.search(languages.fold(sentence[:first_plan])) and all(
                day_published is None or abs((date.fromisoformat(d.date) - day_published).days) <= 1
                for d in languages.dates_in(sentence, language, day_published)):
            landed, landed_at = sentence, index
            if not any(w.kind == "visit" for w in wording):
                # "وارد مسکو شد" (arrived in Moscow) words an arrival around the place's name
                wording = [*wording, languages.EventWording("visit", "", 0, 0)]
        if not wording:
            continue
        kinds = [w.kind for w in wording if w.kind != "plan"]
        if live and not kinds:
            kinds = ["meeting"]  # "سيستقبل" (will receive) after the arrival: the talks of the visit
        # a verb of the future alone ("سيستقبل", "примет") words an event to come of no kind it says: a meeting
        kind = min(kinds, key=KIND_ORDER.index) if kinds else "meeting"
        named = _names_in(sentence, people, gazetteer, language, day_published, own)
        # "ended his visit without meeting the Leader": whom an event that was not held names took no part
        unmet = languages.unheld(sentence, language)
        named = [(start, name) for start, name in named if not any(a <= start < b for a, b in unmet)]
        first_event = next((w.start for w in wording if w.kind != "plan"), len(sentence))
        if spoken := SPOKEN.search(sentence, first_event):
            # whom the speaker goes on to speak of ("قائلا ان نائبه … سيشارك", saying his deputy will attend) is
            # not on the line nor at the table
            named = [(start, name) for start, name in named if start < spoken.start()]
        if language == "ar" and index and len({name for _, name in named}) == 1 and any(
                HIS.search(w.evidence) for w in wording if w.kind != "plan"):
            # "خلال استقباله …" (during his receiving …): "his" is the one the sentence before is about, its first name
            subject = _names_in(every[index - 1], people, gazetteer, language, day_published, own)[:1]
            named += [(0, name) for _, name in subject if name not in {n for _, n in named}]
        if index and len({name for _, name in named}) < 2 and _resumes(sentence, language):
            # "جاء ذلك في رسالة …" (that came in a letter) naming fewer than two: the event of the people the
            # sentence before names (where it names two, the one before is what was said, of others)
            told = _names_in(every[index - 1], people, gazetteer, language, day_published, own)
            named += [(0, name) for _, name in told if name not in {n for _, n in named}]
        if kind in ("call", "video_call"):
            named = [(start, name) for start, name in named
                     if not INVITER.search(languages.fold(sentence[max(0, start - 60) : start]))]
        if kind == "meeting" and AIRPORT.search(sentence):
            kind = "visit"
        elif kind == "visit" and len({name for _, name in named}) >= 2 and not ARRIVED.search(languages.fold(sentence)) \
                and not AIRPORT.search(sentence):
            # "تبادل أمير قطر مع سلطان عمان الأوسمة خلال زيارة الأخير": two who did something together during a
            # visit met; an arrival, or a welcome at the airport, is the visit's
            kind = "meeting"
        plans = [w for w in wording if w.kind == "plan"]
        # "arrived in Moscow, where he will hold talks" reports the arrival; "will hold talks" alone announces them
        arrived = bool(plans) and ARRIVED.search(languages.fold(sentence[: plans[0].start])) is not None
        if len({name for _, name in named}) < 2:
            departed = DEPARTED_FOR.search(languages.fold(sentence))
            if kind == "visit" and named and plans and not arrived:
                announced = announced or plans[0].evidence  # "Шараа посетит Россию": a trip to come
            elif kind == "visit" and named and departed and not ARRIVED.search(languages.fold(sentence)):
                # "غادر … إلى جدة": he left for it, its talks are to come
                announced = announced or f"{departed.group(0).split()[0]} … {departed.group(0).split()[-1]}"
            elif kind == "visit" and named:
                alone.append((index, sentence, kind, named))  # "Pezeshkian arrived in Moscow": if nothing names two
            continue
        # a headline without a verb in the past ("Сочинская встреча Путина и Эрдогана"), the title or the
        # lead's first line, has no tense: the next sentence wording the event tells whether it was or is to come
        if all(not _past_tense(c[1], language) for c in candidates) and plans and not arrived and not live:
            return Reading(None, None, f"not an event: a preview (“{plans[0].evidence}”) announces it, it does not report it")
        if not kinds:
            continue  # a plan's verb alone reports nothing
        days = languages.dates_in(sentence, language, day_published)
        if not candidates and day_published and days and all(date.fromisoformat(d.date) > day_published for d in days):
            return Reading(None, None, f"not an event: a preview (“{days[0].evidence}”, after it was published) announces"
                                       " it, it does not report it")
        candidates.append((index, sentence, kind, named))
    candidates += alone
    ahead = _first_day_ahead(every[:OPENING], language, day_published)
    if ahead is not None and landed is None:
        # the first day the text's opening names is still to come ("فردا در تهران", tomorrow in Tehran; "the
        # coming Saturday"): the text announces, whatever else it tells of the trip (as `_mention` reads one)
        return Reading(None, None, f"not an event: a preview (“{ahead.evidence}”, after it was published) announces"
                                   " it, it does not report it")
    if not candidates and announced:
        return Reading(None, None, f"not an event: a preview (“{announced}”) announces a trip, it does not report one")
    if not candidates and recalled:
        return Reading(None, None, f"not an event: a preview (“{recalled}”, told before) announces it, it does not report it")
    if not candidates:
        return Reading(None, None, f"{NO_EVENT}: no sentence of the lead names a meeting, call, message or visit of two people")
    index, sentence, kind, named = candidates[0]
    position = index - (1 if title else 0)  # in the lead; -1 for the title
    wording = languages.events_in(sentence, language)
    if all(w.neutral for w in wording if w.kind != languages.PLAN):
        # "discussed with" says nothing of how: the next sentences may ("وجاء ذلك خلال اتصال هاتفي")
        kind = _told_next(lead_sentences[position + 1 : position + 3], language, REMOTE_KINDS) or kind
    elif kind == "message" and all(CONGRATULATED.search(w.evidence) for w in wording if w.kind == "message"):
        # "Алиев поздравил Путина с днем рождения", then "по телефону поздравил…", "во время телефонного разговора":
        # congratulations are a message only where no sentence after says they were said on the phone
        kind = _told_next(lead_sentences[position + 1 : position + 4], language, ("call", "video_call")) or kind
    named_anywhere = tuple(sorted({name for _, name in named}))
    if kind == "meeting" and not any(word in languages.fold(sentence) for word in SUMMIT_WORDS):
        named = _one_host_each(named, gazetteer, day_published)
    named = _first_of_many(sentence, named)
    participants = tuple(sorted({name for _, name in named}))
    where, place_evidence = None, ""
    if kind not in ABROAD_KINDS:
        # (another sentence of a plan, "намерен провести переговоры в Казани", places the plan's event, not this one)
        for part in (sentence, *(other for other in lead_sentences if not any(
                w.kind == languages.PLAN for w in languages.events_in(other, language)))):
            places = [p for p in languages.places_in(part, language)
                      if p.after_preposition and not RETURNED.search(part[max(0, p.start - 25) : p.start])
                      and not _upcoming(part, p.start, language)]
            if places:
                where, place_evidence = places[0].city, f"“{places[0].evidence}”"
                break
        # else a country's palace or capital, named by the country alone ("در کاخ ریاست جمهوری الجزایر")
        seat = None if where else next(
            (s for part in (sentence, *lead_sentences) for s in languages.seats_in(part, language)), None)
        if seat is not None and (capital := world().capital(seat.country)):
            where, place_evidence = capital, f"“{seat.evidence}”: the capital"
        if where is None:
            seats = [gazetteer.people[n].seat for n in participants if n in gazetteer.people and not gazetteer.people[n].abroad]
            if seats and seats[0]:
                where, place_evidence = seats[0], "received at the seat of one who receives every visitor at home"
    # "сегодня", "أمس", a weekday: resolved against the day it was published where the event was, as in English
    # (a Kremlin readout stamped 22:30 UTC is of the next day in Moscow)
    day_published = filed or _published(published, world().timezone(where)) or day_published
    day, date_evidence = None, ""
    reported: languages.DateMention | None = None  # the day a clause attributing the report names
    # the sentence, then the next two, then a later one where it words an event of its family and names a day
    # of the week before publication: the day is often told last ("Переговоры прошли в среду"), while a later
    # sentence naming an older day recalls history ("they last met on 19 July")
    # (a next sentence wording only events of another family tells another one: "they spoke by phone on 24
    # November" after "are holding talks in Ashgabat")
    # (a later sentence telling only the journey, "he had flown to Moscow on 11 November", dates the trip, which
    # comes before the talks: it dates only a visit)
    near = [part for part in lead_sentences[position + 1 : position + 3]
            if (not (families := {FAMILY[w.kind] for w in languages.events_in(part, language) if w.kind in FAMILY})
                or FAMILY[kind] in families) and not _journey_only(part, language, kind)]
    further = [part for part in lead_sentences[position + 3 :]
               if any(FAMILY.get(w.kind) == FAMILY[kind] for w in languages.events_in(part, language))
               and not _journey_only(part, language, kind)]
    # last, the sentence just before, where it words an event of the same family: the day told first ("the
    # Sultan came to Tehran yesterday"), the event's people in the next sentence
    before = [lead_sentences[position - 1]] if position > 0 and any(
        FAMILY.get(w.kind) == FAMILY[kind] for w in languages.events_in(lead_sentences[position - 1], language)) else []
    # the talks an arrival report announces are on the day of the arrival it tells first
    arrival = [landed] if landed is not None and landed_at < index else []
    for part in (sentence, *near, *further, *before, *arrival):
        mentions = [m for m in languages.dates_in(part, language, day_published)
                    if (day_published is None or date.fromisoformat(m.date) <= day_published)
                    and (part not in further or day_published is None
                         or (day_published - date.fromisoformat(m.date)).days <= UNDATED_WINDOW)
                    and not FOREIGN_DATELINE.match(part[: m.start] + "\0" + part[m.end : m.end + 4])]
        if part is not sentence and any(w.kind == languages.PLAN for w in languages.events_in(part, language)):
            # "Переговоры состоятся в пятницу": a weekday in a sentence of a plan is the coming one (or today), and
            # "накануне" there is when the plan was told ("Песков накануне говорил, что … состоится")
            mentions = [m for m in mentions if m.kind not in ("weekday", "relative")
                        or date.fromisoformat(m.date) == day_published]
        said = [m for m in mentions if _reported_in(part, m.start, m.end, language)]
        mentions = [m for m in mentions if m not in said]
        if said and reported is None:
            reported = said[0]
        if mentions:
            day, date_evidence = date.fromisoformat(mentions[0].date), f"“{mentions[0].evidence}”"
            if mentions[0].kind in ("weekday", "relative"):
                date_evidence += f" (the dateline's day, {filed})" if filed else f" (published {day_published})"
            break
    basis = "text" if day else "published"
    if day is None and reported is not None:
        # the day it was reported bounds the event from above, as a publication day does
        day, date_evidence = date.fromisoformat(reported.date), f"the text names the day it was reported: “{reported.evidence}”"
    elif day is None:
        day = day_published
        date_evidence = f"the text names no day: published {day_published}" if day_published else "no date at all"
    meeting = Meeting(
        date=day.isoformat() if day else None, place=where, participants=participants, kind=kind,
        people=tuple(PersonRecord(name, None, None, tuple(gazetteer.people[name].aliases) if name in gazetteer.people else ())
                     for name in participants),
        date_basis=basis, sentence=_short(sentence, 400), date_evidence=date_evidence, place_evidence=place_evidence,
        named=named_anywhere,
    )
    return Reading(kind, meeting, f"reports a {kind.replace('_', ' ')}: “{_short(sentence)}”")


def _told_next(parts: Sequence[str], language: str, kinds: Sequence[str]) -> str | None:
    """The first of `kinds` the sentences word outright: how they say an event the sentence before them left unsaid
    was held."""
    return next((w.kind for part in parts for w in languages.events_in(part, language) if w.kind in kinds and not w.neutral),
                None)


def _journey_only(sentence: str, language: str, kind: str) -> bool:
    """Whether a sentence tells an arrival and no other event when the event read is not one: the day it names
    is the journey's ("прилетел в Москву 11 ноября с визитом"), which precedes the talks."""
    kinds = {w.kind for w in languages.events_in(sentence, language) if w.kind != languages.PLAN}
    return kind != "visit" and ARRIVED.search(languages.fold(sentence)) is not None and kinds <= {"visit"}


# The Arabic pluperfect opening a sentence, "كان" with "قد" and a verb after the subject ("وكان عراقجي قد زار
# مصر", Araghchi had visited Egypt): what happened before the text's event.
PLUPERFECT = re.compile(r"[وف]?كان\s+(?:\S+\s+){0,3}قد\s")


def _recalls(sentence: str, language: str) -> bool:
    """Whether a sentence opens with a word that recalls the past (the lexicon's `earlier`: "Ранее", "پیشتر"),
    or has it right after its subject's one word ("پزشکیان پیش از این …", "Путин ранее …")."""
    opening = languages.fold(sentence).lstrip(" \t«»\"'(-–—")
    if language == "ar" and PLUPERFECT.match(opening):
        return True
    after_subject = opening.split(maxsplit=1)[1] if len(opening.split(maxsplit=1)) == 2 else ""
    return any(start == word or (start.startswith(word) and not start[len(word)].isalnum())
               for word in languages.lexicon(language).earlier for start in (opening, after_subject))


# How far before a city's name, in its sentence, "the next summit" makes it the next event's place.
UPCOMING_BEFORE = 60
# "Next" and the event's noun it qualifies, at most one word apart ("следующего трёхстороннего саммита").
UPCOMING_GAP = re.compile(r"\W*(?:\w+\W+)?")


def _upcoming(text: str, start: int, language: str) -> bool:
    """Whether a city's name at `start` follows "the next summit", "the coming visit" (the lexicon's `upcoming`
    beside an event's noun, not a verb's: "на следующий день встретились в Сочи" is this meeting's place),
    in its sentence: the place of the next event, not of this one."""
    window = text[max(0, start - UPCOMING_BEFORE) : start]
    window = re.split(r"[.!?؟;؛]\s", window)[-1]
    folded = languages.fold(window)
    nouns = [w for w in languages.events_in(folded, language)
             if w.kind != languages.PLAN and not RUSSIAN_PAST.fullmatch(languages.fold(w.evidence))]
    for word in languages.lexicon(language).upcoming:
        for match in re.finditer(rf"(?<!\w){re.escape(word)}\w*", folded):
            # Russian writes "next" before its noun, Persian and Arabic after it ("القمة المقبلة")
            if any(UPCOMING_GAP.fullmatch(folded[match.end() : w.start]) or UPCOMING_GAP.fullmatch(folded[w.end : match.start()])
                   for w in nouns):
                return True
    return False


# The sentences of a text's opening (a headline and the first sentence, or the first two): where a day still
# to come makes the text a preview. Further on, a trip to come is what a report of a call adds.
OPENING = 2


def _first_day_ahead(parts: Sequence[str], language: str, published: date | None) -> languages.DateMention | None:
    """The first day `parts` name (past a dateline), if it is after `published`."""
    for part in parts:
        for mention in languages.dates_in(part, language, published):
            if FOREIGN_DATELINE.match(part[: mention.start] + "\0" + part[mention.end : mention.end + 4]):
                continue
            return mention if published is not None and date.fromisoformat(mention.date) > published else None
    return None


def _filed_day_in(paragraphs: Sequence[str], language: str, published: date | None) -> date | None:
    """The day an opening dateline gives ("МОСКВА, 8 марта. /ТАСС/."), as `_filed_day` reads an English one."""
    if published is None:
        return None
    for paragraph in paragraphs[:2]:
        for mention in languages.dates_in(paragraph, language, published):
            if (mention.kind not in ("weekday", "relative")
                    and FOREIGN_DATELINE.match(paragraph[: mention.start] + "\0" + paragraph[mention.end : mention.end + 4])
                    and 0 <= (published - date.fromisoformat(mention.date)).days <= FILED_DAYS):
                return date.fromisoformat(mention.date)
    return None


def _resumes(sentence: str, language: str) -> bool:
    """Whether a sentence opens by telling where the one before was said (the lexicon's `resumes`: "جاء ذلك")."""
    opening = languages.fold(sentence).lstrip(" \t«»\"'(-–—")
    return any(opening.startswith(word) and not opening[len(word) : len(word) + 1].isalnum()
               for word in languages.lexicon(language).resumes)


def _names_the_day(sentence: str, language: str, published: date | None) -> bool:
    """Whether a sentence names the day it was published ("сегодня", "امروز", its date past a dateline)."""
    return published is not None and any(
        mention.date == published.isoformat() and mention.kind != "weekday"
        and not FOREIGN_DATELINE.match(sentence[: mention.start] + "\0" + sentence[mention.end : mention.end + 4])
        for mention in languages.dates_in(sentence, language, published))


# A summit in the languages read (a meeting of several leaders, each of whom takes part), and a meeting that
# "brought together" those it names ("لقاء جمع الأسد مع رئيسي والخامنئي": one meeting of the three), folded.
SUMMIT_WORDS = ("قمه", "саммит", "اجلاس", "سه جانبه", "трехсторон", "ثلاثي", "لقاء جمع", "اجتماع جمع", "الذي جمع")


def _said_day(sentence: str, published: date | None) -> date | None:
    days = dates_in(sentence, published)
    return days[0] if days else published


def _country_of(name: str, gazetteer: Gazetteer, day: date | None, cast: Cast | None = None) -> str | None:
    """The country a participant serves: as the readout introduced them, else the people list's office held
    that day, else the country of their seat."""
    found = cast.person(name) if cast else None
    if found and found.country:
        return found.country
    person = gazetteer.people.get(name)
    if person is None:
        return None
    for office in person.offices:
        if office.held_on(day):
            for title in office.titles:
                country = _title_country(title)
                if country:
                    return country
    city = world().cities.get(fold(person.seat)) if person.seat else None
    return city.country if city else None


def _one_host_each(named: list[tuple[int, str]], gazetteer: Gazetteer, day: date | None,
                   cast: Cast | None = None) -> list[tuple[int, str]]:
    """A visitor who "met the Supreme Leader and the President" met each separately: of two people of one
    country in a meeting with someone of another, the first named is the one this event is with (the
    second had a meeting of their own, or came along with the first). A summit keeps everyone."""
    order = list(dict.fromkeys(name for _, name in sorted(named)))
    countries = {name: _country_of(name, gazetteer, day, cast) for name in order}
    if len(order) < 3 or len({c for c in countries.values() if c}) < 2:
        return named
    kept: dict[str, str] = {}
    for name in order:
        country = countries[name]
        if country is None or country not in kept:
            kept[country or name] = name
    return [(offset, name) for offset, name in named if name in kept.values()]


# A Russian verb in the past: "-л", "-ла", "-ло", "-ли", reflexive "-ся", "-сь" (встретился, провели, прибыла).
RUSSIAN_PAST = re.compile(r"(?<!\w)\w{2,}(?:л|ла|ло|ли)(?:ся|сь)?(?!\w)")
# Persian's past: the past stems of the verbs a report tells an event with, a person's ending or the perfect's
# participle after them ("دیدار کرد", "گفتگو کردند", "برگزار شد", "گفته است"), as `fold` writes them.
PERSIAN_PAST = re.compile(languages.fold(
    r"(?<!\w)(?:ن)?(?:کرد|شد|داشت|گفت|رفت|آمد|بود|نمود|داد|رسید|افزود|گذاشت|پرداخت|خواند|دید|نوشت|کشید|ساخت|یافت)"
    r"(?:ند|ه|یم|ید|م)?(?!\w)"))
# The future joins "خواهد" to a past stem ("دیدار خواهد کرد", will meet): no past.
PERSIAN_FUTURE = re.compile(languages.fold(r"(?<!\w)خواه\w*\s+\w+"))


def _past_tense(text: str, language: str) -> bool:
    """Whether `text` has a verb in the past, or an event's verb in the present (the lexicon's `ongoing`: a live
    report). Only Russian (its past is one suffix) and Persian (a few past stems) are read so; a line in another
    language counts as having one, so a title there still decides as the lead's first sentence."""
    folded = PERSIAN_FUTURE.sub(" ", languages.fold(text)) if language == "fa" else languages.fold(text)
    past = {"ru": RUSSIAN_PAST, "fa": PERSIAN_PAST}.get(language)
    return past is None or past.search(folded) is not None or any(
        re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) for word in languages.lexicon(language).ongoing)


def _future(sentence: str, published: date | None) -> str | None:
    """The words of a date after publication, when the sentence names no day up to it: a plan."""
    if published is None:
        return None
    mentions = date_mentions(sentence, published)
    if mentions and all(m.day > published for m in mentions):
        return mentions[0].words
    return None


# An arrival for talks: "arrived in Moscow Tuesday to carry out conversations with …", "… for talks with …".
ARRIVED_FOR = re.compile(r"\b(?:arrived|arrives|landed)\b[^.;]*?\b(?:to|for)\s+(?:\w+\s+){0,2}?"
                         r"(?:talks|meet\w*|conversations|negotiations|discuss\w*)\b", re.IGNORECASE)


def _coming_day(sentence: str, published: date | None, words: _Compiled) -> bool:
    """Whether a sentence of a plan names a day after publication: a date, or a weekday other than the day's
    own (a plan's "on Wednesday" is the coming one)."""
    body = _past_dateline(sentence)
    if published is None or not words.preview.search(body) or words.past.search(QUOTED.sub(" ", body)):
        return False
    return any(m.day > published or (m.words.lower() in WEEKDAYS and m.day != published)
               for m in date_mentions(body, published))


# The words of the "today" date expression: the day a text was written.
TODAY = re.compile(dict(DATE_EXPRESSIONS)["today"], re.IGNORECASE)


def _today(sentence: str, published: date | None) -> bool:
    """Whether a sentence names the day it was published as today ("later today", "this evening") past its
    dateline: a live report. A calendar date or a weekday is how an announcement names the day to come, even
    its own ("… will speak to Zelensky on Monday (March 7)", "will pay a visit on March 21"): a preview."""
    body = _past_dateline(sentence)
    return published is not None and any(
        mention.day == published and TODAY.fullmatch(mention.words) is not None
        for mention in date_mentions(body, published))


FUTURE_PASSIVE = re.compile(r"\bbe\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _preview(sentence: str, published: date | None, words: _Compiled) -> Reading:
    """No event: `sentence` announces one, with the words that do (the auxiliary and its verb: "will meet")."""
    body = _past_dateline(sentence)
    quoted = words.preview.search(body) or words.departing.search(body)
    shown = " ".join(body[quoted.start():].split()[: len(quoted.group(0).split()) + 1]).strip(",.;:") \
        if quoted else _future(body, published)
    return Reading(None, None, f"not an event: a preview (“{shown}”) announces it, it does not report it")


def _sets_off(sentence: str, words: _Compiled) -> bool:
    """The sentence is written as someone sets off ("Before leaving Tehran for Doha, Raisi told reporters …",
    "Araghchi heads to Damascus"): the event it sets off for is still to come, unless it tells one after."""
    body = _unquoted(sentence)
    departing = words.departing.search(body)
    return departing is not None and not any(verb.group(0).lower() not in REPORTING
                                             for verb in words.past.finditer(body, departing.end()))


# A month and year a sentence puts something in ("in May 2022", "during October 2019"), naming no day.
MONTH_OF_YEAR = re.compile(rf"\b(?:in|during)\s+(?:early\s+|mid-|late\s+)?{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE)


def _month_named(sentence: str) -> date | None:
    """The last day of the month and year the sentence names, if it names one."""
    found = MONTH_OF_YEAR.search(sentence)
    month = MONTHS.get(found.group("month").lower().rstrip(".")) if found else None
    if found is None or month is None:
        return None
    return (date(int(found.group("year")), month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _announces(sentence: str, published: date | None, words: _Compiled) -> bool:
    """The sentence announces an event ("will meet", "ahead of talks", a day to come) and reports none."""
    body = SAYING.sub("", _unquoted(ASIDE.sub(",", _past_dateline(sentence))))  # a dateline's day is the filing's
    if words is EN and SAID_DURING.search(body):
        return False  # "a treaty is expected to be signed next week, Pezeshkian announced during his meeting with Putin"
    preview = words.preview.search(body)
    if preview is None and _future(body, published) is None:
        return False
    if preview is not None and preview.group(0).lower().startswith("ahead of") and _future(body, published) is None \
            and words.headline_present.search(body, 0, preview.start()):
        return False  # "Blinken, Jaishankar meet ahead of talks": they met, before the talks
    # a participle after "be" is a passive of what is to come ("the meeting will be held in Tehran"), not the past
    past = next((verb for verb in words.past.finditer(body) if not FUTURE_PASSIVE.search(body, 0, verb.start())), None)
    # "Putin met Erdogan ahead of talks" reports; "Putin will meet Erdogan, the Kremlin said" does not, nor does
    # "the spokesman said … Ramaphosa and his Chinese counterpart will meet": only sayings before the plan's meeting
    if past is not None and past.group(0).lower() in REPORTING and preview is not None \
            and PLANNED_MEETING.match(body, preview.start()) \
            and not any(verb.group(0).lower() not in REPORTING for verb in words.past.finditer(body)):
        return True
    return past is None or (preview is not None and preview.start() < past.start() and past.group(0).lower() in REPORTING)


# A plan whose verb is the meeting itself ("will meet", "are expected to hold talks"), not met again
PLANNED_MEETING = re.compile(r"(?:will|shall|(?:is|are)\s+(?:due|expected|set|scheduled)\s+to)\s+(?:also\s+)?"
                             r"(?:meet|hold\s+(?:\w+\s+)?talks|visit|speak|talk)\b(?!\s+(?:\w+\s+)?again\b)",
                             re.IGNORECASE)


# What someone said at an event just held: "…, Pezeshkian announced during his first meeting with Putin in Ashgabat".
# The plan they announce is theirs; the meeting is the news.
SAID_DURING = re.compile(r"\b(?:said|saying|announced|announcing|told\s+\w+|telling\s+\w+|stressed|noted|declared"
                         r"|stated|added|revealed|confirmed)\s+"
                         r"(?:during|at|after|following)\s+(?:his|her|their|the|a)\s+(?:[\w-]+\s+){0,3}?"
                         r"(?:meeting|talks|call|conversation)\s+with\b", re.IGNORECASE)
# An event held to mark an anniversary is news of its day, not a look back: "… met in Belfast to mark the 25th
# anniversary of the agreement", "the visit coincides with the 50th anniversary of diplomatic ties", "arrives
# ahead of the agreement's anniversary".
MARKS_ANNIVERSARY = re.compile(r"\b(?:mark\w*|coincid\w*(?: with)?|on the occasion of|celebrat\w*|commemorat\w*"
                               r"|ahead of|on the eve of|in the run-up to)\s+(?:the\s+|its\s+|their\s+)?"
                               r"(?:[\w-]+\s+){0,3}anniversary\b"
                               # the party's 108th anniversary celebrations; the 90th anniversary of the establishment
                               # of relations: another body's anniversary, no old meeting told
                               r"|\b(?:[\w'’-]+\s+){0,3}anniversary\s+(?:celebrations?|festivities|ceremon(?:y|ies)|events?"
                               r"|parade|of\s+(?:the\s+)?(?:establishment|founding|formation|independence|victory"
                               r"|liberation|birth|revolution))\b", re.IGNORECASE)
# A past event told as earlier than the text's news: "they last met", "a previous visit", "two years ago".
RECALLED = re.compile(r"\b(?:last (?:met|spoke|talked|visited|held)|previous(?:ly)?|ago|former)\b", re.IGNORECASE)
# A month or a year that no date expression resolved: "in May", "in 2019", another time than the news.
EARLIER_TIME = re.compile(rf"{_MONTH}|\b(?:19|20)\d\d\b", re.IGNORECASE)
# The clause naming the summit a talk was held beside.
SIDELINES_OF = re.compile(r"\b(?:on|at) the (?:sidelines?|margins?) of\b[^,.;]*", re.IGNORECASE)
# Verbs that report speech about the event rather than the event itself: spoken at a meeting that took
# place ("Putin quipped during their meeting that …") or about one to come ("… will meet on Friday, he noted").
REPORTING = {"said", "told", "stressed", "agreed", "expressed", "quipped", "joked", "remarked", "noted", "added",
             "emphasised", "emphasized", "reiterated", "underscored", "underlined", "highlighted", "affirmed",
             "hailed", "praised", "voiced"}
# What someone said, after the clause telling the event: "…, saying that he hopes his visit will further strengthen
# relations". A future in it is the speaker's hope, not a plan of the event.
SAYING = re.compile(r",?\s+\b(?:saying|adding|noting|stressing|stating|hoping|expressing\s+(?:the\s+)?hope)\b.*$",
                    re.IGNORECASE | re.DOTALL)
QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
# What a quotation split over sentences leaves in one of them: its end before a lone closing mark, its start after a
# lone opening one.
QUOTE_END = re.compile(r"^[^“”\"]*(?:”|[,.!?]\")")
QUOTE_START = re.compile(r"(?:“|(?<![\w,.!?])\")[^“”\"]*$")


def _unquoted(text: str) -> str:
    """The text without what is quoted in it, a quotation cut off by the sentence's ends included."""
    return QUOTE_START.sub(" ", QUOTE_END.sub(" ", QUOTED.sub(" ", text)))


# The days a dateline's date may lie before the page's publication and still be the day the story was filed:
# a wire filed late in the evening is put on the site the next morning.
FILED_DAYS = 2


def _filed_day(paragraphs: Sequence[str], published: date | None) -> date | None:
    """The day an opening dateline gives ("MOSCOW, March 8. /TASS/."), where it is the publication's day
    or just before: the story's "today", which the page's own later date does not move."""
    for paragraph in paragraphs[:2]:
        dateline = DATELINE_PREFIX.match(paragraph)
        if dateline is None or published is None:
            continue
        days = [m.day for m in date_mentions(dateline.group(0), published) if m.explicit]
        if days and 0 <= (published - days[0]).days <= FILED_DAYS:
            return days[0]
    return None


def _past_dateline(sentence: str) -> str:
    """The sentence without its dateline: the day there is when the story was filed, wherever the sentence stands."""
    dateline = DATELINE_PREFIX.match(sentence)
    return sentence[dateline.end() :] if dateline else sentence


def _event_day(sentence: str, later: Sequence[str], published: date | None,
               words: _Compiled = EN, attributed: bool = False, kind: str | None = None) -> tuple[date | None, str]:
    """The day the event sentence gives past its dateline (a day after publication is a plan, not the
    event, and a day in a clause attributing the report, "the Kremlin said on Tuesday", is the report's),
    else the first such day a later sentence of the lead gives that words an event of `kind`'s family, where
    given (a page's time line, "March 14, 1:32", is when it was posted; an arrival there, "arrived late on
    Sunday to hold talks", dates the journey); with the words read. With `attributed`, the day of such a
    clause instead: when the report was made, which bounds the event from above."""
    body, *later = [_past_dateline(text) for text in (sentence, *later)]
    # a later sentence telling only a journey ("She had arrived in Oslo on Monday evening") dates the journey,
    # which comes before the talks, unless the event's sentence tells only one too
    # (not one that recalls an earlier event: "The previous talks were held in Tehran on 7 September 2018")
    wording_an_event = (text for text in later if _words_an_event(text, words) and not RECALLED.search(text)
                        and (not _journey_only_en(text, words) or _journey_only_en(body, words))
                        # of the event's kind (a meeting's report dates no call it recalls: "their conversation on
                        # August 18")
                        and (kind is None or FAMILY.get(kind_of(text, None, words) or kind) == FAMILY[kind]))
    for text in (ASIDE.sub(",", body), body, *wording_an_event):
        for mention in date_mentions(text, published):
            if published is not None and mention.day > published:
                continue
            clause = _clause(text, mention.start, mention.end)
            said = bool(words.reported.search(clause)) and not (words.kind_word.search(clause) or words.phone.search(clause)
                                                                or words.video.search(clause) or words.spoke.search(clause))
            # "… said on Thursday that he concluded negotiations": the day right after the verb of saying is the saying's
            said = said or SAID_ON.search(text, max(0, mention.start - 30), mention.start) is not None
            if said != attributed:
                continue
            if mention.words.lower() in WEEKDAYS and (ATTRIBUTIVE.search(text, max(0, mention.start - 6), mention.start)
                                                      or POSSESSIVE.match(text, mention.end)) \
                    and not EVENT_NOUN.search(" ".join(text[mention.end :].split()[:4])):
                continue  # "a Wednesday surprise attack", "Wednesday's attack" (not "Monday's discussions"): another noun's day
            if text is not body and kind in ("meeting", "visit") and words.landed.search(text[: mention.start]):
                continue  # "The minister arrived late on Sunday to hold talks": the journey's day, before the talks'
            if words.scheduled.search(text, max(0, mention.start - 40), mention.start):
                continue  # "… to present to leaders who start meeting Tuesday": next Tuesday, a plan
            if mention.words.lower() in WEEKDAYS and mention.day != published and words.preview.search(text) \
                    and not words.past.search(text):
                continue  # "On Friday, he will be welcomed at the palace": the coming Friday (or today), a plan
            fronted = FRONTED.match(text)
            if fronted and mention.end <= fronted.end() and _words_an_event(text[fronted.end() :], words):
                continue  # "After the visit to the US on 21 December, Zelensky met Duda": the visit's day, before it
            other = words.other_time.search(text, max(0, mention.start - 80), mention.start)
            if other and not (words.kind_word.search(other.group(0)) or words.phone.search(other.group(0))
                              or words.spoke.search(other.group(0))):
                continue  # "… in Lviv, his first trip after the war broke out on Feb. 24": that day is the war's
            resolved = "" if mention.explicit else f" (published {published})"
            if mention.words.lower() in WEEKDAYS and published is not None and (published - mention.day).days == 6 \
                    and words.past.search(text) and not words.preview.search(text):
                # "… cut short their second summit Thursday", dated Wednesday: a wire dated where its day is still
                # the day before the event's (Washington's Wednesday is Hanoi's Thursday), not a week-old event
                return published + timedelta(days=1), f"“{mention.words}” (published {published}, a time zone behind)"
            return mention.day, f"“{mention.words}”{resolved}"
    return None, ""


# A verb of saying right before a day: "said on Thursday", "told reporters late on Monday".
SAID_ON = re.compile(r"\b(?:said|says|stated|announced|tweeted|wrote|told\s+(?:reporters|journalists|\w+))\s+"
                     r"(?:(?:on|late|early|in\s+the|this)\s+)*$", re.IGNORECASE)
# An article before a weekday, or a possessive after it: the weekday qualifies a noun ("a Wednesday attack").
ATTRIBUTIVE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s\b")
# The event's own nouns after such a weekday: "Monday's discussions" dates the talks.
EVENT_NOUN = re.compile(r"\b(?:talks|meetings?|discussions?|negotiations|calls?|conversations?|visit|summit|session"
                        r"|phone|telephone|video)\b", re.IGNORECASE)
# A clause set before the sentence's subject that tells what came before or after ("After the visit to the US on
# 21 December, …"): a day there is that other event's when the rest of the sentence tells one of its own.
FRONTED = re.compile(r"(?:After|Following|Before|Ahead of)\b[^,.;:—–]*[,—–]", re.IGNORECASE)


def _journey_only_en(text: str, words: _Compiled) -> bool:
    """Whether `text` tells an arrival ("arrived", "landed") and no other event: a journey, not the talks of it."""
    kinds = {match.lastgroup for match in words.kind_word.finditer(text)}
    return words.landed.search(text) is not None and kinds == {"visit"} and not (
        words.phone.search(text) or words.video.search(text) or words.spoke.search(text))


def _words_an_event(text: str, words: _Compiled) -> bool:
    return bool(words.kind_word.search(text) or words.phone.search(text) or words.video.search(text)
                or words.spoke.search(text))


# Where a clause ends: a comma, a semicolon, a colon, a sentence's end.
CLAUSE_BREAK = re.compile(r"[,،;؛:!?؟]|\.(?:\s|$)")


def _clause(text: str, start: int, end: int) -> str:
    """The clause of `text` that holds text[start:end]."""
    begin = max((match.end() for match in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    stop = CLAUSE_BREAK.search(text, end)
    return text[begin : stop.start() if stop else len(text)]


@cache
def _reported_words(language: str) -> re.Pattern[str]:
    words = languages.lexicon(language).reported
    joined = "(?:[وف])?" if language == "ar" else ""  # Arabic joins "and" to the next word
    body = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(rf"(?<!\w){joined}(?:{body})")


def _reported_in(text: str, start: int, end: int, language: str) -> bool:
    """Whether a day at text[start:end] is in a clause attributing the report ("Об этом во вторник сообщили
    в Кремле", "حسبما أفادت الوكالة اليوم") that words no event: the day of the saying, not of the event."""
    clause = _clause(text, start, end)
    if not _reported_words(language).search(languages.fold(clause)):
        return False
    return not any(w.kind != languages.PLAN for w in languages.events_in(clause, language))


def _short(sentence: str, limit: int = 160) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


# A clause telling another event than the sentence's: one on another day or at another time ("the same day the
# American leader spoke with Putin", "hours after he met Xi"), a plan ("Biden is expected to talk to Xi in the
# coming weeks, Sullivan told …", "… told Trump that Putin will visit"), or thanks for an earlier hosting ("thanked him for hosting Biden").
OTHER_EVENT = re.compile(
    r"\b(?:the\s+same\s+day|(?:a|one|two|\w+)\s+(?:days?|hours?|weeks?|months?)\s+(?:after|before)|shortly\s+(?:after|before)"
    r"|just\s+(?:after|before)|after|before|while|whereas)\s+(?:the\s+|as\s+)?(?:[\w'’.-]+\s+){0,6}?"
    r"(?:spoke|talked|met|called|phoned|visited|hosted|received|held|visits|meets|hosts|travels)\b"
    # "… just hours after Donald Trump was sworn in", "… two months before Trump returns to the White House":
    # within the sentence, a clause of its own subject, whom the sentence only dates the event by
    r"|(?<=[\w)] )(?:after|before)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,4}?"
    r"(?:was|were|had|took|takes|returns|returned|won|wins|became|becomes|assumed|assumes)\b"
    # "… met Raisi in advance of a trilateral summit with Putin": the summit is the other event, its people not this one's
    r"|\b(?:in\s+advance\s+of|ahead\s+of)\s+(?:(?:the|a|an|his|her|their)\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:summit|meeting|talks|visit|arrival)\b"
    # "… met Assad, then travelled to Ankara to meet Fidan": the next leg of the trip is another event
    r"|\bthen\s+(?:travell?ed|flew|went|headed|left|moved\s+on)\b"
    r"|\bfor\s+(?:hosting|receiving|welcoming|inviting)\b"
    r"|(?:^|(?<=[,;]\s)|\b(?:and|but|that)\s+)(?:(?!(?:and|but)\b)[\w'’.-]+\s+){0,6}?(?:(?:is|are|was|were)\s+(?:anticipated|expected|due|set"
    r"|scheduled|slated)\s+to|will|plans\s+to|intends\s+to)\s+(?:\w+\s+)?(?:meet|visit|speak|talk|host|hold|engage)\b",
    re.IGNORECASE)


def _without_other_events(sentence: str) -> str:
    """The sentence with the clauses that tell another event (`_other_events`) blanked."""
    for start, end in _other_events(sentence):
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    return sentence


def _other_events(sentence: str) -> list[tuple[int, int]]:
    """Where `sentence` tells another event (`OTHER_EVENT`): to its end, or to the first comma when the clause
    opens the sentence ("Biden is expected to talk to Xi, Sullivan told him during their meeting")."""
    spans = []
    for clause in OTHER_EVENT.finditer(sentence):
        opening = not sentence[: clause.start()].strip()
        stop = re.compile(r"[,;]" if opening else r";").search(sentence, clause.end())
        spans.append((clause.start(), stop.start() if stop else len(sentence)))
    return spans


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
        # "the King of Saudi Arabia Salman Al Saud": a name right after an office the list has a holder of, and
        # beginning as the holder's does, is the holder (not the crown prince "… Salman Al Saud" also ends as)
        titled = next((n for s, e, n in spans if e <= start and not sentence[e:start].strip(" ,")
                       and fold(n).split()[:1] == fold(name).split()[:1]), None)
        surname = fold(name).split()[-1:]
        office = [(s, e, n) for s, e, n in spans if e <= start and not sentence[e:start].strip(" ,")
                  and gazetteer.is_office(sentence[s:e])] if surname and surname[0] in fold(sentence[start:end]) else []
        # "US Secretary of State Tony Blinken": the holder, under another spelling of his given name
        titled = titled or next((n for _, _, n in office if fold(n).split()[-1:] == surname), None)
        if titled is None and office:
            # "Malaysian Prime Minister Aziz Rahman", whom the list does not have in that office that day: the
            # name the text writes is the office's holder (the list may be out of date), not the one the list has
            superseded = {(s, e) for s, e, _ in office}
            spans = [(s, e, n) for s, e, n in spans if (s, e) not in superseded]
            named = [(offset, n) for offset, n in named if not any(s == offset for s, _ in superseded)]
        named.append((start, titled or known or name))
        spans.append((start, end, titled or known or name))
    # "Joe Biden's top aide Jake Sullivan met …": the aide, not whose aide he is; nor whose greetings were conveyed
    senders = [match.span("sender") for match in CONVEYED.finditer(sentence)]
    spans = [(start, end, name) for start, end, name in spans if not RELATION_OF.match(sentence, end)
             and not any(s <= start and end <= e for s, e in senders)]
    named = [(offset, name) for offset, name in named if any(s == offset for s, _, _ in spans)]
    for person in unnamed(sentence, cast, len({name for _, name in named})):
        if person.office in GENERIC_OFFICES and person.country in {_country_of(n, gazetteer, day, cast) for _, n in named}:
            continue  # "Putin's plane has landed … for the Russian leader's first trip": the leader it names
        if ELECTED_AS.search(sentence, max(0, person.start - 40), person.start) and not any(
                s < person.end and person.start < e for s, e, _ in spans):
            continue  # "Putin congratulates new Iranian president": the one elected, not the office's holder that day
        if not any(s < person.end and person.start < e for s, e, _ in spans):
            # "the Indian prime minister": the one the list has in that office on the day, else the office itself
            holder = gazetteer.named(person.name, day)
            if holder is None and person.office in GENERIC_OFFICES and person.country:
                # "the Nigerian leader": the one head of state or government the list has for the country that day
                heads = {_office_holder(gazetteer, office, person.country, day) for office in HEADS} - {None}
                holder = heads.pop() if len(heads) == 1 else None
            named.append((person.start, holder or person.name))
            spans.append((person.start, person.end, holder or person.name))
            if holder is None:
                cast.introduce(person)
    deposed = {name for _, end, name in spans if DEPOSED.match(sentence, end)}
    named = [(offset, name) for offset, name in named if not DEATH_OF.search(folded[max(0, offset - 60) : offset])
             and not NOT_MET.search(sentence[max(0, offset - 100) : offset]) and name not in deposed]
    # a spokesperson tells of the event and takes no part in it; an official who meets a visitor off the plane
    # ("greeted at Vnukovo-2 by First Deputy Prime Minister Denis Manturov") is no principal of the visit
    voices = {name for offset, name in named if SPOKESPERSON.search(sentence, max(0, offset - 40), offset)}
    ends = {start: end for start, end, _ in spans}
    voices |= {name for offset, name in named if _met_off_the_plane(sentence, offset, ends.get(offset, offset))}
    named = [(offset, name) for offset, name in named if name not in voices]
    sources = {name for start, end, name in spans if SAID_BY.match(sentence, end)
               and ATTRIBUTED_AT.search(sentence, max(0, start - 60), start)}
    if len({name for _, name in named} - sources) >= 2:
        named = [(offset, name) for offset, name in named if name not in sources]
    # someone named only in the possessive, before what is not the event's, where two others take part
    # (an office just before the name, "Peruvian President Rosa Campos's", is that one mention)
    last = [(start, end, name) for start, end, name in spans
            if not any(s > end and n == name and not sentence[end:s].strip() for s, _, n in spans)]
    aside = {name for _, end, name in last if POSSESSIVE_ASIDE.match(sentence, end)} - {
        name for _, end, name in last if not POSSESSIVE_ASIDE.match(sentence, end)}
    if len({name for _, name in named} - aside) >= 2:
        named = [(offset, name) for offset, name in named if name not in aside]
    # "… on Thursday, the same day the American leader spoke with Putin": the people of another event's clause,
    # where the rest of the sentence names two
    shift = len(sentence) - len(_past_dateline(sentence))
    elsewhere = [(start + shift, end + shift) for start, end in _other_events(_past_dateline(sentence))]
    inside = {name for offset, name in named if any(s <= offset < e for s, e in elsewhere)} - {
        name for offset, name in named if not any(s <= offset < e for s, e in elsewhere)}
    if len({name for _, name in named} - inside) >= 2:
        named = [(offset, name) for offset, name in named if name not in inside]
    # "French President Emmanuel met …": a lone given name is the one person the sentence names in full by it
    for index, (offset, name) in enumerate(named):
        fuller = {other for _, other in named if " " not in name and " " in other and other.split()[0] == name}
        if len(fuller) == 1:
            named[index] = (offset, fuller.pop())
    # one person, one name: a cast spelling of someone the gazetteer also names there
    canonical: list[str] = []
    for _, name in sorted(named):
        if not any(same_person(name, other) for other in canonical):
            canonical.append(name)
    return [(offset, next(c for c in canonical if same_person(name, c) or c == name)) for offset, name in sorted(named)]


def _met_off_the_plane(sentence: str, start: int, end: int) -> bool:
    """Whether the name at start:end is an official's who met someone off the plane (a post below a head's before
    or after it): "greeted at Vnukovo-2 by First Deputy Prime Minister …", "by Rustam Emomali, chair of …"."""
    greeted = GREETED_BY.search(sentence, max(0, start - 120), start)
    return greeted is not None and bool(OFFICIAL_POST.search(greeted.group("post")) or OFFICIAL_AFTER.match(sentence, end))


def _first_of_many(sentence: str, named: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """"Modi received telephone calls from Imran Khan, Mohamed Nasheed and Madhav Nepal": many calls (or
    messages), one each; the readout's is the first named (the others are each an event of their own)."""
    many = MANY_FROM.search(sentence)
    if many is None:
        return named
    before = [(offset, name) for offset, name in named if offset < many.start()]
    after = [(offset, name) for offset, name in named if offset >= many.end()]
    if not before or len({name for _, name in after}) < 2:
        return named
    first = min(after)[1]
    return before + [(offset, name) for offset, name in after if name == first]


def _person_record(name: str, gazetteer: Gazetteer, cast: Cast) -> PersonRecord:
    found = cast.person(name)
    listed = gazetteer.people.get(name)
    return PersonRecord(
        name=name,
        country=found.country if found else None,
        office=found.office if found else None,
        aliases=tuple(listed.aliases) if listed else (),
    )


def _place(sentence: str, named: list[tuple[int, str]], paragraph: list[str], gazetteer: Gazetteer, cast: Cast,
           place_line: str | None, title: str | None, words: _Compiled = EN,
           telling_where: Sequence[str] = ()) -> tuple[str | None, str]:
    """Where the event was, and the words that say so: the event's sentence, then its paragraph, the later
    sentences of the lead that tell it again (`telling_where`), the page's place line, the receiving host's
    seat, the title, else the receiving host's capital.

    Never a news agency's dateline (it says where the story was filed), never a person's name
    ("Vladimir Putin" is not the city of Vladimir), never another trip in the same sentence. Where the text puts
    the event in a state or province, the city it names there (the dateline's included) is the nearer place.
    """
    place, evidence = _place_named(sentence, named, paragraph, gazetteer, cast, place_line, title, words, telling_where)
    city = _city_of_region(" ".join((sentence, *paragraph)), place) if place else None
    return (city[0], f"“{city[1]}”") if city else (place, evidence)


def _place_named(sentence: str, named: list[tuple[int, str]], paragraph: list[str], gazetteer: Gazetteer, cast: Cast,
                 place_line: str | None, title: str | None, words: _Compiled,
                 telling_where: Sequence[str]) -> tuple[str | None, str]:
    people = [person.name for person in cast.people] + [name for _, name in named]
    # an event still to come has its own place ("… signed at the summit next week in Kazan"): blanked, offsets kept
    sentence = words.planned.sub(lambda plan: " " * len(plan.group(0)), sentence)
    for event in EVENT_THEN_PLACE.finditer(sentence):
        # "agree on de-escalation in Idlib after Putin-Erdogan talks in Moscow": where the event's noun or verb is
        found = _place_in(_unattributed(sentence[event.end() : event.end() + EVENT_PLACE_WINDOW], words), gazetteer, people)
        if found:
            return found[0], f"“{found[1]}”"
    for text in (sentence, *(other for other in paragraph if other != sentence)):
        trip = words.side_trip.search(text)
        # "… since the two restored ties after talks in Beijing": a clause about an earlier event has its own place
        told = words.earlier.sub(lambda clause: " " * len(clause.group(0)), text[: trip.start()] if trip else text)
        found = _place_in(_unattributed(told, words), gazetteer, people)
        if found:
            return found[0], f"“{found[1]}”"
        filed = _filed_from(paragraph[0] if paragraph else "") if text == sentence and HERE.search(text) else None
        if filed:  # "BEIJING, May 13 (APP): … met here Saturday": here is where the story was filed
            return filed, f"“here” in a story filed from {filed}"
    filed = _filed_from(paragraph[0] if paragraph else "")
    country = next((m for m in _country_mention().finditer(sentence) if IN_COUNTRY.search(sentence, 0, m.start())), None)
    if filed and country and (city := world().city(filed)) and world().country(country.group(0)) == city.country:
        # "Kazan, (APP …) Xi pledged … during talks with Pezeshkian in Russia": the country the text puts the event
        # in is the dateline city's, so the city the story was filed from
        return filed, f"“in {country.group(0)}”, in a story filed from {filed}"
    for text in telling_where:
        found = _place_in(text, gazetteer, people)
        if found:
            return found[0], f"“{found[1]}”"
    for part in reversed((place_line or "").split(",")):
        found = _place_in("in " + part.strip(), gazetteer, people)
        if found:
            return found[0], f"the page's place line “{place_line}”"
    receiving = RECEIVING.search(sentence)
    hosts = [name for offset, name in named if receiving and offset < receiving.start()]
    if hosts and hosts[0] in gazetteer.people and gazetteer.people[hosts[0]].seat:
        return gazetteer.people[hosts[0]].seat, f"{hosts[0]} received the visitor: his seat"
    for _, name in named:
        person = gazetteer.people.get(name)
        if person and not person.abroad and person.seat:
            return person.seat, f"{name} receives every visitor at his seat"
    found = _place_in(title or "", gazetteer, people)
    if found:
        return found[0], f"the title: “{found[1]}”"
    ruled = CITY_RULER.search(sentence, 0, receiving.start()) if receiving and hosts else None
    if ruled and (city := world().city(ruled.group("city"))):
        # "Sheikh Mohammed bin Rashid, Ruler of Dubai, received …": the city he rules
        return city.name, f"{hosts[0]} received the visitor: “{ruled.group(0)}”"
    if hosts:
        host = cast.person(hosts[0])
        if host and host.country:
            capital = world().capital(host.country)
            if capital:
                return capital, f"{hosts[0]} received the visitor: his country's capital"
    return None, ""


def _place_in(text: str, gazetteer: Gazetteer, people: Sequence[str] = ()) -> tuple[str, str] | None:
    """The first place `text` says something is in or at, and those words: a listed place or a city of the
    datasets (the listed one where both start there: "at Hyderabad House" is in New Delhi)."""
    # "an agreement reached in Beijing earlier this year": that place is another time's (blanked, offsets kept)
    text = ANOTHER_TIME.sub(lambda m: " " * len(m.group(0)), text)
    listed = gazetteer.place_at(text)
    city = _city_at(text, people)
    found = [(offset, rank, name) for rank, place in enumerate((listed, city)) if place for offset, name in [place]]
    if not found:
        return None
    offset, _, name = min(found)
    return name, " ".join(re.split(r"[,.;]", text[offset:])[0].split()[:6])


def _city_of_region(text: str, region: str) -> tuple[str, str] | None:
    """The city `text` names in a state or province it puts the event in ("Woodside, California - … a summit in
    California"): the nearer place, and the words naming it."""
    w = world()
    state = w.regions.get(fold(region))
    if state is None or fold(region) in w.cities:
        return None
    for match in re.finditer(rf"(?P<city>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?),\s+{re.escape(region)}\b", text):
        city = w.city(match.group("city"))
        if city and city.country == state.country and fold(city.name) != fold(region):
            return city.name, match.group(0)
    return None


# The event's own words and the place right after them ("talks in Moscow", "met at the Kremlin"), within a few words.
EVENT_THEN_PLACE = re.compile(r"\b(?:talks|meeting|met|meets|negotiations|summit)\b(?=\s+(?:[\w'’-]+\s+){0,3}?(?:in|at)\s)",
                              re.IGNORECASE)
EVENT_PLACE_WINDOW = 60
# "met here Saturday": where the story was filed is where the event was
HERE = re.compile(r"\bhere\b")
# "New Delhi: The talks …", "BEIJING, May 13 (APP): …": the city a story was filed from, before its first words
FILED_FROM = re.compile(r"^\s*(?P<city>[A-Z][A-Za-z'.-]*(?:\s+[A-Z][A-Za-z'.-]*){0,2})\s*(?:[,:(]|\s[-–—]\s)")


# "in" right before a country's name: where a sentence puts something.
IN_COUNTRY = re.compile(r"\bin\s+(?:the\s+)?$")


def _filed_from(paragraph: str) -> str | None:
    """The city a story's dateline names, if it opens with one."""
    match = FILED_FROM.match(paragraph)
    city = world().city(match.group("city").title()) if match else None
    return city.name if city else None


def _unattributed(text: str, words: _Compiled) -> str:
    """`text` without the clauses that attribute the report ("…, the Foreign Ministry in Moscow has announced",
    "according to …"): a place there is the source's, not the event's."""
    clauses = re.split(r"(?<=[,;])\s+", text)
    kept = [clause for clause in clauses if not (words.reported.search(clause) and not (
        words.kind_word.search(clause) or words.phone.search(clause) or words.spoke.search(clause)))]
    return " ".join(kept)


# "in Sochi", "in the Chinese city of Tianjin", "in the Black Sea resort of Sochi", "in the southern port city of …",
# "in the capital Doha", "in Russia's Kazan"
PLACE_AFTER = re.compile(
    r"\b(?:in|at|(?:visit|visiting|trip|arrived|arrival|came|travell?ed|flew)\s+to)\s+"
    # "in the resort city of Sochi", "at Putin's residence", "at the Parliament House of Singapore"
    r"(?:the\s+(?:[\w-]+\s+){0,3}(?:city|capital|resort|town|port)\s+(?:of\s+)?|[A-Z][\w-]*['’]s\s+"
    r"|the\s+(?:[A-Z][\w-]*\s+){1,3}of\s+)?"
    # "Rio de Janeiro", "Dar es Salaam": a particle between a city's capitalised words
    r"(?P<phrase>[A-Z][\w'’.-]*(?:\s+(?:(?:de|da|do|dos|del|es|la)\s+)?[A-Z][\w'’.-]*){0,2})"
)

# A time after a city that is not a news event's: "in Beijing earlier this year", "in Riyadh last year", "in 2019".
ANOTHER_TIME = re.compile(r"\b(?i:in|at)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
                          r"\s*,?\s*(?i:(?:earlier|later)\s+(?:this|that|last)\s+(?:year|month)|last\s+(?:year|month)"
                          r"|in\s+(?:19|20)\d\d\b|(?:\w+\s+)?(?:years|decades)\s+ago)\b"
                          # "Erdogan's previous visit to Cairo": an earlier trip's place
                          r"|\b(?i:previous|prior|last|earlier|former)\s+(?:[\w-]+\s+)?(?i:visit|trip|meeting|talks|summit)"
                          r"\s+(?i:to|in)\s+[A-Z][\w'’.-]*")
# "Tunis-Carthage airport", "Moscow-Vnukovo International Airport": a city, a hyphen, a name, then the airport
AIRPORT_NAMED = re.compile(r"[A-Z][\w'.]*-[A-Z][\w'.-]*(?:\s+[A-Z]\w*)*\s+[Aa]irport\b")


# The city after a place no gazetteer names: "in Motoakasaka, Tokyo".
CITY_AFTER_COMMA = re.compile(r",\s+(?P<city>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)")
# A host's office that names a city: "Ruler of Dubai", "Governor of Tokyo", "Mayor of Paris".
CITY_RULER = re.compile(r"\b(?:Ruler|Governor|Mayor)\s+of\s+(?P<city>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
# "in the kingdom's capital", "in the country's capital": the capital of the country named just before
ITS_CAPITAL = re.compile(r"\b(?:in|at|to)\s+the\s+(?:kingdom|country|republic|emirate|sultanate)['’]s\s+capital\b")
# A building named after a city, or anything else, is not in that city: "Hyderabad House" is in New Delhi.
BUILDING = re.compile(r"\s(?:Palace|House|Complex|Hall|Centre|Center|Residence|Guesthouse|Gardens?|Pavilion|Buildings?)\b")


# "in the Chinese capital", "in the Iranian capital": the capital of the country the demonym names
DEMONYM_CAPITAL = re.compile(r"\b(?:in|at|to)\s+the\s+(?P<demonym>[A-Z][\w-]+)\s+capital\b(?!\s+of\b)")


def _city_at(text: str, people: Sequence[str] = ()) -> tuple[int, str] | None:
    named = [place for place in (_capital_named(text), _city_after(text, people)) if place is not None]
    return min(named) if named else None


@cache
def _country_mention() -> re.Pattern[str]:
    w = world()
    return re.compile(rf"(?<![\w-])(?:{w.country_re}|{w.demonym_re})(?![\w-])")


def _capital_named(text: str) -> tuple[int, str] | None:
    for match in DEMONYM_CAPITAL.finditer(text):
        country = world().country(match.group("demonym"))
        capital = world().capital(country) if country else None
        if capital:
            return match.start(), capital
    its = ITS_CAPITAL.search(text)
    if its:  # "met the Crown Prince of Saudi Arabia in the kingdom's capital": the country named last before it
        w = world()
        named = [w.country(m.group(0)) for m in _country_mention().finditer(text, 0, its.start())]
        capital = w.capital(named[-1]) if named and named[-1] else None
        if capital:
            return its.start(), capital
    return None


def _city_after(text: str, people: Sequence[str]) -> tuple[int, str] | None:
    for match in PLACE_AFTER.finditer(text):
        phrase = match.group("phrase")
        if any(person.startswith(phrase.split()[0] + " ") and phrase.split()[0] != person for person in people) and \
                any(fold(phrase).startswith(fold(person)) or fold(person).startswith(fold(phrase)) for person in people):
            continue  # "at Vladimir Putin's invitation": a first name, not a city
        if BUILDING.search(phrase):
            continue  # "in Sa'dabad Cultural Complex in Tehran", "at Hyderabad House": a building, not the city it names
        city = world().city(phrase)
        within = CITY_AFTER_COMMA.match(text, match.end("phrase"))
        if city is None and within:
            city = world().city(within.group("city"))  # "at the State Guest House in Motoakasaka, Tokyo"
        if city is None and AIRPORT_NAMED.match(text, match.start("phrase")):
            # "at Tunis-Carthage airport": an airport named by its city and something else is in that city
            city = world().city(phrase.split("-")[0])
        if city:
            return match.start(), city.name
    return None


# --- linking reports of one event ----------------------------------------------------

# A report that names no day joins an event at most this many days before it was published.
UNDATED_WINDOW = 7


def agree(meeting: Meeting, other: Meeting, anchored: bool = False) -> str | None:
    """Why two reports are of one event, or None.

    One event: the same kind of event however worded (an arrival report of a meeting reports the
    meeting); the same day where both texts name one (two explicit days that differ are two events,
    consecutive-day talks included); a report whose text names no day was published on or within a
    week after the other's day; places the texts give do not differ; the participants agree (one list
    holds the other, two people shared), unless the shorter list's report names the missing person
    and leaves them out, or one is a summit and the other a talk on its sidelines.

    Two reports that name no day were published at most a day apart, unless `anchored`: the event
    they would join has a report naming its day, each is checked against that, and two publication
    days only bound the event from above (a late copy two days on is still the arrival it tells).
    """
    if FAMILY.get(meeting.kind) != FAMILY.get(other.kind) or not meeting.date or not other.date:
        return None
    ours, theirs = date.fromisoformat(meeting.date), date.fromisoformat(other.date)
    if meeting.date_basis == "text" and other.date_basis == "text":
        if ours != theirs:
            return None
    elif meeting.date_basis == "text" or other.date_basis == "text":
        said, published = (ours, theirs) if meeting.date_basis == "text" else (theirs, ours)
        if not 0 <= (published - said).days <= UNDATED_WINDOW:
            return None
    elif abs((ours - theirs).days) > (UNDATED_WINDOW if anchored else 1):
        return None
    pairs = _pairs(other, meeting)
    # places that differ are two events, unless both texts name the day and the same people: one of the two places
    # was misread (a dateline, a side trip), the pair did not meet twice that day
    same_day_and_people = (meeting.date_basis == other.date_basis == "text" and ours == theirs
                           and len(pairs) == len(meeting.participants) == len(other.participants) >= 2)
    if meeting.place and other.place and not same_place(meeting.place, other.place) \
            and FAMILY[meeting.kind] == "in person" and not same_day_and_people:
        return None
    shared = [name for name, _ in pairs]
    smaller = min(len(meeting.participants), len(other.participants))
    needed = 1 if FAMILY[meeting.kind] == "in person" and "visit" in (meeting.kind, other.kind) else 2
    if len(shared) < smaller or len(shared) < needed:
        return None
    for short, long, side in ((meeting, other, 0), (other, meeting, 1)):
        paired = {pair[side] for pair in pairs}
        # an office named without its holder names nobody: the report may have meant one it has take part
        missing = [name for name in long.participants if name not in paired and name not in _office_only(long)]
        if any(same_person(name, seen) for name in missing for seen in short.named):
            return None  # the report names them and does not have them take part
    if {meeting.setting, other.setting} == {"summit", "sidelines"} and set(meeting.participants) != set(other.participants):
        return None
    when = f"on {other.date}" if ours == theirs else f"({other.date} and {meeting.date}, one of them the day published)" \
        if "text" in (meeting.date_basis, other.date_basis) else f"(published {other.date} and {meeting.date})"
    where = f", in {other.place or meeting.place}" if (other.place or meeting.place) else ""
    return f"same {FAMILY[meeting.kind]} event {when}{where}, with {', '.join(shared)}"


def _office_only(meeting: Meeting) -> dict[str, str]:
    """The participants a report names by office and country alone ("President of Brazil": the text
    never names them), each with the country, an envoy excepted (an envoy is not whom they stand for)."""
    return {person.name: person.country for person in meeting.people
            if person.country and person.office and person.office != "Envoy"
            and person.name.startswith(f"{person.office} of ") and person.name in meeting.participants}


def _same_participant(name: str, other: str) -> bool:
    """Two reports' names of one participant: one person however spelled (`same_person`), two names
    in either order ("Hayashi Yoshimasa", "Yoshimasa Hayashi": the press writes some family names
    first, some last), or the one name the press knows someone by, a word of their full name past the
    first and not their father's ("Lula" of "Luiz Inácio Lula da Silva"; not "Salman" of "Mohammed bin
    Salman"). Only between reports of one event: two people may well bear each other's names."""
    if same_person(name, other):
        return True
    words, others = fold(name).split(), fold(other).split()
    if len(words) == 2 and words == others[::-1]:
        return True
    short, long = sorted((words, others), key=len)
    return len(short) == 1 and len(short[0]) >= 4 and any(
        word == short[0] and long[index - 1] not in PARTICLES for index, word in enumerate(long) if index)


def _pairs(one: Meeting, other: Meeting) -> list[tuple[str, str]]:
    """The participants of `one` that take part in `other`'s event, each with its name there: the same
    person however spelled, or an office named without its holder and the one participant left on
    the other side who may hold it (of that country, or of a country neither report gives)."""
    pairs = [(name, next(mine for mine in other.participants if _same_participant(name, mine)))
             for name in one.participants if any(_same_participant(name, mine) for mine in other.participants)]
    for side, (report, counterpart) in enumerate(((one, other), (other, one))):
        offices = _office_only(report)
        countries = {person.name: person.country for person in counterpart.people}
        for name, country in sorted(offices.items()):
            if any(pair[side] == name for pair in pairs):
                continue
            left = [held for held in counterpart.participants if held not in {pair[side ^ 1] for pair in pairs}
                    and held not in _office_only(counterpart) and countries.get(held) in (country, None)]
            if len(left) == 1:
                pairs.append((name, left[0]) if side == 0 else (left[0], name))
    return pairs


def _strength(meeting: Meeting) -> tuple[int, int, int, str]:
    """Reports linked first: those that name their day, then those naming more people, then the most places."""
    return (meeting.date_basis != "text", -len(meeting.participants), meeting.place is None, meeting.date or "")


def cluster(readings: Sequence[tuple[str, Meeting]]) -> list[tuple[list[str], Meeting, dict[str, str]]]:
    """Reports grouped into events: (keys, the event as its reports give it, why each key belongs).

    The result depends on the set of readings only, never on the order they come in. The reports
    that name their day are grouped first, each event the largest set of them that all agree (see
    `_largest_agreeing`): a report read wrong (a preview, a misread day, a name cut in two) then stays
    on its own instead of taking a group first and keeping the true reports out of it. The reports
    that name no day follow, strongest first (more people), ties by key, each joining the event
    every report of which it agrees with, the nearest in days, else starting one.
    """
    mentions = sorted((key, meeting) for key, meeting in readings if meeting.tentative)
    ordered = sorted(((key, meeting) for key, meeting in readings if not meeting.tentative),
                     key=lambda item: (_strength(item[1]), item[0]))
    groups: list[list[tuple[str, Meeting]]] = []
    reasons: dict[str, str] = {}
    for group in _largest_agreeing([item for item in ordered if item[1].date_basis == "text"]):
        groups.append(group)
        reasons[group[0][0]] = "the first report of this event"
        for key, meeting in group[1:]:
            reasons[key] = str(agree(meeting, group[0][1], anchored=True))
    for key, meeting in ordered:
        if meeting.date_basis == "text":
            continue
        best: tuple[tuple[int, int], int, str] | None = None
        for number, group in enumerate(groups):
            # reports naming their day come first: by now a group has all of its that do
            anchored = any(other.date_basis == "text" for _, other in group)
            whys = [agree(meeting, other, anchored) for _, other in group]
            if all(whys):
                rank = (-abs(_days(meeting, group[0][1])), len(group))
                if best is None or rank > best[0]:
                    best = (rank, number, str(whys[0]))
        if best is None:
            groups.append([(key, meeting)])
            reasons[key] = "its text names no day; no report of such an event in the week before it was published"
        else:
            groups[best[1]].append((key, meeting))
            reasons[key] = best[2]
    result = []
    for group in groups:
        if len(group) > 1:
            for key, _ in group:
                if reasons[key].startswith(("the first", "its text")):
                    others = len(group) - 1
                    reasons[key] = f"the best-evidenced report of this event; {others} other report(s) agree with it"
        result.append(([key for key, _ in group], merge([meeting for _, meeting in group]), {key: reasons[key] for key, _ in group}))
    joined = []
    for key, mention in mentions:
        # a report whose event was not read joins the one event it fits, never one of two it might be
        fits = [number for number, (_, event, _) in enumerate(result) if _mentions(mention, event)]
        if len(fits) == 1:
            joined.append((fits[0], key, mention))
    for number, key, mention in joined:
        keys, event, why = result[number]
        keys.append(key)
        why[key] = (f"no event read, but it names {', '.join(event.participants)} and was published on"
                    f" {mention.date}, within {UNDATED_WINDOW} days after their only such event")
        if event.date_basis == "published" and mention.date and event.date and mention.date < event.date:
            # no text names the day: the first publication bounds it best
            event = replace(event, date=mention.date, date_evidence=f"the text names no day: first published {mention.date}")
            result[number] = (keys, event, why)
    return result


def _largest_agreeing(reports: Sequence[tuple[str, Meeting]]) -> list[list[tuple[str, Meeting]]]:
    """Reports that name their day, as events: each the largest set of reports that all agree pairwise.

    From each report, a set is grown with the reports that agree with it, those agreeing with the
    most of the others first (strength, then key, on ties); the largest set found is an event
    (its seed first), its reports leave, and so on. Whatever order reports come in, so is the result.
    """
    agreeing: dict[int, set[int]] = {one: {other for other, (_, b) in enumerate(reports)
                                           if other != one and agree(a, b, anchored=True) and agree(b, a, anchored=True)}
                                     for one, (_, a) in enumerate(reports)}
    left = list(range(len(reports)))  # in the order given: strongest first
    events = []
    while left:
        best: list[int] = []
        for seed in left:
            near = [other for other in left if other in agreeing[seed]]
            around = set(near)
            near.sort(key=lambda one: -len(agreeing[one] & around))  # stable: strength, key
            grown = [seed]
            for one in near:
                if agreeing[one].issuperset(grown):
                    grown.append(one)
            if len(grown) > len(best):
                best = grown
        events.append([reports[number] for number in best])
        left = [number for number in left if number not in best]
    return events


def _mentions(mention: Meeting, event: Meeting) -> bool:
    """A text naming everyone of `event` (two people at least), published within the week after it, on no
    other day than the event's where both name theirs."""
    if len(event.participants) < 2 or not event.date or not mention.date:
        return False
    # an event dated by its reports' publication may have been a day before the first of them
    earliest = -1 if event.date_basis == "published" else 0
    if not earliest <= (date.fromisoformat(mention.date) - date.fromisoformat(event.date)).days <= UNDATED_WINDOW:
        return False
    if mention.date_basis == event.date_basis == "text" and mention.date != event.date:
        return False  # both name their day, and the days differ: two events
    if len(mention.participants) == 1:
        # one of its people, in the city it was held in
        return event.place in mention.places and any(same_person(mention.participants[0], name) for name in event.participants)
    return all(any(same_person(name, named) for named in mention.participants) for name in event.participants)


def _days(meeting: Meeting, other: Meeting) -> int:
    return (date.fromisoformat(meeting.date or "1970-01-01") - date.fromisoformat(other.date or "1970-01-01")).days


def _vote(values: Iterable[str | None]) -> str | None:
    """The value most reports give; ties to the first in sort order, so no arrival order decides."""
    counted = Counter(value for value in values if value)
    if not counted:
        return None
    return min(counted, key=lambda value: (-counted[value], value))


def merge(reports: Sequence[Meeting]) -> Meeting:
    """One event from its reports: the day most texts name (the publication day only when none does),
    the place most sentences give, the kind most reports word it as (a meeting before an arrival),
    everyone at least a third of the reports have take part, under the spelling most reports use."""
    named = [m for m in reports if m.date_basis == "text"]
    day = _vote(m.date for m in named) if named else min((m.date for m in reports if m.date), default=None)
    place = _vote(m.place for m in reports)
    kinds = Counter(m.kind for m in reports)
    if kinds.get("visit") and kinds.get("meeting"):
        kinds["meeting"] += kinds.pop("visit")
    kind = min(kinds, key=lambda k: (-kinds[k], k))
    spellings: list[list[str]] = []
    for m in reports:
        for name in m.participants:
            if name in _office_only(m):
                continue
            group = next((g for g in spellings if any(_same_participant(name, other) for other in g)), None)
            if group is None:
                spellings.append([name])
            else:
                group.append(name)
    countries = {person.name: person.country for m in reports for person in m.people if person.country}
    offices: list[list[str]] = []  # offices named without a holder no report names: kept as worded
    for m in reports:
        for name, country in sorted(_office_only(m).items()):
            # a report's "President of Brazil" is the Brazilian another report names
            holders = [g for g in spellings if any(countries.get(other) == country for other in g)]
            group = holders[0] if len(holders) == 1 else next((g for g in offices if g[0] == name), None)
            if group is None:
                offices.append([name])
            else:
                group.append(name)
    spellings += offices
    # someone only a few of many reports have take part was met on the side (the prime minister the
    # visitor also saw), not at this event
    worded = {name for m in reports for name in _office_only(m)}
    participants = tuple(sorted(_vote([n for n in group if n not in worded] or group) or group[0]
                                for group in spellings if len(group) * 3 >= len(reports)))
    people: dict[str, PersonRecord] = {}
    for m in sorted(reports, key=lambda m: m.sentence):
        for person in m.people:
            name = next((p for p in participants if _same_participant(person.name, p)), person.name)
            known = people.get(name)
            people[name] = PersonRecord(name, (known and known.country) or person.country,
                                        (known and known.office) or person.office,
                                        tuple(sorted({*person.aliases, *(known.aliases if known else ())})))
    best = min(reports, key=_strength)
    return Meeting(
        day, place, participants, kind, tuple(people[name] for name in participants if name in people),
        date_basis="text" if named else "published", sentence=best.sentence,
        date_evidence=best.date_evidence, place_evidence=best.place_evidence,
        named=tuple(sorted({n for m in reports for n in m.named})), setting=best.setting,
    )
