"""Publication dates as ISO 8601, from whatever a page prints."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import jdatetime

from harvester.extract.text import collapse

TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%p", "%X", "%c", "%z")


def _iso(moment: datetime, pattern: str | None) -> str:
    if pattern is not None and not any(directive in pattern for directive in TIME_DIRECTIVES):
        return moment.date().isoformat()
    return moment.isoformat()


def parse_date(value: str | None, formats: tuple[str, ...] = ()) -> str | None:
    """ISO 8601 first, then each strptime pattern; None when nothing fits.

    Sites space their dates irregularly ("11 / Mar / 2018", "19 /Feb/ 2018"), so a
    pattern is tried on the collapsed text and then with all white space removed.
    """
    if not value:
        return None
    text = collapse(value)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return text[:10] if len(text) == 10 else _iso(moment, None)
    squeezed = "".join(text.split())
    for pattern in formats:
        for candidate, form in ((text, pattern), (squeezed, "".join(pattern.split()))):
            try:
                return _iso(datetime.strptime(candidate, form), pattern)
            except ValueError:
                continue
    return None


# --- Dates found without configuration: meta values, visible text, URLs ------------------------------

# Persian and Arabic-Indic digits, one for one, so match positions stay valid in the original text.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

# Gregorian month names as news sites print them: English, Russian (nominative and genitive), Arabic
# (Egyptian and Levantine names) and Persian transliterations.
_GREGORIAN = {
    **{name: number for number, names in enumerate((
        "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
        "august aug", "september sep sept", "october oct", "november nov", "december dec",
    ), 1) for name in names.split()},
    **{name: number for number, names in enumerate((
        "январь января янв", "февраль февраля фев", "март марта мар", "апрель апреля апр", "май мая",
        "июнь июня июн", "июль июля июл", "август августа авг", "сентябрь сентября сен",
        "октябрь октября окт", "ноябрь ноября ноя", "декабрь декабря дек",
    ), 1) for name in names.split()},
    **{name: number for number, names in enumerate((
        "يناير|كانون الثاني|ژانویه", "فبراير|شباط|فوریه", "مارس|آذار", "أبريل|ابريل|نيسان|آوریل",
        "مايو|أيار|مه", "يونيو|يونيه|حزيران|ژوئن", "يوليو|يوليه|تموز|ژوئیه|جولای", "أغسطس|اغسطس|آب|اوت",
        "سبتمبر|أيلول|سپتامبر", "أكتوبر|اكتوبر|تشرين الأول|اکتبر", "نوفمبر|تشرين الثاني|نوامبر",
        "ديسمبر|كانون الأول|دسامبر",
    ), 1) for name in names.split("|")},
}
# Solar Hijri months, the calendar of Iranian pages.
_JALALI = {name: number for number, name in enumerate((
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"), 1)}
_MONTHS = "|".join(sorted(map(re.escape, _GREGORIAN | _JALALI), key=len, reverse=True))

# Common abbreviations only. Ambiguous ones (IST, AST) are left out and CST is US Central, as in US news;
# an abbreviation not listed leaves the time without an offset rather than guessing one.
TZ_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "IRST": 3.5, "IRDT": 4.5, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AEST": 10, "AEDT": 11, "JST": 9,
}
_TIME = (
    r"(?:\s*(?:[|,@•·–T-]|\bat\b|\bв\b)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\b\.?)?(?:\s*(?P<tz>(?-i:[A-Z]{1,4}T\b|Z\b|UTC\b|GMT\b|MSK\b)|[+-]\d{2}:?\d{2}))?)?"
)
_PATTERNS = tuple(re.compile(pattern + _TIME, re.IGNORECASE) for pattern in (
    r"(?<![\d/.-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d/])",
    r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?![\d.])",
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[/.,-]?\s*(?P<name>{_MONTHS})(?!\w)\.?\s*[/.,-]?\s*"
    r"(?P<year>\d{4})(?!\d)(?:\s*(?:года|г\.))?",
    rf"(?<!\w)(?P<name>{_MONTHS})(?!\w)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
))
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)([/-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)"
    r"|/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(\d{1,2})(?!\d)",
    re.IGNORECASE,
)


def _format(moment: datetime, has_time: bool) -> str:
    """Midnight exactly is how CMSs store a date without a time, so it is reported as a date."""
    if not has_time or (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def _from_match(match: re.Match[str], persian: bool) -> str | None:
    parts = match.groupdict()
    name = (parts.get("name") or "").lower()
    year, day = int(parts["year"]), int(parts["day"])
    month = _GREGORIAN.get(name) or _JALALI.get(name) or int(parts.get("month") or 0)
    # A 13xx/14xx year is Solar Hijri on a Persian page, but lunar Hijri on an Arabic one: not ours to read.
    jalali = name in _JALALI or (1300 <= year < 1500 and not name and persian)
    try:
        if jalali:
            moment = datetime.combine(jdatetime.date(year, month, day).togregorian(), datetime.min.time())
        elif 1900 <= year < 2200:
            moment = datetime(year, month, day)
        else:
            return None
        if parts.get("hour") is None:
            return _format(moment, False)
        hour, ampm = int(parts["hour"]), (parts.get("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        moment = moment.replace(hour=hour, minute=int(parts["minute"]), second=int(parts["second"] or 0))
    except ValueError:
        return None
    zone = parts.get("tz")
    if zone and zone.upper() in TZ_OFFSETS:
        moment = moment.replace(tzinfo=timezone(timedelta(hours=TZ_OFFSETS[zone.upper()])))
    elif zone and zone[0] in "+-":
        try:
            moment = datetime.fromisoformat(moment.isoformat() + zone)
        except ValueError:
            pass
    return _format(moment, True)


def find_dates(text: str, persian: bool = False) -> list[tuple[int, str]]:
    """Every date printed in `text`, as (offset, ISO 8601), in page order.

    `persian` says the page is Persian, where a bare 1394/09/02 is a Solar Hijri date.
    """
    text = text.translate(_DIGITS)
    found = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _from_match(match, persian)
            if value and match.start() not in found:
                found[match.start()] = value
    return sorted(found.items())


def parse_moment(value: str | None) -> str | None:
    """A machine-readable date from a meta tag, JSON-LD or a datetime attribute, as ISO 8601.

    Tries ISO 8601, then RFC 2822 (feeds, some CMSs), then the first date printed in the value.
    """
    if not value:
        return None
    text = collapse(value)
    try:
        if len(text) in (8, 10) and text[:4].isdigit():
            return date.fromisoformat(text).isoformat()
        return _format(datetime.fromisoformat(text), True)
    except ValueError:
        pass
    try:
        return _format(parsedate_to_datetime(text), True)
    except (TypeError, ValueError, IndexError):
        pass
    dates = find_dates(text)
    return dates[0][1] if dates else None


def url_date(url: str) -> str | None:
    """The date in a URL's path (/2015/11/23/, /20151123, 2015-11-23, /2024/feb/29/), if any."""
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
    for match in _URL_DATE.finditer("/" + path):
        try:
            if match.group(1):
                return date(int(match.group(1)), int(match.group(3)), int(match.group(4))).isoformat()
            month = _GREGORIAN[match.group(6).lower()]
            return date(int(match.group(5)), month, int(match.group(7))).isoformat()
        except ValueError:
            continue
    return None
