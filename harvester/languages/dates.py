"""The dates a text names, with the words that name them, for the meeting step to weigh.

A readout dates its event in many ways: a full date ("17 января 2025 года",
"19 آب 2009", "28 دی 1403"), a day and month without the year, a weekday ("в
понедельник", "روز دوشنبه", "يوم الاثنين"), a relative day ("сегодня", "دیروز",
"أمس"), and on Arabic pages a lunar Hijri date beside the Gregorian one ("12
رمضان 1445 هـ"). `dates_in` finds each, resolves it against the publication date
(a date without a year, or a weekday, is the nearest one on or before it) and
says what kind of evidence it is; deciding which date is the event's is the
meeting step's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import hijridate
import jdatetime

from harvester.languages.fold import fold, fold_with_offsets, primary
from harvester.languages.lexicon import LANGUAGES, Lexicon, lexicon
from harvester.languages.stem import stem

EXPLICIT, NO_YEAR, WEEKDAY, RELATIVE, HIJRI = "explicit", "no_year", "weekday", "relative", "hijri"


@dataclass(frozen=True)
class DateMention:
    """A date a text names: `kind` is explicit, no_year, weekday, relative or hijri (a lunar Hijri date)."""

    date: str
    kind: str
    evidence: str
    start: int
    end: int


def _alternatives(names: Iterable[str]) -> str:
    """A regex of the names, longest first, where a space may be any white space or none (Persian writes both)."""
    return "|".join(sorted((re.escape(n).replace(r"\ ", r"\s*") for n in names), key=len, reverse=True))


# A date without a year up to this many days after publication is this year's: a plan, not an
# event a year back ("the visit on 26 November" in a call readout of 20 November). The same rule
# as the English reader's (`harvester.meetings.PLANNED_AHEAD`).
PLANNED_AHEAD = 62


def _nearest_before(published: date, month: int, day: int) -> date | None:
    """The year-less date nearest on or before publication, or this year's when it lies just ahead (a plan)."""
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published + timedelta(days=PLANNED_AHEAD):
            return candidate
    return None


def _nearest_solar_before(published: date, month: int, day: int) -> date | None:
    """A Solar Hijri day without its year ("دیروز شنبه ۲۰ اردیبهشت"), as `_nearest_before` does a Gregorian one:
    this Iranian year's, or last year's where this year's lies further ahead than a plan."""
    year = jdatetime.date.fromgregorian(date=published).year
    for candidate_year in (year, year - 1):
        try:
            candidate: date = jdatetime.date(candidate_year, month, day).togregorian()
        except ValueError:
            continue
        if candidate <= published + timedelta(days=PLANNED_AHEAD):
            return candidate
    return None


def _published(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class _Patterns:
    day_month: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]


_B, _E = r"(?<!\w)", r"(?!\w)"


def _patterns(words: Lexicon) -> _Patterns:
    months = {**words.months, **words.solar_hijri_months, **words.lunar_hijri_months}
    # Russian declines weekdays ("в среду", "в пятницу"): their stems, then any ending.
    weekday_words = (_alternatives(words.weekdays) if words.language != "ru"
                     else "|".join(rf"{stem(name, 'ru')}\w*" for name in words.weekdays))
    if words.language == "fa":
        # the weekdays counted from Saturday are written joined, with a non-joiner or with a space ("پنجشنبه",
        # "پنج شنبه"): "شنبه" alone in "پنج شنبه" is no Saturday
        weekday_words = weekday_words.replace("شنبه", r"\s*شنبه")
    before = {"ru": r"(?:во?\s+)?", "fa": r"(?:روز\s+)?", "ar": r"(?:يوم\s+)?(?:ال)?"}[words.language]
    return _Patterns(
        day_month=re.compile(
            # Persian may write "month" after a month's name, apart or glued ("۲۴ بهمن ماه", "۱۱ مهرماه")
            rf"{_B}(?P<day>\d{{1,2}})\s*(?P<month>{_alternatives(months)})(?:\s*ماه)?{_E}"
            # after the year, folded: "года", "г.", Hijri "هـ", "ه.ش", "هجري", Gregorian "م", "ميلادي"
            r"(?:\s*(?P<year>\d{4})(?!\d)(?:\s*(?:года|г\.|ه\.ش|هجريه|هجري|ميلادي|ه|م)(?!\w))?)?"
        ),
        weekday=re.compile(rf"{_B}{before}(?P<name>{weekday_words}){_E}"),
        relative=re.compile(rf"{_B}(?P<word>{_alternatives(words.relative_days)}){_E}"),
    )


_COMPILED: dict[str, _Patterns] = {}


def _weekday_number(name: str, words: Lexicon) -> int | None:
    if words.language == "ru":  # Russian declines weekdays ("в среду"): compare stems
        wanted = stem(name, "ru")
        return next((n for w, n in words.weekdays.items() if stem(w, "ru") == wanted), None)
    if words.language == "fa":  # "پنج شنبه", "پنجشنبه" and "پنج‌شنبه" are one day
        return next((n for w, n in words.weekdays.items() if re.sub(r"\s+", "", w) == re.sub(r"\s+", "", name)), None)
    bare = name[2:] if words.language == "ar" and name.startswith("ال") else name
    return words.weekdays.get(name, words.weekdays.get(bare, words.weekdays.get("ال" + bare)))


def _coming(folded: str, match: re.Match[str], words: Lexicon) -> bool:
    """Whether "next" or "coming" (the lexicon's `upcoming`) qualifies a weekday: before it in Russian ("в
    следующую субботу"), after it in Persian and Arabic ("شنبه آینده", "السبت المقبل"). That day is the one
    after publication, not the one before."""
    if words.language == "ru":
        before = folded[max(0, match.start() - 20) : match.start()].split()
        return bool(before) and any(before[-1].startswith(word) for word in words.upcoming)
    after = folded[match.end() : match.end() + 20].split()
    return bool(after) and after[0] in words.upcoming


def dates_in(text: str, language: str, published: date | str | None) -> list[DateMention]:
    """Every date `text` names in `language` (ru, fa, ar), in text order, resolved against `published`.

    Dates without a year, weekdays and relative days need `published` and are left
    out without it; a Russian, Persian or Arabic text gets its own month names, a
    language without a lexicon only numeric dates.
    """
    language = primary(language) or ""
    words = lexicon(language) if language in LANGUAGES else None
    folded, offsets = fold_with_offsets(text)
    day = _published(published)
    found: dict[int, DateMention] = {}

    def add(match: re.Match[str], value: date | None, kind: str) -> None:
        if value is None or match.start() in found:
            return
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        found[match.start()] = DateMention(value.isoformat(), kind, text[start:end], start, end)

    if words is not None:
        patterns = _COMPILED.get(language) or _COMPILED.setdefault(language, _patterns(words))
        for match in patterns.day_month.finditer(folded):
            name = re.sub(r"\s+", " ", match["month"])
            number, year = int(match["day"]), int(match["year"]) if match["year"] else None
            try:
                if name in words.lunar_hijri_months:
                    if year is not None:
                        add(match, hijridate.Hijri(year, words.lunar_hijri_months[name], number).to_gregorian(), HIJRI)
                elif name in words.solar_hijri_months:
                    if year is not None:
                        add(match, jdatetime.date(year, words.solar_hijri_months[name], number).togregorian(), EXPLICIT)
                    elif day is not None:
                        add(match, _nearest_solar_before(day, words.solar_hijri_months[name], number), NO_YEAR)
                elif year is not None:
                    add(match, date(year, words.months[name], number), EXPLICIT)
                elif day is not None:
                    add(match, _nearest_before(day, words.months[name], number), NO_YEAR)
            except (ValueError, OverflowError):
                continue
        if day is not None:
            for match in patterns.weekday.finditer(folded):
                weekday = _weekday_number(match["name"], words)
                if weekday is not None and _coming(folded, match, words):
                    add(match, day + timedelta(days=(weekday - day.weekday()) % 7 or 7), WEEKDAY)
                elif weekday is not None:
                    add(match, day - timedelta(days=(day.weekday() - weekday) % 7), WEEKDAY)
            for match in patterns.relative.finditer(folded):
                offset = words.relative_days[re.sub(r"\s+", " ", match["word"])]
                add(match, day + timedelta(days=offset), RELATIVE)
    for match in _NUMERIC.finditer(folded):
        year = int(match["y1"] or match["y2"])
        month, number = int(match["m1"] or match["m2"]), int(match["d1"] or match["d2"])
        try:
            if 1300 <= year < 1500 and language == "fa":
                add(match, jdatetime.date(year, month, number).togregorian(), EXPLICIT)
            elif 1900 <= year < 2200:
                add(match, date(year, month, number), EXPLICIT)
        except ValueError:
            continue
    mentions = [found[key] for key in sorted(found)]
    # "غدا الأربعاء" (tomorrow, Wednesday): a weekday beside another name of its day is that day, not the last one
    # of its name (left out where the two disagree: the other name is the surer)
    return [mention for number, mention in enumerate(mentions) if mention.kind != WEEKDAY or not any(
        other.kind != WEEKDAY and other.date != mention.date and _BESIDE.fullmatch(fold(text[min(mention.end, other.end) : max(mention.start, other.start)]))
        for other in mentions[max(0, number - 1) : number + 2] if other is not mention)]


# What stands between a weekday and another name of the same day: a comma, a bracket, a dash.
_BESIDE = re.compile(r"[\s,،()\-–—]*")


_NUMERIC = re.compile(r"(?<![\d/.-])(?:(?P<y1>\d{4})[/.-](?P<m1>\d{1,2})[/.-](?P<d1>\d{1,2})|"
                      r"(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>\d{4}))(?![\d/.])")
