"""The words of each language the meeting step reads, loaded once.

What CLDR knows comes from Babel (country names, weekday names, Gregorian month
names, in every form CLDR gives: Russian genitive months, the Egyptian and the
Levantine Arabic series); what it does not is data beside this module
(`ru.toml`, `fa.toml`, `ar.toml`: event wording, plan wording, relative days,
offices, titles before names, country names CLDR lacks, demonyms, place
prepositions, lunar Hijri months; `cities.toml`: city
names). Every key is folded, so lookups compare `fold`ed text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from importlib import resources

from babel import Locale, UnknownLocaleError

from harvester.languages.fold import fold, primary

LANGUAGES = ("ru", "fa", "ar")
KINDS = ("meeting", "call", "video_call", "message", "visit")
# Locales whose CLDR month names a language's pages use: Arabic has two Gregorian series.
MONTH_LOCALES = {"ru": ("ru",), "fa": ("fa",), "ar": ("ar", "ar_SY", "ar_IQ")}
# Solar Hijri months, the civil calendar of Iran (CLDR's Persian calendar is not exposed by Babel).
SOLAR_HIJRI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
# The same calendar's months as Afghanistan names them, after the zodiac ("۳۰ عقرب" is 30 Aban, "۱۱ حوت" 11 Esfand):
# Dari pages are Persian pages too.
AFGHAN_SOLAR_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")


@dataclass(frozen=True)
class Lexicon:
    """One language's words, folded. Numbers: weekdays 0 = Monday; months 1-12; relative days as offsets."""

    language: str
    events: dict[str, tuple[str, ...]]
    plan: tuple[str, ...]
    relative_days: dict[str, int]
    # words that attribute a report ("сообщили", "أفادت", "اعلام کرد"): a day in their clause is the report's
    reported: tuple[str, ...]
    weekdays: dict[str, int]
    months: dict[str, int]
    # verbs of talks that say nothing of how they were held, read with "with" after them ("بحث … مع")
    discussed: tuple[str, ...] = ()
    # verbs of leaving, read with "to" after them ("غادر … إلى"): a trip begun, its talks still ahead
    departed: tuple[str, ...] = ()
    # verbs of an event in the present, as a live report writes them ("проводят переговоры", "встреча проходит"):
    # it is being held, not announced
    ongoing: tuple[str, ...] = ()
    # "without" before an event's word ("без встречи", "بدون دیدار", "دون لقاء"): an event that was not held
    without: tuple[str, ...] = ()
    # "this country" after an office ("رئیس جمهور این کشور", "رئيس هذا البلد"): the country the text named last
    this_country: tuple[str, ...] = ()
    # "next", "coming" beside an event's word ("следующий саммит", "نشست آینده", "القمة المقبلة"): a place named
    # with it is the next event's
    upcoming: tuple[str, ...] = ()
    # words opening a sentence that tells where the sentence before was said ("جاء ذلك في رسالة"): its event
    # is the one of that sentence's people
    resumes: tuple[str, ...] = ()
    solar_hijri_months: dict[str, int] = field(default_factory=dict)
    lunar_hijri_months: dict[str, int] = field(default_factory=dict)
    offices: dict[str, str] = field(default_factory=dict)
    honorifics: tuple[str, ...] = ()
    countries: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    prepositions: tuple[str, ...] = ()
    # what a place is called before its name ("в городе Сочи", "في منتجع سوتشي", "در کاخ کرملین")
    place_nouns: tuple[str, ...] = ()
    # a country's seat of power or capital, named by the country alone ("در کاخ ریاست جمهوری الجزایر")
    seat_nouns: tuple[str, ...] = ()
    cities: dict[str, str] = field(default_factory=dict)
    # words opening a sentence that recalls the past ("Ранее", "پیشتر", "في وقت سابق")
    earlier: tuple[str, ...] = ()
    # the country whose press the language's pages mostly are (Persian: Iran), and the words that make a page
    # another's (Dari's: Afghanistan)
    own_country: str | None = None
    country_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _glued(phrases: Any) -> list[str]:
    """Each phrase, and where it has a zero-width non-joiner, also as pages that lost it write it: glued
    ("نخست‌وزیر" is "نخستوزیر", "گفت‌وگو" is "گفتوگو"), which `fold` cannot tell from one word."""
    return [form for phrase in phrases for form in dict.fromkeys((phrase, phrase.replace("\u200c", "")))]


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("harvester.languages").joinpath(name).read_text(encoding="utf-8"))


def _cldr_weekdays(locale: Locale) -> dict[str, int]:
    found: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, name in locale.days[context]["wide"].items():
            found[fold(name)] = number
    return found


def _cldr_months(locales: tuple[str, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for tag in locales:
        locale = Locale.parse(tag)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    name = fold(name).rstrip(".")
                    if not name.isdigit():  # short ones (Levantine اب, Persian مه) are read only beside a day's number
                        found.setdefault(name, number)
    return found


def lexicon(language: str) -> Lexicon:
    """The lexicon of ru, fa or ar (or a tag of theirs: fa-IR), loaded once; a KeyError names a language without one."""
    return _lexicon(primary(language) or "")


@cache
def _lexicon(language: str) -> Lexicon:
    if language not in LANGUAGES:
        raise KeyError(f"no lexicon for language {language!r}: there are {', '.join(LANGUAGES)}")
    data = _data(f"{language}.toml")
    locale = Locale.parse(language)
    cities = {fold(name): city for city, names in _data("cities.toml").items() for name in names.get(language, [])}
    return Lexicon(
        language=language,
        events={kind: tuple(fold(w) for w in data["events"].get(kind, ())) for kind in KINDS},
        plan=tuple(fold(w) for w in data["events"].get("plan", ())),
        discussed=tuple(fold(w) for w in data["events"].get("discussed", ())),
        departed=tuple(fold(w) for w in data["events"].get("departed", ())),
        resumes=tuple(fold(w) for w in data["events"].get("resumes", ())),
        without=tuple(fold(w) for w in data["events"].get("without", ())),
        ongoing=tuple(fold(w) for w in data["events"].get("ongoing", ())),
        upcoming=tuple(fold(w) for w in data["places"].get("upcoming", ())),
        this_country=tuple(fold(w) for w in data["places"].get("this_country", ())),
        relative_days={fold(k): int(v) for k, v in data["relative_days"].items()},
        reported=tuple(fold(w) for w in data["events"].get("reported", ())),
        weekdays=_cldr_weekdays(locale),
        months=_cldr_months(MONTH_LOCALES[language]),
        solar_hijri_months={fold(n): i for months in (SOLAR_HIJRI_MONTHS, AFGHAN_SOLAR_MONTHS)
                            for i, n in enumerate(months, 1)} if language == "fa" else {},
        lunar_hijri_months={fold(k): int(v) for k, v in data.get("hijri_months", {}).items()},
        offices={fold(form): str(v) for k, v in data["offices"].items() for form in _glued([k])},
        honorifics=tuple(fold(w) for w in _glued(data["honorifics"]["before_names"])),
        countries={fold(name): code for code, name in locale.territories.items() if code.isalpha() and len(code) == 2}
        | {fold(name): str(code) for name, code in data.get("countries", {}).items()},
        demonyms={fold(k): str(v) for k, v in data["demonyms"].items()},
        prepositions=tuple(fold(w) for w in data["places"]["prepositions"]),
        place_nouns=tuple(fold(w) for w in data["places"].get("nouns", ())),
        seat_nouns=tuple(fold(w) for w in data["places"].get("seats", ())),
        cities=cities,
        earlier=tuple(fold(w) for w in data["events"].get("earlier", ())),
        own_country=data.get("own_country", {}).get("default"),
        country_words={country: tuple(fold(w) for w in words)
                       for country, words in data.get("own_country", {}).items() if country != "default"},
    )


@cache
def direction(language: str | None) -> str:
    """The HTML `dir` of a text in `language` (BCP 47): "rtl" for Arabic, Persian, Urdu, Hebrew...; "auto" when unknown.

    From CLDR's character order, so every right-to-left language is known without a list.
    """
    if not language:
        return "auto"
    try:
        order = Locale.parse(language.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return "auto"
    return "rtl" if order == "right-to-left" else "ltr"
